//! What Trace, MultiTrace and Record share: the number protocol, comparisons, formatting and
//! the math methods, written once and expanded into each class by [`number_methods!`].
//!
//! Each class provides four inherent functions the expansion calls:
//! `value(&self) -> f64`, `apply_unary(slf, Unary)`, `apply_binary(slf, other,
//! Binary, reflected)` and `apply_custom(slf, other, f)` (`f` gives the value and
//! partials of a user-supplied function at the operands' numbers), plus
//! the constant `KIND` (its name in messages). Adding an operation of the table to
//! both classes is one line in the macro below.

use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat, PyInt};

use super::multi_trace::PyMultiTrace;
use super::operand::{classify, Operand};
use super::record::PyRecord;
use super::trace::PyTrace;

/// Compare two numbers as floats do; NotImplemented for anything that is not a number
/// or a value of the same kind (a Trace is compared with neither a Record nor a MultiTrace).
pub(crate) fn compare(
    py: Python<'_>,
    kind: &str,
    number: f64,
    other: &Bound<'_, PyAny>,
    op: CompareOp,
) -> PyResult<Py<PyAny>> {
    if other.is_instance_of::<PyInt>() {
        // Exactly, as float does: 2.0**53 != 2**53 + 1, and 1.0 < 10**400.
        return Ok(PyFloat::new(py, number).rich_compare(other, op)?.unbind());
    }
    let other = match classify(other)? {
        Operand::Number(x) => x,
        Operand::Trace(t) if kind == PyTrace::KIND => t.number,
        Operand::Record(r) if kind == PyRecord::KIND => r.get().value(),
        Operand::MultiTrace(m) if kind == PyMultiTrace::KIND => m.get().value(),
        _ => return Ok(py.NotImplemented()),
    };
    let result = match op {
        CompareOp::Lt => number < other,
        CompareOp::Le => number <= other,
        CompareOp::Eq => number == other,
        CompareOp::Ne => number != other,
        CompareOp::Gt => number > other,
        CompareOp::Ge => number >= other,
    };
    Ok(PyBool::new(py, result).to_owned().into_any().unbind())
}

/// `str(number)`, exactly as Python writes the float.
pub(crate) fn float_str(py: Python<'_>, number: f64) -> PyResult<String> {
    PyFloat::new(py, number).repr()?.extract()
}

/// `hash(number)`, so that a value hashes like the float it equals.
///
/// NaN equals nothing, so like a float NaN it hashes by identity (`slf`), which
/// keeps the hash of one object the same from call to call.
pub(crate) fn float_hash(slf: &Bound<'_, PyAny>, number: f64) -> PyResult<isize> {
    if number.is_nan() {
        let address = slf.as_ptr() as usize;
        return Ok(address.rotate_right(4) as isize);
    }
    PyFloat::new(slf.py(), number).hash()
}

/// `format(number, spec)`.
pub(crate) fn float_format(py: Python<'_>, number: f64, spec: &str) -> PyResult<String> {
    PyFloat::new(py, number)
        .call_method1("__format__", (spec,))?
        .extract()
}

/// Call a user's function of the operands' numbers and read back a float.
pub(crate) fn call_float<'py>(
    function: &Bound<'py, PyAny>,
    args: impl pyo3::call::PyCallArgs<'py>,
    what: &str,
) -> PyResult<f64> {
    let result = function.call1(args)?;
    if result.is_instance_of::<PyFloat>() || result.is_instance_of::<PyInt>() {
        // An int beyond float range raises OverflowError, as float(result) would.
        return result.extract::<f64>();
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "{what} must return a float, but returned {}",
        result.get_type().name()?
    )))
}

/// The TypeError for an operand that is neither a number nor of the caller's kind.
pub(crate) fn bad_operand(kind: &str, method: &str, operand: &Bound<'_, PyAny>) -> PyErr {
    let name = operand
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    pyo3::exceptions::PyTypeError::new_err(format!(
        "{method} takes a {kind}, a float or an int as its operand, not {name}"
    ))
}

/// The TypeError for `pow(x, y, modulus)`.
pub(crate) fn no_modulus(kind: &str) -> PyErr {
    pyo3::exceptions::PyTypeError::new_err(format!(
        "pow() with a modulus (three arguments) is not defined for a {kind}: use x ** y"
    ))
}

