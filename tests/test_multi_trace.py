"""MultiTrace: forward mode with many tangents.

The central promise: tangent ``i`` of a MultiTrace result is, bit for bit, the derivative
a Trace pass gives with tangent ``i`` of the inputs as its seeds. Every operator and
every method of Trace is checked that way (the math methods are found from Trace itself,
so a method added to both classes is covered here without a new test), then against
exact formulas and finite differences.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence

import numpy as np
import pytest
from conftest import approx, central_difference, same_float, step_for
from hypothesis import given
from hypothesis import strategies as st

import wengert
from wengert import (
    ImplicitConversionError,
    MixedModesError,
    MultiTrace,
    Record,
    Trace,
    WengertList,
)

# --- the methods of Trace, found from the class --------------------------------------------------

NOT_MATH = {"constant", "variable", "variables", "number", "derivative", "k", "unary", "binary"}


def methods_taking(signature: str) -> list[str]:
    """Trace's public methods whose text signature is ``signature``."""
    return sorted(
        name
        for name in dir(Trace)
        if not name.startswith("_")
        and name not in NOT_MATH
        and getattr(getattr(Trace, name), "__text_signature__", None) == signature
    )


UNARY_METHODS = methods_taking("($self)")
# Methods of one more operand (pow, and any other such as atan2); named by their parameter.
BINARY_METHODS = [
    name
    for name in dir(Trace)
    if not name.startswith("_")
    and name not in NOT_MATH
    and name not in UNARY_METHODS
    and callable(getattr(Trace, name))
]

UnaryOp = Callable[[object], object]
BinaryOp = Callable[[object, object], object]


def unary_operations() -> dict[str, UnaryOp]:
    operations: dict[str, UnaryOp] = {
        "neg": operator.neg,
        "pos": operator.pos,
        "abs": abs,
    }
    for name in UNARY_METHODS:
        operations[name] = operator.methodcaller(name)
    return operations


def binary_operations() -> dict[str, BinaryOp]:
    operations: dict[str, BinaryOp] = {
        "add": operator.add,
        "sub": operator.sub,
        "mul": operator.mul,
        "truediv": operator.truediv,
        "pow": operator.pow,
    }
    for name in BINARY_METHODS:
        operations[f"method {name}"] = lambda x, y, name=name: getattr(x, name)(y)
    return operations


UNARY = unary_operations()
BINARY = binary_operations()

VALUES = [3.0, 0.5, 2.0, 0.0, -0.0, -2.0, -0.5, 1e300, -1e-300, math.inf, -math.inf, math.nan]
PAIRS = [
    (3.0, 2.0),
    (0.0, 2.0),
    (-2.0, 3.0),
    (2.0, 0.0),
    (0.0, 0.0),
    (-8.0, 1.0 / 3.0),
    (1e308, 10.0),
    (2.0, -1.0),
    (0.5, 0.25),
    (-0.0, 3.0),
    (math.inf, 2.0),
]
# Tangents of the two operands, including zeros of both signs and an infinity.
TANGENTS_X = [1.0, 0.0, -0.0, -2.5, math.inf, 0.0]
TANGENTS_Y = [0.0, 1.0, 3.0, -0.0, 0.0, -math.inf]


def outcome(f: Callable[[], object]) -> object:
    """The result of ``f()``, or the type of the exception it raised."""
    try:
        return f()
    except (ValueError, ZeroDivisionError, OverflowError, TypeError) as error:
        return type(error)


def assert_matches_traces(result: object, traces: Sequence[object]) -> None:
    """``result`` is a MultiTrace whose tangent i is traces[i]'s derivative, bit for bit;
    or every one raised the same exception type."""
    if isinstance(result, type):
        assert all(t is result for t in traces), (result, traces)
        return
    assert type(result) is MultiTrace
    assert result.k == len(traces)
    derivative = result.derivative.tolist()
    for i, t in enumerate(traces):
        assert type(t) is Trace, (i, t)
        assert same_float(result.number, t.number), (result.number, t.number)
        assert same_float(derivative[i], t.derivative), (i, derivative[i], t.derivative)


def test_the_math_methods_were_found() -> None:
    for name in ("sin", "cos", "exp", "ln", "sqrt"):
        assert name in UNARY_METHODS
    assert "pow" in BINARY_METHODS


