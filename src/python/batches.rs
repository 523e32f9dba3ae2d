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
        let mut values = buffer(rows.checked_mul(m))?;
        let mut grads = buffer(if gradients {
            rows.checked_mul(n)
        } else {
            Some(0)
        })?;
        let work = self.program.len() * rows;
        // The compiled code's rows first (none when not compiled), the rest interpreted.
        let shape = (rows, n, m);
        let first = self.compiled_rows(py, &points, shape, gradients, &mut values, &mut grads);
        let mut row = first;
        if first < rows {
            let replayed = self.run(py, work, |p, s, c| {
                for r in first..rows {
                    let x = &points[r * n..(r + 1) * n];
                    if gradients {
                        let g = &mut grads[r * n..(r + 1) * n];
                        values[r] = p.value_and_gradient(x, 0, g, s, c)?;
                    } else {
                        let v = p.values(x, s, c)?;
                        values[r * m..(r + 1) * m].copy_from_slice(&v);
                    }
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
