//! Two points a pass: the same program compiled with two lanes ([`Compiled::with_lanes`]),
//! where every value, partial and adjoint is an `F64X2` vector (SSE2 on x86-64, NEON on
//! aarch64) holding the first point's number then the second's, so that the two points
//! share the dispatch, the loops' counting and the loads of constants. The code is the
//! one-lane code generator's (`forward.rs`, `sweep.rs`, with the [`Layout`] of two
//! lanes): add, subtract, multiply, divide and negate are vector instructions, IEEE in
//! each lane, so each lane has the bits the one-lane code gives; helpers are called once
//! per lane; the sweep's hot path runs when both lanes' adjoints are plain, and its cold
//! block applies the zero-adjoint and 0·∞ rules lane by lane.
//!
//! A guard failing or an entry without a value in either lane exits for the pair: the
//! caller then redoes both points one at a time (the one-lane code, then the
//! interpreter), which gives each its own result or error.
//!
//! [`Layout`]: super::layout::Layout

use super::{Compiled, Exit, NotCompiled, CHUNK, MAX_ENTRIES};
use crate::replay::Program;

/// Points a pass of the lane code.
pub const LANES: usize = 2;

impl Compiled {
    /// Compile `program` for two points a pass, or say why not (as [`Compiled::new`]).
    pub fn with_lanes(program: &Program) -> Result<Compiled, NotCompiled> {
        Self::with_chunk(program, CHUNK, MAX_ENTRIES, LANES)
    }

    /// Points a pass: 1, or [`LANES`] for code from [`Compiled::with_lanes`].
    pub fn lanes(&self) -> usize {
        self.layout.lanes()
    }

    /// The forward pass at the two points `x` into `work`.
    fn forward_pair(&self, x: [&[f64]; LANES], work: &mut Vec<f64>) -> Result<(), Exit> {
        if self.lanes() != LANES || x.iter().any(|x| x.len() != self.inputs) {
            return Err(Exit::Other);
        }
        self.reserve(work)?;
        for (lane, x) in x.iter().enumerate() {
            for (j, &v) in x.iter().enumerate() {
                work[LANES * j + lane] = v;
            }
        }
        self.run_forward(work)
    }

    /// The outputs' values at the two points `x`, into `values` (one row of outputs a
    /// point).
    pub fn values_pair(
        &self,
        x: [&[f64]; LANES],
        values: [&mut [f64]; LANES],
        work: &mut Vec<f64>,
    ) -> Result<(), Exit> {
        let m = self.outputs.len();
        if values.iter().any(|v| v.len() != m) {
            return Err(Exit::Other);
        }
        self.forward_pair(x, work)?;
        for (lane, row) in values.into_iter().enumerate() {
            for (k, v) in row.iter_mut().enumerate() {
                *v = self.lane_output(work, k, lane);
            }
        }
        Ok(())
    }

    /// The values of output `k` at the two points `x`, with their gradients written
    /// into `gradients`.
    pub fn value_and_gradient_pair(
        &self,
        x: [&[f64]; LANES],
        k: usize,
        gradients: [&mut [f64]; LANES],
        work: &mut Vec<f64>,
    ) -> Result<[f64; LANES], Exit> {
        let n = self.inputs;
        if gradients.iter().any(|g| g.len() != n) || k >= self.outputs.len() {
            return Err(Exit::Other);
        }
        self.forward_pair(x, work)?;
        self.sweep_output(work, k)?;
        let start = self.layout.adjoints_start();
        for (lane, g) in gradients.into_iter().enumerate() {
            for (j, d) in g.iter_mut().enumerate() {
                *d = work[start + LANES * j + lane];
            }
        }
        Ok([0, 1].map(|lane| self.lane_output(work, k, lane)))
    }
}
