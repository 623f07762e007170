"""Tests of meanfield.bgk: the Schamel family and its Sagdeev potential against quadrature, BGK
modes (self-consistency checked by an independent integration and by spectral residuals,
stationarity in the solver), the residuals of the stationary equations in either sign
convention, and bad input."""

import numpy as np
import pytest
from scipy import integrate

from meanfield import bgk
from meanfield import vlasov as vl


# --- BGK modes ----------------------------------------------------------------------------

def test_maxwellian_sagdeev_potential_is_concave_so_no_periodic_mode():
    """beta = 1 is the Maxwellian: n = e^phi, V = phi + 1 - e^phi, V'' = -e^phi < 0."""
    phi = np.linspace(-3, 3, 61)
    for smoothing in (0.0, 0.3):
        np.testing.assert_allclose(bgk.schamel_density(phi, 1.0, smoothing=smoothing), np.exp(phi), rtol=1e-12)
        V = bgk.sagdeev_potential(phi, 1.0, smoothing=smoothing)
        np.testing.assert_allclose(V, phi + 1 - np.exp(phi), atol=1e-12)
    assert np.all(np.diff(V, 2) < 0) and np.all(V <= 0)  # concave, maximum 0 at phi = 0
    # the linearisation phi'' = phi has only Debye-shielded (exponential) solutions:
    # a periodic orbit would need V(phi1) = V(phi2) > V in between, impossible for concave V


def test_schamel_density_and_sagdeev_against_quadrature():
    beta, A = -2.5, 1.3
    for smoothing in (0.0, 0.2):
        for phi in (0.0, 0.4, 1.7):
            def g(v):
                return bgk.schamel_distribution(0.5 * v * v - phi, beta, A, smoothing)
            pts = [-np.sqrt(2 * phi), np.sqrt(2 * phi)] if phi > 0 else None
            ref = integrate.quad(g, -12, 12, points=pts, epsabs=1e-13, limit=200)[0]
            assert bgk.schamel_density(phi, beta, A, smoothing) == pytest.approx(ref, abs=1e-11)
        phi = 1.1
        dens = integrate.quad(lambda s: bgk.schamel_density(s, beta, A, smoothing) - 1, 0, phi, epsabs=1e-13)[0]
        assert bgk.sagdeev_potential(phi, beta, A, smoothing) == pytest.approx(-dens, abs=1e-11)
    # the smoothing converges to the kinked distribution (a factor 2^{|beta-1| delta} at most)
    eps = np.linspace(-2, 3, 11)
    g0 = bgk.schamel_distribution(eps, beta)
    assert np.all(np.abs(bgk.schamel_distribution(eps, beta, smoothing=1e-3) / g0 - 1) <= 2 ** (3.5e-3) - 1 + 1e-15)
    # the series/closed-form switch of the kinked density is seamless
    phi = np.array([1 / 2.5 - 1e-12, 1 / 2.5 + 1e-12])
    d = bgk.schamel_density(phi, beta)
    assert abs(d[1] - d[0]) < 1e-10


@pytest.fixture(scope="module")
def hole():
    return bgk.bgk_mode(0.5, 1.0, nx=32, nv=256)


