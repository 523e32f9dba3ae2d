"""The command line: ``python -m wengert`` and ``wengert.__main__.main``."""

from __future__ import annotations

import math
import os
import subprocess
import sys

import pytest
from conftest import math_function

import wengert
from wengert.__main__ import MAX_DEPTH, TOO_DEEP, main

POLYNOMIAL = ["5*x**3 - 4*x**2 + 10*x - y", "x=1", "y=2"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wengert", *args],
        capture_output=True,
        text=True,
        errors="backslashreplace",
        timeout=30,
        check=False,
    )


def numbers(output: str) -> dict[str, float]:
    """``name = number`` lines of the output, e.g. ``{"value": 9.0, "df/dx": 17.0}``."""
    found = {}
    for line in output.splitlines():
        name, sep, text = line.partition(" = ")
        if sep and (name == "value" or name.startswith("df/d")):
            found[name] = float(text)
    return found


def demo_rows(output: str) -> dict[str, list[float]]:
    """The demo table: derivative name -> [forward, reverse, exact]."""
    rows = {}
    for line in output.splitlines():
        parts = line.split()
        if parts and parts[0] in ("dx/dr", "dx/dangle", "dy/dr", "dy/dangle"):
            rows[parts[0]] = [float(p) for p in parts[1:4]]
    return rows


EXACT_DEMO = {
    "dx/dr": math.cos(2.0),
    "dx/dangle": -math.sin(2.0),
    "dy/dr": math.sin(2.0),
    "dy/dangle": math.cos(2.0),
}


def check_demo(status: int, out: str, err: str) -> None:
    assert status == 0
    assert err == ""
    rows = demo_rows(out)
    assert set(rows) == set(EXACT_DEMO)
    for name, exact in EXACT_DEMO.items():
        assert rows[name] == [exact, exact, exact], name
    assert "x = r*cos(angle), y = r*sin(angle)" in out
    assert out.rstrip().splitlines()[-1].startswith("forward and reverse mode agree")


def test_demo_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    status = main([])
    captured = capsys.readouterr()
    check_demo(status, captured.out, captured.err)


def test_demo_subprocess() -> None:
    result = run()
    check_demo(result.returncode, result.stdout, result.stderr)


def test_polynomial_expression_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(POLYNOMIAL) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out == (
        "f = 5*x**3 - 4*x**2 + 10*x - y\n"
        "at x = 1.0, y = 2.0\n"
        "value = 9.0\n"
        "df/dx = 17.0\n"
        "df/dy = -1.0\n"
    )


def test_polynomial_expression_subprocess() -> None:
    result = run(*POLYNOMIAL)
    assert (result.returncode, result.stderr) == (0, "")
    assert numbers(result.stdout) == {"value": 9.0, "df/dx": 17.0, "df/dy": -1.0}


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    for flag in ("-h", "--help"):
        assert main([flag]) == 0
        captured = capsys.readouterr()
        assert captured.out.startswith("usage: wengert")
        assert captured.err == ""
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"wengert {wengert.__version__}\n"
    result = run("--help")
    assert (result.returncode, result.stderr) == (0, "")
    assert "usage: wengert" in result.stdout


def gradient(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, float]:
    assert main(list(args)) == 0, capsys.readouterr().err
    return numbers(capsys.readouterr().out)


