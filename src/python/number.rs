//! What Trace, MultiTrace, Record and Jet share: the [`NumberClass`] trait each implements,
//! and the number protocol, comparisons, formatting and math methods written once on
//! it and expanded into each class by [`number_methods!`].
//!
//! The math methods (`sin`, `arcsin`, `atan2`, ...) are those of the list of elementary
//! functions ([`crate::functions`]): a line there gives all three classes its methods.

use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::pyclass::boolean_struct::True;
use pyo3::types::{PyBool, PyFloat, PyInt};
use pyo3::PyClass;

use super::errors::{mixed_modes, mixed_with_multi_trace};
use super::input::{classify, Operand};
use super::jet::{mixed_with_jet, PyJet};
use super::multi_trace::PyMultiTrace;
use super::record::PyRecord;
use super::record_log::Observation;
use super::trace::PyTrace;
use crate::ops::{Binary, Comparison, Unary};

/// The contract of a number class: what [`number_methods!`], the math functions and the
/// number slots (`slots.rs`) call. Each class computes through the engine's operation
/// table; only how it holds its value and its derivatives differs.
pub(crate) trait NumberClass: PyClass<Frozen = True> + Sync + Sized {
    /// The class's name in messages ("Trace", "MultiTrace", "Record").
    const KIND: &'static str;

    /// The value (the number, without derivatives).
    fn value(&self) -> f64;

    /// An operation of the table on `this`.
    fn apply_unary_to(py: Python<'_>, this: &Self, op: Unary) -> PyResult<Py<PyAny>>;

    /// An operation of the table on `slf`.
    #[inline(always)]
    fn apply_unary(slf: &Bound<'_, Self>, op: Unary) -> PyResult<Py<PyAny>> {
        Self::apply_unary_to(slf.py(), slf.get(), op)
    }

    /// `slf ⊕ other`, or `other ⊕ slf` when `reflected`; NotImplemented for an operand
    /// that is neither a number nor of this class (see [`other_operand`]).
    fn apply_binary(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        op: Binary,
        reflected: bool,
    ) -> PyResult<Py<PyAny>>;

    /// A user-supplied function of `slf` (and `other`, or a constant 0 without one):
    /// `f(x, y)` gives its value and partials at the numbers.
    fn apply_custom(
        slf: &Bound<'_, Self>,
        other: Option<&Bound<'_, PyAny>>,
        f: impl FnOnce(f64, f64) -> PyResult<(f64, [f64; 2])>,
    ) -> PyResult<Py<PyAny>>;

    /// [`NumberClass::apply_custom`] with the function's second partials
    /// `[∂²/∂x², ∂²/∂x∂y, ∂²/∂y²]` where the user gave them: only a Jet (of order 2)
    /// uses them, the other classes carry first derivatives only.
    #[inline(always)]
    fn apply_custom_second(
        slf: &Bound<'_, Self>,
        other: Option<&Bound<'_, PyAny>>,
        f: impl FnOnce(f64, f64) -> PyResult<(f64, [f64; 2])>,
        second: Option<&dyn Fn(f64, f64) -> PyResult<[f64; 3]>>,
    ) -> PyResult<Py<PyAny>> {
        let _ = second;
        Self::apply_custom(slf, other, f)
    }

    /// A custom function of one argument given by its derivatives to any order
    /// (`unary(fx, dfx_dx, d2fx_dx2, higher=...)`), where the class needs more than the
    /// first two: None where [`NumberClass::apply_custom_second`] serves (only a Jet past
    /// order 2, or given `higher`, takes this way).
    #[inline(always)]
    fn apply_unary_series(
        slf: &Bound<'_, Self>,
        functions: UnaryFunctions<'_, '_>,
    ) -> Option<PyResult<Py<PyAny>>> {
        let _ = (slf, functions);
        None
    }

    /// A step function of `slf` (`round()`): the value `value`, every derivative 0.
    #[inline(always)]
    fn apply_step(slf: &Bound<'_, Self>, value: f64) -> PyResult<Py<PyAny>> {
        Self::apply_custom(slf, None, |_, _| Ok((value, [0.0, 0.0])))
    }

    /// Tell a recording being made (`record_log.rs`) what `slf` was used for:
    /// comparisons and reads of the value. Only a Record can be on a recording's tape;
    /// the others tell nothing.
    #[inline(always)]
    fn observe(slf: &Bound<'_, Self>, observation: Observation<'_, '_>) -> PyResult<()> {
        let _ = (slf, observation);
        Ok(())
    }
}

/// The functions of `unary(fx, dfx_dx, d2fx_dx2, higher=...)`: the value, the first
/// and (optionally) the second derivative, and the third, fourth, ... in `higher`.
#[derive(Clone, Copy)]
pub(crate) struct UnaryFunctions<'a, 'py> {
    pub(crate) f: &'a Bound<'py, PyAny>,
    pub(crate) df: &'a Bound<'py, PyAny>,
    pub(crate) d2f: Option<&'a Bound<'py, PyAny>>,
    pub(crate) higher: &'a [Bound<'py, PyAny>],
}

