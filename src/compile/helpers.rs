//! The functions compiled code calls for every operation it does not write inline:
//! one `extern "C"` function per operation of the table (and, for the functions of two
//! arguments, per [`Operands`] case), each calling the very function the interpreter
//! calls ([`Unary::eval`], [`Binary::eval`]), so the values and partials are the same
//! bits. Each writes the value and the partials through the pointers it is given and
//! returns 0, or 1 when the operation has no value there (the glue then replays the
//! point with the interpreter, which reports the error).

use crate::ops::{chain, Binary, Operands, Unary};
use crate::replay::LANES;

/// `f(x)` of a function of one argument: writes the value and the derivative.
pub(super) type UnaryFn = extern "C" fn(f64, *mut f64, *mut f64) -> u32;

/// `f(x, y)` of a function of two arguments: writes the value and the two partials
/// the entry keeps (see [`binary`]), the second `stride` `f64`s after the first (1, or
/// 2 with two lanes, where the slots of the two points alternate).
pub(super) type BinaryFn = extern "C" fn(f64, f64, *mut f64, *mut f64, usize) -> u32;

/// [`Unary::ALL`]`[OP]` at `x`.
extern "C" fn unary<const OP: usize>(x: f64, value: *mut f64, partial: *mut f64) -> u32 {
    match Unary::ALL[OP].eval(x) {
        Ok((v, d)) => {
            // SAFETY: the compiled code passes pointers into its working memory, which
            // has a value slot and two partial slots for every entry (and lane), and the
            // distance between the partial slots.
            unsafe {
                *value = v;
                *partial = d;
            }
            0
        }
        Err(_) => 1,
    }
}

/// [`Binary::ALL`]`[OP]` at `(x, y)`, keeping the partials as the interpreter's
/// forward pass does: both for [`Operands::Both`], else the variable operand's first
/// and 0 second (`SIDE`: 0 both, 1 constant right, 2 constant left).
extern "C" fn binary<const OP: usize, const SIDE: u8>(
    x: f64,
    y: f64,
    value: *mut f64,
    partials: *mut f64,
    stride: usize,
) -> u32 {
    match Binary::ALL[OP].eval(x, y) {
        Ok((v, dx, dy)) => {
            let (p0, p1) = match SIDE {
                0 => (dx, dy),
                1 => (dx, 0.0),
                _ => (dy, 0.0),
            };
            // SAFETY: as in `unary`.
            unsafe {
                *value = v;
                *partials = p0;
                *partials.add(stride) = p1;
            }
            0
        }
        Err(_) => 1,
    }
}

/// The second derivative of a function of one argument at `x`, given the value and
/// derivative [`unary`] wrote there.
pub(super) type UnarySecondFn = extern "C" fn(f64, f64, f64) -> f64;

/// The second partials of a function of two arguments at `(x, y)`, kept as the
/// interpreter's forward pass keeps them (`kept` in `replay/forward.rs`): all three for
/// [`Operands::Both`], else the variable operand's then two zeros. Written through the
/// pointer (three `f64`s).
pub(super) type BinarySecondFn = extern "C" fn(f64, f64, *mut f64);

/// [`Unary::ALL`]`[OP]`'s second derivative at `x`, whose value and derivative are `v`
/// and `d`.
extern "C" fn unary_second<const OP: usize>(x: f64, v: f64, d: f64) -> f64 {
    Unary::ALL[OP].second(x, v, d)
}

/// [`Binary::ALL`]`[OP]`'s second partials at `(x, y)` (with `SIDE` as in [`binary`]),
/// from the value and partials [`Binary::eval`] gives there: the forward pass computed
/// them, and a pure function gives the same bits again. Called only where the forward
/// pass succeeded; NaN should it not.
extern "C" fn binary_second<const OP: usize, const SIDE: u8>(x: f64, y: f64, out: *mut f64) {
    let op = Binary::ALL[OP];
    let [hxx, hxy, hyy] = match op.eval(x, y) {
        Ok((v, dx, dy)) => op.second(x, y, v, dx, dy),
        Err(_) => [f64::NAN; 3],
    };
    let kept = match SIDE {
        0 => [hxx, hxy, hyy],
        1 => [hxx, 0.0, 0.0],
        _ => [hyy, 0.0, 0.0],
    };
    // SAFETY: the compiled code passes a stack slot of three `f64`s.
    unsafe { std::ptr::copy_nonoverlapping(kept.as_ptr(), out, 3) };
}

/// The tangent pass's rule where the plain products gave a NaN (the cold path of
/// `second.rs`): `chain(pa, ta) + chain(pb, tb)` in each of `lanes` lanes into `out`,
/// `tb` null for an entry of one operand (its tangents 0).
pub(super) extern "C" fn tangent_chain(
    pa: f64,
    pb: f64,
    ta: *const f64,
    tb: *const f64,
    out: *mut f64,
    lanes: usize,
) {
    for l in 0..lanes {
        // SAFETY: the compiled code passes the lanes of entries of its second buffer.
        unsafe {
            let b = if tb.is_null() { 0.0 } else { *tb.add(l) };
            *out.add(l) = chain(pa, *ta.add(l)) + chain(pb, b);
        }
    }
}

