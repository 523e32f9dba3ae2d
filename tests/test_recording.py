"""Record once, replay natively: ``wengert.record(f, x0)`` and the ``Recording`` it gives.

Every replayed result is checked three ways: against exact formulas, against central
finite differences (of replayed values and gradients), and against running ``f`` again
on floats, Records and Traces at the new point. Branches: every comparison of a Record
is a guard, and a replay where one comes out differently raises BranchChangedError from
every method, never a value. Escapes (reads of a value the recording cannot follow)
replay only at x0, bit for bit.
"""

from __future__ import annotations

import copy
import gc
import math
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from conftest import math_function, same_float
from hypothesis import given, settings
from hypothesis import strategies as st

import wengert
from wengert import (
    BranchChangedError,
    EscapedValueError,
    MixedModesError,
    MixedTapesError,
    MultiTrace,
    Record,
    Recording,
    Trace,
    WengertList,
    record,
)

HERE = __file__


def line_of(marker: str) -> int:
    """The line of this file that ends with the comment ``# <marker>``."""
    with open(HERE, encoding="utf-8") as source:
        lines = [i for i, line in enumerate(source, 1) if line.rstrip().endswith(f"# {marker}")]
    assert len(lines) == 1, (marker, lines)
    return lines[0]


def bits(a: Any) -> bytes:
    """The bytes of a float or of a float64 array (0.0 and -0.0 differ)."""
    if isinstance(a, float):
        return struct.pack("<d", a)
    array = np.asarray(a)
    assert array.dtype == np.float64
    return array.tobytes() + repr(array.shape).encode()


# ------------------------------------------------------------------ references


def on_records(f: Callable[[Any], Any], x: Any) -> tuple[float, Any]:
    """f's value and gradient from running it again on Records of a fresh tape at ``x``."""
    tape = WengertList()
    if isinstance(x, float):
        r = tape.variable(x)
        y = f(r)
        if not isinstance(y, Record):
            return float(y), 0.0
        return y.number, y.derivatives()[r]
    rs = [tape.variable(float(v)) for v in x]
    y = f(rs)
    if not isinstance(y, Record):
        return float(y), np.zeros(len(rs))
    d = y.derivatives()
    return y.number, np.array([d[r] for r in rs])


def on_traces(f: Callable[[Any], Any], x: Any) -> Any:
    """f's gradient by forward mode, one Trace pass per input."""
    if isinstance(x, float):
        y = f(Trace.variable(x))
        return y.derivative if isinstance(y, Trace) else 0.0
    gradient = []
    for j in range(len(x)):
        y = f([Trace(float(v), 1.0 if i == j else 0.0) for i, v in enumerate(x)])
        gradient.append(y.derivative if isinstance(y, Trace) else 0.0)
    return np.array(gradient)


def on_floats(f: Callable[[Any], Any], x: Any) -> float:
    """f's value run on plain floats."""
    y = f(x if isinstance(x, float) else [float(v) for v in x])
    return float(y)


def close(actual: Any, expected: Any, rel: float, scale: float = 1.0) -> None:
    """Equal within ``rel`` of the larger of ``scale`` and the expected magnitude."""
    actual, expected = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    assert np.all(np.isfinite(actual)), actual
    tolerance = rel * max(scale, float(np.max(np.abs(expected), initial=0.0)))
    assert np.max(np.abs(actual - expected), initial=0.0) <= tolerance, (actual, expected)


def step(v: float) -> float:
    return 1e-5 * max(1.0, abs(v))


def fd_gradient(rec: Recording[Any], x: Any) -> Any:
    """Central differences of replayed values."""
    if isinstance(x, float):
        h = step(x)
        return (rec.value(x + h) - rec.value(x - h)) / (2 * h)
    x = np.asarray(x, dtype=float)
    gradient = np.empty(len(x))
    for j in range(len(x)):
        e = np.zeros(len(x))
        e[j] = step(x[j])
        gradient[j] = (rec.value(x + e) - rec.value(x - e)) / (2 * e[j])
    return gradient


def fd_hessian(rec: Recording[Any], x: Any) -> Any:
    """Central differences of replayed gradients, column by column."""
    if isinstance(x, float):
        h = step(x)
        return (rec.gradient(x + h) - rec.gradient(x - h)) / (2 * h)
    x = np.asarray(x, dtype=float)
    columns = []
    for j in range(len(x)):
        e = np.zeros(len(x))
        e[j] = step(x[j])
        columns.append((rec.gradient(x + e) - rec.gradient(x - e)) / (2 * e[j]))
    return np.array(columns).T


# ------------------------------------------------------------------ the programs


@dataclass
class Program:
    """A function to record, where it is defined, and its exact derivatives."""

    name: str
    f: Callable[[Any], Any]
    x0: Any  # a float, or a list of floats
    points: st.SearchStrategy[Any]
    gradient: Callable[[Any], Any]
    hessian: Callable[[Any], Any]

    def __repr__(self) -> str:
        return self.name


def vectors(n: int, low: float, high: float) -> st.SearchStrategy[list[float]]:
    return st.lists(st.floats(low, high), min_size=n, max_size=n)


def rosenbrock(v: Any) -> Any:
    total = 0
    for i in range(len(v) - 1):
        total = total + 100 * (v[i + 1] - v[i] ** 2) ** 2 + (1 - v[i]) ** 2
    return total


def rosenbrock_gradient(v: Any) -> Any:
    v = np.asarray(v, dtype=float)
    g = np.zeros(len(v))
    g[:-1] += -400 * v[:-1] * (v[1:] - v[:-1] ** 2) - 2 * (1 - v[:-1])
    g[1:] += 200 * (v[1:] - v[:-1] ** 2)
    return g


def rosenbrock_hessian(v: Any) -> Any:
    v = np.asarray(v, dtype=float)
    n = len(v)
    h = np.zeros((n, n))
    for i in range(n - 1):
        h[i, i] += 1200 * v[i] ** 2 - 400 * v[i + 1] + 2
        h[i + 1, i + 1] += 200
        h[i, i + 1] = h[i + 1, i] = -400 * v[i]
    return h


def w3(v: Any) -> Any:
    """The benchmark workload W3: a sum of sin(x)·exp(-x²)/sqrt(1 + x²)."""
    total = 0.0
    for x in v:
        total = total + wengert.sin(x) * wengert.exp(-x * x) / wengert.sqrt(1 + x * x)
    return total


def w3_terms(x: float) -> tuple[float, float]:
    """The first and second derivatives of one term of W3, by the product rule."""
    s, ds, dds = math.sin(x), math.cos(x), -math.sin(x)
    e = math.exp(-x * x)
    de, dde = -2 * x * e, (4 * x * x - 2) * e
    r = (1 + x * x) ** -0.5
    dr, ddr = -x * r**3, -(r**3) + 3 * x * x * r**5
    first = ds * e * r + s * de * r + s * e * dr
    second = dds * e * r + s * dde * r + s * e * ddr + 2 * (ds * de * r + ds * e * dr + s * de * dr)
    return first, second


LN2, LN10 = math.log(2), math.log(10)
SQRT_PI = math.sqrt(math.pi)

# name: (first derivative, second derivative, domain)
UNARY: dict[str, tuple[Callable[[float], float], Callable[[float], float], tuple[float, float]]] = {
    "sin": (math.cos, lambda x: -math.sin(x), (-6, 6)),
    "cos": (lambda x: -math.sin(x), lambda x: -math.cos(x), (-6, 6)),
    "tan": (
        lambda x: 1 / math.cos(x) ** 2,
        lambda x: 2 * math.tan(x) / math.cos(x) ** 2,
        (-1.3, 1.3),
    ),
    "exp": (math.exp, math.exp, (-5, 5)),
    "ln": (lambda x: 1 / x, lambda x: -1 / x**2, (0.1, 10)),
    "log": (lambda x: 1 / x, lambda x: -1 / x**2, (0.1, 10)),
    "sqrt": (lambda x: 0.5 / math.sqrt(x), lambda x: -0.25 * x**-1.5, (0.1, 10)),
    "abs": (lambda x: math.copysign(1.0, x), lambda x: 0.0, (0.1, 10)),
    "asin": (lambda x: (1 - x * x) ** -0.5, lambda x: x * (1 - x * x) ** -1.5, (-0.9, 0.9)),
    "acos": (lambda x: -((1 - x * x) ** -0.5), lambda x: -x * (1 - x * x) ** -1.5, (-0.9, 0.9)),
    "atan": (lambda x: 1 / (1 + x * x), lambda x: -2 * x / (1 + x * x) ** 2, (-5, 5)),
    "sinh": (math.cosh, math.sinh, (-4, 4)),
    "cosh": (math.sinh, math.cosh, (-4, 4)),
    "tanh": (
        lambda x: 1 - math.tanh(x) ** 2,
        lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2),
        (-3, 3),
    ),
    "asinh": (lambda x: (1 + x * x) ** -0.5, lambda x: -x * (1 + x * x) ** -1.5, (-5, 5)),
    "acosh": (lambda x: (x * x - 1) ** -0.5, lambda x: -x * (x * x - 1) ** -1.5, (1.2, 8)),
    "atanh": (lambda x: 1 / (1 - x * x), lambda x: 2 * x / (1 - x * x) ** 2, (-0.9, 0.9)),
    "exp2": (lambda x: LN2 * 2**x, lambda x: LN2 * LN2 * 2**x, (-5, 5)),
    "expm1": (math.exp, math.exp, (-5, 5)),
    "log2": (lambda x: 1 / (x * LN2), lambda x: -1 / (x * x * LN2), (0.1, 10)),
    "log10": (lambda x: 1 / (x * LN10), lambda x: -1 / (x * x * LN10), (0.1, 10)),
    "log1p": (lambda x: 1 / (1 + x), lambda x: -1 / (1 + x) ** 2, (-0.8, 10)),
    "cbrt": (
        lambda x: 1 / (3 * math_function("cbrt")(x) ** 2),
        lambda x: -2 / (9 * math_function("cbrt")(x) ** 5),
        (0.2, 10),
    ),
    "erf": (
        lambda x: 2 / SQRT_PI * math.exp(-x * x),
        lambda x: -4 * x / SQRT_PI * math.exp(-x * x),
        (-3, 3),
    ),
    "erfc": (
        lambda x: -2 / SQRT_PI * math.exp(-x * x),
        lambda x: 4 * x / SQRT_PI * math.exp(-x * x),
        (-3, 3),
    ),
    "floor": (lambda x: 0.0, lambda x: 0.0, (-4.5, 4.9)),
    "ceil": (lambda x: 0.0, lambda x: 0.0, (-4.5, 4.9)),
    "trunc": (lambda x: 0.0, lambda x: 0.0, (-4.5, 4.9)),
}


