"""Tests of meanfield.transport: closed forms vs quadrature vs POT, maps, geodesics."""

import numpy as np
import pytest
from scipy import integrate, stats

from meanfield import transport as tr

U01, N01 = tr.uniform(0, 1), tr.gaussian(0, 1)


def test_gaussian_mixture_law():
    mix = tr.gaussian_mixture([-1.5, 1.5], [0.4, 0.4])
    x = np.linspace(-2.5, 2.5, 11)
    np.testing.assert_allclose(mix.ppf(mix.cdf(x)), x, atol=1e-10)
    assert integrate.quad(mix.pdf, -10, 10)[0] == pytest.approx(1.0, abs=1e-10)
    # a one-component mixture is the Gaussian: same W2 to any law
    one = tr.gaussian_mixture([0.3], [1.2])
    assert tr.w2_1d(one, U01) == pytest.approx(tr.w2_uniform_gaussian(0, 1, 0.3, 1.2), abs=1e-9)
    with pytest.raises(ValueError, match="weights: must be >= 0"):
        tr.gaussian_mixture([0, 1], [1, 1], [0.5, 0.6])


def test_histogram_law_is_exact_for_piecewise_constant_densities():
    edges = np.array([0.0, 1.0, 3.0])
    law = tr.from_histogram(edges, [0.5, 0.25])
    np.testing.assert_allclose(law.ppf([0.25, 0.5, 0.75]), [0.5, 1.0, 2.0])
    np.testing.assert_allclose(law.cdf([0.5, 2.0]), [0.25, 0.75])
    fine = np.linspace(-8, 8, 4001)
    cell_mass = np.diff(stats.norm.cdf(fine))
    g = tr.from_histogram(fine, cell_mass / cell_mass.sum() / np.diff(fine))
    assert tr.w2_1d(g, N01) < 2e-3
    with pytest.raises(ValueError, match="density: has mass 0.75, not 1"):
        tr.from_histogram(edges, [0.5, 0.125])
    with pytest.raises(ValueError, match="edges: a strictly increasing"):
        tr.from_histogram([0.0, 0.0, 1.0], [1.0, 1.0])


def test_C16_two_diracs():
    assert tr.w2_dirac(0.0, 1.0) == 1.0
    assert tr.w2_1d(tr.dirac(0.0), tr.dirac(1.0)) == pytest.approx(1.0, abs=1e-12)
    assert tr.w2_empirical([0.0], [1.0]) == pytest.approx(1.0, abs=1e-15)
    plan = tr.optimal_plan([0.0], [1.0])
    np.testing.assert_array_equal(plan, [[1.0]])  # the only coupling: delta_0 x delta_1
    assert tr.w2_dirac([0.0, 0.0], [3.0, 4.0]) == 5.0


def test_C17_uniform_to_uniform_and_the_mass_of_the_text():
    with pytest.raises(ValueError, match="density: 0.5 on \\[0, 1\\] has mass 0.5, not 1"):
        tr.uniform(0, 1, density=0.5)
    mu, nu = tr.uniform(0, 1, density=1.0), tr.uniform(2, 3)
    assert tr.w2_1d(mu, nu) ** 2 == pytest.approx(4.0, rel=1e-12)
    x = np.linspace(0.01, 0.99, 50)
    np.testing.assert_allclose(tr.optimal_map_1d(mu, nu, x), x + 2, atol=1e-12)
    # the text's own integrand with the density 1/2 gives 2, not 4
    half, _ = integrate.quad(lambda x: (x + 2 - x) ** 2 * 0.5, 0, 1)
    assert half == pytest.approx(2.0)


@pytest.mark.parametrize("m, s1, s2", [(0.0, 1.0, 2.0), (1.5, 0.3, 0.7), (-2.0, 1.0, 1.0)])
def test_C18_gaussians_three_ways(m, s1, s2):
    closed = np.sqrt(m**2 + (s1 - s2) ** 2)
    assert tr.w2_1d(tr.gaussian(0, s1), tr.gaussian(m, s2)) == pytest.approx(closed, rel=1e-9, abs=1e-9)
    assert tr.w2_gaussian(0, s1**2, m, s2**2) == pytest.approx(closed, rel=1e-12, abs=1e-12)
    assert tr.w2_gaussian_pot(0, s1**2, m, s2**2) == pytest.approx(closed, rel=1e-8, abs=1e-8)


