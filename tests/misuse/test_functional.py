# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""The functional API: ``derivative``, ``grad``, ``value_and_grad``, ``jacobian``, ``jvp``
and ``vjp``, given functions that are not callable, ``argnums`` of the wrong type or out of
range, results that are not numbers or of the wrong shape or mode, an unknown ``mode``,
and tangents and cotangents of the wrong shape."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import wengert
from wengert import MixedModesError, MixedTapesError, MultiTrace, Record, Trace

from ._common import Case, Category, cases, combine, custom, not_numbers, raises, square, world


def derivative_function_cases(owner: str, attr: str) -> list[Case]:
    def misuse() -> None:
        w = world()
        raises(TypeError, lambda: wengert.derivative(None, 1.0), "not callable")  # type: ignore[arg-type]
        for bad in not_numbers(w).values():
            raises(TypeError, lambda: wengert.derivative(lambda t: t, bad), "real number")  # type: ignore[arg-type]
            raises(TypeError, lambda: wengert.derivative(lambda t: bad, 1.0), "not a Trace")  # type: ignore[arg-type, return-value]
        raises(TypeError, lambda: wengert.derivative(lambda t: 2.0, 1.0), "float", "wengert.sin")  # type: ignore[arg-type, return-value]
        raises(MixedModesError, lambda: wengert.derivative(lambda t: t + w.x, 1.0), "Record")
        raises(OverflowError, lambda: wengert.derivative(lambda t: t, 10**400), "too large")
        raises(TypeError, lambda: wengert.derivative(lambda t: t, 1.0, bogus_keyword=1), "keyword")  # type: ignore[call-arg]

    def legitimate() -> None:
        assert wengert.derivative(lambda t: t * t, True) == 2.0
        assert math.isnan(wengert.derivative(lambda t: t * t, math.nan))

    return [("misuse", misuse), ("legitimate", legitimate)]


def at_one(attr: str, f: Callable[..., Any], mode: str = "auto") -> Callable[[], object]:
    """A call of the function ``attr`` of the functional API differentiating ``f`` at 1.0."""
    if attr == "grad":
        return lambda: wengert.grad(f)(1.0)
    if attr == "value_and_grad":
        return lambda: wengert.value_and_grad(f)(1.0)
    if attr == "jacobian":
        return lambda: wengert.jacobian(f, mode=mode)(1.0)
    if attr == "jvp":
        return lambda: wengert.jvp(f, (1.0,), (1.0,))
    return lambda: wengert.vjp(f, 1.0)


def at(attr: str, f: Callable[..., Any], x: Any) -> Callable[[], object]:
    """The same at the argument ``x`` (for jvp, ``x`` is the tangent too)."""
    if attr == "jvp":
        return lambda: wengert.jvp(f, (x,), (x,))
    if attr == "vjp":
        return lambda: wengert.vjp(f, x)
    return lambda: getattr(wengert, attr)(f)(x)


