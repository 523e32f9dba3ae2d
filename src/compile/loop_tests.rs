//! Loops ([`super::loops`]): which stretches are found, and compiled loops against the
//! interpreter, bit for bit: W2, and random bodies repeated with operands of every
//! stride (inputs that move by one, entries before the loop, entries of the same copy
//! and of the previous one), with guards and a differing copy around them.

use super::loops::{segments, Loop, Segment};
use super::tests::{agree, point, slot, w2, w2_guarded};
use super::*;
use crate::ops::{Binary, Comparison, Operands, Unary};
use crate::replay::test_programs::{generator, SPECIAL};
use crate::replay::{Guard, NoCustoms, Scratch};
use crate::tape::{Op, OpCode, Slot, WengertList};

/// The segments of `p`, with no limit on what is written out.
fn cut(p: &Program) -> Vec<Segment> {
    segments(p, usize::MAX).unwrap().0
}

pub(super) fn loops(p: &Program) -> Vec<Loop> {
    cut(p)
        .into_iter()
        .filter_map(|s| match s {
            Segment::Loop(l) => Some(l),
            Segment::Straight(..) => None,
        })
        .collect()
}

#[test]
fn w2_is_one_loop_of_its_body() {
    let p = w2(100);
    // The first term adds to 0 (entry 105), so the loop starts after it, with the
    // last two entries of the first term (x[0]'s square of 1 - x[0], the sum), and
    // leaves the last term's last two entries.
    let found = loops(&p);
    assert_eq!(found.len(), 1, "{:?}", cut(&p));
    let l = &found[0];
    assert_eq!((l.start, l.body, l.repeats, l.end()), (106, 8, 98, 890));
    assert_eq!(
        cut(&p),
        [
            Segment::Straight(100, 106),
            Segment::Loop(l.clone()),
            Segment::Straight(890, 892)
        ]
    );
    // Entry 2 of the body is x[i]²: it moves by one input a copy; entry 7 adds to the
    // sum of the copy before: both operands move by a body.
    assert_eq!(l.strides[2], [1, 1]);
    assert_eq!(l.strides[7], [8, 8]);
}

#[test]
fn w2_compiles_as_a_loop_at_any_length() {
    for n in [5, 40, 1000, 20_000] {
        let p = w2(n);
        let c = Compiled::new(&p).unwrap();
        // The body once, however many copies.
        assert!(c.code_bytes() < 16_000, "{n}: {}", c.code_bytes());
        let mut next = generator(n as u64);
        let mut points: Vec<Vec<f64>> = (0..4).map(|_| point(&mut next, n)).collect();
        points.push((0..n).map(|i| 0.5 + 0.001 * i as f64).collect());
        for x in &points {
            agree(&p, &c, x);
        }
        // Special numbers at the first, a middle and the last input.
        for at in [0, n / 2, n - 1] {
            for s in SPECIAL {
                let mut x = points[4].clone();
                x[at] = s;
                agree(&p, &c, &x);
            }
        }
    }
}

/// Append one random operation on `a` (and `b`) with constant `c` to `t`.
fn operation(t: &mut WengertList, r: u64, a: Slot, b: Slot, c: f64) -> Slot {
    let binary = |k: u64| Binary::ALL[(k >> 8) as usize % Binary::ALL.len()];
    match r % 5 {
        0 => {
            let op = Unary::ALL[(r >> 8) as usize % Unary::ALL.len()];
            t.unary(OpCode::new(Op::Unary(op)), a, 0.0, 0.0)
        }
        // Add, subtract, multiply, divide and the rest, both operands variable.
        1 | 2 => t.binary(
            OpCode::new(Op::Binary(binary(r), Operands::Both)),
            a,
            b,
            0.0,
            0.0,
        ),
        3 => t.unary(
            OpCode::new(Op::Binary(binary(r), Operands::ConstantRight)),
            a,
            0.0,
            c,
        ),
        _ => t.unary(
            OpCode::new(Op::Binary(binary(r), Operands::ConstantLeft)),
            a,
            0.0,
            c,
        ),
    }
    .unwrap()
}

/// How an operand of the body moves from copy to copy.
#[derive(Clone, Copy)]
enum Moves {
    /// Input `k + r` in copy `r`.
    Input(usize),
    /// Entry `k`, before the loop, in every copy.
    Fixed(usize),
    /// Entry `q` of the same copy.
    Same(usize),
    /// Entry `q` of the previous copy (for copy 0, the entry as far before the loop).
    Previous(usize),
    /// Entry `q` of the first copy, in every copy: in the first, an entry of its own
    /// copy reached with stride 0, so the loop's adjoints stay in memory.
    First(usize),
}

