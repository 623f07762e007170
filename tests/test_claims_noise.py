"""Claims of *Checking the text*, common noise and the talk's second half (C28-C30, C48-C51): the rows' numbers are the library's."""

import numpy as np
import pytest
from scipy import integrate, special

from claims_page import rows
from meanfield.claims import noise as cl


@pytest.fixture(scope="module")
def r():
    return rows()


def test_C28_numbers_are_the_librarys(r):
    res = cl.one_token_law_uniformity()
    assert f"$\\mathbb E s^2 = {res.mean_s2:.4f} \\pm {res.se_s2:.4f}$" in r["C28"]
    assert abs(res.mean_s2 - 1 / 3) < 3 * res.se_s2 and res.ks_pvalue > 0.01
    assert f"{res.rbar_final:.3f}" in r["C28"]
    assert f"{res.clustered_mean:.3f} \\pm {res.clustered_se:.3f}" in r["C28"]
    assert f"= {res.clustered_exact:.3f}" in r["C28"]
    assert abs(res.clustered_mean - res.clustered_exact) < 3 * res.clustered_se
    from meanfield import sphere as sp

    antipodal = np.array([[0.0, 0.0, 1.0], [0.0, 0.0, -1.0]])  # mean 0, so kappa = 0: the tokens never move
    assert np.array_equal(sp.simulate_tokens(antipodal, beta=5.0, dt=0.01, n_steps=10, rng=0).x[-1], antipodal)
    assert "antipodal tokens" in r["C28"]


def test_C29_numbers_are_the_librarys(r):
    res = cl.overlap_equation_and_large_d_limit()
    assert res.max_form_gap < 1e-12
    assert f"${res.drift_estimate:.4f} \\pm {res.drift_se:.4f}$ against ${res.drift_exact:.4f}$" in r["C29"]
    assert ", ".join(f"${e:.4f}$" for e in res.errors) in r["C29"]
    assert res.errors[0] > res.errors[1] > res.errors[2] > 0
    assert "lacks its $dt$" in r["C29"]


def test_C30_numbers_are_the_librarys(r):
    from meanfield import spde

    res = cl.noise_induced_uniqueness_runs()
    assert f"$r_* = {res.r_star:.7f}$" in r["C30"]
    x, X1, _ = spde.grid_points(32)
    starts = np.stack([np.ones((32, 32)), 1 + 0.01 * np.cos(X1), spde.perturbed_uniform(32, 0.01, rng=7)])
    states = spde.simulate_spde(starts, gamma=3.0, K=0.0, dt=0.025, n_steps=1600)
    assert np.allclose(states.r1[-1], [0, res.r_star, res.r_star], atol=1e-9)
    assert np.allclose(states.r2[-1], [0, 0, res.r_star], atol=1e-9)
    assert res.mass_error_K2 < 1e-12
    assert f"r(10) \\le {res.r_final_K2 * 1e4:.1f}\\cdot10^{{-4}}" in r["C30"]
    assert f"$K^* = {res.K_star:.2f}$" in r["C30"]
    assert abs(res.K_star - 0.5) < 0.1          # the mean density's threshold gamma/2 - 1
    assert res.rates[0] == pytest.approx(0.5, abs=1e-9)


def test_C48_numbers_are_the_librarys(r):
    res = cl.common_noise_limit_is_random()
    assert f"{res.var_common:.3f} \\pm {res.se_common:.3f}$" in r["C48"]
    assert f"$0.462$" in r["C48"] and f"{res.var_common_exact:.3f}" == "0.462"
    assert f"N^{{{res.slope_idiosyncratic:.2f}}}" in r["C48"]
    assert f"${res.sync_rate:.5f}$" in r["C48"]
    assert res.sync_rate == pytest.approx(res.sync_rate_exact, rel=1e-12)   # deterministic: the noise cancels
    assert abs(res.var_common - res.var_common_exact) < 2 * res.se_common


