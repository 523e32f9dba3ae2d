"""Functions of functions: derivatives of a Python callable, in the style of JAX.

:func:`grad` and :func:`value_and_grad` differentiate a function with one
number as its result (reverse mode), :func:`jacobian` a function with many
(forward or reverse mode, chosen from the shapes), :func:`jvp` pushes a
tangent forward and :func:`vjp` pulls a cotangent back. :func:`hessian` and
:func:`hvp` give exact second derivatives by recording ``f`` once
(:func:`~wengert.record`) and replaying the recording forward-over-reverse; their
argument is a number or a 1-D sequence.

An argument to differentiate with respect to may be a number, a list or tuple
of numbers, or a numpy array. ``f`` receives it as it was given, with each
number replaced by a :class:`~wengert.Record` (reverse mode) or a
:class:`~wengert.Trace` (forward mode): a float becomes one Record, a list a
list of Records (nested lists stay nested), a tuple a tuple, and an array an
object array of the same shape, so ``np.sum(np.sin(x))`` works. A derivative comes
back as a float for a number and as a float64 array of the argument's shape
for anything else.

``f`` may return a plain number where its result does not depend on the
argument (``lambda x: 1.0``): its derivatives are 0. ``.number`` inside ``f``
cuts the derivative in the same way, as a constant. NaN and infinity are not
errors: values and derivatives follow the engine's rules for them (except in
:func:`hessian` and :func:`hvp`, which record ``f``: a recording is made at finite
points only).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any, TypeGuard, overload

import numpy as np
from numpy.typing import NDArray

from wengert._core import (
    Jet,
    MixedModesError,
    MixedTapesError,
    MultiTrace,
    Record,
    Trace,
    WengertList,
    record,
)

_MODES = ("forward", "reverse", "auto")


@overload
def derivative(f: Callable[[Trace], Trace], x: float) -> float: ...
@overload
def derivative(f: Callable[[Jet], Jet], x: float, order: int) -> float: ...
def derivative(f: Callable[[Any], Any], x: float, order: int | None = None) -> float:
    """The derivative of ``f`` at ``x``, by forward mode: ``f(Trace.variable(x)).derivative``;
    with ``order=k``, the ``k``-th derivative, by Taylor mode:
    ``f(Jet.variable(x, k)).derivatives[k]`` (one pass, O(k²) per operation).

    >>> derivative(lambda t: t * t * t, 2.0)
    12.0
    >>> derivative(lambda t: t * t * t, 2.0, order=3)
    6.0

    ``f`` must compute its result from its argument; a plain number as the
    result raises TypeError, since no derivative was traced through it.
    ``order`` is an int from 0 to 170 (0 gives the value).
    """
    if order is None:
        result = f(Trace.variable(x))
        if not isinstance(result, Trace):
            raise _not_traced(result, "Trace")
        return result.derivative
    k = _order(order, "derivative(f, x, order)")
    jet = f(Jet.variable(x, k))
    if not isinstance(jet, Jet):
        raise _not_traced(jet, "Jet")
    return float(jet.derivatives[k])


def _not_traced(result: object, kind: str) -> TypeError:
    return TypeError(
        f"derivative(f, x): f returned {type(result).__name__}, not a {kind}, so no "
        "derivative was traced; compute the result from f's argument (with wengert.sin "
        "and the other wengert math functions instead of math.sin and .number)"
    )


def _order(order: object, what: str) -> int:
    """``order`` as an int from 0 to 170, or the TypeError or ValueError saying why not."""
    if isinstance(order, bool | np.bool_) or not hasattr(type(order), "__index__"):
        raise TypeError(
            f"{what}: order must be an int (how many derivatives), not {type(order).__name__}"
        )
    k = operator.index(order)  # type: ignore[arg-type]
    if not 0 <= k <= 170:
        raise ValueError(
            f"{what}: order must be from 0 to 170 (derivatives of higher orders overflow a "
            f"float64 through k!), not {k}"
        )
    return k


def _is_plain_number(x: object) -> TypeGuard[int | float | np.integer[Any] | np.floating[Any]]:
    """A real number without derivatives: int, float or a numpy integer or float, not a bool."""
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(
        x, (bool, np.bool_)
    )


class _Argument:
    """A value to differentiate at: its numbers as a flat float64 array, and its shape.

    ``wrap`` hands a flat list of Records or Traces to ``f`` in the argument's own
    form; ``unflatten`` gives a flat array of derivatives back in that form.
    """

    def __init__(self, x: object, name: str, max_ndim: int | None = None) -> None:
        self.kind: type = float
        if _is_plain_number(x):
            self.shape: tuple[int, ...] = ()
            self.values: NDArray[np.float64] = np.array([float(x)])
            return
        self.kind = list if isinstance(x, list) else tuple if isinstance(x, tuple) else np.ndarray
        if not isinstance(x, (list, tuple, np.ndarray)):
            raise TypeError(
                f"{name} must be a number, a list or tuple of numbers, or a numpy array, "
                f"not {type(x).__name__}"
            )
        try:
            raw = np.asarray(x)
        except ValueError as error:
            raise ValueError(f"{name} must be rectangular, like a numpy array: {error}") from error
        if raw.dtype.kind not in "iufO":
            raise TypeError(f"{name} must hold real numbers, not {raw.dtype} values")
        for item in raw.flat if raw.dtype.kind == "O" else ():
            if not _is_plain_number(item):
                raise TypeError(
                    f"{name} must hold plain real numbers (int or float), not "
                    f"{type(item).__name__} (a Trace or Record cannot be differentiated again)"
                )
        values = raw.astype(np.float64)
        if max_ndim is not None and values.ndim > max_ndim:
            raise ValueError(
                f"{name} must be a number or a 1-D sequence, not an array of shape "
                f"{values.shape}; flatten it with numpy.ravel"
            )
        self.shape = values.shape
        self.values = values.reshape(-1)

    @property
    def size(self) -> int:
        return self.values.size

    def wrap(self, leaves: Sequence[Any]) -> Any:
        """The argument as ``f`` receives it, with ``leaves`` for its numbers in order."""
        if self.kind is float:
            return leaves[0]
        array = np.fromiter(leaves, dtype=object, count=len(leaves)).reshape(self.shape)
        if self.kind is tuple:
            return tuple(array.tolist())
        if self.kind is list:
            return array.tolist()
        return array

    def unflatten(self, flat: NDArray[np.float64]) -> Any:
        """Derivatives in the argument's shape: a float for a number, else a float64 array."""
        if self.kind is float:
            return float(flat[0])
        return flat.reshape(self.shape).copy()


