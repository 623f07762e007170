"""The page "Checking the text": one row per claim, and its numbers are the library's."""

import re
from pathlib import Path

import numpy as np
import pytest

from meanfield import kinetic as kn
from meanfield import transport as tr

BOOK = Path(__file__).resolve().parents[1] / "book"
PAGE = BOOK / "checking-the-text.md"
IDS = [f"C{i:02d}" for i in range(1, 31)]


def rows():
    out = {}
    for line in PAGE.read_text().splitlines():
        m = re.match(r"^\|\s*(C\d\d)\s*\|", line)
        if m:
            assert m.group(1) not in out, f"{m.group(1)} has two rows"
            out[m.group(1)] = line
    return out


def test_every_claim_appears_exactly_once():
    text = PAGE.read_text()
    r = rows()
    assert sorted(r) == IDS
    for cid in IDS:
        assert len(re.findall(rf"\b{cid}\b", text)) == 1, cid


def test_rows_have_a_verdict_and_worked_rows_link_to_an_existing_chapter():
    verdicts = {"**correct**", "**wrong**", "**imprecise**", "**not checkable as stated**", "pending"}
    for cid, line in rows().items():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        assert len(cells) == 6, cid
        assert cells[3] in verdicts, (cid, cells[3])
        if cells[3] == "pending":
            assert "not yet worked out" in cells[2], cid
        else:
            link = re.search(r"\{doc\}`([^`]+)`", cells[5])
            assert link, f"{cid}: a worked-out row links to its chapter"
            target = BOOK / link.group(1)
            assert target.with_suffix(".ipynb").exists() or target.with_suffix(".md").exists(), cid


@pytest.fixture(scope="module")
def r():
    return rows()


def test_C01_numbers_are_the_librarys(r):
    v0 = np.array([1.0, 0.0, 0.0])
    est = kn.collision_operator_mc(kn.make_maxwellian(), v0, n_samples=200_000, rng=2024)
    assert f"G = {est.gain:.5f} \\pm {est.gain_se:.5f}" in r["C01"]
    assert f"4\\pi M(v_0) = {4 * np.pi * kn.maxwellian(v0):.5f}" in r["C01"]
    assert f"{kn.gain_term_quadrature(kn.make_maxwellian(), v0):.6f}" in r["C01"]


def test_C02_numbers_are_the_librarys(r):
    val = kn.maxwellian([1.0, 0.0, 0.0]) * kn.maxwellian([0.3, -1.2, 0.8])
    assert f"{val:.6g}" in r["C02"]


def test_C24_numbers_are_the_librarys(r):
    c = 0.16
    assert f"{kn.mean_free_path(c / 0.01, 0.1):.3f}" in r["C24"]
    for radius in (0.2, 0.1, 0.05):
        est = kn.mean_free_path_mc(c / radius**2, radius, n_rays=800, rng=12)
        assert f"{est.mean:.3f} \\pm {est.se:.3f}" in r["C24"]


def test_C18_C19_numbers_are_the_librarys(r):
    assert f"{tr.w2_gaussian(0, 0.25, 1.5, 4.0):.5f}" in r["C18"]
    w = tr.w2_1d(tr.uniform(0, 1), tr.gaussian(0, 1))
    assert f"{w:.5f}" in r["C19"]
    assert f"{w - 0.867:.3f}" in r["C19"]
    study = tr.sampling_error_study(
        tr.uniform(0, 1), tr.gaussian(0, 1), [100, 200, 400, 800, 1600, 3200, 6400], n_rep=40, rng=1
    )
    assert f"n^{{{study.slope:.2f}}}" in r["C19"]
