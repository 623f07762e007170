"""Claims of *Checking the text*, Mean-field games (C21-C23): the rows' numbers are those of
meanfield.claims.games (one function per claim), and the functions' results are right."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from meanfield.claims import games as cg

from claims_page import rows


@pytest.fixture(scope="module")
def r():
    return rows()


def test_C21_C22_numbers_are_the_librarys(r):
    c21 = cg.riccati_equation_of_the_ansatz(np.linspace(0, 1, 11))
    ex = c21.equilibrium
    assert np.max(np.abs(ex.a - 1 / (2 * (2 - ex.t)))) < 1e-12
    assert np.max(np.abs(ex.a - ex.a_ode)) < 1e-10 and c21.ode_error < 1e-10
    assert c21.terminal_value == 0.5
    a_text = lambda s: 1 / (4 * (1 - s))  # noqa: E731
    assert c21.text_ode_residual == pytest.approx(1 / (4 * 0.5**2) + 4 * a_text(0.5) ** 2, rel=1e-15)
    assert f"{c21.text_ode_residual:.4f}" in r["C21"]
    c22 = cg.equilibrium_paths_and_value(1.0)
    assert c22.X_end == cg.quadratic_equilibrium(np.array([0.0, 1.0]), x0=1.0).X[-1]
    assert f"{c22.X_end:.4f}" in r["C22"]
    x = np.linspace(-2, 2, 9)
    resid = np.max(np.abs(-(x**2) / 4 + 0.5 * (x / 2) ** 2))  # text's u in the HJB at t = 0
    assert c22.text_hjb_residual == pytest.approx(resid, rel=1e-15)
    assert f"{c22.text_hjb_residual:.4f}" in r["C22"]


def test_C23_numbers_are_the_librarys(r):
    c = cg.systemic_risk_convergence_rates((2, 4, 8, 16, 32, 64, 128), a=1.0, q=1.0, eps=2.0, c=0.5, T=1.0)
    for slope in (c.eta_slope, c.gain_slope, c.value_slope, c.var_slope):
        assert f"N^{{{slope:.2f}}}" in r["C23"]
    assert abs(c.eta_slope + 2) < 0.05 and abs(c.gain_slope + 1) < 0.05
    assert abs(c.value_slope + 1) < 0.02  # 1/N, not 1/sqrt(N)
    # Var Xbar_T = sigma^2 T / N (sampling error of 400 runs: about 7%)
    np.testing.assert_allclose(c.var_mean * c.var_N / 0.25, 1.0, atol=4 * np.sqrt(2 / 399))
    assert "**correct**" in r["C23"]


def test_C42_numbers_are_the_librarys(r):
    m = cg.monotonicity_of_the_lq_coupling(q=1.0, gap=1.0)
    assert m.integral == pytest.approx(m.closed_form, abs=1e-10) and m.closed_form == -1.0
    assert m.crowd_integral == pytest.approx(m.crowd_closed_form, rel=1e-10) and m.crowd_integral > 0
    assert f"= {m.integral:.4f}$" in r["C42"]
    # the LQ equilibrium is unique although F is anti-monotone: the mean cannot move (z' = 0, z(T) = 0)
    from meanfield import mfg
    sol = mfg.lq_gaussian_mfg(np.linspace(0, 1, 5), q=1.0, c_T=0.5, sigma=0.8, mu0=0.5, s0=0.6)
    np.testing.assert_array_equal(sol.mean, 0.5)


def test_C43_numbers_are_the_librarys(r):
    c = cg.coefficient_equations_of_the_ansatz(0.5)
    for v in (c.two_a_text, c.eight_over, c.path_rate, c.correct_rate):
        assert f"{v:.4f}" in r["C43"]
    # the rates, independently: -X'/X of the text's (1-t)^2 and of the correct (2-t)/2, by differences
    h, t = 1e-6, 0.5
    rate = lambda X: -(X(t + h) - X(t - h)) / (2 * h) / X(t)  # noqa: E731
    assert rate(lambda s: (1 - s) ** 2) == pytest.approx(c.path_rate, rel=1e-8)
    assert rate(lambda s: (2 - s) / 2) == pytest.approx(c.correct_rate, rel=1e-8)
    assert c.two_a_text != c.eight_over


@pytest.mark.slow
def test_C44_numbers_are_the_librarys(r):
    c = cg.coupling_of_the_example()
    assert c.success and c.dirac_source == 0.0
    for v in c.mean_T:
        assert f"${v:.2f}$" in r["C44"]
    assert c.mean_T[0] < -0.1 and c.mean_T[1] < c.mean_T[0]  # the crowd moves left, more on the finer grid


def test_C45_numbers_are_the_librarys(r):
    c = cg.noise_and_generator(0.5)
    assert c.var_heat == pytest.approx(2 * c.nu, rel=1e-10) and c.var_sqrt_nu == c.nu
    assert c.var_mc == pytest.approx(c.nu, rel=4 * np.sqrt(2 / 1e5))
    for v in (c.var_sqrt_nu, c.var_heat):
        assert f"{v:.4f}" in r["C45"]
    assert f"{c.var_mc:.4f}" in r["C45"]


def test_C46_numbers_are_the_librarys(r):
    c = cg.n_player_and_mean_field_hjb(3)
    sol = solve_ivp(lambda s, y: [-(4.0 * y[0] + (1 - 1 / 9) * y[0] ** 2 - 1.0), -(4.0 * y[1] + y[1] ** 2 - 1.0)],
                    (0, 1), [0.5, 0.5], rtol=1e-12, atol=1e-14)
    assert c.gain_N == pytest.approx(1 + (2 / 3) * sol.y[0, -1], rel=1e-9)
    assert c.gain_mf == pytest.approx(1 + sol.y[1, -1], rel=1e-9)
    assert f"{c.gain_N:.4f}" in r["C46"] and f"{c.gain_mf:.4f}" in r["C46"]


def test_C47_numbers_are_the_librarys(r):
    c = cg.empirical_measure_fluctuations(3, 0.5)
    assert c.var_closed == pytest.approx(1 / 3)
    assert c.var_mc == pytest.approx(c.var_closed, rel=4 * np.sqrt(2 / 1e5))
    assert f"{c.var_closed:.4f}" in r["C47"] and f"{c.var_mc:.4f}" in r["C47"]


# --- the equilibrium of the section's deterministic game (C21, C22) ---------------------------------


def test_C21_riccati_closed_form_and_ode():
    t = np.linspace(0, 1, 21)
    sol = cg.quadratic_equilibrium(t, x0=1.5)
    assert sol.success
    np.testing.assert_allclose(sol.a, 1 / (2 * (2 - t)), rtol=0, atol=0)
    np.testing.assert_allclose(sol.a_ode, sol.a, rtol=0, atol=1e-10)
    assert sol.a[-1] == 0.5  # terminal condition G = x^2/2
    # -a' + 2 a^2 = 0 (a' by the exact derivative 1/(2(2-t)^2))
    np.testing.assert_allclose(-1 / (2 * (2 - t) ** 2) + 2 * sol.a**2, 0, atol=1e-15)
    # the HJB -u_t + u_x^2/2 = 0 holds pointwise (central differences in t)
    x = np.linspace(-2, 2, 9)
    h = 1e-6
    tt = np.array([0.3 - h, 0.3, 0.3 + h])
    u = cg.quadratic_equilibrium(tt).u(x)
    ut = (u[2] - u[0]) / (2 * h)
    ux = cg.quadratic_equilibrium(tt).feedback(x)[1] * -1
    np.testing.assert_allclose(-ut + 0.5 * ux**2, 0, atol=1e-8)


def test_C22_state_path_and_the_texts_claims_fail():
    t = np.linspace(0, 1, 11)
    sol = cg.quadratic_equilibrium(t, x0=2.0)
    ode = solve_ivp(lambda s, X: -X / (2 - s), (0, 1), [2.0], t_eval=t, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(sol.X, ode.y[0], atol=1e-10)
    np.testing.assert_allclose(sol.alpha, -1.0, atol=1e-14)  # alpha = -X(0)/2 constant
    assert not np.allclose(sol.X, 2.0 * (1 - t) ** 2)  # the text's X(t) = X(0)(1-t)^2
    # from m0 = delta_0 the population stays at 0: m = delta_0 is a fixed point
    assert np.all(cg.quadratic_equilibrium(t).X == 0)
    # the text's a = 1/(4(1-t)) neither meets a(1) = 1/2 nor solves a' + 4a^2 = 0
    s = np.array([0.0, 0.5])
    a_text, da_text = 1 / (4 * (1 - s)), 1 / (4 * (1 - s) ** 2)
    assert np.all(np.abs(da_text + 4 * a_text**2) > 0.1)
    # nor does u = x^2/(4(1-t)) solve -u_t + u_x^2/2 = 0: residual -x^2/(8(1-t)^2)
    assert abs(-da_text[0] + 0.5 * (2 * a_text[0]) ** 2) == pytest.approx(1 / 8)


def test_quadratic_equilibrium_bad_input():
    with pytest.raises(ValueError, match="^t:"):
        cg.quadratic_equilibrium([0.0, 1.5])
    with pytest.raises(ValueError, match="^x0:"):
        cg.quadratic_equilibrium([0.0], x0=np.nan)
