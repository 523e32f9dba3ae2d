//! Taylor arithmetic: every operation of the table on truncated Taylor series.
//!
//! A series of degree `d` is a slice of `d + 1` Taylor coefficients `x[k]`, the
//! polynomial `x(t) = Σ x[k] t^k` (coefficients, not derivatives: the `k`-th
//! derivative at `t = 0` is `k! · x[k]`). [`Unary::taylor`] and [`Binary::taylor`]
//! (with [`Binary::taylor_right`] and [`Binary::taylor_left`] for a constant operand)
//! write the coefficients of `f(x(t))` up to the same degree, in O(d²) operations and
//! with no allocation: the caller gives [`SCRATCH`] series of working memory.
//!
//! The rules (Griewank & Walther, "Evaluating Derivatives", ch. 13):
//!
//! - coefficient 0 is the value exactly as [`Unary::eval`] / [`Binary::eval`] give it,
//!   and coefficient 1 the first derivative as they give it, combined with the
//!   operands' first coefficients by [`chain`] as forward mode does (so a Taylor
//!   series of degree 1 is a [`crate::trace::Trace`], bit for bit); errors (domains,
//!   overflow, division by zero) are `eval`'s;
//! - products by convolution, quotients, square roots and logarithms by their
//!   recurrences, `exp`, `sin`/`cos`, `sinh`/`cosh`, `tan`, `tanh` and `x ** c` by
//!   theirs, and the others (`asin`, `acos`, `atan`, `asinh`, `acosh`, `atanh`,
//!   `erf`, `erfc`, `log1p`, `expm1`, `exp2`, `log2`, `log10`, `cbrt`, `atan2`,
//!   `hypot`) by integrating `y' = f'(x) · x'`, with `f'(x(t))` a series made from
//!   those (`atan`: `1 / (1 + x²)`);
//! - a constant (a series whose coefficients past the 0-th are all 0) gives a
//!   constant, whatever the derivatives are there; `abs`, `neg` and the steps
//!   (`floor`, `ceil`, `trunc`) are piecewise: `abs` multiplies every coefficient by
//!   its derivative (the sign, 0 at 0), the steps have 0 for every coefficient past
//!   the value;
//! - where the function is not analytic (`sqrt`, `cbrt` and `x ** c` at 0 for a
//!   fractional `c`, `atan2`'s and `hypot`'s origin), coefficient 1 is still
//!   forward mode's and the coefficients past it are IEEE's results of the
//!   recurrences (infinities or NaN), except: `x ** c` at `x = 0` for an integer
//!   `c ≥ 0` is exact (it is a polynomial), and for a fractional `c` the
//!   coefficients of degree below `m·c` (`m` the degree of `x(t)`'s first nonzero
//!   term) are 0 and the rest NaN; `atan2` and `hypot` at the origin take their
//!   coefficients past the first as 0, as their partials are there.

// The recurrences index several series at once (`out[k]` from `x[j]` and `a[k - j]`),
// which reads as the formulas do.
#![allow(clippy::needless_range_loop)]

use std::fmt;

use super::{chain, Binary, MathError, Operands, Unary};

/// Why a Taylor rule gave no series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaylorError {
    /// The operation has no real value (as for floats): `eval`'s error.
    Math(MathError),
    /// The operands and the result are not series of one length (at least 1), or the
    /// scratch holds fewer than [`SCRATCH`] series of it.
    Length,
}

impl From<MathError> for TaylorError {
    fn from(error: MathError) -> Self {
        TaylorError::Math(error)
    }
}

impl fmt::Display for TaylorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaylorError::Math(error) => error.fmt(f),
            TaylorError::Length => {
                f.write_str("Taylor series of different lengths, or too little scratch memory")
            }
        }
    }
}

/// `Ok` when every series has `n > 0` coefficients and the scratch holds [`SCRATCH`] of them.
fn check_lengths(n: usize, series: &[usize], scratch: usize) -> Result<(), TaylorError> {
    if n > 0 && series.iter().all(|&len| len == n) && scratch >= SCRATCH * n {
        Ok(())
    } else {
        Err(TaylorError::Length)
    }
}

/// How many series (each as long as the result) of scratch memory
/// [`Unary::taylor`] and [`Binary::taylor`] need.
pub const SCRATCH: usize = 6;

/// True when every coefficient past the 0-th is 0: the series is a constant.
fn is_constant(x: &[f64]) -> bool {
    x[1..].iter().all(|&c| c == 0.0)
}

/// `out[0] = value`, every other coefficient 0.
fn constant(out: &mut [f64], value: f64) {
    out.fill(0.0);
    out[0] = value;
}

