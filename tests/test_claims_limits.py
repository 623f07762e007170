"""Claims of *Checking the text*, Mean-field limits and gradient flows (C09, C10, C26, C27): the rows' numbers are the library's."""

import numpy as np
import pytest

from meanfield import particles as pt
from meanfield import transport as tr

from claims_page import rows


@pytest.fixture(scope="module")
def r():
    return rows()


def test_C09_C10_C26_numbers_are_the_librarys(r):
    vals = []
    for N in [10**k for k in range(2, 7)]:
        lm = pt.linear_model_moments(np.array([1.0]), theta=1.0, beta=1.0, m0=0.5, s0=0.5, n_particles=N)
        vals.append(N * np.log(N) * lm.pair_cov[0] / lm.particle_var[0])
    assert ", ".join(f"{v:.3f}" for v in vals) in r["C10"]
    assert np.all(np.diff(vals) > 1.0)  # grows like log N: no constant bounds it
    qv = []
    Nq = np.array([10, 100, 1000, 10000])
    for N in Nq:
        x0 = pt.make_initial_gaussian(N, mean=0.5, sd=0.5, rng=np.random.default_rng(N))
        run = pt.simulate_particles(x0, dV=lambda x: x, beta=1.0, dt=0.01, n_steps=100,
                                    rng=np.random.default_rng(N + 1), theta=1.0, save_every=1)
        qv.append(float(pt.martingale_quadratic_variation(run.t, run.x, lambda x: x, beta=1.0)[-1]))
    assert f"N^{{{pt.fit_slope(Nq, qv):.2f}}}" in r["C26"]


def test_C27_numbers_are_the_librarys(r):
    from meanfield import fokker_planck as fp
    from meanfield.grids import make_grid

    V = lambda x: 0.5 * x**2  # noqa: E731
    law0 = tr.gaussian_mixture([-1.5, 1.5], [0.4, 0.4])
    grid = make_grid(-6.0, 6.0, 400)
    pde = fp.solve_fokker_planck(fp.make_density(law0.pdf, grid), grid, V=V, W=V, beta=1.0, dt=2e-3, n_steps=1000,
                                 save_every=25)
    gibbs = fp.make_density(lambda x: np.exp(-(x**2)), grid)
    F_star = fp.free_energy(gibbs, grid, V=V, W=V, beta=1.0)
    ratio = (pde.free_energy - F_star) / (pde.free_energy[0] - F_star) * np.exp(2 * pde.t)
    assert np.all(ratio <= 1 + 1e-9)
    pl = pde.dissipation / (pde.free_energy - F_star)
    assert pl.min() >= 2
    assert f"{pl.min():.3f}" in r["C27"]
    assert f"{pt.desai_zwanzig_critical_beta(1.0):.5f}" in r["C27"]
