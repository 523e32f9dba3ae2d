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


def test_a_derivative_that_does_not_exist_stays_nan() -> None:
    # d/dy (-2)^y has no real value (it needs ln(-2)); a NaN must not turn into 0.
    assert math.isnan((Trace.constant(-2.0) ** Trace.variable(3.0)).derivative)
    tape = WengertList()
    x, y = tape.variables([-2.0, 3.0])
    d = (x**y).derivatives()
    assert d[x] == 12.0
    assert math.isnan(d[y])


def test_variables_made_after_clear_belong_to_the_new_generation() -> None:
    tape = WengertList()
    tape.variables([5.0])
    tape.clear()
    x, y = tape.variables([1.0, 2.0])
    assert (x.index, y.index) == (0, 1)
    d = (x * y).derivatives()
    assert (d[x], d[y]) == (2.0, 1.0)


def test_unary_plus_is_the_value_itself_and_records_nothing() -> None:
    tape = WengertList()
    x = tape.variable(3.0)
    assert +x is x
    assert len(tape) == 1
    t = Trace.variable(3.0)
    assert +t is t


def test_division_by_a_negative_variable() -> None:
    t = Trace.constant(3.0) / Trace.variable(-2.0)
    assert (t.number, t.derivative) == (-1.5, -0.75)
    tape = WengertList()
    x, y = tape.variables([3.0, -2.0])
    d = (x / y).derivatives()
    assert (d[x], d[y]) == (-0.5, -0.75)


def test_custom_binary_with_a_constant_on_the_left() -> None:
    # f(a, b) = a * b**2 with a = 3 constant: df/db = 2 a b = 12 at b = 2.
    tape = WengertList()
    y = tape.variable(2.0)
    z = Record.constant(3.0).binary(
        y, lambda a, b: a * b * b, lambda a, b: b * b, lambda a, b: 2.0 * a * b
    )
    assert z.number == 12.0
    assert z.derivatives()[y] == 12.0
    assert len(tape) == 2


@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.int32])
def test_variables_reads_other_numeric_arrays_by_value(dtype: type) -> None:
    tape = WengertList()
    records = tape.variables(np.array([1, 2, -3], dtype=dtype))
    assert [r.number for r in records] == [1.0, 2.0, -3.0]
    assert [r.index for r in records] == [0, 1, 2]


def test_a_long_tape_is_swept_correctly() -> None:
    # Long enough that the sweep lets other threads run; y = sum(i * x) has dy/dx = sum(i).
    tape = WengertList()
    x = tape.variable(1.5)
    n = 40_000
    y = sum(x * float(i) for i in range(n))
    d = y.derivatives()
    assert len(d) == len(tape) == 2 * n + 1
    assert d[x] == n * (n - 1) / 2
