"""Claims of *Checking the text*, Mean-field limits and gradient flows (C09, C10, C26, C27, C38-C41): the
rows' numbers are those of meanfield.claims.limits (one function per claim), and the functions' results are
confirmed by an independent route (closed forms, scipy, a second simulation)."""

import numpy as np
import pytest
from scipy import integrate, stats

from meanfield import particles as pt
from meanfield.claims import limits as cl

from claims_page import rows


@pytest.fixture(scope="module")
def r():
    return rows()


def test_C09_C10_numbers_are_the_librarys(r):
    pc = cl.pair_correlation_linear_model()
    c10 = cl.correlation_bound_fails()
    assert ", ".join(f"{v:.3f}" for v in c10.n_log_n_corr) in r["C10"]
    assert np.all(np.diff(c10.n_log_n_corr) > 1.0)  # grows like log N: no constant bounds it
    assert np.diff(c10.n_log_n_corr)[-1] == pytest.approx(np.log(10) * pc.limit_n_corr, rel=1e-3)
    # independent: N Corr -> (a - v)/v from the two OU variances written out
    a = 0.25 * np.exp(-2) + (1 - np.exp(-2))
    v = 0.25 * np.exp(-4) + (1 - np.exp(-4)) / 2
    assert pc.limit_n_corr == pytest.approx((a - v) / v, rel=1e-12)
    assert pc.n_corr[-1] == pytest.approx((a - v) / v, rel=1e-5)


def test_C09_the_sections_force_is_inverse_square(r):
    f = cl.example_force_is_inverse_square()
    assert f.max_err_inverse_square < 1e-9 and f.max_err_minus_grad_inverse_distance < 1e-9
    assert f.max_ratio_to_log_force == pytest.approx(5.0)  # ratio |x| to a log force: unbounded
    assert "10^{-9}" in r["C09"] and "inverse-square" in r["C09"]


def test_C09_second_order_numbers_are_the_librarys(r):
    c = cl.second_order_pair_covariance()
    for s, e, x in zip(c.simulated, c.se, c.exact):
        assert f"{s:.4f} \\pm {e:.4f}" in r["C09"]
        assert abs(s - x) < 3 * e
    assert ", ".join(f"{x:.5f}" for x in c.exact) in r["C09"]
    # independent: the exact solution written out, Cov = Var(Xbar) + Cov(Z1, Z2) with
    # Var(Xbar) = (1 + t^2)/N and Cov(Z1, Z2) = -(cos^2 t + sin^2 t)/N at theta = t = 1
    assert c.exact == pytest.approx((2.0 - (np.cos(1.0) ** 2 + np.sin(1.0) ** 2)) / c.n, rel=1e-12)
    assert np.allclose(c.n_times_exact, 1.0)


def test_C26_numbers_are_the_librarys(r):
    m = cl.martingale_quadratic_variation_rate()
    assert f"N^{{{m.slope:.2f}}}" in r["C26"]
    assert f"{m.predicted_n_qv:.3f}" in r["C26"]
    # independent: 2 int_0^1 (m^2 + v) ds in closed form
    pred = 2 * (0.25 * (1 - np.exp(-2)) / 2 + 0.25 * (1 - np.exp(-4)) / 4 + 0.5 - (1 - np.exp(-4)) / 8)
    assert m.predicted_n_qv == pytest.approx(pred, rel=1e-8)
    assert np.all(np.abs(m.n_qv / pred - 1) < 0.15)


def test_C27_numbers_are_the_librarys(r):
    d = cl.free_energy_decay_rates()
    assert f"{d.pl_min_symmetric:.3f}" in r["C27"]
    assert f"{d.rate_symmetric:.2f}" in r["C27"] and f"{d.rate_shifted:.2f}" in r["C27"]
    assert f"{d.beta_c:.5f}" in r["C27"]
    assert d.bound_holds_symmetric and d.pl_min_symmetric >= 2
    assert d.rate_symmetric == pytest.approx(8.0, rel=0.02)  # 2 * 2(1 + theta)
    assert d.rate_shifted == pytest.approx(2.0, rel=0.01)  # 2 lambda: the bound attained
    assert d.pl_min_shifted == pytest.approx(2.0, rel=1e-3)
    assert d.max_err_gap_vs_mean < 1e-6 and d.max_rel_err_mean < 0.01


def test_C38_numbers_are_the_librarys(r):
    e = cl.particle_drift_needs_even_interaction()
    assert f"{abs(e.grad_pair_energy):.3f}" in r["C38"] and f"{e.talk_drift:.3f}" in r["C38"]
    # independent: the pair energy (1/2N) sum_ij (x_i - x_j) is zero at any configuration
    x = np.random.default_rng(1).normal(size=9)
    assert abs(np.sum(x[:, None] - x[None, :])) < 1e-12


def test_C39_numbers_are_the_librarys(r):
    d = cl.dobrushin_estimate_with_noise()
    assert ", ".join(f"{w:.3f}" for w in d.mean_w1) in r["C39"]
    assert f"N^{{{d.slope:.2f}}}" in r["C39"]
    assert np.all(d.w1_initial == 0) and np.all(d.mean_w1 > 10 * d.se_w1)
    # independent W1: scipy against a fine quantile sample of the limit law N(0, v(1))
    sd = np.sqrt((1 - np.exp(-4)) / 2)
    x = np.random.default_rng(5).normal(0, sd, 300)
    u = (np.arange(400_000) + 0.5) / 400_000
    assert pt.w1_to_gaussian(x, 0.0, sd) == pytest.approx(stats.wasserstein_distance(x, sd * stats.norm.ppf(u)),
                                                         abs=2e-5)


def test_C40_numbers_are_the_librarys(r):
    c = cl.coupling_with_printed_signs()
    assert ", ".join(f"{v:.4f}" for v in c.consistent) in r["C40"]
    assert f"{c.printed_limit:.3f}" in r["C40"]
    # independent: simulate the printed-sign coupling (X: -b, Y: +b, no V, unit noise) with many particles
    rng = np.random.default_rng(40)
    R, N, dt = 20, 500, 1e-3
    x = rng.normal(0.5, 0.5, (R, N))
    y = x.copy()
    for _ in range(1000):
        db = np.sqrt(dt) * rng.standard_normal((R, N))
        x, y = x - (x - x.mean(axis=1, keepdims=True)) * dt + db, y + (y - 0.5) * dt + db
    assert np.mean(np.abs(x - y)) == pytest.approx(c.printed_limit, rel=0.03)


def test_C41_numbers_are_the_librarys(r):
    o = cl.otto_calculus_signs()
    assert f"{o.dF_dt:.4f}" in r["C41"] and f"{o.dissipation:.4f}" in r["C41"]
    assert o.rel_err_identity < 0.005 and o.talk_first_expression > 0 > o.dF_dt
    assert f"{100 * o.rel_err_identity:.1f}\\%" in r["C41"]
