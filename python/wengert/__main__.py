"""The wengert command line: ``python -m wengert`` or ``wengert``.

With no arguments it runs the cartesian example of the README in forward
and in reverse mode and shows that the two agree. With an expression and
``name=value`` pairs it prints the value and the gradient::

    $ wengert "5*x**3 - 4*x**2 + 10*x - y" x=1 y=2

The expression is parsed with :mod:`ast` and walked with an allow-list; it is
never ``eval``-ed. Anything else is a one-line error with exit status 2.
"""

from __future__ import annotations

import ast
import keyword
import math
import os
import sys
import textwrap
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from typing import TypeAlias, TypeVar, cast

import wengert
from wengert import Record, Trace, WengertList, _core
from wengert.typing import Real

MAX_LENGTH = 10_000
# Operations (operators, signs, calls) nested in one another, at most; set well below the
# depth where CPython's parser gives up (about 2,900 on 3.11 and 3.12, more on 3.10 and 3.13),
# so that the limit is this one on every version.
MAX_DEPTH = 1_000
TOO_DEEP = f"the expression is nested too deeply (the limit is {MAX_DEPTH:,} levels); simplify it"

Value: TypeAlias = Record | float  # a Record once a variable is involved, else a float
T = TypeVar("T", bound=Real)


def _signatures() -> dict[str, tuple[str, ...]]:
    """The math functions' parameters by name: those of the list of elementary functions
    (src/functions.rs), in its order, and log, which here is ln (wengert.log's base is
    left out)."""
    signatures = {}
    for name, parameters, *_ in _core._FUNCTIONS:
        signatures[name] = parameters
        if name == "ln":
            signatures["log"] = parameters
    return signatures


SIGNATURES = _signatures()
FUNCTIONS: dict[str, tuple[int, Callable[..., Value]]] = {
    name: (len(parameters), getattr(wengert, "ln" if name == "log" else name))
    for name, parameters in SIGNATURES.items()
}


def _usage() -> str:
    """The help text, naming the math functions."""
    nbsp = "\xa0"  # keeps "ln (or log)" and "pow(x, y)" on one line
    unary = [name for name, parameters in SIGNATURES.items() if len(parameters) == 1]
    unary = [f"ln{nbsp}(or{nbsp}log)" if name == "ln" else name for name in unary if name != "log"]
    binary = [
        f"{name}({f',{nbsp}'.join(parameters)})"
        for name, parameters in SIGNATURES.items()
        if len(parameters) == 2
    ]
    expression = textwrap.fill(
        "+ - * / ** (and unary - +), and the functions "
        f"{' '.join(unary)}, and {', '.join(binary)}. The gradient is exact: one "
        "reverse-mode sweep over a WengertList.",
        width=80,
        break_long_words=False,
        break_on_hyphens=False,
    ).replace(nbsp, " ")
    return f"""\
usage: wengert                             run the cartesian example both ways
       wengert EXPRESSION [NAME=VALUE ...] print the value and gradient of EXPRESSION
       wengert -h | --help | --version

EXPRESSION may use numbers, the variables given as NAME=VALUE, pi and e,
{expression}
Put -- before an expression that could be taken for an option. An expression has
at most {MAX_LENGTH:,} characters and {MAX_DEPTH:,} levels of nested operations.

example: wengert "5*x**3 - 4*x**2 + 10*x - y" x=1 y=2"""


