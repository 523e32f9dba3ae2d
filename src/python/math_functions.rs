//! The generic math functions of `wengert` (`sin`, `exp`, ...) at native speed.
//!
//! Each is defined in `python/wengert/real.py`, with its types and its handling of
//! every kind of argument. The function exported under the same name is this native
//! one: a Trace, a MultiTrace or a Record goes to the operation of the table, and a
//! float whose value exists to the table's value (the one `math` gives, bit for bit);
//! everything else (ints, other number types, bad arguments, and floats where
//! `math` raises) goes to the definition in `real.py`. So the behaviour is that of
//! `real.py` in every case, and only the time differs.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyFloat};

use super::multi_trace::PyMultiTrace;
use super::record::PyRecord;
use super::trace::PyTrace;
use crate::ops::Unary;

/// `f(x)` for the operation `op`, or the definition `name` of `real.py`.
#[inline(always)]
fn dispatch(x: &Bound<'_, PyAny>, op: Unary, name: &str) -> PyResult<Py<PyAny>> {
    let py = x.py();
    if x.is_exact_instance_of::<PyFloat>() {
        // SAFETY: the type was checked on the line above.
        let number = unsafe { x.cast_unchecked::<PyFloat>() }.value();
        if let Ok((value, _)) = op.eval(number) {
            return Ok(PyFloat::new(py, value).into_any().unbind());
        }
    } else if x.is_exact_instance_of::<PyTrace>() {
        // SAFETY: as above.
        return PyTrace::apply_unary(unsafe { x.cast_unchecked() }, op);
    } else if x.is_exact_instance_of::<PyRecord>() {
        // SAFETY: as above.
        return PyRecord::apply_unary(unsafe { x.cast_unchecked() }, op);
    } else if x.is_exact_instance_of::<PyMultiTrace>() {
        // SAFETY: as above.
        return PyMultiTrace::apply_unary(unsafe { x.cast_unchecked() }, op);
    }
    definitions(py)?
        .get_item(name)?
        .ok_or_else(|| pyo3::exceptions::PyLookupError::new_err(name.to_string()))?
        .call1((x,))
        .map(Bound::unbind)
}

/// `wengert.real._DEFINITIONS`: the Python definitions by name.
fn definitions(py: Python<'_>) -> PyResult<&Bound<'_, PyDict>> {
    static DEFINITIONS: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
    DEFINITIONS
        .get_or_try_init(py, || {
            let module = py.import("wengert.real")?;
            Ok::<_, PyErr>(
                module
                    .getattr("_DEFINITIONS")?
                    .cast_into::<PyDict>()?
                    .unbind(),
            )
        })
        .map(|d| d.bind(py))
}

macro_rules! helpers {
    ($($name:ident => $op:ident, $doc:literal;)*) => {
        $(
            #[doc = $doc]
            #[doc = ""]
            #[doc = "Takes a float or an int (giving a float, as `math` does), a Trace, a \
                     MultiTrace or a Record (giving the same kind)."]
            #[pyfunction]
            #[pyo3(signature = (x))]
            fn $name(x: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                dispatch(x, Unary::$op, stringify!($name))
            }
        )*

        /// Put the functions on the module, each as `_name` (private: `real.py` exports them).
        pub(crate) fn add(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(
                let f = wrap_pyfunction!($name, m)?;
                // `wengert.sin` is this function: say so, so that pickle finds it there.
                f.setattr("__module__", "wengert")?;
                m.setattr(concat!("_", stringify!($name)), f)?;
            )*
            Ok(())
        }
    };
}

helpers! {
    sin => Sin, "The sine.";
    cos => Cos, "The cosine.";
    tan => Tan, "The tangent.";
    asin => Asin, "The arc sine, in [-π/2, π/2]; ``x`` must be in [-1, 1].";
    acos => Acos, "The arc cosine, in [0, π]; ``x`` must be in [-1, 1].";
    atan => Atan, "The arc tangent, in [-π/2, π/2].";
    sinh => Sinh, "The hyperbolic sine.";
    cosh => Cosh, "The hyperbolic cosine.";
    tanh => Tanh, "The hyperbolic tangent.";
    asinh => Asinh, "The inverse hyperbolic sine.";
    acosh => Acosh, "The inverse hyperbolic cosine; ``x`` must be at least 1.";
    atanh => Atanh, "The inverse hyperbolic tangent; ``x`` must be strictly between -1 and 1.";
    exp => Exp, "e raised to the power ``x``.";
    exp2 => Exp2, "2 raised to the power ``x``.";
    expm1 => Expm1, "``exp(x) - 1``, accurate near 0.";
    ln => Ln, "The natural logarithm.";
    log2 => Log2, "The base-2 logarithm.";
    log10 => Log10, "The base-10 logarithm.";
    log1p => Log1p, "``ln(1 + x)``, accurate near 0.";
    sqrt => Sqrt, "The square root.";
    cbrt => Cbrt, "The cube root (negative for a negative ``x``).";
    erf => Erf, "The error function.";
    erfc => Erfc, "The complementary error function ``1 - erf(x)``, accurate for large ``x``.";
    floor => Floor, "The largest integer not above ``x``, as a float (derivative 0).

Unlike :func:`math.floor`, which gives an int, this gives a float, so an infinity or
a NaN comes back as it is.";
    ceil => Ceil, "The smallest integer not below ``x``, as a float (derivative 0).

Unlike :func:`math.ceil`, this gives a float; an infinity or a NaN comes back as it is.";
    trunc => Trunc, "``x`` with its fraction dropped (towards 0), as a float (derivative 0).

Unlike :func:`math.trunc`, this gives a float; an infinity or a NaN comes back as it is.";
    abs => Abs, "The absolute value (its derivative at 0 is taken as 0).";
}