impl UnaryFunctions<'_, '_> {
    /// The highest order of derivative given.
    pub(crate) fn given(&self) -> usize {
        match self.d2f {
            Some(_) => 2 + self.higher.len(),
            None => 1,
        }
    }

    /// `[f(x), f'(x), ...]` to order `n` (at most [`UnaryFunctions::given`]).
    pub(crate) fn at(&self, x: f64, n: usize) -> PyResult<Vec<f64>> {
        let mut derivatives = vec![call_float(self.f, (x,), "fx")?];
        if n >= 1 {
            derivatives.push(call_float(self.df, (x,), "dfx_dx")?);
        }
        if let (true, Some(d2f)) = (n >= 2, self.d2f) {
            derivatives.push(call_float(d2f, (x,), "d2fx_dx2")?);
        }
        for (i, h) in self.higher.iter().enumerate().take(n.saturating_sub(2)) {
            derivatives.push(call_float(h, (x,), &format!("higher[{i}]"))?);
        }
        Ok(derivatives)
    }
}

/// `higher` of `unary()`: None, or a sequence of functions (the third derivative first).
pub(crate) fn higher_derivatives<'py>(
    higher: Option<&Bound<'py, PyAny>>,
    has_second: bool,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let Some(higher) = higher.filter(|h| !h.is_none()) else {
        return Ok(Vec::new());
    };
    let bad = || {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "unary(fx, dfx_dx, d2fx_dx2, higher): higher must be a sequence of functions (the \
             third derivative, the fourth, ...), not {}",
            super::input::type_name(higher)
        ))
    };
    if higher.is_callable() || higher.is_instance_of::<pyo3::types::PyString>() {
        return Err(bad());
    }
    let functions: Vec<Bound<'py, PyAny>> = higher
        .try_iter()
        .map_err(|_| bad())?
        .collect::<PyResult<_>>()?;
    if functions.iter().any(|f| !f.is_callable()) {
        return Err(bad());
    }
    if !functions.is_empty() && !has_second {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "unary(fx, dfx_dx, d2fx_dx2, higher): higher (the third derivative on) needs the \
             second derivative d2fx_dx2 too",
        ));
    }
    Ok(functions)
}

