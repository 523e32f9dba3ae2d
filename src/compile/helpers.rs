//! The functions compiled code calls for every operation it does not write inline:
//! one `extern "C"` function per operation of the table (and, for the functions of two
//! arguments, per [`Operands`] case), each calling the very function the interpreter
//! calls ([`Unary::eval`], [`Binary::eval`]), so the values and partials are the same
//! bits. Each writes the value and the partials through the pointers it is given and
//! returns 0, or 1 when the operation has no value there (the glue then replays the
//! point with the interpreter, which reports the error).

use crate::ops::{Binary, Operands, Unary};

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

macro_rules! unary_table {
    ($($op:literal)*) => { [$(unary::<$op> as UnaryFn),*] };
}

macro_rules! binary_table {
    ($($op:literal)*) => {
        [$([binary::<$op, 0> as BinaryFn, binary::<$op, 1>, binary::<$op, 2>]),*]
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

fn position<T: PartialEq>(all: &[T], op: T) -> usize {
    all.iter()
        .position(|o| *o == op)
        .expect("every operation is in its table's ALL")
}

/// The helper of `op`, and the symbol compiled code calls it by.
pub(super) fn unary_helper(op: Unary) -> (String, UnaryFn) {
    let k = position(&Unary::ALL, op);
    (format!("wengert_unary_{k}"), UNARY[k])
}

/// The helper of `op` with `operands`, and the symbol compiled code calls it by.
pub(super) fn binary_helper(op: Binary, operands: Operands) -> (String, BinaryFn) {
    let k = position(&Binary::ALL, op);
    let side = match operands {
        Operands::Both => 0,
        Operands::ConstantRight => 1,
        Operands::ConstantLeft => 2,
    };
    (format!("wengert_binary_{k}_{side}"), BINARY[k][side])
}

/// Every helper with its symbol, for the JIT's symbol table.
pub(super) fn symbols() -> Vec<(String, *const u8)> {
    let mut all: Vec<(String, *const u8)> = Unary::ALL
        .iter()
        .map(|&op| {
            let (name, f) = unary_helper(op);
            (name, f as *const u8)
        })
        .collect();
    for &op in &Binary::ALL {
        for operands in [
            Operands::Both,
            Operands::ConstantRight,
            Operands::ConstantLeft,
        ] {
            let (name, f) = binary_helper(op, operands);
            all.push((name, f as *const u8));
        }
    }
    all
}
