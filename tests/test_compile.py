# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""Recordings compiled to native code (``Recording.compile``): every replay of a compiled
recording equals the interpreter's bit for bit (``.view(numpy.uint64)``: signed zeros
and the sign and payload of NaN count, but for programs where two NaNs can meet in an
operation, in which NaN counts as one class, see ``same``), over the programs of test_recording, the
random programs of test_sparse and every operation of the table at zeros of both signs,
infinities, NaN and the edges of the domains (a point must be finite, so infinities and
NaN come from overflow inside: 1e308 * 10, inf - inf; the engine's tests in
src/compile/tests.rs feed them in directly); guards and math errors raise the same
exceptions with the same messages; what is not compiled says why; the compiled state
travels with pickle and the file format.
"""

from __future__ import annotations

import math
import pickle
import random
import threading
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_recording import PROGRAMS, UNARY, Program, rosenbrock, rosenbrock_hessian
from test_sparse import random_program

import wengert
from wengert import BranchChangedError, Recording, record

# Finite points (a replay refuses others) whose operations reach infinities and NaN:
# 1e308 * 10 overflows, inf - inf is NaN, 5e-324 is subnormal, exp(710) overflows.
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, 1e-300, 5e-324, 1e308, -1e308, 710.0]


def same(a: Any, b: Any, two_nans: bool = False) -> None:
    """a and b are the same numbers bit for bit, NaN included (its sign and payload: an
    operation with one NaN operand passes that NaN on, and one with none makes the
    processor's own NaN, alike in both replays). With ``two_nans`` (programs where an
    operation may meet two NaNs) NaN counts as one class: IEEE 754 leaves open which of
    the two the result carries, and the compilers of both replays order a sum's or
    product's operands as they see fit; that is the only freedom the compiled code has."""
    a = np.atleast_1d(np.asarray(a, dtype=np.float64))
    b = np.atleast_1d(np.asarray(b, dtype=np.float64))
    assert a.shape == b.shape
    if not two_nans:
        assert np.array_equal(a.view(np.uint64), b.view(np.uint64)), (a, b)
        return
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    assert np.array_equal(nan_a, nan_b), (a, b)
    assert np.array_equal(a.view(np.uint64)[~nan_a], b.view(np.uint64)[~nan_b]), (a, b)


def test_same_tells_nans_apart_but_where_two_may_meet() -> None:
    nan, other = math.nan, -math.nan  # the same class, the sign bit apart
    assert np.array([nan]).view(np.uint64) != np.array([other]).view(np.uint64)
    with pytest.raises(AssertionError):
        same([1.0, nan], [1.0, other])
    same([1.0, nan], [1.0, other], two_nans=True)
    same([-0.0, nan], [-0.0, nan])
    for two_nans in (False, True):
        with pytest.raises(AssertionError):
            same([0.0, nan], [-0.0, nan], two_nans)
        with pytest.raises(AssertionError):
            same([nan], [1.0], two_nans)


def outcome(call: Callable[[], Any]) -> Any:
    """The result of call(), or its exception's type and message."""
    try:
        return ("ok", call())
    except Exception as e:  # the exception is the outcome compared
        return (type(e), str(e))


def agree(
    interpreted: Recording[Any], compiled: Recording[Any], x: Any, two_nans: bool = False
) -> bool:
    """Every method with a compiled path gives the same at x (see ``same`` for
    ``two_nans``), or raises the same; true when the replay succeeded."""
    assert compiled.compiled and not interpreted.compiled
    rows = np.array([np.ravel(np.asarray(x, dtype=float))] * 3).reshape(3, compiled.n_inputs)
    methods: list[Callable[[Recording[Any]], Any]] = [
        lambda r: r.value(x),
        lambda r: r.jacobian(x),
        lambda r: r.values(rows),
    ]
    if compiled.n_outputs == 1:
        v = direction(x)
        methods += [
            lambda r: r.gradient(x),
            lambda r: r.value_and_gradient(x)[0],
            lambda r: r.value_and_gradient(x)[1],
            lambda r: r.gradients(rows),
            lambda r: r.value_and_gradients(rows)[0],
            lambda r: r.hvp(x, v),
        ]
        if compiled.n_inputs <= 60:
            methods.append(lambda r: r.hessian(x))
    methods.append(lambda r: r.sparse_jacobian(x, format="values"))
    if compiled.n_inputs <= 60:
        weights = np.resize([1.0, -0.5, 2.0], compiled.n_outputs)
        methods.append(lambda r: r.sparse_hessian(x, weights, format="values"))
    return same_outcomes(methods, interpreted, compiled, two_nans)


