//! `wengert.custom(f, jacobian, hessian=None)`: a custom operation of `k` inputs and `m`
//! outputs ([`PyCustomOperation`]), called with a sequence of numbers of one mode (floats
//! mixed in as constants). The user's functions are called here with float64 arrays and
//! their results checked; the outputs of each mode come from the engine's
//! [`crate::block`], a Record's from its tape.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyString, PyTuple};
use pyo3::{PyTraverseError, PyVisit};

use super::errors::mixed_tapes;
use super::input::{classify, type_name, Operand};
use super::jet::{array, mixed_with_jet, PyJet};
use super::multi_trace::PyMultiTrace;
use super::number::{mixed, optional_callable, NumberClass};
use super::record::PyRecord;
use super::record_log::{observe_custom, observe_raise, Custom};
use super::slots::new_object;
use super::trace::PyTrace;
use super::wengert_list::PyWengertList;
use crate::block::{self, BlockAt};
use crate::jet::{Jet, JetError};
use crate::multi_trace::{MultiTrace, MultiTraceError};
use crate::tape::Slot;
use crate::trace::Trace;

/// A custom operation of `k` inputs and `m` outputs, made by
/// ``wengert.custom(f, jacobian, hessian=None)``.
///
/// ``op(xs)`` takes a sequence of ``k`` numbers of one mode (floats, Traces,
/// MultiTraces, Jets or Records, with plain floats as constants) and returns a list of
/// ``m`` numbers of that mode (floats for floats): the values ``f(x)`` carrying the
/// derivatives the Jacobian (and the Hessians, where given) imply.
#[pyclass(name = "CustomOperation", module = "wengert._core", frozen)]
pub struct PyCustomOperation {
    f: Py<PyAny>,
    jacobian: Py<PyAny>,
    hessian: Option<Py<PyAny>>,
    /// The third, fourth, ... derivatives (`m×kⁿ`), for Jets past order 2.
    higher: Vec<Py<PyAny>>,
}

/// What `wengert.custom` is called: the start of its error messages.
const CALL: &str = "wengert.custom(f, jacobian, hessian)";

