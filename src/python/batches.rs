//! A `Recording`'s batches: `values(X)`, `gradients(X)` and `value_and_gradients(X)`
//! at every row of a 2-D array, with the error of a row naming it.

use pyo3::prelude::*;

use super::form::array;
use super::input::{check_finite, read_rows};
use super::recording::{result_buffer, PyRecording};

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
            if row.iter().any(|v| !v.is_finite()) {
                check_finite(row, &format!("{what}: row {r} of X, element"), false)?;
            }
            self.check_escapes(py, row)
                .map_err(|error| in_row(py, r, error))?;
        }
        let buffer = |len: Option<usize>| result_buffer(len, " (one per row)");
        let width = if gradients { 1 } else { m };
        let mut values_out = buffer(rows.checked_mul(width))?;
        let mut grads_out = buffer(if gradients {
            rows.checked_mul(n)
        } else {
            Some(0)
        })?;
        let work = self.program.len() * rows;
        // A compiled recording's rows go through its code first (none when not
        // compiled), two a pass, stopping at a row it cannot finish; the rest are
        // interpreted,
        // several rows a pass where the program allows (`replay::ROWS`), with the
        // results and the errors of a row at a time.
        let shape = (rows, n, m);
        let first = self.compiled_rows(
            py,
            &points,
            shape,
            gradients,
            &mut values_out,
            &mut grads_out,
        );
        if first < rows {
            let mut row = first;
            let mut done = 0;
            let replayed = self.run(py, work, |p, s, c| {
                p.rows(
                    &points[first * n..],
                    rows - first,
                    gradients,
                    &mut values_out[first * width..],
                    &mut grads_out[if gradients { first * n } else { 0 }..],
                    s,
                    c,
                    &mut done,
                )
            });
            row += done;
            // The same exception, saying which row raised it.
            replayed.map_err(|error| in_row(py, row, error))?;
        }
        let values = if self.scalar_output {
            array(py, &[rows], &values_out)?
        } else {
            array(py, &[rows, m], &values_out)?
        };
        let grads = array(py, &[rows, if gradients { n } else { 0 }], &grads_out)?;
        Ok((values, grads))
    }
}

/// The same exception as `error`, its message saying that row `row` of X raised it.
fn in_row(py: Python<'_>, row: usize, error: PyErr) -> PyErr {
    let message = format!("row {row} of X: {}", error.value(py));
    PyErr::from_type(error.get_type(py), message)
}
