"""Tests of meanfield.common_noise: common noise, conditional laws, synchronisation by noise.

The linear model b = -x - theta (x - mean) is verified against its exact
formulas (the variance of the empirical mean, with and without common noise;
the conditional law N(m_t, v_t) given the common noise, both for the Euler
scheme and in continuous time); the top Lyapunov exponent of a 1D gradient
flow by two quadrature routes, the OU closed form, Monte Carlo along Euler
paths and the slope of the two-point motion; and bad input. All seeded."""

import numpy as np
import pytest

from meanfield import common_noise as cn
from meanfield import particles as pt

THETA, M0, S0 = 1.0, 0.5, 0.5
V = lambda x: x**4 / 4 - x**2 / 2  # noqa: E731  double well
dV = lambda x: x**3 - x  # noqa: E731
d2V = lambda x: 3 * x**2 - 1  # noqa: E731


# --- the integrator ---------------------------------------------------------------------

def test_environments_are_independent_and_pre_drawn_normals_are_used():
    rng = np.random.default_rng(0)
    x0 = rng.standard_normal((3, 20))
    common = rng.standard_normal((15, 3))
    noise = rng.standard_normal((15, 3, 20))
    drift = cn.linear_drift(0.5)
    full = cn.simulate_common_noise(x0, drift=drift, sigma0=0.7, sigma=0.3, dt=0.05, n_steps=15,
                                    common=common, noise=noise, save_every=5)
    assert full.x.shape == (4, 3, 20) and np.allclose(full.t, [0.0, 0.25, 0.5, 0.75])
    assert np.array_equal(full.common, common) and np.array_equal(full.x[0], x0)
    for r in range(3):
        one = cn.simulate_common_noise(x0[r], drift=drift, sigma0=0.7, sigma=0.3, dt=0.05, n_steps=15,
                                       common=common[:, r], noise=noise[:, r])
        assert np.max(np.abs(one.x[-1] - full.x[-1, r])) < 1e-13
    # the same seed gives the same run; the stored common normals reproduce it
    a = cn.simulate_linear(x0, theta=1.0, sigma0=1.0, sigma=0.5, dt=0.05, n_steps=15, rng=3)
    b = cn.simulate_linear(x0, theta=1.0, sigma0=1.0, sigma=0.5, dt=0.05, n_steps=15, rng=3)
    assert np.array_equal(a.x, b.x)


def test_common_noise_moves_all_particles_alike():
    # no idiosyncratic noise: differences X_i - X_j follow the deterministic linear recursion
    x0 = np.random.default_rng(1).standard_normal((5, 30))
    res = cn.simulate_linear(x0, theta=THETA, sigma0=2.0, sigma=0.0, dt=0.02, n_steps=50, rng=2)
    d0 = x0 - x0[:, :1]
    d = res.x[-1] - res.x[-1][:, :1]
    assert np.max(np.abs(d - (1 - (1 + THETA) * 0.02) ** 50 * d0)) < 1e-12
    assert np.std(res.x[-1].mean(axis=1)) > 0.3  # but the environments differ


def test_multiplicative_common_noise_is_a_product():
    # drift 0, sigma0(x) = s x, no idiosyncratic noise: X_k = X_0 prod_j (1 + s sqrt(dt) xi_j)
    x0 = np.array([[1.0, 2.0, -0.5], [0.3, 0.1, 4.0]])
    common = np.random.default_rng(4).standard_normal((40, 2))
    res = cn.simulate_common_noise(x0, drift=lambda x: 0 * x, sigma0=lambda x: 0.5 * x, dt=0.01,
                                   n_steps=40, common=common)
    factor = np.prod(1 + 0.5 * 0.1 * common, axis=0)
    assert np.max(np.abs(res.x[-1] - x0 * factor[:, None])) < 1e-12


# --- the empirical mean: 1/N without common noise, O(1) with it -----------------------------

