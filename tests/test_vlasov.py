"""Tests of meanfield.vlasov: the Cheng--Knorr solver of 1D-1V Vlasov--Poisson and its diagnostics.

The sign convention (a Langmuir oscillation, not a Jeans growth), Landau
damping and the two-stream instability simulated against the dispersion
roots, invariants and the second order in time of the Strang splitting,
the diagnostics stride, fit_wave, and bad input. (Grid and field:
test_phase_space.py; linear theory: test_vlasov_linear.py; BGK modes and
residuals: test_bgk.py.)"""

import numpy as np
import pytest

from meanfield import vlasov as vl

K = 0.5
L = 2 * np.pi / K


def landau_run(alpha, *, nx=16, nv=128, vmax=6.0, dt=0.1, T=40.0, k=K, **kw):
    grid = vl.make_phase_space_grid(nx, nv, 2 * np.pi / k, vmax)
    return vl.solve_vlasov_poisson(vl.make_landau(alpha, k), grid, dt=dt, n_steps=int(round(T / dt)), **kw)


def mode_one(f, grid):
    """First Fourier coefficient of the density, normalised like a cosine amplitude."""
    return 2 * np.fft.rfft(vl.density(f, grid))[1] / grid.nx


# --- sign convention ----------------------------------------------------------------------

def test_langmuir_oscillation_not_growth():
    """A cold plasma (k vt = 0.05): a density perturbation oscillates at the plasma
    frequency (Bohm--Gross corrected) and is reversed after half a period; the field
    energy never grows. With the opposite pairing (dE/dx = rho - 1 and force -E) the
    perturbation would obey delta'' = +delta and grow like e^t (Jeans)."""
    k, vt = 0.5, 0.1
    root = vl.landau_root(k, vt=vt)
    assert root.omega_r == pytest.approx(np.sqrt(1 + 3 * (k * vt) ** 2), rel=1e-4)  # Bohm--Gross
    assert abs(root.gamma) < 1e-12
    half = np.pi / root.omega_r
    grid = vl.make_phase_space_grid(16, 64, 2 * np.pi / k, 0.8)
    r = vl.solve_vlasov_poisson(vl.make_landau(0.01, k, vt=vt), grid, dt=0.05, n_steps=600,
                                save_times=[0.0, half, 2 * half])
    assert r.success
    assert np.max(r.field_energy) <= r.field_energy[0] * (1 + 1e-3)
    fit = vl.fit_wave(r.t, r.field_energy, window=(1.0, 30.0))
    assert fit.omega == pytest.approx(root.omega_r, rel=1e-3)
    assert abs(fit.gamma) < 1e-3
    d = [mode_one(f, grid).real for f in r.f_saved]
    assert d[1] / d[0] == pytest.approx(-1.0, abs=0.02)  # reversed after half a period (measured -0.990)
    assert d[2] / d[0] == pytest.approx(1.0, abs=0.02)   # back after a full one
    # warm plasma (k vt = 0.25): the frequency is the Landau root, weakly damped
    warm = vl.landau_root(0.25)
    assert warm.omega_r == pytest.approx(1.105731, abs=1e-6) and -3e-3 < warm.gamma < 0
    r = landau_run(0.01, k=0.25, T=30.0)
    assert np.max(r.field_energy) <= r.field_energy[0] * (1 + 1e-6)
    assert vl.fit_wave(r.t, r.field_energy, window=(2.0, 30.0)).omega == pytest.approx(warm.omega_r, rel=2e-3)


# --- simulations against theory -------------------------------------------------------------

def test_linear_landau_damping_rate_and_frequency_within_one_percent():
    """f0 = (1 + 0.01 cos 0.5x) M(v): the field energy decays at 2 gamma."""
    root = vl.landau_root(K)
    r = landau_run(0.01)
    assert r.success
    fit = vl.fit_wave(r.t, r.field_energy, window=(5.0, 40.0))
    assert fit.n_peaks >= 12 and fit.window == (5.0, 40.0)
    assert fit.slope == pytest.approx(2 * fit.gamma)
    assert fit.gamma == pytest.approx(root.gamma, rel=0.01)  # measured: 0.12%
    assert fit.omega == pytest.approx(root.omega_r, rel=0.01)  # measured: 0.13%
    amp = vl.fit_wave(r.t, r.field_modes[:, 0], window=(5.0, 40.0), quantity="amplitude")
    assert amp.gamma == pytest.approx(fit.gamma, rel=1e-3) and amp.omega == pytest.approx(fit.omega, rel=1e-3)
    # invariants of the linear run
    assert r.mass_error < 1e-13 and r.momentum_error < 1e-13
    assert r.energy_error < 2e-6 and r.l2_error < 1e-7 and r.entropy_error < 1e-8


