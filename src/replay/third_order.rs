//! Third derivatives from Taylor mode, by interpolation over directions
//! (Griewank, Utke & Walther): the third derivative along a direction `d`,
//! `q(d) = f'''(x)[d, d, d]`, is one Taylor pass of degree 3 (`taylor.rs`), and the
//! symmetric trilinear form is recovered from values of `q` by polarization:
//!
//! - `f'''[a, a, w] = (q(a + w) - q(a - w) - 2 q(w)) / 6`;
//! - `f'''[a, b, w] = (f'''[a+b, a+b, w] - f'''[a, a, w] - f'''[b, b, w]) / 2`;
//! - `f'''[u, v, w] = (q(u+v+w) - q(u+v-w) - q(u-v+w) + q(u-v-w)) / 24`.
//!
//! These are identities of cubic polynomials, so the results are exact up to rounding
//! (no step size). `f'''[·, ·, w]` (the derivative of the Hessian along `w`, n × n)
//! takes `n² + 2n + 2` passes; the whole tensor `n` of those. Each direction is first
//! scaled by a power of two that brings its own third derivative near 1 (`balance`).

use super::{Customs, Program, ReplayError, Scratch};

/// A power of two `s` that brings `q(s·d) = s³ q(d)` near 1 (1 where `q` is 0 or not
/// finite): the directions are scaled so that no third derivative along one of them
/// swamps the others in the differences (an input in units where its derivatives are
/// huge, a volume of 1e-4 m³, would otherwise cost most of the digits).
fn balance(q: f64) -> f64 {
    if q == 0.0 || !q.is_finite() {
        return 1.0;
    }
    let e = (q.abs().log2() / 3.0).round() as i32;
    2f64.powi((-e).clamp(-300, 300))
}

impl Program {
    /// `q(d) = f'''(x)[d, d, d]` for output `k`: one Taylor pass of degree 3.
    fn cube(
        &self,
        x: &[f64],
        k: usize,
        d: &[f64],
        out: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<f64, ReplayError> {
        self.taylor(x, d, 3, out, scratch, customs)?;
        Ok(6.0 * out[4 * k + 3])
    }

    /// `f'''(x)[u, v, w]` of output `k`: seven Taylor passes of degree 3 (three to
    /// balance the directions' scales).
    #[allow(clippy::too_many_arguments)]
    pub fn third_directional(
        &self,
        x: &[f64],
        k: usize,
        u: &[f64],
        v: &[f64],
        w: &[f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<f64, ReplayError> {
        let n = self.inputs;
        if u.len() != n || v.len() != n || w.len() != n || k >= self.outputs.len() {
            return Err(ReplayError::Length);
        }
        let mut out = vec![0.0; 4 * self.outputs.len()];
        let mut scales = [1.0; 3];
        for (scale, direction) in scales.iter_mut().zip([u, v, w]) {
            *scale = balance(self.cube(x, k, direction, &mut out, scratch, customs)?);
        }
        let [su, sv, sw] = scales;
        let mut d = vec![0.0; n];
        let mut sum = 0.0;
        for (pv, pw, sign) in [
            (1.0, 1.0, 1.0),
            (1.0, -1.0, -1.0),
            (-1.0, 1.0, -1.0),
            (-1.0, -1.0, 1.0),
        ] {
            for i in 0..n {
                d[i] = su * u[i] + pv * sv * v[i] + pw * sw * w[i];
            }
            sum += sign * self.cube(x, k, &d, &mut out, scratch, customs)?;
        }
        let sum = sum / (su * sv * sw);
        Ok(sum / 24.0)
    }

    /// `f'''(x)[·, ·, w]` of output `k` (the derivative of the Hessian along `w`) into
    /// `matrix` (n × n, row-major, symmetric).
    pub fn hessian_derivative(
        &self,
        x: &[f64],
        k: usize,
        w: &[f64],
        matrix: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<(), ReplayError> {
        let n = self.inputs;
        if w.len() != n || matrix.len() != n * n || k >= self.outputs.len() {
            return Err(ReplayError::Length);
        }
        let mut out = vec![0.0; 4 * self.outputs.len()];
        let mut d = vec![0.0; n];
        // Balanced directions: a_i = s_i e_i and w' = s_w w (see `balance`).
        let s_w = balance(self.cube(x, k, w, &mut out, scratch, customs)?);
        let w: Vec<f64> = w.iter().map(|&c| c * s_w).collect();
        let q_w = self.cube(x, k, &w, &mut out, scratch, customs)?;
        let mut s = vec![1.0; n];
        for i in 0..n {
            d.fill(0.0);
            d[i] = 1.0;
            s[i] = balance(self.cube(x, k, &d, &mut out, scratch, customs)?);
        }
        // f'''[a, a, w'] for a = a_i + a_j (i < j) or a_i (i = j).
        let mut squared = |i: usize, j: usize, d: &mut [f64]| -> Result<f64, ReplayError> {
            let mut q = [0.0; 2];
            for (slot, sign) in [1.0, -1.0].into_iter().enumerate() {
                for (c, &wi) in d.iter_mut().zip(&w) {
                    *c = sign * wi;
                }
                d[i] += s[i];
                if j != i {
                    d[j] += s[j];
                }
                q[slot] = self.cube(x, k, d, &mut out, scratch, customs)?;
            }
            Ok((q[0] - q[1] - 2.0 * q_w) / 6.0)
        };
        let mut diagonal = vec![0.0; n];
        for (i, slot) in diagonal.iter_mut().enumerate() {
            *slot = squared(i, i, &mut d)?;
        }
        for i in 0..n {
            matrix[i * n + i] = diagonal[i] / (s[i] * s[i] * s_w);
            for j in i + 1..n {
                let both = squared(i, j, &mut d)?;
                let value = (both - diagonal[i] - diagonal[j]) / 2.0 / (s[i] * s[j] * s_w);
                matrix[i * n + j] = value;
                matrix[j * n + i] = value;
            }
        }
        Ok(())
    }

    /// The third-derivative tensor of output `k` into `tensor` (n × n × n, row-major,
    /// symmetric): one [`Program::hessian_derivative`] per input.
    pub fn third_derivative(
        &self,
        x: &[f64],
        k: usize,
        tensor: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<(), ReplayError> {
        let n = self.inputs;
        if tensor.len() != n * n * n {
            return Err(ReplayError::Length);
        }
        let mut e = vec![0.0; n];
        let mut matrix = vec![0.0; n * n];
        for l in 0..n {
            e.fill(0.0);
            e[l] = 1.0;
            self.hessian_derivative(x, k, &e, &mut matrix, scratch, customs)?;
            for (ij, &value) in matrix.iter().enumerate() {
                tensor[ij * n + l] = value;
            }
        }
        Ok(())
    }
}
