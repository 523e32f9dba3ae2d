//! Replay: a recorded tape re-evaluated at new inputs, with no Python per operation.
//!
//! A [`Program`] is made once from a tape's entries and operation codes (what each
//! entry did, to which operands, with which constants), the comparisons the
//! recorded code made ([`Guard`]s) and the outputs. Replaying it at a new point
//! runs the table of [`crate::ops`] forward over the entries (grouped by dependency
//! level and kind between guards: `Program::schedule`), checking every guard as
//! soon as its operands are known, then:
//!
//! - the gradient is one backward sweep, by the rules of [`crate::tape`]'s;
//! - a Jacobian is one sweep per output, or one forward tangent pass per input
//!   when there are fewer inputs than outputs;
//! - a Hessian is forward-over-reverse: the second derivatives of each operation
//!   (from the table) give, for each direction `v`, the tangent of every partial
//!   derivative along `v`, and one backward sweep of those tangents gives `H·v`.
//!   Directions go [`LANES`] at a time.
//!
//! Operations defined by the user (custom ones) are evaluated through the
//! [`Customs`] the caller supplies.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::ops::{chain, Binary, Comparison, MathError, Operands, Unary};
use crate::tape::{Entry, Op, OpCode, NO_OPERAND};

/// How many directions a Hessian pass carries at once.
pub const LANES: usize = 8;

/// A value the recorded code used: an entry of the tape or a constant.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    Entry(u32),
    Constant(f64),
}

/// A comparison the recorded code made, with the outcome it had.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Guard {
    /// How many entries the tape held when the comparison was made.
    pub position: u32,
    pub left: Value,
    pub comparison: Comparison,
    pub right: Value,
    pub outcome: bool,
}

/// Why a replay gave no result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// The operation at `entry` has no value at the new point.
    Math { entry: usize, error: MathError },
    /// Guard number `guard` has another outcome at the new point.
    BranchChanged { guard: usize },
    /// A custom operation failed; the [`Customs`] holds the reason.
    Custom,
    /// The custom operation at `entry` has no second derivative (for Hessians).
    NoSecondDerivative { entry: usize },
    /// The system would not give the memory.
    OutOfMemory,
    /// A point, a direction or a result's buffer has the wrong length, or there is no
    /// output of that number.
    Length,
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Math { entry, error } => write!(f, "{error} (entry {entry})"),
            ReplayError::BranchChanged { guard } => {
                write!(f, "comparison {guard} has another outcome")
            }
            ReplayError::Custom => f.write_str("a custom operation failed"),
            ReplayError::NoSecondDerivative { entry } => {
                write!(
                    f,
                    "the custom operation at entry {entry} has no second derivative"
                )
            }
            ReplayError::OutOfMemory => f.write_str("out of memory for the replay"),
            ReplayError::Length => f.write_str("a slice of the wrong length, or no such output"),
        }
    }
}

/// The user's own operations, evaluated for the replay.
///
/// `entry` is the operation's index on the tape; for a custom operation of one
/// argument `y` is 0 and `∂f/∂y` is ignored; for one with a constant operand, the
/// constant is passed in its place.
pub trait Customs {
    /// The value and the partials `∂f/∂x`, `∂f/∂y` at `(x, y)`.
    fn eval(&mut self, entry: usize, x: f64, y: f64) -> Result<(f64, f64, f64), ReplayError>;
    /// `[∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²]` at `(x, y)`, or `NoSecondDerivative`.
    fn second(&mut self, entry: usize, x: f64, y: f64) -> Result<[f64; 3], ReplayError>;
}

/// For programs with no custom operation.
pub struct NoCustoms;

impl Customs for NoCustoms {
    fn eval(&mut self, _: usize, _: f64, _: f64) -> Result<(f64, f64, f64), ReplayError> {
        Err(ReplayError::Custom)
    }
    fn second(&mut self, entry: usize, _: f64, _: f64) -> Result<[f64; 3], ReplayError> {
        Err(ReplayError::NoSecondDerivative { entry })
    }
}

/// One entry of a program, decoded once.
///
/// The four arithmetic operations have variants of their own: the replay's dispatch is
/// then one jump for them, and each arm evaluates its operation of the table with the
/// operation known at compile time.
#[derive(Clone, Copy, Debug)]
enum Instruction {
    Input,
    Unary(Unary, u32),
    Add(u32, u32),
    Sub(u32, u32),
    Mul(u32, u32),
    Div(u32, u32),
    Binary(Binary, u32, u32),
    /// `x + c`, and so on: a constant right operand.
    AddRight(u32, f64),
    SubRight(u32, f64),
    MulRight(u32, f64),
    DivRight(u32, f64),
    BinaryRight(Binary, u32, f64),
    /// `c + x`, and so on: a constant left operand.
    AddLeft(f64, u32),
    SubLeft(f64, u32),
    MulLeft(f64, u32),
    DivLeft(f64, u32),
    BinaryLeft(Binary, f64, u32),
    CustomUnary(u32),
    CustomBinary(u32, u32),
    CustomRight(u32, f64),
    CustomLeft(f64, u32),
}

