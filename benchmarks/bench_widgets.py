"""Time every interactive panel of the book: frame building (static) and live updates.

Usage: .venv/bin/python benchmarks/bench_widgets.py [book/chapters/x.ipynb ...]

Each notebook's code cells are executed as they are in the book, with
``meanfield.widgets.grid_panel`` wrapped: every grid panel is built in static
mode (all frames of its grid drawn and encoded, timed: target a few seconds
per panel) and in live mode, whose sliders are then moved through their grid
values (the time of one update: draw + PNG, target < 100 ms). Panels still
declared with the older ``panel(draw, controls)`` get their live update timed
as before. Timing is a benchmark, not a test: numbers depend on the machine.
"""

import contextlib
import io
import os
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import IPython.display  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402

from meanfield import widgets  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REAL_GRID_PANEL = widgets.grid_panel


def timed_grid_panel(results):
    """A stand-in for grid_panel that times the static build and the live updates of each panel."""

    def grid_panel(draw, controls, **kwargs):
        kwargs.pop("mode", None)
        t0 = time.perf_counter()
        static = REAL_GRID_PANEL(draw, controls, mode="static", **kwargs)
        build = time.perf_counter() - t0
        stored = sum(len(v) for v in static.frames.values()) * 4 / 3  # base64 in the widget state
        live = REAL_GRID_PANEL(draw, controls, mode="live", **kwargs)
        times = []
        for slider, control in zip(live.sliders, live.controls):
            start = slider.value
            for value in control.values:
                if value == slider.value:
                    continue
                t0 = time.perf_counter()
                slider.value = value  # the observer redraws synchronously
                times.append(time.perf_counter() - t0)
            slider.value = start
        results.append({
            "name": getattr(draw, "__name__", "draw"), "frames": len(static.frames), "build_s": build,
            "stored_mb": stored / 1e6, "live_med_ms": 1000 * np.median(times), "live_max_ms": 1000 * np.max(times),
            "updates": len(times),
        })
        return static

    return grid_panel


def bench_notebook(path):
    """Execute a notebook's code cells with grid_panel timed; return one result per panel."""
    nb = nbformat.read(path, as_version=4)
    results = []
    widgets.grid_panel = timed_grid_panel(results)  # the notebook's `from meanfield.widgets import` gets it
    IPython.display.display = lambda *a, **k: None  # the panel displays into nothing here
    ns = {}
    cwd = os.getcwd()
    os.chdir(path.parent)  # as tools/run_notebooks.py runs it
    try:
        for cell in nb.cells:
            if cell.cell_type == "code":
                with contextlib.redirect_stdout(io.StringIO()):  # the cells' own printing
                    exec(compile(cell.source, f"{path.name} (cell)", "exec"), ns)
    finally:
        os.chdir(cwd)
        widgets.grid_panel = REAL_GRID_PANEL
        matplotlib.pyplot.close("all")
    return results


if __name__ == "__main__":
    paths = [Path(p).resolve() for p in sys.argv[1:]] or sorted((ROOT / "book").rglob("*.ipynb"))
    paths = [p for p in paths if "_build" not in p.parts]
    for path in paths:
        for r in bench_notebook(path):
            flag = "ok" if r["build_s"] < 5 and r["live_max_ms"] < 100 else "SLOW"
            print(f"{path.name:28s} grid_panel({r['name']}): {r['frames']:2d} frames built in {r['build_s']:5.2f} s "
                  f"({1000 * r['build_s'] / r['frames']:5.1f} ms/frame, {r['stored_mb']:.2f} MB stored); "
                  f"live update median {r['live_med_ms']:5.1f} ms, max {r['live_max_ms']:5.1f} ms "
                  f"({r['updates']} updates)  {flag}")
