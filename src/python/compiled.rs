//! A `Recording`'s compiled code ([`crate::compile`]): compiled once, on demand
//! (`Recording.compile()`, `record(f, x0, compile=True)`, or on load of a recording
//! that was compiled when saved or pickled), and the working memory its functions use.
//!
//! A replay runs the compiled code when there is some for its method; should that
//! exit (a guard, a math error, a wrong length), the point is replayed with the
//! interpreter, which raises its own error with its own message (or gives the result:
//! the two agree bit for bit wherever both give one).
//!
//! The batches run two rows a pass with the code compiled for two lanes
//! ([`Compiled::with_lanes`]), compiled the first time a batch of two rows or more runs;
//! a pair that exits (or an odd last row) goes through the one-lane code, then the
//! interpreter.

use std::sync::{Mutex, OnceLock};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use super::recording::{result_buffer, PyRecording};
use crate::compile::{Compiled, Exit, NotCompiled};
use crate::replay::{Customs, Program, ReplayError, Scratch};
use crate::tape::LONG_SWEEP;

/// The compiled code of a recording, once compiled, or why there is none.
#[derive(Default)]
pub(super) struct Compilation {
    state: OnceLock<Result<Compiled, NotCompiled>>,
    /// The code for two rows a pass, once a batch asked for it (`None`: it did not
    /// compile, and the batches run a row at a time).
    lanes: OnceLock<Option<Compiled>>,
    /// Working memory reused from call to call (a call running in another thread at the
    /// same time uses its own).
    work: Mutex<Vec<f64>>,
}

impl Compilation {
    /// Compile `program`, unless done before.
    pub(super) fn compile(&self, program: &Program) {
        self.state.get_or_init(|| Compiled::new(program));
    }

    /// The compiled code, if any.
    pub(super) fn code(&self) -> Option<&Compiled> {
        self.state.get()?.as_ref().ok()
    }

    /// The code for two rows a pass, compiled on first use, if the recording is
    /// compiled and it compiles.
    pub(super) fn lanes(&self, program: &Program) -> Option<&Compiled> {
        self.code()?;
        self.lanes
            .get_or_init(|| Compiled::with_lanes(program).ok())
            .as_ref()
    }

    /// Why the recording is not compiled (`None` when it is).
    pub(super) fn reason(&self) -> Option<String> {
        match self.state.get() {
            None => Some("compile() was not called".into()),
            Some(Ok(_)) => None,
            Some(Err(why)) => Some(why.to_string()),
        }
    }

    /// `job` on the compiled code with working memory: `None` when there is no code,
    /// the job has no compiled path (it returns `None`), or the code exited.
    pub(super) fn run<T>(
        &self,
        job: impl FnOnce(&Compiled, &mut Vec<f64>) -> Option<Result<T, Exit>>,
    ) -> Option<T> {
        let code = self.code()?;
        let mut own = Vec::new();
        let mut shared = self.work.try_lock().ok();
        let work = match shared.as_deref_mut() {
            Some(w) => w,
            None => &mut own,
        };
        job(code, work)?.ok()
    }
}

/// What a replay method is: its name for messages (`"hvp(x, v)"`), whether f must
/// return one number, its result's length (`None`: too many for a `usize`) with the
/// hint a MemoryError gives, and roughly how many operations it runs (a long one lets
/// other threads run).
pub(super) struct Method<'a> {
    pub name: &'a str,
    pub one_output: bool,
    pub out: Option<usize>,
    pub hint: &'a str,
    pub work: usize,
}

/// The compiled path of a method with none: the interpreter replays.
pub(super) fn interpreted_only<T>(
    _: &Compiled,
    _: &[f64],
    _: &[Vec<f64>],
    _: &mut [f64],
    _: &mut Vec<f64>,
) -> Option<Result<T, Exit>> {
    None
}

