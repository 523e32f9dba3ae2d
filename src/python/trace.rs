//! The Python class `Trace`: forward mode.

use pyo3::prelude::*;
use pyo3::types::PyType;

use super::number::{
    custom_operand, float_str, mixed, number_methods, other_operand, CustomOperand, NumberClass,
    Other,
};
use crate::ops::{Binary, MathError, Unary};
use crate::trace::Trace;

/// A dual number `number + derivative·ε`: forward-mode automatic differentiation.
///
/// >>> x = Trace.variable(3.0)
/// >>> y = x * x + 2.0 * x
/// >>> (y.number, y.derivative)
/// (15.0, 8.0)
#[pyclass(name = "Trace", module = "wengert._core", frozen)]
pub struct PyTrace(pub Trace);

impl PyTrace {
    #[inline(always)]
    fn wrap(py: Python<'_>, trace: Trace) -> PyResult<Py<PyAny>> {
        super::slots::new_object(py, PyTrace(trace))
    }

    /// What the engine gave, as a Python value or the math error Python would raise.
    #[inline(always)]
    pub(crate) fn from_engine(
        py: Python<'_>,
        result: Result<Trace, MathError>,
    ) -> PyResult<Py<PyAny>> {
        Self::wrap(py, result?)
    }
}

impl NumberClass for PyTrace {
    const KIND: &'static str = "Trace";

    #[inline(always)]
    fn value(&self) -> f64 {
        self.0.number
    }

    #[inline(always)]
    fn apply_unary_to(py: Python<'_>, this: &PyTrace, op: Unary) -> PyResult<Py<PyAny>> {
        Self::from_engine(py, this.0.unary(op))
    }

    #[inline(always)]
    fn apply_binary(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        op: Binary,
        reflected: bool,
    ) -> PyResult<Py<PyAny>> {
        let this = slf.get().0;
        let result = match other_operand::<Self>(other)? {
            Other::Same(other) if reflected => other.get().0.binary(op, this),
            Other::Same(other) => this.binary(op, other.get().0),
            Other::Constant(c) if reflected => this.binary_const_lhs(op, c),
            Other::Constant(c) => this.binary_const_rhs(op, c),
            Other::MixedModes(kind) => return Err(mixed::<Self>(kind)),
            Other::Unknown => return Ok(slf.py().NotImplemented()),
        };
        Self::from_engine(slf.py(), result)
    }

    fn apply_custom(
        slf: &Bound<'_, Self>,
        other: Option<&Bound<'_, PyAny>>,
        f: impl FnOnce(f64, f64) -> PyResult<(f64, [f64; 2])>,
    ) -> PyResult<Py<PyAny>> {
        let this = slf.get().0;
        let other = match other {
            None => Trace::constant(0.0),
            Some(obj) => match custom_operand::<Self>(obj, "binary()")? {
                CustomOperand::Same(t) => t.get().0,
                CustomOperand::Constant(c) => Trace::constant(c),
            },
        };
        let (value, [dx, dy]) = f(this.number, other.number)?;
        Self::wrap(slf.py(), this.apply_binary(other, value, dx, dy))
    }
}

number_methods!(PyTrace {
    #[new]
    #[pyo3(signature = (number, derivative = 0.0))]
    fn new(number: f64, derivative: f64) -> Self {
        PyTrace(Trace { number, derivative })
    }

    /// A Trace with derivative 0: a value that does not vary.
    #[staticmethod]
    fn constant(number: f64) -> Self {
        PyTrace(Trace::constant(number))
    }

    /// A Trace with derivative 1: the input to differentiate with respect to.
    #[staticmethod]
    fn variable(number: f64) -> Self {
        PyTrace(Trace::variable(number))
    }

    /// The value.
    #[getter]
    fn number(&self) -> f64 {
        self.0.number
    }

    /// The derivative of the value with respect to the chosen input.
    #[getter]
    fn derivative(&self) -> f64 {
        self.0.derivative
    }

    /// Pickles as `Trace(number, derivative)`.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> (Bound<'py, PyType>, (f64, f64)) {
        let this = slf.get().0;
        (slf.get_type(), (this.number, this.derivative))
    }


    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Trace(number={}, derivative={})",
            float_str(py, self.0.number)?,
            float_str(py, self.0.derivative)?
        ))
    }
});
