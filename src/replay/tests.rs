//! The replay against the tape and against formulas: values, gradients, Jacobians,
//! Hessians, guards, errors, and the schedule.

use super::*;
use crate::ops::{Binary, Comparison, MathError, Operands, Unary};
use crate::tape::{Entry, Op, OpCode, Slot, WengertList, NO_OPERAND};

fn code(op: Op) -> OpCode {
    OpCode::new(op)
}

/// `op` of two entries, recorded on `t` with its partials at their values.
fn both(t: &mut WengertList, op: Binary, (a, x): (Slot, f64), (b, y): (Slot, f64)) -> (Slot, f64) {
    let (v, dx, dy) = op.eval(x, y).unwrap();
    let code = code(Op::Binary(op, Operands::Both));
    (t.binary(code, a, b, dx, dy).unwrap(), v)
}

/// Record `f(x, y) = x*y + sin(x) * 3.0 - y / x` at (x, y) on a tape.
fn record(x: f64, y: f64) -> (WengertList, Slot) {
    let mut t = WengertList::new();
    let sx = (t.variable().unwrap(), x);
    let sy = (t.variable().unwrap(), y);
    let p = both(&mut t, Binary::Mul, sx, sy);
    let (s, ds) = Unary::Sin.eval(x).unwrap();
    let sin = t.unary(code(Op::Unary(Unary::Sin)), sx.0, ds, 0.0).unwrap();
    let (s3, ds3, _) = Binary::Mul.eval(s, 3.0).unwrap();
    let times_three = code(Op::Binary(Binary::Mul, Operands::ConstantRight));
    let sin3 = (t.unary(times_three, sin, ds3, 3.0).unwrap(), s3);
    let quotient = both(&mut t, Binary::Div, sy, sx);
    let sum = both(&mut t, Binary::Add, p, sin3);
    let (out, _) = both(&mut t, Binary::Sub, sum, quotient);
    (t, out)
}

fn program(t: &WengertList, out: Slot, guards: Vec<Guard>) -> Program {
    Program::new(
        t.codes(),
        t.entries(),
        2,
        vec![Value::Entry(out.index)],
        guards,
    )
    .unwrap()
}

