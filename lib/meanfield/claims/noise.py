r"""Claims of the talk's second half: common noise, tokens on the sphere, noise-induced uniqueness (rows C28-C30, C48-C52).

One function per claim, named after what it checks, its docstring starting
with the row's ID; each returns a frozen result dataclass whose fields are
the numbers quoted in the row (``book/claims/noise.md``, tested in
``tests/test_claims_noise.py``). The general tools live in
:mod:`meanfield.common_noise`, :mod:`meanfield.sphere` and
:mod:`meanfield.spde`; what is here exists to check the text. Every random
draw is seeded as in the chapters, so the numbers are the chapters' numbers.

=====  ==========================================================
C28    :func:`one_token_law_uniformity`
C29    :func:`overlap_equation_and_large_d_limit`
C30    :func:`noise_induced_uniqueness_runs`
C48    :func:`common_noise_limit_is_random`
C49    :func:`lyapunov_sign_by_dimension`
C50    :func:`tokens_are_brownian_on_the_sphere`
C51    :func:`free_energy_along_a_noisy_path`
C52    :func:`many_tokens_limit_is_deterministic`
=====  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import common_noise as cn
from .. import particles as pt
from .. import spde
from .. import sphere as sp

__all__ = [
    "OneTokenLaw",
    "one_token_law_uniformity",
    "OverlapCheck",
    "overlap_equation_and_large_d_limit",
    "UniquenessRuns",
    "noise_induced_uniqueness_runs",
    "RandomLimit",
    "common_noise_limit_is_random",
    "LyapunovSigns",
    "lyapunov_sign_by_dimension",
    "BrownianTokens",
    "tokens_are_brownian_on_the_sphere",
    "NoisyFreeEnergy",
    "free_energy_along_a_noisy_path",
    "ManyTokens",
    "many_tokens_limit_is_deterministic",
]


# --- C28 ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class OneTokenLaw:
    """Result of :func:`one_token_law_uniformity` (C28)."""

    mean_s2: float
    se_s2: float
    ks_pvalue: float
    rbar_final: float
    clustered_mean: float
    clustered_se: float
    clustered_exact: float


def one_token_law_uniformity() -> OneTokenLaw:
    r"""C28: the law of one token stays uniform from an i.i.d. uniform start, not from a clustered one.

    :math:`d = 3`, :math:`n = 8`, :math:`\beta = 10`, 2000 systems to :math:`t = 3`
    (coordinate :math:`s = \langle x_1, e_3\rangle`, :math:`\mathbb E s^2 = 1/3`), and all
    tokens at one point :math:`p` (:math:`\beta = 5`, :math:`t = 0.5`):
    :math:`\mathbb E\langle x_1, p\rangle = e^{-\beta(d-1)t/(2d)}`.
    """
    x0 = sp.uniform_tokens(8, 3, n_systems=2000, rng=70)
    run = sp.simulate_tokens(x0, beta=10.0, dt=0.01, n_steps=300, rng=71, save_every=100)
    uni = sp.coordinate_uniformity(run.x[-1][:, 0, 2], 3)
    p = np.array([0.0, 0.0, 1.0])
    runc = sp.simulate_tokens(np.broadcast_to(p, (2000, 8, 3)).copy(), beta=5.0, dt=0.01, n_steps=50, rng=72)
    a = runc.x[-1][:, 0] @ p
    return OneTokenLaw(float(uni.mean_s2), float(uni.se_s2), float(uni.ks_pvalue), float(run.rbar[-1].mean()),
                       float(a.mean()), float(a.std() / np.sqrt(a.size)), float(np.exp(-5.0 * 2 * 0.5 / 6)))


# --- C29 ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class OverlapCheck:
    """Result of :func:`overlap_equation_and_large_d_limit` (C29)."""

    max_form_gap: float
    drift_estimate: float
    drift_se: float
    drift_exact: float
    dims: tuple
    errors: tuple


def overlap_equation_and_large_d_limit() -> OverlapCheck:
    r"""C29: the talk's overlap drift (with its missing :math:`dt` restored) is exact; the large-:math:`d` error is :math:`O(1/d)`.

    ``max_form_gap``: the talk's form :math:`d\kappa(1 - R + (R^2+R-2)/d)` against
    :math:`\kappa(1-R)(d-2-R)` on a grid of :math:`R`, :math:`d = 2, 3, 16, 512`.
    One-step Monte Carlo of the drift at :math:`d = 32`, :math:`R_{12} = 0.3`; the
    time-averaged error of the large-:math:`d` ODE for :math:`d = 3, 16, 128`
    (:math:`n = 8`, :math:`\beta = 4`, 200 systems, :math:`t\in[0, 1.5]`).
    """
    rg = np.linspace(-1, 1, 401)
    gap = max(float(np.max(np.abs(sp.r_drift(rg, 0.7, d) - sp.r_drift_talk(rg, 0.7, d)))) for d in (2, 3, 16, 512))
    xd = sp.uniform_tokens(4, 32, rng=62)
    xd[1] = 0.3 * xd[0] + np.sqrt(0.91) * np.linalg.qr(np.stack([xd[0], xd[1]], axis=1))[0][:, 1]
    est, se = sp.one_step_drift(xd, beta=4.0, dt=1e-4, n_samples=20_000, rng=72)
    ref = float(sp.r_drift(0.3, float(sp.attention_strength(xd, 4.0)), 32))
    big = sp.large_d_overlap(np.arange(151) * 0.01, beta=4.0, n=8)
    errs = []
    for d in (3, 16, 128):
        run = sp.simulate_tokens(sp.uniform_tokens(8, d, n_systems=200, rng=50 + d), beta=4.0, dt=0.01,
                                 n_steps=150, rng=60 + d)
        errs.append(float((big[:, None] - run.rbar).mean()))
    return OverlapCheck(gap, float(est), float(se), ref, (3, 16, 128), tuple(errs))


# --- C30 ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class UniquenessRuns:
    """Result of :func:`noise_induced_uniqueness_runs` (C30)."""

    r_star: float
    r_final_K2: float
    mass_error_K2: float
    K_star: float
    rates: tuple
    K_grid: tuple


def noise_induced_uniqueness_runs() -> UniquenessRuns:
    r"""C30: several steady states without noise; the uniform density wins under strong enough shear noise.

    :math:`\gamma = 3`: the clustered root :math:`r_*` of :math:`r = I_1(3r)/I_0(3r)`;
    the largest :math:`r(10)` of eight runs (four spots, four near-uniform
    starts, :math:`n = 48`) at :math:`K = 2`; and the pathwise growth rate of the
    linearised SPDE at :math:`\rho\equiv1` on a grid of :math:`K` (:math:`n = 32`, 8
    paths, :math:`T = 30`), with ``K_star`` its zero crossing (linear interpolation).
    """
    r_star = spde.self_consistency(3.0)
    spot = spde.steady_state(48, 3.0, "spot")
    rho0 = np.concatenate([np.broadcast_to(spot, (4, 48, 48)), spde.perturbed_uniform(48, 0.05, n_runs=4, rng=3)])
    run = spde.simulate_spde(rho0, gamma=3.0, K=2.0, dt=0.025, n_steps=400, save_every=4, rng=102)
    K_grid = (0.0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 1.0, 1.5, 2.0)
    rates = tuple(spde.linearised_growth_rate(3.0, K, n=32, dt=0.025, n_steps=1200, n_runs=8, t_burn=5.0,
                                              rng=300 + i).rate for i, K in enumerate(K_grid))
    k_star = float(np.interp(0.0, -np.array(rates), np.array(K_grid)))
    return UniquenessRuns(r_star, float(run.r[-1].max()), float(run.mass_error), k_star, rates, K_grid)


# --- C48 ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RandomLimit:
    """Result of :func:`common_noise_limit_is_random` (C48)."""

    var_common: float
    se_common: float
    var_common_exact: float
    slope_idiosyncratic: float
    sync_rate: float
    sync_rate_exact: float


def common_noise_limit_is_random() -> RandomLimit:
    r"""C48: with common noise the empirical measure has a random limit; with common noise only, the cloud collapses.

    Linear model :math:`b = -x - \theta(x - \bar x)`, :math:`\theta = 1`, 400
    environments, :math:`\Delta t = 0.1`, :math:`t = 1`: :math:`\mathrm{Var}\langle\mu^N_1, x\rangle` at
    :math:`N = 10^4` with :math:`\sigma_0 = \sigma = 1` (against the exact value for the
    scheme) and the fitted rate in :math:`N` with :math:`\sigma_0 = 0`. The talk's own
    case :math:`\sigma = 0`, :math:`\sigma_0 = 1`: the within-environment variance decays
    at the rate :math:`2\log(1 - (1+\theta)\Delta t)/\Delta t\to-2(1+\theta)`, whatever the
    noise (three environments of 1000 particles, :math:`\Delta t = 0.01`, :math:`t = 3`).
    """
    common_v = np.random.default_rng(10).standard_normal((10, 400))
    Nv = np.array([10, 100, 1000, 10000])
    v0 = []
    for k, N in enumerate(Nv):
        x0 = pt.make_initial_gaussian(int(N), mean=0.5, sd=0.5, n_ensembles=400, rng=20 + k)
        run = cn.simulate_linear(x0, theta=1.0, sigma0=0.0, sigma=1.0, dt=0.1, n_steps=10, common=common_v, rng=30 + k)
        v0.append(run.x[-1].mean(axis=1).var(ddof=1))
    x0 = pt.make_initial_gaussian(10000, mean=0.5, sd=0.5, n_ensembles=400, rng=23)
    run = cn.simulate_linear(x0, theta=1.0, sigma0=1.0, sigma=1.0, dt=0.1, n_steps=10, common=common_v, rng=33)
    v1 = float(run.x[-1].mean(axis=1).var(ddof=1))
    ex = float(cn.linear_mean_variance(1.0, n_particles=10000, sigma0=1.0, sigma=1.0, s0=0.5, dt=0.1))
    x0s = pt.make_initial_gaussian(1000, mean=0.5, sd=1.0, n_ensembles=3, rng=24)
    sync = cn.simulate_linear(x0s, theta=1.0, sigma0=1.0, sigma=0.0, dt=0.01, n_steps=300, rng=25, save_every=10)
    v = sync.x.var(axis=-1, ddof=1)
    rate = float((np.log(v[-1] / v[0]) / sync.t[-1]).mean())
    return RandomLimit(v1, v1 * float(np.sqrt(2 / 399)), ex, float(pt.fit_slope(Nv, v0)), rate,
                       float(2 * np.log(1 - 2 * 0.01) / 0.01))


# --- C49 ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class LyapunovSigns:
    """Result of :func:`lyapunov_sign_by_dimension` (C49)."""

    additive: float
    multiplicative: float
    multiplicative_direct: float
    multiplicative_mc: float
    multiplicative_se: float
    shear_2d: float
    shear_2d_se: float
    shear_2d_exact: float


def lyapunov_sign_by_dimension() -> LyapunovSigns:
    r"""C49: "two-point motion contracts" is a theorem in 1D (additive or multiplicative noise), not in 2D.

    1D: the double well :math:`V = x^4/4 - x^2/2` with additive noise
    :math:`\sigma = 1` (:math:`\lambda = -\mathbb E_\pi[V'']`), and
    :math:`dX = (X - X^3)dt + 0.7\sqrt{1+X^2}\circ dW` (:math:`\lambda = -2\mathbb E_p[(f/g)^2]`, two
    quadrature routes and a Heun Monte Carlo of the derivative process). 2D:
    the top exponent of the area-preserving random shear flow on the torus
    at :math:`K = 1` (:func:`meanfield.spde.shear_flow_lyapunov`), positive, against the
    exact continuous-time value :math:`4\pi^2c^2/\Gamma(1/4)^4` (:func:`meanfield.common_noise.shear_flow_lyapunov_exact`).
    """
    add = cn.lyapunov_exponent_formula(lambda x: x**4 / 4 - x**2 / 2, lambda x: x**3 - x, lambda x: 3 * x**2 - 1,
                                       1.0).value
    f, df = (lambda x: x - x**3), (lambda x: 1 - 3 * x**2)
    g, dg = (lambda x: 0.7 * np.sqrt(1 + x**2)), (lambda x: 0.7 * x / np.sqrt(1 + x**2))
    lm = cn.lyapunov_exponent_multiplicative(f, df, g, dg)
    mc = cn.lyapunov_multiplicative_monte_carlo(f, df, g, dg, T=50.0, dt=0.0025, n_paths=200, x0=1.0, t_burn=5.0,
                                                rng=70)
    sh = spde.shear_flow_lyapunov(1.0, dt=0.01, n_steps=2000, n_paths=200, rng=32)
    return LyapunovSigns(add, lm.value, lm.value_direct, mc.estimate, mc.se, sh.estimate, sh.se,
                         cn.shear_flow_lyapunov_exact(1.0))


# --- C50 ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class BrownianTokens:
    """Result of :func:`tokens_are_brownian_on_the_sphere` (C50)."""

    correction_error: float
    mean_overlap: float
    se: float
    exact: float
    stratonovich: float
    kappa_drift_max: float
    kappa_drift_error: float


def tokens_are_brownian_on_the_sphere() -> BrownianTokens:
    r"""C50: the talk's Itô drift is the Stratonovich correction, so each token is a Brownian motion on the sphere.

    ``correction_error``: :math:`\max|\frac12\sum_kD(Pe_k)[Pe_k] + \frac{d-1}2x|` by finite
    differences (:math:`d = 6`). :math:`\mathbb E\langle x_1, x_0\rangle` for one token per
    system (10 000 systems, :math:`d = 3`, :math:`\kappa = 1`, :math:`t = 1`) against
    :math:`e^{-\kappa(d-1)t/2}` and the Stratonovich reading :math:`e^{-\kappa(d-1)t}`.
    ``kappa_drift_max``: read as a Stratonovich *system* with :math:`\kappa = \kappa(X)`
    (:math:`n = 5`, :math:`d = 4`, :math:`\beta = 3`), the largest entry of the correction
    minus the Itô drift; ``kappa_drift_error``: its distance to the closed form
    :math:`\frac{\beta}{2dn}P_{x_i}\sum_jP_{x_j}\bar x`.
    """
    xs = sp.uniform_tokens(5, 4, rng=1)
    xb = xs.mean(axis=0)
    s_ = sum(xj - xj * (xj @ xb) for xj in xs)
    extra = 3.0 / (2 * 4 * 5) * (s_ - xs * (xs @ s_)[:, None])
    gap = sp.system_stratonovich_correction(xs, beta=3.0) + float(sp.attention_strength(xs, 3.0)) * 1.5 * xs
    xr = sp.uniform_tokens(4, 6, rng=0)
    corr = float(np.max(np.abs(sp.stratonovich_correction(xr) + 2.5 * xr)))
    x0 = sp.uniform_tokens(2, 3, n_systems=10_000, rng=13)
    run = sp.simulate_tokens(x0, kappa=1.0, dt=0.01, n_steps=100, rng=23, save_every=10)
    a = np.sum(run.x[-1][:, 0] * x0[:, 0], axis=-1)
    return BrownianTokens(corr, float(a.mean()), float(a.std() / np.sqrt(a.size)), float(np.exp(-1.0)),
                          float(np.exp(-2.0)), float(np.max(np.abs(gap))), float(np.max(np.abs(gap - extra))))


# --- C51 ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class NoisyFreeEnergy:
    """Result of :func:`free_energy_along_a_noisy_path` (C51)."""

    f_spot: float
    f_max: float
    f_final: float
    max_increase_deterministic: float


def free_energy_along_a_noisy_path() -> NoisyFreeEnergy:
    r"""C51: the closing remarks on free energy are an outlook; with transport noise the free energy is not a Lyapunov functional.

    :math:`\gamma = 3`, :math:`n = 32`: along one path of the SPDE with :math:`K = 2`
    from a spot, :math:`\mathcal F(\rho_t)` (:func:`meanfield.spde.free_energy`) rises from
    the spot's value, above 0, to :math:`\mathcal F(1) = 0` by :math:`t = 4`; without
    noise, from a near-uniform start, it never increases (largest increase
    between saves, up to :math:`t = 20`).
    """
    spot = spde.steady_state(32, 3.0, "spot", phase=(np.pi, np.pi))
    stir = spde.simulate_spde(spot, gamma=3.0, K=2.0, dt=0.025, n_steps=160, save_every=4, rng=1, save_rho=True)
    F = spde.free_energy(stir.rho[:, 0], 3.0)
    det = spde.simulate_spde(spde.perturbed_uniform(32, 0.05, rng=4), gamma=3.0, K=0.0, dt=0.025, n_steps=800,
                             save_every=16, save_rho=True)
    Fd = spde.free_energy(det.rho[:, 0], 3.0)
    return NoisyFreeEnergy(float(F[0]), float(F.max()), float(F[-1]), float(np.max(np.diff(Fd))))


# --- C52 ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ManyTokens:
    """Result of :func:`many_tokens_limit_is_deterministic` (C52)."""

    n: tuple
    q_mean: tuple
    q_se: tuple
    q_ode: tuple


def many_tokens_limit_is_deterministic() -> ManyTokens:
    r"""C52: for the toy model from i.i.d. uniform tokens, "taking :math:`N\to\infty`" switches the common noise off.

    :math:`q = \|\frac1n\sum_ix_i\|^2` at :math:`t = 1` (:math:`d = 16`, :math:`\beta = 2`,
    50 systems) for :math:`n = 8, 32, 128, 512` tokens, against the finite-:math:`d`
    closure (:func:`meanfield.sphere.overlap_ode`). Since :math:`q(0)\approx 1/n`,
    :math:`\kappa = \beta q/d\to0` and :math:`q(t) = O(e^{\beta t}/n)` at fixed :math:`t`:
    the empirical measure stays uniform, a deterministic limit.
    """
    ns = (8, 32, 128, 512)
    qm, qs, qo = [], [], []
    for n in ns:
        x0 = sp.uniform_tokens(n, 16, n_systems=50, rng=400 + n)
        run = sp.simulate_tokens(x0, beta=2.0, dt=0.01, n_steps=100, rng=500 + n)
        q = 1 / n + (1 - 1 / n) * run.rbar[-1]
        qm.append(float(q.mean()))
        qs.append(float(q.std(ddof=1) / np.sqrt(q.size)))
        ode = float(sp.overlap_ode(np.array([0.0, 1.0]), beta=2.0, n=n, d=16)[-1])
        qo.append(1 / n + (1 - 1 / n) * ode)
    return ManyTokens(ns, tuple(qm), tuple(qs), tuple(qo))
