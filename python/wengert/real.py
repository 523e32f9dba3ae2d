"""Generic math: each function takes a float, an int, a Trace, a MultiTrace or a Record.

A Trace gives a Trace, a MultiTrace a MultiTrace, a Record a Record, and a float or
an int gives a float computed by :mod:`math`, so one function body serves them all::

    >>> from wengert import Trace, cos
    >>> cos(0.0)
    1.0
    >>> cos(Trace.variable(0.0)).derivative
    -0.0

Values follow :mod:`math` bit for bit: where it raises (``ln(0)``, ``sqrt(-1)``,
``acos(2)``, ``cosh(1000)``), so do these. ``floor``, ``ceil`` and ``trunc`` give
floats (with derivative 0), not ints as :func:`math.floor` does.
"""

from __future__ import annotations

import builtins
import math
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from wengert import _core
from wengert._core import MultiTrace, Record, Trace
from wengert.typing import Real

R = TypeVar("R", bound=Real)

# The types that carry derivatives; anything else is treated as a plain number.
_DIFFERENTIABLE = (Trace, MultiTrace, Record)


def _plain(x: object, name: str, function: str = "pow()") -> float:
    """A plain number as a float, as math's functions take it (a str is not a number)."""
    # float() would also parse str and buffers (bytes, Derivatives) as text: only numbers here
    if hasattr(type(x), "__float__") or hasattr(type(x), "__index__"):
        return float(x)  # type: ignore[arg-type]
    raise TypeError(
        f"{function} takes a float, an int, a Trace, a MultiTrace or a Record as {name}, "
        f"not {type(x).__name__}"
    )


def _constant_like(like: Trace | MultiTrace | Record, c: float) -> Trace | MultiTrace | Record:
    """The constant ``c`` as the same kind of number as ``like`` (with as many tangents)."""
    if isinstance(like, MultiTrace):
        return MultiTrace.constant(c, like.k)
    return type(like).constant(c)


def _integral(function: Callable[[float], int], x: object, name: str) -> float:
    """``function`` (math.floor, ceil or trunc) as a float, as the C library rounds:
    an infinity or NaN unchanged, and a zero result with the sign of ``x``."""
    number = _plain(x, "x", name)
    if not math.isfinite(number):
        return number
    return math.copysign(float(function(number)), number)


def _exp2(x: object) -> float:
    """``math.exp2`` (Python 3.11), or the same C library function through Trace before it."""
    if sys.version_info >= (3, 11):
        return math.exp2(x)  # type: ignore[arg-type]
    # math.ldexp(x, 0) is x itself, converted (or refused) exactly as math's functions do
    number = math.ldexp(x, 0)  # type: ignore[arg-type, unused-ignore]  # pragma: no cover
    return Trace.constant(number).exp2().number  # pragma: no cover


def _cbrt(x: object) -> float:
    """``math.cbrt`` (Python 3.11), or the same C library function through Trace before it."""
    if sys.version_info >= (3, 11):
        return math.cbrt(x)  # type: ignore[arg-type]
    # math.ldexp(x, 0) is x itself, converted (or refused) exactly as math's functions do
    number = math.ldexp(x, 0)  # type: ignore[arg-type, unused-ignore]  # pragma: no cover
    return Trace.constant(number).cbrt().number  # pragma: no cover


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
def tan(x: int) -> float: ...
@overload
def tan(x: R) -> R: ...
def tan(x: object) -> object:
    """The tangent."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.tan()
    return math.tan(x)  # type: ignore[arg-type]


@overload
def asin(x: int) -> float: ...
@overload
def asin(x: R) -> R: ...
def asin(x: object) -> object:
    """The arc sine, in [-π/2, π/2]; ``x`` must be in [-1, 1]."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.asin()
    return math.asin(x)  # type: ignore[arg-type]


@overload
def acos(x: int) -> float: ...
@overload
def acos(x: R) -> R: ...
def acos(x: object) -> object:
    """The arc cosine, in [0, π]; ``x`` must be in [-1, 1]."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.acos()
    return math.acos(x)  # type: ignore[arg-type]


@overload
def atan(x: int) -> float: ...
@overload
def atan(x: R) -> R: ...
def atan(x: object) -> object:
    """The arc tangent, in [-π/2, π/2]."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.atan()
    return math.atan(x)  # type: ignore[arg-type]


