"""Quick per-operation figures for wengert against float and complex, in one process.

    python benchmarks/quick.py

Run it on a release build (``pip install .``). Prints medians of repeated runs:
W4, micro-operations in nanoseconds, as a ratio to the same operation on ``complex``;
W2, the Rosenbrock function as a scalar loop (n = 1000), as a ratio to plain floats;
W5, backward-sweep throughput over a million entries; W6, resident memory per tape
entry. The comparison with other AD packages is for a fuller suite; this is the quick look.
"""

from __future__ import annotations

import gc
import math
import resource
import statistics
import time
import timeit
from collections.abc import Callable

from wengert import Trace, WengertList


def per_op(stmt: str, names: dict[str, object], number: int = 200_000) -> float:
    """Median nanoseconds per execution of ``stmt`` over 7 runs."""
    times = timeit.repeat(stmt, globals=dict(names), number=number, repeat=7)
    return statistics.median(times) / number * 1e9


def micro_operations() -> None:
    floats = {"x": 1.5, "y": 2.5, "sin": math.sin}
    complexes = {"c": complex(1.5, 1.0), "d": complex(2.5, 0.5)}
    traces = {"a": Trace(1.5, 1.0), "b": Trace(2.5, 0.5)}
    tape = WengertList()
    records = {"a": tape.variable(1.5), "b": tape.variable(2.5)}
    rows = [  # (our statement, the same on floats, the same on complex)
        ("a*b", "x*y", "c*d"),
        ("a+b", "x+y", "c+d"),
        ("a*2.0", "x*2.0", "c*2.0"),
        ("2.0*a", "2.0*x", "2.0*c"),
        ("a.sin()", "sin(x)", None),
    ]
    print("W4 micro-operations (ns per operation; ratio of Trace to complex)")
    print(f"{'op':8} {'float':>7} {'complex':>8} {'Trace':>7} {'ratio':>6} {'Record':>7}")
    for stmt, float_stmt, complex_stmt in rows:
        x = per_op(float_stmt, floats)
        z = per_op(complex_stmt, complexes) if complex_stmt else math.nan
        t = per_op(stmt, traces)
        r = per_op(stmt, records)
        tape.clear()  # keep the tape from growing across rows
        for record in records.values():
            record.reset()
        print(f"{stmt:8} {x:7.1f} {z:8.1f} {t:7.1f} {t / z:6.2f} {r:7.1f}")


def rosenbrock(x: list) -> object:  # type: ignore[type-arg]
    """W2: the sum of 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2, written with * only."""
    s = 0.0
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]
        b = 1.0 - x[i]
        s = s + 100.0 * a * a + b * b
    return s


def best(f: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def w2() -> None:
    n = 1000
    values = [0.5 + 0.001 * i for i in range(n)]

    def floats() -> object:
        return rosenbrock(values)

    def forward() -> object:
        x = [Trace.constant(v) for v in values]
        x[0] = Trace.variable(values[0])
        return rosenbrock(x).derivative  # type: ignore[attr-defined]

    def reverse() -> object:
        tape = WengertList()
        x = tape.variables(values)
        return rosenbrock(x).derivatives()  # type: ignore[attr-defined]

    base = best(floats)
    print(f"\nW2 Rosenbrock, n = {n} ({8 * (n - 1)} operations); ratio to plain floats")
    contenders = [
        ("plain float", floats),
        ("Trace, one direction", forward),
        ("Record, record + backward", reverse),
    ]
    for name, f in contenders:
        t = best(f)
        print(f"{name:28} {t * 1e3:8.3f} ms  {t / base:6.2f} x")


def sweep_and_memory() -> None:
    n = 1_000_000
    tape = WengertList()
    x = tape.variable(1.0)
    y = x
    for _ in range(n):
        y = y * 1.0000001
    t = best(y.derivatives, repeat=5)  # type: ignore[attr-defined]
    print(f"\nW5 backward sweep over {len(tape):,} entries: {len(tape) / t / 1e6:.0f} million/s")

    del tape, x, y
    gc.collect()
    entries = 10_000_000
    before = resident_bytes()
    tape = WengertList()
    x = tape.variable(1.0)
    for _ in range(entries // 1000):
        y = x
        for _ in range(1000):
            y = y * 1.0000001
        del y
    grown = resident_bytes() - before
    print(
        f"W6 tape of {len(tape):,} entries: resident set grew by "
        f"{grown / 2**20:.0f} MiB, {grown / len(tape):.1f} bytes per entry"
    )


def resident_bytes() -> int:
    """The resident set size now (Linux: /proc/self/statm), not the peak."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize()


if __name__ == "__main__":
    micro_operations()
    w2()
    sweep_and_memory()
