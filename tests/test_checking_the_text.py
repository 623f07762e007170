"""The page "Checking the text": one row per claim, and its numbers are the library's."""

import re
from pathlib import Path

import numpy as np
import pytest

from meanfield import boltzmann as bz
from meanfield import jko
from meanfield import kinetic as kn
from meanfield import mfg
from meanfield import particles as pt
from meanfield import transport as tr
from meanfield import vlasov as vl

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


def test_C21_C22_numbers_are_the_librarys(r):
    ex = mfg.ex_5_7_7(np.linspace(0, 1, 11))
    assert np.max(np.abs(ex.a - 1 / (2 * (2 - ex.t)))) < 1e-12
    assert np.max(np.abs(ex.a - ex.a_ode)) < 1e-10
    a_text = lambda s: 1 / (4 * (1 - s))  # noqa: E731
    assert f"{1 / (4 * 0.5**2) + 4 * a_text(0.5) ** 2:.4f}" in r["C21"]
    assert f"{mfg.ex_5_7_7(np.array([0.0, 1.0]), x0=1.0).X[-1]:.4f}" in r["C22"]
    x = np.linspace(-2, 2, 9)
    resid = np.max(np.abs(-(x**2) / 4 + 0.5 * (x / 2) ** 2))  # text's u in the HJB at t = 0
    assert f"{resid:.4f}" in r["C22"]


def test_C23_numbers_are_the_librarys(r):
    model = dict(a=1.0, q=1.0, eps=2.0, c=0.5, T=1.0)
    t = np.linspace(0, 1, 101)
    inf = mfg.systemic_risk_eta(t, N=np.inf, **model)
    Ns = np.array([2, 4, 8, 16, 32, 64, 128])
    d_eta = [np.max(np.abs(mfg.systemic_risk_eta(t, N=N, **model) - inf)) for N in Ns]
    d_gain = [np.max(np.abs((1 - 1 / N) * mfg.systemic_risk_eta(t, N=N, **model) - inf)) for N in Ns]
    s_eta = np.polyfit(np.log(Ns), np.log(d_eta), 1)[0]
    s_gain = np.polyfit(np.log(Ns), np.log(d_gain), 1)[0]
    assert f"N^{{{s_eta:.2f}}}" in r["C23"] and f"N^{{{s_gain:.2f}}}" in r["C23"]
    assert abs(s_eta + 2) < 0.05 and abs(s_gain + 1) < 0.05


def test_C09_C10_C26_numbers_are_the_librarys(r):
    vals = []
    for N in [10**k for k in range(2, 7)]:
        lm = pt.linear_model_moments(np.array([1.0]), theta=1.0, beta=1.0, m0=0.5, s0=0.5, n_particles=N)
        vals.append(N * np.log(N) * lm.pair_cov[0] / lm.particle_var[0])
    assert ", ".join(f"{v:.3f}" for v in vals) in r["C10"]
    assert np.all(np.diff(vals) > 1.0)  # grows like log N: no constant bounds it
    qv = []
    Nq = np.array([10, 100, 1000, 10000])
    for N in Nq:
        x0 = pt.make_initial_gaussian(N, mean=0.5, sd=0.5, rng=np.random.default_rng(N))
        run = pt.simulate_particles(x0, dV=lambda x: x, beta=1.0, dt=0.01, n_steps=100,
                                    rng=np.random.default_rng(N + 1), theta=1.0, save_every=1)
        qv.append(float(pt.martingale_quadratic_variation(run.t, run.x, lambda x: x, beta=1.0)[-1]))
    assert f"N^{{{pt.fit_slope(Nq, qv):.2f}}}" in r["C26"]


def test_C27_numbers_are_the_librarys(r):
    from meanfield import fokker_planck as fp
    from meanfield.grids import make_grid

    V = lambda x: 0.5 * x**2  # noqa: E731
    law0 = tr.gaussian_mixture([-1.5, 1.5], [0.4, 0.4])
    grid = make_grid(-6.0, 6.0, 400)
    pde = fp.solve_fokker_planck(fp.make_density(law0.pdf, grid), grid, V=V, W=V, beta=1.0, dt=2e-3, n_steps=1000,
                                 save_every=25)
    gibbs = fp.make_density(lambda x: np.exp(-(x**2)), grid)
    F_star = fp.free_energy(gibbs, grid, V=V, W=V, beta=1.0)
    ratio = (pde.free_energy - F_star) / (pde.free_energy[0] - F_star) * np.exp(2 * pde.t)
    assert np.all(ratio <= 1 + 1e-9)
    pl = pde.dissipation / (pde.free_energy - F_star)
    assert pl.min() >= 2
    assert f"{pl.min():.3f}" in r["C27"]
    assert f"{pt.desai_zwanzig_critical_beta(1.0):.5f}" in r["C27"]


