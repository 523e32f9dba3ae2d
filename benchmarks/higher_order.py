"""Higher orders (W10): third derivatives of a Peng-Robinson Helmholtz energy against
num-dual, and 6th-order Taylor coefficients of W3 along a direction against nested
``jax.jvp``.

    python benchmarks/higher_order.py            # prints, and writes its section of RESULTS.md
    python benchmarks/higher_order.py --no-write  # prints only

Run it on a release build (``maturin develop --release``) with the ``bench`` extra
(num-dual; JAX where installed: its rows are left out otherwise). Times are the best
CPU time (``process_time``) of repeated calls; every contender's answer is checked
against wengert's to 1e-12 (relative) before it is timed.
"""

from __future__ import annotations

import importlib
import math
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

import wengert
from wengert import Jet, record

from _common import best, write_section

# --- Peng-Robinson residual Helmholtz energy of methane, A(T, V, n) / (R T)
R, TC, PC, OMEGA = 8.314462618, 190.564, 4.5992e6, 0.01142
A_C = 0.45724 * R**2 * TC**2 / PC
B = 0.07780 * R * TC / PC
KAPPA = 0.37464 + 1.54226 * OMEGA - 0.26992 * OMEGA**2
SQRT2 = math.sqrt(2.0)


def helmholtz(t: Any, v: Any, n: Any, sqrt: Callable[[Any], Any], log: Callable[[Any], Any]) -> Any:
    """The reduced residual Helmholtz energy (the num-dual example's model)."""
    alpha = (1 + KAPPA * (1 - sqrt(t / TC))) ** 2
    a = A_C * alpha
    bn = B * n
    return -n * log(1 - bn / v) - a * n / (2 * SQRT2 * B * R * t) * log(
        (v + (1 + SQRT2) * bn) / (v + (1 - SQRT2) * bn)
    )


def ours(t: Any, v: Any, n: Any) -> Any:
    return helmholtz(t, v, n, wengert.sqrt, wengert.log)


T0, V0, N0 = 250.0, 1e-4, 1.5


def close(a: float, b: float, rel: float = 1e-12) -> bool:
    return abs(a - b) <= rel * max(abs(a), abs(b), 1e-300)


Row = tuple[str, str, float, str]


def peng_robinson() -> list[Row]:
    nd: Any = importlib.import_module("num_dual")

    rows: list[Row] = []
    # d³A/dV³
    reference = ours(T0, Jet.variable(V0, 3), N0).derivatives[3]
    rec = record(lambda x: ours(x[0], x[1], x[2]), [T0, V0, N0])
    by_replay = rec.taylor([T0, V0, N0], [0.0, 1.0, 0.0], 3)[3]
    (_, _, _, by_num_dual) = nd.third_derivative(
        lambda v: helmholtz(T0, v, N0, nd_sqrt, nd_log), V0
    )
    assert close(by_replay, reference) and close(by_num_dual, reference), (
        reference,
        by_replay,
        by_num_dual,
    )
    what = "∂³A/∂V³"
    rows.append(
        (
            what,
            "wengert Jet (order 3)",
            best(lambda: ours(T0, Jet.variable(V0, 3), N0), inner=200),
            "",
        )
    )
    rows.append(
        (
            what,
            "wengert Recording.taylor",
            best(lambda: rec.taylor([T0, V0, N0], [0.0, 1.0, 0.0], 3), inner=200),
            "recorded once",
        )
    )
    rows.append(
        (
            what,
            "num-dual third_derivative",
            best(
                lambda: nd.third_derivative(lambda v: helmholtz(T0, v, N0, nd_sqrt, nd_log), V0),
                inner=200,
            ),
            "",
        )
    )
    # ∂³A/∂T∂V∂n
    e = np.eye(3)
    mixed = rec.third_directional([T0, V0, N0], e[0], e[1], e[2])
    nd_mixed = nd.third_partial_derivative(
        lambda t, v, n: helmholtz(t, v, n, nd_sqrt, nd_log), T0, V0, N0
    )[-1]
    assert close(mixed, nd_mixed, 1e-9), (mixed, nd_mixed)
    what = "∂³A/∂T∂V∂n"
    rows.append(
        (
            what,
            "wengert Recording.third_directional",
            best(lambda: rec.third_directional([T0, V0, N0], e[0], e[1], e[2]), inner=50),
            "7 Taylor passes",
        )
    )
    rows.append(
        (
            what,
            "num-dual third_partial_derivative",
            best(
                lambda: nd.third_partial_derivative(
                    lambda t, v, n: helmholtz(t, v, n, nd_sqrt, nd_log), T0, V0, N0
                ),
                inner=50,
            ),
            "",
        )
    )
    # the whole 3 x 3 x 3 tensor
    tensor = rec.third_derivative([T0, V0, N0])

    def nd_tensor() -> NDArray[np.float64]:
        out = np.zeros((3, 3, 3))
        x = [T0, V0, N0]
        for i in range(3):
            for j in range(i, 3):
                for k in range(j, 3):

                    def f(a: Any, b: Any, c: Any, i: int = i, j: int = j, k: int = k) -> Any:
                        args: list[Any] = list(x)
                        # a, b, c move inputs i, j, k (the same input may move twice)
                        args[i] = args[i] + (a - x[i])
                        args[j] = args[j] + (b - x[j])
                        args[k] = args[k] + (c - x[k])
                        return helmholtz(args[0], args[1], args[2], nd_sqrt, nd_log)

                    value = nd.third_partial_derivative(f, x[i], x[j], x[k])[-1]
                    for p in {(i, j, k), (i, k, j), (j, i, k), (j, k, i), (k, i, j), (k, j, i)}:
                        out[p] = value
        return out

    assert np.allclose(tensor, nd_tensor(), rtol=1e-8, atol=0), (tensor, nd_tensor())
    what = "all third partials (3x3x3)"
    rows.append(
        (
            what,
            "wengert Recording.third_derivative",
            best(lambda: rec.third_derivative([T0, V0, N0]), inner=10),
            "51 Taylor passes",
        )
    )
    rows.append(
        (
            what,
            "num-dual third_partial_derivative x 10",
            best(nd_tensor, inner=10),
            "the 10 distinct entries",
        )
    )
    return rows


