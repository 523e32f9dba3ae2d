//! The one table of elementary operations.
//!
//! Every operation is defined here once: its value, its partial derivatives, and
//! its second partial derivatives. Forward mode ([`crate::trace`]) and reverse mode
//! ([`crate::tape`]) both read this table. To add a function of one argument: a
//! variant at the end of [`Unary`], its entry in [`Unary::ALL`], a `match` arm in
//! [`Unary::eval`] (its value from the C library, as Python's `math` takes it: see
//! the `libm` block), a `match` arm in [`Unary::second`] (its second derivative),
//! and tests here (its sampling interval in the tests' `unary_samples`); then one
//! line in the list of [`crate::functions`] (which makes its methods, `wengert.<name>`
//! and its name on the command line), and the stubs regenerated with
//! `scripts/generate_stubs.py`. A function of two arguments likewise: [`Binary`], [`Binary::ALL`],
//! arms in [`Binary::eval`] and [`Binary::second`], and the tests' `binary_sample`.
//!
//! Values follow Python's `float` and `math` module: where they raise (division
//! by zero, `math.log(0)`, `math.sqrt(-1)`, overflow of `exp` or `**`), the
//! operation returns a [`MathError`] of the kind Python would raise.

use std::fmt;

/// Why an operation has no real value, named after the Python exception it becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MathError {
    /// Python raises `ZeroDivisionError`.
    ZeroDivision(&'static str),
    /// Python raises `ValueError` (a math domain error).
    Domain(&'static str),
    /// Python raises `OverflowError`.
    Overflow(&'static str),
}

impl fmt::Display for MathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MathError::ZeroDivision(m) | MathError::Domain(m) | MathError::Overflow(m) => {
                f.write_str(m)
            }
        }
    }
}

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

/// Operations of two arguments.
///
/// New variants go at the end, so that the existing ones keep their numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    /// `atan2(y, x)`: the angle of the point `(x, y)`, the left operand being `y`.
    Atan2,
    Hypot,
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

impl Binary {
    pub const ALL: [Binary; 7] = [
        Binary::Add,
        Binary::Sub,
        Binary::Mul,
        Binary::Div,
        Binary::Pow,
        Binary::Atan2,
        Binary::Hypot,
    ];

    /// The value `f(x, y)` and the partials `∂f/∂x`, `∂f/∂y`.
    ///
    /// When one operand is a constant the caller ignores its partial; the
    /// compiler drops the work that computes it.
    #[inline(always)]
    pub fn eval(self, x: f64, y: f64) -> Result<(f64, f64, f64), MathError> {
        Ok(match self {
            Binary::Add => (x + y, 1.0, 1.0),
            Binary::Sub => (x - y, 1.0, -1.0),
            Binary::Mul => (x * y, y, x),
            Binary::Div => {
                if y == 0.0 {
                    return Err(MathError::ZeroDivision("float division by zero"));
                }
                let v = x / y;
                (v, 1.0 / y, -v / y)
            }
            Binary::Pow => return pow(x, y),
            Binary::Atan2 => atan2(x, y),
            Binary::Hypot => hypot(x, y),
        })
    }

    /// The second partials `[∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²]` at `(x, y)`, given the
    /// value and partials that [`Binary::eval`] returned there (call it only where
    /// `eval` succeeded).
    ///
    /// The edge cases follow the first partials' (see the functions `pow`, `atan2`,
    /// `hypot` and `pow_second`, `atan2_second`, `hypot_second` below): 0 where a
    /// function is taken as constant (`x ** 0`, `x ** 1`, `0 ** y` in `y`, `atan2`
    /// and `hypot` at the origin), the limit at infinity, NaN where a first partial
    /// is NaN.
    #[inline(always)]
    pub fn second(self, x: f64, y: f64, value: f64, dx: f64, dy: f64) -> [f64; 3] {
        match self {
            Binary::Add => [0.0, 0.0, 0.0],
            Binary::Sub => [0.0, 0.0, 0.0],
            Binary::Mul => [0.0, 1.0, 0.0],
            // [0, -1/y², 2x/y³]: -dx² and -2 dy/y, dx being 1/y and dy -x/y².
            Binary::Div => [0.0, -(dx * dx), -2.0 * (dy / y)],
            Binary::Pow => pow_second(x, y, dy),
            Binary::Atan2 => atan2_second(x, y, dx, dy),
            Binary::Hypot => hypot_second(x, y, value, dx, dy),
        }
    }
}

/// 2^600 and 2^-600: scale factors that bring a square of any finite float into range.
const UP: f64 = f64::from_bits((1023 + 600) << 52);
const DOWN: f64 = f64::from_bits((1023 - 600) << 52);

/// `atan2(y, x)` and its partials `x / (x² + y²)` and `-y / (x² + y²)`.
///
/// At the origin atan2 is constant along every ray, so its partials there are taken
/// as 0; at infinity they are 0, their limit. It never raises, as `math.atan2` does not.
#[inline(always)]
fn atan2(y: f64, x: f64) -> (f64, f64, f64) {
    let v = y.atan2(x);
    let squares = x * x + y * y;
    if squares.is_normal() {
        return (v, x / squares, -y / squares);
    }
    if x == 0.0 && y == 0.0 {
        return (v, 0.0, 0.0);
    }
    if x.is_finite() && y.is_finite() {
        // x² + y² overflowed or underflowed. The partials are homogeneous of degree -1:
        // compute them at (x, y)·s, for a power of two s that brings the squares into
        // range, and multiply by s (all exact but the final rounding).
        let s = if squares.is_infinite() { DOWN } else { UP };
        let (xs, ys) = (x * s, y * s);
        let squares = xs * xs + ys * ys;
        return (v, (xs / squares) * s, (-ys / squares) * s);
    }
    if v.is_nan() {
        return (v, f64::NAN, f64::NAN);
    }
    (v, 0.0, 0.0)
}

/// The second partials of `atan2(y, x)`, `[∂²/∂y², ∂²/∂y∂x, ∂²/∂x²]`, from its
/// partials `dy = x / r²` and `dx = -y / r²` (`r² = x² + y²`) that [`atan2`] returned:
/// `-2xy / r⁴ = 2·dy·dx`, `(y² - x²) / r⁴ = dx² - dy²` and `2xy / r⁴ = -2·dy·dx`.
///
/// Like the partials, they are 0 at the origin and at infinity. Computed from the
/// partials (which [`atan2`] keeps from overflowing or underflowing falsely), they
/// overflow or underflow only where the true value does; `dx² - dy²` is taken as
/// `(dx - dy)(dx + dy)`, which is exactly 0 for `|x| = |y|` even where the squares
/// overflow.
#[inline(always)]
fn atan2_second(y: f64, x: f64, dy: f64, dx: f64) -> [f64; 3] {
    let from_partials = |dy: f64, dx: f64| {
        let cross = 2.0 * (dy * dx);
        [cross, (dx - dy) * (dx + dy), -cross]
    };
    if dy.is_infinite() || dx.is_infinite() {
        // A partial overflowed: x and y are finite and within about 2^-1022 of the
        // origin. The second partials are homogeneous of degree -2: compute them at
        // (x, y)·s, where the partials are finite, and multiply by s² (as s·s; most
        // overflow, as they do; the zeros stay zeros rather than inf · 0 = NaN).
        let (_, dy, dx) = atan2(y * UP, x * UP);
        return from_partials(dy, dx).map(|h| h * UP * UP);
    }
    from_partials(dy, dx)
}

