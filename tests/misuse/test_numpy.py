"""NumPy: the ``__array_priority__`` of Trace, MultiTrace and Record, above numpy's
scalars (which hand the operation over) and below its arrays."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from ._common import NUMBER_CLASSES, Case, Category, cases, custom, fresh, world


def array_priority_cases(owner: str, attr: str) -> list[Case]:
    """Above numpy's scalars (which hand the operation over) and below its arrays."""

    def priority() -> None:
        w = world()
        cls = type(fresh(owner, w))
        value = cls.__array_priority__
        assert type(value) is float
        assert np.float64(1.0).__array_priority__ < value < np.zeros(1).__array_priority__
        for scalar in (np.float32(2.0), np.int64(2), np.uint8(2), np.bool_(True)):
            assert type(scalar * fresh(owner, w)) is cls, scalar
            assert type(fresh(owner, w) - scalar) is cls, scalar
        product = np.array([2.0, 3.0]) * fresh(owner, w)
        assert product.dtype == object and all(type(p) is cls for p in product)

    return [("between numpy scalars and arrays", priority)]


ENTRIES: dict[str, Category] = {
    f"{owner}.__array_priority__": custom(array_priority_cases) for owner in NUMBER_CLASSES
}


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
