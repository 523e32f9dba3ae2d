//! A [`Program`]: a tape's entries decoded once into instructions, checked (every
//! operand, output and guard refers to an entry before it), and scheduled for the
//! forward pass.

use std::sync::atomic::{AtomicU64, Ordering};

use super::blocks::{block_instruction, program_blocks, ProgramBlock};
use super::{Guard, ProgramError, Value};
use crate::ops::{Binary, Operands, Unary};
use crate::tape::{Block, Entry, Op, OpCode, NO_OPERAND};

/// One entry of a program, decoded once.
///
/// The four arithmetic operations have variants of their own: the replay's dispatch is
/// then one jump for them, and each arm evaluates its operation of the table with the
/// operation known at compile time.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Instruction {
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
    /// Output `.1` of block `.0` (`blocks.rs`).
    Block(u32, u32),
}

impl Instruction {
    /// The entries it reads, in the order they appear in it, and how many there are
    /// (none for an input, and for a block's output, whose inputs are in the block's
    /// side table).
    pub(crate) fn operands(self) -> ([u32; 2], usize) {
        use Instruction as I;
        match self {
            I::Input | I::Block(..) => ([0, 0], 0),
            I::Unary(_, a)
            | I::AddRight(a, _)
            | I::SubRight(a, _)
            | I::MulRight(a, _)
            | I::DivRight(a, _)
            | I::BinaryRight(_, a, _)
            | I::AddLeft(_, a)
            | I::SubLeft(_, a)
            | I::MulLeft(_, a)
            | I::DivLeft(_, a)
            | I::BinaryLeft(_, _, a)
            | I::CustomUnary(a)
            | I::CustomRight(a, _)
            | I::CustomLeft(_, a) => ([a, 0], 1),
            I::Add(a, b)
            | I::Sub(a, b)
            | I::Mul(a, b)
            | I::Div(a, b)
            | I::Binary(_, a, b)
            | I::CustomBinary(a, b) => ([a, b], 2),
        }
    }

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
            Instruction::Block(..) => 17,
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

/// A recorded tape, ready for replay.
#[derive(Clone, Debug)]
pub struct Program {
    pub(super) instructions: Vec<Instruction>,
    /// The operands of each entry, as the backward sweep reads them.
    pub(super) operands: Vec<[u32; 2]>,
    pub(super) inputs: usize,
    pub(super) outputs: Vec<Value>,
    pub(super) guards: Vec<Guard>,
    pub(super) customs: bool,
    /// The block custom operations (`blocks.rs`).
    pub(super) blocks: Vec<ProgramBlock>,
    /// The order the forward pass evaluates the operations in (see [`Program::schedule`]).
    pub(super) order: Vec<u32>,
    /// Tells programs apart, so that a [`Scratch`](super::Scratch) is set up again for another one.
    pub(super) id: u64,
}

/// How many entries the schedule reorders among themselves at most (see
/// [`Program::schedule`]).
pub(super) const WINDOW: usize = 4096;

/// The next [`Program`]'s id.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl Program {
    /// A program from a tape whose first `inputs` entries are its inputs.
    pub fn new(
        codes: &[OpCode],
        entries: &[Entry],
        inputs: usize,
        outputs: Vec<Value>,
        guards: Vec<Guard>,
    ) -> Result<Program, ProgramError> {
        Self::with_blocks(codes, entries, &[], inputs, outputs, guards)
    }

    /// [`Program::new`] for a tape with block custom operations: `blocks` is the tape's
    /// side table of them.
    pub fn with_blocks(
        codes: &[OpCode],
        entries: &[Entry],
        blocks: &[Block],
        inputs: usize,
        outputs: Vec<Value>,
        guards: Vec<Guard>,
    ) -> Result<Program, ProgramError> {
        let blocks = program_blocks(blocks)?;
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
                Op::Block => block_instruction(&blocks, i, entry.partials[0], constant)?,
            };
            customs |= matches!(
                instruction,
                Instruction::CustomUnary(_)
                    | Instruction::CustomBinary(..)
                    | Instruction::CustomRight(..)
                    | Instruction::CustomLeft(..)
                    | Instruction::Block(..)
            );
            instructions.push(instruction);
        }
        if inputs > len {
            return Err(ProgramError::BadIndex(inputs));
        }
        // Every output of every block is there, in its place.
        for (b, block) in blocks.iter().enumerate() {
            for j in 0..block.outputs {
                let i = block.first as usize + j as usize;
                match instructions.get(i) {
                    Some(Instruction::Block(number, output))
                        if *number as usize == b && *output == j => {}
                    _ => return Err(ProgramError::BadBlock(block.first as usize)),
                }
            }
        }
        let value_in_range = |v: &Value, at: usize| match *v {
            Value::Entry(index) => check(index, at).map(|_| ()),
            Value::Constant(_) => Ok(()),
        };
        for output in &outputs {
            value_in_range(output, len)?;
        }
        let mut previous = 0;
        for (g, guard) in guards.iter().enumerate() {
            // The forward pass runs the entries up to each guard in turn.
            let position = guard.position as usize;
            if position < previous || position > len {
                return Err(ProgramError::GuardOutOfOrder(g));
            }
            previous = position;
            let at = position;
            value_in_range(&guard.left, at)?;
            value_in_range(&guard.right, at)?;
        }
        // The operands the sweep follows: from the decoded instructions, so that a second
        // operand is there only where the instruction has one (and was checked).
        let operands = instructions
            .iter()
            .map(|instruction| {
                let (operands, count) = instruction.operands();
                [0, 1].map(|k| if k < count { operands[k] } else { NO_OPERAND })
            })
            .collect();
        let mut program = Program {
            instructions,
            operands,
            inputs,
            outputs,
            guards,
            customs,
            blocks,
            order: Vec::new(),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        };
        program.order = program.schedule();
        Ok(program)
    }

    /// The order of evaluation: between two guards (whose places must stay where they
    /// are), and within windows of [`WINDOW`] entries, the operations by dependency
    /// level (an operation's level is one more than its operands'), and within a level
    /// by kind. The forward pass then meets long runs of one kind of operation, so its
    /// dispatch is predicted, where the recorded order (x*x, then a subtraction, then a
    /// product, ...) mispredicts at almost every entry.
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
            // In windows of WINDOW entries, so that the pass keeps to a part of the
            // program at a time: sorted over the whole of a long one, it would reach all
            // over its values at every step (5x slower at 900,000 entries).
            for window in order[start - self.inputs..end - self.inputs].chunks_mut(WINDOW) {
                window.sort_by_key(|&i| (level[i as usize], self.instructions[i as usize].kind()));
            }
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

    /// What tells this program (and its clones) from every other.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    /// True when the program holds a custom operation.
    pub fn has_customs(&self) -> bool {
        self.customs
    }

    /// The decoded entries, in the recorded order: what [`crate::compile`] translates.
    pub(crate) fn instructions(&self) -> &[Instruction] {
        &self.instructions
    }
}
