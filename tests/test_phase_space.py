"""Tests of meanfield.phase_space: the grid, the data, Gauss's law and its sign."""

import numpy as np
import pytest

from meanfield import phase_space as ps

K = 0.5
L = 2 * np.pi / K


# --- grid, field, sign convention ---------------------------------------------------------

def test_grid_points_and_spacings():
    g = ps.make_phase_space_grid(8, 16, 4.0, 2.0)
    assert g.shape == (8, 16) and g.dx == 0.5 and g.dv == 0.25
    np.testing.assert_allclose(g.x, 0.5 * np.arange(8))
    np.testing.assert_allclose(g.v, -2.0 + 0.25 * (np.arange(16) + 0.5))
    np.testing.assert_allclose(g.k, 2 * np.pi * np.arange(5) / 4.0)


def test_gauss_law_sign_and_zero_mean():
    """rho = 1 + a cos kx (an excess of electrons at x = 0) gives E = -(a/k) sin kx:
    dE/dx = 1 - rho, and the force -E pushes electrons away from the excess."""
    g = ps.make_phase_space_grid(32, 8, L, 1.0)
    rho = 1 + 0.1 * np.cos(K * g.x) + 0.03 * np.sin(3 * K * g.x) + 0.2  # the constant 0.2 is not felt
    E = ps.electric_field(rho, L)
    np.testing.assert_allclose(E, -0.1 / K * np.sin(K * g.x) + 0.03 / (3 * K) * np.cos(3 * K * g.x), atol=1e-15)
    assert abs(E.mean()) < 1e-16
    dE = np.fft.irfft(1j * g.k * np.fft.rfft(E), g.nx)
    np.testing.assert_allclose(dE, 1.2 - rho, atol=1e-14)
    assert -E[g.nx // 8] > 0  # just right of the excess the force points further right


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("call, match", [
    (lambda: ps.make_phase_space_grid(2, 32, L, 6.0), "nx: must be an integer >= 4, got 2"),
    (lambda: ps.make_phase_space_grid(8, 4, L, 6.0), "nv: must be an integer >= 8"),
    (lambda: ps.make_phase_space_grid(8, 32, 0.0, 6.0), "L: must be > 0"),
    (lambda: ps.make_phase_space_grid(8, 32, L, -1.0), "vmax: must be > 0"),
    (lambda: ps.make_phase_space_grid(8, 32, np.inf, 6.0), "L: must be finite"),
    (lambda: ps.make_landau(1.5), r"alpha: must lie in \[0, 1\]"),
    (lambda: ps.make_two_stream(v0=-1.0), "v0: must be >= 0"),
    (lambda: ps.electric_field([1.0, np.nan], 1.0), "rho: contains NaN"),
])
def test_bad_input_raises_value_error_naming_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_bad_types_raise_type_error():
    with pytest.raises(TypeError, match="nx: expected an integer"):
        ps.PhaseSpaceGrid(8.0, 32, L, 6.0)
