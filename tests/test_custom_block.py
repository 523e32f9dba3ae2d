"""Custom operations of k inputs and m outputs: ``wengert.custom(f, jacobian, hessian)``.

A block whose ``f`` is also written with wengert's operations (``elementary``) must give
the same values and derivatives in every mode; its shapes are checked, the user's
exceptions propagate, modes do not mix, and it pickles."""

from __future__ import annotations

import itertools
import math
import pickle
from typing import Any

import numpy as np
import pytest

import wengert
from wengert import Jet, MixedModesError, MultiTrace, Trace

RTOL = 1e-13
X0 = [0.7, -1.3, 0.4]


def f(x: Any) -> list[float]:
    return [x[0] * x[1] * math.exp(x[2]), math.sin(x[0]) + x[1] ** 2 * x[2]]


def jacobian(x: Any) -> list[list[float]]:
    e = math.exp(x[2])
    return [
        [x[1] * e, x[0] * e, x[0] * x[1] * e],
        [math.cos(x[0]), 2 * x[1] * x[2], x[1] ** 2],
    ]


def hessian(x: Any) -> list[list[list[float]]]:
    e = math.exp(x[2])
    return [
        [[0.0, e, x[1] * e], [e, 0.0, x[0] * e], [x[1] * e, x[0] * e, x[0] * x[1] * e]],
        [[-math.sin(x[0]), 0.0, 0.0], [0.0, 2 * x[2], 2 * x[1]], [0.0, 2 * x[1], 0.0]],
    ]


def elementary(x: Any) -> list[Any]:
    """``f`` with wengert's operations: the reference in every mode."""
    return [x[0] * x[1] * wengert.exp(x[2]), wengert.sin(x[0]) + x[1] ** 2 * x[2]]


OP = wengert.custom(f, jacobian, hessian)
FIRST = wengert.custom(f, jacobian)


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=RTOL, abs_tol=1e-15)


def test_floats_give_fs_values() -> None:
    assert OP(X0) == f(X0)
    assert OP(np.array(X0)) == f(X0)
    assert OP((1, 2, 3.0)) == f([1.0, 2.0, 3.0])
    assert all(type(v) is float for v in OP(X0))


@pytest.mark.parametrize("i", range(3))
def test_trace_equals_the_elementary_function(i: int) -> None:
    xs = [Trace.variable(v) if j == i else Trace.constant(v) for j, v in enumerate(X0)]
    block, reference = OP(xs), elementary(xs)
    for b, r in zip(block, reference, strict=True):
        assert isinstance(b, Trace)
        assert close(b.number, r.number) and close(b.derivative, r.derivative)
    # and central finite differences of f
    h = 1e-6
    up, down = list(X0), list(X0)
    up[i] += h
    down[i] -= h
    for j, b in enumerate(block):
        fd = (f(up)[j] - f(down)[j]) / (2 * h)
        assert math.isclose(b.derivative, fd, rel_tol=1e-7, abs_tol=1e-8)


def test_floats_are_constants_in_any_position() -> None:
    xs: list[Any] = [X0[0], Trace.variable(X0[1]), X0[2]]
    for b, r in zip(OP(xs), elementary(xs), strict=True):
        assert close(b.number, r.number) and close(b.derivative, r.derivative)


def test_multi_trace_equals_the_elementary_function() -> None:
    xs = MultiTrace.variables(X0)
    for b, r in zip(OP(xs), elementary(xs), strict=True):
        assert isinstance(b, MultiTrace)
        assert close(b.number, r.number)
        assert all(close(p, q) for p, q in zip(b.derivative, r.derivative, strict=True))
    # with a constant among the inputs
    two = MultiTrace.variables(X0[:2])
    xs2: list[Any] = [*two, X0[2]]
    for b, r in zip(OP(xs2), elementary(xs2), strict=True):
        assert all(close(p, q) for p, q in zip(b.derivative, r.derivative, strict=True))


