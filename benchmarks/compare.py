"""wengert against plain floats, complex numbers and other differentiation packages.

    pip install '.[bench]'           # the optional peers that install from PyPI
    python benchmarks/compare.py     # a few minutes; writes benchmarks/RESULTS.md

Run it on a release build (``pip install .``, or ``maturin develop --release``). Every
contender runs in this one process, on the same inputs, interleaved: each repetition times
every contender once, in turn, so that a slow spell of a busy machine hurts all of them
alike. A contender's time is the median of its repetitions, and each contender's answer is
checked against the exact derivative (a closed formula) before it is timed: a wrong answer
is reported, never timed. Read the ratios; absolute times drift with the machine.

The workloads:

- W1: ``f(x, y) = 5x³ - 4x² + 10x - y``, its value and both partials (8 operations): the
  overhead of a small call.
- W2: the Rosenbrock function as a scalar Python loop, ``s += 100 (x[i+1] - x[i]·x[i])² +
  (1 - x[i])²`` written with ``*`` only (8 operations a term), and its full gradient:
  arithmetic with mixed float and differentiable operands.
- W3: ``s += sin(x[i]) · exp(-x[i]·x[i]) / sqrt(1 + x[i]·x[i])`` (10 operations a term), full
  gradient: the elementary functions.
- W4: single operations ``a*b``, ``a+b``, ``a*2.0``, ``2.0*a``, ``a.sin()``: the floor per
  operation, against the same operation on ``float`` and ``complex``.
- W5: the backward sweep alone, over a tape of a million entries.
- W6: the resident memory of a tape of ten million entries, measured in a fresh interpreter.
- REPLAY: W2 (n = 1000) recorded once with ``wengert.record`` and replayed natively:
  ``Recording.value_and_gradient``, and ``gradients`` over a batch of points, against
  recording again (Record) and CasADi's compiled gradient function.
- HESSIAN: the exact Hessian of W2 at n = 100 (100 variables): ``Recording.hessian``
  (forward-over-reverse replay) against ``jax.jit(jax.hessian(f))``, num-dual's
  ``hessian`` and CasADi's compiled Hessian, each checked against the closed formula.

Peers that are not installed are skipped with a note; so is a workload a peer cannot express
(micrograd has no ``sin`` or ``exp``). JAX runs W2 and W3 at n = 100 unless ``--slow`` is
given: tracing and compiling the n = 1000 loop takes it minutes (its compile time is
reported on a row of its own, as is CasADi's build time).

Options: ``--quick`` (fewer repetitions; no JAX, PyTorch or autograd; prints only, unless
``--output`` is given), ``--slow`` (JAX at n = 1000 too), ``--only W2,W4``,
``--output PATH`` (default ``benchmarks/RESULTS.md``), ``--big-tape`` (also run
``benchmarks/big_tape.py``: a tape of 10^8 entries, about a minute and 3 GiB, and add its
figures), ``--readme`` (also copy the summary rows that have a target into README.md,
between its ``results-summary`` markers; the documentation shows the whole summary).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib
import importlib.metadata
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from operator import methodcaller
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import wengert
from wengert import Record, Trace, WengertList

from _common import kept_section

# The value of a function and its derivatives by input index: all of them for a gradient,
# the one chosen direction for a single forward pass.
Answer = tuple[float, dict[int, float]]

N = 1000  # the size of W2 and W3
SMALL_N = 100  # the size at which JAX runs them by default, and MultiTrace with all n tangents
SWEEP_ENTRIES = 1_000_000  # W5
MEMORY_ENTRIES = 10_000_000  # W6

PEERS = {  # import name: distribution name, for the versions in the report
    "num_dual": "num-dual",
    "micrograd": "micrograd",
    "autograd": "autograd",
    "casadi": "casadi",
    "torch": "torch",
    "jax": "jax",
}
SLOW_PEERS = {"autograd", "torch", "jax"}
MATH = ("sin", "exp", "sqrt")  # the math functions W3 uses


# ---------------------------------------------------------------------------------------
# The workloads, written once for every number type, and their exact derivatives.


def w1(x: Any, y: Any) -> Any:
    """W1: 5x³ - 4x² + 10x - y."""
    return 5.0 * x**3 - 4.0 * x**2 + 10.0 * x - y


W1_POINT = (1.5, 2.5)  # not 1: there x, x² and x³ agree and would hide a wrong power rule
W1_OPS = 8


def w1_exact() -> Answer:
    x, y = W1_POINT
    return w1(x, y), {0: 15.0 * x * x - 8.0 * x + 10.0, 1: -1.0}


def rosenbrock(x: Sequence[Any]) -> Any:
    """W2: the sum of 100 (x[i+1] - x[i]²)² + (1 - x[i])², written with * only."""
    s: Any = 0.0
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]
        b = 1.0 - x[i]
        s = s + 100.0 * a * a + b * b
    return s


def w2_point(n: int) -> list[float]:
    return [0.5 + 0.001 * i for i in range(n)]


def w2_ops(n: int) -> int:
    return 8 * (n - 1)


def w2_exact(n: int) -> Answer:
    x = w2_point(n)
    gradient = [0.0] * n
    for i in range(n - 1):
        a = x[i + 1] - x[i] * x[i]
        gradient[i] += -400.0 * x[i] * a - 2.0 * (1.0 - x[i])
        gradient[i + 1] += 200.0 * a
    return rosenbrock(x), dict(enumerate(gradient))


def w2_hessian_exact(n: int) -> Answer:
    """W2's value and Hessian at its point, the Hessian flattened row-major."""
    x = w2_point(n)
    h = [[0.0] * n for _ in range(n)]
    for i in range(n - 1):
        a = x[i + 1] - x[i] * x[i]
        h[i][i] += -400.0 * a + 800.0 * x[i] * x[i] + 2.0
        h[i][i + 1] += -400.0 * x[i]
        h[i + 1][i] += -400.0 * x[i]
        h[i + 1][i + 1] += 200.0
    return rosenbrock(x), {i * n + j: h[i][j] for i in range(n) for j in range(n)}