def direction(x: Any) -> Any:
    """A direction of x's form for hvp, zeros among its numbers."""
    shape = np.shape(x)
    v = np.resize([0.5, 0.0, -2.0, 1.0, 3.0], shape).reshape(shape)
    if isinstance(x, list):
        return v.tolist()
    return float(v) if shape == () else v


def same_outcomes(
    methods: list[Callable[[Recording[Any]], Any]],
    interpreted: Recording[Any],
    compiled: Recording[Any],
    two_nans: bool,
) -> bool:
    """Each method gives the same on both recordings, or raises the same; true when
    every one succeeded."""
    succeeded = True
    for method in methods:
        a, b = outcome(lambda: method(interpreted)), outcome(lambda: method(compiled))
        if a[0] == "ok":
            assert b[0] == "ok", b
            same(a[1], b[1], two_nans)
        else:
            assert a == b
            succeeded = False
    return succeeded


def both(f: Callable[[Any], Any], x0: Any) -> tuple[Recording[Any], Recording[Any]]:
    return record(f, x0), record(f, x0, compile=True)


@pytest.mark.parametrize("program", PROGRAMS, ids=repr)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_the_test_programs_agree(program: Program, data: st.DataObject) -> None:
    # Any program at any point: two NaNs may meet in an operation.
    interpreted, compiled = both(program.f, program.x0)
    assert agree(interpreted, compiled, program.x0, two_nans=True)
    agree(interpreted, compiled, data.draw(program.points), two_nans=True)


def random_recordings(
    rng: random.Random, most_outputs: int
) -> tuple[int, tuple[Recording[Any], Recording[Any]]]:
    """A random program of 1 to 5 inputs and 1 to ``most_outputs`` outputs, recorded
    interpreted and compiled; with its number of inputs."""
    n, m = rng.randint(1, 5), rng.randint(1, most_outputs)
    f = random_program(rng, n, m)
    return n, both(f, [0.3 * (i + 1) for i in range(n)])


@pytest.mark.parametrize("seed", range(60))
def test_random_programs_agree_at_special_points(seed: int) -> None:
    rng = random.Random(seed)
    n, (interpreted, compiled) = random_recordings(rng, 4)
    # Random operations on overflowing points: two NaNs may meet in an operation.
    assert agree(interpreted, compiled, [0.7 - 0.2 * i for i in range(n)], two_nans=True)
    for _ in range(12):
        agree(interpreted, compiled, [rng.choice(SPECIAL) for _ in range(n)], two_nans=True)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_every_function_of_one_argument_agrees(name: str) -> None:
    fn = getattr(wengert, name)
    low, high = UNARY[name][2]
    interpreted, compiled = both(lambda v: fn(v[0]) * v[1] + v[0], [0.5 * (low + high), 1.5])
    edges = [low, high, 1.0 - 2**-53, 1.0 + 2**-52, -1.0, 1e308, -1e308, 5e-324]
    ok = 0
    for x in SPECIAL + edges:
        for y in (1.5, 0.0, -0.0, 1e308):
            ok += agree(interpreted, compiled, [x, y])
    assert ok > 0


BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a**b,
    "atan2": wengert.atan2,
    "hypot": wengert.hypot,
}


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("side", ["both", "constant right", "constant left"])
def test_every_function_of_two_arguments_agrees(name: str, side: str) -> None:
    op = BINARY[name]
    for c in SPECIAL:

        def f(v: Any) -> Any:
            if side == "both":
                return op(v[0], v[1]) * v[0]
            if side == "constant right":
                return op(v[0], c) * v[1]
            return op(c, v[0]) * v[1]

        try:
            interpreted, compiled = both(f, [1.5, 0.5])
        except (ArithmeticError, ValueError):
            continue  # the constant has no value with x0 (1.5 / 0.0): nothing recorded
        for x in SPECIAL:
            for y in (0.5, -0.0, -1e308):
                agree(interpreted, compiled, [x, y])
        if side == "both":
            break


