r"""Claims of the source on mean-field limits and gradient flows (*Checking the text*, rows C09, C10, C26, C27, C38-C41).

One function per claim, named after what it checks, its docstring starting
with the row's ID; each returns a frozen result dataclass whose fields are
the numbers quoted in the row (``book/claims/limits.md``, tested in
``tests/test_claims_limits.py``). The general tools live in
:mod:`meanfield.particles` and :mod:`meanfield.fokker_planck`.

The reference model is the linear one, :math:`V = x^2/2`,
:math:`W = \theta x^2/2` (:math:`\theta = \beta = 1`), where every quantity
has a closed form (:func:`meanfield.particles.linear_model_moments`).

=====  ==========================================================
C09    :func:`pair_correlation_linear_model`, :func:`example_force_is_inverse_square`,
       :func:`second_order_pair_covariance`
C10    :func:`correlation_bound_fails`
C26    :func:`martingale_quadratic_variation_rate`
C27    :func:`free_energy_decay_rates`
C38    :func:`particle_drift_needs_even_interaction`
C39    :func:`dobrushin_estimate_with_noise`
C40    :func:`coupling_with_printed_signs`
C41    :func:`otto_calculus_signs`
=====  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import integrate

from .. import fokker_planck as fp
from .. import particles as pt
from .. import transport as tr
from ..grids import make_grid
from ..utils import check_positive

__all__ = [
    "PairCorrelation",
    "pair_correlation_linear_model",
    "correlation_bound_fails",
    "InverseSquareForce",
    "example_force_is_inverse_square",
    "SecondOrderCovariance",
    "second_order_pair_covariance",
    "MartingaleRate",
    "martingale_quadratic_variation_rate",
    "FreeEnergyDecay",
    "free_energy_decay_rates",
    "EvenInteraction",
    "particle_drift_needs_even_interaction",
    "DobrushinWithNoise",
    "dobrushin_estimate_with_noise",
    "PrintedSignsCoupling",
    "coupling_with_printed_signs",
    "OttoSigns",
    "otto_calculus_signs",
]

_M0, _S0 = 0.5, 0.5
_QUAD = lambda x: 0.5 * x**2  # noqa: E731


# --- C09, C10 ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PairCorrelation:
    """Exact pair covariance and correlation of the linear model at ``t`` (C09, C10)."""

    n: np.ndarray
    cov: np.ndarray
    corr: np.ndarray
    n_corr: np.ndarray
    n_log_n_corr: np.ndarray
    limit_n_corr: float


def pair_correlation_linear_model(ns=(10**2, 10**3, 10**4, 10**5, 10**6), *, t=1.0) -> PairCorrelation:
    r"""C09: :math:`\mathrm{Cov}(X_1, X_2) = (a - v)/N` is :math:`O(1/N)` in the linear model (exact).

    :math:`\mathrm{Corr} = (a - v)/(Nv + a - v)`, so
    :math:`N\,\mathrm{Corr}\to(a - v)/v \neq 0`.
    Linear model, :math:`X_i(0)\sim N(0.5, 0.5^2)`, :math:`\theta = \beta = 1`.
    See :func:`correlation_bound_fails` for C10.
    """
    ns = np.asarray(ns, dtype=float)
    cov, corr = [], []
    for n in ns:
        lm = pt.linear_model_moments(np.array([t]), theta=1.0, beta=1.0, m0=_M0, s0=_S0, n_particles=int(n))
        cov.append(lm.pair_cov[0])
        corr.append(lm.pair_cov[0] / lm.particle_var[0])
    cov, corr = np.array(cov), np.array(corr)
    lm = pt.linear_model_moments(np.array([t]), theta=1.0, beta=1.0, m0=_M0, s0=_S0)
    return PairCorrelation(ns, cov, corr, ns * corr, ns * np.log(ns) * corr,
                           float((lm.com_var[0] - lm.var[0]) / lm.var[0]))


def correlation_bound_fails(ns=(10**2, 10**3, 10**4, 10**5, 10**6), *, t=1.0) -> PairCorrelation:
    r"""C10: :math:`N\log N\,|\mathrm{Corr}(X_1, X_2)|` grows like :math:`\log N`, so no :math:`C/(N\log N)` bound holds.

    With :math:`N\,\mathrm{Corr}\to(a - v)/v\neq0`
    (:func:`pair_correlation_linear_model`), the field ``n_log_n_corr`` grows
    by about :math:`\log 10\,(a - v)/v` per decade of :math:`N`.
    """
    return pair_correlation_linear_model(ns, t=t)


@dataclass(frozen=True)
class InverseSquareForce:
    """The force of the section's Example 5.7.4 against three candidate laws (C09)."""

    x: np.ndarray
    force: np.ndarray
    max_err_inverse_square: float
    max_err_minus_grad_inverse_distance: float
    max_ratio_to_log_force: float


