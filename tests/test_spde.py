"""Tests of meanfield.spde: the McKean--Vlasov SPDE with common shear transport noise on T^2.

Self-consistency r* against quadrature and the near-critical expansion;
exact steady states (uniform, stripe, spot) are fixed points, a perturbed spot
converges to r*, the uniform state grows at the linear rate gamma/2 - 1 (and
at the exact ETD1 rate); the sign of the shear flow against the PDE; the
Stratonovich-to-Itô correction K Delta (mean Fourier modes decay at
(1 + K)|k|^2, the uncorrected rate is excluded); mass and positivity;
noise-induced uniqueness at gamma = 3; bad input. All seeded."""

import numpy as np
import pytest
from scipy import integrate, special

from meanfield import spde

GAMMA = 3.0
R_STAR = spde.self_consistency(GAMMA)


# --- phase transition without noise ------------------------------------------------------

def test_self_consistency_against_quadrature_and_expansion():
    for gamma in (2.5, 3.0, 5.0, 40.0):
        r = spde.self_consistency(gamma)
        num = integrate.quad(lambda x: np.cos(x) * np.exp(gamma * r * (np.cos(x) - 1)), 0, 2 * np.pi)[0]
        den = integrate.quad(lambda x: np.exp(gamma * r * (np.cos(x) - 1)), 0, 2 * np.pi)[0]
        assert 0 < r < 1 and abs(num / den - r) < 1e-12
    for gamma in (0.5, 2.0, -1.0):
        assert spde.self_consistency(gamma) == 0.0
    g = 2.0 + 1e-4  # r = gamma r / 2 - (gamma r)^3 / 16: r* ~ 2 sqrt(2 (gamma - 2)) / gamma^{3/2}
    assert abs(spde.self_consistency(g) / (2 * np.sqrt(2 * (g - 2)) / g**1.5) - 1) < 1e-3


def test_grid_steady_states_have_order_parameter_r_star():
    spot = spde.steady_state(32, GAMMA, "spot", phase=(0.4, 2.0))
    r1, r2 = spde.order_parameters(spot)
    assert abs(r1 - R_STAR) < 1e-13 and abs(r2 - R_STAR) < 1e-13  # spectral accuracy of the grid mean
    r1, r2 = spde.order_parameters(spde.steady_state(32, GAMMA, "stripe"))
    assert abs(r1 - R_STAR) < 1e-13 and r2 < 1e-15
    assert np.allclose(spde.steady_state(32, 1.5, "spot"), 1.0)  # below gamma_c = 2 only the uniform state


def test_exact_steady_states_are_fixed_points():
    for kind in ("spot", "stripe", "uniform"):
        rho0 = spde.steady_state(32, GAMMA, kind, phase=(1.0, 2.0))
        res = spde.simulate_spde(rho0, gamma=GAMMA, K=0.0, dt=0.025, n_steps=800)
        assert res.success
        assert np.max(np.abs(res.rho[0] - rho0)) < 1e-10, kind


def test_perturbed_spot_converges_to_r_star_and_perturbed_stripe_leaves():
    spot = spde.steady_state(32, GAMMA, "spot")
    rho0 = spot * spde.perturbed_uniform(32, 0.3, n_runs=3, rng=2)
    res = spde.simulate_spde(rho0, gamma=GAMMA, K=0.0, dt=0.025, n_steps=1000, save_every=200)
    assert np.max(np.abs(res.r1[-1] - R_STAR)) < 1e-9 and np.max(np.abs(res.r2[-1] - R_STAR)) < 1e-9
    err = np.max(np.abs(res.r1 - R_STAR), axis=1)
    assert err[0] > 1e-3 and np.all(np.diff(np.log(err)) < -1)  # geometric convergence, from far away
    # a stripe is a saddle: perturbed, it becomes a spot (several steady states, one dynamics)
    stripe = spde.steady_state(32, GAMMA, "stripe") * spde.perturbed_uniform(32, 0.1, rng=3)
    res = spde.simulate_spde(stripe, gamma=GAMMA, K=0.0, dt=0.025, n_steps=1000)
    assert abs(res.r2[-1, 0] - R_STAR) < 1e-8


