//! The Python class `Jet`: Taylor mode without a recording, and the check of an order
//! of derivatives that `Jet` and `Recording.taylor` share.

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyMemoryError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyType};

use super::errors::MixedModesError;
use super::input::{is_bool, read_numbers, type_name};
use super::number::{
    custom_operand, float_str, mixed, number_methods, other_operand, CustomOperand, NumberClass,
    Other, UnaryFunctions,
};
use crate::jet::{Jet, JetError};
use crate::ops::{Binary, Unary};

/// The largest order of derivatives: past it `k!` overflows a float64.
pub(crate) const MAX_ORDER: usize = 170;

/// An order of derivatives: an int (or numpy integer) from 0 to [`MAX_ORDER`].
pub(crate) fn order_argument(order: &Bound<'_, PyAny>, what: &str) -> PyResult<usize> {
    let not_int = || {
        PyTypeError::new_err(format!(
            "{what}: order must be an int (how many derivatives), not {}",
            type_name(order)
        ))
    };
    if is_bool(order) || !order.hasattr("__index__")? {
        return Err(not_int());
    }
    let index = order.call_method0("__index__").map_err(|_| not_int())?;
    match index.extract::<i64>() {
        Ok(k) if (0..=MAX_ORDER as i64).contains(&k) => Ok(k as usize),
        _ => Err(PyValueError::new_err(format!(
            "{what}: order must be from 0 to {MAX_ORDER} (derivatives of higher orders \
             overflow a float64 through k!), not {index}"
        ))),
    }
}

/// The MixedModesError for a Jet combined with a value of class `other` (or the other
/// way round).
pub(crate) fn mixed_with_jet(other: &str) -> PyErr {
    MixedModesError::new_err(format!(
        "a Jet (Taylor mode) cannot be combined with a {other}: use Jets throughout, with the \
         input from Jet.variable(x, order) and plain floats (or Jet.constant(c, order)) for \
         constants"
    ))
}

impl From<JetError> for PyErr {
    fn from(error: JetError) -> PyErr {
        match error {
            JetError::Math(error) => error.into(),
            JetError::OrderMismatch(left, right) => PyValueError::new_err(format!(
                "these Jets have different orders ({left} and {right}) and cannot be combined: \
                 make the input with Jet.variable(x, order) and constants with \
                 Jet.constant(c, order) of the same order, or use plain floats for constants"
            )),
            JetError::NoTaylorRule(order) => PyValueError::new_err(format!(
                "a custom function (unary() or binary()) is given by its first derivatives (and \
                 at most its second), and this Jet of order {order} needs its derivatives to \
                 order {order}: write the function with wengert's operations instead, or use a \
                 Jet of order 1 (or of order 2, giving unary() its d2fx_dx2 or binary() its \
                 d2fxy)"
            )),
            JetError::NoBlockRule(order) => PyValueError::new_err(format!(
                "a custom operation of wengert.custom(f, jacobian, hessian) is given by its \
                 Jacobian and at most its Hessian, and these Jets of order {order} need its \
                 derivatives to order {order}: {}",
                if order == 2 {
                    "give wengert.custom its hessian, or use Jets of order 1"
                } else {
                    "give wengert.custom its hessian and higher=(the third derivatives, ...) \
                     up to that order, use Jets of order 1 (or 2, with the hessian), or write \
                     the function with wengert's operations"
                }
            )),
            JetError::OutOfMemory => {
                PyMemoryError::new_err("out of memory for the coefficients of a Jet")
            }
            JetError::Length => pyo3::exceptions::PyRuntimeError::new_err(
                "a Jet's Taylor rule was given series of different lengths: this is a bug in \
                 wengert, please report it",
            ),
        }
    }
}

