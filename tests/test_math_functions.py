"""The elementary functions beyond sin cos exp ln sqrt abs, in both modes.

For every function: the value is bit for bit what :mod:`math` gives (on a grid with the
edges, infinities and NaN, and under hypothesis), and where :mod:`math` raises the same
exception type is raised; the derivative equals the exact formula and a central finite
difference; Trace and Record agree; the helpers take floats, ints, Traces and Records; the
NumPy names work through object arrays.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Callable

import numpy as np
import pytest
from conftest import approx, central_difference, math_function, same_float, step_for
from hypothesis import example, given
from hypothesis import strategies as st

import wengert
from wengert import MixedModesError, MixedTapesError, Record, Trace, WengertList

INF = math.inf
NAN = math.nan
LN2 = math.log(2.0)
LN10 = math.log(10.0)
TWO_OVER_ROOT_PI = 2.0 / math.sqrt(math.pi)


def _numpy(function: Callable[[float], object]) -> Callable[[float], float]:
    """A NumPy function of floats (the C library's floor, ceil, trunc) as a float function."""
    return lambda x: float(function(x))  # type: ignore[arg-type]


# name -> (the reference for the value, the exact derivative). The derivatives are
# evaluated on numpy.float64 (see exact_derivative), so 1/0 is inf as in IEEE arithmetic.
UNARY: dict[str, tuple[Callable[[float], float], Callable[[np.float64], np.float64]]] = {
    "tan": (math.tan, lambda x: 1.0 + np.tan(x) * np.tan(x)),
    "asin": (math.asin, lambda x: 1.0 / np.sqrt((1.0 - x) * (1.0 + x))),
    "acos": (math.acos, lambda x: -1.0 / np.sqrt((1.0 - x) * (1.0 + x))),
    "atan": (math.atan, lambda x: 1.0 / (1.0 + x * x)),
    "sinh": (math.sinh, np.cosh),
    "cosh": (math.cosh, np.sinh),
    "tanh": (math.tanh, lambda x: (1.0 / np.cosh(x)) ** 2),
    "asinh": (math.asinh, lambda x: 1.0 / np.hypot(1.0, x)),
    "acosh": (math.acosh, lambda x: 1.0 / (np.sqrt(x - 1.0) * np.sqrt(x + 1.0))),
    "atanh": (math.atanh, lambda x: 1.0 / ((1.0 - x) * (1.0 + x))),
    "exp2": (math_function("exp2"), lambda x: np.exp2(x) * LN2),
    "expm1": (math.expm1, np.exp),
    "log2": (math.log2, lambda x: 1.0 / (x * LN2)),
    "log10": (math.log10, lambda x: 1.0 / (x * LN10)),
    "log1p": (math.log1p, lambda x: 1.0 / (1.0 + x)),
    "cbrt": (math_function("cbrt"), lambda x: 1.0 / (3.0 * np.cbrt(x) ** 2)),
    "erf": (math.erf, lambda x: TWO_OVER_ROOT_PI * np.exp(-x * x)),
    "erfc": (math.erfc, lambda x: -TWO_OVER_ROOT_PI * np.exp(-x * x)),
    "floor": (_numpy(np.floor), lambda x: np.float64(0.0)),
    "ceil": (_numpy(np.ceil), lambda x: np.float64(0.0)),
    "trunc": (_numpy(np.trunc), lambda x: np.float64(0.0)),
    # The functions there were before, for the edge tables.
    "sin": (math.sin, np.cos),
    "cos": (math.cos, lambda x: -np.sin(x)),
    "exp": (math.exp, np.exp),
    "ln": (math.log, lambda x: 1.0 / x),
    "log": (math.log, lambda x: 1.0 / x),
    "sqrt": (math.sqrt, lambda x: 0.5 / np.abs(np.sqrt(x))),
}


def exact_derivative(name: str, x: float) -> float:
    """The exact formula for the derivative, in IEEE arithmetic (no exception for 1/0)."""
    with np.errstate(all="ignore"):
        return float(UNARY[name][1](np.float64(x)))


UNARY_PARAMS = list(UNARY)

# Every edge: signed zeros, subnormals, the ends of the domains and just beyond, the
# overflow thresholds, infinities and NaN.
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


def outcome(function: Callable[..., float], *arguments: object) -> float | type[BaseException]:
    """``function(*arguments)``, or the type of the exception it raised."""
    try:
        return function(*arguments)
    except (ValueError, OverflowError, ZeroDivisionError) as error:
        return type(error)


def same_outcome(actual: float | type[BaseException], expected: object) -> bool:
    if isinstance(expected, type):
        return actual is expected
    assert isinstance(expected, float)
    if not isinstance(actual, float):
        return False
    return (math.isnan(actual) and math.isnan(expected)) or same_float(actual, expected)


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


finite_floats = st.floats(allow_nan=False, allow_infinity=False)
any_floats = st.floats(allow_nan=True, allow_infinity=True)


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


def inside(name: str, x: float) -> bool:
    return isinstance(outcome(UNARY[name][0], x), float)


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


# --- atan2 and hypot -----------------------------------------------------------------------------

PAIRS = [
    (y, x)
    for y in (-INF, -3.0, -1.0, -0.0, 0.0, 5e-324, 0.5, 2.0, 1e300, INF, NAN)
    for x in (-INF, -2.0, -0.0, 0.0, 1e-300, 1.0, 3.0, 1.7e308, INF, NAN)
]


def binary_outcomes(name: str, a: float, b: float) -> list[float]:
    """The value of ``a.name(b)`` in every combination of variables and constants."""
    tape = WengertList()
    method = lambda u, v: getattr(u, name)(v).number  # noqa: E731
    return [
        method(Trace.variable(a), Trace.variable(b)),
        method(Trace.variable(a), b),
        getattr(wengert, name)(a, Trace.variable(b)).number,
        method(tape.variable(a), tape.variable(b)),
        method(tape.variable(a), b),
        getattr(wengert, name)(a, tape.variable(b)).number,
        method(Record.constant(a), Record.constant(b)),
        getattr(wengert, name)(a, b),
    ]


@pytest.mark.parametrize("name", ["atan2", "hypot"])
def test_binary_values_follow_math_on_the_grid(name: str) -> None:
    for a, b in PAIRS:
        expected = getattr(math, name)(a, b)
        for actual in binary_outcomes(name, a, b):
            assert same_outcome(actual, expected), (name, a, b, actual, expected)


@pytest.mark.parametrize("name", ["atan2", "hypot"])
@given(a=st.one_of(any_floats, st.floats(-10.0, 10.0)), b=st.one_of(any_floats, finite_floats))
def test_binary_values_follow_math_bit_for_bit(name: str, a: float, b: float) -> None:
    expected = getattr(math, name)(a, b)
    assert same_outcome(getattr(Trace.variable(a), name)(Trace.variable(b)).number, expected)
    tape = WengertList()
    assert same_outcome(getattr(tape.variable(a), name)(b).number, expected)


def test_hypot_of_subnormals_and_huge_numbers_is_math_hypot() -> None:
    for a, b in [(5e-324, 5e-324), (3e-320, 4e-320), (1e-310, 2.5e-309), (1.5e308, 1.5e308)]:
        assert same_float(wengert.hypot(Trace.variable(a), b).number, math.hypot(a, b))


def atan2_partials(y: float, x: float) -> tuple[float, float]:
    return x / (x * x + y * y), -y / (x * x + y * y)


def hypot_partials(x: float, y: float) -> tuple[float, float]:
    r = math.hypot(x, y)
    return x / r, y / r


BINARY_POINTS = [(0.6, -0.8), (2.0, 3.0), (-1.5, 0.25), (1e-3, 7.0), (-4.0, -4.0)]


@pytest.mark.parametrize("name", ["atan2", "hypot"])
def test_binary_partials_are_exact_and_agree_in_both_modes(name: str) -> None:
    partials = atan2_partials if name == "atan2" else hypot_partials
    function = getattr(math, name)
    for a, b in BINARY_POINTS:
        da, db = partials(a, b)
        by_a = getattr(Trace.variable(a), name)(Trace.constant(b)).derivative
        by_b = getattr(Trace.constant(a), name)(Trace.variable(b)).derivative
        assert approx(by_a, da, rel=4e-16 * 4, abs_tol=0.0), (a, b)
        assert approx(by_b, db, rel=4e-16 * 4, abs_tol=0.0), (a, b)
        estimate_a = central_difference(lambda t, b=b: function(t, b), a, step_for(a))
        estimate_b = central_difference(lambda t, a=a: function(a, t), b, step_for(b))
        assert approx(by_a, estimate_a, rel=1e-8, abs_tol=1e-9)
        assert approx(by_b, estimate_b, rel=1e-8, abs_tol=1e-9)
        # A constant operand given as a float: the same partial.
        assert same_float(getattr(Trace.variable(a), name)(b).derivative, by_a)
        assert same_float(getattr(wengert, name)(a, Trace.variable(b)).derivative, by_b)
        tape = WengertList()
        ra, rb = tape.variables([a, b])
        d = getattr(ra, name)(rb).derivatives()
        assert (d[ra], d[rb]) == (by_a, by_b)
        ra2 = tape.variable(a)
        assert getattr(ra2, name)(b).derivatives()[ra2] == by_a
        rb2 = tape.variable(b)
        assert getattr(wengert, name)(a, rb2).derivatives()[rb2] == by_b
        assert getattr(wengert, name)(Record.constant(a), Record.constant(b)).index is None


def exact_partials(name: str, a: float, b: float) -> tuple[float, float]:
    """The partials of atan2(a, b) or hypot(a, b), to 50 digits, rounded once to floats."""
    with decimal.localcontext() as context:
        context.prec = 50
        da, db = decimal.Decimal(a), decimal.Decimal(b)
        squares = da * da + db * db
        if name == "atan2":
            return float(db / squares), float(-da / squares)
        r = squares.sqrt()
        return float(da / r), float(db / r)


@pytest.mark.parametrize("name", ["atan2", "hypot"])
@given(
    a=st.one_of(finite_floats, st.floats(-1e-300, 1e-300), st.floats(-10.0, 10.0)),
    b=st.one_of(finite_floats, st.floats(-1e-300, 1e-300)),
)
@example(a=5e-324, b=5e-324)
@example(a=3e-310, b=-4e-310)
@example(a=3e-200, b=4e-200)
@example(a=1e300, b=-1e300)
@example(a=1.7e308, b=1.7e308)
@example(a=1e-320, b=1.0)
def test_binary_partials_are_right_over_the_whole_range(name: str, a: float, b: float) -> None:
    """No overflow or underflow inside the formula: subnormal and huge operands included."""
    if a == 0.0 and b == 0.0:
        return
    exact_a, exact_b = exact_partials(name, a, b)
    by_a = getattr(Trace.variable(a), name)(b).derivative
    by_b = getattr(Trace.constant(a), name)(Trace.variable(b)).derivative
    for actual, exact in ((by_a, exact_a), (by_b, exact_b)):
        if math.isinf(exact):
            assert actual == exact, (a, b)
        else:
            assert math.isclose(actual, exact, rel_tol=1e-14, abs_tol=1e-320), (a, b, actual)


@pytest.mark.parametrize("name", ["atan2", "hypot"])
@pytest.mark.parametrize(("a", "b"), [(0.0, 0.0), (-0.0, 0.0), (0.0, -0.0), (-0.0, -0.0)])
def test_binary_partials_at_the_origin_are_zero(name: str, a: float, b: float) -> None:
    t = getattr(Trace.variable(a), name)(Trace.variable(b))
    assert same_outcome(t.number, getattr(math, name)(a, b))
    assert t.derivative == 0.0
    tape = WengertList()
    ra, rb = tape.variables([a, b])
    d = getattr(ra, name)(rb).derivatives()
    assert (d[ra], d[rb]) == (0.0, 0.0)


def test_atan2_at_the_origin_is_constant_along_every_ray() -> None:
    """Why 0: along any ray from the origin atan2 does not change."""
    for dy, dx in [(1.0, 0.0), (0.3, -0.7), (-2.0, -1.0)]:
        values = {math.atan2(t * dy, t * dx) for t in (1e-300, 1e-8, 1.0, 1e8)}
        assert len(values) == 1
        # Forward mode along the ray, starting at the origin: derivative 0.
        t = Trace.variable(0.0)
        assert wengert.atan2(t * dy, t * dx).derivative == 0.0


def test_binary_partials_at_infinity() -> None:
    assert Trace.variable(INF).atan2(2.0).derivative == 0.0
    assert Trace.constant(2.0).atan2(Trace.variable(-INF)).derivative == 0.0
    assert Trace.variable(-INF).hypot(2.0).derivative == -1.0
    assert Trace.constant(-INF).hypot(Trace.variable(2.0)).derivative == 0.0
    assert math.isnan(Trace.variable(INF).hypot(INF).derivative)
    huge = Trace.variable(1.7e308).hypot(1.7e308)
    assert huge.number == INF == math.hypot(1.7e308, 1.7e308)
    assert approx(huge.derivative, math.sqrt(0.5), rel=1e-15)
    assert math.isnan(Trace.variable(NAN).atan2(1.0).derivative)


def test_binary_methods_reject_what_operators_reject() -> None:
    tape = WengertList()
    for name in ("atan2", "arctan2", "hypot"):
        for value in (Trace.variable(1.0), tape.variable(1.0)):
            with pytest.raises(TypeError, match=f"{name}\\(\\) takes a"):
                getattr(value, name)("2.0")
            with pytest.raises(TypeError):
                getattr(value, name)(None)
        with pytest.raises(MixedModesError):
            getattr(Trace.variable(1.0), name)(tape.variable(2.0))
        with pytest.raises(MixedModesError):
            getattr(tape.variable(1.0), name)(Trace.variable(2.0))
        with pytest.raises(MixedTapesError):
            getattr(tape.variable(1.0), name)(WengertList().variable(2.0))
    for helper in (wengert.atan2, wengert.hypot):
        with pytest.raises(TypeError):
            helper("1.0", Trace.variable(1.0))
        with pytest.raises(TypeError):
            helper(Trace.variable(1.0), "1.0")
        with pytest.raises(TypeError):
            helper("1.0", 2.0)
        with pytest.raises(MixedModesError):
            helper(Trace.variable(1.0), tape.variable(1.0))


def test_binary_helpers_take_ints() -> None:
    assert wengert.hypot(3, 4) == 5.0 and type(wengert.hypot(3, 4)) is float
    assert same_float(wengert.atan2(1, 2), math.atan2(1, 2))
    t = wengert.hypot(3, Trace.variable(4.0))
    assert (t.number, t.derivative) == (5.0, 0.8)
    t = wengert.atan2(Trace.variable(1.0), 1)
    assert (t.number, t.derivative) == (math.atan2(1.0, 1.0), 0.5)


# --- log with a base -----------------------------------------------------------------------------

LOG_CASES = [
    (8.0, 2.0),
    (100.0, 10.0),
    (1000.0, 10),
    (10, 3),
    (2.5, 0.5),
    (0.1, 7.0),
    (1e300, 1e-300),
    (3.0, 3.0),
    (2**1000, 2),
    (INF, 2.0),
    (1.0, 10.0),
]


@pytest.mark.parametrize(("x", "base"), LOG_CASES)
def test_log_with_a_base_is_math_log_bit_for_bit(x: float, base: float) -> None:
    expected = math.log(x, base)
    assert same_float(wengert.log(x, base), expected)
    if x < 2.0**1000:
        x_float, base_float = float(x), float(base)
        assert same_float(wengert.log(Trace.variable(x_float), base).number, expected)
        assert same_float(wengert.log(x_float, Trace.variable(base_float)).number, expected)
        tape = WengertList()
        both = wengert.log(tape.variable(x_float), tape.variable(base_float))
        assert same_float(both.number, expected)


@pytest.mark.parametrize(("x", "base"), [(8.0, 2.0), (2.5, 0.5), (0.1, 7.0), (50.0, 1.5)])
def test_log_with_a_base_differentiates_both(x: float, base: float) -> None:
    d_x = 1.0 / (x * math.log(base))
    d_base = -math.log(x) / (base * math.log(base) ** 2)
    assert approx(wengert.log(Trace.variable(x), base).derivative, d_x, rel=1e-15)
    assert approx(wengert.log(x, Trace.variable(base)).derivative, d_base, rel=1e-15)
    tape = WengertList()
    rx, rb = tape.variables([x, base])
    d = wengert.log(rx, rb).derivatives()
    assert approx(d[rx], d_x, rel=1e-15) and approx(d[rb], d_base, rel=1e-15)
    f = lambda b: math.log(x, b)  # noqa: E731
    assert approx(d[rb], central_difference(f, base, 1e-7), rel=1e-7)


@given(x=st.floats(1e-300, 1e300), base=st.floats(1e-300, 1e300))
def test_log_with_a_base_follows_math_everywhere(x: float, base: float) -> None:
    expected = outcome(lambda: math.log(x, base))
    assert same_outcome(outcome(lambda: wengert.log(Trace.variable(x), base).number), expected)
    tape = WengertList()
    result = outcome(lambda: wengert.log(x, tape.variable(base)).number)
    assert same_outcome(result, expected)


def test_log_errors_follow_math_log() -> None:
    for x, base in [(2.0, 1.0), (1.0, 1.0), (0.0, 2.0), (-1.0, 2.0), (2.0, 0.0), (2.0, -2.0)]:
        expected = outcome(math.log, x, base)
        assert isinstance(expected, type)
        assert outcome(wengert.log, x, base) is expected
        on_x = outcome(lambda u, b: wengert.log(Trace.variable(u), b).number, x, base)
        assert on_x is expected
        on_base = outcome(lambda u, b: wengert.log(u, WengertList().variable(b)).number, x, base)
        assert on_base is expected


def test_log_without_a_base_is_ln() -> None:
    assert same_float(wengert.log(10), math.log(10))
    assert same_float(wengert.log(2**2000), math.log(2**2000))
    t = wengert.log(Trace.variable(4.0))
    assert (t.number, t.derivative) == (math.log(4.0), 0.25)
    tape = WengertList()
    r = tape.variable(4.0)
    assert r.log().derivatives()[r] == 0.25
    with pytest.raises(MixedModesError):
        wengert.log(Trace.variable(4.0), tape.variable(2.0))


# --- helpers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", UNARY_PARAMS)
def test_helpers_on_ints_give_floats(name: str) -> None:
    reference = UNARY[name][0]
    for n in (0, 1, -1, 2, 7, True, 10**20):
        expected = outcome(reference, float(n))
        result = outcome(getattr(wengert, name), n)
        if isinstance(result, float):
            assert type(result) is float
        assert same_outcome(result, expected), (name, n)


@pytest.mark.parametrize("name", UNARY_PARAMS)
def test_helpers_give_the_kind_they_are_given(name: str) -> None:
    helper = getattr(wengert, name)
    x = 1.5 if name == "acosh" else 0.5
    t = Trace(x, 0.25)
    by_helper = helper(t)
    by_method = getattr(t, name)()
    assert type(by_helper) is Trace
    assert (by_helper.number, by_helper.derivative) == (by_method.number, by_method.derivative)
    tape = WengertList()
    r = tape.variable(x)
    assert type(helper(r)) is Record and helper(r).history is tape
    assert type(helper(Record.constant(x))) is Record


@pytest.mark.parametrize("name", UNARY_PARAMS)
@pytest.mark.parametrize("bad", ["1.0", None, [1.0], 1j])
def test_helpers_reject_other_types(name: str, bad: object) -> None:
    with pytest.raises(TypeError):
        getattr(wengert, name)(bad)


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc"])
def test_rounding_helpers_give_floats_as_the_c_library_does(name: str) -> None:
    numpy_function = getattr(np, name)
    for x in (-2.5, -0.5, -0.0, 0.0, 0.5, 2.5, 3.0, -1e300, 1e16 + 2, INF, -INF, NAN):
        result = getattr(wengert, name)(x)
        assert type(result) is float
        assert same_outcome(result, float(numpy_function(x))), (name, x)
    assert same_float(wengert.floor(7), 7.0)
    assert same_float(wengert.ceil(-7), -7.0)


def test_every_function_is_exported() -> None:
    for name in [*UNARY, "atan2", "hypot"]:
        if name != "ln" and name != "log":
            assert math_function(name).__name__ == name
        assert name in wengert.__all__
        assert callable(getattr(wengert, name))


# --- floor, ceil, trunc and round of the builtins and math ---------------------------------------


@pytest.mark.parametrize(
    ("function", "method"),
    [(math.floor, "floor"), (math.ceil, "ceil"), (math.trunc, "trunc"), (round, None)],
)
def test_math_floor_ceil_trunc_and_round_give_the_same_kind(
    function: Callable[[object], object], method: str | None
) -> None:
    for x in (-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.7, -2.7, 1e300):
        expected = float(function(x))  # type: ignore[arg-type]
        t = function(Trace.variable(x))
        assert type(t) is Trace
        assert t.number == expected and t.derivative == 0.0
        tape = WengertList()
        r = tape.variable(x)
        out = function(r)
        assert type(out) is Record and out.number == expected
        assert out.derivatives()[r] == 0.0
        assert len(tape) == 2
        if method is not None:
            assert t.number == getattr(Trace.variable(x), method)().number


@pytest.mark.parametrize("function", [math.floor, math.ceil, math.trunc, round])
def test_math_floor_and_round_of_infinity_and_nan_raise_as_for_floats(
    function: Callable[[object], object],
) -> None:
    tape = WengertList()
    for x in (INF, -INF, NAN):
        with pytest.raises((OverflowError, ValueError)) as from_float:
            function(x)
        for value in (Trace.variable(x), tape.variable(x), Record.constant(x)):
            before = len(tape)
            with pytest.raises(type(from_float.value)) as excinfo:
                function(value)
            assert str(from_float.value) in str(excinfo.value)
            assert len(tape) == before


@given(x=st.one_of(finite_floats, st.floats(-1000.0, 1000.0)), ndigits=st.integers(-5, 20))
def test_round_with_ndigits_is_float_round(x: float, ndigits: int) -> None:
    expected = round(x, ndigits)
    t = round(Trace.variable(x), ndigits)
    assert type(t) is Trace and same_float(t.number, expected) and t.derivative == 0.0
    tape = WengertList()
    r = tape.variable(x)
    out = round(r, ndigits)
    assert same_float(out.number, expected) and out.derivatives()[r] == 0.0


def test_round_special_cases() -> None:
    assert round(Trace.variable(2.5)).number == 2.0  # half to even, as for floats
    assert round(Trace.variable(3.5)).number == 4.0
    assert round(Trace.variable(2.675), 2).number == 2.67  # 2.675 is below 2.675 in binary
    assert same_float(round(Trace.variable(INF), 2).number, INF)
    assert math.isnan(round(Trace.variable(NAN), 2).number)
    assert round(Trace.variable(1.5), None).number == 2.0
    with pytest.raises(TypeError):
        round(Trace.variable(1.5), 1.5)  # type: ignore[call-overload]
    assert round(Record.constant(2.5)).index is None


# --- min and max ---------------------------------------------------------------------------------


@pytest.mark.parametrize("choose", [min, max])
def test_min_and_max_pass_the_derivative_of_the_chosen_argument(
    choose: Callable[..., object],
) -> None:
    low, high = 1.0, 3.0
    chosen_is_first = choose is min
    t = choose(Trace.variable(low), Trace.constant(high))
    assert isinstance(t, Trace)
    assert t.derivative == (1.0 if chosen_is_first else 0.0)
    tape = WengertList()
    a, b = tape.variables([low, high])
    out = choose(a, b)
    assert out is (a if chosen_is_first else b)
    d = (out * 1.0).derivatives()
    assert (d[a], d[b]) == ((1.0, 0.0) if chosen_is_first else (0.0, 1.0))


@pytest.mark.parametrize("choose", [min, max])
def test_min_and_max_of_a_tie_choose_the_first_argument(choose: Callable[..., object]) -> None:
    """As for floats: on a tie, min and max return their first argument."""
    t = choose(Trace(2.0, 1.0), Trace(2.0, 5.0))
    assert isinstance(t, Trace) and t.derivative == 1.0
    t = choose(Trace(2.0, 5.0), Trace(2.0, 1.0), Trace(2.0, 7.0))
    assert isinstance(t, Trace) and t.derivative == 5.0
    tape = WengertList()
    a, b = tape.variables([2.0, 2.0])
    assert choose(a, b) is a
    d = (choose(a, b) * 1.0).derivatives()
    assert (d[a], d[b]) == (1.0, 0.0)
    assert choose(b, a) is b


def test_min_with_a_float_that_wins_gives_the_float() -> None:
    """A float has derivative 0: returning it unchanged is right."""
    assert min(Trace.variable(5.0), 2.0) == 2.0
    assert type(min(Trace.variable(5.0), 2.0)) is float


# --- NumPy ---------------------------------------------------------------------------------------

NUMPY_UNARY = {
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arcsinh": "asinh",
    "arccosh": "acosh",
    "arctanh": "atanh",
    "log": "log",
    "exp": "exp",
    "sqrt": "sqrt",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "sinh": "sinh",
    "cosh": "cosh",
    "tanh": "tanh",
    "exp2": "exp2",
    "expm1": "expm1",
    "log2": "log2",
    "log10": "log10",
    "log1p": "log1p",
    "cbrt": "cbrt",
    "floor": "floor",
    "ceil": "ceil",
    "trunc": "trunc",
}


@pytest.mark.parametrize("numpy_name", list(NUMPY_UNARY))
def test_numpy_functions_work_on_object_arrays(numpy_name: str) -> None:
    name = NUMPY_UNARY[numpy_name]
    x = 1.5 if name == "acosh" else 0.5
    method = getattr(Trace.variable(x), name)()
    (result,) = getattr(np, numpy_name)(np.array([Trace.variable(x)], dtype=object))
    assert type(result) is Trace
    assert (result.number, result.derivative) == (method.number, method.derivative)
    tape = WengertList()
    r = tape.variable(x)
    (out,) = getattr(np, numpy_name)(np.array([r], dtype=object))
    assert type(out) is Record
    assert out.derivatives()[r] == method.derivative


@pytest.mark.parametrize(("numpy_name", "name"), [("arctan2", "atan2"), ("hypot", "hypot")])
def test_numpy_binary_functions_work_on_object_arrays(numpy_name: str, name: str) -> None:
    a = np.array([Trace.variable(0.5), Trace.variable(-2.0)], dtype=object)
    b = np.array([Trace.constant(2.0), 3.0], dtype=object)
    results = getattr(np, numpy_name)(a, b)
    for result, x, y in zip(results, (0.5, -2.0), (2.0, 3.0), strict=True):
        expected = getattr(Trace.variable(x), name)(y)
        assert (result.number, result.derivative) == (expected.number, expected.derivative)
    assert same_float(results[0].number, getattr(math, name)(0.5, 2.0))


@pytest.mark.parametrize("numpy_name", ["floor", "ceil", "trunc"])
def test_numpy_rounding_of_object_arrays_goes_through_math(numpy_name: str) -> None:
    """On object arrays NumPy calls math.floor and so on: an infinity raises, as for floats."""
    function = getattr(np, numpy_name)
    with pytest.raises(OverflowError):
        function(np.array([INF], dtype=object))
    with pytest.raises(OverflowError):
        function(np.array([Trace.variable(INF)], dtype=object))
    (finite,) = function(np.array([Trace.variable(-2.5)], dtype=object))
    assert (finite.number, finite.derivative) == (float(function(-2.5)), 0.0)
