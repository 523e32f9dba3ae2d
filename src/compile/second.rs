//! Passes of tangents as native code, **bit for bit** as the interpreter computes
//! them: the Hessian-vector products of forward-over-reverse, `L` directions a pass
//! ([`SecondOrder`], as `hessian_lanes` in `replay/second_order.rs`), and the forward
//! passes of a sparse Jacobian ([`ChainTangents`], as `seeded_tangent_pass` in
//! `replay/compressed.rs`).
//!
//! After the value code's forward pass (values and partials in its working memory, the
//! output's adjoint seeded), two passes run over a second buffer that holds, for each
//! entry, its `L` tangents then its `L` adjoint tangents:
//!
//! - the tangent pass, entry by entry upwards: `t = pa·ta + pb·tb` in each lane, skipped
//!   where every operand's tangent is 0, redone with [`crate::ops::chain`]'s products
//!   (a helper, the cold path) where a lane is NaN;
//! - the adjoint-tangent pass, from the last entry down: the sweep's step (the value
//!   code's, written in: its adjoints live in registers, not memory), then, with λ the
//!   adjoint and λ' its tangent, `(haa·ta + hab·tb)·λ + pa·λ'` to operand a's adjoint
//!   tangent and `(hab·ta + hbb·tb)·λ + pb·λ'` to b's, skipped where it passes on
//!   nothing, redone with `chain` where a lane is NaN.
//!
//! The tests, the skips and the fallbacks are the interpreter's, over the same `L` lanes,
//! so each lane has its bits (the sign of a zero included); pairs of lanes are `F64X2`
//! vectors, IEEE lane by lane. The second partials of add, subtract, multiply, divide
//! and negate are written inline with the table's formulas
//! ([`crate::ops::Binary::second`]); every other operation calls a helper that calls the
//! table (`helpers.rs`). A loop of the value code (`loops.rs`) is a loop here too, its
//! body written once. Each pass is a function a piece of the program, as the value
//! code's ([`compile_passes`]).

use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{
    types, Block, BlockArg, InstBuilder, MemFlagsData, StackSlotData, StackSlotKind, Value as Ssa,
};
use cranelift_frontend::FunctionBuilder;

use super::jit::{Jit, JitFunctions};
use super::layout::{negate, Frame, Layout};
use super::loops::{Loop, Segment};
use super::sweep::{operands as partials_of, Partial, Sweep};
use super::{pieces, NotCompiled, CHUNK, MAX_ENTRIES, MAX_LENGTH, OPTIMISED};
use crate::ops::{Binary, Operands, Unary};
use crate::replay::{Instruction, Program};

/// The cold paths' helpers (`helpers.rs`): their parameters, `None` for a pointer.
const TANGENT_CHAIN: [Option<types::Type>; 6] = [
    Some(types::F64),
    Some(types::F64),
    None,
    None,
    None,
    Some(types::I64),
];
const ADJOINT_CHAIN: [Option<types::Type>; 7] =
    [None, None, None, None, None, None, Some(types::I64)];

/// A pass's function: the working memory of the value code, then the second buffer.
type PassFn = unsafe extern "C" fn(*mut f64, *mut f64);

/// A pass's functions, one a piece with the piece's first entry, in increasing order.
type Pieces = Vec<(usize, PassFn)>;

/// The second-order passes of a program, compiled for `lanes` directions a pass.
pub struct SecondOrder {
    /// Holds the code the function pointers point to.
    _jit: Jit,
    lanes: usize,
    len: usize,
    /// The tangent pass's functions with the first entry of their piece, in increasing
    /// order; the adjoint-tangent pass's, the same pieces.
    tangents: Vec<(usize, PassFn)>,
    adjoints: Vec<(usize, PassFn)>,
}

impl std::fmt::Debug for SecondOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecondOrder")
            .field("lanes", &self.lanes)
            .field("entries", &self.len)
            .finish()
    }
}

fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// A function of one of the passes being written.
struct Pass<'a, 'b> {
    /// The value code's layout (one lane).
    layout: Layout,
    lanes: usize,
    work: Ssa,
    second: Ssa,
    functions: &'a mut JitFunctions<'b>,
    /// In a loop's body: the addresses by stride of the working memory and of the
    /// second buffer.
    frames: Option<(Frame, Frame)>,
    instructions: &'a [Instruction],
    /// The value code's sweep, written into the adjoint-tangent pass: its adjoints
    /// are in variables as there (the value code's sweep leaves most of them in
    /// registers, not in memory), λ for each entry.
    sweep: Sweep,
}

