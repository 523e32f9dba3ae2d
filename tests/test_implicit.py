"""``wengert.implicit``: derivatives of an equation's solution without differentiating the
solver, in every mode, against closed forms (Kepler's equation) and against
differentiating an unrolled Newton solve (the density of a cubic equation of state)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

import wengert
from wengert import EscapedValueError, Jet, MultiTrace, Trace, WengertList, implicit, record


def kepler(E: Any, p: Any) -> Any:
    """Kepler's equation E - e sin E = M, p = (M, e)."""
    M, e = p
    return E - e * wengert.sin(E) - M


def solve_kepler(M: float, e: float) -> float:
    E = M
    for _ in range(60):
        E -= (E - e * math.sin(E) - M) / (1 - e * math.cos(E))
    return E


def unrolled_kepler(p: Any) -> Any:
    """The Newton solve itself, on derivative-carrying numbers (60 steps)."""
    M, e = p[0], p[1]
    E = M
    for _ in range(60):
        E = E - (E - e * wengert.sin(E) - M) / (1 - e * wengert.cos(E))
    return E


M0, E0 = 1.1, 0.3


def test_kepler_against_the_closed_form() -> None:
    E = solve_kepler(M0, E0)
    denominator = 1 - E0 * math.cos(E)
    dE_dM, dE_de = 1 / denominator, math.sin(E) / denominator
    # Trace, one parameter at a time
    got = implicit(kepler, E, (Trace.variable(M0), E0))
    assert got.number == E and math.isclose(got.derivative, dE_dM, rel_tol=1e-14)
    got = implicit(kepler, E, (M0, Trace.variable(E0)))
    assert math.isclose(got.derivative, dE_de, rel_tol=1e-14)
    # MultiTrace: both at once
    m, e = MultiTrace.variables([M0, E0])
    got = implicit(kepler, E, (m, e))
    assert np.allclose(got.derivative, [dE_dM, dE_de], rtol=1e-14)
    # Record: reverse mode
    tape = WengertList()
    rm, re_ = tape.variable(M0), tape.variable(E0)
    derivatives = implicit(kepler, E, (rm, re_)).derivatives()
    assert math.isclose(derivatives[rm], dE_dM, rel_tol=1e-14)
    assert math.isclose(derivatives[re_], dE_de, rel_tol=1e-14)
    # Jet: d²E/dM² = -e sin E / (1 - e cos E)³, and higher orders as the unrolled solve's
    jet = implicit(kepler, E, (Jet.variable(M0, 2), E0))
    assert math.isclose(jet.derivatives[2], -E0 * math.sin(E) / denominator**3, rel_tol=1e-13)
    jet = implicit(kepler, E, (Jet.variable(M0, 5), E0))
    unrolled = unrolled_kepler([Jet.variable(M0, 5), E0])
    assert np.allclose(jet.derivatives, unrolled.derivatives, rtol=1e-11)
    # a plain p: the solution itself
    assert implicit(kepler, E, (M0, E0)) == E


def test_kepler_hessian_through_a_recording() -> None:
    def through_implicit(p: Any) -> Any:
        E = solve_kepler(p[0].number, p[1].number)  # any solver, on plain numbers
        return implicit(kepler, E, (p[0], p[1])) ** 2

    rec = record(through_implicit, [M0, E0])
    reference = record(lambda p: unrolled_kepler(p) ** 2, [M0, E0])
    assert np.allclose(rec.gradient([M0, E0]), reference.gradient([M0, E0]), rtol=1e-13)
    assert np.allclose(rec.hessian([M0, E0]), reference.hessian([M0, E0]), rtol=1e-11)
    # the solver ran on plain numbers: the recording holds y* of x0, and says so elsewhere
    with pytest.raises(EscapedValueError):
        rec.gradient([1.2, 0.3])
    assert np.allclose(
        wengert.hessian(through_implicit)([M0, E0]), reference.hessian([M0, E0]), rtol=1e-11
    )


# The Peng-Robinson equation of state: the molar volume v at pressure P and temperature T.
R, TC, PC, OMEGA = 8.314462618, 190.564, 4.5992e6, 0.01142  # methane
A = 0.45724 * R**2 * TC**2 / PC
B = 0.07780 * R * TC / PC
KAPPA = 0.37464 + 1.54226 * OMEGA - 0.26992 * OMEGA**2


def pressure(v: Any, T: Any) -> Any:
    alpha = (1 + KAPPA * (1 - wengert.sqrt(T / TC))) ** 2
    return R * T / (v - B) - A * alpha / (v * v + 2 * B * v - B * B)


