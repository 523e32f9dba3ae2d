"""What the modules of the misuse matrix share.

The objects misused (a ``World`` of fresh records, traces and tapes) and the kinds of
wrong argument; how values are made at a number (receivers) and compared (bit for bit,
or the exception type); recordings of every kind; the shape of a category (a function
from a public name to its checks) and the categories more than one module uses; the walk
of the public names.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from conftest import math_function

import wengert
from wengert import Derivatives, MultiTrace, Record, Recording, Trace, WengertList

# ------------------------------------------------------------------ the objects misused


@dataclass
class World:
    """Fresh objects for one check: x and y on ``tape``, the rest to misuse them with."""

    tape: WengertList
    x: Record
    y: Record
    stale: Record  # on ``tape``, made before its clear()
    old_derivatives: Derivatives  # of ``tape``, from before its clear()
    foreign: Record  # on another tape
    constant: Record
    trace: Trace
    multi: MultiTrace  # k = 2
    cleared: WengertList  # a tape that was cleared (and so is empty)


def world() -> World:
    tape = WengertList()
    stale = tape.variable(5.0)
    old_derivatives = (stale * stale).derivatives()
    tape.clear()
    x, y = tape.variable(2.0), tape.variable(3.0)
    cleared = WengertList()
    cleared.variable(1.0)
    cleared.clear()
    return World(
        tape=tape,
        x=x,
        y=y,
        stale=stale,
        old_derivatives=old_derivatives,
        foreign=WengertList().variable(4.0),
        constant=Record.constant(6.0),
        trace=Trace.variable(7.0),
        multi=MultiTrace(7.0, [1.0, -2.0]),
        cleared=cleared,
    )


def not_numbers(w: World) -> dict[str, object]:
    """Arguments that are not numbers at all (nor a Trace or Record)."""
    return {
        "None": None,
        "str": "2.0",
        "bytes": b"2",
        "bytearray": bytearray(b"2"),
        "list": [2.0],
        "tuple": (2.0,),
        "dict": {"x": 2.0},
        "complex": 2j,
        "object": object(),
        "callable": math.sin,
        "tape": w.tape,
        "cleared tape": w.cleared,
        "derivatives": w.old_derivatives,
    }


# Numbers that are legitimate operands: the results must be what float and math give.
EDGE_FLOATS = [math.nan, math.inf, -math.inf, 0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 1e308, 5e-324]


EDGE_OPERANDS: list[float | int | bool] = [
    *EDGE_FLOATS,
    True,
    False,
    3,
    -2,
    2**53 + 1,
    10**400,
    -(10**400),
]


BOGUS = {"bogus_keyword": 1.0}


def same(a: float, b: float) -> bool:
    """Bit-for-bit equality of two floats (NaNs match each other)."""
    if math.isnan(a) and math.isnan(b):
        return True
    return struct.pack("<d", a) == struct.pack("<d", b)


def same_number(a: float, b: float) -> bool:
    """Equal as numbers (0.0 == -0.0), NaNs matching each other.

    Derivatives are compared so: reverse mode sums contributions into an adjoint that
    starts at +0.0, so where forward mode gives -0.0 it gives +0.0, the same number.
    """
    return a == b or (math.isnan(a) and math.isnan(b))


def outcome(f: Callable[..., Any], *args: Any) -> tuple[str, Any]:
    """("value", result) or ("error", exception type)."""
    try:
        return ("value", f(*args))
    except (ArithmeticError, ValueError, TypeError) as error:
        return ("error", type(error))


def raises(expected: type[BaseException], call: Callable[[], object], *words: str) -> BaseException:
    """Assert that ``call()`` raises ``expected`` with every one of ``words`` in its message."""
    with pytest.raises(expected) as excinfo:
        call()
    text = str(excinfo.value)
    for word in words:
        assert word in text, f"{word!r} not in the message {text!r}"
    return excinfo.value


def float_pow(a: float, b: float) -> float:
    """``a ** b`` on floats, with ValueError where float gives a complex number."""
    result = float(a) ** float(b)
    if isinstance(result, complex):
        raise ValueError("complex")
    return result


# ------------------------------------------------------------------ receivers


@dataclass
class Receiver:
    """A way to make a value of one class at a number, and the tape it records on."""

    name: str
    make: Callable[[float], Any]

    def __call__(self, number: float) -> tuple[Any, WengertList | None]:
        value = self.make(number)
        return value, getattr(value, "history", None)


def receivers(owner: str) -> list[Receiver]:
    if owner == "Trace":
        return [Receiver("Trace.variable", Trace.variable), Receiver("Trace(v, 2)", two_trace)]
    if owner == "MultiTrace":
        return [
            Receiver("MultiTrace(v, [1, -0.5, 0])", lambda v: MultiTrace(v, [1.0, -0.5, 0.0])),
            Receiver("MultiTrace.constant(v, 0)", lambda v: MultiTrace.constant(v, 0)),
        ]
    return [
        Receiver("tape.variable", lambda v: WengertList().variable(v)),
        Receiver("Record.constant", Record.constant),
    ]


def two_trace(v: float) -> Trace:
    return Trace(v, 2.0)


def other_modes(owner: str, w: World) -> list[Any]:
    """Values of the other modes: for a Trace a Record and a MultiTrace, and so on."""
    every = {"Trace": w.trace, "MultiTrace": w.multi, "Record": w.x}
    return [value for kind, value in every.items() if kind != owner]


def other_k(w: World) -> MultiTrace:
    """A MultiTrace with a different number of tangents than ``w.multi``."""
    return MultiTrace(1.5, [1.0, 0.0, 3.0])


def fresh(owner: str, w: World) -> Any:
    """A current value of the class ``owner``."""
    if owner == "WengertList":
        return w.tape
    if owner == "Derivatives":
        return (w.x * w.y).derivatives()
    if owner == "Recording":
        return recordings()["sequence"]
    return {"Trace": w.trace, "MultiTrace": w.multi, "Record": w.x}[owner]


def values_of(owner: str, w: World) -> list[Any]:
    """Every kind of value of the class ``owner``."""
    if owner == "Record":
        return [w.x, w.stale, w.constant, w.foreign]
    if owner == "MultiTrace":
        return [w.multi, MultiTrace.constant(math.nan, 0)]
    if owner == "Derivatives":
        return [w.old_derivatives, (w.x * w.y).derivatives()]
    if owner == "WengertList":
        return [w.tape, w.cleared]
    if owner == "Recording":
        return list(recordings().values())
    return [w.trace, Trace(-0.0, math.nan)]


TANGENTS = [1.0, -0.5, 0.0, 3.0]


def tangents_match_traces(
    multi: tuple[str, Any], traces: list[tuple[str, Any]], context: object
) -> None:
    """Tangent ``i`` of a MultiTrace result is the derivative of the Trace pass ``i``, bit
    for bit; an error is the same error."""
    for i, single in enumerate(traces):
        if single[0] == "error":
            assert multi == single, (context, i)
            continue
        assert multi[0] == "value", (context, multi)
        assert same(multi[1].number, single[1].number), context
        assert same(multi[1].derivative[i], single[1].derivative), (context, i)


def stale_at(number: float) -> tuple[Record, WengertList]:
    """A stale record (made before its tape's clear()) at ``number``, and its tape."""
    tape = WengertList()
    record = tape.variable(number)
    tape.clear()
    return record, tape


def tape_length_unchanged(w: World, call: Callable[[], object]) -> None:
    before = len(w.tape)
    try:
        call()
    finally:
        assert len(w.tape) == before, "a failed operation must record nothing"


# ------------------------------------------------------------------ functions and recordings


def square(v: Any) -> Any:
    return v * v


def product(v: Any) -> Any:
    return v[0] * v[1]


def recordings() -> dict[str, Recording[Any]]:
    """Recordings of every kind: of a number, of a sequence, with many outputs, and so on."""
    return {
        "number": wengert.record(square, 2.0),
        "sequence": wengert.record(product, [2.0, 3.0]),
        "outputs": wengert.record(lambda v: [v[0] * v[1], v[1]], [2.0, 3.0]),
        "escaped": wengert.record(lambda x: x * x.number, 2.0),
        "custom": wengert.record(lambda x: x.unary(math.sin, math.cos), 2.0),
        "guarded": wengert.record(lambda x: x if x > 0 else -x, 2.0),
    }


# ------------------------------------------------------------------ the references


def c_rounding(function: Callable[[float], Any]) -> Callable[[float], float]:
    """``floor``, ``ceil``, ``trunc`` as the C library gives them: a float, infinities
    and NaN unchanged, the sign of a zero kept."""
    return lambda v: float(function(float(v)))


# What each function of one argument must give, bit for bit.
UNARY_REFERENCES: dict[str, Callable[[float], float]] = {
    "sin": math.sin,
    "cos": math.cos,
    "exp": math.exp,
    "ln": math.log,
    "sqrt": math.sqrt,
    "abs": math.fabs,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "asinh": math.asinh,
    "acosh": math.acosh,
    "atanh": math.atanh,
    "exp2": math_function("exp2"),
    "expm1": math.expm1,
    "log": math.log,
    "log2": math.log2,
    "log10": math.log10,
    "log1p": math.log1p,
    "cbrt": math_function("cbrt"),
    "erf": math.erf,
    "erfc": math.erfc,
    "floor": c_rounding(np.floor),
    "ceil": c_rounding(np.ceil),
    "trunc": c_rounding(np.trunc),
}


# ------------------------------------------------------------------ categories


Case = tuple[str, Callable[[], None]]


Category = Callable[[str], list[Case]]


# The classes of numbers: each has every operator and math method.
NUMBER_CLASSES = ("Trace", "MultiTrace", "Record")


def split(name: str) -> tuple[str, str]:
    owner, _, attr = name.partition(".")
    return owner, attr


def method_call(attr: str) -> Callable[..., Any]:
    return lambda receiver, *args, **kwargs: getattr(receiver, attr)(*args, **kwargs)


def common_arity_cases(owner: str, attr: str, arguments: int) -> list[Case]:
    """Too many arguments and unknown keywords are TypeErrors that name the problem."""

    def too_many() -> None:
        w = world()
        args = [1.0] * (arguments + 1)
        raises(TypeError, lambda: getattr(fresh(owner, w), attr)(*args), "argument")

    def unknown_keyword() -> None:
        w = world()
        args = [1.0] * arguments
        raises(TypeError, lambda: getattr(fresh(owner, w), attr)(*args, **BOGUS), "keyword")

    return [("too many arguments", too_many), ("unknown keyword", unknown_keyword)]


def read_only(read: Callable[[Any], object]) -> Category:
    """A property: readable on every kind of value, never assignable."""

    def cases(name: str) -> list[Case]:
        owner, attr = split(name)

        def cannot_assign() -> None:
            w = world()
            value = fresh(owner, w)
            with pytest.raises(AttributeError):
                setattr(value, attr, 1.0)
            with pytest.raises(AttributeError):
                delattr(value, attr)

        def readable() -> None:
            w = world()
            for value in values_of(owner, w):
                read(value)

        return [("cannot assign", cannot_assign), ("readable", readable)]

    return cases


def keyword_and_arity(call: Callable[..., Any], positional: int) -> Category:
    """Extra positional arguments and unknown keywords are TypeErrors."""

    def cases(name: str) -> list[Case]:
        def too_many() -> None:
            raises(TypeError, lambda: call(*([1.0] * (positional + 1))), "argument")

        def unknown_keyword() -> None:
            args = [2.0] * positional
            raises(TypeError, lambda: call(*args, bogus_keyword=1), "keyword")

        return [("too many arguments", too_many), ("unknown keyword", unknown_keyword)]

    return cases


def combine(*categories: Category) -> Category:
    return lambda name: [case for category in categories for case in category(name)]


def custom(cases_for: Callable[[str, str], list[Case]]) -> Category:
    return lambda name: cases_for(*split(name))


def cases(entries: dict[str, Category]) -> list[Any]:
    """The checks of every entry of ``entries``, as pytest parameters named "name: case"."""
    return [
        pytest.param(check, id=f"{name}: {case}")
        for name, category in sorted(entries.items())
        for case, check in category(name)
    ]


# ------------------------------------------------------------------ the public names


# Attributes every class has that are not part of what a class offers its users.
NOT_API = {"__doc__", "__module__", "__new__", "__init__", "__weakref__", "__dict__"}


def public_names() -> set[str]:
    """``wengert.NAME`` for each name of ``__all__``; ``Class.attr`` for what each class defines."""
    names = set()
    for name in wengert.__all__:
        names.add(f"wengert.{name}")
        obj = getattr(wengert, name)
        if isinstance(obj, type) and not issubclass(obj, BaseException):
            names |= {f"{name}.{attr}" for attr in vars(obj) if attr not in NOT_API}
    return names
