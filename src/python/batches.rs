//! A `Recording`'s batches: `values(X)`, `gradients(X)` and `value_and_gradients(X)`
//! at every row of a 2-D array, with the error of a row naming it.

use pyo3::prelude::*;

use super::form::array;
use super::input::{check_finite, read_rows};
use super::recording::PyRecording;

impl PyRecording {
    /// The values and (when `gradients`) the gradients of f at the rows of `xs`, as
    /// numpy arrays (the gradients' is empty when not asked for).
    pub(super) fn batch<'py>(
        &self,
        xs: &Bound<'py, PyAny>,
        what: &str,
        gradients: bool,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        let py = xs.py();
        if gradients {
            self.check_scalar_output(what)?;
        }
        let n = self.x0.len();
        let m = self.program.outputs().len();
        let (rows, points) = read_rows(xs, n, what)?;
        for (r, row) in points.chunks(n.max(1)).enumerate() {
            check_finite(row, &format!("{what}: row {r} of X, element"), false)?;
            self.check_escapes(py, row)?;
        }
        let buffer = |len: Option<usize>| super::recording::result_buffer(len, " (one per row)");
        let width = if gradients { 1 } else { m };
        let mut values = buffer(rows.checked_mul(width))?;
        let mut grads = buffer(if gradients {
            rows.checked_mul(n)
        } else {
            Some(0)
        })?;
        let work = self.program.len() * rows;
        let mut row = 0;
        let replayed = self.run(py, work, |p, s, c| {
            // Several rows a pass where the program allows (`replay::ROWS`), with the
            // results and the errors of a row at a time.
            p.rows(
                &points,
                rows,
                gradients,
                &mut values,
                &mut grads,
                s,
                c,
                &mut row,
            )
        });
        // The same exception, saying which row raised it.
        replayed.map_err(|error| {
            let message = format!("row {row} of X: {}", error.value(py));
            PyErr::from_type(error.get_type(py), message)
        })?;
        let values = if self.scalar_output {
            array(py, &[rows], &values)?
        } else {
            array(py, &[rows, m], &values)?
        };
        Ok((
            values,
            array(py, &[rows, if gradients { n } else { 0 }], &grads)?,
        ))
    }
}
