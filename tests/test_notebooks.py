"""Hygiene of the stored notebooks: what nbval and the static book rely on."""

import json
import re
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
NOTEBOOKS = sorted(p for p in BOOK.rglob("*.ipynb") if "_build" not in p.parts and ".ipynb_checkpoints" not in p.parts)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_there_are_notebooks():
    assert NOTEBOOKS


def test_every_notebook_is_in_the_toc_and_back():
    toc = (BOOK / "_toc.yml").read_text()
    files = set(re.findall(r"^\s*-\s*file:\s*(\S+)", toc, flags=re.M))
    for nb in NOTEBOOKS:
        assert nb.relative_to(BOOK).with_suffix("").as_posix() in files, f"{nb.name} is not in _toc.yml"
    for f in files:
        assert (BOOK / f).with_suffix(".ipynb").exists() or (BOOK / f).with_suffix(".md").exists(), f


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_light_executed_and_clean(path):
    assert path.stat().st_size < 3_000_000, f"{path.name} is over 3 MB"
    nb = load(path)
    counts = [c["execution_count"] for c in code_cells(nb)]
    assert None not in counts, "every code cell has a stored output (run `make notebooks`)"
    assert counts == list(range(1, len(counts) + 1)), "cells were executed top to bottom in one kernel"
    for cell in code_cells(nb):
        tags = cell.get("metadata", {}).get("tags", [])
        for out in cell["outputs"]:
            assert out["output_type"] != "error", f"error output: {out.get('ename')}"
            data = out.get("data", {})
            assert "image/svg+xml" not in data, "figures are PNG"
            if out["output_type"] == "stream":
                assert out["name"] == "stdout", f"stderr output (a warning?): {''.join(out['text'])[:200]}"
            html = "".join(data.get("text/html", ""))
            if WIDGET_VIEW in data or "_anim_img" in html:
                assert "nbval-ignore-output" in tags, "widget / animation cells are tagged nbval-ignore-output"
            if "_anim_img" in html:
                assert html.count("frames[") <= 41, "animations have at most 40 frames"
                assert "maxcdn" not in html and "<i class=\"fa" not in html, "animations use offline_jshtml"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_widget_state_is_stored(path):
    nb = load(path)
    views = [
        json.loads(json.dumps(o["data"][WIDGET_VIEW]))["model_id"]
        for c in code_cells(nb)
        for o in c["outputs"]
        if WIDGET_VIEW in o.get("data", {})
    ]
    if not views:
        pytest.skip("no widgets in this notebook")
    state = nb["metadata"].get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for model_id in views:
        assert model_id in state, "widget state saved at execution (make notebooks)"


DECIMAL = re.compile(r"(?<![\w.^{_\\])-?\d+\.\d+(?!\.\d)")


def _printed_numbers(nb):
    """(value, decimals) of the decimal numbers in a notebook's stored text outputs and its code (parameters)."""
    text = ""
    for cell in code_cells(nb):
        text += "".join(cell["source"]) + "\n"
        for out in cell["outputs"]:
            if out["output_type"] == "stream":
                text += "".join(out["text"])
    found = [(float(x), len(x.split(".")[1])) for x in DECIMAL.findall(text)]
    return found + [(-v, k) for v, k in found]


def _is_printed(token, printed):
    """``token`` (a decimal from the prose) is a printed value, rounded to no more digits than were printed."""
    k, x = len(token.split(".")[1]), float(token)
    return any(kv >= k and abs(v - x) <= 0.5001 * 10**-k for v, kv in printed)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_numbers_in_the_checking_section_are_printed_by_the_notebook(path):
    """Every decimal the chapter's "Checking the text" prose quotes is a printed result, to the quoted digits.

    The prose is typed; this ties it to the stored outputs that nbval re-computes.
    """
    nb = load(path)
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    if "## Checking the text" not in md:
        pytest.skip("no Checking the text section")
    section = md[md.index("## Checking the text"):].split("## Exercises")[0]
    printed = _printed_numbers(nb)
    for token in set(DECIMAL.findall(section)):
        assert _is_printed(token, printed), f"{token} is not a printed result"


def test_the_printed_number_check_can_fail():
    printed = [(0.44, 2), (0.4664, 4), (-1.46455, 5)]
    assert _is_printed("0.47", printed) and _is_printed("-1.4645", printed) and _is_printed("0.44", printed)
    assert not _is_printed("0.439", printed)  # more digits than printed
    assert not _is_printed("0.466", [(0.4675, 4)])  # rounds to 0.467 or 0.468, not 0.466
