"""dist/ (`make dist`): what an instructor copies to a USB stick for a class with no network.

Reads ``MEANFIELD_DIST`` (default ``dist/``, set by ``make test``): the site
as a zip whose index.html and chapters are there (the browser test opens the
site unzipped from this archive), the PDF, every chapter notebook, the
meanfield wheel and a README.txt.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DIST = Path(os.environ.get("MEANFIELD_DIST", ROOT / "dist"))
NAME = "kinetic-mfg-book"
CHAPTERS = sorted(p.name for p in (ROOT / "book" / "chapters").glob("*.ipynb"))

pytestmark = pytest.mark.skipif(not DIST.is_dir(), reason=f"no {DIST}: make dist")


def test_dist_holds_the_site_the_pdf_the_notebooks_the_wheel_and_a_readme(capsys):
    names = sorted(p.name for p in DIST.iterdir())
    wheels = [n for n in names if n.startswith("meanfield-") and n.endswith(".whl")]
    assert f"{NAME}-html.zip" in names and f"{NAME}.pdf" in names and f"{NAME}-notebooks.zip" in names, names
    assert len(wheels) == 1 and "README.txt" in names, names
    readme = (DIST / "README.txt").read_text()
    assert wheels[0] in readme and "index.html" in readme
    with capsys.disabled():
        total = sum(p.stat().st_size for p in DIST.iterdir())
        print(f"\ndist: {total / 1e6:.1f} MB: " + ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in sorted(DIST.iterdir())))


def test_the_site_archive_opens_on_index_html_and_offers_every_notebook():
    with zipfile.ZipFile(DIST / f"{NAME}-html.zip") as zf:
        files = set(zf.namelist())
    site = f"{NAME}-html/"
    assert {site + "index.html", site + "intro.html", site + "about.html"} <= files
    for nb in CHAPTERS:
        assert site + "chapters/" + nb.replace(".ipynb", ".html") in files
        assert site + "_sources/chapters/" + nb in files, f"{nb} is not downloadable from the site"
    assert not [f for f in files if "/.doctrees/" in f or f.endswith(".buildinfo")]


def test_the_notebooks_and_the_wheel():
    with zipfile.ZipFile(DIST / f"{NAME}-notebooks.zip") as zf:
        assert sorted(Path(f).name for f in zf.namelist()) == CHAPTERS
    wheel = next(DIST.glob("meanfield-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        files = zf.namelist()
    assert "meanfield/__init__.py" in files and "meanfield/claims/__init__.py" in files