def functional_cases(owner: str, attr: str) -> list[Case]:
    """Misuse shared by grad, value_and_grad, jacobian, jvp and vjp."""
    modes = ("forward", "reverse", "auto") if attr == "jacobian" else ("auto",)

    def not_callable() -> None:
        for bad in (None, 1.0, "f", [square]):
            make = {
                "grad": lambda: wengert.grad(bad),
                "value_and_grad": lambda: wengert.value_and_grad(bad),
                "jacobian": lambda: wengert.jacobian(bad),
                "jvp": lambda: wengert.jvp(bad, (1.0,), (1.0,)),
                "vjp": lambda: wengert.vjp(bad, 1.0),
            }[attr]
            raises(TypeError, make, "needs a function", type(bad).__name__)

    def results_not_numbers() -> None:
        w = world()
        for bad in ["2.0", None, True, np.bool_(False), b"1", 2j, object(), {"a": 1.0}, w.tape]:
            for mode in modes:
                call = at_one(attr, lambda v: bad, mode)
                raises(TypeError, call, "f must return numbers", type(bad).__name__)
                call = at_one(attr, lambda v: [v, bad], mode)
                if attr not in ("grad", "value_and_grad"):
                    raises(TypeError, call, "f must return numbers", type(bad).__name__)

    def results_of_another_mode() -> None:
        w = world()
        for mode in modes:
            # What f receives: jvp Traces, jacobian's forward mode MultiTraces (one pass), the
            # rest Records ("auto" at one input with one output is reverse mode).
            receives = "Trace" if attr == "jvp" else "MultiTrace" if mode == "forward" else "Record"
            others = {"Trace": w.trace, "MultiTrace": w.multi, "Record": w.x}
            wrong = [value for kind, value in others.items() if kind != receives]
            if receives != "Record":
                wrong.append(Record.constant(1.0))
            for value in wrong:
                words = (type(value).__name__, f"f receives {receives}s")
                raises(MixedModesError, at_one(attr, lambda v: value, mode), *words)
                # combining with f's argument: the engine's error
                raises(MixedModesError, at_one(attr, lambda v: v + value, mode))
            if receives == "Record":
                raises(MixedTapesError, at_one(attr, lambda v: w.foreign, mode), "WengertList")
                raises(MixedTapesError, at_one(attr, lambda v: v * w.foreign, mode), "tape")

    def arguments_not_numbers() -> None:
        w = world()
        bads: list[Any] = [
            "1.0",
            None,
            b"1",
            {"x": 1.0},
            2j,
            object(),
            True,
            w.trace,
            w.multi,
            w.x,
            w.stale,
            [1.0, "a"],
            [1.0, None],
            [w.x],
            [w.trace],
            np.array([True]),
            np.array(["a"]),
        ]
        for bad in bads:
            try:
                raises(TypeError, at(attr, lambda v: 1.0, bad), "number")
            except AssertionError as failure:
                raise AssertionError(f"{attr} at {bad!r}: {failure}") from None
        raises(ValueError, at(attr, lambda v: 1.0, [[1.0], [1.0, 2.0]]), "rectangular")
        raises(OverflowError, at(attr, square, 10**400), "too large")
        raises(OverflowError, at(attr, lambda v: 1.0, [1.0, 10**400]), "too large")

    def user_errors_propagate() -> None:
        def fail(v: Any) -> Any:
            raise ZeroDivisionError("from the user's function")

        for mode in modes:
            raises(ZeroDivisionError, at_one(attr, fail, mode), "user's")

    def legitimate() -> None:
        for mode in modes:
            at_one(attr, lambda v: 2.0, mode)()  # a constant result: derivative 0
        derivative: Any = {
            "grad": lambda x: wengert.grad(square)(x),
            "value_and_grad": lambda x: wengert.value_and_grad(square)(x)[1],
            "jacobian": lambda x: wengert.jacobian(square)(x)[0, 0],
            "jvp": lambda x: wengert.jvp(square, (x,), (1.0,))[1],
            "vjp": lambda x: wengert.vjp(square, x)[1](1.0)[0],
        }[attr]
        assert derivative(3.0) == 6.0
        assert derivative(3) == 6.0 and derivative(np.float32(3.0)) == 6.0
        assert math.isnan(derivative(math.nan))
        assert derivative(math.inf) == math.inf

    return [
        ("f not callable", not_callable),
        ("results that are not numbers", results_not_numbers),
        ("results of another mode", results_of_another_mode),
        ("arguments that are not numbers", arguments_not_numbers),
        ("user errors propagate", user_errors_propagate),
        ("legitimate", legitimate),
    ]


