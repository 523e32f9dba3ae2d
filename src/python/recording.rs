//! Record once, replay natively: `wengert.record(f, x0)` and the class `Recording`.
//!
//! `record` runs `f` once on Records of a fresh WengertList while the tape logs what
//! its entries do not show: every comparison of a Record with its outcome, every
//! read of a Record's value the tape cannot follow (`.number`, `str()`, ...), and
//! the Python functions of custom operations. The entries and the log become a
//! [`Program`], replayed by [`crate::replay`] with no Python per operation.

use std::sync::Mutex;

use pyo3::basic::CompareOp;
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyMemoryError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::{PyTraverseError, PyVisit};

use super::errors::{
    math_error_in, mixed_modes, mixed_tapes, mixed_with_multi_trace, BranchChangedError,
    EscapedValueError,
};
use super::multi_trace::PyMultiTrace;
use super::number::{call_float, check_integral, float_round, float_str};
use super::operand::{classify, read_numbers, Operand};
use super::record::PyRecord;
use super::trace::PyTrace;
use super::wengert_list::PyWengertList;
use crate::ops::Comparison;
use crate::replay::{Customs, Guard, NoCustoms, Program, ProgramError, ReplayError};
use crate::replay::{Scratch, Value};
use crate::tape::{Slot, LONG_SWEEP};

/// Where in the user's code something happened: the code object and the line.
#[derive(Default)]
pub(crate) struct Place {
    code: Option<Py<PyAny>>,
    line: i64,
}

impl Place {
    /// The Python code running now (the caller of the operation being logged).
    fn here(py: Python<'_>) -> Place {
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
        }
    }

    fn clone_ref(&self, py: Python<'_>) -> Place {
        Place {
            code: self.code.as_ref().map(|c| c.clone_ref(py)),
            line: self.line,
        }
    }

    /// " at file.py:12 in f", or "" when unknown.
    fn describe(&self, py: Python<'_>) -> String {
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
    /// `x.unary(fx, dfx_dx)`.
    Unary { f: Py<PyAny>, df: Py<PyAny> },
    /// `x.binary(y, fxy, dfxy_dx, dfxy_dy)`.
    Binary {
        f: Py<PyAny>,
        dfx: Py<PyAny>,
        dfy: Py<PyAny>,
    },
    /// `round(x)` or `round(x, ndigits)`.
    Round(Option<Py<PyAny>>),
}

/// How many escapes a log keeps the place of (it counts them all).
const ESCAPES_KEPT: usize = 8;

/// Something `f` did with a Record's value that the recording cannot follow.
pub(crate) enum Escape {
    /// The value was read by the named means (`.number`, `str()`, ...).
    Read(&'static str),
    /// An operation raised the named exception, which `f` may have caught.
    Raised(String),
    /// A comparison with an int that is not exactly a float.
    InexactInt,
}

impl Escape {
    /// What `f` did, as the `escapes` property lists it.
    fn name(&self) -> String {
        match self {
            Escape::Read(what) => (*what).into(),
            Escape::Raised(error) => format!("{error} raised by an operation on a Record"),
            Escape::InexactInt => "a comparison with an int that is not exactly a float".into(),
        }
    }

