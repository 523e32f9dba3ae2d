"""Sparse Jacobians and Hessians of a Recording: patterns, colourings, values, errors.

Values are checked against the dense ``jacobian``/``hessian`` of the same recording;
patterns against the dense nonzeros (a superset) and against known structures
(exactly); colour counts against a small independent greedy colouring written here.
"""

from __future__ import annotations

import doctest
import math
import random
import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import scipy.sparse

import wengert
import wengert.sparse
from wengert import BranchChangedError, record

# --- programs ------------------------------------------------------------------


def rosenbrock(x: Any) -> Any:
    s = 0.0
    for i in range(len(x) - 1):
        s = s + 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1.0 - x[i]) ** 2
    return s


def tridiagonal_quadratic(x: Any) -> Any:
    s = 0.0
    for i in range(len(x) - 1):
        s = s + x[i] * x[i + 1] + x[i] * x[i]
    return s + x[-1] * x[-1]


def bratu(u: Any, lam: float = 1.0) -> list[Any]:
    n = len(u)
    h2 = (1.0 / (n + 1)) ** 2
    out = []
    for i in range(n):
        left = u[i - 1] if i > 0 else 0.0
        right = u[i + 1] if i < n - 1 else 0.0
        out.append((left - 2.0 * u[i] + right) / h2 + lam * wengert.exp(u[i]))
    return out


def diagonal(x: Any) -> Any:
    s = 0.0
    for xi in x:
        s = s + wengert.sin(xi) * xi
    return s


def banded(x: Any) -> Any:
    """Bandwidth 2: each term couples x[i], x[i+1], x[i+2]."""
    s = 0.0
    for i in range(len(x) - 2):
        s = s + x[i] * x[i + 1] * x[i + 2]
    return s


def arrow(x: Any) -> Any:
    s = x[0] ** 3
    for i in range(1, len(x)):
        s = s + x[0] * x[i] + wengert.exp(x[i])
    return s


def block(x: Any) -> Any:
    """Blocks of three inputs, each fully coupled."""
    s = 0.0
    for i in range(0, len(x) - 2, 3):
        s = s + wengert.exp(x[i] + x[i + 1] + x[i + 2])
    return s


def dense(x: Any) -> Any:
    total = 0.0
    for xi in x:
        total = total + xi
    return total * total


def guarded(x: Any) -> Any:
    s = 0.0
    for i in range(len(x) - 1):
        s = s + (x[i] * x[i + 1] if x[i] > 0 else x[i] - x[i + 1] ** 2)
    return s + 2.0


def with_steps(x: Any) -> Any:
    """floor has derivative 0: it links nothing."""
    return wengert.floor(x[0] * x[1]) * x[2] + x[1] * x[2] + abs(x[0]) * 3.0


def outputs_with_constants(x: Any) -> list[Any]:
    return [x[0] * x[1], 3.0, wengert.sin(x[2]) + x[0], x[1] / x[2], x[3]]


def custom_jacobian(x: Any) -> list[Any]:
    def f(u: float) -> float:
        return math.sin(u) ** 2

    def df(u: float) -> float:
        return 2.0 * math.sin(u) * math.cos(u)

    return [
        x[0].unary(f, df) * x[1],
        x[1].binary(x[2], lambda a, b: a * b * b, lambda a, b: b * b, lambda a, b: 2 * a * b),
        x[3] + 1.0,
    ]


SCALAR = {
    "rosenbrock": (rosenbrock, 12),
    "tridiagonal": (tridiagonal_quadratic, 11),
    "diagonal": (diagonal, 9),
    "banded": (banded, 10),
    "arrow": (arrow, 9),
    "block": (block, 9),
    "dense": (dense, 6),
    "guarded": (guarded, 8),
    "steps": (with_steps, 3),
}

VECTOR = {
    "bratu": (bratu, 10),
    "constants": (outputs_with_constants, 4),
    "custom": (custom_jacobian, 4),
}


