//! Recordings compiled to native code with Cranelift, in-process, with no system
//! compiler: [`Compiled::new`] turns a [`Program`] into machine code for its forward
//! pass (values, partials, guards) and its backward sweep, which give
//! [`Compiled::values`], [`Compiled::value_and_gradient`] and [`Compiled::jacobian`]
//! **bit for bit** as the interpreter ([`crate::replay`]) gives them.
//!
//! # How
//!
//! The program is cut into straight stretches and loops (`loops.rs`: the copies of one
//! body a Python loop records, whose operands move by fixed strides from copy to copy).
//! A straight stretch is straight-line code, one function per chunk of [`CHUNK`]
//! entries; a loop is one function that runs its body once per copy. Each has a function
//! for the forward pass (`forward.rs`) and one for the sweep (`sweep.rs`), all in one
//! JIT module (`jit.rs`). Every value, partial and adjoint lives in one flat buffer of
//! `f64` the caller passes (`layout.rs`), so a chunk keeps few values in registers,
//! Cranelift's register allocator has short live ranges to deal with, and the compile
//! time grows linearly with the entries written out; a loop reaches its copy's slots
//! through addresses moved by the copy number.
//!
//! # Bit for bit
//!
//! - Add, subtract, multiply, divide and negate are written inline with the formulas
//!   of [`crate::ops::Binary::eval`] (and `Neg`'s), the same operations in the same
//!   order, with no fused multiply-add (Cranelift contracts nothing).
//! - Every other operation calls an `extern "C"` helper (`helpers.rs`) that calls the
//!   interpreter's own function of the table, registered with the JIT as a symbol.
//! - The sweep computes, entry by entry from the last down, the same sums in the same
//!   order as the interpreter's, with its rule for a zero adjoint and for 0·∞
//!   ([`crate::ops::chain`]).
//!
//! The forward pass evaluates in the recorded order, where the interpreter follows
//! its schedule: values do not depend on the order.
//!
//! # Two points a pass
//!
//! [`Compiled::with_lanes`] compiles the same program, with the same code generator,
//! for two points a pass (`lanes.rs`): every number is an `F64X2` vector, the two
//! points' numbers side by side, each lane with the bits of the one-lane code. The
//! batches of the Python glue use it, compiled on their first use.
//!
//! # Errors
//!
//! A compiled function returns a status: 0, or which guard failed, or which entry has
//! no value (a division by zero, a helper's error). The caller then replays the point
//! with the interpreter, which raises exactly its own error (the first the recorded
//! code met, with its message); [`Exit`] says which.
//!
//! # What is not compiled
//!
//! - Programs with custom operations ([`Program::has_customs`]): they call Python.
//! - Programs with more than [`MAX_ENTRIES`] entries and comparisons (guards) left to
//!   write out once their loops are folded: compile time (about 35 µs an entry written
//!   out) would pass a third of a second. Programs of more than [`MAX_LENGTH`] entries.
//! - A host Cranelift does not support (`cranelift-native` refuses it).
//!
//! [`NotCompiled`] says which; such a program replays with the interpreter, with the
//! same results. Taylor mode stays interpreted, as does a Jacobian with fewer inputs
//! than outputs (the interpreter takes forward tangents there, whose sums are not the
//! sweep's). [`Compiled::sparse_jacobian`] runs the sweep, or compiled forward tangent
//! passes (`second.rs`, [`ChainTangents`]), one a colour, as the interpreter does.
//!
//! # Second derivatives
//!
//! [`Compiled::hvp`], [`Compiled::hessian`] and [`Compiled::sparse_hessian`] run the
//! interpreter's forward-over-reverse passes as native code (`second.rs`), compiled on
//! their first use for their number of directions a pass ([`Compiled::second_order`]).

mod forward;
mod helpers;
mod jit;
mod lanes;
mod layout;
mod loops;
mod second;
mod sweep;

#[cfg(test)]
mod lane_tests;
#[cfg(test)]
mod loop_tests;
#[cfg(test)]
mod tests;

use std::fmt;

use cranelift_codegen::ir::{types, InstBuilder};

