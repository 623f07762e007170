r"""Claims of the source on mean-field games (*Checking the text*, rows C21-C23, C42-C47).

One function per claim, named after what it checks, its docstring starting
with the row's ID; each returns a frozen result dataclass whose fields are
the numbers quoted in the row (``book/claims/games.md``, tested in
``tests/test_claims_games.py``). The general tools live in
:mod:`meanfield.mfg`; what is here exists to check the text.

=====  ==========================================================
C21    :func:`riccati_equation_of_the_ansatz` (on :func:`quadratic_equilibrium`)
C22    :func:`equilibrium_paths_and_value` (on :func:`quadratic_equilibrium`)
C23    :func:`systemic_risk_convergence_rates`
C42    :func:`monotonicity_of_the_lq_coupling`
C43    :func:`coefficient_equations_of_the_ansatz`
C44    :func:`coupling_of_the_example`
C45    :func:`noise_and_generator`
C46    :func:`n_player_and_mean_field_hjb`
C47    :func:`empirical_measure_fluctuations`
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

from scipy.integrate import quad

from ..grids import make_grid
from ..mfg import (
    _ODE_ATOL,
    _ODE_RTOL,
    _check_times,
    simulate_systemic_risk,
    solve_mfg_fd,
    systemic_risk_eta,
    systemic_risk_value,
)
from ..utils import as_generator, check_positive

__all__ = [
    "QuadraticEquilibrium",
    "quadratic_equilibrium",
    "RiccatiCheck",
    "riccati_equation_of_the_ansatz",
    "EquilibriumPaths",
    "equilibrium_paths_and_value",
    "SystemicRiskRates",
    "systemic_risk_convergence_rates",
    "Monotonicity",
    "monotonicity_of_the_lq_coupling",
    "AnsatzEquations",
    "coefficient_equations_of_the_ansatz",
    "ExampleCoupling",
    "coupling_of_the_example",
    "NoiseGenerator",
    "noise_and_generator",
    "NPlayerHJB",
    "n_player_and_mean_field_hjb",
    "EmpiricalFluctuations",
    "empirical_measure_fluctuations",
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
    value_gap : ndarray
        :math:`\sup|V^i_N - u|` over :math:`t\in[0,T]` and :math:`|\bar x - x^i|\le 1`,
        independent noises (:math:`\rho = 0`, :math:`\sigma = 0.5`).
    value_slope : float
        Its fitted slope against :math:`\log N`.
    var_N : ndarray
        The :math:`N` of the Monte Carlo study, (2, 4, 16, 64, 256).
    var_mean : ndarray
        :math:`\mathrm{Var}\,\bar X_T` from 400 runs per :math:`N` (:math:`\rho = 0`,
        :math:`X_0 = 0`, 50 steps, seed 5), closed form :math:`\sigma^2T/N`.
    var_slope : float
        Its fitted slope against :math:`\log N`.
    """

    N: np.ndarray
    eta_error: np.ndarray
    gain_error: np.ndarray
    eta_slope: float
    gain_slope: float
    value_gap: np.ndarray
    value_slope: float
    var_N: np.ndarray
    var_mean: np.ndarray
    var_slope: float