def flat(value: Any, matrix: Any) -> Answer:
    """A value and a square matrix (any nested sequence or array) as an Answer."""
    rows = [[float(v) for v in row] for row in matrix]
    n = len(rows)
    return float(value), {i * n + j: rows[i][j] for i in range(n) for j in range(n)}


def bumps(x: Sequence[Any], sin: Callable[[Any], Any], exp: Callable[[Any], Any],
          sqrt: Callable[[Any], Any]) -> Any:  # fmt: skip
    """W3: the sum of sin(x[i]) exp(-x[i]·x[i]) / sqrt(1 + x[i]·x[i])."""
    s: Any = 0.0
    for xi in x:
        s = s + sin(xi) * exp(-xi * xi) / sqrt(1.0 + xi * xi)
    return s


def w3_point(n: int) -> list[float]:
    return [-2.0 + 4.0 * i / n for i in range(n)]


def w3_ops(n: int) -> int:
    return 10 * n


def w3_exact(n: int) -> Answer:
    x = w3_point(n)
    gradient = {}
    for i, v in enumerate(x):
        g, root = math.exp(-v * v), math.sqrt(1.0 + v * v)  # d/dv: -2v g, v / root
        numerator, d_numerator = math.sin(v) * g, (math.cos(v) - 2.0 * v * math.sin(v)) * g
        gradient[i] = d_numerator / root - numerator * v / root**3
    return bumps(x, math.sin, math.exp, math.sqrt), gradient


# ---------------------------------------------------------------------------------------
# Contenders and the results table.


@dataclass
class Contender:
    """One way of computing a workload: ``run`` is timed, ``check`` gives its answer."""

    name: str
    run: Callable[[], object] | None  # None: skipped, ``note`` says why
    check: Callable[[], Answer] | None = None  # None: skipped
    role: str = ""  # "float", "complex", "trace", "record", ...: for ratios and targets
    note: str = ""
    setup: tuple[str, float] | None = None  # a one-off cost: (what, seconds)


def skipped(name: str, why: str) -> Contender:
    return Contender(name, None, note=why)


def value_only(name: str, run: Callable[[], Any]) -> Contender:
    """Plain floats: the value alone, checked, without derivatives."""
    return Contender(name, run, lambda: (run(), {}), role="float")


@dataclass
class Row:
    section: str
    name: str
    seconds: float | None = None
    per_op: str = ""
    vs_trace: str = ""
    vs_record: str = ""
    target: str = ""
    note: str = ""
    role: str = ""
    one_off: bool = False  # a setup cost, paid once: no ratio


@dataclass
class Settings:
    repeats: int
    min_sample: float  # seconds: each sample repeats a call until it lasts this long
    quick: bool
    slow: bool
    only: set[str]
    peers: dict[str, ModuleType | None] = field(default_factory=dict)

    def peer(self, name: str) -> ModuleType | None:
        """The peer's module, or None when it is not installed or not wanted."""
        if name not in self.peers:
            module = None
            if not (self.quick and name in SLOW_PEERS):
                try:
                    module = importlib.import_module(name)
                except ImportError:
                    module = None
            if name == "jax" and module is not None:
                module.config.update("jax_enable_x64", True)  # float64, as everyone else
            self.peers[name] = module
        return self.peers[name]

    def absent(self, name: str) -> str:
        if self.quick and name in SLOW_PEERS:
            return "skipped by --quick"
        return f"not installed ({PEERS[name]})"