use crate::replay::{Direction, HessianPlan, JacobianPlan, Program, Value, LANES};
use forward::Forward;
use jit::Jit;
use layout::Layout;
use loops::Segment;
pub use second::{ChainTangents, SecondOrder};
use sweep::Sweep;

/// Entries per compiled function.
pub const CHUNK: usize = 512;

/// The most entries and comparisons written out for which Cranelift's optimiser runs:
/// it makes loops about a quarter faster, and costs compile time (a fifth more on
/// straight-line code, which it barely speeds up).
const OPTIMISED: usize = 256;

/// The most entries and comparisons written out (a loop counts its body once): larger
/// programs stay interpreted, so that compiling stays under about a third of a second.
/// Straight-line code takes some 35 µs an entry to compile (Cranelift's own speed) and
/// about 250 bytes an entry; it runs 3 to 4 times as fast as the interpreter at 9,000
/// entries and 2.8 times at 36,000 (`chunk_sizes` in `tests.rs` measures it in the
/// engine alone), but the 36,000 take 1.4 s to compile. A loop's body compiles in about
/// a millisecond whatever the copies.
pub const MAX_ENTRIES: usize = 8192;

/// The most entries of a program compiled, loops or not: its working memory (32 bytes
/// an entry) is addressed with 32-bit offsets.
pub const MAX_LENGTH: usize = 1 << 24;

/// Why a program was not compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotCompiled {
    /// It holds custom operations, which call Python.
    Customs,
    /// Its entries and comparisons (guards), given: what is left to write out once its
    /// repeated stretches are loops is more than [`MAX_ENTRIES`], or the entries are
    /// more than [`MAX_LENGTH`].
    TooLong(usize, usize),
    /// Cranelift does not support this machine.
    Unsupported(String),
    /// Cranelift failed to compile it.
    Codegen(String),
}

impl fmt::Display for NotCompiled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotCompiled::Customs => f.write_str(
                "the recording holds custom operations, which call Python: it replays \
                 with the interpreter",
            ),
            NotCompiled::TooLong(len, _) if *len > MAX_LENGTH => write!(
                f,
                "the recording has {len} entries, more than the {MAX_LENGTH} compiled: it \
                 replays with the interpreter"
            ),
            NotCompiled::TooLong(len, guards) => write!(
                f,
                "the recording has {len} entries and {guards} comparisons; with its \
                 repeated stretches run as loops, more than the {MAX_ENTRIES} entries and \
                 comparisons compiled are left to write out (compiling takes about 35 µs \
                 each): it replays with the interpreter"
            ),
            NotCompiled::Unsupported(why) => write!(
                f,
                "Cranelift does not support this machine ({why}): the recording replays \
                 with the interpreter"
            ),
            NotCompiled::Codegen(why) => write!(
                f,
                "Cranelift could not compile the recording ({why}): it replays with the \
                 interpreter"
            ),
        }
    }
}

/// Why compiled code gave no result; the caller replays the point with the
/// interpreter, which reports the error in its own words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// Guard number `g` has another outcome.
    Guard(usize),
    /// Entry `i` has no value.
    Entry(usize),
    /// A point or buffer of the wrong length, an output that does not exist, or no
    /// memory for the working buffer.
    Other,
}

type ForwardFn = unsafe extern "C" fn(*mut f64) -> i64;
type SweepFn = unsafe extern "C" fn(*mut f64);

/// A program compiled to native code.
pub struct Compiled {
    /// Holds the code the function pointers point to.
    _jit: Jit,
    forward: Vec<ForwardFn>,
    /// The sweep's functions with the first entry of their chunk, in increasing order.
    sweep: Vec<(usize, SweepFn)>,
    layout: Layout,
    len: usize,
    inputs: usize,
    outputs: Vec<Value>,
    code_bytes: usize,
    /// The id of the program compiled ([`Program`]'s, shared by its clones): the
    /// second-order code is compiled from that program only.
    program: u64,
    /// The second-order passes for 1 to [`LANES`] directions a pass, each compiled on
    /// first use (`None`: it does not compile; the interpreter takes those methods).
    second: [std::sync::OnceLock<Option<SecondOrder>>; LANES],
    /// The sparse Jacobian's forward tangent passes, likewise.
    chain_tangents: std::sync::OnceLock<Option<ChainTangents>>,
}