    /// What `f` did, as a sentence's predicate, around the place where it did it.
    fn sentence(&self, place: &str) -> String {
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
enum GuardText {
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
    guards: Vec<Guard>,
    guard_places: Vec<(Place, GuardText)>,
    escapes: Vec<(Escape, Place)>,
    escape_count: usize,
    customs: Vec<(u32, Custom, Place)>,
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

/// How a value tells a recording being made of what it was used for: Trace and
/// MultiTrace are never on a tape and tell nothing; Record tells its tape's log.
pub(crate) trait Observed: Sized {
    #[inline(always)]
    fn observe(_: &Bound<'_, Self>, _: Observation<'_, '_>) -> PyResult<()> {
        Ok(())
    }
}

impl Observed for PyTrace {}
impl Observed for PyMultiTrace {}

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
            log_escape(list, Escape::Read(what), py);
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

/// A recorded function, replayed natively at new points.
///
/// Made by `wengert.record(f, x0)`. `value`, `gradient`, `value_and_gradient`,
/// `jacobian`, `hessian`, `hvp` and `gradients` re-evaluate the recorded operations
/// at a new point `x` (of x0's form: a number, or a sequence of n numbers) with no
/// Python per operation. A comparison the recorded code made that comes out
/// differently at `x` raises BranchChangedError rather than giving an answer for the
/// wrong branch.
///
/// >>> from wengert import record
/// >>> rec = record(lambda v: v[0] * v[0] * v[1], [3.0, 2.0])
/// >>> rec.gradient([1.0, 5.0])
/// array([10.,  1.])
#[pyclass(name = "Recording", module = "wengert._core", frozen)]
pub struct PyRecording {
    program: Program,
    /// Working memory reused from replay to replay (a replay running in another thread
    /// at the same time uses its own).
    scratch: Mutex<Scratch>,
    /// The custom operations by entry index (in increasing order).
    customs: Vec<(u32, Custom, Place)>,
    guard_places: Vec<(Place, GuardText)>,
    escapes: Vec<(Escape, Place)>,
    escape_count: usize,
    x0: Vec<f64>,
    scalar_input: bool,
    scalar_output: bool,
}

/// `f`'s evaluation of custom operations during a replay (with the GIL held).
struct PyCustoms<'a, 'py> {
    py: Python<'py>,
    customs: &'a [(u32, Custom, Place)],
    error: Option<PyErr>,
}

impl PyCustoms<'_, '_> {
    fn find(&self, entry: usize) -> Option<&Custom> {
        let i = self
            .customs
            .binary_search_by_key(&(entry as u32), |c| c.0)
            .ok()?;
        Some(&self.customs[i].1)
    }

    fn call(&self, custom: &Custom, x: f64, y: f64) -> PyResult<(f64, f64, f64)> {
        let py = self.py;
        Ok(match custom {
            Custom::Unary { f, df } => (
                call_float(f.bind(py), (x,), "fx")?,
                call_float(df.bind(py), (x,), "dfx_dx")?,
                0.0,
            ),
            Custom::Binary { f, dfx, dfy } => (
                call_float(f.bind(py), (x, y), "fxy")?,
                call_float(dfx.bind(py), (x, y), "dfxy_dx")?,
                call_float(dfy.bind(py), (x, y), "dfxy_dy")?,
            ),
            Custom::Round(ndigits) => {
                if ndigits.is_none() {
                    check_integral(PyRecord::KIND, "round()", "round(x, 0)", x)?;
                }
                let ndigits = ndigits.as_ref().map(|n| n.bind(py));
                (float_round(py, x, ndigits)?, 0.0, 0.0)
            }
        })
    }
}

impl Customs for PyCustoms<'_, '_> {
    fn eval(&mut self, entry: usize, x: f64, y: f64) -> Result<(f64, f64, f64), ReplayError> {
        let result = match self.find(entry) {
            Some(custom) => self.call(custom, x, y),
            None => Err(PyValueError::new_err(
                "the recording lost a custom operation: record again",
            )),
        };
        result.map_err(|e| {
            self.error = Some(e);
            ReplayError::Custom
        })
    }

    fn second(&mut self, entry: usize, _: f64, _: f64) -> Result<[f64; 3], ReplayError> {
        match self.find(entry) {
            Some(Custom::Round(_)) => Ok([0.0; 3]),
            _ => Err(ReplayError::NoSecondDerivative { entry }),
        }
    }
}

/// `len` zeros for a result, or MemoryError (with `hint`) if the system will not give them.
fn result_buffer(len: Option<usize>, hint: &str) -> PyResult<Vec<f64>> {
    let mut buffer = Vec::new();
    match len {
        Some(len) if buffer.try_reserve_exact(len).is_ok() => {
            buffer.resize(len, 0.0);
            Ok(buffer)
        }
        _ => Err(PyMemoryError::new_err(format!(
            "out of memory for the result{hint}"
        ))),
    }
}

/// A new float64 numpy array of `shape` holding `data` (row-major).
fn array<'py>(py: Python<'py>, shape: &[usize], data: &[f64]) -> PyResult<Bound<'py, PyAny>> {
    static EMPTY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let empty = EMPTY.get_or_try_init(py, || {
        PyResult::Ok(py.import("numpy")?.getattr("empty")?.unbind())
    })?;
    let array = empty.bind(py).call1((PyTuple::new(py, shape)?,))?;
    if !data.is_empty() {
        PyBuffer::<f64>::get(&array)?.copy_from_slice(py, data)?;
    }
    Ok(array)
}

/// A bool, Python's or numpy's: refused where a number is expected (it is almost
/// always a mistake, such as a comparison's result passed on).
fn is_bool(obj: &Bound<'_, PyAny>) -> bool {
    if obj.is_instance_of::<PyBool>() {
        return true;
    }
    let kind = obj.get_type();
    let in_numpy = kind.module().is_ok_and(|m| m == "numpy");
    in_numpy && kind.name().is_ok_and(|n| n == "bool" || n == "bool_")
}

/// A point given to `record` or a replay: one number, or the numbers of a vector.
enum Point {
    Number(f64),
    Vector(Vec<f64>),
}

/// The type's name of `obj`, for messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

/// `obj` as a point: a float, an int (one beyond float range raises OverflowError, as
/// float arithmetic does) or a numpy real number; or a list, tuple or 1-D numpy array
/// of them. Anything else, bools included, is a TypeError naming `what`.
fn read_point(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Point> {
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
fn check_finite(values: &[f64], what: &str, scalar: bool) -> PyResult<()> {
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

/// `x0` for `record`: its numbers, and true for a number.
fn read_x0(x0: &Bound<'_, PyAny>) -> PyResult<(Vec<f64>, bool)> {
    let what = "record(f, x0): x0";
    let (values, scalar) = match read_point(x0, what)? {
        Point::Number(x) => (vec![x], true),
        Point::Vector(values) => (values, false),
    };
    check_finite(&values, what, scalar)?;
    Ok((values, scalar))
}

/// One output of `f` as a value of the program.
fn output(
    item: &Bound<'_, PyAny>,
    list: &Bound<'_, PyWengertList>,
    generation: u32,
) -> PyResult<Value> {
    let what = |name: String| {
        PyTypeError::new_err(format!(
            "record(f, x0): f must return a number (a Record, float or int) or a 1-D sequence \
             of numbers, not {name}"
        ))
    };
    if is_bool(item) {
        return Err(what("a bool".into()));
    }
    Ok(match classify(item)? {
        Operand::Number(c) => Value::Constant(c),
        Operand::Record(r) => match r.get().tape() {
            None => Value::Constant(r.get().value()),
            Some(t) if t.is(list) => {
                if r.get().slot().generation != generation {
                    return Err(PyValueError::new_err(
                        "record(f, x0): f returned a record from before a clear() of the tape",
                    ));
                }
                Value::Entry(r.get().slot().index)
            }
            Some(_) => return Err(mixed_tapes()),
        },
        Operand::Trace(_) => return Err(mixed_modes()),
        Operand::MultiTrace(_) => return Err(mixed_with_multi_trace(PyRecord::KIND)),
        Operand::Other => return Err(what(item.get_type().name()?.to_string())),
    })
}

/// `f`'s result as the program's outputs; true for a single number.
fn outputs(
    result: &Bound<'_, PyAny>,
    list: &Bound<'_, PyWengertList>,
    generation: u32,
) -> PyResult<(Vec<Value>, bool)> {
    let sequence = result.is_instance_of::<PyList>()
        || result.is_instance_of::<PyTuple>()
        || result.hasattr("ndim")? && result.getattr("ndim")?.extract::<isize>().ok() == Some(1);
    if !sequence {
        if result.hasattr("ndim")? && result.hasattr("__len__")? {
            return Err(PyTypeError::new_err(
                "record(f, x0): f returned an array that is not 1-D: return a number or a \
                 1-D sequence of numbers (ravel() the array)",
            ));
        }
        return Ok((vec![output(result, list, generation)?], true));
    }
    let values = result
        .try_iter()?
        .map(|item| output(&item?, list, generation))
        .collect::<PyResult<Vec<_>>>()?;
    Ok((values, false))
}

/// Record `f` at `x0` for replay: see `Recording`.
///
/// `x0` is a number, which `f` receives as one Record, or a 1-D sequence or array
/// of numbers, which `f` receives as a list of Records. `f` returns a number or a
/// 1-D sequence of numbers (Records, or floats for constants).
///
/// >>> rec = record(lambda x: x * x * x, 2.0)
/// >>> rec.value(3.0), rec.gradient(3.0), rec.hessian(3.0)
/// (27.0, 27.0, 18.0)
#[pyfunction]
pub(crate) fn record(
    py: Python<'_>,
    f: &Bound<'_, PyAny>,
    x0: &Bound<'_, PyAny>,
) -> PyResult<PyRecording> {
    if !f.is_callable() {
        return Err(PyTypeError::new_err(format!(
            "record(f, x0) needs a function f, not {}",
            f.get_type().name()?
        )));
    }
    let (x0, scalar_input) = read_x0(x0)?;
    let list = Bound::new(py, PyWengertList::new())?;
    let n = x0.len();
    let first = list
        .get()
        .lock()
        .variables(n)
        .map_err(super::errors::tape_error)?;
    let records = x0
        .iter()
        .zip(first.index..)
        .map(|(&number, index)| {
            let slot = Slot {
                index,
                generation: first.generation,
            };
            PyRecord::new_variable(number, slot, list.clone().unbind())
        })
        .collect::<Vec<_>>();
    let argument = if scalar_input {
        let record = records.into_iter().next().expect("one input");
        Bound::new(py, record)?.into_any()
    } else {
        let records = records
            .into_iter()
            .map(|r| Bound::new(py, r))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, records)?.into_any()
    };
    list.get().start_log();
    let result = f.call1((argument,));
    let log = list.get().take_log();
    let result = result?;
    let generation = list.get().lock().generation();
    if generation != first.generation {
        return Err(PyValueError::new_err(
            "record(f, x0): f cleared the recording's WengertList (x.history.clear()): \
             a recording is one run of f on one tape",
        ));
    }
    let (outputs, scalar_output) = outputs(&result, &list, generation)?;
    let program = {
        let tape = list.get().lock();
        Program::new(tape.codes(), tape.entries(), n, outputs, log.guards)
    }
    .map_err(|e| match e {
        ProgramError::ExtraInput(i) => PyValueError::new_err(format!(
            "record(f, x0): f made a new input on the recording's tape (entry {i}, with \
             tape.variable()); a recording's inputs are the numbers of x0 only: pass every \
             input in x0, and use plain floats for constants"
        )),
        // The tape is fresh and its inputs come first: these cannot happen from Python.
        ProgramError::BadIndex(i) | ProgramError::MissingInput(i) => PyValueError::new_err(
            format!("record(f, x0): the recording's tape is damaged at entry {i}: record again"),
        ),
    })?;
    Ok(PyRecording {
        program,
        scratch: Mutex::new(Scratch::default()),
        customs: log.customs,
        guard_places: log.guard_places,
        escapes: log.escapes,
        escape_count: log.escape_count,
        x0,
        scalar_input,
        scalar_output,
    })
}

impl PyRecording {
    /// The point `x` (of x0's form) as its numbers, checked.
    fn point(&self, x: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<f64>> {
        let values = self.numbers(x, what)?;
        if values.len() != self.x0.len() {
            return Err(PyValueError::new_err(format!(
                "{what} has {} numbers, but the recording has {} inputs",
                values.len(),
                self.x0.len()
            )));
        }
        check_finite(&values, what, self.scalar_input)?;
        self.check_escapes(x.py(), &values)?;
        Ok(values)
    }

    /// The numbers of `x`, which must have x0's form (a number, or a vector of n).
    fn numbers(&self, x: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<f64>> {
        if self.scalar_input && !is_bool(x) {
            return match classify(x)? {
                Operand::Number(v) => Ok(vec![v]),
                _ => Err(PyTypeError::new_err(format!(
                    "{what} must be a number, as x0 was, not {}",
                    type_name(x)
                ))),
            };
        }
        match (read_point(x, what)?, self.scalar_input) {
            (Point::Number(v), true) => Ok(vec![v]),
            (Point::Vector(values), false) => {
                if values.len() != self.x0.len() {
                    return Err(PyValueError::new_err(format!(
                        "{what} has {} numbers, but the recording has {} inputs",
                        values.len(),
                        self.x0.len()
                    )));
                }
                Ok(values)
            }
            (Point::Vector(_), true) => Err(PyTypeError::new_err(format!(
                "{what} must be a number, as x0 was, not {}",
                type_name(x)
            ))),
            (Point::Number(_), false) => Err(PyTypeError::new_err(format!(
                "{what} must be a sequence of {} numbers, as x0 was, not a number",
                self.x0.len()
            ))),
        }
    }

    /// EscapedValueError when `f` read a value the recording cannot follow and `x`
    /// is not the point it was recorded at.
    fn check_escapes(&self, py: Python<'_>, x: &[f64]) -> PyResult<()> {
        let same = x
            .iter()
            .zip(&self.x0)
            .all(|(a, b)| a.to_bits() == b.to_bits());
        let Some((escape, place)) = self.escapes.first() else {
            return Ok(());
        };
        if same {
            return Ok(());
        }
        let more = match self.escape_count - 1 {
            0 => String::new(),
            k => format!(" (and {k} more such reads)"),
        };
        Err(EscapedValueError::new_err(format!(
            "while it was recorded, f {}{more}: the recording cannot follow what f did then, \
             so it replays only at the point it was recorded at, and this x is another. Record \
             again at this point (wengert.record(f, x)), or keep to operations and comparisons \
             of Records inside f: they are recorded",
            escape.sentence(&place.describe(py)),
        )))
    }

    /// Run `job` on the program with this recording's working memory, without the GIL
    /// when the work is long and needs no Python.
    fn run<T: Send>(
        &self,
        py: Python<'_>,
        work: usize,
        job: impl FnOnce(&Program, &mut Scratch, &mut dyn Customs) -> Result<T, ReplayError> + Send,
    ) -> PyResult<T> {
        let mut own = None;
        let mut shared = self.scratch.try_lock().ok();
        let scratch: &mut Scratch = match shared.as_deref_mut() {
            Some(s) => s,
            None => own.insert(Scratch::default()),
        };
        let program = &self.program;
        if program.has_customs() {
            let mut customs = PyCustoms {
                py,
                customs: &self.customs,
                error: None,
            };
            let result = job(program, scratch, &mut customs);
            let error = customs.error.take();
            return result.map_err(|e| self.error(py, e, error));
        }
        let result = if work >= LONG_SWEEP {
            py.detach(|| job(program, scratch, &mut NoCustoms))
        } else {
            job(program, scratch, &mut NoCustoms)
        };
        result.map_err(|e| self.error(py, e, None))
    }

    /// `value` as the recorded code saw it: "x[3]", "x", a constant or an entry.
    fn describe(&self, py: Python<'_>, value: Value) -> String {
        match value {
            Value::Entry(i) if (i as usize) < self.x0.len() => {
                if self.scalar_input {
                    "x".into()
                } else {
                    format!("x[{i}]")
                }
            }
            Value::Entry(i) => format!("the value of entry {i}"),
            Value::Constant(c) => float_str(py, c).unwrap_or_else(|_| c.to_string()),
        }
    }

    fn error(&self, py: Python<'_>, error: ReplayError, custom: Option<PyErr>) -> PyErr {
        match error {
            ReplayError::Math { entry, error } => math_error_in(
                error,
                &format!(
                    "replaying the recording at this x, entry {entry} has no value; f raises \
                     this here too, unless it catches it: then record again at this point"
                ),
            ),
            ReplayError::BranchChanged { guard } => {
                let g = self.program.guards()[guard];
                let (place, text) = match self.guard_places.get(guard) {
                    Some((place, text)) => (place.describe(py), *text),
                    None => (String::new(), GuardText::Comparison),
                };
                let left = self.describe(py, g.left);
                let comparison = match text {
                    GuardText::Comparison => format!(
                        "{left} {} {}",
                        g.comparison.symbol(),
                        self.describe(py, g.right)
                    ),
                    GuardText::Truth => format!("bool({left})"),
                    GuardText::Finite => format!(
                        "{left} is finite, as math.floor(), math.ceil() and math.trunc() need"
                    ),
                };
                BranchChangedError::new_err(format!(
                    "comparison {} of {} in the recording ({comparison}{place}) was {} when \
                     recorded and is {} at this x: f takes another branch here, which the \
                     recording does not hold. Record again at this point: wengert.record(f, x)",
                    guard + 1,
                    self.program.guards().len(),
                    if g.outcome { "True" } else { "False" },
                    if g.outcome { "False" } else { "True" },
                ))
            }
            ReplayError::Custom => custom.unwrap_or_else(|| {
                PyValueError::new_err("a custom operation of the recording failed")
            }),
            ReplayError::NoSecondDerivative { entry } => {
                let place = self
                    .customs
                    .iter()
                    .find(|c| c.0 as usize == entry)
                    .map(|c| c.2.describe(py))
                    .unwrap_or_default();
                PyValueError::new_err(format!(
                    "hessian() and hvp() need second derivatives, and the custom operation at \
                     entry {entry} (made with unary() or binary(){place}) has none: write that \
                     function with wengert's operations instead, or use gradient() and jacobian()"
                ))
            }
            ReplayError::OutOfMemory => {
                PyMemoryError::new_err("out of memory for replaying the recording")
            }
            // The buffers here are always of the right length.
            ReplayError::Length => PyValueError::new_err(
                "the replay was given a point or a buffer of the wrong length",
            ),
        }
    }

    /// ValueError unless `f` returned a single number.
    fn check_scalar_output(&self, method: &str) -> PyResult<()> {
        if self.scalar_output {
            return Ok(());
        }
        Err(PyValueError::new_err(format!(
            "{method} needs a function with one output, and f returned a sequence of {}: use \
             jacobian(x), or record a function returning one number",
            self.program.outputs().len()
        )))
    }

    /// A vector of the inputs' size, as x0's form: a float for a number, else an array.
    fn input_shaped<'py>(&self, py: Python<'py>, data: &[f64]) -> PyResult<Bound<'py, PyAny>> {
        if self.scalar_input {
            Ok(PyFloat::new(py, data[0]).into_any())
        } else {
            array(py, &[data.len()], data)
        }
    }
}

#[pymethods]
impl PyRecording {
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(
        _args: &Bound<'_, PyTuple>,
        _kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<Self> {
        Err(PyTypeError::new_err(
            "Recording cannot be created directly: use wengert.record(f, x0), which runs f \
             once at x0 and returns its Recording",
        ))
    }

    /// The value of f at `x`: a float, or a float64 array when f returned a sequence.
    fn value<'py>(&self, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = x.py();
        let x = self.point(x, "value(x): x")?;
        let values = self.run(py, self.program.len(), |p, s, c| p.values(&x, s, c))?;
        if self.scalar_output {
            Ok(PyFloat::new(py, values[0]).into_any())
        } else {
            array(py, &[values.len()], &values)
        }
    }

    /// The gradient of f at `x`: a float for a number x0, else a float64 array of shape (n,).
    fn gradient<'py>(&self, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.value_and_gradient(x)?.1)
    }

    /// `(value(x), gradient(x))`, from one replay.
    fn value_and_gradient<'py>(&self, x: &Bound<'py, PyAny>) -> PyResult<(f64, Bound<'py, PyAny>)> {
        let py = x.py();
        self.check_scalar_output("gradient(x)")?;
        let x = self.point(x, "gradient(x): x")?;
        let mut gradient = vec![0.0; x.len()];
        let value = self.run(py, self.program.len(), |p, s, c| {
            p.value_and_gradient(&x, 0, &mut gradient, s, c)
        })?;
        Ok((value, self.input_shaped(py, &gradient)?))
    }

    /// The Jacobian of f at `x`: a float64 array of shape (m, n), row i holding the
    /// derivatives of output i (m = 1 for a function returning one number).
    fn jacobian<'py>(&self, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = x.py();
        let x = self.point(x, "jacobian(x): x")?;
        let (m, n) = (self.program.outputs().len(), x.len());
        let mut jacobian = result_buffer(m.checked_mul(n), " (the Jacobian)")?;
        let work = self.program.len() * m.min(n).max(1);
        self.run(py, work, |p, s, c| p.jacobian(&x, &mut jacobian, s, c))?;
        array(py, &[m, n], &jacobian)
    }

