"""Functions of functions: derivatives of a Python callable."""

from __future__ import annotations

from collections.abc import Callable

from wengert._core import Trace


def derivative(f: Callable[[Trace], Trace], x: float) -> float:
    """The derivative of ``f`` at ``x``, by forward mode: ``f(Trace.variable(x)).derivative``.

    >>> derivative(lambda t: t * t * t, 2.0)
    12.0

    ``f`` must compute its result from its argument; a plain number as the
    result raises TypeError, since no derivative was traced through it.
    """
    result = f(Trace.variable(x))
    if not isinstance(result, Trace):
        raise TypeError(
            f"derivative(f, x): f returned {type(result).__name__}, not a Trace, so no "
            "derivative was traced; compute the result from f's argument (with wengert.sin "
            "and the other wengert math functions instead of math.sin and .number)"
        )
    return result.derivative


__all__ = ["derivative"]
