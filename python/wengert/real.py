"""Generic math: each function takes a float, an int, a Trace, a MultiTrace or a Record.

A Trace gives a Trace, a MultiTrace a MultiTrace, a Record a Record, and a float or
an int gives a float computed by :mod:`math`, so one function body serves them all::

    >>> from wengert import Trace, cos
    >>> cos(0.0)
    1.0
    >>> cos(Trace.variable(0.0)).derivative
    -0.0

Values follow :mod:`math`: where it raises (``ln(0)``, ``sqrt(-1)``), so do these.
"""

from __future__ import annotations

import builtins
import math
from typing import TypeVar, overload

from wengert._core import MultiTrace, Record, Trace
from wengert.typing import Real

R = TypeVar("R", bound=Real)

# The types that carry derivatives; anything else is treated as a plain number.
_DIFFERENTIABLE = (Trace, MultiTrace, Record)


def _plain(x: object, name: str) -> float:
    """A plain number as a float, as math's functions take it (a str is not a number)."""
    if isinstance(x, (str, bytes, bytearray)):
        raise TypeError(f"pow() needs numbers, but {name} is {type(x).__name__}")
    return float(x)  # type: ignore[arg-type]


@overload
def sin(x: int) -> float: ...
@overload
def sin(x: R) -> R: ...
def sin(x: object) -> object:
    """The sine."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.sin()
    return math.sin(x)  # type: ignore[arg-type]


@overload
def cos(x: int) -> float: ...
@overload
def cos(x: R) -> R: ...
def cos(x: object) -> object:
    """The cosine."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.cos()
    return math.cos(x)  # type: ignore[arg-type]


@overload
def exp(x: int) -> float: ...
@overload
def exp(x: R) -> R: ...
def exp(x: object) -> object:
    """e raised to the power ``x``."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.exp()
    return math.exp(x)  # type: ignore[arg-type]


@overload
def ln(x: int) -> float: ...
@overload
def ln(x: R) -> R: ...
def ln(x: object) -> object:
    """The natural logarithm."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.ln()
    return math.log(x)  # type: ignore[arg-type]


@overload
def sqrt(x: int) -> float: ...
@overload
def sqrt(x: R) -> R: ...
def sqrt(x: object) -> object:
    """The square root."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.sqrt()
    return math.sqrt(x)  # type: ignore[arg-type]


@overload
def abs(x: int) -> float: ...
@overload
def abs(x: R) -> R: ...
def abs(x: object) -> object:
    """The absolute value (its derivative at 0 is taken as 0)."""
    if isinstance(x, _DIFFERENTIABLE):
        return builtins.abs(x)
    return math.fabs(x)  # type: ignore[arg-type]


@overload
def pow(x: int, y: int | float) -> float: ...
@overload
def pow(x: R, y: R | float) -> R: ...
@overload
def pow(x: float, y: R) -> R: ...
def pow(x: object, y: object) -> object:
    """``x`` raised to the power ``y``, with the rules of ``x ** y`` on floats.

    A negative number raised to a fractional power raises ValueError (a float
    would give a complex number, which has no derivative here).
    """
    if isinstance(x, _DIFFERENTIABLE) or isinstance(y, _DIFFERENTIABLE):
        return x**y  # type: ignore[operator]
    result = _plain(x, "x") ** _plain(y, "y")
    if isinstance(result, complex):
        raise ValueError("a negative number raised to a fractional power has no real value")
    return float(result)


__all__ = ["abs", "cos", "exp", "ln", "pow", "sin", "sqrt"]
