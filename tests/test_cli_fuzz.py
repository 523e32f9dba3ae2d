"""The command line under attack: no input runs code, hangs, or ends in a traceback.

Every input must end with exit status 0 (a value and gradient on stdout, nothing on
stderr) or 2 (nothing on stdout, one line on stderr starting ``wengert: error:``).
Inputs that would run code if they were evaluated try to create a canary file; it
must never appear. Most examples call ``main()`` in-process (fast) under a watchdog
alarm that turns a hang into a failure; a few run ``python -m wengert`` with a
timeout.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wengert.__main__ import main

CANARY = Path(os.environ.get("TMPDIR", "/tmp")) / f"wengert-cli-canary-{os.getpid()}"
WATCHDOG_SECONDS = 5  # far above any honest run (milliseconds); only a hang reaches it


class Hang(Exception):
    pass


@contextlib.contextmanager
def watchdog() -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise Hang(f"main() ran for more than {WATCHDOG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(WATCHDOG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def run_in_process(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with watchdog(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(args)
    return status, out.getvalue(), err.getvalue()


def check(args: list[str], status: int, out: str, err: str) -> None:
    """The contract for every input, and the canary."""
    assert not CANARY.exists(), f"{args!r} ran code: the canary file exists"
    if args and args[0] in ("-h", "--help", "--version"):
        assert status == 0 and err == ""
        return
    assert status in (0, 2), (args, status, out, err)
    if status == 0:
        assert err == "" and "value = " in out, (args, out, err)
    else:
        assert out == "", (args, out)
        assert err.startswith("wengert: error: "), (args, err)
        assert err.endswith("\n") and err.count("\n") == 1, (args, err)
        assert "Traceback" not in err


# Pieces of Python, allowed and not, to build adversarial expressions from.
ATOMS = [
    "x",
    "y",
    "pi",
    "e",
    "1",
    "2.5",
    "0",
    "-0.0",
    "1e308",
    "1e309",
    "10**400",
    "9**9**9",
    "0x10",
    "1_000",
    "1j",
    "True",
    "None",
    "...",
    "'a'",
    "b'a'",
    "f'{x}'",
    "__import__",
    "__builtins__",
    "open",
    "eval",
    "exec",
    "globals()",
    "os",
    "sys",
    "print",
    "sin",
    "nan",
    "inf",
    "θ",
    "x̅",
    "\U0001d431",  # MATHEMATICAL BOLD SMALL X: NFKC makes it x
    "\uff58",  # FULLWIDTH LATIN SMALL LETTER X
    "\x00",
    "\ud800",
    "[]",
    "()",
    "{}",
]
FUNCTIONS = ["sin", "cos", "exp", "ln", "log", "sqrt", "abs", "pow", "open", "__import__", "f"]
CANARY_ATTACKS = [
    f"__import__('os').system('touch {CANARY}')",
    f"open('{CANARY}', 'w')",
    f"exec(\"open('{CANARY}', 'w')\")",
    f"eval(\"open('{CANARY}', 'w')\")",
    f"().__class__.__base__.__subclasses__()[0]('{CANARY}')",
    f"[open('{CANARY}', 'w') for _ in (1,)]",
    f"(lambda: open('{CANARY}', 'w'))()",
    f"f\"{{open('{CANARY}', 'w')}}\"",
    f"(w := open('{CANARY}', 'w'))",
    f"sin(open('{CANARY}', 'w'))",
    f"x if open('{CANARY}', 'w') else y",
    f"__builtins__['open']('{CANARY}', 'w')",
    f"x.__class__.__init__.__globals__['os'].system('touch {CANARY}')",
    f"sin.__globals__['__builtins__'].open('{CANARY}', 'w')",
    f"breakpoint() or open('{CANARY}', 'w')",
    f"x + open('{CANARY}', 'w').write('1')",
    f"pow(x, open('{CANARY}', 'w'))",
    f"sin(x=open('{CANARY}', 'w'))",
    f"sin(*[open('{CANARY}', 'w')])",
    f"open\n('{CANARY}', 'w')",
]
HUGE = [
    "9**9**9",
    "9**9**9**9",
    "10**400",
    "2**1024",
    "1e309",
    "-1e309",
    "9" * 5000,
    "1" + "0" * 4400,
    "x**1e308",
    "exp(exp(exp(x)))",
    "(-8)**(1/3)",
    "0**-1",
    "1/0",
    "ln(0)",
    "sqrt(-1)",
    "x/(x-x)",
    "pow(10, 400)",
    "1e308*10",
    "x*1e308*1e308",
]


def expressions() -> st.SearchStrategy[str]:
    atoms = st.sampled_from(ATOMS)
    return st.recursive(
        atoms,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(BINARY), inner).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
            st.tuples(st.sampled_from(["-", "+", "~", "not ", "*", "**", "await "]), inner).map(
                "".join
            ),
            st.tuples(st.sampled_from(FUNCTIONS), st.lists(inner, max_size=3)).map(
                lambda t: f"{t[0]}({', '.join(t[1])})"
            ),
            inner.map(lambda s: f"({s})"),
            inner.map(lambda s: f"{s}.__class__"),
            inner.map(lambda s: f"{s}[0]"),
            inner.map(lambda s: f"lambda: {s}"),
            inner.map(lambda s: f"[{s} for x in (1, 2)]"),
            inner.map(lambda s: f"sin(x={s})"),
        ),
        max_leaves=12,
    )


BINARY = [
    "+",
    "-",
    "*",
    "/",
    "**",
    "//",
    "%",
    "@",
    "<<",
    "&",
    " and ",
    " or ",
    "<",
    "==",
    " if x else ",
    ",",
    ":=",
    ";",
    "\n",
]

ASSIGNMENTS = st.lists(
    st.one_of(
        st.sampled_from(["x=1", "y=2", "x=0.5", "y=-3", "θ=1", "x=nan", "x=1e309", "x=", "=1"]),
        st.tuples(
            st.sampled_from(["x", "y", "pi", "sin", "__import__", "if", "1x", "x y", ""]),
            st.one_of(st.text(max_size=6), st.floats().map(repr), st.integers().map(str)),
        ).map(lambda t: f"{t[0]}={t[1]}"),
        st.text(max_size=8),
    ),
    max_size=3,
)


@pytest.fixture(autouse=True, scope="module")
def no_canary() -> Iterator[None]:
    CANARY.unlink(missing_ok=True)
    yield
    assert not CANARY.exists(), "an expression ran code: the canary file exists"


@settings(max_examples=300)
@given(expression=expressions(), assignments=ASSIGNMENTS)
def test_random_expressions(expression: str, assignments: list[str]) -> None:
    args = ["--", expression, *assignments]
    check(args, *run_in_process(args))


@settings(max_examples=150)
@given(text=st.text(max_size=300), assignments=ASSIGNMENTS)
def test_random_text(text: str, assignments: list[str]) -> None:
    args = [text, *assignments]
    check(args, *run_in_process(args))


@settings(max_examples=30)
@given(
    depth=st.integers(min_value=1, max_value=20_000),
    shape=st.sampled_from(["({})", "-{}", "sin({})", "{}**x", "x**{}", "+{}", "x*({}+1)"]),
)
def test_deep_nesting(depth: int, shape: str) -> None:
    expression = "x"
    left, right = shape.split("{}")
    expression = left * depth + "x" + right * depth
    args = [expression, "x=0.5"]
    check(args, *run_in_process(args))


@pytest.mark.parametrize("expression", CANARY_ATTACKS + HUGE)
def test_attacks_and_huge_numbers(expression: str) -> None:
    args = [expression, "x=2", "y=3"]
    status, out, err = run_in_process(args)
    check(args, status, out, err)
    if expression in CANARY_ATTACKS:
        assert status == 2


def test_a_very_long_expression_is_refused_quickly() -> None:
    for expression in ["x+" * 5000 + "x", "1" * 10_001, "(" * 100_000]:
        status, _, err = run_in_process([expression, "x=1"])
        assert status == 2 and err.startswith("wengert: error: ")


def test_the_canary_works() -> None:
    """The canary is a real file path: evaluating an attack would create it."""
    exec(CANARY_ATTACKS[1] + ".close()")
    assert CANARY.exists()
    CANARY.unlink()


SUBPROCESS_CASES = [
    CANARY_ATTACKS[0],
    CANARY_ATTACKS[4],
    "9**9**9**9",
    "(" * 1000 + "x" + ")" * 1000,
    "-" * 9000 + "x",
    "x\x00",
    "\udcff",
    "sin(" * 400 + "x" + ")" * 400,
]


@pytest.mark.parametrize("expression", SUBPROCESS_CASES)
def test_attacks_in_a_subprocess(expression: str) -> None:
    args = [expression, "x=2"]
    if "\x00" in expression:
        # a NUL cannot be in a command-line argument; pass it where the OS allows
        args = [expression.replace("\x00", ""), "x=2\x01"]
    completed = subprocess.run(
        [sys.executable, "-m", "wengert", "--", *args],
        capture_output=True,
        timeout=20,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    out = completed.stdout.decode("utf-8", "backslashreplace")
    err = completed.stderr.decode("utf-8", "backslashreplace")
    check(["--", *args], completed.returncode, out, err)
