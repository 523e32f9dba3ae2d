"""Protocols for code that runs unchanged on floats, Traces, MultiTraces and Records.

Bind a type variable to :class:`Real` and one function body serves them all::

    from typing import TypeVar
    from wengert import cos, sin
    from wengert.typing import Real

    T = TypeVar("T", bound=Real)

    def cartesian(r: T, angle: T) -> tuple[T, T]:
        return r * cos(angle), r * sin(angle)

``float``, :class:`~wengert.Trace`, :class:`~wengert.MultiTrace` and
:class:`~wengert.Record` all satisfy both protocols; the math functions (``sin``,
``exp``, ...) live in :mod:`wengert` as free functions, because ``float`` has no such
methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from typing_extensions import Self


class Numeric(Protocol):
    """A number with arithmetic and ordering: ``float``, ``Trace``, ``MultiTrace`` or ``Record``.

    Operations take another value of the same kind or a plain float on either
    side, and give the same kind back.
    """

    def __add__(self, other: Self | float, /) -> Self: ...
    def __radd__(self, other: float, /) -> Self: ...
    def __sub__(self, other: Self | float, /) -> Self: ...
    def __rsub__(self, other: float, /) -> Self: ...
    def __mul__(self, other: Self | float, /) -> Self: ...
    def __rmul__(self, other: float, /) -> Self: ...
    def __truediv__(self, other: Self | float, /) -> Self: ...
    def __rtruediv__(self, other: float, /) -> Self: ...
    def __neg__(self) -> Self: ...
    def __pos__(self) -> Self: ...
    def __abs__(self) -> Self: ...
    def __lt__(self, other: Self | float, /) -> bool: ...
    def __le__(self, other: Self | float, /) -> bool: ...
    def __gt__(self, other: Self | float, /) -> bool: ...
    def __ge__(self, other: Self | float, /) -> bool: ...


class Real(Numeric, Protocol):
    """A :class:`Numeric` that can also be raised to a power: what the math helpers take."""

    def __pow__(self, other: Self | float, /) -> Self: ...
    def __rpow__(self, other: float, /) -> Self: ...


__all__ = ["Numeric", "Real"]
