//! The one table of elementary operations.
//!
//! Every operation is defined here once: its value and its partial derivatives.
//! Forward mode ([`crate::trace`]) and reverse mode ([`crate::tape`]) both read
//! this table. To add a function of one argument: a variant of [`Unary`], its
//! entry in [`Unary::ALL`], a `match` arm in [`Unary::eval`], and tests here; then
//! one method in the `number_methods!` macro of `src/python/number.rs` (Trace and
//! Record both get it), a helper in `python/wengert/real.py`, and the stubs.
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
}

/// Operations of two arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

impl Unary {
    pub const ALL: [Unary; 7] = [
        Unary::Neg,
        Unary::Sin,
        Unary::Cos,
        Unary::Exp,
        Unary::Ln,
        Unary::Sqrt,
        Unary::Abs,
    ];

    /// The value `f(x)` and the derivative `f'(x)`.
    #[inline(always)]
    pub fn eval(self, x: f64) -> Result<(f64, f64), MathError> {
        Ok(match self {
            Unary::Neg => (-x, -1.0),
            Unary::Sin => {
                if x.is_infinite() {
                    return Err(MathError::Domain(
                        "math domain error: sin of an infinite number",
                    ));
                }
                let (s, c) = x.sin_cos();
                (s, c)
            }
            Unary::Cos => {
                if x.is_infinite() {
                    return Err(MathError::Domain(
                        "math domain error: cos of an infinite number",
                    ));
                }
                let (s, c) = x.sin_cos();
                (c, -s)
            }
            Unary::Exp => {
                let v = x.exp();
                if v.is_infinite() && x.is_finite() {
                    return Err(MathError::Overflow("math range error: exp overflows"));
                }
                (v, v)
            }
            Unary::Ln => {
                // -0.0 <= 0.0 as well, as math.log(-0.0) raises.
                if x <= 0.0 {
                    return Err(MathError::Domain(
                        "math domain error: ln (natural logarithm) needs a positive number",
                    ));
                }
                (x.ln(), 1.0 / x)
            }
            Unary::Sqrt => {
                if x < 0.0 {
                    return Err(MathError::Domain(
                        "math domain error: sqrt needs a number that is not negative",
                    ));
                }
                let v = x.sqrt();
                // abs() keeps sqrt(-0.0) = -0.0 from giving a derivative of -inf.
                (v, 0.5 / v.abs())
            }
            Unary::Abs => {
                // The derivative at 0 is taken as 0 (a subgradient), not NaN or +-1.
                let d = if x == 0.0 { 0.0 } else { x.signum() };
                (x.abs(), d)
            }
        })
    }
}

impl Binary {
    pub const ALL: [Binary; 5] = [
        Binary::Add,
        Binary::Sub,
        Binary::Mul,
        Binary::Div,
        Binary::Pow,
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
        })
    }
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
    let dy = if x == 0.0 { 0.0 } else { v * x.ln() };
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
    fn unary_derivatives_match_finite_differences() {
        for op in Unary::ALL {
            for x in [0.3, 0.7, 1.9, 2.5, -0.4, -3.0] {
                let Ok((v, d)) = op.eval(x) else {
                    assert!(
                        matches!(op, Unary::Ln | Unary::Sqrt) && x < 0.0,
                        "{op:?} at {x}"
                    );
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
