//! The forward pass as native code: one function per chunk of entries, in the recorded
//! order, each entry's value (and the partials the sweep cannot recompute from values)
//! written to the working memory, the guards checked where the recorded code made them.
//!
//! Add, subtract, multiply, divide and negate are written inline with the table's
//! formulas ([`crate::ops::Binary::eval`]): `x + y`, `x - y`, `x * y`, `x / y` with
//! the partials `1 / y` and `-v / y` (the negation first, as Rust parses `-v / y`), no
//! fused multiply-add. Every other operation calls its helper. A function returns 0, or
//! `g + 1` when guard `g` fails, or `-(i + 1)` when entry `i` has no value.
//!
//! In a loop ([`super::loops`]) the same code writes the body once: an entry's slots
//! and its operands are then reached through the [`Frame`]'s addresses for their
//! strides, at the offsets of the loop's first copy.
//!
//! With two lanes ([`super::lanes`]) the same code computes two points at once: values
//! are `F64X2` vectors (the inline operations are IEEE per lane, so each lane has the
//! bits of the one-lane code), helpers are called once per lane, and a guard or a
//! division by zero in either lane exits (the caller redoes both points one at a time).

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, Block, BlockArg, InstBuilder, MemFlagsData, Value as Ssa};
use cranelift_frontend::FunctionBuilder;
use std::collections::HashMap;

use super::jit::JitFunctions;
use super::layout::{negate, Frame, Layout};
use super::loops::Loop;
use super::NotCompiled;
use crate::ops::{Binary, Comparison, Operands, Unary};
use crate::replay::{Guard, Instruction, Value};

/// What a function of the forward pass is writing into.
pub(super) struct Forward<'a, 'b> {
    pub layout: Layout,
    pub work: Ssa,
    pub exit: Block,
    pub functions: &'a mut JitFunctions<'b>,
    /// The values this function has computed or loaded already, by index and stride:
    /// each is loaded once. Every block of a function follows the one before it (a
    /// failed check leaves the function), so a value defined earlier dominates every
    /// later use; a loop's body adds values by stride, valid within the body and
    /// cleared after it.
    pub known: HashMap<(u32, i64), Ssa>,
    /// In a loop's body: the copy number and the addresses by stride.
    pub frame: Option<Frame>,
}

/// The strides of an entry in a loop's body: its own (the body's length), then its
/// operands' in the order of [`Instruction::operands`]; all 0 in straight-line code.
pub(super) type Strides = [i64; 3];

fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// The constant `c` in every lane of `layout`'s slots.
pub(super) fn constant(b: &mut FunctionBuilder, layout: Layout, c: f64) -> Ssa {
    if layout.lanes() == 1 {
        return b.ins().f64const(c);
    }
    // A vector constant: one load from the constant pool, where a splat would move
    // the scalar into a vector register and shuffle it.
    let bytes: Vec<u8> = (0..layout.lanes()).flat_map(|_| c.to_le_bytes()).collect();
    let handle = b.func.dfg.constants.insert(bytes.into());
    b.ins().vconst(layout.ty(), handle)
}

impl Forward<'_, '_> {
    /// The working memory's address moved by `stride` entries a copy.
    fn base(&self, stride: i64) -> Ssa {
        match &self.frame {
            Some(frame) => frame.base(self.work, stride),
            None => self.work,
        }
    }

    fn store(&self, b: &mut FunctionBuilder, x: Ssa, stride: i64, offset: i32) {
        b.ins().store(flags(), x, self.base(stride), offset);
    }

    /// The value of entry `i` (moving by `stride` a copy).
    fn value(&mut self, b: &mut FunctionBuilder, i: u32, stride: i64) -> Ssa {
        if let Some(&v) = self.known.get(&(i, stride)) {
            return v;
        }
        let at = self.layout.value(i as usize);
        let v = b
            .ins()
            .load(self.layout.ty(), flags(), self.base(stride), at);
        self.known.insert((i, stride), v);
        v
    }

    fn operand(&mut self, b: &mut FunctionBuilder, v: Value, stride: i64) -> Ssa {
        match v {
            Value::Entry(i) => self.value(b, i, stride),
            Value::Constant(c) => self.constant(b, c),
        }
    }

    /// The constant `c` in every lane.
    fn constant(&self, b: &mut FunctionBuilder, c: f64) -> Ssa {
        constant(b, self.layout, c)
    }

