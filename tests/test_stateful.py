"""A reference model of the tape, and a state machine that drives both with random programs.

The model is plain Python: a tape is a list of entries (each a list of
``(operand index, partial)``) and a generation; a record is a number with a
``(tape, index, generation)``; ``clear()`` empties the tape and starts a new
generation; ``reset()`` puts a stale record back as a new input; derivatives come
from a reverse sweep. The error rules are the package's, in its order: mixing
modes or tapes first, then the math (a math error wins over a stale operand, since
the value is computed before anything is recorded), then staleness.

The machine creates inputs and constants on two tapes, operates on them (with each
other and with floats on either side), clears, resets, sweeps, and indexes old and
new Derivatives, and compares every value, every derivative and every error type.

Derivatives are compared bit for bit: the model computes the same partials with
the same formulas (from the C library, as the engine does) and sums them in the
engine's order (entries from last to first; the left operand before the right),
so there is no rounding difference to allow for.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, multiple, rule

from wengert import (
    ConstantRecordError,
    Derivatives,
    MixedModesError,
    MixedTapesError,
    Record,
    StaleRecordError,
    Trace,
    WengertList,
)

# ------------------------------------------------------------------ the model


@dataclass(eq=False)
class ModelTape:
    entries: list[list[tuple[int, float]]] = field(default_factory=list)
    generation: int = 0

    def append(self, parents: list[tuple[int, float]]) -> int:
        self.entries.append(parents)
        return len(self.entries) - 1

    def clear(self) -> None:
        self.entries = []
        self.generation += 1


@dataclass(eq=False)
class ModelRecord:
    number: float
    tape: ModelTape | None = None
    index: int = 0
    generation: int = 0

    def stale(self) -> bool:
        return self.tape is not None and self.generation != self.tape.generation


@dataclass
class ModelDerivatives:
    tape: ModelTape
    generation: int
    adjoints: list[float]

    def __getitem__(self, record: ModelRecord) -> float:
        if record.tape is None:
            raise ConstantRecordError
        if record.tape is not self.tape:
            raise MixedTapesError
        if record.stale() or record.generation != self.generation:
            raise StaleRecordError
        return self.adjoints[record.index] if record.index < len(self.adjoints) else 0.0


def chain(partial: float, adjoint: float) -> float:
    """The engine's rule: a product, but exactly 0 where a zero factor meets inf or NaN."""
    product = partial * adjoint
    if math.isnan(product) and (partial == 0.0 or adjoint == 0.0):
        return 0.0
    return product


def model_derivatives(record: ModelRecord) -> ModelDerivatives:
    if record.tape is None:
        raise ConstantRecordError
    if record.stale():
        raise StaleRecordError
    tape = record.tape
    adjoints = [0.0] * len(tape.entries)
    adjoints[record.index] = 1.0
    for i in range(record.index, -1, -1):
        adjoint = adjoints[i]
        if adjoint == 0.0:
            continue
        for operand, partial in tape.entries[i]:
            adjoints[operand] += chain(partial, adjoint)
    return ModelDerivatives(tape, tape.generation, adjoints)


def ieee(f: Callable[..., object], *args: float) -> float:
    """An IEEE float computation (inf and NaN instead of exceptions), as Rust's f64 gives."""
    with np.errstate(all="ignore"):
        return float(f(*(np.float64(a) for a in args)))  # type: ignore[arg-type]


# Each operation: the value (Python's float or math, exceptions included) and partials
# with the engine's formulas (src/ops/), computed as IEEE floats.
def unary_partial(name: str, x: float, v: float) -> float:
    if name == "neg":
        return -1.0
    if name == "sin":
        return math.cos(x)
    if name == "cos":
        return -math.sin(x)
    if name == "exp":
        return v
    if name == "ln":
        return ieee(operator.truediv, 1.0, x)
    if name == "sqrt":
        return ieee(operator.truediv, 0.5, abs(v))
    if name == "abs":
        return 0.0 if x == 0.0 else (math.nan if math.isnan(x) else math.copysign(1.0, x))
    raise AssertionError(name)


