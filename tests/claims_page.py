"""Reading the page *Checking the text*: its introduction and one table per part."""

import re
from pathlib import Path

BOOK = Path(__file__).resolve().parents[1] / "book"
PAGE = BOOK / "checking-the-text.md"
PARTS = sorted((BOOK / "claims").glob("*.md"))


def page_text() -> str:
    """The page with its included part tables, as the reader sees it."""
    return PAGE.read_text() + "".join(p.read_text() for p in PARTS)


def rows() -> dict:
    """Claim ID -> its table row (one line)."""
    out = {}
    for line in page_text().splitlines():
        m = re.match(r"^\|\s*(C\d\d)\s*\|", line)
        if m:
            assert m.group(1) not in out, f"{m.group(1)} has two rows"
            out[m.group(1)] = line
    return out
