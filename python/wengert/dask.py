"""A recording's batches on a Dask cluster: one chunk of rows per task.

``gradients(rec, X)``, ``values(rec, X)`` and ``value_and_gradients(rec, X)`` take the
points as the rows of a ``dask.array`` (or of a numpy array, which is chunked by rows
for you) and run ``Recording.gradients`` (``values``, ``value_and_gradients``) on each
chunk of rows in a task. The recording is one node of the task graph, its pickle
(``Recording.__reduce__``: the file format, and the functions of custom operations
by reference) sent with the graph once and copied to each worker once, not once per
task. Results are those of ``rec.gradients(X)`` in this process, bit for bit: each
row is replayed alone, with the same program.

The computation runs on the Dask scheduler in use: a ``distributed.Client``'s cluster
when one has been made (the usual case), else Dask's local threads. An error at some
row (a ``BranchChangedError``, a math error, a NaN) reaches the caller as the same
exception naming the row of ``X`` it happened at.

>>> import numpy as np, wengert
>>> from wengert import dask as wdask
>>> rec = wengert.record(lambda x: x[0] * x[1], [1.0, 2.0])
>>> wdask.gradients(rec, np.array([[1.0, 2.0], [3.0, 4.0]]))
array([[2., 1.],
       [4., 3.]])

Needs Dask: ``pip install 'wengert[dask]'`` (``dask[array]`` and ``distributed``).
"""

from __future__ import annotations

import hashlib
import math
import pickle
import re
from typing import Any

import numpy as np
from numpy.typing import NDArray

try:
    import dask as _dask
    import dask.array as _da
except ImportError as error:  # pragma: no cover - the message is the point
    raise ImportError(
        "wengert.dask needs Dask and its array module: pip install 'wengert[dask]' "
        "(which installs dask[array] and distributed)"
    ) from error

from ._core import Recording

# Dask's own functions, untyped: used through Any.
dask: Any = _dask
da: Any = _da

__all__ = ["gradients", "value_and_gradients", "values"]

#: How many chunks a numpy array of points is split into, at least (each chunk has at
#: least ``MIN_ROWS`` rows): enough for a few tasks per worker on a small cluster.
CHUNKS = 16
MIN_ROWS = 1024

# How the batches of a Recording name a row in their errors.
_ROW = re.compile(r"\brow (\d+) of X\b")


def _points(rec: Recording[Any], X: Any, rows_per_chunk: int | None, what: str) -> Any:
    """``X`` as a dask array of float64 rows of ``rec.n_inputs`` columns, chunked by rows."""
    n = rec.n_inputs
    if not isinstance(X, da.Array):
        X = np.asarray(X)
        if X.ndim != 2:
            raise TypeError(
                f"{what} takes a 2-D array of points, one per row ({n} columns), not an "
                f"array of shape {X.shape}"
            )
        rows = X.shape[0]
        chunk = rows_per_chunk or max(MIN_ROWS, math.ceil(rows / CHUNKS))
        X = da.from_array(X, chunks=(max(1, chunk), -1))
    else:
        if X.ndim != 2:
            raise TypeError(
                f"{what} takes a 2-D array of points, one per row ({n} columns), not a "
                f"dask array of shape {X.shape}"
            )
        if rows_per_chunk is not None:
            X = X.rechunk((rows_per_chunk, -1))
        elif len(X.chunks[1]) != 1:
            X = X.rechunk({1: -1})  # every chunk holds whole rows
    if X.shape[1] != n:
        raise ValueError(f"{what}: X has {X.shape[1]} columns, but the recording has {n} inputs")
    return X


def _recording_node(rec: Recording[Any]) -> Any:
    """The recording as one node of the graph, named by its pickle's hash (so that the
    same recording is the same node in every graph)."""
    data = pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL)
    name = "wengert-recording-" + hashlib.sha256(data).hexdigest()[:32]
    return dask.delayed(rec, name=name, pure=True, traverse=False)


def _run(method: str, rec: Recording[Any], block: Any, first_row: int) -> Any:
    """``rec.<method>(block)``, an error's row renumbered as the row of the whole X."""
    try:
        return getattr(rec, method)(block)
    except Exception as error:
        text = str(error)
        found = _ROW.search(text)
        if found is None:
            raise
        row = f"row {first_row + int(found[1])} of X"
        raise type(error)(text[: found.start()] + row + text[found.end() :]) from None