def guarded(v: Any) -> Any:
    if v[0] > 0:
        y = v[0] * v[1]
    else:
        y = -v[0]
    if y < 10:
        return wengert.sqrt(y) / v[1]
    return y


def test_guards_and_math_errors_raise_the_same() -> None:
    interpreted, compiled = both(guarded, [1.0, 2.0])
    assert compiled.n_comparisons == 2
    cases = {
        (-1.0, 2.0): BranchChangedError,  # the first comparison
        (3.0, 4.0): BranchChangedError,  # the second
        (1.0, 0.0): ZeroDivisionError,
        (1.0, -2.0): ValueError,  # sqrt(-2)
        (math.nan, 1.0): ValueError,  # refused before the replay
    }
    for x, error in cases.items():
        expected = outcome(lambda: interpreted.gradient(list(x)))
        assert expected[0] is error
        assert outcome(lambda: compiled.gradient(list(x))) == expected
        assert outcome(lambda: compiled.value(list(x))) == outcome(
            lambda: interpreted.value(list(x))
        )
    # In a batch, the row that raises is named the same.
    rows = np.array([[1.0, 2.0], [2.0, 1.0], [-1.0, 2.0], [1.0, 1.0]])
    for method in ("gradients", "values", "value_and_gradients"):
        expected = outcome(lambda: getattr(interpreted, method)(rows))
        assert "row 2 of X" in expected[1]
        assert outcome(lambda: getattr(compiled, method)(rows)) == expected
    assert agree(interpreted, compiled, [1.0, 2.0])


def test_the_first_error_in_recorded_order_is_reported() -> None:
    # ln(x0 + 0) is recorded before 1 / x1; at (-1, 0) both fail, and the error is ln's.
    def f(v: Any) -> Any:
        return [wengert.log(v[0] + 0.0), 1.0 / v[1]]

    interpreted, compiled = both(f, [2.0, 4.0])
    expected = outcome(lambda: interpreted.value([-1.0, 0.0]))
    assert expected[0] is ValueError
    assert outcome(lambda: compiled.value([-1.0, 0.0])) == expected


def test_custom_operations_stay_interpreted_and_say_why() -> None:
    def f(x: Any) -> Any:
        return x.unary(lambda t: t * t, lambda t: 2 * t) + x

    rec = record(f, 1.5, compile=True)
    assert not rec.compiled
    reason = rec.not_compiled_reason
    assert reason is not None and "custom operations" in reason and "interpreter" in reason
    assert rec.compile() is rec and not rec.compiled
    assert rec.gradient(2.0) == 5.0


def test_compiling_is_in_place_and_once() -> None:
    rec = record(lambda v: v[0] * v[1], [1.0, 2.0])
    assert not rec.compiled
    assert rec.not_compiled_reason == "compile() was not called"
    assert "compiled" not in repr(rec)
    assert rec.compile() is rec
    assert rec.compiled and rec.not_compiled_reason is None
    assert repr(rec).endswith(", compiled)")
    assert rec.compile() is rec and rec.compiled
    same(rec.gradient([3.0, 4.0]), [4.0, 3.0])


@pytest.mark.parametrize(
    ("f", "x0", "x"),
    [
        (lambda v: 2.5, [], []),  # no entry at all
        (lambda v: [v[1], v[0], -0.0], [1.0, 2.0], [3.0, -0.0]),  # inputs only
        (lambda v: v[0], [1.0], [-0.0]),
        (lambda x: 7.0, 1.0, -0.0),  # a constant output
        (lambda x: [x * 2.0, 1.0, x], 1.0, 3.0),  # fewer inputs than outputs
    ],
)
def test_programs_with_nothing_to_compute(f: Callable[[Any], Any], x0: Any, x: Any) -> None:
    interpreted, compiled = both(f, x0)
    assert compiled.compiled
    assert agree(interpreted, compiled, x)


def test_the_compiled_state_travels_but_not_the_code(tmp_path: Any) -> None:
    rec = record(guarded, [1.0, 2.0])
    plain = rec.to_bytes()
    assert not Recording.from_bytes(plain).compiled
    rec.compile()
    copies = [
        pickle.loads(pickle.dumps(rec)),
        Recording.from_bytes(rec.to_bytes()),
    ]
    rec.save(tmp_path / "rec.wengert")
    copies.append(Recording.load(tmp_path / "rec.wengert"))
    for copy in copies:
        assert copy.compiled
        same(copy.gradient([0.5, 3.0]), rec.gradient([0.5, 3.0]))
    # The bytes differ in the header's flag only.
    data = rec.to_bytes()
    assert len(data) == len(plain) and data[10:12] == b"\x01\x00" and plain[10:12] == b"\x00\x00"
    assert not pickle.loads(pickle.dumps(record(guarded, [1.0, 2.0]))).compiled