def systemic_risk_convergence_rates(N=(2, 4, 8, 16, 32, 64, 128), *, a=1.0, q=1.0, eps=2.0, c=0.5,
                                    T=1.0) -> SystemicRiskRates:
    r"""C23: :math:`\mathrm{Var}(m^N) = O(1/N)` and :math:`\|u^1 - u^{\rm MF}\| = O(1/\sqrt N)`.

    Judged in the example's own setting, players with independent noises,
    on the Carmona--Fouque--Sun game (solvable for every :math:`N`,
    :func:`meanfield.mfg.systemic_risk_eta`, :func:`meanfield.mfg.systemic_risk_value`)
    with :math:`\rho = 0`, :math:`\sigma = 0.5`, on 101 times of :math:`[0, T]`:
    the Riccati function converges like :math:`N^{-2}`, the feedback gains
    and the value functions like :math:`N^{-1}` (so :math:`O(1/\sqrt N)`
    holds but is not sharp), and :math:`\mathrm{Var}\,\bar X_T = \sigma^2T/N`
    (Monte Carlo).

    Examples
    --------
    >>> r = systemic_risk_convergence_rates()
    >>> round(r.eta_slope, 2), round(r.gain_slope, 2), round(r.value_slope, 2)
    (-2.0, -1.0, -1.0)
    """
    T = check_positive("T", T)
    N = np.asarray(N)
    model = dict(a=a, q=q, eps=eps, c=c, T=T)
    t = np.linspace(0, T, 101)
    inf = systemic_risk_eta(t, N=np.inf, **model)
    eta = [systemic_risk_eta(t, N=int(n), **model) for n in N]
    d_eta = np.array([np.max(np.abs(e - inf)) for e in eta])
    d_gain = np.array([np.max(np.abs((1 - 1 / n) * e - inf)) for n, e in zip(N, eta)])
    y = np.linspace(0, 1, 11)
    v_inf = systemic_risk_value(t, N=np.inf, sigma=0.5, rho=0.0, **model).value(y)
    gap = np.array([np.max(np.abs(systemic_risk_value(t, N=int(n), sigma=0.5, rho=0.0, **model).value(y) - v_inf))
                    for n in N])
    rng = np.random.default_rng(5)
    var_N = np.array([2, 4, 16, 64, 256])
    var = np.array([np.var(simulate_systemic_risk(np.zeros(n), sigma=0.5, rho=0.0, n_steps=50, n_paths=400,
                                                  rng=rng, **model).Xbar[:, -1], ddof=1) for n in var_N])
    slope = lambda x, v: float(np.polyfit(np.log(x), np.log(v), 1)[0])  # noqa: E731
    return SystemicRiskRates(N=N, eta_error=d_eta, gain_error=d_gain, eta_slope=slope(N, d_eta),
                             gain_slope=slope(N, d_gain), value_gap=gap, value_slope=slope(N, gap),
                             var_N=var_N, var_mean=var, var_slope=slope(var_N, var))


# --- C42: monotonicity -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Monotonicity:
    r"""The Lasry--Lions monotonicity integral of two couplings (:func:`monotonicity_of_the_lq_coupling`).

    Attributes
    ----------
    integral : float
        :math:`\int(F(x,m_1) - F(x,m_2))\,d(m_1 - m_2)` for the LQ coupling
        :math:`F = \frac q2(x - \bar m)^2`, by :func:`scipy.integrate.quad`.
    closed_form : float
        :math:`-q(\bar m_1 - \bar m_2)^2`.
    crowd_integral : float
        The same for crowd aversion :math:`F = m(x)` (:math:`\lambda = 1`), by quadrature.
    crowd_closed_form : float
        :math:`\|m_1 - m_2\|_{L^2}^2 = (1 - e^{-\Delta^2/4})/\sqrt\pi` for unit Gaussians :math:`\Delta` apart.
    """

    integral: float
    closed_form: float
    crowd_integral: float
    crowd_closed_form: float


def monotonicity_of_the_lq_coupling(q=1.0, gap=1.0) -> Monotonicity:
    r"""C42: "existence and uniqueness rely on the monotonicity of the coupling :math:`F`".

    For :math:`m_1 = N(0, 1)`, :math:`m_2 = N(\Delta, 1)` (``gap`` :math:`= \Delta`),
    the LQ coupling :math:`F(x, m) = \frac q2(x - \bar m)^2` gives
    :math:`\int(F(x,m_1) - F(x,m_2))\,d(m_1 - m_2) = -q\Delta^2 < 0`: it is
    anti-monotone, and yet the LQ equilibrium is unique (the mean solves
    :math:`z' = 0`, :math:`z(T) = 0`, :func:`meanfield.mfg.lq_gaussian_mfg`).
    Crowd aversion :math:`F = m` is monotone (integral :math:`> 0`).
    Monotonicity is sufficient for uniqueness, not necessary; existence
    does not use it.

    Examples
    --------
    >>> r = monotonicity_of_the_lq_coupling()
    >>> round(r.integral, 6), r.closed_form
    (-1.0, -1.0)
    """
    phi = lambda x, mu: np.exp(-((x - mu) ** 2) / 2) / np.sqrt(2 * np.pi)  # noqa: E731
    dF = lambda x: 0.5 * q * (x - 0.0) ** 2 - 0.5 * q * (x - gap) ** 2  # noqa: E731
    lq = quad(lambda x: dF(x) * (phi(x, 0.0) - phi(x, gap)), -np.inf, np.inf, epsabs=1e-13)[0]
    cr = quad(lambda x: (phi(x, 0.0) - phi(x, gap)) ** 2, -np.inf, np.inf, epsabs=1e-13)[0]
    return Monotonicity(integral=float(lq), closed_form=float(-q * gap**2), crowd_integral=float(cr),
                        crowd_closed_form=float((1 - np.exp(-(gap**2) / 4)) / np.sqrt(np.pi)))


