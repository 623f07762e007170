"""Tests of meanfield.fokker_planck: the Scharfetter--Gummel finite-volume scheme.

Closed forms (heat kernel, Ornstein--Uhlenbeck, Gibbs states, Gaussian free
energies and Fisher informations), a second method (the exact backward-Euler
solution of the heat equation by Fourier transform, which isolates the
spatial error), convergence orders, invariants (mass, positivity, energy
decay) and bad input."""

import time

import numpy as np
import pytest
from scipy import stats

from meanfield import fokker_planck as fp
from meanfield.grids import make_grid

OU = lambda x: 0.5 * x**2  # noqa: E731
ATTRACT = lambda x: 0.5 * x**2  # noqa: E731


def gauss(x, m, var):
    return stats.norm.pdf(x, m, np.sqrt(var))


# --- Bernoulli function ---------------------------------------------------------

def test_bernoulli_values_identities_and_extremes():
    z = np.array([-50.0, -3.0, -1e-9, 0.0, 1e-9, 0.5, 3.0, 50.0])
    B = fp.bernoulli(z)
    nz = z != 0
    np.testing.assert_allclose(B[nz], z[nz] / np.expm1(z[nz]), rtol=1e-14)
    assert B[3] == 1.0
    # B(-z) = B(z) + z = e^z B(z)
    np.testing.assert_allclose(fp.bernoulli(-z), B + z, rtol=1e-13, atol=1e-15)
    # series 1 - z/2 + z^2/12 near 0
    small = np.array([-1e-4, 1e-4])
    np.testing.assert_allclose(fp.bernoulli(small), 1 - small / 2 + small**2 / 12, rtol=1e-15)
    # no overflow, no warning (-W error), correct asymptotics at both ends
    big = fp.bernoulli([-1e4, 1e3, 1e4])
    assert big[0] == pytest.approx(1e4, rel=1e-15)
    assert big[1] == pytest.approx(1e3 * np.exp(-1e3), rel=1e-12)
    assert big[2] == 0.0
    assert np.all(fp.bernoulli(np.linspace(-700, 700, 101)) > 0)


# --- invariants ---------------------------------------------------------------------

