"""Operators on Trace and Record with every kind of operand, on either side.

The binary operators are checked at x = 3, y = 2, where every value and partial is
exact in binary floating point except ∂(x**y)/∂y = 9 ln 3.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from conftest import approx

from wengert import ConstantRecordError, MixedModesError, MultiTrace, Record, Trace, WengertList

X, Y = 3.0, 2.0

BinaryOp = Callable[[object, object], object]

# name -> (operator, value at (3, 2), ∂/∂x at (3, 2), ∂/∂y at (3, 2))
BINARY: dict[str, tuple[BinaryOp, float, float, float]] = {
    "add": (operator.add, 5.0, 1.0, 1.0),
    "sub": (operator.sub, 1.0, 1.0, -1.0),
    "mul": (operator.mul, 6.0, 2.0, 3.0),
    "truediv": (operator.truediv, 1.5, 0.5, -0.75),
    "pow": (operator.pow, 9.0, 6.0, 9.0 * math.log(3.0)),
}


def close_or_equal(name: str, partial: str, actual: float, expected: float) -> bool:
    """Exact comparison, except for ∂(x**y)/∂y, which involves the rounded ln 3."""
    if name == "pow" and partial == "dy":
        return approx(actual, expected, rel=1e-15, abs_tol=0.0)
    return actual == expected


# --- Trace ---------------------------------------------------------------------------------------


def trace_operand(kind: str, value: float) -> object:
    if kind == "trace_var":
        return Trace.variable(value)
    if kind == "trace_const":
        return Trace.constant(value)
    if kind == "float":
        return float(value)
    assert kind == "int"
    return int(value)


TRACE_PAIRS = [
    ("trace_var", "trace_const"),
    ("trace_const", "trace_var"),
    ("trace_var", "float"),
    ("trace_var", "int"),
    ("float", "trace_var"),
    ("int", "trace_var"),
    ("trace_const", "float"),
    ("int", "trace_const"),
]


@pytest.mark.parametrize("name", list(BINARY))
@pytest.mark.parametrize(("left_kind", "right_kind"), TRACE_PAIRS)
def test_trace_binary_operator(name: str, left_kind: str, right_kind: str) -> None:
    op, value, dx, dy = BINARY[name]
    result = op(trace_operand(left_kind, X), trace_operand(right_kind, Y))
    assert type(result) is Trace
    assert result.number == value
    if left_kind == "trace_var":
        assert close_or_equal(name, "dx", result.derivative, dx)
    elif right_kind == "trace_var":
        assert close_or_equal(name, "dy", result.derivative, dy)
    else:
        assert result.derivative == 0.0


@pytest.mark.parametrize("name", list(BINARY))
def test_trace_binary_operator_both_variable_adds_the_partials(name: str) -> None:
    op, value, dx, dy = BINARY[name]
    result = op(Trace.variable(X), Trace.variable(Y))
    assert type(result) is Trace
    assert result.number == value
    assert approx(result.derivative, dx + dy, rel=1e-15, abs_tol=0.0)


@pytest.mark.parametrize("name", list(BINARY))
def test_trace_binary_operator_scales_with_the_tangents(name: str) -> None:
    op, value, dx, dy = BINARY[name]
    result = op(Trace(X, 0.5), Trace(Y, -4.0))
    assert result.number == value
    assert approx(result.derivative, 0.5 * dx - 4.0 * dy, rel=1e-15, abs_tol=0.0)


def test_trace_same_variable_on_both_sides() -> None:
    x = Trace.variable(3.0)
    assert (x * x).derivative == 6.0
    assert (x + x).derivative == 2.0
    assert (x - x).derivative == 0.0
    assert (x / x).derivative == 0.0
    assert (x * x).number == 9.0
    power = x**x
    assert power.number == 27.0
    assert approx(power.derivative, 27.0 * (math.log(3.0) + 1.0), rel=1e-15)


def test_trace_pow_method_and_builtin_pow_match_the_operator() -> None:
    x = Trace.variable(3.0)
    for result in (x.pow(2.0), x.pow(2), pow(x, 2), pow(x, 2, None)):
        assert type(result) is Trace
        assert (result.number, result.derivative) == (9.0, 6.0)
    y = Trace.constant(3.0).pow(Trace.variable(2.0))
    assert y.number == 9.0
    assert approx(y.derivative, 9.0 * math.log(3.0), rel=1e-15, abs_tol=0.0)


# name -> (operator, value at 3, derivative at 3, value at -3, derivative at -3)
UNARY: dict[str, tuple[Callable[[object], object], float, float, float, float]] = {
    "neg": (operator.neg, -3.0, -1.0, 3.0, -1.0),
    "pos": (operator.pos, 3.0, 1.0, -3.0, 1.0),
    "abs": (abs, 3.0, 1.0, 3.0, -1.0),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_trace_unary_operator(name: str) -> None:
    op, value, derivative, value_neg, derivative_neg = UNARY[name]
    result = op(Trace.variable(3.0))
    assert type(result) is Trace
    assert (result.number, result.derivative) == (value, derivative)
    result = op(Trace.variable(-3.0))
    assert (result.number, result.derivative) == (value_neg, derivative_neg)
    result = op(Trace(3.0, 2.5))
    assert (result.number, result.derivative) == (value, 2.5 * derivative)


def test_sum_of_traces_starts_from_int_zero() -> None:
    total = sum([Trace.variable(1.0), Trace.constant(2.0), Trace.variable(3.0)])
    assert type(total) is Trace
    assert (total.number, total.derivative) == (6.0, 2.0)


# --- Record --------------------------------------------------------------------------------------


RECORD_VARIABLE_PAIRS = [
    ("record_var", "record_var"),
    ("record_var", "record_const"),
    ("record_const", "record_var"),
    ("record_var", "float"),
    ("record_var", "int"),
    ("float", "record_var"),
    ("int", "record_var"),
]

RECORD_CONSTANT_PAIRS = [
    ("record_const", "record_const"),
    ("record_const", "float"),
    ("record_const", "int"),
    ("float", "record_const"),
    ("int", "record_const"),
]


def record_operand(kind: str, value: float, tape: WengertList) -> object:
    if kind == "record_var":
        return tape.variable(value)
    if kind == "record_const":
        return Record.constant(value)
    if kind == "float":
        return float(value)
    assert kind == "int"
    return int(value)


@pytest.mark.parametrize("name", list(BINARY))
@pytest.mark.parametrize(("left_kind", "right_kind"), RECORD_VARIABLE_PAIRS)
def test_record_binary_operator(name: str, left_kind: str, right_kind: str) -> None:
    op, value, dx, dy = BINARY[name]
    tape = WengertList()
    left = record_operand(left_kind, X, tape)
    right = record_operand(right_kind, Y, tape)
    before = len(tape)
    result = op(left, right)
    assert type(result) is Record
    assert len(tape) == before + 1
    assert result.index == before
    assert result.tape is tape and result.history is tape
    assert result.number == value
    derivatives = result.derivatives()
    assert len(derivatives) == before + 1
    if isinstance(left, Record) and left.index is not None:
        assert close_or_equal(name, "dx", derivatives[left], dx)
    if isinstance(right, Record) and right.index is not None:
        assert close_or_equal(name, "dy", derivatives[right], dy)
    assert derivatives[result] == 1.0


@pytest.mark.parametrize("name", list(BINARY))
@pytest.mark.parametrize(("left_kind", "right_kind"), RECORD_CONSTANT_PAIRS)
def test_record_constant_with_constant_gives_a_constant(
    name: str, left_kind: str, right_kind: str
) -> None:
    op, value, _, _ = BINARY[name]
    tape = WengertList()
    tape.variable(1.0)
    left = record_operand(left_kind, X, tape)
    right = record_operand(right_kind, Y, tape)
    result = op(left, right)
    assert type(result) is Record
    assert result.number == value
    assert result.index is None
    assert result.history is None
    assert result.try_derivatives() is None
    assert len(tape) == 1


def test_record_constant_with_constant_raises_on_derivatives() -> None:
    result = Record.constant(3.0) * Record.constant(2.0)
    with pytest.raises(ConstantRecordError):
        result.derivatives()


def test_record_same_variable_on_both_sides() -> None:
    tape = WengertList()
    x = tape.variable(3.0)
    square = x * x
    assert len(tape) == 2
    assert square.number == 9.0
    assert square.derivatives()[x] == 6.0
    assert (x + x).derivatives()[x] == 2.0
    assert (x - x).derivatives()[x] == 0.0
    assert (x / x).derivatives()[x] == 0.0
    power = x**x
    assert power.number == 27.0
    assert approx(power.derivatives()[x], 27.0 * (math.log(3.0) + 1.0), rel=1e-15)
    assert len(tape) == 6


def test_record_pow_method_and_builtin_pow_match_the_operator() -> None:
    tape = WengertList()
    x = tape.variable(3.0)
    for result in (x.pow(2.0), x.pow(2), pow(x, 2), pow(x, 2, None), x.pow(Record.constant(2))):
        assert type(result) is Record
        assert result.number == 9.0
        assert result.derivatives()[x] == 6.0
    assert len(tape) == 6


@pytest.mark.parametrize("name", list(UNARY))
def test_record_unary_operator(name: str) -> None:
    op, value, derivative, value_neg, derivative_neg = UNARY[name]
    tape = WengertList()
    x = tape.variable(3.0)
    result = op(x)
    assert type(result) is Record
    assert result.number == value
    assert result.derivatives()[x] == derivative
    z = tape.variable(-3.0)
    result = op(z)
    assert result.number == value_neg
    assert result.derivatives()[z] == derivative_neg


@pytest.mark.parametrize("name", ["neg", "abs"])
def test_record_unary_operator_records_one_entry(name: str) -> None:
    op = UNARY[name][0]
    tape = WengertList()
    x = tape.variable(3.0)
    result = op(x)
    assert isinstance(result, Record)
    assert len(tape) == 2
    assert result.index == 1


@pytest.mark.parametrize("name", list(UNARY))
def test_record_unary_operator_on_a_constant(name: str) -> None:
    op, value, _, value_neg, _ = UNARY[name]
    result = op(Record.constant(3.0))
    assert type(result) is Record
    assert result.number == value
    assert result.index is None
    assert op(Record.constant(-3.0)).number == value_neg


def test_sum_of_records_starts_from_int_zero() -> None:
    tape = WengertList()
    xs = tape.variables([1.0, 2.0, 3.0])
    total = sum(xs)
    assert type(total) is Record
    assert total.number == 6.0
    assert len(tape) == 6  # three inputs, three additions (0 + x0 is recorded too)
    d = total.derivatives()
    assert [d[x] for x in xs] == [1.0, 1.0, 1.0]


def test_variables_have_consecutive_indices() -> None:
    tape = WengertList()
    first = tape.variable(0.5)
    xs = tape.variables(x for x in (1.0, 2, 3.5))
    assert [x.index for x in xs] == [1, 2, 3]
    assert [x.number for x in xs] == [1.0, 2.0, 3.5]
    assert all(x.history is tape for x in xs)
    assert first.index == 0
    assert len(tape) == 4
    same = Record.variable(4.0, tape)
    assert (same.index, same.number, len(tape)) == (4, 4.0, 5)


def test_variables_from_a_numpy_buffer() -> None:
    tape = WengertList()
    xs = tape.variables(np.array([1.0, 2.0, 4.0]))
    assert [x.number for x in xs] == [1.0, 2.0, 4.0]
    assert [x.index for x in xs] == [0, 1, 2]
    strided = tape.variables(np.arange(6.0)[::2])
    assert [x.number for x in strided] == [0.0, 2.0, 4.0]
    assert [x.index for x in strided] == [3, 4, 5]


# --- Number-like operands: int/float subclasses in, everything else out --------------------------


def test_int_and_float_subclasses_count_as_plain_numbers() -> None:
    x = Trace.variable(2.0)
    assert ((x * True).number, (x * True).derivative) == (2.0, 1.0)
    shifted = x + np.float64(0.5)
    assert type(shifted) is Trace
    assert (shifted.number, shifted.derivative) == (2.5, 1.0)
    tape = WengertList()
    r = tape.variable(2.0)
    scaled = r * np.float64(3.0)
    assert type(scaled) is Record
    assert scaled.derivatives()[r] == 3.0
    assert (False + r).derivatives()[r] == 1.0


# Decimal is not a numbers.Real (a float refuses it too); complex numbers are not real.
NOT_NUMBERS: list[object] = ["1", None, [1.0], 1j, Decimal("0.5")]


@pytest.mark.parametrize(("name", "other"), [(n, o) for n in BINARY for o in NOT_NUMBERS])
def test_other_operands_raise_type_error(name: str, other: object) -> None:
    op = BINARY[name][0]
    tape = WengertList()
    r = tape.variable(2.0)
    for value in (Trace.variable(2.0), r, Record.constant(2.0)):
        with pytest.raises(TypeError):
            op(value, other)
        with pytest.raises(TypeError):
            op(other, value)
    assert len(tape) == 1


def test_fraction_powers_convert_to_float() -> None:
    t = Trace.variable(4.0) ** Fraction(1, 2)
    assert (t.number, t.derivative) == (2.0, 0.25)
    t = Fraction(1, 2) ** Trace.variable(2.0)
    assert t.number == 0.25


@pytest.mark.parametrize("name", BINARY)
def test_fractions_are_constants_on_either_side(name: str) -> None:
    """A Fraction (any numbers.Real) is taken as its value as a float, on every Python
    (whatever Fraction's own operators do with an operand they do not know)."""
    op = BINARY[name][0]
    half = Fraction(1, 2)
    tape = WengertList()
    r = tape.variable(2.0)
    for value in (Trace.variable(2.0), MultiTrace(2.0, [1.0]), r, Record.constant(2.0)):
        for got, expected in [(op(value, half), op(value, 0.5)), (op(half, value), op(0.5, value))]:
            assert type(got) is type(expected) and got.number == expected.number
    with_fraction = op(r, half) * op(half, r)
    with_float = op(r, 0.5) * op(0.5, r)
    assert with_fraction.derivatives()[r] == with_float.derivatives()[r]
    assert (Trace.variable(2.0) < half, half < Trace.variable(2.0)) == (False, True)


def test_three_argument_pow_raises_type_error() -> None:
    tape = WengertList()
    for value in (Trace.variable(2.0), tape.variable(2.0)):
        with pytest.raises(TypeError):
            pow(value, 2, 3)
    assert len(tape) == 1


# --- Comparisons, hash, bool, str, repr, format --------------------------------------------------

COMPARISONS: list[Callable[[object, object], bool]] = [
    operator.lt,
    operator.le,
    operator.gt,
    operator.ge,
    operator.eq,
    operator.ne,
]


def number_like(kind: str, value: float, tape: WengertList) -> object:
    return {
        "trace_var": lambda: Trace.variable(value),
        "trace": lambda: Trace(value, -7.0),
        "record_var": lambda: tape.variable(value),
        "record_const": lambda: Record.constant(value),
        "float": lambda: value,
        "int": lambda: int(value),
    }[kind]()


@pytest.mark.parametrize(
    ("left_kind", "right_kind"),
    [
        ("trace_var", "trace"),
        ("trace_var", "float"),
        ("trace_var", "int"),
        ("float", "trace"),
        ("int", "trace_var"),
        ("record_var", "record_var"),
        ("record_var", "record_const"),
        ("record_const", "record_var"),
        ("record_var", "float"),
        ("int", "record_var"),
        ("record_const", "int"),
    ],
)
@pytest.mark.parametrize(("a", "b"), [(1.0, 2.0), (2.0, 1.0), (2.0, 2.0), (-1.0, 0.0)])
def test_comparisons_compare_the_numbers_only(
    left_kind: str, right_kind: str, a: float, b: float
) -> None:
    tape = WengertList()
    left = number_like(left_kind, a, tape)
    right = number_like(right_kind, b, tape)
    before = len(tape)
    for compare in COMPARISONS:
        assert compare(left, right) is compare(a, b), compare.__name__
    assert len(tape) == before


def test_equal_numbers_with_different_derivatives_are_equal() -> None:
    assert Trace(1.0, 5.0) == Trace(1.0, -1.0)
    assert not (Trace(1.0, 5.0) != Trace(1.0, -1.0))
    tape = WengertList()
    x = tape.variable(2.0)
    assert x * 1.0 == x
    assert x == Record.constant(2.0)


def test_nan_compares_like_a_float() -> None:
    nan = math.nan
    assert Trace(nan) != Trace(nan)
    assert not (Trace(nan) == nan)
    assert not (Trace(nan) < 1.0)
    assert not (Record.constant(nan) >= Record.constant(nan))


def test_trace_and_record_comparison_is_not_implemented() -> None:
    tape = WengertList()
    t = Trace.variable(1.0)
    r = tape.variable(1.0)
    assert not (t == r)
    assert not (r == t)
    assert t != r
    # The ordinary TypeError of an unsupported comparison, not MixedModesError.
    with pytest.raises(TypeError) as excinfo:
        _ = t < r
    assert not isinstance(excinfo.value, MixedModesError)
    with pytest.raises(TypeError) as excinfo:
        _ = r >= t
    assert not isinstance(excinfo.value, MixedModesError)
    assert len(tape) == 1


def test_hash_is_the_hash_of_the_number() -> None:
    tape = WengertList()
    for number in (0.0, -0.0, 1.5, 2.0, -1e300, math.inf):
        assert hash(Trace(number, 3.0)) == hash(number)
        assert hash(Trace.variable(number)) == hash(number)
        assert hash(tape.variable(number)) == hash(number)
        assert hash(Record.constant(number)) == hash(number)
    assert {Trace.variable(2.0): "two"}[2] == "two"
    assert {tape.variable(3.0): "three"}[3.0] == "three"


@pytest.mark.parametrize(
    ("number", "truth"),
    [(0.0, False), (-0.0, False), (2.0, True), (-1e-300, True), (math.nan, True)],
)
def test_bool_is_number_not_zero(number: float, truth: bool) -> None:
    tape = WengertList()
    assert bool(Trace(number, 1.0)) is truth
    assert bool(Trace.variable(number)) is truth
    assert bool(tape.variable(number)) is truth
    assert bool(Record.constant(number)) is truth


@pytest.mark.parametrize("number", [1.5, -0.0, 0.1, 1e20, 1e-7, 3.0, math.inf, -math.inf])
def test_str_is_the_number(number: float) -> None:
    tape = WengertList()
    assert str(Trace(number, 2.0)) == str(number)
    assert str(tape.variable(number)) == str(number)
    assert str(Record.constant(number)) == str(number)
    assert f"{Trace.variable(number)}" == str(number)


def test_str_of_nan() -> None:
    assert str(Trace(math.nan)) == "nan"
    assert str(Record.constant(math.nan)) == "nan"


def test_trace_repr_shows_both_parts() -> None:
    assert repr(Trace(1.5, 2.0)) == "Trace(number=1.5, derivative=2.0)"
    assert repr(Trace.variable(0.1)) == "Trace(number=0.1, derivative=1.0)"
    assert repr(Trace.constant(-0.0)) == "Trace(number=-0.0, derivative=0.0)"
    assert repr(Trace(1e20, math.inf)) == "Trace(number=1e+20, derivative=inf)"
    assert repr(Trace(math.nan, 1.0 / 3.0)) == f"Trace(number=nan, derivative={1.0 / 3.0!r})"


def test_record_repr_shows_number_and_index() -> None:
    tape = WengertList()
    assert repr(tape.variable(1.5)) == "Record(number=1.5, index=0)"
    tape.variable(2.0)
    tape.variable(3.0)
    assert repr(tape.variable(0.1)) == "Record(number=0.1, index=3)"
    assert repr(Record.constant(1.5)) == "Record.constant(1.5)"
    assert repr(Record.constant(-0.0)) == "Record.constant(-0.0)"


def test_wengert_list_repr_shows_its_length() -> None:
    tape = WengertList()
    assert repr(tape) == "WengertList(len=0)"
    x = tape.variable(1.0)
    _ = x * x + 1.0
    assert repr(tape) == "WengertList(len=3)"


@pytest.mark.parametrize("spec", [".3f", "", "e", ">12.2g", "+.1%", "08.3f"])
@pytest.mark.parametrize("number", [1.23456, -0.0, 12345.678, math.pi])
def test_format_formats_the_number(spec: str, number: float) -> None:
    tape = WengertList()
    assert format(Trace(number, 9.0), spec) == format(number, spec)
    assert format(tape.variable(number), spec) == format(number, spec)
    assert format(Record.constant(number), spec) == format(number, spec)


def test_format_in_f_strings() -> None:
    assert f"{Trace.variable(math.pi):.3f}" == "3.142"
    assert f"{Record.constant(2.5):6.2f}" == "  2.50"


# --- Custom unary and binary functions -----------------------------------------------------------


def cube(x: float) -> float:
    return x**3


def cube_derivative(x: float) -> float:
    return 3 * x**2


def times_square(x: float, y: float) -> float:
    """f(x, y) = x y²; at (3, 2): 12, ∂/∂x = y² = 4, ∂/∂y = 2xy = 12."""
    return x * y * y


def times_square_dx(x: float, y: float) -> float:
    return y * y


def times_square_dy(x: float, y: float) -> float:
    return 2.0 * x * y


def test_trace_custom_unary() -> None:
    t = Trace.variable(2.0).unary(cube, cube_derivative)
    assert type(t) is Trace
    assert (t.number, t.derivative) == (8.0, 12.0)
    scaled = Trace(2.0, 0.5).unary(cube, cube_derivative)
    assert (scaled.number, scaled.derivative) == (8.0, 6.0)
    constant = Trace.constant(2.0).unary(cube, cube_derivative)
    assert (constant.number, constant.derivative) == (8.0, 0.0)


def test_record_custom_unary() -> None:
    tape = WengertList()
    x = tape.variable(2.0)
    y = x.unary(cube, cube_derivative)
    assert type(y) is Record
    assert len(tape) == 2
    assert y.number == 8.0
    assert y.derivatives()[x] == 12.0
    constant = Record.constant(2.0).unary(cube, cube_derivative)
    assert (constant.number, constant.index) == (8.0, None)
    assert len(tape) == 2


def test_custom_callables_may_return_ints() -> None:
    t = Trace.variable(2.0).unary(lambda x: 7, lambda x: 0)
    assert (t.number, t.derivative) == (7.0, 0.0)
    assert type(t.number) is float
    tape = WengertList()
    x = tape.variable(2.0)
    assert x.unary(lambda v: 1, lambda v: 3).derivatives()[x] == 3.0


@pytest.mark.parametrize(
    ("left", "right", "derivative"),
    [
        (Trace.variable(3.0), Trace.constant(2.0), 4.0),
        (Trace.constant(3.0), Trace.variable(2.0), 12.0),
        (Trace.variable(3.0), Trace.variable(2.0), 16.0),
        (Trace.variable(3.0), 2.0, 4.0),
        (Trace.variable(3.0), 2, 4.0),
        (Trace(3.0, 0.5), Trace(2.0, 0.25), 0.5 * 4.0 + 0.25 * 12.0),
    ],
)
def test_trace_custom_binary(left: Trace, right: Trace | float, derivative: float) -> None:
    result = left.binary(right, times_square, times_square_dx, times_square_dy)
    assert type(result) is Trace
    assert result.number == 12.0
    assert result.derivative == derivative


@pytest.mark.parametrize(
    ("right_kind", "dx", "dy"),
    [("record_var", 4.0, 12.0), ("record_const", 4.0, None), ("float", 4.0, None)],
)
def test_record_custom_binary(right_kind: str, dx: float, dy: float | None) -> None:
    tape = WengertList()
    x = tape.variable(3.0)
    y = record_operand(right_kind, 2.0, tape)
    before = len(tape)
    result = x.binary(y, times_square, times_square_dx, times_square_dy)
    assert type(result) is Record
    assert len(tape) == before + 1
    assert result.number == 12.0
    d = result.derivatives()
    assert d[x] == dx
    if dy is not None:
        assert isinstance(y, Record)
        assert d[y] == dy


def test_record_custom_binary_of_constants_is_a_constant() -> None:
    result = Record.constant(3.0).binary(2.0, times_square, times_square_dx, times_square_dy)
    assert (result.number, result.index, result.history) == (12.0, None, None)


class CallableFailed(Exception):
    pass


def failing(*args: float) -> float:
    raise CallableFailed("inside")


def test_exceptions_in_custom_callables_propagate_unchanged_and_record_nothing() -> None:
    tape = WengertList()
    x, other_record = tape.variables([2.0, 1.0])
    pairs: list[tuple[Trace, Trace] | tuple[Record, Record]] = [
        (Trace.variable(2.0), Trace.variable(1.0)),
        (x, other_record),
    ]
    for value, other in pairs:
        with pytest.raises(CallableFailed, match="inside"):
            value.unary(failing, cube_derivative)
        with pytest.raises(CallableFailed, match="inside"):
            value.unary(cube, failing)
        with pytest.raises(CallableFailed, match="inside"):
            value.binary(other, failing, times_square_dx, times_square_dy)
        with pytest.raises(CallableFailed, match="inside"):
            value.binary(other, times_square, failing, times_square_dy)
        with pytest.raises(CallableFailed, match="inside"):
            value.binary(other, times_square, times_square_dx, failing)
    assert len(tape) == 2


@pytest.mark.parametrize("bad", ["1.0", None, [1.0], object(), Trace.variable(1.0)])
def test_custom_callable_returning_a_non_number_raises_type_error(bad: object) -> None:
    tape = WengertList()
    x = tape.variable(2.0)
    values: list[Trace | Record] = [Trace.variable(2.0), x]
    for value in values:
        with pytest.raises(TypeError):
            value.unary(lambda v: bad, cube_derivative)
        with pytest.raises(TypeError):
            value.unary(cube, lambda v: bad)
        with pytest.raises(TypeError):
            value.binary(1.0, lambda a, b: bad, times_square_dx, times_square_dy)
    assert len(tape) == 1
