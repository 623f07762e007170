"""Time the Boltzmann solvers of meanfield.boltzmann (target: DSMC, 10^6 particles to t = 5, < 5 s).

Usage: .venv/bin/python benchmarks/bench_boltzmann.py [N]

For Kac's model (d = 1) and Maxwell molecules (d = 2, 3), N particles (default
10^6) sampled from the BKW solution at t_min are run to t = 5 with each time
scheme; printed: wall time, collisions, collisions per second, and the
largest deviation of m4 from the BKW closed form in standard errors. Then the
Hermite-Galerkin Kac solver and the k-NN entropy estimator. Timing is a
benchmark, not a test: numbers depend on the machine.
"""

import sys
import time

import numpy as np

from _timing import best_of  # noqa: E402
from meanfield import boltzmann as bz
from meanfield.kinetic import make_two_bump


def bench_dsmc(N, t_final=5.0, repeat=3):
    print(f"DSMC, N = {N:.0e} particles, t = 0 -> {t_final} (best of {repeat})")
    print(f"{'model':>8} {'method':>12} {'dt':>5} {'time [s]':>9} {'collisions':>11} {'coll/s':>9} "
          f"{'rounds':>7} {'max|m4 - BKW|/se':>17}")
    for d in (1, 2, 3):
        bkw = bz.make_bkw(d)
        v0 = bkw.sample(N, bkw.t_min, rng=1)
        for method, dt in (("exact", 0.5), ("exact", 1.0), ("nanbu", 0.1), ("exponential", 0.1)):
            n_steps = round(t_final / dt)
            elapsed, res = best_of(lambda: bz.dsmc(v0, dt, n_steps, method=method, rng=2), repeat)
            z = np.max(np.abs(res.m4 - bkw.m4(bkw.t_min + res.t)) / res.m4_se)
            model = "Kac" if d == 1 else f"MM {d}D"
            print(f"{model:>8} {method:>12} {dt:>5} {elapsed:>9.2f} {res.n_collisions:>11d} "
                  f"{res.n_collisions / elapsed:>9.2e} {res.n_rounds:>7d} {z:>17.2f}")


def bench_spectral(repeat=5):
    print("\nKac Hermite-Galerkin solver, 41 output times on [0, 20], two bumps a = 0.8")
    f0 = make_two_bump(0.8, d=1)
    t = np.linspace(0, 20, 41)
    for n_modes in (64, 128, 256):
        elapsed, res = best_of(lambda: bz.kac_spectral(f0, t, n_modes=n_modes), repeat)
        print(f"  n_modes = {n_modes:>3}: {elapsed * 1e3:7.1f} ms, nfev = {res.nfev}, success = {res.success}")


def bench_entropy(repeat=3):
    print("\nk-NN entropy estimator (k = 1)")
    for d in (1, 3):
        for N in (10**4, 10**5, 10**6):
            v = np.random.default_rng(0).normal(size=(N, d))
            elapsed, est = best_of(lambda: bz.entropy_knn(v), repeat)
            print(f"  d = {d}, N = {N:.0e}: {elapsed:6.3f} s  (H = {est.value:.4f} +- {est.se:.4f})")


if __name__ == "__main__":
    N = int(float(sys.argv[1])) if len(sys.argv) > 1 else 10**6
    bench_dsmc(N)
    bench_spectral()
    bench_entropy()
