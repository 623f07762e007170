"""Tests of meanfield.sphere: tokens on the sphere driven by a common Brownian motion.

Closed forms of spherical Brownian motion (degree-1 and degree-2 harmonics),
the exact moments of the geodesic scheme (confluent hypergeometric
functions), the Itô drift of the pair overlaps (algebra, finite differences
and a one-step Monte Carlo), the large-d logistic ODE, the exact Lyapunov
exponent of the two-point motion, the one-token law (KS test, moments) and
bad input. All seeded."""

import numpy as np
import pytest
from scipy import integrate

from meanfield import sphere as sp


# --- the integrator -----------------------------------------------------------------

def test_tokens_stay_on_the_sphere_over_long_runs():
    x0 = sp.uniform_tokens(6, 5, n_systems=20, rng=0)
    res = sp.simulate_tokens(x0, beta=3.0, dt=0.02, n_steps=5000, rng=1, save_every=1000)
    assert res.x.shape == (6, 20, 6, 5) and np.allclose(res.t_saved, [0, 20, 40, 60, 80, 100])
    assert np.max(np.abs(np.linalg.norm(res.x, axis=-1) - 1)) < 1e-12
    assert res.max_step_norm_error < 1e-12  # the exponential map itself stays on the sphere
    # the stored R-bar and kappa histories are the O(n d) identities of the saved states
    assert np.max(np.abs(res.rbar[::1000] - sp.pair_overlap(res.x))) < 1e-12
    assert np.max(np.abs(res.kappa[::1000] - sp.attention_strength(res.x, 3.0))) < 1e-12


def test_pair_overlap_equals_gram_matrix_mean():
    x = sp.uniform_tokens(7, 4, n_systems=3, rng=2)
    g = np.einsum("rid,rjd->rij", x, x)
    iu = np.triu_indices(7, 1)
    assert np.max(np.abs(sp.pair_overlap(x) - g[:, iu[0], iu[1]].mean(axis=1))) < 1e-14
    # q = 1/n + (1 - 1/n) R-bar for unit vectors
    q = np.sum(x.mean(axis=1) ** 2, axis=-1)
    assert np.max(np.abs(q - (1 / 7 + 6 / 7 * sp.pair_overlap(x)))) < 1e-14


def test_systems_are_independent_and_noise_is_common_within_a_system():
    x0 = sp.uniform_tokens(4, 3, n_systems=3, rng=3)
    noise = np.random.default_rng(4).standard_normal((50, 3, 3))
    full = sp.simulate_tokens(x0, beta=2.0, dt=0.01, n_steps=50, noise=noise)
    for r in range(3):
        one = sp.simulate_tokens(x0[r], beta=2.0, dt=0.01, n_steps=50, noise=noise[:, r])
        assert np.max(np.abs(one.x[-1] - full.x[-1, r])) < 1e-14
    # tokens starting at the same point see the same noise: they stay equal
    same = np.repeat(x0[:, :1], 4, axis=1)
    res = sp.simulate_tokens(same, beta=2.0, dt=0.01, n_steps=50, rng=5)
    assert np.max(np.abs(res.x[-1] - res.x[-1][:, :1])) == 0.0
    assert np.allclose(res.kappa, 2.0 / 3)  # |mean| = 1: kappa = beta / d


def test_one_token_moments_match_closed_form_ito_not_stratonovich():
    """E<x_T, x_0> and E<x_T, x_0>^2 for constant kappa, within MC error; the wrong convention is far off."""
    kappa, T, dt, R = 1.0, 1.0, 0.01, 20000
    for d in (3, 10):
        x0 = sp.uniform_tokens(2, d, n_systems=R, rng=10 + d)
        res = sp.simulate_tokens(x0, kappa=kappa, dt=dt, n_steps=100, rng=20 + d)
        a = np.sum(res.x[-1][:, 0] * x0[:, 0], axis=-1)
        m1, m2 = sp.overlap_moments(T, kappa=kappa, d=d)
        se1, se2 = a.std() / np.sqrt(R), (a * a).std() / np.sqrt(R)
        assert abs(a.mean() - m1) < 4 * se1, (d, a.mean(), m1, se1)
        assert abs((a * a).mean() - m2) < 4 * se2, (d, (a * a).mean(), m2, se2)
        # reading the talk's SDE as Stratonovich doubles the drift: E<x_T, x_0> = e^{-kappa (d-1) T}
        assert abs(a.mean() - np.exp(-kappa * (d - 1) * T)) > 4 * se1
    # the same holds for the exact moments of the scheme (weak error O(dt))
    s1, s2 = sp.scheme_overlap_moments(100, dt=dt, kappa=kappa, d=3)
    m1, m2 = sp.overlap_moments(T, kappa=kappa, d=3)
    assert 1e-5 < abs(s1 - m1) < 2e-3 and abs(s2 - m2) < 2e-3


