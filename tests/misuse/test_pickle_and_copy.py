# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""Pickling and copying every class: Trace and MultiTrace pickle as values, a Recording
as its bytes; a Record, Derivatives or WengertList refuses, saying what to pickle
instead; ``copy.copy`` and ``copy.deepcopy`` give the object itself."""

from __future__ import annotations

import copy
import pickle
import struct
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from ._common import (
    NUMBER_CLASSES,
    Case,
    Category,
    cases,
    common_arity_cases,
    custom,
    fresh,
    raises,
    tape_length_unchanged,
    values_of,
    world,
)


def pickles(owner: str) -> bool:
    """Trace and MultiTrace are plain values; the rest belong to a live tape."""
    return owner in ("Trace", "MultiTrace")


# What the refusal to pickle says to pickle instead.
PICKLE_INSTEAD = {
    "Record": "record.number",
    "Derivatives": "numpy.asarray(d)",
    "WengertList": "WengertList()",
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
            elif owner == "Recording":
                for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
                    back = pickle.loads(pickle.dumps(value, protocol=protocol))
                    assert type(back) is type(value)
                    assert back.__reduce__()[1][0] == value.__reduce__()[1][0]
            else:
                for attempt in (value.__reduce__, lambda: pickle.dumps(value)):
                    tape_length_unchanged(
                        w,
                        lambda: raises(
                            TypeError, attempt, "cannot be pickled", PICKLE_INSTEAD[owner]
                        ),
                    )

    return [("behaviour", behaviour), *common_arity_cases(owner, attr, 0)]


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


ENTRIES: dict[str, Category] = {
    "WengertList.__reduce__": custom(reduce_cases),
    "Derivatives.__reduce__": custom(reduce_cases),
    "Derivatives.__copy__": custom(copy_cases),
    "Derivatives.__deepcopy__": custom(copy_cases),
    "Recording.__reduce__": custom(reduce_cases),
    "Recording.__copy__": custom(copy_cases),
    "Recording.__deepcopy__": custom(copy_cases),
}
for _owner in NUMBER_CLASSES:
    ENTRIES |= {
        f"{_owner}.__reduce__": custom(reduce_cases),
        f"{_owner}.__copy__": custom(copy_cases),
        f"{_owner}.__deepcopy__": custom(copy_cases),
    }


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