def test_threads_share_a_compiled_recording() -> None:
    rec = record(lambda v: sum(wengert.sin(a) * a for a in v), [0.1] * 50, compile=True)
    reference = record(lambda v: sum(wengert.sin(a) * a for a in v), [0.1] * 50)
    points = np.random.default_rng(1).uniform(-2, 2, (8, 50))
    results: dict[int, Any] = {}

    def work(k: int) -> None:
        results[k] = [rec.gradient(points[k]) for _ in range(50)][-1]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(8):
        same(results[k], reference.gradient(points[k]))


def long_sum(v: Any) -> Any:
    """A loop: one body of entries repeated, which compiles as a loop."""
    s = 0.0
    for a in v:
        s = s + wengert.exp(0.01 * a) * a - a / (1.0 + a * a)
    return s


def varied_sum(v: Any) -> Any:
    """long_sum with another constant in every term: nothing repeats, so every entry is
    written out."""
    s = 0.0
    for k, a in enumerate(v):
        s = s + wengert.exp(0.01 * a) * a - a / (1.0 + k + a * a)
    return s


def test_large_batches_and_long_recordings_agree() -> None:
    # Long enough to release the GIL and to span several compiled chunks.
    interpreted, compiled = both(varied_sum, list(np.linspace(-1, 1, 450)))
    assert compiled.compiled and 3000 < len(compiled) <= 8192
    x = np.random.default_rng(2).uniform(-3, 3, (200, 450))
    same(compiled.gradients(x), interpreted.gradients(x))
    same(compiled.values(x), interpreted.values(x))


def test_loops_compile_at_any_length() -> None:
    # 30,000 copies of long_sum's body are one loop in the code.
    n = 3000
    interpreted, compiled = both(long_sum, list(np.linspace(-1, 1, n)))
    assert len(compiled) > 8192 and compiled.compiled
    x = np.random.default_rng(3).uniform(-3, 3, (20, n))
    same(compiled.gradients(x), interpreted.gradients(x))
    for row in x[:3]:
        assert agree(interpreted, compiled, row)
    # Numbers in one copy that go non-finite or to zero inside it (points must be
    # finite): a square that overflows, subnormals, zeros of both signs.
    succeeded = []
    for special in [1e154, -1e154, 5e-324, 1e-300, 0.0, -0.0]:
        row = x[0].copy()
        row[1234] = special
        succeeded.append(agree(interpreted, compiled, row))
    # exp(1e152) overflows: the same error from both; the rest replay.
    assert succeeded == [False, True, True, True, True, True]


def hinge_sum(v: Any) -> Any:
    """A comparison in every iteration: the loop holds it, a compare and an exit."""
    s = 0.0
    for a in v:
        if a > 0.0:
            s = s + a * a
        else:
            s = s - a
    return s


def test_comparisons_inside_a_loop_repeat_with_it() -> None:
    n = 5000
    interpreted, compiled = both(hinge_sum, list(np.linspace(0.5, 1.5, n)))
    assert compiled.compiled and interpreted.n_comparisons == n and len(compiled) > 8192
    x = np.random.default_rng(4).uniform(0.1, 2.0, (10, n))
    same(compiled.gradients(x), interpreted.gradients(x))
    assert agree(interpreted, compiled, x[0])
    # Iteration 3210 takes the other branch: the same comparison is named.
    row = x[0].copy()
    row[3210] = -1.0
    assert not agree(interpreted, compiled, row)
    with pytest.raises(BranchChangedError, match=f"comparison 3211 of {n}"):
        compiled.gradient(row)


