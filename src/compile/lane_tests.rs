//! Two lanes against one: the lane code ([`Compiled::with_lanes`]) at pairs of points
//! gives the one-lane compiled code's results at each point, to the exact bits (NaN's
//! sign and payload included), and exits exactly when the one-lane code exits at either
//! point; the one-lane code is itself checked against the interpreter (`agree`). Random
//! programs of every operation, looped programs, pairs where one lane fails and the
//! other does not, special numbers in one lane only; and `lane_speed`, a measurement
//! (ignored by default) of a pair of rows of W2 against two rows alone.

use super::loop_tests::{looped_program, loops, Inside};
use super::tests::{agree, point, w2};
use super::*;
use crate::replay::test_programs::{generator, random_program, SPECIAL};
use crate::replay::{NoCustoms, Scratch};

fn exact(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// The lane code `c2` at `(x, y)` against the one-lane code `c1` (checked against the
/// interpreter) at each: values and every output's gradient. Returns whether each
/// point replayed.
fn pair_agrees(p: &Program, c1: &Compiled, c2: &Compiled, x: &[f64], y: &[f64]) -> [bool; 2] {
    let ok = [agree(p, c1, x), agree(p, c1, y)];
    let (work, pair_work) = (&mut Vec::new(), &mut Vec::new());
    let m = p.outputs().len();
    let (mut vx, mut vy) = (vec![0.0; m], vec![0.0; m]);
    let lanes = c2.values_pair([x, y], [&mut vx, &mut vy], pair_work);
    if ok != [true, true] {
        assert!(
            lanes.is_err(),
            "the lanes replayed where a point fails: {x:?} {y:?}"
        );
        return ok;
    }
    lanes.unwrap_or_else(|e| panic!("{e:?} at {x:?} {y:?}"));
    assert_eq!(exact(&vx), exact(&c1.values(x, work).unwrap()), "{x:?}");
    assert_eq!(exact(&vy), exact(&c1.values(y, work).unwrap()), "{y:?}");
    let n = p.inputs();
    for k in 0..m {
        let (mut gx, mut gy, mut g) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let [ax, ay] = c2
            .value_and_gradient_pair([x, y], k, [&mut gx, &mut gy], pair_work)
            .unwrap();
        for (point, value, gradient) in [(x, ax, &gx), (y, ay, &gy)] {
            let v = c1.value_and_gradient(point, k, &mut g, work).unwrap();
            assert_eq!(v.to_bits(), value.to_bits(), "output {k} at {point:?}");
            assert_eq!(exact(&g), exact(gradient), "gradient {k} at {point:?}");
        }
    }
    ok
}

/// Counts of pairs where both points replayed, and where exactly one did.
#[derive(Default, Debug)]
struct Counts {
    both: usize,
    one: usize,
}

impl Counts {
    fn add(&mut self, ok: [bool; 2]) {
        match ok {
            [true, true] => self.both += 1,
            [true, false] | [false, true] => self.one += 1,
            _ => {}
        }
    }
}

/// Pairs of points around `x0`: itself twice, near it, anywhere, and with one special
/// number in one lane only.
fn pairs(next: &mut impl FnMut() -> u64, x0: &[f64]) -> Vec<(Vec<f64>, Vec<f64>)> {
    let n = x0.len();
    let near: Vec<f64> = x0.iter().map(|x| x * (1.0 + 1e-9)).collect();
    let mut pairs = vec![(x0.to_vec(), x0.to_vec()), (x0.to_vec(), near.clone())];
    pairs.push((point(next, n), point(next, n)));
    pairs.push((point(next, n), x0.to_vec()));
    for _ in 0..3 {
        let mut special = x0.to_vec();
        special[(next() % n as u64) as usize] = SPECIAL[(next() % SPECIAL.len() as u64) as usize];
        if next().is_multiple_of(2) {
            pairs.push((special, near.clone()));
        } else {
            pairs.push((near.clone(), special));
        }
    }
    pairs
}

#[test]
fn random_programs_agree_lane_by_lane() {
    let mut next = generator(0x1a2e_5eed);
    let mut counts = Counts::default();
    for round in 0..300 {
        let x0 = point(&mut next, 1 + round % 5);
        let p = random_program(&mut next, &x0, 5 + round % 60, 3, 8);
        let (c1, c2) = (
            Compiled::new(&p).unwrap(),
            Compiled::with_lanes(&p).unwrap(),
        );
        assert_eq!((c1.lanes(), c2.lanes()), (1, 2));
        for (x, y) in pairs(&mut next, &x0) {
            counts.add(pair_agrees(&p, &c1, &c2, &x, &y));
        }
    }
    assert!(counts.both > 250 && counts.one > 120, "{counts:?}");
}

#[test]
fn looped_programs_agree_lane_by_lane() {
    let mut next = generator(0x1007_1a2e);
    let (mut counts, mut folded) = (Counts::default(), 0);
    for round in 0..200 {
        let (body, repeats) = (1 + round % 9, 4 + round % 13);
        let n = repeats + 2 + round % 3;
        let x0: Vec<f64> = (0..n)
            .map(|_| 0.9 + (next() % 100) as f64 * 0.002)
            .collect();
        let p = looped_program(
            &mut next,
            &x0,
            body,
            repeats,
            match round % 5 {
                3 => Inside::OneCopy,
                1 | 4 => Inside::EveryCopy(round as u64 % 3),
                _ => Inside::Nothing,
            },
            round % 7 == 4,
        );
        folded += usize::from(!loops(&p).is_empty());
        let (c1, c2) = (
            Compiled::new(&p).unwrap(),
            Compiled::with_lanes(&p).unwrap(),
        );
        for (x, y) in pairs(&mut next, &x0) {
            counts.add(pair_agrees(&p, &c1, &c2, &x, &y));
        }
    }
    assert!(
        folded > 60 && counts.both > 200 && counts.one > 100,
        "{folded} {counts:?}"
    );
}

#[test]
fn w2_agrees_lane_by_lane_with_specials_in_one_lane() {
    for n in [5, 40, 1000] {
        let p = w2(n);
        let (c1, c2) = (
            Compiled::new(&p).unwrap(),
            Compiled::with_lanes(&p).unwrap(),
        );
        let x: Vec<f64> = (0..n).map(|i| 0.5 + 0.001 * i as f64).collect();
        let y: Vec<f64> = (0..n).map(|i| -0.25 + 0.002 * i as f64).collect();
        assert_eq!(pair_agrees(&p, &c1, &c2, &x, &y), [true, true]);
        for at in [0, n / 2, n - 1] {
            for s in SPECIAL {
                let mut z = x.clone();
                z[at] = s;
                pair_agrees(&p, &c1, &c2, &z, &y);
                pair_agrees(&p, &c1, &c2, &y, &z);
            }
        }
    }
}

/// A NaN in one operand of one lane: the lanes give the NaN the one-lane code and the
/// interpreter give, sign and payload, and the other lane is untouched.
#[test]
fn a_nan_in_one_lane_keeps_its_sign() {
    use crate::ops::{Binary, Operands, Unary};
    use crate::tape::{Op, OpCode, WengertList};
    let both = |op| OpCode::new(Op::Binary(op, Operands::Both));
    let mut t = WengertList::new();
    t.variables(2).unwrap();
    let (a, b) = (super::tests::slot(0), super::tests::slot(1));
    let mut outputs = Vec::new();
    for op in [Binary::Add, Binary::Sub, Binary::Mul, Binary::Div] {
        for (l, r) in [(a, b), (b, a)] {
            outputs.push(t.binary(both(op), l, r, 0.0, 0.0).unwrap());
        }
    }
    outputs.push(
        t.unary(OpCode::new(Op::Unary(Unary::Neg)), a, 0.0, 0.0)
            .unwrap(),
    );
    outputs.push(
        t.unary(OpCode::new(Op::Unary(Unary::Sin)), b, 0.0, 0.0)
            .unwrap(),
    );
    let outputs: Vec<Value> = outputs.iter().map(|s| Value::Entry(s.index)).collect();
    let p = Program::new(t.codes(), t.entries(), 2, outputs, vec![]).unwrap();
    let (c1, c2) = (
        Compiled::new(&p).unwrap(),
        Compiled::with_lanes(&p).unwrap(),
    );
    let negative_nan = -f64::NAN;
    let payload = f64::from_bits(f64::NAN.to_bits() | 0x1234);
    let points = [
        [negative_nan, 1.5],
        [2.0, negative_nan],
        [f64::NAN, -3.0],
        [payload, 0.5],
        [f64::INFINITY, -2.0],
        [-f64::INFINITY, negative_nan],
        [0.75, -1.25],
    ];
    let m = p.outputs().len();
    for x in &points {
        for y in &points {
            assert_eq!(pair_agrees(&p, &c1, &c2, x, y), [true, true]);
            let (mut vx, mut vy) = (vec![0.0; m], vec![0.0; m]);
            c2.values_pair([x, y], [&mut vx, &mut vy], &mut Vec::new())
                .unwrap();
            let interpreted = |z: &[f64]| p.values(z, &mut Scratch::default(), &mut NoCustoms);
            assert_eq!(exact(&vx), exact(&interpreted(x).unwrap()), "{x:?} {y:?}");
            assert_eq!(exact(&vy), exact(&interpreted(y).unwrap()), "{x:?} {y:?}");
        }
    }
}

#[test]
fn wrong_lengths_and_lane_counts_are_errors() {
    let mut next = generator(11);
    let p = random_program(&mut next, &[0.5; 3], 10, 3, 0);
    let (c1, c2) = (
        Compiled::new(&p).unwrap(),
        Compiled::with_lanes(&p).unwrap(),
    );
    let (x, short) = ([0.5; 3], [0.5; 2]);
    let work = &mut Vec::new();
    let (mut v, mut w) = (vec![0.0; 4], vec![0.0; 4]);
    assert_eq!(c2.values(&x, work), Err(Exit::Other));
    assert_eq!(
        c1.values_pair([&x, &x], [&mut v, &mut w], work),
        Err(Exit::Other)
    );
    assert_eq!(
        c2.values_pair([&x, &short], [&mut v, &mut w], work),
        Err(Exit::Other)
    );
    let (mut g, mut h) = (vec![0.0; 3], vec![0.0; 3]);
    let bad = c2.value_and_gradient_pair([&x, &x], 9, [&mut g, &mut h], work);
    assert_eq!(bad, Err(Exit::Other));
}

#[test]
#[ignore = "a measurement: cargo test --release --lib lane_speed -- --ignored --nocapture"]
fn lane_speed() {
    for n in [100, 300, 1000] {
        let p = w2(n);
        let (c1, c2) = (
            Compiled::new(&p).unwrap(),
            Compiled::with_lanes(&p).unwrap(),
        );
        let points: Vec<Vec<f64>> = (0..64)
            .map(|r| {
                (0..n)
                    .map(|i| 0.5 + 0.001 * i as f64 + 1e-3 * r as f64)
                    .collect()
            })
            .collect();
        let (mut g, mut h) = (vec![0.0; n], vec![0.0; n]);
        let work = &mut Vec::new();
        let time = |f: &mut dyn FnMut()| {
            (0..200)
                .map(|_| {
                    let start = std::time::Instant::now();
                    f();
                    start.elapsed().as_secs_f64()
                })
                .fold(f64::INFINITY, f64::min)
                / 64.0
                * 1e6
        };
        let one = time(&mut || {
            for x in &points {
                c1.value_and_gradient(x, 0, &mut g, work).unwrap();
            }
        });
        let two = time(&mut || {
            for x in points.chunks(2) {
                c2.value_and_gradient_pair([&x[0], &x[1]], 0, [&mut g, &mut h], work)
                    .unwrap();
            }
        });
        let m = p.outputs().len();
        let (mut u, mut v) = (vec![0.0; m], vec![0.0; m]);
        let one_forward = time(&mut || {
            for x in &points {
                c1.values(x, work).unwrap();
            }
        });
        let two_forward = time(&mut || {
            for x in points.chunks(2) {
                c2.values_pair([&x[0], &x[1]], [&mut u, &mut v], work)
                    .unwrap();
            }
        });
        println!(
            "W2 n = {n}: {one:.2} µs a row alone, {two:.2} µs a row in pairs; the forward \
             pass {one_forward:.2} and {two_forward:.2} µs"
        );
    }
}