    /// Whether `mask` (a comparison's result) is true: in any lane with `any`, else in
    /// every lane (the same with one lane).
    fn lanes_true(&self, b: &mut FunctionBuilder, mask: Ssa, any: bool) -> Ssa {
        match (self.layout.lanes(), any) {
            (1, _) => mask,
            (_, true) => b.ins().vany_true(mask),
            (_, false) => b.ins().vall_true(mask),
        }
    }

    /// The status of entry `i` (moving by `stride` a copy) without a value.
    fn entry_status(&self, b: &mut FunctionBuilder, i: usize, stride: i64) -> Ssa {
        let status = b.ins().iconst(types::I64, -(i as i64) - 1);
        match &self.frame {
            Some(frame) if stride != 0 => {
                let moved = b.ins().imul_imm_s(frame.copy, stride);
                b.ins().isub(status, moved)
            }
            _ => status,
        }
    }

    /// Leave with `status` when `failed` is nonzero.
    fn exit_if(&self, b: &mut FunctionBuilder, failed: Ssa, status: Ssa) {
        let next = b.create_block();
        b.ins()
            .brif(failed, self.exit, &[BlockArg::Value(status)], next, &[]);
        b.switch_to_block(next);
    }

    /// A loop's copies (see [`super::loops`]): its body written once, run for each
    /// copy, with the values the body takes from the copy before carried from one copy
    /// to the next in registers (block parameters), not reloaded from memory.
    pub(super) fn repeat(
        &mut self,
        b: &mut FunctionBuilder,
        l: &Loop,
        instructions: &[Instruction],
        guards: &[Guard],
    ) -> Result<(), NotCompiled> {
        let body = l.body as i64;
        let carried = l.carried(instructions);
        // The first copy's "copy before" is the entries before the loop.
        let mut arguments = vec![BlockArg::Value(b.ins().iconst(types::I64, 0))];
        for &k in &carried {
            arguments.push(BlockArg::Value(self.value(b, k, 0)));
        }
        let top = b.create_block();
        b.append_block_param(top, types::I64);
        for _ in &carried {
            b.append_block_param(top, self.layout.ty());
        }
        b.ins().jump(top, &arguments);
        b.switch_to_block(top);
        let parameters = b.block_params(top).to_vec();
        let copy = parameters[0];
        self.frame = Some(Frame::new(
            b,
            self.layout,
            self.work,
            copy,
            l.strides_used(),
        ));
        for (&k, &v) in carried.iter().zip(&parameters[1..]) {
            self.known.insert((k, body), v);
        }
        // The first copy's guards, with the entry each follows.
        let copy_guards = &guards[l.first_guard..l.first_guard + l.guards];
        let mut next_guard = 0;
        for p in 0..l.body {
            let i = l.start + p;
            // Copy r's guard j is guard first_guard + r × guards + j.
            while let Some(guard) = copy_guards.get(next_guard) {
                if guard.position as usize != i {
                    break;
                }
                let number = (l.first_guard + next_guard) as i64 + 1;
                let status = b.ins().iconst(types::I64, number);
                let moved = b.ins().imul_imm_s(copy, l.guards as i64);
                let status = b.ins().iadd(status, moved);
                self.check(b, guard, l.guard_strides[next_guard], status);
                next_guard += 1;
            }
            self.entry(b, i, instructions[i], l.entry_strides(p))?;
        }
        let next = b.ins().iadd_imm_s(copy, 1);
        let mut arguments = vec![BlockArg::Value(next)];
        for &k in &carried {
            // The entry of this copy the next one takes.
            arguments.push(BlockArg::Value(self.value(b, k + l.body as u32, body)));
        }
        self.frame = None;
        self.known.clear();
        let more = b
            .ins()
            .icmp_imm_u(IntCC::UnsignedLessThan, next, l.repeats as i64);
        let done = b.create_block();
        b.ins().brif(more, top, &arguments, done, &[]);
        b.switch_to_block(done);
        Ok(())
    }

    /// Check the guards from number `next` on made before entry `limit` was (all of
    /// them: `usize::MAX`), moving `next` past them.
    pub(super) fn guards_before(
        &mut self,
        b: &mut FunctionBuilder,
        guards: &[Guard],
        limit: usize,
        next: &mut usize,
    ) {
        while let Some(guard) = guards.get(*next) {
            if guard.position as usize > limit {
                break;
            }
            self.guard(b, *next, guard);
            *next += 1;
        }
    }

    /// Check guard number `g`.
    pub(super) fn guard(&mut self, b: &mut FunctionBuilder, g: usize, guard: &Guard) {
        let status = b.ins().iconst(types::I64, g as i64 + 1);
        self.check(b, guard, [0, 0], status);
    }