def format_seconds(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def sample(run: Callable[[], object], number: int) -> float:
    """CPU seconds per call of ``run`` over ``number`` calls, the garbage collector off.

    CPU time of this process, not wall time: on a busy machine, the time other programs
    hold the processor would otherwise be counted against whoever was running.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.process_time()
        for _ in range(number):
            run()
        return (time.process_time() - start) / number
    finally:
        if enabled:
            gc.enable()


def calls_per_sample(run: Callable[[], object], min_sample: float) -> int:
    """How many calls of ``run`` make a sample of at least ``min_sample`` seconds."""
    number = 1
    while True:
        elapsed = sample(run, number) * number
        if elapsed >= min_sample or number >= 1 << 20:
            return number
        guess = int(number * 1.2 * min_sample / max(elapsed, 1e-7)) + 1
        number = min(1 << 20, max(2 * number, guess))


def interleaved(runs: Mapping[str, Callable[[], object]], settings: Settings) -> dict[str, float]:
    """Median CPU seconds per call of each run, timed round-robin."""
    numbers = {name: calls_per_sample(run, settings.min_sample) for name, run in runs.items()}
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(settings.repeats):
        gc.collect()  # once a round: with large packages loaded it takes a tenth of a second
        for name, run in runs.items():
            samples[name].append(sample(run, numbers[name]))
    return {name: statistics.median(times) for name, times in samples.items()}


def verdict(answer: Answer, exact: Answer) -> str:
    """An empty string when ``answer`` agrees with ``exact`` to rounding, else what differs."""
    value, derivatives = answer
    exact_value, exact_derivatives = exact
    scale = max(1.0, *(abs(d) for d in exact_derivatives.values()))
    if not math.isclose(value, exact_value, rel_tol=1e-9, abs_tol=1e-12):
        return f"value {value!r}, expected {exact_value!r}"
    if not set(derivatives) <= set(exact_derivatives):
        return "derivatives of unknown inputs"
    for i, d in derivatives.items():
        if not math.isclose(d, exact_derivatives[i], rel_tol=1e-9, abs_tol=1e-12 * scale):
            return f"derivative {i} is {d!r}, expected {exact_derivatives[i]!r}"
    return ""


def measure(
    section: str, ops: int, exact: Answer, contenders: list[Contender], settings: Settings
) -> list[Row]:
    """Check every contender's answer, time the correct ones together, and make the rows."""
    rows = {c.name: Row(section, c.name, note=c.note, role=c.role) for c in contenders}
    runs: dict[str, Callable[[], object]] = {}
    for c in contenders:
        if c.run is None:
            continue
        try:
            answer = c.check() if c.check else (math.nan, {})
            if not answer[1] and c.role != "float":
                wrong = "no derivatives"
            else:
                wrong = verdict(answer, exact)
            failure = "WRONG"
        except Exception as error:  # a peer that fails is reported, not fatal
            wrong, failure = f"raised {type(error).__name__}: {error}", "FAILED"
        if wrong:
            rows[c.name].note = f"{failure}, not timed: {wrong}"
        else:
            runs[c.name] = c.run
    print(f"  {section}: timing {len(runs)} contenders", file=sys.stderr)
    times = interleaved(runs, settings)
    out: list[Row] = []
    for c in contenders:
        row = rows[c.name]
        if c.name in times:
            row.seconds = times[c.name]
            row.per_op = format_seconds(row.seconds / ops)
        out.append(row)
        if c.setup is not None:
            what, seconds = c.setup
            note = "one-off, not in the row above"
            out.append(Row(section, f"{c.name}: {what}", seconds, note=note, one_off=True))
    ratios(out)
    return out


def ratios(rows: list[Row]) -> None:
    """Fill in each row's time as a multiple of wengert's Trace and Record times."""
    for role, column in (("trace", "vs_trace"), ("record", "vs_record")):
        ours = next((r.seconds for r in rows if r.role == role and r.seconds), None)
        for row in rows:
            if ours and row.seconds is not None and not row.one_off:
                setattr(row, column, f"{row.seconds / ours:.2f}")


# ---------------------------------------------------------------------------------------
# W1, W2, W3: each contender of each workload.


def multi_trace() -> Any:
    """wengert.MultiTrace (k tangents in one pass), when this build has it."""
    return getattr(wengert, "MultiTrace", None)


NO_MULTI = "wengert.MultiTrace is not in this build"


def run_w1(settings: Settings) -> list[Row]:
    x0, y0 = W1_POINT
    contenders = [value_only("plain float, value only", lambda: w1(x0, y0))]

    def trace_both() -> Answer:
        dx = w1(Trace.variable(x0), Trace.constant(y0))
        dy = w1(Trace.constant(x0), Trace.variable(y0))
        return dx.number, {0: dx.derivative, 1: dy.derivative}

    contenders.append(Contender("wengert Trace, 2 passes", trace_both, trace_both, "trace"))

    def record() -> Answer:
        tape = WengertList()
        x, y = tape.variable(x0), tape.variable(y0)
        f = w1(x, y)
        d = f.derivatives()
        return f.number, {0: d[x], 1: d[y]}

    contenders.append(Contender("wengert Record, record + backward", record, record, "record"))
    contenders.append(multi_trace_w1(x0, y0))
    contenders += num_dual_w1(settings, x0, y0)
    contenders.append(micrograd_w1(settings, x0, y0))
    contenders.append(autograd_w1(settings, x0, y0))
    contenders.append(casadi_w1(settings, x0, y0))
    contenders.append(torch_w1(settings, x0, y0))
    contenders.append(jax_w1(settings, x0, y0))
    return measure("W1", W1_OPS, w1_exact(), contenders, settings)


def multi_trace_w1(x0: float, y0: float) -> Contender:
    name = "wengert MultiTrace, 2 tangents"
    multi = multi_trace()
    if multi is None:
        return skipped(name, NO_MULTI)

    def run() -> Answer:
        f = w1(*multi.variables([x0, y0]))
        return f.number, dict(enumerate(float(d) for d in f.derivative))

    return Contender(name, run, run, "multi")


def num_dual_w1(settings: Settings, x0: float, y0: float) -> list[Contender]:
    nd = settings.peer("num_dual")
    if nd is None:
        return [skipped("num-dual Dual64", settings.absent("num_dual"))]
    dual = nd.Dual64

    def both() -> Answer:
        dx = w1(dual(x0, 1.0), dual(y0, 0.0))
        dy = w1(dual(x0, 0.0), dual(y0, 1.0))
        return dx.value, {0: dx.first_derivative, 1: dy.first_derivative}

    def gradient() -> Answer:
        value, g = nd.gradient(lambda v: w1(v[0], v[1]), [x0, y0])
        return value, dict(enumerate(g))

    return [
        Contender("num-dual Dual64, 2 passes", both, both, "num-dual"),
        Contender("num-dual gradient()", gradient, gradient),
    ]


def micrograd_w1(settings: Settings, x0: float, y0: float) -> Contender:
    mg = settings.peer("micrograd")
    if mg is None:
        return skipped("micrograd", settings.absent("micrograd"))
    value = importlib.import_module("micrograd.engine").Value

    def run() -> Answer:
        x, y = value(x0), value(y0)
        f = w1(x, y)
        f.backward()
        return f.data, {0: x.grad, 1: y.grad}

    return Contender("micrograd, record + backward", run, run, "micrograd")


def autograd_w1(settings: Settings, x0: float, y0: float) -> Contender:
    ag = settings.peer("autograd")
    if ag is None:
        return skipped("HIPS autograd", settings.absent("autograd"))
    f = ag.value_and_grad(w1, (0, 1))

    def run() -> Answer:
        value, (dx, dy) = f(x0, y0)
        return float(value), {0: float(dx), 1: float(dy)}

    return Contender("HIPS autograd value_and_grad", run, run)


def casadi_w1(settings: Settings, x0: float, y0: float) -> Contender:
    ca = settings.peer("casadi")
    if ca is None:
        return skipped("CasADi SX", settings.absent("casadi"))
    start = time.perf_counter()
    x, y = ca.SX.sym("x"), ca.SX.sym("y")
    expression = w1(x, y)
    f = ca.Function("w1", [x, y], [expression, ca.gradient(expression, ca.vertcat(x, y))])
    build = time.perf_counter() - start

    def run() -> Answer:
        value, g = f(x0, y0)
        return float(value), {0: float(g[0]), 1: float(g[1])}

    return Contender("CasADi SX Function", run, run, setup=("build graph + gradient", build))


def torch_w1(settings: Settings, x0: float, y0: float) -> Contender:
    torch = settings.peer("torch")
    if torch is None:
        return skipped("PyTorch 0-d tensors", settings.absent("torch"))

    def run() -> Answer:
        x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        y = torch.tensor(y0, dtype=torch.float64, requires_grad=True)
        f = w1(x, y)
        f.backward()
        return f.item(), {0: x.grad.item(), 1: y.grad.item()}

    return Contender("PyTorch 0-d tensors, record + backward", run, run)


def jax_w1(settings: Settings, x0: float, y0: float) -> Contender:
    jax = settings.peer("jax")
    if jax is None:
        return skipped("JAX jit(value_and_grad)", settings.absent("jax"))
    f = jax.jit(jax.value_and_grad(w1, (0, 1)))
    start = time.perf_counter()
    jax.block_until_ready(f(x0, y0))
    compile_seconds = time.perf_counter() - start

    def run() -> Answer:
        value, (dx, dy) = f(x0, y0)
        return float(value), {0: float(dx), 1: float(dy)}

    setup = ("trace + compile (first call)", compile_seconds)
    return Contender("JAX jit(value_and_grad)", run, run, setup=setup)


def run_w2(settings: Settings) -> list[Row]:
    values = w2_point(N)
    slow_n = N if settings.slow else SMALL_N
    contenders = wengert_loop(values, rosenbrock, "W2")
    contenders.append(multi_trace_subset(values, rosenbrock, 10))
    contenders.append(trace_passes(values, rosenbrock, 10))
    contenders += num_dual_loop(settings, values, rosenbrock)
    contenders.append(micrograd_w2(settings, values))
    contenders.append(casadi_loop(settings, values, rosenbrock, lambda ca: None))
    contenders.append(torch_loop(settings, values, rosenbrock, lambda torch: None))
    small = w2_point(SMALL_N)
    small_contenders = wengert_loop(small, rosenbrock, "W2")
    small_contenders.append(multi_trace_subset(small, rosenbrock, SMALL_N))
    contenders.append(autograd_loop(settings, values, rosenbrock, lambda anp: None))
    jax = jax_loop(settings, w2_point(slow_n), rosenbrock, lambda jnp: None)
    (contenders if settings.slow else small_contenders).append(jax)
    return measure(f"W2, n = {N}", w2_ops(N), w2_exact(N), contenders, settings) + measure(
        f"W2, n = {SMALL_N}", w2_ops(SMALL_N), w2_exact(SMALL_N), small_contenders, settings
    )


def run_w3(settings: Settings) -> list[Row]:
    values = w3_point(N)
    slow_n = N if settings.slow else SMALL_N

    def with_methods(cls: Any) -> Callable[[Sequence[Any]], Any]:
        return lambda x: bumps(x, cls.sin, cls.exp, cls.sqrt)

    def with_module(module: Any) -> Callable[[Sequence[Any]], Any]:
        return lambda x: bumps(x, module.sin, module.exp, module.sqrt)

    contenders = wengert_loop(values, with_methods, "W3")
    contenders += num_dual_loop(settings, values, with_methods)
    contenders.append(skipped("micrograd", "has no sin or exp"))
    contenders.append(casadi_loop(settings, values, with_module, lambda ca: ca))
    contenders.append(torch_loop(settings, values, with_module, lambda torch: torch))
    small = w3_point(SMALL_N)
    small_contenders = wengert_loop(small, with_methods, "W3")
    contenders.append(autograd_loop(settings, values, with_module, lambda anp: anp))
    jax = jax_loop(settings, w3_point(slow_n), with_module, lambda jnp: jnp)
    (contenders if settings.slow else small_contenders).append(jax)
    return measure(f"W3, n = {N}", w3_ops(N), w3_exact(N), contenders, settings) + measure(
        f"W3, n = {SMALL_N}", w3_ops(SMALL_N), w3_exact(SMALL_N), small_contenders, settings
    )


# A workload over a list of inputs: W2's ``rosenbrock`` itself, or for W3 a maker that,
# given the number type or module whose sin, exp and sqrt to use, returns the function.
Loop = Callable[[Sequence[Any]], Any]
LoopMaker = Callable[[Any], Loop]


def specialise(workload: Loop | LoopMaker, functions: Any) -> Loop:
    """The workload with the math functions of ``functions`` (None for W2, which has none)."""
    if workload is rosenbrock:
        return rosenbrock
    return workload(functions)


def wengert_loop(values: list[float], workload: Loop | LoopMaker, name: str) -> list[Contender]:
    floats = specialise(workload, math)
    traced = specialise(workload, Trace)
    recorded = specialise(workload, Record)

    def trace() -> Answer:
        x = [Trace.constant(v) for v in values]
        x[0] = Trace.variable(values[0])
        y = traced(x)
        return y.number, {0: y.derivative}

    def record() -> Answer:
        tape = WengertList()
        x = tape.variables(values)
        y = recorded(x)
        d = y.derivatives()
        return y.number, {i: d[xi] for i, xi in enumerate(x)}

    def record_run() -> object:
        return recorded(WengertList().variables(values)).derivatives()

    return [
        value_only("plain float, value only", lambda: floats(values)),
        Contender("wengert Trace, one direction", trace, trace, "trace"),
        Contender("wengert Record, record + backward", record_run, record, "record"),
    ]


def multi_trace_subset(values: list[float], workload: Loop | LoopMaker, k: int) -> Contender:
    """MultiTrace with the first k inputs as variables (k tangents), the rest plain floats."""
    every = k == len(values)
    name = "wengert MultiTrace, " + ("all n tangents" if every else f"{k} tangents")
    multi = multi_trace()
    if multi is None:
        return skipped(name, NO_MULTI)
    f = specialise(workload, multi)

    def run() -> Answer:
        y = f(list(multi.variables(values[:k])) + values[k:])
        return y.number, dict(enumerate(float(d) for d in y.derivative))

    return Contender(name, run, run, "multi", note="" if every else f"the first {k} inputs")


def trace_passes(values: list[float], workload: Loop | LoopMaker, k: int) -> Contender:
    """k Trace passes, one per input among the first k, the other inputs plain floats."""
    f = specialise(workload, Trace)

    def run() -> Answer:
        derivatives: dict[int, float] = {}
        number = math.nan
        for j in range(k):
            x: list[Any] = list(values)
            x[j] = Trace.variable(values[j])
            y = f(x)
            derivatives[j], number = y.derivative, y.number
        return number, derivatives

    return Contender(
        f"wengert Trace, {k} passes", run, run, note=f"one pass for each of the first {k} inputs"
    )


def num_dual_loop(
    settings: Settings, values: list[float], workload: Loop | LoopMaker
) -> list[Contender]:
    nd = settings.peer("num_dual")
    if nd is None:
        return [skipped("num-dual Dual64", settings.absent("num_dual"))]
    dual = nd.Dual64
    f = specialise(workload, dual)

    def one() -> Answer:
        x = [dual(v, 0.0) for v in values]
        x[0] = dual(values[0], 1.0)
        y = f(x)
        return y.value, {0: y.first_derivative}

    # gradient() hands the function a vector of its own dual type, not Dual64: call the
    # math functions as methods of whatever number arrives.
    g_f = specialise(workload, SimpleNamespace(**{m: methodcaller(m) for m in MATH}))

    def gradient() -> Answer:
        value, g = nd.gradient(lambda v: g_f([v[i] for i in range(len(values))]), values)
        return value, dict(enumerate(g))

    return [
        Contender("num-dual Dual64, one direction", one, one, "num-dual"),
        Contender("num-dual gradient(), all directions", gradient, gradient),
    ]


def micrograd_w2(settings: Settings, values: list[float]) -> Contender:
    mg = settings.peer("micrograd")
    if mg is None:
        return skipped("micrograd", settings.absent("micrograd"))
    value = importlib.import_module("micrograd.engine").Value
    # micrograd's backward() sorts the graph recursively, one level per operation.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 20 * len(values)))

    def run() -> Answer:
        x = [value(v) for v in values]
        y = rosenbrock(x)
        y.backward()
        return y.data, {i: float(xi.grad) for i, xi in enumerate(x)}

    return Contender(
        "micrograd, record + backward", run, run, "micrograd", "recursion limit raised"
    )


def casadi_loop(
    settings: Settings, values: list[float], workload: Loop | LoopMaker, functions: Any
) -> Contender:
    ca = settings.peer("casadi")
    if ca is None:
        return skipped("CasADi SX", settings.absent("casadi"))
    start = time.perf_counter()
    x = ca.SX.sym("x", len(values))
    y = specialise(workload, functions(ca))([x[i] for i in range(len(values))])
    f = ca.Function("f", [x], [y, ca.gradient(y, x)])
    build = time.perf_counter() - start
    point = ca.DM(values)

    def run() -> Answer:
        value, g = f(point)
        return float(value), dict(enumerate(float(d) for d in g.full().ravel()))

    return Contender(
        "CasADi SX Function, value + gradient",
        lambda: f(point),
        run,
        "casadi",
        setup=("build graph + gradient", build),
    )


def torch_loop(
    settings: Settings, values: list[float], workload: Loop | LoopMaker, functions: Any
) -> Contender:
    torch = settings.peer("torch")
    if torch is None:
        return skipped("PyTorch 0-d tensors", settings.absent("torch"))
    f = specialise(workload, functions(torch))

    def record() -> tuple[Any, list[Any]]:
        x = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]
        y = f(x)
        y.backward()
        return y, x

    def run() -> Answer:
        y, x = record()
        return y.item(), {i: xi.grad.item() for i, xi in enumerate(x)}

    return Contender("PyTorch 0-d tensors, record + backward", record, run)