/// `Σ_{j=1}^{k} j · a[k-j] · x[j] / k`: the coefficient `k` of `y` with `y' = a · x'`.
#[inline(always)]
fn integral(x: &[f64], a: &[f64], k: usize) -> f64 {
    let mut sum = 0.0;
    for j in 1..=k {
        sum += j as f64 * chain(a[k - j], x[j]);
    }
    sum / k as f64
}

/// `y' = a · x'` for `k` from 2 on (coefficients 0 and 1 already in `out`).
fn integrate(x: &[f64], a: &[f64], out: &mut [f64]) {
    for k in 2..out.len() {
        out[k] = integral(x, a, k);
    }
}

/// The convolution `out = x · y` (chain's zero rule for each product).
fn product(x: &[f64], y: &[f64], out: &mut [f64]) {
    for k in 0..out.len() {
        let mut sum = 0.0;
        for j in 0..=k {
            sum += chain(x[j], y[k - j]);
        }
        out[k] = sum;
    }
}

/// `out = exp(w)`-like series: `out' = out · w'`, from the given `out[0]` (linear in
/// it, so `out[0] = c · exp(w[0])` gives `c · exp(w)`).
fn exponential(w: &[f64], out: &mut [f64]) {
    for k in 1..out.len() {
        let mut sum = 0.0;
        for j in 1..=k {
            sum += j as f64 * chain(out[k - j], w[j]);
        }
        out[k] = sum / k as f64;
    }
}

/// `out = num / den` for the coefficients from `from` on (those before it given):
/// `out[k] = (num[k] - Σ_{j<k} out[j] den[k-j]) / den[0]`.
fn quotient(num: &[f64], den: &[f64], out: &mut [f64], from: usize) {
    for k in from..out.len() {
        let mut sum = num[k];
        for j in 0..k {
            sum -= out[j] * den[k - j];
        }
        out[k] = sum / den[0];
    }
}

/// `out = u^r` for the coefficients from `from` on, `u[0] ≠ 0` (those before given):
/// `out[k] = Σ_{j<k} (r (k-j) - j) u[k-j] out[j] / (k u[0])`. Linear in `out`.
fn power(u: &[f64], r: f64, out: &mut [f64], from: usize) {
    for k in from..out.len() {
        let mut sum = 0.0;
        for j in 0..k {
            sum += (r * (k - j) as f64 - j as f64) * u[k - j] * out[j];
        }
        out[k] = sum / (k as f64 * u[0]);
    }
}

/// Logarithm-like: `y' = u' / (c u)`, `d = 1 / (c u[0])`, coefficients from 2 on
/// (`u[k] = x[k]` past the 0-th for every use here, so `x` is passed):
/// `y[k] = d (x[k] - (c/k) Σ_{i=1}^{k-1} (k-i) u[i] y[k-i])`.
fn logarithm(x: &[f64], c: f64, d: f64, out: &mut [f64]) {
    for k in 2..out.len() {
        let mut sum = 0.0;
        for i in 1..k {
            sum += (k - i) as f64 * x[i] * out[k - i];
        }
        out[k] = d * (x[k] - c * sum / k as f64);
    }
}

/// `(s, c)` with `s' = c x'`, `c' = sign · s x'` from `s[0]`, `c[0]`: sin/cos for
/// `sign = -1`, sinh/cosh for `sign = 1`.
fn pair(x: &[f64], s: &mut [f64], c: &mut [f64], sign: f64) {
    for k in 1..s.len() {
        let (mut ss, mut cs) = (0.0, 0.0);
        for j in 1..=k {
            ss += j as f64 * chain(c[k - j], x[j]);
            cs += j as f64 * chain(s[k - j], x[j]);
        }
        s[k] = ss / k as f64;
        c[k] = sign * cs / k as f64;
    }
}

/// `y' = a x'` with `a = a[0] + sign · y²` past the 0-th coefficient: tan (`+`),
/// tanh (`-`), `a[0]` given.
fn squared_derivative(x: &[f64], a: &mut [f64], out: &mut [f64], sign: f64) {
    for k in 1..out.len() {
        out[k] = integral(x, a, k);
        let mut sum = 0.0;
        for i in 0..=k {
            sum += out[i] * out[k - i];
        }
        a[k] = sign * sum;
    }
}

/// The scratch series: `count` slices of `n` from `scratch`.
fn split<const N: usize>(scratch: &mut [f64], n: usize) -> [&mut [f64]; N] {
    let mut rest = &mut scratch[..N * n];
    std::array::from_fn(|_| {
        let (head, tail) = std::mem::take(&mut rest).split_at_mut(n);
        rest = tail;
        head
    })
}

