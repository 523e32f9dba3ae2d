//! Compiled against interpreted replays, bit for bit: random programs of every
//! operation of the table and every operand case, with guards and several outputs, at
//! points full of zeros of both signs, infinities, NaN and domain edges; every
//! operation alone; errors and guards; programs with nothing to compute; chunks.

use super::*;
use crate::ops::{Binary, Comparison, Operands, Unary};
use crate::replay::test_programs::{generator, random_program, SPECIAL};
use crate::replay::{Guard, NoCustoms, ReplayError, Scratch};
use crate::tape::{Op, OpCode, Slot, WengertList};

pub(super) fn slot(index: usize) -> Slot {
    Slot {
        index: index as u32,
        generation: 0,
    }
}

/// A point: a special number for one coordinate in four, else one in [-1.5, 1.5).
pub(super) fn point(next: &mut impl FnMut() -> u64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| match next() % 4 {
            0 => SPECIAL[(next() % SPECIAL.len() as u64) as usize],
            _ => (next() >> 11) as f64 / (1u64 << 53) as f64 * 3.0 - 1.5,
        })
        .collect()
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter()
        .map(|x| {
            if x.is_nan() {
                f64::NAN.to_bits()
            } else {
                x.to_bits()
            }
        })
        .collect()
}

/// The compiled and the interpreted replays of `p` at `x` agree bit for bit: values,
/// every output's gradient and the Jacobian, or the same error. Returns true when the
/// replay succeeded.
pub(super) fn agree(p: &Program, c: &Compiled, x: &[f64]) -> bool {
    let (scratch, work) = (&mut Scratch::default(), &mut Vec::new());
    let interpreted = p.values(x, scratch, &mut NoCustoms);
    let compiled = c.values(x, work);
    match (&interpreted, &compiled) {
        (Ok(a), Ok(b)) => assert_eq!(bits(a), bits(b), "values at {x:?}"),
        (Err(ReplayError::BranchChanged { guard }), Err(Exit::Guard(g))) => {
            assert_eq!(guard, g);
            return false;
        }
        (Err(ReplayError::Math { entry, .. }), Err(Exit::Entry(i))) => {
            assert_eq!(entry, i);
            return false;
        }
        other => panic!("at {x:?}: {other:?}"),
    }
    let n = p.inputs();
    for k in 0..p.outputs().len() {
        let (mut g1, mut g2) = (vec![0.0; n], vec![0.0; n]);
        let v1 = p
            .value_and_gradient(x, k, &mut g1, scratch, &mut NoCustoms)
            .unwrap();
        let v2 = c.value_and_gradient(x, k, &mut g2, work).unwrap();
        assert_eq!(bits(&[v1]), bits(&[v2]));
        assert_eq!(bits(&g1), bits(&g2), "gradient of output {k} at {x:?}");
    }
    let m = p.outputs().len();
    let (mut j1, mut j2) = (vec![0.0; m * n], vec![0.0; m * n]);
    let v1 = p.jacobian(x, &mut j1, scratch, &mut NoCustoms).unwrap();
    match c.jacobian(x, &mut j2, work) {
        Some(v2) => {
            assert_eq!(bits(&v1), bits(&v2.unwrap()));
            assert_eq!(bits(&j1), bits(&j2), "Jacobian at {x:?}");
        }
        None => assert!(n < m),
    }
    second_order_agrees(p, c, x);
    // The sparse Jacobian, by forward tangent passes or by sweeps (the plan's choice).
    let plan = p.jacobian_plan().unwrap();
    let nnz = plan.pattern.nnz();
    let (mut s1, mut s2) = (vec![0.0; nnz], vec![0.0; nnz]);
    let v1 = p
        .sparse_jacobian(&plan, x, &mut s1, scratch, &mut NoCustoms)
        .unwrap();
    let v2 = c
        .sparse_jacobian(p, &plan, x, &mut s2, work)
        .unwrap()
        .unwrap();
    assert_eq!(bits(&v1), bits(&v2));
    assert_eq!(bits(&s1), bits(&s2), "sparse Jacobian at {x:?}");
    true
}

