r"""Interacting particle systems and their mean-field (McKean--Vlasov) limit in 1D.

The model
---------
:math:`N` overdamped Langevin particles on the line,

.. math::

    dX_i = -V'(X_i)\,dt - \frac1N\sum_{j=1}^N W'(X_i - X_j)\,dt
           + \sqrt{2/\beta}\,dB_i, \qquad i = 1, \dots, N,

with independent Brownian motions :math:`B_i`, even interaction :math:`W`
and inverse temperature :math:`\beta > 0`. As :math:`N\to\infty` the
empirical measure :math:`\mu^N_t = \frac1N\sum_i\delta_{X_i(t)}` converges to
the solution of the McKean--Vlasov equation

.. math::

    \partial_t\mu = \partial_x\big(\mu\,(V' + W'*\mu)\big) + \beta^{-1}\partial_{xx}\mu,

the Wasserstein gradient flow of
:math:`F(\mu) = \int V\,d\mu + \frac12\iint W(x-y)\,d\mu\,d\mu + \beta^{-1}\int\mu\log\mu`
(solved on a grid by :func:`meanfield.fokker_planck.solve_fokker_planck`).
Note the :math:`j = i` term: :math:`W'(0) = 0` for even :math:`W`.

The linear (Gaussian) model
---------------------------
For :math:`V = x^2/2`, :math:`W = \theta x^2/2` the force is
:math:`W'*\mu^N(x) = \theta(x - \bar X)`, :math:`\bar X = \frac1N\sum_j X_j`,
and everything is explicit (:func:`linear_model_moments`). With
:math:`\sigma^2 = 2/\beta` and i.i.d. :math:`X_i(0)\sim N(m_0, s_0^2)`:

* the limit law is Gaussian, mean :math:`m(t) = m_0e^{-t}` (the interaction
  cancels in the mean), variance :math:`v' = -2(1+\theta)v + 2/\beta`, i.e.
  :math:`v(t) = s_0^2e^{-2(1+\theta)t} + \frac{1-e^{-2(1+\theta)t}}{\beta(1+\theta)}`;
* the centre of mass is an OU process, :math:`d\bar X = -\bar X\,dt + \frac{\sigma}{\sqrt N}d\bar B`,
  so :math:`N\,\mathrm{Var}\,\bar X(t) = a(t) = s_0^2e^{-2t} + \beta^{-1}(1-e^{-2t})`;
  deviations :math:`X_i - \bar X` relax at rate :math:`1+\theta`;
* the covariance matrix is :math:`C(t) = v(t)\,I + \frac{a(t)-v(t)}{N}\mathbf 1\mathbf 1^\top`
  (drift :math:`-(1+\theta)I + \theta P`, :math:`P = \mathbf 1\mathbf 1^\top/N`,
  has eigenvalue :math:`-1` on :math:`\mathbf 1` and :math:`-(1+\theta)` on
  :math:`\mathbf 1^\perp`), hence exactly

  .. math::  \mathrm{Cov}(X_1(t), X_2(t)) = \frac{a(t) - v(t)}{N};

* Sznitman's coupling: copies :math:`dY_i = -Y_i\,dt - \theta(Y_i - m(t))\,dt + \sigma dB_i`,
  :math:`Y_i(0) = X_i(0)`, same :math:`B_i`. Then :math:`D = X_i - Y_i` is the
  same for every :math:`i` and :math:`dD = -(1+\theta)D\,dt + \theta g\,dt`
  with :math:`g = \bar X - m` (:math:`dg = -g\,dt + \frac{\sigma}{\sqrt N}d\bar B`,
  :math:`\mathrm{Var}\,g(0) = s_0^2/N`), so :math:`D` is centred Gaussian and
  :math:`\mathbb E|X_i - Y_i| = \sqrt{2/\pi}\,\mathrm{sd}(D)\propto N^{-1/2}`
  (:func:`coupling_error_linear`, the 2x2 Lyapunov equation).

Numerics
--------
Euler--Maruyama, :math:`X^{k+1} = X^k + b(X^k)\Delta t + \sqrt{2\Delta t/\beta}\,\xi^k`,
vectorised over particles and over independent systems (``x0`` of shape
``(R, N)``). The interaction is the exact :math:`O(N)` formula
:math:`\theta(x - \bar X)` for quadratic :math:`W`, and otherwise the full
:math:`N\times N` sum evaluated by numpy in row blocks (:math:`O(N^2)` work,
bounded memory).

References
----------
.. [1] A.-S. Sznitman, "Topics in propagation of chaos", École d'Été de
   Probabilités de Saint-Flour XIX, Lecture Notes in Math. 1464 (1991).
.. [2] R. C. Desai and R. Zwanzig, "Statistical mechanics of a nonlinear
   stochastic model", J. Stat. Phys. 19 (1978) 1--24.
.. [3] D. A. Dawson, "Critical dynamics and fluctuations for a mean-field
   model of cooperative behavior", J. Stat. Phys. 31 (1983) 29--85.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import integrate, optimize, special

from .utils import (as_generator, check_callable, check_choice, check_int, check_nonnegative, check_normals,
                    check_positions, check_positive, check_times)

__all__ = [
    "ParticleResult",
    "CouplingResult",
    "LinearMoments",
    "make_initial_gaussian",
    "interaction_force",
    "simulate_particles",
    "simulate_coupling",
    "linear_model_moments",
    "ou_variance",
    "coupling_error_linear",
    "pair_covariance",
    "martingale_quadratic_variation",
    "w2_to_gaussian",
    "w2_to_density",
    "fit_slope",
    "DesaiZwanzigResult",
    "desai_zwanzig_consistency",
    "desai_zwanzig_critical_beta",
    "desai_zwanzig_states",
    "PitchforkResult",
    "desai_zwanzig_pitchfork",
    "w1_to_gaussian",
]

_INTERACTIONS = ("auto", "quadratic", "pairwise")
_BLOCK = 2**21  # max entries of one block of pairwise differences


# --- input checks --------------------------------------------------------------


def _sorted_samples(x) -> np.ndarray:
    """The samples ``x`` flattened and sorted; ValueError unless non-empty and finite."""
    x = np.sort(np.asarray(x, dtype=float).ravel())
    if x.size == 0 or not np.all(np.isfinite(x)):
        raise ValueError("x: expected a non-empty array of finite samples")
    return x


def _resolve_interaction(interaction, dW, theta):
    check_choice("interaction", interaction, _INTERACTIONS)
    if theta is not None:
        theta = float(theta)
        if not np.isfinite(theta):
            raise ValueError(f"theta: must be a finite real number, got {theta}")
    dW = check_callable("dW", dW, allow_none=True)
    if interaction == "auto":
        interaction = "quadratic" if theta is not None else ("pairwise" if dW is not None else "none")
    if interaction == "quadratic" and theta is None:
        raise ValueError("theta: interaction='quadratic' needs theta (W = theta x^2 / 2), got None")
    if interaction == "pairwise" and dW is None:
        raise ValueError("dW: interaction='pairwise' needs a callable W'(x), got None")
    return interaction, dW, theta


def _stability(dt, stiffness, theta, interaction):
    """Lipschitz bound L of the drift; require dt * L <= 1."""
    if stiffness is None:
        lip = 0.0
    else:
        lip = check_nonnegative("stiffness", stiffness)
    if interaction == "quadratic":
        lip += abs(theta)
    if dt * lip > 1.0:
        raise ValueError(
            f"dt: Euler-Maruyama stability needs dt * (stiffness + |theta|) <= 1, i.e. dt <= {1.0 / lip:.4g}; "
            f"got dt = {dt:g}"
        )


# --- drift ------------------------------------------------------------------------

def interaction_force(x, *, dW=None, theta=None, interaction="auto"):
    r"""Mean-field force :math:`(W'*\mu^N)(X_i) = \frac1N\sum_j W'(X_i - X_j)`.

    Parameters
    ----------
    x : array_like, shape (N,) or (R, N)
        Positions; each row is one system (rows do not interact).
    dW : callable, optional
        :math:`W'`, odd and vectorised (``interaction='pairwise'``).
    theta : float, optional
        :math:`W = \theta x^2/2` (``interaction='quadratic'``): the force is
        :math:`\theta(X_i - \bar X)`, computed in :math:`O(N)`.
    interaction : {"auto", "quadratic", "pairwise"}
        ``"auto"``: quadratic if ``theta`` is given, else pairwise if ``dW``
        is given, else no interaction (zero force). ``"pairwise"`` evaluates
        all :math:`N^2` differences in row blocks of at most ``2**21``
        entries (no Python loop over particles).

    Returns
    -------
    ndarray, same shape as ``x``

    Examples
    --------
    >>> interaction_force([0.0, 1.0, 2.0], theta=1.0).tolist()
    [-1.0, 0.0, 1.0]
    >>> interaction_force([0.0, 1.0, 2.0], dW=lambda z: z).tolist()
    [-1.0, 0.0, 1.0]
    """
    x = np.asarray(x, dtype=float)
    interaction, dW, theta = _resolve_interaction(interaction, dW, theta)
    return _force(x, interaction, dW, theta)


def _force(x, interaction, dW, theta):
    if interaction == "none":
        return np.zeros_like(x)
    if interaction == "quadratic":
        return theta * (x - x.mean(axis=-1, keepdims=True))
    n = x.shape[-1]
    lead = x.shape[:-1]
    rows = max(1, _BLOCK // max(1, n * int(np.prod(lead, dtype=int))))
    out = np.empty_like(x)
    for i0 in range(0, n, rows):  # loop over blocks of rows, each block vectorised
        i1 = min(n, i0 + rows)
        diff = x[..., i0:i1, None] - x[..., None, :]
        f = np.asarray(dW(diff), dtype=float)
        if f.shape != diff.shape:
            raise ValueError(f"dW: must map an array of shape {diff.shape} to the same shape, got {f.shape}")
        out[..., i0:i1] = f.mean(axis=-1)
    return out


# --- results ------------------------------------------------------------------------

@dataclass(frozen=True)
class ParticleResult:
    r"""Output of :func:`simulate_particles`.

    Attributes
    ----------
    t : ndarray, shape (n_saved,)
        Saved times (0, every ``save_every`` steps and the final time).
    x : ndarray, shape (n_saved, N) or (n_saved, R, N)
        Positions at those times.
    dt, beta : float
    n_steps : int
    interaction : str
        The interaction actually used: ``"quadratic"``, ``"pairwise"`` or ``"none"``.
    success : bool
    message : str
    """

    t: np.ndarray
    x: np.ndarray
    dt: float
    beta: float
    n_steps: int
    interaction: str
    success: bool
    message: str


@dataclass(frozen=True)
class CouplingResult:
    r"""Output of :func:`simulate_coupling`.

    Attributes
    ----------
    t : ndarray, shape (n_steps + 1,)
    mean_abs_diff : ndarray, shape (n_steps + 1,)
        :math:`\frac1{RN}\sum_{r,i}|X_i^r(t) - Y_i^r(t)|`, the estimate of
        :math:`\mathbb E|X_1(t) - Y_1(t)|`.
    x, y : ndarray, shape of ``x0``
        Final positions of the particles and of the McKean--Vlasov copies.
    success : bool
    message : str
    """

    t: np.ndarray
    mean_abs_diff: np.ndarray
    x: np.ndarray
    y: np.ndarray
    success: bool
    message: str


# --- simulation ---------------------------------------------------------------------

def make_initial_gaussian(n_particles, *, mean=0.0, sd=1.0, n_ensembles=None, rng=None):
    r"""I.i.d. initial positions :math:`X_i(0)\sim N(\text{mean}, \text{sd}^2)`.

    Returns
    -------
    ndarray, shape (n_particles,) or (n_ensembles, n_particles)
    """
    n = check_int("n_particles", n_particles, 1)
    sd = check_nonnegative("sd", sd)
    mean = float(mean)
    shape = (n,) if n_ensembles is None else (check_int("n_ensembles", n_ensembles, 1), n)
    return mean + sd * as_generator(rng).standard_normal(shape)


def _check_common(beta, dt, n_steps, dV):
    beta = check_positive("beta", beta)
    dt = check_positive("dt", dt)
    n_steps = check_int("n_steps", n_steps, 1)
    dV = check_callable("dV", dV, allow_none=True)
    return beta, dt, n_steps, dV


def _grad(x, dV, interaction, dW, theta, out, tmp):
    """``out = V'(x) + (W' * mu^N)(x)`` (minus the drift), in place where possible."""
    if dV is None:
        out[...] = 0.0
    else:
        out[...] = dV(x)
    if interaction == "quadratic":  # theta (x - mean), O(N), no temporaries of size N beyond tmp
        np.multiply(x, theta, out=tmp)
        out += tmp
        out -= theta * x.mean(axis=-1, keepdims=True)
    elif interaction == "pairwise":
        out += _force(x, interaction, dW, theta)
    return out


def _check_finite(name, arr, k):
    if not np.isfinite(np.sum(arr)):
        raise ValueError(f"{name}: non-finite drift at step {k}; reduce dt or check dV/dW (blow-up)")


def simulate_particles(x0, *, dV=None, dW=None, beta, dt, n_steps, rng=None, interaction="auto",
                       theta=None, save_every=None, noise=None, stiffness=None) -> ParticleResult:
    r"""Euler--Maruyama for the interacting particle system (module docstring).

    .. math::

        X_i^{k+1} = X_i^k - \Big(V'(X_i^k) + \frac1N\sum_j W'(X_i^k - X_j^k)\Big)\Delta t
                    + \sqrt{2\Delta t/\beta}\;\xi_i^k,\qquad \xi_i^k\sim N(0,1)\ \text{i.i.d.}

    Parameters
    ----------
    x0 : array_like, shape (N,) or (R, N)
        Initial positions; a 2-D array holds ``R`` independent systems of
        ``N`` particles, advanced together.
    dV : callable or None
        :math:`V'`, vectorised (``None``: :math:`V = 0`).
    dW, theta, interaction
        The interaction, as in :func:`interaction_force`.
    beta : float
        Inverse temperature, > 0.
    dt : float
        Time step, > 0. Stability check: with ``stiffness`` :math:`L_V`
        (an upper bound of :math:`|V''|` on the region visited, supplied by
        the caller) and :math:`|\theta|` for the quadratic interaction,
        ``dt * (L_V + |theta|) > 1`` raises ``ValueError`` (the explicit
        step is then no longer monotone: for :math:`V = Lx^2/2`,
        :math:`1 - L\Delta t < 0`). Without ``stiffness`` only
        :math:`|\theta|` is checked.
    n_steps : int
        Number of steps, >= 1.
    rng : None, int or numpy.random.Generator
    save_every : int, optional
        Store every ``save_every``-th step (default: only the first and last
        states); the last step is always stored.
    noise : array_like, shape (n_steps,) + x0.shape, optional
        Pre-drawn standard normals :math:`\xi^k` (for couplings); ``rng`` is
        then unused.
    stiffness : float, optional
        :math:`L_V\ge 0` for the stability check.

    Returns
    -------
    ParticleResult

    Raises
    ------
    ValueError
        Bad input, ``dt`` above the stability bound, or a non-finite drift
        during the run (blow-up).

    Examples
    --------
    >>> res = simulate_particles(np.zeros(4), dV=lambda x: x, theta=1.0, beta=1.0,
    ...                          dt=0.1, n_steps=10, rng=0)
    >>> res.x.shape, res.t.tolist(), res.success
    ((2, 4), [0.0, 1.0], True)
    """
    x = check_positions("x0", x0)
    beta, dt, n_steps, dV = _check_common(beta, dt, n_steps, dV)
    interaction, dW, theta = _resolve_interaction(interaction, dW, theta)
    _stability(dt, stiffness, theta, interaction)
    save_every = n_steps if save_every is None else check_int("save_every", save_every, 1)
    if noise is not None:
        noise = check_normals("noise", noise, (n_steps,) + x.shape)  # (n_steps,) + x0.shape
    else:
        gen = as_generator(rng)
    amp = np.sqrt(2.0 * dt / beta)
    saved_t, saved_x = [0.0], [x.copy()]
    b, tmp, xi = np.empty_like(x), np.empty_like(x), np.empty_like(x)
    for k in range(1, n_steps + 1):
        _grad(x, dV, interaction, dW, theta, b, tmp)
        _check_finite("dV", b, k - 1)
        if noise is None:
            gen.standard_normal(out=xi)
        else:
            xi[...] = noise[k - 1]
        b *= -dt
        xi *= amp
        x += b
        x += xi
        if k % save_every == 0 or k == n_steps:
            saved_t.append(k * dt)
            saved_x.append(x.copy())
    return ParticleResult(np.array(saved_t), np.stack(saved_x), dt, beta, n_steps, interaction,
                          True, f"{n_steps} Euler-Maruyama steps, interaction '{interaction}'")


def simulate_coupling(x0, *, dV=None, mean_field, dW=None, theta=None, beta, dt, n_steps, rng=None,
                      interaction="auto", stiffness=None) -> CouplingResult:
    r"""Sznitman's synchronous coupling of the particles with McKean--Vlasov copies.

    .. math::

        dX_i = -V'(X_i)\,dt - (W'*\mu^N_t)(X_i)\,dt + \sqrt{2/\beta}\,dB_i,\qquad
        dY_i = -V'(Y_i)\,dt - (W'*\mu_t)(Y_i)\,dt + \sqrt{2/\beta}\,dB_i,

    with :math:`Y_i(0) = X_i(0)`, the same Brownian increments, and
    :math:`\mu_t` the law of the limit equation, entering through
    ``mean_field(t, y)`` :math:`= (W'*\mu_t)(y)` (exact, or interpolated from
    a PDE solution). The :math:`Y_i` are independent; propagation of chaos
    in Sznitman's form is :math:`\mathbb E|X_i - Y_i| = O(N^{-1/2})`.

    Parameters
    ----------
    x0 : array_like, shape (N,) or (R, N)
    mean_field : callable ``(t, y) -> array``
        The exact mean-field force :math:`(W'*\mu_t)(y)`, same shape as ``y``.
    dV, dW, theta, interaction, beta, dt, n_steps, rng, stiffness
        As in :func:`simulate_particles`.

    Returns
    -------
    CouplingResult

    Examples
    --------
    >>> res = simulate_coupling(np.zeros((2, 3)), dV=lambda x: x, theta=1.0,
    ...                         mean_field=lambda t, y: y, beta=1.0, dt=0.1, n_steps=5, rng=0)
    >>> res.mean_abs_diff.shape
    (6,)
    """
    x = check_positions("x0", x0)
    beta, dt, n_steps, dV = _check_common(beta, dt, n_steps, dV)
    interaction, dW, theta = _resolve_interaction(interaction, dW, theta)
    _stability(dt, stiffness, theta, interaction)
    mean_field = check_callable("mean_field", mean_field)
    gen = as_generator(rng)
    amp = np.sqrt(2.0 * dt / beta)
    y = x.copy()
    bx, tmp, xi = np.empty_like(x), np.empty_like(x), np.empty_like(x)
    diff = np.zeros(n_steps + 1)
    for k in range(1, n_steps + 1):
        t = (k - 1) * dt
        _grad(x, dV, interaction, dW, theta, bx, tmp)
        _check_finite("dV", bx, k - 1)
        by = np.asarray(mean_field(t, y), dtype=float)
        if by.shape != y.shape:
            raise ValueError(f"mean_field: must return an array of shape {y.shape}, got {by.shape}")
        if dV is not None:
            by = by + dV(y)
        _check_finite("mean_field", by, k - 1)
        gen.standard_normal(out=xi)
        xi *= amp
        x += xi - dt * bx
        y += xi - dt * by
        diff[k] = np.mean(np.abs(x - y))
    return CouplingResult(dt * np.arange(n_steps + 1), diff, x, y, True,
                          f"{n_steps} synchronously coupled Euler-Maruyama steps")


# --- closed forms for the linear model ------------------------------------------------

@dataclass(frozen=True)
class LinearMoments:
    r"""Closed-form moments of the linear model :math:`V = x^2/2`, :math:`W = \theta x^2/2`.

    Attributes
    ----------
    t : ndarray
    mean : ndarray
        :math:`m(t) = m_0 e^{-t}` (limit law and :math:`\mathbb E X_i`).
    var : ndarray
        :math:`v(t)`, variance of the limit law.
    com_var : ndarray
        :math:`a(t) = N\,\mathrm{Var}\,\bar X(t)`.
    pair_cov : ndarray
        :math:`\mathrm{Cov}(X_1, X_2) = (a - v)/N`.
    particle_var : ndarray
        :math:`\mathrm{Var}\,X_1 = v + (a - v)/N`.
    """

    t: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    com_var: np.ndarray
    pair_cov: np.ndarray
    particle_var: np.ndarray


def linear_model_moments(t, *, theta, beta, m0=0.0, s0=1.0, n_particles=None) -> LinearMoments:
    r"""Exact moments of the linear model (module docstring).

    .. math::

        m = m_0e^{-t},\quad v = s_0^2e^{-2(1+\theta)t} + \frac{1 - e^{-2(1+\theta)t}}{\beta(1+\theta)},\quad
        a = s_0^2e^{-2t} + \frac{1-e^{-2t}}{\beta},\quad \mathrm{Cov}(X_1,X_2) = \frac{a - v}{N}.

    Parameters
    ----------
    t : array_like
        Times, >= 0.
    theta : float
        Interaction strength, :math:`1 + \theta > 0`.
    beta : float
        > 0.
    m0, s0 : float
        Mean and standard deviation of the i.i.d. initial positions.
    n_particles : int, optional
        :math:`N` (``pair_cov`` and ``particle_var`` are ``nan`` without it).

    Examples
    --------
    >>> mom = linear_model_moments(0.0, theta=1.0, beta=1.0)
    >>> float(mom.var), float(mom.com_var)
    (1.0, 1.0)
    """
    t = check_times("t", t)
    beta = check_positive("beta", beta)
    theta = float(theta)
    if not 1.0 + theta > 0:
        raise ValueError(f"theta: the linear model needs 1 + theta > 0, got theta = {theta}")
    s0 = check_nonnegative("s0", s0)
    lam = 1.0 + theta
    var = ou_variance(t, rate=lam, noise=2.0 / beta, v0=s0**2)
    com = ou_variance(t, rate=1.0, noise=2.0 / beta, v0=s0**2)
    if n_particles is None:
        cov = pvar = np.full_like(var, np.nan)
    else:
        n = check_int("n_particles", n_particles, 1)
        cov = (com - var) / n
        pvar = var + cov
    return LinearMoments(t, float(m0) * np.exp(-t), var, com, cov, pvar)


def ou_variance(t, *, rate, noise, v0):
    r"""Variance at time ``t`` of the Ornstein--Uhlenbeck process :math:`dY = -aY\,dt + \sqrt{q}\,dB`.

    .. math::  v(t) = v_0e^{-2at} + \frac{q}{2a}\big(1 - e^{-2at}\big),

    the solution of :math:`v' = -2av + q`, :math:`v(0) = v_0`. Every variance of
    the linear models (particles, their centre of mass, the conditional law
    under common noise) is of this form.

    Parameters
    ----------
    t : array_like
        Times, finite and >= 0 (not checked here: callers check them).
    rate : float
        :math:`a > 0`.
    noise : float
        :math:`q\ge0`, the noise variance per unit time.
    v0 : float
        :math:`v_0\ge0`.

    Examples
    --------
    >>> float(ou_variance(0.0, rate=2.0, noise=1.0, v0=3.0)), float(ou_variance(1e3, rate=2.0, noise=1.0, v0=3.0))
    (3.0, 0.25)
    """
    t = np.asarray(t, dtype=float)
    return v0 * np.exp(-2 * rate * t) - noise * np.expm1(-2 * rate * t) / (2 * rate)


def coupling_error_linear(t, *, theta, beta, s0=1.0, n_particles) -> float:
    r"""Exact :math:`\mathbb E|X_i(t) - Y_i(t)|` of Sznitman's coupling in the linear model.

    :math:`(D, g) = (X_i - Y_i, \bar X - m)` solves
    :math:`d(D,g)^\top = A(D,g)^\top dt + (0, \sigma/\sqrt N)^\top d\bar B` with
    :math:`A = \begin{pmatrix}-(1+\theta) & \theta\\ 0 & -1\end{pmatrix}`,
    :math:`\Sigma(0) = \mathrm{diag}(0, s_0^2/N)`; the covariance solves
    :math:`\Sigma' = A\Sigma + \Sigma A^\top + \mathrm{diag}(0, 2/(\beta N))`
    (integrated by :func:`scipy.integrate.solve_ivp`, rtol 1e-10), and
    :math:`\mathbb E|D| = \sqrt{2\Sigma_{11}/\pi}`.

    Examples
    --------
    >>> coupling_error_linear(0.0, theta=1.0, beta=1.0, n_particles=10)
    0.0
    """
    t = check_nonnegative("t", t)
    beta = check_positive("beta", beta)
    theta = float(theta)
    s0 = check_nonnegative("s0", s0)
    n = check_int("n_particles", n_particles, 1)
    if t == 0.0:
        return 0.0
    A = np.array([[-(1.0 + theta), theta], [0.0, -1.0]])
    Q = np.array([[0.0, 0.0], [0.0, 2.0 / (beta * n)]])

    def rhs(_, s):
        S = s.reshape(2, 2)
        return (A @ S + S @ A.T + Q).ravel()

    sol = integrate.solve_ivp(rhs, (0.0, t), np.array([0.0, 0.0, 0.0, s0**2 / n]),
                              rtol=1e-10, atol=1e-14, method="DOP853")
    return float(np.sqrt(2.0 * max(sol.y[0, -1], 0.0) / np.pi))


# --- diagnostics ------------------------------------------------------------------------

def pair_covariance(x) -> float:
    r"""Estimate of :math:`\mathrm{Cov}(X_1, X_2)` from ``R`` exchangeable systems.

    By exchangeability every pair :math:`i\ne j` has the same covariance, so
    all pairs are averaged: with :math:`Z = X - \hat m` (:math:`\hat m` the
    mean over all entries),

    .. math::

        \widehat{\mathrm{Cov}} = \frac1R\sum_r \frac{(\sum_i Z^r_i)^2 - \sum_i (Z^r_i)^2}{N(N-1)},

    whose relative error is :math:`O(R^{-1/2})` uniformly in :math:`N`
    (unlike the single pair (1, 2), whose error is :math:`O(R^{-1/2})` in
    absolute terms while the target is :math:`O(1/N)`).

    Parameters
    ----------
    x : array_like, shape (R, N)
        ``R >= 2`` systems of ``N >= 2`` particles at one time.

    Examples
    --------
    >>> round(pair_covariance([[1.0, 1.0], [-1.0, -1.0]]), 12)
    1.0
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        raise ValueError(f"x: expected shape (R, N) with R >= 2 and N >= 2, got {x.shape}")
    n = x.shape[1]
    z = x - x.mean()
    s = z.sum(axis=1)
    q = (z * z).sum(axis=1)
    return float(np.mean((s * s - q) / (n * (n - 1))))


