"""Shared settings and helpers for the wengert test suite.

The hypothesis profile is deterministic (``derandomize=True``): every run tries the
same examples, so a failure seen once is seen again.

Test modules import the helpers directly (``from conftest import approx``); pytest
puts this directory on ``sys.path`` because ``tests/`` is not a package. The suites
split by topic (``math_functions/``, ``misuse/``) are packages imported from here, and
their modules share what is theirs through the package's ``_common.py``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import struct
from collections.abc import Callable
from typing import cast

from hypothesis import HealthCheck, settings

settings.register_profile(
    "wengert",
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("wengert")


def central_difference(f: Callable[[float], float], x: float, h: float) -> float:
    """The central finite difference ``(f(x + h) - f(x - h)) / 2h``: error O(h²)."""
    return (f(x + h) - f(x - h)) / (2.0 * h)


def step_for(x: float) -> float:
    """A finite-difference step that balances truncation and rounding error near ``x``."""
    return 1e-5 * max(1.0, abs(x))


def approx(actual: float, expected: float, rel: float = 1e-12, abs_tol: float = 1e-12) -> bool:
    """True when ``actual`` is within ``rel`` (relative) or ``abs_tol`` (absolute) of ``expected``.

    Infinities must match exactly; a NaN never matches (a NaN derivative is always a bug here).
    """
    if math.isnan(actual) or math.isnan(expected):
        return False
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_tol)


def same_float(actual: float, expected: float) -> bool:
    """Bit-for-bit equality of two floats (0.0 differs from -0.0; equal NaNs match)."""
    return type(actual) is float and struct.pack("<d", actual) == struct.pack("<d", expected)


def math_function(name: str) -> Callable[[float], float]:
    """``math.NAME``. Python 3.10 has no ``math.cbrt`` nor ``math.exp2``: there, the C library
    function that ``math`` calls from 3.11 on, raising as ``math`` does (OverflowError
    "math range error" where a finite ``x`` overflows), so 3.10 is checked as strictly."""
    if hasattr(math, name):
        return cast(Callable[[float], float], getattr(math, name))
    function = getattr(ctypes.CDLL(ctypes.util.find_library("m")), name)
    function.restype, function.argtypes = ctypes.c_double, [ctypes.c_double]

    def reference(x: float) -> float:
        number = math.ldexp(x, 0)  # x converted (or refused) as math converts it
        result = float(function(number))
        if math.isinf(result) and math.isfinite(number):
            raise OverflowError("math range error")
        return result

    reference.__name__ = name
    return reference
