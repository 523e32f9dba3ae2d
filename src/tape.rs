//! Reverse mode: the Wengert list and the backward sweep.
//!
//! Each entry of the tape records what was done (an [`OpCode`], the indices of
//! its operands, and a constant operand where there is one) and the partial
//! derivatives the backward sweep needs. The entries the sweep reads are 24
//! bytes; the operation codes sit in a parallel array of one byte each, so the
//! tape costs 25 bytes an entry.

use std::fmt;

use crate::ops::{chain, Binary, Operands, Unary};

#[path = "tape_blocks.rs"]
mod blocks;
pub use blocks::{Block, BlockInput};

/// The index that stands for "no operand".
pub const NO_OPERAND: u32 = u32::MAX;

/// The most entries one tape can hold (the indices are 32-bit).
pub const MAX_ENTRIES: usize = NO_OPERAND as usize;

/// Capacity a cleared tape keeps for reuse; anything above is returned to the system.
const RETAINED_CAPACITY: usize = 1 << 16;

/// Tapes shorter than this are swept without releasing the interpreter.
pub const LONG_SWEEP: usize = 1 << 15;

/// Where a value sits on a tape: its index, in one generation of the tape.
///
/// `clear()` starts a new generation, so a slot from before it is detected as stale.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Slot {
    pub index: u32,
    pub generation: u32,
}

impl Slot {
    /// Both fields in one word, for storage in a single atomic.
    pub fn pack(self) -> u64 {
        (u64::from(self.generation) << 32) | u64::from(self.index)
    }

    pub fn unpack(word: u64) -> Slot {
        Slot {
            index: word as u32,
            generation: (word >> 32) as u32,
        }
    }
}

/// What an entry records, in one byte: the operation and where its operands are.
///
/// Bits 0–5 name the operation (0 an input, then the unary operations of
/// [`Unary`], then the binary ones of [`Binary`], then the custom ones); bits 6
/// and 7 mark a constant right or left operand.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct OpCode(u8);

/// A decoded [`OpCode`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Variable,
    Unary(Unary),
    Binary(Binary, Operands),
    /// A user-supplied function of one argument.
    CustomUnary,
    /// A user-supplied function of two arguments.
    CustomBinary(Operands),
    /// One output of a user-supplied function of many arguments and outputs (a
    /// [`Block`] of the tape's side table).
    Block,
}

const UNARY_BASE: u8 = 1;
const BINARY_BASE: u8 = UNARY_BASE + Unary::ALL.len() as u8;
const CUSTOM_UNARY: u8 = BINARY_BASE + Binary::ALL.len() as u8;
const CUSTOM_BINARY: u8 = CUSTOM_UNARY + 1;
const BLOCK: u8 = CUSTOM_BINARY + 1;
const CONSTANT_RIGHT: u8 = 0x40;
const CONSTANT_LEFT: u8 = 0x80;

// Every operation's number must fit in bits 0–5.
const _: () = assert!(BLOCK < CONSTANT_RIGHT);

fn operand_bits(operands: Operands) -> u8 {
    match operands {
        Operands::Both => 0,
        Operands::ConstantLeft => CONSTANT_LEFT,
        Operands::ConstantRight => CONSTANT_RIGHT,
    }
}

impl OpCode {
    pub fn new(op: Op) -> OpCode {
        OpCode(match op {
            Op::Variable => 0,
            Op::Unary(u) => UNARY_BASE + u as u8,
            Op::Binary(b, operands) => (BINARY_BASE + b as u8) | operand_bits(operands),
            Op::CustomUnary => CUSTOM_UNARY,
            Op::CustomBinary(operands) => CUSTOM_BINARY | operand_bits(operands),
            Op::Block => BLOCK,
        })
    }

    /// The code as one byte, as a file stores it.
    pub fn byte(self) -> u8 {
        self.0
    }

