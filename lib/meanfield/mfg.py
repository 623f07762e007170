r"""Mean-field games: linear--quadratic closed forms, a finite-difference solver, systemic risk.

Conventions
-----------
Throughout, :math:`u` is a **cost** (minimised), the Hamilton--Jacobi--Bellman
(HJB) equation runs **backward** from :math:`u(T,\cdot) = G` and the
Fokker--Planck (FP) equation **forward** from :math:`m(0) = m_0`. With the
quadratic Hamiltonian :math:`H(x,p) = |p|^2/2` the optimal feedback is
:math:`\alpha^*(t,x) = -\partial_x u(t,x)` and the system reads

.. math::

    -\partial_t u - \nu\,\partial_{xx}u + \tfrac12|\partial_x u|^2 = F(x, m(t)),
    \qquad u(T,x) = G(x, m(T)),

    \partial_t m - \nu\,\partial_{xx}m - \partial_x\big(m\,\partial_x u\big) = 0,
    \qquad m(0) = m_0,

where :math:`\nu = \sigma^2/2` for the state :math:`dX = \alpha\,dt + \sigma\,dW`
and :math:`\partial_p H(x, \partial_x u) = \partial_x u`.

Contents
--------
1. A closed form for a non-degenerate linear--quadratic (LQ) MFG with
   noise and Gaussian :math:`m_0` (:func:`lq_gaussian_mfg`). (The
   deterministic example of the source, checked against the text, is in
   :mod:`meanfield.claims.games`.) An LQ MFG whose mean moves, towards a
   target (:func:`lq_target_mfg`), with agent paths (:func:`simulate_lq_agents`).
2. A finite-difference solver of Achdou--Capuzzo-Dolcetta type
   (:func:`solve_mfg_fd`) with the LQ couplings of :func:`lq_couplings` and
   :func:`lq_target_couplings`. (Local couplings and Newton's method on the
   coupled system: :mod:`meanfield.crowd`.)
3. The Carmona--Fouque--Sun systemic-risk model with common noise:
   the Riccati function :math:`\eta_N` (:func:`systemic_risk_eta`) and a
   simulation of :math:`N` banks (:func:`simulate_systemic_risk`), and
   the value functions (:func:`systemic_risk_value`).

References
----------
.. [1] Y. Achdou and I. Capuzzo-Dolcetta, "Mean field games: numerical
   methods", SIAM J. Numer. Anal. 48(3) (2010) 1136--1162.
.. [2] R. Carmona, J.-P. Fouque and L.-H. Sun, "Mean field games and
   systemic risk", Commun. Math. Sci. 13(4) (2015) 911--933,
   arXiv:1308.2172.
.. [3] A. Bensoussan, J. Frehse and P. Yam, *Mean Field Games and Mean Field
   Type Control Theory*, Springer, 2013 (LQ models).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.integrate import solve_ivp
from scipy.linalg import solve_banded
from scipy.sparse.linalg import spsolve

from .grids import Grid1D
from .utils import (
    as_generator,
    check_choice,
    check_in_range,
    check_int,
    check_nonnegative,
    check_positive,
)

__all__ = [
    "LQGaussianSolution",
    "lq_gaussian_mfg",
    "LQTargetSolution",
    "lq_target_mfg",
    "simulate_lq_agents",
    "lq_couplings",
    "lq_target_couplings",
    "MFGResult",
    "solve_mfg_fd",
    "systemic_risk_eta",
    "SystemicRiskPaths",
    "simulate_systemic_risk",
    "SystemicRiskValue",
    "systemic_risk_value",
]

_ODE_RTOL = 1e-12
_ODE_ATOL = 1e-14


def _check_times(name, t, T):
    t = np.asarray(t, dtype=float)
    if t.ndim > 1:
        raise ValueError(f"{name}: expected a scalar or a 1-d array, got shape {t.shape}")
    if not np.all(np.isfinite(t)) or np.any(t < 0) or np.any(t > T):
        raise ValueError(f"{name}: times must lie in [0, T] = [0, {T}]")
    return t


# --- 1. LQ MFG with noise -------------------------------------------------------------

@dataclass(frozen=True)
class LQGaussianSolution:
    r"""Solution of the Gaussian LQ MFG (:func:`lq_gaussian_mfg`).

    Attributes
    ----------
    t : ndarray, shape (k,)
    P, r : ndarray, shape (k,)
        :math:`u(t,x) = \frac12 P(t)(x - \bar m_t)^2 + r(t)`.
    mean, var : ndarray, shape (k,)
        :math:`m_t = N(\text{mean}, \text{var})`; ``mean`` is constant :math:`\mu_0`.
    method : str
        ``"closed_form"`` or ``"solve_ivp"``.
    q, c_T, sigma, mu0, s0, T : float
    success : bool
    message : str
    """

    t: np.ndarray
    P: np.ndarray
    r: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    method: str
    q: float
    c_T: float
    sigma: float
    mu0: float
    s0: float
    T: float
    success: bool
    message: str

    def u(self, x):
        """Value function on ``t`` x ``x``, shape ``(len(t), len(x))``."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        return 0.5 * self.P[:, None] * (x - self.mean[:, None]) ** 2 + self.r[:, None]

    def feedback(self, x):
        r"""Optimal feedback :math:`\alpha(t,x) = -P(t)(x - \mu_0)`, shape ``(len(t), len(x))``."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        return -self.P[:, None] * (x - self.mean[:, None])


def _sinhc(k, tau):
    """sinh(k tau)/k, equal to tau for k = 0."""
    return np.sinh(k * tau) / k if k > 0 else np.asarray(tau, dtype=float)


def _lq_closed(t, q, c_T, sigma, s0, T):
    k = np.sqrt(q)
    tau = T - t

    def D(s):
        return np.cosh(k * s) + c_T * _sinhc(k, s)

    th = np.tanh(k * tau) / k if k > 0 else tau
    P = (c_T + q * th) / (1.0 + c_T * th)
    r = 0.5 * sigma**2 * np.log(D(tau))
    ratio = D(tau) / D(T)
    var = ratio * (s0**2 * ratio + sigma**2 * _sinhc(k, t))
    return P, r, var


def _lq_ode(t, q, c_T, sigma, s0, T):
    # backward: y = (P, r) in s = T - t, dP/ds = q - P^2, dr/ds = sigma^2 P / 2
    back = solve_ivp(lambda s, y: [q - y[0] ** 2, 0.5 * sigma**2 * y[0]], (0.0, T),
                     [c_T, 0.0], dense_output=True, rtol=_ODE_RTOL, atol=_ODE_ATOL)
    Pf = lambda s: back.sol(T - s)[0]  # noqa: E731
    fwd = solve_ivp(lambda s, y: [-2.0 * Pf(s) * y[0] + sigma**2], (0.0, T), [s0**2],
                    dense_output=True, rtol=_ODE_RTOL, atol=_ODE_ATOL)
    P, r = back.sol(T - t)
    ok = bool(back.success and fwd.success)
    return P, r, fwd.sol(t)[0], ok, f"backward: {back.message}; forward: {fwd.message}"


def lq_gaussian_mfg(t, *, q, c_T, sigma, mu0=0.0, s0=1.0, T=1.0, method="closed_form"):
    r"""Closed-form solution of a linear--quadratic MFG with noise and Gaussian :math:`m_0`.

    A representative player controls :math:`dX_t = \alpha_t\,dt + \sigma\,dW_t`,
    :math:`X_0\sim m_0 = N(\mu_0, s_0^2)`, and minimises

    .. math::

        \mathbb E\Big[\int_0^T \Big(\frac{\alpha_t^2}{2}
            + \frac q2 (X_t - \bar m_t)^2\Big)dt + \frac{c_T}{2}(X_T - \bar m_T)^2\Big],

    where :math:`\bar m_t = \int x\,m_t(dx)` is the mean of the population.
    The MFG system has :math:`H = p^2/2`, :math:`\nu = \sigma^2/2`,
    :math:`F(x,m) = \frac q2(x-\bar m)^2`, :math:`G(x,m) = \frac{c_T}{2}(x-\bar m)^2`.

    **Derivation.** For an *arbitrary* mean path :math:`\bar m_t`, try
    :math:`u = \frac12 P x^2 + s x + r`. Matching powers of :math:`x` in the HJB
    equation gives :math:`P' = P^2 - q`, :math:`P(T) = c_T`;
    :math:`s' = Ps + q\bar m`, :math:`s(T) = -c_T\bar m_T`. The agents play
    :math:`\alpha = -(PX + s)`, so :math:`\bar m' = -(P\bar m + s) =: -z`, and
    :math:`z' = s' + P'\bar m + P\bar m' = 0` with :math:`z(T) = 0`: hence
    :math:`z\equiv0` and :math:`\bar m_t = \mu_0` in every equilibrium (no
    ansatz centred at a constant mean is assumed). Then :math:`s = -P\mu_0`,
    :math:`u = \frac12 P(x - \mu_0)^2 + r` with

    .. math::

        -P' = q - P^2,\ P(T) = c_T; \qquad -r' = \tfrac{\sigma^2}{2}P,\ r(T) = 0,

    and :math:`Y = X - \mu_0` is Ornstein--Uhlenbeck,
    :math:`dY = -PY\,dt + \sigma\,dW`, so :math:`m_t = N(\mu_0, \Sigma(t))` with
    :math:`\Sigma' = -2P\Sigma + \sigma^2`, :math:`\Sigma(0) = s_0^2`. The
    coupling :math:`F` is anti-monotone
    (:math:`\int(F(\cdot,m_1) - F(\cdot,m_2))\,d(m_1 - m_2) = -q(\bar m_1 - \bar m_2)^2`),
    yet the equilibrium is unique.

    **Closed forms.** With :math:`k = \sqrt q`, :math:`\tau = T - t` and
    :math:`D(\tau) = \cosh k\tau + c_T\,\sinh(k\tau)/k` (so that :math:`D' = PD`
    in :math:`\tau`),

    .. math::

        P = \frac{c_T + k\tanh k\tau}{1 + (c_T/k)\tanh k\tau}
          = \frac{D'(\tau)}{D(\tau)}, \qquad r = \frac{\sigma^2}{2}\log D(\tau),

        \Sigma(t) = D(\tau)^2\Big[\frac{s_0^2}{D(T)^2}
            + \sigma^2\Big(\frac{\sinh(kT)}{k D(T)} - \frac{\sinh(k\tau)}{k D(\tau)}\Big)\Big],

    using :math:`\frac{d}{d\tau}\frac{\sinh k\tau}{kD} = \frac{1}{D^2}`. For
    :math:`c_T > k` this is :math:`P = k\coth(k\tau + \phi)`,
    :math:`\coth\phi = c_T/k`; for :math:`c_T < k`, :math:`P = k\tanh(k\tau+\phi)`,
    :math:`\tanh\phi = c_T/k`; :math:`c_T = k` gives :math:`P\equiv k`; for
    :math:`q = 0`, :math:`P = c_T/(1 + c_T\tau)`. As :math:`T\to\infty`,
    :math:`P\to k` and :math:`\Sigma\to\sigma^2/(2k)`.

    Parameters
    ----------
    t : array_like, shape (k,)
        Times in :math:`[0, T]`.
    q, c_T : float
        Running and terminal weights, :math:`\ge 0`.
    sigma : float
        Noise intensity :math:`\sigma\ge 0`.
    mu0 : float, optional
        Mean of :math:`m_0`.
    s0 : float, optional
        Standard deviation of :math:`m_0`, :math:`\ge 0`.
    T : float, optional
        Horizon :math:`> 0`.
    method : {"closed_form", "solve_ivp"}
        Closed forms above, or :func:`scipy.integrate.solve_ivp` (backward
        for :math:`P, r`, then forward for :math:`\Sigma`; rtol 1e-12).

    Returns
    -------
    LQGaussianSolution

    Examples
    --------
    >>> sol = lq_gaussian_mfg([0.0, 1.0], q=1.0, c_T=1.0, sigma=1.0, s0=np.sqrt(0.5))
    >>> np.round(sol.P, 12).tolist(), np.round(sol.var, 12).tolist()
    ([1.0, 1.0], [0.5, 0.5])
    """
    q = check_nonnegative("q", q)
    c_T = check_nonnegative("c_T", c_T)
    sigma = check_nonnegative("sigma", sigma)
    s0 = check_nonnegative("s0", s0)
    T = check_positive("T", T)
    mu0 = float(np.asarray(mu0, dtype=float))
    if not np.isfinite(mu0):
        raise ValueError(f"mu0: must be finite, got {mu0}")
    method = check_choice("method", method, ("closed_form", "solve_ivp"))
    t = np.atleast_1d(_check_times("t", t, T))
    if method == "closed_form":
        P, r, var = _lq_closed(t, q, c_T, sigma, s0, T)
        ok, msg = True, "closed form"
    else:
        P, r, var, ok, msg = _lq_ode(t, q, c_T, sigma, s0, T)
    return LQGaussianSolution(t=t, P=P, r=r, mean=np.full_like(t, mu0), var=var,
                              method=method, q=q, c_T=c_T, sigma=sigma, mu0=mu0, s0=s0,
                              T=T, success=ok, message=msg)


# --- 1(c) LQ MFG with a target: the mean moves ----------------------------------------

@dataclass(frozen=True)
class LQTargetSolution:
    r"""Solution of the LQ MFG with a target (:func:`lq_target_mfg`).

    Attributes
    ----------
    t : ndarray, shape (k,)
    P, s : ndarray, shape (k,)
        :math:`u(t,x) = \frac12P(t)x^2 + s(t)x + r(t)`; the feedback is
        :math:`\alpha = -(Px + s) = -P(x - \bar m_t) + \bar m_t'`.
    mean, velocity : ndarray, shape (k,)
        :math:`\bar m_t` and :math:`\bar m_t'`.
    var : ndarray, shape (k,)
        Variance :math:`\Sigma(t)` of :math:`m_t = N(\bar m_t, \Sigma(t))`.
    method : str
        ``"closed_form"`` or ``"solve_bvp"``.
    success : bool
    message : str
    """

    t: np.ndarray
    P: np.ndarray
    s: np.ndarray
    mean: np.ndarray
    velocity: np.ndarray
    var: np.ndarray
    method: str
    success: bool
    message: str

    def feedback(self, x):
        r"""Optimal feedback :math:`-P(t)(x - \bar m_t) + \bar m_t'`, shape ``(len(t), len(x))``."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        return -self.P[:, None] * (x - self.mean[:, None]) + self.velocity[:, None]


def lq_target_mfg(t, *, q, c_T, kappa, gamma, xi, sigma, mu0=0.0, s0=1.0, T=1.0,
                  method="closed_form") -> LQTargetSolution:
    r"""An LQ MFG whose mean moves: agents like the crowd and head for a target :math:`\xi`.

    A representative agent controls :math:`dX = \alpha\,dt + \sigma\,dW`,
    :math:`X_0\sim N(\mu_0, s_0^2)`, and minimises

    .. math::

        \mathbb E\Big[\int_0^T\Big(\frac{\alpha^2}{2} + \frac q2(X - \bar m_t)^2
            + \frac\kappa2(X - \xi)^2\Big)dt + \frac{c_T}{2}(X_T - \bar m_T)^2
            + \frac\gamma2(X_T - \xi)^2\Big].

    **Derivation.** Given any mean path :math:`\bar m`, the HJB equation is
    solved by :math:`u = \frac12Px^2 + sx + r` with

    .. math::

        P' = P^2 - (q + \kappa),\ P(T) = c_T + \gamma; \qquad
        s' = Ps + q\bar m + \kappa\xi,\ s(T) = -c_T\bar m_T - \gamma\xi.

    The mean of the optimally controlled agents moves by
    :math:`\bar m' = -\mathbb E[\partial_x u] = -(P\bar m + s) =: -z`, and
    :math:`z = s + P\bar m` solves :math:`z' = \kappa(\xi - \bar m)`,
    :math:`z(T) = \gamma(\bar m_T - \xi)`: the terms in :math:`q, c_T` cancel.
    So :math:`\bar m'' = \kappa(\bar m - \xi)`, :math:`\bar m(0) = \mu_0`,
    :math:`\bar m'(T) = -\gamma(\bar m_T - \xi)`, a two-point boundary value
    problem (forward in :math:`\bar m`, backward in :math:`z`), solved by

    .. math::

        \bar m_t = \xi + (\mu_0 - \xi)\,\frac{D(T - t)}{D(T)}, \qquad
        D(\tau) = \cosh k\tau + \frac{\gamma}{k}\sinh k\tau,\ k = \sqrt\kappa

    (:math:`D = 1 + \gamma\tau` for :math:`\kappa = 0`). :math:`Y = X - \bar m`
    is Ornstein--Uhlenbeck, :math:`dY = -PY\,dt + \sigma\,dW`, so
    :math:`\Sigma' = -2P\Sigma + \sigma^2`: :math:`P` and :math:`\Sigma` are those
    of :func:`lq_gaussian_mfg` with :math:`q + \kappa` and :math:`c_T + \gamma`.

    Parameters
    ----------
    t : array_like, shape (k,)
        Times in :math:`[0, T]`.
    q, c_T : float
        Weights of the distance to the crowd's mean (running, terminal), :math:`\ge 0`.
    kappa, gamma : float
        Weights of the distance to the target (running, terminal), :math:`\ge 0`.
    xi : float
        Target :math:`\xi`.
    sigma, mu0, s0, T : float
        As in :func:`lq_gaussian_mfg`.
    method : {"closed_form", "solve_bvp"}
        Closed forms, or :func:`scipy.integrate.solve_bvp` on the boundary
        value problem for :math:`(\bar m, z)` with :func:`scipy.integrate.solve_ivp`
        for :math:`P` and :math:`\Sigma` (an independent check).

    Returns
    -------
    LQTargetSolution

    Examples
    --------
    >>> sol = lq_target_mfg([0.0, 1.0], q=1.0, c_T=0.0, kappa=0.0, gamma=1.0, xi=2.0, sigma=0.5)
    >>> np.round(sol.mean, 12).tolist(), np.round(sol.velocity, 12).tolist()  # linear: 0 -> 1
    ([0.0, 1.0], [1.0, 1.0])
    """
    q = check_nonnegative("q", q)
    c_T = check_nonnegative("c_T", c_T)
    kappa = check_nonnegative("kappa", kappa)
    gamma = check_nonnegative("gamma", gamma)
    sigma = check_nonnegative("sigma", sigma)
    s0 = check_nonnegative("s0", s0)
    T = check_positive("T", T)
    xi = float(np.asarray(xi, dtype=float))
    mu0 = float(np.asarray(mu0, dtype=float))
    if not (np.isfinite(xi) and np.isfinite(mu0)):
        raise ValueError(f"xi, mu0: must be finite, got {xi}, {mu0}")
    method = check_choice("method", method, ("closed_form", "solve_bvp"))
    t = np.atleast_1d(_check_times("t", t, T))
    k = np.sqrt(kappa)
    if method == "closed_form":
        P, _, var = _lq_closed(t, q + kappa, c_T + gamma, sigma, s0, T)

        def D(tau):
            return np.cosh(k * tau) + gamma * _sinhc(k, tau)

        def dD(tau):  # dD/dtau
            return k * np.sinh(k * tau) + gamma * np.cosh(k * tau)

        mean = xi + (mu0 - xi) * D(T - t) / D(T)
        velocity = -(mu0 - xi) * dD(T - t) / D(T)
        ok, msg = True, "closed form"
    else:
        from scipy.integrate import solve_bvp

        grid = np.linspace(0.0, T, 201)
        bvp = solve_bvp(lambda s, y: np.vstack([-y[1], kappa * (xi - y[0])]),
                        lambda ya, yb: np.array([ya[0] - mu0, yb[1] - gamma * (yb[0] - xi)]),
                        grid, np.vstack([np.full_like(grid, mu0), np.zeros_like(grid)]), tol=1e-10,
                        max_nodes=100000)
        P, _, var, ok, msg = _lq_ode(t, q + kappa, c_T + gamma, sigma, s0, T)
        mean, velocity = bvp.sol(t)[0], -bvp.sol(t)[1]
        ok = bool(ok and bvp.success)
        msg = f"solve_bvp: {bvp.message}; {msg}"
    s = -velocity - P * mean
    return LQTargetSolution(t=t, P=P, s=s, mean=mean, velocity=velocity, var=var, method=method,
                            success=ok, message=msg)



def simulate_lq_agents(solution, x0, *, sigma=0.0, rng=None):
    r"""Euler--Maruyama paths of agents playing the equilibrium feedback of an LQ solution.

    .. math::

        X_{k+1} = X_k + \big(-P(t_k)(X_k - \bar m_{t_k}) + \bar m'_{t_k}\big)\Delta t
            + \sigma\sqrt{\Delta t}\,Z_k,

    with :math:`P, \bar m, \bar m'` from ``solution``. With ``sigma = 0`` the
    paths are the characteristics of the equilibrium flow.

    Parameters
    ----------
    solution : LQTargetSolution
        Evaluated on equally spaced times :math:`0 = t_0 < \dots < t_n = T`.
    x0 : array_like, shape (n_agents,)
        Initial positions.
    sigma : float, optional
        Noise intensity (that of the model for equilibrium paths).
    rng : None, int or numpy.random.Generator
        Draws the Gaussian increments.

    Returns
    -------
    ndarray, shape (len(solution.t), n_agents)

    Examples
    --------
    >>> sol = lq_target_mfg(np.linspace(0, 1, 3), q=1, c_T=0, kappa=0, gamma=1, xi=2, sigma=0)
    >>> simulate_lq_agents(sol, [0.0, 1.0])[:, 0].tolist()  # the mean's path 0 -> 1
    [0.0, 0.5, 1.0]
    """
    t = solution.t
    dt = np.diff(t)
    if t.size < 2 or not np.allclose(dt, dt[0]):
        raise ValueError("solution: must be evaluated on at least two equally spaced times")
    sigma = check_nonnegative("sigma", sigma)
    gen = as_generator(rng)
    x = np.atleast_1d(np.asarray(x0, dtype=float)).copy()
    if x.ndim != 1 or not np.all(np.isfinite(x)):
        raise ValueError(f"x0: expected finite values of shape (n_agents,), got {x.shape}")
    out = np.empty((t.size, x.size))
    out[0] = x
    for k in range(t.size - 1):
        x = x + (-solution.P[k] * (x - solution.mean[k]) + solution.velocity[k]) * dt[k]
        if sigma > 0:
            x = x + sigma * np.sqrt(dt[k]) * gen.standard_normal(x.size)
        out[k + 1] = x
    return out


# --- 2. finite-difference MFG solver ---------------------------------------------

def _mean(x, m):
    return float(np.dot(x, m) / np.sum(m))


def lq_couplings(q, c_T):
    r"""The couplings of :func:`lq_gaussian_mfg` as callables for :func:`solve_mfg_fd`.

    Returns ``(F, G)`` with :math:`F(x, m) = \frac q2(x - \bar m)^2`,
    :math:`G(x, m) = \frac{c_T}{2}(x-\bar m)^2`,
    :math:`\bar m = \sum_i x_i m_i / \sum_i m_i` (grid mean of the density ``m``).

    Examples
    --------
    >>> F, G = lq_couplings(2.0, 1.0)
    >>> F(np.array([0.0, 1.0, 2.0]), np.ones(3)).tolist()
    [1.0, 0.0, 1.0]
    """
    q = check_nonnegative("q", q)
    c_T = check_nonnegative("c_T", c_T)

    def F(x, m):
        return 0.5 * q * (x - _mean(x, m)) ** 2

    def G(x, m):
        return 0.5 * c_T * (x - _mean(x, m)) ** 2

    return F, G


def lq_target_couplings(q, c_T, kappa, gamma, xi):
    r"""The couplings of :func:`lq_target_mfg` as callables for :func:`solve_mfg_fd`.

    :math:`F(x, m) = \frac q2(x-\bar m)^2 + \frac\kappa2(x-\xi)^2`,
    :math:`G(x, m) = \frac{c_T}2(x-\bar m)^2 + \frac\gamma2(x-\xi)^2` with the
    grid mean :math:`\bar m` of ``m``.

    Examples
    --------
    >>> F, G = lq_target_couplings(0.0, 0.0, 2.0, 0.0, 1.0)
    >>> F(np.array([0.0, 1.0]), np.ones(2)).tolist()
    [1.0, 0.0]
    """
    F0, G0 = lq_couplings(q, c_T)
    kappa = check_nonnegative("kappa", kappa)
    gamma = check_nonnegative("gamma", gamma)
    xi = float(xi)

    def F(x, m):
        return F0(x, m) + 0.5 * kappa * (x - xi) ** 2

    def G(x, m):
        return G0(x, m) + 0.5 * gamma * (x - xi) ** 2

    return F, G



@dataclass(frozen=True)
class MFGResult:
    r"""Output of :func:`solve_mfg_fd`.

    Attributes
    ----------
    t : ndarray, shape (n_steps + 1,)
        :math:`t_k = k\,\Delta t`.
    x : ndarray, shape (n,)
        Cell centres.
    u : ndarray, shape (n_steps + 1, n)
        Value function :math:`u^k_i`; ``u[-1] = G(x, m[-1])``.
    m : ndarray, shape (n_steps + 1, n)
        Densities :math:`m^k_i` (:math:`\Delta x\sum_i m^k_i = 1`); ``m[0] = m0``.
        The last FP sweep, i.e. the best response of the population to ``u``.
    mass : ndarray, shape (n_steps + 1,)
        :math:`\Delta x\sum_i m^k_i`.
    residual : ndarray, shape (n_iter,)
        :math:`\max_{k,i}\Delta x\,|m^{\rm new} - m^{\rm old}|` per fixed-point
        iteration (discrete sup-in-time :math:`L^1` distance).
    n_iter : int
        Fixed-point iterations done.
    newton_iter : int
        Total Newton iterations over all HJB steps and fixed-point iterations.
    success : bool
        ``residual[-1] <= tol`` and every Newton solve converged.
    message : str
    """

    t: np.ndarray
    x: np.ndarray
    u: np.ndarray
    m: np.ndarray
    mass: np.ndarray
    residual: np.ndarray
    n_iter: int
    newton_iter: int
    success: bool
    message: str

    def mean(self):
        """Mean of :math:`m` at each time, shape ``(n_steps + 1,)``."""
        return self.m @ self.x / self.m.sum(axis=1)

    def var(self):
        """Variance of :math:`m` at each time, shape ``(n_steps + 1,)``."""
        mu = self.mean()
        return ((self.x[None, :] - mu[:, None]) ** 2 * self.m).sum(axis=1) / self.m.sum(axis=1)


class _Discretisation:
    """Differences, Laplacian, the upwind Hamiltonian and the Newton Jacobian on a 1-d grid."""

    def __init__(self, n, h, nu, dt, boundary):
        i = np.arange(n)
        if boundary == "periodic":
            il, ir = (i - 1) % n, (i + 1) % n
        else:  # reflected neighbours: zero boundary differences (no flux)
            il, ir = np.maximum(i - 1, 0), np.minimum(i + 1, n - 1)
        self.i, self.il, self.ir = i, il, ir
        self.periodic = boundary == "periodic"
        self.n, self.h, self.nu, self.dt = n, h, nu, dt

    def diffs(self, u):
        """D^-u and D^+u along the last axis."""
        return (u - u[..., self.il]) / self.h, (u[..., self.ir] - u) / self.h

    def lap(self, u):
        return (u[..., self.ir] - 2 * u + u[..., self.il]) / self.h**2

    def ham(self, u):
        pm, pp = self.diffs(u)
        return 0.5 * (np.maximum(pm, 0) ** 2 + np.minimum(pp, 0) ** 2)

    def a_entries(self, u):
        """Rows, columns and values of A(u) = I/dt - nu L + J_g(u) (u of shape (..., n))."""
        pm, pp = self.diffs(u)
        a, b = np.maximum(pm, 0) / self.h, np.minimum(pp, 0) / self.h
        c = self.nu / self.h**2
        vals = np.concatenate([-c - a, 1 / self.dt + 2 * c + a - b, -c + b], axis=-1)
        rows = np.concatenate([self.i, self.i, self.i])
        cols = np.concatenate([self.il, self.i, self.ir])
        return rows, cols, vals

    def A(self, u):
        """A(u): an M-matrix with row sums 1/dt."""
        rows, cols, vals = self.a_entries(u)
        return sparse.csc_matrix((vals, (rows, cols)), shape=(self.n, self.n))

    def solve(self, u, rhs, transpose=False):
        """Solve A(u) x = rhs (or A(u)^T x = rhs): banded LU on an interval, sparse LU on a circle."""
        if self.periodic:
            mat = self.A(u)
            return spsolve((mat.T if transpose else mat).tocsc(), rhs)
        pm, pp = self.diffs(u)
        a, b = np.maximum(pm, 0) / self.h, np.minimum(pp, 0) / self.h
        c = self.nu / self.h**2
        diag = 1 / self.dt + 2 * c + a - b
        diag[0] -= c  # reflected neighbours: the (0, il) entry falls on the diagonal
        diag[-1] -= c
        lower, upper = (-c - a)[1:], (-c + b)[:-1]  # A[i, i-1] for i >= 1, A[i, i+1] for i < n-1
        if transpose:
            lower, upper = upper, lower
        ab = np.zeros((3, self.n))
        ab[0, 1:] = upper
        ab[1] = diag
        ab[2, :-1] = lower
        return solve_banded((1, 1), ab, rhs)

    def a_transpose_times(self, u, m):
        """A(u^k)^T m^k for every row k (u, m of shape (K, n))."""
        pm, pp = self.diffs(u)
        wa, wb = np.maximum(pm, 0) * m / self.h, np.minimum(pp, 0) * m / self.h
        out = m / self.dt - self.nu * self.lap(m) + wa - wb
        np.add.at(out.T, self.il, -wa.T)
        np.add.at(out.T, self.ir, wb.T)
        return out

    def hjb_step(self, u_next, f, tol=1e-12, max_newton=30):
        """Solve (u - u_next)/dt - nu L u + g(u) = f by Newton; return u, iterations, converged."""
        u = u_next.copy()
        scale = 1.0 + np.max(np.abs(f)) + np.max(np.abs(u_next)) / self.dt
        for it in range(max_newton):
            res = (u - u_next) / self.dt - self.nu * self.lap(u) + self.ham(u) - f
            if np.max(np.abs(res)) <= tol * scale:
                return u, it, True
            u = u - self.solve(u, res)
        res = (u - u_next) / self.dt - self.nu * self.lap(u) + self.ham(u) - f
        return u, max_newton, bool(np.max(np.abs(res)) <= tol * scale)


def solve_mfg_fd(grid, m0, F, G, *, T, nu, n_steps, boundary="neumann", damping=0.5,
                 tol=1e-8, max_iter=200, newton_tol=1e-12, max_newton=30) -> MFGResult:
    r"""Finite-difference MFG solver (Achdou--Capuzzo-Dolcetta) with :math:`H = |p|^2/2`.

    Solves

    .. math::

        -\partial_t u - \nu\,\partial_{xx}u + \tfrac12|\partial_x u|^2 = F(x, m(t)),
        \qquad u(T) = G(x, m(T)),

        \partial_t m - \nu\,\partial_{xx}m - \partial_x(m\,\partial_x u) = 0,
        \qquad m(0) = m_0,

    on an interval with no-flux (Neumann) conditions or on a circle (periodic).

    **Scheme** [1]_. Cell centres :math:`x_i`, :math:`h = \Delta x`,
    :math:`\Delta t = T/n_{\rm steps}`; :math:`D^-u_i = (u_i - u_{i-1})/h`,
    :math:`D^+u_i = (u_{i+1}-u_i)/h`, :math:`(\Delta_h u)_i = (u_{i+1} - 2u_i + u_{i-1})/h^2`
    (reflected neighbours at a no-flux end, so the boundary differences vanish).
    The monotone upwind numerical Hamiltonian

    .. math::

        g(D^-u_i, D^+u_i) = \tfrac12\big[(D^-u_i)_+^2 + (D^+u_i)_-^2\big]

    is non-increasing in :math:`u_{i\pm1}` and consistent with :math:`p^2/2`
    (it is Godunov's flux except at concave kinks, where it is larger).
    Implicit Euler, backward for :math:`u` (coupled to :math:`m^{k+1}`):

    .. math::

        \frac{u^k - u^{k+1}}{\Delta t} - \nu\Delta_h u^k + g(D^-u^k, D^+u^k)
            = F(x, m^{k+1}), \qquad u^{n_{\rm steps}} = G(x, m^{n_{\rm steps}}),

    each step solved by Newton with the tridiagonal (cyclic on the circle)
    Jacobian :math:`A(u) = I/\Delta t - \nu\Delta_h + \nabla g(u)`, a sparse
    M-matrix with row sums :math:`1/\Delta t`. The FP step is the exact
    discrete adjoint of the linearised HJB operator:

    .. math::

        A(u^k)^{\!\top} m^{k+1} = m^k/\Delta t,

    so :math:`\sum_i m^{k+1}_i = \sum_i m^k_i` (columns of :math:`A^\top` sum to
    :math:`1/\Delta t`: mass to rounding) and :math:`A^{-\top}\ge 0`
    (:math:`m\ge 0`). The coupling is the damped fixed point
    :math:`m \leftarrow (1-\theta)m + \theta\,\Phi(m)` with
    :math:`\Phi` = (HJB backward, then FP forward) and :math:`\theta` =
    ``damping``; the first iterate is :math:`m^k = m_0` for all :math:`k`.
    The scheme is first order in :math:`h` and :math:`\Delta t`.

    Parameters
    ----------
    grid : Grid1D
        Cell-centred grid (:func:`meanfield.grids.make_grid`); on the circle
        its length is the period.
    m0 : array_like, shape (n,)
        Initial density, :math:`\ge 0`, renormalised to :math:`h\sum_i m_i = 1`.
    F, G : callable
        ``F(x, m)`` and ``G(x, m)``: arrays of shape (n,) from the cell
        centres and a density on them (e.g. :func:`lq_couplings`).
    T : float
        Horizon.
    nu : float
        Viscosity :math:`\nu = \sigma^2/2 \ge 0`.
    n_steps : int
        Time steps.
    boundary : {"neumann", "periodic"}
    damping : float
        :math:`\theta\in(0, 1]`.
    tol : float
        Stop when the fixed-point residual (see :class:`MFGResult`) is
        :math:`\le` ``tol``.
    max_iter : int
        Maximum fixed-point iterations.
    newton_tol : float
        Newton stops when the HJB residual is :math:`\le` ``newton_tol`` times
        a scale of the data.
    max_newton : int
        Maximum Newton iterations per step.

    Returns
    -------
    MFGResult
        ``success`` is False, with the residual history, if the fixed point
        or a Newton solve did not converge. The damped fixed point converges
        (linearly) for the LQ couplings and for moderate local couplings; for
        strong ones it can stall in a cycle (e.g. :math:`F = 2m + \sin 2\pi x`,
        :math:`\nu = 0.05` on the unit circle, :math:`T = 1/2`: residual stuck
        near 0.9), which is reported, never returned as success.

    Examples
    --------
    >>> from meanfield.grids import make_grid
    >>> g = make_grid(-3, 3, 60)
    >>> F, G = lq_couplings(1.0, 1.0)
    >>> res = solve_mfg_fd(g, np.exp(-g.centers**2), F, G, T=1.0, nu=0.5, n_steps=20)
    >>> bool(res.success), bool(abs(res.mass - 1).max() < 1e-12), bool(res.m.min() >= 0)
    (True, True, True)
    """
    if not isinstance(grid, Grid1D):
        raise TypeError(f"grid: expected a Grid1D (meanfield.grids.make_grid), got {type(grid).__name__}")
    if not callable(F) or not callable(G):
        raise TypeError("F, G: expected callables F(x, m) and G(x, m)")
    T = check_positive("T", T)
    nu = check_nonnegative("nu", nu)
    n_steps = check_int("n_steps", n_steps)
    boundary = check_choice("boundary", boundary, ("neumann", "periodic"))
    damping = check_in_range("damping", damping, 0.0, 1.0, closed=(False, True))
    tol = check_positive("tol", tol)
    max_iter = check_int("max_iter", max_iter)
    newton_tol = check_positive("newton_tol", newton_tol)
    max_newton = check_int("max_newton", max_newton)
    x, h, n = grid.centers, grid.dx, grid.n
    m0 = np.asarray(m0, dtype=float)
    if m0.shape != (n,):
        raise ValueError(f"m0: expected shape ({n},), got {m0.shape}")
    if not np.all(np.isfinite(m0)) or np.any(m0 < 0) or m0.sum() <= 0:
        raise ValueError("m0: must be finite, >= 0 and not identically 0")
    m0 = m0 / (h * m0.sum())
    dt = T / n_steps
    op = _Discretisation(n, h, nu, dt, boundary)

    def evaluate(fun, name, mk):
        out = np.asarray(fun(x, mk), dtype=float)
        if out.shape != (n,) or not np.all(np.isfinite(out)):
            raise ValueError(f"{name}: must return finite values of shape ({n},), got {out.shape}")
        return out

    m = np.tile(m0, (n_steps + 1, 1))
    u = np.empty_like(m)
    residual = []
    newton_total, newton_ok = 0, True
    success = False
    for it in range(1, max_iter + 1):
        u[-1] = evaluate(G, "G", m[-1])
        for k in range(n_steps - 1, -1, -1):
            u[k], nit, ok = op.hjb_step(u[k + 1], evaluate(F, "F", m[k + 1]), newton_tol, max_newton)
            newton_total += nit
            newton_ok &= ok
        m_new = np.empty_like(m)
        m_new[0] = m0
        for k in range(n_steps):
            m_new[k + 1] = op.solve(u[k], m_new[k] / dt, transpose=True)
        residual.append(float(h * np.max(np.abs(m_new - m).sum(axis=1))))
        if residual[-1] <= tol:
            m = m_new
            success = True
            break
        m = (1.0 - damping) * m + damping * m_new
    if success and newton_ok:
        message = f"converged in {it} fixed-point iterations (residual {residual[-1]:.2e})"
    elif not success:
        message = (f"no convergence: fixed-point residual {residual[-1]:.2e} > tol = {tol:.1e} "
                   f"after max_iter = {max_iter} iterations")
        # return the best response to the last u, consistent with it
        m = m_new
    else:
        message = "a Newton solve of the HJB did not reach newton_tol"
    return MFGResult(t=dt * np.arange(n_steps + 1), x=x, u=u, m=m, mass=h * m.sum(axis=1),
                     residual=np.asarray(residual), n_iter=it, newton_iter=newton_total,
                     success=bool(success and newton_ok), message=message)


# --- 3. Carmona--Fouque--Sun systemic risk ---------------------------------------

def _check_sr(a, q, eps, c, sigma=None, rho=None):
    a = check_nonnegative("a", a)
    q = check_nonnegative("q", q)
    eps = check_nonnegative("eps", eps)
    if q**2 > eps:
        raise ValueError(f"eps: the model needs q^2 <= eps, got q^2 = {q**2} > eps = {eps}")
    c = check_nonnegative("c", c)
    out = [a, q, eps, c]
    if sigma is not None:
        out.append(check_nonnegative("sigma", sigma))
        out.append(check_in_range("rho", rho, 0.0, 1.0, closed=(True, True)))
    return out


def _check_N(N):
    if isinstance(N, float) and N == np.inf:
        return np.inf
    return check_int("N", N)


def systemic_risk_eta(t, *, N, a, q, eps, c, T=1.0, method="closed_form"):
    r"""Riccati function :math:`\eta_N` of the Carmona--Fouque--Sun closed-loop Nash equilibrium.

    Banks :math:`i = 1..N` borrow and lend (Carmona, Fouque and Sun [2]_):

    .. math::

        dX^i_t = \big(a(\bar X_t - X^i_t) + \alpha^i_t\big)dt
            + \sigma\big(\rho\,dW^0_t + \sqrt{1-\rho^2}\,dW^i_t\big),

    with cost :math:`\mathbb E\big[\int_0^T(\frac12(\alpha^i)^2 - q\alpha^i(\bar X - X^i)
    + \frac\varepsilon2(\bar X - X^i)^2)dt + \frac c2(\bar X_T - X^i_T)^2\big]`,
    :math:`q^2\le\varepsilon`, :math:`\bar X = \frac1N\sum_j X^j`. The
    closed-loop Nash equilibrium is

    .. math::

        \alpha^i_t = \Big(q + \big(1 - \tfrac1N\big)\eta_N(t)\Big)(\bar X_t - X^i_t),

        \dot\eta_N = 2(a+q)\eta_N + \big(1 - \tfrac1{N^2}\big)\eta_N^2 - (\varepsilon - q^2),
        \qquad \eta_N(T) = c,

    as stated in [2]_ (Section 3). *Check* (done here): the ansatz
    :math:`V^i = \frac{\eta}{2}(\bar x - x^i)^2 + \mu(t)` in the
    :math:`N`-player HJB has :math:`\partial_{x^j}V^i = \eta(\bar x - x^i)(\frac1N - \delta_{ij})`;
    minimising over :math:`\alpha^i` gives the feedback above; the drift of
    every bank is :math:`\kappa(\bar x - x^j)`,
    :math:`\kappa = a + q + (1-\frac1N)\eta`, and
    :math:`\sum_j\kappa(\bar x - x^j)\partial_jV^i = -\kappa\eta(\bar x-x^i)^2`,
    the running cost is :math:`[\frac12(1-\frac1N)^2\eta^2 + \frac12(\varepsilon-q^2)](\bar x-x^i)^2`;
    collecting :math:`(\bar x - x^i)^2` gives exactly the ODE above (the
    common noise drops out of the :math:`\eta` equation because
    :math:`\sum_j\partial_{x^j}V^i = 0`; it only enters
    :math:`\dot\mu = -\frac12(1-\rho^2)(1-\frac1N)\sigma^2\eta`). ``N = np.inf``
    gives the MFG limit :math:`\eta_\infty` (coefficient 1 of :math:`\eta^2`).
    Since :math:`N` enters only through :math:`1 - 1/N^2`,
    :math:`\eta_N - \eta_\infty = O(1/N^2)`, while the feedback gain
    :math:`q + (1-\frac1N)\eta_N` differs from :math:`q + \eta_\infty` by :math:`O(1/N)`.

    **Closed form.** With :math:`B = 1 - 1/N^2`, :math:`C = \varepsilon - q^2`,
    :math:`\delta^\pm = -(a+q)\pm\sqrt{R}`, :math:`R = (a+q)^2 + BC`
    (the roots of :math:`B\eta^2 + 2(a+q)\eta - C` are :math:`\delta^\pm/B`), the
    cross ratio :math:`(\eta - \delta^+/B)/(\eta - \delta^-/B)` grows like
    :math:`e^{(\delta^+-\delta^-)t}`, which gives the paper's

    .. math::

        \eta_N(t) = \frac{-C\big(e^{(\delta^+-\delta^-)(T-t)} - 1\big)
            - c\big(\delta^+e^{(\delta^+-\delta^-)(T-t)} - \delta^-\big)}
            {\big(\delta^-e^{(\delta^+-\delta^-)(T-t)} - \delta^+\big)
            - cB\big(e^{(\delta^+-\delta^-)(T-t)} - 1\big)},

    evaluated here in the overflow-free form
    :math:`\eta = \frac{Cg + c(1 + \delta^- g)}{1 - \delta^+g + cBg}`,
    :math:`g = (1 - e^{-2\sqrt R(T-t)})/(2\sqrt R)` (:math:`g = T-t` if :math:`R = 0`).

    Parameters
    ----------
    t : array_like
        Times in :math:`[0, T]`.
    N : int or ``np.inf``
        Number of banks (:math:`\ge 1`).
    a, q, eps, c : float
        Mean-reversion rate, incentive to borrow/lend, running and terminal
        weights (all :math:`\ge 0`, :math:`q^2\le\varepsilon`).
    T : float, optional
    method : {"closed_form", "solve_ivp"}

    Returns
    -------
    ndarray, same shape as ``t``

    Examples
    --------
    >>> float(systemic_risk_eta(1.0, N=10, a=1.0, q=0.5, eps=1.0, c=0.3))
    0.3
    """
    a, q, eps, c = _check_sr(a, q, eps, c)
    N = _check_N(N)
    T = check_positive("T", T)
    method = check_choice("method", method, ("closed_form", "solve_ivp"))
    t = _check_times("t", t, T)
    B = 1.0 - 1.0 / N**2
    C = eps - q**2
    if method == "solve_ivp":
        # in s = T - t: d eta/ds = -(2(a+q) eta + B eta^2 - C)
        sol = solve_ivp(lambda s, y: -(2 * (a + q) * y + B * y**2 - C), (0.0, T), [c],
                        dense_output=True, rtol=_ODE_RTOL, atol=_ODE_ATOL)
        if not sol.success:  # pragma: no cover - smooth, bounded ODE
            raise RuntimeError(f"solve_ivp failed: {sol.message}")
        return sol.sol(np.ravel(T - t))[0].reshape(t.shape)
    sR = np.sqrt((a + q) ** 2 + B * C)
    dp, dm = -(a + q) + sR, -(a + q) - sR
    tau = T - t
    g = -np.expm1(-2 * sR * tau) / (2 * sR) if sR > 0 else tau
    return (C * g + c * (1 + dm * g)) / (1 - dp * g + c * B * g)


@dataclass(frozen=True)
class SystemicRiskPaths:
    r"""Simulated log-monetary reserves of :math:`N` banks (:func:`simulate_systemic_risk`).

    Attributes
    ----------
    t : ndarray, shape (n_steps + 1,)
    X : ndarray, shape (n_paths, n_steps + 1, N)
        :math:`X^i_{t_k}` for each common-noise draw.
    Xbar : ndarray, shape (n_paths, n_steps + 1)
        Empirical mean :math:`\bar X`.
    common : ndarray, shape (n_paths, n_steps + 1)
        Common-noise part :math:`\bar X_0 + \sigma\rho W^0_t` of :math:`\bar X`.
    idiosyncratic : ndarray, shape (n_paths, n_steps + 1)
        :math:`\bar X - \text{common} = \sigma\sqrt{1-\rho^2}\,\frac1N\sum_i W^i_t`
        (up to rounding).
    eta : ndarray, shape (n_steps + 1,)
        :math:`\eta_N(t_k)`.
    N : int
    success : bool
    message : str
    """

    t: np.ndarray
    X: np.ndarray
    Xbar: np.ndarray
    common: np.ndarray
    idiosyncratic: np.ndarray
    eta: np.ndarray
    N: int
    success: bool
    message: str


def simulate_systemic_risk(x0, *, a, q, eps, c, sigma, rho, T=1.0, n_steps=100,
                           n_paths=1, dW0=None, dW=None, rng=None) -> SystemicRiskPaths:
    r"""Euler--Maruyama simulation of the CFS banks under the closed-loop Nash equilibrium.

    .. math::

        X^i_{k+1} = X^i_k + \kappa_N(t_k)(\bar X_k - X^i_k)\Delta t
            + \sigma\big(\rho\,\Delta W^0_k + \sqrt{1-\rho^2}\,\Delta W^i_k\big),
        \qquad \kappa_N = a + q + (1 - \tfrac1N)\eta_N,

    with :math:`\eta_N` from :func:`systemic_risk_eta`. The drift sums to zero
    over banks, so :math:`\bar X_T = \bar X_0 + \sigma\rho W^0_T +
    \sigma\sqrt{1-\rho^2}\,\frac1N\sum_iW^i_T` exactly (and in the scheme):
    :math:`\operatorname{Var}\bar X_T = \sigma^2T(\rho^2 + (1-\rho^2)/N)`,
    which does not vanish as :math:`N\to\infty` when :math:`\rho > 0`
    (systemic risk), while the idiosyncratic part decays like :math:`1/N`.

    Parameters
    ----------
    x0 : array_like, shape (N,) or (n_paths, N)
        Initial reserves; ``N = x0.shape[-1]``.
    a, q, eps, c : float
        See :func:`systemic_risk_eta`.
    sigma : float
        Volatility :math:`\ge 0`.
    rho : float
        Correlation with the common noise, in :math:`[0, 1]`.
    T : float
    n_steps : int
    n_paths : int
        Number of independent draws (of both common and idiosyncratic noise);
        ignored when ``dW0`` is given.
    dW0 : array_like, shape (n_paths, n_steps), optional
        Common Brownian increments (variance :math:`\Delta t`). Pass the same
        ``dW0`` to drive several ``N`` by the same common noise.
    dW : array_like, shape (n_paths, n_steps, N') with N' >= N, optional
        Idiosyncratic increments; the first ``N`` columns are used.
    rng : None, int or numpy.random.Generator
        Draws whichever increments are not given (common first).

    Returns
    -------
    SystemicRiskPaths

    Examples
    --------
    >>> p = simulate_systemic_risk(np.zeros(5), a=1, q=0.5, eps=1, c=0, sigma=1, rho=0.5,
    ...                            n_steps=10, n_paths=3, rng=0)
    >>> p.X.shape, bool(np.allclose(p.Xbar, p.common + p.idiosyncratic))
    ((3, 11, 5), True)
    """
    a, q, eps, c, sigma, rho = _check_sr(a, q, eps, c, sigma, rho)
    T = check_positive("T", T)
    n_steps = check_int("n_steps", n_steps)
    x0 = np.asarray(x0, dtype=float)
    if x0.ndim not in (1, 2) or x0.shape[-1] < 1 or not np.all(np.isfinite(x0)):
        raise ValueError(f"x0: expected finite values of shape (N,) or (n_paths, N), got {x0.shape}")
    N = x0.shape[-1]
    dt = T / n_steps
    gen = None
    if dW0 is None:
        n_paths = check_int("n_paths", n_paths)
        gen = as_generator(rng)
        dW0 = gen.normal(0.0, np.sqrt(dt), size=(n_paths, n_steps))
    dW0 = np.asarray(dW0, dtype=float)
    if dW0.ndim != 2 or dW0.shape[1] != n_steps:
        raise ValueError(f"dW0: expected shape (n_paths, {n_steps}), got {dW0.shape}")
    n_paths = dW0.shape[0]
    if dW is None:
        gen = as_generator(rng) if gen is None else gen
        dW = gen.normal(0.0, np.sqrt(dt), size=(n_paths, n_steps, N))
    dW = np.asarray(dW, dtype=float)
    if dW.ndim != 3 or dW.shape[:2] != (n_paths, n_steps) or dW.shape[2] < N:
        raise ValueError(f"dW: expected shape ({n_paths}, {n_steps}, >= {N}), got {dW.shape}")
    dW = dW[:, :, :N]
    if x0.ndim == 2 and x0.shape[0] != n_paths:
        raise ValueError(f"x0: expected {n_paths} rows (one per path), got {x0.shape[0]}")
    t = dt * np.arange(n_steps + 1)
    eta = systemic_risk_eta(t, N=N, a=a, q=q, eps=eps, c=c, T=T)
    kappa = a + q + (1.0 - 1.0 / N) * eta
    X = np.empty((n_paths, n_steps + 1, N))
    X[:, 0] = x0
    noise = sigma * (rho * dW0[:, :, None] + np.sqrt(1.0 - rho**2) * dW)
    for k in range(n_steps):
        xk = X[:, k]
        xbar = xk.mean(axis=1, keepdims=True)
        X[:, k + 1] = xk + kappa[k] * (xbar - xk) * dt + noise[:, k]
    Xbar = X.mean(axis=2)
    W0 = np.concatenate([np.zeros((n_paths, 1)), np.cumsum(dW0, axis=1)], axis=1)
    common = Xbar[:, :1] + sigma * rho * W0
    return SystemicRiskPaths(t=t, X=X, Xbar=Xbar, common=common, idiosyncratic=Xbar - common,
                             eta=eta, N=N, success=True, message="simulated")


@dataclass(frozen=True)
class SystemicRiskValue:
    r"""Value function of a bank in the Carmona--Fouque--Sun equilibrium (:func:`systemic_risk_value`).

    Attributes
    ----------
    t : ndarray, shape (k,)
    eta, mu : ndarray, shape (k,)
        :math:`V^i(t, x) = \frac{\eta(t)}{2}(\bar x - x^i)^2 + \mu(t)`.
    N : int or float
        Number of banks (``np.inf`` for the mean-field game).
    success : bool
    message : str
    """

    t: np.ndarray
    eta: np.ndarray
    mu: np.ndarray
    N: float
    success: bool
    message: str

    def value(self, y):
        r""":math:`V` at distance ``y`` :math:`= \bar x - x^i` from the mean, shape ``(len(t), len(y))``."""
        y = np.atleast_1d(np.asarray(y, dtype=float))
        return 0.5 * self.eta[:, None] * y**2 + self.mu[:, None]


def systemic_risk_value(t, *, N, a, q, eps, c, sigma, rho, T=1.0) -> SystemicRiskValue:
    r"""Value function :math:`V^i = \frac{\eta_N}{2}(\bar x - x^i)^2 + \mu_N(t)` of the CFS game.

    :math:`\eta_N` is :func:`systemic_risk_eta`; the constant term solves

    .. math::

        \mu_N' = -\tfrac12\sigma^2(1-\rho^2)\big(1 - \tfrac1N\big)\eta_N, \qquad \mu_N(T) = 0,

    i.e. :math:`\mu_N(t) = \frac12\sigma^2(1-\rho^2)(1-\frac1N)\int_t^T\eta_N(s)\,ds`
    (the trace of the noise covariance against the Hessian of :math:`V^i`;
    the common noise moves :math:`x^i` and :math:`\bar x` together and drops
    out). ``N = np.inf`` gives the mean-field game, where :math:`\bar x` is the
    conditional mean of the population given the common noise. The integral is
    computed by :func:`scipy.integrate.solve_ivp` (rtol 1e-12) on the closed
    form of :math:`\eta_N`.

    Parameters
    ----------
    t : array_like, shape (k,)
        Times in :math:`[0, T]`.
    N : int or ``np.inf``
    a, q, eps, c : float
        See :func:`systemic_risk_eta`.
    sigma : float
        Volatility :math:`\ge 0`.
    rho : float
        Correlation with the common noise, in :math:`[0, 1]`.
    T : float, optional

    Returns
    -------
    SystemicRiskValue

    Examples
    --------
    >>> v = systemic_risk_value([0.0, 1.0], N=np.inf, a=0.0, q=0.0, eps=0.0, c=1.0, sigma=1.0, rho=0.0)
    >>> np.round(v.eta, 12).tolist(), np.round(v.mu, 10).tolist()  # eta = 1/(2 - t), mu = log(2)/2 at 0
    ([0.5, 1.0], [0.3465735903, 0.0])
    """
    a, q, eps, c, sigma, rho = _check_sr(a, q, eps, c, sigma, rho)
    N = _check_N(N)
    T = check_positive("T", T)
    t = np.atleast_1d(_check_times("t", t, T))
    k = 0.5 * sigma**2 * (1.0 - rho**2) * (1.0 - 1.0 / N)
    eta_of = lambda s: systemic_risk_eta(np.clip(s, 0.0, T), N=N, a=a, q=q, eps=eps, c=c, T=T)  # noqa: E731
    sol = solve_ivp(lambda s, y: [k * eta_of(T - s)], (0.0, T), [0.0], dense_output=True,
                    rtol=_ODE_RTOL, atol=_ODE_ATOL)
    mu = sol.sol(T - t)[0]
    return SystemicRiskValue(t=t, eta=eta_of(t), mu=mu, N=N, success=bool(sol.success),
                             message="eta closed form; mu by solve_ivp: " + sol.message)
