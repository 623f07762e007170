"""Tests of meanfield.boltzmann: Kac's model and Maxwell molecules.

Closed forms (eigenvalues of the linearised Kac operator, the BKW solutions
in d = 1, 2, 3 and their fourth moments, Maxwellian entropies), second
methods (direct quadrature of the linearised and of the full Kac operator,
Bobylev's Fourier equation evaluated by quadrature, particles against the
deterministic solver, kinetic.py's quadratures), convergence of the Hermite
series, invariants (mass, momentum, energy, H-theorem), the O(dt) bias of
the pairing schemes and its absence in the exact one, bad input."""

import numpy as np
import pytest
from scipy import integrate, special, stats

from meanfield import boltzmann as bz
from meanfield import kinetic as kn


def he(n):
    """He_n as a callable on velocity arrays of shape (..., 1)."""
    return lambda x: special.eval_hermitenorm(n, x[..., 0])


def std_maxwellian_1d(v):
    return np.exp(-0.5 * v[..., 0] ** 2) / np.sqrt(2 * np.pi)


def trapz_moment(res, k):
    """int v^k f(t, v) dv on the output grid, for every output time."""
    return integrate.trapezoid(res.f * res.v**k, res.v, axis=1)


# --- 1D triviality -------------------------------------------------------------------------

def test_collide_1d_swaps_and_is_the_only_elastic_collision():
    rng = np.random.default_rng(0)
    v, w = rng.normal(size=50), rng.normal(size=50)
    vp, wp = bz.collide_1d(v, w)
    np.testing.assert_array_equal(vp, w)
    np.testing.assert_array_equal(wp, v)
    # solve v' + w' = P, v'^2 + w'^2 = E directly: v' = (P +- sqrt(2E - P^2)) / 2
    P, E = v + w, v**2 + w**2
    roots = np.stack([(P + np.sqrt(2 * E - P**2)) / 2, (P - np.sqrt(2 * E - P**2)) / 2])
    assert np.allclose(np.sort(roots, axis=0), np.sort(np.stack([v, w]), axis=0), atol=1e-12)
    # kinetic's sigma-rule in d = 1 (sigma = +-1) gives exactly these two outcomes
    V, W = v[:, None], w[:, None]
    for sig in (1.0, -1.0):
        a, b = kn.collide_sigma(V, W, np.full_like(V, sig))
        same = np.isclose(a, V, atol=1e-14) & np.isclose(b, W, atol=1e-14)
        swap = np.isclose(a, W, atol=1e-14) & np.isclose(b, V, atol=1e-14)
        assert np.all(same | swap)
    # hence Q(f, f) = 0: the gain integrand equals the loss integrand pointwise, for any f
    f = kn.make_two_bump(0.7, d=1)
    a, b = kn.collide_sigma(V, W, np.where(rng.random((50, 1)) < 0.5, 1.0, -1.0))
    np.testing.assert_allclose(f(a) * f(b), f(V) * f(W), rtol=1e-12)


# --- the linearised Kac operator ---------------------------------------------------------

def test_kac_eigenvalues_closed_form_and_by_integration():
    lam = bz.kac_eigenvalues(12)
    np.testing.assert_array_equal(lam[:9], [0, -1, 0, -1, -0.25, -1, -0.375, -1, -29 / 64])
    for n in range(1, 13):
        mean, _ = integrate.quad(lambda th: np.cos(th) ** n + np.sin(th) ** n, 0, 2 * np.pi, epsabs=1e-13)
        assert lam[n] == pytest.approx(mean / (2 * np.pi) - 1, abs=1e-13)
    # lambda_{2m} -> -1 like 2/sqrt(pi m) - 1; the spectral gap is 1/4
    m = 200
    lam_2m = bz.kac_eigenvalues(2 * m)[-1]
    assert lam_2m == pytest.approx(2 * special.comb(2 * m, m) / 4.0**m - 1, abs=1e-13)
    assert lam_2m == pytest.approx(2 / np.sqrt(np.pi * m) * (1 - 1 / (8 * m) + 1 / (128 * m * m)) - 1, abs=1e-9)
    assert np.max(bz.kac_eigenvalues(40)[3:]) == -0.25


def test_linearised_operator_by_quadrature_is_diagonal_on_hermite_polynomials():
    v = np.linspace(-3.0, 3.0, 13)
    lam = bz.kac_eigenvalues(10)
    for n in range(11):
        Lh = bz.kac_linearised_operator(he(n), v)
        np.testing.assert_allclose(Lh, lam[n] * special.eval_hermitenorm(n, v), atol=1e-11 * (1 + 3.0**n))
    # v^4 = He_4 + 6 He_2 + 3: only the He_4 part relaxes
    Lv4 = bz.kac_linearised_operator(lambda x: x[..., 0] ** 4, v)
    np.testing.assert_allclose(Lv4, -0.25 * special.eval_hermitenorm(4, v), atol=1e-10)