    /// The code of a byte, or None unless the byte is one [`OpCode::new`] makes: an
    /// operation's number in range, and the constant-operand bits only on a binary
    /// operation and never both.
    pub fn from_byte(byte: u8) -> Option<OpCode> {
        let number = byte & 0x3f;
        let operands = byte & (CONSTANT_LEFT | CONSTANT_RIGHT);
        let binary = (BINARY_BASE..CUSTOM_UNARY).contains(&number) || number == CUSTOM_BINARY;
        let valid = number <= BLOCK
            && operands != CONSTANT_LEFT | CONSTANT_RIGHT
            && (operands == 0 || binary);
        valid.then_some(OpCode(byte))
    }

    pub fn op(self) -> Op {
        let operands = match self.0 & (CONSTANT_LEFT | CONSTANT_RIGHT) {
            CONSTANT_LEFT => Operands::ConstantLeft,
            CONSTANT_RIGHT => Operands::ConstantRight,
            _ => Operands::Both,
        };
        match self.0 & 0x3f {
            0 => Op::Variable,
            c if c < BINARY_BASE => Op::Unary(Unary::ALL[usize::from(c - UNARY_BASE)]),
            c if c < CUSTOM_UNARY => {
                Op::Binary(Binary::ALL[usize::from(c - BINARY_BASE)], operands)
            }
            CUSTOM_UNARY => Op::CustomUnary,
            CUSTOM_BINARY => Op::CustomBinary(operands),
            _ => Op::Block,
        }
    }
}

impl fmt::Debug for OpCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.op().fmt(f)
    }
}

/// What the backward sweep reads of one entry: up to two operands and their partials.
///
/// An operand of [`NO_OPERAND`] is absent; where an operation has a constant
/// operand, `partials[1]` holds that constant instead of a partial. An output of a
/// [`Block`] has no operand here: `partials` hold the block's number in the side table
/// and the output's, and the block holds its operands and partials.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    pub partials: [f64; 2],
    pub operands: [u32; 2],
}

/// Misuse of a tape, reported to the caller rather than answered with nonsense.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TapeError {
    /// The slot is from a generation before the tape's last `clear()`.
    Stale,
    /// The tape holds [`MAX_ENTRIES`] entries already.
    Full,
    /// The system would not give the memory to grow the tape or the derivatives.
    OutOfMemory,
    /// The generation counter would wrap around.
    TooManyClears,
    /// A block's partials are not `outputs × inputs` numbers, or it has no output.
    BlockShape,
}

impl fmt::Display for TapeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TapeError::Stale => "the record is from before the tape's last clear()",
            TapeError::Full => "the tape is full (4294967295 entries)",
            TapeError::OutOfMemory => "out of memory for the tape",
            TapeError::TooManyClears => "the tape has been cleared 4294967295 times",
            TapeError::BlockShape => "a block's partials are not one per output and input",
        })
    }
}

/// A Wengert list ("the tape"): every operation performed on its variables, in order.
///
/// Python's `WengertList` is this, behind a lock (`src/python/wengert_list.rs`).
#[derive(Debug, Default)]
pub struct WengertList {
    entries: Vec<Entry>,
    codes: Vec<OpCode>,
    generation: u32,
    /// The side table of the [`Op::Block`] entries.
    blocks: Vec<Block>,
}

impl WengertList {
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The current generation: how many times the tape was cleared.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// The entries, in the order they were recorded.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// What each entry records, in the order they were recorded.
    pub fn codes(&self) -> &[OpCode] {
        &self.codes
    }

    /// The index of `slot`, if it belongs to the current generation.
    #[inline(always)]
    pub fn check(&self, slot: Slot) -> Result<u32, TapeError> {
        if slot.generation == self.generation {
            Ok(slot.index)
        } else {
            Err(TapeError::Stale)
        }
    }

