r"""Quadratic optimal transport: Wasserstein distances, maps and geodesics.

Conventions
-----------
Measures are **probability** measures (mass 1): :math:`W_2` between measures
of another mass is not the distance of the book, and a density such as the
section's :math:`\tfrac12\mathbf 1_{[0,1]}` (mass 1/2) is rejected with a
``ValueError`` rather than silently renormalised.

.. math::

    W_2^2(\mu,\nu) = \inf_{\gamma\in\Pi(\mu,\nu)} \int |x-y|^2\,d\gamma(x,y).

* **On the line** the optimal plan is the monotone rearrangement, so with
  quantile functions :math:`F^{-1}`

  .. math::  W_2^2(\mu,\nu) = \int_0^1 |F_\mu^{-1}(u) - F_\nu^{-1}(u)|^2\,du,

  the optimal map is :math:`T = F_\nu^{-1}\circ F_\mu` (for :math:`\mu`
  without atoms) and McCann's displacement interpolation
  :math:`\mu_t = ((1-t)\,\mathrm{id} + tT)_\#\mu` has quantile function
  :math:`(1-t)F_\mu^{-1} + tF_\nu^{-1}` [1]_, [3]_.
* **Gaussians** in :math:`\mathbb R^d` (Bures--Wasserstein):
  :math:`W_2^2 = |m_0-m_1|^2 + \operatorname{tr}\big(\Sigma_0+\Sigma_1
  - 2(\Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2})^{1/2}\big)`; in 1D,
  :math:`(m_0-m_1)^2 + (\sigma_0-\sigma_1)^2` with standard deviations.
* **Empirical measures** are handled by POT: ``ot.emd2`` (exact linear
  program, any dimension) and ``ot.wasserstein_1d`` (sorting).

References
----------
.. [1] C. Villani, *Topics in Optimal Transportation*, AMS, 2003.
.. [2] J.-D. Benamou and Y. Brenier, Numer. Math. 84 (2000) 375--393.
.. [3] R. J. McCann, Adv. Math. 128 (1997) 153--179.
.. [4] R. Flamary et al., POT: Python Optimal Transport, JMLR 22 (2021).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import ot
from scipy import integrate, linalg, stats

from .utils import as_generator, check_choice, check_in_range, check_int, check_positive

__all__ = [
    "Law1D",
    "uniform",
    "gaussian",
    "dirac",
    "gaussian_mixture",
    "from_histogram",
    "from_scipy",
    "w2_dirac",
    "w2_1d",
    "w2_gaussian",
    "w2_gaussian_pot",
    "gaussian_map_matrix",
    "w2_uniform",
    "w2_uniform_gaussian",
    "w2_empirical",
    "optimal_map_1d",
    "optimal_plan",
    "Interpolation1D",
    "displacement_interpolation_1d",
    "BenamouBrenierCheck",
    "benamou_brenier_check",
    "SamplingStudy",
    "sampling_error_study",
    "NearestGaussian",
    "nearest_gaussian_1d",
]


@dataclass(frozen=True)
class Law1D:
    """A probability law on the line, given by its quantile function (and cdf, pdf).

    Attributes
    ----------
    name : str
    ppf : callable
        Quantile function :math:`F^{-1}` on (0, 1), vectorised.
    cdf : callable
        Distribution function :math:`F`, vectorised.
    pdf : callable or None
        Density (``None`` for a law with atoms, e.g. a Dirac mass).
    support : tuple of float
        Interval outside which the law has no mass (may be infinite).
    """

    name: str
    ppf: Callable
    cdf: Callable
    pdf: Callable | None
    support: tuple

    def sample(self, n, *, rng=None) -> np.ndarray:
        """Draw ``n`` samples by inversion, ``ppf(U)``."""
        n = check_int("n", n, 1)
        return self.ppf(as_generator(rng).uniform(size=n))


def from_scipy(dist, name=None) -> Law1D:
    """A :class:`Law1D` from a frozen ``scipy.stats`` continuous distribution."""
    if not hasattr(dist, "ppf") or not hasattr(dist, "pdf"):
        raise TypeError(f"dist: expected a frozen scipy.stats continuous distribution, got {type(dist).__name__}")
    lo, hi = dist.support()
    return Law1D(name or dist.dist.name, dist.ppf, dist.cdf, dist.pdf, (float(lo), float(hi)))


def uniform(a=0.0, b=1.0, *, density=None) -> Law1D:
    r"""The uniform probability law on :math:`[a, b]`.

    Parameters
    ----------
    a, b : float
        Endpoints, ``a < b``.
    density : float, optional
        If given, the constant density the caller has in mind; it must be
        :math:`1/(b-a)`, else the measure is not a probability measure and a
        ``ValueError`` says so (the section's :math:`\tfrac12\mathbf 1_{[0,1]}`
        has mass 1/2).
    """
    a, b = float(a), float(b)
    if not (np.isfinite(a) and np.isfinite(b)) or not b > a:
        raise ValueError(f"a, b: need finite a < b, got a = {a}, b = {b}")
    if density is not None:
        density = check_positive("density", density)
        mass = density * (b - a)
        if abs(mass - 1.0) > 1e-12:
            raise ValueError(
                f"density: {density:g} on [{a:g}, {b:g}] has mass {mass:g}, not 1; W2 is a distance "
                f"between probability measures: use density {1 / (b - a):g} (or normalise the measure)"
            )
    return from_scipy(stats.uniform(loc=a, scale=b - a), name=f"U[{a:g}, {b:g}]")


def gaussian(mean=0.0, sd=1.0) -> Law1D:
    r"""The Gaussian law :math:`\mathcal N(m, \sigma^2)`; ``sd`` is the standard deviation :math:`\sigma > 0`."""
    sd = check_positive("sd", sd)
    mean = float(mean)
    return from_scipy(stats.norm(loc=mean, scale=sd), name=f"N({mean:g}, {sd**2:g})")


def gaussian_mixture(means, sds, weights=None, *, n_grid=20001) -> Law1D:
    r"""The mixture :math:`\sum_k w_k\,\mathcal N(m_k, \sigma_k^2)` (weights summing to 1).

    Its quantile function has no closed form: monotone interpolation of the
    cdf tabulated on ``n_grid`` points spanning :math:`\pm 9\sigma` around
    the components, polished by two Newton steps (accurate to rounding
    inside that range, clipped to it outside).
    """
    means = np.atleast_1d(np.asarray(means, dtype=float))
    sds = np.atleast_1d(np.asarray(sds, dtype=float))
    if means.ndim != 1 or sds.shape != means.shape:
        raise ValueError(f"means, sds: 1-D arrays of the same length expected, got {means.shape} and {sds.shape}")
    if np.any(sds <= 0) or not np.all(np.isfinite(sds)):
        raise ValueError("sds: every standard deviation must be > 0")
    w = np.full(means.size, 1.0 / means.size) if weights is None else np.asarray(weights, dtype=float)
    if w.shape != means.shape or np.any(w < 0) or abs(w.sum() - 1.0) > 1e-12:
        raise ValueError(f"weights: must be >= 0, one per component, and sum to 1 (a probability measure); sum = {np.sum(w):g}")
    n_grid = check_int("n_grid", n_grid, 100)
    grid = np.linspace(np.min(means - 9 * sds), np.max(means + 9 * sds), n_grid)

    def pdf(x):
        x = np.asarray(x, dtype=float)
        return np.sum(w * stats.norm.pdf(x[..., None], means, sds), axis=-1)

    def cdf(x):
        x = np.asarray(x, dtype=float)
        return np.sum(w * stats.norm.cdf(x[..., None], means, sds), axis=-1)

    table = cdf(grid)
    keep = np.concatenate([[True], np.diff(table) > 0])  # strictly increasing for np.interp

    def ppf(u):
        x = np.interp(u, table[keep], grid[keep])
        for _ in range(2):  # Newton polish: smooth and accurate to rounding
            dens = pdf(x)
            step = np.where(dens > 1e-300, (cdf(x) - u) / np.maximum(dens, 1e-300), 0.0)
            x = np.clip(x - step, grid[0], grid[-1])
        return x

    name = " + ".join(f"{wk:g} N({m:g}, {sd**2:g})" for wk, m, sd in zip(w, means, sds))
    return Law1D(name, ppf, cdf, pdf, (-np.inf, np.inf))


def from_histogram(edges, density) -> Law1D:
    r"""The law with a piecewise-constant density (e.g. a finite-volume solution).

    Parameters
    ----------
    edges : array_like, shape (n + 1,)
        Strictly increasing cell edges.
    density : array_like, shape (n,)
        Non-negative cell values with :math:`\sum_i \rho_i\,|C_i| = 1`
        (within ``1e-8``).

    Its cdf is piecewise linear, so its quantile function is computed
    exactly by linear interpolation between the edges.
    """
    edges = np.asarray(edges, dtype=float)
    rho = np.asarray(density, dtype=float)
    if edges.ndim != 1 or edges.size < 2 or not np.all(np.diff(edges) > 0):
        raise ValueError("edges: a strictly increasing 1-D array of at least 2 points expected")
    if rho.shape != (edges.size - 1,):
        raise ValueError(f"density: expected shape ({edges.size - 1},) (one value per cell), got {rho.shape}")
    if np.any(rho < 0) or not np.all(np.isfinite(rho)):
        raise ValueError("density: values must be finite and >= 0")
    cum = np.concatenate([[0.0], np.cumsum(rho * np.diff(edges))])
    if abs(cum[-1] - 1.0) > 1e-8:
        raise ValueError(f"density: has mass {cum[-1]:.10g}, not 1 (a probability density on the cells is required)")
    cum /= cum[-1]
    keep = np.concatenate([[True], np.diff(cum) > 0])

    def pdf(x):
        x = np.asarray(x, dtype=float)
        i = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, rho.size - 1)
        return np.where((x >= edges[0]) & (x <= edges[-1]), rho[i], 0.0)

    return Law1D(
        "histogram",
        lambda u: np.interp(u, cum[keep], edges[keep]),
        lambda x: np.interp(x, edges, cum),
        pdf,
        (float(edges[0]), float(edges[-1])),
    )


def dirac(x0=0.0) -> Law1D:
    r"""The Dirac mass :math:`\delta_{x_0}` (quantile function constant :math:`x_0`)."""
    x0 = float(x0)
    return Law1D(
        f"delta_{x0:g}",
        lambda u: np.full(np.shape(u), x0),
        lambda x: (np.asarray(x) >= x0).astype(float),
        None,
        (x0, x0),
    )


def _check_law(name, law):
    if not isinstance(law, Law1D):
        raise TypeError(f"{name}: expected a Law1D (meanfield.transport.uniform/gaussian/dirac/from_scipy), got {type(law).__name__}")
    return law


def w2_dirac(x, y) -> float:
    r""":math:`W_2(\delta_x, \delta_y) = |x - y|`: the only coupling is :math:`\delta_{(x,y)}`."""
    x, y = np.atleast_1d(np.asarray(x, float)), np.atleast_1d(np.asarray(y, float))
    if x.shape != y.shape or x.ndim != 1:
        raise ValueError(f"x, y: points of the same dimension expected, got shapes {x.shape} and {y.shape}")
    return float(np.linalg.norm(x - y))


def w2_1d(mu: Law1D, nu: Law1D, *, tol=1e-12) -> float:
    r""":math:`W_2(\mu,\nu)` on the line by quadrature of the quantile formula.

    .. math::  W_2^2(\mu,\nu) = \int_0^1 |F_\mu^{-1}(u) - F_\nu^{-1}(u)|^2\,du

    computed with scipy's double-exponential rule
    (:func:`scipy.integrate.tanhsinh`, vectorised; it never evaluates the
    endpoints, where a Gaussian quantile is infinite, and is built for such
    endpoint singularities), to relative tolerance ``tol``; if it does not
    converge (a quantile function with kinks), adaptive Gauss--Kronrod
    (:func:`scipy.integrate.quad`) takes over.
    """
    _check_law("mu", mu)
    _check_law("nu", nu)
    tol = check_positive("tol", tol)
    def f(u):
        return (mu.ppf(u) - nu.ppf(u)) ** 2

    res = integrate.tanhsinh(f, 0.0, 1.0, atol=1e-15, rtol=tol)
    if res.success:
        return float(np.sqrt(res.integral))
    # non-smooth quantile functions (e.g. tabulated ones): adaptive Gauss-Kronrod
    val, err = integrate.quad(f, 0.0, 1.0, epsabs=1e-13, epsrel=max(tol, 1e-10), limit=1000)
    if not err <= max(1e-8, 1e-6 * val):
        raise RuntimeError(f"w2_1d: the quantile quadrature did not converge (error estimate {err:.1e})")
    return float(np.sqrt(val))


def _check_gaussian(mean, cov, name):
    mean = np.atleast_1d(np.asarray(mean, dtype=float))
    cov = np.asarray(cov, dtype=float)
    d = mean.shape[0]
    if mean.ndim != 1:
        raise ValueError(f"{name}: the mean must be a vector, got shape {mean.shape}")
    if cov.ndim == 0:
        cov = cov * np.eye(d)
    if cov.shape != (d, d):
        raise ValueError(f"{name}: covariance of shape ({d}, {d}) expected for a mean in R^{d}, got {cov.shape}")
    if not np.allclose(cov, cov.T, atol=1e-12):
        raise ValueError(f"{name}: the covariance must be symmetric")
    if np.min(np.linalg.eigvalsh(cov)) <= 0:
        raise ValueError(f"{name}: the covariance must be positive definite (variances > 0)")
    return mean, cov


def w2_gaussian(m0, C0, m1, C1) -> float:
    r"""Bures--Wasserstein distance between :math:`\mathcal N(m_0,\Sigma_0)` and :math:`\mathcal N(m_1,\Sigma_1)`.

    .. math::

        W_2^2 = |m_0-m_1|^2 + \operatorname{tr}\Big(\Sigma_0+\Sigma_1
                 - 2\big(\Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2}\big)^{1/2}\Big)

    Parameters
    ----------
    m0, m1 : float or array_like, shape (d,)
        Means.
    C0, C1 : float or array_like, shape (d, d)
        Covariance matrices (a scalar is a **variance** times the identity;
        in 1D, ``w2_gaussian(0, s0**2, m, s1**2)`` is
        :math:`\sqrt{m^2 + (s_0-s_1)^2}`).
    """
    m0, C0 = _check_gaussian(m0, C0, "m0, C0")
    m1, C1 = _check_gaussian(m1, C1, "m1, C1")
    if m0.shape != m1.shape:
        raise ValueError(f"m0, m1: dimensions differ ({m0.shape[0]} vs {m1.shape[0]})")
    r0 = linalg.sqrtm(C0)
    cross = linalg.sqrtm(r0 @ C1 @ r0)
    w2sq = float(np.sum((m0 - m1) ** 2) + np.trace(C0 + C1 - 2 * np.real(cross)))
    return float(np.sqrt(max(w2sq, 0.0)))


def gaussian_map_matrix(C0, C1) -> np.ndarray:
    r"""The matrix :math:`A` of Brenier's map :math:`T(x) = m_1 + A(x - m_0)` from :math:`\mathcal N(m_0,\Sigma_0)` to :math:`\mathcal N(m_1,\Sigma_1)`.

    .. math::

        A = \Sigma_0^{-1/2}\big(\Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2}\big)^{1/2}\Sigma_0^{-1/2},

    symmetric positive definite (so :math:`T` is the gradient of a convex
    quadratic) with :math:`A\Sigma_0A = \Sigma_1` (so :math:`T` pushes the
    first Gaussian to the second). In 1D, :math:`A = \sigma_1/\sigma_0`.

    Parameters
    ----------
    C0, C1 : float or array_like, shape (d, d)
        Covariance matrices, symmetric positive definite (a scalar is a variance).

    Returns
    -------
    ndarray, shape (d, d)

    Examples
    --------
    >>> float(gaussian_map_matrix(1.0, 4.0)[0, 0])
    2.0
    """
    C0 = np.atleast_2d(np.asarray(C0, dtype=float))
    C1 = np.atleast_2d(np.asarray(C1, dtype=float))
    _, C0 = _check_gaussian(np.zeros(C0.shape[0]), C0, "C0")
    _, C1 = _check_gaussian(np.zeros(C1.shape[0]), C1, "C1")
    if C0.shape != C1.shape:
        raise ValueError(f"C0, C1: dimensions differ ({C0.shape[0]} vs {C1.shape[0]})")
    r0 = np.real(linalg.sqrtm(C0))
    r0inv = np.linalg.inv(r0)
    A = r0inv @ np.real(linalg.sqrtm(r0 @ C1 @ r0)) @ r0inv
    return 0.5 * (A + A.T)


def w2_uniform(a0, b0, a1, b1) -> float:
    r"""Closed form :math:`W_2(U[a_0,b_0], U[a_1,b_1])`.

    Quantiles :math:`c + w(u - \tfrac12)` with centre :math:`c` and width :math:`w`:
    :math:`W_2^2 = (c_0-c_1)^2 + (w_0-w_1)^2/12`.
    """
    u0, u1 = uniform(a0, b0), uniform(a1, b1)
    del u0, u1  # validation only
    c0, w0, c1, w1 = (a0 + b0) / 2, b0 - a0, (a1 + b1) / 2, b1 - a1
    return float(np.sqrt((c0 - c1) ** 2 + (w0 - w1) ** 2 / 12))


def w2_uniform_gaussian(a, b, m, sd) -> float:
    r"""Closed form :math:`W_2(U[a,b], \mathcal N(m, \sigma^2))`.

    With :math:`c = (a+b)/2`, :math:`w = b-a` and Stein's identity
    :math:`\mathbb E[(U-\tfrac12)\Phi^{-1}(U)] = \mathbb E[Z\Phi(Z)] = \mathbb E[\varphi(Z)] = 1/(2\sqrt\pi)`:

    .. math::  W_2^2 = (c-m)^2 + \frac{w^2}{12} + \sigma^2 - \frac{w\sigma}{\sqrt\pi}.

    For :math:`U[0,1]` and :math:`\mathcal N(0,1)`: :math:`W_2^2 = 4/3 - 1/\sqrt\pi`.
    """
    uniform(a, b)
    sd = check_positive("sd", sd)
    c, w = (a + b) / 2, b - a
    return float(np.sqrt((c - m) ** 2 + w**2 / 12 + sd**2 - w * sd / np.sqrt(np.pi)))


def w2_gaussian_pot(m0, C0, m1, C1) -> float:
    """Same as :func:`w2_gaussian`, computed by POT's ``ot.gaussian.bures_wasserstein_distance``."""
    m0, C0 = _check_gaussian(m0, C0, "m0, C0")
    m1, C1 = _check_gaussian(m1, C1, "m1, C1")
    if m0.shape != m1.shape:
        raise ValueError(f"m0, m1: dimensions differ ({m0.shape[0]} vs {m1.shape[0]})")
    return float(ot.gaussian.bures_wasserstein_distance(m0, m1, C0, C1))