def unary_program(name: str) -> Program:
    """``fn(0.5 * x)``: the function on an intermediate, so the chain rule is in play."""
    fn = getattr(wengert, name)
    d1, d2, (low, high) = UNARY[name]
    return Program(
        f"wengert.{name}",
        lambda x: fn(0.5 * x),
        float(low + high),  # 0.5 * x0 is the middle of the domain
        # (away from the jumps of floor, ceil and trunc, for the finite differences)
        st.floats(2 * low, 2 * high).filter(lambda x: abs(0.5 * x - round(0.5 * x)) > 1e-3),
        lambda x: 0.5 * d1(0.5 * x),
        lambda x: 0.25 * d2(0.5 * x),
    )


# name: (f(u, c), df/du, d2f/du2) of a constant c on one side
def constant_sides(c: float) -> dict[str, tuple[Callable[[Any], Any], Any, Any]]:
    return {
        "u + c": (lambda u: u + c, lambda u: 1.0, lambda u: 0.0),
        "c + u": (lambda u: c + u, lambda u: 1.0, lambda u: 0.0),
        "u - c": (lambda u: u - c, lambda u: 1.0, lambda u: 0.0),
        "c - u": (lambda u: c - u, lambda u: -1.0, lambda u: 0.0),
        "u * c": (lambda u: u * c, lambda u: c, lambda u: 0.0),
        "c * u": (lambda u: c * u, lambda u: c, lambda u: 0.0),
        "u / c": (lambda u: u / c, lambda u: 1 / c, lambda u: 0.0),
        "c / u": (lambda u: c / u, lambda u: -c / u**2, lambda u: 2 * c / u**3),
        "u ** c": (
            lambda u: u**c,
            lambda u: c * u ** (c - 1),
            lambda u: c * (c - 1) * u ** (c - 2),
        ),
        "c ** u": (
            lambda u: c**u,
            lambda u: c**u * math.log(c),
            lambda u: c**u * math.log(c) ** 2,
        ),
        "pow(u, c)": (
            lambda u: wengert.pow(u, c),
            lambda u: c * u ** (c - 1),
            lambda u: c * (c - 1) * u ** (c - 2),
        ),
        "pow(c, u)": (
            lambda u: wengert.pow(c, u),
            lambda u: c**u * math.log(c),
            lambda u: c**u * math.log(c) ** 2,
        ),
        "atan2(u, c)": (
            lambda u: wengert.atan2(u, c),
            lambda u: c / (u * u + c * c),
            lambda u: -2 * u * c / (u * u + c * c) ** 2,
        ),
        "atan2(c, u)": (
            lambda u: wengert.atan2(c, u),
            lambda u: -c / (u * u + c * c),
            lambda u: 2 * u * c / (u * u + c * c) ** 2,
        ),
        "hypot(u, c)": (
            lambda u: wengert.hypot(u, c),
            lambda u: u / math.hypot(u, c),
            lambda u: c * c / math.hypot(u, c) ** 3,
        ),
        "hypot(c, u)": (
            lambda u: wengert.hypot(c, u),
            lambda u: u / math.hypot(u, c),
            lambda u: c * c / math.hypot(u, c) ** 3,
        ),
        "log(u, c)": (
            lambda u: wengert.log(u, c),
            lambda u: 1 / (u * math.log(c)),
            lambda u: -1 / (u * u * math.log(c)),
        ),
    }


def constant_program(name: str, c: float) -> Program:
    """``op(u, c)`` with ``u = x·x + 0.5``: f' = op'(u)·2x and f'' = op''(u)·4x² + op'(u)·2."""
    op, d1, d2 = constant_sides(c)[name]
    return Program(
        f"{name} with c = {c!r}",
        lambda x: op(x * x + 0.5),
        1.25,
        st.floats(-3, 3),
        lambda x: d1(x * x + 0.5) * 2 * x,
        lambda x: d2(x * x + 0.5) * 4 * x * x + d1(x * x + 0.5) * 2,
    )


def two_variable_program(name: str) -> Program:
    x0 = [1.5, 0.75]
    points = st.tuples(st.floats(0.5, 3), st.floats(-2, 2)).map(list)

    def pow_hessian(v: Any) -> Any:
        a, b = v
        return np.array(
            [
                [b * (b - 1) * a ** (b - 2), a ** (b - 1) * (1 + b * math.log(a))],
                [a ** (b - 1) * (1 + b * math.log(a)), a**b * math.log(a) ** 2],
            ]
        )

    def atan2_hessian(v: Any) -> Any:
        y, x = v
        r4 = (x * x + y * y) ** 2
        return np.array([[-2 * x * y, y * y - x * x], [y * y - x * x, 2 * x * y]]) / r4

    def hypot_hessian(v: Any) -> Any:
        a, b = v
        r3 = math.hypot(a, b) ** 3
        return np.array([[b * b, -a * b], [-a * b, a * a]]) / r3

    def division_hessian(v: Any) -> Any:
        a, b = v
        return np.array([[0.0, -1 / b**2], [-1 / b**2, 2 * a / b**3]])

    table: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any], Callable[[Any], Any]]] = {
        "v0 ** v1": (
            lambda v: v[0] ** v[1],
            lambda v: [v[1] * v[0] ** (v[1] - 1), v[0] ** v[1] * math.log(v[0])],
            pow_hessian,
        ),
        "pow(v0, v1)": (
            lambda v: wengert.pow(v[0], v[1]),
            lambda v: [v[1] * v[0] ** (v[1] - 1), v[0] ** v[1] * math.log(v[0])],
            pow_hessian,
        ),
        "atan2(v0, v1)": (
            lambda v: wengert.atan2(v[0], v[1]),
            lambda v: [v[1] / (v[0] ** 2 + v[1] ** 2), -v[0] / (v[0] ** 2 + v[1] ** 2)],
            atan2_hessian,
        ),
        "hypot(v0, v1)": (
            lambda v: wengert.hypot(v[0], v[1]),
            lambda v: [v[0] / math.hypot(*v), v[1] / math.hypot(*v)],
            hypot_hessian,
        ),
        "v1 / v0": (
            lambda v: v[1] / v[0],
            lambda v: [-v[1] / v[0] ** 2, 1 / v[0]],
            lambda v: division_hessian([v[1], v[0]])[::-1, ::-1],
        ),
        "log(v0, v0 + 1)": (
            lambda v: wengert.log(v[0] + 1, v[0] + 2) * v[1],
            lambda v: [
                v[1]
                * (
                    1 / ((v[0] + 1) * math.log(v[0] + 2))
                    - math.log(v[0] + 1) / ((v[0] + 2) * math.log(v[0] + 2) ** 2)
                ),
                math.log(v[0] + 1) / math.log(v[0] + 2),
            ],
            lambda v: np.full((2, 2), np.nan),  # checked by finite differences only
        ),
    }
    f, gradient, hessian = table[name]
    return Program(name, f, x0, points, lambda v: np.array(gradient(v)), hessian)


def numpy_program() -> Program:
    weights = np.array([0.5, -1.5, 2.0, 3.0])

    def f(v: Any) -> Any:
        a = np.array(v)  # an object array of Records, or of floats
        return np.sum(a * weights) + np.dot(v, v) + np.sum(np.sin(a)) + np.prod(a[:2])

    def gradient(v: Any) -> Any:
        v = np.asarray(v, dtype=float)
        g = weights + 2 * v + np.cos(v)
        g[0] += v[1]
        g[1] += v[0]
        return g

    def hessian(v: Any) -> Any:
        h = np.diag(2 - np.sin(np.asarray(v, dtype=float)))
        h[0, 1] += 1
        h[1, 0] += 1
        return h

    return Program(
        "numpy object arrays", f, [0.1, 0.2, 0.3, 0.4], vectors(4, -3, 3), gradient, hessian
    )


def w3_program(n: int) -> Program:
    return Program(
        f"W3 n={n}",
        w3,
        [0.1 * (i + 1) for i in range(n)],
        vectors(n, -3, 3),
        lambda v: np.array([w3_terms(x)[0] for x in v]),
        lambda v: np.diag([w3_terms(x)[1] for x in v]),
    )