impl Unary {
    /// The Taylor coefficients of `f(x(t))` into `out` (as long as `x`), given
    /// [`SCRATCH`]` · x.len()` numbers of scratch; the error is [`Unary::eval`]'s at `x[0]`,
    /// or [`TaylorError::Length`] if `x` is empty, `out` is not as long, or `scratch` is
    /// too short.
    pub fn taylor(
        self,
        x: &[f64],
        out: &mut [f64],
        scratch: &mut [f64],
    ) -> Result<(), TaylorError> {
        let n = x.len();
        check_lengths(n, &[out.len()], scratch.len())?;
        let (v, d) = self.eval(x[0])?;
        if is_constant(x) {
            constant(out, v);
            return Ok(());
        }
        out[0] = v;
        out[1] = chain(d, x[1]);
        let x0 = x[0];
        let [a, u, w] = split::<3>(scratch, n);
        match self {
            Unary::Neg => {
                for k in 2..n {
                    out[k] = -x[k];
                }
            }
            Unary::Abs => {
                for k in 2..n {
                    out[k] = chain(d, x[k]);
                }
            }
            Unary::Floor | Unary::Ceil | Unary::Trunc => out[2..].fill(0.0),
            Unary::Exp => exponential(x, out),
            Unary::Exp2 => {
                // y' = ln 2 · y · x'.
                let ln2 = std::f64::consts::LN_2;
                for k in 2..n {
                    let mut sum = 0.0;
                    for j in 1..=k {
                        sum += j as f64 * chain(out[k - j] * ln2, x[j]);
                    }
                    out[k] = sum / k as f64;
                }
            }
            Unary::Expm1 => {
                // expm1' = exp: the coefficients past the 0-th are exp's.
                a[0] = d;
                exponential(x, a);
                out[2..].copy_from_slice(&a[2..]);
            }
            Unary::Ln => logarithm(x, 1.0, d, out),
            Unary::Log2 => logarithm(x, std::f64::consts::LN_2, d, out),
            Unary::Log10 => logarithm(x, std::f64::consts::LN_10, d, out),
            Unary::Log1p => logarithm(x, 1.0, d, out),
            Unary::Sqrt => {
                // y² = x: y[k] = (x[k] - Σ_{j=1}^{k-1} y[j] y[k-j]) / (2 y[0]), 1/(2 y[0]) = d.
                for k in 2..n {
                    let mut sum = x[k];
                    for j in 1..k {
                        sum -= out[j] * out[k - j];
                    }
                    out[k] = sum * d;
                }
            }
            Unary::Cbrt => power(x, 1.0 / 3.0, out, 2),
            Unary::Sin | Unary::Cos | Unary::Sinh | Unary::Cosh => {
                let (s0, c0, sign) = match self {
                    Unary::Sin | Unary::Cos => {
                        let (s, c) = x0.sin_cos();
                        (s, c, -1.0)
                    }
                    _ => (x0.sinh(), x0.cosh(), 1.0),
                };
                a[0] = s0;
                u[0] = c0;
                pair(x, a, u, sign);
                let own = if matches!(self, Unary::Sin | Unary::Sinh) {
                    &a
                } else {
                    &u
                };
                out[2..].copy_from_slice(&own[2..]);
            }
            Unary::Tan | Unary::Tanh => {
                a[0] = d;
                let sign = if self == Unary::Tan { 1.0 } else { -1.0 };
                squared_derivative(x, a, out, sign);
                out[1] = chain(d, x[1]);
            }
            Unary::Asin | Unary::Acos | Unary::Asinh | Unary::Acosh => {
                // f' = ±(±1 ± x²)^(-1/2): u = 1 - x², 1 + x² or x² - 1.
                product(x, x, u);
                let (u0, sign) = match self {
                    Unary::Asin | Unary::Acos => ((1.0 - x0) * (1.0 + x0), -1.0),
                    Unary::Asinh => (1.0 + x0 * x0, 1.0),
                    _ => ((x0 - 1.0) * (x0 + 1.0), 1.0),
                };
                for c in u.iter_mut() {
                    *c *= sign;
                }
                u[0] = u0;
                a[0] = d;
                power(u, -0.5, a, 1);
                integrate(x, a, out);
            }
            Unary::Atan | Unary::Atanh => {
                // f' = 1 / (1 ± x²).
                product(x, x, u);
                let sign = if self == Unary::Atan { 1.0 } else { -1.0 };
                for c in u.iter_mut() {
                    *c *= sign;
                }
                u[0] = if self == Unary::Atan {
                    1.0 + x0 * x0
                } else {
                    (1.0 - x0) * (1.0 + x0)
                };
                w.fill(0.0);
                a[0] = d;
                quotient(w, u, a, 1);
                integrate(x, a, out);
            }
            Unary::Erf | Unary::Erfc => {
                // f' = ±(2/√π) exp(-x²).
                product(x, x, u);
                for c in u.iter_mut() {
                    *c = -*c;
                }
                a[0] = d;
                exponential(u, a);
                integrate(x, a, out);
            }
        }
        Ok(())
    }
}

