"""A large Rosenbrock function minimised with exact second derivatives, two ways.

The recording's ``sparse_hessian`` gives the tridiagonal Hessian as a
scipy.sparse.csr_array from 3 compressed directions (its colours) for
``minimize(method="trust-constr")``; ``hvp`` gives Hessian-vector products, without
any matrix, for ``minimize(method="Newton-CG")``. ``value_and_gradient`` gives the
function and its gradient from one replay (``jac=True``).
"""

import sys

import numpy as np
import scipy.optimize

from wengert import Record, record


def rosenbrock(x: list[Record]) -> Record | float:
    total: Record | float = 0.0
    for i in range(len(x) - 1):
        total = total + 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return total


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000
    x0 = np.full(n, 0.5)
    recording = record(rosenbrock, x0)
    fun = recording.value_and_gradient
    print(f"n = {n}, Hessian colours: {recording.hessian_colours}")
    result = scipy.optimize.minimize(
        fun,
        x0,
        jac=True,
        hess=recording.sparse_hessian,
        method="trust-constr",
        options={"gtol": 1e-8, "maxiter": 500},
    )
    print(
        f"trust-constr with sparse_hessian: {result.nit} iterations, "
        f"max |x - 1| = {np.max(np.abs(result.x - 1.0)):.1e}"
    )
    result = scipy.optimize.minimize(
        fun, x0, jac=True, hessp=recording.hvp, method="Newton-CG", options={"xtol": 1e-10}
    )
    print(
        f"Newton-CG with hvp: {result.nit} iterations, "
        f"max |x - 1| = {np.max(np.abs(result.x - 1.0)):.1e}"
    )


if __name__ == "__main__":
    main()
