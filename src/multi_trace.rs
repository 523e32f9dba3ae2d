//! Forward mode with many tangents: `number + Σ derivative[i]·εᵢ`.
//!
//! A [`MultiTrace`] carries `k` tangents, the derivatives of its value with
//! respect to `k` inputs, so one forward pass gives a whole gradient (or a whole
//! Jacobian row per output). Each tangent follows exactly the rule of the
//! one-tangent [`crate::trace::Trace`]: tangent `i` of a result is what a Trace
//! pass seeded with tangent `i` of the inputs would give, bit for bit.

use crate::ops::{chain, Binary, MathError, Unary};

/// Why an operation on MultiTraces has no result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MultiTraceError {
    /// The operation itself has no real value (as for floats).
    Math(MathError),
    /// The operands carry different numbers of tangents (left, right).
    SizeMismatch(usize, usize),
    /// The tangents do not fit in memory.
    OutOfMemory,
}

impl From<MathError> for MultiTraceError {
    fn from(error: MathError) -> Self {
        MultiTraceError::Math(error)
    }
}

/// A value and its derivatives with respect to `k` inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct MultiTrace {
    pub number: f64,
    pub derivative: Box<[f64]>,
}

/// The `k` tangents that `values` yields, in one allocation that may fail.
#[inline(always)]
fn tangents(k: usize, values: impl Iterator<Item = f64>) -> Result<Box<[f64]>, MultiTraceError> {
    let mut tangents = Vec::new();
    tangents
        .try_reserve_exact(k)
        .map_err(|_| MultiTraceError::OutOfMemory)?;
    tangents.extend(values.take(k));
    Ok(tangents.into_boxed_slice())
}

impl MultiTrace {
    /// A value with `k` zero tangents.
    pub fn constant(number: f64, k: usize) -> Result<Self, MultiTraceError> {
        Ok(MultiTrace {
            number,
            derivative: tangents(k, std::iter::repeat(0.0))?,
        })
    }

    /// Input `index` of `k`: tangent 1 at `index`, 0 elsewhere.
    pub fn variable(number: f64, index: usize, k: usize) -> Result<Self, MultiTraceError> {
        Ok(MultiTrace {
            number,
            derivative: tangents(k, (0..k).map(|i| if i == index { 1.0 } else { 0.0 }))?,
        })
    }

    /// The number of tangents.
    #[inline(always)]
    pub fn k(&self) -> usize {
        self.derivative.len()
    }

    /// A result with value `number` and tangent `i` equal to `f(tangent i of self)`.
    #[inline(always)]
    pub fn map(&self, number: f64, f: impl Fn(f64) -> f64) -> Result<Self, MultiTraceError> {
        let a = &self.derivative;
        Ok(MultiTrace {
            number,
            derivative: tangents(a.len(), a.iter().map(|&t| f(t)))?,
        })
    }

    /// A result with value `number` and tangent `i` equal to `f(self's, other's tangent i)`.
    #[inline(always)]
    pub fn zip(
        &self,
        other: &MultiTrace,
        number: f64,
        f: impl Fn(f64, f64) -> f64,
    ) -> Result<Self, MultiTraceError> {
        let (a, b) = (&self.derivative, &other.derivative);
        if a.len() != b.len() {
            return Err(MultiTraceError::SizeMismatch(a.len(), b.len()));
        }
        Ok(MultiTrace {
            number,
            derivative: tangents(a.len(), a.iter().zip(b.iter()).map(|(&a, &b)| f(a, b)))?,
        })
    }

    /// Apply a function of one argument given its value and derivative at `self.number`.
    #[inline(always)]
    pub fn apply_unary(&self, fx: f64, dfx_dx: f64) -> Result<Self, MultiTraceError> {
        self.map(fx, |t| chain(dfx_dx, t))
    }

    /// Apply a function of two arguments given its value and partials.
    #[inline(always)]
    pub fn apply_binary(
        &self,
        other: &MultiTrace,
        fxy: f64,
        dfxy_dx: f64,
        dfxy_dy: f64,
    ) -> Result<Self, MultiTraceError> {
        self.zip(other, fxy, |a, b| chain(dfxy_dx, a) + chain(dfxy_dy, b))
    }

