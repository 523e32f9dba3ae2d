//! The operations of two arguments whose values follow CPython's own rules rather
//! than the C library's: `x ** y` (Python's errors and edge cases), `math.atan2`
//! and `math.hypot` (CPython's algorithm, bit for bit), each with its partials and
//! second partials, and the exact arithmetic `hypot` is computed with.

use super::MathError;

/// 2^600 and 2^-600: scale factors that bring a square of any finite float into range.
pub(super) const UP: f64 = f64::from_bits((1023 + 600) << 52);
const DOWN: f64 = f64::from_bits((1023 - 600) << 52);

/// `atan2(y, x)` and its partials `x / (x² + y²)` and `-y / (x² + y²)`.
///
/// At the origin atan2 is constant along every ray, so its partials there are taken
/// as 0; at infinity they are 0, their limit. It never raises, as `math.atan2` does not.
#[inline(always)]
pub(super) fn atan2(y: f64, x: f64) -> (f64, f64, f64) {
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
pub(super) fn atan2_second(y: f64, x: f64, dy: f64, dx: f64) -> [f64; 3] {
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
pub(super) fn hypot(x: f64, y: f64) -> (f64, f64, f64) {
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
pub(super) fn hypot_second(x: f64, y: f64, r: f64, dx: f64, dy: f64) -> [f64; 3] {
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
pub(super) fn pow(x: f64, y: f64) -> Result<(f64, f64, f64), MathError> {
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
pub(super) fn pow_second(x: f64, y: f64, dy: f64) -> [f64; 3] {
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
