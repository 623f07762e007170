"""Claims of *Checking the text*, Kinetic theory (C01-C08, C24, C31-C34): the rows' numbers are those of
meanfield.claims.kinetic (one function per claim), and the functions' results are right."""

import numpy as np
import pytest
from scipy import integrate, special

from meanfield import boltzmann as bz
from meanfield.claims import kinetic as ck

from claims_page import rows


@pytest.fixture(scope="module")
def r():
    return rows()


def test_C01_numbers_are_the_librarys(r):
    c = ck.maxwellian_is_a_collision_equilibrium(n_samples=200_000, rng=2024)
    assert f"G = {c.gain:.5f} \\pm {c.gain_se:.5f}" in r["C01"]
    assert f"4\\pi M(v_0) = {c.exact_loss:.5f}" in r["C01"]
    assert f"{c.gain_quadrature:.6f}" in r["C01"]
    assert abs(c.gain - c.loss) < 1e-12 and c.quadrature_error < 1e-12
    assert abs(c.loss - c.exact_loss) < 3 * c.loss_se


def test_C02_numbers_are_the_librarys(r):
    p = ck.maxwellian_product_formula((0.3, -1.2, 0.8))
    assert f"{p.value:.6g}" in r["C02"]
    assert p.error < 1e-15
    for v_star in np.random.default_rng(3).normal(size=(5, 3)):
        q = ck.maxwellian_product_formula(v_star)
        assert q.value == pytest.approx(q.text_formula, rel=1e-14)


def test_C24_numbers_are_the_librarys(r):
    m = ck.boltzmann_grad_mean_free_paths(0.16, (0.2, 0.1, 0.05), n_rays=800, rng=12)
    assert f"{m.theory:.3f}" in r["C24"]
    assert m.theory == pytest.approx(1 / (4 * np.pi * 0.16))
    for mean, se in zip(m.means, m.ses):
        assert f"{mean:.3f} \\pm {se:.3f}" in r["C24"]
        assert abs(mean - m.theory) < 2 * se
    assert f"{m.volume_fractions[0]:.3f}" in r["C24"] and f"{m.volume_fractions[-1]:.3f}" in r["C24"]


def test_C03_to_C06_numbers_are_the_librarys(r):
    mass = ck.mass_of_the_perturbed_datum()
    assert mass.quadrature == pytest.approx(1 + 0.5 * np.exp(-np.pi**2 / 2), rel=1e-12)
    assert mass.closed_form == pytest.approx(mass.quadrature, rel=1e-12)
    assert f"{mass.quadrature:.4f}" in r["C06"]
    # C03: a 1D elastic collision is a swap
    v, w = np.array([0.3, -1.2]), np.array([2.0, 0.5])
    vp, wp = bz.collide_1d(v, w)
    assert np.array_equal(vp, w) and np.array_equal(wp, v)
    line = ck.elastic_collisions_on_a_line(500_000)
    assert line.n_collisions == 500_000 and line.is_a_swap and line.sorted_unchanged
    # C04: fitted decay rates of the normalised datum under Kac's model
    kac = ck.kac_decay_rates(((0, 2), (10, 20)))
    for rate in kac.rates:
        assert f"{rate:.3f}" in r["C04"]
    assert not np.any(np.abs(kac.rates - 0.8) < 0.2)
    assert list(kac.eigenvalues) == pytest.approx([0, -1, 0, -1, -0.25, -1, -0.375])
    # C05: the expansion at eps = 0.01
    e = ck.entropy_expansion(0.01)
    assert f"{e.dH * 1e4:.3f}\\times10^{{-4}}" in r["C05"]
    assert f"{e.text_term * 1e5:.3f}\\times10^{{-5}}" in r["C05"]
    assert f"{(e.text_term + e.first_order_term) * 1e4:.3f}\\times10^{{-4}}" in r["C05"]


def test_C07_C08_numbers_are_the_librarys(r):
    drift = ck.characteristic_energy_drift(A=0.1, k=1.0)
    assert f"${drift.claimed_invariant_drift:.2f}A$" in r["C07"]
    assert drift.correct_invariant_drift < 1e-8
    assert "$-Ak^2\\cos kx = \\phi''$" in r["C07"] and "$E = -\\phi' = Ak\\sin kx$" in r["C07"]
    chk = ck.proposed_bgk_state_residuals(A=0.1, k=1.0, C=1.0)
    assert chk.u_not_real_fraction == 0.5 and "one half of the period" in r["C08"] and "48" not in r["C08"]
    assert "$\\delta = 0.2$" in r["C08"]
    assert f"${chk.claimed_vlasov_residual:.2f}$" in r["C08"] and f"${chk.claimed_poisson_residual:.2f}$" in r["C08"]
    run = ck.bgk_mode_stationarity(0.5, 1.0, dt=0.1, n_steps=500)
    assert run.success and run.t_end == pytest.approx(50.0)
    variation = run.field_norm_variation
    assert variation < 0.01
    assert f"${100 * variation:.2f}\\%$" in r["C08"]