def test_second_derivatives_of_loops_agree() -> None:
    # A loop's body is written once in the second-order code too: hvp, the sparse
    # Hessian (3 colours: 3 directions a pass) and, with a comparison in every copy,
    # the same comparison named when one fails.
    n = 2000
    interpreted, compiled = both(rosenbrock, list(np.linspace(0.5, 1.5, n)))
    assert compiled.compiled and len(compiled) > 8192 and compiled.hessian_colours == 3
    rng = np.random.default_rng(5)
    for _ in range(3):
        x, v = rng.uniform(-2, 2, n), rng.uniform(-1, 1, n)
        v[::7] = 0.0
        same(compiled.hvp(x, v), interpreted.hvp(x, v))
        same(
            compiled.sparse_hessian(x, format="values"),
            interpreted.sparse_hessian(x, format="values"),
        )
    # W2's Hessian at x, against its formula: tridiagonal.
    x = rng.uniform(-2, 2, n)
    h = compiled.sparse_hessian(x).toarray()
    assert np.allclose(h, rosenbrock_hessian(x), rtol=1e-13, atol=1e-9)
    assert np.array_equal(h, h.T) and np.count_nonzero(h) == 3 * n - 2
    interpreted, compiled = both(hinge_sum, list(np.linspace(0.5, 1.5, n)))
    x = rng.uniform(0.1, 2.0, n)
    same(compiled.hvp(x, x), interpreted.hvp(x, x))
    x[1234] = -1.0
    with pytest.raises(BranchChangedError, match=f"comparison 1235 of {n}"):
        compiled.hvp(x, x)
    with pytest.raises(BranchChangedError, match=f"comparison 1235 of {n}"):
        compiled.sparse_hessian(x)


def test_second_derivatives_past_their_size_policy_are_interpreted() -> None:
    # 3,000 to 8,192 entries written out: the value code and hvp's compile; the
    # Hessian's 8 directions a pass would write each entry 8 times, so it replays with
    # the interpreter. Both give the interpreter's numbers.
    n = 450
    interpreted, compiled = both(varied_sum, list(np.linspace(-1, 1, n)))
    assert compiled.compiled and 3000 < len(compiled) <= 8192
    x = np.random.default_rng(6).uniform(-1, 1, n)
    same(compiled.hvp(x, x), interpreted.hvp(x, x))
    same(compiled.hessian(x), interpreted.hessian(x))
    same(compiled.sparse_hessian(x).toarray(), interpreted.sparse_hessian(x).toarray())


def log_sum(v: Any) -> Any:
    s = 0.0
    for a in v:
        s = s + wengert.log(a) * a
    return s


def test_errors_in_a_loop_are_the_interpreters() -> None:
    interpreted, compiled = both(log_sum, [1.5] * 2000)
    assert compiled.compiled
    x = np.full(2000, 1.5)
    x[1500] = -1.0
    assert not agree(interpreted, compiled, x)
    with pytest.raises(ValueError, match="math domain error"):
        compiled.gradient(x)


def test_recordings_past_the_size_policy_stay_interpreted() -> None:
    rec = record(varied_sum, list(np.linspace(-1, 1, 1200)), compile=True)
    assert len(rec) > 8192 and not rec.compiled
    reason = rec.not_compiled_reason
    assert reason is not None
    assert f"has {len(rec)} entries and 0 comparisons; with its repeated stretches" in reason
    assert "more than the 8192 entries and comparisons compiled are left" in reason
    assert "interpreter" in reason
    x = np.zeros(1200)
    same(rec.gradient(x), record(varied_sum, [0.0] * 1200).gradient(x))


def test_comparisons_count_in_the_size_policy() -> None:
    # Each comparison is a compare and an exit in the code: one entry after the inputs
    # and 8192 comparisons are past the policy, and the recording stays interpreted.
    def checked(x: Any) -> Any:
        for _ in range(8192):
            if x[0] < 0:
                raise ValueError("x[0] < 0")
        return x[0] * x[1]

    rec = record(checked, [1.0, 2.0], compile=True)
    assert len(rec) == 3 and not rec.compiled
    reason = rec.not_compiled_reason
    assert reason is not None and "has 3 entries and 8192 comparisons" in reason
    value, gradient = rec.value_and_gradient([3.0, 4.0])
    assert value == 12.0 and list(gradient) == [4.0, 3.0]


