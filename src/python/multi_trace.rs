//! The Python class `MultiTrace`: forward mode with many tangents.

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyMemoryError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyList, PyType};

use super::input::read_numbers;
use super::number::{
    custom_operand, float_str, mixed, number_methods, other_operand, CustomOperand, NumberClass,
    Other,
};
use crate::multi_trace::{MultiTrace, MultiTraceError};
use crate::ops::{Binary, Unary};

/// A number with the derivatives of its value with respect to `k` inputs at once.
///
/// One forward pass on MultiTraces made by `MultiTrace.variables(xs)` gives the
/// derivatives with respect to every input: tangent `i` is what a Trace pass with
/// input `i` as its variable would give, bit for bit.
///
/// >>> x, y = MultiTrace.variables([3.0, 2.0])
/// >>> z = x * x * y
/// >>> z.number, z.derivative.tolist()
/// (18.0, [12.0, 9.0])
#[pyclass(name = "MultiTrace", module = "wengert._core", frozen, freelist = 256)]
pub struct PyMultiTrace(pub MultiTrace);

/// MemoryError unless `k` inputs with `k` tangents each fit in the machine's memory.
///
/// They are `k` separate allocations, each of which the system may grant on credit and
/// kill the process later when they are written; so the total is checked first.
fn check_fits(py: Python<'_>, k: usize) -> PyResult<()> {
    check_memory(py, k.checked_mul(k), || {
        format!(
            "MultiTrace.variables() of {k} inputs needs {k}² tangents, more than this \
             machine's memory: for many inputs and few outputs use reverse mode \
             (WengertList().variables(xs)), or differentiate with respect to fewer inputs"
        )
    })
}

/// MemoryError (with `message`) unless `floats` floats fit in the machine's memory.
fn check_memory(
    py: Python<'_>,
    floats: Option<usize>,
    message: impl FnOnce() -> String,
) -> PyResult<()> {
    const SMALL: usize = 1 << 30;
    let bytes = floats.and_then(|n| n.checked_mul(std::mem::size_of::<f64>()));
    let too_big = match bytes {
        None => true,
        Some(bytes) if bytes <= SMALL => false,
        Some(bytes) => physical_memory(py).is_some_and(|memory| bytes > memory),
    };
    if too_big {
        return Err(PyMemoryError::new_err(message()));
    }
    Ok(())
}

/// The machine's physical memory in bytes, where the system says.
fn physical_memory(py: Python<'_>) -> Option<usize> {
    let os = py.import("os").ok()?;
    let pages: usize = os
        .call_method1("sysconf", ("SC_PHYS_PAGES",))
        .ok()?
        .extract()
        .ok()?;
    let size: usize = os
        .call_method1("sysconf", ("SC_PAGE_SIZE",))
        .ok()?
        .extract()
        .ok()?;
    pages.checked_mul(size)
}

impl PyMultiTrace {
    #[inline(always)]
    pub(crate) fn wrap(
        py: Python<'_>,
        result: Result<MultiTrace, MultiTraceError>,
    ) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, PyMultiTrace(result?))?.into_any())
    }
}

impl NumberClass for PyMultiTrace {
    const KIND: &'static str = "MultiTrace";

    #[inline(always)]
    fn value(&self) -> f64 {
        self.0.number
    }

    #[inline(always)]
    fn apply_unary_to(py: Python<'_>, this: &Self, op: Unary) -> PyResult<Py<PyAny>> {
        Self::wrap(py, this.0.unary(op))
    }

    #[inline(always)]
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