@pytest.mark.parametrize("sigma0", [0.0, 1.0])
def test_variance_of_empirical_mean_matches_exact_formula(sigma0):
    R, dt, n = 400, 0.1, 10
    common = np.random.default_rng(10).standard_normal((n, R))
    measured = []
    for k, N in enumerate([10, 1000]):
        x0 = pt.make_initial_gaussian(N, mean=M0, sd=S0, n_ensembles=R, rng=20 + k)
        res = cn.simulate_linear(x0, theta=THETA, sigma0=sigma0, sigma=1.0, dt=dt, n_steps=n, common=common,
                                 rng=30 + k)
        v = res.x[-1].mean(axis=1).var(ddof=1)
        se = v * np.sqrt(2 / (R - 1))  # Gaussian sample variance
        exact = cn.linear_mean_variance(1.0, n_particles=N, sigma0=sigma0, sigma=1.0, s0=S0, dt=dt)
        assert abs(v - exact) < 4 * se, (N, v, exact, se)
        measured.append(v)
    if sigma0 == 0:
        assert measured[1] < measured[0] / 50  # 1/N
    else:
        assert measured[1] > measured[0] / 2  # no 1/N: the common-noise part remains
        assert abs(measured[1] - sigma0**2 * cn.linear_mean_variance(1.0, n_particles=10**12, sigma0=1.0,
                                                                     sigma=0.0, s0=0.0, dt=dt)) < 0.1


def test_mean_variance_formulas_and_limits():
    t = np.array([0.0, 0.5, 1.0, 3.0])
    cont = cn.linear_mean_variance(t, n_particles=7, sigma0=0.8, sigma=1.3, s0=0.6)
    euler = cn.linear_mean_variance(t, n_particles=7, sigma0=0.8, sigma=1.3, s0=0.6, dt=1e-4)
    assert np.max(np.abs(euler / cont - 1)) < 2e-4  # Euler -> continuous, O(dt)
    # direct check of the closed form: OU variance e^{-2t} Var(0) + q^2 (1 - e^{-2t}) / 2
    q2 = 0.8**2 + 1.3**2 / 7
    assert np.max(np.abs(cont - (np.exp(-2 * t) * 0.36 / 7 + q2 * (1 - np.exp(-2 * t)) / 2))) < 1e-14
    big = cn.linear_mean_variance(1.0, n_particles=10**12, sigma0=0.8, sigma=1.3, s0=0.6)
    assert abs(big - 0.32 * (1 - np.exp(-2.0))) < 1e-11  # sigma0^2 (1 - e^{-2t}) / 2 survives N -> oo
    assert cn.linear_mean_variance(1.0, n_particles=10**12, sigma0=0.0, sigma=1.3, s0=0.6) < 1e-11


# --- the conditional law given the common noise -------------------------------------------

def test_conditional_mean_and_variance_are_exact_for_the_scheme():
    # sigma = 0 and an initial sample with mean exactly m0: the empirical mean IS m_k,
    # the empirical variance is (1 - (1 + theta) dt)^{2k} times the initial one
    n, dt = 60, 0.02
    x0 = np.random.default_rng(5).standard_normal((3, 500))
    x0 = x0 - x0.mean(axis=1, keepdims=True) + M0
    s0 = np.sqrt(x0.var(axis=1))
    common = np.random.default_rng(6).standard_normal((n, 3))
    res = cn.simulate_linear(x0, theta=THETA, sigma0=1.2, sigma=0.0, dt=dt, n_steps=n, common=common, save_every=1)
    law = cn.conditional_law_linear(common, theta=THETA, sigma0=1.2, sigma=0.0, dt=dt, m0=M0, s0=1.0)
    assert np.max(np.abs(res.x.mean(axis=2) - law.mean)) < 1e-12
    assert np.max(np.abs(res.x.var(axis=2) - law.var[:, None] * s0**2)) < 1e-12
    # the vectorised mean equals the step-by-step recursion, also on a long horizon (other code path)
    for n_long in (n, 40_000):
        c = np.random.default_rng(7).standard_normal((n_long, 2))
        lw = cn.conditional_law_linear(c, theta=THETA, sigma0=0.9, sigma=1.0, dt=dt, m0=M0)
        m = np.full(2, M0)
        for k in range(n_long):
            m = (1 - dt) * m + 0.9 * np.sqrt(dt) * c[k]
        assert np.max(np.abs(lw.mean[-1] - m)) < 1e-10