def test_multi_trace_has_every_method_of_trace() -> None:
    assert set(dir(Trace)) - set(dir(MultiTrace)) == {"variable"}


@pytest.mark.parametrize("name", list(UNARY))
@pytest.mark.parametrize("x", VALUES)
def test_unary_matches_trace_tangent_by_tangent(name: str, x: float) -> None:
    op = UNARY[name]
    result = outcome(lambda: op(MultiTrace(x, TANGENTS_X)))
    traces = [outcome(lambda t=t: op(Trace(x, t))) for t in TANGENTS_X]
    assert_matches_traces(result, traces)


@pytest.mark.parametrize("name", list(BINARY))
@pytest.mark.parametrize(("x", "y"), PAIRS)
def test_binary_matches_trace_tangent_by_tangent(name: str, x: float, y: float) -> None:
    op = BINARY[name]
    mx, my = MultiTrace(x, TANGENTS_X), MultiTrace(y, TANGENTS_Y)
    pairs = list(zip(TANGENTS_X, TANGENTS_Y, strict=True))
    # Both operands carry tangents.
    assert_matches_traces(
        outcome(lambda: op(mx, my)),
        [outcome(lambda a=a, b=b: op(Trace(x, a), Trace(y, b))) for a, b in pairs],
    )
    # A float on the right, then on the left (the reflected operator).
    assert_matches_traces(
        outcome(lambda: op(mx, y)), [outcome(lambda a=a: op(Trace(x, a), y)) for a in TANGENTS_X]
    )
    if not name.startswith("method"):
        assert_matches_traces(
            outcome(lambda: op(x, my)),
            [outcome(lambda b=b: op(x, Trace(y, b))) for b in TANGENTS_Y],
        )


@pytest.mark.parametrize("name", list(BINARY))
def test_binary_with_int_operands_matches_trace(name: str) -> None:
    op = BINARY[name]
    m = MultiTrace(3.0, TANGENTS_X)
    assert_matches_traces(outcome(lambda: op(m, 2)), [op(Trace(3.0, a), 2) for a in TANGENTS_X])
    if not name.startswith("method"):
        assert_matches_traces(outcome(lambda: op(2, m)), [op(2, Trace(3.0, a)) for a in TANGENTS_X])


def cube(x: float) -> float:
    return x**3


def cube_derivative(x: float) -> float:
    return 3.0 * x**2


@pytest.mark.parametrize("x", [2.0, 0.0, -1.5])
def test_custom_unary_matches_trace(x: float) -> None:
    result = MultiTrace(x, TANGENTS_X).unary(cube, cube_derivative)
    traces = [Trace(x, t).unary(cube, cube_derivative) for t in TANGENTS_X]
    assert_matches_traces(result, traces)


def f_xy(x: float, y: float) -> float:
    return x * y * y


def f_dx(x: float, y: float) -> float:
    return y * y


def f_dy(x: float, y: float) -> float:
    return 2.0 * x * y


@pytest.mark.parametrize(("x", "y"), [(3.0, 2.0), (0.0, -1.0), (-2.0, 0.0)])
def test_custom_binary_matches_trace(x: float, y: float) -> None:
    mx, my = MultiTrace(x, TANGENTS_X), MultiTrace(y, TANGENTS_Y)
    pairs = list(zip(TANGENTS_X, TANGENTS_Y, strict=True))
    assert_matches_traces(
        mx.binary(my, f_xy, f_dx, f_dy),
        [Trace(x, a).binary(Trace(y, b), f_xy, f_dx, f_dy) for a, b in pairs],
    )
    for other in (y, int(y), np.float32(y), np.int64(int(y))):
        assert_matches_traces(
            mx.binary(other, f_xy, f_dx, f_dy),
            [Trace(x, a).binary(y, f_xy, f_dx, f_dy) for a in TANGENTS_X],
        )


def test_custom_binary_sums_a_constant_term_like_trace() -> None:
    # A Trace pass adds the constant operand's term chain(∂/∂y, 0.0) = 0.0 to the tangent
    # -0.0, giving +0.0: a MultiTrace does the same, not -0.0 as for a constant operand.
    def one(x: float, y: float) -> float:
        return 1.0

    m = MultiTrace(1.0, [-0.0, 2.0]).binary(2.0, f_xy, one, one)
    t = Trace(1.0, -0.0).binary(2.0, f_xy, one, one)
    assert same_float(t.derivative, 0.0)
    assert same_float(float(m.derivative[0]), 0.0)
    assert float(m.derivative[1]) == 2.0


