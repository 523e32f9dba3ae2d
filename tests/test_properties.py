"""Property tests: derivatives of compound expressions at random points.

Each expression is written once, generically (it runs on floats, Traces and Records),
with its derivative worked out by hand. At points drawn by hypothesis (bounded, and
away from the edges of each function's domain) the tests check that

- forward and reverse mode match the exact formula (relative 1e-10),
- forward mode matches a central finite difference of the float function (relative 1e-6),
- forward and reverse mode agree with each other (relative 1e-12),
- the value is bit for bit the value of the same expression on floats.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import pytest
from conftest import approx, central_difference, same_float, step_for
from hypothesis import given
from hypothesis import strategies as st

from wengert import Record, Trace, WengertList, cos, exp, ln, pow, sin, sqrt

EXACT_REL = 1e-10
EXACT_ABS = 1e-12
FD_REL = 1e-6
MODES_REL = 1e-12

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False, allow_infinity=False)


def fd_close(derivative: float, fd: float, value: float) -> bool:
    """Derivative against a central difference, allowing the difference's rounding error."""
    return approx(derivative, fd, rel=FD_REL, abs_tol=FD_REL * max(1.0, abs(value)))


# --- Functions of one variable -------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    f: Callable[[Any], Any]
    df: Callable[[float], float]
    low: float
    high: float

    def at(self, u: float) -> float:
        """The point a fraction ``u`` of the way across the domain."""
        return self.low + u * (self.high - self.low)


CASES = [
    Case(
        "polynomial",
        lambda x: 5 * x**3 - 4 * x**2 + 10 * x - 7,
        lambda x: 15 * x**2 - 8 * x + 10,
        -10.0,
        10.0,
    ),
    Case(
        "polynomial by products",
        lambda x: x * x * x - 2.0 * x * x + 0.5,
        lambda x: 3 * x * x - 4 * x,
        -10.0,
        10.0,
    ),
    Case("sin cos", lambda x: sin(x) * cos(x), lambda x: math.cos(2 * x), -10.0, 10.0),
    Case(
        "exp of sin",
        lambda x: exp(sin(x)),
        lambda x: math.exp(math.sin(x)) * math.cos(x),
        -10.0,
        10.0,
    ),
    Case("ln of square", lambda x: ln(x * x + 1.0), lambda x: 2 * x / (x * x + 1), -10.0, 10.0),
    Case(
        "sqrt times ln",
        lambda x: sqrt(x) * ln(x),
        lambda x: math.log(x) / (2 * math.sqrt(x)) + math.sqrt(x) / x,
        0.5,
        50.0,
    ),
    Case(
        "quotient",
        lambda x: (x * x + 1.0) / (x * x + 2.0),
        lambda x: 2 * x / (x * x + 2) ** 2,
        -10.0,
        10.0,
    ),
    Case(
        "quotient with a pole outside",
        lambda x: (3.0 * x - 1.0) / (x + 4.0),
        lambda x: 13 / (x + 4) ** 2,
        -3.0,
        10.0,
    ),
    Case("reciprocal", lambda x: 1.0 / x, lambda x: -1 / (x * x), 0.5, 10.0),
    Case("power 2.5", lambda x: x**2.5, lambda x: 2.5 * x**1.5, 0.5, 10.0),
    Case(
        "pow helper",
        lambda x: pow(x, 1.5) + pow(2.0, x),
        lambda x: 1.5 * math.sqrt(x) + 2**x * math.log(2),
        0.5,
        10.0,
    ),
    Case("power of 2", lambda x: 2.0**x, lambda x: 2.0**x * math.log(2.0), -10.0, 10.0),
    Case("x to the x", lambda x: x**x, lambda x: x**x * (math.log(x) + 1), 0.5, 5.0),
    Case(
        "hypotenuse",
        lambda x: sqrt(x * x + 1.0),
        lambda x: x / math.sqrt(x * x + 1),
        -10.0,
        10.0,
    ),
    Case(
        "gaussian",
        lambda x: exp(-x * x / 2.0),
        lambda x: -x * math.exp(-x * x / 2),
        -5.0,
        5.0,
    ),
    Case(
        "cos of exp",
        lambda x: cos(exp(x / 4.0)),
        lambda x: -math.sin(math.exp(x / 4)) * math.exp(x / 4) / 4,
        -5.0,
        5.0,
    ),
    Case(
        "abs of sin",
        lambda x: abs(sin(x)) + abs(x - 20.0),
        lambda x: math.cos(x) * math.copysign(1.0, math.sin(x)) - 1.0,
        -3.0,
        -0.1,
    ),
    Case(
        "negative denominator",
        lambda x: (x * x + 1.0) / (x - 20.0),
        lambda x: (x * x - 40.0 * x - 1.0) / (x - 20.0) ** 2,
        -10.0,
        10.0,
    ),
    Case(
        "nested quotient",
        lambda x: sin(x) / (2.0 + cos(x)),
        lambda x: (2 * math.cos(x) + 1) / (2 + math.cos(x)) ** 2,
        -10.0,
        10.0,
    ),
]