impl Instruction {
    /// What the forward pass dispatches on: the same number for the same code path.
    fn kind(self) -> u16 {
        let base = |op: Binary| 64 + 16 * op as u16;
        match self {
            Instruction::Input => 0,
            Instruction::Add(..) => 1,
            Instruction::Sub(..) => 2,
            Instruction::Mul(..) => 3,
            Instruction::Div(..) => 4,
            Instruction::AddRight(..) => 5,
            Instruction::SubRight(..) => 6,
            Instruction::MulRight(..) => 7,
            Instruction::DivRight(..) => 8,
            Instruction::AddLeft(..) => 9,
            Instruction::SubLeft(..) => 10,
            Instruction::MulLeft(..) => 11,
            Instruction::DivLeft(..) => 12,
            Instruction::CustomUnary(..) => 13,
            Instruction::CustomBinary(..) => 14,
            Instruction::CustomRight(..) => 15,
            Instruction::CustomLeft(..) => 16,
            Instruction::Unary(op, _) => 32 + op as u16,
            Instruction::Binary(op, ..) => base(op),
            Instruction::BinaryRight(op, ..) => base(op) + 1,
            Instruction::BinaryLeft(op, ..) => base(op) + 2,
        }
    }

    fn binary(op: Binary, a: u32, b: u32) -> Instruction {
        match op {
            Binary::Add => Instruction::Add(a, b),
            Binary::Sub => Instruction::Sub(a, b),
            Binary::Mul => Instruction::Mul(a, b),
            Binary::Div => Instruction::Div(a, b),
            _ => Instruction::Binary(op, a, b),
        }
    }

    fn right(op: Binary, a: u32, c: f64) -> Instruction {
        match op {
            Binary::Add => Instruction::AddRight(a, c),
            Binary::Sub => Instruction::SubRight(a, c),
            Binary::Mul => Instruction::MulRight(a, c),
            Binary::Div => Instruction::DivRight(a, c),
            _ => Instruction::BinaryRight(op, a, c),
        }
    }

    fn left(op: Binary, c: f64, b: u32) -> Instruction {
        match op {
            Binary::Add => Instruction::AddLeft(c, b),
            Binary::Sub => Instruction::SubLeft(c, b),
            Binary::Mul => Instruction::MulLeft(c, b),
            Binary::Div => Instruction::DivLeft(c, b),
            _ => Instruction::BinaryLeft(op, c, b),
        }
    }
}

/// Why a tape cannot become a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramError {
    /// The entry at this index is an input made after the program's inputs.
    ExtraInput(usize),
    /// An operand, output or guard refers to an entry the tape does not hold.
    BadIndex(usize),
    /// The entry at this index should be one of the program's inputs, and is not.
    MissingInput(usize),
}

/// A recorded tape, ready for replay.
#[derive(Clone, Debug)]
pub struct Program {
    instructions: Vec<Instruction>,
    /// The operands of each entry, as the backward sweep reads them.
    operands: Vec<[u32; 2]>,
    inputs: usize,
    outputs: Vec<Value>,
    guards: Vec<Guard>,
    customs: bool,
    /// The order the forward pass evaluates the operations in (see [`Program::schedule`]).
    order: Vec<u32>,
    /// Tells programs apart, so that a [`Scratch`] is set up again for another one.
    id: u64,
}

/// The next [`Program`]'s id.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// Working memory of a replay, kept between replays (of any program: it is set up
/// again when the program changes).
#[derive(Default)]
pub struct Scratch {
    /// The id of the program the operands in `entries` are from (0: none yet).
    program: u64,
    values: Vec<f64>,
    /// The partials at the last point replayed, with the operands, for the sweep.
    entries: Vec<Entry>,
    /// Second derivatives: `[∂²/∂a², ∂²/∂a∂b, ∂²/∂b²]` for the entry's operands a, b.
    seconds: Vec<[f64; 3]>,
    /// The custom operations whose second derivatives are unknown (NaN in `seconds`).
    missing_seconds: Vec<usize>,
    adjoints: Vec<f64>,
    tangents: Vec<[f64; LANES]>,
    adjoint_tangents: Vec<[f64; LANES]>,
}

/// Which operands of a function of two arguments are entries of the tape.
#[derive(Clone, Copy)]
enum Sides {
    Both,
    /// Only the left one (the right is a constant, or absent).
    Left,
    /// Only the right one (the left is a constant).
    Right,
}

