# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""Reverse mode's bookkeeping: the tape (``WengertList``: ``variables``, ``clear``,
``len``), a record's ``derivatives()``, ``try_derivatives()`` and ``reset()``, and
``Derivatives`` (looked up by a record of the right tape and generation only)."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from wengert import (
    ConstantRecordError,
    Derivatives,
    ImplicitConversionError,
    MixedTapesError,
    StaleRecordError,
    WengertList,
)

from ._common import (
    Case,
    Category,
    World,
    cases,
    common_arity_cases,
    custom,
    keyword_and_arity,
    not_numbers,
    raises,
    tape_length_unchanged,
    world,
)


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


ENTRIES: dict[str, Category] = {
    "WengertList.variables": custom(variables_cases),
    "WengertList.clear": custom(clear_cases),
    "WengertList.__len__": custom(sized_cases),
    "WengertList.__repr__": keyword_and_arity(WengertList().__repr__, 0),
    "Derivatives.__getitem__": custom(lookup_cases),
    "Derivatives.at": custom(lookup_cases),
    "Derivatives.__len__": custom(sized_cases),
    "Derivatives.__iter__": custom(sized_cases),
    "Derivatives.__repr__": keyword_and_arity(
        lambda *a, **k: world().old_derivatives.__repr__(*a, **k), 0
    ),
    "Record.derivatives": custom(derivatives_cases),
    "Record.try_derivatives": custom(derivatives_cases),
    "Record.reset": custom(reset_cases),
}

if sys.version_info >= (3, 12):  # the buffer protocol as methods (PEP 688)
    ENTRIES |= {
        "Derivatives.__buffer__": custom(buffer_cases),
        "Derivatives.__release_buffer__": custom(buffer_cases),
    }


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
