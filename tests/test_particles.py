"""Tests of meanfield.particles: interacting particles and their mean-field limit.

Closed forms of the linear model V = x^2/2, W = theta x^2/2 (Gaussian law,
exact pair covariance (a - v)/N, exact Sznitman coupling error), the
finite-volume PDE as a second method (W2 between particles and PDE shrinks
like N^{-1/2}), the 1/N quadratic variation of the fluctuation martingale,
the Desai--Zwanzig phase transition, and bad input. All seeded."""

import numpy as np
import pytest
from scipy import integrate, special

from meanfield import fokker_planck as fp
from meanfield import particles as pt
from meanfield.grids import make_grid

OU = lambda x: x  # noqa: E731  V'(x) for V = x^2/2
THETA, BETA = 1.0, 1.0


# --- integrator -----------------------------------------------------------------------

def test_pairwise_kernel_equals_quadratic_formula():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 500))
    f_quad = pt.interaction_force(x, theta=0.7)
    f_pair = pt.interaction_force(x, dW=lambda z: 0.7 * z, interaction="pairwise")
    assert np.max(np.abs(f_quad - f_pair)) < 1e-12
    r1 = pt.simulate_particles(x, dV=OU, theta=0.7, beta=2.0, dt=0.01, n_steps=20, rng=5)
    r2 = pt.simulate_particles(x, dV=OU, dW=lambda z: 0.7 * z, beta=2.0, dt=0.01, n_steps=20, rng=5)
    assert r1.interaction == "quadratic" and r2.interaction == "pairwise"
    assert np.max(np.abs(r1.x - r2.x)) < 1e-12


def test_pairwise_blocks_match_dense_sum():
    x = np.random.default_rng(1).standard_normal(3000)  # 3000^2 > one block: several blocks
    dW = np.tanh
    dense = np.tanh(x[:, None] - x[None, :]).mean(axis=1)
    assert np.max(np.abs(pt.interaction_force(x, dW=dW) - dense)) < 1e-13


def test_ensembles_are_independent_systems_and_noise_is_used():
    rng = np.random.default_rng(2)
    x0 = rng.standard_normal((4, 50))
    noise = rng.standard_normal((30, 4, 50))
    full = pt.simulate_particles(x0, dV=OU, theta=1.0, beta=1.0, dt=0.02, n_steps=30, noise=noise, save_every=10)
    assert full.x.shape == (4, 4, 50) and np.allclose(full.t, [0.0, 0.2, 0.4, 0.6])
    for r in range(4):
        one = pt.simulate_particles(x0[r], dV=OU, theta=1.0, beta=1.0, dt=0.02, n_steps=30, noise=noise[:, r])
        assert np.max(np.abs(one.x[-1] - full.x[-1, r])) < 1e-13
    assert np.array_equal(full.x[0], x0)  # x0 itself is not modified


def test_moments_match_closed_form():
    x0 = pt.make_initial_gaussian(200_000, mean=1.0, sd=0.5, rng=3)
    res = pt.simulate_particles(x0, dV=OU, theta=THETA, beta=BETA, dt=0.005, n_steps=200, rng=4)
    mom = pt.linear_model_moments(1.0, theta=THETA, beta=BETA, m0=1.0, s0=0.5)
    assert abs(res.x[-1].mean() - mom.mean) < 0.01
    assert abs(res.x[-1].var() / mom.var - 1) < 0.02
    # the mean-field variance ODE v' = -2(1 + theta) v + 2 / beta holds for the closed form
    t = np.linspace(0, 2, 201)
    v = pt.linear_model_moments(t, theta=THETA, beta=BETA, s0=0.5).var
    assert np.max(np.abs(np.gradient(v, t)[1:-1] + 2 * (1 + THETA) * v[1:-1] - 2 / BETA)) < 1e-3


# --- empirical measure vs PDE -----------------------------------------------------------

