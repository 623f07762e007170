r"""One-dimensional Vlasov--Poisson: the Cheng--Knorr solver and its diagnostics.

Electrons on a neutralising ion background, in the conventions of
:mod:`meanfield.phase_space` (:math:`\partial_t f + v\partial_x f - E\partial_v f = 0`,
:math:`\partial_x E = 1 - \rho`; :math:`E` the electric field, :math:`-E`
the force on an electron). This module holds the time-dependent solver
(:func:`solve_vlasov_poisson`) and the fit of damped or growing waves
(:func:`fit_wave`). For convenience it also re-exports the grid and data of
:mod:`meanfield.phase_space`, the linear theory of
:mod:`meanfield.vlasov_linear` and the stationary states of
:mod:`meanfield.bgk`, so that ``from meanfield import vlasov as vl`` gives the
whole topic.

The solver (Cheng--Knorr)
-------------------------
On the grid of :mod:`meanfield.phase_space` (periodic in :math:`x`,
cell-centred in :math:`v`), one step of :func:`solve_vlasov_poisson` is
the Strang splitting [1]_

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


Diagnostics
-----------
Every ``diagnostics_every`` steps (default: every step) the solver records
the field and kinetic energies, mass, momentum, :math:`\|f\|_2`,
:math:`H`, :math:`\min f`, the mass at the velocity edges and the first
Fourier amplitudes of :math:`E`. :func:`fit_wave` fits a rate and a
frequency to the field energy (or a Fourier amplitude): a mode
:math:`E\propto e^{\gamma t}\cos(\omega_r t + \cdot)` has field energy
:math:`\propto e^{2\gamma t}\cos^2(\omega_r t + \cdot)`, whose peaks are
:math:`\pi/\omega_r` apart and decay at the rate :math:`2\gamma`.

References
----------
.. [1] C. Z. Cheng and G. Knorr, "The integration of the Vlasov equation in
   configuration space", J. Comput. Phys. 22 (1976) 330--351.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import fft, signal

from . import bgk as _bgk
from . import phase_space as _phase_space
from . import vlasov_linear as _vlasov_linear
from .bgk import *  # noqa: F401,F403  (re-exported: the stationary states)
from .phase_space import *  # noqa: F401,F403  (re-exported: the grid and the data)
from .phase_space import _check_grid, _field_hat, _initial_datum
from .utils import check_choice, check_int, check_positive
from .vlasov_linear import *  # noqa: F401,F403  (re-exported: the linear theory)

__all__ = [
    "VlasovResult",
    "solve_vlasov_poisson",
    "WaveFit",
    "fit_wave",
    *_phase_space.__all__,
    *_vlasov_linear.__all__,
    *_bgk.__all__,
]


# --- the solver ---------------------------------------------------------------------------

@dataclass(frozen=True)
class VlasovResult:
    r"""Output of :func:`solve_vlasov_poisson` (diagnostics every ``diagnostics_every`` steps).

    Attributes
    ----------
    t : ndarray, shape (n_t,)
        :math:`n\,\Delta t` for the recorded steps :math:`n`: every step
        by default, else every ``diagnostics_every``-th and the last one done.
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


def _integer_shift_table(theta):
    r"""Return ``table(p)``: the multipliers :math:`e^{ip_i\theta}` of whole-cell shifts :math:`p_i`.

    :math:`\theta = 2\pi m/n_v` (``theta = 2 pi rfftfreq(nv)``), so
    :math:`e^{ip\theta}` depends on :math:`p` modulo :math:`n_v` only: one
    table of the :math:`n_v` rows :math:`q = -n_v/2, \dots, n_v/2 - 1`
    (computed as :math:`e^{iq\theta}`, bit-identical to the direct formula for
    :math:`|p| < n_v/2`) replaces a complex exponential per step by a gather.
    """
    nv = 2 * (theta.size - 1)
    half = nv // 2
    table = np.exp(1j * np.outer(np.arange(-half, nv - half, dtype=float), theta))

    def shift(p):
        return table[(p.astype(np.intp) + half) % nv]
    return shift


