"""The module's functions of one argument: ``wengert.sin(x)``, ``wengert.abs(x)``, ...

On a float or an int each gives a float, bit for bit what :mod:`math` gives; on a Trace
a Trace, on a Record a Record, with the same value (what the method of the same name
gives); anything else is a TypeError. Each is native, falls back on its Python
definition, and pickles by reference.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from conftest import approx, math_function, same_float

import wengert
import wengert._core
import wengert.real
from wengert import Record, Trace, WengertList

from ._common import UNARY, UNARY_PARAMS, inside, outcome, same_outcome

# name -> (function, the math function it follows, its exact derivative, points to try)
SAMPLED: dict[
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


@pytest.mark.parametrize("name", list(SAMPLED))
def test_helper_on_floats_is_math_bit_for_bit(name: str) -> None:
    helper, reference, _, points = SAMPLED[name]
    for x in points:
        result = helper(x)
        assert type(result) is float
        assert same_float(result, float(reference(x))), x


@pytest.mark.parametrize("name", [*UNARY_PARAMS, "abs"])
def test_helpers_on_ints_give_floats(name: str) -> None:
    reference = abs if name == "abs" else UNARY[name][0]
    for n in (0, 1, -1, 2, 7, -3, True, 10**20):
        expected = outcome(reference, float(n))
        result = outcome(getattr(wengert, name), n)
        if isinstance(result, float):
            assert type(result) is float
        assert same_outcome(result, expected), (name, n)


@pytest.mark.parametrize("name", list(SAMPLED))
def test_helper_on_traces(name: str) -> None:
    helper, reference, derivative, points = SAMPLED[name]
    for x in points:
        result = helper(Trace.variable(x))
        assert type(result) is Trace
        assert same_float(result.number, float(reference(x))), x
        assert approx(result.derivative, derivative(x), rel=4e-16, abs_tol=0.0), x
        constant = helper(Trace.constant(x))
        assert type(constant) is Trace
        assert same_float(constant.number, float(reference(x)))
        assert constant.derivative == 0.0


@pytest.mark.parametrize("name", list(SAMPLED))
def test_helper_on_records(name: str) -> None:
    helper, reference, derivative, points = SAMPLED[name]
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


@pytest.mark.parametrize("name", UNARY_PARAMS)
def test_helpers_give_the_kind_they_are_given(name: str) -> None:
    """The function is the method: the same kind, the same number and derivative."""
    helper = getattr(wengert, name)
    points = [x for x in (0.5, 1.5) if inside(name, x)]
    assert points
    for x in points:
        t = Trace(x, 0.25)
        by_helper = helper(t)
        by_method = getattr(t, name)()
        assert type(by_helper) is Trace
        assert (by_helper.number, by_helper.derivative) == (by_method.number, by_method.derivative)
        tape = WengertList()
        r = tape.variable(x)
        assert type(helper(r)) is Record and helper(r).history is tape
        assert type(helper(Record.constant(x))) is Record


@pytest.mark.parametrize("name", [*UNARY_PARAMS, "abs"])
@pytest.mark.parametrize("bad", ["1.0", None, [1.0], 1j])
def test_helpers_reject_other_types(name: str, bad: object) -> None:
    with pytest.raises(TypeError):
        getattr(wengert, name)(bad)


def test_every_function_is_exported() -> None:
    for name in [*UNARY, "atan2", "hypot"]:
        if name != "ln" and name != "log":
            assert math_function(name).__name__ == name
        assert name in wengert.__all__
        assert callable(getattr(wengert, name))


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