def test_spline_interpolation_keeps_the_velocity_edges_clean():
    """Under-resolved filaments: the exact trigonometric shift spreads Nyquist patterns
    over whole rows (up to the edges), the local cubic spline does not."""
    runs = {m: landau_run(0.5, nx=32, nv=128, vmax=8.0, T=30.0, method=m) for m in ("spline", "spectral")}
    assert runs["spline"].success and runs["spline"].edge_mass.max() < 1e-12
    assert not runs["spectral"].success and runs["spectral"].edge_mass.max() > 1e-5
    for r in runs.values():
        assert r.mass_error < 1e-13  # the periodic velocity shift conserves mass either way


def test_nonlinear_landau_damping_conservation():
    """alpha = 0.5: mass to rounding, momentum to rounding, energy to O(dt^2)."""
    r = landau_run(0.5, nx=32, nv=256, vmax=8.0, T=30.0)
    assert r.success, r.message
    assert r.mass_error < 1e-10
    assert r.momentum_error < 1e-12
    assert r.energy_error < 2e-3
    assert 0 < r.l2_error < 1e-2 and np.all(np.diff(r.l2_norm) <= 1e-15)  # grid-scale damping of the splines
    assert r.edge_mass.max() < 1e-12
    # energy exchange is real: the field loses energy to the particles at first
    assert r.field_energy[50] < 0.1 * r.field_energy[0]
    assert r.kinetic_energy[50] > r.kinetic_energy[0]


def test_two_stream_growth_rate_against_theory():
    """v0 = 2.4, vt = 1, k = 0.2: exponential growth at gamma = 0.22584 once the
    slowly damped beam modes (omega = 1.339 - 0.0024i) are outgrown."""
    root = vl.two_stream_root(0.2, 2.4)
    grid = vl.make_phase_space_grid(16, 128, 2 * np.pi / 0.2, 9.0)
    r = vl.solve_vlasov_poisson(vl.make_two_stream(1e-6, 0.2), grid, dt=0.1, n_steps=450)
    assert r.success
    fit = vl.fit_wave(r.t, r.field_energy, window=(25.0, 45.0), method="all")
    assert fit.gamma == pytest.approx(root.gamma, rel=0.01)  # measured: 0.15%
    assert np.isnan(fit.omega) and "no oscillation" in fit.message
    assert r.mass_error < 1e-13 and r.momentum_error < 1e-12


def test_strang_splitting_is_second_order_in_time():
    grid = vl.make_phase_space_grid(16, 64, L, 6.0)
    f0, T = vl.make_landau(0.3, K), 4.0
    dts = [0.4, 0.2, 0.1, 0.05, 0.025]
    runs = {dt: vl.solve_vlasov_poisson(f0, grid, dt=dt, n_steps=round(T / dt), method="spectral") for dt in dts}
    diffs = [np.sqrt(np.mean((runs[dt].f - runs[dt / 2].f) ** 2)) for dt in dts[:-1]]
    slope = np.polyfit(np.log(dts[:-1]), np.log(diffs), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.05)
    energy = [abs(runs[dt].field_energy[-1] - runs[0.025].field_energy[-1]) for dt in dts[:-2]]
    assert np.polyfit(np.log(dts[:-2]), np.log(energy), 1)[0] == pytest.approx(2.0, abs=0.15)
    drift = [runs[dt].energy_error for dt in dts]
    np.testing.assert_allclose(np.array(drift[:-1]) / drift[1:], 4.0, rtol=0.05)


def test_result_fields_snapshots_and_array_input():
    grid = vl.make_phase_space_grid(8, 32, L, 6.0)
    f0 = vl.make_landau(0.1, K)(grid.x[:, None], grid.v[None, :])
    r = vl.solve_vlasov_poisson(f0, grid, dt=0.25, n_steps=8, save_times=[1.0, 0.0, 2.0, 0.26], n_modes=3)
    assert r.t.shape == r.field_energy.shape == r.entropy.shape == r.edge_mass.shape == (9,)
    assert r.field_modes.shape == (9, 3) and r.n_steps == 8 and r.success
    np.testing.assert_allclose(r.t_saved, [0.0, 0.25, 1.0, 2.0])
    assert r.f_saved.shape == (4, 8, 32)
    np.testing.assert_array_equal(r.f_saved[0], f0)
    np.testing.assert_array_equal(r.f_saved[-1], r.f)
    np.testing.assert_allclose(r.E, vl.electric_field(vl.density(r.f, grid), L), atol=1e-15)
    assert r.field_modes[0, 0] == pytest.approx(0.1 / K, rel=1e-8)  # E = -(alpha/k) sin kx
    assert r.total_energy[0] == pytest.approx(r.kinetic_energy[0] + r.field_energy[0])
    assert r.kinetic_energy[0] == pytest.approx(0.5 * L, rel=1e-6)  # 1/2 int v^2 M = 1/2 per unit length
    with pytest.raises(AttributeError):
        r.dt = 1.0  # frozen
    none = vl.solve_vlasov_poisson(f0, grid, dt=0.25, n_steps=2)
    assert none.f_saved.shape == (0, 8, 32) and none.t_saved.shape == (0,)


