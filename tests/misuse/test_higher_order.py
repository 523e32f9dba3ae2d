# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""Higher orders: ``Recording.taylor`` given points and directions that are not numbers or
not of x0's form, bools, NaN and infinities, orders that are not ints from 0 to 170, and
recordings whose branches, escapes or custom operations refuse them."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from wengert import BranchChangedError, EscapedValueError

from ._common import (
    Case,
    Category,
    cases,
    common_arity_cases,
    custom,
    raises,
    recordings,
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


ENTRIES: dict[str, Category] = {
    "Recording.taylor": custom(taylor_cases),
}


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
