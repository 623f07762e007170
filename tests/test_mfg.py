"""Tests of meanfield.mfg: LQ closed forms, the finite-difference MFG solver, systemic risk.

Also: the LQ game whose mean moves (closed form against solve_bvp, FD at
first order in (h, dt), agent paths), the N-player value functions (ODEs,
rate 1/N), and the computational exercises of lq_mfg and n_players.

Closed forms against solve_ivp, the FD solver against the Gaussian LQ MFG
(accuracy, first-order convergence, mass, positivity, flagged
non-convergence), and the Carmona--Fouque--Sun model (eta_N closed form,
the paper's formula, its N -> infinity rate, the common-noise simulation).
The section's deterministic example is tested in test_claims_games.py."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from meanfield import mfg
from meanfield.grids import make_grid
from exercise_cells import solution_answer


# --- 1. Gaussian LQ MFG ------------------------------------------------------------

@pytest.mark.parametrize("q,c_T", [(1.0, 0.5), (2.0, 3.0), (0.0, 1.0), (1.0, 0.0), (4.0, 2.0)])
def test_lq_closed_form_matches_solve_ivp(q, c_T):
    t = np.linspace(0, 2, 17)
    kw = dict(q=q, c_T=c_T, sigma=0.7, mu0=-0.4, s0=0.3, T=2.0)
    a = mfg.lq_gaussian_mfg(t, **kw)
    b = mfg.lq_gaussian_mfg(t, method="solve_ivp", **kw)
    assert a.success and b.success and b.method == "solve_ivp"
    for f in ("P", "r", "var"):
        np.testing.assert_allclose(getattr(a, f), getattr(b, f), rtol=0, atol=1e-8)
    assert a.P[-1] == pytest.approx(c_T) and a.r[-1] == 0 and a.var[0] == pytest.approx(0.09)
    np.testing.assert_array_equal(a.mean, -0.4)
    np.testing.assert_allclose(a.feedback([-0.4])[:, 0], 0)  # zero feedback at the mean


def test_lq_special_cases():
    t = np.linspace(0, 1, 5)
    # c_T = sqrt(q) and s0^2 = sigma^2/(2 sqrt q): stationary
    sol = mfg.lq_gaussian_mfg(t, q=4.0, c_T=2.0, sigma=1.0, s0=0.5)
    np.testing.assert_allclose(sol.P, 2.0, rtol=1e-14)
    np.testing.assert_allclose(sol.var, 0.25, rtol=1e-13)
    # q = c_T = 0: Brownian motion, Sigma = s0^2 + sigma^2 t
    sol = mfg.lq_gaussian_mfg(t, q=0.0, c_T=0.0, sigma=0.5, s0=1.0)
    np.testing.assert_allclose(sol.var, 1 + 0.25 * t, rtol=1e-14)
    # long horizon: P(0) -> sqrt(q), Sigma(T/2) -> sigma^2/(2 sqrt q)
    sol = mfg.lq_gaussian_mfg([0.0, 20.0], q=1.0, c_T=5.0, sigma=1.0, s0=3.0, T=40.0)
    np.testing.assert_allclose([sol.P[0], sol.var[1]], [1.0, 0.5], rtol=1e-12)


def test_lq_bad_input():
    with pytest.raises(ValueError, match="^q:"):
        mfg.lq_gaussian_mfg([0.0], q=-1, c_T=1, sigma=1)
    with pytest.raises(ValueError, match="^method:"):
        mfg.lq_gaussian_mfg([0.0], q=1, c_T=1, sigma=1, method="euler")
    with pytest.raises(TypeError, match="^sigma:"):
        mfg.lq_gaussian_mfg([0.0], q=1, c_T=1, sigma="1")
    with pytest.raises(ValueError, match="^t:"):
        mfg.lq_gaussian_mfg([2.0], q=1, c_T=1, sigma=1, T=1.0)


# --- 2. finite-difference solver ----------------------------------------------------

SIG, Q, CT, MU0, S0 = 0.6, 1.0, 0.5, 0.3, 0.5


def _lq_fd(n, n_steps, **kw):
    g = make_grid(-3.0, 3.5, n)  # not symmetric about MU0
    m0 = np.exp(-((g.centers - MU0) ** 2) / (2 * S0**2))
    F, G = mfg.lq_couplings(Q, CT)
    res = mfg.solve_mfg_fd(g, m0, F, G, T=1.0, nu=SIG**2 / 2, n_steps=n_steps, **kw)
    ex = mfg.lq_gaussian_mfg(res.t, q=Q, c_T=CT, sigma=SIG, mu0=MU0, s0=S0)
    return res, ex


def test_fd_lq_default_grid_matches_closed_form():
    res, ex = _lq_fd(200, 50)
    assert res.success, res.message
    assert np.max(np.abs(res.mean() - ex.mean)) < 1e-2
    assert np.max(np.abs(res.var() - ex.var)) < 1e-2
    assert np.max(np.abs(res.mass - 1)) < 1e-12
    assert res.m.min() >= 0
    assert res.residual[-1] <= 1e-8 and len(res.residual) == res.n_iter
    # the discrete feedback -D u ~ -P(t)(x - mu0) in the bulk
    bulk = np.abs(res.x - MU0) < 1.0
    du = np.gradient(res.u[0], res.x)
    assert np.max(np.abs(du[bulk] - ex.P[0] * (res.x[bulk] - MU0))) < 0.05


def test_fd_lq_first_order_convergence():
    errs = []
    ns = np.array([100, 200, 400])
    for n in ns:
        res, ex = _lq_fd(n, n // 4, damping=1.0)
        assert res.success
        errs.append(np.max(np.abs(res.var() - ex.var)))
    order = -np.polyfit(np.log(ns), np.log(errs), 1)[0]
    assert 0.9 < order < 1.2, (errs, order)


@pytest.mark.parametrize("boundary", ["neumann", "periodic"])
def test_fd_local_coupling_fixed_point_mass_positivity(boundary):
    g = make_grid(0.0, 1.0, 80)
    x = g.centers
    m0 = 1 + 0.8 * np.cos(2 * np.pi * x) + (x > 0.7)
    F = lambda x, m: 0.5 * m + np.sin(2 * np.pi * x)  # noqa: E731  congestion
    G = lambda x, m: np.zeros_like(x)  # noqa: E731
    res = mfg.solve_mfg_fd(g, m0, F, G, T=0.5, nu=0.1, n_steps=40, boundary=boundary,
                           damping=0.5, tol=1e-8)
    assert res.success, res.message
    assert res.n_iter > 3  # a genuine fixed point
    assert np.max(np.abs(res.mass - 1)) < 1e-12 and res.m.min() >= 0
    # residuals decrease geometrically towards the end
    assert np.all(np.diff(np.log(res.residual[-5:])) < 0)
    np.testing.assert_allclose(res.u[-1], 0)


def test_fd_flags_non_convergence():
    g = make_grid(0.0, 1.0, 40)
    F = lambda x, m: 5.0 * m  # noqa: E731
    G = lambda x, m: np.zeros_like(x)  # noqa: E731
    res = mfg.solve_mfg_fd(g, 1 + (g.centers > 0.5), F, G, T=0.5, nu=0.05, n_steps=10,
                           max_iter=2, tol=1e-12)
    assert not res.success
    assert "no convergence" in res.message and res.n_iter == 2 and res.residual.shape == (2,)
    assert res.residual[-1] > 1e-12


def test_fd_bad_input():
    g = make_grid(0.0, 1.0, 10)
    F, G = mfg.lq_couplings(1.0, 1.0)
    kw = dict(T=1.0, nu=0.1, n_steps=5)
    with pytest.raises(ValueError, match="^m0:"):
        mfg.solve_mfg_fd(g, -np.ones(10), F, G, **kw)
    with pytest.raises(ValueError, match="^m0:"):
        mfg.solve_mfg_fd(g, np.ones(9), F, G, **kw)
    with pytest.raises(TypeError, match="^grid:"):
        mfg.solve_mfg_fd(np.linspace(0, 1, 10), np.ones(10), F, G, **kw)
    with pytest.raises(ValueError, match="^damping:"):
        mfg.solve_mfg_fd(g, np.ones(10), F, G, damping=0.0, **kw)
    with pytest.raises(ValueError, match="^boundary:"):
        mfg.solve_mfg_fd(g, np.ones(10), F, G, boundary="dirichlet", **kw)
    with pytest.raises(ValueError, match="^F:"):
        mfg.solve_mfg_fd(g, np.ones(10), lambda x, m: 1.0, G, **kw)
    with pytest.raises(TypeError, match="^F, G:"):
        mfg.solve_mfg_fd(g, np.ones(10), None, G, **kw)


# --- 3. Carmona--Fouque--Sun systemic risk ------------------------------------------

PAR = dict(a=1.0, q=0.5, eps=1.5, c=0.7)


def _paper_eta(t, N, a, q, eps, c, T):
    """The closed form as printed in Carmona--Fouque--Sun (exponential growth form)."""
    B, C = 1 - 1 / N**2, eps - q**2
    R = (a + q) ** 2 + B * C
    dp, dm = -(a + q) + np.sqrt(R), -(a + q) - np.sqrt(R)
    E = np.exp((dp - dm) * (T - t))
    return (-C * (E - 1) - c * (dp * E - dm)) / ((dm * E - dp) - c * B * (E - 1))


@pytest.mark.parametrize("N", [1, 2, 5, 50, np.inf])
def test_eta_closed_form_solve_ivp_and_paper(N):
    t = np.linspace(0, 2, 21)
    e = mfg.systemic_risk_eta(t, N=N, T=2.0, **PAR)
    np.testing.assert_allclose(mfg.systemic_risk_eta(t, N=N, T=2.0, method="solve_ivp", **PAR),
                               e, rtol=0, atol=1e-8)
    NN = 1e10 if N == np.inf else N  # 1 - 1/N^2 == 1.0 in floating point
    np.testing.assert_allclose(_paper_eta(t, NN, T=2.0, **PAR), e, rtol=1e-12)
    assert e[-1] == pytest.approx(PAR["c"])


def test_eta_degenerate_and_long_horizon():
    # R = 0 (a = q = 0, eps = q^2): eta' = B eta^2, eta = c/(1 + c B (T - t))
    t = np.linspace(0, 1, 5)
    e = mfg.systemic_risk_eta(t, N=2, a=0.0, q=0.0, eps=0.0, c=2.0)
    np.testing.assert_allclose(e, 2 / (1 + 2 * 0.75 * (1 - t)), rtol=1e-14)
    # T -> infinity: eta(0) -> the positive root delta^+/B of B eta^2 + 2(a+q) eta - C
    B, C, s = 1 - 1 / 9, 1.5 - 0.25, 1.5
    root = (-s + np.sqrt(s**2 + B * C)) / B
    assert mfg.systemic_risk_eta(0.0, N=3, T=50.0, **PAR) == pytest.approx(root, rel=1e-13)


def test_eta_N_to_infinity_rates():
    Ns = np.array([4, 8, 16, 32, 64, 128])
    t = np.linspace(0, 1, 11)
    e_inf = mfg.systemic_risk_eta(t, N=np.inf, **PAR)
    d_eta = [np.max(np.abs(mfg.systemic_risk_eta(t, N=N, **PAR) - e_inf)) for N in Ns]
    d_gain = [np.max(np.abs((1 - 1 / N) * mfg.systemic_risk_eta(t, N=N, **PAR) - e_inf))
              for N in Ns]
    rate_eta = -np.polyfit(np.log(Ns), np.log(d_eta), 1)[0]
    rate_gain = -np.polyfit(np.log(Ns), np.log(d_gain), 1)[0]
    assert abs(rate_eta - 2) < 0.02, rate_eta  # eta depends on N through 1 - 1/N^2
    assert abs(rate_gain - 1) < 0.05, rate_gain  # the feedback gain: 1/N


def test_simulation_common_noise_does_not_average_out():
    sigma, rho, T, n_steps, n_paths = 0.8, 0.6, 1.0, 20, 3000
    rng = np.random.default_rng(7)
    dt = T / n_steps
    dW0 = rng.normal(0, np.sqrt(dt), (n_paths, n_steps))
    dW = rng.normal(0, np.sqrt(dt), (n_paths, n_steps, 100))
    Ns = np.array([1, 4, 25, 100])
    var_bar, var_idio = [], []
    for N in Ns:
        x0 = np.linspace(-1, 1, N)
        p = mfg.simulate_systemic_risk(x0, sigma=sigma, rho=rho, T=T, n_steps=n_steps,
                                       dW0=dW0, dW=dW, **PAR)
        assert p.X.shape == (n_paths, n_steps + 1, N)
        # pathwise: Xbar_T - Xbar_0 = sigma(rho W0_T + sqrt(1 - rho^2) mean_i W^i_T)
        exact = sigma * np.sqrt(1 - rho**2) * dW[:, :, :N].sum(axis=1).mean(axis=1)
        np.testing.assert_allclose(p.idiosyncratic[:, -1], exact, atol=1e-12)
        np.testing.assert_allclose(p.common[:, -1] - x0.mean(), sigma * rho * dW0.sum(axis=1),
                                   atol=1e-12)
        var_bar.append(p.Xbar[:, -1].var())
        var_idio.append(p.idiosyncratic[:, -1].var())
    closed = sigma**2 * T * (rho**2 + (1 - rho**2) / Ns)
    np.testing.assert_allclose(var_bar, closed, rtol=0.1)
    assert var_bar[-1] > 0.9 * sigma**2 * rho**2 * T  # does not vanish as N grows
    slope = np.polyfit(np.log(Ns), np.log(var_idio), 1)[0]
    assert abs(slope + 1) < 0.1, slope


def test_simulation_dispersion_matches_nash_ode():
    # v = E (X^i - Xbar)^2 averaged over i: v' = -2 kappa v + sigma^2 (1 - rho^2)(1 - 1/N)
    N, sigma, rho, T, n_steps = 10, 1.0, 0.5, 1.0, 400
    p = mfg.simulate_systemic_risk(np.zeros(N), sigma=sigma, rho=rho, T=T, n_steps=n_steps,
                                   n_paths=800, rng=3, **PAR)
    v_mc = ((p.X - p.Xbar[:, :, None]) ** 2).mean(axis=(0, 2))
    kap = lambda s: PAR["a"] + PAR["q"] + (1 - 1 / N) * mfg.systemic_risk_eta(s, N=N, **PAR)  # noqa: E731
    ode = solve_ivp(lambda s, v: -2 * kap(s) * v + sigma**2 * (1 - rho**2) * (1 - 1 / N),
                    (0, T), [0.0], t_eval=[T], rtol=1e-10)
    assert v_mc[-1] == pytest.approx(ode.y[0, -1], rel=0.05)


def test_systemic_risk_bad_input():
    with pytest.raises(ValueError, match="^eps:"):
        mfg.systemic_risk_eta(0.0, N=2, a=1, q=2, eps=1, c=0)
    with pytest.raises(ValueError, match="^N:"):
        mfg.systemic_risk_eta(0.0, N=0, **PAR)
    with pytest.raises(ValueError, match="^rho:"):
        mfg.simulate_systemic_risk(np.zeros(3), sigma=1, rho=1.5, **PAR)
    with pytest.raises(ValueError, match="^dW:"):
        mfg.simulate_systemic_risk(np.zeros(3), sigma=1, rho=0.5, n_steps=4,
                                   dW0=np.zeros((2, 4)), dW=np.zeros((2, 4, 2)), **PAR)
    with pytest.raises(ValueError, match="^dW0:"):
        mfg.simulate_systemic_risk(np.zeros(3), sigma=1, rho=0.5, n_steps=4,
                                   dW0=np.zeros((2, 5)), **PAR)


# --- the LQ game whose mean moves (target) ------------------------------------------------

TGT = dict(q=1.0, c_T=0.5, kappa=2.0, gamma=1.0, xi=2.0, sigma=0.6, mu0=0.0, s0=0.4, T=1.0)


@pytest.mark.parametrize("kappa,gamma", [(2.0, 1.0), (0.0, 1.0), (3.0, 0.0), (0.5, 4.0)])
def test_target_closed_form_matches_the_boundary_value_problem(kappa, gamma):
    t = np.linspace(0, 1, 41)
    kw = dict(TGT, kappa=kappa, gamma=gamma)
    a = mfg.lq_target_mfg(t, **kw)
    b = mfg.lq_target_mfg(t, method="solve_bvp", **kw)
    assert a.success and b.success
    for f in ("mean", "velocity", "var", "P", "s"):
        np.testing.assert_allclose(getattr(a, f), getattr(b, f), rtol=0, atol=1e-8)
    assert a.mean[0] == pytest.approx(0.0)
    # the backward boundary condition m'(T) = -gamma (m_T - xi), and m'' = kappa (m - xi)
    assert a.velocity[-1] == pytest.approx(-gamma * (a.mean[-1] - 2.0), abs=1e-12)
    acc = np.gradient(a.velocity, t)
    np.testing.assert_allclose(acc[2:-2], kappa * (a.mean[2:-2] - 2.0), atol=5e-3)
    # P and Sigma are those of the centred game with q + kappa, c_T + gamma
    c = mfg.lq_gaussian_mfg(t, q=1.0 + kappa, c_T=0.5 + gamma, sigma=0.6, s0=0.4)
    np.testing.assert_allclose(a.P, c.P, rtol=1e-14)
    np.testing.assert_allclose(a.var, c.var, rtol=1e-14)


def test_target_finite_differences_converge_to_the_closed_form():
    F, G = mfg.lq_target_couplings(1.0, 0.5, 2.0, 1.0, 2.0)
    errs = []
    for n in (80, 160, 320):
        g = make_grid(-3.0, 5.0, n)
        res = mfg.solve_mfg_fd(g, np.exp(-g.centers**2 / (2 * 0.4**2)), F, G, T=1.0, nu=0.18, n_steps=n // 2)
        assert res.success and np.max(np.abs(res.mass - 1)) < 1e-12 and res.m.min() >= 0
        ex = mfg.lq_target_mfg(res.t, **TGT)
        errs.append(np.max(np.abs(res.mean() - ex.mean)))
    assert errs[-1] < 0.015
    assert errs[0] / errs[1] > 1.6 and errs[1] / errs[2] > 1.6, errs  # first order in (h, dt)


def test_agents_follow_the_mean_and_spread_like_the_closed_form():
    t = np.linspace(0, 1, 201)
    sol = mfg.lq_target_mfg(t, **TGT)
    # deterministic agents started at the mean follow the mean (Euler error O(dt))
    X = mfg.simulate_lq_agents(sol, [0.0])
    assert np.max(np.abs(X[:, 0] - sol.mean)) < 1e-2
    rng = np.random.default_rng(0)
    X = mfg.simulate_lq_agents(sol, rng.normal(0, 0.4, 4000), sigma=0.6, rng=1)
    assert X[-1].mean() == pytest.approx(sol.mean[-1], abs=0.03)
    assert X[-1].var() == pytest.approx(sol.var[-1], rel=0.08)


def test_target_bad_input():
    with pytest.raises(ValueError, match="^kappa:"):
        mfg.lq_target_mfg([0.0], **dict(TGT, kappa=-1.0))
    with pytest.raises(ValueError, match="^method:"):
        mfg.lq_target_mfg([0.0], method="shooting", **TGT)
    with pytest.raises(ValueError, match="^solution:"):
        mfg.simulate_lq_agents(mfg.lq_target_mfg([0.0, 0.1, 0.5], **TGT), [0.0])


def test_exercise_lq_target_mean():
    k = np.sqrt(2.0)
    closed = 2.0 - 2.0 / (np.cosh(k) + np.sinh(k) / k)
    assert solution_answer("lq_mfg", "ex-lq_mfg-target") == pytest.approx(closed, abs=0.06)  # 80 cells


# --- value functions of the N-player game ---------------------------------------------------

MODEL = dict(a=1.0, q=1.0, eps=2.0, c=0.5, T=1.0)


@pytest.mark.parametrize("N,rho", [(3, 0.0), (10, 0.6), (np.inf, 0.0), (np.inf, 0.5)])
def test_value_function_solves_its_odes(N, rho):
    t = np.linspace(0, 1, 11)
    v = mfg.systemic_risk_value(t, N=N, sigma=0.5, rho=rho, **MODEL)
    B = 1.0 if N == np.inf else 1 - 1 / N**2
    k = 0.5 * 0.25 * (1 - rho**2) * (1.0 if N == np.inf else 1 - 1 / N)
    ode = solve_ivp(lambda s, y: [-(2 * 2.0 * y[0] + B * y[0] ** 2 - 1.0), k * y[0]], (0, 1), [0.5, 0.0],
                    t_eval=1 - t[::-1], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(v.eta, ode.y[0][::-1], atol=1e-9)
    np.testing.assert_allclose(v.mu, ode.y[1][::-1], atol=1e-9)
    assert v.success and v.mu[-1] == 0


def test_value_functions_converge_at_rate_one_over_N():
    t = np.linspace(0, 1, 51)
    Ns = np.array([4, 8, 16, 32, 64])
    y = np.linspace(0, 1, 5)
    inf = mfg.systemic_risk_value(t, N=np.inf, sigma=0.5, rho=0.0, **MODEL).value(y)
    gaps = [np.max(np.abs(mfg.systemic_risk_value(t, N=N, sigma=0.5, rho=0.0, **MODEL).value(y) - inf))
            for N in Ns]
    slope = np.polyfit(np.log(Ns), np.log(gaps), 1)[0]
    assert abs(slope + 1) < 0.02, slope
    # the leading term: mu_N - mu_inf ~ -(sigma^2/(2N)) int_0^T eta_inf at t = 0
    e = mfg.systemic_risk_eta(t, N=np.inf, **MODEL)
    lead = 0.25 / 2 * np.sum((e[1:] + e[:-1]) / 2 * np.diff(t))
    v64 = mfg.systemic_risk_value([0.0], N=64, sigma=0.5, rho=0.0, **MODEL)
    vinf = mfg.systemic_risk_value([0.0], N=np.inf, sigma=0.5, rho=0.0, **MODEL)
    assert 64 * (vinf.mu[0] - v64.mu[0]) == pytest.approx(lead, rel=0.03)


def test_exercise_n_players_three():
    def value(B, w):  # eta and mu at 0 by solve_ivp, y = 0.5
        sol = solve_ivp(lambda s, y: [-(4.0 * y[0] + B * y[0] ** 2 - 1.0), 0.125 * w * y[0]], (0, 1), [0.5, 0.0],
                        rtol=1e-12, atol=1e-14)
        return 0.5 * sol.y[0, -1] * 0.25 + sol.y[1, -1]

    ref = value(1 - 1 / 9, 1 - 1 / 3) - value(1.0, 1.0)
    assert solution_answer("n_players", "ex-n_players-three") == pytest.approx(ref, rel=1e-8)


def test_exercise_n_players_common():
    theory = 0.25 * (0.64 + 0.36 / 10)
    assert solution_answer("n_players", "ex-n_players-common") == pytest.approx(theory, rel=4 * np.sqrt(2 / 1999))