def grad_cases(owner: str, attr: str) -> list[Case]:
    """grad and value_and_grad: argnums, and f's result must be one number."""
    make = getattr(wengert, attr)

    def product(a: Any, b: Any) -> Any:
        return a * b

    def argnums_wrong_type() -> None:
        for bad in (1.5, "0", None, True, [0, "1"], (0, 1.5), (0, None)):
            raises(TypeError, lambda: make(product, argnums=bad), "argnums", "int or a tuple")

    def argnums_wrong_value() -> None:
        raises(ValueError, lambda: make(product, argnums=()), "at least one")
        raises(ValueError, lambda: make(product, argnums=(0, 0)), "twice")
        raises(ValueError, lambda: make(product, argnums=(0, -2))(1.0, 2.0), "twice")
        for argnums in (2, -3, (0, 2)):
            raises(
                TypeError,
                lambda: make(product, argnums=argnums)(1.0, 2.0),
                "argnums",
                "2 positional",
            )
        raises(TypeError, lambda: make(square)(), "argnums", "0 positional")

    def one_number() -> None:
        for result in ([1.0, 2.0], (1.0,), np.ones(3), [[1.0]]):
            raises(TypeError, lambda: make(lambda v: result)(1.0), "one number", "jacobian or vjp")
        raises(TypeError, lambda: make(lambda v: [v, v])(1.0), "one number", "sum them")

    def arity() -> None:
        raises(TypeError, lambda: make(square, 0, 1), "argument")
        raises(TypeError, lambda: make(square, bogus_keyword=1), "keyword")
        raises(TypeError, lambda: make(square)(1.0, bogus_keyword=1), "keyword")  # f's

    def legitimate() -> None:
        scaled = make(lambda a, b, scale: a * b * scale, argnums=(1, -2))
        got = scaled(3.0, 4.0, scale=2.0)
        gradient = got[1] if attr == "value_and_grad" else got
        assert gradient == (6.0, 8.0)

    return [
        ("argnums: wrong type", argnums_wrong_type),
        ("argnums: wrong value", argnums_wrong_value),
        ("result: one number", one_number),
        ("arity", arity),
        ("argnums: legitimate", legitimate),
    ]


def jacobian_cases(owner: str, attr: str) -> list[Case]:
    def unknown_mode() -> None:
        for bad in ("sideways", "Forward", "", None, 1, b"forward"):
            raises(
                ValueError,
                lambda: wengert.jacobian(square, mode=bad),
                "'forward', 'reverse' or 'auto'",
            )

    def shapes() -> None:
        for mode in ("forward", "reverse", "auto"):
            raises(
                ValueError, lambda: wengert.jacobian(square, mode)(np.ones((2, 2))), "1-D", "ravel"
            )
            many = wengert.jacobian(lambda v: [[v[0]], [v[1]]], mode)
            raises(ValueError, lambda: many([1.0, 2.0]), "1-D", "ravel")
            ragged = wengert.jacobian(lambda v: [v[0], [v[0], v[1]]], mode)
            raises(TypeError, lambda: ragged([1.0, 2.0]), "f must return numbers", "list")

    def foreign_multi_traces() -> None:
        """In forward mode f receives MultiTraces with k = n; one it made itself with another
        k cannot be combined with them, and so cannot be its result either."""
        at = [1.0, 2.0]
        for k in (1, 3, 0):
            for result in ([MultiTrace.constant(5.0, k)], [MultiTrace(5.0, [1.0] * k), 1.0]):
                call = wengert.jacobian(lambda v: result, "forward")
                raises(ValueError, lambda: call(at), "tangents")
            raises(
                ValueError,
                lambda: wengert.jacobian(lambda v: v[0] + MultiTrace.constant(5.0, k), "forward")(
                    at
                ),
                "tangents",
            )
        constant = wengert.jacobian(lambda v: [MultiTrace.constant(5.0, 2), v[0]], "forward")
        assert constant(at).tolist() == [[0.0, 0.0], [1.0, 0.0]]

    def arity() -> None:
        raises(TypeError, lambda: wengert.jacobian(square, "auto", 1), "argument")
        raises(TypeError, lambda: wengert.jacobian(square, bogus_keyword=1), "keyword")
        raises(TypeError, lambda: wengert.jacobian(square)(1.0, 2.0), "argument")

    def legitimate() -> None:
        for mode in ("forward", "reverse", "auto"):
            assert wengert.jacobian(square, mode)(3.0).tolist() == [[6.0]]
            assert wengert.jacobian(lambda v: [2.0, 3.0], mode)([]).shape == (2, 0)
            assert wengert.jacobian(lambda v: 1.0, mode)([1.0, 2.0]).tolist() == [[0.0, 0.0]]

    return [
        ("unknown mode", unknown_mode),
        ("shapes", shapes),
        ("forward mode: MultiTraces of another k", foreign_multi_traces),
        ("arity", arity),
        ("legitimate", legitimate),
    ]