def test_custom_functions_must_return_floats() -> None:
    m = MultiTrace.variables([1.0, 2.0])[0]
    with pytest.raises(TypeError, match="fx must return a float"):
        m.unary(lambda x: "no", cube_derivative)  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match="binary"):
        m.binary("2", f_xy, f_dx, f_dy)  # type: ignore[arg-type]


# --- whole programs ------------------------------------------------------------------------------


def rosenbrock(x: Sequence[object]) -> object:
    s: object = 0.0
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]  # type: ignore[operator]
        b = 1 - x[i]  # type: ignore[operator]
        s = s + 100 * a * a + b * b  # type: ignore[operator]
    return s


def mixed_program(x: Sequence[object]) -> object:
    a, b, c = x
    return wengert.sin(a) * wengert.exp(b / c) + wengert.sqrt(a * a + b * b) - wengert.ln(c) ** 2


POINTS = [[1.2, -0.7, 2.5], [0.3, 0.4, 0.9], [-1.0, 2.0, 3.0]]


@pytest.mark.parametrize("function", [rosenbrock, mixed_program])
@pytest.mark.parametrize("point", POINTS)
def test_one_pass_equals_one_trace_pass_per_input(
    function: Callable[[Sequence[object]], object], point: list[float]
) -> None:
    result = function(MultiTrace.variables(point))
    assert isinstance(result, MultiTrace)
    traces = []
    for i in range(len(point)):
        inputs = [Trace.variable(v) if j == i else Trace.constant(v) for j, v in enumerate(point)]
        traces.append(function(inputs))
    assert_matches_traces(result, traces)


@pytest.mark.parametrize("point", POINTS)
def test_gradient_against_finite_differences(point: list[float]) -> None:
    result = mixed_program(MultiTrace.variables(point))
    assert isinstance(result, MultiTrace)
    for i, x in enumerate(point):

        def along(t: float, i: int = i) -> float:
            moved = list(point)
            moved[i] = t
            value = mixed_program(moved)
            assert isinstance(value, float)
            return value

        estimate = central_difference(along, x, step_for(x))
        assert approx(float(result.derivative[i]), estimate, rel=1e-7, abs_tol=1e-7)


def test_polynomial_gradient_exactly() -> None:
    # f(x, y) = 5x³ - 4x² + 10x - y at (1, 2): value 9, gradient (17, -1).
    x, y = MultiTrace.variables([1.0, 2.0])
    f = 5.0 * x**3 - 4.0 * x**2 + 10.0 * x - y
    assert f.number == 9.0
    assert f.derivative.tolist() == [17.0, -1.0]


def test_cartesian_jacobian_exactly() -> None:
    r, a = MultiTrace.variables([1.0, 2.0])
    x, y = r * wengert.cos(a), r * wengert.sin(a)
    assert x.derivative.tolist() == [math.cos(2.0), -math.sin(2.0)]
    assert y.derivative.tolist() == [math.sin(2.0), math.cos(2.0)]


def test_rosenbrock_gradient_exactly() -> None:
    x = [0.5, -1.0, 2.0, 1.5]
    g = rosenbrock(MultiTrace.variables(x))
    assert isinstance(g, MultiTrace)
    expected = [0.0] * len(x)
    for i in range(len(x) - 1):
        a = x[i + 1] - x[i] * x[i]
        expected[i] += -400.0 * a * x[i] - 2.0 * (1.0 - x[i])
        expected[i + 1] += 200.0 * a
    assert g.derivative.tolist() == pytest.approx(expected, rel=1e-15, abs=0.0)