def example_force_is_inverse_square(x=None) -> InverseSquareForce:
    r"""C09: the section's force :math:`\frac1{|x|}\partial_x\log|x|` is :math:`x/|x|^3`, an inverse-square force.

    :math:`\partial_x\log|x| = 1/x`, so the force is :math:`1/(x|x|) = x/|x|^3`,
    the force :math:`-\partial_x(1/|x|)` of the potential :math:`1/|x|`
    (computed here by central differences); a logarithmic interaction
    :math:`\log|x|` would give the force :math:`\pm 1/x`, whose ratio to the
    section's force is :math:`|x|`, unbounded.
    """
    x = np.linspace(0.05, 5.0, 200) if x is None else np.asarray(x, dtype=float)
    x = np.concatenate([-x[::-1], x])
    h = 1e-6
    dlog = (np.log(np.abs(x + h)) - np.log(np.abs(x - h))) / (2 * h)
    force = dlog / np.abs(x)
    inv_sq = x / np.abs(x) ** 3
    minus_grad = -(1 / np.abs(x + h) - 1 / np.abs(x - h)) / (2 * h)
    return InverseSquareForce(x, force, float(np.max(np.abs(force / inv_sq - 1))),
                              float(np.max(np.abs(force / minus_grad - 1))), float(np.max(np.abs(dlog / force))))


@dataclass(frozen=True)
class SecondOrderCovariance:
    r"""Pair covariance of the second-order harmonic mean-field system, exact and simulated (C09)."""

    n: np.ndarray
    exact: np.ndarray
    simulated: np.ndarray
    se: np.ndarray
    n_times_exact: np.ndarray


def second_order_pair_covariance(ns=(10, 40, 160), *, t=1.0, theta=1.0, n_systems=4000,
                                 rng=9) -> SecondOrderCovariance:
    r"""C09: in a second-order (Newtonian) mean-field system with the section's data, :math:`\mathrm{Cov}(X_1, X_2) = O(1/N)`.

    The section's setting without its singular force: :math:`\ddot X_i = -\theta(X_i - \bar X)`
    (the force of :math:`W = \theta x^2/2`, no noise), :math:`X_i(0), V_i(0)` i.i.d.
    :math:`N(0, 1)`. The centre of mass moves freely,
    :math:`\bar X(t) = \bar X(0) + \bar V(0)t`, and the deviations oscillate at
    :math:`\omega = \sqrt\theta`, so, as in the overdamped proof,

    .. math::

        \mathrm{Cov}(X_1(t), X_2(t)) = \frac{1 + t^2 - \cos^2\omega t - \sin^2(\omega t)/\theta}{N}.

    ``simulated`` evaluates the exact solution on ``n_systems`` random initial
    conditions (average over all pairs), with its standard error over 20 batches.
    """
    theta = check_positive("theta", theta)
    ns = np.asarray(ns)
    gen = np.random.default_rng(rng)
    w = np.sqrt(theta)
    exact = (1 + t**2 - np.cos(w * t) ** 2 - np.sin(w * t) ** 2 / theta) / ns
    sim, se = [], []
    for n in ns:
        x0, v0 = gen.standard_normal((2, n_systems, int(n)))
        xb, vb = x0.mean(axis=1, keepdims=True), v0.mean(axis=1, keepdims=True)
        x = xb + vb * t + (x0 - xb) * np.cos(w * t) + (v0 - vb) * np.sin(w * t) / w
        batches = np.array([pt.pair_covariance(b) for b in np.array_split(x, 20)])
        sim.append(batches.mean())
        se.append(batches.std(ddof=1) / np.sqrt(batches.size))
    return SecondOrderCovariance(ns, exact, np.array(sim), np.array(se), ns * exact)


# --- C26 ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MartingaleRate:
    r"""Quadratic variation at ``t = 1`` of the martingale part of :math:`\langle\mu^N_t, x^2/2\rangle` (C26)."""

    n: np.ndarray
    qv: np.ndarray
    n_qv: np.ndarray
    slope: float
    predicted_n_qv: float