def jvp_cases(owner: str, attr: str) -> list[Case]:
    def not_tuples() -> None:
        for bad in (1.0, None, "ab", np.array([1.0]), {1.0}):
            raises(TypeError, lambda: wengert.jvp(square, bad, (1.0,)), "primals", "tuple", "(x,)")
            raises(TypeError, lambda: wengert.jvp(square, (1.0,), bad), "tangents", "tuple", "(x,)")

    def wrong_shapes() -> None:
        raises(
            ValueError, lambda: wengert.jvp(square, (1.0,), (1.0, 2.0)), "one tangent per argument"
        )
        raises(
            ValueError, lambda: wengert.jvp(square, (1.0, 2.0), (1.0,)), "one tangent per argument"
        )
        for primal, tangent in (
            ([1.0, 2.0], [1.0]),
            (1.0, [1.0]),
            ([1.0], 1.0),
            ([[1.0, 2.0]], [1.0, 2.0]),
        ):
            raises(
                ValueError,
                lambda: wengert.jvp(lambda v: 1.0, (primal,), (tangent,)),
                "shape",
                "must match",
            )
        for bad in ("1", None, [None], Trace(1.0)):
            raises(TypeError, lambda: wengert.jvp(square, (1.0,), (bad,)), "tangents[0]")

    def arity() -> None:
        raises(TypeError, lambda: wengert.jvp(square, (1.0,)), "missing")
        raises(TypeError, lambda: wengert.jvp(square, (1.0,), (1.0,), 1), "argument")
        raises(TypeError, lambda: wengert.jvp(square, (1.0,), (1.0,), bogus_keyword=1), "keyword")

    return [("not tuples", not_tuples), ("wrong shapes", wrong_shapes), ("arity", arity)]


def vjp_cases(owner: str, attr: str) -> list[Case]:
    def wrong_cotangents() -> None:
        _, pull = wengert.vjp(lambda a: [a, a], 1.0)
        for bad in ([1.0], 1.0, [[1.0, 1.0]], [1.0, 1.0, 1.0]):
            raises(ValueError, lambda: pull(bad), "cotangents", "one weight per output")
        for bad in ("ab", None, [1.0, "a"], [Trace(1.0), 1.0]):
            raises(TypeError, lambda: pull(bad), "cotangents")
        raises(TypeError, lambda: pull([1.0, 1.0], 2), "argument")
        assert pull([2.0, 0.5]) == (2.5,)

    def arity() -> None:
        raises(TypeError, lambda: wengert.vjp(square, 1.0, bogus_keyword=1), "keyword")
        raises(TypeError, lambda: wengert.vjp(square, 1.0, 2.0), "argument")  # f's own

    return [("wrong cotangents", wrong_cotangents), ("arity", arity)]


ENTRIES: dict[str, Category] = {
    "wengert.derivative": custom(derivative_function_cases),
    "wengert.grad": combine(custom(functional_cases), custom(grad_cases)),
    "wengert.value_and_grad": combine(custom(functional_cases), custom(grad_cases)),
    "wengert.jacobian": combine(custom(functional_cases), custom(jacobian_cases)),
    "wengert.jvp": combine(custom(functional_cases), custom(jvp_cases)),
    "wengert.vjp": combine(custom(functional_cases), custom(vjp_cases)),
}


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
