# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""Record once, replay natively: ``wengert.record``, the methods of a ``Recording``, and
``hessian`` and ``hvp`` (which record), given points that are not numbers or not of x0's
form, bools, ints beyond the float range, NaN and infinities, functions whose results are
not numbers, and recordings whose branches or escapes refuse the point."""

from __future__ import annotations

import math
import types
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

import wengert
from wengert import (
    BranchChangedError,
    EscapedValueError,
    MixedModesError,
    MixedTapesError,
    Record,
    Recording,
)

from ._common import (
    Case,
    Category,
    World,
    cases,
    combine,
    common_arity_cases,
    custom,
    not_numbers,
    product,
    raises,
    read_only,
    recordings,
    same,
    same_number,
    square,
    world,
)

# What each method of a Recording takes besides the point: hvp a direction too.
REPLAYS = ("value", "gradient", "value_and_gradient", "jacobian", "hessian", "hvp")


def replay(attr: str, rec: Recording[Any], x: Any) -> Any:
    """``rec.attr`` at the point ``x`` (hvp along a direction of x0's form)."""
    if attr == "hvp":
        return rec.hvp(x, rec.x0)
    return getattr(rec, attr)(x)


def not_points(w: World) -> dict[str, object]:
    """What is neither a number nor a 1-D sequence of numbers (a Derivatives, a sequence
    of floats, is one)."""
    bad = {k: v for k, v in not_numbers(w).items() if k not in ("list", "tuple", "derivatives")}
    bad |= {"Record": w.x, "stale": w.stale, "constant": w.constant}
    bad |= {"Trace": w.trace, "MultiTrace": w.multi}
    return bad


def replay_cases(owner: str, attr: str) -> list[Case]:
    """value, gradient, value_and_gradient, jacobian, hessian and hvp at points of every kind."""
    arguments = 2 if attr == "hvp" else 1

    def not_a_point() -> None:
        w = world()
        rec = recordings()
        for kind, bad in not_points(w).items():
            try:
                raises(TypeError, lambda: replay(attr, rec["number"], bad), "must be a number")
                raises(TypeError, lambda: replay(attr, rec["sequence"], bad), "x")
            except AssertionError as failure:
                raise AssertionError(f"{kind}: {failure}") from None
        for bad in ([2.0], (2.0,), [2.0, 3.0]):
            raises(TypeError, lambda: replay(attr, rec["number"], bad), "as x0 was")
        raises(TypeError, lambda: replay(attr, rec["sequence"], 2.0), "sequence of 2", "x0")
        for kind, item in (("Record", w.x), ("Trace", w.trace), ("NoneType", None), ("str", "")):
            words = ("x[0]", kind, "not a number")
            raises(TypeError, lambda: replay(attr, rec["sequence"], [item, 1.0]), *words)

    def wrong_length() -> None:
        rec = recordings()["sequence"]
        for bad in ([2.0], [], np.ones(3)):
            raises(ValueError, lambda: replay(attr, rec, bad), "the recording has 2 inputs")

    def bools() -> None:
        rec = recordings()
        for bad in (True, np.bool_(False)):
            raises(TypeError, lambda: replay(attr, rec["number"], bad), "bool")
        for bad in ([True, 1.0], np.array([True, False])):
            raises(TypeError, lambda: replay(attr, rec["sequence"], bad), "bool")

    def edges() -> None:
        rec = recordings()
        for v in (math.nan, math.inf, -math.inf):
            raises(ValueError, lambda: replay(attr, rec["number"], v), "finite")
            raises(ValueError, lambda: replay(attr, rec["sequence"], [1.0, v]), "x[1]", "finite")
        for v in (0.0, -0.0, 5e-324, 1e154, -2.5, 3, np.float32(1.5), np.int64(-2)):
            value, gradient = v * v, 2.0 * float(v)
            got = {
                "value": lambda: rec["number"].value(v),
                "gradient": lambda: rec["number"].gradient(v),
                "value_and_gradient": lambda: rec["number"].value_and_gradient(v)[1],
                "jacobian": lambda: rec["number"].jacobian(v)[0, 0],
                "hessian": lambda: rec["number"].hessian(v),
                "hvp": lambda: rec["number"].hvp(v, 0.5),
            }[attr]()
            expected = {"value": value, "hessian": 2.0, "hvp": 1.0}.get(attr, gradient)
            assert same_number(got, expected), (v, got, expected)
        # ints beyond the float range: OverflowError, as for 1.0 + 10**400
        for v in (10**400, -(10**400)):
            raises(OverflowError, lambda: replay(attr, rec["number"], v), "too large")
            raises(OverflowError, lambda: replay(attr, rec["sequence"], [v, 1.0]), "too large")

    def branches_and_escapes() -> None:
        rec = recordings()
        raises(BranchChangedError, lambda: replay(attr, rec["guarded"], -1.0), "x > 0.0")
        raises(EscapedValueError, lambda: replay(attr, rec["escaped"], 3.0), ".number")
        replay(attr, rec["escaped"], 2.0)  # at x0 itself
        replay(attr, rec["guarded"], 5.0)

    def one_output() -> None:
        rec = recordings()["outputs"]
        if attr in ("value", "jacobian"):
            assert np.asarray(replay(attr, rec, [4.0, 5.0])).size in (2, 4)
        else:
            raises(ValueError, lambda: replay(attr, rec, [4.0, 5.0]), "one output", "jacobian(x)")

    def custom_operations() -> None:
        rec = recordings()["custom"]
        if attr in ("hessian", "hvp"):
            raises(ValueError, lambda: replay(attr, rec, 1.0), "unary() or binary()")
        else:
            got = replay(attr, rec, 1.0)
            got = np.asarray(got[1] if attr == "value_and_gradient" else got).ravel()[0]
            expected = math.sin(1.0) if attr == "value" else math.cos(1.0)
            assert same(float(got), expected)

    result = [
        ("not a point", not_a_point),
        ("wrong length", wrong_length),
        ("bools", bools),
        ("edges", edges),
        ("branches and escapes", branches_and_escapes),
        ("one output", one_output),
        ("custom operations", custom_operations),
        *common_arity_cases(owner, attr, arguments),
    ]
    if attr == "hvp":
        result.append(("directions", hvp_direction_cases))
    return result


def hvp_direction_cases() -> None:
    w = world()
    rec = recordings()
    for kind, bad in not_points(w).items():
        try:
            raises(TypeError, lambda: rec["number"].hvp(2.0, bad), "v must be a number")
            raises(TypeError, lambda: rec["sequence"].hvp([2.0, 3.0], bad), "v")
        except AssertionError as failure:
            raise AssertionError(f"{kind}: {failure}") from None
    raises(ValueError, lambda: rec["sequence"].hvp([2.0, 3.0], [1.0]), "v has 1 numbers")
    raises(ValueError, lambda: rec["number"].hvp(2.0, math.nan), "finite")
    raises(ValueError, lambda: rec["sequence"].hvp([2.0, 3.0], [1.0, math.inf]), "v[1]", "finite")
    raises(TypeError, lambda: rec["sequence"].hvp([2.0, 3.0]), "missing")  # type: ignore[call-arg]


def gradients_cases(owner: str, attr: str) -> list[Case]:
    """gradients(X), values(X) and value_and_gradients(X): the same rows, the same checks."""

    def batch(r: Recording[Any], xs: Any) -> Any:
        return getattr(r, attr)(xs)

    def grads(r: Recording[Any], xs: Any) -> Any:
        got = batch(r, xs)
        return got[1] if attr == "value_and_gradients" else got

    def not_rows() -> None:
        w = world()
        rec = recordings()
        for kind, bad in not_points(w).items():
            try:
                raises(TypeError, lambda: batch(rec["sequence"], bad), "2-D", "one point per row")
                if kind != "bytearray":  # numpy reads [bytearray(b"2")] as [[50]]
                    raises(TypeError, lambda: batch(rec["sequence"], [bad]), "2-D")
            except AssertionError as failure:
                raise AssertionError(f"{kind}: {failure}") from None
        raises(TypeError, lambda: batch(rec["sequence"], [2.0, 3.0]), "reshape(-1, 2)")
        raises(TypeError, lambda: batch(rec["number"], [2.0, 3.0]), "reshape(-1, 1)")
        raises(TypeError, lambda: batch(rec["sequence"], np.ones((1, 1, 2))), "3 dimensions")
        raises(ValueError, lambda: batch(rec["sequence"], [[1.0, 2.0, 3.0]]), "3 columns")
        raises(TypeError, lambda: batch(rec["sequence"], [[1.0, 2.0], [3.0]]), "2-D")

    def edges() -> None:
        rec = recordings()
        for v in (math.nan, math.inf, -math.inf):
            raises(ValueError, lambda: batch(rec["sequence"], [[1.0, 2.0], [1.0, v]]), "row 1")
        raises(BranchChangedError, lambda: batch(rec["guarded"], [[1.0], [-1.0]]), "x > 0.0")
        raises(
            EscapedValueError,
            lambda: batch(rec["escaped"], [[2.0], [3.0]]),
            "row 1 of X: while it was recorded",
            ".number",
        )
        if attr == "values":
            assert batch(rec["outputs"], [[1.0, 2.0]]).shape == (1, 2)
            assert batch(rec["sequence"], [[1, 2], [0.5, -0.0]]).tolist() == [2.0, -0.0]
            assert batch(rec["custom"], [[0.0], [1.0]]).tolist() == [0.0, math.sin(1.0)]
        else:
            raises(ValueError, lambda: batch(rec["outputs"], [[1.0, 2.0]]), "one output")
            got = grads(rec["sequence"], [[1, 2], [np.float32(0.5), -0.0]])
            assert got.tolist() == [[2.0, 1.0], [-0.0, 0.5]] and got.dtype == np.float64
            custom = grads(rec["custom"], [[0.0], [1.0]])
            assert custom.tolist() == [[1.0], [math.cos(1.0)]]
        raises(TypeError, lambda: batch(rec["sequence"], np.array([[True, False]])), "bool")

    return [("not rows", not_rows), ("edges", edges), *common_arity_cases(owner, attr, 1)]


def recording_property_cases(owner: str, attr: str) -> list[Case]:
    expected = {
        "n_inputs": [1, 2, 2, 1, 1, 1],
        "n_outputs": [1, 1, 2, 1, 1, 1],
        "n_comparisons": [0, 0, 0, 0, 0, 1],
        "__len__": [2, 3, 3, 2, 2, 1],
    }

    def values() -> None:
        every = list(recordings().values())
        if attr == "x0":
            assert [np.asarray(r.x0).tolist() for r in every] == [2.0, [2.0, 3.0], [2.0, 3.0]] + [
                2.0
            ] * 3
            assert type(every[0].x0) is float
            return
        if attr == "escapes":
            got = [r.escapes for r in every]
            assert [len(e) for e in got] == [0, 0, 0, 1, 0, 0]
            # the escape names the file where the function was written
            assert got[3][0].startswith(".number at ")
            assert recordings.__code__.co_filename in got[3][0]
            return
        read = len if attr == "__len__" else lambda r: getattr(r, attr)
        assert [read(r) for r in every] == expected[attr]

    result = [("values", values)]
    if attr == "__len__":
        result += common_arity_cases(owner, attr, 0)
    return result


def recording_repr_cases(owner: str, attr: str) -> list[Case]:
    def text() -> None:
        rec = recordings()
        assert repr(rec["sequence"]) == (
            "Recording(n_inputs=2, n_outputs=1, entries=3, comparisons=0)"
        )
        assert repr(rec["escaped"]).endswith("comparisons=0, escapes=1)")

    return [("text", text), *common_arity_cases(owner, attr, 0)]


def class_getitem_cases(owner: str, attr: str) -> list[Case]:
    def generic_alias() -> None:
        for item in (float, np.ndarray, NDArray[np.float64]):
            alias = Recording[item]  # type: ignore[valid-type]
            assert isinstance(alias, types.GenericAlias)
            assert alias.__origin__ is Recording and alias.__args__ == (item,)

    def misuse() -> None:
        raises(TypeError, lambda: Recording.__class_getitem__(), "item")  # type: ignore[call-arg]
        getitem: Any = Recording.__class_getitem__
        raises(TypeError, lambda: getitem(float, bogus=1), "keyword")

    return [("generic alias", generic_alias), ("misuse", misuse)]


def recording_constructor_cases(owner: str, attr: str) -> list[Case]:
    def refuses() -> None:
        for args in ((), (square,), (square, 1.0)):
            raises(TypeError, lambda: Recording(*args), "wengert.record(f, x0)")  # type: ignore[call-arg]

    return [("refuses", refuses)]


def record_cases(owner: str, attr: str) -> list[Case]:
    def not_callable() -> None:
        for bad in (None, 1.0, "f", [square]):
            raises(
                TypeError, lambda: wengert.record(bad, 1.0), "needs a function", type(bad).__name__
            )  # type: ignore[call-overload]

    def x0_not_a_point() -> None:
        w = world()
        for kind, bad in not_points(w).items():
            try:
                raises(TypeError, lambda: wengert.record(square, bad), "x0")  # type: ignore[call-overload]
            except AssertionError as failure:
                raise AssertionError(f"{kind}: {failure}") from None
        for item in (w.x, w.trace, None, "a", [1.0]):
            raises(TypeError, lambda: wengert.record(product, [1.0, item]), "x0[1]", "not a number")
        for bad in (True, np.bool_(True), [True, 1.0], np.array([False, True])):
            raises(TypeError, lambda: wengert.record(square, bad), "bool")

    def x0_edges() -> None:
        for v in (math.nan, math.inf, -math.inf):
            raises(ValueError, lambda: wengert.record(square, v), "finite")
            raises(ValueError, lambda: wengert.record(product, [1.0, v]), "x0[1]", "finite")
        # An array x0 of any shape records (f receives an object array of its shape);
        # f's result must still be a number or 1-D.
        raises(TypeError, lambda: wengert.record(square, np.ones((2, 2))), "not 1-D", "ravel")
        raises(TypeError, lambda: wengert.record(square, np.array(["a"])), "x0")
        raises(TypeError, lambda: wengert.record(square, np.array([True])), "bools")
        for v in (10**400, [1.0, -(10**400)]):
            raises(OverflowError, lambda: wengert.record(square, v), "too large")

    def results_not_numbers() -> None:
        w = world()
        for bad in ["2.0", None, b"1", 2j, object(), {"a": 1.0}, w.tape]:
            raises(
                TypeError,
                lambda: wengert.record(lambda v: bad, 1.0),
                "must return a number",
                type(bad).__name__,
            )
            raises(
                TypeError, lambda: wengert.record(lambda v: [v, bad], 1.0), "must return a number"
            )
        for bad in [True, np.bool_(False)]:
            raises(TypeError, lambda: wengert.record(lambda v: bad, 1.0), "bool")
        raises(TypeError, lambda: wengert.record(lambda v: np.ones((2, 2)), 1.0), "1-D", "ravel")
        raises(TypeError, lambda: wengert.record(lambda v: [v, [v]], 1.0), "list")

    def results_of_another_mode() -> None:
        w = world()
        for value in (w.trace, w.multi):
            raises(
                MixedModesError, lambda: wengert.record(lambda v: value, 1.0), type(value).__name__
            )
            raises(MixedModesError, lambda: wengert.record(lambda v: v + value, 1.0))
        for value in (w.foreign, w.x, w.stale):
            raises(MixedTapesError, lambda: wengert.record(lambda v: value, 1.0), "WengertList")
            raises(MixedTapesError, lambda: wengert.record(lambda v: v * value, 1.0), "tape")

    def what_f_does() -> None:
        raises(
            ValueError,
            lambda: wengert.record(lambda v: v.history.variable(1.0), 1.0),
            "new input",
            "x0",
        )
        raises(
            ValueError,
            lambda: wengert.record(lambda v: [v.history.clear(), 1.0][1], 1.0),
            "clear()",
        )

        def fail(v: Any) -> Any:
            raise ZeroDivisionError("from the user's function")

        raises(ZeroDivisionError, lambda: wengert.record(fail, 1.0), "user's")

    def arity() -> None:
        raises(TypeError, lambda: wengert.record(square), "x0")  # type: ignore[call-overload]
        raises(TypeError, lambda: wengert.record(square, 1.0, 2.0), "argument")  # type: ignore[call-overload]
        raises(TypeError, lambda: wengert.record(square, 1.0, bogus_keyword=1), "keyword")  # type: ignore[call-overload]

    def legitimate() -> None:
        for x0 in (3, np.float32(3.0), np.int64(3)):
            assert wengert.record(square, x0).gradient(3.0) == 6.0
        for x0 in ([2.0, 3.0], (2, 3), np.array([2.0, 3.0], dtype=np.float32), iter([2.0, 3.0])):
            assert wengert.record(product, x0).gradient([2.0, 3.0]).tolist() == [3.0, 2.0]
        assert wengert.record(f=square, x0=-0.0).value(-0.0) == 0.0
        assert wengert.record(lambda v: Record.constant(2.0), [1.0]).gradient([5.0]).tolist() == [
            0.0
        ]

    return [
        ("f not callable", not_callable),
        ("x0 not a point", x0_not_a_point),
        ("x0 edges", x0_edges),
        ("results that are not numbers", results_not_numbers),
        ("results of another mode", results_of_another_mode),
        ("what f does", what_f_does),
        ("arity", arity),
        ("legitimate", legitimate),
    ]


def second_order_cases(owner: str, attr: str) -> list[Case]:
    """wengert.hessian(f)(x) and wengert.hvp(f, x, v)."""

    def at(f: Callable[[Any], Any], x: Any) -> Callable[[], object]:
        if attr == "hessian":
            return lambda: wengert.hessian(f)(x)
        return lambda: wengert.hvp(f, x, x)

    def not_callable() -> None:
        for bad in (None, 1.0, "f", [square]):
            make = (
                (lambda: wengert.hessian(bad))  # type: ignore[arg-type]
                if attr == "hessian"
                else (lambda: wengert.hvp(bad, 1.0, 1.0))  # type: ignore[arg-type]
            )
            raises(TypeError, make, "needs a function", type(bad).__name__)

    def arguments_not_numbers() -> None:
        w = world()
        for kind, bad in not_points(w).items():
            try:
                raises(TypeError, at(square, bad), "number")
            except AssertionError as failure:
                raise AssertionError(f"{attr} at {kind}: {failure}") from None
        for bad in ([1.0, "a"], [1.0, None], [w.x], [w.trace], np.array(["a"])):
            raises(TypeError, at(square, bad), "not a number")
        raises(ValueError, at(square, math.nan), "finite")
        for bad in (True, np.bool_(True), np.array([True])):
            raises(TypeError, at(square, bad), "bool")
        raises(OverflowError, at(square, 10**400), "too large")
        raises(OverflowError, at(lambda v: 1.0, [1.0, 10**400]), "too large")

    def results() -> None:
        w = world()
        for bad in ["2.0", None, b"1", 2j, object(), {"a": 1.0}, w.tape]:
            raises(TypeError, at(lambda v: bad, 1.0), "must return a number", type(bad).__name__)
        raises(TypeError, at(lambda v: True, 1.0), "bool")
        raises(MixedModesError, at(lambda v: w.trace, 1.0), "Trace")
        raises(MixedTapesError, at(lambda v: w.foreign, 1.0), "WengertList")
        raises(ValueError, at(lambda v: [v, v], 1.0), "one output", "jacobian")
        raises(ValueError, at(lambda v: v.unary(math.sin, math.cos), 1.0), "unary() or binary()")

    def user_errors_propagate() -> None:
        def fail(v: Any) -> Any:
            raise ZeroDivisionError("from the user's function")

        raises(ZeroDivisionError, at(fail, 1.0), "user's")

    def arity() -> None:
        if attr == "hessian":
            raises(TypeError, lambda: wengert.hessian(square, 1), "argument")  # type: ignore[call-arg]
            raises(TypeError, lambda: wengert.hessian(square)(1.0, 2.0), "argument")
            raises(TypeError, lambda: wengert.hessian(square, bogus_keyword=1), "keyword")  # type: ignore[call-arg]
        else:
            raises(TypeError, lambda: wengert.hvp(square, 1.0), "missing")  # type: ignore[call-arg]
            raises(TypeError, lambda: wengert.hvp(square, 1.0, 1.0, 1.0), "argument")  # type: ignore[call-arg]
            raises(ValueError, lambda: wengert.hvp(product, [1.0, 2.0], [1.0]), "v has 1")
            raises(TypeError, lambda: wengert.hvp(square, 1.0, [1.0]), "v must be a number")

    def legitimate() -> None:
        cube = wengert.hessian(lambda v: v * v * v)
        assert cube(2.0) == 12.0 and cube(2) == 12.0 and cube(np.float32(2.0)) == 12.0
        assert cube(-0.0) == 0.0
        assert wengert.hessian(lambda v: 2.0)([1.0]).tolist() == [[0.0]]
        assert wengert.hvp(product, (1.0, 2.0), np.array([1.0, 0.0])).tolist() == [0.0, 1.0]

    return [
        ("f not callable", not_callable),
        ("arguments that are not numbers", arguments_not_numbers),
        ("results", results),
        ("user errors propagate", user_errors_propagate),
        ("arity", arity),
        ("legitimate", legitimate),
    ]


def bytes_cases(owner: str, attr: str) -> list[Case]:
    """to_bytes, from_bytes, save and load: wrong types are TypeErrors, bad data
    ValueErrors naming what is wrong, missing files the OSError of the system."""

    def wrong_types() -> None:
        rec = recordings()["sequence"]
        for bad in ("WENGERT", 3, None, [1, 2], 2.5):
            raises(TypeError, lambda: Recording.from_bytes(bad), "takes bytes")
        for bad in (3.5, None, [1]):
            raises(TypeError, lambda: rec.save(bad), "")
            raises(TypeError, lambda: Recording.load(bad), "")
        raises(TypeError, lambda: rec.to_bytes(1), "argument")
        raises(TypeError, lambda: Recording.from_bytes(), "data")

    def bad_data(tmp: str = "/nonexistent-wengert-dir/rec") -> None:
        rec = recordings()["sequence"]
        for bad in (b"", b"WENGERT\0", rec.to_bytes()[:-1], rec.to_bytes() + b"\0"):
            raises(ValueError, lambda: Recording.from_bytes(bad), "not a valid recording")
        raises(FileNotFoundError, lambda: Recording.load(tmp), "")
        raises(FileNotFoundError, lambda: rec.save(tmp), "")
        with_custom = wengert.record(lambda x: x.unary(math.sin, math.cos), 1.0)
        raises(TypeError, lambda: with_custom.to_bytes(), "x.unary", "pickle")

    def legitimate() -> None:
        rec = recordings()["sequence"]
        back = Recording.from_bytes(rec.to_bytes())
        assert back.to_bytes() == rec.to_bytes() and repr(back) == repr(rec)

    return [("wrong types", wrong_types), ("bad data", bad_data), ("legitimate", legitimate)]


def compile_cases(owner: str, attr: str) -> list[Case]:
    def states() -> None:
        for name, rec in recordings().items():
            assert rec.compiled is False
            assert rec.not_compiled_reason == "compile() was not called"
            assert rec.compile() is rec and rec.compile() is rec
            assert rec.compiled is (name != "custom")
            reason = rec.not_compiled_reason
            if name == "custom":
                assert reason is not None and "custom operations" in reason
            else:
                assert reason is None

    def refusals_unchanged() -> None:
        # A compiled recording refuses what the interpreted one refuses, in its words.
        every = recordings()
        for rec, x, error in (
            (every["guarded"], -1.0, BranchChangedError),
            (every["escaped"], 3.0, EscapedValueError),
            (every["sequence"], [1.0], ValueError),
            (every["sequence"], [1.0, math.nan], ValueError),
            (every["outputs"], [1.0, 2.0], ValueError),
        ):
            message = str(raises(error, lambda: rec.gradient(x)))
            rec.compile()
            raises(error, lambda: rec.gradient(x), message)

    def record_keyword() -> None:
        raises(TypeError, lambda: wengert.record(square, 1.0, True), "positional")  # type: ignore[misc]
        # compile is a bool: None, 1 or "yes" are refused, not taken as False/True, with
        # a message naming compile on every Python.
        for bad, kind in (("yes", "str"), (1, "int"), (None, "NoneType")):
            raises(
                TypeError,
                lambda bad=bad: wengert.record(square, 1.0, compile=bad),  # type: ignore[arg-type]
                f"compile must be True or False, not {kind}",
            )
        assert wengert.record(square, 1.0, compile=np.True_).compiled
        assert not wengert.record(square, 1.0, compile=np.False_).compiled
        assert not wengert.record(square, 1.0, compile=False).compiled

    result = [("states", states), ("refusals unchanged", refusals_unchanged)]
    if attr == "compile":
        result += [("record(compile=)", record_keyword), *common_arity_cases(owner, attr, 0)]
    return result


ENTRIES: dict[str, Category] = {
    "Recording.compile": custom(compile_cases),
    **{
        f"Recording.{name}": combine(
            read_only(lambda r, name=name: getattr(r, name)), custom(compile_cases)
        )
        for name in ("compiled", "not_compiled_reason")
    },
    **{f"Recording.{name}": custom(bytes_cases) for name in ("to_bytes", "from_bytes")},
    **{f"Recording.{name}": custom(bytes_cases) for name in ("save", "load")},
    "wengert.record": custom(record_cases),
    "wengert.Recording": custom(recording_constructor_cases),
    **{f"Recording.{name}": custom(replay_cases) for name in REPLAYS},
    **{
        f"Recording.{name}": custom(gradients_cases)
        for name in ("gradients", "values", "value_and_gradients")
    },
    **{
        f"Recording.{name}": combine(
            read_only(lambda r, name=name: getattr(r, name)), custom(recording_property_cases)
        )
        for name in ("n_inputs", "n_outputs", "n_comparisons", "x0", "escapes")
    },
    "Recording.__len__": custom(recording_property_cases),
    "Recording.__repr__": custom(recording_repr_cases),
    "Recording.__class_getitem__": custom(class_getitem_cases),
    "wengert.hessian": custom(second_order_cases),
    "wengert.hvp": custom(second_order_cases),
}


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