/// A number with the Taylor coefficients of its value along one direction, to a fixed
/// order: Taylor mode, the derivatives of every order up to it in one forward pass.
///
/// `Jet.variable(x, order)` is `x + t`; the result of any computation on it holds
/// `f(x + t)` as a polynomial in `t`: `.coefficients[k]` is `f⁽ᵏ⁾(x) / k!` and
/// `.derivatives[k]` is `f⁽ᵏ⁾(x)`. Coefficient 1 is what a Trace gives, bit for bit.
///
/// >>> import wengert
/// >>> x = Jet.variable(0.0, 4)
/// >>> wengert.exp(x * 2.0).derivatives.tolist()
/// [1.0, 2.0, 4.0, 8.0, 16.0]
#[pyclass(name = "Jet", module = "wengert._core", frozen, freelist = 256)]
pub struct PyJet(pub Jet);

impl PyJet {
    #[inline(always)]
    pub(crate) fn wrap(py: Python<'_>, result: Result<Jet, JetError>) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, PyJet(result?))?.into_any())
    }
}

/// `values` as a new float64 numpy array.
pub(crate) fn array<'py>(py: Python<'py>, values: &[f64]) -> PyResult<Bound<'py, PyAny>> {
    static EMPTY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let empty = EMPTY.get_or_try_init(py, || {
        PyResult::Ok(py.import("numpy")?.getattr("empty")?.unbind())
    })?;
    let array = empty.bind(py).call1((values.len(),))?;
    PyBuffer::<f64>::get(&array)?.copy_from_slice(py, values)?;
    Ok(array)
}

impl NumberClass for PyJet {
    const KIND: &'static str = "Jet";

    #[inline(always)]
    fn value(&self) -> f64 {
        self.0.number()
    }

    fn apply_unary_to(py: Python<'_>, this: &Self, op: Unary) -> PyResult<Py<PyAny>> {
        Self::wrap(py, this.0.unary(op))
    }

    fn apply_binary(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        op: Binary,
        reflected: bool,
    ) -> PyResult<Py<PyAny>> {
        let this = &slf.get().0;
        let result = match other_operand::<Self>(other)? {
            Other::Same(other) if reflected => other.get().0.binary(op, this),
            Other::Same(other) => this.binary(op, &other.get().0),
            Other::Constant(c) if reflected => this.binary_const_lhs(op, c),
            Other::Constant(c) => this.binary_const_rhs(op, c),
            Other::MixedModes(kind) => return Err(mixed::<Self>(kind)),
            Other::Unknown => return Ok(slf.py().NotImplemented()),
        };
        Self::wrap(slf.py(), result)
    }

    fn apply_step(slf: &Bound<'_, Self>, value: f64) -> PyResult<Py<PyAny>> {
        Self::wrap(slf.py(), slf.get().0.step(value))
    }

    fn apply_custom_second(
        slf: &Bound<'_, Self>,
        other: Option<&Bound<'_, PyAny>>,
        f: impl FnOnce(f64, f64) -> PyResult<(f64, [f64; 2])>,
        second: Option<&dyn Fn(f64, f64) -> PyResult<[f64; 3]>>,
    ) -> PyResult<Py<PyAny>> {
        let this = &slf.get().0;
        let (y, jet) = match other {
            None => (0.0, None),
            Some(obj) => match custom_operand::<Self>(obj, "binary()")? {
                CustomOperand::Same(other) => (other.get().0.number(), Some(&other.get().0)),
                CustomOperand::Constant(c) => (c, None),
            },
        };
        let (Some(second), true) = (second, this.needs_second(jet)) else {
            return Self::apply_custom(slf, other, f);
        };
        let (value, [dx, dy]) = f(this.number(), y)?;
        let h = second(this.number(), y)?;
        Self::wrap(slf.py(), this.apply_custom_second(jet, value, (dx, dy), h))
    }

