//! The table's lists: every operation in `ALL`, in the order of its number.

use crate::ops::{Binary, Unary};

#[test]
fn all_lists_every_operation_in_order() {
    // The tape numbers operations by their place in ALL, so it must hold every
    // variant at the index of its discriminant.
    for (i, op) in Unary::ALL.into_iter().enumerate() {
        assert_eq!(op as usize, i);
    }
    for (i, op) in Binary::ALL.into_iter().enumerate() {
        assert_eq!(op as usize, i);
    }
    // Exhaustive matches: a new variant does not compile until it is listed here,
    // and then it must be in ALL for the lengths to agree.
    let listed = |op: Unary| match op {
        Unary::Neg | Unary::Sin | Unary::Cos | Unary::Exp | Unary::Ln | Unary::Sqrt => {}
        Unary::Abs | Unary::Tan | Unary::Asin | Unary::Acos | Unary::Atan => {}
        Unary::Sinh | Unary::Cosh | Unary::Tanh | Unary::Asinh | Unary::Acosh => {}
        Unary::Atanh | Unary::Exp2 | Unary::Expm1 | Unary::Log2 | Unary::Log10 => {}
        Unary::Log1p | Unary::Cbrt | Unary::Erf | Unary::Erfc | Unary::Floor => {}
        Unary::Ceil | Unary::Trunc => {}
    };
    Unary::ALL.into_iter().for_each(listed);
    assert_eq!(Unary::ALL.len(), 6 + 5 + 5 + 5 + 5 + 2);
    let listed = |op: Binary| match op {
        Binary::Add | Binary::Sub | Binary::Mul | Binary::Div | Binary::Pow => {}
        Binary::Atan2 | Binary::Hypot => {}
    };
    Binary::ALL.into_iter().for_each(listed);
    assert_eq!(Binary::ALL.len(), 5 + 2);
    assert_eq!(Unary::Trunc as usize, Unary::ALL.len() - 1);
    assert_eq!(Binary::Hypot as usize, Binary::ALL.len() - 1);
}
