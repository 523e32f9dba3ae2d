//! Block custom operations in a program: values, gradients and Jacobians through a
//! block equal the same function written with the table's operations; the replays that
//! do not go through a block refuse it; a malformed side table is refused.

use super::*;
use crate::ops::{Binary, Operands};
use crate::tape::{Block, BlockInput, Op, OpCode, Slot, WengertList};

/// `(u, v) = (x·y, x + c·y)` for the constant `c`, as a block.
struct Pair {
    c: f64,
    calls: usize,
    /// Whether it gives its second partials.
    seconds: bool,
}

impl Pair {
    /// The block for the constant `c`, giving its second partials, not yet called.
    fn new(c: f64) -> Self {
        Pair {
            c,
            calls: 0,
            seconds: true,
        }
    }

    fn at(&self, x: &[f64]) -> ([f64; 2], [f64; 6]) {
        let (a, b) = (x[0], x[2]);
        ([a * b, a + self.c * b], [b, 0.0, a, 1.0, 0.0, self.c])
    }
}

impl Customs for Pair {
    fn eval(&mut self, _: usize, _: f64, _: f64) -> Result<(f64, f64, f64), ReplayError> {
        Err(ReplayError::Custom)
    }
    fn second(&mut self, entry: usize, _: f64, _: f64) -> Result<[f64; 3], ReplayError> {
        Err(ReplayError::NoSecondDerivative { entry })
    }
    fn block_second(
        &mut self,
        entry: usize,
        _: &[f64],
        hessian: &mut [f64],
    ) -> Result<(), ReplayError> {
        if !self.seconds {
            return Err(ReplayError::NoSecondDerivative { entry });
        }
        // u = a·b: ∂²/∂a∂b = 1; v = a + c·b: ∂²/∂c∂b = 1 (inputs a, c, b).
        hessian.fill(0.0);
        hessian[2] = 1.0;
        hessian[6] = 1.0;
        hessian[9 + 5] = 1.0;
        hessian[9 + 7] = 1.0;
        Ok(())
    }
    fn block(
        &mut self,
        _: usize,
        x: &[f64],
        values: &mut [f64],
        jacobian: &mut [f64],
    ) -> Result<(), ReplayError> {
        self.calls += 1;
        assert_eq!(x[1], self.c);
        let (v, j) = self.at(x);
        values.copy_from_slice(&v);
        jacobian.copy_from_slice(&j);
        Ok(())
    }
}

/// `z = u · v` with `(u, v)` the block of (x, c, y), recorded at (x, y); outputs z, u, v.
fn recorded(x: f64, y: f64, c: f64) -> (WengertList, [Slot; 3]) {
    let mut t = WengertList::new();
    let sx = t.variable().unwrap();
    let sy = t.variable().unwrap();
    let ([u, v], jacobian) = Pair::new(c).at(&[x, c, y]);
    let su = t
        .block(&[Ok(sx), Err(c), Ok(sy)], 2, jacobian.to_vec())
        .unwrap();
    let sv = Slot {
        index: su.index + 1,
        ..su
    };
    let code = OpCode::new(Op::Binary(Binary::Mul, Operands::Both));
    let z = t.binary(code, su, sv, v, u).unwrap();
    (t, [z, su, sv])
}

fn program(t: &WengertList, outputs: &[Slot]) -> Result<Program, ProgramError> {
    let outputs = outputs.iter().map(|s| Value::Entry(s.index)).collect();
    Program::with_blocks(t.codes(), t.entries(), t.blocks(), 2, outputs, vec![])
}

/// The constant of the block in the tests' program.
const C: f64 = 2.0;

/// The tests' block program and what replays it.
struct BlockProgram {
    /// The tape of `recorded(1.5, -0.5, C)`.
    t: WengertList,
    /// Its slots z, u, v.
    slots: [Slot; 3],
    /// The program whose outputs are the first `outputs` of z, u, v.
    p: Program,
    /// A fresh block for the replays.
    pair: Pair,
}

/// `z = u · v` with `(u, v)` the block of (x, C, y), recorded at (1.5, -0.5), as a
/// program of `outputs` outputs (z; or z, u, v).
fn block_program(outputs: usize) -> BlockProgram {
    let (t, slots) = recorded(1.5, -0.5, C);
    let p = program(&t, &slots[..outputs]).unwrap();
    BlockProgram {
        t,
        slots,
        p,
        pair: Pair::new(C),
    }
}

