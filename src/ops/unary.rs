//! Operations of one argument: [`Unary`], with its value, derivative and second
//! derivative, the values taken from the C library as Python's `math` takes them.

use super::MathError;

/// Operations of one argument.
///
/// New variants go at the end, so that the existing ones keep their numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Unary {
    Neg,
    Sin,
    Cos,
    Exp,
    Ln,
    Sqrt,
    Abs,
    Tan,
    Asin,
    Acos,
    Atan,
    Sinh,
    Cosh,
    Tanh,
    Asinh,
    Acosh,
    Atanh,
    Exp2,
    Expm1,
    Log2,
    Log10,
    Log1p,
    Cbrt,
    Erf,
    Erfc,
    Floor,
    Ceil,
    Trunc,
}

/// The C library's functions where Rust's standard library has none, or computes
/// its own instead of calling the C library (as CPython's `math` module does).
mod libm {
    extern "C" {
        pub fn erf(x: f64) -> f64;
        pub fn erfc(x: f64) -> f64;
        pub fn asinh(x: f64) -> f64;
        pub fn acosh(x: f64) -> f64;
        pub fn atanh(x: f64) -> f64;
        // The toolchain's own builtins define a `cbrt` that takes precedence over the C
        // library's and differs from it in the last bit; glibc also exports its cbrt
        // under the name `cbrtf64`.
        #[cfg_attr(all(target_os = "linux", target_env = "gnu"), link_name = "cbrtf64")]
        pub fn cbrt(x: f64) -> f64;
    }
}

/// `f(x)` of the C library (the functions declared in [`libm`]).
#[inline(always)]
fn c_library(f: unsafe extern "C" fn(f64) -> f64, x: f64) -> f64 {
    // SAFETY: the libm functions take and return a double and have no other effect.
    unsafe { f(x) }
}

fn domain(message: &'static str) -> MathError {
    MathError::Domain(message)
}

fn overflow(message: &'static str) -> MathError {
    MathError::Overflow(message)
}

impl Unary {
    pub const ALL: [Unary; 28] = [
        Unary::Neg,
        Unary::Sin,
        Unary::Cos,
        Unary::Exp,
        Unary::Ln,
        Unary::Sqrt,
        Unary::Abs,
        Unary::Tan,
        Unary::Asin,
        Unary::Acos,
        Unary::Atan,
        Unary::Sinh,
        Unary::Cosh,
        Unary::Tanh,
        Unary::Asinh,
        Unary::Acosh,
        Unary::Atanh,
        Unary::Exp2,
        Unary::Expm1,
        Unary::Log2,
        Unary::Log10,
        Unary::Log1p,
        Unary::Cbrt,
        Unary::Erf,
        Unary::Erfc,
        Unary::Floor,
        Unary::Ceil,
        Unary::Trunc,
    ];