def residual(v: Any, p: Any) -> Any:
    P, T = p
    return pressure(v, T) - P


def solve_volume(P: float, T: float) -> float:
    """Newton's method on plain numbers (∂P/∂v by a Trace), from the ideal gas."""
    v = R * T / P
    for _ in range(80):
        r = residual(Trace.variable(v), (P, T))
        v -= r.number / r.derivative
    return v


def unrolled_volume(P: Any, T: Any) -> Any:
    v = R * T / P
    for _ in range(80):
        # Newton on derivative-carrying numbers, with ∂g/∂v from the residual's own formula
        alpha = (1 + KAPPA * (1 - wengert.sqrt(T / TC))) ** 2
        g = pressure(v, T) - P
        dg = -R * T / (v - B) ** 2 + A * alpha * (2 * v + 2 * B) / (v * v + 2 * B * v - B * B) ** 2
        v = v - g / dg
    return v


def test_the_density_of_a_cubic_equation_of_state() -> None:
    P0, T0 = 5.0e6, 250.0
    v = solve_volume(P0, T0)
    assert abs(residual(v, (P0, T0))) < 1e-3
    # dv/dP = 1 / (∂P/∂v) at the solution: the closed form of the implicit function theorem
    dv = Trace.variable(v)
    dP_dv = pressure(dv, T0).derivative
    got = implicit(residual, v, (Trace.variable(P0), T0))
    assert math.isclose(got.derivative, 1 / dP_dv, rel_tol=1e-12)
    # density = M / v: its gradient and Hessian in (P, T), against the unrolled solve
    molar_mass = 0.01604

    def density(p: Any) -> Any:
        volume = solve_volume(p[0].number, p[1].number)
        return molar_mass / implicit(residual, volume, (p[0], p[1]))

    rec = record(density, [P0, T0])
    reference = record(lambda p: molar_mass / unrolled_volume(p[0], p[1]), [P0, T0])
    assert np.allclose(rec.gradient([P0, T0]), reference.gradient([P0, T0]), rtol=1e-10)
    assert np.allclose(rec.hessian([P0, T0]), reference.hessian([P0, T0]), rtol=1e-8)


def test_a_system_of_two_unknowns() -> None:
    # x² + y² = p0, x - y = p1: x = (p1 + sqrt(2 p0 - p1²)) / 2
    def g(u: Any, p: Any) -> Any:
        return [u[0] * u[0] + u[1] * u[1] - p[0], u[0] - u[1] - p[1]]

    def exact(p0: Any, p1: Any) -> Any:
        x = (p1 + wengert.sqrt(2 * p0 - p1 * p1)) / 2
        return [x, x - p1]

    p0, p1 = MultiTrace.variables([5.0, 1.0])
    star = [float(value) for value in exact(5.0, 1.0)]
    got = implicit(g, star, [p0, p1])
    expected = exact(p0, p1)
    for a, b in zip(got, expected, strict=True):
        assert math.isclose(a.number, b.number, rel_tol=1e-15)
        assert np.allclose(a.derivative, b.derivative, rtol=1e-13)
    jets = implicit(g, star, [Jet([5.0, 1.0, 0, 0]), Jet([1.0, 0.5, 0, 0])])
    exact_jets = exact(Jet([5.0, 1.0, 0, 0]), Jet([1.0, 0.5, 0, 0]))
    for a, b in zip(jets, exact_jets, strict=True):
        assert np.allclose(a.coefficients, b.coefficients, rtol=1e-12, atol=1e-14)
    assert np.allclose(implicit(g, star, [5.0, 1.0]), star)


def test_misuse() -> None:
    with pytest.raises(ValueError, match="does not solve"):
        implicit(kepler, 0.5, (Trace.variable(M0), E0))
    with pytest.raises(ValueError, match="singular"):
        implicit(lambda y, p: y * y - p, 0.0, Trace.variable(0.0))
    with pytest.raises(TypeError, match="g must be a function"):
        implicit(None, 1.0, 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="y_star must be a float"):
        implicit(kepler, "a", (M0, E0))
    with pytest.raises(ValueError, match="one equation per unknown"):
        implicit(lambda u, p: [u[0] - p], [1.0, 2.0], 1.0)
    with pytest.raises(ValueError, match="order must be an int"):
        implicit(kepler, solve_kepler(M0, E0), (Trace.variable(M0), E0), order=0)
