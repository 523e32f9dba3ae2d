"""A Recording leaving the process: to_bytes/from_bytes, save/load and pickle round
trips replay bit for bit; the loader refuses truncated, corrupted and hostile data
with ValueError (a hypothesis fuzz), and custom functions travel by pickle only."""

from __future__ import annotations

import copy
import math
import pickle
import struct
import zlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_recording import PROGRAMS, Program, f_equal, f_if, f_min_max, f_truth

from wengert import BranchChangedError, EscapedValueError, Recording, record


def bits(a: Any) -> bytes:
    return np.asarray(a, dtype=np.float64).tobytes()


def outcome(call: Any) -> tuple[str, bytes | str]:
    """What a replay gives: its result's bits, or its exception's type and message."""
    try:
        return ("ok", bits(call()))
    except Exception as error:
        return (type(error).__name__, str(error))


def same_replays(a: Recording[Any], b: Recording[Any], points: list[Any]) -> None:
    assert repr(a) == repr(b) and len(a) == len(b)
    assert bits(a.x0) == bits(b.x0) and type(a.x0) is type(b.x0)
    assert a.escapes == b.escapes
    for x in points:
        for method in ("value", "gradient", "jacobian", "hessian"):
            assert outcome(lambda m=method, x=x: getattr(a, m)(x)) == outcome(
                lambda m=method, x=x: getattr(b, m)(x)
            )
        assert outcome(lambda x=x: a.hvp(x, x)) == outcome(lambda x=x: b.hvp(x, x))


def travels(rec: Recording[Any], tmp_path: Path) -> list[Recording[Any]]:
    """The recording through bytes, a file and pickle at every protocol from 2."""
    path = tmp_path / "rec.wengert"
    rec.save(path)
    assert path.read_bytes() == rec.to_bytes()
    copies = [Recording.from_bytes(rec.to_bytes()), Recording.load(path), Recording.load(str(path))]
    copies.append(Recording.from_bytes(bytearray(rec.to_bytes())))
    copies.append(Recording.from_bytes(memoryview(rec.to_bytes())))
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        copies.append(pickle.loads(pickle.dumps(rec, protocol=protocol)))
    for other in copies:
        assert other.to_bytes() == rec.to_bytes()
    return copies