impl fmt::Debug for Compiled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Compiled")
            .field("entries", &self.len)
            .field("functions", &(self.forward.len() + self.sweep.len()))
            .field("code_bytes", &self.code_bytes)
            .finish()
    }
}

/// The program's segments with the straight ones cut into chunks of `chunk` entries,
/// one function each (one empty chunk when there is no entry, which checks the guards).
fn pieces(segments: Vec<Segment>, inputs: usize, chunk: usize) -> Vec<Segment> {
    let mut pieces = Vec::with_capacity(segments.len());
    for segment in segments {
        match segment {
            Segment::Straight(start, end) => pieces.extend(
                (start..end)
                    .step_by(chunk.max(1))
                    .map(|s| Segment::Straight(s, (s + chunk).min(end))),
            ),
            Segment::Loop(l) => pieces.push(Segment::Loop(l)),
        }
    }
    if pieces.is_empty() {
        pieces.push(Segment::Straight(inputs, inputs));
    }
    pieces
}

impl Compiled {
    /// Compile `program`, or say why not.
    pub fn new(program: &Program) -> Result<Compiled, NotCompiled> {
        Self::with_chunk(program, CHUNK, MAX_ENTRIES, 1)
    }

    /// [`Compiled::new`] with `chunk` entries per function, up to `max_entries`, for
    /// `lanes` points a pass (1 or 2, see `lanes.rs`).
    pub(crate) fn with_chunk(
        program: &Program,
        chunk: usize,
        max_entries: usize,
        lanes: usize,
    ) -> Result<Compiled, NotCompiled> {
        if program.has_customs() {
            return Err(NotCompiled::Customs);
        }
        let (len, inputs) = (program.len(), program.inputs());
        let guards = program.guards();
        if len > MAX_LENGTH {
            return Err(NotCompiled::TooLong(len, guards.len()));
        }
        // Each comparison is a compare and an exit in the code, which costs compile time
        // as an entry does.
        let (segments, code) =
            loops::segments(program, max_entries).ok_or(NotCompiled::TooLong(len, guards.len()))?;
        // Little code (a loop's body, a short recording) is worth optimising: it is
        // quick to, and runs many times.
        let mut jit = Jit::new(code <= OPTIMISED)?;
        let layout = Layout::new(len, lanes);
        let instructions = program.instructions();
        let pieces = pieces(segments, inputs, chunk);
        let mut next_guard = 0;
        let mut forward_ids = Vec::with_capacity(pieces.len());
        for (c, piece) in pieces.iter().enumerate() {
            let last = c + 1 == pieces.len();
            let id = jit.define(true, |b, functions| {
                let block = b.create_block();
                b.append_block_params_for_function_params(block);
                b.switch_to_block(block);
                let work = b.block_params(block)[0];
                let exit = b.create_block();
                b.append_block_param(exit, types::I64);
                let mut f = Forward {
                    layout,
                    work,
                    exit,
                    functions,
                    known: std::collections::HashMap::new(),
                    frame: None,
                };
                match piece {
                    &Segment::Straight(start, end) => {
                        for (i, &instruction) in
                            instructions.iter().enumerate().take(end).skip(start)
                        {
                            f.guards_before(b, guards, i, &mut next_guard);
                            f.entry(b, i, instruction, [0; 3])?;
                        }
                    }
                    Segment::Loop(l) => {
                        // The guards before the loop's (see `Loop::first_guard`).
                        while next_guard < l.first_guard {
                            f.guard(b, next_guard, &guards[next_guard]);
                            next_guard += 1;
                        }
                        f.repeat(b, l, instructions, guards)?;
                        next_guard = l.first_guard + l.repeats * l.guards;
                    }
                }
                if last {
                    f.guards_before(b, guards, usize::MAX, &mut next_guard);
                }
                let ok = b.ins().iconst(types::I64, 0);
                b.ins().return_(&[ok]);
                b.switch_to_block(exit);
                let status = b.block_params(exit)[0];
                b.ins().return_(&[status]);
                Ok(())
            })?;
            forward_ids.push(id);
        }
        let mut sweep_ids = Vec::with_capacity(pieces.len());
        for piece in &pieces {
            let start = match piece {
                &Segment::Straight(start, _) => start,
                Segment::Loop(l) => l.start,
            };
            let id = jit.define(false, |b, _| {
                let block = b.create_block();
                b.append_block_params_for_function_params(block);
                b.switch_to_block(block);
                let work = b.block_params(block)[0];
                let mut sweep = Sweep {
                    layout,
                    work,
                    start,
                    adjoints: std::collections::HashMap::new(),
                    frame: None,
                    own_copy: None,
                };
                match piece {
                    &Segment::Straight(start, end) => {
                        for i in (start..end).rev() {
                            sweep.entry(b, i, instructions[i], [0; 3]);
                        }
                    }
                    Segment::Loop(l) => sweep.repeat(b, l, instructions),
                }
                b.ins().return_(&[]);
                Ok(())
            })?;
            sweep_ids.push((start, id));
        }
        jit.finish()?;
        // SAFETY: each function was defined with the signature of its type: a pointer
        // in, an i64 out (forward) or nothing (sweep), the platform's C convention.
        let forward = forward_ids
            .into_iter()
            .map(|id| unsafe { std::mem::transmute::<*const u8, ForwardFn>(jit.address(id)) })
            .collect();
        let sweep = sweep_ids
            .into_iter()
            .map(|(start, id)| {
                let f = unsafe { std::mem::transmute::<*const u8, SweepFn>(jit.address(id)) };
                (start, f)
            })
            .collect();
        let code_bytes = jit.code_bytes();
        Ok(Compiled {
            _jit: jit,
            forward,
            sweep,
            layout,
            len,
            inputs,
            outputs: program.outputs().to_vec(),
            code_bytes,
            program: program.id(),
            second: std::array::from_fn(|_| std::sync::OnceLock::new()),
            chain_tangents: std::sync::OnceLock::new(),
        })
    }

