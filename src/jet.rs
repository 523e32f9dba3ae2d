//! Taylor mode without a recording: a [`Jet`], a number carrying the Taylor
//! coefficients of its value along one direction, to a fixed order.
//!
//! `x = Σ coefficients[k] t^k`: a variable at `x0` is `x0 + t`, and every operation
//! gives the truncated Taylor series of its result by the table's rules
//! ([`crate::ops`], `taylor.rs`): coefficient 0 is the value as for floats and
//! coefficient 1 the derivative as a [`crate::trace::Trace`] gives it, bit for bit.
//! Jets of different orders do not combine.

use std::cell::RefCell;

use crate::ops::{chain, Binary, MathError, TaylorError, Unary, TAYLOR_SCRATCH};

/// Why an operation on Jets has no result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JetError {
    /// The operation itself has no real value (as for floats).
    Math(MathError),
    /// The operands have different orders (left, right).
    OrderMismatch(usize, usize),
    /// A custom operation (given by its value and first derivatives) on a Jet of this
    /// order past 1 whose operand varies: its higher derivatives are unknown.
    NoTaylorRule(usize),
    /// A block custom operation (given by its Jacobian, and its Hessians where given) on
    /// Jets of this order whose inputs vary: order 2 without the Hessians, or past 2.
    NoBlockRule(usize),
    /// The coefficients do not fit in memory.
    OutOfMemory,
    /// A Taylor rule was given series of different lengths (a Jet's own operations
    /// never do).
    Length,
}

impl From<MathError> for JetError {
    fn from(error: MathError) -> Self {
        JetError::Math(error)
    }
}

impl From<TaylorError> for JetError {
    fn from(error: TaylorError) -> Self {
        match error {
            TaylorError::Math(error) => JetError::Math(error),
            TaylorError::Length => JetError::Length,
        }
    }
}

/// A value and its Taylor coefficients along a direction, to order `coefficients.len() - 1`.
#[derive(Clone, Debug, PartialEq)]
pub struct Jet {
    pub coefficients: Box<[f64]>,
}

thread_local! {
    /// The table's working memory, reused from operation to operation.
    static SCRATCH: RefCell<Vec<f64>> = const { RefCell::new(Vec::new()) };
}

/// `n` coefficients, all 0, in one allocation that may fail.
fn zeros(n: usize) -> Result<Box<[f64]>, JetError> {
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| JetError::OutOfMemory)?;
    v.resize(n, 0.0);
    Ok(v.into_boxed_slice())
}

/// `f(out, scratch)` with a result of `n` coefficients and the table's scratch.
fn with_scratch(
    n: usize,
    f: impl FnOnce(&mut [f64], &mut [f64]) -> Result<(), TaylorError>,
) -> Result<Jet, JetError> {
    let mut out = zeros(n)?;
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        let size = TAYLOR_SCRATCH * n;
        let have = scratch.len();
        if have < size {
            scratch
                .try_reserve(size - have)
                .map_err(|_| JetError::OutOfMemory)?;
            scratch.resize(size, 0.0);
        }
        f(&mut out, &mut scratch[..size]).map_err(JetError::from)
    })?;
    Ok(Jet { coefficients: out })
}

impl Jet {
    /// A constant `c` to `order`.
    pub fn constant(c: f64, order: usize) -> Result<Jet, JetError> {
        let n = order.checked_add(1).ok_or(JetError::OutOfMemory)?;
        let mut coefficients = zeros(n)?;
        coefficients[0] = c;
        Ok(Jet { coefficients })
    }

    /// The variable `x + t` to `order` (derivative 1 along the direction).
    pub fn variable(x: f64, order: usize) -> Result<Jet, JetError> {
        let mut jet = Jet::constant(x, order)?;
        if order > 0 {
            jet.coefficients[1] = 1.0;
        }
        Ok(jet)
    }

    /// The value.
    #[inline(always)]
    pub fn number(&self) -> f64 {
        self.coefficients[0]
    }