@pytest.mark.parametrize(("x", "y"), [(0.5, -1.25), (2.0, 3.0), (-3.0, 0.75)])
def test_gradients_match_formulas(capsys: pytest.CaptureFixture[str], x: float, y: float) -> None:
    at = [f"x={x!r}", f"y={y!r}"]
    approx = pytest.approx  # the formulas are the exact derivatives; allow only rounding

    got = gradient(capsys, "sin(x)*exp(y)", *at)
    assert got["value"] == approx(math.sin(x) * math.exp(y), rel=1e-14)
    assert got["df/dx"] == approx(math.cos(x) * math.exp(y), rel=1e-14)
    assert got["df/dy"] == approx(math.sin(x) * math.exp(y), rel=1e-14)

    got = gradient(capsys, "sqrt(x*x + y*y)", *at)
    norm = math.hypot(x, y)
    assert got["value"] == approx(norm, rel=1e-14)
    assert got["df/dx"] == approx(x / norm, rel=1e-14)
    assert got["df/dy"] == approx(y / norm, rel=1e-14)

    got = gradient(capsys, "pow(x, 3) - y**2", *at)
    assert got == approx({"value": x**3 - y**2, "df/dx": 3 * x**2, "df/dy": -2 * y}, rel=1e-14)

    got = gradient(capsys, "log(abs(x)) + ln(y*y)", *at)
    assert got["df/dx"] == approx(1 / x, rel=1e-14)
    assert got["df/dy"] == approx(2 / y, rel=1e-14)

    got = gradient(capsys, "x / y - cos(x*y)", *at)
    assert got["df/dx"] == approx(1 / y + y * math.sin(x * y), rel=1e-14)
    assert got["df/dy"] == approx(-x / y**2 + x * math.sin(x * y), rel=1e-14)


@pytest.mark.parametrize(("x", "y"), [(0.5, -1.25), (2.0, 3.0), (-3.0, 0.75)])
def test_the_other_math_functions(capsys: pytest.CaptureFixture[str], x: float, y: float) -> None:
    at = [f"x={x!r}", f"y={y!r}"]
    approx = pytest.approx

    got = gradient(capsys, "atan2(y, x) + hypot(x, y)", *at)
    r = math.hypot(x, y)
    assert got["value"] == math.atan2(y, x) + r
    assert got["df/dx"] == approx(-y / r**2 + x / r, rel=1e-14)
    assert got["df/dy"] == approx(x / r**2 + y / r, rel=1e-14)

    got = gradient(capsys, "tanh(x) * erf(y) + floor(x)", *at)
    assert got["value"] == math.tanh(x) * math.erf(y) + math.floor(x)
    assert got["df/dx"] == approx(math.erf(y) / math.cosh(x) ** 2, rel=1e-14)
    gauss = 2 / math.sqrt(math.pi) * math.exp(-y * y)
    assert got["df/dy"] == approx(math.tanh(x) * gauss, rel=1e-14)

    got = gradient(capsys, "log2(x*x) + cbrt(y) + atan(x) + asinh(y)", *at)
    assert got["df/dx"] == approx(2 / (x * math.log(2)) + 1 / (1 + x * x), rel=1e-14)
    expected = 1 / (3 * math_function("cbrt")(y) ** 2) + 1 / math.sqrt(1 + y * y)
    assert got["df/dy"] == approx(expected, rel=1e-14)


def test_the_other_math_functions_raise_as_math_does(capsys: pytest.CaptureFixture[str]) -> None:
    for expression in ("acos(x)", "atanh(x - 1)", "log1p(-x)"):
        assert main([expression, "x=2"]) == 2
        assert "math domain error" in capsys.readouterr().err
    assert main(["cosh(x)", "x=1000"]) == 2
    assert "too large for a float" in capsys.readouterr().err
    assert main(["atan2(x)", "x=1"]) == 2
    assert "atan2() takes 2 argument(s), got 1" in capsys.readouterr().err


def test_constants_variables_and_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert gradient(capsys, "e**x + pi*x", "x=1") == {
        "value": math.e + math.pi,
        "df/dx": math.e + math.pi,
    }
    # pi given as a variable replaces the constant
    assert gradient(capsys, "pi*2", "pi=1") == {"value": 2.0, "df/dpi": 2.0}
    # variables are listed in the order given; an unused one has derivative 0
    assert main(["y - x", "y=1", "x=2", "z=3"]) == 0
    assert capsys.readouterr().out.splitlines()[1:] == [
        "at y = 1.0, x = 2.0, z = 3.0",
        "value = -1.0",
        "df/dy = 1.0",
        "df/dx = -1.0",
        "df/dz = 0.0",
    ]
    # no variables at all: just the value
    assert main(["2**10 + -1"]) == 0
    assert capsys.readouterr().out == "f = 2**10 + -1\nvalue = 1023.0\n"
    # an expression that starts with - is an expression, and -- protects one that looks like -h
    assert gradient(capsys, "-x", "x=2") == {"value": -2.0, "df/dx": -1.0}
    assert gradient(capsys, "--", "-h", "h=2") == {"value": -2.0, "df/dh": -1.0}


