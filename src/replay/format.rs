//! The file format of a recording: a [`Program`] and what the caller keeps with it
//! ([`Meta`]), as bytes, and back, with every byte checked before use.
//!
//! The replay trusts its program (indices are not checked again per operation), so
//! [`decode`] is the gate: a truncated, corrupted or hostile file gives a
//! [`FormatError`] saying what is wrong, never a panic, and a program that decodes
//! has passed the same [`Program::new`] checks as one made by the recorder.
//!
//! # Layout (version 1)
//!
//! All numbers little-endian; `f64` as its IEEE 754 bits; a string is a `u32`
//! byte length then UTF-8; a value is a tag `u8` (0: an entry, then its index
//! `u32`; 1: a constant, then an `f64`).
//!
//! | field | type | |
//! |---|---|---|
//! | magic | 8 bytes | `b"WENGERT\0"` |
//! | version | `u16` | 1 |
//! | flags | `u16` | bit 0: the recording was compiled when written, and is compiled again when read (files written before this bit existed have 0); the other bits 0 (reserved) |
//! | body length | `u64` | bytes from here to the checksum |
//! | inputs | `u32` | the first `inputs` entries are the inputs |
//! | entries | `u32` | the number of entries, inputs included |
//! | form | `u8` | 0 a number, 1 a sequence, 2 an array, then its `ndim: u32` and `ndim` dimensions `u64` (their product is `inputs`) |
//! | x0 | `inputs` × `f64` | the point recorded at (finite) |
//! | scalar output | `u8` | 1 when `f` returned one number |
//! | code | `entries` × (opcode `u8`, operands) | operands by the opcode's [`Op`]: an input none; a unary (or custom unary) operation `a: u32`; a binary one `a: u32, b: u32`, or with a constant operand `a: u32, c: f64` (the constant is on the side the opcode names); an output of a block custom operation none (its custom operation's entry says); every operand index is below its entry's |
//! | outputs | `u32` count, values | |
//! | guards | `u32` count, each: position `u32` (non-decreasing, at most `entries`), left value, comparison `u8` (< 6: `<`, `<=`, `==`, `!=`, `>`, `>=`), right value, outcome `u8` (0/1), kind `u8` (< 3: comparison, `bool()`, finiteness), place string | the comparisons the recorded code made |
//! | escapes | `u64` count of reads, `u32` count kept (at most the count; 0 only when it is 0), each: kind `u8` (< 3: a read, a raised exception, an inexact int), name string, place string | |
//! | custom operations | `u32` count, each: entry `u32` (increasing), kind `u8` (0 a function of one argument, 1 of two, 2 `round(x)`, 3 `round(x, ndigits)` then `ndigits: i64`, 4 a block of `k` inputs and `m` outputs (`wengert.custom`) then `k: u32`, `k` values (entries before it) and `m: u32`, its outputs the `m` block entries from `entry` on), place string | one for each custom entry of the code, of its arity (a block's at its first output) |
//! | checksum | `u32` | CRC-32 (IEEE) of every byte before it |
//!
//! Entries of a custom function (kinds 0 and 1) carry no code: the caller supplies
//! the functions (pickle does), or refuses to write or read them.

use std::fmt;

use super::program::Instruction;
use super::{Guard, Program, ProgramError, Value};
use crate::ops::{Binary, Comparison, Operands};
use crate::tape::{Block, BlockInput, Entry, Op, OpCode, NO_OPERAND};

/// The first bytes of every file.
pub const MAGIC: [u8; 8] = *b"WENGERT\0";
/// The version of the layout this module writes and reads.
pub const VERSION: u16 = 1;
/// Bytes before the body: magic, version, flags, body length.
const HEADER: usize = 8 + 2 + 2 + 8;
/// How many kinds a guard's or an escape's note has (see the layout).
pub const NOTE_KINDS: u8 = 3;
/// The most dimensions an array input may have (numpy's own limit).
const MAX_NDIM: u32 = 64;

/// The form of the input: a number, a sequence of numbers, or an array of a shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputForm {
    Number,
    Sequence,
    Array(Vec<usize>),
}

/// A guard's or an escape's description: its kind (< [`NOTE_KINDS`]), a name (for
/// escapes) and the place in the user's code, as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub kind: u8,
    pub name: String,
    pub place: String,
}

