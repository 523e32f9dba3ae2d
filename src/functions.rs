//! The one list of the elementary functions Python sees: `wengert.sin` and its kin.
//!
//! Each line of `elementary_functions!` names a function, the operation of the table
//! ([`crate::ops`]) that computes it, the methods the number classes give it, its
//! counterpart in Python's `math` module, where it is defined, and its documentation.
//! Everything else follows from that line:
//!
//! - the methods of Trace, MultiTrace and Record (`src/python/number.rs`),
//! - the native functions `wengert.sin`, ... (`src/python/math_functions.rs`),
//! - [`FUNCTIONS`], exported to Python as `wengert._core._FUNCTIONS`, from which
//!   `python/wengert/real.py` makes the functions' definitions for plain numbers and
//!   the command line (`python/wengert/__main__.py`) its allow-list,
//! - the stubs (`python/wengert/_core.pyi`, `python/wengert/real.py`), written by
//!   `scripts/generate_stubs.py` from `_FUNCTIONS`.
//!
//! The order of the list is the order in which the command line names the functions.

use crate::ops::{Binary, Unary};

/// Hands the list of elementary functions to the macro `callback`.
///
/// `elementary_functions!(callback! { arguments })` expands to
/// `callback! { { arguments } entries }`, one entry a function:
///
/// ```text
/// name(parameters) => Kind::Operation, [methods], "math", "domain", "doc";
/// ```
///
/// - `name(parameters)`: the Python function and its parameters, one for a `Unary`
///   operation, two for a `Binary` one (the first is the operand of the methods' self);
/// - `Kind::Operation`: the operation of the table, [`Unary`] or [`Binary`];
/// - `[methods]`: the methods of Trace, MultiTrace and Record that compute it, its own
///   first (`__abs__` for `abs`), then NumPy's names for it (NumPy calls `x.arcsin()`
///   for `np.arcsin` of an object array); a method of a `Binary` operation names its
///   parameter, `atan2(x)`;
/// - `"math"`: the function of Python's `math` module that gives the same float for a
///   plain number, or `""` when there is none (`math.floor` gives an int); where there
///   is none, or `math` lacks it (`exp2` and `cbrt` before Python 3.11), the value for a
///   plain number comes from the table;
/// - `"domain"`: where it is defined, completing "Defined for ...";
/// - `"doc"`: one line of documentation, in reStructuredText, naming the argument ``x``.
macro_rules! elementary_functions {
    ($($callback:ident)::+ ! $arguments:tt) => {
        $($callback)::+! {
            $arguments
            sin(x) => Unary::Sin, [sin], "sin", "finite ``x``", "The sine.";
            cos(x) => Unary::Cos, [cos], "cos", "finite ``x``", "The cosine.";
            exp(x) => Unary::Exp, [exp], "exp", "``x`` up to about 709.78 (above, the value overflows)", "e raised to the power ``x``.";
            ln(x) => Unary::Ln, [ln, log], "log", "``x > 0``", "The natural logarithm.";
            sqrt(x) => Unary::Sqrt, [sqrt], "sqrt", "``x ≥ 0``", "The square root.";
            abs(x) => Unary::Abs, [__abs__], "fabs", "every ``x``", "The absolute value (its derivative at 0 is taken as 0).";
            pow(x, y) => Binary::Pow, [pow(exponent)], "", "what ``x ** y`` of floats allows, but for a negative ``x`` to a fractional power (a complex number)", "``x`` raised to the power ``y``, with the rules of ``x ** y`` on floats.";
            tan(x) => Unary::Tan, [tan], "tan", "finite ``x``", "The tangent.";
            asin(x) => Unary::Asin, [asin, arcsin], "asin", "``-1 ≤ x ≤ 1``", "The arc sine, in [-π/2, π/2].";
            acos(x) => Unary::Acos, [acos, arccos], "acos", "``-1 ≤ x ≤ 1``", "The arc cosine, in [0, π].";
            atan(x) => Unary::Atan, [atan, arctan], "atan", "every ``x``", "The arc tangent, in [-π/2, π/2].";
            atan2(y, x) => Binary::Atan2, [atan2(x), arctan2(x)], "atan2", "every ``y`` and ``x``", "The angle of the point ``(x, y)``, in [-π, π], as :func:`math.atan2` (``y`` first).";
            sinh(x) => Unary::Sinh, [sinh], "sinh", "``|x|`` up to about 710.47 (above, the value overflows)", "The hyperbolic sine.";
            cosh(x) => Unary::Cosh, [cosh], "cosh", "``|x|`` up to about 710.47 (above, the value overflows)", "The hyperbolic cosine.";
            tanh(x) => Unary::Tanh, [tanh], "tanh", "every ``x``", "The hyperbolic tangent.";
            asinh(x) => Unary::Asinh, [asinh, arcsinh], "asinh", "every ``x``", "The inverse hyperbolic sine.";
            acosh(x) => Unary::Acosh, [acosh, arccosh], "acosh", "``x ≥ 1``", "The inverse hyperbolic cosine.";
            atanh(x) => Unary::Atanh, [atanh, arctanh], "atanh", "``-1 < x < 1``", "The inverse hyperbolic tangent.";
            exp2(x) => Unary::Exp2, [exp2], "exp2", "``x < 1024`` (above, the value overflows)", "2 raised to the power ``x``.";
            expm1(x) => Unary::Expm1, [expm1], "expm1", "``x`` up to about 709.78 (above, the value overflows)", "``exp(x) - 1``, accurate near 0.";
            log2(x) => Unary::Log2, [log2], "log2", "``x > 0``", "The base-2 logarithm.";
            log10(x) => Unary::Log10, [log10], "log10", "``x > 0``", "The base-10 logarithm.";
            log1p(x) => Unary::Log1p, [log1p], "log1p", "``x > -1``", "``ln(1 + x)``, accurate near 0.";
            cbrt(x) => Unary::Cbrt, [cbrt], "cbrt", "every ``x``", "The cube root (negative for a negative ``x``).";
            hypot(x, y) => Binary::Hypot, [hypot(y)], "hypot", "every ``x`` and ``y``", "The length ``sqrt(x² + y²)`` of the vector ``(x, y)``, as :func:`math.hypot` computes it.";
            erf(x) => Unary::Erf, [erf], "erf", "every ``x``", "The error function.";
            erfc(x) => Unary::Erfc, [erfc], "erfc", "every ``x``", "The complementary error function ``1 - erf(x)``, accurate for large ``x``.";
            floor(x) => Unary::Floor, [floor], "", "every ``x`` (an infinity or a NaN comes back as it is)", "The largest integer not above ``x``, as a float (not an int, as :func:`math.floor` gives), with derivative 0.";
            ceil(x) => Unary::Ceil, [ceil], "", "every ``x`` (an infinity or a NaN comes back as it is)", "The smallest integer not below ``x``, as a float (not an int, as :func:`math.ceil` gives), with derivative 0.";
            trunc(x) => Unary::Trunc, [trunc], "", "every ``x`` (an infinity or a NaN comes back as it is)", "``x`` with its fraction dropped (towards 0), as a float (not an int, as :func:`math.trunc` gives), with derivative 0.";
        }
    };
}
pub(crate) use elementary_functions;