    /// Check `guard` (of a loop's first copy, its operands moving by `strides`),
    /// leaving with `status` when it fails.
    fn check(&mut self, b: &mut FunctionBuilder, guard: &Guard, strides: [i64; 2], status: Ssa) {
        let l = self.operand(b, guard.left, strides[0]);
        let r = self.operand(b, guard.right, strides[1]);
        let cc = match guard.comparison {
            Comparison::Lt => FloatCC::LessThan,
            Comparison::Le => FloatCC::LessThanOrEqual,
            Comparison::Eq => FloatCC::Equal,
            Comparison::Ne => FloatCC::NotEqual,
            Comparison::Gt => FloatCC::GreaterThan,
            Comparison::Ge => FloatCC::GreaterThanOrEqual,
        };
        let holds = b.ins().fcmp(cc, l, r);
        // Failed in any lane: the comparison does not hold in every lane, or holds in
        // some.
        let failed = if guard.outcome {
            let all = self.lanes_true(b, holds, false);
            b.ins().bxor_imm_u(all, 1)
        } else {
            self.lanes_true(b, holds, true)
        };
        self.exit_if(b, failed, status);
    }

    /// Leave with entry `i`'s status when `y` is zero (division by zero).
    fn check_divisor(&self, b: &mut FunctionBuilder, i: usize, stride: i64, y: Ssa) {
        let zero = self.constant(b, 0.0);
        let zero_lanes = b.ins().fcmp(FloatCC::Equal, y, zero);
        let is_zero = self.lanes_true(b, zero_lanes, true);
        let status = self.entry_status(b, i, stride);
        self.exit_if(b, is_zero, status);
    }

    /// `x / y` and its partials `1 / y`, `-v / y`, kept as `kept` says (the partial
    /// by the one variable operand first).
    fn divide(
        &mut self,
        b: &mut FunctionBuilder,
        (i, stride): (usize, i64),
        x: Ssa,
        y: Ssa,
        operands: Operands,
    ) {
        self.check_divisor(b, i, stride, y);
        let v = b.ins().fdiv(x, y);
        self.store(b, v, stride, self.layout.value(i));
        self.known.insert((i as u32, stride), v);
        let one = self.constant(b, 1.0);
        let minus_v = negate(b, v);
        match operands {
            Operands::Both => {
                let dx = b.ins().fdiv(one, y);
                let dy = b.ins().fdiv(minus_v, y);
                self.store(b, dx, 2 * stride, self.layout.partial(i, 0));
                self.store(b, dy, 2 * stride, self.layout.partial(i, 1));
            }
            // `x / c`: the partial 1 / c is a constant the sweep knows.
            Operands::ConstantRight => {}
            Operands::ConstantLeft => {
                let dy = b.ins().fdiv(minus_v, y);
                self.store(b, dy, 2 * stride, self.layout.partial(i, 0));
            }
        }
    }

    /// Where lane `lane` of entry `i`'s value and first partial are.
    fn helper_pointers(
        &mut self,
        b: &mut FunctionBuilder,
        (i, stride): (usize, i64),
        lane: usize,
    ) -> (Ssa, Ssa) {
        let lane = 8 * lane as i64;
        let v = b
            .ins()
            .iadd_imm_s(self.base(stride), self.layout.value(i) as i64 + lane);
        let d = b.ins().iadd_imm_s(
            self.base(2 * stride),
            self.layout.partial(i, 0) as i64 + lane,
        );
        (v, d)
    }

    /// The operands of a helper's call in lane `lane`: the lane's numbers.
    fn lane(&self, b: &mut FunctionBuilder, x: Ssa, lane: usize) -> Ssa {
        if self.layout.lanes() == 1 {
            x
        } else {
            b.ins().extractlane(x, lane as u8)
        }
    }

    fn call_unary(
        &mut self,
        b: &mut FunctionBuilder,
        i: (usize, i64),
        op: Unary,
        x: Ssa,
    ) -> Result<(), NotCompiled> {
        let f = self.functions.unary(op, b)?;
        for lane in 0..self.layout.lanes() {
            let (v, d) = self.helper_pointers(b, i, lane);
            let x = self.lane(b, x, lane);
            let call = b.ins().call(f, &[x, v, d]);
            let failed = b.inst_results(call)[0];
            let status = self.entry_status(b, i.0, i.1);
            self.exit_if(b, failed, status);
        }
        Ok(())
    }