/// An entry's `L` lanes of tangents (or adjoint tangents, or of a sum), in the groups
/// of [`Pass::groups`]: pairs of lanes as `F64X2` vectors, an odd last lane a number.
type Lanes = Vec<Ssa>;

/// Flags for the second buffer, whose pairs of lanes need not be 16-byte aligned.
fn unaligned() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

impl Pass<'_, '_> {
    fn work_base(&self, stride: i64) -> Ssa {
        match &self.frames {
            Some((work, _)) => work.base(self.work, stride),
            None => self.work,
        }
    }

    fn second_base(&self, stride: i64) -> Ssa {
        match &self.frames {
            Some((_, second)) => second.base(self.second, stride),
            None => self.second,
        }
    }

    fn load_work(&self, b: &mut FunctionBuilder, stride: i64, offset: i32) -> Ssa {
        b.ins()
            .load(types::F64, flags(), self.work_base(stride), offset)
    }

    fn value(&self, b: &mut FunctionBuilder, i: usize, stride: i64) -> Ssa {
        self.load_work(b, stride, self.layout.value(i))
    }

    fn partial(&self, b: &mut FunctionBuilder, i: usize, slot: usize, stride: i64) -> Ssa {
        self.load_work(b, 2 * stride, self.layout.partial(i, slot))
    }

    /// Where lane `l` of entry `i`'s tangent (`adjoint`: its adjoint's tangent) is in
    /// the second buffer, in bytes.
    fn at(&self, i: usize, adjoint: bool, l: usize) -> i32 {
        // `SecondOrder::new` bounds 16 L len below 2^31.
        (8 * (2 * self.lanes * i + usize::from(adjoint) * self.lanes + l)) as i32
    }

    fn pointer(&self, b: &FunctionBuilder) -> types::Type {
        b.func.dfg.value_type(self.work)
    }

    /// The address of entry `i`'s tangents (or its adjoint's) in the second buffer.
    fn address(&self, b: &mut FunctionBuilder, i: usize, adjoint: bool, stride: i64) -> Ssa {
        let base = self.second_base(stride);
        b.ins().iadd_imm_s(base, self.at(i, adjoint, 0) as i64)
    }

    /// [`Pass::address`] of `(i, stride)` when `present`, else null.
    fn address_or_null(
        &self,
        b: &mut FunctionBuilder,
        (i, stride): (usize, i64),
        present: bool,
        adjoint: bool,
    ) -> Ssa {
        if present {
            self.address(b, i, adjoint, stride)
        } else {
            let pointer = self.pointer(b);
            b.ins().iconst(pointer, 0)
        }
    }

    /// The lanes in groups, each with its first lane and type: pairs as `F64X2`
    /// vectors (IEEE lane by lane, so each lane has the bits of a number's operations),
    /// an odd last lane as `F64`.
    fn groups(&self) -> Vec<(usize, types::Type)> {
        (0..self.lanes)
            .step_by(2)
            .map(|l| match l + 1 < self.lanes {
                true => (l, types::F64X2),
                false => (l, types::F64),
            })
            .collect()
    }

    /// `x` (a number) in every lane of a group of type `ty`.
    fn splat(b: &mut FunctionBuilder, x: Ssa, ty: types::Type) -> Ssa {
        if ty == types::F64 {
            x
        } else {
            b.ins().splat(ty, x)
        }
    }

    /// 0 in every lane of a group of type `ty`.
    fn zero(b: &mut FunctionBuilder, ty: types::Type) -> Ssa {
        let zero = b.ins().f64const(0.0);
        Self::splat(b, zero, ty)
    }

    /// Entry `i`'s tangents (or its adjoint's), every lane.
    fn lanes_of(&self, b: &mut FunctionBuilder, i: usize, adjoint: bool, stride: i64) -> Lanes {
        let base = self.second_base(stride);
        self.groups()
            .into_iter()
            .map(|(l, ty)| b.ins().load(ty, unaligned(), base, self.at(i, adjoint, l)))
            .collect()
    }

    fn zeros(&self, b: &mut FunctionBuilder) -> Lanes {
        self.groups()
            .into_iter()
            .map(|(_, ty)| Self::zero(b, ty))
            .collect()
    }