    fn apply_custom(
        slf: &Bound<'_, Self>,
        other: Option<&Bound<'_, PyAny>>,
        f: impl FnOnce(f64, f64) -> PyResult<(f64, [f64; 2])>,
    ) -> PyResult<Py<PyAny>> {
        let this = &slf.get().0;
        let Some(obj) = other else {
            // As a Trace does: a second operand 0 with zero tangents.
            let (value, [dx, dy]) = f(this.number, 0.0)?;
            return Self::wrap(slf.py(), this.apply_binary_constant(value, dx, dy));
        };
        let result = match custom_operand::<Self>(obj, "binary()")? {
            CustomOperand::Same(other) => {
                let other = &other.get().0;
                if this.k() != other.k() {
                    return Err(MultiTraceError::SizeMismatch(this.k(), other.k()).into());
                }
                let (value, [dx, dy]) = f(this.number, other.number)?;
                this.apply_binary(other, value, dx, dy)
            }
            CustomOperand::Constant(c) => {
                let (value, [dx, dy]) = f(this.number, c)?;
                this.apply_binary_constant(value, dx, dy)
            }
        };
        Self::wrap(slf.py(), result)
    }
}

number_methods!(PyMultiTrace {
    #[new]
    fn new(number: f64, derivative: &Bound<'_, PyAny>) -> PyResult<Self> {
        let derivative = read_numbers(derivative, "MultiTrace(number, derivative)")?;
        Ok(PyMultiTrace(MultiTrace {
            number,
            derivative: derivative.into_boxed_slice(),
        }))
    }

    /// A MultiTrace with `k` zero tangents: a value that does not vary.
    #[staticmethod]
    fn constant(py: Python<'_>, number: f64, k: isize) -> PyResult<Self> {
        if k < 0 {
            return Err(PyValueError::new_err(format!(
                "k is the number of tangents and cannot be negative, not {k}"
            )));
        }
        check_memory(py, Some(k as usize), || {
            format!("MultiTrace.constant() with {k} tangents needs more than this machine's memory")
        })?;
        Ok(PyMultiTrace(MultiTrace::constant(number, k as usize)?))
    }

    /// The inputs: one MultiTrace per number, with `k = len(numbers)` tangents, tangent
    /// `i` of input `i` 1 and the others 0.
    ///
    /// `numbers` is any iterable of numbers or a 1-D float64 numpy array. The inputs hold
    /// `k²` tangents between them.
    #[staticmethod]
    fn variables(numbers: &Bound<'_, PyAny>) -> PyResult<Vec<PyMultiTrace>> {
        let values = read_numbers(numbers, "MultiTrace.variables()")?;
        let k = values.len();
        check_fits(numbers.py(), k)?;
        values
            .into_iter()
            .enumerate()
            .map(|(i, number)| {
                Ok(PyMultiTrace(MultiTrace::variable(number, i, k)?))
            })
            .collect()
    }

    /// The value.
    #[getter]
    fn number(&self) -> f64 {
        self.0.number
    }

    /// The derivatives of the value with respect to the inputs: a new float64 numpy
    /// array of shape `(k,)`.
    #[getter]
    fn derivative<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        static EMPTY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        let empty = EMPTY.get_or_try_init(py, || {
            PyResult::Ok(py.import("numpy")?.getattr("empty")?.unbind())
        })?;
        let array = empty.bind(py).call1((self.0.k(),))?;
        let buffer = PyBuffer::<f64>::get(&array)?;
        buffer.copy_from_slice(py, &self.0.derivative)?;
        Ok(array)
    }

    /// The number of tangents: the number of inputs differentiated with respect to.
    #[getter]
    fn k(&self) -> usize {
        self.0.k()
    }

    /// Pickles as `MultiTrace(number, derivative)`, the derivative as a list of floats.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyType>, (f64, Bound<'py, PyList>))> {
        let this = &slf.get().0;
        let derivative = PyList::new(slf.py(), this.derivative.iter())?;
        Ok((slf.get_type(), (this.number, derivative)))
    }


    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let derivative = self
            .0
            .derivative
            .iter()
            .map(|&d| float_str(py, d))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(format!(
            "MultiTrace(number={}, derivative=[{}])",
            float_str(py, self.0.number)?,
            derivative.join(", ")
        ))
    }
});
