//! The number slots: arithmetic between Traces, Records and floats without PyO3's
//! general machinery.
//!
//! PyO3 answers `a * b` through one slot that first calls `__mul__` with `a` as the
//! receiver and only then `__rmul__`; for `2.0 * x` the first try fails and builds
//! (then drops) an error value. Its freelist takes a lock on every allocation and
//! every free. For the operations user code runs millions of times this module
//! installs, on the two classes' type objects:
//!
//! - number slots (`+ - * / **` and unary `-`) that look at the exact types of both
//!   operands, compute through the same engine calls as the PyO3 methods (so the
//!   results are identical), and hand every other case (ints, subclasses, other
//!   types, a modulus) to the slot PyO3 generated;
//! - `tp_alloc`/`tp_dealloc` with a free list of recently freed objects;
//! - no garbage-collector tracking: the values cannot be part of a reference cycle.
//!
//! All of it relies on the GIL; under a free-threaded interpreter running without
//! one, nothing is installed.
//!
//! Nothing here can panic: no indexing, no unwrapping; allocation failure becomes
//! MemoryError. The layout PyO3 gives the classes is checked when the module
//! loads; if it is not the expected one, nothing is installed and every path
//! stays PyO3's.

use std::cell::UnsafeCell;
use std::ptr;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::PyTypeInfo;

use super::number::NumberClass;
use super::record::PyRecord;
use super::trace::PyTrace;
use crate::ops::{Binary, Unary};

/// Objects kept for reuse per class.
const FREE_LIST_CAPACITY: usize = 1024;

/// What the fast path knows about one class.
pub(crate) struct Class {
    /// The type object; null while the fast path is not installed.
    tp: *mut ffi::PyTypeObject,
    /// Where the Rust value lives inside the object.
    offset: usize,
    free: [*mut ffi::PyObject; FREE_LIST_CAPACITY],
    free_len: usize,
    /// The slots PyO3 generated, for every case the fast path does not take.
    add: Option<ffi::binaryfunc>,
    subtract: Option<ffi::binaryfunc>,
    multiply: Option<ffi::binaryfunc>,
    divide: Option<ffi::binaryfunc>,
    power: Option<ffi::ternaryfunc>,
    negative: Option<ffi::unaryfunc>,
}

/// A [`Class`] shared by every thread, only touched by a thread holding the GIL
/// (nothing is installed when the interpreter runs without one).
pub(crate) struct Shared(UnsafeCell<Class>);

// SAFETY: see the type's documentation.
unsafe impl Sync for Shared {}

impl Shared {
    const fn new() -> Self {
        Shared(UnsafeCell::new(Class {
            tp: ptr::null_mut(),
            offset: 0,
            free: [ptr::null_mut(); FREE_LIST_CAPACITY],
            free_len: 0,
            add: None,
            subtract: None,
            multiply: None,
            divide: None,
            power: None,
            negative: None,
        }))
    }

    /// # Safety
    /// The caller holds the GIL, and holds no other reference from `get`.
    #[allow(clippy::mut_from_ref)]
    #[inline(always)]
    unsafe fn get(&self) -> &mut Class {
        unsafe { &mut *self.0.get() }
    }
}

static TRACE: Shared = Shared::new();
static RECORD: Shared = Shared::new();