def test_w2_particles_to_pde_and_closed_form_shrinks_like_sqrt_n():
    m0, s0, T, dt = 1.0, 0.5, 1.0, 0.005
    n_steps = int(round(T / dt))
    grid = make_grid(-5.0, 5.0, 400)
    rho0 = fp.make_density(lambda x: np.exp(-((x - m0) ** 2) / (2 * s0**2)), grid)
    pde = fp.solve_fokker_planck(rho0, grid, V=lambda x: x**2 / 2, W=lambda x: THETA * x**2 / 2,
                                 beta=BETA, dt=dt, n_steps=n_steps, save_every=n_steps)
    mom = pt.linear_model_moments(T, theta=THETA, beta=BETA, m0=m0, s0=s0)
    mean, sd = float(mom.mean), float(np.sqrt(mom.var))
    # the PDE itself against the closed form (quantiles of N(mean, sd^2) as a 20000-point sample)
    q = mean + sd * np.sqrt(2) * special.erfinv(2 * (np.arange(20000) + 0.5) / 20000 - 1)
    assert pt.w2_to_density(q, grid, pde.rho[-1]) < 0.01
    ns = np.array([100, 400, 1600, 6400])
    e_pde, e_exact = [], []
    for k, n in enumerate(ns):
        x0 = pt.make_initial_gaussian(n, mean=m0, sd=s0, n_ensembles=16, rng=10 + k)
        xs = pt.simulate_particles(x0, dV=OU, theta=THETA, beta=BETA, dt=dt, n_steps=n_steps, rng=20 + k).x[-1]
        e_pde.append(np.mean([pt.w2_to_density(row, grid, pde.rho[-1]) for row in xs]))
        e_exact.append(np.mean([pt.w2_to_gaussian(row, mean, sd) for row in xs]))
    s_pde, s_exact = pt.fit_slope(ns, e_pde), pt.fit_slope(ns, e_exact)
    assert -0.65 < s_pde < -0.35 and -0.65 < s_exact < -0.35, (s_pde, s_exact)
    assert abs(e_pde[-1] - e_exact[-1]) < 0.01


def test_w2_to_gaussian_exact_cases():
    assert abs(pt.w2_to_gaussian([2.0], 0.0, 1.0) - np.sqrt(5.0)) < 1e-12  # m^2 + s^2 + x^2 - 2 x m
    assert pt.w2_to_gaussian([3.0, 3.0], 3.0, 0.0) == 0.0


# --- propagation of chaos -----------------------------------------------------------------

def test_pair_covariance_is_exactly_a_minus_v_over_n():
    ns = np.array([10, 40, 160, 640])
    T, R = 1.0, 1000
    exact = pt.linear_model_moments(T, theta=THETA, beta=BETA, s0=1.0, n_particles=1)  # (a - v)/1
    covs = []
    for k, n in enumerate(ns):
        x0 = pt.make_initial_gaussian(n, sd=1.0, n_ensembles=R, rng=100 + k)
        x = pt.simulate_particles(x0, dV=OU, theta=THETA, beta=BETA, dt=0.01, n_steps=100, rng=200 + k).x[-1]
        covs.append(pt.pair_covariance(x))
    covs = np.array(covs)
    assert np.all(covs > 0)
    slope = pt.fit_slope(ns, covs)
    assert abs(slope + 1) < 0.15, slope
    # N Cov(X1, X2) = a - v = 1 - (1 + e^{-4})/2 = 0.4908 for s0 = 1 = beta = theta, t = 1
    assert abs(float(exact.pair_cov) - 0.5 * (1 - np.exp(-4))) < 1e-12
    assert np.all(np.abs(ns * covs / exact.pair_cov - 1) < 0.3), ns * covs


def test_sznitman_coupling_error_is_order_inverse_sqrt_n():
    ns = np.array([10, 40, 160, 640])
    m0, T = 0.5, 1.0
    def mf(t, y):  # W' * mu_t for the exact Gaussian law: theta (y - m0 e^{-t})
        return THETA * (y - m0 * np.exp(-t))
    errs, exact = [], []
    for k, n in enumerate(ns):
        x0 = pt.make_initial_gaussian(n, mean=m0, sd=1.0, n_ensembles=500, rng=300 + k)
        res = pt.simulate_coupling(x0, dV=OU, theta=THETA, mean_field=mf, beta=BETA, dt=0.01, n_steps=100, rng=400 + k)
        errs.append(res.mean_abs_diff[-1])
        exact.append(pt.coupling_error_linear(T, theta=THETA, beta=BETA, s0=1.0, n_particles=n))
    errs, exact = np.array(errs), np.array(exact)
    slope = pt.fit_slope(ns, errs)
    assert abs(slope + 0.5) < 0.15, slope
    assert abs(pt.fit_slope(ns, exact) + 0.5) < 1e-9  # exactly N^{-1/2}
    assert np.all(np.abs(errs / exact - 1) < 0.15), errs / exact