    /// The machine code's size in bytes.
    pub fn code_bytes(&self) -> usize {
        self.code_bytes
    }

    /// The forward pass at `x` into `work` (made long enough).
    fn forward(&self, x: &[f64], work: &mut Vec<f64>) -> Result<(), Exit> {
        if x.len() != self.inputs || self.layout.lanes() != 1 {
            return Err(Exit::Other);
        }
        self.reserve(work)?;
        work[..self.inputs].copy_from_slice(x);
        self.run_forward(work)
    }

    /// `work` made long enough for the layout.
    fn reserve(&self, work: &mut Vec<f64>) -> Result<(), Exit> {
        let total = self.layout.total();
        if work.len() < total {
            work.try_reserve(total - work.len())
                .map_err(|_| Exit::Other)?;
            work.resize(total, 0.0);
        }
        Ok(())
    }

    /// The forward pass's functions on `work`, which holds the inputs.
    fn run_forward(&self, work: &mut [f64]) -> Result<(), Exit> {
        debug_assert!(work.len() >= self.layout.total());
        for f in &self.forward {
            // SAFETY: `work` holds the layout's buffer for this program.
            let status = unsafe { f(work.as_mut_ptr()) };
            if status > 0 {
                return Err(Exit::Guard(status as usize - 1));
            }
            if status < 0 {
                return Err(Exit::Entry((-status - 1) as usize));
            }
        }
        Ok(())
    }

    fn output_value(&self, work: &[f64], k: usize) -> f64 {
        self.lane_output(work, k, 0)
    }

    /// Output `k`'s value in lane `lane`.
    fn lane_output(&self, work: &[f64], k: usize, lane: usize) -> f64 {
        match self.outputs[k] {
            Value::Entry(i) => work[i as usize * self.layout.lanes() + lane],
            Value::Constant(c) => c,
        }
    }

