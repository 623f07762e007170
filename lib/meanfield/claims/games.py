r"""Claims of the source on mean-field games (*Checking the text*, rows C21-C23).

One function per claim, named after what it checks, its docstring starting
with the row's ID; each returns a frozen result dataclass whose fields are
the numbers quoted in the row (``book/claims/games.md``, tested in
``tests/test_claims_games.py``). The general tools live in
:mod:`meanfield.mfg`; what is here exists to check the text.

=====  ==========================================================
C21    :func:`riccati_equation_of_the_ansatz` (on :func:`quadratic_equilibrium`)
C22    :func:`equilibrium_paths_and_value` (on :func:`quadratic_equilibrium`)
C23    :func:`systemic_risk_convergence_rates`
=====  ==========================================================

The section's example (C21, C22) is the deterministic game, :math:`T = 1`,

.. math::

    -\partial_t u + \tfrac12|\partial_x u|^2 = x\,m(t,x), \qquad u(1,x) = x^2/2,
    \qquad \partial_t m - \partial_x(m\,\partial_x u) = 0, \qquad m(0) = \delta_0,

in the conventions of :mod:`meanfield.mfg` (:math:`u` a cost, feedback
:math:`\alpha = -\partial_x u`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from ..mfg import _ODE_ATOL, _ODE_RTOL, _check_times, systemic_risk_eta
from ..utils import check_positive

__all__ = [
    "QuadraticEquilibrium",
    "quadratic_equilibrium",
    "RiccatiCheck",
    "riccati_equation_of_the_ansatz",
    "EquilibriumPaths",
    "equilibrium_paths_and_value",
    "SystemicRiskRates",
    "systemic_risk_convergence_rates",
]


# --- C21, C22: the section's deterministic LQ game -------------------------------------------------

@dataclass(frozen=True)
class QuadraticEquilibrium:
    r"""The equilibrium of the section's deterministic LQ game (:func:`quadratic_equilibrium`).

    Attributes
    ----------
    t : ndarray
        Times in :math:`[0, 1]`.
    a, b, c : ndarray
        Coefficients of :math:`u(t,x) = a(t)x^2 + b(t)x + c(t)`:
        :math:`a = 1/(2(2-t))`, :math:`b = c = 0` (closed form).
    a_ode : ndarray
        :math:`a` from :func:`scipy.integrate.solve_ivp` on :math:`a' = 2a^2`,
        :math:`a(1) = 1/2` (backward), a check of the closed form.
    X : ndarray
        Optimal path :math:`X(t) = X(0)(2-t)/2` of a player in the
        equilibrium environment :math:`m = \delta_0`.
    alpha : ndarray
        Optimal control along the path, :math:`\alpha(t) = -\partial_x u(t, X(t))
        = -X(t)/(2-t) = -X(0)/2`.
    x0 : float
        :math:`X(0)`.
    success : bool
    message : str
    """

    t: np.ndarray
    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    a_ode: np.ndarray
    X: np.ndarray
    alpha: np.ndarray
    x0: float
    success: bool
    message: str

    def u(self, x):
        """Value function :math:`u(t, x)` on the grid ``t`` x ``x`` (shape ``(len(t), len(x))``)."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        return self.a[:, None] * x**2 + self.b[:, None] * x + self.c[:, None]

    def feedback(self, x):
        r"""Optimal feedback :math:`\alpha(t, x) = -\partial_x u = -x/(2-t)`, shape ``(len(t), len(x))``."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        return -(2 * self.a[:, None] * x + self.b[:, None])


def quadratic_equilibrium(t, *, x0=0.0) -> QuadraticEquilibrium:
    r"""C21, C22: the section's deterministic LQ game, solved correctly, with what does and does not close.

    The model (deterministic, :math:`\nu = 0`, :math:`T = 1`):

    .. math::

        -\partial_t u + \tfrac12|\partial_x u|^2 = x\,m(t,x), \qquad u(1,x) = x^2/2,

        \partial_t m - \partial_x(m\,\partial_x u) = 0, \qquad m(0) = \delta_0,

    i.e. :math:`V(x) = x` weighted by the density, :math:`G(x) = x^2/2`.

    **The quadratic ansatz.** With :math:`u = a x^2 + b x + c`,
    :math:`\partial_x u = 2ax + b` and

    .. math::

        -\partial_t u + \tfrac12(\partial_x u)^2
          = (-a' + 2a^2)\,x^2 + (-b' + 2ab)\,x + (-c' + b^2/2).

    **What closes.** The right-hand side :math:`x\,m(t,x)` is not a quadratic
    function of :math:`x`: for a deterministic flow from a Dirac mass,
    :math:`m(t) = \delta_{X(t)}` and :math:`x\,\delta_{X(t)} = X(t)\,\delta_{X(t)}`
    is a *distribution* (a point mass of weight :math:`X(t)`), so matching
    coefficients of :math:`x^2, x, 1` is meaningless unless it vanishes. It
    does vanish in the equilibrium: with :math:`m_0 = \delta_0` the
    guess :math:`m \equiv \delta_0` gives :math:`x\,\delta_0 = 0` as a
    distribution, the HJB becomes :math:`-\partial_t u + \frac12 u_x^2 = 0`,
    and matching coefficients gives the Riccati system

    .. math::

        a' = 2a^2,\ a(1) = \tfrac12 \;\Rightarrow\; \frac{1}{a(t)} = 2 + 2(1-t),
        \quad a(t) = \frac{1}{2(2-t)};\qquad b' = 2ab,\ b(1) = 0 \Rightarrow b\equiv 0;
        \qquad c' = b^2/2,\ c(1) = 0 \Rightarrow c \equiv 0,

    so :math:`u(t,x) = x^2/(2(2-t))` (which is also the Hopf--Lax formula
    :math:`\inf_y\{(x-y)^2/(2(1-t)) + y^2/2\}`). The feedback is
    :math:`\alpha(t,x) = -x/(2-t)`, the path :math:`X' = -X/(2-t)` gives
    :math:`X(t) = X(0)(2-t)/2` and, from :math:`X(0) = 0`, :math:`X\equiv 0`:
    :math:`m \equiv \delta_0` is consistent (a fixed point). The text's
    :math:`a' + 4a^2 = 0`, :math:`a = 1/(4(1-t))` (infinite at :math:`t=1`,
    so it misses :math:`a(1) = 1/2`, and it does not solve its own ODE),
    :math:`u = x^2/(4(1-t))` and :math:`X(t) = X(0)(1-t)^2` are wrong.

    **What does not close.** For :math:`m_0 = \delta_{x_0}`, :math:`x_0\ne 0`,
    or any non-Dirac :math:`m_0`, the source :math:`x\,m(t,x)` is a measure
    or a non-quadratic function; no quadratic :math:`u` solves the HJB, and
    with a measure source the HJB has no classical solution at all. The
    "pointwise" reading :math:`F(x,m) = x\,m(t,x)` with :math:`m` a density
    needs a smooth :math:`m_0` and a numerical solver. ``x0`` here only moves
    a single (negligible) player in the environment :math:`m\equiv\delta_0`,
    where his running cost is :math:`x\,\delta_0(x) = 0`.

    Parameters
    ----------
    t : array_like, shape (k,)
        Times in :math:`[0, 1]`.
    x0 : float, optional
        Initial position :math:`X(0)` of the tagged player (default 0).

    Returns
    -------
    QuadraticEquilibrium

    Examples
    --------
    >>> sol = quadratic_equilibrium([0.0, 1.0], x0=2.0)
    >>> sol.a.tolist(), sol.X.tolist()
    ([0.25, 0.5], [2.0, 1.0])
    """
    t = np.atleast_1d(_check_times("t", t, 1.0))
    x0 = float(np.asarray(x0, dtype=float))
    if not np.isfinite(x0):
        raise ValueError(f"x0: must be finite, got {x0}")
    a = 1.0 / (2.0 * (2.0 - t))
    zero = np.zeros_like(t)
    # backward solve a' = 2 a^2 from a(1) = 1/2 (in s = 1 - t: da/ds = -2a^2)
    sol = solve_ivp(lambda s, y: -2.0 * y**2, (0.0, 1.0), [0.5], dense_output=True,
                    rtol=_ODE_RTOL, atol=_ODE_ATOL)
    a_ode = sol.sol(1.0 - t)[0]
    X = x0 * (2.0 - t) / 2.0
    return QuadraticEquilibrium(t=t, a=a, b=zero, c=zero.copy(), a_ode=a_ode, X=X,
                         alpha=-2.0 * a * X, x0=x0, success=bool(sol.success),
                         message="closed form; solve_ivp check: " + sol.message)


def _text_a(t):
    """The text's a(t) = 1/(4(1 - t)) and its derivative."""
    return 1 / (4 * (1 - t)), 1 / (4 * (1 - t) ** 2)


@dataclass(frozen=True)
class RiccatiCheck:
    r"""The Riccati equation of the quadratic ansatz (:func:`riccati_equation_of_the_ansatz`).

    Attributes
    ----------
    equilibrium : QuadraticEquilibrium
        The correct solution, :math:`a = 1/(2(2-t))`, on the times asked.
    ode_error : float
        :math:`\max|a - a_{\rm ODE}|` (closed form against ``solve_ivp`` on :math:`a' = 2a^2`).
    terminal_value : float
        :math:`a(1)` (the terminal condition is :math:`\tfrac12`).
    text_ode_residual : float
        :math:`a' + 4a^2` at :math:`t = 0.5` for the text's :math:`a = 1/(4(1-t))`
        (it should be 0 if the text's :math:`a` solved its own equation).
    """

    equilibrium: QuadraticEquilibrium
    ode_error: float
    terminal_value: float
    text_ode_residual: float


def riccati_equation_of_the_ansatz(t=None) -> RiccatiCheck:
    r"""C21: the HJB ansatz gives :math:`a' + 4a^2 = 0`, :math:`a(1) = 1/2`, solved by :math:`a = 1/(4(1-t))`.

    The ansatz gives :math:`a' = 2a^2` (:func:`quadratic_equilibrium`), so
    :math:`a = 1/(2(2-t))`; the text's :math:`a` does not solve its own
    equation and is infinite at :math:`t = 1`.

    Examples
    --------
    >>> c = riccati_equation_of_the_ansatz()
    >>> c.terminal_value, round(c.text_ode_residual, 4), bool(c.ode_error < 1e-10)
    (0.5, 2.0, True)
    """
    sol = quadratic_equilibrium(np.linspace(0, 1, 11) if t is None else t)
    a, da = _text_a(0.5)
    return RiccatiCheck(equilibrium=sol, ode_error=float(np.max(np.abs(sol.a - sol.a_ode))),
                        terminal_value=float(quadratic_equilibrium(1.0).a[0]),
                        text_ode_residual=float(da + 4 * a**2))


@dataclass(frozen=True)
class EquilibriumPaths:
    r"""Paths and value function of the equilibrium (:func:`equilibrium_paths_and_value`).

    Attributes
    ----------
    x0 : float
    X_end : float
        :math:`X(1) = X(0)/2` (the text's :math:`X(0)(1-t)^2` gives 0).
    text_hjb_residual : float
        :math:`\max_{|x|\le2}|-\partial_t u + \tfrac12 u_x^2|` at :math:`t = 0`
        for the text's :math:`u = x^2/(4(1-t))`.
    """

    x0: float
    X_end: float
    text_hjb_residual: float


def equilibrium_paths_and_value(x0=1.0) -> EquilibriumPaths:
    r"""C22: :math:`X(t) = X(0)(1-t)^2`, :math:`m = \delta_0`, :math:`u(t,x) = x^2/(4(1-t))`.

    The equilibrium path is :math:`X(t) = X(0)(2-t)/2` (:func:`quadratic_equilibrium`);
    the text's :math:`u` leaves an HJB residual :math:`x^2/(8(1-t)^2)`,
    evaluated at :math:`t = 0` on 9 points of :math:`[-2, 2]`.

    Examples
    --------
    >>> p = equilibrium_paths_and_value(1.0)
    >>> p.X_end, p.text_hjb_residual
    (0.5, 0.5)
    """
    sol = quadratic_equilibrium(np.array([0.0, 1.0]), x0=x0)
    x = np.linspace(-2, 2, 9)
    a, da = _text_a(0.0)
    resid = np.max(np.abs(-da * x**2 + 0.5 * (2 * a * x) ** 2))
    return EquilibriumPaths(x0=sol.x0, X_end=float(sol.X[-1]), text_hjb_residual=float(resid))


# --- C23: the N-player game and its mean-field limit ------------------------------------------------

@dataclass(frozen=True)
class SystemicRiskRates:
    r"""Convergence of the N-player systemic-risk game (:func:`systemic_risk_convergence_rates`).

    Attributes
    ----------
    N : ndarray
    eta_error, gain_error : ndarray
        :math:`\sup_t|\eta_N - \eta_\infty|` and :math:`\sup_t|(1 - 1/N)\eta_N - \eta_\infty|`.
    eta_slope, gain_slope : float
        Least-squares slopes of their logarithms against :math:`\log N`.
    """

    N: np.ndarray
    eta_error: np.ndarray
    gain_error: np.ndarray
    eta_slope: float
    gain_slope: float


def systemic_risk_convergence_rates(N=(2, 4, 8, 16, 32, 64, 128), *, a=1.0, q=1.0, eps=2.0, c=0.5,
                                    T=1.0) -> SystemicRiskRates:
    r"""C23: :math:`\mathrm{Var}(m^N) = O(1/N)` and :math:`\|u^1 - u^{\rm MF}\| = O(1/\sqrt N)`.

    On the Carmona--Fouque--Sun game (:func:`meanfield.mfg.systemic_risk_eta`,
    solvable for every :math:`N`), on 101 times of :math:`[0, T]`: the
    Riccati function converges like :math:`N^{-2}`, the feedback gains like
    :math:`N^{-1}`, both faster than :math:`1/\sqrt N`.

    Examples
    --------
    >>> r = systemic_risk_convergence_rates()
    >>> round(r.eta_slope, 2), round(r.gain_slope, 2)
    (-2.0, -1.0)
    """
    T = check_positive("T", T)
    N = np.asarray(N)
    model = dict(a=a, q=q, eps=eps, c=c, T=T)
    t = np.linspace(0, T, 101)
    inf = systemic_risk_eta(t, N=np.inf, **model)
    eta = [systemic_risk_eta(t, N=int(n), **model) for n in N]
    d_eta = np.array([np.max(np.abs(e - inf)) for e in eta])
    d_gain = np.array([np.max(np.abs((1 - 1 / n) * e - inf)) for n, e in zip(N, eta)])
    return SystemicRiskRates(N=N, eta_error=d_eta, gain_error=d_gain,
                             eta_slope=float(np.polyfit(np.log(N), np.log(d_eta), 1)[0]),
                             gain_slope=float(np.polyfit(np.log(N), np.log(d_gain), 1)[0]))
