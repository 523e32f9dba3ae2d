//! Second partials: against finite differences of the first, exact formulas, and
//! their edge cases (kinks, ends of domains, infinities, overflow and underflow).

use super::{central, close};
use crate::ops::cpython::UP;
use crate::ops::{Binary, Unary};

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
        Binary::Atan2 | Binary::Hypot => (points.either_sign(0.2, 3.0), points.uniform(-3.0, 3.0)),
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
fn exact_formulas() {
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
fn edges() {
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
