# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""Conversions and the value protocol of Trace, MultiTrace and Record: ``float(x)`` and
``int(x)`` (refused: they would drop the derivative), ``bool``, ``hash``, ``str``, ``repr``,
``format``, ``+x`` and ``x.conjugate()`` (the value itself)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from wengert import ImplicitConversionError

from ._common import (
    EDGE_FLOATS,
    NUMBER_CLASSES,
    Case,
    Category,
    cases,
    common_arity_cases,
    fresh,
    not_numbers,
    outcome,
    raises,
    receivers,
    split,
    values_of,
    world,
)


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


ENTRIES: dict[str, Category] = {}
for _owner in NUMBER_CLASSES:
    ENTRIES |= {
        f"{_owner}.__float__": conversion(float, "float"),
        f"{_owner}.__int__": conversion(int, "int"),
        f"{_owner}.__bool__": plain(check_bool),
        f"{_owner}.__hash__": plain(check_hash),
        f"{_owner}.__str__": plain(check_str),
        f"{_owner}.__repr__": plain(check_repr),
        f"{_owner}.__format__": formatting(),
        f"{_owner}.__pos__": plain(check_pos),
        f"{_owner}.conjugate": plain(check_conjugate),
    }


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
