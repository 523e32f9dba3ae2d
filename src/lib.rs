//! wengert: exact derivatives by automatic differentiation.
//!
//! The engine is plain Rust: [`ops`] is the table of elementary operations and
//! the rules every mode shares (a zero times an infinity, which operand is a
//! constant, comparisons), [`trace`] the dual number of forward mode,
//! [`multi_trace`] forward mode with many tangents, [`tape`] the Wengert list and
//! backward sweep of reverse mode, and [`replay`] the re-evaluation of a recorded
//! tape at new inputs (values, gradients, Jacobians, Hessians, Taylor
//! coefficients), and [`jet`] Taylor mode as a number, without a recording; [`block`] a
//! custom operation of many inputs and outputs in the forward modes. Each module uses
//! only those listed before it. The `python` feature adds the PyO3 bindings that
//! make up the Python module `wengert._core`.
//!
//! [`functions`] lists the elementary functions Python sees (`wengert.sin`, ...): for
//! each, its operation of the table, its methods, its documentation.

pub mod block;
pub mod compile;
pub mod functions;
pub mod jet;
pub mod multi_trace;
pub mod ops;
pub mod replay;
pub mod tape;
pub mod trace;

#[cfg(feature = "python")]
mod python;
