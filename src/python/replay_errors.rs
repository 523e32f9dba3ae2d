//! A replay's errors as Python exceptions, told in the recorded code's terms: which
//! comparison of `f` came out differently and where (BranchChangedError), which entry
//! has no value, which custom operation failed or lacks second derivatives.

use pyo3::exceptions::{PyMemoryError, PyValueError};
use pyo3::prelude::*;

use super::errors::{math_error_in, BranchChangedError};
use super::number::float_str;
use super::record_log::{Custom, GuardText, Place};
use super::recording::PyRecording;
use crate::replay::{ReplayError, Value};

impl PyRecording {
    /// `value` as the recorded code saw it: "x[3]", "x", a constant or an entry.
    fn describe(&self, py: Python<'_>, value: Value) -> String {
        match value {
            Value::Entry(i) if (i as usize) < self.x0.len() => {
                self.form.describe_input(i as usize, self.x0.len())
            }
            Value::Entry(i) => format!("the value of entry {i}"),
            Value::Constant(c) => float_str(py, c).unwrap_or_else(|_| c.to_string()),
        }
    }

    /// The custom operation at or before `entry`: at `entry` itself, or the block whose
    /// outputs run past it (the log keeps a block at its first output).
    fn custom_at(&self, entry: usize) -> Option<&(u32, Custom, Place)> {
        self.customs.iter().rev().find(|c| c.0 as usize <= entry)
    }

    /// True when `entry` is an output of a block custom operation.
    fn in_block(&self, entry: usize) -> bool {
        matches!(self.custom_at(entry), Some((_, Custom::Block(_), _)))
    }

    /// "wengert.custom at f.py:3 in f" for the block with an output at `entry`.
    fn block_place(&self, py: Python<'_>, entry: usize) -> String {
        let place = self.custom_at(entry).map(|c| c.2.describe(py));
        format!("wengert.custom{}", place.unwrap_or_default())
    }

    /// The Python exception for a replay's error, told in the recorded code's terms:
    /// which comparison changed and where, which custom operation failed.
    pub(super) fn error(&self, py: Python<'_>, error: ReplayError, custom: Option<PyErr>) -> PyErr {
        match error {
            ReplayError::Math { entry, error } => math_error_in(
                error,
                &format!(
                    "replaying the recording at this x, entry {entry} has no value; f raises \
                     this here too, unless it catches it: then record again at this point"
                ),
            ),
            ReplayError::BranchChanged { guard } => {
                let g = self.program.guards()[guard];
                let (place, text) = match self.guard_places.get(guard) {
                    Some((place, text)) => (place.describe(py), *text),
                    None => (String::new(), GuardText::Comparison),
                };
                let left = self.describe(py, g.left);
                let comparison = match text {
                    GuardText::Comparison => format!(
                        "{left} {} {}",
                        g.comparison.symbol(),
                        self.describe(py, g.right)
                    ),
                    GuardText::Truth => format!("bool({left})"),
                    GuardText::Finite => format!(
                        "{left} is finite, as math.floor(), math.ceil() and math.trunc() need"
                    ),
                };
                BranchChangedError::new_err(format!(
                    "comparison {} of {} in the recording ({comparison}{place}) was {} when \
                     recorded and is {} at this x: f takes another branch here, which the \
                     recording does not hold. Record again at this point: wengert.record(f, x)",
                    guard + 1,
                    self.program.guards().len(),
                    if g.outcome { "True" } else { "False" },
                    if g.outcome { "False" } else { "True" },
                ))
            }
            ReplayError::Custom => custom.unwrap_or_else(|| {
                PyValueError::new_err("a custom operation of the recording failed")
            }),
            ReplayError::NoSecondDerivative { entry } if self.in_block(entry) => {
                PyValueError::new_err(format!(
                    "hessian(), hvp(), the sparse Hessian and taylor() to order 2 need second \
                     derivatives, and the custom operation of many inputs at entry {entry} \
                     ({}) has none: give wengert.custom its hessian (a function returning the \
                     m×k×k second partials), or use gradient() and jacobian()",
                    self.block_place(py, entry)
                ))
            }
            ReplayError::NoSecondDerivative { entry } => {
                let place = self
                    .customs
                    .iter()
                    .find(|c| c.0 as usize == entry)
                    .map(|c| c.2.describe(py))
                    .unwrap_or_default();
                PyValueError::new_err(format!(
                    "hessian(), hvp() and taylor() to order 2 need second derivatives, and the \
                     custom operation at entry {entry} (made with unary() or binary(){place}) \
                     has none: give them (unary(fx, dfx_dx, d2fx_dx2), or binary(..., d2fxy) \
                     with d2fxy(x, y) returning (d²f/dx², d²f/dxdy, d²f/dy²)), write that \
                     function with wengert's operations instead, or use gradient() and jacobian()"
                ))
            }
            ReplayError::NoTaylorRule { entry } if self.in_block(entry) => {
                PyValueError::new_err(format!(
                    "derivatives past the second (taylor() of order 3 or more, \
                     third_derivative(), hessian_derivative(), third_directional()) need every \
                     order of each operation, and a recording uses at most the Jacobian and \
                     the Hessian of the custom operation of many inputs at entry {entry} ({}) \
                     (its higher= derivatives serve Jets only): for higher orders, evaluate the \
                     function on wengert.Jet inputs (given its higher=), write it with \
                     wengert's operations, or use taylor() up to order 2, hessian() and hvp()",
                    self.block_place(py, entry)
                ))
            }
            ReplayError::NoTaylorRule { entry } => {
                let place = self
                    .customs
                    .iter()
                    .find(|c| c.0 as usize == entry)
                    .map(|c| c.2.describe(py))
                    .unwrap_or_default();
                PyValueError::new_err(format!(
                    "derivatives past the second (taylor() of order 3 or more, \
                     third_derivative(), hessian_derivative(), third_directional()) need every \
                     order of each operation, and a recording uses at most the first and \
                     second derivatives of the custom operation at entry {entry} (made with \
                     unary() or binary(){place}; unary()'s higher= derivatives serve Jets \
                     only): for higher orders, evaluate the function on a wengert.Jet (with \
                     unary()'s higher=), write it with wengert's operations, or use taylor() \
                     up to order 2, hessian() and hvp()"
                ))
            }
            ReplayError::OutOfMemory => {
                PyMemoryError::new_err("out of memory for replaying the recording")
            }
            // The buffers here are always of the right length.
            ReplayError::Length => PyValueError::new_err(
                "the replay was given a point or a buffer of the wrong length",
            ),
        }
    }
}
