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

import wengert
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


def _block_f(x: Any) -> list[float]:
    return [x[0] * x[1], x[0] + x[1]]


def _block_jacobian(x: Any) -> list[list[float]]:
    return [[x[1], x[0]], [1.0, 1.0]]


def custom_block_cases(owner: str, attr: str) -> list[Case]:
    """``wengert.custom(f, jacobian, hessian)`` and its operations, given what is not a
    function, not a sequence of numbers, results of the wrong shape, and mixed modes."""

    def make() -> Any:
        return wengert.custom(_block_f, _block_jacobian)

    def not_callable() -> None:
        w = world()
        for bad in not_numbers(w).values():
            if callable(bad):
                continue
            raises(TypeError, lambda: wengert.custom(bad, _block_jacobian), "f", "function")  # type: ignore[arg-type]
            raises(TypeError, lambda: wengert.custom(_block_f, bad), "jacobian", "function")  # type: ignore[arg-type]
            if bad is not None:
                raises(TypeError, lambda: wengert.custom(_block_f, _block_jacobian, bad), "hessian")  # type: ignore[arg-type]

    def not_sequences() -> None:
        w = world()
        for bad in (None, 1.0, "ab", b"ab", w.trace, object()):
            raises(TypeError, lambda: make()(bad), "sequence of numbers")
        raises(TypeError, lambda: make()([1.0, None]), "input 1 is NoneType")
        raises(TypeError, lambda: make()([1.0, 2j]), "input 1 is complex")
        raises(ValueError, lambda: make()([]), "at least one input")
        raises(OverflowError, lambda: make()([1.0, 10**400]), "too large")

    def bad_results() -> None:
        w = world()
        for kind, bad in not_numbers(w).items():
            if kind in ("list", "tuple", "derivatives"):
                continue  # array-likes, as numpy.asarray reads them: [2.0] is one output
            try:
                raises(
                    TypeError,
                    lambda: wengert.custom(lambda x: bad, _block_jacobian)([w.trace, 1.0]),
                    "f(x)",
                )
            except AssertionError as failure:
                raise AssertionError(f"{kind}: {failure}") from None
        raises(
            ValueError,
            lambda: wengert.custom(lambda x: 1.0, _block_jacobian)([1.0, 2.0]),
            "[value]",
        )
        op = wengert.custom(_block_f, lambda x: [[1.0, 2.0]])
        raises(ValueError, lambda: op([w.trace, 1.0]), "shape (2, 2)", "shape (1, 2)")

    def modes() -> None:
        w = world()
        raises(MixedModesError, lambda: make()([w.trace, w.x]))
        raises(MixedModesError, lambda: make()([w.multi, w.trace]), "MultiTrace")
        raises(ValueError, lambda: make()([w.multi, other_k(w)]), "tangents")
        raises(MixedTapesError, lambda: make()([w.x, w.foreign]), "tape")
        raises(StaleRecordError, lambda: make()([w.x, w.stale]), "reset()")
        tape_length_unchanged(w, lambda: raises(StaleRecordError, lambda: make()([w.stale, 1.0])))

    def values() -> None:
        w = world()
        assert make()([2.0, True]) == [2.0, 3.0]
        u, v = make()([w.trace, 2.0])
        assert (u.number, u.derivative, v.derivative) == (14.0, 2.0, 1.0)
        p, q = make()([w.x, w.y])
        assert (p.derivatives()[w.x], p.derivatives()[w.y], q.derivatives()[w.y]) == (3.0, 2.0, 1.0)
        assert [r.number for r in make()([w.constant, 1.0])] == [6.0, 7.0]

    if attr == "":
        return [
            ("not callable", not_callable),
            ("arity", lambda: raises(TypeError, lambda: wengert.custom(_block_f), "jacobian")),  # type: ignore[call-arg]
        ]
    if attr == "__call__":
        return [
            ("not sequences", not_sequences),
            ("bad results", bad_results),
            ("modes", modes),
            ("values", values),
            ("arity", lambda: raises(TypeError, lambda: make()([1.0], [2.0]), "argument")),  # type: ignore[call-arg]
        ]
    if attr == "__reduce__":

        def reduce() -> None:
            function, args = make().__reduce__()
            assert function(*args)([2.0, 3.0]) == [6.0, 5.0]
            raises(TypeError, lambda: make().__reduce__(1), "argument")  # type: ignore[call-arg]

        return [("reduce", reduce)]
    assert attr == "__repr__"

    def represented() -> None:
        assert repr(make()).startswith("wengert.custom(<function _block_f")
        raises(TypeError, lambda: make().__repr__(1), "argument")  # type: ignore[call-arg]

    return [("repr", represented)]


ENTRIES: dict[str, Category] = {
    "wengert.custom": lambda name: custom_block_cases("custom", ""),
    "wengert.CustomOperation": lambda name: custom_block_cases("CustomOperation", ""),
    "CustomOperation.__call__": custom(custom_block_cases),
    "CustomOperation.__reduce__": custom(custom_block_cases),
    "CustomOperation.__repr__": custom(custom_block_cases),
}
for _owner in NUMBER_CLASSES:
    ENTRIES |= {
        f"{_owner}.unary": custom(custom_unary_cases),
        f"{_owner}.binary": custom(custom_binary_cases),
    }


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
