//! Record once, replay natively: `wengert.record(f, x0)` and the class `Recording`.
//!
//! `record` runs `f` once on Records of a fresh WengertList while the tape logs what
//! its entries do not show: every comparison of a Record with its outcome, every
//! read of a Record's value the tape cannot follow (`.number`, `str()`, ...), and
//! the Python functions of custom operations. The entries and the log become a
//! [`Program`], replayed by [`crate::replay`] with no Python per operation.

use std::path::PathBuf;
use std::sync::Mutex;

use pyo3::exceptions::{PyMemoryError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyFloat, PyList, PyTuple};
use pyo3::{PyTraverseError, PyVisit};

use super::compiled::{interpreted_only, Compilation};
use super::customs::PyCustoms;
use super::errors::{mixed_tapes, EscapedValueError};
use super::form::{array, Form};
use super::input::{check_finite, classify, is_bool, type_name, Operand};
use super::jet::order_argument;
use super::number::{mixed, NumberClass};
use super::record::PyRecord;
use super::record_log::{Custom, Escape, GuardText, Place};
use super::recording_bytes::bytes_of;
use super::sparse::Plans;
use super::wengert_list::PyWengertList;
use crate::replay::{
    to_derivatives, Customs, NoCustoms, Program, ProgramError, ReplayError, Scratch, Value, LANES,
};
use crate::tape::{Slot, LONG_SWEEP};

/// A recorded function, replayed natively at new points.
///
/// Made by `wengert.record(f, x0)`. `value`, `gradient`, `value_and_gradient`,
/// `jacobian`, `hessian`, `hvp` and `gradients` re-evaluate the recorded operations
/// at a new point `x` (of x0's form: a number, a sequence of n numbers, or an array
/// of x0's shape) with no Python per operation. A comparison the recorded code made that comes out
/// differently at `x` raises BranchChangedError rather than giving an answer for the
/// wrong branch.
///
/// >>> from wengert import record
/// >>> rec = record(lambda v: v[0] * v[0] * v[1], [3.0, 2.0])
/// >>> rec.gradient([1.0, 5.0])
/// array([10.,  1.])
#[pyclass(name = "Recording", module = "wengert._core", frozen)]
pub struct PyRecording {
    pub(super) program: Program,
    /// Working memory reused from replay to replay (a replay running in another thread
    /// at the same time uses its own).
    pub(super) scratch: Mutex<Scratch>,
    /// The custom operations by entry index (in increasing order).
    pub(super) customs: Vec<(u32, Custom, Place)>,
    pub(super) guard_places: Vec<(Place, GuardText)>,
    pub(super) escapes: Vec<(Escape, Place)>,
    pub(super) escape_count: usize,
    pub(super) x0: Vec<f64>,
    /// x0's form, which points and gradients take.
    pub(super) form: Form,
    pub(super) scalar_output: bool,
    /// The sparse Jacobian's and Hessian's patterns and colourings, made on first use.
    pub(super) plans: Plans,
    /// The native code of `compile()`, or why there is none.
    pub(super) compilation: Compilation,
}

/// `len` zeros for a result, or MemoryError (with `hint`) if the system will not give them.
pub(super) fn result_buffer(len: Option<usize>, hint: &str) -> PyResult<Vec<f64>> {
    let mut buffer = Vec::new();
    match len {
        Some(len) if buffer.try_reserve_exact(len).is_ok() => {
            buffer.resize(len, 0.0);
            Ok(buffer)
        }
        _ => Err(PyMemoryError::new_err(format!(
            "out of memory for the result{hint}"
        ))),
    }
}

