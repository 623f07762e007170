"""Claims of *Checking the text*, Optimal transport and the JKO scheme (C11-C20, C25, C35-C37): the rows' numbers are the library's."""

import numpy as np
import pytest
from scipy import integrate, stats

from meanfield import jko
from meanfield import transport as tr
from meanfield.claims import transport as ct

from claims_page import rows


@pytest.fixture(scope="module")
def r():
    return rows()


def test_C18_C19_numbers_are_the_librarys(r):
    assert f"{tr.w2_gaussian(0, 0.25, 1.5, 4.0):.5f}" in r["C18"]
    w = tr.w2_1d(tr.uniform(0, 1), tr.gaussian(0, 1))
    assert f"{w:.5f}" in r["C19"]
    assert f"{w - 0.867:.3f}" in r["C19"]
    study = tr.sampling_error_study(
        tr.uniform(0, 1), tr.gaussian(0, 1), [100, 200, 400, 800, 1600, 3200, 6400], n_rep=40, rng=1
    )
    assert f"n^{{{study.slope:.2f}}}" in r["C19"]


def test_C11_map_direction_numbers_are_the_librarys(r):
    res = ct.jko_map_direction()
    assert f"{res.var1:.5f}" in r["C11"]
    assert f"{res.var_text_reading:.4f}" in r["C11"]
    assert res.var_back == pytest.approx(1.0, abs=1e-12)


def test_C12_to_C15_numbers_are_the_librarys(r):
    res = ct.w2_of_the_section_step()
    for other in (ct.entropy_of_the_section_step(), ct.functional_of_the_section_step(), ct.variance_of_the_jko_step()):
        assert other == res
    assert res.w2sq == pytest.approx(res.w2sq_quadrature, abs=1e-11)
    assert res.entropy == pytest.approx(res.entropy_quadrature, abs=1e-11)
    assert f"{res.w2sq:.8f}" in r["C12"]
    assert f"{res.entropy:.4f}" in r["C13"]
    assert f"{res.functional_text:.5f}" in r["C14"]
    assert f"{res.functional_min:.5f}" in r["C14"]
    assert f"{res.text_sum:.4f}" in r["C14"]
    assert f"{res.var1:.5f}" in r["C15"]


def test_C25_orders_are_the_librarys(r):
    taus = np.array([0.2, 0.1, 0.05, 0.025, 0.0125])
    for potential, mean0, var0 in (("heat", 0.0, 1.0), ("ou", 1.0, 0.5)):
        errs = []
        for h in taus:
            g = jko.jko_gaussian(mean0, var0, h, int(round(1 / h)), potential=potential)
            errs.append(abs(g.var[-1] - g.exact_var[-1]) + abs(g.mean[-1] - g.exact_mean[-1]))
        slope = np.polyfit(np.log(taus), np.log(errs), 1)[0]
        assert f"\\tau^{{{slope:.2f}}}" in r["C25"]


def test_C25_two_bump_numbers_are_the_librarys(r):
    res = ct.two_bump_jko_errors((0.2, 0.025))
    assert res.success
    assert f"${res.errors[0]:.4f}$ at $\\tau = 0.2$" in r["C25"]
    assert f"${res.errors[1]:.4f}$ at $\\tau = 0.025$" in r["C25"]
    # the exact mixture law is a probability law that follows the OU means and variances
    law = ct.two_bump_ou_law(1.0)
    assert integrate.quad(law.pdf, -12, 12)[0] == pytest.approx(1.0, abs=1e-10)
    var = integrate.quad(lambda x: x**2 * law.pdf(x), -12, 12)[0]
    assert var == pytest.approx(1.5**2 * np.exp(-2) + 0.16 * np.exp(-2) + 1 - np.exp(-2), abs=1e-9)


def test_C35_entropy_sign_numbers_are_the_librarys(r):
    res = ct.entropy_sign_along_the_heat_flow()
    # independent: closed form -1/2 log(2 pi e (1+2t)) and dH/dt = -1/(1+2t)
    np.testing.assert_allclose(res.h, -0.5 * np.log(2 * np.pi * np.e * (1 + 2 * res.t)), atol=1e-10)
    np.testing.assert_allclose(res.dh_dt, -1 / (1 + 2 * res.t), atol=1e-5)
    np.testing.assert_allclose(res.dh_dt, -res.fisher, atol=1e-5)
    assert np.all(np.diff(res.h) < 0) and np.all(np.diff(res.boltzmann_entropy) > 0)
    for v in res.h:
        assert f"${v:.5f}$" in r["C35"]
    assert f"${res.dh_dt[0]:.4f}$" in r["C35"] and f"${res.fisher[0]:.4f}$" in r["C35"]