/// The other operand of a binary operation, as a number class `T` sees it.
pub(crate) enum Other<'a, 'py, T> {
    /// A value of the same class.
    Same(&'a Bound<'py, T>),
    /// A plain number (see [`classify`]): a constant.
    Constant(f64),
    /// A value of another number class, named: the two modes cannot be combined.
    MixedModes(&'static str),
    /// Anything else: the operation answers NotImplemented, or a method raises TypeError.
    Unknown,
}

/// What `obj` is as the other operand of an operation on a `T`.
#[inline(always)]
pub(crate) fn other_operand<'a, 'py, T: NumberClass>(
    obj: &'a Bound<'py, PyAny>,
) -> PyResult<Other<'a, 'py, T>> {
    if obj.is_exact_instance_of::<T>() {
        // SAFETY: the type was checked on the line above.
        return Ok(Other::Same(unsafe { obj.cast_unchecked::<T>() }));
    }
    Ok(match classify(obj)? {
        Operand::Number(c) => Other::Constant(c),
        Operand::Trace => Other::MixedModes(PyTrace::KIND),
        Operand::Record(_) => Other::MixedModes(PyRecord::KIND),
        Operand::MultiTrace => Other::MixedModes(PyMultiTrace::KIND),
        Operand::Other => Other::Unknown,
    })
}

/// The other operand of a custom function of two operands (`binary()`), as a number
/// class `T` sees it: a value of the same class or a constant. (A block of
/// `wengert.custom` classifies its inputs itself: `input` in `block.rs`.)
pub(crate) enum CustomOperand<'a, 'py, T> {
    /// A value of the same class.
    Same(&'a Bound<'py, T>),
    /// A plain number: a constant.
    Constant(f64),
}

/// `obj` as the other operand of the custom operation `method` on a `T`: the
/// MixedModesError for a value of another number class, the TypeError for anything
/// else.
pub(crate) fn custom_operand<'a, 'py, T: NumberClass>(
    obj: &'a Bound<'py, PyAny>,
    method: &str,
) -> PyResult<CustomOperand<'a, 'py, T>> {
    match other_operand::<T>(obj)? {
        Other::Same(x) => Ok(CustomOperand::Same(x)),
        Other::Constant(c) => Ok(CustomOperand::Constant(c)),
        Other::MixedModes(kind) => Err(mixed::<T>(kind)),
        Other::Unknown => Err(bad_operand(T::KIND, method, obj)),
    }
}

/// The MixedModesError for a `T` combined with a value of class `other`.
pub(crate) fn mixed<T: NumberClass>(other: &str) -> PyErr {
    if T::KIND == PyJet::KIND {
        mixed_with_jet(other)
    } else if T::KIND == PyMultiTrace::KIND {
        mixed_with_multi_trace(other)
    } else if other == PyMultiTrace::KIND {
        mixed_with_multi_trace(T::KIND)
    } else {
        mixed_modes()
    }
}

/// Python's comparison operator as the engine's (which a recording keeps).
impl From<CompareOp> for Comparison {
    fn from(op: CompareOp) -> Self {
        match op {
            CompareOp::Lt => Comparison::Lt,
            CompareOp::Le => Comparison::Le,
            CompareOp::Eq => Comparison::Eq,
            CompareOp::Ne => Comparison::Ne,
            CompareOp::Gt => Comparison::Gt,
            CompareOp::Ge => Comparison::Ge,
        }
    }
}

/// Compare a `T` with `other` as floats compare; NotImplemented for anything that is not
/// a number or a `T` (a Trace is compared with neither a Record nor a MultiTrace).
pub(crate) fn compare<T: NumberClass>(
    slf: &Bound<'_, T>,
    other: &Bound<'_, PyAny>,
    op: CompareOp,
) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let number = slf.get().value();
    if other.is_instance_of::<PyInt>() {
        // Exactly, as float does: 2.0**53 != 2**53 + 1, and 1.0 < 10**400.
        return Ok(PyFloat::new(py, number).rich_compare(other, op)?.unbind());
    }
    let other = match other_operand::<T>(other)? {
        Other::Constant(x) => x,
        Other::Same(y) => y.get().value(),
        Other::MixedModes(_) | Other::Unknown => return Ok(py.NotImplemented()),
    };
    let result = Comparison::from(op).holds(number, other);
    Ok(PyBool::new(py, result).to_owned().into_any().unbind())
}

/// `str(number)`, exactly as Python writes the float.
pub(crate) fn float_str(py: Python<'_>, number: f64) -> PyResult<String> {
    PyFloat::new(py, number).repr()?.extract()
}

