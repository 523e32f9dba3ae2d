"""The code blocks of docs/guide/travel.md run as written, in order, in one namespace
(the Dask block starts a LocalCluster of two worker processes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

GUIDE = Path(__file__).parent.parent / "docs" / "guide" / "travel.md"


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", GUIDE.read_text(), re.S)


def test_the_guide_has_its_examples() -> None:
    assert len(blocks()) >= 7


@pytest.mark.slow
def test_the_guides_code_runs() -> None:
    pytest.importorskip("distributed")
    namespace: dict[str, object] = {"__name__": "travel_guide"}
    for code in blocks():
        exec(compile(code, str(GUIDE), "exec"), namespace)
