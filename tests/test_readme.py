"""The README's Python examples run as written and give the numbers it states."""

from __future__ import annotations

import math
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_the_cartesian_examples() -> None:
    assert len(python_blocks()) >= 4


def test_readme_examples_run_in_order() -> None:
    namespace: dict[str, object] = {}
    for block in python_blocks():
        exec(compile(block, str(README), "exec"), namespace)
    # The Record example's four derivatives, as the README states them.
    assert namespace["dx_dr"] == math.cos(2)
    assert namespace["dy_dr"] == math.sin(2)
    assert namespace["dx_da"] == -math.sin(2)
    assert namespace["dy_da"] == math.cos(2)
    assert namespace["dx_dr_reverse"] == namespace["dx_dr_forward"] == math.cos(2)
    assert namespace["x"] == math.cos(2) and namespace["y"] == math.sin(2)


def test_readme_gives_the_newcomer_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "pip install . && python -m wengert" in text
    assert "pip install '.[test]' && pytest" in text
