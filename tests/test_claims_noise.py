"""Claims of *Checking the text*, Common noise and the talk's second half (C28-C30): the rows' numbers are the library's."""

import numpy as np
import pytest


from claims_page import rows


@pytest.fixture(scope="module")
def r():
    return rows()


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
