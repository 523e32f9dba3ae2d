"""A constrained problem (Hock & Schittkowski no. 71, IPOPT's own example) solved with
scipy's trust-constr and, when cyipopt is installed, with IPOPT.

    minimise   x0 x3 (x0 + x1 + x2) + x2
    subject to x0 x1 x2 x3 >= 25,  x0² + x1² + x2² + x3² = 40,  1 <= x <= 5.

``wengert.optimize`` records the objective and the constraints once and hands the
solvers what they ask for: the gradient, the constraints' sparse Jacobian and the
Hessian of the Lagrangian (one weighted forward-over-reverse pass), for IPOPT as
triplets with a fixed structure.
"""

import numpy as np
import scipy.optimize

from wengert import Record
from wengert.optimize import IpoptProblem, minimize_args, nonlinear_constraint


def objective(x: list[Record]) -> Record:
    return x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2]


def constraints(x: list[Record]) -> list[Record]:
    return [x[0] * x[1] * x[2] * x[3], x[0] ** 2 + x[1] ** 2 + x[2] ** 2 + x[3] ** 2]


def main() -> None:
    x0 = np.array([1.0, 5.0, 5.0, 1.0])
    result = scipy.optimize.minimize(
        **minimize_args(objective, x0),
        method="trust-constr",
        bounds=scipy.optimize.Bounds(np.ones(4), np.full(4, 5.0)),
        constraints=[nonlinear_constraint(constraints, x0, [25.0, 40.0], [np.inf, 40.0])],
        options={"gtol": 1e-10, "xtol": 1e-12, "maxiter": 2000},
    )
    print("trust-constr: f =", f"{result.fun:.4f}", "at", np.array2string(result.x, precision=4))
    try:
        import cyipopt
    except ImportError:
        print("IPOPT: skipped (cyipopt is not installed: pip install cyipopt)")
        return
    problem = cyipopt.Problem(
        n=4,
        m=2,
        problem_obj=IpoptProblem(objective, constraints, x0),
        lb=np.ones(4),
        ub=np.full(4, 5.0),
        cl=[25.0, 40.0],
        cu=[2e19, 40.0],
    )
    problem.add_option("print_level", 0)
    x, info = problem.solve(x0)
    print("IPOPT: f =", f"{info['obj_val']:.4f}", "at", np.array2string(x, precision=4))


if __name__ == "__main__":
    main()