def test_martingale_quadratic_variation_is_order_inverse_n():
    # phi = x^2/2, phi' = x: <M>_T = (2 / (beta N)) int_0^T E X^2 dt (+ fluctuations)
    T, s0 = 1.0, 1.0
    ns = np.array([10, 100, 1000])
    def ex2(t, n):
        mom = pt.linear_model_moments(t, theta=THETA, beta=BETA, s0=s0, n_particles=n)
        return mom.particle_var + mom.mean**2
    qvs, ref = [], []
    for k, n in enumerate(ns):
        x0 = pt.make_initial_gaussian(n, sd=s0, n_ensembles=100, rng=500 + k)
        res = pt.simulate_particles(x0, dV=OU, theta=THETA, beta=BETA, dt=0.01, n_steps=100, save_every=1, rng=600 + k)
        qv = pt.martingale_quadratic_variation(res.t, res.x, lambda x: x, beta=BETA)
        assert qv.shape == (101, 100) and np.all(np.diff(qv, axis=0) >= 0)
        qvs.append(qv[-1].mean())
        ref.append(2 / (BETA * n) * integrate.quad(lambda t: ex2(t, n), 0, T)[0])
    assert abs(pt.fit_slope(ns, qvs) + 1) < 0.05
    assert np.all(np.abs(np.array(qvs) / np.array(ref) - 1) < 0.03), np.array(qvs) / np.array(ref)


# --- Desai--Zwanzig ------------------------------------------------------------------------

def test_desai_zwanzig_phase_transition():
    theta = 1.0
    bc = pt.desai_zwanzig_critical_beta(theta)
    assert 2.15 < bc < 2.25, bc  # beta_c(theta = 1) = 2.18844
    # at beta_c, R'(0) = beta theta Var_{mu_0} - 1 = 0; its sign flips across beta_c
    h = 1e-4
    def slope0(beta):
        return pt.desai_zwanzig_consistency(h, beta=beta, theta=theta) / h
    assert abs(slope0(bc)) < 1e-6
    assert slope0(0.9 * bc) < 0 < slope0(1.1 * bc)
    below = pt.desai_zwanzig_states(beta=0.9 * bc, theta=theta)
    above = pt.desai_zwanzig_states(beta=1.2 * bc, theta=theta)
    assert below.m.tolist() == [0.0] and below.success
    assert above.m.size == 3 and above.m[1] == 0.0 and above.m[2] > 0.1
    assert above.m[0] == -above.m[2]
    assert abs(pt.desai_zwanzig_consistency(above.m[2], beta=1.2 * bc, theta=theta)) < 1e-10
    # low temperature: mu_m concentrates at the minimum near x = m = 1 of V + theta (x - m)^2 / 2
    cold = pt.desai_zwanzig_states(beta=50.0, theta=theta)
    assert abs(cold.m[2] - 1) < 0.02, cold.m


def test_particles_relax_to_the_desai_zwanzig_polarised_state():
    beta, theta = 6.0, 1.0
    m_star = pt.desai_zwanzig_states(beta=beta, theta=theta).m[2]
    x0 = pt.make_initial_gaussian(20_000, mean=1.0, sd=0.2, rng=7)
    res = pt.simulate_particles(x0, dV=lambda x: x**3 - x, theta=theta, beta=beta, dt=0.01, n_steps=1000,
                                stiffness=20.0, rng=8)
    assert abs(res.x[-1].mean() - m_star) < 0.03, (res.x[-1].mean(), m_star)


# --- bad input -------------------------------------------------------------------------------