def rosenbrock_program(n: int) -> Program:
    return Program(
        f"Rosenbrock n={n}",
        rosenbrock,
        [(-1.0) ** i * 0.5 for i in range(n)],
        vectors(n, -2, 2),
        rosenbrock_gradient,
        rosenbrock_hessian,
    )


PROGRAMS = [
    *(rosenbrock_program(n) for n in (2, 10, 100)),
    w3_program(1),
    w3_program(6),
    *(unary_program(name) for name in UNARY),
    *(constant_program(name, c) for name in constant_sides(1.0) for c in (1.7, 3)),
    *(
        two_variable_program(name)
        for name in ("v0 ** v1", "pow(v0, v1)", "atan2(v0, v1)", "hypot(v0, v1)", "v1 / v0")
    ),
    two_variable_program("log(v0, v0 + 1)"),
    numpy_program(),
]


def test_every_math_function_of_wengert_is_a_program() -> None:
    functions = {
        name
        for name in wengert.__all__
        if name.islower() and callable(getattr(wengert, name)) and not name.startswith("_")
    }
    functional = {"derivative", "grad", "hessian", "hvp", "jacobian", "jvp", "value_and_grad"}
    functional |= {"vjp", "record", "pow", "atan2", "hypot", "implicit"}
    functional |= {"sparse_jacobian", "sparse_hessian", "custom"}
    assert functions - functional == set(UNARY)


# ------------------------------------------------------------------ the programs replayed


def check_program_at(program: Program, rec: Recording[Any], x: Any) -> None:
    f = program.f
    scalar = isinstance(program.x0, float)
    n = 1 if scalar else len(program.x0)

    value = rec.value(x)
    assert type(value) is float
    assert same_float(value, on_records(f, x)[0])
    close(value, on_floats(f, x), 1e-12, scale=0.0)

    gradient = rec.gradient(x)
    if scalar:
        assert type(gradient) is float
    else:
        assert gradient.shape == (n,) and gradient.dtype == np.float64
    close(gradient, on_records(f, x)[1], 1e-12)
    close(gradient, on_traces(f, x), 1e-11)
    close(gradient, program.gradient(x), 1e-9)
    close(gradient, fd_gradient(rec, x), 1e-6)

    both = rec.value_and_gradient(x)
    assert bits(both[0]) == bits(value) and bits(both[1]) == bits(gradient)
    jacobian = rec.jacobian(x)
    assert jacobian.shape == (1, n)
    assert bits(jacobian.ravel()) == bits(np.atleast_1d(np.asarray(gradient, dtype=float)))

    hessian = rec.hessian(x)
    if scalar:
        assert type(hessian) is float
    else:
        assert hessian.shape == (n, n) and hessian.dtype == np.float64
    exact = program.hessian(x)
    if not np.any(np.isnan(exact)):
        close(hessian, exact, 1e-9)
    close(hessian, fd_hessian(rec, x), 1e-6)
    h = np.atleast_2d(hessian)
    close(h, h.T, 1e-12)
    v = 0.75 if scalar else np.linspace(-1.0, 2.0, n)
    product = rec.hvp(x, v)
    if scalar:
        assert type(product) is float
    close(product, np.asarray(hessian) @ np.asarray(v) if not scalar else hessian * v, 1e-11)
    rows = np.array([np.atleast_1d(np.asarray(x, dtype=float))] * 2)
    assert bits(rec.gradients(rows)) == bits(np.array([np.atleast_1d(gradient)] * 2))


@pytest.mark.parametrize("program", PROGRAMS, ids=repr)
def test_replay_at_x0_is_the_records(program: Program) -> None:
    """At x0 the replay gives exactly what the Records gave while recording."""
    rec = record(program.f, program.x0)
    value, gradient = on_records(program.f, program.x0)
    assert bits(rec.value(program.x0)) == bits(value)
    assert bits(rec.gradient(program.x0)) == bits(gradient)
    assert rec.n_comparisons == 0 and rec.escapes == []
    check_program_at(program, rec, program.x0)


@pytest.mark.parametrize("program", PROGRAMS, ids=repr)
@settings(max_examples=15)
@given(data=st.data())
def test_replay_at_other_points(program: Program, data: st.DataObject) -> None:
    rec = record(program.f, program.x0)
    x = data.draw(program.points)
    check_program_at(program, rec, x)


@settings(max_examples=15)
@given(x=vectors(10, -2, 2))
def test_functional_hessian_and_hvp(x: list[float]) -> None:
    exact = rosenbrock_hessian(x)
    hessian = wengert.hessian(rosenbrock)(x)
    close(hessian, exact, 1e-12)
    v = np.cos(np.arange(10.0))
    close(wengert.hvp(rosenbrock, x, v), exact @ v, 1e-12)
    close(wengert.hvp(rosenbrock, x, list(v)), exact @ v, 1e-12)
    assert wengert.hessian(lambda t: t**4)(2.0) == 48.0
    assert wengert.hvp(lambda t: t**4, 2.0, 0.5) == 24.0
    # recorded where it is called, so either branch is fine
    assert wengert.hessian(abs_like)(-3.0) == 0.0
    assert wengert.hessian(lambda t: t * t * t if t > 0 else -t * t)(-2.0) == -2.0
    assert wengert.hessian(lambda t: t * t * t if t > 0 else -t * t)(2.0) == 12.0


# ------------------------------------------------------------------ multiple outputs


def many_out(v: Any) -> Any:
    return [v[0] * v[1], wengert.sin(v[0]), 3.0, v[1], v[0] / v[1]]


def many_out_jacobian(v: Any) -> Any:
    a, b = v
    return np.array(
        [[b, a], [math.cos(a), 0.0], [0.0, 0.0], [0.0, 1.0], [1 / b, -a / b**2]],
    )


def few_out(v: Any) -> Any:
    return (v[0] * v[1] * v[2], v[0] + wengert.exp(v[2]))


def few_out_jacobian(v: Any) -> Any:
    a, b, c = v
    return np.array([[b * c, a * c, a * b], [1.0, 0.0, math.exp(c)]])


@pytest.mark.parametrize(
    ("f", "exact", "x0"),
    [(many_out, many_out_jacobian, [1.0, 2.0]), (few_out, few_out_jacobian, [1.0, 2.0, 0.5])],
)
@settings(max_examples=20)
@given(data=st.data())
def test_many_outputs(f: Any, exact: Any, x0: list[float], data: st.DataObject) -> None:
    rec = record(f, x0)
    n, m = len(x0), len(f(x0))
    assert (rec.n_inputs, rec.n_outputs) == (n, m)
    x = data.draw(vectors(n, 0.5, 3))
    values = rec.value(x)
    assert values.shape == (m,) and values.dtype == np.float64
    tape = WengertList()
    rs = [tape.variable(v) for v in x]
    outs = f(rs)
    for k, out in enumerate(outs):
        number = out.number if isinstance(out, Record) else float(out)
        assert same_float(float(values[k]), number)
    close(values, [float(y) for y in f(x)], 1e-12, scale=0.0)
    jacobian = rec.jacobian(x)
    assert jacobian.shape == (m, n) and jacobian.dtype == np.float64
    close(jacobian, exact(x), 1e-12)
    for mode in ("forward", "reverse", "auto"):
        close(jacobian, wengert.jacobian(f, mode)(x), 1e-12)
    for k, out in enumerate(outs):
        if isinstance(out, Record):
            d = out.derivatives()
            close(jacobian[k], [d[r] for r in rs], 1e-12)
    for method, call in (
        ("gradient(x)", lambda: rec.gradient(x)),
        ("gradient(x)", lambda: rec.value_and_gradient(x)),
        ("hessian(x)", lambda: rec.hessian(x)),
        ("hvp(x, v)", lambda: rec.hvp(x, x)),
        ("gradients(X)", lambda: rec.gradients([x])),
    ):
        with pytest.raises(ValueError, match="one output") as info:
            call()
        assert method in str(info.value) and "jacobian(x)" in str(info.value)


def test_outputs_of_every_form() -> None:
    r = record(lambda v: np.array(v, dtype=object) * 2.0, [1.0, 2.0, 3.0])
    assert r.jacobian([4.0, 5.0, 6.0]).tolist() == (2 * np.eye(3)).tolist()
    assert r.value([4.0, 5.0, 6.0]).tolist() == [8.0, 10.0, 12.0]
    r = record(lambda x: (x, 2 * x), 3.0)
    assert r.value(4.0).tolist() == [4.0, 8.0]
    assert r.jacobian(4.0).tolist() == [[1.0], [2.0]]
    for constant in (2.0, 2, np.float64(2.0), Record.constant(2.0)):
        r = record(lambda x, constant=constant: constant, 3.0)
        assert (r.value(5.0), r.gradient(5.0), r.hessian(5.0)) == (2.0, 0.0, 0.0)
        assert r.hvp(5.0, 1.0) == 0.0
    r = record(lambda v: v[1], [1.0, 2.0])
    assert r.gradient([7.0, 8.0]).tolist() == [0.0, 1.0]
    assert r.hessian([7.0, 8.0]).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    r = record(lambda v: [], [1.0])
    assert r.value([2.0]).shape == (0,) and r.jacobian([2.0]).shape == (0, 1)
    r = record(lambda v: 2.0 + sum(v), [])
    assert r.n_inputs == 0
    assert r.value([]) == 2.0 and r.gradient([]).shape == (0,)
    assert r.hessian([]).shape == (0, 0)
    assert r.gradients(np.zeros((3, 0))).shape == (3, 0)


