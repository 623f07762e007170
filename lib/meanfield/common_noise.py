r"""Mean-field particles with common noise, conditional laws and synchronisation by noise.

Particles in a common environment
---------------------------------
:math:`R` independent *environments*, each with :math:`N` particles on the line,

.. math::

    dX_i = b(X_i, \mu^N_t)\,dt + \sigma_0(X_i, \mu^N_t)\,dB^0_t + \sigma\,dB^i_t,
    \qquad \mu^N_t = \frac1N\sum_{j=1}^N\delta_{X_j(t)},

(Itô). The **common noise** :math:`B^0` is the same for all particles of one
environment (each environment has its own :math:`B^0`); the idiosyncratic
Brownian motions :math:`B^i` are independent, with intensity
:math:`\sigma\ge0`. For a smooth :math:`\varphi`, Itô's formula gives

.. math::

    d\langle\mu^N_t,\varphi\rangle = \Big\langle\mu^N_t, b\varphi' + \tfrac12(\sigma_0^2+\sigma^2)\varphi''\Big\rangle dt
    + \langle\mu^N_t, \sigma_0\varphi'\rangle\,dB^0_t + \frac{\sigma}{N}\sum_i\varphi'(X_i)\,dB^i_t :

the idiosyncratic martingale has quadratic variation :math:`O(1/N)`, the
common-noise term has no :math:`N^{-1/2}` in front of it. The limit
:math:`\mu_t = \mathcal L(X_t\,|\,B^0)` is a random measure, solution of a
stochastic PDE.

The linear model
----------------
:math:`b(x,\mu) = -x - \theta(x - \bar x)` with :math:`\bar x = \langle\mu, x\rangle`,
constant :math:`\sigma_0, \sigma`, i.i.d. :math:`X_i(0)\sim N(m_0, s_0^2)`.

* The empirical mean (the interaction cancels in it) is an OU process,
  :math:`d\bar X = -\bar X\,dt + \sigma_0\,dB^0 + \frac{\sigma}{\sqrt N}\,d\bar B`, so

  .. math::

      \mathrm{Var}\,\langle\mu^N_t, x\rangle = \frac{\sigma_0^2(1-e^{-2t})}{2}
      + \frac1N\Big[\frac{\sigma^2(1-e^{-2t})}{2} + s_0^2e^{-2t}\Big]

  (:func:`linear_mean_variance`): it vanishes like :math:`1/N` if
  :math:`\sigma_0 = 0` and tends to :math:`\sigma_0^2(1-e^{-2t})/2 > 0` otherwise.
* Given :math:`B^0`, the limit is Gaussian, :math:`\mathcal L(X_t\,|\,B^0) = N(m_t, v_t)`, with a
  random mean and a deterministic variance,

  .. math::

      m_t = e^{-t}m_0 + \sigma_0\int_0^te^{-(t-s)}\,dB^0_s,\qquad
      v' = -2(1+\theta)v + \sigma^2,\ v(0) = s_0^2
      \ \Rightarrow\ v_t = s_0^2e^{-2(1+\theta)t} + \frac{\sigma^2(1 - e^{-2(1+\theta)t})}{2(1+\theta)}

  (:func:`conditional_law_linear`). Averaged over environments the law of one
  particle is the deterministic :math:`N(m_0e^{-t}, v_t + \sigma_0^2(1-e^{-2t})/2)`.

Synchronisation by noise
------------------------
The stochastic flow :math:`dX = -V'(X)\,dt + \sigma\,dW` (one :math:`W` for all
starting points) has the linearisation
:math:`d\log|\partial X_t/\partial x_0| = -V''(X_t)\,dt`, hence the top
Lyapunov exponent (ergodic theorem, :math:`\pi\propto e^{-2V/\sigma^2}`)

.. math::

    \lambda = \lim_{T\to\infty}\frac1T\log\Big|\frac{\partial X_T}{\partial x_0}\Big|
    = -\mathbb E_\pi[V''] = -\frac{2}{\sigma^2}\,\mathbb E_\pi\big[V'^2\big] < 0

(integration by parts, :math:`\pi' = -(2V'/\sigma^2)\pi`): in 1D a gradient
flow with additive noise always synchronises, even in a double well;
:math:`\lambda = -a` for :math:`V = ax^2/2`.

Numerics
--------
Euler--Maruyama, vectorised over environments and particles:
:math:`X^{k+1} = X^k + b(X^k)\Delta t + \sigma_0(X^k)\sqrt{\Delta t}\,\xi^{0,k} + \sigma\sqrt{\Delta t}\,\xi^k`
with :math:`\xi^{0,k}` of shape ``(R,)`` (one per environment) and
:math:`\xi^k` of shape ``(R, N)``. For the linear model the empirical mean
and the conditional mean follow the discrete recursion
:math:`m^{k+1} = (1-\Delta t)m^k + \sigma_0\sqrt{\Delta t}\,\xi^{0,k}` exactly,
and the conditional variance
:math:`v^{k+1} = (1-(1+\theta)\Delta t)^2v^k + \sigma^2\Delta t`.

In dimension two
----------------
The random shear flow of :func:`meanfield.spde.shear_flow_lyapunov` (white in
time, :math:`x_2\mapsto x_2 + s(x_1)`, :math:`x_1\mapsto x_1 + u(x_2)`) preserves area and, in
continuous time, has the exact top exponent
:math:`\lambda_1 = 4\pi^2c^2/\Gamma(1/4)^4 > 0`, :math:`c^2 = 2K\sum_m\sigma_m^2m^2`
(:func:`shear_flow_lyapunov_exact`): two-point motions separate.

References
----------
.. [1] R. Carmona, F. Delarue, *Probabilistic Theory of Mean Field Games II:
   Mean Field Games with Common Noise and Master Equations*, Springer, 2018.
.. [2] H. Crauel, F. Flandoli, "Additive noise destroys a pitchfork
   bifurcation", J. Dyn. Diff. Eq. 10 (1998) 259--274.
.. [3] B. Gess, R. S. Gvalani, F. Martini, noise-induced uniqueness for the
   McKean--Vlasov SPDE with common transport noise (2026).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import integrate

from .particles import ou_variance
from .utils import (as_generator, check_callable, check_choice, check_int, check_nonnegative, check_normals,
                    check_positions, check_positive, check_times, coarsen_normals)

__all__ = [
    "CommonNoiseResult",
    "ConditionalLaw",
    "LyapunovFormula",
    "LyapunovEstimate",
    "StepBias",
    "TwoPointResult",
    "SlopeFit",
    "linear_drift",
    "simulate_common_noise",
    "simulate_linear",
    "linear_mean_variance",
    "conditional_variance_linear",
    "conditional_law_linear",
    "invariant_expectation",
    "sample_invariant",
    "lyapunov_exponent_formula",
    "lyapunov_exponent_ou",
    "lyapunov_monte_carlo",
    "lyapunov_step_bias",
    "two_point_motion",
    "log_distance_slope",
    "MultiplicativeLyapunov",
    "MultiplicativeLyapunovMC",
    "lyapunov_exponent_multiplicative",
    "lyapunov_multiplicative_monte_carlo",
    "shear_flow_lyapunov_exact",
]


# --- input checks --------------------------------------------------------------------

def _check_theta(theta):
    theta = float(theta)
    if not np.isfinite(theta) or not 1.0 + theta > 0:
        raise ValueError(f"theta: the linear model needs a finite theta with 1 + theta > 0, got {theta}")
    return theta


def _check_linear_dt(dt, theta):
    bound = 1.0 / (1.0 + abs(theta))
    if dt >= bound:
        raise ValueError(f"dt: Euler-Maruyama stability of the linear model needs dt * (1 + |theta|) < 1, "
                         f"i.e. dt < {bound:.4g}; got dt = {dt:g}")


def _check_sigma(sigma):
    """``sigma``: a number >= 0 or a 1-D array of numbers > 0 (returned as an array, and a flag)."""
    arr = np.asarray(sigma, dtype=float)
    if arr.ndim > 1 or arr.size < 1:
        raise ValueError(f"sigma: expected a number or a 1-D array of numbers > 0, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"sigma: must be finite and > 0, got {sigma}")
    return np.atleast_1d(arr), arr.ndim == 0


# --- results ----------------------------------------------------------------------------

@dataclass(frozen=True)
class CommonNoiseResult:
    r"""Output of :func:`simulate_common_noise`.

    Attributes
    ----------
    t : ndarray, shape (n_saved,)
        Saved times (0, every ``save_every`` steps and the final time).
    x : ndarray, shape (n_saved, N) or (n_saved, R, N)
        Positions at those times (the shape of ``x0`` after the time axis).
    common : ndarray, shape (n_steps, R)
        The standard normals :math:`\xi^{0,k}` of the common noise that were
        used (one column per environment): pass them as ``common`` to drive
        other systems by the same environments.
    dt, sigma : float
    n_steps : int
    success : bool
    message : str
    """

    t: np.ndarray
    x: np.ndarray
    common: np.ndarray
    dt: float
    sigma: float
    n_steps: int
    success: bool
    message: str


@dataclass(frozen=True)
class ConditionalLaw:
    r"""Output of :func:`conditional_law_linear`: :math:`\mathcal L(X_{t_k}\,|\,B^0) = N(m_k, v_k)`.

    Attributes
    ----------
    t : ndarray, shape (n_steps + 1,)
    mean : ndarray, shape (n_steps + 1, R)
        :math:`m_k`, one column per environment (random).
    var : ndarray, shape (n_steps + 1,)
        :math:`v_k` (deterministic, the same for all environments).
    """

    t: np.ndarray
    mean: np.ndarray
    var: np.ndarray


@dataclass(frozen=True)
class LyapunovFormula:
    r"""Output of :func:`lyapunov_exponent_formula`.

    Attributes
    ----------
    value : float
        :math:`-\mathbb E_\pi[V'']` (quadrature).
    value_ibp : float
        :math:`-\frac{2}{\sigma^2}\mathbb E_\pi[V'^2]` (quadrature), the
        integration-by-parts route.
    sigma : float
    """

    value: float
    value_ibp: float
    sigma: float


@dataclass(frozen=True)
class LyapunovEstimate:
    r"""Output of :func:`lyapunov_monte_carlo`.

    Attributes
    ----------
    estimate, se : float or ndarray, shape (S,)
        Mean over the paths of :math:`\hat\lambda_r = -\frac1T\sum_k V''(X^k_r)\Delta t`
        and its standard error ``std / sqrt(R)`` (one entry per ``sigma``).
    per_path : ndarray, shape (R,) or (S, R)
        The :math:`\hat\lambda_r`.
    sigma : float or ndarray
    T, dt : float
    n_paths : int
    """

    estimate: object
    se: object
    per_path: np.ndarray
    sigma: object
    T: float
    dt: float
    n_paths: int


@dataclass(frozen=True)
class StepBias:
    r"""Output of :func:`lyapunov_step_bias`.

    Attributes
    ----------
    estimate_dt, estimate_half : float or ndarray
        :math:`\hat\lambda` with steps ``dt`` and ``dt / 2``, driven by the
        same Brownian paths (the coarse increments are sums of two fine ones).
    difference, se_difference : float or ndarray
        ``estimate_dt - estimate_half`` (an estimate of the time-step bias,
        :math:`\approx` half the :math:`O(\Delta t)` bias at ``dt``) and its standard error.
    se : float or ndarray
        Standard error of ``estimate_dt`` itself.
    """

    estimate_dt: object
    estimate_half: object
    difference: object
    se_difference: object
    se: object


@dataclass(frozen=True)
class TwoPointResult:
    r"""Output of :func:`two_point_motion`.

    Attributes
    ----------
    t : ndarray, shape (n_saved,)
    x, y : ndarray, shape (n_saved, R)
        The two trajectories of each pair.
    distance : ndarray, shape (n_saved, R)
        :math:`|X_t - Y_t|`.
    independent : bool
        ``True`` if ``Y`` had its own noise (no common noise).
    success : bool
    message : str
    """

    t: np.ndarray
    x: np.ndarray
    y: np.ndarray
    distance: np.ndarray
    independent: bool
    success: bool
    message: str


@dataclass(frozen=True)
class SlopeFit:
    r"""Output of :func:`log_distance_slope`.

    Attributes
    ----------
    slope, se : float
        Mean of the per-pair slopes and its standard error (``nan`` if fewer than two pairs were fitted).
    per_pair : ndarray, shape (R,)
        Least-squares slope of :math:`\log|X_t - Y_t|` against :math:`t` on
        the window ``d_min < |X - Y| < d_max`` (``nan`` for a pair with fewer
        than ``min_points`` points in the window).
    n_fitted : int
    """

    slope: float
    se: float
    per_pair: np.ndarray
    n_fitted: int


# --- simulation -----------------------------------------------------------------------

def linear_drift(theta):
    r"""The drift :math:`b(x, \mu^N) = -x - \theta(x - \bar x)` of the linear model, as a vectorised callable.

    The returned function takes an array of shape ``(N,)`` or ``(R, N)``;
    :math:`\bar x` is the mean over the last axis (each row is one environment).

    Examples
    --------
    >>> linear_drift(1.0)(np.array([0.0, 2.0])).tolist()
    [1.0, -3.0]
    """
    theta = _check_theta(theta)

    def drift(x):
        out = x * -(1.0 + theta)
        out += theta * x.mean(axis=-1, keepdims=True)
        return out

    return drift


def simulate_common_noise(x0, *, drift, sigma0, sigma=0.0, dt, n_steps, rng=None, common=None, noise=None,
                          save_every=None) -> CommonNoiseResult:
    r"""Euler--Maruyama for mean-field particles with common noise (module docstring).

    .. math::

        X_i^{k+1} = X_i^k + b(X^k)_i\,\Delta t + \sigma_0(X^k)_i\sqrt{\Delta t}\,\xi^{0,k}
                    + \sigma\sqrt{\Delta t}\,\xi_i^k,

    with one :math:`\xi^{0,k}\sim N(0,1)` per environment and step (Itô).

    Parameters
    ----------
    x0 : array_like, shape (N,) or (R, N)
        Initial positions; each row is one environment (its own :math:`B^0`),
        a 1-D array is a single environment.
    drift : callable
        :math:`b`, vectorised: receives the whole array of positions (shape of
        ``x0``) and returns an array of that shape; it may use
        ``x.mean(axis=-1, keepdims=True)`` for :math:`\langle\mu^N, x\rangle`.
    sigma0 : float or callable
        Common-noise coefficient :math:`\sigma_0\ge0`, or a vectorised callable
        of the positions (multiplicative common noise), returning an array
        broadcastable to the shape of ``x0``.
    sigma : float
        Idiosyncratic noise :math:`\sigma\ge0`.
    dt : float
        Time step, > 0.
    n_steps : int
        >= 1.
    rng : None, int or numpy.random.Generator
        Draws whichever normals are not given (the common ones first).
    common : array_like, shape (n_steps, R) or (n_steps,), optional
        Pre-drawn standard normals :math:`\xi^{0,k}` of the common noise (for a
        1-D ``x0``, shape ``(n_steps,)`` or ``(n_steps, 1)``): the same
        environments can then drive systems of several sizes ``N``.
    noise : array_like, shape (n_steps,) + x0.shape, optional
        Pre-drawn idiosyncratic standard normals.
    save_every : int, optional
        Store every ``save_every``-th step (default: first and last); the last
        step is always stored.

    Returns
    -------
    CommonNoiseResult

    Raises
    ------
    ValueError
        Bad input, or a non-finite state during the run (blow-up; the message
        names the step).

    Examples
    --------
    >>> res = simulate_common_noise(np.zeros((2, 3)), drift=lambda x: -x, sigma0=1.0, dt=0.1, n_steps=5, rng=0)
    >>> res.x.shape, res.common.shape
    ((2, 2, 3), (5, 2))
    >>> bool(np.all(res.x[-1] == res.x[-1][:, :1]))   # no idiosyncratic noise: particles move together
    True
    """
    x = check_positions("x0", x0)
    drift = check_callable("drift", drift)
    if callable(sigma0):
        sig0_fun, sig0 = sigma0, None
    else:
        sig0_fun, sig0 = None, check_nonnegative("sigma0", sigma0)
    sigma = check_nonnegative("sigma", sigma)
    dt = check_positive("dt", dt)
    n_steps = check_int("n_steps", n_steps, 1)
    save_every = n_steps if save_every is None else check_int("save_every", save_every, 1)
    n_env = 1 if x.ndim == 1 else x.shape[0]
    gen = None
    if common is None:
        gen = as_generator(rng)
        common = gen.standard_normal((n_steps, n_env))
    else:
        common = np.asarray(common, dtype=float)
        if x.ndim == 1 and common.shape == (n_steps,):
            common = common[:, None]
        common = check_normals("common", common, (n_steps, n_env))
    if noise is not None:
        noise = check_normals("noise", noise, (n_steps,) + x.shape)
    elif sigma > 0 and gen is None:
        gen = as_generator(rng)
    sq = np.sqrt(dt)
    # common increments broadcast over the particles of each environment
    dB0 = (sq * common) if x.ndim == 2 else (sq * common[:, 0])
    dB0 = dB0[..., None] if x.ndim == 2 else dB0
    saved_t, saved_x = [0.0], [x.copy()]
    xi = np.empty_like(x)
    with np.errstate(over="ignore", invalid="ignore"):  # a blow-up is detected below and reported
        _em_loop(x, drift, sig0, sig0_fun, sigma, sq, dB0, noise, gen, xi, n_steps, dt, save_every, saved_t, saved_x)
    return CommonNoiseResult(np.array(saved_t), np.stack(saved_x), common, dt, sigma, n_steps, True,
                             f"{n_steps} Euler-Maruyama steps, {n_env} environment(s) of {x.shape[-1]} particles")


def _em_loop(x, drift, sig0, sig0_fun, sigma, sq, dB0, noise, gen, xi, n_steps, dt, save_every, saved_t, saved_x):
    for k in range(1, n_steps + 1):
        b = np.asarray(drift(x), dtype=float)
        if b.shape != x.shape:
            raise ValueError(f"drift: must return an array of shape {x.shape}, got {b.shape}")
        if not b.flags.writeable or np.may_share_memory(b, x):
            b = b.copy()  # the step is accumulated in place in b
        b *= dt
        if sig0_fun is None:
            b += sig0 * dB0[k - 1]  # (R, 1): broadcast over the particles of each environment
        else:
            b += np.asarray(sig0_fun(x), dtype=float) * dB0[k - 1]
        if sigma > 0:
            if noise is None:
                gen.standard_normal(out=xi)
            else:
                xi[...] = noise[k - 1]
            xi *= sigma * sq
            b += xi
        x += b
        if not np.isfinite(np.sum(x)):
            raise ValueError(f"dt: non-finite state at step {k} (blow-up); reduce dt or check drift/sigma0")
        if k % save_every == 0 or k == n_steps:
            saved_t.append(k * dt)
            saved_x.append(x.copy())


def simulate_linear(x0, *, theta, sigma0, sigma, dt, n_steps, rng=None, common=None, noise=None,
                    save_every=None) -> CommonNoiseResult:
    r"""The linear model :math:`b = -x - \theta(x - \bar x)`, constant :math:`\sigma_0,\sigma` (module docstring).

    A wrapper of :func:`simulate_common_noise` with :func:`linear_drift` and
    the stability check :math:`\Delta t\,(1 + |\theta|) < 1` (the explicit step
    of the deviations :math:`X_i - \bar X` is then a contraction); other
    parameters as there.

    Raises
    ------
    ValueError
        ``dt * (1 + |theta|) >= 1`` (the message gives the bound), ``1 + theta <= 0``, or bad input.

    Examples
    --------
    >>> res = simulate_linear(np.ones(4), theta=1.0, sigma0=0.0, sigma=0.0, dt=0.1, n_steps=10)
    >>> round(float(res.x[-1, 0]), 12) == round(0.9**10, 12)   # no noise: x_k = (1 - dt)^k
    True
    """
    theta = _check_theta(theta)
    dt = check_positive("dt", dt)
    _check_linear_dt(dt, theta)
    return simulate_common_noise(x0, drift=linear_drift(theta), sigma0=check_nonnegative("sigma0", sigma0),
                                 sigma=sigma, dt=dt, n_steps=n_steps, rng=rng, common=common, noise=noise,
                                 save_every=save_every)


# --- closed forms of the linear model -------------------------------------------------------

def _euler_steps(t, dt):
    k = np.rint(t / dt)
    if np.any(np.abs(k * dt - t) > 1e-9 * np.maximum(1.0, t)):
        raise ValueError(f"t: with dt = {dt:g} the times must be multiples of dt")
    return k


def linear_mean_variance(t, *, n_particles, sigma0, sigma, s0=1.0, dt=None):
    r""":math:`\mathrm{Var}\,\langle\mu^N_t, x\rangle` in the linear model (module docstring).

    .. math::

        \mathrm{Var}\,\bar X_t = \frac{\sigma_0^2(1-e^{-2t})}{2}
        + \frac1N\Big[\frac{\sigma^2(1-e^{-2t})}{2} + s_0^2e^{-2t}\Big],

    independent of :math:`\theta` and of :math:`m_0`. With ``dt`` the exact
    value for the Euler scheme, from
    :math:`\bar X^{k+1} = (1-\Delta t)\bar X^k + \sqrt{\Delta t}(\sigma_0\xi^{0,k} + \sigma\bar\xi^k)`:
    :math:`q^k s_0^2/N + (\sigma_0^2 + \sigma^2/N)\Delta t\,(1-q^k)/(1-q)`, :math:`q = (1-\Delta t)^2`.

    Parameters
    ----------
    t : array_like
        Times >= 0 (multiples of ``dt`` if ``dt`` is given).
    n_particles : int
        :math:`N\ge1`.
    sigma0, sigma, s0 : float
        >= 0.
    dt : float, optional
        Euler step, in (0, 1).

    Examples
    --------
    >>> float(linear_mean_variance(0.0, n_particles=10, sigma0=1.0, sigma=1.0))
    0.1
    >>> round(float(linear_mean_variance(50.0, n_particles=10**9, sigma0=1.0, sigma=1.0)), 6)
    0.5
    """
    t = check_times("t", t)
    n = check_int("n_particles", n_particles, 1)
    sigma0 = check_nonnegative("sigma0", sigma0)
    sigma = check_nonnegative("sigma", sigma)
    s0 = check_nonnegative("s0", s0)
    if dt is None:  # the OU process of the mean: rate 1, noise sigma0^2 + sigma^2 / N, Var at 0: s0^2 / N
        return ou_variance(t, rate=1.0, noise=sigma0**2 + sigma**2 / n, v0=s0**2 / n)
    dt = check_positive("dt", dt)
    if dt >= 1:
        raise ValueError(f"dt: must lie in (0, 1) for the Euler recursion of the mean, got {dt}")
    k = _euler_steps(t, dt)
    q = (1 - dt) ** 2
    qk = q**k
    return qk * s0**2 / n + (sigma0**2 + sigma**2 / n) * dt * (1 - qk) / (1 - q)


def conditional_variance_linear(t, *, theta, sigma, s0=1.0):
    r"""Variance :math:`v_t` of the conditional law :math:`\mathcal L(X_t\,|\,B^0)` in the linear model.

    .. math::  v_t = s_0^2e^{-2(1+\theta)t} + \frac{\sigma^2\big(1 - e^{-2(1+\theta)t}\big)}{2(1+\theta)},

    the solution of :math:`v' = -2(1+\theta)v + \sigma^2`, :math:`v(0) = s_0^2`
    (deterministic: the common noise shifts all particles alike).

    Examples
    --------
    >>> float(conditional_variance_linear(0.0, theta=1.0, sigma=1.0, s0=0.5))
    0.25
    """
    t = check_times("t", t)
    theta = _check_theta(theta)
    sigma = check_nonnegative("sigma", sigma)
    s0 = check_nonnegative("s0", s0)
    return ou_variance(t, rate=1.0 + theta, noise=sigma**2, v0=s0**2)


def conditional_law_linear(common, *, theta, sigma0, sigma, dt, m0=0.0, s0=1.0,
                           variance="euler") -> ConditionalLaw:
    r"""The conditional law :math:`N(m_k, v_k)` of the limit given the common noise, along a discrete path.

    The mean follows the Euler recursion of
    :math:`dm = -m\,dt + \sigma_0\,dB^0` driven by the same normals as the
    particles (exact for the Euler scheme: the conditional mean of the Euler
    particles given :math:`\xi^0` solves it),

    .. math::  m_{k+1} = (1-\Delta t)\,m_k + \sigma_0\sqrt{\Delta t}\,\xi^{0,k},\qquad m_0 \text{ given},

    a discretisation of :math:`m_t = e^{-t}m_0 + \sigma_0\int_0^te^{-(t-s)}dB^0_s`.

    Parameters
    ----------
    common : array_like, shape (n_steps, R) or (n_steps,)
        The common standard normals (``CommonNoiseResult.common``).
    theta, sigma0, sigma, dt, m0, s0
        As in :func:`simulate_linear` (:math:`X_i(0)\sim N(m_0, s_0^2)`).
    variance : {"euler", "closed_form"}
        ``"euler"``: :math:`v_{k+1} = (1-(1+\theta)\Delta t)^2v_k + \sigma^2\Delta t`
        (exact for the scheme); ``"closed_form"``: :func:`conditional_variance_linear`
        (the continuous-time value, :math:`O(\Delta t)` away).

    Returns
    -------
    ConditionalLaw

    Examples
    --------
    >>> law = conditional_law_linear(np.zeros(3), theta=0.0, sigma0=1.0, sigma=0.0, dt=0.5, m0=1.0)
    >>> law.mean[:, 0].tolist(), law.var.tolist()     # zero common normals: m_k = (1 - dt)^k m0
    ([1.0, 0.5, 0.25, 0.125], [1.0, 0.25, 0.0625, 0.015625])
    """
    common = np.asarray(common, dtype=float)
    if common.ndim == 1:
        common = common[:, None]
    if common.ndim != 2 or common.shape[0] < 1 or common.shape[1] < 1:
        raise ValueError(f"common: expected standard normals of shape (n_steps, R), got {common.shape}")
    if not np.all(np.isfinite(common)):
        raise ValueError("common: contains NaN or infinite entries")
    theta = _check_theta(theta)
    sigma0 = check_nonnegative("sigma0", sigma0)
    sigma = check_nonnegative("sigma", sigma)
    dt = check_positive("dt", dt)
    _check_linear_dt(dt, theta)
    s0 = check_nonnegative("s0", s0)
    m0 = float(m0)
    check_choice("variance", variance, ("euler", "closed_form"))
    n_steps = common.shape[0]
    k = np.arange(n_steps + 1)
    q = 1.0 - dt
    # m_k = q^k m0 + sigma0 sqrt(dt) sum_{j<k} q^{k-1-j} xi_j: a scaled cumulative sum (no loop)
    # evaluated stably as q^k * (m0 + sigma0 sqrt(dt) sum_{j<k} q^{-(j+1)} xi_j) when q^{-n} is moderate
    if n_steps * -np.log(q) < 600:
        w = q ** -(k[1:].astype(float))
        csum = np.vstack([np.zeros((1, common.shape[1])), np.cumsum(w[:, None] * common, axis=0)])
        mean = (q**k)[:, None] * (m0 + sigma0 * np.sqrt(dt) * csum)
    else:  # long horizons: the recursion itself, one step at a time
        mean = np.empty((n_steps + 1, common.shape[1]))
        mean[0] = m0
        for j in range(n_steps):
            mean[j + 1] = q * mean[j] + sigma0 * np.sqrt(dt) * common[j]
    if variance == "closed_form":
        var = conditional_variance_linear(k * dt, theta=theta, sigma=sigma, s0=s0)
    else:
        r = (1.0 - (1.0 + theta) * dt) ** 2
        rk = r**k
        var = rk * s0**2 + (sigma**2 * dt * (1 - rk) / (1 - r) if r != 1 else 0.0 * rk)
    return ConditionalLaw(k * dt, mean, np.asarray(var, dtype=float))


# --- invariant law of the 1D gradient flow -------------------------------------------------

def _check_support(support):
    try:
        a, b = (float(s) for s in support)
    except (TypeError, ValueError):
        raise TypeError(f"support: expected a pair (a, b) of numbers, got {support!r}") from None
    if not (np.isfinite(a) and np.isfinite(b) and a < b):
        raise ValueError(f"support: expected finite a < b, got ({a}, {b})")
    return a, b


def _log_weight(V, sigma, support, n=4001):
    """``x -> -2 (V(x) - Vmin) / sigma^2`` with Vmin the minimum of V on a grid of the support, and a tail check."""
    a, b = support
    grid = np.linspace(a, b, n)
    v = np.asarray(V(grid), dtype=float)
    if v.shape != grid.shape or not np.all(np.isfinite(v)):
        raise ValueError("V: must be a vectorised callable, finite on the support")
    vmin = float(v.min())
    tail = -2 * (min(v[0], v[-1]) - vmin) / sigma**2
    if tail > -40.0:
        raise ValueError(f"support: the invariant density exp(-2V/sigma^2) is not negligible at the ends of "
                         f"({a}, {b}) (log-ratio {tail:.1f} > -40); widen the support")
    return lambda x: -2.0 * (np.asarray(V(x), dtype=float) - vmin) / sigma**2


def invariant_expectation(f, V, sigma, *, support=(-10.0, 10.0)) -> float:
    r""":math:`\mathbb E_\pi[f]` for :math:`\pi\propto e^{-2V/\sigma^2}` by adaptive quadrature (:func:`scipy.integrate.quad`).

    :math:`\pi` is the invariant law of :math:`dX = -V'(X)\,dt + \sigma\,dW`.
    The integrals run over ``support``, which must carry all the mass (the
    density at its ends must be below :math:`e^{-40}` of its maximum).

    Examples
    --------
    >>> round(invariant_expectation(lambda x: x**2, lambda x: x**2 / 2, 1.0), 10)   # OU: sigma^2 / 2
    0.5
    """
    f = check_callable("f", f)
    V = check_callable("V", V)
    sigma = check_positive("sigma", sigma)
    a, b = _check_support(support)
    logw = _log_weight(V, sigma, (a, b))
    opts = dict(limit=400, epsabs=0.0, epsrel=1e-12)
    z = integrate.quad(lambda x: np.exp(logw(x)), a, b, **opts)[0]
    num = integrate.quad(lambda x: float(f(x)) * np.exp(logw(x)), a, b, **opts)[0]
    return num / z


def sample_invariant(V, sigma, size, *, rng=None, support=(-10.0, 10.0), n_grid=200_001):
    r"""Samples of :math:`\pi\propto e^{-2V/\sigma^2}` by the inverse CDF on a fine grid.

    The CDF is the cumulative trapezoidal rule on ``n_grid`` points of
    ``support`` (``support`` must carry all the mass), inverted by linear
    interpolation; ``sigma`` may be a 1-D array, one row of samples per value.

    Returns
    -------
    ndarray, shape ``size`` or (S,) + ``size``

    Examples
    --------
    >>> x = sample_invariant(lambda x: x**2 / 2, 1.0, 100_000, rng=0)   # N(0, 1/2)
    >>> bool(abs(x.var() - 0.5) < 0.01)
    True
    """
    V = check_callable("V", V)
    sig, scalar = _check_sigma(sigma)
    a, b = _check_support(support)
    n_grid = check_int("n_grid", n_grid, 101)
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (check_int("size", size, 1),)
    size = tuple(check_int("size", s, 1) for s in size)
    gen = as_generator(rng)
    grid = np.linspace(a, b, n_grid)
    out = np.empty((sig.size,) + size)
    for i, s in enumerate(sig):  # a few values of sigma; each sampling is vectorised
        w = np.exp(_log_weight(V, s, (a, b))(grid))
        cdf = integrate.cumulative_trapezoid(w, grid, initial=0.0)
        cdf /= cdf[-1]
        out[i] = np.interp(gen.random(size), cdf, grid)
    return out[0] if scalar else out


# --- top Lyapunov exponent ------------------------------------------------------------------

def lyapunov_exponent_formula(V, dV, d2V, sigma, *, support=(-10.0, 10.0)) -> LyapunovFormula:
    r"""Top Lyapunov exponent of :math:`dX = -V'(X)\,dt + \sigma\,dW` by quadrature, two routes.

    .. math::

        \lambda = -\mathbb E_\pi[V''] = -\frac{2}{\sigma^2}\,\mathbb E_\pi[V'^2],
        \qquad \pi\propto e^{-2V/\sigma^2}

    (:func:`invariant_expectation`; the routes agree by integration by parts,
    which makes :math:`\lambda < 0` for every confining :math:`V`).

    Parameters
    ----------
    V, dV, d2V : callable
        :math:`V`, :math:`V'`, :math:`V''`, vectorised.
    sigma : float
        > 0.
    support : (float, float)
        An interval carrying all the mass of :math:`\pi`.

    Examples
    --------
    >>> lf = lyapunov_exponent_formula(lambda x: x**2, lambda x: 2 * x, lambda x: 2 + 0 * x, 1.0)
    >>> round(lf.value, 10), round(lf.value_ibp, 10)    # OU with a = 2: lambda = -2
    (-2.0, -2.0)
    """
    for name, f in (("V", V), ("dV", dV), ("d2V", d2V)):
        check_callable(name, f)
    sigma = check_positive("sigma", sigma)
    support = _check_support(support)
    e2 = invariant_expectation(d2V, V, sigma, support=support)
    e1 = invariant_expectation(lambda x: dV(x) ** 2, V, sigma, support=support)
    return LyapunovFormula(-e2, -2.0 * e1 / sigma**2, sigma)


def lyapunov_exponent_ou(a) -> float:
    r"""The exact top Lyapunov exponent :math:`\lambda = -a` of the OU flow :math:`dX = -aX\,dt + \sigma\,dW`.

    :math:`\partial X_t/\partial x_0 = e^{-at}` for every noise path.

    Examples
    --------
    >>> lyapunov_exponent_ou(1.5)
    -1.5
    """
    return -check_positive("a", a)


def _lyap_paths(dV, d2V, sig, x0, T, dt, noise, gen):
    """Euler paths (S, R) and the time averages of V''; noise: None or (n_steps, R) normals (shared by all sigma)."""
    n_steps = int(round(T / dt))
    x = np.array(x0, dtype=float)
    acc = np.zeros_like(x)
    amp = sig[:, None] * np.sqrt(dt)
    xi = np.empty(x.shape[1])
    with np.errstate(over="ignore", invalid="ignore"):  # a blow-up is detected below and reported
        return _lyap_loop(dV, d2V, x, acc, amp, xi, noise, gen, n_steps, dt)


def _lyap_loop(dV, d2V, x, acc, amp, xi, noise, gen, n_steps, dt):
    for k in range(n_steps):
        h = np.asarray(d2V(x), dtype=float)
        acc += h
        if noise is None:
            gen.standard_normal(out=xi)
        else:
            xi = noise[k]
        x = x - dt * np.asarray(dV(x), dtype=float) + amp * xi
        if not np.isfinite(np.sum(x)):
            raise ValueError(f"dt: non-finite state at step {k + 1} (blow-up); reduce dt")
    return -acc * dt / (n_steps * dt)


def _lyap_setup(V, dV, d2V, sigma, T, dt, n_paths, support):
    for name, f in (("V", V), ("dV", dV), ("d2V", d2V)):
        check_callable(name, f)
    sig, scalar = _check_sigma(sigma)
    T = check_positive("T", T)
    dt = check_positive("dt", dt)
    n_paths = check_int("n_paths", n_paths, 1)
    if dt > T:
        raise ValueError(f"dt: must be <= T = {T:g}, got {dt:g}")
    n_steps = int(round(T / dt))
    if abs(n_steps * dt - T) > 1e-9 * T:
        raise ValueError(f"T: must be a multiple of dt = {dt:g}, got T = {T:g}")
    return sig, scalar, T, dt, n_paths, n_steps, _check_support(support)


def lyapunov_monte_carlo(V, dV, d2V, sigma, *, T, dt, n_paths, rng=None, x0=None,
                         support=(-10.0, 10.0)) -> LyapunovEstimate:
    r"""Monte Carlo estimate of the top Lyapunov exponent along Euler paths started from :math:`\pi`.

    ``R = n_paths`` independent paths :math:`X^{k+1} = X^k - V'(X^k)\Delta t + \sigma\sqrt{\Delta t}\,\xi^k`,
    :math:`X^0\sim\pi` (:func:`sample_invariant`), and

    .. math::  \hat\lambda_r = -\frac1T\sum_{k=0}^{T/\Delta t - 1}V''(X^k_r)\,\Delta t,\qquad
               \hat\lambda = \frac1R\sum_r\hat\lambda_r,\quad \mathrm{SE} = \mathrm{std}(\hat\lambda_r)/\sqrt R,

    the time average of :math:`d\log|\partial X/\partial x_0| = -V''(X)\,dt`.
    The Euler chain's invariant law differs from :math:`\pi` by :math:`O(\Delta t)`
    (see :func:`lyapunov_step_bias`). ``sigma`` may be a 1-D array: all values
    run together (array shape ``(S, R)``), driven by the same normals.

    Parameters
    ----------
    V, dV, d2V : callable
        Vectorised :math:`V, V', V''`.
    sigma : float or 1-D array
        > 0.
    T, dt : float
        Horizon and step, > 0; ``T`` a multiple of ``dt``.
    n_paths : int
        :math:`R\ge1` (:math:`R\ge2` for a finite SE).
    rng : None, int or numpy.random.Generator
    x0 : array_like, shape (R,) or (S, R), optional
        Starting points (default: exact samples of :math:`\pi`).
    support : (float, float)
        For the sampling of :math:`\pi`.

    Returns
    -------
    LyapunovEstimate

    Examples
    --------
    >>> est = lyapunov_monte_carlo(lambda x: x**2 / 2, lambda x: x, lambda x: 1 + 0 * x, 1.0,
    ...                            T=1.0, dt=0.1, n_paths=4, rng=0)
    >>> est.estimate                       # OU: V'' = 1 along every path
    -1.0
    """
    sig, scalar, T, dt, n_paths, n_steps, support = _lyap_setup(V, dV, d2V, sigma, T, dt, n_paths, support)
    gen = as_generator(rng)
    if x0 is None:
        x0 = sample_invariant(V, sig, n_paths, rng=gen, support=support).reshape(sig.size, n_paths)
    else:
        x0 = np.broadcast_to(np.asarray(x0, dtype=float), (sig.size, n_paths))
        if not np.all(np.isfinite(x0)):
            raise ValueError("x0: contains NaN or infinite entries")
    per = _lyap_paths(dV, d2V, sig, x0, T, dt, None, gen)
    est = per.mean(axis=1)
    se = per.std(axis=1, ddof=1) / np.sqrt(n_paths) if n_paths > 1 else np.full(sig.size, np.nan)
    if scalar:
        return LyapunovEstimate(float(est[0]), float(se[0]), per[0], float(sig[0]), T, dt, n_paths)
    return LyapunovEstimate(est, se, per, sig, T, dt, n_paths)


def lyapunov_step_bias(V, dV, d2V, sigma, *, T, dt, n_paths, rng=None, support=(-10.0, 10.0)) -> StepBias:
    r"""The time-step bias of :func:`lyapunov_monte_carlo`: steps ``dt`` and ``dt / 2`` on the same Brownian paths.

    The fine run uses normals :math:`\xi^{2j}, \xi^{2j+1}` with step
    :math:`\Delta t/2`, the coarse run :math:`(\xi^{2j}+\xi^{2j+1})/\sqrt2`
    with step :math:`\Delta t` (the same Brownian increments), both from the same
    samples of :math:`\pi`. The paired difference has a much smaller
    standard error than either estimate; since the bias is
    :math:`c\,\Delta t + O(\Delta t^2)`, ``difference`` :math:`\approx c\,\Delta t/2`.

    Returns
    -------
    StepBias

    Examples
    --------
    >>> sb = lyapunov_step_bias(lambda x: x**2 / 2, lambda x: x, lambda x: 1 + 0 * x, 1.0,
    ...                         T=1.0, dt=0.1, n_paths=4, rng=0)
    >>> sb.difference                       # OU: no bias at all
    0.0
    """
    sig, scalar, T, dt, n_paths, n_steps, support = _lyap_setup(V, dV, d2V, sigma, T, dt, n_paths, support)
    gen = as_generator(rng)
    x0 = sample_invariant(V, sig, n_paths, rng=gen, support=support).reshape(sig.size, n_paths)
    fine = gen.standard_normal((2 * n_steps, n_paths))
    coarse = coarsen_normals(fine, 2)
    per_c = _lyap_paths(dV, d2V, sig, x0, T, dt, coarse, None)
    per_f = _lyap_paths(dV, d2V, sig, x0, T, dt / 2, fine, None)
    diff = per_c - per_f
    r = np.sqrt(n_paths)
    out = (per_c.mean(axis=1), per_f.mean(axis=1), diff.mean(axis=1),
           diff.std(axis=1, ddof=1) / r if n_paths > 1 else np.full(sig.size, np.nan),
           per_c.std(axis=1, ddof=1) / r if n_paths > 1 else np.full(sig.size, np.nan))
    if scalar:
        out = tuple(float(o[0]) for o in out)
    return StepBias(*out)


# --- two-point motion --------------------------------------------------------------------------

def two_point_motion(dV, sigma, x0, y0, *, dt, n_steps, rng=None, independent=False, save_every=1,
                     noise=None) -> TwoPointResult:
    r"""Pairs :math:`(X, Y)` of the flow :math:`dX = -V'(X)\,dt + \sigma\,dW` from different starts.

    With ``independent=False`` both points of a pair are driven by the
    **same** noise (the two-point motion of the stochastic flow; in 1D the
    order :math:`X < Y` is kept and :math:`Y - X` is differentiable in time);
    with ``independent=True`` ``Y`` has its own Brownian motion (no common
    noise), for contrast. Euler--Maruyama, vectorised over the ``R`` pairs.

    Parameters
    ----------
    dV : callable
        :math:`V'`, vectorised.
    sigma : float
        >= 0.
    x0, y0 : array_like, shape (R,)
        Starting points of the pairs (a scalar is one pair).
    dt : float
        > 0.
    n_steps : int
        >= 1.
    rng : None, int or numpy.random.Generator
    independent : bool
    save_every : int
        Store every ``save_every``-th step (and the last).
    noise : array_like, shape (n_steps, R) or (n_steps, 2, R), optional
        Pre-drawn standard normals (the second form gives X and Y their own rows; it needs ``independent=True``).

    Returns
    -------
    TwoPointResult

    Examples
    --------
    >>> tp = two_point_motion(lambda x: x, 1.0, 0.0, 1.0, dt=0.1, n_steps=10, rng=0)
    >>> round(float(tp.distance[-1, 0]), 12) == round(0.9**10, 12)   # OU: |X - Y| = (1 - dt)^k exactly
    True
    """
    dV = check_callable("dV", dV)
    sigma = check_nonnegative("sigma", sigma)
    dt = check_positive("dt", dt)
    n_steps = check_int("n_steps", n_steps, 1)
    save_every = check_int("save_every", save_every, 1)
    x = np.atleast_1d(np.array(x0, dtype=float))
    y = np.atleast_1d(np.array(y0, dtype=float))
    if x.ndim != 1 or x.shape != y.shape:
        raise ValueError(f"y0: x0 and y0 must be 1-D of the same length R >= 1, got {x.shape} and {y.shape}")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("x0: x0 and y0 must be finite")
    if not isinstance(independent, (bool, np.bool_)):
        raise TypeError(f"independent: expected a bool, got {type(independent).__name__}")
    r = x.size
    if noise is None:
        noise = as_generator(rng).standard_normal((n_steps, 2, r) if independent else (n_steps, r))
    else:
        noise = check_normals("noise", noise, (n_steps, 2, r) if independent else (n_steps, r))
    amp = sigma * np.sqrt(dt)
    ts, xs, ys = [0.0], [x.copy()], [y.copy()]
    with np.errstate(over="ignore", invalid="ignore"):  # a blow-up is detected below and reported
        for k in range(1, n_steps + 1):
            xi_x = noise[k - 1, 0] if independent else noise[k - 1]
            xi_y = noise[k - 1, 1] if independent else xi_x
            x = x - dt * np.asarray(dV(x), dtype=float) + amp * xi_x
            y = y - dt * np.asarray(dV(y), dtype=float) + amp * xi_y
            if not (np.isfinite(np.sum(x)) and np.isfinite(np.sum(y))):
                raise ValueError(f"dt: non-finite state at step {k} (blow-up); reduce dt")
            if k % save_every == 0 or k == n_steps:
                ts.append(k * dt)
                xs.append(x)
                ys.append(y)
    xs, ys = np.stack(xs), np.stack(ys)
    kind = "independent noises" if independent else "the same noise"
    return TwoPointResult(np.array(ts), xs, ys, np.abs(xs - ys), bool(independent), True,
                          f"{n_steps} Euler-Maruyama steps, {r} pair(s) driven by {kind}")


def log_distance_slope(t, distance, *, d_max=1e-2, d_min=1e-12, min_points=10) -> SlopeFit:
    r"""Exponential rate of :math:`|X_t - Y_t|`: per-pair least-squares slope of :math:`\log|X_t - Y_t|`.

    Each pair is fitted on the times where ``d_min < |X - Y| < d_max``: below
    ``d_max`` the pair is in the linear regime (the slope estimates the
    Lyapunov exponent); below ``d_min`` the distance is at round-off level
    (or exactly 0 once the two points have merged) and is discarded. The
    fit is vectorised over the pairs (weighted normal equations).

    Parameters
    ----------
    t : array_like, shape (n,)
    distance : array_like, shape (n, R) or (n,)
    d_max, d_min : float
        ``0 < d_min < d_max``.
    min_points : int
        Pairs with fewer points in the window get a ``nan`` slope.

    Returns
    -------
    SlopeFit

    Examples
    --------
    >>> t = np.linspace(0, 30, 301)
    >>> round(log_distance_slope(t, np.exp(-2 * t)).slope, 10)
    -2.0
    """
    t = np.asarray(t, dtype=float)
    d = np.asarray(distance, dtype=float)
    if d.ndim == 1:
        d = d[:, None]
    if t.ndim != 1 or d.ndim != 2 or d.shape[0] != t.size or t.size < 2:
        raise ValueError(f"distance: expected shape (len(t),) or (len(t), R) with len(t) >= 2, got {d.shape}")
    d_min = check_positive("d_min", d_min)
    d_max = check_positive("d_max", d_max)
    if d_min >= d_max:
        raise ValueError(f"d_min: must be < d_max = {d_max:g}, got {d_min:g}")
    min_points = check_int("min_points", min_points, 2)
    w = (d > d_min) & (d < d_max)
    logd = np.log(np.where(w, d, 1.0))
    n = w.sum(axis=0)
    ok = n >= min_points
    nn = np.maximum(n, 1)
    tb = (w * t[:, None]).sum(axis=0) / nn
    yb = (w * logd).sum(axis=0) / nn
    tc = np.where(w, t[:, None] - tb, 0.0)
    sxx = (tc * tc).sum(axis=0)
    sxy = (tc * (logd - yb)).sum(axis=0)
    ok &= sxx > 0
    per = np.full(d.shape[1], np.nan)
    per[ok] = sxy[ok] / sxx[ok]
    k = int(ok.sum())
    slope = float(per[ok].mean()) if k else float("nan")
    se = float(per[ok].std(ddof=1) / np.sqrt(k)) if k > 1 else float("nan")
    return SlopeFit(slope, se, per, k)


# --- multiplicative noise in one dimension --------------------------------------------------------

@dataclass(frozen=True)
class MultiplicativeLyapunov:
    r"""Output of :func:`lyapunov_exponent_multiplicative`.

    Attributes
    ----------
    value : float
        :math:`-2\,\mathbb E_p[(f/g)^2]` (quadrature).
    value_direct : float
        :math:`\mathbb E_p[f' - fg'/g]` (quadrature; equal to ``value`` by an integration by parts).
    """

    value: float
    value_direct: float


@dataclass(frozen=True)
class MultiplicativeLyapunovMC:
    r"""Output of :func:`lyapunov_multiplicative_monte_carlo`.

    Attributes
    ----------
    estimate, se : float
        Mean over the paths of :math:`\frac1T\log|\partial X_T/\partial x_0|` and its standard error.
    per_path : ndarray, shape (R,)
    T, dt : float
    n_paths : int
    """

    estimate: float
    se: float
    per_path: np.ndarray
    T: float
    dt: float
    n_paths: int


def _stratonovich_density(f, g, support, n_grid):
    """Grid, normalised invariant density p = (1/g) exp(2 int f/g^2) of dX = f dt + g o dW, on ``support``."""
    a, b = support
    x = np.linspace(a, b, n_grid)
    gx = np.asarray(g(x), dtype=float)
    fx = np.asarray(f(x), dtype=float)
    if gx.shape != x.shape or fx.shape != x.shape or not (np.all(np.isfinite(gx)) and np.all(np.isfinite(fx))):
        raise ValueError("f: f and g must be vectorised callables, finite on the support")
    if np.min(gx) <= 0:
        raise ValueError("g: must be > 0 on the support (non-degenerate noise)")
    phi = integrate.cumulative_trapezoid(2 * fx / gx**2, x, initial=0.0)
    logp = phi - np.log(gx)
    logp -= logp.max()
    if max(logp[0], logp[-1]) > -40.0:
        raise ValueError(f"support: the invariant density is not negligible at the ends of ({a}, {b}); widen it")
    p = np.exp(logp)
    return x, p / integrate.simpson(p, x=x)


def lyapunov_exponent_multiplicative(f, df, g, dg, *, support=(-10.0, 10.0), n_grid=200_001) -> MultiplicativeLyapunov:
    r"""Top Lyapunov exponent of the 1-D Stratonovich flow :math:`dX = f(X)\,dt + g(X)\circ dW`, :math:`g > 0`, two routes.

    The change of variables :math:`Y = \phi(X)`, :math:`\phi' = 1/g`, makes the
    noise additive: :math:`dY = F(Y)\,dt + dW` with :math:`F = (f/g)\circ\phi^{-1}`,
    and a diffeomorphism does not change Lyapunov exponents. For additive
    noise :math:`\lambda = \mathbb E[F'(Y)] = -2\,\mathbb E[F(Y)^2]` (integration by
    parts against the invariant density :math:`\propto e^{2\int F}`), so

    .. math::

        \lambda = -2\,\mathbb E_p\big[(f/g)^2\big] < 0,\qquad
        p(x)\propto\frac1{g(x)}\exp\Big(2\int_0^x\frac{f}{g^2}\Big),

    and directly, from :math:`d\log|\partial X_t/\partial x_0| = f'(X)\,dt + g'(X)\circ dW`
    and :math:`g'(X)\circ dW = d\log g(X) - (fg'/g)(X)\,dt`,
    :math:`\lambda = \mathbb E_p[f' - fg'/g]`. Both expectations by Simpson's rule
    on ``n_grid`` points of ``support`` (which must carry all the mass).
    For :math:`g\equiv\sigma`, :math:`f = -V'` this is :func:`lyapunov_exponent_formula`.

    Parameters
    ----------
    f, df, g, dg : callable
        :math:`f, f', g, g'`, vectorised; :math:`g > 0` on ``support``.
    support : (float, float)
    n_grid : int

    Returns
    -------
    MultiplicativeLyapunov

    Examples
    --------
    >>> lm = lyapunov_exponent_multiplicative(lambda x: -x, lambda x: -1 + 0 * x, lambda x: 1 + 0 * x,
    ...                                       lambda x: 0 * x)
    >>> round(lm.value, 8), round(lm.value_direct, 8)       # OU: lambda = -1
    (-1.0, -1.0)
    """
    for name, h in (("f", f), ("df", df), ("g", g), ("dg", dg)):
        check_callable(name, h)
    support = _check_support(support)
    n_grid = check_int("n_grid", n_grid, 101)
    x, p = _stratonovich_density(f, g, support, n_grid)
    fx, gx = np.asarray(f(x), dtype=float), np.asarray(g(x), dtype=float)
    ibp = -2.0 * integrate.simpson((fx / gx) ** 2 * p, x=x)
    direct = integrate.simpson((np.asarray(df(x), dtype=float) - fx * np.asarray(dg(x), dtype=float) / gx) * p, x=x)
    return MultiplicativeLyapunov(float(ibp), float(direct))


def lyapunov_multiplicative_monte_carlo(f, df, g, dg, *, T, dt, n_paths, x0=0.0, t_burn=0.0,
                                        rng=None) -> MultiplicativeLyapunovMC:
    r"""Monte Carlo top Lyapunov exponent of :math:`dX = f\,dt + g\circ dW` from the derivative process (Heun scheme).

    The pair :math:`(X, \ell)`, :math:`\ell = \log|\partial X_t/\partial x_0|`, solves the
    Stratonovich system :math:`dX = f(X)\,dt + g(X)\circ dW`,
    :math:`d\ell = f'(X)\,dt + g'(X)\circ dW`, integrated by the Stratonovich
    Heun scheme (predictor :math:`\tilde X = X + f\Delta t + g\Delta W`,
    trapezoidal corrector for both components), and
    :math:`\hat\lambda_r = \ell_r(T)/T`. The estimate does not use the
    invariant density: it is independent of :func:`lyapunov_exponent_multiplicative`
    (bias :math:`O(\Delta t) + O(1/T)`).

    Parameters
    ----------
    f, df, g, dg : callable
        Vectorised.
    T, dt : float
        > 0.
    n_paths : int
        >= 2.
    x0 : float
        Starting point of every path.
    t_burn : float
        A burn-in time (a multiple of ``dt``) run first, so that the paths forget ``x0``;
        :math:`\ell` starts at 0 after it.
    rng : None, int or numpy.random.Generator

    Returns
    -------
    MultiplicativeLyapunovMC

    Examples
    --------
    >>> mc = lyapunov_multiplicative_monte_carlo(lambda x: -x, lambda x: -1 + 0 * x, lambda x: 1 + 0 * x,
    ...                                          lambda x: 0 * x, T=1.0, dt=0.1, n_paths=3, rng=0)
    >>> round(mc.estimate, 12)       # OU: log|dX/dx0| = -t on every path
    -1.0
    """
    for name, h in (("f", f), ("df", df), ("g", g), ("dg", dg)):
        check_callable(name, h)
    T = check_positive("T", T)
    dt = check_positive("dt", dt)
    n_paths = check_int("n_paths", n_paths, 2)
    n_steps = int(round(T / dt))
    if n_steps < 1 or abs(n_steps * dt - T) > 1e-9 * T:
        raise ValueError(f"T: must be a positive multiple of dt = {dt:g}, got T = {T:g}")
    t_burn = check_nonnegative("t_burn", t_burn)
    n_burn = int(round(t_burn / dt))
    gen = as_generator(rng)
    x = np.full(n_paths, float(x0))
    ell = np.zeros(n_paths)
    sq = np.sqrt(dt)
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(n_burn + n_steps):
            if k == n_burn:
                ell[:] = 0.0
            dw = sq * gen.standard_normal(n_paths)
            fx, gx = f(x), g(x)
            xp = x + fx * dt + gx * dw
            ell = ell + 0.5 * (df(x) + df(xp)) * dt + 0.5 * (dg(x) + dg(xp)) * dw
            x = x + 0.5 * (fx + f(xp)) * dt + 0.5 * (gx + g(xp)) * dw
            if not np.isfinite(np.sum(x)):
                raise ValueError(f"dt: non-finite state at step {k + 1} (blow-up); reduce dt")
    per = ell / T
    return MultiplicativeLyapunovMC(float(per.mean()), float(per.std(ddof=1) / np.sqrt(n_paths)), per, T, dt, n_paths)


# --- dimension two: the random shear flow ------------------------------------------------------

def shear_flow_lyapunov_exact(K, *, n_modes=2, colour=1.0) -> float:
    r"""Top Lyapunov exponent of the continuous-time random shear flow on :math:`\mathbb T^2`, in closed form.

    The flow of :func:`meanfield.spde.shear_flow_lyapunov` as :math:`\Delta t\to0`:
    :math:`dx_2 = \sqrt{2K}\sum_m\sigma_m(\cos(mx_1)\,dB^c_m + \sin(mx_1)\,dB^s_m)` and the
    same for :math:`x_1` as a function of :math:`x_2` with independent Brownian
    motions (:math:`\sigma_m` from :func:`meanfield.spde.shear_amplitudes`). The
    tangent vector :math:`v = r(\cos\varphi, \sin\varphi)` solves
    :math:`dv_1 = c\,v_2\,dW_b`, :math:`dv_2 = c\,v_1\,dW_a` with independent Brownian
    motions :math:`W_a, W_b` and :math:`c^2 = 2K\sum_m\sigma_m^2m^2` (the position drops
    out); :math:`d\log r = \frac{c}{2}\sin2\varphi\,(dW_a + dW_b) + \frac{c^2}{2}\cos^22\varphi\,dt`
    and :math:`\varphi` has the invariant density :math:`\propto(\cos^4\varphi + \sin^4\varphi)^{-1/2}`, so

    .. math::

        \lambda_1 = \frac{c^2}{2}\,\mathbb E[\cos^22\varphi]
        = c^2\Big(\frac{E(1/\sqrt2)}{K(1/\sqrt2)} - \frac12\Big) = \frac{4\pi^2c^2}{\Gamma(1/4)^4}
        \approx 0.2285\,c^2

    (complete elliptic integrals of modulus :math:`1/\sqrt2` and Legendre's
    relation), and :math:`\lambda_2 = -\lambda_1` (area preservation).

    Parameters
    ----------
    K : float
        Noise intensity, > 0.
    n_modes, colour : int, float
        As in :func:`meanfield.spde.shear_amplitudes`.

    Examples
    --------
    >>> round(shear_flow_lyapunov_exact(1.0), 6)        # two modes, sigma_m ~ 1/m: c^2 = 3.2
    0.731115
    """
    from math import gamma, pi

    from .spde import shear_amplitudes

    K = check_positive("K", K)
    sig = shear_amplitudes(n_modes, colour)
    c2 = 2.0 * K * float(np.sum(sig**2 * np.arange(1, sig.size + 1) ** 2))
    return 4.0 * pi**2 * c2 / gamma(0.25) ** 4
