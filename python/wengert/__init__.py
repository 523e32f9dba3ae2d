"""wengert: exact derivatives of ordinary Python numeric code.

Forward mode: :class:`Trace`, a dual number, and :class:`MultiTrace`, which carries
the derivatives with respect to many inputs at once. Reverse mode: :class:`Record`
values on a :class:`WengertList` tape, read back through :class:`Derivatives`. The
math functions (:func:`sin`, :func:`exp`, :func:`atan2`, :func:`erf`, ... the elementary
functions of :mod:`math`) take floats, Traces, MultiTraces and Records alike.

>>> from wengert import Trace, WengertList, sin
>>> sin(Trace.variable(0.0)).derivative
1.0
>>> tape = WengertList()
>>> x = tape.variable(3.0)
>>> (x * x).derivatives()[x]
6.0

Record once, replay natively: :func:`record` runs a function once on Records and
returns a :class:`Recording`, which gives values, gradients, Jacobians and exact
Hessians at new points with no Python per operation.
"""

from wengert import real
from wengert._core import (
    BranchChangedError,
    ConstantRecordError,
    Derivatives,
    EscapedValueError,
    ImplicitConversionError,
    Jet,
    MixedModesError,
    MixedTapesError,
    MultiTrace,
    Record,
    Recording,
    StaleRecordError,
    TapeError,
    Trace,
    WengertList,
    __version__,
    record,
)
from wengert.functional import (
    derivative,
    grad,
    hessian,
    hvp,
    jacobian,
    jvp,
    value_and_grad,
    vjp,
)
from wengert.implicit import implicit
from wengert.real import *  # noqa: F403  (the math functions: real.__all__)

__all__ = [
    "BranchChangedError",
    "ConstantRecordError",
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
    "derivative",
    "grad",
    "hessian",
    "hvp",
    "implicit",
    "jacobian",
    "jvp",
    "record",
    "value_and_grad",
    "vjp",
]
__all__ += real.__all__  # the math functions: sin, exp, atan2, ...