def nd_sqrt(x: Any) -> Any:
    return x.sqrt() if hasattr(x, "sqrt") else math.sqrt(x)


def nd_log(x: Any) -> Any:
    return x.log() if hasattr(x, "log") else math.log(x)


# --- W3 along a direction: 6th-order Taylor coefficients
N_W3, ORDER = 1000, 6


def w3(x: Any) -> Any:
    s: Any = 0.0
    for xi in x:
        s = s + wengert.sin(xi) * wengert.exp(-xi * xi) / wengert.sqrt(1.0 + xi * xi)
    return s


def w3_taylor() -> tuple[list[Row], str]:
    x = [0.5 + 0.001 * i for i in range(N_W3)]
    v = [math.cos(i) for i in range(N_W3)]
    rows: list[Row] = []
    rec = record(w3, x)
    reference = rec.taylor(x, v, ORDER)

    def jets() -> Any:
        inputs = [Jet([xi, vi] + [0.0] * (ORDER - 1)) for xi, vi in zip(x, v, strict=True)]
        return w3(inputs).derivatives

    assert np.allclose(jets(), reference, rtol=1e-12, atol=0)
    what = f"W3, n = {N_W3}: derivatives 0..{ORDER} along v"
    rows.append(
        (what, "wengert Recording.taylor", best(lambda: rec.taylor(x, v, ORDER)), "recorded once")
    )
    rows.append((what, f"wengert Jet (order {ORDER})", best(jets, repeat=5), ""))
    note = ""
    try:
        jax: Any = importlib.import_module("jax")
        jnp: Any = importlib.import_module("jax.numpy")
    except ImportError:
        return rows, "JAX is not installed: its rows are left out."
    jax.config.update("jax_enable_x64", True)

    def f(z: Any) -> Any:
        return jnp.sum(jnp.sin(z) * jnp.exp(-z * z) / jnp.sqrt(1.0 + z * z))

    xs, vs = jnp.array(x), jnp.array(v)

    def nested(g: Callable[[Any], Any], depth: int) -> Callable[[Any], Any]:
        """The ``depth``-th derivative of t -> g(x + t v), by nested jvp."""
        if depth == 0:
            return g

        inner = nested(g, depth - 1)
        return lambda y: jax.jvp(inner, (y,), (vs,))[1]

    derivatives = [nested(f, k) for k in range(ORDER + 1)]

    def all_orders(y: Any) -> Any:
        return jnp.stack([d(y) for d in derivatives])

    compiled = jax.jit(all_orders)
    start = time.perf_counter()
    compiled(xs).block_until_ready()
    compile_seconds = time.perf_counter() - start
    got = np.asarray(compiled(xs))
    assert np.allclose(got, reference, rtol=1e-10, atol=0), (got, reference)
    rows.append(
        (
            what,
            "JAX nested jvp, jit",
            best(lambda: compiled(xs).block_until_ready()),
            f"compile {compile_seconds * 1e3:.0f} ms (wall), paid once",
        )
    )
    try:
        jet: Any = importlib.import_module("jax.experimental.jet")

        series = [vs] + [jnp.zeros_like(vs)] * (ORDER - 1)

        def by_jet(y: Any) -> Any:
            primal, coefficients = jet.jet(f, (y,), (series,))
            return jnp.stack([primal, *coefficients])

        compiled_jet = jax.jit(by_jet)
        start = time.perf_counter()
        compiled_jet(xs).block_until_ready()
        jet_compile = time.perf_counter() - start
        got = np.asarray(compiled_jet(xs))
        if np.allclose(got, reference, rtol=1e-10, atol=0):
            rows.append(
                (
                    what,
                    "JAX jax.experimental.jet, jit",
                    best(lambda: compiled_jet(xs).block_until_ready()),
                    f"compile {jet_compile * 1e3:.0f} ms (wall), paid once",
                )
            )
        else:
            note = (
                "jax.experimental.jet gave other numbers (its series convention) and is not timed."
            )
    except Exception as error:  # jet is experimental: report, do not fail
        note = f"jax.experimental.jet failed ({type(error).__name__}) and is not timed."
    return rows, note