    /// Whether every lane of every group of `xs` is 0 (an `i8`, 1 or 0).
    fn all_zero(&self, b: &mut FunctionBuilder, xs: &[Ssa]) -> Ssa {
        let mut all = b.ins().iconst(types::I8, 1);
        for &x in xs {
            let ty = b.func.dfg.value_type(x);
            let zero = Self::zero(b, ty);
            let mut is = b.ins().fcmp(FloatCC::Equal, x, zero);
            if ty.is_vector() {
                is = b.ins().vall_true(is);
            }
            all = b.ins().band(all, is);
        }
        all
    }

    /// Whether some lane of some group of `xs` is NaN.
    fn any_nan(&self, b: &mut FunctionBuilder, xs: &[Ssa]) -> Ssa {
        let mut any = b.ins().iconst(types::I8, 0);
        for &x in xs {
            let mut nan = b.ins().fcmp(FloatCC::Unordered, x, x);
            if b.func.dfg.value_type(x).is_vector() {
                nan = b.ins().vany_true(nan);
            }
            any = b.ins().bor(any, nan);
        }
        any
    }

    /// A block taking the groups of `sums` sets of lanes.
    fn block_of_lanes(&self, b: &mut FunctionBuilder, sums: usize) -> Block {
        let block = b.create_block();
        for _ in 0..sums {
            for (_, ty) in self.groups() {
                b.append_block_param(block, ty);
            }
        }
        block
    }

    fn args(xs: &[Ssa]) -> Vec<BlockArg> {
        xs.iter().map(|&x| BlockArg::Value(x)).collect()
    }

    /// Entry `i`'s partials as the interpreter's entries keep them: `pa`, and `pb` (0
    /// for an entry of one operand).
    fn partials(
        &self,
        b: &mut FunctionBuilder,
        (i, strides): (usize, [i64; 3]),
        instruction: Instruction,
    ) -> [Ssa; 2] {
        let (indices, _) = instruction.operands();
        let mut found = [None, None];
        for (f, partial) in partials_of(instruction) {
            found[f] = Some(match partial {
                Partial::Constant(c) => b.ins().f64const(c),
                Partial::ValueOf(g) => self.value(b, indices[g] as usize, strides[1 + g]),
                Partial::Stored(s) => self.partial(b, i, s, strides[0]),
            });
        }
        found.map(|p| p.unwrap_or_else(|| b.ins().f64const(0.0)))
    }

    /// Entry `i`'s operands' tangents: operand a's, and b's (0 for an entry of one
    /// operand).
    fn operand_tangents(
        &self,
        b: &mut FunctionBuilder,
        strides: [i64; 3],
        instruction: Instruction,
    ) -> (Lanes, Lanes) {
        let (indices, count) = instruction.operands();
        let ta = self.lanes_of(b, indices[0] as usize, false, strides[1]);
        let tb = if count == 2 {
            self.lanes_of(b, indices[1] as usize, false, strides[2])
        } else {
            self.zeros(b)
        };
        (ta, tb)
    }

