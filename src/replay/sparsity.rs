//! Sparsity patterns of a program's Jacobian and Hessian, found from its structure.
//!
//! The Jacobian's: each entry's set of inputs it depends on (sorted index vectors),
//! propagated forward through the instructions; an operation whose derivative is 0
//! everywhere (`floor`, `ceil`, `trunc`) depends on nothing. A set is freed after its
//! last use, and handed on instead of copied where its entry's only reader extends it,
//! so that a running sum of n terms costs O(n), not O(n²).
//!
//! The Hessian's: nonlinear interactions. An entry whose second partials are not all
//! 0 links its operands' input sets: `x*y` links every input of x with every input
//! of y, `sin(x)` the inputs of x among themselves, `x + y` and `x * c` nothing (the
//! structure of [`Unary::second`] and [`Binary::second`]). Only entries on a path to
//! an output (by partials that are not 0 everywhere) count. A custom operation's second
//! derivatives are unknown here: it links all of its operands' inputs (conservative).
//!
//! Patterns are conservative (a pattern never misses a nonzero of the replay's
//! derivatives) and follow the recorded branch: the guards keep replays on it.

use super::program::Instruction;
use super::{Program, ReplayError, Value};
use crate::ops;

/// A sparsity pattern in compressed rows: row `r`'s columns are
/// `indices[indptr[r]..indptr[r + 1]]`, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pattern {
    pub rows: usize,
    pub cols: usize,
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
}

impl Pattern {
    /// The pattern of the rows `sets` (each sorted), `cols` columns wide.
    fn from_rows(sets: &[Vec<u32>], cols: usize) -> Result<Pattern, ReplayError> {
        let nnz = sets.iter().map(Vec::len).sum::<usize>();
        let mut indptr = Vec::new();
        indptr
            .try_reserve_exact(sets.len() + 1)
            .map_err(|_| ReplayError::OutOfMemory)?;
        let mut indices = Vec::new();
        indices
            .try_reserve_exact(nnz)
            .map_err(|_| ReplayError::OutOfMemory)?;
        indptr.push(0);
        for set in sets {
            indices.extend_from_slice(set);
            indptr.push(indices.len());
        }
        Ok(Pattern {
            rows: sets.len(),
            cols,
            indptr,
            indices,
        })
    }

    /// The number of nonzeros.
    pub fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// Row `r`'s columns.
    pub fn row(&self, r: usize) -> &[u32] {
        &self.indices[self.indptr[r]..self.indptr[r + 1]]
    }

    /// The transposed pattern (its rows are this one's columns).
    pub fn transpose(&self) -> Result<Pattern, ReplayError> {
        let mut indptr = try_filled(self.cols + 1, 0usize)?;
        for &c in &self.indices {
            indptr[c as usize + 1] += 1;
        }
        for c in 0..self.cols {
            indptr[c + 1] += indptr[c];
        }
        let mut next = indptr.clone();
        let mut indices = try_filled(self.nnz(), 0u32)?;
        for r in 0..self.rows {
            for &c in self.row(r) {
                indices[next[c as usize]] = r as u32;
                next[c as usize] += 1;
            }
        }
        Ok(Pattern {
            rows: self.cols,
            cols: self.rows,
            indptr,
            indices,
        })
    }
}

/// `n` copies of `value`, or OutOfMemory before allocating when the system will not
/// give them.
pub(super) fn try_filled<T: Clone>(n: usize, value: T) -> Result<Vec<T>, ReplayError> {
    let mut v = Vec::new();
    v.try_reserve_exact(n)
        .map_err(|_| ReplayError::OutOfMemory)?;
    v.resize(n, value);
    Ok(v)
}

/// `target ∪= other`, both sorted.
fn union_into(target: &mut Vec<u32>, other: &[u32]) -> Result<(), ReplayError> {
    let Some(&first) = other.first() else {
        return Ok(());
    };
    if target.last().is_none_or(|&last| last < first) {
        target
            .try_reserve(other.len())
            .map_err(|_| ReplayError::OutOfMemory)?;
        target.extend_from_slice(other);
        return Ok(());
    }
    if other.len() == 1 {
        if let Err(at) = target.binary_search(&first) {
            target
                .try_reserve(1)
                .map_err(|_| ReplayError::OutOfMemory)?;
            target.insert(at, first);
        }
        return Ok(());
    }
    // Only the part of `target` from `other`'s first element on is merged: for the
    // running sums of a loop, a few elements, whatever the set's size.
    let from = target.partition_point(|&v| v < first);
    let mut merged = Vec::new();
    merged
        .try_reserve_exact(target.len() - from + other.len())
        .map_err(|_| ReplayError::OutOfMemory)?;
    let tail = &target[from..];
    let (mut i, mut j) = (0, 0);
    while i < tail.len() && j < other.len() {
        let (a, b) = (tail[i], other[j]);
        merged.push(a.min(b));
        i += usize::from(a <= b);
        j += usize::from(b <= a);
    }
    merged.extend_from_slice(&tail[i..]);
    merged.extend_from_slice(&other[j..]);
    target
        .try_reserve(merged.len().saturating_sub(target.len() - from))
        .map_err(|_| ReplayError::OutOfMemory)?;
    target.truncate(from);
    target.extend_from_slice(&merged);
    Ok(())
}

