"""wengert: exact derivatives of ordinary Python numeric code.

Forward mode: :class:`Trace`, a dual number, and :class:`MultiTrace`, which carries
the derivatives with respect to many inputs at once. Reverse mode: :class:`Record`
values on a :class:`WengertList` tape, read back through :class:`Derivatives`. The
math functions (:func:`sin`, :func:`exp`, ...) take floats, Traces, MultiTraces and
Records alike.

>>> from wengert import Trace, WengertList, sin
>>> sin(Trace.variable(0.0)).derivative
1.0
>>> tape = WengertList()
>>> x = tape.variable(3.0)
>>> (x * x).derivatives()[x]
6.0
"""

from wengert._core import (
    ConstantRecordError,
    Derivatives,
    ImplicitConversionError,
    MixedModesError,
    MixedTapesError,
    MultiTrace,
    Record,
    StaleRecordError,
    TapeError,
    Trace,
    WengertList,
    __version__,
)
from wengert.functional import derivative
from wengert.real import abs, cos, exp, ln, pow, sin, sqrt

__all__ = [
    "ConstantRecordError",
    "Derivatives",
    "ImplicitConversionError",
    "MixedModesError",
    "MixedTapesError",
    "MultiTrace",
    "Record",
    "StaleRecordError",
    "TapeError",
    "Trace",
    "WengertList",
    "__version__",
    "abs",
    "cos",
    "derivative",
    "exp",
    "ln",
    "pow",
    "sin",
    "sqrt",
]