def autograd_loop(
    settings: Settings, values: list[float], workload: Loop | LoopMaker, functions: Any
) -> Contender:
    ag = settings.peer("autograd")
    if ag is None:
        return skipped("HIPS autograd", settings.absent("autograd"))
    numpy = importlib.import_module("autograd.numpy")
    f = ag.value_and_grad(specialise(workload, functions(numpy)))
    point = numpy.array(values)

    def run() -> Answer:
        value, g = f(point)
        return float(value), dict(enumerate(float(d) for d in g))

    return Contender("HIPS autograd value_and_grad", lambda: f(point), run)


def jax_loop(
    settings: Settings, values: list[float], workload: Loop | LoopMaker, functions: Any
) -> Contender:
    jax = settings.peer("jax")
    if jax is None:
        return skipped("JAX jit(value_and_grad)", settings.absent("jax"))
    numpy = importlib.import_module("jax.numpy")
    f = jax.jit(jax.value_and_grad(specialise(workload, functions(numpy))))
    point = numpy.array(values)
    start = time.perf_counter()
    jax.block_until_ready(f(point))
    compile_seconds = time.perf_counter() - start

    def run() -> Answer:
        value, g = f(point)
        return float(value), dict(enumerate(float(d) for d in g))

    return Contender(
        "JAX jit(value_and_grad)",
        lambda: jax.block_until_ready(f(point)),
        run,
        setup=("trace + compile (first call)", compile_seconds),
    )