def point(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.uniform(0.2, 0.9, n)


def check_pattern_covers(pattern: Any, dense_matrix: np.ndarray) -> None:
    ones = pattern.toarray()
    assert set(np.unique(ones)) <= {0.0, 1.0}
    assert np.all(ones[dense_matrix != 0.0] == 1.0), "the pattern misses a nonzero"


# --- values equal the dense methods -------------------------------------------


@pytest.mark.parametrize("name", sorted(SCALAR))
def test_sparse_hessian_equals_dense(name: str) -> None:
    f, n = SCALAR[name]
    x0 = point(n)
    rec = record(f, x0)
    for seed in range(3):
        x = x0 if seed == 0 else x0 + 0.01 * point(n, seed)
        dense_h = rec.hessian(x)
        sparse_h = rec.sparse_hessian(x)
        assert isinstance(sparse_h, scipy.sparse.csr_array)
        assert sparse_h.shape == (n, n)
        np.testing.assert_allclose(sparse_h.toarray(), dense_h, rtol=1e-14, atol=1e-14)
        check_pattern_covers(rec.hessian_sparsity(), dense_h)


@pytest.mark.parametrize("name", sorted(SCALAR))
def test_sparse_jacobian_of_a_scalar_function_equals_dense(name: str) -> None:
    f, n = SCALAR[name]
    x = point(n)
    rec = record(f, x)
    np.testing.assert_array_equal(rec.sparse_jacobian(x).toarray(), rec.jacobian(x))
    # One row: one reverse sweep (the columns, which would each need a colour, are not
    # coloured at all).
    assert rec.jacobian_colours == 1


@pytest.mark.parametrize("name", sorted(VECTOR))
def test_sparse_jacobian_equals_dense(name: str) -> None:
    f, n = VECTOR[name]
    x0 = point(n)
    rec = record(f, x0)
    for seed in range(3):
        x = x0 if seed == 0 else x0 + 0.01 * point(n, seed)
        dense_j = rec.jacobian(x)
        sparse_j = rec.sparse_jacobian(x)
        assert sparse_j.shape == dense_j.shape
        # Where the sparse passes go the dense method's way, the same bits.
        np.testing.assert_array_equal(sparse_j.toarray(), dense_j)
        check_pattern_covers(rec.jacobian_sparsity(), dense_j)


def test_forward_compressed_jacobian_equals_dense() -> None:
    """More outputs than inputs: forward passes, as the dense method takes."""

    def f(x: Any) -> list[Any]:
        out = []
        for i in range(len(x)):
            out += [x[i] * x[i], wengert.sin(x[i]) * x[(i + 1) % len(x)], x[i] + 1.0]
        return out

    x = point(7)
    rec = record(f, x)
    np.testing.assert_array_equal(rec.sparse_jacobian(x).toarray(), rec.jacobian(x))
    assert rec.jacobian_colours == 3  # x_i with x_(i+1) around an odd cycle


def test_exact_on_a_diagonal_jacobian_with_one_colour() -> None:
    rec = record(lambda x: [wengert.exp(xi) * 2.0 for xi in x], point(6))
    x = point(6, 1)
    assert rec.jacobian_colours == 1
    np.testing.assert_array_equal(rec.jacobian_sparsity().toarray(), np.eye(6))
    np.testing.assert_array_equal(rec.sparse_jacobian(x).toarray(), rec.jacobian(x))
    np.testing.assert_allclose(rec.sparse_jacobian(x).toarray(), np.diag(2.0 * np.exp(x)), 1e-15)


# --- random programs -------------------------------------------------------------


def random_program(rng: random.Random, n: int, m: int) -> Callable[[Any], Any]:
    """A random straight-line program of n inputs and m outputs (a fixed recipe)."""
    steps: list[tuple[str, int, int, float]] = []
    for _ in range(rng.randint(3, 25)):
        op = rng.choice(["+", "-", "*", "/", "sin", "exp", "sq", "pow", "atan2", "hypot", "c*"])
        steps.append((op, rng.randrange(1 << 30), rng.randrange(1 << 30), rng.uniform(0.5, 2)))
    picks = [rng.randrange(1 << 30) for _ in range(m)]

    def f(x: Any) -> Any:
        values = list(x)
        for op, i, j, c in steps:
            a, b = values[i % len(values)], values[j % len(values)]
            if op == "+":
                v = a + b
            elif op == "-":
                v = a - b
            elif op == "*":
                v = a * b
            elif op == "/":
                v = a / (1.5 + b * b)
            elif op == "sin":
                v = wengert.sin(a)
            elif op == "exp":
                v = wengert.exp(a * 0.1)
            elif op == "sq":
                v = a**2
            elif op == "pow":
                v = (1.5 + a * a) ** c
            elif op == "atan2":
                v = wengert.atan2(a, 1.5 + b * b)
            elif op == "hypot":
                v = wengert.hypot(a, 1.0 + b * b)
            else:
                v = c * a
            values.append(v)
        outs = [values[p % len(values)] for p in picks]
        return outs if m > 1 else outs[0]

    return f


@pytest.mark.parametrize("seed", range(40))
def test_random_programs(seed: int) -> None:
    rng = random.Random(seed)
    n, m = rng.randint(1, 7), rng.randint(1, 5)
    f = random_program(rng, n, m)
    x = point(n, seed)
    rec = record(f, x)
    dense_j = rec.jacobian(x)
    # Bit for bit where the compressed passes go the dense method's way; where the other
    # direction needs fewer colours, the sums are associated the other way.
    np.testing.assert_allclose(rec.sparse_jacobian(x).toarray(), dense_j, rtol=1e-14, atol=0)
    check_pattern_covers(rec.jacobian_sparsity(), dense_j)
    # The Lagrangian's Hessian: one weighted pass equals the weighted dense Hessians.
    weights = np.linspace(0.5, 2.0, m)
    expected = np.zeros((n, n))
    for k in range(m):
        out_k = record(lambda v, k=k: (f(v) if m > 1 else [f(v)])[k], x)
        h_k = out_k.hessian(x)
        expected += weights[k] * np.atleast_2d(h_k)
        check_pattern_covers(rec.hessian_sparsity(), np.atleast_2d(h_k))
    sparse_h = rec.sparse_hessian(x, weights).toarray()
    np.testing.assert_allclose(sparse_h, expected, rtol=1e-12, atol=1e-12)
    if m == 1:
        np.testing.assert_allclose(
            rec.sparse_hessian(x).toarray(), np.atleast_2d(rec.hessian(x)), rtol=1e-13, atol=1e-13
        )


# --- patterns exact on known structures ------------------------------------------


def band(n: int, width: int) -> np.ndarray:
    i, j = np.indices((n, n))
    return (abs(i - j) <= width).astype(float)


def expected_patterns(n: int) -> dict[str, np.ndarray]:
    arrow_p = np.eye(n)
    arrow_p[0, :] = arrow_p[:, 0] = 1.0
    block_p = np.zeros((n, n))
    for i in range(0, n - 2, 3):
        block_p[i : i + 3, i : i + 3] = 1.0
    return {
        "diagonal": np.eye(n),
        "tridiagonal": band(n, 1),
        "rosenbrock": band(n, 1),
        "banded": band(n, 2) - np.eye(n),
        "arrow": arrow_p,
        "block": block_p,
        "dense": np.ones((n, n)),
    }


@pytest.mark.parametrize(
    "name", ["diagonal", "tridiagonal", "rosenbrock", "banded", "arrow", "block", "dense"]
)
def test_hessian_patterns_are_exact_on_known_structures(name: str) -> None:
    n = 9
    f = SCALAR[name][0]
    rec = record(f, point(n))
    np.testing.assert_array_equal(rec.hessian_sparsity().toarray(), expected_patterns(n)[name])


def test_jacobian_pattern_of_bratu_is_tridiagonal() -> None:
    rec = record(bratu, point(8))
    np.testing.assert_array_equal(rec.jacobian_sparsity().toarray(), band(8, 1))


def test_steps_and_absolute_values_link_nothing() -> None:
    rec = record(with_steps, point(3))
    # floor(x0*x1)*x2: floor's derivative is 0, so only x1*x2 remains; abs is linear.
    expected = np.array([[0, 0, 0], [0, 0, 1], [0, 1, 0]], dtype=float)
    np.testing.assert_array_equal(rec.hessian_sparsity().toarray(), expected)
    np.testing.assert_array_equal(rec.jacobian_sparsity().toarray(), [[1, 1, 1]])


# --- colour counts ------------------------------------------------------------------


def greedy_star(pattern: np.ndarray, order: list[int]) -> int:
    """Greedy star colouring by brute force: the smallest colour keeping the colouring
    distance-1 and free of two-coloured paths on four vertices."""
    n = pattern.shape[0]
    adj = [[j for j in range(n) if j != i and pattern[i, j]] for i in range(n)]
    colour: dict[int, int] = {}

    def ok(v: int) -> bool:
        for w in adj[v]:
            if colour.get(w) == colour[v]:
                return False
        for a in range(n):
            for b in adj[a]:
                for c in adj[b]:
                    for d in adj[c]:
                        path = [a, b, c, d]
                        if len(set(path)) < 4 or v not in path:
                            continue
                        if any(p not in colour for p in path):
                            continue
                        if colour[a] == colour[c] and colour[b] == colour[d]:
                            return False
        return True

    for v in order:
        colour[v] = 0
        while not ok(v):
            colour[v] += 1
    return max(colour.values()) + 1


def greedy_columns(pattern: np.ndarray, order: list[int]) -> int:
    """Greedy distance-1 colouring of the column intersection graph."""
    cols = pattern.shape[1]
    colour: dict[int, int] = {}
    for j in order:
        taken = {
            colour[k]
            for k in range(cols)
            if k in colour and np.any((pattern[:, j] != 0) & (pattern[:, k] != 0))
        }
        colour[j] = min(c for c in range(cols + 1) if c not in taken)
    return max(colour.values()) + 1


def largest_first(degrees: list[int]) -> list[int]:
    return sorted(range(len(degrees)), key=lambda v: -degrees[v])


@pytest.mark.parametrize(
    "name", ["tridiagonal", "rosenbrock", "banded", "arrow", "block", "dense", "diagonal"]
)
def test_hessian_colours_within_one_of_greedy_star(name: str) -> None:
    n = 9
    rec = record(SCALAR[name][0], point(n))
    p = rec.hessian_sparsity().toarray()
    degrees = [int(np.count_nonzero(p[i])) for i in range(n)]
    reference = min(greedy_star(p, list(range(n))), greedy_star(p, largest_first(degrees)))
    assert abs(rec.hessian_colours - reference) <= 1


def test_tridiagonal_hessian_has_three_colours() -> None:
    for f in (tridiagonal_quadratic, rosenbrock):
        rec = record(f, point(200))
        assert rec.hessian_colours == 3
        x = point(200, 3)
        np.testing.assert_allclose(rec.sparse_hessian(x).toarray(), rec.hessian(x), rtol=1e-15)


def test_bratu_jacobian_colours() -> None:
    rec = record(bratu, point(50))
    assert rec.jacobian_colours == 3
    p = rec.jacobian_sparsity().toarray()
    assert greedy_columns(p, list(range(50))) == 3


@pytest.mark.parametrize("seed", range(6))
def test_jacobian_colours_within_one_of_greedy(seed: int) -> None:
    rng = random.Random(100 + seed)
    n, m = rng.randint(3, 8), rng.randint(3, 8)
    rec = record(random_program(rng, n, m), point(n, seed))
    p = rec.jacobian_sparsity().toarray()
    columns = greedy_columns(p, list(range(n)))
    rows = greedy_columns(p.T, list(range(m)))
    assert rec.jacobian_colours <= min(columns, rows) + 1


# --- forms and the pattern kept ---------------------------------------------------


def test_triplets_have_a_fixed_order_and_match_csr() -> None:
    rec = record(bratu, point(12))
    rows0, cols0 = rec.jacobian_sparsity(format="coo")
    for seed in range(3):
        x = point(12, seed)
        rows, cols, values = rec.sparse_jacobian(x, format="coo")
        np.testing.assert_array_equal(rows, rows0)
        np.testing.assert_array_equal(cols, cols0)
        np.testing.assert_array_equal(rec.sparse_jacobian(x, format="values"), values)
        rebuilt = scipy.sparse.coo_array((values, (rows, cols)), shape=(12, 12)).toarray()
        np.testing.assert_array_equal(rebuilt, rec.jacobian(x))
    hr, hc, hv = rec.sparse_hessian(point(12), np.ones(12), format="coo")
    assert hr.dtype == np.int64 and hc.dtype == np.int64 and hv.dtype == np.float64
    assert np.all(hr == rec.hessian_sparsity(format="coo")[0])


def test_scalar_input_recording() -> None:
    rec = record(lambda x: x**3, 2.0)
    assert rec.sparse_hessian(3.0).toarray().tolist() == [[18.0]]
    assert rec.sparse_jacobian(3.0).toarray().tolist() == [[27.0]]


def test_functional_forms() -> None:
    x = point(10)
    np.testing.assert_array_equal(
        wengert.sparse_jacobian(bratu)(x).toarray(), record(bratu, x).jacobian(x)
    )
    np.testing.assert_allclose(
        wengert.sparse_hessian(rosenbrock)(x).toarray(), record(rosenbrock, x).hessian(x)
    )
    with pytest.raises(TypeError, match="needs a function"):
        wengert.sparse_hessian(3.0)  # type: ignore[arg-type]


def test_docstring_examples() -> None:
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for test in finder.find(wengert.sparse, globs={"wengert": wengert}):
        test.globs.update(vars(wengert.sparse))
        runner.run(test)
    assert runner.failures == 0
    assert runner.tries >= 2


def test_without_scipy_csr_raises_and_triplets_work(monkeypatch: pytest.MonkeyPatch) -> None:
    rec = record(rosenbrock, point(5))
    monkeypatch.setitem(sys.modules, "scipy.sparse", None)
    with pytest.raises(ImportError, match=r"pip install 'wengert\[sparse\]'"):
        rec.sparse_hessian(point(5))
    with pytest.raises(ImportError, match="wengert"):
        rec.jacobian_sparsity()
    rows, cols, values = rec.sparse_hessian(point(5), format="coo")
    dense_h = rec.hessian(point(5))
    np.testing.assert_allclose(values, dense_h[rows, cols], rtol=1e-15)


# --- errors as the dense methods ---------------------------------------------------


def test_branch_changes_raise() -> None:
    rec = record(guarded, point(6))
    x = point(6)
    x[2] = -1.0
    with pytest.raises(BranchChangedError):
        rec.sparse_hessian(x)
    with pytest.raises(BranchChangedError):
        rec.sparse_jacobian(x)


def test_bad_points_raise_as_the_dense_methods() -> None:
    rec = record(rosenbrock, point(5))
    for bad, error in [(point(4), ValueError), ([1.0, 2.0, math.nan, 1.0, 1.0], ValueError)]:
        with pytest.raises(error):
            rec.hessian(bad)
        with pytest.raises(error):
            rec.sparse_hessian(bad)
        with pytest.raises(error):
            rec.sparse_jacobian(bad)
    with pytest.raises(TypeError):
        rec.sparse_hessian(1.0)
    with pytest.raises(ValueError, match="format"):
        rec.sparse_hessian(point(5), format="dense")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="format"):
        rec.jacobian_sparsity(format="values")  # type: ignore[call-overload]