def test_bad_input():
    x = np.zeros(5)
    base = dict(dV=OU, beta=1.0, dt=0.1, n_steps=3)
    with pytest.raises(ValueError, match="^dt: Euler-Maruyama stability"):
        pt.simulate_particles(x, **{**base, "dt": 0.5}, stiffness=3.0)
    with pytest.raises(ValueError, match="^dt: "):
        pt.simulate_particles(x, **{**base, "dt": 0.3}, theta=5.0)
    with pytest.raises(ValueError, match="^dt: must be > 0"):
        pt.simulate_particles(x, **{**base, "dt": -1.0})
    with pytest.raises(ValueError, match="^beta: "):
        pt.simulate_particles(x, **{**base, "beta": 0.0})
    with pytest.raises(TypeError, match="^n_steps: "):
        pt.simulate_particles(x, **{**base, "n_steps": 2.5})
    with pytest.raises(ValueError, match="^interaction: unknown value 'mean'; valid values are"):
        pt.simulate_particles(x, **base, interaction="mean")
    with pytest.raises(ValueError, match="^theta: interaction='quadratic'"):
        pt.simulate_particles(x, **base, interaction="quadratic")
    with pytest.raises(ValueError, match="^dW: interaction='pairwise'"):
        pt.simulate_particles(x, **base, interaction="pairwise")
    with pytest.raises(ValueError, match="^x0: "):
        pt.simulate_particles(np.zeros((2, 2, 2)), **base)
    with pytest.raises(ValueError, match="^x0: "):
        pt.simulate_particles([0.0, np.nan], **base)
    with pytest.raises(ValueError, match="^noise: expected shape"):
        pt.simulate_particles(x, **base, noise=np.zeros((2, 5)))
    with pytest.raises(ValueError, match="^dV: non-finite drift at step 0"):
        pt.simulate_particles(x, **{**base, "dV": lambda z: np.full_like(z, np.nan)})
    with pytest.raises(TypeError, match="^dV: "):
        pt.simulate_particles(x, **{**base, "dV": 3.0})
    with pytest.raises(TypeError, match="^rng: "):
        pt.simulate_particles(x, **base, rng="seed")
    with pytest.raises(ValueError, match="^mean_field: must return"):
        pt.simulate_coupling(x, **base, mean_field=lambda t, y: 0.0)
    with pytest.raises(ValueError, match="^x: expected shape"):
        pt.pair_covariance(np.zeros(4))
    with pytest.raises(ValueError, match="^theta: the linear model"):
        pt.linear_model_moments(1.0, theta=-2.0, beta=1.0)
    with pytest.raises(ValueError, match="^beta: must be > 0"):
        pt.desai_zwanzig_states(beta=-1.0, theta=1.0)
    with pytest.raises(ValueError, match="^m: must lie in"):
        pt.desai_zwanzig_consistency(5.0, beta=1.0, theta=1.0)
    with pytest.raises(ValueError, match="^err: "):
        pt.fit_slope([1, 2], [1.0, 0.0])


def test_free_energy_three_routes_agree_at_t1():
    """PDE (finite volumes), JKO (quantiles) and particles (kNN entropy) give the same F(mu_1)."""
    from meanfield import boltzmann as bz
    from meanfield import fokker_planck as fp
    from meanfield import jko
    from meanfield import transport as tr
    from meanfield.grids import make_grid

    V = lambda x: 0.5 * x**2  # noqa: E731
    law0 = tr.gaussian_mixture([-1.5, 1.5], [0.4, 0.4])
    grid = make_grid(-6.0, 6.0, 400)
    pde = fp.solve_fokker_planck(fp.make_density(law0.pdf, grid), grid, V=V, W=V, beta=1.0, dt=2e-3, n_steps=500,
                                 save_every=500)
    run = jko.jko_lagrangian(jko.quantile_nodes(law0.ppf, 200), 0.05, 20, V=V, dV=lambda x: x, W=V, dW=lambda x: x)
    rng = np.random.default_rng(2)
    parts = pt.simulate_particles(law0.sample(20_000, rng=rng), dV=lambda x: x, beta=1.0, dt=0.01, n_steps=100,
                                  rng=rng, theta=1.0)
    x = parts.x[-1]
    h = bz.entropy_knn(x[:, None])
    F_part = np.mean(V(x)) + 0.5 * np.var(x) + h.value
    F_pde = pde.free_energy[-1]
    assert run.success and pde.success
    assert abs(F_part - F_pde) < 3 * h.se + 0.01  # kNN estimator: SE plus its small bias
    assert abs(run.free_energy[-1] - F_pde) < 0.05  # JKO: O(tau) + O(log M / M) entropy bias


