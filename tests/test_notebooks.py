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


# --- The teaching floor of ../shared/TEACHING.md, chapter by chapter -------------------------
# Every chapter meets the floor below; the counts of every chapter are printed.
TEACHING_CHAPTERS: list[str] = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "book" / "chapters").glob("*.ipynb"))

FLOOR = {"figures": 6, "exercises": 4, "computational": 2, "proofs": 1, "key ideas": 1}
TESTS = Path(__file__).resolve().parent
_DIRECTIVE = re.compile(r"^(?::{3,}|`{3,})\{([\w:-]+)\}[ \t]*(.*)$", re.M)
_LABEL = re.compile(r"^:label:\s*(\S+)", re.M)


def _markdown(nb):
    return [("".join(c["source"])) for c in nb["cells"] if c["cell_type"] == "markdown"]


def _is_figure(out):
    """A static figure: a PNG output that is not the stored frame of a widget or an animation."""
    data = out.get("data", {})
    return "image/png" in data and WIDGET_VIEW not in data and "text/html" not in data


def figure_cells(nb):
    return [c for c in code_cells(nb) if any(_is_figure(o) for o in c["outputs"])]


def teaching_counts(nb):
    """Counts of the chapter's teaching elements, and the labels behind them."""
    exercises, solved, gated = [], set(), []
    proofs = key_ideas = 0
    for src in _markdown(nb):
        for match in _DIRECTIVE.finditer(src):
            name, arg = match.group(1), match.group(2).strip()
            if name == "exercise":
                label = _LABEL.search(src[match.end():])
                exercises.append(label.group(1) if label else None)
            elif name == "solution":
                solved.add(arg.split()[0] if arg else None)
            elif name == "solution-start":
                solved.add(arg.split()[0] if arg else None)
                gated.append(arg.split()[0] if arg else None)
            elif name == "prf:proof":
                proofs += 1
            elif name == "admonition" and arg.lower().startswith("key ideas"):
                key_ideas += 1
    return {
        "figures": len(figure_cells(nb)),
        "exercises": len(exercises),
        "solutions": sum(1 for e in exercises if e in solved),
        "computational": len(gated),
        "proofs": proofs,
        "key ideas": key_ideas,
        "_exercises": exercises,
        "_gated": gated,
    }


def _chapter_path(name):
    return BOOK / "chapters" / f"{name}.ipynb"


def test_print_the_teaching_counts_of_every_chapter(capsys):
    rows = []
    for path in NOTEBOOKS:
        c = teaching_counts(load(path))
        rows.append(f"{path.stem:28s} " + "  ".join(f"{k} {c[k]:2d}" for k in ("figures", "exercises", "solutions", "computational", "proofs", "key ideas")))
    with capsys.disabled():
        print("\nteaching counts (floor: figures 6, exercises 4 all solved, computational 2, proofs 1, key ideas 1);"
              f" enforced for {TEACHING_CHAPTERS or 'no chapter yet'}")
        print("\n".join(rows))


def test_teaching_chapters_exist():
    for name in TEACHING_CHAPTERS:
        assert _chapter_path(name).exists(), f"TEACHING_CHAPTERS: no notebook {name}.ipynb"


@pytest.mark.parametrize("name", TEACHING_CHAPTERS)
def test_chapter_meets_the_teaching_floor(name):
    c = teaching_counts(load(_chapter_path(name)))
    low = {k: c[k] for k, floor in FLOOR.items() if c[k] < floor}
    assert not low, f"{name}: below the floor {FLOOR}: {low}"
    assert None not in c["_exercises"], f"{name}: an exercise has no :label:"
    assert c["solutions"] == c["exercises"], f"{name}: {c['exercises'] - c['solutions']} exercise(s) without a worked solution"


