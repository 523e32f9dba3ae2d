//! Sparse Jacobians and Hessians by compressed evaluation.
//!
//! A [`JacobianPlan`] or [`HessianPlan`] is made once per program: the pattern
//! (`sparsity.rs`), a colouring (`colouring.rs`) and how to read each nonzero back.
//! Each evaluation then costs one pass per colour instead of one per input:
//!
//! - Jacobian, forward: a tangent pass seeded with the sum of one colour's columns
//!   gives every column of that colour at the outputs; reverse: a sweep seeded at
//!   one colour's outputs gives their rows. The direction with fewer colours is
//!   chosen (on a tie, the dense [`Program::jacobian`]'s). In the dense method's
//!   direction the numbers are the dense method's bit for bit: an entry on a path to
//!   an output depends on at most one input (or output) of a colour, so no sum of the
//!   compressed pass mixes two of them.
//! - Hessian: the forward-over-reverse lanes of `second_order.rs`, lane `c` seeded
//!   with the sum of colour `c`'s inputs, then the star colouring's direct recovery;
//!   with weights, of `Σ w_k ∇²f_k` (a Lagrangian's Hessian) from one weighted sweep.

use super::colouring::{column_colouring, symmetric_colouring, Colouring};
use super::second_order::lanes_of;
use super::sparsity::{try_filled, Pattern};
use super::{filled, Customs, Program, ReplayError, Scratch, Value, LANES};
use crate::ops::chain;
use crate::tape::NO_OPERAND;

/// Which passes a sparse Jacobian takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Forward tangent passes, one per colour of columns (inputs).
    Forward,
    /// Reverse sweeps, one per colour of rows (outputs).
    Reverse,
}

/// The pattern and colouring of a program's Jacobian.
#[derive(Clone, Debug)]
pub struct JacobianPlan {
    /// Outputs × inputs.
    pub pattern: Pattern,
    pub direction: Direction,
    /// Of the inputs (forward) or of the outputs (reverse).
    pub colouring: Colouring,
}

/// The pattern and symmetric colouring of a program's Hessian.
#[derive(Clone, Debug)]
pub struct HessianPlan {
    /// Inputs × inputs, symmetric.
    pub pattern: Pattern,
    pub colouring: Colouring,
    /// For each nonzero, its place in the compressed product (n × colours).
    recovery: Vec<usize>,
}

impl JacobianPlan {
    /// The length of the compressed Jacobian: outputs × colours (forward), or inputs ×
    /// colours (reverse), row-major.
    pub fn compressed_len(&self) -> usize {
        let rows = match self.direction {
            Direction::Forward => self.pattern.rows,
            Direction::Reverse => self.pattern.cols,
        };
        rows * self.colouring.count
    }

    /// The nonzeros, in the order of the pattern, from the compressed Jacobian.
    pub fn recover(&self, compressed: &[f64], values: &mut [f64]) {
        let pattern = &self.pattern;
        let count = self.colouring.count;
        let colour = |k: u32| self.colouring.colours[k as usize] as usize;
        for k in 0..pattern.rows {
            let range = pattern.indptr[k]..pattern.indptr[k + 1];
            for (value, &j) in values[range.clone()]
                .iter_mut()
                .zip(&pattern.indices[range])
            {
                *value = match self.direction {
                    Direction::Forward => compressed[k * count + colour(j)],
                    Direction::Reverse => compressed[j as usize * count + colour(k as u32)],
                };
            }
        }
    }
}

impl HessianPlan {
    /// The directions of a pass of Hessian-vector products (as many as the colours
    /// need, a pass costing its lanes, [`LANES`] at most) and how many passes.
    pub fn passes(&self) -> (usize, usize) {
        match self.colouring.count {
            0 => (1, 0),
            count @ 1..=4 => (count, 1),
            count => (LANES, count.div_ceil(LANES)),
        }
    }

    /// The lane of pass `pass` that input `j` is seeded in (with 1), if any: lane `l`
    /// of the pass carries the sum of the inputs of colour `pass · lanes + l`.
    pub fn lane(&self, pass: usize, j: usize) -> Option<usize> {
        let (lanes, _) = self.passes();
        let c = self.colouring.colours[j] as usize;
        (c / lanes == pass).then_some(c % lanes)
    }

    /// Stores lane `l` of pass `pass`'s product at input `row`, `get(row, l)`, in
    /// `compressed` (n × colours, row-major).
    pub fn gather(&self, pass: usize, get: &dyn Fn(usize, usize) -> f64, compressed: &mut [f64]) {
        let (lanes, _) = self.passes();
        let count = self.colouring.count;
        let start = pass * lanes;
        for row in 0..self.pattern.rows {
            for l in 0..lanes.min(count - start) {
                compressed[row * count + start + l] = get(row, l);
            }
        }
    }