    /// Entry `i`'s second partials `[haa, hab, hbb]` as the interpreter's forward pass
    /// keeps them (`kept`): the three of a function of two variables, else the variable
    /// operand's and two zeros.
    fn seconds(
        &mut self,
        b: &mut FunctionBuilder,
        (i, strides): (usize, [i64; 3]),
        instruction: Instruction,
    ) -> Result<[Ssa; 3], NotCompiled> {
        use Instruction as I;
        let [own, s1, s2] = strides;
        let zero = b.ins().f64const(0.0);
        Ok(match instruction {
            I::Unary(Unary::Neg, _) => [zero; 3],
            I::Unary(op, a) => {
                let f = self.functions.unary_second(op, b)?;
                let x = self.value(b, a as usize, s1);
                let v = self.value(b, i, own);
                let d = self.partial(b, i, 0, own);
                let call = b.ins().call(f, &[x, v, d]);
                [b.inst_results(call)[0], zero, zero]
            }
            I::Mul(..) => [zero, b.ins().f64const(1.0), zero],
            // [0, -(dx·dx), -2·(dy / y)] with dx = 1 / y and dy = -v / y.
            I::Div(_, bb) => {
                let (dx, dy) = (self.partial(b, i, 0, own), self.partial(b, i, 1, own));
                let y = self.value(b, bb as usize, s2);
                let square = b.ins().fmul(dx, dx);
                [zero, negate(b, square), self.minus_twice(b, dy, y)]
            }
            // c / y keeps ∂²/∂y² = -2·(dy / y) first.
            I::DivLeft(_, bb) => {
                let dy = self.partial(b, i, 0, own);
                let y = self.value(b, bb as usize, s1);
                [self.minus_twice(b, dy, y), zero, zero]
            }
            I::Binary(op, a, bb) => {
                let (x, y) = (
                    self.value(b, a as usize, s1),
                    self.value(b, bb as usize, s2),
                );
                self.call_binary_second(b, op, Operands::Both, x, y)?
            }
            I::BinaryRight(op, a, c) => {
                let (x, y) = (self.value(b, a as usize, s1), b.ins().f64const(c));
                self.call_binary_second(b, op, Operands::ConstantRight, x, y)?
            }
            I::BinaryLeft(op, c, bb) => {
                let (x, y) = (b.ins().f64const(c), self.value(b, bb as usize, s1));
                self.call_binary_second(b, op, Operands::ConstantLeft, x, y)?
            }
            // Sums, differences, and products and quotients by a constant: straight
            // lines in their variable.
            I::Add(..)
            | I::Sub(..)
            | I::AddRight(..)
            | I::SubRight(..)
            | I::MulRight(..)
            | I::DivRight(..)
            | I::AddLeft(..)
            | I::SubLeft(..)
            | I::MulLeft(..) => [zero; 3],
            _ => return Err(NotCompiled::Customs),
        })
    }

    /// `-2 · (dy / y)`.
    fn minus_twice(&self, b: &mut FunctionBuilder, dy: Ssa, y: Ssa) -> Ssa {
        let quotient = b.ins().fdiv(dy, y);
        let minus_two = b.ins().f64const(-2.0);
        b.ins().fmul(minus_two, quotient)
    }

