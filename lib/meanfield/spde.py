r"""The McKean--Vlasov SPDE with common transport noise on the torus :math:`\mathbb T^2`.

The model
---------
On :math:`\mathbb T^2 = [0, 2\pi)^2` with the **normalised** measure
:math:`dx/(4\pi^2)` (the uniform density is :math:`1`, Fourier coefficients
are :math:`\hat\rho_k = \int\rho(x)e^{-ik\cdot x}\,dx/(4\pi^2)`), the
Gess--Gvalani--Martini equation in Stratonovich form

.. math::

    \partial_t\rho = \Delta\rho + \nabla\cdot(\rho\,\nabla W*\rho)
                     + \sqrt{2K}\,\nabla\cdot(\rho\circ\xi),\qquad
    (W*\rho)(x) = \int W(x-y)\rho(y)\,\frac{dy}{4\pi^2},

with the attractive interaction :math:`W(x) = -\gamma(\cos x_1 + \cos x_2)`
(:math:`\hat W_{\pm e_j} = -\gamma/2`, all other :math:`\hat W_k = 0`;
:math:`\gamma < 0` is repulsive) and noise intensity :math:`K \ge 0`.

*Without noise.* Linearising at :math:`\rho\equiv 1`, the mode :math:`e^{ik\cdot x}`
grows at rate :math:`-|k|^2(1 + \hat W_k)`, i.e. :math:`\gamma/2 - 1` for
:math:`|k| = 1`: the uniform state is unstable iff :math:`\gamma > \gamma_c = 2`.
Steady states solve :math:`\rho\propto e^{-W*\rho}`; product states
:math:`\rho_1(x_1)\rho_2(x_2)`, :math:`\rho_j\propto\exp(\gamma r_j\cos(x_j-\varphi_j))`
with the Kuramoto-type self-consistency :math:`r_j = I_1(\gamma r_j)/I_0(\gamma r_j)`
(:func:`self_consistency`), :math:`r_j\in\{0, r_*\}`: uniform :math:`(0, 0)`,
stripes :math:`(r_*, 0)`, spots :math:`(r_*, r_*)` (:func:`steady_state`). The order
parameters :math:`r_j = |\hat\rho_{e_j}| = |\langle e^{ix_j}\rangle_\rho|`
(:func:`order_parameters`) equal :math:`r_*` on a clustered state.

*The noise.* :math:`\xi = \sum_a a(x)\,\dot B^a` with axis-aligned shears: for
:math:`m = 1, \dots, M` the fields :math:`\sigma_m e_2\cos(mx_1)`,
:math:`\sigma_m e_2\sin(mx_1)` (a shear along :math:`x_2` depending on :math:`x_1`)
and :math:`\sigma_m e_1\cos(mx_2)`, :math:`\sigma_m e_1\sin(mx_2)`, each with its own
Brownian motion, :math:`\sigma_m\propto m^{-s}` normalised by
:math:`\sum_m\sigma_m^2 = 1` (:func:`shear_amplitudes`). Each field is
divergence free (:math:`e\perp k`), so :math:`\nabla\cdot(\rho a) = a\cdot\nabla\rho`
and the uniform density is invariant for every :math:`K`. The Itô form is

.. math::

    d\rho = \big[(1 + K)\Delta\rho + \nabla\cdot(\rho\nabla W*\rho)\big]dt
            + \sqrt{2K}\sum_a (a\cdot\nabla\rho)\,dB^a :

the Stratonovich-to-Itô correction is
:math:`\frac12\cdot 2K\sum_a(a\cdot\nabla)^2\rho = K\sum_a a_ia_j\partial_{ij}\rho`
(the terms :math:`(a\cdot\nabla)a` vanish because :math:`e\perp k`), and
:math:`\sum_m\sigma_m^2(\cos^2 + \sin^2) = 1` makes it exactly :math:`K\Delta\rho`.
Hence for :math:`\gamma = 0` the mean solves the heat equation with
diffusivity :math:`1 + K`: :math:`\mathbb E\hat\rho_k(t) = \hat\rho_k(0)e^{-(1+K)|k|^2t}`,
and the mean density's linear threshold is :math:`\gamma < 2(1 + K)`.
Gess--Gvalani--Martini: if the noise is sufficiently mixing and :math:`K` is
large enough, :math:`\delta_1` is the only invariant measure.

Numerics
--------
Pseudo-spectral (``scipy.fft``) on an :math:`n\times n` grid, :math:`n` even,
vectorised over :math:`R` independent runs (arrays ``(R, n, n)``, index
``[r, i, j]`` = run ``r`` at :math:`(x_1, x_2) = (2\pi i/n, 2\pi j/n)`).
One step of :func:`simulate_spde` is a **Lie splitting** noise, then drift:

1. *Noise, exact flows.* With Gaussian increments :math:`\Delta B`, the
   Stratonovich flow of the :math:`x_2`-shears over :math:`\Delta t` is exactly
   :math:`\rho(x_1, x_2)\mapsto\rho(x_1, x_2 + s(x_1))`,
   :math:`s(x_1) = \sqrt{2K}\sum_m\sigma_m(\cos(mx_1)\Delta B^c_m + \sin(mx_1)\Delta B^s_m)`
   (over one step, the exact solution of
   :math:`\partial_t\rho = \sqrt{2K}\sum_m\sigma_m(\cos(mx_1)\dot B^c_m + \sin(mx_1)\dot B^s_m)\,\partial_2\rho`:
   the speed does not depend on :math:`x_2`, and these shears commute),
   done spectrally per column (``rfft`` along :math:`x_2`, multiply by :math:`e^{ik_2s(x_1)}`, inverse; the Nyquist
   coefficient is kept real, i.e. multiplied by :math:`\cos(n s/2)`); then the
   :math:`x_1`-shears likewise. Composing exact Stratonovich flows converges to
   the Stratonovich solution (Wong--Zakai), at strong order 1/2 (the
   shears do not commute), and in expectation one step multiplies
   :math:`\hat\rho_k` by exactly :math:`e^{-K|k|^2\Delta t}` (for
   :math:`|k_1|, |k_2| < n/2`).
2. *Drift, ETD1.* :math:`\partial_t\hat\rho_k = -|k|^2\hat\rho_k + \hat N_k` with
   :math:`N = \nabla\cdot(\rho\nabla U)`, :math:`\hat U_k = \hat W_k\hat\rho_k`
   (:math:`\nabla U` spectrally, the flux on the grid, its divergence
   spectrally): :math:`\hat\rho_k\mapsto e^{-|k|^2\Delta t}\hat\rho_k
   + \frac{1 - e^{-|k|^2\Delta t}}{|k|^2}\hat N_k` (exact heat semigroup). A fixed
   point satisfies :math:`-|k|^2\hat\rho_k + \hat N_k = 0`: steady states are exact.

*Conservation and positivity.* Every term is a divergence and each shear
keeps the column means, so the mass is conserved to round-off. Each sub-step
preserves positivity for the continuous equation (heat semigroup,
measure-preserving rearrangement); on the grid :math:`\min\rho` is monitored
and a negative value sets ``success=False`` with a message.

*Stability.* :math:`\sup|\nabla W*\rho|\le G = \sum_k|k||\hat W_k| = 2|\gamma|`
for a probability density (:math:`|\hat\rho_k|\le 1`). For a frozen velocity
:math:`v` the ETD1 step amplifies a mode by
:math:`g = e^{-x} + i(1 - e^{-x})\,k\cdot v/|k|^2` (:math:`x = |k|^2\Delta t`), and
:math:`|g|^2\le e^{-2x} + (1 - e^{-x})^2\Delta t|v|^2/x\le 1` iff
:math:`\Delta t|v|^2\le x\coth(x/2)`, which holds for every :math:`x > 0` when
:math:`\Delta t|v|^2\le 2` (:math:`x\coth(x/2)\ge 2`); we require
:math:`\Delta t\,G^2\le 1`, a factor 2 of margin.

References
----------
.. [1] B. Gess, R. S. Gvalani and F. Martini, noise-induced uniqueness of
   equilibria for McKean--Vlasov SPDEs with transport noise (2026).
.. [2] Y. Kuramoto, "Chemical oscillations, waves, and turbulence" (1984).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import fft, optimize, special

from .utils import (as_generator, check_choice, check_in_range, check_int, check_nonnegative, check_normals,
                    check_positive)

__all__ = [
    "SPDEResult",
    "grid_points",
    "check_grid_size",
    "shear_amplitudes",
    "interaction_bound",
    "max_time_step",
    "self_consistency",
    "linear_growth_rate",
    "steady_state",
    "perturbed_uniform",
    "fourier_coefficient",
    "order_parameters",
    "simulate_spde",
    "LinearisedGrowth",
    "linearised_growth_rate",
    "ShearFlowLyapunov",
    "shear_flow_lyapunov",
    "free_energy",
]

_KINDS = ("uniform", "stripe", "spot")


# --- grid, parameters and checks ----------------------------------------------------

def check_grid_size(n) -> int:
    """Return ``n``; raise unless it is an even integer >= 8 (the FFT grid)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n: expected an integer, got {type(n).__name__}")
    n = int(n)
    if n < 8 or n % 2:
        raise ValueError(f"n: must be an even integer >= 8 (FFT grid), got {n}")
    return n


