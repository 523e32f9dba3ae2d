//! The form of a recording's input, as `x0` had it: a number, a sequence (list,
//! tuple, any iterable), or a numpy array of some shape.
//!
//! `record(f, x0)` hands `f` its argument in that form (a Record; a list of Records;
//! an object array of Records of x0's shape, so that NumPy code runs as written), the
//! replays read their points in it, and the gradient, `hvp` and `x0` come back in it.

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyFloat, PyList, PyTuple};

use super::input::{check_finite, classify, is_bool, read_point, type_name, Operand, Point};

/// The form of a recording's input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// A number: `f` receives one Record.
    Number,
    /// A list, tuple or other iterable of numbers: `f` receives a list of Records.
    Sequence,
    /// A numpy array of this shape (any number of dimensions, 0 included): `f`
    /// receives an object array of Records of that shape.
    Array(Vec<usize>),
}

/// numpy, imported once.
fn numpy(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static NUMPY: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    Ok(NUMPY
        .get_or_try_init(py, || PyResult::Ok(py.import("numpy")?.unbind()))?
        .bind(py))
}

/// True for a numpy.ndarray (of any dtype and shape).
pub(crate) fn is_ndarray(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    if !obj.hasattr("ndim")? {
        return Ok(false);
    }
    obj.is_instance(&numpy(obj.py())?.getattr("ndarray")?)
}

/// A new float64 numpy array of `shape` holding `data` (row-major).
pub(crate) fn array<'py>(
    py: Python<'py>,
    shape: &[usize],
    data: &[f64],
) -> PyResult<Bound<'py, PyAny>> {
    static EMPTY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let empty =
        EMPTY.get_or_try_init(py, || PyResult::Ok(numpy(py)?.getattr("empty")?.unbind()))?;
    if shape.is_empty() {
        // A 0-d array: numpy gives no buffer shape for one, so fill a 1-element one.
        return array(py, &[1], data)?.call_method1("reshape", (PyTuple::empty(py),));
    }
    let array = empty.bind(py).call1((PyTuple::new(py, shape)?,))?;
    if !data.is_empty() {
        PyBuffer::<f64>::get(&array)?.copy_from_slice(py, data)?;
    }
    Ok(array)
}