def test_he4_he6_he3_perturbations_decay_at_the_predicted_rates():
    """f0 = M (1 + eps h): the solver's f, integrated against He_n on its grid, decays at -lambda_n."""
    t = np.linspace(0.0, 8.0, 9)
    v = np.linspace(-12, 12, 961)
    # 1 + 0.05 (He_3 + He_4) >= 0.64 (the y^4 term wins), 1 + 0.005 He_6 >= 0.48 (min He_6 ~ -103)
    he34 = lambda x: std_maxwellian_1d(x) * (1 + 0.05 * (he(3)(x) + he(4)(x)))  # noqa: E731
    he6 = lambda x: std_maxwellian_1d(x) * (1 + 0.005 * he(6)(x))  # noqa: E731
    for f0, n, eps, rate in ((he34, 4, 0.05, 0.25), (he34, 3, 0.05, 1.0), (he6, 6, 0.005, 0.375)):
        res = bz.kac_spectral(f0, t, v=v, n_modes=32)
        assert res.success, res.message
        proj = integrate.trapezoid(res.f * special.eval_hermitenorm(n, v), v, axis=1) / special.factorial(n)
        assert proj[0] == pytest.approx(eps, rel=1e-10)
        slope = np.polyfit(t, np.log(proj), 1)[0]
        assert slope == pytest.approx(-rate, abs=1e-8)
    # m4 - 3 = 24 eps e^{-t/4} exactly, not only to first order in eps (c_2 = 0 makes it linear)
    res = bz.kac_spectral(he34, t, v=v, n_modes=32)
    np.testing.assert_allclose(trapz_moment(res, 4) - 3, 24 * 0.05 * np.exp(-t / 4), rtol=1e-9)
    np.testing.assert_allclose(res.m4 - 3, 24 * 0.05 * np.exp(-t / 4), rtol=1e-9)


def test_particles_relax_m4_at_rate_one_quarter():
    """Kac particles from two bumps: m4 - 3 m2^2 = (m4(0) - 3) e^{-t/4} (exact moment equation)."""
    f0 = kn.make_two_bump(0.8, d=1)
    v0 = f0.sample(200_000, rng=3)
    res = bz.dsmc(v0, 1.0, 8, rng=4)
    m2 = 2 * res.energy  # conserved exactly
    excess = res.m4 - 3 * m2**2
    pred = excess[0] * np.exp(-res.t / 4)
    assert np.all(np.abs(excess - pred)[1:] < 3 * res.m4_se[1:])
    # the fitted rate, weighted by the signal
    slope = np.polyfit(res.t[:6], np.log(-excess[:6]), 1)[0]
    assert slope == pytest.approx(-0.25, abs=0.02)
    np.testing.assert_allclose(res.energy, res.energy[0], rtol=1e-13)
    # momentum is not conserved by Kac collisions: the mean decays like e^{-t}
    v1 = f0.sample(200_000, rng=5) + 0.5
    r1 = bz.dsmc(v1, 0.5, 4, rng=6)
    se = np.sqrt(2 * r1.energy[0] / 200_000)
    assert np.all(np.abs(r1.momentum[:, 0] - r1.momentum[0, 0] * np.exp(-r1.t)) < 3 * se)


# --- Kac: the deterministic (Hermite-Galerkin) solver ---------------------------------------

def test_kac_bkw_against_the_spectral_solver():
    bkw = bz.make_bkw(1)
    assert bkw.rate == 0.125 and bkw.t_min == pytest.approx(8 * np.log(1.5), rel=1e-15)
    t0 = bkw.t_min + 0.25
    dts = np.array([0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0])
    res = bz.kac_spectral(lambda x: bkw.density(x, t0), dts)
    assert res.success, res.message
    exact = np.array([bkw.density(res.v[:, None], t0 + s) for s in dts])
    assert np.max(np.abs(res.f - exact)) < 1e-10
    np.testing.assert_allclose(res.m4, bkw.m4(t0 + dts), atol=1e-11)
    np.testing.assert_allclose(res.entropy, bkw.entropy(t0 + dts), atol=1e-10)
    np.testing.assert_allclose(res.mass, 1.0, atol=1e-13)
    np.testing.assert_allclose(res.energy, 0.5, atol=1e-13)
    assert np.all(res.mass == res.mass[0]) and np.all(res.energy == res.energy[0])  # to the last bit
    assert np.all(np.diff(res.entropy) < 0)
    # and the entropy approaches the Maxwellian's
    assert res.entropy[-1] - kn.maxwellian_entropy(1.0, 1.0, 1) == pytest.approx(0.0, abs=1e-4)