def test_within_environment_sample_variance_is_unbiased_for_v():
    # deviations X_i - mean evolve without B^0: (N - 1) s^2 / v_k is chi-square(N - 1) exactly (Euler)
    R, N, n, dt = 300, 40, 50, 0.02
    x0 = pt.make_initial_gaussian(N, mean=M0, sd=S0, n_ensembles=R, rng=60)
    res = cn.simulate_linear(x0, theta=THETA, sigma0=1.5, sigma=0.8, dt=dt, n_steps=n, rng=61)
    law = cn.conditional_law_linear(res.common, theta=THETA, sigma0=1.5, sigma=0.8, dt=dt, m0=M0, s0=S0)
    s2 = res.x[-1].var(axis=1, ddof=1)
    se = law.var[-1] * np.sqrt(2 / (N - 1)) / np.sqrt(R)
    assert abs(s2.mean() - law.var[-1]) < 4 * se, (s2.mean(), law.var[-1], se)
    assert abs(np.var(s2, ddof=1) / (2 * law.var[-1] ** 2 / (N - 1)) - 1) < 0.3  # chi-square variance
    # and the empirical means scatter around the conditional means by O(N^{-1/2}) only
    gap = res.x[-1].mean(axis=1) - law.mean[-1]
    assert abs(np.var(gap) * N / (1.0 * cn.linear_mean_variance(1.0, n_particles=1, sigma0=0.0, sigma=0.8, s0=S0, dt=dt)) - 1) < 0.25


def test_conditional_variance_closed_form():
    t = np.linspace(0, 3, 7)
    v = cn.conditional_variance_linear(t, theta=THETA, sigma=1.3, s0=S0)
    lam = 1 + THETA
    assert abs(v[0] - S0**2) < 1e-15 and abs(v[-1] - (S0**2 * np.exp(-6 * lam) + 1.69 * (1 - np.exp(-6 * lam)) / (2 * lam))) < 1e-14
    # Euler recursion -> closed form as dt -> 0 (error O(dt))
    errs = []
    for dt in (0.01, 0.005):
        law = cn.conditional_law_linear(np.zeros((int(round(1 / dt)), 1)), theta=THETA, sigma0=0.0, sigma=1.3,
                                        dt=dt, s0=S0)
        errs.append(abs(law.var[-1] - cn.conditional_variance_linear(1.0, theta=THETA, sigma=1.3, s0=S0)))
    assert errs[0] < 0.01 and 1.8 < errs[0] / errs[1] < 2.2


def test_empirical_measure_is_close_to_its_own_conditional_law_only():
    n, dt = 100, 0.01
    common = np.random.default_rng(20).standard_normal((n, 4))
    law = cn.conditional_law_linear(common, theta=THETA, sigma0=1.0, sigma=1.0, dt=dt, m0=M0, s0=S0)
    sd = np.sqrt(law.var[-1])
    ns, own = np.array([100, 1000, 10000]), []
    for k, N in enumerate(ns):
        x0 = pt.make_initial_gaussian(N, mean=M0, sd=S0, n_ensembles=4, rng=40 + k)
        x = cn.simulate_linear(x0, theta=THETA, sigma0=1.0, sigma=1.0, dt=dt, n_steps=n, common=common,
                               rng=50 + k).x[-1]
        own.append(np.mean([pt.w2_to_gaussian(x[r], law.mean[-1, r], sd) for r in range(4)]))
    other = np.mean([pt.w2_to_gaussian(x[r], law.mean[-1, (r + 1) % 4], sd) for r in range(4)])
    assert own[-1] < 0.02 and other > 10 * own[-1], (own, other)
    slope = pt.fit_slope(ns, own)
    assert -0.65 < slope < -0.35, slope
    # the distance to another environment's law is the distance of the means (same variance)
    gaps = np.abs(law.mean[-1] - np.roll(law.mean[-1], -1))
    assert abs(other - gaps.mean()) < 0.02


# --- the top Lyapunov exponent ------------------------------------------------------------------

