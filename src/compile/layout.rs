//! Where compiled code keeps an entry's value, partials and adjoint: one flat buffer
//! of `f64`, the values of all entries first, then two partial slots per entry, then
//! the adjoints.

/// The offsets, in bytes, into the working memory of a program of `len` entries.
#[derive(Clone, Copy, Debug)]
pub(super) struct Layout {
    len: usize,
}

impl Layout {
    pub(super) fn new(len: usize) -> Layout {
        Layout { len }
    }

    /// The buffer's length in `f64`s.
    pub(super) fn total(self) -> usize {
        4 * self.len
    }

    /// Where the adjoints start, in `f64`s.
    pub(super) fn adjoints_start(self) -> usize {
        3 * self.len
    }

    fn bytes(index: usize) -> i32 {
        // The policy of `Compiled::new` bounds the entries well below 2^28.
        (8 * index) as i32
    }

    pub(super) fn value(self, i: usize) -> i32 {
        Self::bytes(i)
    }

    pub(super) fn partial(self, i: usize, slot: usize) -> i32 {
        Self::bytes(self.len + 2 * i + slot)
    }

    pub(super) fn adjoint(self, i: usize) -> i32 {
        Self::bytes(3 * self.len + i)
    }
}
