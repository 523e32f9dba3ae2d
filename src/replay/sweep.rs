//! Reverse and forward sweeps over the partials of a forward pass: gradients and
//! Jacobians.

use super::{filled, Customs, Program, ReplayError, Scratch, Value};
use crate::ops::chain;
use crate::tape::{Entry, NO_OPERAND};

impl Program {
    /// After a forward pass: the adjoints of every entry for output `k` in
    /// `scratch.adjoints` (all 0 for a constant output).
    pub(super) fn sweep_output(&self, scratch: &mut Scratch, k: usize) -> Result<(), ReplayError> {
        let len = self.len();
        let Some(&output) = self.outputs.get(k) else {
            return Err(ReplayError::Length);
        };
        filled(&mut scratch.adjoints, len, 0.0)?;
        if let Value::Entry(output) = output {
            let output = output as usize;
            scratch.adjoints[output] = 1.0;
            let entries = &scratch.entries[..=output];
            self.sweep(entries, &mut scratch.adjoints, &scratch.block_partials);
        }
        Ok(())
    }

    /// The backward sweep over `entries` (this program's, with their partials at a point),
    /// propagating `adjoints` (one per entry) from the last entry down to the inputs.
    ///
    /// The rules of [`crate::tape`]'s sweep: an entry whose adjoint is 0 is skipped (it
    /// is on no path to the output, and its partials may be infinite), and where the
    /// adjoint is not finite a zero partial contributes 0 ([`chain`]). The same sums in
    /// the same order as there, so the same bits; but no operation here is on an
    /// input, which the program puts first, and [`Program::new`] checked every operand,
    /// so the loop tests neither.
    ///
    /// An output of a block (with no operand here) sends its adjoint to the block's
    /// inputs by the block's partials, `block_partials` (`blocks.rs`).
    pub(super) fn sweep(&self, entries: &[Entry], adjoints: &mut [f64], block_partials: &[f64]) {
        let end = entries.len().min(adjoints.len()).min(self.len());
        for i in (self.inputs.min(end)..end).rev() {
            let adjoint = adjoints[i];
            if adjoint == 0.0 {
                continue;
            }
            let [pa, pb] = entries[i].partials;
            let [a, b] = self.operands[i];
            if a == NO_OPERAND {
                if let Some(output) = self.block_output(i) {
                    self.sweep_block(output, adjoint, adjoints, block_partials);
                }
                continue;
            }
            // SAFETY: Program::new checked that the operands of entry i are entries
            // before i (the second may be NO_OPERAND, tested below), and i < end <=
            // adjoints.len().
            let adjoint_of = |adjoints: &mut [f64], k: u32| unsafe {
                &mut *adjoints.as_mut_ptr().add(k as usize)
            };
            if adjoint.is_finite() {
                *adjoint_of(adjoints, a) += pa * adjoint;
                if b != NO_OPERAND {
                    *adjoint_of(adjoints, b) += pb * adjoint;
                }
            } else {
                *adjoint_of(adjoints, a) += chain(pa, adjoint);
                if b != NO_OPERAND {
                    *adjoint_of(adjoints, b) += chain(pb, adjoint);
                }
            }
        }
    }

    /// The value of output `k` at `x` and its gradient, written into `gradient`
    /// (which has [`Program::inputs`] elements).
    pub fn value_and_gradient(
        &self,
        x: &[f64],
        k: usize,
        gradient: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<f64, ReplayError> {
        if gradient.len() != self.inputs {
            return Err(ReplayError::Length);
        }
        self.forward(x, scratch, customs, false)?;
        self.sweep_output(scratch, k)?;
        gradient.copy_from_slice(&scratch.adjoints[..self.inputs]);
        Ok(self.output_value(scratch, k))
    }

    /// The outputs' values and the Jacobian at `x`, row-major: `jacobian[k * n + j]`
    /// is ∂output_k/∂x_j. One sweep per output, or one forward tangent pass per
    /// input when there are fewer inputs than outputs.
    pub fn jacobian(
        &self,
        x: &[f64],
        jacobian: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<Vec<f64>, ReplayError> {
        let (n, m) = (self.inputs, self.outputs.len());
        if jacobian.len() != m * n {
            return Err(ReplayError::Length);
        }
        self.forward(x, scratch, customs, false)?;
        if n < m {
            for j in 0..n {
                self.tangent_pass(scratch, j)?;
                for k in 0..m {
                    jacobian[k * n + j] = match self.outputs[k] {
                        Value::Entry(index) => scratch.adjoints[index as usize],
                        Value::Constant(_) => 0.0,
                    };
                }
            }
        } else {
            for k in 0..m {
                self.sweep_output(scratch, k)?;
                jacobian[k * n..(k + 1) * n].copy_from_slice(&scratch.adjoints[..n]);
            }
        }
        Ok((0..m).map(|k| self.output_value(scratch, k)).collect())
    }

    /// After a forward pass: the derivatives of every entry along input `j`, in
    /// `scratch.adjoints` (forward mode, with Trace's rule for 0 times infinity).
    fn tangent_pass(&self, scratch: &mut Scratch, j: usize) -> Result<(), ReplayError> {
        filled(&mut scratch.adjoints, self.len(), 0.0)?;
        let tangents = &mut scratch.adjoints[..];
        tangents[j] = 1.0;
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
}