/// How an entry's second partials link its operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Interaction {
    /// Second partials all 0.
    Linear,
    /// Only `∂²/∂a²`: the first operand with itself.
    SelfA,
    /// `∂²/∂a∂b` only (`a * b`).
    Cross,
    /// `∂²/∂a∂b` and `∂²/∂b²` (`a / b`).
    CrossSelfB,
    /// Every pair (of the operands present).
    All,
}

/// True for the operations whose derivative is 0 everywhere.
fn flat(op: ops::Unary) -> bool {
    matches!(op, ops::Unary::Floor | ops::Unary::Ceil | ops::Unary::Trunc)
}

impl Instruction {
    /// The operands whose input sets this entry's depends on (an absent one is None).
    fn dependencies(self) -> [Option<u32>; 2] {
        use Instruction::*;
        match self {
            Input => [None, None],
            Unary(op, _) if flat(op) => [None, None],
            Unary(_, a)
            | AddRight(a, _)
            | SubRight(a, _)
            | MulRight(a, _)
            | DivRight(a, _)
            | BinaryRight(_, a, _)
            | AddLeft(_, a)
            | SubLeft(_, a)
            | MulLeft(_, a)
            | DivLeft(_, a)
            | BinaryLeft(_, _, a)
            | CustomUnary(a)
            | CustomRight(a, _)
            | CustomLeft(_, a) => [Some(a), None],
            Add(a, b)
            | Sub(a, b)
            | Mul(a, b)
            | Div(a, b)
            | Binary(_, a, b)
            | CustomBinary(a, b) => [Some(a), Some(b)],
            // Its inputs are the block's (`Program::block_inputs`).
            Block(..) => [None, None],
        }
    }

    /// The structure of this entry's second partials, in its operands
    /// ([`Instruction::dependencies`]: with one operand, it is `a`).
    fn interaction(self) -> Interaction {
        use Instruction::*;
        use Interaction::*;
        match self {
            Input => Linear,
            Unary(op, _) => match op {
                ops::Unary::Neg | ops::Unary::Abs => Linear,
                op if flat(op) => Linear,
                _ => SelfA,
            },
            Add(..) | Sub(..) => Linear,
            Mul(..) => Cross,
            Div(..) => CrossSelfB,
            Binary(..) | CustomBinary(..) => All,
            AddRight(..) | SubRight(..) | MulRight(..) | DivRight(..) => Linear,
            AddLeft(..) | SubLeft(..) | MulLeft(..) => Linear,
            // x ** 0 and x ** 1 are taken as constant and linear: second partial 0.
            BinaryRight(ops::Binary::Pow, _, c) if c == 0.0 || c == 1.0 => Linear,
            BinaryRight(..) | BinaryLeft(..) | DivLeft(..) => SelfA,
            CustomUnary(_) | CustomRight(..) | CustomLeft(..) => SelfA,
            // On the union of its inputs' sets (`propagate_sets`): every pair.
            Block(..) => SelfA,
        }
    }
}

impl Program {
    /// The entries whose adjoint may be nonzero for some output: those on a path to
    /// one by partials that are not 0 everywhere.
    fn on_output_paths(&self) -> Result<Vec<bool>, ReplayError> {
        let mut live = try_filled(self.len(), false)?;
        for output in &self.outputs {
            if let Value::Entry(i) = *output {
                live[i as usize] = true;
            }
        }
        for i in (self.inputs..self.len()).rev() {
            if live[i] {
                for a in self.instructions[i].dependencies().into_iter().flatten() {
                    live[a as usize] = true;
                }
                for a in self.block_inputs(i) {
                    live[a as usize] = true;
                }
            }
        }
        Ok(live)
    }