/// The compiled Hessian-vector products (one direction, with zeros in it) and, up to 40
/// inputs, Hessians (8 directions a pass) of every output and the sparse Hessian of a
/// weighted sum (as many directions as its colours) agree bit for bit with the
/// interpreter's, at a point where the forward pass succeeds.
fn second_order_agrees(p: &Program, c: &Compiled, x: &[f64]) {
    let (scratch, work) = (&mut Scratch::default(), &mut Vec::new());
    let n = p.inputs();
    let v: Vec<f64> = (0..n).map(|j| [0.5, 0.0, -2.0, 1.0, 3.0][j % 5]).collect();
    for k in 0..p.outputs().len() {
        let (mut h1, mut h2) = (vec![0.0; n], vec![0.0; n]);
        let v1 = p.hvp(x, k, &v, &mut h1, scratch, &mut NoCustoms).unwrap();
        let v2 = c.hvp(p, x, k, &v, &mut h2, work).unwrap().unwrap();
        assert_eq!(bits(&[v1]), bits(&[v2]));
        assert_eq!(bits(&h1), bits(&h2), "H·v of output {k} at {x:?}");
        if n > 40 {
            continue; // the long programs: H·v stands for the Hessian's passes
        }
        let (mut h1, mut h2) = (vec![0.0; n * n], vec![0.0; n * n]);
        let v1 = p.hessian(x, k, &mut h1, scratch, &mut NoCustoms).unwrap();
        let v2 = c.hessian(p, x, k, &mut h2, work).unwrap().unwrap();
        assert_eq!(bits(&[v1]), bits(&[v2]));
        assert_eq!(bits(&h1), bits(&h2), "Hessian of output {k} at {x:?}");
    }
    if n > 40 {
        return;
    }
    // The sparse Hessian of a weighted sum of the outputs, with its colours' lanes.
    let plan = p.hessian_plan().unwrap();
    let weights: Vec<f64> = (0..p.outputs().len())
        .map(|k| [1.0, -0.5, 2.0][k % 3])
        .collect();
    let nnz = plan.pattern.nnz();
    let (mut s1, mut s2) = (vec![0.0; nnz], vec![0.0; nnz]);
    p.sparse_hessian(&plan, x, &weights, &mut s1, scratch, &mut NoCustoms)
        .unwrap();
    c.sparse_hessian(p, &plan, x, &weights, &mut s2, work)
        .unwrap()
        .unwrap();
    assert_eq!(bits(&s1), bits(&s2), "sparse Hessian at {x:?}");
}

#[test]
fn random_programs_agree_bit_for_bit() {
    let mut next = generator(0x9e37_79b9_7f4a_7c15);
    let (mut ok, mut failed) = (0, 0);
    for round in 0..400 {
        let x0 = point(&mut next, 1 + round % 5);
        let p = random_program(&mut next, &x0, 5 + round % 60, 3, 8);
        let c = Compiled::new(&p).unwrap();
        // At x0 (where the guards hold), near it, and elsewhere.
        let mut points = vec![x0.clone(), x0.iter().map(|x| x * (1.0 + 1e-9)).collect()];
        points.extend((0..10).map(|_| point(&mut next, x0.len())));
        for x in points {
            if agree(&p, &c, &x) {
                ok += 1;
            } else {
                failed += 1;
            }
        }
    }
    // Both successes and errors were compared.
    assert!(ok > 1000 && failed > 300, "{ok} {failed}");
}

#[test]
fn every_operation_agrees_at_every_special_point() {
    let mut programs = Vec::new();
    for op in Unary::ALL {
        let mut t = WengertList::new();
        t.variables(2).unwrap();
        t.unary(OpCode::new(Op::Unary(op)), slot(0), 0.0, 0.0)
            .unwrap();
        programs.push(t);
    }
    for op in Binary::ALL {
        for operands in [
            Operands::Both,
            Operands::ConstantRight,
            Operands::ConstantLeft,
        ] {
            for c in SPECIAL {
                let mut t = WengertList::new();
                t.variables(2).unwrap();
                let code = OpCode::new(Op::Binary(op, operands));
                match operands {
                    Operands::Both => t.binary(code, slot(0), slot(1), 0.0, 0.0),
                    _ => t.unary(code, slot(0), 0.0, c),
                }
                .unwrap();
                // x * y: the adjoint goes through an infinite partial to an input twice.
                t.binary(
                    OpCode::new(Op::Binary(Binary::Mul, Operands::Both)),
                    slot(2),
                    slot(0),
                    0.0,
                    0.0,
                )
                .unwrap();
                programs.push(t);
                if operands == Operands::Both {
                    break;
                }
            }
        }
    }
    let mut compared = 0;
    for t in &programs {
        for last in [2, 3.min(t.len() - 1)] {
            let outputs = vec![Value::Entry(last as u32)];
            let p = Program::new(t.codes(), t.entries(), 2, outputs, vec![]).unwrap();
            let c = Compiled::new(&p).unwrap();
            for x in SPECIAL {
                for y in SPECIAL {
                    compared += usize::from(agree(&p, &c, &[x, y]));
                }
            }
        }
    }
    assert!(compared > 10_000, "{compared}");
}