def martingale_quadratic_variation(t, x, dphi, *, beta):
    r"""Quadratic variation of the martingale part of :math:`\langle\mu^N_t, \varphi\rangle`.

    By Itô, :math:`d\langle\mu^N_t,\varphi\rangle = \langle\mu^N_t, L\varphi\rangle\,dt + dM_t`
    with :math:`dM_t = \frac1N\sum_i\varphi'(X_i)\sqrt{2/\beta}\,dB_i`, so

    .. math::

        \langle M\rangle_t = \frac{2}{\beta N^2}\sum_{i=1}^N\int_0^t|\varphi'(X_i(s))|^2\,ds
        = \frac{2}{\beta N}\int_0^t\langle\mu^N_s, |\varphi'|^2\rangle\,ds = O(1/N).

    The time integral is the trapezoidal rule on the saved times.

    Parameters
    ----------
    t : array_like, shape (n_saved,)
        Increasing times.
    x : array_like, shape (n_saved, N) or (n_saved, R, N)
        Positions (e.g. ``ParticleResult.x``).
    dphi : callable
        :math:`\varphi'`, vectorised.
    beta : float

    Returns
    -------
    ndarray, shape (n_saved,) or (n_saved, R)
        :math:`\langle M\rangle` at the saved times.

    Examples
    --------
    >>> qv = martingale_quadratic_variation([0.0, 1.0], np.zeros((2, 4)), lambda x: 1.0 + 0 * x, beta=1.0)
    >>> qv.tolist()   # 2 t / (beta N)
    [0.0, 0.5]
    """
    t = np.asarray(t, dtype=float)
    x = np.asarray(x, dtype=float)
    beta = check_positive("beta", beta)
    dphi = check_callable("dphi", dphi)
    if t.ndim != 1 or x.ndim not in (2, 3) or x.shape[0] != t.size:
        raise ValueError(f"x: expected shape (len(t),) + (N,) or (R, N), got {x.shape} with len(t) = {t.size}")
    if t.size > 1 and not np.all(np.diff(t) > 0):
        raise ValueError("t: must be strictly increasing")
    n = x.shape[-1]
    g = np.asarray(dphi(x), dtype=float)
    dens = (2.0 / (beta * n)) * np.mean(g * g, axis=-1)
    return integrate.cumulative_trapezoid(dens, t, axis=0, initial=0.0)


