//! A `Recording` leaving the process: its bytes in the file format of
//! [`crate::replay::format`] (`to_bytes`, `from_bytes`, `save`, `load`), and pickling,
//! which sends the same bytes with the Python functions of custom operations (pickled
//! by reference, as pickle pickles functions).
//!
//! This file only converts: the recording's log to the format's notes and back.

use std::sync::Mutex;

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyInt, PyList, PyTuple};

use super::block::PyCustomOperation;
use super::compiled::Compilation;
use super::form::Form;
use super::record_log::{Custom, Escape, GuardText, Place};
use super::recording::PyRecording;
use super::sparse::Plans;
use crate::replay::format::{self, CustomKind, CustomNote, InputForm, Meta, Note};
use crate::replay::Scratch;

/// What the custom operation at `entry` is, for messages: "x.unary(...) at f.py:3 in f".
fn custom_name(py: Python<'_>, custom: &Custom, place: &Place) -> String {
    let what = match custom {
        Custom::Unary { .. } => "x.unary(fx, dfx_dx)",
        Custom::Binary { .. } => "x.binary(y, fxy, dfxy_dx, dfxy_dy)",
        Custom::Round(_) => "round(x, ndigits)",
        Custom::Block(_) => "wengert.custom(f, jacobian, hessian)",
    };
    format!("{what}{}", place.describe(py))
}

impl PyRecording {
    /// The recording's log as the format's [`Meta`]. Custom functions are refused
    /// (naming the first) unless `functions` is true (pickle sends them on their own).
    fn meta(&self, py: Python<'_>, functions: bool) -> PyResult<Meta> {
        let mut customs = Vec::with_capacity(self.customs.len());
        for (entry, custom, place) in &self.customs {
            let kind = match custom {
                Custom::Round(None) => CustomKind::Round(None),
                Custom::Round(Some(n)) => {
                    CustomKind::Round(Some(n.bind(py).extract::<i64>().map_err(|_| {
                        PyValueError::new_err(format!(
                            "the recording's {} has an ndigits the file format cannot hold \
                             (a 64-bit int)",
                            custom_name(py, custom, place)
                        ))
                    })?))
                }
                Custom::Unary { .. } | Custom::Binary { .. } | Custom::Block(_) if !functions => {
                    return Err(PyTypeError::new_err(format!(
                        "to_bytes(): the recording holds a custom operation, {} (entry \
                         {entry}), whose Python functions a recording's bytes cannot carry \
                         (the format holds no code): pickle the recording instead \
                         (pickle.dumps(rec)), which pickles the functions by reference",
                        custom_name(py, custom, place)
                    )))
                }
                Custom::Unary { .. } => CustomKind::Unary,
                Custom::Binary { .. } => CustomKind::Binary,
                Custom::Block(_) => {
                    let block = self.program.block_at(*entry as usize).ok_or_else(|| {
                        PyValueError::new_err("the recording lost a custom operation: record again")
                    })?;
                    CustomKind::Block {
                        inputs: block.0.to_vec(),
                        outputs: block.1,
                    }
                }
            };
            customs.push(CustomNote {
                entry: *entry,
                kind,
                place: place.describe(py),
            });
        }
        Ok(Meta {
            x0: self.x0.clone(),
            form: match &self.form {
                Form::Number => InputForm::Number,
                Form::Sequence => InputForm::Sequence,
                Form::Array(shape) => InputForm::Array(shape.clone()),
            },
            scalar_output: self.scalar_output,
            guard_notes: self
                .guard_places
                .iter()
                .map(|(place, text)| Note {
                    kind: match text {
                        GuardText::Comparison => 0,
                        GuardText::Truth => 1,
                        GuardText::Finite => 2,
                    },
                    name: String::new(),
                    place: place.describe(py),
                })
                .collect(),
            escape_count: self.escape_count as u64,
            escapes: self
                .escapes
                .iter()
                .map(|(escape, place)| {
                    let (kind, name) = match escape {
                        Escape::Read(what) => (0, what.to_string()),
                        Escape::Raised(error) => (1, error.clone()),
                        Escape::InexactInt => (2, String::new()),
                    };
                    Note {
                        kind,
                        name,
                        place: place.describe(py),
                    }
                })
                .collect(),
            customs,
            compiled: self.compilation.code().is_some(),
        })
    }

