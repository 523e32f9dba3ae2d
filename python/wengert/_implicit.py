"""Derivatives of the solution of an equation, without differentiating the solver.

:func:`implicit` takes a residual ``g(y, p)``, a solution ``y*`` of ``g(y*, p) = 0`` that
any solver found (scipy's ``brentq``/``fsolve``/``root``, a hand-written Newton loop)
on plain numbers, and the parameters ``p`` as the caller has them: floats, or Traces,
MultiTraces, Records or Jets carrying derivatives. It returns ``y*`` carrying the
derivatives of the solution ``y(p)`` with respect to whatever ``p`` carries, by the
implicit function theorem: ``∂g/∂y`` is computed once at ``(y*, p)`` (forward mode, on
plain numbers), and Newton steps with it on the derivative-carrying values,

    y ← y - (∂g/∂y)⁻¹ g(y, p),

each make one more order of derivatives exact (num-dual's approach): one step gives
first derivatives (a Trace, MultiTrace or Record), two give second derivatives (the
Hessian of a recording through it), ``k`` give a Jet of order ``k``. The solver's own
iterations are never differentiated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wengert._core import Jet, MultiTrace, Record, Trace

_CARRIERS = (Trace, MultiTrace, Record, Jet)


def _leaves(p: Any) -> list[Any]:
    if isinstance(p, list | tuple):
        return [leaf for item in p for leaf in _leaves(item)]
    if isinstance(p, np.ndarray):
        return [leaf for item in p.ravel().tolist() for leaf in _leaves(item)]
    return [p]


def _plain(p: Any) -> Any:
    """``p`` with every derivative-carrying number replaced by its value."""
    if isinstance(p, list):
        return [_plain(item) for item in p]
    if isinstance(p, tuple):
        return tuple(_plain(item) for item in p)
    if isinstance(p, np.ndarray):
        return np.array([_plain(item) for item in p.ravel().tolist()], dtype=float).reshape(p.shape)
    if isinstance(p, _CARRIERS):
        return p.number
    return p


def _as_vector(values: Any, what: str) -> list[Any]:
    if isinstance(values, list | tuple | np.ndarray):
        vector = list(np.asarray(values, dtype=object).ravel())
        if not vector:
            raise ValueError(f"implicit(g, y_star, p): {what} is empty")
        return vector
    return [values]


def _jacobian(
    g: Callable[[Any, Any], Any], y: list[float], scalar: bool, p: Any
) -> NDArray[np.float64]:
    """``∂g/∂y`` at the plain point ``(y, p)``, by forward mode: an (n, n) float array."""
    n = len(y)
    if scalar:
        residual = g(Trace.variable(y[0]), p)
        rows = _as_vector(residual, "g(y, p)")
        if len(rows) != 1:
            raise ValueError(
                f"implicit(g, y_star, p): g returned {len(rows)} numbers for one unknown y"
            )
        value = rows[0]
        return np.array([[value.derivative if isinstance(value, Trace) else 0.0]])
    inputs = MultiTrace.variables(y)
    residual = _as_vector(g(np.array(inputs, dtype=object), p), "g(y, p)")
    if len(residual) != n:
        raise ValueError(
            f"implicit(g, y_star, p): g returned {len(residual)} numbers for {n} unknowns; the "
            "residual must have one equation per unknown"
        )
    jacobian = np.zeros((n, n))
    for i, r in enumerate(residual):
        if isinstance(r, MultiTrace):
            jacobian[i] = r.derivative
    return jacobian


def implicit(g: Callable[[Any, Any], Any], y_star: Any, p: Any, order: int | None = None) -> Any:
    """The solution ``y*`` of ``g(y*, p) = 0``, carrying its derivatives with respect to ``p``.

    ``y_star`` is a float (one unknown) or a sequence or 1-D array of floats (``g`` then
    gets a 1-D object array and returns a sequence of as many residuals), found by any
    solver at the values of ``p``. ``p`` is anything ``g`` takes as its second argument:
    a number, a Trace, MultiTrace, Record or Jet, or a sequence or array of them. The
    result is ``y*`` in the mode of ``p``: a float (or float array) for plain ``p``, else
    a Trace, MultiTrace, Record or Jet (a list of them for several unknowns).

    ``order`` is how many orders of derivatives must be exact (the number of Newton
    steps): by default a Jet's order, 2 for Records (so that a recording's Hessian
    through the solve is exact), 1 for Traces and MultiTraces.

    >>> import wengert
    >>> p = wengert.Trace.variable(2.0)
    >>> y = implicit(lambda y, p: y * y - p, 2.0**0.5, p)  # y = sqrt(p)
    >>> round(y.derivative, 12) == round(0.5 / 2.0**0.5, 12)
    True
    """
    if not callable(g):
        raise TypeError(
            f"implicit(g, y_star, p): g must be a function g(y, p), not {type(g).__name__}"
        )
    scalar = not isinstance(y_star, list | tuple | np.ndarray)
    try:
        y0 = [float(v) for v in _as_vector(y_star, "y_star")]
    except (TypeError, ValueError):
        raise TypeError(
            "implicit(g, y_star, p): y_star must be a float or a sequence of floats (the "
            f"solution the solver found), not {type(y_star).__name__}"
        ) from None
    if not all(np.isfinite(y0)):
        raise ValueError("implicit(g, y_star, p): y_star must be finite")
    carriers = [leaf for leaf in _leaves(p) if isinstance(leaf, _CARRIERS)]
    plain_p = _plain(p)
    jacobian = _jacobian(g, y0, scalar, plain_p)
    try:
        inverse = np.linalg.inv(jacobian)
    except np.linalg.LinAlgError:
        raise ValueError(
            "implicit(g, y_star, p): ∂g/∂y is singular at y_star, so the solution does not "
            "depend smoothly on p there (the implicit function theorem does not apply)"
        ) from None
    # y_star must solve the equation: one Newton step on plain numbers barely moves it.
    y_in = y0[0] if scalar else np.array(y0)
    residual = np.array([float(_plain(r)) for r in _as_vector(g(y_in, plain_p), "g(y, p)")])
    step = inverse @ residual
    if not np.all(np.abs(step) <= 1e-6 * (1.0 + np.abs(np.array(y0)))):
        raise ValueError(
            f"implicit(g, y_star, p): y_star does not solve g(y, p) = 0: g(y_star, p) = "
            f"{residual.tolist()}, and a Newton step would move y_star by {(-step).tolist()}; "
            "solve more accurately first"
        )
    if not carriers:
        return y0[0] if scalar else np.array(y0)
    if order is None:
        first = carriers[0]
        order = first.order if isinstance(first, Jet) else 2 if isinstance(first, Record) else 1
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(
            f"implicit(g, y_star, p): order must be an int of at least 1, not {order!r}"
        )
    y: list[Any] = list(y0)
    for _ in range(order):
        argument = y[0] if scalar else np.array(y, dtype=object)
        r = _as_vector(g(argument, p), "g(y, p)")
        y = [
            y[i] - sum(inverse[i, j] * r[j] for j in range(len(y)) if inverse[i, j] != 0.0)
            for i in range(len(y))
        ]
    return y[0] if scalar else y


__all__ = ["implicit"]