def test_math_errors_raise_as_the_dense_methods() -> None:
    rec = record(lambda v: wengert.ln(v[0]) * v[1], [1.0, 2.0])
    with pytest.raises(ValueError) as dense_error:
        rec.hessian([-1.0, 2.0])
    with pytest.raises(ValueError) as sparse_error:
        rec.sparse_hessian([-1.0, 2.0])
    assert str(sparse_error.value) == str(dense_error.value)


def test_custom_operations_without_second_derivatives() -> None:
    rec = record(custom_jacobian, point(4))
    x = point(4, 1)
    np.testing.assert_array_equal(rec.sparse_jacobian(x).toarray(), rec.jacobian(x))
    with pytest.raises(ValueError, match="second derivative"):
        rec.sparse_hessian(x, np.ones(3))
    # Its pattern is conservative: all pairs of the operation's inputs.
    p = rec.hessian_sparsity().toarray()
    assert p[0, 0] == 1.0 and p[1, 2] == 1.0 and p[2, 2] == 1.0
    # An output that does not depend on it has a Hessian.
    h = rec.sparse_hessian(x, [0.0, 0.0, 1.0]).toarray()
    np.testing.assert_array_equal(h, np.zeros((4, 4)))


def test_weights_are_checked() -> None:
    rec = record(bratu, point(4))
    with pytest.raises(ValueError, match="one output"):
        rec.sparse_hessian(point(4))
    with pytest.raises(ValueError, match="weights has 3 numbers"):
        rec.sparse_hessian(point(4), [1.0, 2.0, 3.0])
    with pytest.raises(ValueError):
        rec.sparse_hessian(point(4), [1.0, 2.0, math.inf, 1.0])


