"""NumPy's names for the elementary functions, on object arrays of Traces and Records."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import same_float

from wengert import Record, Trace, WengertList

from ._common import INF

NUMPY_UNARY = {
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arcsinh": "asinh",
    "arccosh": "acosh",
    "arctanh": "atanh",
    "log": "log",
    "exp": "exp",
    "sqrt": "sqrt",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "sinh": "sinh",
    "cosh": "cosh",
    "tanh": "tanh",
    "exp2": "exp2",
    "expm1": "expm1",
    "log2": "log2",
    "log10": "log10",
    "log1p": "log1p",
    "cbrt": "cbrt",
    "floor": "floor",
    "ceil": "ceil",
    "trunc": "trunc",
}


@pytest.mark.parametrize("numpy_name", list(NUMPY_UNARY))
def test_numpy_functions_work_on_object_arrays(numpy_name: str) -> None:
    name = NUMPY_UNARY[numpy_name]
    x = 1.5 if name == "acosh" else 0.5
    method = getattr(Trace.variable(x), name)()
    (result,) = getattr(np, numpy_name)(np.array([Trace.variable(x)], dtype=object))
    assert type(result) is Trace
    assert (result.number, result.derivative) == (method.number, method.derivative)
    tape = WengertList()
    r = tape.variable(x)
    (out,) = getattr(np, numpy_name)(np.array([r], dtype=object))
    assert type(out) is Record
    assert out.derivatives()[r] == method.derivative


@pytest.mark.parametrize(("numpy_name", "name"), [("arctan2", "atan2"), ("hypot", "hypot")])
def test_numpy_binary_functions_work_on_object_arrays(numpy_name: str, name: str) -> None:
    a = np.array([Trace.variable(0.5), Trace.variable(-2.0)], dtype=object)
    b = np.array([Trace.constant(2.0), 3.0], dtype=object)
    results = getattr(np, numpy_name)(a, b)
    for result, x, y in zip(results, (0.5, -2.0), (2.0, 3.0), strict=True):
        expected = getattr(Trace.variable(x), name)(y)
        assert (result.number, result.derivative) == (expected.number, expected.derivative)
    assert same_float(results[0].number, getattr(math, name)(0.5, 2.0))


@pytest.mark.parametrize("numpy_name", ["floor", "ceil", "trunc"])
def test_numpy_rounding_of_object_arrays_goes_through_math(numpy_name: str) -> None:
    """On object arrays NumPy calls math.floor and so on: an infinity raises, as for floats."""
    function = getattr(np, numpy_name)
    with pytest.raises(OverflowError):
        function(np.array([INF], dtype=object))
    with pytest.raises(OverflowError):
        function(np.array([Trace.variable(INF)], dtype=object))
    (finite,) = function(np.array([Trace.variable(-2.5)], dtype=object))
    assert (finite.number, finite.derivative) == (float(function(-2.5)), 0.0)