/// The number classes with their own slots: what the slots need beyond [`NumberClass`].
pub(crate) trait SlotClass: NumberClass + PyTypeInfo {
    fn shared() -> &'static Shared;
    /// A new object the way PyO3 makes it.
    fn new_by_pyo3(py: Python<'_>, value: Self) -> PyResult<Bound<'_, Self>>;
    /// Drop the value in an object being deallocated.
    ///
    /// # Safety
    /// `value` is valid and not used again; the thread is attached. A `Py` must be
    /// released with `Py_DECREF` here: dropping it would find no PyO3 frame on the
    /// stack and defer the decrement to a queue.
    unsafe fn drop_value(value: *mut Self);
}

impl SlotClass for PyTrace {
    fn shared() -> &'static Shared {
        &TRACE
    }
    fn new_by_pyo3(py: Python<'_>, value: Self) -> PyResult<Bound<'_, Self>> {
        Bound::new(py, value)
    }
    unsafe fn drop_value(_value: *mut Self) {
        // Two floats: nothing to release.
    }
}

impl SlotClass for PyRecord {
    fn shared() -> &'static Shared {
        &RECORD
    }
    fn new_by_pyo3(py: Python<'_>, value: Self) -> PyResult<Bound<'_, Self>> {
        Bound::new(py, value)
    }
    unsafe fn drop_value(value: *mut Self) {
        unsafe {
            if let Some(tape) = ptr::read(value).into_tape() {
                ffi::Py_DECREF(tape.into_ptr());
            }
        }
    }
}

/// A new Python object holding `value`.
#[inline(always)]
pub(crate) fn new_object<T: SlotClass>(py: Python<'_>, value: T) -> PyResult<Py<PyAny>> {
    // SAFETY: `py` proves the thread is attached.
    let class = unsafe { T::shared().get() };
    if class.tp.is_null() {
        return Ok(T::new_by_pyo3(py, value)?.into_any().unbind());
    }
    unsafe {
        let obj = alloc(class);
        if obj.is_null() {
            // Drop the value (a Record's tape reference) inside `attach`, as in `finish`.
            return Err(Python::attach(|py| {
                drop(value);
                PyErr::fetch(py)
            }));
        }
        ptr::write(obj.cast::<u8>().add(class.offset).cast::<T>(), value);
        Ok(Bound::from_owned_ptr(py, obj).unbind())
    }
}

/// Memory for one object of the class, initialised as an object (type and reference
/// count) but not its value; null with MemoryError set on failure.
#[inline(always)]
unsafe fn alloc(class: &mut Class) -> *mut ffi::PyObject {
    unsafe {
        if class.free_len > 0 {
            class.free_len -= 1;
            let obj = class.free[class.free_len];
            // Sets the type (taking a reference to it) and a reference count of 1.
            ffi::PyObject_Init(obj, class.tp);
            return obj;
        }
        ffi::PyType_GenericAlloc(class.tp, 0)
    }
}

/// `tp_alloc` for the classes, so PyO3's own constructors reuse freed objects too.
unsafe extern "C" fn tp_alloc<T: SlotClass>(
    subtype: *mut ffi::PyTypeObject,
    nitems: ffi::Py_ssize_t,
) -> *mut ffi::PyObject {
    unsafe {
        let class = T::shared().get();
        if subtype == class.tp && nitems == 0 {
            alloc(class)
        } else {
            ffi::PyType_GenericAlloc(subtype, nitems)
        }
    }
}

/// `tp_dealloc`: drop the value, keep the memory for reuse (or free it), release the type.
unsafe extern "C" fn tp_dealloc<T: SlotClass>(obj: *mut ffi::PyObject) {
    unsafe {
        let (_, offset) = layout(T::shared());
        let tp = ffi::Py_TYPE(obj);
        // Dropping a Record releases its tape, whose weak references' callbacks may
        // run Python code (and make or free values): the free list is read after.
        T::drop_value(obj.cast::<u8>().add(offset).cast::<T>());
        let class = T::shared().get();
        if class.free_len < FREE_LIST_CAPACITY {
            class.free[class.free_len] = obj;
            class.free_len += 1;
        } else {
            ffi::PyObject_Free(obj.cast());
        }
        // A heap type's instances each hold a reference to it.
        ffi::Py_DECREF(tp.cast());
    }
}

/// The value inside an object known to be of class `T`.
#[inline(always)]
unsafe fn value<'a, T: SlotClass>(offset: usize, obj: *mut ffi::PyObject) -> &'a T {
    unsafe { &*obj.cast::<u8>().add(offset).cast::<T>() }
}

/// The type object and the value's offset of a class.
#[inline(always)]
fn layout(shared: &Shared) -> (*mut ffi::PyTypeObject, usize) {
    // SAFETY: the callers run inside a slot, holding the GIL; the reference ends here.
    let class = unsafe { shared.get() };
    (class.tp, class.offset)
}

/// The float in an exact `float` object, or None for any other object.
#[inline(always)]
unsafe fn exact_float(obj: *mut ffi::PyObject) -> Option<f64> {
    unsafe {
        if ffi::PyFloat_CheckExact(obj) != 0 {
            Some(ffi::PyFloat_AS_DOUBLE(obj))
        } else {
            None
        }
    }
}

/// Return a result to CPython: the new reference, or null with the error set.
#[inline(always)]
fn finish(result: PyResult<Py<PyAny>>) -> *mut ffi::PyObject {
    match result {
        Ok(obj) => obj.into_ptr(),
        Err(err) => {
            // Cold. Inside `attach`, so that what restoring the error drops (its type,
            // its message) is released now: outside a PyO3 call it would be queued.
            Python::attach(|py| err.restore(py));
            ptr::null_mut()
        }
    }
}

/// The operands of `a ⊕ b` when the slots take them: two values of class `T`, or one
/// and an exact float on either side, the variants named as [`crate::ops::Operands`]
/// names which operand is the constant.
enum Pair<'a, T> {
    Both(&'a T, &'a T),
    ConstantRight(&'a T, f64),
    ConstantLeft(f64, &'a T),
}

/// The operands of `a ⊕ b` for class `T`, or None for any other pair of types.
#[inline(always)]
unsafe fn pair<'a, T: SlotClass>(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
) -> Option<Pair<'a, T>> {
    unsafe {
        let (tp, offset) = layout(T::shared());
        if ffi::Py_TYPE(a) == tp {
            let x = value::<T>(offset, a);
            if ffi::Py_TYPE(b) == tp {
                Some(Pair::Both(x, value::<T>(offset, b)))
            } else {
                exact_float(b).map(|c| Pair::ConstantRight(x, c))
            }
        } else if ffi::Py_TYPE(b) == tp {
            exact_float(a).map(|c| Pair::ConstantLeft(c, value::<T>(offset, b)))
        } else {
            None
        }
    }
}

