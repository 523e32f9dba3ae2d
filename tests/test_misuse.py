# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""The misuse matrix: every public callable, called with every kind of wrong argument.

``MATRIX`` maps each public name (``wengert.sin``, ``Trace.pow``, ``Record.__add__``,
...) to a *category*: a shared set of checks for everything of that shape (a unary
math method, a binary operator, a number factory, ...). ``test_every_public_name_is_in_the_matrix``
walks ``wengert.__all__`` and every attribute each public class defines, and fails
for a name with no entry, so a new method without coverage fails the suite. Adding
one is one line: ``"Trace.tan": unary_method(math.tan)``.

The argument kinds tried: None, str, bytes, bytearray, list, tuple, dict, complex,
a plain object, a callable, a tape, a Derivatives (of an earlier generation), bool,
NaN, +-inf, -0.0, ints beyond the float range, a Record of another tape, a stale
Record (made before ``tape.clear()``), a constant Record, a cleared tape, a Trace
where a Record is expected (and the reverse), and keyword arguments that do not exist.

What counts as legitimate (asserted below, and stated in the README):

- bool is an int, as for float: ``Trace(True)`` is ``Trace(1.0)``, ``x + True`` is ``x + 1``.
- NaN and +-inf are floats: they are accepted wherever a float is, and every value
  is then exactly what ``float``/``math`` give (including their exceptions:
  ``sin(inf)`` raises ValueError, as ``math.sin(inf)`` does).
