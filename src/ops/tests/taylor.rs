//! Taylor arithmetic: degree 1 is forward mode bit for bit, degree 2 agrees with the
//! second derivatives, every higher coefficient with central differences of the one
//! below it, known series exactly, and compositions with their identities.

use crate::ops::{chain, Binary, TaylorError, Unary, TAYLOR_SCRATCH};

/// Deterministic pseudo-random numbers (xorshift64*), uniform in `[lo, hi)`.
struct Numbers(u64);

impl Numbers {
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        lo + (hi - lo) * (bits as f64 / (1u64 << 53) as f64)
    }
}

/// Where each function is smooth: an interval of sample points.
fn interval(op: Unary) -> (f64, f64) {
    match op {
        Unary::Tan => (-1.2, 1.2),
        Unary::Asin | Unary::Acos | Unary::Atanh => (-0.8, 0.8),
        Unary::Acosh => (1.2, 5.0),
        Unary::Ln | Unary::Sqrt | Unary::Log2 | Unary::Log10 | Unary::Cbrt => (0.3, 6.0),
        Unary::Abs => (0.3, 4.0),
        Unary::Log1p => (-0.7, 5.0),
        Unary::Floor | Unary::Ceil | Unary::Trunc => (0.1, 0.9),
        _ => (-2.0, 2.0),
    }
}

fn binary_point(op: Binary, numbers: &mut Numbers) -> (f64, f64) {
    match op {
        Binary::Div => (numbers.uniform(-3.0, 3.0), numbers.uniform(0.5, 3.0)),
        Binary::Pow => (numbers.uniform(0.3, 3.0), numbers.uniform(-2.5, 2.5)),
        _ => (numbers.uniform(-3.0, 3.0), numbers.uniform(0.3, 3.0)),
    }
}

fn unary(op: Unary, x: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; x.len()];
    let mut scratch = vec![0.0; TAYLOR_SCRATCH * x.len()];
    op.taylor(x, &mut out, &mut scratch).unwrap();
    out
}

/// `op` on series, a `None` operand being the constant `c` (its value in `x` or `y`).
fn binary(op: Binary, x: &[f64], y: &[f64], which: usize) -> Vec<f64> {
    let mut out = vec![0.0; x.len()];
    let mut scratch = vec![0.0; TAYLOR_SCRATCH * x.len()];
    match which {
        0 => op.taylor(x, y, &mut out, &mut scratch),
        1 => op.taylor_right(x, y[0], &mut out, &mut scratch),
        _ => op.taylor_left(x[0], y, &mut out, &mut scratch),
    }
    .unwrap();
    out
}

/// The line `x0 + t·v` as a series of `n` coefficients.
fn line(x0: f64, v: f64, n: usize) -> Vec<f64> {
    let mut x = vec![0.0; n];
    x[0] = x0;
    if n > 1 {
        x[1] = v;
    }
    x
}