def test_bures_in_higher_dimension_matches_pot_and_commuting_case():
    rng = np.random.default_rng(4)
    A, B = rng.normal(size=(2, 4, 4))
    C0, C1 = A @ A.T + 0.5 * np.eye(4), B @ B.T + 0.5 * np.eye(4)
    m0, m1 = rng.normal(size=(2, 4))
    assert tr.w2_gaussian(m0, C0, m1, C1) == pytest.approx(tr.w2_gaussian_pot(m0, C0, m1, C1), rel=1e-8)
    # commuting (diagonal) covariances: sum of 1D distances
    d0, d1 = np.array([1.0, 4.0, 0.25]), np.array([9.0, 1.0, 1.0])
    ref = np.sqrt(np.sum((np.sqrt(d0) - np.sqrt(d1)) ** 2) + 3.0)
    assert tr.w2_gaussian(np.zeros(3), np.diag(d0), np.ones(3), np.diag(d1)) == pytest.approx(ref, rel=1e-12)


def test_C19_uniform_to_gaussian_closed_form():
    """W2^2(U[0,1], N(0,1)) = 1/3 + 1 - 2 E[U Phi^{-1}(U)] = 4/3 - 1/sqrt(pi) (Stein: E[Z Phi(Z)] = E[phi(Z)])."""
    closed = np.sqrt(4 / 3 - 1 / np.sqrt(np.pi))
    assert closed == pytest.approx(0.87701, abs=5e-6)
    assert tr.w2_1d(U01, N01) == pytest.approx(closed, rel=1e-10)
    assert abs(closed - 0.867) > 0.009  # the text's value is off in the second decimal


@pytest.mark.parametrize("a, b, m, sd", [(0, 1, 0, 1), (-1, 2, 0.5, 0.3), (2, 2.5, -1, 2)])
def test_uniform_closed_forms_against_quadrature(a, b, m, sd):
    assert tr.w2_uniform_gaussian(a, b, m, sd) == pytest.approx(tr.w2_1d(tr.uniform(a, b), tr.gaussian(m, sd)), rel=1e-9)
    assert tr.w2_uniform(a, b, m, m + sd) == pytest.approx(tr.w2_1d(tr.uniform(a, b), tr.uniform(m, m + sd)), rel=1e-9)


def test_C19_pot_on_samples_agrees_and_error_shrinks_like_root_n():
    study = tr.sampling_error_study(U01, N01, [100, 400, 1600, 6400], n_rep=40, rng=1)
    assert study.exact == pytest.approx(np.sqrt(4 / 3 - 1 / np.sqrt(np.pi)), rel=1e-10)
    assert -0.6 < study.slope < -0.35
    assert study.error[-1] < 0.02
    # the exact LP (ot.emd2) and the sorting routine agree on the same samples
    x, y = U01.sample(300, rng=2), N01.sample(300, rng=3)
    assert tr.w2_empirical(x, y, method="emd") == pytest.approx(tr.w2_empirical(x, y, method="1d"), rel=1e-9)


def test_C20_the_map_and_its_inverse():
    """T = Phi^{-1} on (0,1) pushes U[0,1] to N(0,1); the text's F_mu^{-1}(F_nu(x)) = Phi(x) is T^{-1}."""
    x = np.linspace(0.02, 0.98, 25)
    np.testing.assert_allclose(tr.optimal_map_1d(U01, N01, x), stats.norm.ppf(x), rtol=1e-12)
    z = np.linspace(-3, 3, 61)
    inverse = tr.optimal_map_1d(N01, U01, z)
    np.testing.assert_allclose(np.gradient(inverse, z), stats.norm.pdf(z), atol=2e-3)
    # Monge-Ampere in 1D: f_nu(T(x)) T'(x) = f_mu(x) = 1
    xf = np.linspace(0.05, 0.95, 901)
    T = tr.optimal_map_1d(U01, N01, xf)
    dT = np.gradient(T, xf)
    np.testing.assert_allclose((stats.norm.pdf(T) * dT)[1:-1], 1.0, atol=1e-4)


