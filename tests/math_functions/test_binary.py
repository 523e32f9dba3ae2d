"""The functions of two arguments: atan2, hypot, log with a base, and pow.

Values are bit for bit what :mod:`math` (or float ``**``) gives, errors included, in
every mix of plain numbers, Traces and Records; both partials are exact, over the whole
range of floats, and agree in both modes.
"""

from __future__ import annotations

import decimal
import math

import pytest
from conftest import approx, central_difference, same_float, step_for
from hypothesis import example, given
from hypothesis import strategies as st

import wengert
from wengert import MixedModesError, MixedTapesError, Record, Trace, WengertList

from ._common import INF, NAN, any_floats, finite_floats, outcome, same_outcome

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


# --- pow -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "y"),
    [(2.0, 3.0), (2, 3), (2.0, 0.5), (9, 0.5), (10.0, -2), (0.0, 0.0), (-2.0, 3), (1.5, 2.5)],
)
def test_pow_on_numbers_is_float_pow_bit_for_bit(x: float, y: float) -> None:
    result = wengert.pow(x, y)
    assert type(result) is float
    assert same_float(result, float(x) ** y)


def test_pow_of_ints_gives_a_float() -> None:
    assert type(wengert.pow(2, 3)) is float
    assert wengert.pow(2, 3) == 8.0
    assert wengert.pow(2, -1) == 0.5


def test_pow_with_a_complex_result_raises_value_error() -> None:
    with pytest.raises(ValueError):
        wengert.pow(-8.0, 1.0 / 3.0)
    with pytest.raises(ValueError):
        wengert.pow(-8, 0.5)
    with pytest.raises(ValueError):
        wengert.pow(Trace.variable(-8.0), 1.0 / 3.0)


def test_pow_errors_follow_floats() -> None:
    with pytest.raises(ZeroDivisionError):
        wengert.pow(0.0, -1.0)
    with pytest.raises(OverflowError):
        wengert.pow(10.0, 400.0)


def test_pow_on_traces() -> None:
    by_base = wengert.pow(Trace.variable(3.0), 2.0)
    assert type(by_base) is Trace
    assert (by_base.number, by_base.derivative) == (9.0, 6.0)
    by_exponent = wengert.pow(2.0, Trace.variable(3.0))
    assert type(by_exponent) is Trace
    assert by_exponent.number == 8.0
    assert approx(by_exponent.derivative, 8.0 * math.log(2.0), rel=4e-16, abs_tol=0.0)
    both = wengert.pow(Trace.variable(3.0), Trace.variable(2.0))
    assert both.number == 9.0
    assert approx(both.derivative, 6.0 + 9.0 * math.log(3.0), rel=1e-15, abs_tol=0.0)


def test_pow_on_records() -> None:
    tape = WengertList()
    x, y = tape.variables([3.0, 2.0])
    result = wengert.pow(x, y)
    assert type(result) is Record
    assert result.number == 9.0
    d = result.derivatives()
    assert d[x] == 6.0
    assert approx(d[y], 9.0 * math.log(3.0), rel=4e-16, abs_tol=0.0)
    by_exponent = wengert.pow(2.0, y)
    assert type(by_exponent) is Record
    assert by_exponent.number == 4.0
    assert approx(by_exponent.derivatives()[y], 4.0 * math.log(2.0), rel=4e-16, abs_tol=0.0)
    assert wengert.pow(x, 2).derivatives()[x] == 6.0


def test_pow_values_are_float_pow_bit_for_bit() -> None:
    for x, y in [(1.1, 2.0), (1.1, 3), (2.5, 0.3), (7.0, -1.5), (0.3, 10)]:
        expected = x**y
        assert same_float(wengert.pow(Trace.variable(x), y).number, expected)
        assert same_float(wengert.pow(x, Trace.variable(y)).number, expected)
        assert same_float((Trace.variable(x) ** Trace.variable(y)).number, expected)
        tape = WengertList()
        assert same_float(wengert.pow(tape.variable(x), y).number, expected)
        assert same_float((x ** tape.variable(y)).number, expected)


@pytest.mark.parametrize(
    ("x", "y"),
    [("2.0", 3.0), (2.0, "3"), (None, 1.0), (2.0, [1.0]), (b"2", 1.0), (2.0, memoryview(b"3"))],
)
def test_pow_rejects_other_types(x: object, y: object) -> None:
    with pytest.raises(TypeError) as excinfo:
        wengert.pow(x, y)
    # It names what it takes, and the type it got; float() would parse text and buffers
    text = str(excinfo.value)
    assert "a float, an int, a Trace, a MultiTrace or a Record" in text
    assert type(x if isinstance(y, float) else y).__name__ in text


def test_pow_rejects_derivatives_rather_than_parsing_their_buffer() -> None:
    tape = WengertList()
    x = tape.variable(1.0)
    with pytest.raises(TypeError, match="not Derivatives"):
        wengert.pow(2.0, x.derivatives())
