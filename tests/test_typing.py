"""Static typing: ``mypy --strict`` on typed_usage.py, and stubtest of ``wengert._core``.

mypy is a test dependency (``pip install '.[test]'``); if it is missing these tests
fail with a message saying so rather than being skipped.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def require_mypy() -> None:
    if importlib.util.find_spec("mypy") is None:
        pytest.fail("mypy is not installed; install the test dependencies: pip install '.[test]'")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_typed_usage_passes_mypy_strict() -> None:
    require_mypy()
    result = run("-m", "mypy", "--strict", str(TESTS / "typed_usage.py"))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Success" in output, output


def test_typed_usage_has_no_type_ignores() -> None:
    source = (TESTS / "typed_usage.py").read_text(encoding="utf-8")
    assert "type: ignore" not in source
    assert "Any" not in source


def test_typed_usage_runs() -> None:
    import typed_usage

    typed_usage.main()
    x, y = typed_usage.cartesian(1.0, 2.0)
    assert (type(x), type(y)) == (float, float)


def test_stubs_match_the_native_module() -> None:
    require_mypy()
    allowlist = TESTS / "stubtest_allowlist.txt"
    assert allowlist.is_file()
    result = run(
        "-m",
        "mypy.stubtest",
        "wengert._core",
        "--allowlist",
        str(allowlist),
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Success" in output, output
