"""The module's names that are not functions: its exception classes and ``__version__``."""

from __future__ import annotations

from collections.abc import Callable

import pytest

import wengert
from wengert import BranchChangedError, TapeError

from ._common import Case, Category, cases, custom, split


def exception_class(parent: type[BaseException]) -> Category:
    def cases(name: str) -> list[Case]:
        cls = getattr(wengert, split(name)[1])

        def hierarchy() -> None:
            assert issubclass(cls, parent) and issubclass(cls, TypeError | ValueError)
            assert cls.__module__ == "wengert._core" and cls.__doc__

        return [("hierarchy", hierarchy)]

    return cases


def version_cases(owner: str, attr: str) -> list[Case]:
    def is_text() -> None:
        parts = wengert.__version__.split(".")
        assert len(parts) == 3 and all(p.isdigit() for p in parts)

    return [("text", is_text)]


ENTRIES: dict[str, Category] = {
    "wengert.__version__": custom(version_cases),
    "wengert.TapeError": exception_class(ValueError),
    "wengert.MixedTapesError": exception_class(TapeError),
    "wengert.StaleRecordError": exception_class(TapeError),
    "wengert.ConstantRecordError": exception_class(TapeError),
    "wengert.MixedModesError": exception_class(TypeError),
    "wengert.ImplicitConversionError": exception_class(TypeError),
    "wengert.BranchChangedError": exception_class(ValueError),
    "wengert.EscapedValueError": exception_class(BranchChangedError),
}


@pytest.mark.parametrize("check", cases(ENTRIES))
def test_misuse(check: Callable[[], None]) -> None:
    check()
