//! The Python class `Record`: a number on a WengertList (reverse mode).

use std::sync::atomic::{AtomicU64, Ordering};

use pyo3::prelude::*;

use super::derivatives::PyDerivatives;
use super::errors::{mixed_tapes, ConstantRecordError};
use super::number::{
    custom_operand, float_str, mixed, number_methods, other_operand, CustomOperand, NumberClass,
    Other,
};
use super::record_log::Observation;
use super::wengert_list::PyWengertList;
use crate::ops::{Binary, Operands, Unary};
use crate::tape::{Op, OpCode, Slot, TapeError, WengertList};

/// A number on a WengertList: reverse-mode automatic differentiation.
///
/// Each operation on a variable Record appends one entry to its tape; read the
/// derivatives back with `derivatives()`.
///
/// >>> tape = WengertList()
/// >>> x = Record.variable(3.0, tape)
/// >>> y = x * x
/// >>> y.derivatives()[x]
/// 6.0
#[pyclass(name = "Record", module = "wengert._core", frozen)]
pub struct PyRecord {
    number: f64,
    /// The packed [`Slot`]; atomic because `reset()` moves the record onto a new generation.
    slot: AtomicU64,
    /// The tape, or None for a constant.
    tape: Option<Py<PyWengertList>>,
}

/// One operand of an operation, as the tape sees it.
#[derive(Clone, Copy)]
pub(crate) enum Side<'a> {
    Constant(f64),
    Variable(&'a PyRecord, &'a Py<PyWengertList>),
}

impl PyRecord {
    /// The record's place on its tape (meaningless for a constant).
    #[inline(always)]
    pub(crate) fn slot(&self) -> Slot {
        Slot::unpack(self.slot.load(Ordering::Acquire))
    }

    /// The tape, taken out of the record.
    pub(crate) fn into_tape(self) -> Option<Py<PyWengertList>> {
        self.tape
    }

    pub(crate) fn tape(&self) -> Option<&Py<PyWengertList>> {
        self.tape.as_ref()
    }

    pub(crate) fn new_variable(number: f64, slot: Slot, tape: Py<PyWengertList>) -> Self {
        PyRecord {
            number,
            slot: AtomicU64::new(slot.pack()),
            tape: Some(tape),
        }
    }

    pub(crate) fn new_constant(number: f64) -> Self {
        PyRecord {
            number,
            slot: AtomicU64::new(0),
            tape: None,
        }
    }

    #[inline(always)]
    pub(crate) fn side(&self) -> Side<'_> {
        match &self.tape {
            None => Side::Constant(self.number),
            Some(tape) => Side::Variable(self, tape),
        }
    }

    #[inline(always)]
    fn constant_result(py: Python<'_>, number: f64) -> PyResult<Py<PyAny>> {
        super::slots::new_object(py, PyRecord::new_constant(number))
    }

    /// Append an entry with `record` on `tape`, then wrap the new record.
    ///
    /// The lock is held only while `record` runs: never while Python code can run.
    #[inline(always)]
    fn recorded(
        py: Python<'_>,
        tape: &Py<PyWengertList>,
        number: f64,
        record: impl FnOnce(&mut WengertList) -> Result<Slot, TapeError>,
    ) -> PyResult<Py<PyAny>> {
        let slot = record(&mut tape.get().lock())?;
        let result = PyRecord::new_variable(number, slot, tape.clone_ref(py));
        super::slots::new_object(py, result)
    }

    /// `result`, an operation's value on `tape`; an error is logged first if a recording
    /// is being made there (f may catch it and go on in a way the recording cannot see).
    #[inline(always)]
    fn noted<T>(py: Python<'_>, tape: &Py<PyWengertList>, result: PyResult<T>) -> PyResult<T> {
        if let Err(error) = &result {
            super::record_log::observe_raise(py, tape.get(), error);
        }
        result
    }

    /// A function of one operand, with value and derivative from `eval`.
    #[inline(always)]
    fn record_unary(
        py: Python<'_>,
        this: &PyRecord,
        code: OpCode,
        eval: impl FnOnce(f64) -> PyResult<(f64, f64)>,
    ) -> PyResult<Py<PyAny>> {
        match this.side() {
            Side::Constant(x) => Self::constant_result(py, eval(x)?.0),
            Side::Variable(x, tape) => {
                let (value, partial) = Self::noted(py, tape, eval(x.number))?;
                Self::recorded(py, tape, value, |t| t.unary(code, x.slot(), partial, 0.0))
            }
        }
    }

    /// A function of two operands, with value and partials from `eval`; `code` names the
    /// operation given where its operands are.
    #[inline(always)]
    fn record_binary(
        py: Python<'_>,
        lhs: Side<'_>,
        rhs: Side<'_>,
        code: impl FnOnce(Operands) -> OpCode,
        eval: impl FnOnce(f64, f64) -> PyResult<(f64, f64, f64)>,
    ) -> PyResult<Py<PyAny>> {
        match (lhs, rhs) {
            (Side::Constant(x), Side::Constant(y)) => Self::constant_result(py, eval(x, y)?.0),
            (Side::Variable(x, tape), Side::Constant(c)) => {
                let (value, dx, _) = Self::noted(py, tape, eval(x.number, c))?;
                let code = code(Operands::ConstantRight);
                Self::recorded(py, tape, value, |t| t.unary(code, x.slot(), dx, c))
            }
            (Side::Constant(c), Side::Variable(y, tape)) => {
                let (value, _, dy) = Self::noted(py, tape, eval(c, y.number))?;
                let code = code(Operands::ConstantLeft);
                Self::recorded(py, tape, value, |t| t.unary(code, y.slot(), dy, c))
            }
            (Side::Variable(x, tape), Side::Variable(y, other_tape)) => {
                if !tape.is(other_tape) {
                    return Err(mixed_tapes());
                }
                let (value, dx, dy) = Self::noted(py, tape, eval(x.number, y.number))?;
                let code = code(Operands::Both);
                Self::recorded(py, tape, value, |t| {
                    t.binary(code, x.slot(), y.slot(), dx, dy)
                })
            }
        }
    }

    /// An operation of the table on two operands.
    #[inline(always)]
    pub(crate) fn apply_sides(
        py: Python<'_>,
        lhs: Side<'_>,
        rhs: Side<'_>,
        op: Binary,
    ) -> PyResult<Py<PyAny>> {
        Self::record_binary(
            py,
            lhs,
            rhs,
            |operands| OpCode::new(Op::Binary(op, operands)),
            |x, y| Ok(op.eval(x, y)?),
        )
    }
}

