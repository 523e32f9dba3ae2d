"""Compiled recordings (``Recording.compile``): compile time, and the compiled replay
against the interpreted one, recording again, CasADi's compiled gradient and JAX ``jit``.

    python benchmarks/compile.py            # prints, and writes its section of RESULTS.md
    python benchmarks/compile.py --no-write  # prints only
    python benchmarks/compile.py --slow      # JAX at n = 1000 too (minutes of compiling)

Run it on a release build (``maturin develop --release``) with the ``bench`` extra
(CasADi and JAX rows are left out when they are not installed). Times are the best CPU
time (``process_time``) of repeated calls; the compiled replay's answers are checked
against the interpreter's bit for bit, and every peer's against wengert's to 1e-12
(relative), before anything is timed.
"""

from __future__ import annotations

import importlib
import platform
import sys
import time
from collections.abc import Sequence
from functools import partial
from typing import Any

import numpy as np
from sparse import bratu  # benchmarks/sparse.py, beside this script

from wengert import WengertList, record
from wengert import exp as wengert_exp

from _common import best, write_section

N = 1000  # W2's size, 9,000 recorded operations (8 per term, and the inputs)
MID_N = 300  # 2,692 entries
SMALL_N = 100  # where JAX compiles in seconds rather than minutes
BIG_N = 125_000  # W2 of 10^6 entries


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


