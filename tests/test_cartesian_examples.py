"""The project's founding examples, with their numbers.

The polar-to-cartesian map ``(r, a) -> (r cos a, r sin a)`` at r = 1, a = 2, differentiated
three ways (Trace, Record, and one generic function run on floats, Traces and Records), and
f(x, y) = 5x³ - 4x² + 10x - y in both modes.
"""

from __future__ import annotations

import math
from typing import TypeVar

import wengert
from wengert import Record, Trace, WengertList, cos, sin
from wengert.typing import Real

T = TypeVar("T", bound=Real)

R, ANGLE = 1.0, 2.0
DX_DR = math.cos(2.0)
DY_DR = math.sin(2.0)
DX_DA = -math.sin(2.0)
DY_DA = math.cos(2.0)


def cartesian_trace(r: Trace, angle: Trace) -> tuple[Trace, Trace]:
    """The first example: the function written for Traces."""
    x = r * angle.cos()
    y = r * angle.sin()
    return x, y


def cartesian_record(r: Record, angle: Record) -> tuple[Record, Record]:
    """The second example: the function written for Records."""
    x = r * angle.cos()
    y = r * angle.sin()
    return x, y


def cartesian(r: T, angle: T) -> tuple[T, T]:
    """The third example: one generic body for floats, Traces and Records."""
    x = r * cos(angle)
    y = r * sin(angle)
    return x, y


def polynomial(x: T, y: T) -> T:
    """The polynomial f(x, y) = 5x³ - 4x² + 10x - y."""
    return 5 * x**3 - 4 * x**2 + 10 * x - y


# --- Using Trace ---------------------------------------------------------------------------------


def test_trace_example_first_finds_dx_dr_and_dy_dr() -> None:
    x, y = cartesian_trace(Trace.variable(R), Trace.constant(ANGLE))
    assert x.derivative == DX_DR
    assert y.derivative == DY_DR


def test_trace_example_then_finds_dx_da_and_dy_da() -> None:
    x, y = cartesian_trace(Trace.constant(R), Trace.variable(ANGLE))
    assert x.derivative == DX_DA
    assert y.derivative == DY_DA


def test_trace_example_values_are_the_cartesian_point() -> None:
    x, y = cartesian_trace(Trace.variable(R), Trace.constant(ANGLE))
    assert x.number == R * math.cos(ANGLE)
    assert y.number == R * math.sin(ANGLE)


# --- Using Record --------------------------------------------------------------------------------


def test_record_example_finds_all_four_derivatives() -> None:
    tape = WengertList()
    r = Record.variable(R, tape)
    a = Record.variable(ANGLE, tape)
    x, y = cartesian_record(r, a)
    # first find dx/dr and dx/da
    x_derivatives = x.derivatives()
    assert x_derivatives[r] == DX_DR
    assert x_derivatives[a] == DX_DA
    # now find dy/dr and dy/da
    y_derivatives = y.derivatives()
    assert y_derivatives[r] == DY_DR
    assert y_derivatives[a] == DY_DA


def test_record_example_with_tape_variable_is_the_same() -> None:
    tape = WengertList()
    r = tape.variable(R)
    a = tape.variable(ANGLE)
    x, y = cartesian_record(r, a)
    assert (x.derivatives()[r], x.derivatives()[a]) == (DX_DR, DX_DA)
    assert (y.derivatives().at(r), y.derivatives().at(a)) == (DY_DR, DY_DA)
    assert (x.number, y.number) == (R * math.cos(ANGLE), R * math.sin(ANGLE))


def test_record_example_records_one_entry_per_operation() -> None:
    tape = WengertList()
    r = tape.variable(R)
    a = tape.variable(ANGLE)
    assert len(tape) == 2
    cartesian_record(r, a)
    # cos, mul, sin, mul
    assert len(tape) == 6


