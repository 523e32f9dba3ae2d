//! Second order: Hessians and Hessian-vector products by forward-over-reverse,
//! [`LANES`] directions at a time (one for a Hessian-vector product; as many as a
//! sparse Hessian's colours need, `compressed.rs`).

use super::{filled, Customs, Program, ReplayError, Scratch, Value, LANES};
use crate::ops::chain;
use crate::tape::{Entry, NO_OPERAND};

/// An entry's partials and operands, and its operands' tangents (0 for an absent one).
#[inline(always)]
fn operand_tangents<const L: usize>(
    entry: Entry,
    tangents: &[[f64; L]],
) -> ([f64; 2], [u32; 2], [[f64; L]; 2]) {
    let [a, b] = entry.operands;
    let tb = if b == NO_OPERAND {
        [0.0; L]
    } else {
        tangents[b as usize]
    };
    (entry.partials, [a, b], [tangents[a as usize], tb])
}

/// True when every lane is 0.
#[inline(always)]
fn all_zero<const L: usize>(lanes: &[f64; L]) -> bool {
    lanes.iter().fold(true, |all, &x| all & (x == 0.0))
}

/// True when some lane is NaN.
#[inline(always)]
fn any_nan<const L: usize>(lanes: &[f64; L]) -> bool {
    lanes.iter().fold(false, |any, &x| any | x.is_nan())
}

/// `flat` as lanes of `L` (a Hessian pass's tangents), the remainder left out.
pub(super) fn lanes_of<const L: usize>(flat: &[f64]) -> &[[f64; L]] {
    let len = flat.len().checked_div(L).unwrap_or(0);
    // SAFETY: `[f64; L]` has the alignment of f64 and the size of L of them, and
    // `len * L <= flat.len()`.
    unsafe { std::slice::from_raw_parts(flat.as_ptr().cast(), len) }
}

/// `flat` as lanes of `L`, mutable.
fn lanes_of_mut<const L: usize>(flat: &mut [f64]) -> &mut [[f64; L]] {
    let len = flat.len().checked_div(L).unwrap_or(0);
    // SAFETY: as in `lanes_of`, and `flat` is borrowed mutably for the result's life.
    unsafe { std::slice::from_raw_parts_mut(flat.as_mut_ptr().cast(), len) }
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
            self.hessian_lanes::<LANES>(self.output_end(k), scratch, seed)?;
            // Column j + l of the Hessian is H·e_(j+l); it is symmetric, so write rows.
            for (row, lane) in lanes_of::<LANES>(&scratch.adjoint_tangents)[..n]
                .iter()
                .enumerate()
            {
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
        // One direction: one lane.
        self.hessian_lanes::<1>(self.output_end(k), scratch, |t| {
            for (lane, &vj) in t.iter_mut().zip(v) {
                lane[0] = vj;
            }
        })?;
        for (p, lane) in product
            .iter_mut()
            .zip(lanes_of::<1>(&scratch.adjoint_tangents))
        {
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

    /// `L` Hessian-vector products at once, of the function whose adjoints
    /// are in `scratch.adjoints` (entries from `end` on are not on its paths): `seed`
    /// sets the directions on the inputs' tangents; `H·v` for each lane is left in the
    /// first n elements of `scratch.adjoint_tangents` (as `[f64; L]`: [`lanes_of`]). Needs the forward pass with
    /// second derivatives and the sweep ([`Program::second_order_setup`]).
    pub(super) fn hessian_lanes<const L: usize>(
        &self,
        end: usize,
        scratch: &mut Scratch,
        seed: impl FnOnce(&mut [[f64; L]]),
    ) -> Result<(), ReplayError> {
        let len = self.len();
        let n = self.inputs;
        let size = len.checked_mul(L).ok_or(ReplayError::OutOfMemory)?;
        filled(&mut scratch.tangents, size, 0.0)?;
        filled(&mut scratch.adjoint_tangents, size, 0.0)?;
        if end == 0 {
            return Ok(()); // a constant: its Hessian is 0
        }
        let Scratch {
            entries,
            seconds,
            adjoints,
            tangents,
            adjoint_tangents,
            block_partials,
            block_seconds,
            ..
        } = scratch;
        let tangents = lanes_of_mut::<L>(tangents);
        let adjoint_tangents = lanes_of_mut::<L>(adjoint_tangents);
        seed(&mut tangents[..n]);
        // Forward: each entry's tangent along every direction. Plain arithmetic first;
        // only where that gives a NaN is it done again with `chain`'s rule for 0 times
        // infinity (the same numbers wherever no NaN arises).
        for i in n..end {
            if let Some(output) = self.block_output(i) {
                tangents[i] = self.block_lane_tangent(output, tangents, block_partials);
                continue;
            }
            let ([pa, pb], _, [ta, tb]) = operand_tangents(entries[i], tangents);
            if all_zero(&ta) && all_zero(&tb) {
                continue; // its tangents stay 0: no direction reaches this entry
            }
            let mut t = [0.0; L];
            for l in 0..L {
                t[l] = pa * ta[l] + pb * tb[l];
            }
            if any_nan(&t) {
                for l in 0..L {
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
            if let Some(output) = self.block_output(i) {
                if lambda != 0.0 || !all_zero(&dot) {
                    let (partials, seconds) = (&block_partials[..], &block_seconds[..]);
                    let (t, at) = (&*tangents, &mut *adjoint_tangents);
                    self.block_lane_adjoint(output, lambda, dot, t, at, partials, seconds);
                }
                continue;
            }
            let ([pa, pb], [a, b], [ta, tb]) = operand_tangents(entries[i], tangents);
            if all_zero(&dot) && (lambda == 0.0 || all_zero(&ta) && all_zero(&tb)) {
                continue; // it passes on nothing
            }
            let [haa, hab, hbb] = seconds[i];
            let mut to_a = [0.0; L];
            let mut to_b = [0.0; L];
            for l in 0..L {
                to_a[l] = (haa * ta[l] + hab * tb[l]) * lambda + pa * dot[l];
                to_b[l] = (hab * ta[l] + hbb * tb[l]) * lambda + pb * dot[l];
            }
            if any_nan(&to_a) || any_nan(&to_b) {
                for l in 0..L {
                    let pa_dot = chain(haa, ta[l]) + chain(hab, tb[l]);
                    let pb_dot = chain(hab, ta[l]) + chain(hbb, tb[l]);
                    to_a[l] = chain(pa_dot, lambda) + chain(pa, dot[l]);
                    to_b[l] = chain(pb_dot, lambda) + chain(pb, dot[l]);
                }
            }
            for l in 0..L {
                adjoint_tangents[a as usize][l] += to_a[l];
            }
            if b != NO_OPERAND {
                for l in 0..L {
                    adjoint_tangents[b as usize][l] += to_b[l];
                }
            }
        }
        Ok(())
    }
}