    fn call_binary_second(
        &mut self,
        b: &mut FunctionBuilder,
        op: Binary,
        operands: Operands,
        x: Ssa,
        y: Ssa,
    ) -> Result<[Ssa; 3], NotCompiled> {
        let f = self.functions.binary_second(op, operands, b)?;
        let slot =
            b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 24, 3));
        let pointer = self.pointer(b);
        let out = b.ins().stack_addr(pointer, slot, 0);
        b.ins().call(f, &[x, y, out]);
        Ok([0, 8, 16].map(|at| b.ins().load(types::F64, flags(), out, at)))
    }

    /// Entry `i`'s step of the tangent pass (of a loop's first copy, with `strides`).
    fn tangent(
        &mut self,
        b: &mut FunctionBuilder,
        i: usize,
        instruction: Instruction,
        strides: [i64; 3],
    ) -> Result<(), NotCompiled> {
        if partials_of(instruction).is_empty() {
            return Ok(());
        }
        let (ta, tb) = self.operand_tangents(b, strides, instruction);
        let both: Vec<Ssa> = ta.iter().chain(&tb).copied().collect();
        let skip = self.all_zero(b, &both);
        let (work, cold, store, next) = (
            b.create_block(),
            b.create_block(),
            self.block_of_lanes(b, 1),
            b.create_block(),
        );
        b.ins().brif(skip, next, &[], work, &[]);

        b.switch_to_block(work);
        let [pa, pb] = self.partials(b, (i, strides), instruction);
        let groups = self.groups();
        let t: Lanes = (0..groups.len())
            .map(|g| {
                let ty = groups[g].1;
                let (pa, pb) = (Self::splat(b, pa, ty), Self::splat(b, pb, ty));
                let x = b.ins().fmul(pa, ta[g]);
                let y = b.ins().fmul(pb, tb[g]);
                b.ins().fadd(x, y)
            })
            .collect();
        let nan = self.any_nan(b, &t);
        b.set_cold_block(cold);
        b.ins().brif(nan, cold, &[], store, &Self::args(&t));

        b.switch_to_block(cold);
        let (indices, count) = instruction.operands();
        let ta = self.address(b, indices[0] as usize, false, strides[1]);
        let tb = self.address_or_null(b, (indices[1] as usize, strides[2]), count == 2, false);
        let out = self.address(b, i, false, strides[0]);
        let lanes = b.ins().iconst(types::I64, self.lanes as i64);
        let f = self
            .functions
            .named("wengert_tangent_chain", &TANGENT_CHAIN, b)?;
        b.ins().call(f, &[pa, pb, ta, tb, out, lanes]);
        b.ins().jump(next, &[]);

        b.switch_to_block(store);
        let base = self.second_base(strides[0]);
        for (g, (l, _)) in groups.into_iter().enumerate() {
            let t = b.block_params(store)[g];
            b.ins().store(unaligned(), t, base, self.at(i, false, l));
        }
        b.ins().jump(next, &[]);
        b.switch_to_block(next);
        Ok(())
    }

    /// `partial · tangent` by [`crate::ops::chain`]: 0 where the product is NaN and a
    /// factor is 0.
    fn chain(b: &mut FunctionBuilder, partial: Ssa, tangent: Ssa) -> Ssa {
        let product = b.ins().fmul(partial, tangent);
        let nan = b.ins().fcmp(FloatCC::Unordered, product, product);
        let zero = b.ins().f64const(0.0);
        let p_zero = b.ins().fcmp(FloatCC::Equal, partial, zero);
        let t_zero = b.ins().fcmp(FloatCC::Equal, tangent, zero);
        let a_zero = b.ins().bor(p_zero, t_zero);
        let to_zero = b.ins().band(nan, a_zero);
        b.ins().select(to_zero, zero, product)
    }

    /// Entry `i`'s step of a sparse Jacobian's tangent pass (of a loop's first copy,
    /// with `strides`): its tangent into its adjoint's slot.
    fn chain_tangent(
        &mut self,
        b: &mut FunctionBuilder,
        i: usize,
        instruction: Instruction,
        strides: [i64; 3],
    ) -> Result<(), NotCompiled> {
        if partials_of(instruction).is_empty() {
            return Ok(());
        }
        let (indices, count) = instruction.operands();
        let [pa, pb] = self.partials(b, (i, strides), instruction);
        let ta = self.load_work(b, strides[1], self.layout.adjoint(indices[0] as usize));
        let mut t = Self::chain(b, pa, ta);
        if count == 2 {
            let tb = self.load_work(b, strides[2], self.layout.adjoint(indices[1] as usize));
            let second = Self::chain(b, pb, tb);
            t = b.ins().fadd(t, second);
        }
        let base = self.work_base(strides[0]);
        b.ins().store(flags(), t, base, self.layout.adjoint(i));
        Ok(())
    }

    /// Entry `i`'s step of the adjoint-tangent pass (of a loop's first copy, with
    /// `strides`).
    fn adjoint(
        &mut self,
        b: &mut FunctionBuilder,
        i: usize,
        instruction: Instruction,
        strides: [i64; 3],
    ) -> Result<(), NotCompiled> {
        if partials_of(instruction).is_empty() {
            return Ok(());
        }
        // The sweep's step first: it adds to the operands' adjoints, not to λ.
        self.sweep.entry(b, i, instruction, strides);
        let (indices, count) = instruction.operands();
        let lambda = self.sweep.adjoint(b, i, strides[0]);
        let dot = self.lanes_of(b, i, true, strides[0]);
        let (ta, tb) = self.operand_tangents(b, strides, instruction);
        // It passes on nothing where λ' is 0 and λ is 0 or the operands' tangents are.
        let no_dot = self.all_zero(b, &dot);
        let zero = b.ins().f64const(0.0);
        let no_lambda = b.ins().fcmp(FloatCC::Equal, lambda, zero);
        let both: Vec<Ssa> = ta.iter().chain(&tb).copied().collect();
        let no_tangent = self.all_zero(b, &both);
        let nothing = b.ins().bor(no_lambda, no_tangent);
        let skip = b.ins().band(no_dot, nothing);
        let lanes = self.lanes;
        let (work, cold, add, next) = (
            b.create_block(),
            b.create_block(),
            self.block_of_lanes(b, 2),
            b.create_block(),
        );
        b.ins().brif(skip, next, &[], work, &[]);

        b.switch_to_block(work);
        let [haa, hab, hbb] = self.seconds(b, (i, strides), instruction)?;
        let [pa, pb] = self.partials(b, (i, strides), instruction);
        // (h1·ta + h2·tb)·λ + p·λ', group by group.
        let groups = self.groups();
        let term = |b: &mut FunctionBuilder, numbers: [Ssa; 3], g: usize| {
            let ty = groups[g].1;
            let [h1, h2, p] = numbers.map(|x| Self::splat(b, x, ty));
            let lambda = Self::splat(b, lambda, ty);
            let x = b.ins().fmul(h1, ta[g]);
            let y = b.ins().fmul(h2, tb[g]);
            let p_dot = b.ins().fadd(x, y);
            let x = b.ins().fmul(p_dot, lambda);
            let y = b.ins().fmul(p, dot[g]);
            b.ins().fadd(x, y)
        };
        let mut to: Lanes = (0..groups.len())
            .map(|g| term(b, [haa, hab, pa], g))
            .collect();
        to.extend((0..groups.len()).map(|g| term(b, [hab, hbb, pb], g)));
        let nan = self.any_nan(b, &to);
        b.set_cold_block(cold);
        b.ins().brif(nan, cold, &[], add, &Self::args(&to));
        // The cold path: `chain`'s products, lane by lane, in a helper.

        b.switch_to_block(cold);
        let slot =
            b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, 48, 3));
        let pointer = self.pointer(b);
        let numbers = b.ins().stack_addr(pointer, slot, 0);
        for (k, x) in [haa, hab, hbb, pa, pb, lambda].into_iter().enumerate() {
            b.ins().store(flags(), x, numbers, 8 * k as i32);
        }
        let ta = self.address(b, indices[0] as usize, false, strides[1]);
        let b_operand = (indices[1] as usize, strides[2]);
        let tb = self.address_or_null(b, b_operand, count == 2, false);
        let dot = self.address(b, i, true, strides[0]);
        let da = self.address(b, indices[0] as usize, true, strides[1]);
        let db = self.address_or_null(b, b_operand, count == 2, true);
        let lanes_count = b.ins().iconst(types::I64, lanes as i64);
        let f = self
            .functions
            .named("wengert_adjoint_chain", &ADJOINT_CHAIN, b)?;
        b.ins()
            .call(f, &[numbers, ta, tb, dot, da, db, lanes_count]);
        b.ins().jump(next, &[]);

        b.switch_to_block(add);
        let to = b.block_params(add).to_vec();
        for f in 0..count {
            let (k, stride) = (indices[f] as usize, strides[1 + f]);
            let base = self.second_base(stride);
            for (g, &(l, ty)) in groups.iter().enumerate() {
                let at = self.at(k, true, l);
                let old = b.ins().load(ty, unaligned(), base, at);
                let sum = b.ins().fadd(old, to[f * groups.len() + g]);
                b.ins().store(unaligned(), sum, base, at);
            }
        }
        b.ins().jump(next, &[]);
        b.switch_to_block(next);
        Ok(())
    }

    /// A loop's copies, upwards (the tangent pass) or downwards (the other), its body
    /// written once by `entry`.
    fn repeat(
        &mut self,
        b: &mut FunctionBuilder,
        l: &Loop,
        upwards: bool,
        mut entry: impl FnMut(
            &mut Self,
            &mut FunctionBuilder,
            usize,
            [i64; 3],
        ) -> Result<(), NotCompiled>,
    ) -> Result<(), NotCompiled> {
        let top = b.create_block();
        b.append_block_param(top, types::I64);
        let first = if upwards { 0 } else { l.repeats as i64 - 1 };
        let first = b.ins().iconst(types::I64, first);
        b.ins().jump(top, &[BlockArg::Value(first)]);
        b.switch_to_block(top);
        let copy = b.block_params(top)[0];
        let work = Frame::new(b, self.layout, self.work, copy, l.strides_used());
        let bytes = 16 * self.lanes as i64;
        let second = Frame::scaled(b, bytes, self.second, copy, l.strides_used());
        self.sweep.frame = Some(work.clone());
        if !upwards && l.private(self.instructions) {
            self.sweep.own_copy = Some((l.start..l.start + l.body, l.body as i64));
        }
        self.frames = Some((work, second));
        let body: Box<dyn Iterator<Item = usize>> = if upwards {
            Box::new(0..l.body)
        } else {
            Box::new((0..l.body).rev())
        };
        for p in body {
            entry(self, b, l.start + p, l.entry_strides(p))?;
        }
        self.frames = None;
        self.sweep.frame = None;
        let done = b.create_block();
        if upwards {
            let next = b.ins().iadd_imm_s(copy, 1);
            let more = b.ins().icmp_imm_u(
                cranelift_codegen::ir::condcodes::IntCC::UnsignedLessThan,
                next,
                l.repeats as i64,
            );
            b.ins().brif(more, top, &[BlockArg::Value(next)], done, &[]);
        } else {
            let more =
                b.ins()
                    .icmp_imm_u(cranelift_codegen::ir::condcodes::IntCC::NotEqual, copy, 0);
            let next = b.ins().iadd_imm_s(copy, -1);
            b.ins().brif(more, top, &[BlockArg::Value(next)], done, &[]);
        }
        b.switch_to_block(done);
        Ok(())
    }
}

