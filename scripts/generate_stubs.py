"""Write the stubs of the elementary functions from their list (src/functions.rs).

    python scripts/generate_stubs.py           rewrite the generated regions in place
    python scripts/generate_stubs.py --check   exit 1 if a region is not what it would write

The list reaches Python as ``wengert._core._FUNCTIONS``, so build the package first
(``maturin develop``). Each file keeps its generated regions between a ``# BEGIN
GENERATED`` and an ``# END GENERATED`` line, and only those are rewritten:

- ``python/wengert/_core.pyi``: in each of Trace, MultiTrace, Record and Jet, the math
  methods;
- ``python/wengert/real.py``: the typed signatures of the functions of one argument (for
  the type checker; at run time they come from ``_FUNCTIONS``) and ``__all__``;
- ``python/wengert/__init__.py``: the import of every function of the list from ``real``
  and its names in ``wengert.__all__`` (spelled out, so that readers of the source, such
  as the documentation's generator, see them).
"""

from __future__ import annotations

import inspect
import re
import sys
import textwrap
from pathlib import Path
from typing import NamedTuple

from wengert import _core

ROOT = Path(__file__).resolve().parent.parent
CORE_STUB = ROOT / "python" / "wengert" / "_core.pyi"
REAL = ROOT / "python" / "wengert" / "real.py"
INIT = ROOT / "python" / "wengert" / "__init__.py"
FILES = (CORE_STUB, REAL, INIT)

BEGIN = "# BEGIN GENERATED"
END = "# END GENERATED"
SOURCE = "by scripts/generate_stubs.py from the list in src/functions.rs"
CLASSES = {
    "Trace": _core.Trace,
    "MultiTrace": _core.MultiTrace,
    "Record": _core.Record,
    "Jet": _core.Jet,
}
LINE_LENGTH = 100


class Function(NamedTuple):
    """One entry of the list (see src/functions.rs)."""

    name: str
    parameters: tuple[str, ...]
    methods: tuple[str, ...]
    math: str
    domain: str
    doc: str


FUNCTIONS = [Function(*entry) for entry in _core._FUNCTIONS]


# ------------------------------------------------------------------ the documentation


def function_doc(f: Function) -> str:
    """The docstring of ``wengert.<name>`` (the native function's, src/python/math_functions.rs)."""
    return (
        f"{f.doc}\n\nDefined for {f.domain}. Takes a float or an int (giving a float, as "
        "`math` does), a Trace, a MultiTrace or a Record (giving the same kind)."
    )


def method_doc(f: Function) -> str:
    """The docstring of its methods (as the macro of src/python/number.rs writes it)."""
    return (
        f"{f.doc}\n\n``wengert.{f.name}`` as a method, with this number as "
        f"``{f.parameters[0]}``; defined for {f.domain}."
    )


def docstring(text: str, indent: str) -> list[str]:
    """``text`` as a docstring at ``indent``, its paragraphs wrapped to the line length."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append("")
        lines += textwrap.wrap(
            paragraph,
            width=LINE_LENGTH - len(indent),
            initial_indent="" if lines else '"""',
            break_long_words=False,
            break_on_hyphens=False,
        )
    if len(lines) == 1 and len(indent + lines[0]) + 3 <= LINE_LENGTH:
        return [indent + lines[0] + '"""']
    return [indent + line if line else "" for line in lines] + [indent + '"""']


# ------------------------------------------------------------------ the regions


def core_methods(cls: str) -> list[str]:
    """The math methods of the class ``cls`` in ``_core.pyi``."""
    lines: list[str] = []
    for f in FUNCTIONS:
        for method in f.methods:
            parameters = ["self"]
            if len(f.parameters) == 2:
                # the name of the operand is the method's own (pow(exponent), atan2(x))
                operand = list(inspect.signature(getattr(CLASSES[cls], method)).parameters)[-1]
                parameters.append(f"{operand}: {cls} | _Number")
            lines.append(f"    def {method}({', '.join(parameters)}) -> {cls}:")
            lines += docstring(method_doc(f), " " * 8)
    return lines


def real_functions() -> list[str]:
    """The typed signatures of the functions of one argument in ``real.py``, and ``__all__``."""
    lines = ["if TYPE_CHECKING:"]
    for f in FUNCTIONS:
        if len(f.parameters) != 1:
            continue  # atan2, hypot, pow: defined by hand in real.py, types and all
        (x,) = f.parameters
        lines += [
            "",
            "    @overload",
            f"    def {f.name}({x}: int) -> float: ...",
            "    @overload",
            f"    def {f.name}({x}: R) -> R: ...",
            f"    def {f.name}({x}: object) -> object:",
            *docstring(function_doc(f), " " * 8),
        ]
    names = sorted([f.name for f in FUNCTIONS], key=natural)
    lines += ["", "", "__all__ = [", *[f'    "{name}",' for name in names], "]"]
    return lines


def init_imports() -> list[str]:
    """The import of the functions from ``real`` in ``__init__.py``, and their names in
    ``__all__``."""
    names = sorted([f.name for f in FUNCTIONS], key=natural)
    return [
        "from wengert.real import (",
        *[f"    {name}," for name in names],
        ")",
        "",
        "__all__ += [",
        *[f'    "{name}",' for name in names],
        "]",
    ]


def natural(name: str) -> list[object]:
    """Sort key: ``log2`` before ``log10``, as ruff sorts ``__all__``."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def generated(path: Path, text: str) -> str:
    """``text`` (the contents of ``path``) with its generated regions rewritten."""
    lines = text.split("\n")
    out: list[str] = []
    cls = None
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        out.append(line)
        if match := re.match(r"class (\w+)", line):
            cls = match.group(1)
        if line.strip() != f"{BEGIN} {SOURCE}":
            continue
        while i < len(lines) and lines[i].strip() != END:
            i += 1
        if i == len(lines):
            raise SystemExit(f"{path}: {BEGIN} without {END}")
        if path == CORE_STUB:
            if cls not in CLASSES:
                raise SystemExit(f"{path}: a generated region outside {', '.join(CLASSES)}")
            out += core_methods(cls)
        elif path == INIT:
            out += init_imports()
        else:
            out += real_functions()
    return "\n".join(out)


def main(argv: list[str]) -> int:
    check = argv == ["--check"]
    if argv and not check:
        print(__doc__, file=sys.stderr)
        return 2
    stale = []
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        if BEGIN not in text:
            raise SystemExit(f"{path}: no {BEGIN} region")
        new = generated(path, text)
        if new != text:
            stale.append(path)
            if not check:
                path.write_text(new, encoding="utf-8")
    for path in stale:
        verb = "is stale" if check else "rewritten"
        print(f"{path.relative_to(ROOT)} {verb}", file=sys.stderr)
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
