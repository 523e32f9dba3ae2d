"""What scipy.optimize and IPOPT ask for, from recordings of the user's functions.

Each function is recorded once (:func:`~wengert.record`) at the starting point and
replayed natively at every point the solver asks about; the branches the recorded
code took are checked at each replay (BranchChangedError if the solver leaves them).

- :func:`minimize_args`: ``fun`` and ``jac`` from one replay (``jac=True``), and
  ``hess`` (sparse or dense) or ``hessp`` for ``scipy.optimize.minimize``.
- :func:`nonlinear_constraint`: a ``NonlinearConstraint`` with its sparse Jacobian
  and the Hessian of ``v · g`` (the constraints' part of the Lagrangian's Hessian)
  from one weighted forward-over-reverse pass.
- :func:`least_squares_args` and :func:`root_args`: residuals with their Jacobian
  (sparse for ``least_squares``; dense for ``root``, whose methods take arrays).
- :class:`IpoptProblem`: the callbacks of ``cyipopt.Problem``, with the Jacobian's
  and the Lagrangian Hessian's triplet structure (lower triangle) fixed once and
  their values in that order.

All need scipy (``pip install 'wengert[sparse]'``), except :class:`IpoptProblem`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wengert._core import Recording, record
from wengert._sparse import csr_array_type

_Vector = NDArray[np.float64]


def _point(x0: ArrayLike) -> _Vector:
    return np.asarray(x0, dtype=np.float64).ravel()


def minimize_args(
    f: Callable[[Any], Any],
    x0: ArrayLike,
    hess: Literal["sparse", "dense", "hessp", "none"] = "sparse",
) -> dict[str, Any]:
    """Keyword arguments for ``scipy.optimize.minimize(**args, method=...)``.

    ``fun`` returns ``(value, gradient)`` from one replay (so ``jac`` is True);
    ``hess`` is the sparse (a csr_array) or dense Hessian, or with ``"hessp"`` a
    Hessian-vector product (for Newton-CG and trust-krylov at large n).

    >>> import scipy.optimize
    >>> f = lambda v: (v[0] - 1) ** 2 + (v[0] * v[1] - 2) ** 2
    >>> args = minimize_args(f, [0.5, 0.5], hess="dense")
    >>> sorted(args)
    ['fun', 'hess', 'jac', 'x0']
    >>> result = scipy.optimize.minimize(**args, method="trust-exact", options={"gtol": 1e-10})
    >>> [round(float(v), 6) for v in result.x]
    [1.0, 2.0]
    """
    x = _point(x0)
    rec = record(f, x)
    args: dict[str, Any] = {"fun": rec.value_and_gradient, "x0": x, "jac": True}
    if hess == "sparse":
        csr_array_type()
        args["hess"] = rec.sparse_hessian
    elif hess == "dense":
        args["hess"] = rec.hessian
    elif hess == "hessp":
        args["hessp"] = rec.hvp
    elif hess != "none":
        raise ValueError(f'hess must be "sparse", "dense", "hessp" or "none", not {hess!r}')
    return args


def nonlinear_constraint(
    g: Callable[[Any], Any], x0: ArrayLike, lb: ArrayLike, ub: ArrayLike
) -> Any:
    """A ``scipy.optimize.NonlinearConstraint`` ``lb <= g(x) <= ub``, with ``g``'s sparse
    Jacobian and, as ``hess(x, v)``, the sparse Hessian of ``sum(v[k] * g_k)``.

    ``g`` returns a 1-D sequence of numbers (or one number, for one constraint).
    """
    from scipy.optimize import NonlinearConstraint

    rec = record(g, _point(x0))
    return NonlinearConstraint(
        fun=rec.value,
        lb=lb,
        ub=ub,
        jac=rec.sparse_jacobian,
        hess=lambda x, v: rec.sparse_hessian(x, v),
    )


def least_squares_args(residuals: Callable[[Any], Any], x0: ArrayLike) -> dict[str, Any]:
    """Keyword arguments for ``scipy.optimize.least_squares``: ``fun``, ``x0`` and
    ``jac`` (sparse), with ``tr_solver="lsmr"``, which takes a sparse Jacobian."""
    csr_array_type()
    x = _point(x0)
    rec = record(residuals, x)
    return {"fun": rec.value, "x0": x, "jac": rec.sparse_jacobian, "tr_solver": "lsmr"}


def root_args(equations: Callable[[Any], Any], x0: ArrayLike) -> dict[str, Any]:
    """Keyword arguments for ``scipy.optimize.root``: ``fun`` and ``jac`` (dense: its
    methods hybr and lm take arrays) from the recording, with ``x0``."""
    x = _point(x0)
    rec = record(equations, x)
    return {"fun": rec.value, "x0": x, "jac": rec.jacobian}


class IpoptProblem:
    """The callbacks ``cyipopt.Problem(problem_obj=...)`` calls, for minimising ``f``
    subject to the constraints ``g`` (bounds are given to ``cyipopt.Problem``).

    ``f`` returns one number and ``g`` a 1-D sequence. They are recorded together
    (as ``[f(x), *g(x)]``), so that the Lagrangian's Hessian ``s ∇²f + Σ l_k ∇²g_k``
    is one weighted forward-over-reverse pass. Structures are triplets in a fixed
    order; the Hessian's is its lower triangle, as IPOPT asks.
    """

    def __init__(self, f: Callable[[Any], Any], g: Callable[[Any], Any], x0: ArrayLike) -> None:
        x = _point(x0)
        self.objective_recording: Recording[Any] = record(f, x)
        self.constraint_recording: Recording[Any] = record(g, x)
        self.lagrangian_recording: Recording[Any] = record(lambda v: [f(v), *g(v)], x)
        self.n_constraints = self.constraint_recording.n_outputs
        rows, cols = self.lagrangian_recording.hessian_sparsity(format="coo")
        self._lower = rows >= cols
        self._hessian_structure = (rows[self._lower], cols[self._lower])
        self._jacobian_structure = self.constraint_recording.jacobian_sparsity(format="coo")

    def objective(self, x: _Vector) -> float:
        return float(self.objective_recording.value(x))

    def gradient(self, x: _Vector) -> _Vector:
        gradient: _Vector = np.atleast_1d(self.objective_recording.gradient(x))
        return gradient

    def constraints(self, x: _Vector) -> _Vector:
        values: _Vector = np.atleast_1d(self.constraint_recording.value(x))
        return values

    def jacobianstructure(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        return self._jacobian_structure

    def jacobian(self, x: _Vector) -> _Vector:
        return self.constraint_recording.sparse_jacobian(x, format="values")

    def hessianstructure(self) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        return self._hessian_structure

    def hessian(self, x: _Vector, lagrange: _Vector, obj_factor: float) -> _Vector:
        weights = np.concatenate(([obj_factor], np.atleast_1d(lagrange)))
        values = self.lagrangian_recording.sparse_hessian(x, weights, format="values")
        lower: _Vector = values[self._lower]
        return lower


__all__ = [
    "IpoptProblem",
    "least_squares_args",
    "minimize_args",
    "nonlinear_constraint",
    "root_args",
]