def martingale_quadratic_variation_rate(ns=(10, 100, 1000, 10000)) -> MartingaleRate:
    r"""C26: the martingale term's quadratic variation is :math:`\approx\frac{2}{\beta N}\int_0^1\mathbb E|\varphi'(X_s)|^2ds`.

    :math:`\varphi = x^2/2`, linear model, one system per :math:`N` (seeds
    :math:`N`, :math:`N + 1`), :math:`\Delta t = 0.01`, path integral by the
    trapezoidal rule (:func:`meanfield.particles.martingale_quadratic_variation`).
    The predicted :math:`N\times\mathrm{QV}` is
    :math:`\frac2\beta\int_0^1(m(s)^2 + v(s))\,ds` (closed form, quadrature).
    """
    ns = np.asarray(ns)
    qv = []
    for n in ns:
        x0 = pt.make_initial_gaussian(int(n), mean=_M0, sd=_S0, rng=np.random.default_rng(int(n)))
        run = pt.simulate_particles(x0, dV=lambda x: x, beta=1.0, dt=0.01, n_steps=100,
                                    rng=np.random.default_rng(int(n) + 1), theta=1.0, save_every=1)
        qv.append(float(pt.martingale_quadratic_variation(run.t, run.x, lambda x: x, beta=1.0)[-1]))
    qv = np.array(qv)

    def second_moment(s):
        lm = pt.linear_model_moments(np.array([s]), theta=1.0, beta=1.0, m0=_M0, s0=_S0)
        return lm.mean[0] ** 2 + lm.var[0]

    pred = 2.0 * integrate.quad(second_moment, 0.0, 1.0)[0]
    return MartingaleRate(ns, qv, ns * qv, pt.fit_slope(ns, qv), float(pred))


# --- C27 --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class FreeEnergyDecay:
    r"""Free-energy decay in the 1-convex linear model from two starts (C27)."""

    pl_min_symmetric: float
    rate_symmetric: float
    bound_holds_symmetric: bool
    rate_shifted: float
    pl_min_shifted: float
    max_err_gap_vs_mean: float
    max_rel_err_mean: float
    beta_c: float


def free_energy_decay_rates(*, m0=1.0) -> FreeEnergyDecay:
    r"""C27: PL with :math:`2\lambda = 2` gives :math:`e^{-2t}`; a symmetric start decays at 8, a shifted Gaussian at 2.

    :math:`V = W = x^2/2`, :math:`\beta = 1`; :math:`\mathcal F^*` is the
    discrete free energy of :math:`N(0, 1/2)`. Finite volumes on
    :math:`[-6, 6]` (400 cells, :math:`\Delta t = 2\times10^{-3}`, to
    :math:`t = 2`). Two starts:

    * symmetric two bumps :math:`\frac12N(\pm1.5, 0.4^2)`: the mean is 0 for
      ever, the excess is carried by the variance, which relaxes at
      :math:`2(1+\theta) = 4`, so :math:`\mathcal F - \mathcal F^*` decays at 8;
    * shifted Gaussian :math:`N(m_0, 1/2)`: the variance is already the
      stationary one and stays so; the excess is
      :math:`m(t)^2/2 = m_0^2e^{-2t}/2`, the bound attained.

    Rates are least-squares slopes of :math:`\log(\mathcal F - \mathcal F^*)` on :math:`[1, 2]`.
    """
    grid = make_grid(-6.0, 6.0, 400)
    F_star = fp.free_energy(fp.make_density(lambda x: np.exp(-(x**2)), grid), grid, V=_QUAD, W=_QUAD, beta=1.0)
    law0 = tr.gaussian_mixture([-1.5, 1.5], [0.4, 0.4])
    out = []
    for pdf in (law0.pdf, lambda x: np.exp(-((x - m0) ** 2))):
        pde = fp.solve_fokker_planck(fp.make_density(pdf, grid), grid, V=_QUAD, W=_QUAD, beta=1.0, dt=2e-3,
                                     n_steps=1000, save_every=25)
        gap = pde.free_energy - F_star
        late = pde.t >= 1.0
        rate = -np.polyfit(pde.t[late], np.log(gap[late]), 1)[0]
        mean = np.array([grid.integrate(grid.centers * r) for r in pde.rho])
        out.append((pde, gap, float(rate), float(np.min(pde.dissipation / gap)), mean))
    (p1, g1, r1, pl1, _), (p2, g2, r2, pl2, mean2) = out
    bound = bool(np.all(g1 / g1[0] * np.exp(2 * p1.t) <= 1 + 1e-9))
    return FreeEnergyDecay(pl1, r1, bound, r2, pl2, float(np.max(np.abs(g2 - mean2**2 / 2))),
                           float(np.max(np.abs(mean2 / (m0 * np.exp(-p2.t)) - 1))),
                           pt.desai_zwanzig_critical_beta(1.0))