def w2_to_gaussian(x, mean, sd) -> float:
    r"""Exact :math:`W_2(\mu^N, N(m, s^2))` for an empirical measure on the line.

    With sorted :math:`x_{(1)}\le\dots\le x_{(N)}` and the Gaussian quantile
    :math:`Q(u) = m + s\Phi^{-1}(u)`,

    .. math::

        W_2^2 = \frac1N\sum_i x_{(i)}^2 - 2\sum_i x_{(i)}\int_{(i-1)/N}^{i/N}Q\,du + m^2 + s^2,
        \qquad \int_a^b Q\,du = m(b-a) + s\big(\varphi(\Phi^{-1}(a)) - \varphi(\Phi^{-1}(b))\big).

    Examples
    --------
    >>> round(w2_to_gaussian([0.0], 0.0, 1.0), 12)   # W2(delta_0, N(0,1)) = 1
    1.0
    """
    x = _sorted_samples(x)
    sd = check_nonnegative("sd", sd)
    mean = float(mean)
    n = x.size
    u = np.arange(n + 1) / n
    phi = np.exp(-0.5 * special.ndtri(u) ** 2) / np.sqrt(2 * np.pi)  # 0 at u = 0, 1
    intq = mean / n + sd * (phi[:-1] - phi[1:])
    w2sq = np.mean(x * x) - 2.0 * np.dot(x, intq) + mean**2 + sd**2
    return float(np.sqrt(max(w2sq, 0.0)))