/// One output of `f` as a value of the program.
fn output(
    item: &Bound<'_, PyAny>,
    list: &Bound<'_, PyWengertList>,
    generation: u32,
) -> PyResult<Value> {
    let what = |name: String| {
        PyTypeError::new_err(format!(
            "record(f, x0): f must return a number (a Record, float or int) or a 1-D sequence \
             of numbers, not {name}"
        ))
    };
    if is_bool(item) {
        return Err(what("a bool".into()));
    }
    Ok(match classify(item)? {
        Operand::Number(c) => Value::Constant(c),
        Operand::Record(r) => match r.get().tape() {
            None => Value::Constant(r.get().value()),
            Some(t) if t.is(list) => {
                if r.get().slot().generation != generation {
                    return Err(PyValueError::new_err(
                        "record(f, x0): f returned a record from before a clear() of the tape",
                    ));
                }
                Value::Entry(r.get().slot().index)
            }
            Some(_) => return Err(mixed_tapes()),
        },
        Operand::Trace => return Err(mixed::<PyRecord>("Trace")),
        Operand::MultiTrace => return Err(mixed::<PyRecord>("MultiTrace")),
        Operand::Other => return Err(what(item.get_type().name()?.to_string())),
    })
}

/// `f`'s result as the program's outputs; true for a single number.
fn outputs(
    result: &Bound<'_, PyAny>,
    list: &Bound<'_, PyWengertList>,
    generation: u32,
) -> PyResult<(Vec<Value>, bool)> {
    let sequence = result.is_instance_of::<PyList>()
        || result.is_instance_of::<PyTuple>()
        || result.hasattr("ndim")? && result.getattr("ndim")?.extract::<isize>().ok() == Some(1);
    if !sequence {
        if result.hasattr("ndim")? && result.hasattr("__len__")? {
            return Err(PyTypeError::new_err(
                "record(f, x0): f returned an array that is not 1-D: return a number or a \
                 1-D sequence of numbers (ravel() the array)",
            ));
        }
        return Ok((vec![output(result, list, generation)?], true));
    }
    let values = result
        .try_iter()?
        .map(|item| output(&item?, list, generation))
        .collect::<PyResult<Vec<_>>>()?;
    Ok((values, false))
}

/// Record `f` at `x0` for replay: see `Recording`.
///
/// `x0` is a number, which `f` receives as one Record; a list, tuple or other
/// iterable of numbers, which `f` receives as a list of Records; or a numpy array of
/// any shape, which `f` receives as an object array of Records of that shape, so
/// NumPy code (`x[1:] - x[:-1]**2`, `np.sum(...)`) runs as written. Points given to
/// the replays then have x0's form, and gradients come back in it. `f` returns a
/// number or a 1-D sequence of numbers (Records, or floats for constants).
///
/// With `compile=True` the recording is compiled to native code before it is returned
/// (see `Recording.compile`).
///
/// >>> rec = record(lambda x: x * x * x, 2.0)
/// >>> rec.value(3.0), rec.gradient(3.0), rec.hessian(3.0)
/// (27.0, 27.0, 18.0)
#[pyfunction]
#[pyo3(
    signature = (f, x0, *, compile = CompileFlag(false)),
    text_signature = "(f, x0, *, compile=False)"
)]
pub(crate) fn record(
    py: Python<'_>,
    f: &Bound<'_, PyAny>,
    x0: &Bound<'_, PyAny>,
    compile: CompileFlag,
) -> PyResult<PyRecording> {
    if !f.is_callable() {
        return Err(PyTypeError::new_err(format!(
            "record(f, x0) needs a function f, not {}",
            f.get_type().name()?
        )));
    }
    let (x0, form) = Form::read_x0(x0)?;
    let list = Bound::new(py, PyWengertList::new())?;
    let n = x0.len();
    let first = list.get().lock().variables(n)?;
    let records = x0
        .iter()
        .zip(first.index..)
        .map(|(&number, index)| {
            let slot = Slot {
                index,
                generation: first.generation,
            };
            PyRecord::new_variable(number, slot, list.clone().unbind())
        })
        .collect::<Vec<_>>();
    let records = records
        .into_iter()
        .map(|r| Ok(Bound::new(py, r)?.into_any()))
        .collect::<PyResult<Vec<_>>>()?;
    let argument = form.argument(py, records)?;
    list.get().start_log();
    let result = f.call1((argument,));
    let log = list.get().take_log();
    let result = result?;
    let generation = list.get().lock().generation();
    if generation != first.generation {
        return Err(PyValueError::new_err(
            "record(f, x0): f cleared the recording's WengertList (x.history.clear()): \
             a recording is one run of f on one tape",
        ));
    }
    let (outputs, scalar_output) = outputs(&result, &list, generation)?;
    let program = {
        let tape = list.get().lock();
        let (codes, entries, blocks) = (tape.codes(), tape.entries(), tape.blocks());
        Program::with_blocks(codes, entries, blocks, n, outputs, log.guards)
    }
    .map_err(|e| match e {
        ProgramError::ExtraInput(i) => PyValueError::new_err(format!(
            "record(f, x0): f made a new input on the recording's tape (entry {i}, with \
             tape.variable()); a recording's inputs are the numbers of x0 only: pass every \
             input in x0, and use plain floats for constants"
        )),
        // The tape is fresh and its inputs come first: these cannot happen from Python.
        ProgramError::BadIndex(i)
        | ProgramError::MissingInput(i)
        | ProgramError::GuardOutOfOrder(i)
        | ProgramError::BadBlock(i) => PyValueError::new_err(format!(
            "record(f, x0): the recording's tape is damaged at entry {i}: record again"
        )),
    })?;
    let recording = PyRecording {
        program,
        scratch: Mutex::new(Scratch::default()),
        customs: log.customs,
        guard_places: log.guard_places,
        escapes: log.escapes,
        escape_count: log.escape_count,
        x0,
        form,
        scalar_output,
        plans: Plans::default(),
        compilation: Compilation::default(),
    };
    if compile.0 {
        recording.compile_now(py);
    }
    Ok(recording)
}

