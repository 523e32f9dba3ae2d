"""Taylor mode on a recording: ``Recording.taylor(x, direction, order)``.

Checked against forward mode (order 1, bit for bit), the dense Hessian (order 2:
``v·H·v``), central differences of ``hvp`` (order 3), closed forms of every order
(exp, sin, 1/(1-x), atan, log1p, a polynomial), and random programs against 50-digit
numerical derivatives (mpmath) of the same program, to order 6. Branches, domain
errors, custom operations and bad arguments raise as the other replays do.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import pytest

import wengert
from wengert import BranchChangedError, Trace, record


def derivatives_of(coefficients: list[float]) -> list[float]:
    return [c * math.factorial(k) for k, c in enumerate(coefficients)]


def close(a: Any, b: Any, rel: float = 1e-10) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return bool(np.all(np.abs(a - b) <= rel * (1.0 + np.maximum(np.abs(a), np.abs(b)))))


def model(x: Any) -> Any:
    """A function of three inputs with most kinds of operation in it."""
    a, b, c = x
    return (
        wengert.exp(a * b) / (1.0 + c * c)
        + wengert.sin(a) * wengert.sqrt(b)
        - wengert.atan2(c, b) * 2.0
        + b**2.5
        + 3.0**a
        + wengert.hypot(a, c) * wengert.log1p(b)
    )


X = [0.7, 1.3, -0.4]
V = [0.3, -0.5, 0.8]


def test_order_one_is_forward_mode_bit_for_bit() -> None:
    rec = record(model, X)
    traced = model([Trace(x, v) for x, v in zip(X, V, strict=True)])
    result = rec.taylor(X, V, 1)
    assert result.shape == (2,) and result.dtype == np.float64
    assert result[0] == traced.number == rec.value(X)
    assert result[1] == traced.derivative


def test_order_two_is_v_hessian_v() -> None:
    rec = record(model, X)
    hessian = rec.hessian(X)
    v = np.array(V)
    assert close(rec.taylor(X, V, 2)[2], v @ hessian @ v, 1e-12)
    for x in ([0.2, 2.0, 0.5], [1.1, 0.6, -1.5]):
        assert close(rec.taylor(x, V, 4)[2], v @ rec.hessian(x) @ v, 1e-12)


def test_order_three_is_the_difference_of_hvp() -> None:
    rec = record(model, X)
    v, x, h = np.array(V), np.array(X), 1e-5

    def second(s: float) -> float:
        return float(v @ rec.hvp(x + s * v, v))

    difference = (second(h) - second(-h)) / (2 * h)
    assert close(rec.taylor(X, V, 3)[3], difference, 1e-7)


@pytest.mark.parametrize(
    ("f", "x0", "exact"),
    [
        (wengert.exp, 0.4, lambda k: math.exp(0.4)),
        (wengert.sin, 0.0, lambda k: [0.0, 1.0, 0.0, -1.0][k % 4]),
        (lambda x: 1.0 / (1.0 - x), 0.0, lambda k: float(math.factorial(k))),
        # atan's derivatives at 0: (-1)^m (2m)! at k = 2m + 1, 0 at even k.
        (
            wengert.atan,
            0.0,
            lambda k: 0.0 if k % 2 == 0 else (-1) ** (k // 2) * math.factorial(k - 1),
        ),
        (wengert.log1p, 0.0, lambda k: 0.0 if k == 0 else (-1) ** (k + 1) * math.factorial(k - 1)),
        (lambda x: x**5 - 2 * x**3, 0.0, lambda k: {5: 120.0, 3: -12.0}.get(k, 0.0)),
    ],
)
def test_high_orders_of_known_functions(
    f: Callable[[Any], Any], x0: float, exact: Callable[[int], float]
) -> None:
    rec = record(f, x0)
    result = rec.taylor(x0, 1.0, 12)
    assert close(result, [exact(k) for k in range(13)], 1e-13)


def test_a_direction_scales_the_derivatives() -> None:
    rec = record(wengert.exp, 0.3)
    assert close(rec.taylor(0.3, 2.0, 6), [math.exp(0.3) * 2.0**k for k in range(7)], 1e-14)


def test_vector_outputs_give_one_row_each() -> None:
    rec = record(lambda x: [x[0] * x[1], wengert.cos(x[0]), 2.5], [1.0, 2.0])
    result = rec.taylor([0.5, 3.0], [1.0, 1.0], 3)
    assert result.shape == (3, 4)
    # (0.5 + t)(3 + t) = 1.5 + 3.5 t + t².
    assert result[0].tolist() == [1.5, 3.5, 2.0, 0.0]
    assert close(result[1], [math.cos(0.5), -math.sin(0.5), -math.cos(0.5), math.sin(0.5)], 1e-15)
    assert result[2].tolist() == [2.5, 0.0, 0.0, 0.0]


# Random programs: expression trees of the table's operations, evaluated with wengert
# and with mpmath at 50 digits, on inputs where every operation is smooth.
UNARY: list[tuple[Callable[[Any], Any], Callable[[Any], Any]]] = [
    (wengert.sin, mpmath.sin),
    (wengert.cos, mpmath.cos),
    (wengert.atan, mpmath.atan),
    (wengert.tanh, mpmath.tanh),
    (wengert.asinh, mpmath.asinh),
    (wengert.erf, mpmath.erf),
    (lambda u: wengert.exp(u * 0.3), lambda u: mpmath.exp(u * mpmath.mpf("0.3"))),
    (lambda u: wengert.sqrt(1.0 + u * u), lambda u: mpmath.sqrt(1 + u * u)),
    (lambda u: wengert.log(2.0 + wengert.sin(u)), lambda u: mpmath.log(2 + mpmath.sin(u))),
    (lambda u: wengert.cbrt(2.0 + wengert.cos(u)), lambda u: mpmath.cbrt(2 + mpmath.cos(u))),
    (
        lambda u: (1.5 + wengert.sin(u)) ** 1.7,
        lambda u: (mpmath.mpf("1.5") + mpmath.sin(u)) ** mpmath.mpf("1.7"),
    ),
]
BINARY: list[tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any]]] = [
    (lambda a, b: a + b, lambda a, b: a + b),
    (lambda a, b: a - b, lambda a, b: a - b),
    (lambda a, b: a * b, lambda a, b: a * b),
    (lambda a, b: a / (2.0 + wengert.cos(b)), lambda a, b: a / (2 + mpmath.cos(b))),
    (lambda a, b: wengert.hypot(a, b), lambda a, b: mpmath.hypot(a, b)),
    (lambda a, b: wengert.atan2(a, 3.0 + b * b), lambda a, b: mpmath.atan2(a, 3 + b * b)),
    (
        lambda a, b: (2.0 + wengert.sin(a)) ** wengert.cos(b),
        lambda a, b: (2 + mpmath.sin(a)) ** mpmath.cos(b),
    ),
]


def random_program(
    rng: random.Random, n: int, size: int
) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    """A random function of ``n`` inputs, as wengert code and as mpmath code."""
    steps: list[tuple[int, int, int]] = []
    for i in range(size):
        if rng.random() < 0.5:
            steps.append((0, rng.randrange(len(UNARY)), rng.randrange(n + i)))
        else:
            steps.append(
                (
                    1,
                    rng.randrange(len(BINARY)),
                    rng.randrange(n + i) * (n + size) + rng.randrange(n + i),
                )
            )

    def build(functions: tuple[list[Any], list[Any]]) -> Callable[[Any], Any]:
        def f(x: Any) -> Any:
            values = list(x)
            for kind, which, operands in steps:
                if kind == 0:
                    values.append(functions[0][which](values[operands]))
                else:
                    a, b = divmod(operands, n + size)
                    values.append(functions[1][which](values[a], values[b]))
            return values[-1]

        return f

    ours = build(([u[0] for u in UNARY], [b[0] for b in BINARY]))
    exact = build(([u[1] for u in UNARY], [b[1] for b in BINARY]))
    return ours, exact


@pytest.mark.parametrize("seed", range(12))
def test_random_programs_against_50_digit_derivatives(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randrange(1, 4)
    ours, exact = random_program(rng, n, rng.randrange(3, 9))
    x = [rng.uniform(0.2, 1.0) for _ in range(n)]
    v = [rng.uniform(-1.0, 1.0) for _ in range(n)]
    rec = record(ours, x)
    result = rec.taylor(x, v, 6)

    def along(t: Any) -> Any:
        return exact([mpmath.mpf(xi) + t * mpmath.mpf(vi) for xi, vi in zip(x, v, strict=True)])

    with mpmath.workdps(50):
        expected = [float(mpmath.diff(along, 0, k)) for k in range(7)]
    assert close(result, expected, 1e-9), (result, expected)


def test_guards_are_checked() -> None:
    def f(x: Any) -> Any:
        return x * x if x > 0 else -x

    rec = record(f, 1.0)
    assert rec.taylor(2.0, 1.0, 3).tolist() == [4.0, 4.0, 2.0, 0.0]
    with pytest.raises(BranchChangedError):
        rec.taylor(-1.0, 1.0, 3)


def test_domain_errors_raise_as_the_value_does() -> None:
    rec = record(lambda x: wengert.log(x) + wengert.sqrt(x), 1.0)
    with pytest.raises(ValueError, match="math domain error") as from_value:
        rec.value(-1.0)
    with pytest.raises(ValueError, match="math domain error") as from_taylor:
        rec.taylor(-1.0, 1.0, 4)
    assert str(from_taylor.value) == str(from_value.value)
    with pytest.raises(ZeroDivisionError):
        record(lambda x: 1.0 / x, 1.0).taylor(0.0, 1.0, 2)


def test_constants_have_zero_derivatives_even_where_a_function_is_singular() -> None:
    # sqrt at 0 has an infinite derivative; along a direction that leaves it constant, 0.
    rec = record(lambda x: wengert.sqrt(x[0]) + x[1] ** 3, [0.0, 0.0])
    assert rec.taylor([0.0, 0.0], [0.0, 1.0], 4).tolist() == [0.0, 0.0, 0.0, 6.0, 0.0]


def test_custom_operations_to_order_two() -> None:
    def f(x: Any) -> Any:
        return x.unary(lambda u: u**3, lambda u: 3 * u**2) * 2.0

    rec = record(f, 1.5)
    assert rec.taylor(2.0, 1.0, 1).tolist() == [16.0, 24.0]
    with pytest.raises(ValueError, match="taylor"):
        rec.taylor(2.0, 1.0, 2)
    with pytest.raises(ValueError, match="taylor"):
        rec.taylor(2.0, 1.0, 3)
    # A direction that leaves the custom operation constant needs no derivatives of it.
    assert rec.taylor(2.0, 0.0, 5).tolist() == [16.0, 0.0, 0.0, 0.0, 0.0, 0.0]


@pytest.mark.parametrize(
    ("order", "error", "message"),
    [
        (-1, ValueError, "order must be from 0"),
        (171, ValueError, "order must be from 0"),
        (2.0, TypeError, "order must be an int"),
        (True, TypeError, "order must be an int"),
        ("3", TypeError, "order must be an int"),
    ],
)
def test_bad_orders(order: Any, error: type[Exception], message: str) -> None:
    rec = record(wengert.exp, 0.0)
    with pytest.raises(error, match=message):
        rec.taylor(0.0, 1.0, order)


def test_bad_points_and_directions() -> None:
    rec = record(lambda x: x[0] * x[1], [1.0, 2.0])
    with pytest.raises(ValueError, match="direction has 3 numbers"):
        rec.taylor([1.0, 2.0], [1.0, 2.0, 3.0], 2)
    with pytest.raises(ValueError, match=r"\): direction\[1\] is NaN"):
        rec.taylor([1.0, 2.0], [1.0, math.nan], 2)
    with pytest.raises(TypeError, match=r"\): x must be a sequence of 2 numbers"):
        rec.taylor(1.0, [1.0, 2.0], 2)


def test_order_zero_is_the_value() -> None:
    rec = record(model, X)
    assert rec.taylor(X, V, 0).tolist() == [rec.value(X)]


# Third derivatives: Recording.third_derivative(x), hessian_derivative(x, v) and
# third_directional(x, u, v, w), by Taylor passes interpolated over directions.


def cubic(x: Any) -> Any:
    return x[0] * x[0] * x[1] + x[1] ** 3 + x[0] * x[1] * x[2] - 2.0 * x[2] ** 3 * x[0]


def test_third_derivatives_of_a_cubic_exactly() -> None:
    rec = record(cubic, [1.0, 2.0, 3.0])
    tensor = rec.third_derivative([0.5, -1.0, 2.0])
    expected = np.zeros((3, 3, 3))
    for index, value in {
        (0, 0, 1): 2.0,
        (1, 1, 1): 6.0,
        (0, 1, 2): 1.0,
        (0, 2, 2): -12.0 * 2.0,
        (2, 2, 2): -12.0 * 0.5,
    }.items():
        for p in {
            (index[a], index[b], index[c])
            for a, b, c in ((0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0))
        }:
            expected[p] = value
    assert tensor.shape == (3, 3, 3)
    assert np.allclose(tensor, expected, rtol=0, atol=1e-12)


def test_third_derivatives_against_differences_of_the_hessian() -> None:
    rec = record(model, X)
    tensor = rec.third_derivative(X)
    assert np.allclose(tensor, tensor.transpose(1, 0, 2), rtol=1e-12, atol=1e-12)
    assert np.allclose(tensor, tensor.transpose(2, 1, 0), rtol=1e-12, atol=1e-12)
    x, h = np.array(X), 1e-5
    for k in range(3):
        e = np.zeros(3)
        e[k] = h
        difference = (rec.hessian(x + e) - rec.hessian(x - e)) / (2 * h)
        assert close(tensor[:, :, k], difference, 1e-6), k
    v, u, w = np.array(V), np.array([1.0, 0.5, -0.25]), np.array([-0.3, 0.2, 0.9])
    assert close(rec.hessian_derivative(X, v), tensor @ v, 1e-11)
    expected = np.einsum("ijk,i,j,k->", tensor, u, v, w)
    assert close(rec.third_directional(X, u, v, w), expected, 1e-11)
    # along one direction: the Taylor mode's third derivative
    assert close(rec.third_directional(X, v, v, v), rec.taylor(X, v, 3)[3], 1e-12)


def test_third_derivatives_of_a_function_of_a_number() -> None:
    rec = record(lambda x: wengert.exp(2.0 * x) * wengert.sin(x), 0.3)
    exact = 8 * math.exp(0.6) * math.sin(0.3) + 12 * math.exp(0.6) * math.cos(0.3)
    exact += -6 * math.exp(0.6) * math.sin(0.3) - math.exp(0.6) * math.cos(0.3)
    third = rec.third_derivative(0.3)
    assert isinstance(third, float) and math.isclose(third, exact, rel_tol=1e-12)
    assert math.isclose(rec.hessian_derivative(0.3, 2.0), 2 * exact, rel_tol=1e-12)
    assert math.isclose(rec.third_directional(0.3, 1.0, -1.0, 0.5), -0.5 * exact, rel_tol=1e-12)


def test_third_derivatives_refuse_what_they_cannot_do() -> None:
    many = record(lambda x: [x[0] * x[1], x[1]], [1.0, 2.0])
    with pytest.raises(ValueError, match="one output"):
        many.third_derivative([1.0, 2.0])
    custom = record(lambda x: x.unary(math.sin, math.cos), 1.0)
    with pytest.raises(ValueError, match="unary\\(\\) or binary\\(\\)"):
        custom.third_derivative(1.0)
    rec = record(cubic, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="v has 2 numbers"):
        rec.hessian_derivative([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"\): w\[0\] is inf"):
        rec.third_directional([1.0, 2.0, 3.0], [1.0, 0, 0], [1.0, 0, 0], [math.inf, 0, 0])
    with pytest.raises(ValueError, match=r"\): u\[0\] is inf"):
        rec.third_directional([1.0, 2.0, 3.0], [math.inf, 0, 0], [1.0, 0, 0], [1.0, 0, 0])


def test_third_derivatives_take_the_shape_of_an_array_x0() -> None:
    """For an n-D x0, as hessian: x0.shape repeated, the values those of the flat inputs."""
    np = pytest.importorskip("numpy")

    def f(x: Any) -> Any:
        return (x**3).sum() * x[0, 0]

    x0 = np.array([[1.0, 2.0], [0.5, -1.0]])
    rec = record(f, x0)
    flat = record(lambda v: f(np.array(v, dtype=object).reshape(2, 2)), x0.ravel().tolist())
    tensor = rec.third_derivative(x0)
    assert tensor.shape == (2, 2, 2, 2, 2, 2)
    np.testing.assert_array_equal(tensor.reshape(4, 4, 4), flat.third_derivative(x0.ravel()))
    v = np.array([[0.5, -1.0], [2.0, 0.25]])
    matrix = rec.hessian_derivative(x0, v)
    assert matrix.shape == (2, 2, 2, 2)
    np.testing.assert_allclose(
        matrix.reshape(4, 4), tensor.reshape(4, 4, 4) @ v.ravel(), rtol=1e-13, atol=1e-13
    )
    assert rec.taylor(x0, v, 3).shape == (4,)
    assert math.isclose(
        rec.third_directional(x0, v, v, v),
        float(np.einsum("ijk,i,j,k", tensor.reshape(4, 4, 4), *(v.ravel(),) * 3)),
        rel_tol=1e-13,
    )
