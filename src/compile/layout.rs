//! Where compiled code keeps an entry's value, partials and adjoint: one flat buffer
//! of `f64`, the values of all entries first, then two partial slots per entry, then
//! the adjoints. With two lanes (two points a pass, see [`super::lanes`]) every slot
//! holds two `f64`, the first point's then the second's, so that one vector load or
//! store (`F64X2`) moves both.

use cranelift_codegen::ir::{types, Type};

/// The offsets, in bytes, into the working memory of a program of `len` entries, for
/// `lanes` points a pass (1 or 2).
#[derive(Clone, Copy, Debug)]
pub(super) struct Layout {
    len: usize,
    lanes: usize,
}

impl Layout {
    pub(super) fn new(len: usize, lanes: usize) -> Layout {
        Layout { len, lanes }
    }

    /// Points a pass.
    pub(super) fn lanes(self) -> usize {
        self.lanes
    }

    /// The type of a slot: `F64`, or `F64X2` for two lanes.
    pub(super) fn ty(self) -> Type {
        if self.lanes == 2 {
            types::F64X2
        } else {
            types::F64
        }
    }

    /// The buffer's length in `f64`s.
    pub(super) fn total(self) -> usize {
        4 * self.len * self.lanes
    }

    /// Where the adjoints start, in `f64`s.
    pub(super) fn adjoints_start(self) -> usize {
        3 * self.len * self.lanes
    }

    fn bytes(self, index: usize) -> i32 {
        // The policy of `Compiled::new` bounds the entries well below 2^27.
        (8 * self.lanes * index) as i32
    }

    pub(super) fn value(self, i: usize) -> i32 {
        self.bytes(i)
    }

    pub(super) fn partial(self, i: usize, slot: usize) -> i32 {
        self.bytes(self.len + 2 * i + slot)
    }

    /// The distance from partial slot 0 to slot 1, in `f64`s.
    pub(super) fn partial_stride(self) -> usize {
        self.lanes
    }

    pub(super) fn adjoint(self, i: usize) -> i32 {
        self.bytes(3 * self.len + i)
    }
}

/// Where a loop's copy number moves the working memory's address: for each stride (in
/// entries) its body uses, the address of the working memory plus the copy number
/// times the stride, computed once per copy at the top of the body, so that every
/// entry of the body reaches its slots at the offsets of copy 0 from one of them.
#[derive(Clone)]
pub(super) struct Frame {
    /// The copy number, an `i64`.
    pub copy: cranelift_codegen::ir::Value,
    bases: std::collections::HashMap<i64, cranelift_codegen::ir::Value>,
}

impl Frame {
    /// At the top of a copy: the addresses for every stride in `strides`.
    pub(super) fn new(
        b: &mut cranelift_frontend::FunctionBuilder,
        layout: Layout,
        work: cranelift_codegen::ir::Value,
        copy: cranelift_codegen::ir::Value,
        strides: impl IntoIterator<Item = i64>,
    ) -> Frame {
        Frame::scaled(b, 8 * layout.lanes as i64, work, copy, strides)
    }

    /// [`Frame::new`] for memory of `bytes` bytes an entry from `work` on.
    pub(super) fn scaled(
        b: &mut cranelift_frontend::FunctionBuilder,
        bytes: i64,
        work: cranelift_codegen::ir::Value,
        copy: cranelift_codegen::ir::Value,
        strides: impl IntoIterator<Item = i64>,
    ) -> Frame {
        use cranelift_codegen::ir::InstBuilder;
        let mut bases = std::collections::HashMap::new();
        for stride in strides {
            if stride != 0 && !bases.contains_key(&stride) {
                let offset = b.ins().imul_imm_s(copy, bytes * stride);
                bases.insert(stride, b.ins().iadd(work, offset));
            }
        }
        Frame { copy, bases }
    }

    /// The address `work` moved by `stride` entries a copy (one of those made).
    pub(super) fn base(
        &self,
        work: cranelift_codegen::ir::Value,
        stride: i64,
    ) -> cranelift_codegen::ir::Value {
        if stride == 0 {
            work
        } else {
            self.bases[&stride]
        }
    }
}

/// `-x`, bit for bit as Rust's `-x` (the sign bit flipped, NaN included), written as an
/// integer operation on the bits: Cranelift's optimiser rewrites expressions of `fneg`
/// (`(-a) * (-b)` into `a * b`), which changes the sign of a NaN result.
pub(super) fn negate(
    b: &mut cranelift_frontend::FunctionBuilder,
    x: cranelift_codegen::ir::Value,
) -> cranelift_codegen::ir::Value {
    use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData};
    // A number or a vector of lanes (`F64X2`): each lane's sign bit.
    let ty = b.func.dfg.value_type(x);
    let bits = b.ins().bitcast(ty.as_int(), MemFlagsData::new(), x);
    let sign = b.ins().iconst(types::I64, i64::MIN);
    let sign = if ty.is_vector() {
        b.ins().splat(ty.as_int(), sign)
    } else {
        sign
    };
    let flipped = b.ins().bxor(bits, sign);
    b.ins().bitcast(ty, MemFlagsData::new(), flipped)
}
