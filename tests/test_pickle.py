"""Pickling and copying.

Trace and MultiTrace are plain values: they pickle with every protocol and copy as
themselves (they are immutable). A Record, its Derivatives and a WengertList belong to a
tape that lives in one process: pickling them raises TypeError saying what to pickle
instead. Records and Derivatives are immutable, so copy.copy and copy.deepcopy give the
object itself; a WengertList (which changes as it records) cannot be copied at all.
"""

from __future__ import annotations

import copy
import math
import pickle

import pytest
from conftest import same_float

from wengert import Derivatives, MultiTrace, Record, Trace, WengertList

PROTOCOLS = list(range(pickle.HIGHEST_PROTOCOL + 1))
SPECIAL = [0.0, -0.0, 1.5, -2.25e-308, 5e-324, 1.7976931348623157e308, math.inf, -math.inf]


def same_or_both_nan(a: float, b: float) -> bool:
    return same_float(a, b) or (math.isnan(a) and math.isnan(b))


@pytest.mark.parametrize("protocol", PROTOCOLS)
@pytest.mark.parametrize("number", [*SPECIAL, math.nan])
def test_trace_pickles_with_every_protocol(protocol: int, number: float) -> None:
    for derivative in [*SPECIAL, math.nan]:
        t = Trace(number, derivative)
        back = pickle.loads(pickle.dumps(t, protocol=protocol))
        assert type(back) is Trace
        assert same_or_both_nan(back.number, number)
        assert same_or_both_nan(back.derivative, derivative)


@pytest.mark.parametrize("protocol", PROTOCOLS[1:])
def test_trace_pickles_bit_for_bit_with_binary_protocols(protocol: int) -> None:
    # From protocol 1 on, floats are written as their 8 bytes: even a NaN's sign survives.
    # (Protocol 0 writes repr(), which keeps NaN a NaN: the test above.)
    t = Trace(-math.nan, -0.0)
    back = pickle.loads(pickle.dumps(t, protocol=protocol))
    assert same_float(back.number, -math.nan)
    assert same_float(back.derivative, -0.0)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_multi_trace_pickles_with_every_protocol(protocol: int) -> None:
    derivative = [*SPECIAL, math.nan]
    for number in [*SPECIAL, math.nan]:
        m = MultiTrace(number, derivative)
        back = pickle.loads(pickle.dumps(m, protocol=protocol))
        assert type(back) is MultiTrace
        assert back.k == m.k
        assert same_or_both_nan(back.number, number)
        for a, b in zip(back.derivative.tolist(), derivative, strict=True):
            assert same_or_both_nan(a, b)


def test_pickled_values_keep_working() -> None:
    x, y = MultiTrace.variables([3.0, 2.0])
    x2, y2 = pickle.loads(pickle.dumps([x, y]))
    assert (x2 * y2).derivative.tolist() == [2.0, 3.0]
    assert (x2 * y).derivative.tolist() == [2.0, 3.0]
    t = pickle.loads(pickle.dumps(Trace.variable(3.0)))
    assert (t * t).derivative == 6.0
    empty = pickle.loads(pickle.dumps(MultiTrace.constant(1.0, 0)))
    assert (empty.number, empty.k) == (1.0, 0)


@pytest.mark.parametrize("copier", [copy.copy, copy.deepcopy])
def test_traces_copy_as_themselves(copier: object) -> None:
    assert callable(copier)
    for value in (Trace(-0.0, math.nan), MultiTrace(math.inf, [-0.0, math.nan])):
        duplicate = copier(value)
        assert duplicate is value
        assert same_float(duplicate.number, value.number)
    values = [Trace.variable(1.0), MultiTrace.constant(2.0, 3)]
    deep = copy.deepcopy(values)
    assert deep is not values
    assert deep[0] is values[0] and deep[1] is values[1]


def test_record_refuses_pickling_and_says_what_to_do() -> None:
    tape = WengertList()
    x = tape.variable(3.0)
    for record in (x, x * x):
        for protocol in PROTOCOLS:
            with pytest.raises(TypeError, match=r"live WengertList.*record\.number"):
                pickle.dumps(record, protocol=protocol)
    for protocol in PROTOCOLS:
        with pytest.raises(TypeError, match=r"constant.*record\.number.*Record\.constant"):
            pickle.dumps(Record.constant(1.0), protocol=protocol)
    assert len(tape) == 2


def test_record_copies_as_itself() -> None:
    tape = WengertList()
    x = tape.variable(3.0)
    assert copy.copy(x) is x
    assert copy.deepcopy(x) is x
    inputs = {"x": x}
    deep = copy.deepcopy(inputs)
    assert deep["x"] is x
    assert (deep["x"] * 2.0).derivatives()[x] == 2.0
    assert len(tape) == 2  # copying records nothing


def test_derivatives_refuse_pickling_and_copy_as_themselves() -> None:
    tape = WengertList()
    x = tape.variable(3.0)
    d = (x * x).derivatives()
    assert isinstance(d, Derivatives)
    with pytest.raises(TypeError, match=r"numpy\.asarray\(d\)"):
        pickle.dumps(d)
    assert copy.copy(d) is d
    assert copy.deepcopy(d) is d
    assert copy.deepcopy(d)[x] == 6.0


def test_wengert_list_refuses_pickling_and_copying() -> None:
    tape = WengertList()
    tape.variable(1.0)
    for attempt in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="WengertList cannot be pickled or copied"):
            attempt(tape)
    assert len(tape) == 1