/// A shape as Python writes it: "(2, 3)", "(4,)", "()".
pub(crate) fn shape_text(shape: &[usize]) -> String {
    match shape {
        [n] => format!("({n},)"),
        _ => format!(
            "({})",
            shape
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The shape of a numpy array.
fn shape_of(array: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    array.getattr("shape")?.extract()
}

impl Form {
    /// `x0` for `record`: its numbers and its form. NaN and infinities are refused.
    pub(crate) fn read_x0(x0: &Bound<'_, PyAny>) -> PyResult<(Vec<f64>, Form)> {
        let what = "record(f, x0): x0";
        let (values, form) = if is_ndarray(x0)? {
            let shape = shape_of(x0)?;
            let flat = x0.call_method1("reshape", (-1,))?;
            match read_point(&flat, what)? {
                Point::Vector(values) => (values, Form::Array(shape)),
                Point::Number(_) => unreachable!("a 1-D array is read as a vector"),
            }
        } else {
            match read_point(x0, what)? {
                Point::Number(x) => (vec![x], Form::Number),
                Point::Vector(values) => (values, Form::Sequence),
            }
        };
        check_finite(&values, what, form == Form::Number)?;
        Ok((values, form))
    }

    /// True for a number.
    pub(crate) fn is_number(&self) -> bool {
        *self == Form::Number
    }

    /// The shape of a gradient: `()` for a number, `(n,)` for a sequence, else the array's.
    pub(crate) fn shape(&self, n: usize) -> Vec<usize> {
        match self {
            Form::Number => Vec::new(),
            Form::Sequence => vec![n],
            Form::Array(shape) => shape.clone(),
        }
    }

    /// `f`'s argument: the records in this form.
    pub(crate) fn argument<'py>(
        &self,
        py: Python<'py>,
        records: Vec<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Form::Number => Ok(records.into_iter().next().expect("one input")),
            Form::Sequence => Ok(PyList::new(py, records)?.into_any()),
            Form::Array(shape) => {
                let numpy = numpy(py)?;
                let n = records.len();
                let flat = numpy.call_method1("empty", (n, numpy.getattr("object_")?))?;
                for (i, record) in records.into_iter().enumerate() {
                    flat.set_item(i, record)?;
                }
                flat.call_method1("reshape", (PyTuple::new(py, shape)?,))
            }
        }
    }

    /// The numbers of the point `x`, which must have this form: a number for a number;
    /// for a sequence or a 1-D array, a sequence of `n` numbers; for an array of other
    /// dimensions, anything numpy makes an array of the same shape of (a flat vector
    /// of the right size is refused: its shape says it is another point).
    pub(crate) fn numbers(&self, x: &Bound<'_, PyAny>, n: usize, what: &str) -> PyResult<Vec<f64>> {
        let wrong_count = |k: usize| {
            PyValueError::new_err(format!(
                "{what} has {k} numbers, but the recording has {n} inputs"
            ))
        };
        match self {
            Form::Number if !is_bool(x) => match classify(x)? {
                Operand::Number(v) => Ok(vec![v]),
                _ => Err(PyTypeError::new_err(format!(
                    "{what} must be a number, as x0 was, not {}",
                    type_name(x)
                ))),
            },
            Form::Number => match read_point(x, what)? {
                Point::Number(v) => Ok(vec![v]),
                Point::Vector(_) => unreachable!("a bool is refused"),
            },
            Form::Sequence | Form::Array(_) if self.shape(n).len() == 1 => {
                match read_point(x, what)? {
                    Point::Vector(values) if values.len() == n => Ok(values),
                    Point::Vector(values) => Err(wrong_count(values.len())),
                    Point::Number(_) => Err(PyTypeError::new_err(format!(
                        "{what} must be a sequence of {n} numbers, as x0 was, not a number"
                    ))),
                }
            }
            Form::Sequence => unreachable!("a sequence's shape is (n,)"),
            Form::Array(shape) => {
                let py = x.py();
                if is_bool(x) {
                    return Err(PyTypeError::new_err(format!(
                        "{what} is a bool, not a number: give an array of x0's shape {}",
                        shape_text(shape)
                    )));
                }
                let raw = numpy(py)?.call_method1("asarray", (x,)).map_err(|e| {
                    PyTypeError::new_err(format!(
                        "{what} must be an array of x0's shape {}, and numpy cannot make an \
                         array of this {} ({})",
                        shape_text(shape),
                        type_name(x),
                        e.value(py)
                    ))
                })?;
                let got = shape_of(&raw)?;
                if got != *shape {
                    return Err(PyValueError::new_err(format!(
                        "{what} has shape {}, but x0 had shape {}: give a point of x0's shape \
                         (x.reshape({}) if its numbers are in the same row-major order)",
                        shape_text(&got),
                        shape_text(shape),
                        shape
                            .iter()
                            .map(|d| d.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                match read_point(&raw.call_method1("reshape", (-1,))?, what)? {
                    Point::Vector(values) => Ok(values),
                    Point::Number(_) => unreachable!("a 1-D array is read as a vector"),
                }
            }
        }
    }

    /// A vector of the inputs' size in this form: a float for a number, else a float64
    /// array of the gradient's shape.
    pub(crate) fn shaped<'py>(&self, py: Python<'py>, data: &[f64]) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Form::Number => Ok(PyFloat::new(py, data[0]).into_any()),
            _ => array(py, &self.shape(data.len()), data),
        }
    }

    /// Input `i` as the recorded code saw it: "x", "x[3]", "x[1, 2]".
    pub(crate) fn describe_input(&self, i: usize, n: usize) -> String {
        let shape = self.shape(n);
        if shape.is_empty() {
            return "x".into();
        }
        let mut index = vec![0; shape.len()];
        let mut rest = i;
        for (k, &d) in shape.iter().enumerate().rev() {
            index[k] = rest % d.max(1);
            rest /= d.max(1);
        }
        format!(
            "x[{}]",
            index
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}
