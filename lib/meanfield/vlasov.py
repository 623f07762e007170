r"""One-dimensional Vlasov--Poisson: electrons on a neutralising ion background.

The model and its sign convention
---------------------------------
Electrons (charge :math:`-1`, mass 1) with phase-space density
:math:`f(t, x, v)`, :math:`x\in[0, L)` periodic, move in the field of their
own charge and of a uniform, immobile ion background of density 1. In
plasma units (plasma frequency :math:`\omega_p = 1`, Debye length 1 for the
standard Maxwellian) **this module uses, everywhere,**

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

The solver (Cheng--Knorr)
-------------------------
Periodic grid :math:`x_i = iL/n_x`; cell-centred velocity grid
:math:`v_j = -v_{\max} + (j + \tfrac12)\Delta v`, :math:`\Delta v = 2v_{\max}/n_v`
(:class:`PhaseSpaceGrid`). One step of :func:`solve_vlasov_poisson` is the
Strang splitting [1]_

.. math::

    f^{n+1} = \mathcal X_{\Delta t/2}\,\mathcal V_{\Delta t}\,
              \mathcal X_{\Delta t/2}\,f^n,

:math:`\mathcal X_\tau f(x, v) = f(x - v\tau, v)` (free streaming) and
:math:`\mathcal V_\tau f(x, v) = f(x, v + E^*(x)\tau)` with :math:`E^*` the
field of :math:`\mathcal X_{\Delta t/2}f^n` (the velocity step does not
change :math:`\rho`, so it is the exact flow of its sub-problem). Both
shifts are Fourier multipliers applied row by row. In :math:`x` the shift
is exact for the trigonometric interpolant: the :math:`m`-th coefficient
is multiplied by :math:`e^{-ik_m v_j\tau}`. In :math:`v` (row :math:`i`,
shift :math:`s_i = E^*_i\tau/\Delta v = p_i + \alpha_i` cells,
:math:`\theta = \kappa\Delta v`), ``method`` chooses

* ``"spline"`` (default, Cheng and Knorr's choice): periodic cubic-spline
  interpolation, whose multiplier is
  :math:`e^{ip\theta}\sum_{q=-2}^{1}B(\alpha + q)e^{-iq\theta}\big/\tfrac{4 + 2\cos\theta}{6}`
  (:math:`B` the cubic B-spline): fourth order in :math:`\Delta v`,
  damping only near the grid scale (:math:`|\cdot| < 1` for
  :math:`\theta\ne 0`), and local (the influence of a value decays like
  :math:`0.27^{\text{cells}}`);
* ``"spectral"``: the exact trigonometric shift :math:`e^{is\theta}`
  (unitary but for the Nyquist mode, which is multiplied by
  :math:`\cos(\pi s)`). It is exact for resolved data, but once filaments
  are finer than :math:`\Delta v` the Nyquist treatment spreads
  :math:`(-1)^j` patterns over whole rows: in nonlinear Landau damping
  (:math:`\alpha = 0.5`, :math:`32\times256`, :math:`v_{\max} = 8`) about
  :math:`2\times10^{-4}` of the mass sits in the outermost cells by
  :math:`t = 30`, against :math:`3\times10^{-14}` with splines.

**Velocity boundary:** the model assumes :math:`f\approx 0` at
:math:`\pm v_{\max}`; the velocity shift is *periodic* on the box (what
leaves at :math:`+v_{\max}` re-enters at :math:`-v_{\max}`), harmless while
that assumption holds, and it conserves the mass exactly (both multipliers
equal 1 at :math:`\theta = 0`). The assumption is checked: the initial
datum is rejected if its mass outside the box exceeds ``box_tol``, and the
run reports ``success=False`` if the mass in the two outermost velocity
cells on either side ever does. (Zero-padding the rows instead, i.e.
outflow, was tried: it discards the grid-scale ringing that lands in the
padding, and lost :math:`5\times10^{-4}` of the mass in nonlinear Landau
damping on :math:`64\times256` by :math:`t = 50`.) Poisson's equation is solved by FFT, :math:`\hat E_m = i\hat\rho_m/k_m`,
:math:`\hat E_0 = 0` (the Nyquist mode of :math:`E` is set to 0).

Exact sub-flows make the scheme second order in :math:`\Delta t`; it is
unconditionally stable (each shift is an :math:`\ell^2` contraction). The
discrete mass is conserved to rounding, the momentum too (the discrete
:math:`\sum_i E_i\rho_i = 0` for the spectral Poisson solve, up to the
tails at :math:`\pm v_{\max}` and, for splines, :math:`O(\Delta v^4)`), the
total energy to :math:`O(\Delta t^2)`. :math:`\|f\|_2` decreases slowly
(grid-scale damping), faster with splines. Neither interpolation preserves
positivity: negative values appear once filaments reach the grid scale,
hence :math:`H` is evaluated as :math:`\iint f\log|f|`.

Linear theory (Landau)
----------------------
For :math:`f = F_0(v) + \delta f\,e^{i(kx - \omega t)}` with
:math:`F_0 = \sum_s n_s M_{u_s, v_{t,s}}` a sum of drifting Maxwellians,
:math:`\omega` is a zero of the dielectric function

.. math::

    \epsilon(\omega, k) = 1 + \sum_s \frac{n_s}{k^2 v_{t,s}^2}
        \big[1 + \zeta_s Z(\zeta_s)\big], \qquad
    \zeta_s = \frac{\omega - k u_s}{\sqrt2\,k\,v_{t,s}}, \qquad
    Z(\zeta) = i\sqrt\pi\,w(\zeta),

with :math:`w` the Faddeeva function (:func:`scipy.special.wofz`); this is
Landau's analytic continuation of :math:`Z` [2]_ [3]_ to
:math:`\operatorname{Im}\zeta \le 0`. For the standard Maxwellian
:math:`\epsilon = 1 + k^{-2}[1 + \zeta Z(\zeta)]`,
:math:`\zeta = \omega/(\sqrt2 k)`; at :math:`k = 0.5`,
:math:`\omega = 1.415662 - 0.153359\,i`. A mode
:math:`E\propto e^{\gamma t}\cos(\omega_r t + \cdot)`,
:math:`\gamma = \operatorname{Im}\omega`, has field energy
:math:`\propto e^{2\gamma t}\cos^2(\omega_r t + \cdot)`: its peaks are
:math:`\pi/\omega_r` apart and decay at the rate :math:`2\gamma`
(:func:`fit_wave` returns :math:`\gamma`).

BGK modes
---------
Any :math:`f = g(\tfrac12 v^2 - \phi(x))` is stationary for a given
:math:`\phi`, since :math:`\varepsilon` is constant along the
characteristics. It is self-consistent iff

.. math::

    \phi'' = n(\phi) - 1, \qquad n(\phi) = \int g(\tfrac12 v^2 - \phi)\,dv,

i.e. :math:`\tfrac12\phi'^2 + \mathcal V(\phi) = \text{const}` with the
**Sagdeev pseudo-potential** :math:`\mathcal V(\phi) = -\int_0^\phi(n - 1)`
[4]_ [5]_. A periodic solution oscillating between :math:`\phi_{\min}` and
:math:`\phi_{\max}` is the motion of a particle in a well of
:math:`\mathcal V`: it needs
:math:`\mathcal V(\phi_{\min}) = \mathcal V(\phi_{\max}) > \mathcal V` in
between, and the half period is
:math:`\int_{\phi_{\min}}^{\phi_{\max}} d\phi/\sqrt{2(\mathcal V(\phi_{\min}) - \mathcal V(\phi))}`.

*A Maxwellian admits no non-trivial periodic mode (Debye shielding).* For
:math:`g = c\,e^{-\varepsilon}` the density is Boltzmann's
:math:`n = c'e^{\phi}`, so :math:`\mathcal V(\phi) = \phi - c'(e^\phi - 1)`
has :math:`\mathcal V'' = -c'e^{\phi} < 0`: it is strictly concave. If
:math:`\phi` were periodic and non-constant, with turning points
:math:`\phi_1 < \phi_2`, energy conservation would give
:math:`\mathcal V(\phi_1) = \mathcal V(\phi_2) = C` and
:math:`\mathcal V = C - \tfrac12\phi'^2 \le C` on :math:`(\phi_1,\phi_2)`,
while strict concavity gives :math:`\mathcal V > C` strictly inside: a
contradiction. The only periodic solutions are constants; linearised,
:math:`\phi'' = \phi` has the Debye-shielded solutions
:math:`e^{\pm x}`, never oscillating ones. A mode needs
:math:`n'(\phi) = -\int g'(\varepsilon)\,dv < 0` somewhere: a population of
trapped electrons with :math:`g` *increasing* in energy (a hole).

*The family used here* (Schamel [5]_, standing, :math:`u_0 = 0`, smoothed).
Gauge :math:`\phi_{\min} = 0`, so the separatrix is :math:`\varepsilon = 0`,
:math:`v_s(x) = \sqrt{2\phi(x)}`. Schamel's distribution

.. math::

    g_0(\varepsilon) = \frac{A}{\sqrt{2\pi}}\begin{cases}
        e^{-\varepsilon}, & \varepsilon \ge 0 \text{ (passing)},\\
        e^{-\beta\varepsilon}, & \varepsilon < 0 \text{ (trapped)},
    \end{cases}
    \qquad
    n_0(\phi) = A\Big[e^{\phi}\operatorname{erfc}\sqrt\phi
        + \sqrt\phi\,h(\beta\phi)\Big],

:math:`h(y) = e^{y}\operatorname{erf}(\sqrt y)/\sqrt y` (entire in
:math:`y`; for :math:`y < 0` it is :math:`2D(\sqrt{-y})/\sqrt{-\pi y}` with
Dawson's :math:`D`), is a Maxwellian for :math:`\beta = 1`
(:math:`n = Ae^{\phi}`) and a hole for :math:`\beta < 0`. It has a kink at
the separatrix, which spectral and spline shifts turn into ringing, so
:func:`bgk_mode` uses by default its analytic smoothing over an energy
width :math:`\delta`,

.. math::

    g_\delta(\varepsilon) = \frac{A}{\sqrt{2\pi}}
        \exp\big(-\varepsilon + (\beta - 1)\,\delta\log(1 + e^{-\varepsilon/\delta})\big)
        \;\xrightarrow[\delta\to0]{}\; g_0(\varepsilon),

whose density :math:`n_\delta(\phi)` is computed by the trapezoid rule in
:math:`v` (exponentially accurate). Given the wavenumber :math:`k` and the
amplitude :math:`\psi = \phi_{\max} - \phi_{\min}`, :math:`\mathcal V(\psi) = 0`
fixes :math:`A = \psi/\int_0^\psi n_{A=1}`, and :func:`bgk_mode` finds
:math:`\beta` with half period :math:`\pi/k` (see there). Such a
:math:`\beta` exists only below a maximal wavenumber that decreases with
:math:`\psi` (a ``ValueError`` beyond).

References
----------
.. [1] C. Z. Cheng and G. Knorr, "The integration of the Vlasov equation in
   configuration space", J. Comput. Phys. 22 (1976) 330--351.
.. [2] L. D. Landau, "On the vibrations of the electronic plasma",
   J. Phys. USSR 10 (1946) 25--34.
.. [3] B. D. Fried and S. D. Conte, *The Plasma Dispersion Function*,
   Academic Press, 1961.
.. [4] I. B. Bernstein, J. M. Greene and M. D. Kruskal, "Exact nonlinear
   plasma oscillations", Phys. Rev. 108 (1957) 546--550.
.. [5] H. Schamel, "Electron holes, ion holes and double layers",
   Phys. Rep. 140 (1986) 161--191.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import fft, integrate, optimize, signal, special

from .grids import Grid1D
from .utils import _as_real, check_choice, check_int, check_positive

__all__ = [
    "PhaseSpaceGrid",
    "make_phase_space_grid",
    "make_landau",
    "make_two_stream",
    "density",
    "electric_field",
    "VlasovResult",
    "solve_vlasov_poisson",
    "WaveFit",
    "fit_wave",
    "plasma_dispersion",
    "dielectric",
    "DispersionRoot",
    "solve_dispersion",
    "landau_root",
    "two_stream_root",
    "schamel_distribution",
    "schamel_density",
    "sagdeev_potential",
    "BGKMode",
    "bgk_mode",
    "chebyshev_points",
    "vlasov_residual",
    "poisson_residual",
    "Exercise573Check",
    "check_exercise_5_7_3",
]

_SQRT2PI = np.sqrt(2.0 * np.pi)
_SQRTPI = np.sqrt(np.pi)


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


# --- the solver ---------------------------------------------------------------------------

@dataclass(frozen=True)
class VlasovResult:
    r"""Output of :func:`solve_vlasov_poisson` (diagnostics at every step).

    Attributes
    ----------
    t : ndarray, shape (n_t,)
        :math:`n\,\Delta t`, :math:`n = 0..` steps done.
    field_energy : ndarray, shape (n_t,)
        :math:`\tfrac12\int E^2\,dx`.
    kinetic_energy : ndarray, shape (n_t,)
        :math:`\tfrac12\iint v^2 f`.
    total_energy : ndarray, shape (n_t,)
        Their sum (conserved by the exact flow).
    mass, momentum : ndarray, shape (n_t,)
        :math:`\iint f` and :math:`\iint vf`.
    l2_norm : ndarray, shape (n_t,)
        :math:`\|f\|_2 = (\iint f^2)^{1/2}`.
    entropy : ndarray, shape (n_t,)
        :math:`H = \iint f\log|f|` (book sign, :math:`0\log 0 = 0`).
    min_f : ndarray, shape (n_t,)
        :math:`\min f` (spectral interpolation allows small negative values).
    field_modes : ndarray, shape (n_t, n_modes)
        Amplitudes :math:`a_m` of :math:`E = \sum_m a_m\cos(k_m x + \theta_m)`,
        :math:`m = 1..n_{\rm modes}`, :math:`k_m = 2\pi m/L`.
    t_saved : ndarray, shape (n_saved,)
        Times of the snapshots (``save_times`` rounded to whole steps).
    f_saved : ndarray, shape (n_saved, nx, nv)
        Snapshots of :math:`f`.
    f : ndarray, shape (nx, nv)
        The last state.
    E : ndarray, shape (nx,)
        Its field.
    edge_mass : ndarray, shape (n_t,)
        Relative mass in the two outermost velocity cells on each side (it
        must stay small: the velocity shift is periodic on the box).
    grid : PhaseSpaceGrid
    dt : float
    method : str
        The velocity interpolation used.
    n_steps : int
        Steps taken.
    success : bool
        False if a step produced non-finite values (the run stops there) or
        ``edge_mass`` exceeded ``box_tol``.
    message : str
    """

    t: np.ndarray
    field_energy: np.ndarray
    kinetic_energy: np.ndarray
    total_energy: np.ndarray
    mass: np.ndarray
    momentum: np.ndarray
    l2_norm: np.ndarray
    entropy: np.ndarray
    min_f: np.ndarray
    field_modes: np.ndarray
    t_saved: np.ndarray
    f_saved: np.ndarray
    f: np.ndarray
    E: np.ndarray
    edge_mass: np.ndarray
    grid: PhaseSpaceGrid
    dt: float
    method: str
    n_steps: int
    success: bool
    message: str

    @property
    def mass_error(self) -> float:
        r""":math:`\max_t|m(t) - m(0)|/m(0)`."""
        return _drift(self.mass, self.mass[0])

    @property
    def momentum_error(self) -> float:
        r""":math:`\max_t|P(t) - P(0)|/m(0)` (momentum per unit mass)."""
        return _drift(self.momentum, self.mass[0])

    @property
    def energy_error(self) -> float:
        r""":math:`\max_t|\mathcal E(t) - \mathcal E(0)|/\mathcal E(0)` (total energy)."""
        return _drift(self.total_energy, self.total_energy[0])

    @property
    def l2_error(self) -> float:
        r""":math:`\max_t|\|f\|_2(t) - \|f\|_2(0)|/\|f\|_2(0)`."""
        return _drift(self.l2_norm, self.l2_norm[0])

    @property
    def entropy_error(self) -> float:
        r""":math:`\max_t|H(t) - H(0)|/|H(0)|`."""
        return _drift(self.entropy, self.entropy[0])


def _drift(series, scale):
    """Largest deviation of a conserved quantity from its initial value, relative to ``|scale|``."""
    return float(np.max(np.abs(series - series[0])) / abs(scale))


def _spectral_shift(theta):
    """Row-wise multipliers of the exact trigonometric shift by s_i cells: e^{i theta s_i}."""
    def shift(s):
        return np.exp(1j * np.outer(s, theta))
    return shift


def _spline_shift(theta):
    r"""Row-wise multipliers of the periodic cubic-spline shift by :math:`s_i = p_i + \alpha_i` cells.

    :math:`g_j = \sum_l c_l B(j + s - l)` with :math:`B` the cubic B-spline and
    :math:`c` the interpolating coefficients (:math:`\hat c = \hat f/b(\theta)`,
    :math:`b = (4 + 2\cos\theta)/6`): multiplier
    :math:`e^{ip\theta}\sum_{q=-2}^{1}B(\alpha + q)e^{-iq\theta}/b(\theta)`.
    """
    e = np.exp(-1j * np.outer([-2.0, -1.0, 0.0, 1.0], theta))  # e^{-i q theta}, q = -2..1
    b = (4.0 + 2.0 * np.cos(theta)) / 6.0

    def shift(s):
        p = np.floor(s)
        a = (s - p)[:, None]
        # B(a - 2), B(a - 1), B(a), B(a + 1) (elementwise: a BLAS product is slower at this size)
        w = (a**3, 1.0 + 3.0 * a * (1.0 + a * (1.0 - a)), 4.0 - 3.0 * a * a * (2.0 - a), (1.0 - a) ** 3)
        return np.exp(1j * np.outer(p, theta)) * (w[0] * e[0] + w[1] * e[1] + w[2] * e[2] + w[3] * e[3]) / (6.0 * b)
    return shift


_V_SHIFTS = {"spline": _spline_shift, "spectral": _spectral_shift}


def _save_indices(save_times, dt, n_steps):
    st = np.atleast_1d(np.asarray(save_times, dtype=float))
    if st.ndim != 1:
        raise ValueError(f"save_times: expected a 1-D list of times, got shape {st.shape}")
    if st.size == 0:
        return np.zeros(0, dtype=int)
    if not np.all(np.isfinite(st)):
        raise ValueError("save_times: contains NaN or infinite entries")
    t_end = n_steps * dt
    if st.min() < 0 or st.max() > t_end * (1 + 1e-12):
        raise ValueError(f"save_times: must lie in [0, n_steps * dt] = [0, {t_end}], got [{st.min()}, {st.max()}]")
    return np.rint(st / dt).astype(int)


def solve_vlasov_poisson(f0, grid, *, dt, n_steps, method="spline", save_times=(), box_tol=1e-6,
                         n_modes=4) -> VlasovResult:
    r"""Solve 1D--1V Vlasov--Poisson for electrons by Cheng--Knorr splitting.

    .. math::

        \partial_t f + v\,\partial_x f - E\,\partial_v f = 0, \qquad
        \partial_x E = 1 - \int f\,dv, \qquad \int_0^L E\,dx = 0

    (:math:`E` the electric field, :math:`-E` the force on an electron; see
    the module docstring). Strang splitting
    :math:`\mathcal X_{\Delta t/2}\mathcal V_{\Delta t}\mathcal X_{\Delta t/2}`
    with exact Fourier shifts in :math:`x` and periodic cubic-spline (or
    exact Fourier) shifts in :math:`v` on the velocity box, where
    :math:`f\approx 0` is required and monitored; second order in ``dt``,
    mass conserved to rounding, no stability limit on ``dt``. Cost per
    step: six real FFTs of :math:`n_x\times n_v` arrays.

    Parameters
    ----------
    f0 : callable or array_like, shape (nx, nv)
        Initial density, >= 0: a function ``f0(x, v)`` broadcasting over
        ``x`` of shape ``(nx, 1)`` and ``v`` of shape ``(1, nv)`` (it must be
        ``L``-periodic in ``x``), or its values at ``(grid.x[i], grid.v[j])``.
    grid : PhaseSpaceGrid
    dt : float
        Time step, > 0.
    n_steps : int
        Number of steps, >= 1.
    method : {"spline", "spectral"}
        Interpolation for the velocity shift (module docstring): periodic
        cubic splines (robust once filaments are under-resolved) or the
        exact trigonometric shift (no dissipation; for resolved runs).
    save_times : sequence of float
        Times in ``[0, n_steps * dt]`` at which to store :math:`f` (rounded
        to the nearest step).
    box_tol : float
        Largest relative mass allowed outside :math:`[-v_{\max}, v_{\max}]`:
        for a callable ``f0`` the mass on :math:`v_{\max} < |v| < 3v_{\max}`,
        for an array the mass in the two outermost velocity cells on each
        side (a proxy); above it, ``ValueError``. The same bound on the
        edge mass during the run (``edge_mass``) decides ``success``.
    n_modes : int
        Number of Fourier modes of :math:`E` recorded in ``field_modes``
        (>= 1, at most ``nx // 2``).

    Returns
    -------
    VlasovResult

    References
    ----------
    Cheng and Knorr (1976): see the module.

    Examples
    --------
    >>> k = 0.5
    >>> grid = make_phase_space_grid(16, 64, 2 * np.pi / k, 6.0)
    >>> res = solve_vlasov_poisson(make_landau(0.01, k), grid, dt=0.1, n_steps=20)
    >>> bool(res.success), bool(res.mass_error < 1e-13), bool(res.field_energy[-1] < res.field_energy[0])
    (True, True, True)
    """
    grid = _check_grid(grid)
    dt = check_positive("dt", dt)
    n_steps = check_int("n_steps", n_steps, 1)
    box_tol = check_positive("box_tol", box_tol)
    method = check_choice("method", method, tuple(_V_SHIFTS))
    n_modes = check_int("n_modes", n_modes, 1)
    if n_modes > grid.nx // 2:
        raise ValueError(f"n_modes: must be an integer in [1, nx // 2] = [1, {grid.nx // 2}], got {n_modes}")
    save_idx = _save_indices(save_times, dt, n_steps)
    f = _initial_datum(f0, grid, box_tol)

    nx, nv, dx, dv = grid.nx, grid.nv, grid.dx, grid.dv
    v = grid.v
    kx = grid.k
    theta = 2.0 * np.pi * fft.rfftfreq(nv)  # kappa dv
    v_shift = _V_SHIFTS[method](theta)
    half_shift = np.exp(-1j * np.outer(kx, v) * (0.5 * dt))  # X_{dt/2}: f(x - v dt/2)
    cell = dx * dv
    v2 = 0.5 * v * v
    edge = [0, 1, nv - 2, nv - 1]

    def field_from_F(F):
        return _field_hat(F.sum(axis=1) * dv, kx, nx)

    n_t = n_steps + 1
    diag = {name: np.empty(n_t) for name in
            ("field_energy", "kinetic_energy", "mass", "momentum", "l2", "entropy", "min_f", "edge")}
    modes = np.empty((n_t, n_modes))
    saved, wanted = {}, set(save_idx.tolist())

    def record(n, f, E_hat):
        E = fft.irfft(E_hat, nx)
        fv = f.sum(axis=0)
        diag["mass"][n] = cell * fv.sum()
        diag["momentum"][n] = cell * (fv @ v)
        diag["kinetic_energy"][n] = cell * (fv @ v2)
        diag["field_energy"][n] = 0.5 * dx * (E @ E)
        diag["l2"][n] = np.sqrt(cell * np.sum(f * f))
        diag["entropy"][n] = cell * special.xlogy(f, np.abs(f)).sum()
        diag["min_f"][n] = f.min()
        diag["edge"][n] = cell * np.abs(f[:, edge]).sum()
        modes[n] = 2.0 * np.abs(E_hat[1 : n_modes + 1]) / nx
        if n in wanted:
            saved[n] = f.copy()
        return E

    F = fft.rfft(f, axis=0)
    E = record(0, f, field_from_F(F))
    success, message, done = True, f"{n_steps} steps completed", 0
    for n in range(1, n_steps + 1):
        F *= half_shift
        fs = fft.irfft(F, nx, axis=0)
        E_star = fft.irfft(field_from_F(F), nx)
        g = fft.rfft(fs, axis=1)
        g *= v_shift(E_star * dt / dv)  # V_dt: f(x, v + E dt), periodic on the box
        fs = fft.irfft(g, nv, axis=1)
        F = fft.rfft(fs, axis=0)
        F *= half_shift
        f_new = fft.irfft(F, nx, axis=0)
        if not np.all(np.isfinite(F)):
            success, message = False, f"step {n}: non-finite values; stopped"
            break
        f, done = f_new, n
        E = record(n, f, field_from_F(F))

    m = done + 1
    mass = diag["mass"][:m]
    edge_mass = diag["edge"][:m] / mass[0]
    if success and edge_mass.max() > box_tol:
        success = False
        message = (f"{done} steps completed, but the relative mass at v = +-vmax reached "
                   f"{edge_mass.max():.3g} > box_tol = {box_tol:.3g} (t = {dt * edge_mass.argmax():.4g}): "
                   "the periodic velocity shift is no longer harmless; enlarge vmax")
    keep = [i for i in sorted(set(save_idx.tolist())) if i <= done]
    t_saved = np.array([i * dt for i in keep])
    f_saved = np.array([saved[i] for i in keep]) if keep else np.zeros((0, nx, nv))
    ke, fe = diag["kinetic_energy"][:m], diag["field_energy"][:m]
    return VlasovResult(
        t=dt * np.arange(m), field_energy=fe, kinetic_energy=ke, total_energy=ke + fe,
        mass=mass, momentum=diag["momentum"][:m], l2_norm=diag["l2"][:m],
        entropy=diag["entropy"][:m], min_f=diag["min_f"][:m], field_modes=modes[:m],
        t_saved=t_saved, f_saved=f_saved, f=f, E=E, edge_mass=edge_mass, grid=grid, dt=dt, method=method,
        n_steps=done,
        success=success, message=message,
    )


# --- diagnostics -------------------------------------------------------------------------

@dataclass(frozen=True)
class WaveFit:
    r"""Damping/growth rate and frequency of a wave (:func:`fit_wave`).

    Attributes
    ----------
    gamma : float
        Rate :math:`\gamma` of the *amplitude* :math:`|E|\propto e^{\gamma t}`
        (< 0: damping). For ``quantity="energy"`` the fitted slope of
        :math:`\log W` is :math:`2\gamma`.
    omega : float
        :math:`\pi/\bar s`, :math:`\bar s` the mean spacing of the peaks
        (least-squares slope of peak time against peak index); NaN when the
        window holds fewer than two peaks (``message`` says so).
    slope, intercept : float
        The straight line :math:`\log y \approx \text{slope}\cdot t + \text{intercept}` fitted.
    window : tuple of float
        The fit window :math:`[t_{\min}, t_{\max}]`.
    peak_times, peak_values : ndarray, shape (n_peaks,)
        Peaks of :math:`\log y` in the window, refined by a parabola through
        the three samples around each discrete maximum (``peak_values`` are
        the refined values of :math:`y`).
    method, quantity : str
    success : bool
    message : str
    """

    gamma: float
    omega: float
    slope: float
    intercept: float
    window: tuple
    peak_times: np.ndarray
    peak_values: np.ndarray
    method: str
    quantity: str
    success: bool
    message: str

    @property
    def n_peaks(self) -> int:
        """Number of peaks in the window."""
        return int(self.peak_times.size)


_FIT_METHODS = ("peaks", "all")
_QUANTITIES = ("energy", "amplitude")


def fit_wave(t, y, *, window, method="peaks", quantity="energy") -> WaveFit:
    r"""Fit :math:`y \propto e^{p\gamma t}|\cos(\omega t + \theta)|^p` on a time window.

    ``quantity="energy"`` (:math:`p = 2`, e.g. the field energy
    :math:`\tfrac12\int E^2`) or ``"amplitude"`` (:math:`p = 1`, e.g. a
    Fourier amplitude of :math:`E`). The peaks of :math:`\log y` are found by
    :func:`scipy.signal.find_peaks` and refined by a parabola through the
    three samples around each; consecutive peaks are :math:`\pi/\omega`
    apart whatever :math:`p`.

    * ``method="peaks"``: least squares of :math:`\log y` *at the peaks*
      against the peak times (damped or growing oscillations; needs >= 2 peaks);
    * ``method="all"``: least squares of :math:`\log y` at *every* sample of
      the window (a non-oscillating growth, e.g. the two-stream mode).

    Then :math:`\gamma = \text{slope}/p`.

    Parameters
    ----------
    t : array_like, shape (n,)
        Uniformly spaced, increasing times.
    y : array_like, shape (n,)
        Positive values.
    window : (float, float)
        Fit window :math:`t_{\min} < t_{\max}` inside ``[t[0], t[-1]]``.
    method : {"peaks", "all"}
    quantity : {"energy", "amplitude"}

    Returns
    -------
    WaveFit

    Examples
    --------
    >>> t = np.linspace(0, 40, 4001)
    >>> fit = fit_wave(t, np.exp(-0.3 * t) * np.cos(1.4 * t) ** 2, window=(2, 38))
    >>> round(fit.gamma, 6), round(fit.omega, 6)
    (-0.15, 1.4)
    """
    method = check_choice("method", method, _FIT_METHODS)
    quantity = check_choice("quantity", quantity, _QUANTITIES)
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    if t.ndim != 1 or t.size < 5:
        raise ValueError(f"t: expected a 1-D array of at least 5 times, got shape {t.shape}")
    if y.shape != t.shape:
        raise ValueError(f"y: expected shape {t.shape} (that of t), got {y.shape}")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(y))):
        raise ValueError("t, y: contain NaN or infinite entries")
    h = np.diff(t)
    if not (np.all(h > 0) and np.ptp(h) <= 1e-8 * h.mean()):
        raise ValueError("t: must be increasing and uniformly spaced")
    try:
        t_min, t_max = (float(w) for w in window)
    except (TypeError, ValueError):
        raise TypeError(f"window: expected a pair (t_min, t_max), got {window!r}") from None
    if not (t[0] <= t_min < t_max <= t[-1]):
        raise ValueError(f"window: must satisfy {t[0]} <= t_min < t_max <= {t[-1]}, got ({t_min}, {t_max})")
    inside = (t >= t_min) & (t <= t_max)
    if np.any(y[inside] <= 0):
        raise ValueError("y: must be > 0 in the window (its logarithm is fitted)")
    p = 2.0 if quantity == "energy" else 1.0
    ly = np.log(np.where(y > 0, y, 1.0))

    idx, _ = signal.find_peaks(ly)
    idx = idx[inside[idx]]
    lm, l0, lp = ly[idx - 1], ly[idx], ly[idx + 1]
    curv = lm - 2.0 * l0 + lp
    delta = np.where(curv < 0, 0.5 * (lm - lp) / np.where(curv < 0, curv, -1.0), 0.0)
    peak_t = t[idx] + delta * h[0]
    peak_l = l0 - 0.25 * (lm - lp) * delta
    n_peaks = idx.size

    if method == "peaks":
        if n_peaks < 2:
            raise ValueError(
                f"window: only {n_peaks} peak(s) of log(y) in [{t_min}, {t_max}]; method='peaks' "
                "needs at least 2 (widen the window or use method='all')"
            )
        slope, intercept = np.polyfit(peak_t, peak_l, 1)
    else:
        slope, intercept = np.polyfit(t[inside], ly[inside], 1)
    if n_peaks >= 2:
        spacing = np.polyfit(np.arange(n_peaks), peak_t, 1)[0]
        omega = np.pi / spacing
        message = f"{method} fit over [{t_min}, {t_max}] with {n_peaks} peaks"
    else:
        omega = np.nan
        message = f"{method} fit over [{t_min}, {t_max}]; fewer than two peaks: omega is NaN (no oscillation seen)"
    return WaveFit(
        gamma=float(slope / p), omega=float(omega), slope=float(slope), intercept=float(intercept),
        window=(t_min, t_max), peak_times=peak_t, peak_values=np.exp(peak_l), method=method,
        quantity=quantity, success=True, message=message,
    )


# --- linear theory -----------------------------------------------------------------------

def plasma_dispersion(zeta):
    r"""Fried--Conte plasma dispersion function :math:`Z(\zeta) = i\sqrt\pi\,w(\zeta)`.

    :math:`w(z) = e^{-z^2}\operatorname{erfc}(-iz)` is
    :func:`scipy.special.wofz`; this is Landau's analytic continuation, valid
    in the whole complex plane. :math:`Z'(\zeta) = -2(1 + \zeta Z(\zeta))`.

    Examples
    --------
    >>> complex(plasma_dispersion(0.0)) == 1j * np.sqrt(np.pi)
    True
    """
    zeta = np.asarray(zeta, dtype=complex)
    if not np.all(np.isfinite(zeta)):
        raise ValueError("zeta: contains NaN or infinite entries")
    return 1j * _SQRTPI * special.wofz(zeta)


def _beams(densities, drifts, thermal_speeds):
    n = np.atleast_1d(np.asarray(densities, dtype=float))
    u = np.atleast_1d(np.asarray(drifts, dtype=float))
    vt = np.atleast_1d(np.asarray(thermal_speeds, dtype=float))
    if n.ndim != 1 or n.size < 1:
        raise ValueError(f"densities: expected a non-empty 1-D array, got shape {n.shape}")
    for name, arr in (("drifts", u), ("thermal_speeds", vt)):
        if arr.shape != n.shape:
            raise ValueError(f"{name}: expected shape {n.shape} (that of densities), got {arr.shape}")
    for name, arr in (("densities", n), ("drifts", u), ("thermal_speeds", vt)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}: contains NaN or infinite entries")
    if np.any(n <= 0):
        raise ValueError("densities: every density must be > 0")
    if np.any(vt <= 0):
        raise ValueError("thermal_speeds: every thermal speed must be > 0")
    return n, u, vt


def _dielectric_and_derivative(omega, k, n, u, vt):
    zeta = (omega - k * u) / (np.sqrt(2.0) * k * vt)
    Z = 1j * _SQRTPI * special.wofz(zeta)
    one_zZ = 1.0 + zeta * Z
    coef = n / (k * vt) ** 2
    eps = 1.0 + np.sum(coef * one_zZ)
    # d/dzeta (zeta Z) = Z + zeta Z' = Z - 2 zeta (1 + zeta Z)
    deps = np.sum(coef * (Z - 2.0 * zeta * one_zZ) / (np.sqrt(2.0) * k * vt))
    return complex(eps), complex(deps)


def dielectric(omega, k, *, densities=(1.0,), drifts=(0.0,), thermal_speeds=(1.0,)):
    r"""Dielectric function of a sum of drifting Maxwellians (electrons, fixed ions).

    .. math::

        \epsilon(\omega, k) = 1 + \sum_s \frac{n_s}{k^2 v_{t,s}^2}\big[1 + \zeta_s Z(\zeta_s)\big],
        \qquad \zeta_s = \frac{\omega - k u_s}{\sqrt2\,k\,v_{t,s}}.

    Zeros in :math:`\omega` (for fixed real :math:`k > 0`) are the modes
    :math:`e^{i(kx - \omega t)}`; :math:`\operatorname{Im}\omega < 0` is
    damping.

    Parameters
    ----------
    omega : complex or array_like of complex
    k : float
        Wavenumber, > 0.
    densities, drifts, thermal_speeds : array_like, shape (S,)
        :math:`n_s > 0`, :math:`u_s`, :math:`v_{t,s} > 0` of each Maxwellian.

    Returns
    -------
    complex or ndarray of complex

    Examples
    --------
    >>> abs(dielectric(1.4156618886 - 0.1533594669j, 0.5)) < 1e-9
    True
    """
    k = check_positive("k", k)
    n, u, vt = _beams(densities, drifts, thermal_speeds)
    omega = np.asarray(omega, dtype=complex)
    if not np.all(np.isfinite(omega)):
        raise ValueError("omega: contains NaN or infinite entries")
    zeta = (omega[..., None] - k * u) / (np.sqrt(2.0) * k * vt)
    eps = 1.0 + np.sum(n / (k * vt) ** 2 * (1.0 + zeta * plasma_dispersion(zeta)), axis=-1)
    return complex(eps) if eps.ndim == 0 else eps


@dataclass(frozen=True)
class DispersionRoot:
    r"""A zero of the dielectric function (:func:`solve_dispersion`).

    Attributes
    ----------
    k : float
    omega : complex
        :math:`\omega_r + i\gamma`.
    omega_r, gamma : float
        Real part (frequency) and imaginary part (growth rate of the
        amplitude; < 0 damping; the field energy grows at :math:`2\gamma`).
    residual : float
        :math:`|\epsilon(\omega, k)|` (inf if Newton left the range of ``wofz``).
    n_iter : int
        Newton iterations.
    success : bool
        Newton converged and :math:`|\epsilon| < 10^{-8}`; otherwise
        ``omega`` is the last iterate (possibly NaN) and ``message`` says why.
    message : str
    """

    k: float
    omega: complex
    omega_r: float
    gamma: float
    residual: float
    n_iter: int
    success: bool
    message: str


def solve_dispersion(k, omega0, *, densities=(1.0,), drifts=(0.0,), thermal_speeds=(1.0,),
                     tol=1e-12, max_iter=100) -> DispersionRoot:
    r"""Newton's method on complex :math:`\omega` for :math:`\epsilon(\omega, k) = 0`.

    Uses :func:`scipy.optimize.newton` with the analytic derivative
    :math:`\partial_\omega\epsilon = \sum_s \frac{n_s}{k^2v_{t,s}^2}
    \frac{Z(\zeta_s) - 2\zeta_s(1 + \zeta_sZ(\zeta_s))}{\sqrt2 k v_{t,s}}`;
    the root found is the one Newton converges to from ``omega0``.

    Parameters
    ----------
    k : float
        Wavenumber, > 0.
    omega0 : complex
        Initial guess.
    densities, drifts, thermal_speeds : array_like
        As in :func:`dielectric`.
    tol : float
        Step tolerance on :math:`|\omega_{n+1} - \omega_n|`, > 0.
    max_iter : int
        >= 1.

    Returns
    -------
    DispersionRoot
    """
    k = check_positive("k", k)
    n, u, vt = _beams(densities, drifts, thermal_speeds)
    omega0 = complex(omega0)
    if not np.isfinite(omega0):
        raise ValueError(f"omega0: must be finite, got {omega0}")
    tol = check_positive("tol", tol)
    max_iter = check_int("max_iter", max_iter, 1)
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
        warnings.simplefilter("always")
        root, info = optimize.newton(
            lambda w: _dielectric_and_derivative(w, k, n, u, vt)[0], omega0,
            fprime=lambda w: _dielectric_and_derivative(w, k, n, u, vt)[1],
            tol=tol, maxiter=max_iter, full_output=True, disp=False,
        )
        root = complex(root)
        residual = abs(_dielectric_and_derivative(root, k, n, u, vt)[0]) if np.isfinite(root) else np.inf
    success = bool(info.converged) and np.isfinite(residual) and residual < 1e-8
    if success:
        message = f"Newton converged in {info.iterations} iterations, |eps| = {residual:.2e}"
    else:
        why = "; ".join(str(w.message) for w in caught) or info.flag
        message = f"Newton did not converge from omega0 = {omega0} ({why}); try another omega0"
    return DispersionRoot(k=k, omega=root, omega_r=root.real, gamma=root.imag, residual=float(residual),
                          n_iter=int(info.iterations), success=success, message=message)


def landau_root(k, *, vt=1.0, omega0=None, tol=1e-12, max_iter=100) -> DispersionRoot:
    r"""Least-damped Langmuir root of :math:`1 + \frac{1}{k^2v_t^2}[1 + \zeta Z(\zeta)] = 0`.

    :math:`\zeta = \omega/(\sqrt2 k v_t)`. The default guess is the
    small-:math:`k` asymptotics (Bohm--Gross and Landau)

    .. math::

        \omega_r^2 \approx 1 + 3k^2v_t^2, \qquad
        \gamma \approx -\sqrt{\pi/8}\,(k v_t)^{-3}\exp\big(-\tfrac{1}{2k^2v_t^2} - \tfrac32\big),

    good for :math:`kv_t \lesssim 1`; pass ``omega0`` beyond.

    Parameters
    ----------
    k : float
        Wavenumber, > 0.
    vt : float
        Thermal speed, > 0.
    omega0 : complex, optional
        Initial guess.
    tol, max_iter
        As in :func:`solve_dispersion`.

    Returns
    -------
    DispersionRoot

    Examples
    --------
    >>> r = landau_root(0.5)
    >>> round(r.omega_r, 4), round(r.gamma, 4)
    (1.4157, -0.1534)
    """
    k = check_positive("k", k)
    vt = check_positive("vt", vt)
    if omega0 is None:
        kl = k * vt
        omega0 = complex(np.sqrt(1.0 + 3.0 * kl**2),
                         -np.sqrt(np.pi / 8.0) / kl**3 * np.exp(-0.5 / kl**2 - 1.5))
    return solve_dispersion(k, omega0, densities=(1.0,), drifts=(0.0,), thermal_speeds=(vt,),
                            tol=tol, max_iter=max_iter)


def two_stream_root(k, v0, *, vt=1.0, omega0=None, tol=1e-12, max_iter=100) -> DispersionRoot:
    r"""Two-stream root for beams of density :math:`\tfrac12` at :math:`\pm v_0`, thermal speed :math:`v_t`.

    .. math::

        1 + \frac{1}{2k^2v_t^2}\sum_\pm\big[1 + \zeta_\pm Z(\zeta_\pm)\big] = 0,
        \qquad \zeta_\pm = \frac{\omega \mp kv_0}{\sqrt2\,kv_t}.

    The default guess is the cold-beam root
    :math:`\omega^2 = a^2 + \tfrac12 - \tfrac12\sqrt{1 + 8a^2}`,
    :math:`a = kv_0` (unstable, :math:`\omega = i\gamma_{\rm cold}`, for
    :math:`a < 1`), i.e. ``omega0 = 1j * max(gamma_cold, 0.05)``. By symmetry the
    unstable root is purely imaginary. Classic case: :math:`v_0 = 2.4`,
    :math:`v_t = 1`, :math:`k = 0.2`: :math:`\gamma = 0.225844`.

    Parameters
    ----------
    k : float
        Wavenumber, > 0.
    v0 : float
        Beam speed, >= 0.
    vt : float
        Thermal speed, > 0.
    omega0 : complex, optional
    tol, max_iter
        As in :func:`solve_dispersion`.

    Returns
    -------
    DispersionRoot

    Examples
    --------
    >>> round(two_stream_root(0.2, 2.4).gamma, 5)
    0.22584
    """
    k = check_positive("k", k)
    v0 = _as_real("v0", v0)
    if v0 < 0:
        raise ValueError(f"v0: must be >= 0, got {v0}")
    vt = check_positive("vt", vt)
    if omega0 is None:
        a2 = (k * v0) ** 2
        w2 = a2 + 0.5 - 0.5 * np.sqrt(1.0 + 8.0 * a2)
        omega0 = 1j * max(np.sqrt(max(-w2, 0.0)), 0.05)
    return solve_dispersion(k, omega0, densities=(0.5, 0.5), drifts=(v0, -v0), thermal_speeds=(vt, vt),
                            tol=tol, max_iter=max_iter)


# --- BGK modes (Schamel family) ----------------------------------------------------------

_NSER = 22  # |y| <= 1: the terms 2^n / (2n+1)!! fall below 1e-19 by n = 22
_DFACT = np.cumprod(np.r_[1.0, 2.0 * np.arange(1, _NSER) + 1.0])  # (2n+1)!!, n = 0.._NSER-1
_H_COEF = 2.0 / _SQRTPI * 2.0 ** np.arange(_NSER) / _DFACT  # h(y) = sum_n c_n y^n
_Q_COEF = _H_COEF[1:]  # q(y) = sum_{n>=1} c_n y^(n-1)
# erfcx(s) = sum_n (-s)^n / Gamma(n/2 + 1)
_ERFCX_COEF = (-1.0) ** np.arange(2, 32) / special.gamma(np.arange(2, 32) / 2 + 1)
# composite Gauss--Legendre on [0, pi] for the half period, panels graded towards theta = 0
# (near the solitary limit the integrand varies on a scale sqrt(A - 1) there)
_GL_S, _GL_WS = np.polynomial.legendre.leggauss(16)
_GL_EDGES = np.r_[0.0, np.pi * 2.0 ** -np.arange(34, -1, -1.0)]
_GL_T = (0.5 * (_GL_EDGES[:-1] + _GL_EDGES[1:])[:, None]
         + 0.5 * np.diff(_GL_EDGES)[:, None] * _GL_S).ravel()
_GL_W = (0.5 * np.diff(_GL_EDGES)[:, None] * _GL_WS).ravel()
_GL8_S, _GL8_W = np.polynomial.legendre.leggauss(8)
_GL8_S, _GL8_W = 0.5 * (_GL8_S + 1.0), 0.5 * _GL8_W
_GL32_S, _GL32_W = np.polynomial.legendre.leggauss(32)
_GL32_S, _GL32_W = 0.5 * (_GL32_S + 1.0), 0.5 * _GL32_W
_TRAP_H = 0.02  # trapezoid step in v for the smoothed densities
_TRAP_TAIL = 42.0  # e^{-42} ~ 6e-19: energy beyond which g is negligible


def _h(y):
    r""":math:`h(y) = e^y\operatorname{erf}(\sqrt y)/\sqrt y
    = \frac2{\sqrt\pi}\sum_n \frac{(2y)^n}{(2n+1)!!}` (entire)."""
    small = np.abs(y) <= 1.0
    ys = np.where(small, y, 0.0)
    series = np.polynomial.polynomial.polyval(ys, _H_COEF)
    yp = np.where(y > 1.0, y, 1.0)
    ym = np.where(y < -1.0, -y, 1.0)
    pos = np.exp(yp) * special.erf(np.sqrt(yp)) / np.sqrt(yp)
    neg = 2.0 / _SQRTPI * special.dawsn(np.sqrt(ym)) / np.sqrt(ym)
    return np.where(small, series, np.where(y > 0, pos, neg))


def _q(y):
    r""":math:`q(y) = [e^y\operatorname{erf}\sqrt y - 2\sqrt{y/\pi}]/y^{3/2}
    = \frac2{\sqrt\pi}\sum_{n\ge1}\frac{2^n y^{n-1}}{(2n+1)!!}` (entire)."""
    small = np.abs(y) <= 1.0
    ys = np.where(small, y, 0.0)
    series = np.polynomial.polynomial.polyval(ys, _Q_COEF)
    yp = np.where(y > 1.0, y, 1.0)
    ym = np.where(y < -1.0, -y, 1.0)
    pos = (np.exp(yp) * special.erf(np.sqrt(yp)) - 2.0 * np.sqrt(yp / np.pi)) / yp**1.5
    Y = np.sqrt(ym)
    neg = 2.0 / _SQRTPI * (Y - special.dawsn(Y)) / Y**3
    return np.where(small, series, np.where(y > 0, pos, neg))


def _g_unit(eps, beta, delta):
    """Schamel distribution with A = 1 (delta = 0: the kinked one; delta > 0: smoothed)."""
    if delta == 0:
        return np.exp(-np.where(eps >= 0, eps, beta * eps)) / _SQRT2PI
    return np.exp(-eps + (beta - 1.0) * delta * np.logaddexp(0.0, -eps / delta)) / _SQRT2PI


def _n_closed(phi, beta):
    """Density of the kinked Schamel distribution, A = 1 (Boltzmann e^phi below phi = 0)."""
    p = np.maximum(phi, 0.0)
    sp = np.sqrt(p)
    return np.where(phi >= 0, special.erfcx(sp) + sp * _h(beta * p), np.exp(np.minimum(phi, 0.0)))


def _M_closed(phi, beta):
    """(int_0^phi n) / phi of the kinked distribution for phi > 0, without cancellation (-> 1 at 0)."""
    sp = np.sqrt(phi)
    small = sp <= 0.5
    ss = np.where(small, sp, 0.0)
    # (erfcx(s) - 1 + 2 s / sqrt(pi)) / s^2 = sum_{n >= 2} (-s)^(n-2) / Gamma(n/2 + 1)
    series = np.polynomial.polynomial.polyval(ss, _ERFCX_COEF)
    sl = np.where(small, 1.0, sp)
    closed = (special.erfcx(sl) - 1.0 + 2.0 * sl / _SQRTPI) / (sl * sl)
    return np.where(small, series, closed) + sp * _q(beta * phi)


def _n_trapezoid(phi, beta, delta):
    r""":math:`n(\phi) = 2\int_0^\infty g(v^2/2 - \phi)\,dv` by the trapezoid rule (A = 1).

    For analytic, rapidly decaying even integrands the rule is exponentially
    accurate: the error is about :math:`e^{-2\pi d/h}` with :math:`d\approx\pi\delta/\sqrt{2\phi}`
    the half-width of the strip of analyticity in :math:`v`.
    """
    phi = np.asarray(phi, dtype=float)
    top = np.sqrt(2.0 * (max(float(np.max(phi, initial=0.0)), 0.0) + _TRAP_TAIL))
    vq = _TRAP_H * np.arange(int(np.ceil(top / _TRAP_H)) + 1)
    w = np.full(vq.size, 2.0 * _TRAP_H)
    w[0] = _TRAP_H
    flat = phi.ravel()
    out = np.empty(flat.size)
    for start in range(0, flat.size, 2048):  # bound the (chunk, n_v) temporaries
        ph = flat[start : start + 2048, None]
        out[start : start + 2048] = _g_unit(0.5 * vq * vq - ph, beta, delta) @ w
    return out.reshape(phi.shape)


class _DensityModel:
    r""":math:`n_1(\phi)` and :math:`M_1(\phi) = \int_0^\phi n_1/\phi` on :math:`[0, \psi]` (:math:`A = 1`).

    ``delta = 0``: closed forms. ``delta > 0``: Chebyshev interpolants of
    :math:`n_1` (trapezoid values at first-kind Chebyshev points, degree
    doubled from 32 until the trailing coefficients fall below
    :math:`10^{-13}`), integrated exactly; :math:`M_1` is interpolated from
    those values (the points avoid :math:`\phi = 0`) so that it carries no
    cancellation near 0.
    """

    def __init__(self, beta, delta, psi):
        self.beta, self.delta, self.psi = beta, delta, psi
        if delta == 0:
            return
        for m in (32, 64, 128, 256):
            t = np.cos(np.pi * (np.arange(m) + 0.5) / m)
            phi = 0.5 * psi * (1.0 - t)
            n_cheb = np.polynomial.Chebyshev.fit(phi, _n_trapezoid(phi, beta, delta), m - 1, domain=[0.0, psi])
            tail = np.max(np.abs(n_cheb.coef[-4:]))
            if tail < 1e-13 * np.max(np.abs(n_cheb.coef)):
                break
        N_cheb = n_cheb.integ(lbnd=0.0)
        self._n = n_cheb
        self._M = np.polynomial.Chebyshev.fit(phi, N_cheb(phi) / phi, m - 1, domain=[0.0, psi])

    def n(self, phi):
        return _n_closed(phi, self.beta) if self.delta == 0 else self._n(phi)

    def M(self, phi):
        return _M_closed(phi, self.beta) if self.delta == 0 else self._M(phi)

    def N(self, phi):
        return phi * self.M(phi)


def _check_family(beta, phi, smoothing):
    beta = _as_real("beta", beta)
    smoothing = _as_real("smoothing", smoothing)
    if smoothing < 0:
        raise ValueError(f"smoothing: must be >= 0, got {smoothing}")
    phi = np.asarray(phi, dtype=float)
    if not np.all(np.isfinite(phi)):
        raise ValueError("phi: contains NaN or infinite entries")
    if phi.size and beta * float(np.max(phi, initial=0.0)) > 700.0:
        raise ValueError(f"beta: beta * max(phi) must be <= 700 (exp overflow), got {beta * np.max(phi):.3g}")
    return beta, phi, smoothing


def schamel_distribution(eps, beta, norm=1.0, smoothing=0.0):
    r"""Schamel's standing-hole distribution :math:`g(\varepsilon)`, optionally smoothed (module docstring).

    .. math::

        g_0(\varepsilon) = \frac{A}{\sqrt{2\pi}}\,e^{-\varepsilon}\ (\varepsilon\ge 0),
        \quad \frac{A}{\sqrt{2\pi}}\,e^{-\beta\varepsilon}\ (\varepsilon < 0); \qquad
        g_\delta(\varepsilon) = \frac{A}{\sqrt{2\pi}}
            \exp\big(-\varepsilon + (\beta - 1)\,\delta\log(1 + e^{-\varepsilon/\delta})\big),

    :math:`\varepsilon = \tfrac12v^2 - \phi` with the gauge
    :math:`\phi_{\min} = 0` (separatrix :math:`\varepsilon = 0`).
    :math:`g_\delta\to g_0` as :math:`\delta\to 0`, uniformly (the
    difference is at most a factor :math:`2^{|\beta-1|\delta}`, at the
    separatrix); :math:`g_\delta` is analytic, :math:`g_0` has a kink.

    Parameters
    ----------
    eps : array_like
        Energies.
    beta : float
        Trapped-particle inverse temperature (:math:`\beta < 0`: a hole;
        :math:`\beta = 1`: the Maxwellian :math:`Ae^{-\varepsilon}/\sqrt{2\pi}`).
    norm : float
        :math:`A > 0`.
    smoothing : float
        :math:`\delta \ge 0` (an energy).

    Examples
    --------
    >>> bool(schamel_distribution(0.0, -3.0, 2.0) == 2.0 / np.sqrt(2 * np.pi))
    True
    """
    beta, _, smoothing = _check_family(beta, 0.0, smoothing)
    norm = check_positive("norm", norm)
    eps = np.asarray(eps, dtype=float)
    if not np.all(np.isfinite(eps)):
        raise ValueError("eps: contains NaN or infinite entries")
    if eps.size and -beta * float(np.min(eps, initial=0.0)) > 700.0:
        raise ValueError("beta: -beta * min(eps) must be <= 700 (exp overflow)")
    return norm * _g_unit(eps, beta, smoothing)


def schamel_density(phi, beta, norm=1.0, smoothing=0.0):
    r"""Density :math:`n(\phi) = \int g(\tfrac12v^2 - \phi)\,dv` of :func:`schamel_distribution`.

    For :math:`\delta = 0` in closed form:

    .. math::

        n(\phi) = A\Big[e^\phi\operatorname{erfc}\sqrt\phi + \sqrt\phi\,h(\beta\phi)\Big]
        \ (\phi\ge0), \qquad n(\phi) = Ae^\phi\ (\phi < 0,\ \text{no trapped electrons}),

    :math:`h(y) = e^y\operatorname{erf}(\sqrt y)/\sqrt y`, evaluated by its
    power series for :math:`|y|\le1`, by ``erf`` (:math:`y > 1`) or Dawson's
    function (:math:`y < -1`) otherwise. For :math:`\delta > 0` by the
    trapezoid rule in :math:`v` (step 0.02; exponentially accurate for this
    analytic integrand).

    Examples
    --------
    >>> phi = np.array([-0.5, 0.0, 0.3, 2.0])
    >>> np.allclose(schamel_density(phi, 1.0), np.exp(phi))  # beta = 1: Boltzmann
    True
    >>> np.allclose(schamel_density(phi, 1.0, smoothing=0.2), np.exp(phi))
    True
    """
    beta, phi, smoothing = _check_family(beta, phi, smoothing)
    norm = check_positive("norm", norm)
    if smoothing == 0:
        return norm * _n_closed(phi, beta)
    return norm * _n_trapezoid(phi, beta, smoothing)


def sagdeev_potential(phi, beta, norm=1.0, smoothing=0.0):
    r"""Sagdeev pseudo-potential :math:`\mathcal V(\phi) = -\int_0^\phi (n(s) - 1)\,ds` of the Schamel density.

    For :math:`\delta = 0`,

    .. math::

        \mathcal V(\phi) = \phi - A\Big[e^\phi\operatorname{erfc}\sqrt\phi - 1
            + 2\sqrt{\phi/\pi} + \phi^{3/2}q(\beta\phi)\Big]\ (\phi\ge 0),
        \qquad \phi - A(e^\phi - 1)\ (\phi < 0),

    :math:`q(y) = [e^y\operatorname{erf}\sqrt y - 2\sqrt{y/\pi}]/y^{3/2}`;
    for :math:`\delta > 0` the integral of :func:`schamel_density` by
    32-point Gauss--Legendre. :math:`\phi'' = n(\phi) - 1` reads
    :math:`\phi'' = -\mathcal V'(\phi)`. For ``beta = 1``, ``norm = 1``
    (Maxwellian) :math:`\mathcal V = \phi + 1 - e^\phi`, strictly concave:
    no periodic mode (module docstring).

    Examples
    --------
    >>> phi = np.linspace(-1, 2, 7)
    >>> np.allclose(sagdeev_potential(phi, 1.0), phi + 1 - np.exp(phi))
    True
    """
    beta, phi, smoothing = _check_family(beta, phi, smoothing)
    norm = check_positive("norm", norm)
    if smoothing == 0:
        p = np.maximum(phi, 0.0)
        N = np.where(phi >= 0, p * _M_closed(p, beta), np.expm1(np.minimum(phi, 0.0)))
    else:
        N = phi * (_n_trapezoid(phi[..., None] * _GL32_S, beta, smoothing) @ _GL32_W)
    return phi - norm * N


def _ratio(theta, model, A, psi):
    r""":math:`r(\theta) = w/(1 + \cos\theta)`, :math:`w = -\mathcal V(\phi)/\phi`,
    :math:`\phi = \psi(1 - \cos\theta)/2` (> 0 inside a well; finite at both ends).

    For :math:`\theta \le \pi/2`, :math:`w = A\,M_1(\phi) - 1` directly; for
    :math:`\theta > \pi/2`, :math:`-\mathcal V(\phi) = \int_\phi^\psi (1 - An)`
    (since :math:`\mathcal V(\psi) = 0`) gives
    :math:`r = \frac{\psi}{2\phi}\big(1 - A\,\overline{n}_{[\phi,\psi]}\big)`, the mean of
    :math:`n` by 8-point Gauss--Legendre: no cancellation as :math:`\phi\to\psi`.
    """
    theta = np.asarray(theta, dtype=float)
    c = np.cos(theta)
    phi = 0.5 * psi * (1.0 - c)
    left = theta <= 0.5 * np.pi
    pl = np.where(left, phi, 0.5 * psi)
    r_left = (A * model.M(pl) - 1.0) / (1.0 + np.where(left, c, 0.0))
    pr = np.where(left, psi, phi)
    mean_n = model.n(pr[..., None] + (psi - pr[..., None]) * _GL8_S) @ _GL8_W
    r_right = 0.5 * psi / pr * (1.0 - A * mean_n)
    return np.where(left, r_left, r_right)


def _half_period(beta, psi, delta):
    r"""Half period :math:`\int_0^\pi \tfrac12\sqrt{\psi/r(\theta)}\,d\theta` at (beta, psi)
    (inf where :math:`\mathcal V` has no well on :math:`(0, \psi)`), the model and :math:`A`."""
    model = _DensityModel(beta, delta, psi)
    A = 1.0 / float(model.M(psi))  # V(psi) = 0
    if not (A > 1.0 and 1.0 - A * float(model.n(psi)) > 0):  # V'(0) < 0 < V'(psi)
        return np.inf, model, A
    r = _ratio(_GL_T, model, A, psi)
    if not np.all(r > 0):
        return np.inf, model, A
    return float(0.5 * np.sqrt(psi / r) @ _GL_W), model, A


@dataclass(frozen=True)
class BGKMode:
    r"""A periodic BGK mode (standing electron holes, :func:`bgk_mode`).

    Attributes
    ----------
    k : float
        Wavenumber; the period is :math:`L = 2\pi/k` (``grid.L``).
    amplitude : float
        :math:`\psi = \phi_{\max} - \phi_{\min}`.
    beta, norm, smoothing : float
        :math:`\beta`, :math:`A` and :math:`\delta` of :func:`schamel_distribution`.
    grid : PhaseSpaceGrid
    f : ndarray, shape (nx, nv)
        :math:`g(\tfrac12v_j^2 - \phi(x_i))`; pass it with ``grid`` to
        :func:`solve_vlasov_poisson`.
    phi, E, n : ndarray, shape (nx,)
        Potential (gauge :math:`\phi_{\min} = \phi(0) = 0`, maximum
        :math:`\psi` at :math:`x = L/2`), field :math:`E = -\phi'`, density
        :math:`n(\phi(x))`.
    separatrix : ndarray, shape (nx,)
        :math:`v_s(x) = \sqrt{2\phi(x)}`: electrons with :math:`|v| < v_s` are trapped.
    shooting_residual : float
        :math:`|\theta(L/2) - \pi|/\pi` of the ``solve_ivp`` integration of
        the profile over the half period found by quadrature (step 4 of
        :func:`bgk_mode`).
    success : bool
    message : str
    """

    k: float
    amplitude: float
    beta: float
    norm: float
    smoothing: float
    grid: PhaseSpaceGrid
    f: np.ndarray
    phi: np.ndarray
    E: np.ndarray
    n: np.ndarray
    separatrix: np.ndarray
    shooting_residual: float
    success: bool
    message: str

    def g(self, eps):
        """The distribution :math:`g(\\varepsilon)` of the mode (:func:`schamel_distribution`)."""
        return schamel_distribution(eps, self.beta, self.norm, self.smoothing)


def bgk_mode(k, amplitude, *, smoothing=0.2, nx=64, nv=256, vmax=8.0, box_tol=1e-6, tol=1e-12) -> BGKMode:
    r"""Periodic BGK mode (a chain of standing electron holes) of wavenumber ``k`` and amplitude ``amplitude``.

    Self-consistency :math:`\phi'' = n(\phi) - 1` with the (smoothed)
    Schamel density (:func:`schamel_density`),
    :math:`0 = \phi_{\min} \le \phi \le \psi`:

    1. :math:`\mathcal V(\psi) = \mathcal V(0) = 0` gives
       :math:`A(\beta) = \psi/\int_0^\psi n_{A=1}`;
    2. the half period
       :math:`\int_0^\psi d\phi/\sqrt{-2\mathcal V(\phi)}` is computed with
       :math:`\phi = \psi(1 - \cos\theta)/2`, which removes both endpoint
       singularities (:math:`\mathcal V'(0) = 1 - A < 0`,
       :math:`\mathcal V'(\psi) > 0`) and leaves the smooth integrand
       :math:`\tfrac12\sqrt{\psi(1 + \cos\theta)/w}`,
       :math:`w = -\mathcal V(\phi)/\phi` (composite 16-point
       Gauss--Legendre on panels graded towards :math:`\theta = 0`, where
       :math:`w \to A - 1` may be small); it is infinite unless
       :math:`w > 0` on :math:`(0,\psi)`;
    3. as :math:`\beta` decreases from :math:`\beta_{\rm sol}` (where
       :math:`A = 1`: the solitary hole, infinite period) the period falls
       to a minimum :math:`L_{\min}(\psi)`; :func:`scipy.optimize.brentq`
       finds the first :math:`\beta` on this branch with half period
       :math:`\pi/k`;
    4. the profile: on the rising half :math:`\phi' = \sqrt{-2\mathcal V(\phi)}`,
       i.e. :math:`\theta' = 2\sqrt{w/(\psi(1 + \cos\theta))}` (computed without
       cancellation at both ends), :math:`\theta(0) = 0`, integrated by
       :func:`scipy.integrate.solve_ivp` (DOP853) from the trough over
       :math:`[0, L/2]` and mirrored, :math:`\phi(L - x) = \phi(x)`.
       Shooting must land on the crest, :math:`\theta(L/2) = \pi`
       (``shooting_residual``). (Shooting the second-order equation from
       :math:`\phi = \phi' = 0` instead loses digits like :math:`e^{L/2}`
       near the saddle :math:`\phi = 0` of long waves.)

    **Why smooth by default.** With :math:`\delta = 0` the distribution has
    a kink along the separatrix. For :math:`k = 0.5`, :math:`\psi = 1` on a
    :math:`32\times256` grid, the spectral residual
    (:func:`vlasov_residual`) of the exact kinked mode is 0.09 against
    :math:`7\times10^{-7}` for :math:`\delta = 0.2`, and in
    :func:`solve_vlasov_poisson` :math:`\|E\|_2` varies by 0.8% over
    :math:`t\in[0, 50]` against 0.15% (``dt = 0.1``; with
    ``method="spectral"`` the kink's ringing also reaches :math:`\pm v_{\max}`).
    The analytic :math:`g_\delta` is resolved when
    :math:`\pi\delta/\sqrt{2\psi} \gg \Delta v` and
    :math:`\pi\delta/\max|\phi'| \gg \Delta x`.

    Parameters
    ----------
    k : float
        Wavenumber, > 0 (one period :math:`L = 2\pi/k` in the box).
    amplitude : float
        :math:`\psi`, in ``(0, 50]``.
    smoothing : float
        :math:`\delta \ge 0` of :func:`schamel_distribution`.
    nx, nv, vmax
        The phase-space grid (:class:`PhaseSpaceGrid` with ``L = 2 pi / k``).
    box_tol : float
        As in :func:`solve_vlasov_poisson`.
    tol : float
        Relative tolerance of ``brentq`` on :math:`\beta` and of ``solve_ivp``, > 0.

    Returns
    -------
    BGKMode

    Raises
    ------
    ValueError
        If no mode of the family has that period at that amplitude: the
        period is bounded below by a minimum :math:`L_{\min}(\psi)`, so
        ``k`` must stay below :math:`2\pi/L_{\min}` (e.g. :math:`k < 0.86`
        for :math:`\psi = 1`, :math:`\delta = 0`).

    Examples
    --------
    >>> mode = bgk_mode(0.5, 1.0, nx=32, nv=128)
    >>> round(float(mode.phi.max()), 9), mode.success, bool(mode.beta < 0)
    (1.0, True, True)
    """
    k = check_positive("k", k)
    psi = check_positive("amplitude", amplitude)
    if psi > 50.0:
        raise ValueError(f"amplitude: must lie in (0, 50] (trapped speeds sqrt(2 psi) up to 10), got {psi}")
    smoothing = _as_real("smoothing", smoothing)
    if smoothing < 0:
        raise ValueError(f"smoothing: must be >= 0, got {smoothing}")
    tol = check_positive("tol", tol)
    box_tol = check_positive("box_tol", box_tol)
    grid = PhaseSpaceGrid(nx, nv, 2.0 * np.pi / k, vmax)
    target = 0.5 * grid.L

    # 1. the solitary limit A(beta_sol) = 1, i.e. N(psi, beta) = psi (N increases with beta)
    def excess(b):
        if smoothing == 0:
            return float(_M_closed(np.array(psi), b)) - 1.0
        return float(_n_trapezoid(psi * _GL32_S, b, smoothing) @ _GL32_W) - 1.0

    lo = -10.0 / psi
    while excess(lo) >= 0:  # N(psi, -inf) < psi for every psi > 0 (module docstring)
        lo *= 10.0
    beta_sol = optimize.brentq(excess, lo, 1.0, xtol=1e-14, rtol=4 * np.finfo(float).eps)
    # 2.-3. scan down from beta_sol, then bracket the first crossing of the target half period
    betas = beta_sol - np.geomspace(1e-9, 1e9, 91) * (1.0 + abs(beta_sol))
    betas = betas[betas * psi > -1e6]
    half = np.array([_half_period(b, psi, smoothing)[0] for b in betas])
    below = np.flatnonzero(half < target)
    if below.size == 0:
        finite = half[np.isfinite(half)]
        L_min = 2.0 * finite.min() if finite.size else np.inf
        raise ValueError(
            f"k: no periodic BGK mode of amplitude {psi} has period 2 pi / k = {grid.L:.6g} in this "
            f"family; the shortest period is about {L_min:.4g}, so k must be < {2 * np.pi / L_min:.4g}"
        )
    i = below[0]
    if i == 0:
        raise ValueError(f"k: the period 2 pi / k = {grid.L:.6g} is too long (too close to the solitary "
                         "hole) for this construction; increase k")
    beta = optimize.brentq(lambda b: _half_period(b, psi, smoothing)[0] - target, betas[i], betas[i - 1],
                           xtol=1e-14, rtol=max(tol, 4 * np.finfo(float).eps))
    _, model, A = _half_period(beta, psi, smoothing)

    # 4. the profile: theta(x) with phi = psi (1 - cos theta)/2 solves the first integral
    #    phi' = sqrt(-2 V(phi)), i.e. theta' = 2 sqrt(w / (psi (1 + cos theta))), theta(0) = 0
    def rhs(_, th):
        return 2.0 * np.sqrt(np.maximum(_ratio(th, model, A, psi), 0.0) / psi)

    sol = integrate.solve_ivp(rhs, (0.0, target), [0.0], method="DOP853", dense_output=True,
                              rtol=max(tol, 1e-13), atol=1e-14)
    shooting = float(abs(sol.y[0, -1] - np.pi) / np.pi)

    def profile(x):
        xm = np.mod(x, grid.L)
        mirrored = xm > target
        th = sol.sol(np.where(mirrored, grid.L - xm, xm).ravel())[0].reshape(np.shape(x))
        th = np.clip(th, 0.0, np.pi)
        phi = 0.5 * psi * (1.0 - np.cos(th))
        dphi = 0.5 * psi * np.sin(th) * rhs(None, th)  # phi' = (psi/2) sin(theta) theta'
        return phi, np.where(mirrored, -dphi, dphi)

    def f0(x, v):
        return A * _g_unit(0.5 * v * v - profile(x)[0], beta, smoothing)

    f = _initial_datum(f0, grid, box_tol)
    phi, dphi = profile(grid.x)
    success = bool(sol.success) and shooting < 1e-6
    message = (f"beta = {beta:.10g}, A = {A:.10g}; shooting residual {shooting:.2e}" if success
               else f"shooting from the trough failed: residual {shooting:.2e} ({sol.message})")
    return BGKMode(
        k=k, amplitude=psi, beta=float(beta), norm=A, smoothing=smoothing, grid=grid, f=f, phi=phi,
        E=-dphi, n=A * model.n(phi), separatrix=np.sqrt(2.0 * phi), shooting_residual=shooting,
        success=success, message=message,
    )


# --- residuals of the stationary equations; the book's Ex 5.7.3 --------------------------

def chebyshev_points(a, b, n) -> np.ndarray:
    r"""Chebyshev--Lobatto points :math:`\tfrac{a+b}2 - \tfrac{b-a}2\cos(\pi j/(n-1))`, increasing.

    Computed as :math:`\tfrac{a+b}2 - \tfrac{b-a}2\sin\big(\tfrac{\pi(n - 1 - 2j)}{2(n-1)}\big)`,
    exactly symmetric about the midpoint.

    The non-periodic :math:`x`-grid of :func:`vlasov_residual` and
    :func:`poisson_residual` (spectral differentiation on an interval).

    Examples
    --------
    >>> chebyshev_points(0.0, 2.0, 3).tolist()
    [0.0, 1.0, 2.0]
    """
    a = _as_real("a", a)
    b = _as_real("b", b)
    if not b > a:
        raise ValueError(f"b: must be > a = {a}, got {b}")
    n = check_int("n", n, 3)
    x = 0.5 * (a + b) - 0.5 * (b - a) * np.sin(np.pi * (n - 1 - 2 * np.arange(n)) / (2 * (n - 1)))
    x[0], x[-1] = a, b
    return x


def _cheb_matrix(x):
    """Differentiation matrix on Chebyshev--Lobatto points (barycentric weights (-1)^j delta_j)."""
    n = x.size
    w = (-1.0) ** np.arange(n)
    w[0] *= 0.5
    w[-1] *= 0.5
    dx = x[:, None] - x[None, :]
    np.fill_diagonal(dx, 1.0)
    D = (w[None, :] / w[:, None]) / dx
    np.fill_diagonal(D, 0.0)
    np.fill_diagonal(D, -D.sum(axis=1))
    return D


def _x_derivative(name, x, L, nx):
    """Return d/dx (acting on axis 0) for a periodic (L given) or Chebyshev (L None) grid."""
    x = np.asarray(x, dtype=float)
    if x.shape != (nx,):
        raise ValueError(f"x: expected shape ({nx},) to match {name}, got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("x: contains NaN or infinite entries")
    if L is not None:
        L = check_positive("L", L)
        if not np.allclose(x, x[0] + np.arange(nx) * L / nx, rtol=0.0, atol=1e-9 * L):
            raise ValueError(f"x: for a period L = {L} expected x[0] + i L / nx, i < nx")
        ik = 1j * 2.0 * np.pi * fft.rfftfreq(nx, L / nx)
        if nx % 2 == 0:
            ik[-1] = 0.0

        def d(a):
            return fft.irfft(ik.reshape((-1,) + (1,) * (a.ndim - 1)) * fft.rfft(a, axis=0), nx, axis=0)

        return d
    if nx < 3 or not x[-1] > x[0] or not np.allclose(x, chebyshev_points(x[0], x[-1], nx), rtol=0.0,
                                                     atol=1e-9 * (x[-1] - x[0])):
        raise ValueError("x: without L, x must be Chebyshev--Lobatto points (see chebyshev_points)")
    D = _cheb_matrix(x)
    return lambda a: np.tensordot(D, a, axes=(1, 0))


def _check_fv(f, v):
    f = np.asarray(f, dtype=float)
    if f.ndim != 2:
        raise ValueError(f"f: expected a 2-D array f[i, j] = f(x_i, v_j), got shape {f.shape}")
    if not np.all(np.isfinite(f)):
        raise ValueError("f: contains NaN or infinite entries (is the datum defined on the whole grid?)")
    v = np.asarray(v, dtype=float)
    if v.shape != (f.shape[1],) or v.size < 4:
        raise ValueError(f"v: expected shape ({f.shape[1]},) to match f (at least 4 values), got {v.shape}")
    dv = np.diff(v)
    if not (np.all(np.isfinite(v)) and np.all(dv > 0) and np.ptp(dv) <= 1e-9 * dv.mean()):
        raise ValueError("v: must be increasing and uniformly spaced")
    return f, v, dv.mean()


def _check_phi(phi, nx):
    phi = np.asarray(phi, dtype=float)
    if phi.shape != (nx,):
        raise ValueError(f"phi: expected shape ({nx},) to match f, got {phi.shape}")
    if not np.all(np.isfinite(phi)):
        raise ValueError("phi: contains NaN or infinite entries")
    return phi


def vlasov_residual(f, phi, x, v, *, L=None, acceleration_sign=1) -> np.ndarray:
    r"""Residual of the *stationary* Vlasov equation with spectral derivatives.

    .. math::

        R(x, v) = v\,\partial_x f + a(x)\,\partial_v f, \qquad
        a = s\,\partial_x\phi,

    so that :math:`\partial_t f = -R`: :math:`R = 0` iff ``f`` is a
    stationary solution for the potential :math:`\phi`. The sign
    :math:`s` is the convention: :math:`s = +1` is this module's
    (electrons, :math:`\dot v = -E = \partial_x\phi`); the book's exercise
    5.7.3 writes :math:`\partial_t f + v\partial_x f - \partial_x\phi\,\partial_v f = 0`,
    i.e. :math:`s = -1`.

    :math:`\partial_x`: Fourier if the period ``L`` is given (``x`` the
    uniform periodic grid), Chebyshev otherwise (``x`` from
    :func:`chebyshev_points`). :math:`\partial_v`: Fourier on the uniform
    ``v`` grid, which assumes :math:`f\approx 0` at both ends.

    Parameters
    ----------
    f : array_like, shape (nx, nv)
        :math:`f(x_i, v_j)`, finite.
    phi : array_like, shape (nx,)
    x : array_like, shape (nx,)
    v : array_like, shape (nv,)
        Uniformly spaced.
    L : float, optional
        Period; ``None`` for a Chebyshev grid.
    acceleration_sign : {1, -1}

    Returns
    -------
    ndarray, shape (nx, nv)

    Examples
    --------
    >>> g = make_phase_space_grid(32, 128, 2 * np.pi, 8.0)
    >>> phi = 0.3 * np.cos(g.x)
    >>> f = np.exp(-(0.5 * g.v**2 - phi[:, None]))  # a function of the energy v^2/2 - phi
    >>> bool(np.abs(vlasov_residual(f, phi, g.x, g.v, L=g.L)).max() < 1e-10)
    True
    """
    streaming, force = _vlasov_terms(f, phi, x, v, L, acceleration_sign)
    return streaming + force


def _vlasov_terms(f, phi, x, v, L, acceleration_sign):
    """The two terms v f_x and a f_v of the stationary Vlasov residual."""
    f, v, dv = _check_fv(f, v)
    nx, nv = f.shape
    phi = _check_phi(phi, nx)
    if acceleration_sign not in (1, -1):
        raise ValueError(f"acceleration_sign: must be 1 or -1, got {acceleration_sign!r}")
    d = _x_derivative("f", x, L, nx)
    kv = 1j * 2.0 * np.pi * fft.rfftfreq(nv, dv)
    if nv % 2 == 0:
        kv[-1] = 0.0
    dfdv = fft.irfft(kv * fft.rfft(f, axis=1), nv, axis=1)
    return v * d(f), (acceleration_sign * d(phi))[:, None] * dfdv


def poisson_residual(phi, f, x, v, *, L=None, background=1.0) -> np.ndarray:
    r"""Residual of Poisson's equation :math:`P = \partial_{xx}\phi - (\rho - n_0)`, :math:`\rho = \int f\,dv`.

    :math:`n_0 = 1` (``background``) is this module's
    :math:`\phi'' = \rho - 1`; the book's exercise 5.7.3 writes
    :math:`\Delta\phi = \rho`, i.e. :math:`n_0 = 0`. Derivatives as in
    :func:`vlasov_residual`; :math:`\rho` by the midpoint rule on the
    uniform ``v`` grid.

    Parameters
    ----------
    phi : array_like, shape (nx,)
    f : array_like, shape (nx, nv)
    x, v, L
        As in :func:`vlasov_residual`.
    background : float
        :math:`n_0 \ge 0`.

    Returns
    -------
    ndarray, shape (nx,)
    """
    f, v, dv = _check_fv(f, v)
    nx = f.shape[0]
    phi = _check_phi(phi, nx)
    background = _as_real("background", background)
    if background < 0:
        raise ValueError(f"background: must be >= 0, got {background}")
    d = _x_derivative("f", x, L, nx)
    return d(d(phi)) - (dv * f.sum(axis=1) - background)


@dataclass(frozen=True)
class Exercise573Check:
    r"""The claims of the book's Ex 5.7.3 checked numerically (:func:`check_exercise_5_7_3`).

    The exercise: :math:`\partial_t f + v\partial_x f - \partial_x\phi\,\partial_v f = 0`,
    :math:`\Delta\phi = \rho`, :math:`\phi = A\cos kx`. Claims: (a) along
    characteristics :math:`\tfrac12v^2 = -Ak\sin kx + C`; (b)
    :math:`f = C e^{-\xi^2/2}/\sqrt{1 + 2Ak\sin kx}`, :math:`\xi = v - u(x)`,
    :math:`u = \sqrt{2Ak\sin kx}`, is a self-consistent steady state.
    (These signs, :math:`\dot v = -\partial_x\phi` with :math:`\Delta\phi = \rho`,
    are those of self-gravitating matter without background; for electrons
    this module has :math:`\dot v = +\partial_x\phi`, :math:`\phi'' = \rho - 1`.
    The residual functions take either.)

    Attributes
    ----------
    A, k, C : float
    claimed_invariant_drift : float
        :math:`\max|I(t) - I(0)|/A` over the characteristics, for the claimed
        :math:`I = \tfrac12v^2 + Ak\sin kx` (order 1: not an invariant).
    correct_invariant_drift : float
        The same for :math:`I = \tfrac12v^2 + A\cos kx` (:math:`\approx 0`).
    u_not_real_fraction : float
        Fraction of the periodic grid where :math:`\sin kx < 0`, so that
        :math:`u` (hence the claimed :math:`f`) is not real (1/2).
    claimed_vlasov_residual, claimed_poisson_residual : float
        For the claimed :math:`f`, on Chebyshev points of
        :math:`[\pi/(6k), 5\pi/(6k)]` (where :math:`\sin kx \ge \tfrac12` and
        everything is real and smooth), as root-mean-square ratios
        :math:`\|R\|/\|\,|v\partial_xf| + |\partial_x\phi\,\partial_vf|\,\|` and
        :math:`\|P\|/\|\rho\|` (order 1: both equations fail).
    boltzmann_vlasov_residual, boltzmann_poisson_residual : float
        The same on the periodic grid for :math:`f = Ce^{-(v^2/2 + A\cos kx)}`,
        a correct stationary solution of the Vlasov equation
        (:math:`\approx 0`), which nevertheless fails Poisson: with
        :math:`\Delta\phi = \rho` and no background, the mean of
        :math:`\phi''` over a period is 0 but that of :math:`\rho` is
        positive, so *no* periodic steady state exists.
    mean_density : float
        :math:`\frac1L\int\rho` of that Boltzmann state (the obstruction).
    success : bool
        Always True (a computation, not an iteration).
    message : str
        The verdict.
    """

    A: float
    k: float
    C: float
    claimed_invariant_drift: float
    correct_invariant_drift: float
    u_not_real_fraction: float
    claimed_vlasov_residual: float
    claimed_poisson_residual: float
    boltzmann_vlasov_residual: float
    boltzmann_poisson_residual: float
    mean_density: float
    success: bool
    message: str


def _rms(a):
    return np.sqrt(np.mean(np.abs(a) ** 2))


def check_exercise_5_7_3(A=0.1, k=1.0, C=1.0, *, nx=64, nv=256, vmax=8.0, t_max=20.0) -> Exercise573Check:
    r"""Check the two claims of the book's Ex 5.7.3 numerically (see :class:`Exercise573Check`).

    (a) Eight characteristics :math:`\dot x = v`, :math:`\dot v = -\partial_x\phi = Ak\sin kx`
    are integrated by :func:`scipy.integrate.solve_ivp` (DOP853,
    ``rtol=1e-11``) over :math:`[0, t_{\max}]`; the correct invariant is
    :math:`\tfrac12v^2 + \phi = \tfrac12v^2 + A\cos kx`, since
    :math:`\frac{d}{dt}\tfrac12v^2 = v\,Ak\sin kx = -\frac{d}{dt}A\cos kx`
    (the claim differentiates :math:`\phi` where it should integrate it).
    (b) The residuals of :func:`vlasov_residual` (``acceleration_sign=-1``)
    and :func:`poisson_residual` (``background=0``), spectral derivatives.

    Parameters
    ----------
    A, k, C : float
        :math:`A > 0`, :math:`k > 0` with :math:`2Ak < 1` (so that
        :math:`1 + 2Ak\sin kx > 0`), :math:`C > 0`.
    nx, nv, vmax
        Periodic phase-space grid over one period :math:`2\pi/k`; the
        Chebyshev grid of (b) has ``nx // 2`` points.
    t_max : float
        Length of the characteristics, > 0.

    Returns
    -------
    Exercise573Check

    Examples
    --------
    >>> c = check_exercise_5_7_3()
    >>> c.claimed_invariant_drift > 0.5, c.correct_invariant_drift < 1e-8, c.u_not_real_fraction
    (True, True, 0.484375)
    """
    A = check_positive("A", A)
    k = check_positive("k", k)
    C = check_positive("C", C)
    if 2 * A * k >= 1:
        raise ValueError(f"A: need 2 A k < 1 so that 1 + 2 A k sin(kx) > 0, got 2 A k = {2 * A * k}")
    t_max = check_positive("t_max", t_max)
    grid = PhaseSpaceGrid(nx, nv, 2.0 * np.pi / k, vmax)

    # (a) characteristics of x' = v, v' = A k sin(kx)
    m = 8
    x0 = np.linspace(0.0, grid.L, m, endpoint=False) + 0.1
    v0 = np.linspace(-1.0, 1.0, m) * np.sqrt(4 * A) + 0.05

    def rhs(_, y):
        return np.concatenate([y[m:], A * k * np.sin(k * y[:m])])

    t_eval = np.linspace(0.0, t_max, 401)
    sol = integrate.solve_ivp(rhs, (0.0, t_max), np.concatenate([x0, v0]), method="DOP853",
                              t_eval=t_eval, rtol=1e-11, atol=1e-12)
    xs, vs = sol.y[:m], sol.y[m:]
    claimed = 0.5 * vs**2 + A * k * np.sin(k * xs)
    correct = 0.5 * vs**2 + A * np.cos(k * xs)
    drift_claimed = float(np.max(np.abs(claimed - claimed[:, :1])) / A)
    drift_correct = float(np.max(np.abs(correct - correct[:, :1])) / A)

    # (b) the claimed steady state, where it is real: sin(kx) >= 1/2
    u_not_real = float(np.mean(np.sin(k * grid.x) < 0))
    xc = chebyshev_points(np.pi / (6 * k), 5 * np.pi / (6 * k), max(nx // 2, 3))
    v = grid.v
    s = np.sin(k * xc)[:, None]
    u = np.sqrt(2 * A * k * s)
    f_claimed = C * np.exp(-0.5 * (v - u) ** 2) / np.sqrt(1 + 2 * A * k * s)
    phi_c = A * np.cos(k * xc)
    streaming, force = _vlasov_terms(f_claimed, phi_c, xc, v, None, -1)
    R, scale = streaming + force, _rms(np.abs(streaming) + np.abs(force))
    P = poisson_residual(phi_c, f_claimed, xc, v, background=0.0)
    rho_c = grid.dv * f_claimed.sum(axis=1)

    # the correct stationary Vlasov solutions G(v^2/2 + A cos kx), e.g. Boltzmann
    phi = A * np.cos(k * grid.x)
    f_b = C * np.exp(-(0.5 * v[None, :] ** 2 + phi[:, None]))
    streaming, force = _vlasov_terms(f_b, phi, grid.x, v, grid.L, -1)
    Rb, scale_b = streaming + force, _rms(np.abs(streaming) + np.abs(force))
    Pb = poisson_residual(phi, f_b, grid.x, v, L=grid.L, background=0.0)
    rho_b = grid.dv * f_b.sum(axis=1)
    result = dict(
        claimed_invariant_drift=drift_claimed, correct_invariant_drift=drift_correct,
        u_not_real_fraction=u_not_real,
        claimed_vlasov_residual=float(_rms(R) / scale),
        claimed_poisson_residual=float(_rms(P) / _rms(rho_c)),
        boltzmann_vlasov_residual=float(_rms(Rb) / scale_b),
        boltzmann_poisson_residual=float(_rms(Pb) / _rms(rho_b)),
        mean_density=float(rho_b.mean()),
    )
    message = (
        f"(a) wrong: v^2/2 + A k sin kx drifts by {drift_claimed:.2f} A along characteristics, "
        f"v^2/2 + A cos kx by {drift_correct:.1e} A. (b) wrong: u is not real on "
        f"{100 * u_not_real:.0f}% of the period; where it is, the Vlasov residual is "
        f"{result['claimed_vlasov_residual']:.2f} and the Poisson residual "
        f"{result['claimed_poisson_residual']:.2f} (relative). Any G(v^2/2 + A cos kx) solves "
        f"Vlasov (Boltzmann: residual {result['boltzmann_vlasov_residual']:.1e}), but Delta phi = rho "
        f"has no periodic solution: mean(phi'') = 0 < mean(rho) = {result['mean_density']:.3f}."
    )
    return Exercise573Check(A=A, k=k, C=C, success=True, message=message, **result)
