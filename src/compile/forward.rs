//! The forward pass as native code: one function per chunk of entries, in the recorded
//! order, each entry's value (and the partials the sweep cannot recompute from values)
//! written to the working memory, the guards checked where the recorded code made them.
//!
//! Add, subtract, multiply, divide and negate are written inline with the table's
//! formulas ([`crate::ops::Binary::eval`]): `x + y`, `x - y`, `x * y`, `x / y` with
//! the partials `1 / y` and `-v / y` (the negation first, as Rust parses `-v / y`), no
//! fused multiply-add. Every other operation calls its helper. A function returns 0, or
//! `g + 1` when guard `g` fails, or `-(i + 1)` when entry `i` has no value.

use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{types, Block, BlockArg, InstBuilder, MemFlagsData, Value as Ssa};
use cranelift_frontend::FunctionBuilder;
use std::collections::HashMap;

use super::jit::JitFunctions;
use super::layout::Layout;
use super::NotCompiled;
use crate::ops::{Binary, Comparison, Operands, Unary};
use crate::replay::{Guard, Instruction, Value};

/// What a function of the forward pass is writing into.
pub(super) struct Forward<'a, 'b> {
    pub layout: Layout,
    pub work: Ssa,
    pub exit: Block,
    pub functions: &'a mut JitFunctions<'b>,
    /// The values this function has computed or loaded already: each is loaded once
    /// (the code is straight-line, so a value defined earlier dominates every use).
    pub known: HashMap<u32, Ssa>,
}

fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

impl Forward<'_, '_> {
    fn load(&self, b: &mut FunctionBuilder, offset: i32) -> Ssa {
        b.ins().load(types::F64, flags(), self.work, offset)
    }

    fn store(&self, b: &mut FunctionBuilder, x: Ssa, offset: i32) {
        b.ins().store(flags(), x, self.work, offset);
    }

    fn value(&mut self, b: &mut FunctionBuilder, i: u32) -> Ssa {
        if let Some(&v) = self.known.get(&i) {
            return v;
        }
        let v = self.load(b, self.layout.value(i as usize));
        self.known.insert(i, v);
        v
    }

    fn operand(&mut self, b: &mut FunctionBuilder, v: Value) -> Ssa {
        match v {
            Value::Entry(i) => self.value(b, i),
            Value::Constant(c) => b.ins().f64const(c),
        }
    }

    /// Leave with `status` when `failed` is nonzero.
    fn exit_if(&self, b: &mut FunctionBuilder, failed: Ssa, status: i64) {
        let status = b.ins().iconst(types::I64, status);
        let next = b.create_block();
        b.ins()
            .brif(failed, self.exit, &[BlockArg::Value(status)], next, &[]);
        b.switch_to_block(next);
    }

    /// Check guard number `g`.
    pub(super) fn guard(&mut self, b: &mut FunctionBuilder, g: usize, guard: &Guard) {
        let (l, r) = (self.operand(b, guard.left), self.operand(b, guard.right));
        let cc = match guard.comparison {
            Comparison::Lt => FloatCC::LessThan,
            Comparison::Le => FloatCC::LessThanOrEqual,
            Comparison::Eq => FloatCC::Equal,
            Comparison::Ne => FloatCC::NotEqual,
            Comparison::Gt => FloatCC::GreaterThan,
            Comparison::Ge => FloatCC::GreaterThanOrEqual,
        };
        let holds = b.ins().fcmp(cc, l, r);
        let failed = if guard.outcome {
            b.ins().bxor_imm_u(holds, 1)
        } else {
            holds
        };
        self.exit_if(b, failed, g as i64 + 1);
    }

    /// Leave with entry `i`'s status when `y` is zero (division by zero).
    fn check_divisor(&self, b: &mut FunctionBuilder, i: usize, y: Ssa) {
        let zero = b.ins().f64const(0.0);
        let is_zero = b.ins().fcmp(FloatCC::Equal, y, zero);
        self.exit_if(b, is_zero, -(i as i64) - 1);
    }

    /// `x / y` and its partials `1 / y`, `-v / y`, kept as `kept` says (the partial
    /// by the one variable operand first).
    fn divide(&mut self, b: &mut FunctionBuilder, i: usize, x: Ssa, y: Ssa, operands: Operands) {
        self.check_divisor(b, i, y);
        let v = b.ins().fdiv(x, y);
        self.store(b, v, self.layout.value(i));
        self.known.insert(i as u32, v);
        let one = b.ins().f64const(1.0);
        let minus_v = b.ins().fneg(v);
        match operands {
            Operands::Both => {
                let dx = b.ins().fdiv(one, y);
                let dy = b.ins().fdiv(minus_v, y);
                self.store(b, dx, self.layout.partial(i, 0));
                self.store(b, dy, self.layout.partial(i, 1));
            }
            // `x / c`: the partial 1 / c is a constant the sweep knows.
            Operands::ConstantRight => {}
            Operands::ConstantLeft => {
                let dy = b.ins().fdiv(minus_v, y);
                self.store(b, dy, self.layout.partial(i, 0));
            }
        }
    }