def _spectral_shift(theta):
    r"""Row-wise multipliers of the exact trigonometric shift by :math:`s_i` cells: :math:`e^{i\theta_m s_i}`.

    :math:`\theta_m = 2\pi m/n_v`; with :math:`m = aB + b`, :math:`0\le b < B`,
    :math:`e^{is\theta_m} = e^{is\theta_{aB}}\,e^{is\theta_b}`: two small
    tables of exponentials per step and one product (a few ulp from the
    direct formula) instead of one exponential per multiplier.
    """
    n = theta.size
    nv = 2 * (n - 1)
    B = int(np.ceil(np.sqrt(n)))
    nb = -(-n // B)
    lo = 2.0 * np.pi * np.arange(B) / nv
    hi = 2.0 * np.pi * (B * np.arange(nb)) / nv

    def shift(s):
        prod = np.exp(1j * np.outer(s, hi))[:, :, None] * np.exp(1j * np.outer(s, lo))[:, None, :]
        return prod.reshape(s.size, nb * B)[:, :n]
    return shift


def _spline_shift(theta):
    r"""Row-wise multipliers of the periodic cubic-spline shift by :math:`s_i = p_i + \alpha_i` cells.

    :math:`g_j = \sum_l c_l B(j + s - l)` with :math:`B` the cubic B-spline and
    :math:`c` the interpolating coefficients (:math:`\hat c = \hat f/b(\theta)`,
    :math:`b = (4 + 2\cos\theta)/6`): multiplier
    :math:`e^{ip\theta}\sum_{q=-2}^{1}B(\alpha + q)e^{-iq\theta}/b(\theta)`,
    :math:`e^{ip\theta}` from a table (:func:`_integer_shift_table`).
    """
    e = np.exp(-1j * np.outer([-2.0, -1.0, 0.0, 1.0], theta))  # e^{-i q theta}, q = -2..1
    b = (4.0 + 2.0 * np.cos(theta)) / 6.0
    whole = _integer_shift_table(theta)

    def shift(s):
        p = np.floor(s)
        a = (s - p)[:, None]
        # B(a - 2), B(a - 1), B(a), B(a + 1) (elementwise: a BLAS product is slower at this size)
        w = (a**3, 1.0 + 3.0 * a * (1.0 + a * (1.0 - a)), 4.0 - 3.0 * a * a * (2.0 - a), (1.0 - a) ** 3)
        return whole(p) * (w[0] * e[0] + w[1] * e[1] + w[2] * e[2] + w[3] * e[3]) / (6.0 * b)
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
                         n_modes=4, diagnostics_every=1) -> VlasovResult:
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
    step: five real FFTs of :math:`n_x\times n_v` arrays (four between
    recorded steps), the shift multipliers (integer shifts from a table) and
    the diagnostics.

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
    diagnostics_every : int
        Record the diagnostics (and check the edge mass) every this many
        steps, >= 1; the last step is always recorded. The default 1 records
        every step; a stride of 10 makes a long run about 20% faster
        (the diagnostics cost about as much as one FFT of ``f``).

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
    every = check_int("diagnostics_every", diagnostics_every, 1)
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

    def field_hat(rho_hat):
        return _field_hat(rho_hat * dv, kx, nx)

    recorded = np.unique(np.r_[np.arange(0, n_steps + 1, every), n_steps])
    n_t = recorded.size
    diag = {name: np.empty(n_t) for name in
            ("field_energy", "kinetic_energy", "mass", "momentum", "l2", "entropy", "min_f", "edge")}
    modes = np.empty((n_t, n_modes))
    saved, wanted = {}, set(save_idx.tolist())

    def record(r, f, E_hat):
        E = fft.irfft(E_hat, nx)
        fv = f.sum(axis=0)
        diag["mass"][r] = cell * fv.sum()
        diag["momentum"][r] = cell * (fv @ v)
        diag["kinetic_energy"][r] = cell * (fv @ v2)
        diag["field_energy"][r] = 0.5 * dx * (E @ E)
        diag["l2"][r] = np.sqrt(cell * np.einsum("ij,ij->", f, f))
        log_f = np.abs(f)  # H = sum f log|f| with 0 log 0 = 0, in place (scipy's xlogy is 5x slower)
        log_f[log_f == 0.0] = 1.0
        diag["entropy"][r] = cell * np.einsum("ij,ij->", f, np.log(log_f, out=log_f))
        diag["min_f"][r] = f.min()
        diag["edge"][r] = cell * np.abs(f[:, edge]).sum()
        modes[r] = 2.0 * np.abs(E_hat[1 : n_modes + 1]) / nx
        return E

    F = fft.rfft(f, axis=0)
    E = record(0, f, field_hat(F.sum(axis=1)))
    if 0 in wanted:
        saved[0] = f.copy()
    success, message, done, r = True, f"{n_steps} steps completed", 0, 1
    for n in range(1, n_steps + 1):
        Fh = F * half_shift  # X_{dt/2}; F (the last finite state) is kept
        fs = fft.irfft(Fh, nx, axis=0)
        E_star = fft.irfft(field_hat(Fh.sum(axis=1)), nx)
        g = fft.rfft(fs, axis=1)
        g *= v_shift(E_star * dt / dv)  # V_dt: f(x, v + E dt), periodic on the box
        fs = fft.irfft(g, nv, axis=1)
        Fh = fft.rfft(fs, axis=0)
        Fh *= half_shift
        rho_hat = Fh.sum(axis=1)  # a non-finite value anywhere in f makes its row sum non-finite
        if not np.all(np.isfinite(rho_hat)):
            success, message = False, f"step {n}: non-finite values; stopped"
            break
        F, done = Fh, n
        if n == recorded[r] or n in wanted:
            f = fft.irfft(F, nx, axis=0)
            if n in wanted:
                saved[n] = f.copy()
            if n == recorded[r]:
                E = record(r, f, field_hat(rho_hat))
                r += 1
    if recorded[r - 1] != done:  # stopped between two recorded steps: record the last finite state
        recorded[r] = done
        f = fft.irfft(F, nx, axis=0)
        E = record(r, f, field_hat(F.sum(axis=1)))
        r += 1

    t = dt * recorded[:r]
    mass = diag["mass"][:r]
    edge_mass = diag["edge"][:r] / mass[0]
    if success and edge_mass.max() > box_tol:
        success = False
        message = (f"{done} steps completed, but the relative mass at v = +-vmax reached "
                   f"{edge_mass.max():.3g} > box_tol = {box_tol:.3g} (t = {t[edge_mass.argmax()]:.4g}): "
                   "the periodic velocity shift is no longer harmless; enlarge vmax")
    keep = [i for i in sorted(set(save_idx.tolist())) if i <= done]
    t_saved = np.array([i * dt for i in keep])
    f_saved = np.array([saved[i] for i in keep]) if keep else np.zeros((0, nx, nv))
    ke, fe = diag["kinetic_energy"][:r], diag["field_energy"][:r]
    return VlasovResult(
        t=t, field_energy=fe, kinetic_energy=ke, total_energy=ke + fe,
        mass=mass, momentum=diag["momentum"][:r], l2_norm=diag["l2"][:r],
        entropy=diag["entropy"][:r], min_f=diag["min_f"][:r], field_modes=modes[:r],
        t_saved=t_saved, f_saved=f_saved, f=f, E=E, edge_mass=edge_mass, grid=grid, dt=dt, method=method,
        n_steps=done, success=success, message=message,
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