@given(
    st.lists(st.floats(-3.0, 3.0), min_size=1, max_size=6),
    st.sampled_from(sorted(BINARY)),
    st.sampled_from(sorted(UNARY)),
)
def test_random_programs_match_trace(xs: list[float], binary: str, unary: str) -> None:
    """f(x) = u(x0 ⊕ x1 ⊕ ... ⊕ x_{k-1}) for a random binary operation ⊕ and unary u."""

    def program(inputs: Sequence[object]) -> object:
        total = inputs[0]
        for v in inputs[1:]:
            total = BINARY[binary](total, v)
        return UNARY[unary](total)

    result = outcome(lambda: program(MultiTrace.variables(xs)))
    traces = []
    for i in range(len(xs)):
        inputs = [Trace.variable(v) if j == i else Trace.constant(v) for j, v in enumerate(xs)]
        traces.append(outcome(lambda inputs=inputs: program(inputs)))
    assert_matches_traces(result, traces)


@given(
    st.floats(allow_nan=False),
    st.lists(st.floats(allow_nan=False), min_size=0, max_size=5),
    st.floats(allow_nan=False),
)
def test_random_tangents_scale_like_trace(x: float, tangents: list[float], c: float) -> None:
    m = MultiTrace(x, tangents)
    for op in (operator.mul, operator.add, operator.truediv):
        assert_matches_traces(
            outcome(lambda op=op: op(m, c)),
            [outcome(lambda t=t, op=op: op(Trace(x, t), c)) for t in tangents],
        )


# --- construction, properties, formatting --------------------------------------------------------


def test_variables_are_one_hot() -> None:
    xs = MultiTrace.variables([1.0, 2.0, 3.0])
    assert [x.number for x in xs] == [1.0, 2.0, 3.0]
    assert [x.k for x in xs] == [3, 3, 3]
    assert np.array_equal(np.array([x.derivative for x in xs]), np.eye(3))


@pytest.mark.parametrize(
    "numbers",
    [
        (1.0, 2.0),
        [1, 2],
        np.array([1.0, 2.0]),
        np.array([1.0, 5.0, 2.0])[::2],
        np.array([1, 2], dtype=np.int32),
        np.array([1.0, 2.0], dtype=np.float32),
        np.array([1.0, 2.0], dtype=np.dtype(np.float64).newbyteorder()),
        (v for v in [1.0, 2.0]),
    ],
)
def test_variables_and_constructor_take_any_iterable_of_numbers(numbers: object) -> None:
    if isinstance(numbers, np.ndarray):
        again: object = numbers
    elif isinstance(numbers, (list, tuple)):
        again = numbers
    else:
        numbers = list(numbers)  # type: ignore[call-overload]
        again = numbers
    xs = MultiTrace.variables(numbers)  # type: ignore[arg-type]
    assert [x.number for x in xs] == [1.0, 2.0]
    m = MultiTrace(0.0, again)  # type: ignore[arg-type]
    assert m.derivative.tolist() == [1.0, 2.0]
    assert m.k == 2