impl Side<'_> {
    /// StaleRecordError for a record made before its tape's last clear().
    fn check_current(self) -> PyResult<()> {
        if let Side::Variable(record, tape) = self {
            tape.get().lock().check(record.slot())?;
        }
        Ok(())
    }
}

impl NumberClass for PyRecord {
    const KIND: &'static str = "Record";

    #[inline(always)]
    fn value(&self) -> f64 {
        self.number
    }

    #[inline(always)]
    fn apply_unary_to(py: Python<'_>, this: &PyRecord, op: Unary) -> PyResult<Py<PyAny>> {
        Self::record_unary(py, this, OpCode::new(Op::Unary(op)), |x| Ok(op.eval(x)?))
    }

    #[inline(always)]
    fn apply_binary(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        op: Binary,
        reflected: bool,
    ) -> PyResult<Py<PyAny>> {
        let other = match other_operand::<Self>(other)? {
            Other::Same(r) => r.get().side(),
            Other::Constant(c) => Side::Constant(c),
            Other::MixedModes(kind) => return Err(mixed::<Self>(kind)),
            Other::Unknown => return Ok(slf.py().NotImplemented()),
        };
        let this = slf.get().side();
        let (lhs, rhs) = if reflected {
            (other, this)
        } else {
            (this, other)
        };
        Self::apply_sides(slf.py(), lhs, rhs, op)
    }

    fn apply_custom(
        slf: &Bound<'_, Self>,
        other: Option<&Bound<'_, PyAny>>,
        f: impl FnOnce(f64, f64) -> PyResult<(f64, [f64; 2])>,
    ) -> PyResult<Py<PyAny>> {
        let Some(other) = other else {
            slf.get().side().check_current()?;
            let code = OpCode::new(Op::CustomUnary);
            return Self::record_unary(slf.py(), slf.get(), code, |x| {
                let (value, [dx, _]) = f(x, 0.0)?;
                Ok((value, dx))
            });
        };
        let rhs = match custom_operand::<Self>(other, "binary()")? {
            CustomOperand::Same(r) => r.get().side(),
            CustomOperand::Constant(c) => Side::Constant(c),
        };
        let lhs = slf.get().side();
        // The user's functions run only for operands that can be recorded: a stale
        // record is refused first (record_binary checks for mixed tapes first).
        lhs.check_current()?;
        rhs.check_current()?;
        Self::record_binary(
            slf.py(),
            lhs,
            rhs,
            |operands| OpCode::new(Op::CustomBinary(operands)),
            |x, y| {
                let (value, [dx, dy]) = f(x, y)?;
                Ok((value, dx, dy))
            },
        )
    }

