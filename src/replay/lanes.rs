//! Batches in lanes: the rows of a batch replayed [`ROWS`] at a time.
//!
//! The forward pass evaluates each entry at `ROWS` points at once, its values and
//! partials laid out entry by entry with the points' lanes side by side (so the
//! arithmetic of `+ - * /` runs in the processor's vector registers, and the dispatch
//! and the walk over the program are shared by the group), then one backward sweep
//! carries `ROWS` adjoints an entry. Every lane does the operations of a single-row
//! replay ([`Program::value_and_gradient`]) in the same order, with the sweep's rules
//! (an entry whose adjoint is 0 is skipped, and the 0·∞ rule of [`chain`]) kept lane by
//! lane, so the results are those of single-row replays, bit for bit.
//!
//! Where any lane of a group fails a guard or meets a math error, the group's rows are
//! replayed again one at a time, so the error reported (the row, the guard or entry,
//! the message) is the one a row-at-a-time replay reports. A program with custom
//! operations is replayed a row at a time (they call the user's functions, one point
//! each), and so is one of more than [`MOST_ENTRIES`] entries (to bound the memory).
//!
//! [`chain`]: crate::ops::chain

use super::program::Instruction;
use super::{Customs, Program, ReplayError, Scratch, Value};
use crate::ops::{Binary, MathError, Operands, Unary};
use crate::tape::NO_OPERAND;

/// How many rows a pass carries (8 replayed W2 faster than 4: `benches/replay.rs`).
pub const ROWS: usize = 8;

/// The longest program replayed in lanes: its working memory, 32 bytes an entry a lane,
/// kept with the recording, stays under 64 MB (a longer one goes a row at a time, in an
/// eighth of that).
const MOST_ENTRIES: usize = 1 << 18;

/// One number per lane.
type Lanes = [f64; ROWS];

/// A lane pass's working memory, kept between batches.
#[derive(Default)]
pub(super) struct LaneScratch {
    values: Vec<Lanes>,
    /// The partials by the entry's operands, as [`Program::sweep`] reads them.
    partials: Vec<[Lanes; 2]>,
    adjoints: Vec<Lanes>,
}

/// Why a group of rows is replayed again a row at a time.
enum Fallback {
    /// A lane failed a guard or met a math error.
    Row,
    /// No memory for the lanes.
    Memory,
}

impl From<MathError> for Fallback {
    fn from(_: MathError) -> Fallback {
        Fallback::Row
    }
}

/// Resize `v` to `n` elements (their values are all written before they are read).
fn sized<T: Copy + Default>(v: &mut Vec<T>, n: usize) -> Result<(), Fallback> {
    if v.len() < n {
        v.try_reserve(n - v.len()).map_err(|_| Fallback::Memory)?;
    }
    v.resize(n, T::default());
    Ok(())
}

/// `f` at every lane of `(x, y)`: the value and the partials by the operands that are
/// entries (where only one is, its partial first), as the single-row forward pass keeps
/// them. `f` is an operation of the table known at compile time, so for `+ - *` the loop
/// has no branch and is vectorised.
#[inline(always)]
fn lanes2(
    x: &Lanes,
    y: &Lanes,
    operands: Operands,
    f: impl Fn(f64, f64) -> Result<(f64, f64, f64), MathError>,
) -> Result<(Lanes, [Lanes; 2]), Fallback> {
    let mut v = [0.0; ROWS];
    let mut dx = [0.0; ROWS];
    let mut dy = [0.0; ROWS];
    let mut failed = false;
    for l in 0..ROWS {
        match f(x[l], y[l]) {
            Ok((value, px, py)) => {
                v[l] = value;
                dx[l] = px;
                dy[l] = py;
            }
            Err(_) => failed = true,
        }
    }
    if failed {
        return Err(Fallback::Row);
    }
    Ok(match operands {
        Operands::Both => (v, [dx, dy]),
        Operands::ConstantRight => (v, [dx, [0.0; ROWS]]),
        Operands::ConstantLeft => (v, [dy, [0.0; ROWS]]),
    })
}

