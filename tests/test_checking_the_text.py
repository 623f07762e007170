"""The page "Checking the text": one row per claim, one include per part, verdict counts.

The numbers of each part's rows are tested in ``tests/test_claims_<part>.py``.
"""

import re

from claims_page import BOOK, PAGE, PARTS, page_text, rows

IDS = [f"C{i:02d}" for i in range(1, 53)]


def test_every_part_is_included_once():
    text = PAGE.read_text()
    assert PARTS
    for part in PARTS:
        assert text.count(f"```{{include}} claims/{part.name}") == 1, part.name


def test_every_claim_appears_exactly_once():
    text = page_text()
    r = rows()
    assert sorted(r) == IDS
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
    assert f"Of the {len(rows())} rows," in text
    for verdict in ("correct", "wrong", "imprecise"):
        assert f"{counts[f'**{verdict}**']} are **{verdict}**" in text, verdict
    n = counts["**not checkable as stated**"]
    assert f"{n} is **not checkable as stated**" in text if n == 1 else f"{n} are **not checkable as stated**" in text


def _claim_functions():
    """Claim ID -> the functions of ``meanfield.claims`` whose docstring starts with it."""
    import importlib
    import inspect
    import pkgutil

    import meanfield.claims as claims

    out = {}
    for info in pkgutil.iter_modules(claims.__path__):
        module = importlib.import_module(f"meanfield.claims.{info.name}")
        for name, obj in vars(module).items():
            if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_"):
                m = re.match(r"\s*(C\d\d)\b", obj.__doc__ or "")
                assert m, f"meanfield.claims.{info.name}.{name}: the docstring starts with its claim ID"
                out.setdefault(m.group(1), []).append(f"{info.name}.{name}")
    return out


def test_every_row_has_its_function_in_the_claims_package_and_a_test():
    functions = _claim_functions()
    tests = "".join(p.read_text() for p in (BOOK.parent / "tests").glob("test_claims_*.py"))
    for cid in rows():
        assert cid in functions, f"{cid}: no function in meanfield.claims starts its docstring with {cid}"
        for qualname in functions[cid]:
            assert qualname.split(".")[1] in tests, f"{cid}: {qualname} is not called in tests/test_claims_*.py"
    assert set(functions) <= set(rows()), "a claims function names a claim that has no row"