def test_scheme_moments_are_first_order_and_match_a_second_method():
    kappa, d, T = 0.8, 5, 1.0
    m1, m2 = sp.overlap_moments(T, kappa=kappa, d=d)
    errs = []
    for n in (50, 100, 200, 400):
        s1, s2 = sp.scheme_overlap_moments(n, dt=T / n, kappa=kappa, d=d)
        errs.append(abs(s1 - m1) + abs(s2 - m2))
    ratios = np.array(errs[:-1]) / np.array(errs[1:])
    assert np.all(np.abs(ratios - 2) < 0.1), ratios  # weak order 1
    # c1 = E cos(sqrt(kappa dt) chi_{d-1}) by quadrature against the chi density (second method)
    from scipy import stats
    h = kappa * T / 50
    c1_quad = integrate.quad(lambda r: np.cos(np.sqrt(h) * r) * stats.chi.pdf(r, d - 1), 0, np.inf)[0]
    assert abs(sp.scheme_overlap_moments(1, dt=T / 50, kappa=kappa, d=d)[0] - c1_quad) < 1e-10


def test_stratonovich_correction_is_the_ito_drift():
    x = sp.uniform_tokens(5, 6, rng=6)
    for h in (1e-2, 1e-4):
        corr = sp.stratonovich_correction(x, h=h)
        assert np.max(np.abs(corr + 2.5 * x)) < 1e-9  # -(d - 1)/2 x, d = 6


# --- pair statistics ------------------------------------------------------------------

def test_drift_forms_agree_and_qv():
    r = np.linspace(-1, 1, 201)
    for d in (2, 3, 17, 500):
        k = 0.37
        assert np.max(np.abs(sp.r_drift(r, k, d) - sp.r_drift_talk(r, k, d))) < 1e-12
    # quadratic variation: kappa |P_x y + P_y x|^2 with the explicit projections
    x, y = sp.uniform_tokens(2, 7, rng=7)
    rr = x @ y
    g = (y - rr * x) + (x - rr * y)
    assert abs(0.6 * g @ g - sp.r_quadratic_variation(rr, 0.6)) < 1e-12
    # Ito: d<x, y> = <dx, y> + <x, dy> + <dx, dy>, with <dx, dy> = kappa tr(P_x P_y) dt = kappa (d - 2 + R^2) dt
    px, py = np.eye(7) - np.outer(x, x), np.eye(7) - np.outer(y, y)
    assert abs(np.trace(px @ py) - (7 - 2 + rr**2)) < 1e-12
    ito = -0.6 * (7 - 1) * rr + 0.6 * np.trace(px @ py)  # two drifts -(kappa/2)(d-1)R plus the bracket
    assert abs(ito - sp.r_drift(rr, 0.6, 7)) < 1e-12


def test_one_step_monte_carlo_drift():
    for d in (3, 8):
        x = sp.uniform_tokens(4, d, rng=30 + d)
        x[1] = 0.3 * x[0] + np.sqrt(0.91) * np.linalg.qr(np.stack([x[0], x[1]], axis=1))[0][:, 1]  # R_01 = 0.3
        est, se = sp.one_step_drift(x, beta=4.0, dt=1e-4, n_samples=50000, rng=40 + d)
        kap = float(sp.attention_strength(x, 4.0))
        exact = float(sp.r_drift(x[0] @ x[1], kap, d))
        assert abs(x[0] @ x[1] - 0.3) < 1e-12 and abs(est - exact) < 4 * se, (d, est, exact, se)
        assert se < 0.01 * abs(exact)  # tight: a 1/d mistake in the drift would be detected
        assert abs(est - d * kap * (1 - x[0] @ x[1])) > 4 * se  # the large-d form is not exact


def test_large_d_ode_closed_form_and_error_shrinks_with_d():
    beta, n, T, dt = 4.0, 8, 1.5, 0.01
    t = np.linspace(0, T, 151)
    big = sp.large_d_overlap(t, beta=beta, n=n)
    assert np.max(np.abs(sp.overlap_ode(t, beta=beta, n=n) - big)) < 1e-9  # solve_ivp vs closed form
    q = 1 / n + (1 - 1 / n) * big
    assert np.max(np.abs(np.gradient(q, t)[1:-1] - beta * q[1:-1] * (1 - q[1:-1]))) < 2e-3  # logistic
    errs, ses = [], []
    for d in (8, 32, 128):
        x0 = sp.uniform_tokens(n, d, n_systems=200, rng=50 + d)
        res = sp.simulate_tokens(x0, beta=beta, dt=dt, n_steps=150, rng=60 + d)
        per = (big[:, None] - res.rbar).mean(axis=0)  # time-averaged error of each system
        errs.append(per.mean())
        ses.append(per.std(ddof=1) / np.sqrt(200))
    errs, ses = np.array(errs), np.array(ses)
    assert np.all(errs > 4 * ses), (errs, ses)  # the finite-d deviation is resolved (signed: below the ODE)
    assert errs[0] > errs[1] > errs[2], errs
    d_err = errs * np.array([8, 32, 128])
    assert np.all((d_err > 1.0) & (d_err < 3.5)), d_err  # error ~ C / d
    assert sp.large_d_overlap(10.0, beta=beta, n=n) > 0.999  # clustering R -> 1


