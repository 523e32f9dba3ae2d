//! The backward sweep as native code: one function per chunk of entries, from the
//! last entry down, with the rules of the interpreter's sweep
//! ([`crate::replay::Program`]'s `sweep`) written out for each entry: an entry whose
//! adjoint is 0 adds nothing, and the product of a partial and the adjoint follows
//! [`crate::ops::chain`] (a zero partial times an infinite or NaN adjoint is 0).
//!
//! Each entry tests its adjoint once: finite and not 0, the plain products are added
//! (the hot path, a few instructions an operand); else, in a cold block at the end of
//! the function, nothing where it is 0 and `chain`'s products where it is infinite or
//! NaN. Partials come from where they are cheapest: constants (1, -1, the
//! constant operand of a product, `1 / c`), the other operand's value for a product,
//! and the working memory for the rest. Within a function, adjoints are SSA values
//! (registers, where the register allocator finds room), not memory.

use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Value as Ssa};
use cranelift_frontend::{FunctionBuilder, Variable};
use std::collections::HashMap;

use super::layout::Layout;
use crate::replay::Instruction;

/// Where the sweep finds one partial of an entry.
#[derive(Clone, Copy)]
enum Partial {
    Constant(f64),
    /// The value of this entry (a product's partial is its other operand).
    ValueOf(u32),
    /// Partial slot 0 or 1 of the entry.
    Stored(usize),
}

/// The operands of an instruction with their partials, as the interpreter's sweep
/// visits them (`a` then `b`).
fn operands(instruction: Instruction) -> Vec<(u32, Partial)> {
    use Instruction as I;
    use Partial::{Constant, Stored, ValueOf};
    match instruction {
        I::Input => vec![],
        I::Unary(crate::ops::Unary::Neg, a) => vec![(a, Constant(-1.0))],
        I::Unary(_, a) => vec![(a, Stored(0))],
        I::Add(a, b) => vec![(a, Constant(1.0)), (b, Constant(1.0))],
        I::Sub(a, b) => vec![(a, Constant(1.0)), (b, Constant(-1.0))],
        I::Mul(a, b) => vec![(a, ValueOf(b)), (b, ValueOf(a))],
        I::Div(a, b) | I::Binary(_, a, b) => vec![(a, Stored(0)), (b, Stored(1))],
        I::AddRight(a, _) | I::SubRight(a, _) => vec![(a, Constant(1.0))],
        I::MulRight(a, c) => vec![(a, Constant(c))],
        I::DivRight(a, c) => vec![(a, Constant(1.0 / c))],
        I::BinaryRight(_, a, _) => vec![(a, Stored(0))],
        I::AddLeft(_, b) => vec![(b, Constant(1.0))],
        I::SubLeft(_, b) => vec![(b, Constant(-1.0))],
        I::MulLeft(c, b) => vec![(b, Constant(c))],
        I::DivLeft(_, b) | I::BinaryLeft(_, _, b) => vec![(b, Stored(0))],
        // Custom operations: never compiled (see `Compiled::new`).
        _ => vec![],
    }
}

fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// A function of the sweep being written: over the entries from `start` up, whose
/// adjoints it keeps in variables (SSA values, registers where there is room: loaded
/// from the working memory at their first use, as the output's seed or a later chunk's
/// sums are there), where the adjoints of the entries below `start` are read and
/// written in memory.
pub(super) struct Sweep {
    pub layout: Layout,
    pub work: Ssa,
    pub start: usize,
    pub adjoints: HashMap<usize, Variable>,
}

impl Sweep {
    fn load(&self, b: &mut FunctionBuilder, offset: i32) -> Ssa {
        b.ins().load(types::F64, flags(), self.work, offset)
    }

    /// The adjoint of entry `k` so far.
    fn adjoint(&mut self, b: &mut FunctionBuilder, k: usize) -> Ssa {
        if k < self.start {
            return self.load(b, self.layout.adjoint(k));
        }
        if let Some(&v) = self.adjoints.get(&k) {
            return b.use_var(v);
        }
        let a = self.load(b, self.layout.adjoint(k));
        let v = b.declare_var(types::F64);
        b.def_var(v, a);
        self.adjoints.insert(k, v);
        a
    }

    fn set_adjoint(&mut self, b: &mut FunctionBuilder, k: usize, a: Ssa) {
        if k < self.start {
            b.ins().store(flags(), a, self.work, self.layout.adjoint(k));
        } else {
            let v = self.adjoints[&k];
            b.def_var(v, a);
        }
    }

    fn partial(&self, b: &mut FunctionBuilder, i: usize, partial: Partial) -> Ssa {
        match partial {
            Partial::Constant(c) => b.ins().f64const(c),
            Partial::ValueOf(j) => self.load(b, self.layout.value(j as usize)),
            Partial::Stored(s) => self.load(b, self.layout.partial(i, s)),
        }
    }

    /// Entry `i`'s step of the sweep, with the interpreter's three cases: an adjoint of
    /// 0 adds nothing; a finite one adds the plain products (the hot path); an infinite
    /// or NaN one adds the products by [`crate::ops::chain`] (a cold block).
    pub(super) fn entry(&mut self, b: &mut FunctionBuilder, i: usize, instruction: Instruction) {
        let operands = operands(instruction);
        if operands.is_empty() {
            return;
        }
        let adjoint = self.adjoint(b, i);
        // Every variable this entry updates is defined before the paths split.
        for &(k, _) in &operands {
            self.adjoint(b, k as usize);
        }
        let zero = b.ins().f64const(0.0);
        let magnitude = b.ins().fabs(adjoint);
        let infinity = b.ins().f64const(f64::INFINITY);
        let finite = b.ins().fcmp(FloatCC::LessThan, magnitude, infinity);
        let nonzero = b.ins().fcmp(FloatCC::NotEqual, adjoint, zero);
        let plain = b.ins().band(finite, nonzero);
        let (hot, cold, next) = (b.create_block(), b.create_block(), b.create_block());
        b.set_cold_block(cold);
        b.ins().brif(plain, hot, &[], cold, &[]);

        b.switch_to_block(hot);
        for &(k, partial) in &operands {
            let p = self.partial(b, i, partial);
            let product = b.ins().fmul(p, adjoint);
            let old = self.adjoint(b, k as usize);
            let sum = b.ins().fadd(old, product);
            self.set_adjoint(b, k as usize, sum);
        }
        b.ins().jump(next, &[]);

        b.switch_to_block(cold);
        let skip = b.ins().fcmp(FloatCC::Equal, adjoint, zero);
        for &(k, partial) in &operands {
            let p = self.partial(b, i, partial);
            let product = b.ins().fmul(p, adjoint);
            let nan = b.ins().fcmp(FloatCC::Unordered, product, product);
            let p_zero = b.ins().fcmp(FloatCC::Equal, p, zero);
            let to_zero = b.ins().band(nan, p_zero);
            let term = b.ins().select(to_zero, zero, product);
            let old = self.adjoint(b, k as usize);
            let sum = b.ins().fadd(old, term);
            let new = b.ins().select(skip, old, sum);
            self.set_adjoint(b, k as usize, new);
        }
        b.ins().jump(next, &[]);
        b.switch_to_block(next);
    }
}
