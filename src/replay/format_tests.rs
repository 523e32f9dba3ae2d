//! The file format: round trips of random programs, hostile files named by what is
//! wrong, and a seeded mutation fuzz of the loader, bounded in time (cargo-fuzz would
//! need a nightly toolchain; this runs in every `cargo test`).

use std::time::{Duration, Instant};

use super::format::{crc32, decode, encode, CustomKind, CustomNote, InputForm, Meta, Note};
use super::*;
use crate::ops::{Binary, Comparison, Operands, Unary};
use crate::tape::{Entry, Op, OpCode, NO_OPERAND};

/// xorshift64*: a small seeded generator, so that every failure is reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn float(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 * 4.0 - 2.0
    }
}

/// A random program of `inputs` inputs and some operations (customs and guards when
/// asked), with its meta.
fn random_program(rng: &mut Rng, customs: bool) -> (Program, Meta) {
    let inputs = 1 + rng.below(4);
    let len = inputs + 1 + rng.below(30);
    let mut codes = Vec::new();
    let mut entries = Vec::new();
    let mut notes = Vec::new();
    for i in 0..len {
        let a = rng.below(i) as u32;
        let b = rng.below(i) as u32;
        let c = rng.float();
        let (op, operands, constant) = if i < inputs {
            (Op::Variable, [NO_OPERAND; 2], 0.0)
        } else {
            match rng.below(if customs { 6 } else { 4 }) {
                0 => (
                    Op::Unary(Unary::ALL[rng.below(Unary::ALL.len())]),
                    [a, NO_OPERAND],
                    0.0,
                ),
                1 => (
                    Op::Binary(Binary::ALL[rng.below(7)], Operands::Both),
                    [a, b],
                    0.0,
                ),
                2 => (
                    Op::Binary(Binary::ALL[rng.below(7)], Operands::ConstantRight),
                    [a, NO_OPERAND],
                    c,
                ),
                3 => (
                    Op::Binary(Binary::ALL[rng.below(7)], Operands::ConstantLeft),
                    [a, NO_OPERAND],
                    c,
                ),
                4 => {
                    let kind = [
                        CustomKind::Unary,
                        CustomKind::Round(None),
                        CustomKind::Round(Some(-3)),
                    ][rng.below(3)]
                    .clone();
                    notes.push(CustomNote {
                        entry: i as u32,
                        kind,
                        place: format!(" at f.py:{i} in f"),
                    });
                    (Op::CustomUnary, [a, NO_OPERAND], 0.0)
                }
                _ => {
                    notes.push(CustomNote {
                        entry: i as u32,
                        kind: CustomKind::Binary,
                        place: String::new(),
                    });
                    (Op::CustomBinary(Operands::ConstantLeft), [a, NO_OPERAND], c)
                }
            }
        };
        codes.push(OpCode::new(op));
        entries.push(Entry {
            partials: [0.0, constant],
            operands,
        });
    }
    let position = (inputs + rng.below(len - inputs + 1)) as u32;
    let guards = vec![Guard {
        position,
        left: Value::Entry(rng.below(position as usize) as u32),
        comparison: Comparison::Le,
        right: Value::Constant(0.5),
        outcome: rng.below(2) == 0,
    }];
    let outputs = vec![Value::Entry((len - 1) as u32), Value::Constant(2.5)];
    let program = Program::new(&codes, &entries, inputs, outputs, guards).unwrap();
    let meta = Meta {
        x0: (0..inputs).map(|_| rng.float()).collect(),
        form: if rng.below(2) == 0 {
            InputForm::Sequence
        } else {
            InputForm::Array(vec![1, inputs])
        },
        scalar_output: false,
        guard_notes: vec![Note {
            kind: 1,
            name: String::new(),
            place: " at f.py:3 in f".into(),
        }],
        escape_count: 9,
        escapes: vec![Note {
            kind: 0,
            name: "str()".into(),
            place: "é".into(),
        }],
        customs: notes,
        compiled: rng.below(2) == 0,
    };
    (program, meta)
}

/// The values and gradient of output 0 at `x`, or the error, compared bit for bit.
fn replay(p: &Program, x: &[f64]) -> Result<(u64, Vec<u64>), ReplayError> {
    let mut g = vec![0.0; p.inputs()];
    let v = p.value_and_gradient(x, 0, &mut g, &mut Scratch::default(), &mut NoCustoms)?;
    Ok((v.to_bits(), g.iter().map(|d| d.to_bits()).collect()))
}

#[test]
fn random_programs_round_trip_bit_for_bit() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..300 {
        let customs = rng.below(2) == 0;
        let (program, meta) = random_program(&mut rng, customs);
        let bytes = encode(&program, &meta);
        let (back, meta_back) = decode(&bytes).unwrap();
        assert_eq!(meta_back, meta);
        assert_eq!(encode(&back, &meta_back), bytes);
        assert_eq!(back.len(), program.len());
        assert_eq!(back.guards(), program.guards());
        assert_eq!(back.outputs(), program.outputs());
        let x: Vec<f64> = (0..program.inputs()).map(|_| rng.float()).collect();
        assert_eq!(replay(&back, &x), replay(&program, &x));
    }
}

#[test]
fn the_checksum_is_zlibs_crc32() {
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32(b""), 0);
}