def w2_to_density(x, grid, rho, *, n_sub=16) -> float:
    r""":math:`W_2` between an empirical measure and a finite-volume density.

    The density is read as piecewise constant on the cells
    (:func:`meanfield.transport.from_histogram`, exact quantile
    :math:`Q`); :math:`W_2^2 = \sum_i\int_{(i-1)/N}^{i/N}|x_{(i)} - Q(u)|^2du`
    is computed with the midpoint rule on ``n_sub`` points per interval.

    Parameters
    ----------
    x : array_like
        Samples (flattened).
    grid : Grid1D
    rho : array_like, shape (grid.n,)
        A probability density on the grid.
    n_sub : int
        Quadrature points per particle, >= 1.
    """
    from .transport import from_histogram

    x = _sorted_samples(x)
    n_sub = check_int("n_sub", n_sub, 1)
    law = from_histogram(grid.edges, rho)
    n = x.size
    u = (np.arange(n)[:, None] + (np.arange(n_sub)[None, :] + 0.5) / n_sub) / n
    q = law.ppf(u.ravel()).reshape(n, n_sub)
    return float(np.sqrt(np.mean((x[:, None] - q) ** 2)))


def fit_slope(n, err) -> float:
    """Least-squares slope of ``log(err)`` against ``log(n)``.

    Examples
    --------
    >>> round(fit_slope([10, 100, 1000], [1.0, 0.1, 0.01]), 12)
    -1.0
    """
    n = np.asarray(n, dtype=float)
    err = np.asarray(err, dtype=float)
    if n.shape != err.shape or n.ndim != 1 or n.size < 2:
        raise ValueError("n: expected 1-D arrays n and err of equal length >= 2")
    if np.any(n <= 0) or np.any(err <= 0):
        raise ValueError("err: n and err must be > 0 (log-log fit)")
    return float(np.polyfit(np.log(n), np.log(err), 1)[0])