# ------------------------------------------------------------------ branch guards


def f_if(v: Any) -> Any:
    if v[0] > 0.0:  # guard: if
        return v[0] * v[1]
    return -v[1]


def abs_like(x: Any) -> Any:
    return x if x >= 0 else -x  # guard: abs-like


def f_truth(v: Any) -> Any:
    if v[0]:  # guard: truth
        return v[0] * v[1]
    return v[1]


def f_equal(x: Any) -> Any:
    if x == 1.0:  # guard: equal
        return x * 0.0 + 1.0
    return x * x


def f_min_max(v: Any) -> Any:
    return max(v[0], v[1]) * min(v[0], 2.0)  # guard: min-max


def every_method(rec: Recording[Any], x: Any) -> list[tuple[str, Callable[[], object]]]:
    """Each way of replaying ``rec`` at ``x`` (gradients with x among good rows)."""
    good = np.atleast_1d(np.asarray(rec.x0, dtype=float))
    rows = [good, np.atleast_1d(np.asarray(x, dtype=float)), good]
    return [
        ("value", lambda: rec.value(x)),
        ("gradient", lambda: rec.gradient(x)),
        ("value_and_gradient", lambda: rec.value_and_gradient(x)),
        ("jacobian", lambda: rec.jacobian(x)),
        ("hessian", lambda: rec.hessian(x)),
        ("hvp", lambda: rec.hvp(x, x)),
        ("gradients", lambda: rec.gradients(rows)),
    ]


def refuses_everywhere(rec: Recording[Any], x: Any, error: type[Exception], *words: str) -> None:
    """Every method raises ``error`` at ``x`` (never a value), with ``words`` in the message."""
    for name, call in every_method(rec, x):
        with pytest.raises(error) as info:
            call()
        text = str(info.value)
        for word in words:
            assert word in text, (name, word, text)


def agrees_everywhere(
    f: Callable[[Any], Any], rec: Recording[Any], x: Any, differences: bool = True
) -> None:
    """At ``x`` (where f takes the recorded branches) every method gives f's answers (and
    the Hessian its finite differences, unless ``x`` is at the edge of a branch)."""
    value, gradient = on_records(f, x)
    assert bits(rec.value(x)) == bits(value)
    assert bits(rec.gradient(x)) == bits(gradient)
    if differences:
        close(rec.hessian(x), fd_hessian(rec, x), 1e-6)
    rows = np.array([np.atleast_1d(np.asarray(x, dtype=float))] * 3)
    assert bits(rec.gradients(rows)) == bits(np.array([np.atleast_1d(gradient)] * 3))


def test_if_guard() -> None:
    rec = record(f_if, [1.0, 2.0])
    assert rec.n_comparisons == 1 and rec.escapes == []
    agrees_everywhere(f_if, rec, [3.0, 4.0])
    assert rec.gradient([3.0, 4.0]).tolist() == [4.0, 3.0]
    assert rec.hessian([3.0, 4.0]).tolist() == [[0.0, 1.0], [1.0, 0.0]]
    where = f"{HERE}:{line_of('guard: if')} in f_if"
    for x in ([-1.0, 2.0], [0.0, 2.0], [-0.0, 2.0], [-1e-300, 5.0]):
        refuses_everywhere(
            rec, x, BranchChangedError, "x[0] > 0.0", where, "was True", "Record again"
        )
    other = record(f_if, [-1.0, 2.0])
    agrees_everywhere(f_if, other, [-5.0, 1.0])
    assert other.gradient([-5.0, 1.0]).tolist() == [0.0, -1.0]
    refuses_everywhere(other, [1.0, 2.0], BranchChangedError, "was False", "is True")


def test_branch_changed_is_not_escaped() -> None:
    rec = record(f_if, [1.0, 2.0])
    with pytest.raises(BranchChangedError) as info:
        rec.value([-1.0, 2.0])
    assert type(info.value) is BranchChangedError
    assert isinstance(info.value, ValueError)


def test_abs_like_guard_against_int() -> None:
    rec = record(abs_like, 3.0)
    assert rec.n_comparisons == 1 and rec.escapes == []
    agrees_everywhere(abs_like, rec, 2.0)
    assert (rec.value(2.0), rec.gradient(2.0), rec.hessian(2.0)) == (2.0, 1.0, 0.0)
    assert rec.value(0.0) == 0.0  # 0.0 >= 0 holds as well
    where = f"{HERE}:{line_of('guard: abs-like')} in abs_like"
    refuses_everywhere(rec, -1.0, BranchChangedError, "x >= 0.0", where)
    neg = record(abs_like, -3.0)
    agrees_everywhere(abs_like, neg, -1.0)
    assert (neg.value(-1.0), neg.gradient(-1.0)) == (1.0, -1.0)
    refuses_everywhere(neg, 0.0, BranchChangedError, "x >= 0.0")
    refuses_everywhere(neg, -0.0, BranchChangedError, "x >= 0.0")


def test_truth_guard() -> None:
    rec = record(f_truth, [1.0, 2.0])
    assert rec.n_comparisons == 1
    agrees_everywhere(f_truth, rec, [-3.0, 4.0])
    where = f"{HERE}:{line_of('guard: truth')} in f_truth"
    for x in ([0.0, 2.0], [-0.0, 2.0]):
        refuses_everywhere(rec, x, BranchChangedError, where, "Record again")
    zero = record(f_truth, [0.0, 2.0])
    agrees_everywhere(f_truth, zero, [-0.0, 7.0], differences=False)
    assert zero.hessian([-0.0, 7.0]).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    refuses_everywhere(zero, [5e-324, 2.0], BranchChangedError, where)


def test_equality_guard() -> None:
    rec = record(f_equal, 2.0)
    agrees_everywhere(f_equal, rec, 3.0)
    where = f"{HERE}:{line_of('guard: equal')} in f_equal"
    refuses_everywhere(rec, 1.0, BranchChangedError, "x == 1.0", where)
    at_one = record(f_equal, 1.0)
    assert (at_one.value(1.0), at_one.gradient(1.0)) == (1.0, 0.0)
    refuses_everywhere(at_one, 1.0000000000000002, BranchChangedError, "x == 1.0")
    ne = record(lambda x: x * 2.0 if x != 1.0 else x, 3.0)
    assert ne.value(4.0) == 8.0
    refuses_everywhere(ne, 1.0, BranchChangedError, "x != 1.0")


def test_min_max_guards() -> None:
    rec = record(f_min_max, [3.0, 1.0])  # max is v[0], min is 2.0
    assert rec.n_comparisons == 2
    agrees_everywhere(f_min_max, rec, [5.0, 4.0])
    assert rec.value([5.0, 4.0]) == 10.0 and rec.gradient([5.0, 4.0]).tolist() == [2.0, 0.0]
    where = f"{HERE}:{line_of('guard: min-max')} in f_min_max"
    for x in ([3.0, 4.0], [1.0, 0.0]):
        refuses_everywhere(rec, x, BranchChangedError, where)
    other = record(f_min_max, [1.0, 3.0])  # max is v[1], min is v[0]
    assert other.value([1.5, 2.5]) == 3.75
    assert other.gradient([1.5, 2.5]).tolist() == [2.5, 1.5]
    refuses_everywhere(other, [2.5, 3.0], BranchChangedError, where)


def newton_sqrt(a: Any, counter: list[int] | None = None) -> Any:
    y = a
    while abs(y * y - a) > 1e-12 * a:  # guard: newton
        y = 0.5 * (y + a / y)
        if counter is not None:
            counter[0] += 1
    return y


@settings(max_examples=100)
@given(a=st.floats(0.5, 8.0))
def test_while_loop_with_data_dependent_count(a: float) -> None:
    """The same number of iterations: exactly f's value; another number: an error, never a value."""
    rec = record(newton_sqrt, 2.0)
    recorded, here = [0], [0]
    newton_sqrt(2.0, recorded)
    value = newton_sqrt(a, here)
    assert rec.n_comparisons == recorded[0] + 1
    if here == recorded:
        assert same_float(rec.value(a), value)
        assert abs(rec.gradient(a) - 0.5 / math.sqrt(a)) < 1e-8
        assert same_float(rec.gradient(a), on_records(newton_sqrt, a)[1])
    else:
        refuses_everywhere(rec, a, BranchChangedError, f"{HERE}:{line_of('guard: newton')}")


def test_while_loop_takes_both_ways() -> None:
    rec = record(newton_sqrt, 2.0)
    counts = set()
    for a in np.linspace(0.5, 8.0, 200):
        count = [0]
        newton_sqrt(float(a), count)
        counts.add(count[0])
        try:
            rec.value(float(a))
        except BranchChangedError:
            continue
    assert len(counts) > 1  # the test above sees both cases


def two_guards(v: Any) -> Any:
    a = v[0] * 2.0
    if v[1] > 0.0:  # guard: first
        a = a * v[1]
    if a > 0.0:  # guard: second
        return a * a
    return a


def test_the_first_changed_comparison_is_reported() -> None:
    rec = record(two_guards, [1.0, 1.0])
    assert rec.n_comparisons == 2
    first = f"{HERE}:{line_of('guard: first')}"
    second = f"{HERE}:{line_of('guard: second')}"
    with pytest.raises(BranchChangedError) as info:
        rec.value([-1.0, -1.0])  # both change
    assert "comparison 1 of 2" in str(info.value) and first in str(info.value)
    assert "x[1] > 0.0" in str(info.value)
    with pytest.raises(BranchChangedError) as info:
        rec.gradient([-1.0, 1.0])
    assert "comparison 2 of 2" in str(info.value) and second in str(info.value)
    assert "entry" in str(info.value)  # a is an intermediate value
    agrees_everywhere(two_guards, rec, [2.0, 3.0])


