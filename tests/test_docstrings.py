"""The ``>>>`` examples in the docstrings (Rust ``///`` docs and Python modules) run as shown."""

from __future__ import annotations

import doctest
import types

import pytest

import wengert
import wengert._core
import wengert.functional
import wengert.real


def examples(module: types.ModuleType) -> list[doctest.DocTest]:
    finder = doctest.DocTestFinder(exclude_empty=True)
    globs = dict(vars(wengert))
    return [test for test in finder.find(module, module.__name__, globs=globs) if test.examples]


MODULES = [wengert, wengert._core, wengert.functional, wengert.real]
ALL = [test for module in MODULES for test in examples(module)]


def test_there_are_docstring_examples() -> None:
    names = {test.name for test in ALL}
    assert {
        "wengert._core.Trace",
        "wengert._core.MultiTrace",
        "wengert._core.Record",
        "wengert._core.WengertList",
    } <= names
    functional = ["derivative", "grad", "value_and_grad", "jacobian", "jvp", "vjp"]
    assert {f"wengert.functional.{name}" for name in functional} <= names


@pytest.mark.parametrize("test", ALL, ids=[test.name for test in ALL])
def test_docstring_example(test: doctest.DocTest) -> None:
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert attempted > 0
    assert failed == 0, f"{test.name}: {failed} of {attempted} examples failed"