def test_uniform_state_grows_at_the_linear_rate():
    dt = 0.02
    rho0 = spde.perturbed_uniform(32, 1e-6, rng=4)
    res = spde.simulate_spde(rho0, gamma=GAMMA, K=0.0, dt=dt, n_steps=400, save_every=50)
    rate = np.polyfit(res.t[2:], np.log(res.r1[2:, 0]), 1)[0]
    etd1 = np.log(np.exp(-dt) + (1 - np.exp(-dt)) * GAMMA / 2) / dt  # exact growth factor of one ETD1 step
    assert abs(rate - etd1) < 1e-6
    assert abs(rate - spde.linear_growth_rate(GAMMA)) < dt  # first order in dt towards gamma/2 - 1
    res = spde.simulate_spde(rho0, gamma=1.5, K=0.0, dt=dt, n_steps=400, save_every=50)
    assert res.r[-1, 0] < res.r[0, 0] * np.exp(-0.24 * 8)  # below gamma_c: decay at rate 1 - gamma/2


# --- the noise -----------------------------------------------------------------------------

def test_one_noise_step_is_the_stratonovich_transport_with_the_right_sign():
    n, K, dt, M = 32, 1.0, 1e-10, 2
    _, X1, X2 = spde.grid_points(n)
    rho0 = 1 + 0.3 * np.cos(X1 + 2 * X2) + 0.2 * np.sin(2 * X1 - X2)
    z = np.random.default_rng(0).standard_normal((1, 1, 4, M))
    res = spde.simulate_spde(rho0, gamma=0.0, K=K, dt=dt, n_steps=1, noise=z)
    sig, amp = spde.shear_amplitudes(M), np.sqrt(2 * K * dt)
    m = np.arange(1, M + 1)[:, None, None]
    s2 = amp * np.sum(sig[:, None, None] * (np.cos(m * X1) * z[0, 0, 0, :, None, None] + np.sin(m * X1) * z[0, 0, 1, :, None, None]), 0)
    s1 = amp * np.sum(sig[:, None, None] * (np.cos(m * X2) * z[0, 0, 2, :, None, None] + np.sin(m * X2) * z[0, 0, 3, :, None, None]), 0)
    d1 = -0.3 * np.sin(X1 + 2 * X2) + 0.4 * np.cos(2 * X1 - X2)
    d2 = -0.6 * np.sin(X1 + 2 * X2) - 0.2 * np.cos(2 * X1 - X2)
    predicted = s2 * d2 + s1 * d1  # d rho = sqrt(2K) sum (a . grad rho) dB
    change = res.rho[0] - rho0
    assert np.max(np.abs(predicted)) > 1e-5
    assert np.max(np.abs(change - predicted)) < 1e-3 * np.max(np.abs(predicted))


def test_mean_modes_decay_with_diffusivity_one_plus_K():
    """Stratonovich -> Itô: E rho_k(t) = rho_k(0) exp(-(1 + K)|k|^2 t); without the correction K Delta, exp(-|k|^2 t)."""
    n, R, K, dt, steps = 16, 600, 1.0, 0.05, 10
    T = dt * steps
    _, X1, X2 = spde.grid_points(n)
    rho0 = 1 + 0.4 * np.cos(X1) + 0.4 * np.cos(X1 + X2)
    res = spde.simulate_spde(np.broadcast_to(rho0, (R, n, n)), gamma=0.0, K=K, dt=dt, n_steps=steps, rng=1)
    for k, k2 in (((1, 0), 1), ((1, 1), 2)):
        c = spde.fourier_coefficient(res.rho, k).real
        mean, se = c.mean(), c.std(ddof=1) / np.sqrt(R)
        ito = 0.2 * np.exp(-(1 + K) * k2 * T)
        no_correction = 0.2 * np.exp(-k2 * T)
        assert abs(mean - ito) < 4 * se, (k, mean, ito, se)
        assert abs(mean - no_correction) > 20 * se
    assert res.mass_error < 1e-13 and res.success


