//! The tape's side table of block custom operations: a user's function of `k` inputs
//! and `m` outputs (`wengert.custom`) is `m` consecutive entries of code
//! [`Op::Block`], one per output, and one [`Block`] here holding its inputs and its
//! `m×k` partials at the recorded point, which the backward sweep reads.

use super::{Entry, Op, OpCode, Slot, TapeError, WengertList, MAX_ENTRIES, NO_OPERAND};
use crate::ops::chain;

/// An input of a block: an entry of the tape or a constant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BlockInput {
    Entry(u32),
    Constant(f64),
}

/// A block custom operation on the tape: its inputs, how many outputs it has (the
/// entries from `first` on), and its partials, row-major (`partials[j * k + i]` is
/// `∂f_j/∂x_i`).
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub inputs: Vec<BlockInput>,
    pub first: u32,
    pub outputs: u32,
    pub partials: Vec<f64>,
}

/// The backward sweep's step for an output of a block (`entry`, with the adjoint
/// `adjoint`): each variable input receives `∂f_j/∂x_i · adjoint`, by [`chain`]'s rule
/// where the adjoint is not finite.
#[inline(never)]
pub(super) fn sweep_output(entry: Entry, adjoint: f64, adjoints: &mut [f64], blocks: &[Block]) {
    let [block, output] = entry.partials;
    let Some(block) = blocks.get(block as usize) else {
        return;
    };
    let k = block.inputs.len();
    let row = &block.partials[output as usize * k..(output as usize + 1) * k];
    let finite = adjoint.is_finite();
    for (input, &partial) in block.inputs.iter().zip(row) {
        if let BlockInput::Entry(x) = *input {
            adjoints[x as usize] += if finite {
                partial * adjoint
            } else {
                chain(partial, adjoint)
            };
        }
    }
}

impl WengertList {
    /// A block custom operation: `m` new entries (its outputs, returned as the first's
    /// slot, the others after it) from `inputs` (slots of this tape, or constants) and
    /// the `m×k` `partials`.
    pub fn block(
        &mut self,
        inputs: &[Result<Slot, f64>],
        m: usize,
        partials: Vec<f64>,
    ) -> Result<Slot, TapeError> {
        let inputs = inputs
            .iter()
            .map(|input| match *input {
                Ok(slot) => self.check(slot).map(BlockInput::Entry),
                Err(c) => Ok(BlockInput::Constant(c)),
            })
            .collect::<Result<Vec<_>, _>>()?;
        if m == 0 || partials.len() != m * inputs.len() {
            return Err(TapeError::BlockShape);
        }
        if m > MAX_ENTRIES - self.len() || self.blocks.len() >= MAX_ENTRIES {
            return Err(TapeError::Full);
        }
        self.blocks
            .try_reserve(1)
            .map_err(|_| TapeError::OutOfMemory)?;
        let number = self.blocks.len() as f64;
        let first = self.len() as u32;
        let mut slot = None;
        for j in 0..m {
            let entry = Entry {
                partials: [number, j as f64],
                operands: [NO_OPERAND, NO_OPERAND],
            };
            let pushed = self.push(OpCode::new(Op::Block), entry)?;
            slot.get_or_insert(pushed);
        }
        self.blocks.push(Block {
            inputs,
            first,
            outputs: m as u32,
            partials,
        });
        slot.ok_or(TapeError::OutOfMemory)
    }

    /// The blocks of the [`Op::Block`] entries, in the order they were recorded.
    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{Binary, Operands};

    #[test]
    fn a_block_sweeps_its_partials_to_its_inputs() {
        // (u, v) = block(x, 2, y) with ∂u = (1, 2, 3), ∂v = (4, 5, 6); z = u * v.
        let mut t = WengertList::new();
        let x = t.variable().unwrap();
        let y = t.variable().unwrap();
        let partials = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let u = t.block(&[Ok(x), Err(2.0), Ok(y)], 2, partials).unwrap();
        let v = Slot {
            index: u.index + 1,
            generation: u.generation,
        };
        assert_eq!(t.codes()[3].op(), Op::Block);
        assert_eq!(OpCode::from_byte(t.codes()[3].byte()), Some(t.codes()[3]));
        // u = 10, v = 20 at the recorded point: ∂z/∂u = 20, ∂z/∂v = 10.
        let code = OpCode::new(Op::Binary(Binary::Mul, Operands::Both));
        let z = t.binary(code, u, v, 20.0, 10.0).unwrap();
        let d = t.derivatives(z).unwrap();
        assert_eq!(d[0], 20.0 * 1.0 + 10.0 * 4.0);
        assert_eq!(d[1], 20.0 * 3.0 + 10.0 * 6.0);
        assert_eq!(t.derivatives(v).unwrap()[..2], [4.0, 6.0]);
        assert_eq!(t.blocks()[0].first, 2);
        // Stale inputs and a clear.
        t.clear().unwrap();
        assert_eq!(t.block(&[Ok(x)], 1, vec![1.0]), Err(TapeError::Stale));
        assert!(t.blocks().is_empty());
    }
}
