"""The fast number slots give exactly what the general path gives, and release what they hold.

`a * b` between Traces, Records and floats runs a fast path in native code; calling the
dunder method (`type(a).__mul__(a, b)`) still runs the general one. Both must agree bit
for bit, raise the same errors, and every other operand kind must fall through to the
general path.
"""

from __future__ import annotations

import gc
import math
import operator
import struct
import subprocess
import sys
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wengert import MixedTapesError, Record, Trace, WengertList

OPERATORS: dict[str, tuple[Callable[[object, object], object], str, str]] = {
    "+": (operator.add, "__add__", "__radd__"),
    "-": (operator.sub, "__sub__", "__rsub__"),
    "*": (operator.mul, "__mul__", "__rmul__"),
    "/": (operator.truediv, "__truediv__", "__rtruediv__"),
    "**": (operator.pow, "__pow__", "__rpow__"),
}

finite = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False)


def bits(x: float) -> bytes:
    return struct.pack("<d", x)


def outcome(f: Callable[[], object]) -> object:
    """The result of `f()`, or the type of the exception it raised."""
    try:
        return f()
    except (ArithmeticError, ValueError, TypeError) as error:
        return type(error)


def trace_key(result: object) -> object:
    if isinstance(result, Trace):
        return (bits(result.number), bits(result.derivative))
    return result


@pytest.mark.parametrize("symbol", OPERATORS)
@given(x=finite, dx=finite, y=finite, dy=finite)
def test_trace_fast_path_matches_the_dunder_methods(
    symbol: str, x: float, dx: float, y: float, dy: float
) -> None:
    op, name, rname = OPERATORS[symbol]
    a, b = Trace(x, dx), Trace(y, dy)
    pairs = [
        (lambda: op(a, b), lambda: getattr(Trace, name)(a, b)),
        (lambda: op(a, y), lambda: getattr(Trace, name)(a, y)),
        (lambda: op(x, b), lambda: getattr(Trace, rname)(b, x)),
    ]
    for fast, general in pairs:
        assert trace_key(outcome(fast)) == trace_key(outcome(general))


@pytest.mark.parametrize("symbol", OPERATORS)
@given(x=finite, y=finite)
def test_record_fast_path_matches_the_dunder_methods(symbol: str, x: float, y: float) -> None:
    op, name, rname = OPERATORS[symbol]
    fast_tape, general_tape = WengertList(), WengertList()
    fa, fb = fast_tape.variables([x, y])
    ga, gb = general_tape.variables([x, y])
    pairs = [
        (lambda: op(fa, fb), lambda: getattr(Record, name)(ga, gb)),
        (lambda: op(fa, y), lambda: getattr(Record, name)(ga, y)),
        (lambda: op(x, fb), lambda: getattr(Record, rname)(gb, x)),
        (lambda: op(fa, Record.constant(y)), lambda: getattr(Record, name)(ga, Record.constant(y))),
    ]
    for fast, general in pairs:
        f, g = outcome(fast), outcome(general)
        if isinstance(f, Record):
            assert isinstance(g, Record)
            assert bits(f.number) == bits(g.number)
            df, dg = f.derivatives(), g.derivatives()
            for fv, gv in ((fa, ga), (fb, gb)):
                assert bits(df[fv]) == bits(dg[gv])
        else:
            assert f == g
    assert len(fast_tape) == len(general_tape)


@pytest.mark.parametrize("symbol", OPERATORS)
@pytest.mark.parametrize(
    "other",
    [2, True, 2**70, 10**400, "2", None, [1.0], 2j],
    ids=["int", "bool", "big-int", "huge-int", "str", "None", "list", "complex"],
)
def test_other_operands_take_the_general_path(symbol: str, other: object) -> None:
    tape = WengertList()
    for a in (Trace(1.5, 1.0), tape.variable(1.5)):
        check_general_path(symbol, a, other)


def check_general_path(symbol: str, a: object, other: object) -> None:
    op, name, rname = OPERATORS[symbol]
    forward = outcome(lambda: op(a, other))
    reflected = outcome(lambda: op(other, a))
    method = outcome(lambda: getattr(type(a), name)(a, other))
    rmethod = outcome(lambda: getattr(type(a), rname)(a, other))
    if method is NotImplemented:  # Python then tries the other side, then raises
        assert forward is TypeError
    else:
        assert type(forward) is type(method)
        assert forward == method
    if rmethod is NotImplemented:
        assert reflected is TypeError
    else:
        assert type(reflected) is type(rmethod)
        assert reflected == rmethod


