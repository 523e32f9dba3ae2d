//! The PyO3 glue: the Python module `wengert._core`.
//!
//! One file per exposed class; `number.rs` holds what Trace, MultiTrace and Record share,
//! `operand.rs` how an operand is recognised, `errors.rs` the exception types.
//! The glue converts arguments and errors and does nothing else: every
//! operation's value and derivatives come from [`crate::ops`].

use pyo3::prelude::*;

mod derivatives;
mod errors;
mod fast;
mod math_functions;
mod multi_trace;
mod number;
mod operand;
mod record;
mod recording;
mod trace;
mod wengert_list;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<trace::PyTrace>()?;
    m.add_class::<multi_trace::PyMultiTrace>()?;
    m.add_class::<record::PyRecord>()?;
    m.add_class::<wengert_list::PyWengertList>()?;
    m.add_class::<derivatives::PyDerivatives>()?;
    m.add_class::<recording::PyRecording>()?;
    m.add_function(wrap_pyfunction!(recording::record, m)?)?;
    fast::install(py)?;
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
