"""The README is the front page: short, its quick start runs as written, its links lead
into the documentation (whose own examples tests/test_docs.py runs), and its figures are
the benchmark's."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def text() -> str:
    return README.read_text(encoding="utf-8")


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", text(), re.S)


def test_readme_is_a_short_front_page() -> None:
    assert len(README.read_bytes()) < 12 * 1024
    assert python_blocks(), "the quick start"


def test_readme_examples_run_in_order() -> None:
    namespace: dict[str, object] = {}
    for block in python_blocks():
        exec(compile(block, str(README), "exec"), namespace)
    # The quick start's derivatives of sin(x) e^y + x y at (1, 2).
    assert math.isclose(namespace["df_dx"], math.cos(1) * math.exp(2) + 2, rel_tol=1e-15)  # type: ignore[arg-type]
    hessian = namespace["hessian"]
    assert isinstance(hessian, np.ndarray) and hessian.shape == (2, 2)
    x, y = 0.5, -1.0
    exact = [
        [-math.sin(x) * math.exp(y), math.cos(x) * math.exp(y) + 1],
        [math.cos(x) * math.exp(y) + 1, math.sin(x) * math.exp(y)],
    ]
    assert np.allclose(hessian, exact, rtol=1e-14, atol=0)


def test_readme_gives_the_newcomer_commands() -> None:
    assert "pip install . && python -m wengert" in text()
    assert "pip install '.[test]' && pytest" in text()
    assert "pip install '.[docs]' && mkdocs serve" in text()


def test_readme_links_lead_into_the_documentation() -> None:
    links = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text())
    local = [link for link in links if "://" not in link]
    for link in local:
        assert (ROOT / link).is_file(), f"README links to {link}, which does not exist"
    guide = {link for link in local if link.startswith("docs/guide/")}
    assert len(guide) >= 9, "the README links to the guide's pages"
    assert "docs/reference/index.md" in local and "docs/getting-started.md" in local


def test_readme_figures_are_the_benchmark_summary_rows() -> None:
    """The figures between the results-summary markers are rows of RESULTS.md's summary
    (benchmarks/compare.py --readme writes them), never typed by hand."""
    readme = text()
    start = readme.index("<!-- results-summary -->")
    rows = readme[start : readme.index("<!-- /results-summary -->")].splitlines()[3:]
    results = (ROOT / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
    summary = results[results.index("## Summary") : results.index("## All results")]
    assert rows, "the README shows some figures"
    for row in rows:
        assert row in summary.splitlines(), row