    /// Apply a function of two arguments whose second operand is a constant (zero
    /// tangents), keeping its partial in the sum as [`Self::apply_binary`] would.
    ///
    /// The constant's term is `chain(dfxy_dy, 0.0)`: 0 or -0, which can change the
    /// sign of a zero tangent, so this matches a Trace pass with a constant operand.
    #[inline(always)]
    pub fn apply_binary_constant(
        &self,
        fxy: f64,
        dfxy_dx: f64,
        dfxy_dy: f64,
    ) -> Result<Self, MultiTraceError> {
        let constant_term = chain(dfxy_dy, 0.0);
        self.map(fxy, |a| chain(dfxy_dx, a) + constant_term)
    }

    /// An operation of the table on this MultiTrace.
    #[inline(always)]
    pub fn unary(&self, op: Unary) -> Result<Self, MultiTraceError> {
        let (v, d) = op.eval(self.number)?;
        self.apply_unary(v, d)
    }

    /// An operation of the table on two MultiTraces (`self` on the left).
    #[inline(always)]
    pub fn binary(&self, op: Binary, other: &MultiTrace) -> Result<Self, MultiTraceError> {
        if self.k() != other.k() {
            return Err(MultiTraceError::SizeMismatch(self.k(), other.k()));
        }
        let (v, dx, dy) = op.eval(self.number, other.number)?;
        self.apply_binary(other, v, dx, dy)
    }

    /// `self ⊕ c` for a constant `c` on the right.
    #[inline(always)]
    pub fn binary_const_rhs(&self, op: Binary, c: f64) -> Result<Self, MultiTraceError> {
        let (v, dx, _) = op.eval(self.number, c)?;
        self.apply_unary(v, dx)
    }

