//! A block custom operation in forward mode: `k` inputs, `m` outputs, given by the user
//! as its values, its `m×k` Jacobian and optionally its `m×k×k` Hessians at the inputs'
//! numbers (`wengert.custom`). Each forward mode's outputs from those, by the chain rule
//! as the table's operations use it ([`chain`]: a zero partial contributes exactly 0).
//!
//! Arrays are row-major: `jacobian[j * k + i]` is `∂f_j/∂x_i`, `hessian[(j * k + i) * k + l]`
//! is `∂²f_j/∂x_i∂x_l`.

use crate::jet::{Jet, JetError};
use crate::multi_trace::{MultiTrace, MultiTraceError};
use crate::ops::chain;
use crate::trace::Trace;

/// A block's values and derivatives at the inputs' numbers.
#[derive(Clone, Copy, Debug)]
pub struct BlockAt<'a> {
    /// The `m` values.
    pub values: &'a [f64],
    /// The `m×k` Jacobian, row-major.
    pub jacobian: &'a [f64],
    /// The `m×k×k` Hessians (one `k×k` matrix per output), where given.
    pub hessian: Option<&'a [f64]>,
}

impl BlockAt<'_> {
    fn k(&self) -> usize {
        self.jacobian.len() / self.values.len().max(1)
    }

    /// `Σ_i chain(∂f_j/∂x_i, t(i))`: output `j`'s tangent from the inputs' tangents `t`.
    fn tangent(&self, j: usize, t: impl Fn(usize) -> f64) -> f64 {
        let k = self.k();
        let row = &self.jacobian[j * k..(j + 1) * k];
        row.iter().enumerate().map(|(i, &d)| chain(d, t(i))).sum()
    }
}

/// The outputs for Traces.
pub fn traces(inputs: &[Trace], at: BlockAt<'_>) -> Vec<Trace> {
    (0..at.values.len())
        .map(|j| Trace {
            number: at.values[j],
            derivative: at.tangent(j, |i| inputs[i].derivative),
        })
        .collect()
}

/// The outputs for MultiTraces: each tangent as a Trace pass seeded with it gives.
pub fn multi_traces(
    inputs: &[MultiTrace],
    at: BlockAt<'_>,
) -> Result<Vec<MultiTrace>, MultiTraceError> {
    let size = inputs.first().map_or(0, |x| x.k());
    for x in inputs {
        if x.k() != size {
            return Err(MultiTraceError::SizeMismatch(size, x.k()));
        }
    }
    let mut outputs = Vec::with_capacity(at.values.len());
    for j in 0..at.values.len() {
        let mut output = MultiTrace::constant(at.values[j], size)?;
        for (l, d) in output.derivative.iter_mut().enumerate() {
            *d = at.tangent(j, |i| inputs[i].derivative[l]);
        }
        outputs.push(output);
    }
    Ok(outputs)
}

/// The outputs for Jets: exact to order 1 from the Jacobian, to order 2 with the
/// Hessians; for inputs that do not vary, constants of any order.
pub fn jets(inputs: &[Jet], at: BlockAt<'_>) -> Result<Vec<Jet>, JetError> {
    let order = inputs.first().map_or(0, |x| x.order());
    for x in inputs {
        if x.order() != order {
            return Err(JetError::OrderMismatch(order, x.order()));
        }
    }
    let varies = inputs
        .iter()
        .any(|x| x.coefficients[1..].iter().any(|&c| c != 0.0));
    let mut outputs = Vec::with_capacity(at.values.len());
    for j in 0..at.values.len() {
        let mut output = Jet::constant(at.values[j], order)?;
        if varies {
            if order > 2 || (order == 2 && at.hessian.is_none()) {
                return Err(JetError::NoBlockRule(order));
            }
            let c = &mut output.coefficients;
            for p in 1..=order {
                c[p] = at.tangent(j, |i| inputs[i].coefficients[p]);
            }
            if let (2, Some(hessian)) = (order, at.hessian) {
                let k = inputs.len();
                let h = &hessian[j * k * k..(j + 1) * k * k];
                let mut quadratic = 0.0;
                for i in 0..k {
                    for l in 0..k {
                        let product = inputs[i].coefficients[1] * inputs[l].coefficients[1];
                        quadratic += chain(h[i * k + l], product);
                    }
                }
                c[2] += 0.5 * quadratic;
            }
        }
        outputs.push(output);
    }
    Ok(outputs)
}

