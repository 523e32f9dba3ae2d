"""The list of elementary functions (src/functions.rs) reaches every place it drives.

The stubs written from it by scripts/generate_stubs.py are committed as generated (a
forgotten regeneration fails here), and each entry is a method of every number class, a
function of ``wengert`` (native for one argument), a name of the command line and a
name of ``wengert.__all__``.
"""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import wengert
import wengert.real
from wengert import Jet, MultiTrace, Record, Trace, _core
from wengert.__main__ import FUNCTIONS as CLI_FUNCTIONS

ROOT = Path(__file__).resolve().parent.parent


def load_generator() -> ModuleType:
    path = ROOT / "scripts" / "generate_stubs.py"
    spec = importlib.util.spec_from_file_location("generate_stubs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generator = load_generator()
ENTRIES = generator.FUNCTIONS
IDS = [f.name for f in ENTRIES]
CLASSES = [Trace, MultiTrace, Record, Jet]


def words(text: str | None) -> list[str]:
    """A docstring's words: the stubs wrap what the runtime writes on one line."""
    assert text is not None
    return text.split()


@pytest.mark.parametrize("path", generator.FILES, ids=lambda path: path.name)
def test_the_generated_regions_are_up_to_date(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert generator.BEGIN in text
    assert generator.generated(path, text) == text, (
        f"{path.name} is stale: run `python scripts/generate_stubs.py` and commit the result"
    )


def test_the_list_is_not_empty_and_its_names_are_unique() -> None:
    names = [f.name for f in ENTRIES]
    assert {"sin", "exp", "atan2", "pow"} <= set(names)
    assert len(names) == len(set(names))


@pytest.mark.parametrize("f", ENTRIES, ids=IDS)
def test_every_method_is_on_every_class(f: Any) -> None:
    for cls in CLASSES:
        for method in f.methods:
            assert method in vars(cls), (cls.__name__, method)
            if not method.startswith("__"):  # a slot's doc is Python's own ("abs(self)")
                doc = getattr(cls, method).__doc__
                assert words(doc) == words(generator.method_doc(f)), (cls.__name__, method)


@pytest.mark.parametrize("f", ENTRIES, ids=IDS)
def test_every_function_is_in_wengert_and_on_the_command_line(f: Any) -> None:
    assert f.name in wengert.__all__
    assert f.name in wengert.real.__all__
    function = getattr(wengert, f.name)
    assert CLI_FUNCTIONS[f.name] == (len(f.parameters), function)
    if len(f.parameters) == 1:
        # the native function, falling back on the definition made from the list
        assert function is getattr(_core, "_" + f.name)
        assert function.__module__ == "wengert"
        assert words(function.__doc__) == words(generator.function_doc(f))
        assert f.name in wengert.real._DEFINITIONS
    else:
        # defined by hand in real.py, its documentation starting with the list's
        assert function.__module__ == "wengert.real"
        assert function.__doc__.split("\n\n")[0] == f.doc


@pytest.mark.parametrize("f", ENTRIES, ids=IDS)
def test_the_math_counterpart_exists(f: Any) -> None:
    # exp2 and cbrt came to math in Python 3.11; before, the value comes from the table
    if f.math and sys.version_info >= (3, 11):
        assert callable(getattr(math, f.math))


def test_the_definitions_are_those_of_the_list() -> None:
    unary = {f.name for f in ENTRIES if len(f.parameters) == 1}
    assert set(wengert.real._DEFINITIONS) == unary


def test_the_math_names_of_wengert_are_the_list_and_log() -> None:
    assert set(wengert.real.__all__) == {f.name for f in ENTRIES} | {"log"}
    assert set(CLI_FUNCTIONS) == {f.name for f in ENTRIES} | {"log"}