    /// The recording's bytes (custom functions' entries included when `functions`).
    pub(super) fn bytes(&self, py: Python<'_>, functions: bool) -> PyResult<Vec<u8>> {
        let meta = self.meta(py, functions)?;
        Ok(format::encode(&self.program, &meta))
    }

    /// A recording from bytes, with `functions` for its custom functions' entries (one
    /// tuple per such entry, in order: `(f, df)` or `(f, dfx, dfy)`); `what` names the
    /// caller in errors.
    pub(super) fn from_data(
        py: Python<'_>,
        data: &[u8],
        functions: Option<&Bound<'_, PyAny>>,
        what: &str,
    ) -> PyResult<PyRecording> {
        let (program, meta) = format::decode(data).map_err(|e| {
            PyValueError::new_err(format!("{what}: the data is not a valid recording: {e}"))
        })?;
        let mut supplied = match functions {
            Some(f) => Some(f.try_iter()?),
            None => None,
        };
        let mut customs = Vec::with_capacity(meta.customs.len());
        for note in meta.customs {
            let place = Place::from_text(note.place);
            let arity = match note.kind {
                CustomKind::Round(ndigits) => {
                    let ndigits = ndigits.map(|n| PyInt::new(py, n).into_any().unbind());
                    customs.push((note.entry, Custom::Round(ndigits), place));
                    continue;
                }
                CustomKind::Unary => 2,
                CustomKind::Binary => 3,
                CustomKind::Block { .. } => 1,
            };
            let Some(items) = supplied.as_mut() else {
                return Err(PyValueError::new_err(format!(
                    "{what}: the data holds a custom operation (entry {}) whose Python \
                     functions are not in it: such recordings travel by pickle only",
                    note.entry
                )));
            };
            let missing = || {
                PyValueError::new_err(if arity == 1 {
                    format!(
                        "{what}: the custom operation at entry {} needs its CustomOperation \
                         (made by wengert.custom)",
                        note.entry
                    )
                } else {
                    format!(
                        "{what}: the functions of the custom operation at entry {} are missing \
                         or not what it needs ({arity} functions, or {} with its second \
                         derivatives, each callable)",
                        note.entry,
                        arity + 1
                    )
                })
            };
            let item = items.next().ok_or_else(missing)??;
            if arity == 1 {
                // A block: its operation, which pickled its functions.
                let op = item
                    .extract::<(Bound<'_, PyAny>,)>()
                    .ok()
                    .and_then(|(op,)| op.cast_into::<PyCustomOperation>().ok())
                    .ok_or_else(missing)?;
                customs.push((note.entry, Custom::Block(op.unbind()), place));
                continue;
            }
            // The functions, then the second derivative's function where there is one.
            let f: Vec<Py<PyAny>> = item.extract()?;
            let with_second = f.len() == arity + 1;
            if !(f.len() == arity || with_second) || f.iter().any(|f| !f.bind(py).is_callable()) {
                return Err(missing());
            }
            let mut f = f.into_iter();
            let mut next = || f.next().expect("the arity was checked");
            let custom = if arity == 2 {
                Custom::Unary {
                    f: next(),
                    df: next(),
                    d2f: with_second.then(&mut next),
                }
            } else {
                Custom::Binary {
                    f: next(),
                    dfx: next(),
                    dfy: next(),
                    d2f: with_second.then(&mut next),
                }
            };
            customs.push((note.entry, custom, place));
        }
        if let Some(mut items) = supplied {
            if items.next().is_some() {
                return Err(PyValueError::new_err(format!(
                    "{what}: the data has functions for more custom operations than the \
                     recording holds"
                )));
            }
        }
        let guard_places = meta
            .guard_notes
            .into_iter()
            .map(|note| {
                let text = match note.kind {
                    0 => GuardText::Comparison,
                    1 => GuardText::Truth,
                    _ => GuardText::Finite,
                };
                (Place::from_text(note.place), text)
            })
            .collect();
        let escapes = meta
            .escapes
            .into_iter()
            .map(|note| {
                let escape = match note.kind {
                    0 => Escape::Read(note.name.into()),
                    1 => Escape::Raised(note.name),
                    _ => Escape::InexactInt,
                };
                (escape, Place::from_text(note.place))
            })
            .collect();
        let compile = meta.compiled;
        let recording = PyRecording {
            program,
            scratch: Mutex::new(Scratch::default()),
            customs,
            guard_places,
            escapes,
            escape_count: usize::try_from(meta.escape_count).unwrap_or(usize::MAX),
            x0: meta.x0,
            form: match meta.form {
                InputForm::Number => Form::Number,
                InputForm::Sequence => Form::Sequence,
                InputForm::Array(shape) => Form::Array(shape),
            },
            scalar_output: meta.scalar_output,
            plans: Plans::default(),
            compilation: Compilation::default(),
        };
        // Compiled when it was written: compiled again (the code never travels).
        if compile {
            recording.compile_now(py);
        }
        Ok(recording)
    }

    /// The arguments pickle rebuilds the recording from: its bytes and the functions of
    /// its custom operations, each checked to pickle (a lambda's error names the operation).
    pub(super) fn reduce<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let data = self.bytes(py, true)?;
        let pickle = py.import("pickle")?;
        let mut functions = Vec::new();
        for (entry, custom, place) in &self.customs {
            let parts = match custom {
                Custom::Unary { f, df, d2f } => {
                    let mut parts = vec![f.clone_ref(py), df.clone_ref(py)];
                    parts.extend(d2f.as_ref().map(|d2f| d2f.clone_ref(py)));
                    parts
                }
                Custom::Binary { f, dfx, dfy, d2f } => {
                    let mut parts = vec![f.clone_ref(py), dfx.clone_ref(py), dfy.clone_ref(py)];
                    parts.extend(d2f.as_ref().map(|d2f| d2f.clone_ref(py)));
                    parts
                }
                Custom::Block(op) => vec![op.clone_ref(py).into_any()],
                Custom::Round(_) => continue,
            };
            for function in &parts {
                if let Err(e) = pickle.call_method1("dumps", (function,)) {
                    let error = pickle.getattr("PicklingError")?.call1((format!(
                        "the recording's custom operation {} (entry {entry}) cannot be \
                         pickled: its function {} does not pickle ({}). Pickle stores \
                         functions by reference: use functions defined at a module's top \
                         level (def), not lambdas or nested functions",
                        custom_name(py, custom, place),
                        function.bind(py).repr()?,
                        e.value(py)
                    ),))?;
                    let error = PyErr::from_value(error);
                    error.set_cause(py, Some(e));
                    return Err(error);
                }
            }
            functions.push(PyTuple::new(py, parts)?);
        }
        let restore = py
            .import("wengert._core")?
            .getattr("_recording_from_pickle")?;
        let arguments = (
            pyo3::types::PyBytes::new(py, &data),
            PyList::new(py, functions)?,
        );
        PyTuple::new(py, [restore, arguments.into_pyobject(py)?.into_any()])
    }
}

/// The bytes of a bytes-like object (bytes, bytearray, memoryview, a uint8 array).
pub(super) fn bytes_of(data: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    let not_bytes = || {
        PyTypeError::new_err(format!(
            "{what} takes bytes (or a bytearray or memoryview), not {}",
            data.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))
    };
    let buffer = PyBuffer::<u8>::get(data).map_err(|_| not_bytes())?;
    buffer.to_vec(data.py())
}

/// Rebuild a pickled recording: its bytes and the functions of its custom operations.
#[pyfunction]
pub(crate) fn _recording_from_pickle(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    functions: &Bound<'_, PyAny>,
) -> PyResult<PyRecording> {
    let what = "unpickling a Recording";
    PyRecording::from_data(py, &bytes_of(data, what)?, Some(functions), what)
}