    fn helper_pointers(&mut self, b: &mut FunctionBuilder, i: usize) -> (Ssa, Ssa) {
        let v = b.ins().iadd_imm_s(self.work, self.layout.value(i) as i64);
        let d = b
            .ins()
            .iadd_imm_s(self.work, self.layout.partial(i, 0) as i64);
        (v, d)
    }

    fn call_unary(
        &mut self,
        b: &mut FunctionBuilder,
        i: usize,
        op: Unary,
        x: Ssa,
    ) -> Result<(), NotCompiled> {
        let f = self.functions.unary(op, b)?;
        let (v, d) = self.helper_pointers(b, i);
        let call = b.ins().call(f, &[x, v, d]);
        let failed = b.inst_results(call)[0];
        self.exit_if(b, failed, -(i as i64) - 1);
        Ok(())
    }

    fn call_binary(
        &mut self,
        b: &mut FunctionBuilder,
        i: usize,
        op: Binary,
        operands: Operands,
        x: Ssa,
        y: Ssa,
    ) -> Result<(), NotCompiled> {
        let f = self.functions.binary(op, operands, b)?;
        let (v, d) = self.helper_pointers(b, i);
        let call = b.ins().call(f, &[x, y, v, d]);
        let failed = b.inst_results(call)[0];
        self.exit_if(b, failed, -(i as i64) - 1);
        Ok(())
    }

    /// Entry `i`.
    pub(super) fn entry(
        &mut self,
        b: &mut FunctionBuilder,
        i: usize,
        instruction: Instruction,
    ) -> Result<(), NotCompiled> {
        use Instruction as I;
        use Operands::{Both, ConstantLeft, ConstantRight};
        let at = self.layout.value(i);
        let c = |b: &mut FunctionBuilder, c: f64| b.ins().f64const(c);
        let v = match instruction {
            I::Input => return Ok(()),
            I::Unary(Unary::Neg, a) => {
                let x = self.value(b, a);
                b.ins().fneg(x)
            }
            I::Unary(op, a) => {
                let x = self.value(b, a);
                return self.call_unary(b, i, op, x);
            }
            I::Add(a, bb) => {
                let (x, y) = (self.value(b, a), self.value(b, bb));
                b.ins().fadd(x, y)
            }
            I::Sub(a, bb) => {
                let (x, y) = (self.value(b, a), self.value(b, bb));
                b.ins().fsub(x, y)
            }
            I::Mul(a, bb) => {
                let (x, y) = (self.value(b, a), self.value(b, bb));
                b.ins().fmul(x, y)
            }
            I::Div(a, bb) => {
                let (x, y) = (self.value(b, a), self.value(b, bb));
                self.divide(b, i, x, y, Both);
                return Ok(());
            }
            I::Binary(op, a, bb) => {
                let (x, y) = (self.value(b, a), self.value(b, bb));
                return self.call_binary(b, i, op, Both, x, y);
            }
            I::AddRight(a, k) => {
                let (x, y) = (self.value(b, a), c(b, k));
                b.ins().fadd(x, y)
            }
            I::SubRight(a, k) => {
                let (x, y) = (self.value(b, a), c(b, k));
                b.ins().fsub(x, y)
            }
            I::MulRight(a, k) => {
                let (x, y) = (self.value(b, a), c(b, k));
                b.ins().fmul(x, y)
            }
            I::DivRight(a, k) => {
                let (x, y) = (self.value(b, a), c(b, k));
                self.divide(b, i, x, y, ConstantRight);
                return Ok(());
            }
            I::BinaryRight(op, a, k) => {
                let (x, y) = (self.value(b, a), c(b, k));
                return self.call_binary(b, i, op, ConstantRight, x, y);
            }
            I::AddLeft(k, bb) => {
                let (x, y) = (c(b, k), self.value(b, bb));
                b.ins().fadd(x, y)
            }
            I::SubLeft(k, bb) => {
                let (x, y) = (c(b, k), self.value(b, bb));
                b.ins().fsub(x, y)
            }
            I::MulLeft(k, bb) => {
                let (x, y) = (c(b, k), self.value(b, bb));
                b.ins().fmul(x, y)
            }
            I::DivLeft(k, bb) => {
                let (x, y) = (c(b, k), self.value(b, bb));
                self.divide(b, i, x, y, ConstantLeft);
                return Ok(());
            }
            I::BinaryLeft(op, k, bb) => {
                let (x, y) = (c(b, k), self.value(b, bb));
                return self.call_binary(b, i, op, ConstantLeft, x, y);
            }
            // Custom operations call Python: a program with any is not compiled.
            _ => return Err(NotCompiled::Customs),
        };
        self.store(b, v, at);
        self.known.insert(i as u32, v);
        Ok(())
    }
}