def rough_start(grid, seed=0):
    """Noisy, partly empty initial density (zeros on two blocks of cells)."""
    rng = np.random.default_rng(seed)
    rho = rng.uniform(0.0, 1.0, grid.n)
    rho[: grid.n // 4] = 0.0
    rho[grid.n // 2 : grid.n // 2 + 5] = 0.0
    return rho / grid.integrate(rho)


@pytest.mark.parametrize("W", [None, ATTRACT, lambda x: -np.cos(x)])
def test_mass_conserved_and_positivity_on_a_rough_start(W):
    g = make_grid(-4.0, 4.0, 200)
    res = fp.solve_fokker_planck(rough_start(g), g, V=lambda x: x**4 / 4 - x**2, W=W,
                                 beta=3.0, dt=0.05, n_steps=200, save_every=10)
    assert res.success and res.n_steps == 200
    assert np.max(np.abs(res.mass - 1.0)) < 1e-12
    assert np.all(res.rho >= 0)
    # the M-matrix inverse is entrywise positive: every cell is occupied after one step
    one = fp.solve_fokker_planck(rough_start(g), g, W=W, dt=1e-3, n_steps=1)
    assert np.all(one.rho[-1] > 0)
    assert np.all(np.diff(res.free_energy) <= 1e-12)


def test_save_every_and_result_fields():
    g = make_grid(-3.0, 3.0, 60)
    rho0 = fp.make_density(lambda x: np.exp(-(x**2)), g)
    res = fp.solve_fokker_planck(rho0, g, dt=0.01, n_steps=10, save_every=4)
    np.testing.assert_allclose(res.t, [0.0, 0.04, 0.08, 0.10], atol=1e-15)
    assert res.rho.shape == (4, 60) and res.mass.shape == res.free_energy.shape == res.dissipation.shape == (4,)
    np.testing.assert_array_equal(res.rho[0], rho0)
    assert res.grid is g and res.dt == 0.01 and res.beta == 1.0 and res.message == "10 steps completed"
    full = fp.solve_fokker_planck(rho0, g, dt=0.01, n_steps=10)
    np.testing.assert_array_equal(full.rho[[0, 4, 8, 10]], res.rho)


def test_gibbs_state_is_stationary_to_rounding():
    """W = 0: the SG flux vanishes on exp(-beta V)/Z, so the scheme keeps it."""
    g = make_grid(-3.0, 3.0, 150)
    V = lambda x: x**4 - 2 * x**2 + 0.3 * x  # noqa: E731 (double well, tilted)
    for beta in (0.5, 4.0):
        rho_inf = fp.gibbs_state(g, V, beta=beta)
        res = fp.solve_fokker_planck(rho_inf, g, V=V, beta=beta, dt=0.1, n_steps=500, save_every=500)
        assert np.max(np.abs(res.rho[-1] - rho_inf)) < 1e-11 * rho_inf.max()
        assert res.dissipation[-1] == pytest.approx(0.0, abs=1e-20)


def test_long_time_limit_is_the_gibbs_state():
    g = make_grid(-3.0, 3.0, 120)
    V = lambda x: x**4 - 2 * x**2  # noqa: E731
    res = fp.solve_fokker_planck(rough_start(g, 3), g, V=V, beta=2.0, dt=0.5, n_steps=400, save_every=400)
    assert np.max(np.abs(res.rho[-1] - fp.gibbs_state(g, V, beta=2.0))) < 1e-10


def test_self_consistent_steady_state_with_interaction():
    """V = W = x^2/2: Phi = x^2 - m x + const, steady state N(0, 1/(2 beta)) when m = 0.

    On the grid the limit solves rho = exp(-beta (V + W*rho)) / Z exactly (fixed point)."""
    beta = 1.5
    g = make_grid(-4.0, 4.0, 320)
    rho0 = fp.make_density(lambda x: gauss(x, 0.0, 1.0) + gauss(x, 0.0, 0.1), g)  # symmetric, m = 0
    res = fp.solve_fokker_planck(rho0, g, V=OU, W=ATTRACT, beta=beta, dt=0.2, n_steps=300, save_every=300)
    rho = res.rho[-1]
    phi = OU(g.centers) + g.dx * (ATTRACT(g.centers[:, None] - g.centers[None, :]) @ rho)
    fixed = np.exp(-beta * (phi - phi.min()))
    assert np.max(np.abs(rho - fixed / g.integrate(fixed))) < 1e-12
    var = g.integrate(g.centers**2 * rho)
    assert var == pytest.approx(1 / (2 * beta), rel=2e-4)  # O(dx^2) on the grid


def test_free_energy_decreases_with_convex_confinement_and_interaction():
    g = make_grid(-5.0, 5.0, 200)
    rho0 = fp.make_density(lambda x: gauss(x, -1.5, 0.2) + gauss(x, 2.0, 0.3), g)
    res = fp.solve_fokker_planck(rho0, g, V=OU, W=ATTRACT, beta=2.0, dt=0.01, n_steps=300)
    dF = np.diff(res.free_energy)
    assert np.all(dF < 0)
    assert res.free_energy[0] - res.free_energy[-1] > 1.0
    # energy identity: -dF/dt ~ dissipation (first order in dt)
    np.testing.assert_allclose(-dF / 0.01, res.dissipation[1:], rtol=0.05)


def test_discrete_energy_inequality_for_w_zero():
    """Backward Euler + convexity of F_h: F(rho^k) - F(rho^{k+1}) >= dt I(rho^{k+1}), ratio -> 1."""
    g = make_grid(-4.0, 4.0, 160)
    rho0 = fp.make_density(lambda x: gauss(x, 1.0, 0.1) + 0.5 * gauss(x, -1.0, 0.3), g)
    ratios = []
    for dt in (0.02, 0.002):
        res = fp.solve_fokker_planck(rho0, g, V=OU, beta=1.0, dt=dt, n_steps=round(0.2 / dt))
        drop = -np.diff(res.free_energy)
        assert np.all(drop >= dt * res.dissipation[1:])
        ratios.append(np.max(drop / (dt * res.dissipation[1:])))
    assert ratios[1] - 1 < 0.15 * (ratios[0] - 1)  # first order in dt
    assert ratios[1] < 1.02


def test_interaction_dense_and_fft_paths_agree_with_the_direct_sum():
    g = make_grid(-2.0, 3.0, 301)
    rho = rough_start(g, 5)
    W = lambda x: np.exp(-np.abs(x)) + x**2  # noqa: E731
    direct = np.array([g.dx * np.sum(W(xi - g.centers) * rho) for xi in g.centers])
    dense = fp._Interaction(W, g)
    fft = fp._Interaction(W, g, dense_max=0)
    assert dense.matrix is not None and fft.matrix is None
    np.testing.assert_allclose(dense(rho), direct, rtol=1e-13)
    np.testing.assert_allclose(fft(rho), direct, rtol=1e-12)


# --- free energy and dissipation of Gaussians (closed forms) ------------------------------

def test_free_energy_and_dissipation_of_gaussians():
    g = make_grid(-10.0, 10.0, 2000)
    m, s2, beta = 0.7, 0.6, 2.0
    rho = gauss(g.centers, m, s2)
    entropy = -0.5 * np.log(2 * np.pi * np.e * s2)
    # heat: F = beta^-1 int rho log rho; I = beta^-2 * Fisher information 1/s^2
    assert fp.free_energy(rho, g, beta=beta) == pytest.approx(entropy / beta, rel=1e-10)
    # (for V = 0 and a Gaussian the discrete sum is spectrally accurate)
    assert fp.dissipation(rho, g, beta=beta) == pytest.approx(1 / (beta**2 * s2), rel=1e-10)
    # OU + attraction W = x^2/2: F = (m^2 + s^2)/2 + s^2/2 + entropy/beta
    F = fp.free_energy(rho, g, V=OU, W=ATTRACT, beta=beta)
    assert F == pytest.approx((m**2 + s2) / 2 + s2 / 2 + entropy / beta, rel=1e-10)
    # OU: I = E|x - (x - m)/(beta s^2)|^2 = (1 - a)^2 s^2 + m^2, a = 1/(beta s^2)
    a = 1 / (beta * s2)
    assert fp.dissipation(rho, g, V=OU, beta=beta) == pytest.approx((1 - a) ** 2 * s2 + m**2, rel=1e-4)


def test_dissipation_is_second_order_in_dx():
    """OU, N(m, s^2): I = (1 - a)^2 s^2 + m^2 with a = 1/(beta s^2)."""
    m, s2, beta = 0.7, 0.6, 2.0
    exact = (1 - 1 / (beta * s2)) ** 2 * s2 + m**2
    errs, dxs = [], []
    for n in (500, 1000, 2000):
        g = make_grid(-10.0, 10.0, n)
        errs.append(abs(fp.dissipation(gauss(g.centers, m, s2), g, V=OU, beta=beta) - exact))
        dxs.append(g.dx)
    assert np.polyfit(np.log(dxs), np.log(errs), 1)[0] == pytest.approx(2.0, abs=0.02)


def test_empty_cells_in_the_dissipation():
    g = make_grid(0.0, 1.0, 4)
    assert fp.dissipation([0.0, 0.0, 2.0, 2.0], g) == np.inf
    assert fp.dissipation([0.0, 0.0, 0.0, 4.0], g) == np.inf
    assert fp.dissipation([2.0, 2.0, 0.0, 0.0], g, beta=2.0) == np.inf
    # empty | empty faces contribute 0, and a uniform block has no flux
    g5 = make_grid(0.0, 1.0, 5)
    assert fp.dissipation([0.0, 0.0, 0.0, 2.5, 2.5], g5) == np.inf
    assert fp.free_energy([0.0, 0.0, 0.0, 2.5, 2.5], g5) == pytest.approx(np.log(2.5))


# --- convergence ---------------------------------------------------------------------

S0, T_END, L = 0.25, 0.1, 4.0  # heat equation from N(0, S0^2) on [-L, L], up to T_END


def heat_start(g):
    rho = gauss(g.centers, 0.0, S0**2)
    return rho / g.integrate(rho)


def backward_euler_heat(x, dt, n):
    """Exact (I - dt d_xx)^{-n} N(0, S0^2) on the line, by Fourier transform.

    rho(x) = (1/pi) int_0^inf exp(-S0^2 k^2 / 2) (1 + dt k^2)^{-n} cos(k x) dk (trapezoid rule,
    spectrally accurate: aliasing period 2 pi / 0.01)."""
    k = np.linspace(0.0, 60.0, 6001)
    f = np.exp(-(S0**2) * k**2 / 2) / (1 + dt * k**2) ** n
    return np.trapezoid(f * np.cos(np.outer(x, k)), k, axis=1) / np.pi


def test_heat_equation_is_first_order_in_time():
    """Against the exact heat kernel N(0, S0^2 + 2t) at fine dx (spatial error < 1e-5)."""
    g = make_grid(-L, L, 1600)
    dts = T_END / np.array([10, 20, 40, 80, 160])
    errs = []
    for dt in dts:
        res = fp.solve_fokker_planck(heat_start(g), g, dt=dt, n_steps=round(T_END / dt), save_every=10**6)
        errs.append(np.max(np.abs(res.rho[-1] - gauss(g.centers, 0.0, S0**2 + 2 * T_END))))
    slope = np.polyfit(np.log(dts), np.log(errs), 1)[0]
    assert slope == pytest.approx(1.0, abs=0.02)
    assert 9e-4 < errs[-1] < 1.2e-3


def test_heat_equation_is_second_order_in_space():
    """Same dt: the error against the exact backward-Euler solution is the spatial error alone."""
    dt, n_steps = T_END / 20, 20
    errs, dxs = [], []
    for n in (50, 100, 200, 400):
        g = make_grid(-L, L, n)
        res = fp.solve_fokker_planck(heat_start(g), g, dt=dt, n_steps=n_steps, save_every=n_steps)
        errs.append(np.max(np.abs(res.rho[-1] - backward_euler_heat(g.centers, dt, n_steps))))
        dxs.append(g.dx)
    slope = np.polyfit(np.log(dxs), np.log(errs), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.05)
    assert errs[-1] < 2e-4


def test_ornstein_uhlenbeck_against_the_exact_gaussian():
    beta, m0, s02, T = 2.0, 1.0, 0.5, 1.0
    g = make_grid(-4.0, 5.0, 450)
    rho0 = gauss(g.centers, m0, s02)
    rho0 /= g.integrate(rho0)
    m_ex = m0 * np.exp(-T)
    v_ex = s02 * np.exp(-2 * T) + (1 - np.exp(-2 * T)) / beta
    errs = []
    for dt in (0.02, 0.01, 0.005):
        res = fp.solve_fokker_planck(rho0, g, V=OU, beta=beta, dt=dt, n_steps=round(T / dt), save_every=10**6)
        rho = res.rho[-1]
        errs.append(np.max(np.abs(rho - gauss(g.centers, m_ex, v_ex))))
        m = g.integrate(g.centers * rho)
        v = g.integrate((g.centers - m) ** 2 * rho)
        # backward Euler on the moment ODEs: m_k = m0 (1 + dt)^{-k} exactly (linear drift, no-flux walls far away)
        assert m == pytest.approx(m0 * (1 + dt) ** (-round(T / dt)), rel=1e-3)
        assert abs(v - v_ex) < 0.7 * dt
    assert np.polyfit(np.log([0.02, 0.01, 0.005]), np.log(errs), 1)[0] == pytest.approx(1.0, abs=0.05)
    assert errs[-1] < 2e-3


def test_speed_400_cells_1000_steps():
    g = make_grid(-6.0, 6.0, 400)
    rho0 = fp.make_density(lambda x: np.exp(-((x - 1) ** 2)), g)
    t0 = time.perf_counter()
    res = fp.solve_fokker_planck(rho0, g, V=OU, dt=1e-3, n_steps=1000, save_every=100)
    elapsed = time.perf_counter() - t0
    assert res.success and elapsed < 1.0


def test_failed_solve_is_reported(monkeypatch):
    g = make_grid(-1.0, 1.0, 10)
    rho0 = np.full(10, 0.5)
    calls = {"n": 0}
    real = fp.linalg.solve_banded

    def flaky(*args, **kwargs):
        calls["n"] += 1
        out = real(*args, **kwargs)
        return out if calls["n"] < 3 else np.full_like(out, np.nan)

    monkeypatch.setattr(fp.linalg, "solve_banded", flaky)
    res = fp.solve_fokker_planck(rho0, g, dt=0.1, n_steps=5, save_every=5)
    assert not res.success and res.message.startswith("step 3:")
    assert res.n_steps == 2
    np.testing.assert_allclose(res.t, [0.0, 0.2])
    assert np.all(np.isfinite(res.rho))


# --- helpers and bad input --------------------------------------------------------------

def test_make_density_and_gibbs_state():
    g = make_grid(-5.0, 5.0, 50)
    rho = fp.make_density(lambda x: 3.0 * np.exp(-(x**2)), g)
    assert g.integrate(rho) == pytest.approx(1.0, rel=1e-15)
    gibbs = fp.gibbs_state(g, lambda x: x**2, beta=1.0)
    np.testing.assert_allclose(gibbs, rho, rtol=1e-14)
    # no overflow for a steep potential
    steep = fp.gibbs_state(g, lambda x: 1e3 * x**2, beta=10.0)
    assert np.all(np.isfinite(steep)) and g.integrate(steep) == pytest.approx(1.0)
    np.testing.assert_allclose(fp.gibbs_state(g), 0.1, rtol=1e-14)  # V = 0: uniform


G = make_grid(-1.0, 1.0, 10)
RHO = np.full(10, 0.5)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: fp.solve_fokker_planck(RHO, G, dt=0.0, n_steps=1), "dt: must be > 0, got 0.0"),
        (lambda: fp.solve_fokker_planck(RHO, G, dt=-1.0, n_steps=1), "dt: must be > 0, got -1.0"),
        (lambda: fp.solve_fokker_planck(RHO, G, dt=0.1, n_steps=0), "n_steps: must be an integer >= 1, got 0"),
        (lambda: fp.solve_fokker_planck(RHO, G, dt=0.1, n_steps=1, beta=0.0), "beta: must be > 0"),
        (lambda: fp.solve_fokker_planck(RHO, G, dt=0.1, n_steps=1, save_every=0), "save_every: must be an integer >= 1"),
        (lambda: fp.solve_fokker_planck(RHO[:-1], G, dt=0.1, n_steps=1), r"rho0: expected shape \(10,\)"),
        (lambda: fp.solve_fokker_planck(RHO * 1.01, G, dt=0.1, n_steps=1), "rho0: must be a probability density on the grid"),
        (lambda: fp.solve_fokker_planck(RHO + 1e-7, G, dt=0.1, n_steps=1), "rho0: must be a probability density"),
        (lambda: fp.solve_fokker_planck(np.r_[-0.1, 0.6, RHO[2:]], G, dt=0.1, n_steps=1), "rho0: must be a probability density"),
        (lambda: fp.solve_fokker_planck(np.r_[np.nan, RHO[1:]], G, dt=0.1, n_steps=1), "rho0: contains NaN"),
        (lambda: fp.solve_fokker_planck(RHO, G, V=lambda x: np.where(x > 0, 0.0, np.inf), dt=0.1, n_steps=1), "V: returned NaN or infinite"),
        (lambda: fp.solve_fokker_planck(RHO, G, V=lambda x: x[:3], dt=0.1, n_steps=1), "V: must map an array of shape"),
        (lambda: fp.solve_fokker_planck(RHO, G, W=lambda x: x, dt=0.1, n_steps=1), "W: must be even"),
        (lambda: fp.free_energy(-RHO, G), "rho: must have finite values >= 0"),
        (lambda: fp.dissipation(RHO, G, beta=-1.0), "beta: must be > 0, got -1.0"),
        (lambda: fp.make_density(lambda x: -np.ones_like(x), G), "pdf: must be >= 0"),
        (lambda: fp.make_density(lambda x: np.zeros_like(x), G), "pdf: vanishes"),
        (lambda: fp.bernoulli([0.0, np.inf]), "z: contains NaN or infinite"),
        (lambda: make_grid(1.0, 0.0, 10), "b: must be > a"),
    ],
)
def test_bad_input_raises_value_error_naming_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_bad_types_raise_type_error():
    with pytest.raises(TypeError, match="grid: expected a meanfield.grids.Grid1D"):
        fp.solve_fokker_planck(RHO, (-1.0, 1.0, 10), dt=0.1, n_steps=1)
    with pytest.raises(TypeError, match="V: expected a callable"):
        fp.solve_fokker_planck(RHO, G, V=np.zeros(10), dt=0.1, n_steps=1)
    with pytest.raises(TypeError, match="n_steps: expected an integer"):
        fp.solve_fokker_planck(RHO, G, dt=0.1, n_steps=2.0)


