"""Custom operations with second derivatives: ``unary(fx, dfx_dx, d2fx_dx2)`` and
``binary(other, fxy, dfxy_dx, dfxy_dy, d2fxy)``, so that a recording's ``hessian``,
``hvp`` and ``taylor`` to order 2 go through them; without them, the clear error stays."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import wengert
from wengert import record


def with_customs(x: Any) -> Any:
    cube = x[0].unary(lambda u: u**3, lambda u: 3 * u**2, lambda u: 6 * u)
    mixed = x[0].binary(
        x[1],
        lambda a, b: a * a * b,
        lambda a, b: 2 * a * b,
        lambda a, b: a * a,
        lambda a, b: (2 * b, 2 * a, 0.0),
    )
    scaled = x[1].binary(
        3.0, math.atan2, lambda a, b: b / (a * a + b * b), lambda a, b: 0.0, atan2_second
    )
    return cube * wengert.sin(x[1]) + mixed + scaled


def atan2_second(a: float, b: float) -> tuple[float, float, float]:
    r2 = a * a + b * b
    return (-2 * a * b / r2**2, (a * a - b * b) / r2**2, 2 * a * b / r2**2)


def with_operations(x: Any) -> Any:
    return x[0] ** 3 * wengert.sin(x[1]) + x[0] * x[0] * x[1] + wengert.atan2(x[1], 3.0)


X = [0.8, -1.3]


def test_hessian_hvp_and_taylor_through_custom_operations() -> None:
    ours, reference = record(with_customs, X), record(with_operations, X)
    for x in (X, [1.5, 0.4]):
        assert np.allclose(ours.hessian(x), reference.hessian(x), rtol=1e-13, atol=1e-13)
        assert np.allclose(ours.hvp(x, [0.3, 2.0]), reference.hvp(x, [0.3, 2.0]), rtol=1e-13)
        got, expected = ours.taylor(x, [0.3, 2.0], 2), reference.taylor(x, [0.3, 2.0], 2)
        assert np.allclose(got, expected, rtol=1e-13)
    assert np.allclose(wengert.hessian(with_customs)(X), reference.hessian(X), rtol=1e-13)


def test_without_second_derivatives_the_error_stays() -> None:
    rec = record(lambda x: x.unary(math.exp, math.exp) * x, 0.5)
    with pytest.raises(ValueError, match="d2fx_dx2"):
        rec.hessian(0.5)
    with pytest.raises(ValueError, match="unary\\(\\) or binary\\(\\)"):
        rec.taylor(0.5, 1.0, 2)
    # order 3 needs more than second derivatives
    rec = record(lambda x: x.unary(math.exp, math.exp, math.exp), 0.5)
    assert math.isclose(rec.taylor(0.5, 1.0, 2)[2], math.exp(0.5), rel_tol=1e-15)
    with pytest.raises(ValueError, match=r"past the second .* entry 1"):
        rec.taylor(0.5, 1.0, 3)
    for third in (
        lambda: rec.third_derivative(0.5),
        lambda: rec.hessian_derivative(0.5, 1.0),
        lambda: rec.third_directional(0.5, 1.0, 1.0, 1.0),
    ):
        with pytest.raises(ValueError, match=r"past the second .* third_derivative"):
            third()


def test_round_is_a_step_to_any_order() -> None:
    rec = record(lambda x: round(x * 10.0) / 10.0 + x * x, 1.234)
    assert rec.taylor(1.2, 1.0, 5).tolist() == [12.0 / 10.0 + 1.2 * 1.2, 2.4, 2.0, 0.0, 0.0, 0.0]


def test_bad_second_derivatives() -> None:
    x = wengert.Trace.variable(1.0)
    with pytest.raises(TypeError, match="d2fx_dx2 must be a function or None"):
        x.unary(math.exp, math.exp, 2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="d2fxy must be a function or None"):
        x.binary(1.0, math.atan2, math.atan2, math.atan2, "no")  # type: ignore[arg-type]
    rec = record(
        lambda v: v.binary(2.0, math.atan2, math.atan2, math.atan2, lambda a, b: (1.0, 2.0)), 1.0
    )
    with pytest.raises(TypeError, match="tuple of three floats"):
        rec.hessian(1.0)
    rec = record(lambda v: v.unary(math.exp, math.exp, lambda u: "a"), 1.0)  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match="d2fx_dx2 must return a float"):
        rec.hvp(1.0, 1.0)

    def fails(u: float) -> float:
        raise ZeroDivisionError("from the user's second derivative")

    rec = record(lambda v: v.unary(math.exp, math.exp, fails), 1.0)
    with pytest.raises(ZeroDivisionError, match="user's"):
        rec.hessian(1.0)
