//! Block custom operations in a program: a user's function of `k` inputs and `m`
//! outputs (`wengert.custom`), recorded as `m` consecutive entries with a [`Block`] of
//! the tape's side table. The forward pass calls the [`Customs`] once per block, at its
//! first output, for the `m` values and the `m×k` Jacobian (kept in the scratch); the
//! sweeps and tangent passes read that Jacobian as the partials of each output.
//!
//! Second derivatives, sparsity patterns and Taylor series past degree 1 do not go
//! through a block yet: those replays refuse a program with one
//! ([`ReplayError::BlockUnsupported`]).

use super::program::Instruction;
use super::{filled, Customs, Program, ProgramError, ReplayError, Scratch, Value};
use crate::ops::chain;
use crate::tape::{Block, BlockInput};

/// A block of a program: its inputs, its first entry and number of outputs, and where
/// its values and Jacobian sit in the scratch.
#[derive(Clone, Debug)]
pub(super) struct ProgramBlock {
    pub(super) inputs: Vec<Value>,
    pub(super) first: u32,
    pub(super) outputs: u32,
    /// Where its `m` values start in `Scratch::block_values`.
    values: usize,
    /// Where its `m×k` Jacobian starts in `Scratch::block_partials`.
    partials: usize,
}

/// The blocks of a tape's side table as a program's, checked: every input an entry
/// before the block's first output, at least one output, and the scratch laid out.
pub(super) fn program_blocks(blocks: &[Block]) -> Result<Vec<ProgramBlock>, ProgramError> {
    let (mut values, mut partials) = (0usize, 0usize);
    blocks
        .iter()
        .map(|block| {
            let k = block.inputs.len();
            let m = block.outputs as usize;
            let bad = ProgramError::BadIndex(block.first as usize);
            if k == 0 || m == 0 || block.partials.len() != m * k {
                return Err(bad);
            }
            let inputs = block
                .inputs
                .iter()
                .map(|input| match *input {
                    BlockInput::Entry(e) if e < block.first => Ok(Value::Entry(e)),
                    BlockInput::Entry(e) => Err(ProgramError::BadIndex(e as usize)),
                    BlockInput::Constant(c) => Ok(Value::Constant(c)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let block = ProgramBlock {
                inputs,
                first: block.first,
                outputs: block.outputs,
                values,
                partials,
            };
            values = values.checked_add(m).ok_or(bad)?;
            partials = partials.checked_add(m * k).ok_or(bad)?;
            Ok(block)
        })
        .collect()
}

/// The instruction of entry `i`, output `output` of block `number`: checked to be the
/// block's `output`-th entry.
pub(super) fn block_instruction(
    blocks: &[ProgramBlock],
    i: usize,
    number: f64,
    output: f64,
) -> Result<Instruction, ProgramError> {
    let bad = Err(ProgramError::BadIndex(i));
    if !(number >= 0.0 && output >= 0.0 && number.fract() == 0.0 && output.fract() == 0.0) {
        return bad;
    }
    let Some(block) = blocks.get(number as usize) else {
        return bad;
    };
    if output >= f64::from(block.outputs) || block.first as usize + output as usize != i {
        return bad;
    }
    Ok(Instruction::Block(number as u32, output as u32))
}

impl Program {
    /// The block of `number`.
    #[inline(always)]
    fn block(&self, number: u32) -> &ProgramBlock {
        &self.blocks[number as usize]
    }

    /// Size the scratch's block memory for this program.
    pub(super) fn block_scratch(&self, scratch: &mut Scratch) -> Result<(), ReplayError> {
        let (m, mk) = self.blocks.last().map_or((0, 0), |b| {
            let (m, k) = (b.outputs as usize, b.inputs.len());
            (b.values + m, b.partials + m * k)
        });
        filled(&mut scratch.block_values, m, 0.0)?;
        filled(&mut scratch.block_partials, mk, 0.0)
    }

    /// Output `output` of block `number` (entry `i`) in the forward pass: the block is
    /// evaluated at its first output; every output's value is then known.
    pub(super) fn block_value(
        &self,
        i: usize,
        (number, output): (u32, u32),
        values: &[f64],
        (block_values, block_partials): (&mut [f64], &mut [f64]),
        customs: &mut dyn Customs,
    ) -> Result<f64, ReplayError> {
        let block = self.block(number);
        let (m, k) = (block.outputs as usize, block.inputs.len());
        if output == 0 {
            let x: Vec<f64> = block
                .inputs
                .iter()
                .map(|input| match *input {
                    Value::Entry(e) => values[e as usize],
                    Value::Constant(c) => c,
                })
                .collect();
            customs.block(
                i,
                &x,
                &mut block_values[block.values..block.values + m],
                &mut block_partials[block.partials..block.partials + m * k],
            )?;
        }
        Ok(block_values[block.values + output as usize])
    }

    /// The row of partials of output `output` of block `number`, and the block's inputs.
    #[inline(always)]
    fn block_row<'a>(
        &'a self,
        (number, output): (u32, u32),
        block_partials: &'a [f64],
    ) -> impl Iterator<Item = (u32, f64)> + 'a {
        let block = self.block(number);
        let k = block.inputs.len();
        let start = block.partials + output as usize * k;
        block
            .inputs
            .iter()
            .zip(&block_partials[start..start + k])
            .filter_map(|(input, &partial)| match *input {
                Value::Entry(e) => Some((e, partial)),
                Value::Constant(_) => None,
            })
    }

    /// The backward sweep's step for an output of a block, with adjoint `adjoint`: the
    /// rules of [`Program::sweep`].
    #[inline(never)]
    pub(super) fn sweep_block(
        &self,
        output: (u32, u32),
        adjoint: f64,
        adjoints: &mut [f64],
        block_partials: &[f64],
    ) {
        let finite = adjoint.is_finite();
        for (e, partial) in self.block_row(output, block_partials) {
            adjoints[e as usize] += if finite {
                partial * adjoint
            } else {
                chain(partial, adjoint)
            };
        }
    }

    /// The tangent of an output of a block from its inputs' `tangents`, by forward
    /// mode's rule.
    #[inline(never)]
    pub(super) fn block_tangent(
        &self,
        output: (u32, u32),
        tangents: &[f64],
        block_partials: &[f64],
    ) -> f64 {
        self.block_row(output, block_partials)
            .map(|(e, partial)| chain(partial, tangents[e as usize]))
            .sum()
    }

    /// The block operation of entry `i`, if it is one.
    #[inline(always)]
    pub(super) fn block_output(&self, i: usize) -> Option<(u32, u32)> {
        match self.instructions[i] {
            Instruction::Block(number, output) => Some((number, output)),
            _ => None,
        }
    }

    /// [`ReplayError::BlockUnsupported`] for a program with a block, for the replays
    /// that do not go through one yet.
    pub(super) fn refuse_blocks(&self) -> Result<(), ReplayError> {
        match self.blocks.first() {
            Some(block) => Err(ReplayError::BlockUnsupported {
                entry: block.first as usize,
            }),
            None => Ok(()),
        }
    }
}
