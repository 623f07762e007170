"""Re-execute notebooks in place, storing outputs and widget state.

Usage: python tools/run_notebooks.py book/chapter.ipynb [...]

Each notebook runs in its own folder with a fresh kernel; the widget state is
saved in the notebook metadata so that the HTML book can render the widgets
without a kernel. The kernel runs with MEANFIELD_PANELS=static, so every
``meanfield.widgets.grid_panel`` stores all the frames of its grid and works
in the static page (live panels are for a Jupyter session).
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from execution_record import record


def run(path: Path) -> float:
    os.environ["MEANFIELD_PANELS"] = "static"  # inherited by the kernel: panels precompute their grid
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    nbformat.write(nb, path)
    # some errors (e.g. while rendering a figure) are stored without stopping execution
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    if errors:
        raise RuntimeError(f"{path}: {len(errors)} error output(s), first: {errors[0].ename}: {errors[0].evalue[:200]}")
    return elapsed


def main(paths):
    if not paths:
        print("no notebooks given", file=sys.stderr)
        return 2
    times = {}
    for p in map(Path, paths):
        elapsed = run(p)
        size = p.stat().st_size / 1e6
        print(f"{p}: executed in {elapsed:.1f} s, {size:.2f} MB")
        times[p] = elapsed
    record(times)  # versions and times for the page "About this book" (book/_data/)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
