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
    assert f"N^{{{c.eta_slope:.2f}}}" in r["C23"] and f"N^{{{c.gain_slope:.2f}}}" in r["C23"]
    assert abs(c.eta_slope + 2) < 0.05 and abs(c.gain_slope + 1) < 0.05


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