def test_kac_spectral_matches_direct_quadrature_of_Q():
    """d f / dt at t = 0 (5-point one-sided difference of the solver) = Q(f0, f0) by quadrature."""
    f0 = kn.GaussianMixture([0.6, 0.4], [[0.9], [-1.2]], [0.5, 0.3])  # asymmetric: odd modes too
    h = 1e-2
    v = np.linspace(-4, 4, 41)
    res = bz.kac_spectral(f0, h * np.arange(5), v=v, tol=1e-13, n_modes=200)
    assert res.success, res.message
    dfdt = (-25 * res.f[0] + 48 * res.f[1] - 36 * res.f[2] + 16 * res.f[3] - 3 * res.f[4]) / (12 * h)
    Q = bz.kac_collision_operator(f0, v)
    np.testing.assert_allclose(dfdt, Q, atol=2e-7)
    assert np.max(np.abs(Q)) > 0.05
    np.testing.assert_allclose(res.f[0], f0(v[:, None]), atol=1e-12)
    # the quadrature vanishes on a Maxwellian
    assert np.max(np.abs(bz.kac_collision_operator(kn.make_maxwellian(1.3, 0.0, 0.7, d=1), v))) < 1e-13


def test_kac_spectral_invariants_on_asymmetric_data():
    f0 = kn.GaussianMixture([0.6, 0.4], [[0.9], [-1.2]], [0.5, 0.3])
    t = np.linspace(0.0, 12.0, 25)
    res = bz.kac_spectral(f0, t, n_modes=200)
    assert res.success, res.message
    mom = kn.moments_quadrature(f0, 1, n_nodes=60)
    assert res.mass[0] == pytest.approx(mom.mass, rel=1e-14)
    assert res.momentum[0] == pytest.approx(mom.momentum[0], rel=1e-12)
    np.testing.assert_allclose(res.energy, mom.energy, rtol=1e-13)
    np.testing.assert_allclose(res.momentum, mom.momentum[0] * np.exp(-t), atol=1e-11)  # lambda_1 = -1
    # grid quadrature of f agrees with the exact coefficient formulas
    np.testing.assert_allclose(trapz_moment(res, 0), res.mass, atol=1e-12)
    np.testing.assert_allclose(0.5 * trapz_moment(res, 2), res.energy, atol=1e-12)
    np.testing.assert_allclose(trapz_moment(res, 4), res.m4, atol=1e-10)
    # H-theorem, towards M_{1, 0, T}
    assert np.all(np.diff(res.entropy) < 0)
    T = 2 * mom.energy / mom.mass
    assert res.entropy[0] == pytest.approx(kn.entropy_quadrature(f0, 1, n_nodes=200, scale=0.8), abs=1e-10)
    assert 0 < res.entropy[-1] - kn.maxwellian_entropy(1.0, T, 1) < 1e-4
    assert res.negative_mass < 1e-12
    # m4 - 3 m2^2 relaxes at rate 1/4 exactly
    m2 = 2 * res.energy
    np.testing.assert_allclose(res.m4 - 3 * m2**2, (res.m4[0] - 3 * m2[0] ** 2) * np.exp(-t / 4), rtol=1e-9)


def test_kac_spectral_converges_geometrically_in_n_modes():
    """Two bumps of variance s^2 = 0.2775: Hermite coefficients decay like |s^2 - 1|^{n/2}."""
    f0 = kn.make_two_bump(0.85, d=1)
    t = [0.0, 1.0, 3.0]
    ref = bz.kac_spectral(f0, t, n_modes=320)
    assert ref.success
    errs = []
    for n in (40, 80, 160):
        r = bz.kac_spectral(f0, t, n_modes=n)
        errs.append(np.max(np.abs(r.f - ref.f)))
    assert errs[0] > 1e-4 and errs[2] < 1e-9
    ratio = np.log(errs[2] / errs[1]) / 80  # per mode
    assert ratio == pytest.approx(0.5 * np.log(1 - 0.2775), abs=0.04)
    assert not bz.kac_spectral(f0, t, n_modes=40).success  # the tail check catches the truncation


def test_kac_spectral_projection_of_a_callable_matches_the_exact_mixture_coefficients():
    f0 = kn.make_two_bump(0.6, d=1)
    a = bz.kac_spectral(f0, [0.0, 2.0])
    b = bz.kac_spectral(lambda x: f0(x), [0.0, 2.0])
    np.testing.assert_allclose(a.coeffs, b.coeffs, atol=1e-13)
    assert a.scale == pytest.approx(b.scale, rel=1e-12)
    # a Maxwellian is a fixed point
    m = bz.kac_spectral(kn.make_maxwellian(1.0, 0.0, 2.0, d=1), [0.0, 5.0])
    np.testing.assert_allclose(m.coeffs[:, 1:], 0.0, atol=1e-15)
    np.testing.assert_allclose(m.f[-1], kn.maxwellian(m.v[:, None], T=2.0), atol=1e-15)