#[test]
fn programs_with_nothing_to_compute() {
    // No entry at all; inputs only (an input as output, with a guard on it); a
    // constant output.
    let cases: [(usize, Vec<Value>, Vec<Guard>); 3] = [
        (0, vec![Value::Constant(2.5)], vec![]),
        (
            2,
            vec![Value::Entry(1), Value::Constant(-0.0)],
            vec![Guard {
                position: 2,
                left: Value::Entry(0),
                comparison: Comparison::Lt,
                right: Value::Constant(1.0),
                outcome: true,
            }],
        ),
        (1, vec![Value::Constant(f64::NAN)], vec![]),
    ];
    for (inputs, outputs, guards) in cases {
        let mut t = WengertList::new();
        if inputs > 0 {
            t.variables(inputs).unwrap();
        }
        let p = Program::new(t.codes(), t.entries(), inputs, outputs, guards).unwrap();
        let c = Compiled::new(&p).unwrap();
        for x in SPECIAL {
            agree(&p, &c, &vec![x; inputs]);
        }
    }
}

#[test]
fn long_programs_span_chunks_with_guards_at_their_edges() {
    // A chain x ← sin(x) * 1.5 + x of several chunks, with a guard at every chunk's
    // first and last entry.
    let mut t = WengertList::new();
    t.variables(2).unwrap();
    let mut guards = Vec::new();
    let mut last = slot(0);
    while t.len() < 3 * CHUNK + 7 {
        let s = t
            .unary(OpCode::new(Op::Unary(Unary::Sin)), last, 0.0, 0.0)
            .unwrap();
        let code = OpCode::new(Op::Binary(Binary::Mul, Operands::ConstantRight));
        let m = t.unary(code, s, 0.0, 1.5).unwrap();
        let code = OpCode::new(Op::Binary(Binary::Add, Operands::Both));
        last = t.binary(code, m, slot(1), 0.0, 0.0).unwrap();
        let len = t.len();
        if len % CHUNK < 3 || CHUNK - len % CHUNK < 3 {
            guards.push(Guard {
                position: len as u32,
                left: Value::Entry(len as u32 - 1),
                comparison: Comparison::Lt,
                right: Value::Constant(100.0),
                outcome: true,
            });
        }
    }
    let outputs = vec![Value::Entry(last.index), Value::Entry(CHUNK as u32 + 5)];
    let p = Program::new(t.codes(), t.entries(), 2, outputs, guards).unwrap();
    let c = Compiled::new(&p).unwrap();
    assert!(c.forward.len() >= 3);
    assert!(agree(&p, &c, &[0.3, 0.25]));
    // Guard failures and NaN through the chain.
    for x in SPECIAL {
        agree(&p, &c, &[x, 0.25]);
        agree(&p, &c, &[0.3, x]);
    }
    // With y = 200 the sum passes 100 at once: the first guard fails, the same one.
    assert!(!agree(&p, &c, &[0.3, 200.0]));
}

#[test]
fn custom_operations_and_long_programs_are_not_compiled() {
    let mut t = WengertList::new();
    t.variables(1).unwrap();
    t.unary(OpCode::new(Op::CustomUnary), slot(0), 0.0, 0.0)
        .unwrap();
    let p = Program::new(t.codes(), t.entries(), 1, vec![Value::Entry(1)], vec![]).unwrap();
    assert_eq!(Compiled::new(&p).unwrap_err(), NotCompiled::Customs);
    // A chain of products by distinct constants repeats nothing: no loop shortens it.
    let mut t = WengertList::new();
    t.variables(1).unwrap();
    let code = OpCode::new(Op::Binary(Binary::Mul, Operands::ConstantRight));
    let mut last = slot(0);
    for k in 0..=MAX_ENTRIES {
        last = t.unary(code, last, 0.0, 1.0 + k as f64 * 1e-6).unwrap();
    }
    let len = t.len();
    let p = Program::new(
        t.codes(),
        t.entries(),
        1,
        vec![Value::Entry(last.index)],
        vec![],
    );
    assert_eq!(
        Compiled::new(&p.unwrap()).unwrap_err(),
        NotCompiled::TooLong(len, 0)
    );
    // Inputs alone leave nothing to write out.
    let mut t = WengertList::new();
    t.variables(MAX_ENTRIES + 1).unwrap();
    let p = Program::new(t.codes(), t.entries(), MAX_ENTRIES + 1, vec![], vec![]).unwrap();
    assert!(Compiled::new(&p).is_ok());
}

