//! The sparse engine against the dense one: patterns of a small program, and sparse
//! Jacobians and Hessians equal to the dense methods' numbers bit for bit.

use super::*;
use crate::ops::{Binary, Operands, Unary};
use crate::tape::{Op, OpCode, Slot, WengertList};

/// `[x0 * x1 + sin(x2), x2 * 3.0, 2.0]` recorded at `x`.
fn program(x: [f64; 3]) -> Program {
    let mut t = WengertList::new();
    let v: Vec<Slot> = (0..3).map(|_| t.variable().unwrap()).collect();
    let mul = OpCode::new(Op::Binary(Binary::Mul, Operands::Both));
    let p = t.binary(mul, v[0], v[1], x[1], x[0]).unwrap();
    let sin = OpCode::new(Op::Unary(Unary::Sin));
    let s = t.unary(sin, v[2], x[2].cos(), 0.0).unwrap();
    let add = OpCode::new(Op::Binary(Binary::Add, Operands::Both));
    let u = t.binary(add, p, s, 1.0, 1.0).unwrap();
    let times_three = OpCode::new(Op::Binary(Binary::Mul, Operands::ConstantRight));
    let w = t.unary(times_three, v[2], 3.0, 3.0).unwrap();
    let outputs = vec![
        Value::Entry(u.index),
        Value::Entry(w.index),
        Value::Constant(2.0),
    ];
    Program::new(t.codes(), t.entries(), 3, outputs, vec![]).unwrap()
}

fn entries(pattern: &Pattern) -> Vec<(usize, u32)> {
    (0..pattern.rows)
        .flat_map(|r| pattern.row(r).iter().map(move |&c| (r, c)))
        .collect()
}

#[test]
fn patterns_follow_the_structure() {
    let p = program([1.0, 2.0, 3.0]);
    let jacobian = p.jacobian_pattern().unwrap();
    assert_eq!(
        entries(&jacobian),
        vec![(0, 0), (0, 1), (0, 2), (1, 2)],
        "the constant output has no nonzero"
    );
    // x0*x1 links x0 and x1, sin(x2) x2 with itself, x2*3 and the sum nothing.
    let hessian = p.hessian_pattern().unwrap();
    assert_eq!(entries(&hessian), vec![(0, 1), (1, 0), (2, 2)]);
    assert_eq!(hessian.transpose().unwrap(), hessian);
}

#[test]
fn sparse_results_are_the_dense_numbers() {
    let p = program([1.0, 2.0, 3.0]);
    let mut scratch = Scratch::default();
    let jacobian_plan = p.jacobian_plan().unwrap();
    let hessian_plan = p.hessian_plan().unwrap();
    assert_eq!(hessian_plan.colouring.count, 2);
    for x in [[0.5, -1.5, 2.0], [3.0, 0.25, -0.75]] {
        let mut dense = vec![0.0; 9];
        p.jacobian(&x, &mut dense, &mut scratch, &mut NoCustoms)
            .unwrap();
        let mut values = vec![0.0; jacobian_plan.pattern.nnz()];
        p.sparse_jacobian(
            &jacobian_plan,
            &x,
            &mut values,
            &mut scratch,
            &mut NoCustoms,
        )
        .unwrap();
        for (k, (r, c)) in entries(&jacobian_plan.pattern).into_iter().enumerate() {
            assert_eq!(values[k].to_bits(), dense[r * 3 + c as usize].to_bits());
        }
        let mut dense = vec![0.0; 9];
        p.hessian(&x, 0, &mut dense, &mut scratch, &mut NoCustoms)
            .unwrap();
        let mut values = vec![0.0; hessian_plan.pattern.nnz()];
        let weights = [1.0, 0.0, 0.0];
        p.sparse_hessian(
            &hessian_plan,
            &x,
            &weights,
            &mut values,
            &mut scratch,
            &mut NoCustoms,
        )
        .unwrap();
        for (k, (r, c)) in entries(&hessian_plan.pattern).into_iter().enumerate() {
            assert_eq!(values[k].to_bits(), dense[r * 3 + c as usize].to_bits());
        }
        // Wrong lengths are errors, not panics.
        let short = p.sparse_hessian(
            &hessian_plan,
            &x,
            &[1.0],
            &mut values,
            &mut scratch,
            &mut NoCustoms,
        );
        assert_eq!(short, Err(ReplayError::Length));
        let short = p.sparse_jacobian(&jacobian_plan, &x, &mut [0.0], &mut scratch, &mut NoCustoms);
        assert_eq!(short, Err(ReplayError::Length));
    }
}