def test_C07_C08_the_section_s_vlasov_claims_fail():
    d = ck.characteristic_energy_drift(A=0.1, k=1.0)
    # the claimed invariant v^2/2 + A k sin kx is not one; v^2/2 + A cos kx is
    assert d.claimed_invariant_drift > 1.0 and d.correct_invariant_drift < 1e-8
    c = ck.proposed_bgk_state_residuals(A=0.1, k=1.0, C=1.0)
    # u = sqrt(2 A k sin kx) is imaginary exactly where sin kx < 0: one half of the period
    # (independently: a midpoint count on 10^6 points of the period)
    xm = (np.arange(10**6) + 0.5) * 2 * np.pi / 10**6
    assert c.u_not_real_fraction == 0.5 == pytest.approx(np.mean(np.sin(xm) < 0), abs=1e-6)
    # ... and where it is real the claimed f fails both equations at order one
    assert c.claimed_vlasov_residual > 0.3 and c.claimed_poisson_residual > 0.5
    # any G(v^2/2 + A cos kx) solves Vlasov, but Delta phi = rho (no background) has no periodic solution
    assert c.boltzmann_vlasov_residual < 1e-12
    assert c.boltzmann_poisson_residual > 0.5
    assert c.mean_density == pytest.approx(np.sqrt(2 * np.pi) * special.i0(0.1), rel=1e-12)
    assert c.message.startswith("wrong") and "no periodic solution" in c.message


@pytest.mark.parametrize("call, match", [
    (lambda: ck.proposed_bgk_state_residuals(A=1.0, k=1.0), "A: need 2 A k < 1"),
    (lambda: ck.characteristic_energy_drift(A=0.0), "A: must be > 0"),
    (lambda: ck.vlasov_example_signs_and_ansatz(k=1.5), "k: the text-sign"),
    (lambda: ck.maxwellian_product_formula((1.0, 2.0)), "v_star: expected 3 finite components"),
    (lambda: ck.entropy_expansion(-0.1), "eps: must be > 0"),
])
def test_bad_input_raises_value_error_naming_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_C31_numbers_are_the_librarys(r):
    e = ck.entropy_production_formula()
    assert f"$dH/dt = {-e.dissipation:.5f}$" in r["C31"]
    assert f"${e.text_value:.5f}$" in r["C31"]
    assert e.spectral_slope == pytest.approx(-e.dissipation, rel=1e-5)  # two routes to dH/dt agree
    assert e.text_value / -e.dissipation > 20  # the text's integral is not the entropy production


def test_C32_numbers_are_the_librarys(r):
    c = ck.entropy_rate_factor()
    assert c.quadrature == pytest.approx(c.closed_form, rel=1e-12)
    assert f"{c.quadrature:.10f}" in r["C32"]
    assert abs(c.quadrature - 0.5) < 1e-8  # the text's "eps' eps" is twice this


def test_C33_numbers_are_the_librarys(r):
    w = ck.weak_form_against_non_invariants()
    assert w.invariants_max < 1e-13
    assert f"{w.v1_squared:.4f} \\pm {w.v1_squared_se:.4f}" in r["C33"]
    assert f"{w.closed_form:.4f}" in r["C33"]
    assert abs(w.v1_squared - w.closed_form) < 3 * w.v1_squared_se
    assert w.n_pairs == 200_000 and "$2\\times10^5$ Monte-Carlo pairs" in r["C33"]


def test_C07_characteristics_follow_the_energy_level_sets():
    d = ck.characteristic_energy_drift(A=0.1, k=1.0)
    # x' = v, v' = A k sin kx: E = v^2/2 + A cos kx along each stored trajectory (independent of the drift field)
    energy = 0.5 * d.v**2 + 0.1 * np.cos(d.x)
    assert np.max(np.abs(energy - energy[:, :1])) < 1e-9
    assert d.x.shape == d.v.shape == (8, d.t.size)


def test_C34_numbers_are_the_librarys(r):
    c = ck.vlasov_example_signs_and_ansatz(k=0.5, A=0.1)
    assert f"$\\gamma = {c.text_sign_growth_rate:.4f}$" in r["C34"]
    assert f"${c.electron_rate:.4f}$" in r["C34"]
    assert f"${c.ansatz_relative_residual:.2f}$" in r["C34"]


def test_C34_text_signs_give_a_growing_mode_and_the_ansatz_fails():
    c = ck.vlasov_example_signs_and_ansatz(k=0.5, A=0.1)
    k, g = 0.5, c.text_sign_growth_rate
    # independent: the text's dielectric 1 + k^-2 int M'(v) / (v - omega/k) dv at omega = i g, by quadrature
    # (for Im omega > 0 no contour deformation is needed)
    w = 1j * g / k

    def part(fn):
        return integrate.quad(lambda v: fn(-v * np.exp(-v * v / 2) / np.sqrt(2 * np.pi) / (v - w)),
                              -np.inf, np.inf, epsabs=1e-13)[0]

    eps = 1 + (part(np.real) + 1j * part(np.imag)) / k**2
    assert abs(eps) < 1e-9
    # ... the same with the Faddeeva function; electrons (the other sign) are damped
    zeta = 1j * g / (np.sqrt(2) * k)
    assert abs(1 - (1 + zeta * 1j * np.sqrt(np.pi) * special.wofz(zeta)) / k**2) < 1e-12
    assert 0 < g < 1 and c.electron_rate < 0          # a cold gas would grow at rate 1 (Jeans)
    # the ansatz residual is -g'(xi)(v u' + phi'), of order one for the text's u and phi
    assert c.ansatz_identity_error < 1e-9 and c.ansatz_relative_residual > 0.5
