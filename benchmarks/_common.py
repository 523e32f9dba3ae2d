"""What the benchmark scripts share: the best time of a few runs, and a script's own marked
section of benchmarks/RESULTS.md.

Each script that is not ``compare.py`` writes its section between the markers
``<!-- NAME -->`` and ``<!-- /NAME -->`` (NAME being the script's file name), replacing the
section in place, or adding it at the end; ``compare.py`` rewrites the rest of the file and
keeps these sections. Scripts run as ``python benchmarks/NAME.py`` import this module as
``_common`` (the script's folder is first on ``sys.path``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")

Clock = Callable[[], float]


def best(
    run: Callable[[], object],
    repeat: int = 9,
    inner: int = 1,
    clock: Clock = time.process_time,
) -> float:
    """The shortest time of one call of ``run``, in seconds, over ``repeat`` samples of
    ``inner`` calls each, after one warm-up call. CPU time (``process_time``) unless
    ``clock`` says otherwise (``time.perf_counter`` for wall time)."""
    run()
    times = []
    for _ in range(repeat):
        start = clock()
        for _ in range(inner):
            run()
        times.append((clock() - start) / inner)
    return min(times)


def best_interleaved(
    runs: Mapping[str, Callable[[], object]],
    repeat: int,
    clock: Clock = time.process_time,
) -> dict[str, float]:
    """The shortest time of each run over ``repeat`` rounds that run each once in turn
    (after one warm-up round), so that other work on the machine weighs on them alike.
    CPU time unless ``clock`` says otherwise."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for round in range(repeat + 1):
        for name, run in runs.items():
            start = clock()
            run()
            if round:
                times[name].append(clock() - start)
    return {name: min(t) for name, t in times.items()}


def markers(name: str) -> tuple[str, str]:
    """The markers around the section of the script ``name`` (as ``"lanes.py"``)."""
    return f"<!-- {name} -->", f"<!-- /{name} -->"


def marked(name: str, text: str) -> str:
    """``text`` between the markers of ``name``, each on a line of its own."""
    start, end = markers(name)
    newline = "" if text.endswith("\n") else "\n"
    return f"{start}\n{text}{newline}{end}\n"


def kept_section(text: str, name: str) -> str | None:
    """The section of ``name`` in ``text``, markers included, or None if it has none."""
    start, end = markers(name)
    if start in text and end in text:
        return start + text.split(start, 1)[1].split(end, 1)[0] + end
    return None


def write_section(name: str, text: str, path: Path = RESULTS) -> None:
    """Write ``text`` as the section of ``name`` in ``path``: in place of the section it
    has, or after the rest of the file."""
    section = marked(name, text)
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = markers(name)
    if start in old and end in old:
        head, rest = old.split(start, 1)
        tail = rest.split(end, 1)[1]
        new = head + section.rstrip("\n") + tail
    else:
        new = old.rstrip("\n") + "\n\n" + section
    path.write_text(new, encoding="utf-8")