def test_velocity_box_reached_gives_success_false():
    """A strong field pushes the tail to +-vmax: the run says so instead of wrapping silently."""
    r = landau_run(0.9, nx=16, nv=64, vmax=5.0, T=10.0)
    assert not r.success and "enlarge vmax" in r.message
    assert r.edge_mass.max() > 1e-6
    assert r.mass_error < 1e-13  # still conserved: the shift is periodic on the box


# --- fit_wave -----------------------------------------------------------------------------

def test_fit_wave_recovers_synthetic_rates():
    t = np.linspace(0, 30, 301)
    W = 3.0 * np.exp(2 * -0.2 * t) * np.cos(1.3 * t + 0.4) ** 2
    fit = vl.fit_wave(t, W, window=(1.0, 29.0))
    assert fit.gamma == pytest.approx(-0.2, abs=2e-4) and fit.omega == pytest.approx(1.3, rel=1e-4)
    assert fit.success and fit.method == "peaks" and fit.quantity == "energy"
    grow = vl.fit_wave(t, np.exp(0.3 * t + 1), window=(5.0, 25.0), method="all", quantity="amplitude")
    assert grow.gamma == pytest.approx(0.3, rel=1e-12) and grow.n_peaks == 0 and np.isnan(grow.omega)


@pytest.mark.parametrize("call, match", [
    (lambda t, y: vl.fit_wave(t, np.exp(-t), window=(1, 5)), "window: only 0 peak"),
    (lambda t, y: vl.fit_wave(t, y, window=(5, 1)), "window: must satisfy"),
    (lambda t, y: vl.fit_wave(t, y, window=(0, 50)), "window: must satisfy"),
    (lambda t, y: vl.fit_wave(t, y, window=(1, 5), method="fft"), "method: unknown value 'fft'"),
    (lambda t, y: vl.fit_wave(t, y, window=(1, 5), quantity="power"), "quantity: unknown value"),
    (lambda t, y: vl.fit_wave(t ** 2, y, window=(1, 5)), "t: must be increasing and uniformly spaced"),
    (lambda t, y: vl.fit_wave(t, y[:-1], window=(1, 5)), "y: expected shape"),
    (lambda t, y: vl.fit_wave(t, y - 2, window=(1, 5)), "y: must be > 0 in the window"),
    (lambda t, y: vl.fit_wave(t, np.where(t > 3, np.nan, y), window=(1, 5)), "t, y: contain NaN"),
])
def test_fit_wave_bad_input(call, match):
    t = np.linspace(0, 10, 101)
    y = 1.5 + np.cos(t)
    with pytest.raises(ValueError, match=match):
        call(t, y)


# --- bad input ------------------------------------------------------------------------------

G = vl.PhaseSpaceGrid(8, 32, L, 6.0)
F0 = vl.make_landau(0.1, K)


@pytest.mark.parametrize("call, match", [
    (lambda: vl.solve_vlasov_poisson(F0, G, dt=0.0, n_steps=1), "dt: must be > 0"),
    (lambda: vl.solve_vlasov_poisson(F0, G, dt=-0.1, n_steps=1), "dt: must be > 0"),
    (lambda: vl.solve_vlasov_poisson(F0, G, dt=0.1, n_steps=0), "n_steps: must be an integer >= 1"),
    (lambda: vl.solve_vlasov_poisson(F0, vl.PhaseSpaceGrid(8, 32, L, 3.0), dt=0.1, n_steps=1),
     r"vmax: the velocity box \[-3.0, 3.0\] is too small for f0"),
    (lambda: vl.solve_vlasov_poisson(F0(G.x[:, None], G.v[None, :] / 2), G, dt=0.1, n_steps=1),
     "vmax: the velocity box"),
    (lambda: vl.solve_vlasov_poisson(vl.make_landau(0.1, 0.7), G, dt=0.1, n_steps=1), "f0: is not L-periodic"),
    (lambda: vl.solve_vlasov_poisson(np.ones((4, 4)), G, dt=0.1, n_steps=1), r"f0: expected shape \(nx, nv\)"),
    (lambda: vl.solve_vlasov_poisson(-F0(G.x[:, None], G.v[None, :]), G, dt=0.1, n_steps=1), "f0: must be >= 0"),
    (lambda: vl.solve_vlasov_poisson(lambda x, v: np.nan * x * v, G, dt=0.1, n_steps=1), "f0: returned NaN"),
    (lambda: vl.solve_vlasov_poisson(lambda x, v: 0 * x * v, G, dt=0.1, n_steps=1), "f0: the total mass must be > 0"),
    (lambda: vl.solve_vlasov_poisson(F0, G, dt=0.1, n_steps=3, save_times=[0.5]), r"save_times: must lie in \[0"),
    (lambda: vl.solve_vlasov_poisson(F0, G, dt=0.1, n_steps=3, n_modes=5),
     r"n_modes: must be an integer in \[1, nx // 2\] = \[1, 4\]"),
    (lambda: vl.solve_vlasov_poisson(F0, G, dt=0.1, n_steps=3, box_tol=0), "box_tol: must be > 0"),
    (lambda: vl.solve_vlasov_poisson(F0, G, dt=0.1, n_steps=3, diagnostics_every=0),
     "diagnostics_every: must be an integer >= 1"),
])
def test_bad_input_raises_value_error_naming_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_bad_types_raise_type_error():
    with pytest.raises(TypeError, match="grid: expected a PhaseSpaceGrid"):
        vl.solve_vlasov_poisson(F0, (8, 32, L, 6.0), dt=0.1, n_steps=1)
    with pytest.raises(TypeError, match="n_steps: expected an integer"):
        vl.solve_vlasov_poisson(F0, G, dt=0.1, n_steps=2.5)
    with pytest.raises(TypeError, match="window: expected a pair"):
        vl.fit_wave(np.arange(10.0), np.ones(10), window=3.0)