# --- one-token law ----------------------------------------------------------------------

def test_one_token_law_stays_uniform_while_tokens_cluster():
    d, n, beta, R = 3, 8, 10.0, 2000
    x0 = sp.uniform_tokens(n, d, n_systems=R, rng=70)
    res = sp.simulate_tokens(x0, beta=beta, dt=0.01, n_steps=300, rng=71)
    assert res.rbar[-1].mean() > 0.75  # strong clustering
    for e in range(d):
        u = sp.coordinate_uniformity(res.x[-1][:, 0, e], d)
        assert u.ks_pvalue > 1e-3, (e, u.ks_pvalue)
        assert abs(u.mean_s2 - 1 / d) < 4 * u.se_s2 and abs(u.mean_s) < 4 * u.se_s
    # the test has power: the clustered (non-uniform) start below is rejected
    p = np.array([0.0, 0.0, 1.0])
    xc = np.broadcast_to(p, (R, n, d)).copy()
    rc = sp.simulate_tokens(xc, beta=5.0, dt=0.01, n_steps=50, rng=72)
    a = rc.x[-1][:, 0] @ p
    exact = np.exp(-5.0 * (d - 1) * 0.5 / (2 * d))
    assert abs(a.mean() - exact) < 4 * a.std() / np.sqrt(R), (a.mean(), exact)
    assert sp.coordinate_uniformity(a, d).ks_pvalue < 1e-10


def test_coordinate_density_is_a_normalised_beta_law():
    for d in (2.0, 3, 4, 9, 50):
        d = int(d)
        mass = integrate.quad(lambda s: sp.coordinate_density(s, d), -1, 1)[0]
        m2 = integrate.quad(lambda s: s * s * sp.coordinate_density(s, d), -1, 1)[0]
        assert abs(mass - 1) < 1e-8 and abs(m2 - 1 / d) < 1e-8
    assert np.allclose(sp.coordinate_density(np.array([-0.5, 0.9]), 3), 0.5)


# --- synchronisation -----------------------------------------------------------------------

def test_lyapunov_exponent_of_the_two_point_motion():
    for d, kappa in ((3, 1.0), (10, 0.5)):
        L = sp.two_point_lyapunov(kappa=kappa, d=d, t_final=5.0, dt=0.005, n_pairs=1000, rng=80 + d)
        assert L.exact == -kappa * (d - 1) / 2
        assert abs(L.slope - L.exact) < 4 * L.se, (d, L.slope, L.exact, L.se)
        assert L.se < 0.02 * abs(L.exact)


# --- bad input ------------------------------------------------------------------------------

