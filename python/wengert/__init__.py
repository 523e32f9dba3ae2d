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

from wengert._core import (
    BranchChangedError,
    ConstantRecordError,
    Derivatives,
    EscapedValueError,
    ImplicitConversionError,
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
from wengert.real import (
    abs,
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cbrt,
    ceil,
    cos,
    cosh,
    erf,
    erfc,
    exp,
    exp2,
    expm1,
    floor,
    hypot,
    ln,
    log,
    log1p,
    log2,
    log10,
    pow,
    sin,
    sinh,
    sqrt,
    tan,
    tanh,
    trunc,
)
from wengert.sparse import sparse_hessian, sparse_jacobian

__all__ = [
    "BranchChangedError",
    "ConstantRecordError",
    "Derivatives",
    "EscapedValueError",
    "ImplicitConversionError",
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
    "derivative",
    "erf",
    "erfc",
    "exp",
    "exp2",
    "expm1",
    "floor",
    "grad",
    "hessian",
    "hvp",
    "hypot",
    "jacobian",
    "jvp",
    "ln",
    "log",
    "log1p",
    "log2",
    "log10",
    "pow",
    "record",
    "sin",
    "sinh",
    "sparse_hessian",
    "sparse_jacobian",
    "sqrt",
    "tan",
    "tanh",
    "trunc",
    "value_and_grad",
    "vjp",
]
