# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""The unary operations of Trace, MultiTrace and Record: the math methods (``x.sin()``,
NumPy's ``x.arcsin()``), ``-x``, ``abs(x)``, ``math.floor(x)`` and friends, ``round(x, n)``.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from wengert import MultiTrace, StaleRecordError, Trace, WengertList

from ._common import (
    EDGE_FLOATS,
    NUMBER_CLASSES,
    TANGENTS,
    UNARY_REFERENCES,
    Case,
    Category,
    cases,
    common_arity_cases,
    fresh,
    method_call,
    not_numbers,
    outcome,
    raises,
    receivers,
    same,
    same_number,
    split,
    stale_at,
    tangents_match_traces,
    tape_length_unchanged,
    world,
)


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


def integral(function: Callable[[float], int]) -> Callable[[float], float]:
    """``math.floor`` and friends as the dunders give them: the integer as a float, with
    the sign of ``v`` on a zero, as the C library's floor, ceil and trunc give it."""
    return lambda v: math.copysign(float(function(v)), v)


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


# NumPy's names for some of them, as methods (np.arcsin(a) calls x.arcsin()).
NUMPY_ALIASES = {
    f"arc{name[1:]}": name for name in ("asin", "acos", "atan", "asinh", "acosh", "atanh")
}


ENTRIES: dict[str, Category] = {}
for _owner in NUMBER_CLASSES:
    ENTRIES |= {
        f"{_owner}.{name}": unary_method(ref)
        for name, ref in UNARY_REFERENCES.items()
        if name != "abs"  # abs is a function and __abs__, not a method
    }
    ENTRIES |= {
        f"{_owner}.{alias}": unary_method(UNARY_REFERENCES[name])
        for alias, name in NUMPY_ALIASES.items()
    }
    ENTRIES |= {
        f"{_owner}.__floor__": unary_method(integral(math.floor)),
        f"{_owner}.__ceil__": unary_method(integral(math.ceil)),
        f"{_owner}.__trunc__": unary_method(integral(math.trunc)),
        f"{_owner}.__round__": rounding(),
        f"{_owner}.__neg__": unary_method(operator.neg),
        f"{_owner}.__abs__": unary_method(math.fabs),
    }


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