def test_diagnostics_stride_records_a_subset_and_changes_nothing_else():
    grid = vl.make_phase_space_grid(16, 64, L, 6.0)
    f0 = vl.make_landau(0.3, K)
    full = vl.solve_vlasov_poisson(f0, grid, dt=0.1, n_steps=20, save_times=(0.5, 1.0))
    for every in (1, 7, 20, 50):
        r = vl.solve_vlasov_poisson(f0, grid, dt=0.1, n_steps=20, save_times=(0.5, 1.0), diagnostics_every=every)
        steps = np.unique(np.r_[np.arange(0, 21, every), 20])
        np.testing.assert_array_equal(r.t, 0.1 * steps)
        for name in ("field_energy", "kinetic_energy", "mass", "momentum", "l2_norm", "entropy", "min_f",
                     "edge_mass", "field_modes"):
            np.testing.assert_array_equal(getattr(r, name), getattr(full, name)[steps])
        np.testing.assert_array_equal(r.f, full.f)
        np.testing.assert_array_equal(r.E, full.E)
        np.testing.assert_array_equal(r.f_saved, full.f_saved)
        assert r.success and r.n_steps == 20


def test_entropy_diagnostic_is_f_log_abs_f():
    from scipy import special

    grid = vl.make_phase_space_grid(16, 64, L, 6.0)
    r = vl.solve_vlasov_poisson(vl.make_landau(0.5, K), grid, dt=0.1, n_steps=30)
    assert r.min_f[-1] < 0  # negative values appear: |f| in the logarithm
    H = grid.dx * grid.dv * special.xlogy(r.f, np.abs(r.f)).sum()
    assert r.entropy[-1] == pytest.approx(H, rel=1e-13)


# --- the chapter's computational exercises ------------------------------------------------

def test_exercise_penrose_cutoff_by_quadrature_matches_the_closed_form():
    from exercise_cells import solution_answer

    # independent reference: the zero in k of the two-stream dielectric at omega = 0 (Brent)
    from scipy import optimize

    k_c = optimize.brentq(lambda k: vl.dielectric(0.0, k, densities=(0.5, 0.5), drifts=(2.4, -2.4),
                                                  thermal_speeds=(1.0, 1.0)).real, 0.3, 0.8, xtol=1e-14)
    assert solution_answer("vlasov", "ex-vlasov-penrose") == pytest.approx(k_c, rel=1e-7)


def test_exercise_landau_rate_at_k04_matches_the_dispersion_root():
    from exercise_cells import solution_answer
    from scipy import optimize, special

    # independent root: 1 + k^-2 (1 + zeta Z(zeta)) = 0 with Z from the Faddeeva function, by scipy's root finder
    def eps(w):
        zeta = complex(w[0], w[1]) / (np.sqrt(2) * 0.4)
        e = 1 + (1 + zeta * 1j * np.sqrt(np.pi) * special.wofz(zeta)) / 0.4**2
        return [e.real, e.imag]

    gamma = optimize.root(eps, [1.3, -0.07], tol=1e-13).x[1]
    assert gamma == pytest.approx(-0.0661280, abs=1e-6)
    assert solution_answer("vlasov", "ex-vlasov-rate-k04") == pytest.approx(gamma, rel=0.02)
