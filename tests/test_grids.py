"""Tests of meanfield.grids: geometry of the cell-centred grid, midpoint rule, bad input."""

import dataclasses

import numpy as np
import pytest

from meanfield import grids


def test_geometry():
    g = grids.make_grid(-1.0, 2.0, 6)
    assert g.dx == 0.5
    np.testing.assert_allclose(g.centers, [-0.75, -0.25, 0.25, 0.75, 1.25, 1.75], rtol=0, atol=1e-15)
    np.testing.assert_allclose(g.edges, np.linspace(-1.0, 2.0, 7), rtol=0, atol=1e-15)
    assert g.edges[0] == -1.0 and g.edges[-1] == 2.0
    # centres are the midpoints of the edges
    np.testing.assert_allclose(g.centers, 0.5 * (g.edges[1:] + g.edges[:-1]), atol=1e-15)
    assert g.centers.shape == (6,) and g.edges.shape == (7,)


def test_integers_are_stored_as_floats_and_grid_is_frozen():
    g = grids.make_grid(0, 1, 4)
    assert isinstance(g.a, float) and isinstance(g.b, float) and isinstance(g.n, int)
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.n = 5


def test_integrate_constants_exactly_and_along_the_last_axis():
    g = grids.make_grid(-3.0, 5.0, 16)
    assert g.integrate(np.ones(16)) == pytest.approx(8.0, rel=1e-15)
    vals = np.stack([np.ones(16), 2 * np.ones(16), g.centers])
    np.testing.assert_allclose(g.integrate(vals), [8.0, 16.0, 8.0], rtol=1e-14)
    assert isinstance(g.integrate(np.ones(16)), float)


def test_midpoint_rule_is_second_order():
    """int_0^1 e^x dx = e - 1 with error ~ dx^2 / 24 (e - 1)."""
    ns = np.array([8, 16, 32, 64, 128])
    errs = []
    for n in ns:
        g = grids.make_grid(0.0, 1.0, n)
        errs.append(abs(g.integrate(np.exp(g.centers)) - (np.e - 1)))
    slope = np.polyfit(np.log(1.0 / ns), np.log(errs), 1)[0]
    assert slope == pytest.approx(2.0, abs=0.02)
    # leading term of the error: -(dx^2 / 24) (f'(1) - f'(0))
    assert errs[-1] == pytest.approx((1 / 128) ** 2 / 24 * (np.e - 1), rel=1e-3)


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (lambda: grids.make_grid(1.0, 1.0, 10), ValueError, "b: must be > a = 1.0, got 1.0"),
        (lambda: grids.make_grid(2.0, 1.0, 10), ValueError, "b: must be > a"),
        (lambda: grids.make_grid(0.0, 1.0, 1), ValueError, "n: must be an integer >= 2, got 1"),
        (lambda: grids.make_grid(0.0, 1.0, 10.0), TypeError, "n: expected an integer"),
        (lambda: grids.make_grid(0.0, np.inf, 10), ValueError, "b: must be finite"),
        (lambda: grids.make_grid(np.nan, 1.0, 10), ValueError, "a: must be finite"),
        (lambda: grids.make_grid(0.0, 1.0, 4).integrate(np.ones(5)), ValueError, "values: last axis must have length n = 4"),
        (lambda: grids.make_grid(0.0, 1.0, 4).integrate(1.0), ValueError, "values: last axis"),
    ],
)
def test_bad_input(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