# --- C43: the b, c and path equations of Example 5.7.7 --------------------------------------------

@dataclass(frozen=True)
class AnsatzEquations:
    r"""The text's coefficient and path equations at one time (:func:`coefficient_equations_of_the_ansatz`).

    Attributes
    ----------
    t : float
    two_a_text : float
        :math:`2a(t)` for the text's :math:`a = 1/(4(1-t))` (the rate in its :math:`X' = -2aX`).
    eight_over : float
        The text's :math:`8/(4(1-t))` (its second expression for the same rate).
    path_rate : float
        The rate :math:`-X'/X = 2/(1-t)` of the text's answer :math:`X(0)(1-t)^2`.
    correct_rate : float
        The rate :math:`1/(2-t)` of the correct path :math:`X(0)(2-t)/2`.
    """

    t: float
    two_a_text: float
    eight_over: float
    path_rate: float
    correct_rate: float


def coefficient_equations_of_the_ansatz(t=0.5) -> AnsatzEquations:
    r"""C43: ":math:`b' + 2ab = \int xm`, :math:`c' + b^2/2 = \int x^2m`" and ":math:`X' = -2aX = -8X/(4(1-t))`".

    With :math:`u = ax^2 + bx + c`, :math:`-\partial_tu + \frac12u_x^2 = (-a' + 2a^2)x^2 + (-b' + 2ab)x
    + (-c' + b^2/2)`: the signs of :math:`b'` and :math:`c'` are those of
    :math:`-\partial_t u`, and the coupling :math:`x\,m(t,x)` is local, not a
    moment. The text's three rates for the path, :math:`2a`, :math:`8/(4(1-t))`
    and the rate of its answer :math:`(1-t)^2`, differ from each other.

    Examples
    --------
    >>> r = coefficient_equations_of_the_ansatz(0.5)
    >>> r.two_a_text, r.eight_over, r.path_rate, round(r.correct_rate, 4)
    (1.0, 4.0, 4.0, 0.6667)
    """
    a, _ = _text_a(t)
    return AnsatzEquations(t=float(t), two_a_text=float(2 * a), eight_over=float(8 / (4 * (1 - t))),
                           path_rate=float(2 / (1 - t)), correct_rate=float(1 / (2 - t)))


# --- C44: the coupling of Example 5.7.7 vanishes -----------------------------------------------------

@dataclass(frozen=True)
class ExampleCoupling:
    r"""The coupling :math:`x\,m(t,x)` at a Dirac mass and at a spread-out start (:func:`coupling_of_the_example`).

    Attributes
    ----------
    dirac_source : float
        :math:`\langle x\,\delta_0, 1\rangle = 0`: the source of the HJB equation at :math:`m = \delta_0`.
    mean_T : tuple of float
        The equilibrium mean at :math:`T = 1` from :math:`m_0 = N(0, 0.2^2)`
        (:math:`\nu = 0.01`, pointwise coupling :math:`F = x\,m(x)`,
        :math:`G = x^2/2`) by :func:`meanfield.mfg.solve_mfg_fd` on :math:`[-1.5, 1.5]`,
        one value per (cells, time steps) in ``grids`` (default 60 x 25 and 120 x 50).
    success : bool
    """

    dirac_source: float
    mean_T: tuple
    success: bool


