"""Every script in examples/ runs and prints the documented numbers."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(name: str) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)]


def test_every_example_is_covered() -> None:
    scripts = sorted(p.name for p in EXAMPLES.glob("*.py"))
    assert scripts == sorted(EXPECTED)


EXPECTED = {
    "cartesian_forward.py": [math.cos(2), math.sin(2), -math.sin(2), math.cos(2)],
    "cartesian_reverse.py": [math.cos(2), math.sin(2), -math.sin(2), math.cos(2)],
    "cartesian_generic.py": [math.cos(2), math.cos(2), math.sin(2)],
    "polynomial.py": [9.0, 17.0, -1.0],
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_prints_its_numbers(name: str) -> None:
    assert numbers(run(name)) == EXPECTED[name]
