"""Newton's method on one recording: the minimum of a function of five variables.

``wengert.record`` runs ``f`` once, on Records; every Newton step then takes the
gradient and the exact Hessian at the new point from the recording, in native code,
without running ``f`` again.
"""

import numpy as np

from wengert import Record, exp, record


def f(v: list[Record]) -> Record | float:
    """A sum of exp(x) - 2x over the inputs, plus (x[i] - x[i+1])² couplings."""
    total: Record | float = 0.0
    for i in range(len(v)):
        total = total + exp(v[i]) - 2.0 * v[i]
        if i + 1 < len(v):
            step = v[i] - v[i + 1]
            total = total + step * step
    return total


def main() -> None:
    x = np.zeros(5)
    recording = record(f, x)
    steps = 0
    while steps < 30:
        steps += 1
        gradient = recording.gradient(x)
        x = x - np.linalg.solve(recording.hessian(x), gradient)
        if np.max(np.abs(gradient)) < 1e-12:
            break
    assert np.allclose(x, np.log(2.0), rtol=0, atol=1e-12)
    print("minimum at x =", ", ".join(f"{v:.6f}" for v in x), f"({steps} Newton steps)")
    print(f"exp(x) = 2 there: every x[i] is ln 2 = {np.log(2.0):.6f}")


if __name__ == "__main__":
    main()