def coupling_of_the_example(grids=((60, 25), (120, 50))) -> ExampleCoupling:
    r"""C44: the example "demonstrates how the forward-backward structure determines both :math:`u` and :math:`m`".

    With :math:`m_0 = \delta_0`, :math:`x\,\delta_0 = 0`: the HJB equation has
    no source, :math:`u` is the value of a control problem that does not see
    :math:`m`, and :math:`m = \delta_0` whatever :math:`u`; nothing is coupled.
    From a spread-out start the coupling does act: it pushes the crowd to
    the left (the cost :math:`x\,m` is negative there), and no quadratic
    :math:`u` solves the HJB equation.

    Examples
    --------
    >>> r = coupling_of_the_example()  # doctest: +SKIP
    >>> [round(v, 2) for v in r.mean_T]  # doctest: +SKIP
    [-0.17, -0.19]
    """
    F = lambda x, m: x * m  # noqa: E731
    G = lambda x, m: 0.5 * x**2  # noqa: E731
    means, ok = [], True
    for n, k in grids:
        g = make_grid(-1.5, 1.5, n)
        res = solve_mfg_fd(g, np.exp(-g.centers**2 / (2 * 0.2**2)), F, G, T=1.0, nu=0.01, n_steps=k,
                           max_iter=300, tol=1e-6)
        means.append(float(res.mean()[-1]))
        ok &= res.success
    return ExampleCoupling(dirac_source=0.0, mean_T=tuple(means), success=bool(ok))


# --- C45-C47: Example 5.7.8 --------------------------------------------------------------------------

@dataclass(frozen=True)
class NoiseGenerator:
    r"""Variance of :math:`\sqrt\nu W_1` against the heat flow :math:`\partial_tm = \nu\Delta m` (:func:`noise_and_generator`).

    Attributes
    ----------
    nu : float
    var_sqrt_nu : float
        :math:`\mathrm{Var}\,\sqrt\nu W_1 = \nu`.
    var_mc : float
        Its Monte Carlo estimate (:math:`10^5` samples, seed 0).
    var_heat : float
        Variance :math:`2\nu` at :math:`t = 1` of the solution of
        :math:`\partial_tm = \nu\Delta m` from :math:`\delta_0`, by quadrature
        of the heat kernel.
    """

    nu: float
    var_sqrt_nu: float
    var_mc: float
    var_heat: float


def noise_and_generator(nu=0.5, rng=0) -> NoiseGenerator:
    r"""C45: players move by :math:`dX_i = -\nabla u\,dt + \sqrt\nu\,dW_i`, with :math:`\nu\Delta` in the HJB and FP equations.

    The generator of :math:`\sqrt\nu\,dW` is :math:`\frac\nu2\Delta`, so the
    law of :math:`\sqrt\nu W_t` solves :math:`\partial_tm = \frac\nu2\Delta m`
    (variance :math:`\nu t`), not :math:`\nu\Delta m` (variance :math:`2\nu t`);
    the noise matching :math:`\nu\Delta` is :math:`\sqrt{2\nu}\,dW`. (The
    cost :math:`J_i` also lacks the control cost :math:`\frac12|\alpha|^2` that
    the Hamiltonian :math:`\frac12|\nabla u|^2` presupposes.)

    Examples
    --------
    >>> r = noise_and_generator()
    >>> r.var_sqrt_nu, round(r.var_heat, 6), abs(r.var_mc - 0.5) < 0.01
    (0.5, 1.0, True)
    """
    gen = as_generator(rng)
    x = np.sqrt(nu) * gen.standard_normal(100_000)
    kernel = lambda y: np.exp(-(y**2) / (4 * nu)) / np.sqrt(4 * np.pi * nu)  # noqa: E731
    heat = quad(lambda y: y**2 * kernel(y), -np.inf, np.inf, epsabs=1e-13)[0]
    return NoiseGenerator(nu=float(nu), var_sqrt_nu=float(nu), var_mc=float(np.var(x, ddof=1)),
                          var_heat=float(heat))


