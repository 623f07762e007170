"""Tests of meanfield.crowd: the crowd-averse MFG solver and its three iterations.

A closed-form case (no crowd aversion: the Gaussian LQ control problem of
meanfield.mfg), first-order convergence when the space and time steps are
refined together, conservation of mass, positivity, the exact uniform
equilibrium on the circle, agreement of the three iterations, quadratic
convergence of Newton's method, its Jacobian against finite differences,
and the error paths."""

import numpy as np
import pytest

from meanfield import crowd, mfg
from meanfield.crowd import _CrowdDiscretisation, _residuals
from meanfield.grids import make_grid

from exercise_cells import solution_answer

Q, CT, SIG, MU0, S0 = 1.0, 0.5, 0.6, 0.3, 0.5


def _lq(n):
    g = make_grid(-3.0, 3.5, n)
    x = g.centers
    res = crowd.solve_crowd_mfg(g, np.exp(-((x - MU0) ** 2) / (2 * S0**2)),
                                V=lambda x: Q / 2 * (x - MU0) ** 2, G=lambda x: CT / 2 * (x - MU0) ** 2,
                                lam=0.0, T=1.0, nu=SIG**2 / 2, n_steps=n // 4)
    ex = mfg.lq_gaussian_mfg(res.t, q=Q, c_T=CT, sigma=SIG, mu0=MU0, s0=S0)
    var = ((x - res.mean()[:, None]) ** 2 * res.m).sum(axis=1) * g.dx
    return res, ex, var


def test_no_crowd_aversion_is_the_lq_closed_form_at_first_order():
    errs = []
    for n in (100, 200, 400):
        res, ex, var = _lq(n)
        assert res.success and res.n_iter == 0  # lam = 0: one best response solves it
        assert np.max(np.abs(res.mean() - MU0)) < 1e-5
        errs.append(np.max(np.abs(var - ex.var)))
    assert errs[-1] < 5e-3
    order = -np.polyfit(np.log([100, 200, 400]), np.log(errs), 1)[0]
    assert 0.9 < order < 1.1, (errs, order)


def _crowd(n, n_steps, method="newton", lam=1.0, boundary="neumann", **kw):
    g = make_grid(0.0, 1.0, n)
    x = g.centers
    return crowd.solve_crowd_mfg(g, np.exp(-((x - 0.3) ** 2) / (2 * 0.1**2)), V=0.0,
                                 G=lambda x: 2 * (x - 0.7) ** 2, lam=lam, T=1.0, nu=0.02,
                                 n_steps=n_steps, method=method, boundary=boundary, **kw)


def test_first_order_when_space_and_time_steps_are_refined_together():
    runs = [_crowd(20 * 2**j, 10 * 2**j) for j in range(4)]
    assert all(r.success for r in runs)
    diffs = [crowd.discrete_errors(a, b) for a, b in zip(runs[:-1], runs[1:])]
    ratios = [diffs[i][0] / diffs[i + 1][0] for i in range(2)]
    assert ratios[0] > 1.4 and 1.6 < ratios[1] < 2.4, ratios  # tends to 2: first order
    assert diffs[-1][1] < 0.03


@pytest.mark.parametrize("boundary", ["neumann", "periodic"])
@pytest.mark.parametrize("method", ["newton", "fictitious_play", "fixed_point"])
def test_mass_and_positivity(method, boundary):
    res = _crowd(40, 20, method=method, boundary=boundary, lam=0.5, max_iter=8, damping=0.3)
    assert np.max(np.abs(res.mass - 1)) < 1e-12
    assert res.m.min() >= 0
    np.testing.assert_allclose(res.u[-1], 2 * (res.x - 0.7) ** 2)


def test_uniform_equilibrium_on_the_circle():
    g = make_grid(0.0, 2.0, 30)
    res = crowd.solve_crowd_mfg(g, np.ones(30), V=0.0, G=0.0, lam=3.0, T=1.0, nu=0.1,
                                n_steps=10, boundary="periodic")
    assert res.success
    np.testing.assert_allclose(res.m, 0.5, rtol=1e-12)
    # -u_t = lam m = 1.5: u = 1.5 (T - t) exactly (implicit Euler is exact for a linear u)
    np.testing.assert_allclose(res.u, 1.5 * (1.0 - res.t)[:, None] * np.ones(30), atol=1e-12)


def test_the_three_iterations_agree_and_newton_is_quadratic():
    ref = _crowd(40, 20, lam=0.3)
    assert ref.success and ref.n_iter <= 8, ref.message
    r = ref.residual
    k = int(np.argmax(r < 1e-2))
    assert r[k + 1] < 50 * r[k] ** 2  # quadratic once close
    assert crowd.crowd_residual(ref, 0.0, 0.3) == pytest.approx(r[-1], rel=1e-6)
    fixed = _crowd(40, 20, method="fixed_point", lam=0.3, damping=0.2, tol=1e-8, max_iter=200)
    assert fixed.success, fixed.message
    assert fixed.n_iter > 5 * ref.n_iter
    assert np.max(np.abs(fixed.m - ref.m)) < 1e-5 and np.max(np.abs(fixed.u - ref.u)) < 1e-6
    # fictitious play: the residual decays like 1/j
    fp = _crowd(40, 20, method="fictitious_play", lam=0.3, tol=1e-12, max_iter=80)
    j = np.arange(10, 81)
    slope = np.polyfit(np.log(j), np.log(fp.residual[10:]), 1)[0]
    assert -1.3 < slope < -0.7, slope
    assert np.max(np.abs(fp.m - ref.m)) < 0.05 * np.max(ref.m)


def test_strong_crowd_aversion_newton_converges_where_the_damped_fixed_point_stalls():
    newton = _crowd(40, 20, lam=4.0)
    assert newton.success and newton.n_iter <= 15
    fixed = _crowd(40, 20, lam=4.0, method="fixed_point", damping=0.2, max_iter=30)
    assert not fixed.success and "no convergence" in fixed.message
    assert fixed.residual[-1] > 1e-3 and fixed.residual.shape == (31,)


@pytest.mark.parametrize("boundary", ["neumann", "periodic"])
def test_newton_jacobian_matches_finite_differences(boundary):
    n, K, lam = 9, 4, 1.3
    x = make_grid(0.0, 1.0, n).centers
    d = _CrowdDiscretisation(n, 1 / n, 0.05, 0.1, boundary)
    rng = np.random.default_rng(0)
    u, m, V = rng.normal(size=(K + 1, n)), rng.random((K + 1, n)) + 0.5, np.cos(x)

    def R(z):
        uu, mm = u.copy(), m.copy()
        uu[:-1], mm[1:] = z[: K * n].reshape(K, n), z[K * n:].reshape(K, n)
        return np.concatenate([r.ravel() for r in _residuals(d, uu, mm, V, lam)])

    z0 = np.concatenate([u[:-1].ravel(), m[1:].ravel()])
    eye = np.eye(z0.size)
    J_fd = np.array([(R(z0 + 1e-7 * e) - R(z0 - 1e-7 * e)) / 2e-7 for e in eye]).T
    np.testing.assert_allclose(d.jacobian(u[:-1], m[1:], lam).toarray(), J_fd, atol=1e-5)


def test_bad_input():
    g = make_grid(0.0, 1.0, 10)
    kw = dict(V=0.0, G=0.0, lam=1.0, T=1.0, nu=0.1, n_steps=5)
    with pytest.raises(ValueError, match="^m0:"):
        crowd.solve_crowd_mfg(g, -np.ones(10), **kw)
    with pytest.raises(ValueError, match="^m0:"):
        crowd.solve_crowd_mfg(g, np.ones(9), **kw)
    with pytest.raises(TypeError, match="^grid:"):
        crowd.solve_crowd_mfg(np.linspace(0, 1, 10), np.ones(10), **kw)
    with pytest.raises(ValueError, match="^method:"):
        crowd.solve_crowd_mfg(g, np.ones(10), method="picard", **kw)
    with pytest.raises(ValueError, match="^lam:"):
        crowd.solve_crowd_mfg(g, np.ones(10), **{**kw, "lam": -1.0})
    with pytest.raises(ValueError, match="^nu:"):
        crowd.solve_crowd_mfg(g, np.ones(10), **{**kw, "nu": 0.0})
    with pytest.raises(ValueError, match="^V:"):
        crowd.solve_crowd_mfg(g, np.ones(10), **{**kw, "V": np.nan})
    with pytest.raises(ValueError, match="^fine:"):
        crowd.discrete_errors(_crowd(20, 10), _crowd(30, 20))


def test_exercise_lq_mfg_crowd_without_aversion_is_the_lq_game():
    exact = mfg.lq_gaussian_mfg([1.0], q=1.0, c_T=0.5, sigma=0.6, mu0=0.3, s0=0.5).var[0]
    assert solution_answer("lq_mfg", "ex-lq_mfg-crowd-lq") == pytest.approx(exact, rel=0.03)
