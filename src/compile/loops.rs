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
//! start of a second copy, and keeps the candidate covering the most entries.
//!
//! The comparisons (guards) the recorded code made inside a loop repeat with it: a
//! copy's guards are those checked before one of its entries (positions
//! `first..first + body`), and every copy must have the same guards at the same
//! places, with the same comparison, outcome and constants, their operands moving by
//! fixed strides as the entries' do. A copy whose guards differ (an `if` that went the
//! other way) ends the loop; a guard made just before a loop's first entry that the
//! other copies do not repeat moves the loop's start one entry on.

use std::collections::HashMap;
use std::mem::Discriminant;

use crate::replay::{Guard, Instruction, Program, Value};

/// The fewest copies folded into a loop.
const MIN_REPEATS: usize = 4;
/// The fewest entries a loop covers.
const MIN_COVERED: usize = 32;
/// The longest body looked for.
pub(super) const MAX_BODY: usize = 256;
/// How many later entries of the same shape are tried as the second copy's start.
const CANDIDATES: usize = 8;
/// Entry comparisons that find no loop the search earns for each place it tries, so
/// that it stays linear in the program's length whatever the program; what it has not
/// spent it keeps, up to [`SAVINGS`].
const BUDGET: usize = 64;
/// The most comparisons the search keeps for later: a stretch that uses up its
/// earnings leaves the search short for a few thousand entries at most.
const SAVINGS: usize = 64 * 4096;

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
    /// the next (in the order of `Instruction::operands`).
    pub strides: Vec<[i64; 2]>,
    /// The number of the first copy's first guard (the first checked before the
    /// loop's first entry or later), and how many guards each copy checks.
    pub first_guard: usize,
    pub guards: usize,
    /// For each guard of a copy, how far its left and right operands move from one
    /// copy to the next (0 for a constant).
    pub guard_strides: Vec<[i64; 2]>,
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
            .chain(self.guard_strides.iter().flatten().copied())
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
                let (indices, n) = instructions[self.start + p].operands();
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
            let (indices, n) = instructions[self.start + p].operands();
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

/// The entries after the program's inputs, cut into straight stretches and loops, in
/// order (nothing when it has no entry after its inputs), and what is left to write out
/// (the straight entries, the loops' bodies, and the comparisons outside loops and in
/// the loops' bodies); or `None`, said as soon as it is known, when that is more than
/// `limit`.
pub(super) fn segments(program: &Program, limit: usize) -> Option<(Vec<Segment>, usize)> {
    let instructions = program.instructions();
    let (inputs, len) = (program.inputs(), program.len());
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
        guards: program.guards(),
        budget: std::cell::Cell::new(0),
    };
    let guards = program.guards();
    // Written out so far: entries, and the comparisons the loops found hold but once.
    let (mut entries, mut folded) = (0usize, 0usize);
    let written = |entries: usize, folded: usize, before: usize| {
        let made = guards.partition_point(|g| (g.position as usize) < before);
        entries + made - folded
    };
    let mut segments = Vec::new();
    let (mut straight, mut i) = (inputs, inputs);
    while i < len {
        if written(entries + (i - straight), folded, i) > limit {
            return None;
        }
        let earned = finder.budget.get().saturating_add(BUDGET);
        finder.budget.set(earned.min(SAVINGS));
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
                    entries += i - straight;
                }
                entries += found.body;
                folded += (found.repeats - 1) * found.guards;
                i = found.end();
                straight = i;
                segments.push(Segment::Loop(found));
            }
            None => i += 1,
        }
    }
    if straight < len {
        segments.push(Segment::Straight(straight, len));
        entries += len - straight;
    }
    let written = written(entries, folded, usize::MAX);
    (written <= limit).then_some((segments, written))
}

struct Finder<'a> {
    instructions: &'a [Instruction],
    shapes: &'a [Shape],
    /// In the order of their positions.
    guards: &'a [Guard],
    /// Entries left to compare: the search stops when they run out, so that it stays
    /// linear in the program's length whatever the program.
    budget: std::cell::Cell<usize>,
}

/// The index a guard's operand refers to, if an entry.
fn entry(v: Value) -> Option<i64> {
    match v {
        Value::Entry(i) => Some(i64::from(i)),
        Value::Constant(_) => None,
    }
}