# --- BKW in d = 1, 2, 3 -------------------------------------------------------------------

@pytest.mark.parametrize("d", [1, 2, 3])
def test_bkw_closed_forms_and_validity(d):
    bkw = bz.make_bkw(d)
    assert bkw.rate == {1: 1 / 8, 2: 1 / 8, 3: 1 / 6}[d]
    assert float(bkw.K(bkw.t_min)) == pytest.approx(d / (d + 2), rel=1e-14)
    e = np.zeros((1, d))
    assert float(bkw.density(e, bkw.t_min)[0]) == 0.0  # A = 0: the density touches 0 at v = 0
    with pytest.raises(ValueError, match=r"^t: .*t_min"):
        bkw.density(e, bkw.t_min - 1e-6)
    with pytest.raises(ValueError, match=r"^t: "):
        bkw.m4([bkw.t_min + 1.0, 0.5])
    for t in (bkw.t_min, bkw.t_min + 2.0, bkw.t_min + 20.0):
        f = lambda v, t=t: bkw.density(v, t)  # noqa: E731
        mom = kn.moments_quadrature(f, d, n_nodes=60 if d < 3 else 40)
        assert mom.mass == pytest.approx(1.0, rel=1e-12)
        np.testing.assert_allclose(mom.momentum, 0.0, atol=1e-14)
        assert mom.energy == pytest.approx(d / 2, rel=1e-12)
        # m4 and H by radial quadrature
        area = 2 * np.pi ** (d / 2) / special.gamma(d / 2)
        rad = lambda r, t=t: bkw.density(np.r_[r, np.zeros(d - 1)][None, :], t)[0]  # noqa: E731
        m4 = area * integrate.quad(lambda r: r ** (d + 3) * rad(r), 0, 40, epsabs=1e-13)[0]
        assert m4 == pytest.approx(float(bkw.m4(t)), rel=1e-10)
        H = area * integrate.quad(lambda r: r ** (d - 1) * special.xlogy(rad(r), rad(r)), 0, 40,
                                  epsabs=1e-13, limit=200)[0]
        assert H == pytest.approx(float(bkw.entropy(t)), abs=1e-9)
    ts = bkw.t_min + np.array([0.0, 1.0, 3.0, 10.0, 60.0])
    H = bkw.entropy(ts)
    assert np.all(np.diff(H) < 0)
    assert H[-1] == pytest.approx(kn.maxwellian_entropy(1.0, 1.0, d), abs=1e-6)
    np.testing.assert_allclose(bkw.m4(ts), d * (d + 2) * (1 - np.exp(-2 * bkw.rate * ts)), rtol=1e-15)
    eq = bkw.equilibrium()
    assert eq.moments().energy == pytest.approx(d / 2) and eq.d == d


def _radial_fourier(bkw, t, k):
    """phi(k) = int f e^{-i k.v} dv for the radial BKW density, by quadrature."""
    d = bkw.d
    rad = lambda r: bkw.density(np.r_[r, np.zeros(d - 1)][None, :], t)[0]  # noqa: E731
    kernel = {1: lambda r: 2 * np.cos(k * r),
              2: lambda r: 2 * np.pi * r * special.j0(k * r),
              3: lambda r: 4 * np.pi * r * r * np.sinc(k * r / np.pi)}[d]
    return integrate.quad(lambda r: kernel(r) * rad(r), 0, 40, epsabs=1e-14, limit=200)[0]


@pytest.mark.parametrize("d", [2, 3])
def test_bkw_solves_bobylevs_fourier_equation_with_our_normalisation(d):
    """d phi/dt = <phi(xi+) phi(xi-)>_sigma - phi(xi), with phi computed from the density by quadrature."""
    bkw = bz.make_bkw(d)
    t, h = bkw.t_min + 1.0, 1e-3
    if d == 3:  # mu = xi.sigma is uniform on [-1, 1]: Gauss-Legendre
        mu, w = special.roots_legendre(12)
        w = w / 2
    else:  # mu = cos(theta), theta uniform: Gauss-Chebyshev
        mu, w = np.cos((2 * np.arange(1, 13) - 1) * np.pi / 24), np.full(12, 1 / 12)
    for k in (1.2, 2.0):
        dphi = (_radial_fourier(bkw, t + h, k) - _radial_fourier(bkw, t - h, k)) / (2 * h)
        kp, km = k * np.sqrt((1 + mu) / 2), k * np.sqrt((1 - mu) / 2)
        gain = sum(wi * _radial_fourier(bkw, t, a) * _radial_fourier(bkw, t, b) for wi, a, b in zip(w, kp, km))
        rhs = gain - _radial_fourier(bkw, t, k)
        assert dphi == pytest.approx(rhs, abs=1e-7)
        assert abs(rhs) > 5e-3


