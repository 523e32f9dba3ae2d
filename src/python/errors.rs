//! The exception types of `wengert._core`, and the conversion of engine errors to them:
//! every engine error becomes its Python exception here, through a `From` impl, so the
//! glue passes them on with `?`.

use pyo3::create_exception;
use pyo3::exceptions::{
    PyMemoryError, PyOverflowError, PyTypeError, PyValueError, PyZeroDivisionError,
};
use pyo3::PyErr;

use crate::multi_trace::MultiTraceError;
use crate::ops::MathError;
use crate::tape::TapeError as EngineTapeError;

create_exception!(
    wengert._core,
    TapeError,
    PyValueError,
    "A WengertList was misused; the message says what to do instead."
);
create_exception!(
    wengert._core,
    MixedTapesError,
    TapeError,
    "Records from two different WengertLists were combined."
);
create_exception!(
    wengert._core,
    StaleRecordError,
    TapeError,
    "A record (or Derivatives) from before the tape's last clear() was used."
);
create_exception!(
    wengert._core,
    ConstantRecordError,
    TapeError,
    "A constant record, which is on no tape, was asked for derivatives."
);
create_exception!(
    wengert._core,
    MixedModesError,
    PyTypeError,
    "Values of two different modes (Trace, MultiTrace, Record) were combined."
);
create_exception!(
    wengert._core,
    ImplicitConversionError,
    PyTypeError,
    "A Trace, MultiTrace or Record was converted to a plain number, dropping its derivative."
);

create_exception!(
    wengert._core,
    BranchChangedError,
    PyValueError,
    "A Recording was replayed where a comparison f made comes out differently: record again there."
);
create_exception!(
    wengert._core,
    EscapedValueError,
    BranchChangedError,
    "A Recording whose function read a Record's value (.number, str(), ...) was replayed at \
     another point: record again there."
);

pub(crate) const STALE_RECORD: &str = "this record was made before its WengertList was cleared: \
    call record.reset() after tape.clear() to put it back on the tape as an input, \
    or make a new one with tape.variable(x)";

pub(crate) fn mixed_tapes() -> PyErr {
    MixedTapesError::new_err(
        "these records belong to different WengertLists and cannot be combined: make every \
         input with the same tape.variable(...), or use Record.constant(x) for a value that \
         needs no derivative",
    )
}

pub(crate) fn mixed_modes() -> PyErr {
    MixedModesError::new_err(
        "a Trace (forward mode) cannot be combined with a Record (reverse mode): use Traces \
         throughout for forward mode, or Records on one WengertList throughout for reverse mode",
    )
}

pub(crate) fn mixed_with_multi_trace(other: &str) -> PyErr {
    MixedModesError::new_err(format!(
        "a MultiTrace (forward mode with many tangents) cannot be combined with a {other}: use \
         MultiTraces throughout, with the inputs from MultiTrace.variables(xs) and plain floats \
         (or MultiTrace.constant(c, k)) for constants"
    ))
}

pub(crate) fn implicit_conversion(kind: &str, to: &str) -> PyErr {
    ImplicitConversionError::new_err(format!(
        "converting a {kind} to {to} would drop its derivative: use .number for the plain \
         value, and wengert.sin, wengert.exp (and the other wengert math functions) instead \
         of math.sin, math.exp"
    ))
}

/// The exception Python raises for the same operation on floats.
impl From<MathError> for PyErr {
    fn from(error: MathError) -> PyErr {
        match error {
            MathError::ZeroDivision(m) => PyZeroDivisionError::new_err(m),
            MathError::Domain(m) => PyValueError::new_err(m),
            MathError::Overflow(m) => PyOverflowError::new_err(m),
        }
    }
}

/// As `PyErr::from(error)`, with `context` after the message.
pub(crate) fn math_error_in(error: MathError, context: &str) -> PyErr {
    match error {
        MathError::ZeroDivision(m) => PyZeroDivisionError::new_err(format!("{m}: {context}")),
        MathError::Domain(m) => PyValueError::new_err(format!("{m}: {context}")),
        MathError::Overflow(m) => PyOverflowError::new_err(format!("{m}: {context}")),
    }
}

impl From<EngineTapeError> for PyErr {
    fn from(error: EngineTapeError) -> PyErr {
        match error {
            EngineTapeError::Stale => StaleRecordError::new_err(STALE_RECORD),
            EngineTapeError::Full => TapeError::new_err(
                "this WengertList is full (4294967295 entries): clear() it or record on a new one",
            ),
            EngineTapeError::OutOfMemory => {
                PyMemoryError::new_err("out of memory for the WengertList or its derivatives")
            }
            EngineTapeError::TooManyClears => TapeError::new_err(
                "this WengertList has been cleared 4294967295 times: make a new WengertList",
            ),
            EngineTapeError::BlockShape => TapeError::new_err(
                "a custom operation's Jacobian is not one partial per output and input",
            ),
        }
    }
}

impl From<MultiTraceError> for PyErr {
    fn from(error: MultiTraceError) -> PyErr {
        match error {
            MultiTraceError::Math(error) => error.into(),
            MultiTraceError::SizeMismatch(left, right) => PyValueError::new_err(format!(
                "these MultiTraces carry different numbers of tangents ({left} and {right}) and \
                 cannot be combined: make every input with one MultiTrace.variables(xs) call, and \
                 use plain floats (or MultiTrace.constant(c, k) with the same k) for constants"
            )),
            MultiTraceError::OutOfMemory => {
                PyMemoryError::new_err("out of memory for the tangents of a MultiTrace")
            }
        }
    }
}
