//! Greedy colourings of sparsity patterns, for compressed evaluation (Gebremedhin,
//! Manne & Pothen, "What color is your Jacobian?", SIAM Review 2005).
//!
//! - [`column_colouring`]: no two columns of one colour share a row (a distance-1
//!   colouring of the column intersection graph), so one forward pass seeded with the
//!   sum of a colour's columns gives each of them exactly. Colouring the transposed
//!   pattern gives the rows for reverse sweeps.
//! - [`symmetric_colouring`]: a star colouring of a symmetric pattern's adjacency
//!   graph (adjacent vertices differ, and every path on four vertices has three
//!   colours), with direct recovery: each nonzero `h_ij` is read from `H·d_c(i)` at
//!   row j or from `H·d_c(j)` at row i, whichever holds it alone.
//!
//! Each is greedy, tried in the natural order and in largest-first order (by degree),
//! and the one with fewer colours kept (the natural order on a tie).

use super::sparsity::{try_filled, Pattern};
use super::ReplayError;

/// No colour: not coloured yet, or a vertex with no nonzero, which no pass needs.
pub const NONE: u32 = u32::MAX;

/// A colour for each vertex (column, row or input), `0..count`, or [`NONE`] for a
/// vertex without nonzeros.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Colouring {
    pub colours: Vec<u32>,
    pub count: usize,
}

/// The vertices by decreasing degree, ties in increasing index.
fn largest_first(degrees: &[usize]) -> Result<Vec<u32>, ReplayError> {
    let mut order = try_filled(degrees.len(), 0u32)?;
    for (i, o) in order.iter_mut().enumerate() {
        *o = i as u32;
    }
    order.sort_by_key(|&v| std::cmp::Reverse(degrees[v as usize]));
    Ok(order)
}

/// The smallest colour `forbidden` does not mark with `mark`.
fn first_allowed(forbidden: &[usize], mark: usize) -> u32 {
    forbidden
        .iter()
        .position(|&f| f != mark)
        .unwrap_or(forbidden.len()) as u32
}

/// The better of the colourings in the natural and in the largest-first order.
fn better(
    vertices: usize,
    degrees: &[usize],
    greedy: impl Fn(&mut dyn Iterator<Item = u32>) -> Result<Colouring, ReplayError>,
) -> Result<Colouring, ReplayError> {
    let natural = greedy(&mut (0..vertices as u32))?;
    let order = largest_first(degrees)?;
    let largest = greedy(&mut order.iter().copied())?;
    Ok(if largest.count < natural.count {
        largest
    } else {
        natural
    })
}

/// A colouring of `pattern`'s columns in which no two columns of one colour have a
/// nonzero in the same row; `transposed` is `pattern`'s transpose.
pub fn column_colouring(pattern: &Pattern, transposed: &Pattern) -> Result<Colouring, ReplayError> {
    let cols = pattern.cols;
    // Degrees in the column intersection graph.
    let mut seen = try_filled(cols, usize::MAX)?;
    let mut degrees = try_filled(cols, 0usize)?;
    for (j, degree) in degrees.iter_mut().enumerate() {
        for &r in transposed.row(j) {
            for &k in pattern.row(r as usize) {
                let k = k as usize;
                if k != j && seen[k] != j {
                    seen[k] = j;
                    *degree += 1;
                }
            }
        }
    }
    better(cols, &degrees, |order| {
        let mut colours = try_filled(cols, NONE)?;
        let mut forbidden = try_filled(cols + 1, usize::MAX)?;
        let mut count = 0;
        for j in order {
            let j = j as usize;
            if transposed.row(j).is_empty() {
                continue;
            }
            for &r in transposed.row(j) {
                for &k in pattern.row(r as usize) {
                    let c = colours[k as usize];
                    if c != NONE {
                        forbidden[c as usize] = j;
                    }
                }
            }
            let c = first_allowed(&forbidden, j);
            colours[j] = c;
            count = count.max(c as usize + 1);
        }
        Ok(Colouring { colours, count })
    })
}

