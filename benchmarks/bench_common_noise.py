"""Time the three common-noise solvers: particles, tokens on the sphere, the SPDE on the torus.

Usage: .venv/bin/python benchmarks/bench_common_noise.py [repeats]

* ``common_noise.simulate_linear``: 1e5 particles (100 environments x 1000)
  x 1e3 Euler--Maruyama steps, against a plain numpy update drawing the same
  Gaussians (the floor); prints Var of the empirical mean against its
  closed form so that a fast but wrong run shows.
* ``sphere.simulate_tokens``: 100 systems of n = 64 tokens in d = 128,
  1000 steps; prints max ||x| - 1| and the mean overlap.
* ``spde.simulate_spde``: 8 runs on a 64 x 64 grid, 1000 steps with noise
  and interaction; prints the mass error.

Prints the best of ``repeats`` wall-clock times (default 3). Timing is a
benchmark, not a test: numbers depend on the machine.
"""

import sys

import numpy as np

from _timing import best_of  # noqa: E402
from meanfield import common_noise as cn
from meanfield import particles as pt
from meanfield import sphere as sp
from meanfield import spde

R, N, STEPS, DT = 100, 1000, 1000, 1e-3


def plain(x0):
    rng = np.random.default_rng(1)
    x = x0.copy()
    for _ in range(STEPS):
        x += -DT * x + np.sqrt(DT) * rng.standard_normal((R, 1)) + np.sqrt(DT) * rng.standard_normal((R, N))
    return x


def main(repeats=3):
    x0 = pt.make_initial_gaussian(N, sd=0.5, n_ensembles=R, rng=0)
    t_cn, res = best_of(lambda: cn.simulate_linear(x0, theta=1.0, sigma0=1.0, sigma=1.0, dt=DT, n_steps=STEPS,
                                                   rng=1), repeats)
    t_plain, _ = best_of(lambda: plain(x0), repeats)
    var = res.x[-1].mean(axis=1).var(ddof=1)
    ref = cn.linear_mean_variance(1.0, n_particles=N, sigma0=1.0, sigma=1.0, s0=0.5, dt=DT)
    print(f"common noise, {R} x {N} particles, {STEPS} steps: {t_cn:.3f} s "
          f"({R * N * STEPS / t_cn:.3g} particle-steps/s); plain numpy update {t_plain:.3f} s, "
          f"ratio {t_cn / t_plain:.2f}")
    print(f"  Var <mu^N, x> at t = 1 over {R} environments: {var:.3f} (Euler-exact {float(ref):.3f}, "
          f"sampling SE {float(ref) * np.sqrt(2 / (R - 1)):.3f})")

    tok0 = sp.uniform_tokens(64, 128, n_systems=100, rng=2)
    t_sp, run = best_of(lambda: sp.simulate_tokens(tok0, alpha=4.0, dt=1e-3, n_steps=1000, rng=3), repeats)
    norm_err = np.max(np.abs(np.linalg.norm(run.x[-1], axis=-1) - 1))
    print(f"tokens, 100 systems x 64 tokens, d = 128, 1000 steps: {t_sp:.3f} s; "
          f"max ||x| - 1| = {norm_err:.1e}, mean overlap at t = 1: {run.rbar[-1].mean():.3f}")

    rho0 = spde.perturbed_uniform(64, 0.5, n_runs=8, rng=4)
    t_pde, out = best_of(lambda: spde.simulate_spde(rho0, gamma=3.0, K=2.0, dt=0.02, n_steps=1000, rng=5), repeats)
    print(f"SPDE, 8 runs on 64 x 64, 1000 steps: {t_pde:.3f} s ({8 * 1000 / t_pde:.0f} run-steps/s); "
          f"mass error {out.mass_error:.1e}, min density {out.min_density:.3f}, ok: {out.success}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