#[test]
fn negations_keep_the_sign_of_a_nan() {
    // (-n) * (-y) with n a NaN (inf - inf): one NaN operand, so the sign of the result
    // is fixed; an optimiser that rewrote it as n * y would flip it. Straight-line, and
    // as a loop of 40 copies (both small enough for Cranelift's optimiser).
    let code = |op| OpCode::new(Op::Binary(op, Operands::Both));
    let neg = OpCode::new(Op::Unary(Unary::Neg));
    for copies in [1, 40] {
        let mut t = WengertList::new();
        t.variables(2).unwrap();
        let mut s: Option<Slot> = None;
        for _ in 0..copies {
            let square = t
                .binary(code(Binary::Mul), slot(0), slot(0), 0.0, 0.0)
                .unwrap();
            let n = t
                .binary(code(Binary::Sub), square, square, 0.0, 0.0)
                .unwrap();
            let (a, b) = (
                t.unary(neg, n, 0.0, 0.0).unwrap(),
                t.unary(neg, slot(1), 0.0, 0.0).unwrap(),
            );
            let product = t.binary(code(Binary::Mul), a, b, 0.0, 0.0).unwrap();
            s = Some(match s {
                None => product,
                Some(s) => t.binary(code(Binary::Add), s, product, 0.0, 0.0).unwrap(),
            });
        }
        let outputs = vec![Value::Entry(s.unwrap().index)];
        let p = Program::new(t.codes(), t.entries(), 2, outputs, vec![]).unwrap();
        let c = Compiled::new(&p).unwrap();
        for x in [
            [1e200, 2.0],
            [1e200, -2.0],
            [f64::INFINITY, 0.5],
            [3.0, 2.0],
        ] {
            let interpreted = p
                .values(&x, &mut Scratch::default(), &mut NoCustoms)
                .unwrap();
            let compiled = c.values(&x, &mut Vec::new()).unwrap();
            assert_eq!(
                interpreted[0].to_bits(),
                compiled[0].to_bits(),
                "{copies} copies at {x:?}"
            );
        }
    }
}

#[test]
fn a_machine_cranelift_does_not_support_is_said_so() {
    // What cranelift_native answers on a host it has no back end for.
    let refused = jit::Jit::for_host(false, Err("unsupported architecture"));
    let Err(why) = refused else {
        panic!("a module without a host")
    };
    assert_eq!(
        why,
        NotCompiled::Unsupported("unsupported architecture".into())
    );
    assert_eq!(
        why.to_string(),
        "Cranelift does not support this machine (unsupported architecture): the recording \
         replays with the interpreter"
    );
}

#[test]
fn wrong_lengths_are_errors() {
    let mut next = generator(7);
    let p = random_program(&mut next, &[0.5; 3], 10, 3, 8);
    let c = Compiled::new(&p).unwrap();
    let work = &mut Vec::new();
    assert_eq!(c.values(&[1.0], work), Err(Exit::Other));
    let mut g = vec![0.0; 2];
    assert_eq!(
        c.value_and_gradient(&[1.0; 3], 0, &mut g, work),
        Err(Exit::Other)
    );
    let mut g = vec![0.0; 3];
    assert_eq!(
        c.value_and_gradient(&[1.0; 3], 9, &mut g, work),
        Err(Exit::Other)
    );
    // Second order: wrong lengths and outputs exit; another program (here a longer
    // one, whose code would overrun this one's memory) has no second-order code.
    let (x, v) = ([0.5; 3], [1.0; 3]);
    assert_eq!(
        c.hvp(&p, &x, 0, &[1.0; 2], &mut g, work),
        Some(Err(Exit::Other))
    );
    assert_eq!(c.hvp(&p, &x, 9, &v, &mut g, work), Some(Err(Exit::Other)));
    assert_eq!(c.hessian(&p, &x, 0, &mut g, work), Some(Err(Exit::Other)));
    let longer = random_program(&mut next, &[0.5; 3], 500, 1, 8);
    assert!(c.hvp(&longer, &x, 0, &v, &mut g, work).is_none());
    assert!(c.second_order(&longer, 1).is_none());
    // A clone of the program is the program.
    assert!(c.second_order(&p.clone(), 1).is_some());
}