/// z = x·y·(x + c·y): ∂z/∂x = y(x + cy) + xy, ∂z/∂y = x(x + cy) + cxy.
fn gradient(x: f64, y: f64, c: f64) -> [f64; 2] {
    [y * (x + c * y) + x * y, x * (x + c * y) + c * x * y]
}

#[test]
fn a_block_replays_as_the_tape_sweeps_it() {
    let BlockProgram {
        t,
        slots: [z, ..],
        p,
        pair: mut customs,
    } = block_program(3);
    assert!(p.has_customs());
    let mut scratch = Scratch::default();
    // The tape's own sweep at the recorded point.
    let d = t.derivatives(z).unwrap();
    assert_eq!(&d[..2], &gradient(1.5, -0.5, C));
    // The replay at a new point: one call of the block per pass.
    let (x, y) = (0.7, 1.3);
    let mut g = [0.0; 2];
    let value = p
        .value_and_gradient(&[x, y], 0, &mut g, &mut scratch, &mut customs)
        .unwrap();
    assert_eq!(customs.calls, 1);
    assert!((value - x * y * (x + 2.0 * y)).abs() < 1e-15);
    let exact = gradient(x, y, C);
    assert!((g[0] - exact[0]).abs() < 1e-14 && (g[1] - exact[1]).abs() < 1e-14);
    // Three outputs and two inputs: the Jacobian by tangent passes equals the sweeps'.
    let mut jacobian = [0.0; 6];
    let values = p
        .jacobian(&[x, y], &mut jacobian, &mut scratch, &mut customs)
        .unwrap();
    assert_eq!(values[1], x * y);
    assert_eq!(&jacobian[2..], &[y, x, 1.0, 2.0]);
    assert!((jacobian[0] - exact[0]).abs() < 1e-14 && (jacobian[1] - exact[1]).abs() < 1e-14);
    // The Hessian by forward-over-reverse through the block's second partials:
    // z = x²y + c·x·y², so H = [[2y, 2x + 2cy], [2x + 2cy, 2cx]].
    let c = C;
    let exact_h = [
        2.0 * y,
        2.0 * x + 2.0 * c * y,
        2.0 * x + 2.0 * c * y,
        2.0 * c * x,
    ];
    let mut h = [0.0; 4];
    p.hessian(&[x, y], 0, &mut h, &mut scratch, &mut customs)
        .unwrap();
    for (a, b) in h.iter().zip(exact_h) {
        assert!((a - b).abs() < 1e-14, "{h:?}");
    }
    // Taylor to degree 2 along (1, 0): z(t) = (x + t)²y + c(x + t)y².
    let mut series = [0.0; 9];
    p.taylor(
        &[x, y],
        &[1.0, 0.0],
        2,
        &mut series,
        &mut scratch,
        &mut customs,
    )
    .unwrap();
    let z1 = 2.0 * x * y + c * y * y;
    assert!((series[1] - z1).abs() < 1e-14 && (series[2] - y).abs() < 1e-14);
    assert_eq!(&series[3..6], &[x * y, y, 0.0]);
    // Past degree 2 there is no rule; without second partials no Hessian.
    let mut series = [0.0; 12];
    assert_eq!(
        p.taylor(
            &[x, y],
            &[1.0, 0.0],
            3,
            &mut series,
            &mut scratch,
            &mut customs
        ),
        Err(ReplayError::NoTaylorRule { entry: 2 })
    );
    customs.seconds = false;
    assert_eq!(
        p.hessian(&[x, y], 0, &mut h, &mut scratch, &mut customs)
            .map(|_| ()),
        Err(ReplayError::NoSecondDerivative { entry: 2 })
    );
    // Both outputs depend on both inputs; the Hessian pattern is dense.
    let pattern = p.jacobian_pattern().unwrap();
    assert_eq!(pattern.nnz(), 6);
    assert_eq!(p.hessian_pattern().unwrap().nnz(), 4);
    // Without the customs, the replay fails.
    assert_eq!(
        p.values(&[x, y], &mut scratch, &mut NoCustoms),
        Err(ReplayError::Custom)
    );
}