    fn apply_unary_series(
        slf: &Bound<'_, Self>,
        functions: UnaryFunctions<'_, '_>,
    ) -> Option<PyResult<Py<PyAny>>> {
        let jet = &slf.get().0;
        if jet.order() <= 2 && functions.higher.is_empty() {
            return None; // apply_custom_second's way, as without `higher`
        }
        let needed = jet.derivatives_needed();
        let given = functions.given();
        if needed > given {
            return Some(Err(PyValueError::new_err(format!(
                "a custom function of unary() on this Jet of order {} needs its derivatives \
                 to order {needed}, and was given them to order {given}: give d2fx_dx2 and \
                 higher=(the third derivative, ...) up to order {needed}, or write the \
                 function with wengert's operations",
                jet.order()
            ))));
        }
        let result = functions.at(jet.number(), needed).and_then(|derivatives| {
            Self::wrap(slf.py(), jet.apply_unary_derivatives(&derivatives))
        });
        Some(result)
    }

    fn apply_custom(
        slf: &Bound<'_, Self>,
        other: Option<&Bound<'_, PyAny>>,
        f: impl FnOnce(f64, f64) -> PyResult<(f64, [f64; 2])>,
    ) -> PyResult<Py<PyAny>> {
        let this = &slf.get().0;
        let (y, other) = match other {
            None => (0.0, None),
            Some(obj) => match custom_operand::<Self>(obj, "binary()")? {
                CustomOperand::Same(other) => (other.get().0.number(), Some(&other.get().0)),
                CustomOperand::Constant(c) => (c, None),
            },
        };
        let (value, [dx, dy]) = f(this.number(), y)?;
        Self::wrap(slf.py(), this.apply_custom(other, value, dx, dy))
    }
}

number_methods!(PyJet {
    /// The Jet with these Taylor coefficients (`coefficients[0]` the value): of order
    /// `len(coefficients) - 1`.
    #[new]
    fn new(coefficients: &Bound<'_, PyAny>) -> PyResult<Self> {
        let values = read_numbers(coefficients, "Jet(coefficients)")?;
        if values.is_empty() || values.len() > MAX_ORDER + 1 {
            return Err(PyValueError::new_err(format!(
                "Jet(coefficients) takes from 1 to {} coefficients (the value first), not {}",
                MAX_ORDER + 1,
                values.len()
            )));
        }
        Ok(PyJet(Jet {
            coefficients: values.into_boxed_slice(),
        }))
    }

    /// The variable `x + t` to `order`: derivative 1 along the direction, the higher
    /// ones 0.
    #[staticmethod]
    fn variable(x: f64, order: &Bound<'_, PyAny>) -> PyResult<Self> {
        let order = order_argument(order, "Jet.variable(x, order)")?;
        Ok(PyJet(Jet::variable(x, order)?))
    }

    /// The constant `c` to `order`: every derivative 0.
    #[staticmethod]
    fn constant(c: f64, order: &Bound<'_, PyAny>) -> PyResult<Self> {
        let order = order_argument(order, "Jet.constant(c, order)")?;
        Ok(PyJet(Jet::constant(c, order)?))
    }

    /// The value.
    #[getter]
    fn number(&self) -> f64 {
        self.0.number()
    }

    /// The order: how many derivatives the Jet carries.
    #[getter]
    fn order(&self) -> usize {
        self.0.order()
    }

    /// The Taylor coefficients `f⁽ᵏ⁾ / k!`, `k = 0..order`: a new float64 numpy array.
    #[getter]
    fn coefficients<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        array(py, &self.0.coefficients)
    }

    /// The derivatives `f⁽ᵏ⁾`, `k = 0..order` (`k!` times the coefficients): a new
    /// float64 numpy array.
    #[getter]
    fn derivatives<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        array(py, &self.0.derivatives())
    }

    /// Pickles as `Jet(coefficients)`, the coefficients as a list of floats.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, (Bound<'py, PyList>,))> {
        let coefficients = PyList::new(slf.py(), slf.get().0.coefficients.iter())?;
        Ok((slf.get_type(), (coefficients,)))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let coefficients = self
            .0
            .coefficients
            .iter()
            .map(|&c| float_str(py, c))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(format!("Jet(coefficients=[{}])", coefficients.join(", ")))
    }
});
