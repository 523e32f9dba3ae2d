//! Second order: Hessians and Hessian-vector products by forward-over-reverse,
//! [`LANES`] directions at a time.

use super::{filled, Customs, Program, ReplayError, Scratch, Value, LANES};
use crate::ops::chain;
use crate::tape::{Entry, NO_OPERAND};

/// An entry's partials and operands, and its operands' tangents (0 for an absent one).
#[inline(always)]
fn operand_tangents(
    entry: Entry,
    tangents: &[[f64; LANES]],
) -> ([f64; 2], [u32; 2], [[f64; LANES]; 2]) {
    let [a, b] = entry.operands;
    let tb = if b == NO_OPERAND {
        [0.0; LANES]
    } else {
        tangents[b as usize]
    };
    (entry.partials, [a, b], [tangents[a as usize], tb])
}

/// True when every lane is 0.
#[inline(always)]
fn all_zero(lanes: &[f64; LANES]) -> bool {
    lanes.iter().fold(true, |all, &x| all & (x == 0.0))
}

/// True when some lane is NaN.
#[inline(always)]
fn any_nan(lanes: &[f64; LANES]) -> bool {
    lanes.iter().fold(false, |any, &x| any | x.is_nan())
}

impl Program {
    /// Output `k`'s value and Hessian at `x` (the Hessian row-major, n × n), by
    /// forward-over-reverse.
    pub fn hessian(
        &self,
        x: &[f64],
        k: usize,
        hessian: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<f64, ReplayError> {
        let n = self.inputs;
        if hessian.len() != n * n {
            return Err(ReplayError::Length);
        }
        self.second_order_setup(x, k, scratch, customs)?;
        let mut j = 0;
        while j < n {
            let lanes = LANES.min(n - j);
            let seed = |t: &mut [[f64; LANES]]| {
                for l in 0..lanes {
                    t[j + l][l] = 1.0;
                }
            };
            self.hessian_lanes(self.output_end(k), scratch, seed)?;
            // Column j + l of the Hessian is H·e_(j+l); it is symmetric, so write rows.
            for (row, lane) in scratch.adjoint_tangents[..n].iter().enumerate() {
                for l in 0..lanes {
                    hessian[(j + l) * n + row] = lane[l];
                }
            }
            j += lanes;
        }
        Ok(self.output_value(scratch, k))
    }

    /// Output `k`'s value and the Hessian-vector product `H·v` at `x`.
    pub fn hvp(
        &self,
        x: &[f64],
        k: usize,
        v: &[f64],
        product: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<f64, ReplayError> {
        if v.len() != self.inputs || product.len() != self.inputs {
            return Err(ReplayError::Length);
        }
        self.second_order_setup(x, k, scratch, customs)?;
        self.hessian_lanes(self.output_end(k), scratch, |t| {
            for (lane, &vj) in t.iter_mut().zip(v) {
                lane[0] = vj;
            }
        })?;
        for (p, lane) in product.iter_mut().zip(&scratch.adjoint_tangents) {
            *p = lane[0];
        }
        Ok(self.output_value(scratch, k))
    }

    /// The forward pass with second derivatives and the gradient's sweep (left in
    /// `scratch.adjoints`), which every direction of a Hessian shares.
    fn second_order_setup(
        &self,
        x: &[f64],
        k: usize,
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<(), ReplayError> {
        self.forward(x, scratch, customs, true)?;
        self.sweep_output(scratch, k)?;
        // A custom operation without second derivatives matters only where the output
        // depends on it; elsewhere its second derivatives (NaN) meet an adjoint of 0,
        // which `chain` makes a contribution of 0.
        match scratch
            .missing_seconds
            .iter()
            .find(|&&entry| scratch.adjoints[entry] != 0.0)
        {
            Some(&entry) => Err(ReplayError::NoSecondDerivative { entry }),
            None => Ok(()),
        }
    }

    /// One past output `k`'s entry (0 for a constant output, whose Hessian is 0).
    fn output_end(&self, k: usize) -> usize {
        match self.outputs[k] {
            Value::Entry(output) => output as usize + 1,
            Value::Constant(_) => 0,
        }
    }

    /// Up to [`LANES`] Hessian-vector products at once, of the function whose adjoints
    /// are in `scratch.adjoints` (entries from `end` on are not on its paths): `seed`
    /// sets the directions on the inputs' tangents; `H·v` for each lane is left in the
    /// first n elements of `scratch.adjoint_tangents`. Needs the forward pass with
    /// second derivatives and the sweep ([`Program::second_order_setup`]).
    pub(super) fn hessian_lanes(
        &self,
        end: usize,
        scratch: &mut Scratch,
        seed: impl FnOnce(&mut [[f64; LANES]]),
    ) -> Result<(), ReplayError> {
        let len = self.len();
        let n = self.inputs;
        filled(&mut scratch.tangents, len, [0.0; LANES])?;
        filled(&mut scratch.adjoint_tangents, len, [0.0; LANES])?;
        if end == 0 {
            return Ok(()); // a constant: its Hessian is 0
        }
        let Scratch {
            entries,
            seconds,
            adjoints,
            tangents,
            adjoint_tangents,
            ..
        } = scratch;
        seed(&mut tangents[..n]);
        // Forward: each entry's tangent along every direction. Plain arithmetic first;
        // only where that gives a NaN is it done again with `chain`'s rule for 0 times
        // infinity (the same numbers wherever no NaN arises).
        for i in n..end {
            let ([pa, pb], _, [ta, tb]) = operand_tangents(entries[i], tangents);
            if all_zero(&ta) && all_zero(&tb) {
                continue; // its tangents stay 0: no direction reaches this entry
            }
            let mut t = [0.0; LANES];
            for l in 0..LANES {
                t[l] = pa * ta[l] + pb * tb[l];
            }
            if any_nan(&t) {
                for l in 0..LANES {
                    t[l] = chain(pa, ta[l]) + chain(pb, tb[l]);
                }
            }
            tangents[i] = t;
        }
        // Backward: the tangents of the adjoints. With λ the adjoint and λ' its tangent,
        // an entry passes λ·p to each operand's adjoint, so λ'·p + λ·p' to its tangent,
        // where p' = (second derivatives) · (the operands' tangents).
        for i in (n..end).rev() {
            let lambda = adjoints[i];
            let dot = adjoint_tangents[i];
            let ([pa, pb], [a, b], [ta, tb]) = operand_tangents(entries[i], tangents);
            if all_zero(&dot) && (lambda == 0.0 || all_zero(&ta) && all_zero(&tb)) {
                continue; // it passes on nothing
            }
            let [haa, hab, hbb] = seconds[i];
            let mut to_a = [0.0; LANES];
            let mut to_b = [0.0; LANES];
            for l in 0..LANES {
                to_a[l] = (haa * ta[l] + hab * tb[l]) * lambda + pa * dot[l];
                to_b[l] = (hab * ta[l] + hbb * tb[l]) * lambda + pb * dot[l];
            }
            if any_nan(&to_a) || any_nan(&to_b) {
                for l in 0..LANES {
                    let pa_dot = chain(haa, ta[l]) + chain(hab, tb[l]);
                    let pb_dot = chain(hab, ta[l]) + chain(hbb, tb[l]);
                    to_a[l] = chain(pa_dot, lambda) + chain(pa, dot[l]);
                    to_b[l] = chain(pb_dot, lambda) + chain(pb, dot[l]);
                }
            }
            for l in 0..LANES {
                adjoint_tangents[a as usize][l] += to_a[l];
            }
            if b != NO_OPERAND {
                for l in 0..LANES {
                    adjoint_tangents[b as usize][l] += to_b[l];
                }
            }
        }
        Ok(())
    }
}
