"""What the suites of the elementary functions share: the table of one-argument functions
(each with the reference for its value and its exact derivative), and how an outcome (a
value or an exception type) is compared with math's."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from conftest import math_function, same_float
from hypothesis import strategies as st

INF = math.inf
NAN = math.nan
LN2 = math.log(2.0)
LN10 = math.log(10.0)
TWO_OVER_ROOT_PI = 2.0 / math.sqrt(math.pi)


def _numpy(function: Callable[[float], object]) -> Callable[[float], float]:
    """A NumPy function of floats (the C library's floor, ceil, trunc) as a float function."""
    return lambda x: float(function(x))  # type: ignore[arg-type]


# name -> (the reference for the value, the exact derivative). The derivatives are
# evaluated on numpy.float64 (see exact_derivative), so 1/0 is inf as in IEEE arithmetic.
UNARY: dict[str, tuple[Callable[[float], float], Callable[[np.float64], np.float64]]] = {
    "tan": (math.tan, lambda x: 1.0 + np.tan(x) * np.tan(x)),
    "asin": (math.asin, lambda x: 1.0 / np.sqrt((1.0 - x) * (1.0 + x))),
    "acos": (math.acos, lambda x: -1.0 / np.sqrt((1.0 - x) * (1.0 + x))),
    "atan": (math.atan, lambda x: 1.0 / (1.0 + x * x)),
    "sinh": (math.sinh, np.cosh),
    "cosh": (math.cosh, np.sinh),
    "tanh": (math.tanh, lambda x: (1.0 / np.cosh(x)) ** 2),
    "asinh": (math.asinh, lambda x: 1.0 / np.hypot(1.0, x)),
    "acosh": (math.acosh, lambda x: 1.0 / (np.sqrt(x - 1.0) * np.sqrt(x + 1.0))),
    "atanh": (math.atanh, lambda x: 1.0 / ((1.0 - x) * (1.0 + x))),
    "exp2": (math_function("exp2"), lambda x: np.exp2(x) * LN2),
    "expm1": (math.expm1, np.exp),
    "log2": (math.log2, lambda x: 1.0 / (x * LN2)),
    "log10": (math.log10, lambda x: 1.0 / (x * LN10)),
    "log1p": (math.log1p, lambda x: 1.0 / (1.0 + x)),
    "cbrt": (math_function("cbrt"), lambda x: 1.0 / (3.0 * np.cbrt(x) ** 2)),
    "erf": (math.erf, lambda x: TWO_OVER_ROOT_PI * np.exp(-x * x)),
    "erfc": (math.erfc, lambda x: -TWO_OVER_ROOT_PI * np.exp(-x * x)),
    "floor": (_numpy(np.floor), lambda x: np.float64(0.0)),
    "ceil": (_numpy(np.ceil), lambda x: np.float64(0.0)),
    "trunc": (_numpy(np.trunc), lambda x: np.float64(0.0)),
    # And sin, cos, exp, ln, log and sqrt, for the grid and the edge tables.
    "sin": (math.sin, np.cos),
    "cos": (math.cos, lambda x: -np.sin(x)),
    "exp": (math.exp, np.exp),
    "ln": (math.log, lambda x: 1.0 / x),
    "log": (math.log, lambda x: 1.0 / x),
    "sqrt": (math.sqrt, lambda x: 0.5 / np.abs(np.sqrt(x))),
}


UNARY_PARAMS = list(UNARY)

# Every edge: signed zeros, subnormals, the ends of the domains and just beyond, the
# overflow thresholds, infinities and NaN.


def outcome(function: Callable[..., float], *arguments: object) -> float | type[BaseException]:
    """``function(*arguments)``, or the type of the exception it raised."""
    try:
        return function(*arguments)
    except (ValueError, OverflowError, ZeroDivisionError) as error:
        return type(error)


def same_outcome(actual: float | type[BaseException], expected: object) -> bool:
    if isinstance(expected, type):
        return actual is expected
    assert isinstance(expected, float)
    if not isinstance(actual, float):
        return False
    return (math.isnan(actual) and math.isnan(expected)) or same_float(actual, expected)


finite_floats = st.floats(allow_nan=False, allow_infinity=False)
any_floats = st.floats(allow_nan=True, allow_infinity=True)


def inside(name: str, x: float) -> bool:
    """Whether ``x`` is in the domain of the function ``name`` (math gives a value there)."""
    return isinstance(outcome(UNARY[name][0], x), float)
