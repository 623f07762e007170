r"""Maxwellians, elastic binary collisions and the Boltzmann collision operator.

Conventions
-----------
Velocities are float arrays of shape ``(..., d)``; units with :math:`k_B/m = 1`.

**Maxwellian** with density :math:`\rho>0`, bulk velocity :math:`u\in\mathbb R^d`
and temperature :math:`T>0`:

.. math::

    M_{\rho,u,T}(v) = \frac{\rho}{(2\pi T)^{d/2}}
        \exp\Big(-\frac{|v-u|^2}{2T}\Big).

**Moments** of a density :math:`f`: mass :math:`\int f`, momentum
:math:`\int v f`, energy :math:`\tfrac12\int |v|^2 f` (so
:math:`M_{\rho,u,T}` has energy :math:`\tfrac12\rho(|u|^2 + dT)`).
**Entropy** :math:`H[f] = \int f\log f\,dv`.

**Collision operator** (spatially homogeneous, :math:`d = 3`):

.. math::

    Q(f,f)(v) = \int_{\mathbb R^3}\int_{S^2} B\,
        \big[f(v')f(v_*') - f(v)f(v_*)\big]\,d\omega\,dv_*,

where :math:`d\omega` is the surface measure on :math:`S^2` (total mass
:math:`4\pi`, *not* normalised to 1) and :math:`B \equiv 1` ("Maxwell-type"
kernel, independent of the relative speed). Two parametrisations of the
post-collisional velocities are available:

* ``representation="omega"``: :math:`v' = v - ((v-v_*)\cdot\omega)\,\omega`,
  :math:`v_*' = v_* + ((v-v_*)\cdot\omega)\,\omega`. Since :math:`\omega` and
  :math:`-\omega` give the same pair, every collision is counted twice.
* ``representation="sigma"``: :math:`v' = \tfrac{v+v_*}2 + \tfrac{|v-v_*|}2\sigma`,
  :math:`v_*' = \tfrac{v+v_*}2 - \tfrac{|v-v_*|}2\sigma`.

With :math:`k = (v-v_*)/|v-v_*|` the two are related by
:math:`\sigma = k - 2(k\cdot\omega)\omega` and :math:`d\sigma = 4|k\cdot\omega|\,d\omega`
on a hemisphere, so :math:`B_\sigma \equiv 1` is the kernel
:math:`B_\omega = 2|k\cdot\omega|` in the :math:`\omega`-form: the two choices
:math:`B\equiv 1` are **different** operators. Both have the same loss term
:math:`L(v) = 4\pi\rho f(v)` (collision frequency :math:`4\pi\rho`), and both
vanish on every Maxwellian, because :math:`|v'|^2+|v_*'|^2 = |v|^2+|v_*|^2`
and :math:`v'+v_*' = v+v_*` give :math:`M(v')M(v_*') = M(v)M(v_*)` pointwise.

References
----------
.. [1] C. Cercignani, *The Boltzmann Equation and Its Applications*,
   Springer, 1988.
.. [2] C. Villani, "A review of mathematical topics in collisional kinetic
   theory", *Handbook of Mathematical Fluid Dynamics* I, 2002.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import integrate, special

from .utils import (
    as_generator,
    check_choice,
    check_in_range,
    check_int,
    check_positive,
    check_vectors,
    uniform_sphere,
)

__all__ = [
    "maxwellian",
    "Moments",
    "maxwellian_moments",
    "maxwellian_entropy",
    "sample_maxwellian",
    "GaussianMixture",
    "make_maxwellian",
    "make_two_bump",
    "moments_quadrature",
    "entropy_quadrature",
    "collide",
    "collide_sigma",
    "omega_to_sigma",
    "CollisionEstimate",
    "collision_operator_mc",
    "gain_term_quadrature",
    "mean_free_path",
    "MeanFreePathEstimate",
    "mean_free_path_mc",
    "KernelRates",
    "kernel_rates",
    "MomentProduction",
    "weak_form_mc",
    "fourth_moment_production_mc",
]

_REPRESENTATIONS = ("omega", "sigma")


def _check_u(u, d):
    u = np.asarray(u, dtype=float)
    if u.ndim == 0:
        u = np.full(d, float(u))
    if u.shape != (d,):
        raise ValueError(f"u: expected shape ({d},) to match the velocity dimension, got {u.shape}")
    if not np.all(np.isfinite(u)):
        raise ValueError("u: contains NaN or infinite entries")
    return u


def maxwellian(v, rho=1.0, u=0.0, T=1.0):
    r"""Evaluate the Maxwellian :math:`M_{\rho,u,T}(v)` in dimension ``d = v.shape[-1]``.

    .. math::  M(v) = \rho\,(2\pi T)^{-d/2}\exp(-|v-u|^2/(2T))

    Parameters
    ----------
    v : array_like, shape (..., d)
        Velocities.
    rho : float
        Density (mass), > 0.
    u : float or array_like, shape (d,)
        Bulk velocity (a scalar is broadcast to every component).
    T : float
        Temperature, > 0.

    Returns
    -------
    ndarray, shape (...)

    Examples
    --------
    >>> float(maxwellian([0.0, 0.0, 0.0])) == (2 * np.pi) ** -1.5
    True
    """
    v = check_vectors("v", v)
    rho = check_positive("rho", rho)
    T = check_positive("T", T)
    d = v.shape[-1]
    u = _check_u(u, d)
    r2 = np.sum((v - u) ** 2, axis=-1)
    return rho * (2.0 * np.pi * T) ** (-d / 2) * np.exp(-r2 / (2.0 * T))


@dataclass(frozen=True)
class Moments:
    """Hydrodynamic moments of a velocity density.

    Attributes
    ----------
    mass : float
        :math:`\\int f\\,dv`.
    momentum : ndarray, shape (d,)
        :math:`\\int v f\\,dv`.
    energy : float
        :math:`\\tfrac12\\int |v|^2 f\\,dv`.
    """

    mass: float
    momentum: np.ndarray
    energy: float

    @property
    def velocity(self) -> np.ndarray:
        """Bulk velocity :math:`u = \\text{momentum}/\\text{mass}`."""
        return self.momentum / self.mass

    @property
    def temperature(self) -> float:
        """Temperature :math:`T = (2E/\\rho - |u|^2)/d`."""
        d = self.momentum.shape[0]
        return (2.0 * self.energy / self.mass - float(self.velocity @ self.velocity)) / d


def maxwellian_moments(rho=1.0, u=0.0, T=1.0, d=3) -> Moments:
    r"""Closed-form moments of :math:`M_{\rho,u,T}` in dimension ``d``.

    mass :math:`\rho`, momentum :math:`\rho u`, energy :math:`\tfrac12\rho(|u|^2+dT)`.
    """
    d = check_int("d", d, 1)
    rho = check_positive("rho", rho)
    T = check_positive("T", T)
    u = _check_u(u, d)
    return Moments(rho, rho * u, 0.5 * rho * (float(u @ u) + d * T))


def maxwellian_entropy(rho=1.0, T=1.0, d=3) -> float:
    r"""Closed-form entropy :math:`H[M] = \int M\log M\,dv` of a Maxwellian.

    .. math::  H[M_{\rho,u,T}] = \rho\log\rho - \tfrac d2\,\rho\,\big(\log(2\pi T) + 1\big)

    (independent of :math:`u`).
    """
    d = check_int("d", d, 1)
    rho = check_positive("rho", rho)
    T = check_positive("T", T)
    return rho * np.log(rho) - 0.5 * d * rho * (np.log(2.0 * np.pi * T) + 1.0)


def sample_maxwellian(n, *, u=0.0, T=1.0, d=3, rng=None) -> np.ndarray:
    """Draw ``n`` velocities from the normalised Maxwellian :math:`M_{1,u,T}`.

    Returns
    -------
    ndarray, shape (n, d)
    """
    n = check_int("n", n, 1)
    d = check_int("d", d, 1)
    T = check_positive("T", T)
    u = _check_u(u, d)
    return u + np.sqrt(T) * as_generator(rng).standard_normal((n, d))


@dataclass(frozen=True)
class GaussianMixture:
    r"""A velocity density :math:`f = \sum_k w_k\,M_{1,\mu_k,T_k}` (isotropic components).

    Mixtures of Maxwellians are the book's standard non-equilibrium data:
    they are explicit, easy to sample, and their projections on lines and
    planes are Gaussian, which gives the collision operator's gain term in
    closed form up to one integral over the sphere
    (:func:`gain_term_quadrature`).

    Parameters
    ----------
    weights : array_like, shape (K,)
        Component masses :math:`w_k > 0` (the total mass is their sum).
    means : array_like, shape (K, d)
        Component bulk velocities :math:`\mu_k`.
    temperatures : array_like, shape (K,)
        Component temperatures :math:`T_k > 0`.
    """

    weights: np.ndarray
    means: np.ndarray
    temperatures: np.ndarray

    def __post_init__(self):
        w = np.atleast_1d(np.asarray(self.weights, dtype=float))
        mu = np.asarray(self.means, dtype=float)
        T = np.atleast_1d(np.asarray(self.temperatures, dtype=float))
        if w.ndim != 1 or w.size < 1:
            raise ValueError(f"weights: expected a non-empty 1-D array, got shape {w.shape}")
        if mu.ndim != 2 or mu.shape[0] != w.size:
            raise ValueError(f"means: expected shape ({w.size}, d), got {mu.shape}")
        if T.shape != w.shape:
            raise ValueError(f"temperatures: expected shape {w.shape}, got {T.shape}")
        for name, arr in (("weights", w), ("means", mu), ("temperatures", T)):
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"{name}: contains NaN or infinite entries")
        if np.any(w <= 0):
            raise ValueError("weights: every weight must be > 0")
        if np.any(T <= 0):
            raise ValueError("temperatures: every temperature must be > 0")
        object.__setattr__(self, "weights", w)
        object.__setattr__(self, "means", mu)
        object.__setattr__(self, "temperatures", T)

    @property
    def d(self) -> int:
        """Velocity dimension."""
        return self.means.shape[1]

    def __call__(self, v):
        """Evaluate the density at ``v`` of shape ``(..., d)``."""
        v = check_vectors("v", v, self.d)
        r2 = np.sum((v[..., None, :] - self.means) ** 2, axis=-1)  # (..., K)
        T = self.temperatures
        return np.sum(self.weights * (2 * np.pi * T) ** (-self.d / 2) * np.exp(-r2 / (2 * T)), axis=-1)

    def moments(self) -> Moments:
        """Closed-form mass, momentum and energy."""
        w, mu, T = self.weights, self.means, self.temperatures
        energy = 0.5 * float(np.sum(w * (np.sum(mu**2, axis=1) + self.d * T)))
        return Moments(float(w.sum()), w @ mu, energy)

    def sample(self, n, *, rng=None) -> np.ndarray:
        """Draw ``n`` velocities from :math:`f/\\int f`; shape ``(n, d)``."""
        n = check_int("n", n, 1)
        gen = as_generator(rng)
        k = gen.choice(self.weights.size, size=n, p=self.weights / self.weights.sum())
        z = gen.standard_normal((n, self.d))
        return self.means[k] + np.sqrt(self.temperatures[k])[:, None] * z

    def line_marginal(self, omega, s):
        r"""Projection of :math:`f` on the line :math:`\mathbb R\omega`, evaluated at :math:`s`.

        :math:`\int_{\omega^\perp} f(s\omega + y)\,dy` for unit ``omega``
        (shape ``(..., d)``) and ``s`` broadcastable to ``omega.shape[:-1]``.
        """
        mu_s = omega @ self.means.T  # (..., K)
        T = self.temperatures
        z = np.asarray(s)[..., None] - mu_s
        return np.sum(self.weights * np.exp(-(z**2) / (2 * T)) / np.sqrt(2 * np.pi * T), axis=-1)

    def plane_marginal(self, omega, v):
        r"""Projection of :math:`f` on the hyperplane :math:`\omega^\perp`, at the foot of ``v``.

        :math:`\int_{\mathbb R} f(P_\omega^\perp v + s\omega)\,ds` with
        :math:`P^\perp_\omega = I - \omega\omega^\top`.
        """
        T = self.temperatures
        diff = v[..., None, :] - self.means  # (..., K, d)
        along = np.sum(diff * omega[..., None, :], axis=-1)  # (..., K)
        perp2 = np.sum(diff**2, axis=-1) - along**2
        return np.sum(
            self.weights * (2 * np.pi * T) ** (-(self.d - 1) / 2) * np.exp(-perp2 / (2 * T)), axis=-1
        )


def make_maxwellian(rho=1.0, u=0.0, T=1.0, d=3) -> GaussianMixture:
    """The Maxwellian :math:`M_{\\rho,u,T}` as a one-component :class:`GaussianMixture`."""
    d = check_int("d", d, 1)
    rho = check_positive("rho", rho)
    T = check_positive("T", T)
    return GaussianMixture([rho], _check_u(u, d)[None, :], [T])


def make_two_bump(a, d=3) -> GaussianMixture:
    r"""Two-bump density with the moments of the standard Maxwellian.

    .. math::

        f_a = \tfrac12 M_{1, a e_1, s^2} + \tfrac12 M_{1,-a e_1, s^2},
        \qquad s^2 = 1 - a^2/d,

    has mass 1, momentum 0 and energy :math:`d/2`, exactly those of
    :math:`M = M_{1,0,1}`; :math:`a = 0` gives :math:`M` itself.

    Parameters
    ----------
    a : float
        Half-distance between the bumps, :math:`0 \le a < \sqrt d`.
    d : int
        Velocity dimension.
    """
    d = check_int("d", d, 1)
    a = check_in_range("a", a, 0.0, np.sqrt(d))
    means = np.zeros((2, d))
    means[0, 0], means[1, 0] = a, -a
    s2 = 1.0 - a * a / d
    return GaussianMixture([0.5, 0.5], means, [s2, s2])


def _hermite_grid(d, n_nodes, scale, center):
    x, w = special.roots_hermitenorm(n_nodes)  # weight exp(-x^2/2)
    grids = np.meshgrid(*([x] * d), indexing="ij")
    pts = np.stack([g.ravel() for g in grids], axis=-1)
    wts = np.prod(np.meshgrid(*([w] * d), indexing="ij"), axis=0).ravel()
    wts = wts * np.exp(0.5 * np.sum(pts**2, axis=1)) * scale**d
    return center + scale * pts, wts


def _quad_setup(d, n_nodes, scale, center):
    d = check_int("d", d, 1)
    n_nodes = check_int("n_nodes", n_nodes, 2)
    scale = check_positive("scale", scale)
    center = _check_u(center, d)
    if n_nodes**d > 2_000_000:
        raise ValueError(f"n_nodes: n_nodes**d must be <= 2e6 (got {n_nodes}**{d})")
    return _hermite_grid(d, n_nodes, scale, center)


def moments_quadrature(f, d=3, *, n_nodes=48, scale=1.0, center=0.0) -> Moments:
    r"""Moments of a density ``f`` by tensor Gauss--Hermite quadrature.

    The rule integrates :math:`g(v)=f(v)e^{|v-c|^2/(2s^2)}` against the
    Gaussian weight :math:`e^{-|v-c|^2/(2s^2)}`, with nodes from
    :func:`scipy.special.roots_hermitenorm`; it converges fast when ``f``
    decays like a Gaussian of variance smaller than ``scale**2``.

    Parameters
    ----------
    f : callable
        Density, vectorised over arrays of shape ``(m, d)``.
    d : int
        Dimension.
    n_nodes : int
        Nodes per axis (``n_nodes**d`` evaluations).
    scale, center : float, array_like
        Scale :math:`s` and centre :math:`c` of the weight.
    """
    pts, wts = _quad_setup(d, n_nodes, scale, center)
    fv = wts * f(pts)
    return Moments(float(fv.sum()), fv @ pts, 0.5 * float(fv @ np.sum(pts**2, axis=1)))


def entropy_quadrature(f, d=3, *, n_nodes=48, scale=1.0, center=0.0) -> float:
    r""":math:`H[f] = \int f\log f\,dv` by tensor Gauss--Hermite quadrature.

    Same rule as :func:`moments_quadrature`; points where ``f`` underflows
    to 0 contribute 0 (:math:`0\log 0 = 0`).
    """
    pts, wts = _quad_setup(d, n_nodes, scale, center)
    fv = f(pts)
    if np.any(fv < 0):
        raise ValueError("f: the density takes negative values")
    return float(wts @ special.xlogy(fv, fv))


def collide(v, v_star, omega):
    r"""Post-collisional velocities in the :math:`\omega`-representation.

    .. math::

        v' = v - ((v-v_*)\cdot\omega)\,\omega, \qquad
        v_*' = v_* + ((v-v_*)\cdot\omega)\,\omega.

    Momentum :math:`v+v_*` and energy :math:`|v|^2+|v_*|^2` are conserved
    exactly (up to rounding) for every unit :math:`\omega`.

    Parameters
    ----------
    v, v_star : array_like, shape (..., d)
        Pre-collisional velocities (broadcastable).
    omega : array_like, shape (..., d)
        Unit vectors (norm 1 within ``1e-10``).

    Returns
    -------
    v_prime, v_star_prime : ndarray
    """
    v = check_vectors("v", v)
    d = v.shape[-1]
    v_star = check_vectors("v_star", v_star, d)
    omega = _check_unit("omega", omega, d)
    proj = np.sum((v - v_star) * omega, axis=-1, keepdims=True) * omega
    return v - proj, v_star + proj


def collide_sigma(v, v_star, sigma):
    r"""Post-collisional velocities in the :math:`\sigma`-representation.

    .. math::

        v' = \frac{v+v_*}2 + \frac{|v-v_*|}2\,\sigma, \qquad
        v_*' = \frac{v+v_*}2 - \frac{|v-v_*|}2\,\sigma.
    """
    v = check_vectors("v", v)
    d = v.shape[-1]
    v_star = check_vectors("v_star", v_star, d)
    sigma = _check_unit("sigma", sigma, d)
    centre = 0.5 * (v + v_star)
    half = 0.5 * np.linalg.norm(v - v_star, axis=-1, keepdims=True) * sigma
    return centre + half, centre - half


def omega_to_sigma(v, v_star, omega):
    r"""The :math:`\sigma` giving the same collision as ``omega``: :math:`\sigma = k - 2(k\cdot\omega)\omega`.

    :math:`k = (v-v_*)/|v-v_*|` (``v != v_star`` required).
    """
    v = check_vectors("v", v)
    d = v.shape[-1]
    v_star = check_vectors("v_star", v_star, d)
    omega = _check_unit("omega", omega, d)
    rel = v - v_star
    norm = np.linalg.norm(rel, axis=-1, keepdims=True)
    if np.any(norm == 0):
        raise ValueError("v, v_star: the relative velocity must be non-zero to define sigma")
    k = rel / norm
    return k - 2 * np.sum(k * omega, axis=-1, keepdims=True) * omega


def _check_unit(name, omega, d):
    omega = check_vectors(name, omega, d)
    err = np.max(np.abs(np.linalg.norm(omega, axis=-1) - 1.0))
    if err > 1e-10:
        raise ValueError(f"{name}: every vector must have unit norm (max | |{name}| - 1 | = {err:.3g})")
    return omega


@dataclass(frozen=True)
class CollisionEstimate:
    r"""Monte-Carlo estimate of :math:`Q(f,f)(v) = G(v) - L(v)`.

    Arrays have the shape of the velocity batch (``v.shape[:-1]``).

    Attributes
    ----------
    v : ndarray, shape (..., 3)
        Velocities at which :math:`Q` is estimated.
    gain, loss, q : ndarray
        Estimates of the gain term :math:`G`, the loss term :math:`L` and
        :math:`Q = G - L` (same samples, so :math:`q` = gain - loss exactly).
    gain_se, loss_se, q_se : ndarray
        Their standard errors (sample standard deviation / sqrt(n)).
    n_samples : int
        Number of :math:`(v_*,\omega)` samples.
    representation : str
        ``"omega"`` or ``"sigma"`` (see the module docstring).
    """

    v: np.ndarray
    gain: np.ndarray
    loss: np.ndarray
    q: np.ndarray
    gain_se: np.ndarray
    loss_se: np.ndarray
    q_se: np.ndarray
    n_samples: int
    representation: str


def collision_operator_mc(
    f, v, *, n_samples=10_000, rng=None, representation="omega", proposal_T=2.0, proposal_mean=0.0
) -> CollisionEstimate:
    r"""Monte-Carlo estimator of the collision operator :math:`Q(f,f)(v)` for :math:`B \equiv 1`, :math:`d = 3`.

    Draw :math:`v_*^{(j)} \sim g = M_{1,m,T_p}` (the proposal) and
    :math:`\omega^{(j)}` uniform on :math:`S^2` (density :math:`1/(4\pi)`
    with respect to :math:`d\omega`); then

    .. math::

        Q(f,f)(v) \approx \frac1n\sum_{j=1}^n \frac{4\pi}{g(v_*^{(j)})}
            \big[f(v'^{(j)})f(v_*'^{(j)}) - f(v)f(v_*^{(j)})\big]

    is unbiased, and its two parts estimate the gain and the loss term
    (:math:`L(v) = 4\pi\rho f(v)` exactly). The same samples serve every
    velocity of the batch (common random numbers: curves come out smooth,
    and for a Maxwellian the bracket vanishes sample by sample).
    The variance is finite when :math:`T_p` exceeds half the largest
    temperature present in ``f``.

    Parameters
    ----------
    f : callable
        Density on :math:`\mathbb R^3`, vectorised over arrays of shape ``(..., 3)``.
    v : array_like, shape (3,) or (m, 3)
        Velocities at which to estimate :math:`Q`.
    n_samples : int
        Number of samples, >= 2.
    rng : None, int or numpy.random.Generator
        Random source.
    representation : {"omega", "sigma"}
        Parametrisation of the post-collisional velocities; :math:`B\equiv 1`
        in that parametrisation, with the surface measure (mass :math:`4\pi`).
    proposal_T, proposal_mean : float, array_like
        Temperature and mean of the Gaussian proposal for :math:`v_*`.

    Returns
    -------
    CollisionEstimate
    """
    v = check_vectors("v", v, 3)
    n_samples = check_int("n_samples", n_samples, 2)
    check_choice("representation", representation, _REPRESENTATIONS)
    proposal_T = check_positive("proposal_T", proposal_T)
    mean = _check_u(proposal_mean, 3)
    gen = as_generator(rng)

    v_star = mean + np.sqrt(proposal_T) * gen.standard_normal((n_samples, 3))
    unit = gen.standard_normal((n_samples, 3))
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    g = maxwellian(v_star, 1.0, mean, proposal_T)
    f_star = _eval_density(f, v_star)

    batch = v.reshape(-1, 3)
    # keep the (chunk, n, 3) temporaries below ~48 MB
    chunk = max(1, 2_000_000 // n_samples)
    gains, losses, qs = [], [], []
    for start in range(0, batch.shape[0], chunk):
        vb = batch[start : start + chunk, None, :]  # (c, 1, 3)
        if representation == "omega":
            vp, vsp = collide(vb, v_star, unit)
        else:
            vp, vsp = collide_sigma(vb, v_star, unit)
        gain_s = 4 * np.pi * _eval_density(f, vp) * _eval_density(f, vsp) / g
        loss_s = 4 * np.pi * _eval_density(f, vb[:, 0, :])[:, None] * f_star / g
        gains.append(gain_s)
        losses.append(loss_s)
        qs.append(gain_s - loss_s)

    def mean_se(parts):
        arr = np.concatenate(parts, axis=0)
        return (arr.mean(axis=1).reshape(v.shape[:-1]),
                (arr.std(axis=1, ddof=1) / np.sqrt(n_samples)).reshape(v.shape[:-1]))

    (gm, gse), (lm, lse), (qm, qse) = mean_se(gains), mean_se(losses), mean_se(qs)
    return CollisionEstimate(v, gm, lm, qm, gse, lse, qse, n_samples, representation)


def _eval_density(f, x):
    out = np.asarray(f(x), dtype=float)
    if out.shape != x.shape[:-1]:
        raise ValueError(f"f: must map arrays of shape (..., 3) to shape (...); got {out.shape} for input {x.shape}")
    if not np.all(np.isfinite(out)) or np.any(out < 0):
        raise ValueError("f: returned negative, NaN or infinite values")
    return out


def gain_term_quadrature(f: GaussianMixture, v, *, order=41) -> np.ndarray:
    r"""Gain term of :math:`Q(f,f)` for :math:`B_\omega \equiv 1` by a deterministic route.

    For fixed :math:`\omega` the map :math:`v_* \mapsto (v', v_*')` splits
    :math:`v_* = s\omega + y` (:math:`y\perp\omega`) into
    :math:`v' = P^\perp_\omega v + s\omega` and
    :math:`v_*' = y + (\omega\cdot v)\,\omega`, so the :math:`v_*`-integral
    factorises into projections of :math:`f`:

    .. math::

        G(v) = \int_{S^2} (\Pi^\perp_\omega f)(P^\perp_\omega v)\;
                (\Pi_\omega f)(\omega\cdot v)\,d\omega,

    with :math:`\Pi_\omega f` the marginal on the line :math:`\mathbb R\omega`
    and :math:`\Pi^\perp_\omega f` the marginal on the plane
    :math:`\omega^\perp` (Gaussian in closed form for a
    :class:`GaussianMixture`). The sphere integral uses the Lebedev rule
    :func:`scipy.integrate.lebedev_rule` of the given ``order``. For a
    Maxwellian the integrand is :math:`M(v)` for every :math:`\omega`, so
    :math:`G = 4\pi M = L`.

    Parameters
    ----------
    f : GaussianMixture
        Density in dimension 3.
    v : array_like, shape (..., 3)
    order : int
        Lebedev order (3, 5, ..., 131; see scipy).

    Returns
    -------
    ndarray, shape v.shape[:-1]
    """
    if not isinstance(f, GaussianMixture):
        raise TypeError(f"f: expected a GaussianMixture, got {type(f).__name__}")
    if f.d != 3:
        raise ValueError(f"f: the collision operator is implemented for d = 3, got d = {f.d}")
    v = check_vectors("v", v, 3)
    order = check_int("order", order, 3)
    try:
        nodes, weights = integrate.lebedev_rule(order)
    except (ValueError, NotImplementedError) as exc:
        raise ValueError(f"order: not an available Lebedev order ({exc})") from None
    omega = nodes.T  # (m, 3)
    batch = v.reshape(-1, 3)
    out = np.empty(batch.shape[0])
    chunk = max(1, 200_000 // (omega.shape[0] * f.weights.size))  # bound the temporaries
    for start in range(0, batch.shape[0], chunk):
        vb = batch[start : start + chunk, None, :]  # (c, 1, 3)
        s = np.sum(vb * omega, axis=-1)  # (c, m)
        om = np.broadcast_to(omega, s.shape + (3,))
        integrand = f.plane_marginal(om, np.broadcast_to(vb, s.shape + (3,))) * f.line_marginal(om, s)
        out[start : start + chunk] = integrand @ weights
    return out.reshape(v.shape[:-1])


def mean_free_path(density, radius, d=3) -> float:
    r"""Mean free path of a point moving among fixed spheres (Lorentz gas).

    A particle of radius :math:`r` hits a fixed one of radius :math:`r` when
    their centres come within :math:`2r`; for Poisson-distributed centres
    of number density :math:`n` the free flight is exponential with mean

    .. math::  \ell = \frac{1}{n\,|B^{d-1}_{2r}|}, \qquad d = 3:\ \ell = \frac{1}{4\pi n r^2}.

    The Boltzmann--Grad scaling keeps :math:`n r^{d-1}` (in 3D :math:`N r^2`
    in a unit volume) fixed, hence :math:`\ell` fixed, while the volume
    fraction :math:`n|B^d_r|` tends to 0.
    """
    density = check_positive("density", density)
    radius = check_positive("radius", radius)
    d = check_int("d", d, 2)
    ball = np.pi ** ((d - 1) / 2) / special.gamma((d - 1) / 2 + 1) * (2 * radius) ** (d - 1)
    return 1.0 / (density * ball)


@dataclass(frozen=True)
class MeanFreePathEstimate:
    """Monte-Carlo free-flight statistics (see :func:`mean_free_path_mc`).

    Attributes
    ----------
    mean, se : float
        Mean free path and its standard error (from independent batches of
        8 rays that share one configuration).
    volume_fraction : float
        Fraction of space covered by the spheres, :math:`1 - e^{-n|B_r|}`.
    n_rays, n_spheres : int
        Rays traced (at least the number asked for) and scatterers placed
        (over all configurations).
    """

    mean: float
    se: float
    volume_fraction: float
    n_rays: int
    n_spheres: int


def mean_free_path_mc(density, radius, *, n_rays=400, rng=None) -> MeanFreePathEstimate:
    r"""Trace rays through Poisson-distributed spheres in 3D and measure the free flight.

    Centres are placed in a cube of half-width
    :math:`9\,\ell` (:math:`\ell` from :func:`mean_free_path`), a new
    configuration for each batch of rays; the rays of a batch, vectorised
    over all spheres, start
    at uniform points of the central cube of half-width :math:`\ell` that lie
    outside every sphere, go in uniform directions, and stop at the first
    centre within distance :math:`2r` of the path. Escaping the box has
    probability :math:`< e^{-8}`; such rays are counted at the box.

    Parameters
    ----------
    density : float
        Number density :math:`n` of the scatterers.
    radius : float
        Radius :math:`r` of every sphere (collision distance :math:`2r`).
    n_rays : int
        Number of rays.
    rng : None, int or numpy.random.Generator
    """
    density = check_positive("density", density)
    radius = check_positive("radius", radius)
    n_rays = check_int("n_rays", n_rays, 2)
    gen = as_generator(rng)
    ell = mean_free_path(density, radius)
    half = 9.0 * ell
    expected = density * (2 * half) ** 3
    if expected > 1e6:
        raise ValueError(
            f"density, radius: about {expected:.3g} spheres would be needed; keep "
            "density * (18 * mean_free_path)**3 <= 1e6"
        )
    hit_r2 = (2.0 * radius) ** 2
    batch = 8
    lengths, batch_means, n_spheres, attempts = [], [], 0, 0
    while len(lengths) < n_rays:
        # a fresh Poisson configuration per batch of rays, each batch vectorised over all spheres
        attempts += batch
        if attempts > 50 * n_rays:
            raise ValueError("density, radius: the spheres fill almost all space; no free start found")
        centres = gen.uniform(-half, half, size=(int(gen.poisson(expected)), 3))
        n_spheres += len(centres)
        start = gen.uniform(-ell, ell, size=(batch, 3))
        e = gen.standard_normal((batch, 3))
        e /= np.linalg.norm(e, axis=1, keepdims=True)
        dist2 = np.sum(centres**2, axis=1)[:, None] - 2.0 * centres @ start.T + np.sum(start**2, axis=1)
        t_par = centres @ e.T - np.sum(start * e, axis=1)  # (N, B)
        perp2 = dist2 - t_par**2
        free = ~np.any(dist2 < hit_r2, axis=0)  # starts inside a sphere are not free starts
        ahead = (perp2 < hit_r2) & (t_par > 0)
        t_hit = np.where(ahead, t_par - np.sqrt(np.where(ahead, hit_r2 - perp2, 0.0)), half)
        got = np.minimum(t_hit.min(axis=0), half)[free]
        if got.size:
            lengths.extend(got.tolist())
            batch_means.append((got.sum(), got.size))
    sums, counts = np.array(batch_means).T
    mean = sums.sum() / counts.sum()
    # rays of one batch share a configuration: the standard error comes from
    # the (independent) batches, as a ratio estimator
    k = len(counts)
    se = np.sqrt(np.sum((sums - mean * counts) ** 2) / (k - 1) / k) / counts.mean() if k > 1 else np.inf
    frac = 1.0 - np.exp(-density * 4.0 / 3.0 * np.pi * radius**3)
    return MeanFreePathEstimate(float(mean), float(se), float(frac), len(lengths), n_spheres)


# --- Which Maxwell kernel? Deflection statistics and relaxation rates --------------------------

@dataclass(frozen=True)
class KernelRates:
    r"""Relaxation rates of a Maxwell kernel normalised to collision frequency 1 (:func:`kernel_rates`).

    Attributes
    ----------
    representation : str
        ``"sigma"`` (:math:`\sigma` uniform on :math:`S^2`) or ``"omega"``
        (:math:`\omega` uniform on :math:`S^2`).
    mean_sin2 : float
        :math:`\langle\sin^2\chi\rangle`, :math:`\chi` the deflection angle
        (:math:`\cos\chi = k\cdot\sigma`, :math:`k = (v-v_*)/|v-v_*|`).
    m4_rate : float
        :math:`\tfrac12\langle\sin^2\chi\rangle`: for isotropic data
        :math:`\frac{d}{dt}(m_4 - m_4^\infty) = -\text{m4\_rate}\,(m_4 - m_4^\infty)`.
    bkw_rate : float
        :math:`\lambda = \tfrac14\langle\sin^2\chi\rangle`: the BKW solution has
        :math:`1 - K(t) = e^{-\lambda t}` and :math:`m_4 - 15 \propto e^{-2\lambda t}`.
    """

    representation: str
    mean_sin2: float
    m4_rate: float
    bkw_rate: float


def kernel_rates(representation="sigma") -> KernelRates:
    r"""Deflection statistics and BKW rate of the two constant 3D Maxwell kernels, collision frequency 1.

    * ``"sigma"``: :math:`B_\sigma = 1/(4\pi)`, i.e. :math:`\sigma` uniform on
      :math:`S^2` (the kernel of :mod:`meanfield.boltzmann`). Then
      :math:`\cos\chi = k\cdot\sigma` is uniform on :math:`[-1, 1]`.
    * ``"omega"``: :math:`B_\omega = 1/(4\pi)`, i.e. :math:`\omega` uniform on
      :math:`S^2`: the operator of this module with :math:`B_\omega\equiv1`
      (collision frequency :math:`4\pi`) divided by :math:`4\pi`. With
      :math:`c = k\cdot\omega` uniform on :math:`[-1,1]`,
      :math:`\sigma = k - 2c\,\omega` gives :math:`\cos\chi = 1 - 2c^2`, so
      :math:`\sin^2\chi = 4c^2 - 4c^4`.

    Both integrals are computed by :func:`scipy.integrate.quad` (closed forms
    :math:`\tfrac23` and :math:`\tfrac43 - \tfrac45 = \tfrac8{15}`).

    **Fourth moment.** With :math:`c = (v+v_*)/2`, :math:`u = v - v_*`,
    :math:`v', v_*' = c \pm \tfrac{|u|}2\sigma` and
    :math:`\sigma = \cos\chi\,k + \sin\chi\,e` (:math:`e\perp k` uniform),
    the pair's change of :math:`|v|^4 + |v_*|^4` averages to
    :math:`2|u|^2\langle\sin^2\chi\rangle\,(\tfrac12|c_\perp|^2 - (c\cdot k)^2)`;
    for independent isotropic :math:`v, v_*` this gives
    :math:`\frac{d}{dt}m_4 = -\tfrac12\langle\sin^2\chi\rangle\,(m_4 - \tfrac53 m_2^2)`
    with :math:`\tfrac53 m_2^2 = 15T^2 = m_4^\infty`. The BKW solution has
    :math:`m_4 = 15(1 - (1-K)^2)`, hence :math:`\lambda = \tfrac14\langle\sin^2\chi\rangle`:
    :math:`\tfrac16` for ``"sigma"``, :math:`\tfrac2{15}` for ``"omega"``.

    Examples
    --------
    >>> round(kernel_rates("sigma").bkw_rate * 6, 12), round(kernel_rates("omega").bkw_rate * 15 / 2, 12)
    (1.0, 1.0)
    """
    check_choice("representation", representation, _REPRESENTATIONS)
    if representation == "sigma":
        sin2 = lambda c: 1.0 - c**2  # noqa: E731  (cos chi = c uniform on [-1, 1])
    else:
        sin2 = lambda c: 1.0 - (1.0 - 2.0 * c**2) ** 2  # noqa: E731
    mean = 0.5 * integrate.quad(sin2, -1.0, 1.0, epsabs=1e-14)[0]
    return KernelRates(representation, float(mean), float(mean / 2), float(mean / 4))


@dataclass(frozen=True)
class MomentProduction:
    r"""Monte-Carlo estimate of :math:`\int Q(f,f)\,|v|^4\,dv` (:func:`fourth_moment_production_mc`).

    Attributes
    ----------
    value, se : float
        Estimate and standard error.
    n_pairs : int
    representation : str
    """

    value: float
    se: float
    n_pairs: int
    representation: str


def weak_form_mc(v, phi, *, representation="sigma", rng=None) -> MomentProduction:
    r"""Estimate :math:`\int Q(f,f)\,\varphi\,dv` from samples of :math:`f`, collision frequency 1.

    The weak form (pre/post-collisional and particle-exchange symmetries)

    .. math::

        \int Q(f,f)\varphi\,dv = \frac12\iint f f_*\,
            \big\langle\varphi(v') + \varphi(v_*') - \varphi(v) - \varphi(v_*)\big\rangle\,dv\,dv_*

    is estimated with independent pairs (the samples are split in two
    halves), each colliding once with :math:`\sigma` (``"sigma"``) or
    :math:`\omega` (``"omega"``) uniform on :math:`S^2`. For the collision
    invariants :math:`\varphi = 1, v_i, |v|^2` every pair's bracket is zero
    up to rounding. Multiply by :math:`4\pi` for the operators with
    :math:`B\equiv1` of the module docstring.

    Parameters
    ----------
    v : array_like, shape (N, 3)
        Samples of :math:`f` (a probability density), :math:`N\ge4`.
    phi : callable
        Maps arrays of shape ``(n, 3)`` to shape ``(n,)``.
    representation : {"sigma", "omega"}
    rng : None, int or numpy.random.Generator

    Returns
    -------
    MomentProduction
    """
    v = check_vectors("v", v, 3)
    if v.ndim != 2 or v.shape[0] < 4:
        raise ValueError(f"v: expected an array of shape (N, 3) with N >= 4, got shape {v.shape}")
    if not callable(phi):
        raise TypeError("phi: expected a callable mapping arrays of shape (n, 3) to (n,)")
    check_choice("representation", representation, _REPRESENTATIONS)
    gen = as_generator(rng)
    n = v.shape[0] // 2
    a, b = v[:n], v[n : 2 * n]
    unit = uniform_sphere(n, 3, rng=gen)
    a2, b2 = (collide_sigma(a, b, unit) if representation == "sigma" else collide(a, b, unit))
    x = 0.5 * (np.asarray(phi(a2), dtype=float) + phi(b2) - phi(a) - phi(b))
    if x.shape != (n,):
        raise ValueError(f"phi: must return shape (n,) for input (n, 3), got {x.shape}")
    return MomentProduction(float(x.mean()), float(x.std(ddof=1) / np.sqrt(n)), n, representation)


def fourth_moment_production_mc(v, *, representation="sigma", rng=None) -> MomentProduction:
    r"""Estimate :math:`\int Q(f,f)|v|^4\,dv` from samples of :math:`f`, collision frequency 1.

    :func:`weak_form_mc` with :math:`\varphi = |v|^4`. A second route to
    :func:`kernel_rates`: for isotropic samples it is close to
    :math:`-\text{m4\_rate}\,(m_4 - \tfrac53 m_2^2)`.

    Parameters
    ----------
    v : array_like, shape (N, 3)
        Samples of :math:`f` (probability density), :math:`N\ge4`.
    representation : {"sigma", "omega"}
    rng : None, int or numpy.random.Generator
    """
    return weak_form_mc(v, lambda x: np.sum(x * x, axis=-1) ** 2, representation=representation, rng=rng)