    /// The Hessian of f at `x`, exact (forward-over-reverse on the recording): a float
    /// for a number x0, else a float64 array of shape (n, n).
    fn hessian<'py>(&self, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = x.py();
        self.check_scalar_output("hessian(x)")?;
        let x = self.point(x, "hessian(x): x")?;
        let n = x.len();
        let mut hessian = result_buffer(
            n.checked_mul(n),
            " (the Hessian, n x n): hvp(x, v) gives its product with a vector without it",
        )?;
        let work = self.program.len() * (1 + n);
        self.run(py, work, |p, s, c| p.hessian(&x, 0, &mut hessian, s, c))?;
        if self.scalar_input {
            return Ok(PyFloat::new(py, hessian[0]).into_any());
        }
        array(py, &[n, n], &hessian)
    }

    /// The Hessian of f at `x` times the vector `v` (of x's form), without forming
    /// the Hessian: one forward-over-reverse pass.
    fn hvp<'py>(
        &self,
        x: &Bound<'py, PyAny>,
        v: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = x.py();
        self.check_scalar_output("hvp(x, v)")?;
        let x = self.point(x, "hvp(x, v): x")?;
        let v = self.numbers(v, "hvp(x, v): v")?;
        check_finite(&v, "hvp(x, v): v", self.scalar_input)?;
        let mut product = vec![0.0; x.len()];
        self.run(py, self.program.len(), |p, s, c| {
            p.hvp(&x, 0, &v, &mut product, s, c)
        })?;
        self.input_shaped(py, &product)
    }

    /// The gradient at every row of the 2-D array `X` (one point per row, n columns),
    /// as a float64 array of the same shape. Long batches let other threads run.
    #[pyo3(name = "gradients")]
    fn gradients<'py>(&self, xs: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = xs.py();
        self.check_scalar_output("gradients(X)")?;
        let n = self.x0.len();
        let numpy = py.import("numpy")?;
        let not_2d = |detail: String| {
            PyTypeError::new_err(format!(
                "gradients(X) takes a 2-D array of numbers with one point per row ({n} \
                 columns){detail}; for one point use gradient(x)"
            ))
        };
        // numpy's own error for something that is no array of numbers, but an int beyond
        // float range stays the OverflowError float arithmetic raises.
        let not_numbers = |e: PyErr| {
            if e.is_instance_of::<PyOverflowError>(py) {
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
                        "gradients(X) takes a 2-D array of real numbers (floats or ints), one \
                         point per row, but X holds a {}",
                        type_name(&item)
                    )));
                }
            }
        } else if !matches!(kind.as_str(), "f" | "i" | "u") {
            return Err(PyTypeError::new_err(format!(
                "gradients(X) takes a 2-D array of real numbers (floats or ints), one point per \
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
                "gradients(X): X has {} columns, but the recording has {n} inputs",
                shape.1
            )));
        }
        let matrix = numpy.call_method1("ascontiguousarray", (matrix,))?;
        let points = PyBuffer::<f64>::get(&matrix)?.to_vec(py)?;
        for (r, row) in points.chunks(n.max(1)).enumerate() {
            check_finite(row, &format!("gradients(X): row {r} of X, element"), false)?;
            self.check_escapes(py, row)?;
        }
        let mut gradients = result_buffer(shape.0.checked_mul(n), " (one gradient per row)")?;
        let work = self.program.len() * shape.0;
        let mut row = 0;
        if n > 0 {
            let replayed = self.run(py, work, |p, s, c| {
                for (x, g) in points.chunks(n).zip(gradients.chunks_mut(n)) {
                    p.value_and_gradient(x, 0, g, s, c)?;
                    row += 1;
                }
                Ok(())
            });
            // The same exception, saying which row raised it.
            replayed.map_err(|error| {
                let message = format!("row {row} of X: {}", error.value(py));
                PyErr::from_type(error.get_type(py), message)
            })?;
        }
        array(py, &[shape.0, n], &gradients)
    }

    /// The Python functions of custom operations, for the garbage collector: a function
    /// that refers back to its recording makes a cycle it must be able to see.
    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        for (_, custom, _) in &self.customs {
            match custom {
                Custom::Unary { f, df } => {
                    visit.call(f)?;
                    visit.call(df)?;
                }
                Custom::Binary { f, dfx, dfy } => {
                    visit.call(f)?;
                    visit.call(dfx)?;
                    visit.call(dfy)?;
                }
                Custom::Round(ndigits) => visit.call(ndigits)?,
            }
        }
        Ok(())
    }

    /// `Recording[float]` and `Recording[numpy.ndarray]` in annotations evaluated at run
    /// time, as the stubs' generic class is written.
    #[classmethod]
    fn __class_getitem__(
        cls: &Bound<'_, pyo3::types::PyType>,
        item: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let alias = cls.py().import("types")?.getattr("GenericAlias")?;
        Ok(alias.call1((cls, item))?.unbind())
    }

    /// The number of inputs (1 for a number x0).
    #[getter]
    fn n_inputs(&self) -> usize {
        self.x0.len()
    }

    /// The number of outputs (1 for a function returning one number).
    #[getter]
    fn n_outputs(&self) -> usize {
        self.program.outputs().len()
    }

    /// How many comparisons of Records f made while it was recorded (each is checked
    /// at every replay).
    #[getter]
    fn n_comparisons(&self) -> usize {
        self.program.guards().len()
    }

    /// The point the recording was made at, in x0's form.
    #[getter]
    fn x0<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.input_shaped(py, &self.x0)
    }

    /// The reads of Records' values the recording cannot follow, as messages (empty
    /// when there was none); with any, replay works only at x0.
    #[getter]
    fn escapes(&self, py: Python<'_>) -> Vec<String> {
        self.escapes
            .iter()
            .map(|(escape, place)| format!("{}{}", escape.name(), place.describe(py)))
            .collect()
    }

    /// The number of entries: operations recorded, inputs included.
    fn __len__(&self) -> usize {
        self.program.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Recording(n_inputs={}, n_outputs={}, entries={}, comparisons={}{})",
            self.x0.len(),
            self.program.outputs().len(),
            self.program.len(),
            self.program.guards().len(),
            if self.escape_count > 0 {
                format!(", escapes={}", self.escape_count)
            } else {
                String::new()
            }
        )
    }

    /// Always raises TypeError: a recording holds live Python functions and code.
    fn __reduce__(&self) -> PyResult<()> {
        Err(PyTypeError::new_err(
            "a Recording cannot be pickled: record the function again in the new process \
             with wengert.record(f, x0)",
        ))
    }
}