    /// Tell a recording being made on this record's tape of a comparison or a read
    /// of the value (see `recording.rs`).
    #[inline(always)]
    fn observe(slf: &Bound<'_, Self>, observation: Observation<'_, '_>) -> PyResult<()> {
        use super::record_log::observe;
        if let Some(tape) = &slf.get().tape {
            if tape.get().logging() {
                return observe(slf, observation);
            }
        }
        // `c < x` with only x on a recording's tape (c a constant Record, or one of
        // another tape): Python asks c, so log it from x's side, as `x > c`.
        if let Observation::Comparison {
            other,
            comparison,
            outcome,
        } = observation
        {
            if let Ok(other) = other.cast::<PyRecord>() {
                if other.get().tape.as_ref().is_some_and(|t| t.get().logging()) {
                    let comparison = comparison.reflected();
                    let this = slf.as_any();
                    return observe(
                        other,
                        Observation::Comparison {
                            other: this,
                            comparison,
                            outcome,
                        },
                    );
                }
            }
        }
        Ok(())
    }
}

number_methods!(PyRecord {
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(
        _args: &Bound<'_, pyo3::types::PyTuple>,
        _kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<Self> {
        Err(pyo3::exceptions::PyTypeError::new_err(
            "Record cannot be created directly: use tape.variable(x) (or Record.variable(x, \
             tape)) for an input on a WengertList, or Record.constant(c) for a constant",
        ))
    }

    /// A new input on the tape `history`; the same as `history.variable(number)`.
    #[staticmethod]
    fn variable(number: f64, history: &Bound<'_, PyWengertList>) -> PyResult<Self> {
        PyWengertList::new_variable(history, number)
    }

    /// A value on no tape: operations with it record nothing for it.
    #[staticmethod]
    fn constant(number: f64) -> Self {
        PyRecord::new_constant(number)
    }

    /// The value.
    #[getter]
    fn number(slf: &Bound<'_, Self>) -> PyResult<f64> {
        Self::observe(slf, Observation::Read(".number"))?;
        Ok(slf.get().number)
    }

    /// The position on the tape, or None for a constant.
    #[getter]
    fn index(&self) -> Option<u32> {
        self.tape.as_ref().map(|_| self.slot().index)
    }

    /// The tape (the WengertList this record is on), or None for a constant.
    #[getter(tape)]
    fn get_tape(&self, py: Python<'_>) -> Option<Py<PyWengertList>> {
        self.tape.as_ref().map(|t| t.clone_ref(py))
    }

    /// The tape, or None for a constant: the same as `tape` (the name the seed's Record
    /// gives it).
    #[getter]
    fn history(&self, py: Python<'_>) -> Option<Py<PyWengertList>> {
        self.get_tape(py)
    }

    /// One backward sweep from this record: its derivatives with respect to every entry.
    ///
    /// Raises ConstantRecordError for a constant and StaleRecordError after a clear().
    fn derivatives(slf: &Bound<'_, Self>) -> PyResult<PyDerivatives> {
        match Self::try_derivatives(slf)? {
            Some(derivatives) => Ok(derivatives),
            None => Err(ConstantRecordError::new_err(
                "this record is a constant (it is on no WengertList), so it has no derivatives: \
                 make inputs with tape.variable(x), or call try_derivatives(), which returns \
                 None for a constant",
            )),
        }
    }

    /// As `derivatives()`, but None for a constant.
    fn try_derivatives(slf: &Bound<'_, Self>) -> PyResult<Option<PyDerivatives>> {
        Self::observe(slf, Observation::Read("derivatives()"))?;
        let this = slf.get();
        match &this.tape {
            None => Ok(None),
            Some(tape) => tape.get().derivatives_of(slf.py(), &this.slot).map(Some),
        }
    }

    /// Put a record made before `clear()` back on its tape as a new input.
    ///
    /// Does nothing for a constant or for a record already on the current tape.
    fn reset(&self) -> PyResult<()> {
        let Some(tape) = &self.tape else {
            return Ok(());
        };
        let mut tape = tape.get().lock();
        if self.slot().generation != tape.generation() {
            let slot = tape.variable()?;
            self.slot.store(slot.pack(), Ordering::Release);
        }
        Ok(())
    }

    /// Always raises TypeError: a record is an entry of a tape that lives in this process.
    fn __reduce__(&self) -> PyResult<()> {
        Err(pyo3::exceptions::PyTypeError::new_err(match self.tape {
            Some(_) => {
                "a Record cannot be pickled: it is an entry of a live WengertList, which \
                 exists only in this process. Pickle plain values instead: record.number, \
                 the floats d[x] of its Derivatives d, or numpy.asarray(d)"
            }
            None => {
                "a Record cannot be pickled, not even a constant (which is on no tape): \
                 pickle record.number, and make it again with Record.constant(number)"
            }
        }))
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        Self::observe(slf, Observation::Read("repr()"))?;
        let this = slf.get();
        let number = float_str(slf.py(), this.number)?;
        Ok(match &this.tape {
            None => format!("Record.constant({number})"),
            Some(_) => format!("Record(number={number}, index={})", this.slot().index),
        })
    }
});
