"""Edge cases where a careless implementation answers wrongly without raising."""

from __future__ import annotations

import math
from typing import TypeVar

import numpy as np
import pytest

from wengert import Record, StaleRecordError, Trace, WengertList, sqrt
from wengert.typing import Real

T = TypeVar("T", bound=Real)


def test_variables_reads_byte_swapped_arrays_by_value() -> None:
    tape = WengertList()
    swapped = np.array([1.0, 2.0, -3.5], dtype=np.dtype(np.float64).newbyteorder())
    assert [r.number for r in tape.variables(swapped)] == [1.0, 2.0, -3.5]


def test_variables_refuses_a_two_dimensional_array() -> None:
    tape = WengertList()
    with pytest.raises(TypeError):
        tape.variables(np.zeros((2, 3)))
    assert len(tape) == 0


def test_variables_reads_a_strided_view() -> None:
    tape = WengertList()
    assert [r.number for r in tape.variables(np.arange(6.0)[::2])] == [0.0, 2.0, 4.0]


@pytest.mark.parametrize("make", [Trace, Record.constant])
def test_nan_hash_is_stable_so_sets_find_the_same_object(make: type) -> None:
    value = make(math.nan)
    found = {value}
    assert hash(value) == hash(value)
    assert value in found


def test_negative_base_with_a_huge_even_exponent_keeps_the_sign() -> None:
    # d/dx x^y = y x^(y-1) with y - 1 odd: negative at x = -1.
    y = 2.0**54
    assert (Trace.variable(-1.0) ** y).derivative == -y
    tape = WengertList()
    x = tape.variable(-1.0)
    assert (x**y).derivatives()[x] == -y
    # With y - 1 even the derivative is positive (2^53 - 1 is the largest odd float).
    odd = 2.0**53 - 1.0
    assert (Trace.variable(-1.0) ** odd).derivative == odd


def test_a_zero_partial_stops_an_infinite_one_in_both_modes() -> None:
    # sqrt(x * 0) and sqrt(x) * 0 are the constant 0; x * sqrt(x) = x^1.5 has slope 0 at 0.
    def functions(x: T) -> list[T]:
        return [sqrt(x * 0.0), sqrt(x) * 0.0, x * sqrt(x)]

    at_zero = [f.derivative for f in functions(Trace.variable(0.0))]
    assert at_zero == [0.0, 0.0, 0.0]
    tape = WengertList()
    x = tape.variable(0.0)
    assert [f.derivatives()[x] for f in functions(x)] == [0.0, 0.0, 0.0]


def test_zero_to_minus_infinity_is_infinity_as_for_floats() -> None:
    assert 0.0**-math.inf == math.inf
    assert (Trace.variable(0.0) ** -math.inf).number == math.inf
    assert (WengertList().variable(0.0) ** -math.inf).number == math.inf


@pytest.mark.parametrize("make", [Trace, Record.constant])
def test_comparisons_with_ints_are_exact_as_for_floats(make: type) -> None:
    big = 2**53
    value = make(float(big))
    assert (value == big + 1) is (float(big) == big + 1) is False
    assert value == big
    assert value < 10**400
    assert value != 10**400
    assert make(1.0) > -(10**400)


def test_custom_functions_do_not_run_for_a_stale_record() -> None:
    tape = WengertList()
    x = tape.variable(2.0)
    tape.clear()
    calls: list[float] = []

    def f(value: float, *rest: float) -> float:
        calls.append(value)
        return value

    with pytest.raises(StaleRecordError):
        x.unary(f, f)
    with pytest.raises(StaleRecordError):
        x.binary(1.0, f, f, f)
    y = tape.variable(1.0)
    with pytest.raises(StaleRecordError):
        y.binary(x, f, f, f)
    assert calls == []
    assert len(tape) == 1


def test_a_custom_function_returning_a_huge_int_raises_overflow() -> None:
    with pytest.raises(OverflowError):
        Trace.variable(1.0).unary(lambda x: 10**400, lambda x: 1.0)
    with pytest.raises(TypeError, match="must return a float"):
        Trace.variable(1.0).unary(lambda x: "1.0", lambda x: 1.0)
