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
Record (made before ``tape.clear()``), a constant Record, a cleared tape, a value of
another mode (a Trace, a MultiTrace or a Record where one of the others is expected), a
MultiTrace with another number of tangents ``k``, numpy scalars, and keyword arguments
that do not exist. A MultiTrace's tangents must each be exactly what a Trace pass gives.
The functional API (``grad``, ``value_and_grad``, ``jacobian``, ``jvp``, ``vjp``) is
given functions that are not callable, ``argnums`` of the wrong type or out of range,
results that are not numbers or of the wrong shape or mode, an unknown ``mode``, and
tangents and cotangents of the wrong shape. ``record`` and the methods of a ``Recording``
(and ``hessian`` and ``hvp``, which record) are given points that are not numbers or
not of x0's form, bools, ints beyond the float range, NaN and infinities, functions
whose results are not numbers, and recordings whose branches or escapes refuse the point.

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
- MultiTraces with different ``k`` still compare by their numbers.
- ``copy.copy`` and ``copy.deepcopy`` of a Trace, MultiTrace, Record or Derivatives
  give the object itself (whatever the memo); pickling a Record, Derivatives or
  WengertList raises TypeError saying what to pickle instead.
- ``round(x)``, ``math.floor(x)`` and friends give a value of x's class holding the
  integer as a float; ``floor``, ``ceil`` and ``trunc`` (methods and functions) give
  the C library's float, infinities and NaN included.

