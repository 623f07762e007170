"""The page "Checking the text": one row per claim, one include per part, verdict counts.

The numbers of each part's rows are tested in ``tests/test_claims_<part>.py``.
"""

import re

from claims_page import BOOK, PAGE, PARTS, page_text, rows

IDS = [f"C{i:02d}" for i in range(1, 31)]  # the claims of the first pass
RESERVED = [f"C{i:02d}" for i in range(31, 53)]  # the audit of every statement, by part


def test_every_part_is_included_once():
    text = PAGE.read_text()
    assert PARTS
    for part in PARTS:
        assert text.count(f"```{{include}} claims/{part.name}") == 1, part.name


def test_every_claim_appears_exactly_once():
    text = page_text()
    r = rows()
    assert set(IDS) <= set(r) <= set(IDS + RESERVED)
    for cid in r:
        assert len(re.findall(rf"\b{cid}\b", text)) == 1, cid


def test_every_row_has_a_verdict_and_links_to_an_existing_chapter():
    verdicts = {"**correct**", "**wrong**", "**imprecise**", "**not checkable as stated**"}
    for cid, line in rows().items():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 6, cid
        assert cells[3] in verdicts, (cid, cells[3])
        link = re.search(r"\{doc\}`([^`]+)`", cells[5])
        assert link, f"{cid}: every row links to the chapter where the work is shown"
        target = BOOK / link.group(1)
        assert target.with_suffix(".ipynb").exists() or target.with_suffix(".md").exists(), cid


def test_the_verdict_counts_in_the_introduction_match_the_rows():
    from collections import Counter

    counts = Counter([c.strip() for c in line.strip().strip("|").split("|")][3] for line in rows().values())
    text = page_text()
    for verdict in ("correct", "wrong", "imprecise"):
        assert f"{counts[f'**{verdict}**']} are **{verdict}**" in text, verdict