@pytest.mark.parametrize("sigma", [0.5, 1.0, 1.5])
def test_lyapunov_formula_two_routes_agree(sigma):
    lf = cn.lyapunov_exponent_formula(V, dV, d2V, sigma)
    assert abs(lf.value - lf.value_ibp) < 1e-8
    assert lf.value < 0


def test_lyapunov_formula_ou_closed_form_and_double_well_limit():
    for a, s in ((0.5, 1.0), (2.0, 0.3)):
        lf = cn.lyapunov_exponent_formula(lambda x: a * x**2 / 2, lambda x: a * x, lambda x: a + 0 * x, s)
        assert abs(lf.value - cn.lyapunov_exponent_ou(a)) < 1e-10 and abs(lf.value_ibp + a) < 1e-10
    # small noise: pi concentrates on the wells x = +-1 where V'' = 2
    assert abs(cn.lyapunov_exponent_formula(V, dV, d2V, 0.05).value + 2) < 0.01


def test_invariant_sampling_matches_quadrature():
    x = cn.sample_invariant(V, np.array([0.7, 1.0]), 50_000, rng=8)
    for row, s in zip(x, (0.7, 1.0)):
        ref = cn.invariant_expectation(lambda y: y**2, V, s)
        se = np.std(row**2) / np.sqrt(row.size)
        assert abs(np.mean(row**2) - ref) < 4 * se
        assert abs(np.mean(row)) < 4 * np.std(row) / np.sqrt(row.size)  # symmetric


def test_lyapunov_monte_carlo_matches_formula_within_3_se():
    est = cn.lyapunov_monte_carlo(V, dV, d2V, 1.0, T=40.0, dt=0.005, n_paths=200, rng=11)
    ref = cn.lyapunov_exponent_formula(V, dV, d2V, 1.0).value
    assert abs(est.estimate - ref) < 3 * est.se, (est.estimate, est.se, ref)
    assert est.per_path.shape == (200,) and est.se < 0.05
    # OU: V'' constant, every path gives exactly -a
    ou = cn.lyapunov_monte_carlo(lambda x: 0.75 * x**2, lambda x: 1.5 * x, lambda x: 1.5 + 0 * x, 0.8,
                                 T=5.0, dt=0.01, n_paths=50, rng=12)
    assert np.max(np.abs(ou.per_path + 1.5)) < 1e-12


def test_lyapunov_time_step_bias_is_below_the_statistical_error():
    sb = cn.lyapunov_step_bias(V, dV, d2V, np.array([1.0, 1.5]), T=20.0, dt=0.005, n_paths=200, rng=13)
    assert np.all(np.abs(sb.difference) < sb.se / 3), (sb.difference, sb.se)
    # while the bias is resolved (same Brownian paths): the difference is several of its own SEs
    assert np.all(np.abs(sb.difference) > 2 * sb.se_difference)


def test_two_point_motion_synchronises_at_rate_lambda():
    s = 1.0
    tp = cn.two_point_motion(dV, s, -np.ones(500), np.ones(500), dt=0.005, n_steps=6000, rng=14, save_every=10)
    assert np.all(tp.x <= tp.y)  # order preserved by the 1D flow
    assert np.mean(tp.distance[-1] < 1e-12) > 0.9  # merged (round-off level or exactly 0)
    fit = cn.log_distance_slope(tp.t, tp.distance, d_max=1e-2, d_min=1e-12)
    ref = cn.lyapunov_exponent_formula(V, dV, d2V, s).value
    # the fitting window opens when a pair first comes close (mostly inside a well, V'' ~ 2): a selection
    # bias of about -0.035 (measured with 3000 pairs), allowed for on top of 3 SE
    assert fit.n_fitted > 490 and abs(fit.slope - ref) < 3 * fit.se + 0.04, (fit.slope, fit.se, ref)
    assert fit.se < 0.04
    # OU: the distance is exactly (1 - a dt)^k, slope log(1 - a dt) / dt
    ou = cn.two_point_motion(lambda x: 2 * x, 0.5, 0.0, 1.0, dt=0.01, n_steps=500, rng=15)
    assert abs(cn.log_distance_slope(ou.t, ou.distance, d_max=2.0).slope - np.log(0.98) / 0.01) < 1e-9


