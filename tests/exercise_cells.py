"""Run the worked solution of a computational exercise outside its notebook.

Convention (README, "Adding a chapter"): a computational exercise's solution
is written with sphinx-exercise's gated directives, so its code cells sit
between a markdown cell holding ```` ```{solution-start} <label> ```` and one
holding ```` ```{solution-end} ````. Those code cells are self-contained (their
own imports, seeded random draws) and leave their result in a variable named
``answer``. A test then asserts it in one line, against an independent
reference::

    assert solution_answer("wasserstein", "ex-wasserstein-uniform") == pytest.approx(ref, rel=1e-6)
"""

import json
import re
from pathlib import Path

CHAPTERS = Path(__file__).resolve().parents[1] / "book" / "chapters"
_START = re.compile(r"\{solution-start\}\s+(\S+)")


def solution_cells(chapter: str, label: str) -> list[str]:
    """Sources of the code cells of the gated solution of ``label`` in ``chapter``."""
    cells = json.loads((CHAPTERS / f"{chapter}.ipynb").read_text(encoding="utf-8"))["cells"]
    out, inside, found = [], False, False
    for cell in cells:
        src = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            if inside and "{solution-end}" in src:
                inside = False
            m = _START.search(src)
            if m and m.group(1) == label:
                inside, found = True, True
        elif inside:
            out.append(src)
    if not found:
        raise LookupError(f"{chapter}: no gated solution for exercise {label!r}")
    if not out:
        raise LookupError(f"{chapter}: the solution of {label!r} has no code cell")
    return out


def solution_answer(chapter: str, label: str):
    """Execute the solution's code cells in a fresh namespace; return its ``answer``."""
    import matplotlib.pyplot as plt

    namespace: dict = {"__name__": f"solution_{label}"}
    try:
        for src in solution_cells(chapter, label):
            exec(compile(src, f"{chapter}:{label}", "exec"), namespace)  # noqa: S102
    finally:
        plt.close("all")
    if "answer" not in namespace:
        raise LookupError(f"{chapter}: the solution of {label!r} defines no `answer`")
    return namespace["answer"]
