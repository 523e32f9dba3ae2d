"""Newton's method with Trace: the root of cos(x) = x.

Each step needs g(x) and g'(x); one pass with a Trace gives both.
"""

from wengert import Trace, cos


def g(x: Trace) -> Trace:
    return cos(x) - x


def newton(x: float, steps: int = 20) -> tuple[float, int]:
    for step in range(1, steps + 1):
        y = g(Trace.variable(x))
        x_next = x - y.number / y.derivative
        if x_next == x:
            return x, step
        x = x_next
    raise RuntimeError(f"no convergence in {steps} steps")


def main() -> None:
    root, steps = newton(1.0)
    assert abs(g(Trace.constant(root)).number) < 1e-15
    print(f"cos(x) = x at x = {root!r} (Newton's method, {steps} steps from x = 1)")


if __name__ == "__main__":
    main()