/// What a custom entry is.
#[derive(Clone, Debug, PartialEq)]
pub enum CustomKind {
    /// A user's function of one argument (its code is not in the file).
    Unary,
    /// A user's function of two arguments (its code is not in the file).
    Binary,
    /// `round(x)`, or `round(x, ndigits)`.
    Round(Option<i64>),
    /// A user's function of many inputs and outputs (`wengert.custom`; its code is not in
    /// the file): its inputs and how many outputs it has, from the note's entry on.
    Block { inputs: Vec<Value>, outputs: u32 },
}

/// A custom entry of the program.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomNote {
    pub entry: u32,
    pub kind: CustomKind,
    pub place: String,
}

/// What the caller keeps with a program.
#[derive(Clone, Debug, PartialEq)]
pub struct Meta {
    pub x0: Vec<f64>,
    pub form: InputForm,
    pub scalar_output: bool,
    /// One for each guard of the program, in order.
    pub guard_notes: Vec<Note>,
    /// How many escapes there were; `escapes` holds the first few.
    pub escape_count: u64,
    pub escapes: Vec<Note>,
    /// One for each custom entry of the program, by increasing entry.
    pub customs: Vec<CustomNote>,
    /// The recording was compiled to native code (flag bit 0): compile it again when
    /// it is read. The code itself never travels.
    pub compiled: bool,
}

/// The header's flag: compiled when written.
const COMPILED: u16 = 1;

/// Why bytes are not a recording.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError(pub String);

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn error<T>(message: impl Into<String>) -> Result<T, FormatError> {
    Err(FormatError(message.into()))
}

/// The CRC-32 table (IEEE 802.3 polynomial, reflected), made at compile time.
const CRC_TABLE: [u32; 256] = {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
};