/// A power of two that brings `m` (positive and finite) near 1.
fn scale_for(m: f64) -> f64 {
    let e = m.log2().floor() as i32;
    2f64.powi((-e).clamp(-1022, 1023))
}

impl Binary {
    /// The Taylor coefficients of `f(x(t), y(t))` into `out` (as long as `x` and `y`),
    /// given [`SCRATCH`]` · x.len()` numbers of scratch; the error is [`Binary::eval`]'s,
    /// or [`TaylorError::Length`] if `x` is empty, `y` or `out` not as long, or `scratch`
    /// too short.
    pub fn taylor(
        self,
        x: &[f64],
        y: &[f64],
        out: &mut [f64],
        scratch: &mut [f64],
    ) -> Result<(), TaylorError> {
        let n = x.len();
        check_lengths(n, &[y.len(), out.len()], scratch.len())?;
        let scratch = &mut scratch[..(SCRATCH - 1) * n];
        Ok(self.series(Operands::Both, x, y, out, scratch)?)
    }

    /// `f(x(t), c)` for a constant right operand `c`, as [`Binary::taylor`].
    pub fn taylor_right(
        self,
        x: &[f64],
        c: f64,
        out: &mut [f64],
        scratch: &mut [f64],
    ) -> Result<(), TaylorError> {
        let n = x.len();
        check_lengths(n, &[out.len()], scratch.len())?;
        let (series, rest) = scratch.split_at_mut(n);
        constant(series, c);
        Ok(self.series(Operands::ConstantRight, x, series, out, rest)?)
    }

    /// `f(c, y(t))` for a constant left operand `c`, as [`Binary::taylor`].
    pub fn taylor_left(
        self,
        c: f64,
        y: &[f64],
        out: &mut [f64],
        scratch: &mut [f64],
    ) -> Result<(), TaylorError> {
        let n = y.len();
        check_lengths(n, &[out.len()], scratch.len())?;
        let (series, rest) = scratch.split_at_mut(n);
        constant(series, c);
        Ok(self.series(Operands::ConstantLeft, series, y, out, rest)?)
    }