@pytest.mark.parametrize("program", PROGRAMS, ids=repr)
@settings(max_examples=3)
@given(data=st.data())
def test_every_test_program_travels_bit_for_bit(
    program: Program, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    tmp_path = tmp_path_factory.mktemp("travel")
    rec = record(program.f, program.x0)
    points = [program.x0, data.draw(program.points), data.draw(program.points)]
    for other in travels(rec, tmp_path):
        same_replays(rec, other, points)


@pytest.mark.parametrize(
    ("f", "x0", "other"),
    [
        (f_if, [1.0, 2.0], [-1.0, 2.0]),
        (f_truth, [1.0, 2.0], [0.0, 2.0]),
        (f_equal, 1.0, 2.0),
        (f_min_max, [1.0, 2.0], [3.0, 1.0]),
        (lambda x: math.floor(x) + x, 1.5, math.inf),
    ],
)
def test_guards_travel_with_their_descriptions(f: Any, x0: Any, other: Any, tmp_path: Path) -> None:
    rec = record(f, x0)
    for copied in travels(rec, tmp_path):
        assert copied.n_comparisons == rec.n_comparisons > 0
        same_replays(rec, copied, [x0, other])
    with pytest.raises((BranchChangedError, ValueError)) as error:
        Recording.from_bytes(rec.to_bytes()).gradient(other)
    assert "test_recording.py" in str(error.value) or "finite" in str(error.value)


def test_escapes_travel(tmp_path: Path) -> None:
    def f(v: Any) -> Any:
        str(v[0])
        return v[0] * v[1].number

    rec = record(f, np.array([1.0, 2.0]))
    for copied in travels(rec, tmp_path):
        assert copied.escapes == rec.escapes and len(rec.escapes) == 2
        same_replays(rec, copied, [np.array([1.0, 2.0])])
        with pytest.raises(EscapedValueError, match=r"str\(\).*test_recording_bytes.py"):
            copied.gradient(np.array([1.0, 3.0]))


def test_numpy_shapes_travel(tmp_path: Path) -> None:
    rec = record(lambda x: np.sum(x**3) * x[1, 0], np.arange(6.0).reshape(3, 2))
    for copied in travels(rec, tmp_path):
        assert copied.x0.shape == (3, 2)
        same_replays(rec, copied, [np.ones((3, 2)), np.linspace(-1, 1, 6).reshape(3, 2)])
    scalar = record(lambda x: x * x, np.array(2.0))
    assert Recording.from_bytes(scalar.to_bytes()).gradient(np.array(3.0)).shape == ()


def double(x: float) -> float:
    return 2.0 * x


def two(x: float) -> float:
    return 2.0


def custom_f(v: Any) -> Any:
    return v[0].unary(math.sin, math.cos) * v[1].binary(v[0], math.atan2, dy, dx) + round(v[0], 1)


def dx(y: float, x: float) -> float:
    return x / (x * x + y * y)


def dy(y: float, x: float) -> float:
    return -y / (x * x + y * y)


def test_custom_operations_travel_by_pickle_only(tmp_path: Path) -> None:
    rec = record(custom_f, [0.5, 0.25])
    with pytest.raises(TypeError, match=r"x\.unary.*test_recording_bytes\.py.*pickle"):
        rec.to_bytes()
    with pytest.raises(TypeError, match="pickle"):
        rec.save(tmp_path / "r")
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        copied = pickle.loads(pickle.dumps(rec, protocol=protocol))
        same_replays(rec, copied, [[0.5, 0.25], [0.7, -0.3]])
    # round() alone is in the format: it needs no code.
    rounded = record(lambda x: round(x * 3.0, 2) + round(x), 2.0)
    assert bits(Recording.from_bytes(rounded.to_bytes()).value(2.3)) == bits(rounded.value(2.3))
    # A module-level function pickles by reference; a lambda gives pickle's own error,
    # wrapped to name the custom operation.
    ok = record(lambda x: x.unary(double, two), 1.0)
    assert pickle.loads(pickle.dumps(ok)).gradient(3.0) == 2.0
    bad = record(lambda x: x * x.unary(lambda t: 2.0 * t, two), 1.0)
    with pytest.raises(pickle.PicklingError, match=r"x\.unary.*entry 1.*lambda") as error:
        pickle.dumps(bad)
    assert error.value.__cause__ is not None
    # A copy of a recording, which never changes, is the recording.
    assert copy.copy(bad) is bad and copy.deepcopy(bad) is bad


def zero(x: float) -> float:
    return 0.0


def atan2_second(y: float, x: float) -> tuple[float, float, float]:
    r4 = (x * x + y * y) ** 2
    return (2.0 * x * y / r4, (y * y - x * x) / r4, -2.0 * x * y / r4)


def custom_second_f(v: Any) -> Any:
    return v[0].unary(double, two, zero) * v[1].binary(v[0], math.atan2, dy, dx, atan2_second)


def test_custom_second_derivatives_travel_by_pickle() -> None:
    """The functions of the second derivatives go with the others: Hessians still work."""
    rec = record(custom_second_f, [0.5, 0.25])
    x = [0.7, -0.3]
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        copied = pickle.loads(pickle.dumps(rec, protocol=protocol))
        assert bits(copied.hessian(x)) == bits(rec.hessian(x))
        assert bits(copied.hvp(x, [1.0, 2.0])) == bits(rec.hvp(x, [1.0, 2.0]))
    # Without them, the Hessian's error survives the trip.
    plain = pickle.loads(pickle.dumps(record(custom_f, [0.5, 0.25])))
    with pytest.raises(ValueError, match="d2fx_dx2"):
        plain.hessian(x)


def test_pickled_functions_must_match_the_custom_operations() -> None:
    rebuild, (data, functions) = record(custom_second_f, [0.5, 0.25]).__reduce__()
    functions = list(functions)
    with pytest.raises(ValueError, match=r"more custom operations than the recording holds"):
        rebuild(data, [*functions, (double, two)])
    needs = r"entry 2 are missing or not what it needs \(2 functions, or 3"
    with pytest.raises(ValueError, match=needs):
        rebuild(data, [(double, two, zero, zero), functions[1]])
    with pytest.raises(ValueError, match=r"entry 2 are missing"):
        rebuild(data, [])


def test_pickles_of_custom_operations_are_not_files() -> None:
    rec = record(custom_f, [0.5, 0.25])
    data = pickle.loads(pickle.dumps(rec)).__reduce__()[1][0]
    with pytest.raises(ValueError, match=r"custom operation .*pickle only"):
        Recording.from_bytes(data)


def test_loading_errors(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="takes bytes"):
        Recording.from_bytes("WENGERT")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        Recording.load(tmp_path / "missing")
    (tmp_path / "text").write_text("hello")
    with pytest.raises(ValueError, match="not a wengert recording"):
        Recording.load(tmp_path / "text")


# ------------------------------------------------------------------ the loader fuzzed

GOOD = [
    record(f_if, [1.0, 2.0]).to_bytes(),
    record(lambda x: np.sum(np.sin(x) * x), np.ones((2, 2))).to_bytes(),
    record(lambda x: round(x, 1) * x, 0.5).to_bytes(),
    record(PROGRAMS[1].f, PROGRAMS[1].x0).to_bytes(),
]


def reseal(data: bytes) -> bytes:
    """The data with its header's length and its checksum made right again."""
    if len(data) < 24:
        return data
    body = struct.pack("<Q", len(data) - 24)
    head = data[:12] + body + data[20:-4]
    return head + struct.pack("<I", zlib.crc32(head))


def loads_or_refuses(data: bytes) -> None:
    """from_bytes gives a recording that replays, or a ValueError: nothing else."""
    try:
        rec = Recording.from_bytes(data)
    except ValueError as error:
        assert str(error).startswith("Recording.from_bytes(data): the data is not a valid")
        return
    x0 = rec.x0
    for call in (lambda: rec.value(x0), lambda: rec.gradient(x0), lambda: rec.hessian(x0)):
        try:
            call()
        except (ValueError, ArithmeticError):
            pass


def test_the_checksum_is_zlibs() -> None:
    for data in GOOD:
        assert reseal(data) == data


@settings(max_examples=300)
@given(which=st.integers(0, len(GOOD) - 1), data=st.data())
def test_truncations_are_refused(which: int, data: st.DataObject) -> None:
    good = GOOD[which]
    cut = data.draw(st.integers(0, len(good) - 1))
    with pytest.raises(ValueError, match="not a valid recording"):
        Recording.from_bytes(good[:cut])


@settings(max_examples=300)
@given(which=st.integers(0, len(GOOD) - 1), data=st.data(), resealed=st.booleans())
def test_bit_flips(which: int, data: st.DataObject, resealed: bool) -> None:
    flipped = bytearray(GOOD[which])
    places = st.lists(st.integers(0, len(flipped) - 1), min_size=1, max_size=3, unique=True)
    for i in data.draw(places):  # 1 to 3 bits: CRC-32 detects every such change
        flipped[i] ^= 1 << data.draw(st.integers(0, 7))
    if not resealed:
        with pytest.raises(ValueError, match="not a valid recording"):
            Recording.from_bytes(bytes(flipped))
    else:
        loads_or_refuses(reseal(bytes(flipped)))


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_random_bytes(data: bytes) -> None:
    with pytest.raises(ValueError, match="not a valid recording"):
        Recording.from_bytes(data)
    with pytest.raises(ValueError, match="not a valid recording"):
        Recording.from_bytes(b"WENGERT\0" + data)


@settings(max_examples=500)
@given(which=st.integers(0, len(GOOD) - 1), body=st.binary(max_size=400), keep=st.integers(0, 80))
def test_valid_header_random_body(which: int, body: bytes, keep: int) -> None:
    """A valid header and checksum around a random (or partly random) body reach the
    parser, which refuses it by name or builds a program that replays."""
    good = GOOD[which]
    loads_or_refuses(reseal(good[: 20 + keep] + body + b"\0\0\0\0"))