def test_runs_are_independent_and_noise_argument_reproduces_rng():
    n, R, steps = 16, 3, 20
    rho0 = spde.steady_state(n, 2.5, "spot") * spde.perturbed_uniform(n, 0.2, n_runs=R, rng=5)
    z = np.random.default_rng(6).standard_normal((steps, R, 4, 3))
    full = spde.simulate_spde(rho0, gamma=2.5, K=1.0, dt=0.02, n_steps=steps, n_modes=3, noise=z, save_every=5)
    assert full.r.shape == (5, R) and np.allclose(full.t, [0, 0.1, 0.2, 0.3, 0.4])
    for r in range(R):
        one = spde.simulate_spde(rho0[r], gamma=2.5, K=1.0, dt=0.02, n_steps=steps, n_modes=3, noise=z[:, r:r + 1])
        assert np.max(np.abs(one.rho[0] - full.rho[r])) < 1e-13
    again = spde.simulate_spde(rho0, gamma=2.5, K=1.0, dt=0.02, n_steps=steps, n_modes=3, rng=7)
    assert np.max(np.abs(again.rho - full.rho)) > 1e-3  # other noise, other paths


def test_shear_amplitudes_normalisation():
    for M, s in ((1, 0.0), (3, 1.0), (5, 2.5)):
        sig = spde.shear_amplitudes(M, s)
        assert abs(np.sum(sig**2) - 1) < 1e-15 and np.allclose(sig / sig[0], np.arange(1, M + 1) ** (-s))


# --- conservation, positivity, uniqueness ---------------------------------------------------

def test_mass_and_positivity_over_a_long_noisy_run():
    rho0 = spde.steady_state(32, GAMMA, "spot") * spde.perturbed_uniform(32, 0.2, n_runs=4, rng=8)
    res = spde.simulate_spde(rho0, gamma=GAMMA, K=2.0, dt=0.025, n_steps=2000, save_every=100, rng=9)
    assert res.mass_error < 1e-12
    assert res.success and res.min_density > 0 and np.all(res.min_trace > 0)


def test_negative_density_is_flagged_not_silent():
    # a spot sheared strongly on a coarse grid: under-resolved filaments undershoot
    rho0 = np.broadcast_to(spde.steady_state(16, GAMMA, "spot"), (4, 16, 16))
    res = spde.simulate_spde(rho0, gamma=GAMMA, K=16.0, dt=0.025, n_steps=80, rng=10)
    assert res.min_density < 0 and not res.success and "negative density" in res.message


def test_noise_induced_uniqueness_at_gamma_3():
    n, R = 32, 4
    spot = np.broadcast_to(spde.steady_state(n, GAMMA, "spot"), (R, n, n))
    near_uniform = spde.perturbed_uniform(n, 0.05, n_runs=R, rng=11)
    rho0 = np.concatenate([spot, near_uniform])
    strong = spde.simulate_spde(rho0, gamma=GAMMA, K=4.0, dt=0.025, n_steps=400, save_every=400, rng=12)
    assert strong.success and np.max(strong.r[-1]) < 1e-3  # every start relaxes to the uniform density
    none = spde.simulate_spde(rho0, gamma=GAMMA, K=0.0, dt=0.025, n_steps=400, save_every=400)
    assert np.max(np.abs(none.r[-1, :R] - np.sqrt(2) * R_STAR)) < 1e-10  # without noise the spots persist
    assert np.min(none.r[-1, R:]) > 0.5  # and the near-uniform starts cluster


def test_uniform_density_is_invariant_under_the_noise():
    res = spde.simulate_spde(np.ones((2, 32, 32)), gamma=GAMMA, K=8.0, dt=0.025, n_steps=200, rng=15)
    assert np.max(np.abs(res.rho - 1)) < 1e-12 and res.success


def test_start_decides_the_steady_state():
    _, X1, X2 = spde.grid_points(32)
    starts = np.stack([np.ones((32, 32)), 1 + 0.01 * np.cos(X1), spde.perturbed_uniform(32, 0.01, rng=7)])
    res = spde.simulate_spde(starts, gamma=GAMMA, K=0.0, dt=0.025, n_steps=1600)
    assert np.max(np.abs(res.rho[0] - 1)) < 1e-12  # uniform stays uniform
    assert abs(res.r1[-1, 1] - R_STAR) < 1e-9 and res.r2[-1, 1] < 1e-12  # x1-perturbation -> stripe
    assert abs(res.r1[-1, 2] - R_STAR) < 1e-9 and abs(res.r2[-1, 2] - R_STAR) < 1e-9  # generic -> spot


def test_weak_noise_keeps_the_clusters():
    spot = np.broadcast_to(spde.steady_state(32, GAMMA, "spot"), (4, 32, 32))
    weak = spde.simulate_spde(spot, gamma=GAMMA, K=0.25, dt=0.025, n_steps=800, rng=16)
    assert weak.success and np.min(weak.r[-1]) > 0.3  # below the threshold the clusters persist (and move)
    assert np.max(np.abs(weak.r[-1] - np.sqrt(2) * R_STAR)) > 1e-3  # ... but are not the deterministic spot


