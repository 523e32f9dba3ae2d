"""The polynomial f(x, y) = 5x³ - 4x² + 10x - y: its value and both partials, both ways."""

from typing import TypeVar

from wengert import Trace, WengertList
from wengert.typing import Real

T = TypeVar("T", bound=Real)


def f(x: T, y: T) -> T:
    return 5 * x**3 - 4 * x**2 + 10 * x - y


def main() -> None:
    # Forward mode: one pass per input.
    df_dx = f(Trace.variable(1.0), Trace.constant(2.0)).derivative
    df_dy = f(Trace.constant(1.0), Trace.variable(2.0)).derivative
    # Reverse mode: one pass, one backward sweep for both.
    tape = WengertList()
    x, y = tape.variables([1.0, 2.0])
    value = f(x, y)
    derivatives = value.derivatives()
    assert (df_dx, df_dy) == (derivatives[x], derivatives[y]) == (17.0, -1.0)
    print(f"f(1, 2) = {value.number}, df/dx = {df_dx}, df/dy = {df_dy}")


if __name__ == "__main__":
    main()