/// The bytes with the checksum made right again, so that the parser sees the change.
fn resealed(mut bytes: Vec<u8>) -> Vec<u8> {
    let n = bytes.len();
    if n >= 24 {
        let body = (n - 24) as u64;
        bytes[12..20].copy_from_slice(&body.to_le_bytes());
        let crc = crc32(&bytes[..n - 4]);
        bytes[n - 4..].copy_from_slice(&crc.to_le_bytes());
    }
    bytes
}

fn message(bytes: &[u8]) -> String {
    match decode(bytes) {
        Ok(_) => panic!("decoded"),
        Err(e) => e.0,
    }
}

#[test]
fn hostile_files_are_named() {
    let mut rng = Rng(7);
    let (program, meta) = random_program(&mut rng, false);
    let good = encode(&program, &meta);
    assert!(message(b"PK\x03\x04").contains("not a wengert recording"));
    assert!(message(&good[..good.len() - 1]).contains("truncated"));
    assert!(message(&good[..30]).contains("truncated"));
    let mut flipped = good.clone();
    flipped[40] ^= 0x10;
    assert!(message(&flipped).contains("checksum"));
    let mut version = good.clone();
    version[8] = 9;
    assert!(message(&version).contains("version 9"));
    let mut extra = good.clone();
    extra.insert(30, 0);
    assert!(message(&extra).contains("extra bytes"));
    // Past the checksum: fields checked one by one. The entries count is at byte 24.
    let mut many = good.clone();
    many[24..28].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(message(&resealed(many)).contains("more than a tape holds"));
    // An operand referring forward: the first operation's operand is its own index.
    let inputs = program.inputs();
    let mut code_at = 28 + 1 + 8 * inputs + 1;
    if let InputForm::Array(shape) = &meta.form {
        code_at += 4 + 8 * shape.len();
    }
    code_at += inputs; // the inputs' opcodes
    let mut forward = good.clone();
    forward[code_at + 1..code_at + 5].copy_from_slice(&(inputs as u32).to_le_bytes());
    assert!(message(&resealed(forward)).contains("not before it"));
    let mut opcode = good.clone();
    opcode[code_at] = 0x3f;
    assert!(message(&resealed(opcode)).contains("no operation"));
}

#[test]
fn unordered_guards_are_refused_by_program_new() {
    let codes = [OpCode::new(Op::Variable); 2];
    let entries = [Entry {
        partials: [0.0; 2],
        operands: [NO_OPERAND; 2],
    }; 2];
    let guard = |position| Guard {
        position,
        left: Value::Entry(0),
        comparison: Comparison::Lt,
        right: Value::Constant(1.0),
        outcome: true,
    };
    let err = Program::new(&codes, &entries, 2, vec![], vec![guard(2), guard(1)]);
    assert_eq!(err.unwrap_err(), ProgramError::GuardOutOfOrder(1));
    let err = Program::new(&codes, &entries, 2, vec![], vec![guard(3)]);
    assert_eq!(err.unwrap_err(), ProgramError::GuardOutOfOrder(0));
}

#[test]
fn opcode_bytes_are_checked() {
    let valid = (0..=255u8).filter(|&b| OpCode::from_byte(b).is_some());
    for byte in valid {
        let code = OpCode::from_byte(byte).unwrap();
        assert_eq!(OpCode::new(code.op()).byte(), byte);
    }
    assert!(OpCode::from_byte(0x40).is_none()); // an input with a constant
    assert!(OpCode::from_byte(0xff).is_none());
}

/// Mutated files (bit flips, truncations, random bytes, random bodies behind a
/// valid header and checksum) decode or are refused, and never panic; those that
/// decode replay without panicking. Bounded in time.
#[test]
fn the_loader_survives_mutations() {
    let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut decoded = 0;
    let mut rounds = 0;
    while rounds < 200_000 && Instant::now() < deadline {
        rounds += 1;
        let customs = rng.below(2) == 0;
        let (program, meta) = random_program(&mut rng, customs);
        let mut bytes = encode(&program, &meta);
        let reseal = rng.below(4) != 0;
        match rng.below(5) {
            0 => {
                for _ in 0..1 + rng.below(3) {
                    let i = rng.below(bytes.len());
                    bytes[i] ^= 1 << rng.below(8);
                }
            }
            1 => bytes.truncate(rng.below(bytes.len())),
            2 => {
                let i = rng.below(bytes.len());
                bytes[i] = rng.next() as u8;
            }
            3 => {
                let n = rng.below(200);
                bytes.truncate(20);
                bytes.extend((0..n).map(|_| rng.next() as u8));
            }
            _ => {
                let i = 20 + rng.below(bytes.len() - 20);
                let n = rng.below(9);
                let chunk: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                bytes.splice(i..i, chunk);
            }
        }
        if reseal {
            bytes = resealed(bytes);
        }
        if let Ok((p, m)) = decode(&bytes) {
            decoded += 1;
            let _ = replay(&p, &m.x0);
            let mut h = vec![0.0; p.inputs() * p.inputs()];
            let _ = p.hessian(&m.x0, 0, &mut h, &mut Scratch::default(), &mut NoCustoms);
        }
    }
    eprintln!("the loader fuzz: {rounds} mutated files, {decoded} of them decoded and replayed");
    assert!(rounds > 1000, "only {rounds} mutations ran");
    assert!(decoded > 0, "no mutation decoded in {rounds}");
}
