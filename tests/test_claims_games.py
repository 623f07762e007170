"""Claims of *Checking the text*, Mean-field games (C21-C23): the rows' numbers are the library's."""

import numpy as np
import pytest

from meanfield import mfg

from claims_page import rows


@pytest.fixture(scope="module")
def r():
    return rows()


def test_C21_C22_numbers_are_the_librarys(r):
    ex = mfg.ex_5_7_7(np.linspace(0, 1, 11))
    assert np.max(np.abs(ex.a - 1 / (2 * (2 - ex.t)))) < 1e-12
    assert np.max(np.abs(ex.a - ex.a_ode)) < 1e-10
    a_text = lambda s: 1 / (4 * (1 - s))  # noqa: E731
    assert f"{1 / (4 * 0.5**2) + 4 * a_text(0.5) ** 2:.4f}" in r["C21"]
    assert f"{mfg.ex_5_7_7(np.array([0.0, 1.0]), x0=1.0).X[-1]:.4f}" in r["C22"]
    x = np.linspace(-2, 2, 9)
    resid = np.max(np.abs(-(x**2) / 4 + 0.5 * (x / 2) ** 2))  # text's u in the HJB at t = 0
    assert f"{resid:.4f}" in r["C22"]


def test_C23_numbers_are_the_librarys(r):
    model = dict(a=1.0, q=1.0, eps=2.0, c=0.5, T=1.0)
    t = np.linspace(0, 1, 101)
    inf = mfg.systemic_risk_eta(t, N=np.inf, **model)
    Ns = np.array([2, 4, 8, 16, 32, 64, 128])
    d_eta = [np.max(np.abs(mfg.systemic_risk_eta(t, N=N, **model) - inf)) for N in Ns]
    d_gain = [np.max(np.abs((1 - 1 / N) * mfg.systemic_risk_eta(t, N=N, **model) - inf)) for N in Ns]
    s_eta = np.polyfit(np.log(Ns), np.log(d_eta), 1)[0]
    s_gain = np.polyfit(np.log(Ns), np.log(d_gain), 1)[0]
    assert f"N^{{{s_eta:.2f}}}" in r["C23"] and f"N^{{{s_gain:.2f}}}" in r["C23"]
    assert abs(s_eta + 2) < 0.05 and abs(s_gain + 1) < 0.05
