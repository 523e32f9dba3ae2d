//! The PyO3 glue: the Python module `wengert._core`.
//!
//! One file per exposed class (`trace.rs`, `multi_trace.rs`, `jet.rs`, `record.rs`,
//! `wengert_list.rs`, `derivatives.rs`, `recording.rs`), and what they share:
//! - `number.rs`: the `NumberClass` trait every number class implements, and the
//!   number protocol and math methods written once on it (`number_methods!`);
//! - `input.rs`: what Python hands the glue, read and checked (operands, points, rows);
//! - `record_log.rs`: what a tape being recorded must know of (guards, escapes,
//!   custom operations), told by the number classes;
//! - `slots.rs`: the number slots and allocation of Trace and Record, the hot path;
//! - `math_functions.rs`: `wengert.sin` and the other functions of the list in
//!   [`crate::functions`], native;
//! - `errors.rs`: the exception types, and every engine error's conversion to them;
//! - `customs.rs`: a recording's custom operations, called back at replay;
//! - `replay_errors.rs`: a replay's errors, told in the recorded code's terms;
//! - `form.rs`: the form of a recording's input (a number, a sequence, an array of a
//!   shape), which `f` receives and the replays read and answer in;
//! - `recording_bytes.rs`: a `Recording` as bytes of the file format
//!   ([`crate::replay::format`]) and pickling.
//! - `block.rs`: `wengert.custom`, a custom operation of many inputs and outputs;
//! - `sparse.rs`: a Recording's sparse Jacobian and Hessian (plans kept, results
//!   handed to `wengert._sparse` for scipy.sparse or numpy triplets).
//!
//! The glue converts arguments and errors and does nothing else: every operation's
//! value and derivatives come from [`crate::ops`].
//!
//! Imports between the glue's files: the number classes import `number`, `input`
//! and `record_log`; `record_log` imports `input` and the Record class (whose tape it
//! writes to); `recording` imports them all. No number class imports `recording`.

use pyo3::prelude::*;

mod batches;
mod block;
mod compiled;
mod customs;
mod derivatives;
mod errors;
mod form;
mod input;
mod jet;
mod math_functions;
mod multi_trace;
mod number;
mod record;
mod record_log;
mod recording;
mod recording_bytes;
mod replay_errors;
mod slots;
mod sparse;
mod trace;
mod wengert_list;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<trace::PyTrace>()?;
    m.add_class::<multi_trace::PyMultiTrace>()?;
    m.add_class::<jet::PyJet>()?;
    m.add_class::<record::PyRecord>()?;
    m.add_class::<wengert_list::PyWengertList>()?;
    m.add_class::<derivatives::PyDerivatives>()?;
    m.add_class::<recording::PyRecording>()?;
    m.add_class::<block::PyCustomOperation>()?;
    m.add_function(wrap_pyfunction!(block::custom, m)?)?;
    m.add_function(wrap_pyfunction!(recording::record, m)?)?;
    m.add_function(wrap_pyfunction!(
        recording_bytes::_recording_from_pickle,
        m
    )?)?;
    slots::install(py)?;
    math_functions::add(m)?;
    m.add("TapeError", py.get_type::<errors::TapeError>())?;
    m.add("MixedTapesError", py.get_type::<errors::MixedTapesError>())?;
    m.add(
        "StaleRecordError",
        py.get_type::<errors::StaleRecordError>(),
    )?;
    m.add(
        "ConstantRecordError",
        py.get_type::<errors::ConstantRecordError>(),
    )?;
    m.add("MixedModesError", py.get_type::<errors::MixedModesError>())?;
    m.add(
        "ImplicitConversionError",
        py.get_type::<errors::ImplicitConversionError>(),
    )?;
    m.add(
        "BranchChangedError",
        py.get_type::<errors::BranchChangedError>(),
    )?;
    m.add(
        "EscapedValueError",
        py.get_type::<errors::EscapedValueError>(),
    )?;
    Ok(())
}