    /// The order: the highest power of `t` kept.
    #[inline(always)]
    pub fn order(&self) -> usize {
        self.coefficients.len() - 1
    }

    /// The derivatives `d^k/dt^k` at `t = 0`: `k! · coefficients[k]`.
    pub fn derivatives(&self) -> Vec<f64> {
        let mut d = self.coefficients.to_vec();
        crate::replay::to_derivatives(&mut d);
        d
    }

    fn same_order(&self, other: &Jet) -> Result<(), JetError> {
        if self.order() != other.order() {
            return Err(JetError::OrderMismatch(self.order(), other.order()));
        }
        Ok(())
    }

    /// An operation of the table on this Jet.
    pub fn unary(&self, op: Unary) -> Result<Jet, JetError> {
        with_scratch(self.coefficients.len(), |out, scratch| {
            op.taylor(&self.coefficients, out, scratch)
        })
    }

    /// An operation of the table on two Jets (`self` on the left).
    pub fn binary(&self, op: Binary, other: &Jet) -> Result<Jet, JetError> {
        self.same_order(other)?;
        with_scratch(self.coefficients.len(), |out, scratch| {
            op.taylor(&self.coefficients, &other.coefficients, out, scratch)
        })
    }

    /// `self ⊕ c` for a constant `c` on the right.
    pub fn binary_const_rhs(&self, op: Binary, c: f64) -> Result<Jet, JetError> {
        with_scratch(self.coefficients.len(), |out, scratch| {
            op.taylor_right(&self.coefficients, c, out, scratch)
        })
    }

    /// `c ⊕ self` for a constant `c` on the left.
    pub fn binary_const_lhs(&self, op: Binary, c: f64) -> Result<Jet, JetError> {
        with_scratch(self.coefficients.len(), |out, scratch| {
            op.taylor_left(c, &self.coefficients, out, scratch)
        })
    }

    /// A step function of `self` (`round()`) with value `value`: its derivatives are 0
    /// (coefficient 1 as a Trace's, `0 · derivative`).
    pub fn step(&self, value: f64) -> Result<Jet, JetError> {
        let mut result = Jet::constant(value, self.order())?;
        if self.order() > 0 {
            result.coefficients[1] = chain(0.0, self.coefficients[1]);
        }
        Ok(result)
    }

    /// How many derivatives of a custom function of one argument a Jet of this order needs
    /// (Faà di Bruno: `u(t)^n` with `u = x(t) - x(0)` vanishes to the order when `n · p`
    /// exceeds it, `p` the degree of `u`'s first nonzero coefficient): 0 for a constant.
    pub fn derivatives_needed(&self) -> usize {
        match self.coefficients[1..].iter().position(|&c| c != 0.0) {
            Some(p) => self.order() / (p + 1),
            None => 0,
        }
    }

    /// A custom function `f` of `self` given its derivatives at the value,
    /// `derivatives[n] = f⁽ⁿ⁾(x(0))` for `n` from 0 to at least
    /// [`Jet::derivatives_needed`]: `f(x(t)) = Σ f⁽ⁿ⁾ / n! · u(t)ⁿ` with `u = x(t) - x(0)`,
    /// each term by [`chain`]'s rule (coefficient 1 is a Trace's, 2 `apply_custom_second`'s).
    /// Too few derivatives: [`JetError::NoTaylorRule`].
    pub fn apply_unary_derivatives(&self, derivatives: &[f64]) -> Result<Jet, JetError> {
        let order = self.order();
        let needed = self.derivatives_needed();
        if derivatives.len() <= needed {
            return Err(JetError::NoTaylorRule(order));
        }
        let mut result = Jet::constant(derivatives[0], order)?;
        if needed == 0 {
            return Ok(result);
        }
        let mut u = zeros(order + 1)?;
        u[1..].copy_from_slice(&self.coefficients[1..]);
        let mut power = u.clone();
        let mut next = zeros(order + 1)?;
        let mut factorial = 1.0;
        for (n, &derivative) in derivatives.iter().enumerate().take(needed + 1).skip(1) {
            factorial *= n as f64;
            let c = derivative / factorial;
            for (out, &p) in result.coefficients[1..].iter_mut().zip(&power[1..]) {
                *out += chain(c, p);
            }
            if n < needed {
                // power ← power · u, truncated to the order (both start at degree ≥ 1).
                for k in 0..=order {
                    next[k] = (1..k).map(|j| power[j] * u[k - j]).sum();
                }
                std::mem::swap(&mut power, &mut next);
            }
        }
        Ok(result)
    }

