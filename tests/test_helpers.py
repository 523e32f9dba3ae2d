"""The generic math helpers (wengert.sin cos exp ln sqrt pow abs) and wengert.derivative.

On a float or an int each helper gives a float, bit for bit what :mod:`math` (or
float ``**``) gives; on a Trace a Trace, on a Record a Record, with the same value.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from conftest import approx, same_float

import wengert
import wengert._core
import wengert.real
from wengert import Record, Trace, WengertList

# name -> (helper, the math function it follows, its exact derivative, points to try)
UNARY_HELPERS: dict[
    str,
    tuple[Callable[..., object], Callable[[float], float], Callable[[float], float], list[float]],
] = {
    "sin": (wengert.sin, math.sin, math.cos, [0.0, 0.5, -1.25, 2.0, 100.0, 1e-300]),
    "cos": (wengert.cos, math.cos, lambda x: -math.sin(x), [0.0, 0.5, -1.25, 2.0, 100.0]),
    "exp": (wengert.exp, math.exp, math.exp, [0.0, 0.5, -1.25, 2.0, 700.0, -800.0]),
    "ln": (wengert.ln, math.log, lambda x: 1.0 / x, [0.5, 1.0, 2.0, 10.0, 1e-300, 1e300]),
    "sqrt": (
        wengert.sqrt,
        math.sqrt,
        lambda x: 0.5 / math.sqrt(x),
        [0.25, 1.0, 2.0, 10.0, 1e-300, 1e300],
    ),
    "abs": (wengert.abs, abs, lambda x: math.copysign(1.0, x), [0.5, -1.25, 2.0, -1e300]),
}


@pytest.mark.parametrize("name", list(UNARY_HELPERS))
def test_helper_on_floats_is_math_bit_for_bit(name: str) -> None:
    helper, reference, _, points = UNARY_HELPERS[name]
    for x in points:
        result = helper(x)
        assert type(result) is float
        assert same_float(result, float(reference(x))), x


@pytest.mark.parametrize("name", list(UNARY_HELPERS))
def test_helper_on_ints_gives_floats(name: str) -> None:
    helper, reference, _, _ = UNARY_HELPERS[name]
    for n in (1, 2, 7, -3, True):
        if name in ("ln", "sqrt") and n < 0:
            continue
        result = helper(n)
        assert type(result) is float
        assert same_float(result, float(reference(float(n)))), n


@pytest.mark.parametrize("name", list(UNARY_HELPERS))
def test_helper_on_traces(name: str) -> None:
    helper, reference, derivative, points = UNARY_HELPERS[name]
    for x in points:
        result = helper(Trace.variable(x))
        assert type(result) is Trace
        assert same_float(result.number, float(reference(x))), x
        assert approx(result.derivative, derivative(x), rel=4e-16, abs_tol=0.0), x
        constant = helper(Trace.constant(x))
        assert type(constant) is Trace
        assert same_float(constant.number, float(reference(x)))
        assert constant.derivative == 0.0


@pytest.mark.parametrize("name", list(UNARY_HELPERS))
def test_helper_on_records(name: str) -> None:
    helper, reference, derivative, points = UNARY_HELPERS[name]
    tape = WengertList()
    for x in points:
        r = tape.variable(x)
        before = len(tape)
        result = helper(r)
        assert type(result) is Record
        assert len(tape) == before + 1
        assert result.history is tape
        assert same_float(result.number, float(reference(x))), x
        assert approx(result.derivatives()[r], derivative(x), rel=4e-16, abs_tol=0.0), x
        constant = helper(Record.constant(x))
        assert type(constant) is Record
        assert constant.index is None
        assert same_float(constant.number, float(reference(x)))
        assert len(tape) == before + 1


@pytest.mark.parametrize("name", ["sin", "cos", "exp", "ln", "sqrt"])
def test_helper_is_the_method(name: str) -> None:
    helper = UNARY_HELPERS[name][0]
    t = Trace(1.5, 0.25)
    by_helper = helper(t)
    by_method = getattr(t, name)()
    assert isinstance(by_helper, Trace)
    assert (by_helper.number, by_helper.derivative) == (by_method.number, by_method.derivative)


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


@pytest.mark.parametrize("name", list(UNARY_HELPERS))
@pytest.mark.parametrize("bad", ["1.0", None, [1.0], 1j])
def test_helpers_reject_other_types(name: str, bad: object) -> None:
    helper = UNARY_HELPERS[name][0]
    with pytest.raises(TypeError):
        helper(bad)


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


# --- abs -----------------------------------------------------------------------------------------


def test_abs_on_numbers_gives_floats() -> None:
    assert type(wengert.abs(-2)) is float
    assert wengert.abs(-2) == 2.0
    assert wengert.abs(-2.5) == 2.5
    assert same_float(wengert.abs(-0.0), 0.0)


def test_abs_on_traces_and_records() -> None:
    t = wengert.abs(Trace.variable(-2.5))
    assert type(t) is Trace
    assert (t.number, t.derivative) == (2.5, -1.0)
    tape = WengertList()
    x = tape.variable(-2.5)
    r = wengert.abs(x)
    assert type(r) is Record
    assert r.number == 2.5
    assert r.derivatives()[x] == -1.0


# --- wengert.derivative --------------------------------------------------------------------------


def test_derivative_of_a_polynomial() -> None:
    assert wengert.derivative(lambda t: t * t * t, 2.0) == 12.0
    assert wengert.derivative(lambda t: t * t, 3.0) == 6.0
    assert wengert.derivative(lambda t: 5 * t**3 - 4 * t**2 + 10 * t - 2, 1.0) == 17.0


def test_derivative_accepts_an_int_point() -> None:
    result = wengert.derivative(lambda t: t * t, 3)
    assert type(result) is float
    assert result == 6.0


def test_derivative_of_helpers() -> None:
    assert wengert.derivative(wengert.sin, 0.0) == 1.0
    assert wengert.derivative(wengert.exp, 0.0) == 1.0
    assert wengert.derivative(wengert.ln, 4.0) == 0.25
    x = 0.7
    assert approx(
        wengert.derivative(lambda t: wengert.sin(t) * wengert.exp(t), x),
        math.cos(x) * math.exp(x) + math.sin(x) * math.exp(x),
        rel=1e-15,
    )


def test_derivative_matches_the_exact_formula() -> None:
    def f(t: Trace) -> Trace:
        return wengert.sqrt(t * t + 1.0) / (t + 2.0)

    for x in (-1.0, 0.0, 0.5, 3.0):
        s = math.sqrt(x * x + 1.0)
        exact = x / (s * (x + 2.0)) - s / (x + 2.0) ** 2
        assert math.isclose(wengert.derivative(f, x), exact, rel_tol=1e-13, abs_tol=1e-15)


def test_derivative_of_a_constant_function_is_zero() -> None:
    assert wengert.derivative(lambda t: t * 0.0 + 5.0, 3.0) == 0.0
    assert wengert.derivative(lambda t: Trace.constant(5.0), 3.0) == 0.0


def test_derivative_raises_when_f_returns_a_plain_number() -> None:
    with pytest.raises(TypeError) as excinfo:
        wengert.derivative(lambda t: t.number * 2.0, 3.0)
    assert "Trace" in str(excinfo.value)
    with pytest.raises(TypeError):
        wengert.derivative(lambda t: WengertList().variable(t.number), 3.0)


def test_derivative_propagates_errors_from_f() -> None:
    with pytest.raises(ValueError):
        wengert.derivative(wengert.ln, -1.0)
    with pytest.raises(ZeroDivisionError):
        wengert.derivative(lambda t: 1.0 / t, 0.0)


def test_native_helpers_pickle_by_reference() -> None:
    for name in ("sin", "exp", "floor", "abs", "log", "atan2", "pow"):
        function = getattr(wengert, name)
        assert pickle.loads(pickle.dumps(function)) is function


ONE_ARGUMENT = (
    "sin cos tan asin acos atan sinh cosh tanh asinh acosh atanh exp exp2 expm1 ln "
    "log2 log10 log1p sqrt cbrt erf erfc floor ceil trunc abs"
).split()


@pytest.mark.parametrize("name", ONE_ARGUMENT)
def test_one_argument_helpers_are_the_native_functions(name: str) -> None:
    """Each is native (its Python definition is what it falls back on), and both agree."""
    native = getattr(wengert, name)
    assert native is getattr(wengert._core, "_" + name)
    definition = wengert.real._DEFINITIONS[name]

    def outcome(f: Any, x: object) -> object:
        try:
            result = f(x)
        except (ArithmeticError, ValueError, TypeError) as error:
            return (type(error), str(error))
        if isinstance(result, Trace):
            return (result.number, result.derivative)
        return (type(result), repr(result))

    for x in (0.5, -3.0, 1.5, 2, 0, math.inf, math.nan, 10**400, "x", None, Trace(0.5, 1.0)):
        assert outcome(native, x) == outcome(definition, x)
