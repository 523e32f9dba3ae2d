//! The table's tests: every operation's value, partials and second partials
//! against finite differences, exact formulas and their edge cases.

mod first_order;
mod second_order;
mod table;
mod taylor;

/// `a` and `b` agree to about seven digits (or absolutely, near 0).
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-7 * (1.0 + a.abs().max(b.abs()))
}

/// Central finite difference of `f` at `x`.
fn central(f: impl Fn(f64) -> f64, x: f64) -> f64 {
    let h = 1e-6 * (1.0 + x.abs());
    (f(x + h) - f(x - h)) / (2.0 * h)
}