# ---------------------------------------------------------------------------------------
# REPLAY and HESSIAN: a recording replayed natively.

BATCH = 64  # points per call of Recording.gradients


def run_replay(settings: Settings) -> list[Row]:
    values = w2_point(N)
    point = numpy_array(values)
    start = time.perf_counter()
    recording = wengert.record(rosenbrock, values)
    record_once = time.perf_counter() - start
    start = time.perf_counter()
    compiled = wengert.record(rosenbrock, values, compile=True)
    record_and_compile = time.perf_counter() - start

    def replayed(rec: wengert.Recording[Any]) -> Answer:
        value, g = rec.value_and_gradient(point)
        return value, dict(enumerate(g.tolist()))

    batch = numpy_array([values] * BATCH)

    def batch_check() -> Answer:
        g = recording.gradients(batch)
        if not (g == g[0]).all():
            return math.nan, {}
        return rosenbrock(values), dict(enumerate(g[0].tolist()))

    def record_run() -> object:
        return rosenbrock(WengertList().variables(values)).derivatives()

    def record_check() -> Answer:
        tape = WengertList()
        x = tape.variables(values)
        y = rosenbrock(x)
        d = y.derivatives()
        return y.number, {i: d[xi] for i, xi in enumerate(x)}

    replays = [
        ("", recording, "replay", "", record_once),
        ("compiled ", compiled, "compiled", ", compile=True", record_and_compile),
    ]
    contenders = [
        Contender("wengert Record, record again + backward", record_run, record_check, "record"),
        *(
            Contender(
                f"wengert {kind}Recording.value_and_gradient (replay)",
                partial(rec.value_and_gradient, point),
                partial(replayed, rec),
                role,
                setup=(f"wengert.record(f, x0{option}), once", seconds),
            )
            for kind, rec, role, option, seconds in replays
        ),
        Contender(
            f"wengert Recording.gradients, {BATCH} points in one call",
            partial(recording.gradients, batch),
            batch_check,
            "batch",
            note=f"time for all {BATCH} points",
        ),
        casadi_loop(settings, values, rosenbrock, lambda ca: None),
    ]
    rows = measure(f"REPLAY, W2 n = {N}", w2_ops(N), w2_exact(N), contenders, settings)
    for row in rows:
        if row.role == "batch" and row.seconds:
            per_point = row.seconds / BATCH
            row.note += f"; {format_seconds(per_point)} per point"
    return rows


