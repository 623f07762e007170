"""Floors of the Vlasov benchmark: minimal Cheng--Knorr steppers with no checks and no diagnostics.

Not library code and not tests: the reference that ``bench_vlasov.py`` divides
the library's time by (same grid, same splitting
X_{dt/2} V_dt X_{dt/2}, same FFTs, scipy.fft in both). ``ck_fft`` shifts in v
by FFT interpolation (the library's ``method="spectral"``), ``ck_spline``
by periodic cubic splines written the obvious way (the library's default).
Each records only the field energy of the mid-step field E*.
"""

import numpy as np
from scipy import fft


def _setup(f0, L, vmax, dt):
    nx, nv = f0.shape
    dx, dv = L / nx, 2 * vmax / nv
    v = -vmax + (np.arange(nv) + 0.5) * dv
    kx = 2 * np.pi * fft.rfftfreq(nx, dx)
    inv_k = np.zeros(kx.size, complex)
    inv_k[1:-1] = 1j / kx[1:-1]  # E_hat = i rho_hat / k, no mean, no Nyquist mode
    half = np.exp(-1j * np.outer(kx, v) * (0.5 * dt))
    theta = 2 * np.pi * fft.rfftfreq(nv)
    return nx, nv, dx, dv, inv_k, half, theta


def _run(f0, L, vmax, dt, n_steps, multiplier):
    nx, nv, dx, dv, inv_k, half, theta = _setup(f0, L, vmax, dt)
    energy = np.empty(n_steps)
    F = fft.rfft(f0, axis=0)
    for n in range(n_steps):
        F *= half
        fs = fft.irfft(F, nx, axis=0)
        E = fft.irfft(inv_k * F.sum(axis=1) * dv, nx)
        energy[n] = 0.5 * dx * (E @ E)
        g = fft.rfft(fs, axis=1)
        g *= multiplier(E * dt / dv, theta)
        F = fft.rfft(fft.irfft(g, nv, axis=1), axis=0)
        F *= half
    return fft.irfft(F, nx, axis=0), energy


def _fft_shift(s, theta):
    return np.exp(1j * np.outer(s, theta))


def _spline_shift(s, theta):
    p = np.floor(s)
    a = (s - p)[:, None]
    w = (a**3, 1 + 3 * a * (1 + a * (1 - a)), 4 - 3 * a * a * (2 - a), (1 - a) ** 3)
    e = np.exp(-1j * np.outer([-2.0, -1.0, 0.0, 1.0], theta))
    b = (4 + 2 * np.cos(theta)) / 6
    return np.exp(1j * np.outer(p, theta)) * (w[0] * e[0] + w[1] * e[1] + w[2] * e[2] + w[3] * e[3]) / (6 * b)


def ck_fft(f0, L, vmax, dt, n_steps):
    """Cheng--Knorr with FFT interpolation in v: returns (f, field energy of E* per step)."""
    return _run(f0, L, vmax, dt, n_steps, _fft_shift)


def ck_spline(f0, L, vmax, dt, n_steps):
    """Cheng--Knorr with periodic cubic splines in v: returns (f, field energy of E* per step)."""
    return _run(f0, L, vmax, dt, n_steps, _spline_shift)