def test_C49_numbers_are_the_librarys(r):
    res = cl.lyapunov_sign_by_dimension()
    assert f"$\\lambda = {res.additive:.4f}$" in r["C49"]
    assert f"= {res.multiplicative:.4f}$" in r["C49"]
    assert abs(res.multiplicative - res.multiplicative_direct) < 1e-8
    assert f"${res.multiplicative_mc:.3f} \\pm {res.multiplicative_se:.3f}$" in r["C49"]
    assert f"$\\lambda_1 = {res.shear_2d:.3f} \\pm {res.shear_2d_se:.3f} > 0$" in r["C49"]
    assert abs(res.multiplicative_mc - res.multiplicative) < 3 * res.multiplicative_se
    assert res.shear_2d > 10 * res.shear_2d_se
    assert f"$4\\pi^2c^2/\\Gamma(1/4)^4 = {res.shear_2d_exact:.4f}$" in r["C49"]
    assert abs(res.shear_2d - res.shear_2d_exact) < 3 * res.shear_2d_se
    assert res.shear_2d_exact == pytest.approx(3.2 * (special.ellipe(0.5) / special.ellipk(0.5) - 0.5), rel=1e-12)


def test_C49_multiplicative_exponent_by_independent_quadrature():
    """-2 E_p[(f/g)^2] with the closed-form density p ∝ (1+x^2)^{-1/2} exp((2/s^2)(log(1+x^2) - x^2/2))."""
    s = 0.7
    w = lambda x: np.exp((2 / s**2) * (np.log1p(x**2) - x**2 / 2)) / np.sqrt(1 + x**2)
    fg2 = lambda x: (x - x**3) ** 2 / (s**2 * (1 + x**2))
    ref = -2 * integrate.quad(lambda x: fg2(x) * w(x), -np.inf, np.inf)[0] / integrate.quad(w, -np.inf, np.inf)[0]
    assert cl.lyapunov_sign_by_dimension().multiplicative == pytest.approx(ref, rel=1e-8)


def test_C50_numbers_are_the_librarys(r):
    res = cl.tokens_are_brownian_on_the_sphere()
    assert res.correction_error < 1e-12
    assert f"{res.mean_overlap:.4f} \\pm {res.se:.4f}$ against $e^{{-1}} = {res.exact:.4f}$" in r["C50"]
    assert f"$e^{{-2}} = {res.stratonovich:.4f}$" in r["C50"]
    assert abs(res.mean_overlap - res.exact) < 3 * res.se
    assert f"by up to ${res.kappa_drift_max:.4f}$" in r["C50"] and res.kappa_drift_error < 1e-8


def test_C51_numbers_are_the_librarys(r):
    res = cl.free_energy_along_a_noisy_path()
    assert f"${res.f_spot:.4f}$" in r["C51"] and f"$+{res.f_max:.3f}$" in r["C51"]
    assert abs(res.f_final) < 1e-3 and res.f_max > 0
    assert f"${res.max_increase_deterministic * 1e8:.1f}\\cdot10^{{-8}}$" in r["C51"]
    # the spot's free energy in closed form: 2 (a r - log I0(a)) - gamma r^2, a = gamma r
    from meanfield import spde

    rs = spde.self_consistency(3.0)
    assert res.f_spot == pytest.approx(2 * (3 * rs * rs - np.log(special.i0(3 * rs))) - 3 * rs**2, abs=1e-10)


def test_C52_numbers_are_the_librarys(r):
    res = cl.many_tokens_limit_is_deterministic()
    fmt = ["{:.3f}", "{:.3f}", "{:.4f}", "{:.5f}"]
    sef = ["{:.3f}", "{:.3f}", "{:.4f}", "{:.5f}"]
    quoted = ", ".join(f"${f.format(m)} \\pm {g.format(s)}$" for f, g, m, s in zip(fmt, sef, res.q_mean, res.q_se))
    assert quoted in r["C52"]
    assert "$" + "$, $".join(f"{o:.3g}" for o in res.q_ode) + "$" in r["C52"]
    for m, s, o in zip(res.q_mean, res.q_se, res.q_ode):
        assert abs(m - o) < 3 * s
    # q(1) falls like 1/n: n q(1) stays bounded while n grows 64-fold
    nq = [n * m for n, m in zip(res.n, res.q_mean)]
    assert max(nq) < 8 and res.q_mean[-1] < res.q_mean[0] / 30