    /// The value `f(x)` and the derivative `f'(x)`.
    ///
    /// Where the value exists the derivative is the formula's IEEE result: `inf`
    /// at the ends of `asin`, `acos`, `acosh`, `sqrt` and `cbrt`'s domains, 0
    /// where it underflows, NaN for a NaN `x`.
    #[inline(always)]
    pub fn eval(self, x: f64) -> Result<(f64, f64), MathError> {
        Ok(match self {
            Unary::Neg => (-x, -1.0),
            Unary::Sin => {
                if x.is_infinite() {
                    return Err(domain("math domain error: sin of an infinite number"));
                }
                let (s, c) = x.sin_cos();
                (s, c)
            }
            Unary::Cos => {
                if x.is_infinite() {
                    return Err(domain("math domain error: cos of an infinite number"));
                }
                let (s, c) = x.sin_cos();
                (c, -s)
            }
            Unary::Tan => {
                if x.is_infinite() {
                    return Err(domain("math domain error: tan of an infinite number"));
                }
                let v = x.tan();
                (v, 1.0 + v * v)
            }
            Unary::Asin => {
                if x.abs() > 1.0 {
                    return Err(domain(
                        "math domain error: asin needs a number from -1 to 1",
                    ));
                }
                (x.asin(), 1.0 / ((1.0 - x) * (1.0 + x)).sqrt())
            }
            Unary::Acos => {
                if x.abs() > 1.0 {
                    return Err(domain(
                        "math domain error: acos needs a number from -1 to 1",
                    ));
                }
                (x.acos(), -1.0 / ((1.0 - x) * (1.0 + x)).sqrt())
            }
            Unary::Atan => {
                // Past 1e150, 1 + x² is x² to rounding, and x² would overflow.
                let d = if x.abs() > 1e150 {
                    (1.0 / x) * (1.0 / x)
                } else {
                    1.0 / (1.0 + x * x)
                };
                (x.atan(), d)
            }
            Unary::Sinh => {
                let v = x.sinh();
                if v.is_infinite() && x.is_finite() {
                    return Err(overflow("math range error: sinh overflows"));
                }
                (v, x.cosh())
            }
            Unary::Cosh => {
                let v = x.cosh();
                if v.is_infinite() && x.is_finite() {
                    return Err(overflow("math range error: cosh overflows"));
                }
                (v, x.sinh())
            }
            Unary::Tanh => {
                // 1/cosh² rather than 1 - tanh², which is 0 once tanh rounds to ±1.
                let sech = 1.0 / x.cosh();
                (x.tanh(), sech * sech)
            }
            Unary::Asinh => (c_library(libm::asinh, x), 1.0 / 1f64.hypot(x)),
            Unary::Acosh => {
                if x < 1.0 {
                    return Err(domain(
                        "math domain error: acosh needs a number of at least 1",
                    ));
                }
                let d = 1.0 / ((x - 1.0).sqrt() * (x + 1.0).sqrt());
                (c_library(libm::acosh, x), d)
            }
            Unary::Atanh => {
                if x.abs() >= 1.0 {
                    return Err(domain(
                        "math domain error: atanh needs a number strictly between -1 and 1",
                    ));
                }
                (c_library(libm::atanh, x), 1.0 / ((1.0 - x) * (1.0 + x)))
            }
            Unary::Exp => {
                let v = x.exp();
                if v.is_infinite() && x.is_finite() {
                    return Err(overflow("math range error: exp overflows"));
                }
                (v, v)
            }
            Unary::Exp2 => {
                let v = x.exp2();
                if v.is_infinite() && x.is_finite() {
                    return Err(overflow("math range error: exp2 overflows"));
                }
                (v, v * std::f64::consts::LN_2)
            }
            Unary::Expm1 => {
                let v = x.exp_m1();
                if v.is_infinite() && x.is_finite() {
                    return Err(overflow("math range error: expm1 overflows"));
                }
                // exp(x), not v + 1, which loses every digit as v nears -1.
                (v, x.exp())
            }
            Unary::Ln => {
                // -0.0 <= 0.0 as well, as math.log(-0.0) raises.
                if x <= 0.0 {
                    return Err(domain(
                        "math domain error: ln (natural logarithm) needs a positive number",
                    ));
                }
                (x.ln(), 1.0 / x)
            }
            Unary::Log2 => {
                if x <= 0.0 {
                    return Err(domain("math domain error: log2 needs a positive number"));
                }
                (x.log2(), 1.0 / (x * std::f64::consts::LN_2))
            }
            Unary::Log10 => {
                if x <= 0.0 {
                    return Err(domain("math domain error: log10 needs a positive number"));
                }
                (x.log10(), 1.0 / (x * std::f64::consts::LN_10))
            }
            Unary::Log1p => {
                if x <= -1.0 {
                    return Err(domain(
                        "math domain error: log1p needs a number greater than -1",
                    ));
                }
                (x.ln_1p(), 1.0 / (1.0 + x))
            }
            Unary::Sqrt => {
                if x < 0.0 {
                    return Err(domain(
                        "math domain error: sqrt needs a number that is not negative",
                    ));
                }
                let v = x.sqrt();
                // +inf at 0 (and at -0.0, whose root is -0.0), written out so no
                // floating-point exception flag is raised (numpy reports those as warnings
                // after its object loops).
                let d = if v == 0.0 { f64::INFINITY } else { 0.5 / v };
                (v, d)
            }
            Unary::Cbrt => {
                let v = c_library(libm::cbrt, x);
                // v * v is +0.0 at ±0, so the derivative there is +inf, as for sqrt.
                (v, 1.0 / (3.0 * (v * v)))
            }
            Unary::Abs => {
                // The derivative at 0 is taken as 0 (a subgradient), not NaN or +-1.
                let d = if x == 0.0 { 0.0 } else { x.signum() };
                (x.abs(), d)
            }
            Unary::Erf => {
                let d = std::f64::consts::FRAC_2_SQRT_PI * (-x * x).exp();
                (c_library(libm::erf, x), d)
            }
            Unary::Erfc => {
                let d = -std::f64::consts::FRAC_2_SQRT_PI * (-x * x).exp();
                (c_library(libm::erfc, x), d)
            }
            // Steps: the derivative is 0, at the jumps as well, and for infinities and NaN.
            Unary::Floor => (x.floor(), 0.0),
            Unary::Ceil => (x.ceil(), 0.0),
            Unary::Trunc => (x.trunc(), 0.0),
        })
    }