#[test]
fn a_malformed_side_table_is_refused() {
    let BlockProgram {
        t,
        slots: [z, u, v],
        ..
    } = block_program(1);
    let bad = |blocks: &[Block], outputs: &[Slot]| {
        let outputs = outputs.iter().map(|s| Value::Entry(s.index)).collect();
        let program = Program::with_blocks(t.codes(), t.entries(), blocks, 2, outputs, vec![]);
        // The block's first output, or the entry that claims to be one.
        matches!(program, Err(ProgramError::BadBlock(1..=3)))
    };
    let good = t.blocks().to_vec();
    assert!(!bad(&good, &[z]));
    // No side table, an input after the block, no input, one output
    // too many or too few, and a block that starts elsewhere.
    assert!(bad(&[], &[z]));
    let mut late = good.clone();
    late[0].inputs[0] = BlockInput::Entry(2);
    assert!(bad(&late, &[z]));
    let mut none = good.clone();
    none[0].inputs.clear();
    assert!(bad(&none, &[z]));
    let mut more = good.clone();
    more[0].outputs = 3;
    more[0].partials.extend([0.0; 3]);
    assert!(bad(&more, &[z]));
    let mut fewer = good.clone();
    fewer[0].outputs = 1;
    fewer[0].partials.truncate(3);
    assert!(bad(&fewer, &[z]));
    let mut moved = good;
    moved[0].first = 1;
    assert!(bad(&moved, &[z, u, v]));
    // The format holds no block: Program::new (from a file) refuses one.
    assert!(program(&t, &[z]).is_ok());
    assert!(Program::new(t.codes(), t.entries(), 2, vec![], vec![]).is_err());
}

#[test]
fn a_block_travels_in_the_format_with_its_note() {
    use super::format::{decode, encode, CustomKind, CustomNote, InputForm, Meta};
    let BlockProgram {
        p,
        pair: mut customs,
        ..
    } = block_program(1);
    let (inputs, outputs) = p.block_at(2).unwrap();
    assert_eq!(
        inputs,
        &[Value::Entry(0), Value::Constant(2.0), Value::Entry(1)]
    );
    assert!(p.block_at(3).is_none() && p.block_at(0).is_none());
    let mut meta = Meta {
        x0: vec![1.5, -0.5],
        form: InputForm::Sequence,
        scalar_output: true,
        guard_notes: vec![],
        escape_count: 0,
        escapes: vec![],
        compiled: false,
        customs: vec![CustomNote {
            entry: 2,
            kind: CustomKind::Block {
                inputs: inputs.to_vec(),
                outputs,
            },
            place: String::new(),
        }],
    };
    let (back, read) = decode(&encode(&p, &meta)).unwrap();
    assert_eq!(read, meta);
    let (mut g, mut h) = ([0.0; 2], [0.0; 2]);
    let mut scratch = Scratch::default();
    let x = [0.7, 1.3];
    let a = p.value_and_gradient(&x, 0, &mut g, &mut scratch, &mut customs);
    let b = back.value_and_gradient(&x, 0, &mut h, &mut scratch, &mut customs);
    assert_eq!((a, g), (b, h));
    // Without its note, or with one output too many, the bytes are refused, saying so.
    let refused = "the custom operation of many inputs at entry 2: its note's outputs or \
                   inputs do not match the code";
    meta.customs.clear();
    let error = decode(&encode(&p, &meta)).unwrap_err();
    assert!(error.0.ends_with(refused), "{}", error.0);
    meta.customs.push(CustomNote {
        entry: 2,
        kind: CustomKind::Block {
            inputs: inputs.to_vec(),
            outputs: 3,
        },
        place: String::new(),
    });
    let error = decode(&encode(&p, &meta)).unwrap_err();
    assert!(error.0.ends_with(refused), "{}", error.0);
}