    /// The nonzeros, in the order of the pattern, from the compressed products.
    pub fn recover(&self, compressed: &[f64], values: &mut [f64]) {
        for (value, &at) in values.iter_mut().zip(&self.recovery) {
            *value = compressed[at];
        }
    }
}

impl Program {
    /// The adjoints seeded for a reverse pass of a sparse Jacobian: 1 at the entry of
    /// each output of colour `c`. Returns one past the last entry seeded.
    pub fn seed_colour(&self, plan: &JacobianPlan, c: usize, adjoints: &mut [f64]) -> usize {
        let mut end = 0;
        for (k, output) in self.outputs.iter().enumerate() {
            if let (Value::Entry(index), true) = (*output, plan.colouring.colours[k] as usize == c)
            {
                adjoints[index as usize] = 1.0;
                end = end.max(index as usize + 1);
            }
        }
        end
    }

    /// The adjoints of `Σ weights[k] · output_k` seeded: each output's weight added at
    /// its entry, in the outputs' order. Returns one past the last entry seeded.
    pub fn seed_weights(&self, weights: &[f64], adjoints: &mut [f64]) -> usize {
        let mut end = 0;
        for (output, &w) in self.outputs.iter().zip(weights) {
            if let Value::Entry(index) = *output {
                adjoints[index as usize] += w;
                end = end.max(index as usize + 1);
            }
        }
        end
    }

    /// The Jacobian's pattern and the colouring of the direction that needs fewer passes.
    pub fn jacobian_plan(&self) -> Result<JacobianPlan, ReplayError> {
        let pattern = self.jacobian_pattern()?;
        let transposed = pattern.transpose()?;
        let dense_forward = self.inputs < self.outputs.len();
        // Colouring the columns costs the sum of the squared row lengths, and each row's
        // length is a lower bound on the colours the columns need (a dense row: one per
        // column); likewise for the rows. The cheaper direction is coloured first, and
        // the other only where its bound leaves it a chance to need fewer colours (or as
        // few, in the dense method's direction, at no more than twice the work). So a
        // gradient's 1 x n pattern is never coloured by columns, which would cost n².
        let work = |p: &Pattern| (0..p.rows).map(|r| p.row(r).len().pow(2)).sum::<usize>();
        let bound = |p: &Pattern| (0..p.rows).map(|r| p.row(r).len()).max().unwrap_or(0);
        let (work_columns, work_rows) = (work(&pattern), work(&transposed));
        let worth = |bound: usize, count: usize, preferred: bool, work: usize, first: usize| {
            bound < count || bound == count && preferred && work <= 2 * first.max(1)
        };
        let (columns, rows) = if work_columns <= work_rows {
            let columns = column_colouring(&pattern, &transposed)?;
            let second = worth(
                bound(&transposed),
                columns.count,
                !dense_forward,
                work_rows,
                work_columns,
            );
            let rows = if second {
                Some(column_colouring(&transposed, &pattern)?)
            } else {
                None
            };
            (Some(columns), rows)
        } else {
            let rows = column_colouring(&transposed, &pattern)?;
            let second = worth(
                bound(&pattern),
                rows.count,
                dense_forward,
                work_columns,
                work_rows,
            );
            let columns = if second {
                Some(column_colouring(&pattern, &transposed)?)
            } else {
                None
            };
            (columns, Some(rows))
        };
        let forward = match (&columns, &rows) {
            (Some(c), Some(r)) => c.count < r.count || c.count == r.count && dense_forward,
            (Some(_), None) => true,
            _ => false,
        };
        Ok(if forward {
            JacobianPlan {
                pattern,
                direction: Direction::Forward,
                colouring: columns.unwrap_or_default(),
            }
        } else {
            JacobianPlan {
                pattern,
                direction: Direction::Reverse,
                colouring: rows.unwrap_or_default(),
            }
        })
    }

    /// The Hessian's pattern (of every output: see [`Program::hessian_pattern`]) and
    /// its star colouring.
    pub fn hessian_plan(&self) -> Result<HessianPlan, ReplayError> {
        let pattern = self.hessian_pattern()?;
        let (colouring, recovery) = symmetric_colouring(&pattern)?;
        Ok(HessianPlan {
            pattern,
            colouring,
            recovery,
        })
    }

