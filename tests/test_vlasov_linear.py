"""Tests of meanfield.vlasov_linear: the plasma dispersion function against quadrature, Landau
and two-stream roots against reference values and asymptotics, reported Newton failures."""

import numpy as np
import pytest
from scipy import integrate

from meanfield import vlasov_linear as lin


# --- linear theory ------------------------------------------------------------------------

def test_plasma_dispersion_function_against_quadrature():
    """Z(zeta) = pi^{-1/2} int e^{-t^2}/(t - zeta) dt for Im zeta > 0, and Z' = -2(1 + zeta Z)."""
    for zeta in (0.3 + 0.5j, -1.2 + 0.2j, 2.0 + 1.0j):
        re = integrate.quad(lambda t: (np.exp(-t * t) / (t - zeta)).real, -np.inf, np.inf, epsabs=1e-13)[0]
        im = integrate.quad(lambda t: (np.exp(-t * t) / (t - zeta)).imag, -np.inf, np.inf, epsabs=1e-13)[0]
        assert lin.plasma_dispersion(zeta) == pytest.approx((re + 1j * im) / np.sqrt(np.pi), abs=1e-11)
        h = 1e-6
        dZ = (lin.plasma_dispersion(zeta + h) - lin.plasma_dispersion(zeta - h)) / (2 * h)
        assert dZ == pytest.approx(-2 * (1 + zeta * lin.plasma_dispersion(zeta)), abs=1e-8)
    assert lin.plasma_dispersion(0.0) == pytest.approx(1j * np.sqrt(np.pi), abs=1e-15)


@pytest.mark.parametrize("k, omega", [
    (0.5, 1.4156618886 - 0.1533594669j),   # the book's case
    (0.4, 1.2850569697 - 0.0661279587j),
    (1.0, 2.0459048657 - 0.8513304587j),
])
def test_landau_roots(k, omega):
    r = lin.landau_root(k)
    assert r.success and r.residual < 1e-12
    assert r.omega == pytest.approx(omega, abs=1e-9)
    assert abs(lin.dielectric(r.omega, k)) < 1e-12


def test_landau_root_small_k_asymptotics_and_thermal_scaling():
    k = 0.1
    r = lin.landau_root(k)
    assert r.omega_r == pytest.approx(np.sqrt(1 + 3 * k**2), rel=1e-3)
    assert abs(r.gamma) < 1e-15
    # vt enters through k vt: omega(k, vt) = omega(k vt, 1)
    assert lin.landau_root(0.25, vt=2.0).omega == pytest.approx(lin.landau_root(0.5).omega, abs=1e-12)


def test_two_stream_root_and_cold_limit():
    r = lin.two_stream_root(0.2, 2.4)
    assert r.success and r.omega_r == pytest.approx(0.0, abs=1e-12)
    assert r.gamma == pytest.approx(0.2258442550, abs=1e-9)
    # cold beams: omega^2 = a^2 + 1/2 - sqrt(1 + 8 a^2)/2, a = k v0
    a2 = (0.2 * 2.4) ** 2
    cold = np.sqrt(-(a2 + 0.5 - 0.5 * np.sqrt(1 + 8 * a2)))
    assert lin.two_stream_root(0.2, 2.4, vt=0.02).gamma == pytest.approx(cold, rel=1e-3)
    assert r.gamma < cold  # thermal spread stabilises
    # symmetric beams: a stable Langmuir-like pair exists too (found from another guess)
    s = lin.solve_dispersion(0.2, 1.0 - 0.1j, densities=(0.5, 0.5), drifts=(2.4, -2.4), thermal_speeds=(1, 1))
    assert s.success and s.gamma < 0


def test_newton_failure_is_reported_not_raised():
    r = lin.solve_dispersion(0.2, 0.5 - 0.05j, densities=(0.5, 0.5), drifts=(2.4, -2.4), thermal_speeds=(1, 1))
    assert not r.success and "did not converge" in r.message


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: lin.landau_root(0.0), "k: must be > 0"),
    (lambda: lin.landau_root(0.5, vt=-1.0), "vt: must be > 0"),
    (lambda: lin.two_stream_root(0.2, -2.4), "v0: must be >= 0"),
    (lambda: lin.solve_dispersion(0.5, 1.0, densities=(1.0, -1.0), drifts=(0, 0), thermal_speeds=(1, 1)),
     "densities: every density must be > 0"),
    (lambda: lin.solve_dispersion(0.5, 1.0, drifts=(0.0, 1.0)), r"drifts: expected shape \(1,\)"),
    (lambda: lin.solve_dispersion(0.5, complex(np.nan, 0)), "omega0: must be finite"),
    (lambda: lin.solve_dispersion(0.5, 1.0, tol=0.0), "tol: must be > 0"),
])
def test_bad_input_raises_value_error_naming_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_bad_types_raise_type_error():
    with pytest.raises(TypeError, match="k: expected a real number"):
        lin.landau_root("0.5")


# --- Penrose's criterion -------------------------------------------------------------------

@pytest.mark.parametrize("v0", [0.0, 1.0, 1.5, 2.4, 3.0])
def test_two_stream_penrose_integral_against_quadrature(v0):
    """P = int (F0(v) - F0(0))/v^2 dv by scipy quadrature (no principal value needed)."""
    def F0(v):
        return 0.5 * (np.exp(-0.5 * (v - v0) ** 2) + np.exp(-0.5 * (v + v0) ** 2)) / np.sqrt(2 * np.pi)

    def integrand(v):
        return (F0(v) - F0(0.0)) / v**2 if abs(v) > 1e-4 else 0.5 * (F0(1e-4) + F0(-1e-4) - 2 * F0(0.0)) / 1e-8

    ref = sum(integrate.quad(integrand, a, b, epsabs=1e-13, limit=200)[0]
              for a, b in ((-np.inf, -20), (-20, 0), (0, 20), (20, np.inf)))
    assert lin.two_stream_penrose(v0).P == pytest.approx(ref, abs=1e-9)


def test_two_stream_penrose_cutoff_is_where_the_growth_rate_vanishes():
    p = lin.two_stream_penrose(2.4)
    assert p.unstable and p.k_c == pytest.approx(0.516890, abs=1e-6)
    # the dielectric vanishes at omega = 0, k = k_c (marginal mode) ...
    eps = lin.dielectric(0.0, p.k_c, densities=(0.5, 0.5), drifts=(2.4, -2.4), thermal_speeds=(1.0, 1.0))
    assert abs(eps) < 1e-12
    # ... the growing root shrinks to zero there, and exists below
    rates = [lin.two_stream_root(k, 2.4).gamma for k in (0.98 * p.k_c, 0.995 * p.k_c)]
    assert 0 < rates[1] < rates[0] < 0.02
    # a single Maxwellian (v0 = 0) and weakly separated beams are stable; vt scales P by 1/vt^2
    assert lin.two_stream_penrose(0.0).P == pytest.approx(-1.0, abs=1e-15)
    assert not lin.two_stream_penrose(1.2).unstable and lin.two_stream_penrose(1.2).k_c == 0.0
    assert lin.two_stream_penrose(4.8, vt=2.0).P == pytest.approx(p.P / 4, rel=1e-14)


def test_two_stream_penrose_bad_input():
    with pytest.raises(ValueError, match="v0: must be >= 0"):
        lin.two_stream_penrose(-1.0)
    with pytest.raises(ValueError, match="vt: must be > 0"):
        lin.two_stream_penrose(2.0, vt=0.0)