def peer(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def same_bits(a: Any, b: Any) -> None:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


def close(a: Any, b: Any, rel: float = 1e-12) -> None:
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.maximum(np.maximum(abs(a), abs(b)), 1e-300)
    assert np.all(abs(a - b) <= rel * scale), "a peer's answer differs from wengert's"


Row = tuple[str, str, float, str]


def compile_times() -> tuple[list[Row], dict[str, float]]:
    """Compile time of W2 at n = 100, 300 and 1000 (best of fresh recordings) and of 10^6
    entries, or the fallback."""
    rows: list[Row] = []
    figures: dict[str, float] = {}
    for n in (SMALL_N, MID_N, N):
        recordings = [record(rosenbrock, w2_point(n)) for _ in range(6)]
        times = []
        for rec in recordings:
            start = time.process_time()
            rec.compile()
            times.append(time.process_time() - start)
        rec = recordings[0]
        figures[f"compile {n}"] = min(times)
        figures[f"compiled {n}"] = float(rec.compiled)
        note = (
            f"best of {len(times)} fresh recordings; median {np.median(times) * 1e3:.1f} ms"
            if rec.compiled
            else f"not compiled: {rec.not_compiled_reason}"
        )
        rows.append(
            (f"compile W2, n = {n} ({len(rec):,} entries)", "Recording.compile()", min(times), note)
        )
    start = time.process_time()
    big = record(rosenbrock, w2_point(BIG_N))
    recording = time.process_time() - start
    start = time.process_time()
    big.compile()
    seconds = time.process_time() - start
    figures["compile_big"] = seconds
    figures["compiled_big"] = float(big.compiled)
    note = "compiled" if big.compiled else f"not compiled: {big.not_compiled_reason}"
    rows.append(
        (
            f"compile W2, n = {BIG_N:,} ({len(big):,} entries)",
            "Recording.compile()",
            seconds,
            f"one run; {note}; recording it took {recording:.2f} s",
        )
    )
    x = np.array(w2_point(BIG_N)) * 0.99
    interpreted = record(rosenbrock, w2_point(BIG_N))
    same_bits(big.gradient(x), interpreted.gradient(x))
    rows.append(
        (
            f"value_and_gradient, {len(big):,} entries",
            "after compile()" + ("" if big.compiled else " (interpreted: size policy)"),
            best(lambda: big.value_and_gradient(x), repeat=5),
            "",
        )
    )
    rows.append(
        (
            f"value_and_gradient, {len(big):,} entries",
            "interpreted",
            best(lambda: interpreted.value_and_gradient(x), repeat=5),
            "",
        )
    )
    return rows, figures


def w2_rows(n: int, jax_too: bool) -> tuple[list[Row], dict[str, float]]:
    values = w2_point(n)
    x = np.array(values) * 0.99
    interpreted = record(rosenbrock, values)
    compiled = record(rosenbrock, values, compile=True)
    value, gradient = compiled.value_and_gradient(x)
    reference = interpreted.value_and_gradient(x)
    same_bits(value, reference[0])
    same_bits(gradient, reference[1])
    what = f"W2, n = {n}: value and gradient"
    compiled_note = "" if compiled.compiled else f"not compiled: {compiled.not_compiled_reason}"
    figures = {
        "compiled": best(lambda: compiled.value_and_gradient(x), inner=20, repeat=7),
        "interpreted": best(lambda: interpreted.value_and_gradient(x), inner=20, repeat=7),
    }

    def record_again() -> Any:
        tape = WengertList()
        v = tape.variables(x.tolist())
        y = rosenbrock(v)
        d = y.derivatives()
        return y.number, [d[xi] for xi in v]

    again = record_again()
    close(again[0], value)
    close(again[1], gradient)
    figures["record"] = best(record_again, repeat=5)
    rows: list[Row] = [
        (
            what,
            "wengert compiled Recording.value_and_gradient",
            figures["compiled"],
            compiled_note,
        ),
        (what, "wengert interpreted Recording.value_and_gradient", figures["interpreted"], ""),
        (what, "wengert Record, record again + backward", figures["record"], ""),
    ]
    ca = peer("casadi")
    if ca is not None:
        start = time.perf_counter()
        sym = ca.SX.sym("x", n)
        y = rosenbrock([sym[i] for i in range(n)])
        f = ca.Function("f", [sym], [y, ca.gradient(y, sym)])
        build = time.perf_counter() - start
        point = ca.DM(x.tolist())
        v, g = f(point)
        close(float(v), value)
        close(np.asarray(g.full()).ravel(), gradient)
        figures["casadi"] = best(lambda: f(point), inner=20, repeat=7)
        rows.append(
            (
                what,
                "CasADi SX Function, value + gradient",
                figures["casadi"],
                f"graph + gradient built in {build:.2f} s",
            )
        )
    else:
        rows.append((what, "CasADi", float("nan"), "not installed"))
    jax = peer("jax") if jax_too else None
    if jax is not None:
        jnp = importlib.import_module("jax.numpy")
        jax.config.update("jax_enable_x64", True)
        fj = jax.jit(jax.value_and_grad(rosenbrock))
        point = jnp.array(x)
        start = time.perf_counter()
        v, g = jax.block_until_ready(fj(point))
        first = time.perf_counter() - start
        close(float(v), value)
        close(np.asarray(g), gradient)
        figures["jax"] = best(lambda: jax.block_until_ready(fj(point)), inner=20, repeat=7)
        rows.append(
            (what, "JAX jit(value_and_grad)", figures["jax"], f"trace + compile {first:.1f} s")
        )
    elif jax_too:
        rows.append((what, "JAX", float("nan"), "not installed"))
    return rows, figures


def batch_rows() -> list[Row]:
    """``gradients`` over 64 and 10^4 rows: compiled against interpreted, per row."""
    values = w2_point(MID_N)
    interpreted = record(rosenbrock, values)
    compiled = record(rosenbrock, values, compile=True)
    rows: list[Row] = []
    rng = np.random.default_rng(0)
    for count in (64, 10_000):
        X = rng.uniform(0.4, 0.6, (count, MID_N))
        same_bits(compiled.gradients(X[:64]), interpreted.gradients(X[:64]))
        for who, rec in (("compiled", compiled), ("interpreted", interpreted)):
            run = partial(rec.gradients, X)
            seconds = best(run, repeat=3 if count > 64 else 7)
            rows.append(
                (
                    f"W2, n = {MID_N}: gradients over {count:,} rows",
                    f"{who} Recording.gradients",
                    seconds / count,
                    f"per row; {seconds * 1e3:.1f} ms the call",
                )
            )
    return rows


def second_rows(n: int) -> list[Row]:
    """Second derivatives of W2: ``hvp`` and ``sparse_hessian`` (and at small n the dense
    ``hessian``), compiled against interpreted and CasADi; the first call's extra time,
    which compiles the second-order code."""
    values = w2_point(n)
    x = np.array(values) * 0.99
    v = np.cos(np.arange(n))
    interpreted = record(rosenbrock, values)
    compiled = record(rosenbrock, values, compile=True)
    start = time.process_time()
    product = compiled.hvp(x, v)
    first_hvp = time.process_time() - start
    start = time.process_time()
    nonzeros = compiled.sparse_hessian(x, format="values")
    first_sparse = time.process_time() - start
    same_bits(product, interpreted.hvp(x, v))
    same_bits(nonzeros, interpreted.sparse_hessian(x, format="values"))
    rows: list[Row] = []
    what = f"W2, n = {n}"
    methods: list[tuple[str, Any, float]] = [
        ("hvp", lambda r: r.hvp(x, v), first_hvp),
        ("sparse_hessian", lambda r: r.sparse_hessian(x, format="values"), first_sparse),
    ]
    if n <= SMALL_N:
        start = time.process_time()
        dense = compiled.hessian(x)
        first_dense = time.process_time() - start
        same_bits(dense, interpreted.hessian(x))
        methods.append(("hessian", lambda r: r.hessian(x), first_dense))
    for name, call, first in methods:
        fast = best(partial(call, compiled), inner=10, repeat=7)
        slow = best(partial(call, interpreted), inner=10, repeat=7)
        rows.append(
            (
                f"{what}: {name}",
                f"wengert compiled Recording.{name}",
                fast,
                f"{slow / fast:.1f}x the interpreter; first call {first * 1e3:.1f} ms "
                "(compiles its code)",
            )
        )
        rows.append((f"{what}: {name}", f"wengert interpreted Recording.{name}", slow, ""))
    ca = peer("casadi")
    if ca is not None:
        sym = ca.SX.sym("x", n)
        direction = ca.SX.sym("v", n)
        y = rosenbrock([sym[i] for i in range(n)])
        gradient = ca.gradient(y, sym)
        f = ca.Function("hvp", [sym, direction], [ca.jtimes(gradient, sym, direction)])
        point, towards = ca.DM(x.tolist()), ca.DM(v.tolist())
        close(np.asarray(f(point, towards).full()).ravel(), product)
        seconds = best(lambda: f(point, towards), inner=10, repeat=7)
        rows.append((f"{what}: hvp", "CasADi SX Function, jtimes of the gradient", seconds, ""))
        hessian, _ = ca.hessian(y, sym)
        h = ca.Function("hessian", [sym], [hessian])
        close(np.asarray(h(point).full()), compiled.sparse_hessian(x).toarray())
        seconds = best(lambda: h(point), inner=10, repeat=7)
        rows.append((f"{what}: sparse_hessian", "CasADi SX Function, sparse hessian", seconds, ""))
    return rows


def bratu_residual(u: Sequence[Any]) -> list[Any]:
    """W8 of ``sparse.py``, the 1-D Bratu residual (a tridiagonal Jacobian), with
    wengert's exp."""
    return bratu(u, wengert_exp)


def jacobian_rows(n: int) -> list[Row]:
    """``sparse_jacobian`` of the Bratu residual: compiled against interpreted (and
    CasADi's sparse Jacobian); the first call's extra time."""
    values = w2_point(n)
    x = np.array(values) * 0.99
    interpreted = record(bratu_residual, values)
    compiled = record(bratu_residual, values, compile=True)
    start = time.process_time()
    nonzeros = compiled.sparse_jacobian(x, format="values")
    first = time.process_time() - start
    same_bits(nonzeros, interpreted.sparse_jacobian(x, format="values"))
    what = f"Bratu residual, n = {n} ({compiled.jacobian_colours} colours)"
    fast = best(lambda: compiled.sparse_jacobian(x, format="values"), inner=10, repeat=7)
    slow = best(lambda: interpreted.sparse_jacobian(x, format="values"), inner=10, repeat=7)
    rows: list[Row] = [
        (
            f"{what}: sparse_jacobian",
            "wengert compiled Recording.sparse_jacobian",
            fast,
            f"{slow / fast:.1f}x the interpreter; first call {first * 1e3:.1f} ms",
        ),
        (f"{what}: sparse_jacobian", "wengert interpreted Recording.sparse_jacobian", slow, ""),
    ]
    ca = peer("casadi")
    if ca is not None:
        sym = ca.SX.sym("x", n)
        residual = ca.vertcat(*bratu([sym[i] for i in range(n)], ca.exp))
        f = ca.Function("jacobian", [sym], [ca.jacobian(residual, sym)])
        point = ca.DM(x.tolist())
        close(np.asarray(f(point).full()), compiled.sparse_jacobian(x).toarray())
        seconds = best(lambda: f(point), inner=10, repeat=7)
        rows.append((f"{what}: sparse_jacobian", "CasADi SX Function, jacobian", seconds, ""))
    return rows


def shown(seconds: float) -> str:
    if seconds != seconds:
        return "—"
    if seconds < 1e-2:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 10:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds:.1f} s"


