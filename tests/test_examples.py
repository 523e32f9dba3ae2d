"""Every script in examples/ runs and prints the documented numbers."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(name: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)]


def test_every_example_is_covered() -> None:
    scripts = sorted(p.name for p in EXAMPLES.glob("*.py"))
    others = ["xor_network.py", "plot_derivative.py", *SPARSE]
    assert scripts == sorted([*EXPECTED, *others])


SPARSE = ["bratu_newton.py", "rosenbrock_sparse.py", "constrained.py"]


EXPECTED = {
    "cartesian_forward.py": [math.cos(2), math.sin(2), -math.sin(2), math.cos(2)],
    "cartesian_reverse.py": [math.cos(2), math.sin(2), -math.sin(2), math.cos(2)],
    "cartesian_generic.py": [math.cos(2), math.cos(2), math.sin(2)],
    "polynomial.py": [9.0, 17.0, -1.0],
    # the root of cos(x) = x
    "newton.py": [0.7390851332151607],
    # the minimum (1, 1), to the three decimals printed
    "rosenbrock_descent.py": [1.0, 1.0],
    # five times ln 2, then ln 2 itself, to the six decimals printed
    "newton_minimise.py": [0.693147] * 6,
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_prints_its_numbers(name: str) -> None:
    assert numbers(run(name)) == EXPECTED[name]


def test_newton_finds_the_fixed_point_of_cos() -> None:
    (root,) = numbers(run("newton.py"))
    assert root == math.cos(root)


def test_xor_network_learns_xor() -> None:
    loss, *outputs = numbers(run("xor_network.py"))
    assert 0.0 <= loss < 0.05
    assert outputs == [0.0, 1.0, 1.0, 0.0]


def test_plot_derivative_writes_a_png(tmp_path: Path) -> None:
    output = tmp_path / "plot.png"
    printed = run("plot_derivative.py", str(output))
    assert str(output) in printed
    data = output.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    # the first chunk is the image header, with a width and height that are not zero
    assert data[12:16] == b"IHDR"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 100 and height > 100
    assert data[-8:-4] == b"IEND"


def test_bratu_newton_matches_the_exact_solution() -> None:
    text = run("bratu_newton.py")
    assert "n = 100000" in text and "Jacobian colours: 3" in text
    *_, residual, midpoint, exact = numbers(text)
    assert abs(midpoint - exact) <= 1e-6 and abs(exact - 0.140539) < 1e-6
    assert residual < 1e-4  # against terms of size (n + 1)² ~ 1e10


def test_rosenbrock_sparse_reaches_the_minimum() -> None:
    text = run("rosenbrock_sparse.py")
    assert "Hessian colours: 3" in text
    distances = [float(d) for d in re.findall(r"max \|x - 1\| = (\S+)", text)]
    assert len(distances) == 2 and max(distances) < 1e-6


def test_constrained_reaches_the_known_optimum() -> None:
    text = run("constrained.py")
    values = [float(v) for v in re.findall(r"f = (\S+)", text)]
    assert values and all(abs(v - 17.014017) < 1e-3 for v in values)
    assert "IPOPT" in text
