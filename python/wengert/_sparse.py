"""Sparse results of a :class:`~wengert.Recording` as scipy.sparse arrays or numpy triplets.

The native methods (``sparse_jacobian``, ``sparse_hessian``, ``jacobian_sparsity``,
``hessian_sparsity``) hand their pattern here in compressed rows; scipy is needed
only for the ``csr_array`` form (the optional extra ``wengert[sparse]``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

_INSTALL = "pip install 'wengert[sparse]'"


def csr_array_type() -> Any:
    """scipy.sparse.csr_array, or ImportError naming the extra that installs it."""
    try:
        from scipy.sparse import csr_array
    except ImportError as error:
        raise ImportError(
            "sparse results as scipy.sparse arrays need scipy: "
            f"{_INSTALL} (or pass format='coo' for numpy triplets, which need no scipy)"
        ) from error
    return csr_array


def result(
    shape: tuple[int, int],
    indptr: bytes,
    indices: bytes,
    values: NDArray[np.float64] | None,
    format: str,
) -> Any:
    """A pattern in compressed rows (``indptr`` as native uint64, ``indices`` as native
    uint32), with ``values`` or ones, as a ``csr_array`` or as ``(rows, cols[, values])``."""
    pointers = np.frombuffer(indptr, dtype=np.uint64).astype(np.int64)
    cols = np.frombuffer(indices, dtype=np.uint32).astype(np.int64)
    if format == "csr":
        csr_array = csr_array_type()
        data = np.ones(cols.shape[0]) if values is None else values
        return csr_array((data, cols, pointers), shape=shape)
    rows = np.repeat(np.arange(shape[0], dtype=np.int64), np.diff(pointers))
    if values is None:
        return rows, cols
    return rows, cols, values