def _shaped(numbers: Sequence[float], shape: tuple[int, ...]) -> Any:
    """A float for a scalar ``shape``, else a float64 array of that shape."""
    if shape == ():
        return float(numbers[0])
    return np.array(numbers, dtype=np.float64).reshape(shape)


def _leaves(
    out: object, what: str, max_ndim: int | None = None
) -> tuple[tuple[int, ...], list[Any]]:
    """The shape of ``f``'s result and its elements in order (one element for a scalar)."""
    try:
        array = np.asarray(out, dtype=object)
    except ValueError as error:
        raise ValueError(f"{what}: f's result must be rectangular: {error}") from error
    if max_ndim is not None and array.ndim > max_ndim:
        raise ValueError(
            f"{what}: f must return a number or a 1-D sequence of numbers, not an array of "
            f"shape {array.shape}; flatten it with numpy.ravel"
        )
    return array.shape, array.reshape(-1).tolist()


def _not_a_number(leaf: object, what: str) -> TypeError:
    return TypeError(
        f"{what}: f must return numbers computed from its argument, but returned "
        f"{type(leaf).__name__}"
    )


def _reverse_leaf(leaf: object, tape: WengertList, what: str) -> tuple[float, Record | None]:
    """An element of ``f``'s result in reverse mode: its value, and its Record on ``tape``
    (None for a constant)."""
    if isinstance(leaf, Record):
        if leaf.history is None:
            return leaf.number, None
        if leaf.history is not tape:
            raise MixedTapesError(
                f"{what}: f returned a Record from another WengertList; compute the result "
                "from f's argument"
            )
        return leaf.number, leaf
    if isinstance(leaf, (Trace, MultiTrace)):
        raise MixedModesError(
            f"{what} uses reverse mode, so f receives Records, but f returned a "
            f"{type(leaf).__name__} (forward mode); compute the result from f's argument"
        )
    if _is_plain_number(leaf):
        return float(leaf), None
    raise _not_a_number(leaf, what)


def _forward_leaf(leaf: object, what: str) -> tuple[float, float]:
    """An element of ``f``'s result in forward mode: its value and its derivative."""
    if isinstance(leaf, Trace):
        return leaf.number, leaf.derivative
    if isinstance(leaf, (Record, MultiTrace)):
        raise MixedModesError(
            f"{what} uses forward mode, so f receives Traces, but f returned a "
            f"{type(leaf).__name__}; compute the result from f's argument"
        )
    if _is_plain_number(leaf):
        return float(leaf), 0.0
    raise _not_a_number(leaf, what)


