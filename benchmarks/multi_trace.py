"""MultiTrace with k tangents against k separate Trace passes, on the Rosenbrock loop.

    python benchmarks/multi_trace.py

Run it on a release build (``pip install .`` or ``maturin develop --release``). The
workload is the Rosenbrock function of n = 1000 inputs as a scalar loop, written with
``*`` only (8 operations per step, 7992 in all); the derivatives wanted are those with
respect to the first k inputs. One MultiTrace pass carries k tangents (the other inputs
are ``MultiTrace.constant(x, k)``); the alternative is k Trace passes, each with one
input a variable and the rest constants. Prints the best CPU time (``process_time``, so
that other load on the machine counts less) of 21 runs (5 for the slowest), in
nanoseconds per operation of the loop, and checks that both give the same gradient bit
for bit.
"""

from __future__ import annotations

from collections.abc import Sequence

from wengert import MultiTrace, Trace

from _common import best

N = 1000
OPERATIONS = 8 * (N - 1)


def rosenbrock(x: Sequence[object]) -> object:
    """The sum of 100 (x[i+1] - x[i]^2)^2 + (1 - x[i])^2, written with * only."""
    s: object = 0.0
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]  # type: ignore[operator]
        b = 1.0 - x[i]  # type: ignore[operator]
        s = s + 100.0 * a * a + b * b
    return s


def main() -> None:
    values = [0.5 + 0.001 * i for i in range(N)]
    floats = best(lambda: rosenbrock(values), repeat=21)
    print(f"Rosenbrock loop, n = {N}: {OPERATIONS} operations a pass; ns per operation")
    print(f"float: {floats / OPERATIONS * 1e9:.1f}")
    print(f"{'k':>4} {'MultiTrace':>11} {'k Traces':>9} {'ratio':>6} {'per tangent':>12}")
    for k in (1, 2, 5, 10, 20, 50, 100):

        def multi(k: int = k) -> list[float]:
            inputs = MultiTrace.variables(values[:k]) + [
                MultiTrace.constant(v, k) for v in values[k:]
            ]
            result = rosenbrock(inputs)
            assert isinstance(result, MultiTrace)
            return [float(d) for d in result.derivative]

        def traces(k: int = k) -> list[float]:
            gradient = []
            for j in range(k):
                inputs = [Trace.constant(v) for v in values]
                inputs[j] = Trace.variable(values[j])
                result = rosenbrock(inputs)
                assert isinstance(result, Trace)
                gradient.append(result.derivative)
            return gradient

        assert multi() == traces(), "MultiTrace and Trace passes disagree"
        m = best(multi, repeat=21) / OPERATIONS * 1e9
        t = best(traces, repeat=5 if k > 20 else 21) / OPERATIONS * 1e9
        print(f"{k:>4} {m:11.1f} {t:9.1f} {t / m:6.2f} {m / k:12.1f}")


if __name__ == "__main__":
    main()
