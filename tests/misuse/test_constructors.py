# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""Making values and reading them: the constructors and factories of Trace, MultiTrace,
Record, WengertList and Derivatives (``Trace(x, d)``, ``tape.variable(x)``,
``MultiTrace.variables(xs)``, ...), given what is not a number, and the read-only
properties (``number``, ``derivative``, ``k``, ``index``, ``history``)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from wengert import Derivatives, ImplicitConversionError, MultiTrace, Record, Trace, WengertList

from ._common import (
    BOGUS,
    EDGE_OPERANDS,
    Case,
    Category,
    World,
    cases,
    combine,
    common_arity_cases,
    custom,
    keyword_and_arity,
    not_numbers,
    outcome,
    raises,
    read_only,
    same,
    world,
)


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


ENTRIES: dict[str, Category] = {
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
    # the properties
    "Record.number": read_only(lambda r: r.number),
    "Record.index": read_only(lambda r: r.index),
    "Record.tape": read_only(lambda r: r.tape),
    "Record.history": read_only(lambda r: r.history),
    "Trace.number": read_only(lambda t: t.number),
    "Trace.derivative": read_only(lambda t: t.derivative),
    "MultiTrace.number": read_only(lambda m: m.number),
    "MultiTrace.derivative": combine(read_only(lambda m: m.derivative), custom(fresh_array_cases)),
    "MultiTrace.k": read_only(lambda m: m.k),
}


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
