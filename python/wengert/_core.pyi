"""The native engine of wengert: forward mode (Trace) and reverse mode (Record, WengertList)."""

import sys
from collections.abc import Callable, Iterable, Iterator
from numbers import Real
from os import PathLike
from typing import (
    Any,
    ClassVar,
    Final,
    Generic,
    Literal,
    NoReturn,
    SupportsFloat,
    SupportsIndex,
    TypeVar,
    final,
    overload,
)

import numpy as np
from numpy.typing import NDArray
from typing_extensions import Buffer

__version__: Final[str]

# Plain numbers: Python's, and numpy's scalars (numpy.float32, numpy.int64, numpy.bool_).
# The reflected operators (__radd__, ..., and __lt__ as __gt__'s reflection) carry
# "type: ignore[misc, unused-ignore]": numpy 2.2 and older (the last on Python 3.10)
# declare their scalars' operators as attributes of callable protocols, which mypy's
# check of a reflected operator reports as "Forward operator is not callable"; from
# numpy 2.3 on they are methods and the check passes.
_Number = float | int | Real | np.floating[Any] | np.integer[Any] | np.bool_

# The list of elementary functions (src/functions.rs), one entry a function:
# (name, parameters, methods, math, domain, doc); see wengert.real.
_FUNCTIONS: Final[tuple[tuple[str, tuple[str, ...], tuple[str, ...], str, str, str], ...]]

__all__ = [
    "BranchChangedError",
    "ConstantRecordError",
    "CustomOperation",
    "Derivatives",
    "EscapedValueError",
    "ImplicitConversionError",
    "Jet",
    "MixedModesError",
    "MixedTapesError",
    "MultiTrace",
    "Record",
    "Recording",
    "StaleRecordError",
    "TapeError",
    "Trace",
    "WengertList",
    "__version__",
    "_recording_from_pickle",
    "custom",
    "record",
]

class TapeError(ValueError):
    """A WengertList was misused; the message says what to do instead."""

class MixedTapesError(TapeError):
    """Records from two different WengertLists were combined."""

class StaleRecordError(TapeError):
    """A record (or Derivatives) from before the tape's last clear() was used."""

class ConstantRecordError(TapeError):
    """A constant record, which is on no tape, was asked for derivatives."""

class MixedModesError(TypeError):
    """Values of two different modes (Trace, MultiTrace, Record) were combined."""

class ImplicitConversionError(TypeError):
    """A Trace, MultiTrace or Record was converted to a plain number, dropping its derivative."""

class BranchChangedError(ValueError):
    """A Recording was replayed where a comparison of f comes out differently: record again."""

class EscapedValueError(BranchChangedError):
    """A Recording whose f read a Record's value (.number, str(), ...) was replayed elsewhere."""

