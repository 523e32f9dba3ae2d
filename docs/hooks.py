"""MkDocs hooks (loaded by mkdocs.yml).

A page that holds the line ``<!-- benchmark-summary -->`` gets, in its place, the
"Summary" section of ``benchmarks/RESULTS.md`` as ``benchmarks/compare.py`` last wrote
it, with the run's machine and versions: the figures are never copied by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PLACEHOLDER = "<!-- benchmark-summary -->"
RESULTS = Path(__file__).resolve().parent.parent / "benchmarks" / "RESULTS.md"


def benchmark_summary() -> str:
    """The summary table of RESULTS.md, after the lines that say where it was measured."""
    text = RESULTS.read_text(encoding="utf-8")
    start = text.index("## Summary\n") + len("## Summary\n")
    end = text.index("\n## ", start)
    head = text[:start].splitlines()
    generated = [line for line in head if line.startswith("Generated")]
    machine = [line for line in head if line.startswith("- ")]  # CPU, Python, packages
    parts = ["\n".join(generated), "\n".join(machine), text[start:end].strip()]
    return "\n\n".join(parts) + "\n"


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    if PLACEHOLDER in markdown:
        return markdown.replace(PLACEHOLDER, benchmark_summary())
    return markdown