    /// `c ⊕ self` for a constant `c` on the left.
    #[inline(always)]
    pub fn binary_const_lhs(&self, op: Binary, c: f64) -> Result<Self, MultiTraceError> {
        let (v, _, dy) = op.eval(c, self.number)?;
        self.apply_unary(v, dy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Trace;

    /// Tangent `i` of `m` as a Trace.
    fn slice(m: &MultiTrace, i: usize) -> Trace {
        Trace {
            number: m.number,
            derivative: m.derivative[i],
        }
    }

    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits()
    }

    #[test]
    fn polynomial_gradient_in_one_pass() {
        // f(x, y) = 5x^3 - 4x^2 + 10x - y at (1, 2): gradient (17, -1).
        let x = MultiTrace::variable(1.0, 0, 2).unwrap();
        let y = MultiTrace::variable(2.0, 1, 2).unwrap();
        let x3 = x.binary_const_rhs(Binary::Pow, 3.0).unwrap();
        let x2 = x.binary_const_rhs(Binary::Pow, 2.0).unwrap();
        let a = x3.binary_const_lhs(Binary::Mul, 5.0).unwrap();
        let b = x2.binary_const_lhs(Binary::Mul, 4.0).unwrap();
        let c = x.binary_const_lhs(Binary::Mul, 10.0).unwrap();
        let f = a
            .binary(Binary::Sub, &b)
            .unwrap()
            .binary(Binary::Add, &c)
            .unwrap()
            .binary(Binary::Sub, &y)
            .unwrap();
        assert_eq!(f.number, 9.0);
        assert_eq!(&*f.derivative, &[17.0, -1.0]);
    }

    #[test]
    fn every_operation_matches_trace_tangent_by_tangent() {
        let tangents_x = [1.0, 0.0, -0.0, 2.5, f64::INFINITY, f64::NAN];
        let tangents_y = [0.0, 1.0, 3.0, -0.0, 0.0, 1.0];
        let values = [(3.0, 2.0), (0.0, 2.0), (-2.0, 3.0), (4.0, 0.5), (0.0, 0.0)];
        for (xv, yv) in values {
            let x = MultiTrace {
                number: xv,
                derivative: tangents_x.into(),
            };
            let y = MultiTrace {
                number: yv,
                derivative: tangents_y.into(),
            };
            for op in Unary::ALL {
                let Ok(m) = x.unary(op) else {
                    assert!(Trace::variable(xv).unary(op).is_err());
                    continue;
                };
                for i in 0..x.k() {
                    let t = slice(&x, i).unary(op).unwrap();
                    assert!(same(m.derivative[i], t.derivative), "{op:?} {xv} {i}");
                    assert!(same(m.number, t.number));
                }
            }
            for op in Binary::ALL {
                let both = x.binary(op, &y);
                let rhs = x.binary_const_rhs(op, yv);
                let lhs = y.binary_const_lhs(op, xv);
                for i in 0..x.k() {
                    let (tx, ty) = (slice(&x, i), slice(&y, i));
                    match (&both, tx.binary(op, ty)) {
                        (Ok(m), Ok(t)) => assert!(same(m.derivative[i], t.derivative)),
                        (Err(_), Err(_)) => {}
                        _ => panic!("{op:?} at ({xv}, {yv}): one mode raised"),
                    }
                    if let (Ok(m), Ok(t)) = (&rhs, tx.binary_const_rhs(op, yv)) {
                        assert!(same(m.derivative[i], t.derivative));
                    }
                    if let (Ok(m), Ok(t)) = (&lhs, ty.binary_const_lhs(op, xv)) {
                        assert!(same(m.derivative[i], t.derivative));
                    }
                }
            }
        }
    }

    #[test]
    fn a_constant_contributes_nothing_even_where_partials_are_infinite() {
        let zero = MultiTrace::constant(0.0, 3).unwrap();
        let root = zero.unary(Unary::Sqrt).unwrap();
        assert_eq!(&*root.derivative, &[0.0; 3]);
        let x = MultiTrace::variable(0.0, 1, 3).unwrap();
        let root = x.unary(Unary::Sqrt).unwrap();
        assert_eq!(&*root.derivative, &[0.0, f64::INFINITY, 0.0]);
        let product = x.binary(Binary::Mul, &root).unwrap();
        assert_eq!(&*product.derivative, &[0.0; 3]);
    }

    #[test]
    fn constant_term_of_a_custom_binary_keeps_the_sign_of_zero() {
        // chain(dx, -0.0) + chain(dy, 0.0): with dy = -1 the constant's term is -0.0.
        let x = MultiTrace {
            number: 1.0,
            derivative: [-0.0, 1.0].into(),
        };
        let m = x.apply_binary_constant(0.0, 1.0, -1.0).unwrap();
        assert!(same(m.derivative[0], -0.0));
        let m = x.apply_binary_constant(0.0, 1.0, 0.0).unwrap();
        assert!(same(m.derivative[0], 0.0));
    }

    #[test]
    fn sizes_must_match() {
        let a = MultiTrace::constant(1.0, 2).unwrap();
        let b = MultiTrace::constant(1.0, 3).unwrap();
        assert_eq!(
            a.binary(Binary::Add, &b),
            Err(MultiTraceError::SizeMismatch(2, 3))
        );
    }

    #[test]
    fn no_tangents_is_a_plain_number() {
        let a = MultiTrace::constant(2.0, 0).unwrap();
        let b = a.binary(Binary::Mul, &a).unwrap();
        assert_eq!(b.number, 4.0);
        assert_eq!(b.k(), 0);
    }

    #[test]
    fn too_many_tangents_is_out_of_memory_not_an_abort() {
        assert_eq!(
            MultiTrace::constant(0.0, usize::MAX / 4),
            Err(MultiTraceError::OutOfMemory)
        );
    }

    #[test]
    fn errors_pass_through() {
        let x = MultiTrace::variable(0.0, 0, 2).unwrap();
        assert!(matches!(
            x.unary(Unary::Ln),
            Err(MultiTraceError::Math(MathError::Domain(_)))
        ));
        assert!(matches!(
            x.binary_const_lhs(Binary::Div, 1.0),
            Err(MultiTraceError::Math(MathError::ZeroDivision(_)))
        ));
    }
}
