//! Forward mode: the dual number `number + derivative·ε`.

use crate::ops::{chain, Binary, MathError, Unary};

/// A dual number: a value and its derivative with respect to one chosen input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trace {
    pub number: f64,
    pub derivative: f64,
}

impl Trace {
    /// A value with derivative 0.
    #[inline]
    pub fn constant(number: f64) -> Self {
        Trace {
            number,
            derivative: 0.0,
        }
    }

    /// The input: a value with derivative 1.
    #[inline]
    pub fn variable(number: f64) -> Self {
        Trace {
            number,
            derivative: 1.0,
        }
    }

    /// Apply a function of one argument given its value and derivative at `self.number`.
    #[inline(always)]
    pub fn apply_unary(self, fx: f64, dfx_dx: f64) -> Self {
        Trace {
            number: fx,
            derivative: chain(dfx_dx, self.derivative),
        }
    }

    /// Apply a function of two arguments given its value and partials.
    #[inline(always)]
    pub fn apply_binary(self, other: Trace, fxy: f64, dfxy_dx: f64, dfxy_dy: f64) -> Self {
        Trace {
            number: fxy,
            derivative: chain(dfxy_dx, self.derivative) + chain(dfxy_dy, other.derivative),
        }
    }

    /// An operation of the table on this Trace.
    #[inline(always)]
    pub fn unary(self, op: Unary) -> Result<Self, MathError> {
        let (v, d) = op.eval(self.number)?;
        Ok(self.apply_unary(v, d))
    }

    /// An operation of the table on two Traces (`self` on the left).
    #[inline(always)]
    pub fn binary(self, op: Binary, other: Trace) -> Result<Self, MathError> {
        let (v, dx, dy) = op.eval(self.number, other.number)?;
        Ok(self.apply_binary(other, v, dx, dy))
    }

    /// `self ⊕ c` for a constant `c` on the right.
    #[inline(always)]
    pub fn binary_const_rhs(self, op: Binary, c: f64) -> Result<Self, MathError> {
        let (v, dx, _) = op.eval(self.number, c)?;
        Ok(self.apply_unary(v, dx))
    }

    /// `c ⊕ self` for a constant `c` on the left.
    #[inline(always)]
    pub fn binary_const_lhs(self, op: Binary, c: f64) -> Result<Self, MathError> {
        let (v, _, dy) = op.eval(c, self.number)?;
        Ok(self.apply_unary(v, dy))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polynomial() {
        // f(x, y) = 5x^3 - 4x^2 + 10x - y at x = 1, y = 2: df/dx = 15x^2 - 8x + 10 = 17.
        let f = |x: Trace, y: Trace| -> Trace {
            let x3 = x.binary_const_rhs(Binary::Pow, 3.0).unwrap();
            let x2 = x.binary_const_rhs(Binary::Pow, 2.0).unwrap();
            let a = x3.binary_const_lhs(Binary::Mul, 5.0).unwrap();
            let b = x2.binary_const_lhs(Binary::Mul, 4.0).unwrap();
            let c = x.binary_const_lhs(Binary::Mul, 10.0).unwrap();
            a.binary(Binary::Sub, b)
                .unwrap()
                .binary(Binary::Add, c)
                .unwrap()
                .binary(Binary::Sub, y)
                .unwrap()
        };
        let dx = f(Trace::variable(1.0), Trace::constant(2.0));
        assert_eq!(
            dx,
            Trace {
                number: 9.0,
                derivative: 17.0
            }
        );
        let dy = f(Trace::constant(1.0), Trace::variable(2.0));
        assert_eq!(
            dy,
            Trace {
                number: 9.0,
                derivative: -1.0
            }
        );
    }

    #[test]
    fn cartesian() {
        // x = r cos a, y = r sin a at r = 1, a = 2.
        let (r, a) = (Trace::variable(1.0), Trace::constant(2.0));
        let x = r.binary(Binary::Mul, a.unary(Unary::Cos).unwrap()).unwrap();
        let y = r.binary(Binary::Mul, a.unary(Unary::Sin).unwrap()).unwrap();
        assert_eq!(x.derivative, 2f64.cos());
        assert_eq!(y.derivative, 2f64.sin());
        let (r, a) = (Trace::constant(1.0), Trace::variable(2.0));
        let x = r.binary(Binary::Mul, a.unary(Unary::Cos).unwrap()).unwrap();
        let y = r.binary(Binary::Mul, a.unary(Unary::Sin).unwrap()).unwrap();
        assert_eq!(x.derivative, -(2f64.sin()));
        assert_eq!(y.derivative, 2f64.cos());
    }

    #[test]
    fn constants_contribute_nothing_even_where_partials_are_infinite() {
        // sqrt of a constant 0: the partial is inf, the tangent 0.
        assert_eq!(
            Trace::constant(0.0).unary(Unary::Sqrt).unwrap().derivative,
            0.0
        );
        // (-2)^c with a constant exponent c given as a Trace: d/dy involves ln(-2).
        let x = Trace::variable(-2.0);
        let y = Trace::constant(2.0);
        assert_eq!(
            x.binary(Binary::Pow, y).unwrap(),
            Trace {
                number: 4.0,
                derivative: -4.0
            }
        );
    }

    #[test]
    fn zero_partials_stop_infinite_tangents() {
        // sqrt(x) * 0 at x = 0, and x * sqrt(x) = x^1.5 at 0: both have derivative 0.
        let root = Trace::variable(0.0).unary(Unary::Sqrt).unwrap();
        assert_eq!(root.derivative, f64::INFINITY);
        assert_eq!(
            root.binary_const_rhs(Binary::Mul, 0.0).unwrap().derivative,
            0.0
        );
        let x = Trace::variable(0.0);
        assert_eq!(x.binary(Binary::Mul, root).unwrap().derivative, 0.0);
    }

    #[test]
    fn errors_pass_through() {
        assert!(Trace::variable(1.0)
            .binary_const_rhs(Binary::Div, 0.0)
            .is_err());
        assert!(Trace::variable(0.0).unary(Unary::Ln).is_err());
    }
}