impl PyRecording {
    /// A replay method named `name` (for messages), with a result of `out` numbers.
    pub(super) fn method<'a>(
        &self,
        name: &'a str,
        one_output: bool,
        out: Option<usize>,
        hint: &'a str,
    ) -> Method<'a> {
        Method {
            name,
            one_output,
            out,
            hint,
            work: self.program.len(),
        }
    }

    /// ValueError unless `f` returned a single number.
    pub(super) fn check_scalar_output(&self, method: &str) -> PyResult<()> {
        if self.scalar_output {
            return Ok(());
        }
        Err(PyValueError::new_err(format!(
            "{method} needs a function with one output, and f returned a sequence of {}: use \
             jacobian(x), or record a function returning one number",
            self.program.outputs().len()
        )))
    }

    /// Compile the recording (once).
    pub(super) fn compile_now(&self, py: Python<'_>) {
        // Compiling takes milliseconds to seconds: other threads run meanwhile.
        let (program, compilation) = (&self.program, &self.compilation);
        py.detach(|| compilation.compile(program));
    }

    /// A compiled recording's second-order code for `lanes` directions a pass, compiled
    /// now (once, with other threads running) if it was not.
    pub(super) fn compile_second_order(&self, py: Python<'_>, lanes: usize) {
        if let Some(code) = self.compilation.code() {
            let program = &self.program;
            py.detach(|| code.second_order(program, lanes));
        }
    }

    /// A replay at the point `x` (of x0's form) and at the `directions` (each of x0's
    /// form, finite: `(v, "v")`), into a result buffer of `method.out` numbers: the
    /// checks every method makes (one output, the point, the directions, the buffer's
    /// memory, in that order), then `compiled` on the compiled code if the recording
    /// has some (it returns `None` where it has no compiled path), else, or should the
    /// code exit, `interpreted` with the interpreter.
    pub(super) fn replay<T: Send>(
        &self,
        x: &Bound<'_, PyAny>,
        method: Method<'_>,
        directions: &[(&Bound<'_, PyAny>, &str)],
        compiled: impl FnOnce(
                &Compiled,
                &[f64],
                &[Vec<f64>],
                &mut [f64],
                &mut Vec<f64>,
            ) -> Option<Result<T, Exit>>
            + Send,
        interpreted: impl FnOnce(
                &Program,
                &[f64],
                &[Vec<f64>],
                &mut [f64],
                &mut Scratch,
                &mut dyn Customs,
            ) -> Result<T, ReplayError>
            + Send,
    ) -> PyResult<(T, Vec<f64>)> {
        let py = x.py();
        let name = method.name;
        if method.one_output {
            self.check_scalar_output(name)?;
        }
        let x = self.point(x, &format!("{name}: x"))?;
        let directions = directions
            .iter()
            .map(|(d, what)| self.direction(d, &format!("{name}: {what}")))
            .collect::<PyResult<Vec<_>>>()?;
        let mut out = result_buffer(method.out, method.hint)?;
        let fast = |out: &mut [f64]| {
            self.compilation
                .run(|c, w| compiled(c, &x, &directions, out, w))
        };
        let done = if method.work >= LONG_SWEEP {
            py.detach(|| fast(&mut out))
        } else {
            fast(&mut out)
        };
        if let Some(result) = done {
            return Ok((result, out));
        }
        let result = self.run(py, method.work, |p, s, c| {
            interpreted(p, &x, &directions, &mut out, s, c)
        })?;
        Ok((result, out))
    }

    /// The hook of the batches: the rows of `points` (`n` numbers each) from the first
    /// on, by the compiled code, into `values` (`m` a row) and, with `gradients`, into
    /// `grads`, up to the first row where the code exits; returns the rows done (0
    /// when the recording is not compiled). The interpreter takes the rest. Rows go
    /// two a pass through the lane code where there is some; a pair it cannot finish,
    /// and an odd last row, go a row at a time.
    pub(super) fn compiled_rows(
        &self,
        py: Python<'_>,
        points: &[f64],
        (rows, n, m): (usize, usize, usize),
        gradients: bool,
        values: &mut [f64],
        grads: &mut [f64],
    ) -> usize {
        let (program, compilation) = (&self.program, &self.compilation);
        let lanes = match compilation.lanes.get() {
            _ if rows < 2 => None,
            Some(lanes) => lanes.as_ref(),
            // Compiling the lane code, once, takes as long as compile() did.
            None if compilation.code().is_some() => py.detach(|| compilation.lanes(program)),
            None => None,
        };
        let mut batch = || {
            let mut done = 0;
            compilation.run(|c, work| {
                let mut out = Rows {
                    points,
                    shape: (n, m),
                    gradients,
                    values,
                    grads,
                };
                while done < rows {
                    let r = done;
                    if let Some(pair) = lanes.filter(|_| r + 1 < rows) {
                        if out.pair(pair, r, work) {
                            done += 2;
                            continue;
                        }
                        // Either row may fail: a row at a time, as without lanes.
                        if !out.one(c, r, work) {
                            break;
                        }
                        done += 1;
                    }
                    if !out.one(c, done, work) {
                        break;
                    }
                    done += 1;
                }
                Some(Ok(()))
            });
            done
        };
        if self.program.len().saturating_mul(rows) >= LONG_SWEEP {
            py.detach(batch)
        } else {
            batch()
        }
    }
}

/// The rows of a batch and where their results go (`shape`: numbers a point, outputs).
struct Rows<'a> {
    points: &'a [f64],
    shape: (usize, usize),
    gradients: bool,
    values: &'a mut [f64],
    grads: &'a mut [f64],
}

impl<'a> Rows<'a> {
    fn point(&self, r: usize) -> &'a [f64] {
        let n = self.shape.0;
        &self.points[r * n..(r + 1) * n]
    }

    /// Row `r` by the one-lane code `c`: whether it gave a result.
    fn one(&mut self, c: &Compiled, r: usize, work: &mut Vec<f64>) -> bool {
        let (n, m) = self.shape;
        let x = &self.points[r * n..(r + 1) * n];
        if self.gradients {
            let g = &mut self.grads[r * n..(r + 1) * n];
            c.value_and_gradient(x, 0, g, work)
                .map(|v| self.values[r] = v)
                .is_ok()
        } else {
            c.values(x, work)
                .map(|v| self.values[r * m..(r + 1) * m].copy_from_slice(&v))
                .is_ok()
        }
    }

    /// Rows `r` and `r + 1` by the lane code `c`: whether it gave their results.
    fn pair(&mut self, c: &Compiled, r: usize, work: &mut Vec<f64>) -> bool {
        let (n, m) = self.shape;
        let x = [self.point(r), self.point(r + 1)];
        if self.gradients {
            let (g0, g1) = self.grads.split_at_mut((r + 1) * n);
            let g = [&mut g0[r * n..], &mut g1[..n]];
            match c.value_and_gradient_pair(x, 0, g, work) {
                Ok([a, b]) => {
                    self.values[r] = a;
                    self.values[r + 1] = b;
                    true
                }
                Err(_) => false,
            }
        } else {
            let (v0, v1) = self.values.split_at_mut((r + 1) * m);
            let v = [&mut v0[r * m..], &mut v1[..m]];
            c.values_pair(x, v, work).is_ok()
        }
    }
}
