"""wengert.dask against a real cluster: a distributed.LocalCluster of two worker
processes on loopback, started here (no mock). Results equal the local computation
bit for bit, a worker killed mid-computation changes nothing, errors name the row.
Also the process-pool recipe of docs/guide/travel.md."""

from __future__ import annotations

import importlib
import math
import multiprocessing
import os
import pickle
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import wengert
from wengert import BranchChangedError, Recording

distributed = pytest.importorskip("distributed")
da = pytest.importorskip("dask.array")
wdask = importlib.import_module("wengert.dask")


def w2(x: Any) -> Any:
    """The benchmark workload W2: the Rosenbrock function, in NumPy."""
    return np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def points(rows: int, n: int, seed: int = 0) -> Any:
    return np.random.default_rng(seed).uniform(-1.5, 1.5, (rows, n))


def bits(a: Any) -> bytes:
    return np.ascontiguousarray(a, dtype=np.float64).tobytes()


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    cluster = distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
    )
    with cluster, distributed.Client(cluster) as c:
        c.wait_for_workers(2)
        yield c


def test_without_dask_the_import_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("dask", "dask.array"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delitem(sys.modules, "wengert.dask")
    with pytest.raises(ImportError, match=r"pip install 'wengert\[dask\]'"):
        importlib.import_module("wengert.dask")


def test_local_threads_without_a_cluster() -> None:
    """With no Client, Dask's threads run the tasks: the same results."""
    rec = wengert.record(w2, np.zeros(4))
    X = points(3000, 4)
    G = wdask.gradients(rec, X, rows_per_chunk=700)
    assert bits(G) == bits(rec.gradients(X))


def test_batches_equal_the_local_ones(client: Any) -> None:
    rec = wengert.record(w2, np.zeros(5))
    X = points(20_000, 5, seed=1)
    assert bits(wdask.gradients(rec, X)) == bits(rec.gradients(X))
    assert bits(wdask.values(rec, X)) == bits(rec.values(X))
    value, gradient = wdask.value_and_gradients(rec, da.from_array(X, chunks=(3000, 2)))
    local = rec.value_and_gradients(X)
    assert bits(value) == bits(local[0]) and bits(gradient) == bits(local[1])
    # Many outputs, a 2-D x0 (rows of x0.size numbers), a custom operation by reference.
    many = wengert.record(lambda v: [v[0] * v[1], wengert.sin(v[1])], [1.0, 2.0])
    Y = points(5000, 2, seed=2)
    assert wdask.values(many, Y).shape == (5000, 2)
    assert bits(wdask.values(many, Y)) == bits(many.values(Y))
    grid = wengert.record(lambda x: np.sum(x**2) * x[1, 0], np.ones((2, 3)))
    Z = points(4000, 6, seed=3)
    assert bits(wdask.gradients(grid, Z)) == bits(grid.gradients(Z))
    custom = wengert.record(lambda x: x.unary(math.sin, math.cos) * x, 0.5)
    assert bits(wdask.gradients(custom, Z[:, :1])) == bits(custom.gradients(Z[:, :1]))
    # compute=False gives the dask array.
    lazy = wdask.gradients(rec, X, compute=False)
    assert isinstance(lazy, da.Array) and bits(lazy.compute()) == bits(rec.gradients(X))


def test_the_recording_is_one_node_of_the_graph(client: Any) -> None:
    """Each task reads the recording from one node (sent once, copied once per worker)
    rather than holding a copy of its own."""
    rec = wengert.record(w2, np.zeros(5))
    lazy = wdask.gradients(rec, points(10_000, 5), rows_per_chunk=1000, compute=False)
    graph = dict(lazy.__dask_graph__())
    nodes = [k for k in graph if isinstance(k, str) and k.startswith("wengert-recording-")]
    assert len(nodes) == 1
    blocks = [k for k in graph if isinstance(k, tuple) and k[0].startswith("_block")]
    assert len(blocks) == 10
    data = rec.__reduce__()[1][0]
    for key in blocks:
        assert data not in pickle.dumps(graph[key])  # the bytes are in the node only
        assert nodes[0] in graph[key].dependencies


def test_an_error_names_the_row_of_the_whole_array(client: Any) -> None:
    rec = wengert.record(lambda x: x[0] * 2 if x[1] > 0 else x[0], [1.0, 1.0])
    X = np.ones((10_000, 2))
    X[7321, 1] = -1.0
    with pytest.raises(BranchChangedError, match=r"^row 7321 of X: comparison 1 of 1"):
        wdask.gradients(rec, X, rows_per_chunk=1000)
    X[7321, 1] = 1.0
    X[4000, 0] = math.nan
    with pytest.raises(
        ValueError, match=r"^values\(X\): row 4000 of X, element\[0\] is NaN.*finite"
    ):
        wdask.values(rec, X, rows_per_chunk=1000)


def test_clear_errors(client: Any, tmp_path: Path) -> None:
    rec = wengert.record(w2, np.zeros(3))
    with pytest.raises(ValueError, match="X has 4 columns, but the recording has 3 inputs"):
        wdask.gradients(rec, np.ones((10, 4)))
    with pytest.raises(TypeError, match="2-D"):
        wdask.gradients(rec, np.ones(3))
    with pytest.raises(TypeError, match="takes a Recording"):
        wdask.gradients(w2, np.ones((10, 3)))  # type: ignore[arg-type]
    many = wengert.record(lambda v: [v[0], v[1]], [1.0, 2.0])
    with pytest.raises(ValueError, match="one output"):
        wdask.gradients(many, np.ones((10, 2)))
    # A corrupted file, read on a worker: the worker's ValueError reaches the caller.
    path = tmp_path / "rec.wengert"
    rec.save(path)
    data = bytearray(path.read_bytes())
    data[40] ^= 0x01
    with pytest.raises(ValueError, match="checksum"):
        client.submit(Recording.from_bytes, bytes(data)).result()


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Sending large graph:UserWarning")
def test_a_million_rows_on_two_workers(client: Any) -> None:
    rec = wengert.record(w2, np.zeros(3))
    X = points(1_000_000, 3, seed=4)
    with distributed.get_task_stream(client) as stream:
        G = wdask.gradients(rec, X)
    assert bits(G) == bits(rec.gradients(X))
    workers = {task["worker"] for task in stream.data if "_block" in str(task["key"])}
    assert len(workers) >= 2


@pytest.mark.slow
def test_a_worker_killed_mid_computation(client: Any) -> None:
    """One worker's process exits while it computes; its nanny starts a new one and the
    scheduler runs the lost tasks again: the result is still exact."""
    rec = wengert.record(w2, np.zeros(3))
    X = points(400_000, 3, seed=5)
    before = client.run(os.getpid)
    future = client.compute(wdask.gradients(rec, X, rows_per_chunk=1000, compute=False))
    victim = sorted(before)[0]
    deadline = time.monotonic() + 60
    while not client.processing().get(victim) and time.monotonic() < deadline:
        time.sleep(0.005)
    assert not future.done()
    os.kill(before[victim], signal.SIGKILL)  # the worker's own process, on this machine
    G = future.result(timeout=120)
    client.wait_for_workers(2, timeout=60)
    after = client.run(os.getpid)
    assert before[victim] not in after.values()  # the victim's process is gone
    assert bits(G) == bits(rec.gradients(X))


def test_a_process_pool_with_pickled_recordings() -> None:
    """The recipe of docs/guide/travel.md: rec.gradients on chunks of rows in a pool of
    fresh (spawned) processes, the recording pickled to each."""
    rec = wengert.record(w2, np.zeros(4))
    X = points(20_000, 4, seed=6)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        G = np.concatenate(list(pool.map(rec.gradients, np.array_split(X, 8))))
        custom = wengert.record(lambda x: x.unary(math.sin, math.cos) * x, 0.5)
        H = np.concatenate(list(pool.map(custom.gradients, np.array_split(X[:, :1], 4))))
    assert bits(G) == bits(rec.gradients(X))
    assert bits(H) == bits(custom.gradients(X[:, :1]))
