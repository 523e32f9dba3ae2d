//! The record log: what a tape being recorded by `wengert.record` must know of and
//! its entries do not show.
//!
//! While `record` runs `f`, the tape keeps a [`Log`]: every comparison of a Record with
//! its outcome (a guard of the replay), every read of a Record's value the tape cannot
//! follow (an [`Escape`]: `.number`, `str()`, ...), and the Python functions of custom
//! operations. The number classes tell it through `NumberClass::observe`
//! (`number.rs`); `recording.rs` turns the log into a `Recording`.

use std::borrow::Cow;

use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt};

use super::input::{classify, Operand};
use super::number::NumberClass;
use super::record::PyRecord;
use super::wengert_list::PyWengertList;
use crate::ops::Comparison;
use crate::replay::{Guard, Value};

/// Where in the user's code something happened: the code object and the line, or,
/// for a recording read from bytes, the description it was saved with.
#[derive(Default)]
pub(crate) struct Place {
    code: Option<Py<PyAny>>,
    line: i64,
    text: Option<String>,
}

impl Place {
    /// The Python code running now (the caller of the operation being logged).
    pub(crate) fn here(py: Python<'_>) -> Place {
        // SAFETY: the GIL is held; the result is a borrowed reference or null.
        let frame = unsafe { pyo3::ffi::PyEval_GetFrame() };
        if frame.is_null() {
            return Place::default();
        }
        // SAFETY: a non-null frame object, borrowed for as long as it runs (we take a
        // reference of our own).
        let frame = unsafe { Bound::from_borrowed_ptr(py, frame.cast()) };
        Place {
            line: frame
                .getattr("f_lineno")
                .and_then(|l| l.extract())
                .unwrap_or(0),
            code: frame.getattr("f_code").ok().map(Bound::unbind),
            text: None,
        }
    }

    /// The place a saved recording describes (what [`Place::describe`] gave).
    pub(crate) fn from_text(text: String) -> Place {
        Place {
            code: None,
            line: 0,
            text: Some(text),
        }
    }

    pub(crate) fn clone_ref(&self, py: Python<'_>) -> Place {
        Place {
            code: self.code.as_ref().map(|c| c.clone_ref(py)),
            line: self.line,
            text: self.text.clone(),
        }
    }

    /// " at file.py:12 in f", or "" when unknown.
    pub(crate) fn describe(&self, py: Python<'_>) -> String {
        if let Some(text) = &self.text {
            return text.clone();
        }
        let Some(code) = &self.code else {
            return String::new();
        };
        let code = code.bind(py);
        let text = |name: &str| -> String {
            code.getattr(name)
                .and_then(|v| v.extract::<String>())
                .unwrap_or_default()
        };
        format!(
            " at {}:{} in {}",
            text("co_filename"),
            self.line,
            text("co_name")
        )
    }
}

/// A custom operation's Python functions, kept for replay.
pub(crate) enum Custom {
    /// `x.unary(fx, dfx_dx, d2fx_dx2)`, the second derivative optional.
    Unary {
        f: Py<PyAny>,
        df: Py<PyAny>,
        d2f: Option<Py<PyAny>>,
    },
    /// `x.binary(y, fxy, dfxy_dx, dfxy_dy, d2fxy)`, the second partials optional.
    Binary {
        f: Py<PyAny>,
        dfx: Py<PyAny>,
        dfy: Py<PyAny>,
        d2f: Option<Py<PyAny>>,
    },
    /// `round(x)` or `round(x, ndigits)`.
    Round(Option<Py<PyAny>>),
    /// An operation of `wengert.custom(f, jacobian, hessian)` (at its first output).
    Block(Py<super::block::PyCustomOperation>),
}

/// How many escapes a log keeps the place of (it counts them all).
const ESCAPES_KEPT: usize = 8;

/// Something `f` did with a Record's value that the recording cannot follow.
pub(crate) enum Escape {
    /// The value was read by the named means (`.number`, `str()`, ...).
    Read(Cow<'static, str>),
    /// An operation raised the named exception, which `f` may have caught.
    Raised(String),
    /// A comparison with an int that is not exactly a float.
    InexactInt,
}

impl Escape {
    /// What `f` did, as the `escapes` property lists it.
    pub(crate) fn name(&self) -> String {
        match self {
            Escape::Read(what) => what.to_string(),
            Escape::Raised(error) => format!("{error} raised by an operation on a Record"),
            Escape::InexactInt => "a comparison with an int that is not exactly a float".into(),
        }
    }