/// A custom operation of `k` inputs and `m` outputs from its functions: ``f(x)`` takes a
/// float64 array of ``k`` and returns ``m`` floats, ``jacobian(x)`` their ``m×k`` partial
/// derivatives, and ``hessian(x)`` (optional) their ``m×k×k`` second partials, for
/// Hessians, ``hvp``, sparse Hessians and Taylor mode (and Jets) to order 2, and
/// ``higher`` (optional) the functions of its third, fourth, ... derivatives
/// (``m×k×k×k``, ...), for Jets past order 2.
#[pyfunction]
#[pyo3(signature = (f, jacobian, hessian = None, higher = None))]
pub fn custom(
    f: &Bound<'_, PyAny>,
    jacobian: &Bound<'_, PyAny>,
    hessian: Option<&Bound<'_, PyAny>>,
    higher: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyCustomOperation> {
    let required = |g: &Bound<'_, PyAny>, name: &str| match optional_callable(Some(g), CALL, name)?
    {
        Some(g) => Ok(g),
        None => Err(PyTypeError::new_err(format!(
            "{CALL}: the argument {name} must be a function, not None"
        ))),
    };
    let hessian = optional_callable(hessian, CALL, "hessian")?;
    let higher = higher_functions(higher, hessian.is_some())?;
    Ok(PyCustomOperation {
        f: required(f, "f")?,
        jacobian: required(jacobian, "jacobian")?,
        hessian,
        higher,
    })
}

/// `higher` of `wengert.custom`: None, or a sequence of functions (the third
/// derivatives first), given with the Hessians.
fn higher_functions(higher: Option<&Bound<'_, PyAny>>, hessian: bool) -> PyResult<Vec<Py<PyAny>>> {
    let Some(higher) = higher.filter(|h| !h.is_none()) else {
        return Ok(Vec::new());
    };
    let bad = || {
        PyTypeError::new_err(format!(
            "{CALL}: higher must be a sequence of functions (the third derivatives, the \
             fourth, ...), not {}",
            type_name(higher)
        ))
    };
    if higher.is_callable() || higher.is_instance_of::<PyString>() {
        return Err(bad());
    }
    let functions: Vec<Bound<'_, PyAny>> = higher
        .try_iter()
        .map_err(|_| bad())?
        .collect::<PyResult<_>>()?;
    if functions.iter().any(|f| !f.is_callable()) {
        return Err(bad());
    }
    if !functions.is_empty() && !hessian {
        return Err(PyTypeError::new_err(format!(
            "{CALL}: higher (the third derivatives on) needs the hessian too"
        )));
    }
    Ok(functions.into_iter().map(Bound::unbind).collect())
}

/// `numpy.asarray(result, dtype=float64)`, checked to have `shape` (`None`: any length
/// from 1), as a flat row-major vector; `what` names the function and what it returns.
fn read_array(
    py: Python<'_>,
    result: &Bound<'_, PyAny>,
    shape: &[Option<usize>],
    what: &str,
) -> PyResult<Vec<f64>> {
    static ASARRAY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let asarray = ASARRAY.get_or_try_init(py, || {
        PyResult::Ok(py.import("numpy")?.getattr("asarray")?.unbind())
    })?;
    let expected = shape
        .iter()
        .map(|n| n.map_or("m".to_string(), |n| n.to_string()))
        .collect::<Vec<_>>()
        .join(", ");
    let not_floats = || {
        PyTypeError::new_err(format!(
            "{what} must return an array of floats of shape ({expected}{}), not {}",
            if shape.len() == 1 { "," } else { "" },
            type_name(result)
        ))
    };
    let text = result.is_instance_of::<PyString>()
        || result.is_instance_of::<PyBytes>()
        || result.is_instance_of::<PyByteArray>();
    if result.is_none() || text {
        return Err(not_floats());
    }
    let array = asarray
        .bind(py)
        .call1((result, "float64"))
        .map_err(|error| {
            let e = not_floats();
            e.set_cause(py, Some(error));
            e
        })?;
    let got: Vec<usize> = array.getattr("shape")?.extract()?;
    let fits = got.len() == shape.len()
        && got
            .iter()
            .zip(shape)
            .all(|(&n, &want)| want.map_or(n > 0, |w| n == w));
    if !fits {
        let got = got
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(PyValueError::new_err(format!(
            "{what} must return an array of shape ({expected}{}), but returned one of shape \
             ({got}{}){}",
            if shape.len() == 1 { "," } else { "" },
            if got.len() == 1 { "," } else { "" },
            if got.is_empty() && shape.len() == 1 {
                " (for one output, return [value])"
            } else if got == "0" && shape == [None] {
                ": a custom operation needs at least one output"
            } else {
                ""
            },
        )));
    }
    array
        .call_method0("ravel")?
        .call_method0("tolist")?
        .extract()
}

impl PyCustomOperation {
    /// `f(x)`: the `m` values.
    pub(crate) fn values(&self, py: Python<'_>, x: &[f64]) -> PyResult<Vec<f64>> {
        let result = self.f.bind(py).call1((array(py, x)?,))?;
        read_array(py, &result, &[None], "f(x) of wengert.custom")
    }

    /// `f(x)` and `jacobian(x)`: the `m` values and the `m×k` Jacobian.
    pub(crate) fn first(&self, py: Python<'_>, x: &[f64]) -> PyResult<(Vec<f64>, Vec<f64>)> {
        let values = self.values(py, x)?;
        let jacobian = self.jacobian_at(py, x, values.len())?;
        Ok((values, jacobian))
    }

    /// `jacobian(x)`: the `m×k` Jacobian.
    fn jacobian_at(&self, py: Python<'_>, x: &[f64], m: usize) -> PyResult<Vec<f64>> {
        let result = self.jacobian.bind(py).call1((array(py, x)?,))?;
        let shape = [Some(m), Some(x.len())];
        read_array(py, &result, &shape, "jacobian(x) of wengert.custom")
    }

    /// `hessian(x)`: the `m×k×k` second partials, or None when not given.
    pub(crate) fn second(&self, py: Python<'_>, x: &[f64], m: usize) -> PyResult<Option<Vec<f64>>> {
        let Some(hessian) = &self.hessian else {
            return Ok(None);
        };
        let k = Some(x.len());
        let result = hessian.bind(py).call1((array(py, x)?,))?;
        read_array(
            py,
            &result,
            &[Some(m), k, k],
            "hessian(x) of wengert.custom",
        )
        .map(Some)
    }

    /// `f(x)` and `jacobian(x)` at replay, into `values` and `jacobian` (as many as
    /// when recorded).
    pub(crate) fn replay(
        &self,
        py: Python<'_>,
        x: &[f64],
        values: &mut [f64],
        jacobian: &mut [f64],
    ) -> PyResult<()> {
        let v = self.values(py, x)?;
        if v.len() != values.len() {
            return Err(PyValueError::new_err(format!(
                "f(x) of wengert.custom returned {} values at this point, and {} when the \
                 recording was made: a custom operation has as many outputs at every point",
                v.len(),
                values.len()
            )));
        }
        let j = self.jacobian_at(py, x, v.len())?;
        values.copy_from_slice(&v);
        jacobian.copy_from_slice(&j);
        Ok(())
    }

    /// True when the Hessians were given.
    pub(crate) fn has_hessian(&self) -> bool {
        self.hessian.is_some()
    }
}

/// One input of a call, as its mode sees it.
enum Input<'a, 'py> {
    Number(f64),
    Trace(&'a Bound<'py, PyTrace>),
    MultiTrace(&'a Bound<'py, PyMultiTrace>),
    Jet(&'a Bound<'py, PyJet>),
    Record(&'a Bound<'py, PyRecord>),
}

impl Input<'_, '_> {
    fn number(&self) -> f64 {
        match self {
            Input::Number(c) => *c,
            Input::Trace(x) => x.get().value(),
            Input::MultiTrace(x) => x.get().value(),
            Input::Jet(x) => x.get().value(),
            Input::Record(x) => x.get().value(),
        }
    }

    /// The class's name, None for a number.
    fn kind(&self) -> Option<&'static str> {
        Some(match self {
            Input::Number(_) => return None,
            Input::Trace(_) => PyTrace::KIND,
            Input::MultiTrace(_) => PyMultiTrace::KIND,
            Input::Jet(_) => PyJet::KIND,
            Input::Record(_) => PyRecord::KIND,
        })
    }
}