# --- C38 ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EvenInteraction:
    r"""Gradient of the pair energy of :math:`H_N` against the talk's drift, for an odd :math:`W` (C38)."""

    grad_pair_energy: float
    talk_drift: float
    qv_prefactor: float


def particle_drift_needs_even_interaction(n=7, *, rng=0) -> EvenInteraction:
    r"""C38: :math:`\nabla_{x_i}H_N = \nabla V + \frac1N\sum_j\nabla W(x_i - x_j)` only for even :math:`W`.

    For :math:`W(z) = z` the pair energy
    :math:`\frac1{2N}\sum_{i,j}(x_i - x_j)` vanishes identically, so its
    gradient is 0 (central differences at a random configuration), while the
    talk's drift :math:`\frac1N\sum_jW'(x_i - x_j)` is 1. In general
    :math:`\nabla_{x_i}H_N` involves the even part :math:`\frac12(W(z) + W(-z))`
    only, and so does :math:`\delta\mathcal F/\delta\mu`. Also returned: the
    prefactor :math:`2/\beta` (:math:`\beta = 1`) that the talk's
    ":math:`\simeq 1/N`" drops: the quadratic variation is
    :math:`\frac{2}{\beta N}\int_0^t\langle\mu^N_s, |\nabla\varphi|^2\rangle ds`.
    """
    x = np.random.default_rng(rng).normal(size=n)

    def pair_energy(y):
        return np.sum(y[:, None] - y[None, :]) / (2 * n)

    h = 1e-5
    e = np.zeros(n)
    e[0] = h
    grad = (pair_energy(x + e) - pair_energy(x - e)) / (2 * h)
    return EvenInteraction(float(grad), float(np.mean(np.ones(n))), 2.0)


# --- C39 ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DobrushinWithNoise:
    r"""Mean :math:`W_1(\mu^N_t, \mu_t)` for particles all started at :math:`\mu_0 = \delta_0` (C39)."""

    n: np.ndarray
    w1_initial: np.ndarray
    mean_w1: np.ndarray
    se_w1: np.ndarray
    sqrt_n_w1: np.ndarray
    slope: float


def dobrushin_estimate_with_noise(ns=(10, 100, 1000), *, t=1.0, n_systems=200, rng=39) -> DobrushinWithNoise:
    r"""C39: :math:`W_1(\mu^N_t, \mu_t)\le C_TW_1(\mu^N_0, \mu_0)` fails for the noisy particle system.

    Linear model, all particles started at 0, so :math:`\mu_0 = \delta_0 = \mu^N_0`
    and the right side is 0; the limit law is :math:`N(0, v(t))`. The left
    side (exact :math:`W_1` of each system's empirical measure to the
    Gaussian, :func:`meanfield.particles.w1_to_gaussian`, averaged over
    ``n_systems`` systems, Euler--Maruyama :math:`\Delta t = 0.01`) is of
    order :math:`N^{-1/2}`, not 0.
    """
    ns = np.asarray(ns)
    gen = np.random.default_rng(rng)
    lm = pt.linear_model_moments(np.array([t]), theta=1.0, beta=1.0, m0=0.0, s0=0.0)
    sd = float(np.sqrt(lm.var[0]))
    mean_w, se_w = [], []
    n_steps = int(round(t / 0.01))
    for n in ns:
        run = pt.simulate_particles(np.zeros((n_systems, int(n))), dV=lambda x: x, beta=1.0, dt=0.01,
                                    n_steps=n_steps, rng=gen, theta=1.0)
        w = np.array([pt.w1_to_gaussian(x, 0.0, sd) for x in run.x[-1]])
        mean_w.append(w.mean())
        se_w.append(w.std(ddof=1) / np.sqrt(n_systems))
    mean_w = np.array(mean_w)
    return DobrushinWithNoise(ns, np.zeros(ns.size), mean_w, np.array(se_w), np.sqrt(ns) * mean_w,
                              pt.fit_slope(ns, mean_w))