/// `hash(number)`, so that a value hashes like the float it equals.
///
/// NaN equals nothing, so like a float NaN it hashes by identity (`slf`), which
/// keeps the hash of one object the same from call to call.
pub(crate) fn float_hash(slf: &Bound<'_, PyAny>, number: f64) -> PyResult<isize> {
    if number.is_nan() {
        let address = slf.as_ptr() as usize;
        return Ok(address.rotate_right(4) as isize);
    }
    PyFloat::new(slf.py(), number).hash()
}

/// `format(number, spec)`.
pub(crate) fn float_format(py: Python<'_>, number: f64, spec: &str) -> PyResult<String> {
    PyFloat::new(py, number)
        .call_method1("__format__", (spec,))?
        .extract()
}

/// Call a user's function of the operands' numbers and read back a float.
pub(crate) fn call_float<'py>(
    function: &Bound<'py, PyAny>,
    args: impl pyo3::call::PyCallArgs<'py>,
    what: &str,
) -> PyResult<f64> {
    let result = function.call1(args)?;
    if result.is_instance_of::<PyFloat>() || result.is_instance_of::<PyInt>() {
        // An int beyond float range raises OverflowError, as float(result) would.
        return result.extract::<f64>();
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "{what} must return a float, but returned {}",
        result.get_type().name()?
    )))
}

/// `d2fxy(x, y)`: the three second partials `(∂²/∂x², ∂²/∂x∂y, ∂²/∂y²)` as floats.
pub(crate) fn second_partials(d2fxy: &Bound<'_, PyAny>, x: f64, y: f64) -> PyResult<[f64; 3]> {
    let result = d2fxy.call1((x, y))?;
    let bad = || {
        pyo3::exceptions::PyTypeError::new_err(format!(
            "d2fxy must return a tuple of three floats (d²f/dx², d²f/dxdy, d²f/dy²), but \
             returned {}",
            super::input::type_name(&result)
        ))
    };
    let items = result.cast::<pyo3::types::PyTuple>().map_err(|_| bad())?;
    if items.len() != 3 {
        return Err(bad());
    }
    let mut partials = [0.0; 3];
    for (i, item) in items.iter().enumerate() {
        if !(item.is_instance_of::<PyFloat>() || item.is_instance_of::<pyo3::types::PyInt>()) {
            return Err(bad());
        }
        partials[i] = item.extract::<f64>()?;
    }
    Ok(partials)
}

/// An optional function argument: None, or a callable (else a TypeError naming it).
pub(crate) fn optional_callable(
    f: Option<&Bound<'_, PyAny>>,
    call: &str,
    name: &str,
) -> PyResult<Option<Py<PyAny>>> {
    match f {
        None => Ok(None),
        Some(f) if f.is_none() => Ok(None),
        Some(f) if f.is_callable() => Ok(Some(f.clone().unbind())),
        Some(f) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{call}: the argument {name} must be a function or None, not {}",
            f.get_type()
                .name()
                .map(|n| n.to_string())
                .unwrap_or_default()
        ))),
    }
}

/// The TypeError for an operand that is neither a number nor of the caller's kind.
pub(crate) fn bad_operand(kind: &str, method: &str, operand: &Bound<'_, PyAny>) -> PyErr {
    let name = operand
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default();
    pyo3::exceptions::PyTypeError::new_err(format!(
        "{method} takes a {kind}, a float or an int as its operand, not {name}"
    ))
}

/// The TypeError for `pow(x, y, modulus)`.
pub(crate) fn no_modulus(kind: &str) -> PyErr {
    pyo3::exceptions::PyTypeError::new_err(format!(
        "pow() with a modulus (three arguments) is not defined for a {kind}: use x ** y"
    ))
}

