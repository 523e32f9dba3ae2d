"""Newton's method on the 1-D Bratu problem with a sparse Jacobian: 100,000 unknowns.

u'' + λ exp(u) = 0 on (0, 1), u(0) = u(1) = 0, discretised by central differences
on n interior points. ``wengert.record`` runs the residual once; each Newton step
then takes the residual and its sparse (tridiagonal) Jacobian from the recording,
as a scipy.sparse.csr_array for ``scipy.sparse.linalg.spsolve``. The Jacobian
needs 3 compressed passes (its colours), not n.
"""

import math
import sys

import numpy as np
import scipy.sparse.linalg

from wengert import Record, exp, record

LAMBDA = 1.0


def residual(u: list[Record]) -> list[Record]:
    """The discretised equations at the n interior points."""
    n = len(u)
    inverse_h2 = float((n + 1) ** 2)
    out = []
    for i in range(n):
        left = u[i - 1] if i > 0 else 0.0
        right = u[i + 1] if i < n - 1 else 0.0
        out.append((left - 2.0 * u[i] + right) * inverse_h2 + LAMBDA * exp(u[i]))
    return out


def exact_midpoint() -> float:
    """u(1/2) of the lower solution: -2 ln(1 / cosh(θ/4)), θ = sqrt(2λ) cosh(θ/4)."""
    theta = 1.0
    for _ in range(100):
        theta = math.sqrt(2.0 * LAMBDA) * math.cosh(theta / 4.0)
    return 2.0 * math.log(math.cosh(theta / 4.0))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    u = np.zeros(n)
    recording = record(residual, u)
    steps = 0
    while steps < 20:
        steps += 1
        jacobian = recording.sparse_jacobian(u)
        du = scipy.sparse.linalg.spsolve(jacobian.tocsc(), -recording.value(u))
        u += du
        if np.max(np.abs(du)) < 1e-12:
            break
    print(f"n = {n}, Newton steps: {steps}, Jacobian colours: {recording.jacobian_colours}")
    print(f"residual max: {np.max(np.abs(recording.value(u))):.2e}")
    print(f"u(1/2) = {u[n // 2]:.6f}, exact {exact_midpoint():.6f}")


if __name__ == "__main__":
    main()