    #[inline(always)]
    fn push(&mut self, code: OpCode, entry: Entry) -> Result<Slot, TapeError> {
        let index = self.entries.len();
        if index == self.entries.capacity() || index == self.codes.capacity() {
            self.grow()?;
        }
        self.entries.push(entry);
        self.codes.push(code);
        Ok(Slot {
            index: index as u32,
            generation: self.generation,
        })
    }

    #[cold]
    fn grow(&mut self) -> Result<(), TapeError> {
        let len = self.entries.len();
        if len >= MAX_ENTRIES {
            return Err(TapeError::Full);
        }
        let additional = len.max(64).min(MAX_ENTRIES - len);
        self.codes
            .try_reserve_exact(additional)
            .map_err(|_| TapeError::OutOfMemory)?;
        self.entries
            .try_reserve_exact(additional)
            .map_err(|_| TapeError::OutOfMemory)?;
        Ok(())
    }

    /// A new input.
    pub fn variable(&mut self) -> Result<Slot, TapeError> {
        let entry = Entry {
            partials: [0.0, 0.0],
            operands: [NO_OPERAND, NO_OPERAND],
        };
        self.push(OpCode::new(Op::Variable), entry)
    }

    /// Many new inputs; returns the first one's slot (the rest follow it).
    pub fn variables(&mut self, count: usize) -> Result<Slot, TapeError> {
        if count > MAX_ENTRIES - self.len() {
            return Err(TapeError::Full);
        }
        self.codes
            .try_reserve(count)
            .map_err(|_| TapeError::OutOfMemory)?;
        self.entries
            .try_reserve(count)
            .map_err(|_| TapeError::OutOfMemory)?;
        let first = Slot {
            index: self.len() as u32,
            generation: self.generation,
        };
        for _ in 0..count {
            self.variable()?;
        }
        Ok(first)
    }

    /// A function of one entry `x`, whose derivative there is `partial`.
    ///
    /// `constant` is a constant operand the operation used (for replay), or 0.
    #[inline(always)]
    pub fn unary(
        &mut self,
        code: OpCode,
        x: Slot,
        partial: f64,
        constant: f64,
    ) -> Result<Slot, TapeError> {
        let x = self.check(x)?;
        let entry = Entry {
            partials: [partial, constant],
            operands: [x, NO_OPERAND],
        };
        self.push(code, entry)
    }

    /// A function of two entries `x` and `y`, with its partials there.
    #[inline(always)]
    pub fn binary(
        &mut self,
        code: OpCode,
        x: Slot,
        y: Slot,
        dx: f64,
        dy: f64,
    ) -> Result<Slot, TapeError> {
        let x = self.check(x)?;
        let y = self.check(y)?;
        self.push(
            code,
            Entry {
                partials: [dx, dy],
                operands: [x, y],
            },
        )
    }

    /// Forget every entry and start a new generation.
    pub fn clear(&mut self) -> Result<(), TapeError> {
        let next = self
            .generation
            .checked_add(1)
            .ok_or(TapeError::TooManyClears)?;
        self.generation = next;
        self.entries.clear();
        self.codes.clear();
        self.blocks.clear();
        self.entries.shrink_to(RETAINED_CAPACITY);
        self.codes.shrink_to(RETAINED_CAPACITY);
        Ok(())
    }

    /// The derivatives of the entry at `output` with respect to every entry.
    ///
    /// The result has one element per entry of the tape; entries after `output`
    /// (which it cannot depend on) get 0.
    pub fn derivatives(&self, output: Slot) -> Result<Vec<f64>, TapeError> {
        let output = self.check(output)? as usize;
        let mut adjoints = zeros(self.len())?;
        adjoints[output] = 1.0;
        let blocks = (&self.codes[..], &self.blocks[..]);
        sweep(&self.entries[..=output], &mut adjoints, blocks);
        Ok(adjoints)
    }
}

