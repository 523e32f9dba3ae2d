//! The forward pass: every entry's value and partials (and second derivatives, for
//! a Hessian) at a new point, in the scheduled order, with the guards checked.

use super::program::Instruction;
use super::{filled, Customs, Program, ReplayError, Scratch, Value};
use crate::ops::{Binary, Operands};
use crate::tape::Entry;

/// What an entry keeps of its function's value and partials `(v, dx, dy)`: the value
/// and the partials by the operands that are entries (where only one is, its partial
/// first); with `SECONDS`, the second derivatives `seconds(v, dx, dy)` likewise into
/// `second`.
#[inline(always)]
fn kept<const SECONDS: bool>(
    operands: Operands,
    (v, dx, dy): (f64, f64, f64),
    seconds: impl FnOnce(f64, f64, f64) -> Result<[f64; 3], ReplayError>,
    second: &mut [f64; 3],
) -> Result<(f64, f64, f64), ReplayError> {
    if SECONDS {
        let [hxx, hxy, hyy] = seconds(v, dx, dy)?;
        *second = match operands {
            Operands::Both => [hxx, hxy, hyy],
            Operands::ConstantRight => [hxx, 0.0, 0.0],
            Operands::ConstantLeft => [hyy, 0.0, 0.0],
        };
    }
    Ok(match operands {
        Operands::Both => (v, dx, dy),
        Operands::ConstantRight => (v, dx, 0.0),
        Operands::ConstantLeft => (v, dy, 0.0),
    })
}

/// A custom operation's second derivatives, or NaN where it has none, noting `entry`
/// in `missing` (a Hessian fails only if the output depends on it).
fn unknown_as_nan(
    second: Result<[f64; 3], ReplayError>,
    entry: usize,
    missing: &mut Vec<usize>,
) -> Result<[f64; 3], ReplayError> {
    match second {
        Err(ReplayError::NoSecondDerivative { .. }) => {
            missing.push(entry);
            Ok([f64::NAN; 3])
        }
        other => other,
    }
}