def test_comparisons_with_ints() -> None:
    """An int that is exactly a float is a guard; any other int is an escape."""
    for bound in (0, 3, -(2**53), 2**53, 2**1000, np.int64(5), np.float32(2.5)):
        rec = record(lambda x, bound=bound: x * 2.0 if x < bound else x * 3.0, 1.0)
        assert rec.escapes == [] and rec.n_comparisons == 1, bound
    rec = record(lambda x: x * 2.0 if x < 3 else x * 3.0, 1.0)
    assert rec.value(2.5) == 5.0
    refuses_everywhere(rec, 3.0, BranchChangedError, "x < 3.0")
    for bound in (2**53 + 1, 10**400, -(10**400), 3**100):
        rec = record(lambda x, bound=bound: x * 2.0 if x < bound else x * 3.0, 1.0)
        assert rec.n_comparisons == 0
        assert len(rec.escapes) == 1 and "not exactly a float" in rec.escapes[0], bound
        assert rec.value(1.0) == (2.0 if 1.0 < bound else 3.0)
        refuses_everywhere(rec, 1.5, EscapedValueError, "not exactly a float")


def test_comparisons_of_two_records() -> None:
    rec = record(lambda v: sorted(v)[0] * 10.0 + sorted(v)[-1], [3.0, 1.0, 2.0])
    assert rec.value([6.0, 4.0, 5.0]) == 46.0
    assert rec.gradient([6.0, 4.0, 5.0]).tolist() == [1.0, 10.0, 0.0]
    refuses_everywhere(rec, [1.0, 3.0, 2.0], BranchChangedError, "x[")
    numpy_scalar = record(lambda x: x if np.float64(0.0) < x else -x, 1.0)
    assert numpy_scalar.n_comparisons == 1
    refuses_everywhere(numpy_scalar, -1.0, BranchChangedError, "0.0")


def test_comparisons_on_records_of_other_tapes_are_constants() -> None:
    """A Record on another tape is a constant to this recording, compared by its number."""
    outside = WengertList().variable(2.0)
    rec = record(lambda x: x * 2.0 if x > outside else x, 3.0)
    assert rec.value(4.0) == 8.0 and rec.gradient(4.0) == 2.0
    refuses_everywhere(rec, 1.0, BranchChangedError, "x > 2.0")


# ------------------------------------------------------------------ escapes

ESCAPES: dict[str, Callable[[Any], Any]] = {
    ".number": lambda x: x * x.number,
    "str()": lambda x: x * float(str(x)),
    "format()": lambda x: x * float(f"{x:.17g}"),
    "repr()": lambda x: x + len(repr(x)),
    "hash()": lambda x: x + (hash(x) % 7),
    "derivatives()": lambda x: x * (x * x).derivatives()[x],
    "derivatives() (try)": lambda x: x * (x * x).try_derivatives()[x],
    "a comparison with an int that is not exactly a float": lambda x: x if x < 10**400 else -x,
}


@pytest.mark.parametrize("kind", ESCAPES)
@pytest.mark.parametrize("x0", [1.5, -0.0, 0.0])
def test_escapes_replay_only_at_x0(kind: str, x0: float) -> None:
    f = ESCAPES[kind]
    rec = record(f, x0)
    read = kind.split(" (")[0]
    assert len(rec.escapes) == 1 and rec.escapes[0].startswith(read), rec.escapes
    assert f"{HERE}:" in rec.escapes[0] and "<lambda>" in rec.escapes[0]
    assert "escapes=1" in repr(rec)
    value, gradient = on_records(f, x0)
    assert bits(rec.value(x0)) == bits(value)
    assert bits(rec.gradient(x0)) == bits(gradient)
    assert bits(rec.value_and_gradient(x0)[1]) == bits(gradient)
    assert rec.jacobian(x0).shape == (1, 1)
    assert rec.hessian(x0) == rec.hessian(x0)
    assert bits(rec.gradients([[x0], [x0]])) == bits(np.array([[gradient], [gradient]]))
    other = -x0 if x0 == 0.0 else x0 + 1e-9  # 0.0 and -0.0 are different points
    refuses_everywhere(rec, other, EscapedValueError, read, "Record again", "wengert.record(f, x)")


def test_escapes_with_sequence_inputs() -> None:
    def f(v: Any) -> Any:
        return v[0] * v[1].number + v[1]

    rec = record(f, [2.0, -0.0])
    assert rec.value([2.0, -0.0]) == 0.0 and rec.gradient([2.0, -0.0]).tolist() == [-0.0, 1.0]
    for x in ([2.0, 0.0], [2.0000000000000004, -0.0]):
        refuses_everywhere(rec, x, EscapedValueError, ".number")
    assert issubclass(EscapedValueError, BranchChangedError)


def test_many_escapes_are_counted() -> None:
    def f(x: Any) -> Any:
        total = x
        for _ in range(20):
            total = total + x.number
        return total

    rec = record(f, 1.0)
    assert "escapes=20" in repr(rec)
    assert rec.escapes and all(e.startswith(".number at ") for e in rec.escapes)
    with pytest.raises(EscapedValueError, match=r"and 19 more such reads"):
        rec.value(2.0)
    assert rec.value(1.0) == 21.0


def test_no_escapes_and_no_comparisons() -> None:
    rec = record(lambda v: v[0] * v[1], [1.0, 2.0])
    assert rec.escapes == [] and rec.n_comparisons == 0
    assert repr(rec) == "Recording(n_inputs=2, n_outputs=1, entries=3, comparisons=0)"


# ------------------------------------------------------------------ custom operations


def test_custom_unary_replays_through_the_functions() -> None:
    calls: list[float] = []

    def fx(u: float) -> float:
        calls.append(u)
        return math.sin(u)

    def f(x: Any) -> Any:
        return (x * x).unary(fx, math.cos) * 3.0 + x

    rec = record(f, 0.5)
    calls.clear()
    for x in (0.25, 1.1, -2.0):
        assert same_float(rec.value(x), 3.0 * math.sin(x * x) + x)
        assert calls[-1] == x * x
        close(rec.gradient(x), 6.0 * x * math.cos(x * x) + 1.0, 1e-15)
        assert same_float(rec.gradient(x), on_records(f, x)[1])
        close(rec.jacobian(x), [[rec.gradient(x)]], 0.0)
    for call in (lambda: rec.hessian(0.3), lambda: rec.hvp(0.3, 1.0)):
        with pytest.raises(ValueError, match=r"unary\(\) or binary\(\)") as info:
            call()
        assert f"{HERE}:" in str(info.value) and "gradient()" in str(info.value)


def test_custom_binary_both_orders_and_constants() -> None:
    def fxy(a: float, b: float) -> float:
        return a * a * b

    def dx(a: float, b: float) -> float:
        return 2 * a * b

    def dy(a: float, b: float) -> float:
        return a * a

    def both(v: Any) -> Any:
        return v[0].binary(v[1], fxy, dx, dy) + v[1].binary(v[0], fxy, dx, dy)

    def right(v: Any) -> Any:
        return v[0].binary(3.0, fxy, dx, dy) + v[1].binary(2, fxy, dx, dy)

    def left(v: Any) -> Any:
        return Record.constant(3.0).binary(v[0], fxy, dx, dy) * v[1]

    rec = record(both, [1.0, 2.0])
    for a, b in ((0.5, 1.5), (-2.0, 3.0)):
        assert rec.value([a, b]) == a * a * b + b * b * a
        assert rec.gradient([a, b]).tolist() == [2 * a * b + b * b, a * a + 2 * b * a]
    rec = record(right, [1.0, 2.0])
    assert rec.value([0.5, 1.5]) == 0.5 * 0.5 * 3.0 + 1.5 * 1.5 * 2
    assert rec.gradient([0.5, 1.5]).tolist() == [2 * 0.5 * 3.0, 2 * 1.5 * 2]
    rec = record(left, [1.0, 2.0])
    assert rec.value([0.5, 1.5]) == 9.0 * 0.5 * 1.5
    assert rec.gradient([0.5, 1.5]).tolist() == [9.0 * 1.5, 9.0 * 0.5]
    for call in (lambda: rec.hessian([0.5, 1.5]), lambda: rec.hvp([0.5, 1.5], [1.0, 0.0])):
        with pytest.raises(ValueError, match=r"binary\(\)"):
            call()


def test_custom_errors_propagate() -> None:
    def fx(u: float) -> float:
        if u < 0:
            raise ZeroDivisionError("the user's function refuses negatives")
        return math.sqrt(u)

    rec = record(lambda x: x.unary(fx, lambda u: 0.5 / math.sqrt(u)), 4.0)
    assert rec.value(9.0) == 3.0 and rec.gradient(9.0) == 0.5 / 3.0
    for call in (lambda: rec.value(-1.0), lambda: rec.gradient(-1.0), lambda: rec.jacobian(-1.0)):
        with pytest.raises(ZeroDivisionError, match="refuses negatives"):
            call()
    with pytest.raises(ZeroDivisionError, match="refuses negatives"):
        rec.gradients([[9.0], [-1.0]])
    bad = record(lambda x: x.unary(lambda u: 1.0 if u > 0 else "no", lambda u: 0.0), 1.0)
    with pytest.raises(TypeError, match="fx"):
        bad.value(-1.0)
    assert rec.value(16.0) == 4.0  # the recording still works afterwards