    /// After a forward pass: the adjoints for output `k` in `work`'s adjoints (in every
    /// lane).
    fn sweep_output(&self, work: &mut [f64], k: usize) -> Result<(), Exit> {
        let lanes = self.layout.lanes();
        let start = self.layout.adjoints_start();
        let adjoints = &mut work[start..start + self.len * lanes];
        adjoints.fill(0.0);
        let Some(&output) = self.outputs.get(k) else {
            return Err(Exit::Other);
        };
        if let Value::Entry(o) = output {
            let o = o as usize;
            adjoints[o * lanes..(o + 1) * lanes].fill(1.0);
            self.run_sweep(work, o + 1);
        }
        Ok(())
    }

    /// The sweep's functions on `work`, whose adjoints are seeded at entries below
    /// `end` only.
    fn run_sweep(&self, work: &mut [f64], end: usize) {
        for &(first, f) in self.sweep.iter().rev() {
            if first < end || first == self.inputs {
                // SAFETY: as in `forward`.
                unsafe { f(work.as_mut_ptr()) };
            }
        }
    }

    /// The outputs' values at `x`.
    pub fn values(&self, x: &[f64], work: &mut Vec<f64>) -> Result<Vec<f64>, Exit> {
        self.forward(x, work)?;
        Ok((0..self.outputs.len())
            .map(|k| self.output_value(work, k))
            .collect())
    }

    /// The value of output `k` at `x` and its gradient, written into `gradient`.
    pub fn value_and_gradient(
        &self,
        x: &[f64],
        k: usize,
        gradient: &mut [f64],
        work: &mut Vec<f64>,
    ) -> Result<f64, Exit> {
        if gradient.len() != self.inputs || k >= self.outputs.len() || self.layout.lanes() != 1 {
            return Err(Exit::Other);
        }
        self.forward(x, work)?;
        self.sweep_output(work, k)?;
        let start = self.layout.adjoints_start();
        gradient.copy_from_slice(&work[start..start + self.inputs]);
        Ok(self.output_value(work, k))
    }

    /// The outputs' values and the Jacobian at `x`, row-major, by one sweep per output;
    /// `None` when there are fewer inputs than outputs (the interpreter takes forward
    /// tangents then, whose sums differ).
    pub fn jacobian(
        &self,
        x: &[f64],
        jacobian: &mut [f64],
        work: &mut Vec<f64>,
    ) -> Option<Result<Vec<f64>, Exit>> {
        let (n, m) = (self.inputs, self.outputs.len());
        if n < m || self.layout.lanes() != 1 {
            return None;
        }
        Some((|| {
            if jacobian.len() != m * n {
                return Err(Exit::Other);
            }
            self.forward(x, work)?;
            let start = self.layout.adjoints_start();
            for k in 0..m {
                self.sweep_output(work, k)?;
                jacobian[k * n..(k + 1) * n].copy_from_slice(&work[start..start + n]);
            }
            Ok((0..m).map(|k| self.output_value(work, k)).collect())
        })())
    }

    /// The second-order passes of `program` for `lanes` directions a pass (1 to
    /// [`LANES`]), compiled on first use, if they compile; `None` too for a program
    /// other than the one this was compiled from (or a clone of it), whose code would
    /// not fit this one's working memory.
    pub fn second_order(&self, program: &Program, lanes: usize) -> Option<&SecondOrder> {
        if program.id() != self.program {
            return None;
        }
        self.second
            .get(lanes.checked_sub(1)?)?
            .get_or_init(|| SecondOrder::new(program, lanes).ok())
            .as_ref()
    }

