"""A plot of f(x) = sin(x) e^(-x/4) and its derivative, computed with Trace.

Usage: python examples/plot_derivative.py [output.png]
(without an argument the plot goes to a new temporary directory).
"""

import sys
import tempfile
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from wengert import Trace, exp, sin


def f(x: Trace) -> Trace:
    return sin(x) * exp(-x / 4.0)


def main() -> None:
    if len(sys.argv) > 1:
        output = Path(sys.argv[1])
    else:
        output = Path(tempfile.mkdtemp()) / "derivative.png"
    xs = [i / 20.0 for i in range(201)]  # 0 to 10
    traces = [f(Trace.variable(x)) for x in xs]
    figure = Figure(figsize=(7, 4))
    FigureCanvasAgg(figure)  # the Agg renderer: draws to a file, needs no display
    axes = figure.subplots()
    axes.plot(xs, [t.number for t in traces], label="f(x) = sin(x) exp(-x/4)")
    axes.plot(xs, [t.derivative for t in traces], label="f'(x), by forward mode")
    axes.axhline(0.0, color="grey", linewidth=0.5)
    axes.set_xlabel("x")
    axes.legend()
    figure.savefig(output, dpi=80)
    print(f"plot saved to {output}")


if __name__ == "__main__":
    main()
