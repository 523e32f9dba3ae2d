//! What Python hands the glue, read and checked: the other operand of an arithmetic
//! operation (found without raising), and the points and rows given to `record` and
//! to a `Recording`'s replays.
//!
//! Two policies for bools, side by side: as an operand a bool is a number, as it is
//! in Python's own arithmetic ([`classify`]); as a point, or an element of one, it is
//! refused, since it is almost always a mistake there ([`is_bool`], [`read_point`]).

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyMemoryError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyFloat, PyInt, PyList, PyString, PyTuple, PyType,
};

use super::multi_trace::PyMultiTrace;
use super::record::PyRecord;
use super::trace::PyTrace;

/// What an object is as an operand of arithmetic (see `number::other_operand` for the
/// view of one number class).
pub(crate) enum Operand<'a, 'py> {
    /// A float or an int (subclasses such as bool and numpy.float64 included), one of
    /// numpy's real scalars (numpy.float32, numpy.int64, numpy.bool_, ...), or any other
    /// `numbers.Real` (Fraction, ...), taken as its value as a float.
    Number(f64),
    Trace,
    Record(&'a Bound<'py, PyRecord>),
    MultiTrace,
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
        return Ok(Operand::Trace);
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
        return Ok(Operand::MultiTrace);
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

/// A bool, Python's or numpy's: refused where a number is expected (it is almost
/// always a mistake, such as a comparison's result passed on).
pub(crate) fn is_bool(obj: &Bound<'_, PyAny>) -> bool {
    if obj.is_instance_of::<PyBool>() {
        return true;
    }
    let kind = obj.get_type();
    let in_numpy = kind.module().is_ok_and(|m| m == "numpy");
    in_numpy && kind.name().is_ok_and(|n| n == "bool" || n == "bool_")
}

/// A point given to `record` or a replay: one number, or the numbers of a vector.
pub(crate) enum Point {
    Number(f64),
    Vector(Vec<f64>),
}

/// The type's name of `obj`, for messages.
pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

/// `obj` as a point: a float, an int (one beyond float range raises OverflowError, as
/// float arithmetic does) or a numpy real number; or a list, tuple or 1-D numpy array
/// of them. Anything else, bools included, is a TypeError naming `what`.
pub(crate) fn read_point(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Point> {
    if is_bool(obj) {
        return Err(PyTypeError::new_err(format!(
            "{what} is a bool, not a number: give a float or a sequence of floats"
        )));
    }
    if let Operand::Number(x) = classify(obj)? {
        return Ok(Point::Number(x));
    }
    let not_numbers = || {
        PyTypeError::new_err(format!(
            "{what} must be a number, or a list, tuple or 1-D numpy array of numbers, not {}",
            type_name(obj)
        ))
    };
    if obj.is_instance_of::<PyString>()
        || obj.is_instance_of::<PyBytes>()
        || obj.is_instance_of::<PyByteArray>()
    {
        return Err(not_numbers());
    }
    if obj.hasattr("ndim")? {
        let ndim: isize = obj.getattr("ndim")?.extract()?;
        if ndim != 1 {
            return read_numbers(obj, what).map(Point::Vector); // the error for its dimensions
        }
        let dtype = obj.getattr("dtype")?;
        match dtype.getattr("kind")?.extract::<String>()?.as_str() {
            "f" | "i" | "u" => return read_numbers(obj, what).map(Point::Vector),
            "O" => {} // its elements are checked below
            "b" => {
                return Err(PyTypeError::new_err(format!(
                    "{what} is an array of bools, not of numbers: give floats"
                )))
            }
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "{what} is an array of {}, whose elements are each not a number: give \
                     floats",
                    dtype.str()?
                )))
            }
        }
    }
    // Any other iterable (a generator, say) is read once, into a list.
    let obj = if obj.is_instance_of::<PyList>()
        || obj.is_instance_of::<PyTuple>()
        || obj.hasattr("ndim")?
    {
        obj.clone()
    } else {
        let items = obj.try_iter().map_err(|_| not_numbers())?;
        PyList::new(obj.py(), items.collect::<PyResult<Vec<_>>>()?)?.into_any()
    };
    let obj = &obj;
    // A list, a tuple or an object array: each element is a number, or says which is not.
    let mut values = Vec::new();
    for (i, item) in obj.try_iter()?.enumerate() {
        let item = item?;
        if is_bool(&item) {
            return Err(PyTypeError::new_err(format!(
                "{what}[{i}] is a bool, not a number: give floats"
            )));
        }
        match classify(&item)? {
            Operand::Number(x) => values.push(x),
            _ => {
                return Err(PyTypeError::new_err(format!(
                    "{what}[{i}] (of type {}) is not a number: give a sequence of floats",
                    type_name(&item)
                )))
            }
        }
    }
    Ok(Point::Vector(values))
}

