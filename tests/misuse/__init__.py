"""The misuse matrix: every public callable, called with every kind of wrong argument.

Each module of this package covers one subject (the module's math functions, the unary
and binary operations, conversions, custom functions, constructors and properties, the
tape and Derivatives, pickling and copying, NumPy, the functional API, recording and
replay, the exception classes): its ``ENTRIES`` map each public name of that subject
(``wengert.sin``, ``Trace.pow``, ``Record.__add__``, ...) to a *category*: a shared set of
checks for everything of that shape (a unary math method, a binary operator, a number
factory, ...), and its ``test_misuse`` runs them. ``test_matrix.py`` joins the entries into
``MATRIX``; its ``test_every_public_name_is_in_the_matrix`` walks ``wengert.__all__`` and
every attribute each public class defines, and fails for a name with no entry, so a new
method without coverage fails the suite. Adding one is one line in the module of its
subject: ``"Trace.tan": unary_method(math.tan)``. ``test_fuzz.py`` calls every public name
with random arguments. What the modules share is in ``_common.py``.

The argument kinds tried: None, str, bytes, bytearray, list, tuple, dict, complex,
a plain object, a callable, a tape, a Derivatives (of an earlier generation), bool,
NaN, +-inf, -0.0, ints beyond the float range, a Record of another tape, a stale
Record (made before ``tape.clear()``), a constant Record, a cleared tape, a value of
another mode (a Trace, a MultiTrace or a Record where one of the others is expected), a
MultiTrace with another number of tangents ``k``, numpy scalars, and keyword arguments
that do not exist. A MultiTrace's tangents must each be exactly what a Trace pass gives.
The functional API (``grad``, ``value_and_grad``, ``jacobian``, ``jvp``, ``vjp``) is
given functions that are not callable, ``argnums`` of the wrong type or out of range,
results that are not numbers or of the wrong shape or mode, an unknown ``mode``, and
tangents and cotangents of the wrong shape. ``record`` and the methods of a ``Recording``
(and ``hessian`` and ``hvp``, which record) are given points that are not numbers or
not of x0's form, bools, ints beyond the float range, NaN and infinities, functions
whose results are not numbers, and recordings whose branches or escapes refuse the point.

What counts as legitimate (asserted below, and stated in the README):

- bool is an int, as for float: ``Trace(True)`` is ``Trace(1.0)``, ``x + True`` is ``x + 1``.
- NaN and +-inf are floats: they are accepted wherever a float is, and every value
  is then exactly what ``float``/``math`` give (including their exceptions:
  ``sin(inf)`` raises ValueError, as ``math.sin(inf)`` does).
- An int beyond the float range raises OverflowError ("int too large to convert to
  float"), exactly as ``1.0 + 10**400`` does: an ArithmeticError, as in Python.
- A stale or foreign Record still compares by its number (comparisons record nothing).
- ``+x`` returns ``x`` itself: it records nothing, so it is allowed even on a stale record.
- Read-only attributes raise AttributeError on assignment, as Python's do.
- MultiTraces with different ``k`` still compare by their numbers.
- ``copy.copy`` and ``copy.deepcopy`` of a Trace, MultiTrace, Record or Derivatives
  give the object itself (whatever the memo); pickling a Record, Derivatives or
  WengertList raises TypeError saying what to pickle instead.
- ``round(x)``, ``math.floor(x)`` and friends give a value of x's class holding the
  integer as a float; ``floor``, ``ceil`` and ``trunc`` (methods and functions) give
  the C library's float, infinities and NaN included.

Everything else raises a TypeError or ValueError subclass whose message names the
expected type or the remedy, and a failed operation leaves the tape as it was.
"""