def test_ou_variance_solves_its_ode():
    from scipy.integrate import solve_ivp

    t = np.linspace(0.0, 3.0, 31)
    for rate, noise, v0 in ((1.0, 2.0, 0.25), (2.5, 0.3, 4.0), (0.4, 0.0, 1.0)):
        ode = solve_ivp(lambda s, v: -2 * rate * v + noise, (0, 3), [v0], t_eval=t, rtol=1e-11, atol=1e-13)
        np.testing.assert_allclose(pt.ou_variance(t, rate=rate, noise=noise, v0=v0), ode.y[0], rtol=1e-8, atol=1e-12)


# --- new tools: exact W1 to a Gaussian, the Desai--Zwanzig pitchfork ---------------------------

def test_w1_to_gaussian_matches_scipy_and_closed_forms():
    from scipy import stats

    x = np.random.default_rng(4).normal(0.3, 1.2, 300)
    u = (np.arange(400_000) + 0.5) / 400_000
    ref = stats.wasserstein_distance(x, 0.1 + 0.9 * stats.norm.ppf(u))
    assert pt.w1_to_gaussian(x, 0.1, 0.9) == pytest.approx(ref, abs=2e-5)
    assert pt.w1_to_gaussian([2.0], 0.0, 1.0) == pytest.approx(2.0 * (2 * stats.norm.cdf(2) - 1) + 2 * stats.norm.pdf(2))
    with pytest.raises(ValueError, match="sd"):
        pt.w1_to_gaussian([0.0], 0.0, 0.0)
    with pytest.raises(ValueError, match="x"):
        pt.w1_to_gaussian([np.nan], 0.0, 1.0)


def test_pitchfork_branches_solve_the_self_consistency_and_change_stability_at_beta_c():
    betas = np.array([1.5, 2.0, 2.5, 3.0, 4.0, 6.0])
    res = pt.desai_zwanzig_pitchfork(betas, theta=1.0)
    bc = pt.desai_zwanzig_critical_beta(1.0)
    np.testing.assert_array_equal(res.zero_stable, betas < bc)
    assert np.all(np.isnan(res.m_star[betas <= bc])) and np.all(res.m_star[betas > bc] > 0)
    for b, m in zip(betas[betas > bc], res.m_star[betas > bc]):
        assert abs(pt.desai_zwanzig_consistency(m, beta=b, theta=1.0)) < 1e-10
        assert m == pytest.approx(pt.desai_zwanzig_states(beta=b, theta=1.0).m.max(), abs=1e-9)
    # near beta_c the branch opens like a square root: m*^2 / (beta - beta_c) tends to a constant
    near = pt.desai_zwanzig_pitchfork(bc + np.array([1e-3, 4e-3]), theta=1.0).m_star
    assert (near[1] / near[0]) ** 2 == pytest.approx(4.0, rel=0.02)
    with pytest.raises(ValueError, match="betas"):
        pt.desai_zwanzig_pitchfork([-1.0], theta=1.0)


# --- exercises of the chapter propagation_of_chaos --------------------------------------------------

def test_exercise_variance():
    from exercise_cells import solution_answer

    lm = pt.linear_model_moments(np.array([1.0]), theta=1.0, beta=1.0, m0=0.5, s0=0.5, n_particles=10)
    assert solution_answer("propagation_of_chaos", "ex-propagation_of_chaos-variance") == pytest.approx(
        lm.particle_var[0], rel=0.015)


def test_exercise_sampling():
    from scipy import integrate, stats

    from exercise_cells import solution_answer

    limit = np.sqrt(2 / np.pi) * integrate.quad(lambda x: np.sqrt(stats.norm.cdf(x) * stats.norm.sf(x)),
                                                -np.inf, np.inf)[0]
    assert solution_answer("propagation_of_chaos", "ex-propagation_of_chaos-sampling") == pytest.approx(limit, rel=0.03)


def test_pitchfork_with_a_given_beta_c_is_the_same():
    bc = pt.desai_zwanzig_critical_beta(1.5)
    a = pt.desai_zwanzig_pitchfork([1.0, 2.0, 3.0], theta=1.5)
    b = pt.desai_zwanzig_pitchfork([1.0, 2.0, 3.0], theta=1.5, beta_c=bc)
    np.testing.assert_array_equal(a.m_star, b.m_star)
    with pytest.raises(ValueError, match="beta_c"):
        pt.desai_zwanzig_pitchfork([1.0], theta=1.0, beta_c=-1.0)