#[test]
fn the_second_partials_have_room_only_when_asked_for() {
    let BlockProgram {
        p,
        pair: mut customs,
        ..
    } = block_program(3);
    let mut scratch = Scratch::default();
    let (x, y) = (0.7, 1.3);
    let mut g = [0.0; 2];
    p.value_and_gradient(&[x, y], 0, &mut g, &mut scratch, &mut customs)
        .unwrap();
    let mut jacobian = [0.0; 6];
    p.jacobian(&[x, y], &mut jacobian, &mut scratch, &mut customs)
        .unwrap();
    let mut series = [0.0; 6];
    p.taylor(
        &[x, y],
        &[1.0, 0.0],
        1,
        &mut series,
        &mut scratch,
        &mut customs,
    )
    .unwrap();
    // Values and Jacobians only: no room for the block's m·k·k second partials.
    assert_eq!(scratch.block_values.len(), 2);
    assert_eq!(scratch.block_partials.len(), 6);
    assert_eq!(scratch.block_seconds.len(), 0);
    let mut series = [0.0; 9];
    p.taylor(
        &[x, y],
        &[1.0, 0.0],
        2,
        &mut series,
        &mut scratch,
        &mut customs,
    )
    .unwrap();
    assert_eq!(scratch.block_seconds.len(), 2 * 3 * 3);
    let mut scratch = Scratch::default();
    let mut h = [0.0; 4];
    p.hessian(&[x, y], 0, &mut h, &mut scratch, &mut customs)
        .unwrap();
    assert_eq!(scratch.block_seconds.len(), 2 * 3 * 3);
    assert_eq!(h[3], 2.0 * 2.0 * x);
}

/// `m` copies of the block's one input.
struct Copies;

impl Customs for Copies {
    fn eval(&mut self, _: usize, _: f64, _: f64) -> Result<(f64, f64, f64), ReplayError> {
        Err(ReplayError::Custom)
    }
    fn second(&mut self, entry: usize, _: f64, _: f64) -> Result<[f64; 3], ReplayError> {
        Err(ReplayError::NoSecondDerivative { entry })
    }
    fn block(
        &mut self,
        _: usize,
        x: &[f64],
        values: &mut [f64],
        jacobian: &mut [f64],
    ) -> Result<(), ReplayError> {
        values.fill(x[0]);
        jacobian.fill(1.0);
        Ok(())
    }
}

/// The last of `m` copies of x, by a block.
fn copies(m: usize) -> Program {
    let mut t = WengertList::new();
    let x = t.variable().unwrap();
    let first = t.block(&[Ok(x)], m, vec![1.0; m]).unwrap();
    let last = Value::Entry(first.index + m as u32 - 1);
    Program::with_blocks(t.codes(), t.entries(), t.blocks(), 1, vec![last], vec![]).unwrap()
}

#[test]
fn one_scratch_serves_programs_with_blocks_in_any_order() {
    let BlockProgram { p, mut pair, .. } = block_program(3);
    let (three, one) = (copies(3), copies(1));
    let mut scratch = Scratch::default();
    let (x, y) = (0.7, 1.3);
    let exact = gradient(x, y, C);
    for _ in 0..2 {
        let mut g = [0.0];
        assert_eq!(
            three.value_and_gradient(&[2.0], 0, &mut g, &mut scratch, &mut Copies),
            Ok(2.0)
        );
        assert_eq!(g, [1.0]);
        let mut series = [0.0; 2];
        one.taylor(&[2.0], &[1.0], 1, &mut series, &mut scratch, &mut Copies)
            .unwrap();
        assert_eq!(series, [2.0, 1.0]);
        assert_eq!(
            three.value_and_gradient(&[3.0], 0, &mut g, &mut scratch, &mut Copies),
            Ok(3.0)
        );
        let mut series = [0.0; 9];
        p.taylor(
            &[x, y],
            &[1.0, 0.0],
            2,
            &mut series,
            &mut scratch,
            &mut pair,
        )
        .unwrap();
        assert_eq!(&series[3..6], &[x * y, y, 0.0]);
        let mut h = [0.0; 4];
        p.hessian(&[x, y], 0, &mut h, &mut scratch, &mut pair)
            .unwrap();
        assert_eq!(h[3], 2.0 * 2.0 * x);
        let mut series = [0.0; 2];
        one.taylor(&[2.0], &[1.0], 1, &mut series, &mut scratch, &mut Copies)
            .unwrap();
        let mut g = [0.0; 2];
        p.value_and_gradient(&[x, y], 0, &mut g, &mut scratch, &mut pair)
            .unwrap();
        assert!((g[0] - exact[0]).abs() < 1e-14 && (g[1] - exact[1]).abs() < 1e-14);
        let mut h = [0.0; 4];
        p.hessian(&[x, y], 0, &mut h, &mut scratch, &mut pair)
            .unwrap();
        assert_eq!(h[3], 2.0 * 2.0 * x);
    }
}