/// The operation of the table that computes a function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operation {
    Unary(Unary),
    Binary(Binary),
}

/// One line of `elementary_functions!`, as data.
#[derive(Clone, Copy, Debug)]
pub struct Function {
    /// The Python name, `wengert.<name>`.
    pub name: &'static str,
    /// The parameters of `wengert.<name>`: one for a unary operation, two for a binary one.
    pub parameters: &'static [&'static str],
    pub operation: Operation,
    /// The methods of the number classes: its own first, then NumPy's names.
    pub methods: &'static [&'static str],
    /// The function of Python's `math` that gives the value for plain numbers, or "".
    pub math: &'static str,
    /// Where it is defined, completing "Defined for ...".
    pub domain: &'static str,
    /// One line of documentation (reStructuredText).
    pub doc: &'static str,
}

macro_rules! table {
    (
        {}
        $(
            $name:ident($($parameter:ident),+) => $kind:ident::$op:ident,
            [$($method:ident $(($operand:ident))?),+],
            $math:literal, $domain:literal, $doc:literal;
        )*
    ) => {
        /// Every elementary function, in the order of the list.
        pub const FUNCTIONS: &[Function] = &[
            $(
                Function {
                    name: stringify!($name),
                    parameters: &[$(stringify!($parameter)),+],
                    operation: Operation::$kind($kind::$op),
                    methods: &[$(stringify!($method)),+],
                    math: $math,
                    domain: $domain,
                    doc: $doc,
                },
            )*
        ];
    };
}

// Called by its path, as the other modules call it (which uses the `pub(crate) use` above
// also without the `python` feature).
crate::functions::elementary_functions!(table! {});

#[cfg(test)]
mod tests {
    use super::*;

    fn operations() -> Vec<Operation> {
        FUNCTIONS.iter().map(|f| f.operation).collect()
    }

    #[test]
    fn every_operation_but_the_operators_is_listed_once() {
        let operations = operations();
        for op in Unary::ALL {
            let count = operations
                .iter()
                .filter(|&&o| o == Operation::Unary(op))
                .count();
            let expected = usize::from(op != Unary::Neg); // -x is an operator
            assert_eq!(count, expected, "{op:?}");
        }
        for op in Binary::ALL {
            let count = operations
                .iter()
                .filter(|&&o| o == Operation::Binary(op))
                .count();
            let operator = matches!(op, Binary::Add | Binary::Sub | Binary::Mul | Binary::Div);
            assert_eq!(count, usize::from(!operator), "{op:?}");
        }
    }

    #[test]
    fn parameters_match_the_operation() {
        for f in FUNCTIONS {
            let arity = match f.operation {
                Operation::Unary(_) => 1,
                Operation::Binary(_) => 2,
            };
            assert_eq!(f.parameters.len(), arity, "{}", f.name);
        }
    }

    #[test]
    fn names_and_methods_are_unique() {
        let mut names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FUNCTIONS.len());
        let mut methods: Vec<&str> = FUNCTIONS.iter().flat_map(|f| f.methods).copied().collect();
        let count = methods.len();
        methods.sort_unstable();
        methods.dedup();
        assert_eq!(methods.len(), count);
    }

    #[test]
    fn every_entry_is_documented() {
        for f in FUNCTIONS {
            assert!(!f.methods.is_empty(), "{}", f.name);
            assert!(!f.domain.is_empty(), "{}", f.name);
            assert!(f.doc.ends_with('.') && !f.doc.contains('\n'), "{}", f.name);
        }
    }
}