    /// True when a custom function of `self` (and `other`) needs its second partials:
    /// an operand varies and the order is 2.
    pub fn needs_second(&self, other: Option<&Jet>) -> bool {
        let varies = |jet: &Jet| jet.coefficients[1..].iter().any(|&c| c != 0.0);
        self.order() == 2 && (varies(self) || other.is_some_and(varies))
    }

    /// [`Jet::apply_custom`] with the second partials `[∂²/∂x², ∂²/∂x∂y, ∂²/∂y²]`:
    /// exact to order 2.
    pub fn apply_custom_second(
        &self,
        other: Option<&Jet>,
        value: f64,
        (dx, dy): (f64, f64),
        [hxx, hxy, hyy]: [f64; 3],
    ) -> Result<Jet, JetError> {
        if self.order() != 2 {
            return self.apply_custom(other, value, dx, dy);
        }
        let mut result = self.apply_custom_first(other, value, dx, dy)?;
        let zero = [0.0; 3];
        let y = other.map_or(&zero[..], |o| &o.coefficients[..]);
        let x = &self.coefficients;
        let (x1, y1) = (x[1], y[1]);
        let quadratic = chain(hxx, x1 * x1) + 2.0 * chain(hxy, x1 * y1) + chain(hyy, y1 * y1);
        result.coefficients[2] = 0.5 * quadratic + chain(dx, x[2]) + chain(dy, y[2]);
        Ok(result)
    }

    /// Coefficients 0 and 1 of a custom function (the others 0), its operands checked.
    fn apply_custom_first(
        &self,
        other: Option<&Jet>,
        value: f64,
        dx: f64,
        dy: f64,
    ) -> Result<Jet, JetError> {
        if let Some(other) = other {
            self.same_order(other)?;
        }
        let mut result = Jet::constant(value, self.order())?;
        if self.order() > 0 {
            let other_first = other.map_or(0.0, |o| o.coefficients[1]);
            result.coefficients[1] = chain(dx, self.coefficients[1]) + chain(dy, other_first);
        }
        Ok(result)
    }