CASE_PARAMS = [pytest.param(case, id=case.name) for case in CASES]


def forward(case: Case, x: float) -> Trace:
    result = case.f(Trace.variable(x))
    assert type(result) is Trace
    return result


def reverse(case: Case, x: float) -> tuple[Record, float]:
    tape = WengertList()
    variable = tape.variable(x)
    result = case.f(variable)
    assert type(result) is Record
    return result, result.derivatives()[variable]


@pytest.mark.parametrize("case", CASE_PARAMS)
@given(u=unit)
def test_forward_matches_exact_formula(case: Case, u: float) -> None:
    x = case.at(u)
    assert approx(forward(case, x).derivative, case.df(x), rel=EXACT_REL, abs_tol=EXACT_ABS)


@pytest.mark.parametrize("case", CASE_PARAMS)
@given(u=unit)
def test_reverse_matches_exact_formula(case: Case, u: float) -> None:
    x = case.at(u)
    _, derivative = reverse(case, x)
    assert approx(derivative, case.df(x), rel=EXACT_REL, abs_tol=EXACT_ABS)


@pytest.mark.parametrize("case", CASE_PARAMS)
@given(u=unit)
def test_forward_matches_central_difference(case: Case, u: float) -> None:
    x = case.at(u)
    h = step_for(x)
    fd = central_difference(case.f, x, h)
    assert fd_close(forward(case, x).derivative, fd, case.f(x))


@pytest.mark.parametrize("case", CASE_PARAMS)
@given(u=unit)
def test_forward_and_reverse_agree(case: Case, u: float) -> None:
    x = case.at(u)
    _, derivative = reverse(case, x)
    assert approx(forward(case, x).derivative, derivative, rel=MODES_REL, abs_tol=MODES_REL)


@pytest.mark.parametrize("case", CASE_PARAMS)
@given(u=unit)
def test_values_are_the_float_values(case: Case, u: float) -> None:
    x = case.at(u)
    value = case.f(x)
    assert type(value) is float
    record, _ = reverse(case, x)
    assert same_float(forward(case, x).number, value)
    assert same_float(record.number, value)


# --- Random chains of functions ------------------------------------------------------------------