# --- bad input -----------------------------------------------------------------------------

def test_bad_input():
    good = np.ones((16, 16))
    kw = dict(gamma=GAMMA, K=1.0, dt=0.02, n_steps=2)
    with pytest.raises(ValueError, match="n: must be an even integer >= 8"):
        spde.simulate_spde(np.ones((15, 15)), **kw)
    with pytest.raises(ValueError, match="n: must be an even integer >= 8"):
        spde.simulate_spde(np.ones((6, 6)), **kw)
    with pytest.raises(ValueError, match="n: must be an even integer >= 8"):
        spde.grid_points(9)
    with pytest.raises(TypeError, match="n: expected an integer"):
        spde.steady_state(16.0, GAMMA)
    with pytest.raises(ValueError, match="K: must be >= 0"):
        spde.simulate_spde(good, **dict(kw, K=-0.1))
    with pytest.raises(ValueError, match="dt: must satisfy dt \\* G\\^2 <= 1"):
        spde.simulate_spde(good, **dict(kw, dt=0.03))
    with pytest.raises(ValueError, match="gamma"):
        spde.simulate_spde(good, **dict(kw, gamma=np.nan))
    with pytest.raises(ValueError, match="rho0: a density must be >= 0"):
        spde.simulate_spde(good - 1.5, **kw)
    with pytest.raises(ValueError, match="rho0: every run must have positive mass"):
        spde.simulate_spde(np.zeros((2, 16, 16)), **kw)
    with pytest.raises(ValueError, match="rho0: expected shape"):
        spde.simulate_spde(np.ones((16, 8)), **kw)
    with pytest.raises(ValueError, match="rho0: expected shape"):
        spde.simulate_spde(np.ones((2, 2, 16, 16)), **kw)
    with pytest.raises(ValueError, match="rho0: contains NaN"):
        spde.simulate_spde(np.full((16, 16), np.nan), **kw)
    with pytest.raises(ValueError, match="noise: expected shape"):
        spde.simulate_spde(good, noise=np.zeros((2, 1, 4, 3)), **kw)
    with pytest.raises(ValueError, match="n_steps: must be an integer >= 1"):
        spde.simulate_spde(good, **dict(kw, n_steps=0))
    with pytest.raises(ValueError, match="n_modes"):
        spde.shear_amplitudes(0)
    with pytest.raises(ValueError, match="colour: must be >= 0"):
        spde.shear_amplitudes(2, -1.0)
    with pytest.raises(ValueError, match="kind: unknown value"):
        spde.steady_state(16, GAMMA, "ring")
    with pytest.raises(ValueError, match="amplitude: must lie in"):
        spde.perturbed_uniform(16, 1.0)
    with pytest.raises(ValueError, match="k: expected two integers"):
        spde.fourier_coefficient(good, (1.0, 0.0))


def test_input_is_normalised_and_not_modified():
    rho0 = 2.0 * spde.perturbed_uniform(16, 0.3, rng=13)
    keep = rho0.copy()
    res = spde.simulate_spde(rho0, gamma=GAMMA, K=0.5, dt=0.02, n_steps=3, rng=14)
    assert np.array_equal(rho0, keep) and abs(res.mass[0, 0] - 1) < 1e-14 and abs(res.mass[-1, 0] - 1) < 1e-13


def test_splitting_converges_along_fixed_noise_paths_at_strong_order_one_half():
    """Refining dt on the same Brownian paths: successive differences fall like dt^(1/2).

    The two shear families do not commute, so a scheme using only increments has strong
    order 1/2; a wrong Stratonovich/Itô treatment or an inconsistent noise scaling would
    not converge at all (the differences would stay O(1)).
    """
    from meanfield.particles import fit_slope
    from meanfield.utils import coarsen_normals

    R, nf, T = 16, 1024, 0.5
    z = np.random.default_rng(0).standard_normal((nf, R, 4, 2))
    rho0 = np.broadcast_to(spde.steady_state(16, 2.5, "spot"), (R, 16, 16))
    sols = {}
    for m in (16, 8, 4, 2, 1):
        sols[nf // m] = spde.simulate_spde(rho0, gamma=3.0, K=1.0, dt=T / (nf // m), n_steps=nf // m,
                                           noise=coarsen_normals(z, m)).rho
    keys = sorted(sols)
    diffs = [np.sqrt(np.mean((sols[a] - sols[b]) ** 2)) for a, b in zip(keys[:-1], keys[1:])]
    order = -fit_slope(np.array(keys[:-1], dtype=float), diffs)
    assert 0.35 < order < 0.75, order
    assert diffs[-1] < 0.05


