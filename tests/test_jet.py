"""Jet: Taylor mode as a number, and ``wengert.derivative(f, x, order=k)``.

A Jet pass gives what ``Recording.taylor`` gives on the same code, bit for bit, and a
Trace pass's derivative as coefficient 1; closed forms of every order; the math
functions, numpy's object arrays and the operators all take Jets; mixing with other
modes and orders raises.
"""

from __future__ import annotations

import copy
import math
import pickle
from typing import Any

import numpy as np
import pytest

import wengert
from wengert import Jet, MixedModesError, MultiTrace, Trace, WengertList, record


def model(x: Any) -> Any:
    a, b, c = x
    return (
        wengert.exp(a * b) / (1.0 + c * c)
        + wengert.sin(a) * wengert.sqrt(b)
        - wengert.atan2(c, b) * 2.0
        + b**2.5
        + 3.0**a
        + wengert.hypot(a, c) * wengert.log1p(b)
        - abs(c) * wengert.cbrt(a) ** 2
        + wengert.tanh(c - a) / wengert.cosh(b)
    )


X = [0.7, 1.3, -0.4]
V = [0.3, -0.5, 0.8]


def along(x: list[float], v: list[float], order: int) -> list[Jet]:
    return [Jet([xi, vi] + [0.0] * (order - 1)) for xi, vi in zip(x, v, strict=True)]


def test_a_jet_pass_is_the_recordings_taylor_mode_bit_for_bit() -> None:
    rec = record(model, X)
    for order in (1, 2, 5, 9):
        jet = model(along(X, V, order))
        assert jet.order == order
        assert jet.derivatives.tobytes() == rec.taylor(X, V, order).tobytes()


def test_coefficient_one_is_a_traces_derivative() -> None:
    jet = model(along(X, V, 4))
    trace = model([Trace(x, v) for x, v in zip(X, V, strict=True)])
    assert jet.number == trace.number
    assert jet.coefficients[1] == trace.derivative


@pytest.mark.parametrize(
    ("f", "x0", "exact"),
    [
        (wengert.exp, 0.3, lambda k: math.exp(0.3)),
        (wengert.cos, 0.0, lambda k: [1.0, 0.0, -1.0, 0.0][k % 4]),
        (lambda x: 1.0 / (1.0 - x), 0.0, lambda k: float(math.factorial(k))),
        (wengert.log, 1.0, lambda k: 0.0 if k == 0 else (-1) ** (k + 1) * math.factorial(k - 1)),
        (wengert.sinh, 0.0, lambda k: float(k % 2)),
        (lambda x: x**4, 2.0, lambda k: [16.0, 32.0, 48.0, 48.0, 24.0][k] if k < 5 else 0.0),
    ],
)
def test_derivatives_of_every_order(f: Any, x0: float, exact: Any) -> None:
    jet = f(Jet.variable(x0, 10))
    expected = [exact(k) for k in range(11)]
    assert np.allclose(jet.derivatives, expected, rtol=1e-13, atol=1e-13)
    coefficients = [e / math.factorial(k) for k, e in enumerate(expected)]
    assert np.allclose(jet.coefficients, coefficients, rtol=1e-13, atol=1e-15)
    for k in (0, 1, 4, 10):
        assert math.isclose(
            wengert.derivative(f, x0, order=k), expected[k], rel_tol=1e-13, abs_tol=1e-13
        )


def test_the_math_functions_and_numpy_take_jets() -> None:
    x = Jet.variable(0.5, 3)
    for name in ("sin", "exp", "atan", "erf", "sqrt", "log10"):
        assert (
            getattr(wengert, name)(x).coefficients.tolist()
            == getattr(x, name)().coefficients.tolist()
        )
    assert wengert.atan2(x, 2.0).coefficients.tolist() == x.atan2(2.0).coefficients.tolist()
    assert (
        wengert.hypot(1.0, x).derivatives.tobytes()
        == record(lambda t: wengert.hypot(1.0, t), 0.5).taylor(0.5, 1.0, 3).tobytes()
    )
    assert wengert.pow(2.0, x).number == 2.0**0.5
    values = np.array([Jet.variable(v, 2) for v in (0.1, 0.2, 0.3)], dtype=object)
    total = np.sum(np.sin(values))
    assert isinstance(total, Jet)
    assert math.isclose(
        total.derivatives[2], -sum(math.sin(v) for v in (0.1, 0.2, 0.3)), rel_tol=1e-14
    )


def test_constructors_and_properties() -> None:
    x = Jet.variable(2.0, 3)
    assert x.coefficients.tolist() == [2.0, 1.0, 0.0, 0.0] and x.order == 3 and x.number == 2.0
    assert Jet.constant(5.0, 2).coefficients.tolist() == [5.0, 0.0, 0.0]
    assert Jet.variable(1.5, 0).coefficients.tolist() == [1.5]
    assert Jet([1.0, 2.0, 3.0]).derivatives.tolist() == [1.0, 2.0, 6.0]
    assert Jet.variable(1.0, np.int64(2)).order == 2
    assert repr(Jet([1.0, -0.5])) == "Jet(coefficients=[1.0, -0.5])"
    y = wengert.sin(x)
    assert pickle.loads(pickle.dumps(y)).coefficients.tobytes() == y.coefficients.tobytes()
    assert copy.copy(y) is y and copy.deepcopy(y) is y
    # floor, ceil, round: steps, every derivative 0 at any order.
    z = Jet.variable(2.3, 4)
    for step in (math.floor(z), math.ceil(z), round(z), round(z, 1), z.floor(), math.trunc(z)):
        assert step.coefficients[1:].tolist() == [0.0] * 4