    fn call_binary(
        &mut self,
        b: &mut FunctionBuilder,
        i: (usize, i64),
        op: Binary,
        operands: Operands,
        x: Ssa,
        y: Ssa,
    ) -> Result<(), NotCompiled> {
        let f = self.functions.binary(op, operands, b)?;
        let stride = b
            .ins()
            .iconst(types::I64, self.layout.partial_stride() as i64);
        for lane in 0..self.layout.lanes() {
            let (v, d) = self.helper_pointers(b, i, lane);
            let (x, y) = (self.lane(b, x, lane), self.lane(b, y, lane));
            let call = b.ins().call(f, &[x, y, v, d, stride]);
            let failed = b.inst_results(call)[0];
            let status = self.entry_status(b, i.0, i.1);
            self.exit_if(b, failed, status);
        }
        Ok(())
    }

    /// Entry `i` (of a loop's first copy, with `strides`).
    pub(super) fn entry(
        &mut self,
        b: &mut FunctionBuilder,
        i: usize,
        instruction: Instruction,
        strides: Strides,
    ) -> Result<(), NotCompiled> {
        use Instruction as I;
        use Operands::{Both, ConstantLeft, ConstantRight};
        let at = self.layout.value(i);
        let own = (i, strides[0]);
        let [_, s1, s2] = strides;
        let layout = self.layout;
        let c = |b: &mut FunctionBuilder, c: f64| constant(b, layout, c);
        let v = match instruction {
            I::Input => return Ok(()),
            I::Unary(Unary::Neg, a) => {
                let x = self.value(b, a, s1);
                negate(b, x)
            }
            I::Unary(op, a) => {
                let x = self.value(b, a, s1);
                return self.call_unary(b, own, op, x);
            }
            I::Add(a, bb) => {
                let (x, y) = (self.value(b, a, s1), self.value(b, bb, s2));
                b.ins().fadd(x, y)
            }
            I::Sub(a, bb) => {
                let (x, y) = (self.value(b, a, s1), self.value(b, bb, s2));
                b.ins().fsub(x, y)
            }
            I::Mul(a, bb) => {
                let (x, y) = (self.value(b, a, s1), self.value(b, bb, s2));
                b.ins().fmul(x, y)
            }
            I::Div(a, bb) => {
                let (x, y) = (self.value(b, a, s1), self.value(b, bb, s2));
                self.divide(b, own, x, y, Both);
                return Ok(());
            }
            I::Binary(op, a, bb) => {
                let (x, y) = (self.value(b, a, s1), self.value(b, bb, s2));
                return self.call_binary(b, own, op, Both, x, y);
            }
            I::AddRight(a, k) => {
                let (x, y) = (self.value(b, a, s1), c(b, k));
                b.ins().fadd(x, y)
            }
            I::SubRight(a, k) => {
                let (x, y) = (self.value(b, a, s1), c(b, k));
                b.ins().fsub(x, y)
            }
            I::MulRight(a, k) => {
                let (x, y) = (self.value(b, a, s1), c(b, k));
                b.ins().fmul(x, y)
            }
            I::DivRight(a, k) => {
                let (x, y) = (self.value(b, a, s1), c(b, k));
                self.divide(b, own, x, y, ConstantRight);
                return Ok(());
            }
            I::BinaryRight(op, a, k) => {
                let (x, y) = (self.value(b, a, s1), c(b, k));
                return self.call_binary(b, own, op, ConstantRight, x, y);
            }
            I::AddLeft(k, bb) => {
                let (x, y) = (c(b, k), self.value(b, bb, s1));
                b.ins().fadd(x, y)
            }
            I::SubLeft(k, bb) => {
                let (x, y) = (c(b, k), self.value(b, bb, s1));
                b.ins().fsub(x, y)
            }
            I::MulLeft(k, bb) => {
                let (x, y) = (c(b, k), self.value(b, bb, s1));
                b.ins().fmul(x, y)
            }
            I::DivLeft(k, bb) => {
                let (x, y) = (c(b, k), self.value(b, bb, s1));
                self.divide(b, own, x, y, ConstantLeft);
                return Ok(());
            }
            I::BinaryLeft(op, k, bb) => {
                let (x, y) = (c(b, k), self.value(b, bb, s1));
                return self.call_binary(b, own, op, ConstantLeft, x, y);
            }
            // Custom operations call Python: a program with any is not compiled.
            _ => return Err(NotCompiled::Customs),
        };
        self.store(b, v, own.1, at);
        self.known.insert((i as u32, own.1), v);
        Ok(())
    }
}