/// A greedy star colouring of the adjacency graph of the symmetric `pattern` (its
/// diagonal ignored), in `order`.
///
/// Invariant: the neighbours of any vertex that were coloured before it have distinct
/// colours (when the later of two is coloured, the other is a coloured vertex two
/// steps away through an uncoloured one, and its colour is forbidden). So a path on
/// four vertices can only be two-coloured if the last of them to be coloured is an
/// end: `v - w - x - y` with `c(v) = c(x)` and `c(w) = c(y)`, which colouring `v`
/// checks for.
fn star(pattern: &Pattern, order: &mut dyn Iterator<Item = u32>) -> Result<Colouring, ReplayError> {
    let n = pattern.rows;
    let mut colours = try_filled(n, NONE)?;
    let mut forbidden = try_filled(n + 1, usize::MAX)?;
    let mut count = 0;
    for v in order {
        let v = v as usize;
        if pattern.row(v).is_empty() {
            continue;
        }
        for &w in pattern.row(v) {
            let w = w as usize;
            if w == v {
                continue;
            }
            let cw = colours[w];
            if cw != NONE {
                forbidden[cw as usize] = v;
            }
            for &x in pattern.row(w) {
                let x = x as usize;
                let cx = colours[x];
                if x == v || x == w || cx == NONE || forbidden[cx as usize] == v {
                    continue;
                }
                // With w uncoloured, v and x (both its neighbours) must differ; with w
                // coloured, x must not have another neighbour y of w's colour.
                let closes_path = || {
                    pattern.row(x).iter().any(|&y| {
                        let y = y as usize;
                        y != w && y != x && colours[y] == cw
                    })
                };
                if cw == NONE || closes_path() {
                    forbidden[cx as usize] = v;
                }
            }
        }
        let c = first_allowed(&forbidden, v);
        colours[v] = c;
        count = count.max(c as usize + 1);
    }
    Ok(Colouring { colours, count })
}

/// Where each nonzero of the symmetric `pattern` (in its order) is read from the
/// compressed product `B = H·D` (n × `count`, row-major): `B[row * count + colour]`;
/// None if the colouring does not give some nonzero alone.
///
/// `h_ij` is taken from `H·d_c(i)` at row j when i is the only one of its colour in
/// row j (the way the dense Hessian's row i is `H·e_i`), else from `H·d_c(j)` at row i.
fn recovery(pattern: &Pattern, colouring: &Colouring) -> Result<Option<Vec<usize>>, ReplayError> {
    let count = colouring.count;
    let colour = |k: u32| colouring.colours[k as usize] as usize;
    let mut occurrences = try_filled(count, 0u32)?;
    let mut alone = try_filled(pattern.nnz(), false)?;
    for r in 0..pattern.rows {
        let range = pattern.indptr[r]..pattern.indptr[r + 1];
        for &k in &pattern.indices[range.clone()] {
            occurrences[colour(k)] += 1;
        }
        for p in range.clone() {
            alone[p] = occurrences[colour(pattern.indices[p])] == 1;
        }
        for &k in &pattern.indices[range] {
            occurrences[colour(k)] = 0;
        }
    }
    let mut plan = try_filled(pattern.nnz(), 0usize)?;
    for i in 0..pattern.rows {
        for p in pattern.indptr[i]..pattern.indptr[i + 1] {
            let j = pattern.indices[p] as usize;
            let transposed = pattern
                .row(j)
                .binary_search(&(i as u32))
                .ok()
                .map(|q| pattern.indptr[j] + q);
            plan[p] = match transposed {
                Some(q) if alone[q] => j * count + colour(i as u32),
                _ if alone[p] => i * count + colour(j as u32),
                _ => return Ok(None),
            };
        }
    }
    Ok(Some(plan))
}