/// `obj` as input `i` of a call.
fn input<'a, 'py>(obj: &'a Bound<'py, PyAny>, i: usize) -> PyResult<Input<'a, 'py>> {
    if let Ok(x) = obj.cast_exact::<PyTrace>() {
        return Ok(Input::Trace(x));
    }
    if let Ok(x) = obj.cast_exact::<PyMultiTrace>() {
        return Ok(Input::MultiTrace(x));
    }
    if let Ok(x) = obj.cast_exact::<PyJet>() {
        return Ok(Input::Jet(x));
    }
    if let Ok(x) = obj.cast_exact::<PyRecord>() {
        return Ok(Input::Record(x));
    }
    match classify(obj)? {
        Operand::Number(c) => Ok(Input::Number(c)),
        // A 0-d array of a number: a constant, as the number classes take it.
        _ if zero_dimensional(obj) => match classify(&obj.call_method0("item")?)? {
            Operand::Number(c) => Ok(Input::Number(c)),
            _ => Err(not_a_number(obj, i)),
        },
        _ => Err(not_a_number(obj, i)),
    }
}

/// Whether `obj` is an array of no dimensions (such as `numpy.array(2.0)`).
fn zero_dimensional(obj: &Bound<'_, PyAny>) -> bool {
    obj.getattr("ndim")
        .and_then(|ndim| ndim.extract::<isize>())
        .is_ok_and(|ndim| ndim == 0)
        && obj.hasattr("item").unwrap_or(false)
}

