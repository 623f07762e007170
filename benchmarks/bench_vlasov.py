"""Time the Vlasov--Poisson solver of meanfield.vlasov (target: 64 x 256 to t = 50 in < 2 s).

Usage: .venv/bin/python benchmarks/bench_vlasov.py [repeats]

Runs linear and nonlinear Landau damping (k = 0.5, L = 4 pi, vmax = 8,
dt = 0.1, 500 steps) on the 64 x 256 grid with both velocity
interpolations, then the same linear run against the floors of
``floor_vlasov.py`` (minimal Cheng--Knorr steppers, no checks, no
diagnostics), timed in the same run and printed as the ratio
library / floor, then the construction of a BGK mode and a dispersion
root. Each case prints the best of ``repeats`` wall-clock times (default
3) and a number from the run, so that a fast but wrong run shows. Timing
is a benchmark, not a test: numbers depend on the machine.
"""

import sys

import numpy as np

import floor_vlasov
from _timing import best_of
from meanfield import vlasov as vl

TARGET = 2.0  # seconds, 64 x 256 to t = 50


def main(repeats=3):
    k = 0.5
    grid = vl.make_phase_space_grid(64, 256, 2 * np.pi / k, 8.0)
    root = vl.landau_root(k)
    print(f"grid {grid.nx} x {grid.nv}, L = {grid.L:.4f}, vmax = {grid.vmax}, dt = 0.1, 500 steps (t = 50)")
    worst = 0.0
    for alpha in (0.01, 0.5):
        for method in ("spline", "spectral"):
            def run():
                return vl.solve_vlasov_poisson(vl.make_landau(alpha, k), grid, dt=0.1, n_steps=500, method=method)

            t, res = best_of(run, repeats)
            worst = max(worst, t)
            if alpha == 0.01:
                fit = vl.fit_wave(res.t, res.field_energy, window=(5.0, 40.0))
                info = f"gamma = {fit.gamma:.5f} (theory {root.gamma:.5f}), omega = {fit.omega:.5f}"
            else:
                info = f"energy drift {res.energy_error:.2e}, mass drift {res.mass_error:.1e}"
            print(f"  Landau alpha = {alpha:<5} {method:<9} {t:6.3f} s  {info}  success={res.success}")
    verdict = "OK" if worst < TARGET else "SLOWER THAN TARGET"
    print(f"slowest solver run {worst:.3f} s (target {TARGET} s): {verdict}")

    floors(grid, repeats)

    t, mode = best_of(lambda: vl.bgk_mode(0.5, 1.0), repeats)
    print(f"bgk_mode(k=0.5, amplitude=1.0), 64 x 256   {t:6.3f} s  beta = {mode.beta:.6f}, A = {mode.norm:.6f}")
    t, mode = best_of(lambda: vl.bgk_mode(0.5, 0.5, smoothing=0.0), repeats)
    print(f"bgk_mode(k=0.5, amplitude=0.5, smoothing=0) {t:6.3f} s  beta = {mode.beta:.6f}")
    t, r = best_of(lambda: vl.landau_root(0.5), repeats)
    print(f"landau_root(0.5)                           {t * 1e3:6.3f} ms omega = {r.omega:.6f}")
    t, r = best_of(lambda: vl.two_stream_root(0.2, 2.4), repeats)
    print(f"two_stream_root(0.2, 2.4)                  {t * 1e3:6.3f} ms gamma = {r.gamma:.6f}")
    t, p = best_of(lambda: vl.two_stream_penrose(2.4), repeats)
    print(f"two_stream_penrose(2.4)                    {t * 1e3:6.3f} ms k_c = {p.k_c:.6f}")


def floors(grid, repeats):
    """Library / floor on linear Landau damping, 500 steps, timed in this run.

    The cases are interleaved (one of each per round, ``max(repeats, 5)``
    rounds) and each keeps its best time, so that a load change on a shared
    machine hits all of them alike.
    """
    f0 = vl.make_landau(0.01, 0.5)(grid.x[:, None], grid.v[None, :])
    cases = {
        "floor ck_fft": lambda: floor_vlasov.ck_fft(f0, grid.L, grid.vmax, 0.1, 500)[0],
        "floor ck_spline": lambda: floor_vlasov.ck_spline(f0, grid.L, grid.vmax, 0.1, 500)[0],
    }
    for method in ("spline", "spectral"):
        for every in (1, 10):
            cases[f"{method}, diagnostics_every={every}"] = (
                lambda m=method, e=every: vl.solve_vlasov_poisson(f0, grid, dt=0.1, n_steps=500, method=m,
                                                                  diagnostics_every=e).f)
    best, out = {}, {}
    for _ in range(max(repeats, 5)):
        for name, fn in cases.items():
            t, out[name] = best_of(fn, 1)
            best[name] = min(best.get(name, np.inf), t)
    print(f"library / floor, linear Landau, {grid.nx} x {grid.nv}, 500 steps (best of {max(repeats, 5)}, "
          "interleaved):")
    for name in cases:
        if name.startswith("floor"):
            print(f"  {name:<35} {best[name]:6.3f} s")
            continue
        floor = "floor ck_fft" if name.startswith("spectral") else "floor ck_spline"
        diff = np.abs(out[name] - out[floor]).max()
        print(f"  {name:<35} {best[name]:6.3f} s   / ck_fft = {best[name] / best['floor ck_fft']:4.2f}"
              f"   / ck_spline = {best[name] / best['floor ck_spline']:4.2f}   (max|f - f_{floor[9:]}| = {diff:.1e})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