/// The derivatives a block needs for Jets of these inputs (of one order): the order over
/// the degree of the first coefficient past the value that varies in any input (0 when
/// none varies), as for [`Jet::derivatives_needed`].
pub fn derivatives_needed(inputs: &[Jet]) -> usize {
    let first = inputs
        .iter()
        .filter_map(|x| x.coefficients[1..].iter().position(|&c| c != 0.0))
        .min();
    match (first, inputs.first()) {
        (Some(p), Some(x)) => x.order() / (p + 1),
        _ => 0,
    }
}

/// The outputs for Jets of any order from the block's derivative tensors at the inputs'
/// numbers: `tensors[n - 1]` is the `n`-th (`m×kⁿ`, row-major: the Jacobian, the
/// Hessians, ...), at least [`derivatives_needed`] of them. By the Taylor composition
/// rule, `f_j(x(t)) = Σ_n 1/n! · Σ_{i₁…iₙ} ∂ⁿf_j/∂x_{i₁}…∂x_{iₙ} · u_{i₁}(t)…u_{iₙ}(t)`
/// with `u = x(t) - x(0)`, each term by [`chain`]'s rule.
pub fn jets_of_any_order(
    inputs: &[Jet],
    values: &[f64],
    tensors: &[&[f64]],
) -> Result<Vec<Jet>, JetError> {
    let order = inputs.first().map_or(0, |x| x.order());
    for x in inputs {
        if x.order() != order {
            return Err(JetError::OrderMismatch(order, x.order()));
        }
    }
    let needed = derivatives_needed(inputs);
    if tensors.len() < needed {
        return Err(JetError::NoBlockRule(order));
    }
    let (m, k) = (values.len(), inputs.len());
    let mut outputs = values
        .iter()
        .map(|&v| Jet::constant(v, order))
        .collect::<Result<Vec<_>, _>>()?;
    // u_c: input c's series without its value.
    let u: Vec<Vec<f64>> = inputs
        .iter()
        .map(|x| {
            let mut c = x.coefficients.to_vec();
            c[0] = 0.0;
            c
        })
        .collect();
    let mut unit = vec![0.0; order + 1];
    unit[0] = 1.0;
    let mut factorial = 1.0;
    for (n, tensor) in tensors.iter().enumerate().take(needed) {
        let n = n + 1;
        factorial *= n as f64;
        let size = k.checked_pow(n as u32).ok_or(JetError::OutOfMemory)?;
        if tensor.len() != m * size {
            return Err(JetError::Length);
        }
        let mut visit = Composition {
            u: &u,
            tensor,
            size,
            scale: 1.0 / factorial,
            outputs: &mut outputs,
        };
        visit.tuples(n, 0, &unit);
    }
    Ok(outputs)
}

/// The terms of one order `n` of the composition rule, index tuple by index tuple.
struct Composition<'a> {
    u: &'a [Vec<f64>],
    tensor: &'a [f64],
    /// `kⁿ`: one output's share of the tensor.
    size: usize,
    /// `1 / n!`.
    scale: f64,
    outputs: &'a mut [Jet],
}

