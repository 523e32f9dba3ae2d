# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""The binary operations of Trace, MultiTrace and Record: the arithmetic operators on
either side, ``x.pow(y)``, ``x.atan2(y)``, ``x.hypot(y)``, and the comparisons."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import pytest

from wengert import (
    MixedModesError,
    MixedTapesError,
    MultiTrace,
    StaleRecordError,
    Trace,
    WengertList,
)

from ._common import (
    EDGE_FLOATS,
    EDGE_OPERANDS,
    NUMBER_CLASSES,
    TANGENTS,
    Case,
    Category,
    cases,
    common_arity_cases,
    float_pow,
    fresh,
    method_call,
    not_numbers,
    other_k,
    other_modes,
    outcome,
    raises,
    receivers,
    same,
    same_number,
    split,
    tangents_match_traces,
    tape_length_unchanged,
    world,
)


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


BINARY_REFERENCES: dict[str, Callable[[float, float], float]] = {
    "atan2": math.atan2,
    "arctan2": math.atan2,
    "hypot": math.hypot,
}


ENTRIES: dict[str, Category] = {}
for _owner in NUMBER_CLASSES:
    ENTRIES |= {
        f"{_owner}.{name}": binary(method_call(name), ref, method=True)
        for name, ref in BINARY_REFERENCES.items()
    }
    ENTRIES |= {
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
    }


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