# --- Desai--Zwanzig steady states -------------------------------------------------------

_DZ_X = np.linspace(-6.0, 6.0, 6001)


def _dz_weights(m, beta, theta):
    x = _DZ_X
    e = x**4 / 4 - x**2 / 2 + theta * (x - m) ** 2 / 2
    w = np.exp(-beta * (e - e.min()))
    return w / integrate.trapezoid(w, x)


def desai_zwanzig_consistency(m, *, beta, theta) -> float:
    r"""Self-consistency map :math:`R(m) = \int x\,d\mu_m - m` of the Desai--Zwanzig model.

    .. math::

        \mu_m(x)\propto\exp\Big(-\beta\big(\tfrac{x^4}4 - \tfrac{x^2}2 + \tfrac\theta2(x-m)^2\big)\Big),

    stationary states of the McKean--Vlasov equation with
    :math:`V = x^4/4 - x^2/2`, :math:`W = \theta x^2/2` are :math:`\mu_m` with
    :math:`R(m) = 0` (:math:`W'*\mu = \theta(x - m)` with :math:`m` the mean).
    Integrals by the trapezoidal rule on ``[-6, 6]`` (6001 points).
    :math:`R` is odd, and :math:`R'(0) = \beta\theta\,\mathrm{Var}_{\mu_0}(x) - 1`
    because :math:`\partial_m\log\mu_m = \beta\theta(x-m) + \text{const}`.

    Examples
    --------
    >>> abs(desai_zwanzig_consistency(0.0, beta=1.0, theta=1.0)) < 1e-12   # m = 0 by symmetry
    True
    """
    beta = check_positive("beta", beta)
    theta = check_positive("theta", theta)
    m = float(m)
    if not np.isfinite(m) or abs(m) > 3.0:
        raise ValueError(f"m: must lie in [-3, 3], got {m}")
    w = _dz_weights(m, beta, theta)
    return float(integrate.trapezoid(_DZ_X * w, _DZ_X) - m)


