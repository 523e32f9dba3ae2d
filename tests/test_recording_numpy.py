"""record(f, x0) hands f its argument in x0's form: NumPy code records and replays."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import wengert
from wengert import BranchChangedError, record


def rosenbrock(x: Any) -> Any:
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def bits(a: Any) -> bytes:
    return np.asarray(a, dtype=np.float64).tobytes()


@settings(max_examples=30, deadline=None)
@given(arrays(np.float64, 10, elements=st.floats(-3, 3)))
def test_numpy_rosenbrock_replays_as_grad(x: Any) -> None:
    rec = record(rosenbrock, np.linspace(-1.0, 1.5, 10))
    grad = wengert.grad(rosenbrock)
    assert rec.gradient(x).shape == (10,)
    assert bits(rec.gradient(x)) == bits(grad(x))
    value, gradient = wengert.value_and_grad(rosenbrock)(x)
    assert rec.value(x) == value and bits(rec.value_and_gradient(x)[1]) == bits(gradient)
    rows = np.stack([x, x + 0.5])
    assert bits(rec.gradients(rows)) == bits(np.stack([grad(x), grad(x + 0.5)]))


def test_f_receives_x0s_form() -> None:
    seen: list[Any] = []

    def f(x: Any) -> Any:
        seen.append(x)
        return np.sum(x) if isinstance(x, np.ndarray) else sum(x)

    record(f, np.array([1.0, 2.0]))
    record(f, [1.0, 2.0])
    record(f, (1.0, 2.0))
    record(f, np.ones((2, 3)))
    array_1d, listed, tupled, array_2d = seen
    assert isinstance(array_1d, np.ndarray) and array_1d.dtype == object
    assert array_1d.shape == (2,) and isinstance(array_1d[0], wengert.Record)
    assert type(listed) is list and type(tupled) is list
    assert isinstance(array_2d, np.ndarray) and array_2d.shape == (2, 3)
    assert all(isinstance(r, wengert.Record) for r in array_2d.flat)


WEIGHTS = np.array([[0.5, -1.0, 2.0], [1.5, 3.0, -0.25]])


def f2(x: Any) -> Any:
    return np.sum(WEIGHTS * x**2) + x[0, 1] * x[1, 2]


def f2_gradient(x: Any) -> Any:
    g = 2 * WEIGHTS * x
    g[0, 1] += x[1, 2]
    g[1, 2] += x[0, 1]
    return g


def f2_hessian() -> Any:
    h = np.diag(2 * WEIGHTS.ravel())
    h[1, 5] = h[5, 1] = 1.0
    return h.reshape(2, 3, 2, 3)


def test_two_dimensional_x0() -> None:
    x0 = np.arange(6.0).reshape(2, 3) / 4
    rec = record(f2, x0)
    assert rec.x0.shape == (2, 3) and bits(rec.x0) == bits(x0)
    assert rec.n_inputs == 6
    x = np.array([[0.3, -1.2, 2.0], [0.7, 1.1, -0.4]])
    gradient = rec.gradient(x)
    assert gradient.shape == (2, 3)
    assert bits(gradient) == bits(wengert.grad(f2)(x))
    np.testing.assert_allclose(gradient, f2_gradient(x), rtol=1e-14)
    value, same = rec.value_and_gradient(x)
    assert value == wengert.value_and_grad(f2)(x)[0] and bits(same) == bits(gradient)
    # A nested list of x0's shape is a point too.
    assert bits(rec.gradient(x.tolist())) == bits(gradient)
    assert rec.jacobian(x).shape == (1, 2, 3)
    assert bits(rec.jacobian(x)[0]) == bits(gradient)
    hessian = rec.hessian(x)
    assert hessian.shape == (2, 3, 2, 3)
    np.testing.assert_array_equal(hessian, f2_hessian())
    v = np.linspace(-1.0, 1.0, 6).reshape(2, 3)
    product = rec.hvp(x, v)
    assert product.shape == (2, 3)
    np.testing.assert_allclose(product, np.tensordot(f2_hessian(), v, 2), rtol=1e-14)
    # gradients(X) takes rows of n = x0.size numbers, the points in row-major order.
    rows = np.stack([x.ravel(), x0.ravel()])
    expected = np.stack([gradient.ravel(), rec.gradient(x0).ravel()])
    assert bits(rec.gradients(rows)) == bits(expected)


def test_points_of_another_shape_are_refused() -> None:
    rec = record(f2, np.ones((2, 3)))
    for bad in (np.ones(6), np.ones((3, 2)), [[1.0, 2.0, 3.0]], np.ones((1, 2, 3))):
        with pytest.raises(ValueError, match=r"shape .* but x0 had shape \(2, 3\).*reshape"):
            rec.gradient(bad)
    with pytest.raises(ValueError, match="shape"):
        rec.hvp(np.ones((2, 3)), np.ones(6))
    with pytest.raises(TypeError, match="bool"):
        rec.gradient(np.ones((2, 3), dtype=bool))
    with pytest.raises(TypeError, match="not a number"):
        rec.gradient(np.full((2, 3), "a"))
    with pytest.raises(ValueError, match="finite"):
        rec.gradient(np.full((2, 3), np.nan))
    with pytest.raises(ValueError, match="6 inputs"):
        rec.gradients(np.ones((4, 5)))


def test_branches_name_the_element() -> None:
    def f(x: Any) -> Any:
        return x[1, 0] * 2 if x[1, 0] > 0 else -x[1, 0]

    rec = record(f, np.ones((2, 2)))
    assert rec.gradient(np.full((2, 2), 3.0)).tolist() == [[0.0, 0.0], [2.0, 0.0]]
    with pytest.raises(BranchChangedError, match=r"x\[1, 0\] > 0"):
        rec.gradient(-np.ones((2, 2)))


def test_zero_dimensional_array_x0() -> None:
    rec = record(lambda x: x * x * x, np.array(2.0))
    gradient = rec.gradient(np.array(3.0))
    assert isinstance(gradient, np.ndarray) and gradient.shape == () and gradient == 27.0
    assert rec.gradient(3.0) == 27.0
    assert rec.hessian(3.0) == 18.0


def test_the_list_form_keeps_working() -> None:
    rec = record(lambda v: v[0] * v[0] * v[1], [3.0, 2.0])
    assert rec.gradient([1.0, 5.0]).tolist() == [10.0, 1.0]
    assert rec.gradient(np.array([1.0, 5.0])).tolist() == [10.0, 1.0]
    assert rec.hessian([1.0, 5.0]).shape == (2, 2)
