"""The forward-mode example: x = r cos(angle), y = r sin(angle), with Traces.

Forward mode gives the derivatives of every output with respect to one input
per pass, so the function runs twice: once with r as the variable, once with angle.
"""

from wengert import Trace, cos, sin


def cartesian(r: Trace, angle: Trace) -> tuple[Trace, Trace]:
    x = r * cos(angle)
    y = r * sin(angle)
    return x, y


def main() -> None:
    # first find dx/dr and dy/dr
    x, y = cartesian(Trace.variable(1.0), Trace.constant(2.0))
    dx_dr = x.derivative
    dy_dr = y.derivative
    # now find dx/da and dy/da
    x, y = cartesian(Trace.constant(1.0), Trace.variable(2.0))
    dx_da = x.derivative
    dy_da = y.derivative
    print(f"dx/dr = {dx_dr}, dy/dr = {dy_dr}, dx/da = {dx_da}, dy/da = {dy_da}")


if __name__ == "__main__":
    main()
