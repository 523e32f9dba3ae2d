# ruff: noqa: B023 (each lambda here is called at once, within its loop iteration)
"""Misuse of the sparse derivatives: Recording.sparse_jacobian, sparse_hessian, the
patterns, the colour counts, and wengert.sparse_jacobian / sparse_hessian."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import wengert
from wengert import BranchChangedError, EscapedValueError, Recording

from ._common import Case, Category, cases, custom, raises, read_only, recordings, world
from .test_recording import not_points

METHODS = ("sparse_jacobian", "sparse_hessian")


def sparse(attr: str, rec: Recording[Any], x: Any, **kwargs: Any) -> Any:
    return getattr(rec, attr)(x, **kwargs)


def sparse_cases(owner: str, attr: str) -> list[Case]:
    """Points of every kind, formats, branches, outputs and custom operations."""

    def not_a_point() -> None:
        w = world()
        rec = recordings()
        for kind, bad in not_points(w).items():
            try:
                raises(TypeError, lambda: sparse(attr, rec["number"], bad), "must be a number")
                raises(TypeError, lambda: sparse(attr, rec["sequence"], bad), "x")
            except AssertionError as failure:
                raise AssertionError(f"{kind}: {failure}") from None
        raises(TypeError, lambda: sparse(attr, rec["sequence"], 2.0), "sequence of 2", "x0")

    def wrong_length_bools_and_edges() -> None:
        rec = recordings()
        for bad in ([2.0], [], np.ones(3)):
            raises(ValueError, lambda: sparse(attr, rec["sequence"], bad), "has 2 inputs")
        raises(TypeError, lambda: sparse(attr, rec["number"], True), "bool")
        for v in (math.nan, math.inf):
            raises(ValueError, lambda: sparse(attr, rec["sequence"], [1.0, v]), "x[1]", "finite")
        for v in (0.0, -2.5, 3, np.float32(1.5)):
            got = sparse(attr, rec["number"], v, format="values")
            expected = 2.0 if attr == "sparse_hessian" else 2.0 * float(v)
            assert got.tolist() == [expected]

    def formats() -> None:
        rec = recordings()["sequence"]
        for bad in ("dense", "CSR", ""):
            raises(ValueError, lambda: sparse(attr, rec, [1.0, 2.0], format=bad), "format")
        raises(TypeError, lambda: sparse(attr, rec, [1.0, 2.0], format=1), "str")
        raises(TypeError, lambda: sparse(attr, rec, [1.0, 2.0], bogus=1), "keyword")
        raises(TypeError, lambda: getattr(rec, attr)(), "x")

    def branches_and_escapes() -> None:
        rec = recordings()
        raises(BranchChangedError, lambda: sparse(attr, rec["guarded"], -1.0), "x > 0.0")
        raises(EscapedValueError, lambda: sparse(attr, rec["escaped"], 3.0), ".number")
        sparse(attr, rec["escaped"], 2.0)

    def outputs_and_customs() -> None:
        rec = recordings()
        if attr == "sparse_hessian":
            raises(ValueError, lambda: sparse(attr, rec["outputs"], [4.0, 5.0]), "one output")
            weights_bad: list[object] = [[1.0], "ab", [1.0, None]]
            for bad in weights_bad:
                raises(
                    (ValueError, TypeError),  # type: ignore[arg-type]
                    lambda: rec["outputs"].sparse_hessian([4.0, 5.0], bad),
                    "weights",
                )
            raises(ValueError, lambda: sparse(attr, rec["custom"], 1.0), "unary() or binary()")
        else:
            got = sparse(attr, rec["outputs"], [4.0, 5.0]).toarray()
            assert got.tolist() == rec["outputs"].jacobian([4.0, 5.0]).tolist()
            got = sparse(attr, rec["custom"], 1.0).toarray()
            assert got.tolist() == [[math.cos(1.0)]]

    return [
        ("not a point", not_a_point),
        ("wrong length, bools, edges", wrong_length_bools_and_edges),
        ("formats", formats),
        ("branches and escapes", branches_and_escapes),
        ("outputs and custom operations", outputs_and_customs),
    ]


def pattern_cases(owner: str, attr: str) -> list[Case]:
    def formats_and_arity() -> None:
        rec = recordings()["sequence"]
        raises(ValueError, lambda: getattr(rec, attr)("values"), "format")
        raises(TypeError, lambda: getattr(rec, attr)("csr", 1), "argument")
        rows, cols = getattr(rec, attr)(format="coo")
        assert rows.dtype == np.int64 and cols.dtype == np.int64

    def every_recording() -> None:
        for rec in recordings().values():
            p = getattr(rec, attr)()
            assert p.shape[1] == rec.n_inputs

    return [("formats and arity", formats_and_arity), ("every recording", every_recording)]


def colour_cases(owner: str, attr: str) -> list[Case]:
    def counts() -> None:
        got = [getattr(r, attr) for r in recordings().values()]
        assert all(isinstance(c, int) and c >= 0 for c in got)

    return [("counts", counts)]


def functional_cases(owner: str, attr: str) -> list[Case]:
    make: Callable[..., Any] = getattr(wengert, attr)

    def not_callable() -> None:
        for bad in (None, 1.0, "f"):
            raises(TypeError, lambda: make(bad), "needs a function", type(bad).__name__)

    def bad_points() -> None:
        for bad in ("a", None, [1.0, "a"]):
            raises(TypeError, lambda: make(lambda v: v[0] * v[0])(bad), "")

    return [("not callable", not_callable), ("bad points", bad_points)]


ENTRIES: dict[str, Category] = {
    **{f"Recording.{name}": custom(sparse_cases) for name in METHODS},
    **{
        f"Recording.{name}": custom(pattern_cases)
        for name in ("jacobian_sparsity", "hessian_sparsity")
    },
    **{
        f"Recording.{name}": lambda full, name=name: (
            read_only(lambda r: getattr(r, name))(full) + custom(colour_cases)(full)
        )
        for name in ("jacobian_colours", "hessian_colours")
    },
    "wengert.sparse_jacobian": custom(functional_cases),
    "wengert.sparse_hessian": custom(functional_cases),
}


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