@final
class Trace:
    """A dual number ``number + derivative·ε``: forward-mode automatic differentiation.

    >>> x = Trace.variable(3.0)
    >>> y = x * x + 2.0 * x
    >>> (y.number, y.derivative)
    (15.0, 8.0)
    """

    __array_priority__: ClassVar[float]
    """Between numpy's scalars and arrays: ``numpy.float32(2) * x`` is left to this class."""

    def __new__(cls, number: float, derivative: float = 0.0) -> Trace: ...
    @staticmethod
    def constant(number: float) -> Trace:
        """A Trace with derivative 0: a value that does not vary."""
    @staticmethod
    def variable(number: float) -> Trace:
        """A Trace with derivative 1: the input to differentiate with respect to."""
    @property
    def number(self) -> float:
        """The value."""
    @property
    def derivative(self) -> float:
        """The derivative of the value with respect to the chosen input."""
    def __reduce__(self) -> tuple[type[Trace], tuple[float, float]]:
        """Pickles as ``Trace(number, derivative)``."""
    def __copy__(self) -> Trace:
        """The Trace itself: it is immutable."""
    def __deepcopy__(self, memo: object, /) -> Trace:
        """The Trace itself: it is immutable."""
    def __add__(self, other: Trace | _Number, /) -> Trace: ...
    def __radd__(self, other: _Number, /) -> Trace: ...  # type: ignore[misc, unused-ignore]
    def __sub__(self, other: Trace | _Number, /) -> Trace: ...
    def __rsub__(self, other: _Number, /) -> Trace: ...  # type: ignore[misc, unused-ignore]
    def __mul__(self, other: Trace | _Number, /) -> Trace: ...
    def __rmul__(self, other: _Number, /) -> Trace: ...  # type: ignore[misc, unused-ignore]
    def __truediv__(self, other: Trace | _Number, /) -> Trace: ...
    def __rtruediv__(self, other: _Number, /) -> Trace: ...  # type: ignore[misc, unused-ignore]
    def __pow__(self, other: Trace | _Number, modulo: None = None, /) -> Trace: ...
    def __rpow__(self, other: _Number, modulo: None = None, /) -> Trace: ...  # type: ignore[misc, unused-ignore]
    def __neg__(self) -> Trace: ...
    def __pos__(self) -> Trace: ...
    def conjugate(self) -> Trace:
        """The number itself: a real number is its own complex conjugate (for numpy's
        ``std`` and ``var`` on object arrays)."""
    def __lt__(self, other: Trace | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __le__(self, other: Trace | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __gt__(self, other: Trace | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __ge__(self, other: Trace | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __bool__(self) -> bool:
        """True when the number is not 0, as for a float."""
    def __float__(self) -> float:
        """Always raises ImplicitConversionError: use ``.number`` or the wengert math functions."""
    def __int__(self) -> int:
        """Always raises ImplicitConversionError: use ``.number``."""
    def __format__(self, format_spec: str, /) -> str:
        """Formats the number, as ``format(t.number, format_spec)``."""
    # BEGIN GENERATED by scripts/generate_stubs.py from the list in src/functions.rs
    def sin(self) -> Trace:
        """The sine.

        ``wengert.sin`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def cos(self) -> Trace:
        """The cosine.

        ``wengert.cos`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def exp(self) -> Trace:
        """e raised to the power ``x``.

        ``wengert.exp`` as a method, with this number as ``x``; defined for ``x`` up to about 709.78
        (above, the value overflows).
        """
    def ln(self) -> Trace:
        """The natural logarithm.

        ``wengert.ln`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log(self) -> Trace:
        """The natural logarithm.

        ``wengert.ln`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def sqrt(self) -> Trace:
        """The square root.

        ``wengert.sqrt`` as a method, with this number as ``x``; defined for ``x ≥ 0``.
        """
    def __abs__(self) -> Trace:
        """The absolute value (its derivative at 0 is taken as 0).

        ``wengert.abs`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def pow(self, exponent: Trace | _Number) -> Trace:
        """``x`` raised to the power ``y``, with the rules of ``x ** y`` on floats.

        ``wengert.pow`` as a method, with this number as ``x``; defined for what ``x ** y`` of
        floats allows, but for a negative ``x`` to a fractional power (a complex number).
        """
    def tan(self) -> Trace:
        """The tangent.

        ``wengert.tan`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def asin(self) -> Trace:
        """The arc sine, in [-π/2, π/2].

        ``wengert.asin`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def arcsin(self) -> Trace:
        """The arc sine, in [-π/2, π/2].

        ``wengert.asin`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def acos(self) -> Trace:
        """The arc cosine, in [0, π].

        ``wengert.acos`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def arccos(self) -> Trace:
        """The arc cosine, in [0, π].

        ``wengert.acos`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def atan(self) -> Trace:
        """The arc tangent, in [-π/2, π/2].

        ``wengert.atan`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def arctan(self) -> Trace:
        """The arc tangent, in [-π/2, π/2].

        ``wengert.atan`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def atan2(self, x: Trace | _Number) -> Trace:
        """The angle of the point ``(x, y)``, in [-π, π], as :func:`math.atan2` (``y`` first).

        ``wengert.atan2`` as a method, with this number as ``y``; defined for every ``y`` and ``x``.
        """
    def arctan2(self, x: Trace | _Number) -> Trace:
        """The angle of the point ``(x, y)``, in [-π, π], as :func:`math.atan2` (``y`` first).

        ``wengert.atan2`` as a method, with this number as ``y``; defined for every ``y`` and ``x``.
        """
    def sinh(self) -> Trace:
        """The hyperbolic sine.

        ``wengert.sinh`` as a method, with this number as ``x``; defined for ``|x|`` up to about
        710.47 (above, the value overflows).
        """
    def cosh(self) -> Trace:
        """The hyperbolic cosine.

        ``wengert.cosh`` as a method, with this number as ``x``; defined for ``|x|`` up to about
        710.47 (above, the value overflows).
        """
    def tanh(self) -> Trace:
        """The hyperbolic tangent.

        ``wengert.tanh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def asinh(self) -> Trace:
        """The inverse hyperbolic sine.

        ``wengert.asinh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def arcsinh(self) -> Trace:
        """The inverse hyperbolic sine.

        ``wengert.asinh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def acosh(self) -> Trace:
        """The inverse hyperbolic cosine.

        ``wengert.acosh`` as a method, with this number as ``x``; defined for ``x ≥ 1``.
        """
    def arccosh(self) -> Trace:
        """The inverse hyperbolic cosine.

        ``wengert.acosh`` as a method, with this number as ``x``; defined for ``x ≥ 1``.
        """
    def atanh(self) -> Trace:
        """The inverse hyperbolic tangent.

        ``wengert.atanh`` as a method, with this number as ``x``; defined for ``-1 < x < 1``.
        """
    def arctanh(self) -> Trace:
        """The inverse hyperbolic tangent.

        ``wengert.atanh`` as a method, with this number as ``x``; defined for ``-1 < x < 1``.
        """
    def exp2(self) -> Trace:
        """2 raised to the power ``x``.

        ``wengert.exp2`` as a method, with this number as ``x``; defined for ``x < 1024`` (above,
        the value overflows).
        """
    def expm1(self) -> Trace:
        """``exp(x) - 1``, accurate near 0.

        ``wengert.expm1`` as a method, with this number as ``x``; defined for ``x`` up to about
        709.78 (above, the value overflows).
        """
    def log2(self) -> Trace:
        """The base-2 logarithm.

        ``wengert.log2`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log10(self) -> Trace:
        """The base-10 logarithm.

        ``wengert.log10`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log1p(self) -> Trace:
        """``ln(1 + x)``, accurate near 0.

        ``wengert.log1p`` as a method, with this number as ``x``; defined for ``x > -1``.
        """
    def cbrt(self) -> Trace:
        """The cube root (negative for a negative ``x``).

        ``wengert.cbrt`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def hypot(self, y: Trace | _Number) -> Trace:
        """The length ``sqrt(x² + y²)`` of the vector ``(x, y)``, as :func:`math.hypot` computes it.

        ``wengert.hypot`` as a method, with this number as ``x``; defined for every ``x`` and ``y``.
        """
    def erf(self) -> Trace:
        """The error function.

        ``wengert.erf`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def erfc(self) -> Trace:
        """The complementary error function ``1 - erf(x)``, accurate for large ``x``.

        ``wengert.erfc`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def floor(self) -> Trace:
        """The largest integer not above ``x``, as a float (not an int, as :func:`math.floor`
        gives), with derivative 0.

        ``wengert.floor`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    def ceil(self) -> Trace:
        """The smallest integer not below ``x``, as a float (not an int, as :func:`math.ceil`
        gives), with derivative 0.

        ``wengert.ceil`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    def trunc(self) -> Trace:
        """``x`` with its fraction dropped (towards 0), as a float (not an int, as
        :func:`math.trunc` gives), with derivative 0.

        ``wengert.trunc`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    # END GENERATED
    def __floor__(self) -> Trace:
        """``math.floor(self)``: as ``floor()``, but an infinity or NaN raises, as for a float."""
    def __ceil__(self) -> Trace:
        """``math.ceil(self)``: as ``ceil()``, but an infinity or NaN raises, as for a float."""
    def __trunc__(self) -> Trace:
        """``math.trunc(self)``: as ``trunc()``, but an infinity or NaN raises, as for a float."""
    def __round__(self, ndigits: SupportsIndex | None = None) -> Trace:
        """``round(self)`` or ``round(self, ndigits)``: the same kind, whose number is what
        ``round()`` gives for the float (as a float), with derivative 0."""
    def unary(
        self,
        fx: Callable[[float], float],
        dfx_dx: Callable[[float], float],
        d2fx_dx2: Callable[[float], float] | None = None,
        *,
        higher: Iterable[Callable[[float], float]] | None = None,
    ) -> Trace:
        """A custom function of one argument, given as its value and its derivative.

        >>> t = Trace.variable(2.0).unary(lambda x: x**3, lambda x: 3 * x**2)
        >>> (t.number, t.derivative)
        (8.0, 12.0)
        """
    def binary(
        self,
        other: Trace | _Number,
        fxy: Callable[[float, float], float],
        dfxy_dx: Callable[[float, float], float],
        dfxy_dy: Callable[[float, float], float],
        d2fxy: Callable[[float, float], tuple[float, float, float]] | None = None,
    ) -> Trace:
        """A custom function of two arguments (``self`` first), given as its value and partials."""

@final
class MultiTrace:
    """A number with the derivatives of its value with respect to ``k`` inputs at once.

    One forward pass on MultiTraces made by ``MultiTrace.variables(xs)`` gives the
    derivatives with respect to every input: tangent ``i`` is what a Trace pass with
    input ``i`` as its variable would give, bit for bit.

    >>> x, y = MultiTrace.variables([3.0, 2.0])
    >>> z = x * x * y
    >>> z.number, z.derivative.tolist()
    (18.0, [12.0, 9.0])
    """

    __array_priority__: ClassVar[float]
    """Between numpy's scalars and arrays: ``numpy.float32(2) * x`` is left to this class."""

    def __new__(cls, number: float, derivative: Iterable[SupportsFloat] | Buffer) -> MultiTrace: ...
    @staticmethod
    def constant(number: float, k: int) -> MultiTrace:
        """A MultiTrace with ``k`` zero tangents: a value that does not vary."""
    @staticmethod
    def variables(numbers: Iterable[SupportsFloat] | Buffer) -> list[MultiTrace]:
        """The inputs: one MultiTrace per number, with ``k = len(numbers)`` tangents, tangent
        ``i`` of input ``i`` 1 and the others 0.

        ``numbers`` is any iterable of numbers or a 1-D float64 numpy array. The inputs hold
        ``k²`` tangents between them.
        """
    @property
    def number(self) -> float:
        """The value."""
    @property
    def derivative(self) -> NDArray[np.float64]:
        """The derivatives of the value with respect to the inputs: a new float64 numpy
        array of shape ``(k,)``.
        """
    @property
    def k(self) -> int:
        """The number of tangents: the number of inputs differentiated with respect to."""
    def __reduce__(self) -> tuple[type[MultiTrace], tuple[float, list[float]]]:
        """Pickles as ``MultiTrace(number, derivative)``, the derivative as a list of floats."""
    def __copy__(self) -> MultiTrace:
        """The MultiTrace itself: it is immutable."""
    def __deepcopy__(self, memo: object, /) -> MultiTrace:
        """The MultiTrace itself: it is immutable."""
    def __add__(self, other: MultiTrace | _Number, /) -> MultiTrace: ...
    def __radd__(self, other: _Number, /) -> MultiTrace: ...  # type: ignore[misc, unused-ignore]
    def __sub__(self, other: MultiTrace | _Number, /) -> MultiTrace: ...
    def __rsub__(self, other: _Number, /) -> MultiTrace: ...  # type: ignore[misc, unused-ignore]
    def __mul__(self, other: MultiTrace | _Number, /) -> MultiTrace: ...
    def __rmul__(self, other: _Number, /) -> MultiTrace: ...  # type: ignore[misc, unused-ignore]
    def __truediv__(self, other: MultiTrace | _Number, /) -> MultiTrace: ...
    def __rtruediv__(self, other: _Number, /) -> MultiTrace: ...  # type: ignore[misc, unused-ignore]
    def __pow__(self, other: MultiTrace | _Number, modulo: None = None, /) -> MultiTrace: ...
    def __rpow__(self, other: _Number, modulo: None = None, /) -> MultiTrace: ...  # type: ignore[misc, unused-ignore]
    def __neg__(self) -> MultiTrace: ...
    def __pos__(self) -> MultiTrace: ...
    def conjugate(self) -> MultiTrace:
        """The number itself: a real number is its own complex conjugate (for numpy's
        ``std`` and ``var`` on object arrays)."""
    def __lt__(self, other: MultiTrace | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __le__(self, other: MultiTrace | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __gt__(self, other: MultiTrace | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __ge__(self, other: MultiTrace | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __bool__(self) -> bool:
        """True when the number is not 0, as for a float."""
    def __float__(self) -> float:
        """Always raises ImplicitConversionError: use ``.number`` or the wengert math functions."""
    def __int__(self) -> int:
        """Always raises ImplicitConversionError: use ``.number``."""
    def __format__(self, format_spec: str, /) -> str:
        """Formats the number, as ``format(m.number, format_spec)``."""
    # BEGIN GENERATED by scripts/generate_stubs.py from the list in src/functions.rs
    def sin(self) -> MultiTrace:
        """The sine.

        ``wengert.sin`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def cos(self) -> MultiTrace:
        """The cosine.

        ``wengert.cos`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def exp(self) -> MultiTrace:
        """e raised to the power ``x``.

        ``wengert.exp`` as a method, with this number as ``x``; defined for ``x`` up to about 709.78
        (above, the value overflows).
        """
    def ln(self) -> MultiTrace:
        """The natural logarithm.

        ``wengert.ln`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log(self) -> MultiTrace:
        """The natural logarithm.

        ``wengert.ln`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def sqrt(self) -> MultiTrace:
        """The square root.

        ``wengert.sqrt`` as a method, with this number as ``x``; defined for ``x ≥ 0``.
        """
    def __abs__(self) -> MultiTrace:
        """The absolute value (its derivative at 0 is taken as 0).

        ``wengert.abs`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def pow(self, exponent: MultiTrace | _Number) -> MultiTrace:
        """``x`` raised to the power ``y``, with the rules of ``x ** y`` on floats.

        ``wengert.pow`` as a method, with this number as ``x``; defined for what ``x ** y`` of
        floats allows, but for a negative ``x`` to a fractional power (a complex number).
        """
    def tan(self) -> MultiTrace:
        """The tangent.

        ``wengert.tan`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def asin(self) -> MultiTrace:
        """The arc sine, in [-π/2, π/2].

        ``wengert.asin`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def arcsin(self) -> MultiTrace:
        """The arc sine, in [-π/2, π/2].

        ``wengert.asin`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def acos(self) -> MultiTrace:
        """The arc cosine, in [0, π].

        ``wengert.acos`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def arccos(self) -> MultiTrace:
        """The arc cosine, in [0, π].

        ``wengert.acos`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def atan(self) -> MultiTrace:
        """The arc tangent, in [-π/2, π/2].

        ``wengert.atan`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def arctan(self) -> MultiTrace:
        """The arc tangent, in [-π/2, π/2].

        ``wengert.atan`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def atan2(self, x: MultiTrace | _Number) -> MultiTrace:
        """The angle of the point ``(x, y)``, in [-π, π], as :func:`math.atan2` (``y`` first).

        ``wengert.atan2`` as a method, with this number as ``y``; defined for every ``y`` and ``x``.
        """
    def arctan2(self, x: MultiTrace | _Number) -> MultiTrace:
        """The angle of the point ``(x, y)``, in [-π, π], as :func:`math.atan2` (``y`` first).

        ``wengert.atan2`` as a method, with this number as ``y``; defined for every ``y`` and ``x``.
        """
    def sinh(self) -> MultiTrace:
        """The hyperbolic sine.

        ``wengert.sinh`` as a method, with this number as ``x``; defined for ``|x|`` up to about
        710.47 (above, the value overflows).
        """
    def cosh(self) -> MultiTrace:
        """The hyperbolic cosine.

        ``wengert.cosh`` as a method, with this number as ``x``; defined for ``|x|`` up to about
        710.47 (above, the value overflows).
        """
    def tanh(self) -> MultiTrace:
        """The hyperbolic tangent.

        ``wengert.tanh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def asinh(self) -> MultiTrace:
        """The inverse hyperbolic sine.

        ``wengert.asinh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def arcsinh(self) -> MultiTrace:
        """The inverse hyperbolic sine.

        ``wengert.asinh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def acosh(self) -> MultiTrace:
        """The inverse hyperbolic cosine.

        ``wengert.acosh`` as a method, with this number as ``x``; defined for ``x ≥ 1``.
        """
    def arccosh(self) -> MultiTrace:
        """The inverse hyperbolic cosine.

        ``wengert.acosh`` as a method, with this number as ``x``; defined for ``x ≥ 1``.
        """
    def atanh(self) -> MultiTrace:
        """The inverse hyperbolic tangent.

        ``wengert.atanh`` as a method, with this number as ``x``; defined for ``-1 < x < 1``.
        """
    def arctanh(self) -> MultiTrace:
        """The inverse hyperbolic tangent.

        ``wengert.atanh`` as a method, with this number as ``x``; defined for ``-1 < x < 1``.
        """
    def exp2(self) -> MultiTrace:
        """2 raised to the power ``x``.

        ``wengert.exp2`` as a method, with this number as ``x``; defined for ``x < 1024`` (above,
        the value overflows).
        """
    def expm1(self) -> MultiTrace:
        """``exp(x) - 1``, accurate near 0.

        ``wengert.expm1`` as a method, with this number as ``x``; defined for ``x`` up to about
        709.78 (above, the value overflows).
        """
    def log2(self) -> MultiTrace:
        """The base-2 logarithm.

        ``wengert.log2`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log10(self) -> MultiTrace:
        """The base-10 logarithm.

        ``wengert.log10`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log1p(self) -> MultiTrace:
        """``ln(1 + x)``, accurate near 0.

        ``wengert.log1p`` as a method, with this number as ``x``; defined for ``x > -1``.
        """
    def cbrt(self) -> MultiTrace:
        """The cube root (negative for a negative ``x``).

        ``wengert.cbrt`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def hypot(self, y: MultiTrace | _Number) -> MultiTrace:
        """The length ``sqrt(x² + y²)`` of the vector ``(x, y)``, as :func:`math.hypot` computes it.

        ``wengert.hypot`` as a method, with this number as ``x``; defined for every ``x`` and ``y``.
        """
    def erf(self) -> MultiTrace:
        """The error function.

        ``wengert.erf`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def erfc(self) -> MultiTrace:
        """The complementary error function ``1 - erf(x)``, accurate for large ``x``.

        ``wengert.erfc`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def floor(self) -> MultiTrace:
        """The largest integer not above ``x``, as a float (not an int, as :func:`math.floor`
        gives), with derivative 0.

        ``wengert.floor`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    def ceil(self) -> MultiTrace:
        """The smallest integer not below ``x``, as a float (not an int, as :func:`math.ceil`
        gives), with derivative 0.

        ``wengert.ceil`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    def trunc(self) -> MultiTrace:
        """``x`` with its fraction dropped (towards 0), as a float (not an int, as
        :func:`math.trunc` gives), with derivative 0.

        ``wengert.trunc`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    # END GENERATED
    def __floor__(self) -> MultiTrace:
        """``math.floor(self)``: as ``floor()``, but an infinity or NaN raises, as for a float."""
    def __ceil__(self) -> MultiTrace:
        """``math.ceil(self)``: as ``ceil()``, but an infinity or NaN raises, as for a float."""
    def __trunc__(self) -> MultiTrace:
        """``math.trunc(self)``: as ``trunc()``, but an infinity or NaN raises, as for a float."""
    def __round__(self, ndigits: SupportsIndex | None = None) -> MultiTrace:
        """``round(self)`` or ``round(self, ndigits)``: the same kind, whose number is what
        ``round()`` gives for the float (as a float), with derivative 0."""
    def unary(
        self,
        fx: Callable[[float], float],
        dfx_dx: Callable[[float], float],
        d2fx_dx2: Callable[[float], float] | None = None,
        *,
        higher: Iterable[Callable[[float], float]] | None = None,
    ) -> MultiTrace:
        """A custom function of one argument, given as its value and its derivative.

        >>> t = MultiTrace.variable(2.0).unary(lambda x: x**3, lambda x: 3 * x**2)
        >>> (m.number, t.derivative)
        (8.0, 12.0)
        """
    def binary(
        self,
        other: MultiTrace | _Number,
        fxy: Callable[[float, float], float],
        dfxy_dx: Callable[[float, float], float],
        dfxy_dy: Callable[[float, float], float],
        d2fxy: Callable[[float, float], tuple[float, float, float]] | None = None,
    ) -> MultiTrace:
        """A custom function of two arguments (``self`` first), given as its value and partials."""

@final
class Jet:
    """A number with the Taylor coefficients of its value along one direction, to a fixed
    order: Taylor mode, the derivatives of every order up to it in one forward pass.

    ``Jet.variable(x, order)`` is ``x + t``; the result of any computation on it holds
    ``f(x + t)`` as a polynomial in ``t``: ``.coefficients[k]`` is ``f⁽ᵏ⁾(x) / k!`` and
    ``.derivatives[k]`` is ``f⁽ᵏ⁾(x)``. Coefficient 1 is what a Trace gives, bit for bit.

    >>> import wengert
    >>> x = Jet.variable(0.0, 4)
    >>> wengert.exp(x * 2.0).derivatives.tolist()
    [1.0, 2.0, 4.0, 8.0, 16.0]
    """

    __array_priority__: ClassVar[float]
    """Between numpy's scalars and arrays: ``numpy.float32(2) * x`` is left to this class."""

    def __new__(cls, coefficients: Iterable[SupportsFloat] | Buffer) -> Jet: ...
    @staticmethod
    def variable(x: float, order: SupportsIndex) -> Jet:
        """The variable ``x + t`` to ``order``: derivative 1 along the direction, the higher
        ones 0."""
    @staticmethod
    def constant(c: float, order: SupportsIndex) -> Jet:
        """The constant ``c`` to ``order``: every derivative 0."""
    @property
    def number(self) -> float:
        """The value."""
    @property
    def order(self) -> int:
        """The order: how many derivatives the Jet carries."""
    @property
    def coefficients(self) -> NDArray[np.float64]:
        """The Taylor coefficients ``f⁽ᵏ⁾ / k!``, ``k = 0..order``: a new float64 numpy array."""
    @property
    def derivatives(self) -> NDArray[np.float64]:
        """The derivatives ``f⁽ᵏ⁾``, ``k = 0..order`` (``k!`` times the coefficients): a new
        float64 numpy array."""
    def __reduce__(self) -> tuple[type[Jet], tuple[list[float]]]:
        """Pickles as ``Jet(coefficients)``, the coefficients as a list of floats."""
    def __copy__(self) -> Jet:
        """The Jet itself: it is immutable."""
    def __deepcopy__(self, memo: object, /) -> Jet:
        """The Jet itself: it is immutable."""
    def __add__(self, other: Jet | _Number, /) -> Jet: ...
    def __radd__(self, other: _Number, /) -> Jet: ...  # type: ignore[misc, unused-ignore]
    def __sub__(self, other: Jet | _Number, /) -> Jet: ...
    def __rsub__(self, other: _Number, /) -> Jet: ...  # type: ignore[misc, unused-ignore]
    def __mul__(self, other: Jet | _Number, /) -> Jet: ...
    def __rmul__(self, other: _Number, /) -> Jet: ...  # type: ignore[misc, unused-ignore]
    def __truediv__(self, other: Jet | _Number, /) -> Jet: ...
    def __rtruediv__(self, other: _Number, /) -> Jet: ...  # type: ignore[misc, unused-ignore]
    def __pow__(self, other: Jet | _Number, modulo: None = None, /) -> Jet: ...
    def __rpow__(self, other: _Number, modulo: None = None, /) -> Jet: ...  # type: ignore[misc, unused-ignore]
    def __neg__(self) -> Jet: ...
    def __pos__(self) -> Jet: ...
    def conjugate(self) -> Jet:
        """The number itself: a real number is its own complex conjugate (for numpy's
        ``std`` and ``var`` on object arrays)."""
    def __lt__(self, other: Jet | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __le__(self, other: Jet | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __gt__(self, other: Jet | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __ge__(self, other: Jet | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __bool__(self) -> bool:
        """True when the number is not 0, as for a float."""
    def __float__(self) -> float:
        """Always raises ImplicitConversionError: use ``.number`` or the wengert math functions."""
    def __int__(self) -> int:
        """Always raises ImplicitConversionError: use ``.number``."""
    def __format__(self, format_spec: str, /) -> str:
        """Formats the number, as ``format(j.number, format_spec)``."""
    # BEGIN GENERATED by scripts/generate_stubs.py from the list in src/functions.rs
    def sin(self) -> Jet:
        """The sine.

        ``wengert.sin`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def cos(self) -> Jet:
        """The cosine.

        ``wengert.cos`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def exp(self) -> Jet:
        """e raised to the power ``x``.

        ``wengert.exp`` as a method, with this number as ``x``; defined for ``x`` up to about 709.78
        (above, the value overflows).
        """
    def ln(self) -> Jet:
        """The natural logarithm.

        ``wengert.ln`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log(self) -> Jet:
        """The natural logarithm.

        ``wengert.ln`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def sqrt(self) -> Jet:
        """The square root.

        ``wengert.sqrt`` as a method, with this number as ``x``; defined for ``x ≥ 0``.
        """
    def __abs__(self) -> Jet:
        """The absolute value (its derivative at 0 is taken as 0).

        ``wengert.abs`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def pow(self, exponent: Jet | _Number) -> Jet:
        """``x`` raised to the power ``y``, with the rules of ``x ** y`` on floats.

        ``wengert.pow`` as a method, with this number as ``x``; defined for what ``x ** y`` of
        floats allows, but for a negative ``x`` to a fractional power (a complex number).
        """
    def tan(self) -> Jet:
        """The tangent.

        ``wengert.tan`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def asin(self) -> Jet:
        """The arc sine, in [-π/2, π/2].

        ``wengert.asin`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def arcsin(self) -> Jet:
        """The arc sine, in [-π/2, π/2].

        ``wengert.asin`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def acos(self) -> Jet:
        """The arc cosine, in [0, π].

        ``wengert.acos`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def arccos(self) -> Jet:
        """The arc cosine, in [0, π].

        ``wengert.acos`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def atan(self) -> Jet:
        """The arc tangent, in [-π/2, π/2].

        ``wengert.atan`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def arctan(self) -> Jet:
        """The arc tangent, in [-π/2, π/2].

        ``wengert.atan`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def atan2(self, x: Jet | _Number) -> Jet:
        """The angle of the point ``(x, y)``, in [-π, π], as :func:`math.atan2` (``y`` first).

        ``wengert.atan2`` as a method, with this number as ``y``; defined for every ``y`` and ``x``.
        """
    def arctan2(self, x: Jet | _Number) -> Jet:
        """The angle of the point ``(x, y)``, in [-π, π], as :func:`math.atan2` (``y`` first).

        ``wengert.atan2`` as a method, with this number as ``y``; defined for every ``y`` and ``x``.
        """
    def sinh(self) -> Jet:
        """The hyperbolic sine.

        ``wengert.sinh`` as a method, with this number as ``x``; defined for ``|x|`` up to about
        710.47 (above, the value overflows).
        """
    def cosh(self) -> Jet:
        """The hyperbolic cosine.

        ``wengert.cosh`` as a method, with this number as ``x``; defined for ``|x|`` up to about
        710.47 (above, the value overflows).
        """
    def tanh(self) -> Jet:
        """The hyperbolic tangent.

        ``wengert.tanh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def asinh(self) -> Jet:
        """The inverse hyperbolic sine.

        ``wengert.asinh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def arcsinh(self) -> Jet:
        """The inverse hyperbolic sine.

        ``wengert.asinh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def acosh(self) -> Jet:
        """The inverse hyperbolic cosine.

        ``wengert.acosh`` as a method, with this number as ``x``; defined for ``x ≥ 1``.
        """
    def arccosh(self) -> Jet:
        """The inverse hyperbolic cosine.

        ``wengert.acosh`` as a method, with this number as ``x``; defined for ``x ≥ 1``.
        """
    def atanh(self) -> Jet:
        """The inverse hyperbolic tangent.

        ``wengert.atanh`` as a method, with this number as ``x``; defined for ``-1 < x < 1``.
        """
    def arctanh(self) -> Jet:
        """The inverse hyperbolic tangent.

        ``wengert.atanh`` as a method, with this number as ``x``; defined for ``-1 < x < 1``.
        """
    def exp2(self) -> Jet:
        """2 raised to the power ``x``.

        ``wengert.exp2`` as a method, with this number as ``x``; defined for ``x < 1024`` (above,
        the value overflows).
        """
    def expm1(self) -> Jet:
        """``exp(x) - 1``, accurate near 0.

        ``wengert.expm1`` as a method, with this number as ``x``; defined for ``x`` up to about
        709.78 (above, the value overflows).
        """
    def log2(self) -> Jet:
        """The base-2 logarithm.

        ``wengert.log2`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log10(self) -> Jet:
        """The base-10 logarithm.

        ``wengert.log10`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log1p(self) -> Jet:
        """``ln(1 + x)``, accurate near 0.

        ``wengert.log1p`` as a method, with this number as ``x``; defined for ``x > -1``.
        """
    def cbrt(self) -> Jet:
        """The cube root (negative for a negative ``x``).

        ``wengert.cbrt`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def hypot(self, y: Jet | _Number) -> Jet:
        """The length ``sqrt(x² + y²)`` of the vector ``(x, y)``, as :func:`math.hypot` computes it.

        ``wengert.hypot`` as a method, with this number as ``x``; defined for every ``x`` and ``y``.
        """
    def erf(self) -> Jet:
        """The error function.

        ``wengert.erf`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def erfc(self) -> Jet:
        """The complementary error function ``1 - erf(x)``, accurate for large ``x``.

        ``wengert.erfc`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def floor(self) -> Jet:
        """The largest integer not above ``x``, as a float (not an int, as :func:`math.floor`
        gives), with derivative 0.

        ``wengert.floor`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    def ceil(self) -> Jet:
        """The smallest integer not below ``x``, as a float (not an int, as :func:`math.ceil`
        gives), with derivative 0.

        ``wengert.ceil`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    def trunc(self) -> Jet:
        """``x`` with its fraction dropped (towards 0), as a float (not an int, as
        :func:`math.trunc` gives), with derivative 0.

        ``wengert.trunc`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    # END GENERATED
    def __floor__(self) -> Jet:
        """``math.floor(self)``: as ``floor()``, but an infinity or NaN raises, as for a float."""
    def __ceil__(self) -> Jet:
        """``math.ceil(self)``: as ``ceil()``, but an infinity or NaN raises, as for a float."""
    def __trunc__(self) -> Jet:
        """``math.trunc(self)``: as ``trunc()``, but an infinity or NaN raises, as for a float."""
    def __round__(self, ndigits: SupportsIndex | None = None) -> Jet:
        """``round(self)`` or ``round(self, ndigits)``: the same kind, whose number is what
        ``round()`` gives for the float (as a float), with derivative 0."""
    def unary(
        self,
        fx: Callable[[float], float],
        dfx_dx: Callable[[float], float],
        d2fx_dx2: Callable[[float], float] | None = None,
        *,
        higher: Iterable[Callable[[float], float]] | None = None,
    ) -> Jet:
        """A custom function of one argument, given as its value and its derivatives: on a
        Jet of order 1, of order 2 with ``d2fx_dx2``, of any order ``k`` with ``d2fx_dx2``
        and ``higher`` (the third to ``k``-th derivatives, by the Taylor composition rule,
        Faà di Bruno's), or on a constant one. ValueError names the order missing.

        >>> import math
        >>> x = Jet.variable(0.5, 4)
        >>> y = x.unary(math.exp, math.exp, math.exp, higher=[math.exp, math.exp])
        >>> bool(abs(y.derivatives[4] - math.exp(0.5)) < 1e-15)
        True
        """
    def binary(
        self,
        other: Jet | _Number,
        fxy: Callable[[float, float], float],
        dfxy_dx: Callable[[float, float], float],
        dfxy_dy: Callable[[float, float], float],
        d2fxy: Callable[[float, float], tuple[float, float, float]] | None = None,
    ) -> Jet:
        """A custom function of two arguments (``self`` first), given as its value and partials."""

@final
class WengertList:
    """The tape of reverse mode: every operation performed on its Records, in order.

    >>> tape = WengertList()
    >>> x = tape.variable(3.0)
    >>> y = x * x
    >>> y.derivatives()[x]
    6.0
    """

    def __init__(self) -> None: ...
    def __len__(self) -> int:
        """The number of entries on the tape."""
    def variable(self, number: float) -> Record:
        """A new input on this tape."""
    def variables(self, numbers: Iterable[SupportsFloat] | Buffer) -> list[Record]:
        """Many new inputs at once, from any iterable or float64 buffer of numbers."""
    def clear(self) -> None:
        """Forget every entry so the tape can be reused; then ``reset()`` each live input."""
    def __reduce__(self) -> NoReturn:
        """Always raises TypeError: a tape cannot be pickled or copied."""

@final
class Record:
    """A number on a WengertList: reverse-mode automatic differentiation.

    Each operation on a variable Record appends one entry to its tape.
    """

    __array_priority__: ClassVar[float]
    """Between numpy's scalars and arrays: ``numpy.float32(2) * x`` is left to this class."""

    def __new__(cls, *_args: object, **_kwargs: object) -> Record:
        """Always raises TypeError: use ``tape.variable(x)`` or ``Record.constant(c)``."""

    @staticmethod
    def variable(number: float, history: WengertList) -> Record:
        """A new input on the tape ``history``; the same as ``history.variable(number)``."""
    @staticmethod
    def constant(number: float) -> Record:
        """A value on no tape: operations with it record nothing for it."""
    @property
    def number(self) -> float:
        """The value."""
    @property
    def index(self) -> int | None:
        """The position on the tape, or None for a constant."""
    @property
    def tape(self) -> WengertList | None:
        """The tape (the WengertList this record is on), or None for a constant."""
    @property
    def history(self) -> WengertList | None:
        """The tape, or None for a constant: the same as ``tape`` (the seed's name)."""
    def derivatives(self) -> Derivatives:
        """One backward sweep from this record: its derivatives with respect to every entry.

        Raises ConstantRecordError for a constant and StaleRecordError after a clear().
        """
    def try_derivatives(self) -> Derivatives | None:
        """As ``derivatives()``, but None for a constant."""
    def reset(self) -> None:
        """Put a record made before ``clear()`` back on its tape as a new input.

        Does nothing for a constant or for a record already on the current tape.
        """
    def __reduce__(self) -> NoReturn:
        """Always raises TypeError: a record is an entry of a tape that lives in this process."""
    def __copy__(self) -> Record:
        """The record itself: the same input or intermediate on the same tape."""
    def __deepcopy__(self, memo: object, /) -> Record:
        """The record itself: a copy would be the same entry of the same tape."""
    def __add__(self, other: Record | _Number, /) -> Record: ...
    def __radd__(self, other: _Number, /) -> Record: ...  # type: ignore[misc, unused-ignore]
    def __sub__(self, other: Record | _Number, /) -> Record: ...
    def __rsub__(self, other: _Number, /) -> Record: ...  # type: ignore[misc, unused-ignore]
    def __mul__(self, other: Record | _Number, /) -> Record: ...
    def __rmul__(self, other: _Number, /) -> Record: ...  # type: ignore[misc, unused-ignore]
    def __truediv__(self, other: Record | _Number, /) -> Record: ...
    def __rtruediv__(self, other: _Number, /) -> Record: ...  # type: ignore[misc, unused-ignore]
    def __pow__(self, other: Record | _Number, modulo: None = None, /) -> Record: ...
    def __rpow__(self, other: _Number, modulo: None = None, /) -> Record: ...  # type: ignore[misc, unused-ignore]
    def __neg__(self) -> Record: ...
    def __pos__(self) -> Record: ...
    def conjugate(self) -> Record:
        """The number itself: a real number is its own complex conjugate (for numpy's
        ``std`` and ``var`` on object arrays)."""
    def __lt__(self, other: Record | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __le__(self, other: Record | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __gt__(self, other: Record | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __ge__(self, other: Record | _Number, /) -> bool: ...  # type: ignore[misc, unused-ignore]
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __bool__(self) -> bool:
        """True when the number is not 0, as for a float."""
    def __float__(self) -> float:
        """Always raises ImplicitConversionError: use ``.number`` or the wengert math functions."""
    def __int__(self) -> int:
        """Always raises ImplicitConversionError: use ``.number``."""
    def __format__(self, format_spec: str, /) -> str:
        """Formats the number, as ``format(r.number, format_spec)``."""
    # BEGIN GENERATED by scripts/generate_stubs.py from the list in src/functions.rs
    def sin(self) -> Record:
        """The sine.

        ``wengert.sin`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def cos(self) -> Record:
        """The cosine.

        ``wengert.cos`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def exp(self) -> Record:
        """e raised to the power ``x``.

        ``wengert.exp`` as a method, with this number as ``x``; defined for ``x`` up to about 709.78
        (above, the value overflows).
        """
    def ln(self) -> Record:
        """The natural logarithm.

        ``wengert.ln`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log(self) -> Record:
        """The natural logarithm.

        ``wengert.ln`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def sqrt(self) -> Record:
        """The square root.

        ``wengert.sqrt`` as a method, with this number as ``x``; defined for ``x ≥ 0``.
        """
    def __abs__(self) -> Record:
        """The absolute value (its derivative at 0 is taken as 0).

        ``wengert.abs`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def pow(self, exponent: Record | _Number) -> Record:
        """``x`` raised to the power ``y``, with the rules of ``x ** y`` on floats.

        ``wengert.pow`` as a method, with this number as ``x``; defined for what ``x ** y`` of
        floats allows, but for a negative ``x`` to a fractional power (a complex number).
        """
    def tan(self) -> Record:
        """The tangent.

        ``wengert.tan`` as a method, with this number as ``x``; defined for finite ``x``.
        """
    def asin(self) -> Record:
        """The arc sine, in [-π/2, π/2].

        ``wengert.asin`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def arcsin(self) -> Record:
        """The arc sine, in [-π/2, π/2].

        ``wengert.asin`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def acos(self) -> Record:
        """The arc cosine, in [0, π].

        ``wengert.acos`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def arccos(self) -> Record:
        """The arc cosine, in [0, π].

        ``wengert.acos`` as a method, with this number as ``x``; defined for ``-1 ≤ x ≤ 1``.
        """
    def atan(self) -> Record:
        """The arc tangent, in [-π/2, π/2].

        ``wengert.atan`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def arctan(self) -> Record:
        """The arc tangent, in [-π/2, π/2].

        ``wengert.atan`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def atan2(self, x: Record | _Number) -> Record:
        """The angle of the point ``(x, y)``, in [-π, π], as :func:`math.atan2` (``y`` first).

        ``wengert.atan2`` as a method, with this number as ``y``; defined for every ``y`` and ``x``.
        """
    def arctan2(self, x: Record | _Number) -> Record:
        """The angle of the point ``(x, y)``, in [-π, π], as :func:`math.atan2` (``y`` first).

        ``wengert.atan2`` as a method, with this number as ``y``; defined for every ``y`` and ``x``.
        """
    def sinh(self) -> Record:
        """The hyperbolic sine.

        ``wengert.sinh`` as a method, with this number as ``x``; defined for ``|x|`` up to about
        710.47 (above, the value overflows).
        """
    def cosh(self) -> Record:
        """The hyperbolic cosine.

        ``wengert.cosh`` as a method, with this number as ``x``; defined for ``|x|`` up to about
        710.47 (above, the value overflows).
        """
    def tanh(self) -> Record:
        """The hyperbolic tangent.

        ``wengert.tanh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def asinh(self) -> Record:
        """The inverse hyperbolic sine.

        ``wengert.asinh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def arcsinh(self) -> Record:
        """The inverse hyperbolic sine.

        ``wengert.asinh`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def acosh(self) -> Record:
        """The inverse hyperbolic cosine.

        ``wengert.acosh`` as a method, with this number as ``x``; defined for ``x ≥ 1``.
        """
    def arccosh(self) -> Record:
        """The inverse hyperbolic cosine.

        ``wengert.acosh`` as a method, with this number as ``x``; defined for ``x ≥ 1``.
        """
    def atanh(self) -> Record:
        """The inverse hyperbolic tangent.

        ``wengert.atanh`` as a method, with this number as ``x``; defined for ``-1 < x < 1``.
        """
    def arctanh(self) -> Record:
        """The inverse hyperbolic tangent.

        ``wengert.atanh`` as a method, with this number as ``x``; defined for ``-1 < x < 1``.
        """
    def exp2(self) -> Record:
        """2 raised to the power ``x``.

        ``wengert.exp2`` as a method, with this number as ``x``; defined for ``x < 1024`` (above,
        the value overflows).
        """
    def expm1(self) -> Record:
        """``exp(x) - 1``, accurate near 0.

        ``wengert.expm1`` as a method, with this number as ``x``; defined for ``x`` up to about
        709.78 (above, the value overflows).
        """
    def log2(self) -> Record:
        """The base-2 logarithm.

        ``wengert.log2`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log10(self) -> Record:
        """The base-10 logarithm.

        ``wengert.log10`` as a method, with this number as ``x``; defined for ``x > 0``.
        """
    def log1p(self) -> Record:
        """``ln(1 + x)``, accurate near 0.

        ``wengert.log1p`` as a method, with this number as ``x``; defined for ``x > -1``.
        """
    def cbrt(self) -> Record:
        """The cube root (negative for a negative ``x``).

        ``wengert.cbrt`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def hypot(self, y: Record | _Number) -> Record:
        """The length ``sqrt(x² + y²)`` of the vector ``(x, y)``, as :func:`math.hypot` computes it.

        ``wengert.hypot`` as a method, with this number as ``x``; defined for every ``x`` and ``y``.
        """
    def erf(self) -> Record:
        """The error function.

        ``wengert.erf`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def erfc(self) -> Record:
        """The complementary error function ``1 - erf(x)``, accurate for large ``x``.

        ``wengert.erfc`` as a method, with this number as ``x``; defined for every ``x``.
        """
    def floor(self) -> Record:
        """The largest integer not above ``x``, as a float (not an int, as :func:`math.floor`
        gives), with derivative 0.

        ``wengert.floor`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    def ceil(self) -> Record:
        """The smallest integer not below ``x``, as a float (not an int, as :func:`math.ceil`
        gives), with derivative 0.

        ``wengert.ceil`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    def trunc(self) -> Record:
        """``x`` with its fraction dropped (towards 0), as a float (not an int, as
        :func:`math.trunc` gives), with derivative 0.

        ``wengert.trunc`` as a method, with this number as ``x``; defined for every ``x`` (an
        infinity or a NaN comes back as it is).
        """
    # END GENERATED
    def __floor__(self) -> Record:
        """``math.floor(self)``: as ``floor()``, but an infinity or NaN raises, as for a float."""
    def __ceil__(self) -> Record:
        """``math.ceil(self)``: as ``ceil()``, but an infinity or NaN raises, as for a float."""
    def __trunc__(self) -> Record:
        """``math.trunc(self)``: as ``trunc()``, but an infinity or NaN raises, as for a float."""
    def __round__(self, ndigits: SupportsIndex | None = None) -> Record:
        """``round(self)`` or ``round(self, ndigits)``: the same kind, whose number is what
        ``round()`` gives for the float (as a float), with derivative 0."""
    def unary(
        self,
        fx: Callable[[float], float],
        dfx_dx: Callable[[float], float],
        d2fx_dx2: Callable[[float], float] | None = None,
        *,
        higher: Iterable[Callable[[float], float]] | None = None,
    ) -> Record:
        """A custom function of one argument, given as its value and its derivative
        (``d2fx_dx2`` and ``higher`` serve second derivatives and Jets)."""
    def binary(
        self,
        other: Record | _Number,
        fxy: Callable[[float, float], float],
        dfxy_dx: Callable[[float, float], float],
        dfxy_dy: Callable[[float, float], float],
        d2fxy: Callable[[float, float], tuple[float, float, float]] | None = None,
    ) -> Record:
        """A custom function of two arguments (``self`` first), given as its value and partials."""

@final
class Derivatives:
    """The derivatives of one output Record with respect to every entry of its tape.

    Index it with an input (or intermediate) record: ``d[x]`` is ∂y/∂x. ``len(d)``,
    ``list(d)`` and ``numpy.asarray(d)`` give the derivatives by tape index.
    """

    def __new__(cls, *_args: object, **_kwargs: object) -> Derivatives:
        """Always raises TypeError: use ``y.derivatives()`` on an output Record ``y``."""
    def __getitem__(self, record: Record, /) -> float: ...
    def at(self, record: Record) -> float:
        """∂output/∂record, the same as ``self[record]``."""
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[float]: ...
    def __reduce__(self) -> NoReturn:
        """Always raises TypeError: Derivatives are indexed by the records of a live tape."""
    def __copy__(self) -> Derivatives:
        """These Derivatives themselves: they are immutable."""
    def __deepcopy__(self, memo: object, /) -> Derivatives:
        """These Derivatives themselves: they are immutable."""
    if sys.version_info >= (3, 12):
        def __buffer__(self, flags: int, /) -> memoryview:
            """The derivatives as a read-only buffer of float64 (``memoryview(d)``)."""
        def __release_buffer__(self, buffer: memoryview, /) -> None:
            """Release a view made by ``__buffer__``."""

# A point of a Recording: a number, or a 1-D sequence or array of numbers.
_Point = _Number | Iterable[SupportsFloat] | NDArray[Any]
# The form of a Recording's inputs: float for a number x0, else a float64 array.
_In = TypeVar("_In", float, NDArray[np.float64])

@final
class Recording(Generic[_In]):
    """A recorded function, replayed natively at new points.

    Made by ``wengert.record(f, x0)``. ``value``, ``gradient``, ``value_and_gradient``,
    ``jacobian``, ``hessian``, ``hvp`` and ``gradients`` re-evaluate the recorded
    operations at a new point ``x`` (of x0's form: a number, a sequence of n
    numbers, or an array of x0's shape; a flat vector for an n-D x0 is refused) with
    no Python per operation. A comparison the recorded code made that
    comes out differently at ``x`` raises BranchChangedError rather than giving an
    answer for the wrong branch.
    """

    def __new__(cls, *_args: object, **_kwargs: object) -> Recording[Any]:
        """Always raises TypeError: use ``wengert.record(f, x0)``."""
    def __class_getitem__(cls, item: Any) -> Any:
        """``Recording[float]``, ``Recording[numpy.ndarray]``: a generic alias."""
    def value(self, x: _Point) -> Any:
        """The value of f at ``x``: a float, or a float64 array when f returned a sequence."""
    def gradient(self, x: _Point) -> _In:
        """The gradient of f at ``x``: a float for a number x0, else an array of x0's shape."""
    def value_and_gradient(self, x: _Point) -> tuple[float, _In]:
        """``(value(x), gradient(x))``, from one replay."""
    def jacobian(self, x: _Point) -> NDArray[np.float64]:
        """The Jacobian of f at ``x``: shape (m, n), or (m, *x0.shape) for an array x0."""
    def hessian(self, x: _Point) -> _In:
        """The exact Hessian: a float, (n, n), or x0.shape * 2 for an array x0."""
    def hvp(self, x: _Point, v: _Point) -> _In:
        """The Hessian of f at ``x`` times ``v`` (of x's form), without forming the Hessian."""
    def taylor(self, x: _Point, direction: _Point, order: SupportsIndex) -> NDArray[np.float64]:
        """The derivatives ``d^k/dt^k f(x + t·direction)`` at ``t = 0`` for ``k = 0..order``.

        Taylor mode: a float64 array of shape ``(order + 1,)``, or ``(m, order + 1)`` when f
        returned a sequence of m numbers. ``order`` is an int from 0 to 170.

        >>> import wengert
        >>> wengert.record(wengert.exp, 0.0).taylor(0.0, 2.0, 3)
        array([1., 2., 4., 8.])
        """
    def third_derivative(self, x: _Point) -> _In:
        """The third derivatives of f at ``x`` (Taylor mode, interpolated over directions):
        a float for a number x0, else an (n, n, n) array (x0.shape * 3 for an array x0),
        ``T[i, j, k] = ∂³f/∂x_i∂x_j∂x_k``, from n³ + 2n² + 2n Taylor passes."""
    def hessian_derivative(self, x: _Point, v: _Point) -> _In:
        """The derivative of the Hessian along ``v``: ``M[i, j] = Σ_k T[i, j, k] v[k]``, a float
        for a number x0, else an (n, n) array (x0.shape * 2 for an array x0)."""
    def third_directional(self, x: _Point, u: _Point, v: _Point, w: _Point) -> float:
        """The third derivative of f at ``x`` along ``u``, ``v`` and ``w``:
        ``Σ T[i, j, k] u[i] v[j] w[k]``, from seven Taylor passes."""
    def gradients(
        self, xs: NDArray[Any] | Iterable[Iterable[SupportsFloat]]
    ) -> NDArray[np.float64]:
        """The gradient at every row of the 2-D array ``xs`` (rows of n = x0.size numbers)."""
    def values(self, xs: NDArray[Any] | Iterable[Iterable[SupportsFloat]]) -> NDArray[np.float64]:
        """The value at every row of ``xs``: shape (rows,), or (rows, m) for m outputs."""
    def value_and_gradients(
        self, xs: NDArray[Any] | Iterable[Iterable[SupportsFloat]]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """``(values(xs), gradients(xs))``, from one replay per row."""
    @overload
    def jacobian_sparsity(self, format: Literal["csr"] = "csr") -> Any:
        """The Jacobian's sparsity pattern: a scipy.sparse.csr_array of ones (m, n)."""
    @overload
    def jacobian_sparsity(
        self, format: Literal["coo"]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]: ...
    @overload
    def hessian_sparsity(self, format: Literal["csr"] = "csr") -> Any:
        """The Hessian's sparsity pattern (of every output): a csr_array of ones (n, n)."""
    @overload
    def hessian_sparsity(
        self, format: Literal["coo"]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]: ...
    @overload
    def sparse_jacobian(self, x: _Point, format: Literal["csr"] = "csr") -> Any:
        """The Jacobian at ``x`` by compressed passes: a scipy.sparse.csr_array (m, n), the
        inputs flat (n = x0.size, row-major): ``jacobian(x).reshape(m, -1)``."""
    @overload
    def sparse_jacobian(
        self, x: _Point, format: Literal["coo"]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]: ...
    @overload
    def sparse_jacobian(self, x: _Point, format: Literal["values"]) -> NDArray[np.float64]: ...
    @overload
    def sparse_hessian(
        self, x: _Point, weights: _Point | None = None, format: Literal["csr"] = "csr"
    ) -> Any:
        """The Hessian at ``x`` (of ``sum(weights[k] * f_k)`` with weights): a csr_array."""
    @overload
    def sparse_hessian(
        self, x: _Point, weights: _Point | None = None, *, format: Literal["coo"]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]: ...
    @overload
    def sparse_hessian(
        self, x: _Point, weights: _Point | None = None, *, format: Literal["values"]
    ) -> NDArray[np.float64]: ...
    @property
    def jacobian_colours(self) -> int:
        """The number of colours (compressed passes) of the sparse Jacobian."""
    @property
    def hessian_colours(self) -> int:
        """The number of colours (directions) of the sparse Hessian."""
    @property
    def n_inputs(self) -> int:
        """The number of inputs (1 for a number x0)."""
    @property
    def n_outputs(self) -> int:
        """The number of outputs (1 for a function returning one number)."""
    @property
    def n_comparisons(self) -> int:
        """How many comparisons of Records f made while it was recorded."""
    def compile(self) -> Recording[_In]:
        """Compile the recording to native code (in place, once) and return it.

        ``value``, ``gradient``, ``value_and_gradient``, ``jacobian`` (with at least as
        many inputs as outputs), ``values``, ``gradients``, ``value_and_gradients``,
        ``hvp``, ``hessian``, ``sparse_hessian`` and ``sparse_jacobian`` then run native
        code (Cranelift, in-process; the second derivatives' code, and the sparse
        Jacobian's forward passes, are compiled on their first call), with results equal
        bit for bit to the interpreter's and the same errors. Repeated stretches (a
        loop's iterations) compile once, as loops, so a long loop compiles in
        milliseconds. A recording with custom operations, with more than 8192 entries
        and comparisons left to write out once its loops are folded, of more than 2**24
        entries, or on a machine Cranelift does not support stays interpreted:
        ``not_compiled_reason`` says why. A compiled recording saved or pickled is
        compiled again when loaded.
        """
    @property
    def compiled(self) -> bool:
        """True when the recording's replays run native code (see ``compile``)."""
    @property
    def not_compiled_reason(self) -> str | None:
        """Why the replays run the interpreter, or None when the recording is compiled."""
    @property
    def x0(self) -> _In:
        """The point the recording was made at, in x0's form."""
    @property
    def escapes(self) -> list[str]:
        """The reads of Records' values the recording cannot follow (empty when none)."""
    def __len__(self) -> int:
        """The number of entries: operations recorded, inputs included."""
    def to_bytes(self) -> bytes:
        """The recording in its documented file format; TypeError for custom functions."""
    @staticmethod
    def from_bytes(data: Buffer) -> Recording[Any]:
        """The recording ``to_bytes()`` gave, every byte checked first (ValueError if bad)."""
    def save(self, path: str | PathLike[str]) -> None:
        """Write ``to_bytes()`` to the file at ``path``."""
    @staticmethod
    def load(path: str | PathLike[str]) -> Recording[Any]:
        """The recording saved at ``path`` (see ``from_bytes``)."""
    def __reduce__(self) -> tuple[Any, ...]:
        """Pickling: the recording's bytes, and custom operations' functions by reference."""
    def __copy__(self) -> Recording[_In]:
        """The recording itself: a recording does not change."""
    def __deepcopy__(self, memo: object) -> Recording[_In]:
        """The recording itself: a recording does not change."""

# The function arguments of wengert.custom: a float64 array of k in, floats out.
_BlockFunction = Callable[[NDArray[np.float64]], Any]

@final
class CustomOperation:
    """A custom operation of ``k`` inputs and ``m`` outputs, made by ``custom``.

    Call it with a sequence of ``k`` numbers of one mode (floats, Traces, MultiTraces,
    Jets or Records; plain floats and ints count as constants): it returns a list of
    ``m`` numbers of that mode (floats for plain floats), whose values are ``f(x)`` and
    whose derivatives follow from ``jacobian(x)`` (and ``hessian(x)`` for second
    derivatives). Values of different modes raise MixedModesError.
    """

    @overload
    def __call__(self, xs: Iterable[_Number]) -> list[float]: ...  # type: ignore[overload-overlap]
    @overload
    def __call__(self, xs: Iterable[Trace | _Number]) -> list[Trace]: ...  # type: ignore[overload-overlap]
    @overload
    def __call__(self, xs: Iterable[MultiTrace | _Number]) -> list[MultiTrace]: ...  # type: ignore[overload-overlap]
    @overload
    def __call__(self, xs: Iterable[Jet | _Number]) -> list[Jet]: ...  # type: ignore[overload-overlap]
    @overload
    def __call__(self, xs: Iterable[Record | _Number]) -> list[Record]: ...
    def __reduce__(self) -> tuple[Any, ...]:
        """Pickles as ``custom(f, jacobian, hessian, higher)``, the functions by reference."""
    def __repr__(self) -> str: ...

def custom(
    f: _BlockFunction,
    jacobian: _BlockFunction,
    hessian: _BlockFunction | None = None,
    higher: Iterable[_BlockFunction] | None = None,
) -> CustomOperation:
    """A custom operation of ``k`` inputs and ``m`` outputs, given by its functions.

    ``f(x)`` takes a float64 array of the ``k`` inputs' numbers and returns the ``m``
    outputs (a sequence or 1-D array of floats); ``jacobian(x)`` returns their partial
    derivatives as an array of shape ``(m, k)`` (``[j][i]`` is ``∂f_j/∂x_i``); ``hessian(x)``,
    optional, returns the second partials as an array of shape ``(m, k, k)`` (``[j][i][l]`` is
    ``∂²f_j/∂x_i∂x_l``). Shapes are checked at every call (ValueError, TypeError for
    what is not an array of floats); an exception of the user's functions propagates.

    On Records it is one entry per output on the tape, whose backward sweep reads the
    Jacobian; a recording calls ``f`` and ``jacobian`` (and ``hessian`` where second
    derivatives are asked for) again at each point, so ``value``, ``gradient``,
    ``jacobian`` and the sparse Jacobian go through it. With the Hessians, second
    derivatives do too: Jets of order 2, a recording's ``hessian``, ``hvp``, sparse
    Hessian and ``taylor`` to order 2 (each output depends on every input in the
    sparsity patterns). Without them those raise ValueError saying what to give; past
    order 2 (``taylor``, third derivatives) they raise it too. ``higher``, optional with
    the Hessians, gives the third, fourth, ... derivatives (``higher[0](x)`` of shape
    ``(m, k, k, k)``, and so on), with which Jets of any order go through the operation
    (by the Taylor composition rule; only the orders a Jet needs are called); a Jet past
    what was given raises ValueError naming what to give. A recording holding
    one pickles (its functions by reference); ``to_bytes`` refuses it.

    >>> import numpy as np
    >>> op = custom(
    ...     lambda x: [x[0] * x[1], x[0] + x[1] ** 2],
    ...     lambda x: [[x[1], x[0]], [1.0, 2 * x[1]]],
    ... )
    >>> op([2.0, 3.0])
    [6.0, 11.0]
    >>> u, v = op([Trace.variable(2.0), 3.0])
    >>> (u.derivative, v.derivative)
    (3.0, 1.0)
    """

@overload
def record(
    f: Callable[[Record], object], x0: _Number, *, compile: bool = False
) -> Recording[float]:
    """Record ``f`` at ``x0`` for replay: see ``Recording``.

    ``x0`` is a number, which ``f`` receives as one Record; a list, tuple or other
    iterable of numbers, which ``f`` receives as a list of Records; or a numpy array of
    any shape, which ``f`` receives as an object array of Records of that shape, so
    NumPy code (``x[1:] - x[:-1]**2``, ``np.sum(...)``) runs as written. Points given to
    the replays then have x0's form, and gradients come back in it. ``f`` returns a
    number or a 1-D sequence of numbers (Records, or floats for constants).

    With ``compile=True`` the recording is compiled to native code before it is
    returned (see ``Recording.compile``).

    >>> rec = record(lambda x: x * x * x, 2.0)
    >>> rec.value(3.0), rec.gradient(3.0), rec.hessian(3.0)
    (27.0, 27.0, 18.0)
    """

@overload
def record(
    f: Callable[[NDArray[np.object_]], object], x0: NDArray[Any], *, compile: bool = False
) -> Recording[NDArray[np.float64]]: ...
@overload
def record(
    f: Callable[[list[Record]], object], x0: Iterable[SupportsFloat], *, compile: bool = False
) -> Recording[NDArray[np.float64]]: ...
def _recording_from_pickle(
    data: Buffer, functions: Iterable[tuple[Callable[..., float], ...]]
) -> Recording[Any]:
    """Rebuild a pickled Recording (pickle calls it: see ``Recording.__reduce__``)."""