@overload
def sinh(x: int) -> float: ...
@overload
def sinh(x: R) -> R: ...
def sinh(x: object) -> object:
    """The hyperbolic sine."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.sinh()
    return math.sinh(x)  # type: ignore[arg-type]


@overload
def cosh(x: int) -> float: ...
@overload
def cosh(x: R) -> R: ...
def cosh(x: object) -> object:
    """The hyperbolic cosine."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.cosh()
    return math.cosh(x)  # type: ignore[arg-type]


@overload
def tanh(x: int) -> float: ...
@overload
def tanh(x: R) -> R: ...
def tanh(x: object) -> object:
    """The hyperbolic tangent."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.tanh()
    return math.tanh(x)  # type: ignore[arg-type]


@overload
def asinh(x: int) -> float: ...
@overload
def asinh(x: R) -> R: ...
def asinh(x: object) -> object:
    """The inverse hyperbolic sine."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.asinh()
    return math.asinh(x)  # type: ignore[arg-type]


@overload
def acosh(x: int) -> float: ...
@overload
def acosh(x: R) -> R: ...
def acosh(x: object) -> object:
    """The inverse hyperbolic cosine; ``x`` must be at least 1."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.acosh()
    return math.acosh(x)  # type: ignore[arg-type]


@overload
def atanh(x: int) -> float: ...
@overload
def atanh(x: R) -> R: ...
def atanh(x: object) -> object:
    """The inverse hyperbolic tangent; ``x`` must be strictly between -1 and 1."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.atanh()
    return math.atanh(x)  # type: ignore[arg-type]


@overload
def exp2(x: int) -> float: ...
@overload
def exp2(x: R) -> R: ...
def exp2(x: object) -> object:
    """2 raised to the power ``x``."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.exp2()
    return _exp2(x)


@overload
def expm1(x: int) -> float: ...
@overload
def expm1(x: R) -> R: ...
def expm1(x: object) -> object:
    """``exp(x) - 1``, accurate near 0."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.expm1()
    return math.expm1(x)  # type: ignore[arg-type]


@overload
def log2(x: int) -> float: ...
@overload
def log2(x: R) -> R: ...
def log2(x: object) -> object:
    """The base-2 logarithm."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.log2()
    return math.log2(x)  # type: ignore[arg-type]


@overload
def log10(x: int) -> float: ...
@overload
def log10(x: R) -> R: ...
def log10(x: object) -> object:
    """The base-10 logarithm."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.log10()
    return math.log10(x)  # type: ignore[arg-type]


@overload
def log1p(x: int) -> float: ...
@overload
def log1p(x: R) -> R: ...
def log1p(x: object) -> object:
    """``ln(1 + x)``, accurate near 0."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.log1p()
    return math.log1p(x)  # type: ignore[arg-type]


@overload
def cbrt(x: int) -> float: ...
@overload
def cbrt(x: R) -> R: ...
def cbrt(x: object) -> object:
    """The cube root (negative for a negative ``x``)."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.cbrt()
    return _cbrt(x)


