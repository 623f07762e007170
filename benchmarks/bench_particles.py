"""Time the particle integrator of meanfield.particles (target: 1e5 particles x 1e3 steps, quadratic W, < 2 s).

Usage: .venv/bin/python benchmarks/bench_particles.py [repeats]

Runs Euler--Maruyama for V = x^2/2, W = theta x^2/2 (the O(N) interaction)
with 1e5 particles and 1e3 steps, and the same number of steps of a plain
numpy update ``x += a*x + b*noise`` (noise drawn by the same generator) as a
floor: drawing 1e8 Gaussians dominates both. Also times the chunked N x N
pairwise kernel (N = 2000, 100 steps). Prints the best of ``repeats``
wall-clock times (default 3), particle-steps per second, the ratio to the
plain update, and a number from the run (the final variance against its
closed form), so that a fast but wrong run shows. Timing is a benchmark,
not a test: numbers depend on the machine.
"""

import sys
import time

import numpy as np

from _timing import best_of  # noqa: E402
from meanfield import particles as pt

TARGET = 2.0  # seconds, 1e5 particles x 1e3 steps
N, STEPS, DT = 100_000, 1000, 1e-3


def plain(x0):
    rng = np.random.default_rng(1)
    x = x0.copy()
    a, b = -2.0 * DT, np.sqrt(2.0 * DT)
    for _ in range(STEPS):
        x += a * x + b * rng.standard_normal(N)
    return x


def main(repeats=3):
    x0 = pt.make_initial_gaussian(N, sd=1.0, rng=0)
    t_pt, res = best_of(lambda: pt.simulate_particles(x0, dV=lambda x: x, theta=1.0, beta=1.0, dt=DT,
                                                      n_steps=STEPS, rng=1), repeats)
    t_plain, _ = best_of(lambda: plain(x0), repeats)
    v_exact = float(pt.linear_model_moments(1.0, theta=1.0, beta=1.0, s0=1.0).var)
    print(f"quadratic W, N = {N}, {STEPS} steps: {t_pt:.3f} s "
          f"({N * STEPS / t_pt:.3g} particle-steps/s; target < {TARGET} s: {'ok' if t_pt < TARGET else 'MISSED'})")
    print(f"plain numpy update x += a*x + b*noise: {t_plain:.3f} s ({N * STEPS / t_plain:.3g} particle-steps/s); "
          f"ratio {t_pt / t_plain:.2f}")
    print(f"  Var X(1) = {res.x[-1].var():.5f} (closed form {v_exact:.5f}, |err| {abs(res.x[-1].var() - v_exact):.1e})")
    n2 = 2000
    x2 = pt.make_initial_gaussian(n2, sd=1.0, rng=2)
    t_pw, res2 = best_of(lambda: pt.simulate_particles(x2, dV=lambda x: x, dW=np.tanh, beta=1.0, dt=0.01,
                                                       n_steps=100, rng=3), repeats)
    print(f"pairwise W' = tanh, N = {n2}, 100 steps: {t_pw:.3f} s "
          f"({n2 * n2 * 100 / t_pw:.3g} pair-evaluations/s), mean X(1) = {res2.x[-1].mean():.4f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