# name -> (generic function, its derivative on floats); each maps the reals into a range
# where the next one is well behaved, so chains of them stay finite and smooth.
LINKS: dict[str, tuple[Callable[[Any], Any], Callable[[float], float]]] = {
    "sin": (sin, math.cos),
    "cos": (cos, lambda u: -math.sin(u)),
    "squash": (lambda u: u / sqrt(u * u + 1.0), lambda u: (u * u + 1) ** -1.5),
    "log1p square": (lambda u: ln(u * u + 1.0), lambda u: 2 * u / (u * u + 1)),
    "exp cos": (lambda u: exp(cos(u)), lambda u: -math.sin(u) * math.exp(math.cos(u))),
    "power 0.75": (lambda u: (u * u + 1.0) ** 0.75, lambda u: 1.5 * u * (u * u + 1) ** -0.25),
    "rational": (
        lambda u: (u + 2.0) / (u * u + 1.0),
        lambda u: (1 - 4 * u - u * u) / (u * u + 1) ** 2,
    ),
    "affine": (lambda u: 0.5 - 1.5 * u, lambda u: -1.5),
}

chains = st.lists(st.sampled_from(sorted(LINKS)), min_size=1, max_size=5)
points = st.floats(min_value=-5.0, max_value=5.0, allow_nan=False, allow_infinity=False)


def run_chain(chain: list[str], x: Any) -> Any:
    for name in chain:
        x = LINKS[name][0](x)
    return x


def chain_derivative(chain: list[str], x: float) -> float:
    """The chain rule on floats: the product of each link's derivative at its input."""
    product = 1.0
    for name in chain:
        f, df = LINKS[name]
        product *= df(x)
        x = f(x)
    return product


@given(chain=chains, x=points)
def test_chain_derivatives_match_the_chain_rule(chain: list[str], x: float) -> None:
    exact = chain_derivative(chain, x)
    t = run_chain(chain, Trace.variable(x))
    tape = WengertList()
    variable = tape.variable(x)
    r = run_chain(chain, variable)
    reverse_derivative = r.derivatives()[variable]
    assert approx(t.derivative, exact, rel=EXACT_REL, abs_tol=EXACT_ABS)
    assert approx(reverse_derivative, exact, rel=EXACT_REL, abs_tol=EXACT_ABS)
    assert approx(t.derivative, reverse_derivative, rel=MODES_REL, abs_tol=MODES_REL)
    value = run_chain(chain, x)
    assert same_float(t.number, value)
    assert same_float(r.number, value)


@given(chain=chains, x=points)
def test_chain_derivatives_match_central_differences(chain: list[str], x: float) -> None:
    t = run_chain(chain, Trace.variable(x))
    fd = central_difference(lambda v: run_chain(chain, v), x, step_for(x))
    assert fd_close(t.derivative, fd, t.number)


# --- Functions of two variables ------------------------------------------------------------------


@dataclass(frozen=True)
class Case2:
    name: str
    f: Callable[[Any, Any], Any]
    gradient: Callable[[float, float], tuple[float, float]]
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def at(self, u: float, v: float) -> tuple[float, float]:
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        return x0 + u * (x1 - x0), y0 + v * (y1 - y0)


CASES2 = [
    Case2(
        "polynomial 5x^3 - 4x^2 + 10x - y",
        lambda x, y: 5 * x**3 - 4 * x**2 + 10 * x - y,
        lambda x, y: (15 * x * x - 8 * x + 10, -1.0),
        (-10.0, 10.0),
        (-10.0, 10.0),
    ),
    Case2(
        "cartesian x",
        lambda r, a: r * cos(a),
        lambda r, a: (math.cos(a), -r * math.sin(a)),
        (0.0, 10.0),
        (-7.0, 7.0),
    ),
    Case2(
        "power, sine and quotient",
        lambda x, y: x**y + sin(x * y) - y / x,
        lambda x, y: (
            y * x ** (y - 1) + y * math.cos(x * y) + y / (x * x),
            x**y * math.log(x) + x * math.cos(x * y) - 1 / x,
        ),
        (0.5, 5.0),
        (-3.0, 3.0),
    ),
    Case2(
        "distance",
        lambda x, y: sqrt(x * x + y * y),
        lambda x, y: (x / math.hypot(x, y), y / math.hypot(x, y)),
        (0.5, 5.0),
        (-5.0, 5.0),
    ),
    Case2(
        "exp of ratio",
        lambda x, y: exp(x / y),
        lambda x, y: (math.exp(x / y) / y, -x * math.exp(x / y) / (y * y)),
        (-3.0, 3.0),
        (-4.0, -1.0),
    ),
    Case2(
        "log product",
        lambda x, y: ln(x * y) * (x - y),
        lambda x, y: (
            (x - y) / x + math.log(x * y),
            (x - y) / y - math.log(x * y),
        ),
        (0.5, 5.0),
        (0.5, 5.0),
    ),
]

