//! Replay: a recorded tape re-evaluated at new inputs, with no Python per operation.
//!
//! A [`Program`] is made once (`program.rs`) from a tape's entries and operation
//! codes (what each entry did, to which operands, with which constants), the
//! comparisons the recorded code made ([`Guard`]s) and the outputs. Replaying it at
//! a new point runs the table of [`crate::ops`] forward over the entries
//! (`forward.rs`; grouped by dependency level and kind between guards:
//! `Program::schedule`), checking every guard as soon as its operands are known,
//! then:
//!
//! - the gradient is one backward sweep, by the rules of [`crate::tape`]'s
//!   (`sweep.rs`);
//! - a Jacobian is one sweep per output, or one forward tangent pass per input
//!   when there are fewer inputs than outputs (`sweep.rs`);
//! - a Hessian is forward-over-reverse (`second_order.rs`): the second derivatives
//!   of each operation (from the table) give, for each direction `v`, the tangent
//!   of every partial derivative along `v`, and one backward sweep of those
//!   tangents gives `H·v`. Directions go [`LANES`] at a time.
//!
//! Sparse derivatives: the patterns of the Jacobian and the Hessian from the
//! program's structure (`sparsity.rs`), colourings (`colouring.rs`), and the
//! compressed passes and recovery (`compressed.rs`).
//! - Taylor mode (`taylor.rs`) carries a polynomial of any degree forward through
//!   the program: the derivatives of every order along a line.
//!
//! A batch of points is replayed several rows at a time (`lanes.rs`): a forward pass
//! and a sweep whose every entry carries [`ROWS`] lanes, with the same results as a
//! row at a time.
//!
//! Operations defined by the user (custom ones) are evaluated through the
//! [`Customs`] the caller supplies.
//!
//! A program travels as bytes: [`format`] writes it with what the caller keeps with
//! it, and reads it back with every byte checked, through [`Program::new`].

use crate::ops::Comparison;
use crate::tape::Entry;

mod blocks;
mod colouring;
mod compressed;
mod errors;
pub mod format;
mod forward;
mod lanes;
mod program;
mod second_order;
mod sparsity;
mod sweep;
mod taylor;
mod third_order;

#[cfg(test)]
mod block_tests;
#[cfg(test)]
mod format_tests;
#[cfg(test)]
mod lanes_tests;
#[cfg(test)]
mod sparse_tests;
#[cfg(test)]
pub(crate) mod test_programs;
#[cfg(test)]
mod tests;

pub use colouring::Colouring;
pub use compressed::{Direction, HessianPlan, JacobianPlan};
pub use errors::{ProgramError, ReplayError};
pub use lanes::ROWS;
pub(crate) use program::Instruction;
pub use program::Program;
pub use sparsity::Pattern;
pub use taylor::to_derivatives;

/// How many directions a Hessian pass carries at once.
pub const LANES: usize = 8;

/// A value the recorded code used: an entry of the tape or a constant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Entry(u32),
    Constant(f64),
}

/// A comparison the recorded code made, with the outcome it had.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Guard {
    /// How many entries the tape held when the comparison was made.
    pub position: u32,
    pub left: Value,
    pub comparison: Comparison,
    pub right: Value,
    pub outcome: bool,
}

/// The user's own operations, evaluated for the replay.
///
/// `entry` is the operation's index on the tape; for a custom operation of one
/// argument `y` is 0 and `∂f/∂y` is ignored; for one with a constant operand, the
/// constant is passed in its place.
pub trait Customs {
    /// The value and the partials `∂f/∂x`, `∂f/∂y` at `(x, y)`.
    fn eval(&mut self, entry: usize, x: f64, y: f64) -> Result<(f64, f64, f64), ReplayError>;
    /// `[∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²]` at `(x, y)`, or `NoSecondDerivative`.
    fn second(&mut self, entry: usize, x: f64, y: f64) -> Result<[f64; 3], ReplayError>;
    /// True when the operation is a step (`round()`): every derivative is 0, so Taylor
    /// mode takes it to any order.
    fn step(&mut self, entry: usize) -> bool {
        let _ = entry;
        false
    }
    /// A block custom operation (its first output at `entry`) at `x`: its `m` values into
    /// `values` and its `m×k` Jacobian, row-major, into `jacobian`.
    fn block(
        &mut self,
        entry: usize,
        x: &[f64],
        values: &mut [f64],
        jacobian: &mut [f64],
    ) -> Result<(), ReplayError> {
        let _ = (entry, x, values, jacobian);
        Err(ReplayError::Custom)
    }
    /// A block custom operation's second partials at `x`, `m×k×k` row-major into
    /// `hessian`, or `NoSecondDerivative`.
    fn block_second(
        &mut self,
        entry: usize,
        x: &[f64],
        hessian: &mut [f64],
    ) -> Result<(), ReplayError> {
        let _ = (x, hessian);
        Err(ReplayError::NoSecondDerivative { entry })
    }
}

/// For programs with no custom operation.
pub struct NoCustoms;

impl Customs for NoCustoms {
    fn eval(&mut self, _: usize, _: f64, _: f64) -> Result<(f64, f64, f64), ReplayError> {
        Err(ReplayError::Custom)
    }
    fn second(&mut self, entry: usize, _: f64, _: f64) -> Result<[f64; 3], ReplayError> {
        Err(ReplayError::NoSecondDerivative { entry })
    }
}

/// Working memory of a replay, kept between replays (of any program: it is set up
/// again when the program changes).
#[derive(Default)]
pub struct Scratch {
    /// The id of the program the operands in `entries` are from (0: none yet).
    program: u64,
    values: Vec<f64>,
    /// The partials at the last point replayed, with the operands, for the sweep.
    entries: Vec<Entry>,
    /// Second derivatives: `[∂²/∂a², ∂²/∂a∂b, ∂²/∂b²]` for the entry's operands a, b.
    seconds: Vec<[f64; 3]>,
    /// The custom operations whose second derivatives are unknown (NaN in `seconds`).
    missing_seconds: Vec<usize>,
    adjoints: Vec<f64>,
    /// A Hessian pass's tangents and adjoints' tangents, L lanes an entry (flat).
    tangents: Vec<f64>,
    adjoint_tangents: Vec<f64>,
    /// Taylor mode: every entry's series, and the table's working memory.
    series: Vec<f64>,
    series_work: Vec<f64>,
    /// The values and Jacobians of the block custom operations at the last point.
    block_values: Vec<f64>,
    block_partials: Vec<f64>,
    /// Their second partials (NaN where unknown), for Hessians.
    block_seconds: Vec<f64>,
    /// A batch's passes of several rows at once (`lanes.rs`).
    lanes: lanes::LaneScratch,
}

/// Resize `v` to `n` copies of `value`, reporting a failed allocation.
fn filled<T: Copy>(v: &mut Vec<T>, n: usize, value: T) -> Result<(), ReplayError> {
    v.clear();
    v.try_reserve(n).map_err(|_| ReplayError::OutOfMemory)?;
    v.resize(n, value);
    Ok(())
}