def test_constructor_and_variables_refuse_what_is_not_a_sequence_of_numbers() -> None:
    for bad in ("12", b"12", bytearray(b"12"), 3.0, None):
        with pytest.raises(TypeError, match="iterable of numbers"):
            MultiTrace(1.0, bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match="iterable of numbers"):
            MultiTrace.variables(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        MultiTrace(1.0, [1.0, "x"])  # type: ignore[list-item]
    with pytest.raises(ImplicitConversionError):
        MultiTrace(1.0, [Trace.variable(1.0)])
    with pytest.raises(TypeError):
        MultiTrace(1.0)  # type: ignore[call-arg]


def test_arrays_must_be_one_dimensional() -> None:
    for array in (np.zeros((2, 3)), np.float64(1.0), np.zeros(())):
        with pytest.raises(TypeError, match="one-dimensional"):
            MultiTrace(1.0, array)
        with pytest.raises(TypeError, match="one-dimensional"):
            MultiTrace.variables(array)


def test_derivative_is_a_new_float64_array_each_time() -> None:
    m = MultiTrace(2.0, [1.0, -0.0, math.inf])
    d = m.derivative
    assert type(d) is np.ndarray
    assert d.dtype == np.float64
    assert d.shape == (3,)
    d[0] = 99.0
    assert m.derivative[0] == 1.0
    assert m.derivative is not m.derivative
    assert same_float(float(m.derivative[1]), -0.0)


def test_constant_has_zero_tangents() -> None:
    c = MultiTrace.constant(4.0, 3)
    assert (c.number, c.k, c.derivative.tolist()) == (4.0, 3, [0.0, 0.0, 0.0])
    x, _, z = MultiTrace.variables([1.0, 2.0, 3.0])
    assert (c * x + z).derivative.tolist() == [4.0, 0.0, 1.0]


def test_no_tangents() -> None:
    assert MultiTrace.variables([]) == []
    c = MultiTrace.constant(2.0, 0)
    assert c.k == 0
    assert c.derivative.shape == (0,)
    product = c * c + 1.0
    assert (product.number, product.k) == (5.0, 0)
    assert repr(product) == "MultiTrace(number=5.0, derivative=[])"


def test_negative_and_huge_k() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        MultiTrace.constant(1.0, -1)
    with pytest.raises(MemoryError):
        MultiTrace.constant(1.0, 2**60)
    with pytest.raises(OverflowError):
        MultiTrace.constant(1.0, 2**70)


def test_variables_beyond_memory_raise_memory_error_before_allocating() -> None:
    # A million inputs would hold 10¹² tangents (8 TB): refused before the first allocation.
    with pytest.raises(MemoryError, match="reverse mode"):
        MultiTrace.variables(np.zeros(1_000_000))
    xs = MultiTrace.variables(np.zeros(300))
    assert len(xs) == 300 and xs[299].derivative[299] == 1.0


def test_repr_str_format_hash_bool() -> None:
    m = MultiTrace(2.5, [1.0, -0.0, math.inf, math.nan])
    assert repr(m) == "MultiTrace(number=2.5, derivative=[1.0, -0.0, inf, nan])"
    assert str(m) == "2.5"
    assert format(m, ".3f") == "2.500"
    assert hash(m) == hash(2.5)
    assert bool(m) and not bool(MultiTrace.constant(0.0, 2))
    with pytest.raises(ImplicitConversionError):
        float(m)
    with pytest.raises(ImplicitConversionError):
        int(m)
    with pytest.raises(ImplicitConversionError):
        math.sin(m)  # type: ignore[arg-type]


def test_immutable() -> None:
    m = MultiTrace(1.0, [1.0])
    with pytest.raises(AttributeError):
        m.number = 2.0  # type: ignore[misc]
    with pytest.raises(AttributeError):
        m.k = 2  # type: ignore[misc]
    assert +m is m


def test_comparisons() -> None:
    x, y = MultiTrace.variables([1.0, 2.0])
    assert x < y and x <= y and y > x and y >= x and x != y
    assert x == 1.0 and x == 1 and x < np.float32(1.5) and np.int64(2) > x
    assert x == MultiTrace.constant(1.0, 5)  # values compare, whatever k
    assert x != Trace.variable(1.0)
    assert not (x == Trace.variable(1.0))
    with pytest.raises(TypeError):
        _ = x < Trace.variable(2.0)  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = Record.constant(2.0) > x  # type: ignore[operator]


# --- mixing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["add", "sub", "mul", "truediv", "pow"])
def test_mixing_with_trace_or_record_raises_mixed_modes(name: str) -> None:
    op = BINARY[name]
    m = MultiTrace.variables([1.0, 2.0])[0]
    tape = WengertList()
    for other in (
        Trace.variable(2.0),
        Trace.constant(2.0),
        tape.variable(2.0),
        Record.constant(2.0),
    ):
        with pytest.raises(MixedModesError, match="MultiTrace"):
            op(m, other)
        with pytest.raises(MixedModesError, match="MultiTrace"):
            op(other, m)
    assert len(tape) == 1


def test_mixing_in_methods_raises_mixed_modes() -> None:
    m = MultiTrace.variables([1.0, 2.0])[0]
    t, r = Trace.variable(2.0), Record.constant(2.0)
    for other in (t, r):
        with pytest.raises(MixedModesError):
            m.pow(other)  # type: ignore[arg-type]
        with pytest.raises(MixedModesError):
            m.binary(other, f_xy, f_dx, f_dy)  # type: ignore[arg-type]
        with pytest.raises(MixedModesError):
            other.pow(m)  # type: ignore[arg-type]
        with pytest.raises(MixedModesError):
            other.binary(m, f_xy, f_dx, f_dy)  # type: ignore[arg-type]
    assert issubclass(MixedModesError, TypeError)


def test_different_k_raises_value_error() -> None:
    a = MultiTrace.constant(1.0, 2)
    b = MultiTrace.constant(1.0, 3)
    for op in (operator.add, operator.sub, operator.mul, operator.truediv, operator.pow):
        with pytest.raises(ValueError, match=r"different numbers of tangents \(2 and 3\)"):
            op(a, b)
        with pytest.raises(ValueError, match=r"\(3 and 2\)"):
            op(b, a)
    with pytest.raises(ValueError, match="tangents"):
        a.pow(b)
    called = []

    def spy(x: float, y: float) -> float:
        called.append((x, y))
        return 0.0

    with pytest.raises(ValueError, match="tangents"):
        a.binary(b, spy, spy, spy)
    assert called == []  # the user's functions do not run for operands that cannot combine


def test_math_errors_are_the_float_ones() -> None:
    x, y = MultiTrace.variables([0.0, -1.0])
    with pytest.raises(ZeroDivisionError):
        _ = y / x
    with pytest.raises(ValueError):
        x.ln()
    with pytest.raises(ValueError):
        y.sqrt()
    with pytest.raises(ValueError):
        _ = y**0.5
    with pytest.raises(OverflowError):
        (x + 1000.0).exp()
    with pytest.raises(TypeError, match="modulus"):
        pow(x, 2, 3)


# --- the generic helpers and numpy ---------------------------------------------------------------


def test_generic_helpers_take_multi_traces() -> None:
    x, y = MultiTrace.variables([0.5, 2.0])
    cases: list[tuple[object, Callable[[Trace], Trace]]] = [
        (wengert.sin(x), wengert.sin),
        (wengert.cos(x), wengert.cos),
        (wengert.exp(x), wengert.exp),
        (wengert.ln(x), wengert.ln),
        (wengert.sqrt(x), wengert.sqrt),
        (wengert.abs(-x), lambda t: wengert.abs(-t)),
        (wengert.pow(x, 3.0), lambda t: wengert.pow(t, 3.0)),
        (wengert.pow(2.0, x), lambda t: wengert.pow(2.0, t)),
    ]
    for result, on_trace in cases:
        assert_matches_traces(
            result, [on_trace(Trace.variable(0.5)), on_trace(Trace.constant(0.5))]
        )
    power = wengert.pow(x, y)
    assert type(power) is MultiTrace
    assert power.derivative.tolist() == [2.0 * 0.5, 0.25 * math.log(0.5)]


def test_numpy_object_arrays_of_multi_traces() -> None:
    xs = MultiTrace.variables([0.5, 1.0, 2.0])
    array = np.array(xs)
    assert array.dtype == object and array.shape == (3,)
    weights = np.array([1.0, 2.0, 3.0])
    total = (array * weights).sum()
    assert type(total) is MultiTrace
    assert total.derivative.tolist() == [1.0, 2.0, 3.0]
    sines = np.sin(array)
    assert all(type(s) is MultiTrace for s in sines)
    assert [s.derivative[i] for i, s in enumerate(sines)] == [math.cos(v) for v in (0.5, 1.0, 2.0)]
    dot = weights @ array
    assert type(dot) is MultiTrace
    assert dot.number == 0.5 + 2.0 + 6.0
    jacobian = np.array([s.derivative for s in np.exp(array)])
    assert np.array_equal(jacobian, np.diag(np.exp([0.5, 1.0, 2.0])))


@pytest.mark.parametrize("name", ["atan2", "hypot", "log"])
def test_two_argument_helpers_with_a_plain_number_first(name: str) -> None:
    """wengert.atan2(2.0, m) and friends: the plain number becomes a constant with m's k."""
    helper = getattr(wengert, name)
    xs = [1.5, 2.5, 0.75]
    ms = MultiTrace.variables(xs)
    result = helper(2.0, ms[1] * ms[2])
    assert isinstance(result, MultiTrace) and result.k == 3
    for j in range(3):
        ts = [Trace(x, 1.0 if i == j else 0.0) for i, x in enumerate(xs)]
        expected = helper(2.0, ts[1] * ts[2])
        assert result.number == expected.number
        assert result.derivative[j] == expected.derivative


def test_a_constant_with_more_tangents_than_memory_is_refused_up_front() -> None:
    with pytest.raises(MemoryError, match="more than this machine's memory"):
        MultiTrace.constant(1.0, 2**40)
    assert MultiTrace.constant(1.0, 3).k == 3
