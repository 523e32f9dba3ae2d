//! The math functions of `wengert` (`sin`, `exp`, ...) at native speed, and the list of
//! elementary functions as Python data (`_core._FUNCTIONS`).
//!
//! There is one native function for each function of one argument in the list of
//! elementary functions ([`crate::functions`]). `python/wengert/real.py` defines each
//! in Python too, from `_FUNCTIONS`, with its handling of every kind of argument, and
//! exports the native one under its name: a Trace, a MultiTrace or a Record goes to the
//! operation of the table, and a float whose value exists to the table's value (the
//! one `math` gives, bit for bit); everything else (ints, other number types, bad
//! arguments, and floats where `math` raises) goes to the definition in `real.py`. So
//! the behaviour is that of `real.py` in every case, and only the time differs.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyFloat, PyTuple};

use super::jet::PyJet;
use super::multi_trace::PyMultiTrace;
use super::number::NumberClass;
use super::record::PyRecord;
use super::trace::PyTrace;
use crate::functions::{Function, FUNCTIONS};
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
    } else if x.is_exact_instance_of::<PyJet>() {
        // SAFETY: as above.
        return PyJet::apply_unary(unsafe { x.cast_unchecked() }, op);
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

/// The native function of one entry of the list: one for a unary operation, none for a
/// binary one (`atan2`, `hypot`, `pow` are defined in `real.py` only).
macro_rules! native {
    ($name:ident, Unary::$op:ident, $doc:literal, $domain:literal) => {
        #[doc = $doc]
        #[doc = ""]
        #[doc = concat!(
            "Defined for ", $domain, ". Takes a float or an int (giving a float, as `math` ",
            "does), a Trace, a MultiTrace or a Record (giving the same kind)."
        )]
        #[pyfunction]
        #[pyo3(signature = (x))]
        fn $name(x: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
            dispatch(x, Unary::$op, stringify!($name))
        }
    };
    ($name:ident, Binary::$op:ident, $doc:literal, $domain:literal) => {};
}

/// Put the native function of one entry on the module `m`, if it has one.
macro_rules! add_native {
    ($m:ident, $name:ident, Unary) => {
        let f = wrap_pyfunction!($name, $m)?;
        // `wengert.sin` is this function: say so, so that pickle finds it there.
        f.setattr("__module__", "wengert")?;
        // Private: `real.py` exports it.
        $m.setattr(concat!("_", stringify!($name)), f)?;
    };
    ($m:ident, $name:ident, Binary) => {};
}

macro_rules! natives {
    (
        {}
        $(
            $name:ident($($parameter:ident),+) => $kind:ident::$op:ident,
            [$($method:ident $(($operand:ident))?),+],
            $math:literal, $domain:literal, $doc:literal;
        )*
    ) => {
        $(native!($name, $kind::$op, $doc, $domain);)*

        /// Put the native functions on the module, each as `_name`.
        fn add_natives(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $(add_native!(m, $name, $kind);)*
            Ok(())
        }
    };
}

crate::functions::elementary_functions!(natives! {});

/// One entry of the list as Python data: `(name, parameters, methods, math, domain, doc)`.
fn entry<'py>(py: Python<'py>, f: &Function) -> PyResult<Bound<'py, PyTuple>> {
    let parameters = PyTuple::new(py, f.parameters)?;
    let methods = PyTuple::new(py, f.methods)?;
    (f.name, parameters, methods, f.math, f.domain, f.doc).into_pyobject(py)
}

/// Put the native functions on the module, and the list as `_FUNCTIONS`.
pub(crate) fn add(m: &Bound<'_, PyModule>) -> PyResult<()> {
    add_natives(m)?;
    let py = m.py();
    let entries = FUNCTIONS
        .iter()
        .map(|f| entry(py, f))
        .collect::<PyResult<Vec<_>>>()?;
    // Private, as the native functions (`add` would also list it in `_core.__all__`).
    m.setattr("_FUNCTIONS", PyTuple::new(py, entries)?)
}