/// What an entry keeps of its function's value and partials `(v, dx, dy)`: the value
/// and the partials by its operands (the one operand first when there is one); with
/// `SECONDS`, the second derivatives `seconds(v, dx, dy)` likewise into `second`.
#[inline(always)]
fn kept<const SECONDS: bool>(
    sides: Sides,
    (v, dx, dy): (f64, f64, f64),
    seconds: impl FnOnce(f64, f64, f64) -> Result<[f64; 3], ReplayError>,
    second: &mut [f64; 3],
) -> Result<(f64, f64, f64), ReplayError> {
    if SECONDS {
        let [hxx, hxy, hyy] = seconds(v, dx, dy)?;
        *second = match sides {
            Sides::Both => [hxx, hxy, hyy],
            Sides::Left => [hxx, 0.0, 0.0],
            Sides::Right => [hyy, 0.0, 0.0],
        };
    }
    Ok(match sides {
        Sides::Both => (v, dx, dy),
        Sides::Left => (v, dx, 0.0),
        Sides::Right => (v, dy, 0.0),
    })
}

/// A custom operation's second derivatives, or NaN where it has none, noting `entry`
/// in `missing` (a Hessian fails only if the output depends on it).
fn unknown_as_nan(
    second: Result<[f64; 3], ReplayError>,
    entry: usize,
    missing: &mut Vec<usize>,
) -> Result<[f64; 3], ReplayError> {
    match second {
        Err(ReplayError::NoSecondDerivative { .. }) => {
            missing.push(entry);
            Ok([f64::NAN; 3])
        }
        other => other,
    }
}

/// An entry's partials and operands, and its operands' tangents (0 for an absent one).
#[inline(always)]
fn operand_tangents(
    entry: Entry,
    tangents: &[[f64; LANES]],
) -> ([f64; 2], [u32; 2], [[f64; LANES]; 2]) {
    let [a, b] = entry.operands;
    let tb = if b == NO_OPERAND {
        [0.0; LANES]
    } else {
        tangents[b as usize]
    };
    (entry.partials, [a, b], [tangents[a as usize], tb])
}

/// True when every lane is 0.
#[inline(always)]
fn all_zero(lanes: &[f64; LANES]) -> bool {
    lanes.iter().fold(true, |all, &x| all & (x == 0.0))
}

/// True when some lane is NaN.
#[inline(always)]
fn any_nan(lanes: &[f64; LANES]) -> bool {
    lanes.iter().fold(false, |any, &x| any | x.is_nan())
}

/// Resize `v` to `n` copies of `value`, reporting a failed allocation.
fn filled<T: Copy>(v: &mut Vec<T>, n: usize, value: T) -> Result<(), ReplayError> {
    v.clear();
    v.try_reserve(n).map_err(|_| ReplayError::OutOfMemory)?;
    v.resize(n, value);
    Ok(())
}