def test_constant_outputs_need_no_pass() -> None:
    rec = record(lambda v: [2.0, v[0] * 0.0 + 1.0], [1.0, 2.0])
    assert rec.hessian_colours == 0
    np.testing.assert_array_equal(rec.sparse_hessian([3.0, 4.0], [1.0, 1.0]).toarray(), 0.0)
    rec = record(lambda v: 5.0, [1.0, 2.0])
    assert rec.jacobian_colours == 0 and rec.hessian_colours == 0
    assert rec.sparse_jacobian([3.0, 4.0]).toarray().tolist() == [[0.0, 0.0]]
    assert rec.sparse_hessian([3.0, 4.0]).nnz == 0


def _square(x: float) -> float:
    return x * x


def _square_first(x: float) -> float:
    return 2.0 * x


def _square_second(x: float) -> float:
    return 2.0


def _product_second(x: float, y: float) -> tuple[float, float, float]:
    return (0.0, 1.0, 0.0)


def test_sparse_hessian_through_custom_operations_with_second_derivatives() -> None:
    """unary(fx, dfx_dx, d2fx_dx2) and binary(..., d2fxy) give the sparse Hessian what the
    dense one takes: x0² x1 + sin(x2) + x2 x3, with the square and the last product custom."""

    def f(v: Any) -> Any:
        square = v[0].unary(_square, _square_first, _square_second)
        product = v[2].binary(
            v[3], lambda x, y: x * y, lambda x, y: y, lambda x, y: x, _product_second
        )
        return square * v[1] + wengert.sin(v[2]) + product

    rec = wengert.record(f, [1.0, 2.0, 3.0, 4.0])
    x = [0.5, -1.5, 2.0, 0.25]
    exact = np.array(
        [
            [2.0 * x[1], 2.0 * x[0], 0.0, 0.0],
            [2.0 * x[0], 0.0, 0.0, 0.0],
            [0.0, 0.0, -math.sin(x[2]), 1.0],
            [0.0, 0.0, 1.0, 0.0],
        ]
    )
    sparse = rec.sparse_hessian(x).toarray()
    np.testing.assert_array_equal(sparse, rec.hessian(x))
    np.testing.assert_allclose(sparse, exact, rtol=1e-15)