# --- the linearised equation, the shear flow and the free energy -------------------------------

def test_linearised_rate_without_noise_is_the_deterministic_rate():
    g = spde.linearised_growth_rate(3.0, 0.0, n=16, dt=0.01, n_steps=1000, n_runs=2, t_burn=5.0, rng=0)
    assert g.rate == pytest.approx(0.5, abs=1e-6) and g.mean_rate == 0.5
    g = spde.linearised_growth_rate(1.0, 0.0, n=16, dt=0.01, n_steps=1000, n_runs=2, t_burn=5.0, rng=0)
    assert g.rate == pytest.approx(-0.5, abs=1e-6)


def test_linearised_rate_decreases_with_noise_and_errors():
    r0 = spde.linearised_growth_rate(3.0, 0.25, n=16, dt=0.025, n_steps=400, n_runs=4, t_burn=2.0, rng=2).rate
    r1 = spde.linearised_growth_rate(3.0, 1.0, n=16, dt=0.025, n_steps=400, n_runs=4, t_burn=2.0, rng=2).rate
    assert r1 < 0 < r0
    with pytest.raises(ValueError, match="t_burn"):
        spde.linearised_growth_rate(3.0, 1.0, dt=0.1, n_steps=10, n_runs=2, t_burn=5.0)
    with pytest.raises(ValueError, match="K"):
        spde.linearised_growth_rate(3.0, -1.0, dt=0.1, n_steps=10, n_runs=2)


def test_shear_flow_preserves_area_and_separates_points():
    ly = spde.shear_flow_lyapunov(1.0, dt=0.01, n_steps=1000, n_paths=100, rng=0)
    assert ly.log_det < 1e-10
    assert ly.estimate > 5 * ly.se
    with pytest.raises(ValueError, match="K"):
        spde.shear_flow_lyapunov(0.0, dt=0.01, n_steps=10, n_paths=4)


def test_free_energy_of_the_spot_closed_form_and_uniform():
    rs = spde.self_consistency(3.0)
    a = 3.0 * rs
    ref = 2 * (a * rs - np.log(special.i0(a))) - 3.0 * rs**2
    assert spde.free_energy(spde.steady_state(32, 3.0, "spot"), 3.0) == pytest.approx(ref, abs=1e-12)
    assert spde.free_energy(np.ones((3, 8, 8)), 3.0) == pytest.approx(np.zeros(3))
    with pytest.raises(ValueError, match="rho"):
        spde.free_energy(-np.ones((8, 8)), 3.0)


def test_free_energy_decreases_without_noise():
    run = spde.simulate_spde(spde.perturbed_uniform(16, 0.1, rng=1), gamma=3.0, K=0.0, dt=0.025, n_steps=200,
                             save_every=10, save_rho=True)
    F = spde.free_energy(run.rho[:, 0], 3.0)
    assert np.all(np.diff(F) <= 1e-12)


# --- exercises --------------------------------------------------------------------------------------

def test_exercise_near_critical():
    from exercise_cells import solution_answer

    g = 2.001
    # independent: the root of r = I1(g r)/I0(g r) by bisection on the unscaled Bessel functions
    lo, hi = 1e-3, 0.2
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if special.i1(g * mid) / special.i0(g * mid) > mid else (lo, mid)
    assert solution_answer("noise_induced_uniqueness", "ex-noise_induced_uniqueness-near-critical") == pytest.approx(
        0.5 * (lo + hi), rel=1e-10)


def test_exercise_stripe_saddle():
    from exercise_cells import solution_answer

    dt = 0.01
    etd1 = np.log(np.exp(-dt) + (1 - np.exp(-dt)) * 1.5) / dt   # one ETD1 step of the rate gamma/2 - 1 = 0.5
    assert solution_answer("noise_induced_uniqueness", "ex-noise_induced_uniqueness-saddle") == pytest.approx(etd1, rel=1e-3)