impl Program {
    /// A program from a tape whose first `inputs` entries are its inputs.
    pub fn new(
        codes: &[OpCode],
        entries: &[Entry],
        inputs: usize,
        outputs: Vec<Value>,
        guards: Vec<Guard>,
    ) -> Result<Program, ProgramError> {
        let len = entries.len().min(codes.len());
        let check = |index: u32, at: usize| {
            if (index as usize) < at {
                Ok(index)
            } else {
                Err(ProgramError::BadIndex(index as usize))
            }
        };
        let mut instructions = Vec::with_capacity(len);
        let mut customs = false;
        for (i, (code, entry)) in codes.iter().zip(entries).enumerate() {
            let [a, b] = entry.operands;
            let constant = entry.partials[1];
            let instruction = match code.op() {
                Op::Variable if i < inputs => Instruction::Input,
                Op::Variable => return Err(ProgramError::ExtraInput(i)),
                _ if i < inputs => return Err(ProgramError::MissingInput(i)),
                Op::Unary(u) => Instruction::Unary(u, check(a, i)?),
                Op::Binary(op, Operands::Both) => {
                    Instruction::binary(op, check(a, i)?, check(b, i)?)
                }
                Op::Binary(op, Operands::ConstantRight) => {
                    Instruction::right(op, check(a, i)?, constant)
                }
                Op::Binary(op, Operands::ConstantLeft) => {
                    Instruction::left(op, constant, check(a, i)?)
                }
                Op::CustomUnary => Instruction::CustomUnary(check(a, i)?),
                Op::CustomBinary(Operands::Both) => {
                    Instruction::CustomBinary(check(a, i)?, check(b, i)?)
                }
                Op::CustomBinary(Operands::ConstantRight) => {
                    Instruction::CustomRight(check(a, i)?, constant)
                }
                Op::CustomBinary(Operands::ConstantLeft) => {
                    Instruction::CustomLeft(constant, check(a, i)?)
                }
            };
            customs |= matches!(
                instruction,
                Instruction::CustomUnary(_)
                    | Instruction::CustomBinary(..)
                    | Instruction::CustomRight(..)
                    | Instruction::CustomLeft(..)
            );
            instructions.push(instruction);
        }
        if inputs > len {
            return Err(ProgramError::BadIndex(inputs));
        }
        let value_in_range = |v: &Value, at: usize| match *v {
            Value::Entry(index) => check(index, at).map(|_| ()),
            Value::Constant(_) => Ok(()),
        };
        for output in &outputs {
            value_in_range(output, len)?;
        }
        for guard in &guards {
            let at = (guard.position as usize).min(len);
            value_in_range(&guard.left, at)?;
            value_in_range(&guard.right, at)?;
        }
        // The operands the sweep follows: from the decoded instructions, so that a second
        // operand is there only where the instruction has one (and was checked).
        let operands = instructions
            .iter()
            .map(|instruction| match *instruction {
                Instruction::Input => [NO_OPERAND, NO_OPERAND],
                Instruction::Add(a, b)
                | Instruction::Sub(a, b)
                | Instruction::Mul(a, b)
                | Instruction::Div(a, b)
                | Instruction::Binary(_, a, b)
                | Instruction::CustomBinary(a, b) => [a, b],
                Instruction::Unary(_, a)
                | Instruction::AddRight(a, _)
                | Instruction::SubRight(a, _)
                | Instruction::MulRight(a, _)
                | Instruction::DivRight(a, _)
                | Instruction::BinaryRight(_, a, _)
                | Instruction::AddLeft(_, a)
                | Instruction::SubLeft(_, a)
                | Instruction::MulLeft(_, a)
                | Instruction::DivLeft(_, a)
                | Instruction::BinaryLeft(_, _, a)
                | Instruction::CustomUnary(a)
                | Instruction::CustomRight(a, _)
                | Instruction::CustomLeft(_, a) => [a, NO_OPERAND],
            })
            .collect();
        let mut program = Program {
            instructions,
            operands,
            inputs,
            outputs,
            guards,
            customs,
            order: Vec::new(),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        };
        program.order = program.schedule();
        Ok(program)
    }

    /// The order of evaluation: between two guards (whose places must stay where they
    /// are), the operations by dependency level (an operation's level is one more than
    /// its operands'), and within a level by kind. The forward pass then meets long runs
    /// of one kind of operation, so its dispatch is predicted, where the recorded order
    /// (x*x, then a subtraction, then a product, ...) mispredicts at almost every entry.
    /// Values do not depend on the order; the backward sweep keeps the recorded one.
    /// Custom operations call the user's functions, so a program with any keeps the
    /// recorded order.
    fn schedule(&self) -> Vec<u32> {
        let len = self.len();
        let mut order: Vec<u32> = (self.inputs as u32..len as u32).collect();
        if self.customs {
            return order;
        }
        let mut level = vec![0u32; len];
        for i in self.inputs..len {
            let [a, b] = self.operands[i];
            let below = if b == NO_OPERAND {
                level[a as usize]
            } else {
                level[a as usize].max(level[b as usize])
            };
            level[i] = below + 1;
        }
        let mut start = self.inputs;
        let ends = self.guards.iter().map(|g| g.position as usize);
        for end in ends.chain([len]) {
            let end = end.clamp(start, len);
            order[start - self.inputs..end - self.inputs]
                .sort_by_key(|&i| (level[i as usize], self.instructions[i as usize].kind()));
            start = end;
        }
        order
    }

    /// The number of inputs.
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// The outputs: entries or constants.
    pub fn outputs(&self) -> &[Value] {
        &self.outputs
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.instructions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.instructions.is_empty()
    }

    /// The comparisons the recorded code made.
    pub fn guards(&self) -> &[Guard] {
        &self.guards
    }

    /// True when the program holds a custom operation.
    pub fn has_customs(&self) -> bool {
        self.customs
    }

