"""NumPy interop: object arrays of Traces and Records through numpy's functions.

numpy runs its ufuncs on object arrays element by element, calling the method of
the same name (``np.sin(a)`` calls ``a[i].sin()``) or the operator (``np.abs``,
``np.maximum``, ``np.dot``, ``@``), so the derivatives are the engine's own. Each
case is checked for values bit-for-bit against :mod:`math`, and for derivatives
against the exact formula and central finite differences, in both modes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from conftest import approx, central_difference, step_for

from wengert import Derivatives, Record, Trace, WengertList, grad

MODES = ["forward", "reverse"]


def numbers(values: Any) -> list[float]:
    return [float(v) for v in np.asarray(values, dtype=np.float64).ravel()]


def inputs(mode: str, values: Any) -> Any:
    """An object array of independent variables: Traces each with derivative 1, or Records."""
    values = numbers(values)
    if mode == "forward":
        return np.array([Trace.variable(v) for v in values], dtype=object)
    return np.array(WengertList().variables(values), dtype=object)


def own_derivatives(mode: str, outputs: Any, variables: Any) -> list[float]:
    """d output_i / d variable_i for each i (elementwise functions)."""
    if mode == "forward":
        return [y.derivative for y in outputs]
    return [y.derivatives()[x] for y, x in zip(outputs, variables, strict=True)]


def gradient(mode: str, f: Callable[[Any], Any], values: list[float]) -> list[float]:
    """The gradient of a scalar ``f`` of an object array: one Trace pass per input, or
    one recording and one sweep."""
    if mode == "forward":
        result = []
        for j in range(len(values)):
            x = np.array(
                [Trace(v, 1.0 if i == j else 0.0) for i, v in enumerate(values)], dtype=object
            )
            result.append(f(x).derivative)
        return result
    x = np.array(WengertList().variables(values), dtype=object)
    d = f(x).derivatives()
    return [d[r] for r in x]


def numeric_gradient(f: Callable[[Any], Any], values: list[float]) -> list[float]:
    result = []
    for j, v in enumerate(values):

        def along(t: float, j: int = j) -> float:
            shifted = np.array(values, dtype=np.float64)
            shifted[j] = t
            return float(f(shifted))

        result.append(central_difference(along, v, step_for(v)))
    return result


def assert_close(actual: list[float], expected: list[float], rel: float = 1e-12) -> None:
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected, strict=True):
        assert approx(a, e, rel=rel, abs_tol=rel), (actual, expected)


POINTS = [0.3, 1.25, 2.0, 4.5]

UNARY = {
    # name: (ufunc, math function, exact derivative)
    "sin": (np.sin, math.sin, math.cos),
    "cos": (np.cos, math.cos, lambda x: -math.sin(x)),
    "exp": (np.exp, math.exp, math.exp),
    "log": (np.log, math.log, lambda x: 1 / x),
    "sqrt": (np.sqrt, math.sqrt, lambda x: 0.5 / math.sqrt(x)),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_ufunc_on_an_object_array(mode: str, name: str) -> None:
    ufunc, function, exact = UNARY[name]
    x = inputs(mode, POINTS)
    y = ufunc(x)
    assert y.dtype == object and y.shape == x.shape
    assert all(type(e) is type(x[0]) for e in y)
    assert [e.number for e in y] == [function(v) for v in POINTS]  # bit for bit
    derivatives = own_derivatives(mode, y, x)
    assert_close(derivatives, [exact(v) for v in POINTS])
    assert_close(
        derivatives, [central_difference(function, v, step_for(v)) for v in POINTS], rel=1e-8
    )


@pytest.mark.parametrize("mode", MODES)
def test_abs(mode: str) -> None:
    values = [-2.5, -0.5, 0.75, 3.0]
    x = inputs(mode, values)
    y = np.abs(x)
    assert [e.number for e in y] == [abs(v) for v in values]
    assert own_derivatives(mode, y, x) == [-1.0, -1.0, 1.0, 1.0]


@pytest.mark.parametrize("mode", MODES)
def test_arctan2_of_two_arrays(mode: str) -> None:
    ys, xs = [0.5, -1.5, 2.0, -0.25], [1.0, 2.0, -3.0, -0.5]
    both = inputs(mode, ys + xs) if mode == "reverse" else None
    for j, (yv, xv) in enumerate(zip(ys, xs, strict=True)):
        r2 = xv * xv + yv * yv
        exact = [xv / r2, -yv / r2]  # d/dy, d/dx
        numeric = [
            central_difference(lambda t, xv=xv: math.atan2(t, xv), yv, step_for(yv)),
            central_difference(lambda t, yv=yv: math.atan2(yv, t), xv, step_for(xv)),
        ]
        if mode == "forward":
            d = []
            for direction in ((1.0, 0.0), (0.0, 1.0)):
                y = np.array([Trace(yv, direction[0])], dtype=object)
                x = np.array([Trace(xv, direction[1])], dtype=object)
                out = np.arctan2(y, x)[0]
                assert out.number == math.atan2(yv, xv)
                d.append(out.derivative)
        else:
            assert both is not None
            out = np.arctan2(both[: len(ys)], both[len(ys) :])[j]
            assert out.number == math.atan2(yv, xv)
            swept = out.derivatives()
            d = [swept[both[j]], swept[both[len(ys) + j]]]
        assert_close(d, exact)
        assert_close(d, numeric, rel=1e-8)


@pytest.mark.parametrize("mode", MODES)
def test_arctan2_with_a_float_array(mode: str) -> None:
    ys, xs = [0.5, -1.5], np.array([1.0, -3.0])
    y = inputs(mode, ys)
    out = np.arctan2(y, xs)
    assert [e.number for e in out] == [math.atan2(a, b) for a, b in zip(ys, xs, strict=True)]
    exact = [b / (a * a + b * b) for a, b in zip(ys, xs, strict=True)]
    assert_close(own_derivatives(mode, out, y), exact)


@pytest.mark.parametrize("mode", MODES)
def test_maximum_picks_an_operand_and_its_derivative(mode: str) -> None:
    values = [-1.0, 0.25, 2.0, -3.0]
    x = inputs(mode, values)
    y = np.maximum(x, 0.0)
    picked = [isinstance(e, (Trace, Record)) for e in y]
    assert picked == [False, True, True, False]
    assert [float(e) if not p else e.number for e, p in zip(y, picked, strict=True)] == [
        max(v, 0.0) for v in values
    ]
    # the ReLU sum: derivative 1 where x > 0, else 0
    f = lambda a: np.sum(np.maximum(a, 0.0)) + 0.0 * a[0]  # noqa: E731
    g = gradient(mode, f, values)
    assert g == [0.0, 1.0, 1.0, 0.0]
    assert_close(g, numeric_gradient(f, values), rel=1e-8)


@pytest.mark.parametrize("mode", MODES)
def test_maximum_of_two_variable_arrays(mode: str) -> None:
    a, b = [1.0, -2.0], [0.5, 3.0]

    def f(v: Any) -> Any:
        return np.sum(np.maximum(v[:2], v[2:]) * np.array([1.0, 10.0]))

    assert gradient(mode, f, a + b) == [1.0, 0.0, 0.0, 10.0]


@pytest.mark.parametrize("mode", MODES)
def test_sum(mode: str) -> None:
    values = [0.5, -1.0, 2.5]
    f = lambda a: np.sum(a * a)  # noqa: E731
    assert f(inputs(mode, values)).number == sum(v * v for v in values)
    g = gradient(mode, f, values)
    assert g == [2 * v for v in values]
    assert_close(g, numeric_gradient(f, values), rel=1e-8)


@pytest.mark.parametrize("mode", MODES)
def test_dot_and_matmul_with_float_arrays(mode: str) -> None:
    values, w = [0.5, -1.0, 2.5], np.array([2.0, -3.0, 0.25])
    for f in (
        lambda a: np.dot(w, a),
        lambda a: np.dot(a, w),
        lambda a: a @ w,
        lambda a: w @ a,
        lambda a: np.sin(a) @ w,
    ):
        x = inputs(mode, values)
        assert math.isclose(f(x).number, f(np.array(values)), rel_tol=1e-15)
        g = gradient(mode, f, values)
        assert_close(g, numeric_gradient(f, values), rel=1e-8)
    assert gradient(mode, lambda a: a @ w, values) == w.tolist()
    assert_close(gradient(mode, lambda a: np.sin(a) @ w, values), (np.cos(values) * w).tolist())


@pytest.mark.parametrize("mode", MODES)
def test_matrix_times_vector_of_variables(mode: str) -> None:
    m = np.array([[1.0, 2.0, 3.0], [-4.0, 0.5, 6.0]])
    values = [0.5, -1.0, 2.5]
    for row in range(2):
        f = lambda a, row=row: (m @ a)[row]  # noqa: E731
        assert gradient(mode, f, values) == m[row].tolist()
    x = inputs(mode, values)
    y = m @ x
    assert y.shape == (2,) and [e.number for e in y] == (m @ np.array(values)).tolist()
    # a 2-D object array (a matrix of variables) times a float vector
    xm = inputs(mode, [1.0, 2.0, 3.0, 4.0]).reshape(2, 2)
    z = xm @ np.array([10.0, 100.0])
    assert [e.number for e in z] == [210.0, 430.0]


@pytest.mark.parametrize("mode", MODES)
def test_a_whole_numpy_expression(mode: str) -> None:
    values = [0.3, 1.25, 2.0]

    def f(a: Any) -> Any:
        return np.sum(np.exp(-a) * np.sin(a)) + np.sqrt(np.dot(a, a)) + np.sum(np.log(a))

    def exact(v: float, norm: float) -> float:
        return math.exp(-v) * (math.cos(v) - math.sin(v)) + v / norm + 1 / v

    norm = math.sqrt(sum(v * v for v in values))
    g = gradient(mode, f, values)
    assert_close(g, [exact(v, norm) for v in values])
    assert_close(g, numeric_gradient(f, values), rel=1e-8)


def test_grad_of_numpy_code() -> None:
    x = np.array([[0.3, 1.25], [2.0, 0.75]])
    g = grad(lambda a: np.sum(np.log(a) * np.arctan2(a, 2.0)))(x)
    expected = np.log(x) * 2.0 / (x * x + 4.0) + np.arctan2(x, 2.0) / x
    assert g.shape == (2, 2) and np.allclose(g, expected, rtol=1e-12, atol=0)


# ------------------------------------------------ inputs and outputs as arrays


@pytest.mark.parametrize(
    "array",
    [
        np.array([0.5, -1.0, 2.5]),
        np.array([1, 2, 3]),
        np.array([0.5, -1.0, 2.5], dtype=np.float32),
        np.array([9.0, 0.5, 7.0, -1.0, 5.0, 2.5])[1::2],  # not contiguous
        np.array([2.5, -1.0, 0.5])[::-1],  # negative stride
        np.array([0.5, -1.0, 2.5]).astype(">f8"),  # not native byte order
    ],
    ids=["float64", "int64", "float32", "strided", "reversed", "big-endian"],
)
def test_variables_accepts_an_ndarray(array: Any) -> None:
    tape = WengertList()
    records = tape.variables(array)
    assert [r.number for r in records] == [float(v) for v in array]
    assert [r.index for r in records] == list(range(len(array)))
    assert len(tape) == len(array)


def test_derivatives_as_an_array_are_float64_and_zero_copy() -> None:
    tape = WengertList()
    x = tape.variables(np.array([0.5, -1.0, 2.5]))
    y = np.sum(np.sin(np.array(x, dtype=object)))
    d = y.derivatives()
    assert isinstance(d, Derivatives)
    a = np.asarray(d)
    assert a.dtype == np.float64 and a.shape == (len(tape),) == (len(d),)
    assert a[:3].tolist() == [math.cos(r.number) for r in x] == [d[r] for r in x]
    assert a.tolist() == list(d)
    # zero copy: every view is the same memory, owned by the Derivatives; it is read-only
    assert not a.flags.owndata and np.shares_memory(a, np.asarray(d))
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0] = 1.0
    assert np.frombuffer(d, dtype=np.float64).tolist() == a.tolist()
    assert memoryview(d).format == "d" and memoryview(d).readonly


def test_derivatives_array_outlives_its_record_and_tape() -> None:
    def make() -> Any:
        tape = WengertList()
        x = tape.variable(3.0)
        return np.asarray((x * x).derivatives())

    a = make()
    assert a.tolist() == [6.0, 1.0]


@pytest.mark.parametrize("dtype", [np.float64, np.int64, np.float32])
@pytest.mark.parametrize("shape", [(2, 3), (), (1, 1, 2)])
def test_variables_refuses_arrays_that_are_not_one_dimensional(
    dtype: type, shape: tuple[int, ...]
) -> None:
    tape = WengertList()
    array = np.ones(shape, dtype=dtype)
    with pytest.raises(TypeError, match=r"one-dimensional.*ravel\(\)"):
        tape.variables(array)
    assert len(tape) == 0
    records = tape.variables(array.ravel())
    assert [r.number for r in records] == [1.0] * array.size


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_no_floating_point_warning_where_the_value_is_fine(mode: str) -> None:
    """numpy checks the FPU flags after an object loop: a derivative must not set them
    where the float computation would not (a negative base to a constant power, sqrt(0))."""
    tape = WengertList()
    make = Trace.variable if mode == "forward" else tape.variable
    xs = np.array([make(-1.5), make(-2.0), make(0.0)], dtype=object)
    with np.errstate(all="raise"):
        squares = xs**2
        roots = np.sqrt(np.array([make(0.0), make(-0.0)], dtype=object))
    assert [s.number for s in squares] == [2.25, 4.0, 0.0]
    assert [r.number for r in roots] == [0.0, -0.0]
    if mode == "forward":
        assert [s.derivative for s in squares] == [-3.0, -4.0, 0.0]
        assert [r.derivative for r in roots] == [math.inf, math.inf]


@pytest.mark.parametrize("mode", ["forward", "reverse"])
def test_std_and_var_of_an_object_array(mode: str) -> None:
    """numpy's std and var call conjugate() on each element: a real number is its own."""
    xs = [1.0, 2.5, 4.0, 7.5]
    tape = WengertList()
    values = [Trace(x, 1.0 if i == 0 else 0.0) for i, x in enumerate(xs)]
    if mode == "reverse":
        values = tape.variables(xs)
    array = np.array(values, dtype=object)
    variance, deviation = np.var(array), np.std(array)
    assert approx(variance.number, float(np.var(xs)))
    assert approx(deviation.number, float(np.std(xs)))
    # d var / d x0 = 2 (x0 - mean) / n; d std / d x0 = that / (2 std)
    mean = sum(xs) / len(xs)
    d_var = 2.0 * (xs[0] - mean) / len(xs)
    d_std = d_var / (2.0 * float(np.std(xs)))
    if mode == "forward":
        got_var, got_std = variance.derivative, deviation.derivative
    else:
        got_var, got_std = variance.derivatives()[values[0]], deviation.derivatives()[values[0]]
    assert approx(got_var, d_var) and approx(got_std, d_std)
