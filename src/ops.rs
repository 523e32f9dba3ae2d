//! The one table of elementary operations.
//!
//! Every operation is defined here once: its value and its partial derivatives.
//! Forward mode ([`crate::trace`]) and reverse mode ([`crate::tape`]) both read
//! this table. To add a function of one argument: a variant at the end of
//! [`Unary`], its entry in [`Unary::ALL`], a `match` arm in [`Unary::eval`] (its
//! value from the C library, as Python's `math` takes it: see the `libm` block),
//! and tests here; then one method in the `number_methods!` macro of
//! `src/python/number.rs` (Trace, MultiTrace and Record all get it), a helper in
//! `python/wengert/real.py`, and the stubs.
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
}
