//! A standalone harness for the replay engine, outside the Python extension: the time of
//! a recording's forward pass, `value_and_gradient`, and a batch's gradients a row at a
//! time and in lanes, per call and per entry.
//!
//! ```text
//! python benchmarks/lanes.py --save w2.wengert --n 1000   # W2 recorded
//! cargo bench --bench replay -- w2.wengert [rows]
//! cargo bench --bench replay -- w2.wengert values CALLS   # only CALLS forward passes (for profilers)
//! ```
//!
//! Built with the `bench` profile (the release one: fat LTO, one codegen unit), not part
//! of the wheel. It answers whether a replay costs the same here as through the extension.

use std::time::Instant;

use wengert::replay::{format, NoCustoms, Scratch};

/// The shortest time of `repeats` runs of `f`, in seconds.
fn best(repeats: usize, mut f: impl FnMut()) -> f64 {
    f();
    (0..repeats)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(path) = args.first() else {
        eprintln!("usage: cargo bench --bench replay -- RECORDING [ROWS]");
        std::process::exit(2);
    };
    let data = std::fs::read(path).expect("the recording's file");
    let (program, _) = format::decode(&data).expect("a recording");
    let (n, len) = (program.inputs(), program.len());
    let mut scratch = Scratch::default();
    if args.get(1).map(String::as_str) == Some("values") {
        // Only forward passes, at the point the Python side's profile uses.
        let calls: usize = args
            .get(2)
            .map_or(1000, |c| c.parse().expect("a number of calls"));
        let x: Vec<f64> = (0..n)
            .map(|k| ((k * 7919) % 3001) as f64 / 1000.0 - 1.5)
            .collect();
        let mut times = Vec::with_capacity(calls);
        for _ in 0..calls {
            let start = Instant::now();
            std::hint::black_box(program.values(&x, &mut scratch, &mut NoCustoms).unwrap());
            times.push(start.elapsed().as_secs_f64());
        }
        times.sort_by(f64::total_cmp);
        if let (Some(min), Some(median)) = (times.first(), times.get(calls / 2)) {
            println!(
                "values(x), one pass: shortest {:.2} µs, median {:.2} µs",
                min * 1e6,
                median * 1e6
            );
        }
        return;
    }
    let rows: usize = args
        .get(1)
        .map_or(10_000, |r| r.parse().expect("a number of rows"));
    let points: Vec<f64> = (0..rows * n)
        .map(|k| ((k * 7919) % 3001) as f64 / 1000.0 - 1.5)
        .collect();
    let x = &points[..n];
    let mut gradient = vec![0.0; n];
    // About 20 million entries a timed run.
    let calls = (20_000_000 / len.max(1)).clamp(1, 2000);
    let per_call = |seconds: f64, count: usize| seconds / count as f64;
    let report = |what: &str, seconds: f64| {
        println!(
            "{what:<40} {:>10.2} µs {:>8.2} ns/entry",
            seconds * 1e6,
            seconds * 1e9 / len as f64
        );
    };
    println!("{path}: {len} entries, {n} inputs");
    let values = best(5, || {
        for _ in 0..calls {
            std::hint::black_box(program.values(x, &mut scratch, &mut NoCustoms).unwrap());
        }
    });
    report("values(x) (forward pass)", per_call(values, calls));
    let vg = best(5, || {
        for _ in 0..calls {
            let v = program
                .value_and_gradient(x, 0, &mut gradient, &mut scratch, &mut NoCustoms)
                .unwrap();
            std::hint::black_box(v);
        }
    });
    report("value_and_gradient(x)", per_call(vg, calls));
    let mut out = vec![0.0; rows];
    let mut grads = vec![0.0; rows * n];
    let single = best(3, || {
        for r in 0..rows {
            let g = &mut grads[r * n..(r + 1) * n];
            let x = &points[r * n..(r + 1) * n];
            out[r] = program
                .value_and_gradient(x, 0, g, &mut scratch, &mut NoCustoms)
                .unwrap();
        }
    });
    report(
        &format!("{rows} rows, a row at a time (per row)"),
        per_call(single, rows),
    );
    let mut row = 0;
    let lanes = best(3, || {
        program
            .rows(
                &points,
                rows,
                true,
                &mut out,
                &mut grads,
                &mut scratch,
                &mut NoCustoms,
                &mut row,
            )
            .unwrap();
    });
    report(
        &format!(
            "{rows} rows in lanes of {} (per row)",
            wengert::replay::ROWS
        ),
        per_call(lanes, rows),
    );
    println!(
        "lanes: {:.2}x the rows per second of a row at a time",
        single / lanes
    );
}
