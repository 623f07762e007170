"""Time the update of every interactive panel of the book (target: < 100 ms).

Usage: .venv/bin/python benchmarks/bench_widgets.py

A panel update = the library calls behind it + drawing and rendering its
figure to PNG, as the inline backend does in a notebook. Timing is a
benchmark, not a test: numbers depend on the machine.
"""

import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from meanfield import kinetic as kn  # noqa: E402
from meanfield.plotting import use_book_style  # noqa: E402
from meanfield.widgets import BlitFigure  # noqa: E402

S_GRID = np.linspace(-3, 3, 61)
E1 = np.array([1.0, 0.0, 0.0])


def make_collision_panel():
    """The panel of the chapter 'Maxwellians and the collision operator', as built there."""
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(7.5, 2.6), dpi=70)
    (f_line,) = ax1.plot(S_GRID, 0 * S_GRID, label="f")
    ax1.plot(S_GRID, kn.maxwellian(S_GRID[:, None] * E1), ls="--", label="M")
    vline = ax1.axvline(0)
    ax1.set(ylim=(0, 0.2))
    ax1.legend(loc="upper right")
    curves = [ax2.plot(S_GRID, 0 * S_GRID, label=k)[0] for k in ("gain", "loss", "Q")]
    (bar,) = ax2.plot([0, 0], [0, 0])
    (dot,) = ax2.plot([0], [0], "o", label="MC")
    ax2.set(ylim=(-1.3, 2.6))
    ax2.legend(loc="upper right")
    blit = BlitFigure(fig, [f_line, vline, *curves, bar, dot])

    def update(a=1.2, v_on_line=1.0, n=10_000):
        fa = kn.make_two_bump(a)
        pts = S_GRID[:, None] * E1
        G, L = kn.gain_term_quadrature(fa, pts, order=29), 4 * np.pi * fa(pts)
        est = kn.collision_operator_mc(fa, v_on_line * E1, n_samples=n, rng=0)
        f_line.set_ydata(fa(pts))
        vline.set_xdata([v_on_line, v_on_line])
        for line, y in zip(curves, (G, L, G - L)):
            line.set_ydata(y)
        dot.set_data([v_on_line], [est.q])
        bar.set_data([v_on_line, v_on_line], [est.q - 2 * est.q_se, est.q + 2 * est.q_se])
        kn.gain_term_quadrature(fa, v_on_line * E1, order=29)
        blit.png()  # what the panel displays

    return update


def bench(fn, repeat=10, **kw):
    fn(**kw)  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(**kw)
        times.append(time.perf_counter() - t0)
    return 1000 * np.median(times), 1000 * np.max(times)


if __name__ == "__main__":
    use_book_style()
    collision_panel = make_collision_panel()
    for name, fn, kw in [
        ("collision panel, n = 1e4", collision_panel, {"n": 10_000}),
        ("collision panel, n = 10^4.5 (max)", collision_panel, {"n": 31_623}),
    ]:
        med, worst = bench(fn, **kw)
        flag = "ok" if med < 100 else "SLOW"
        print(f"{name:32s} median {med:6.1f} ms   max {worst:6.1f} ms   {flag}")