/// A binary operation called as a method (`pow`, `atan2`, `hypot`): where the operator
/// would answer NotImplemented, the method raises a TypeError instead.
pub(crate) fn method_result(
    result: PyResult<Py<PyAny>>,
    kind: &str,
    method: &str,
    other: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let result = result?;
    if result.is(other.py().NotImplemented()) {
        return Err(bad_operand(kind, method, other));
    }
    Ok(result)
}

/// `math.floor`, `math.ceil`, `math.trunc` and `round` (without `ndigits`) promise an
/// integer: as on a float, refuse an infinity (OverflowError) or a NaN (ValueError).
/// `method` names the method that gives the same kind with an infinite or NaN number.
pub(crate) fn check_integral(
    kind: &str,
    function: &str,
    method: &str,
    number: f64,
) -> PyResult<()> {
    if number.is_nan() {
        return Err(pyo3::exceptions::PyValueError::new_err(format!(
            "cannot convert float NaN to integer: {function} of a {kind} whose number is nan; \
             {method} gives a {kind} with number nan"
        )));
    }
    if number.is_infinite() {
        return Err(pyo3::exceptions::PyOverflowError::new_err(format!(
            "cannot convert float infinity to integer: {function} of a {kind} whose number \
             is {number}; {method} gives a {kind} with number {number}"
        )));
    }
    Ok(())
}

/// `round(number, ndigits)` exactly as Python rounds the float, as a float.
///
/// `ndigits` None: round half to even, refusing infinities and NaN (checked by the caller).
pub(crate) fn float_round(
    py: Python<'_>,
    number: f64,
    ndigits: Option<&Bound<'_, PyAny>>,
) -> PyResult<f64> {
    // float.__round__ gives an int without ndigits (exact: it came from a float) and a
    // float with them; it raises what round() of the float raises for a bad ndigits.
    PyFloat::new(py, number)
        .call_method1("__round__", (ndigits,))?
        .extract::<f64>()
}

/// The math method `method` of one of the number classes: the operation `op` of the table on
/// `slf` (and `operand`). Where the operator would answer NotImplemented, the method of a
/// binary operation raises a TypeError instead.
macro_rules! math_method {
    ($slf:ident, Unary::$op:ident, $method:ident) => {
        Self::apply_unary($slf, $crate::ops::Unary::$op)
    };
    ($slf:ident, Binary::$op:ident, $method:ident, $operand:ident) => {
        $crate::python::number::method_result(
            Self::apply_binary($slf, $operand, $crate::ops::Binary::$op, false),
            Self::KIND,
            concat!(stringify!($method), "()"),
            $operand,
        )
    };
}
pub(crate) use math_method;

/// The shared methods of `$class` (with the class's own, `$extra`), all in one
/// `#[pymethods]` block: the number protocol, comparisons, formatting, and the math methods
/// of the list of elementary functions ([`crate::functions`]).
macro_rules! number_methods {
    ($class:ty { $($extra:tt)* }) => {
        crate::functions::elementary_functions!(crate::python::number::number_class! {
            $class { $($extra)* }
        });
    };
}