def test_round_replays() -> None:
    def f(x: Any) -> Any:
        return round(x) * x + round(x, 2) * 10.0

    rec = record(f, 1.234)
    for x in (2.567, 2.5, 3.5, -1.005, 0.1):
        assert same_float(rec.value(x), round(x) * x + round(x, 2) * 10.0)
        assert rec.gradient(x) == float(round(x))
        assert same_float(rec.gradient(x), on_records(f, x)[1])
    rec = record(lambda x: round(x) * x * x, 1.7)
    assert rec.hessian(3.2) == 6.0 and rec.hvp(3.2, 0.5) == 3.0
    assert rec.hessian(-1.7) == -4.0
    huge = record(lambda x: round(x * 1e300), 1.0)
    with pytest.raises(OverflowError):
        huge.value(1e10)
    with pytest.raises(OverflowError):
        round(WengertList().variable(1e10) * 1e300)


# ------------------------------------------------------------------ math errors


MATH_ERRORS: list[tuple[Callable[[Any], Any], float, float]] = [
    (lambda x: wengert.ln(x), 1.0, -1.0),
    (lambda x: wengert.ln(x - 1.0), 3.0, 1.0),
    (lambda x: wengert.sqrt(x), 1.0, -1.0),
    (lambda x: wengert.asin(x), 0.5, 2.0),
    (lambda x: wengert.atanh(x), 0.5, 1.0),
    (lambda x: 1.0 / x, 1.0, 0.0),
    (lambda x: x / (x - 1.0), 3.0, 1.0),
    (lambda x: x**-1.0, 1.0, 0.0),
    (lambda x: x**0.5, 1.0, -1.0),
    (lambda x: wengert.exp(x), 1.0, 1000.0),
    (lambda x: x**x, 2.0, 300.0),
    (lambda x: wengert.cosh(x), 1.0, 800.0),
]


@pytest.mark.parametrize(("f", "x0", "bad"), MATH_ERRORS)
def test_math_errors_are_fs_own(f: Any, x0: float, bad: float) -> None:
    with pytest.raises((ArithmeticError, ValueError)) as expected:
        f(WengertList().variable(bad))
    rec = record(f, x0)
    for name, call in every_method(rec, bad):
        with pytest.raises(type(expected.value)) as info:
            call()
        assert type(info.value) is type(expected.value), name
        assert "entry" in str(info.value), name


# ------------------------------------------------------------------ input checks


def test_point_checks() -> None:
    rec = record(lambda v: v[0] * v[1], [1.0, 2.0])
    methods: list[tuple[str, Callable[[Any], object]]] = [
        ("value(x)", rec.value),
        ("gradient(x)", rec.gradient),
        ("gradient(x)", rec.value_and_gradient),
        ("jacobian(x)", rec.jacobian),
        ("hessian(x)", rec.hessian),
        ("hvp(x, v)", lambda x: rec.hvp(x, [1.0, 1.0])),
    ]
    for name, method in methods:
        with pytest.raises(ValueError, match="has 3 numbers, but the recording has 2 inputs"):
            method([1.0, 2.0, 3.0])
        with pytest.raises(ValueError, match="has 1 numbers"):
            method(np.array([1.0]))
        for bad in (math.nan, math.inf, -math.inf):
            with pytest.raises(ValueError, match="finite") as info:
                method([1.0, bad])
            assert f"{name}: x[1]" in str(info.value)
        with pytest.raises(TypeError, match=r"x\[1\] \(of type str\) is not a number") as info:
            method([1.0, "2"])
        assert name in str(info.value)
        with pytest.raises(TypeError, match="sequence of 2 numbers, as x0 was"):
            method(1.0)
        with pytest.raises(TypeError):
            method(None)
        with pytest.raises(TypeError):
            method([[1.0, 2.0]])
    assert rec.value((3.0, 4.0)) == 12.0
    assert rec.value(np.array([3.0, 4.0], dtype=np.float32)) == 12.0
    assert rec.value([3, np.int64(4)]) == 12.0

    scalar = record(lambda x: x * x, 2.0)
    for method in (scalar.value, scalar.gradient, scalar.hessian, scalar.jacobian):
        for bad in ([2.0], (2.0,), np.array([2.0]), "2.0", None):
            with pytest.raises(TypeError, match="must be a number, as x0 was"):
                method(bad)
        for flag in (True, np.bool_(False)):
            with pytest.raises(TypeError, match="x is a bool, not a number"):
                method(flag)
        with pytest.raises(ValueError, match="finite"):
            method(math.nan)
    assert scalar.value(3) == 9.0 and scalar.value(np.float32(3.0)) == 9.0


def test_hvp_direction_checks() -> None:
    rec = record(lambda v: v[0] * v[1], [1.0, 2.0])
    with pytest.raises(ValueError, match="v has 3 numbers"):
        rec.hvp([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="finite"):
        rec.hvp([1.0, 2.0], [1.0, math.nan])
    with pytest.raises(TypeError):
        rec.hvp([1.0, 2.0], [1.0, "a"])
    with pytest.raises(TypeError):
        rec.hvp([1.0, 2.0], 1.0)
    assert rec.hvp([1.0, 2.0], [1.0, 0.0]).tolist() == [0.0, 1.0]
    scalar = record(lambda x: x * x * x, 2.0)
    with pytest.raises(TypeError, match="v must be a number"):
        scalar.hvp(2.0, [1.0])
    with pytest.raises(ValueError, match="finite"):
        scalar.hvp(2.0, math.inf)
    assert scalar.hvp(2.0, 2.0) == 24.0


def test_gradients_checks() -> None:
    rec = record(lambda v: v[0] * v[1], [1.0, 2.0])
    with pytest.raises(TypeError, match=r"2-D.*reshape\(-1, 2\)"):
        rec.gradients([1.0, 2.0])
    with pytest.raises(TypeError, match="2-D"):
        rec.gradients(np.zeros((2, 2, 2)))
    with pytest.raises(TypeError, match="2-D"):
        rec.gradients(3.0)
    with pytest.raises(TypeError, match="2-D"):
        rec.gradients([["a", "b"]])
    with pytest.raises(ValueError, match="X has 3 columns, but the recording has 2 inputs"):
        rec.gradients(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="row 2"):
        rec.gradients([[1.0, 2.0], [1.0, 2.0], [1.0, math.nan]])
    assert rec.gradients(np.zeros((0, 2))).shape == (0, 2)
    fortran = np.asfortranarray(np.arange(12.0).reshape(6, 2))
    assert rec.gradients(fortran).tolist() == fortran[:, ::-1].tolist()
    assert rec.gradients([[1, 2], [3, 4]]).tolist() == [[2.0, 1.0], [4.0, 3.0]]


def test_record_time_errors() -> None:
    with pytest.raises(TypeError, match="needs a function f, not float"):
        record(2.0, 1.0)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="bool"):
        record(lambda x: x, True)
    for bad in (math.nan, math.inf, [1.0, math.nan]):
        with pytest.raises(ValueError, match="finite"):
            record(lambda x: x, bad)
    with pytest.raises(TypeError, match=r"x0\[1\] \(of type str\) is not a number"):
        record(lambda v: v[0], [1.0, "a"])
    with pytest.raises(TypeError):
        record(lambda v: v[0], [[1.0, 2.0]])
    with pytest.raises(TypeError):
        record(lambda v: v, None)
    with pytest.raises(ValueError, match=r"new input.*tape\.variable\(\).*x0"):
        record(lambda x: x * x.history.variable(2.0), 1.0)

    def clears(x: Any) -> Any:
        x.history.clear()
        return 1.0

    with pytest.raises(ValueError, match=r"clear\(\)"):
        record(clears, 1.0)
    with pytest.raises(MixedModesError):
        record(lambda x: Trace.variable(1.0), 1.0)
    with pytest.raises(MixedModesError):
        record(lambda x: [x, Trace.variable(1.0)], 1.0)
    with pytest.raises(TypeError, match="MultiTrace"):
        record(lambda x: MultiTrace(1.0, [1.0]), 1.0)
    outside = WengertList().variable(1.0)
    with pytest.raises(MixedTapesError):
        record(lambda x: outside, 1.0)
    with pytest.raises(TypeError, match="not a bool"):
        record(lambda x: x > 0.0, 1.0)
    with pytest.raises(TypeError, match="not a bool"):
        record(lambda x: [x, True], 1.0)
    with pytest.raises(TypeError, match=r"not 1-D.*ravel"):
        record(lambda v: np.array([v, v], dtype=object), [1.0, 2.0])
    for result in ("a", None, object(), {"a": 1.0}):
        with pytest.raises(TypeError, match="must return a number"):
            record(lambda x, result=result: result, 1.0)
    with pytest.raises(TypeError, match="must return a number"):
        record(lambda x: [x, "a"], 1.0)

    def fails(x: Any) -> Any:
        raise KeyError("the user's own")

    with pytest.raises(KeyError, match="the user's own"):
        record(fails, 1.0)
    assert record(lambda x: x * 2.0, 1.0).value(2.0) == 4.0  # still works afterwards