def _positions(argnums: object) -> tuple[int, ...]:
    """``argnums`` as a tuple of ints, checked as far as it can be before the call."""
    numbers = argnums if isinstance(argnums, (tuple, list)) else (argnums,)
    for number in numbers:
        if not isinstance(number, int) or isinstance(number, bool):
            raise TypeError(f"argnums must be an int or a tuple of ints, not {argnums!r}")
    if not numbers:
        raise ValueError("argnums must name at least one argument, not ()")
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"argnums={argnums!r} names the same argument twice")
    return tuple(numbers)


def _record(
    f: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], positions: Sequence[int]
) -> tuple[WengertList, list[tuple[_Argument, int]], Any]:
    """Run ``f`` once on Records for the arguments at ``positions``: the tape, each argument
    with the tape index of its first number, and ``f``'s result."""
    tape = WengertList()
    call = list(args)
    arguments = []
    for position in positions:
        argument = _Argument(args[position], f"argument {position}")
        start = len(tape)
        call[position] = argument.wrap(tape.variables(argument.values))
        arguments.append((argument, start))
    return tape, arguments, f(*call, **kwargs)


def _gradients(
    output: Record | None, arguments: Sequence[tuple[_Argument, int]]
) -> tuple[Any, ...]:
    """One backward sweep from ``output``: its derivatives for each argument."""
    if output is None:
        return tuple(argument.unflatten(np.zeros(argument.size)) for argument, _ in arguments)
    swept = np.asarray(output.derivatives())
    return tuple(
        argument.unflatten(swept[start : start + argument.size]) for argument, start in arguments
    )


def value_and_grad(
    f: Callable[..., Any], argnums: int | Sequence[int] = 0
) -> Callable[..., tuple[float, Any]]:
    """A function giving ``f``'s value and its gradient, by reverse mode (one pass, one sweep).

    ``f`` must return one number; ``argnums`` picks the argument (or, as a tuple,
    the arguments) to differentiate with respect to; the others pass through.

    >>> value_and_grad(lambda x, y: x * x * y)(3.0, 2.0)
    (18.0, 12.0)
    >>> value_and_grad(lambda x, y: x * x * y, argnums=(0, 1))(3.0, 2.0)
    (18.0, (12.0, 9.0))
    """
    if not callable(f):
        raise TypeError(f"value_and_grad(f) needs a function, not {type(f).__name__}")
    positions = _positions(argnums)
    many = isinstance(argnums, (tuple, list))

    def value_and_gradient(*args: Any, **kwargs: Any) -> tuple[float, Any]:
        resolved = []
        for position in positions:
            if not -len(args) <= position < len(args):
                raise TypeError(
                    f"argnums={argnums!r} names argument {position}, but f was called with "
                    f"{len(args)} positional arguments"
                )
            resolved.append(position % len(args))
        if len(set(resolved)) != len(resolved):
            raise ValueError(f"argnums={argnums!r} names the same argument twice")
        tape, arguments, out = _record(f, args, kwargs, resolved)
        shape, leaves = _leaves(out, "grad")
        if shape != ():
            raise TypeError(
                f"grad needs f to return one number, but it returned shape {shape}; use "
                "jacobian or vjp for many outputs, or sum them"
            )
        value, output = _reverse_leaf(leaves[0], tape, "grad")
        gradients = _gradients(output, arguments)
        return value, gradients if many else gradients[0]

    return value_and_gradient


def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """A function giving the gradient of ``f``, which returns one number, by reverse mode.

    The gradient is a float for a number argument and a float64 array of the
    argument's shape otherwise; with a tuple ``argnums``, a tuple of those.

    >>> grad(lambda x: x * x * x)(2.0)
    12.0
    >>> import numpy as np
    >>> grad(lambda v: np.sum(v**2))(np.array([1.0, 2.0, 3.0]))
    array([2., 4., 6.])
    >>> grad(lambda x, y: x * y, argnums=1)(3.0, 5.0)
    3.0
    """
    value_and_gradient = value_and_grad(f, argnums)

    def gradient(*args: Any, **kwargs: Any) -> Any:
        return value_and_gradient(*args, **kwargs)[1]

    return gradient