/// Where a looped program has comparisons besides those before and after its loop.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Inside {
    /// None.
    Nothing,
    /// One, in one copy (which ends the loop there).
    OneCopy,
    /// One in every copy, made the same way (which the loop holds): of kind 0, 1 or 2.
    EveryCopy(u64),
}

/// A random program with a loop: a straight prefix, `repeats` copies of a random body
/// of `body` entries, then a straight suffix; comparisons before, after and `inside`
/// the loop, with their outcomes at `x0`; with `differ`, one copy gets another
/// constant.
pub(super) fn looped_program(
    next: &mut impl FnMut() -> u64,
    x0: &[f64],
    body: usize,
    repeats: usize,
    inside: Inside,
    differ: bool,
) -> Program {
    let n = x0.len();
    let mut t = WengertList::new();
    t.variables(n).unwrap();
    let pick = |next: &mut dyn FnMut() -> u64, len: usize| slot((next() % len as u64) as usize);
    // The prefix, at least a body long (previous-copy operands of copy 0 land there).
    for _ in 0..body + 3 {
        let (r, len) = (next(), t.len());
        let (a, b) = (slot(len - 1), pick(next, len));
        let c = SPECIAL[(next() % SPECIAL.len() as u64) as usize];
        operation(&mut t, r, a, b, c);
    }
    let start = t.len();
    let template: Vec<(u64, [Moves; 2], f64)> = (0..body)
        .map(|p| {
            let moves = |next: &mut dyn FnMut() -> u64| match next() % 13 {
                0..=2 => Moves::Input((next() % (n - repeats + 1) as u64) as usize),
                3..=5 => Moves::Fixed((next() % start as u64) as usize),
                6..=8 if p > 0 => Moves::Same((next() % p as u64) as usize),
                12 if p > 0 => Moves::First((next() % p as u64) as usize),
                _ => Moves::Previous((next() % body as u64) as usize),
            };
            let c = SPECIAL[(next() % SPECIAL.len() as u64) as usize];
            let both = [moves(next), moves(next)];
            (next(), both, c)
        })
        .collect();
    let odd_copy = if differ { repeats / 2 } else { usize::MAX };
    let (mut guards, mut periodic) = (Vec::new(), Vec::new());
    for r in 0..repeats {
        for (p, &(op, moves, c)) in template.iter().enumerate() {
            let at = |m: Moves| match m {
                Moves::Input(k) => slot(k + r),
                Moves::Fixed(k) => slot(k),
                Moves::Same(q) => slot(start + r * body + q),
                Moves::Previous(q) => slot(start + r * body + q - body),
                Moves::First(q) => slot(start + q),
            };
            let c = if r == odd_copy { c + 0.25 } else { c };
            operation(&mut t, op, at(moves[0]), at(moves[1]), c);
            if inside == Inside::OneCopy && r == repeats / 3 && p == body / 2 {
                guards.push(t.len());
            }
            if let (Inside::EveryCopy(kind), true) = (inside, p == body / 2) {
                // After this copy's entry p: against a constant, or the same entry of
                // the copy before.
                let (len, last) = (t.len(), t.len() as u32 - 1);
                let (comparison, right) = match kind {
                    0 => (Comparison::Ne, Value::Constant(f64::NEG_INFINITY)),
                    1 => (Comparison::Ne, Value::Entry(last - body as u32)),
                    _ => (Comparison::Gt, Value::Constant(-1e300)),
                };
                periodic.push((len, Value::Entry(last), comparison, right));
            }
        }
    }
    let end = t.len();
    for _ in 0..5 {
        let (r, len) = (next(), t.len());
        let (a, b) = (slot(len - 1), pick(next, len));
        operation(&mut t, r, a, b, 1.5);
    }
    guards.extend([start - 1, start, end, t.len()]);
    guards.sort_unstable();
    let len = t.len();
    let mut outputs: Vec<Value> = [len - 1, end - 1, start + body, 2]
        .iter()
        .map(|&i| Value::Entry(i as u32))
        .collect();
    outputs.push(Value::Constant(0.5));
    // The outcomes at x0 (false where the replay fails there).
    let every: Vec<Value> = (0..len).map(|i| Value::Entry(i as u32)).collect();
    let all = Program::new(t.codes(), t.entries(), n, every, vec![]).unwrap();
    let values = all.values(x0, &mut Scratch::default(), &mut NoCustoms).ok();
    let mut guards: Vec<(usize, Value, Comparison, Value)> = guards
        .into_iter()
        .map(|position| {
            let comparison = Comparison::ALL[(next() % 6) as usize];
            let right = (next() % position as u64) as u32;
            let left = Value::Entry(position as u32 - 1);
            (position, left, comparison, Value::Entry(right))
        })
        .collect();
    guards.extend(periodic);
    guards.sort_by_key(|g| g.0);
    let value = |x: Value, v: &[f64]| match x {
        Value::Entry(i) => v[i as usize],
        Value::Constant(c) => c,
    };
    let guards = guards
        .into_iter()
        .map(|(position, left, comparison, right)| Guard {
            position: position as u32,
            left,
            comparison,
            right,
            outcome: values
                .as_ref()
                .is_some_and(|v| comparison.holds(value(left, v), value(right, v))),
        })
        .collect();
    Program::new(t.codes(), t.entries(), n, outputs, guards).unwrap()
}