impl Composition<'_> {
    /// The tuples of `left` more indices after the ones making `index` (flat, row-major)
    /// whose product of series is `prefix`.
    fn tuples(&mut self, left: usize, index: usize, prefix: &[f64]) {
        if left == 0 {
            for (j, output) in self.outputs.iter_mut().enumerate() {
                let c = self.scale * self.tensor[j * self.size + index];
                for (out, &p) in output.coefficients[1..].iter_mut().zip(&prefix[1..]) {
                    *out += chain(c, p);
                }
            }
            return;
        }
        let k = self.u.len();
        for (i, u) in self.u.iter().enumerate() {
            if u.iter().all(|&c| c == 0.0) {
                continue; // a constant input: every term with it is 0
            }
            // prefix · u_i, truncated to the order.
            let product: Vec<f64> = (0..prefix.len())
                .map(|d| (1..=d).map(|e| u[e] * prefix[d - e]).sum())
                .collect();
            self.tuples(left - 1, index * k + i, &product);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// f(x, y) = (x·y, x + y²) at (2, 3): J = [[3, 2], [1, 6]], H₀ = [[0, 1], [1, 0]],
    /// H₁ = [[0, 0], [0, 2]].
    const VALUES: [f64; 2] = [6.0, 11.0];
    const JACOBIAN: [f64; 4] = [3.0, 2.0, 1.0, 6.0];
    const HESSIAN: [f64; 8] = [0.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 2.0];

    fn at(hessian: bool) -> BlockAt<'static> {
        BlockAt {
            values: &VALUES,
            jacobian: &JACOBIAN,
            hessian: hessian.then_some(&HESSIAN[..]),
        }
    }

    #[test]
    fn traces_and_multi_traces_follow_the_jacobian() {
        let out = traces(&[Trace::variable(2.0), Trace::constant(3.0)], at(false));
        assert_eq!(out[0].derivative, 3.0);
        assert_eq!(out[1].derivative, 1.0);
        let x = MultiTrace::variable(2.0, 0, 2).unwrap();
        let y = MultiTrace::variable(3.0, 1, 2).unwrap();
        let out = multi_traces(&[x.clone(), y], at(false)).unwrap();
        assert_eq!(&out[1].derivative[..], &[1.0, 6.0]);
        let z = MultiTrace::variable(3.0, 1, 3).unwrap();
        assert_eq!(
            multi_traces(&[x, z], at(false)),
            Err(MultiTraceError::SizeMismatch(2, 3))
        );
    }

    #[test]
    fn jets_to_order_two_with_the_hessian() {
        // Along x = 2 + t, y = 3 + 2t: f₀ = (2 + t)(3 + 2t) = 6 + 7t + 2t².
        let x = Jet::variable(2.0, 2).unwrap();
        let y = Jet {
            coefficients: vec![3.0, 2.0, 0.0].into(),
        };
        let out = jets(&[x.clone(), y.clone()], at(true)).unwrap();
        assert_eq!(&out[0].coefficients[..], &[6.0, 7.0, 2.0]);
        // f₁ = 2 + t + (3 + 2t)² = 11 + 13t + 4t².
        assert_eq!(&out[1].coefficients[..], &[11.0, 13.0, 4.0]);
        assert_eq!(
            jets(&[x.clone(), y], at(false)),
            Err(JetError::NoBlockRule(2))
        );
        let x3 = Jet::variable(2.0, 3).unwrap();
        let c3 = Jet::constant(3.0, 3).unwrap();
        assert_eq!(
            jets(&[x3, c3.clone()], at(true)),
            Err(JetError::NoBlockRule(3))
        );
        let constant = jets(&[c3.clone(), c3.clone()], at(false)).unwrap();
        assert_eq!(&constant[1].coefficients[..], &[11.0, 0.0, 0.0, 0.0]);
        assert_eq!(jets(&[x, c3], at(true)), Err(JetError::OrderMismatch(2, 3)));
    }

    #[test]
    fn jets_of_any_order_from_the_derivative_tensors() {
        // f(x, y) = (x·y, x + y²): its third derivatives are 0. Along x = 2 + t + t²,
        // y = 3 + 2t to order 4: f₀ = (2 + t + t²)(3 + 2t) = 6 + 7t + 5t² + 2t³,
        // f₁ = 2 + t + t² + (3 + 2t)² = 11 + 13t + 5t².
        let x = Jet {
            coefficients: vec![2.0, 1.0, 1.0, 0.0, 0.0].into(),
        };
        let y = Jet {
            coefficients: vec![3.0, 2.0, 0.0, 0.0, 0.0].into(),
        };
        let inputs = [x, y];
        assert_eq!(derivatives_needed(&inputs), 4);
        let third = [0.0; 16];
        let fourth = [0.0; 32];
        let tensors: [&[f64]; 4] = [&JACOBIAN, &HESSIAN, &third, &fourth];
        let out = jets_of_any_order(&inputs, &VALUES, &tensors).unwrap();
        assert_eq!(&out[0].coefficients[..], &[6.0, 7.0, 5.0, 2.0, 0.0]);
        assert_eq!(&out[1].coefficients[..], &[11.0, 13.0, 5.0, 0.0, 0.0]);
        assert_eq!(
            jets_of_any_order(&inputs, &VALUES, &tensors[..3]),
            Err(JetError::NoBlockRule(4))
        );
        // Order 2 equals jets() with the Hessian.
        let x2 = Jet::variable(2.0, 2).unwrap();
        let y2 = Jet {
            coefficients: vec![3.0, 2.0, 0.0].into(),
        };
        let both = [x2, y2];
        let series = jets_of_any_order(&both, &VALUES, &tensors[..2]).unwrap();
        assert_eq!(series, jets(&both, at(true)).unwrap());
    }
}
