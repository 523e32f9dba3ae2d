"""Sparse derivatives of a Python callable: :func:`sparse_jacobian` and :func:`sparse_hessian`.

Each call records ``f`` at the point (:func:`~wengert.record`) and evaluates the
recording's sparse Jacobian or Hessian: the pattern from the recording's structure,
a colouring, and one compressed pass per colour. To evaluate at many points,
record once and call :meth:`~wengert.Recording.sparse_jacobian` or
:meth:`~wengert.Recording.sparse_hessian` on the recording, which keeps the
pattern and colouring (and checks that ``f``'s branches still hold).

The ``csr`` form is a ``scipy.sparse.csr_array`` (``pip install 'wengert[sparse]'``);
``coo`` gives numpy arrays ``(rows, cols, values)`` and needs no scipy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from wengert._core import record

_Format = Literal["csr", "coo", "values"]


def sparse_jacobian(f: Callable[[Any], Any], format: _Format = "csr") -> Callable[[Any], Any]:
    """A function giving the sparse Jacobian of ``f`` (which returns a 1-D sequence).

    >>> jac = sparse_jacobian(lambda v: [v[0] * v[1], 2.0 * v[2]], format="coo")
    >>> rows, cols, values = jac([1.0, 2.0, 3.0])
    >>> rows.tolist(), cols.tolist(), values.tolist()
    ([0, 0, 1], [0, 1, 2], [2.0, 1.0, 2.0])
    """
    if not callable(f):
        raise TypeError(f"sparse_jacobian(f) needs a function, not {type(f).__name__}")

    def sparse_jacobian_at(x: Any) -> Any:
        return record(f, x).sparse_jacobian(x, format=format)

    return sparse_jacobian_at


def sparse_hessian(f: Callable[[Any], Any], format: _Format = "csr") -> Callable[[Any], Any]:
    """A function giving the sparse Hessian of ``f`` (which returns one number).

    >>> hess = sparse_hessian(lambda v: v[0] * v[1] + v[2] ** 3, format="coo")
    >>> rows, cols, values = hess([1.0, 2.0, 3.0])
    >>> rows.tolist(), cols.tolist(), values.tolist()
    ([0, 1, 2], [1, 0, 2], [1.0, 1.0, 18.0])
    """
    if not callable(f):
        raise TypeError(f"sparse_hessian(f) needs a function, not {type(f).__name__}")

    def sparse_hessian_at(x: Any) -> Any:
        return record(f, x).sparse_hessian(x, format=format)

    return sparse_hessian_at


__all__ = ["sparse_hessian", "sparse_jacobian"]