/// `a ⊕ b` where one side may be a Trace.
#[inline(always)]
unsafe fn trace_binary(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
    op: Binary,
    fallback: Option<ffi::binaryfunc>,
) -> *mut ffi::PyObject {
    unsafe {
        let py = Python::assume_attached();
        let result = match pair::<PyTrace>(a, b) {
            Some(Pair::Both(x, y)) => x.0.binary(op, y.0),
            Some(Pair::ConstantRight(x, c)) => x.0.binary_const_rhs(op, c),
            Some(Pair::ConstantLeft(c, y)) => y.0.binary_const_lhs(op, c),
            None => return call_fallback(a, b, fallback),
        };
        finish(PyTrace::from_engine(py, result))
    }
}

/// `a ⊕ b` where one side may be a Record.
#[inline(always)]
unsafe fn record_binary(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
    op: Binary,
    fallback: Option<ffi::binaryfunc>,
) -> *mut ffi::PyObject {
    use super::record::Side;
    unsafe {
        let py = Python::assume_attached();
        let (lhs, rhs) = match pair::<PyRecord>(a, b) {
            Some(Pair::Both(x, y)) => (x.side(), y.side()),
            Some(Pair::ConstantRight(x, c)) => (x.side(), Side::Constant(c)),
            Some(Pair::ConstantLeft(c, y)) => (Side::Constant(c), y.side()),
            None => return call_fallback(a, b, fallback),
        };
        finish(PyRecord::apply_sides(py, lhs, rhs, op))
    }
}

#[inline(always)]
unsafe fn call_fallback(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
    fallback: Option<ffi::binaryfunc>,
) -> *mut ffi::PyObject {
    match fallback {
        Some(f) => unsafe { f(a, b) },
        None => unsafe { ffi::Py_NewRef(ffi::Py_NotImplemented()) },
    }
}

/// The number slots of one class, each a thin call into `$binary` with its operation.
macro_rules! binary_slots {
    ($shared:ident, $binary:ident: $($name:ident => $op:expr, $field:ident;)*) => {
        $(
            unsafe extern "C" fn $name(
                a: *mut ffi::PyObject,
                b: *mut ffi::PyObject,
            ) -> *mut ffi::PyObject {
                unsafe { $binary(a, b, $op, $shared.get().$field) }
            }
        )*
    };
}

binary_slots!(TRACE, trace_binary:
    trace_add => Binary::Add, add;
    trace_subtract => Binary::Sub, subtract;
    trace_multiply => Binary::Mul, multiply;
    trace_divide => Binary::Div, divide;
);

binary_slots!(RECORD, record_binary:
    record_add => Binary::Add, add;
    record_subtract => Binary::Sub, subtract;
    record_multiply => Binary::Mul, multiply;
    record_divide => Binary::Div, divide;
);

/// `a ** b` (and `pow(a, b, None)`): the two-argument fast path; a modulus and every
/// other case go to PyO3's slot.
#[inline(always)]
unsafe fn power_slot<T: SlotClass>(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
    modulus: *mut ffi::PyObject,
    binary: unsafe fn(
        *mut ffi::PyObject,
        *mut ffi::PyObject,
        Binary,
        Option<ffi::binaryfunc>,
    ) -> *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    unsafe {
        if modulus == ffi::Py_None() && pair::<T>(a, b).is_some() {
            return binary(a, b, Binary::Pow, None);
        }
        match T::shared().get().power {
            Some(f) => f(a, b, modulus),
            None => ffi::Py_NewRef(ffi::Py_NotImplemented()),
        }
    }
}

unsafe extern "C" fn trace_power(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
    modulus: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    unsafe { power_slot::<PyTrace>(a, b, modulus, trace_binary) }
}

unsafe extern "C" fn record_power(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
    modulus: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    unsafe { power_slot::<PyRecord>(a, b, modulus, record_binary) }
}