def test_records_of_a_recording_after_it_is_made() -> None:
    """Records f lets out behave as any Records once the recording is made."""
    kept: list[Record] = []

    def f(x: Any) -> Any:
        kept.append(x)
        return x * x

    rec = record(f, 3.0)
    assert kept[0] > 2.0  # no recording is logging now
    assert rec.n_comparisons == 0
    assert (kept[0] * kept[0]).derivatives()[kept[0]] == 6.0
    assert rec.value(4.0) == 16.0


def test_properties_and_pickling() -> None:
    rec = record(f_if, [1.0, 2.0])
    assert (rec.n_inputs, rec.n_outputs, rec.n_comparisons, len(rec)) == (2, 1, 1, 3)
    assert rec.x0.tolist() == [1.0, 2.0] and rec.x0.dtype == np.float64
    rec.x0[0] = 99.0
    assert rec.x0.tolist() == [1.0, 2.0]
    assert repr(rec) == "Recording(n_inputs=2, n_outputs=1, entries=3, comparisons=1)"
    scalar = record(lambda x: x, -0.0)
    assert same_float(scalar.x0, -0.0) and len(scalar) == 1
    # A recording pickles (tests/test_recording_bytes.py) and its copies are itself.
    assert pickle.loads(pickle.dumps(rec)).to_bytes() == rec.to_bytes()
    assert copy.deepcopy(rec) is rec and copy.copy(rec) is rec
    for name in ("n_inputs", "n_outputs", "n_comparisons", "x0", "escapes"):
        with pytest.raises(AttributeError):
            setattr(rec, name, 1)
    assert isinstance(rec, Recording)
    with pytest.raises(TypeError):
        Recording()  # type: ignore[call-arg]


# ------------------------------------------------------------------ many rows, threads, reuse


def test_gradients_equal_gradient_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    for n, rows in ((10, 5), (100, 400)):  # the second is long work (GIL let go)
        rec = record(rosenbrock, [0.5] * n)
        assert len(rec) * rows > 1 << 15 or n == 10
        points = rng.uniform(-2, 2, size=(rows, n))
        gradients = rec.gradients(points)
        assert gradients.shape == (rows, n) and gradients.dtype == np.float64
        for row, x in zip(gradients, points, strict=True):
            assert bits(row) == bits(rec.gradient(x))
        close(gradients[0], rosenbrock_gradient(points[0]), 1e-12)


def test_long_programs() -> None:
    """A program longer than a long sweep (replayed without the GIL) gives the same results."""
    n = 5000
    rec = record(rosenbrock, [0.5] * n)
    assert len(rec) > 1 << 15
    x = np.linspace(-1.5, 1.5, n)
    value, gradient = on_records(rosenbrock, x)
    assert same_float(rec.value(x), value)
    assert bits(rec.gradient(x)) == bits(gradient)
    close(rec.gradient(x), rosenbrock_gradient(x), 1e-12)
    v = np.sin(np.arange(n))
    close(rec.hvp(x, v), sparse_rosenbrock_hvp(x, v), 1e-12)


def sparse_rosenbrock_hvp(x: Any, v: Any) -> Any:
    """H·v of Rosenbrock from its tridiagonal Hessian."""
    diagonal = np.zeros(len(x))
    diagonal[:-1] += 1200 * x[:-1] ** 2 - 400 * x[1:] + 2
    diagonal[1:] += 200
    off = -400 * x[:-1]
    product = diagonal * v
    product[:-1] += off * v[1:]
    product[1:] += off * v[:-1]
    return product


def replay_in_threads(rec: Recording[Any], points: list[Any], rounds: int) -> None:
    """4 threads replay ``rec`` at ``points`` at once; each result must be the lone replay's."""
    expected = [(rec.value(p), rec.gradient(p), rec.hvp(p, p)) for p in points]
    failures: list[BaseException] = []
    barrier = threading.Barrier(4)

    def work(t: int) -> None:
        try:
            barrier.wait()
            for i in range(rounds):
                k = (t + i) % len(points)
                value, gradient, product = expected[k]
                assert bits(rec.value(points[k])) == bits(value)
                assert bits(rec.gradient(points[k])) == bits(gradient)
                assert bits(rec.hvp(points[k], points[k])) == bits(product)
                rows = rec.gradients(np.array([points[k], points[k - 1]]))
                assert bits(rows[0]) == bits(gradient)
        except BaseException as error:
            failures.append(error)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(old)
    assert not failures, failures[0]


def test_threads_replaying_one_recording() -> None:
    for n, rounds in ((10, 200), (5000, 6)):  # short, and long (replayed without the GIL)
        rec = record(rosenbrock, [0.5] * n)
        rng = np.random.default_rng(n)
        replay_in_threads(rec, [rng.uniform(-2, 2, n) for _ in range(8)], rounds)


def test_reuse_gives_fresh_results() -> None:
    rec = record(f_if, [1.0, 2.0])
    a, b = [3.0, 4.0], [0.5, -7.0]
    fresh = {
        tuple(p): (
            record(f_if, p).value(p),
            record(f_if, p).gradient(p),
            record(f_if, p).hessian(p),
        )
        for p in (a, b)
    }
    previous = None
    for i in range(1000):
        p = a if i % 2 else b
        value, gradient, hessian = fresh[tuple(p)]
        got = rec.gradient(p)
        assert got is not previous
        assert bits(rec.value(p)) == bits(value) and bits(got) == bits(gradient)
        assert bits(rec.hessian(p)) == bits(hessian)
        got[:] = 123.0  # results are the caller's to change
        previous = got
    jacobian = rec.jacobian(a)
    jacobian[0, 0] = -1.0
    assert rec.jacobian(a).tolist() == [[4.0, 3.0]]
    hessian = rec.hessian(a)
    hessian[:] = 0.0
    assert rec.hessian(a).tolist() == [[0.0, 1.0], [1.0, 0.0]]
    _, gradient = rec.value_and_gradient(a)
    gradient[0] = 0.0
    assert rec.gradient(a).tolist() == [4.0, 3.0]
    product = rec.hvp(a, [1.0, 1.0])
    product[0] = 5.0
    assert rec.hvp(a, [1.0, 1.0]).tolist() == [1.0, 1.0]
    # an error in between leaves nothing behind
    with pytest.raises(BranchChangedError):
        rec.hessian([-1.0, 1.0])
    assert rec.hessian(a).tolist() == [[0.0, 1.0], [1.0, 0.0]]
    assert rec.gradient(b).tolist() == [-7.0, 0.5]


def test_a_custom_function_may_replay_its_own_recording() -> None:
    """The replay inside works on memory of its own (the outer replay holds the shared one)."""
    holder: list[Recording[float]] = []

    def fx(u: float) -> float:
        return holder[0].value(u * 0.1) if u > 1.0 else u * u

    def f(x: Any) -> Any:
        return (x * 3.0).unary(fx, lambda u: 1.0) + x

    holder.append(record(f, 0.1))
    rec = holder[0]
    for x in (0.2, 5.0, 40.0):
        assert same_float(rec.value(x), nested_reference(x))


def nested_reference(x: float) -> float:
    """What the recording of the test above computes, on floats."""
    u = 3.0 * x
    return (nested_reference(u * 0.1) if u > 1.0 else u * u) + x