- An int beyond the float range raises OverflowError ("int too large to convert to
  float"), exactly as ``1.0 + 10**400`` does: an ArithmeticError, as in Python.
- A stale or foreign Record still compares by its number (comparisons record nothing).
- ``+x`` returns ``x`` itself: it records nothing, so it is allowed even on a stale record.
- Read-only attributes raise AttributeError on assignment, as Python's do.

Everything else raises a TypeError or ValueError subclass whose message names the
expected type or the remedy, and a failed operation leaves the tape as it was.
"""

from __future__ import annotations

import math
import operator
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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

# ------------------------------------------------------------------ the objects misused


@dataclass
class World:
    """Fresh objects for one check: x and y on ``tape``, the rest to misuse them with."""

    tape: WengertList
    x: Record
    y: Record
    stale: Record  # on ``tape``, made before its clear()
    old_derivatives: Derivatives  # of ``tape``, from before its clear()
    foreign: Record  # on another tape
    constant: Record
    trace: Trace
    cleared: WengertList  # a tape that was cleared (and so is empty)


def world() -> World:
    tape = WengertList()
    stale = tape.variable(5.0)
    old_derivatives = (stale * stale).derivatives()
    tape.clear()
    x, y = tape.variable(2.0), tape.variable(3.0)
    cleared = WengertList()
    cleared.variable(1.0)
    cleared.clear()
    return World(
        tape=tape,
        x=x,
        y=y,
        stale=stale,
        old_derivatives=old_derivatives,
        foreign=WengertList().variable(4.0),
        constant=Record.constant(6.0),
        trace=Trace.variable(7.0),
        cleared=cleared,
    )


def not_numbers(w: World) -> dict[str, object]:
    """Arguments that are not numbers at all (nor a Trace or Record)."""
    return {
        "None": None,
        "str": "2.0",
        "bytes": b"2",
        "bytearray": bytearray(b"2"),
        "list": [2.0],
        "tuple": (2.0,),
        "dict": {"x": 2.0},
        "complex": 2j,
        "object": object(),
        "callable": math.sin,
        "tape": w.tape,
        "cleared tape": w.cleared,
        "derivatives": w.old_derivatives,
    }


# Numbers that are legitimate operands: the results must be what float and math give.
EDGE_FLOATS = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 1e308, 5e-324]
EDGE_OPERANDS: list[float | int | bool] = [
    *EDGE_FLOATS,
    True,
    False,
    3,
    -2,
    2**53 + 1,
    10**400,
    -(10**400),
]
BOGUS = {"bogus_keyword": 1.0}


def same(a: float, b: float) -> bool:
    """Bit-for-bit equality of two floats (NaNs match each other)."""
    if math.isnan(a) and math.isnan(b):
        return True
    return struct.pack("<d", a) == struct.pack("<d", b)


def same_number(a: float, b: float) -> bool:
    """Equal as numbers (0.0 == -0.0), NaNs matching each other.

    Derivatives are compared so: reverse mode sums contributions into an adjoint that
    starts at +0.0, so where forward mode gives -0.0 it gives +0.0, the same number.
    """
    return a == b or (math.isnan(a) and math.isnan(b))


def outcome(f: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    """("value", result) or ("error", exception type)."""
    try:
        return ("value", f(*args))
    except (ArithmeticError, ValueError, TypeError) as error:
        return ("error", type(error))


def raises(expected: type[BaseException], call: Callable[[], object], *words: str) -> BaseException:
    """Assert that ``call()`` raises ``expected`` with every one of ``words`` in its message."""
    with pytest.raises(expected) as excinfo:
        call()
    text = str(excinfo.value)
    for word in words:
        assert word in text, f"{word!r} not in the message {text!r}"
    return excinfo.value


def float_pow(a: float, b: float) -> float:
    """``a ** b`` on floats, with ValueError where float gives a complex number."""
    result = float(a) ** float(b)
    if isinstance(result, complex):
        raise ValueError("complex")
    return result


# ------------------------------------------------------------------ receivers


@dataclass
class Receiver:
    """A way to make a value of one class at a number, and the tape it records on."""

    name: str
    make: Callable[[float], Any]

    def __call__(self, number: float) -> tuple[Any, WengertList | None]:
        value = self.make(number)
        return value, getattr(value, "history", None)


def receivers(owner: str) -> list[Receiver]:
    if owner == "Trace":
        return [Receiver("Trace.variable", Trace.variable), Receiver("Trace(v, 2)", two_trace)]
    return [
        Receiver("tape.variable", lambda v: WengertList().variable(v)),
        Receiver("Record.constant", Record.constant),
    ]


def two_trace(v: float) -> Trace:
    return Trace(v, 2.0)


def other_mode(owner: str, w: World) -> object:
    """A value of the other mode: a Record for a Trace, a Trace for a Record."""
    return w.x if owner == "Trace" else w.trace


def fresh(owner: str, w: World) -> Any:
    """A current value of the class ``owner``."""
    if owner == "WengertList":
        return w.tape
    if owner == "Derivatives":
        return (w.x * w.y).derivatives()
    return w.trace if owner == "Trace" else w.x


def tape_length_unchanged(w: World, call: Callable[[], object]) -> None:
    before = len(w.tape)
    try:
        call()
    finally:
        assert len(w.tape) == before, "a failed operation must record nothing"


# ------------------------------------------------------------------ categories

Case = tuple[str, Callable[[], None]]
Category = Callable[[str], list[Case]]


def split(name: str) -> tuple[str, str]:
    owner, _, attr = name.partition(".")
    return owner, attr


def method_call(attr: str) -> Callable[..., Any]:
    return lambda receiver, *args, **kwargs: getattr(receiver, attr)(*args, **kwargs)


def common_arity_cases(owner: str, attr: str, arguments: int) -> list[Case]:
    """Too many arguments and unknown keywords are TypeErrors that name the problem."""

    def too_many() -> None:
        w = world()
        args = [1.0] * (arguments + 1)
        raises(TypeError, lambda: getattr(fresh(owner, w), attr)(*args), "argument")

    def unknown_keyword() -> None:
        w = world()
        args = [1.0] * arguments
        raises(TypeError, lambda: getattr(fresh(owner, w), attr)(*args, **BOGUS), "keyword")

    return [("too many arguments", too_many), ("unknown keyword", unknown_keyword)]


def unary_method(reference: Callable[[float], float]) -> Category:
    """A method of no arguments computing a function of the number: ``x.sin()``, ``-x``.

    Values at the edges (NaN, +-inf, +-0, huge, tiny) are exactly ``reference``'s, or
    raise its exception; forward and reverse derivatives agree bit for bit; a stale
    record raises StaleRecordError; a failure records nothing.
    """

    def cases(name: str) -> list[Case]:
        owner, attr = split(name)
        call = method_call(attr)

        def edges() -> None:
            for receiver in receivers(owner):
                for v in EDGE_FLOATS:
                    value, tape = receiver(v)
                    length = len(tape) if tape is not None else 0
                    expected = outcome(reference, v)
                    got = outcome(call, value)
                    context = f"{receiver.name}({v!r}).{attr}()"
                    if expected[0] == "error":
                        assert got == expected, context
                        assert tape is None or len(tape) == length, context
                    else:
                        assert got[0] == "value", (context, got)
                        assert same(got[1].number, expected[1]), context

        def forward_equals_reverse() -> None:
            for v in EDGE_FLOATS:
                forward = outcome(call, Trace.variable(v))
                x = WengertList().variable(v)
                reverse = outcome(call, x)
                if forward[0] == "error":
                    assert reverse == forward
                    continue
                assert same(forward[1].number, reverse[1].number)
                d = reverse[1].derivatives()[x]
                assert same_number(forward[1].derivative, d), (attr, v, forward[1].derivative, d)

        def stale() -> None:
            w = world()
            tape_length_unchanged(
                w, lambda: raises(StaleRecordError, lambda: call(w.stale), "reset()")
            )

        result = [("edges", edges), *common_arity_cases(owner, attr, 0)]
        if owner == "Record":
            result += [("forward equals reverse", forward_equals_reverse), ("stale", stale)]
        return result

    return cases


def binary(
    op: Callable[[Any, Any], Any],
    reference: Callable[[float, float], float],
    *,
    reflected: bool = False,
    method: bool = False,
    modulus: bool = False,
) -> Category:
    """An operation of two operands: ``x + y`` (``reflected``: ``y + x``), or ``x.pow(y)``.

    Not-a-number operands raise TypeError naming the class (a method names the
    operand types it takes); numbers at the edges, bool and huge ints give exactly
    float's result or its exception; Trace with Record raises MixedModesError;
    records of two tapes MixedTapesError; a stale record StaleRecordError; nothing
    is recorded by a failure.
    """

    def cases(name: str) -> list[Case]:
        owner, attr = split(name)

        def apply(receiver: Any, other: Any) -> Any:
            return op(other, receiver) if reflected else op(receiver, other)

        def ref(v: float, c: float) -> float:
            return reference(c, v) if reflected else reference(v, c)

        def not_a_number() -> None:
            w = world()
            for kind, bad in not_numbers(w).items():
                receiver = fresh(owner, w)
                words = ("float", "int", type(bad).__name__) if method else (owner,)
                error = TypeError
                if isinstance(bad, str | bytes | bytearray | list | tuple) and not method:
                    words = (owner,)  # the sequence's own message ("can only concatenate")
                try:
                    tape_length_unchanged(
                        w, lambda: raises(error, lambda: apply(receiver, bad), *words)
                    )
                except AssertionError as failure:
                    raise AssertionError(f"{name} with {kind}: {failure}") from None
            if not method:
                # The number protocol: the method itself answers NotImplemented.
                assert getattr(fresh(owner, w), attr)(None) is NotImplemented

        def edges() -> None:
            for receiver in receivers(owner):
                for v in EDGE_FLOATS:
                    for c in EDGE_OPERANDS:
                        value, _ = receiver(v)
                        expected = outcome(ref, v, c)
                        got = outcome(apply, value, c)
                        context = f"{name}: {receiver.name}({v!r}) with {c!r}"
                        if expected[0] == "error":
                            assert got == expected, context
                        else:
                            assert got[0] == "value", (context, got)
                            assert same(got[1].number, expected[1]), (context, got[1], expected)

        def forward_equals_reverse() -> None:
            for v in EDGE_FLOATS:
                for c in EDGE_OPERANDS:
                    forward = outcome(apply, Trace.variable(v), c)
                    x = WengertList().variable(v)
                    reverse = outcome(apply, x, c)
                    if forward[0] == "error":
                        assert reverse == forward, (name, v, c)
                        continue
                    d = reverse[1].derivatives()[x]
                    assert same_number(forward[1].derivative, d), (
                        name,
                        v,
                        c,
                        forward[1].derivative,
                        d,
                    )

        def bool_is_int() -> None:
            w = world()
            for flag in (True, False):
                a = outcome(apply, fresh(owner, w), flag)
                b = outcome(apply, fresh(owner, w), int(flag))
                assert a[0] == b[0] and (a[0] == "error" or same(a[1].number, b[1].number))
                assert a == b or a[0] == "value"

        def modes() -> None:
            w = world()
            raises(
                MixedModesError,
                lambda: apply(fresh(owner, w), other_mode(owner, w)),
                "Trace",
                "Record",
            )

        def tapes() -> None:
            w = world()
            for pair in ((w.x, w.foreign), (w.foreign, w.x)):
                tape_length_unchanged(
                    w, lambda: raises(MixedTapesError, lambda: apply(*pair), "same tape.variable")
                )

        def stale() -> None:
            w = world()
            for pair in ((w.x, w.stale), (w.stale, w.x), (w.stale, 2.0), (w.constant, w.stale)):
                tape_length_unchanged(
                    w, lambda: raises(StaleRecordError, lambda: apply(*pair), "reset()")
                )

        result = [
            ("not a number", not_a_number),
            ("edges", edges),
            ("bool is int", bool_is_int),
            ("mixed modes", modes),
        ]
        if owner == "Record":
            result += [
                ("forward equals reverse", forward_equals_reverse),
                ("mixed tapes", tapes),
                ("stale", stale),
            ]
        result += common_arity_cases(owner, attr, 1)  # for __pow__, a 2nd is the modulus
        if method:

            def missing() -> None:
                raises(TypeError, lambda: getattr(fresh(owner, world()), attr)(), "missing")

            result.append(("missing argument", missing))
        if modulus:

            def with_modulus() -> None:
                raises(TypeError, lambda: pow(fresh(owner, world()), 2, 3), "modulus", "x ** y")

            result.append(("modulus", with_modulus))
        return result

    return cases


def comparison(op: Callable[[Any, Any], bool]) -> Category:
    """``<`` and friends compare the numbers exactly as float does; others are TypeErrors."""

    def cases(name: str) -> list[Case]:
        owner, attr = split(name)
        equality = op in (operator.eq, operator.ne)

        def edges() -> None:
            for receiver in receivers(owner):
                for v in EDGE_FLOATS:
                    for c in EDGE_OPERANDS:
                        value, _ = receiver(v)
                        assert op(value, c) == op(v, c), (name, v, c)
                        assert op(c, value) == op(c, v), (name, c, v)

        def not_a_number() -> None:
            w = world()
            for kind, bad in not_numbers(w).items():
                receiver = fresh(owner, w)
                if equality:
                    assert op(receiver, bad) == (op is operator.ne), kind
                else:
                    raises(TypeError, lambda: op(receiver, bad), "not supported", owner)

        def modes() -> None:
            w = world()
            receiver, other = fresh(owner, w), other_mode(owner, w)
            if equality:
                assert op(receiver, other) == (op is operator.ne)
            else:
                raises(TypeError, lambda: op(receiver, other), "Trace", "Record")

        def stale_and_foreign_compare_numbers() -> None:
            w = world()
            for other in (w.stale, w.foreign, w.constant):
                assert op(w.x, other) == op(w.x.number, other.number)
                assert op(other, w.x) == op(other.number, w.x.number)

        result = [
            ("edges", edges),
            ("not a number", not_a_number),
            ("mixed modes", modes),
            *common_arity_cases(owner, attr, 1),
        ]
        if owner == "Record":
            result.append(("stale and foreign", stale_and_foreign_compare_numbers))
        return result

    return cases


def conversion(convert: Callable[[Any], object], target: str) -> Category:
    """``float(x)`` and ``int(x)`` would drop the derivative: ImplicitConversionError."""

    def cases(name: str) -> list[Case]:
        owner, attr = split(name)

        def refuses() -> None:
            w = world()
            for value in (fresh(owner, w), Record.constant(1.0) if owner == "Record" else w.trace):
                error = raises(ImplicitConversionError, lambda: convert(value), ".number", target)
                assert isinstance(error, TypeError)

        def math_functions_refuse() -> None:
            w = world()
            raises(ImplicitConversionError, lambda: math.sin(fresh(owner, w)), "wengert.sin")

        return [
            ("refuses", refuses),
            ("math refuses", math_functions_refuse),
            *common_arity_cases(owner, attr, 0),
        ]

    return cases


def plain(check: Callable[[Any, float], None], arguments: int = 0) -> Category:
    """A method with no argument to get wrong: ``check(value, number)`` at the edges, and arity."""

    def cases(name: str) -> list[Case]:
        owner, attr = split(name)

        def edges() -> None:
            w = world()
            for receiver in receivers(owner):
                for v in EDGE_FLOATS:
                    check(receiver(v)[0], v)
            if owner == "Record":
                check(w.stale, w.stale.number)  # reading a stale record's number is fine

        return [("edges", edges), *common_arity_cases(owner, attr, arguments)]

    return cases


def check_bool(value: Any, v: float) -> None:
    assert bool(value) is bool(v)


def check_hash(value: Any, v: float) -> None:
    if math.isnan(v):
        assert hash(value) == hash(value)  # stable, by identity, as for a float NaN
    else:
        assert hash(value) == hash(v)


def check_str(value: Any, v: float) -> None:
    assert str(value) == repr(v)


def check_repr(value: Any, v: float) -> None:
    assert repr(v) in repr(value) and type(value).__name__ in repr(value)


def check_pos(value: Any, v: float) -> None:
    assert +value is value


def formatting() -> Category:
    """``format(x, spec)`` is ``format(x.number, spec)``, errors included."""

    def cases(name: str) -> list[Case]:
        owner, attr = split(name)

        def edges() -> None:
            for receiver in receivers(owner):
                for v in EDGE_FLOATS:
                    value, _ = receiver(v)
                    for spec in (
                        "",
                        ".3f",
                        "e",
                        ">12.4g",
                        "%",
                        "Q",
                        "d",
                        "\x00",
                        "99999999999999999999",
                    ):
                        assert outcome(format, value, spec) == outcome(format, v, spec), spec

        def not_a_string() -> None:
            w = world()
            for bad in not_numbers(w).values():
                if not isinstance(bad, str):
                    raises(TypeError, lambda: format(fresh(owner, w), bad), "str")

        return [
            ("edges", edges),
            ("not a string", not_a_string),
            *common_arity_cases(owner, attr, 1),
        ]

    return cases


def read_only(read: Callable[[Any], object]) -> Category:
    """A property: readable on every kind of value, never assignable."""

    def cases(name: str) -> list[Case]:
        owner, attr = split(name)

        def cannot_assign() -> None:
            w = world()
            value = fresh(owner, w)
            with pytest.raises(AttributeError):
                setattr(value, attr, 1.0)
            with pytest.raises(AttributeError):
                delattr(value, attr)

        def readable() -> None:
            w = world()
            values = [w.x, w.stale, w.constant, w.foreign] if owner == "Record" else [w.trace]
            for value in values:
                read(value)

        return [("cannot assign", cannot_assign), ("readable", readable)]

    return cases


def number_factory(make: Callable[[World, Any], Any], read: Callable[[Any], float]) -> Category:
    """A constructor that takes a number: a Trace, a tape's variable, a constant."""

    def cases(name: str) -> list[Case]:
        def not_a_number() -> None:
            w = world()
            for kind, bad in not_numbers(w).items():
                try:
                    raises(TypeError, lambda: make(w, bad), "real number")
                except AssertionError as failure:
                    raise AssertionError(f"{name}({kind}): {failure}") from None
            for value in (w.x, w.trace, w.constant):
                raises(ImplicitConversionError, lambda: make(w, value), ".number")

        def numbers() -> None:
            w = world()
            for v in EDGE_OPERANDS:
                got = outcome(make, w, v)
                expected = outcome(float, v)
                if expected[0] == "error":
                    assert got == expected, v
                    error = raises(OverflowError, lambda: make(w, v), "too large")
                    assert isinstance(error, ArithmeticError)
                else:
                    assert same(read(got[1]), expected[1]), v
            assert same(read(make(w, np.float64(2.5))), 2.5)
            assert same(read(make(w, np.int64(-3))), -3.0)

        def keywords() -> None:
            w = world()
            raises(TypeError, lambda: make(w, BOGUS), "real number")

        return [("not a number", not_a_number), ("numbers", numbers), ("keywords", keywords)]

    return cases


def keyword_and_arity(call: Callable[..., Any], positional: int) -> Category:
    """Extra positional arguments and unknown keywords are TypeErrors."""

    def cases(name: str) -> list[Case]:
        def too_many() -> None:
            raises(TypeError, lambda: call(*([1.0] * (positional + 1))), "argument")

        def unknown_keyword() -> None:
            args = [2.0] * positional
            raises(TypeError, lambda: call(*args, bogus_keyword=1), "keyword")

        return [("too many arguments", too_many), ("unknown keyword", unknown_keyword)]

    return cases


def combine(*categories: Category) -> Category:
    return lambda name: [case for category in categories for case in category(name)]


def custom(cases_for: Callable[[str, str], list[Case]]) -> Category:
    return lambda name: cases_for(*split(name))


# --- custom functions: unary() and binary()


def custom_unary_cases(owner: str, attr: str) -> list[Case]:
    def not_callable() -> None:
        w = world()
        for bad in not_numbers(w).values():
            if callable(bad):
                continue
            raises(TypeError, lambda: fresh(owner, w).unary(bad, math.cos), "not callable")
            raises(TypeError, lambda: fresh(owner, w).unary(math.sin, bad), "not callable")

    def bad_results() -> None:
        w = world()
        for kind, bad in not_numbers(w).items():
            for fx, dfx, which in (
                (lambda _: bad, math.cos, "fx"),
                (math.sin, lambda _: bad, "dfx_dx"),
            ):
                try:
                    tape_length_unchanged(
                        w,
                        lambda: raises(
                            TypeError,
                            lambda: fresh(owner, w).unary(fx, dfx),
                            which,
                            "float",
                        ),
                    )
                except AssertionError as failure:
                    raise AssertionError(f"{kind}: {failure}") from None
        huge = 10**400
        raises(OverflowError, lambda: fresh(owner, w).unary(lambda _: huge, math.cos), "too large")

    def legitimate_results() -> None:
        w = world()
        value = fresh(owner, w).unary(lambda _: True, lambda _: math.nan)
        assert value.number == 1.0  # bool is an int
        if owner == "Trace":
            assert math.isnan(value.derivative)

    def user_errors_propagate() -> None:
        def fail(_: float) -> float:
            raise ZeroDivisionError("from the user's function")

        raises(ZeroDivisionError, lambda: fresh(owner, world()).unary(fail, fail), "user's")

    def stale_runs_nothing() -> None:
        w = world()
        calls: list[float] = []

        def spy(x: float) -> float:
            calls.append(x)
            return x

        raises(StaleRecordError, lambda: w.stale.unary(spy, spy), "reset()")
        assert calls == []

    result = [
        ("not callable", not_callable),
        ("bad results", bad_results),
        ("legitimate results", legitimate_results),
        ("user errors propagate", user_errors_propagate),
        *common_arity_cases(owner, attr, 2),
    ]
    if owner == "Record":
        result.append(("stale runs nothing", stale_runs_nothing))
    return result


def custom_binary_cases(owner: str, attr: str) -> list[Case]:
    def call(receiver: Any, other: Any, *functions: Any) -> Any:
        fxy, dx, dy = functions or (operator.mul, lambda x, y: y, lambda x, y: x)
        return receiver.binary(other, fxy, dx, dy)

    def not_a_number() -> None:
        w = world()
        for bad in not_numbers(w).values():
            raises(TypeError, lambda: call(fresh(owner, w), bad), "binary()", "float", "int")

    def bad_results() -> None:
        w = world()
        good = operator.mul
        for which in range(3):
            functions: list[Callable[[float, float], object]] = [good, good, good]
            functions[which] = lambda x, y: "2.0"
            name = ("fxy", "dfxy_dx", "dfxy_dy")[which]
            raises(TypeError, lambda: call(fresh(owner, w), 2.0, *functions), name, "float")

    def numbers() -> None:
        w = world()
        value = call(fresh(owner, w), True)
        assert value.number == fresh(owner, w).number
        raises(OverflowError, lambda: call(fresh(owner, w), 10**400), "too large")

    def modes() -> None:
        w = world()
        raises(MixedModesError, lambda: call(fresh(owner, w), other_mode(owner, w)), "Trace")

    def tapes_and_stale_run_nothing() -> None:
        w = world()
        calls: list[float] = []

        def spy(x: float, y: float) -> float:
            calls.append(x)
            return x

        for pair, error in (
            ((w.x, w.foreign), MixedTapesError),
            ((w.foreign, w.x), MixedTapesError),
            ((w.x, w.stale), StaleRecordError),
            ((w.stale, 2.0), StaleRecordError),
            ((w.constant, w.stale), StaleRecordError),
        ):
            raises(error, lambda: call(*pair, spy, spy, spy))
        assert calls == []

    def missing() -> None:
        raises(TypeError, lambda: fresh(owner, world()).binary(2.0, operator.mul), "missing")

    result = [
        ("not a number", not_a_number),
        ("bad results", bad_results),
        ("numbers", numbers),
        ("mixed modes", modes),
        ("missing", missing),
        *common_arity_cases(owner, attr, 4),
    ]
    if owner == "Record":
        result.append(("tapes and stale run nothing", tapes_and_stale_run_nothing))
    return result


# --- reverse mode: derivatives, reset, the tape, Derivatives


def derivatives_cases(owner: str, attr: str) -> list[Case]:
    optional = attr == "try_derivatives"

    def stale() -> None:
        raises(StaleRecordError, lambda: getattr(world().stale, attr)(), "reset()")

    def constant() -> None:
        w = world()
        if optional:
            assert w.constant.try_derivatives() is None
        else:
            raises(ConstantRecordError, lambda: w.constant.derivatives(), "try_derivatives()")

    def works() -> None:
        w = world()
        d = getattr(w.x * w.y, attr)()
        assert (d[w.x], d[w.y]) == (3.0, 2.0)

    return [
        ("stale", stale),
        ("constant", constant),
        ("works", works),
        *common_arity_cases(owner, attr, 0),
    ]


def reset_cases(owner: str, attr: str) -> list[Case]:
    def semantics() -> None:
        w = world()
        assert w.constant.reset() is None and w.constant.history is None
        length = len(w.tape)
        assert w.x.reset() is None and len(w.tape) == length  # current: nothing to do
        w.stale.reset()
        assert w.stale.index == length and len(w.tape) == length + 1
        assert (w.stale * w.x).derivatives()[w.stale] == w.x.number

    return [("semantics", semantics), *common_arity_cases(owner, attr, 0)]


def lookup_cases(owner: str, attr: str) -> list[Case]:
    def get(d: Derivatives, key: Any) -> float:
        return d[key] if attr == "__getitem__" else d.at(key)

    def setup() -> tuple[World, Derivatives]:
        w = world()
        return w, (w.x * w.y).derivatives()

    def not_a_record() -> None:
        w, d = setup()
        for bad in [*not_numbers(w).values(), 0, -1, True, 1.5, math.nan, slice(0, 1), w.trace]:
            raises(TypeError, lambda: get(d, bad), "Record", "list(d)")

    def wrong_records() -> None:
        w, d = setup()
        raises(MixedTapesError, lambda: get(d, w.foreign), "same tape")
        raises(StaleRecordError, lambda: get(d, w.stale), "reset()")
        raises(ConstantRecordError, lambda: get(d, w.constant), "tape.variable")
        raises(StaleRecordError, lambda: get(w.old_derivatives, w.x), "derivatives() again")
        assert get(d, w.x) == 3.0

    return [
        ("not a record", not_a_record),
        ("wrong records", wrong_records),
        *common_arity_cases(owner, attr, 1),
    ]


def sized_cases(owner: str, attr: str) -> list[Case]:
    def values() -> None:
        w = world()
        d = (w.x * w.y).derivatives()
        assert (len(w.tape), len(w.cleared), len(d), len(w.old_derivatives)) == (3, 0, 3, 2)
        assert list(d) == [3.0, 2.0, 1.0]

    def too_many() -> None:
        w = world()
        receiver = w.tape if owner == "WengertList" else w.old_derivatives
        raises(TypeError, lambda: getattr(receiver, attr)(1), "argument")

    return [("values", values), ("too many arguments", too_many)]


def variables_cases(owner: str, attr: str) -> list[Case]:
    def not_iterable_of_numbers() -> None:
        w = world()
        for kind, bad in not_numbers(w).items():
            if isinstance(bad, str | bytes | bytearray):
                words: tuple[str, ...] = ("iterable of numbers",)
            elif kind in ("list", "tuple", "derivatives"):
                continue  # 2.0, or the derivatives' float64 buffer: legitimate, see below
            elif kind == "dict":
                words = ("real number",)  # iterates its keys, which are str
            else:
                words = ()
            tape_length_unchanged(
                w, lambda: raises(TypeError, lambda: w.tape.variables(bad), *words)
            )
        for items in ([1.0, None], [1.0, "2"], [[1.0]]):
            tape_length_unchanged(
                w, lambda: raises(TypeError, lambda: w.tape.variables(items), "real number")
            )
        for items in ([w.x], [w.trace]):
            tape_length_unchanged(
                w,
                lambda: raises(ImplicitConversionError, lambda: w.tape.variables(items), ".number"),
            )
        tape_length_unchanged(
            w, lambda: raises(OverflowError, lambda: w.tape.variables([1.0, 10**400]), "too large")
        )

    def legitimate() -> None:
        w = world()
        records = w.cleared.variables([True, math.nan, -math.inf, 3, np.float32(0.5)])
        assert [r.index for r in records] == [0, 1, 2, 3, 4]
        numbers = [r.number for r in records]
        assert numbers[0] == 1.0 and math.isnan(numbers[1]) and numbers[2:] == [-math.inf, 3.0, 0.5]
        strided = w.tape.variables(np.arange(10.0)[::3])
        assert [r.number for r in strided] == [0.0, 3.0, 6.0, 9.0]
        assert [r.number for r in w.tape.variables(x * 1.0 for x in range(3))] == [0.0, 1.0, 2.0]
        assert w.tape.variables([]) == []
        assert [r.number for r in w.tape.variables(w.old_derivatives)] == [10.0, 1.0]

    return [
        ("not an iterable of numbers", not_iterable_of_numbers),
        ("legitimate", legitimate),
        *common_arity_cases(owner, attr, 1),
    ]


def clear_cases(owner: str, attr: str) -> list[Case]:
    def semantics() -> None:
        w = world()
        w.cleared.clear()
        w.cleared.clear()
        assert len(w.cleared) == 0
        w.tape.clear()
        raises(StaleRecordError, lambda: w.x + 1.0, "reset()")

    return [("semantics", semantics), *common_arity_cases(owner, attr, 0)]


# --- module-level entries


def math_function(reference: Callable[[float], float]) -> Category:
    """``wengert.sin(x)`` and friends: math's function on plain numbers, the method otherwise."""

    def cases(name: str) -> list[Case]:
        _, attr = split(name)
        function = getattr(wengert, attr)

        def not_a_number() -> None:
            w = world()
            for bad in not_numbers(w).values():
                raises(TypeError, lambda: function(bad), "real number")

        def numbers() -> None:
            for v in EDGE_OPERANDS:
                assert outcome(function, v)[0] == outcome(reference, v)[0], v
                if outcome(reference, v)[0] == "value":
                    assert same(function(v), reference(v)), v
                else:
                    assert outcome(function, v) == outcome(reference, v), v
                for kind in (Trace.variable, Record.constant):
                    got = outcome(function, kind(v) if isinstance(v, float) else kind(0.5))
                    assert got[0] == "value" or got[1] in (ValueError, OverflowError), (v, got)

        def stale_and_arity() -> None:
            w = world()
            raises(StaleRecordError, lambda: function(w.stale), "reset()")
            raises(TypeError, lambda: function(1.0, 2.0), "argument")
            raises(TypeError, lambda: function(1.0, bogus_keyword=1), "keyword")

        return [
            ("not a number", not_a_number),
            ("numbers", numbers),
            ("stale, arity", stale_and_arity),
        ]

    return cases


def pow_function_cases(owner: str, attr: str) -> list[Case]:
    def not_a_number() -> None:
        w = world()
        for bad in not_numbers(w).values():
            for args in ((bad, 2.0), (2.0, bad)):
                raises(TypeError, lambda: wengert.pow(*args), "float", type(bad).__name__)
            raises(TypeError, lambda: wengert.pow(w.x, bad), "Record")
            raises(TypeError, lambda: wengert.pow(bad, w.trace), "Trace")

    def numbers() -> None:
        for a in EDGE_OPERANDS:
            for b in EDGE_OPERANDS:
                expected, got = outcome(float_pow, a, b), outcome(wengert.pow, a, b)
                if expected[0] == "error":
                    assert got == expected, (a, b)
                else:
                    assert got[0] == "value" and same(got[1], expected[1]), (a, b, got)

    def records() -> None:
        w = world()
        raises(MixedTapesError, lambda: wengert.pow(w.x, w.foreign), "same tape")
        raises(StaleRecordError, lambda: wengert.pow(2.0, w.stale), "reset()")
        raises(MixedModesError, lambda: wengert.pow(w.trace, w.x), "Record")
        raises(TypeError, lambda: wengert.pow(1.0, 2.0, 3.0), "argument")

    return [("not a number", not_a_number), ("numbers", numbers), ("records", records)]


def derivative_function_cases(owner: str, attr: str) -> list[Case]:
    def misuse() -> None:
        w = world()
        raises(TypeError, lambda: wengert.derivative(None, 1.0), "not callable")  # type: ignore[arg-type]
        for bad in not_numbers(w).values():
            raises(TypeError, lambda: wengert.derivative(lambda t: t, bad), "real number")  # type: ignore[arg-type]
            raises(TypeError, lambda: wengert.derivative(lambda t: bad, 1.0), "not a Trace")  # type: ignore[arg-type, return-value]
        raises(TypeError, lambda: wengert.derivative(lambda t: 2.0, 1.0), "float", "wengert.sin")  # type: ignore[arg-type, return-value]
        raises(MixedModesError, lambda: wengert.derivative(lambda t: t + w.x, 1.0), "Record")
        raises(OverflowError, lambda: wengert.derivative(lambda t: t, 10**400), "too large")
        raises(TypeError, lambda: wengert.derivative(lambda t: t, 1.0, bogus_keyword=1), "keyword")  # type: ignore[call-arg]

    def legitimate() -> None:
        assert wengert.derivative(lambda t: t * t, True) == 2.0
        assert math.isnan(wengert.derivative(lambda t: t * t, math.nan))

    return [("misuse", misuse), ("legitimate", legitimate)]


def record_constructor_cases(owner: str, attr: str) -> list[Case]:
    def refuses() -> None:
        w = world()
        for args in ((), (1.0,), (1.0, w.tape), (None,)):
            raises(TypeError, lambda: Record(*args), "tape.variable(x)", "Record.constant(c)")
        raises(TypeError, lambda: Record(number=1.0), "tape.variable(x)")

    return [("refuses", refuses)]


def derivatives_constructor_cases(owner: str, attr: str) -> list[Case]:
    def refuses() -> None:
        for args in ((), ([1.0],), (None,)):
            raises(TypeError, lambda: Derivatives(*args), "y.derivatives()")

    return [("refuses", refuses)]


def tape_constructor_cases(owner: str, attr: str) -> list[Case]:
    def misuse() -> None:
        for bad in (None, 1.0, [1.0]):
            raises(TypeError, lambda: WengertList(bad), "argument")  # type: ignore[call-arg]
        raises(TypeError, lambda: WengertList(bogus_keyword=1), "keyword")  # type: ignore[call-arg]
        assert len(WengertList()) == 0

    return [("misuse", misuse)]


def record_variable_cases(owner: str, attr: str) -> list[Case]:
    def wrong_tapes() -> None:
        w = world()
        for bad in [*not_numbers(w).values(), w.x, w.trace]:
            if isinstance(bad, WengertList):
                continue
            raises(TypeError, lambda: Record.variable(1.0, bad), "WengertList")  # type: ignore[arg-type]
        x = Record.variable(1.0, w.cleared)  # a cleared tape is an empty tape, ready for use
        assert (x.index, len(w.cleared)) == (0, 1)

    return [("wrong tapes", wrong_tapes)]


def exception_class(parent: type[BaseException]) -> Category:
    def cases(name: str) -> list[Case]:
        cls = getattr(wengert, split(name)[1])

        def hierarchy() -> None:
            assert issubclass(cls, parent) and issubclass(cls, TypeError | ValueError)
            assert cls.__module__ == "wengert._core" and cls.__doc__

        return [("hierarchy", hierarchy)]

    return cases


def version_cases(owner: str, attr: str) -> list[Case]:
    def is_text() -> None:
        parts = wengert.__version__.split(".")
        assert len(parts) == 3 and all(p.isdigit() for p in parts)

    return [("text", is_text)]


def trace_make(w: World, v: Any) -> Trace:
    return Trace(v)


def trace_derivative_make(w: World, v: Any) -> Trace:
    return Trace(1.0, v)


def number_of(value: Any) -> float:
    return float(value.number)


def derivative_of(value: Trace) -> float:
    return value.derivative


# ------------------------------------------------------------------ the matrix

UNARY_REFERENCES: dict[str, Callable[[float], float]] = {
    "sin": math.sin,
    "cos": math.cos,
    "exp": math.exp,
    "ln": math.log,
    "sqrt": math.sqrt,
    "abs": math.fabs,
}

MATRIX: dict[str, Category] = {
    # the module's functions and constants
    "wengert.__version__": custom(version_cases),
    "wengert.sin": math_function(math.sin),
    "wengert.cos": math_function(math.cos),
    "wengert.exp": math_function(math.exp),
    "wengert.ln": math_function(math.log),
    "wengert.sqrt": math_function(math.sqrt),
    "wengert.abs": math_function(math.fabs),
    "wengert.pow": custom(pow_function_cases),
    "wengert.derivative": custom(derivative_function_cases),
    # exceptions
    "wengert.TapeError": exception_class(ValueError),
    "wengert.MixedTapesError": exception_class(TapeError),
    "wengert.StaleRecordError": exception_class(TapeError),
    "wengert.ConstantRecordError": exception_class(TapeError),
    "wengert.MixedModesError": exception_class(TypeError),
    "wengert.ImplicitConversionError": exception_class(TypeError),
    # constructors
    "wengert.Trace": combine(
        number_factory(trace_make, number_of),
        number_factory(trace_derivative_make, derivative_of),
        keyword_and_arity(Trace, 2),
    ),
    "wengert.Record": custom(record_constructor_cases),
    "wengert.WengertList": custom(tape_constructor_cases),
    "wengert.Derivatives": custom(derivatives_constructor_cases),
    "Trace.constant": combine(
        number_factory(lambda w, v: Trace.constant(v), number_of),
        keyword_and_arity(Trace.constant, 1),
    ),
    "Trace.variable": combine(
        number_factory(lambda w, v: Trace.variable(v), number_of),
        keyword_and_arity(Trace.variable, 1),
    ),
    "Record.constant": combine(
        number_factory(lambda w, v: Record.constant(v), number_of),
        keyword_and_arity(Record.constant, 1),
    ),
    "Record.variable": combine(
        number_factory(lambda w, v: Record.variable(v, w.tape), number_of),
        keyword_and_arity(lambda *a, **k: Record.variable(*a, **k), 2),
        custom(record_variable_cases),
    ),
    "WengertList.variable": combine(
        number_factory(lambda w, v: w.cleared.variable(v), number_of),
        keyword_and_arity(WengertList().variable, 1),
    ),
    "WengertList.variables": custom(variables_cases),
    "WengertList.clear": custom(clear_cases),
    "WengertList.__len__": custom(sized_cases),
    "WengertList.__repr__": keyword_and_arity(WengertList().__repr__, 0),
    # Derivatives
    "Derivatives.__getitem__": custom(lookup_cases),
    "Derivatives.at": custom(lookup_cases),
    "Derivatives.__len__": custom(sized_cases),
    "Derivatives.__iter__": custom(sized_cases),
    "Derivatives.__repr__": keyword_and_arity(
        lambda *a, **k: world().old_derivatives.__repr__(*a, **k), 0
    ),
    # Record only
    "Record.number": read_only(lambda r: r.number),
    "Record.index": read_only(lambda r: r.index),
    "Record.history": read_only(lambda r: r.history),
    "Record.derivatives": custom(derivatives_cases),
    "Record.try_derivatives": custom(derivatives_cases),
    "Record.reset": custom(reset_cases),
    # Trace only
    "Trace.number": read_only(lambda t: t.number),
    "Trace.derivative": read_only(lambda t: t.derivative),
}

# What Trace and Record share (the number_methods of both classes).
for _owner in ("Trace", "Record"):
    MATRIX |= {f"{_owner}.{name}": unary_method(ref) for name, ref in UNARY_REFERENCES.items()}
    del MATRIX[f"{_owner}.abs"]  # abs is a function and __abs__, not a method
    MATRIX |= {
        f"{_owner}.__neg__": unary_method(operator.neg),
        f"{_owner}.__abs__": unary_method(math.fabs),
        f"{_owner}.__pos__": plain(check_pos),
        f"{_owner}.__add__": binary(operator.add, operator.add),
        f"{_owner}.__radd__": binary(operator.add, operator.add, reflected=True),
        f"{_owner}.__sub__": binary(operator.sub, operator.sub),
        f"{_owner}.__rsub__": binary(operator.sub, operator.sub, reflected=True),
        f"{_owner}.__mul__": binary(operator.mul, operator.mul),
        f"{_owner}.__rmul__": binary(operator.mul, operator.mul, reflected=True),
        f"{_owner}.__truediv__": binary(operator.truediv, operator.truediv),
        f"{_owner}.__rtruediv__": binary(operator.truediv, operator.truediv, reflected=True),
        f"{_owner}.__pow__": binary(operator.pow, float_pow, modulus=True),
        f"{_owner}.__rpow__": binary(operator.pow, float_pow, reflected=True),
        f"{_owner}.pow": binary(lambda a, b: a.pow(b), float_pow, method=True),
        f"{_owner}.__lt__": comparison(operator.lt),
        f"{_owner}.__le__": comparison(operator.le),
        f"{_owner}.__gt__": comparison(operator.gt),
        f"{_owner}.__ge__": comparison(operator.ge),
        f"{_owner}.__eq__": comparison(operator.eq),
        f"{_owner}.__ne__": comparison(operator.ne),
        f"{_owner}.__float__": conversion(float, "float"),
        f"{_owner}.__int__": conversion(int, "int"),
        f"{_owner}.__bool__": plain(check_bool),
        f"{_owner}.__hash__": plain(check_hash),
        f"{_owner}.__str__": plain(check_str),
        f"{_owner}.__repr__": plain(check_repr),
        f"{_owner}.__format__": formatting(),
        f"{_owner}.unary": custom(custom_unary_cases),
        f"{_owner}.binary": custom(custom_binary_cases),
    }

# Attributes every class has that are not part of what a class offers its users.
NOT_API = {"__doc__", "__module__", "__new__", "__init__", "__weakref__", "__dict__"}


def public_names() -> set[str]:
    """``wengert.NAME`` for each name of ``__all__``; ``Class.attr`` for what each class defines."""
    names = set()
    for name in wengert.__all__:
        names.add(f"wengert.{name}")
        obj = getattr(wengert, name)
        if isinstance(obj, type) and not issubclass(obj, BaseException):
            names |= {f"{name}.{attr}" for attr in vars(obj) if attr not in NOT_API}
    return names


def test_every_public_name_is_in_the_matrix() -> None:
    missing = sorted(public_names() - MATRIX.keys())
    assert not missing, (
        f"public names with no entry in MATRIX (tests/test_misuse.py): {missing}; "
        "add one line each, e.g. '\"Trace.tan\": unary_method(math.tan)'"
    )


def test_every_matrix_entry_is_a_public_name() -> None:
    assert sorted(MATRIX.keys() - public_names()) == []


def test_the_walk_sees_the_whole_api() -> None:
    """The walk itself works: it finds methods, dunders and module functions."""
    names = public_names()
    for expected in ("wengert.sin", "Trace.sin", "Record.__radd__", "Derivatives.at"):
        assert expected in names
    assert "Trace.__new__" not in names


CASES = [
    pytest.param(check, id=f"{name}: {case}")
    for name, category in sorted(MATRIX.items())
    for case, check in category(name)
]


@pytest.mark.parametrize("check", CASES)
def test_misuse(check: Callable[[], None]) -> None:
    check()


def test_every_entry_has_cases() -> None:
    for name, category in MATRIX.items():
        assert category(name), name


# ------------------------------------------------------------------ fuzz: no panic reaches Python


def callables() -> st.SearchStrategy[Callable[..., object]]:
    results = st.one_of(st.floats(), st.integers(), st.none(), st.text(max_size=3), st.booleans())
    return results.map(lambda r: lambda *args: r)


def arguments(w: World) -> st.SearchStrategy[object]:
    objects = [
        w.x,
        w.y,
        w.stale,
        w.foreign,
        w.constant,
        w.trace,
        w.tape,
        w.cleared,
        w.old_derivatives,
    ]
    return st.one_of(
        st.floats(),
        st.integers(min_value=-(10**400), max_value=10**400),
        st.booleans(),
        st.none(),
        st.text(max_size=3),
        st.binary(max_size=3),
        st.lists(st.one_of(st.floats(), st.integers(-5, 5)), max_size=4),
        st.dictionaries(st.text(max_size=2), st.floats(), max_size=2),
        st.complex_numbers(),
        st.sampled_from(objects),
        callables(),
    )


def callable_names() -> list[str]:
    return sorted(public_names())


@settings(max_examples=200)
@given(data=st.data(), name=st.sampled_from(callable_names()))
def test_fuzz_no_panic(data: st.DataObject, name: str) -> None:
    """Any method with any arguments: a value, or a TypeError/ValueError/ArithmeticError."""
    w = world()
    owner, attr = split(name)
    receivers_by_owner: dict[str, list[object]] = {
        "wengert": [wengert],
        "Trace": [w.trace, Trace(math.nan, math.inf)],
        "Record": [w.x, w.stale, w.foreign, w.constant],
        "WengertList": [w.tape, w.cleared],
        "Derivatives": [w.old_derivatives, (w.x * w.y).derivatives()],
    }
    receiver = data.draw(st.sampled_from(receivers_by_owner[owner]))
    target = getattr(receiver, attr)
    args = data.draw(st.lists(arguments(w), max_size=4))
    kwargs = data.draw(
        st.dictionaries(
            st.sampled_from(["bogus", "number", "history", "exponent"]), arguments(w), max_size=1
        )
    )
    if not callable(target):
        return
    if attr == "__format__":
        args = [a for a in args if not isinstance(a, str)] or [
            "0"
        ]  # a width is float's to allocate
    try:
        target(*args, **kwargs)
    except (TypeError, ValueError, ArithmeticError):
        pass
    except BaseException as error:  # PanicException is a BaseException
        raise AssertionError(f"{name}{tuple(args)!r}: {type(error)!r} {error}") from error