def grid_points(n):
    r"""Grid :math:`x_j = 2\pi j/n`, :math:`j = 0, \dots, n-1`, and the meshes ``(X1, X2)``.

    ``X1[i, j] = x_i`` (first axis: :math:`x_1`), ``X2[i, j] = x_j``.

    Examples
    --------
    >>> x, X1, X2 = grid_points(8)
    >>> X1.shape, float(X2[0, 2]) == float(x[2])
    ((8, 8), True)
    """
    n = check_grid_size(n)
    x = 2 * np.pi * np.arange(n) / n
    X1, X2 = np.meshgrid(x, x, indexing="ij")
    return x, X1, X2


def _check_gamma(gamma):
    gamma = float(check_in_range("gamma", gamma, -np.inf, np.inf, closed=(False, False)))
    return gamma


def shear_amplitudes(n_modes=2, colour=1.0):
    r"""Amplitudes :math:`\sigma_m\propto m^{-s}`, :math:`m = 1..M`, with :math:`\sum_m\sigma_m^2 = 1`.

    Parameters
    ----------
    n_modes : int
        :math:`M\ge 1`.
    colour : float
        The exponent :math:`s\ge 0` (spatial colour; 0 = equal amplitudes).

    Examples
    --------
    >>> s = shear_amplitudes(2, 1.0)
    >>> round(float(np.sum(s**2)), 12), round(float(s[0] / s[1]), 12)
    (1.0, 2.0)
    """
    n_modes = check_int("n_modes", n_modes, 1)
    colour = check_nonnegative("colour", colour)
    s = np.arange(1, n_modes + 1, dtype=float) ** (-colour)
    return s / np.sqrt(np.sum(s**2))


def interaction_bound(gamma):
    r""":math:`G = \sum_k|k||\hat W_k| = 2|\gamma|`, a bound on :math:`\sup|\nabla W*\rho|`."""
    return 2.0 * abs(_check_gamma(gamma))