    /// Evaluate every entry at `x` (which has [`Program::inputs`] numbers), checking
    /// the guards, into `scratch`'s values and partials; with `seconds`, also the
    /// second derivatives.
    fn forward(
        &self,
        x: &[f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
        seconds: bool,
    ) -> Result<(), ReplayError> {
        let len = self.len();
        if x.len() != self.inputs {
            return Err(ReplayError::Length);
        }
        if scratch.program != self.id {
            scratch.program = 0;
            filled(&mut scratch.values, len, 0.0)?;
            scratch.entries.clear();
            scratch
                .entries
                .try_reserve(len)
                .map_err(|_| ReplayError::OutOfMemory)?;
            scratch
                .entries
                .extend(self.operands.iter().map(|&operands| Entry {
                    partials: [0.0, 0.0],
                    operands,
                }));
            scratch.program = self.id;
        }
        if seconds {
            filled(&mut scratch.seconds, len, [0.0; 3])?;
            scratch.missing_seconds.clear();
        }
        scratch.values[..self.inputs].copy_from_slice(x);
        let mut start = self.inputs;
        for (g, guard) in self.guards.iter().enumerate() {
            let end = (guard.position as usize).clamp(start, len);
            self.run_segment(start..end, scratch, customs, seconds)?;
            start = end;
            let value = |v: Value| match v {
                Value::Entry(index) => scratch.values[index as usize],
                Value::Constant(c) => c,
            };
            let outcome = guard
                .comparison
                .holds(value(guard.left), value(guard.right));
            if outcome != guard.outcome {
                return Err(ReplayError::BranchChanged { guard: g });
            }
        }
        self.run_segment(start..len, scratch, customs, seconds)
    }

    /// The forward pass over the entries in `range` (between two guards), in the
    /// scheduled order. Should an operation fail, the range is evaluated again in the
    /// recorded order, so that the error reported is the first the recorded code met.
    fn run_segment(
        &self,
        range: std::ops::Range<usize>,
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
        seconds: bool,
    ) -> Result<(), ReplayError> {
        let scheduled = self.order[range.start - self.inputs..range.end - self.inputs]
            .iter()
            .map(|&i| i as usize);
        let result = if seconds {
            self.run::<true>(scheduled, scratch, customs)
        } else {
            self.run::<false>(scheduled, scratch, customs)
        };
        match result {
            Err(error) if !self.customs => {
                let in_order = if seconds {
                    self.run::<true>(range, scratch, customs)
                } else {
                    self.run::<false>(range, scratch, customs)
                };
                in_order.and(Err(error))
            }
            other => other,
        }
    }

    /// The forward pass over `entries` (in an order where operands come first);
    /// `SECONDS` also computes second derivatives.
    #[inline(always)]
    fn run<const SECONDS: bool>(
        &self,
        entries_in_order: impl Iterator<Item = usize>,
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<(), ReplayError> {
        let Scratch {
            values,
            entries,
            seconds,
            missing_seconds,
            ..
        } = scratch;
        let values = &mut values[..self.len()];
        let entries = &mut entries[..self.len()];
        for i in entries_in_order {
            // SAFETY: Program::new checked that every operand is an entry before `i`,
            // and `values` has one element per entry.
            let value = |a: u32| unsafe { *values.get_unchecked(a as usize) };
            let math = |error| ReplayError::Math { entry: i, error };
            // An operation of the table at (x, y), of which `sides` are entries.
            let table = |op: Binary, sides: Sides, x: f64, y: f64, second: &mut [f64; 3]| {
                let first = op.eval(x, y).map_err(math)?;
                kept::<SECONDS>(
                    sides,
                    first,
                    |v, dx, dy| Ok(op.second(x, y, v, dx, dy)),
                    second,
                )
            };
            // A custom operation at (x, y), of which `sides` are entries.
            let custom = |customs: &mut dyn Customs,
                          missing: &mut Vec<usize>,
                          sides: Sides,
                          x: f64,
                          y: f64,
                          second: &mut [f64; 3]| {
                let first = customs.eval(i, x, y)?;
                let seconds = |_, _, _| unknown_as_nan(customs.second(i, x, y), i, missing);
                kept::<SECONDS>(sides, first, seconds, second)
            };
            let mut second = [0.0; 3];
            let s = &mut second;
            // Each arm gives (value, partial a, partial b); `?` in the arm leaves on an error, so
            // the three come out in registers.
            let (v, pa, pb) = match self.instructions[i] {
                Instruction::Input => continue,
                Instruction::Unary(op, a) => {
                    let x = value(a);
                    let (v, d) = op.eval(x).map_err(math)?;
                    if SECONDS {
                        s[0] = op.second(x, v, d);
                    }
                    (v, d, 0.0)
                }
                Instruction::Add(a, b) => table(Binary::Add, Sides::Both, value(a), value(b), s)?,
                Instruction::Sub(a, b) => table(Binary::Sub, Sides::Both, value(a), value(b), s)?,
                Instruction::Mul(a, b) => table(Binary::Mul, Sides::Both, value(a), value(b), s)?,
                Instruction::Div(a, b) => table(Binary::Div, Sides::Both, value(a), value(b), s)?,
                Instruction::Binary(op, a, b) => table(op, Sides::Both, value(a), value(b), s)?,
                Instruction::AddRight(a, c) => table(Binary::Add, Sides::Left, value(a), c, s)?,
                Instruction::SubRight(a, c) => table(Binary::Sub, Sides::Left, value(a), c, s)?,
                Instruction::MulRight(a, c) => table(Binary::Mul, Sides::Left, value(a), c, s)?,
                Instruction::DivRight(a, c) => table(Binary::Div, Sides::Left, value(a), c, s)?,
                Instruction::BinaryRight(op, a, c) => table(op, Sides::Left, value(a), c, s)?,
                Instruction::AddLeft(c, b) => table(Binary::Add, Sides::Right, c, value(b), s)?,
                Instruction::SubLeft(c, b) => table(Binary::Sub, Sides::Right, c, value(b), s)?,
                Instruction::MulLeft(c, b) => table(Binary::Mul, Sides::Right, c, value(b), s)?,
                Instruction::DivLeft(c, b) => table(Binary::Div, Sides::Right, c, value(b), s)?,
                Instruction::BinaryLeft(op, c, b) => table(op, Sides::Right, c, value(b), s)?,
                Instruction::CustomUnary(a) => {
                    custom(customs, missing_seconds, Sides::Left, value(a), 0.0, s)?
                }
                Instruction::CustomBinary(a, b) => {
                    custom(customs, missing_seconds, Sides::Both, value(a), value(b), s)?
                }
                Instruction::CustomRight(a, c) => {
                    custom(customs, missing_seconds, Sides::Left, value(a), c, s)?
                }
                Instruction::CustomLeft(c, b) => {
                    custom(customs, missing_seconds, Sides::Right, c, value(b), s)?
                }
            };
            values[i] = v;
            // Written one float at a time: the pair sits in two stack slots, and a 16-byte
            // load of them could not take the two stores' values in flight (a stall of
            // more than the whole operation costs).
            let partials = &mut entries[i].partials;
            partials[0] = pa;
            partials[1] = pb;
            if SECONDS {
                seconds[i] = second;
            }
        }
        Ok(())
    }

    /// The value of output `k` after a forward pass.
    fn output_value(&self, scratch: &Scratch, k: usize) -> f64 {
        match self.outputs[k] {
            Value::Entry(index) => scratch.values[index as usize],
            Value::Constant(c) => c,
        }
    }

    /// The outputs' values at `x`.
    pub fn values(
        &self,
        x: &[f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<Vec<f64>, ReplayError> {
        self.forward(x, scratch, customs, false)?;
        Ok((0..self.outputs.len())
            .map(|k| self.output_value(scratch, k))
            .collect())
    }

    /// After a forward pass: the adjoints of every entry for output `k` in
    /// `scratch.adjoints` (all 0 for a constant output).
    fn sweep_output(&self, scratch: &mut Scratch, k: usize) -> Result<(), ReplayError> {
        let len = self.len();
        let Some(&output) = self.outputs.get(k) else {
            return Err(ReplayError::Length);
        };
        filled(&mut scratch.adjoints, len, 0.0)?;
        if let Value::Entry(output) = output {
            let output = output as usize;
            scratch.adjoints[output] = 1.0;
            self.sweep(&scratch.entries[..=output], &mut scratch.adjoints);
        }
        Ok(())
    }

    /// The backward sweep over `entries` (this program's, with their partials at a point),
    /// propagating `adjoints` (one per entry) from the last entry down to the inputs.
    ///
    /// The rules of [`crate::tape`]'s sweep: an entry whose adjoint is 0 is skipped (it
    /// is on no path to the output, and its partials may be infinite), and where the
    /// adjoint is not finite a zero partial contributes 0 ([`chain`]). The same sums in
    /// the same order as there, so the same bits; but no operation here is on an
    /// input, which the program puts first, and [`Program::new`] checked every operand,
    /// so the loop tests neither.
    fn sweep(&self, entries: &[Entry], adjoints: &mut [f64]) {
        let end = entries.len().min(adjoints.len()).min(self.len());
        for i in (self.inputs.min(end)..end).rev() {
            let adjoint = adjoints[i];
            if adjoint == 0.0 {
                continue;
            }
            let [pa, pb] = entries[i].partials;
            let [a, b] = self.operands[i];
            // SAFETY: Program::new checked that the operands of entry i are entries
            // before i (the second may be NO_OPERAND, tested below), and i < end <=
            // adjoints.len().
            let adjoint_of = |adjoints: &mut [f64], k: u32| unsafe {
                &mut *adjoints.as_mut_ptr().add(k as usize)
            };
            if adjoint.is_finite() {
                *adjoint_of(adjoints, a) += pa * adjoint;
                if b != NO_OPERAND {
                    *adjoint_of(adjoints, b) += pb * adjoint;
                }
            } else {
                *adjoint_of(adjoints, a) += chain(pa, adjoint);
                if b != NO_OPERAND {
                    *adjoint_of(adjoints, b) += chain(pb, adjoint);
                }
            }
        }
    }

    /// The value of output `k` at `x` and its gradient, written into `gradient`
    /// (which has [`Program::inputs`] elements).
    pub fn value_and_gradient(
        &self,
        x: &[f64],
        k: usize,
        gradient: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<f64, ReplayError> {
        if gradient.len() != self.inputs {
            return Err(ReplayError::Length);
        }
        self.forward(x, scratch, customs, false)?;
        self.sweep_output(scratch, k)?;
        gradient.copy_from_slice(&scratch.adjoints[..self.inputs]);
        Ok(self.output_value(scratch, k))
    }

    /// The outputs' values and the Jacobian at `x`, row-major: `jacobian[k * n + j]`
    /// is ∂output_k/∂x_j. One sweep per output, or one forward tangent pass per
    /// input when there are fewer inputs than outputs.
    pub fn jacobian(
        &self,
        x: &[f64],
        jacobian: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<Vec<f64>, ReplayError> {
        let (n, m) = (self.inputs, self.outputs.len());
        if jacobian.len() != m * n {
            return Err(ReplayError::Length);
        }
        self.forward(x, scratch, customs, false)?;
        if n < m {
            for j in 0..n {
                self.tangent_pass(scratch, j)?;
                for k in 0..m {
                    jacobian[k * n + j] = match self.outputs[k] {
                        Value::Entry(index) => scratch.adjoints[index as usize],
                        Value::Constant(_) => 0.0,
                    };
                }
            }
        } else {
            for k in 0..m {
                self.sweep_output(scratch, k)?;
                jacobian[k * n..(k + 1) * n].copy_from_slice(&scratch.adjoints[..n]);
            }
        }
        Ok((0..m).map(|k| self.output_value(scratch, k)).collect())
    }

    /// After a forward pass: the derivatives of every entry along input `j`, in
    /// `scratch.adjoints` (forward mode, with Trace's rule for 0 times infinity).
    fn tangent_pass(&self, scratch: &mut Scratch, j: usize) -> Result<(), ReplayError> {
        filled(&mut scratch.adjoints, self.len(), 0.0)?;
        let tangents = &mut scratch.adjoints[..];
        tangents[j] = 1.0;
        for (i, entry) in scratch.entries.iter().enumerate().skip(self.inputs) {
            let [a, b] = entry.operands;
            let mut t = chain(entry.partials[0], tangents[a as usize]);
            if b != NO_OPERAND {
                t += chain(entry.partials[1], tangents[b as usize]);
            }
            tangents[i] = t;
        }
        Ok(())
    }

    /// Output `k`'s value and Hessian at `x` (the Hessian row-major, n × n), by
    /// forward-over-reverse.
    pub fn hessian(
        &self,
        x: &[f64],
        k: usize,
        hessian: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<f64, ReplayError> {
        let n = self.inputs;
        if hessian.len() != n * n {
            return Err(ReplayError::Length);
        }
        self.second_order_setup(x, k, scratch, customs)?;
        let mut j = 0;
        while j < n {
            let lanes = LANES.min(n - j);
            let seed = |t: &mut [[f64; LANES]]| {
                for l in 0..lanes {
                    t[j + l][l] = 1.0;
                }
            };
            self.hessian_lanes(k, scratch, seed)?;
            // Column j + l of the Hessian is H·e_(j+l); it is symmetric, so write rows.
            for (row, lane) in scratch.adjoint_tangents[..n].iter().enumerate() {
                for l in 0..lanes {
                    hessian[(j + l) * n + row] = lane[l];
                }
            }
            j += lanes;
        }
        Ok(self.output_value(scratch, k))
    }

    /// Output `k`'s value and the Hessian-vector product `H·v` at `x`.
    pub fn hvp(
        &self,
        x: &[f64],
        k: usize,
        v: &[f64],
        product: &mut [f64],
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<f64, ReplayError> {
        if v.len() != self.inputs || product.len() != self.inputs {
            return Err(ReplayError::Length);
        }
        self.second_order_setup(x, k, scratch, customs)?;
        self.hessian_lanes(k, scratch, |t| {
            for (lane, &vj) in t.iter_mut().zip(v) {
                lane[0] = vj;
            }
        })?;
        for (p, lane) in product.iter_mut().zip(&scratch.adjoint_tangents) {
            *p = lane[0];
        }
        Ok(self.output_value(scratch, k))
    }

    /// The forward pass with second derivatives and the gradient's sweep (left in
    /// `scratch.adjoints`), which every direction of a Hessian shares.
    fn second_order_setup(
        &self,
        x: &[f64],
        k: usize,
        scratch: &mut Scratch,
        customs: &mut dyn Customs,
    ) -> Result<(), ReplayError> {
        self.forward(x, scratch, customs, true)?;
        self.sweep_output(scratch, k)?;
        // A custom operation without second derivatives matters only where the output
        // depends on it; elsewhere its second derivatives (NaN) meet an adjoint of 0,
        // which `chain` makes a contribution of 0.
        match scratch
            .missing_seconds
            .iter()
            .find(|&&entry| scratch.adjoints[entry] != 0.0)
        {
            Some(&entry) => Err(ReplayError::NoSecondDerivative { entry }),
            None => Ok(()),
        }
    }

    /// Up to [`LANES`] Hessian-vector products of output `k` at once: `seed` sets the
    /// directions on the inputs' tangents; `H·v` for each lane is left in the first
    /// n elements of `scratch.adjoint_tangents`. Needs [`Program::second_order_setup`].
    fn hessian_lanes(
        &self,
        k: usize,
        scratch: &mut Scratch,
        seed: impl FnOnce(&mut [[f64; LANES]]),
    ) -> Result<(), ReplayError> {
        let len = self.len();
        let n = self.inputs;
        filled(&mut scratch.tangents, len, [0.0; LANES])?;
        filled(&mut scratch.adjoint_tangents, len, [0.0; LANES])?;
        let Value::Entry(output) = self.outputs[k] else {
            return Ok(()); // a constant: its Hessian is 0
        };
        let output = output as usize;
        let Scratch {
            entries,
            seconds,
            adjoints,
            tangents,
            adjoint_tangents,
            ..
        } = scratch;
        seed(&mut tangents[..n]);
        // Forward: each entry's tangent along every direction. Plain arithmetic first;
        // only where that gives a NaN is it done again with `chain`'s rule for 0 times
        // infinity (the same numbers wherever no NaN arises).
        for i in n..=output {
            let ([pa, pb], _, [ta, tb]) = operand_tangents(entries[i], tangents);
            if all_zero(&ta) && all_zero(&tb) {
                continue; // its tangents stay 0: no direction reaches this entry
            }
            let mut t = [0.0; LANES];
            for l in 0..LANES {
                t[l] = pa * ta[l] + pb * tb[l];
            }
            if any_nan(&t) {
                for l in 0..LANES {
                    t[l] = chain(pa, ta[l]) + chain(pb, tb[l]);
                }
            }
            tangents[i] = t;
        }
        // Backward: the tangents of the adjoints. With λ the adjoint and λ' its tangent,
        // an entry passes λ·p to each operand's adjoint, so λ'·p + λ·p' to its tangent,
        // where p' = (second derivatives) · (the operands' tangents).
        for i in (n..=output).rev() {
            let lambda = adjoints[i];
            let dot = adjoint_tangents[i];
            let ([pa, pb], [a, b], [ta, tb]) = operand_tangents(entries[i], tangents);
            if all_zero(&dot) && (lambda == 0.0 || all_zero(&ta) && all_zero(&tb)) {
                continue; // it passes on nothing
            }
            let [haa, hab, hbb] = seconds[i];
            let mut to_a = [0.0; LANES];
            let mut to_b = [0.0; LANES];
            for l in 0..LANES {
                to_a[l] = (haa * ta[l] + hab * tb[l]) * lambda + pa * dot[l];
                to_b[l] = (hab * ta[l] + hbb * tb[l]) * lambda + pb * dot[l];
            }
            if any_nan(&to_a) || any_nan(&to_b) {
                for l in 0..LANES {
                    let pa_dot = chain(haa, ta[l]) + chain(hab, tb[l]);
                    let pb_dot = chain(hab, ta[l]) + chain(hbb, tb[l]);
                    to_a[l] = chain(pa_dot, lambda) + chain(pa, dot[l]);
                    to_b[l] = chain(pb_dot, lambda) + chain(pb, dot[l]);
                }
            }
            for l in 0..LANES {
                adjoint_tangents[a as usize][l] += to_a[l];
            }
            if b != NO_OPERAND {
                for l in 0..LANES {
                    adjoint_tangents[b as usize][l] += to_b[l];
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tape::{Slot, Tape};

    fn code(op: Op) -> OpCode {
        OpCode::new(op)
    }

    /// `op` of two entries, recorded on `t` with its partials at their values.
    fn both(t: &mut Tape, op: Binary, (a, x): (Slot, f64), (b, y): (Slot, f64)) -> (Slot, f64) {
        let (v, dx, dy) = op.eval(x, y).unwrap();
        let code = code(Op::Binary(op, Operands::Both));
        (t.binary(code, a, b, dx, dy).unwrap(), v)
    }

    /// Record `f(x, y) = x*y + sin(x) * 3.0 - y / x` at (x, y) on a tape.
    fn record(x: f64, y: f64) -> (Tape, Slot) {
        let mut t = Tape::new();
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

    fn program(t: &Tape, out: Slot, guards: Vec<Guard>) -> Program {
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
        let mut t = Tape::new();
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
            let mut t = Tape::new();
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
                let result = if r % 3 == 0 {
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
        let mut t = Tape::new();
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
        let mut t = Tape::new();
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
}