impl Program {
    /// Evaluate every entry at `x` (which has [`Program::inputs`] numbers), checking
    /// the guards, into `scratch`'s values and partials; with `seconds`, also the
    /// second derivatives.
    pub(super) fn forward(
        &self,
        x: &[f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
        seconds: bool,
    ) -> Result<(), ReplayError> {
        let len = self.len();
        if x.len() != self.inputs {
            return Err(ReplayError::Length);
        }
        if scratch.program != self.id {
            scratch.program = 0;
            filled(&mut scratch.values, len, 0.0)?;
            scratch.entries.clear();
            scratch
                .entries
                .try_reserve(len)
                .map_err(|_| ReplayError::OutOfMemory)?;
            scratch
                .entries
                .extend(self.operands.iter().map(|&operands| Entry {
                    partials: [0.0, 0.0],
                    operands,
                }));
            scratch.program = self.id;
        }
        // (Every time: a Taylor pass of another program may have resized it.)
        self.block_scratch(scratch, seconds)?;
        if seconds {
            filled(&mut scratch.seconds, len, [0.0; 3])?;
            scratch.missing_seconds.clear();
        }
        scratch.values[..self.inputs].copy_from_slice(x);
        let mut start = self.inputs;
        for (g, guard) in self.guards.iter().enumerate() {
            let end = (guard.position as usize).clamp(start, len);
            self.run_segment(start..end, scratch, customs, seconds)?;
            start = end;
            let value = |v: Value| match v {
                Value::Entry(index) => scratch.values[index as usize],
                Value::Constant(c) => c,
            };
            let outcome = guard
                .comparison
                .holds(value(guard.left), value(guard.right));
            if outcome != guard.outcome {
                return Err(ReplayError::BranchChanged { guard: g });
            }
        }
        self.run_segment(start..len, scratch, customs, seconds)
    }

    /// The forward pass over the entries in `range` (between two guards), in the
    /// scheduled order. Should an operation fail, the range is evaluated again in the
    /// recorded order, so that the error reported is the first the recorded code met.
    fn run_segment(
        &self,
        range: std::ops::Range<usize>,
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
        seconds: bool,
    ) -> Result<(), ReplayError> {
        let scheduled = self.order[range.start - self.inputs..range.end - self.inputs]
            .iter()
            .map(|&i| i as usize);
        let result = if seconds {
            self.run::<true>(scheduled, scratch, customs)
        } else {
            self.run::<false>(scheduled, scratch, customs)
        };
        match result {
            Err(error) if !self.customs => {
                let in_order = if seconds {
                    self.run::<true>(range, scratch, customs)
                } else {
                    self.run::<false>(range, scratch, customs)
                };
                in_order.and(Err(error))
            }
            other => other,
        }
    }

    /// The forward pass over `entries` (in an order where operands come first);
    /// `SECONDS` also computes second derivatives.
    #[inline(always)]
    fn run<const SECONDS: bool>(
        &self,
        entries_in_order: impl Iterator<Item = usize>,
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<(), ReplayError> {
        use Operands::{Both, ConstantLeft, ConstantRight};
        let Scratch {
            values,
            entries,
            seconds,
            missing_seconds,
            block_values,
            block_partials,
            block_seconds,
            ..
        } = scratch;
        let values = &mut values[..self.len()];
        let entries = &mut entries[..self.len()];
        for i in entries_in_order {
            // SAFETY: Program::new checked that every operand is an entry before `i`,
            // and `values` has one element per entry.
            let value = |a: u32| unsafe { *values.get_unchecked(a as usize) };
            let math = |error| ReplayError::Math { entry: i, error };
            // An operation of the table at (x, y); `operands` tells which one is a constant.
            let table = |op: Binary, operands: Operands, x: f64, y: f64, second: &mut [f64; 3]| {
                let first = op.eval(x, y).map_err(math)?;
                kept::<SECONDS>(
                    operands,
                    first,
                    |v, dx, dy| Ok(op.second(x, y, v, dx, dy)),
                    second,
                )
            };
            // A custom operation at (x, y), the same way.
            let custom = |customs: &mut dyn Customs,
                          missing: &mut Vec<usize>,
                          operands: Operands,
                          x: f64,
                          y: f64,
                          second: &mut [f64; 3]| {
                let first = customs.eval(i, x, y)?;
                let seconds = |_, _, _| unknown_as_nan(customs.second(i, x, y), i, missing);
                kept::<SECONDS>(operands, first, seconds, second)
            };
            let mut second = [0.0; 3];
            let s = &mut second;
            // Each arm gives (value, partial a, partial b); `?` in the arm leaves on an error, so
            // the three come out in registers.
            let (v, pa, pb) = match self.instructions[i] {
                Instruction::Input => continue,
                Instruction::Unary(op, a) => {
                    let x = value(a);
                    let (v, d) = op.eval(x).map_err(math)?;
                    if SECONDS {
                        s[0] = op.second(x, v, d);
                    }
                    (v, d, 0.0)
                }
                Instruction::Add(a, b) => table(Binary::Add, Both, value(a), value(b), s)?,
                Instruction::Sub(a, b) => table(Binary::Sub, Both, value(a), value(b), s)?,
                Instruction::Mul(a, b) => table(Binary::Mul, Both, value(a), value(b), s)?,
                Instruction::Div(a, b) => table(Binary::Div, Both, value(a), value(b), s)?,
                Instruction::Binary(op, a, b) => table(op, Both, value(a), value(b), s)?,
                Instruction::AddRight(a, c) => table(Binary::Add, ConstantRight, value(a), c, s)?,
                Instruction::SubRight(a, c) => table(Binary::Sub, ConstantRight, value(a), c, s)?,
                Instruction::MulRight(a, c) => table(Binary::Mul, ConstantRight, value(a), c, s)?,
                Instruction::DivRight(a, c) => table(Binary::Div, ConstantRight, value(a), c, s)?,
                Instruction::BinaryRight(op, a, c) => table(op, ConstantRight, value(a), c, s)?,
                Instruction::AddLeft(c, b) => table(Binary::Add, ConstantLeft, c, value(b), s)?,
                Instruction::SubLeft(c, b) => table(Binary::Sub, ConstantLeft, c, value(b), s)?,
                Instruction::MulLeft(c, b) => table(Binary::Mul, ConstantLeft, c, value(b), s)?,
                Instruction::DivLeft(c, b) => table(Binary::Div, ConstantLeft, c, value(b), s)?,
                Instruction::BinaryLeft(op, c, b) => table(op, ConstantLeft, c, value(b), s)?,
                // One argument: y is 0, as a constant right operand would be.
                Instruction::CustomUnary(a) => {
                    custom(customs, missing_seconds, ConstantRight, value(a), 0.0, s)?
                }
                Instruction::CustomBinary(a, b) => {
                    custom(customs, missing_seconds, Both, value(a), value(b), s)?
                }
                Instruction::CustomRight(a, c) => {
                    custom(customs, missing_seconds, ConstantRight, value(a), c, s)?
                }
                Instruction::CustomLeft(c, b) => {
                    custom(customs, missing_seconds, ConstantLeft, c, value(b), s)?
                }
                Instruction::Block(number, output) => {
                    let blocks = (&mut block_values[..], &mut block_partials[..]);
                    let second = SECONDS.then_some((&mut block_seconds[..], &mut *missing_seconds));
                    let output = (number, output);
                    let v = self.block_value(i, output, values, blocks, second, customs)?;
                    (v, 0.0, 0.0)
                }
            };
            values[i] = v;
            // Written one float at a time: the pair sits in two stack slots, and a 16-byte
            // load of them could not take the two stores' values in flight (a stall of
            // more than the whole operation costs).
            let partials = &mut entries[i].partials;
            partials[0] = pa;
            partials[1] = pb;
            if SECONDS {
                seconds[i] = second;
            }
        }
        Ok(())
    }

    /// The value of output `k` after a forward pass.
    pub(super) fn output_value(&self, scratch: &Scratch, k: usize) -> f64 {
        match self.outputs[k] {
            Value::Entry(index) => scratch.values[index as usize],
            Value::Constant(c) => c,
        }
    }

    /// The outputs' values at `x`.
    pub fn values(
        &self,
        x: &[f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<Vec<f64>, ReplayError> {
        self.forward(x, scratch, customs, false)?;
        Ok((0..self.outputs.len())
            .map(|k| self.output_value(scratch, k))
            .collect())
    }
}
