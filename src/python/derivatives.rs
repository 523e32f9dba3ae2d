//! The Python class `Derivatives`: the result of one backward sweep, kept in native memory.

use std::ffi::{c_int, c_void};
use std::ptr;

use pyo3::exceptions::{PyBufferError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyList;

use super::errors::{ConstantRecordError, MixedTapesError, StaleRecordError, STALE_RECORD};
use super::record::PyRecord;

/// The derivatives of one output Record with respect to every entry of its tape.
///
/// Index it with an input (or intermediate) record: `d[x]` is ∂y/∂x. `len(d)`,
/// `list(d)` and `numpy.asarray(d)` give the derivatives by tape index.
#[pyclass(name = "Derivatives", module = "wengert._core", frozen)]
pub struct PyDerivatives {
    values: Vec<f64>,
    /// `values.len()`, where the buffer protocol's `shape` can point.
    shape: [isize; 1],
    tape_id: u64,
    generation: u32,
}

/// The buffer protocol's stride: one f64.
static STRIDES: [isize; 1] = [std::mem::size_of::<f64>() as isize];

impl PyDerivatives {
    pub(crate) fn new(values: Vec<f64>, tape_id: u64, generation: u32) -> Self {
        let shape = [values.len() as isize];
        PyDerivatives {
            values,
            shape,
            tape_id,
            generation,
        }
    }

    fn lookup(&self, record: &Bound<'_, PyAny>) -> PyResult<f64> {
        let Ok(record) = record.cast::<PyRecord>() else {
            return Err(PyTypeError::new_err(format!(
                "Derivatives are indexed with a Record (an input or intermediate on the same \
                 WengertList), not {}; list(d) or numpy.asarray(d) gives them by tape index",
                record.get_type().name()?
            )));
        };
        let record = record.get();
        let Some(tape) = record.tape() else {
            return Err(ConstantRecordError::new_err(
                "a constant record is on no WengertList, so it has no derivative here: index \
                 with a record made by tape.variable(x), or with one computed from such records",
            ));
        };
        if tape.get().id() != self.tape_id {
            return Err(MixedTapesError::new_err(
                "this record is on a different WengertList than the output these Derivatives \
                 were computed from: index them with records of the same tape",
            ));
        }
        let slot = record.slot();
        if slot.generation != tape.get().lock().generation() {
            return Err(StaleRecordError::new_err(STALE_RECORD));
        }
        if slot.generation != self.generation {
            return Err(StaleRecordError::new_err(
                "these Derivatives were computed before the WengertList was cleared: call \
                 derivatives() again on an output computed after the clear",
            ));
        }
        // A record made after the output was swept cannot influence it.
        Ok(self.values.get(slot.index as usize).copied().unwrap_or(0.0))
    }
}

#[pymethods]
impl PyDerivatives {
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn refuse_construction(
        _args: &Bound<'_, pyo3::types::PyTuple>,
        _kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<Self> {
        Err(PyTypeError::new_err(
            "Derivatives cannot be created directly: call y.derivatives() on an output Record \
             y (made from inputs of tape.variable(x))",
        ))
    }

    fn __getitem__(&self, record: &Bound<'_, PyAny>) -> PyResult<f64> {
        self.lookup(record)
    }

    /// ∂output/∂record, the same as `self[record]`.
    fn at(&self, record: &Bound<'_, PyAny>) -> PyResult<f64> {
        self.lookup(record)
    }

    fn __len__(&self) -> usize {
        self.values.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyList::new(py, &self.values)?
            .try_iter()
            .map(|it| it.into_any())
    }

    fn __repr__(&self) -> String {
        format!("Derivatives(len={})", self.values.len())
    }

    /// Always raises TypeError: Derivatives are indexed by the records of a live tape.
    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "Derivatives cannot be pickled: they are indexed by the records of a live \
             WengertList, which exists only in this process. Pickle numpy.asarray(d) or \
             list(d) (the derivatives by tape index), or the floats d[x] you need",
        ))
    }

    /// These Derivatives themselves: they are immutable.
    fn __copy__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    /// These Derivatives themselves: they are immutable.
    fn __deepcopy__<'py>(slf: Bound<'py, Self>, memo: &Bound<'py, PyAny>) -> Bound<'py, Self> {
        let _ = memo; // a copy of an immutable value needs no memo
        slf
    }

    /// A read-only buffer of float64, so `numpy.asarray(d)` copies no Python objects.
    unsafe fn __getbuffer__(
        slf: Bound<'_, Self>,
        view: *mut ffi::Py_buffer,
        flags: c_int,
    ) -> PyResult<()> {
        if view.is_null() {
            return Err(PyBufferError::new_err("no buffer view to fill"));
        }
        if flags & ffi::PyBUF_WRITABLE == ffi::PyBUF_WRITABLE {
            return Err(PyBufferError::new_err("Derivatives are read-only"));
        }
        let this = slf.get();
        // SAFETY: `view` is a valid Py_buffer to fill (checked non-null above). The data,
        // shape and strides live as long as the object, which the view keeps alive through
        // `obj`, and the object is frozen, so they never move or change.
        unsafe {
            (*view).buf = this.values.as_ptr() as *mut c_void;
            (*view).len = (this.values.len() * std::mem::size_of::<f64>()) as isize;
            (*view).readonly = 1;
            (*view).itemsize = std::mem::size_of::<f64>() as isize;
            (*view).format = if flags & ffi::PyBUF_FORMAT == ffi::PyBUF_FORMAT {
                c"d".as_ptr() as *mut _
            } else {
                ptr::null_mut()
            };
            (*view).ndim = 1;
            (*view).shape = if flags & ffi::PyBUF_ND == ffi::PyBUF_ND {
                this.shape.as_ptr() as *mut isize
            } else {
                ptr::null_mut()
            };
            (*view).strides = if flags & ffi::PyBUF_STRIDES == ffi::PyBUF_STRIDES {
                STRIDES.as_ptr() as *mut isize
            } else {
                ptr::null_mut()
            };
            (*view).suboffsets = ptr::null_mut();
            (*view).internal = ptr::null_mut();
            (*view).obj = slf.into_any().into_ptr();
        }
        Ok(())
    }

    unsafe fn __releasebuffer__(&self, _view: *mut ffi::Py_buffer) {}
}