/// `op` at every lane of `x`.
#[inline(always)]
fn lanes1(op: Unary, x: &Lanes) -> Result<(Lanes, [Lanes; 2]), Fallback> {
    let mut v = [0.0; ROWS];
    let mut d = [0.0; ROWS];
    for l in 0..ROWS {
        (v[l], d[l]) = op.eval(x[l])?;
    }
    Ok((v, [d, [0.0; ROWS]]))
}

/// `accumulated += partial * adjoint` lane by lane, by the rules of [`Program::sweep`]:
/// nothing where the adjoint is 0, and 0 for a zero partial times an infinite or NaN
/// adjoint.
///
/// Where no product is NaN, every lane adds its product: a lane whose adjoint is 0 then
/// adds a zero, which leaves the sum as it is, bit for bit (a sum of adjoints is never
/// -0.0, since they start at +0.0 and x + y is -0.0 only where both are), and a lane with
/// an infinite adjoint adds what [`chain`](crate::ops::chain) gives. Else each lane
/// takes the sweep's own branches, without jumps, so that both loops are vectorised.
#[inline(always)]
fn accumulate(accumulated: &mut Lanes, partial: &Lanes, adjoint: &Lanes) {
    let mut product = [0.0; ROWS];
    let mut nan = false;
    for l in 0..ROWS {
        product[l] = partial[l] * adjoint[l];
        nan |= product[l].is_nan();
    }
    if !nan {
        for l in 0..ROWS {
            accumulated[l] += product[l];
        }
        return;
    }
    for l in 0..ROWS {
        // chain(partial, adjoint) for a non-zero adjoint: a NaN product with a zero
        // partial only arises from an infinite or NaN adjoint, where chain gives 0; for
        // a finite adjoint the sweep adds the plain product, which is this.
        let term = if product[l].is_nan() && partial[l] == 0.0 {
            0.0
        } else {
            product[l]
        };
        // Where the adjoint is 0 the sweep adds nothing: -0.0 is the exact identity of
        // addition (x + -0.0 is x, bit for bit, for every x).
        accumulated[l] += if adjoint[l] != 0.0 { term } else { -0.0 };
    }
}

impl Program {
    /// The values (of all `m` outputs, `values[r * m + k]`) or, with `gradients`, the
    /// value of output 0 (`values[r]`) and its gradient (`gradient_rows[r * n + j]`) at the `rows` points of `points` (row-major,
    /// [`Program::inputs`] numbers a row), [`ROWS`] rows a pass where the program allows.
    ///
    /// The results are those of [`Program::value_and_gradient`] (with `gradients`) or
    /// [`Program::values`] at each row, bit for bit, and so is the error: `row` is left
    /// at the row that raised it.
    #[allow(clippy::too_many_arguments)]
    pub fn rows(
        &self,
        points: &[f64],
        rows: usize,
        gradients: bool,
        values: &mut [f64],
        gradient_rows: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
        row: &mut usize,
    ) -> Result<(), ReplayError> {
        let n = self.inputs;
        let m = if gradients { 1 } else { self.outputs.len() };
        let sizes = (rows.checked_mul(n), rows.checked_mul(m));
        if sizes != (Some(points.len()), Some(values.len()))
            || gradient_rows.len() != if gradients { points.len() } else { 0 }
            || (gradients && self.outputs.is_empty())
        {
            return Err(ReplayError::Length);
        }
        let mut start = 0;
        while start < rows {
            let group = (rows - start).min(ROWS);
            *row = start;
            // A single row costs less alone than in a pass of ROWS lanes, and a batch of
            // fewer than ROWS rows does not set up the lanes' memory.
            let lanes = !self.customs && group > 1 && rows >= ROWS && self.len() <= MOST_ENTRIES;
            let done = lanes
                && self
                    .lane_pass(
                        &points[start * n..(start + group) * n],
                        group,
                        gradients,
                        &mut values[start * m..(start + group) * m],
                        &mut gradient_rows[if gradients {
                            start * n..(start + group) * n
                        } else {
                            0..0
                        }],
                        &mut scratch.lanes,
                    )
                    .is_ok();
            if !done {
                for r in start..start + group {
                    *row = r;
                    let x = &points[r * n..(r + 1) * n];
                    if gradients {
                        let g = &mut gradient_rows[r * n..(r + 1) * n];
                        values[r] = self.value_and_gradient(x, 0, g, scratch, customs)?;
                    } else {
                        let v = self.values(x, scratch, customs)?;
                        values[r * m..(r + 1) * m].copy_from_slice(&v);
                    }
                }
            }
            start += group;
        }
        *row = rows;
        Ok(())
    }