def numpy_array(values: Any) -> Any:
    return importlib.import_module("numpy").array(values, dtype=float)


def run_hessian(settings: Settings) -> list[Row]:
    n = SMALL_N
    values = w2_point(n)
    point = numpy_array(values)
    start = time.perf_counter()
    recording = wengert.record(rosenbrock, values)
    record_once = time.perf_counter() - start

    def replay() -> Answer:
        return flat(recording.value(point), recording.hessian(point))

    def fresh() -> Answer:
        return flat(rosenbrock(values), wengert.hessian(rosenbrock)(values))

    contenders = [
        Contender(
            "wengert Recording.hessian (replay)",
            partial(recording.hessian, point),
            replay,
            "replay",
            setup=("wengert.record(f, x0), once", record_once),
        ),
        Contender(
            "wengert.hessian(f)(x): record + replay each call",
            partial(wengert.hessian(rosenbrock), values),
            fresh,
        ),
    ]
    nd = settings.peer("num_dual")
    if nd is None:
        contenders.append(skipped("num-dual hessian", settings.absent("num_dual")))
    else:

        def num_dual() -> Answer:
            value, _, h = nd.hessian(rosenbrock, values)
            return flat(value, h)

        contenders.append(
            Contender("num-dual hessian (value, gradient, Hessian)", num_dual, num_dual)
        )
    contenders.append(jax_hessian(settings, values))
    contenders.append(casadi_hessian(settings, values))
    exact = w2_hessian_exact(n)
    rows = measure(f"HESSIAN, W2 n = {n}", w2_ops(n), exact, contenders, settings)
    ours = [r.seconds for r in rows if r.role == "replay" and r.seconds]
    if ours:
        for row in rows:
            if row.seconds and not row.one_off and row.role != "replay":
                ratio = f"{row.seconds / ours[0]:.1f} x the replay's time"
                row.note = f"{row.note}; {ratio}" if row.note else ratio
    return rows


def jax_hessian(settings: Settings, values: list[float]) -> Contender:
    jax = settings.peer("jax")
    if jax is None:
        return skipped("JAX jit(hessian)", settings.absent("jax"))
    f = jax.jit(jax.hessian(rosenbrock))
    point = importlib.import_module("jax.numpy").array(values)
    start = time.perf_counter()
    jax.block_until_ready(f(point))
    compile_seconds = time.perf_counter() - start

    def run() -> Answer:
        return flat(rosenbrock(values), f(point).tolist())

    return Contender(
        "JAX jit(hessian)",
        lambda: jax.block_until_ready(f(point)),
        run,
        setup=("trace + compile (first call)", compile_seconds),
    )


def casadi_hessian(settings: Settings, values: list[float]) -> Contender:
    ca = settings.peer("casadi")
    if ca is None:
        return skipped("CasADi SX hessian", settings.absent("casadi"))
    start = time.perf_counter()
    x = ca.SX.sym("x", len(values))
    y = rosenbrock([x[i] for i in range(len(values))])
    h, _ = ca.hessian(y, x)
    f = ca.Function("h", [x], [y, h])
    build = time.perf_counter() - start
    point = ca.DM(values)

    def run() -> Answer:
        value, matrix = f(point)
        return flat(float(value), matrix.full())

    return Contender(
        "CasADi SX Function, value + Hessian",
        lambda: f(point),
        run,
        setup=("build graph + Hessian", build),
    )


# ---------------------------------------------------------------------------------------
# W4: single operations.

MICRO_OPERATIONS = [  # (ours, the same on float, the same on complex)
    ("a*b", "x*y", "c*d"),
    ("a+b", "x+y", "c+d"),
    ("a*2.0", "x*2.0", "c*2.0"),
    ("2.0*a", "2.0*x", "2.0*c"),
    ("a.sin()", "sin(x)", None),
]


MICRO_NUMBER = 10_000  # executions of the statement per timed call


def run_w4(settings: Settings) -> list[Row]:
    nd = settings.peer("num_dual")
    rows: list[Row] = []
    for stmt, float_stmt, complex_stmt in MICRO_OPERATIONS:
        tape = WengertList()
        a, b = tape.variables([1.5, 2.5])
        timers = {
            "float": timeit.Timer(float_stmt, globals={"x": 1.5, "y": 2.5, "sin": math.sin}),
            "trace": timeit.Timer(stmt, globals={"a": Trace(1.5, 1.0), "b": Trace(2.5, 0.5)}),
            "record": timeit.Timer(stmt, globals={"a": a, "b": b}),
        }
        if complex_stmt:
            c, d = complex(1.5, 1.0), complex(2.5, 0.5)
            timers["complex"] = timeit.Timer(complex_stmt, globals={"c": c, "d": d})
        if nd is not None:
            duals = {"a": nd.Dual64(1.5, 1.0), "b": nd.Dual64(2.5, 0.5)}
            timers["num-dual"] = timeit.Timer(stmt, globals=duals)
        runs = {role: partial(timer.timeit, MICRO_NUMBER) for role, timer in timers.items()}
        times = interleaved(runs, settings)
        del tape, a, b  # the Record rows grew the tape by millions of entries
        names = {
            "float": f"plain float `{float_stmt}`",
            "complex": f"complex `{complex_stmt}`",
            "trace": f"wengert Trace `{stmt}`",
            "record": f"wengert Record `{stmt}`",
            "num-dual": f"num-dual Dual64 `{stmt}`",
        }
        section = f"W4 `{stmt}`"
        block = []
        for role in ("float", "complex", "num-dual", "trace", "record"):
            if role in times:
                seconds = times[role] / MICRO_NUMBER
                block.append(Row(section, names[role], seconds, format_seconds(seconds), role=role))
        if complex_stmt is None:
            block.append(Row(section, "complex", note="no sin method to compare"))
        if nd is None:
            block.append(Row(section, "num-dual Dual64", note=settings.absent("num_dual")))
        ratios(block)
        rows += block
    return rows