def test_endless_replay_in_a_custom_function_is_a_recursion_error() -> None:
    program = "\n".join(
        [
            "import sys, wengert",
            "sys.setrecursionlimit(200)",
            "holder = [None]",
            "rec = wengert.record(lambda x: x.unary(lambda u: u, lambda u: 1.0), 1.0)",
            "holder[0] = wengert.record(",
            "    lambda x: x.unary(lambda u: holder[0].value(u) if holder[0] else u,",
            "                      lambda u: 1.0), 1.0)",
            "try:",
            "    holder[0].value(2.0)",
            "except RecursionError:",
            "    print('RecursionError')",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout.strip()) == (0, "RecursionError"), done.stderr[-2000:]


def test_ints_beyond_the_float_range_overflow() -> None:
    """As everywhere else (``1.0 + 10**400``, ``wengert.grad``): OverflowError."""
    with pytest.raises(OverflowError, match="too large"):
        wengert.grad(lambda x: x)(10**400)
    for x0 in (10**400, [1.0, 10**400]):
        with pytest.raises(OverflowError, match="too large"):
            record(lambda x: x, x0)
    scalar = record(lambda x: x * x, 2.0)
    sequence = record(lambda v: v[0] * v[1], [2.0, 3.0])
    for call in (
        lambda: scalar.value(10**400),
        lambda: scalar.hvp(2.0, -(10**400)),
        lambda: sequence.gradient([10**400, 1.0]),
        lambda: wengert.hessian(lambda x: x * x)(10**400),
    ):
        with pytest.raises(OverflowError, match="too large"):
            call()


def test_bools_are_refused_as_points_and_results() -> None:
    """record(f, True) is refused; so must be every other bool, as wengert.grad refuses them."""
    for x0 in ([True, 2.0], np.bool_(True), np.array([True, False])):
        with pytest.raises(TypeError, match="bool"):
            record(lambda v: v, x0)
    scalar = record(lambda x: x * x, 2.0)
    sequence = record(lambda v: v[0] * v[1], [2.0, 3.0])
    for call in (
        lambda: scalar.value(np.bool_(True)),
        lambda: sequence.value([True, 1.0]),
        lambda: sequence.jacobian(np.array([True, False])),
        lambda: sequence.hvp([1.0, 2.0], [True, False]),
        lambda: sequence.gradients(np.array([[True, False]])),
    ):
        with pytest.raises(TypeError, match="bool"):
            call()
    for result in (np.bool_(False), [np.bool_(True)]):
        with pytest.raises(TypeError, match="bool"):
            record(lambda x, result=result: result, 1.0)


def test_gradients_refuses_arrays_that_are_not_of_real_numbers() -> None:
    # numpy would cast these to float64 (dropping an imaginary part, parsing strings).
    rec = record(lambda v: v[0] * v[1], [1.0, 2.0])
    for bad in (
        np.array([[1 + 2j, 1.0]]),
        np.array([["1.0", "2.0"]]),
        np.array([[True, False]]),
        np.array([[1.0, None]], dtype=object),
        np.array([[1.0, True]], dtype=object),
    ):
        with pytest.raises(TypeError, match="2-D array of real numbers"):
            rec.gradients(bad)
    assert rec.gradients(np.array([[3, 4]], dtype=np.int64)).tolist() == [[4.0, 3.0]]
    assert rec.gradients(np.array([[3.0, 4]], dtype=object)).tolist() == [[4.0, 3.0]]
    with pytest.raises(OverflowError, match="too large"):
        rec.gradients([[1.0, 10**400]])


def test_a_batch_beyond_memory_is_a_memory_error() -> None:
    # A broadcast view of 10^11 rows takes no memory, but its float64 copy would take
    # 1.5 TiB: numpy's MemoryError, not a TypeError about the array's form.
    rec = record(lambda v: v[0] * v[1], [1.0, 2.0])
    huge = np.broadcast_to(np.float32(1.0), (10**11, 2))
    for method in (rec.gradients, rec.values, rec.value_and_gradients):
        with pytest.raises(MemoryError, match="Unable to allocate"):
            method(huge)


def test_long_batches_equal_row_by_row() -> None:
    # 20 rows of a 9000-entry recording: a long batch, replayed without the GIL.
    def rosen(v: list[Any]) -> Any:
        s: Any = 0.0
        for i in range(len(v) - 1):
            a = v[i + 1] - v[i] * v[i]
            s = s + 100.0 * a * a + (1.0 - v[i]) * (1.0 - v[i])
        return s

    rng = np.random.default_rng(7)
    points = rng.uniform(-2.0, 2.0, size=(20, 1000))
    rec = record(rosen, points[0])
    batch = rec.gradients(points)
    for row, point in zip(batch, points, strict=True):
        assert row.tobytes() == rec.gradient(point).tobytes()
    # An error in a later row is still the first one found, as row by row.
    bad = points.copy()
    bad[13, 5] = math.nan
    with pytest.raises(ValueError, match="row 13"):
        rec.gradients(bad)


def test_a_cycle_through_a_custom_function_is_collected() -> None:
    collected: list[bool] = []

    class Square:
        recording: object = None

        def __call__(self, t: float) -> float:
            return t * t

        def __del__(self) -> None:
            collected.append(True)

    square = Square()
    rec = record(lambda x, fx=square: x.unary(fx, lambda t: 2.0 * t), 3.0)
    assert rec.value(4.0) == 16.0
    square.recording = rec  # the recording holds the function, which holds the recording
    del rec, square
    gc.collect()
    assert collected == [True]


# ------------------------------------------------------------------ edges of the guard rules


def test_a_constant_on_the_left_of_a_comparison_is_a_guard() -> None:
    # Python asks the left operand, a Record that is on no recording: the comparison is
    # still logged, from the recorded side and reflected.
    zero = wengert.Record.constant(0.0)
    other_tape = wengert.WengertList().variable(0.0)
    for c in (zero, other_tape):
        rec = record(lambda x, c=c: x * x if c < x else -x, 2.0)
        assert rec.n_comparisons == 1
        assert rec.gradient(3.0) == 6.0
        with pytest.raises(BranchChangedError, match=r"x > 0\.0"):
            rec.gradient(-3.0)
    rec = record(lambda x: max(x, zero), 1.0)  # max asks zero > x
    assert rec.gradient(2.0) == 1.0
    with pytest.raises(BranchChangedError):
        rec.gradient(-1.0)
    rec = record(lambda v: sorted([zero, v[0], v[1]])[1], [1.0, 2.0])
    assert rec.gradient([3.0, 4.0]).tolist() == [1.0, 0.0]
    with pytest.raises(BranchChangedError):
        rec.gradient([-3.0, 4.0])


def sinc(x: Any) -> Any:
    try:
        return wengert.sin(x) / x
    except ZeroDivisionError:
        return 1.0 + 0.0 * x


def test_an_exception_f_catches_makes_the_recording_replay_only_where_made() -> None:
    rec = record(sinc, 0.0)
    assert rec.value(0.0) == 1.0 and rec.gradient(0.0) == 0.0
    assert rec.escapes and rec.escapes[0].startswith("ZeroDivisionError raised")
    with pytest.raises(EscapedValueError, match="may have caught"):
        rec.value(2.0)
    # Recorded where nothing raises, replayed where f would catch: the replay raises
    # (never a value) and says f may catch it.
    rec = record(sinc, 2.0)
    assert rec.escapes == []
    assert rec.value(1.0) == math.sin(1.0)
    with pytest.raises(ZeroDivisionError, match="unless it catches it"):
        rec.value(0.0)

    def custom_raises(x: Any) -> Any:
        try:
            return x.unary(lambda t: 1.0 / t, lambda t: -1.0 / (t * t))
        except ZeroDivisionError:
            return x

    rec = record(custom_raises, 0.0)
    with pytest.raises(EscapedValueError, match="ZeroDivisionError"):
        rec.value(1.0)


def test_math_floor_of_an_infinite_value_is_guarded() -> None:
    rec = record(lambda x: math.floor(x * 1e308) + x, 1.0)
    assert rec.n_comparisons == 2
    assert rec.value(0.5) == math.floor(0.5e308) + 0.5
    with pytest.raises(BranchChangedError, match="is finite"):
        rec.value(10.0)  # math.floor(inf) raises OverflowError in f
    rec = record(lambda x: math.ceil(x * 1e308), 1.0)
    with pytest.raises(BranchChangedError, match="is finite"):
        rec.value(-10.0)
    rec = record(lambda x: round(x * 1e308), 1.0)  # round is checked again at replay
    assert rec.n_comparisons == 0
    with pytest.raises(OverflowError):
        rec.value(10.0)


def test_bool_guards_are_described_as_bool() -> None:
    rec = record(lambda x: x if x else -x, 1.0)
    with pytest.raises(BranchChangedError, match=r"\(bool\(x\) at "):
        rec.value(0.0)


def test_hessian_through_a_custom_operation_the_output_does_not_depend_on() -> None:
    def f(x: Any) -> Any:
        u = x.unary(math.sin, math.cos)  # only compared: the output does not depend on it
        return x * x * x if u > -2.0 else x

    rec = record(f, 1.0)
    assert rec.hessian(2.0) == 12.0 and rec.hvp(2.0, 1.0) == 12.0

    def g(x: Any) -> Any:
        return x.unary(math.sin, math.cos) * 0.0 + x * x

    assert record(g, 1.0).hessian(2.0) == 2.0  # the custom operation's weight is 0

    def h(x: Any) -> Any:
        return x.unary(math.sin, math.cos) + x * x

    with pytest.raises(ValueError, match="has none"):
        record(h, 1.0).hessian(2.0)


def test_functional_hessian_and_hvp_read_an_iterator_once() -> None:
    def f(v: Any) -> Any:
        return v[0] * v[0] * v[1]

    assert wengert.hessian(f)(iter([1.0, 2.0])).tolist() == [[4.0, 2.0], [2.0, 0.0]]
    assert wengert.hvp(f, (t for t in [1.0, 2.0]), [1.0, 0.0]).tolist() == [4.0, 2.0]


def test_gradients_errors_name_the_row() -> None:
    rec = record(lambda v: 1.0 / v[0] + v[1], [1.0, 1.0])
    with pytest.raises(ZeroDivisionError, match="row 2 of X"):
        rec.gradients([[1.0, 1.0], [2.0, 1.0], [0.0, 1.0]])
    rec = record(lambda v: v[0] if v[0] > 0 else -v[0], [1.0, 1.0])
    with pytest.raises(BranchChangedError, match="row 1 of X"):
        rec.gradients([[1.0, 1.0], [-1.0, 1.0]])


def test_batch_escape_errors_name_the_row() -> None:
    def f(x: Any) -> Any:
        return x * x.number

    line = f.__code__.co_firstlineno + 1
    expected = (
        f"while it was recorded, f read the value of a Record with .number at {HERE}:{line} in "
        "f: the recording cannot follow what f did then, so it replays only at the point it "
        "was recorded at, and this x is another. Record again at this point "
        "(wengert.record(f, x)), or keep to operations and comparisons of Records inside f: "
        "they are recorded"
    )
    for rec in (record(f, 2.0), record(f, 2.0, compile=True)):
        with pytest.raises(EscapedValueError) as single:
            rec.value(3.0)
        assert str(single.value) == expected
        # The batches say which row, as their other errors do; the rows at x0 pass.
        for batch in (rec.values, rec.gradients, rec.value_and_gradients):
            with pytest.raises(EscapedValueError) as error:
                batch([[2.0], [2.0], [3.0]])
            assert str(error.value) == f"row 2 of X: {expected}"
        assert rec.gradients([[2.0], [2.0]]).tolist() == [[2.0], [2.0]]  # x.number is a constant
