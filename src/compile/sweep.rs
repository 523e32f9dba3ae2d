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
//! and the working memory for the rest. Within a function of straight-line code,
//! adjoints are SSA values (registers, where the register allocator finds room), not
//! memory. In a loop's body ([`super::loops`]), written once for every copy, the
//! adjoints of the copy's own entries are variables too, when no operand of the body
//! reaches the copy's entries but through them ([`Sweep::own_copy`]); every other adjoint
//! is read and written in memory, through the [`Frame`]'s addresses for its stride.
//!
//! With two lanes ([`super::lanes`]) adjoints, partials and values are `F64X2`
//! vectors: the hot path runs when both lanes' adjoints are finite and not 0, else the
//! cold block applies the rules lane by lane with vector masks and bit selects.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, BlockArg, InstBuilder, MemFlagsData, Value as Ssa};
use cranelift_frontend::{FunctionBuilder, Variable};
use std::collections::HashMap;

use super::forward::{constant, Strides};
use super::layout::{negate, Frame, Layout};
use super::loops::Loop;
use crate::replay::Instruction;

/// Where the sweep finds one partial of an entry.
#[derive(Clone, Copy)]
pub(super) enum Partial {
    Constant(f64),
    /// The value of the operand in this field of the instruction (a product's partial
    /// is its other operand).
    ValueOf(usize),
    /// Partial slot 0 or 1 of the entry.
    Stored(usize),
}

