"""Gradient descent on the Rosenbrock function, with wengert.grad.

f(x, y) = (1 - x)² + 100 (y - x²)² has its minimum 0 at (1, 1), at the end of a
long curved valley, which plain gradient descent follows slowly. The function
is ordinary numpy code: grad passes it an object array of Records and returns
the gradient as a float array.
"""

from typing import Any

import numpy as np

from wengert import grad


def rosenbrock(v: Any) -> Any:
    x, y = v[:-1], v[1:]
    return np.sum((1.0 - x) * (1.0 - x) + 100.0 * (y - x * x) * (y - x * x))


def main() -> None:
    gradient = grad(rosenbrock)
    point = np.array([-1.2, 1.0])
    steps = 0
    while np.max(np.abs(point - 1.0)) > 1e-4:
        point = point - 0.002 * gradient(point)
        steps += 1
        assert steps < 20_000, "gradient descent did not converge"
    print(f"minimum at ({point[0]:.3f}, {point[1]:.3f}) after {steps} steps of gradient descent")


if __name__ == "__main__":
    main()
