//! Where compiled code keeps an entry's value, partials and adjoint: one flat buffer
//! of `f64`, the values of all entries first, then two partial slots per entry, then
//! the adjoints.

/// The offsets, in bytes, into the working memory of a program of `len` entries.
#[derive(Clone, Copy, Debug)]
pub(super) struct Layout {
    len: usize,
}

impl Layout {
    pub(super) fn new(len: usize) -> Layout {
        Layout { len }
    }

    /// The buffer's length in `f64`s.
    pub(super) fn total(self) -> usize {
        4 * self.len
    }

    /// Where the adjoints start, in `f64`s.
    pub(super) fn adjoints_start(self) -> usize {
        3 * self.len
    }

    fn bytes(index: usize) -> i32 {
        // The policy of `Compiled::new` bounds the entries well below 2^28.
        (8 * index) as i32
    }

    pub(super) fn value(self, i: usize) -> i32 {
        Self::bytes(i)
    }

    pub(super) fn partial(self, i: usize, slot: usize) -> i32 {
        Self::bytes(self.len + 2 * i + slot)
    }

    pub(super) fn adjoint(self, i: usize) -> i32 {
        Self::bytes(3 * self.len + i)
    }
}

/// Where a loop's copy number moves the working memory's address: for each stride (in
/// entries) its body uses, the address of the working memory plus the copy number
/// times the stride, computed once per copy at the top of the body, so that every
/// entry of the body reaches its slots at the offsets of copy 0 from one of them.
pub(super) struct Frame {
    /// The copy number, an `i64`.
    pub copy: cranelift_codegen::ir::Value,
    bases: std::collections::HashMap<i64, cranelift_codegen::ir::Value>,
}

impl Frame {
    /// At the top of a copy: the addresses for every stride in `strides`.
    pub(super) fn new(
        b: &mut cranelift_frontend::FunctionBuilder,
        work: cranelift_codegen::ir::Value,
        copy: cranelift_codegen::ir::Value,
        strides: impl IntoIterator<Item = i64>,
    ) -> Frame {
        use cranelift_codegen::ir::InstBuilder;
        let mut bases = std::collections::HashMap::new();
        for stride in strides {
            if stride != 0 && !bases.contains_key(&stride) {
                let offset = b.ins().imul_imm_s(copy, 8 * stride);
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
    let bits = b.ins().bitcast(types::I64, MemFlagsData::new(), x);
    let flipped = b.ins().bxor_imm_u(bits, i64::MIN);
    b.ins().bitcast(types::F64, MemFlagsData::new(), flipped)
}
