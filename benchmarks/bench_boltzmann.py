"""Time the Boltzmann solvers of meanfield.boltzmann (target: DSMC, 10^6 particles to t = 5, < 5 s).

Usage: .venv/bin/python benchmarks/bench_boltzmann.py [N]

For Kac's model (d = 1) and Maxwell molecules (d = 2, 3), N particles (default
10^6) sampled from the BKW solution at t_min are run to t = 5 with each time
scheme; printed: wall time, collisions, collisions per second, and the
largest deviation of m4 from the BKW closed form in standard errors. Then
the ratio library / floor (``floor_dsmc.py``: one random pairing, one sigma
draw and the pair update per unit time, plain numpy), both timed in this
run, then the Hermite-Galerkin Kac solver and the k-NN entropy estimator.
Timing is a benchmark, not a test: numbers depend on the machine.
"""

import sys

import numpy as np

import floor_dsmc
from _timing import best_of
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


def bench_floor(N, t_final=5, rounds=5):
    """Library / floor for Maxwell molecules in 3D, ``t_final`` units of time, interleaved best of ``rounds``."""
    bkw = bz.make_bkw(3)
    v0 = bkw.sample(N, bkw.t_min, rng=1)
    cases = {
        "floor (one pairing per unit time)": lambda: floor_dsmc.dsmc_floor(v0, t_final, 2),
        "dsmc nanbu, dt = 1": lambda: bz.dsmc(v0, 1.0, t_final, method="nanbu", rng=2).v,
        "dsmc nanbu, dt = 1, diagnostics_every=5": lambda: bz.dsmc(v0, 1.0, t_final, method="nanbu", rng=2,
                                                                diagnostics_every=5).v,
        "dsmc nanbu, dt = 0.1": lambda: bz.dsmc(v0, 0.1, 10 * t_final, method="nanbu", rng=2).v,
        "dsmc exact, dt = 1": lambda: bz.dsmc(v0, 1.0, t_final, method="exact", rng=2).v,
    }
    best, out = {}, {}
    for _ in range(rounds):
        for name, fn in cases.items():
            t, out[name] = best_of(fn, 1)
            best[name] = min(best.get(name, np.inf), t)
    floor = best["floor (one pairing per unit time)"]
    print(f"\nDSMC library / floor, MM 3D, N = {N:.0e}, t = 0 -> {t_final} (best of {rounds}, interleaved)")
    for name, t in best.items():
        m4 = np.mean(np.einsum("ij,ij->i", out[name], out[name]) ** 2)
        print(f"  {name:<40} {t:6.3f} s   ratio {t / floor:4.2f}   m4(t) = {m4:.4f} "
              f"(BKW {bkw.m4(bkw.t_min + t_final):.4f})")


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
    bench_floor(N)
    bench_spectral()
    bench_entropy()
