//! Block custom operations in a program: a user's function of `k` inputs and `m`
//! outputs (`wengert.custom`), recorded as `m` consecutive entries with a [`Block`] of
//! the tape's side table. The forward pass calls the [`Customs`] once per block, at its
//! first output, for the `m` values and the `m×k` Jacobian (kept in the scratch); the
//! sweeps and tangent passes read that Jacobian as the partials of each output.
//!
//! With the block's second partials (`Customs::block_second`, NaN where it has none) the
//! Hessian passes (`second_order.rs`) and Taylor mode to degree 2 (`taylor.rs`) go
//! through it; past degree 2 a block whose inputs vary has no rule
//! ([`ReplayError::NoTaylorRule`]). Its outputs depend on all its inputs in the
//! sparsity patterns (`sparsity.rs`).

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
    /// Where its `m×k×k` second partials start in `Scratch::block_seconds`.
    seconds: usize,
}

/// The blocks of a tape's side table as a program's, checked: every input an entry
/// before the block's first output, at least one output, and the scratch laid out.
pub(super) fn program_blocks(blocks: &[Block]) -> Result<Vec<ProgramBlock>, ProgramError> {
    let (mut values, mut partials, mut seconds) = (0usize, 0usize, 0usize);
    blocks
        .iter()
        .map(|block| {
            let k = block.inputs.len();
            let m = block.outputs as usize;
            let bad = ProgramError::BadBlock(block.first as usize);
            // (The tape's partials, at the recorded point, are not the program's.)
            if k == 0 || m == 0 {
                return Err(bad);
            }
            let inputs = block
                .inputs
                .iter()
                .map(|input| match *input {
                    BlockInput::Entry(e) if e < block.first => Ok(Value::Entry(e)),
                    BlockInput::Entry(_) => Err(bad),
                    BlockInput::Constant(c) => Ok(Value::Constant(c)),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let block = ProgramBlock {
                inputs,
                first: block.first,
                outputs: block.outputs,
                values,
                partials,
                seconds,
            };
            values = values.checked_add(m).ok_or(bad)?;
            partials = partials.checked_add(m * k).ok_or(bad)?;
            let mkk = (m * k).checked_mul(k).ok_or(bad)?;
            seconds = seconds.checked_add(mkk).ok_or(bad)?;
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
    let bad = Err(ProgramError::BadBlock(i));
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

/// `v` with `n` numbers: refilled with zeros when its length differs, else kept.
fn sized(v: &mut Vec<f64>, n: usize) -> Result<(), ReplayError> {
    if v.len() == n {
        return Ok(());
    }
    filled(v, n, 0.0)
}

impl Program {
    /// The block of `number`.
    #[inline(always)]
    fn block(&self, number: u32) -> &ProgramBlock {
        &self.blocks[number as usize]
    }

    /// Size the scratch's block memory for this program: its values and Jacobians, and
    /// with `seconds` its second partials (`m·k·k` numbers a block, reserved only for
    /// the passes that read them). Called by every pass that evaluates the blocks, so
    /// that one scratch may serve programs of any sizes in any order; a buffer of the
    /// right length is kept as it is, since a block writes its part before reading it.
    pub(super) fn block_scratch(
        &self,
        scratch: &mut Scratch,
        seconds: bool,
    ) -> Result<(), ReplayError> {
        let (m, mk, mkk) = self.blocks.last().map_or((0, 0, 0), |b| {
            let (m, k) = (b.outputs as usize, b.inputs.len());
            (b.values + m, b.partials + m * k, b.seconds + m * k * k)
        });
        sized(&mut scratch.block_values, m)?;
        sized(&mut scratch.block_partials, mk)?;
        if seconds {
            sized(&mut scratch.block_seconds, mkk)?;
        }
        Ok(())
    }

    /// The numbers of a block's inputs, from every entry's `value`.
    fn block_point(&self, number: u32, value: impl Fn(u32) -> f64) -> Vec<f64> {
        self.block(number)
            .inputs
            .iter()
            .map(|input| match *input {
                Value::Entry(e) => value(e),
                Value::Constant(c) => c,
            })
            .collect()
    }

    /// Output `output` of block `number` (entry `i`) in the forward pass: the block is
    /// evaluated at its first output; every output's value is then known. With
    /// `seconds`, its second partials too (NaN where it has none, its outputs then noted
    /// in the list: a Hessian fails only if the output depends on them).
    pub(super) fn block_value(
        &self,
        i: usize,
        (number, output): (u32, u32),
        values: &[f64],
        (block_values, block_partials): (&mut [f64], &mut [f64]),
        seconds: Option<(&mut [f64], &mut Vec<usize>)>,
        customs: &mut dyn Customs,
    ) -> Result<f64, ReplayError> {
        let block = self.block(number);
        let (m, k) = (block.outputs as usize, block.inputs.len());
        if output == 0 {
            let x = self.block_point(number, |e| values[e as usize]);
            customs.block(
                i,
                &x,
                &mut block_values[block.values..block.values + m],
                &mut block_partials[block.partials..block.partials + m * k],
            )?;
            if let Some((block_seconds, missing)) = seconds {
                let h = &mut block_seconds[block.seconds..block.seconds + m * k * k];
                match customs.block_second(i, &x, h) {
                    Err(ReplayError::NoSecondDerivative { .. }) => {
                        h.fill(f64::NAN);
                        missing.extend(i..i + m);
                    }
                    other => other?,
                }
            }
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

    /// The tangents (`L` lanes) of an output of a block, from its inputs' `tangents`.
    #[inline(never)]
    pub(super) fn block_lane_tangent<const L: usize>(
        &self,
        output: (u32, u32),
        tangents: &[[f64; L]],
        block_partials: &[f64],
    ) -> [f64; L] {
        let mut t = [0.0; L];
        for (e, partial) in self.block_row(output, block_partials) {
            let te = tangents[e as usize];
            for l in 0..L {
                t[l] += chain(partial, te[l]);
            }
        }
        t
    }

    /// The backward step of a Hessian pass (`second_order.rs`) for an output of a block
    /// with adjoint `lambda` and adjoint tangents `dot`: each variable input `c` receives
    /// `λ · Σ_d ∂²f_j/∂x_c∂x_d · t_d + ∂f_j/∂x_c · λ'`, by [`chain`]'s rule.
    #[allow(clippy::too_many_arguments)]
    #[inline(never)]
    pub(super) fn block_lane_adjoint<const L: usize>(
        &self,
        (number, output): (u32, u32),
        lambda: f64,
        dot: [f64; L],
        tangents: &[[f64; L]],
        adjoint_tangents: &mut [[f64; L]],
        block_partials: &[f64],
        block_seconds: &[f64],
    ) {
        let block = self.block(number);
        let k = block.inputs.len();
        let j = output as usize;
        let row = &block_partials[block.partials + j * k..block.partials + (j + 1) * k];
        let h = &block_seconds[block.seconds + j * k * k..block.seconds + (j + 1) * k * k];
        for (c, input) in block.inputs.iter().enumerate() {
            let Value::Entry(e) = *input else {
                continue;
            };
            let mut to = [0.0; L];
            for (l, to) in to.iter_mut().enumerate() {
                let mut p_dot = 0.0;
                for (d, other) in block.inputs.iter().enumerate() {
                    if let Value::Entry(f) = *other {
                        p_dot += chain(h[c * k + d], tangents[f as usize][l]);
                    }
                }
                *to = chain(p_dot, lambda) + chain(row[c], dot[l]);
            }
            for l in 0..L {
                adjoint_tangents[e as usize][l] += to[l];
            }
        }
    }

    /// Taylor mode (`taylor.rs`) at output `output` of block `number` (entry `i`): at the
    /// first output, the series of degree `n - 1` of every output into `rest` (the
    /// series from entry `i` on), from its inputs' in `before` (the series before `i`):
    /// coefficient 1 by the Jacobian, 2 with the second partials too; past 2, only for
    /// inputs that do not vary.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn block_series(
        &self,
        i: usize,
        (number, output): (u32, u32),
        n: usize,
        before: &[f64],
        rest: &mut [f64],
        customs: &mut dyn Customs,
        (block_values, block_partials, block_seconds): (&mut [f64], &mut [f64], &mut [f64]),
    ) -> Result<(), ReplayError> {
        if output != 0 {
            return Ok(()); // written with the first output
        }
        let block = self.block(number);
        let (m, k) = (block.outputs as usize, block.inputs.len());
        let x = self.block_point(number, |e| before[e as usize * n]);
        let values = &mut block_values[block.values..block.values + m];
        let jacobian = &mut block_partials[block.partials..block.partials + m * k];
        customs.block(i, &x, values, jacobian)?;
        // Coefficient p of input c (0 past the value for a constant).
        let coefficient = |c: usize, p: usize| match block.inputs[c] {
            Value::Entry(e) => before[e as usize * n + p],
            Value::Constant(_) => 0.0,
        };
        let varies = (0..k).any(|c| (1..n).any(|p| coefficient(c, p) != 0.0));
        if varies && n > 3 {
            return Err(ReplayError::NoTaylorRule { entry: i });
        }
        // The second partials (room for them only at degree 2: `Program::taylor`) only
        // if a first coefficient varies, as for a unary custom function.
        let quadratic = n == 3 && (0..k).any(|c| coefficient(c, 1) != 0.0);
        let h: &mut [f64] = if quadratic {
            let h = &mut block_seconds[block.seconds..block.seconds + m * k * k];
            customs.block_second(i, &x, h)?;
            h
        } else {
            &mut []
        };
        for j in 0..m {
            let out = &mut rest[j * n..(j + 1) * n];
            out.fill(0.0);
            out[0] = values[j];
            if !varies {
                continue;
            }
            let row = &jacobian[j * k..(j + 1) * k];
            for (p, out) in out.iter_mut().enumerate().skip(1) {
                *out = (0..k).map(|c| chain(row[c], coefficient(c, p))).sum();
            }
            if quadratic {
                let mut quadratic = 0.0;
                for c in 0..k {
                    for d in 0..k {
                        let product = coefficient(c, 1) * coefficient(d, 1);
                        quadratic += chain(h[(j * k + c) * k + d], product);
                    }
                }
                out[2] += 0.5 * quadratic;
            }
        }
        Ok(())
    }

    /// The inputs and the number of outputs of the block whose first output is `entry`.
    pub fn block_at(&self, entry: usize) -> Option<(&[Value], u32)> {
        match self.instructions.get(entry)? {
            Instruction::Block(number, 0) => {
                let block = self.block(*number);
                Some((&block.inputs, block.outputs))
            }
            _ => None,
        }
    }

    /// The inputs that are entries of the block entry `i` is an output of (none for
    /// another entry).
    pub(super) fn block_inputs(&self, i: usize) -> impl Iterator<Item = u32> + '_ {
        let inputs = match self.block_output(i) {
            Some((number, _)) => &self.block(number).inputs[..],
            None => &[],
        };
        inputs.iter().filter_map(|input| match *input {
            Value::Entry(e) => Some(e),
            Value::Constant(_) => None,
        })
    }

    /// The block operation of entry `i`, if it is one.
    #[inline(always)]
    pub(super) fn block_output(&self, i: usize) -> Option<(u32, u32)> {
        match self.instructions[i] {
            Instruction::Block(number, output) => Some((number, output)),
            _ => None,
        }
    }
}
