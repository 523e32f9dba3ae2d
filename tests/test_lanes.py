"""Batches replayed several rows a pass (in lanes): ``gradients(X)``, ``values(X)`` and
``value_and_gradients(X)`` against single-point replays, bit for bit, errors included.

The engine replays a batch's rows 8 at a time; the row counts below cover groups of
4 and of 8, their tails, and a batch of one row. Which NaN (its sign bit) an operation
on two NaNs gives is not fixed (it follows the order the compiler put the operands in),
so a NaN compares equal to any NaN; every other number compares by its bits.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from test_sparse import random_program

import wengert
from wengert import BranchChangedError, record

COUNTS = [0, 1, 3, 4, 5, 7, 8, 9, 43, 83]


def bits(a: Any) -> list[int]:
    """The bits of the float64 numbers of ``a``, every NaN as one."""
    array = np.array(a, dtype=np.float64).ravel()
    array[np.isnan(array)] = math.nan
    return [int(b) for b in array.view(np.uint64)]


def rows_near(rng: random.Random, x0: list[float], rows: int, zeros: float) -> np.ndarray:
    """``rows`` points near ``x0``, with a share ``zeros`` of their elements 0.0 or -0.0."""
    X = np.array(
        [[xi * (1.0 + 1e-3 * rng.uniform(-1, 1)) for xi in x0] for _ in range(rows)]
    ).reshape(rows, len(x0))
    for index in np.ndindex(X.shape):
        if rng.random() < zeros:
            X[index] = rng.choice([0.0, -0.0])
    return X


def one_at_a_time(call: Callable[[Any], Any], X: np.ndarray) -> tuple[list[Any], Any]:
    """``call`` at each row of X until one raises: the results, and the exception with its row."""
    results = []
    for r, x in enumerate(X):
        try:
            results.append(call(x))
        except Exception as error:  # compared with the batch's
            return results, (r, error)
    return results, None


def check_batch(batch: Callable[[Any], Any], single: Callable[[Any], Any], X: np.ndarray) -> int:
    """The batch of X equals the single-point calls, or raises their first error naming its row."""
    expected, error = one_at_a_time(single, X)
    if error is None:
        got = batch(X)
        assert bits(got) == bits(expected)
        return len(expected)
    r, single_error = error
    with pytest.raises(type(single_error)) as info:
        batch(X)
    assert str(info.value) == f"row {r} of X: {single_error}"
    # The rows before stay right: a batch of them alone equals the single calls.
    if r:
        assert bits(batch(X[:r])) == bits(expected)
    return r


def check_recording(rec: Any, X: np.ndarray) -> None:
    if rec.n_outputs == 1:
        check_batch(rec.gradients, lambda x: rec.value_and_gradient(x)[1], X)
        expected, error = one_at_a_time(rec.value_and_gradient, X)
        if error is None:
            values, gradients = rec.value_and_gradients(X)
            assert bits(values) == bits([v for v, _ in expected])
            assert bits(gradients) == bits([g for _, g in expected])
    check_batch(rec.values, rec.value, X)


@pytest.mark.parametrize("seed", range(30))
def test_random_programs_in_lanes_equal_single_points(seed: int) -> None:
    rng = random.Random(seed)
    n, m = rng.randint(1, 6), 1 if seed % 3 else rng.randint(2, 4)
    x0 = [rng.uniform(-2.0, 2.0) for _ in range(n)]
    rec = record(random_program(rng, n, m), x0)
    for rows in COUNTS:
        for zeros in (0.0, 0.2):
            check_recording(rec, rows_near(rng, x0, rows, zeros))


FUNCTIONS = [entry[0] for entry in wengert._core._FUNCTIONS]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_every_function_in_lanes_equals_single_points(name: str) -> None:
    """Each function of the table, with variables and with constants on either side, at
    points of its domain and outside (errors in the middle of a group), zeros included."""
    function = getattr(wengert, name)
    two = len(next(e[1] for e in wengert._core._FUNCTIONS if e[0] == name)) == 2
    fs: list[Callable[[Any], Any]] = (
        [
            lambda x: function(x[0], x[1]) * x[0],
            lambda x: function(x[0], 0.5) * x[1],
            lambda x: function(2.0, x[1]) * x[0],
        ]
        if two
        else [lambda x: function(x[0]) * x[1]]
    )
    rng = random.Random(name)
    candidates = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0, -3.0, 0.25, 1e-300, 700.0, 1e10]
    for f in fs:
        rec = None
        for x0 in ([0.5, 0.75], [2.0, 1.5], [-0.5, 0.25], [0.25, 2.0]):
            try:
                rec = record(f, x0)
                break
            except (ValueError, ZeroDivisionError, OverflowError):
                continue
        assert rec is not None
        for rows in (4, 9, 43):
            X = np.array([[rng.choice(candidates), rng.choice(candidates)] for _ in range(rows)])
            check_recording(rec, X)


def test_errors_in_the_middle_of_a_group_name_their_row() -> None:
    def f(x: Any) -> Any:
        if x[0] > 0:
            return wengert.sqrt(x[0] - 1.0) * x[1]
        return x[1]

    rec = record(f, [2.0, 3.0])
    for rows in (5, 8, 11):
        for bad in range(rows):
            for value, kind, message in (
                (0.5, ValueError, "sqrt needs a number that is not negative"),
                (-1.0, BranchChangedError, "comparison"),
            ):
                X = np.tile([2.0, 3.0], (rows, 1))
                X[bad, 0] = value
                for batch in (rec.gradients, rec.values, rec.value_and_gradients):
                    with pytest.raises(kind, match=message) as info:
                        batch(X)
                    assert str(info.value).startswith(f"row {bad} of X: ")
                # The rows before the bad one are as one at a time.
                assert bits(rec.gradients(X[:bad])) == bits([[1.0 * 3.0 / 2.0, 1.0]] * bad)


def test_multi_output_values_in_lanes() -> None:
    def f(x: Any) -> Any:
        return [x[0] * x[1], wengert.sin(x[0]) - x[1], 2.5, x[1]]

    rec = record(f, [0.3, 0.7])
    rng = random.Random(5)
    for rows in COUNTS:
        X = rows_near(rng, [0.3, 0.7], rows, 0.2)
        values = rec.values(X)
        assert values.shape == (rows, 4)
        assert bits(values) == bits([rec.value(x) for x in X] if rows else np.zeros((0, 4)))
        assert bits(values[:, 0]) == bits(X[:, 0] * X[:, 1])
        assert bits(values[:, 2]) == bits([2.5] * rows)


def test_overflow_to_infinity_and_nan_in_lanes() -> None:
    # x*x overflows to inf for large x; inf - inf is NaN: the sweep meets infinite and
    # NaN adjoints in some lanes and not in others.
    rec = record(lambda x: (x[0] * x[0] - x[1] * x[1]) * x[1], [1.0, 2.0])
    X = np.array([[1e200, 1e200], [1.0, 2.0], [1e200, 0.0], [0.0, -0.0], [-1e200, 3.0]] * 3)
    expected = [rec.value_and_gradient(x) for x in X]
    values, gradients = rec.value_and_gradients(X)
    assert bits(values) == bits([v for v, _ in expected])
    assert bits(gradients) == bits([g for _, g in expected])
    assert np.isnan(values).any() and np.isinf(gradients).any()


def test_zero_partial_times_infinite_adjoint_in_lanes() -> None:
    # sqrt(x*x) at x = 0: the adjoint of x*x is infinite, its partial 2x is 0, and the
    # sweep's rule makes the product 0 (not NaN) in those lanes only.
    rec = record(lambda x: wengert.sqrt(x[0] * x[0]) + x[1] * x[0], [1.0, 2.0])
    X = np.array([[0.0, 1.0], [1.0, 2.0], [-0.0, 0.0], [3.0, -1.0], [0.0, 5.0]] * 2)
    expected = [rec.value_and_gradient(x)[1] for x in X]
    gradients = rec.gradients(X)
    assert bits(gradients) == bits(expected)
    assert bits(gradients[0]) == bits([1.0, 0.0])
    assert bits(gradients[4]) == bits([5.0, 0.0])


@pytest.mark.parametrize("compiled", [False, True])
def test_the_rows_are_read_from_a_copy_whatever_numpy_hands_back(
    monkeypatch: pytest.MonkeyPatch, compiled: bool
) -> None:
    # The batch copies X's rows and writes its results into arrays of its own: an
    # ascontiguousarray that hands back a Fortran-ordered array, or one shared with
    # another caller, changes nothing (before, a compiled recording panicked here).
    def f(x: Any) -> Any:
        return x[0] * x[0] * 3.0 + wengert.sin(x[1])

    rec = record(f, [1.0, 2.0])
    if compiled:
        rec.compile()
    X = np.arange(1.0, 21.0).reshape(10, 2)
    expected = [rec.value_and_gradient(row) for row in X]
    monkeypatch.setattr(np, "ascontiguousarray", np.asfortranarray)
    values, gradients = rec.value_and_gradients(X)
    assert bits(values) == bits([v for v, _ in expected])
    assert bits(gradients) == bits([g for _, g in expected])
    assert not np.shares_memory(values, gradients)


def test_a_long_recording_batch_of_few_rows_goes_a_row_at_a_time() -> None:
    # Fewer rows than a pass carries: a row at a time, with the same results.
    def f(x: Any) -> Any:
        s = x[0]
        for _ in range(2000):
            s = wengert.sin(s) * x[1] + 0.5
        return s

    rec = record(f, [0.3, 0.7])
    X = np.array([[0.3, 0.7], [0.4, 0.6], [-0.2, 1.1]])
    values, gradients = rec.value_and_gradients(X)
    for row, value, gradient in zip(X, values, gradients, strict=True):
        v, g = rec.value_and_gradient(row)
        assert bits(value) == bits(v) and bits(gradient) == bits(g)