/// Unary `-`: the fast way for an object of class `T`, else PyO3's slot.
unsafe extern "C" fn negative<T: SlotClass>(a: *mut ffi::PyObject) -> *mut ffi::PyObject {
    unsafe {
        let (tp, offset) = layout(T::shared());
        if ffi::Py_TYPE(a) != tp {
            return call_unary_fallback(a, T::shared().get().negative);
        }
        let py = Python::assume_attached();
        finish(T::apply_unary_to(py, value::<T>(offset, a), Unary::Neg))
    }
}

unsafe fn call_unary_fallback(
    a: *mut ffi::PyObject,
    fallback: Option<ffi::unaryfunc>,
) -> *mut ffi::PyObject {
    match fallback {
        Some(f) => unsafe { f(a) },
        None => unsafe {
            ffi::PyErr_SetString(
                ffi::PyExc_TypeError,
                c"bad operand type for unary -".as_ptr(),
            );
            ptr::null_mut()
        },
    }
}

/// The slot functions of one class.
struct Slots {
    add: ffi::binaryfunc,
    subtract: ffi::binaryfunc,
    multiply: ffi::binaryfunc,
    divide: ffi::binaryfunc,
    power: ffi::ternaryfunc,
    negative: ffi::unaryfunc,
}

/// Install the fast path on both classes. Call once, when the module is made.
pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    // Everything here relies on the GIL to serialise threads. A free-threaded build
    // running without it keeps PyO3's paths throughout.
    let sys = py.import("sys")?;
    let gil_enabled = match sys.getattr("_is_gil_enabled") {
        Ok(f) => f.call0()?.is_truthy()?,
        Err(_) => true,
    };
    if !gil_enabled {
        return Ok(());
    }
    let trace = Slots {
        add: trace_add,
        subtract: trace_subtract,
        multiply: trace_multiply,
        divide: trace_divide,
        power: trace_power,
        negative: negative::<PyTrace>,
    };
    install_class::<PyTrace>(py, trace);
    let record = Slots {
        add: record_add,
        subtract: record_subtract,
        multiply: record_multiply,
        divide: record_divide,
        power: record_power,
        negative: negative::<PyRecord>,
    };
    install_class::<PyRecord>(py, record);
    Ok(())
}

fn install_class<T: SlotClass>(py: Python<'_>, slots: Slots) {
    let tp = T::type_object_raw(py);
    // Once per process: the module's init runs again if it is imported again (after
    // `del sys.modules[...]`), and the slots in place are then already these.
    // SAFETY: the GIL is held; the reference ends here.
    if !unsafe { T::shared().get() }.tp.is_null() {
        return;
    }
    // PyO3 lays an object out as the object header followed by the value (at the
    // header's size, rounded up to the value's alignment), then whatever else the class
    // needs: a borrow flag, a dict, weak references. The classes are frozen and have
    // none of these, which the size and offsets confirm.
    let header = std::mem::size_of::<ffi::PyObject>();
    let align = std::mem::align_of::<T>();
    let offset = header.div_ceil(align) * align;
    unsafe {
        let basic_size = usize::try_from((*tp).tp_basicsize).unwrap_or(0);
        let number = (*tp).tp_as_number;
        let expected_layout = offset + std::mem::size_of::<T>() == basic_size
            && (*tp).tp_itemsize == 0
            && (*tp).tp_dictoffset == 0
            && (*tp).tp_weaklistoffset == 0
            && ffi::PyType_HasFeature(tp, ffi::Py_TPFLAGS_BASETYPE) == 0
            && !number.is_null();
        if !expected_layout {
            return;
        }
        let class = T::shared().get();
        class.offset = offset;
        class.add = (*number).nb_add;
        class.subtract = (*number).nb_subtract;
        class.multiply = (*number).nb_multiply;
        class.divide = (*number).nb_true_divide;
        class.power = (*number).nb_power;
        class.negative = (*number).nb_negative;
        (*number).nb_add = Some(slots.add);
        (*number).nb_subtract = Some(slots.subtract);
        (*number).nb_multiply = Some(slots.multiply);
        (*number).nb_true_divide = Some(slots.divide);
        (*number).nb_power = Some(slots.power);
        (*number).nb_negative = Some(slots.negative);
        // The values hold no Python object that could form a cycle (a Record holds
        // its tape, which holds none), so the garbage collector need not track them:
        // no instance exists yet, so the flag can still change.
        (*tp).tp_flags &= !ffi::Py_TPFLAGS_HAVE_GC;
        (*tp).tp_alloc = Some(tp_alloc::<T>);
        (*tp).tp_dealloc = Some(tp_dealloc::<T>);
        (*tp).tp_free = Some(ffi::PyObject_Free);
        class.tp = tp;
        ffi::PyType_Modified(tp);
    }
}