@pytest.mark.parametrize("order", [0, 1, 2])
def test_jet_equals_the_elementary_function(order: int) -> None:
    # along the direction (1, -2, 0.5), as Jets in t
    t = Jet.variable(0.0, order)
    xs = [X0[0] + t, X0[1] - 2 * t, X0[2] + 0.5 * t]
    for b, r in zip(OP(xs), elementary(xs), strict=True):
        assert isinstance(b, Jet)
        assert b.order == order
        assert all(close(p, q) for p, q in zip(b.coefficients, r.coefficients, strict=True))


def test_jet_of_order_two_needs_the_hessian() -> None:
    t = Jet.variable(0.0, 2)
    xs = [X0[0] + t, X0[1], X0[2]]
    with pytest.raises(ValueError, match=r"give wengert\.custom its hessian"):
        FIRST(xs)
    with pytest.raises(ValueError, match="order 3"):
        OP([X0[0] + Jet.variable(0.0, 3), X0[1], X0[2]])
    # Jets that do not vary are constants of any order
    constant = [Jet.constant(v, 5) for v in X0]
    for b, v in zip(FIRST(constant), f(X0), strict=True):
        assert list(b.coefficients) == [v, 0, 0, 0, 0, 0]
    # order 1 needs no Hessian
    first = FIRST([X0[0] + Jet.variable(0.0, 1), X0[1], X0[2]])
    assert close(first[0].coefficients[1], jacobian(X0)[0][0])


def spy() -> tuple[list[str], Any]:
    calls: list[str] = []

    def g(name: str, function: Any) -> Any:
        def called(x: Any) -> Any:
            calls.append(name)
            return function(x)

        return called

    return calls, wengert.custom(g("f", f), g("jacobian", jacobian), g("hessian", hessian))


def test_only_what_is_needed_is_called() -> None:
    calls, op = spy()
    op(X0)
    assert calls == ["f"]
    calls.clear()
    op([Trace.variable(1.0), 2.0, 3.0])
    assert calls == ["f", "jacobian"]
    calls.clear()
    op([Jet.variable(1.0, 2), 2.0, 3.0])
    assert calls == ["f", "jacobian", "hessian"]


def test_nothing_is_called_for_operands_that_cannot_combine() -> None:
    calls, op = spy()
    with pytest.raises(ValueError, match="tangents"):
        op([*MultiTrace.variables([1.0, 2.0]), MultiTrace.variables([1.0, 2.0, 3.0])[0]])
    with pytest.raises(ValueError, match="different orders"):
        op([Jet.variable(1.0, 2), Jet.variable(1.0, 1), 3.0])
    with pytest.raises(MixedModesError, match="Jet"):
        op([Trace.variable(1.0), Jet.variable(1.0, 2), 3.0])
    with pytest.raises(MixedModesError):
        op([Trace.variable(1.0), MultiTrace.variables([1.0])[0], 3.0])
    tape = wengert.WengertList()
    with pytest.raises(MixedModesError):
        op([Trace.variable(1.0), tape.variable(2.0), 3.0])
    assert calls == []


def test_shapes_are_checked() -> None:
    xs = [Trace.variable(1.0), 2.0, 3.0]
    with pytest.raises(ValueError, match=r"f\(x\).*shape \(m,\).*shape \(1, 2\)"):
        wengert.custom(lambda x: [[1.0, 2.0]], jacobian)(xs)
    with pytest.raises(ValueError, match=r"shape \(m,\).*shape \(0,\)"):
        wengert.custom(lambda x: [], jacobian)(xs)
    with pytest.raises(ValueError, match=r"jacobian\(x\).*shape \(2, 3\).*shape \(3, 2\)"):
        wengert.custom(f, lambda x: np.zeros((3, 2)))(xs)
    with pytest.raises(ValueError, match=r"hessian\(x\).*shape \(2, 3, 3\).*shape \(2, 3\)"):
        wengert.custom(f, jacobian, lambda x: np.zeros((2, 3)))([Jet.variable(1.0, 2), 2, 3])
    with pytest.raises(TypeError, match=r"f\(x\) of wengert.custom must return an array of floats"):
        wengert.custom(lambda x: ["a", "b"], jacobian)(xs)
    with pytest.raises(TypeError, match=r"jacobian\(x\).*not str"):
        wengert.custom(f, lambda x: "abc")(xs)
    with pytest.raises(TypeError, match="not NoneType"):
        wengert.custom(lambda x: None, jacobian)(X0)


