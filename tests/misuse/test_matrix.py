"""The matrix covers the whole public API: every public name has an entry, every entry is
a public name, and every entry has checks."""

from __future__ import annotations

from . import (
    test_binary,
    test_constructors,
    test_conversions,
    test_custom_functions,
    test_functional,
    test_functions,
    test_higher_order,
    test_names,
    test_numpy,
    test_pickle_and_copy,
    test_recording,
    test_sparse,
    test_tapes,
    test_unary,
)
from ._common import Category, public_names

# The entries of every subject.
PARTS: list[dict[str, Category]] = [
    test_functions.ENTRIES,
    test_unary.ENTRIES,
    test_binary.ENTRIES,
    test_conversions.ENTRIES,
    test_custom_functions.ENTRIES,
    test_constructors.ENTRIES,
    test_tapes.ENTRIES,
    test_pickle_and_copy.ENTRIES,
    test_numpy.ENTRIES,
    test_functional.ENTRIES,
    test_recording.ENTRIES,
    test_sparse.ENTRIES,
    test_names.ENTRIES,
    test_higher_order.ENTRIES,
]
MATRIX: dict[str, Category] = {name: category for part in PARTS for name, category in part.items()}


def test_every_public_name_is_in_the_matrix() -> None:
    missing = sorted(public_names() - MATRIX.keys())
    assert not missing, (
        f"public names with no entry in MATRIX (the ENTRIES of tests/misuse/): {missing}; "
        "add one line each to the module of its subject, e.g. "
        "'\"Trace.tan\": unary_method(math.tan)' in test_unary.py"
    )


def test_every_matrix_entry_is_a_public_name() -> None:
    assert sorted(MATRIX.keys() - public_names()) == []
    # and no name has entries in two modules (one would hide the other)
    assert len(MATRIX) == sum(len(part) for part in PARTS)


def test_the_walk_sees_the_whole_api() -> None:
    """The walk itself works: it finds methods, dunders and module functions."""
    names = public_names()
    for expected in ("wengert.sin", "Trace.sin", "Record.__radd__", "Derivatives.at"):
        assert expected in names
    assert "Trace.__new__" not in names


def test_every_entry_has_cases() -> None:
    for name, category in MATRIX.items():
        assert category(name), name