# --- C40 -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PrintedSignsCoupling:
    r""":math:`\mathbb E|X_i(t) - Y_i(t)|` with consistent and with the printed drift signs (C40)."""

    n: np.ndarray
    consistent: np.ndarray
    printed_limit: float


def coupling_with_printed_signs(ns=(10, 100, 1000, 10000), *, t=1.0, theta=1.0, s0=_S0) -> PrintedSignsCoupling:
    r"""C40: with the talk's drifts :math:`-b` for :math:`X` and :math:`+b` for :math:`Y` the coupling error does not vanish.

    Consistent signs (both :math:`-b`, :math:`V = x^2/2`): the exact
    :func:`meanfield.particles.coupling_error_linear`, of order :math:`N^{-1/2}`.
    Printed signs, the talk's coupling (no :math:`V`, unit noise,
    :math:`b(x, \mu) = \theta(x - \int y\,d\mu)`), as :math:`N\to\infty`:
    :math:`Z = X_i - m_0` and :math:`U = Y_i - m_0` solve
    :math:`dZ = -\theta Z\,dt + dB`, :math:`dU = +\theta U\,dt + dB` from the
    same :math:`\xi\sim N(0, s_0^2)`, so :math:`D = Z - U` is centred Gaussian with

    .. math::

        \mathrm{Var}\,D = 4s_0^2\sinh^2(\theta t) + \frac{\sinh(2\theta t)}{\theta} - 2t,
        \qquad \mathbb E|D| = \sqrt{2\,\mathrm{Var}\,D/\pi},

    which does not depend on :math:`N` and is of order one.
    """
    theta = check_positive("theta", theta)
    ns = np.asarray(ns)
    cons = np.array([pt.coupling_error_linear(t, theta=theta, beta=1.0, s0=s0, n_particles=int(n)) for n in ns])
    var = 4 * s0**2 * np.sinh(theta * t) ** 2 + np.sinh(2 * theta * t) / theta - 2 * t
    return PrintedSignsCoupling(ns, cons, float(np.sqrt(2 * var / np.pi)))


# --- C41 ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OttoSigns:
    r"""The derivative of :math:`\mathcal F` along the flow against the talk's chain of equalities (C41)."""

    t: float
    dF_dt: float
    dissipation: float
    talk_first_expression: float
    rel_err_identity: float


def otto_calculus_signs(*, t=0.5) -> OttoSigns:
    r"""C41: :math:`\frac{d}{dt}\mathcal F = -\int|\nabla\frac{\delta\mathcal F}{\delta\mu}|^2d\mu`; the talk's chain has compensating sign slips.

    Finite volumes for :math:`V = W = x^2/2`, :math:`\beta = 1`, from the
    symmetric two-bump start (400 cells, :math:`\Delta t = 10^{-3}`, every
    step saved). :math:`d\mathcal F/dt` is the central difference of the
    saved free energies at ``t``; the dissipation
    :math:`I = \int|\partial_x\frac{\delta\mathcal F}{\delta\mu}|^2d\mu` is
    :func:`meanfield.fokker_planck.dissipation`. With the velocity
    :math:`v = -\partial_x\frac{\delta\mathcal F}{\delta\mu}`, the talk's first
    expression :math:`\int\frac{\delta\mathcal F}{\delta\mu}\,\partial_x(\mu v)`
    equals :math:`-\int\partial_x\frac{\delta\mathcal F}{\delta\mu}\,v\,d\mu = +I`:
    the wrong sign (the continuity equation is :math:`\partial_t\mu = -\partial_x(\mu v)`).
    """
    grid = make_grid(-6.0, 6.0, 400)
    law0 = tr.gaussian_mixture([-1.5, 1.5], [0.4, 0.4])
    dt = 1e-3
    k = int(round(t / dt))
    pde = fp.solve_fokker_planck(fp.make_density(law0.pdf, grid), grid, V=_QUAD, W=_QUAD, beta=1.0, dt=dt,
                                 n_steps=k + 1, save_every=1)
    dF = (pde.free_energy[k + 1] - pde.free_energy[k - 1]) / (2 * dt)
    I = float(pde.dissipation[k])
    return OttoSigns(float(pde.t[k]), float(dF), I, I, float(abs(dF + I) / I))