USAGE = _usage()
ALLOWED = (
    "allowed are numbers, the variables given as name=value, pi, e, + - * / **, "
    f"and calls of {' '.join(FUNCTIONS)}"
)
OPERATORS: dict[type[ast.AST], Callable[[Value, Value], Value]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: wengert.pow,  # as ** on floats, but ValueError instead of a complex number
}
UNARY: dict[type[ast.AST], Callable[[Value], Value]] = {
    ast.USub: lambda a: -a,
    ast.UAdd: lambda a: +a,
}
SYMBOLS: dict[type[ast.AST], str] = {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@"}
SYMBOLS |= {ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&"}
SYMBOLS |= {ast.Invert: "~", ast.Not: "not"}
FORBIDDEN = {  # friendlier names for the usual suspects; any other node is named by its class
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "subscripts (a[b])",
    ast.Lambda: "lambda",
    ast.BoolOp: "and/or",
    ast.Compare: "comparisons",
    ast.IfExp: "a conditional expression",
    ast.JoinedStr: "an f-string",
    ast.NamedExpr: "an assignment expression (:=)",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.Tuple: "a tuple",
    ast.List: "a list",
    ast.Set: "a set",
    ast.Dict: "a dict",
}


class CliError(Exception):
    """A problem with the user's input; main() prints it as one line and exits with 2."""


def _quote(text: str, limit: int = 60) -> str:
    """``repr(text)``, shortened: always one line, whatever the user typed."""
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "..."


# ---------------------------------------------------------------- the demo


def cartesian(r: T, angle: T) -> tuple[T, T]:
    """x = r cos(angle), y = r sin(angle); one body for floats, Traces and Records."""
    return r * wengert.cos(angle), r * wengert.sin(angle)


def demo() -> int:
    """Run the cartesian example forward and in reverse; 0 if the two agree."""
    r, angle = 1.0, 2.0
    x_r, y_r = cartesian(Trace.variable(r), Trace.constant(angle))
    x_a, y_a = cartesian(Trace.constant(r), Trace.variable(angle))
    forward = [x_r.derivative, x_a.derivative, y_r.derivative, y_a.derivative]

    tape = WengertList()
    r_rec, a_rec = tape.variable(r), tape.variable(angle)
    x_rec, y_rec = cartesian(r_rec, a_rec)
    dx, dy = x_rec.derivatives(), y_rec.derivatives()
    reverse = [dx[r_rec], dx[a_rec], dy[r_rec], dy[a_rec]]

    names = ["dx/dr", "dx/dangle", "dy/dr", "dy/dangle"]
    formulas = ["cos(2)", "-sin(2)", "sin(2)", "cos(2)"]
    exact = [math.cos(angle), -math.sin(angle), math.sin(angle), math.cos(angle)]
    x, y = cartesian(r, angle)
    print("The cartesian example: x = r*cos(angle), y = r*sin(angle) at r = 1.0, angle = 2.0")
    print(f"x = {x!r}, y = {y!r}")
    print()
    print(f"{'':10} {'forward (Trace)':>20} {'reverse (Record)':>20} {'exact':>20}")
    for name, fwd, rev, value, formula in zip(
        names, forward, reverse, exact, formulas, strict=True
    ):
        print(f"{name:10} {fwd!r:>20} {rev!r:>20} {value!r:>20}  = {formula}")
    print()
    if forward == reverse == exact:
        print("forward and reverse mode agree: all four derivatives are equal and exact")
        return 0
    if all(
        math.isclose(a, b, rel_tol=1e-14) for a, b in zip(forward + reverse, exact * 2, strict=True)
    ):
        print("forward and reverse mode agree to within rounding (1e-14)")
        return 0
    print("forward and reverse mode DISAGREE: this is a bug in wengert")
    return 1


# ---------------------------------------------------------------- expressions


def parse_assignments(args: Sequence[str]) -> dict[str, float]:
    """``["x=1", "y=2"]`` -> ``{"x": 1.0, "y": 2.0}``, in the order given."""
    values: dict[str, float] = {}
    for arg in args:
        name, sep, text = arg.partition("=")
        name = unicodedata.normalize("NFKC", name.strip())  # as the parser does
        if not sep or not name:
            raise CliError(f"expected name=value after the expression, got {_quote(arg)}")
        if not name.isidentifier() or keyword.iskeyword(name):
            raise CliError(f"{_quote(name)} is not a valid variable name (use e.g. x or rate_1)")
        if name in FUNCTIONS:
            raise CliError(f"{name!r} is a function name; choose another variable name")
        if name in values:
            raise CliError(f"variable {name!r} is given twice")
        try:
            value = float(text)
        except ValueError:
            raise CliError(f"{name}={_quote(text)}: the value is not a number") from None
        if not math.isfinite(value):
            raise CliError(f"{name}={_quote(text)}: the value must be a finite number")
        values[name] = value
    return values


def parse_expression(source: str) -> ast.expr:
    """Parse (never evaluate) the expression text."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. invalid escapes: rejected below anyway
            return ast.parse(source, mode="eval").body
    except SyntaxError as error:
        raise CliError(f"invalid expression {_quote(source)}: {error.msg}; {ALLOWED}") from None
    except ValueError as error:  # e.g. lone surrogates from undecodable command-line bytes
        raise CliError(f"invalid expression {_quote(source)}: {error}") from None
    except (RecursionError, MemoryError):
        raise CliError(TOO_DEEP) from None


def children(node: ast.expr, names: dict[str, Value]) -> list[ast.expr]:
    """The operands of an allowed node; CliError for anything not on the allow-list."""
    if isinstance(node, ast.Constant):
        number = node.value
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise CliError(f"{type(number).__name__} literals are not allowed; {ALLOWED}")
        try:
            finite = math.isfinite(float(number))
        except OverflowError:  # an int beyond the float range
            finite = False
        if not finite:
            raise CliError("a number in the expression is too large for a float (max. 1.8e308)")
        return []
    if isinstance(node, ast.Name):
        if node.id in FUNCTIONS:
            raise CliError(f"{node.id} is a function: call it as {node.id}(...)")
        if node.id not in names:
            raise CliError(f"unknown name {node.id!r}: give it a value as {node.id}=NUMBER")
        return []
    if isinstance(node, ast.BinOp):
        if type(node.op) not in OPERATORS:
            raise CliError(f"the operator {SYMBOLS.get(type(node.op))} is not allowed; {ALLOWED}")
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        if type(node.op) not in UNARY:
            raise CliError(f"the operator {SYMBOLS.get(type(node.op))} is not allowed; {ALLOWED}")
        return [node.operand]
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise CliError(f"only the math functions can be called, by name; {ALLOWED}")
        if node.func.id not in FUNCTIONS:
            raise CliError(f"unknown function {node.func.id!r}; {ALLOWED}")
        if node.keywords or any(isinstance(arg, ast.Starred) for arg in node.args):
            raise CliError(f"{node.func.id}() takes positional arguments only")
        arity = FUNCTIONS[node.func.id][0]
        if len(node.args) != arity:
            raise CliError(f"{node.func.id}() takes {arity} argument(s), got {len(node.args)}")
        return list(node.args)
    what = FORBIDDEN.get(type(node), type(node).__name__)
    raise CliError(f"the expression uses {what}, which is not allowed; {ALLOWED}")


def evaluate(source: str, tree: ast.expr, names: dict[str, Value]) -> Value:
    """Check the whole tree, then compute it bottom-up; iterative, so depth is no issue."""
    pending = [(tree, 0)]  # a node, and how many operations it is nested in
    while pending:
        node, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise CliError(TOO_DEEP)
        pending.extend((child, depth + 1) for child in children(node, names))

    results: list[Value] = []
    stack: list[tuple[ast.expr, bool]] = [(tree, False)]
    while stack:
        node, operands_done = stack.pop()
        operands = children(node, names)
        if not operands_done and operands:
            stack.append((node, True))
            stack.extend((operand, False) for operand in reversed(operands))
            continue
        args = results[len(results) - len(operands) :]
        del results[len(results) - len(operands) :]
        try:
            results.append(apply(node, args, names))
        except (ArithmeticError, ValueError) as error:
            text = ast.get_source_segment(source, node) or ast.unparse(node)
            overflow = isinstance(error, OverflowError)
            reason = "the result is too large for a float" if overflow else error
            raise CliError(f"cannot evaluate {_quote(text)}: {reason}") from None
    return results[0]


def apply(node: ast.expr, args: list[Value], names: dict[str, Value]) -> Value:
    """One step of the evaluation, on operands that are already computed."""
    if isinstance(node, ast.Constant):
        return float(cast(float, node.value))  # children() checked it: a finite int or float
    if isinstance(node, ast.Name):
        return names[node.id]
    if isinstance(node, ast.BinOp):
        return OPERATORS[type(node.op)](args[0], args[1])
    if isinstance(node, ast.UnaryOp):
        return UNARY[type(node.op)](args[0])
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    return FUNCTIONS[node.func.id][1](*args)


def differentiate(source: str, assignments: Sequence[str]) -> int:
    """Print the value and gradient of ``source`` at the given values; CliError on bad input."""
    if len(source) > MAX_LENGTH:
        raise CliError(f"the expression has {len(source)} characters; the limit is {MAX_LENGTH}")
    source = source.strip()
    values = parse_assignments(assignments)
    tree = parse_expression(source)
    tape = WengertList()
    records = dict(zip(values, tape.variables(values.values()), strict=True))
    names: dict[str, Value] = {"pi": math.pi, "e": math.e, **records}
    result = evaluate(source, tree, names)
    value = result.number if isinstance(result, Record) else result
    if not math.isfinite(value):
        raise CliError(f"the value is {value!r}: an intermediate result overflowed the float range")
    if isinstance(result, Record):
        derivatives = result.derivatives()
        gradient = {name: derivatives[record] for name, record in records.items()}
    else:  # no variable was used
        gradient = dict.fromkeys(records, 0.0)
    lines = [f"f = {source}"]
    if values:
        lines.append("at " + ", ".join(f"{name} = {number!r}" for name, number in values.items()))
    lines.append(f"value = {value!r}")
    lines += [f"df/d{name} = {derivative!r}" for name, derivative in gradient.items()]
    # names may be non-ASCII (θ): escape what the terminal's encoding cannot show
    encoding = sys.stdout.encoding or "utf-8"
    print("\n".join(lines).encode(encoding, "backslashreplace").decode(encoding))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        status = _run(sys.argv[1:] if argv is None else list(argv))
        sys.stdout.flush()  # a closed pipe shows here, not at the interpreter's exit
        return status
    except BrokenPipeError:
        # The reader stopped reading (``wengert ... | head -1``): nothing more to say. Point
        # stdout at /dev/null so the interpreter's own flush at exit raises nothing either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _run(args: list[str]) -> int:
    """The command line on its arguments."""
    if not args:
        return demo()
    if args[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if args[0] == "--version":
        print(f"wengert {wengert.__version__}")
        return 0
    if args[0] == "--":
        args = args[1:]
        if not args:
            print("wengert: error: an expression must follow --", file=sys.stderr)
            return 2
    try:
        return differentiate(args[0], args[1:])
    except CliError as error:
        message = str(error).replace("\n", " ")  # one line, always
        print(f"wengert: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
