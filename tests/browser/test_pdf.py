"""The PDF book (`make pdf`): the LaTeX run, the chapters, no raw TeX in the text.

Reads the LaTeX build folder (``MEANFIELD_BOOK_LATEX``, default
``book/_build/latex``, set by ``make test``): the xelatex log must hold no
error and no missing glyph, ``pdftotext`` must find every chapter title of
``_toc.yml``, no TeX (``$``, ``\\frac``, ``\\sqrt``, ...) may appear in the
text outside code listings, and no interactive output may be left without
its stored frame. The page count is printed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOOK = ROOT / "book"
LATEX = Path(os.environ.get("MEANFIELD_BOOK_LATEX", BOOK / "_build" / "latex"))
NAME = "kinetic-mfg-book"
PDF = LATEX / f"{NAME}.pdf"
LOG = LATEX / f"{NAME}.log"
RAW_TEX = re.compile(r"\$|\\[()\[\]]|\\[A-Za-z]+")
INTERACTIVE_NOTE = "Interactive output: open this chapter"  # book/_ext/offline_book.py

pytestmark = pytest.mark.skipif(not PDF.exists(), reason=f"no PDF at {PDF}: make pdf")


def _norm(text: str) -> str:
    """NFKC (ligatures), typographic quotes and dashes as ASCII, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).replace("---", "-").replace("--", "-")
    for a, b in {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}.items():
        text = text.replace(a, b)
    return " ".join(text.split())


@lru_cache(maxsize=None)
def pdf_text() -> str:
    # -layout: physical lines, so a code line wrapped after "-" is not "de-hyphenated"
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(PDF), "-"], capture_output=True, text=True, check=True).stdout


def toc_documents() -> list[Path]:
    toc = (BOOK / "_toc.yml").read_text()
    files = re.findall(r"^\s*(?:-\s*)?(?:file|root):\s*(\S+)", toc, flags=re.M)
    docs = []
    for f in files:
        for ext in (".ipynb", ".md"):
            if (BOOK / f).with_suffix(ext).exists():
                docs.append((BOOK / f).with_suffix(ext))
    return docs


def markdown_of(path: Path) -> str:
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text())
        return "\n\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    return path.read_text()


def title_of(path: Path) -> str:
    match = re.search(r"^# (.+)$", markdown_of(path), flags=re.M)
    assert match, f"{path.name} has no title"
    return match.group(1).strip()


def test_the_latex_run_has_no_errors(capsys):
    log = LOG.read_text(errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("! ")]
    assert not errors, f"{LOG}: LaTeX errors: {errors[:5]}"
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?) in font", log)))
    assert not missing, f"{LOG}: glyphs missing from the fonts (shown as nothing): {missing[:10]}"
    pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(PDF)], capture_output=True, text=True).stdout, re.M).group(1))
    with capsys.disabled():
        print(f"\n{PDF}: {pages} pages, {PDF.stat().st_size / 1e6:.1f} MB")
    assert pages > 20


@pytest.mark.parametrize("path", toc_documents(), ids=lambda p: p.name)
def test_every_chapter_title_is_in_the_pdf(path):
    title = title_of(path)
    text = _norm(pdf_text())
    # a title with math: each piece of text between formulas must be there
    pieces = [p.strip(" :,.-") for p in re.split(r"\$[^$]+\$", title)]
    for piece in filter(None, map(_norm, pieces)):
        assert piece in text, f"{path.name}: title piece {piece!r} not found in the PDF text"


def _code_corpus() -> str:
    """Everything that is code in the book (cell sources, printed outputs, code in the Markdown), squeezed."""
    parts = []
    for path in toc_documents():
        md = markdown_of(path)
        parts += re.findall(r"```.*?```", md, flags=re.S)
        parts += re.findall(r"`[^`\n]+`", md)
        if path.suffix == ".ipynb":
            for cell in json.loads(path.read_text())["cells"]:
                if cell["cell_type"] != "code":
                    continue
                parts.append("".join(cell["source"]))
                for out in cell.get("outputs", []):
                    parts.append("".join(out.get("text", "")))
                    parts.append("".join(out.get("data", {}).get("text/plain", "")))
    return _squeeze("\n".join(parts))


def _squeeze(text: str) -> str:
    # verbatim wrapping in the PDF: continuation marks, visible spaces, line breaks
    return re.sub(r"[\s\u21aa\u2423]+", "", unicodedata.normalize("NFKC", text))


def raw_tex_lines(text: str, code: str) -> list[str]:
    """Lines of ``text`` with TeX in them that are not a piece of the book's code."""
    return [line.strip() for line in text.splitlines() if RAW_TEX.search(line) and _squeeze(line) not in code]


def test_the_raw_tex_check_can_fail():
    code = _squeeze('ax.set(xlabel="$v_1$")\nprint("a\\nb")')
    text = 'ax.set(xlabel="$v_1$")\n↪print("a\\nb")\nthe drift $dR_{ij} = d\\kappa\\big(1\nfine prose'
    assert raw_tex_lines(text, code) == ["the drift $dR_{ij} = d\\kappa\\big(1"]


def test_no_raw_tex_in_the_pdf_text():
    bad = raw_tex_lines(pdf_text(), _code_corpus())
    assert not bad, f"TeX printed as text in the PDF ({len(bad)} lines): {bad[:8]}"


def test_interactive_outputs_show_their_stored_frame():
    notes = pdf_text().count(INTERACTIVE_NOTE)
    assert notes == 0, f"{notes} panel(s)/animation(s) have no stored image/png frame: the PDF shows a note instead"