/// [`number_methods!`] with the list of elementary functions, as `elementary_functions!`
/// hands it over.
macro_rules! number_class {
    (
        { $class:ty { $($extra:tt)* } }
        $(
            $name:ident($first:ident $(, $more:ident)*) => $kind:ident::$op:ident,
            [$($method:ident $(($operand:ident))?),+],
            $math:literal, $domain:literal, $doc:literal;
        )*
    ) => {
        #[pymethods]
        impl $class {
            $($extra)*

            /// Above numpy's scalars (-1e6) and below its arrays (0): `numpy.float32(2) * x`
            /// then leaves the operation to this class, while `array * x` stays elementwise.
            #[classattr]
            #[pyo3(name = "__array_priority__")]
            fn array_priority() -> f64 {
                -1.0
            }

            fn __add__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Add, false)
            }
            fn __radd__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Add, true)
            }
            fn __sub__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Sub, false)
            }
            fn __rsub__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Sub, true)
            }
            fn __mul__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Mul, false)
            }
            fn __rmul__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Mul, true)
            }
            fn __truediv__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Div, false)
            }
            fn __rtruediv__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                Self::apply_binary(slf, other, Binary::Div, true)
            }
            fn __pow__(
                slf: &Bound<'_, Self>,
                other: &Bound<'_, PyAny>,
                modulo: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                if !modulo.is_none() {
                    return Err($crate::python::number::no_modulus(Self::KIND));
                }
                Self::apply_binary(slf, other, Binary::Pow, false)
            }
            fn __rpow__(
                slf: &Bound<'_, Self>,
                other: &Bound<'_, PyAny>,
                modulo: &Bound<'_, PyAny>,
            ) -> PyResult<Py<PyAny>> {
                if !modulo.is_none() {
                    return Err($crate::python::number::no_modulus(Self::KIND));
                }
                Self::apply_binary(slf, other, Binary::Pow, true)
            }
            fn __neg__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                Self::apply_unary(slf, Unary::Neg)
            }
            /// The value itself: it is immutable (a Record's copy would be the same
            /// entry of the same tape).
            fn __copy__(slf: &Bound<'_, Self>) -> Py<Self> {
                slf.clone().unbind()
            }
            /// The value itself, as for `__copy__`.
            fn __deepcopy__(slf: &Bound<'_, Self>, memo: &Bound<'_, PyAny>) -> Py<Self> {
                let _ = memo; // a copy of an immutable value needs no memo
                slf.clone().unbind()
            }
            /// The number itself: a real number is its own complex conjugate (numpy's
            /// `std` and `var` call this on the elements of an object array).
            fn conjugate(slf: &Bound<'_, Self>) -> Py<Self> {
                slf.clone().unbind()
            }
            fn __pos__(slf: &Bound<'_, Self>) -> Py<Self> {
                slf.clone().unbind()
            }

            // The math methods, from the list of elementary functions (src/functions.rs):
            // each method of each entry calls the entry's operation of the table.
            $($(
                #[doc = $doc]
                #[doc = ""]
                #[doc = concat!(
                    "``wengert.", stringify!($name), "`` as a method, with this number as ``",
                    stringify!($first), "``; defined for ", $domain, "."
                )]
                fn $method(slf: &Bound<'_, Self> $(, $operand: &Bound<'_, PyAny>)?) -> PyResult<Py<PyAny>> {
                    $crate::python::number::math_method!(slf, $kind::$op, $method $(, $operand)?)
                }
            )+)*

            /// `math.floor(self)`: as `floor()`, but an infinity or NaN raises, as for a float.
            fn __floor__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                Self::integral(slf, Unary::Floor, "math.floor()", "x.floor()")
            }
            /// `math.ceil(self)`: as `ceil()`, but an infinity or NaN raises, as for a float.
            fn __ceil__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                Self::integral(slf, Unary::Ceil, "math.ceil()", "x.ceil()")
            }
            /// `math.trunc(self)`: as `trunc()`, but an infinity or NaN raises, as for a float.
            fn __trunc__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
                Self::integral(slf, Unary::Trunc, "math.trunc()", "x.trunc()")
            }
            /// `round(self)` or `round(self, ndigits)`: the same kind, whose number is what
            /// `round()` gives for the float (as a float), with derivative 0.
            #[pyo3(signature = (ndigits = None))]
            fn __round__(
                slf: &Bound<'_, Self>,
                ndigits: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                use $crate::python::number::{check_integral, float_round};
                let number = slf.get().value();
                if ndigits.is_none() {
                    // No guard needed when it passes: the replay checks it again.
                    Self::told(slf, check_integral(Self::KIND, "round()", "round(x, 0)", number))?;
                }
                let rounded = Self::told(slf, float_round(slf.py(), number, ndigits))?;
                // Recorded as a function of one argument with derivative 0.
                let result = Self::apply_step(slf, rounded)?;
                $crate::python::record_log::observe_custom(result.bind(slf.py()), || {
                    $crate::python::record_log::Custom::Round(ndigits.map(|n| n.clone().unbind()))
                });
                Ok(result)
            }

            /// A custom function of one argument, given as its value and its derivative
            /// (both taking and returning floats), and optionally its second derivative
            /// (for the Hessians and Taylor mode to order 2 of a recording) and, in
            /// `higher`, its third, fourth, ... derivatives (for Jets past order 2).
            #[pyo3(signature = (fx, dfx_dx, d2fx_dx2 = None, *, higher = None))]
            fn unary(
                slf: &Bound<'_, Self>,
                fx: &Bound<'_, PyAny>,
                dfx_dx: &Bound<'_, PyAny>,
                d2fx_dx2: Option<&Bound<'_, PyAny>>,
                higher: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                use $crate::python::number::{call_float, higher_derivatives, optional_callable};
                use $crate::python::number::UnaryFunctions;
                use $crate::python::record_log::{observe_custom, Custom};
                let d2f = optional_callable(d2fx_dx2, "unary(fx, dfx_dx, d2fx_dx2)", "d2fx_dx2")?;
                let py = slf.py();
                let higher = higher_derivatives(higher, d2f.is_some())?;
                let functions = UnaryFunctions {
                    f: fx,
                    df: dfx_dx,
                    d2f: d2f.as_ref().map(|f| f.bind(py)),
                    higher: &higher,
                };
                if let Some(result) = Self::apply_unary_series(slf, functions) {
                    return result;
                }
                let given;
                let second: Option<&dyn Fn(f64, f64) -> PyResult<[f64; 3]>> = match &d2f {
                    Some(d2f) => {
                        let d2f = d2f.bind(py);
                        given = move |x: f64, _: f64| -> PyResult<[f64; 3]> {
                            Ok([call_float(d2f, (x,), "d2fx_dx2")?, 0.0, 0.0])
                        };
                        Some(&given)
                    }
                    None => None,
                };
                let result = Self::apply_custom_second(slf, None, |x, _| {
                    Ok((call_float(fx, (x,), "fx")?, [call_float(dfx_dx, (x,), "dfx_dx")?, 0.0]))
                }, second)?;
                observe_custom(result.bind(slf.py()), || Custom::Unary {
                    f: fx.clone().unbind(),
                    df: dfx_dx.clone().unbind(),
                    d2f,
                });
                Ok(result)
            }

            /// A custom function of two arguments (`self` first), given as its value and
            /// its two partial derivatives (each taking two floats and returning a float),
            /// and optionally its second partials: `d2fxy(x, y)` returning the tuple
            /// `(d²f/dx², d²f/dxdy, d²f/dy²)` (for the Hessians and Taylor mode to order 2
            /// of a recording).
            #[pyo3(signature = (other, fxy, dfxy_dx, dfxy_dy, d2fxy = None))]
            fn binary(
                slf: &Bound<'_, Self>,
                other: &Bound<'_, PyAny>,
                fxy: &Bound<'_, PyAny>,
                dfxy_dx: &Bound<'_, PyAny>,
                dfxy_dy: &Bound<'_, PyAny>,
                d2fxy: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Py<PyAny>> {
                use $crate::python::number::{call_float, optional_callable};
                use $crate::python::record_log::{observe_custom, Custom};
                let d2f = optional_callable(
                    d2fxy,
                    "binary(other, fxy, dfxy_dx, dfxy_dy, d2fxy)",
                    "d2fxy",
                )?;
                let py = slf.py();
                let given;
                let second: Option<&dyn Fn(f64, f64) -> PyResult<[f64; 3]>> = match &d2f {
                    Some(d2f) => {
                        let d2f = d2f.bind(py);
                        given = move |x: f64, y: f64| -> PyResult<[f64; 3]> {
                            $crate::python::number::second_partials(d2f, x, y)
                        };
                        Some(&given)
                    }
                    None => None,
                };
                let result = Self::apply_custom_second(slf, Some(other), |x, y| {
                    let value = call_float(fxy, (x, y), "fxy")?;
                    let dx = call_float(dfxy_dx, (x, y), "dfxy_dx")?;
                    Ok((value, [dx, call_float(dfxy_dy, (x, y), "dfxy_dy")?]))
                }, second)?;
                observe_custom(result.bind(slf.py()), || Custom::Binary {
                    f: fxy.clone().unbind(),
                    dfx: dfxy_dx.clone().unbind(),
                    dfy: dfxy_dy.clone().unbind(),
                    d2f,
                });
                Ok(result)
            }

            fn __richcmp__(
                slf: &Bound<'_, Self>,
                other: &Bound<'_, PyAny>,
                op: pyo3::basic::CompareOp,
            ) -> PyResult<Py<PyAny>> {
                use $crate::python::record_log::Observation;
                let py = slf.py();
                let result = $crate::python::number::compare(slf, other, op)?;
                if let Ok(outcome) = result.bind(py).cast::<pyo3::types::PyBool>() {
                    let outcome = outcome.is_true();
                    let comparison = op.into();
                    Self::observe(slf, Observation::Comparison { other, comparison, outcome })?;
                }
                Ok(result)
            }
            fn __hash__(slf: &Bound<'_, Self>) -> PyResult<isize> {
                Self::observe(slf, $crate::python::record_log::Observation::Read("hash()"))?;
                $crate::python::number::float_hash(slf.as_any(), slf.get().value())
            }
            /// True when the number is not 0, as for a float.
            fn __bool__(slf: &Bound<'_, Self>) -> PyResult<bool> {
                let outcome = slf.get().value() != 0.0;
                Self::observe(slf, $crate::python::record_log::Observation::Truth(outcome))?;
                Ok(outcome)
            }
            /// Always raises ImplicitConversionError: use `.number` or the wengert math functions.
            fn __float__(&self) -> PyResult<f64> {
                Err($crate::python::errors::implicit_conversion(Self::KIND, "float"))
            }
            /// Always raises ImplicitConversionError: use `.number`.
            fn __int__(&self) -> PyResult<i64> {
                Err($crate::python::errors::implicit_conversion(Self::KIND, "int"))
            }
            fn __str__(slf: &Bound<'_, Self>) -> PyResult<String> {
                Self::observe(slf, $crate::python::record_log::Observation::Read("str()"))?;
                $crate::python::number::float_str(slf.py(), slf.get().value())
            }
            /// Formats the number, as `format(self.number, format_spec)`.
            fn __format__(slf: &Bound<'_, Self>, format_spec: &str) -> PyResult<String> {
                Self::observe(slf, $crate::python::record_log::Observation::Read("format()"))?;
                $crate::python::number::float_format(slf.py(), slf.get().value(), format_spec)
            }
        }

        impl $class {
            /// `math.floor(self)` and the like (`op`, named `function`; `method` gives the
            /// same without the check): an infinity or NaN raises, as for a float. What the
            /// check found (finite, or the error) is told to a recording being made.
            fn integral(
                slf: &Bound<'_, Self>,
                op: Unary,
                function: &str,
                method: &str,
            ) -> PyResult<Py<PyAny>> {
                use $crate::python::record_log::Observation;
                let number = slf.get().value();
                let checked = $crate::python::number::check_integral(Self::KIND, function, method, number);
                Self::told(slf, checked)?;
                Self::observe(slf, Observation::Finite)?;
                Self::apply_unary(slf, op)
            }

            /// `result`, its error (if any) told first to a recording being made: f may
            /// catch it and go on in a way the recording cannot see.
            fn told<T>(slf: &Bound<'_, Self>, result: PyResult<T>) -> PyResult<T> {
                use $crate::python::record_log::Observation;
                if let Err(error) = &result {
                    Self::observe(slf, Observation::Raised(error))?;
                }
                result
            }
        }
    };
}

pub(crate) use number_class;
pub(crate) use number_methods;
