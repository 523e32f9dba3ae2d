"""wengert: exact derivatives of ordinary Python numeric code.

Forward mode: :class:`Trace`, a dual number. Reverse mode: :class:`Record` values
on a :class:`WengertList` tape, read back through :class:`Derivatives`. The math
functions (:func:`sin`, :func:`exp`, ...) take floats, Traces and Records alike.

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
    Record,
    StaleRecordError,
    TapeError,
    Trace,
    WengertList,
    __version__,
)
from wengert.functional import derivative, grad, jacobian, jvp, value_and_grad, vjp
from wengert.real import abs, cos, exp, ln, pow, sin, sqrt

__all__ = [
    "ConstantRecordError",
    "Derivatives",
    "ImplicitConversionError",
    "MixedModesError",
    "MixedTapesError",
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
    "grad",
    "jacobian",
    "jvp",
    "ln",
    "pow",
    "sin",
    "sqrt",
    "value_and_grad",
    "vjp",
]