# ---------------------------------------------------------------------------------------
# W5 and W6: the tape alone.


def run_w5(settings: Settings) -> list[Row]:
    tape = WengertList()
    y = tape.variable(1.0)
    for _ in range(SWEEP_ENTRIES - 1):
        y = y * 1.0000001
    seconds = interleaved({"sweep": y.derivatives}, settings)["sweep"]
    rate = len(tape) / seconds
    row = Row(f"W5, {len(tape):,} entries", "wengert Record: backward sweep `y.derivatives()`")
    row.seconds, row.per_op = seconds, format_seconds(seconds / len(tape))
    row.note = f"{rate / 1e6:.0f} million entries per second"
    row.role = "sweep"
    row.target = target(rate >= 200e6, f"≥ 200 M entries/s: {rate / 1e6:.0f} M")
    return [row]


def resident_bytes() -> int:
    """The resident set size now (Linux: /proc/self/statm), not the peak."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


def memory_probe(entries: int) -> dict[str, int]:
    """Record a tape of ``entries`` entries; how much the resident set grew meanwhile."""
    gc.collect()
    before = resident_bytes()
    tape = WengertList()
    x = tape.variable(1.0)
    for _ in range(entries // 1000):
        y = x
        for _ in range(1000):
            y = y * 1.0000001
        del y
    return {"entries": len(tape), "grown": resident_bytes() - before}


def run_w6(settings: Settings) -> list[Row]:
    # In a fresh interpreter: memory that earlier workloads freed would otherwise be
    # reused by the tape and hide part of its cost.
    probe = subprocess.run(
        [sys.executable, __file__, "--memory-probe", str(MEMORY_ENTRIES)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(probe.stdout)
    per_entry = result["grown"] / result["entries"]
    row = Row(f"W6, {result['entries']:,} entries", "wengert Record: tape memory")
    row.per_op = f"{per_entry:.1f} bytes"
    row.note = f"resident set grew by {result['grown'] / 2**20:.0f} MiB, in a fresh interpreter"
    row.role = "memory"
    row.target = target(per_entry <= 32, f"≤ 32 bytes per entry: {per_entry:.1f}")
    return [row]


# ---------------------------------------------------------------------------------------
# Targets, the table and the report.


def target(met: bool, text: str) -> str:
    return f"{text}, {'met' if met else 'NOT met'}"


def apply_targets(rows: list[Row]) -> None:
    def seconds(section: str, role: str) -> float | None:
        found = [r.seconds for r in rows if r.section == section and r.role == role]
        return found[0] if found else None

    for row in rows:
        if row.section.startswith("W4") and row.role == "trace" and row.seconds:
            floor = seconds(row.section, "complex")
            if floor:
                ratio = row.seconds / floor
                row.target = target(ratio <= 1.0, f"≤ 1.0 x complex: {ratio:.2f}x")
    section = f"W2, n = {N}"
    trace, record = seconds(section, "trace"), seconds(section, "record")
    num_dual, floats = seconds(section, "num-dual"), seconds(section, "float")
    micrograd = seconds(section, "micrograd")
    for row in rows:
        if row.section != section:
            continue
        if row.role == "trace" and trace and num_dual:
            speedup = num_dual / trace
            row.target = target(speedup >= 8, f"≥ 8 x faster than num-dual: {speedup:.1f}x")
        if row.role == "record" and record:
            row.target = targets(
                (record / floats <= 2.5, f"≤ 2.5 x float: {record / floats:.2f}x")
                if floats
                else None,
                (
                    micrograd / record >= 60,
                    f"≥ 60 x faster than micrograd: {micrograd / record:.0f}x",
                )
                if micrograd
                else None,
            )
    section = f"REPLAY, W2 n = {N}"
    replay, record = seconds(section, "replay"), seconds(section, "record")
    casadi, compiled = seconds(section, "casadi"), seconds(section, "compiled")
    for row in rows:
        if row.section == section and row.role == "compiled" and compiled:
            row.target = targets(
                (
                    compiled / casadi <= 0.3,
                    f"≤ 0.3 x CasADi's compiled gradient: {compiled / casadi:.2f}x",
                )
                if casadi
                else None,
                (
                    record / compiled >= 50,
                    f"≥ 50 x faster than recording again: {record / compiled:.1f}x",
                )
                if record
                else None,
            )
        if row.section == section and row.role == "replay" and replay:
            row.target = targets(
                (replay / casadi <= 1.0, f"≤ CasADi's compiled gradient: {replay / casadi:.2f}x")
                if casadi
                else None,
                (
                    record / replay >= 50,
                    f"≥ 50 x faster than recording again: {record / replay:.1f}x",
                )
                if record
                else None,
            )


def targets(*checks: tuple[bool, str] | None) -> str:
    """A row's targets, each (met, what) of those that could be measured."""
    return "; ".join(target(met, text) for met, text in filter(None, checks))


def table(rows: list[Row]) -> str:
    header = (
        "| workload | contender | time | per operation | vs Trace | vs Record | target | note |\n"
        "|---|---|--:|--:|--:|--:|---|---|\n"
    )
    lines = []
    for r in rows:
        time_text = format_seconds(r.seconds) if r.seconds is not None else "—"
        cells = [r.section, r.name, time_text, r.per_op or "—", r.vs_trace, r.vs_record]
        cells += [r.target, r.note]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return header + "\n".join(lines) + "\n"


