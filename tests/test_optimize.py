"""wengert.optimize: scipy.optimize and IPOPT's callbacks from recordings, on small
problems with known optima."""

from __future__ import annotations

import doctest
import math
import os
from typing import Any

import numpy as np
import pytest
import scipy.optimize

import wengert
import wengert.optimize
from wengert.optimize import (
    IpoptProblem,
    least_squares_args,
    minimize_args,
    nonlinear_constraint,
    root_args,
)


def rosenbrock(x: Any) -> Any:
    s = 0.0
    for i in range(len(x) - 1):
        s = s + 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


@pytest.mark.parametrize(
    ("hess", "method"),
    [
        ("sparse", "trust-constr"),
        ("dense", "trust-exact"),
        ("hessp", "Newton-CG"),
        ("none", "BFGS"),
    ],
)
def test_minimize_rosenbrock(hess: Any, method: str) -> None:
    x0 = np.full(20, -0.5)
    args = minimize_args(rosenbrock, x0, hess=hess)
    result = scipy.optimize.minimize(**args, method=method, options={"maxiter": 5000})
    np.testing.assert_allclose(result.x, np.ones(20), atol=1e-4)


def test_minimize_args_checks_the_hessian_form() -> None:
    with pytest.raises(ValueError, match="hess must be"):
        minimize_args(rosenbrock, [0.0, 0.0], hess="exact")  # type: ignore[arg-type]


def test_constrained_with_trust_constr() -> None:
    """min (x-1)² + (y-2)² on the unit circle: the optimum is (1, 2)/√5."""
    args = minimize_args(lambda v: (v[0] - 1) ** 2 + (v[1] - 2) ** 2, [0.1, 0.1])
    disc = nonlinear_constraint(lambda v: [v[0] ** 2 + v[1] ** 2], [0.1, 0.1], 1.0, 1.0)
    options = {"gtol": 1e-12, "xtol": 1e-14, "maxiter": 2000}
    result = scipy.optimize.minimize(
        **args, method="trust-constr", constraints=[disc], options=options
    )
    np.testing.assert_allclose(result.x, np.array([1.0, 2.0]) / math.sqrt(5), atol=1e-6)


def test_constraint_hessian_is_the_weighted_sum() -> None:
    def g(v: Any) -> list[Any]:
        return [v[0] * v[1], wengert.sin(v[1]) + v[2] ** 3]

    c = nonlinear_constraint(g, [1.0, 2.0, 3.0], 0.0, 1.0)
    x = np.array([0.5, 0.7, 0.9])
    h = c.hess(x, np.array([2.0, 3.0])).toarray()
    expected = 2.0 * np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]) + 3.0 * np.diag(
        [0.0, -math.sin(0.7), 6 * 0.9]
    )
    np.testing.assert_allclose(h, expected, rtol=1e-15)
    np.testing.assert_array_equal(c.jac(x).toarray(), wengert.record(g, x).jacobian(x))


def test_least_squares_with_a_sparse_jacobian() -> None:
    t = np.linspace(0.0, 1.0, 30)
    y = 2.0 * np.exp(-1.5 * t)

    def residuals(p: Any) -> list[Any]:
        return [p[0] * wengert.exp(p[1] * ti) - yi for ti, yi in zip(t, y, strict=True)]

    result = scipy.optimize.least_squares(**least_squares_args(residuals, [1.0, 0.0]))
    np.testing.assert_allclose(result.x, [2.0, -1.5], atol=1e-8)


def test_root() -> None:
    def equations(v: Any) -> list[Any]:
        return [v[0] ** 2 + v[1] ** 2 - 4.0, v[0] - v[1]]

    result = scipy.optimize.root(**root_args(equations, [1.0, 0.5]), method="hybr")
    np.testing.assert_allclose(result.x, [math.sqrt(2), math.sqrt(2)], rtol=1e-12)


def test_ipopt_callbacks_agree_with_the_dense_derivatives() -> None:
    def f(v: Any) -> Any:
        return v[0] * v[3] * (v[0] + v[1] + v[2]) + v[2]

    def g(v: Any) -> list[Any]:
        return [v[0] * v[1] * v[2] * v[3], v[0] ** 2 + v[1] ** 2 + v[2] ** 2 + v[3] ** 2]

    x = np.array([1.0, 5.0, 5.0, 1.0])
    problem = IpoptProblem(f, g, x)
    rows, cols = problem.jacobianstructure()
    jac = np.zeros((2, 4))
    jac[rows, cols] = problem.jacobian(x)
    np.testing.assert_array_equal(jac, wengert.record(g, x).jacobian(x))
    sigma, lam = 0.5, np.array([2.0, -1.0])
    rows, cols = problem.hessianstructure()
    assert np.all(rows >= cols)
    lower = np.zeros((4, 4))
    lower[rows, cols] = problem.hessian(x, lam, sigma)
    dense = sigma * wengert.record(f, x).hessian(x)
    for k in range(2):
        dense = dense + lam[k] * wengert.record(lambda v, k=k: g(v)[k], x).hessian(x)
    np.testing.assert_allclose(lower, np.tril(dense), rtol=1e-14)
    assert problem.objective(x) == f(x)
    np.testing.assert_array_equal(problem.constraints(x), g(x))
    np.testing.assert_array_equal(problem.gradient(x), wengert.record(f, x).gradient(x))


def test_ipopt_solves_hs071() -> None:
    if os.environ.get("CI", "").lower() == "true":
        import cyipopt  # .ci/run installs it: a skip would hide a failure there
    else:
        cyipopt = pytest.importorskip("cyipopt")

    def f(v: Any) -> Any:
        return v[0] * v[3] * (v[0] + v[1] + v[2]) + v[2]

    def g(v: Any) -> list[Any]:
        return [v[0] * v[1] * v[2] * v[3], v[0] ** 2 + v[1] ** 2 + v[2] ** 2 + v[3] ** 2]

    x0 = [1.0, 5.0, 5.0, 1.0]
    nlp = cyipopt.Problem(
        n=4,
        m=2,
        problem_obj=IpoptProblem(f, g, x0),
        lb=[1.0] * 4,
        ub=[5.0] * 4,
        cl=[25.0, 40.0],
        cu=[2e19, 40.0],
    )
    nlp.add_option("print_level", 0)
    x, _ = nlp.solve(x0)
    np.testing.assert_allclose(x, [1.0, 4.74299964, 3.82114998, 1.37940829], rtol=1e-6)


def test_docstring_examples() -> None:
    runner = doctest.DocTestRunner()
    for test in doctest.DocTestFinder().find(wengert.optimize):
        runner.run(test)
    assert runner.failures == 0 and runner.tries >= 3
