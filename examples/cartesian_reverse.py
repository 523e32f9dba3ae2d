"""The reverse-mode example: x = r cos(angle), y = r sin(angle), with Records.

Reverse mode gives the derivatives of one output with respect to every input
per backward sweep, so the function runs once and each output is swept.
"""

from wengert import Record, WengertList, cos, sin


def cartesian(r: Record, angle: Record) -> tuple[Record, Record]:
    x = r * cos(angle)
    y = r * sin(angle)
    return x, y


def main() -> None:
    # first we must construct a WengertList to create records from
    tape = WengertList()
    r = Record.variable(1.0, tape)
    a = Record.variable(2.0, tape)
    x, y = cartesian(r, a)
    # first find dx/dr and dx/da
    x_derivatives = x.derivatives()
    dx_dr = x_derivatives[r]
    dx_da = x_derivatives[a]
    # now find dy/dr and dy/da
    y_derivatives = y.derivatives()
    dy_dr = y_derivatives[r]
    dy_da = y_derivatives[a]
    print(f"dx/dr = {dx_dr}, dy/dr = {dy_dr}, dx/da = {dx_da}, dy/da = {dy_da}")


if __name__ == "__main__":
    main()
