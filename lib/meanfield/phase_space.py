r"""The phase space of 1D-1V Vlasov--Poisson: the model, its sign convention, the grid.

Shared by :mod:`meanfield.vlasov` (the solver and its diagnostics),
:mod:`meanfield.vlasov_linear` (the linear theory) and
:mod:`meanfield.bgk` (BGK modes and the residuals of the stationary
equations): the conventions below are stated here once and hold in all
four modules.

The model and its sign convention
---------------------------------
Electrons (charge :math:`-1`, mass 1) with phase-space density
:math:`f(t, x, v)`, :math:`x\in[0, L)` periodic, move in the field of their
own charge and of a uniform, immobile ion background of density 1. In
plasma units (plasma frequency :math:`\omega_p = 1`, Debye length 1 for the
standard Maxwellian) **the Vlasov modules use, everywhere,**

.. math::

    \partial_t f + v\,\partial_x f - E\,\partial_v f = 0, \qquad
    \partial_x E = 1 - \rho, \qquad \rho(t, x) = \int f\,dv, \qquad
    \int_0^L E\,dx = 0,

where :math:`E` is the physical electric field (Gauss's law with charge
density :math:`n_{\rm ion} - n_e = 1 - \rho`) and :math:`-E` the force on an
electron. With the potential :math:`E = -\partial_x\phi`,

.. math::

    \partial_{xx}\phi = \rho - 1, \qquad
    \dot x = v,\quad \dot v = -E = \partial_x\phi, \qquad
    \varepsilon = \tfrac12 v^2 - \phi(x)

(:math:`\varepsilon` the energy of an electron: electrons are attracted to
maxima of :math:`\phi`).

*The book's wording* ":math:`\partial_x E = \rho - 1` with the force matching
it" is the same system written for the acceleration field
:math:`\tilde E = -E`: :math:`\partial_x\tilde E = \rho - 1`,
:math:`\partial_t f + v\partial_x f + \tilde E\partial_v f = 0`. The
mismatched pairing :math:`\partial_x E = \rho - 1` with the force
:math:`-E` is the *gravitational* (Jeans) sign: a perturbation
:math:`\rho = 1 + \delta` of a cold plasma then obeys
:math:`\ddot\delta = +\delta` and grows, whereas with the convention above
:math:`\partial_t\delta + \partial_x j = 0`, :math:`\partial_t j \approx -E`
give :math:`\ddot\delta = \partial_x E = -\delta`: **Langmuir
oscillations** at :math:`\omega_p = 1` (warm plasma: the Bohm--Gross
frequency :math:`\omega^2\approx 1 + 3k^2`, Landau damped). The tests check
this oscillation.

Invariants of the exact flow: mass :math:`\iint f`, momentum
:math:`\iint vf` (since :math:`\int E\rho = \int E(1 - \partial_x E) = 0`),
total energy :math:`\tfrac12\iint v^2 f + \tfrac12\int E^2`, every Casimir
:math:`\iint G(f)`, in particular :math:`\|f\|_2^2` and Boltzmann's
:math:`H = \iint f\log f` (the book's sign: the negative of the entropy).

The grid
--------
:class:`PhaseSpaceGrid`: periodic in :math:`x`, :math:`x_i = iL/n_x`;
cell-centred in :math:`v`, :math:`v_j = -v_{\max} + (j + \tfrac12)\Delta v`,
:math:`\Delta v = 2v_{\max}/n_v`; phase-space arrays are
``f[i, j] = f(x_i, v_j)`` and integrals are
:math:`\iint f \approx \Delta x\Delta v\sum_{ij} f_{ij}`. The density
(:func:`density`) is the midpoint rule in :math:`v`, the field
(:func:`electric_field`) the FFT solution of Gauss's law above.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import fft

from .grids import Grid1D
from .utils import _as_real, check_int, check_positive

__all__ = [
    "PhaseSpaceGrid",
    "make_phase_space_grid",
    "make_landau",
    "make_two_stream",
    "density",
    "electric_field",
]

_SQRT2PI = np.sqrt(2.0 * np.pi)


# --- grid and initial data ---------------------------------------------------------------

@dataclass(frozen=True)
class PhaseSpaceGrid:
    r"""Phase-space grid: periodic in :math:`x`, cell-centred in :math:`v`.

    :math:`x_i = iL/n_x` (:math:`i < n_x`) on :math:`[0, L)`;
    :math:`v_j = -v_{\max} + (j + \tfrac12)\Delta v` (:math:`j < n_v`),
    :math:`\Delta v = 2v_{\max}/n_v`, the centres of
    :class:`~meanfield.grids.Grid1D` ``(-vmax, vmax, nv)``. Integrals are
    :math:`\iint f \approx \Delta x\Delta v\sum_{ij} f_{ij}` (spectrally
    accurate for smooth periodic-in-:math:`x`, decaying-in-:math:`v` data).

    Parameters
    ----------
    nx : int
        Points in :math:`x`, >= 4.
    nv : int
        Cells in :math:`v`, >= 8.
    L : float
        Period, > 0.
    vmax : float
        Velocity cut-off, > 0.

    Examples
    --------
    >>> g = PhaseSpaceGrid(4, 8, 2 * np.pi, 4.0)
    >>> g.x.tolist() == [0.0, np.pi / 2, np.pi, 3 * np.pi / 2], g.v[:2].tolist()
    (True, [-3.5, -2.5])
    """

    nx: int
    nv: int
    L: float
    vmax: float

    def __post_init__(self):
        object.__setattr__(self, "nx", check_int("nx", self.nx, 4))
        object.__setattr__(self, "nv", check_int("nv", self.nv, 8))
        object.__setattr__(self, "L", check_positive("L", self.L))
        object.__setattr__(self, "vmax", check_positive("vmax", self.vmax))

    @property
    def dx(self) -> float:
        """:math:`L/n_x`."""
        return self.L / self.nx

    @property
    def dv(self) -> float:
        """:math:`2v_{\\max}/n_v`."""
        return 2.0 * self.vmax / self.nv

    @property
    def x(self) -> np.ndarray:
        """Grid points :math:`iL/n_x`, shape ``(nx,)``."""
        return np.arange(self.nx) * self.dx

    @property
    def v(self) -> np.ndarray:
        """Cell centres in velocity, shape ``(nv,)``."""
        return Grid1D(-self.vmax, self.vmax, self.nv).centers

    @property
    def k(self) -> np.ndarray:
        """Wavenumbers :math:`2\\pi m/L`, :math:`m = 0..n_x/2`, of ``rfft`` along :math:`x`."""
        return 2.0 * np.pi * fft.rfftfreq(self.nx, self.dx)

    @property
    def shape(self) -> tuple:
        """``(nx, nv)``: the shape of a phase-space array ``f[i, j] = f(x_i, v_j)``."""
        return (self.nx, self.nv)


def make_phase_space_grid(nx, nv, L, vmax) -> PhaseSpaceGrid:
    """A validated :class:`PhaseSpaceGrid` (``nx >= 4``, ``nv >= 8``, ``L > 0``, ``vmax > 0``)."""
    return PhaseSpaceGrid(nx, nv, L, vmax)


def make_landau(alpha=0.01, k=0.5, *, vt=1.0):
    r"""Landau-damping datum :math:`f_0 = (1 + \alpha\cos kx)\,M(v)` as a callable ``f0(x, v)``.

    :math:`M(v) = e^{-v^2/(2v_t^2)}/(\sqrt{2\pi}v_t)`; the period must be a
    multiple of :math:`2\pi/k` (usually ``L = 2*np.pi/k``).

    Parameters
    ----------
    alpha : float
        Perturbation amplitude, in ``[0, 1]`` (so that :math:`f_0 \ge 0`).
    k : float
        Wavenumber, > 0.
    vt : float
        Thermal speed, > 0.

    Examples
    --------
    >>> f0 = make_landau(0.5, 0.5)
    >>> round(float(f0(0.0, 0.0)), 6)  # 1.5 / sqrt(2 pi)
    0.598413
    """
    alpha = _as_real("alpha", alpha)
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha: must lie in [0, 1], got {alpha}")
    k = check_positive("k", k)
    vt = check_positive("vt", vt)

    def f0(x, v):
        return (1.0 + alpha * np.cos(k * x)) * np.exp(-0.5 * (v / vt) ** 2) / (_SQRT2PI * vt)

    return f0


def make_two_stream(alpha=1e-3, k=0.2, *, v0=2.4, vt=1.0):
    r"""Two-stream datum :math:`f_0 = (1 + \alpha\cos kx)\,\tfrac12(M_{v_0} + M_{-v_0})` as ``f0(x, v)``.

    :math:`M_{u}(v) = e^{-(v-u)^2/(2v_t^2)}/(\sqrt{2\pi}v_t)`: two
    counter-streaming beams of density :math:`\tfrac12` each (total density 1).
    The default :math:`v_0 = 2.4`, :math:`v_t = 1`, :math:`k = 0.2` is the
    classic test case, unstable with :math:`\gamma = 0.22584`
    (:func:`two_stream_root`).

    Parameters
    ----------
    alpha : float
        Perturbation amplitude in ``[0, 1]``.
    k : float
        Wavenumber, > 0.
    v0 : float
        Beam speed, >= 0.
    vt : float
        Thermal speed of each beam, > 0.
    """
    alpha = _as_real("alpha", alpha)
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha: must lie in [0, 1], got {alpha}")
    k = check_positive("k", k)
    v0 = _as_real("v0", v0)
    if v0 < 0:
        raise ValueError(f"v0: must be >= 0, got {v0}")
    vt = check_positive("vt", vt)

    def f0(x, v):
        beams = np.exp(-0.5 * ((v - v0) / vt) ** 2) + np.exp(-0.5 * ((v + v0) / vt) ** 2)
        return (1.0 + alpha * np.cos(k * x)) * beams / (2.0 * _SQRT2PI * vt)

    return f0


def _check_grid(grid):
    if not isinstance(grid, PhaseSpaceGrid):
        raise TypeError(f"grid: expected a PhaseSpaceGrid, got {type(grid).__name__}")
    return grid


def _box_check(f_outside_mass, mass, box_tol, grid):
    if not mass > 0:
        raise ValueError(f"f0: the total mass must be > 0, got {mass}")
    outside = f_outside_mass / mass
    if outside > box_tol:
        raise ValueError(
            f"vmax: the velocity box [-{grid.vmax}, {grid.vmax}] is too small for f0: relative mass "
            f"outside (estimated) {outside:.3g} > box_tol = {box_tol:.3g}; enlarge vmax"
        )


def _initial_datum(f0, grid, box_tol):
    """Sample/validate ``f0`` on the grid and check that the velocity box holds its mass."""
    x, v = grid.x[:, None], grid.v[None, :]
    cell = grid.dx * grid.dv
    if callable(f0):
        f = np.broadcast_to(np.asarray(f0(x, v), dtype=float), grid.shape).copy()
        # mass in |v| > vmax, estimated on nv further cells on each side (up to 3 vmax)
        out_v = grid.vmax + (np.arange(grid.nv) + 0.5) * grid.dv
        out = np.asarray(f0(x, out_v[None, :]), dtype=float) + np.asarray(f0(x, -out_v[None, :]), dtype=float)
        if not np.all(np.isfinite(out)):
            raise ValueError("f0: returned NaN or infinite values outside the velocity box")
        outside = cell * np.abs(out).sum()
        per = np.asarray(f0(np.full((1, 1), grid.L), v), dtype=float)
        if not np.allclose(per, f[:1], rtol=1e-8, atol=1e-12 * np.abs(f).max()):
            raise ValueError(f"f0: is not L-periodic in x (f0(L, v) != f0(0, v) for L = {grid.L})")
    else:
        f = np.array(f0, dtype=float)
        if f.shape != grid.shape:
            raise ValueError(f"f0: expected shape (nx, nv) = {grid.shape}, got {f.shape}")
        # proxy: the mass in the two outermost velocity cells on each side
        outside = cell * np.abs(f[:, [0, 1, -2, -1]]).sum()
    if not np.all(np.isfinite(f)):
        raise ValueError("f0: contains NaN or infinite entries")
    fmax = np.abs(f).max()
    if f.min() < -1e-8 * fmax:
        raise ValueError(f"f0: must be >= 0 (up to 1e-8 of its maximum), got min {f.min():.3g}")
    _box_check(outside, cell * f.sum(), box_tol, grid)
    return f


def density(f, grid) -> np.ndarray:
    r"""Electron density :math:`\rho(x_i) = \Delta v\sum_j f_{ij}`, shape ``(nx,)``."""
    grid = _check_grid(grid)
    f = np.asarray(f, dtype=float)
    if f.shape != grid.shape:
        raise ValueError(f"f: expected shape (nx, nv) = {grid.shape}, got {f.shape}")
    return grid.dv * f.sum(axis=1)


def _field_hat(rho_hat, k, n):
    """:math:`\\hat E_m = i\\hat\\rho_m/k_m` (``rfft`` coefficients), zero mean, zero Nyquist mode."""
    E_hat = np.zeros_like(rho_hat, dtype=complex)
    E_hat[1:] = 1j * rho_hat[1:] / k[1:]
    if n % 2 == 0:
        E_hat[-1] = 0.0
    return E_hat


def electric_field(rho, L) -> np.ndarray:
    r"""Zero-mean periodic solution of :math:`\partial_x E = 1 - \rho` by FFT.

    .. math::  \hat E_m = \frac{i\hat\rho_m}{k_m}\ (m \ne 0), \qquad \hat E_0 = 0,

    and, for an even number of points, :math:`\hat E_{n/2} = 0`.

    Parameters
    ----------
    rho : array_like, shape (nx,)
        Density at :math:`x_i = iL/n_x`.
    L : float
        Period, > 0.

    Returns
    -------
    ndarray, shape (nx,)

    Examples
    --------
    >>> x = np.arange(8) * 2 * np.pi / 8
    >>> np.allclose(electric_field(1 + 0.1 * np.cos(x), 2 * np.pi), -0.1 * np.sin(x))
    True
    """
    L = check_positive("L", L)
    rho = np.asarray(rho, dtype=float)
    if rho.ndim != 1 or rho.size < 2:
        raise ValueError(f"rho: expected a 1-D array of at least 2 values, got shape {rho.shape}")
    if not np.all(np.isfinite(rho)):
        raise ValueError("rho: contains NaN or infinite entries")
    n = rho.size
    k = 2.0 * np.pi * fft.rfftfreq(n, L / n)
    return fft.irfft(_field_hat(fft.rfft(rho), k, n), n)