/// What a compiled pass computes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The tangent pass of the Hessian-vector products (upwards).
    Tangent,
    /// Their adjoint-tangent pass, with the sweep (downwards).
    AdjointTangent,
    /// One tangent an entry into the adjoints' slots, by [`crate::ops::chain`] (upwards):
    /// the forward passes of a sparse Jacobian ([`ChainTangents`]).
    ChainTangent,
}

/// The passes `kinds` of `program` for `lanes` directions, each a function a piece
/// (straight chunk or loop), with the piece's first entry: the functions in
/// increasing order, a list a kind.
fn compile_passes<const K: usize>(
    program: &Program,
    lanes: usize,
    kinds: [Kind; K],
) -> Result<(Jit, [Pieces; K]), NotCompiled> {
    if program.has_customs() {
        return Err(NotCompiled::Customs);
    }
    let (len, inputs) = (program.len(), program.inputs());
    let guards = program.guards().len();
    let too_long = NotCompiled::TooLong(len, guards);
    if len > MAX_LENGTH || 16 * lanes.max(1) * len > i32::MAX as usize {
        return Err(too_long);
    }
    // Each entry is written out once a lane: as many entries as the value code's
    // limit in all.
    let limit = MAX_ENTRIES / lanes.max(1);
    let (segments, code) = super::loops::segments(program, limit).ok_or(too_long)?;
    let mut jit = Jit::new(code <= OPTIMISED)?;
    let layout = Layout::new(len, 1);
    let instructions = program.instructions();
    let pieces = pieces(segments, inputs, CHUNK);
    let define = |jit: &mut Jit, piece: &Segment, kind: Kind| {
        jit.define_with(2, false, |b, functions| {
            let block = b.create_block();
            b.append_block_params_for_function_params(block);
            b.switch_to_block(block);
            let (work, second) = (b.block_params(block)[0], b.block_params(block)[1]);
            let first = match piece {
                &Segment::Straight(start, _) => start,
                Segment::Loop(l) => l.start,
            };
            let mut pass = Pass {
                layout,
                lanes,
                work,
                second,
                functions,
                frames: None,
                sweep: Sweep {
                    layout,
                    work,
                    start: first,
                    adjoints: std::collections::HashMap::new(),
                    frame: None,
                    own_copy: None,
                },
                instructions,
            };
            let entry = |pass: &mut Pass, b: &mut FunctionBuilder, i: usize, strides| match kind {
                Kind::Tangent => pass.tangent(b, i, instructions[i], strides),
                Kind::AdjointTangent => pass.adjoint(b, i, instructions[i], strides),
                Kind::ChainTangent => pass.chain_tangent(b, i, instructions[i], strides),
            };
            let upwards = kind != Kind::AdjointTangent;
            match piece {
                &Segment::Straight(start, end) => {
                    if upwards {
                        for i in start..end {
                            entry(&mut pass, b, i, [0; 3])?;
                        }
                    } else {
                        for i in (start..end).rev() {
                            entry(&mut pass, b, i, [0; 3])?;
                        }
                    }
                }
                Segment::Loop(l) => pass.repeat(b, l, upwards, entry)?,
            }
            b.ins().return_(&[]);
            Ok(())
        })
    };
    let mut ids = Vec::with_capacity(pieces.len());
    for piece in &pieces {
        let first = match piece {
            &Segment::Straight(start, _) => start,
            Segment::Loop(l) => l.start,
        };
        for kind in kinds {
            ids.push((kind, first, define(&mut jit, piece, kind)?));
        }
    }
    jit.finish()?;
    let mut functions: [Pieces; K] = std::array::from_fn(|_| Vec::new());
    for (kind, first, id) in ids {
        // SAFETY: each function was defined with two pointers in and nothing out, the
        // platform's C convention.
        let f = unsafe { std::mem::transmute::<*const u8, PassFn>(jit.address(id)) };
        let k = kinds.iter().position(|&k| k == kind).unwrap_or(0);
        functions[k].push((first, f));
    }
    Ok((jit, functions))
}