/// W2 (the Rosenbrock loop of the benchmarks) of `n` inputs as a program.
pub(super) fn w2(n: usize) -> Program {
    w2_guarded(n, vec![])
}

/// W2 of `n` inputs with `guards`.
pub(super) fn w2_guarded(n: usize, guards: Vec<Guard>) -> Program {
    w2_shaped(n, guards, false)
}

/// W2 of `n` inputs with `guards`; with `vary`, the constant 100 changes a little from
/// term to term, so no two terms are copies and the code is straight-line.
fn w2_shaped(n: usize, guards: Vec<Guard>, vary: bool) -> Program {
    let mut t = WengertList::new();
    t.variables(n).unwrap();
    let both = |op| OpCode::new(Op::Binary(op, Operands::Both));
    let left = |op| OpCode::new(Op::Binary(op, Operands::ConstantLeft));
    let mut s: Option<Slot> = None;
    for i in 0..n - 1 {
        let sq = t
            .binary(both(Binary::Mul), slot(i), slot(i), 0.0, 0.0)
            .unwrap();
        let a = t
            .binary(both(Binary::Sub), slot(i + 1), sq, 0.0, 0.0)
            .unwrap();
        let b = t.unary(left(Binary::Sub), slot(i), 0.0, 1.0).unwrap();
        let hundred = if vary { 100.0 + i as f64 * 1e-9 } else { 100.0 };
        let h = t.unary(left(Binary::Mul), a, 0.0, hundred).unwrap();
        let ha = t.binary(both(Binary::Mul), h, a, 0.0, 0.0).unwrap();
        let s1 = match s {
            None => t.unary(left(Binary::Add), ha, 0.0, 0.0).unwrap(),
            Some(s) => t.binary(both(Binary::Add), s, ha, 0.0, 0.0).unwrap(),
        };
        let bb = t.binary(both(Binary::Mul), b, b, 0.0, 0.0).unwrap();
        s = Some(t.binary(both(Binary::Add), s1, bb, 0.0, 0.0).unwrap());
    }
    let out = Value::Entry(s.unwrap().index);
    Program::new(t.codes(), t.entries(), n, vec![out], guards).unwrap()
}

#[test]
#[ignore = "a measurement: cargo test --release -- --ignored --nocapture chunk_sizes"]
fn chunk_sizes() {
    let cases = [
        (100, false),
        (1000, false),
        (100_000, false),
        (100, true),
        (1000, true),
        (4000, true),
    ];
    for (n, vary) in cases {
        let p = w2_shaped(n, vec![], vary);
        let x: Vec<f64> = (0..n).map(|i| 0.5 + 0.001 * i as f64).collect();
        for chunk in [CHUNK] {
            let start = std::time::Instant::now();
            let c = Compiled::with_chunk(&p, chunk, usize::MAX, 1).unwrap();
            let values = {
                let work = &mut Vec::new();
                let start = std::time::Instant::now();
                for _ in 0..100 {
                    c.values(&x, work).unwrap();
                }
                start.elapsed().as_secs_f64() / 100.0
            };
            let compile = start.elapsed();
            let (work, mut g) = (&mut Vec::new(), vec![0.0; n]);
            let mut best = f64::MAX;
            for _ in 0..300 {
                let start = std::time::Instant::now();
                c.value_and_gradient(&x, 0, &mut g, work).unwrap();
                best = best.min(start.elapsed().as_secs_f64());
            }
            let (s, mut g) = (&mut Scratch::default(), vec![0.0; n]);
            let mut interpreted = f64::MAX;
            for _ in 0..300 {
                let start = std::time::Instant::now();
                p.value_and_gradient(&x, 0, &mut g, s, &mut NoCustoms)
                    .unwrap();
                interpreted = interpreted.min(start.elapsed().as_secs_f64());
            }
            eprintln!(
                "n {n} ({} entries{}), chunk {chunk}: compile {:.1} ms, {} bytes, v&g {:.2} µs (values {:.2}), interpreted {:.2} µs",
                p.len(),
                if vary { ", straight" } else { ", a loop" },
                compile.as_secs_f64() * 1e3,
                c.code_bytes(),
                best * 1e6,
                values * 1e6,
                interpreted * 1e6
            );
        }
    }
}
