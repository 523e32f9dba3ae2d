//! The rule every mode shares for a product of a partial derivative and a tangent
//! or adjoint: where either is 0, the product is 0, even beside an infinity or a NaN.

/// `partial * tangent`, where a zero on either side contributes exactly zero.
///
/// A constant (zero tangent) must contribute nothing even where the partial is
/// infinite or NaN: `sqrt(c)` at `c = 0`, or `x ** c` for a negative `x`,
/// whose partial with respect to the exponent involves `ln x`. Likewise a zero
/// partial stops an infinite tangent: `sqrt(x) * 0` at `x = 0` is the constant 0.
/// Forward mode ([`crate::trace`], [`crate::multi_trace`]), the backward sweep of
/// [`crate::tape`] and the replay ([`crate::replay`]) all follow this rule, so they agree.
#[inline(always)]
pub fn chain(partial: f64, tangent: f64) -> f64 {
    let product = partial * tangent;
    // Only 0 * inf and 0 * NaN are overridden; elsewhere IEEE's answer (and sign) stands.
    if product.is_nan() && (partial == 0.0 || tangent == 0.0) {
        0.0
    } else {
        product
    }
}
