//! Why a tape cannot become a program, and why a replay gave no result.

use std::fmt;

use crate::ops::MathError;

/// Why a replay gave no result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// The operation at `entry` has no value at the new point.
    Math { entry: usize, error: MathError },
    /// Guard number `guard` has another outcome at the new point.
    BranchChanged { guard: usize },
    /// A custom operation failed; the [`Customs`](super::Customs) holds the reason.
    Custom,
    /// The custom operation at `entry` has no second derivative (for Hessians).
    NoSecondDerivative { entry: usize },
    /// The custom operation at `entry` has no rule for Taylor coefficients past degree 2.
    NoTaylorRule { entry: usize },
    /// The system would not give the memory.
    OutOfMemory,
    /// A point, a direction or a result's buffer has the wrong length, or there is no
    /// output of that number.
    Length,
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Math { entry, error } => write!(f, "{error} (entry {entry})"),
            ReplayError::BranchChanged { guard } => {
                write!(f, "comparison {guard} has another outcome")
            }
            ReplayError::Custom => f.write_str("a custom operation failed"),
            ReplayError::NoSecondDerivative { entry } => {
                write!(
                    f,
                    "the custom operation at entry {entry} has no second derivative"
                )
            }
            ReplayError::NoTaylorRule { entry } => write!(
                f,
                "the custom operation at entry {entry} has no Taylor rule past degree 2"
            ),
            ReplayError::OutOfMemory => f.write_str("out of memory for the replay"),
            ReplayError::Length => f.write_str("a slice of the wrong length, or no such output"),
        }
    }
}

/// Why a tape cannot become a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramError {
    /// The entry at this index is an input made after the program's inputs.
    ExtraInput(usize),
    /// An operand, output or guard refers to an entry the tape does not hold.
    BadIndex(usize),
    /// The entry at this index should be one of the program's inputs, and is not.
    MissingInput(usize),
    /// The guard of this number sits before the one preceding it, or after the last entry.
    GuardOutOfOrder(usize),
    /// The block custom operation at this entry (its first output, or an entry that
    /// claims to be one of its outputs) does not match the code: its outputs are not
    /// its consecutive entries, or it has no input, no output, or an input not before it.
    BadBlock(usize),
}