def table(rows: list[Row]) -> list[str]:
    lines = ["| quantity | contender | time | note |", "|---|---|---:|---|"]
    for what, who, seconds, note in rows:
        lines.append(f"| {what} | {who} | {shown(seconds)} | {note} |")
    return lines


def targets(
    compile_figures: dict[str, float], w2: dict[str, float], mid: dict[str, float]
) -> list[str]:
    lines = ["| target (issue 16) | measured | met |", "|---|---|---|"]

    def line(target: str, measured: str, met: bool | None) -> None:
        verdict = "—" if met is None else ("yes" if met else "no")
        lines.append(f"| {target} | {measured} | {verdict} |")

    speedup = w2["record"] / w2["compiled"]
    policy = "" if compile_figures[f"compiled {N}"] else " (interpreted: size policy)"
    line(
        "compiled value_and_gradient ≥ 50x faster than record again + backward (W2, n = 1000)",
        f"{speedup:.0f}x{policy}",
        speedup >= 50,
    )
    if "casadi" in w2:
        ratio = w2["compiled"] / w2["casadi"]
        line(
            "≤ 0.3x CasADi's compiled gradient (W2, n = 1000)",
            f"{ratio:.2f}x{policy}",
            ratio <= 0.3,
        )
    else:
        line("≤ 0.3x CasADi's compiled gradient", "CasADi not installed", None)
    c = compile_figures[f"compile {N}"]
    if compile_figures[f"compiled {N}"]:
        measured = f"{c * 1e3:.1f} ms ({c / w2['record']:.2f} record-and-sweep calls)"
    else:
        measured = "not compiled (size policy)"
    line("compile W2 (9,000 entries) < 20 ms", measured, c < 0.02 and policy == "")
    big = compile_figures["compile_big"]
    if compile_figures["compiled_big"]:
        line("compile 10^6 entries < 2 s (or a stated fallback)", f"{big:.3f} s", big < 2)
    else:
        line(
            "compile 10^6 entries < 2 s (or a stated fallback)",
            f"stated fallback: interpreted ({big * 1e3:.1f} ms to decide)",
            True,
        )
    line(
        f"at n = {MID_N} (2,692 entries): compiled against record again, CasADi, interpreted",
        f"{mid['record'] / mid['compiled']:.0f}x faster than record again; "
        + (f"{mid['compiled'] / mid['casadi']:.2f}x CasADi; " if "casadi" in mid else "")
        + f"{mid['interpreted'] / mid['compiled']:.1f}x faster than interpreted; "
        f"compile {compile_figures[f'compile {MID_N}'] * 1e3:.0f} ms",
        None,
    )
    return lines


