r"""Linear theory of 1D Vlasov--Poisson: the plasma dispersion function, the dielectric, its roots.

Conventions of :mod:`meanfield.phase_space` (electrons, fixed ions,
plasma units). Landau damping and the two-stream instability as simulated
by :func:`meanfield.vlasov.solve_vlasov_poisson` are checked against the
roots computed here.

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
(:func:`meanfield.vlasov.fit_wave` returns :math:`\gamma`).

Penrose's criterion
-------------------
For an equilibrium :math:`F_0` with a local minimum at :math:`v_m`, a
growing mode exists for some :math:`k` iff the **Penrose integral**

.. math::

    P = \int \frac{F_0(v) - F_0(v_m)}{(v - v_m)^2}\,dv

is positive [4]_; on the marginal curve (:math:`\gamma \to 0^+`) the
phase velocity is :math:`v_m` and :math:`\epsilon(kv_m, k) = 1 - P/k^2 = 0`.
For the symmetric two-stream :math:`F_0 = \tfrac12[M_{v_t}(v - v_0) + M_{v_t}(v + v_0)]`,
:math:`v_m = 0` and (by parts and :math:`\operatorname{Re}Z(x) = -2D(x)`,
:math:`D` Dawson's function) :func:`two_stream_penrose` gives

.. math::

    P = \frac{1}{v_t^2}\Big[-1 + \sqrt2\,a\,D\big(a/\sqrt2\big)\Big],
    \qquad a = v_0/v_t,

unstable wavenumbers :math:`0 < k < k_c = \sqrt P`.

References
----------
.. [2] L. D. Landau, "On the vibrations of the electronic plasma",
   J. Phys. USSR 10 (1946) 25--34.
.. [3] B. D. Fried and S. D. Conte, *The Plasma Dispersion Function*,
   Academic Press, 1961.
.. [4] O. Penrose, "Electrostatic instabilities of a uniform non-Maxwellian
   plasma", Phys. Fluids 3 (1960) 258--265.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from .utils import _as_real, check_int, check_positive

__all__ = [
    "plasma_dispersion",
    "dielectric",
    "DispersionRoot",
    "solve_dispersion",
    "landau_root",
    "two_stream_root",
    "PenroseCriterion",
    "two_stream_penrose",
]

_SQRTPI = np.sqrt(np.pi)


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


@dataclass(frozen=True)
class PenroseCriterion:
    r"""Penrose's criterion for the symmetric two-stream equilibrium (:func:`two_stream_penrose`).

    Attributes
    ----------
    v0, vt : float
        Beam speed and thermal speed.
    P : float
        Penrose integral :math:`\int (F_0(v) - F_0(0))/v^2\,dv` at the
        central minimum :math:`v_m = 0`.
    k_c : float
        Critical wavenumber :math:`\sqrt P` (0 if :math:`P \le 0`): modes
        with :math:`0 < k < k_c` grow.
    unstable : bool
        :math:`P > 0`.
    """

    v0: float
    vt: float
    P: float
    k_c: float
    unstable: bool


def two_stream_penrose(v0, *, vt=1.0) -> PenroseCriterion:
    r"""Penrose integral and critical wavenumber of two Maxwellian beams at :math:`\pm v_0`.

    .. math::

        P = \int\frac{F_0(v) - F_0(0)}{v^2}\,dv
          = \frac{1}{v_t^2}\Big[-1 + \sqrt2\,a\,D\big(a/\sqrt2\big)\Big],
        \qquad a = \frac{v_0}{v_t},

    :math:`F_0 = \tfrac12[M_{v_t}(v - v_0) + M_{v_t}(v + v_0)]`, :math:`D`
    Dawson's function (:func:`scipy.special.dawsn`). Integrating by parts,
    :math:`P = \int F_0'(v)/v\,dv`, and the principal value
    :math:`\mathrm{PV}\!\int M(u)/(u + a)\,du = \sqrt2\,D(a/\sqrt2)`
    gives the closed form. The symmetric equilibrium is unstable iff
    :math:`P > 0` (then :math:`v = 0` is a minimum of :math:`F_0`), for
    :math:`0 < k < k_c = \sqrt P`, where :func:`two_stream_root` has
    :math:`\gamma > 0`; at :math:`k_c` the root is :math:`\omega = 0`.

    Parameters
    ----------
    v0 : float
        Beam speed, >= 0.
    vt : float
        Thermal speed, > 0.

    Returns
    -------
    PenroseCriterion

    Examples
    --------
    >>> p = two_stream_penrose(2.4)
    >>> round(p.P, 5), round(p.k_c, 4)
    (0.26718, 0.5169)
    >>> two_stream_penrose(0.0).P   # one Maxwellian: -1/vt^2, stable
    -1.0
    """
    v0 = _as_real("v0", v0)
    if v0 < 0:
        raise ValueError(f"v0: must be >= 0, got {v0}")
    vt = check_positive("vt", vt)
    a = v0 / vt
    P = float((-1.0 + np.sqrt(2.0) * a * special.dawsn(a / np.sqrt(2.0))) / vt**2)
    return PenroseCriterion(v0=v0, vt=vt, P=P, k_c=float(np.sqrt(P)) if P > 0 else 0.0, unstable=P > 0)
