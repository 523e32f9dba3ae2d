//! Taylor mode: a polynomial of degree `d` propagated forward through the program.
//!
//! At the inputs `x + t·v`, every entry becomes the Taylor series of its value along
//! that line (`d + 1` coefficients, by the table's rules of [`crate::ops`]'s
//! `taylor.rs`), in the recorded order, the guards checked on the values (coefficient
//! 0) as the other replays check them. The outputs' coefficients `c[k]` give the
//! derivatives `d^k/dt^k f(x + t·v)` at `t = 0` as `k! · c[k]` ([`to_derivatives`]).
//! O(d²) per operation, no allocation per operation.
//!
//! Custom operations have their value and first derivatives, and second derivatives
//! when they were given some: they take part up to degree 2 (degree 2 needing the
//! second derivatives only where a first coefficient of an operand is not 0); from
//! degree 3 on they raise [`ReplayError::NoTaylorRule`].

use super::program::Instruction;
use super::{filled, Customs, Program, ReplayError, Scratch, Value};
use crate::ops::{chain, Binary, TaylorError, Unary, TAYLOR_SCRATCH};

/// Coefficients into derivatives, in place: `c[k]` becomes `k! · c[k]`.
pub fn to_derivatives(coefficients: &mut [f64]) {
    let mut factorial = 1.0;
    for (k, c) in coefficients.iter_mut().enumerate() {
        if k > 0 {
            factorial *= k as f64;
        }
        // A zero coefficient stays 0 even where k! overflowed.
        if *c != 0.0 {
            *c *= factorial;
        }
    }
}