def _dz_var0(beta, theta):
    w = _dz_weights(0.0, beta, theta)
    return float(integrate.trapezoid(_DZ_X**2 * w, _DZ_X))  # mean 0 by symmetry


def desai_zwanzig_critical_beta(theta, *, tol=1e-10) -> float:
    r"""Critical inverse temperature :math:`\beta_c(\theta)` of the Desai--Zwanzig model.

    The symmetric state :math:`m = 0` loses stability, and the pair
    :math:`\pm m^*` appears, where :math:`R'(0) = 0`:

    .. math::  \beta_c\,\theta\,\mathrm{Var}_{\mu_0}(x) = 1,\qquad
               \mu_0\propto e^{-\beta_c(x^4/4 - x^2/2 + \theta x^2/2)}.

    Solved by :func:`scipy.optimize.brentq` on :math:`\beta\in[10^{-3}, 10^{3}]`
    (:math:`\beta\theta\mathrm{Var}\to0` as :math:`\beta\to0` and exceeds 1 for
    large :math:`\beta`).

    Examples
    --------
    >>> 1.0 < desai_zwanzig_critical_beta(1.0) < 5.0
    True
    """
    theta = check_positive("theta", theta)
    tol = check_positive("tol", tol)

    def f(beta):
        return beta * theta * _dz_var0(beta, theta) - 1.0

    lo, hi = 1e-3, 1e3
    if not (f(lo) < 0 < f(hi)):
        raise ValueError(f"theta: no critical beta in [{lo}, {hi}] for theta = {theta}")
    return float(optimize.brentq(f, lo, hi, xtol=tol))