/// The forward tangent passes of a program's sparse Jacobian, compiled: one tangent
/// an entry, `chain(pa, ta) + chain(pb, tb)` (the first product alone for an entry of
/// one operand), into the adjoints' slots of the value code's working memory, as the
/// interpreter's `seeded_tangent_pass` computes them into its adjoints.
pub struct ChainTangents {
    /// Holds the code the function pointers point to.
    _jit: Jit,
    functions: Vec<(usize, PassFn)>,
}

impl std::fmt::Debug for ChainTangents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainTangents")
            .field("functions", &self.functions.len())
            .finish()
    }
}

impl ChainTangents {
    /// The passes of `program`, or why not (as for the value code).
    pub fn new(program: &Program) -> Result<ChainTangents, NotCompiled> {
        let (jit, [functions]) = compile_passes(program, 1, [Kind::ChainTangent])?;
        Ok(ChainTangents {
            _jit: jit,
            functions,
        })
    }

    /// Every entry's tangent from the inputs', on `work` (the value code's working
    /// memory after its forward pass, the inputs' tangents seeded in the adjoints'
    /// slots).
    pub(super) fn run(&self, work: &mut [f64]) {
        for &(_, f) in &self.functions {
            // SAFETY: `work` holds the value code's buffer for this program; the second
            // buffer is not used by this pass.
            unsafe { f(work.as_mut_ptr(), std::ptr::null_mut()) };
        }
    }
}

