"""The functional API: derivative, grad, value_and_grad, jacobian, jvp and vjp.

Every derivative is checked against its exact formula and against central finite
differences of the same function run on plain floats.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from conftest import approx
from numpy.typing import NDArray

import wengert
from wengert import (
    MixedModesError,
    MixedTapesError,
    Record,
    Trace,
    WengertList,
    grad,
    jacobian,
    jvp,
    value_and_grad,
    vjp,
)

FloatArray = NDArray[np.float64]


def numeric_gradient(f: Callable[[FloatArray], Any], x: FloatArray) -> FloatArray:
    """Central finite differences of ``f`` (on float arrays) at ``x``, one per element."""
    x = np.asarray(x, dtype=np.float64)
    result = np.zeros(x.shape + np.shape(f(x)))
    for index in np.ndindex(x.shape):
        h = 1e-6 * max(1.0, abs(x[index]))
        up, down = x.copy(), x.copy()
        up[index] += h
        down[index] -= h
        result[index] = (np.asarray(f(up)) - np.asarray(f(down))) / (2 * h)
    return result


def close(actual: Any, expected: Any, rel: float = 1e-12) -> bool:
    return bool(np.allclose(actual, expected, rtol=rel, atol=rel))


# ---------------------------------------------------------------- grad


def cubic_sin(x: Any) -> Any:
    return x**3 + wengert.sin(x)


def test_grad_of_a_number() -> None:
    g = grad(cubic_sin)(2.0)
    assert type(g) is float
    assert g == 3 * 2.0**2 + math.cos(2.0)
    assert close(g, numeric_gradient(cubic_sin, np.array(2.0)), rel=1e-8)


def test_grad_at_an_int_is_a_float() -> None:
    g = grad(lambda x: x * x)(3)
    assert type(g) is float and g == 6.0


def test_grad_at_numpy_scalars() -> None:
    assert grad(lambda x: x * x)(np.float64(3.0)) == 6.0
    assert grad(lambda x: x * x)(np.int64(3)) == 6.0


def sum_sin_times(v: Any) -> Any:
    return np.sum(np.sin(v) * v) + v[0] * v[1] ** 2


def test_grad_of_a_list_gets_a_list_of_records() -> None:
    seen: list[Any] = []

    def f(v: Any) -> Any:
        seen.append(v)
        return v[0] * v[1] + v[2]

    g = grad(f)([1.0, 2.0, 3.0])
    assert type(seen[0]) is list and all(type(r) is Record for r in seen[0])
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == (3,)
    assert g.tolist() == [2.0, 1.0, 1.0]


def test_grad_of_a_tuple_gets_a_tuple() -> None:
    seen: list[Any] = []

    def f(v: Any) -> Any:
        seen.append(v)
        return v[0] * v[1]

    assert grad(f)((3.0, 4.0)).tolist() == [4.0, 3.0]
    assert type(seen[0]) is tuple


def test_grad_of_a_nested_list_gets_nested_lists() -> None:
    seen: list[Any] = []

    def f(m: Any) -> Any:
        seen.append(m)
        return m[0][0] * m[1][1] - m[0][1] * m[1][0]  # the determinant

    g = grad(f)([[1.0, 2.0], [3.0, 4.0]])
    assert type(seen[0]) is list and type(seen[0][1]) is list
    assert g.shape == (2, 2) and g.tolist() == [[4.0, -3.0], [-2.0, 1.0]]


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 1, 2)])
def test_grad_of_an_array_gets_an_object_array_of_the_same_shape(shape: tuple[int, ...]) -> None:
    x = np.linspace(0.3, 1.7, math.prod(shape)).reshape(shape)
    seen: list[Any] = []

    def f(v: Any) -> Any:
        seen.append(v)
        return np.sum(np.sin(v) * v) + np.sum(v**2) / 3

    g = grad(f)(x)
    assert seen[0].dtype == object and seen[0].shape == shape
    assert g.dtype == np.float64 and g.shape == shape
    exact = np.sin(x) + x * np.cos(x) + 2 * x / 3
    assert close(g, exact)
    assert close(g, numeric_gradient(f, x), rel=1e-7)


def test_grad_of_a_vector_function_matches_finite_differences() -> None:
    x = np.array([0.5, -1.25, 2.0])
    g = grad(sum_sin_times)(x)
    exact = np.sin(x) + x * np.cos(x) + np.array([x[1] ** 2, 2 * x[0] * x[1], 0.0])
    assert close(g, exact)
    assert close(g, numeric_gradient(sum_sin_times, x), rel=1e-7)


def test_grad_of_an_int_array_and_of_an_empty_array() -> None:
    assert grad(lambda v: np.sum(v * v))(np.array([1, 2])).tolist() == [2.0, 4.0]
    empty = grad(lambda v: np.sum(v * v))(np.zeros(0))
    assert empty.shape == (0,) and empty.dtype == np.float64


def test_grad_of_a_zero_dimensional_array_is_zero_dimensional() -> None:
    g = grad(lambda v: v * v)(np.array(3.0))
    assert isinstance(g, np.ndarray) and g.shape == () and g == 6.0


def test_grad_with_argnums_passes_the_others_through() -> None:
    received: list[Any] = []

    def f(a: Any, b: Any, label: str, *, scale: float) -> Any:
        received.extend([a, label, scale])
        return scale * a * b**2

    g = grad(f, argnums=1)(3.0, 2.0, "label", scale=0.5)
    assert g == 0.5 * 3.0 * 2 * 2.0
    assert received == [3.0, "label", 0.5] and type(received[0]) is float


def test_grad_with_negative_argnums() -> None:
    assert grad(lambda x, y: x * y**2, argnums=-1)(3.0, 2.0) == 12.0


def test_grad_with_a_tuple_of_argnums_gives_a_tuple() -> None:
    def f(x: Any, v: Any, y: Any) -> Any:
        return x * np.sum(v**2) + y

    gx, gy, gv = grad(f, argnums=(0, 2, 1))(2.0, np.array([1.0, 3.0]), 5.0)
    assert (gx, gy) == (10.0, 1.0)
    assert gv.tolist() == [4.0, 12.0]
    single = grad(f, argnums=(0,))(2.0, np.array([1.0, 3.0]), 5.0)
    assert single == (10.0,)


def test_value_and_grad() -> None:
    x = np.array([0.5, -1.25, 2.0])
    value, g = value_and_grad(sum_sin_times)(x)
    assert type(value) is float and value == sum_sin_times(x)
    assert close(g, grad(sum_sin_times)(x), rel=0)
    value, (g0, g1) = value_and_grad(lambda a, b: a / b, argnums=(0, 1))(3.0, 2.0)
    assert (value, g0, g1) == (1.5, 0.5, -0.75)


def test_the_gradient_is_a_fresh_writable_array() -> None:
    g = grad(lambda v: np.sum(v * v))(np.array([1.0, 2.0]))
    g[0] = 7.0
    assert g.flags.writeable and g.tolist() == [7.0, 4.0]


def test_grad_calls_f_once_and_each_call_is_independent() -> None:
    calls: list[Any] = []

    def f(x: Any) -> Any:
        calls.append(x)
        return x * x

    g = grad(f)
    assert [g(1.0), g(2.0), g(3.0)] == [2.0, 4.0, 6.0]
    assert len(calls) == 3
    assert calls[0].history is not calls[1].history  # a fresh tape per call


@pytest.mark.parametrize(
    "f",
    [
        lambda x: 1.0,
        lambda x: 3,
        lambda x: np.float64(2.5),
        lambda x: Record.constant(4.0),
        lambda x: (x * 2.0).number,  # .number cuts the derivative: a constant
    ],
)
def test_a_constant_output_has_gradient_zero(f: Callable[[Any], Any]) -> None:
    assert grad(f)(2.0) == 0.0
    assert value_and_grad(f)(2.0)[1] == 0.0


def test_a_constant_from_numpy_code_has_gradient_zero() -> None:
    def relu_sum(v: Any) -> Any:
        return np.sum(np.maximum(v, 0))

    value, g = value_and_grad(relu_sum)(np.array([-1.0, -2.0]))
    assert value == 0.0 and g.tolist() == [0.0, 0.0]
    assert grad(relu_sum)(np.array([-1.0, 2.0])).tolist() == [0.0, 1.0]


def test_an_output_that_ignores_one_input_has_zero_there() -> None:
    assert grad(lambda v: v[0] * 2.0)([1.0, 5.0]).tolist() == [2.0, 0.0]


def test_grad_follows_the_engine_on_nan_and_infinity() -> None:
    assert math.isnan(grad(lambda x: x * x)(math.nan))
    assert grad(lambda x: x * 3.0)(math.inf) == 3.0
    assert grad(lambda x: x * x)(math.inf) == math.inf


@pytest.mark.parametrize(
    "output", [np.array([1.0, 2.0]), [1.0], np.array([1.0]), (1.0, 2.0), np.zeros((1, 1))]
)
def test_grad_of_a_non_scalar_output_raises_type_error(output: Any) -> None:
    with pytest.raises(TypeError, match=r"one number.*jacobian"):
        grad(lambda x: output)(1.0)


def test_grad_of_a_zero_dimensional_output_is_fine() -> None:
    assert grad(lambda x: np.array(x * x, dtype=object))(3.0) == 6.0


@pytest.mark.parametrize("output", ["1.0", None, True, np.bool_(False), 1j, {"a": 1}])
def test_grad_of_an_output_that_is_not_a_number_raises_type_error(output: Any) -> None:
    with pytest.raises(TypeError, match="must return numbers"):
        grad(lambda x: output)(1.0)


def test_grad_of_a_trace_output_raises_mixed_modes_error() -> None:
    with pytest.raises(MixedModesError, match="reverse mode"):
        grad(lambda x: Trace.variable(1.0))(1.0)
    with pytest.raises(MixedModesError):
        grad(lambda x: x * Trace.variable(1.0))(1.0)
    assert issubclass(MixedModesError, TypeError)


def test_grad_of_a_record_from_another_tape_raises() -> None:
    other = WengertList().variable(2.0)
    with pytest.raises(MixedTapesError, match="another WengertList"):
        grad(lambda x: other * 3.0)(1.0)
    assert issubclass(MixedTapesError, ValueError)


@pytest.mark.parametrize("argnums", [1.0, True, "0", None, (0, "1"), [0.0]])
def test_argnums_of_the_wrong_type_raise_type_error_at_once(argnums: Any) -> None:
    with pytest.raises(TypeError, match="argnums must be an int or a tuple of ints"):
        grad(lambda x: x, argnums=argnums)


def test_argnums_out_of_range_raises_type_error() -> None:
    with pytest.raises(TypeError, match=r"argnums=2 names argument 2.*2 positional"):
        grad(lambda x, y: x * y, argnums=2)(1.0, 2.0)
    with pytest.raises(TypeError, match="argnums=-3"):
        grad(lambda x, y: x * y, argnums=-3)(1.0, 2.0)
    with pytest.raises(TypeError, match="0 positional"):
        grad(lambda x=1.0: x)()


def test_argnums_naming_an_argument_twice_raise_value_error() -> None:
    with pytest.raises(ValueError, match="twice"):
        grad(lambda x, y: x * y, argnums=(0, 0))
    with pytest.raises(ValueError, match="twice"):
        grad(lambda x, y: x * y, argnums=(0, -2))(1.0, 2.0)
    with pytest.raises(ValueError, match="at least one"):
        grad(lambda x: x, argnums=())


@pytest.mark.parametrize(
    ("argument", "error", "message"),
    [
        ("1.0", TypeError, "must be a number, a list or tuple"),
        (None, TypeError, "must be a number"),
        (True, TypeError, "must be a number"),
        (1j, TypeError, "must be a number"),
        ({1.0, 2.0}, TypeError, "must be a number"),
        ([1.0, "a"], TypeError, "real numbers"),
        ([1j, 2.0], TypeError, "real numbers"),
        (np.array([1 + 1j]), TypeError, "real numbers"),
        (np.array([True]), TypeError, "real numbers"),
        ([[1.0], [2.0, 3.0]], ValueError, "rectangular"),
        ([1.0, None], TypeError, "plain real numbers"),
        ([Trace.variable(1.0)], TypeError, "plain real numbers"),
    ],
)
def test_bad_arguments_raise_clear_errors(
    argument: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        grad(lambda x: x)(argument)


def test_f_must_be_callable() -> None:
    for make in (grad, value_and_grad, jacobian):
        with pytest.raises(TypeError, match="needs a function"):
            make(3.0)  # type: ignore[operator]
    with pytest.raises(TypeError, match="needs a function"):
        vjp(3.0, 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="needs a function"):
        jvp(3.0, (1.0,), (1.0,))  # type: ignore[arg-type]


# ---------------------------------------------------------------- jacobian


def polar(v: Any) -> Any:
    """R² -> R³: (r cos a, r sin a, r² a)."""
    r, a = v[0], v[1]
    return [r * wengert.cos(a), r * wengert.sin(a), r * r * a]


def polar_jacobian(r: float, a: float) -> FloatArray:
    return np.array(
        [
            [math.cos(a), -r * math.sin(a)],
            [math.sin(a), r * math.cos(a)],
            [2 * r * a, r * r],
        ]
    )


def polar_floats(v: FloatArray) -> FloatArray:
    return np.array(polar(v), dtype=np.float64)


@pytest.mark.parametrize("mode", ["forward", "reverse", "auto"])
def test_jacobian_of_polar(mode: str) -> None:
    x = np.array([1.5, 0.75])
    j = jacobian(polar, mode=mode)(x)
    assert j.dtype == np.float64 and j.shape == (3, 2)
    assert close(j, polar_jacobian(1.5, 0.75))
    assert close(j, numeric_gradient(polar_floats, x).T, rel=1e-7)


def wide(v: Any) -> Any:
    """R³ -> R²."""
    return (v[0] * v[1] * v[2], np.sum(np.exp(v)))


def test_the_three_modes_agree() -> None:
    for f, x in [(polar, [1.5, 0.75]), (wide, [0.5, -1.0, 2.0])]:
        matrices = [jacobian(f, mode=mode)(x) for mode in ("forward", "reverse", "auto")]
        assert close(matrices[0], matrices[1], rel=1e-15)
        assert close(matrices[1], matrices[2], rel=1e-15)
    x = np.array([0.5, -1.0, 2.0])
    exact = np.array([[x[1] * x[2], x[0] * x[2], x[0] * x[1]], np.exp(x)])
    assert close(jacobian(wide)(x), exact)


def test_jacobian_shapes_are_always_two_dimensional() -> None:
    for mode in ("forward", "reverse", "auto"):
        assert jacobian(lambda x: x * x, mode=mode)(3.0).tolist() == [[6.0]]
        column = jacobian(lambda x: [x, x * x, 2.0 * x], mode=mode)(3.0)
        assert column.tolist() == [[1.0], [6.0], [2.0]]
        row = jacobian(lambda v: v[0] * v[1], mode=mode)([3.0, 5.0])
        assert row.tolist() == [[5.0, 3.0]]
        assert jacobian(lambda v: np.sum(v), mode=mode)(np.zeros(0)).shape == (1, 0)
        assert jacobian(lambda v: [1.0, 2.0], mode=mode)([]).shape == (2, 0)


def kinds_received(log: list[Any]) -> set[type]:
    kinds: set[type] = set()
    for v in log:
        kinds.update(type(item) for item in v)
    return kinds


def test_auto_uses_forward_mode_for_fewer_inputs_than_outputs() -> None:
    log: list[Any] = []

    def tall(v: Any) -> Any:  # R¹ -> R³
        log.append(v)
        return [v[0], v[0] * v[0], 3.0 * v[0]]

    j = jacobian(tall)
    assert j([2.0]).tolist() == [[1.0], [4.0], [3.0]]
    # the first call records once to count the outputs, then computes in forward mode
    assert type(log[0][0]) is Record and Record not in kinds_received(log[1:]) and log[1:]
    log.clear()
    assert j([5.0]).tolist() == [[1.0], [10.0], [3.0]]
    assert log and Record not in kinds_received(log)  # once the shapes are known: forward only


def test_auto_uses_reverse_mode_for_at_least_as_many_inputs_as_outputs() -> None:
    log: list[Any] = []

    def square(v: Any) -> Any:  # R² -> R²
        log.append(v)
        return [v[0] * v[1], v[0] + v[1]]

    j = jacobian(square)
    for x in ([1.0, 2.0], [3.0, 4.0]):
        log.clear()
        assert j(x).tolist() == [[x[1], x[0]], [1.0, 1.0]]
        assert len(log) == 1 and kinds_received(log) == {Record}


def test_reverse_mode_records_once() -> None:
    log: list[Any] = []

    def f(v: Any) -> Any:
        log.append(v)
        return polar(v)

    jacobian(f, mode="reverse")([1.0, 2.0])
    assert len(log) == 1


def test_jacobian_gives_the_argument_in_its_own_form() -> None:
    for mode in ("forward", "reverse"):
        log: list[Any] = []

        def f(v: Any) -> Any:
            log.append(v)  # noqa: B023
            return [v[0] * v[1], v[1]]

        for x, kind in (
            ([1.0, 2.0], list),
            ((1.0, 2.0), tuple),
            (np.array([1.0, 2.0]), np.ndarray),
        ):
            log.clear()
            assert jacobian(f, mode=mode)(x).tolist() == [[2.0, 1.0], [0.0, 1.0]]
            assert all(type(v) is kind for v in log)


def test_jacobian_of_constant_outputs_gives_zero_rows() -> None:
    for mode, constant in (("forward", 3), ("reverse", Record.constant(3.0)), ("auto", 3.0)):
        j = jacobian(lambda v, c=constant: [v[0] * 2.0, 1.0, c], mode=mode)
        assert j([1.0, 2.0]).tolist() == [[2.0, 0.0], [0.0, 0.0], [0.0, 0.0]]


def test_jacobian_misuse() -> None:
    with pytest.raises(ValueError, match="'forward', 'reverse' or 'auto'"):
        jacobian(polar, mode="backward")
    with pytest.raises(ValueError, match="1-D"):
        jacobian(polar)(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="1-D"):
        jacobian(lambda v: [[v[0], v[1]], [v[1], v[0]]])([1.0, 2.0])
    with pytest.raises(TypeError, match="must return numbers"):
        jacobian(lambda v: "text")([1.0])
    with pytest.raises(MixedModesError, match="forward mode"):
        jacobian(lambda v: [Record.constant(1.0) + WengertList().variable(1.0)], mode="forward")(
            [1.0]
        )
    with pytest.raises(MixedModesError, match="reverse mode"):
        jacobian(lambda v: [Trace.variable(1.0)], mode="reverse")([1.0])


# ---------------------------------------------------------------- jvp


def test_jvp_is_one_forward_pass() -> None:
    log: list[Any] = []

    def f(v: Any) -> Any:
        log.append(v)
        return polar(v)

    x, t = [1.5, 0.75], [0.25, -2.0]
    outputs, tangents = jvp(f, (x,), (t,))
    assert len(log) == 1 and kinds_received(log) == {Trace}
    assert close(outputs, polar_floats(np.array(x)), rel=0)
    assert close(tangents, polar_jacobian(*x) @ np.array(t))
    assert outputs.dtype == tangents.dtype == np.float64


def test_jvp_of_several_arguments() -> None:
    def f(x: Any, v: Any) -> Any:
        return x * np.sum(v**2)

    value, tangent = jvp(f, (2.0, np.array([1.0, 3.0])), (0.5, np.array([1.0, -1.0])))
    assert type(value) is float and type(tangent) is float
    assert value == 20.0
    assert tangent == 0.5 * 10.0 + 2.0 * (2 * 1.0 * 1.0 + 2 * 3.0 * -1.0)


def test_jvp_agrees_with_finite_differences() -> None:
    x, t = np.array([0.5, -1.0, 2.0]), np.array([1.0, 2.0, -0.5])
    _, tangents = jvp(wide, (x,), (t,))

    def along(s: float) -> FloatArray:
        return np.array(wide(x + s * t), dtype=np.float64)

    assert close(tangents, numeric_gradient(along, np.array(0.0)), rel=1e-7)


def test_jvp_misuse() -> None:
    with pytest.raises(TypeError, match=r"primals must be a tuple.*\(x,\)"):
        jvp(lambda x: x, 1.0, (1.0,))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="tangents must be a tuple"):
        jvp(lambda x: x, (1.0,), 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="2 primals but 1 tangents"):
        jvp(lambda x, y: x, (1.0, 2.0), (1.0,))
    with pytest.raises(ValueError, match=r"tangents\[0\] has shape \(3,\).*\(2,\)"):
        jvp(polar, ([1.0, 2.0],), ([1.0, 2.0, 3.0],))
    with pytest.raises(ValueError, match=r"shape \(1,\)"):
        jvp(lambda x: x, (1.0,), ([1.0],))
    with pytest.raises(MixedModesError, match="forward mode"):
        jvp(lambda x: WengertList().variable(1.0), (1.0,), (1.0,))
    with pytest.raises(TypeError, match="real numbers"):
        jvp(lambda x: x, (1.0,), (["a"],))


# ---------------------------------------------------------------- vjp


def test_vjp_records_once_and_pulls_back_any_cotangent() -> None:
    log: list[Any] = []

    def f(v: Any) -> Any:
        log.append(v)
        return polar(v)

    x = np.array([1.5, 0.75])
    outputs, vjp_fn = vjp(f, x)
    assert close(outputs, polar_floats(x), rel=0)
    exact = polar_jacobian(1.5, 0.75)
    for cotangent in ([1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.5, -2.0, 3.0]):
        (pulled,) = vjp_fn(cotangent)
        assert pulled.shape == (2,) and pulled.dtype == np.float64
        assert close(pulled, np.array(cotangent) @ exact)
    assert len(log) == 1


def test_vjp_of_several_primals_gives_one_gradient_each() -> None:
    def f(x: Any, v: Any) -> Any:
        return [x * v[0], x + v[1]]

    outputs, vjp_fn = vjp(f, 2.0, [3.0, 5.0])
    assert outputs.tolist() == [6.0, 7.0]
    gx, gv = vjp_fn(np.array([1.0, 10.0]))
    assert gx == 3.0 + 10.0 and type(gx) is float
    assert gv.tolist() == [2.0, 10.0]


def test_vjp_of_a_scalar_output_matches_grad() -> None:
    x = np.array([0.5, -1.25, 2.0])
    value, vjp_fn = vjp(sum_sin_times, x)
    assert type(value) is float and value == sum_sin_times(x)
    (g,) = vjp_fn(1.0)
    assert close(g, grad(sum_sin_times)(x), rel=0)
    (g2,) = vjp_fn(2.0)
    assert close(g2, 2 * g, rel=1e-15)


def test_vjp_with_constant_outputs_and_zero_weights() -> None:
    outputs, vjp_fn = vjp(lambda x: [1.0, x * 3.0], 2.0)
    assert outputs.tolist() == [1.0, 6.0]
    assert vjp_fn([5.0, 1.0]) == (3.0,)
    assert vjp_fn([5.0, 0.0]) == (0.0,)
    _, constant_fn = vjp(lambda x: 4.0, 2.0)
    assert constant_fn(1.0) == (0.0,)


def test_vjp_misuse() -> None:
    _, vjp_fn = vjp(polar, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"shape \(2,\).*shape \(3,\)"):
        vjp_fn([1.0, 2.0])
    with pytest.raises(TypeError, match="real numbers"):
        vjp_fn(["a", "b", "c"])
    with pytest.raises(MixedModesError, match="reverse mode"):
        vjp(lambda x: Trace.variable(1.0), 1.0)
    with pytest.raises(TypeError, match="must return numbers"):
        vjp(lambda x: [x, "y"], 1.0)


def test_jvp_and_vjp_keep_array_shapes() -> None:
    m = np.array([[1.0, 2.0], [3.0, 4.0]])

    def f(a: Any) -> Any:
        return a * a * 0.5 + m  # 2-D in, 2-D out

    x, t = np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([[1.0, 0.0], [2.0, -1.0]])
    outputs, tangents = jvp(f, (x,), (t,))
    assert outputs.shape == tangents.shape == (2, 2)
    assert outputs.tolist() == (x * x * 0.5 + m).tolist()
    assert tangents.tolist() == (x * t).tolist()
    outputs, vjp_fn = vjp(f, x)
    assert outputs.tolist() == (x * x * 0.5 + m).tolist()
    (pulled,) = vjp_fn(t)
    assert pulled.shape == (2, 2) and pulled.tolist() == (x * t).tolist()
    with pytest.raises(ValueError, match=r"shape \(4,\)"):
        vjp_fn(t.ravel())


# ---------------------------------------------------------------- derivative


def test_derivative_of_a_polynomial() -> None:
    assert wengert.derivative(lambda t: t * t * t, 2.0) == 12.0
    assert wengert.derivative(lambda t: t * t, 3.0) == 6.0
    assert wengert.derivative(lambda t: 5 * t**3 - 4 * t**2 + 10 * t - 2, 1.0) == 17.0


def test_derivative_accepts_an_int_point() -> None:
    result = wengert.derivative(lambda t: t * t, 3)
    assert type(result) is float
    assert result == 6.0


def test_derivative_of_helpers() -> None:
    assert wengert.derivative(wengert.sin, 0.0) == 1.0
    assert wengert.derivative(wengert.exp, 0.0) == 1.0
    assert wengert.derivative(wengert.ln, 4.0) == 0.25
    x = 0.7
    assert approx(
        wengert.derivative(lambda t: wengert.sin(t) * wengert.exp(t), x),
        math.cos(x) * math.exp(x) + math.sin(x) * math.exp(x),
        rel=1e-15,
    )


def test_derivative_matches_the_exact_formula() -> None:
    def f(t: Trace) -> Trace:
        return wengert.sqrt(t * t + 1.0) / (t + 2.0)

    for x in (-1.0, 0.0, 0.5, 3.0):
        s = math.sqrt(x * x + 1.0)
        exact = x / (s * (x + 2.0)) - s / (x + 2.0) ** 2
        assert math.isclose(wengert.derivative(f, x), exact, rel_tol=1e-13, abs_tol=1e-15)


def test_derivative_of_a_constant_function_is_zero() -> None:
    assert wengert.derivative(lambda t: t * 0.0 + 5.0, 3.0) == 0.0
    assert wengert.derivative(lambda t: Trace.constant(5.0), 3.0) == 0.0


def test_derivative_raises_when_f_returns_a_plain_number() -> None:
    with pytest.raises(TypeError) as excinfo:
        wengert.derivative(lambda t: t.number * 2.0, 3.0)
    assert "Trace" in str(excinfo.value)
    with pytest.raises(TypeError):
        wengert.derivative(lambda t: WengertList().variable(t.number), 3.0)


def test_derivative_propagates_errors_from_f() -> None:
    with pytest.raises(ValueError):
        wengert.derivative(wengert.ln, -1.0)
    with pytest.raises(ZeroDivisionError):
        wengert.derivative(lambda t: 1.0 / t, 0.0)
