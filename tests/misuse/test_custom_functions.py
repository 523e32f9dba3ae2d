# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""Custom functions: ``x.unary(fx, dfx_dx)`` and ``x.binary(y, fxy, dfxy_dx, dfxy_dy)`` of
Trace, MultiTrace and Record, given what is not callable, functions whose results are not
numbers, and operands of another mode, tape or generation (then nothing is called)."""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from typing import Any

import pytest

from wengert import MixedModesError, MixedTapesError, StaleRecordError

from ._common import (
    NUMBER_CLASSES,
    Case,
    Category,
    cases,
    common_arity_cases,
    custom,
    fresh,
    not_numbers,
    other_k,
    other_modes,
    raises,
    tape_length_unchanged,
    world,
)


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


ENTRIES: dict[str, Category] = {}
for _owner in NUMBER_CLASSES:
    ENTRIES |= {
        f"{_owner}.unary": custom(custom_unary_cases),
        f"{_owner}.binary": custom(custom_binary_cases),
    }


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