def test_C36_tangent_closure_numbers_are_the_librarys(r):
    res = ct.tangent_vectors_need_the_closure()
    assert f"${res.lower_bound[0]:.4f}$" in r["C36"]
    for e in res.cutoff_error:
        assert f"${e:.4f}$" in r["C36"]
    # the distances decrease to 0 and never beat the support bound
    assert np.all(np.diff(res.cutoff_error) < 0) and res.cutoff_error[-1] < 0.02
    assert np.all(res.cutoff_error >= res.lower_bound)
    # independent: finite differences of chi_R x^2/2 on a fine grid, Simpson's rule
    R = 3.0
    xs = np.linspace(-R - 3, R + 3, 200_001)
    chi = ct._smooth_step(R + 1 - np.abs(xs))[0]
    g = np.gradient(chi * xs**2 / 2, xs)
    tail = 2 * integrate.quad(lambda x: x**2 * stats.norm.pdf(x), R + 3, np.inf)[0]
    err = np.sqrt(integrate.simpson((g - xs) ** 2 * stats.norm.pdf(xs), x=xs) + tail)
    assert err == pytest.approx(res.cutoff_error[2], rel=1e-6)


def test_C37_bures_with_the_nonsymmetric_root_numbers_are_the_librarys(r):
    res = ct.bures_formula_with_a_nonsymmetric_root()
    assert res.asymmetry > 0.5  # the product really is not symmetric
    assert res.trace_text == pytest.approx(res.trace_symmetric, abs=1e-12)
    # independent: the sum of the square roots of the eigenvalues of Sigma_1 Sigma_0
    assert res.trace_text == pytest.approx(np.sum(np.sqrt(res.eigenvalues)), abs=1e-12)
    assert res.w2_text == pytest.approx(res.w2_pot, abs=1e-10)
    assert f"{res.trace_text:.5f}" in r["C37"] and f"{res.w2_text:.5f}" in r["C37"]
    assert f"${res.eigenvalues[0]:.1f}$ and ${res.eigenvalues[1]:.1f}$" in r["C37"]


def test_C16_two_diracs_numbers_are_the_librarys(r):
    res = ct.two_diracs()
    assert res.w2_quantile == res.w2_pot == 1.0
    assert res.plan.tolist() == [[1.0]]
    assert "$W_2 = 1$" in r["C16"]


def test_C17_uniform_numbers_are_the_librarys(r):
    res = ct.uniform_to_uniform()
    assert res.w2sq_quadrature == pytest.approx(4.0, abs=1e-12) and res.w2sq_closed == pytest.approx(4.0, abs=1e-12)
    assert res.w2sq_pot == pytest.approx(4.0, abs=0.02)
    np.testing.assert_allclose(res.shift, 2.0, atol=1e-12)
    assert "mass 0.5" in res.rejected and "mass $0.5$" in r["C17"]
    assert f"would be {res.text_value_with_half:g})" in r["C17"]


def test_C18_formula_numbers_are_the_librarys(r):
    res = ct.gaussian_to_gaussian()
    for v in (res.quadrature, res.bures, res.pot):
        assert v == pytest.approx(res.formula, abs=1e-8)
    assert f"{res.formula:.5f}" in r["C18"]


def test_C19_uniform_gaussian_numbers_are_the_librarys(r):
    res = ct.uniform_to_gaussian()
    assert res.quadrature == pytest.approx(res.closed, abs=1e-10)
    assert res.pot_samples == pytest.approx(res.closed, abs=0.02)
    assert f"{res.closed:.5f}" in r["C19"] and f"{res.text_error:.3f}" in r["C19"]


def test_C20_monge_ampere_numbers_are_the_librarys(r):
    res = ct.monge_ampere_of_the_map_and_its_inverse()
    assert res.text_residual < 1e-5 and res.map_residual < 1e-4
    assert res.inverse_error < 1e-12  # F_mu^{-1} o F_nu is Phi, the inverse of T
    assert "to $10^{-5}$" in r["C20"] and "to $10^{-4}$" in r["C20"]