/// The TypeError for input `i` of a block, `obj`, which is not a number.
fn not_a_number(obj: &Bound<'_, PyAny>, i: usize) -> PyErr {
    PyTypeError::new_err(format!(
        "a custom operation (wengert.custom) takes a sequence of numbers: floats or ints \
         (constants), Traces, MultiTraces, Jets or Records; input {i} is {}",
        type_name(obj)
    ))
}

/// The MixedModesError for inputs of the classes `first` and `other`.
fn mixed_inputs(first: &str, other: &str) -> PyErr {
    if first == PyJet::KIND {
        mixed_with_jet(other)
    } else if other == PyJet::KIND {
        mixed_with_jet(first)
    } else if first == PyTrace::KIND {
        mixed::<PyTrace>(other)
    } else if first == PyMultiTrace::KIND {
        mixed::<PyMultiTrace>(other)
    } else {
        mixed::<PyRecord>(other)
    }
}

#[pymethods]
impl PyCustomOperation {
    /// The outputs at ``xs``, a sequence of ``k`` numbers of one mode (floats as
    /// constants): a list of ``m`` numbers of that mode, or of floats for floats.
    fn __call__<'py>(
        slf: &Bound<'py, Self>,
        xs: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let py = xs.py();
        let this = slf.get();
        let not_sequence = || {
            PyTypeError::new_err(format!(
                "a custom operation (wengert.custom) takes a sequence of numbers (a list, a \
                 tuple or a 1-D array), not {}",
                type_name(xs)
            ))
        };
        if xs.is_instance_of::<PyString>() || xs.is_instance_of::<PyBytes>() {
            return Err(not_sequence());
        }
        let objects: Vec<Bound<'py, PyAny>> = xs
            .try_iter()
            .map_err(|_| not_sequence())?
            .collect::<PyResult<_>>()?;
        if objects.is_empty() {
            return Err(PyValueError::new_err(
                "a custom operation (wengert.custom) takes at least one input, and was given \
                 an empty sequence",
            ));
        }
        let inputs = objects
            .iter()
            .enumerate()
            .map(|(i, obj)| input(obj, i))
            .collect::<PyResult<Vec<_>>>()?;
        let mut kind = None;
        for x in &inputs {
            match (kind, x.kind()) {
                (None, other) => kind = other,
                (Some(first), Some(other)) if first != other => {
                    return Err(mixed_inputs(first, other))
                }
                _ => {}
            }
        }
        let x: Vec<f64> = inputs.iter().map(Input::number).collect();
        let outputs: Vec<Py<PyAny>> = match kind {
            None => {
                let values = this.values(py, &x)?;
                return PyList::new(py, values);
            }
            Some(PyTrace::KIND) => this.traces(py, &inputs, &x)?,
            Some(PyMultiTrace::KIND) => this.multi_traces(py, &inputs, &x)?,
            Some(PyJet::KIND) => this.jets(py, &inputs, &x)?,
            Some(_) => records(slf, &inputs, &x)?,
        };
        PyList::new(py, outputs)
    }

    /// Pickles as ``wengert.custom(f, jacobian, hessian, higher)``: the functions by reference, as
    /// pickle keeps functions.
    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let custom = py.import("wengert._core")?.getattr("custom")?;
        let hessian = match &self.hessian {
            Some(h) => h.clone_ref(py),
            None => py.None(),
        };
        let higher = match self.higher.is_empty() {
            true => py.None(),
            false => PyTuple::new(py, self.higher.iter().map(|h| h.clone_ref(py)))?
                .into_any()
                .unbind(),
        };
        let functions = [
            self.f.clone_ref(py),
            self.jacobian.clone_ref(py),
            hessian,
            higher,
        ];
        Ok((custom, PyTuple::new(py, functions)?))
    }

    /// Its functions, for the garbage collector: a function that refers back to the
    /// operation (a method of an object that keeps it) makes a cycle it must see. (No
    /// `__clear__`: the operation is immutable, and the collector breaks such a cycle at
    /// the objects in it that can be cleared, such as the method's object.)
    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        visit.call(&self.f)?;
        visit.call(&self.jacobian)?;
        if let Some(hessian) = &self.hessian {
            visit.call(hessian)?;
        }
        for h in &self.higher {
            visit.call(h)?;
        }
        Ok(())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let repr = |f: &Py<PyAny>| -> PyResult<String> { Ok(f.bind(py).repr()?.to_string()) };
        let hessian = match &self.hessian {
            Some(h) => repr(h)?,
            None => "None".into(),
        };
        let higher = match self.higher.is_empty() {
            true => String::new(),
            false => {
                let functions = self.higher.iter().map(repr).collect::<PyResult<Vec<_>>>()?;
                format!(", higher=[{}]", functions.join(", "))
            }
        };
        Ok(format!(
            "wengert.custom({}, {}, hessian={hessian}{higher})",
            repr(&self.f)?,
            repr(&self.jacobian)?
        ))
    }
}

