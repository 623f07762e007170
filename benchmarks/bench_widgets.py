"""Time the update of every interactive panel of the book (target: < 100 ms).

Usage: .venv/bin/python benchmarks/bench_widgets.py [book/chapters/x.ipynb ...]

For each notebook, the code cells up to the one that builds a panel
(``panel(draw, controls, ...)``) are executed as they are in the book, then
``draw`` is called with each control moved through its range: the timing is
that of the real update (library calls + the PNG the panel displays). Timing
is a benchmark, not a test: numbers depend on the machine.
"""

import re
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import IPython.display  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PANEL_CALL = re.compile(r"^panel\((\w+),\s*(\w+)", re.M)


def control_values(ctrl, k=4):
    """A few values of a control across its range (options for dropdowns)."""
    if hasattr(ctrl, "options"):
        return list(ctrl.options)[:k] if not isinstance(ctrl.options, dict) else list(ctrl.options.values())[:k]
    values = np.linspace(ctrl.min, ctrl.max, k)
    return [int(round(v)) for v in values] if isinstance(ctrl.value, int) else list(values)


def bench_notebook(path):
    nb = nbformat.read(path, as_version=4)
    ns = {"_panel_stub": lambda *a, **k: None}
    IPython.display.display = lambda *a, **k: None  # the panel displays into nothing here
    results = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        src = cell.source
        match = PANEL_CALL.search(src)
        code = src[: match.start()] + "_panel_stub(" + src[match.start() + len("panel(") :] if match else src
        exec(compile(code, f"{path.name} (cell)", "exec"), ns)
        if not match:
            continue
        draw, controls = ns[match.group(1)], ns[match.group(2)]
        base = {name: c.value for name, c in controls.items()}
        draw(**base)  # warm-up
        times = []
        for name, ctrl in controls.items():
            for value in control_values(ctrl):
                kwargs = dict(base, **{name: value})
                t0 = time.perf_counter()
                draw(**kwargs)
                times.append(time.perf_counter() - t0)
        results.append((match.group(1), 1000 * np.median(times), 1000 * np.max(times), len(times)))
    return results


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or sorted((ROOT / "book").rglob("*.ipynb"))
    paths = [p for p in paths if "_build" not in p.parts]
    for path in paths:
        for name, med, worst, n in bench_notebook(path):
            flag = "ok" if worst < 100 else "SLOW"
            print(f"{path.name:28s} {name:24s} median {med:6.1f} ms  max {worst:6.1f} ms  ({n} updates)  {flag}")
