"""Memory: nothing leaks, an unreferenced tape is freed, clear() gives memory back.

Resident memory is read from /proc/self/statm (Linux). Each check warms up first
(free lists, allocator arenas, interned objects) and then allows a small tolerance,
far below what a leak of the measured kind would cost: a leak of even 8 bytes per
value over 10^6 values is 7.6 MiB.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from collections.abc import Callable

import pytest

from wengert import Record, Trace, WengertList

MIB = 1 << 20
PAGE = os.sysconf("SC_PAGE_SIZE")


def resident() -> int:
    """Resident memory of this process, in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE


def growth(work: Callable[[int], None], count: int) -> int:
    """Resident growth over ``work(count)`` after a warm-up of ``work(count // 10)``."""
    work(count // 10)
    gc.collect()
    before = resident()
    work(count)
    gc.collect()
    return resident() - before


def make_traces(count: int) -> None:
    x = Trace.variable(1.5)
    for _ in range(count):
        y = x * 2.0 + x.sin()
        assert y.derivative != 0.0


def make_records(count: int) -> None:
    tape = WengertList()
    for _ in range(count // 1000):
        tape.clear()
        x = tape.variable(1.5)
        y = x
        for _ in range(1000):
            y = y * 1.0 + x
        assert y.derivatives()[x] == 1001.0


def make_tapes(count: int) -> None:
    for i in range(count):
        tape = WengertList()
        x = tape.variable(float(i))
        d = (x * x).derivatives()
        assert d[x] == 2.0 * i


@pytest.mark.parametrize(
    "work",
    [make_traces, make_records, make_tapes],
    ids=["traces", "records", "tapes with derivatives"],
)
def test_a_million_values_leave_memory_flat(work: Callable[[int], None]) -> None:
    count = 1_000_000 if work is not make_tapes else 300_000
    assert growth(work, count) < 4 * MIB


def test_weakrefs_to_a_tape_work() -> None:
    tape = WengertList()
    ref = weakref.ref(tape)
    assert ref() is tape
    proxy = weakref.proxy(tape)
    assert len(proxy) == 0


def test_a_tape_nobody_references_is_freed() -> None:
    tape = WengertList()
    ref = weakref.ref(tape)
    x = tape.variable(2.0)
    d = (x * x).derivatives()
    del tape
    assert ref() is not None  # the record holds it
    del x
    # Derivatives hold no reference to the tape: it goes as soon as its last record does
    assert ref() is None
    assert list(d) == [4.0, 1.0]


def test_records_keep_their_tape_alive() -> None:
    def output() -> tuple[Record, Record, weakref.ref[WengertList]]:
        tape = WengertList()
        x = tape.variable(3.0)
        return x, x * x, weakref.ref(tape)

    x, y, ref = output()
    gc.collect()
    assert ref() is not None and y.history is ref() and x.history is ref()
    assert y.derivatives()[x] == 6.0
    del x
    gc.collect()
    assert ref() is not None  # y alone keeps it
    assert len(y.history or WengertList()) == 2
    del y
    assert ref() is None


def test_a_constant_holds_no_tape() -> None:
    tape = WengertList()
    ref = weakref.ref(tape)
    c = tape.variable(1.0) * 0.0 + Record.constant(2.0)
    keep = Record.constant(2.0) + 1.0
    del c, tape
    assert ref() is None
    assert keep.history is None


CLEAR_SCRIPT = """
from wengert import WengertList

MIB = 1 << 20


def resident():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


entries = 4_000_000  # 100 MB of tape at 25 bytes an entry
tape = WengertList()
x = tape.variable(1.0)
before = resident()
y = x
for _ in range(entries):
    y = y + x
assert y.derivatives()[x] == entries + 1
del y
grown = resident() - before
assert grown > 80 * MIB, grown  # the tape really was resident
tape.clear()
assert len(tape) == 0
kept = resident() - before
# What is left: the capacity a cleared tape keeps (65536 entries, 1.6 MB) and noise.
assert kept < 8 * MIB, (grown / MIB, kept / MIB)
x.reset()
assert (x * x).derivatives()[x] == 2.0  # the cleared tape works as new
"""


def test_clear_gives_the_memory_back() -> None:
    # In a fresh interpreter: what the allocator keeps depends on everything a process
    # did before, so a long test run would blur the figure.
    result = subprocess.run(
        [sys.executable, "-c", CLEAR_SCRIPT], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr


def test_derivatives_memory_is_freed_with_them() -> None:
    tape = WengertList()
    x = tape.variable(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    first = y.derivatives()  # 8 MB of float64; warms the allocator up
    assert first[x] == 1.0
    del first
    gc.collect()
    before = resident()
    for _ in range(30):  # 240 MB if any of them leaked
        assert y.derivatives()[x] == 1.0
    gc.collect()
    assert resident() - before < 16 * MIB
