//! Glue for sparse derivatives of a `Recording`: its Jacobian's and Hessian's plans
//! (pattern and colouring, made once and kept: a recording does not change), and
//! their results handed to `wengert._sparse`, which makes the scipy.sparse arrays or
//! the numpy triplets.

use std::sync::OnceLock;

use pyo3::exceptions::{PyMemoryError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use super::form::array;
use super::input::{check_finite, read_point, Point};
use super::recording::{result_buffer, PyRecording};
use crate::replay::{HessianPlan, JacobianPlan, Pattern, ReplayError};
use crate::tape::LONG_SWEEP;

/// A recording's sparse plans, made on first use.
#[derive(Default)]
pub(super) struct Plans {
    jacobian: OnceLock<JacobianPlan>,
    hessian: OnceLock<HessianPlan>,
}

/// What a sparse method returns.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    /// A scipy.sparse.csr_array.
    Csr,
    /// `(rows, cols, values)` numpy arrays (`(rows, cols)` for a pattern).
    Coo,
    /// The values alone, in the order of the `coo` form.
    Values,
}

fn format(name: &str, method: &str, values: bool) -> PyResult<Format> {
    match name {
        "csr" => Ok(Format::Csr),
        "coo" => Ok(Format::Coo),
        "values" if values => Ok(Format::Values),
        _ => Err(PyValueError::new_err(format!(
            "{method}: format must be \"csr\" (a scipy.sparse.csr_array), \"coo\" (numpy \
             triplets){}, not {name:?}",
            if values {
                " or \"values\" (the values alone, in the order of the triplets)"
            } else {
                ""
            }
        ))),
    }
}

/// The error of a plan that could not be made.
fn plan_error(error: ReplayError) -> PyErr {
    match error {
        ReplayError::OutOfMemory => PyMemoryError::new_err(
            "out of memory for the sparsity pattern or its colouring: the derivatives are too \
             dense for the sparse methods; use hvp(x, v), or jacobian(x) and hessian(x) on a \
             smaller problem",
        ),
        other => PyValueError::new_err(format!("the sparsity pattern failed: {other}")),
    }
}

/// `pattern` (with `values`, or ones) in `format`, made by `wengert._sparse`.
fn to_python<'py>(
    py: Python<'py>,
    pattern: &Pattern,
    values: Option<&[f64]>,
    format: Format,
) -> PyResult<Bound<'py, PyAny>> {
    let values = values.map(|v| array(py, &[v.len()], v)).transpose()?;
    if let (Format::Values, Some(values)) = (format, &values) {
        return Ok(values.clone());
    }
    let indptr: Vec<u8> = pattern
        .indptr
        .iter()
        .flat_map(|&p| (p as u64).to_ne_bytes())
        .collect();
    let indices: Vec<u8> = pattern
        .indices
        .iter()
        .flat_map(|i| i.to_ne_bytes())
        .collect();
    let name = if format == Format::Csr { "csr" } else { "coo" };
    py.import("wengert._sparse")?.getattr("result")?.call1((
        (pattern.rows, pattern.cols),
        PyBytes::new(py, &indptr),
        PyBytes::new(py, &indices),
        values,
        name,
    ))
}

impl PyRecording {
    /// The Jacobian's plan, made on the first call (without the GIL).
    fn jacobian_plan(&self, py: Python<'_>) -> PyResult<&JacobianPlan> {
        let plans = self.plans();
        if let Some(plan) = plans.jacobian.get() {
            return Ok(plan);
        }
        let program = self.program();
        let plan = py.detach(|| program.jacobian_plan()).map_err(plan_error)?;
        Ok(plans.jacobian.get_or_init(|| plan))
    }

    /// The Hessian's plan, made on the first call (without the GIL).
    fn hessian_plan(&self, py: Python<'_>) -> PyResult<&HessianPlan> {
        let plans = self.plans();
        if let Some(plan) = plans.hessian.get() {
            return Ok(plan);
        }
        let program = self.program();
        let plan = py.detach(|| program.hessian_plan()).map_err(plan_error)?;
        Ok(plans.hessian.get_or_init(|| plan))
    }