    /// The rules, with a constant operand given as a constant series; `scratch` holds
    /// `SCRATCH - 1` series.
    fn series(
        self,
        operands: Operands,
        x: &[f64],
        y: &[f64],
        out: &mut [f64],
        scratch: &mut [f64],
    ) -> Result<(), MathError> {
        let n = x.len();
        let (v, dx, dy) = self.eval(x[0], y[0])?;
        // Coefficient 1 as forward mode combines it.
        let first = match operands {
            Operands::Both => chain(dx, x[1.min(n - 1)]) + chain(dy, y[1.min(n - 1)]),
            Operands::ConstantRight => chain(dx, x[1.min(n - 1)]),
            Operands::ConstantLeft => chain(dy, y[1.min(n - 1)]),
        };
        let (x_constant, y_constant) = (is_constant(x), is_constant(y));
        if x_constant && y_constant {
            constant(out, v);
            return Ok(());
        }
        out[0] = v;
        out[1] = first;
        let [a, b, r, p, q] = split::<5>(scratch, n);
        match self {
            Binary::Add => {
                for k in 2..n {
                    out[k] = x[k] + y[k];
                }
            }
            Binary::Sub => {
                for k in 2..n {
                    out[k] = x[k] - y[k];
                }
            }
            Binary::Mul => match operands {
                Operands::ConstantRight => {
                    for k in 2..n {
                        out[k] = chain(y[0], x[k]);
                    }
                }
                Operands::ConstantLeft => {
                    for k in 2..n {
                        out[k] = chain(x[0], y[k]);
                    }
                }
                Operands::Both => {
                    product(x, y, a);
                    out[2..].copy_from_slice(&a[2..]);
                }
            },
            Binary::Div => match operands {
                Operands::ConstantRight => {
                    for k in 2..n {
                        out[k] = chain(dx, x[k]);
                    }
                }
                _ => quotient(x, y, out, 2),
            },
            Binary::Pow => {
                if y_constant {
                    power_right(x, y[0], out, a);
                } else if x_constant {
                    // c ** y: y' = ln c · (c ** y) · y'; constant 0 in y for c = 0.
                    let c = x[0];
                    if c == 0.0 {
                        out[2..].fill(0.0);
                    } else {
                        let ln = if c > 0.0 { c.ln() } else { f64::NAN };
                        for k in 2..n {
                            let mut sum = 0.0;
                            for j in 1..=k {
                                sum += j as f64 * chain(ln * out[k - j], y[j]);
                            }
                            out[k] = sum / k as f64;
                        }
                    }
                } else if x[0] > 0.0 {
                    // exp(y ln x).
                    a[0] = x[0].ln();
                    a[1] = x[1] / x[0];
                    logarithm(x, 1.0, 1.0 / x[0], a);
                    product(y, a, b);
                    exponential(b, out);
                    out[0] = v;
                    out[1] = first;
                } else {
                    // x ** y with a varying y is not analytic at x ≤ 0.
                    out[2..].fill(f64::NAN);
                }
            }
            Binary::Atan2 | Binary::Hypot => {
                let m = x[0].abs().max(y[0].abs());
                if m == 0.0 || v.is_infinite() || !m.is_finite() {
                    // The origin (partials taken as 0), or an infinite operand (the limit).
                    let fill = if v.is_nan() { f64::NAN } else { 0.0 };
                    out[2..].fill(fill);
                    return Ok(());
                }
                if m.is_nan() {
                    out[2..].fill(f64::NAN);
                    return Ok(());
                }
                // Homogeneous functions (degree 0 and 1): work at (x, y)·s, s a power
                // of two that brings the larger operand near 1.
                let s = scale_for(m);
                for k in 0..n {
                    a[k] = x[k] * s;
                    b[k] = y[k] * s;
                }
                product(a, a, r);
                product(b, b, p);
                for k in 0..n {
                    r[k] += p[k];
                }
                if self == Binary::Atan2 {
                    // atan2(a, b)' = (b a' - a b') / (a² + b²).
                    p.fill(0.0);
                    p[0] = b[0] / r[0];
                    quotient(b, r, p, 1);
                    q[0] = -a[0] / r[0];
                    for k in 1..n {
                        let mut sum = -a[k];
                        for j in 0..k {
                            sum -= q[j] * r[k - j];
                        }
                        q[k] = sum / r[0];
                    }
                    for k in 2..n {
                        out[k] = integral(a, p, k) + integral(b, q, k);
                    }
                } else {
                    // hypot = sqrt(a² + b²), at scale s.
                    q[0] = r[0].sqrt();
                    for k in 1..n {
                        let mut sum = r[k];
                        for j in 1..k {
                            sum -= q[j] * q[k - j];
                        }
                        q[k] = sum / (2.0 * q[0]);
                    }
                    for k in 2..n {
                        out[k] = q[k] / s;
                    }
                }
            }
        }
        Ok(())
    }
}

/// `x(t) ** c` past coefficient 1 (coefficients 0 and 1 in `out`), `x` not constant;
/// `work` is one series of scratch.
fn power_right(x: &[f64], c: f64, out: &mut [f64], work: &mut [f64]) {
    let n = x.len();
    if c == 0.0 {
        out[1..].fill(0.0);
        return;
    }
    if x[0] != 0.0 {
        power(x, c, out, 2);
        return;
    }
    // x(t) = t^m u(t) with u(0) ≠ 0: x ** c = t^(m c) u ** c.
    let m = (1..n).find(|&k| x[k] != 0.0).unwrap_or(n);
    let shift = m as f64 * c;
    if c.fract() != 0.0 || c < 0.0 {
        for (k, coefficient) in out.iter_mut().enumerate().skip(2) {
            *coefficient = if (k as f64) < shift { 0.0 } else { f64::NAN };
        }
        return;
    }
    let (value, first) = (out[0], out[1]);
    out[1..].fill(0.0);
    if shift < n as f64 {
        let shift = shift as usize;
        let len = n - shift;
        let u = &x[m..];
        // u has n - m coefficients; u ** c needs len ≤ n - m of them (c ≥ 1).
        let w = &mut work[..len];
        w[0] = u[0].powf(c);
        power(&u[..len], c, w, 1);
        out[shift..].copy_from_slice(w);
    }
    out[0] = value;
    out[1] = first;
}