def test_record_constant_angle_gives_only_r_derivatives_and_a_shorter_tape() -> None:
    # "With Reverse mode we would only pass constants into the cartesian function if we
    # didn't want to get their derivatives (and avoid wasting memory on something we
    # didn't need)."
    tape = WengertList()
    r = tape.variable(R)
    a = Record.constant(ANGLE)
    x, y = cartesian_record(r, a)
    assert len(tape) == 3  # r, and the two multiplications; cos and sin of a constant
    assert x.derivatives()[r] == DX_DR
    assert y.derivatives()[r] == DY_DR


# --- Generic code: floats, Traces and Records ----------------------------------------------------


def test_generic_example_forward_equals_reverse() -> None:
    tape = WengertList()
    r_record = Record.variable(R, tape)
    a_record = Record.variable(ANGLE, tape)
    x_record, y_record = cartesian(r_record, a_record)
    # find dx/dr using reverse mode automatic differentiation
    x_derivatives = x_record.derivatives()
    dx_dr_reverse = x_derivatives[r_record]
    x_trace, y_trace = cartesian(Trace.variable(R), Trace.constant(ANGLE))
    # now find dx/dr with forward automatic differentiation
    dx_dr_forward = x_trace.derivative
    assert dx_dr_reverse == dx_dr_forward
    assert dx_dr_forward == DX_DR
    x, y = cartesian(R, ANGLE)
    assert x == x_record.number
    assert x == x_trace.number
    assert y == y_record.number
    assert y == y_trace.number


def test_generic_example_all_four_derivatives_agree_between_modes() -> None:
    tape = WengertList()
    r = tape.variable(R)
    a = tape.variable(ANGLE)
    x_record, y_record = cartesian(r, a)
    xd, yd = x_record.derivatives(), y_record.derivatives()
    x_r, y_r = cartesian(Trace.variable(R), Trace.constant(ANGLE))
    x_a, y_a = cartesian(Trace.constant(R), Trace.variable(ANGLE))
    assert (xd[r], yd[r], xd[a], yd[a]) == (DX_DR, DY_DR, DX_DA, DY_DA)
    assert (x_r.derivative, y_r.derivative, x_a.derivative, y_a.derivative) == (
        DX_DR,
        DY_DR,
        DX_DA,
        DY_DA,
    )


def test_generic_example_gives_plain_floats_on_floats() -> None:
    x, y = cartesian(R, ANGLE)
    assert type(x) is float
    assert type(y) is float
    assert x == R * math.cos(ANGLE)
    assert y == R * math.sin(ANGLE)


def test_generic_example_keeps_the_kind_of_its_inputs() -> None:
    tape = WengertList()
    xt, yt = cartesian(Trace.variable(R), Trace.constant(ANGLE))
    xr, yr = cartesian(tape.variable(R), tape.variable(ANGLE))
    assert (type(xt), type(yt)) == (Trace, Trace)
    assert (type(xr), type(yr)) == (Record, Record)


# --- f(x, y) = 5x³ - 4x² + 10x - y ---------------------------------------------------------------


def test_polynomial_on_floats() -> None:
    assert polynomial(1.0, 2.0) == 9.0


def test_polynomial_forward_mode_needs_one_pass_per_input() -> None:
    fx = polynomial(Trace.variable(1.0), Trace.constant(2.0))
    fy = polynomial(Trace.constant(1.0), Trace.variable(2.0))
    assert fx.number == 9.0
    assert fy.number == 9.0
    assert fx.derivative == 17.0
    assert fy.derivative == -1.0


def test_polynomial_reverse_mode_gets_both_in_one_sweep() -> None:
    tape = WengertList()
    x = tape.variable(1.0)
    y = tape.variable(2.0)
    f = polynomial(x, y)
    assert f.number == 9.0
    d = f.derivatives()
    assert d[x] == 17.0
    assert d[y] == -1.0


def test_polynomial_derivative_helper() -> None:
    assert wengert.derivative(lambda x: polynomial(x, Trace.constant(2.0)), 1.0) == 17.0
