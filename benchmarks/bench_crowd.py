"""Time the crowd-averse MFG solver: Newton on the coupled system against the fixed-point iterations.

Usage: .venv/bin/python benchmarks/bench_crowd.py [repeats]

* ``crowd.solve_crowd_mfg`` on [0, 1] (crowd aversion lam = 1, nu = 0.02,
  T = 1) with Newton's method on grids 40 x 20, 80 x 40 and 160 x 80 (cells
  x time steps): wall time, iterations, residual, mass error.
* The same game at 80 x 40 by the damped fixed point (theta = 0.05, small
  enough to converge at lam = 1; 0.5 and 0.2 stall there) and by fictitious play, each given 150 iterations: wall time and final residual,
  so that the cost of reaching a given residual can be compared.

Prints the best of ``repeats`` wall-clock times (default 3). Timing is a
benchmark, not a test: numbers depend on the machine.
"""

import sys

import numpy as np

from _timing import best_of  # noqa: E402
from meanfield import crowd
from meanfield.grids import make_grid


def game(n, n_steps, **kw):
    g = make_grid(0.0, 1.0, n)
    x = g.centers
    return crowd.solve_crowd_mfg(g, np.exp(-((x - 0.3) ** 2) / (2 * 0.1**2)), V=0.0,
                                 G=lambda x: 2 * (x - 0.7) ** 2, lam=1.0, T=1.0, nu=0.02,
                                 n_steps=n_steps, **kw)


def main(repeats=3):
    for n, k in ((40, 20), (80, 40), (160, 80)):
        t, res = best_of(lambda: game(n, k), repeats)
        print(f"newton, {n} x {k}: {t:.3f} s, {res.n_iter} iterations, residual {res.residual[-1]:.1e}, "
              f"mass error {np.max(np.abs(res.mass - 1)):.1e}")
    for method, kw in (("fixed_point", dict(damping=0.05)), ("fictitious_play", {})):
        t, res = best_of(lambda: game(80, 40, method=method, max_iter=150, tol=1e-10, **kw), repeats)
        print(f"{method}, 80 x 40: {t:.3f} s for {res.n_iter} iterations, residual {res.residual[-1]:.1e}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