UNARY_VALUES: dict[str, Callable[[float], float]] = {
    "neg": operator.neg,
    "sin": math.sin,
    "cos": math.cos,
    "exp": math.exp,
    "ln": math.log,
    "sqrt": math.sqrt,
    "abs": math.fabs,
}
UNARY_CALLS: dict[str, Callable[[object], object]] = {
    "neg": operator.neg,
    "sin": lambda r: r.sin(),  # type: ignore[attr-defined]
    "cos": lambda r: r.cos(),  # type: ignore[attr-defined]
    "exp": lambda r: r.exp(),  # type: ignore[attr-defined]
    "ln": lambda r: r.ln(),  # type: ignore[attr-defined]
    "sqrt": lambda r: r.sqrt(),  # type: ignore[attr-defined]
    "abs": operator.abs,
}
BINARY_CALLS: dict[str, Callable[[object, object], object]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}


def float_pow(x: float, y: float) -> float:
    result = x**y
    if isinstance(result, complex):
        raise ValueError("complex")
    return result


def binary_value(op: str, x: float, y: float) -> float:
    return {
        "+": operator.add,
        "-": operator.sub,
        "*": operator.mul,
        "/": operator.truediv,
        "**": float_pow,
    }[op](x, y)


def binary_partials(op: str, x: float, y: float, v: float) -> tuple[float, float]:
    if op == "+":
        return 1.0, 1.0
    if op == "-":
        return 1.0, -1.0
    if op == "*":
        return y, x
    if op == "/":
        return ieee(operator.truediv, 1.0, y), ieee(operator.truediv, -v, y)
    # x ** y, as src/ops/ computes its partials
    if y == 0.0:
        dx = 0.0
    elif x < 0.0 and math.isfinite(y):
        magnitude = ieee(np.power, -x, y - 1.0)
        y_is_even = math.fmod(y * 0.5, 1.0) == 0.0
        dx = ieee(operator.mul, y, -magnitude if y_is_even else magnitude)
    else:
        dx = ieee(operator.mul, y, ieee(np.power, x, y - 1.0))
    dy = 0.0 if x == 0.0 else ieee(operator.mul, v, ieee(np.log, x))
    return dx, dy


Operand = ModelRecord | float


def model_operation(
    value: Callable[[], float], operands: list[Operand], partials: Callable[[float], list[float]]
) -> ModelRecord:
    """Record one operation in the model, with the package's order of errors."""
    variables = [o for o in operands if isinstance(o, ModelRecord) and o.tape is not None]
    tapes = {id(o.tape) for o in variables}
    if len(tapes) > 1:
        raise MixedTapesError
    v = value()  # math errors come before staleness: nothing is recorded either way
    if any(o.stale() for o in variables):
        raise StaleRecordError
    if not variables:
        return ModelRecord(v)
    tape = variables[0].tape
    assert tape is not None
    parents = [
        (o.index, p)
        for o, p in zip(operands, partials(v), strict=True)
        if isinstance(o, ModelRecord) and o.tape is not None
    ]
    return ModelRecord(v, tape, tape.append(parents), tape.generation)


def number(o: Operand) -> float:
    return o.number if isinstance(o, ModelRecord) else o


# ------------------------------------------------------------------ the machine

Pair = tuple[Record, ModelRecord]

NUMBERS = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, -2.0, 0.5, 3.0, -3.0, 10.0]),
    st.floats(min_value=-5.0, max_value=5.0),
)


def outcome(f: Callable[[], object]) -> tuple[str, object]:
    try:
        return ("value", f())
    except (ArithmeticError, ValueError, TypeError) as error:
        return ("error", type(error))