def test_negation_fast_path() -> None:
    t = -Trace(2.0, 3.0)
    assert (t.number, t.derivative) == (-2.0, -3.0)
    tape = WengertList()
    x = tape.variable(2.0)
    y = -x
    assert y.number == -2.0 and y.derivatives()[x] == -1.0
    assert (-Record.constant(4.0)).number == -4.0


def test_modulus_still_refused() -> None:
    with pytest.raises(TypeError, match="modulus"):
        pow(Trace(2.0, 1.0), 2.0, 5)
    with pytest.raises(TypeError, match="modulus"):
        pow(WengertList().variable(2.0), 2.0, 5)
    assert pow(Trace(2.0, 1.0), 3.0, None) == 8.0


def test_math_errors_from_the_fast_path() -> None:
    tape = WengertList()
    for a in (Trace(1.0, 1.0), tape.variable(1.0)):
        with pytest.raises(ZeroDivisionError):
            a / 0.0
        with pytest.raises(ZeroDivisionError):
            a / (a - 1.0)
        with pytest.raises(OverflowError):
            (a * 10.0) ** 400.0
        with pytest.raises(ValueError):
            (-a) ** 0.5
    # The variable, a - 1, a * 10 and -a; nothing for the operations that failed.
    assert len(tape) == 4


def test_records_release_their_tape() -> None:
    tape = WengertList()
    x = tape.variable(1.5)
    before = sys.getrefcount(tape)
    for _ in range(10_000):
        y = x * 2.0
        y = 2.0 * y - x
        del y
    assert sys.getrefcount(tape) == before


def test_values_are_not_tracked_by_the_garbage_collector() -> None:
    tape = WengertList()
    for value in (
        Trace(1.0, 1.0) * 2.0,
        tape.variable(1.0) * 2.0,
        Trace(1.0),
        Record.constant(1.0),
    ):
        assert not gc.is_tracked(value)


def test_many_objects_are_reused_and_stay_correct() -> None:
    """Values made and freed in bulk (beyond the free list) keep their own numbers."""
    traces = [Trace(float(i), 1.0) * 2.0 for i in range(5000)]
    assert all(t.number == 2.0 * i and t.derivative == 2.0 for i, t in enumerate(traces))
    del traces
    again = [Trace(float(i), 0.5) + 1.0 for i in range(5000)]
    assert all(t.number == i + 1.0 and t.derivative == 0.5 for i, t in enumerate(again))
    assert math.fsum(t.number for t in again) == sum(range(5000)) + 5000.0


def test_errors_from_the_fast_path_release_what_they_hold() -> None:
    """An error raised by a fast slot releases its type and message at once (outside a
    PyO3 call they would be queued until the next one)."""
    tape, other = WengertList(), WengertList()
    x, y = tape.variable(1.0), other.variable(2.0)
    t = Trace(1.0, 1.0)
    before = sys.getrefcount(ZeroDivisionError), sys.getrefcount(MixedTapesError)
    for _ in range(2000):
        for operation in (lambda: t / 0.0, lambda: x / 0.0, lambda: x * y):
            try:
                operation()
            except (ZeroDivisionError, MixedTapesError):
                pass
    after = sys.getrefcount(ZeroDivisionError), sys.getrefcount(MixedTapesError)
    assert after == before


IMPORT_AGAIN = """
import sys
import wengert._core as first
x = first.Trace.variable(3.0)
r = first.WengertList().variable(2.0)
for name in [m for m in sys.modules if m == "wengert" or m.startswith("wengert.")]:
    del sys.modules[name]
import wengert._core
# every case the fast path hands to the general one, and the fast cases
assert (x ** 2).derivative == 6.0 and (x * 3).derivative == 3.0 and (2 * x).number == 6.0
assert (x * x).derivative == 6.0 and (-x).number == -3.0
assert (r * 2).derivatives()[r] == 2.0
try:
    pow(x, 2.0, 5)
except TypeError:
    pass
else:
    raise AssertionError("a modulus must be refused")
print("ok")
"""


def test_importing_the_module_again_keeps_the_operators_working() -> None:
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_AGAIN], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr
