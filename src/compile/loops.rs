//! Repeated stretches of a program, found so that compiled code runs them as loops.
//!
//! A Python loop records the same few operations once per iteration: W2 (the
//! Rosenbrock sum of the benchmarks) is one body of 8 entries repeated 999 times. Such
//! a stretch is a [`Loop`]: `repeats` copies of a body of `body` entries, where entry
//! `p` of copy `r` has the same operation and constants as entry `p` of copy 0, and
//! each of its operand indices is copy 0's plus `r` times a fixed stride (0 for an
//! entry before the loop, 1 for `x[i]`, `body` for the previous iteration's sum).
//! Compiled code writes the body once and runs it `repeats` times, computing the
//! addresses from the copy number: the same operations on the same operands in the
//! same order as the straight-line code, so the same bits, in code whose size and
//! compile time follow the body, not the recording.
//!
//! [`segments`] cuts a program into straight stretches and loops, greedily from the
//! first entry: at each entry it tries the next few entries of the same shape as the
//! start of a second copy, and keeps the candidate covering the most entries. A
//! comparison (guard) inside a stretch ends it: guards are checked between loops.

use std::collections::HashMap;
use std::mem::Discriminant;

use crate::replay::{Instruction, Program};

/// The fewest copies folded into a loop.
const MIN_REPEATS: usize = 4;
/// The fewest entries a loop covers.
const MIN_COVERED: usize = 32;
/// The longest body looked for.
pub(super) const MAX_BODY: usize = 256;
/// How many later entries of the same shape are tried as the second copy's start.
const CANDIDATES: usize = 8;
/// Entry comparisons the search may make per entry of the program.
const BUDGET: usize = 64;

/// Copies of one body of entries (see the module's documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Loop {
    /// The first entry of the first copy.
    pub start: usize,
    /// Entries per copy.
    pub body: usize,
    /// Copies.
    pub repeats: usize,
    /// For each entry of the body, how far each operand index moves from one copy to
    /// the next (in the order of [`fields`]).
    pub strides: Vec<[i64; 2]>,
}

impl Loop {
    /// One past the last entry of the last copy.
    pub fn end(&self) -> usize {
        self.start + self.body * self.repeats
    }

    /// The strides the body uses: its entries' own (the body, and twice it for the
    /// partials) and its operands'.
    pub fn strides_used(&self) -> impl Iterator<Item = i64> + '_ {
        let body = self.body as i64;
        [body, 2 * body]
            .into_iter()
            .chain(self.strides.iter().flatten().copied())
    }

    /// The strides of entry `p` of the body: its own, then its operands'.
    pub fn entry_strides(&self, p: usize) -> [i64; 3] {
        [self.body as i64, self.strides[p][0], self.strides[p][1]]
    }

    /// The entries before the loop that the first copy takes from "the copy before"
    /// (operands that move by one body a copy, from the `body` entries before the
    /// loop): each copy takes its value from the copy before it. In increasing order.
    pub fn carried(&self, instructions: &[Instruction]) -> Vec<u32> {
        let mut carried: Vec<u32> = (0..self.body)
            .flat_map(|p| {
                let (indices, n) = fields(instructions[self.start + p]);
                (0..n).map(move |f| (indices[f], self.strides[p][f]))
            })
            .filter(|&(index, stride)| {
                let index = index as usize;
                stride == self.body as i64 && index < self.start && index + self.body >= self.start
            })
            .map(|(index, _)| index)
            .collect();
        carried.sort_unstable();
        carried.dedup();
        carried
    }

    /// Whether every operand of the body that reaches an entry of its own copy does so
    /// with the body's stride (an entry of the first copy, moving with it): then the
    /// adjoints of a copy's entries can live in variables while the copy is swept, as
    /// no other operand reaches them in memory.
    pub fn private(&self, instructions: &[Instruction]) -> bool {
        let (start, body) = (self.start as i64, self.body as i64);
        let last = self.repeats as i64 - 1;
        self.strides.iter().enumerate().all(|(p, strides)| {
            let (indices, n) = fields(instructions[self.start + p]);
            (0..n).all(|f| {
                let (index, stride) = (i64::from(indices[f]), strides[f]);
                let own_copy = stride == body && (start..start + body).contains(&index);
                // Below the copy's first entry in the first copy and in the last, so in
                // every copy between (the distance moves linearly).
                let below = |r: i64| index + r * stride < start + r * body;
                own_copy || (below(0) && below(last))
            })
        })
    }
}

/// A stretch of a program as compiled code runs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Segment {
    /// Entries `start..end`, each written out.
    Straight(usize, usize),
    Loop(Loop),
}

/// What must be equal in two entries for them to be copies: the kind of instruction,
/// its operation, and its constant's bits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Shape {
    kind: Discriminant<Instruction>,
    op: u8,
    constant: u64,
}

/// The operand indices of an instruction, in the order they appear in it, and how many
/// there are.
pub(super) fn fields(instruction: Instruction) -> ([u32; 2], usize) {
    use Instruction as I;
    match instruction {
        I::Input => ([0, 0], 0),
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
        | I::CustomBinary(a, b)
        | I::Block(a, b) => ([a, b], 2),
    }
}

fn shape(instruction: Instruction) -> Shape {
    use Instruction as I;
    let (op, constant) = match instruction {
        I::Unary(op, _) => (op as u8, 0),
        I::Binary(op, ..) => (op as u8, 0),
        I::AddRight(_, c)
        | I::SubRight(_, c)
        | I::MulRight(_, c)
        | I::DivRight(_, c)
        | I::AddLeft(c, _)
        | I::SubLeft(c, _)
        | I::MulLeft(c, _)
        | I::DivLeft(c, _)
        | I::CustomRight(_, c)
        | I::CustomLeft(c, _) => (0, c.to_bits()),
        I::BinaryRight(op, _, c) | I::BinaryLeft(op, c, _) => (op as u8, c.to_bits()),
        _ => (0, 0),
    };
    Shape {
        kind: std::mem::discriminant(&instruction),
        op,
        constant,
    }
}

/// The program's entries after its inputs, cut into straight stretches and loops, in
/// order; nothing when it has no entry after its inputs.
pub(super) fn segments(program: &Program) -> Vec<Segment> {
    let instructions = program.instructions();
    let (inputs, len) = (program.inputs(), program.len());
    // A guard at position p is checked before entry p: no loop may hold it inside.
    let mut guarded = vec![false; len + 1];
    for guard in program.guards() {
        if let Some(g) = guarded.get_mut(guard.position as usize) {
            *g = true;
        }
    }
    let shapes: Vec<Shape> = instructions.iter().map(|&i| shape(i)).collect();
    // The next entry of the same shape, for each entry.
    let mut next = vec![usize::MAX; len];
    let mut seen: HashMap<Shape, usize> = HashMap::new();
    for i in (inputs..len).rev() {
        if let Some(&j) = seen.get(&shapes[i]) {
            next[i] = j;
        }
        seen.insert(shapes[i], i);
    }
    let finder = Finder {
        instructions,
        shapes: &shapes,
        guarded: &guarded,
        budget: std::cell::Cell::new(BUDGET.saturating_mul(len)),
    };
    let mut segments = Vec::new();
    let (mut straight, mut i) = (inputs, inputs);
    while i < len {
        let mut best: Option<Loop> = None;
        let mut j = next[i];
        for _ in 0..CANDIDATES {
            if j == usize::MAX || j - i > MAX_BODY {
                break;
            }
            if let Some(found) = finder.at(i, j - i) {
                if best.as_ref().is_none_or(|b| found.end() > b.end()) {
                    best = Some(found);
                }
            }
            j = next[j];
        }
        match best {
            Some(found) => {
                if straight < i {
                    segments.push(Segment::Straight(straight, i));
                }
                i = found.end();
                straight = i;
                segments.push(Segment::Loop(found));
            }
            None => i += 1,
        }
    }
    if straight < len {
        segments.push(Segment::Straight(straight, len));
    }
    segments
}

struct Finder<'a> {
    instructions: &'a [Instruction],
    shapes: &'a [Shape],
    guarded: &'a [bool],
    /// Entries left to compare: the search stops when they run out, so that it stays
    /// linear in the program's length whatever the program.
    budget: std::cell::Cell<usize>,
}

impl Finder<'_> {
    /// The loop of body `body` starting at entry `start`, if it has enough copies.
    fn at(&self, start: usize, body: usize) -> Option<Loop> {
        let len = self.instructions.len();
        if start + 2 * body > len || self.budget.get() < body {
            return None;
        }
        self.budget.set(self.budget.get() - body);
        let mut strides = Vec::with_capacity(body);
        for p in 0..body {
            let (a, b) = (start + p, start + body + p);
            if self.shapes[a] != self.shapes[b] {
                return None;
            }
            let ((fa, n), (fb, _)) = (fields(self.instructions[a]), fields(self.instructions[b]));
            let mut s = [0i64; 2];
            for k in 0..n {
                s[k] = i64::from(fb[k]) - i64::from(fa[k]);
            }
            strides.push(s);
        }
        let copy_holds = |r: usize| {
            let first = start + r * body;
            if first + body > len {
                return false;
            }
            // No guard between two entries of the stretch (one before the copy's first
            // entry is inside the stretch too, except for copy 0).
            let from = if r == 0 { first + 1 } else { first };
            if self.guarded[from..first + body].iter().any(|&g| g) {
                return false;
            }
            (0..body).all(|p| {
                let (a, b) = (start + p, first + p);
                if self.shapes[a] != self.shapes[b] {
                    return false;
                }
                let ((fa, n), (fb, _)) =
                    (fields(self.instructions[a]), fields(self.instructions[b]));
                (0..n).all(|k| i64::from(fb[k]) == i64::from(fa[k]) + r as i64 * strides[p][k])
            })
        };
        let mut repeats = 0;
        while copy_holds(repeats) {
            repeats += 1;
        }
        (repeats >= MIN_REPEATS && repeats * body >= MIN_COVERED).then_some(Loop {
            start,
            body,
            repeats,
            strides,
        })
    }
}