    /// A custom function of `self` (and `other`, a constant without one) given its value
    /// and first partials: exact to order 1, and for operands that do not vary.
    pub fn apply_custom(
        &self,
        other: Option<&Jet>,
        value: f64,
        dx: f64,
        dy: f64,
    ) -> Result<Jet, JetError> {
        if let Some(other) = other {
            self.same_order(other)?;
        }
        let varies = |jet: &Jet| jet.coefficients[1..].iter().any(|&c| c != 0.0);
        let vary = varies(self) || other.is_some_and(varies);
        let mut result = Jet::constant(value, self.order())?;
        if !vary {
            return Ok(result);
        }
        if self.order() > 1 {
            return Err(JetError::NoTaylorRule(self.order()));
        }
        let other_first = other.map_or(0.0, |o| o.coefficients[1]);
        result.coefficients[1] = chain(dx, self.coefficients[1]) + chain(dy, other_first);
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Trace;

    #[test]
    fn order_one_is_a_trace_bit_for_bit() {
        let x = Jet::variable(0.7, 1).unwrap();
        let t = Trace::variable(0.7);
        let jet = x
            .unary(Unary::Sin)
            .unwrap()
            .binary(Binary::Mul, &x.unary(Unary::Exp).unwrap())
            .unwrap()
            .binary_const_lhs(Binary::Div, 3.0)
            .unwrap();
        let trace = t
            .unary(Unary::Sin)
            .unwrap()
            .binary(Binary::Mul, t.unary(Unary::Exp).unwrap())
            .unwrap()
            .binary_const_lhs(Binary::Div, 3.0)
            .unwrap();
        assert_eq!(jet.coefficients[0].to_bits(), trace.number.to_bits());
        assert_eq!(jet.coefficients[1].to_bits(), trace.derivative.to_bits());
    }

    #[test]
    fn derivatives_of_exp_and_errors() {
        let e = Jet::variable(0.5, 6).unwrap().unary(Unary::Exp).unwrap();
        for d in e.derivatives() {
            assert!((d - 0.5f64.exp()).abs() < 1e-15);
        }
        let a = Jet::variable(1.0, 2).unwrap();
        let b = Jet::variable(1.0, 3).unwrap();
        assert_eq!(
            a.binary(Binary::Add, &b),
            Err(JetError::OrderMismatch(2, 3))
        );
        assert!(matches!(
            Jet::variable(-1.0, 3).unwrap().unary(Unary::Ln),
            Err(JetError::Math(MathError::Domain(_)))
        ));
        assert_eq!(
            a.apply_custom(None, 1.0, 2.0, 0.0),
            Err(JetError::NoTaylorRule(2))
        );
        let c = Jet::constant(1.0, 4).unwrap();
        let custom = c.apply_custom(None, 5.0, f64::INFINITY, 0.0).unwrap();
        assert_eq!(&custom.coefficients[..], &[5.0, 0.0, 0.0, 0.0, 0.0]);
        let first = Jet::variable(2.0, 1).unwrap();
        let custom = first.apply_custom(None, 8.0, 12.0, 0.0).unwrap();
        assert_eq!(&custom.coefficients[..], &[8.0, 12.0]);
    }

    #[test]
    fn a_custom_function_with_its_derivatives_is_exact_to_any_order() {
        // exp through its derivatives (all e^x) equals the table's exp, along x + t + t².
        let x = Jet {
            coefficients: vec![0.3, 1.0, 1.0, 0.0, 0.0, 0.0].into(),
        };
        let e = 0.3f64.exp();
        let custom = x.apply_unary_derivatives(&[e; 6]).unwrap();
        let table = x.unary(Unary::Exp).unwrap();
        for (a, b) in custom.coefficients.iter().zip(table.coefficients.iter()) {
            assert!(
                (a - b).abs() < 1e-15 * b.abs().max(1.0),
                "{custom:?} {table:?}"
            );
        }
        assert_eq!(x.derivatives_needed(), 5);
        assert_eq!(
            x.apply_unary_derivatives(&[e; 5]),
            Err(JetError::NoTaylorRule(5))
        );
        // x + t³ at order 5 needs one derivative; a constant none.
        let cubic = Jet {
            coefficients: vec![0.3, 0.0, 0.0, 1.0, 0.0, 0.0].into(),
        };
        assert_eq!(cubic.derivatives_needed(), 1);
        let sine = cubic
            .apply_unary_derivatives(&[0.3f64.sin(), 0.3f64.cos()])
            .unwrap();
        assert_eq!(sine.coefficients[3], 0.3f64.cos());
        assert_eq!(Jet::constant(1.0, 4).unwrap().derivatives_needed(), 0);
        // Order 1 and 2 agree with apply_custom and apply_custom_second bit for bit.
        let second = Jet::variable(0.7, 2).unwrap();
        let (v, d, h) = (0.7f64.sin(), 0.7f64.cos(), -(0.7f64.sin()));
        assert_eq!(
            second.apply_unary_derivatives(&[v, d, h]).unwrap(),
            second
                .apply_custom_second(None, v, (d, 0.0), [h, 0.0, 0.0])
                .unwrap()
        );
    }
}