/// The operands of an instruction (by their place in `Instruction::operands`) with their partials,
/// as the interpreter's sweep visits them (`a` then `b`).
pub(super) fn operands(instruction: Instruction) -> Vec<(usize, Partial)> {
    use Instruction as I;
    use Partial::{Constant, Stored, ValueOf};
    match instruction {
        I::Input => vec![],
        I::Unary(crate::ops::Unary::Neg, _) => vec![(0, Constant(-1.0))],
        I::Unary(..) => vec![(0, Stored(0))],
        I::Add(..) => vec![(0, Constant(1.0)), (1, Constant(1.0))],
        I::Sub(..) => vec![(0, Constant(1.0)), (1, Constant(-1.0))],
        I::Mul(..) => vec![(0, ValueOf(1)), (1, ValueOf(0))],
        I::Div(..) | I::Binary(..) => vec![(0, Stored(0)), (1, Stored(1))],
        I::AddRight(..) | I::SubRight(..) | I::AddLeft(..) => vec![(0, Constant(1.0))],
        I::MulRight(_, c) | I::MulLeft(c, _) => vec![(0, Constant(c))],
        I::DivRight(_, c) => vec![(0, Constant(1.0 / c))],
        I::SubLeft(..) => vec![(0, Constant(-1.0))],
        I::BinaryRight(..) | I::DivLeft(..) | I::BinaryLeft(..) => vec![(0, Stored(0))],
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
/// written in memory. In a loop's body (with a `frame`), the adjoints in variables are
/// those of the entries `own_copy` gives, with the body's stride; the rest are in memory.
pub(super) struct Sweep {
    pub layout: Layout,
    pub work: Ssa,
    pub start: usize,
    pub adjoints: HashMap<usize, Variable>,
    pub frame: Option<Frame>,
    /// In a loop's body: the first copy's entries and the body's length, when no
    /// operand reaches an entry of its own copy by another stride (see
    /// [`super::loops::Loop::private`]).
    pub own_copy: Option<(std::ops::Range<usize>, i64)>,
}

impl Sweep {
    /// The working memory's address moved by `stride` entries a copy.
    fn base(&self, stride: i64) -> Ssa {
        match &self.frame {
            Some(frame) => frame.base(self.work, stride),
            None => self.work,
        }
    }

    fn load(&self, b: &mut FunctionBuilder, stride: i64, offset: i32) -> Ssa {
        b.ins()
            .load(self.layout.ty(), flags(), self.base(stride), offset)
    }

    /// A loop's copies (see [`super::loops`]), from the last down: its body written
    /// once, swept for each copy.
    pub(super) fn repeat(
        &mut self,
        b: &mut FunctionBuilder,
        l: &Loop,
        instructions: &[Instruction],
    ) {
        let top = b.create_block();
        b.append_block_param(top, types::I64);
        let last = b.ins().iconst(types::I64, l.repeats as i64 - 1);
        b.ins().jump(top, &[BlockArg::Value(last)]);
        b.switch_to_block(top);
        let copy = b.block_params(top)[0];
        self.frame = Some(Frame::new(
            b,
            self.layout,
            self.work,
            copy,
            l.strides_used(),
        ));
        if l.private(instructions) {
            self.own_copy = Some((l.start..l.start + l.body, l.body as i64));
        }
        for p in (0..l.body).rev() {
            let i = l.start + p;
            self.entry(b, i, instructions[i], l.entry_strides(p));
        }
        let more = b.ins().icmp_imm_u(IntCC::NotEqual, copy, 0);
        let next = b.ins().iadd_imm_s(copy, -1);
        let done = b.create_block();
        b.ins().brif(more, top, &[BlockArg::Value(next)], done, &[]);
        b.switch_to_block(done);
    }

    /// Whether the adjoint of entry `k` (moving by `stride` a copy) is in memory rather
    /// than in a variable.
    fn in_memory(&self, k: usize, stride: i64) -> bool {
        match (&self.frame, &self.own_copy) {
            (None, _) => k < self.start,
            (Some(_), Some((entries, body))) => !(stride == *body && entries.contains(&k)),
            (Some(_), None) => true,
        }
    }

    /// The adjoint of entry `k` (moving by `stride` a copy) so far.
    pub(super) fn adjoint(&mut self, b: &mut FunctionBuilder, k: usize, stride: i64) -> Ssa {
        if self.in_memory(k, stride) {
            return self.load(b, stride, self.layout.adjoint(k));
        }
        if let Some(&v) = self.adjoints.get(&k) {
            return b.use_var(v);
        }
        let a = self.load(b, stride, self.layout.adjoint(k));
        let v = b.declare_var(self.layout.ty());
        b.def_var(v, a);
        self.adjoints.insert(k, v);
        a
    }

    fn set_adjoint(&mut self, b: &mut FunctionBuilder, k: usize, stride: i64, a: Ssa) {
        if self.in_memory(k, stride) {
            let base = self.base(stride);
            b.ins().store(flags(), a, base, self.layout.adjoint(k));
        } else {
            let v = self.adjoints[&k];
            b.def_var(v, a);
        }
    }

    /// A partial of entry `i` (of the first copy, with `strides`), whose operands are
    /// in the entries `targets`.
    fn partial(
        &self,
        b: &mut FunctionBuilder,
        (i, strides): (usize, Strides),
        targets: [(usize, i64); 2],
        partial: Partial,
    ) -> Ssa {
        match partial {
            Partial::Constant(c) => constant(b, self.layout, c),
            Partial::ValueOf(f) => {
                let (j, stride) = targets[f];
                self.load(b, stride, self.layout.value(j))
            }
            Partial::Stored(s) => self.load(b, 2 * strides[0], self.layout.partial(i, s)),
        }
    }

    /// Whether `adjoint` is finite and not 0 (in every lane).
    fn plain(&self, b: &mut FunctionBuilder, adjoint: Ssa) -> Ssa {
        if self.layout.lanes() == 1 {
            // On the bits: with the sign shifted out, a zero is 0 and an infinity or NaN
            // at least the infinity's exponent, so the bits less one are below the
            // infinity's less one (as unsigned numbers) exactly when the adjoint is
            // plain. Fewer instructions than two float comparisons, on every entry.
            let bits = b.ins().bitcast(types::I64, MemFlagsData::new(), adjoint);
            let doubled = b.ins().iadd(bits, bits);
            let less_one = b.ins().iadd_imm_s(doubled, -1);
            let limit = (f64::INFINITY.to_bits() << 1) - 1;
            return b
                .ins()
                .icmp_imm_u(IntCC::UnsignedLessThan, less_one, limit as i64);
        }
        // The same test on each lane's bits, with the unsigned comparison made a signed
        // one (SSE has no other) by flipping the top bit: the bits doubled, less one,
        // plus 2^63 are below the limit plus 2^63 as signed numbers.
        let lanes = types::I64X2;
        let bits = b.ins().bitcast(lanes, MemFlagsData::new(), adjoint);
        let doubled = b.ins().iadd(bits, bits);
        let shift = b.ins().iconst(types::I64, i64::MAX);
        let shift = b.ins().splat(lanes, shift);
        let moved = b.ins().iadd(doubled, shift);
        let limit = ((f64::INFINITY.to_bits() << 1) - 1) ^ (1 << 63);
        let limit = b.ins().iconst(types::I64, limit as i64);
        let limit = b.ins().splat(lanes, limit);
        let plain = b.ins().icmp(IntCC::SignedLessThan, moved, limit);
        b.ins().vall_true(plain)
    }

    /// `x` where `mask` (a comparison's result) holds, else `y`: lane by lane with
    /// two lanes.
    fn select(&self, b: &mut FunctionBuilder, mask: Ssa, x: Ssa, y: Ssa) -> Ssa {
        if self.layout.lanes() == 1 {
            return b.ins().select(mask, x, y);
        }
        let mask = b.ins().bitcast(self.layout.ty(), MemFlagsData::new(), mask);
        b.ins().bitselect(mask, x, y)
    }

    /// Entry `i`'s step of the sweep, with the interpreter's three cases: an adjoint of
    /// 0 adds nothing; a finite one adds the plain products (the hot path); an infinite
    /// or NaN one adds the products by [`crate::ops::chain`] (a cold block).
    ///
    /// In a loop's body, `i` is the entry of the first copy and `strides` its strides.
    pub(super) fn entry(
        &mut self,
        b: &mut FunctionBuilder,
        i: usize,
        instruction: Instruction,
        strides: Strides,
    ) {
        let operands = operands(instruction);
        if operands.is_empty() {
            return;
        }
        let (indices, _) = instruction.operands();
        let targets = [
            (indices[0] as usize, strides[1]),
            (indices[1] as usize, strides[2]),
        ];
        let own = (i, strides);
        let adjoint = self.adjoint(b, i, strides[0]);
        // Every variable this entry updates is defined before the paths split.
        for &(f, _) in &operands {
            let (k, stride) = targets[f];
            if !self.in_memory(k, stride) {
                self.adjoint(b, k, stride);
            }
        }
        let plain = self.plain(b, adjoint);
        let (hot, cold, next) = (b.create_block(), b.create_block(), b.create_block());
        b.set_cold_block(cold);
        b.ins().brif(plain, hot, &[], cold, &[]);

        b.switch_to_block(hot);
        for &(f, partial) in &operands {
            let (k, stride) = targets[f];
            // 1 × a and -1 × a are a and -a exactly for a finite adjoint.
            let product = match partial {
                Partial::Constant(1.0) => adjoint,
                Partial::Constant(-1.0) => negate(b, adjoint),
                _ => {
                    let p = self.partial(b, own, targets, partial);
                    b.ins().fmul(p, adjoint)
                }
            };
            let old = self.adjoint(b, k, stride);
            let sum = b.ins().fadd(old, product);
            self.set_adjoint(b, k, stride, sum);
        }
        b.ins().jump(next, &[]);

        b.switch_to_block(cold);
        let zero = constant(b, self.layout, 0.0);
        let skip = b.ins().fcmp(FloatCC::Equal, adjoint, zero);
        for &(f, partial) in &operands {
            let (k, stride) = targets[f];
            let p = self.partial(b, own, targets, partial);
            let product = b.ins().fmul(p, adjoint);
            let nan = b.ins().fcmp(FloatCC::Unordered, product, product);
            let p_zero = b.ins().fcmp(FloatCC::Equal, p, zero);
            let to_zero = b.ins().band(nan, p_zero);
            let term = self.select(b, to_zero, zero, product);
            let old = self.adjoint(b, k, stride);
            let sum = b.ins().fadd(old, term);
            let new = self.select(b, skip, old, sum);
            self.set_adjoint(b, k, stride, new);
        }
        b.ins().jump(next, &[]);
        b.switch_to_block(next);
    }
}
