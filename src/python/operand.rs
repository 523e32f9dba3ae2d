//! What the other operand of an arithmetic operation is, found without raising.

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyFloat, PyInt, PyString, PyType};

use super::multi_trace::PyMultiTrace;
use super::record::PyRecord;
use super::trace::PyTrace;
use crate::trace::Trace;

/// The other operand of a binary operation, as the number protocol sees it.
pub(crate) enum Operand<'a, 'py> {
    /// A float or an int (subclasses such as bool and numpy.float64 included), one of
    /// numpy's real scalars (numpy.float32, numpy.int64, numpy.bool_, ...), or any other
    /// `numbers.Real` (Fraction, ...), taken as its value as a float.
    Number(f64),
    Trace(Trace),
    Record(&'a Bound<'py, PyRecord>),
    MultiTrace(&'a Bound<'py, PyMultiTrace>),
    /// Anything else: the operation answers NotImplemented so Python can try the other side.
    Other,
}

/// Classify `obj` with exact-type checks first, so the common cases never build an exception.
#[inline(always)]
pub(crate) fn classify<'a, 'py>(obj: &'a Bound<'py, PyAny>) -> PyResult<Operand<'a, 'py>> {
    // The checks are `is_*instance_of` then an unchecked cast: a failed `cast` would
    // build an error value on the hot path. A float is the commonest other operand.
    if obj.is_exact_instance_of::<PyFloat>() {
        // SAFETY: the type was checked on the line above.
        return Ok(Operand::Number(
            unsafe { obj.cast_unchecked::<PyFloat>() }.value(),
        ));
    }
    if obj.is_exact_instance_of::<PyTrace>() {
        // SAFETY: the type was checked on the line above.
        return Ok(Operand::Trace(
            unsafe { obj.cast_unchecked::<PyTrace>() }.get().0,
        ));
    }
    if obj.is_exact_instance_of::<PyRecord>() {
        // SAFETY: the type was checked on the line above.
        return Ok(Operand::Record(unsafe { obj.cast_unchecked::<PyRecord>() }));
    }
    if obj.is_instance_of::<PyFloat>() {
        // A float subclass, such as numpy.float64.
        // SAFETY: the type was checked on the line above.
        return Ok(Operand::Number(
            unsafe { obj.cast_unchecked::<PyFloat>() }.value(),
        ));
    }
    if obj.is_instance_of::<PyInt>() {
        // An int beyond float range raises OverflowError, as it does for float arithmetic.
        return Ok(Operand::Number(obj.extract::<f64>()?));
    }
    if obj.is_exact_instance_of::<PyMultiTrace>() {
        // SAFETY: the type was checked on the line above.
        return Ok(Operand::MultiTrace(unsafe {
            obj.cast_unchecked::<PyMultiTrace>()
        }));
    }
    other_number(obj)
}

/// The slow path: a numpy scalar of a real type (numpy.float32, numpy.int64, ...; numpy.float64
/// is a float subclass and was taken above), or a numpy.bool_, which counts as a number as
/// Python's bool does; or any other `numbers.Real` (Fraction, ...), so that it works on
/// either side whatever its own operators do with an unknown type (Fraction's `**` hands
/// the operation over from Python 3.13 on). Everything else (complex numbers, Decimal,
/// which is not a `numbers.Real`) is `Other`.
#[cold]
#[inline(never)]
fn other_number<'a, 'py>(obj: &'a Bound<'py, PyAny>) -> PyResult<Operand<'a, 'py>> {
    if is_numpy_real(obj)? || is_real(obj)? {
        // float(obj): a numpy integer rounds to the nearest float, as an int does in float
        // arithmetic; a numpy.longdouble rounds to float64; a Fraction to the nearest float.
        return Ok(Operand::Number(obj.extract::<f64>()?));
    }
    Ok(Operand::Other)
}

/// `numbers.Real`, the abstract type of real numbers (Fraction and others register with it).
static REAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// True for an instance of `numbers.Real`.
fn is_real(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = obj.py();
    let real = REAL.get_or_try_init(py, || {
        let real = py.import("numbers")?.getattr("Real")?;
        PyResult::Ok(real.cast_into::<PyType>()?.unbind())
    })?;
    obj.is_instance(real.bind(py))
}

/// numpy's real scalar types: numpy.floating, numpy.integer and numpy.bool_.
static NUMPY_REALS: PyOnceLock<[Py<PyType>; 3]> = PyOnceLock::new();

/// True for an instance of one of [`NUMPY_REALS`]. numpy is imported only if it already
/// was: before that no object can be a numpy scalar.
fn is_numpy_real(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = obj.py();
    let types = match NUMPY_REALS.get(py) {
        Some(types) => types,
        None => {
            if !py.import("sys")?.getattr("modules")?.contains("numpy")? {
                return Ok(false);
            }
            NUMPY_REALS.get_or_try_init(py, || {
                let numpy = py.import("numpy")?;
                let get = |name: &str| -> PyResult<Py<PyType>> {
                    Ok(numpy.getattr(name)?.cast_into::<PyType>()?.unbind())
                };
                PyResult::Ok([get("floating")?, get("integer")?, get("bool_")?])
            })?
        }
    };
    for kind in types {
        if obj.is_instance(kind.bind(py))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The numbers of `obj`: an iterable of numbers, or a one-dimensional float64 buffer
/// (a numpy array), read without a Python object per element. `what` names the caller
/// in the TypeError for anything else.
pub(crate) fn read_numbers(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<f64>> {
    let not_numbers = || -> PyErr {
        let name = obj
            .get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default();
        PyTypeError::new_err(format!(
            "{what} takes an iterable of numbers (a list, tuple or 1-D numpy array), not {name}"
        ))
    };
    if obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
    {
        return Err(not_numbers());
    }
    if let Ok(ndim) = obj.getattr("ndim") {
        let ndim: isize = ndim.extract().unwrap_or(1);
        if ndim != 1 {
            return Err(PyTypeError::new_err(format!(
                "{what} takes a one-dimensional sequence of numbers, but this array has {ndim} \
                 dimensions: pass array.ravel() (and reshape the results if needed)"
            )));
        }
    }
    if let Some(values) = float64_vector(obj)? {
        return Ok(values);
    }
    let items = obj.try_iter().map_err(|_| not_numbers())?;
    items.map(|item| item?.extract::<f64>()).collect()
}

/// The numbers of a one-dimensional buffer of native-endian float64 (a numpy array),
/// read without a Python object per element; None for anything else.
fn float64_vector(numbers: &Bound<'_, PyAny>) -> PyResult<Option<Vec<f64>>> {
    let Ok(buffer) = PyBuffer::<f64>::get(numbers) else {
        return Ok(None);
    };
    let format = buffer.format().to_bytes();
    let native = match format {
        b"d" | b"@d" | b"=d" => true,
        b"<d" => cfg!(target_endian = "little"),
        b">d" | b"!d" => cfg!(target_endian = "big"),
        _ => false,
    };
    if !native || buffer.dimensions() != 1 {
        return Ok(None);
    }
    buffer.to_vec(numbers.py()).map(Some)
}
