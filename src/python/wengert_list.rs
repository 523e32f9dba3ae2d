//! The Python class `WengertList`: the tape of reverse mode.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;

use super::derivatives::PyDerivatives;
use super::input::read_numbers;
use super::record::PyRecord;
use super::record_log::Log;
use crate::tape::{Slot, WengertList, LONG_SWEEP};

/// Tells tapes apart for as long as the process runs, even after one is freed.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// The tape of reverse mode: every operation performed on its Records, in order.
///
/// >>> tape = WengertList()
/// >>> x = tape.variable(3.0)
/// >>> y = x * x
/// >>> y.derivatives()[x]
/// 6.0
#[pyclass(name = "WengertList", module = "wengert._core", frozen, weakref)]
pub struct PyWengertList {
    /// The entries; locked for each append, so threads can never corrupt it.
    tape: Mutex<WengertList>,
    id: u64,
    /// True while `wengert.record` runs the recorded function on this tape.
    logging: AtomicBool,
    /// What the recorded function did that the entries do not show (comparisons,
    /// reads of values, custom functions), while `logging` is true.
    log: Mutex<Option<Log>>,
}

impl PyWengertList {
    /// The tape, locked. Nothing that runs under the lock panics on any input, but
    /// if something did, the entries would still be whole (an append is one push per
    /// array, after both were reserved), so carry on.
    pub(crate) fn lock(&self) -> MutexGuard<'_, WengertList> {
        self.tape
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// True while a recording is being made on this tape.
    #[inline(always)]
    pub(crate) fn logging(&self) -> bool {
        self.logging.load(Ordering::Relaxed)
    }

    /// The log of the recording being made, if one is.
    pub(crate) fn log(&self) -> MutexGuard<'_, Option<Log>> {
        self.log
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Start logging for a recording.
    pub(crate) fn start_log(&self) {
        *self.log() = Some(Log::default());
        self.logging.store(true, Ordering::Relaxed);
    }

    /// Stop logging and take what was logged.
    pub(crate) fn take_log(&self) -> Log {
        self.logging.store(false, Ordering::Relaxed);
        self.log().take().unwrap_or_default()
    }

    pub(crate) fn new_variable(slf: &Bound<'_, Self>, number: f64) -> PyResult<PyRecord> {
        let slot = slf.get().lock().variable().map_err(PyErr::from)?;
        Ok(PyRecord::new_variable(number, slot, slf.clone().unbind()))
    }

    /// The derivatives of the record at `slot`; long sweeps let other threads run.
    pub(crate) fn derivatives_of(
        &self,
        py: Python<'_>,
        slot: &AtomicU64,
    ) -> PyResult<PyDerivatives> {
        let sweep = |tape: &WengertList| {
            let slot = Slot::unpack(slot.load(Ordering::Acquire));
            tape.derivatives(slot)
                .map(|values| (values, slot.generation))
        };
        let tape = self.lock();
        let (values, generation) = if tape.len() < LONG_SWEEP {
            sweep(&tape)
        } else {
            drop(tape);
            py.detach(|| sweep(&self.lock()))
        }
        .map_err(PyErr::from)?;
        Ok(PyDerivatives::new(values, self.id, generation))
    }
}

#[pymethods]
impl PyWengertList {
    #[new]
    pub(crate) fn new() -> Self {
        PyWengertList {
            tape: Mutex::new(WengertList::new()),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            logging: AtomicBool::new(false),
            log: Mutex::new(None),
        }
    }

    /// The number of entries on the tape.
    fn __len__(&self) -> usize {
        self.lock().len()
    }

    /// A new input on this tape.
    fn variable(slf: &Bound<'_, Self>, number: f64) -> PyResult<PyRecord> {
        Self::new_variable(slf, number)
    }

    /// Many new inputs at once, from any iterable or float64 buffer of numbers.
    fn variables(slf: &Bound<'_, Self>, numbers: &Bound<'_, PyAny>) -> PyResult<Vec<PyRecord>> {
        let values = read_numbers(numbers, "variables()")?;
        let first = slf
            .get()
            .lock()
            .variables(values.len())
            .map_err(PyErr::from)?;
        Ok(values
            .into_iter()
            .zip(first.index..)
            .map(|(number, index)| {
                let slot = Slot {
                    index,
                    generation: first.generation,
                };
                PyRecord::new_variable(number, slot, slf.clone().unbind())
            })
            .collect())
    }

    /// Forget every entry so the tape can be reused; call `reset()` on each live input after.
    ///
    /// Records and Derivatives from before the clear are stale: using them raises
    /// StaleRecordError.
    fn clear(&self) -> PyResult<()> {
        self.lock().clear().map_err(PyErr::from)
    }

    fn __repr__(&self) -> String {
        format!("WengertList(len={})", self.lock().len())
    }

    /// Always raises TypeError: a tape cannot be pickled or copied.
    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "a WengertList cannot be pickled or copied: its records refer to this one tape, \
             which exists only in this process. Make a new WengertList() and record the \
             computation on it; pickle plain values (record.number, numpy.asarray(d))",
        ))
    }
}