/// `n` zeros, or OutOfMemory. Zeroed memory from the allocator: a large block comes
/// zeroed from the operating system, with no pass over it here.
fn zeros(n: usize) -> Result<Vec<f64>, TapeError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let layout = std::alloc::Layout::array::<f64>(n).map_err(|_| TapeError::OutOfMemory)?;
    // SAFETY: the layout has a nonzero size; all-zero bytes are the float 0.0.
    let ptr = unsafe { std::alloc::alloc_zeroed(layout) }.cast::<f64>();
    if ptr.is_null() {
        return Err(TapeError::OutOfMemory);
    }
    // SAFETY: `ptr` was allocated by the global allocator with the layout of `n` f64,
    // which is what a Vec of capacity `n` frees; all `n` are initialised.
    Ok(unsafe { Vec::from_raw_parts(ptr, n, n) })
}

/// The backward sweep: propagate `adjoints` from the last entry down to the first.
///
/// An entry whose adjoint is 0 is skipped: it does not lie on a path to the
/// output, and its partials (which may be infinite) must not turn into NaN. A zero
/// partial likewise contributes exactly 0 (see [`chain`]), as in forward mode; that
/// rule can only change a product whose adjoint is infinite or NaN, so a finite
/// adjoint (the usual case) takes the plain multiplication. An entry with no first
/// operand is an input, or an output of a [`Block`] (`codes` tell), whose operands and
/// partials are in `blocks`.
fn sweep(entries: &[Entry], adjoints: &mut [f64], (codes, blocks): (&[OpCode], &[Block])) {
    let n = entries.len().min(adjoints.len());
    // Entry i's contribution to entry i - 1, when i - 1 is one operand and not both, is
    // kept in a register rather than sent through memory and read straight back: a chain
    // of operations, each on the result of the one before, then runs at the speed of its
    // arithmetic. The sums are the same and in the same order, since that contribution
    // is the last one entry i - 1 receives before its own turn.
    let mut carry = 0.0;
    let mut carried = false;
    for i in (0..n).rev() {
        let mut adjoint = adjoints[i];
        if carried {
            adjoint += carry;
            adjoints[i] = adjoint;
            carried = false;
        }
        if adjoint == 0.0 {
            continue;
        }
        let Entry {
            partials: [px, py],
            operands: [x, y],
        } = entries[i];
        if x == NO_OPERAND {
            if codes[i] == OpCode(BLOCK) {
                blocks::sweep_output(entries[i], adjoint, adjoints, blocks);
            }
            continue;
        }
        let finite = adjoint.is_finite();
        let previous = i.wrapping_sub(1);
        let (x_next, y_next) = (x as usize == previous, y as usize == previous);
        if x != NO_OPERAND {
            let d = if finite {
                px * adjoint
            } else {
                chain(px, adjoint)
            };
            if x_next && !y_next {
                (carry, carried) = (d, true);
            } else {
                adjoints[x as usize] += d;
            }
        }
        if y != NO_OPERAND {
            let d = if finite {
                py * adjoint
            } else {
                chain(py, adjoint)
            };
            if y_next && !x_next {
                (carry, carried) = (d, true);
            } else {
                adjoints[y as usize] += d;
            }
        }
    }
}