/// A symmetric colouring of the symmetric `pattern` (a star colouring), and the
/// recovery of its nonzeros from the compressed product (see [`recovery`]).
pub fn symmetric_colouring(pattern: &Pattern) -> Result<(Colouring, Vec<usize>), ReplayError> {
    let n = pattern.rows;
    let mut degrees = try_filled(n, 0usize)?;
    for (v, degree) in degrees.iter_mut().enumerate() {
        *degree = pattern.row(v).len();
    }
    let colouring = better(n, &degrees, |order| star(pattern, order))?;
    if let Some(plan) = recovery(pattern, &colouring)? {
        return Ok((colouring, plan));
    }
    // Not reached for a star colouring; a distance-2 colouring recovers every entry
    // from its own column.
    let colouring = column_colouring(pattern, pattern)?;
    match recovery(pattern, &colouring)? {
        Some(plan) => Ok((colouring, plan)),
        None => Err(ReplayError::Length),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(n: usize, entries: &[(usize, usize)]) -> Pattern {
        let mut rows = vec![Vec::new(); n];
        for &(i, j) in entries {
            rows[i].push(j as u32);
        }
        let mut indptr = vec![0];
        let mut indices = Vec::new();
        for mut row in rows {
            row.sort_unstable();
            row.dedup();
            indices.extend(row);
            indptr.push(indices.len());
        }
        Pattern {
            rows: n,
            cols: n,
            indptr,
            indices,
        }
    }

    fn symmetric(n: usize, edges: &[(usize, usize)]) -> Pattern {
        let mut all: Vec<(usize, usize)> = (0..n).map(|i| (i, i)).collect();
        for &(i, j) in edges {
            all.push((i, j));
            all.push((j, i));
        }
        pattern(n, &all)
    }

    /// Every path on four vertices has three colours, adjacent vertices two.
    fn is_star(p: &Pattern, c: &[u32]) -> bool {
        let n = p.rows;
        let adjacent = |a: usize| {
            p.row(a)
                .iter()
                .map(|&b| b as usize)
                .filter(move |&b| b != a)
        };
        for v in 0..n {
            for w in adjacent(v) {
                if c[v] == c[w] {
                    return false;
                }
                for x in adjacent(w).filter(|&x| x != v) {
                    for y in adjacent(x).filter(|&y| y != w && y != v) {
                        if c[v] == c[x] && c[w] == c[y] {
                            return false;
                        }
                    }
                }
            }
        }
        true
    }

    #[test]
    fn tridiagonal_takes_three_colours() {
        let n = 50;
        let edges: Vec<_> = (1..n).map(|i| (i - 1, i)).collect();
        let p = symmetric(n, &edges);
        let (colouring, plan) = symmetric_colouring(&p).unwrap();
        assert_eq!(colouring.count, 3);
        assert!(is_star(&p, &colouring.colours));
        assert_eq!(plan.len(), p.nnz());
        let t = p.transpose().unwrap();
        assert_eq!(column_colouring(&p, &t).unwrap().count, 3);
    }

    #[test]
    fn arrow_takes_two_colours() {
        let n = 30;
        let edges: Vec<_> = (1..n).map(|i| (0, i)).collect();
        let p = symmetric(n, &edges);
        let (colouring, _) = symmetric_colouring(&p).unwrap();
        assert_eq!(colouring.count, 2);
        assert!(is_star(&p, &colouring.colours));
    }

    #[test]
    fn random_patterns_are_star_coloured_and_recovered() {
        let mut state = 12345u64;
        let mut next = |m: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as usize) % m
        };
        for _ in 0..200 {
            let n = 1 + next(25);
            let edges: Vec<_> = (0..next(3 * n + 1))
                .map(|_| (next(n), next(n)))
                .filter(|(a, b)| a != b)
                .collect();
            let p = symmetric(n, &edges);
            let (colouring, plan) = symmetric_colouring(&p).unwrap();
            assert!(is_star(&p, &colouring.colours));
            assert_eq!(plan.len(), p.nnz());
            // Columns of one colour share no row.
            let t = p.transpose().unwrap();
            let columns = column_colouring(&p, &t).unwrap();
            for r in 0..n {
                let mut colours: Vec<u32> = p
                    .row(r)
                    .iter()
                    .map(|&k| columns.colours[k as usize])
                    .collect();
                colours.sort_unstable();
                let len = colours.len();
                colours.dedup();
                assert_eq!(colours.len(), len);
            }
        }
    }
}