def test_C28_numbers_are_the_librarys(r):
    from meanfield import sphere as sp

    x0 = sp.uniform_tokens(8, 3, n_systems=2000, rng=70)
    run = sp.simulate_tokens(x0, alpha=10.0, dt=0.01, n_steps=300, rng=71, save_every=100)
    uni = sp.coordinate_uniformity(run.x[-1][:, 0, 2], 3)
    assert f"$\\mathbb E s^2 = {uni.mean_s2:.4f} \\pm {uni.se_s2:.4f}$" in r["C28"]
    assert abs(uni.mean_s2 - 1 / 3) < 3 * uni.se_s2 and uni.ks_pvalue > 0.01
    assert f"{run.rbar[-1].mean():.3f}" in r["C28"]
    p = np.array([0.0, 0.0, 1.0])
    runc = sp.simulate_tokens(np.broadcast_to(p, (2000, 8, 3)).copy(), alpha=5.0, dt=0.01, n_steps=50, rng=72)
    a = runc.x[-1][:, 0] @ p
    exact = np.exp(-5.0 * 2 * 0.5 / 6)
    assert f"{a.mean():.3f} \\pm {a.std() / np.sqrt(2000):.3f}" in r["C28"] and f"= {exact:.3f}" in r["C28"]
    assert abs(a.mean() - exact) < 3 * a.std() / np.sqrt(2000)


def test_C29_numbers_are_the_librarys(r):
    from meanfield import sphere as sp

    xd = sp.uniform_tokens(4, 32, rng=62)
    xd[1] = 0.3 * xd[0] + np.sqrt(0.91) * np.linalg.qr(np.stack([xd[0], xd[1]], axis=1))[0][:, 1]
    est, se = sp.one_step_drift(xd, alpha=4.0, dt=1e-4, n_samples=20_000, rng=72)
    ref = float(sp.r_drift(0.3, float(sp.attention_strength(xd, 4.0)), 32))
    assert f"${est:.4f} \\pm {se:.4f}$ against ${ref:.4f}$" in r["C29"]
    rg = np.linspace(-1, 1, 101)
    assert np.allclose(sp.r_drift(rg, 0.7, 16), sp.r_drift_talk(rg, 0.7, 16), rtol=0, atol=1e-12)
    big = sp.large_d_overlap(np.arange(151) * 0.01, alpha=4.0, n=8)
    errs = []
    for d in (3, 16, 128):
        run = sp.simulate_tokens(sp.uniform_tokens(8, d, n_systems=200, rng=50 + d), alpha=4.0, dt=0.01,
                                 n_steps=150, rng=60 + d)
        errs.append((big[:, None] - run.rbar).mean())
    assert ", ".join(f"${e:.4f}$" for e in errs) in r["C29"]
    assert errs[0] > errs[1] > errs[2] > 0


def test_C30_numbers_are_the_librarys(r):
    from meanfield import spde

    r_star = spde.self_consistency(3.0)
    assert f"$r_* = {r_star:.7f}$" in r["C30"]
    x, X1, _ = spde.grid_points(32)
    starts = np.stack([np.ones((32, 32)), 1 + 0.01 * np.cos(X1), spde.perturbed_uniform(32, 0.01, rng=7)])
    states = spde.simulate_spde(starts, gamma=3.0, K=0.0, dt=0.025, n_steps=1600)
    assert np.allclose(states.r1[-1], [0, r_star, r_star], atol=1e-9)
    assert np.allclose(states.r2[-1], [0, 0, r_star], atol=1e-9)
    spot = spde.steady_state(48, 3.0, "spot")
    rho0 = np.concatenate([np.broadcast_to(spot, (4, 48, 48)), spde.perturbed_uniform(48, 0.05, n_runs=4, rng=3)])
    run = spde.simulate_spde(rho0, gamma=3.0, K=2.0, dt=0.025, n_steps=400, save_every=4, rng=102)
    assert run.success and run.mass_error < 1e-12
    assert f"r(10) \\le {run.r[-1].max() * 1e4:.1f}\\cdot10^{{-4}}" in r["C30"]


def test_the_verdict_counts_in_the_introduction_match_the_rows():
    from collections import Counter

    counts = Counter([c.strip() for c in line.strip().strip("|").split("|")][3] for line in rows().values())
    text = PAGE.read_text()
    for verdict in ("correct", "wrong", "imprecise"):
        assert f"{counts[f'**{verdict}**']} are **{verdict}**" in text, verdict