@pytest.mark.parametrize("d", [1, 3])
def test_bkw_sampler(d):
    bkw = bz.make_bkw(d)
    t = bkw.t_min + 0.5
    v = bkw.sample(200_000, t, rng=7)
    r4 = np.sum(v**2, axis=1) ** 2
    assert abs(r4.mean() - float(bkw.m4(t))) < 3 * r4.std() / np.sqrt(v.shape[0])
    assert abs(np.mean(np.sum(v**2, axis=1)) - d) < 3 * np.sqrt(2 * d * 2 / 200_000)
    # the law of |v|: compare a histogram with the radial density
    r = np.linalg.norm(v, axis=1)
    edges = np.linspace(0, 4, 21)
    counts, _ = np.histogram(r, edges)
    area = 2 * np.pi ** (d / 2) / special.gamma(d / 2)
    p = [area * integrate.quad(lambda s: s ** (d - 1) * bkw.density(np.r_[s, np.zeros(d - 1)][None, :], t)[0],
                               a, b)[0] for a, b in zip(edges[:-1], edges[1:])]
    expected = 200_000 * np.array(p)
    assert np.all(np.abs(counts - expected) < 4 * np.sqrt(expected) + 1)


# --- DSMC -----------------------------------------------------------------------------------

@pytest.mark.parametrize("d", [1, 2, 3])
def test_dsmc_matches_bkw_m4_within_error_bars(d):
    bkw = bz.make_bkw(d)
    N = 200_000
    v0 = bkw.sample(N, bkw.t_min, rng=10 + d)
    res = bz.dsmc(v0, 1.0, 8, rng=20 + d)
    exact = bkw.m4(bkw.t_min + res.t)
    assert np.all(np.abs(res.m4 - exact) < 3 * res.m4_se)
    # the wrong rate would be seen: BKW with half / double rate is far outside the bars
    for fac in (0.5, 2.0):
        wrong = d * (d + 2) * (1 - np.exp(-2 * bkw.rate * (bkw.t_min + fac * res.t)))
        assert np.max(np.abs(res.m4 - wrong) / res.m4_se) > 6
    assert res.n_collisions == pytest.approx(N * 8 / 2, rel=5 * np.sqrt(2 / (N * 8)))
    np.testing.assert_allclose(res.energy, res.energy[0], rtol=1e-12)
    if d > 1:
        assert np.max(np.abs(res.momentum - res.momentum[0])) < 1e-14


def test_dsmc_time_step_bias_of_the_pairing_schemes_and_none_for_the_exact_one():
    """Kac from BKW at t_min, t = 4: the excess m4 - 3 m2^2 (exactly linear) is multiplied by
    (1 - p/4)^n for the pairing schemes (p = dt or 1 - e^{-dt}) and by e^{-t/4} for the exact one."""
    bkw = bz.make_bkw(1)
    v0 = bkw.sample(400_000, bkw.t_min, rng=30)
    cases = [("nanbu", 1.0, 4, (1 - 1.0 / 4) ** 4), ("exponential", 1.0, 4, (1 - (1 - np.exp(-1.0)) / 4) ** 4),
             ("exact", 4.0, 1, np.exp(-1.0)), ("exact", 0.5, 8, np.exp(-1.0))]
    for method, dt, n, factor in cases:
        r = bz.dsmc(v0, dt, n, method=method, rng=31)
        excess = r.m4 - 3 * (2 * r.energy) ** 2
        se = r.m4_se[-1]  # conservative here: the initial fluctuation is conditioned on
        assert abs(excess[-1] - excess[0] * factor) < 3 * se
        if method != "exact":
            assert abs(excess[-1] - excess[0] * np.exp(-1.0)) > 4 * se  # the O(dt) bias is real
        else:
            assert r.n_rounds > n  # several vectorised rounds per step (multiple collisions per particle)