def test_bad_input():
    x = sp.uniform_tokens(3, 4, rng=0)
    base = dict(beta=1.0, dt=0.01, n_steps=2)
    with pytest.raises(ValueError, match="^x0: dimension d"):
        sp.simulate_tokens(np.array([[1.0], [1.0]]), **base)
    with pytest.raises(ValueError, match="^x0: number of tokens n"):
        sp.simulate_tokens(x[:1], **base)
    with pytest.raises(ValueError, match="^x0: expected shape"):
        sp.simulate_tokens(x[0], **base)
    with pytest.raises(ValueError, match="^x0: tokens must be unit vectors"):
        sp.simulate_tokens(2 * x, **base)
    with pytest.raises(ValueError, match="^x0: contains NaN"):
        sp.simulate_tokens(np.full((2, 3), np.nan), **base)
    with pytest.raises(ValueError, match="^beta: must be >= 0"):
        sp.simulate_tokens(x, **{**base, "beta": -1.0})
    with pytest.raises(ValueError, match="^beta: kappa='talk' needs beta"):
        sp.simulate_tokens(x, dt=0.01, n_steps=2)
    with pytest.raises(ValueError, match="^kappa: must be >= 0"):
        sp.simulate_tokens(x, kappa=-1.0, dt=0.01, n_steps=2)
    with pytest.raises(ValueError, match="^kappa: expected 'talk'"):
        sp.simulate_tokens(x, kappa="ito", dt=0.01, n_steps=2)
    with pytest.raises(ValueError, match="^dt: must be > 0"):
        sp.simulate_tokens(x, **{**base, "dt": 0.0})
    with pytest.raises(ValueError, match=r"^dt: accuracy bound kappa_max \(d - 1\) dt <= 0.5"):
        sp.simulate_tokens(x, **{**base, "beta": 100.0})
    with pytest.raises(ValueError, match="^dt: accuracy bound"):
        sp.simulate_tokens(x, kappa=10.0, dt=0.02, n_steps=2)
    with pytest.raises(TypeError, match="^n_steps: "):
        sp.simulate_tokens(x, **{**base, "n_steps": 1.5})
    with pytest.raises(ValueError, match="^noise: expected shape"):
        sp.simulate_tokens(x, **base, noise=np.zeros((2, 3)))
    with pytest.raises(TypeError, match="^rng: "):
        sp.simulate_tokens(x, **base, rng="seed")
    with pytest.raises(ValueError, match="^n: must be an integer >= 2"):
        sp.uniform_tokens(1, 3)
    with pytest.raises(ValueError, match="^d: must be an integer >= 2"):
        sp.uniform_tokens(3, 1)
    with pytest.raises(ValueError, match="^r: overlaps must lie in"):
        sp.r_drift(1.5, 1.0, 3)
    with pytest.raises(ValueError, match="^kappa: must be finite and >= 0"):
        sp.r_drift(0.5, -1.0, 3)
    with pytest.raises(ValueError, match="^d: must be an integer >= 2"):
        sp.overlap_moments(1.0, kappa=1.0, d=1)
    with pytest.raises(ValueError, match="^r0: the mean overlap"):
        sp.large_d_overlap(1.0, beta=1.0, n=3, r0=-0.9)
    with pytest.raises(ValueError, match="^t: expected a 1-D array"):
        sp.overlap_ode([1.0, 0.5], beta=1.0, n=3)
    with pytest.raises(ValueError, match="^s: expected at least 2"):
        sp.coordinate_uniformity([0.1, 2.0], 3)
    with pytest.raises(ValueError, match="^pair: expected two different"):
        sp.one_step_drift(x, beta=1.0, dt=1e-3, n_samples=10, pair=(1, 1))
    with pytest.raises(ValueError, match="^sep0: "):
        sp.two_point_lyapunov(kappa=1.0, d=3, t_final=1.0, dt=0.01, n_pairs=4, sep0=4.0)


# --- exercises ----------------------------------------------------------------------------------

def test_exercise_half_time():
    from exercise_cells import solution_answer

    assert solution_answer("transformers", "ex-transformers-half-time") == pytest.approx(np.log(9) / 4, rel=1e-12)


def test_exercise_mean_overlap():
    from exercise_cells import solution_answer

    # 20 000 systems: SE about 0.0024, so 4 SE; the scheme's weak error is O(dt) = 1e-3
    assert solution_answer("transformers", "ex-transformers-mean-overlap") == pytest.approx(np.exp(-0.5), abs=0.01)


def test_system_stratonovich_correction_adds_the_derivative_of_kappa():
    """With kappa = kappa(X) the Stratonovich correction is the Itô drift plus (beta/(2dn)) P_xi sum_j P_xj xbar."""
    x = sp.uniform_tokens(5, 4, rng=8) + 0.8 * np.array([1.0, 0, 0, 0])
    x /= np.linalg.norm(x, axis=-1, keepdims=True)
    beta = 3.0
    n, d = x.shape
    xbar = x.mean(axis=0)
    kap = beta / d * xbar @ xbar
    proj = lambda y, v: v - y * (y @ v)
    s = sum(proj(xj, xbar) for xj in x)
    extra = beta / (2 * d * n) * np.array([proj(xi, s) for xi in x])
    corr = sp.system_stratonovich_correction(x, beta=beta)
    assert np.max(np.abs(corr - (-kap / 2 * (d - 1) * x + extra))) < 1e-8
    assert np.max(np.abs(extra)) > 0.05                       # not a small effect
    assert np.sum(extra @ xbar) > 0                           # it aligns: d|xbar|^2 > 0
    # all tokens equal: P_x xbar = 0, no extra drift
    same = np.broadcast_to(x[0], (3, d)).copy()
    assert np.allclose(sp.system_stratonovich_correction(same, beta=beta), -beta / d / 2 * (d - 1) * same, atol=1e-8)
    with pytest.raises(ValueError, match="x"):
        sp.system_stratonovich_correction(np.ones(3), beta=1.0)