def test_derivatives_at_edges(capsys: pytest.CaptureFixture[str]) -> None:
    assert gradient(capsys, "abs(x)", "x=0") == {"value": 0.0, "df/dx": 0.0}
    assert gradient(capsys, "sqrt(x)", "x=0") == {"value": 0.0, "df/dx": math.inf}
    assert gradient(capsys, "x**0", "x=0") == {"value": 1.0, "df/dx": 0.0}
    assert gradient(capsys, "x**2", "x=-3") == {"value": 9.0, "df/dx": -6.0}
    # a huge exponent is fine while the value stays finite (numbers become floats first)
    assert gradient(capsys, "x**10**300", "x=1") == {"value": 1.0, "df/dx": 1e300}


REJECTED: list[list[str]] = [
    # code execution and escape attempts
    ["__import__('os').system('echo hi')"],
    ["x.__class__", "x=1"],
    ["sin.__call__(1)"],
    ["[x for x in y]", "y=1"],
    ["(x for x in y)", "y=1"],
    ["{x: 1 for x in y}", "y=1"],
    ["lambda: 1"],
    ["(lambda: 1)()"],
    ["x[0]", "x=1"],
    ["open('f')"],
    ["print(x)", "x=1"],
    ["globals()"],
    ["sin(x)(x)", "x=1"],
    ["(x := 1)"],
    ["await x", "x=1"],
    ["yield x"],
    # not on the allow-list
    ["x and y", "x=1", "y=2"],
    ["x < 1", "x=1"],
    ["x if x else 1", "x=1"],
    ['f"{x}"', "x=1"],
    ["'abc'"],
    ["b'abc'"],
    ["1j"],
    ["True"],
    ["None"],
    ["..."],
    ["(x, x)", "x=1"],
    ["{x: 1}", "x=1"],
    ["x // 2", "x=1"],
    ["x % 2", "x=1"],
    ["x @ x", "x=1"],
    ["x << 1", "x=1"],
    ["~x", "x=1"],
    ["not x", "x=1"],
    ["sin(x=1)"],
    ["sin(*x)", "x=1"],
    ["sin()"],
    ["sin(x, x)", "x=1"],
    ["pow(x)", "x=1"],
    ["sin", "x=1"],
    ["z"],
    ["x + y", "x=1"],
    # syntax, size and depth
    [""],
    ["   "],
    ["1 +"],
    ["x=1"],
    ["x\n+ 1", "x=1"],
    ["(" * 10000],
    ["-" * 100000 + "1"],
    ["-" * 9000 + "1"],
    ["x+" * 4000 + "x", "x=1"],
    ["x**" * 3000 + "x", "x=1"],
    ["(" * 4999 + "x" + ")" * 4999, "x=1"],
    ["x" * 10001],
    ["9" * 5000],
    ["9" * 400],
    ["1e999"],
    # math errors and overflow
    ["9**9**9**9"],
    ["10**400"],
    ["10.0**10**10"],
    ["ln(0)"],
    ["log(-1)"],
    ["1/0"],
    ["x/0", "x=1"],
    ["x**-1", "x=0"],
    ["sqrt(-1)"],
    ["exp(1000)"],
    ["exp(x)", "x=1000"],
    ["pow(-8, 1/3)"],
    ["x ** 0.5", "x=-1"],
    ["x*1e308*10", "x=1"],
    ["1e308*10 - 1e308*10"],
    # malformed name=value arguments
    ["x", "x"],
    ["x", "=1"],
    ["x", "1x=2"],
    ["x", "x-y=2"],
    ["x", "for=1"],
    ["x", "sin=1"],
    ["x", "x=abc"],
    ["x", "x="],
    ["x", "x=1=2"],
    ["x", "x=1e999"],
    ["x", "x=-inf"],
    ["x", "x=nan"],
    ["x", "x=1", "x=2"],
    ["x", "x=0x10"],
    ["--"],
]