    /// The second derivative `f''(x)`, given `x` and the value and derivative that
    /// [`Unary::eval`] returned for it (call it only where `eval` succeeded).
    ///
    /// Each arm reuses the value or the first derivative where that is as accurate
    /// as a fresh formula, and cheaper. Where the first derivative is infinite at the
    /// end of a domain, so is this one: `-inf` for `sqrt` at ±0 and `acosh` at 1,
    /// `±inf` for `asin` and `acos` at ±1; `cbrt` gives `-inf` at `0.0` and `+inf`
    /// at `-0.0`, the limit from the side of the zero's sign. At ±inf it is the
    /// limit (0 for `atan`, `asinh`, `acosh`, `erf`, `erfc`, ...), and it is 0 where
    /// it underflows, NaN for a NaN `x`. The piecewise linear functions and the steps
    /// (`neg`, `abs`, `floor`, `ceil`, `trunc`) give 0 everywhere: at `abs`'s kink
    /// and at the jumps too (their first derivative is taken as 0 there), and at NaN.
    #[inline(always)]
    pub fn second(self, x: f64, value: f64, first: f64) -> f64 {
        match self {
            Unary::Neg => 0.0,
            Unary::Sin => -value,
            Unary::Cos => -value,
            // 2 tan x · sec² x.
            Unary::Tan => 2.0 * value * first,
            // x / (1 - x²)^(3/2).
            Unary::Asin => x * (first * first * first),
            // -x / (1 - x²)^(3/2), first being -1 / (1 - x²)^(1/2).
            Unary::Acos => x * (first * first * first),
            // -2x / (1 + x²)². As -2 (x·first)·first: first² underflows from |x| = 1e77
            // on, the result only from 1e103.
            Unary::Atan => {
                if x.is_infinite() {
                    0.0
                } else {
                    -2.0 * (x * first) * first
                }
            }
            Unary::Sinh => value,
            Unary::Cosh => value,
            // -2 tanh x · sech² x.
            Unary::Tanh => -2.0 * value * first,
            // -x / (1 + x²)^(3/2). As -(x·first)·first²: first³ underflows from
            // |x| = 1e103 on, the result only from 1e154.
            Unary::Asinh => {
                if x.is_infinite() {
                    0.0
                } else {
                    -(x * first) * (first * first)
                }
            }
            // -x / (x² - 1)^(3/2), the same way.
            Unary::Acosh => {
                if x.is_infinite() {
                    0.0
                } else {
                    -(x * first) * (first * first)
                }
            }
            // 2x / (1 - x²)².
            Unary::Atanh => 2.0 * x * (first * first),
            Unary::Exp => value,
            Unary::Exp2 => first * std::f64::consts::LN_2,
            // exp(x).
            Unary::Expm1 => first,
            // -1 / x².
            Unary::Ln => -(first * first),
            // -1 / (x² ln 2).
            Unary::Log2 => -first / x,
            // -1 / (x² ln 10).
            Unary::Log10 => -first / x,
            // -1 / (1 + x)².
            Unary::Log1p => -(first * first),
            // -1 / (4 x^(3/2)); -inf at -0.0 as well as at 0.0 (the formula gives +inf).
            Unary::Sqrt => {
                if x == 0.0 {
                    f64::NEG_INFINITY
                } else {
                    -first / (2.0 * x)
                }
            }
            // -2 / (9 x^(5/3)).
            Unary::Cbrt => -2.0 * first / (3.0 * x),
            Unary::Abs => 0.0,
            // -2x · erf'(x); the limit 0 at ±inf, where x · first would be inf · 0.
            Unary::Erf => {
                if x.is_infinite() {
                    0.0
                } else {
                    -2.0 * (x * first)
                }
            }
            // -2x · erfc'(x), the same way.
            Unary::Erfc => {
                if x.is_infinite() {
                    0.0
                } else {
                    -2.0 * (x * first)
                }
            }
            Unary::Floor => 0.0,
            Unary::Ceil => 0.0,
            Unary::Trunc => 0.0,
        }
    }
}
