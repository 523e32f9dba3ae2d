//! Batches in lanes against single-row replays, bit for bit: random programs of every
//! operation of the table, with guards, at points rich in zeros, infinities and NaN;
//! the errors (which row, which guard or entry) likewise.

use super::test_programs::{generator, random_program, SPECIAL};
use super::*;
use crate::ops::{Binary, Comparison, Operands, Unary};
use crate::tape::{Entry, Op, OpCode, NO_OPERAND};

/// A random number from -2 to 2.
fn uniform(r: u64) -> f64 {
    ((r >> 11) as f64 / (1u64 << 53) as f64) * 4.0 - 2.0
}

/// `rows` random points of `n` numbers, `special` in a hundred of them special; the
/// others random, or near `near` when it is given.
fn points(
    next: &mut impl FnMut() -> u64,
    rows: usize,
    n: usize,
    special: u64,
    near: Option<&[f64]>,
) -> Vec<f64> {
    (0..rows * n)
        .map(|k| {
            let r = next();
            if r % 100 < special {
                SPECIAL[(r >> 8) as usize % SPECIAL.len()]
            } else if let Some(x) = near {
                x[k % n] * (1.0 + 1e-6 * uniform(r))
            } else {
                uniform(r)
            }
        })
        .collect()
}

/// The numbers' bits, every NaN as one: which NaN an operation on two NaNs gives (the
/// sign) follows the order the compiler put the operands in, which neither Rust nor
/// the processor fix, so that two compilations of the same sums may differ there.
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

/// What a batch gives: the values, the gradients and the error with its row.
type Outcome = (Vec<f64>, Vec<f64>, Option<(usize, ReplayError)>);

/// The batch a row at a time, stopping at the first error.
fn single(p: &Program, xs: &[f64], rows: usize, gradients: bool) -> Outcome {
    let n = p.inputs();
    let mut scratch = Scratch::default();
    let (mut values, mut grads) = (vec![], vec![]);
    for r in 0..rows {
        let x = &xs[r * n..(r + 1) * n];
        if gradients {
            let mut g = vec![0.0; n];
            match p.value_and_gradient(x, 0, &mut g, &mut scratch, &mut NoCustoms) {
                Ok(v) => values.push(v),
                Err(e) => return (values, grads, Some((r, e))),
            }
            grads.extend(g);
        } else {
            match p.values(x, &mut scratch, &mut NoCustoms) {
                Ok(v) => values.extend(v),
                Err(e) => return (values, grads, Some((r, e))),
            }
        }
    }
    (values, grads, None)
}

/// The batch in lanes, cut at the row of its error (as the single-row outcome is).
fn batch(p: &Program, xs: &[f64], rows: usize, gradients: bool, scratch: &mut Scratch) -> Outcome {
    let n = p.inputs();
    let m = if gradients { 1 } else { p.outputs().len() };
    let mut values = vec![0.0; rows * m];
    let mut grads = vec![0.0; if gradients { rows * n } else { 0 }];
    let mut row = usize::MAX;
    let result = p.rows(
        xs,
        rows,
        gradients,
        &mut values,
        &mut grads,
        scratch,
        &mut NoCustoms,
        &mut row,
    );
    let error = result.err().map(|e| (row, e));
    let done = error.map_or(rows, |(r, _)| r);
    if error.is_none() {
        assert_eq!(row, rows);
    }
    values.truncate(done * m);
    grads.truncate(if gradients { done * n } else { 0 });
    (values, grads, error)
}

fn assert_same(lanes: &Outcome, single: &Outcome, what: &str) {
    assert_eq!(bits(&lanes.0), bits(&single.0), "values {what}");
    assert_eq!(bits(&lanes.1), bits(&single.1), "gradients {what}");
    assert_eq!(lanes.2, single.2, "error {what}");
}

const COUNTS: [usize; 6] = [0, 1, ROWS - 1, ROWS, ROWS + 1, 10 * ROWS + 3];

#[test]
fn random_programs_in_lanes_equal_single_rows_bit_for_bit() {
    let mut next = generator(0x1234_5678_9abc_def1);
    let mut scratch = Scratch::default();
    let (mut rows_compared, mut errors, mut non_finite) = (0, 0, 0);
    for case in 0..2000 {
        // No guards, or one after some sixteenth or sixth of the operations.
        let guard_one_in = [0, 0, 16, 6][case % 4];
        // Near a point where the program has a value, most rows pass the guards; the
        // special numbers make errors and non-finite derivatives.
        let x0 = points(&mut next, 1, 3, 0, None);
        let p = random_program(&mut next, &x0, 12 + case % 30, 1 + case % 3, guard_one_in);
        if p.values(&x0, &mut scratch, &mut NoCustoms).is_err() {
            continue;
        }
        let outputs = p.outputs().len();
        let special = [0, 1, 5, 30][(case / 4) % 4];
        for rows in COUNTS {
            let xs = points(&mut next, rows, 3, special, Some(&x0));
            for gradients in [true, false] {
                let expected = single(&p, &xs, rows, gradients);
                let got = batch(&p, &xs, rows, gradients, &mut scratch);
                assert_same(&got, &expected, &format!("case {case}, {rows} rows"));
                rows_compared += expected.0.len() / if gradients { 1 } else { outputs };
                errors += usize::from(expected.2.is_some());
                non_finite += expected.1.iter().filter(|g| !g.is_finite()).count();
            }
        }
    }
    // Many rows went through, many batches stopped at an error, and infinite and NaN
    // derivatives were among those compared.
    assert!(rows_compared > 20_000, "{rows_compared}");
    assert!(errors > 500, "{errors}");
    assert!(non_finite > 500, "{non_finite}");
}