/// The CRC-32 of `data`, as zlib and `binascii.crc32` compute it.
pub fn crc32(data: &[u8]) -> u32 {
    let mut c = !0u32;
    for &byte in data {
        c = CRC_TABLE[((c ^ u32::from(byte)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

/// A program's entry as the file writes it: its code, operand indices and constant.
fn parts(instruction: Instruction) -> (Op, u32, u32, f64) {
    use Instruction as I;
    let both = Operands::Both;
    let (right, left) = (Operands::ConstantRight, Operands::ConstantLeft);
    let none = NO_OPERAND;
    match instruction {
        I::Input => (Op::Variable, none, none, 0.0),
        I::Unary(u, a) => (Op::Unary(u), a, none, 0.0),
        I::Add(a, b) => (Op::Binary(Binary::Add, both), a, b, 0.0),
        I::Sub(a, b) => (Op::Binary(Binary::Sub, both), a, b, 0.0),
        I::Mul(a, b) => (Op::Binary(Binary::Mul, both), a, b, 0.0),
        I::Div(a, b) => (Op::Binary(Binary::Div, both), a, b, 0.0),
        I::Binary(op, a, b) => (Op::Binary(op, both), a, b, 0.0),
        I::AddRight(a, c) => (Op::Binary(Binary::Add, right), a, none, c),
        I::SubRight(a, c) => (Op::Binary(Binary::Sub, right), a, none, c),
        I::MulRight(a, c) => (Op::Binary(Binary::Mul, right), a, none, c),
        I::DivRight(a, c) => (Op::Binary(Binary::Div, right), a, none, c),
        I::BinaryRight(op, a, c) => (Op::Binary(op, right), a, none, c),
        I::AddLeft(c, a) => (Op::Binary(Binary::Add, left), a, none, c),
        I::SubLeft(c, a) => (Op::Binary(Binary::Sub, left), a, none, c),
        I::MulLeft(c, a) => (Op::Binary(Binary::Mul, left), a, none, c),
        I::DivLeft(c, a) => (Op::Binary(Binary::Div, left), a, none, c),
        I::BinaryLeft(op, c, a) => (Op::Binary(op, left), a, none, c),
        I::CustomUnary(a) => (Op::CustomUnary, a, none, 0.0),
        I::CustomBinary(a, b) => (Op::CustomBinary(both), a, b, 0.0),
        I::CustomRight(a, c) => (Op::CustomBinary(right), a, none, c),
        I::CustomLeft(c, a) => (Op::CustomBinary(left), a, none, c),
        // Its inputs and outputs are in its custom operation's note.
        I::Block(..) => (Op::Block, none, none, 0.0),
    }
}

/// The operands an opcode takes in the file: (first index, second index, constant).
fn layout(op: Op) -> (bool, bool, bool) {
    match op {
        Op::Variable | Op::Block => (false, false, false),
        Op::Unary(_) | Op::CustomUnary => (true, false, false),
        Op::Binary(_, Operands::Both) | Op::CustomBinary(Operands::Both) => (true, true, false),
        Op::Binary(..) | Op::CustomBinary(_) => (true, false, true),
    }
}

const COMPARISONS: [Comparison; 6] = Comparison::ALL;

/// Bytes being written.
struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn f64(&mut self, v: f64) {
        self.0.extend_from_slice(&v.to_bits().to_le_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("fewer than 2^32 items"));
    }
    fn string(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn value(&mut self, v: Value) {
        match v {
            Value::Entry(i) => {
                self.u8(0);
                self.u32(i);
            }
            Value::Constant(c) => {
                self.u8(1);
                self.f64(c);
            }
        }
    }
    fn note(&mut self, note: &Note) {
        self.u8(note.kind);
        self.string(&note.name);
        self.string(&note.place);
    }
}

/// The bytes of `program` with `meta`, in the layout above.
pub fn encode(program: &Program, meta: &Meta) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(HEADER + 64 + 10 * program.len()));
    w.0.extend_from_slice(&MAGIC);
    w.0.extend_from_slice(&VERSION.to_le_bytes());
    let flags = if meta.compiled { COMPILED } else { 0 };
    w.0.extend_from_slice(&flags.to_le_bytes());
    w.u64(0); // the body's length, written at the end
    w.len(program.inputs);
    w.len(program.len());
    match &meta.form {
        InputForm::Number => w.u8(0),
        InputForm::Sequence => w.u8(1),
        InputForm::Array(shape) => {
            w.u8(2);
            w.len(shape.len());
            for &d in shape {
                w.u64(d as u64);
            }
        }
    }
    for &x in &meta.x0 {
        w.f64(x);
    }
    w.u8(u8::from(meta.scalar_output));
    for &instruction in &program.instructions {
        let (op, a, b, c) = parts(instruction);
        w.u8(OpCode::new(op).byte());
        let (first, second, constant) = layout(op);
        if first {
            w.u32(a);
        }
        if second {
            w.u32(b);
        }
        if constant {
            w.f64(c);
        }
    }
    w.len(program.outputs.len());
    for &output in &program.outputs {
        w.value(output);
    }
    w.len(program.guards.len());
    let empty = Note {
        kind: 0,
        name: String::new(),
        place: String::new(),
    };
    for (g, guard) in program.guards.iter().enumerate() {
        let note = meta.guard_notes.get(g).unwrap_or(&empty);
        w.u32(guard.position);
        w.value(guard.left);
        w.u8(COMPARISONS
            .iter()
            .position(|&c| c == guard.comparison)
            .expect("every comparison is listed") as u8);
        w.value(guard.right);
        w.u8(u8::from(guard.outcome));
        w.u8(note.kind);
        w.string(&note.place);
    }
    w.u64(meta.escape_count);
    w.len(meta.escapes.len());
    for escape in &meta.escapes {
        w.note(escape);
    }
    w.len(meta.customs.len());
    for custom in &meta.customs {
        w.u32(custom.entry);
        match &custom.kind {
            CustomKind::Unary => w.u8(0),
            CustomKind::Binary => w.u8(1),
            CustomKind::Round(None) => w.u8(2),
            CustomKind::Round(Some(ndigits)) => {
                w.u8(3);
                w.0.extend_from_slice(&ndigits.to_le_bytes());
            }
            CustomKind::Block { inputs, outputs } => {
                w.u8(4);
                w.len(inputs.len());
                for &input in inputs {
                    w.value(input);
                }
                w.u32(*outputs);
            }
        }
        w.string(&custom.place);
    }
    let body = (w.0.len() - HEADER) as u64;
    w.0[12..HEADER].copy_from_slice(&body.to_le_bytes());
    let checksum = crc32(&w.0);
    w.u32(checksum);
    w.0
}

/// Bytes being read, each read checked against what is left.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], FormatError> {
        match self.at.checked_add(n) {
            Some(end) if end <= self.data.len() => {
                let bytes = &self.data[self.at..end];
                self.at = end;
                Ok(bytes)
            }
            _ => error(format!(
                "the body ends in the middle of {what} (at byte {} of the file)",
                self.at + HEADER
            )),
        }
    }
    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], FormatError> {
        let mut bytes = [0u8; N];
        bytes.copy_from_slice(self.take(N, what)?);
        Ok(bytes)
    }
    fn u8(&mut self, what: &str) -> Result<u8, FormatError> {
        Ok(self.take(1, what)?[0])
    }
    fn u32(&mut self, what: &str) -> Result<u32, FormatError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }
    fn u64(&mut self, what: &str) -> Result<u64, FormatError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }
    fn f64(&mut self, what: &str) -> Result<f64, FormatError> {
        Ok(f64::from_bits(self.u64(what)?))
    }
    fn bool(&mut self, what: &str) -> Result<bool, FormatError> {
        match self.u8(what)? {
            0 => Ok(false),
            1 => Ok(true),
            b => error(format!("{what} is {b}, not 0 or 1")),
        }
    }
    /// A count of items of at least `size` bytes each, checked against what is left
    /// (so that no allocation is made for items the data cannot hold).
    fn count(&mut self, size: usize, what: &str) -> Result<usize, FormatError> {
        let n = self.u32(what)? as usize;
        let left = self.data.len() - self.at;
        if n.saturating_mul(size) > left {
            return error(format!(
                "{what} is {n}, more than the {left} bytes left can hold"
            ));
        }
        Ok(n)
    }
    fn string(&mut self, what: &str) -> Result<String, FormatError> {
        let n = self.count(1, &format!("the length of {what}"))?;
        match std::str::from_utf8(self.take(n, what)?) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => error(format!("{what} is not UTF-8")),
        }
    }
    fn value(&mut self, entries: usize, what: &str) -> Result<Value, FormatError> {
        match self.u8(what)? {
            0 => {
                let i = self.u32(what)?;
                if i as usize >= entries {
                    return error(format!(
                        "{what} is entry {i}, and there are {entries} entries"
                    ));
                }
                Ok(Value::Entry(i))
            }
            1 => Ok(Value::Constant(self.f64(what)?)),
            tag => error(format!(
                "{what} has tag {tag}, not 0 (an entry) or 1 (a constant)"
            )),
        }
    }
    fn note(&mut self, what: &str) -> Result<Note, FormatError> {
        let kind = self.u8(what)?;
        if kind >= NOTE_KINDS {
            return error(format!(
                "{what} has kind {kind}, not one below {NOTE_KINDS}"
            ));
        }
        Ok(Note {
            kind,
            name: self.string(what)?,
            place: self.string(what)?,
        })
    }
}