    /// One pass over `group` (1 to [`ROWS`]) rows: the forward pass in lanes and, with
    /// `gradients`, the backward sweep, the results written to `values` and
    /// `gradient_rows`; or the reason to replay these rows one at a time (nothing written).
    fn lane_pass(
        &self,
        points: &[f64],
        group: usize,
        gradients: bool,
        values: &mut [f64],
        gradient_rows: &mut [f64],
        lanes: &mut LaneScratch,
    ) -> Result<(), Fallback> {
        let (n, m) = (self.inputs, self.outputs.len());
        self.lane_forward(points, group, lanes)?;
        let value = |lanes: &LaneScratch, v: Value, l: usize| match v {
            Value::Entry(index) => lanes.values[index as usize][l],
            Value::Constant(c) => c,
        };
        if gradients {
            self.lane_sweep(lanes)?;
            for l in 0..group {
                values[l] = value(lanes, self.outputs[0], l);
                for j in 0..n {
                    gradient_rows[l * n + j] = lanes.adjoints[j][l];
                }
            }
        } else {
            for l in 0..group {
                for k in 0..m {
                    values[l * m + k] = value(lanes, self.outputs[k], l);
                }
            }
        }
        Ok(())
    }

    /// The forward pass in lanes: `points` holds `group` rows; the lanes past them
    /// repeat the group's first row.
    fn lane_forward(
        &self,
        points: &[f64],
        group: usize,
        lanes: &mut LaneScratch,
    ) -> Result<(), Fallback> {
        let (n, len) = (self.inputs, self.len());
        sized(&mut lanes.values, len)?;
        sized(&mut lanes.partials, len)?;
        for j in 0..n {
            for l in 0..ROWS {
                let r = if l < group { l } else { 0 };
                lanes.values[j][l] = points[r * n + j];
            }
        }
        let mut start = n;
        for guard in &self.guards {
            let end = (guard.position as usize).clamp(start, len);
            self.lane_segment(start..end, lanes)?;
            start = end;
            let value = |v: Value, l: usize| match v {
                Value::Entry(index) => lanes.values[index as usize][l],
                Value::Constant(c) => c,
            };
            for l in 0..ROWS {
                let outcome = guard
                    .comparison
                    .holds(value(guard.left, l), value(guard.right, l));
                if outcome != guard.outcome {
                    return Err(Fallback::Row);
                }
            }
        }
        self.lane_segment(start..len, lanes)
    }