#[test]
fn every_operation_in_lanes_equals_single_rows() {
    // Each operation of the table, with each kind of operand, over points of special
    // and ordinary numbers: ROWS rows a group pass, groups with an error fall back.
    let mut next = generator(0x0bad_cafe_f00d_d00d);
    let mut scratch = Scratch::default();
    let ops = Unary::ALL
        .iter()
        .map(|&u| (Op::Unary(u), false))
        .chain(Binary::ALL.iter().flat_map(|&b| {
            [
                (Op::Binary(b, Operands::Both), true),
                (Op::Binary(b, Operands::ConstantRight), false),
                (Op::Binary(b, Operands::ConstantLeft), false),
            ]
        }));
    let mut passed = 0;
    for (op, both) in ops {
        for c in [0.0, -0.0, 2.0, -0.5, f64::INFINITY, f64::NAN] {
            let variable = Entry {
                partials: [0.0; 2],
                operands: [NO_OPERAND; 2],
            };
            // f(x, y) = op(x, y or c) * x: the sweep multiplies the partials by an
            // adjoint that can be infinite or NaN.
            let entries = [
                variable,
                variable,
                Entry {
                    partials: [0.0, c],
                    operands: [0, if both { 1 } else { NO_OPERAND }],
                },
                Entry {
                    partials: [0.0; 2],
                    operands: [2, 0],
                },
            ];
            let codes = [
                OpCode::new(Op::Variable),
                OpCode::new(Op::Variable),
                OpCode::new(op),
                OpCode::new(Op::Binary(Binary::Mul, Operands::Both)),
            ];
            for output in [2, 3] {
                let p =
                    Program::new(&codes, &entries, 2, vec![Value::Entry(output)], vec![]).unwrap();
                for special in [0, 30, 100] {
                    let rows = 10 * ROWS + 3;
                    let xs = points(&mut next, rows, 2, special, None);
                    for gradients in [true, false] {
                        let expected = single(&p, &xs, rows, gradients);
                        let got = batch(&p, &xs, rows, gradients, &mut scratch);
                        assert_same(&got, &expected, &format!("{op:?} {c} {special}"));
                        passed += expected.0.len();
                    }
                }
            }
        }
    }
    assert!(passed > 10_000, "{passed}");
}

#[test]
fn an_error_in_the_middle_of_a_group_names_its_row() {
    // sqrt(x - 1) with a guard x > 0: rows of 2.0, one of them 0.5 (a domain error) or
    // -1.0 (the guard fails), at every place of a group and in the tail.
    let variable = Entry {
        partials: [0.0; 2],
        operands: [NO_OPERAND; 2],
    };
    let entries = [
        variable,
        Entry {
            partials: [0.0, 1.0],
            operands: [0, NO_OPERAND],
        },
        Entry {
            partials: [0.0; 2],
            operands: [1, NO_OPERAND],
        },
    ];
    let codes = [
        OpCode::new(Op::Variable),
        OpCode::new(Op::Binary(Binary::Sub, Operands::ConstantRight)),
        OpCode::new(Op::Unary(Unary::Sqrt)),
    ];
    let guard = Guard {
        position: 1,
        left: Value::Entry(0),
        comparison: Comparison::Gt,
        right: Value::Constant(0.0),
        outcome: true,
    };
    let p = Program::new(&codes, &entries, 1, vec![Value::Entry(2)], vec![guard]).unwrap();
    let mut scratch = Scratch::default();
    let rows = 3 * ROWS + 2;
    for bad in 0..rows {
        for (x, error) in [
            (
                0.5,
                ReplayError::Math {
                    entry: 2,
                    error: crate::ops::MathError::Domain(
                        "math domain error: sqrt needs a number that is not negative",
                    ),
                },
            ),
            (-1.0, ReplayError::BranchChanged { guard: 0 }),
        ] {
            let mut xs = vec![2.0; rows];
            xs[bad] = x;
            for gradients in [true, false] {
                let got = batch(&p, &xs, rows, gradients, &mut scratch);
                assert_eq!(got.2, Some((bad, error)));
                assert_eq!(got.0, vec![1.0; bad]);
            }
        }
    }
}

#[test]
fn wrong_lengths_are_errors() {
    let mut next = generator(7);
    // Two outputs (an entry and a constant), no guards, a value at (1, 1, 1).
    let p = loop {
        let p = random_program(&mut next, &[1.0; 3], 10, 1, 0);
        if p.values(&[1.0; 3], &mut Scratch::default(), &mut NoCustoms)
            .is_ok()
        {
            break p;
        }
    };
    let mut scratch = Scratch::default();
    let mut row = 0;
    let mut call = |points: usize, rows: usize, gradients: bool, values: usize, grads: usize| {
        p.rows(
            &vec![1.0; points],
            rows,
            gradients,
            &mut vec![0.0; values],
            &mut vec![0.0; grads],
            &mut scratch,
            &mut NoCustoms,
            &mut row,
        )
    };
    assert_eq!(call(6, 2, false, 4, 0), Ok(()));
    assert_eq!(call(6, 3, false, 4, 0), Err(ReplayError::Length));
    assert_eq!(call(6, 2, false, 3, 0), Err(ReplayError::Length));
    assert_eq!(call(6, 2, true, 2, 6), Ok(()));
    assert_eq!(call(6, 2, true, 2, 5), Err(ReplayError::Length));
    assert_eq!(call(6, 2, true, 4, 6), Err(ReplayError::Length));
    assert_eq!(call(6, 2, false, 4, 6), Err(ReplayError::Length));
}
