//! The one table of elementary operations, and the rules every mode shares.
//!
//! Every operation is defined here once: its value, its partial derivatives, and
//! its second partial derivatives ([`Unary`] in `unary.rs`, [`Binary`] in
//! `binary.rs`, and in `cpython.rs` the ones that follow CPython's own rules:
//! `**`, `atan2`, `hypot`). Forward mode ([`crate::trace`], [`crate::multi_trace`]),
//! reverse mode ([`crate::tape`]) and the replay ([`crate::replay`]) all read this
//! table, and share its rules: [`chain()`] (a zero partial or tangent contributes 0,
//! even beside an infinity), [`Operands`] (which operand is a constant) and
//! [`Comparison`].
//!
//! To add a function of one argument: a variant at the end of [`Unary`], its entry
//! in [`Unary::ALL`], a `match` arm in [`Unary::eval`] (its value from the C
//! library, as Python's `math` takes it: see the `libm` block), a `match` arm in
//! [`Unary::second`] (its second derivative), and tests in `tests/` (its sampling
//! interval in `unary_samples`); then one line in the list of [`crate::functions`]
//! (which makes its methods, `wengert.<name>` and its name on the command line), and
//! the stubs regenerated with `scripts/generate_stubs.py`. A function of two arguments
//! likewise:
//! [`Binary`], [`Binary::ALL`], arms in [`Binary::eval`] and [`Binary::second`],
//! and the tests' `binary_sample`.
//!
//! Values follow Python's `float` and `math` module: where they raise (division
//! by zero, `math.log(0)`, `math.sqrt(-1)`, overflow of `exp` or `**`), the
//! operation returns a [`MathError`] of the kind Python would raise.

use std::fmt;

mod binary;
mod chain;
mod comparison;
mod cpython;
mod taylor;
mod unary;

#[cfg(test)]
mod tests;

pub use binary::{Binary, Operands};
pub use chain::chain;
pub use comparison::Comparison;
pub use taylor::{TaylorError, SCRATCH as TAYLOR_SCRATCH};
pub use unary::Unary;

/// Why an operation has no real value, named after the Python exception it becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathError {
    /// Python raises `ZeroDivisionError`.
    ZeroDivision(&'static str),
    /// Python raises `ValueError` (a math domain error).
    Domain(&'static str),
    /// Python raises `OverflowError`.
    Overflow(&'static str),
}

impl fmt::Display for MathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MathError::ZeroDivision(m) | MathError::Domain(m) | MathError::Overflow(m) => {
                f.write_str(m)
            }
        }
    }
}