fn agree(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn degree_one_is_forward_mode_bit_for_bit() {
    let mut numbers = Numbers(7);
    for op in Unary::ALL {
        let (lo, hi) = interval(op);
        for _ in 0..50 {
            let x0 = numbers.uniform(lo, hi);
            let t = numbers.uniform(-2.0, 2.0);
            let (v, d) = op.eval(x0).unwrap();
            for n in [2, 5] {
                let out = unary(op, &line(x0, t, n));
                assert_eq!(out[0].to_bits(), v.to_bits(), "{op:?} value at {x0}");
                assert_eq!(out[1].to_bits(), chain(d, t).to_bits(), "{op:?} at {x0}");
            }
        }
    }
    for op in Binary::ALL {
        for _ in 0..50 {
            let (x0, y0) = binary_point(op, &mut numbers);
            let (tx, ty) = (numbers.uniform(-2.0, 2.0), numbers.uniform(-2.0, 2.0));
            let (v, dx, dy) = op.eval(x0, y0).unwrap();
            for n in [2, 5] {
                let (x, y) = (line(x0, tx, n), line(y0, ty, n));
                let both = binary(op, &x, &y, 0);
                assert_eq!(both[0].to_bits(), v.to_bits(), "{op:?}");
                let expected = chain(dx, tx) + chain(dy, ty);
                assert_eq!(both[1].to_bits(), expected.to_bits(), "{op:?}");
                let right = binary(op, &x, &y, 1);
                assert_eq!(right[1].to_bits(), chain(dx, tx).to_bits(), "{op:?} right");
                let left = binary(op, &x, &y, 2);
                assert_eq!(left[1].to_bits(), chain(dy, ty).to_bits(), "{op:?} left");
            }
        }
    }
}

#[test]
fn degree_two_agrees_with_the_second_derivatives() {
    let mut numbers = Numbers(11);
    for op in Unary::ALL {
        let (lo, hi) = interval(op);
        for _ in 0..50 {
            let x = [
                numbers.uniform(lo, hi),
                numbers.uniform(-1.0, 1.0),
                numbers.uniform(-1.0, 1.0),
            ];
            let (v, d) = op.eval(x[0]).unwrap();
            let h = op.second(x[0], v, d);
            let out = unary(op, &x);
            let expected = 0.5 * h * x[1] * x[1] + d * x[2];
            assert!(
                agree(out[2], expected, 1e-12),
                "{op:?}: {out:?} vs {expected}"
            );
        }
    }
    for op in Binary::ALL {
        for _ in 0..50 {
            let (x0, y0) = binary_point(op, &mut numbers);
            let x = [x0, numbers.uniform(-1.0, 1.0), numbers.uniform(-1.0, 1.0)];
            let y = [y0, numbers.uniform(-1.0, 1.0), numbers.uniform(-1.0, 1.0)];
            let (v, dx, dy) = op.eval(x0, y0).unwrap();
            let [hxx, hxy, hyy] = op.second(x0, y0, v, dx, dy);
            let out = binary(op, &x, &y, 0);
            let expected = 0.5 * (hxx * x[1] * x[1] + 2.0 * hxy * x[1] * y[1] + hyy * y[1] * y[1])
                + dx * x[2]
                + dy * y[2];
            assert!(
                agree(out[2], expected, 1e-12),
                "{op:?}: {out:?} vs {expected}"
            );
        }
    }
}

/// Along `x0 + t v`, coefficient `k` is `1/k` of the derivative of coefficient `k - 1`
/// with respect to the base point: checked by central differences, to order 7.
#[test]
fn every_coefficient_is_the_derivative_of_the_one_below() {
    const N: usize = 8;
    let mut numbers = Numbers(3);
    for op in Unary::ALL {
        let (lo, hi) = interval(op);
        for _ in 0..20 {
            let x0 = numbers.uniform(lo + 0.05, hi - 0.05);
            let v = numbers.uniform(-1.0, 1.0);
            let h = 1e-4;
            let out = unary(op, &line(x0, v, N));
            let up = unary(op, &line(x0 + h * v, v, N));
            let down = unary(op, &line(x0 - h * v, v, N));
            for k in 1..N {
                let difference = (up[k - 1] - down[k - 1]) / (2.0 * h);
                assert!(
                    agree(k as f64 * out[k], difference, 1e-6),
                    "{op:?} at {x0}, coefficient {k}: {} vs {difference}",
                    k as f64 * out[k]
                );
            }
        }
    }
    for op in Binary::ALL {
        for which in 0..3 {
            for _ in 0..20 {
                let (x0, y0) = binary_point(op, &mut numbers);
                let (vx, vy) = match which {
                    0 => (numbers.uniform(-0.5, 0.5), numbers.uniform(-0.5, 0.5)),
                    1 => (numbers.uniform(-0.5, 0.5), 0.0),
                    _ => (0.0, numbers.uniform(-0.5, 0.5)),
                };
                let h = 1e-4;
                let at = |s: f64| {
                    let x = line(x0 + s * vx, vx, N);
                    let y = line(y0 + s * vy, vy, N);
                    binary(op, &x, &y, which)
                };
                let (out, up, down) = (at(0.0), at(h), at(-h));
                for k in 1..N {
                    let difference = (up[k - 1] - down[k - 1]) / (2.0 * h);
                    assert!(
                        agree(k as f64 * out[k], difference, 1e-6),
                        "{op:?} ({which}) at ({x0}, {y0}), coefficient {k}: {} vs {difference}",
                        k as f64 * out[k]
                    );
                }
            }
        }
    }
}

fn factorial(k: usize) -> f64 {
    (1..=k).map(|i| i as f64).product()
}

#[test]
fn known_series_exactly() {
    const N: usize = 9;
    let t = line(0.0, 1.0, N);
    let close = |a: &[f64], b: &[f64]| {
        a.iter()
            .zip(b)
            .all(|(&a, &b)| (a - b).abs() <= 1e-15 * (1.0 + b.abs()))
    };
    // exp(1 + t) = e Σ t^k / k!.
    let e = unary(Unary::Exp, &line(1.0, 1.0, N));
    let expected: Vec<f64> = (0..N).map(|k| 1f64.exp() / factorial(k)).collect();
    assert!(close(&e, &expected), "{e:?}");
    // 1 / (1 - t) = Σ t^k.
    let one_minus_t = binary(Binary::Sub, &line(1.0, 0.0, N), &t, 2);
    let geometric = binary(Binary::Div, &line(1.0, 0.0, N), &one_minus_t, 2);
    assert_eq!(geometric, vec![1.0; N]);
    // sin t, atan t, ln(1 + t), log1p t, sqrt(1 + t).
    let sin = unary(Unary::Sin, &t);
    let expected: Vec<f64> = (0..N)
        .map(|k| match k % 4 {
            1 => 1.0 / factorial(k),
            3 => -1.0 / factorial(k),
            _ => 0.0,
        })
        .collect();
    assert!(close(&sin, &expected), "{sin:?}");
    let atan = unary(Unary::Atan, &t);
    let expected: Vec<f64> = (0..N)
        .map(|k| match k % 4 {
            1 => 1.0 / k as f64,
            3 => -1.0 / k as f64,
            _ => 0.0,
        })
        .collect();
    assert!(close(&atan, &expected), "{atan:?}");
    let alternating: Vec<f64> = (0..N)
        .map(|k| match k {
            0 => 0.0,
            _ => (if k % 2 == 1 { 1.0 } else { -1.0 }) / k as f64,
        })
        .collect();
    assert!(close(&unary(Unary::Ln, &line(1.0, 1.0, N)), &alternating));
    assert!(close(&unary(Unary::Log1p, &t), &alternating));
    let mut binomial = vec![1.0; N];
    for k in 1..N {
        binomial[k] = binomial[k - 1] * (0.5 - (k - 1) as f64) / k as f64;
    }
    assert!(close(&unary(Unary::Sqrt, &line(1.0, 1.0, N)), &binomial));
    // Powers at 0 are polynomials: t ** 3, (t + t²) ** 2 = t² + 2t³ + t⁴, 0 ** 0.
    let mut cube = vec![0.0; N];
    cube[3] = 1.0;
    assert_eq!(binary(Binary::Pow, &t, &line(3.0, 0.0, N), 1), cube);
    let mut t_t2 = t.clone();
    t_t2[2] = 1.0;
    let mut square = vec![0.0; N];
    square[2..5].copy_from_slice(&[1.0, 2.0, 1.0]);
    assert_eq!(binary(Binary::Pow, &t_t2, &line(2.0, 0.0, N), 1), square);
    let mut one = vec![0.0; N];
    one[0] = 1.0;
    assert_eq!(binary(Binary::Pow, &t, &line(0.0, 0.0, N), 1), one);
    // Fractional powers at 0: sqrt(t²)'s coefficients below 1 are 0, the rest NaN.
    let mut t2 = vec![0.0; N];
    t2[2] = 1.0;
    let root = binary(Binary::Pow, &t2, &line(1.5, 0.0, N), 1);
    assert!(root[..3].iter().all(|&c| c == 0.0) && root[3..].iter().all(|c| c.is_nan()));
}

/// A random series of `n` coefficients about `x0`.
fn series(numbers: &mut Numbers, x0: f64, n: usize) -> Vec<f64> {
    let mut x: Vec<f64> = (0..n).map(|_| numbers.uniform(-0.6, 0.6)).collect();
    x[0] = x0;
    x
}

#[test]
fn compositions_keep_their_identities() {
    const N: usize = 7;
    let mut numbers = Numbers(5);
    let same = |a: &[f64], b: &[f64], what: &str| {
        for (k, (&a, &b)) in a.iter().zip(b).enumerate() {
            assert!(agree(a, b, 1e-11), "{what}: coefficient {k}: {a} vs {b}");
        }
    };
    let mul = |x: &[f64], y: &[f64]| binary(Binary::Mul, x, y, 0);
    let div = |x: &[f64], y: &[f64]| binary(Binary::Div, x, y, 0);
    let add = |x: &[f64], y: &[f64]| binary(Binary::Add, x, y, 0);
    for _ in 0..30 {
        let (x0, y0) = (numbers.uniform(-0.7, 0.7), numbers.uniform(0.5, 2.0));
        let x = series(&mut numbers, x0, N);
        let y = series(&mut numbers, y0, N);
        let (sin, cos) = (unary(Unary::Sin, &x), unary(Unary::Cos, &x));
        let mut one = vec![0.0; N];
        one[0] = 1.0;
        same(
            &add(&mul(&sin, &sin), &mul(&cos, &cos)),
            &one,
            "sin² + cos²",
        );
        same(&unary(Unary::Tan, &x), &div(&sin, &cos), "tan");
        let (sinh, cosh) = (unary(Unary::Sinh, &x), unary(Unary::Cosh, &x));
        same(&unary(Unary::Tanh, &x), &div(&sinh, &cosh), "tanh");
        same(&unary(Unary::Exp, &unary(Unary::Ln, &y)), &y, "exp ln");
        same(&unary(Unary::Atan, &unary(Unary::Tan, &x)), &x, "atan tan");
        same(&unary(Unary::Asin, &sin), &x, "asin sin");
        same(&unary(Unary::Acos, &unary(Unary::Cos, &y)), &y, "acos cos");
        same(&unary(Unary::Asinh, &sinh), &x, "asinh sinh");
        same(
            &unary(Unary::Atanh, &unary(Unary::Tanh, &x)),
            &x,
            "atanh tanh",
        );
        same(
            &unary(Unary::Acosh, &unary(Unary::Cosh, &y)),
            &y,
            "acosh cosh",
        );
        let cbrt = unary(Unary::Cbrt, &y);
        same(&mul(&cbrt, &mul(&cbrt, &cbrt)), &y, "cbrt³");
        let erf = unary(Unary::Erf, &x);
        same(&add(&erf, &unary(Unary::Erfc, &x)), &one, "erf + erfc");
        same(
            &unary(Unary::Log2, &unary(Unary::Exp2, &x)),
            &x,
            "log2 exp2",
        );
        let expm1 = unary(Unary::Expm1, &x);
        same(&unary(Unary::Log1p, &expm1), &x, "log1p expm1");
        let ten = binary(Binary::Pow, &line(10.0, 0.0, N), &x, 2);
        same(&unary(Unary::Log10, &ten), &x, "log10 10**x");
        let power = binary(Binary::Pow, &y, &x, 0);
        let by_exp = unary(Unary::Exp, &mul(&x, &unary(Unary::Ln, &y)));
        same(&power, &by_exp, "y ** x");
        let hypot = binary(Binary::Hypot, &x, &y, 0);
        let root = unary(Unary::Sqrt, &add(&mul(&x, &x), &mul(&y, &y)));
        same(&hypot, &root, "hypot");
        let angle = binary(Binary::Atan2, &x, &y, 0);
        same(&angle, &unary(Unary::Atan, &div(&x, &y)), "atan2");
    }
}

#[test]
fn constants_stay_constant_and_errors_are_evals() {
    let mut out = [9.0; 4];
    let mut scratch = [0.0; TAYLOR_SCRATCH * 4];
    // sqrt at 0 has an infinite derivative, but a constant is a constant.
    Unary::Sqrt
        .taylor(&[0.0, 0.0, 0.0, 0.0], &mut out, &mut scratch)
        .unwrap();
    assert_eq!(out, [0.0; 4]);
    // x ** c for negative x and a constant c, c ** x with c = 0.
    Binary::Pow
        .taylor_right(&[-2.0, 1.0, 0.0, 0.0], 3.0, &mut out, &mut scratch)
        .unwrap();
    assert_eq!(out, [-8.0, 12.0, -6.0, 1.0]);
    Binary::Pow
        .taylor_left(0.0, &[2.0, 1.0, 1.0, 1.0], &mut out, &mut scratch)
        .unwrap();
    assert_eq!(out, [0.0; 4]);
    // atan2 and hypot at the origin: partials taken as 0, and so every coefficient.
    for op in [Binary::Atan2, Binary::Hypot] {
        op.taylor(
            &[0.0, 1.0, 0.0, 0.0],
            &[0.0, 1.0, 0.0, 0.0],
            &mut out,
            &mut scratch,
        )
        .unwrap();
        assert_eq!(out[1..], [0.0; 3], "{op:?}");
    }
    // hypot far out and close in (the squares would overflow and underflow).
    for scale in [1e300, 1e-300] {
        let x = [3.0 * scale, scale, 0.0, 0.0];
        let y = [4.0 * scale, 0.0, 0.0, 0.0];
        Binary::Hypot
            .taylor(&x, &y, &mut out, &mut scratch)
            .unwrap();
        // sqrt((3 + t)² + 16) · scale = 5 + 3t/5 + 8t²/125 - 24t³/3125, times scale.
        let expected = [5.0, 0.6, 8.0 / 125.0, -24.0 / 3125.0];
        for k in 0..4 {
            assert!(agree(out[k] / scale, expected[k], 1e-14), "{out:?}");
        }
    }
    for (op, x) in [(Unary::Ln, -1.0), (Unary::Sqrt, -1.0), (Unary::Asin, 2.0)] {
        let error = op
            .taylor(&[x, 1.0], &mut out[..2], &mut scratch)
            .unwrap_err();
        assert_eq!(error, TaylorError::Math(op.eval(x).unwrap_err()));
    }
    let error = Binary::Div
        .taylor_right(&[1.0, 1.0], 0.0, &mut out[..2], &mut scratch)
        .unwrap_err();
    assert_eq!(
        error,
        TaylorError::Math(Binary::Div.eval(1.0, 0.0).unwrap_err())
    );
    let error = Unary::Exp
        .taylor(&[1000.0, 1.0], &mut out[..2], &mut scratch)
        .unwrap_err();
    assert_eq!(
        error,
        TaylorError::Math(Unary::Exp.eval(1000.0).unwrap_err())
    );
}

#[test]
fn lengths_that_do_not_match_are_errors() {
    let mut out = [0.0; 3];
    let mut scratch = [0.0; TAYLOR_SCRATCH * 3];
    let length = Err(TaylorError::Length);
    // An empty series, a result of another length, too little scratch.
    assert_eq!(Unary::Exp.taylor(&[], &mut out[..0], &mut scratch), length);
    assert_eq!(
        Unary::Exp.taylor(&[1.0, 1.0], &mut out, &mut scratch),
        length
    );
    assert_eq!(
        Unary::Exp.taylor(&[1.0, 1.0, 0.0], &mut out, &mut scratch[..5]),
        length
    );
    let x = [1.0, 1.0, 0.0];
    assert_eq!(
        Binary::Mul.taylor(&x, &x[..2], &mut out, &mut scratch),
        length
    );
    assert_eq!(
        Binary::Mul.taylor_right(&x, 2.0, &mut out[..2], &mut scratch),
        length
    );
    assert_eq!(
        Binary::Mul.taylor_left(2.0, &x, &mut out, &mut scratch[..TAYLOR_SCRATCH * 2]),
        length
    );
    assert_eq!(
        Binary::Mul.taylor_left(2.0, &[], &mut out[..0], &mut scratch),
        length
    );
    // The same with matching lengths works.
    Binary::Mul
        .taylor_left(2.0, &x, &mut out, &mut scratch)
        .unwrap();
    assert_eq!(out, [2.0, 2.0, 0.0]);
}