impl SecondOrder {
    /// The second-order passes of `program` for `lanes` directions a pass, or why not:
    /// as for the value code ([`super::Compiled::new`]), with the limit on what is
    /// written out shared among the lanes (a Hessian's 8 lanes: 1,024 entries and
    /// comparisons, loops folded), and a second buffer of more than 2 GiB, which 32-bit
    /// offsets do not reach.
    pub fn new(program: &Program, lanes: usize) -> Result<SecondOrder, NotCompiled> {
        let kinds = [Kind::Tangent, Kind::AdjointTangent];
        let (jit, [tangents, adjoints]) = compile_passes(program, lanes, kinds)?;
        let len = program.len();
        Ok(SecondOrder {
            _jit: jit,
            lanes,
            len,
            tangents,
            adjoints,
        })
    }

    /// Directions a pass.
    pub fn lanes(&self) -> usize {
        self.lanes
    }

    /// The second buffer's length in `f64`s.
    pub(super) fn buffer(&self) -> usize {
        2 * self.lanes * self.len
    }

    /// Lane `l` of input `j`'s tangent, in the second buffer.
    pub(super) fn seed_at(&self, j: usize, l: usize) -> usize {
        2 * self.lanes * j + l
    }

    /// Lane `l` of input `j`'s adjoint tangent (`H·v` in that lane), in the second
    /// buffer.
    pub(super) fn product_at(&self, j: usize, l: usize) -> usize {
        2 * self.lanes * j + self.lanes + l
    }

    /// The passes over the entries below `end`, on `work` (the value code's working
    /// memory after its forward pass, with the adjoints 0 but the output's, whose entry
    /// is `end - 1`, 1) and `second` (zeros, with the inputs' tangents seeded). The
    /// adjoint-tangent pass sweeps the adjoints as it goes.
    pub(super) fn run(&self, work: &mut [f64], second: &mut [f64], end: usize) {
        debug_assert!(second.len() >= self.buffer());
        for &(first, f) in &self.tangents {
            if first < end {
                // SAFETY: `work` holds the value code's buffer for this program, and
                // `second` this one's.
                unsafe { f(work.as_mut_ptr(), second.as_mut_ptr()) };
            }
        }
        for &(first, f) in self.adjoints.iter().rev() {
            if first < end {
                // SAFETY: as above.
                unsafe { f(work.as_mut_ptr(), second.as_mut_ptr()) };
            }
        }
    }
}