    /// Passes of Hessian-vector products, `lanes` directions each, as the interpreter's
    /// `hessian_lanes` makes them: the forward pass at `x`; then for each of `passes`
    /// passes, the adjoints seeded by `adjoints` (which returns one past the last entry
    /// it seeded, 0 for none), the inputs' tangents by `seed(pass, set)` (`set(j, l, t)`
    /// gives input `j` the tangent `t` in lane `l`), the code run, and `read(pass, get)`
    /// given the products (`get(j, l)`: lane `l` of `H·v` at input `j`). `None` when
    /// the second-order code does not compile.
    #[allow(clippy::too_many_arguments)]
    pub fn second_passes(
        &self,
        program: &Program,
        x: &[f64],
        lanes: usize,
        passes: usize,
        adjoints: impl Fn(&mut [f64]) -> usize,
        mut seed: impl FnMut(usize, &mut dyn FnMut(usize, usize, f64)),
        mut read: impl FnMut(usize, &dyn Fn(usize, usize) -> f64),
        work: &mut Vec<f64>,
    ) -> Option<Result<(), Exit>> {
        let second = self.second_order(program, lanes)?;
        Some((|| {
            if self.layout.lanes() != 1 {
                return Err(Exit::Other);
            }
            self.forward(x, work)?;
            let total = self.layout.total() + second.buffer();
            if work.len() < total {
                work.try_reserve(total - work.len())
                    .map_err(|_| Exit::Other)?;
                work.resize(total, 0.0);
            }
            let (work, buffer) = work.split_at_mut(self.layout.total());
            let buffer = &mut buffer[..second.buffer()];
            let start = self.layout.adjoints_start();
            for pass in 0..passes {
                buffer.fill(0.0);
                let seeded = &mut work[start..start + self.len];
                seeded.fill(0.0);
                let end = adjoints(seeded);
                if end > 0 {
                    seed(pass, &mut |j, l, t| buffer[second.seed_at(j, l)] = t);
                    second.run(work, buffer, end);
                }
                read(pass, &|j, l| buffer[second.product_at(j, l)]);
            }
            Ok(())
        })())
    }