def test_bgk_mode_is_self_consistent(hole):
    m, g = hole, hole.grid
    assert m.success and m.shooting_residual < 1e-10
    assert g.L == pytest.approx(4 * np.pi) and m.beta < 0 and m.norm > 1
    assert m.phi.min() == 0.0 and m.phi[0] == 0.0
    assert m.phi[g.nx // 2] == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(m.phi[1:], m.phi[1:][::-1], atol=1e-12)  # phi(L - x) = phi(x)
    np.testing.assert_allclose(m.separatrix, np.sqrt(2 * m.phi))
    # Poisson phi'' = n - 1 with the density of the sampled f, spectrally
    assert np.abs(bgk.poisson_residual(m.phi, m.f, g.x, g.v, L=g.L)).max() < 1e-8
    np.testing.assert_allclose(vl.density(m.f, g), m.n, atol=1e-10)
    np.testing.assert_allclose(vl.electric_field(m.n, g.L), m.E, atol=1e-9)
    # f = g(v^2/2 - phi): a stationary Vlasov solution, spectrally (7e-7 here, 5e-10 on 64 x 256);
    # the same g with 1.3 phi in the energy is not
    assert np.abs(bgk.vlasov_residual(m.f, m.phi, g.x, g.v, L=g.L)).max() < 1e-5
    wrong = m.g(0.5 * g.v[None, :] ** 2 - 1.3 * m.phi[:, None])
    assert np.abs(bgk.vlasov_residual(wrong, m.phi, g.x, g.v, L=g.L)).max() > 1e-2
    # the trapped population is a hole: f at the O-point below the separatrix value
    assert m.f[g.nx // 2, g.nv // 2] < m.g(0.0)


def test_bgk_profile_against_an_independent_integration(hole):
    """Integrate phi'' = n(phi) - 1 as a second-order system from the crest (phi = psi, phi' = 0)."""
    m = hole

    def rhs(_, y):
        return [y[1], bgk.schamel_density(y[0], m.beta, m.norm, m.smoothing) - 1]

    x = m.grid.x
    xs = x[x >= m.grid.L / 2]
    sol = integrate.solve_ivp(rhs, (m.grid.L / 2, xs[-1]), [1.0, 0.0], t_eval=xs, rtol=1e-11, atol=1e-13)
    np.testing.assert_allclose(sol.y[0], m.phi[x >= m.grid.L / 2], atol=1e-8)
    # the half period by adaptive quadrature of dphi / sqrt(-2 V)
    half = integrate.quad(lambda p: 1 / np.sqrt(-2 * bgk.sagdeev_potential(p, m.beta, m.norm, m.smoothing)),
                          0, 1.0, limit=200, epsabs=1e-12)[0]
    assert half == pytest.approx(m.grid.L / 2, rel=1e-8)


def test_bgk_mode_stays_stationary_in_the_solver_and_a_perturbation_does_not(hole):
    m, g = hole, hole.grid
    r = vl.solve_vlasov_poisson(m.f, g, dt=0.1, n_steps=500)
    assert r.success
    norm_E = np.sqrt(2 * r.field_energy)  # ||E||_2
    variation = (norm_E.max() - norm_E.min()) / norm_E[0]
    assert variation < 0.01  # measured: 0.15%, a time-step effect (same on 64 x 256)
    assert np.abs(r.f - m.f).max() < 3e-3 * m.f.max()  # measured: 1.6e-3
    assert r.energy_error < 1e-6 and r.mass_error < 1e-13
    # the same g with a potential that is not self-consistent is not stationary
    wrong = m.g(0.5 * g.v[None, :] ** 2 - 1.3 * m.phi[:, None])
    r2 = vl.solve_vlasov_poisson(wrong, g, dt=0.1, n_steps=500)
    norm_E = np.sqrt(2 * r2.field_energy)
    assert (norm_E.max() - norm_E.min()) / norm_E[0] > 0.05  # measured: 7.7%


def test_kinked_schamel_mode_closed_form():
    m = bgk.bgk_mode(0.5, 0.5, smoothing=0.0, nx=32, nv=128)
    assert m.success and m.shooting_residual < 1e-10
    assert m.beta == pytest.approx(-2.6341565, abs=1e-6) and m.norm == pytest.approx(1.0261864, abs=1e-6)
    # V(psi) = V(0) = 0 and a well in between
    V = bgk.sagdeev_potential(np.linspace(0, 0.5, 51), m.beta, m.norm)
    assert abs(V[-1]) < 1e-13 and np.all(V[1:-1] < 0)


def test_bgk_mode_does_not_exist_for_short_waves():
    with pytest.raises(ValueError, match=r"k: no periodic BGK mode of amplitude 1.0.*k must be < 0.74"):
        bgk.bgk_mode(1.0, 1.0, nx=16, nv=64)
    with pytest.raises(ValueError, match="k: no periodic BGK mode"):
        bgk.bgk_mode(2.0, 0.2, smoothing=0.0, nx=16, nv=64)


# --- residuals of the stationary equations --------------------------------------------------

def test_residuals_know_the_sign_convention():
    g = vl.make_phase_space_grid(32, 128, 2 * np.pi, 8.0)
    phi = 0.3 * np.cos(g.x) + 0.1 * np.sin(2 * g.x)
    v = g.v[None, :]
    f_electron = np.exp(-(0.5 * v**2 - phi[:, None]))  # this module: energy v^2/2 - phi
    f_gravity = np.exp(-(0.5 * v**2 + phi[:, None]))  # gravity sign: dv/dt = -phi', energy v^2/2 + phi
    assert np.abs(bgk.vlasov_residual(f_electron, phi, g.x, g.v, L=g.L)).max() < 1e-12
    assert np.abs(bgk.vlasov_residual(f_gravity, phi, g.x, g.v, L=g.L, acceleration_sign=-1)).max() < 1e-12
    assert np.abs(bgk.vlasov_residual(f_gravity, phi, g.x, g.v, L=g.L)).max() > 0.1
    # Chebyshev in x on a sub-interval agrees with the periodic computation
    xc = bgk.chebyshev_points(0.5, 2.5, 24)
    phic = 0.3 * np.cos(xc) + 0.1 * np.sin(2 * xc)
    fc = np.exp(-(0.5 * v**2 - phic[:, None])) * (1 + 0.1 * xc[:, None])  # not stationary
    exact = v * 0.1 * np.exp(-(0.5 * v**2 - phic[:, None]))  # v f_x + phi' f_v = v * 0.1 * e^{...}
    np.testing.assert_allclose(bgk.vlasov_residual(fc, phic, xc, g.v), exact, atol=1e-11)
    # Poisson: phi'' = rho - background
    rho = np.exp(0.2) * np.sqrt(2 * np.pi)
    f = np.broadcast_to(np.exp(-(0.5 * v**2 - 0.2)), g.shape)
    np.testing.assert_allclose(bgk.poisson_residual(np.zeros(32), f, g.x, g.v, L=g.L, background=rho), 0, atol=1e-12)


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: bgk.bgk_mode(0.5, 0.0), "amplitude: must be > 0"),
    (lambda: bgk.bgk_mode(0.5, 60.0), r"amplitude: must lie in \(0, 50\]"),
    (lambda: bgk.bgk_mode(0.5, 1.0, smoothing=-0.1), "smoothing: must be >= 0"),
    (lambda: bgk.bgk_mode(-0.5, 1.0), "k: must be > 0"),
    (lambda: bgk.bgk_mode(0.5, 1.0, vmax=3.0), "vmax: the velocity box"),
    (lambda: bgk.schamel_distribution(-10.0, 80.0), "beta: -beta"),
    (lambda: bgk.schamel_density(np.nan, -1.0), "phi: contains NaN"),
    (lambda: bgk.sagdeev_potential(1.0, -1.0, norm=0.0), "norm: must be > 0"),
    (lambda: bgk.vlasov_residual(np.full((4, 8), np.nan), np.zeros(4), np.arange(4.0), np.arange(8.0), L=4.0),
     "f: contains NaN"),
    (lambda: bgk.vlasov_residual(np.zeros((4, 8)), np.zeros(4), np.arange(4.0), np.arange(8.0), L=3.0),
     "x: for a period L = 3.0"),
    (lambda: bgk.vlasov_residual(np.zeros((4, 8)), np.zeros(4), np.arange(4.0), np.arange(8.0)),
     "x: without L, x must be Chebyshev"),
    (lambda: bgk.vlasov_residual(np.zeros((4, 8)), np.zeros(4), np.arange(4.0), np.arange(8.0), L=4.0,
                                acceleration_sign=2), "acceleration_sign: must be 1 or -1"),
    (lambda: bgk.poisson_residual(np.zeros(3), np.zeros((4, 8)), np.arange(4.0), np.arange(8.0), L=4.0),
     r"phi: expected shape \(4,\)"),
    (lambda: bgk.poisson_residual(np.zeros(4), np.zeros((4, 8)), np.arange(4.0), np.arange(8.0) ** 2, L=4.0),
     "v: must be increasing and uniformly spaced"),
    (lambda: bgk.chebyshev_points(1.0, 1.0, 5), "b: must be > a"),
])
def test_bad_input_raises_value_error_naming_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_the_schamel_parameter_depends_on_the_smoothing():
    """Same k and amplitude, four smoothings (0 = Schamel's kinked distribution): four different beta,
    moving monotonically with the smoothing; each mode has the requested period (shooting residual)."""
    modes = [vl.bgk_mode(0.5, 1.0, smoothing=d) for d in (0.0, 0.1, 0.2, 0.3)]
    betas = [m.beta for m in modes]
    assert betas == pytest.approx([-1.99149, -2.21707, -2.45556, -2.63578], abs=1e-5)
    assert betas[0] > betas[1] > betas[2] > betas[3]
    assert all(m.success and m.shooting_residual < 1e-10 for m in modes)