def _forward_jacobian(
    f: Callable[[list[Any]], list[Any]], x: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The Jacobian by forward mode: ONE pass of ``f`` (flat inputs to flat outputs) on
    MultiTraces carrying a tangent per input, output ``i``'s tangents giving row ``i``."""
    n = x.size
    outputs = f(MultiTrace.variables(x))
    matrix = np.zeros((len(outputs), n))
    for i, leaf in enumerate(outputs):
        if isinstance(leaf, MultiTrace):
            if leaf.k != n:
                raise ValueError(
                    f"jacobian: f returned a MultiTrace with {leaf.k} tangents where its "
                    f"argument has {n}; compute the result from f's argument"
                )
            matrix[i] = leaf.derivative
        elif isinstance(leaf, (Trace, Record)):
            raise MixedModesError(
                f"jacobian uses forward mode, so f receives MultiTraces, but f returned a "
                f"{type(leaf).__name__}; compute the result from f's argument"
            )
        elif not _is_plain_number(leaf):  # a plain number is a constant: a zero row
            raise _not_a_number(leaf, "jacobian")
    return matrix


def _reverse_jacobian(outputs: list[Any], tape: WengertList, n: int) -> NDArray[np.float64]:
    """The Jacobian from one recording: one backward sweep per output, row by row."""
    rows = np.zeros((len(outputs), n))
    for i, leaf in enumerate(outputs):
        output = _reverse_leaf(leaf, tape, "jacobian")[1]
        if output is not None:
            rows[i] = np.asarray(output.derivatives())[:n]
    return rows


def jacobian(f: Callable[[Any], Any], mode: str = "auto") -> Callable[[Any], NDArray[np.float64]]:
    """A function giving the Jacobian of ``f`` as an ``(m, n)`` float64 array.

    ``f`` takes one argument, a number (n = 1) or a 1-D list, tuple or array of
    n numbers, and returns a number (m = 1) or a 1-D sequence of m numbers;
    the result is always 2-D: row ``i`` holds the derivatives of output ``i``.

    ``mode="forward"`` runs ``f`` once on MultiTraces (one tangent per input); ``"reverse"``
    records ``f`` once on Records and sweeps back once per output; ``"auto"``
    (the default) uses forward mode when there are fewer inputs than outputs,
    else reverse. To learn m, ``"auto"`` records ``f`` the first time it meets
    a given n and remembers m for later calls. The modes give the same matrix,
    up to rounding in the last bits.

    >>> jacobian(lambda v: [v[0] * v[1], v[0] + v[1], 2 * v[0]])([3.0, 5.0])
    array([[5., 3.],
           [1., 1.],
           [2., 0.]])
    >>> jacobian(lambda x: x * x)(3.0)
    array([[6.]])
    """
    if not callable(f):
        raise TypeError(f"jacobian(f) needs a function, not {type(f).__name__}")
    if mode not in _MODES:
        raise ValueError(f"jacobian mode must be 'forward', 'reverse' or 'auto', not {mode!r}")
    outputs_for_inputs: dict[int, int] = {}  # "auto": m, as last seen for each n

    def jacobian_at(x: Any) -> NDArray[np.float64]:
        argument = _Argument(x, "jacobian's argument", max_ndim=1)
        n = argument.size

        def flat(leaves: list[Any]) -> list[Any]:
            return _leaves(f(argument.wrap(leaves)), "jacobian", max_ndim=1)[1]

        m = outputs_for_inputs.get(n)
        if mode == "reverse" or (mode == "auto" and (m is None or n >= m)):
            tape = WengertList()
            outputs = flat(tape.variables(argument.values))
            outputs_for_inputs[n] = len(outputs)
            if mode == "reverse" or n >= len(outputs):
                return _reverse_jacobian(outputs, tape, n)
        return _forward_jacobian(flat, argument.values)

    return jacobian_at


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple[Any, Any]:
    """``f``'s outputs and their derivatives along ``tangents``, by forward mode in one pass.

    ``primals`` is the tuple of ``f``'s arguments and ``tangents`` a tuple of
    the same shapes: the direction to differentiate in. The outputs and their
    tangents are floats for a number result, else float64 arrays of its shape.

    >>> jvp(lambda x, y: x * y, (3.0, 5.0), (1.0, 0.0))
    (15.0, 5.0)
    >>> jvp(lambda v: [v[0] * v[1], v[0] + v[1]], ([3.0, 5.0],), ([1.0, 1.0],))
    (array([15.,  8.]), array([8., 2.]))
    """
    if not callable(f):
        raise TypeError(f"jvp(f, primals, tangents) needs a function, not {type(f).__name__}")
    for name, value in (("primals", primals), ("tangents", tangents)):
        if not isinstance(value, (tuple, list)):
            raise TypeError(
                f"jvp: {name} must be a tuple with one entry per argument of f, as (x,) for "
                f"one argument, not {type(value).__name__}"
            )
    if len(primals) != len(tangents):
        raise ValueError(
            f"jvp: {len(primals)} primals but {len(tangents)} tangents; give one tangent per "
            "argument"
        )
    args = []
    for i, (primal, tangent) in enumerate(zip(primals, tangents, strict=True)):
        point = _Argument(primal, f"jvp: primals[{i}]")
        direction = _Argument(tangent, f"jvp: tangents[{i}]")
        if direction.shape != point.shape:
            raise ValueError(
                f"jvp: tangents[{i}] has shape {direction.shape} but primals[{i}] has shape "
                f"{point.shape}; they must match"
            )
        traces = [
            Trace(v, d)
            for v, d in zip(point.values.tolist(), direction.values.tolist(), strict=True)
        ]
        args.append(point.wrap(traces))
    shape, leaves = _leaves(f(*args), "jvp")
    pairs = [_forward_leaf(leaf, "jvp") for leaf in leaves]
    return _shaped([v for v, _ in pairs], shape), _shaped([d for _, d in pairs], shape)


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[[Any], tuple[Any, ...]]]:
    """``f``'s outputs at ``primals``, and a function pulling a cotangent back to the inputs.

    ``f`` is recorded once, by reverse mode. ``vjp_fn(cotangents)``, with one
    weight per output (a number for a number result), gives the derivatives of
    the weighted sum of the outputs, one per primal, as a tuple; each call adds
    that sum to the recording and sweeps back once.

    >>> outputs, vjp_fn = vjp(lambda x, y: [x * y, x + y], 3.0, 5.0)
    >>> outputs
    array([15.,  8.])
    >>> vjp_fn([1.0, 0.0])
    (5.0, 3.0)
    >>> vjp_fn([0.0, 1.0])
    (1.0, 1.0)
    """
    if not callable(f):
        raise TypeError(f"vjp(f, ...) needs a function, not {type(f).__name__}")
    tape, arguments, out = _record(f, primals, {}, range(len(primals)))
    shape, leaves = _leaves(out, "vjp")
    pairs = [_reverse_leaf(leaf, tape, "vjp") for leaf in leaves]
    outputs = _shaped([value for value, _ in pairs], shape)

    def vjp_fn(cotangents: Any) -> tuple[Any, ...]:
        weights = _Argument(cotangents, "vjp_fn: cotangents")
        if weights.shape != shape:
            raise ValueError(
                f"vjp_fn: cotangents have shape {weights.shape} but f's result has shape "
                f"{shape}; give one weight per output"
            )
        total: Record | None = None
        for weight, (_, output) in zip(weights.values.tolist(), pairs, strict=True):
            if output is not None:
                term = output * weight
                total = term if total is None else total + term
        return _gradients(total, arguments)

    return outputs, vjp_fn


