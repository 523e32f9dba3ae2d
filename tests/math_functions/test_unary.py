"""The functions of one argument (sin, tan, erf, floor, ...) as methods, in both modes.

The value is bit for bit what :mod:`math` gives (on a grid with the edges, infinities
and NaN, and under hypothesis), and where :mod:`math` raises the same exception type is
raised; the derivative equals the exact formula and a central finite difference; Trace
and Record agree.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import approx, central_difference, math_function, same_float
from hypothesis import given
from hypothesis import strategies as st

import wengert
from wengert import Record, Trace, WengertList

from ._common import (
    INF,
    NAN,
    UNARY,
    UNARY_PARAMS,
    any_floats,
    inside,
    outcome,
    same_outcome,
)

GRID = [
    -INF,
    -1e300,
    -1000.0,
    -711.0,
    -710.0,
    -100.0,
    -20.0,
    -3.5,
    -2.0,
    -1.0000000000000002,
    -1.0,
    -0.9999999999999999,
    -0.75,
    -0.5,
    -1e-8,
    -1e-300,
    -5e-324,
    -0.0,
    0.0,
    5e-324,
    1e-300,
    1e-8,
    0.25,
    0.5,
    0.75,
    0.9999999999999999,
    1.0,
    1.0000000000000002,
    1.5,
    2.0,
    2.5,
    3.0,
    10.0,
    20.0,
    100.0,
    709.0,
    710.0,
    711.0,
    1023.0,
    1024.0,
    1e300,
    INF,
    NAN,
]


def exact_derivative(name: str, x: float) -> float:
    """The exact formula for the derivative, in IEEE arithmetic (no exception for 1/0)."""
    with np.errstate(all="ignore"):
        return float(UNARY[name][1](np.float64(x)))


def in_all_forms(x: float) -> list[tuple[Trace | Record, WengertList | None]]:
    """x as a variable and a constant of both kinds (with the tape of the variable)."""
    tape = WengertList()
    return [
        (Trace.variable(x), None),
        (Trace.constant(x), None),
        (tape.variable(x), tape),
        (Record.constant(x), None),
    ]


# --- values and errors, against math -------------------------------------------------------------


@pytest.mark.parametrize("name", UNARY_PARAMS)
def test_values_and_errors_follow_math_on_the_grid(name: str) -> None:
    reference = UNARY[name][0]
    for x in GRID:
        expected = outcome(reference, x)
        assert same_outcome(outcome(getattr(wengert, name), x), expected), (name, x)
        for value, tape in in_all_forms(x):
            before = len(tape) if tape is not None else 0
            result = outcome(lambda v: getattr(v, name)().number, value)
            assert same_outcome(result, expected), (name, x, type(value), result, expected)
            if tape is not None:
                # One entry for a value, none when the operation raises.
                assert len(tape) == before + (0 if isinstance(expected, type) else 1)


def test_the_grid_reaches_every_kind_of_error() -> None:
    """The grid above exercises each exception math raises for these functions."""
    seen = {
        (name, outcome(UNARY[name][0], x))
        for name in ("tan", "acos", "atanh", "acosh", "log2", "log1p", "sinh", "cosh", "expm1")
        for x in GRID
    }
    for name in ("tan", "acos", "atanh", "acosh", "log2", "log1p"):
        assert (name, ValueError) in seen
    for name in ("sinh", "cosh", "expm1"):
        assert (name, OverflowError) in seen


def test_errors_have_the_types_and_words_of_math() -> None:
    cases: list[tuple[str, float, type[Exception]]] = [
        ("acos", 2.0, ValueError),
        ("asin", -INF, ValueError),
        ("atanh", 1.0, ValueError),
        ("atanh", -1.0, ValueError),
        ("acosh", 0.5, ValueError),
        ("log2", 0.0, ValueError),
        ("log10", -1.0, ValueError),
        ("log1p", -1.0, ValueError),
        ("log", -0.0, ValueError),
        ("tan", INF, ValueError),
        ("cosh", 1000.0, OverflowError),
        ("sinh", -1000.0, OverflowError),
        ("exp2", 1024.0, OverflowError),
        ("expm1", 710.0, OverflowError),
    ]
    for name, x, error in cases:
        with pytest.raises(error) as from_math:
            math_function(name)(x)
        for value, _ in in_all_forms(x):
            with pytest.raises(error) as from_wengert:
                getattr(value, name)()
            assert type(from_wengert.value) is type(from_math.value)
            # math says "math domain error" or "math range error"; so do we, and more.
            assert str(from_math.value) in str(from_wengert.value)


@pytest.mark.parametrize("name", UNARY_PARAMS)
@given(x=st.one_of(any_floats, st.floats(-3.0, 3.0), st.floats(-750.0, 750.0)))
def test_values_follow_math_bit_for_bit(name: str, x: float) -> None:
    expected = outcome(UNARY[name][0], x)
    assert same_outcome(outcome(lambda: getattr(Trace.variable(x), name)().number), expected)
    tape = WengertList()
    assert same_outcome(outcome(lambda: getattr(tape.variable(x), name)().number), expected)


# --- derivatives ---------------------------------------------------------------------------------

# Points inside each domain, away from the jumps of floor, ceil and trunc.
INSIDE = [-2.7, -0.95, -0.6, -0.2, 1e-5, 0.3, 0.7, 0.99, 1.2, 2.5, 6.1, 30.5]


@pytest.mark.parametrize("name", UNARY_PARAMS)
def test_derivatives_are_the_exact_formula_in_both_modes(name: str) -> None:
    points = [x for x in INSIDE + GRID if inside(name, x) and not math.isnan(x)]
    assert len(points) >= 10
    for x in points:
        exact = exact_derivative(name, x)
        forward = getattr(Trace.variable(x), name)().derivative
        tape = WengertList()
        r = tape.variable(x)
        reverse = getattr(r, name)().derivatives()[r]
        # One operation: forward and reverse read the same partial (the sweep adds it to
        # 0.0, so a -0.0 comes back as 0.0).
        assert forward == reverse or same_float(forward, reverse), (name, x)
        if math.isinf(exact) or exact == 0.0:
            assert forward == exact, (name, x, forward, exact)
        else:
            assert approx(forward, exact, rel=4e-15, abs_tol=0.0), (name, x, forward, exact)


@pytest.mark.parametrize("name", UNARY_PARAMS)
def test_derivatives_match_central_differences(name: str) -> None:
    reference = UNARY[name][0]
    for x in INSIDE:
        h = 1e-6 * max(abs(x), 1e-2)
        if not (inside(name, x - h) and inside(name, x + h)):
            continue
        estimate = central_difference(reference, x, h)
        forward = getattr(Trace.variable(x), name)().derivative
        # Truncation error O(h²) plus the rounding error of the two values over 2h.
        rounding = 1e-15 * max(abs(reference(x - h)), abs(reference(x + h))) / h
        assert abs(forward - estimate) <= 1e-6 * abs(forward) + rounding, (name, x, estimate)


@pytest.mark.parametrize("name", UNARY_PARAMS)
@given(x=st.floats(-5.0, 5.0))
def test_forward_and_reverse_agree_on_a_composition(name: str, x: float) -> None:
    """f(x · 0.3 + 0.1) · x: the chain and product rules around each function."""

    def f(v: Trace | Record) -> Trace | Record:
        return getattr(v * 0.3 + 0.1, name)() * v

    reference = UNARY[name][0]
    if not inside(name, x * 0.3 + 0.1):
        return
    forward = f(Trace.variable(x))
    tape = WengertList()
    r = tape.variable(x)
    output = f(r)
    assert same_float(forward.number, output.number)
    reverse = output.derivatives()[r]
    exact = exact_derivative(name, x * 0.3 + 0.1) * 0.3 * x + reference(x * 0.3 + 0.1)
    assert approx(forward.derivative, reverse, rel=1e-14, abs_tol=1e-300)
    if math.isfinite(exact):
        assert approx(forward.derivative, exact, rel=1e-12, abs_tol=1e-12)


EDGE_DERIVATIVES = [
    ("asin", 1.0, INF),
    ("asin", -1.0, INF),
    ("acos", 1.0, -INF),
    ("acos", -1.0, -INF),
    ("acosh", 1.0, INF),
    ("cbrt", 0.0, INF),
    ("cbrt", -0.0, INF),
    ("sqrt", 0.0, INF),
    ("atan", INF, 0.0),
    ("atan", -INF, 0.0),
    ("tanh", INF, 0.0),
    ("tanh", -INF, 0.0),
    ("erf", INF, 0.0),
    ("erfc", -INF, -0.0),
    ("exp2", -INF, 0.0),
    ("expm1", -INF, 0.0),
    ("log2", INF, 0.0),
    ("log10", INF, 0.0),
    ("log1p", INF, 0.0),
    ("asinh", -INF, 0.0),
    ("acosh", INF, 0.0),
    ("floor", 2.0, 0.0),
    ("ceil", -INF, 0.0),
    ("trunc", NAN, 0.0),
    # Far out, where the plain formula would overflow to 0 or lose every digit.
    ("atan", 1e160, 1e-320),
    ("asinh", 1e300, 1e-300),
    ("acosh", 1e300, 1e-300),
]


@pytest.mark.parametrize(("name", "x", "expected"), EDGE_DERIVATIVES)
def test_derivatives_at_the_edges(name: str, x: float, expected: float) -> None:
    forward = getattr(Trace.variable(x), name)().derivative
    tape = WengertList()
    r = tape.variable(x)
    reverse = getattr(r, name)().derivatives()[r]
    assert same_float(forward, expected)
    assert reverse == expected or same_float(reverse, expected)


@pytest.mark.parametrize("x", [20.0, 30.0, -25.0])
def test_tanh_and_expm1_keep_tiny_derivatives(x: float) -> None:
    """1 - tanh² and expm1 + 1 would give exactly 0 here."""
    assert approx(Trace.variable(x).tanh().derivative, 1.0 / math.cosh(x) ** 2, rel=1e-14)
    assert approx(Trace.variable(-x).expm1().derivative, math.exp(-x), rel=1e-15)


@pytest.mark.parametrize("name", [n for n in UNARY if n not in ("floor", "ceil", "trunc")])
def test_a_nan_gives_a_nan_derivative(name: str) -> None:
    t = getattr(Trace.variable(NAN), name)()
    assert math.isnan(t.number) and math.isnan(t.derivative)


@pytest.mark.parametrize("name", ["asin", "acosh", "cbrt"])
def test_a_constant_at_an_infinite_partial_contributes_zero(name: str) -> None:
    x = 1.0 if name != "cbrt" else 0.0
    assert getattr(Trace.constant(x), name)().derivative == 0.0
    tape = WengertList()
    y = tape.variable(2.0)
    out = getattr(Record.constant(x), name)() * y
    assert out.derivatives()[y] == math_function(name)(x)


def test_exact_helper_derivatives() -> None:
    assert wengert.sin(Trace.variable(0.0)).derivative == 1.0
    assert wengert.cos(Trace.variable(0.0)).derivative == -0.0
    assert wengert.exp(Trace.variable(0.0)).derivative == 1.0
    assert wengert.ln(Trace.variable(2.0)).derivative == 0.5
    assert wengert.sqrt(Trace.variable(4.0)).derivative == 0.25
    assert wengert.sqrt(Trace.variable(4.0)).number == 2.0
    assert wengert.abs(Trace.variable(-4.0)).derivative == -1.0
    tape = WengertList()
    x = tape.variable(4.0)
    d = wengert.sqrt(x).derivatives()
    assert d[x] == 0.25
