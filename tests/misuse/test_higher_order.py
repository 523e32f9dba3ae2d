# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""Higher orders: ``Recording.taylor`` given points and directions that are not numbers or
not of x0's form, bools, NaN and infinities, orders that are not ints from 0 to 170, and
recordings whose branches, escapes or custom operations refuse them; and every name of
``Jet``: at order 1 each operation is a Trace's, bit for bit (errors too, at the edge
floats), at order 4 it is ``Recording.taylor``'s, and it refuses other modes and Jets of
another order."""

from __future__ import annotations

import copy
import math
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import wengert
from wengert import (
    BranchChangedError,
    EscapedValueError,
    ImplicitConversionError,
    Jet,
    MixedModesError,
    MultiTrace,
    Trace,
    WengertList,
)

from ._common import (
    EDGE_FLOATS,
    Case,
    Category,
    cases,
    common_arity_cases,
    custom,
    raises,
    recordings,
    same,
    same_number,
    world,
)
from .test_recording import not_points


def taylor_cases(owner: str, attr: str) -> list[Case]:
    """Recording.taylor(x, direction, order)."""

    def not_a_point() -> None:
        w = world()
        rec = recordings()
        for kind, bad in not_points(w).items():
            try:
                raises(TypeError, lambda: rec["number"].taylor(bad, 1.0, 2), "x must be a number")
                raises(
                    TypeError,
                    lambda: rec["number"].taylor(2.0, bad, 2),
                    "direction must be a number",
                )
                raises(TypeError, lambda: rec["sequence"].taylor(bad, [1.0, 1.0], 2), "x")
                raises(TypeError, lambda: rec["sequence"].taylor([1.0, 1.0], bad, 2), "direction")
            except AssertionError as failure:
                raise AssertionError(f"{kind}: {failure}") from None
        raises(TypeError, lambda: rec["sequence"].taylor(2.0, 1.0, 2), "sequence of 2", "x0")

    def wrong_length() -> None:
        rec = recordings()["sequence"]
        for bad in ([2.0], [], np.ones(3)):
            raises(ValueError, lambda: rec.taylor(bad, [1.0, 1.0], 2), "the recording has 2 inputs")
            raises(ValueError, lambda: rec.taylor([1.0, 1.0], bad, 2), "direction has")

    def bools() -> None:
        rec = recordings()
        for bad in (True, np.bool_(False)):
            raises(TypeError, lambda: rec["number"].taylor(bad, 1.0, 2), "bool")
            raises(TypeError, lambda: rec["number"].taylor(1.0, bad, 2), "bool")

    def edges() -> None:
        rec = recordings()
        for v in (math.nan, math.inf, -math.inf):
            raises(ValueError, lambda: rec["number"].taylor(v, 1.0, 2), "finite")
            raises(ValueError, lambda: rec["number"].taylor(1.0, v, 2), "direction", "finite")
            raises(
                ValueError,
                lambda: rec["sequence"].taylor([1.0, v], [1.0, 1.0], 2),
                "x[1]",
                "finite",
            )
        # square along 0.5: [v², v, 0.5, 0], the derivative as forward mode rounds it.
        for v in (0.0, -0.0, 5e-324, 1e154, -2.5, 3, np.float32(1.5), np.int64(-2)):
            got = rec["number"].taylor(v, 0.5, 3).tolist()
            expected = [float(v) * float(v), 2 * (float(v) * 0.5), 0.5, 0.0]
            assert all(same_number(a, b) for a, b in zip(got, expected, strict=True)), (v, got)
        for v in (10**400, -(10**400)):
            raises(OverflowError, lambda: rec["number"].taylor(v, 1.0, 2), "too large")

    def orders() -> None:
        rec = recordings()["number"]
        for bad in (-1, 171, 10**30):
            raises(ValueError, lambda: rec.taylor(2.0, 1.0, bad), "order must be from 0 to 170")
        for bad in (2.0, True, "2", None, np.float64(2.0)):
            raises(TypeError, lambda: rec.taylor(2.0, 1.0, bad), "order must be an int")
        assert rec.taylor(2.0, 1.0, np.int64(1)).tolist() == [4.0, 4.0]
        assert rec.taylor(2.0, 1.0, 0).tolist() == [4.0]
        assert len(rec.taylor(2.0, 1.0, 170)) == 171

    def branches_and_escapes() -> None:
        rec = recordings()
        raises(BranchChangedError, lambda: rec["guarded"].taylor(-1.0, 1.0, 2), "x > 0.0")
        raises(EscapedValueError, lambda: rec["escaped"].taylor(3.0, 1.0, 2), ".number")
        assert rec["escaped"].taylor(2.0, 1.0, 1).tolist() == [4.0, 2.0]  # x * 2.0

    def outputs() -> None:
        result = recordings()["outputs"].taylor([4.0, 5.0], [1.0, 0.0], 2)
        assert result.tolist() == [[20.0, 5.0, 0.0], [5.0, 0.0, 0.0]]

    def custom_operations() -> None:
        rec = recordings()["custom"]
        assert rec.taylor(1.0, 1.0, 1).tolist() == [math.sin(1.0), math.cos(1.0)]
        raises(ValueError, lambda: rec.taylor(1.0, 1.0, 2), "unary() or binary()", "taylor()")
        raises(ValueError, lambda: rec.taylor(1.0, 1.0, 3), "unary() or binary()", "taylor()")

    return [
        ("not a point", not_a_point),
        ("wrong length", wrong_length),
        ("bools", bools),
        ("edges", edges),
        ("orders", orders),
        ("branches and escapes", branches_and_escapes),
        ("outputs", outputs),
        ("custom operations", custom_operations),
        *common_arity_cases(owner, attr, 3),
    ]


def third_cases(owner: str, attr: str) -> list[Case]:
    """third_derivative(x), hessian_derivative(x, v), third_directional(x, u, v, w)."""
    directions = {"third_derivative": 0, "hessian_derivative": 1, "third_directional": 3}[attr]

    def call(rec: Any, x: Any, *d: Any) -> Any:
        direction = d[0] if d else rec.x0
        return getattr(rec, attr)(x, *([direction] * directions))

    def points_and_directions() -> None:
        w = world()
        rec = recordings()
        for kind, bad in not_points(w).items():
            try:
                raises(TypeError, lambda: call(rec["number"], bad), "x must be a number")
                raises(TypeError, lambda: call(rec["sequence"], bad), "x")
                if directions:
                    raises(TypeError, lambda: call(rec["number"], 2.0, bad), "must be a number")
            except AssertionError as failure:
                raise AssertionError(f"{kind}: {failure}") from None
        raises(ValueError, lambda: call(rec["sequence"], [1.0]), "the recording has 2 inputs")
        raises(ValueError, lambda: call(rec["number"], math.nan), "finite")
        raises(TypeError, lambda: call(rec["number"], True), "bool")
        if directions:
            raises(ValueError, lambda: call(rec["sequence"], [1.0, 2.0], [1.0]), "has 1 numbers")
            raises(ValueError, lambda: call(rec["number"], 2.0, math.inf), "finite")

    def values() -> None:
        rec = recordings()
        # v * v: third derivatives 0; v[0] * v[1]: 0.
        assert call(rec["number"], 3.0) == 0.0
        assert np.all(np.asarray(call(rec["sequence"], [1.0, 2.0])) == 0.0)
        cube = wengert.record(lambda v: v * v * v, 1.0)
        assert call(cube, -4.0, 1.0) == 6.0

    def refusals() -> None:
        rec = recordings()
        raises(ValueError, lambda: call(rec["outputs"], [4.0, 5.0]), "one output")
        raises(ValueError, lambda: call(rec["custom"], 1.0), "unary() or binary()")
        raises(BranchChangedError, lambda: call(rec["guarded"], -1.0), "x > 0.0")
        raises(EscapedValueError, lambda: call(rec["escaped"], 3.0), ".number")

    return [
        ("points and directions", points_and_directions),
        ("values", values),
        ("refusals", refusals),
        *common_arity_cases(owner, attr, 1 + directions),
    ]


def implicit_cases(owner: str, attr: str) -> list[Case]:
    """wengert.implicit(g, y_star, p) given what is not a residual, a solution or parameters."""

    def g(y: Any, p: Any) -> Any:
        return y * y - p

    def misuse() -> None:
        w = world()
        raises(TypeError, lambda: wengert.implicit(None, 1.0, 1.0), "g must be a function")  # type: ignore[arg-type]
        for bad in ("a", None, w.trace, w.x):
            raises(TypeError, lambda: wengert.implicit(g, bad, 1.0), "y_star must be a float")
        raises(ValueError, lambda: wengert.implicit(g, math.nan, 1.0), "finite")
        raises(ValueError, lambda: wengert.implicit(g, 3.0, Trace.variable(4.0)), "does not solve")
        raises(ValueError, lambda: wengert.implicit(g, 0.0, Trace.variable(0.0)), "singular")
        raises(
            ValueError,
            lambda: wengert.implicit(lambda u, p: u[0] - p, [1.0, 1.0], 1.0),
            "per unknown",
        )
        raises(TypeError, lambda: wengert.implicit(g, 2.0, "4"), "")
        raises(
            ValueError, lambda: wengert.implicit(g, 2.0, Trace.variable(4.0), order=True), "order"
        )  # type: ignore[arg-type]
        raises(TypeError, lambda: wengert.implicit(g, 2.0), "p")  # type: ignore[call-arg]

    def every_mode() -> None:
        w = world()
        assert wengert.implicit(g, 2.0, 4.0) == 2.0
        assert wengert.implicit(g, 2.0, Trace.variable(4.0)).derivative == 0.25
        assert wengert.implicit(g, 2.0, MultiTrace.variables([4.0])[0]).derivative.tolist() == [
            0.25
        ]
        assert wengert.implicit(g, 2.0, Jet.variable(4.0, 2)).derivatives.tolist() == [
            2.0,
            0.25,
            -1 / 32,
        ]
        y = wengert.implicit(g, 2.0, w.x * 0.0 + 4.0)
        assert y.derivatives()[w.x] == 0.0
        raises(
            MixedModesError,
            lambda: wengert.implicit(
                lambda y, p: y * y - p[0] - p[1], 2.0, [Trace.variable(2.0), Jet.variable(2.0, 1)]
            ),
        )

    return [("misuse", misuse), ("every mode", every_mode)]


# The methods of two arguments (from the list of elementary functions) and the operators.
BINARY_METHODS = {m for f in wengert._core._FUNCTIONS if len(f[1]) == 2 for m in f[2]}
OPERATORS = {f"__{op}__" for op in ("add", "sub", "mul", "truediv", "pow")}
REFLECTED = {f"__r{op[2:]}" for op in OPERATORS}
COMPARISONS = {f"__{op}__" for op in ("lt", "le", "gt", "ge", "eq", "ne")}
UNARY_METHODS = {m for f in wengert._core._FUNCTIONS if len(f[1]) == 1 for m in f[2]}
UNARY_METHODS |= {"__neg__", "__pos__", "__abs__", "conjugate", "__floor__", "__ceil__"}
UNARY_METHODS |= {"__trunc__", "__round__", "__bool__", "__hash__", "__str__"}


def outcome_of(call: Any) -> tuple[str, Any]:
    try:
        return ("value", call())
    except (ArithmeticError, ValueError, TypeError) as error:
        return ("error", type(error))


def agrees_with_trace(jet: tuple[str, Any], trace: tuple[str, Any], context: object) -> None:
    """A Jet's result of order 1 is the Trace's: coefficient 1 its derivative, bit for bit."""
    assert jet[0] == trace[0], (context, jet, trace)
    if jet[0] == "error":
        assert jet[1] == trace[1], (context, jet, trace)
    elif isinstance(trace[1], Trace):
        assert isinstance(jet[1], Jet) and jet[1].order == 1, context
        assert same(jet[1].number, trace[1].number), (context, jet[1], trace[1])
        assert same(jet[1].coefficients[1], trace[1].derivative), (context, jet[1], trace[1])
    elif isinstance(trace[1], float) and math.isnan(trace[1]):
        assert math.isnan(jet[1]), context
    else:
        assert jet[1] == trace[1], (context, jet[1], trace[1])


def jet_operation_cases(owner: str, attr: str) -> list[Case]:
    """An operation of a Jet against a Trace's (order 1) and the recording's Taylor mode."""
    binary = attr in BINARY_METHODS | OPERATORS | REFLECTED | COMPARISONS

    def call(x: Any, *args: Any) -> Any:
        return getattr(x, attr)(*args)

    def like_a_trace() -> None:
        for v in EDGE_FLOATS:
            if attr == "__hash__" and math.isnan(v):
                continue  # NaN hashes by identity, as a float NaN does
            if not binary:
                got = outcome_of(lambda: call(Jet.variable(v, 1)))
                agrees_with_trace(got, outcome_of(lambda: call(Trace.variable(v))), v)
                continue
            for c in (0.0, -1.5, 2.0, math.inf, math.nan):
                got = outcome_of(lambda: call(Jet.variable(v, 1), c))
                agrees_with_trace(got, outcome_of(lambda: call(Trace.variable(v), c)), (v, c))
                if attr in REFLECTED:
                    continue
                got = outcome_of(lambda: call(Jet.variable(v, 1), Jet(np.array([c, -0.5]))))
                expected = outcome_of(lambda: call(Trace.variable(v), Trace(c, -0.5)))
                agrees_with_trace(got, expected, (v, c, "both"))

    def higher_orders() -> None:
        if attr in COMPARISONS or attr in ("__bool__", "__hash__", "__str__"):
            return
        if attr == "__round__":
            # a step: the recording holds it as a custom operation, the Jet as a constant
            assert round(Jet.variable(2.3, 4)).coefficients.tolist() == [2.0, 0, 0, 0, 0]
            return
        x0 = {"acosh": 1.7, "arccosh": 1.7}.get(attr, 0.4)
        args = (1.3,) if binary else ()
        rec = wengert.record(lambda t: call(t, *args), x0)
        jet = call(Jet.variable(x0, 4), *args)
        assert jet.derivatives.tobytes() == rec.taylor(x0, 1.0, 4).tobytes(), attr
        if binary and attr not in REFLECTED:
            rec = wengert.record(lambda t: call(t[0], t[1]), [x0, 1.3])
            jet = call(Jet([x0, 1.0, 0, 0, 0]), Jet([1.3, -0.5, 0, 0, 0]))
            assert jet.derivatives.tobytes() == rec.taylor([x0, 1.3], [1.0, -0.5], 4).tobytes()

    def refuses_others() -> None:
        if not binary:
            return
        x = Jet.variable(1.0, 2)
        for other in (Trace.variable(1.0), MultiTrace(1.0, [1.0]), WengertList().variable(1.0)):
            if attr in ("__eq__", "__ne__"):
                assert call(x, other) is NotImplemented
            elif attr in COMPARISONS:
                assert call(x, other) is NotImplemented
            else:
                raises(MixedModesError, lambda: call(x, other), "Jet")
        if attr not in COMPARISONS | REFLECTED:
            raises(ValueError, lambda: call(x, Jet.variable(1.0, 3)), "different orders")
        for bad in ("a", None, [1.0]):
            result = outcome_of(lambda: call(x, bad))
            assert result == ("error", TypeError) or result[1] is NotImplemented, (bad, result)

    return [
        ("like a Trace at order 1", like_a_trace),
        ("Taylor mode at order 4", higher_orders),
        ("refuses other modes and orders", refuses_others),
    ]


def jet_cases(owner: str, attr: str) -> list[Case]:
    """The rest of Jet: making, reading, converting, pickling, custom functions."""

    def check() -> None:
        x = Jet.variable(1.5, 3)
        if attr in ("variable", "constant"):
            make = getattr(Jet, attr)
            assert make(2.0, 2).coefficients.tolist() == [
                2.0,
                1.0 if attr == "variable" else 0.0,
                0.0,
            ]
            raises(ValueError, lambda: make(1.0, -1), "order must be from 0 to 170")
            raises(TypeError, lambda: make(1.0, 1.5), "order must be an int")
            raises(TypeError, lambda: make("1", 2), "real number")
        elif attr in ("number", "order", "coefficients", "derivatives"):
            expected = {"number": 1.5, "order": 3, "coefficients": [1.5, 1.0, 0, 0]}
            got = getattr(x, attr)
            assert (
                got.tolist() if attr in ("coefficients", "derivatives") else got
            ) == expected.get(attr, [1.5, 1.0, 0, 0])
            raises(AttributeError, lambda: setattr(x, attr, 1.0))
        elif attr in ("__float__", "__int__"):
            raises(
                ImplicitConversionError,
                lambda: float(x) if attr == "__float__" else int(x),
                ".number",
            )
        elif attr in ("__reduce__", "__copy__", "__deepcopy__"):
            y = wengert.sin(x)
            assert pickle.loads(pickle.dumps(y)).coefficients.tobytes() == y.coefficients.tobytes()
            assert copy.copy(y) is y and copy.deepcopy(y) is y
        elif attr == "__repr__":
            assert repr(Jet([1.0, -0.0, math.inf])) == "Jet(coefficients=[1.0, -0.0, inf])"
        elif attr == "__format__":
            assert f"{x:.2f}" == "1.50"
        elif attr == "__array_priority__":
            assert isinstance(np.float32(2.0) * x, Jet)
        elif attr == "unary":
            assert Jet.variable(2.0, 1).unary(math.exp, math.exp).coefficients[1] == math.exp(2.0)
            raises(ValueError, lambda: x.unary(math.exp, math.exp), "order 3")
            raises(TypeError, lambda: Jet.variable(2.0, 1).unary(math.exp, lambda u: "a"), "dfx_dx")
        elif attr == "binary":
            y = Jet.variable(2.0, 1).binary(3.0, math.atan2, lambda a, b: 1.0, lambda a, b: 2.0)
            assert y.coefficients.tolist() == [math.atan2(2.0, 3.0), 1.0]
            raises(ValueError, lambda: x.binary(1.0, math.atan2, math.atan2, math.atan2), "order 3")
            raises(
                MixedModesError, lambda: x.binary(Trace(1.0), math.atan2, math.atan2, math.atan2)
            )
            raises(
                TypeError, lambda: x.binary("a", math.atan2, math.atan2, math.atan2), "takes a Jet"
            )
        else:
            raise AssertionError(f"no checks for Jet.{attr}")

    return [("behaves", check)]


def jet_entries() -> dict[str, Category]:
    names = {attr for attr in vars(Jet) if attr not in ("__doc__", "__module__", "__new__")}
    operations = (BINARY_METHODS | OPERATORS | REFLECTED | COMPARISONS | UNARY_METHODS) & names
    return {
        f"Jet.{attr}": custom(jet_operation_cases if attr in operations else jet_cases)
        for attr in names
    }


ENTRIES: dict[str, Category] = {
    "Recording.taylor": custom(taylor_cases),
    "wengert.implicit": custom(implicit_cases),
    "Recording.third_derivative": custom(third_cases),
    "Recording.hessian_derivative": custom(third_cases),
    "Recording.third_directional": custom(third_cases),
    "wengert.Jet": custom(lambda owner, attr: [("a class", lambda: None)]),
    **jet_entries(),
}


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
