"""Floor of the DSMC benchmark: plain numpy, one unit of time per round, no checks, no diagnostics.

Not library code and not tests: the reference that ``bench_boltzmann.py``
divides the library's time by. One round = one random pairing of all N
particles, one draw of sigma uniform on the sphere per pair, the
sigma-rule update of the pairs: N/2 collisions, i.e. one unit of time at
collision frequency 1 per particle (``dsmc(..., dt=1.0, method="nanbu")``
does the same work, plus its checks and diagnostics).
"""

import numpy as np


def dsmc_floor(v0, n_rounds, rng):
    """Return the velocities after ``n_rounds`` rounds of random pair collisions (Maxwell molecules)."""
    V = np.array(v0, dtype=float)
    gen = np.random.default_rng(rng)
    N, d = V.shape
    m = N // 2
    for _ in range(n_rounds):
        perm = gen.permutation(N)
        i, j = perm[:m], perm[m : 2 * m]
        vi, vj = V[i], V[j]
        sigma = gen.standard_normal((m, d))
        sigma /= np.sqrt(np.einsum("ij,ij->i", sigma, sigma))[:, None]
        rel = vi - vj
        half = 0.5 * np.sqrt(np.einsum("ij,ij->i", rel, rel))[:, None] * sigma
        centre = 0.5 * (vi + vj)
        V[i] = centre + half
        V[j] = centre - half
    return V
