"""numpy's scalars as constant operands of Trace, MultiTrace and Record, on either side.

numpy.float32, numpy.int64, numpy.bool_ and the other real scalar types count as plain
numbers (their value as a float), as float, int and bool do. With ``numpy.float32(2) *
x`` numpy's scalar goes first: the classes' ``__array_priority__`` makes it hand the
operation over, so the result is a Trace (MultiTrace, Record), not a numpy object.
Complex scalars are refused, as Python's complex is.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

import numpy as np
import pytest

from wengert import MultiTrace, Record, Trace, WengertList

BinaryOp = Callable[[object, object], object]

OPERATORS: dict[str, BinaryOp] = {
    "add": operator.add,
    "sub": operator.sub,
    "mul": operator.mul,
    "truediv": operator.truediv,
    "pow": operator.pow,
}

SCALAR_TYPES: list[type] = [
    np.float16,
    np.float32,
    np.float64,
    np.longdouble,
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.uint8,
    np.uint64,
]

X = 3.0  # the differentiable operand
C = 2.0  # the scalar's value: exact in every type above


def three(kind: str, tape: WengertList) -> object:
    """3.0 as a value of the given kind; a Record on ``tape`` is made for every kind."""
    record = tape.variable(3.0)
    values = {"Trace": Trace.variable(3.0), "MultiTrace": MultiTrace.constant(3.0, 2)}
    return values.get(kind, record)


def derivative_of(kind: str, make: Callable[[object], object]) -> tuple[type, float, float]:
    """The type, value and derivative (with respect to the input) of ``make(x)`` where x is
    an input of the given kind at X."""
    if kind == "Trace":
        t = make(Trace.variable(X))
        assert isinstance(t, Trace)
        return Trace, t.number, t.derivative
    if kind == "MultiTrace":
        x, _ = MultiTrace.variables([X, 5.0])
        m = make(x)
        assert isinstance(m, MultiTrace)
        assert float(m.derivative[1]) == 0.0
        return MultiTrace, m.number, float(m.derivative[0])
    tape = WengertList()
    r = tape.variable(X)
    result = make(r)
    assert isinstance(result, Record)
    return Record, result.number, result.derivatives()[r]


KINDS = ["Trace", "MultiTrace", "Record"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scalar_type", SCALAR_TYPES, ids=lambda t: t.__name__)
@pytest.mark.parametrize("name", list(OPERATORS))
def test_scalar_on_either_side_is_a_constant(kind: str, scalar_type: type, name: str) -> None:
    op = OPERATORS[name]
    c = scalar_type(C)
    expected_right = derivative_of(kind, lambda x: op(x, C))
    expected_left = derivative_of(kind, lambda x: op(C, x))
    assert derivative_of(kind, lambda x: op(x, c)) == expected_right
    assert derivative_of(kind, lambda x: op(c, x)) == expected_left
    assert expected_right[0].__name__ == kind


@pytest.mark.parametrize("kind", KINDS)
def test_inexact_float32_is_its_exact_value_as_a_float(kind: str) -> None:
    c = np.float32(0.1)
    assert float(c) != 0.1
    assert derivative_of(kind, lambda x: c * x) == derivative_of(kind, lambda x: float(c) * x)
    assert derivative_of(kind, lambda x: x / c) == derivative_of(kind, lambda x: x / float(c))


@pytest.mark.parametrize("kind", KINDS)
def test_large_numpy_integers_round_as_ints_do(kind: str) -> None:
    big = np.uint64(2**64 - 1)
    assert derivative_of(kind, lambda x: big * x) == derivative_of(kind, lambda x: 2**64 * x)
    odd = np.int64(2**53 + 1)
    assert derivative_of(kind, lambda x: x + odd) == derivative_of(kind, lambda x: x + (2**53 + 1))


@pytest.mark.parametrize("kind", KINDS)
def test_numpy_bool_counts_as_bool_does(kind: str) -> None:
    assert derivative_of(kind, lambda x: np.True_ * x) == derivative_of(kind, lambda x: True * x)
    assert derivative_of(kind, lambda x: x + np.False_) == derivative_of(kind, lambda x: x + False)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scalar_type", [np.float32, np.int32, np.uint8], ids=lambda t: t.__name__)
def test_methods_take_numpy_scalars(kind: str, scalar_type: type) -> None:
    c = scalar_type(2)

    def value(x: float, y: float) -> float:
        return x * y

    def dx(x: float, y: float) -> float:
        return y

    def dy(x: float, y: float) -> float:
        return x

    assert derivative_of(kind, lambda x: x.pow(c)) == (  # type: ignore[attr-defined]
        derivative_of(kind, lambda x: x.pow(2.0))  # type: ignore[attr-defined]
    )
    custom = derivative_of(kind, lambda x: x.binary(c, value, dx, dy))  # type: ignore[attr-defined]
    assert custom[1:] == (6.0, 2.0)


@pytest.mark.parametrize("kind", KINDS)
def test_numpy_scalars_compare_as_numbers(kind: str) -> None:
    tape = WengertList()
    x = three(kind, tape)
    assert x == np.float32(3.0) and np.float32(3.0) == x
    assert x < np.int64(4) and np.int64(4) > x
    assert x >= np.float16(3.0) and not (x > np.uint8(3))
    assert x != np.float32(3.5)
    assert len(tape) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_complex_scalars_are_refused(kind: str) -> None:
    tape = WengertList()
    x = three(kind, tape)
    for c in (np.complex64(1.0), np.complex128(1.0)):
        with pytest.raises(TypeError):
            _ = x * c  # type: ignore[operator]
        with pytest.raises(TypeError):
            _ = c * x  # type: ignore[operator]
        with pytest.raises(TypeError):
            x.pow(c)  # type: ignore[attr-defined]
    assert len(tape) == 1


def test_arrays_still_work_elementwise() -> None:
    # The priority that makes numpy's scalars defer is below an array's: an array with a
    # Trace still broadcasts to an object array of Traces, on either side.
    t = Trace.variable(2.0)
    weights = np.array([1.0, 3.0])
    for product in (weights * t, t * weights):
        assert product.dtype == object and product.shape == (2,)
        assert [p.derivative for p in product] == [1.0, 3.0]
    sines = np.sin(np.array([t, t * 2.0]))
    assert [s.derivative for s in sines] == [math.cos(2.0), 2.0 * math.cos(4.0)]
    zero_d = np.array(2.0) * t
    assert type(zero_d) is Trace and zero_d.derivative == 2.0
    for cls in (Trace, MultiTrace, Record):
        assert -1e6 < cls.__array_priority__ < 0.0


def test_the_result_of_a_numpy_scalar_on_the_left_is_not_a_numpy_object() -> None:
    for x in (Trace.variable(2.0), MultiTrace.variables([2.0])[0]):
        for c in (np.float32(3.0), np.int64(3), np.float64(3.0), np.longdouble(3.0)):
            for op in OPERATORS.values():
                result = op(c, x)
                assert type(result) is type(x)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("scalar_type", SCALAR_TYPES, ids=lambda t: t.__name__)
def test_numpy_scalars_hand_the_operation_over(kind: str, scalar_type: type) -> None:
    # numpy's scalar answers NotImplemented (rather than computing through a 0-d object
    # array), so Python calls the class's reflected method, which does the work.
    tape = WengertList()
    x = three(kind, tape)
    c = scalar_type(2)
    for method in ("__add__", "__sub__", "__mul__", "__truediv__", "__pow__"):
        assert getattr(c, method)(x) is NotImplemented
    assert len(tape) == 1