/// The adjoint-tangent pass's rule where the plain products gave a NaN: with
/// `numbers` = [haa, hab, hbb, pa, pb, λ], `chain(chain(haa, ta) + chain(hab, tb), λ) +
/// chain(pa, λ')` added to operand a's adjoint tangents `da`, then the same with hab,
/// hbb and pb to b's `db` (null for an entry of one operand), in each of `lanes` lanes
/// (at most [`LANES`]).
pub(super) extern "C" fn adjoint_chain(
    numbers: *const f64,
    ta: *const f64,
    tb: *const f64,
    dot: *const f64,
    da: *mut f64,
    db: *mut f64,
    lanes: usize,
) {
    // SAFETY: as in `tangent_chain`; `numbers` is a stack slot of six.
    unsafe {
        let [haa, hab, hbb, pa, pb, lambda] = *numbers.cast::<[f64; 6]>();
        let tb_at = |l: usize| if tb.is_null() { 0.0 } else { *tb.add(l) };
        let term = |h1: f64, h2: f64, p: f64, l: usize| {
            let p_dot = chain(h1, *ta.add(l)) + chain(h2, tb_at(l));
            chain(p_dot, lambda) + chain(p, *dot.add(l))
        };
        // Both sums first, as the interpreter: a and b may be one entry.
        let mut to = [[0.0; 2]; LANES];
        for (l, t) in to.iter_mut().enumerate().take(lanes) {
            *t = [term(haa, hab, pa, l), term(hab, hbb, pb, l)];
        }
        for (l, [to_a, _]) in to.iter().enumerate().take(lanes) {
            *da.add(l) += to_a;
        }
        if !db.is_null() {
            for (l, [_, to_b]) in to.iter().enumerate().take(lanes) {
                *db.add(l) += to_b;
            }
        }
    }
}

macro_rules! unary_table {
    ($($op:literal)*) => { [$(unary::<$op> as UnaryFn),*] };
}

macro_rules! binary_table {
    ($($op:literal)*) => {
        [$([binary::<$op, 0> as BinaryFn, binary::<$op, 1>, binary::<$op, 2>]),*]
    };
}

macro_rules! unary_second_table {
    ($($op:literal)*) => { [$(unary_second::<$op> as UnarySecondFn),*] };
}

macro_rules! binary_second_table {
    ($($op:literal)*) => {
        [$([
            binary_second::<$op, 0> as BinarySecondFn,
            binary_second::<$op, 1>,
            binary_second::<$op, 2>,
        ]),*]
    };
}

/// The helpers of the functions of one argument, in the order of [`Unary::ALL`] (a new
/// operation of the table does not compile until it has its helper here).
static UNARY: [UnaryFn; Unary::ALL.len()] = unary_table!(
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27
);

/// The helpers of the functions of two arguments, in the order of [`Binary::ALL`],
/// each for the three [`Operands`] cases.
static BINARY: [[BinaryFn; 3]; Binary::ALL.len()] = binary_table!(0 1 2 3 4 5 6);

/// The second derivatives' helpers, in the same orders.
static UNARY_SECOND: [UnarySecondFn; Unary::ALL.len()] = unary_second_table!(
    0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27
);
static BINARY_SECOND: [[BinarySecondFn; 3]; Binary::ALL.len()] =
    binary_second_table!(0 1 2 3 4 5 6);

fn position<T: PartialEq>(all: &[T], op: T) -> usize {
    all.iter()
        .position(|o| *o == op)
        .expect("every operation is in its table's ALL")
}

fn side(operands: Operands) -> usize {
    match operands {
        Operands::Both => 0,
        Operands::ConstantRight => 1,
        Operands::ConstantLeft => 2,
    }
}

/// The helper of `op`, and the symbol compiled code calls it by.
pub(super) fn unary_helper(op: Unary) -> (String, UnaryFn) {
    let k = position(&Unary::ALL, op);
    (format!("wengert_unary_{k}"), UNARY[k])
}

/// The helper of `op` with `operands`, and the symbol compiled code calls it by.
pub(super) fn binary_helper(op: Binary, operands: Operands) -> (String, BinaryFn) {
    let (k, side) = (position(&Binary::ALL, op), side(operands));
    (format!("wengert_binary_{k}_{side}"), BINARY[k][side])
}

/// The helper of `op`'s second derivative, and its symbol.
pub(super) fn unary_second_helper(op: Unary) -> (String, UnarySecondFn) {
    let k = position(&Unary::ALL, op);
    (format!("wengert_unary_second_{k}"), UNARY_SECOND[k])
}

/// The helper of `op`'s second partials with `operands`, and its symbol.
pub(super) fn binary_second_helper(op: Binary, operands: Operands) -> (String, BinarySecondFn) {
    let (k, side) = (position(&Binary::ALL, op), side(operands));
    (
        format!("wengert_binary_second_{k}_{side}"),
        BINARY_SECOND[k][side],
    )
}

/// Every helper with its symbol, for the JIT's symbol table.
pub(super) fn symbols() -> Vec<(String, *const u8)> {
    let mut all: Vec<(String, *const u8)> = Vec::new();
    for &op in &Unary::ALL {
        let (name, f) = unary_helper(op);
        all.push((name, f as *const u8));
        let (name, f) = unary_second_helper(op);
        all.push((name, f as *const u8));
    }
    for &op in &Binary::ALL {
        for operands in [
            Operands::Both,
            Operands::ConstantRight,
            Operands::ConstantLeft,
        ] {
            let (name, f) = binary_helper(op, operands);
            all.push((name, f as *const u8));
            let (name, f) = binary_second_helper(op, operands);
            all.push((name, f as *const u8));
        }
    }
    all.push(("wengert_tangent_chain".into(), tangent_chain as *const u8));
    all.push(("wengert_adjoint_chain".into(), adjoint_chain as *const u8));
    all
}