def test_displacement_interpolation_endpoints_mass_and_midpoint():
    mu, nu = tr.gaussian(-1, 0.5), tr.gaussian(2, 1.5)
    for t in (0.0, 0.3, 1.0):
        it = tr.displacement_interpolation_1d(mu, nu, t, n=2000, eps=1e-10)
        assert integrate.simpson(it.density, x=it.x) == pytest.approx(1.0, abs=1e-4)
        # Gaussian geodesic: N((1-t) m0 + t m1, ((1-t) s0 + t s1)^2)
        ref = stats.norm((1 - t) * -1 + t * 2, (1 - t) * 0.5 + t * 1.5).pdf(it.x)
        np.testing.assert_allclose(it.density, ref, rtol=1e-9, atol=1e-12)
    it = tr.displacement_interpolation_1d(U01, N01, 0.4)
    assert np.all(np.diff(it.x) > 0)


@pytest.mark.parametrize("mu, nu", [(U01, N01), (tr.gaussian(-1, 0.5), tr.gaussian(2, 1.5)), (U01, tr.uniform(2, 3))])
def test_benamou_brenier_action_equals_w2_squared(mu, nu):
    bb = tr.benamou_brenier_check(mu, nu)
    assert bb.action == pytest.approx(bb.w2_squared, rel=1e-4)
    assert bb.continuity_residual < 2e-3