def versions(settings: Settings) -> str:
    found = [f"wengert {wengert.__version__}"]
    for module, distribution in PEERS.items():
        if settings.peers.get(module) is None:
            continue
        found.append(f"{distribution} {importlib.metadata.version(distribution)}")
        if module == "jax":
            found.append(f"jaxlib {importlib.metadata.version('jaxlib')}")
    found.append(f"numpy {importlib.metadata.version('numpy')}")
    return ", ".join(found)


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def big_tape() -> str:
    """The report of ``benchmarks/big_tape.py`` (10^8 entries), run in a fresh interpreter."""
    script = Path(__file__).with_name("big_tape.py")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    return f"""## A tape of 10^8 entries

`python benchmarks/big_tape.py` records `y = x + x + ... + x` (10^8 entries), sweeps
it once and checks dy/dx = 10^8 exactly; peak resident memory must stay under 4 GiB.
Wall time, one run (exit status {done.returncode}):

```text
{done.stdout.strip()}{done.stderr.strip()}
```
"""


README_START, README_END = "<!-- results-summary -->", "<!-- /results-summary -->"
# The sections of RESULTS.md that other scripts write, between <!-- NAME --> and <!-- /NAME -->.
KEPT_SECTIONS = ("travel.py", "sparse.py", "higher_order.py", "lanes.py", "compile.py")


def update_readme(rows: list[Row]) -> None:
    """Put the summary's rows that have a target (the headline figures) into README.md,
    between its results-summary markers."""
    readme = Path(__file__).resolve().parent.parent / "README.md"
    text = readme.read_text()
    start, end = text.index(README_START) + len(README_START), text.index(README_END)
    headline = [row for row in summary(rows) if row.target]
    readme.write_text(f"{text[:start]}\n{table(headline)}{text[end:]}")


def report(rows: list[Row], settings: Settings, command: str, extra: str = "") -> str:
    now = datetime.datetime.now(datetime.timezone.utc)
    return f"""# Benchmark results

Generated by `{command}` on {now:%Y-%m-%d %H:%M} UTC.

- CPU: {cpu_model()}, {os.cpu_count()} logical cores
- Python {platform.python_version()} ({platform.python_implementation()}), {platform.system()}
- packages: {versions(settings)}
- {settings.repeats} interleaved repetitions, median; each sample at least \
{settings.min_sample * 1e3:.0f} ms

To reproduce, on a release build:

```sh
pip install '.[bench]'
python benchmarks/compare.py
```

PyTorch is not in the `bench` extra (its Linux wheel brings several gigabytes of CUDA
libraries); `pip install torch` adds its rows.

{LEGEND}
## Summary

{table(summary(rows))}
## All results

{table(rows)}{extra}"""


LEGEND = """\
Time is the median CPU time of one call: for W1-W3 one evaluation of the workload
with its derivatives, making its inputs included (for W1, the value and both partials
read back as Python floats; for W2 and W3, the gradient in the contender's own form).
Per operation divides it by the operations of one evaluation (8 for W1, 8 a term for
W2, 10 a term for W3), however many passes the contender makes. "vs Trace" and
"vs Record" give the row's time as a multiple of wengert's Trace and Record on the
same workload and size: above 1, wengert is faster. One-off rows (JAX's trace and
compile, CasADi's graph building; wall time) are paid once before the timed calls and
are not included in them. A contender whose answer differs from the exact derivative
is marked WRONG and not timed.
"""


def summary(rows: list[Row]) -> list[Row]:
    """The rows with a target, what the W4 targets compare with, and W2 at n = 1000."""
    w2 = f"W2, n = {N}"

    def wanted(r: Row) -> bool:
        if r.section.startswith("W4"):
            return r.role in ("complex", "trace") and r.seconds is not None
        if r.section.startswith(("REPLAY", "HESSIAN")):
            return r.seconds is not None and not r.one_off
        return bool(r.target) or (r.section == w2 and r.seconds is not None and not r.one_off)

    return [r for r in rows if wanted(r)]


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, no slow peers")
    parser.add_argument("--slow", action="store_true", help="JAX at n = 1000 too")
    parser.add_argument("--only", default="", help="comma-separated workloads, as W2,W4")
    parser.add_argument("--output", type=Path, help="where to write the results")
    parser.add_argument("--big-tape", action="store_true", help="add a 10^8-entry tape")
    parser.add_argument("--readme", action="store_true", help="update README.md's figures")
    parser.add_argument("--memory-probe", type=int, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


WORKLOADS: dict[str, Callable[[Settings], list[Row]]] = {
    "W1": run_w1,
    "W2": run_w2,
    "W3": run_w3,
    "W4": run_w4,
    "W5": run_w5,
    "W6": run_w6,
    "REPLAY": run_replay,
    "HESSIAN": run_hessian,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    if args.memory_probe is not None:
        print(json.dumps(memory_probe(args.memory_probe)))
        return 0
    only = {w.strip().upper() for w in args.only.split(",") if w.strip()}
    unknown = only - set(WORKLOADS)
    if unknown:
        print(
            f"unknown workload(s) {sorted(unknown)}; choose from {list(WORKLOADS)}", file=sys.stderr
        )
        return 2
    settings = Settings(
        repeats=3 if args.quick else 9,
        min_sample=0.005 if args.quick else 0.02,
        quick=args.quick,
        slow=args.slow,
        only=only or set(WORKLOADS),
    )
    rows: list[Row] = []
    for name, run in WORKLOADS.items():
        if name in settings.only:
            print(f"{name}...", file=sys.stderr)
            rows += run(settings)
    apply_targets(rows)
    print(table(rows))
    if multi_trace() is None:
        print(f"Note: {NO_MULTI}; its rows are skipped.")
    output = args.output
    if output is None and not args.quick:
        output = Path(__file__).with_name("RESULTS.md")
    extra = ""
    if args.big_tape:
        print("a tape of 10^8 entries...", file=sys.stderr)
        extra = "\n" + big_tape()
        print(extra)
    if output is not None:
        command = " ".join(["python benchmarks/compare.py", *(argv or sys.argv[1:])])
        text = report(rows, settings, command, extra)
        old = output.read_text() if output.exists() else ""
        # the sections the other benchmark scripts write are kept
        for script in KEPT_SECTIONS:
            kept = kept_section(old, script)
            if kept is not None:
                text = text.rstrip("\n") + "\n\n" + kept + "\n"
        output.write_text(text)
        print(f"written to {output}")
    if args.readme:
        update_readme(rows)
        print("README.md summary updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