def test_infinities_and_nan_inside_agree() -> None:
    # Overflow to infinities, inf - inf = NaN, 0 * inf in the sweep: the same bits.
    def f(v: Any) -> Any:
        big = v[0] * v[1]
        return [big - big, big * 0.0, wengert.sqrt(v[1] - 2.0) * v[0], big / big, -big]

    interpreted, compiled = both(f, [1.0, 2.0])
    for x in ([1e308, 10.0], [-1e308, 10.0], [5e-324, 1e308], [1.0, 2.0]):
        assert agree(interpreted, compiled, x)
    values = compiled.value([1e308, 10.0])
    assert np.isnan(values[0]) and np.isnan(values[1]) and values[4] == -math.inf
    # sqrt's infinite partial at 0 meets the adjoint v[0]: infinite derivatives, and
    # with v[0] = 0 a zero partial times them (0 · inf = 0 by the sweep's rule).
    jacobian = compiled.jacobian([1.0, 2.0])
    assert jacobian[2, 1] == math.inf
    same(jacobian, interpreted.jacobian([1.0, 2.0]))
    interpreted, compiled = both(lambda v: wengert.sqrt(v[1] - 2.0) * v[0], [1.0, 3.0])
    for x in ([-0.0, 2.0], [0.0, 2.0], [1.0, 2.0]):
        assert agree(interpreted, compiled, x)
    assert compiled.gradient([-0.0, 2.0])[1] == 0.0
    assert compiled.gradient([1.0, 2.0])[1] == math.inf
    # At v = 0: big / big divides by zero, in both.
    assert not agree(interpreted, compiled, [0.0, -0.0])


def batches_agree(
    interpreted: Recording[Any], compiled: Recording[Any], rows: Any, two_nans: bool = False
) -> None:
    """values, gradients and value_and_gradients over ``rows`` give the same, or raise
    the same (naming the same row)."""
    methods: list[Callable[[Recording[Any]], Any]] = [lambda r: r.values(rows)]
    if compiled.n_outputs == 1:
        methods += [
            lambda r: r.gradients(rows),
            lambda r: r.value_and_gradients(rows)[0],
            lambda r: r.value_and_gradients(rows)[1],
        ]
    same_outcomes(methods, interpreted, compiled, two_nans)


@pytest.mark.parametrize("count", [1, 2, 3, 4, 7, 64])
def test_batches_of_even_and_odd_rows_agree(count: int) -> None:
    # Compiled batches go two rows a pass (an odd last row alone): a loop, straight
    # code, and special numbers in one row of a pair only.
    rng = np.random.default_rng(count)
    for f, n in ((long_sum, 40), (varied_sum, 30), (guarded, 2)):
        interpreted, compiled = both(f, [0.5 + 0.01 * i for i in range(n)])
        rows = rng.uniform(0.1, 2.0, (count, n))
        batches_agree(interpreted, compiled, rows)
        for special in [0.0, -0.0, 1e308, -1e308, 5e-324, 710.0]:
            one = rows.copy()
            one[rng.integers(count), rng.integers(n)] = special
            batches_agree(interpreted, compiled, one)


@pytest.mark.parametrize("seed", range(20))
def test_batches_of_random_programs_agree(seed: int) -> None:
    rng = random.Random(seed)
    n, (interpreted, compiled) = random_recordings(rng, 3)
    for count in (5, 6):
        rows = np.array([[rng.choice(SPECIAL) for _ in range(n)] for _ in range(count)])
        batches_agree(interpreted, compiled, rows, two_nans=True)
        near = np.array([[0.3 * (i + 1) * (1 + 0.01 * r) for i in range(n)] for r in range(count)])
        batches_agree(interpreted, compiled, near, two_nans=True)


def test_an_error_in_one_row_of_a_pair_is_the_interpreters() -> None:
    # The row that fails is either of a pair, or the odd last row: each error (a
    # comparison's, a division by zero, a math domain error) names its row.
    interpreted, compiled = both(guarded, [1.0, 2.0])
    failing = [[-1.0, 2.0], [3.0, 4.0], [1.0, 0.0], [1.0, -2.0]]
    for count in (4, 5):
        for at in range(count):
            for bad in failing:
                rows = np.array([[1.0 + 0.1 * r, 2.0] for r in range(count)])
                rows[at] = bad
                for method in ("gradients", "values", "value_and_gradients"):
                    expected = outcome(lambda: getattr(interpreted, method)(rows))
                    assert expected[0] != "ok" and f"row {at} of X" in expected[1]
                    assert outcome(lambda: getattr(compiled, method)(rows)) == expected
                batches_agree(interpreted, compiled, rows)
