"""The documentation site (``docs/``, built by MkDocs; see mkdocs.yml).

- Every Python code block of every page runs as written, page by page and in order, and
  the pages' examples give the numbers they state.
- ``mkdocs build --strict`` passes; every name of ``wengert.__all__`` has an entry in the
  generated API reference (the site's objects inventory) and in its search index.
- Looked at in a real browser (marked ``browser``): the built site is served on 127.0.0.1
  and opened with headless Chromium; the front page and an API page render (a screenshot
  that is not blank, the title and a known function name in the rendered DOM).

The build needs the ``docs`` extra (``pip install '.[docs]'``) and the browser check
Debian's ``chromium``. Without them these tests are skipped, with the reason, except
under CI (``CI=true``), where ``.ci/run`` installs both and a skip would hide a failure:
there they fail instead.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import wengert

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
IN_CI = os.environ.get("CI", "").lower() == "true"


def page_id(page: Path) -> str:
    return page.relative_to(DOCS).as_posix()


def python_blocks(page: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), re.S)


def run_page(relative: str) -> dict[str, object]:
    """Run a page's Python blocks in order in one namespace, and return it."""
    page = DOCS / relative
    namespace: dict[str, object] = {"__name__": f"docs.{relative}"}
    for block in python_blocks(page):
        exec(compile(block, str(page), "exec"), namespace)
    return namespace


def missing(what: str) -> None:
    """Skip for a missing tool, with the reason; under CI, fail: CI installs it."""
    if IN_CI:
        pytest.fail(f"{what} is missing under CI: .ci/run installs it")
    pytest.skip(f"{what} is not installed")


# --- the pages' code ------------------------------------------------------------------------


def test_the_site_has_its_pages() -> None:
    names = {page_id(page) for page in PAGES}
    for expected in (
        "index.md",
        "getting-started.md",
        "guide/modes.md",
        "guide/generic.md",
        "guide/functional.md",
        "guide/recording.md",
        "guide/compile.md",
        "guide/sparse.md",
        "guide/travel.md",
        "guide/higher-order.md",
        "guide/multitrace.md",
        "guide/numpy.md",
        "guide/cli.md",
        "guide/rules.md",
        "guide/performance.md",
        "reference/index.md",
        "engine.md",
    ):
        assert expected in names
    assert sum(len(python_blocks(page)) for page in PAGES) >= 15


@pytest.mark.parametrize("page", [page_id(page) for page in PAGES if python_blocks(page)])
def test_every_python_block_runs(page: str) -> None:
    run_page(page)


def test_the_forward_and_reverse_examples_give_the_exact_derivatives() -> None:
    modes = run_page("guide/modes.md")
    # The Record example's four derivatives (it runs last), as the page states them.
    assert modes["dx_dr"] == math.cos(2)
    assert modes["dy_dr"] == math.sin(2)
    assert modes["dx_da"] == -math.sin(2)
    assert modes["dy_da"] == math.cos(2)
    generic = run_page("guide/generic.md")
    assert generic["dx_dr_reverse"] == generic["dx_dr_forward"] == math.cos(2)
    assert generic["x"] == math.cos(2) and generic["y"] == math.sin(2)


def test_the_functional_examples_give_the_stated_numbers() -> None:
    namespace = run_page("guide/functional.md")
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
        namespace["value"],  # type: ignore[arg-type]
        sum(math.sin(v) * v + v * v for v in (0.5, 1.0, 2.0)),
        rel_tol=1e-15,
    )


def test_the_numpy_example_gives_a_float64_gradient() -> None:
    gradient = run_page("guide/numpy.md")["gradient"]
    assert isinstance(gradient, np.ndarray) and gradient.dtype == np.float64
    assert gradient.tolist() == [math.exp(0.5), 2 * math.exp(1.0), 3 * math.exp(2.0)]


def test_the_examples_page_lists_every_example() -> None:
    text = (DOCS / "guide" / "examples.md").read_text(encoding="utf-8")
    for script in (ROOT / "examples").glob("*.py"):
        assert f"`{script.name}`" in text, script.name


def test_getting_started_gives_the_commands() -> None:
    text = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    for command in (
        "pip install . && python -m wengert",
        "pip install '.[test]' && pytest",
        "pip install '.[docs]' && mkdocs serve",
        "maturin build --release",
        "bash .ci/run",
    ):
        assert command in text