impl PyCustomOperation {
    fn traces(
        &self,
        py: Python<'_>,
        inputs: &[Input<'_, '_>],
        x: &[f64],
    ) -> PyResult<Vec<Py<PyAny>>> {
        let traces: Vec<Trace> = inputs
            .iter()
            .map(|input| match input {
                Input::Trace(t) => t.get().0,
                other => Trace::constant(other.number()),
            })
            .collect();
        let (values, jacobian) = self.first(py, x)?;
        let at = BlockAt {
            values: &values,
            jacobian: &jacobian,
            hessian: None,
        };
        block::traces(&traces, at)
            .into_iter()
            .map(|t| PyTrace::from_engine(py, Ok(t)))
            .collect()
    }

    fn multi_traces(
        &self,
        py: Python<'_>,
        inputs: &[Input<'_, '_>],
        x: &[f64],
    ) -> PyResult<Vec<Py<PyAny>>> {
        // Every MultiTrace has the same number of tangents, checked before f runs.
        let mut size = None;
        for input in inputs {
            if let Input::MultiTrace(t) = input {
                let k = t.get().0.k();
                match size {
                    Some(first) if first != k => {
                        return Err(MultiTraceError::SizeMismatch(first, k).into())
                    }
                    _ => size = Some(k),
                }
            }
        }
        let size = size.unwrap_or(0);
        let multi = inputs
            .iter()
            .map(|input| match input {
                Input::MultiTrace(t) => Ok(t.get().0.clone()),
                other => MultiTrace::constant(other.number(), size),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let (values, jacobian) = self.first(py, x)?;
        let at = BlockAt {
            values: &values,
            jacobian: &jacobian,
            hessian: None,
        };
        block::multi_traces(&multi, at)?
            .into_iter()
            .map(|t| PyMultiTrace::wrap(py, Ok(t)))
            .collect()
    }

    fn jets(
        &self,
        py: Python<'_>,
        inputs: &[Input<'_, '_>],
        x: &[f64],
    ) -> PyResult<Vec<Py<PyAny>>> {
        // One order for every Jet, and derivatives enough for it, checked before f runs.
        let mut order = None;
        let mut varies = false;
        for input in inputs {
            if let Input::Jet(t) = input {
                let jet = &t.get().0;
                varies |= jet.coefficients[1..].iter().any(|&c| c != 0.0);
                match order {
                    Some(first) if first != jet.order() => {
                        return Err(JetError::OrderMismatch(first, jet.order()).into())
                    }
                    _ => order = Some(jet.order()),
                }
            }
        }
        let order = order.unwrap_or(0);
        let jets = inputs
            .iter()
            .map(|input| match input {
                Input::Jet(t) => Ok(t.get().0.clone()),
                other => Jet::constant(other.number(), order),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let needed = block::derivatives_needed(&jets);
        let given = if self.has_hessian() {
            2 + self.higher.len()
        } else {
            1
        };
        if needed > given {
            return Err(missing_derivatives(order, needed, given));
        }
        if order > 2 || needed < order {
            // By the composition rule, from the derivative tensors the order needs.
            let (values, jacobian) = self.first(py, x)?;
            let m = values.len();
            let mut tensors = vec![jacobian];
            if needed >= 2 {
                tensors.extend(self.second(py, x, m)?);
            }
            for (i, h) in self
                .higher
                .iter()
                .enumerate()
                .take(needed.saturating_sub(2))
            {
                let mut shape = vec![Some(x.len()); i + 4];
                shape[0] = Some(m);
                let result = h.bind(py).call1((array(py, x)?,))?;
                let what = format!("higher[{i}](x) of wengert.custom");
                tensors.push(read_array(py, &result, &shape, &what)?);
            }
            let tensors: Vec<&[f64]> = tensors.iter().map(Vec::as_slice).collect();
            return block::jets_of_any_order(&jets, &values, &tensors)?
                .into_iter()
                .map(|t| PyJet::wrap(py, Ok(t)))
                .collect();
        }
        let (values, jacobian) = self.first(py, x)?;
        let hessian = if varies && order == 2 {
            self.second(py, x, values.len())?
        } else {
            None
        };
        let at = BlockAt {
            values: &values,
            jacobian: &jacobian,
            hessian: hessian.as_deref(),
        };
        block::jets(&jets, at)?
            .into_iter()
            .map(|t| PyJet::wrap(py, Ok(t)))
            .collect()
    }
}

/// The outputs for Records: `m` entries of one block on the inputs' tape (constants
/// for constant inputs only), logged for a recording being made.
fn records(
    slf: &Bound<'_, PyCustomOperation>,
    inputs: &[Input<'_, '_>],
    x: &[f64],
) -> PyResult<Vec<Py<PyAny>>> {
    let py = slf.py();
    let this = slf.get();
    // One tape, every record on it current, checked before f runs.
    let mut tape: Option<&Py<PyWengertList>> = None;
    let mut slots = Vec::with_capacity(inputs.len());
    for input in inputs {
        let slot = match input {
            Input::Record(r) => match r.get().tape() {
                Some(t) => {
                    if tape.is_some_and(|first| !first.is(t)) {
                        return Err(mixed_tapes());
                    }
                    tape = Some(t);
                    let slot = r.get().slot();
                    t.get().lock().check(slot)?;
                    Ok(slot)
                }
                None => Err(r.get().value()),
            },
            other => Err(other.number()),
        };
        slots.push(slot);
    }
    let Some(tape) = tape else {
        return this
            .values(py, x)?
            .into_iter()
            .map(|v| new_object(py, PyRecord::new_constant(v)))
            .collect();
    };
    let (values, jacobian) = this.first(py, x).inspect_err(|error| {
        observe_raise(py, tape.get(), error);
    })?;
    let m = values.len();
    let first = tape.get().lock().block(&slots, m, jacobian)?;
    let outputs = values
        .iter()
        .enumerate()
        .map(|(j, &v)| {
            let slot = Slot {
                index: first.index + j as u32,
                generation: first.generation,
            };
            new_object(py, PyRecord::new_variable(v, slot, tape.clone_ref(py)))
        })
        .collect::<PyResult<Vec<_>>>()?;
    observe_custom(outputs[0].bind(py), || Custom::Block(slf.clone().unbind()));
    Ok(outputs)
}

/// The error for Jets of `order` that need a block's derivatives to order `needed`, given
/// to order `given`: what to give, or to do instead.
fn missing_derivatives(order: usize, needed: usize, given: usize) -> PyErr {
    let what = if needed == 2 {
        "give wengert.custom its hessian".to_string()
    } else if given == 1 {
        format!(
            "give wengert.custom its hessian and higher=(the third derivatives, ...) up to \
             order {needed}"
        )
    } else {
        format!("give wengert.custom higher=(the third derivatives, ...) up to order {needed}")
    };
    PyValueError::new_err(format!(
        "a custom operation of wengert.custom on these Jets of order {order} needs its \
         derivatives to order {needed}, and was given them to order {given}: {what}, use \
         Jets of a lower order, or write the function with wengert's operations"
    ))
}