CASE2_PARAMS = [pytest.param(case, id=case.name) for case in CASES2]


@pytest.mark.parametrize("case", CASE2_PARAMS)
@given(u=unit, v=unit)
def test_gradients_of_two_variables(case: Case2, u: float, v: float) -> None:
    x, y = case.at(u, v)
    exact_x, exact_y = case.gradient(x, y)
    # forward: one pass per input
    forward_x = case.f(Trace.variable(x), Trace.constant(y))
    forward_y = case.f(Trace.constant(x), Trace.variable(y))
    # reverse: one sweep for both
    tape = WengertList()
    rx, ry = tape.variables([x, y])
    result = case.f(rx, ry)
    d = result.derivatives()
    for got, exact in ((forward_x.derivative, exact_x), (forward_y.derivative, exact_y)):
        assert approx(got, exact, rel=EXACT_REL, abs_tol=EXACT_ABS)
    for got, exact in ((d[rx], exact_x), (d[ry], exact_y)):
        assert approx(got, exact, rel=EXACT_REL, abs_tol=EXACT_ABS)
    assert approx(forward_x.derivative, d[rx], rel=MODES_REL, abs_tol=MODES_REL)
    assert approx(forward_y.derivative, d[ry], rel=MODES_REL, abs_tol=MODES_REL)
    value = case.f(x, y)
    assert same_float(forward_x.number, value)
    assert same_float(forward_y.number, value)
    assert same_float(result.number, value)


@pytest.mark.parametrize("case", CASE2_PARAMS)
@given(u=unit, v=unit)
def test_gradients_of_two_variables_match_central_differences(
    case: Case2, u: float, v: float
) -> None:
    x, y = case.at(u, v)
    tape = WengertList()
    rx, ry = tape.variables([x, y])
    result = case.f(rx, ry)
    d = result.derivatives()
    fd_x = central_difference(lambda s: case.f(s, y), x, step_for(x))
    fd_y = central_difference(lambda s: case.f(x, s), y, step_for(y))
    assert fd_close(d[rx], fd_x, result.number)
    assert fd_close(d[ry], fd_y, result.number)


# --- Many inputs, one output ---------------------------------------------------------------------

many_points = st.lists(
    st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_infinity=False),
    min_size=1,
    max_size=20,
)


def chain_energy(xs: list[Any]) -> Any:
    """Σ x_i x_{i+1} + Σ sin(x_i): ∂/∂x_i = x_{i-1} + x_{i+1} + cos(x_i)."""
    total: Any = 0.0
    for left, right in pairwise(xs):
        total = total + left * right
    for x in xs:
        total = total + sin(x)
    return total


@given(values=many_points)
def test_gradient_of_many_inputs(values: list[float]) -> None:
    tape = WengertList()
    xs = tape.variables(values)
    energy = chain_energy(xs)
    d = energy.derivatives()
    n = len(values)
    for i, x in enumerate(xs):
        exact = math.cos(values[i])
        exact += values[i - 1] if i > 0 else 0.0
        exact += values[i + 1] if i < n - 1 else 0.0
        assert approx(d[x], exact, rel=EXACT_REL, abs_tol=EXACT_ABS)
        seeded = [Trace(v, 1.0 if j == i else 0.0) for j, v in enumerate(values)]
        assert approx(chain_energy(seeded).derivative, d[x], rel=MODES_REL, abs_tol=MODES_REL)
    assert same_float(energy.number, chain_energy(values))