def test_empirical_2d_emd_against_bures():
    rng = np.random.default_rng(5)
    x = rng.normal(size=(400, 2))
    y = rng.normal(size=(400, 2)) * [2.0, 0.5] + [1.0, 0.0]
    exact = tr.w2_gaussian([0, 0], np.eye(2), [1, 0], np.diag([4.0, 0.25]))
    assert tr.w2_empirical(x, y) == pytest.approx(exact, abs=0.15)
    plan = tr.optimal_plan(x[:50], y[:50])
    np.testing.assert_allclose(plan.sum(axis=1), 1 / 50)
    np.testing.assert_allclose(plan.sum(axis=0), 1 / 50)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: tr.uniform(1, 0), "a, b: need finite a < b"),
        (lambda: tr.gaussian(0, 0), "sd: must be > 0"),
        (lambda: tr.gaussian(0, -1), "sd: must be > 0"),
        (lambda: tr.w2_gaussian(0, -1.0, 0, 1.0), "positive definite"),
        (lambda: tr.w2_gaussian([0, 0], np.eye(2), [0, 0, 0], np.eye(3)), "dimensions differ"),
        (lambda: tr.w2_gaussian([0, 0], np.eye(3), [0, 0], np.eye(2)), r"covariance of shape \(2, 2\)"),
        (lambda: tr.w2_empirical([], [1.0]), "x: expected a non-empty array"),
        (lambda: tr.w2_empirical(np.zeros((3, 2)), np.zeros((3, 3))), "mismatched dimensions"),
        (lambda: tr.w2_empirical([0.0, 1.0], [1.0], a=[0.5, 0.4]), "sum to 1"),
        (lambda: tr.w2_empirical(np.zeros((3, 2)), np.zeros((3, 2)), method="1d"), "method: '1d' needs samples on the line"),
        (lambda: tr.w2_empirical([0.0], [1.0], method="sinkhorn"), "method: unknown value"),
        (lambda: tr.w2_dirac([0.0, 1.0], [1.0]), "x, y: points of the same dimension"),
        (lambda: tr.optimal_map_1d(tr.dirac(0.0), N01, [0.0]), "mu: delta_0 has atoms"),
        (lambda: tr.displacement_interpolation_1d(U01, N01, 1.5), r"t: must lie in \[0.0, 1.0\]"),
        (lambda: tr.sampling_error_study(U01, N01, [10]), "ns: give at least two"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_bad_types():
    with pytest.raises(TypeError, match="mu: expected a Law1D"):
        tr.w2_1d(stats.norm(), N01)


# --- nearest Gaussian, Brenier's Gaussian map -------------------------------------------

def test_nearest_gaussian_to_the_uniform_closed_form():
    g = tr.nearest_gaussian_1d(U01)
    assert g.mean == pytest.approx(0.5, abs=1e-12)
    assert g.sd == pytest.approx(1 / (2 * np.sqrt(np.pi)), abs=1e-12)
    assert g.distance == pytest.approx(np.sqrt(1 / 12 - 1 / (4 * np.pi)), abs=1e-10)
    assert g.law_sd == pytest.approx(1 / np.sqrt(12), abs=1e-12)
    # it beats every Gaussian on a grid of means and standard deviations (closed form)
    m, s = np.meshgrid(np.linspace(-1, 2, 31), np.linspace(0.05, 1.5, 30))
    grid = np.sqrt((0.5 - m) ** 2 + 1 / 12 + s**2 - s / np.sqrt(np.pi))
    assert g.distance <= grid.min() + 1e-12


def test_nearest_gaussian_of_a_gaussian_is_itself_and_of_the_exponential_by_stein():
    g = tr.nearest_gaussian_1d(tr.gaussian(1.0, 2.0))
    assert (g.mean, g.sd) == (pytest.approx(1.0, abs=1e-10), pytest.approx(2.0, abs=1e-10))
    assert g.distance < 1e-8
    e = tr.nearest_gaussian_1d(tr.from_scipy(stats.expon()))
    stein = integrate.quad(lambda z: np.exp(2 * stats.norm.logpdf(z) - stats.norm.logsf(z)), -np.inf, np.inf)[0]
    assert e.sd == pytest.approx(stein, rel=1e-8)
    # W2^2 = s^2 - c^2 (the minimum value)
    assert e.distance**2 == pytest.approx(e.law_sd**2 - e.sd**2, abs=1e-9)


def test_gaussian_map_matrix_pushes_forward_and_is_symmetric_positive():
    C0 = np.array([[1.0, 0.6], [0.6, 1.0]])
    C1 = np.array([[2.0, -0.5], [-0.5, 0.5]])
    A = tr.gaussian_map_matrix(C0, C1)
    np.testing.assert_allclose(A, A.T, atol=1e-14)
    assert np.all(np.linalg.eigvalsh(A) > 0)
    np.testing.assert_allclose(A @ C0 @ A, C1, atol=1e-12)
    # its cost is the Bures distance
    cost = np.trace(C0) - 2 * np.trace(A @ C0) + np.trace(A @ C0 @ A)
    assert np.sqrt(cost) == pytest.approx(tr.w2_gaussian([0, 0], C0, [0, 0], C1), abs=1e-12)
    assert tr.gaussian_map_matrix(1.0, 4.0)[0, 0] == pytest.approx(2.0)
    with pytest.raises(ValueError, match="C0, C1: dimensions differ"):
        tr.gaussian_map_matrix(np.eye(2), np.eye(3))
    with pytest.raises(ValueError, match="C1: the covariance must be positive definite"):
        tr.gaussian_map_matrix(np.eye(2), -np.eye(2))


# --- computational exercises of the chapter ----------------------------------------------

def test_exercise_decreasing_map():
    from exercise_cells import solution_answer

    assert solution_answer("wasserstein", "ex-wasserstein-decreasing-map") == pytest.approx(8 - np.pi**2 / 3, rel=1e-9)


def test_exercise_nearest_exponential():
    from exercise_cells import solution_answer

    stein = integrate.quad(lambda z: np.exp(2 * stats.norm.logpdf(z) - stats.norm.logsf(z)), -np.inf, np.inf)[0]
    assert solution_answer("wasserstein", "ex-wasserstein-nearest-exponential") == pytest.approx(stein, rel=1e-8)