@pytest.mark.parametrize(
    ("make", "error", "words"),
    [
        (lambda: Jet.variable(1.0, -1), ValueError, "order must be from 0 to 170"),
        (lambda: Jet.constant(1.0, 171), ValueError, "order must be from 0 to 170"),
        (lambda: Jet.variable(1.0, 2.0), TypeError, "order must be an int"),
        (lambda: Jet.variable(1.0, True), TypeError, "order must be an int"),
        (lambda: Jet([]), ValueError, "from 1 to 171 coefficients"),
        (lambda: Jet("abc"), TypeError, "Jet(coefficients)"),
        (lambda: Jet.variable("1", 2), TypeError, "real number"),
    ],
)
def test_bad_constructors(make: Any, error: type[Exception], words: str) -> None:
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_mixing() -> None:
    x = Jet.variable(1.0, 2)
    tape = WengertList()
    for other in (Trace.variable(1.0), MultiTrace(1.0, [1.0]), tape.variable(1.0)):
        with pytest.raises(MixedModesError, match="Jet"):
            x + other
        with pytest.raises(MixedModesError):
            other * x
        with pytest.raises(MixedModesError, match="Jet"):
            x.atan2(other)
    with pytest.raises(ValueError, match="different orders \\(2 and 3\\)"):
        x * Jet.variable(1.0, 3)
    with pytest.raises(TypeError):
        x + "a"  # type: ignore[operator]
    with pytest.raises(TypeError, match="takes a Jet"):
        x.atan2("a")  # type: ignore[arg-type]


def test_domain_errors_as_for_floats() -> None:
    with pytest.raises(ValueError, match="math domain error"):
        wengert.log(Jet.variable(-1.0, 3))
    with pytest.raises(ZeroDivisionError):
        Jet.variable(0.0, 3) ** -1.0
    with pytest.raises(OverflowError):
        wengert.exp(Jet.variable(1000.0, 2))


def test_custom_functions_to_order_one_or_on_constants() -> None:
    x = Jet.variable(2.0, 1)
    assert x.unary(lambda u: u**3, lambda u: 3 * u**2).coefficients.tolist() == [8.0, 12.0]
    assert Jet.constant(2.0, 4).unary(lambda u: u**3, lambda u: 3 * u**2).coefficients.tolist() == [
        8.0,
        0,
        0,
        0,
        0,
    ]
    with pytest.raises(ValueError, match="order 3"):
        Jet.variable(2.0, 3).unary(lambda u: u**3, lambda u: 3 * u**2)
    with pytest.raises(ValueError, match="order 2"):
        Jet.variable(2.0, 2).binary(1.0, lambda u, v: u * v, lambda u, v: v, lambda u, v: u)


def test_derivative_with_an_order() -> None:
    assert wengert.derivative(lambda t: t**5, 1.0, order=5) == 120.0
    assert wengert.derivative(lambda t: t**5, 1.0, order=0) == 1.0
    assert wengert.derivative(lambda t: t**5, 2, 2) == 160.0
    with pytest.raises(TypeError, match="not a Jet"):
        wengert.derivative(lambda t: 2.0, 1.0, order=2)  # type: ignore[arg-type, return-value]
    for bad in (-1, 171):
        with pytest.raises(ValueError, match="order must be from 0 to 170"):
            wengert.derivative(wengert.sin, 1.0, order=bad)
    for wrong in (2.0, True, "2"):
        with pytest.raises(TypeError, match="order must be an int"):
            wengert.derivative(wengert.sin, 1.0, order=wrong)  # type: ignore[call-overload]


def test_custom_functions_with_second_derivatives_to_order_two() -> None:
    x = Jet([0.7, 1.5, -0.5])
    given = x.unary(math.sin, math.cos, lambda u: -math.sin(u))
    assert np.allclose(given.coefficients, wengert.sin(x).coefficients, rtol=1e-15)
    y = Jet([1.3, 0.25, 2.0])
    product = x.binary(
        y,
        lambda a, b: a * a * b,
        lambda a, b: 2 * a * b,
        lambda a, b: a * a,
        lambda a, b: (2 * b, 2 * a, 0.0),
    )
    assert np.allclose(product.coefficients, (x * x * y).coefficients, rtol=1e-14)
    constant_right = x.binary(
        2.0,
        math.atan2,
        lambda a, b: b / (a * a + b * b),
        lambda a, b: 0.0,
        lambda a, b: (-2 * a * b / (a * a + b * b) ** 2, 0.0, 0.0),
    )
    assert np.allclose(constant_right.coefficients, wengert.atan2(x, 2.0).coefficients, rtol=1e-14)
    with pytest.raises(ValueError, match="order 3"):
        Jet.variable(0.5, 3).unary(math.sin, math.cos, lambda u: -math.sin(u))
    with pytest.raises(TypeError, match="tuple of three floats"):
        x.binary(y, math.atan2, math.atan2, math.atan2, lambda a, b: 1.0)