# --- the Landau free energy -------------------------------------------------------------------

def test_landau_profile_closed_form_for_quadratic_confinement():
    # V = x^2/2, W = theta x^2/2: rho_eta = N(eta/(1+theta), 1/(beta(1+theta))) and F(m) - F(0) = m^2/2
    grid = make_grid(-8.0, 8.0, 800)
    prof = fp.landau_profile(grid, np.linspace(-1.0, 1.0, 5), V=lambda x: 0.5 * x**2, theta=1.0, beta=2.0)
    np.testing.assert_allclose(prof.m, np.linspace(-1.0, 1.0, 5) / 2, atol=1e-10)
    np.testing.assert_allclose(prof.free_energy - prof.free_energy[2], prof.m**2 / 2, atol=1e-6)
    with pytest.raises(ValueError, match="theta"):
        fp.landau_profile(grid, [0.0], V=lambda x: 0.5 * x**2, theta=-1.0)
    with pytest.raises(ValueError, match="fields"):
        fp.landau_profile(grid, [np.inf], V=lambda x: 0.5 * x**2, theta=1.0)


def test_landau_profile_is_the_constrained_minimum():
    # any other density of the same mean has a larger free energy
    from meanfield import particles as pt

    grid = make_grid(-3.5, 3.5, 350)
    V = lambda x: x**4 / 4 - x**2 / 2  # noqa: E731
    W = lambda x: 0.5 * x**2  # noqa: E731
    prof = fp.landau_profile(grid, [0.3], V=V, theta=1.0, beta=3.0)
    rho = prof.rho[0]
    x = grid.centers
    for k in (2, 3):
        bump = np.cos(k * x) * rho
        bump -= rho * (grid.integrate(bump) + (x - prof.m[0]) * grid.integrate((x - prof.m[0]) * bump)
                       / grid.integrate((x - prof.m[0]) ** 2 * rho))  # keep mass and mean
        other = rho + 0.05 * bump / np.max(np.abs(bump / rho))
        assert grid.integrate(x * other) == pytest.approx(prof.m[0], abs=1e-10)
        assert fp.free_energy(other, grid, V=V, W=W, beta=3.0) > prof.free_energy[0]
    # its curvature at m = 0 changes sign at the critical beta of the self-consistency condition
    bc = pt.desai_zwanzig_critical_beta(1.0)
    for b, sign in ((0.95 * bc, 1), (1.05 * bc, -1)):
        p = fp.landau_profile(grid, [-1e-3, 0.0, 1e-3], V=V, theta=1.0, beta=b)
        assert np.sign(p.free_energy[0] - 2 * p.free_energy[1] + p.free_energy[2]) == sign


# --- exercises of the chapter gradient_flows --------------------------------------------------------

def test_exercise_rate():
    from exercise_cells import solution_answer

    assert solution_answer("gradient_flows", "ex-gradient_flows-rate") == pytest.approx(2.0, rel=0.01)


def test_exercise_critical():
    from scipy import integrate, optimize

    from exercise_cells import solution_answer

    def f(beta, theta=2.0):  # beta theta Var_{mu_0} = 1, by scipy quadrature
        w = lambda x: np.exp(-beta * (x**4 / 4 - x**2 / 2 + theta * x**2 / 2))  # noqa: E731
        return beta * theta * integrate.quad(lambda x: x * x * w(x), -np.inf, np.inf)[0] / integrate.quad(
            w, -np.inf, np.inf)[0] - 1

    ref = optimize.brentq(f, 0.1, 10.0, xtol=1e-12)
    assert solution_answer("gradient_flows", "ex-gradient_flows-critical") == pytest.approx(ref, rel=2e-3)