@pytest.mark.parametrize("method", ["exact", "nanbu", "exponential"])
def test_dsmc_odd_number_of_particles_and_conservation(method):
    N = 2001
    v0 = kn.make_two_bump(1.0, d=3).sample(N, rng=40)
    res = bz.dsmc(v0, 0.2, 50, method=method, rng=41)
    np.testing.assert_allclose(res.energy, res.energy[0], rtol=1e-12)
    assert np.max(np.abs(res.momentum - res.momentum[0])) < 1e-13
    mean_coll = N * 0.2 * 50 / 2 if method != "exponential" else N * (1 - np.exp(-0.2)) * 50 / 2
    assert abs(res.n_collisions - mean_coll) < 5 * np.sqrt(mean_coll)
    assert res.v.shape == (N, 3) and not np.shares_memory(res.v, v0)
    assert res.success and res.model == "maxwell" and res.t[-1] == pytest.approx(10.0)
    # relaxation: the x-temperature and the y-temperature equalise
    T = np.var(res.v, axis=0)
    assert abs(T[0] - T[1]) < 0.2 and abs(np.var(v0[:, 0]) - np.var(v0[:, 1])) > 0.5


@pytest.mark.parametrize("method", ["exact", "nanbu"])
def test_dsmc_diagnostics_stride_records_a_subset_and_changes_nothing_else(method):
    v0 = kn.make_two_bump(1.0, d=3).sample(3000, rng=7)
    full = bz.dsmc(v0, 0.2, 11, method=method, rng=8)
    r = bz.dsmc(v0, 0.2, 11, method=method, rng=8, diagnostics_every=4)
    steps = np.array([0, 4, 8, 11])
    np.testing.assert_array_equal(r.t, full.t[steps])
    for name in ("momentum", "energy", "m4", "m4_se"):
        np.testing.assert_array_equal(getattr(r, name), getattr(full, name)[steps])
    np.testing.assert_array_equal(r.v, full.v)
    assert (r.n_collisions, r.n_rounds) == (full.n_collisions, full.n_rounds)
    with pytest.raises(ValueError, match="diagnostics_every: must be an integer >= 1"):
        bz.dsmc(v0, 0.2, 11, diagnostics_every=0)


@pytest.mark.parametrize("d", [2, 3])
def test_dsmc_fast_path_is_the_sigma_rule_bit_for_bit(d):
    """dsmc's internal collision (no checks, column-sum norms) equals kinetic.collide_sigma with
    sigma from utils.uniform_sphere on the same random stream, to the last bit."""
    from meanfield.utils import uniform_sphere

    V = np.random.default_rng(5).normal(size=(1000, d))
    i, j = np.arange(0, 1000, 2), np.arange(1, 1000, 2)
    expected = V.copy()
    expected[i], expected[j] = kn.collide_sigma(V[i], V[j], uniform_sphere(500, d, rng=np.random.default_rng(6)))
    bz._collide_pairs(V, i, j, np.random.default_rng(6))
    np.testing.assert_array_equal(V, expected)


@pytest.mark.parametrize("d", [2, 3])
def test_dsmc_relaxes_an_anisotropic_temperature_at_rate_one_half(d):
    """sigma-rule, b = 1/|S^{d-1}|: E_sigma[v' v'^T] = (v+v_*)(v+v_*)^T/4 + |v-v_*|^2 I/(4d), so
    dP/dt = -(P - tr(P) I/d)/2 for P = int v v^T f (zero mean): T_xx - T_yy ~ e^{-t/2} in every d."""
    N = 200_000
    T0 = np.array([2.0, 0.5, 0.5])[:d]
    v0 = np.random.default_rng(50 + d).normal(size=(N, d)) * np.sqrt(T0)
    res = bz.dsmc(v0, 0.5, 8, rng=60 + d)
    x = v0[:, 0] ** 2 - v0[:, 1] ** 2
    gap0 = x.mean()
    gap = res.v[:, 0] ** 2 - res.v[:, 1] ** 2
    se = gap.std() / np.sqrt(N)
    assert abs(gap.mean() - gap0 * np.exp(-res.t[-1] / 2)) < 3 * se
    for wrong_rate in (0.4, 0.6):
        assert abs(gap.mean() - gap0 * np.exp(-wrong_rate * res.t[-1])) > 5 * se


# --- particle entropy -----------------------------------------------------------------------

def test_entropy_knn_bias_on_maxwellian_samples():
    # d = 3, N = 1000: a measurable positive bias (~ +0.023); d = 1, N = 10^4: none
    vals = np.array([bz.entropy_knn(kn.sample_maxwellian(1000, d=3, rng=100 + r)).value for r in range(150)])
    bias, err = vals.mean() - kn.maxwellian_entropy(1.0, 1.0, 3), vals.std(ddof=1) / np.sqrt(150)
    assert 0.01 < bias < 0.04 and err < 0.005
    ests = [bz.entropy_knn(kn.sample_maxwellian(10_000, d=1, rng=500 + r)) for r in range(40)]
    vals = np.array([e.value for e in ests])
    bias, err = vals.mean() - kn.maxwellian_entropy(1.0, 1.0, 1), vals.std(ddof=1) / np.sqrt(40)
    assert abs(bias) < 3 * err + 1e-3
    # the reported standard error is the right size
    ratio = vals.std(ddof=1) / np.mean([e.se for e in ests])
    assert 0.7 < ratio < 1.5