    pub(super) fn jacobian_sparsity_py<'py>(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let format = format(name, "jacobian_sparsity(format)", false)?;
        to_python(py, &self.jacobian_plan(py)?.pattern, None, format)
    }

    pub(super) fn hessian_sparsity_py<'py>(
        &self,
        py: Python<'py>,
        name: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let format = format(name, "hessian_sparsity(format)", false)?;
        to_python(py, &self.hessian_plan(py)?.pattern, None, format)
    }

    pub(super) fn jacobian_colours_py(&self, py: Python<'_>) -> PyResult<usize> {
        Ok(self.jacobian_plan(py)?.colouring.count)
    }

    pub(super) fn hessian_colours_py(&self, py: Python<'_>) -> PyResult<usize> {
        Ok(self.hessian_plan(py)?.colouring.count)
    }

    pub(super) fn sparse_jacobian_py<'py>(
        &self,
        x: &Bound<'py, PyAny>,
        name: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = x.py();
        let format = format(name, "sparse_jacobian(x, format)", true)?;
        let x = self.point(x, "sparse_jacobian(x): x")?;
        let plan = self.jacobian_plan(py)?;
        let mut values = result_buffer(Some(plan.pattern.nnz()), " (the sparse Jacobian)")?;
        let work = self.program().len() * plan.colouring.count.max(1);
        let program = self.program();
        let fast = |values: &mut [f64]| {
            self.compilation
                .run(|c, w| c.sparse_jacobian(program, plan, &x, values, w))
        };
        // The forward passes' code, if the plan has them, is compiled on the first call:
        // other threads run meanwhile.
        let done = if work >= LONG_SWEEP || self.compilation.code().is_some() {
            py.detach(|| fast(&mut values))
        } else {
            fast(&mut values)
        };
        if done.is_none() {
            self.run(py, work, |p, s, c| {
                p.sparse_jacobian(plan, &x, &mut values, s, c)
            })?;
        }
        to_python(py, &plan.pattern, Some(&values), format)
    }

    pub(super) fn sparse_hessian_py<'py>(
        &self,
        x: &Bound<'py, PyAny>,
        weights: Option<&Bound<'py, PyAny>>,
        name: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = x.py();
        let format = format(name, "sparse_hessian(x, weights, format)", true)?;
        let m = self.program().outputs().len();
        let weights = match weights {
            None => {
                self.check_scalar_output("sparse_hessian(x) (without weights)")?;
                vec![1.0]
            }
            Some(w) => {
                let what = "sparse_hessian(x, weights): weights";
                let w = match read_point(w, what)? {
                    Point::Number(v) => vec![v],
                    Point::Vector(v) => v,
                };
                if w.len() != m {
                    return Err(PyValueError::new_err(format!(
                        "{what} has {} numbers, but the recording has {m} outputs",
                        w.len()
                    )));
                }
                check_finite(&w, what, false)?;
                w
            }
        };
        let x = self.point(x, "sparse_hessian(x): x")?;
        let plan = self.hessian_plan(py)?;
        let mut values = result_buffer(Some(plan.pattern.nnz()), " (the sparse Hessian)")?;
        let work = self.program().len() * (1 + plan.colouring.count);
        let (lanes, _) = plan.passes();
        self.compile_second_order(py, lanes);
        let program = self.program();
        let fast = |values: &mut [f64]| {
            self.compilation
                .run(|c, w| c.sparse_hessian(program, plan, &x, &weights, values, w))
        };
        let done = if work >= LONG_SWEEP {
            py.detach(|| fast(&mut values))
        } else {
            fast(&mut values)
        };
        if done.is_none() {
            self.run(py, work, |p, s, c| {
                p.sparse_hessian(plan, &x, &weights, &mut values, s, c)
            })?;
        }
        to_python(py, &plan.pattern, Some(&values), format)
    }
}