def max_time_step(gamma):
    r"""The largest allowed ``dt``, :math:`1/G^2 = 1/(4\gamma^2)` (``inf`` for :math:`\gamma = 0`).

    Examples
    --------
    >>> max_time_step(3.0)
    0.027777777777777776
    """
    g = interaction_bound(gamma)
    return np.inf if g == 0 else 1.0 / g**2


def self_consistency(gamma, *, tol=1e-14):
    r"""The clustered root :math:`r_* > 0` of :math:`r = I_1(\gamma r)/I_0(\gamma r)` (0 if :math:`\gamma\le 2`).

    Solved with :func:`scipy.optimize.brentq` on the exponentially scaled
    Bessel functions :func:`scipy.special.ive` (no overflow for large
    :math:`\gamma`). For :math:`\gamma\le 2` the only root is :math:`r = 0`
    (:math:`I_1(x)/I_0(x) < x/2`); near :math:`\gamma_c`,
    :math:`r_*\approx 2\sqrt{2(\gamma - 2)}/\gamma^{3/2}` (from
    :math:`I_1(x)/I_0(x) = x/2 - x^3/16 + O(x^5)`).

    Examples
    --------
    >>> r = self_consistency(3.0)
    >>> bool(abs(r - special.ive(1, 3 * r) / special.ive(0, 3 * r)) < 1e-13), self_consistency(2.0)
    (True, 0.0)
    """
    gamma = _check_gamma(gamma)
    tol = check_positive("tol", tol)
    if gamma <= 2.0:
        return 0.0

    def f(r):
        return special.ive(1, gamma * r) / special.ive(0, gamma * r) - r

    lo = 1e-12
    while f(lo) <= 0:  # only for gamma within ~1e-12 of 2
        lo *= 0.1
        if lo < 1e-300:
            return 0.0
    return float(optimize.brentq(f, lo, 1.0, xtol=tol, rtol=4 * np.finfo(float).eps))


def linear_growth_rate(gamma, K=0.0, k=(1, 0)):
    r"""Growth rate :math:`-|k|^2(1 + K + \hat W_k)` of the mode :math:`e^{ik\cdot x}` at :math:`\rho\equiv 1`.

    With ``K = 0`` the deterministic PDE; with ``K > 0`` the equation of the
    **mean** density (Itô form, diffusivity :math:`1 + K`). For :math:`|k| = 1`,
    :math:`\gamma/2 - 1 - K`.

    Examples
    --------
    >>> linear_growth_rate(3.0), linear_growth_rate(3.0, K=1.0), linear_growth_rate(3.0, k=(1, 1))
    (0.5, -0.5, -2.0)
    """
    gamma = _check_gamma(gamma)
    K = check_nonnegative("K", K)
    k = np.asarray(k)
    if k.shape != (2,) or not np.issubdtype(k.dtype, np.integer):
        raise ValueError(f"k: expected two integers (a wave vector), got {k!r}")
    k2 = float(np.sum(k**2))
    w = -gamma / 2 if k2 == 1 else 0.0
    return -k2 * (1.0 + K + w)


def steady_state(n, gamma, kind="spot", *, phase=(0.0, 0.0)):
    r"""The exact product steady state on the grid, normalised to mean 1.

    :math:`\rho\propto\exp(\gamma r_1\cos(x_1 - \varphi_1) + \gamma r_2\cos(x_2 - \varphi_2))`
    with :math:`(r_1, r_2) = (0, 0)` (``"uniform"``), :math:`(r_*, 0)` (``"stripe"``)
    or :math:`(r_*, r_*)` (``"spot"``), :math:`r_* =` :func:`self_consistency`.

    Returns
    -------
    ndarray, shape (n, n)
    """
    check_choice("kind", kind, _KINDS)
    gamma = _check_gamma(gamma)
    _, X1, X2 = grid_points(n)
    phase = np.asarray(phase, dtype=float)
    if phase.shape != (2,) or not np.all(np.isfinite(phase)):
        raise ValueError(f"phase: expected two finite angles, got {phase!r}")
    r = self_consistency(gamma) if gamma > 2 else 0.0
    r1, r2 = {"uniform": (0.0, 0.0), "stripe": (r, 0.0), "spot": (r, r)}[kind]
    log_rho = gamma * (r1 * np.cos(X1 - phase[0]) + r2 * np.cos(X2 - phase[1]))
    rho = np.exp(log_rho - log_rho.max())
    return rho / rho.mean()


def perturbed_uniform(n, amplitude=0.01, *, n_runs=None, n_low=2, rng=None):
    r""":math:`1 + \varepsilon\,p(x)` with a random trigonometric polynomial :math:`p`, :math:`\max|p| \le 1`.

    :math:`p = \sum_{0 < |k|_\infty\le n_{low}}(a_k\cos k\cdot x + b_k\sin k\cdot x)`
    with standard normal :math:`a_k, b_k`, scaled so that :math:`\max|p| = 1` on
    the grid: the density is positive with mean exactly 1 for
    :math:`0\le\varepsilon < 1`.

    Returns
    -------
    ndarray, shape (n, n) or (n_runs, n, n)
    """
    n = check_grid_size(n)
    amplitude = check_in_range("amplitude", amplitude, 0.0, 1.0)
    n_low = check_int("n_low", n_low, 1)
    gen = as_generator(rng)
    R = 1 if n_runs is None else check_int("n_runs", n_runs, 1)
    _, X1, X2 = grid_points(n)
    ks = np.array([(a, b) for a in range(-n_low, n_low + 1) for b in range(0, n_low + 1)
                   if (b > 0 or a > 0)])
    phases = X1[None] * ks[:, 0, None, None] + X2[None] * ks[:, 1, None, None]  # (nk, n, n)
    coef = gen.standard_normal((R, len(ks), 2))
    p = np.einsum("rk,kij->rij", coef[..., 0], np.cos(phases)) + np.einsum("rk,kij->rij", coef[..., 1], np.sin(phases))
    p -= p.mean(axis=(-2, -1), keepdims=True)
    p /= np.max(np.abs(p), axis=(-2, -1), keepdims=True)
    rho = 1.0 + amplitude * p
    return rho[0] if n_runs is None else rho