def _block(
    block: NDArray[np.float64],
    rec: Recording[Any],
    method: str,
    block_info: dict[Any, Any] | None = None,
) -> NDArray[np.float64]:
    first_row = block_info[0]["array-location"][0][0] if block_info else 0
    if method == "value_and_gradients":
        value, gradient = _run(method, rec, block, first_row)
        return np.concatenate([value[:, None], gradient], axis=1)
    result: NDArray[np.float64] = _run(method, rec, block, first_row)
    return result


def _map(
    method: str, rec: Recording[Any], X: Any, rows_per_chunk: int | None, compute: bool
) -> Any:
    if not isinstance(rec, Recording):
        raise TypeError(
            f"wengert.dask.{method}(rec, X) takes a Recording (from wengert.record), not "
            f"{type(rec).__name__}"
        )
    what = f"wengert.dask.{method}(rec, X)"
    if method != "values" and rec.n_outputs != 1:
        raise ValueError(
            f"{what} needs a function with one output, and f returned a sequence of "
            f"{rec.n_outputs}: use values(rec, X), or record a function returning one number"
        )
    X = _points(rec, X, rows_per_chunk, what)
    node = _recording_node(rec)
    n = rec.n_inputs

    def blocks(columns: int | None) -> Any:
        # The meta is given: dask would otherwise call _block on an empty array to find it.
        if columns is None:
            chunks: tuple[Any, ...] = (X.chunks[0],)
            meta: NDArray[np.float64] = np.empty((0,), dtype=np.float64)
            return da.map_blocks(
                _block, X, node, method=method, chunks=chunks, drop_axis=1, meta=meta
            )
        chunks = (X.chunks[0], (columns,))
        meta = np.empty((0, 0), dtype=np.float64)
        return da.map_blocks(_block, X, node, method=method, chunks=chunks, meta=meta)

    if method == "gradients":
        result = blocks(n)
    elif method == "value_and_gradients":
        both = blocks(n + 1)
        result = (both[:, 0], both[:, 1:])
    elif rec.n_outputs == 1 and _scalar_output(rec):
        result = blocks(None)
    else:
        result = blocks(rec.n_outputs)
    if not compute:
        return result
    if isinstance(result, tuple):
        value, gradient = dask.compute(*result)
        return np.ascontiguousarray(value), np.ascontiguousarray(gradient)
    return np.ascontiguousarray(result.compute())


def _scalar_output(rec: Recording[Any]) -> bool:
    """True when f returned one number (not a sequence of one)."""
    return np.ndim(rec.value(rec.x0)) == 0


def gradients(
    rec: Recording[Any], X: Any, *, rows_per_chunk: int | None = None, compute: bool = True
) -> Any:
    """The gradient of ``rec`` at every row of ``X``, each chunk of rows in a Dask task.

    ``X``: a 2-D ``dask.array`` or numpy array, one point per row (``rec.n_inputs``
    columns; an array x0's numbers in row-major order). Returns a float64 array of
    ``X``'s shape equal to ``rec.gradients(X)`` bit for bit, or, with
    ``compute=False``, the dask array that computes it. ``rows_per_chunk`` rechunks
    ``X`` (by default a numpy array is split into at least 16 chunks of at least 1024
    rows).
    """
    return _map("gradients", rec, X, rows_per_chunk, compute)


def values(
    rec: Recording[Any], X: Any, *, rows_per_chunk: int | None = None, compute: bool = True
) -> Any:
    """The value of ``rec`` at every row of ``X`` (as ``gradients``): ``rec.values(X)``,
    of shape (rows,), or (rows, m) when f returned a sequence of m."""
    return _map("values", rec, X, rows_per_chunk, compute)


def value_and_gradients(
    rec: Recording[Any], X: Any, *, rows_per_chunk: int | None = None, compute: bool = True
) -> Any:
    """``(values, gradients)`` at every row of ``X`` from one replay per row, as
    ``rec.value_and_gradients(X)`` (see ``gradients``)."""
    return _map("value_and_gradients", rec, X, rows_per_chunk, compute)
