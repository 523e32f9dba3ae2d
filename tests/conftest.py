"""Shared settings and helpers for the wengert test suite.

The hypothesis profile is deterministic (``derandomize=True``): every run tries the
same examples, so a failure seen once is seen again.

Test modules import the helpers directly (``from conftest import approx``); pytest
puts this directory on ``sys.path`` because ``tests/`` is not a package. The suites
split by topic (``math_functions/``, ``misuse/``) are packages imported from here, and
their modules share what is theirs through the package's ``_common.py``.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable

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
