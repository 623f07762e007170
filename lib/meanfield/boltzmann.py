r"""The spatially homogeneous Boltzmann equation :math:`\partial_t f = Q(f, f)` for Maxwell-type kernels.

Two models, one normalisation: **every particle collides at rate** :math:`\rho`
**(= 1 for a probability density)**. Velocities are arrays of shape
``(..., d)`` as in :mod:`meanfield.kinetic` (``d = 1`` for Kac's model), energy
is :math:`\tfrac12\int|v|^2 f`, entropy :math:`H[f] = \int f\log f\,dv`.

1. Kac's model (``d = 1``)
--------------------------
.. math::

    \partial_t f(v) = \frac1{2\pi}\int_0^{2\pi}\!\!\int_{\mathbb R}
        \big[f(v')f(w') - f(v)f(w)\big]\,dw\,d\theta,
    \qquad
    \begin{pmatrix} v' \\ w' \end{pmatrix} =
    \begin{pmatrix} \cos\theta & -\sin\theta \\ \sin\theta & \cos\theta \end{pmatrix}
    \begin{pmatrix} v \\ w \end{pmatrix}.

The loss term is :math:`\rho f(v)`: collision frequency :math:`\rho`. Rotations
keep :math:`v^2 + w^2` (energy) but not :math:`v + w`: the mean velocity obeys
:math:`\dot m_1 = -\rho\, m_1` (the equilibrium is the centred Maxwellian
:math:`M_{\rho,0,T}`, :math:`T = \int v^2 f/\rho`).

**Fourier form** [2]_. With :math:`\varphi(\xi) = \int f e^{-i\xi v}dv`, the
rotation :math:`(v, w)\mapsto(v', w')` has unit Jacobian and
:math:`v = v'\cos\theta + w'\sin\theta`, so

.. math::

    \partial_t\varphi(\xi) = \frac1{2\pi}\int_0^{2\pi}
        \big[\varphi(\xi\cos\theta)\,\varphi(\xi\sin\theta) - \varphi(\xi)\varphi(0)\big]\,d\theta .

**Hermite--Galerkin solver** (:func:`kac_spectral`). Write
:math:`f(v) = \sum_n c_n\,\mathrm{He}_n(v/s)\,M_{1,0,s^2}(v)` with the
probabilists' Hermite polynomials and :math:`s^2 = T`. Since
:math:`\int \mathrm{He}_n M e^{-i\xi v} = (-i s\xi)^n e^{-s^2\xi^2/2}` and
:math:`e^{-s^2\xi^2\cos^2\theta/2}e^{-s^2\xi^2\sin^2\theta/2} = e^{-s^2\xi^2/2}`,
the Fourier form becomes, coefficient by coefficient,

.. math::

    \dot c_n = \sum_{k+l=n} A_{kl}\,c_k c_l - c_0 c_n, \qquad
    A_{kl} = \frac1{2\pi}\int_0^{2\pi}\cos^k\theta\,\sin^l\theta\,d\theta
           = \frac{B(a+\frac12, b+\frac12)}{\pi}\ \ (k = 2a,\ l = 2b),

and :math:`A_{kl} = 0` unless :math:`k, l` are both even. The system is
**triangular** (:math:`\dot c_n` involves :math:`c_0,\dots,c_n` only), so
truncating it at :math:`n\le N` is *exact* for the retained coefficients:
the only error is that of the truncated series for :math:`f`. It converges
for data with tails lighter than :math:`e^{-v^2/(4T)}`; a component
:math:`N(\mu, \tau)` contributes coefficients decaying like
:math:`|\tau/T - 1|^{n/2}` (for the orthonormal :math:`b_n` below), so narrow
components need many modes (two bumps of variance :math:`0.28\,T`: about 160
modes for :math:`10^{-9}`; Kac--BKW at :math:`t_{\min}`, variance :math:`T/3`:
128 modes for :math:`10^{-11}`). :math:`c_0 = \rho`
and :math:`c_2` (energy) have right-hand side exactly 0. The solver works in
the orthonormal coefficients :math:`b_n = \sqrt{n!}\,c_n`.

**Linearised operator and its spectrum** (:func:`kac_eigenvalues`,
:func:`kac_linearised_operator`). With :math:`f = M(1 + h)`, :math:`M = M_{1,0,1}`,
and :math:`M(v')M(w') = M(v)M(w)`,

.. math::

    Lh(v) = \frac1{2\pi}\int_0^{2\pi}\!\!\int M(w)\,
        \big[h(v') + h(w') - h(v) - h(w)\big]\,dw\,d\theta .

Mehler's identity: for :math:`w\sim N(0,1)`,
:math:`\mathbb E_w[e^{t(v\cos\theta - w\sin\theta) - t^2/2}] =
e^{(t\cos\theta)v - (t\cos\theta)^2/2}`; comparing the coefficients of the
generating function :math:`\sum_n \mathrm{He}_n(x)t^n/n! = e^{tx - t^2/2}`
gives :math:`\mathbb E_w\,\mathrm{He}_n(v\cos\theta - w\sin\theta) = \cos^n\theta\,\mathrm{He}_n(v)`
and likewise :math:`\mathbb E_w\,\mathrm{He}_n(v\sin\theta + w\cos\theta) = \sin^n\theta\,\mathrm{He}_n(v)`,
while :math:`\int M\,\mathrm{He}_n = \delta_{n0}`. Hence
:math:`L\,\mathrm{He}_n = \lambda_n\mathrm{He}_n` with

.. math::

    \lambda_n = \frac1{2\pi}\int_0^{2\pi}(\cos^n\theta + \sin^n\theta)\,d\theta - 1
              = \begin{cases} 0, & n = 0 \ (\text{the extra } -\!\int M h \text{ term}),\\
                2\binom{n}{n/2}2^{-n} - 1, & n \ge 2 \text{ even},\\
                -1, & n \text{ odd}. \end{cases}

:math:`\lambda_0 = \lambda_2 = 0` (mass, energy), :math:`\lambda_4 = -\tfrac14`
(the spectral gap), :math:`\lambda_6 = -\tfrac38`, :math:`\lambda_{2m}\to -1`.
They are also the linear part of the triangular system above.

**Kac--BKW solution** (the Krook--Wu/Bobylev similarity solution, [2]_ [3]_).
Try :math:`\varphi = e^{-Kx}(1 - a x)`, :math:`x = \xi^2/2`, :math:`a = 1 - K`
(mass 1, temperature 1). Then :math:`\varphi(\xi\cos\theta)\varphi(\xi\sin\theta)
= e^{-Kx}(1 - ax + a^2x^2\cos^2\theta\sin^2\theta)`, whose
:math:`\theta`-average minus :math:`\varphi` is :math:`e^{-Kx}a^2x^2/8`, and
:math:`\partial_t\varphi = \dot K\,a\,x^2e^{-Kx}`; so :math:`\dot K = (1-K)/8`.
The same ansatz for the :math:`d`-dimensional Maxwell gas below gives
:math:`\dot K = \tfrac{d-1}{4d}(1-K)`. In both cases (``d = 1`` meaning Kac)

.. math::

    K(t) = 1 - e^{-\lambda t}, \quad
    \lambda = \tfrac18\ (\text{Kac}),\ \tfrac{d-1}{4d}\ (d = 2, 3:\ \tfrac18, \tfrac16),

    f(t, v) = (2\pi K)^{-d/2}e^{-|v|^2/(2K)}
        \Big[1 - \frac{d(1-K)}{2K} + \frac{1-K}{2K^2}|v|^2\Big],

    \int|v|^4 f = d(d+2)\big(1 - e^{-2\lambda t}\big),

(inverse Fourier transform of :math:`e^{-Kx}(1 - ax)`, using
:math:`\widehat{|v|^2 g_K} = (dK - K^2|\xi|^2)e^{-Kx}`). It is a
probability density iff :math:`K\ge d/(d+2)`, i.e.
:math:`t \ge t_{\min} = \lambda^{-1}\log\frac{d+2}{2}` (Kac: :math:`8\log\frac32
\approx 3.244`; 2D: :math:`8\log 2\approx 5.545`; 3D: :math:`6\log\frac52\approx 5.498`,
the classical value). The fourth moment relaxes at :math:`2\lambda`: for Kac
at :math:`\tfrac14 = -\lambda_4`.

2. Maxwell molecules in ``d = 2, 3``
-------------------------------------
:math:`\sigma`-representation with a **constant angular kernel normalised to
collision frequency 1**:

.. math::

    Q(f,f)(v) = \int_{\mathbb R^d}\int_{S^{d-1}} \frac{1}{|S^{d-1}|}
        \big[f(v')f(v_*') - f(v)f(v_*)\big]\,d\sigma\,dv_*,
    \qquad v',v_*' = \frac{v+v_*}2 \pm \frac{|v-v_*|}2\,\sigma,

:math:`|S^1| = 2\pi`, :math:`|S^2| = 4\pi`, :math:`d\sigma` the surface
measure; the loss term is :math:`\rho f(v)`. This is the :math:`\sigma`-operator of
:mod:`meanfield.kinetic` (:math:`B_\sigma\equiv 1`, loss :math:`4\pi\rho f`)
divided by :math:`4\pi` in 3D: our time is :math:`4\pi` times the kinetic
module's. It is *not* the :math:`\omega`-operator with :math:`B_\omega\equiv1`
divided by :math:`4\pi` (:math:`\omega` uniform on :math:`S^2`): that kernel
deflects differently, :math:`\langle\sin^2\chi\rangle = \tfrac8{15}` instead of
:math:`\tfrac23`, and its BKW rate is :math:`\tfrac2{15}` instead of :math:`\tfrac16`
(:func:`meanfield.kinetic.kernel_rates`). Bobylev's Fourier form [2]_,
:math:`\partial_t\varphi(\xi) = |S^{d-1}|^{-1}\int[\varphi(\xi_+)\varphi(\xi_-) - \varphi(\xi)\varphi(0)]d\sigma`,
:math:`\xi_\pm = (\xi\pm|\xi|\sigma)/2`, with :math:`\langle(\hat\xi\cdot\sigma)^2\rangle = 1/d`,
gives the BKW law above: :math:`1 - K = e^{-t/6}` in 3D is the classical
Krook--Wu solution [3]_ precisely for this normalisation. Another
normalisation-dependent rate: since
:math:`\langle v'\otimes v'\rangle_\sigma = \tfrac14(v+v_*)\otimes(v+v_*) + \tfrac1{4d}|v-v_*|^2 I`,
the pressure tensor :math:`P = \int v\otimes v\,f` (zero mean) obeys
:math:`\dot P = -\tfrac12(P - \tfrac1d\operatorname{tr}P\,I)`: temperature
anisotropies relax at rate :math:`\tfrac12` in every dimension.

3. Particle (DSMC) solvers (:func:`dsmc`)
------------------------------------------
``N`` particles (samples of :math:`f/\rho`), collisions rotate a pair by a
uniform :math:`\theta` (Kac) or replace it by :func:`meanfield.kinetic.collide_sigma`
with :math:`\sigma` uniform on :math:`S^{d-1}` (Maxwell): energy (and, for
Maxwell, momentum) is conserved exactly by every pair. Three time schemes:

* ``"nanbu"`` (Nanbu--Babovsky [4]_ [5]_): each step of length ``dt``
  draws a random set of disjoint pairs in which every particle has
  probability :math:`p = \Delta t` (``dt <= 1``) to be; each pair collides
  once. One step maps :math:`f \mapsto (1-p)f + p\,Q^+(f,f)/\rho`: explicit
  Euler, bias :math:`O(\Delta t)`; a moment with linear rate :math:`\mu`
  decays by :math:`(1-\mu p)` per step instead of :math:`e^{-\mu\Delta t}`,
  an effective rate :math:`\mu + \tfrac12\mu^2\Delta t + O(\Delta t^2)`.
* ``"exponential"``: the same with :math:`p = 1 - e^{-\Delta t}` (exponential
  clock per step): the loss rate is exact for every ``dt`` but a particle
  still collides at most once per step with a partner frozen at the start
  of the step (one term of the Wild sum), so the bias is *still*
  :math:`O(\Delta t)`: rate :math:`-\log(1-\mu(1-e^{-\Delta t}))/\Delta t =
  \mu - \tfrac12\mu(1-\mu)\Delta t + O(\Delta t^2)`.
* ``"exact"`` (default): the continuous-time :math:`N`-particle Kac process
  [1]_ (time scaled so that every particle collides at rate 1; Maxwell
  molecules likewise): collisions form a Poisson process of rate :math:`N/2`, each between
  a uniform random pair with a uniform angle, so every particle collides at
  rate 1. ``dt`` is only the recording interval: the number of collisions in a
  step is Poisson(:math:`N\Delta t/2`); they are applied in their time order,
  vectorised in rounds (a collision is applied as soon as no earlier pending
  collision involves either of its particles, which reproduces the sequential
  result exactly). No time-discretisation bias at all; only the
  :math:`O(1/N)` propagation-of-chaos error and :math:`O(N^{-1/2})` noise.

Odd ``N``: in the pairing schemes one particle is left out of every step's
pairing; the pair probability is raised by :math:`N/(N-1)` so that each
particle still collides with probability :math:`p` (``"exact"`` needs nothing).

4. Entropy of particles, 1D triviality
--------------------------------------
:func:`entropy_knn` estimates :math:`H` from particles (Kozachenko--Leonenko
nearest-neighbour estimator [7]_, bias stated there). :func:`collide_1d`
proves that a 1D collision conserving momentum and energy only exchanges
the velocities, so the 1D Maxwell-molecule operator vanishes identically.

References
----------
.. [1] M. Kac, "Foundations of kinetic theory", *Proc. 3rd Berkeley Symp.
   Math. Stat. Prob.* 3 (1956) 171--197.
.. [2] A. V. Bobylev, "Exact solutions of the Boltzmann equation",
   *Sov. Phys. Dokl.* 20 (1976) 822--824.
.. [3] M. Krook and T. T. Wu, "Formation of Maxwellian tails",
   *Phys. Rev. Lett.* 36 (1976) 1107--1109.
.. [4] K. Nanbu, "Direct simulation scheme derived from the Boltzmann
   equation. I. Monocomponent gases", *J. Phys. Soc. Japan* 49 (1980) 2042--2049.
.. [5] H. Babovsky, "A convergence proof for Nanbu's Boltzmann simulation
   scheme", *Eur. J. Mech. B Fluids* 8 (1989) 41--55.
.. [6] C. Villani, "A review of mathematical topics in collisional kinetic
   theory", *Handbook of Mathematical Fluid Dynamics* I, 2002.
.. [7] L. F. Kozachenko and N. N. Leonenko, "Sample estimate of the entropy
   of a random vector", *Probl. Inf. Transm.* 23 (1987) 95--101;
   T. B. Berrett, R. J. Samworth and M. Yuan, "Efficient multivariate entropy
   estimation via k-nearest neighbour distances", *Ann. Statist.* 47 (2019) 288--318.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import integrate, special
from scipy.spatial import KDTree

from .kinetic import GaussianMixture, make_maxwellian
from .utils import (
    _as_real,
    as_generator,
    check_choice,
    check_int,
    check_positive,
    check_vectors,
    uniform_sphere,
)

__all__ = [
    "collide_1d",
    "kac_collide",
    "kac_eigenvalues",
    "kac_linearised_operator",
    "kac_collision_operator",
    "kac_entropy_dissipation",
    "KacSpectralResult",
    "kac_spectral",
    "bkw_rate",
    "BKWSolution",
    "make_bkw",
    "DSMCResult",
    "dsmc",
    "EntropyEstimate",
    "entropy_knn",
]

_DIMS = (1, 2, 3)
_DSMC_METHODS = ("exact", "nanbu", "exponential")
_ODE_METHODS = ("DOP853", "RK45", "Radau", "LSODA")


def _check_dim(name, d):
    if d not in _DIMS:
        raise ValueError(f"{name}: dimension must be 1 (Kac), 2 or 3 (Maxwell molecules), got {d}")
    return d


# --- 1D triviality ------------------------------------------------------------------------

def collide_1d(v, w):
    r"""The only elastic collision on the line: exchange of the two velocities.

    In one dimension, conservation of momentum and energy,

    .. math::  v' + w' = v + w, \qquad v'^2 + w'^2 = v^2 + w^2,

    leaves two solutions. Subtracting :math:`v^2 + w'^2` from the second
    equation, :math:`(v'-v)(v'+v) = (w-w')(w+w')`, and :math:`v' - v = w - w'`
    by the first. Either :math:`v' = v` (then :math:`w' = w`: no collision), or
    :math:`v' + v = w + w'`, which added to :math:`v' - v = w - w'` gives
    :math:`v' = w`, :math:`w' = v`. So the post-collisional *pair* is always
    :math:`\{v, w\}`; with :math:`\sigma = \pm1` the :math:`\sigma`-rule
    :func:`meanfield.kinetic.collide_sigma` gives exactly these two
    outcomes. The gain term then equals the loss term,
    :math:`f(v')f(w') = f(w)f(v)`, for every kernel: a "1D Maxwell
    molecule" operator is identically zero, :math:`Q(f,f)\equiv 0`, and every
    density is stationary. Kac's model (energy only) is the way out.

    Parameters
    ----------
    v, w : array_like
        Velocities (broadcastable, finite).

    Returns
    -------
    v_prime, w_prime : ndarray
        :math:`(w, v)` (new arrays).

    Examples
    --------
    >>> collide_1d(1.0, -2.0)
    (array(-2.), array(1.))
    """
    v = np.asarray(v, dtype=float)
    w = np.asarray(w, dtype=float)
    for name, arr in (("v", v), ("w", w)):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name}: contains NaN or infinite entries")
    v, w = np.broadcast_arrays(v, w)
    return w.copy(), v.copy()


# --- Kac's model: collisions and the linearised operator -------------------------------------

def kac_collide(v, w, theta):
    r"""Kac's collision: rotate the pair :math:`(v, w)` by the angle :math:`\theta`.

    .. math::  v' = v\cos\theta - w\sin\theta, \qquad w' = v\sin\theta + w\cos\theta;

    :math:`v'^2 + w'^2 = v^2 + w^2` exactly (up to rounding), :math:`v' + w'\ne v + w`.

    Parameters
    ----------
    v, w : array_like, shape (..., 1)
        Velocities (``d = 1``), broadcastable.
    theta : array_like, shape (...)
        Angles (broadcastable to ``v.shape[:-1]``).

    Returns
    -------
    v_prime, w_prime : ndarray, shape (..., 1)
    """
    v = check_vectors("v", v, 1)
    w = check_vectors("w", w, 1)
    theta = np.asarray(theta, dtype=float)
    if not np.all(np.isfinite(theta)):
        raise ValueError("theta: contains NaN or infinite entries")
    return _rotate(v, w, theta[..., None])


def _rotate(v, w, theta):
    c, s = np.cos(theta), np.sin(theta)
    return v * c - w * s, v * s + w * c


def _even_cos_powers(m_max):
    """r_m = <cos^{2m}> = binom(2m, m) / 4^m, m = 0..m_max (exact for small m)."""
    ratios = (2.0 * np.arange(1, m_max + 1) - 1.0) / (2.0 * np.arange(1, m_max + 1))
    return np.concatenate([[1.0], np.cumprod(ratios)])


def kac_eigenvalues(n_max) -> np.ndarray:
    r"""Eigenvalues :math:`\lambda_n`, :math:`n \le n_{\max}`, of the linearised Kac operator.

    .. math::

        \lambda_0 = 0,\qquad
        \lambda_n = \frac1{2\pi}\int_0^{2\pi}(\cos^n\theta + \sin^n\theta)\,d\theta - 1
        = \begin{cases} 2\binom{n}{n/2}2^{-n} - 1 & n\ge2 \text{ even}\\ -1 & n \text{ odd}\end{cases}

    for the rate-1 normalisation of the module docstring (derivation there):
    :math:`0, -1, 0, -1, -\tfrac14, -1, -\tfrac38, -1, -\tfrac{29}{64}, \dots`

    Parameters
    ----------
    n_max : int
        Largest index, >= 0.

    Returns
    -------
    ndarray, shape (n_max + 1,)

    Examples
    --------
    >>> kac_eigenvalues(6).tolist()
    [0.0, -1.0, 0.0, -1.0, -0.25, -1.0, -0.375]
    """
    n_max = check_int("n_max", n_max, 0)
    n = np.arange(n_max + 1)
    r = _even_cos_powers(n_max // 2)
    lam = np.where(n % 2 == 0, 2.0 * r[n // 2] - 1.0, -1.0)
    lam[0] = 0.0
    return lam


def _theta_nodes(n_theta):
    # the trapezoidal rule on a period: exact for trigonometric polynomials of degree < n_theta
    return 2.0 * np.pi * np.arange(n_theta) / n_theta


def _eval_1d(name, f, x, *, density=True):
    """Call ``f`` on x of shape (..., 1); return shape (...)."""
    out = np.asarray(f(x), dtype=float)
    if out.shape != x.shape[:-1]:
        raise ValueError(f"{name}: must map arrays of shape (..., 1) to shape (...); got {out.shape} "
                         f"for input {x.shape}")
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{name}: returned NaN or infinite values")
    if density and np.any(out < 0):
        raise ValueError(f"{name}: the density takes negative values (min {out.min():.3g}); it must be >= 0")
    return out


def kac_linearised_operator(h, v, *, n_theta=64, n_nodes=40) -> np.ndarray:
    r"""The linearised Kac operator :math:`Lh(v)` at the standard Maxwellian, by quadrature.

    .. math::

        Lh(v) = \frac1{2\pi}\int_0^{2\pi}\!\!\int_{\mathbb R} M(w)\,
            \big[h(v\cos\theta - w\sin\theta) + h(v\sin\theta + w\cos\theta) - h(v) - h(w)\big]\,dw\,d\theta,

    :math:`M = M_{1,0,1}` (so :math:`Q(M(1+\varepsilon h), M(1+\varepsilon h)) =
    \varepsilon M\,Lh + O(\varepsilon^2)`). The :math:`w`-integral uses
    Gauss--Hermite nodes (:func:`scipy.special.roots_hermitenorm`, exact for
    polynomials of degree :math:`< 2` ``n_nodes``), the :math:`\theta`-integral
    the periodic trapezoidal rule (exact for trigonometric polynomials of
    degree :math:`<` ``n_theta``): for :math:`h = \mathrm{He}_n`,
    :math:`n <` ``min(n_theta, 2 n_nodes)``, the result is exact up to
    rounding, an independent check of :func:`kac_eigenvalues`.

    Parameters
    ----------
    h : callable
        Perturbation, vectorised over arrays of shape ``(..., 1)`` -> ``(...)``.
    v : array_like, shape (m,) or (m, 1)
        Velocities.
    n_theta, n_nodes : int
        Quadrature sizes (>= 4, >= 2).

    Returns
    -------
    ndarray, shape (m,)
    """
    v = _as_grid("v", v)
    n_theta = check_int("n_theta", n_theta, 4)
    n_nodes = check_int("n_nodes", n_nodes, 2)
    y, wq = special.roots_hermitenorm(n_nodes)
    wq = wq / np.sqrt(2.0 * np.pi)  # weights of N(0, 1)
    th = _theta_nodes(n_theta)
    c, s = np.cos(th)[None, :, None], np.sin(th)[None, :, None]
    V, W = v[:, None, None], y[None, None, :]
    hv1 = _eval_1d("h", h, (V * c - W * s)[..., None], density=False)
    hw1 = _eval_1d("h", h, (V * s + W * c)[..., None], density=False)
    gain = np.mean((hv1 + hw1) @ wq, axis=1)
    mean_h = float(_eval_1d("h", h, y[:, None], density=False) @ wq)
    return gain - _eval_1d("h", h, v[:, None], density=False) - mean_h


def kac_collision_operator(f, v, *, n_theta=64, n_w=401, w_max=12.0) -> np.ndarray:
    r"""The Kac collision operator :math:`Q(f,f)(v)` by direct quadrature of the gain term.

    .. math::

        Q(f,f)(v) = \frac1{2\pi}\int_0^{2\pi}\!\!\int_{\mathbb R}
            f(v\cos\theta - w\sin\theta)\,f(v\sin\theta + w\cos\theta)\,dw\,d\theta
            - \rho f(v), \qquad \rho = \int f,

    with the periodic trapezoidal rule in :math:`\theta` and the trapezoidal
    rule on :math:`[-w_{\max}, w_{\max}]` in :math:`w` (exponentially accurate
    for smooth densities with Gaussian tails). Independent of the Hermite
    machinery of :func:`kac_spectral`, which it serves to check.

    Parameters
    ----------
    f : callable
        Density, vectorised over arrays of shape ``(..., 1)``.
    v : array_like, shape (m,) or (m, 1)
    n_theta : int
        Angles (>= 4).
    n_w : int
        Nodes in :math:`w` (>= 3).
    w_max : float
        Half-width of the :math:`w`-interval (> 0); ``f`` must be negligible beyond it.

    Returns
    -------
    ndarray, shape (m,)
    """
    v = _as_grid("v", v)
    n_theta = check_int("n_theta", n_theta, 4)
    n_w = check_int("n_w", n_w, 3)
    w_max = check_positive("w_max", w_max)
    w = np.linspace(-w_max, w_max, n_w)
    dw = w[1] - w[0]
    th = _theta_nodes(n_theta)
    c, s = np.cos(th)[:, None], np.sin(th)[:, None]
    rho = float(np.sum(_eval_1d("f", f, w[:, None]))) * dw
    chunk = max(1, 2_000_000 // (n_theta * n_w))
    gain = np.empty(v.size)
    for start in range(0, v.size, chunk):  # bounded temporaries
        vb = v[start:start + chunk, None, None]
        prod = _eval_1d("f", f, (vb * c - w * s)[..., None]) * _eval_1d("f", f, (vb * s + w * c)[..., None])
        gain[start:start + chunk] = prod.sum(axis=-1).mean(axis=-1) * dw
    return gain - rho * _eval_1d("f", f, v[:, None])


def kac_entropy_dissipation(f, *, n_theta=64, n_v=401, v_max=9.0) -> float:
    r"""Entropy dissipation :math:`D(f) = -\frac{d}{dt}H[f]` of Kac's model, by quadrature.

    Kac's operator (collision frequency 1, part 1 of the module docstring) has the
    symmetrised form of the H-theorem

    .. math::

        D(f) = \frac14\cdot\frac1{2\pi}\int_0^{2\pi}\!\!\iint
            \big(f'f_*' - ff_*\big)\log\frac{f'f_*'}{ff_*}\,dv\,dw\,d\theta \;\ge 0,

    :math:`f' = f(v\cos\theta - w\sin\theta)`, :math:`f_*' = f(v\sin\theta + w\cos\theta)`.
    Tensor trapezoid rule on :math:`[-v_{\max}, v_{\max}]^2` (spectrally
    accurate for smooth data with Gaussian tails) and the periodic
    trapezoid rule in :math:`\theta`. Points where :math:`f` vanishes on both
    sides contribute 0.

    Parameters
    ----------
    f : callable
        Maps arrays of shape ``(..., 1)`` to shape ``(...)``; positive density.
    n_theta, n_v : int
        Nodes in :math:`\theta` (>= 4) and per velocity axis (>= 11).
    v_max : float
        Half-width of the velocity box (> 0).

    Returns
    -------
    float
        :math:`D(f)`.

    Examples
    --------
    >>> g = lambda x: np.exp(-x[..., 0] ** 2 / 2) / np.sqrt(2 * np.pi)
    >>> kac_entropy_dissipation(g) < 1e-12  # Maxwellians do not dissipate
    True
    """
    if not callable(f):
        raise TypeError("f: expected a callable mapping arrays of shape (..., 1) to (...)")
    n_theta = check_int("n_theta", n_theta, 4)
    n_v = check_int("n_v", n_v, 11)
    v_max = check_positive("v_max", v_max)
    v = np.linspace(-v_max, v_max, n_v)
    h = v[1] - v[0]
    V, W = np.meshgrid(v, v, indexing="ij")
    fv = np.asarray(f(v[:, None]), dtype=float)
    if fv.shape != v.shape or np.any(fv < 0) or not np.all(np.isfinite(fv)):
        raise ValueError("f: must return finite non-negative values of shape (...) for input (..., 1)")
    F = fv[:, None] * fv[None, :]
    total = 0.0
    for th in 2 * np.pi * np.arange(n_theta) / n_theta:
        c, s = np.cos(th), np.sin(th)
        Fp = np.asarray(f((c * V - s * W)[..., None]), dtype=float) * np.asarray(f((s * V + c * W)[..., None]), dtype=float)
        both = (Fp > 0) & (F > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            term = np.where(both, (Fp - F) * (np.log(np.where(both, Fp, 1.0)) - np.log(np.where(both, F, 1.0))), 0.0)
        total += term.sum()
    return float(0.25 * total * h * h / n_theta)


def _as_grid(name, v):
    v = np.asarray(v, dtype=float)
    if v.ndim == 2 and v.shape[1] == 1:
        v = v[:, 0]
    if v.ndim != 1 or v.size < 1:
        raise ValueError(f"{name}: expected a non-empty array of shape (m,) or (m, 1), got {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name}: contains NaN or infinite entries")
    return v


# --- Kac's model: the Hermite--Galerkin (spectral) solver ----------------------------------------

def _hermite_table(y, n_max, *, weighted):
    """Rows m = 0..n_max of h_m(y) = He_m(y)/sqrt(m!) (times the N(0,1) density if ``weighted``)."""
    out = np.empty((n_max + 1, y.size))
    out[0] = np.exp(-0.5 * y * y) / np.sqrt(2 * np.pi) if weighted else 1.0
    if n_max >= 1:
        out[1] = y * out[0]
    for m in range(1, n_max):  # three-term recurrence, a loop over modes
        out[m + 1] = (y * out[m] - np.sqrt(m) * out[m - 1]) / np.sqrt(m + 1)
    return out


def _bilinear_table(n_max):
    """Index pairs (k, l), both even >= 2, k + l <= n_max, and G = A_kl sqrt(binom(k+l, k))."""
    ks = np.arange(2, n_max + 1, 2)
    K, L = np.meshgrid(ks, ks, indexing="ij")
    keep = K + L <= n_max
    k, l = K[keep], L[keep]
    a, b, n = k // 2, l // 2, k + l
    logG = (special.gammaln(a + 0.5) + special.gammaln(b + 0.5) - np.log(np.pi) - special.gammaln(a + b + 1)
            + 0.5 * (special.gammaln(n + 1) - special.gammaln(k + 1) - special.gammaln(l + 1)))
    return k, l, n, np.exp(logG)


def _mixture_coefficients(f0, s, n_max):
    """Orthonormal Hermite coefficients b_n of a 1-D GaussianMixture, exact (generating function)."""
    w, mu, T = f0.weights, f0.means[:, 0] / s, f0.temperatures / s**2
    if np.any(T >= 2.0):
        raise ValueError(
            "f0: every component temperature must be < 2 T (T = int v^2 f / int f = "
            f"{s * s:.4g}) for the Hermite series to converge; got {(T * s * s).max():.4g}")
    beta = 0.5 * (T - 1.0)
    b = np.zeros((n_max + 1, w.size))
    b[0] = w
    if n_max >= 1:
        b[1] = mu * w
    for n in range(1, n_max):  # E[h_n(Y)] for Y ~ N(mu, T): (n+1)c_{n+1} = mu c_n + 2 beta c_{n-1}
        b[n + 1] = (mu * b[n] + 2.0 * beta * np.sqrt(n) * b[n - 1]) / np.sqrt(n + 1)
    return b.sum(axis=1)


_Y_MAX, _DY = 16.0, 0.02  # internal grid (in units of s = sqrt(T)) for projection and entropy


@dataclass(frozen=True)
class KacSpectralResult:
    r"""Output of :func:`kac_spectral`.

    Attributes
    ----------
    t : ndarray, shape (n_t,)
        Output times.
    v : ndarray, shape (n_v,)
        Velocity grid of ``f``.
    f : ndarray, shape (n_t, n_v)
        :math:`f(t, v)` from the truncated Hermite series.
    coeffs : ndarray, shape (n_t, n_modes + 1)
        Orthonormal coefficients :math:`b_n = \sqrt{n!}\,c_n` in
        :math:`f = \sum_n b_n\,\frac{\mathrm{He}_n(v/s)}{\sqrt{n!}}\,M_{1,0,s^2}(v)`.
    scale : float
        :math:`s = \sqrt T`, :math:`T = \int v^2 f_0/\int f_0` (the equilibrium temperature).
    mass, momentum, energy, m4 : ndarray, shape (n_t,)
        :math:`\int f`, :math:`\int vf`, :math:`\tfrac12\int v^2 f`, :math:`\int v^4 f`,
        exact functions of :math:`b_0, b_1, b_2, b_4`.
    entropy : ndarray, shape (n_t,)
        :math:`H = \int f\log f` by the trapezoidal rule on
        :math:`|v|\le 16s`, step :math:`s/50` (negative round-off values of the
        truncated series count as 0): error ~1e-13 for smooth positive
        :math:`f`, :math:`O(\text{step}^3)` where :math:`f` has a zero (Kac--BKW
        at :math:`t_{\min}`: 2e-6).
    negative_mass : float
        Largest :math:`\int f_-` over the output times (truncation diagnostic).
    n_modes : int
    nfev : int
        Right-hand-side evaluations of the ODE solver.
    method : str
    success : bool
        ODE solver succeeded, the last two coefficients are below
        ``1e-8`` :math:`\|b\|` at every output time and ``negative_mass < 1e-8``.
    message : str
    """

    t: np.ndarray
    v: np.ndarray
    f: np.ndarray
    coeffs: np.ndarray
    scale: float
    mass: np.ndarray
    momentum: np.ndarray
    energy: np.ndarray
    m4: np.ndarray
    entropy: np.ndarray
    negative_mass: float
    n_modes: int
    nfev: int
    method: str
    success: bool
    message: str


def kac_spectral(f0, t_eval, *, n_modes=128, v=None, tol=1e-12, method="DOP853") -> KacSpectralResult:
    r"""Solve Kac's equation deterministically by the Hermite--Galerkin method.

    The coefficients :math:`b_n(t)` of :math:`f` in the Hermite basis scaled
    to the equilibrium temperature obey the closed triangular system of the
    module docstring,

    .. math::

        \dot b_n = \lambda_n\,b_0\,b_n + \sum_{\substack{k+l=n\\ k,l\ge2\ \text{even}}}
            A_{kl}\sqrt{\tbinom{n}{k}}\;b_k b_l, \qquad n = 0,\dots,N,

    (:math:`\lambda_n` from :func:`kac_eigenvalues`), integrated with
    :func:`scipy.integrate.solve_ivp`. Truncation at :math:`N` = ``n_modes``
    is exact for the coefficients; ``f`` on a grid carries only the series
    truncation error. Mass :math:`b_0` and energy (:math:`b_2`) have an
    identically zero right-hand side: they are conserved to the last bit.
    :math:`H(t)` is non-increasing (H-theorem) up to quadrature error.

    Parameters
    ----------
    f0 : GaussianMixture or callable
        Initial density on the line. A :class:`meanfield.kinetic.GaussianMixture`
        with ``d = 1`` is projected exactly (every component temperature must
        be below :math:`2T`); a callable, vectorised over arrays of shape
        ``(..., 1)``, is projected by the trapezoidal rule on
        :math:`|v|\le 16 s`, after its mass and second moment are computed by
        :func:`scipy.integrate.quad`.
    t_eval : array_like, shape (n_t,)
        Output times, non-decreasing, >= 0 (the solve starts at 0).
    n_modes : int
        Highest Hermite degree :math:`N`, >= 4.
    v : array_like, shape (n_v,), optional
        Output grid; default ``np.linspace(-8 s, 8 s, 321)``.
    tol : float
        Relative tolerance of the ODE solver (absolute: ``tol * mass``), in (0, 1).
    method : {"DOP853", "RK45", "Radau", "LSODA"}
        Passed to :func:`scipy.integrate.solve_ivp`.

    Returns
    -------
    KacSpectralResult

    Examples
    --------
    >>> from meanfield.kinetic import make_two_bump
    >>> res = kac_spectral(make_two_bump(0.8, d=1), [0.0, 1.0, 4.0])
    >>> bool(res.success), bool(np.all(np.diff(res.entropy) < 0))
    (True, True)
    >>> float(res.energy[-1] - res.energy[0])
    0.0
    """
    n_modes = check_int("n_modes", n_modes, 4)
    tol = _as_real("tol", tol)
    if not 0 < tol < 1:
        raise ValueError(f"tol: must lie in (0, 1), got {tol}")
    check_choice("method", method, _ODE_METHODS)
    t_eval = np.atleast_1d(np.asarray(t_eval, dtype=float))
    if t_eval.ndim != 1 or not np.all(np.isfinite(t_eval)) or np.any(t_eval < 0) or np.any(np.diff(t_eval) < 0):
        raise ValueError("t_eval: expected a 1-D array of finite, non-decreasing times >= 0")

    # mass, temperature and the coefficients of f0
    if isinstance(f0, GaussianMixture):
        if f0.d != 1:
            raise ValueError(f"f0: expected a GaussianMixture with d = 1 (Kac), got d = {f0.d}")
        rho = float(f0.weights.sum())
        m2 = float(np.sum(f0.weights * (f0.means[:, 0] ** 2 + f0.temperatures)))
        s = np.sqrt(m2 / rho)
        b0 = _mixture_coefficients(f0, s, n_modes)
    elif callable(f0):
        def scalar(x):
            return float(_eval_1d("f0", f0, np.array([[x]]))[0])
        rho = integrate.quad(scalar, -np.inf, np.inf, epsabs=0.0, epsrel=1e-12, limit=200)[0]
        if not rho > 0:
            raise ValueError(f"f0: must have positive mass, got {rho:.3g}")
        m2 = integrate.quad(lambda x: x * x * scalar(x), -np.inf, np.inf, epsabs=0.0, epsrel=1e-12, limit=200)[0]
        s = np.sqrt(m2 / rho)
        y = np.arange(-_Y_MAX, _Y_MAX + 0.5 * _DY, _DY)
        fy = _eval_1d("f0", f0, (s * y)[:, None])
        b0 = _hermite_table(y, n_modes, weighted=False) @ fy * (s * _DY)
        if abs(b0[0] - rho) > 1e-8 * rho:
            raise ValueError(f"f0: mass {b0[0]:.10g} on |v| <= {_Y_MAX} s differs from {rho:.10g}: "
                             "the density is not negligible outside that range")
    else:
        raise TypeError(f"f0: expected a GaussianMixture or a callable, got {type(f0).__name__}")
    if not np.all(np.isfinite(b0)):
        raise ValueError("f0: the Hermite projection is not finite (tails too heavy)")

    lam = kac_eigenvalues(n_modes)
    k, l, n, G = _bilinear_table(n_modes)

    def rhs(_t, b):
        return lam * b[0] * b + np.bincount(n, G * b[k] * b[l], minlength=n_modes + 1)

    t_end = float(t_eval[-1])
    if t_end > 0:
        sol = integrate.solve_ivp(rhs, (0.0, t_end), b0, method=method, t_eval=t_eval,
                                  rtol=tol, atol=tol * rho)
        coeffs, ok, msg, nfev = sol.y.T, bool(sol.success), str(sol.message), int(sol.nfev)
        if coeffs.shape[0] != t_eval.size:
            coeffs = np.vstack([coeffs, np.full((t_eval.size - coeffs.shape[0], n_modes + 1), np.nan)])
    else:
        coeffs, ok, msg, nfev = np.tile(b0, (t_eval.size, 1)), True, "t_eval = 0 only", 0
    return _spectral_result(t_eval, v, coeffs, s, n_modes, nfev, method, ok, msg)


def _spectral_result(t_eval, v, coeffs, s, n_modes, nfev, method, ok, msg):
    v = np.linspace(-8 * s, 8 * s, 321) if v is None else _as_grid("v", v)
    good = np.all(np.isfinite(coeffs), axis=1)
    c = np.where(good[:, None], coeffs, 0.0)
    f = np.where(good[:, None], c @ _hermite_table(v / s, n_modes, weighted=True) / s, np.nan)
    y = np.arange(-_Y_MAX, _Y_MAX + 0.5 * _DY, _DY)
    F = c @ _hermite_table(y, n_modes, weighted=True)  # = s f(s y)
    Fp = np.maximum(F, 0.0)
    H = np.sum(special.xlogy(Fp, Fp / s), axis=1) * _DY
    H = np.where(good, H, np.nan)
    neg = float(np.max(np.sum(np.maximum(-F[good], 0.0), axis=1) * _DY)) if good.any() else np.nan
    mass = c[:, 0]
    momentum = s * c[:, 1]
    m2 = s**2 * (c[:, 0] + np.sqrt(2.0) * c[:, 2])
    m4 = s**4 * (3 * c[:, 0] + 6 * np.sqrt(2.0) * c[:, 2] + 2 * np.sqrt(6.0) * c[:, 4])
    tail = np.max(np.hypot(c[:, -1], c[:, -2]) / np.maximum(np.linalg.norm(c, axis=1), 1e-300))
    if ok:
        if tail > 1e-8:
            ok, msg = False, f"Hermite series not resolved (tail {tail:.2g} > 1e-8): increase n_modes"
        elif neg > 1e-8:
            ok, msg = False, f"truncated series has negative mass {neg:.2g} > 1e-8: increase n_modes"
    mask = lambda a: np.where(good, a, np.nan)  # noqa: E731
    return KacSpectralResult(
        t=t_eval, v=v, f=f, coeffs=np.where(good[:, None], coeffs, np.nan), scale=float(s),
        mass=mask(mass), momentum=mask(momentum), energy=mask(0.5 * m2), m4=mask(m4), entropy=H,
        negative_mass=neg, n_modes=n_modes, nfev=nfev, method=method, success=ok, message=msg,
    )


# --- BKW exact solutions -------------------------------------------------------------------

def bkw_rate(d) -> float:
    r"""Rate :math:`\lambda` of the BKW law :math:`K(t) = 1 - e^{-\lambda t}` for our normalisation.

    :math:`\lambda = 1/8` for Kac (``d = 1``) and :math:`(d-1)/(4d)` for
    Maxwell molecules with collision frequency 1 (``d = 2``: 1/8, ``d = 3``: 1/6).
    The fourth moment relaxes at :math:`2\lambda`.
    """
    d = _check_dim("d", check_int("d", d, 1))
    return 0.125 if d == 1 else (d - 1) / (4.0 * d)


@dataclass(frozen=True)
class BKWSolution:
    r"""The Bobylev--Krook--Wu exact solution (mass 1, momentum 0, temperature 1).

    .. math::

        f(t,v) = (2\pi K)^{-d/2}e^{-|v|^2/(2K)}\big[A + B|v|^2\big],\quad
        K = 1 - e^{-\lambda t},\ A = 1 - \frac{d(1-K)}{2K},\ B = \frac{1-K}{2K^2},

    a probability density iff :math:`t\ge t_{\min} = \lambda^{-1}\log\frac{d+2}2`
    (then :math:`A \ge 0`); ``d = 1`` is Kac's model, ``d = 2, 3`` Maxwell
    molecules with collision frequency 1 (module docstring). Build with
    :func:`make_bkw`. Every method raises ``ValueError`` for :math:`t < t_{\min}`.

    Attributes
    ----------
    d : int
    rate : float
        :math:`\lambda` (:func:`bkw_rate`).
    t_min : float
        First time at which the formula is a density (:math:`K = d/(d+2)`).
    """

    d: int
    rate: float
    t_min: float

    def _params(self, t):
        t = np.asarray(t, dtype=float)
        if not np.all(np.isfinite(t)):
            raise ValueError("t: contains NaN or infinite entries")
        if np.any(t < self.t_min * (1 - 1e-12)):
            raise ValueError(
                f"t: the BKW formula is a non-negative density only for t >= t_min = {self.t_min:.6g} "
                f"(K >= d/(d+2)); got t = {np.min(t):.6g}")
        a = np.exp(-self.rate * t)
        K = -np.expm1(-self.rate * t)
        A = np.maximum(1.0 - self.d * a / (2 * K), 0.0)  # exactly 0 at t_min despite rounding
        return K, A, a / (2 * K * K)

    def K(self, t):
        r""":math:`K(t) = 1 - e^{-\lambda t}` (array like ``t``)."""
        return self._params(t)[0]

    def density(self, v, t):
        """:math:`f(t, v)` for velocities of shape ``(..., d)`` and a scalar time."""
        v = check_vectors("v", v, self.d)
        K, A, B = self._params(_as_real("t", t))
        r2 = np.sum(v * v, axis=-1)
        return (2 * np.pi * K) ** (-self.d / 2) * np.exp(-r2 / (2 * K)) * (A + B * r2)

    def m4(self, t):
        r""":math:`\int|v|^4 f = d(d+2)(1 - e^{-2\lambda t})` (array like ``t``)."""
        self._params(t)
        return self.d * (self.d + 2) * -np.expm1(-2 * self.rate * np.asarray(t, dtype=float))

    def entropy(self, t):
        r""":math:`H(t) = \int f\log f` by :func:`scipy.integrate.quad` (array like ``t``).

        With :math:`\log f = -\tfrac d2\log(2\pi K) - |v|^2/(2K) + \log(A + B|v|^2)`
        and :math:`\int|v|^2 f = d`,

        .. math::

            H = -\tfrac d2\log(2\pi K) - \frac{d}{2K}
                + \frac{2}{\Gamma(d/2)}\int_0^\infty x^{d-1}e^{-x^2}P\log P\,dx,
            \quad P = A + 2BKx^2

        (:math:`x = |v|/\sqrt{2K}`, quadrature on :math:`[0, 9]`), accurate to about ``1e-13``.
        """
        K, A, B = self._params(t)
        K, A, B = np.atleast_1d(K), np.atleast_1d(A), np.atleast_1d(B)
        out = np.empty(K.shape)
        d = self.d
        for i in range(K.size):  # a loop over times
            a_i, c_i = A[i], 2 * B[i] * K[i]

            def g(x, a_i=a_i, c_i=c_i):
                P = a_i + c_i * x * x
                return 2 * x ** (d - 1) * np.exp(-x * x) * special.xlogy(P, P)

            # the integrand is below e^{-81} beyond x = 9
            J = integrate.quad(g, 0.0, 9.0, epsabs=1e-14, epsrel=1e-12, limit=200)[0] / special.gamma(d / 2)
            out[i] = -0.5 * d * np.log(2 * np.pi * K[i]) - d / (2 * K[i]) + J
        return out.reshape(np.shape(t))

    def sample(self, n, t, *, rng=None) -> np.ndarray:
        r"""Draw ``n`` velocities from :math:`f(t,\cdot)`; shape ``(n, d)``.

        Mixture: with probability :math:`A` from :math:`N(0, K I)`, otherwise
        :math:`\sqrt K R\,u`, :math:`R^2\sim\chi^2_{d+2}`, :math:`u` uniform on
        :math:`S^{d-1}` (the law :math:`|v|^2 g_K/(dK)`).
        """
        n = check_int("n", n, 1)
        K, A, _ = self._params(_as_real("t", t))
        gen = as_generator(rng)
        gauss = gen.random(n) < A
        z = gen.standard_normal((n, self.d))
        u = uniform_sphere(n, self.d, rng=gen)
        r = np.sqrt(gen.chisquare(self.d + 2, n))
        return np.sqrt(K) * np.where(gauss[:, None], z, r[:, None] * u)

    def equilibrium(self) -> GaussianMixture:
        """The Maxwellian with the same mass (1), momentum (0) and energy (d/2): :math:`M_{1,0,1}`."""
        return make_maxwellian(1.0, 0.0, 1.0, self.d)


def make_bkw(d=3) -> BKWSolution:
    r"""The BKW solution in dimension ``d`` (1 = Kac, 2 or 3 = Maxwell molecules).

    Examples
    --------
    >>> bkw = make_bkw(3)
    >>> round(bkw.t_min, 4), round(float(bkw.K(bkw.t_min)), 12)  # 6 log(5/2), K = 3/5
    (5.4977, 0.6)
    >>> float(bkw.m4(bkw.t_min))  # 15 (1 - (2/5)^2)
    12.6
    """
    d = _check_dim("d", check_int("d", d, 1))
    rate = bkw_rate(d)
    return BKWSolution(d=d, rate=rate, t_min=float(np.log((d + 2) / 2.0) / rate))


# --- DSMC -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class DSMCResult:
    r"""Output of :func:`dsmc`.

    Attributes
    ----------
    t : ndarray, shape (n_t,)
        :math:`k\,\Delta t` for the recorded steps :math:`k` (every step by
        default: ``n_t = n_steps + 1``; see ``diagnostics_every``).
    v : ndarray, shape (N, d)
        Final velocities.
    momentum : ndarray, shape (n_t, d)
        Mean velocity :math:`\frac1N\sum_i v_i` (momentum of the unit-mass density).
    energy, m4, m4_se : ndarray, shape (n_t,)
        :math:`\frac1{2N}\sum|v_i|^2`, :math:`\frac1N\sum|v_i|^4` and the
        latter's standard error (sample standard deviation of :math:`|v_i|^4`
        over :math:`\sqrt N`).
    n_collisions : int
        Pair collisions performed.
    n_rounds : int
        Vectorised batches of disjoint collisions (one per step for the
        pairing schemes).
    dt : float
    method : str
    model : str
        ``"kac"`` (d = 1) or ``"maxwell"``.
    success : bool
    message : str
    """

    t: np.ndarray
    v: np.ndarray
    momentum: np.ndarray
    energy: np.ndarray
    m4: np.ndarray
    m4_se: np.ndarray
    n_collisions: int
    n_rounds: int
    dt: float
    method: str
    model: str
    success: bool
    message: str


def _row_norms(a):
    """Euclidean norms of the rows of an (m, d) array, shape (m, 1).

    Summed column by column: the same rounding as ``np.linalg.norm(a, axis=1)``
    (a sequential sum over d <= 3 terms) at a fifth of its cost (an einsum is
    3x faster than linalg.norm but rounds differently).
    """
    s = a[:, 0] * a[:, 0]
    for k in range(1, a.shape[1]):
        s += a[:, k] * a[:, k]
    return np.sqrt(s)[:, None]


def _collide_pairs(V, i, j, gen):
    r"""Collide the disjoint pairs (V[i], V[j]) in place: the internal fast path of :func:`dsmc`.

    No input checks (:func:`dsmc` validates once); for ``d >= 2`` the
    sigma-rule of :func:`meanfield.kinetic.collide_sigma` with
    :math:`\sigma` uniform on the sphere (normalised Gaussian vectors, the
    draws of :func:`meanfield.utils.uniform_sphere`), same random stream.
    """
    m = i.size
    if m == 0:
        return
    d = V.shape[1]
    vi, vj = V[i], V[j]
    if d == 1:
        V[i], V[j] = _rotate(vi, vj, gen.uniform(0.0, 2 * np.pi, (m, 1)))
        return
    sigma = gen.standard_normal((m, d))
    sigma /= _row_norms(sigma)
    rel = vi - vj
    centre = vi
    centre += vj
    centre *= 0.5
    sigma *= 0.5 * _row_norms(rel)
    V[i] = centre + sigma
    V[j] = centre - sigma


def dsmc(v0, dt, n_steps, *, method="exact", rng=None, diagnostics_every=1) -> DSMCResult:
    r"""Direct simulation Monte Carlo of Kac's model (``d = 1``) or Maxwell molecules (``d = 2, 3``).

    Collision frequency 1 per particle (the normalisation of the module
    docstring): the particles sample :math:`f(t)/\rho` for the equations

    .. math::

        \partial_t f = \frac1{2\pi}\int_0^{2\pi}\!\!\int [f(v')f(w') - f(v)f(w)]\,dw\,d\theta
        \ \ (d=1),\qquad
        \partial_t f = \int\!\!\int_{S^{d-1}}\frac{f(v')f(v_*') - f(v)f(v_*)}{|S^{d-1}|}\,d\sigma\,dv_*
        \ \ (d=2,3).

    Every collision conserves the pair's energy (and, for ``d >= 2``,
    momentum) exactly up to rounding. Methods (module docstring, part 3):
    ``"exact"`` (Poisson clock, no time bias, ``dt`` only sets the output
    times), ``"nanbu"`` (collision probability :math:`\Delta t` per step,
    ``dt <= 1``, bias :math:`O(\Delta t)`), ``"exponential"`` (probability
    :math:`1 - e^{-\Delta t}`, still :math:`O(\Delta t)`). Odd ``N`` is handled.

    Parameters
    ----------
    v0 : array_like, shape (N, d)
        Initial velocities, :math:`N\ge2`, ``d`` in {1, 2, 3}. Not modified.
    dt : float
        Step (> 0).
    n_steps : int
        Number of steps (>= 1).
    method : {"exact", "nanbu", "exponential"}
    rng : None, int or numpy.random.Generator
    diagnostics_every : int
        Record momentum, energy and :math:`m_4` every this many steps (>= 1)
        and after the last one; the default 1 records every step (a record
        costs about a fifth of a step of :math:`10^6` collisions). The
        particles and the random stream do not depend on it.

    Returns
    -------
    DSMCResult

    Examples
    --------
    >>> v0 = make_bkw(1).sample(10_000, 3.5, rng=0)
    >>> res = dsmc(v0, 0.5, 4, rng=1)
    >>> bool(abs(res.energy[-1] - res.energy[0]) < 1e-12)
    True
    """
    V = np.array(v0, dtype=float)  # a copy
    if V.ndim != 2:
        raise ValueError(f"v0: expected an array of shape (N, d), got shape {V.shape}")
    N, d = V.shape
    _check_dim("v0", d)
    if N < 2:
        raise ValueError(f"v0: at least 2 particles are needed, got N = {N}")
    if not np.all(np.isfinite(V)):
        raise ValueError("v0: contains NaN or infinite entries")
    dt = check_positive("dt", dt)
    n_steps = check_int("n_steps", n_steps, 1)
    check_choice("method", method, _DSMC_METHODS)
    every = check_int("diagnostics_every", diagnostics_every, 1)
    gen = as_generator(rng)

    q = None
    if method != "exact":
        p = dt if method == "nanbu" else -np.expm1(-dt)
        n_pairs = N // 2
        q = p * N / (2 * n_pairs)  # pair probability: each particle collides with probability p
        if q > 1:
            limit = 2 * n_pairs / N
            bound = f"dt <= {limit:.6g}" if method == "nanbu" else f"dt <= {-np.log1p(-limit):.6g}"
            raise ValueError(f"dt: method {method!r} with N = {N} needs {bound} "
                             "(a collision probability <= 1 per step)")

    recorded = np.unique(np.r_[np.arange(0, n_steps + 1, every), n_steps])
    rows = recorded.size
    momentum, energy = np.empty((rows, d)), np.empty(rows)
    m4, m4_se = np.empty(rows), np.empty(rows)

    ones = np.ones(N)

    def record(k):  # BLAS reductions: a few ms for 10^6 particles
        r2 = np.einsum("ij,ij->i", V, V)
        momentum[k] = ones @ V / N
        energy[k] = 0.5 * (ones @ r2) / N
        r4 = r2 * r2
        s1 = ones @ r4
        m4[k] = s1 / N
        m4_se[k] = np.sqrt(max(r4 @ r4 - s1 * s1 / N, 0.0) / (N - 1) / N)

    record(0)
    n_coll, n_rounds, r = 0, 0, 1
    if method == "exact":
        sentinel = np.iinfo(np.int64).max
        first = np.full(N, sentinel, dtype=np.int64)
    for step in range(n_steps):  # a loop over time steps
        if method == "exact":
            pending = int(gen.poisson(0.5 * N * dt))
            n_coll += pending
            while pending:  # consecutive blocks of <= N collisions bound the memory
                K = min(pending, N)
                pending -= K
                I = gen.integers(0, N, K)
                J = (I + gen.integers(1, N, K)) % N  # a uniform partner != I
                while I.size:
                    order = np.arange(I.size)
                    np.minimum.at(first, I, order)
                    np.minimum.at(first, J, order)
                    ready = (first[I] == order) & (first[J] == order)  # no earlier pending collision
                    first[I] = sentinel
                    first[J] = sentinel
                    _collide_pairs(V, I[ready], J[ready], gen)
                    I, J = I[~ready], J[~ready]
                    n_rounds += 1
        else:
            K = int(gen.binomial(N // 2, q))
            idx = gen.choice(N, 2 * K, replace=False)
            _collide_pairs(V, idx[:K], idx[K:], gen)
            n_coll += K
            n_rounds += 1
        if step + 1 == recorded[r]:
            record(r)
            r += 1
    return DSMCResult(
        t=dt * recorded, v=V, momentum=momentum, energy=energy, m4=m4, m4_se=m4_se,
        n_collisions=n_coll, n_rounds=n_rounds, dt=dt, method=method,
        model="kac" if d == 1 else "maxwell", success=True,
        message=f"{n_steps} steps, {n_coll} collisions",
    )


# --- Entropy of particle data ------------------------------------------------------------------

@dataclass(frozen=True)
class EntropyEstimate:
    r"""Output of :func:`entropy_knn`.

    Attributes
    ----------
    value : float
        Estimate of :math:`H[f] = \int f\log f` (mass 1).
    se : float
        Approximate standard error: sample standard deviation of the
        per-particle terms :math:`d\log\varepsilon_i` over :math:`\sqrt N`
        (for ``k = 1`` about 10% below the true one).
    n, k, d : int
    """

    value: float
    se: float
    n: int
    k: int
    d: int


def entropy_knn(v, *, k=1) -> EntropyEstimate:
    r"""Kozachenko--Leonenko :math:`k`-nearest-neighbour estimator of :math:`H[f] = \int f\log f`.

    For samples :math:`v_1,\dots,v_N` of a probability density :math:`f` on
    :math:`\mathbb R^d` and :math:`\varepsilon_i` the distance from
    :math:`v_i` to its :math:`k`-th nearest neighbour,

    .. math::

        \hat H = -\Big[\psi(N) - \psi(k) + \log V_d
            + \frac dN\sum_{i=1}^N\log\varepsilon_i\Big],
        \qquad V_d = \frac{\pi^{d/2}}{\Gamma(d/2+1)},

    (:math:`\psi` the digamma function). It is consistent for every fixed
    :math:`k`. For smooth densities with Gaussian tails the bias is
    :math:`O((k/N)^{2/d})` up to logarithmic factors (Berrett, Samworth and
    Yuan 2019, in the module references): negligible against the noise in
    ``d = 1, 2``, dominant at small :math:`N` in ``d = 3``, where
    :math:`\hat H` overestimates :math:`H`. Measured on standard-Maxwellian
    samples with ``k = 1`` (see the tests): ``d = 3``: :math:`+0.023` at
    :math:`N = 10^3`, :math:`+0.004` at :math:`10^4`, :math:`+0.003\pm0.001`
    at :math:`10^5`; ``d = 1, 2``: below :math:`0.004` for :math:`N\ge10^3`
    and statistically zero for :math:`N\ge10^4`. Larger ``k`` lowers the
    variance and raises the bias. Uses :class:`scipy.spatial.KDTree`.

    The reported ``se`` (standard deviation of the per-particle terms over
    :math:`\sqrt N`) treats neighbour distances as independent; for ``k = 1``
    the true standard deviation is larger by a factor measured at 1.0--1.3
    (more for larger ``k``).

    Parameters
    ----------
    v : array_like, shape (N, d)
        Samples (``N > k``), no two equal.
    k : int
        Neighbour order (>= 1).

    Returns
    -------
    EntropyEstimate
    """
    v = np.asarray(v, dtype=float)
    if v.ndim != 2 or v.shape[1] < 1:
        raise ValueError(f"v: expected an array of shape (N, d), got shape {v.shape}")
    if not np.all(np.isfinite(v)):
        raise ValueError("v: contains NaN or infinite entries")
    k = check_int("k", k, 1)
    N, d = v.shape
    if N <= k:
        raise ValueError(f"v: need more than k = {k} samples, got N = {N}")
    eps = KDTree(v).query(v, k=[k + 1], workers=-1)[0][:, 0]
    if np.any(eps <= 0):
        raise ValueError(f"v: {int(np.sum(eps <= 0))} samples have a duplicate at distance 0; "
                         "the estimator needs distinct samples")
    terms = d * np.log(eps)
    log_vd = 0.5 * d * np.log(np.pi) - special.gammaln(0.5 * d + 1)
    value = -(special.digamma(N) - special.digamma(k) + log_vd + terms.mean())
    return EntropyEstimate(float(value), float(terms.std(ddof=1) / np.sqrt(N)), N, k, d)