@dataclass(frozen=True)
class DesaiZwanzigResult:
    r"""Output of :func:`desai_zwanzig_states`.

    Attributes
    ----------
    m : ndarray
        All roots of :math:`R(m) = 0` in :math:`[-3, 3]`, sorted (``[0]`` or ``[-m*, 0, m*]``).
    beta, theta, beta_c : float
    success : bool
    message : str
    """

    m: np.ndarray
    beta: float
    theta: float
    beta_c: float
    success: bool
    message: str


def desai_zwanzig_states(*, beta, theta, n_scan=300, tol=1e-12) -> DesaiZwanzigResult:
    r"""All stationary means :math:`m` of the Desai--Zwanzig model (:func:`desai_zwanzig_consistency`).

    :math:`m = 0` always solves :math:`R(m) = 0` (symmetry); the positive
    roots are bracketed by sign changes of :math:`R` on ``n_scan`` points of
    ``(0, 3]`` and refined by :func:`scipy.optimize.brentq`; negative roots
    are their mirrors. Near :math:`\beta_c` the root :math:`m^*\to0` and the
    scan starts at :math:`10^{-4}`.

    Examples
    --------
    >>> desai_zwanzig_states(beta=0.5, theta=1.0).m.tolist()
    [0.0]
    """
    beta = check_positive("beta", beta)
    theta = check_positive("theta", theta)
    n_scan = check_int("n_scan", n_scan, 2)
    tol = check_positive("tol", tol)
    grid = np.concatenate([[1e-4], np.linspace(0.01, 3.0, n_scan)])
    r = np.array([desai_zwanzig_consistency(m, beta=beta, theta=theta) for m in grid])
    roots = []
    for a, b, ra, rb in zip(grid[:-1], grid[1:], r[:-1], r[1:]):
        if ra == 0.0:
            roots.append(a)
        elif ra * rb < 0:
            roots.append(optimize.brentq(lambda m: desai_zwanzig_consistency(m, beta=beta, theta=theta),
                                         a, b, xtol=tol))
    pos = np.array(roots)
    m = np.sort(np.concatenate([-pos, [0.0], pos]))
    bc = desai_zwanzig_critical_beta(theta)
    return DesaiZwanzigResult(m, beta, theta, bc, True, f"{m.size} stationary state(s); beta_c = {bc:.6g}")