Everything else raises a TypeError or ValueError subclass whose message names the
expected type or the remedy, and a failed operation leaves the tape as it was.
"""

from __future__ import annotations

import copy
import ctypes
import ctypes.util
import math
import operator
import pickle
import struct
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import wengert
from wengert import (
    BranchChangedError,
    ConstantRecordError,
    Derivatives,
    EscapedValueError,
    ImplicitConversionError,
    MixedModesError,
    MixedTapesError,
    MultiTrace,
    Record,
    Recording,
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
    multi: MultiTrace  # k = 2
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
        multi=MultiTrace(7.0, [1.0, -2.0]),
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
    if owner == "MultiTrace":
        return [
            Receiver("MultiTrace(v, [1, -0.5, 0])", lambda v: MultiTrace(v, [1.0, -0.5, 0.0])),
            Receiver("MultiTrace.constant(v, 0)", lambda v: MultiTrace.constant(v, 0)),
        ]
    return [
        Receiver("tape.variable", lambda v: WengertList().variable(v)),
        Receiver("Record.constant", Record.constant),
    ]


def two_trace(v: float) -> Trace:
    return Trace(v, 2.0)


def other_modes(owner: str, w: World) -> list[Any]:
    """Values of the other modes: for a Trace a Record and a MultiTrace, and so on."""
    every = {"Trace": w.trace, "MultiTrace": w.multi, "Record": w.x}
    return [value for kind, value in every.items() if kind != owner]


def other_k(w: World) -> MultiTrace:
    """A MultiTrace with a different number of tangents than ``w.multi``."""
    return MultiTrace(1.5, [1.0, 0.0, 3.0])


def fresh(owner: str, w: World) -> Any:
    """A current value of the class ``owner``."""
    if owner == "WengertList":
        return w.tape
    if owner == "Derivatives":
        return (w.x * w.y).derivatives()
    if owner == "Recording":
        return recordings()["sequence"]
    return {"Trace": w.trace, "MultiTrace": w.multi, "Record": w.x}[owner]


def values_of(owner: str, w: World) -> list[Any]:
    """Every kind of value of the class ``owner``."""
    if owner == "Record":
        return [w.x, w.stale, w.constant, w.foreign]
    if owner == "MultiTrace":
        return [w.multi, MultiTrace.constant(math.nan, 0)]
    if owner == "Derivatives":
        return [w.old_derivatives, (w.x * w.y).derivatives()]
    if owner == "WengertList":
        return [w.tape, w.cleared]
    if owner == "Recording":
        return list(recordings().values())
    return [w.trace, Trace(-0.0, math.nan)]


TANGENTS = [1.0, -0.5, 0.0, 3.0]


def tangents_match_traces(
    multi: tuple[str, Any], traces: list[tuple[str, Any]], context: object
) -> None:
    """Tangent ``i`` of a MultiTrace result is the derivative of the Trace pass ``i``, bit
    for bit; an error is the same error."""
    for i, single in enumerate(traces):
        if single[0] == "error":
            assert multi == single, (context, i)
            continue
        assert multi[0] == "value", (context, multi)
        assert same(multi[1].number, single[1].number), context
        assert same(multi[1].derivative[i], single[1].derivative), (context, i)


def stale_at(number: float) -> tuple[Record, WengertList]:
    """A stale record (made before its tape's clear()) at ``number``, and its tape."""
    tape = WengertList()
    record = tape.variable(number)
    tape.clear()
    return record, tape


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
            record, tape = stale_at(1.5 if attr in ("acosh", "arccosh") else 0.5)
            raises(StaleRecordError, lambda: call(record), "reset()")
            assert len(tape) == 0

        def tangents() -> None:
            for v in EDGE_FLOATS:
                multi = outcome(call, MultiTrace(v, TANGENTS))
                traces = [outcome(call, Trace(v, d)) for d in TANGENTS]
                tangents_match_traces(multi, traces, (name, v))

        result = [("edges", edges), *common_arity_cases(owner, attr, 0)]
        if owner == "Record":
            result += [("forward equals reverse", forward_equals_reverse), ("stale", stale)]
        if owner == "MultiTrace":
            result.append(("tangents equal Trace passes", tangents))
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
            for other in other_modes(owner, w):
                raises(
                    MixedModesError,
                    lambda: apply(fresh(owner, w), other),
                    owner,
                    type(other).__name__,
                )

        def different_k() -> None:
            w = world()
            for pair in ((w.multi, other_k(w)), (other_k(w), w.multi)):
                raises(ValueError, lambda: apply(*pair), "different numbers of tangents", "same k")

        def tangents() -> None:
            for v in EDGE_FLOATS:
                for c in EDGE_OPERANDS:  # with a constant
                    multi = outcome(apply, MultiTrace(v, TANGENTS), c)
                    traces = [outcome(apply, Trace(v, d), c) for d in TANGENTS]
                    tangents_match_traces(multi, traces, (name, v, c))
                for c in EDGE_FLOATS:  # with a MultiTrace: each tangent pair is one Trace pass
                    others = [-2.0, 1.0, 0.5, 0.0]
                    multi = outcome(apply, MultiTrace(v, TANGENTS), MultiTrace(c, others))
                    traces = [
                        outcome(apply, Trace(v, d), Trace(c, e))
                        for d, e in zip(TANGENTS, others, strict=True)
                    ]
                    tangents_match_traces(multi, traces, (name, v, c))

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
        if owner == "MultiTrace":
            result += [("different k", different_k), ("tangents equal Trace passes", tangents)]
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
            for other in other_modes(owner, w):
                receiver = fresh(owner, w)
                if equality:
                    assert op(receiver, other) == (op is operator.ne)
                    assert op(other, receiver) == (op is operator.ne)
                else:
                    words = (owner, type(other).__name__, "not supported")
                    raises(TypeError, lambda: op(receiver, other), *words)
                    raises(TypeError, lambda: op(other, receiver), *words)

        def different_k_compare_numbers() -> None:
            w = world()
            for other in (other_k(w), MultiTrace.constant(7.0, 0)):
                assert op(w.multi, other) == op(w.multi.number, other.number)
                assert op(other, w.multi) == op(other.number, w.multi.number)

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
        if owner == "MultiTrace":
            result.append(("different k compare numbers", different_k_compare_numbers))
        return result

    return cases


def conversion(convert: Callable[[Any], object], target: str) -> Category:
    """``float(x)`` and ``int(x)`` would drop the derivative: ImplicitConversionError."""

    def cases(name: str) -> list[Case]:
        owner, attr = split(name)

        def refuses() -> None:
            w = world()
            for value in values_of(owner, w):
                words = (".number", target, owner)
                error = raises(ImplicitConversionError, lambda: convert(value), *words)
                assert isinstance(error, TypeError)

        def math_functions_refuse() -> None:
            w = world()
            raises(ImplicitConversionError, lambda: math.sin(fresh(owner, w)), "wengert.sin")
            raises(ImplicitConversionError, lambda: math.atan2(fresh(owner, w), 1), "wengert.sin")
            raises(ImplicitConversionError, lambda: math.hypot(1, fresh(owner, w)), ".number")

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


def check_conjugate(value: Any, v: float) -> None:
    assert value.conjugate() is value


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
            for value in values_of(owner, w):
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
            for value in (w.x, w.trace, w.constant, w.multi):
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
        if owner == "MultiTrace":
            assert all(math.isnan(d) for d in value.derivative)

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
        for other in other_modes(owner, w):
            words = (owner, type(other).__name__)
            raises(MixedModesError, lambda: call(fresh(owner, w), other), *words)

    def different_k() -> None:
        w = world()
        calls: list[float] = []

        def spy(x: float, y: float) -> float:
            calls.append(x)
            return x

        raises(ValueError, lambda: call(w.multi, other_k(w), spy, spy, spy), "tangents")
        assert calls == []

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
    if owner == "MultiTrace":
        result.append(("different k runs nothing", different_k))
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


def kinds_at(v: float) -> list[Any]:
    """A Trace, a MultiTrace and Records (a variable, a constant) at the number ``v``."""
    return [
        Trace.variable(v),
        MultiTrace(v, [1.0, -0.5]),
        WengertList().variable(v),
        Record.constant(v),
    ]


def pairs_at(a: float, b: float) -> list[tuple[Any, Any]]:
    """Two Traces, two MultiTraces, two Records of one tape, two constant Records."""
    tape = WengertList()
    return [
        (Trace.variable(a), Trace(b, 0.5)),
        (MultiTrace(a, [1.0, 0.0]), MultiTrace(b, [0.0, 1.0])),
        (tape.variable(a), tape.variable(b)),
        (Record.constant(a), Record.constant(b)),
    ]


def math_function(reference: Callable[..., float], arguments: int = 1) -> Category:
    """``wengert.sin(x)`` and friends: math's function on plain numbers, the method otherwise.

    ``arguments``: how many positional arguments the function takes (2 for ``log(x, base)``).
    """

    def cases(name: str) -> list[Case]:
        _, attr = split(name)
        function = getattr(wengert, attr)

        def not_a_number() -> None:
            w = world()
            # math's own message, or for the functions math rounds to ints, wengert's
            words = "takes a float" if attr in ("floor", "ceil", "trunc") else "real number"
            for bad in not_numbers(w).values():
                raises(TypeError, lambda: function(bad), words)

        def numbers() -> None:
            for v in EDGE_OPERANDS:
                expected, got = outcome(reference, v), outcome(function, v)
                if expected[0] == "value":
                    assert got[0] == "value" and type(got[1]) is float, (v, got)
                    assert same(got[1], expected[1]), (v, got, expected)
                else:
                    assert got == expected, v
                if not isinstance(v, float):
                    continue
                if not math.isfinite(v) or abs(v) < 1e38:  # numpy's scalars are numbers too
                    scalar = np.float32(v)
                    single = outcome(reference, float(scalar))
                    got = outcome(function, scalar)
                    assert got[0] == single[0], (name, scalar, got, single)
                    assert got == single or same(got[1], single[1]), (name, scalar, got)
                for value in kinds_at(v):
                    got = outcome(function, value)
                    context = (name, value)
                    if expected[0] == "error":
                        assert got == expected, context
                    else:
                        assert got[0] == "value" and type(got[1]) is type(value), (context, got)
                        assert same(got[1].number, expected[1]), context

        def stale_and_arity() -> None:
            record, _ = stale_at(1.5 if attr == "acosh" else 0.5)
            raises(StaleRecordError, lambda: function(record), "reset()")
            raises(TypeError, lambda: function(*[1.0] * (arguments + 1)), "argument")
            raises(TypeError, lambda: function(1.0, bogus_keyword=1), "keyword")
            raises(TypeError, lambda: function(), "missing")

        return [
            ("not a number", not_a_number),
            ("numbers", numbers),
            ("stale, arity", stale_and_arity),
        ]

    return cases


def binary_function(reference: Callable[[float, float], float]) -> Category:
    """``wengert.pow(x, y)``, ``atan2(y, x)``, ``hypot(x, y)``: any mix of plain numbers,
    Traces, MultiTraces and Records; the function of ``math`` (or float's ``**``) on plain
    numbers, bit for bit, errors included."""

    def cases(name: str) -> list[Case]:
        _, attr = split(name)
        function = getattr(wengert, attr)

        def not_a_number() -> None:
            w = world()
            for kind, bad in not_numbers(w).items():
                try:
                    for args in ((bad, 2.0), (2.0, bad)):
                        raises(TypeError, lambda: function(*args), type(bad).__name__)
                    raises(TypeError, lambda: function(w.x, bad), "Record", type(bad).__name__)
                    for value in (w.trace, w.multi):
                        raises(TypeError, lambda: function(bad, value), type(bad).__name__)
                        raises(TypeError, lambda: function(value, bad), type(bad).__name__)
                    # (with a Trace, MultiTrace or Record first, its method answers: it
                    # takes its own kind and plain numbers, and says so)
                    for args in ((bad, 2.0), (2.0, bad), (bad, w.trace)):
                        text = str(raises(TypeError, lambda: function(*args)))
                        if "takes" in text:  # a list of what it takes must be complete
                            for taken in ("float", "int", "Trace", "MultiTrace", "Record"):
                                assert taken in text, (args, text)
                except AssertionError as failure:
                    raise AssertionError(f"{name} with {kind}: {failure}") from None

        def numbers() -> None:
            for a in EDGE_OPERANDS:
                for b in EDGE_OPERANDS:
                    expected, got = outcome(reference, a, b), outcome(function, a, b)
                    if expected[0] == "error":
                        assert got == expected, (a, b)
                    else:
                        assert got[0] == "value" and type(got[1]) is float, (a, b, got)
                        assert same(got[1], expected[1]), (a, b, got)

        def values() -> None:
            for a in EDGE_FLOATS:
                for b in EDGE_FLOATS:
                    expected = outcome(reference, a, b)
                    for left, right in pairs_at(a, b):
                        for args in ((left, b), (a, right), (left, right)):
                            got = outcome(function, *args)
                            if expected[0] == "error":
                                assert got == expected, (name, args)
                            else:
                                assert got[0] == "value", (name, args, got)
                                assert same(got[1].number, expected[1]), (name, args)

        def misuse() -> None:
            w = world()
            raises(MixedTapesError, lambda: function(w.x, w.foreign), "same tape")
            raises(StaleRecordError, lambda: function(2.0, w.stale), "reset()")
            raises(StaleRecordError, lambda: function(w.stale, w.x), "reset()")
            for a, b in ((w.trace, w.x), (w.x, w.trace), (w.multi, w.trace), (w.x, w.multi)):
                words = (type(a).__name__, type(b).__name__)
                raises(MixedModesError, lambda: function(a, b), *words)
            raises(ValueError, lambda: function(w.multi, other_k(w)), "tangents")
            raises(TypeError, lambda: function(1.0, 2.0, 3.0), "argument")
            raises(TypeError, lambda: function(1.0), "missing")
            raises(TypeError, lambda: function(1.0, 2.0, bogus_keyword=1), "keyword")

        return [
            ("not a number", not_a_number),
            ("numbers", numbers),
            ("values", values),
            ("misuse", misuse),
        ]

    return cases


def log_base_cases(owner: str, attr: str) -> list[Case]:
    """``wengert.log(x, base)``: ``math.log(x, base)`` bit for bit, with derivatives in both."""
    bases: list[Any] = [2.0, 10, 1.0, 0.5, 0.0, -2.0, math.inf, math.nan, True, 10**400]

    def numbers() -> None:
        for x in EDGE_OPERANDS:
            for base in bases:
                expected, got = outcome(math.log, x, base), outcome(wengert.log, x, base)
                if expected[0] == "error":
                    assert got == expected, (x, base)
                else:
                    assert got[0] == "value" and same(got[1], expected[1]), (x, base, got)
            plain, default = outcome(wengert.log, x, None), outcome(wengert.log, x)
            assert plain[0] == default[0] and (plain[0] == "error" or same(plain[1], default[1]))
            if isinstance(x, float):
                for base in (2.0, 1.0, 0.5, -1.0):
                    expected = outcome(math.log, x, base)
                    for args in ((Trace.variable(x), base), (x, Trace.variable(base))):
                        got = outcome(wengert.log, *args)
                        if expected[0] == "error":
                            assert got == expected, args
                        else:
                            assert got[0] == "value" and same(got[1].number, expected[1]), args

    def derivatives() -> None:
        tape = WengertList()
        x, b = tape.variable(8.0), tape.variable(2.0)
        d = wengert.log(x, b).derivatives()
        assert math.isclose(d[x], 1 / (8.0 * math.log(2.0)), rel_tol=1e-15)
        assert math.isclose(d[b], -math.log(8.0) / (2.0 * math.log(2.0) ** 2), rel_tol=1e-15)
        forward = wengert.log(*MultiTrace.variables([8.0, 2.0])).derivative
        assert forward.tolist() == [d[x], d[b]]
        assert wengert.log(x, base=2.0).number == 3.0

    def misuse() -> None:
        w = world()
        for bad in not_numbers(w).values():
            if bad is None:
                continue  # log(x, None) is log(x)
            raises(TypeError, lambda: wengert.log(2.0, bad), "real number")
            raises(TypeError, lambda: wengert.log(w.trace, bad), type(bad).__name__)
        raises(ZeroDivisionError, lambda: wengert.log(w.x, 1.0))
        raises(MixedModesError, lambda: wengert.log(w.trace, w.x), "Record")
        raises(MixedModesError, lambda: wengert.log(w.multi, w.trace), "MultiTrace")
        raises(MixedTapesError, lambda: wengert.log(w.x, w.foreign), "same tape")
        raises(StaleRecordError, lambda: wengert.log(w.x, w.stale), "reset()")
        raises(ValueError, lambda: wengert.log(w.multi, other_k(w)), "tangents")

    return [
        ("base: numbers", numbers),
        ("base: derivatives", derivatives),
        ("base: misuse", misuse),
    ]


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


def first_tangent(value: MultiTrace) -> float:
    return float(value.derivative[0])


# --- rounding: round(), math.floor() and friends


def integral(function: Callable[[float], int]) -> Callable[[float], float]:
    """``math.floor`` and friends as the dunders give them: the integer as a float, with
    the sign of ``v`` on a zero, as the C library's floor, ceil and trunc give it."""
    return lambda v: math.copysign(float(function(v)), v)


def c_math(name: str) -> Callable[[float], float]:
    """``math.exp2`` and ``math.cbrt`` (Python 3.11); before that, the same C library
    function, with the OverflowError ``math`` raises where it overflows."""
    if hasattr(math, name):
        return cast(Callable[[float], float], getattr(math, name))
    function = getattr(ctypes.CDLL(ctypes.util.find_library("m")), name)
    function.restype, function.argtypes = ctypes.c_double, [ctypes.c_double]

    def reference(v: float) -> float:
        result = float(function(float(v)))
        if math.isinf(result) and math.isfinite(v):
            raise OverflowError("math range error")
        return result

    return reference


def c_rounding(function: Callable[[float], Any]) -> Callable[[float], float]:
    """``floor``, ``ceil``, ``trunc`` as the C library gives them: a float, infinities
    and NaN unchanged, the sign of a zero kept."""
    return lambda v: float(function(float(v)))


def derivative_is_zero(value: Any, tape: WengertList | None, source: Any) -> bool:
    if isinstance(value, Trace):
        return value.derivative == 0.0
    if isinstance(value, MultiTrace):
        return all(d == 0.0 for d in value.derivative.tolist())
    if tape is None:
        return value.history is None
    return value.derivatives()[source] == 0.0


def rounding() -> Category:
    """``round(x)`` and ``round(x, n)``: ``round()`` of the float (the first as a float), of
    the class of ``x``, derivative 0; ``n`` must be an integer, as for a float."""

    def cases(name: str) -> list[Case]:
        owner, _ = split(name)
        digits: list[Any] = [None, 0, 2, -1, 400, -400, 10**400, -(10**400), True, np.int64(1)]

        def reference(v: float, n: Any) -> float:
            return float(round(v)) if n is None else round(v, n)

        def edges() -> None:
            for receiver in receivers(owner):
                for v in EDGE_FLOATS:
                    for n in digits:
                        value, tape = receiver(v)
                        expected = outcome(reference, v, n)
                        got = outcome(round, value) if n is None else outcome(round, value, n)
                        context = (name, receiver.name, v, n)
                        if expected[0] == "error":
                            assert got == expected, context
                            continue
                        assert got[0] == "value" and type(got[1]) is type(value), (context, got)
                        assert same(got[1].number, expected[1]), (context, got[1], expected)
                        assert derivative_is_zero(got[1], tape, value), context

        def not_an_integer() -> None:
            w = world()
            for bad in [*not_numbers(w).values(), 1.5, math.nan, w.trace, w.multi, w.x]:
                if bad is None:
                    continue  # round(x, None) is round(x)
                expected = outcome(round, 2.5, bad)
                assert expected == ("error", TypeError), bad
                raises(TypeError, lambda: round(fresh(owner, w), bad), "integer")

        def arity() -> None:
            w = world()
            raises(TypeError, lambda: fresh(owner, w).__round__(1, 2), "argument")
            raises(TypeError, lambda: fresh(owner, w).__round__(bogus_keyword=1), "keyword")
            value = fresh(owner, w)
            assert same(value.__round__(ndigits=-1).number, round(value.number, -1))

        def stale() -> None:
            w = world()
            tape_length_unchanged(
                w, lambda: raises(StaleRecordError, lambda: round(w.stale, 1), "reset()")
            )

        result = [("edges", edges), ("not an integer", not_an_integer), ("arity", arity)]
        if owner == "Record":
            result.append(("stale", stale))
        return result

    return cases


# --- MultiTrace: constructor, constant, variables


def multi_trace_constructor_cases(owner: str, attr: str) -> list[Case]:
    def not_a_sequence() -> None:
        w = world()
        for kind, bad in not_numbers(w).items():
            if kind in ("list", "tuple", "derivatives"):
                continue  # numbers: legitimate
            if kind == "dict":
                words: tuple[str, ...] = ("real number",)  # iterates its keys, which are str
            else:
                words = ("iterable of numbers", "1-D numpy array", type(bad).__name__)
            raises(TypeError, lambda: MultiTrace(1.0, bad), *words)
        for items in ([1.0, None], [1.0, "2"], [[1.0]]):
            raises(TypeError, lambda: MultiTrace(1.0, items), "real number")
        for items in ([w.x], [w.trace], [w.multi]):
            raises(ImplicitConversionError, lambda: MultiTrace(1.0, items), ".number")
        raises(OverflowError, lambda: MultiTrace(1.0, [1.0, 10**400]), "too large")
        for array in (np.zeros((2, 2)), np.float64(1.0), np.zeros(())):
            raises(TypeError, lambda: MultiTrace(1.0, array), "one-dimensional", "ravel()")
        raises(TypeError, lambda: MultiTrace(1.0), "missing")  # type: ignore[call-arg]

    def legitimate() -> None:
        w = world()
        m = MultiTrace(True, [True, math.nan, -math.inf, 3, np.float32(0.5), -0.0])
        assert m.number == 1.0 and m.k == 6
        got = m.derivative.tolist()
        assert got[0] == 1.0 and math.isnan(got[1]) and got[2:5] == [-math.inf, 3.0, 0.5]
        assert same(got[5], -0.0)
        assert MultiTrace(2.0, np.arange(10.0)[::3]).derivative.tolist() == [0.0, 3.0, 6.0, 9.0]
        assert MultiTrace(2.0, (x * 1.0 for x in range(3))).k == 3
        assert MultiTrace(2.0, []).k == 0
        assert MultiTrace(2.0, w.old_derivatives).derivative.tolist() == [10.0, 1.0]
        assert MultiTrace(number=2.0, derivative=[1.0]).k == 1

    return [("derivative: not a sequence", not_a_sequence), ("derivative: legitimate", legitimate)]


def multi_constant_cases(owner: str, attr: str) -> list[Case]:
    def wrong_k() -> None:
        w = world()
        for bad in [*not_numbers(w).values(), 1.5, math.nan, w.trace]:
            raises(TypeError, lambda: MultiTrace.constant(1.0, bad), "integer")
        raises(ValueError, lambda: MultiTrace.constant(1.0, -1), "cannot be negative")
        for huge in (10**400, -(2**70)):
            raises(OverflowError, lambda: MultiTrace.constant(1.0, huge), "too large")
        raises(TypeError, lambda: MultiTrace.constant(1.0), "missing")  # type: ignore[call-arg]

    def legitimate() -> None:
        for k, expected in ((0, 0), (3, 3), (True, 1), (np.int64(2), 2)):
            m = MultiTrace.constant(-0.0, k)
            assert m.k == expected and m.derivative.tolist() == [0.0] * expected
            assert same(m.number, -0.0)

    return [("k: wrong", wrong_k), ("k: legitimate", legitimate)]


def multi_variables_cases(owner: str, attr: str) -> list[Case]:
    def not_an_iterable_of_numbers() -> None:
        w = world()
        for kind, bad in not_numbers(w).items():
            if kind in ("list", "tuple", "derivatives"):
                continue  # legitimate: see below
            words: tuple[str, ...] = (
                ("real number",) if kind == "dict" else ("iterable of numbers", "1-D numpy array")
            )
            raises(TypeError, lambda: MultiTrace.variables(bad), *words)
        for items in ([1.0, None], [1.0, "2"], [[1.0]]):
            raises(TypeError, lambda: MultiTrace.variables(items), "real number")
        for items in ([w.x], [w.trace], [w.multi]):
            raises(ImplicitConversionError, lambda: MultiTrace.variables(items), ".number")
        raises(OverflowError, lambda: MultiTrace.variables([1.0, 10**400]), "too large")
        for array in (np.zeros((2, 3)), np.float64(1.0)):
            raises(TypeError, lambda: MultiTrace.variables(array), "one-dimensional")

    def legitimate() -> None:
        w = world()
        xs = MultiTrace.variables([True, math.nan, -math.inf, 3, np.float32(0.5)])
        assert [m.k for m in xs] == [5] * 5
        assert np.array_equal(np.array([m.derivative for m in xs]), np.eye(5))
        assert MultiTrace.variables([]) == []
        assert [m.number for m in MultiTrace.variables(w.old_derivatives)] == [10.0, 1.0]
        assert [m.number for m in MultiTrace.variables(np.arange(4.0)[::2])] == [0.0, 2.0]

    return [
        ("not an iterable of numbers", not_an_iterable_of_numbers),
        ("legitimate", legitimate),
        *common_arity_cases("MultiTrace", "variables", 1),
    ]


def fresh_array_cases(owner: str, attr: str) -> list[Case]:
    def fresh_each_time() -> None:
        w = world()
        d = w.multi.derivative
        assert d.dtype == np.float64 and d.shape == (2,)
        d[0] = 99.0
        assert w.multi.derivative.tolist() == [1.0, -2.0]
        assert MultiTrace.constant(1.0, 0).derivative.shape == (0,)

    return [("a new array each time", fresh_each_time)]


# --- pickle and copy


def pickles(owner: str) -> bool:
    """Trace and MultiTrace are plain values; the rest belong to a live tape."""
    return owner in ("Trace", "MultiTrace")


# What the refusal to pickle says to pickle instead.
PICKLE_INSTEAD = {
    "Record": "record.number",
    "Derivatives": "numpy.asarray(d)",
    "WengertList": "WengertList()",
    "Recording": "wengert.record(f, x0)",
}


def bits(value: Any) -> list[bytes]:
    """A Trace's or MultiTrace's number and derivatives, as their bytes."""
    derivatives = np.atleast_1d(value.derivative).tolist()
    return [struct.pack("<d", d) for d in [value.number, *derivatives]]


def reduce_cases(owner: str, attr: str) -> list[Case]:
    def behaviour() -> None:
        w = world()
        for value in values_of(owner, w):
            if pickles(owner):
                cls, args = value.__reduce__()
                assert cls is type(value) and bits(cls(*args)) == bits(value)
                for protocol in (0, pickle.HIGHEST_PROTOCOL):
                    back = pickle.loads(pickle.dumps(value, protocol=protocol))
                    assert type(back) is type(value)
                    assert protocol == 0 or bits(back) == bits(value)
            else:
                for attempt in (value.__reduce__, lambda: pickle.dumps(value)):
                    tape_length_unchanged(
                        w,
                        lambda: raises(
                            TypeError, attempt, "cannot be pickled", PICKLE_INSTEAD[owner]
                        ),
                    )

    return [("behaviour", behaviour), *common_arity_cases(owner, attr, 0)]


def buffer_cases(owner: str, attr: str) -> list[Case]:
    """``__buffer__`` and ``__release_buffer__``: the buffer protocol, which Python 3.12 and
    later show as these two methods (PEP 688); ``memoryview(d)`` calls them."""
    full_read_only = 0x11C  # inspect.BufferFlags.FULL_RO: strides, format, read-only
    writable = 0x1  # inspect.BufferFlags.WRITABLE

    def behaviour() -> None:
        w = world()
        d = (w.x * w.y).derivatives()
        view = d.__buffer__(full_read_only)
        assert (view.format, view.readonly, view.tolist()) == ("d", True, [3.0, 2.0, 1.0])
        assert d.__release_buffer__(view) is None
        view.release()
        raises(BufferError, lambda: d.__buffer__(writable), "read-only")

    def misuse() -> None:
        w = world()
        d = w.old_derivatives
        for bad in not_numbers(w).values():
            if not isinstance(bad, int):
                raises(TypeError, lambda: d.__buffer__(bad), "integer")
            if not isinstance(bad, memoryview):
                raises(TypeError, lambda: d.__release_buffer__(bad), "memoryview")
        raises(ValueError, lambda: d.__release_buffer__(memoryview(b"ab")), "not this object")
        raises(TypeError, lambda: getattr(d, attr)(), "argument")
        raises(TypeError, lambda: getattr(d, attr)(0, 0), "argument")

    return [("behaviour", behaviour), ("misuse", misuse)]


def copy_cases(owner: str, attr: str) -> list[Case]:
    deep = attr == "__deepcopy__"

    def itself() -> None:
        w = world()
        for value in values_of(owner, w):
            assert (value.__deepcopy__({}) if deep else value.__copy__()) is value
            assert (copy.deepcopy(value) if deep else copy.copy(value)) is value
            if deep:
                assert value.__deepcopy__(None) is value  # the memo is not used
                assert value.__deepcopy__(memo={}) is value
                nested = copy.deepcopy({"a": [value, value]})
                assert nested["a"][0] is value and nested["a"][1] is value

    def arity() -> None:
        w = world()
        value = fresh(owner, w)
        if deep:
            raises(TypeError, lambda: value.__deepcopy__(), "missing")
            raises(TypeError, lambda: value.__deepcopy__({}, {}), "argument")
            raises(TypeError, lambda: value.__deepcopy__({}, bogus_keyword=1), "keyword")
        else:
            raises(TypeError, lambda: value.__copy__({}), "argument")
            raises(TypeError, lambda: value.__copy__(bogus_keyword=1), "keyword")

    return [("the object itself", itself), ("arity", arity)]


def array_priority_cases(owner: str, attr: str) -> list[Case]:
    """Above numpy's scalars (which hand the operation over) and below its arrays."""

    def priority() -> None:
        w = world()
        cls = type(fresh(owner, w))
        value = cls.__array_priority__
        assert type(value) is float
        assert np.float64(1.0).__array_priority__ < value < np.zeros(1).__array_priority__
        for scalar in (np.float32(2.0), np.int64(2), np.uint8(2), np.bool_(True)):
            assert type(scalar * fresh(owner, w)) is cls, scalar
            assert type(fresh(owner, w) - scalar) is cls, scalar
        product = np.array([2.0, 3.0]) * fresh(owner, w)
        assert product.dtype == object and all(type(p) is cls for p in product)

    return [("between numpy scalars and arrays", priority)]


# --- the functional API


def square(v: Any) -> Any:
    return v * v


def reverse_mode(attr: str) -> bool:
    return attr in ("grad", "value_and_grad", "vjp")


def at_one(attr: str, f: Callable[..., Any], mode: str = "auto") -> Callable[[], object]:
    """A call of the function ``attr`` of the functional API differentiating ``f`` at 1.0."""
    if attr == "grad":
        return lambda: wengert.grad(f)(1.0)
    if attr == "value_and_grad":
        return lambda: wengert.value_and_grad(f)(1.0)
    if attr == "jacobian":
        return lambda: wengert.jacobian(f, mode=mode)(1.0)
    if attr == "jvp":
        return lambda: wengert.jvp(f, (1.0,), (1.0,))
    return lambda: wengert.vjp(f, 1.0)


def at(attr: str, f: Callable[..., Any], x: Any) -> Callable[[], object]:
    """The same at the argument ``x`` (for jvp, ``x`` is the tangent too)."""
    if attr == "jvp":
        return lambda: wengert.jvp(f, (x,), (x,))
    if attr == "vjp":
        return lambda: wengert.vjp(f, x)
    return lambda: getattr(wengert, attr)(f)(x)


def functional_cases(owner: str, attr: str) -> list[Case]:
    """Misuse shared by grad, value_and_grad, jacobian, jvp and vjp."""
    modes = ("forward", "reverse", "auto") if attr == "jacobian" else ("auto",)

    def not_callable() -> None:
        for bad in (None, 1.0, "f", [square]):
            make = {
                "grad": lambda: wengert.grad(bad),
                "value_and_grad": lambda: wengert.value_and_grad(bad),
                "jacobian": lambda: wengert.jacobian(bad),
                "jvp": lambda: wengert.jvp(bad, (1.0,), (1.0,)),
                "vjp": lambda: wengert.vjp(bad, 1.0),
            }[attr]
            raises(TypeError, make, "needs a function", type(bad).__name__)

    def results_not_numbers() -> None:
        w = world()
        for bad in ["2.0", None, True, np.bool_(False), b"1", 2j, object(), {"a": 1.0}, w.tape]:
            for mode in modes:
                call = at_one(attr, lambda v: bad, mode)
                raises(TypeError, call, "f must return numbers", type(bad).__name__)
                call = at_one(attr, lambda v: [v, bad], mode)
                if attr not in ("grad", "value_and_grad"):
                    raises(TypeError, call, "f must return numbers", type(bad).__name__)

    def results_of_another_mode() -> None:
        w = world()
        for mode in modes:
            # What f receives: jvp Traces, jacobian's forward mode MultiTraces (one pass), the
            # rest Records ("auto" at one input with one output is reverse mode).
            receives = "Trace" if attr == "jvp" else "MultiTrace" if mode == "forward" else "Record"
            others = {"Trace": w.trace, "MultiTrace": w.multi, "Record": w.x}
            wrong = [value for kind, value in others.items() if kind != receives]
            if receives != "Record":
                wrong.append(Record.constant(1.0))
            for value in wrong:
                words = (type(value).__name__, f"f receives {receives}s")
                raises(MixedModesError, at_one(attr, lambda v: value, mode), *words)
                # combining with f's argument: the engine's error
                raises(MixedModesError, at_one(attr, lambda v: v + value, mode))
            if receives == "Record":
                raises(MixedTapesError, at_one(attr, lambda v: w.foreign, mode), "WengertList")
                raises(MixedTapesError, at_one(attr, lambda v: v * w.foreign, mode), "tape")

    def arguments_not_numbers() -> None:
        w = world()
        bads: list[Any] = [
            "1.0",
            None,
            b"1",
            {"x": 1.0},
            2j,
            object(),
            True,
            w.trace,
            w.multi,
            w.x,
            w.stale,
            [1.0, "a"],
            [1.0, None],
            [w.x],
            [w.trace],
            np.array([True]),
            np.array(["a"]),
        ]
        for bad in bads:
            try:
                raises(TypeError, at(attr, lambda v: 1.0, bad), "number")
            except AssertionError as failure:
                raise AssertionError(f"{attr} at {bad!r}: {failure}") from None
        raises(ValueError, at(attr, lambda v: 1.0, [[1.0], [1.0, 2.0]]), "rectangular")
        raises(OverflowError, at(attr, square, 10**400), "too large")
        raises(OverflowError, at(attr, lambda v: 1.0, [1.0, 10**400]), "too large")

    def user_errors_propagate() -> None:
        def fail(v: Any) -> Any:
            raise ZeroDivisionError("from the user's function")

        for mode in modes:
            raises(ZeroDivisionError, at_one(attr, fail, mode), "user's")

    def legitimate() -> None:
        for mode in modes:
            at_one(attr, lambda v: 2.0, mode)()  # a constant result: derivative 0
        derivative: Any = {
            "grad": lambda x: wengert.grad(square)(x),
            "value_and_grad": lambda x: wengert.value_and_grad(square)(x)[1],
            "jacobian": lambda x: wengert.jacobian(square)(x)[0, 0],
            "jvp": lambda x: wengert.jvp(square, (x,), (1.0,))[1],
            "vjp": lambda x: wengert.vjp(square, x)[1](1.0)[0],
        }[attr]
        assert derivative(3.0) == 6.0
        assert derivative(3) == 6.0 and derivative(np.float32(3.0)) == 6.0
        assert math.isnan(derivative(math.nan))
        assert derivative(math.inf) == math.inf

    return [
        ("f not callable", not_callable),
        ("results that are not numbers", results_not_numbers),
        ("results of another mode", results_of_another_mode),
        ("arguments that are not numbers", arguments_not_numbers),
        ("user errors propagate", user_errors_propagate),
        ("legitimate", legitimate),
    ]


def grad_cases(owner: str, attr: str) -> list[Case]:
    """grad and value_and_grad: argnums, and f's result must be one number."""
    make = getattr(wengert, attr)

    def product(a: Any, b: Any) -> Any:
        return a * b

    def argnums_wrong_type() -> None:
        for bad in (1.5, "0", None, True, [0, "1"], (0, 1.5), (0, None)):
            raises(TypeError, lambda: make(product, argnums=bad), "argnums", "int or a tuple")

    def argnums_wrong_value() -> None:
        raises(ValueError, lambda: make(product, argnums=()), "at least one")
        raises(ValueError, lambda: make(product, argnums=(0, 0)), "twice")
        raises(ValueError, lambda: make(product, argnums=(0, -2))(1.0, 2.0), "twice")
        for argnums in (2, -3, (0, 2)):
            raises(
                TypeError,
                lambda: make(product, argnums=argnums)(1.0, 2.0),
                "argnums",
                "2 positional",
            )
        raises(TypeError, lambda: make(square)(), "argnums", "0 positional")

    def one_number() -> None:
        for result in ([1.0, 2.0], (1.0,), np.ones(3), [[1.0]]):
            raises(TypeError, lambda: make(lambda v: result)(1.0), "one number", "jacobian or vjp")
        raises(TypeError, lambda: make(lambda v: [v, v])(1.0), "one number", "sum them")

    def arity() -> None:
        raises(TypeError, lambda: make(square, 0, 1), "argument")
        raises(TypeError, lambda: make(square, bogus_keyword=1), "keyword")
        raises(TypeError, lambda: make(square)(1.0, bogus_keyword=1), "keyword")  # f's

    def legitimate() -> None:
        scaled = make(lambda a, b, scale: a * b * scale, argnums=(1, -2))
        got = scaled(3.0, 4.0, scale=2.0)
        gradient = got[1] if attr == "value_and_grad" else got
        assert gradient == (6.0, 8.0)

    return [
        ("argnums: wrong type", argnums_wrong_type),
        ("argnums: wrong value", argnums_wrong_value),
        ("result: one number", one_number),
        ("arity", arity),
        ("argnums: legitimate", legitimate),
    ]


def jacobian_cases(owner: str, attr: str) -> list[Case]:
    def unknown_mode() -> None:
        for bad in ("sideways", "Forward", "", None, 1, b"forward"):
            raises(
                ValueError,
                lambda: wengert.jacobian(square, mode=bad),
                "'forward', 'reverse' or 'auto'",
            )

    def shapes() -> None:
        for mode in ("forward", "reverse", "auto"):
            raises(
                ValueError, lambda: wengert.jacobian(square, mode)(np.ones((2, 2))), "1-D", "ravel"
            )
            many = wengert.jacobian(lambda v: [[v[0]], [v[1]]], mode)
            raises(ValueError, lambda: many([1.0, 2.0]), "1-D", "ravel")
            ragged = wengert.jacobian(lambda v: [v[0], [v[0], v[1]]], mode)
            raises(TypeError, lambda: ragged([1.0, 2.0]), "f must return numbers", "list")

    def foreign_multi_traces() -> None:
        """In forward mode f receives MultiTraces with k = n; one it made itself with another
        k cannot be combined with them, and so cannot be its result either."""
        at = [1.0, 2.0]
        for k in (1, 3, 0):
            for result in ([MultiTrace.constant(5.0, k)], [MultiTrace(5.0, [1.0] * k), 1.0]):
                call = wengert.jacobian(lambda v: result, "forward")
                raises(ValueError, lambda: call(at), "tangents")
            raises(
                ValueError,
                lambda: wengert.jacobian(lambda v: v[0] + MultiTrace.constant(5.0, k), "forward")(
                    at
                ),
                "tangents",
            )
        constant = wengert.jacobian(lambda v: [MultiTrace.constant(5.0, 2), v[0]], "forward")
        assert constant(at).tolist() == [[0.0, 0.0], [1.0, 0.0]]

    def arity() -> None:
        raises(TypeError, lambda: wengert.jacobian(square, "auto", 1), "argument")
        raises(TypeError, lambda: wengert.jacobian(square, bogus_keyword=1), "keyword")
        raises(TypeError, lambda: wengert.jacobian(square)(1.0, 2.0), "argument")

    def legitimate() -> None:
        for mode in ("forward", "reverse", "auto"):
            assert wengert.jacobian(square, mode)(3.0).tolist() == [[6.0]]
            assert wengert.jacobian(lambda v: [2.0, 3.0], mode)([]).shape == (2, 0)
            assert wengert.jacobian(lambda v: 1.0, mode)([1.0, 2.0]).tolist() == [[0.0, 0.0]]

    return [
        ("unknown mode", unknown_mode),
        ("shapes", shapes),
        ("forward mode: MultiTraces of another k", foreign_multi_traces),
        ("arity", arity),
        ("legitimate", legitimate),
    ]


def jvp_cases(owner: str, attr: str) -> list[Case]:
    def not_tuples() -> None:
        for bad in (1.0, None, "ab", np.array([1.0]), {1.0}):
            raises(TypeError, lambda: wengert.jvp(square, bad, (1.0,)), "primals", "tuple", "(x,)")
            raises(TypeError, lambda: wengert.jvp(square, (1.0,), bad), "tangents", "tuple", "(x,)")

    def wrong_shapes() -> None:
        raises(
            ValueError, lambda: wengert.jvp(square, (1.0,), (1.0, 2.0)), "one tangent per argument"
        )
        raises(
            ValueError, lambda: wengert.jvp(square, (1.0, 2.0), (1.0,)), "one tangent per argument"
        )
        for primal, tangent in (
            ([1.0, 2.0], [1.0]),
            (1.0, [1.0]),
            ([1.0], 1.0),
            ([[1.0, 2.0]], [1.0, 2.0]),
        ):
            raises(
                ValueError,
                lambda: wengert.jvp(lambda v: 1.0, (primal,), (tangent,)),
                "shape",
                "must match",
            )
        for bad in ("1", None, [None], Trace(1.0)):
            raises(TypeError, lambda: wengert.jvp(square, (1.0,), (bad,)), "tangents[0]")

    def arity() -> None:
        raises(TypeError, lambda: wengert.jvp(square, (1.0,)), "missing")
        raises(TypeError, lambda: wengert.jvp(square, (1.0,), (1.0,), 1), "argument")
        raises(TypeError, lambda: wengert.jvp(square, (1.0,), (1.0,), bogus_keyword=1), "keyword")

    return [("not tuples", not_tuples), ("wrong shapes", wrong_shapes), ("arity", arity)]


def vjp_cases(owner: str, attr: str) -> list[Case]:
    def wrong_cotangents() -> None:
        _, pull = wengert.vjp(lambda a: [a, a], 1.0)
        for bad in ([1.0], 1.0, [[1.0, 1.0]], [1.0, 1.0, 1.0]):
            raises(ValueError, lambda: pull(bad), "cotangents", "one weight per output")
        for bad in ("ab", None, [1.0, "a"], [Trace(1.0), 1.0]):
            raises(TypeError, lambda: pull(bad), "cotangents")
        raises(TypeError, lambda: pull([1.0, 1.0], 2), "argument")
        assert pull([2.0, 0.5]) == (2.5,)

    def arity() -> None:
        raises(TypeError, lambda: wengert.vjp(square, 1.0, bogus_keyword=1), "keyword")
        raises(TypeError, lambda: wengert.vjp(square, 1.0, 2.0), "argument")  # f's own

    return [("wrong cotangents", wrong_cotangents), ("arity", arity)]


# --- record and Recording


def product(v: Any) -> Any:
    return v[0] * v[1]


def recordings() -> dict[str, Recording[Any]]:
    """Recordings of every kind: of a number, of a sequence, with many outputs, and so on."""
    return {
        "number": wengert.record(square, 2.0),
        "sequence": wengert.record(product, [2.0, 3.0]),
        "outputs": wengert.record(lambda v: [v[0] * v[1], v[1]], [2.0, 3.0]),
        "escaped": wengert.record(lambda x: x * x.number, 2.0),
        "custom": wengert.record(lambda x: x.unary(math.sin, math.cos), 2.0),
        "guarded": wengert.record(lambda x: x if x > 0 else -x, 2.0),
    }


# What each method of a Recording takes besides the point: hvp a direction too.
REPLAYS = ("value", "gradient", "value_and_gradient", "jacobian", "hessian", "hvp")


def replay(attr: str, rec: Recording[Any], x: Any) -> Any:
    """``rec.attr`` at the point ``x`` (hvp along a direction of x0's form)."""
    if attr == "hvp":
        return rec.hvp(x, rec.x0)
    return getattr(rec, attr)(x)


def not_points(w: World) -> dict[str, object]:
    """What is neither a number nor a 1-D sequence of numbers (a Derivatives, a sequence
    of floats, is one)."""
    bad = {k: v for k, v in not_numbers(w).items() if k not in ("list", "tuple", "derivatives")}
    bad |= {"Record": w.x, "stale": w.stale, "constant": w.constant}
    bad |= {"Trace": w.trace, "MultiTrace": w.multi}
    return bad


def replay_cases(owner: str, attr: str) -> list[Case]:
    """value, gradient, value_and_gradient, jacobian, hessian and hvp at points of every kind."""
    arguments = 2 if attr == "hvp" else 1

    def not_a_point() -> None:
        w = world()
        rec = recordings()
        for kind, bad in not_points(w).items():
            try:
                raises(TypeError, lambda: replay(attr, rec["number"], bad), "must be a number")
                raises(TypeError, lambda: replay(attr, rec["sequence"], bad), "x")
            except AssertionError as failure:
                raise AssertionError(f"{kind}: {failure}") from None
        for bad in ([2.0], (2.0,), [2.0, 3.0]):
            raises(TypeError, lambda: replay(attr, rec["number"], bad), "as x0 was")
        raises(TypeError, lambda: replay(attr, rec["sequence"], 2.0), "sequence of 2", "x0")
        for kind, item in (("Record", w.x), ("Trace", w.trace), ("NoneType", None), ("str", "")):
            words = ("x[0]", kind, "not a number")
            raises(TypeError, lambda: replay(attr, rec["sequence"], [item, 1.0]), *words)

    def wrong_length() -> None:
        rec = recordings()["sequence"]
        for bad in ([2.0], [], np.ones(3)):
            raises(ValueError, lambda: replay(attr, rec, bad), "the recording has 2 inputs")

    def bools() -> None:
        rec = recordings()
        for bad in (True, np.bool_(False)):
            raises(TypeError, lambda: replay(attr, rec["number"], bad), "bool")
        for bad in ([True, 1.0], np.array([True, False])):
            raises(TypeError, lambda: replay(attr, rec["sequence"], bad), "bool")

    def edges() -> None:
        rec = recordings()
        for v in (math.nan, math.inf, -math.inf):
            raises(ValueError, lambda: replay(attr, rec["number"], v), "finite")
            raises(ValueError, lambda: replay(attr, rec["sequence"], [1.0, v]), "x[1]", "finite")
        for v in (0.0, -0.0, 5e-324, 1e154, -2.5, 3, np.float32(1.5), np.int64(-2)):
            value, gradient = v * v, 2.0 * float(v)
            got = {
                "value": lambda: rec["number"].value(v),
                "gradient": lambda: rec["number"].gradient(v),
                "value_and_gradient": lambda: rec["number"].value_and_gradient(v)[1],
                "jacobian": lambda: rec["number"].jacobian(v)[0, 0],
                "hessian": lambda: rec["number"].hessian(v),
                "hvp": lambda: rec["number"].hvp(v, 0.5),
            }[attr]()
            expected = {"value": value, "hessian": 2.0, "hvp": 1.0}.get(attr, gradient)
            assert same_number(got, expected), (v, got, expected)
        # ints beyond the float range: OverflowError, as for 1.0 + 10**400
        for v in (10**400, -(10**400)):
            raises(OverflowError, lambda: replay(attr, rec["number"], v), "too large")
            raises(OverflowError, lambda: replay(attr, rec["sequence"], [v, 1.0]), "too large")

    def branches_and_escapes() -> None:
        rec = recordings()
        raises(BranchChangedError, lambda: replay(attr, rec["guarded"], -1.0), "x > 0.0")
        raises(EscapedValueError, lambda: replay(attr, rec["escaped"], 3.0), ".number")
        replay(attr, rec["escaped"], 2.0)  # at x0 itself
        replay(attr, rec["guarded"], 5.0)

    def one_output() -> None:
        rec = recordings()["outputs"]
        if attr in ("value", "jacobian"):
            assert np.asarray(replay(attr, rec, [4.0, 5.0])).size in (2, 4)
        else:
            raises(ValueError, lambda: replay(attr, rec, [4.0, 5.0]), "one output", "jacobian(x)")

    def custom_operations() -> None:
        rec = recordings()["custom"]
        if attr in ("hessian", "hvp"):
            raises(ValueError, lambda: replay(attr, rec, 1.0), "unary() or binary()")
        else:
            got = replay(attr, rec, 1.0)
            got = np.asarray(got[1] if attr == "value_and_gradient" else got).ravel()[0]
            expected = math.sin(1.0) if attr == "value" else math.cos(1.0)
            assert same(float(got), expected)

    result = [
        ("not a point", not_a_point),
        ("wrong length", wrong_length),
        ("bools", bools),
        ("edges", edges),
        ("branches and escapes", branches_and_escapes),
        ("one output", one_output),
        ("custom operations", custom_operations),
        *common_arity_cases(owner, attr, arguments),
    ]
    if attr == "hvp":
        result.append(("directions", hvp_direction_cases))
    return result


def hvp_direction_cases() -> None:
    w = world()
    rec = recordings()
    for kind, bad in not_points(w).items():
        try:
            raises(TypeError, lambda: rec["number"].hvp(2.0, bad), "v must be a number")
            raises(TypeError, lambda: rec["sequence"].hvp([2.0, 3.0], bad), "v")
        except AssertionError as failure:
            raise AssertionError(f"{kind}: {failure}") from None
    raises(ValueError, lambda: rec["sequence"].hvp([2.0, 3.0], [1.0]), "v has 1 numbers")
    raises(ValueError, lambda: rec["number"].hvp(2.0, math.nan), "finite")
    raises(ValueError, lambda: rec["sequence"].hvp([2.0, 3.0], [1.0, math.inf]), "v[1]", "finite")
    raises(TypeError, lambda: rec["sequence"].hvp([2.0, 3.0]), "missing")  # type: ignore[call-arg]


def gradients_cases(owner: str, attr: str) -> list[Case]:
    def not_rows() -> None:
        w = world()
        rec = recordings()
        for kind, bad in not_points(w).items():
            try:
                raises(
                    TypeError, lambda: rec["sequence"].gradients(bad), "2-D", "one point per row"
                )
                if kind != "bytearray":  # numpy reads [bytearray(b"2")] as [[50]]
                    raises(TypeError, lambda: rec["sequence"].gradients([bad]), "2-D")
            except AssertionError as failure:
                raise AssertionError(f"{kind}: {failure}") from None
        raises(TypeError, lambda: rec["sequence"].gradients([2.0, 3.0]), "reshape(-1, 2)")
        raises(TypeError, lambda: rec["number"].gradients([2.0, 3.0]), "reshape(-1, 1)")
        raises(TypeError, lambda: rec["sequence"].gradients(np.ones((1, 1, 2))), "3 dimensions")
        raises(ValueError, lambda: rec["sequence"].gradients([[1.0, 2.0, 3.0]]), "3 columns")
        raises(TypeError, lambda: rec["sequence"].gradients([[1.0, 2.0], [3.0]]), "2-D")

    def edges() -> None:
        rec = recordings()
        for v in (math.nan, math.inf, -math.inf):
            raises(ValueError, lambda: rec["sequence"].gradients([[1.0, 2.0], [1.0, v]]), "row 1")
        raises(BranchChangedError, lambda: rec["guarded"].gradients([[1.0], [-1.0]]), "x > 0.0")
        raises(EscapedValueError, lambda: rec["escaped"].gradients([[2.0], [3.0]]), ".number")
        raises(ValueError, lambda: rec["outputs"].gradients([[1.0, 2.0]]), "one output")
        got = rec["sequence"].gradients([[1, 2], [np.float32(0.5), -0.0]])
        assert got.tolist() == [[2.0, 1.0], [-0.0, 0.5]] and got.dtype == np.float64
        assert rec["custom"].gradients([[0.0], [1.0]]).tolist() == [[1.0], [math.cos(1.0)]]
        raises(TypeError, lambda: rec["sequence"].gradients(np.array([[True, False]])), "bool")

    return [("not rows", not_rows), ("edges", edges), *common_arity_cases(owner, attr, 1)]


def recording_property_cases(owner: str, attr: str) -> list[Case]:
    expected = {
        "n_inputs": [1, 2, 2, 1, 1, 1],
        "n_outputs": [1, 1, 2, 1, 1, 1],
        "n_comparisons": [0, 0, 0, 0, 0, 1],
        "__len__": [2, 3, 3, 2, 2, 1],
    }

    def values() -> None:
        every = list(recordings().values())
        if attr == "x0":
            assert [np.asarray(r.x0).tolist() for r in every] == [2.0, [2.0, 3.0], [2.0, 3.0]] + [
                2.0
            ] * 3
            assert type(every[0].x0) is float
            return
        if attr == "escapes":
            got = [r.escapes for r in every]
            assert [len(e) for e in got] == [0, 0, 0, 1, 0, 0]
            assert got[3][0].startswith(".number at ") and __file__ in got[3][0]
            return
        read = len if attr == "__len__" else lambda r: getattr(r, attr)
        assert [read(r) for r in every] == expected[attr]

    result = [("values", values)]
    if attr == "__len__":
        result += common_arity_cases(owner, attr, 0)
    return result


def recording_repr_cases(owner: str, attr: str) -> list[Case]:
    def text() -> None:
        rec = recordings()
        assert repr(rec["sequence"]) == (
            "Recording(n_inputs=2, n_outputs=1, entries=3, comparisons=0)"
        )
        assert repr(rec["escaped"]).endswith("comparisons=0, escapes=1)")

    return [("text", text), *common_arity_cases(owner, attr, 0)]


def class_getitem_cases(owner: str, attr: str) -> list[Case]:
    def generic_alias() -> None:
        for item in (float, np.ndarray, NDArray[np.float64]):
            alias = Recording[item]  # type: ignore[valid-type]
            assert isinstance(alias, types.GenericAlias)
            assert alias.__origin__ is Recording and alias.__args__ == (item,)

    def misuse() -> None:
        raises(TypeError, lambda: Recording.__class_getitem__(), "item")  # type: ignore[call-arg]
        getitem: Any = Recording.__class_getitem__
        raises(TypeError, lambda: getitem(float, bogus=1), "keyword")

    return [("generic alias", generic_alias), ("misuse", misuse)]


def recording_constructor_cases(owner: str, attr: str) -> list[Case]:
    def refuses() -> None:
        for args in ((), (square,), (square, 1.0)):
            raises(TypeError, lambda: Recording(*args), "wengert.record(f, x0)")  # type: ignore[call-arg]

    return [("refuses", refuses)]


def record_cases(owner: str, attr: str) -> list[Case]:
    def not_callable() -> None:
        for bad in (None, 1.0, "f", [square]):
            raises(
                TypeError, lambda: wengert.record(bad, 1.0), "needs a function", type(bad).__name__
            )  # type: ignore[call-overload]

    def x0_not_a_point() -> None:
        w = world()
        for kind, bad in not_points(w).items():
            try:
                raises(TypeError, lambda: wengert.record(square, bad), "x0")  # type: ignore[call-overload]
            except AssertionError as failure:
                raise AssertionError(f"{kind}: {failure}") from None
        for item in (w.x, w.trace, None, "a", [1.0]):
            raises(TypeError, lambda: wengert.record(product, [1.0, item]), "x0[1]", "not a number")
        for bad in (True, np.bool_(True), [True, 1.0], np.array([False, True])):
            raises(TypeError, lambda: wengert.record(square, bad), "bool")

    def x0_edges() -> None:
        for v in (math.nan, math.inf, -math.inf):
            raises(ValueError, lambda: wengert.record(square, v), "finite")
            raises(ValueError, lambda: wengert.record(product, [1.0, v]), "x0[1]", "finite")
        raises(TypeError, lambda: wengert.record(square, np.array(2.0)), "ravel")
        raises(TypeError, lambda: wengert.record(square, np.ones((2, 2))), "x0")
        for v in (10**400, [1.0, -(10**400)]):
            raises(OverflowError, lambda: wengert.record(square, v), "too large")

    def results_not_numbers() -> None:
        w = world()
        for bad in ["2.0", None, b"1", 2j, object(), {"a": 1.0}, w.tape]:
            raises(
                TypeError,
                lambda: wengert.record(lambda v: bad, 1.0),
                "must return a number",
                type(bad).__name__,
            )
            raises(
                TypeError, lambda: wengert.record(lambda v: [v, bad], 1.0), "must return a number"
            )
        for bad in [True, np.bool_(False)]:
            raises(TypeError, lambda: wengert.record(lambda v: bad, 1.0), "bool")
        raises(TypeError, lambda: wengert.record(lambda v: np.ones((2, 2)), 1.0), "1-D", "ravel")
        raises(TypeError, lambda: wengert.record(lambda v: [v, [v]], 1.0), "list")

    def results_of_another_mode() -> None:
        w = world()
        for value in (w.trace, w.multi):
            raises(
                MixedModesError, lambda: wengert.record(lambda v: value, 1.0), type(value).__name__
            )
            raises(MixedModesError, lambda: wengert.record(lambda v: v + value, 1.0))
        for value in (w.foreign, w.x, w.stale):
            raises(MixedTapesError, lambda: wengert.record(lambda v: value, 1.0), "WengertList")
            raises(MixedTapesError, lambda: wengert.record(lambda v: v * value, 1.0), "tape")

    def what_f_does() -> None:
        raises(
            ValueError,
            lambda: wengert.record(lambda v: v.history.variable(1.0), 1.0),
            "new input",
            "x0",
        )
        raises(
            ValueError,
            lambda: wengert.record(lambda v: [v.history.clear(), 1.0][1], 1.0),
            "clear()",
        )

        def fail(v: Any) -> Any:
            raise ZeroDivisionError("from the user's function")

        raises(ZeroDivisionError, lambda: wengert.record(fail, 1.0), "user's")

    def arity() -> None:
        raises(TypeError, lambda: wengert.record(square), "x0")  # type: ignore[call-overload]
        raises(TypeError, lambda: wengert.record(square, 1.0, 2.0), "argument")  # type: ignore[call-overload]
        raises(TypeError, lambda: wengert.record(square, 1.0, bogus_keyword=1), "keyword")  # type: ignore[call-overload]

    def legitimate() -> None:
        for x0 in (3, np.float32(3.0), np.int64(3)):
            assert wengert.record(square, x0).gradient(3.0) == 6.0
        for x0 in ([2.0, 3.0], (2, 3), np.array([2.0, 3.0], dtype=np.float32), iter([2.0, 3.0])):
            assert wengert.record(product, x0).gradient([2.0, 3.0]).tolist() == [3.0, 2.0]
        assert wengert.record(f=square, x0=-0.0).value(-0.0) == 0.0
        assert wengert.record(lambda v: Record.constant(2.0), [1.0]).gradient([5.0]).tolist() == [
            0.0
        ]

    return [
        ("f not callable", not_callable),
        ("x0 not a point", x0_not_a_point),
        ("x0 edges", x0_edges),
        ("results that are not numbers", results_not_numbers),
        ("results of another mode", results_of_another_mode),
        ("what f does", what_f_does),
        ("arity", arity),
        ("legitimate", legitimate),
    ]


def second_order_cases(owner: str, attr: str) -> list[Case]:
    """wengert.hessian(f)(x) and wengert.hvp(f, x, v)."""

    def at(f: Callable[[Any], Any], x: Any) -> Callable[[], object]:
        if attr == "hessian":
            return lambda: wengert.hessian(f)(x)
        return lambda: wengert.hvp(f, x, x)

    def not_callable() -> None:
        for bad in (None, 1.0, "f", [square]):
            make = (
                (lambda: wengert.hessian(bad))  # type: ignore[arg-type]
                if attr == "hessian"
                else (lambda: wengert.hvp(bad, 1.0, 1.0))  # type: ignore[arg-type]
            )
            raises(TypeError, make, "needs a function", type(bad).__name__)

    def arguments_not_numbers() -> None:
        w = world()
        for kind, bad in not_points(w).items():
            try:
                raises(TypeError, at(square, bad), "number")
            except AssertionError as failure:
                raise AssertionError(f"{attr} at {kind}: {failure}") from None
        for bad in ([1.0, "a"], [1.0, None], [w.x], [w.trace], np.array(["a"])):
            raises(TypeError, at(square, bad), "not a number")
        raises(ValueError, at(square, math.nan), "finite")
        for bad in (True, np.bool_(True), np.array([True])):
            raises(TypeError, at(square, bad), "bool")
        raises(OverflowError, at(square, 10**400), "too large")
        raises(OverflowError, at(lambda v: 1.0, [1.0, 10**400]), "too large")

    def results() -> None:
        w = world()
        for bad in ["2.0", None, b"1", 2j, object(), {"a": 1.0}, w.tape]:
            raises(TypeError, at(lambda v: bad, 1.0), "must return a number", type(bad).__name__)
        raises(TypeError, at(lambda v: True, 1.0), "bool")
        raises(MixedModesError, at(lambda v: w.trace, 1.0), "Trace")
        raises(MixedTapesError, at(lambda v: w.foreign, 1.0), "WengertList")
        raises(ValueError, at(lambda v: [v, v], 1.0), "one output", "jacobian")
        raises(ValueError, at(lambda v: v.unary(math.sin, math.cos), 1.0), "unary() or binary()")

    def user_errors_propagate() -> None:
        def fail(v: Any) -> Any:
            raise ZeroDivisionError("from the user's function")

        raises(ZeroDivisionError, at(fail, 1.0), "user's")

    def arity() -> None:
        if attr == "hessian":
            raises(TypeError, lambda: wengert.hessian(square, 1), "argument")  # type: ignore[call-arg]
            raises(TypeError, lambda: wengert.hessian(square)(1.0, 2.0), "argument")
            raises(TypeError, lambda: wengert.hessian(square, bogus_keyword=1), "keyword")  # type: ignore[call-arg]
        else:
            raises(TypeError, lambda: wengert.hvp(square, 1.0), "missing")  # type: ignore[call-arg]
            raises(TypeError, lambda: wengert.hvp(square, 1.0, 1.0, 1.0), "argument")  # type: ignore[call-arg]
            raises(ValueError, lambda: wengert.hvp(product, [1.0, 2.0], [1.0]), "v has 1")
            raises(TypeError, lambda: wengert.hvp(square, 1.0, [1.0]), "v must be a number")

    def legitimate() -> None:
        cube = wengert.hessian(lambda v: v * v * v)
        assert cube(2.0) == 12.0 and cube(2) == 12.0 and cube(np.float32(2.0)) == 12.0
        assert cube(-0.0) == 0.0
        assert wengert.hessian(lambda v: 2.0)([1.0]).tolist() == [[0.0]]
        assert wengert.hvp(product, (1.0, 2.0), np.array([1.0, 0.0])).tolist() == [0.0, 1.0]

    return [
        ("f not callable", not_callable),
        ("arguments that are not numbers", arguments_not_numbers),
        ("results", results),
        ("user errors propagate", user_errors_propagate),
        ("arity", arity),
        ("legitimate", legitimate),
    ]


# ------------------------------------------------------------------ the matrix

UNARY_REFERENCES: dict[str, Callable[[float], float]] = {
    "sin": math.sin,
    "cos": math.cos,
    "exp": math.exp,
    "ln": math.log,
    "sqrt": math.sqrt,
    "abs": math.fabs,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "asinh": math.asinh,
    "acosh": math.acosh,
    "atanh": math.atanh,
    "exp2": c_math("exp2"),
    "expm1": math.expm1,
    "log": math.log,
    "log2": math.log2,
    "log10": math.log10,
    "log1p": math.log1p,
    "cbrt": c_math("cbrt"),
    "erf": math.erf,
    "erfc": math.erfc,
    "floor": c_rounding(np.floor),
    "ceil": c_rounding(np.ceil),
    "trunc": c_rounding(np.trunc),
}
# NumPy's names for some of them, as methods (np.arcsin(a) calls x.arcsin()).
NUMPY_ALIASES = {
    f"arc{name[1:]}": name for name in ("asin", "acos", "atan", "asinh", "acosh", "atanh")
}
BINARY_REFERENCES: dict[str, Callable[[float, float], float]] = {
    "atan2": math.atan2,
    "arctan2": math.atan2,
    "hypot": math.hypot,
}

MATRIX: dict[str, Category] = {
    # the module's functions and constants
    "wengert.__version__": custom(version_cases),
    **{f"wengert.{name}": math_function(ref) for name, ref in UNARY_REFERENCES.items()},
    "wengert.log": combine(math_function(math.log, arguments=2), custom(log_base_cases)),
    "wengert.pow": binary_function(float_pow),
    "wengert.atan2": binary_function(math.atan2),
    "wengert.hypot": binary_function(math.hypot),
    "wengert.derivative": custom(derivative_function_cases),
    # the functional API
    "wengert.grad": combine(custom(functional_cases), custom(grad_cases)),
    "wengert.value_and_grad": combine(custom(functional_cases), custom(grad_cases)),
    "wengert.jacobian": combine(custom(functional_cases), custom(jacobian_cases)),
    "wengert.jvp": combine(custom(functional_cases), custom(jvp_cases)),
    "wengert.vjp": combine(custom(functional_cases), custom(vjp_cases)),
    "wengert.hessian": custom(second_order_cases),
    "wengert.hvp": custom(second_order_cases),
    # record once, replay natively
    "wengert.record": custom(record_cases),
    "wengert.Recording": custom(recording_constructor_cases),
    **{f"Recording.{name}": custom(replay_cases) for name in REPLAYS},
    "Recording.gradients": custom(gradients_cases),
    **{
        f"Recording.{name}": combine(
            read_only(lambda r, name=name: getattr(r, name)), custom(recording_property_cases)
        )
        for name in ("n_inputs", "n_outputs", "n_comparisons", "x0", "escapes")
    },
    "Recording.__len__": custom(recording_property_cases),
    "Recording.__repr__": custom(recording_repr_cases),
    "Recording.__reduce__": custom(reduce_cases),
    "Recording.__class_getitem__": custom(class_getitem_cases),
    # exceptions
    "wengert.TapeError": exception_class(ValueError),
    "wengert.MixedTapesError": exception_class(TapeError),
    "wengert.StaleRecordError": exception_class(TapeError),
    "wengert.ConstantRecordError": exception_class(TapeError),
    "wengert.MixedModesError": exception_class(TypeError),
    "wengert.ImplicitConversionError": exception_class(TypeError),
    "wengert.BranchChangedError": exception_class(ValueError),
    "wengert.EscapedValueError": exception_class(BranchChangedError),
    # constructors
    "wengert.Trace": combine(
        number_factory(trace_make, number_of),
        number_factory(trace_derivative_make, derivative_of),
        keyword_and_arity(Trace, 2),
    ),
    "wengert.Record": custom(record_constructor_cases),
    "wengert.WengertList": custom(tape_constructor_cases),
    "wengert.Derivatives": custom(derivatives_constructor_cases),
    "wengert.MultiTrace": combine(
        number_factory(lambda w, v: MultiTrace(v, [1.0]), number_of),
        number_factory(lambda w, v: MultiTrace(1.0, [v]), first_tangent),
        custom(multi_trace_constructor_cases),
        keyword_and_arity(MultiTrace, 2),
    ),
    "MultiTrace.constant": combine(
        number_factory(lambda w, v: MultiTrace.constant(v, 2), number_of),
        custom(multi_constant_cases),
        keyword_and_arity(MultiTrace.constant, 2),
    ),
    "MultiTrace.variables": combine(
        number_factory(lambda w, v: MultiTrace.variables([v])[0], number_of),
        custom(multi_variables_cases),
    ),
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
    "WengertList.__reduce__": custom(reduce_cases),
    # Derivatives
    "Derivatives.__getitem__": custom(lookup_cases),
    "Derivatives.at": custom(lookup_cases),
    "Derivatives.__len__": custom(sized_cases),
    "Derivatives.__iter__": custom(sized_cases),
    "Derivatives.__repr__": keyword_and_arity(
        lambda *a, **k: world().old_derivatives.__repr__(*a, **k), 0
    ),
    "Derivatives.__reduce__": custom(reduce_cases),
    "Derivatives.__copy__": custom(copy_cases),
    "Derivatives.__deepcopy__": custom(copy_cases),
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
    # MultiTrace only
    "MultiTrace.number": read_only(lambda m: m.number),
    "MultiTrace.derivative": combine(read_only(lambda m: m.derivative), custom(fresh_array_cases)),
    "MultiTrace.k": read_only(lambda m: m.k),
}

if sys.version_info >= (3, 12):  # the buffer protocol as methods (PEP 688)
    MATRIX |= {
        "Derivatives.__buffer__": custom(buffer_cases),
        "Derivatives.__release_buffer__": custom(buffer_cases),
    }

# What Trace, MultiTrace and Record share (the number_methods of the three classes).
for _owner in ("Trace", "MultiTrace", "Record"):
    MATRIX |= {f"{_owner}.{name}": unary_method(ref) for name, ref in UNARY_REFERENCES.items()}
    MATRIX |= {
        f"{_owner}.{alias}": unary_method(UNARY_REFERENCES[name])
        for alias, name in NUMPY_ALIASES.items()
    }
    MATRIX |= {
        f"{_owner}.{name}": binary(method_call(name), ref, method=True)
        for name, ref in BINARY_REFERENCES.items()
    }
    del MATRIX[f"{_owner}.abs"]  # abs is a function and __abs__, not a method
    MATRIX |= {
        f"{_owner}.__floor__": unary_method(integral(math.floor)),
        f"{_owner}.__ceil__": unary_method(integral(math.ceil)),
        f"{_owner}.__trunc__": unary_method(integral(math.trunc)),
        f"{_owner}.__round__": rounding(),
        f"{_owner}.__reduce__": custom(reduce_cases),
        f"{_owner}.__copy__": custom(copy_cases),
        f"{_owner}.__deepcopy__": custom(copy_cases),
        f"{_owner}.__array_priority__": custom(array_priority_cases),
        f"{_owner}.__neg__": unary_method(operator.neg),
        f"{_owner}.__abs__": unary_method(math.fabs),
        f"{_owner}.__pos__": plain(check_pos),
        f"{_owner}.conjugate": plain(check_conjugate),
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
        w.multi,
        other_k(w),
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


@settings(max_examples=400)
@given(data=st.data(), name=st.sampled_from(callable_names()))
def test_fuzz_no_panic(data: st.DataObject, name: str) -> None:
    """Any method with any arguments: a value, or a TypeError/ValueError/ArithmeticError."""
    w = world()
    owner, attr = split(name)
    receivers_by_owner: dict[str, list[object]] = {
        "wengert": [wengert],
        "Trace": [w.trace, Trace(math.nan, math.inf)],
        "MultiTrace": [w.multi, other_k(w), MultiTrace.constant(math.nan, 0)],
        "Record": [w.x, w.stale, w.foreign, w.constant],
        "WengertList": [w.tape, w.cleared],
        "Derivatives": [w.old_derivatives, (w.x * w.y).derivatives()],
        "Recording": list(recordings().values()),
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
    if name == "MultiTrace.constant":
        # k tangents take 8k bytes: a huge k is a MemoryError, after a long wait for the
        # memory (as for [0.0] * k), which is no misuse to look for here
        args = [3 if isinstance(a, int) and abs(a) > 1000 else a for a in args]
    if attr == "__format__":
        args = [a for a in args if not isinstance(a, str)] or [
            "0"
        ]  # a width is float's to allocate
    # The functional API gives a function (vjp: a pair, the function second): call it too.
    more = data.draw(st.lists(arguments(w), max_size=3))
    try:
        result = target(*args, **kwargs)
        if attr == "vjp":
            result = result[1]
        if attr in ("grad", "value_and_grad", "jacobian", "vjp", "hessian"):
            result(*more)
    except (TypeError, ValueError, ArithmeticError):
        pass
    except BaseException as error:  # PanicException is a BaseException
        raise AssertionError(f"{name}{tuple(args)!r}: {type(error)!r} {error}") from error