/// `hypot(x, y)` as `math.hypot` computes it, and its partials `x / r` and `y / r`.
///
/// At the origin the partials are taken as 0 (a subgradient, as for `abs` at 0).
/// Where `r` is infinite, an infinite operand's partial is its sign and a finite
/// one's is 0; with both infinite they are NaN (the limit depends on the path).
#[inline(always)]
fn hypot(x: f64, y: f64) -> (f64, f64, f64) {
    let r = python_hypot(x, y);
    let partial = |a: f64, b: f64| {
        if r.is_normal() {
            a / r
        } else if x == 0.0 && y == 0.0 {
            0.0
        } else if a.is_finite() && b.is_finite() {
            // r is subnormal (so coarsely rounded) or overflowed. The partials are
            // homogeneous of degree 0: compute them at (a, b)·s for a power of two s.
            let s = if r.is_infinite() { DOWN } else { UP };
            (a * s) / python_hypot(a * s, b * s)
        } else if a.is_infinite() && b.is_finite() {
            a.signum()
        } else if a.is_finite() && b.is_infinite() {
            0.0
        } else {
            f64::NAN
        }
    };
    (r, partial(x, y), partial(y, x))
}

/// The second partials of `r = hypot(x, y)`, `[y²/r³, -xy/r³, x²/r³]`, from `r` and
/// its partials `dx = x / r` and `dy = y / r` that [`hypot`] returned: `dy²/r`,
/// `-dx·dy/r` and `dx²/r`.
///
/// At the origin they are taken as 0, as the partials are. Where `r` is infinite
/// they are 0, their limit (the numerators are bounded), even where a partial is NaN.
#[inline(always)]
fn hypot_second(x: f64, y: f64, r: f64, dx: f64, dy: f64) -> [f64; 3] {
    if r == 0.0 || r.is_infinite() {
        return [0.0, 0.0, 0.0];
    }
    // (dy/r)·dy rather than dy²/r: dy² underflows for a tiny dy where the result
    // need not.
    let at = |r: f64, s: f64| [(dy / r) * dy * s, -(dx / r) * dy * s, (dx / r) * dx * s];
    if r.is_subnormal() {
        // r is coarsely rounded, and dy / r may overflow where the result does not.
        // The second partials are homogeneous of degree -1: compute them with the
        // length of (x, y)·s, and multiply by s.
        return at(python_hypot(x * UP, y * UP), UP);
    }
    at(r, 1.0)
}

/// The length of `(x, y)`, bit for bit as CPython's `math.hypot` computes it
/// (which is not the C library's `hypot`): the squares are summed exactly in
/// double-double arithmetic after scaling by a power of two, then the square root
/// gets one correction step. An infinite operand gives `inf` even beside a NaN.
fn python_hypot(x: f64, y: f64) -> f64 {
    let (x, y) = (x.abs(), y.abs());
    let max = x.max(y);
    if max.is_infinite() {
        return max;
    }
    if x.is_nan() || y.is_nan() {
        return f64::NAN;
    }
    if max == 0.0 {
        return 0.0;
    }
    let exponent = frexp_exponent(max);
    if exponent < -1023 {
        // 2^-exponent would overflow: scale the operands up by 2^1022 first (exactly).
        let (x, y) = (x / f64::MIN_POSITIVE, y / f64::MIN_POSITIVE);
        return f64::MIN_POSITIVE * python_hypot(x, y);
    }
    // max * scale is in [0.5, 1), exactly.
    let scale = power_of_two(-exponent);
    // Sum 1 + x² + y² exactly as csum plus the lower-order parts frac1 and frac2.
    let (mut csum, mut frac1, mut frac2) = (1.0_f64, 0.0_f64, 0.0_f64);
    for v in [x * scale, y * scale] {
        let (square, square_low) = exact_product(v, v);
        let (sum, sum_low) = fast_two_sum(csum, square);
        csum = sum;
        frac1 += square_low;
        frac2 += sum_low;
    }
    let mut h = (csum - 1.0 + (frac1 + frac2)).sqrt();
    // One Newton step on the residual (x² + y²) - h², computed the same way.
    let (square, square_low) = exact_product(-h, h);
    let (sum, sum_low) = fast_two_sum(csum, square);
    frac1 += square_low;
    frac2 += sum_low;
    let residual = sum - 1.0 + (frac1 + frac2);
    h += residual / (2.0 * h);
    h / scale
}

/// The exponent `e` of `x = m · 2^e` with `0.5 <= m < 1`, as C's `frexp` gives it,
/// for a positive finite `x`.
fn frexp_exponent(x: f64) -> i32 {
    let bits = x.to_bits();
    let biased = (bits >> 52) as i32;
    if biased == 0 {
        // Subnormal: x = mantissa · 2^-1074.
        64 - bits.leading_zeros() as i32 - 1074
    } else {
        biased - 1022
    }
}