def test_independent_noises_do_not_synchronise():
    s = 1.0
    ti = cn.two_point_motion(dV, s, -np.ones(300), np.ones(300), dt=0.01, n_steps=2000, rng=16, independent=True)
    d2 = ti.distance[-1] ** 2
    ref = 2 * cn.invariant_expectation(lambda y: y**2, V, s)  # X, Y independent ~ pi, symmetric
    assert abs(d2.mean() - ref) < 4 * d2.std() / np.sqrt(d2.size)
    assert np.median(ti.distance[-1]) > 0.3


def test_log_distance_slope_handles_merged_pairs():
    t = np.linspace(0, 10, 101)
    d = np.stack([np.exp(-3 * t), np.where(t < 5, np.exp(-5 * t), 0.0), np.full_like(t, 0.5)], axis=1)
    fit = cn.log_distance_slope(t, d, d_max=1.0, d_min=1e-12)
    assert abs(fit.per_pair[0] + 3) < 1e-12 and abs(fit.per_pair[1] + 5) < 1e-12
    assert abs(fit.per_pair[2]) < 1e-12 and fit.n_fitted == 3
    none = cn.log_distance_slope(t, np.zeros((101, 2)))
    assert none.n_fitted == 0 and np.isnan(none.slope)


# --- bad input -----------------------------------------------------------------------------

def test_bad_input():
    drift = lambda x: -x  # noqa: E731
    ok = dict(drift=drift, sigma0=1.0, dt=0.1, n_steps=5)
    with pytest.raises(ValueError, match="x0"):
        cn.simulate_common_noise(np.zeros((3, 0)), **ok)  # N = 0
    with pytest.raises(ValueError, match="x0"):
        cn.simulate_common_noise(np.zeros((0, 3)), **ok)  # R = 0
    with pytest.raises(ValueError, match="x0"):
        cn.simulate_common_noise([0.0, np.nan], **ok)
    with pytest.raises(ValueError, match="dt"):
        cn.simulate_common_noise(np.zeros(3), **dict(ok, dt=0.0))
    with pytest.raises(ValueError, match="n_steps"):
        cn.simulate_common_noise(np.zeros(3), **dict(ok, n_steps=0))
    with pytest.raises(TypeError, match="n_steps"):
        cn.simulate_common_noise(np.zeros(3), **dict(ok, n_steps=2.5))
    with pytest.raises(ValueError, match="sigma0"):
        cn.simulate_common_noise(np.zeros(3), **dict(ok, sigma0=-1.0))
    with pytest.raises(ValueError, match="sigma"):
        cn.simulate_common_noise(np.zeros(3), sigma=-0.1, **ok)
    with pytest.raises(TypeError, match="drift"):
        cn.simulate_common_noise(np.zeros(3), **dict(ok, drift=3.0))
    with pytest.raises(ValueError, match="drift"):
        cn.simulate_common_noise(np.zeros(3), **dict(ok, drift=lambda x: x[:1]))
    with pytest.raises(ValueError, match="common"):
        cn.simulate_common_noise(np.zeros((2, 3)), common=np.zeros((5, 3)), **ok)
    with pytest.raises(ValueError, match="noise"):
        cn.simulate_common_noise(np.zeros((2, 3)), noise=np.zeros((5, 3)), sigma=1.0, **ok)
    with pytest.raises(TypeError, match="rng"):
        cn.simulate_common_noise(np.zeros(3), rng="seed", **ok)
    with pytest.raises(ValueError, match="step 5"):  # blow-up: x = 1, 2, 258, 2e19, 2e154, inf
        cn.simulate_common_noise(np.ones(3), drift=lambda x: x**8, sigma0=0.0, dt=1.0, n_steps=10, rng=0)
    with pytest.raises(ValueError, match=r"step \d+ \(blow-up\)"):
        cn.two_point_motion(lambda x: -x**3, 1.0, 2.0, 3.0, dt=1.0, n_steps=50, rng=0)
    with pytest.raises(ValueError, match=r"step \d+ \(blow-up\)"):
        cn.lyapunov_monte_carlo(V, dV, d2V, 1.0, T=50.0, dt=1.0, n_paths=3, x0=5.0, rng=0)
    with pytest.raises(ValueError, match=r"dt.*dt < 0\.5"):  # linear model: dt (1 + |theta|) < 1
        cn.simulate_linear(np.zeros(3), theta=1.0, sigma0=1.0, sigma=1.0, dt=0.5, n_steps=5)
    with pytest.raises(ValueError, match="theta"):
        cn.simulate_linear(np.zeros(3), theta=-1.0, sigma0=1.0, sigma=1.0, dt=0.1, n_steps=5)
    with pytest.raises(TypeError, match="n_particles"):
        cn.linear_mean_variance(1.0, n_particles=10.0, sigma0=1.0, sigma=1.0)
    with pytest.raises(ValueError, match="n_particles"):
        cn.linear_mean_variance(1.0, n_particles=0, sigma0=1.0, sigma=1.0)
    with pytest.raises(ValueError, match="t: with dt"):
        cn.linear_mean_variance(0.15, n_particles=5, sigma0=1.0, sigma=1.0, dt=0.1)
    with pytest.raises(ValueError, match="variance"):
        cn.conditional_law_linear(np.zeros(3), theta=1.0, sigma0=1.0, sigma=1.0, dt=0.1, variance="exact")
    with pytest.raises(ValueError, match="sigma"):
        cn.lyapunov_exponent_formula(V, dV, d2V, 0.0)
    with pytest.raises(TypeError, match="d2V"):
        cn.lyapunov_exponent_formula(V, dV, None, 1.0)
    with pytest.raises(ValueError, match="support"):
        cn.lyapunov_exponent_formula(V, dV, d2V, 1.0, support=(-1.0, 1.0))  # mass outside
    with pytest.raises(ValueError, match="T"):
        cn.lyapunov_monte_carlo(V, dV, d2V, 1.0, T=0.0, dt=0.01, n_paths=3)
    with pytest.raises(ValueError, match="T"):
        cn.lyapunov_monte_carlo(V, dV, d2V, 1.0, T=1.005, dt=0.01, n_paths=3)
    with pytest.raises(ValueError, match="n_paths"):
        cn.lyapunov_monte_carlo(V, dV, d2V, 1.0, T=1.0, dt=0.01, n_paths=0)
    with pytest.raises(ValueError, match="sigma"):
        cn.lyapunov_monte_carlo(V, dV, d2V, np.array([1.0, -1.0]), T=1.0, dt=0.01, n_paths=3)
    with pytest.raises(ValueError, match="a"):
        cn.lyapunov_exponent_ou(0.0)
    with pytest.raises(ValueError, match="y0"):
        cn.two_point_motion(dV, 1.0, np.zeros(3), np.zeros(2), dt=0.01, n_steps=5)
    with pytest.raises(ValueError, match="d_min"):
        cn.log_distance_slope(np.arange(3.0), np.ones(3), d_min=1.0, d_max=0.5)


