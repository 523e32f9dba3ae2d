//! Operations of two arguments: [`Binary`], with its value, partials and second
//! partials, and [`Operands`], which operand of a binary operation is a constant.

use super::cpython::{atan2, atan2_second, hypot, hypot_second, pow, pow_second};
use super::MathError;

/// Operations of two arguments.
///
/// New variants go at the end, so that the existing ones keep their numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    /// `atan2(y, x)`: the angle of the point `(x, y)`, the left operand being `y`.
    Atan2,
    Hypot,
}

/// Which operands of a binary operation are variables (entries of a tape or of a
/// program), and which one is a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operands {
    /// Both operands are variables.
    Both,
    /// The left operand is a constant, the right one a variable.
    ConstantLeft,
    /// The left operand is a variable, the right one a constant.
    ConstantRight,
}

impl Binary {
    pub const ALL: [Binary; 7] = [
        Binary::Add,
        Binary::Sub,
        Binary::Mul,
        Binary::Div,
        Binary::Pow,
        Binary::Atan2,
        Binary::Hypot,
    ];

    /// The value `f(x, y)` and the partials `∂f/∂x`, `∂f/∂y`.
    ///
    /// When one operand is a constant the caller ignores its partial; the
    /// compiler drops the work that computes it.
    #[inline(always)]
    pub fn eval(self, x: f64, y: f64) -> Result<(f64, f64, f64), MathError> {
        Ok(match self {
            Binary::Add => (x + y, 1.0, 1.0),
            Binary::Sub => (x - y, 1.0, -1.0),
            Binary::Mul => (x * y, y, x),
            Binary::Div => {
                if y == 0.0 {
                    return Err(MathError::ZeroDivision("float division by zero"));
                }
                let v = x / y;
                (v, 1.0 / y, -v / y)
            }
            Binary::Pow => return pow(x, y),
            Binary::Atan2 => atan2(x, y),
            Binary::Hypot => hypot(x, y),
        })
    }

    /// The second partials `[∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²]` at `(x, y)`, given the
    /// value and partials that [`Binary::eval`] returned there (call it only where
    /// `eval` succeeded).
    ///
    /// The edge cases follow the first partials' (see `pow`, `atan2`, `hypot` and
    /// `pow_second`, `atan2_second`, `hypot_second` in `cpython.rs`): 0 where a
    /// function is taken as constant (`x ** 0`, `x ** 1`, `0 ** y` in `y`, `atan2`
    /// and `hypot` at the origin), the limit at infinity, NaN where a first partial
    /// is NaN.
    #[inline(always)]
    pub fn second(self, x: f64, y: f64, value: f64, dx: f64, dy: f64) -> [f64; 3] {
        match self {
            Binary::Add => [0.0, 0.0, 0.0],
            Binary::Sub => [0.0, 0.0, 0.0],
            Binary::Mul => [0.0, 1.0, 0.0],
            // [0, -1/y², 2x/y³]: -dx² and -2 dy/y, dx being 1/y and dy -x/y².
            Binary::Div => [0.0, -(dx * dx), -2.0 * (dy / y)],
            Binary::Pow => pow_second(x, y, dy),
            Binary::Atan2 => atan2_second(x, y, dx, dy),
            Binary::Hypot => hypot_second(x, y, value, dx, dy),
        }
    }
}
