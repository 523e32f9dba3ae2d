"""The fuzz: every public callable with random arguments gives a value or a TypeError,
ValueError or ArithmeticError; no panic of the engine reaches Python."""

from __future__ import annotations

import math
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

import wengert
from wengert import Jet, MultiTrace, Trace

from ._common import World, other_k, public_names, recordings, split, world


def callables() -> st.SearchStrategy[Callable[..., object]]:
    results = st.one_of(st.floats(), st.integers(), st.none(), st.text(max_size=3), st.booleans())
    return results.map(lambda r: lambda *args: r)


def arguments(w: World) -> st.SearchStrategy[object]:
    objects = [
        w.x,
        w.y,
        w.stale,
        w.foreign,
        w.constant,
        w.trace,
        w.multi,
        other_k(w),
        w.tape,
        w.cleared,
        w.old_derivatives,
        Jet.variable(2.0, 2),
    ]
    return st.one_of(
        st.floats(),
        st.integers(min_value=-(10**400), max_value=10**400),
        st.booleans(),
        st.none(),
        st.text(max_size=3),
        st.binary(max_size=3),
        st.lists(st.one_of(st.floats(), st.integers(-5, 5)), max_size=4),
        st.dictionaries(st.text(max_size=2), st.floats(), max_size=2),
        st.complex_numbers(),
        st.sampled_from(objects),
        callables(),
    )


def callable_names() -> list[str]:
    return sorted(public_names())


@settings(max_examples=400)
@given(data=st.data(), name=st.sampled_from(callable_names()))
def test_fuzz_no_panic(data: st.DataObject, name: str) -> None:
    """Any method with any arguments: a value, or a TypeError/ValueError/ArithmeticError."""
    w = world()
    owner, attr = split(name)
    receivers_by_owner: dict[str, list[object]] = {
        "wengert": [wengert],
        "Trace": [w.trace, Trace(math.nan, math.inf)],
        "MultiTrace": [w.multi, other_k(w), MultiTrace.constant(math.nan, 0)],
        "Record": [w.x, w.stale, w.foreign, w.constant],
        "WengertList": [w.tape, w.cleared],
        "Derivatives": [w.old_derivatives, (w.x * w.y).derivatives()],
        "Recording": list(recordings().values()),
        "Jet": [Jet.variable(0.5, 3), Jet.constant(math.nan, 0), Jet([1.0, math.inf])],
        "CustomOperation": [
            wengert.custom(
                lambda x: [x[0] * x[-1]], lambda x: [[x[-1]] + [0.0] * (len(x) - 2) + [x[0]]]
            ),
        ],
    }
    receiver = data.draw(st.sampled_from(receivers_by_owner[owner]))
    target = getattr(receiver, attr)
    args = data.draw(st.lists(arguments(w), max_size=4))
    kwargs = data.draw(
        st.dictionaries(
            st.sampled_from(["bogus", "number", "history", "exponent"]), arguments(w), max_size=1
        )
    )
    if not callable(target):
        return
    if name == "MultiTrace.constant":
        # k tangents take 8k bytes: a huge k is a MemoryError, after a long wait for the
        # memory (as for [0.0] * k), which is no misuse to look for here
        args = [3 if isinstance(a, int) and abs(a) > 1000 else a for a in args]
    if attr == "__format__":
        args = [a for a in args if not isinstance(a, str)] or [
            "0"
        ]  # a width is float's to allocate
    # The functional API gives a function (vjp: a pair, the function second): call it too.
    more = data.draw(st.lists(arguments(w), max_size=3))
    try:
        result = target(*args, **kwargs)
        if attr == "vjp":
            result = result[1]
        if attr in ("grad", "value_and_grad", "jacobian", "vjp", "hessian"):
            result(*more)
    except (TypeError, ValueError, ArithmeticError):
        pass
    except BaseException as error:  # PanicException is a BaseException
        raise AssertionError(f"{name}{tuple(args)!r}: {type(error)!r} {error}") from error
