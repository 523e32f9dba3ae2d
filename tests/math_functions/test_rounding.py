"""floor, ceil, trunc and round: the functions of wengert, and those of math and the builtins.

``wengert.floor`` and friends give the C library's float; ``math.floor(x)``,
``round(x)`` and friends on a Trace or Record give a value of its class holding the
integer, with derivative 0, and raise where they raise for a float.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from conftest import same_float
from hypothesis import given
from hypothesis import strategies as st

import wengert
from wengert import Record, Trace, WengertList

from ._common import INF, NAN, finite_floats, same_outcome


@pytest.mark.parametrize("name", ["floor", "ceil", "trunc"])
def test_rounding_helpers_give_floats_as_the_c_library_does(name: str) -> None:
    numpy_function = getattr(np, name)
    for x in (-2.5, -0.5, -0.0, 0.0, 0.5, 2.5, 3.0, -1e300, 1e16 + 2, INF, -INF, NAN):
        result = getattr(wengert, name)(x)
        assert type(result) is float
        assert same_outcome(result, float(numpy_function(x))), (name, x)
    assert same_float(wengert.floor(7), 7.0)
    assert same_float(wengert.ceil(-7), -7.0)


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
