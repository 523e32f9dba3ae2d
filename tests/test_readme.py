"""The README's Python examples run as written and give the numbers it states."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

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
    # The functional API section: the Jacobian it states in a comment, and grad's gradient.
    jacobian = namespace["J"]
    assert isinstance(jacobian, np.ndarray) and jacobian.shape == (2, 2)
    expected = [[math.cos(2), -math.sin(2)], [math.sin(2), math.cos(2)]]
    assert np.allclose(jacobian, expected, rtol=1e-15, atol=0)
    assert np.array_equal(namespace["row"], jacobian[0])
    slope = namespace["slope"]
    assert isinstance(slope, np.ndarray) and slope.dtype == np.float64
    exact = [math.sin(v) + v * math.cos(v) + 2 * v for v in (0.5, 1.0, 2.0)]
    assert np.allclose(slope, exact, rtol=1e-15, atol=0)
    assert math.isclose(
        namespace["value"],
        sum(math.sin(v) * v + v * v for v in (0.5, 1.0, 2.0)),
        rel_tol=1e-15,
    )
    # The NumPy section: the gradient is the first three derivatives, a float64 array.
    gradient = namespace["gradient"]
    assert isinstance(gradient, np.ndarray) and gradient.dtype == np.float64
    assert gradient.tolist() == [math.exp(0.5), 2 * math.exp(1.0), 3 * math.exp(2.0)]


def test_readme_lists_every_example() -> None:
    text = README.read_text(encoding="utf-8")
    for script in (README.parent / "examples").glob("*.py"):
        assert f"`{script.name}`" in text, script.name


def test_readme_gives_the_newcomer_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "pip install . && python -m wengert" in text
    assert "pip install '.[test]' && pytest" in text