# --- multiplicative noise in 1D -----------------------------------------------------------------

def test_multiplicative_lyapunov_closed_form():
    """dX = -X dt + s sqrt(1+X^2) o dW: p ∝ (1+x^2)^{-1/2-1/s^2}, lambda = -2/(2+s^2)."""
    from meanfield.common_noise import lyapunov_exponent_multiplicative

    s = 0.5
    lm = lyapunov_exponent_multiplicative(lambda x: -x, lambda x: -1 + 0 * x, lambda x: s * np.sqrt(1 + x**2),
                                          lambda x: s * x / np.sqrt(1 + x**2), support=(-1e3, 1e3), n_grid=2_000_001)
    assert lm.value == pytest.approx(-2 / (2 + s**2), rel=1e-6)
    assert lm.value_direct == pytest.approx(-2 / (2 + s**2), rel=1e-6)


def test_multiplicative_lyapunov_reduces_to_additive():
    from meanfield.common_noise import lyapunov_exponent_formula, lyapunov_exponent_multiplicative

    lm = lyapunov_exponent_multiplicative(lambda x: x - x**3, lambda x: 1 - 3 * x**2, lambda x: 0.8 + 0 * x,
                                          lambda x: 0 * x)
    ref = lyapunov_exponent_formula(lambda x: x**4 / 4 - x**2 / 2, lambda x: x**3 - x, lambda x: 3 * x**2 - 1, 0.8)
    assert lm.value == pytest.approx(ref.value, rel=1e-7)