class TapeMachine(RuleBasedStateMachine):
    records = Bundle("records")

    def __init__(self) -> None:
        super().__init__()
        self.tapes = [WengertList(), WengertList()]
        self.models = [ModelTape(), ModelTape()]
        self.saved: list[tuple[Derivatives, ModelDerivatives]] = []
        self.known: list[Pair] = []

    def remember(self, pair: Pair) -> Pair:
        self.known.append(pair)
        return pair

    def same(self, real: Record, model: ModelRecord) -> None:
        assert struct_equal(real.number, model.number), (real, model)
        if model.tape is None:
            assert real.history is None and real.index is None
        else:
            assert real.history is self.tapes[self.models.index(model.tape)]
            assert real.index == model.index

    @rule(target=records, tape=st.integers(0, 1), x=NUMBERS)
    def variable(self, tape: int, x: float) -> Pair:
        model = self.models[tape]
        pair = (
            self.tapes[tape].variable(x),
            ModelRecord(x, model, model.append([]), model.generation),
        )
        self.same(*pair)
        return self.remember(pair)

    @rule(target=records, x=NUMBERS)
    def constant(self, x: float) -> Pair:
        return self.remember((Record.constant(x), ModelRecord(x)))

    def compare(self, real: Callable[[], object], model: Callable[[], ModelRecord]) -> object:
        lengths = [len(t) for t in self.tapes]
        got, expected = outcome(real), outcome(model)
        if expected[0] == "error":
            assert got == expected, (got, expected)
            assert [len(t) for t in self.tapes] == lengths, "a failed operation recorded"
            return multiple()
        assert got[0] == "value", (got, expected)
        pair = (got[1], expected[1])
        self.same(*pair)  # type: ignore[arg-type]
        return self.remember(pair)  # type: ignore[arg-type]

    @rule(target=records, name=st.sampled_from(sorted(UNARY_CALLS)), a=records)
    def unary(self, name: str, a: Pair) -> object:
        x = a[1]
        return self.compare(
            lambda: UNARY_CALLS[name](a[0]),
            lambda: model_operation(
                lambda: UNARY_VALUES[name](x.number),
                [x],
                lambda v: [unary_partial(name, x.number, v)],
            ),
        )

    @rule(target=records, op=st.sampled_from(sorted(BINARY_CALLS)), a=records, b=records)
    def binary(self, op: str, a: Pair, b: Pair) -> object:
        return self.apply(op, a[0], b[0], a[1], b[1])

    @rule(
        target=records,
        op=st.sampled_from(sorted(BINARY_CALLS)),
        a=records,
        c=NUMBERS,
        reflected=st.booleans(),
    )
    def with_float(self, op: str, a: Pair, c: float, reflected: bool) -> object:
        if reflected:
            return self.apply(op, c, a[0], c, a[1])
        return self.apply(op, a[0], c, a[1], c)

    def apply(self, op: str, x: object, y: object, mx: Operand, my: Operand) -> object:
        return self.compare(
            lambda: BINARY_CALLS[op](x, y),
            lambda: model_operation(
                lambda: binary_value(op, number(mx), number(my)),
                [mx, my],
                lambda v: list(binary_partials(op, number(mx), number(my), v)),
            ),
        )

    @rule(a=records)
    def with_a_trace(self, a: Pair) -> None:
        trace = Trace.variable(1.0)
        for op in BINARY_CALLS.values():
            assert outcome(lambda: op(a[0], trace)) == ("error", MixedModesError)  # noqa: B023
            assert outcome(lambda: op(trace, a[0])) == ("error", MixedModesError)  # noqa: B023

    @rule(tape=st.integers(0, 1))
    def clear(self, tape: int) -> None:
        self.tapes[tape].clear()
        self.models[tape].clear()
        assert len(self.tapes[tape]) == 0

    @rule(a=records)
    def reset(self, a: Pair) -> None:
        real, model = a
        real.reset()
        if model.stale():
            assert model.tape is not None
            model.index = model.tape.append([])
            model.generation = model.tape.generation
        self.same(real, model)

    @rule(a=records, keep=st.booleans())
    def derivatives(self, a: Pair, keep: bool) -> None:
        got = outcome(a[0].derivatives)
        expected = outcome(lambda: model_derivatives(a[1]))
        if expected[0] == "error":
            assert got == expected
            try_got = outcome(a[0].try_derivatives)
            assert try_got == (("value", None) if expected[1] is ConstantRecordError else expected)
            return
        real, model = got[1], expected[1]
        assert isinstance(real, Derivatives) and isinstance(model, ModelDerivatives)
        assert len(real) == len(model.adjoints)
        assert all(map(struct_equal, list(real), model.adjoints))
        self.check_lookups(real, model)
        if keep:
            self.saved = [*self.saved[-3:], (real, model)]

    def check_lookups(self, real: Derivatives, model: ModelDerivatives) -> None:
        for record, model_record in self.known[-30:]:
            got = outcome(lambda: real[record])  # noqa: B023
            expected = outcome(lambda: model[model_record])  # noqa: B023
            if expected[0] == "error":
                assert got == expected
            else:
                assert got[0] == "value" and struct_equal(got[1], expected[1])  # type: ignore[arg-type]

    @rule()
    def index_saved_derivatives(self) -> None:
        for real, model in self.saved:
            self.check_lookups(real, model)

    @invariant()
    def tapes_match(self) -> None:
        assert [len(t) for t in self.tapes] == [len(m.entries) for m in self.models]


def struct_equal(a: float, b: float) -> bool:
    """The same float, bit for bit (NaNs match each other)."""
    if math.isnan(a) and math.isnan(b):
        return True
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


TapeMachine.TestCase.settings = settings(max_examples=120, stateful_step_count=40, deadline=None)
test_tape_machine = TapeMachine.TestCase