    /// What `f` did, as a sentence's predicate, around the place where it did it.
    pub(crate) fn sentence(&self, place: &str) -> String {
        match self {
            Escape::Read(what) => format!("read the value of a Record with {what}{place}"),
            Escape::Raised(error) => format!(
                "had an operation on a Record raise {error}{place}, which f may have caught \
                 and then gone on in a way the recording cannot see"
            ),
            Escape::InexactInt => format!(
                "made a comparison with an int that is not exactly a float{place} (compare \
                 with float(n) to have the comparison recorded)"
            ),
        }
    }
}

/// How a guard came about, for its description in BranchChangedError.
#[derive(Clone, Copy)]
pub(crate) enum GuardText {
    /// A comparison: `left op right`.
    Comparison,
    /// `bool(x)`: `x != 0`.
    Truth,
    /// The check that `math.floor`, `math.ceil` and `math.trunc` make, that the value is
    /// finite (one of a pair of guards: `x < inf` and `x > -inf`; `round` is checked
    /// again at replay).
    Finite,
}

/// What the tape's entries do not show, logged while `record` runs `f`.
#[derive(Default)]
pub(crate) struct Log {
    pub(crate) guards: Vec<Guard>,
    pub(crate) guard_places: Vec<(Place, GuardText)>,
    pub(crate) escapes: Vec<(Escape, Place)>,
    pub(crate) escape_count: usize,
    pub(crate) customs: Vec<(u32, Custom, Place)>,
}

/// Something a Record was used for that a recording must know of.
pub(crate) enum Observation<'a, 'py> {
    /// `self comparison other` gave `outcome`.
    Comparison {
        other: &'a Bound<'py, PyAny>,
        comparison: Comparison,
        outcome: bool,
    },
    /// `bool(self)` gave `outcome`.
    Truth(bool),
    /// `math.floor(self)` (or ceil, trunc) found the value finite.
    Finite,
    /// The value was read by the named means.
    Read(&'static str),
    /// An operation on the value raised this error.
    Raised(&'a PyErr),
}

/// Log `observation` of `record`, if its tape is making a recording.
pub(crate) fn observe(
    record: &Bound<'_, PyRecord>,
    observation: Observation<'_, '_>,
) -> PyResult<()> {
    let Some(list) = record.get().tape() else {
        return Ok(());
    };
    let list = list.get();
    if !list.logging() {
        return Ok(());
    }
    let py = record.py();
    let (position, generation) = {
        let tape = list.lock();
        (tape.len() as u32, tape.generation())
    };
    let side = |r: &PyRecord| match r.tape() {
        Some(t) if std::ptr::eq(t.get(), list) && r.slot().generation == generation => {
            Value::Entry(r.slot().index)
        }
        _ => Value::Constant(r.value()),
    };
    let this = side(record.get());
    let guard = |comparison, right, outcome| Guard {
        position,
        left: this,
        comparison,
        right: Value::Constant(right),
        outcome,
    };
    let guards = match observation {
        Observation::Read(what) => {
            log_escape(list, Escape::Read(what.into()), py);
            return Ok(());
        }
        Observation::Raised(error) => {
            let name = error.get_type(py).name()?.to_string();
            log_escape(list, Escape::Raised(name), py);
            return Ok(());
        }
        Observation::Truth(outcome) => {
            vec![(guard(Comparison::Ne, 0.0, outcome), GuardText::Truth)]
        }
        Observation::Finite => vec![
            (
                guard(Comparison::Lt, f64::INFINITY, true),
                GuardText::Finite,
            ),
            (
                guard(Comparison::Gt, f64::NEG_INFINITY, true),
                GuardText::Finite,
            ),
        ],
        Observation::Comparison {
            other,
            comparison,
            outcome,
        } => {
            let other = if other.is_instance_of::<PyInt>() {
                // Compared exactly, as floats compare with ints: kept as a float only if
                // it is one exactly.
                match other.extract::<f64>() {
                    Ok(c)
                        if PyFloat::new(py, c)
                            .rich_compare(other, CompareOp::Eq)?
                            .is_truthy()? =>
                    {
                        Value::Constant(c)
                    }
                    _ => {
                        log_escape(list, Escape::InexactInt, py);
                        return Ok(());
                    }
                }
            } else {
                match classify(other)? {
                    Operand::Number(c) => Value::Constant(c),
                    Operand::Record(r) => side(r.get()),
                    _ => return Ok(()),
                }
            };
            let guard = Guard {
                right: other,
                ..guard(comparison, 0.0, outcome)
            };
            vec![(guard, GuardText::Comparison)]
        }
    };
    let place = Place::here(py);
    if let Some(log) = list.log().as_mut() {
        for (guard, text) in guards {
            log.guards.push(guard);
            log.guard_places.push((place.clone_ref(py), text));
        }
    }
    Ok(())
}

/// Log an operation on a Record of `tape` that raised `error`, if a recording is being
/// made: f may catch it and go on another way, which the recording cannot see.
pub(crate) fn observe_raise(py: Python<'_>, tape: &PyWengertList, error: &PyErr) {
    if tape.logging() {
        if let Ok(name) = error.get_type(py).name() {
            log_escape(tape, Escape::Raised(name.to_string()), py);
        }
    }
}

fn log_escape(list: &PyWengertList, escape: Escape, py: Python<'_>) {
    let place = if list
        .log()
        .as_ref()
        .is_some_and(|l| l.escapes.len() < ESCAPES_KEPT)
    {
        Some(Place::here(py))
    } else {
        None
    };
    if let Some(log) = list.log().as_mut() {
        log.escape_count += 1;
        if let Some(place) = place {
            log.escapes.push((escape, place));
        }
    }
}

/// Log the custom operation whose result is `result`, if it was recorded for a recording.
pub(crate) fn observe_custom(result: &Bound<'_, PyAny>, custom: impl FnOnce() -> Custom) {
    let Ok(record) = result.cast::<PyRecord>() else {
        return;
    };
    let Some(list) = record.get().tape() else {
        return;
    };
    let list = list.get();
    if !list.logging() {
        return;
    }
    let place = Place::here(result.py());
    if let Some(log) = list.log().as_mut() {
        log.customs
            .push((record.get().slot().index, custom(), place));
    }
}
