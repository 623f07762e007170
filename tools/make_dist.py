"""Write dist/: the book to take to a class with no network.

Usage: python tools/make_dist.py --html book/_build/html --pdf book/_build/latex/kinetic-mfg-book.pdf --out dist

dist/ then holds
  kinetic-mfg-book-html.zip       the HTML site (folder kinetic-mfg-book-html/, open index.html)
  kinetic-mfg-book.pdf            the whole book as one PDF
  kinetic-mfg-book-notebooks.zip  the chapters as notebooks with their stored outputs
  meanfield-<version>-py3-none-any.whl   the library, for `pip install` without the repository
  README.txt                      what is what, and how to run the notebooks

The zip files are deterministic (sorted entries, fixed timestamps), so the
same book gives the same archives.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "kinetic-mfg-book"
EPOCH = (2026, 1, 1, 0, 0, 0)
SKIP = {".buildinfo", ".doctrees"}

README = """\
Kinetic theory, mean-field limits and mean-field games -- a verified companion
==============================================================================

{name}-html.zip
    The book as a website that needs no network and no Python. Unzip it
    anywhere (a USB stick, a laptop, a shared folder) and open
    {name}-html/index.html in a web browser. Mathematics, figures and the
    stored frames of every interactive panel are inside the folder.

{name}.pdf
    The whole book as one PDF ({pages} pages). Interactive panels and
    animations appear as their stored frame.

{name}-notebooks.zip
    Every chapter as a Jupyter notebook, with its stored outputs. Every page
    of the HTML book also offers its notebook (the download button, top
    right).

{wheel}
    meanfield, the Python library behind every number of the book.

Run the notebooks (Python >= 3.10): unzip {name}-notebooks.zip, then

    python3 -m venv meanfield-env
    meanfield-env/bin/pip install {wheel} jupyterlab ipywidgets
    meanfield-env/bin/jupyter lab {name}-notebooks/

(on Windows: meanfield-env\\Scripts\\pip and meanfield-env\\Scripts\\jupyter).
pip fetches numpy, scipy, matplotlib and POT from the network; for a class
with no network, fetch them once beforehand into a folder with
`pip download {wheel} jupyterlab ipywidgets -d wheels` and install with
`pip install --no-index --find-links wheels {wheel} jupyterlab ipywidgets`.

The exact versions the stored outputs were computed with are on the page
"About this book" (about.html).
"""


def _zip_tree(src: Path, archive: Path, prefix: str) -> int:
    files = sorted(p for p in src.rglob("*") if p.is_file() and not (set(p.relative_to(src).parts) & SKIP))
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for p in files:
            info = zipfile.ZipInfo(f"{prefix}/{p.relative_to(src).as_posix()}", date_time=EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, p.read_bytes())
    return len(files)


def _notebooks() -> list[Path]:
    book = ROOT / "book"
    return sorted(
        p for p in book.rglob("*.ipynb") if not ({"_build", ".ipynb_checkpoints"} & set(p.relative_to(book).parts))
    )


def _pages(pdf: Path) -> str:
    try:
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return next((line.split()[1] for line in out.splitlines() if line.startswith("Pages:")), "?")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--html", type=Path, required=True)
    ap.add_argument("--pdf", type=Path, required=True)
    ap.add_argument("--out", type=Path, default=ROOT / "dist")
    args = ap.parse_args(argv)
    if not (args.html / "index.html").exists():
        ap.error(f"{args.html} holds no built site (make book)")
    if not args.pdf.exists():
        ap.error(f"{args.pdf} is missing (make pdf)")

    out = args.out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    n_site = _zip_tree(args.html, out / f"{NAME}-html.zip", f"{NAME}-html")
    shutil.copyfile(args.pdf, out / f"{NAME}.pdf")

    with zipfile.ZipFile(out / f"{NAME}-notebooks.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for nb in _notebooks():
            info = zipfile.ZipInfo(f"{NAME}-notebooks/{nb.name}", date_time=EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, nb.read_bytes())

    # the library as a wheel (no dependencies bundled: see README.txt), built
    # from a copy so that lib/ gets no build/ folder
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "lib"
        shutil.copytree(ROOT / "lib", src, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
             "-w", str(out.resolve()), str(src)],
            check=True,
        )
    wheels = sorted(out.glob("meanfield-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one meanfield wheel in {out}, found {wheels}")

    (out / "README.txt").write_text(README.format(name=NAME, wheel=wheels[0].name, pages=_pages(args.pdf)))
    for p in sorted(out.iterdir()):
        print(f"{p}: {p.stat().st_size / 1e6:.1f} MB")
    print(f"{n_site} files in the site, {len(_notebooks())} notebooks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