macro_rules! number_methods {
    ($class:ty { $($extra:tt)* }) => {
        #[pymethods]
        impl $class {
            $($extra)*

            /// Above numpy's scalars (-1e6) and below its arrays (0): `numpy.float32(2) * x`
            /// then leaves the operation to this class, while `array * x` stays elementwise.
            #[classattr]
            #[pyo3(name = "__array_priority__")]
            fn array_priority() -> f64 {
                -1.0
            }

            fn __add__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Add, false)
            }
            fn __radd__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Add, true)
            }
            fn __sub__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Sub, false)
            }
            fn __rsub__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Sub, true)
            }
            fn __mul__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Mul, false)
            }
            fn __rmul__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Mul, true)
            }
            fn __truediv__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Div, false)
            }
            fn __rtruediv__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Div, true)
            }
            fn __pow__(
                slf: &Bound<'_, Self>,
                other: &Bound<'_, PyAny>,
                modulo: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                if !modulo.is_none() {
                    return Err($crate::python::number::no_modulus(Self::KIND));
                }
                Self::apply_binary(slf, other, Binary::Pow, false)
            }
            fn __rpow__(
                slf: &Bound<'_, Self>,
                other: &Bound<'_, PyAny>,
                modulo: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                if !modulo.is_none() {
                    return Err($crate::python::number::no_modulus(Self::KIND));
                }
                Self::apply_binary(slf, other, Binary::Pow, true)
            }
            fn __neg__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                Self::apply_unary(slf, Unary::Neg)
            }
            fn __pos__(slf: &Bound<'_, Self>) -> Py<Self> {
                slf.clone().unbind()
            }
            fn __abs__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                Self::apply_unary(slf, Unary::Abs)
            }

            /// The sine.
            fn sin(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                Self::apply_unary(slf, Unary::Sin)
            }
            /// The cosine.
            fn cos(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                Self::apply_unary(slf, Unary::Cos)
            }
            /// e raised to this power.
            fn exp(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                Self::apply_unary(slf, Unary::Exp)
            }
            /// The natural logarithm.
            fn ln(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                Self::apply_unary(slf, Unary::Ln)
            }
            /// The square root.
            fn sqrt(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                Self::apply_unary(slf, Unary::Sqrt)
            }
            /// This number raised to `exponent`, as `self ** exponent`.
            fn pow(slf: &Bound<'_, Self>, exponent: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                let result = Self::apply_binary(slf, exponent, Binary::Pow, false)?;
                if result.is(&slf.py().NotImplemented()) {
                    return Err($crate::python::number::bad_operand(Self::KIND, "pow()", exponent));
                }
                Ok(result)
            }

            /// A custom function of one argument, given as its value and its derivative
            /// (both taking and returning floats).
            fn unary(
                slf: &Bound<'_, Self>,
                fx: &Bound<'_, PyAny>,
                dfx_dx: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                use $crate::python::number::call_float;
                Self::apply_custom(slf, None, |x, _| {
                    Ok((call_float(fx, (x,), "fx")?, [call_float(dfx_dx, (x,), "dfx_dx")?, 0.0]))
                })
            }

            /// A custom function of two arguments (`self` first), given as its value and
            /// its two partial derivatives (each taking two floats and returning a float).
            fn binary(
                slf: &Bound<'_, Self>,
                other: &Bound<'_, PyAny>,
                fxy: &Bound<'_, PyAny>,
                dfxy_dx: &Bound<'_, PyAny>,
                dfxy_dy: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                use $crate::python::number::call_float;
                Self::apply_custom(slf, Some(other), |x, y| {
                    let value = call_float(fxy, (x, y), "fxy")?;
                    let dx = call_float(dfxy_dx, (x, y), "dfxy_dx")?;
                    Ok((value, [dx, call_float(dfxy_dy, (x, y), "dfxy_dy")?]))
                })
            }

            fn __richcmp__(
                slf: &Bound<'_, Self>,
                other: &Bound<'_, PyAny>,
                op: pyo3::basic::CompareOp,
            ) -> PyResult<Py<PyAny>> {
                $crate::python::number::compare(slf.py(), Self::KIND, slf.get().value(), other, op)
            }
            fn __hash__(slf: &Bound<'_, Self>) -> PyResult<isize> {
                $crate::python::number::float_hash(slf.as_any(), slf.get().value())
            }
            /// True when the number is not 0, as for a float.
            fn __bool__(&self) -> bool {
                self.value() != 0.0
            }
            /// Always raises ImplicitConversionError: use `.number` or the wengert math functions.
            fn __float__(&self) -> PyResult<f64> {
                Err($crate::python::errors::implicit_conversion(Self::KIND, "float"))
            }
            /// Always raises ImplicitConversionError: use `.number`.
            fn __int__(&self) -> PyResult<i64> {
                Err($crate::python::errors::implicit_conversion(Self::KIND, "int"))
            }
            fn __str__(slf: &Bound<'_, Self>) -> PyResult<String> {
                $crate::python::number::float_str(slf.py(), slf.get().value())
            }
            /// Formats the number, as `format(self.number, format_spec)`.
            fn __format__(slf: &Bound<'_, Self>, format_spec: &str) -> PyResult<String> {
                $crate::python::number::float_format(slf.py(), slf.get().value(), format_spec)
            }
        }
    };
}

pub(crate) use number_methods;