def check_rejected(status: int, out: str, err: str) -> None:
    assert status == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("wengert: error: ")
    assert len(lines[0]) > len("wengert: error: ") + 10
    assert "Traceback" not in err


@pytest.mark.parametrize("args", REJECTED, ids=lambda args: repr(args)[:40])
def test_rejected_in_process(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    status = main(args)
    captured = capsys.readouterr()
    check_rejected(status, captured.out, captured.err)


@pytest.mark.parametrize("args", REJECTED, ids=lambda args: repr(args)[:40])
def test_rejected_subprocess(args: list[str]) -> None:
    result = run(*args)  # its timeout catches a hang
    check_rejected(result.returncode, result.stdout, result.stderr)
    assert "hi" not in result.stdout


def nested(depth: int, prefix: str, per_level: str, suffix: str = "") -> str:
    """``prefix`` and then ``per_level`` repeated, around ``x``: ``depth`` nested operations."""
    return prefix + per_level * depth + "x" + suffix


DEPTHS = {  # an expression of depth d (operations nested in one another), by shape
    "a sum": lambda d: nested(d, "", "x+"),
    "signs": lambda d: nested(d, "", "-"),
    "powers": lambda d: nested(d, "", "x**"),
    "calls and signs": lambda d: nested(d - 150, "sin(" * 150, "-", ")" * 150),
}


@pytest.mark.parametrize("shape", DEPTHS)
def test_the_depth_limit_is_the_same_on_every_python(
    capsys: pytest.CaptureFixture[str], shape: str
) -> None:
    """MAX_DEPTH nested operations are evaluated, one more is refused, whatever CPython's
    parser allows (it gives up at other depths on 3.10 and 3.13 than on 3.11 and 3.12)."""
    assert main([DEPTHS[shape](MAX_DEPTH), "x=1"]) == 0
    capsys.readouterr()
    assert main([DEPTHS[shape](MAX_DEPTH + 1), "x=1"]) == 2
    err = capsys.readouterr().err
    assert err == f"wengert: error: {TOO_DEEP}\n" and "1,000 levels" in err


def test_rejections_say_what_is_allowed(capsys: pytest.CaptureFixture[str]) -> None:
    cases = {
        "x.__class__": "attribute access",
        "x[0]": "subscripts",
        "open('f')": "unknown function 'open'",
        "'abc'": "str literals",
        "x // 2": "//",
    }
    for expression, what in cases.items():
        assert main([expression, "x=1"]) == 2
        err = capsys.readouterr().err
        assert what in err
        assert "allowed are numbers" in err and "sin cos exp ln log sqrt abs pow" in err
    assert main(["y", "x=1"]) == 2
    assert "unknown name 'y': give it a value as y=NUMBER" in capsys.readouterr().err
    assert main(["ln(x)", "x=0"]) == 2
    assert "cannot evaluate 'ln(x)'" in capsys.readouterr().err
    assert main(["x", "x=inf"]) == 2
    assert "finite" in capsys.readouterr().err


def test_rejections_with_odd_characters(capsys: pytest.CaptureFixture[str]) -> None:
    # null bytes cannot be passed through argv, and lone surrogates come from undecodable bytes
    for args in (["x\0", "x=1"], ["x\udcff", "x=1"], ["x", "x\udcff=1"], ["x", "x=1\n2"]):
        assert main(args) == 2
        captured = capsys.readouterr()
        check_rejected(2, captured.out, captured.err)


def test_non_ascii_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert gradient(capsys, "θ*y", "θ=2", "y=3") == {"value": 6.0, "df/dθ": 3.0, "df/dy": 2.0}
    # a terminal that cannot show the names gets escapes, not a traceback
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    result = subprocess.run(
        [sys.executable, "-m", "wengert", "θ*2", "θ=1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert "df/d\\u03b8 = 2.0" in result.stdout


@pytest.mark.parametrize("args", [[], ["x*x", "x=3"], ["--help"]])
def test_a_reader_that_stops_reading_gets_no_traceback(args: list[str]) -> None:
    """``wengert ... | head -0``: the pipe closes before the output is written."""
    process = subprocess.Popen(
        [sys.executable, "-m", "wengert", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read()
    assert process.wait() == 1
    assert errors == b""
