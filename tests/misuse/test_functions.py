# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""The module's math functions: ``wengert.sin(x)``, ``log(x, base)``, ``pow``, ``atan2``, ``hypot``.

On plain numbers each gives math's function (or float's ``**``) bit for bit, errors
included; on a Trace, MultiTrace or Record the method of the same name; anything else is
a TypeError naming what it takes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import wengert
from wengert import (
    MixedModesError,
    MixedTapesError,
    MultiTrace,
    Record,
    StaleRecordError,
    Trace,
    WengertList,
)

from ._common import (
    EDGE_FLOATS,
    EDGE_OPERANDS,
    UNARY_REFERENCES,
    Case,
    Category,
    cases,
    combine,
    custom,
    float_pow,
    not_numbers,
    other_k,
    outcome,
    raises,
    same,
    split,
    stale_at,
    world,
)


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


ENTRIES: dict[str, Category] = {
    **{f"wengert.{name}": math_function(ref) for name, ref in UNARY_REFERENCES.items()},
    "wengert.log": combine(math_function(math.log, arguments=2), custom(log_base_cases)),
    "wengert.pow": binary_function(float_pow),
    "wengert.atan2": binary_function(math.atan2),
    "wengert.hypot": binary_function(math.hypot),
}


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