def test_entropy_knn_follows_the_kac_bkw_entropy():
    bkw = bz.make_bkw(1)
    N = 100_000
    v0 = bkw.sample(N, bkw.t_min, rng=60)
    res = bz.dsmc(v0, 2.0, 3, rng=61)
    e0, e1 = bz.entropy_knn(v0), bz.entropy_knn(res.v)
    H0, H1 = bkw.entropy([bkw.t_min, bkw.t_min + 6.0])
    assert abs(e0.value - H0) < 4 * e0.se and abs(e1.value - H1) < 4 * e1.se
    assert H0 - H1 > 10 * e0.se  # the decrease is resolved
    # k = 3 is consistent too
    assert abs(bz.entropy_knn(res.v, k=3).value - H1) < 4 * e1.se


# --- bad input ------------------------------------------------------------------------------

def test_bad_input():
    good = np.zeros((10, 3))
    with pytest.raises(ValueError, match=r"^v0: dimension must be 1 \(Kac\), 2 or 3"):
        bz.dsmc(np.zeros((10, 4)), 0.1, 1)
    with pytest.raises(ValueError, match=r"^v0: at least 2"):
        bz.dsmc(np.zeros((1, 3)), 0.1, 1)
    with pytest.raises(ValueError, match=r"^v0: expected an array of shape \(N, d\)"):
        bz.dsmc(np.zeros(10), 0.1, 1)
    with pytest.raises(ValueError, match=r"^v0: contains NaN"):
        bz.dsmc(np.full((10, 3), np.nan), 0.1, 1)
    with pytest.raises(ValueError, match=r"^dt: must be > 0"):
        bz.dsmc(good, 0.0, 1)
    with pytest.raises(ValueError, match=r"^dt: method 'nanbu' with N = 10 needs dt <= 1"):
        bz.dsmc(good, 1.5, 1, method="nanbu")
    with pytest.raises(ValueError, match=r"^dt: method 'nanbu' with N = 11 needs dt <= 0.909091"):
        bz.dsmc(np.zeros((11, 3)), 0.95, 1, method="nanbu")
    with pytest.raises(ValueError, match=r"^method: unknown value 'euler'; valid values are 'exact'"):
        bz.dsmc(good, 0.1, 1, method="euler")
    with pytest.raises(TypeError, match=r"^n_steps: expected an integer"):
        bz.dsmc(good, 0.1, 2.0)
    with pytest.raises(ValueError, match=r"^d: dimension must be 1 \(Kac\), 2 or 3"):
        bz.make_bkw(4)
    with pytest.raises(ValueError, match=r"^t: the BKW formula"):
        bz.make_bkw(3).sample(10, 1.0)
    with pytest.raises(ValueError, match=r"^v: last axis must have length 2"):
        bz.make_bkw(2).density(np.zeros((4, 3)), 10.0)
    # the spectral solver's density checks
    with pytest.raises(ValueError, match=r"^f0: the density takes negative values"):
        bz.kac_spectral(lambda x: std_maxwellian_1d(x) * (1 + 0.5 * he(4)(x)), [1.0])
    with pytest.raises(ValueError, match=r"^f0: must have positive mass"):
        bz.kac_spectral(lambda x: 0.0 * x[..., 0], [1.0])
    with pytest.raises(ValueError, match=r"^f0: expected a GaussianMixture with d = 1"):
        bz.kac_spectral(kn.make_maxwellian(d=2), [1.0])
    with pytest.raises(ValueError, match=r"^f0: every component temperature must be < 2 T"):
        bz.kac_spectral(kn.GaussianMixture([0.7, 0.3], [[0.0], [0.0]], [0.1, 4.0]), [1.0])
    with pytest.raises(TypeError, match=r"^f0: expected a GaussianMixture or a callable"):
        bz.kac_spectral(np.ones(5), [1.0])
    with pytest.raises(ValueError, match=r"^f0: must map arrays of shape \(\.\.\., 1\)"):
        bz.kac_spectral(lambda x: np.ones(3), [1.0])
    with pytest.raises(ValueError, match=r"^t_eval: expected"):
        bz.kac_spectral(kn.make_maxwellian(d=1), [1.0, 0.5])
    with pytest.raises(ValueError, match=r"^t_eval: expected"):
        bz.kac_spectral(kn.make_maxwellian(d=1), [-1.0])
    with pytest.raises(ValueError, match=r"^n_modes: must be an integer >= 4"):
        bz.kac_spectral(kn.make_maxwellian(d=1), [1.0], n_modes=2)
    with pytest.raises(ValueError, match=r"^tol: must lie in \(0, 1\)"):
        bz.kac_spectral(kn.make_maxwellian(d=1), [1.0], tol=0.0)
    with pytest.raises(ValueError, match=r"^method: unknown value"):
        bz.kac_spectral(kn.make_maxwellian(d=1), [1.0], method="euler")
    with pytest.raises(ValueError, match=r"^f: the density takes negative values"):
        bz.kac_collision_operator(lambda x: -std_maxwellian_1d(x), [0.0])
    with pytest.raises(ValueError, match=r"^v: expected a non-empty array of shape \(m,\) or \(m, 1\)"):
        bz.kac_linearised_operator(he(2), np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"^n_max: must be an integer >= 0"):
        bz.kac_eigenvalues(-1)
    with pytest.raises(ValueError, match=r"^v: 2 samples have a duplicate"):
        bz.entropy_knn(np.array([[0.0], [0.0], [1.0]]))
    with pytest.raises(ValueError, match=r"^v: need more than k = 3 samples"):
        bz.entropy_knn(np.zeros((3, 2)), k=3)
    with pytest.raises(ValueError, match=r"^w: contains NaN"):
        bz.collide_1d(1.0, np.nan)
    with pytest.raises(ValueError, match=r"^theta: contains NaN"):
        bz.kac_collide([[1.0]], [[2.0]], np.nan)
    with pytest.raises(ValueError, match=r"^v: last axis must have length 1"):
        bz.kac_collide(np.zeros((2, 2)), np.zeros((2, 2)), 0.0)