# --- diagnostics ----------------------------------------------------------------------

def fourier_coefficient(rho, k):
    r""":math:`\hat\rho_k = \frac1{n^2}\sum_{ij}\rho_{ij}e^{-ik\cdot x_{ij}}` (normalised measure), over the last two axes.

    Examples
    --------
    >>> _, X1, X2 = grid_points(16)
    >>> c = fourier_coefficient(1 + np.cos(X1 - 0.3), (1, 0))
    >>> round(float(abs(c)), 12), round(float(np.angle(c)), 12)  # (1/2) e^{-0.3 i}
    (0.5, -0.3)
    """
    rho = np.asarray(rho, dtype=float)
    if rho.ndim < 2 or rho.shape[-1] != rho.shape[-2]:
        raise ValueError(f"rho: expected shape (..., n, n), got {rho.shape}")
    k = np.asarray(k)
    if k.shape != (2,) or not np.issubdtype(k.dtype, np.integer):
        raise ValueError(f"k: expected two integers (a wave vector), got {k!r}")
    _, X1, X2 = grid_points(check_grid_size(rho.shape[-1]))
    return np.mean(rho * np.exp(-1j * (k[0] * X1 + k[1] * X2)), axis=(-2, -1))


def _first_modes(rho):
    """``(rho_e1, rho_e2)`` from the marginals of ``rho`` (..., n, n): O(n^2), no 2-D exponentials."""
    n = rho.shape[-1]
    wave = np.exp(-2j * np.pi * np.arange(n) / n) / n  # e^{-i x} / n on the grid
    return rho.mean(axis=-1) @ wave, rho.mean(axis=-2) @ wave


def order_parameters(rho):
    r"""Order parameters :math:`(r_1, r_2) = (|\hat\rho_{e_1}|, |\hat\rho_{e_2}|)`, over the last two axes.

    Examples
    --------
    >>> _, X1, X2 = grid_points(16)
    >>> [round(float(r), 12) for r in order_parameters(1 + np.cos(X1) + 0.4 * np.sin(X2))]
    [0.5, 0.2]
    """
    rho = np.asarray(rho, dtype=float)
    if rho.ndim < 2 or rho.shape[-1] != rho.shape[-2]:
        raise ValueError(f"rho: expected shape (..., n, n), got {rho.shape}")
    check_grid_size(rho.shape[-1])
    c1, c2 = _first_modes(rho)
    return np.abs(c1), np.abs(c2)


# --- the solver ---------------------------------------------------------------------------

@dataclass(frozen=True)
class SPDEResult:
    r"""Output of :func:`simulate_spde`.

    Attributes
    ----------
    t : ndarray, shape (n_saved,)
        Saved times (0, every ``save_every`` steps and the final time).
    r1, r2, r : ndarray, shape (n_saved, R)
        Order parameters :math:`|\hat\rho_{e_1}|`, :math:`|\hat\rho_{e_2}|` and
        :math:`r = \sqrt{r_1^2 + r_2^2}`.
    mass : ndarray, shape (n_saved, R)
        :math:`\int\rho\,dx/(4\pi^2)` (the grid mean).
    min_trace : ndarray, shape (n_saved, R)
        :math:`\min\rho` at the saved times.
    l2 : ndarray, shape (n_saved, R)
        :math:`\|\rho - 1\|_{L^2(dx/4\pi^2)}`.
    rho : ndarray, shape (n_saved, R, n, n) or (R, n, n)
        All saved densities (``save_rho=True``) or only the final ones.
    min_density : float
        :math:`\min\rho` over all steps and runs.
    mass_error : float
        :math:`\max|\text{mass}/\text{mass}_0 - 1|` over all saved times.
    gamma, K, dt : float
    n_steps : int
    sigma : ndarray
        The shear amplitudes :math:`\sigma_m`.
    success : bool
    message : str
    """

    t: np.ndarray
    r1: np.ndarray
    r2: np.ndarray
    r: np.ndarray
    mass: np.ndarray
    min_trace: np.ndarray
    l2: np.ndarray
    rho: np.ndarray
    min_density: float
    mass_error: float
    gamma: float
    K: float
    dt: float
    n_steps: int
    sigma: np.ndarray
    success: bool
    message: str


def _check_rho0(rho0):
    rho = np.array(rho0, dtype=float)  # a copy
    if rho.ndim not in (2, 3) or rho.shape[-1] != rho.shape[-2]:
        raise ValueError(f"rho0: expected shape (n, n) or (R, n, n), got {rho.shape}")
    check_grid_size(rho.shape[-1])
    if rho.ndim == 2:
        rho = rho[None]
    if rho.shape[0] < 1:
        raise ValueError(f"rho0: expected at least one run, got shape {rho.shape}")
    if not np.all(np.isfinite(rho)):
        raise ValueError("rho0: contains NaN or infinite entries")
    if np.min(rho) < 0:
        raise ValueError(f"rho0: a density must be >= 0, got min {np.min(rho):.3g}")
    mass = rho.mean(axis=(-2, -1), keepdims=True)
    if np.min(mass) <= 0:
        raise ValueError("rho0: every run must have positive mass (mean), got a zero-mass density")
    return rho / mass