@dataclass(frozen=True)
class NPlayerHJB:
    r"""Nash gain of a 3-player game against the best response to the mean field (:func:`n_player_and_mean_field_hjb`).

    Attributes
    ----------
    N : int
    gain_N : float
        :math:`q + (1 - 1/N)\eta_N(0)`, the closed-loop Nash gain.
    gain_mf : float
        :math:`q + \eta_\infty(0)`, the gain of the mean-field HJB ("others follow :math:`m`").
    relative_gap : float
        :math:`|{\rm gain}_N - {\rm gain}_{\rm mf}|/{\rm gain}_N`.
    """

    N: int
    gain_N: float
    gain_mf: float
    relative_gap: float


def n_player_and_mean_field_hjb(N=3, *, a=1.0, q=1.0, eps=2.0, c=0.5, T=1.0) -> NPlayerHJB:
    r"""C46: "in Nash equilibrium each player assumes others follow the mean field", HJB :math:`\dots = V(x,m) + \frac12\nu`.

    The HJB written is the mean-field one (one equation in :math:`x`, with a
    constant :math:`\frac12\nu` that comes from nowhere); the :math:`N`-player
    Nash equilibrium solves :math:`N` HJB equations in :math:`(x^1,\dots,x^N)`,
    and a player's own weight :math:`1/N` in the coupling changes the answer.
    In the Carmona--Fouque--Sun game at :math:`N = 3` the Nash gain and the
    mean-field gain differ by several percent.

    Examples
    --------
    >>> r = n_player_and_mean_field_hjb()
    >>> round(r.gain_N, 4), round(r.gain_mf, 4)
    (1.1603, 1.2389)
    """
    model = dict(a=a, q=q, eps=eps, c=c, T=T)
    eN = float(systemic_risk_eta(0.0, N=N, **model))
    ei = float(systemic_risk_eta(0.0, N=np.inf, **model))
    gN, gm = q + (1 - 1 / N) * eN, q + ei
    return NPlayerHJB(N=int(N), gain_N=gN, gain_mf=gm, relative_gap=abs(gN - gm) / gN)


@dataclass(frozen=True)
class EmpiricalFluctuations:
    r"""Fluctuations of the empirical mean of :math:`N` noisy players (:func:`empirical_measure_fluctuations`).

    Attributes
    ----------
    N : int
    var_closed : float
        :math:`\mathrm{Var}\langle m^N_1, x\rangle = 2\nu/N` for :math:`dX_i = \sqrt{2\nu}\,dW_i`, :math:`X_i(0) = 0`.
    var_mc : float
        Monte Carlo estimate (:math:`10^5` draws, seed 0).
    """

    N: int
    var_closed: float
    var_mc: float


def empirical_measure_fluctuations(N=3, nu=0.5, rng=0) -> EmpiricalFluctuations:
    r"""C47: ansatz :math:`u^i = a(t)x + b^i(t)` for :math:`V = \alpha xm`, and :math:`\partial_tm^N = \nu\Delta m^N + \mathrm{div}(m^Na)`.

    With :math:`u^i` linear in :math:`x` the HJB reads
    :math:`-a'x - b' + \frac12a^2 = \alpha x\,m(t,x) + \frac12\nu`, whose right
    side is not linear in :math:`x`: the ansatz does not close. And the
    empirical measure :math:`m^N = \frac1N\sum\delta_{X_i}` of noisy players
    is random: :math:`\langle m^N_t, \varphi\rangle` carries a martingale term,
    so it does not solve the deterministic Fokker--Planck equation written.
    For players moving with the noise :math:`\sqrt{2\nu}\,dW_i` (the one that
    matches the text's :math:`\nu\Delta`), :math:`\varphi(x) = x`, :math:`N = 3`,
    :math:`\nu = 0.5`, :math:`t = 1` the variance is :math:`2\nu t/N = 1/3`, not 0.

    Examples
    --------
    >>> r = empirical_measure_fluctuations()
    >>> round(r.var_closed, 4), abs(r.var_mc - r.var_closed) < 0.01
    (0.3333, True)
    """
    gen = as_generator(rng)
    X = np.sqrt(2 * nu) * gen.standard_normal((100_000, N))
    return EmpiricalFluctuations(N=int(N), var_closed=float(2 * nu / N), var_mc=float(np.var(X.mean(axis=1), ddof=1)))