    /// The outputs' values at `x`, and the Jacobian's nonzeros in `values`, in the
    /// order of `plan.pattern`.
    pub fn sparse_jacobian(
        &self,
        plan: &JacobianPlan,
        x: &[f64],
        values: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<Vec<f64>, ReplayError> {
        let (n, m) = (self.inputs, self.outputs.len());
        let pattern = &plan.pattern;
        if values.len() != pattern.nnz() || pattern.rows != m || pattern.cols != n {
            return Err(ReplayError::Length);
        }
        self.forward(x, scratch, customs, false)?;
        let count = plan.colouring.count;
        let colours = &plan.colouring.colours;
        let mut compressed = try_filled(plan.compressed_len(), 0.0)?;
        match plan.direction {
            Direction::Forward => {
                for c in 0..count {
                    self.seeded_tangent_pass(scratch, |j| colours[j] as usize == c)?;
                    for (k, output) in self.outputs.iter().enumerate() {
                        compressed[k * count + c] = match *output {
                            Value::Entry(index) => scratch.adjoints[index as usize],
                            Value::Constant(_) => 0.0,
                        };
                    }
                }
            }
            Direction::Reverse => {
                for c in 0..count {
                    filled(&mut scratch.adjoints, self.len(), 0.0)?;
                    let end = self.seed_colour(plan, c, &mut scratch.adjoints);
                    self.sweep(
                        &scratch.entries[..end],
                        &mut scratch.adjoints,
                        &scratch.block_partials,
                    );
                    for j in 0..n {
                        compressed[j * count + c] = scratch.adjoints[j];
                    }
                }
            }
        }
        plan.recover(&compressed, values);
        Ok((0..m).map(|k| self.output_value(scratch, k)).collect())
    }

    /// After a forward pass: the derivatives of every entry along the sum of the inputs
    /// `seeded` picks, in `scratch.adjoints` (as [`Program::jacobian`]'s tangent passes).
    fn seeded_tangent_pass(
        &self,
        scratch: &mut Scratch,
        seeded: impl Fn(usize) -> bool,
    ) -> Result<(), ReplayError> {
        filled(&mut scratch.adjoints, self.len(), 0.0)?;
        let tangents = &mut scratch.adjoints[..];
        for (j, t) in tangents[..self.inputs].iter_mut().enumerate() {
            if seeded(j) {
                *t = 1.0;
            }
        }
        for (i, entry) in scratch.entries.iter().enumerate().skip(self.inputs) {
            let [a, b] = entry.operands;
            if a == NO_OPERAND {
                if let Some(output) = self.block_output(i) {
                    tangents[i] = self.block_tangent(output, tangents, &scratch.block_partials);
                }
                continue;
            }
            let mut t = chain(entry.partials[0], tangents[a as usize]);
            if b != NO_OPERAND {
                t += chain(entry.partials[1], tangents[b as usize]);
            }
            tangents[i] = t;
        }
        Ok(())
    }

    /// The nonzeros of `Σ weights[k] · ∇²output_k` at `x` in `values`, in the order
    /// of `plan.pattern`; `weights` has one number per output.
    pub fn sparse_hessian(
        &self,
        plan: &HessianPlan,
        x: &[f64],
        weights: &[f64],
        values: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<(), ReplayError> {
        let n = self.inputs;
        let pattern = &plan.pattern;
        if weights.len() != self.outputs.len() || values.len() != pattern.nnz() || pattern.rows != n
        {
            return Err(ReplayError::Length);
        }
        self.forward(x, scratch, customs, true)?;
        // One weighted sweep: the adjoints every direction shares.
        filled(&mut scratch.adjoints, self.len(), 0.0)?;
        let end = self.seed_weights(weights, &mut scratch.adjoints);
        self.sweep(
            &scratch.entries[..end],
            &mut scratch.adjoints,
            &scratch.block_partials,
        );
        if let Some(&entry) = scratch
            .missing_seconds
            .iter()
            .find(|&&entry| scratch.adjoints[entry] != 0.0)
        {
            return Err(ReplayError::NoSecondDerivative { entry });
        }
        let mut compressed = try_filled(n * plan.colouring.count, 0.0)?;
        let (lanes, passes) = plan.passes();
        for pass in 0..passes {
            match lanes {
                1 => self.colour_lanes::<1>(plan, end, pass, &mut compressed, scratch)?,
                2 => self.colour_lanes::<2>(plan, end, pass, &mut compressed, scratch)?,
                3 => self.colour_lanes::<3>(plan, end, pass, &mut compressed, scratch)?,
                4 => self.colour_lanes::<4>(plan, end, pass, &mut compressed, scratch)?,
                _ => self.colour_lanes::<LANES>(plan, end, pass, &mut compressed, scratch)?,
            }
        }
        plan.recover(&compressed, values);
        Ok(())
    }

    /// Pass `pass` of the plan's Hessian-vector products, `L` lanes (see
    /// [`HessianPlan::lane`]), into `compressed`. Needs the forward pass with second
    /// derivatives and the sweep.
    fn colour_lanes<const L: usize>(
        &self,
        plan: &HessianPlan,
        end: usize,
        pass: usize,
        compressed: &mut [f64],
        scratch: &mut Scratch,
    ) -> Result<(), ReplayError> {
        self.hessian_lanes::<L>(end, scratch, |t| {
            for (j, lane) in t.iter_mut().enumerate() {
                if let Some(l) = plan.lane(pass, j) {
                    lane[l] = 1.0;
                }
            }
        })?;
        let products = lanes_of::<L>(&scratch.adjoint_tangents);
        plan.gather(pass, &|row, l| products[row][l], compressed);
        Ok(())
    }
}