def _check_samples(name, x, d=None):
    x = np.asarray(x, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[0] == 0:
        raise ValueError(f"{name}: expected a non-empty array of samples, shape (n,) or (n, d), got {np.shape(x)}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name}: contains NaN or infinite entries")
    if d is not None and x.shape[1] != d:
        raise ValueError(f"{name}: samples in dimension {x.shape[1]}, expected {d} (mismatched dimensions)")
    return x


def _check_weights(name, w, n):
    if w is None:
        return np.full(n, 1.0 / n)
    w = np.asarray(w, dtype=float)
    if w.shape != (n,):
        raise ValueError(f"{name}: expected shape ({n},), got {w.shape}")
    if np.any(w < 0) or abs(w.sum() - 1.0) > 1e-10:
        raise ValueError(f"{name}: weights must be >= 0 and sum to 1 (a probability measure), sum = {w.sum():g}")
    return w


def w2_empirical(x, y, *, a=None, b=None, method="emd") -> float:
    r""":math:`W_2` between two discrete measures :math:`\sum_i a_i\delta_{x_i}`, :math:`\sum_j b_j\delta_{y_j}` (POT).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
    y : array_like, shape (m,) or (m, d)
    a, b : array_like, optional
        Weights (uniform by default); non-negative, summing to 1.
    method : {"emd", "1d"}
        ``"emd"``: exact linear program ``ot.emd2`` with the squared
        Euclidean cost (any dimension, :math:`O(n^3)`); ``"1d"``:
        ``ot.wasserstein_1d`` by sorting (1D only).
    """
    check_choice("method", method, ("emd", "1d"))
    x = _check_samples("x", x)
    y = _check_samples("y", y, x.shape[1])
    a = _check_weights("a", a, x.shape[0])
    b = _check_weights("b", b, y.shape[0])
    if method == "1d":
        if x.shape[1] != 1:
            raise ValueError(f"method: '1d' needs samples on the line, got dimension {x.shape[1]}")
        val = ot.wasserstein_1d(x[:, 0], y[:, 0], a, b, p=2)
    else:
        val = ot.emd2(a, b, ot.dist(x, y, metric="sqeuclidean"))
    return float(np.sqrt(max(float(val), 0.0)))


def optimal_plan(x, y, *, a=None, b=None) -> np.ndarray:
    """The optimal coupling matrix :math:`\\gamma_{ij}` between two discrete measures (``ot.emd``)."""
    x = _check_samples("x", x)
    y = _check_samples("y", y, x.shape[1])
    a = _check_weights("a", a, x.shape[0])
    b = _check_weights("b", b, y.shape[0])
    return ot.emd(a, b, ot.dist(x, y, metric="sqeuclidean"))


def optimal_map_1d(mu: Law1D, nu: Law1D, x) -> np.ndarray:
    r"""The monotone optimal map :math:`T = F_\nu^{-1}\circ F_\mu` at the points ``x``.

    ``mu`` must have a density (no atoms); points outside its support are
    mapped to the ends of :math:`\nu`'s support.
    """
    _check_law("mu", mu)
    _check_law("nu", nu)
    if mu.pdf is None:
        raise ValueError(f"mu: {mu.name} has atoms; no transport map pushes it to a diffuse law")
    u = np.clip(mu.cdf(np.asarray(x, dtype=float)), 0.0, 1.0)
    return nu.ppf(u)


@dataclass(frozen=True)
class Interpolation1D:
    r"""McCann's displacement interpolation :math:`\mu_t` at one time.

    Attributes
    ----------
    t : float
    u : ndarray, shape (m,)
        Quantile levels.
    x : ndarray, shape (m,)
        Quantiles :math:`F_{\mu_t}^{-1}(u) = (1-t)F_\mu^{-1}(u) + tF_\nu^{-1}(u)`.
    density : ndarray, shape (m,)
        :math:`\rho_t(x) = \big((1-t)/f_\mu(F_\mu^{-1}(u)) + t/f_\nu(F_\nu^{-1}(u))\big)^{-1}`.
    velocity : ndarray, shape (m,)
        Eulerian velocity :math:`v_t(x) = F_\nu^{-1}(u) - F_\mu^{-1}(u)` at those points.
    """

    t: float
    u: np.ndarray
    x: np.ndarray
    density: np.ndarray
    velocity: np.ndarray


def displacement_interpolation_1d(mu: Law1D, nu: Law1D, t, *, n=400, eps=1e-6) -> Interpolation1D:
    r"""The geodesic :math:`\mu_t` from :math:`\mu` to :math:`\nu` in :math:`(\mathcal P_2(\mathbb R), W_2)`.

    Evaluated at ``n`` quantile levels :math:`u\in[\varepsilon, 1-\varepsilon]`
    (Chebyshev-like spacing, denser in the tails). Both laws need densities.
    """
    _check_law("mu", mu)
    _check_law("nu", nu)
    for name, law in (("mu", mu), ("nu", nu)):
        if law.pdf is None:
            raise ValueError(f"{name}: {law.name} has no density; the interpolation density is undefined")
    t = check_in_range("t", t, 0.0, 1.0, closed=(True, True))
    n = check_int("n", n, 3)
    eps = check_in_range("eps", eps, 0.0, 0.5, closed=(False, False))
    s = np.linspace(0.0, np.pi, n)
    u = eps + (1 - 2 * eps) * (1 - np.cos(s)) / 2
    qm, qn = mu.ppf(u), nu.ppf(u)
    dens = 1.0 / ((1 - t) / mu.pdf(qm) + t / nu.pdf(qn))
    return Interpolation1D(t, u, (1 - t) * qm + t * qn, dens, qn - qm)


@dataclass(frozen=True)
class BenamouBrenierCheck:
    r"""Eulerian check of the Benamou--Brenier formula along the displacement interpolation.

    Attributes
    ----------
    action : float
        :math:`\int_0^1\!\int |v_t(x)|^2\rho_t(x)\,dx\,dt`, by quadrature on an
        :math:`(x, t)` grid in Eulerian variables.
    w2_squared : float
        :math:`W_2^2(\mu,\nu)` by the quantile formula (:func:`w2_1d`).
    continuity_residual : float
        Weak form of :math:`\partial_t\rho + \partial_x(\rho v) = 0`:
        :math:`\max_{\varphi,t}|\frac{d}{dt}\int\varphi\rho_t - \int\varphi' v_t\rho_t|`
        for :math:`\varphi = x, \sin x, e^{-x^2/2}` (time derivative by
        finite differences), relative to :math:`\max|\int\varphi' v_t\rho_t|`.
    n_t, n_x : int
        Grid sizes.
    """

    action: float
    w2_squared: float
    continuity_residual: float
    n_t: int
    n_x: int


def benamou_brenier_check(mu: Law1D, nu: Law1D, *, n_t=101, n_x=2001, eps=1e-9) -> BenamouBrenierCheck:
    r"""Compute the kinetic action of McCann's interpolation in Eulerian variables.

    On grids of :math:`x` covering the support of :math:`\mu_t` (quantiles
    :math:`\varepsilon` to :math:`1-\varepsilon`), :math:`\rho_t` and
    :math:`v_t` are obtained by inverting :math:`u\mapsto F_{\mu_t}^{-1}(u)`
    (monotone interpolation), and

    .. math::  \mathcal A = \int_0^1\!\!\int v_t(x)^2\,\rho_t(x)\,dx\,dt

    is integrated with Simpson's rule in :math:`x` and :math:`t`. The
    Benamou--Brenier theorem says :math:`\mathcal A = W_2^2(\mu,\nu)`, the
    minimum over all :math:`(\rho, v)` solving
    :math:`\partial_t\rho + \partial_x(\rho v) = 0`.
    """
    _check_law("mu", mu)
    _check_law("nu", nu)
    n_t = check_int("n_t", n_t, 3)
    n_x = check_int("n_x", n_x, 3)
    u_fine = np.concatenate(
        [np.geomspace(eps, 0.01, 400), np.linspace(0.01, 0.99, 4001)[1:-1], 1 - np.geomspace(0.01, eps, 400)]
    )
    qm, qn = mu.ppf(u_fine), nu.ppf(u_fine)
    ts = np.linspace(0.0, 1.0, n_t)

    def eulerian(t, x):
        """rho_t and v_t at the points x (inside the support of mu_t)."""
        q_t = (1 - t) * qm + t * qn
        uu = np.interp(x, q_t, u_fine)
        a_q, b_q = mu.ppf(uu), nu.ppf(uu)
        return 1.0 / ((1 - t) / mu.pdf(a_q) + t / nu.pdf(b_q)), b_q - a_q

    # at each time, Simpson's rule on an x-grid spanning supp(mu_t) (a density
    # may jump at the edge of its support: no grid cell straddles it)
    tests = [  # smooth test functions phi and phi'
        (lambda x: x, lambda x: np.ones_like(x)),
        (lambda x: np.sin(x), np.cos),
        (lambda x: np.exp(-(x**2) / 2), lambda x: -x * np.exp(-(x**2) / 2)),
    ]
    action_t = np.empty(n_t)
    moments = np.empty((len(tests), n_t))
    fluxes = np.empty((len(tests), n_t))
    for k, t in enumerate(ts):  # loop over time levels, each vectorised in x
        q_t = (1 - t) * qm + t * qn
        xk = np.linspace(q_t[0], q_t[-1], n_x)
        rho_k, v_k = eulerian(t, xk)
        action_t[k] = integrate.simpson(v_k**2 * rho_k, x=xk)
        for j, (phi, dphi) in enumerate(tests):
            moments[j, k] = integrate.simpson(phi(xk) * rho_k, x=xk)
            fluxes[j, k] = integrate.simpson(dphi(xk) * v_k * rho_k, x=xk)
    action = float(integrate.simpson(action_t, x=ts))
    # weak form of d_t rho + d_x(rho v) = 0: d/dt int phi rho_t = int phi' v_t rho_t
    lhs = np.gradient(moments, ts, axis=1, edge_order=2)
    resid = float(np.max(np.abs(lhs - fluxes)) / max(np.max(np.abs(fluxes)), 1e-300))
    return BenamouBrenierCheck(action, w2_1d(mu, nu) ** 2, float(resid), n_t, n_x)


@dataclass(frozen=True)
class SamplingStudy:
    r"""Error of the plug-in estimator :math:`W_2(\mu_n,\nu_n)` against :math:`W_2(\mu,\nu)`.

    Attributes
    ----------
    n : ndarray
        Sample sizes.
    error, se : ndarray
        Mean of :math:`|W_2(\mu_n,\nu_n) - W_2(\mu,\nu)|` over the repetitions, and its standard error.
    slope : float
        Least-squares slope of :math:`\log` error against :math:`\log n`.
    exact : float
        :math:`W_2(\mu,\nu)` (quantile formula).
    """

    n: np.ndarray
    error: np.ndarray
    se: np.ndarray
    slope: float
    exact: float


def sampling_error_study(mu: Law1D, nu: Law1D, ns, *, n_rep=50, rng=None, method="1d") -> SamplingStudy:
    """Measure how fast :math:`W_2` between samples converges to :math:`W_2(\\mu,\\nu)` (POT on samples)."""
    ns = np.asarray(ns, dtype=int)
    if ns.ndim != 1 or ns.size < 2 or np.any(ns < 2):
        raise ValueError("ns: give at least two sample sizes, each >= 2")
    n_rep = check_int("n_rep", n_rep, 2)
    gen = as_generator(rng)
    exact = w2_1d(mu, nu)
    err, se = [], []
    for n in ns:
        e = np.array([abs(w2_empirical(mu.sample(n, rng=gen), nu.sample(n, rng=gen), method=method) - exact)
                      for _ in range(n_rep)])
        err.append(e.mean())
        se.append(e.std(ddof=1) / np.sqrt(n_rep))
    err, se = np.array(err), np.array(se)
    slope = float(np.polyfit(np.log(ns), np.log(err), 1)[0])
    return SamplingStudy(ns, err, se, slope, exact)


@dataclass(frozen=True)
class NearestGaussian:
    r"""The Gaussian :math:`\mathcal N(m^*, \sigma^{*2})` closest to a law in :math:`W_2` (:func:`nearest_gaussian_1d`).

    Attributes
    ----------
    mean, sd : float
        :math:`m^*` and :math:`\sigma^*` (the standard deviation).
    distance : float
        :math:`W_2(\mu, \mathcal N(m^*, \sigma^{*2}))`.
    law_mean, law_sd : float
        Mean and standard deviation of :math:`\mu` (for comparison:
        :math:`\sigma^* \le` ``law_sd``).
    """

    mean: float
    sd: float
    distance: float
    law_mean: float
    law_sd: float


def _quantile_moment(f, tol):
    r""":math:`\int_0^1 f(u)\,du` by tanh-sinh (endpoint singularities allowed)."""
    res = integrate.tanhsinh(f, 0.0, 1.0, atol=1e-15, rtol=tol)
    if res.success:
        return float(res.integral)
    val, err = integrate.quad(f, 0.0, 1.0, epsabs=1e-13, epsrel=max(tol, 1e-10), limit=1000)
    if not err <= 1e-8:
        raise RuntimeError(f"nearest_gaussian_1d: quadrature did not converge (error estimate {err:.1e})")
    return float(val)


def nearest_gaussian_1d(mu: Law1D, *, tol=1e-12) -> NearestGaussian:
    r"""The Gaussian nearest to a law :math:`\mu` on the line in :math:`W_2`, over **mean and variance**.

    With :math:`q = F_\mu^{-1}`, :math:`\Phi^{-1}` the standard normal
    quantile and the quantile formula,

    .. math::

        W_2^2(\mu, \mathcal N(m,\sigma^2)) = \int_0^1 (q - m - \sigma\Phi^{-1})^2\,du
        = (\bar m - m)^2 + s^2 + \sigma^2 - 2\sigma c,
        \qquad c = \int_0^1 q(u)\,\Phi^{-1}(u)\,du,

    where :math:`\bar m, s` are the mean and standard deviation of
    :math:`\mu` (use :math:`\int\Phi^{-1} = 0`, :math:`\int(\Phi^{-1})^2 = 1`).
    It is minimised by :math:`m^* = \bar m` and :math:`\sigma^* = c` (:math:`c > 0`
    for a non-degenerate law, :math:`c \le s` by Cauchy--Schwarz), with
    :math:`W_2^2 = s^2 - c^2`. For :math:`U[0,1]`: :math:`m^* = 1/2`,
    :math:`\sigma^* = 1/(2\sqrt\pi)` (Stein's identity) and
    :math:`W_2 = (1/12 - 1/(4\pi))^{1/2}`.

    Parameters
    ----------
    mu : Law1D
        A law with finite second moment.
    tol : float
        Relative tolerance of the quadratures, > 0.

    Returns
    -------
    NearestGaussian

    Examples
    --------
    >>> g = nearest_gaussian_1d(uniform(0, 1))
    >>> round(g.mean, 6), round(g.sd, 6), round(g.distance, 6)
    (0.5, 0.282095, 0.061285)
    """
    _check_law("mu", mu)
    tol = check_positive("tol", tol)
    mean = _quantile_moment(lambda u: mu.ppf(u), tol)
    second = _quantile_moment(lambda u: (mu.ppf(u) - mean) ** 2, tol)
    c = _quantile_moment(lambda u: (mu.ppf(u) - mean) * stats.norm.ppf(u), tol)
    # the distance by quadrature of the residual (s^2 - c^2 would cancel for near-Gaussian laws)
    dist2 = _quantile_moment(lambda u: (mu.ppf(u) - mean - c * stats.norm.ppf(u)) ** 2, tol)
    return NearestGaussian(mean, c, float(np.sqrt(dist2)), mean, float(np.sqrt(second)))