/// A xorshift generator of pseudo-random numbers from `seed`, for tests.
#[cfg(test)]
pub(crate) fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(op: Op) -> OpCode {
        OpCode::new(op)
    }

    #[test]
    fn sizes() {
        assert_eq!(std::mem::size_of::<Entry>(), 24);
        assert_eq!(std::mem::size_of::<OpCode>(), 1);
    }

    #[test]
    fn opcodes_round_trip() {
        let mut all = vec![Op::Variable, Op::CustomUnary, Op::Block];
        all.extend(Unary::ALL.map(Op::Unary));
        for operands in [
            Operands::Both,
            Operands::ConstantLeft,
            Operands::ConstantRight,
        ] {
            all.extend(Binary::ALL.map(|b| Op::Binary(b, operands)));
            all.push(Op::CustomBinary(operands));
        }
        let mut seen = std::collections::HashSet::new();
        for op in all {
            assert_eq!(code(op).op(), op);
            assert!(seen.insert(code(op).0));
        }
    }

    #[test]
    fn slot_packing() {
        let s = Slot {
            index: 0xdead_beef,
            generation: 7,
        };
        assert_eq!(Slot::unpack(s.pack()), s);
    }

    #[test]
    fn product_rule() {
        // z = x * y + x at x = 3, y = 4: dz/dx = y + 1 = 5, dz/dy = x = 3.
        let mut t = WengertList::new();
        let x = t.variable().unwrap();
        let y = t.variable().unwrap();
        let xy = t
            .binary(
                code(Op::Binary(Binary::Mul, Operands::Both)),
                x,
                y,
                4.0,
                3.0,
            )
            .unwrap();
        let z = t
            .binary(
                code(Op::Binary(Binary::Add, Operands::Both)),
                xy,
                x,
                1.0,
                1.0,
            )
            .unwrap();
        let d = t.derivatives(z).unwrap();
        assert_eq!(d, vec![5.0, 3.0, 1.0, 1.0]);
        // From an intermediate: later entries get 0.
        assert_eq!(t.derivatives(xy).unwrap(), vec![4.0, 3.0, 1.0, 0.0]);
    }

    #[test]
    fn constant_operand_is_stored_not_swept() {
        // y = x * 2.5: the constant 2.5 sits in the second slot, with no operand.
        let mut t = WengertList::new();
        let x = t.variable().unwrap();
        let c = code(Op::Binary(Binary::Mul, Operands::ConstantRight));
        let y = t.unary(c, x, 2.5, 2.5).unwrap();
        assert_eq!(
            t.entries()[1],
            Entry {
                partials: [2.5, 2.5],
                operands: [0, NO_OPERAND]
            }
        );
        assert_eq!(
            t.codes()[1].op(),
            Op::Binary(Binary::Mul, Operands::ConstantRight)
        );
        assert_eq!(t.derivatives(y).unwrap(), vec![2.5, 1.0]);
    }

    #[test]
    fn unrelated_infinite_partials_do_not_poison() {
        // s = sqrt(x - x) has partial inf but y = 3x does not depend on it.
        let mut t = WengertList::new();
        let x = t.variable().unwrap();
        let zero = t.binary(
            code(Op::Binary(Binary::Sub, Operands::Both)),
            x,
            x,
            1.0,
            -1.0,
        );
        let s = t.unary(
            code(Op::Unary(Unary::Sqrt)),
            zero.unwrap(),
            f64::INFINITY,
            0.0,
        );
        let c = code(Op::Binary(Binary::Mul, Operands::ConstantRight));
        let y = t.unary(c, x, 3.0, 3.0).unwrap();
        assert_eq!(t.derivatives(y).unwrap()[0], 3.0);
        // From s the derivative is genuinely not finite.
        assert!(!t.derivatives(s.unwrap()).unwrap()[0].is_finite());
    }

    #[test]
    fn zero_partials_stop_infinite_adjoints() {
        // y = sqrt(x * 0) is the constant 0: its derivative is 0, as in forward mode.
        let mut t = WengertList::new();
        let x = t.variable().unwrap();
        let c = code(Op::Binary(Binary::Mul, Operands::ConstantRight));
        let zero = t.unary(c, x, 0.0, 0.0).unwrap();
        let y = t
            .unary(code(Op::Unary(Unary::Sqrt)), zero, f64::INFINITY, 0.0)
            .unwrap();
        assert_eq!(t.derivatives(y).unwrap()[0], 0.0);
    }

    #[test]
    fn clear_makes_old_slots_stale() {
        let mut t = WengertList::new();
        let x = t.variable().unwrap();
        t.clear().unwrap();
        assert!(t.is_empty());
        assert_eq!(t.generation(), 1);
        assert_eq!(t.check(x), Err(TapeError::Stale));
        assert_eq!(t.derivatives(x), Err(TapeError::Stale));
        let neg = code(Op::Unary(Unary::Neg));
        assert_eq!(t.unary(neg, x, -1.0, 0.0), Err(TapeError::Stale));
        let x2 = t.variable().unwrap();
        assert_eq!(
            x2,
            Slot {
                index: 0,
                generation: 1
            }
        );
        assert_eq!(t.derivatives(x2).unwrap(), vec![1.0]);
    }

    #[test]
    fn generations_do_not_wrap() {
        let mut t = WengertList {
            generation: u32::MAX,
            ..WengertList::new()
        };
        assert_eq!(t.clear(), Err(TapeError::TooManyClears));
    }

    #[test]
    fn many_variables() {
        let mut t = WengertList::new();
        let first = t.variables(1000).unwrap();
        assert_eq!(first.index, 0);
        assert_eq!(t.len(), 1000);
        assert_eq!(t.variables(MAX_ENTRIES), Err(TapeError::Full));
    }

    #[test]
    fn long_chain() {
        // y = x * 1.0001^n, built as n multiplications.
        let mut t = WengertList::new();
        let mut y = t.variable().unwrap();
        let c = code(Op::Binary(Binary::Mul, Operands::ConstantRight));
        for _ in 0..100_000 {
            y = t.unary(c, y, 1.0001, 1.0001).unwrap();
        }
        let d = t.derivatives(y).unwrap();
        let expected = 1.0001f64.powi(100_000);
        assert!((d[0] - expected).abs() < 1e-9 * expected);
    }

    /// The sweep in its plainest form: every contribution through memory.
    fn reference_sweep(entries: &[Entry], adjoints: &mut [f64]) {
        for i in (0..entries.len()).rev() {
            let adjoint = adjoints[i];
            if adjoint == 0.0 {
                continue;
            }
            let Entry { partials, operands } = entries[i];
            for k in 0..2 {
                if operands[k] != NO_OPERAND {
                    adjoints[operands[k] as usize] += chain(partials[k], adjoint);
                }
            }
        }
    }

    #[test]
    fn sweep_matches_the_plain_sweep_bit_for_bit() {
        // Random tapes, rich in operands that are the entry just before (the register
        // path), in both operands at once, and in infinite, NaN and signed-zero partials.
        let mut next = xorshift(0x2545_f491_4f6c_dd1d);
        let special = [
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            1.0,
            -2.5,
        ];
        for _ in 0..200 {
            let mut t = WengertList::new();
            t.variables(3).unwrap();
            for _ in 0..300 {
                let len = t.len() as u32;
                let pick = |r: u64| match r % 4 {
                    0 | 1 => len - 1,
                    2 => len - 2,
                    _ => (r >> 8) as u32 % len,
                };
                let slot = |index| Slot {
                    index,
                    generation: t.generation(),
                };
                let (r1, r2, r3) = (next(), next(), next());
                let partial = |r: u64| {
                    if r.is_multiple_of(5) {
                        special[(r >> 8) as usize % special.len()]
                    } else {
                        ((r >> 11) as f64 / (1u64 << 53) as f64) * 4.0 - 2.0
                    }
                };
                let (x, y) = (slot(pick(r1)), slot(pick(r2)));
                if r3 % 3 == 0 {
                    let c = code(Op::Unary(Unary::Sin));
                    t.unary(c, x, partial(r2), 0.0).unwrap();
                } else {
                    let c = code(Op::Binary(Binary::Mul, Operands::Both));
                    t.binary(c, x, y, partial(r3), partial(r1)).unwrap();
                }
            }
            let output = Slot {
                index: t.len() as u32 - 1,
                generation: t.generation(),
            };
            let fast = t.derivatives(output).unwrap();
            let mut plain = vec![0.0; t.len()];
            plain[output.index as usize] = 1.0;
            reference_sweep(&t.entries, &mut plain);
            assert!(t.blocks.is_empty());
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&fast), bits(&plain));
        }
    }
}
