//! Values and first partials: against finite differences and exact formulas, at
//! the edges of the domains, and the errors Python raises.

use super::{central, close};
use crate::ops::{Binary, MathError, Unary};

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
    let exact = |op: Unary| op.eval(x).unwrap();
    assert_eq!(exact(Unary::Neg), (-0.8, -1.0));
    assert_eq!(exact(Unary::Sin), (x.sin(), x.cos()));
    assert_eq!(exact(Unary::Cos), (x.cos(), -x.sin()));
    assert_eq!(exact(Unary::Exp), (x.exp(), x.exp()));
    assert_eq!(exact(Unary::Ln), (x.ln(), 1.0 / x));
    assert_eq!(exact(Unary::Sqrt), (x.sqrt(), 0.5 / x.sqrt()));
    assert_eq!(Unary::Abs.eval(-x).unwrap(), (x, -1.0));
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
fn edges() {
    let inf = f64::INFINITY;
    // abs at its kink: the derivative is taken as 0.
    assert_eq!(Unary::Abs.eval(0.0).unwrap(), (0.0, 0.0));
    // Infinite derivatives at the ends of the domains, where the value exists.
    assert_eq!(Unary::Sqrt.eval(0.0).unwrap().1, inf);
    assert_eq!(Unary::Sqrt.eval(-0.0).unwrap().1, inf);
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
    let inf = f64::INFINITY;
    let domain = |op: Unary, x: f64| matches!(op.eval(x), Err(MathError::Domain(_)));
    let overflow = |op: Unary, x: f64| matches!(op.eval(x), Err(MathError::Overflow(_)));
    // Division by zero, and `**` outside its domain or range.
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
    // The functions of one argument outside their domains and past their ranges.
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
    assert!(domain(Unary::Tan, inf) && domain(Unary::Tan, -inf));
    assert!(domain(Unary::Asin, 1.0000000000000002) && domain(Unary::Acos, -inf));
    assert!(domain(Unary::Acosh, 0.9999999999999999) && domain(Unary::Acosh, -0.0));
    assert!(domain(Unary::Atanh, 1.0) && domain(Unary::Atanh, -1.0));
    assert!(domain(Unary::Log2, 0.0) && domain(Unary::Log10, -inf));
    assert!(domain(Unary::Log1p, -1.0) && domain(Unary::Log1p, -inf));
    assert!(overflow(Unary::Sinh, 711.0) && overflow(Unary::Sinh, -711.0));
    assert!(overflow(Unary::Cosh, -711.0) && overflow(Unary::Exp2, 1024.0));
    assert!(overflow(Unary::Expm1, 710.0));
    // Infinite (and large) inputs that Python accepts.
    assert_eq!(Unary::Exp.eval(f64::INFINITY).unwrap().0, f64::INFINITY);
    assert_eq!(Unary::Exp.eval(f64::NEG_INFINITY).unwrap().0, 0.0);
    assert_eq!(
        Binary::Pow.eval(f64::INFINITY, 2.0).unwrap().0,
        f64::INFINITY
    );
    assert!(Unary::Ln.eval(f64::NAN).unwrap().0.is_nan());
    assert_eq!(Unary::Sinh.eval(-inf).unwrap().0, -inf);
    assert_eq!(Unary::Cosh.eval(-inf).unwrap().0, inf);
    assert_eq!(Unary::Exp2.eval(1023.0).unwrap().0, 2f64.powi(1023));
    assert_eq!(Unary::Expm1.eval(-inf).unwrap().0, -1.0);
}