    /// The entries of `range` (between two guards) in lanes, in the scheduled order.
    fn lane_segment(
        &self,
        range: std::ops::Range<usize>,
        lanes: &mut LaneScratch,
    ) -> Result<(), Fallback> {
        use Operands::{Both, ConstantLeft, ConstantRight};
        let LaneScratch {
            values, partials, ..
        } = lanes;
        let order = &self.order[range.start - self.inputs..range.end - self.inputs];
        for &i in order {
            let i = i as usize;
            let value = |a: u32| values[a as usize];
            let (v, p) = match self.instructions[i] {
                Instruction::Input => continue,
                Instruction::Unary(op, a) => lanes1(op, &value(a))?,
                Instruction::Add(a, b) => {
                    lanes2(&value(a), &value(b), Both, |x, y| Binary::Add.eval(x, y))?
                }
                Instruction::Sub(a, b) => {
                    lanes2(&value(a), &value(b), Both, |x, y| Binary::Sub.eval(x, y))?
                }
                Instruction::Mul(a, b) => {
                    lanes2(&value(a), &value(b), Both, |x, y| Binary::Mul.eval(x, y))?
                }
                Instruction::Div(a, b) => {
                    lanes2(&value(a), &value(b), Both, |x, y| Binary::Div.eval(x, y))?
                }
                Instruction::Binary(op, a, b) => {
                    lanes2(&value(a), &value(b), Both, |x, y| op.eval(x, y))?
                }
                Instruction::AddRight(a, c) => {
                    lanes2(&value(a), &[c; ROWS], ConstantRight, |x, y| {
                        Binary::Add.eval(x, y)
                    })?
                }
                Instruction::SubRight(a, c) => {
                    lanes2(&value(a), &[c; ROWS], ConstantRight, |x, y| {
                        Binary::Sub.eval(x, y)
                    })?
                }
                Instruction::MulRight(a, c) => {
                    lanes2(&value(a), &[c; ROWS], ConstantRight, |x, y| {
                        Binary::Mul.eval(x, y)
                    })?
                }
                Instruction::DivRight(a, c) => {
                    lanes2(&value(a), &[c; ROWS], ConstantRight, |x, y| {
                        Binary::Div.eval(x, y)
                    })?
                }
                Instruction::BinaryRight(op, a, c) => {
                    lanes2(&value(a), &[c; ROWS], ConstantRight, |x, y| op.eval(x, y))?
                }
                Instruction::AddLeft(c, b) => {
                    lanes2(&[c; ROWS], &value(b), ConstantLeft, |x, y| {
                        Binary::Add.eval(x, y)
                    })?
                }
                Instruction::SubLeft(c, b) => {
                    lanes2(&[c; ROWS], &value(b), ConstantLeft, |x, y| {
                        Binary::Sub.eval(x, y)
                    })?
                }
                Instruction::MulLeft(c, b) => {
                    lanes2(&[c; ROWS], &value(b), ConstantLeft, |x, y| {
                        Binary::Mul.eval(x, y)
                    })?
                }
                Instruction::DivLeft(c, b) => {
                    lanes2(&[c; ROWS], &value(b), ConstantLeft, |x, y| {
                        Binary::Div.eval(x, y)
                    })?
                }
                Instruction::BinaryLeft(op, c, b) => {
                    lanes2(&[c; ROWS], &value(b), ConstantLeft, |x, y| op.eval(x, y))?
                }
                // Programs with custom operations are replayed a row at a time.
                _ => return Err(Fallback::Row),
            };
            values[i] = v;
            partials[i] = p;
        }
        Ok(())
    }

    /// The backward sweep of output 0 in lanes, over the partials of a forward pass in
    /// lanes: the adjoints of every entry in `lanes.adjoints` (all 0 for a constant
    /// output), entry by entry as [`Program::sweep`] propagates them.
    fn lane_sweep(&self, lanes: &mut LaneScratch) -> Result<(), Fallback> {
        let LaneScratch {
            partials, adjoints, ..
        } = lanes;
        adjoints.clear();
        adjoints
            .try_reserve(self.len())
            .map_err(|_| Fallback::Memory)?;
        adjoints.resize(self.len(), [0.0; ROWS]);
        let Value::Entry(output) = self.outputs[0] else {
            return Ok(());
        };
        let output = output as usize;
        adjoints[output] = [1.0; ROWS];
        for i in (self.inputs.min(output + 1)..=output).rev() {
            let adjoint = adjoints[i];
            if adjoint.iter().all(|&a| a == 0.0) {
                continue;
            }
            let [pa, pb] = &partials[i];
            let [a, b] = self.operands[i];
            accumulate(&mut adjoints[a as usize], pa, &adjoint);
            if b != NO_OPERAND {
                accumulate(&mut adjoints[b as usize], pb, &adjoint);
            }
        }
        Ok(())
    }
}