@dataclass(frozen=True)
class PitchforkResult:
    r"""Output of :func:`desai_zwanzig_pitchfork`: the bifurcation diagram on a grid of :math:`\beta`.

    Attributes
    ----------
    beta : ndarray, shape (n,)
    m_star : ndarray, shape (n,)
        The positive stationary mean :math:`m^*(\beta)` (``nan`` for :math:`\beta\le\beta_c`,
        where the symmetric state is the only one).
    zero_stable : ndarray of bool, shape (n,)
        Whether the symmetric state :math:`m = 0` is linearly stable
        (:math:`R'(0) < 0`, i.e. :math:`\beta < \beta_c`); the states
        :math:`\pm m^*` are stable wherever they exist.
    beta_c, theta : float
    success : bool
    message : str
    """

    beta: np.ndarray
    m_star: np.ndarray
    zero_stable: np.ndarray
    beta_c: float
    theta: float
    success: bool
    message: str


def desai_zwanzig_pitchfork(betas, *, theta, beta_c=None, tol=1e-12) -> PitchforkResult:
    r"""Stable and unstable branches of the Desai--Zwanzig pitchfork on a grid of :math:`\beta`.

    For :math:`\beta > \beta_c` the self-consistency map
    :math:`R(m) = \int x\,d\mu_m - m` (:func:`desai_zwanzig_consistency`) is
    positive just right of 0 (:math:`R'(0) = \beta\theta\mathrm{Var}_{\mu_0} - 1 > 0`)
    and negative at :math:`m = 3`; its single positive root :math:`m^*` is
    found by :func:`scipy.optimize.brentq` on :math:`[10^{-7}, 3]`.
    Stability is that of the Landau free energy :math:`\hat F(m)`
    (:func:`meanfield.fokker_planck.landau_profile`): a stationary mean is a
    local minimum of :math:`\hat F` iff :math:`R'(m) < 0`. So :math:`m = 0` is
    stable below :math:`\beta_c` and unstable above, :math:`\pm m^*` stable.

    Parameters
    ----------
    betas : array_like, shape (n,)
        Inverse temperatures, > 0.
    theta : float
        Coupling, > 0.
    beta_c : float, optional
        :math:`\beta_c(\theta)` if already known (default: computed by
        :func:`desai_zwanzig_critical_beta`; passing it saves that root
        finding when the function is called once per :math:`\beta`, as in
        an interactive panel).
    tol : float
        ``xtol`` of the root finder.

    Examples
    --------
    >>> res = desai_zwanzig_pitchfork([1.0, 4.0], theta=1.0)
    >>> bool(np.isnan(res.m_star[0])), round(float(res.m_star[1]), 4), res.zero_stable.tolist()
    (True, 0.7876, [True, False])
    """
    betas = np.atleast_1d(np.asarray(betas, dtype=float))
    if betas.ndim != 1 or betas.size == 0 or not np.all(np.isfinite(betas)) or np.any(betas <= 0):
        raise ValueError("betas: expected a non-empty 1-D array of finite values > 0")
    theta = check_positive("theta", theta)
    tol = check_positive("tol", tol)
    bc = desai_zwanzig_critical_beta(theta) if beta_c is None else check_positive("beta_c", beta_c)
    m_star = np.full(betas.shape, np.nan)
    for k, b in enumerate(betas):
        if b <= bc:
            continue
        f = lambda m: desai_zwanzig_consistency(m, beta=b, theta=theta)  # noqa: E731
        if f(1e-7) > 0:
            m_star[k] = optimize.brentq(f, 1e-7, 3.0, xtol=tol)
    return PitchforkResult(betas, m_star, betas < bc, bc, theta, True,
                           f"{int(np.sum(np.isfinite(m_star)))} of {betas.size} values above beta_c = {bc:.6g}")


def w1_to_gaussian(x, mean, sd) -> float:
    r"""Exact :math:`W_1(\mu^N, N(m, s^2))` for an empirical measure on the line.

    On the line :math:`W_1 = \int_0^1|F_N^{-1}(u) - Q(u)|\,du` with
    :math:`Q(u) = m + s\Phi^{-1}(u)`. On :math:`[a, b] = [(i-1)/N, i/N]` the
    empirical quantile is :math:`x_{(i)}`; splitting at
    :math:`u^* = \Phi((x_{(i)} - m)/s)` clipped to :math:`[a, b]`,

    .. math::

        \int_a^b|x_{(i)} - Q|\,du = x_{(i)}(2u^* - a - b) - 2\int_a^{u^*}Q\,du + \int_a^bQ\,du,

    with :math:`\int_a^bQ\,du = m(b-a) + s\big(\varphi(\Phi^{-1}(a)) - \varphi(\Phi^{-1}(b))\big)`.

    Examples
    --------
    >>> round(w1_to_gaussian([0.0], 0.0, 1.0), 12)   # E|Z| = sqrt(2/pi)
    0.797884560803
    """
    x = _sorted_samples(x)
    sd = check_positive("sd", sd)
    mean = float(mean)
    n = x.size
    a = np.arange(n) / n
    b = np.arange(1, n + 1) / n
    us = np.clip(special.ndtr((x - mean) / sd), a, b)

    def phi_q(u):
        return np.exp(-0.5 * special.ndtri(u) ** 2) / np.sqrt(2 * np.pi)  # 0 at u = 0, 1

    def int_q(lo, hi):
        return mean * (hi - lo) + sd * (phi_q(lo) - phi_q(hi))

    return float(np.sum(x * (2 * us - a - b) - 2 * int_q(a, us) + int_q(a, b)))
