//! A recording's custom operations at replay: the user's Python functions (`unary`,
//! `binary`, with their second derivatives where given, and `round`), called for the
//! replay engine through its [`Customs`] trait, with the GIL held.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use super::number::{call_float, check_integral, float_round, second_partials, NumberClass};
use super::record::PyRecord;
use super::record_log::{Custom, Place};
use crate::replay::{Customs, ReplayError};

/// `f`'s evaluation of custom operations during a replay (with the GIL held).
pub(super) struct PyCustoms<'a, 'py> {
    pub(super) py: Python<'py>,
    pub(super) customs: &'a [(u32, Custom, Place)],
    pub(super) error: Option<PyErr>,
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
            Custom::Unary { f, df, .. } => (
                call_float(f.bind(py), (x,), "fx")?,
                call_float(df.bind(py), (x,), "dfx_dx")?,
                0.0,
            ),
            Custom::Binary { f, dfx, dfy, .. } => (
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
            Custom::Block(_) => {
                return Err(PyValueError::new_err(
                    "the recording lost a custom operation: record again",
                ))
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

    fn second(&mut self, entry: usize, x: f64, y: f64) -> Result<[f64; 3], ReplayError> {
        let py = self.py;
        let result = match self.find(entry) {
            Some(Custom::Round(_)) => return Ok([0.0; 3]),
            Some(Custom::Unary { d2f: Some(d2f), .. }) => {
                call_float(d2f.bind(py), (x,), "d2fx_dx2").map(|h| [h, 0.0, 0.0])
            }
            Some(Custom::Binary { d2f: Some(d2f), .. }) => second_partials(d2f.bind(py), x, y),
            _ => return Err(ReplayError::NoSecondDerivative { entry }),
        };
        result.map_err(|e| {
            self.error = Some(e);
            ReplayError::Custom
        })
    }

    fn step(&mut self, entry: usize) -> bool {
        matches!(self.find(entry), Some(Custom::Round(_)))
    }

    fn block_second(
        &mut self,
        entry: usize,
        x: &[f64],
        hessian: &mut [f64],
    ) -> Result<(), ReplayError> {
        let m = hessian.len() / (x.len() * x.len()).max(1);
        let result = match self.find(entry) {
            Some(Custom::Block(op)) => op.get().second(self.py, x, m),
            _ => Err(PyValueError::new_err(
                "the recording lost a custom operation: record again",
            )),
        };
        match result {
            Ok(Some(h)) => {
                hessian.copy_from_slice(&h);
                Ok(())
            }
            Ok(None) => Err(ReplayError::NoSecondDerivative { entry }),
            Err(e) => {
                self.error = Some(e);
                Err(ReplayError::Custom)
            }
        }
    }

    fn block(
        &mut self,
        entry: usize,
        x: &[f64],
        values: &mut [f64],
        jacobian: &mut [f64],
    ) -> Result<(), ReplayError> {
        let result = match self.find(entry) {
            Some(Custom::Block(op)) => op.get().replay(self.py, x, values, jacobian),
            _ => Err(PyValueError::new_err(
                "the recording lost a custom operation: record again",
            )),
        };
        result.map_err(|e| {
            self.error = Some(e);
            ReplayError::Custom
        })
    }
}