def _diagnostics(rho):
    """Order parameters, mass, min and L2 distance to 1 of ``rho`` (R, n, n)."""
    c1, c2 = _first_modes(rho)
    return (np.abs(c1), np.abs(c2), rho.mean(axis=(-2, -1)), rho.min(axis=(-2, -1)),
            np.sqrt(np.mean((rho - 1.0) ** 2, axis=(-2, -1))))


def simulate_spde(rho0, *, gamma, K, dt, n_steps, n_modes=2, colour=1.0, save_every=None, rng=None,
                  noise=None, save_rho=False) -> SPDEResult:
    r"""Solve the McKean--Vlasov SPDE with shear transport noise (module docstring).

    Lie splitting: exact Stratonovich shear flows (:math:`x_2`-shears, then
    :math:`x_1`-shears), then an ETD1 step of
    :math:`\partial_t\rho = \Delta\rho + \nabla\cdot(\rho\nabla W*\rho)`.

    Parameters
    ----------
    rho0 : array_like, shape (n, n) or (R, n, n)
        Initial densities, :math:`\ge 0` with positive mean; each run is
        rescaled to mean 1 (a probability density for :math:`dx/4\pi^2`).
        ``n`` even, :math:`\ge 8`. ``R`` runs are advanced together, each with
        its own noise.
    gamma : float
        Interaction strength, :math:`W = -\gamma(\cos x_1 + \cos x_2)`.
    K : float
        Noise intensity, :math:`\ge 0` (``K = 0``: the deterministic PDE).
    dt : float
        Time step, :math:`0 < \Delta t\le 1/(4\gamma^2)` (:func:`max_time_step`).
    n_steps : int
    n_modes, colour : int, float
        The shears :math:`m = 1..M`, :math:`\sigma_m\propto m^{-s}` (:func:`shear_amplitudes`).
    save_every : int, optional
        Save diagnostics every ``save_every`` steps (default: only the end).
    rng : None, int or numpy.random.Generator
        Source of the Brownian increments.
    noise : array_like, shape (n_steps, R, 4, M), optional
        Standard normal variables used instead of ``rng`` (scaled by
        :math:`\sqrt{\Delta t}`): ``[..., 0, :]``/``[..., 1, :]`` the cosine/sine
        coefficients of the :math:`x_2`-shear, ``[..., 2, :]``/``[..., 3, :]``
        those of the :math:`x_1`-shear.
    save_rho : bool
        Keep every saved density (default: only the final one).

    Returns
    -------
    SPDEResult

    Examples
    --------
    >>> rho0 = steady_state(32, 3.0, "spot")
    >>> res = simulate_spde(rho0, gamma=3.0, K=0.0, dt=0.02, n_steps=10)
    >>> bool(abs(res.r1[-1, 0] - self_consistency(3.0)) < 1e-10), res.success
    (True, True)
    """
    rho = _check_rho0(rho0)
    R, n = rho.shape[0], rho.shape[-1]
    gamma = _check_gamma(gamma)
    K = check_nonnegative("K", K)
    dt = check_positive("dt", dt)
    n_steps = check_int("n_steps", n_steps, 1)
    G = interaction_bound(gamma)
    if dt * G**2 > 1.0:
        raise ValueError(f"dt: must satisfy dt * G^2 <= 1 with G = 2|gamma| = {G:g}, i.e. dt <= {1 / G**2:.6g}; "
                         f"got dt = {dt:g}")
    sigma = shear_amplitudes(n_modes, colour)
    M = sigma.size
    save_every = n_steps if save_every is None else check_int("save_every", save_every, 1)
    if noise is not None:
        noise = check_normals("noise", noise, (n_steps, R, 4, M))  # (n_steps, R, 4, M)
        gen = None
    else:
        gen = as_generator(rng)

    x, _, _ = grid_points(n)
    kf = fft.fftfreq(n, 1.0 / n)  # full axis (x1)
    kr = fft.rfftfreq(n, 1.0 / n)  # half axis (x2)
    K1, K2 = np.meshgrid(kf, kr, indexing="ij")
    lap = K1**2 + K2**2
    decay = np.exp(-lap * dt)
    phi = np.where(lap > 0, -np.expm1(-lap * dt) / np.where(lap > 0, lap, 1.0), dt)
    # first derivatives: zero the Nyquist wave numbers (odd derivative of a real grid function)
    D1 = 1j * np.where(np.abs(K1) == n // 2, 0.0, K1)
    D2 = 1j * np.where(K2 == n // 2, 0.0, K2)
    # shear phases: s(x) = amp * sum_m sigma_m (cos(m x) c_m + sin(m x) s_m)
    m = np.arange(1, M + 1)
    basis_c = sigma[:, None] * np.cos(np.outer(m, x))  # (M, n)
    basis_s = sigma[:, None] * np.sin(np.outer(m, x))
    amp = np.sqrt(2 * K * dt)

    def shear(field, s, axis):
        """rho(.., x_shear + s(x_other)); axis = -1 shears x2 by s(x1), axis = -2 shears x1 by s(x2)."""
        return _shear_flow(field, s, axis, n)

    e1 = np.exp(1j * x)  # e^{i x}: the velocity -grad W*rho has only the modes |k| = 1

    def drift(field):
        fh = fft.rfft2(field)
        # grad U with U = W*rho = -gamma Re(rho_e1 e^{i x1}) - gamma Re(rho_e2 e^{i x2})
        v1 = gamma * np.imag(fh[:, 1, 0, None] / n**2 * e1)[:, :, None]  # (R, n, 1): depends on x1 only
        v2 = gamma * np.imag(fh[:, 0, 1, None] / n**2 * e1)[:, None, :]  # (R, 1, n): depends on x2 only
        Fh = fft.rfft2(np.stack([field * v1, field * v2]))
        Nh = D1 * Fh[0] + D2 * Fh[1]
        return fft.irfft2(decay * fh + phi * Nh, s=(n, n))

    saves = [0] + list(range(save_every, n_steps + 1, save_every))
    if saves[-1] != n_steps:
        saves.append(n_steps)
    save_set = set(saves)
    diag = [_diagnostics(rho)]
    frames = [rho.copy()] if save_rho else None
    mass0 = diag[0][2]
    min_density = float(np.min(rho))
    message, success = "ok", True
    noisy = K > 0
    for k in range(1, n_steps + 1):
        if noisy:
            z = noise[k - 1] if noise is not None else gen.standard_normal((R, 4, M))
            s2 = amp * (z[:, 0] @ basis_c + z[:, 1] @ basis_s)  # (R, n): x2-shear as a function of x1
            s1 = amp * (z[:, 2] @ basis_c + z[:, 3] @ basis_s)  # (R, n): x1-shear as a function of x2
            rho = shear(rho, s2, -1)
            rho = shear(rho, s1, -2)
        if gamma != 0.0:
            rho = drift(rho)
        else:
            rho = fft.irfft2(decay * fft.rfft2(rho), s=(n, n))
        low = float(np.min(rho))
        if not np.isfinite(low):
            success, message = False, f"non-finite density at step {k} (t = {k * dt:.4g}); stopped"
            break
        if low < min_density:
            min_density = low
        if low < 0 and success:
            success, message = False, f"negative density {low:.3g} at step {k} (t = {k * dt:.4g}); reduce dt or refine n"
        if k in save_set:
            diag.append(_diagnostics(rho))
            if save_rho:
                frames.append(rho.copy())
    t = dt * np.array(saves[: len(diag)], dtype=float)
    r1, r2, mass, mins, l2 = (np.array(a) for a in zip(*diag))
    mass_error = float(np.max(np.abs(mass / mass0 - 1.0)))
    return SPDEResult(
        t=t, r1=r1, r2=r2, r=np.hypot(r1, r2), mass=mass, min_trace=mins, l2=l2,
        rho=np.array(frames) if save_rho else rho, min_density=min_density, mass_error=mass_error,
        gamma=gamma, K=K, dt=dt, n_steps=n_steps, sigma=sigma, success=success, message=message,
    )


# --- the linearised equation at the uniform density ------------------------------------------

@dataclass(frozen=True)
class LinearisedGrowth:
    r"""Output of :func:`linearised_growth_rate`.

    Attributes
    ----------
    rate : float
        Mean over the runs of the pathwise growth rate
        :math:`\frac{1}{T - T_0}\log(\|\delta_T\|_2/\|\delta_{T_0}\|_2)`.
    se : float
        Its standard error across runs (``nan`` for one run).
    per_run : ndarray, shape (R,)
    mean_rate : float
        The growth rate :math:`\gamma/2 - 1 - K` of the **mean** perturbation
        (:func:`linear_growth_rate`), for comparison.
    t : ndarray, shape (n_saved,)
    log_norm : ndarray, shape (n_saved, R)
        :math:`\log\|\delta_t\|_2` (the perturbation is renormalised to norm 1
        after every step; the logarithms of the factors are accumulated).
    gamma, K, dt : float
    t_burn : float
        :math:`T_0`.
    success : bool
    message : str
    """

    rate: float
    se: float
    per_run: np.ndarray
    mean_rate: float
    t: np.ndarray
    log_norm: np.ndarray
    gamma: float
    K: float
    dt: float
    t_burn: float
    success: bool
    message: str


def linearised_growth_rate(gamma, K, *, n=32, dt, n_steps, n_runs, t_burn=0.0, n_modes=2, colour=1.0,
                           save_every=None, rng=None) -> LinearisedGrowth:
    r"""Pathwise growth rate of the SPDE linearised at :math:`\rho\equiv 1` (the top Lyapunov exponent of :math:`\delta`).

    Linearising the Stratonovich SPDE of the module docstring at the uniform
    density (:math:`W*1 = 0`), a mean-zero perturbation :math:`\delta` solves

    .. math::

        \partial_t\delta = \Delta\delta + \Delta(W*\delta) + \sqrt{2K}\,\nabla\cdot(\delta\circ\xi),
        \qquad \widehat{\Delta\delta + \Delta W*\delta}_k = -|k|^2(1 + \hat W_k)\hat\delta_k,

    a **linear** SPDE. The scheme is the one of :func:`simulate_spde` with
    the drift step solved exactly (a diagonal multiplier:
    :math:`e^{(\gamma/2 - 1)\Delta t}` on :math:`|k| = 1`, :math:`e^{-|k|^2\Delta t}`
    elsewhere). In expectation each shear step multiplies :math:`\hat\delta_k` by
    :math:`e^{-K|k|^2\Delta t}`, so the **mean** perturbation grows at exactly
    :math:`\gamma/2 - 1 - K` on :math:`|k| = 1`; along one path the
    transport is an isometry of :math:`L^2` and acts only by moving
    :math:`\delta` to other wave numbers. The pathwise rate is
    :math:`\frac{1}{T - T_0}\log(\|\delta_T\|/\|\delta_{T_0}\|)`, averaged over
    ``n_runs`` independent paths and random low-mode starts.

    Parameters
    ----------
    gamma : float
        Interaction strength (:math:`W = -\gamma(\cos x_1 + \cos x_2)`).
    K : float
        Noise intensity, >= 0.
    n : int
        Grid size (even, >= 8).
    dt : float
        > 0.
    n_steps : int
        >= 1; :math:`T = n_{steps}\Delta t`.
    n_runs : int
        Number of independent paths :math:`R\ge 1`.
    t_burn : float
        :math:`T_0\in[0, T)`: the rate is measured over :math:`[T_0, T]`.
    n_modes, colour : int, float
        The shears (:func:`shear_amplitudes`).
    save_every : int, optional
        Save ``log_norm`` every ``save_every`` steps (default: every step).
    rng : None, int or numpy.random.Generator

    Returns
    -------
    LinearisedGrowth

    Examples
    --------
    >>> g = linearised_growth_rate(3.0, 0.0, n=16, dt=0.01, n_steps=1000, n_runs=2, t_burn=5.0, rng=0)
    >>> round(g.rate, 6), g.mean_rate    # no noise: the mode e^{i x_1} wins, rate gamma/2 - 1
    (0.5, 0.5)
    """
    gamma = _check_gamma(gamma)
    K = check_nonnegative("K", K)
    n = check_grid_size(n)
    dt = check_positive("dt", dt)
    n_steps = check_int("n_steps", n_steps, 1)
    R = check_int("n_runs", n_runs, 1)
    t_burn = float(check_nonnegative("t_burn", t_burn))
    if t_burn >= n_steps * dt:
        raise ValueError(f"t_burn: must be < T = n_steps * dt = {n_steps * dt:g}, got {t_burn:g}")
    save_every = 1 if save_every is None else check_int("save_every", save_every, 1)
    gen = as_generator(rng)
    sigma = shear_amplitudes(n_modes, colour)
    M = sigma.size
    x, _, _ = grid_points(n)
    kf = fft.fftfreq(n, 1.0 / n)
    kr = fft.rfftfreq(n, 1.0 / n)
    K1, K2 = np.meshgrid(kf, kr, indexing="ij")
    lap = K1**2 + K2**2
    what = np.where(lap == 1, -gamma / 2, 0.0)
    mult = np.exp(-lap * (1.0 + what) * dt)
    m = np.arange(1, M + 1)
    basis_c = sigma[:, None] * np.cos(np.outer(m, x))
    basis_s = sigma[:, None] * np.sin(np.outer(m, x))
    amp = np.sqrt(2 * K * dt)
    delta = perturbed_uniform(n, 0.5, n_runs=R, rng=gen) - 1.0
    norm0 = np.sqrt(np.mean(delta**2, axis=(-2, -1)))
    delta /= norm0[:, None, None]
    log_norm = np.zeros(R)
    ts, logs = [0.0], [log_norm.copy()]
    i_burn = int(round(t_burn / dt))
    log_burn = np.zeros(R)
    message, success = "ok", True
    for k in range(1, n_steps + 1):
        if K > 0:
            z = gen.standard_normal((R, 4, M))
            delta = _shear_flow(delta, amp * (z[:, 0] @ basis_c + z[:, 1] @ basis_s), -1, n)
            delta = _shear_flow(delta, amp * (z[:, 2] @ basis_c + z[:, 3] @ basis_s), -2, n)
        delta = fft.irfft2(mult * fft.rfft2(delta), s=(n, n))
        nrm = np.sqrt(np.mean(delta**2, axis=(-2, -1)))
        if not np.all(np.isfinite(nrm)) or np.min(nrm) == 0:
            success, message = False, f"degenerate perturbation at step {k}; stopped"
            break
        log_norm += np.log(nrm)
        delta /= nrm[:, None, None]
        if k == i_burn:
            log_burn = log_norm.copy()
        if k % save_every == 0 or k == n_steps:
            ts.append(k * dt)
            logs.append(log_norm.copy())
    T = ts[-1]
    per = (log_norm - log_burn) / (T - t_burn)
    se = float(per.std(ddof=1) / np.sqrt(R)) if R > 1 else float("nan")
    return LinearisedGrowth(float(per.mean()), se, per, linear_growth_rate(gamma, K), np.array(ts), np.array(logs), gamma, K, dt, t_burn, success, message)


def _shear_flow(field, s, axis, n):
    """``field(.., x_shear + s(x_other))`` spectrally; axis = -1 shears x2 by s(x1), axis = -2 shears x1 by s(x2)."""
    nyq = n // 2
    f = fft.rfft(field, axis=axis)
    pw = np.empty(s.shape + (nyq + 1,), dtype=complex)
    pw[..., 0] = 1.0
    pw[..., 1:] = np.exp(1j * s)[..., None]
    np.cumprod(pw, axis=-1, out=pw)
    pw[..., nyq] = pw[..., nyq].real  # Nyquist coefficient kept real: cos(n s / 2)
    f *= pw if axis == -1 else np.swapaxes(pw, -1, -2)
    return fft.irfft(f, n=n, axis=axis)


@dataclass(frozen=True)
class ShearFlowLyapunov:
    r"""Output of :func:`shear_flow_lyapunov`.

    Attributes
    ----------
    estimate, se : float
        Mean over the paths of :math:`\frac1T\log|D\Phi_T v_0|` (top exponent) and its standard error.
    per_path : ndarray, shape (R,)
    log_det : float
        :math:`\max|\log\det D\Phi_T|` over the paths (0 up to round-off: the flow preserves area, so
        :math:`\lambda_1 + \lambda_2 = 0`).
    K, dt, T : float
    """

    estimate: float
    se: float
    per_path: np.ndarray
    log_det: float
    K: float
    dt: float
    T: float


def shear_flow_lyapunov(K, *, dt, n_steps, n_paths, n_modes=2, colour=1.0, rng=None) -> ShearFlowLyapunov:
    r"""Top Lyapunov exponent of the random shear flow of :func:`simulate_spde` acting on points of :math:`\mathbb T^2`.

    One step moves a point as the solver moves the density:
    :math:`x_2\mapsto x_2 + s(x_1)`, then :math:`x_1\mapsto x_1 + u(x_2)`, with
    :math:`s, u = \sqrt{2K}\sum_m\sigma_m(\cos(m\,\cdot)\Delta B^c_m + \sin(m\,\cdot)\Delta B^s_m)`
    (independent increments for :math:`s` and :math:`u`). The Jacobian of a step is
    :math:`\begin{pmatrix}1 & u'(x_2)\\0 & 1\end{pmatrix}\begin{pmatrix}1 & 0\\ s'(x_1) & 1\end{pmatrix}`,
    of determinant 1: the flow preserves area, so the two exponents sum to
    zero and the top one is :math:`\ge 0` (positive for this non-degenerate
    noise: two-point motions **separate**, unlike the one-dimensional
    gradient flows of :mod:`meanfield.common_noise`). A tangent vector is
    propagated and renormalised every step.

    Parameters
    ----------
    K : float
        Noise intensity, > 0.
    dt : float
        > 0.
    n_steps, n_paths : int
        >= 1 and >= 2.
    n_modes, colour : int, float
        The shears (:func:`shear_amplitudes`).
    rng : None, int or numpy.random.Generator

    Returns
    -------
    ShearFlowLyapunov

    Examples
    --------
    >>> ly = shear_flow_lyapunov(1.0, dt=0.01, n_steps=2000, n_paths=50, rng=0)
    >>> bool(ly.estimate > 5 * ly.se), ly.log_det < 1e-10
    (True, True)
    """
    K = check_positive("K", K)
    dt = check_positive("dt", dt)
    n_steps = check_int("n_steps", n_steps, 1)
    R = check_int("n_paths", n_paths, 2)
    gen = as_generator(rng)
    sigma = shear_amplitudes(n_modes, colour)
    m = np.arange(1, sigma.size + 1)
    amp = np.sqrt(2 * K * dt)
    pos = gen.uniform(0, 2 * np.pi, (2, R))
    v = np.vstack([np.ones(R), np.zeros(R)])
    logn = np.zeros(R)
    logdet = np.zeros(R)
    for _ in range(n_steps):
        z = gen.standard_normal((4, R, sigma.size))
        mx = np.outer(pos[0], m)  # (R, M)
        s_der = amp * np.sum(sigma * m * (-np.sin(mx) * z[0] + np.cos(mx) * z[1]), axis=1)
        pos[1] = pos[1] + amp * np.sum(sigma * (np.cos(mx) * z[0] + np.sin(mx) * z[1]), axis=1)
        my = np.outer(pos[1], m)
        u_der = amp * np.sum(sigma * m * (-np.sin(my) * z[2] + np.cos(my) * z[3]), axis=1)
        pos[0] = pos[0] + amp * np.sum(sigma * (np.cos(my) * z[2] + np.sin(my) * z[3]), axis=1)
        v[1] = v[1] + s_der * v[0]
        v[0] = v[0] + u_der * v[1]
        nrm = np.hypot(v[0], v[1])
        logn += np.log(nrm)
        v /= nrm
        logdet += np.log(np.abs((1 + u_der * s_der) - u_der * s_der))  # det of the step, exactly 1
    T = n_steps * dt
    per = logn / T
    return ShearFlowLyapunov(float(per.mean()), float(per.std(ddof=1) / np.sqrt(R)), per,
                             float(np.max(np.abs(logdet))), K, dt, T)


def free_energy(rho, gamma):
    r"""The free energy :math:`\mathcal F(\rho) = \int\rho\log\rho + \frac12\iint W(x-y)\rho(x)\rho(y)` (normalised measure).

    With :math:`W = -\gamma(\cos x_1 + \cos x_2)`,
    :math:`\frac12\iint W\rho\rho = \frac12\sum_k\hat W_k|\hat\rho_k|^2 = -\frac\gamma2(r_1^2 + r_2^2)`,
    so :math:`\mathcal F(\rho) = \int\rho\log\rho\,\frac{dx}{4\pi^2} - \frac\gamma2(r_1^2 + r_2^2)` and
    :math:`\mathcal F(1) = 0`. Without noise the PDE is the Wasserstein gradient
    flow of :math:`\mathcal F`, which therefore decreases along it. The entropy is
    the grid mean of :math:`\rho\log\rho` (spectrally accurate for smooth
    :math:`\rho`), over the last two axes.

    Examples
    --------
    >>> abs(free_energy(np.ones((16, 16)), 3.0)) < 1e-15
    True
    """
    rho = np.asarray(rho, dtype=float)
    if rho.ndim < 2 or rho.shape[-1] != rho.shape[-2]:
        raise ValueError(f"rho: expected shape (..., n, n), got {rho.shape}")
    check_grid_size(rho.shape[-1])
    if np.min(rho) < 0:
        raise ValueError(f"rho: a density must be >= 0, got min {np.min(rho):.3g}")
    gamma = _check_gamma(gamma)
    with np.errstate(divide="ignore", invalid="ignore"):
        ent = np.where(rho > 0, rho * np.log(np.where(rho > 0, rho, 1.0)), 0.0).mean(axis=(-2, -1))
    r1, r2 = order_parameters(rho)
    out = ent - gamma / 2 * (r1**2 + r2**2)
    return float(out) if np.ndim(out) == 0 else out