/// `record`'s `compile=`: True or False (numpy's bools too); anything else, None
/// included, is refused with a message that names the parameter on every Python (PyO3's
/// own names it only in an exception note, which Python 3.10 does not have).
pub(crate) struct CompileFlag(bool);

impl<'a, 'py> FromPyObject<'a, 'py> for CompileFlag {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if is_bool(&obj) {
            return Ok(CompileFlag(obj.is_truthy()?));
        }
        Err(PyTypeError::new_err(format!(
            "record(f, x0, compile=...): compile must be True or False, not {}",
            type_name(&obj)
        )))
    }
}

impl PyRecording {
    pub(super) fn program(&self) -> &Program {
        &self.program
    }

    pub(super) fn plans(&self) -> &Plans {
        &self.plans
    }

    /// The point `x` (of x0's form) as its numbers, checked.
    pub(super) fn point(&self, x: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<f64>> {
        let values = self.direction(x, what)?;
        self.check_escapes(x.py(), &values)?;
        Ok(values)
    }

    /// A direction `v` (of x0's form, finite) as its numbers: for `hvp` and Taylor mode.
    pub(super) fn direction(&self, v: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<f64>> {
        let values = self.numbers(v, what)?;
        check_finite(&values, what, self.form.is_number())?;
        Ok(values)
    }

    /// The numbers of `x`, which must have x0's form (a number, a sequence of n, or an
    /// array of x0's shape).
    fn numbers(&self, x: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<f64>> {
        self.form.numbers(x, self.x0.len(), what)
    }

    /// EscapedValueError when `f` read a value the recording cannot follow and `x`
    /// is not the point it was recorded at.
    pub(super) fn check_escapes(&self, py: Python<'_>, x: &[f64]) -> PyResult<()> {
        let same = x
            .iter()
            .zip(&self.x0)
            .all(|(a, b)| a.to_bits() == b.to_bits());
        let Some((escape, place)) = self.escapes.first() else {
            return Ok(());
        };
        if same {
            return Ok(());
        }
        let more = match self.escape_count - 1 {
            0 => String::new(),
            k => format!(" (and {k} more such reads)"),
        };
        Err(EscapedValueError::new_err(format!(
            "while it was recorded, f {}{more}: the recording cannot follow what f did then, \
             so it replays only at the point it was recorded at, and this x is another. Record \
             again at this point (wengert.record(f, x)), or keep to operations and comparisons \
             of Records inside f: they are recorded",
            escape.sentence(&place.describe(py)),
        )))
    }

    /// Run `job` on the program with this recording's working memory, without the GIL
    /// when the work is long and needs no Python.
    pub(super) fn run<T: Send>(
        &self,
        py: Python<'_>,
        work: usize,
        job: impl FnOnce(&Program, &mut Scratch, &mut dyn Customs) -> Result<T, ReplayError> + Send,
    ) -> PyResult<T> {
        let mut own = None;
        let mut shared = self.scratch.try_lock().ok();
        let scratch: &mut Scratch = match shared.as_deref_mut() {
            Some(s) => s,
            None => own.insert(Scratch::default()),
        };
        let program = &self.program;
        if program.has_customs() {
            let mut customs = PyCustoms {
                py,
                customs: &self.customs,
                error: None,
            };
            let result = job(program, scratch, &mut customs);
            let error = customs.error.take();
            return result.map_err(|e| self.error(py, e, error));
        }
        let result = if work >= LONG_SWEEP {
            py.detach(|| job(program, scratch, &mut NoCustoms))
        } else {
            job(program, scratch, &mut NoCustoms)
        };
        result.map_err(|e| self.error(py, e, None))
    }

    /// A vector of the inputs' size, as x0's form: a float for a number, else an array
    /// of the gradient's shape.
    fn input_shaped<'py>(&self, py: Python<'py>, data: &[f64]) -> PyResult<Bound<'py, PyAny>> {
        self.form.shaped(py, data)
    }

    /// Derivatives of order `rank` (n^rank numbers), as x0's form gives them: a float
    /// for a number x0, else an array of x0's shape repeated `rank` times.
    fn input_tensor<'py>(
        &self,
        py: Python<'py>,
        data: &[f64],
        rank: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        if self.form.is_number() {
            return Ok(PyFloat::new(py, data[0]).into_any());
        }
        let shape = self.form.shape(self.x0.len());
        array(py, &shape.repeat(rank), data)
    }
}