/// The program and its [`Meta`] from `data`, every field checked (see the module's doc).
pub fn decode(data: &[u8]) -> Result<(Program, Meta), FormatError> {
    if data.len() < MAGIC.len() || data[..MAGIC.len()] != MAGIC {
        return error("this is not a wengert recording (it does not start with b\"WENGERT\\0\")");
    }
    if data.len() < HEADER + 4 {
        return error(format!(
            "the data is truncated: {} bytes, shorter than the header",
            data.len()
        ));
    }
    let version = u16::from_le_bytes([data[8], data[9]]);
    if version != VERSION {
        return error(format!(
            "the recording has format version {version}, and this wengert reads version \
             {VERSION}: save it again with the wengert that reads it"
        ));
    }
    let flags = u16::from_le_bytes([data[10], data[11]]);
    if flags & !COMPILED != 0 {
        return error(format!(
            "the header's flags are {flags:#x}, and only bit 0 may be set"
        ));
    }
    let mut length = [0u8; 8];
    length.copy_from_slice(&data[12..HEADER]);
    let body = u64::from_le_bytes(length);
    let actual = (data.len() - HEADER - 4) as u64;
    if body != actual {
        return error(if body > actual {
            format!("the data is truncated: the header says {body} bytes of body, and {actual} are there")
        } else {
            format!("the header says {body} bytes of body, and {actual} are there (extra bytes at the end)")
        });
    }
    let (content, tail) = data.split_at(data.len() - 4);
    let stored = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]);
    let computed = crc32(content);
    if stored != computed {
        return error(format!(
            "the checksum does not match (stored {stored:#010x}, computed {computed:#010x}): \
             the data is corrupted"
        ));
    }
    let mut r = Reader {
        data: &content[HEADER..],
        at: 0,
    };
    let (program, mut meta) = read_body(&mut r)?;
    meta.compiled = flags & COMPILED != 0;
    Ok((program, meta))
}