/// Refuse NaN and infinities: a recording replays at finite points only.
pub(crate) fn check_finite(values: &[f64], what: &str, scalar: bool) -> PyResult<()> {
    if let Some(i) = values.iter().position(|v| !v.is_finite()) {
        let at = if scalar {
            String::new()
        } else {
            format!("[{i}]")
        };
        return Err(PyValueError::new_err(format!(
            "{what}{at} is {}: a recording is made and replayed at finite points only",
            values[i]
        )));
    }
    Ok(())
}

/// The rows of `xs` for `gradients(X)` and the other batches (`what` names the
/// method): a 2-D array of real numbers with `n` columns (numpy converts it), as the
/// number of rows and the numbers row by row.
pub(crate) fn read_rows(
    xs: &Bound<'_, PyAny>,
    n: usize,
    what: &str,
) -> PyResult<(usize, Vec<f64>)> {
    let py = xs.py();
    let numpy = py.import("numpy")?;
    let not_2d = |detail: String| {
        PyTypeError::new_err(format!(
            "{what} takes a 2-D array of numbers with one point per row ({n} \
             columns){detail}; for one point use gradient(x)"
        ))
    };
    // numpy's own error for something that is no array of numbers, but an int beyond
    // float range stays the OverflowError float arithmetic raises, and an X too large
    // for memory (a broadcast view, copied as float64) numpy's MemoryError.
    let not_numbers = |e: PyErr| {
        if e.is_instance_of::<PyOverflowError>(py) || e.is_instance_of::<PyMemoryError>(py) {
            e
        } else {
            not_2d(format!(", and this is not one ({e})"))
        }
    };
    let raw = numpy.call_method1("asarray", (xs,)).map_err(not_numbers)?;
    let dtype = raw.getattr("dtype")?;
    let kind = dtype.getattr("kind")?.extract::<String>()?;
    if kind == "O" {
        // Objects (a list holding an int beyond float range makes one): each must be a
        // real number, as a point's elements must.
        for item in raw.getattr("flat")?.try_iter()? {
            let item = item?;
            if is_bool(&item) || !matches!(classify(&item)?, Operand::Number(_)) {
                return Err(PyTypeError::new_err(format!(
                    "{what} takes a 2-D array of real numbers (floats or ints), one \
                     point per row, but X holds a {}",
                    type_name(&item)
                )));
            }
        }
    } else if !matches!(kind.as_str(), "f" | "i" | "u") {
        return Err(PyTypeError::new_err(format!(
            "{what} takes a 2-D array of real numbers (floats or ints), one point per \
             row, but X is an array of {}",
            dtype.str()?
        )));
    }
    let matrix = raw
        .call_method1("astype", (numpy.getattr("float64")?,))
        .map_err(not_numbers)?;
    let ndim: usize = matrix.getattr("ndim")?.extract()?;
    if ndim != 2 {
        return Err(not_2d(format!(
            ", but X has {ndim} dimension{}{}",
            if ndim == 1 { "" } else { "s" },
            if ndim == 1 {
                format!(" (X.reshape(-1, {n}) makes rows of it)")
            } else {
                String::new()
            }
        )));
    }
    let shape: (usize, usize) = matrix.getattr("shape")?.extract()?;
    if shape.1 != n {
        return Err(PyValueError::new_err(format!(
            "{what}: X has {} columns, but the recording has {n} inputs",
            shape.1
        )));
    }
    let matrix = numpy.call_method1("ascontiguousarray", (matrix,))?;
    // A copy: nothing the caller (or a function numpy calls) does to the array while
    // the replay runs without the GIL can change the rows it reads.
    let points = PyBuffer::<f64>::get(&matrix)?.to_vec(py)?;
    Ok((shape.0, points))
}
