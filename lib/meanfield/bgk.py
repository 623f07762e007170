r"""Stationary states of 1D Vlasov--Poisson: BGK modes (Schamel family) and residuals.

Conventions of :mod:`meanfield.phase_space` (electrons,
:math:`\dot v = \partial_x\phi`, :math:`\phi'' = \rho - 1`, electron energy
:math:`\varepsilon = \tfrac12v^2 - \phi`). The modes built here are
stationary solutions of :func:`meanfield.vlasov.solve_vlasov_poisson`;
:func:`vlasov_residual` and :func:`poisson_residual` measure how far any
pair :math:`(f, \phi)` is from solving the stationary equations (in either
sign convention).

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
Because the density depends on :math:`\delta`, so does the :math:`\beta`
found: the smoothed hole is a different distribution, and the same
period needs a different trapped-particle parameter (at :math:`k = 0.5`,
:math:`\psi = 1`: :math:`\beta = -1.99149, -2.21707, -2.45556, -2.63578`
for :math:`\delta = 0` (kinked), 0.1, 0.2 (the default), 0.3).

Residuals of the stationary equations
-------------------------------------
:func:`vlasov_residual` is :math:`v\partial_xf + s\,\partial_x\phi\,\partial_vf`
and :func:`poisson_residual` is :math:`\phi'' - (\rho - n_0)`, with
spectral derivatives: Fourier on the periodic grid, or Chebyshev in
:math:`x` on the points of :func:`chebyshev_points` (a non-periodic
interval). The sign :math:`s` and the background :math:`n_0` are
parameters, so that a state written in another convention can be checked
as written.

References
----------
.. [4] I. B. Bernstein, J. M. Greene and M. D. Kruskal, "Exact nonlinear
   plasma oscillations", Phys. Rev. 108 (1957) 546--550.
.. [5] H. Schamel, "Electron holes, ion holes and double layers",
   Phys. Rep. 140 (1986) 161--191.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import fft, integrate, optimize, special

from .phase_space import PhaseSpaceGrid, _initial_datum
from .utils import _as_real, check_int, check_positive

__all__ = [
    "schamel_distribution",
    "schamel_density",
    "sagdeev_potential",
    "BGKMode",
    "bgk_mode",
    "chebyshev_points",
    "vlasov_residual",
    "poisson_residual",
]

_SQRT2PI = np.sqrt(2.0 * np.pi)
_SQRTPI = np.sqrt(np.pi)


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


# --- residuals of the stationary equations ------------------------------------------------

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
    (electrons, :math:`\dot v = -E = \partial_x\phi`); the sign of
    self-gravitating matter,
    :math:`\partial_t f + v\partial_x f - \partial_x\phi\,\partial_v f = 0`
    (the source's, checked in :mod:`meanfield.claims.kinetic`), is :math:`s = -1`.

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
    >>> g = PhaseSpaceGrid(32, 128, 2 * np.pi, 8.0)
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
    :math:`\phi'' = \rho - 1`; :math:`\Delta\phi = \rho` without background
    (the source's) is :math:`n_0 = 0`. Derivatives as in
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
