"""Claims of *Checking the text*, Optimal transport and the JKO scheme (C11-C20, C25): the rows' numbers are the library's."""

import numpy as np
import pytest

from meanfield import jko
from meanfield import transport as tr

from claims_page import rows


@pytest.fixture(scope="module")
def r():
    return rows()


def test_C18_C19_numbers_are_the_librarys(r):
    assert f"{tr.w2_gaussian(0, 0.25, 1.5, 4.0):.5f}" in r["C18"]
    w = tr.w2_1d(tr.uniform(0, 1), tr.gaussian(0, 1))
    assert f"{w:.5f}" in r["C19"]
    assert f"{w - 0.867:.3f}" in r["C19"]
    study = tr.sampling_error_study(
        tr.uniform(0, 1), tr.gaussian(0, 1), [100, 200, 400, 800, 1600, 3200, 6400], n_rep=40, rng=1
    )
    assert f"n^{{{study.slope:.2f}}}" in r["C19"]


def test_C11_to_C15_numbers_are_the_librarys(r):
    _, var1 = jko.jko_gaussian_step(0.0, 1.0, 0.1)
    contraction = 1 - 0.1 / var1
    assert f"{var1:.5f}" in r["C11"] and f"{var1:.5f}" in r["C15"]
    assert f"{contraction**2:.4f}" in r["C11"]
    assert f"{tr.w2_gaussian(0, 1.0, 0, 1.2) ** 2:.8f}" in r["C12"]
    assert f"{jko.gaussian_free_energy(0.0, 1.2):.4f}" in r["C13"]
    assert f"{jko.jko_gaussian_functional(0.0, 1.2, 0.0, 1.0, 0.1):.5f}" in r["C14"]
    assert f"{jko.jko_gaussian_functional(0.0, var1, 0.0, 1.0, 0.1):.5f}" in r["C14"]
    assert f"{0.9102 + 0.0858 / 0.2:.4f}" in r["C14"]


def test_C25_orders_are_the_librarys(r):
    taus = np.array([0.2, 0.1, 0.05, 0.025, 0.0125])
    for potential, mean0, var0 in (("heat", 0.0, 1.0), ("ou", 1.0, 0.5)):
        errs = []
        for h in taus:
            g = jko.jko_gaussian(mean0, var0, h, int(round(1 / h)), potential=potential)
            errs.append(abs(g.var[-1] - g.exact_var[-1]) + abs(g.mean[-1] - g.exact_mean[-1]))
        slope = np.polyfit(np.log(taus), np.log(errs), 1)[0]
        assert f"\\tau^{{{slope:.2f}}}" in r["C25"]


def test_C25_two_bump_numbers_are_the_librarys(r):
    import ot
    from scipy import stats  # noqa: F401

    def exact_law(t):
        m, s = 1.5 * np.exp(-t), np.sqrt(0.16 * np.exp(-2 * t) + 1 - np.exp(-2 * t))
        return tr.gaussian_mixture([-m, m], [s, s])

    M = 200
    levels = (np.arange(1, M + 1) - 0.5) / M
    x0 = jko.quantile_nodes(exact_law(0.0).ppf, M)
    target = exact_law(1.0).ppf(levels)
    errs = {}
    for h in (0.2, 0.025):
        run = jko.jko_lagrangian(x0, h, int(round(1.0 / h)), V=lambda x: 0.5 * x**2, dV=lambda x: x)
        assert run.success
        errs[h] = np.sqrt(ot.wasserstein_1d(run.x[-1], target, p=2))
    assert f"${errs[0.2]:.4f}$ at $\\tau = 0.2$" in r["C25"]
    assert f"${errs[0.025]:.4f}$ at $\\tau = 0.025$" in r["C25"]