/// What an entry computes, with its operands' series (`constant` for a constant).
enum Operation<'a> {
    Unary(Unary, &'a [f64]),
    Both(Binary, &'a [f64], &'a [f64]),
    Right(Binary, &'a [f64], f64),
    Left(Binary, f64, &'a [f64]),
    /// A custom operation at `(x, y)` (a constant operand as a series of it).
    Custom(&'a [f64], Option<&'a [f64]>, f64, Side),
}

#[derive(Clone, Copy, PartialEq)]
enum Side {
    One,
    Both,
    Right,
    Left,
}

impl Program {
    /// The Taylor coefficients of degree 0 to `degree` of every output along `x + t·v`
    /// at `t = 0`, into `out` (row-major, one row of `degree + 1` per output).
    pub fn taylor(
        &self,
        x: &[f64],
        v: &[f64],
        degree: usize,
        out: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<(), ReplayError> {
        let n = degree.checked_add(1).ok_or(ReplayError::OutOfMemory)?;
        let len = self.len();
        if x.len() != self.inputs || v.len() != self.inputs {
            return Err(ReplayError::Length);
        }
        if Some(out.len()) != self.outputs.len().checked_mul(n) {
            return Err(ReplayError::Length);
        }
        let size = len.checked_mul(n).ok_or(ReplayError::OutOfMemory)?;
        filled(&mut scratch.series, size, 0.0)?;
        filled(&mut scratch.series_work, TAYLOR_SCRATCH * n, 0.0)?;
        self.block_scratch(scratch, degree == 2)?;
        for i in 0..self.inputs {
            let s = &mut scratch.series[i * n..(i + 1) * n];
            s[0] = x[i];
            if n > 1 {
                s[1] = v[i];
            }
        }
        let mut start = self.inputs;
        for (g, guard) in self.guards.iter().enumerate() {
            let end = (guard.position as usize).clamp(start, len);
            self.taylor_range(start..end, n, scratch, customs)?;
            start = end;
            let value = |v: Value| match v {
                Value::Entry(index) => scratch.series[index as usize * n],
                Value::Constant(c) => c,
            };
            let outcome = guard
                .comparison
                .holds(value(guard.left), value(guard.right));
            if outcome != guard.outcome {
                return Err(ReplayError::BranchChanged { guard: g });
            }
        }
        self.taylor_range(start..len, n, scratch, customs)?;
        for (k, output) in self.outputs.iter().enumerate() {
            let row = &mut out[k * n..(k + 1) * n];
            match *output {
                Value::Entry(index) => {
                    let i = index as usize;
                    row.copy_from_slice(&scratch.series[i * n..(i + 1) * n]);
                }
                Value::Constant(c) => {
                    row.fill(0.0);
                    row[0] = c;
                }
            }
        }
        Ok(())
    }

    /// The series of the entries in `range`, in the recorded order.
    fn taylor_range(
        &self,
        range: std::ops::Range<usize>,
        n: usize,
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<(), ReplayError> {
        let Scratch {
            series,
            series_work: work,
            block_values,
            block_partials,
            block_seconds,
            ..
        } = scratch;
        for i in range {
            // Operands come before the entry (Program::new checked it).
            let (before, rest) = series.split_at_mut(i * n);
            if let Some(output) = self.block_output(i) {
                let blocks = (
                    &mut block_values[..],
                    &mut block_partials[..],
                    &mut block_seconds[..],
                );
                self.block_series(i, output, n, before, rest, customs, blocks)?;
                continue;
            }
            let out = &mut rest[..n];
            let s = |a: u32| &before[a as usize * n..(a as usize + 1) * n];
            let operation = match self.instructions[i] {
                Instruction::Input => continue,
                Instruction::Unary(op, a) => Operation::Unary(op, s(a)),
                Instruction::Add(a, b) => Operation::Both(Binary::Add, s(a), s(b)),
                Instruction::Sub(a, b) => Operation::Both(Binary::Sub, s(a), s(b)),
                Instruction::Mul(a, b) => Operation::Both(Binary::Mul, s(a), s(b)),
                Instruction::Div(a, b) => Operation::Both(Binary::Div, s(a), s(b)),
                Instruction::Binary(op, a, b) => Operation::Both(op, s(a), s(b)),
                Instruction::AddRight(a, c) => Operation::Right(Binary::Add, s(a), c),
                Instruction::SubRight(a, c) => Operation::Right(Binary::Sub, s(a), c),
                Instruction::MulRight(a, c) => Operation::Right(Binary::Mul, s(a), c),
                Instruction::DivRight(a, c) => Operation::Right(Binary::Div, s(a), c),
                Instruction::BinaryRight(op, a, c) => Operation::Right(op, s(a), c),
                Instruction::AddLeft(c, b) => Operation::Left(Binary::Add, c, s(b)),
                Instruction::SubLeft(c, b) => Operation::Left(Binary::Sub, c, s(b)),
                Instruction::MulLeft(c, b) => Operation::Left(Binary::Mul, c, s(b)),
                Instruction::DivLeft(c, b) => Operation::Left(Binary::Div, c, s(b)),
                Instruction::BinaryLeft(op, c, b) => Operation::Left(op, c, s(b)),
                Instruction::CustomUnary(a) => Operation::Custom(s(a), None, 0.0, Side::One),
                Instruction::CustomBinary(a, b) => {
                    Operation::Custom(s(a), Some(s(b)), 0.0, Side::Both)
                }
                Instruction::CustomRight(a, c) => Operation::Custom(s(a), None, c, Side::Right),
                Instruction::CustomLeft(c, b) => Operation::Custom(s(b), None, c, Side::Left),
                Instruction::Block(..) => continue, // above
            };
            let math = |error| match error {
                TaylorError::Math(error) => ReplayError::Math { entry: i, error },
                TaylorError::Length => ReplayError::Length,
            };
            match operation {
                Operation::Unary(op, x) => op.taylor(x, out, work).map_err(math)?,
                Operation::Both(op, x, y) => op.taylor(x, y, out, work).map_err(math)?,
                Operation::Right(op, x, c) => op.taylor_right(x, c, out, work).map_err(math)?,
                Operation::Left(op, c, y) => op.taylor_left(c, y, out, work).map_err(math)?,
                Operation::Custom(a, b, c, side) => custom(customs, i, a, b, c, side, out)?,
            }
        }
        Ok(())
    }
}

/// A custom operation on series of degree at most 2: `(a, b)` its variable operands
/// (`a` alone for one argument or a constant `c` on `side`).
fn custom(
    customs: &mut dyn Customs,
    entry: usize,
    a: &[f64],
    b: Option<&[f64]>,
    c: f64,
    side: Side,
    out: &mut [f64],
) -> Result<(), ReplayError> {
    let n = out.len();
    let zero = [0.0; 3];
    let b = b.unwrap_or(&zero[..n.min(3)]);
    // The arguments (x, y) of the custom function, and which of them are variables.
    let (x, y, xs, ys): (f64, f64, &[f64], &[f64]) = match side {
        Side::One => (a[0], 0.0, a, b),
        Side::Both => (a[0], b[0], a, b),
        Side::Right => (a[0], c, a, b),
        Side::Left => (c, a[0], b, a),
    };
    let varies = |s: &[f64]| s.iter().skip(1).any(|&c| c != 0.0);
    let (v, dx, dy) = customs.eval(entry, x, y)?;
    out.fill(0.0);
    out[0] = v;
    if !varies(xs) && !varies(ys) {
        return Ok(());
    }
    if customs.step(entry) {
        out[1] = chain(dx, xs[1]) + chain(dy, ys[1]);
        return Ok(());
    }
    if n > 3 {
        return Err(ReplayError::NoTaylorRule { entry });
    }
    let (x1, y1) = (xs[1], ys[1]);
    out[1] = chain(dx, x1) + chain(dy, y1);
    if n == 3 {
        let mut second = 0.0;
        if x1 != 0.0 || y1 != 0.0 {
            let [hxx, hxy, hyy] = customs.second(entry, x, y)?;
            second = 0.5 * (chain(hxx, x1 * x1) + 2.0 * chain(hxy, x1 * y1) + chain(hyy, y1 * y1));
        }
        out[2] = second + chain(dx, xs[2]) + chain(dy, ys[2]);
    }
    Ok(())
}