fn exact(x: f64, y: f64) -> (f64, [f64; 2], [[f64; 2]; 2]) {
    let value = x * y + x.sin() * 3.0 - y / x;
    let gradient = [y + 3.0 * x.cos() + y / (x * x), x - 1.0 / x];
    let hxx = -3.0 * x.sin() - 2.0 * y / (x * x * x);
    let hxy = 1.0 + 1.0 / (x * x);
    (value, gradient, [[hxx, hxy], [hxy, 0.0]])
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn replay_matches_the_tape_and_the_formulas() {
    let (t, out) = record(1.5, -0.5);
    let p = program(&t, out, vec![]);
    let mut scratch = Scratch::default();
    // At the recorded point the gradient is the tape's, bit for bit.
    let mut g = [0.0; 2];
    let v = p
        .value_and_gradient(&[1.5, -0.5], 0, &mut g, &mut scratch, &mut NoCustoms)
        .unwrap();
    assert_eq!(g.to_vec(), t.derivatives(out).unwrap()[..2].to_vec());
    assert!(close(v, exact(1.5, -0.5).0));
    for (x, y) in [(0.3, 2.0), (-1.2, 0.7), (4.0, -3.5)] {
        let (value, gradient, h) = exact(x, y);
        let v = p
            .value_and_gradient(&[x, y], 0, &mut g, &mut scratch, &mut NoCustoms)
            .unwrap();
        assert!(close(v, value));
        assert!(close(g[0], gradient[0]) && close(g[1], gradient[1]));
        let mut hess = [0.0; 4];
        p.hessian(&[x, y], 0, &mut hess, &mut scratch, &mut NoCustoms)
            .unwrap();
        assert!(close(hess[0], h[0][0]), "{} {}", hess[0], h[0][0]);
        assert!(close(hess[1], h[0][1]) && close(hess[2], h[1][0]));
        assert!(close(hess[3], h[1][1]));
        let mut hv = [0.0; 2];
        p.hvp(
            &[x, y],
            0,
            &[2.0, -1.0],
            &mut hv,
            &mut scratch,
            &mut NoCustoms,
        )
        .unwrap();
        assert!(close(hv[0], 2.0 * h[0][0] - h[0][1]));
        assert!(close(hv[1], 2.0 * h[1][0] - h[1][1]));
        let mut jac = [0.0; 2];
        let values = p
            .jacobian(&[x, y], &mut jac, &mut scratch, &mut NoCustoms)
            .unwrap();
        assert!(close(values[0], value));
        assert_eq!(jac, g);
    }
}

#[test]
fn guards_are_checked_in_order() {
    let (t, out) = record(1.5, -0.5);
    // x > 1.0 (recorded True) after the inputs; y < x (True) at the end.
    let guards = vec![
        Guard {
            position: 2,
            left: Value::Entry(0),
            comparison: Comparison::Gt,
            right: Value::Constant(1.0),
            outcome: true,
        },
        Guard {
            position: t.len() as u32,
            left: Value::Entry(1),
            comparison: Comparison::Lt,
            right: Value::Entry(0),
            outcome: true,
        },
    ];
    let p = program(&t, out, guards);
    let mut s = Scratch::default();
    assert!(p.values(&[2.0, 1.0], &mut s, &mut NoCustoms).is_ok());
    assert_eq!(
        p.values(&[0.5, 0.0], &mut s, &mut NoCustoms),
        Err(ReplayError::BranchChanged { guard: 0 })
    );
    assert_eq!(
        p.values(&[2.0, 3.0], &mut s, &mut NoCustoms),
        Err(ReplayError::BranchChanged { guard: 1 })
    );
    // A math error after a changed guard is not reached: the guard is reported.
    assert_eq!(
        p.values(&[0.0, 1.0], &mut s, &mut NoCustoms),
        Err(ReplayError::BranchChanged { guard: 0 })
    );
}

#[test]
fn math_errors_name_the_entry() {
    let (t, out) = record(1.5, -0.5);
    let p = program(&t, out, vec![]);
    let err = p.values(&[0.0, 1.0], &mut Scratch::default(), &mut NoCustoms);
    assert!(matches!(
        err,
        Err(ReplayError::Math {
            entry: 5,
            error: MathError::ZeroDivision(_)
        })
    ));
}

#[test]
fn extra_inputs_are_refused() {
    let mut t = WengertList::new();
    t.variables(3).unwrap();
    let err = Program::new(t.codes(), t.entries(), 2, vec![], vec![]);
    assert_eq!(err.unwrap_err(), ProgramError::ExtraInput(2));
    let err = Program::new(t.codes(), t.entries(), 3, vec![Value::Entry(3)], vec![]);
    assert_eq!(err.unwrap_err(), ProgramError::BadIndex(3));
}

#[test]
fn replayed_gradients_equal_the_tapes_bit_for_bit() {
    // Random programs of operations evaluated for real, at points rich in zeros (sqrt
    // and ln there give infinite partials, and ln(0) an infinite value), so that the
    // sweep meets infinite and NaN adjoints: the replay at the recorded point must
    // give the tape's own derivatives, bit for bit.
    let mut next = crate::tape::xorshift(0x9e37_79b9_7f4a_7c15);
    let unary = [Unary::Sqrt, Unary::Sin, Unary::Exp, Unary::Abs, Unary::Atan];
    let binary = [
        Binary::Mul,
        Binary::Add,
        Binary::Sub,
        Binary::Div,
        Binary::Hypot,
    ];
    let mut checked = 0;
    for _ in 0..300 {
        let inputs = 3;
        let x: Vec<f64> = (0..inputs)
            .map(|_| [0.0, -0.0, 1.5, -2.0, 1e-300][(next() % 5) as usize])
            .collect();
        let mut t = WengertList::new();
        t.variables(inputs).unwrap();
        let mut values = x.clone();
        for _ in 0..40 {
            let len = values.len() as u64;
            let slot = |index: u64| Slot {
                index: index as u32,
                generation: 0,
            };
            let (a, b) = ((next() % len), len - 1 - next() % len.min(3));
            let r = next();
            let result = if r.is_multiple_of(3) {
                let op = unary[(r >> 8) as usize % unary.len()];
                op.eval(values[a as usize]).map(|(v, d)| {
                    t.unary(code(Op::Unary(op)), slot(a), d, 0.0).unwrap();
                    v
                })
            } else if r % 3 == 1 {
                let op = binary[(r >> 8) as usize % binary.len()];
                let c = [0.0, 2.0, -0.5][(r >> 16) as usize % 3];
                op.eval(values[a as usize], c).map(|(v, dx, _)| {
                    let code = code(Op::Binary(op, Operands::ConstantRight));
                    t.unary(code, slot(a), dx, c).unwrap();
                    v
                })
            } else {
                let op = binary[(r >> 8) as usize % binary.len()];
                let (xa, xb) = (values[a as usize], values[b as usize]);
                op.eval(xa, xb).map(|(v, dx, dy)| {
                    let code = code(Op::Binary(op, Operands::Both));
                    t.binary(code, slot(a), slot(b), dx, dy).unwrap();
                    v
                })
            };
            if let Ok(v) = result {
                values.push(v);
            }
        }
        let output = Slot {
            index: t.len() as u32 - 1,
            generation: 0,
        };
        let p = Program::new(
            t.codes(),
            t.entries(),
            inputs,
            vec![Value::Entry(output.index)],
            vec![],
        )
        .unwrap();
        let mut gradient = vec![0.0; inputs];
        let mut scratch = Scratch::default();
        let value = p
            .value_and_gradient(&x, 0, &mut gradient, &mut scratch, &mut NoCustoms)
            .unwrap();
        let tape = t.derivatives(output).unwrap();
        let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(value.to_bits(), values[output.index as usize].to_bits());
        assert_eq!(bits(&gradient), bits(&tape[..inputs]));
        checked += usize::from(tape[..inputs].iter().any(|d| !d.is_finite()));
    }
    // Non-finite derivatives were among those compared.
    assert!(checked > 10, "{checked}");
}

#[test]
fn programs_follow_only_checked_operands() {
    // A unary entry with a bogus second operand: the program ignores it.
    let codes = [
        OpCode::new(Op::Variable),
        OpCode::new(Op::Unary(Unary::Sin)),
    ];
    let entries = [
        Entry {
            partials: [0.0; 2],
            operands: [NO_OPERAND; 2],
        },
        Entry {
            partials: [0.0; 2],
            operands: [0, 1 << 30],
        },
    ];
    let p = Program::new(&codes, &entries, 1, vec![Value::Entry(1)], vec![]).unwrap();
    let mut g = [0.0];
    let v = p
        .value_and_gradient(&[0.5], 0, &mut g, &mut Scratch::default(), &mut NoCustoms)
        .unwrap();
    assert_eq!((v, g[0]), (0.5f64.sin(), 0.5f64.cos()));
    // An operation where an input should be.
    let codes = [OpCode::new(Op::Unary(Unary::Sin))];
    let err = Program::new(&codes, &entries[1..], 1, vec![], vec![]).unwrap_err();
    assert_eq!(err, ProgramError::MissingInput(0));
}

#[test]
fn wrong_lengths_are_errors_not_panics() {
    let (t, out) = record(1.5, -0.5);
    let p = program(&t, out, vec![]);
    let s = &mut Scratch::default();
    let mut two = [0.0; 2];
    let wrong = Some(ReplayError::Length);
    assert_eq!(p.values(&[1.0], s, &mut NoCustoms).err(), wrong);
    assert_eq!(
        p.value_and_gradient(&[1.0, 2.0], 0, &mut [0.0], s, &mut NoCustoms)
            .err(),
        wrong
    );
    assert_eq!(
        p.value_and_gradient(&[1.0, 2.0], 1, &mut two, s, &mut NoCustoms)
            .err(),
        wrong
    );
    assert_eq!(
        p.jacobian(&[1.0, 2.0], &mut [0.0; 3], s, &mut NoCustoms)
            .err(),
        wrong
    );
    assert_eq!(
        p.hessian(&[1.0, 2.0], 0, &mut [0.0; 3], s, &mut NoCustoms)
            .err(),
        wrong
    );
    assert_eq!(
        p.hvp(&[1.0, 2.0], 0, &[1.0], &mut two, s, &mut NoCustoms)
            .err(),
        wrong
    );
    assert_eq!(
        p.hvp(&[1.0, 2.0], 0, &[1.0, 0.0], &mut [0.0], s, &mut NoCustoms)
            .err(),
        wrong
    );
}

#[test]
fn the_schedule_keeps_dependencies_and_the_first_error() {
    // e2 = x0 + 0 (level 1), e3 = ln(e2) (level 2), e4 = 1 / x1 (level 1): the
    // schedule evaluates e4 before e3, but at x = (-1, 0), where both fail, the error
    // reported is e3's, the first the recorded code met.
    let mut t = WengertList::new();
    t.variables(2).unwrap();
    let slot = |index| Slot {
        index,
        generation: 0,
    };
    let add = code(Op::Binary(Binary::Add, Operands::ConstantRight));
    let e2 = t.unary(add, slot(0), 1.0, 0.0).unwrap();
    t.unary(code(Op::Unary(Unary::Ln)), e2, 1.0, 0.0).unwrap();
    let div = code(Op::Binary(Binary::Div, Operands::ConstantLeft));
    let e4 = t.unary(div, slot(1), -1.0, 1.0).unwrap();
    let p = Program::new(
        t.codes(),
        t.entries(),
        2,
        vec![Value::Entry(3), Value::Entry(e4.index)],
        vec![],
    )
    .unwrap();
    assert_eq!(p.order, vec![2, 4, 3]);
    let s = &mut Scratch::default();
    assert_eq!(
        p.values(&[2.0, 4.0], s, &mut NoCustoms).unwrap(),
        vec![2f64.ln(), 0.25]
    );
    let err = p.values(&[-1.0, 0.0], s, &mut NoCustoms);
    assert!(matches!(
        err,
        Err(ReplayError::Math {
            entry: 3,
            error: MathError::Domain(_)
        })
    ));
    // On random programs every operand comes before its user in the schedule.
    let (t, out) = record(1.5, -0.5);
    let p = program(&t, out, vec![]);
    let mut seen = vec![false; p.len()];
    seen[..p.inputs].fill(true);
    for &i in &p.order {
        let [a, b] = p.operands[i as usize];
        assert!(seen[a as usize] && (b == NO_OPERAND || seen[b as usize]));
        seen[i as usize] = true;
    }
    assert!(seen.iter().all(|&s| s));
}

#[test]
fn forward_jacobian_equals_reverse() {
    // One input, three outputs: the Jacobian goes by tangent passes.
    let mut t = WengertList::new();
    let x = t.variable().unwrap();
    let (_, d) = Unary::Exp.eval(0.5).unwrap();
    let e = t.unary(code(Op::Unary(Unary::Exp)), x, d, 0.0).unwrap();
    let sq = t
        .binary(
            code(Op::Binary(Binary::Mul, Operands::Both)),
            x,
            x,
            0.5,
            0.5,
        )
        .unwrap();
    let p = Program::new(
        t.codes(),
        t.entries(),
        1,
        vec![
            Value::Entry(e.index),
            Value::Entry(sq.index),
            Value::Constant(4.0),
        ],
        vec![],
    )
    .unwrap();
    let mut jac = [0.0; 3];
    let values = p
        .jacobian(&[2.0], &mut jac, &mut Scratch::default(), &mut NoCustoms)
        .unwrap();
    assert_eq!(values, vec![2f64.exp(), 4.0, 4.0]);
    assert_eq!(jac, [2f64.exp(), 4.0, 0.0]);
}

/// f's third derivatives: f_xxx = -3 cos x + 6y/x⁴, f_xxy = -2/x³, the others 0.
fn exact_third(x: f64, y: f64) -> [[[f64; 2]; 2]; 2] {
    let xxx = -3.0 * x.cos() + 6.0 * y / x.powi(4);
    let xxy = -2.0 / (x * x * x);
    [[[xxx, xxy], [xxy, 0.0]], [[xxy, 0.0], [0.0, 0.0]]]
}

#[test]
fn taylor_mode_matches_the_gradient_the_hessian_and_the_third_derivatives() {
    let (t, out) = record(1.5, -0.5);
    let p = program(&t, out, vec![]);
    let mut scratch = Scratch::default();
    let v = [2.0, -1.0];
    for (x, y) in [(0.3, 2.0), (-1.2, 0.7), (4.0, -3.5)] {
        let (value, gradient, h) = exact(x, y);
        let third = exact_third(x, y);
        let mut c = [0.0; 4];
        p.taylor(&[x, y], &v, 3, &mut c, &mut scratch, &mut NoCustoms)
            .unwrap();
        to_derivatives(&mut c);
        assert!(close(c[0], value));
        assert!(close(c[1], gradient[0] * v[0] + gradient[1] * v[1]));
        let vhv: f64 = (0..2)
            .flat_map(|i| (0..2).map(move |j| (i, j)))
            .map(|(i, j)| h[i][j] * v[i] * v[j])
            .sum();
        assert!(close(c[2], vhv), "{} {vhv}", c[2]);
        let mut tvvv = 0.0;
        for i in 0..2 {
            for j in 0..2 {
                for k in 0..2 {
                    tvvv += third[i][j][k] * v[i] * v[j] * v[k];
                }
            }
        }
        assert!(
            (c[3] - tvvv).abs() <= 1e-10 * (1.0 + tvvv.abs()),
            "{} {tvvv}",
            c[3]
        );
        let mut tensor = [0.0; 8];
        p.third_derivative(&[x, y], 0, &mut tensor, &mut scratch, &mut NoCustoms)
            .unwrap();
        for (index, &got) in tensor.iter().enumerate() {
            let want = third[index / 4][(index / 2) % 2][index % 2];
            assert!(
                (got - want).abs() <= 1e-9 * (1.0 + want.abs()),
                "{index}: {got} {want}"
            );
        }
        let mixed = p
            .third_directional(
                &[x, y],
                0,
                &[1.0, 0.0],
                &[1.0, 0.0],
                &[0.0, 1.0],
                &mut scratch,
                &mut NoCustoms,
            )
            .unwrap();
        assert!((mixed - third[0][0][1]).abs() <= 1e-9 * (1.0 + mixed.abs()));
    }
    // Lengths are checked.
    let mut c = [0.0; 3];
    assert_eq!(
        p.taylor(&[1.0, 2.0], &v, 3, &mut c, &mut scratch, &mut NoCustoms),
        Err(ReplayError::Length)
    );
    assert_eq!(
        p.taylor(&[1.0], &v, 2, &mut c, &mut scratch, &mut NoCustoms),
        Err(ReplayError::Length)
    );
}

#[test]
fn the_schedule_of_a_long_program_keeps_to_windows() {
    // 3 windows and a bit of random sums and products, operands near and far: the
    // schedule keeps each entry in its window of the recorded order, puts operands
    // before their users, and the values are those of the recorded order.
    let mut next = crate::tape::xorshift(0x05ee_d0f1_0ca1);
    let inputs = 5;
    let x: Vec<f64> = (0..inputs).map(|k| 0.5 + k as f64 * 0.1).collect();
    let mut t = WengertList::new();
    t.variables(inputs).unwrap();
    let mut values = x.clone();
    let slot = |index: u64| Slot {
        index: index as u32,
        generation: 0,
    };
    while values.len() < 3 * program::WINDOW + 17 {
        let len = values.len() as u64;
        let a = if next().is_multiple_of(4) {
            next() % len
        } else {
            len - 1 - next() % len.min(8)
        };
        let b = next() % len;
        // Products only of small numbers, so that the values stay finite.
        let small = values[a as usize].abs() < 10.0 && values[b as usize].abs() < 10.0;
        let kinds = if small { 3 } else { 2 };
        let op = [Binary::Add, Binary::Sub, Binary::Mul][(next() % kinds) as usize];
        let (v, dx, dy) = op.eval(values[a as usize], values[b as usize]).unwrap();
        let code = code(Op::Binary(op, Operands::Both));
        t.binary(code, slot(a), slot(b), dx, dy).unwrap();
        values.push(v);
    }
    let len = values.len();
    let p = Program::new(
        t.codes(),
        t.entries(),
        inputs,
        vec![Value::Entry(len as u32 - 1)],
        vec![],
    )
    .unwrap();
    let mut seen = vec![false; len];
    seen[..inputs].fill(true);
    for (k, window) in p.order.chunks(program::WINDOW).enumerate() {
        let start = inputs + k * program::WINDOW;
        for &i in window {
            let [a, b] = p.operands[i as usize];
            assert!(seen[a as usize] && seen[b as usize]);
            assert!((start..start + program::WINDOW).contains(&(i as usize)));
            seen[i as usize] = true;
        }
    }
    assert!(seen.iter().all(|&s| s));
    // Not the recorded order within a window: the schedule did reorder.
    assert!(p.order.windows(2).any(|w| w[0] > w[1]));
    let s = &mut Scratch::default();
    p.values(&x, s, &mut NoCustoms).unwrap();
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert!(values.iter().all(|v| v.is_finite()));
    assert_eq!(bits(&s.values), bits(&values));
}