    /// The adjoints seeded for output `k`: 1 at its entry; returns one past it (0 for a
    /// constant output, whose second derivatives are 0).
    fn seed_output(&self, k: usize) -> impl Fn(&mut [f64]) -> usize + '_ {
        move |adjoints| match self.outputs[k] {
            Value::Entry(o) => {
                adjoints[o as usize] = 1.0;
                o as usize + 1
            }
            Value::Constant(_) => 0,
        }
    }

    /// The value of output `k` at `x` and the Hessian-vector product `H·v`, written
    /// into `product`; `None` when the second-order code does not compile.
    pub fn hvp(
        &self,
        program: &Program,
        x: &[f64],
        k: usize,
        v: &[f64],
        product: &mut [f64],
        work: &mut Vec<f64>,
    ) -> Option<Result<f64, Exit>> {
        let n = self.inputs;
        if v.len() != n || product.len() != n || k >= self.outputs.len() {
            return Some(Err(Exit::Other));
        }
        let seed = |_, set: &mut dyn FnMut(usize, usize, f64)| {
            for (j, &vj) in v.iter().enumerate() {
                set(j, 0, vj);
            }
        };
        let read = |_, get: &dyn Fn(usize, usize) -> f64| {
            for (j, p) in product.iter_mut().enumerate() {
                *p = get(j, 0);
            }
        };
        let done = self.second_passes(program, x, 1, 1, self.seed_output(k), seed, read, work);
        Some(done?.map(|()| self.output_value(work, k)))
    }

    /// The value of output `k` at `x` and its Hessian (row-major, n × n), written into
    /// `hessian`, [`LANES`] columns a pass as the interpreter takes them; `None` when
    /// the second-order code does not compile.
    pub fn hessian(
        &self,
        program: &Program,
        x: &[f64],
        k: usize,
        hessian: &mut [f64],
        work: &mut Vec<f64>,
    ) -> Option<Result<f64, Exit>> {
        let n = self.inputs;
        if hessian.len() != n * n || k >= self.outputs.len() {
            return Some(Err(Exit::Other));
        }
        let passes = n.div_ceil(LANES);
        let lanes = |pass: usize| LANES.min(n - pass * LANES);
        let seed = |pass: usize, set: &mut dyn FnMut(usize, usize, f64)| {
            for l in 0..lanes(pass) {
                set(pass * LANES + l, l, 1.0);
            }
        };
        // Column j + l is H·e_(j+l); the Hessian is symmetric, so write rows.
        let read = |pass: usize, get: &dyn Fn(usize, usize) -> f64| {
            let j = pass * LANES;
            for row in 0..n {
                for l in 0..lanes(pass) {
                    hessian[(j + l) * n + row] = get(row, l);
                }
            }
        };
        let done = self.second_passes(
            program,
            x,
            LANES,
            passes,
            self.seed_output(k),
            seed,
            read,
            work,
        );
        Some(done?.map(|()| self.output_value(work, k)))
    }

    /// The nonzeros of `Σ weights[k] · ∇²output_k` at `x` into `values`, in the order
    /// of `plan.pattern`, with the interpreter's passes (`Program::sparse_hessian`);
    /// `None` when the second-order code does not compile.
    pub fn sparse_hessian(
        &self,
        program: &Program,
        plan: &HessianPlan,
        x: &[f64],
        weights: &[f64],
        values: &mut [f64],
        work: &mut Vec<f64>,
    ) -> Option<Result<(), Exit>> {
        let n = self.inputs;
        let pattern = &plan.pattern;
        if weights.len() != self.outputs.len() || values.len() != pattern.nnz() || pattern.rows != n
        {
            return Some(Err(Exit::Other));
        }
        let mut compressed = Vec::new();
        let size = n * plan.colouring.count;
        if compressed.try_reserve(size).is_err() {
            return Some(Err(Exit::Other));
        }
        compressed.resize(size, 0.0);
        let (lanes, passes) = plan.passes();
        let adjoints = |a: &mut [f64]| program.seed_weights(weights, a);
        let seed = |pass, set: &mut dyn FnMut(usize, usize, f64)| {
            for j in 0..n {
                if let Some(l) = plan.lane(pass, j) {
                    set(j, l, 1.0);
                }
            }
        };
        let read =
            |pass, get: &dyn Fn(usize, usize) -> f64| plan.gather(pass, get, &mut compressed);
        let done = self.second_passes(program, x, lanes, passes, adjoints, seed, read, work);
        Some(done?.map(|()| plan.recover(&compressed, values)))
    }

    /// The outputs' values at `x`, and the Jacobian's nonzeros into `values` in the
    /// order of `plan.pattern`, with the interpreter's passes (`Program::sparse_jacobian`):
    /// forward tangent passes (compiled on first use) or the sweep, one a colour.
    /// `None` when the forward passes do not compile.
    pub fn sparse_jacobian(
        &self,
        program: &Program,
        plan: &JacobianPlan,
        x: &[f64],
        values: &mut [f64],
        work: &mut Vec<f64>,
    ) -> Option<Result<Vec<f64>, Exit>> {
        if program.id() != self.program || self.layout.lanes() != 1 {
            return None;
        }
        let tangents = match plan.direction {
            Direction::Forward => Some(
                self.chain_tangents
                    .get_or_init(|| ChainTangents::new(program).ok())
                    .as_ref()?,
            ),
            Direction::Reverse => None,
        };
        let (n, m) = (self.inputs, self.outputs.len());
        let pattern = &plan.pattern;
        if values.len() != pattern.nnz() || pattern.rows != m || pattern.cols != n {
            return Some(Err(Exit::Other));
        }
        Some((|| {
            let mut compressed = Vec::new();
            let size = plan.compressed_len();
            compressed.try_reserve(size).map_err(|_| Exit::Other)?;
            compressed.resize(size, 0.0);
            self.forward(x, work)?;
            let (count, colours) = (plan.colouring.count, &plan.colouring.colours);
            let start = self.layout.adjoints_start();
            for c in 0..count {
                work[start..start + self.len].fill(0.0);
                if let Some(tangents) = tangents {
                    // The inputs of colour c seeded in the adjoints' slots, every tangent
                    // from theirs.
                    for (j, &colour) in colours.iter().enumerate().take(n) {
                        if colour as usize == c {
                            work[start + j] = 1.0;
                        }
                    }
                    tangents.run(work);
                    for k in 0..m {
                        compressed[k * count + c] = match self.outputs[k] {
                            Value::Entry(i) => work[start + i as usize],
                            Value::Constant(_) => 0.0,
                        };
                    }
                } else {
                    let end = program.seed_colour(plan, c, &mut work[start..start + self.len]);
                    if end > 0 {
                        self.run_sweep(work, end);
                    }
                    for j in 0..n {
                        compressed[j * count + c] = work[start + j];
                    }
                }
            }
            plan.recover(&compressed, values);
            Ok((0..m).map(|k| self.output_value(work, k)).collect())
        })())
    }
}