def kepler(E: Any, p: Any) -> Any:
    return E - p[1] * wengert.sin(E) - p[0]


def solve_kepler(M: float, e: float, steps: int = 30) -> float:
    E = M
    for _ in range(steps):
        E -= (E - e * math.sin(E) - M) / (1 - e * math.cos(E))
    return E


def unrolled_kepler(p: Any, steps: int = 30) -> Any:
    E = p[0]
    for _ in range(steps):
        E = E - (E - p[1] * wengert.sin(E) - p[0]) / (1 - p[1] * wengert.cos(E))
    return E


def implicit_rows() -> list[Row]:
    """Kepler's equation E - e sin E = M: the gradient and Hessian of E(M, e)."""
    x = [1.1, 0.3]

    def through_implicit(p: Any) -> Any:
        return wengert.implicit(kepler, solve_kepler(p[0].number, p[1].number), p)

    def gradient_implicit() -> Any:
        tape = wengert.WengertList()
        p = tape.variables(x)
        d = through_implicit(p).derivatives()
        return [d[q] for q in p]

    def gradient_unrolled() -> Any:
        tape = wengert.WengertList()
        p = tape.variables(x)
        d = unrolled_kepler(p).derivatives()
        return [d[q] for q in p]

    assert np.allclose(gradient_implicit(), gradient_unrolled(), rtol=1e-12)
    hessian_implicit, hessian_unrolled = (
        wengert.hessian(through_implicit),
        wengert.hessian(unrolled_kepler),
    )
    assert np.allclose(hessian_implicit(x), hessian_unrolled(x), rtol=1e-10)
    what = "Kepler E(M, e): gradient"
    rows: list[Row] = [
        (what, "wengert.implicit, Records", best(gradient_implicit, inner=50), "solver on floats"),
        (what, "unrolled Newton (30 steps), Records", best(gradient_unrolled, inner=50), ""),
    ]
    what = "Kepler E(M, e): Hessian"
    rows += [
        (what, "wengert.hessian through implicit", best(lambda: hessian_implicit(x), inner=20), ""),
        (
            what,
            "wengert.hessian of unrolled Newton",
            best(lambda: hessian_unrolled(x), inner=20),
            "",
        ),
    ]
    return rows


def table(rows: list[Row]) -> list[str]:
    lines = ["| quantity | contender | time | note |", "|---|---|---:|---|"]
    for what, who, seconds, note in rows:
        shown = f"{seconds * 1e6:.1f} µs" if seconds < 1e-2 else f"{seconds * 1e3:.2f} ms"
        lines.append(f"| {what} | {who} | {shown} | {note} |")
    return lines


def main(argv: list[str]) -> int:
    rows = peng_robinson()
    more, note = w3_taylor()
    rows += more + implicit_rows()
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    lines = [
        "## Higher orders (W10)",
        "",
        f"Generated by `python benchmarks/higher_order.py` on {stamp}"
        f" (Python {platform.python_version()}, {platform.machine()}); best CPU time of one call, "
        "release build. Every answer was checked against wengert's to 1e-12 (num-dual's mixed "
        "partials to 1e-9, JAX to 1e-10) before timing.",
        "",
        "Peng-Robinson residual Helmholtz energy of methane, A(T, V, n), at T = 250 K, "
        "V = 1e-4 m³, n = 1.5 mol (the num-dual example's model). W3 is "
        "`s += sin(x)*exp(-x*x)/sqrt(1+x*x)`; its derivatives of order 0 to 6 along one "
        "direction v. Kepler: the derivatives of the solution E of E - e sin E = M, through "
        "`wengert.implicit` (the solver's 30 Newton steps on floats) against differentiating "
        "the unrolled Newton steps.",
        "",
        *table(rows),
    ]
    if note:
        lines += ["", note]
    text = "\n".join(lines) + "\n"
    print(text)
    if "--no-write" not in argv:
        write_section("higher_order.py", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
