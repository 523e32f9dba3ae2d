//! What the other operand of an arithmetic operation is, found without raising.

use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt};

use super::record::PyRecord;
use super::trace::PyTrace;
use crate::trace::Trace;

/// The other operand of a binary operation, as the number protocol sees it.
pub(crate) enum Operand<'a, 'py> {
    /// A float or an int (subclasses such as bool and numpy.float64 included).
    Number(f64),
    Trace(Trace),
    Record(&'a Bound<'py, PyRecord>),
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
    Ok(Operand::Other)
}