def main(argv: list[str]) -> int:
    slow = "--slow" in argv
    compile_rows, compile_figures = compile_times()
    rows, w2 = w2_rows(N, jax_too=slow)
    middle, mid = w2_rows(MID_N, jax_too=False)
    small, _ = w2_rows(SMALL_N, jax_too=True)
    rows += middle + small + batch_rows() + second_rows(N) + second_rows(SMALL_N)
    rows += jacobian_rows(N)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        "## Compiled recordings",
        "",
        f"Generated by `python benchmarks/compile.py` on {stamp}"
        f" (Python {platform.python_version()}, {platform.machine()}); best CPU time of one "
        "call, release build, on a shared 2-core machine (read the ratios). The compiled "
        "replay's answers equal the interpreter's bit for bit, and every peer's equal "
        "wengert's to 1e-12, checked before timing. W2 is the Rosenbrock loop of "
        "`compare.py` (8 recorded operations a term), which compiles as one loop of its "
        "body; JAX runs at n = 100 (at n = 1000 with `--slow`: its compile of the unrolled "
        "loop takes minutes). `hvp`, `hessian`, `sparse_hessian` and `sparse_jacobian` run "
        "compiled code too (the first call of each compiles its code); Taylor mode stays "
        "interpreted.",
        "",
        *targets(compile_figures, w2, mid),
        "",
        *table(compile_rows + rows),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if "--no-write" not in argv:
        write_section("compile.py", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
