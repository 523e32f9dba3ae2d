"""min and max of Traces and Records: the derivative of the argument they choose."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wengert import Trace, WengertList


@pytest.mark.parametrize("choose", [min, max])
def test_min_and_max_pass_the_derivative_of_the_chosen_argument(
    choose: Callable[..., object],
) -> None:
    low, high = 1.0, 3.0
    chosen_is_first = choose is min
    t = choose(Trace.variable(low), Trace.constant(high))
    assert isinstance(t, Trace)
    assert t.derivative == (1.0 if chosen_is_first else 0.0)
    tape = WengertList()
    a, b = tape.variables([low, high])
    out = choose(a, b)
    assert out is (a if chosen_is_first else b)
    d = (out * 1.0).derivatives()
    assert (d[a], d[b]) == ((1.0, 0.0) if chosen_is_first else (0.0, 1.0))


@pytest.mark.parametrize("choose", [min, max])
def test_min_and_max_of_a_tie_choose_the_first_argument(choose: Callable[..., object]) -> None:
    """As for floats: on a tie, min and max return their first argument."""
    t = choose(Trace(2.0, 1.0), Trace(2.0, 5.0))
    assert isinstance(t, Trace) and t.derivative == 1.0
    t = choose(Trace(2.0, 5.0), Trace(2.0, 1.0), Trace(2.0, 7.0))
    assert isinstance(t, Trace) and t.derivative == 5.0
    tape = WengertList()
    a, b = tape.variables([2.0, 2.0])
    assert choose(a, b) is a
    d = (choose(a, b) * 1.0).derivatives()
    assert (d[a], d[b]) == (1.0, 0.0)
    assert choose(b, a) is b


def test_min_with_a_float_that_wins_gives_the_float() -> None:
    """A float has derivative 0: returning it unchanged is right."""
    assert min(Trace.variable(5.0), 2.0) == 2.0
    assert type(min(Trace.variable(5.0), 2.0)) is float