@overload
def erf(x: int) -> float: ...
@overload
def erf(x: R) -> R: ...
def erf(x: object) -> object:
    """The error function."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.erf()
    return math.erf(x)  # type: ignore[arg-type]


@overload
def erfc(x: int) -> float: ...
@overload
def erfc(x: R) -> R: ...
def erfc(x: object) -> object:
    """The complementary error function ``1 - erf(x)``, accurate for large ``x``."""
    if isinstance(x, _DIFFERENTIABLE):
        return x.erfc()
    return math.erfc(x)  # type: ignore[arg-type]


@overload
def floor(x: int) -> float: ...
@overload
def floor(x: R) -> R: ...
def floor(x: object) -> object:
    """The largest integer not above ``x``, as a float (derivative 0).

    Unlike :func:`math.floor`, which gives an int, this gives a float, so an infinity or
    a NaN comes back as it is.
    """
    if isinstance(x, _DIFFERENTIABLE):
        return x.floor()
    return _integral(math.floor, x, "floor()")


@overload
def ceil(x: int) -> float: ...
@overload
def ceil(x: R) -> R: ...
def ceil(x: object) -> object:
    """The smallest integer not below ``x``, as a float (derivative 0).

    Unlike :func:`math.ceil`, this gives a float; an infinity or a NaN comes back as it is.
    """
    if isinstance(x, _DIFFERENTIABLE):
        return x.ceil()
    return _integral(math.ceil, x, "ceil()")


@overload
def trunc(x: int) -> float: ...
@overload
def trunc(x: R) -> R: ...
def trunc(x: object) -> object:
    """``x`` with its fraction dropped (towards 0), as a float (derivative 0).

    Unlike :func:`math.trunc`, this gives a float; an infinity or a NaN comes back as it is.
    """
    if isinstance(x, _DIFFERENTIABLE):
        return x.trunc()
    return _integral(math.trunc, x, "trunc()")


@overload
def log(x: int, base: int | float | None = None) -> float: ...
@overload
def log(x: float, base: R) -> R: ...
@overload
def log(x: R, base: R | float | None = None) -> R: ...
def log(x: object, base: object = None) -> object:
    """The natural logarithm, or with ``base`` the logarithm to that base, as :func:`math.log`.

    ``log(x, base)`` is ``ln(x) / ln(base)``, as :func:`math.log` computes it (so the
    values agree bit for bit); its derivative is taken with respect to both.

    >>> from wengert import Trace, log
    >>> log(8.0, 2.0)
    3.0
    >>> log(Trace.variable(8.0), 2.0).derivative  # 1 / (8 ln 2)
    0.18033688011112042
    """
    if base is None:
        return ln(x)  # type: ignore[call-overload]
    if isinstance(x, _DIFFERENTIABLE) or isinstance(base, _DIFFERENTIABLE):
        return ln(x) / ln(base)  # type: ignore[call-overload]
    return math.log(x, base)  # type: ignore[arg-type]


@overload
def atan2(y: int, x: int | float) -> float: ...
@overload
def atan2(y: float, x: R) -> R: ...
@overload
def atan2(y: R, x: R | float) -> R: ...
def atan2(y: object, x: object) -> object:
    """The angle of the point ``(x, y)``, in [-π, π], as :func:`math.atan2` (``y`` first).

    Its partial derivatives at the origin are taken as 0: atan2 is constant along every
    ray from it.
    """
    if isinstance(y, _DIFFERENTIABLE):
        return y.atan2(x)  # type: ignore[arg-type]
    if isinstance(x, _DIFFERENTIABLE):
        return _constant_like(x, _plain(y, "y", "atan2()")).atan2(x)  # type: ignore[arg-type]
    return math.atan2(y, x)  # type: ignore[arg-type]


@overload
def hypot(x: int, y: int | float) -> float: ...
@overload
def hypot(x: float, y: R) -> R: ...
@overload
def hypot(x: R, y: R | float) -> R: ...
def hypot(x: object, y: object) -> object:
    """The length ``sqrt(x² + y²)`` of the vector ``(x, y)``, as :func:`math.hypot` computes it.

    Its partial derivatives at the origin are taken as 0, as for :func:`abs` at 0.
    """
    if isinstance(x, _DIFFERENTIABLE):
        return x.hypot(y)  # type: ignore[arg-type]
    if isinstance(y, _DIFFERENTIABLE):
        return _constant_like(y, _plain(x, "x", "hypot()")).hypot(y)  # type: ignore[arg-type]
    return math.hypot(x, y)  # type: ignore[arg-type]


@overload
def pow(x: int, y: int | float) -> float: ...
@overload
def pow(x: float, y: R) -> R: ...
@overload
def pow(x: R, y: R | float) -> R: ...
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


__all__ = [
    "abs",
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "cbrt",
    "ceil",
    "cos",
    "cosh",
    "erf",
    "erfc",
    "exp",
    "exp2",
    "expm1",
    "floor",
    "hypot",
    "ln",
    "log",
    "log1p",
    "log2",
    "log10",
    "pow",
    "sin",
    "sinh",
    "sqrt",
    "tan",
    "tanh",
    "trunc",
]


# The definitions above that `wengert._core` has a native version of (`_core._sin` for
# `sin`; see src/python/helpers.rs), by name. A native version takes the same arguments
# and falls back on these for all but floats, Traces, MultiTraces and Records; the
# public names are bound to the native versions.
_DEFINITIONS: dict[str, Callable[[Any], object]] = {
    name: f
    for name, f in list(globals().items())
    if callable(f) and not name.startswith("_") and hasattr(_core, "_" + name)
}
if not TYPE_CHECKING:
    globals().update({name: getattr(_core, "_" + name) for name in _DEFINITIONS})