def test_kac_collide_conserves_energy_not_momentum():
    rng = np.random.default_rng(1)
    v, w, th = rng.normal(size=(100, 1)), rng.normal(size=(100, 1)), rng.uniform(0, 2 * np.pi, 100)
    vp, wp = bz.kac_collide(v, w, th)
    np.testing.assert_allclose(vp**2 + wp**2, v**2 + w**2, rtol=1e-13)
    assert np.max(np.abs(vp + wp - v - w)) > 0.5
    # theta = pi/2 is a (signed) swap: (v, w) -> (-w, v)
    vp, wp = bz.kac_collide(v, w, np.full(100, np.pi / 2))
    np.testing.assert_allclose(vp, -w, atol=1e-15)
    np.testing.assert_allclose(wp, v, atol=1e-15)


# --- Computational exercises of the chapter "The H-theorem" (tests/exercise_cells.py) ------------

def test_exercise_kac_fourth_moment_rate_is_the_gap():
    from exercise_cells import solution_answer

    # m4 - 3T^2 is the He_4 mode: it decays at -lambda_4 = 1 - 2 * binom(4, 2) / 16 = 1/4 exactly
    assert solution_answer("h_theorem", "ex-h_theorem-kac-m4") == pytest.approx(1 - 2 * 6 / 16, rel=1e-6)


def test_exercise_bkw_rate_of_the_omega_uniform_kernel():
    from exercise_cells import solution_answer

    # closed form: (4<c^2> - 4<c^4>) / 4 with c uniform on [-1, 1]
    assert solution_answer("h_theorem", "ex-h_theorem-omega-rate") == pytest.approx((4 / 3 - 4 / 5) / 4, rel=0.03)


# --- Entropy dissipation of Kac's model --------------------------------------------------------

def test_kac_dissipation_is_minus_the_entropy_slope_along_kac_bkw():
    k = bz.make_bkw(1)
    for t in (k.t_min + 0.5, k.t_min + 3.0):
        D = bz.kac_entropy_dissipation(lambda x: k.density(x, t))
        h = 1e-4
        slope = (k.entropy(t + h) - k.entropy(t - h)) / (2 * h)  # entropy of the exact solution, by quadrature
        assert D > 0 and D == pytest.approx(-slope, rel=1e-7)


def test_kac_dissipation_vanishes_exactly_at_maxwellians():
    for T in (0.5, 1.0, 2.0):
        g = lambda x: stats.norm(0, np.sqrt(T)).pdf(x[..., 0])  # noqa: E731
        assert abs(bz.kac_entropy_dissipation(g, v_max=9 * np.sqrt(T))) < 1e-12


def test_kac_dissipation_bad_input():
    with pytest.raises(TypeError, match="f"):
        bz.kac_entropy_dissipation(np.ones(3))
    with pytest.raises(ValueError, match="n_theta"):
        bz.kac_entropy_dissipation(lambda x: np.exp(-x[..., 0] ** 2), n_theta=2)
    with pytest.raises(ValueError, match="f"):
        bz.kac_entropy_dissipation(lambda x: -np.exp(-x[..., 0] ** 2))
