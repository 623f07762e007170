"""Claims of *Checking the text*, Kinetic theory (C01-C08, C24): the rows' numbers are the library's."""

import numpy as np
import pytest

from meanfield import boltzmann as bz
from meanfield import kinetic as kn
from meanfield import vlasov as vl

from claims_page import rows


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


def test_C03_to_C06_numbers_are_the_librarys(r):
    from scipy import integrate, stats

    M = stats.norm(0, 1).pdf
    mass = integrate.quad(lambda x: (1 + 0.5 * np.cos(np.pi * x)) * M(x), -np.inf, np.inf, epsabs=1e-14)[0]
    assert mass == pytest.approx(1 + 0.5 * np.exp(-np.pi**2 / 2), rel=1e-12)
    assert f"{mass:.4f}" in r["C06"]
    # C03: a 1D elastic collision is a swap
    v, w = np.array([0.3, -1.2]), np.array([2.0, 0.5])
    vp, wp = bz.collide_1d(v, w)
    assert np.array_equal(vp, w) and np.array_equal(wp, v)
    # C04: fitted decay rates of the normalised datum under Kac's model
    f0 = lambda x: (1 + 0.5 * np.cos(np.pi * x[..., 0])) * M(x[..., 0]) / mass  # noqa: E731
    sol = bz.kac_spectral(f0, np.linspace(0, 20, 201), n_modes=128)
    T = 2 * sol.energy[0]
    MT = stats.norm(0, np.sqrt(T)).pdf(sol.v)
    eps = np.sqrt(integrate.trapezoid((sol.f - MT) ** 2 / MT, sol.v, axis=1))
    for (a, b) in ((0, 2), (10, 20)):
        m = (sol.t >= a) & (sol.t <= b)
        rate = -np.polyfit(sol.t[m], np.log(eps[m]), 1)[0]
        assert f"{rate:.3f}" in r["C04"]
    assert list(bz.kac_eigenvalues(6)) == pytest.approx([0, -1, 0, -1, -0.25, -1, -0.375])
    # C05: the expansion at eps = 0.01
    e = 0.01
    g = lambda x: (1 + e * np.cos(np.pi * x)) * M(x)  # noqa: E731
    dH = (integrate.quad(lambda x: g(x) * np.log(g(x)), -12, 12, epsabs=1e-15, limit=400)[0]
          - integrate.quad(lambda x: M(x) * np.log(M(x)), -12, 12, epsabs=1e-15, limit=400)[0])
    quad_term = 0.5 * integrate.quad(lambda x: M(x) * np.cos(np.pi * x) ** 2, -12, 12, epsabs=1e-15)[0]
    assert f"{dH * 1e4:.3f}\\times10^{{-4}}" in r["C05"]
    assert f"{e**2 * quad_term * 1e5:.3f}\\times10^{{-5}}" in r["C05"]


def test_C07_C08_numbers_are_the_librarys(r):
    chk = vl.check_exercise_5_7_3(A=0.1, k=1.0, C=1.0)
    assert f"${chk.claimed_invariant_drift:.2f}A$" in r["C07"]
    assert chk.correct_invariant_drift < 1e-8
    assert f"${chk.u_not_real_fraction:.0%}".replace("%", "\\%") in r["C08"]
    assert f"${chk.claimed_vlasov_residual:.2f}$" in r["C08"] and f"${chk.claimed_poisson_residual:.2f}$" in r["C08"]
    bgk = vl.bgk_mode(0.5, 1.0)
    run = vl.solve_vlasov_poisson(bgk.f, bgk.grid, dt=0.1, n_steps=500)
    e = np.sqrt(2 * run.field_energy)
    variation = e.max() / e.min() - 1
    assert variation < 0.01
    assert f"${100 * variation:.2f}\\%$" in r["C08"]
