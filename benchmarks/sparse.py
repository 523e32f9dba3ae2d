"""Sparse derivatives of recordings: W7 (W2's sparse Hessian) and W8 (Bratu's sparse Jacobian).

    python benchmarks/sparse.py          # about a minute; writes its section of RESULTS.md

- W7, n = 100: ``Recording.sparse_hessian`` (as a csr_array, and as the values alone)
  against the dense replay ``Recording.hessian``, CasADi's compiled Hessian (an SX
  Function of the value and the sparse Hessian) and ``jax.jit(jax.hessian(f))``, in
  one process, interleaved, median of the samples; each checked against the dense
  Hessian.
- W7, n = 10⁵: in a fresh process, after recording, CPU time: the first ``sparse_hessian``
  (pattern, colouring and one evaluation) and a later one (the plan reused), with the
  peak memory beyond the recording (VmHWM after the call, reset after recording via
  /proc/self/clear_refs, minus VmRSS after recording; Rust's allocations are seen).
- W8: the 1-D Bratu residual at n = 10⁵ and 10⁶: the first ``sparse_jacobian``
  (pattern, colouring, evaluation), a later one, and the colour count; CasADi's
  ``jacobian`` of the same residual at n = 10⁵ for comparison.

Needs a release build (``maturin develop --release``); CasADi and JAX rows are
skipped when those are not installed.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

import wengert

from _common import marked, write_section

# What the runs measured, for the targets' verdicts.
MEASURED: dict[str, float] = {}


def rosenbrock(x: Sequence[Any]) -> Any:
    """W2: the sum of 100 (x[i+1] - x[i]²)² + (1 - x[i])², written with * only."""
    s: Any = 0.0
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]
        b = 1.0 - x[i]
        s = s + 100.0 * a * a + b * b
    return s


def bratu(u: Sequence[Any], exp: Callable[[Any], Any]) -> list[Any]:
    """W8: (u[i-1] - 2u[i] + u[i+1]) / h² + exp(u[i]), zero boundary values."""
    n = len(u)
    inverse_h2 = float((n + 1) ** 2)
    out = []
    for i in range(n):
        left = u[i - 1] if i > 0 else 0.0
        right = u[i + 1] if i < n - 1 else 0.0
        out.append((left - 2.0 * u[i] + right) * inverse_h2 + exp(u[i]))
    return out


def point(n: int) -> list[float]:
    return [0.5 + 0.001 * (i % 1000) for i in range(n)]


def peer(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def seconds_per_call(run: Callable[[], object], min_sample: float = 0.02) -> Callable[[], float]:
    """A sampler: each sample times enough calls to last `min_sample` (CPU time)."""
    calls = 1
    while True:
        start = time.process_time()
        for _ in range(calls):
            run()
        if time.process_time() - start >= min_sample:
            break
        calls *= 2

    def sample() -> float:
        start = time.process_time()
        for _ in range(calls):
            run()
        return (time.process_time() - start) / calls

    return sample


def interleaved(runs: dict[str, Callable[[], object]], repeats: int = 9) -> dict[str, float]:
    samplers = {name: seconds_per_call(run) for name, run in runs.items()}
    samples: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, sampler in samplers.items():
            samples[name].append(sampler())
    return {name: statistics.median(s) for name, s in samples.items()}


def duration(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def w7_small() -> list[list[str]]:
    n = 100
    x = np.array(point(n))
    rec = wengert.record(rosenbrock, x)
    dense = rec.hessian(x)
    assert np.array_equal(rec.sparse_hessian(x).toarray(), dense)
    runs: dict[str, Callable[[], object]] = {
        "wengert sparse_hessian (csr_array)": lambda: rec.sparse_hessian(x),
        'wengert sparse_hessian (format="values")': lambda: rec.sparse_hessian(x, format="values"),
        "wengert hessian (dense replay)": lambda: rec.hessian(x),
    }
    notes = {
        "wengert sparse_hessian (csr_array)": f"{rec.hessian_colours} colours",
        "wengert hessian (dense replay)": f"{n} directions",
    }
    ca = peer("casadi")
    if ca is not None:
        sx = ca.SX.sym("x", n)
        y = rosenbrock([sx[i] for i in range(n)])
        h, _ = ca.hessian(y, sx)
        f = ca.Function("h", [sx], [y, h])
        dm = ca.DM(x)
        assert np.allclose(np.array(f(dm)[1].full()), dense, rtol=1e-13)
        runs["CasADi SX Function, value + sparse Hessian"] = lambda: f(dm)
    jax = peer("jax")
    if jax is not None:
        jf = jax.jit(jax.hessian(rosenbrock))
        jx = importlib.import_module("jax.numpy").array(x)
        jax.block_until_ready(jf(jx))
        runs["JAX jit(hessian), dense"] = lambda: jax.block_until_ready(jf(jx))
    times = interleaved(runs)
    reference = times.get("CasADi SX Function, value + sparse Hessian")
    MEASURED["w7_values"] = times['wengert sparse_hessian (format="values")']
    MEASURED["w7_csr"] = times["wengert sparse_hessian (csr_array)"]
    MEASURED["w7_colours"] = rec.hessian_colours
    if reference:
        MEASURED["w7_casadi"] = reference
    rows = []
    for name, t in times.items():
        ratio = f"{t / reference:.2f}" if reference else ""
        rows.append(["W7, n = 100", name, duration(t), ratio, notes.get(name, "")])
    return rows


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def child(kind: str, n: int) -> None:
    """In a fresh process: record, then time the first and a later sparse call."""
    importlib.import_module("scipy.sparse")  # imported before the clock starts
    x = np.array(point(n))
    start = time.perf_counter()
    if kind == "hessian":
        rec = wengert.record(rosenbrock, x)
    else:
        rec = wengert.record(lambda u: bratu(u, wengert.exp), x)
    recorded = time.perf_counter() - start
    rss = status_kb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    call = rec.sparse_hessian if kind == "hessian" else rec.sparse_jacobian
    start = time.process_time()
    call(x)
    first = time.process_time() - start
    peak = status_kb("VmHWM")
    later = []
    for _ in range(5):
        start = time.process_time()
        call(x)
        later.append(time.process_time() - start)
    colours = rec.hessian_colours if kind == "hessian" else rec.jacobian_colours
    print(
        json.dumps(
            {
                "record": recorded,
                "first": first,
                "later": statistics.median(later),
                "peak_mb": (peak - rss) / 1024,
                "colours": colours,
                "entries": len(rec),
            }
        )
    )


def run_child(kind: str, n: int) -> dict[str, Any]:
    # One BLAS thread: OpenBLAS's idle threads spin after numpy calls, and their CPU
    # time would be counted as the process's.
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(n)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def large() -> list[list[str]]:
    rows = []
    for kind, n, workload in [
        ("hessian", 100_000, "W7, n = 10⁵"),
        ("jacobian", 100_000, "W8 Bratu, n = 10⁵"),
        ("jacobian", 1_000_000, "W8 Bratu, n = 10⁶"),
    ]:
        r = run_child(kind, n)
        MEASURED[f"{kind}_{n}_first"] = r["first"]
        MEASURED[f"{kind}_{n}_peak"] = r["peak_mb"]
        MEASURED[f"{kind}_{n}_colours"] = r["colours"]
        method = f"sparse_{kind}"
        note = (
            f"{r['colours']} colours; {r['entries']:,} entries; "
            f"peak {r['peak_mb']:.0f} MB beyond the recording; recording {duration(r['record'])}"
        )
        rows.append(
            [
                workload,
                f"{method}, first call (pattern + colouring)",
                duration(r["first"]),
                "",
                note,
            ]
        )
        rows.append([workload, f"{method}, later call", duration(r["later"]), "", ""])
    ca = peer("casadi")
    if ca is not None:
        n = 100_000
        start = time.perf_counter()
        sx = ca.SX.sym("u", n)
        residual = ca.vertcat(*bratu([sx[i] for i in range(n)], ca.exp))
        f = ca.Function("j", [sx], [ca.jacobian(residual, sx)])
        build = time.perf_counter() - start
        dm = ca.DM(point(n))
        times = interleaved({"casadi": lambda: f(dm)}, repeats=3)
        note = f"graph + Jacobian built in {duration(build)}"
        rows.append(
            [
                "W8 Bratu, n = 10⁵",
                "CasADi SX Function, jacobian",
                duration(times["casadi"]),
                "",
                note,
            ]
        )
    return rows


def table(rows: list[list[str]]) -> str:
    lines = [
        "| workload | contender | time | vs CasADi | note |",
        "|---|---|--:|--:|---|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    return "\n".join(lines)


def verdicts() -> str:
    """The targets of BENCHMARKS.md (W7, W8) against what was measured."""
    m = MEASURED
    lines = []
    if "w7_casadi" in m:
        values, csr = m["w7_values"] / m["w7_casadi"], m["w7_csr"] / m["w7_casadi"]
        met = "met" if values <= 1.0 else "not met"
        lines.append(
            f"- W7, n = 100, `sparse_hessian` at or below CasADi's compiled Hessian: {met} "
            f"(values alone {values:.2f}x CasADi's time, as a csr_array {csr:.2f}x)"
        )
    first, peak = m["hessian_100000_first"], m["hessian_100000_peak"]
    met = "met" if first < 0.2 and peak < 200 else "not met"
    lines.append(
        f"- W7, n = 10⁵, pattern + colouring + one `sparse_hessian` under 0.2 s and 200 MB: "
        f"{met} ({duration(first)}, {peak:.0f} MB)"
    )
    colours = (m["w7_colours"], m["jacobian_100000_colours"], m["jacobian_1000000_colours"])
    met = "met" if colours[0] == 3 and max(colours[1:]) <= 5 else "not met"
    lines.append(
        f"- colours: 3 for the tridiagonal Hessian, at most 5 for Bratu's Jacobian: {met} "
        f"({colours[0]:.0f}; {colours[1]:.0f} and {colours[2]:.0f})"
    )
    return "\n".join(lines)


def section(rows: list[list[str]]) -> str:
    versions = ", ".join(
        f"{name} {getattr(peer(name), '__version__', '?')}"
        for name in ("wengert", "scipy", "casadi", "jax")
        if peer(name) is not None
    )
    return f"""## Sparse derivatives (W7, W8)

Generated by `python benchmarks/sparse.py` on {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
({platform.python_implementation()} {platform.python_version()}; {versions}).
W7 n = 100: median CPU time of one call, interleaved with its peers in one process.
n = 10⁵ and 10⁶: CPU time in a fresh process after recording (the recording's time is
wall time); the first call makes the pattern and the colouring, later calls reuse them.

{table(rows)}

Targets:

{verdicts()}
"""


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
        return
    rows = w7_small() + large()
    text = section(rows)
    print(marked("sparse.py", text))
    write_section("sparse.py", text)


if __name__ == "__main__":
    main()