/// Whether `b` can be a later copy of guard `a`, `r` copies later and `offset`
/// positions later, its operands moved by `strides` a copy.
fn guard_copies(a: &Guard, b: &Guard, r: i64, offset: i64, strides: [i64; 2]) -> bool {
    let operand = |x: Value, y: Value, stride: i64| match (x, y) {
        (Value::Constant(c), Value::Constant(d)) => c.to_bits() == d.to_bits(),
        (Value::Entry(i), Value::Entry(j)) => i64::from(j) == i64::from(i) + r * stride,
        _ => false,
    };
    i64::from(b.position) == i64::from(a.position) + offset
        && a.comparison == b.comparison
        && a.outcome == b.outcome
        && operand(a.left, b.left, strides[0])
        && operand(a.right, b.right, strides[1])
}

impl Finder<'_> {
    /// Take `comparisons` from the budget, if it has them.
    fn spend(&self, comparisons: usize) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(comparisons));
        left >= comparisons
    }

    /// The guards checked before entries `first..end` (those at these positions).
    fn guards_of(&self, first: usize, end: usize) -> std::ops::Range<usize> {
        let from = self
            .guards
            .partition_point(|g| (g.position as usize) < first);
        let to = self.guards.partition_point(|g| (g.position as usize) < end);
        from..to
    }

    /// The loop of body `body` starting at entry `start`, if it has enough copies.
    fn at(&self, start: usize, body: usize) -> Option<Loop> {
        let len = self.instructions.len();
        if start + 2 * body > len || !self.spend(body) {
            return None;
        }
        let mut strides = Vec::with_capacity(body);
        for p in 0..body {
            let (a, b) = (start + p, start + body + p);
            if self.shapes[a] != self.shapes[b] {
                return None;
            }
            let ((fa, n), (fb, _)) = (
                self.instructions[a].operands(),
                self.instructions[b].operands(),
            );
            let mut s = [0i64; 2];
            for k in 0..n {
                s[k] = i64::from(fb[k]) - i64::from(fa[k]);
            }
            strides.push(s);
        }
        let mut own = self.guards_of(start, start + body);
        let next = self.guards_of(start + body, start + 2 * body);
        // Guards at the first entry that the second copy does not repeat are checked
        // before the loop.
        let at = |g: usize, position: usize| self.guards[g].position as usize == position;
        if own.clone().next().is_some_and(|g| at(g, start))
            && !next.clone().next().is_some_and(|g| at(g, start + body))
        {
            own = self.guards_of(start + 1, start + body);
        }
        if own.len() != next.len() {
            return None;
        }
        let guard_strides: Vec<[i64; 2]> = own
            .clone()
            .zip(next)
            .map(|(a, b)| {
                let (a, b) = (&self.guards[a], &self.guards[b]);
                let stride = |x, y| match (entry(x), entry(y)) {
                    (Some(i), Some(j)) => j - i,
                    _ => 0,
                };
                [stride(a.left, b.left), stride(a.right, b.right)]
            })
            .collect();
        let copy_holds = |r: usize| {
            let first = start + r * body;
            if first + body > len {
                return false;
            }
            let guards = match r {
                0 => own.clone(),
                _ => self.guards_of(first, first + body),
            };
            if guards.len() != own.len()
                || !own.clone().zip(guards).enumerate().all(|(j, (a, b))| {
                    let offset = (r * body) as i64;
                    let (a, b) = (&self.guards[a], &self.guards[b]);
                    guard_copies(a, b, r as i64, offset, guard_strides[j])
                })
            {
                return false;
            }
            (0..body).all(|p| {
                let (a, b) = (start + p, first + p);
                if self.shapes[a] != self.shapes[b] {
                    return false;
                }
                let ((fa, n), (fb, _)) = (
                    self.instructions[a].operands(),
                    self.instructions[b].operands(),
                );
                (0..n).all(|k| i64::from(fb[k]) == i64::from(fa[k]) + r as i64 * strides[p][k])
            })
        };
        let mut repeats = 0;
        while copy_holds(repeats) {
            repeats += 1;
        }
        let found = repeats >= MIN_REPEATS && repeats * body >= MIN_COVERED;
        if !found {
            // Comparisons that found no loop. Those of a loop found are paid for by the
            // entries the search then moves past: each start's candidates compare at
            // most `CANDIDATES` times the entries of the longest.
            self.spend(repeats * body);
        }
        found.then_some(Loop {
            start,
            body,
            repeats,
            strides,
            first_guard: own.start,
            guards: own.len(),
            guard_strides,
        })
    }
}
