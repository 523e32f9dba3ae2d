//! A `Recording`'s batches: `values(X)`, `gradients(X)` and `value_and_gradients(X)`
//! at every row of a 2-D array, with the error of a row naming it.

use pyo3::buffer::PyBuffer;
use pyo3::exceptions::PyMemoryError;
use pyo3::prelude::*;

use super::input::{check_finite, read_rows, rows_of};
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
        let (rows, buffer) = read_rows(xs, n, what)?;
        let points = rows_of(&buffer);
        for (r, row) in points.chunks(n.max(1)).enumerate() {
            if row.iter().any(|v| !v.is_finite()) {
                check_finite(row, &format!("{what}: row {r} of X, element"), false)?;
            }
            self.check_escapes(py, row)?;
        }
        // The results go straight into the numpy arrays returned (made here, so that no
        // one else holds them while they are written).
        let values_shape: &[usize] = if self.scalar_output {
            &[rows]
        } else {
            &[rows, m]
        };
        let values = empty(py, values_shape)?;
        let grads = empty(py, &[rows, if gradients { n } else { 0 }])?;
        let (mut values_buffer, mut grads_buffer) = (
            PyBuffer::<f64>::get(&values)?,
            PyBuffer::<f64>::get(&grads)?,
        );
        let width = if gradients { 1 } else { m };
        let values_out = writable(&mut values_buffer, rows * width)?;
        let grads_out = writable(&mut grads_buffer, if gradients { rows * n } else { 0 })?;
        let work = self.program.len() * rows;
        // A compiled recording's rows go through its code first (none when not
        // compiled), stopping at a row it cannot finish; the rest are interpreted,
        // several rows a pass where the program allows (`replay::ROWS`), with the
        // results and the errors of a row at a time.
        let shape = (rows, n, m);
        let first = self.compiled_rows(py, points, shape, gradients, values_out, grads_out);
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
            replayed.map_err(|error| {
                let message = format!("row {row} of X: {}", error.value(py));
                PyErr::from_type(error.get_type(py), message)
            })?;
        }
        Ok((values, grads))
    }
}

/// A new float64 numpy array of `shape` (its numbers not yet written).
fn empty<'py>(py: Python<'py>, shape: &[usize]) -> PyResult<Bound<'py, PyAny>> {
    let numpy = py.import("numpy")?;
    numpy
        .getattr("empty")?
        .call1((pyo3::types::PyTuple::new(py, shape)?,))
        .map_err(|e| {
            if e.is_instance_of::<PyMemoryError>(py) {
                PyMemoryError::new_err(format!("out of memory for the result (one per row): {e}"))
            } else {
                e
            }
        })
}

/// The numbers of a numpy array just made by [`empty`], `len` of them, to write.
fn writable(buffer: &mut PyBuffer<f64>, len: usize) -> PyResult<&mut [f64]> {
    if !buffer.is_c_contiguous() || buffer.readonly() || buffer.item_count() != len {
        return Err(pyo3::exceptions::PyRuntimeError::new_err(
            "numpy.empty made an array that cannot be written in place",
        ));
    }
    if len == 0 {
        return Ok(&mut []);
    }
    // SAFETY: the buffer is the whole of a C-contiguous, writable float64 array of `len`
    // numbers, which this module made and has handed to no one: nothing else reads or
    // writes it while the slice lives, and the buffer keeps it alive that long.
    Ok(unsafe { std::slice::from_raw_parts_mut(buffer.buf_ptr().cast::<f64>(), len) })
}