def test_multiplicative_monte_carlo_agrees_with_quadrature():
    from meanfield.common_noise import lyapunov_exponent_multiplicative, lyapunov_multiplicative_monte_carlo

    f, df = (lambda x: -x), (lambda x: -1 + 0 * x)
    g, dg = (lambda x: 0.5 * np.sqrt(1 + x**2)), (lambda x: 0.5 * x / np.sqrt(1 + x**2))
    mc = lyapunov_multiplicative_monte_carlo(f, df, g, dg, T=20.0, dt=0.005, n_paths=100, t_burn=2.0, rng=3)
    assert abs(mc.estimate - (-2 / 2.25)) < 4 * mc.se + 0.01


def test_multiplicative_errors():
    from meanfield.common_noise import lyapunov_exponent_multiplicative, lyapunov_multiplicative_monte_carlo

    one = lambda x: 1 + 0 * x
    with pytest.raises(ValueError, match="g"):
        lyapunov_exponent_multiplicative(lambda x: -x, lambda x: -one(x), lambda x: x, one)
    with pytest.raises(ValueError, match="support"):
        lyapunov_exponent_multiplicative(lambda x: -0.01 * x, lambda x: -0.01 * one(x), one, lambda x: 0 * x,
                                         support=(-1.0, 1.0))
    with pytest.raises(TypeError, match="f"):
        lyapunov_exponent_multiplicative(1.0, one, one, one)
    with pytest.raises(ValueError, match="T"):
        lyapunov_multiplicative_monte_carlo(lambda x: -x, one, one, one, T=1.0, dt=0.3, n_paths=4)


# --- dimension two: the random shear flow ---------------------------------------------------------

def test_shear_flow_exponent_closed_form_against_the_angle_density():
    """lambda_1 = (c^2/2) E[cos^2 2phi], phi with density ∝ (cos^4 + sin^4)^{-1/2}, by quadrature; and via elliptic integrals."""
    from scipy import integrate, special

    c2 = 2 * 1.0 * (0.8 * 1 + 0.2 * 4)          # K = 1, sigma_m^2 = (4/5, 1/5), m = 1, 2
    w = lambda p: (np.cos(p) ** 4 + np.sin(p) ** 4) ** -0.5  # noqa: E731
    mean_cos2 = integrate.quad(lambda p: np.cos(2 * p) ** 2 * w(p), 0, np.pi)[0] / integrate.quad(w, 0, np.pi)[0]
    assert cn.shear_flow_lyapunov_exact(1.0) == pytest.approx(c2 / 2 * mean_cos2, rel=1e-10)
    assert cn.shear_flow_lyapunov_exact(1.0) == pytest.approx(c2 * (special.ellipe(0.5) / special.ellipk(0.5) - 0.5),
                                                              rel=1e-12)
    assert cn.shear_flow_lyapunov_exact(2.5) == pytest.approx(2.5 * cn.shear_flow_lyapunov_exact(1.0), rel=1e-14)
    with pytest.raises(ValueError, match="K"):
        cn.shear_flow_lyapunov_exact(0.0)


def test_shear_flow_exponent_matches_the_simulated_flow():
    from meanfield import spde

    ly = spde.shear_flow_lyapunov(1.0, dt=0.005, n_steps=2000, n_paths=300, rng=11)
    assert abs(ly.estimate - cn.shear_flow_lyapunov_exact(1.0)) < 3 * ly.se + 0.01


# --- exercises --------------------------------------------------------------------------------------

def test_exercise_sync_rate():
    from exercise_cells import solution_answer

    assert solution_answer("common_noise", "ex-common_noise-sync-rate") == pytest.approx(
        2 * np.log(1 - 2e-3) / 1e-3, rel=1e-9)


def test_exercise_multiplicative_ou():
    from exercise_cells import solution_answer

    assert solution_answer("common_noise", "ex-common_noise-multiplicative-ou") == pytest.approx(-2 / 2.25, rel=1e-6)
