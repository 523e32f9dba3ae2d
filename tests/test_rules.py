"""The rules users rely on (README: "Rules you can rely on").

Each rule is checked for the exception class it raises and for a message that says
what to do. Also here: the math-error table (nothing is recorded when an operation
raises), derivatives at the edges of each function's domain, the zero-tangent and
no-poison rules, Derivatives as a sequence, clear()/reset(), immutability, and
final classes.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

import numpy as np
import pytest

import wengert
from wengert import (
    ConstantRecordError,
    Derivatives,
    ImplicitConversionError,
    MixedModesError,
    MixedTapesError,
    Record,
    StaleRecordError,
    TapeError,
    Trace,
    WengertList,
)

BINARY_OPERATORS: list[Callable[[object, object], object]] = [
    operator.add,
    operator.sub,
    operator.mul,
    operator.truediv,
    operator.pow,
]


def message(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    return str(excinfo.value)


def keep(_: object) -> None:
    """Consume a value computed only for its exception, so no statement is bare."""


# --- The exception hierarchy ---------------------------------------------------------------------


def test_exception_hierarchy() -> None:
    assert issubclass(TapeError, ValueError)
    for error in (MixedTapesError, StaleRecordError, ConstantRecordError):
        assert issubclass(error, TapeError)
    assert issubclass(MixedModesError, TypeError)
    assert issubclass(ImplicitConversionError, TypeError)
    assert wengert.TapeError is TapeError


# --- Rule: records from two different tapes never mix --------------------------------------------


@pytest.mark.parametrize("op", BINARY_OPERATORS)
def test_records_from_two_tapes_do_not_mix(op: Callable[[object, object], object]) -> None:
    first, second = WengertList(), WengertList()
    a = first.variable(2.0)
    b = second.variable(3.0)
    with pytest.raises(MixedTapesError) as excinfo:
        op(a, b)
    text = message(excinfo)
    assert "same tape.variable" in text and "Record.constant" in text
    with pytest.raises(MixedTapesError):
        op(b, a)
    assert (len(first), len(second)) == (1, 1)


def test_records_from_two_tapes_do_not_mix_in_methods() -> None:
    first, second = WengertList(), WengertList()
    a = first.variable(2.0)
    b = second.variable(3.0)
    with pytest.raises(MixedTapesError):
        a.pow(b)
    with pytest.raises(MixedTapesError):
        a.binary(b, lambda x, y: x * y, lambda x, y: y, lambda x, y: x)
    assert (len(first), len(second)) == (1, 1)


def test_intermediate_records_from_two_tapes_do_not_mix() -> None:
    first, second = WengertList(), WengertList()
    a = first.variable(2.0) * 2.0
    b = second.variable(3.0).sin()
    with pytest.raises(MixedTapesError):
        keep(a + b)
    assert (len(first), len(second)) == (2, 2)


def test_a_constant_mixes_with_any_tape() -> None:
    first, second = WengertList(), WengertList()
    a = first.variable(2.0)
    b = second.variable(3.0)
    c = Record.constant(5.0)
    on_first = a * c
    on_second = c - b
    assert on_first.history is first
    assert on_second.history is second
    assert on_first.derivatives()[a] == 5.0
    assert on_second.derivatives()[b] == -1.0
    assert (len(first), len(second)) == (2, 2)


# --- Rule: stale records -------------------------------------------------------------------------


def stale_setup() -> tuple[WengertList, Record, Record]:
    """A tape cleared after x and y = x * x were made on it."""
    tape = WengertList()
    x = tape.variable(3.0)
    y = x * x
    tape.clear()
    return tape, x, y


@pytest.mark.parametrize("op", BINARY_OPERATORS)
def test_stale_record_in_an_operation_raises(op: Callable[[object, object], object]) -> None:
    tape, x, y = stale_setup()
    fresh = tape.variable(2.0)
    for stale in (x, y):
        for other in (2.0, 2, Record.constant(2.0), fresh):
            with pytest.raises(StaleRecordError) as excinfo:
                op(stale, other)
            assert "reset" in message(excinfo)
            with pytest.raises(StaleRecordError):
                op(other, stale)
    assert len(tape) == 1


def test_stale_record_in_unary_operations_and_methods_raises() -> None:
    tape, x, _ = stale_setup()
    operations: list[Callable[[Record], object]] = [
        operator.neg,
        abs,
        Record.sin,
        Record.cos,
        Record.exp,
        Record.ln,
        Record.sqrt,
        lambda r: r.pow(2.0),
        lambda r: r.unary(math.sin, math.cos),
        lambda r: r.binary(1.0, operator.mul, lambda a, b: b, lambda a, b: a),
        wengert.sin,
        wengert.sqrt,
    ]
    for operation in operations:
        with pytest.raises(StaleRecordError) as excinfo:
            operation(x)
        assert "reset" in message(excinfo)
    assert len(tape) == 0


def test_stale_record_derivatives_raise() -> None:
    tape, x, y = stale_setup()
    for stale in (x, y):
        with pytest.raises(StaleRecordError) as excinfo:
            stale.derivatives()
        assert "reset" in message(excinfo)
        with pytest.raises(StaleRecordError):
            stale.try_derivatives()
    assert len(tape) == 0


def test_indexing_new_derivatives_with_a_stale_record_raises() -> None:
    tape, x, _ = stale_setup()
    z = tape.variable(1.0)
    d = (z * 2.0).derivatives()
    with pytest.raises(StaleRecordError) as excinfo:
        keep(d[x])
    assert "reset" in message(excinfo)
    with pytest.raises(StaleRecordError):
        d.at(x)


def test_indexing_old_derivatives_with_a_stale_record_raises() -> None:
    # A record made before tape.clear() and not reset() since is stale, and
    # "indexing Derivatives with it raises a clear error" -- even Derivatives of its own
    # generation.
    tape = WengertList()
    x = tape.variable(3.0)
    d = (x * x).derivatives()
    tape.clear()
    with pytest.raises(StaleRecordError) as excinfo:
        keep(d[x])
    assert "reset" in message(excinfo)
    with pytest.raises(StaleRecordError):
        d.at(x)


def test_indexing_old_derivatives_with_a_record_of_the_new_generation_raises() -> None:
    tape = WengertList()
    x = tape.variable(3.0)
    d = (x * x).derivatives()
    assert d[x] == 6.0
    tape.clear()
    x.reset()
    with pytest.raises(StaleRecordError):
        keep(d[x])
    with pytest.raises(StaleRecordError):
        d.at(tape.variable(1.0))


def test_reset_puts_stale_inputs_back_on_the_tape() -> None:
    tape = WengertList()
    x, y = tape.variables([3.0, 4.0])
    _ = x * y + x
    assert len(tape) == 4
    tape.clear()
    assert len(tape) == 0
    x.reset()
    y.reset()
    assert (x.index, y.index) == (0, 1)
    assert (x.number, y.number) == (3.0, 4.0)
    assert x.history is tape
    assert len(tape) == 2
    z = x * y + x
    d = z.derivatives()
    assert (d[x], d[y]) == (5.0, 3.0)
    assert len(d) == 4


def test_reset_order_decides_the_new_indices() -> None:
    tape = WengertList()
    x, y = tape.variables([3.0, 4.0])
    tape.clear()
    y.reset()
    x.reset()
    assert (y.index, x.index) == (0, 1)


def test_reset_of_an_intermediate_makes_it_a_new_input() -> None:
    tape = WengertList()
    x = tape.variable(3.0)
    y = x * x
    tape.clear()
    y.reset()
    assert (y.index, y.number, len(tape)) == (0, 9.0, 1)
    assert (y * 2.0).derivatives()[y] == 2.0


def test_reset_on_a_constant_does_nothing() -> None:
    c = Record.constant(2.5)
    c.reset()
    assert (c.number, c.index, c.history) == (2.5, None, None)
    tape = WengertList()
    x = tape.variable(1.0)
    tape.clear()
    c.reset()
    assert (c.number, c.index, c.history) == (2.5, None, None)
    assert len(tape) == 0
    x.reset()
    assert (x * c).derivatives()[x] == 2.5


def test_reset_on_a_current_record_does_nothing() -> None:
    tape = WengertList()
    x, y = tape.variables([1.0, 2.0])
    x.reset()
    y.reset()
    assert (x.index, y.index, len(tape)) == (0, 1, 2)
    tape.clear()
    x.reset()
    x.reset()
    assert (x.index, len(tape)) == (0, 1)


def test_clear_can_repeat_and_each_generation_is_separate() -> None:
    tape = WengertList()
    x = tape.variable(2.0)
    for generation in range(3):
        tape.clear()
        assert len(tape) == 0
        with pytest.raises(StaleRecordError):
            keep(x * 2.0)
        x.reset()
        y = x * float(generation + 1)
        assert y.derivatives()[x] == float(generation + 1)
        assert len(tape) == 2


def test_clear_on_an_empty_tape_makes_existing_derivatives_stale() -> None:
    tape = WengertList()
    tape.clear()
    assert len(tape) == 0
    x = tape.variable(1.0)
    d = x.derivatives()
    assert list(d) == [1.0]
    tape.clear()
    x.reset()
    with pytest.raises(StaleRecordError):
        keep(d[x])


# --- Rule: derivatives() on a constant -----------------------------------------------------------


def test_derivatives_of_a_constant_raise() -> None:
    for constant in (Record.constant(1.0), Record.constant(2.0) * 3.0):
        with pytest.raises(ConstantRecordError) as excinfo:
            constant.derivatives()
        text = message(excinfo)
        assert "constant" in text
        assert "variable" in text or "try_derivatives" in text


def test_try_derivatives_of_a_constant_is_none() -> None:
    assert Record.constant(1.0).try_derivatives() is None
    tape = WengertList()
    x = tape.variable(2.0)
    d = (x * x).try_derivatives()
    assert isinstance(d, Derivatives)
    assert d[x] == 4.0


# --- Rule: what Derivatives can be indexed with --------------------------------------------------


def test_indexing_derivatives_with_a_record_of_another_tape_raises() -> None:
    first, second = WengertList(), WengertList()
    x = first.variable(2.0)
    other = second.variable(2.0)
    d = (x * x).derivatives()
    with pytest.raises(MixedTapesError) as excinfo:
        keep(d[other])
    text = message(excinfo)
    assert "different WengertList" in text and "same tape" in text
    with pytest.raises(MixedTapesError):
        d.at(other)


def test_indexing_derivatives_with_a_constant_raises() -> None:
    tape = WengertList()
    x = tape.variable(2.0)
    d = (x * 3.0).derivatives()
    with pytest.raises(ConstantRecordError) as excinfo:
        keep(d[Record.constant(2.0)])
    assert "constant" in message(excinfo)
    with pytest.raises(ConstantRecordError):
        d.at(Record.constant(2.0))


@pytest.mark.parametrize("key", [0, 0.0, None, "x", Trace.variable(2.0), slice(0, 1)])
def test_indexing_derivatives_with_a_non_record_raises_type_error(key: object) -> None:
    tape = WengertList()
    x = tape.variable(2.0)
    d = (x * 3.0).derivatives()
    with pytest.raises(TypeError):
        keep(d[key])
    with pytest.raises(TypeError):
        d.at(key)


def test_derivatives_of_records_created_later_are_zero() -> None:
    tape = WengertList()
    x = tape.variable(2.0)
    y = x * x
    later = tape.variable(5.0)
    later_op = later * x
    d = y.derivatives()
    assert d[later] == 0.0
    assert d[later_op] == 0.0
    assert d[y] == 1.0
    assert d[x] == 4.0


# --- Rule: Trace and Record do not mix -----------------------------------------------------------


@pytest.mark.parametrize("op", BINARY_OPERATORS)
def test_trace_and_record_do_not_mix(op: Callable[[object, object], object]) -> None:
    tape = WengertList()
    t = Trace.variable(2.0)
    for r in (tape.variable(3.0), Record.constant(3.0)):
        with pytest.raises(MixedModesError) as excinfo:
            op(t, r)
        assert "Trace" in message(excinfo) and "Record" in message(excinfo)
        with pytest.raises(MixedModesError):
            op(r, t)
    with pytest.raises(TypeError):
        op(t, tape.variable(3.0))
    assert len(tape) == 2


def test_trace_and_record_do_not_mix_in_methods() -> None:
    tape = WengertList()
    t = Trace.variable(2.0)
    r = tape.variable(3.0)
    mul_partials = (operator.mul, lambda a, b: b, lambda a, b: a)
    with pytest.raises(MixedModesError):
        t.pow(r)
    with pytest.raises(MixedModesError):
        r.pow(t)
    with pytest.raises(MixedModesError):
        t.binary(r, *mul_partials)
    with pytest.raises(MixedModesError):
        r.binary(t, *mul_partials)
    with pytest.raises(MixedModesError):
        wengert.pow(t, r)
    assert len(tape) == 1


# --- Rule: no silent conversion to float ---------------------------------------------------------


def conversion_targets() -> list[object]:
    tape = WengertList()
    return [Trace.variable(2.0), Trace.constant(2.0), tape.variable(2.0), Record.constant(2.0)]


@pytest.mark.parametrize("value", conversion_targets())
def test_float_and_int_raise_and_say_use_number(value: object) -> None:
    for convert in (float, int, complex):
        with pytest.raises(ImplicitConversionError) as excinfo:
            convert(value)
        assert ".number" in message(excinfo)


@pytest.mark.parametrize("value", conversion_targets())
def test_math_module_functions_raise_and_say_use_wengert_functions(value: object) -> None:
    # (math.floor, ceil and trunc call the value's own __floor__ and so on instead:
    # math_functions/test_rounding.py checks that they give the same kind with derivative 0.)
    for function in (math.sin, math.exp, math.sqrt, math.erf, math.atan2, math.isfinite):
        arguments = (value, 1.0) if function is math.atan2 else (value,)
        with pytest.raises(ImplicitConversionError) as excinfo:
            function(*arguments)
        assert "wengert.sin" in message(excinfo)
        assert ".number" in message(excinfo)


def test_implicit_conversion_error_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        float(Trace.variable(1.0))
    with pytest.raises(TypeError):
        math.sin(Record.constant(1.0))


# --- Rule: errors are exceptions, never crashes --------------------------------------------------


BAD_CALLS: list[tuple[str, Callable[[], object], type[BaseException]]] = [
    ("Trace(str)", lambda: Trace("1.0"), TypeError),
    ("Trace(None)", lambda: Trace(None), TypeError),
    ("Trace(1, str)", lambda: Trace(1.0, "x"), TypeError),
    ("Trace(huge int)", lambda: Trace(10**400), OverflowError),
    ("Trace.variable(list)", lambda: Trace.variable([1.0]), TypeError),
    ("Trace.constant(complex)", lambda: Trace.constant(1j), TypeError),
    ("Trace + huge int", lambda: Trace.variable(1.0) + 10**400, OverflowError),
    ("huge int * Trace", lambda: 10**400 * Trace.variable(1.0), OverflowError),
    ("Trace ** huge int", lambda: Trace.variable(1.0) ** 10**400, OverflowError),
    ("Record()", lambda: Record(), TypeError),
    ("Record(1.0)", lambda: Record(1.0), TypeError),
    ("Record.constant(str)", lambda: Record.constant("1"), TypeError),
    ("Record.variable(no tape)", lambda: Record.variable(1.0, None), TypeError),
    ("tape.variable(str)", lambda: WengertList().variable("1"), TypeError),
    ("tape.variable(huge)", lambda: WengertList().variable(10**400), OverflowError),
    ("tape.variables(str)", lambda: WengertList().variables("123"), TypeError),
    ("tape.variables(bytes)", lambda: WengertList().variables(b"12345678"), TypeError),
    ("tape.variables(1.0)", lambda: WengertList().variables(1.0), TypeError),
    ("tape.variables([1, str])", lambda: WengertList().variables([1.0, "a"]), TypeError),
    ("tape.variables(None)", lambda: WengertList().variables(None), TypeError),
    ("WengertList(1)", lambda: WengertList(1), TypeError),
    ("unary(non-callable)", lambda: Trace.variable(1.0).unary(1.0, 2.0), TypeError),
    ("derivative(f -> float)", lambda: wengert.derivative(lambda t: 1.0, 2.0), TypeError),
]


@pytest.mark.parametrize(
    ("call", "expected"),
    [pytest.param(call, expected, id=name) for name, call, expected in BAD_CALLS],
)
def test_wrong_input_raises_a_python_exception(
    call: Callable[[], object], expected: type[BaseException]
) -> None:
    with pytest.raises(expected):
        call()


def test_direct_record_construction_says_what_to_use() -> None:
    with pytest.raises(TypeError) as excinfo:
        Record()
    assert "variable" in message(excinfo)
    assert "constant" in message(excinfo)


@pytest.mark.parametrize("args", [(), ([1.0],), (None, 2)])
def test_direct_derivatives_construction_says_what_to_use(args: tuple[object, ...]) -> None:
    with pytest.raises(TypeError) as excinfo:
        Derivatives(*args)
    assert "y.derivatives()" in message(excinfo)


def test_failed_variables_call_leaves_the_tape_usable() -> None:
    tape = WengertList()
    x = tape.variable(1.0)
    with pytest.raises(TypeError):
        tape.variables([2.0, "bad"])
    y = tape.variable(2.0)
    z = x * y
    d = z.derivatives()
    assert (d[x], d[y]) == (2.0, 1.0)
    assert z.number == 2.0


def test_deep_expression_does_not_overflow_the_stack() -> None:
    tape = WengertList()
    x = tape.variable(1.0)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    assert len(tape) == 100_001
    assert y.derivatives()[x] == 1.0
    t = Trace.variable(1.0)
    for _ in range(100_000):
        t = t * 1.0
    assert t.derivative == 1.0


# --- Math errors follow Python floats; nothing is recorded when one is raised --------------------


MATH_ERRORS: list[tuple[str, Callable[[object], object], float, type[BaseException]]] = [
    ("x / 0", lambda v: v / 0, 1.0, ZeroDivisionError),
    ("x / 0.0", lambda v: v / 0.0, 1.0, ZeroDivisionError),
    ("1 / x at 0", lambda v: 1.0 / v, 0.0, ZeroDivisionError),
    ("1 / x at -0", lambda v: 1 / v, -0.0, ZeroDivisionError),
    ("x / x at 0", lambda v: v / v, 0.0, ZeroDivisionError),
    ("x ** -1 at 0", lambda v: v**-1, 0.0, ZeroDivisionError),
    ("x ** -0.5 at 0", lambda v: v**-0.5, 0.0, ZeroDivisionError),
    ("0 ** y at -1", lambda v: 0.0**v, -1.0, ZeroDivisionError),
    ("x ** (1/3) at -8", lambda v: v ** (1.0 / 3.0), -8.0, ValueError),
    ("-8 ** y at 1/3", lambda v: (-8.0) ** v, 1.0 / 3.0, ValueError),
    ("x ** 400 at 10", lambda v: v**400, 10.0, OverflowError),
    ("10 ** y at 400", lambda v: 10.0**v, 400.0, OverflowError),
    ("x ** x at 1000", lambda v: v**v, 1000.0, OverflowError),
    ("ln at 0", lambda v: wengert.ln(v), 0.0, ValueError),
    ("ln at -1", lambda v: wengert.ln(v), -1.0, ValueError),
    ("sqrt at -1", lambda v: wengert.sqrt(v), -1.0, ValueError),
    ("sin at inf", lambda v: wengert.sin(v), math.inf, ValueError),
    ("cos at -inf", lambda v: wengert.cos(v), -math.inf, ValueError),
    ("exp at 1000", lambda v: wengert.exp(v), 1000.0, OverflowError),
    ("x + huge int", lambda v: v + 10**400, 1.0, OverflowError),
    ("huge int - x", lambda v: 10**400 - v, 1.0, OverflowError),
]

MATH_ERROR_PARAMS = [
    pytest.param(operation, at, expected, id=name) for name, operation, at, expected in MATH_ERRORS
]


@pytest.mark.parametrize(("operation", "at", "expected"), MATH_ERROR_PARAMS)
def test_math_errors_on_floats_are_the_reference(
    operation: Callable[[object], object], at: float, expected: type[BaseException]
) -> None:
    # A negative float to a fractional power gives a complex number, which has no
    # derivative here, so wengert raises ValueError; every other row raises on plain
    # floats exactly as wengert must.
    try:
        result = operation(at)
    except expected:
        return
    assert expected is ValueError and isinstance(result, complex), result


@pytest.mark.parametrize(("operation", "at", "expected"), MATH_ERROR_PARAMS)
def test_math_errors_on_traces(
    operation: Callable[[object], object], at: float, expected: type[BaseException]
) -> None:
    for value in (Trace.variable(at), Trace.constant(at)):
        with pytest.raises(expected):
            operation(value)


@pytest.mark.parametrize(("operation", "at", "expected"), MATH_ERROR_PARAMS)
def test_math_errors_on_records_record_nothing(
    operation: Callable[[object], object], at: float, expected: type[BaseException]
) -> None:
    tape = WengertList()
    x = tape.variable(at)
    with pytest.raises(expected):
        operation(x)
    assert len(tape) == 1
    with pytest.raises(expected):
        operation(Record.constant(at))
    assert len(tape) == 1
    # The tape is still good after the error.
    y = x * 2.0
    assert y.index == 1
    assert y.derivatives()[x] == 2.0


def test_math_errors_with_two_records_record_nothing() -> None:
    tape = WengertList()
    zero, minus_one, minus_eight, third = tape.variables([0.0, -1.0, -8.0, 1.0 / 3.0])
    with pytest.raises(ZeroDivisionError):
        keep(minus_one / zero)
    with pytest.raises(ZeroDivisionError):
        keep(zero**minus_one)
    with pytest.raises(ValueError):
        keep(minus_eight**third)
    with pytest.raises(ValueError):
        keep(minus_eight.pow(third))
    assert len(tape) == 4


# --- Derivatives at the edges --------------------------------------------------------------------


def test_abs_derivative_at_zero_is_zero() -> None:
    for zero in (0.0, -0.0):
        t = abs(Trace.variable(zero))
        assert (t.number, t.derivative) == (0.0, 0.0)
        tape = WengertList()
        x = tape.variable(zero)
        assert abs(x).derivatives()[x] == 0.0
        assert wengert.abs(x).derivatives()[x] == 0.0


def test_sqrt_derivative_at_zero_is_infinite() -> None:
    t = Trace.variable(0.0).sqrt()
    assert (t.number, t.derivative) == (0.0, math.inf)
    tape = WengertList()
    x = tape.variable(0.0)
    y = x.sqrt()
    assert y.number == 0.0
    assert y.derivatives()[x] == math.inf


def test_sqrt_derivative_at_minus_zero_is_plus_infinity() -> None:
    t = Trace.variable(-0.0).sqrt()
    assert t.derivative == math.inf
    tape = WengertList()
    x = tape.variable(-0.0)
    assert x.sqrt().derivatives()[x] == math.inf


@pytest.mark.parametrize("base", [0.0, -0.0, 2.0, -3.0, math.inf])
@pytest.mark.parametrize("zero", [0, 0.0, -0.0])
def test_x_to_the_zero_has_derivative_zero(base: float, zero: float) -> None:
    t = Trace.variable(base) ** zero
    assert (t.number, t.derivative) == (1.0, 0.0)
    t = Trace.variable(base) ** Trace.constant(zero)
    assert (t.number, t.derivative) == (1.0, 0.0)
    tape = WengertList()
    x = tape.variable(base)
    assert (x**zero).derivatives()[x] == 0.0
    assert (x ** Record.constant(zero)).derivatives()[x] == 0.0
    assert (x**zero).number == 1.0


@pytest.mark.parametrize("exponent", [0.5, 1.0, 2.0, 3.5])
def test_zero_to_the_y_has_derivative_zero_for_positive_y(exponent: float) -> None:
    t = 0.0 ** Trace.variable(exponent)
    assert (t.number, t.derivative) == (0.0, 0.0)
    t = Trace.constant(0.0) ** Trace.variable(exponent)
    assert (t.number, t.derivative) == (0.0, 0.0)
    tape = WengertList()
    y = tape.variable(exponent)
    assert (0.0**y).derivatives()[y] == 0.0
    assert (Record.constant(0.0) ** y).derivatives()[y] == 0.0


def test_zero_to_a_variable_power_with_both_variable() -> None:
    tape = WengertList()
    x, y = tape.variables([0.0, 2.0])
    d = (x**y).derivatives()
    assert (d[x], d[y]) == (0.0, 0.0)
    z = Trace.variable(0.0) ** Trace.variable(3.0)
    assert (z.number, z.derivative) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("base", "exponent", "value", "derivative"),
    [
        (-2.0, 2, 4.0, -4.0),
        (-2.0, 3, -8.0, 12.0),
        (-2.0, 2.0, 4.0, -4.0),
        (-2.0, 3.0, -8.0, 12.0),
        (-2.0, -1, -0.5, -0.25),
        (-2.0, -2.0, 0.25, 0.25),
        (-0.5, 1, -0.5, 1.0),
        (-3.0, 0, 1.0, 0.0),
    ],
)
def test_negative_base_with_a_constant_integer_exponent_is_exact(
    base: float, exponent: float, value: float, derivative: float
) -> None:
    for t in (
        Trace.variable(base) ** exponent,
        Trace.variable(base) ** Trace.constant(exponent),
        Trace.variable(base).pow(exponent),
        wengert.pow(Trace.variable(base), exponent),
    ):
        assert (t.number, t.derivative) == (value, derivative)
    tape = WengertList()
    x = tape.variable(base)
    for r in (x**exponent, x ** Record.constant(exponent), x.pow(exponent)):
        assert r.number == value
        assert r.derivatives()[x] == derivative


# --- The zero-tangent rule (forward) and the no-poison rule (reverse) ----------------------------


def test_zero_tangent_contributes_exactly_zero() -> None:
    assert Trace.constant(0).sqrt().derivative == 0.0
    assert Trace.constant(0.0).sqrt().number == 0.0
    t = Trace.variable(-2.0) ** Trace.constant(2.0)
    assert (t.number, t.derivative) == (4.0, -4.0)
    # ∂(x**y)/∂y = x**y ln x has no real value at x = -2, but y does not vary here.
    assert (Trace.variable(-2.0) ** Trace.constant(3.0)).derivative == 12.0
    # ∂(x**y)/∂x = y x**(y-1) is infinite at x = 0, y = 0.5, but x does not vary here.
    assert (Trace.constant(0.0) ** Trace.variable(0.5)).derivative == 0.0
    assert (Trace.constant(0.0) ** Trace.constant(2.0)).derivative == 0.0
    # the infinite partial of sqrt at 0 meets a zero tangent inside a product
    product = Trace.variable(3.0) * Trace.constant(0.0).sqrt()
    assert (product.number, product.derivative) == (0.0, 0.0)


def test_zero_tangent_of_a_variable_through_a_constant_operation() -> None:
    # x - x has derivative exactly 0, then sqrt(0)' = inf meets it: 0 * inf is taken as 0.
    x = Trace.variable(0.0)
    s = (x - x).sqrt()
    assert (s.number, s.derivative) == (0.0, 0.0)


def test_unused_entries_never_poison_reverse_results() -> None:
    tape = WengertList()
    x = tape.variable(0.0)
    s = (x - x).sqrt()
    y = 3 * x
    d = y.derivatives()
    assert d[x] == 3.0
    assert d[s] == 0.0
    assert not any(math.isnan(v) for v in d)


def test_unused_nan_partials_never_poison_reverse_results() -> None:
    # ∂(x**y)/∂y = x**y ln x has no real value at x = -2: the entry's partial is NaN,
    # but w does not depend on it.
    tape = WengertList()
    x, y = tape.variables([-2.0, 2.0])
    power = x**y
    w = 3.0 * x + y
    d = w.derivatives()
    assert (d[x], d[y]) == (3.0, 1.0)
    assert d[power] == 0.0


# --- Derivatives as a sequence -------------------------------------------------------------------


def derivatives_of_xy() -> tuple[Derivatives, WengertList]:
    tape = WengertList()
    x, y = tape.variables([3.0, 4.0])
    z = x * y
    return z.derivatives(), tape


def test_derivatives_len_and_list_by_tape_index() -> None:
    d, _ = derivatives_of_xy()
    assert len(d) == 3
    assert list(d) == [4.0, 3.0, 1.0]
    assert all(type(v) is float for v in d)


def test_derivatives_length_is_fixed_when_computed() -> None:
    tape = WengertList()
    x = tape.variable(2.0)
    y = x * x
    d = y.derivatives()
    _ = y * x
    tape.variable(1.0)
    assert len(tape) == 4
    assert len(d) == 2
    assert list(d) == [4.0, 1.0]


def test_derivatives_of_an_input_itself() -> None:
    tape = WengertList()
    x, y = tape.variables([1.0, 2.0])
    d = x.derivatives()
    assert list(d) == [1.0, 0.0]  # one per tape entry, y included
    assert d[x] == 1.0
    assert d[y] == 0.0


def test_numpy_asarray_of_derivatives() -> None:
    d, _ = derivatives_of_xy()
    array = np.asarray(d)
    assert array.dtype == np.float64
    assert array.shape == (3,)
    assert array.tolist() == list(d)
    assert not array.flags.writeable
    with pytest.raises(ValueError):
        array[0] = 1.0


def test_numpy_array_of_derivatives_survives_the_derivatives_object() -> None:
    d, _ = derivatives_of_xy()
    array = np.asarray(d)
    del d
    assert array.tolist() == [4.0, 3.0, 1.0]
    memory = memoryview(derivatives_of_xy()[0])
    assert memory.format == "d"
    assert memory.readonly
    assert memory.tolist() == [4.0, 3.0, 1.0]


def test_many_derivatives_from_numpy_inputs() -> None:
    tape = WengertList()
    values = np.linspace(-1.0, 1.0, 101)
    xs = tape.variables(values)
    total = sum(x * x for x in xs)
    assert isinstance(total, Record)
    d = total.derivatives()
    gradient = np.array([d[x] for x in xs])
    assert np.array_equal(gradient, 2.0 * values)
    assert np.array_equal(np.asarray(d)[: len(xs)], 2.0 * values)


# --- Immutability and final classes --------------------------------------------------------------


def test_trace_is_immutable() -> None:
    t = Trace(1.0, 2.0)
    with pytest.raises(AttributeError):
        t.number = 3.0
    with pytest.raises(AttributeError):
        t.derivative = 3.0
    with pytest.raises(AttributeError):
        t.other = 3.0
    assert (t.number, t.derivative) == (1.0, 2.0)


def test_record_is_immutable() -> None:
    tape = WengertList()
    r = tape.variable(1.0)
    for name, value in (("number", 3.0), ("index", 5), ("history", None), ("other", 1)):
        with pytest.raises(AttributeError):
            setattr(r, name, value)
    assert (r.number, r.index, r.history) == (1.0, 0, tape)
    assert r.history is tape


def test_number_and_derivative_are_floats() -> None:
    t = Trace(2, 1)
    assert type(t.number) is float
    assert type(t.derivative) is float
    t = Trace(number=2.5, derivative=-1.0)
    assert (t.number, t.derivative) == (2.5, -1.0)
    assert Trace(3.0).derivative == 0.0
    assert type(Record.constant(2).number) is float


@pytest.mark.parametrize("cls", [Trace, Record, WengertList, Derivatives])
def test_classes_are_final(cls: type) -> None:
    with pytest.raises(TypeError):
        type("Subclass", (cls,), {})
