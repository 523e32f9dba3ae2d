"""The generic example: one function body for floats, Traces and Records.

The type variable bound to ``wengert.typing.Real`` lets ``mypy --strict`` check
that each call returns the kind of number it was given.
"""

from typing import TypeVar

from wengert import Record, Trace, WengertList, cos, sin
from wengert.typing import Real

T = TypeVar("T", bound=Real)


def cartesian(r: T, angle: T) -> tuple[T, T]:
    x = r * cos(angle)
    y = r * sin(angle)
    return x, y


def main() -> None:
    tape = WengertList()
    r_record = Record.variable(1.0, tape)
    a_record = Record.variable(2.0, tape)
    x_record, y_record = cartesian(r_record, a_record)
    # find dx/dr using reverse mode automatic differentiation
    x_derivatives = x_record.derivatives()
    dx_dr_reverse = x_derivatives[r_record]
    x_trace, y_trace = cartesian(Trace.variable(1.0), Trace.constant(2.0))
    # now find dx/dr with forward automatic differentiation
    dx_dr_forward = x_trace.derivative
    assert dx_dr_reverse == dx_dr_forward
    x, y = cartesian(1.0, 2.0)
    assert x == x_record.number and x == x_trace.number
    assert y == y_record.number and y == y_trace.number
    print(f"dx/dr = {dx_dr_forward} in both modes; (x, y) = ({x}, {y})")


if __name__ == "__main__":
    main()
