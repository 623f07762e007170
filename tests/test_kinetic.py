"""Tests of meanfield.kinetic: closed forms, an independent quadrature of the
collision operator, conservation laws, Monte-Carlo error bars, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import integrate, stats

from meanfield import kinetic as kn

V0 = np.array([1.0, 0.0, 0.0])


# --- Maxwellians ------------------------------------------------------------

@pytest.mark.parametrize("d", [1, 2, 3])
def test_maxwellian_matches_scipy_normal(d):
    rng = np.random.default_rng(d)
    u, T, rho = rng.normal(size=d), 0.7, 2.5
    v = rng.normal(size=(50, d))
    ref = rho * stats.multivariate_normal(mean=u, cov=T * np.eye(d)).pdf(v)
    np.testing.assert_allclose(kn.maxwellian(v, rho, u, T), ref, rtol=1e-12)


@pytest.mark.parametrize("d", [1, 2, 3])
def test_maxwellian_moments_and_entropy_by_quadrature(d):
    rho, u, T = 1.7, np.linspace(-0.5, 0.4, d), 0.8
    f = lambda v: kn.maxwellian(v, rho, u, T)  # noqa: E731
    exact = kn.maxwellian_moments(rho, u, T, d)
    quad = kn.moments_quadrature(f, d, n_nodes=30, scale=1.2)
    assert quad.mass == pytest.approx(exact.mass, rel=1e-12)
    np.testing.assert_allclose(quad.momentum, exact.momentum, atol=1e-12)
    assert quad.energy == pytest.approx(exact.energy, rel=1e-12)
    assert quad.temperature == pytest.approx(T, rel=1e-11)
    H = kn.entropy_quadrature(f, d, n_nodes=30, scale=1.2)
    assert H == pytest.approx(kn.maxwellian_entropy(rho, T, d), rel=1e-10)


def test_standard_maxwellian_entropy_value():
    # -(3/2) log(2 pi e)
    assert kn.maxwellian_entropy(1.0, 1.0, 3) == pytest.approx(-1.5 * np.log(2 * np.pi * np.e), rel=1e-15)


def test_sample_maxwellian_moments():
    n = 200_000
    v = kn.sample_maxwellian(n, u=[1.0, -2.0, 0.5], T=2.0, d=3, rng=11)
    se = np.sqrt(2.0 / n)
    assert np.all(np.abs(v.mean(axis=0) - [1.0, -2.0, 0.5]) < 5 * se)
    assert np.var(v, axis=0) == pytest.approx([2.0] * 3, rel=0.02)


def test_two_bump_has_the_maxwellian_moments():
    for a in [0.0, 0.7, 1.5]:
        f = kn.make_two_bump(a)
        m = f.moments()
        ref = kn.maxwellian_moments(1.0, 0.0, 1.0, 3)
        assert m.mass == pytest.approx(1.0)
        np.testing.assert_allclose(m.momentum, 0.0, atol=1e-15)
        assert m.energy == pytest.approx(ref.energy, rel=1e-14)
        q = kn.moments_quadrature(f, 3)
        assert q.energy == pytest.approx(ref.energy, rel=1e-8)


def _two_bump_entropy_1d(a):
    """f_a factorises: g(v1) x N(0, s^2) x N(0, s^2), so H = H[g] + 2 H[N(0, s^2)]."""
    s2 = 1 - a * a / 3
    g = lambda x: 0.5 * (stats.norm.pdf(x, a, np.sqrt(s2)) + stats.norm.pdf(x, -a, np.sqrt(s2)))  # noqa: E731
    Hg, _ = integrate.quad(lambda x: g(x) * np.log(g(x)), -a - 12, a + 12, limit=200, epsabs=1e-13)
    return Hg - np.log(2 * np.pi * np.e * s2)


def test_two_bump_entropy_by_two_routes_and_above_maxwellian():
    """Among densities with given mass, momentum, energy the Maxwellian minimises H."""
    H_M = kn.maxwellian_entropy(1.0, 1.0, 3)
    gaps = []
    for a in (0.5, 1.0, 1.5):
        H1 = _two_bump_entropy_1d(a)
        if a < 1.2:  # the tensor rule resolves wider bumps well
            assert kn.entropy_quadrature(kn.make_two_bump(a), 3, n_nodes=60) == pytest.approx(H1, abs=1e-8)
        gaps.append(H1 - H_M)
    assert 0 < gaps[0] < gaps[1] < gaps[2]


def test_gaussian_mixture_sample_and_marginals():
    f = kn.make_two_bump(1.2)
    x = f.sample(100_000, rng=5)
    assert x[:, 0].mean() == pytest.approx(0.0, abs=0.02)
    assert np.mean(np.sum(x**2, axis=1)) == pytest.approx(3.0, rel=0.02)
    # line marginal along e1 integrates to the mass; plane marginal (at v=0) to the 1D marginal
    e1 = np.array([1.0, 0.0, 0.0])
    val, _ = integrate.quad(lambda s: f.line_marginal(e1, s), -10, 10)
    assert val == pytest.approx(1.0, rel=1e-10)
    e2, v = np.array([0.0, 1.0, 0.0]), np.array([0.4, 0.3, -0.2])
    dbl, _ = integrate.dblquad(lambda z, x: f(np.array([x, 0.3, z])), -10, 10, -10, 10, epsabs=1e-12)
    assert f.line_marginal(e2, 0.3) == pytest.approx(dbl, rel=1e-8)
    one, _ = integrate.quad(lambda y: f(np.array([0.4, y, -0.2])), -10, 10, epsabs=1e-13)
    assert f.plane_marginal(e2, v) == pytest.approx(one, rel=1e-10)


# --- Collision kinematics -----------------------------------------------------

vec3 = arrays(np.float64, 3, elements=st.floats(-50, 50, allow_nan=False))


@settings(max_examples=200, deadline=None)
@given(vec3, vec3, vec3)
def test_collision_invariants_are_conserved(v, w, o):
    if np.linalg.norm(o) < 1e-3:
        o = np.array([0.0, 0.0, 1.0])
    omega = o / np.linalg.norm(o)
    scale = 1.0 + np.sum(v**2) + np.sum(w**2)
    for vp, wp in (kn.collide(v, w, omega), kn.collide_sigma(v, w, omega)):
        np.testing.assert_allclose(vp + wp, v + w, atol=1e-13 * np.sqrt(scale))
        assert abs(vp @ vp + wp @ wp - v @ v - w @ w) <= 1e-13 * scale


def test_collision_invariants_batch_machine_precision():
    rng = np.random.default_rng(0)
    v, w = rng.normal(size=(2, 100_000, 3))
    omega = rng.normal(size=(100_000, 3))
    omega /= np.linalg.norm(omega, axis=1, keepdims=True)
    vp, wp = kn.collide(v, w, omega)
    e0 = np.sum(v**2 + w**2, axis=1)
    assert np.max(np.abs(np.sum(vp**2 + wp**2, axis=1) - e0) / e0) < 1e-14
    assert np.max(np.abs(vp + wp - v - w)) < 1e-14


def test_omega_and_sigma_give_the_same_collision():
    rng = np.random.default_rng(1)
    v, w = rng.normal(size=(2, 1000, 3))
    omega = rng.normal(size=(1000, 3))
    omega /= np.linalg.norm(omega, axis=1, keepdims=True)
    sigma = kn.omega_to_sigma(v, w, omega)
    np.testing.assert_allclose(np.linalg.norm(sigma, axis=1), 1.0, atol=1e-14)
    for a, b in zip(kn.collide(v, w, omega), kn.collide_sigma(v, w, sigma)):
        np.testing.assert_allclose(a, b, atol=1e-13)


def test_sigma_omega_jacobian():
    """d sigma = 4 |k.omega| d omega on a hemisphere (module docstring)."""
    a = np.array([0.3, -0.8, 0.5])
    h = lambda s: np.exp(s @ a)  # noqa: E731
    exact = 4 * np.pi * np.sinh(np.linalg.norm(a)) / np.linalg.norm(a)  # int_{S^2} e^{a.s} ds
    k = np.array([0.0, 0.0, 1.0])

    def integrand(phi, theta):  # omega in spherical coordinates about k
        om = np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])
        s = k - 2 * (k @ om) * om
        return h(s) * 2 * abs(np.cos(theta)) * np.sin(theta)

    upper, _ = integrate.dblquad(integrand, 0, np.pi / 2, 0, 2 * np.pi, epsabs=1e-12)
    lower, _ = integrate.dblquad(integrand, np.pi / 2, np.pi, 0, 2 * np.pi, epsabs=1e-12)
    assert upper + lower == pytest.approx(exact, rel=1e-9)


# --- Collision operator -------------------------------------------------------

def test_C02_precollision_product():
    """C02: M(v)M(v*) = (2 pi)^-3 e^-1/2 e^-|v*|^2/2 at v = (1,0,0)."""
    vs = np.random.default_rng(2).normal(size=(100, 3))
    lhs = kn.maxwellian(V0) * kn.maxwellian(vs)
    rhs = (2 * np.pi) ** -3 * np.exp(-0.5) * np.exp(-np.sum(vs**2, axis=1) / 2)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-14)


def test_gain_quadrature_equals_loss_for_maxwellians():
    v = np.random.default_rng(3).normal(size=(40, 3))
    for rho, u, T in [(1.0, 0.0, 1.0), (2.0, [0.5, -1.0, 0.2], 0.6)]:
        M = kn.make_maxwellian(rho, u, T)
        G = kn.gain_term_quadrature(M, v, order=17)
        np.testing.assert_allclose(G, 4 * np.pi * rho * M(v), rtol=1e-12)


def test_gain_quadrature_converges_in_lebedev_order():
    f = kn.make_two_bump(1.3)
    v = np.array([[0.2, 0.4, -0.1], [1.5, 0.0, 0.0], [-2.0, 1.0, 0.5]])
    g41 = kn.gain_term_quadrature(f, v, order=41)
    g131 = kn.gain_term_quadrature(f, v, order=131)
    np.testing.assert_allclose(g41, g131, rtol=1e-9)


def test_gain_quadrature_against_dblquad():
    """Independent check of the projection formula: v*-integral done by nested quadrature."""
    f = kn.make_two_bump(1.3)
    v = np.array([0.7, -0.3, 0.2])

    def inner(theta, phi):
        om = np.array([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)])
        return f.plane_marginal(om, v) * f.line_marginal(om, om @ v) * np.sin(theta)

    ref, _ = integrate.dblquad(lambda th, ph: inner(th, ph), 0, 2 * np.pi, 0, np.pi, epsabs=1e-13)
    assert kn.gain_term_quadrature(f, v, order=59) == pytest.approx(ref, rel=1e-10)
    # and the projection formula itself, at one omega, against the full v*-integral
    # of f(v') f(v*') (tensor Gauss-Hermite rule in R^3)
    om = np.array([0.0, 0.6, 0.8])
    pts, wts = kn._quad_setup(3, 40, 1.0, 0.0)
    vp, vsp = kn.collide(v, pts, om)
    full = wts @ (f(vp) * f(vsp))
    assert f.plane_marginal(om, v) * f.line_marginal(om, om @ v) == pytest.approx(full, rel=1e-12)


@pytest.mark.parametrize("representation", ["omega", "sigma"])
def test_C01_Q_of_maxwellian_vanishes(representation):
    """C01: Q(M,M)(v) = 0 at v = (1,0,0) and along a line; gain = loss = 4 pi M(v)."""
    M = kn.make_maxwellian()
    est = kn.collision_operator_mc(M, V0, n_samples=200_000, rng=2024, representation=representation)
    loss_exact = 4 * np.pi * kn.maxwellian(V0)
    assert abs(est.loss - loss_exact) < 4 * est.loss_se
    assert abs(est.gain - loss_exact) < 4 * est.gain_se
    assert abs(est.q) <= 1e-15 * est.gain  # vanishes sample by sample
    line = np.stack([np.linspace(-3, 3, 13), np.zeros(13), np.zeros(13)], axis=1)
    est = kn.collision_operator_mc(M, line, n_samples=20_000, rng=1, representation=representation)
    assert np.all(np.abs(est.q) <= 1e-14 * est.gain)


def test_two_bump_Q_is_nonzero_and_matches_quadrature():
    f = kn.make_two_bump(1.2)
    line = np.stack([np.linspace(-3, 3, 7), np.zeros(7), np.zeros(7)], axis=1)
    est = kn.collision_operator_mc(f, line, n_samples=200_000, rng=7)
    G = kn.gain_term_quadrature(f, line)
    L = 4 * np.pi * f(line)
    assert np.all(np.abs(est.gain - G) < 4 * est.gain_se)
    assert np.all(np.abs(est.loss - L) < 4 * est.loss_se)
    # on the axis of the bumps collisions deplete f (Q < 0) ...
    i1 = 4  # v = (1, 0, 0)
    assert est.q[i1] < -10 * est.q_se[i1]
    assert (G - L)[i1] < -0.2
    # ... and they feed the transverse directions (Q > 0): f is isotropised
    vt = np.array([0.0, 1.0, 0.0])
    est_t = kn.collision_operator_mc(f, vt, n_samples=200_000, rng=7)
    assert est_t.q > 10 * est_t.q_se
    assert kn.gain_term_quadrature(f, vt) - 4 * np.pi * f(vt) > 0.05


def test_Q_conserves_mass_momentum_energy_weakly():
    """int Q(f,f) phi dv = 0 for phi = 1, v1, |v|^2, by quadrature of the deterministic Q."""
    f = kn.make_two_bump(1.0)
    pts, wts = kn._quad_setup(3, 24, 1.0, 0.0)
    Q = kn.gain_term_quadrature(f, pts, order=29) - 4 * np.pi * f(pts)
    scale = wts @ np.abs(Q)
    assert scale > 1.0
    for phi in (np.ones(len(pts)), pts[:, 0], pts[:, 1], np.sum(pts**2, axis=1)):
        assert abs(wts @ (Q * phi)) < 1e-12 * scale


def test_collision_mc_is_reproducible():
    f = kn.make_two_bump(1.0)
    a = kn.collision_operator_mc(f, V0, n_samples=1000, rng=3)
    b = kn.collision_operator_mc(f, V0, n_samples=1000, rng=3)
    assert a.q == b.q and a.gain_se == b.gain_se


def test_collision_mc_error_shrinks_like_inverse_sqrt_n():
    f = kn.make_two_bump(1.0)
    se = [kn.collision_operator_mc(f, V0, n_samples=n, rng=9).gain_se for n in (2_000, 32_000)]
    assert se[0] / se[1] == pytest.approx(4.0, rel=0.25)


# --- Boltzmann--Grad scaling ----------------------------------------------------

def test_C24_mean_free_path_fixed_under_boltzmann_grad_scaling():
    """N r^2 fixed: the mean free path stays put while the volume fraction -> 0."""
    c = 0.16  # n r^2
    ell = 1 / (4 * np.pi * c)
    fractions = []
    for r in (0.1, 0.05):
        est = kn.mean_free_path_mc(c / r**2, r, n_rays=400, rng=12)
        assert kn.mean_free_path(c / r**2, r) == pytest.approx(ell, rel=1e-14)
        assert abs(est.mean - ell) < 4 * est.se
        fractions.append(est.volume_fraction)
    assert fractions[1] < 0.6 * fractions[0]


# --- Bad input ------------------------------------------------------------------

@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: kn.maxwellian(V0, T=0.0), "T: must be > 0"),
        (lambda: kn.maxwellian(V0, T=-1.0), "T: must be > 0"),
        (lambda: kn.maxwellian(V0, rho=0.0), "rho: must be > 0"),
        (lambda: kn.maxwellian(V0, u=[0.0, 1.0]), r"u: expected shape \(3,\)"),
        (lambda: kn.maxwellian(1.0), "v: expected an array"),
        (lambda: kn.sample_maxwellian(0), "n: must be an integer >= 1"),
        (lambda: kn.collide(V0, V0, [1.0, 1.0, 0.0]), "omega: every vector must have unit norm"),
        (lambda: kn.collide(V0, np.zeros(2), [1.0, 0.0, 0.0]), "v_star: last axis must have length 3"),
        (lambda: kn.collide_sigma(V0, V0, [0.0, 0.0, 2.0]), "sigma: every vector must have unit norm"),
        (lambda: kn.collision_operator_mc(kn.make_maxwellian(), V0, n_samples=0), "n_samples"),
        (lambda: kn.collision_operator_mc(kn.make_maxwellian(), V0, representation="x"), "representation"),
        (lambda: kn.collision_operator_mc(kn.make_maxwellian(), [1.0, 0.0]), "v: last axis must have length 3"),
        (lambda: kn.collision_operator_mc(lambda v: -np.ones(v.shape[:-1]), V0), "f: returned negative"),
        (lambda: kn.make_two_bump(2.0), r"a: must lie in \[0.0, 1.73"),
        (lambda: kn.GaussianMixture([1.0], [[0.0, 0.0, 0.0]], [0.0]), "temperatures"),
        (lambda: kn.GaussianMixture([-1.0], [[0.0, 0.0, 0.0]], [1.0]), "weights"),
        (lambda: kn.gain_term_quadrature(kn.make_maxwellian(d=2), [0.0, 0.0]), "d = 3"),
        (lambda: kn.gain_term_quadrature(kn.make_maxwellian(), V0, order=4), "order"),
        (lambda: kn.mean_free_path(1.0, 0.0), "radius: must be > 0"),
    ],
)
def test_bad_input_raises_value_error_naming_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_bad_types_raise_type_error():
    with pytest.raises(TypeError, match="n_samples: expected an integer"):
        kn.collision_operator_mc(kn.make_maxwellian(), V0, n_samples=10.5)
    with pytest.raises(TypeError, match="f: expected a GaussianMixture"):
        kn.gain_term_quadrature(kn.maxwellian, V0)


# --- Which Maxwell kernel: deflection statistics, fourth-moment production -------------------

def test_kernel_rates_closed_forms():
    s, o = kn.kernel_rates("sigma"), kn.kernel_rates("omega")
    assert s.mean_sin2 == pytest.approx(2 / 3, rel=1e-13) and s.bkw_rate == pytest.approx(1 / 6, rel=1e-13)
    assert o.mean_sin2 == pytest.approx(4 / 3 - 4 / 5, rel=1e-13) and o.bkw_rate == pytest.approx(2 / 15, rel=1e-13)
    assert s.m4_rate == pytest.approx(2 * s.bkw_rate) and o.m4_rate == pytest.approx(2 * o.bkw_rate)


def test_kernel_rates_omega_by_sampling_the_deflection():
    # sigma = k - 2 (k.omega) omega for omega uniform: average sin^2 chi over samples
    rng = np.random.default_rng(5)
    om = rng.standard_normal((400_000, 3))
    om /= np.linalg.norm(om, axis=1, keepdims=True)
    cos_chi = 1 - 2 * om[:, 0] ** 2  # k = e_1
    x = 1 - cos_chi**2
    assert abs(x.mean() - kn.kernel_rates("omega").mean_sin2) < 4 * x.std() / np.sqrt(x.size)


@pytest.mark.parametrize("representation", ["sigma", "omega"])
def test_fourth_moment_production_matches_the_rate_on_isotropic_data(representation):
    # isotropic, non-Maxwellian data: a scale mixture of two centred Gaussians
    rng = np.random.default_rng(11)
    n = 400_000
    scale = np.where(rng.uniform(size=n) < 0.5, 0.6, 1.3)
    v = scale[:, None] * rng.standard_normal((n, 3))
    r2 = np.sum(v * v, axis=1)
    m2, m4 = r2.mean(), (r2**2).mean()
    est = kn.fourth_moment_production_mc(v, representation=representation, rng=12)
    pred = -kn.kernel_rates(representation).m4_rate * (m4 - 5 / 3 * m2**2)
    assert pred < -0.5  # far from equilibrium: the test can fail
    assert abs(est.value - pred) < 4 * est.se


def test_fourth_moment_production_vanishes_for_a_maxwellian():
    v = kn.sample_maxwellian(200_000, rng=3)
    est = kn.fourth_moment_production_mc(v, representation="omega", rng=4)
    assert abs(est.value) < 4 * est.se


def test_kernel_rates_bad_input():
    with pytest.raises(ValueError, match="representation"):
        kn.kernel_rates("hard-spheres")
    with pytest.raises(ValueError, match="v"):
        kn.fourth_moment_production_mc(np.zeros((3, 3)))


def test_weak_form_vanishes_pair_by_pair_for_the_collision_invariants():
    f = kn.make_two_bump(1.2)
    v = f.sample(20_000, rng=1)
    for rep in ("sigma", "omega"):
        for phi in (lambda x: np.ones(len(x)), lambda x: x[:, 0], lambda x: x[:, 2], lambda x: np.sum(x * x, axis=1)):
            est = kn.weak_form_mc(v, phi, representation=rep, rng=2)
            assert abs(est.value) < 1e-13 and est.se < 1e-13
        # not an invariant: the anisotropic two-bump density relaxes its v1 temperature
        est = kn.weak_form_mc(v, lambda x: x[:, 0] ** 2, representation=rep, rng=2)
        assert est.value < -10 * est.se


# --- Computational exercises of the chapter "Maxwellians and the collision operator" -------------

def test_exercise_anisotropy_relaxation_matches_the_closed_form():
    from exercise_cells import solution_answer

    # -8π/5 (P11 - tr P / 3) with P11 - tr P / 3 = 2 a² / 3 for the two-bump density, a = 0.8
    assert solution_answer("maxwellians", "ex-maxwellians-anisotropy") == pytest.approx(-8 * np.pi / 5 * 2 * 0.8**2 / 3, rel=0.04)


def test_exercise_relative_speed_is_sqrt2_times_the_speed():
    from exercise_cells import solution_answer

    # E|v| = sqrt(8/π) for N(0, I_3), and v - v* ~ sqrt(2) N(0, I_3)
    assert solution_answer("maxwellians", "ex-maxwellians-sqrt2") == pytest.approx(np.sqrt(2), rel=0.005)