# --- the built site ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once by ``mkdocs build --strict`` into a temporary directory."""
    if importlib.util.find_spec("mkdocs") is None:
        missing("the docs extra (pip install '.[docs]')")
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def inventory(site: Path) -> dict[str, str]:
    """The site's objects inventory (Sphinx's format, as mkdocstrings writes it): name -> URI."""
    data = (site / "objects.inv").read_bytes()
    header_end = 0
    for _ in range(4):  # four lines of header, then the zlib-compressed entries
        header_end = data.index(b"\n", header_end) + 1
    assert data.startswith(b"# Sphinx inventory version 2\n")
    entries = {}
    for line in zlib.decompress(data[header_end:]).decode().splitlines():
        name, _domain, _priority, uri, _shown = line.split(" ", 4)
        entries[name] = uri.replace("$", name)
    return entries


def test_every_public_name_has_a_reference_entry(site: Path) -> None:
    entries = inventory(site)
    for name in wengert.__all__:
        assert f"wengert.{name}" in entries, f"no API reference entry for wengert.{name}"
        assert entries[f"wengert.{name}"].startswith("reference/"), name
    for name in ("Numeric", "Real"):
        assert f"wengert.typing.{name}" in entries


def search_index(site: Path) -> list[dict[str, str]]:
    return json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def test_the_search_index_lists_every_public_name(site: Path) -> None:
    locations = {doc["location"].split("#")[-1] for doc in search_index(site)}
    absent = [name for name in wengert.__all__ if f"wengert.{name}" not in locations]
    assert not absent, f"not in the search index: {absent}"


def test_the_performance_page_shows_the_benchmark_summary(site: Path) -> None:
    results = (ROOT / "benchmarks" / "RESULTS.md").read_text(encoding="utf-8")
    summary = results[results.index("## Summary") : results.index("## All results")]
    first_row = next(line for line in summary.splitlines() if line.startswith("| W"))
    contender = first_row.split("|")[2].strip()
    page = (site / "guide" / "performance" / "index.html").read_text(encoding="utf-8")
    assert contender in page and "benchmark-summary" not in page


# --- in a browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The built site served over HTTP on 127.0.0.1 (a free port), for the module's tests."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # the test's output is the assertions, not an access log


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    missing("chromium (Debian's package: apt-get install chromium)")
    raise AssertionError("unreachable")


def headless(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with ``args``, with a profile of its own in ``tmp_path``."""
    command = [
        chromium,
        "--headless",
        "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=5000",  # let the page's scripts run before the dump
        *args,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk comes first
    return width, height


PAGES_TO_SEE = {
    # path: (the title's start, a known function name in the rendered page)
    "": ("wengert", "WengertList"),
    "reference/math/": ("Math functions", "wengert.atan2"),
}


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES_TO_SEE)
def test_a_page_renders_in_chromium(served: str, chromium: str, tmp_path: Path, path: str) -> None:
    url = served + path
    title, known_name = PAGES_TO_SEE[path]

    dom = headless(chromium, tmp_path, "--dump-dom", url).stdout
    found = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert found and found.group(1).strip().startswith(title), found
    assert known_name in dom
    # Material's scripts ran: they fill in the search box's placeholder and the palette toggle
    assert 'data-md-component="search"' in dom

    screenshot = tmp_path / "page.png"
    headless(chromium, tmp_path, f"--screenshot={screenshot}", "--window-size=1280,900", url)
    png = screenshot.read_bytes()
    assert png_size(png) == (1280, 900)
    from matplotlib import image  # the test extra's; imported here, as it is slow to import

    pixels = image.imread(screenshot)
    # Not blank: a rendered page has text and a coloured header, so many distinct colours.
    colours = np.unique((pixels[..., :3] * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 50, f"the screenshot of {url} looks blank ({len(colours)} colours)"


@pytest.mark.browser
def test_the_served_search_index_lists_every_public_name(served: str, chromium: str) -> None:
    """The search index the browser fetches from the server, not only the file on disk."""
    with urllib.request.urlopen(served + "search/search_index.json", timeout=30) as response:
        docs = json.load(response)["docs"]
    locations = {doc["location"].split("#")[-1] for doc in docs}
    assert all(f"wengert.{name}" in locations for name in wengert.__all__)