def _read_once(x: Any) -> Any:
    """``x`` as given, or the items of an iterator as a list: it is read twice."""
    if _is_plain_number(x) or isinstance(x, (list, tuple, np.ndarray, str, bytes, bytearray)):
        return x
    try:
        return list(x)
    except TypeError:
        return x  # not iterable: record() says what it needs


def hessian(f: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A function giving the exact Hessian of ``f`` (which returns one number).

    The argument is a number (the result is a float, the second derivative) or a
    1-D sequence or array of n numbers (an ``(n, n)`` float64 array). Each call
    records ``f`` at the point and replays the recording forward-over-reverse; to
    evaluate at many points, record once with :func:`~wengert.record` and call
    ``hessian`` on the recording, which checks that ``f``'s branches still hold.

    >>> hessian(lambda v: v[0] ** 3 * v[1])([2.0, 5.0])
    array([[60., 12.],
           [12.,  0.]])
    >>> hessian(lambda x: x ** 4)(2.0)
    48.0
    """
    if not callable(f):
        raise TypeError(f"hessian(f) needs a function, not {type(f).__name__}")

    def hessian_at(x: Any) -> Any:
        x = _read_once(x)
        return record(f, x).hessian(x)

    return hessian_at


def hvp(f: Callable[[Any], Any], x: Any, v: Any) -> Any:
    """The Hessian of ``f`` at ``x`` times the vector ``v``, exactly, without forming the Hessian.

    ``x`` and ``v`` are numbers or 1-D sequences of the same length; the result
    has their form (a float, or a float64 array). ``f`` is recorded at ``x`` and
    the product comes from one forward-over-reverse replay.

    >>> hvp(lambda v: v[0] ** 3 * v[1], [2.0, 5.0], [1.0, 0.0])
    array([60., 12.])
    """
    if not callable(f):
        raise TypeError(f"hvp(f, x, v) needs a function, not {type(f).__name__}")
    x = _read_once(x)
    return record(f, x).hvp(x, v)


__all__ = ["derivative", "grad", "hessian", "hvp", "jacobian", "jvp", "value_and_grad", "vjp"]
