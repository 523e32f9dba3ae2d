//! Random programs for the tests that compare two ways of replaying them (compiled
//! against interpreted, lanes against single rows): a deterministic xorshift64*
//! generator, the special numbers where operations misbehave, and a generator of
//! programs of every operation of the table and every operand case, with guards.

use super::{Guard, NoCustoms, Program, Scratch, Value};
use crate::ops::{Binary, Comparison, Operands, Unary};
use crate::tape::{Entry, Op, OpCode, NO_OPERAND};

/// xorshift64*: deterministic pseudo-random numbers.
pub(crate) fn generator(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Numbers where operations misbehave: signed zeros, infinities, NaN, domain edges.
pub(crate) const SPECIAL: [f64; 16] = [
    0.0,
    -0.0,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
    1.0,
    -1.0,
    0.5,
    -2.5,
    2.0,
    1e-300,
    1e300,
    710.0,
    -745.5,
    3.75,
    -0.3,
];

/// A random program of `x0.len()` inputs and `ops` operations (every operation of the
/// table, every operand case, constants from `SPECIAL`, operands mostly recent so that
/// chains are deep), with a random comparison after one operation in `guard_one_in`
/// on average (none when it is 0) whose recorded outcome is the one at `x0` (where an
/// operation fails there, its value counts as NaN); its outputs are the last `outputs`
/// entries and the constant -0.0.
pub(crate) fn random_program(
    next: &mut impl FnMut() -> u64,
    x0: &[f64],
    ops: usize,
    outputs: usize,
    guard_one_in: u64,
) -> Program {
    let inputs = x0.len();
    let mut codes = vec![OpCode::new(Op::Variable); inputs];
    let mut entries = vec![
        Entry {
            partials: [0.0; 2],
            operands: [NO_OPERAND; 2],
        };
        inputs
    ];
    let mut guards = Vec::new();
    for _ in 0..ops {
        let len = codes.len() as u64;
        let a = (len - 1 - next() % len.min(4)) as u32;
        let b = (next() % len) as u32;
        let c = SPECIAL[(next() % SPECIAL.len() as u64) as usize];
        let r = next();
        let (op, operands, constant) = match r % 4 {
            0 => (
                Op::Unary(Unary::ALL[(r >> 8) as usize % Unary::ALL.len()]),
                [a, NO_OPERAND],
                0.0,
            ),
            kind => {
                let op = Binary::ALL[(r >> 8) as usize % Binary::ALL.len()];
                match kind {
                    1 => (Op::Binary(op, Operands::Both), [a, b], 0.0),
                    2 => (Op::Binary(op, Operands::ConstantRight), [a, NO_OPERAND], c),
                    _ => (Op::Binary(op, Operands::ConstantLeft), [a, NO_OPERAND], c),
                }
            }
        };
        codes.push(OpCode::new(op));
        entries.push(Entry {
            partials: [0.0, constant],
            operands,
        });
        if guard_one_in > 0 && next().is_multiple_of(guard_one_in) {
            let len = codes.len() as u64;
            let right = if next().is_multiple_of(2) {
                Value::Constant(c)
            } else {
                Value::Entry((next() % len) as u32)
            };
            guards.push(Guard {
                position: len as u32,
                left: Value::Entry((next() % len) as u32),
                comparison: Comparison::ALL[(next() % 6) as usize],
                right,
                outcome: false,
            });
        }
    }
    let len = codes.len();
    let mut outputs: Vec<Value> = (len.saturating_sub(outputs)..len)
        .map(|i| Value::Entry(i as u32))
        .collect();
    outputs.push(Value::Constant(-0.0));
    // The outcomes at x0, as far as its values go (NaN where an operation fails).
    let scratch = &mut Scratch::default();
    let mut values = x0.to_vec();
    for i in inputs..len {
        let outputs = vec![Value::Entry(i as u32)];
        let q = Program::new(&codes[..=i], &entries[..=i], inputs, outputs, vec![]);
        let v = q.unwrap().values(x0, scratch, &mut NoCustoms);
        values.push(v.map_or(f64::NAN, |v| v[0]));
    }
    for guard in &mut guards {
        let value = |v: Value| match v {
            Value::Entry(i) => values[i as usize],
            Value::Constant(c) => c,
        };
        guard.outcome = guard
            .comparison
            .holds(value(guard.left), value(guard.right));
    }
    Program::new(&codes, &entries, inputs, outputs, guards).unwrap()
}
