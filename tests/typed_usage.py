"""Typical, fully typed use of wengert.

test_typing.py runs ``mypy --strict`` on this module (it must pass with no errors and
no ignore comments) and then calls :func:`main`, so every statement here is also
checked at run time.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

import wengert
from wengert import (
    Derivatives,
    MultiTrace,
    Record,
    StaleRecordError,
    TapeError,
    Trace,
    WengertList,
    atan2,
    cos,
    erf,
    exp,
    hypot,
    ln,
    log,
    sin,
    sqrt,
    tanh,
)
from wengert.typing import Numeric, Real

T = TypeVar("T", bound=Real)
N = TypeVar("N", bound=Numeric)


def cartesian(r: T, angle: T) -> tuple[T, T]:
    """One body for floats, Traces and Records."""
    return r * cos(angle), r * sin(angle)


def polynomial(x: T, y: T) -> T:
    """The polynomial f(x, y) = 5x³ - 4x² + 10x - y."""
    return 5.0 * x**3 - 4.0 * x**2 + 10.0 * x - y


def softplus(x: T) -> T:
    """ln(1 + eˣ), written with the generic helpers only."""
    return ln(1.0 + exp(x))


def distance(x: T, y: T) -> T:
    return sqrt(x * x + y * y)


def clamp_below(x: N, limit: float) -> N:
    """Numeric (no powers needed): arithmetic and comparisons."""
    if x > limit:
        return x - (x - limit)
    return +x


def power(x: T, y: T) -> T:
    return wengert.pow(x, y)


def polar(x: T, y: T) -> tuple[T, T]:
    """The radius and angle of (x, y): the helpers of two arguments."""
    return hypot(x, y), atan2(y, x)


def gelu(x: T) -> T:
    """x Φ(x), with Φ the normal distribution function, through erf."""
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def bits(x: T) -> T:
    """log with a base, and tanh."""
    return log(x, 2.0) + tanh(x)


def on_floats() -> None:
    x, y = cartesian(1.0, 2.0)
    assert isinstance(x, float) and isinstance(y, float)
    assert x == math.cos(2.0)
    assert y == math.sin(2.0)
    assert polynomial(1.0, 2.0) == 9.0
    assert clamp_below(5.0, 3.0) == 3.0
    as_float: float = softplus(0.0)
    assert as_float == math.log(2.0)
    assert power(2.0, 3.0) == 8.0
    radius, angle = polar(3.0, 4.0)
    assert (radius, angle) == (5.0, math.atan2(4.0, 3.0))
    from_int: float = erf(0)
    assert from_int == 0.0
    assert bits(8.0) == 3.0 + math.tanh(8.0)
    assert gelu(0.0) == 0.0


def on_traces() -> None:
    x, y = cartesian(Trace.variable(1.0), Trace.constant(2.0))
    dx_dr: float = x.derivative
    dy_dr: float = y.derivative
    assert (dx_dr, dy_dr) == (math.cos(2.0), math.sin(2.0))
    f = polynomial(Trace.variable(1.0), Trace.constant(2.0))
    assert (f.number, f.derivative) == (9.0, 17.0)
    d: Trace = distance(Trace.variable(3.0), Trace.constant(4.0))
    assert d.number == 5.0
    assert math.isclose(d.derivative, 0.6, rel_tol=1e-15)
    total: Trace = sum([Trace.variable(1.0), Trace.constant(2.0)], Trace.constant(0.0))
    assert total.derivative == 1.0
    clamped: Trace = clamp_below(Trace.variable(5.0), 3.0)
    assert clamped.number == 3.0
    custom = Trace.variable(2.0).unary(lambda v: v**3, lambda v: 3 * v**2)
    assert (custom.number, custom.derivative) == (8.0, 12.0)
    both = Trace.variable(3.0).binary(2.0, lambda a, b: a * b, lambda a, b: b, lambda a, b: a)
    assert (both.number, both.derivative) == (6.0, 2.0)
    assert power(Trace.variable(3.0), Trace.constant(2.0)).derivative == 6.0
    assert str(Trace(1.5, 2.0)) == "1.5"
    assert f"{Trace.variable(math.pi):.2f}" == "3.14"
    assert Trace.variable(1.0) < 2.0
    radius, angle = polar(Trace.variable(3.0), Trace.constant(4.0))
    assert (radius.number, radius.derivative) == (5.0, 0.6)
    assert math.isclose(angle.derivative, -4.0 / 25.0, rel_tol=1e-15)
    g: Trace = gelu(Trace.variable(0.0))
    assert g.derivative == 0.5
    floored: Trace = math.floor(Trace.variable(2.5))
    rounded: Trace = round(Trace.variable(2.5), 0)
    assert (floored.number, floored.derivative, rounded.number) == (2.0, 0.0, 2.0)
    arc: Trace = Trace.variable(0.5).arcsin()
    assert arc.number == math.asin(0.5)


def on_records() -> None:
    tape = WengertList()
    r = Record.variable(1.0, tape)
    a = tape.variable(2.0)
    x, y = cartesian(r, a)
    dx: Derivatives = x.derivatives()
    dy: Derivatives = y.derivatives()
    assert (dx[r], dx.at(a)) == (math.cos(2.0), -math.sin(2.0))
    assert (dy[r], dy[a]) == (math.sin(2.0), math.cos(2.0))
    index: int | None = r.index
    history: WengertList | None = r.history
    assert index == 0 and history is tape
    gradient: list[float] = list(dx)
    assert len(gradient) == len(dx)
    inputs: list[Record] = tape.variables([1.0, 2.0, 3.0])
    product = inputs[0] * inputs[1] * inputs[2]
    maybe: Derivatives | None = product.try_derivatives()
    assert maybe is not None and maybe[inputs[0]] == 6.0
    assert Record.constant(1.0).try_derivatives() is None
    f = polynomial(tape.variable(1.0), Record.constant(2.0))
    assert f.number == 9.0
    b = tape.variable(8.0)
    logarithm: Record = log(b, 2.0)
    assert logarithm.number == 3.0
    assert math.isclose(logarithm.derivatives()[b], 1.0 / (8.0 * math.log(2.0)), rel_tol=1e-15)
    radius, _ = polar(b, Record.constant(6.0))
    assert radius.derivatives()[b] == 0.8
    tape.clear()
    try:
        f.derivatives()
    except StaleRecordError as error:
        assert isinstance(error, TapeError)
        assert "reset" in str(error)
    else:
        raise AssertionError("a stale record gave derivatives")
    r.reset()
    assert r.index == 0
    assert len(tape) == 1


def on_multi_traces() -> None:
    r, angle = MultiTrace.variables([1.0, 2.0])
    x, y = cartesian(r, angle)
    jacobian: NDArray[np.float64] = np.array([x.derivative, y.derivative])
    assert jacobian.tolist() == [
        [math.cos(2.0), -math.sin(2.0)],
        [math.sin(2.0), math.cos(2.0)],
    ]
    f: MultiTrace = polynomial(*MultiTrace.variables([1.0, 2.0]))
    k: int = f.k
    assert (f.number, k, f.derivative.tolist()) == (9.0, 2, [17.0, -1.0])
    c = MultiTrace.constant(2.0, 2) * np.float32(3.0) + np.int64(1)
    assert (c.number, c.derivative.tolist()) == (7.0, [0.0, 0.0])
    scaled: Trace = np.float32(2.0) * Trace.variable(1.0)
    assert scaled.derivative == 2.0
    assert MultiTrace(1.0, np.array([0.5])).derivative.tolist() == [0.5]


def on_derivative() -> None:
    assert wengert.derivative(lambda t: t * t, 3.0) == 6.0
    assert wengert.derivative(softplus, 0.0) == 0.5
    assert wengert.derivative(sin, 0.0) == 1.0


def rosenbrock(v: Sequence[Record]) -> Record:
    """grad passes a list argument as a list of Records."""
    total = Record.constant(0.0)
    for a, b in itertools.pairwise(v):
        total = total + 100.0 * (b - a**2) ** 2 + (1.0 - a) ** 2
    return total


def on_functional() -> None:
    point = [1.0, 1.0, 1.0]
    gradient: NDArray[np.float64] = wengert.grad(rosenbrock)(point)
    assert gradient.tolist() == [0.0, 0.0, 0.0]
    value, slope = wengert.value_and_grad(lambda x: x * x)(3.0)
    assert (value, slope) == (9.0, 6.0)
    matrix: NDArray[np.float64] = wengert.jacobian(lambda x: [x, x * x], mode="forward")(2.0)
    assert matrix.shape == (2, 1)
    outputs, tangents = wengert.jvp(lambda x: x * x, (3.0,), (1.0,))
    assert (outputs, tangents) == (9.0, 6.0)
    _, vjp_fn = wengert.vjp(lambda x, y: x * y, 3.0, 5.0)
    assert vjp_fn(1.0) == (5.0, 3.0)


def plain_number_first() -> None:
    """A float first and a Trace second: the result is typed as a Trace."""
    t = Trace.variable(2.0)
    logarithm: Trace = wengert.log(8.0, t)
    angle: Trace = wengert.atan2(1.0, t)
    length: Trace = wengert.hypot(3.0, t)
    power: Trace = wengert.pow(2.0, t)
    assert (logarithm.number, length.number, power.number) == (3.0, math.hypot(3.0, 2.0), 4.0)
    assert angle.number == math.atan2(1.0, 2.0)


def with_fractions() -> None:
    """A Fraction (a numbers.Real) is a plain number on either side."""
    half = Fraction(1, 2)
    forward: Trace = half + Trace.variable(2.0) * half
    power: Trace = half ** Trace.variable(2.0)
    scaled: Record = WengertList().variable(1.0) / half
    assert (forward.number, forward.derivative) == (1.5, 0.5)
    assert (power.number, scaled.number) == (0.25, 2.0)
    assert half < Trace.variable(1.0)


def on_recordings() -> None:
    """record() gives a Recording typed by the form of x0: floats out for a number."""

    def square_sum(v: list[wengert.Record]) -> wengert.Record:
        return v[0] * v[0] + v[1] * v[1]

    rec: wengert.Recording[NDArray[np.float64]] = wengert.record(square_sum, [1.0, 2.0])
    gradient: NDArray[np.float64] = rec.gradient(np.array([3.0, 4.0]))
    hessian: NDArray[np.float64] = rec.hessian([3.0, 4.0])
    assert gradient.tolist() == [6.0, 8.0] and hessian.tolist() == [[2.0, 0.0], [0.0, 2.0]]
    one = wengert.record(lambda x: x * x * x, 2.0)
    slope: float = one.gradient(3.0)
    curvature: float = one.hessian(3.0)
    value, slope_too = one.value_and_gradient(3.0)
    assert (slope, curvature, value, slope_too) == (27.0, 18.0, 27.0, 27.0)
    assert issubclass(wengert.EscapedValueError, wengert.BranchChangedError)
    # NumPy code on an array x0, and the recording as bytes and back.
    array_rec = wengert.record(lambda x: np.sum(x * x), np.ones((2, 2)))
    grid: NDArray[np.float64] = array_rec.gradient(np.ones((2, 2)))
    data: bytes = array_rec.to_bytes()
    back = wengert.Recording.from_bytes(data)
    rows: NDArray[np.float64] = back.values(np.ones((3, 4)))
    both: tuple[NDArray[np.float64], NDArray[np.float64]] = back.value_and_gradients(
        np.ones((3, 4))
    )
    assert grid.tolist() == [[2.0, 2.0], [2.0, 2.0]] and rows.tolist() == [4.0] * 3
    assert both[1].shape == (3, 4) and back.to_bytes() == data


def main() -> None:
    on_recordings()
    plain_number_first()
    with_fractions()
    on_floats()
    on_traces()
    on_records()
    on_multi_traces()
    on_derivative()
    on_functional()


if __name__ == "__main__":
    main()