#[test]
fn random_loops_agree_bit_for_bit() {
    let mut next = generator(0x5eed_1007);
    let (mut ok, mut failed, mut folded, mut private, mut guarded) = (0, 0, 0, 0, 0);
    for round in 0..300 {
        let (body, repeats) = (1 + round % 9, 4 + round % 13);
        let inside = match round % 5 {
            3 => Inside::OneCopy,
            1 | 4 => Inside::EveryCopy(round as u64 % 3),
            _ => Inside::Nothing,
        };
        let differ = round % 7 == 4;
        // Inputs near 1 keep most operations defined through the copies.
        let n = repeats + 2 + round % 3;
        let x0: Vec<f64> = (0..n)
            .map(|_| 0.9 + (next() % 100) as f64 * 0.002)
            .collect();
        let p = looped_program(&mut next, &x0, body, repeats, inside, differ);
        let found = loops(&p);
        let covered: usize = found.iter().map(|l| l.body * l.repeats).sum();
        if inside == Inside::Nothing && !differ && body * repeats >= 32 {
            // The loop is found whole (perhaps from a copy later, if the prefix's end
            // happens to repeat its start).
            assert!(covered + body >= body * repeats, "{round}: {found:?}");
        }
        folded += usize::from(!found.is_empty());
        private += found.iter().filter(|l| l.private(p.instructions())).count();
        guarded += found.iter().filter(|l| l.guards > 0).count();
        let c = Compiled::new(&p).unwrap();
        // x0, points near it (where most replays succeed), and anywhere.
        let mut points = vec![x0.clone()];
        for k in 1..4 {
            let scale = 1.0 + 0.01 * k as f64;
            points.push(x0.iter().map(|x| x * scale).collect());
        }
        points.extend((0..4).map(|_| point(&mut next, n)));
        for x in points {
            if agree(&p, &c, &x) {
                ok += 1;
            } else {
                failed += 1;
            }
        }
    }
    // Loops with their adjoints in variables and in memory.
    assert!(
        folded > 100
            && private > 50
            && folded > private + 30
            && guarded > 30
            && ok > 300
            && failed > 300,
        "{folded} {private} {guarded} {ok} {failed}"
    );
}

#[test]
fn a_guard_or_a_differing_copy_splits_a_loop() {
    let p = w2(60);
    let base = loops(&p);
    assert_eq!(base.len(), 1);
    let l = &base[0];
    // A guard before entry 20 of the loop: two loops around it, none across it.
    let position = l.start + 20 * l.body + 3;
    let guard = Guard {
        position: position as u32,
        left: Value::Entry(position as u32 - 1),
        comparison: Comparison::Lt,
        right: Value::Constant(1e300),
        outcome: true,
    };
    let guarded = w2_guarded(60, vec![guard]);
    for l in loops(&guarded) {
        assert!(position <= l.start || l.end() <= position, "{l:?}");
    }
    let c = Compiled::new(&guarded).unwrap();
    let x: Vec<f64> = (0..60).map(|i| 0.5 + 0.01 * i as f64).collect();
    assert!(agree(&guarded, &c, &x));
    // It fails when the sum passes 1e300: the same guard as the interpreter's.
    let big = vec![1e200; 60];
    assert!(!agree(&guarded, &c, &big));
}