fn read_body(r: &mut Reader<'_>) -> Result<(Program, Meta), FormatError> {
    let inputs = r.u32("the number of inputs")? as usize;
    let len = r.u32("the number of entries")? as usize;
    if inputs > len {
        return error(format!("{inputs} inputs, more than the {len} entries"));
    }
    if len >= NO_OPERAND as usize {
        return error(format!("{len} entries, more than a tape holds"));
    }
    let form = match r.u8("the input's form")? {
        0 => InputForm::Number,
        1 => InputForm::Sequence,
        2 => {
            let ndim = r.u32("the input's number of dimensions")?;
            if ndim > MAX_NDIM {
                return error(format!(
                    "the input has {ndim} dimensions, more than {MAX_NDIM}"
                ));
            }
            let mut shape = Vec::new();
            let mut size = 1usize;
            for _ in 0..ndim {
                let d = r.u64("a dimension of the input")?;
                let d = usize::try_from(d).unwrap_or(usize::MAX);
                size = size.saturating_mul(d);
                shape.push(d);
            }
            if size != inputs {
                return error(format!(
                    "the input's shape {shape:?} holds {size} numbers, and there are {inputs} inputs"
                ));
            }
            InputForm::Array(shape)
        }
        f => return error(format!("the input's form is {f}, not 0, 1 or 2")),
    };
    if form == InputForm::Number && inputs != 1 {
        return error(format!(
            "the input is a number, and there are {inputs} inputs"
        ));
    }
    if inputs.saturating_mul(8) > r.data.len() - r.at {
        return error(format!(
            "the body ends in the middle of x0 ({inputs} numbers)"
        ));
    }
    let mut x0 = Vec::with_capacity(inputs);
    for i in 0..inputs {
        let x = r.f64("x0")?;
        if !x.is_finite() {
            return error(format!(
                "x0[{i}] is {x}, and a recording is made at finite points"
            ));
        }
        x0.push(x);
    }
    let scalar_output = r.bool("the scalar-output flag")?;
    if len > r.data.len() - r.at {
        return error(format!(
            "the body ends in the middle of the code ({len} entries)"
        ));
    }
    let mut codes = Vec::with_capacity(len);
    let mut entries = Vec::with_capacity(len);
    for i in 0..len {
        let byte = r.u8("the code")?;
        let Some(code) = OpCode::from_byte(byte) else {
            return error(format!(
                "entry {i} has opcode {byte:#04x}, which is no operation"
            ));
        };
        let (first, second, constant) = layout(code.op());
        let what = format!("the operands of entry {i}");
        let a = if first { r.u32(&what)? } else { NO_OPERAND };
        let b = if second { r.u32(&what)? } else { NO_OPERAND };
        let c = if constant { r.f64(&what)? } else { 0.0 };
        codes.push(code);
        entries.push(Entry {
            partials: [0.0, c],
            operands: [a, b],
        });
    }
    let n = r.count(5, "the number of outputs")?;
    let outputs = (0..n)
        .map(|k| r.value(len, &format!("output {k}")))
        .collect::<Result<Vec<_>, _>>()?;
    if scalar_output && outputs.len() != 1 {
        return error(format!(
            "the recording says it has one output, and there are {}",
            outputs.len()
        ));
    }
    let n = r.count(17, "the number of guards")?;
    let mut guards = Vec::with_capacity(n);
    let mut guard_notes = Vec::with_capacity(n);
    for g in 0..n {
        let what = format!("guard {g}");
        let position = r.u32(&what)?;
        let left = r.value(len, &what)?;
        let comparison = r.u8(&what)?;
        let Some(&comparison) = COMPARISONS.get(usize::from(comparison)) else {
            return error(format!(
                "{what} has comparison {comparison}, not one below 6"
            ));
        };
        let right = r.value(len, &what)?;
        let outcome = r.bool(&format!("the outcome of {what}"))?;
        let kind = r.u8(&what)?;
        if kind >= NOTE_KINDS {
            return error(format!(
                "{what} has kind {kind}, not one below {NOTE_KINDS}"
            ));
        }
        guard_notes.push(Note {
            kind,
            name: String::new(),
            place: r.string(&what)?,
        });
        guards.push(Guard {
            position,
            left,
            comparison,
            right,
            outcome,
        });
    }
    let escape_count = r.u64("the number of escapes")?;
    let n = r.count(9, "the number of escapes kept")?;
    if n as u64 > escape_count || (n == 0) != (escape_count == 0) {
        return error(format!(
            "{n} escapes are kept of {escape_count}: at least one and at most all are kept"
        ));
    }
    let escapes = (0..n)
        .map(|k| r.note(&format!("escape {k}")))
        .collect::<Result<Vec<_>, _>>()?;
    let n = r.count(9, "the number of custom operations")?;
    let mut customs: Vec<CustomNote> = Vec::with_capacity(n);
    for k in 0..n {
        let what = format!("custom operation {k}");
        let entry = r.u32(&what)?;
        let kind = match r.u8(&what)? {
            0 => CustomKind::Unary,
            1 => CustomKind::Binary,
            2 => CustomKind::Round(None),
            3 => CustomKind::Round(Some(i64::from_le_bytes(r.array(&what)?))),
            4 => {
                let k = r.count(5, &format!("the inputs of {what}"))?;
                let inputs = (0..k)
                    .map(|c| r.value(len, &format!("input {c} of {what}")))
                    .collect::<Result<Vec<_>, _>>()?;
                let outputs = r.u32(&what)?;
                CustomKind::Block { inputs, outputs }
            }
            kind => return error(format!("{what} has kind {kind}, not one below 5")),
        };
        let arity_fits = match codes.get(entry as usize).map(|c| c.op()) {
            Some(Op::CustomUnary) => matches!(kind, CustomKind::Unary | CustomKind::Round(_)),
            Some(Op::CustomBinary(_)) => kind == CustomKind::Binary,
            Some(Op::Block) => matches!(kind, CustomKind::Block { .. }),
            _ => false,
        };
        if !arity_fits {
            return error(format!(
                "{what} is at entry {entry}, which is not a custom operation of its arity"
            ));
        }
        if customs.last().is_some_and(|c| c.entry >= entry) {
            return error(format!(
                "{what} is at entry {entry}, not after the one before"
            ));
        }
        customs.push(CustomNote {
            entry,
            kind,
            place: r.string(&what)?,
        });
    }
    // A block's note stands for all its outputs; Program::with_blocks checks that they
    // are block entries in their places, and that no other block entry is left.
    let mut blocks = Vec::new();
    for note in &customs {
        if let CustomKind::Block { inputs, outputs } = &note.kind {
            let number = blocks.len() as f64;
            for j in 0..*outputs {
                let Some(entry) = entries.get_mut(note.entry as usize + j as usize) else {
                    return error(format!(
                        "the custom operation at entry {} has {outputs} outputs past the last entry",
                        note.entry
                    ));
                };
                entry.partials = [number, f64::from(j)];
            }
            blocks.push(Block {
                inputs: inputs
                    .iter()
                    .map(|input| match *input {
                        Value::Entry(e) => BlockInput::Entry(e),
                        Value::Constant(c) => BlockInput::Constant(c),
                    })
                    .collect(),
                first: note.entry,
                outputs: *outputs,
                partials: Vec::new(), // the replay computes them
            });
        }
    }
    let custom_entries = codes
        .iter()
        .filter(|c| matches!(c.op(), Op::CustomUnary | Op::CustomBinary(_)))
        .count()
        + blocks.len();
    if custom_entries != customs.len() {
        return error(format!(
            "the code has {custom_entries} custom operations, and {} are described",
            customs.len()
        ));
    }
    if r.at != r.data.len() {
        return error(format!(
            "{} bytes are left after the last field",
            r.data.len() - r.at
        ));
    }
    let program = Program::with_blocks(&codes, &entries, &blocks, inputs, outputs, guards);
    let program = program.map_err(|e| {
        FormatError(match e {
            ProgramError::ExtraInput(i) => format!("entry {i} is an input after the inputs"),
            ProgramError::MissingInput(i) => format!("entry {i} should be an input, and is not"),
            ProgramError::BadIndex(i) => {
                format!("an operand, output or guard refers to entry {i}, which is not before it")
            }
            ProgramError::GuardOutOfOrder(g) => {
                format!("guard {g} sits before the guard preceding it or after the last entry")
            }
            ProgramError::BadBlock(i) => format!(
                "the custom operation of many inputs at entry {i}: its note's outputs or \
                 inputs do not match the code"
            ),
        })
    })?;
    let meta = Meta {
        x0,
        form,
        scalar_output,
        guard_notes,
        escape_count,
        escapes,
        customs,
        compiled: false,
    };
    Ok((program, meta))
}