    /// The input sets of every entry, handed one at a time to `visit(i, operands' sets)`
    /// before entry `i`'s own is made; the sets of the outputs are returned (empty for
    /// a constant output).
    fn propagate_sets(
        &self,
        mut visit: impl FnMut(usize, [&[u32]; 2]) -> Result<(), ReplayError>,
    ) -> Result<Vec<Vec<u32>>, ReplayError> {
        let len = self.len();
        // The last reader of each entry; outputs are read at the end.
        let mut last_use = try_filled(len, 0usize)?;
        for i in self.inputs..len {
            for a in self.instructions[i].dependencies().into_iter().flatten() {
                last_use[a as usize] = i;
            }
            for a in self.block_inputs(i) {
                last_use[a as usize] = i;
            }
        }
        for output in &self.outputs {
            if let Value::Entry(i) = *output {
                last_use[i as usize] = usize::MAX;
            }
        }
        let mut sets: Vec<Vec<u32>> = Vec::new();
        sets.try_reserve_exact(len)
            .map_err(|_| ReplayError::OutOfMemory)?;
        for i in 0..len {
            if self.block_output(i).is_some() {
                // An output of a block depends on every input of the block (conservative:
                // the Jacobian's zeros are not known before it is evaluated).
                let mut set = Vec::new();
                for a in self.block_inputs(i) {
                    union_into(&mut set, &sets[a as usize])?;
                }
                visit(i, [&set, &[]])?;
                sets.push(if last_use[i] > i { set } else { Vec::new() });
                continue;
            }
            let set = match self.instructions[i].dependencies() {
                _ if i < self.inputs => vec![i as u32],
                [None, _] => Vec::new(),
                [Some(a), b] => {
                    let (a, b) = (a as usize, b.map(|b| b as usize));
                    visit(i, [&sets[a], b.map_or(&[][..], |b| &sets[b][..])])?;
                    // Extend the operand set that dies here and is larger, if one does.
                    let dies = |k: usize| last_use[k] == i;
                    let (keep, other) = match b {
                        Some(b)
                            if b != a && dies(b) && (!dies(a) || sets[b].len() > sets[a].len()) =>
                        {
                            (b, Some(a))
                        }
                        _ => (a, b),
                    };
                    let mut set = if dies(keep) {
                        std::mem::take(&mut sets[keep])
                    } else {
                        let mut copy = Vec::new();
                        copy.try_reserve_exact(sets[keep].len())
                            .map_err(|_| ReplayError::OutOfMemory)?;
                        copy.extend_from_slice(&sets[keep]);
                        copy
                    };
                    if let Some(other) = other {
                        union_into(&mut set, &sets[other])?;
                        if dies(other) {
                            sets[other] = Vec::new();
                        }
                    }
                    set
                }
            };
            if last_use[i] > i {
                sets.push(set);
            } else {
                sets.push(Vec::new()); // nobody reads it
            }
        }
        Ok(self
            .outputs
            .iter()
            .map(|output| match *output {
                Value::Entry(i) => sets[i as usize].clone(),
                Value::Constant(_) => Vec::new(),
            })
            .collect())
    }

    /// The pattern of the Jacobian (outputs × inputs).
    pub fn jacobian_pattern(&self) -> Result<Pattern, ReplayError> {
        let rows = self.propagate_sets(|_, _| Ok(()))?;
        Pattern::from_rows(&rows, self.inputs)
    }

    /// The pattern of the Hessian (inputs × inputs, symmetric, the diagonal included
    /// where it is nonzero) of every output: of any weighted sum of the outputs.
    pub fn hessian_pattern(&self) -> Result<Pattern, ReplayError> {
        let live = self.on_output_paths()?;
        let mut rows: Vec<Vec<u32>> = try_filled(self.inputs, Vec::new())?;
        let link = |rows: &mut Vec<Vec<u32>>, from: &[u32], to: &[u32]| {
            for &p in from {
                union_into(&mut rows[p as usize], to)?;
            }
            Ok::<(), ReplayError>(())
        };
        self.propagate_sets(|i, [a, b]| {
            if !live[i] {
                return Ok(());
            }
            match self.instructions[i].interaction() {
                Interaction::Linear => {}
                Interaction::SelfA => link(&mut rows, a, a)?,
                Interaction::Cross => {
                    link(&mut rows, a, b)?;
                    link(&mut rows, b, a)?;
                }
                Interaction::CrossSelfB => {
                    link(&mut rows, a, b)?;
                    link(&mut rows, b, a)?;
                    link(&mut rows, b, b)?;
                }
                Interaction::All => {
                    link(&mut rows, a, a)?;
                    link(&mut rows, a, b)?;
                    link(&mut rows, b, a)?;
                    link(&mut rows, b, b)?;
                }
            }
            Ok(())
        })?;
        Pattern::from_rows(&rows, self.inputs)
    }
}