/// `2^k` for `-1074 <= k <= 1023`, exactly.
fn power_of_two(k: i32) -> f64 {
    if k >= -1022 {
        f64::from_bits(((k + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (k + 1074))
    }
}

/// `a * b` as the rounded product and its exact rounding error.
#[inline(always)]
fn exact_product(a: f64, b: f64) -> (f64, f64) {
    let p = a * b;
    (p, a.mul_add(b, -p))
}

/// `a + b` (with `|a| >= |b|`) as the rounded sum and its exact rounding error.
#[inline(always)]
fn fast_two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    (s, b - (s - a))
}

/// `x ** y` with Python's float rules, and its partials.
#[inline(always)]
fn pow(x: f64, y: f64) -> Result<(f64, f64, f64), MathError> {
    if x == 0.0 && y < 0.0 && y.is_finite() {
        return Err(MathError::ZeroDivision(
            "0.0 cannot be raised to a negative power",
        ));
    }
    if x < 0.0 && x.is_finite() && y.is_finite() && y.fract() != 0.0 {
        return Err(MathError::Domain(
            "a negative number raised to a fractional power has no real value",
        ));
    }
    let v = x.powf(y);
    if v.is_infinite() && x.is_finite() && y.is_finite() {
        return Err(MathError::Overflow(
            "numerical result out of range: ** overflows",
        ));
    }
    // d/dx x^y = y x^(y-1); for y = 0 the function is constant (x^0 = 1), so 0,
    // where the formula would give 0 * inf at x = 0.
    let dx = if y == 0.0 {
        0.0
    } else if x < 0.0 && y.is_finite() {
        // y is an integer here. For |y| >= 2^53, y - 1 rounds back to y and would
        // take the wrong parity, so the sign of x^(y-1) comes from y's parity.
        let magnitude = (-x).powf(y - 1.0);
        let y_is_even = (y * 0.5).fract() == 0.0;
        y * if y_is_even { -magnitude } else { magnitude }
    } else {
        y * x.powf(y - 1.0)
    };
    // d/dy x^y = x^y ln x; at x = 0 (y > 0) the function is constant 0 in y.
    // For x < 0 the logarithm has no real value: NaN, written out so no floating-point
    // exception flag is raised (numpy warns of those after its object loops; x ** 2 on
    // an array of negative Traces would warn although the exponent is a constant).
    let dy = if x == 0.0 {
        0.0
    } else if x < 0.0 {
        f64::NAN
    } else {
        v * x.ln()
    };
    Ok((v, dx, dy))
}

/// The second partials of `x ** y`, `[y (y-1) x^(y-2), x^(y-1) (1 + y ln x), x^y ln² x]`,
/// given the partial `dy = x^y ln x` that [`pow`] returned.
///
/// As for the first partials: `∂²/∂x²` is 0 for `y = 0` and `y = 1` (the functions
/// 1 and `x`), also at `x = 0` where the formula gives `0 · inf`; for `x < 0` (`y`
/// is then an integer) its sign comes from `y`'s parity, also for `|y| >= 2^53`.
/// `∂²/∂x∂y` and `∂²/∂y²` are 0 at `x = 0`, where `x ** y` is taken as constant in
/// `y`, and NaN for `x < 0`, where the logarithm has no real value (written out, so
/// no floating-point exception flag is raised).
#[inline(always)]
fn pow_second(x: f64, y: f64, dy: f64) -> [f64; 3] {
    // y · ((y-1) · x^(y-2)): a huge y times an x^(y-2) that underflowed to 0 stays 0.
    let xx = if y == 0.0 || y == 1.0 {
        0.0
    } else if x < 0.0 && y.is_finite() {
        let magnitude = (-x).powf(y - 2.0);
        let y_is_even = (y * 0.5).fract() == 0.0;
        y * ((y - 1.0) * if y_is_even { magnitude } else { -magnitude })
    } else {
        y * ((y - 1.0) * x.powf(y - 2.0))
    };
    let (xy, yy) = if x == 0.0 {
        (0.0, 0.0)
    } else if x < 0.0 {
        (f64::NAN, f64::NAN)
    } else {
        let ln = x.ln();
        (x.powf(y - 1.0) * (1.0 + y * ln), dy * ln)
    };
    [xx, xy, yy]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-7 * (1.0 + a.abs().max(b.abs()))
    }

    /// Central finite difference of `f` at `x`.
    fn central(f: impl Fn(f64) -> f64, x: f64) -> f64 {
        let h = 1e-6 * (1.0 + x.abs());
        (f(x + h) - f(x - h)) / (2.0 * h)
    }

    #[test]
    fn all_lists_every_operation_in_order() {
        // The tape numbers operations by their place in ALL, so it must hold every
        // variant at the index of its discriminant.
        for (i, op) in Unary::ALL.into_iter().enumerate() {
            assert_eq!(op as usize, i);
        }
        for (i, op) in Binary::ALL.into_iter().enumerate() {
            assert_eq!(op as usize, i);
        }
        // Exhaustive matches: a new variant does not compile until it is listed here,
        // and then it must be in ALL for the lengths to agree.
        let listed = |op: Unary| match op {
            Unary::Neg | Unary::Sin | Unary::Cos | Unary::Exp | Unary::Ln | Unary::Sqrt => {}
            Unary::Abs | Unary::Tan | Unary::Asin | Unary::Acos | Unary::Atan => {}
            Unary::Sinh | Unary::Cosh | Unary::Tanh | Unary::Asinh | Unary::Acosh => {}
            Unary::Atanh | Unary::Exp2 | Unary::Expm1 | Unary::Log2 | Unary::Log10 => {}
            Unary::Log1p | Unary::Cbrt | Unary::Erf | Unary::Erfc | Unary::Floor => {}
            Unary::Ceil | Unary::Trunc => {}
        };
        Unary::ALL.into_iter().for_each(listed);
        assert_eq!(Unary::ALL.len(), 6 + 5 + 5 + 5 + 5 + 2);
        let listed = |op: Binary| match op {
            Binary::Add | Binary::Sub | Binary::Mul | Binary::Div | Binary::Pow => {}
            Binary::Atan2 | Binary::Hypot => {}
        };
        Binary::ALL.into_iter().for_each(listed);
        assert_eq!(Binary::ALL.len(), 5 + 2);
        assert_eq!(Unary::Trunc as usize, Unary::ALL.len() - 1);
        assert_eq!(Binary::Hypot as usize, Binary::ALL.len() - 1);
    }

    #[test]
    fn unary_derivatives_match_finite_differences() {
        for op in Unary::ALL {
            for x in [0.3, 0.7, 1.9, 2.5, -0.4, -3.1] {
                let Ok((v, d)) = op.eval(x) else {
                    // Only outside the domain: below 0, or outside [-1, 1], or below 1.
                    let outside = match op {
                        Unary::Ln | Unary::Sqrt | Unary::Log2 | Unary::Log10 => x < 0.0,
                        Unary::Log1p => x <= -1.0,
                        Unary::Asin | Unary::Acos | Unary::Atanh => x.abs() > 1.0,
                        Unary::Acosh => x < 1.0,
                        _ => false,
                    };
                    assert!(outside, "{op:?} at {x}");
                    assert!(matches!(op.eval(x), Err(MathError::Domain(_))));
                    continue;
                };
                let f = |t: f64| op.eval(t).unwrap().0;
                assert_eq!(v, f(x));
                assert!(close(d, central(f, x)), "{op:?} at {x}: {d}");
            }
        }
    }

    #[test]
    fn unary_exact_formulas() {
        let x = 0.8_f64;
        assert_eq!(Unary::Neg.eval(x).unwrap(), (-0.8, -1.0));
        assert_eq!(Unary::Sin.eval(x).unwrap(), (x.sin(), x.cos()));
        assert_eq!(Unary::Cos.eval(x).unwrap(), (x.cos(), -x.sin()));
        assert_eq!(Unary::Exp.eval(x).unwrap(), (x.exp(), x.exp()));
        assert_eq!(Unary::Ln.eval(x).unwrap(), (x.ln(), 1.0 / x));
        assert_eq!(Unary::Sqrt.eval(x).unwrap(), (x.sqrt(), 0.5 / x.sqrt()));
        assert_eq!(Unary::Abs.eval(-x).unwrap(), (x, -1.0));
    }

    #[test]
    fn new_unary_exact_formulas() {
        let x = 0.8_f64;
        let exact = |op: Unary| op.eval(x).unwrap();
        assert_eq!(exact(Unary::Tan), (x.tan(), 1.0 + x.tan() * x.tan()));
        assert_eq!(
            exact(Unary::Asin),
            (x.asin(), 1.0 / ((1.0 - x) * (1.0 + x)).sqrt())
        );
        assert_eq!(
            exact(Unary::Acos),
            (x.acos(), -1.0 / ((1.0 - x) * (1.0 + x)).sqrt())
        );
        assert_eq!(exact(Unary::Atan), (x.atan(), 1.0 / (1.0 + x * x)));
        assert_eq!(exact(Unary::Sinh), (x.sinh(), x.cosh()));
        assert_eq!(exact(Unary::Cosh), (x.cosh(), x.sinh()));
        assert_eq!(exact(Unary::Tanh).0, x.tanh());
        assert!(close(exact(Unary::Tanh).1, 1.0 - x.tanh() * x.tanh()));
        assert_eq!(exact(Unary::Asinh).1, 1.0 / (1.0 + x * x).sqrt());
        assert!(close(
            exact(Unary::Asinh).0,
            (x + (x * x + 1.0).sqrt()).ln()
        ));
        assert_eq!(exact(Unary::Atanh).1, 1.0 / ((1.0 - x) * (1.0 + x)));
        assert!(close(
            exact(Unary::Atanh).0,
            0.5 * ((1.0 + x) / (1.0 - x)).ln()
        ));
        assert_eq!(Unary::Acosh.eval(2.0).unwrap().1, 1.0 / 3f64.sqrt());
        assert!(close(
            Unary::Acosh.eval(2.0).unwrap().0,
            (2.0 + 3f64.sqrt()).ln()
        ));
        assert_eq!(
            exact(Unary::Exp2),
            (x.exp2(), x.exp2() * std::f64::consts::LN_2)
        );
        assert_eq!(exact(Unary::Expm1), (x.exp_m1(), x.exp()));
        assert_eq!(
            exact(Unary::Log2),
            (x.log2(), 1.0 / (x * std::f64::consts::LN_2))
        );
        assert_eq!(
            exact(Unary::Log10),
            (x.log10(), 1.0 / (x * std::f64::consts::LN_10))
        );
        assert_eq!(exact(Unary::Log1p), (x.ln_1p(), 1.0 / 1.8));
        assert_eq!(Unary::Cbrt.eval(8.0).unwrap(), (2.0, 1.0 / 12.0));
        assert_eq!(Unary::Cbrt.eval(-0.001).unwrap().0, -0.1);
        let gauss = std::f64::consts::FRAC_2_SQRT_PI * (-x * x).exp();
        assert_eq!(exact(Unary::Erf).1, gauss);
        assert_eq!(exact(Unary::Erfc).1, -gauss);
        assert_eq!(Unary::Erf.eval(0.5).unwrap().0, 0.5204998778130465);
        assert_eq!(Unary::Erfc.eval(0.5).unwrap().0, 0.4795001221869535);
        assert_eq!(Unary::Floor.eval(-2.5).unwrap(), (-3.0, 0.0));
        assert_eq!(Unary::Ceil.eval(-2.5).unwrap(), (-2.0, 0.0));
        assert_eq!(Unary::Trunc.eval(-2.5).unwrap(), (-2.0, 0.0));
    }

    #[test]
    fn binary_partials_match_finite_differences() {
        for op in Binary::ALL {
            for (x, y) in [
                (0.3, 1.7),
                (2.5, -0.4),
                (1.2, 3.0),
                (-2.0, 3.0),
                (-1.5, -2.0),
            ] {
                let (v, dx, dy) = op.eval(x, y).unwrap();
                assert_eq!(v, op.eval(x, y).unwrap().0);
                assert!(
                    close(dx, central(|t| op.eval(t, y).unwrap().0, x)),
                    "{op:?} d/dx"
                );
                if !(op == Binary::Pow && x < 0.0) {
                    assert!(
                        close(dy, central(|t| op.eval(x, t).unwrap().0, y)),
                        "{op:?} d/dy"
                    );
                }
            }
        }
    }

    #[test]
    fn atan2_and_hypot() {
        let (y, x) = (0.6_f64, -0.8_f64);
        // x² + y² = 1 up to rounding.
        let (v, dy, dx) = Binary::Atan2.eval(y, x).unwrap();
        assert_eq!(v, y.atan2(x));
        assert!(close(dy, x / (x * x + y * y)) && close(dx, -y / (x * x + y * y)));
        assert_eq!(Binary::Hypot.eval(3.0, 4.0).unwrap(), (5.0, 0.6, 0.8));
        assert_eq!(Binary::Hypot.eval(-3.0, 4.0).unwrap(), (5.0, -0.6, 0.8));
        // The origin: 0 partials for both (decided, see the functions' notes).
        assert_eq!(Binary::Hypot.eval(0.0, -0.0).unwrap(), (0.0, 0.0, 0.0));
        assert_eq!(Binary::Atan2.eval(0.0, -0.0).unwrap().1, 0.0);
        assert_eq!(Binary::Atan2.eval(-0.0, 0.0).unwrap(), (-0.0, 0.0, 0.0));
        // Neither overflows nor underflows where the answer is representable.
        let (r, dx, dy) = Binary::Hypot.eval(3e300, 4e300).unwrap();
        assert_eq!((r, dx, dy), (5e300, 0.6, 0.8));
        assert_eq!(Binary::Hypot.eval(3e-320, 4e-320).unwrap().0, 5e-320);
        let (_, dy, dx) = Binary::Atan2.eval(1e-200, 1e-200).unwrap();
        assert!(close(dy, 0.5e200) && close(dx, -0.5e200));
        // Subnormal results are coarsely rounded; the partials are not.
        let tiny = 5e-324;
        let (r, dx, dy) = Binary::Hypot.eval(tiny, tiny).unwrap();
        assert_eq!(r, tiny);
        assert!(close(dx, std::f64::consts::FRAC_1_SQRT_2) && close(dy, dx));
        let (_, dy, dx) = Binary::Atan2.eval(3e-300, 4e-300).unwrap();
        assert!(close(dy, 1.6e299) && close(dx, -1.2e299));
        let (_, dy, dx) = Binary::Atan2.eval(3e300, 4e300).unwrap();
        assert!(close(dy, 1.6e-301) && close(dx, -1.2e-301));
        let (_, dy, dx) = Binary::Atan2.eval(3e-310, 4e-310).unwrap();
        assert_eq!((dy, dx), (f64::INFINITY, f64::NEG_INFINITY));
        // Past the largest float the value is inf (math.hypot raises nothing there).
        let big = f64::MAX;
        let (r, dx, dy) = Binary::Hypot.eval(big, big).unwrap();
        assert_eq!(r, f64::INFINITY);
        assert!(close(dx, std::f64::consts::FRAC_1_SQRT_2) && close(dy, dx));
        let inf = f64::INFINITY;
        assert_eq!(Binary::Hypot.eval(-inf, 2.0).unwrap(), (inf, -1.0, 0.0));
        assert_eq!(Binary::Hypot.eval(inf, f64::NAN).unwrap().0, inf);
        assert!(Binary::Hypot.eval(inf, inf).unwrap().1.is_nan());
        assert_eq!(Binary::Atan2.eval(inf, 2.0).unwrap().1, 0.0);
        assert_eq!(Binary::Atan2.eval(2.0, -inf).unwrap().2, 0.0);
        assert!(Binary::Atan2.eval(f64::NAN, 1.0).unwrap().1.is_nan());
    }

    #[test]
    fn new_edges() {
        let inf = f64::INFINITY;
        // Infinite derivatives at the ends of the domains, where the value exists.
        assert_eq!(Unary::Asin.eval(1.0).unwrap().1, inf);
        assert_eq!(Unary::Asin.eval(-1.0).unwrap().1, inf);
        assert_eq!(Unary::Acos.eval(1.0).unwrap().1, -inf);
        assert_eq!(Unary::Acosh.eval(1.0).unwrap(), (0.0, inf));
        assert_eq!(Unary::Cbrt.eval(0.0).unwrap(), (0.0, inf));
        assert_eq!(Unary::Cbrt.eval(-0.0).unwrap().1, inf);
        // Limits at infinity, and far out where a naive formula would give 0 or NaN.
        assert_eq!(
            Unary::Atan.eval(inf).unwrap(),
            (std::f64::consts::FRAC_PI_2, 0.0)
        );
        assert_eq!(Unary::Atan.eval(1e160).unwrap().1, 1e-320);
        assert_eq!(Unary::Tanh.eval(-inf).unwrap(), (-1.0, 0.0));
        assert!(Unary::Tanh.eval(20.0).unwrap().1 > 0.0);
        assert_eq!(Unary::Asinh.eval(1e300).unwrap().1, 1e-300);
        assert_eq!(Unary::Acosh.eval(1e300).unwrap().1, 1e-300);
        assert!(Unary::Expm1.eval(-40.0).unwrap().1 > 0.0);
        assert_eq!(Unary::Erf.eval(inf).unwrap(), (1.0, 0.0));
        assert_eq!(Unary::Erfc.eval(-inf).unwrap(), (2.0, -0.0));
        assert_eq!(Unary::Exp2.eval(-inf).unwrap(), (0.0, 0.0));
        assert_eq!(Unary::Log2.eval(inf).unwrap(), (inf, 0.0));
        assert_eq!(Unary::Floor.eval(-inf).unwrap(), (-inf, 0.0));
        assert_eq!(
            Unary::Ceil.eval(-0.5).unwrap().0.to_bits(),
            (-0.0f64).to_bits()
        );
        // A NaN gives a NaN value and (except for the steps) a NaN derivative.
        for op in Unary::ALL {
            let (v, d) = op.eval(f64::NAN).unwrap();
            assert!(v.is_nan(), "{op:?}");
            let steps = matches!(op, Unary::Floor | Unary::Ceil | Unary::Trunc | Unary::Neg);
            assert_eq!(d.is_nan(), !steps, "{op:?}");
        }
    }

    #[test]
    fn new_python_errors() {
        let inf = f64::INFINITY;
        let domain = |op: Unary, x: f64| matches!(op.eval(x), Err(MathError::Domain(_)));
        let overflow = |op: Unary, x: f64| matches!(op.eval(x), Err(MathError::Overflow(_)));
        assert!(domain(Unary::Tan, inf) && domain(Unary::Tan, -inf));
        assert!(domain(Unary::Asin, 1.0000000000000002) && domain(Unary::Acos, -inf));
        assert!(domain(Unary::Acosh, 0.9999999999999999) && domain(Unary::Acosh, -0.0));
        assert!(domain(Unary::Atanh, 1.0) && domain(Unary::Atanh, -1.0));
        assert!(domain(Unary::Log2, 0.0) && domain(Unary::Log10, -inf));
        assert!(domain(Unary::Log1p, -1.0) && domain(Unary::Log1p, -inf));
        assert!(overflow(Unary::Sinh, 711.0) && overflow(Unary::Sinh, -711.0));
        assert!(overflow(Unary::Cosh, -711.0) && overflow(Unary::Exp2, 1024.0));
        assert!(overflow(Unary::Expm1, 710.0));
        assert_eq!(Unary::Sinh.eval(-inf).unwrap().0, -inf);
        assert_eq!(Unary::Cosh.eval(-inf).unwrap().0, inf);
        assert_eq!(Unary::Exp2.eval(1023.0).unwrap().0, 2f64.powi(1023));
        assert_eq!(Unary::Expm1.eval(-inf).unwrap().0, -1.0);
    }

    #[test]
    fn edges() {
        assert_eq!(Unary::Abs.eval(0.0).unwrap(), (0.0, 0.0));
        assert_eq!(Unary::Sqrt.eval(0.0).unwrap().1, f64::INFINITY);
        assert_eq!(Unary::Sqrt.eval(-0.0).unwrap().1, f64::INFINITY);
        // x ** 0 is the constant 1, even at 0.
        assert_eq!(Binary::Pow.eval(0.0, 0.0).unwrap(), (1.0, 0.0, 0.0));
        // 0 ** y for y > 0 is the constant 0 in y.
        assert_eq!(Binary::Pow.eval(0.0, 2.0).unwrap(), (0.0, 0.0, 0.0));
        // A negative base with an integral exponent is exact: d/dx x^3 = 3 x^2.
        assert_eq!(Binary::Pow.eval(-2.0, 3.0).unwrap().0, -8.0);
        assert_eq!(Binary::Pow.eval(-2.0, 3.0).unwrap().1, 12.0);
        assert_eq!(Binary::Pow.eval(-2.0, 2.0).unwrap().1, -4.0);
        // Past 2^53, y - 1 == y; the sign still follows y's parity: d/dx x^y = y x^(y-1) < 0.
        let y = 2f64.powi(54);
        let (v, dx, _) = Binary::Pow.eval(-1.0, y).unwrap();
        assert_eq!((v, dx), (1.0, -y));
    }

    #[test]
    fn python_errors() {
        assert!(matches!(
            Binary::Div.eval(1.0, 0.0),
            Err(MathError::ZeroDivision(_))
        ));
        assert!(matches!(
            Binary::Div.eval(0.0, -0.0),
            Err(MathError::ZeroDivision(_))
        ));
        assert!(matches!(
            Binary::Pow.eval(0.0, -1.0),
            Err(MathError::ZeroDivision(_))
        ));
        assert!(matches!(
            Binary::Pow.eval(-8.0, 1.0 / 3.0),
            Err(MathError::Domain(_))
        ));
        assert!(matches!(
            Binary::Pow.eval(10.0, 400.0),
            Err(MathError::Overflow(_))
        ));
        assert!(matches!(Unary::Ln.eval(0.0), Err(MathError::Domain(_))));
        assert!(matches!(Unary::Ln.eval(-0.0), Err(MathError::Domain(_))));
        assert!(matches!(Unary::Sqrt.eval(-1.0), Err(MathError::Domain(_))));
        assert!(matches!(
            Unary::Sin.eval(f64::INFINITY),
            Err(MathError::Domain(_))
        ));
        assert!(matches!(
            Unary::Exp.eval(1000.0),
            Err(MathError::Overflow(_))
        ));
        // Infinite inputs that Python accepts.
        assert_eq!(Unary::Exp.eval(f64::INFINITY).unwrap().0, f64::INFINITY);
        assert_eq!(Unary::Exp.eval(f64::NEG_INFINITY).unwrap().0, 0.0);
        assert_eq!(
            Binary::Pow.eval(f64::INFINITY, 2.0).unwrap().0,
            f64::INFINITY
        );
        assert!(Unary::Ln.eval(f64::NAN).unwrap().0.is_nan());
    }

    /// `a` and `b` agree to about six digits (or absolutely, near 0).
    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-6 * (1.0 + a.abs().max(b.abs()))
    }

    /// `a` and `b` agree to `1e-12` relatively, however small or large they are.
    fn relatively_equal(a: f64, b: f64) -> bool {
        a.is_finite() && b.is_finite() && (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
    }

    /// Deterministic pseudo-random sample points (xorshift64*).
    struct Points(u64);

    impl Points {
        /// Uniform in `[lo, hi)`.
        fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
            lo + (hi - lo) * (bits as f64 / (1u64 << 53) as f64)
        }

        /// Uniform in `[lo, hi)` or in `(-hi, -lo]`, each half of the time.
        fn either_sign(&mut self, lo: f64, hi: f64) -> f64 {
            let v = self.uniform(lo, hi);
            if self.uniform(0.0, 1.0) < 0.5 {
                -v
            } else {
                v
            }
        }
    }

    /// Where finite differences of `op` are sampled: `(lo, hi, both_signs)`, an interval
    /// inside the domain, away from kinks and from the ends where the derivatives blow up,
    /// taken also negated when `both_signs`. Exhaustive, so a new operation does not
    /// compile until it has an interval (and, being in ALL, is then tested).
    fn unary_samples(op: Unary) -> (f64, f64, bool) {
        match op {
            Unary::Neg | Unary::Sin | Unary::Cos | Unary::Exp | Unary::Atan => (-4.0, 4.0, false),
            Unary::Sinh | Unary::Cosh | Unary::Tanh | Unary::Asinh => (-4.0, 4.0, false),
            Unary::Exp2 | Unary::Expm1 | Unary::Erf | Unary::Erfc => (-3.0, 3.0, false),
            Unary::Floor | Unary::Ceil | Unary::Trunc => (-4.0, 4.0, false),
            Unary::Tan => (-1.4, 1.4, false),
            Unary::Asin | Unary::Acos | Unary::Atanh => (-0.95, 0.95, false),
            Unary::Acosh => (1.05, 6.0, false),
            Unary::Ln | Unary::Sqrt | Unary::Log2 | Unary::Log10 => (0.05, 8.0, false),
            Unary::Log1p => (-0.95, 8.0, false),
            // Kinked or singular at 0.
            Unary::Abs | Unary::Cbrt => (0.05, 6.0, true),
        }
    }

    /// A sample point for finite differences of `op`, away from the origin where that
    /// is singular. Exhaustive, as [`unary_samples`]. Negative bases of `pow` are
    /// tested separately.
    fn binary_sample(op: Binary, points: &mut Points) -> (f64, f64) {
        match op {
            Binary::Add | Binary::Sub | Binary::Mul => {
                (points.uniform(-4.0, 4.0), points.uniform(-4.0, 4.0))
            }
            Binary::Div => (points.uniform(-4.0, 4.0), points.either_sign(0.2, 4.0)),
            Binary::Pow => (points.uniform(0.2, 4.0), points.uniform(-3.0, 3.0)),
            Binary::Atan2 | Binary::Hypot => {
                (points.either_sign(0.2, 3.0), points.uniform(-3.0, 3.0))
            }
        }
    }

    /// `op.second` at `x`, where `eval` must succeed.
    fn unary_second(op: Unary, x: f64) -> f64 {
        let (v, d) = op.eval(x).unwrap();
        op.second(x, v, d)
    }

    /// `op.second` at `(x, y)`, where `eval` must succeed.
    fn binary_second(op: Binary, x: f64, y: f64) -> [f64; 3] {
        let (v, dx, dy) = op.eval(x, y).unwrap();
        op.second(x, y, v, dx, dy)
    }

    #[test]
    fn unary_second_derivatives_match_finite_differences() {
        let mut points = Points(0x9E37_79B9_7F4A_7C15);
        for op in Unary::ALL {
            let (lo, hi, both_signs) = unary_samples(op);
            let mut xs: Vec<f64> = (0..200)
                .map(|_| {
                    if both_signs {
                        points.either_sign(lo, hi)
                    } else {
                        points.uniform(lo, hi)
                    }
                })
                .collect();
            // The first-derivative test's grid, where it is inside the sampled interval.
            xs.extend(
                [0.3, 0.7, 1.9, 2.5, -0.4, -3.1]
                    .into_iter()
                    .filter(|x| (lo..hi).contains(x) || both_signs && (lo..hi).contains(&-x)),
            );
            assert!(xs.len() > 200, "{op:?}: no grid point inside {lo}..{hi}");
            for x in xs {
                let second = unary_second(op, x);
                let first = |t: f64| op.eval(t).unwrap().1;
                let expected = central(first, x);
                assert!(
                    near(second, expected),
                    "{op:?} at {x}: {second} vs {expected}"
                );
            }
        }
    }

    #[test]
    fn binary_second_partials_match_finite_differences() {
        let mut points = Points(0x2545_F491_4F6C_DD1D);
        for op in Binary::ALL {
            let grid = [
                (0.3, 1.7),
                (2.5, -0.4),
                (1.2, 3.0),
                (2.0, -3.0),
                (-1.5, 2.0),
            ];
            // Negative bases of pow have no partials in y: tested below.
            let grid = grid
                .into_iter()
                .filter(|&(x, _)| op != Binary::Pow || x > 0.0);
            let random = (0..200).map(|_| binary_sample(op, &mut points));
            for (x, y) in grid.chain(random) {
                let [xx, xy, yy] = binary_second(op, x, y);
                let dx = |x: f64, y: f64| op.eval(x, y).unwrap().1;
                let dy = |x: f64, y: f64| op.eval(x, y).unwrap().2;
                let at = format!("{op:?} at ({x}, {y})");
                let dx_dx = central(|t| dx(t, y), x);
                let dx_dy = central(|t| dx(x, t), y);
                let dy_dx = central(|t| dy(t, y), x);
                let dy_dy = central(|t| dy(x, t), y);
                assert!(near(xx, dx_dx), "{at}: xx {xx} vs {dx_dx}");
                assert!(near(xy, dx_dy), "{at}: xy {xy} vs d/dy dx {dx_dy}");
                assert!(near(xy, dy_dx), "{at}: xy {xy} vs d/dx dy {dy_dx}");
                assert!(near(yy, dy_dy), "{at}: yy {yy} vs {dy_dy}");
            }
        }
    }

    #[test]
    fn pow_second_partials_for_negative_bases() {
        // x < 0 needs an integral y; only ∂²/∂x² is real.
        let mut points = Points(0xD1B5_4A32_D192_ED03);
        let mut checked = 0;
        for y in -3..=4 {
            let y = f64::from(y);
            for _ in 0..25 {
                let x = points.uniform(-4.0, -0.2);
                let [xx, xy, yy] = binary_second(Binary::Pow, x, y);
                let expected = central(|t| Binary::Pow.eval(t, y).unwrap().1, x);
                assert!(near(xx, expected), "({x}, {y}): {xx} vs {expected}");
                assert!(near(xx, y * (y - 1.0) * x.powf(y - 2.0)), "({x}, {y})");
                assert!(xy.is_nan() && yy.is_nan());
                checked += 1;
            }
        }
        assert_eq!(checked, 8 * 25);
        // Past 2^53, y - 2 rounds to y; the sign still follows y's parity: x^(y-2) > 0
        // for an even y, and y (y-1) > 0.
        let y = 2f64.powi(54);
        assert_eq!(binary_second(Binary::Pow, -1.0, y)[0], y * y);
        assert_eq!(
            binary_second(Binary::Pow, -1.0, y + 4.0)[0],
            (y + 4.0) * (y + 4.0)
        );
        let odd = 2f64.powi(52) + 1.0;
        assert_eq!(binary_second(Binary::Pow, -1.0, odd)[0], -odd * (odd - 1.0));
        assert_eq!(binary_second(Binary::Pow, -2.0, 3.0)[0], -12.0);
        assert_eq!(binary_second(Binary::Pow, -2.0, -1.0)[0], -0.25);
    }

    #[test]
    fn second_derivative_exact_formulas() {
        let x = 0.8_f64;
        assert_eq!(unary_second(Unary::Sin, x), -x.sin());
        assert_eq!(unary_second(Unary::Cos, x), -x.cos());
        assert_eq!(unary_second(Unary::Exp, x), x.exp());
        assert_eq!(unary_second(Unary::Sinh, x), x.sinh());
        assert_eq!(unary_second(Unary::Cosh, x), x.cosh());
        assert_eq!(unary_second(Unary::Expm1, x), x.exp());
        assert!(close(unary_second(Unary::Ln, x), -1.0 / (x * x)));
        assert_eq!(unary_second(Unary::Ln, 4.0), -0.0625);
        assert_eq!(unary_second(Unary::Log1p, 3.0), -0.0625);
        assert_eq!(unary_second(Unary::Sqrt, 4.0), -1.0 / 32.0);
        assert_eq!(unary_second(Unary::Cbrt, 8.0), -2.0 / 288.0);
        assert!(close(unary_second(Unary::Cbrt, -8.0), 2.0 / 288.0));
        assert!(close(
            unary_second(Unary::Tan, x),
            2.0 * x.tan() / (x.cos() * x.cos())
        ));
        assert!(close(unary_second(Unary::Asin, 0.6), 0.6 / 0.512));
        assert!(close(unary_second(Unary::Acos, 0.6), -0.6 / 0.512));
        assert!(close(unary_second(Unary::Atan, 2.0), -4.0 / 25.0));
        assert!(close(
            unary_second(Unary::Tanh, x),
            -2.0 * x.tanh() / (x.cosh() * x.cosh())
        ));
        assert!(close(
            unary_second(Unary::Asinh, 2.0),
            -2.0 / 5f64.powf(1.5)
        ));
        assert!(close(
            unary_second(Unary::Acosh, 2.0),
            -2.0 / 3f64.powf(1.5)
        ));
        assert!(close(unary_second(Unary::Atanh, 0.5), 1.0 / 0.5625));
        let ln2 = std::f64::consts::LN_2;
        assert!(close(unary_second(Unary::Exp2, 3.0), 8.0 * ln2 * ln2));
        assert!(close(unary_second(Unary::Log2, 2.0), -1.0 / (4.0 * ln2)));
        let ln10 = std::f64::consts::LN_10;
        assert!(close(unary_second(Unary::Log10, 2.0), -1.0 / (4.0 * ln10)));
        let gauss = std::f64::consts::FRAC_2_SQRT_PI * (-x * x).exp();
        assert!(close(unary_second(Unary::Erf, x), -2.0 * x * gauss));
        assert!(close(unary_second(Unary::Erfc, x), 2.0 * x * gauss));
        for op in [
            Unary::Neg,
            Unary::Abs,
            Unary::Floor,
            Unary::Ceil,
            Unary::Trunc,
        ] {
            assert_eq!(unary_second(op, -2.5), 0.0, "{op:?}");
        }

        assert_eq!(binary_second(Binary::Add, 2.0, 3.0), [0.0, 0.0, 0.0]);
        assert_eq!(binary_second(Binary::Sub, 2.0, 3.0), [0.0, 0.0, 0.0]);
        assert_eq!(binary_second(Binary::Mul, 2.0, 3.0), [0.0, 1.0, 0.0]);
        // x / y at (3, 2): [0, -1/y², 2x/y³].
        assert_eq!(binary_second(Binary::Div, 3.0, 2.0), [0.0, -0.25, 0.75]);
        assert_eq!(binary_second(Binary::Div, 3.0, -2.0), [0.0, -0.25, -0.75]);
        // x^3 at 2: [6x, x²(1 + 3 ln x), x³ ln² x].
        let [xx, xy, yy] = binary_second(Binary::Pow, 2.0, 3.0);
        assert_eq!(xx, 12.0);
        assert!(close(xy, 4.0 * (1.0 + 3.0 * ln2)) && close(yy, 8.0 * ln2 * ln2));
        // x^0.5 at 4: ∂²/∂x² = -1/4 · 4^-1.5 = -1/32.
        assert_eq!(binary_second(Binary::Pow, 4.0, 0.5)[0], -1.0 / 32.0);
        // x^0 at 3: [0, 1/x, ln² x]; x^y at x = 1: ∂²/∂x∂y = 1, ∂²/∂y² = 0.
        let [xx, xy, yy] = binary_second(Binary::Pow, 3.0, 0.0);
        assert_eq!(xx, 0.0);
        assert!(close(xy, 1.0 / 3.0) && close(yy, 3f64.ln() * 3f64.ln()));
        assert_eq!(binary_second(Binary::Pow, 1.0, 2.5), [2.5 * 1.5, 1.0, 0.0]);
        // atan2(3, 4), r² = 25: [-2·3·4, 3² - 4², 2·3·4] / 625 (the left operand first).
        let [yy, yx, xx] = binary_second(Binary::Atan2, 3.0, 4.0);
        assert!(close(yy, -24.0 / 625.0) && close(yx, -7.0 / 625.0) && close(xx, 24.0 / 625.0));
        let [yy, yx, xx] = binary_second(Binary::Atan2, -3.0, 4.0);
        assert!(close(yy, 24.0 / 625.0) && close(yx, -7.0 / 625.0) && close(xx, -24.0 / 625.0));
        // hypot(3, 4) = 5: [4², -3·4, 3²] / 125.
        let second = binary_second(Binary::Hypot, 3.0, 4.0);
        assert_eq!(second, [0.128, -0.096, 0.072]);
        assert_eq!(
            binary_second(Binary::Hypot, -3.0, 4.0),
            [0.128, 0.096, 0.072]
        );
    }

    #[test]
    fn second_derivative_edges() {
        let inf = f64::INFINITY;
        // The piecewise linear functions: 0 at the kink and at NaN too.
        assert_eq!(unary_second(Unary::Abs, 0.0), 0.0);
        assert_eq!(unary_second(Unary::Abs, -0.0), 0.0);
        assert_eq!(unary_second(Unary::Abs, f64::NAN), 0.0);
        assert_eq!(unary_second(Unary::Floor, 2.0), 0.0);
        // Infinite at the ends of the domains where the first derivative is.
        assert_eq!(unary_second(Unary::Sqrt, 0.0), -inf);
        assert_eq!(unary_second(Unary::Sqrt, -0.0), -inf);
        assert_eq!(unary_second(Unary::Cbrt, 0.0), -inf);
        assert_eq!(unary_second(Unary::Cbrt, -0.0), inf);
        assert_eq!(unary_second(Unary::Asin, 1.0), inf);
        assert_eq!(unary_second(Unary::Asin, -1.0), -inf);
        assert_eq!(unary_second(Unary::Acos, 1.0), -inf);
        assert_eq!(unary_second(Unary::Acos, -1.0), inf);
        assert_eq!(unary_second(Unary::Acosh, 1.0), -inf);
        // Far out, where x · first³ or first² alone would underflow.
        assert!(relatively_equal(unary_second(Unary::Atan, 1e100), -2e-300));
        assert!(relatively_equal(unary_second(Unary::Atan, -1e100), 2e-300));
        assert!(relatively_equal(unary_second(Unary::Asinh, 1e120), -1e-240));
        assert!(relatively_equal(unary_second(Unary::Acosh, 1e120), -1e-240));
        assert!(relatively_equal(unary_second(Unary::Ln, 1e150), -1e-300));
        // At ±inf, where the value exists: the limit, never NaN.
        for x in [inf, -inf] {
            for op in Unary::ALL {
                if let Ok((v, d)) = op.eval(x) {
                    let second = op.second(x, v, d);
                    let expected = match op {
                        Unary::Exp | Unary::Exp2 | Unary::Expm1 => x.exp(),
                        Unary::Cosh => inf,
                        Unary::Sinh => x,
                        _ => 0.0,
                    };
                    assert_eq!(second, expected, "{op:?} at {x}");
                }
            }
        }
        assert_eq!(unary_second(Unary::Erf, f64::MAX), 0.0);
        // NaN in, NaN out, but for the piecewise linear functions.
        for op in Unary::ALL {
            let second = unary_second(op, f64::NAN);
            let linear = matches!(
                op,
                Unary::Neg | Unary::Abs | Unary::Floor | Unary::Ceil | Unary::Trunc
            );
            assert_eq!(second.is_nan(), !linear, "{op:?}");
        }

        // x ** y at x = 0: y (y-1) x^(y-2) is 2 for y = 2, 0 for y = 3; 0 in y.
        assert_eq!(binary_second(Binary::Pow, 0.0, 2.0), [2.0, 0.0, 0.0]);
        assert_eq!(binary_second(Binary::Pow, 0.0, 3.0), [0.0, 0.0, 0.0]);
        assert_eq!(binary_second(Binary::Pow, -0.0, 2.0), [2.0, 0.0, 0.0]);
        assert_eq!(binary_second(Binary::Pow, 0.0, 1.5)[0], inf);
        assert_eq!(binary_second(Binary::Pow, 0.0, 0.5)[0], -inf);
        // x^0 and x^1 are 1 and x: ∂²/∂x² = 0 everywhere, 0 included.
        for x in [0.0, -0.0, 2.0, -2.0, 1e-300, inf] {
            assert_eq!(binary_second(Binary::Pow, x, 0.0)[0], 0.0, "{x} ** 0");
            assert_eq!(binary_second(Binary::Pow, x, 1.0)[0], 0.0, "{x} ** 1");
        }
        assert_eq!(binary_second(Binary::Pow, 0.0, 0.0), [0.0, 0.0, 0.0]);
        // A huge exponent on a base below 1: 0, not inf · 0.
        assert_eq!(binary_second(Binary::Pow, 0.5, 1e200)[0], 0.0);
        assert_eq!(
            binary_second(Binary::Pow, 2.0, 2.0),
            [
                2.0,
                2.0 * (1.0 + 2.0 * 2f64.ln()),
                4.0 * 2f64.ln() * 2f64.ln()
            ]
        );

        // x / y with a y of either sign and a zero x.
        assert_eq!(binary_second(Binary::Div, 0.0, -4.0), [0.0, -0.0625, 0.0]);

        // The origin: 0, as the first partials.
        for (x, y) in [(0.0, 0.0), (-0.0, 0.0), (0.0, -0.0), (-0.0, -0.0)] {
            assert_eq!(binary_second(Binary::Atan2, x, y), [0.0, 0.0, 0.0]);
            assert_eq!(binary_second(Binary::Hypot, x, y), [0.0, 0.0, 0.0]);
        }
        // At infinity: 0 for hypot (also where a partial is NaN), the limit for atan2.
        for (x, y) in [
            (inf, 2.0),
            (2.0, -inf),
            (inf, inf),
            (inf, f64::NAN),
            (f64::MAX, f64::MAX),
        ] {
            assert_eq!(
                binary_second(Binary::Hypot, x, y),
                [0.0, 0.0, 0.0],
                "({x}, {y})"
            );
        }
        assert_eq!(binary_second(Binary::Atan2, inf, 2.0), [0.0, 0.0, 0.0]);
        assert_eq!(binary_second(Binary::Atan2, 2.0, -inf), [0.0, -0.0, -0.0]);
        assert!(binary_second(Binary::Atan2, f64::NAN, 1.0)
            .iter()
            .all(|h| h.is_nan()));
        assert!(binary_second(Binary::Hypot, f64::NAN, 1.0)
            .iter()
            .all(|h| h.is_nan()));

        // atan2 with x² + y² out of range: the formula at (6, 8) (r² = 100:
        // [-96, 28, 96] / 10^4) times (10^155)², and at (1.2, 1.6) times (10^-154)².
        let scaled = |y: f64, x: f64, s: f64| {
            let r4 = (x * x + y * y) * (x * x + y * y);
            [-2.0 * x * y, y * y - x * x, 2.0 * x * y].map(|h| h / r4 * s * s)
        };
        let second = binary_second(Binary::Atan2, 6e-155, 8e-155);
        let expected = scaled(6.0, 8.0, 1e155);
        assert!(
            (0..3).all(|i| relatively_equal(second[i], expected[i])),
            "{second:?}"
        );
        let second = binary_second(Binary::Atan2, 1.2e154, 1.6e154);
        let expected = scaled(1.2, 1.6, 1e-154);
        // Subnormal results: relatively accurate to their 48 or so bits.
        assert!(
            (0..3).all(|i| (second[i] - expected[i]).abs() <= 1e-13 * expected[i].abs()),
            "{second:?} {expected:?}"
        );
        // The cross term is exactly 0 where |x| = |y|, even where the squares overflow.
        assert_eq!(
            binary_second(Binary::Atan2, 1e-200, 1e-200),
            [-inf, 0.0, inf]
        );
        assert_eq!(binary_second(Binary::Atan2, 1e200, -1e200)[1], 0.0);
        // Where the partials themselves overflowed (subnormal operands): overflows
        // where the true value does, and zeros where it is zero, not inf · 0.
        assert_eq!(
            binary_second(Binary::Atan2, 3e-310, 3e-310),
            [-inf, 0.0, inf]
        );
        assert_eq!(
            binary_second(Binary::Atan2, 3e-310, -4e-310),
            [inf, -inf, -inf]
        );
        assert_eq!(binary_second(Binary::Atan2, 0.0, 1e-320), [0.0, -inf, 0.0]);
        assert_eq!(binary_second(Binary::Atan2, -1e-320, 0.0), [0.0, inf, 0.0]);

        // hypot with a subnormal length: rescaled, not from the coarsely rounded r.
        let second = binary_second(Binary::Hypot, 3e-309, 4e-309);
        let expected = [1.28e308, -9.6e307, 7.2e307];
        assert!(
            (0..3).all(|i| relatively_equal(second[i], expected[i])),
            "{second:?}"
        );
        // r = 1e-315 has some 27 bits: the reference is computed at (x, y)·2^600.
        let (x, y) = (1e-315, 1e-319);
        let second = binary_second(Binary::Hypot, x, y);
        let (xs, ys) = (x * UP, y * UP);
        let rs = xs.hypot(ys);
        let (px, py) = (xs / rs, ys / rs);
        let expected = [py * py / rs * UP, -px * py / rs * UP, px * px / rs * UP];
        assert!(expected[0] > 1e306 && expected[0] < 1e308);
        assert!(relatively_equal(second[0], expected[0]), "{second:?}");
        // The other two are about -y/x² and 1/x, and overflow.
        assert_eq!(second[1..], [-inf, inf]);
        // A tiny partial whose square underflows (to a subnormal), where the result
        // does not: y²/r³ = (y/x)·((y/x)/x) here.
        let (x, y) = (1e-160, 1e-320);
        let second = binary_second(Binary::Hypot, x, y);
        assert!(
            relatively_equal(second[0], (y / x) * ((y / x) / x)),
            "{second:?}"
        );
        assert!(relatively_equal(second[1], -(y / x) / x), "{second:?}");
        assert!(relatively_equal(second[2], 1.0 / x), "{second:?}");
    }
}
