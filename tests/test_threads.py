"""Threads: tapes are safe to share, results do not depend on scheduling, long sweeps let go.

The interpreter's switch interval is shortened while threads record, so that they
really interleave (each test checks that they did), and lengthened while the
backward sweep is watched, so that another thread can only run when the sweep
itself releases the interpreter.
"""

from __future__ import annotations

import math
import random
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from wengert import Record, StaleRecordError, WengertList, exp, sin, sqrt

THREADS = 8


@contextmanager
def switch_interval(seconds: float) -> Iterator[None]:
    old = sys.getswitchinterval()
    sys.setswitchinterval(seconds)
    try:
        yield
    finally:
        sys.setswitchinterval(old)


def run_threads(target: Callable[[int], None], count: int = THREADS) -> None:
    """Run ``target(i)`` in ``count`` threads started together; re-raise the first failure."""
    barrier = threading.Barrier(count)
    failures: list[BaseException] = []

    def body(i: int) -> None:
        try:
            barrier.wait()
            target(i)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def workload(tape: WengertList, stream: int, steps: int) -> tuple[list[Record], list[Record]]:
    """Inputs and outputs of reproducible random computation number ``stream`` on ``tape``."""
    rng = random.Random(stream)
    inputs = [tape.variable(rng.uniform(0.5, 2.0)) for _ in range(3)]
    a, b, c = inputs
    outputs = []
    y = a
    for step in range(steps):
        kind = rng.randrange(6)
        if kind == 0:
            y = y * b + 0.25
        elif kind == 1:
            y = sin(y) * c
        elif kind == 2:
            y = exp(-y * y) + a
        elif kind == 3:
            y = sqrt(y * y + 1.0) / c
        elif kind == 4:
            y = 2.0 - y + b * 0.5
        else:
            y = y**2 / (1.0 + y * y)
        if step % 100 == 99:
            outputs.append(y)
    return inputs, outputs


def results(inputs: list[Record], outputs: list[Record]) -> list[tuple[float, list[float]]]:
    """Each output's value and gradient with respect to the inputs."""
    found = []
    for y in outputs:
        d = y.derivatives()
        found.append((y.number, [d[x] for x in inputs]))
    return found


def test_threads_on_their_own_tapes_give_the_single_threaded_results() -> None:
    steps = 2000
    expected = [results(*workload(WengertList(), stream, steps)) for stream in range(THREADS)]
    got: list[object] = [None] * THREADS

    def record(i: int) -> None:
        got[i] = results(*workload(WengertList(), i, steps))

    with switch_interval(1e-6):
        run_threads(record)
    assert got == expected  # bit for bit: the same operations in the same order


def interleaved(made: list[tuple[list[Record], list[Record]]]) -> bool:
    """Whether the entries of two threads' computations overlap on the tape."""
    spans = [(inputs[0].index or 0, outputs[-1].index or 0) for inputs, outputs in made]
    return any(a < d and c < b for i, (a, b) in enumerate(spans) for (c, d) in spans[i + 1 :])


def test_threads_sharing_one_tape_never_corrupt_it() -> None:
    steps = 2000
    alone, entries_each = [], []
    for stream in range(THREADS):
        own = WengertList()
        alone.append(results(*workload(own, stream, steps)))
        entries_each.append(len(own))

    # The scheduler decides whether the threads interleave: try until they have (the
    # checks hold on every attempt; without interleaving this would not test sharing).
    for _attempt in range(10):
        tape = WengertList()
        made: list[tuple[list[Record], list[Record]]] = [([], [])] * THREADS

        def record(i: int) -> None:
            made[i] = workload(tape, i, steps)  # noqa: B023 (run before the next attempt)

        with switch_interval(1e-6):
            run_threads(record)

        # Every entry is there, exactly once.
        assert len(tape) == sum(entries_each)
        indices = sorted(r.index or 0 for inputs, _ in made for r in inputs)
        assert len(set(indices)) == 3 * THREADS
        for i, (inputs, outputs) in enumerate(made):
            assert all(r.history is tape for r in inputs + outputs)
            # The derivatives are those of the thread's own computation, bit for bit: the
            # sweep meets the thread's entries in the same order, others' add nothing.
            assert results(inputs, outputs) == alone[i]
            others = [x for j, (xs, _) in enumerate(made) if j != i for x in xs]
            d = outputs[-1].derivatives()
            assert all(d[x] == 0.0 for x in others)
        if interleaved(made):
            break
    else:
        raise AssertionError("the threads never interleaved in 10 attempts")


def test_clear_and_reset_racing_with_recording_raise_only_stale_record_errors() -> None:
    tape = WengertList()
    inputs = tape.variables([1.0] * THREADS)
    stale_errors = [0] * THREADS
    computed = [0] * THREADS

    def record(i: int) -> None:
        x = inputs[i]
        for step in range(3000):
            if i == 0 and step % 200 == 0:
                tape.clear()
            try:
                y = x * x + sin(x)
                d = y.derivatives()
                assert d[x] == (math.cos(1.0) + 1.0) + 1.0  # the sweep's order of sums
                computed[i] += 1
            except StaleRecordError:
                stale_errors[i] += 1
                x.reset()

    with switch_interval(1e-6):
        run_threads(record)
    assert sum(computed) > 0 and sum(stale_errors) > 0
    for x in inputs:
        x.reset()
        assert (x * 3.0).derivatives()[x] == 3.0


def watched_sweep(output: Record, calls: int) -> tuple[int, int]:
    """How often another thread ran Python code while ``output.derivatives()`` ran.

    With a switch interval of an hour the interpreter never takes itself away from
    the main thread, so the worker runs only when the main thread releases it. The
    worker releases it after each increment (``time.sleep(0)``).
    """
    count = [0]
    started = threading.Event()
    stop = threading.Event()

    def worker() -> None:
        import time

        while not stop.is_set():
            count[0] += 1
            started.set()
            time.sleep(0)

    with switch_interval(3600.0):
        thread = threading.Thread(target=worker)
        thread.start()
        started.wait()
        before = count[0]
        for _ in range(calls):
            output.derivatives()
        after = count[0]
        stop.set()
        thread.join()
    return before, after


def long_tape(entries: int) -> tuple[Record, Record]:
    tape = WengertList()
    x = tape.variable(1.0)
    y = x
    for _ in range(entries - 1):
        y = y + x
    assert len(tape) == entries
    return x, y


def test_a_long_backward_sweep_lets_other_threads_run() -> None:
    x, y = long_tape(3_000_000)
    before, after = watched_sweep(y, calls=3)
    assert after > before
    assert y.derivatives()[x] == 3_000_000.0


def test_a_short_backward_sweep_keeps_the_interpreter_and_the_watch_can_tell() -> None:
    # The control for the test above: below 32768 entries the sweep does not release
    # the interpreter, and the same watch sees no progress at all.
    x, y = long_tape(1000)
    before, after = watched_sweep(y, calls=200)
    assert after == before
    assert y.derivatives()[x] == 1000.0