#[pymethods]
impl PyRecording {
    #[new]
    #[pyo3(signature = (*_args, **_kwargs))]
    fn new(
        _args: &Bound<'_, PyTuple>,
        _kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<Self> {
        Err(PyTypeError::new_err(
            "Recording cannot be created directly: use wengert.record(f, x0), which runs f \
             once at x0 and returns its Recording",
        ))
    }

    /// The value of f at `x`: a float, or a float64 array when f returned a sequence.
    fn value<'py>(&self, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = x.py();
        let method = self.method("value(x)", false, Some(0), "");
        let (values, _) = self.replay(
            x,
            method,
            &[],
            |c, x, _, _, w| Some(c.values(x, w)),
            |p, x, _, _, s, c| p.values(x, s, c),
        )?;
        if self.scalar_output {
            Ok(PyFloat::new(py, values[0]).into_any())
        } else {
            array(py, &[values.len()], &values)
        }
    }

    /// The gradient of f at `x`: a float for a number x0, else a float64 array of shape (n,).
    fn gradient<'py>(&self, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.value_and_gradient(x)?.1)
    }

    /// `(value(x), gradient(x))`, from one replay.
    fn value_and_gradient<'py>(&self, x: &Bound<'py, PyAny>) -> PyResult<(f64, Bound<'py, PyAny>)> {
        let py = x.py();
        let method = self.method("gradient(x)", true, Some(self.x0.len()), "");
        let (value, gradient) = self.replay(
            x,
            method,
            &[],
            |c, x, _, g, w| Some(c.value_and_gradient(x, 0, g, w)),
            |p, x, _, g, s, c| p.value_and_gradient(x, 0, g, s, c),
        )?;
        Ok((value, self.input_shaped(py, &gradient)?))
    }

    /// The Jacobian of f at `x`: a float64 array of shape (m, n), or (m, *x0.shape) for
    /// an array x0, row i holding the derivatives of output i (m = 1 for a function
    /// returning one number).
    fn jacobian<'py>(&self, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = x.py();
        let (m, n) = (self.program.outputs().len(), self.x0.len());
        let mut method = self.method("jacobian(x)", false, m.checked_mul(n), " (the Jacobian)");
        method.work = self.program.len() * m.min(n).max(1);
        let (_, jacobian) = self.replay(
            x,
            method,
            &[],
            |c, x, _, j, w| c.jacobian(x, j, w),
            |p, x, _, j, s, c| p.jacobian(x, j, s, c),
        )?;
        let mut shape = vec![m];
        match &self.form {
            Form::Array(input) => shape.extend(input),
            _ => shape.push(n),
        }
        array(py, &shape, &jacobian)
    }

    /// The Hessian of f at `x`, exact (forward-over-reverse on the recording): a float
    /// for a number x0, else a float64 array of shape (n, n), or x0.shape * 2 for an
    /// array x0.
    fn hessian<'py>(&self, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let n = self.x0.len();
        let hint = " (the Hessian, n x n): hvp(x, v) gives its product with a vector without it";
        let mut method = self.method("hessian(x)", true, n.checked_mul(n), hint);
        method.work = self.program.len() * (1 + n);
        self.compile_second_order(x.py(), LANES);
        let program = &self.program;
        let (_, hessian) = self.replay(
            x,
            method,
            &[],
            |c, x, _, h, w| c.hessian(program, x, 0, h, w),
            |p, x, _, h, s, c| p.hessian(x, 0, h, s, c),
        )?;
        self.input_tensor(x.py(), &hessian, 2)
    }

    /// The Hessian of f at `x` times the vector `v` (of x's form), without forming
    /// the Hessian: one forward-over-reverse pass.
    fn hvp<'py>(
        &self,
        x: &Bound<'py, PyAny>,
        v: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let method = self.method("hvp(x, v)", true, Some(self.x0.len()), "");
        self.compile_second_order(x.py(), 1);
        let program = &self.program;
        let (_, product) = self.replay(
            x,
            method,
            &[(v, "v")],
            |c, x, d, h, w| c.hvp(program, x, 0, &d[0], h, w),
            |p, x, d, h, s, c| p.hvp(x, 0, &d[0], h, s, c),
        )?;
        self.input_shaped(x.py(), &product)
    }

    /// The Jacobian's sparsity pattern, from the recording's structure (conservative:
    /// it holds every nonzero of `jacobian(x)` at any x the recording replays at): a
    /// scipy.sparse.csr_array of ones (m, n), or with `format="coo"` the arrays
    /// `(rows, cols)` in the order of `sparse_jacobian(x, format="coo")`. The sparse
    /// forms index the inputs flat: n = x0.size, an array x0 in row-major order.
    #[pyo3(signature = (format = "csr"))]
    fn jacobian_sparsity<'py>(&self, py: Python<'py>, format: &str) -> PyResult<Bound<'py, PyAny>> {
        self.jacobian_sparsity_py(py, format)
    }

    /// The Hessian's sparsity pattern (of every output: the pattern of any weighted
    /// sum), as `jacobian_sparsity`, (n, n) and symmetric.
    #[pyo3(signature = (format = "csr"))]
    fn hessian_sparsity<'py>(&self, py: Python<'py>, format: &str) -> PyResult<Bound<'py, PyAny>> {
        self.hessian_sparsity_py(py, format)
    }

    /// The Jacobian at `x` from one compressed pass per colour: a scipy.sparse.csr_array
    /// (m, n); `format="coo"` gives numpy arrays `(rows, cols, values)` in a fixed order,
    /// `format="values"` the values alone in that order. Equal to `jacobian(x)` as an
    /// (m, n) matrix (`jacobian(x).reshape(m, -1)` for an array x0).
    #[pyo3(signature = (x, format = "csr"))]
    fn sparse_jacobian<'py>(
        &self,
        x: &Bound<'py, PyAny>,
        format: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.sparse_jacobian_py(x, format)
    }

    /// The Hessian at `x` from the forward-over-reverse lanes seeded by a star colouring
    /// (n, n), in the forms of `sparse_jacobian`. With `weights` (one number per output),
    /// the Hessian of `sum(weights[k] * f_k)`, a Lagrangian's, from one weighted pass.
    #[pyo3(signature = (x, weights = None, format = "csr"))]
    fn sparse_hessian<'py>(
        &self,
        x: &Bound<'py, PyAny>,
        weights: Option<&Bound<'py, PyAny>>,
        format: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.sparse_hessian_py(x, weights, format)
    }

    /// The number of colours of the sparse Jacobian: the passes `sparse_jacobian` makes.
    #[getter]
    fn jacobian_colours(&self, py: Python<'_>) -> PyResult<usize> {
        self.jacobian_colours_py(py)
    }

    /// The number of colours of the sparse Hessian (directions of `sparse_hessian`).
    #[getter]
    fn hessian_colours(&self, py: Python<'_>) -> PyResult<usize> {
        self.hessian_colours_py(py)
    }

    /// The derivatives `d^k/dt^k f(x + t·direction)` at `t = 0` for `k = 0, ..., order`
    /// (Taylor mode: one forward pass of polynomials of degree `order`, O(order²) per
    /// operation): a float64 array of shape (order + 1,), or (m, order + 1) when f
    /// returned a sequence of m numbers. Entry 0 is the value, entry 1 the directional
    /// derivative, entry 2 `direction · H · direction`.
    #[pyo3(signature = (x, direction, order))]
    fn taylor<'py>(
        &self,
        x: &Bound<'py, PyAny>,
        direction: &Bound<'py, PyAny>,
        order: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = x.py();
        let order = order_argument(order, "taylor(x, direction, order)")?;
        let (m, n) = (self.program.outputs().len(), order + 1);
        let name = "taylor(x, direction, order)";
        let mut method = self.method(name, false, m.checked_mul(n), " (the Taylor coefficients)");
        method.work = self.program.len().saturating_mul(n).saturating_mul(n);
        let directions = [(direction, "direction")];
        let (_, mut out) = self.replay(
            x,
            method,
            &directions,
            interpreted_only,
            |p, x, d, o, s, c| p.taylor(x, &d[0], order, o, s, c),
        )?;
        for row in out.chunks_mut(n) {
            to_derivatives(row);
        }
        if self.scalar_output {
            array(py, &[n], &out)
        } else {
            array(py, &[m, n], &out)
        }
    }

    /// The third derivatives of f at `x` (by Taylor mode, interpolated over directions):
    /// a float for a number x0, else a float64 array of shape (n, n, n) (x0.shape * 3 for
    /// an array x0), symmetric, `T[i, j, k] = ∂³f / ∂x_i ∂x_j ∂x_k`. It takes
    /// n³ + 2n² + 2n Taylor passes: for many inputs use `hessian_derivative(x, v)` or
    /// `third_directional(x, u, v, w)`.
    fn third_derivative<'py>(&self, x: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let n = self.x0.len();
        let hint = " (the third derivatives, n x n x n): hessian_derivative(x, v) gives one n x \
                    n slice of them";
        let len = n.checked_mul(n).and_then(|m| m.checked_mul(n));
        let mut method = self.method("third_derivative(x)", true, len, hint);
        method.work = self.program.len().saturating_mul(n.saturating_pow(3));
        let (_, tensor) = self.replay(x, method, &[], interpreted_only, |p, x, _, t, s, c| {
            p.third_derivative(x, 0, t, s, c)
        })?;
        self.input_tensor(x.py(), &tensor, 3)
    }

    /// The derivative of the Hessian along `v` (of x's form) at `x`: the third
    /// derivatives contracted with `v`, `M[i, j] = Σ_k T[i, j, k] v[k]`, a float for a
    /// number x0, else a float64 array of shape (n, n) (x0.shape * 2 for an array x0).
    /// n² + 2n + 2 Taylor passes.
    fn hessian_derivative<'py>(
        &self,
        x: &Bound<'py, PyAny>,
        v: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let n = self.x0.len();
        let name = "hessian_derivative(x, v)";
        let mut method = self.method(name, true, n.checked_mul(n), " (the n x n matrix)");
        method.work = self.program.len().saturating_mul(n.saturating_mul(n));
        let (_, matrix) = self.replay(
            x,
            method,
            &[(v, "v")],
            interpreted_only,
            |p, x, d, o, s, c| p.hessian_derivative(x, 0, &d[0], o, s, c),
        )?;
        self.input_tensor(x.py(), &matrix, 2)
    }

    /// The third derivative of f at `x` along `u`, `v` and `w` (each of x's form):
    /// `Σ T[i, j, k] u[i] v[j] w[k]`, a float, from seven Taylor passes.
    fn third_directional(
        &self,
        x: &Bound<'_, PyAny>,
        u: &Bound<'_, PyAny>,
        v: &Bound<'_, PyAny>,
        w: &Bound<'_, PyAny>,
    ) -> PyResult<f64> {
        let method = self.method("third_directional(x, u, v, w)", true, Some(0), "");
        let directions = [(u, "u"), (v, "v"), (w, "w")];
        let (value, _) = self.replay(
            x,
            method,
            &directions,
            interpreted_only,
            |p, x, d, _, s, c| p.third_directional(x, 0, &d[0], &d[1], &d[2], s, c),
        )?;
        Ok(value)
    }

    /// The gradient at every row of the 2-D array `X` (one point per row, n = x0.size
    /// columns, an array x0's numbers in row-major order), as a float64 array of the
    /// same shape. Long batches let other threads run.
    #[pyo3(name = "gradients")]
    fn gradients<'py>(&self, xs: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.batch(xs, "gradients(X)", true)?.1)
    }

    /// The value of f at every row of `X` (as `gradients`): a float64 array of shape
    /// (rows,), or (rows, m) when f returned a sequence of m.
    fn values<'py>(&self, xs: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.batch(xs, "values(X)", false)?.0)
    }

    /// `(values(X), gradients(X))`, from one replay per row.
    fn value_and_gradients<'py>(
        &self,
        xs: &Bound<'py, PyAny>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
        self.batch(xs, "value_and_gradients(X)", true)
    }

    /// Compile the recording to native code (in place, once; Cranelift, in-process) and
    /// return it: `value`, `gradient`, `value_and_gradient`, `jacobian`, the batches,
    /// `hvp`, `hessian`, `sparse_hessian` and `sparse_jacobian` then run it, bit for bit as interpreted, with the same errors. Repeated stretches
    /// (a loop's iterations) compile once, as loops. A recording with custom operations,
    /// with more than 8192 entries and comparisons left to write out once its loops are
    /// folded, of more than 2^24 entries, or on a machine Cranelift does not support,
    /// stays interpreted (`not_compiled_reason` says why).
    fn compile(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf.get().compile_now(slf.py());
        slf
    }

    /// True when the recording's replays run native code (see `compile`).
    #[getter]
    fn compiled(&self) -> bool {
        self.compilation.code().is_some()
    }

    /// Why the recording's replays run the interpreter (`compile()` was not called, or
    /// what kept it from compiling), or None when it is compiled.
    #[getter]
    fn not_compiled_reason(&self) -> Option<String> {
        self.compilation.reason()
    }

    /// The Python functions of custom operations, for the garbage collector: a function
    /// that refers back to its recording makes a cycle it must be able to see.
    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        for (_, custom, _) in &self.customs {
            match custom {
                Custom::Unary { f, df, d2f } => {
                    visit.call(f)?;
                    visit.call(df)?;
                    visit.call(d2f)?;
                }
                Custom::Binary { f, dfx, dfy, d2f } => {
                    visit.call(f)?;
                    visit.call(dfx)?;
                    visit.call(dfy)?;
                    visit.call(d2f)?;
                }
                Custom::Round(ndigits) => visit.call(ndigits)?,
                Custom::Block(op) => visit.call(op)?,
            }
        }
        Ok(())
    }

    /// `Recording[float]` and `Recording[numpy.ndarray]` in annotations evaluated at run
    /// time, as the stubs' generic class is written.
    #[classmethod]
    fn __class_getitem__(
        cls: &Bound<'_, pyo3::types::PyType>,
        item: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let alias = cls.py().import("types")?.getattr("GenericAlias")?;
        Ok(alias.call1((cls, item))?.unbind())
    }

    /// The number of inputs (1 for a number x0).
    #[getter]
    fn n_inputs(&self) -> usize {
        self.x0.len()
    }

    /// The number of outputs (1 for a function returning one number).
    #[getter]
    fn n_outputs(&self) -> usize {
        self.program.outputs().len()
    }

    /// How many comparisons of Records f made while it was recorded (each is checked
    /// at every replay).
    #[getter]
    fn n_comparisons(&self) -> usize {
        self.program.guards().len()
    }

    /// The point the recording was made at, in x0's form.
    #[getter]
    fn x0<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.input_shaped(py, &self.x0)
    }

    /// The reads of Records' values the recording cannot follow, as messages (empty
    /// when there was none); with any, replay works only at x0.
    #[getter]
    fn escapes(&self, py: Python<'_>) -> Vec<String> {
        self.escapes
            .iter()
            .map(|(escape, place)| format!("{}{}", escape.name(), place.describe(py)))
            .collect()
    }

    /// The number of entries: operations recorded, inputs included.
    fn __len__(&self) -> usize {
        self.program.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Recording(n_inputs={}, n_outputs={}, entries={}, comparisons={}{}{})",
            self.x0.len(),
            self.program.outputs().len(),
            self.program.len(),
            self.program.guards().len(),
            if self.escape_count > 0 {
                format!(", escapes={}", self.escape_count)
            } else {
                String::new()
            },
            if self.compiled() { ", compiled" } else { "" }
        )
    }

    /// The recording as bytes of its documented file format (no code: a recording
    /// with custom functions refuses, naming the operation; pickle it instead).
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        Ok(PyBytes::new(py, &self.bytes(py, false)?))
    }

    /// The recording `to_bytes()` gave, every byte checked first: ValueError names
    /// what is wrong with a truncated, corrupted or hostile file. Runs no code.
    #[staticmethod]
    fn from_bytes(data: &Bound<'_, PyAny>) -> PyResult<PyRecording> {
        let what = "Recording.from_bytes(data)";
        Self::from_data(data.py(), &bytes_of(data, what)?, None, what)
    }

    /// Write `to_bytes()` to the file at `path`.
    fn save(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let data = self.bytes(py, false)?;
        Ok(std::fs::write(path, data)?)
    }

    /// The recording saved at `path` (see `from_bytes`).
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<PyRecording> {
        let data = std::fs::read(&path)?;
        Self::from_data(py, &data, None, &format!("Recording.load({path:?})"))
    }

    /// Pickling: the recording's bytes, and its custom operations' functions by reference.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        self.reduce(py)
    }

    /// A recording does not change: a copy is the recording itself.
    fn __copy__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// A recording does not change: a deep copy is the recording itself.
    #[pyo3(signature = (memo))]
    fn __deepcopy__(slf: Py<Self>, memo: &Bound<'_, PyAny>) -> Py<Self> {
        let _ = memo; // nothing inside is copied
        slf
    }
}