def test_bad_inputs() -> None:
    with pytest.raises(TypeError, match="sequence of numbers"):
        OP(1.0)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="sequence of numbers"):
        OP("abc")  # type: ignore[call-overload]
    with pytest.raises(TypeError, match="input 1 is str"):
        OP([1.0, "2", 3.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="at least one input"):
        OP([])
    with pytest.raises(TypeError, match="jacobian must be a function"):
        wengert.custom(f, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="hessian must be a function or None"):
        wengert.custom(f, jacobian, 3.0)  # type: ignore[arg-type]


def test_user_exceptions_propagate() -> None:
    def fail(x: Any) -> Any:
        raise ZeroDivisionError("from the user's function")

    for op in (wengert.custom(fail, jacobian), wengert.custom(f, fail)):
        with pytest.raises(ZeroDivisionError, match="user's"):
            op([Trace.variable(1.0), 2.0, 3.0])
    with pytest.raises(ZeroDivisionError, match="user's"):
        wengert.custom(f, jacobian, fail)([Jet.variable(1.0, 2), 2.0, 3.0])


def test_f_gets_a_fresh_float64_array() -> None:
    seen: list[Any] = []

    def g(x: Any) -> Any:
        seen.append(x)
        x[0] = 100.0  # the caller's values are not touched
        return [1.0]

    xs = [Trace.variable(1.0), 2]
    out = wengert.custom(g, lambda x: [[1.0, 0.0]])(xs)
    assert seen[0].dtype == np.float64 and seen[0].shape == (2,)
    assert out[0].derivative == 1.0 and xs[0].number == 1.0


def test_pickle_and_repr() -> None:
    op = pickle.loads(pickle.dumps(OP))
    assert isinstance(op, wengert.CustomOperation)
    assert op(X0) == OP(X0)
    t = Jet.variable(0.0, 2)
    assert list(op([X0[0] + t, X0[1], X0[2]])[1].coefficients) == list(
        OP([X0[0] + t, X0[1], X0[2]])[1].coefficients
    )
    assert repr(FIRST).startswith("wengert.custom(<function f")
    assert repr(FIRST).endswith("hessian=None)")
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        pickle.dumps(wengert.custom(lambda x: x, jacobian))


# ---------------------------------------------------------------- reverse mode, recordings


def test_record_derivatives_equal_the_elementary_function() -> None:
    tape = wengert.WengertList()
    xs = tape.variables(X0)
    for inputs in ([xs[0], xs[1], xs[2]], [xs[0], X0[1], xs[2]], [xs[2], xs[0], xs[0]]):
        block, reference = OP(inputs), elementary(inputs)
        # and a function of the outputs, so the sweep passes through the block
        z, zr = block[0] * block[1], reference[0] * reference[1]
        for b, r in [*zip(block, reference, strict=True), (z, zr)]:
            assert isinstance(b, wengert.Record)
            assert close(b.number, r.number)
            db, dr = b.derivatives(), r.derivatives()
            assert all(close(db[x], dr[x]) for x in xs)


def test_records_constant_stale_and_of_two_tapes() -> None:
    calls, op = spy()
    constants = op([wengert.Record.constant(v) for v in X0])
    assert [c.number for c in constants] == f(X0) and constants[0].index is None
    assert calls == ["f"]
    calls.clear()
    tape, other = wengert.WengertList(), wengert.WengertList()
    stale = tape.variable(1.0)
    tape.clear()
    with pytest.raises(wengert.StaleRecordError):
        op([stale, 2.0, 3.0])
    with pytest.raises(wengert.MixedTapesError):
        op([tape.variable(1.0), other.variable(2.0), 3.0])
    assert calls == []
    before = len(tape)
    with pytest.raises(ValueError, match="shape"):
        wengert.custom(f, lambda x: [[1.0]])([tape.variable(1.0), 2.0, 3.0])
    assert len(tape) == before + 1  # the input only: nothing recorded for the failed block


def pair(x: Any) -> list[Any]:
    a, b = OP(x)
    return [a * b, a + wengert.sin(b)]


def pair_elementary(x: Any) -> list[Any]:
    a, b = elementary(x)
    return [a * b, a + wengert.sin(b)]


def scalar(x: Any) -> Any:
    a, b = OP([x[0], 2.5, x[1] * x[2]])
    return a * b + x[0]


def scalar_elementary(x: Any) -> Any:
    a, b = elementary([x[0], 2.5, x[1] * x[2]])
    return a * b + x[0]


POINTS = [[0.3, 0.2, -0.5], [-1.1, 0.9, 0.25], X0]


@pytest.mark.parametrize("p", POINTS)
def test_recording_first_derivatives_equal_the_elementary_function(p: list[float]) -> None:
    rec, ref = wengert.record(pair, X0), wengert.record(pair_elementary, X0)
    np.testing.assert_allclose(rec.value(p), ref.value(p), rtol=RTOL)
    np.testing.assert_allclose(rec.jacobian(p), ref.jacobian(p), rtol=RTOL, atol=1e-15)
    one, one_ref = wengert.record(scalar, X0), wengert.record(scalar_elementary, X0)
    assert close(one.value(p), one_ref.value(p))
    np.testing.assert_allclose(one.gradient(p), one_ref.gradient(p), rtol=RTOL, atol=1e-15)
    rows = np.array(POINTS)
    np.testing.assert_allclose(one.values(rows), one_ref.values(rows), rtol=RTOL)
    np.testing.assert_allclose(one.gradients(rows), one_ref.gradients(rows), rtol=RTOL)
    # and central finite differences of the value
    h = 1e-6
    for i in range(3):
        up, down = list(p), list(p)
        up[i] += h
        down[i] -= h
        fd = (one.value(up) - one.value(down)) / (2 * h)
        assert math.isclose(one.gradient(p)[i], fd, rel_tol=1e-6, abs_tol=1e-8)


def test_a_recording_calls_the_block_once_per_replay() -> None:
    calls, op = spy()
    rec = wengert.record(lambda x: op(x)[0] * 2.0, X0)
    calls.clear()
    rec.gradient(POINTS[0])
    assert calls == ["f", "jacobian"]


@pytest.mark.parametrize("p", POINTS)
def test_recording_second_derivatives_equal_the_elementary_function(p: list[float]) -> None:
    one, ref = wengert.record(scalar, X0), wengert.record(scalar_elementary, X0)
    np.testing.assert_allclose(one.hessian(p), ref.hessian(p), rtol=RTOL, atol=1e-14)
    v = [0.5, -1.0, 2.0]
    np.testing.assert_allclose(one.hvp(p, v), ref.hvp(p, v), rtol=RTOL, atol=1e-14)
    np.testing.assert_allclose(one.taylor(p, v, 2), ref.taylor(p, v, 2), rtol=RTOL, atol=1e-14)
    np.testing.assert_allclose(one.taylor(p, v, 1), ref.taylor(p, v, 1), rtol=RTOL, atol=1e-14)
    # sparse forms: the patterns are conservative (every output on every block input)
    dense = one.hessian(p)
    np.testing.assert_allclose(
        _dense(one.sparse_hessian(p)),
        dense,
        rtol=RTOL,
        atol=1e-14,
    )
    two, two_ref = wengert.record(pair, X0), wengert.record(pair_elementary, X0)
    np.testing.assert_allclose(
        _dense(two.sparse_jacobian(p)), two_ref.jacobian(p), rtol=RTOL, atol=1e-14
    )
    assert two.jacobian_sparsity().toarray().all()
    # and central finite differences of the gradient
    h = 1e-6
    for i in range(3):
        up, down = list(p), list(p)
        up[i] += h
        down[i] -= h
        fd = (one.gradient(up) - one.gradient(down)) / (2 * h)
        np.testing.assert_allclose(dense[i], fd, rtol=1e-6, atol=1e-7)


def _dense(matrix: Any) -> Any:
    return matrix.toarray()


def test_second_derivatives_need_the_hessian_and_stop_at_order_two() -> None:
    rec = wengert.record(lambda x: FIRST(x)[0] * x[0], X0)
    p = POINTS[0]
    for call in (lambda: rec.hessian(p), lambda: rec.hvp(p, p), lambda: rec.taylor(p, p, 2)):
        with pytest.raises(ValueError, match=r"give wengert\.custom its hessian"):
            call()
    rec.gradient(p)  # first derivatives need none
    np.testing.assert_allclose(rec.taylor(p, p, 1)[1], rec.gradient(p) @ p, rtol=RTOL)
    one = wengert.record(scalar, X0)
    for call in (
        lambda: one.taylor(p, p, 3),
        lambda: one.third_derivative(p),
        lambda: one.hessian_derivative(p, p),
    ):
        with pytest.raises(ValueError, match=r"many inputs at entry \d+ \(wengert\.custom"):
            call()
    # a block whose output the result does not depend on needs nothing
    unused = wengert.record(lambda x: FIRST(x)[0] * 0.0 + x[1] * x[1], X0)
    assert unused.hessian(p)[1][1] == 2.0


def test_pickling_a_recording_keeps_the_block_and_bytes_refuse_it() -> None:
    rec = wengert.record(scalar, X0)
    back = pickle.loads(pickle.dumps(rec))
    p = POINTS[1]
    assert back.value(p) == rec.value(p)
    assert (back.gradient(p) == rec.gradient(p)).all()
    assert (back.hessian(p) == rec.hessian(p)).all()
    two = pickle.loads(pickle.dumps(wengert.record(pair, X0), protocol=2))
    assert (two.jacobian(p) == wengert.record(pair, X0).jacobian(p)).all()
    with pytest.raises(TypeError, match=r"to_bytes\(\).*wengert\.custom.*pickle the recording"):
        rec.to_bytes()
    # a block whose functions do not pickle is named
    local = wengert.custom(lambda x: [x[0]], lambda x: [[1.0, 0.0, 0.0]])
    with pytest.raises(pickle.PicklingError, match=r"wengert\.custom"):
        pickle.dumps(wengert.record(lambda x: local(x)[0], X0))
    # the functions pickle gives back are checked
    function, (data, functions) = rec.__reduce__()
    for wrong in ([(f,)], [], [(OP, OP)]):
        with pytest.raises(ValueError, match="needs its CustomOperation"):
            function(data, wrong)
    assert function(data, functions).value(p) == rec.value(p)


def test_a_users_error_at_replay_propagates() -> None:
    state = {"fail": False}

    def g(x: Any) -> Any:
        if state["fail"]:
            raise ZeroDivisionError("from the user's function")
        return f(x)

    rec = wengert.record(lambda x: wengert.custom(g, jacobian)(x)[0], X0)
    state["fail"] = True
    with pytest.raises(ZeroDivisionError, match="user's"):
        rec.gradient(X0)
    state["fail"] = False
    other = wengert.record(
        lambda x: wengert.custom(lambda u: [1.0] * int(u[0]), jacobian)(x)[0], [2.0, 1.0, 1.0]
    )
    with pytest.raises(ValueError, match="returned 3 values at this point, and 2 when"):
        other.gradient([3.0, 1.0, 1.0])


# ---------------------------------------------------------------- Jets past order 2 (unary)

SIN_DERIVATIVES = [math.sin, math.cos, lambda u: -math.sin(u), lambda u: -math.cos(u)]


def sin_derivative(n: int) -> Any:
    return SIN_DERIVATIVES[n % 4]


@pytest.mark.parametrize("order", [3, 4, 6, 9])
def test_unary_with_higher_derivatives_equals_the_table(order: int) -> None:
    # along a curve x(t) = 0.7 + 1.5 t - 0.5 t² + 0.25 t³
    coefficients = [0.7, 1.5, -0.5, 0.25] + [0.0] * (order - 3)
    x = Jet(coefficients[: order + 1])
    higher = [sin_derivative(n) for n in range(3, order + 1)]
    given = x.unary(math.sin, math.cos, sin_derivative(2), higher=higher)
    reference = wengert.sin(x)
    np.testing.assert_allclose(given.coefficients, reference.coefficients, rtol=RTOL, atol=1e-15)
    # more derivatives than needed are not called past what the order needs
    calls: list[int] = []

    def spy(n: int) -> Any:
        def d(u: float) -> float:
            calls.append(n)
            return float(sin_derivative(n)(u))

        return d

    many = [spy(n) for n in range(3, order + 4)]
    x.unary(math.sin, math.cos, sin_derivative(2), higher=many)
    assert sorted(calls) == list(range(3, order + 1))


def test_unary_past_order_two_needs_the_derivatives_and_says_which() -> None:
    x = Jet.variable(0.4, 5)
    with pytest.raises(ValueError, match="to order 5, and was given them to order 3"):
        x.unary(math.sin, math.cos, sin_derivative(2), higher=[sin_derivative(3)])
    with pytest.raises(ValueError, match="to order 5, and was given them to order 1"):
        x.unary(math.sin, math.cos)
    # x + t² of order 5 needs derivatives to order 2 only; x + t⁵ to order 1
    square = Jet([0.4, 0.0, 1.0, 0.0, 0.0, 0.0])
    got = square.unary(math.sin, math.cos, sin_derivative(2))
    np.testing.assert_allclose(got.coefficients, wengert.sin(square).coefficients, rtol=RTOL)
    fifth = Jet([0.4, 0.0, 0.0, 0.0, 0.0, 1.0])
    assert fifth.unary(math.sin, math.cos).coefficients[5] == math.cos(0.4)
    with pytest.raises(TypeError, match="needs the second derivative d2fx_dx2 too"):
        x.unary(math.sin, math.cos, higher=[sin_derivative(3)])
    for bad in (math.sin, "abc", [math.sin, 2.0], 3):
        with pytest.raises(TypeError, match="higher must be a sequence of functions"):
            x.unary(math.sin, math.cos, sin_derivative(2), higher=bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"higher\[0\] must return a float"):
        x.unary(math.sin, math.cos, sin_derivative(2), higher=[lambda u: "a"] * 3)
    # other classes take `higher` and need only the first derivative
    t = Trace.variable(0.4).unary(math.sin, math.cos, higher=None)
    assert t.derivative == math.cos(0.4)


# ---------------------------------------------------------------- Jets past order 2 (blocks)


def third(x: Any) -> Any:
    """The third derivatives of ``f``: an array of shape (2, 3, 3, 3)."""
    e = math.exp(x[2])
    t = np.zeros((2, 3, 3, 3))
    # f0 = x0 x1 e^x2: ∂³ over (0, 1, 2) in any order x e, (0, 2, 2) x1 e, (1, 2, 2) x0 e,
    # (2, 2, 2) x0 x1 e
    for i, j, k, v in [
        (0, 1, 2, e),
        (0, 2, 2, x[1] * e),
        (1, 2, 2, x[0] * e),
        (2, 2, 2, x[0] * x[1] * e),
    ]:
        for p in {(i, j, k), (i, k, j), (j, i, k), (j, k, i), (k, i, j), (k, j, i)}:
            t[0][p] = v
    # f1 = sin x0 + x1² x2: (0, 0, 0) -cos x0, (1, 1, 2) 2
    t[1][0, 0, 0] = -math.cos(x[0])
    for p in {(1, 1, 2), (1, 2, 1), (2, 1, 1)}:
        t[1][p] = 2.0
    return t


def fourth(x: Any) -> Any:
    """The fourth derivatives of ``f`` along the inputs the test varies: all of them."""
    e = math.exp(x[2])
    t = np.zeros((2, 3, 3, 3, 3))
    for index in itertools.product(range(3), repeat=4):
        counts = [index.count(c) for c in range(3)]
        if counts[0] <= 1 and counts[1] <= 1:
            value = e * (x[0] if counts[0] == 0 else 1.0) * (x[1] if counts[1] == 0 else 1.0)
            t[0][index] = value
    t[1][0, 0, 0, 0] = math.sin(x[0])
    return t


HIGHER = wengert.custom(f, jacobian, hessian, higher=[third, fourth])


@pytest.mark.parametrize("order", [3, 4])
def test_block_with_higher_derivatives_equals_the_elementary_function(order: int) -> None:
    t = Jet.variable(0.0, order)
    xs = [X0[0] + t, X0[1] - 2 * t, X0[2] + 0.5 * t * t + 0.25 * t]
    for b, r in zip(HIGHER(xs), elementary(xs), strict=True):
        np.testing.assert_allclose(b.coefficients, r.coefficients, rtol=RTOL, atol=1e-14)


def test_block_past_order_two_says_what_to_give() -> None:
    t = Jet.variable(0.0, 5)
    xs = [X0[0] + t, X0[1], X0[2]]
    with pytest.raises(ValueError, match=r"order 5.*higher=\(the third derivatives"):
        HIGHER(xs)
    with pytest.raises(ValueError, match="order 3"):
        OP([X0[0] + Jet.variable(0.0, 3), X0[1], X0[2]])
    # along t² only half the derivatives are needed
    square = [X0[0] + Jet([0.0, 0.0, 1.0, 0.0, 0.0]), X0[1], X0[2]]
    for b, r in zip(OP(square), elementary(square), strict=True):
        np.testing.assert_allclose(b.coefficients, r.coefficients, rtol=RTOL, atol=1e-14)
    quadratic = [X0[0] + Jet([0.0, 0.0, 1.0]), X0[1], X0[2]]
    for b, r in zip(FIRST(quadratic), elementary(quadratic), strict=True):
        np.testing.assert_allclose(b.coefficients, r.coefficients, rtol=RTOL, atol=1e-14)
    with pytest.raises(ValueError, match=r"higher\[0\]\(x\).*shape \(2, 3, 3, 3\)"):
        wengert.custom(f, jacobian, hessian, higher=[hessian])(
            [X0[0] + Jet.variable(0.0, 3), X0[1], X0[2]]
        )
    with pytest.raises(TypeError, match="needs the hessian too"):
        wengert.custom(f, jacobian, higher=[third])
    with pytest.raises(TypeError, match="higher must be a sequence of functions"):
        wengert.custom(f, jacobian, hessian, higher=third)  # type: ignore[arg-type]
    back = pickle.loads(pickle.dumps(HIGHER))
    xs4 = [X0[0] + Jet.variable(0.0, 4), X0[1], X0[2]]
    assert list(back(xs4)[0].coefficients) == list(HIGHER(xs4)[0].coefficients)


def test_a_cycle_through_the_operations_functions_is_collected() -> None:
    import gc
    import weakref

    class Model:
        def f(self, x: Any) -> list[float]:
            return [2 * x[0]]

        def jacobian(self, x: Any) -> list[list[float]]:
            return [[2.0]]

        def hessian(self, x: Any) -> list[list[list[float]]]:
            return [[[0.0]]]

        def third(self, x: Any) -> list[list[list[list[float]]]]:
            return [[[[0.0]]]]

    for functions in ((), ("hessian",), ("hessian", "third")):
        model = Model()
        others: list[Any] = [getattr(model, name) for name in functions]
        if len(others) == 2:
            model.op = wengert.custom(model.f, model.jacobian, others[0], higher=[others[1]])  # type: ignore[attr-defined]
        else:
            model.op = wengert.custom(model.f, model.jacobian, *others)  # type: ignore[attr-defined]
        assert model.op([Trace.variable(1.5)])[0].derivative == 2.0  # type: ignore[attr-defined]
        owner = weakref.ref(model)
        del model, others
        gc.collect()
        assert owner() is None, functions


def test_missing_derivatives_of_jets_say_the_order_needed_and_given() -> None:
    # order 4 along t²: the derivatives to order 2 are needed, the Jacobian is given
    square = [X0[0] + Jet([0.0, 0.0, 1.0, 0.0, 0.0]), X0[1], X0[2]]
    message = r"order 4 needs its derivatives to order 2, and was given them to order 1: "
    with pytest.raises(ValueError, match=message + "give wengert.custom its hessian,"):
        FIRST(square)
    # order 5 with the derivatives to order 4
    t = Jet.variable(0.0, 5)
    message = r"order 5 needs its derivatives to order 5, and was given them to order 4: "
    with pytest.raises(ValueError, match=message + r"give wengert.custom higher="):
        HIGHER([X0[0] + t, X0[1], X0[2]])
    message = r"order 3 needs its derivatives to order 3, and was given them to order 1: "
    with pytest.raises(ValueError, match=message + "give wengert.custom its hessian and higher"):
        FIRST([X0[0] + Jet.variable(0.0, 3), X0[1], X0[2]])


def test_recording_taylor_asks_for_the_hessian_only_when_a_first_coefficient_varies() -> None:
    op = wengert.custom(lambda x: [math.sin(x[0])], lambda x: [[math.cos(x[0])]])
    # sin(x²) at 0 along 1: sin(t²) = t² + O(t⁶), with no second derivative of sin needed
    # (taylor gives the derivatives in t, as a Jet's derivatives)
    rec = wengert.record(lambda x: op([x * x])[0], 0.0)
    np.testing.assert_array_equal(rec.taylor(0.0, 1.0, 2), [0.0, 0.0, 2.0])
    np.testing.assert_array_equal(op([Jet.variable(0.0, 2) ** 2])[0].derivatives, [0.0, 0.0, 2.0])
    # at 1 the first coefficient 2t varies: the Hessian is needed
    with pytest.raises(ValueError, match="hessian"):
        rec.taylor(1.0, 1.0, 2)


def test_repr_names_the_higher_derivatives() -> None:
    assert repr(HIGHER) == (
        f"wengert.custom({f!r}, {jacobian!r}, hessian={hessian!r}, higher=[{third!r}, {fourth!r}])"
    )
    assert repr(OP) == f"wengert.custom({f!r}, {jacobian!r}, hessian={hessian!r})"


def test_a_recording_past_order_two_says_that_higher_serves_jets_only() -> None:
    higher = [sin_derivative(3), sin_derivative(4)]
    rec = wengert.record(
        lambda x: x.unary(math.sin, math.cos, sin_derivative(2), higher=higher), 0.4
    )
    message = r"higher= derivatives serve Jets only\): for higher orders, evaluate the function on"
    with pytest.raises(ValueError, match=message):
        rec.taylor(0.4, 1.0, 3)
    # what it says to do instead: a Jet
    jet = Jet.variable(0.4, 3).unary(math.sin, math.cos, sin_derivative(2), higher=higher)
    np.testing.assert_allclose(jet.coefficients, wengert.sin(Jet.variable(0.4, 3)).coefficients)
    block = wengert.record(lambda x: HIGHER([x, X0[1], X0[2]])[0], X0[0])
    with pytest.raises(ValueError, match=message):
        block.taylor(X0[0], 1.0, 3)


def test_f_returning_no_values_is_told_to_return_at_least_one() -> None:
    op = wengert.custom(lambda x: [], lambda x: np.zeros((0, 1)))
    for xs in ([1.0], [Trace.variable(1.0)]):
        with pytest.raises(ValueError, match="a custom operation needs at least one output"):
            op(xs)


def test_zero_dimensional_arrays_are_constants_as_for_the_number_classes() -> None:
    op = wengert.custom(lambda x: [x[0] * x[1]], lambda x: [[x[1], x[0]]])
    x = Trace.variable(1.5)
    assert (x * np.array(2.0)).derivative == 2.0  # as the number classes take it
    (y,) = op([x, np.array(2.0)])
    assert (y.number, y.derivative) == (3.0, 2.0)
    assert op([np.array(1.5), np.array(2)]) == [3.0]
    (z,) = op([np.array(2.0), Jet.variable(1.5, 1)])
    assert list(z.coefficients) == [3.0, 2.0]
    with pytest.raises(TypeError, match="input 1 is ndarray"):
        op([x, np.array([2.0])])