@pytest.mark.parametrize("name", TEACHING_CHAPTERS)
def test_computational_exercises_are_asserted_in_the_tests(name):
    c = teaching_counts(load(_chapter_path(name)))
    tests = "\n".join(p.read_text() for p in sorted(TESTS.glob("test_*.py")))
    for label in c["_gated"]:
        call = re.compile(r"solution_answer\(\s*['\"]%s['\"]\s*,\s*['\"]%s['\"]\s*\)" % (re.escape(name), re.escape(str(label))))
        assert call.search(tests), f'{name}: no test asserts solution_answer("{name}", "{label}")'


@pytest.mark.parametrize("name", TEACHING_CHAPTERS)
def test_every_figure_has_a_caption_and_alt_text(name):
    for cell in figure_cells(load(_chapter_path(name))):
        meta = cell.get("metadata", {}).get("mystnb", {})
        first_line = "".join(cell["source"]).strip().splitlines()[0][:60]
        caption = meta.get("figure", {}).get("caption", "")
        alt = meta.get("image", {}).get("alt", "")
        assert caption.strip(), f"{name}: figure without a caption (mystnb.figure.caption), cell {first_line!r}"
        assert len(alt.split()) >= 3, f"{name}: figure without alt text saying what it shows (mystnb.image.alt), cell {first_line!r}"


def test_the_teaching_counts_can_fail():
    nb = {"cells": [
        {"cell_type": "markdown", "source": [":::{exercise}\n:label: ex-a\n\nS.\n:::\n\n:::{solution} ex-a\nW.\n:::\n"]},
        {"cell_type": "markdown", "source": [":::{exercise}\n:label: ex-b\nS.\n:::\n\n```{solution-start} ex-b\n:class: dropdown\n```\n"]},
        {"cell_type": "code", "source": ["answer = 1"], "execution_count": 1, "metadata": {},
         "outputs": [{"output_type": "display_data", "data": {"image/png": "x", "text/plain": "<Figure>"}}]},
        {"cell_type": "code", "source": ["panel"], "execution_count": 2, "metadata": {},
         "outputs": [{"output_type": "display_data", "data": {"image/png": "x", WIDGET_VIEW: {}, "text/plain": "VBox"}}]},
        {"cell_type": "markdown", "source": ["```{solution-end}\n```\n\n:::{exercise}\n:label: ex-c\nS.\n:::\n"]},
        {"cell_type": "markdown", "source": [":::{prf:proof}\nP.\n:::\n\n:::{admonition} Key ideas\n:class: tip\n- a\n:::\n"]},
    ]}
    c = teaching_counts(nb)
    assert (c["figures"], c["exercises"], c["solutions"], c["computational"], c["proofs"], c["key ideas"]) == (1, 3, 2, 1, 1, 1)
    assert c["_gated"] == ["ex-b"]


_AFTER_SOLUTION = re.compile(r"\{solution-end\}\s*\n```\s*(.*)", re.S)


def _leaks_after_solution_end(nb) -> list[str]:
    """Text a reader sees right after a collapsed computational solution that belongs inside it."""
    leaks = []
    for cell in nb["cells"]:
        m = _AFTER_SOLUTION.search("".join(cell["source"])) if cell["cell_type"] == "markdown" else None
        if m and m.group(1).strip() and not re.match(r"(:{3,}|`{3,})\{(exercise|admonition)|#", m.group(1).lstrip()):
            leaks.append(m.group(1).strip()[:80])
    return leaks


@pytest.mark.parametrize("name", TEACHING_CHAPTERS)
def test_no_solution_text_outside_its_collapsed_solution(name):
    leaks = _leaks_after_solution_end(load(_chapter_path(name)))
    assert not leaks, f"{name}: text after a solution-end (put it before, inside the solution): {leaks}"


def test_the_solution_leak_check_can_fail():
    cell = {"cell_type": "markdown", "source": ["```{solution-end}\n```\n\nThe answer is 42.\n"]}
    assert _leaks_after_solution_end({"cells": [cell]}) == ["The answer is 42."]
    cell["source"] = ["The answer is 42.\n\n```{solution-end}\n```\n\n:::{exercise}\n:label: ex-x\n:::\n"]
    assert _leaks_after_solution_end({"cells": [cell]}) == []
