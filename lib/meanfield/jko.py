r"""The Jordan--Kinderlehrer--Otto (JKO) minimizing-movement scheme on the line.

The model
---------
The free energy of a probability density :math:`\rho` on :math:`\mathbb R`

.. math::

    F(\rho) = \int V\,d\rho + \frac12\iint W(x-y)\,d\rho(x)\,d\rho(y)
              + \beta^{-1}\int\rho\log\rho\,dx

(:math:`\beta > 0` the inverse temperature, :math:`W` even) generates the
Wasserstein gradient flow
:math:`\partial_t\rho = \partial_x(\rho\,\partial_x(V + W*\rho + \beta^{-1}\log\rho))`
(see :mod:`meanfield.fokker_planck`). The JKO scheme with step :math:`\tau>0`,

.. math::

    \rho_{k+1} \in \operatorname*{argmin}_\rho\ \Big\{ F(\rho)
        + \frac{1}{2\tau} W_2^2(\rho, \rho_k) \Big\},

is an implicit Euler step in the Wasserstein metric; the piecewise-constant
interpolation converges to the flow as :math:`\tau\to 0` [1]_, with an
:math:`O(\tau)` error for (:math:`\lambda`-)convex :math:`F` and initial
data of finite slope (finite Fisher information) [2]_. Comparing with
the competitor :math:`\rho = \rho_k` gives the energy inequality
:math:`F(\rho_{k+1}) + W_2^2(\rho_{k+1},\rho_k)/(2\tau) \le F(\rho_k)`: the
free energy never increases along the iterates.

**Optimality condition.** If :math:`T` is the optimal map from
:math:`\rho_{k+1}` to :math:`\rho_k` (Brenier; monotone on the line), the
first variation of the functional vanishes iff

.. math::

    T(x) = x + \tau\,\partial_x\big(V + W*\rho_{k+1}
           + \beta^{-1}\log\rho_{k+1}\big)(x).

Two levels of discretisation are provided.

(a) Gaussians in closed form (:func:`jko_gaussian_step`, :func:`jko_gaussian`)
-------------------------------------------------------------------------------
Take :math:`W = 0` and either the heat flow (``potential="heat"``,
:math:`V = 0`) or the Ornstein--Uhlenbeck flow (``potential="ou"``,
:math:`V = x^2/2`), and :math:`\rho_k = N(m, s_0^2)`. On Gaussians
:math:`N(m', s^2)`, with :math:`\int\rho\log\rho = -\tfrac12\log(2\pi e s^2)`,
:math:`\int V d\rho = (m'^2 + s^2)/2` (OU) and
:math:`W_2^2 = (m-m')^2 + (s-s_0)^2` (standard deviations), the functional is

.. math::

    G(m', s) = \kappa\,\frac{m'^2 + s^2}{2} - \frac{1}{\beta}\log s
        - \frac{\log(2\pi e)}{2\beta} + \frac{(m'-m)^2 + (s-s_0)^2}{2\tau},
    \qquad \kappa = 0 \text{ (heat)},\ 1 \text{ (OU)}.

It is strictly convex in :math:`(m', s)`, :math:`s > 0`. Setting its
gradient to zero gives :math:`\kappa m' + (m' - m)/\tau = 0`, i.e.
:math:`m' = m/(1+\kappa\tau)`, and
:math:`\kappa s - 1/(\beta s) + (s - s_0)/\tau = 0`; multiplied by
:math:`\tau s`,

.. math::

    (1 + \kappa\tau)\,s^2 - s_0\,s - \tau/\beta = 0, \qquad
    s = \frac{s_0 + \sqrt{s_0^2 + 4(1+\kappa\tau)\tau/\beta}}{2(1+\kappa\tau)}.

For the heat flow this is :math:`s^2 - s_0 s - \tau/\beta = 0`; for OU,
divided by :math:`\tau`, :math:`(1 + 1/\tau)s^2 - (s_0/\tau)s - 1/\beta = 0`.
*Example:* :math:`s_0 = 1`, :math:`\tau = 0.1`, :math:`\beta = 1`, heat:
:math:`s^2 = ((1+\sqrt{1.4})/2)^2 = 1.191608\ldots`, not the exact
:math:`1 + 2\tau/\beta = 1.2`: one step errs by :math:`O(\tau^2)`
(:math:`s^2 = s_0^2 + 2\tau/\beta - \tau^2/(\beta^2 s_0^2) + O(\tau^3)`),
so the iterated scheme is first-order accurate.

*Why the minimiser over all densities is this Gaussian.* For
:math:`\rho_{k+1} = N(m', s^2)`, :math:`\partial_x\log\rho_{k+1} = -(x-m')/s^2`
and the right-hand side of the optimality condition is the affine map
:math:`T(x) = (1 + \kappa\tau - \tau/(\beta s^2))\,x + \tau m'/(\beta s^2)`,
increasing since its slope equals :math:`s_0/s > 0` by the quadratic above;
it pushes :math:`N(m', s^2)` forward to
:math:`N((1+\kappa\tau)m',\ (s_0/s)^2 s^2) = N(m, s_0^2) = \rho_k`. An
increasing map is the optimal map on the line, so the Gaussian pair solves
the Euler--Lagrange equation. Since :math:`\int\rho\log\rho` and
:math:`\int V d\rho` (:math:`V` convex) are displacement convex and
:math:`W_2^2(\cdot,\rho_k)/(2\tau)` is :math:`(1/\tau)`-convex along
generalised geodesics based at :math:`\rho_k`, the functional is strictly
convex along those curves and its critical point is its unique minimiser
[2]_.

The exact flows: heat :math:`N(m, s_0^2 + 2t/\beta)`; OU
:math:`N(m e^{-t},\ s_0^2 e^{-2t} + \beta^{-1}(1 - e^{-2t}))`.

(b) Lagrangian (quantile) discretisation (:func:`jko_lagrangian`)
-----------------------------------------------------------------
On the line :math:`W_2^2(\mu,\nu) = \int_0^1|F_\mu^{-1} - F_\nu^{-1}|^2du`,
so the scheme is a minimisation over non-decreasing quantile functions. A
density is represented by :math:`M` nodes :math:`x_1 < \dots < x_M`, its
quantiles at :math:`u_j = (j - \tfrac12)/M` (:func:`quantile_nodes`), each
carrying mass :math:`1/M`. With the gaps :math:`g_j = x_{j+1} - x_j`,

.. math::

    W_2^2 &\approx \frac1M\sum_{j=1}^M (x_j - x_j^k)^2, \qquad
    \int V d\rho \approx \frac1M\sum_j V(x_j), \qquad
    \frac12\iint W \approx \frac1{2M^2}\sum_{j,l} W(x_j - x_l),\\
    \int\rho\log\rho &= -\int_0^1\log\,(F^{-1})'(u)\,du
        \approx H_M(x) = -\frac1M\sum_{j=1}^{M-1}\log(M g_j).

:math:`H_M` is the exact entropy of the piecewise-constant density
:math:`1/(M g_j)` on the gaps (:func:`density_from_nodes`), each gap a cell
of mass :math:`1/M`; the two half-cells of mass :math:`1/(2M)` beyond
:math:`x_1` and :math:`x_M` are dropped, an :math:`O(M^{-1}\log M)` error
in the *value* for a Gaussian tail. The weight :math:`1/M` (rather than
:math:`1/(M-1)`, which rescales :math:`[u_1, u_M]` to :math:`[0,1]`) is the
one for which the node equations are consistent: at an interior node the
entropy force is :math:`\beta^{-1}M(1/(Mg_j) - 1/(Mg_{j-1})) \approx
\beta^{-1}\rho'/\rho`, whereas the weight :math:`1/(M-1)` would multiply the
diffusion coefficient by :math:`M/(M-1)`. The discrete functional

.. math::

    E_k(x) = \frac1M\sum_j V(x_j) + \frac1{2M^2}\sum_{j,l}W(x_j-x_l)
        + \beta^{-1}H_M(x) + \frac1{2\tau M}\sum_j(x_j - x_j^k)^2

is smooth and, for convex :math:`V, W`, strictly convex on the ordered cone
:math:`\{g_j > 0\}`; the logarithm of the gaps is a barrier that keeps the
nodes ordered. Each step minimises :math:`M E_k` with
:func:`scipy.optimize.minimize` (trust-region Newton, analytic gradient and
Hessian: the entropy Hessian is tridiagonal, the interaction Hessian dense)
from :math:`x^k`. The gradient of :math:`M E_k` is the node residual

.. math::

    r_j = \frac{x_j - x_j^k}{\tau} + V'(x_j) + \frac1M\sum_l W'(x_j-x_l)
          + \beta^{-1}\Big(\frac1{g_j} - \frac1{g_{j-1}}\Big)
          \quad(1/g_0 = 1/g_M = 0),

a discrete optimality condition :math:`x_j^k = T(x_j)`. Summing over
:math:`j`, the entropy and interaction terms cancel, so for
:math:`V = x^2/2` the mean of the nodes follows :math:`m_{k+1} = m_k/(1+\tau)`
exactly, as in (a).

*Accuracy in* :math:`M` (measured for the heat flow against the Gaussian
JKO iterate of (a), which removes the time error): the interior nodes
converge like :math:`M^{-3/2}`, the variance like :math:`M^{-1}`, but the
root-mean-square node error only like :math:`M^{-1/2}`: it is dominated by
the few extreme nodes, whose entropy force :math:`\beta^{-1}/g_1` is a
one-sided difference of :math:`u\mapsto\rho(F^{-1}(u))`, a function that
is not smooth at :math:`u = 0` (for a Gaussian tail it behaves like
:math:`u\sqrt{2\log(1/u)}`), hence only logarithmically accurate.

(c) The finite-dimensional model (:func:`euler_steps`)
------------------------------------------------------
Explicit and implicit (proximal) Euler steps for :math:`\dot x = -\nabla f(x)`
in :math:`\mathbb R^d`, the scheme the JKO step generalises:
:math:`x_{k+1} = \operatorname{argmin}_x f(x) + |x - x_k|^2/(2\tau)`.

References
----------
.. [1] R. Jordan, D. Kinderlehrer and F. Otto, "The variational formulation
   of the Fokker--Planck equation", SIAM J. Math. Anal. 29(1) (1998) 1--17.
.. [2] L. Ambrosio, N. Gigli and G. Savaré, *Gradient Flows in Metric Spaces
   and in the Space of Probability Measures*, 2nd ed., Birkhäuser, 2008.
.. [3] D. Matthes and H. Osberger, "Convergence of a variational Lagrangian
   scheme for a nonlinear drift diffusion equation", ESAIM: M2AN 48 (2014)
   697--726 (the quantile/Lagrangian discretisation of JKO in 1D).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize
from scipy.linalg import lapack

from .utils import _as_real, check_choice, check_int, check_positive

__all__ = [
    "gaussian_free_energy",
    "jko_gaussian_functional",
    "jko_gaussian_step",
    "GaussianJKOResult",
    "jko_gaussian",
    "quantile_nodes",
    "density_from_nodes",
    "lagrangian_free_energy",
    "JKOResult",
    "jko_lagrangian",
    "EulerResult",
    "euler_steps",
]

_POTENTIALS = ("heat", "ou")
_METHODS = ("trust-ncg", "trust-exact")


# --- (a) Gaussians -------------------------------------------------------------------

def _kappa(potential):
    check_choice("potential", potential, _POTENTIALS)
    return 0.0 if potential == "heat" else 1.0


def _check_mean(name, mean):
    return _as_real(name, mean)  # finite real number (TypeError / ValueError naming it)


def gaussian_free_energy(mean, var, *, beta=1.0, potential="heat") -> float:
    r"""Free energy :math:`F(N(m, s^2))` of a Gaussian, for the flows of (a).

    .. math::

        F = \kappa\,\frac{m^2 + s^2}{2} - \frac{1}{2\beta}\log(2\pi e s^2),
        \qquad \kappa = 0\ (\text{heat}),\ 1\ (\text{OU}).

    Parameters
    ----------
    mean : float
    var : float
        Variance :math:`s^2 > 0`.
    beta : float
        Inverse temperature, > 0.
    potential : {"heat", "ou"}
        :math:`V = 0` or :math:`V = x^2/2`.
    """
    mean = _check_mean("mean", mean)
    var = check_positive("var", var)
    beta = check_positive("beta", beta)
    kappa = _kappa(potential)
    return kappa * 0.5 * (mean**2 + var) - 0.5 * np.log(2 * np.pi * np.e * var) / beta


def jko_gaussian_functional(mean, var, prev_mean, prev_var, tau, *, beta=1.0, potential="heat") -> float:
    r"""The JKO functional :math:`F(\rho) + W_2^2(\rho,\rho_k)/(2\tau)` on Gaussians.

    .. math::

        G = F(N(m, s^2)) + \frac{(m - m_k)^2 + (s - s_k)^2}{2\tau},
        \qquad s = \sqrt{\mathrm{var}},\ s_k = \sqrt{\mathrm{prev\_var}}.

    Parameters
    ----------
    mean, var : float
        Candidate :math:`N(m, s^2)` (``var > 0``).
    prev_mean, prev_var : float
        Previous iterate :math:`\rho_k = N(m_k, s_k^2)`.
    tau : float
        Step, > 0.
    beta, potential
        As in :func:`gaussian_free_energy`.
    """
    prev_mean = _check_mean("prev_mean", prev_mean)
    prev_var = check_positive("prev_var", prev_var)
    tau = check_positive("tau", tau)
    F = gaussian_free_energy(mean, var, beta=beta, potential=potential)
    w2 = (float(mean) - prev_mean) ** 2 + (np.sqrt(float(var)) - np.sqrt(prev_var)) ** 2
    return F + w2 / (2 * tau)


def jko_gaussian_step(mean, var, tau, *, beta=1.0, potential="heat"):
    r"""One JKO step from :math:`N(m, s_0^2)` in closed form (module docstring, part (a)).

    .. math::

        m' = \frac{m}{1+\kappa\tau},\qquad
        s = \frac{s_0 + \sqrt{s_0^2 + 4(1+\kappa\tau)\tau/\beta}}{2(1+\kappa\tau)},

    the positive root of :math:`(1+\kappa\tau)s^2 - s_0 s - \tau/\beta = 0`
    (:math:`\kappa = 0` heat, :math:`1` OU).

    Parameters
    ----------
    mean, var : float
        Current mean and variance :math:`s_0^2 > 0`.
    tau : float
        Step, > 0.
    beta : float
        Inverse temperature, > 0.
    potential : {"heat", "ou"}

    Returns
    -------
    (float, float)
        The new mean and variance.

    Examples
    --------
    >>> m, v = jko_gaussian_step(0.0, 1.0, 0.1)
    >>> round(v, 6)  # exact heat flow: 1.2
    1.191608
    """
    mean = _check_mean("mean", mean)
    var = check_positive("var", var)
    tau = check_positive("tau", tau)
    beta = check_positive("beta", beta)
    a = 1.0 + _kappa(potential) * tau
    s0 = np.sqrt(var)
    # stable root of a s^2 - s0 s - tau/beta = 0 (no cancellation: both terms > 0)
    s = (s0 + np.sqrt(s0 * s0 + 4.0 * a * tau / beta)) / (2.0 * a)
    return mean / a, float(s * s)


def _exact_gaussian(mean0, var0, t, beta, kappa):
    if kappa == 0.0:
        return np.full_like(t, mean0), var0 + 2.0 * t / beta
    e = np.exp(-2.0 * t)
    return mean0 * np.exp(-t), var0 * e + (1.0 - e) / beta


@dataclass(frozen=True)
class GaussianJKOResult:
    r"""Closed-form JKO iterates for Gaussians (:func:`jko_gaussian`).

    Attributes
    ----------
    t : ndarray, shape (n_steps + 1,)
        :math:`k\tau`.
    mean, var : ndarray, shape (n_steps + 1,)
        JKO iterates :math:`\rho_k = N(\text{mean}_k, \text{var}_k)`.
    exact_mean, exact_var : ndarray, shape (n_steps + 1,)
        The exact gradient flow at the same times.
    free_energy : ndarray, shape (n_steps + 1,)
        :math:`F(\rho_k)` (:func:`gaussian_free_energy`).
    functional : ndarray, shape (n_steps,)
        Value of the JKO functional at the minimiser,
        :math:`F(\rho_{k+1}) + W_2^2(\rho_{k+1},\rho_k)/(2\tau)` (:math:`\le F(\rho_k)`).
    tau, beta : float
    potential : str
    success : bool
        Always True (closed form).
    message : str
    """

    t: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    exact_mean: np.ndarray
    exact_var: np.ndarray
    free_energy: np.ndarray
    functional: np.ndarray
    tau: float
    beta: float
    potential: str
    success: bool
    message: str


def jko_gaussian(mean0, var0, tau, n_steps, *, beta=1.0, potential="heat") -> GaussianJKOResult:
    r"""Iterate :func:`jko_gaussian_step` ``n_steps`` times from :math:`N(m_0, s_0^2)`.

    The iterates are compared with the exact flow (heat:
    :math:`N(m_0, s_0^2 + 2t/\beta)`; OU:
    :math:`N(m_0e^{-t}, s_0^2e^{-2t} + \beta^{-1}(1-e^{-2t}))`); the error at
    a fixed time is :math:`O(\tau)`.

    Parameters
    ----------
    mean0, var0 : float
        Initial mean and variance (> 0).
    tau : float
        Step, > 0.
    n_steps : int
        Number of steps, >= 1.
    beta : float
        Inverse temperature, > 0.
    potential : {"heat", "ou"}

    Returns
    -------
    GaussianJKOResult
    """
    mean0 = _check_mean("mean0", mean0)
    var0 = check_positive("var0", var0)
    tau = check_positive("tau", tau)
    n_steps = check_int("n_steps", n_steps, 1)
    beta = check_positive("beta", beta)
    kappa = _kappa(potential)
    mean = np.empty(n_steps + 1)
    var = np.empty(n_steps + 1)
    functional = np.empty(n_steps)
    mean[0], var[0] = mean0, var0
    for k in range(n_steps):
        mean[k + 1], var[k + 1] = jko_gaussian_step(mean[k], var[k], tau, beta=beta, potential=potential)
        functional[k] = jko_gaussian_functional(
            mean[k + 1], var[k + 1], mean[k], var[k], tau, beta=beta, potential=potential
        )
    t = tau * np.arange(n_steps + 1)
    ex_mean, ex_var = _exact_gaussian(mean0, var0, t, beta, kappa)
    F = kappa * 0.5 * (mean**2 + var) - 0.5 * np.log(2 * np.pi * np.e * var) / beta
    return GaussianJKOResult(
        t=t, mean=mean, var=var, exact_mean=ex_mean, exact_var=ex_var, free_energy=F,
        functional=functional, tau=tau, beta=beta, potential=potential,
        success=True, message="closed form",
    )


# --- (b) Lagrangian discretisation ---------------------------------------------------------

def quantile_nodes(ppf, M) -> np.ndarray:
    r"""Quantile nodes :math:`x_j = F^{-1}((j - \tfrac12)/M)`, :math:`j = 1, \dots, M`, of a law.

    Parameters
    ----------
    ppf : callable
        Vectorised quantile function (e.g. ``scipy.stats.norm(0, 1).ppf``).
    M : int
        Number of nodes, >= 3.

    Returns
    -------
    ndarray, shape (M,)
        Strictly increasing.

    Examples
    --------
    >>> quantile_nodes(lambda u: u, 4).tolist()
    [0.125, 0.375, 0.625, 0.875]
    """
    if not callable(ppf):
        raise TypeError(f"ppf: expected a callable, got {type(ppf).__name__}")
    M = check_int("M", M, 3)
    u = (np.arange(1, M + 1) - 0.5) / M
    x = np.asarray(ppf(u), dtype=float)
    if x.shape != (M,) or not np.all(np.isfinite(x)) or not np.all(np.diff(x) > 0):
        raise ValueError("ppf: must map (M,) levels in (0, 1) to (M,) finite, strictly increasing values")
    return x


def _check_nodes(name, x):
    x = np.asarray(x, dtype=float)
    if x.ndim != 1 or x.size < 3:
        raise ValueError(f"{name}: expected a 1-D array of at least 3 nodes, got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name}: contains NaN or infinite entries")
    if not np.all(np.diff(x) > 0):
        raise ValueError(f"{name}: the nodes must be strictly increasing")
    return x


def density_from_nodes(x):
    r"""Piecewise-constant density of a node set: :math:`1/(M g_j)` on each gap.

    Each gap :math:`[x_j, x_{j+1}]` carries mass :math:`1/M`, so the density
    integrates to :math:`(M-1)/M`; its entropy is :math:`H_M(x)` of the
    module docstring.

    Parameters
    ----------
    x : array_like, shape (M,)
        Strictly increasing nodes, ``M >= 3``.

    Returns
    -------
    midpoints : ndarray, shape (M - 1,)
        :math:`(x_j + x_{j+1})/2`.
    density : ndarray, shape (M - 1,)
        :math:`1/(M(x_{j+1} - x_j))`.
    """
    x = _check_nodes("x", x)
    g = np.diff(x)
    return 0.5 * (x[1:] + x[:-1]), 1.0 / (x.size * g)


def _fd_derivative(f):
    """Centred difference :math:`(f(x+h) - f(x-h))/(2h)`, :math:`h = \\epsilon^{1/3}\\max(1, |x|)`."""
    h0 = np.finfo(float).eps ** (1 / 3)

    def df(x):
        h = h0 * np.maximum(1.0, np.abs(x))
        xp, xm = x + h, x - h
        return (f(xp) - f(xm)) / (xp - xm)

    return df


class _Terms:
    """Values and first two derivatives of V (or W) with shape and finiteness checks."""

    def __init__(self, name, f, df):
        if f is None:
            if df is not None:
                raise ValueError(f"d{name}: given without {name}; pass {name} as well")
            self.active = False
            return
        for nm, g in ((name, f), ("d" + name, df)):
            if g is not None and not callable(g):
                raise TypeError(f"{nm}: expected a callable of x or None, got {type(g).__name__}")
        self.active = True
        self.name = name
        self.f = f
        self.df = df if df is not None else _fd_derivative(f)
        self.d2f = _fd_derivative(self.df)

    def _eval(self, g, nm, x):
        out = np.asarray(g(x), dtype=float)
        if out.shape != x.shape:
            if out.ndim == 0:
                out = np.full(x.shape, float(out))
            else:
                raise ValueError(f"{nm}: must map an array of shape {x.shape} to the same shape, got {out.shape}")
        if not np.all(np.isfinite(out)):
            raise ValueError(f"{nm}: returned NaN or infinite values at the nodes")
        return out

    def value(self, x):
        return self._eval(self.f, self.name, x)

    def grad(self, x):
        return self._eval(self.df, "d" + self.name, x)

    def hess(self, x):
        return self._eval(self.d2f, "second derivative of " + self.name, x)


def _energy_parts(x, Vt, Wt, beta):
    """M * (discrete free energy): sum V + (1/2M) sum W + beta^{-1} M H_M."""
    M = x.size
    e = -np.sum(np.log(M * np.diff(x))) / beta
    if Vt.active:
        e += np.sum(Vt.value(x))
    if Wt.active:
        e += 0.5 * np.sum(Wt.value(x[:, None] - x[None, :])) / M
    return e


def lagrangian_free_energy(x, *, V=None, W=None, beta=1.0) -> float:
    r"""Discrete free energy of a node set (module docstring, part (b)).

    .. math::

        F_M(x) = \frac1M\sum_j V(x_j) + \frac1{2M^2}\sum_{j,l}W(x_j-x_l)
            - \frac{1}{\beta M}\sum_{j=1}^{M-1}\log\big(M(x_{j+1}-x_j)\big).

    For the quantile nodes of :math:`N(0, 1)` and :math:`V = W = 0`,
    :math:`\beta = 1` it tends to :math:`-\tfrac12\log(2\pi e)` with an
    :math:`O(M^{-1}\log M)` error (the dropped tails).

    Parameters
    ----------
    x : array_like, shape (M,)
        Strictly increasing nodes, ``M >= 3``.
    V, W : callable or None
        Vectorised potentials (``W`` even).
    beta : float
        Inverse temperature, > 0.
    """
    x = _check_nodes("x", x)
    beta = check_positive("beta", beta)
    return _energy_parts(x, _Terms("V", V, None), _Terms("W", W, None), beta) / x.size


# Gauss--Legendre rule on [0, 1] (exact for polynomials of degree 7)
_GL_S, _GL_W = np.polynomial.legendre.leggauss(4)
_GL_S, _GL_W = 0.5 * (_GL_S + 1.0), 0.5 * _GL_W


def _increment(df, z, d):
    r""":math:`f(z + d) - f(z) = d\int_0^1 f'(z + sd)\,ds` by Gauss--Legendre, elementwise."""
    return d * sum(w * df(z + s * d) for s, w in zip(_GL_S, _GL_W))


class _Step:
    r"""One JKO step as an unconstrained problem for :func:`scipy.optimize.minimize`.

    The unknown is ``w``, with nodes :math:`x = z + R^{-1}w`: ``z`` is the
    base point (the previous iterate :math:`y = x^k`, or the last iterate
    when restarting) and :math:`R^TR` the banded Cholesky factorisation of
    the tridiagonal part of the Hessian of :math:`ME_k` at ``z`` (proximal,
    entropy and :math:`\max(V'', 0)` terms). In ``w`` the Hessian is close
    to the identity, so the inner conjugate-gradient solves of ``trust-ncg``
    take a few iterations instead of :math:`O(M\sqrt{\tau/\beta})`.

    The value is the increment :math:`M(E_k(x) - E_k(z))`, computed without
    cancellation from :math:`d = x - z`: the proximal term as
    :math:`d\,(d + 2(z - y))/(2\tau)`, the entropy with ``log1p`` of the
    relative gap changes, :math:`V(x_j)-V(z_j)` and
    :math:`W(x_j-x_l)-W(z_j-z_l)` as Gauss--Legendre integrals of ``dV``,
    ``dW`` along the segment. The trust-region ratio test compares such
    differences with the quadratic model; plain values (of size
    :math:`M|E_k|`) would stall it at a gradient norm of order
    :math:`\sqrt{\epsilon M|E_k|/\tau}`. ``jac`` and ``hessp`` are the
    gradient and Hessian in ``w``: :math:`R^{-T}r` and
    :math:`R^{-T}HR^{-1}p`.
    """

    def __init__(self, y, z, tau, Vt, Wt, beta):
        self.tau, self.Vt, self.Wt, self.beta = tau, Vt, Wt, beta
        self.z, self.zy = z, z - y
        self.M = z.size
        self.gaps = np.diff(z)
        self.zz = z[:, None] - z[None, :] if Wt.active else None
        diag, off = self._tridiagonal(z, clip=True)
        ab = np.zeros((2, self.M))
        ab[0, 1:] = -off
        ab[1] = diag
        self.R = linalg.cholesky_banded(ab, lower=False)  # upper bidiagonal, H0 = R^T R
        # ||R||_2^2 = ||H0||_2 <= max row sum (Gershgorin)
        rows = diag + np.concatenate(([0.0], off)) + np.concatenate((off, [0.0]))
        self.norm_R = float(np.sqrt(np.max(rows)))
        self._key = self._wkey = None

    # --- change of variables (LAPACK ?tbtrs: triangular banded solves with R and R^T)
    def d_of(self, w):  # R^{-1} w
        return lapack.dtbtrs(self.R, w, uplo="U", trans="N")[0]

    def _dT(self, g):  # R^{-T} g
        return lapack.dtbtrs(self.R, g, uplo="U", trans="T")[0]

    def _state(self, w):
        key = w.tobytes()
        if self._key != key:
            d = self.d_of(w)
            self._d, self._x = d, self.z + d
            self._key = key
        return self._d, self._x

    def _interaction(self, x):
        key = x.tobytes()
        if self._wkey != key:
            diff = x[:, None] - x[None, :]
            self._dW, self._d2W, self._wkey = self.Wt.grad(diff), self.Wt.hess(diff), key
        return self._dW, self._d2W

    # --- the functional in x
    def _tridiagonal(self, x, clip=False):
        """Diagonal and (minus the) off-diagonal of the proximal + entropy + V'' Hessian."""
        off = 1.0 / (self.beta * np.diff(x) ** 2)
        diag = np.full(self.M, 1.0 / self.tau)
        diag[:-1] += off
        diag[1:] += off
        if self.Vt.active:
            v2 = self.Vt.hess(x)
            diag = diag + (np.maximum(v2, 0.0) if clip else v2)
        return diag, off

    def residual(self, x):
        """Gradient of M E_k at x: the node residual r_j."""
        entropy_force = np.diff(np.concatenate(([0.0], 1.0 / np.diff(x), [0.0])))  # 1/g_j - 1/g_{j-1}
        r = (x - self.z + self.zy) / self.tau + entropy_force / self.beta
        if self.Vt.active:
            r = r + self.Vt.grad(x)
        if self.Wt.active:
            r = r + np.sum(self._interaction(x)[0], axis=1) / self.M
        return r

    def _hessp_x(self, x, p):
        diag, off = self._tridiagonal(x)
        out = diag * p
        out[:-1] -= off * p[1:]
        out[1:] -= off * p[:-1]
        if self.Wt.active:
            d2W = self._interaction(x)[1]
            out = out + (np.sum(d2W, axis=1) * p - d2W @ p) / self.M
        return out

    # --- the functional in w (what scipy sees)
    def fun(self, w):
        d, x = self._state(w)
        rel = np.diff(d) / self.gaps  # g_j(x) / g_j(z) - 1
        if not np.all(rel > -1.0):
            return np.inf  # outside the ordered cone: the barrier is +infinity
        val = np.sum(d * (d + 2.0 * self.zy)) / (2.0 * self.tau) - np.sum(np.log1p(rel)) / self.beta
        if self.Vt.active:
            val += np.sum(_increment(self.Vt.grad, self.z, d))
        if self.Wt.active:
            # increments of the differences from d (not (x_j - x_l) - (z_j - z_l): no cancellation)
            val += 0.5 * np.sum(_increment(self.Wt.grad, self.zz, d[:, None] - d[None, :])) / self.M
        return float(val)

    def jac(self, w):
        return self._dT(self.residual(self._state(w)[1]))

    def hessp(self, w, p):
        return self._dT(self._hessp_x(self._state(w)[1], self.d_of(p)))

    def hess(self, w):
        x = self._state(w)[1]
        diag, off = self._tridiagonal(x)
        H = np.diag(diag) - np.diag(off, 1) - np.diag(off, -1)
        if self.Wt.active:
            d2W = self._interaction(x)[1]
            H += (np.diag(np.sum(d2W, axis=1)) - d2W) / self.M
        B = self._dT(H)  # R^{-T} H
        C = self._dT(B.T).T  # R^{-T} H R^{-1}  (H symmetric)
        return 0.5 * (C + C.T)


@dataclass(frozen=True)
class JKOResult:
    r"""Output of :func:`jko_lagrangian`.

    Attributes
    ----------
    t : ndarray, shape (n_done + 1,)
        :math:`k\tau` (``n_done = n_steps`` on success).
    x : ndarray, shape (n_done + 1, M)
        Node positions (quantiles at :math:`(j-\tfrac12)/M`) of every iterate.
    free_energy : ndarray, shape (n_done + 1,)
        Discrete free energy :math:`F_M(x^k)` (:func:`lagrangian_free_energy`).
    n_iter : ndarray of int, shape (n_done,)
        Optimiser iterations per step.
    residual : ndarray, shape (n_done,)
        Root mean square of the node residual (gradient of :math:`M E_k`)
        at the returned iterate (``<= tol`` on success).
    tau, beta : float
    method : str
    success : bool
        True if every step converged; otherwise the run stops after the
        failed step, whose (unconverged) iterate is the last row of ``x``.
    message : str
    """

    t: np.ndarray
    x: np.ndarray
    free_energy: np.ndarray
    n_iter: np.ndarray
    residual: np.ndarray
    tau: float
    beta: float
    method: str
    success: bool
    message: str


def _rms(r):
    return float(np.sqrt(np.mean(r * r)))


def _jko_step(y, tau, Vt, Wt, beta, tol, max_iter, method):
    """One JKO step from ``y``; returns (x, iterations, rms residual, converged, message).

    Stops as soon as the node residual satisfies ``rms(r) <= tol`` (checked
    in a callback). If the trust-region ratio test runs out of resolution
    first (three rejected steps in a row after the residual has at least
    halved, or scipy's status 2), restart from the last iterate as the new
    base point of the increments, as long as each call at least halves the
    residual.
    """
    z, nit, msg = y, 0, ""
    step = _Step(y, z, tau, Vt, Wt, beta)
    x, r = z, _rms(step.residual(z))
    if r <= tol:
        return x, 0, r, True, "converged (no iteration needed)"
    while nit < max_iter:
        step = _Step(y, z, tau, Vt, Wt, beta)
        state = {"w": None, "rejected": 0, "stalled": False}

        def callback(intermediate_result):  # this parameter name makes scipy pass an OptimizeResult
            w = intermediate_result.x
            rms = _rms(step.residual(step._state(w)[1]))
            if rms <= tol:
                raise StopIteration
            state["rejected"] = state["rejected"] + 1 if np.array_equal(w, state["w"]) else 0
            state["w"] = np.copy(w)
            if state["rejected"] >= 3 and rms < 0.5 * r:  # stalled after progress: restart
                state["stalled"] = True
                raise StopIteration

        w0 = np.zeros(y.size)
        radius = max(1.0, float(np.linalg.norm(step.jac(w0))))
        kwargs = {"hess": step.hess} if method == "trust-exact" else {"hessp": step.hessp}
        # ||r||_2 = ||R^T g_w||_2 <= norm_R ||g_w||_2: scipy's own test in w implies ours
        options = {"gtol": tol * np.sqrt(y.size) / step.norm_R, "maxiter": max_iter - nit,
                   "initial_trust_radius": radius, "max_trust_radius": max(1000.0, 100.0 * radius)}
        res = optimize.minimize(step.fun, w0, jac=step.jac, method=method, callback=callback,
                                options=options, **kwargs)
        nit += int(res.nit)
        x = step.z + step.d_of(np.asarray(res.x, dtype=float))
        ordered = bool(np.all(np.isfinite(x)) and np.all(np.diff(x) > 0))
        r_new = _rms(step.residual(x)) if ordered else np.inf
        if ordered and r_new <= tol:
            return x, nit, r_new, True, "converged"
        msg = "the trust region stalled at rounding level" if state["stalled"] else str(res.message)
        if not (ordered and (state["stalled"] or res.status == 2) and r_new < 0.5 * r):
            r = r_new
            break
        z, r = x, r_new  # restart from x: new base point
    if nit >= max_iter:
        msg = f"maximum number of iterations ({max_iter}) reached"
    return x, nit, r, False, msg


def jko_lagrangian(x0, tau, n_steps, *, V=None, dV=None, W=None, dW=None, beta=1.0,
                   tol=1e-9, max_iter=200, method="trust-ncg") -> JKOResult:
    r"""JKO scheme in quantile (Lagrangian) variables (module docstring, part (b)).

    Step :math:`k\to k+1` minimises

    .. math::

        M E_k(x) = \sum_j V(x_j) + \frac1{2M}\sum_{j,l}W(x_j-x_l)
            - \beta^{-1}\sum_{j=1}^{M-1}\log(M(x_{j+1}-x_j))
            + \frac1{2\tau}\sum_j (x_j - x_j^k)^2

    over ordered nodes with :func:`scipy.optimize.minimize` (a trust-region
    Newton method with the analytic gradient and Hessian), starting from
    :math:`x^k`, until the root mean square of the gradient (the node
    residual :math:`r_j` of the module docstring, a velocity) is at most
    ``tol``. The unknowns are preconditioned by the banded Cholesky factor
    of the tridiagonal part of the Hessian, and the value is evaluated as an
    increment from the starting point, so that the ratio test of the trust
    region keeps its resolution down to small residuals.

    Parameters
    ----------
    x0 : array_like, shape (M,)
        Initial nodes, finite, strictly increasing, ``M >= 3`` (e.g.
        :func:`quantile_nodes`).
    tau : float
        Time step, > 0.
    n_steps : int
        Number of JKO steps, >= 1.
    V, W : callable or None
        Confinement and even interaction potentials, vectorised in ``x``
        (``W`` receives the matrix of differences :math:`x_j - x_l`).
    dV, dW : callable or None
        Their derivatives. If omitted, centred differences with step
        :math:`h = \epsilon^{1/3}\max(1,|x|)` (relative error
        :math:`\sim 10^{-11}`). Second derivatives (for the Hessian only)
        are always centred differences of ``dV``, ``dW``.
    beta : float
        Inverse temperature, > 0.
    tol : float
        Tolerance on :math:`(\frac1M\sum_j r_j^2)^{1/2}`, > 0. The node
        errors are then at most about :math:`\tau\,` ``tol``. Rounding
        puts a floor of about :math:`\epsilon\max_j|x_j|/\min_j g_j^2`
        under the residual: keep ``tol`` well above it (the default suits
        :math:`M` up to a few thousand nodes of size :math:`O(1)`).
    max_iter : int
        Maximum optimiser iterations per step, >= 1.
    method : {"trust-ncg", "trust-exact"}
        :func:`scipy.optimize.minimize` method: Steihaug conjugate gradients
        with Hessian-vector products (:math:`O(M)` per product without
        interaction), or the dense Hessian (:math:`O(M^3)` per iteration,
        for cross-checks on small problems).

    Returns
    -------
    JKOResult

    Notes
    -----
    The functional is strictly convex when :math:`1/\tau + V'' > 0` and
    :math:`W` is convex; otherwise take ``tau`` small enough. With the
    competitor :math:`x = x^k`, every converged step satisfies
    :math:`F_M(x^{k+1}) + \frac1{2\tau M}\sum_j(x_j^{k+1} - x_j^k)^2 \le F_M(x^k)`.

    References
    ----------
    Jordan, Kinderlehrer and Otto (1998); Ambrosio, Gigli and Savaré (2008): see the module.

    Examples
    --------
    >>> from scipy import stats
    >>> x0 = quantile_nodes(stats.norm.ppf, 50)
    >>> res = jko_lagrangian(x0, 0.1, 5)
    >>> bool(res.success), bool(np.all(np.diff(res.free_energy) < 0))
    (True, True)
    """
    x = _check_nodes("x0", x0)
    tau = check_positive("tau", tau)
    n_steps = check_int("n_steps", n_steps, 1)
    beta = check_positive("beta", beta)
    tol = check_positive("tol", tol)
    max_iter = check_int("max_iter", max_iter, 1)
    check_choice("method", method, _METHODS)
    Vt = _Terms("V", V, dV)
    Wt = _Terms("W", W, dW)
    M = x.size
    if Wt.active:
        w = Wt.value(x[:, None] - x[None, :])
        if np.max(np.abs(w - w.T)) > 1e-12 * max(1.0, np.max(np.abs(w))):
            raise ValueError("W: must be even, W(-x) = W(x) (checked on the differences of x0)")

    xs = [x.copy()]
    energies = [_energy_parts(x, Vt, Wt, beta) / M]
    n_iter, residual = [], []
    success, message = True, f"{n_steps} steps converged"
    for k in range(n_steps):
        x, nit, res_norm, ok, msg = _jko_step(x, tau, Vt, Wt, beta, tol, max_iter, method)
        xs.append(x.copy())
        energies.append(_energy_parts(x, Vt, Wt, beta) / M)
        n_iter.append(nit)
        residual.append(res_norm)
        if not ok:
            success = False
            message = f"step {k + 1}: {msg}"
            break
    return JKOResult(
        t=tau * np.arange(len(xs)),
        x=np.array(xs),
        free_energy=np.array(energies),
        n_iter=np.array(n_iter, dtype=int),
        residual=np.array(residual),
        tau=tau,
        beta=beta,
        method=method,
        success=success,
        message=message,
    )



# --- (c) the finite-dimensional analogy ---------------------------------------------------

@dataclass(frozen=True)
class EulerResult:
    r"""Iterates of :func:`euler_steps`.

    Attributes
    ----------
    t : ndarray, shape (n_steps + 1,)
        :math:`k\tau`.
    x : ndarray, shape (n_steps + 1, d)
        The iterates :math:`x_k`.
    f : ndarray, shape (n_steps + 1,)
        :math:`f(x_k)`.
    tau : float
    method : str
    success : bool
        True if every implicit step converged (always True for ``"explicit"``).
    message : str
    """

    t: np.ndarray
    x: np.ndarray
    f: np.ndarray
    tau: float
    method: str
    success: bool
    message: str


def euler_steps(f, df, x0, tau, n_steps, *, method="implicit", tol=1e-12, max_iter=200) -> EulerResult:
    r"""Explicit or implicit (proximal) Euler steps for the gradient flow :math:`\dot x = -\nabla f(x)` in :math:`\mathbb R^d`.

    The finite-dimensional model of the JKO scheme: the implicit step is

    .. math::

        x_{k+1} = \operatorname*{argmin}_x\Big\{ f(x) + \frac{|x - x_k|^2}{2\tau}\Big\}
        \quad\Longleftrightarrow\quad \frac{x_{k+1} - x_k}{\tau} = -\nabla f(x_{k+1})

    (the proximal point method; for convex :math:`f` the minimiser is
    unique and :math:`f(x_{k+1}) \le f(x_k)` for every :math:`\tau`), the
    explicit step is :math:`x_{k+1} = x_k - \tau\nabla f(x_k)` (stable only
    for :math:`\tau` below :math:`2/\lambda_{\max}(\nabla^2 f)`).

    Parameters
    ----------
    f, df : callable
        :math:`f:\mathbb R^d\to\mathbb R` and its gradient (1-D arrays in and out).
    x0 : array_like, shape (d,)
        Starting point.
    tau : float
        Step, > 0.
    n_steps : int
        Number of steps, >= 1.
    method : {"implicit", "explicit"}
    tol : float
        Gradient tolerance of each implicit step (BFGS), > 0.
    max_iter : int
        Iterations per implicit step, >= 1.

    Returns
    -------
    EulerResult

    Examples
    --------
    >>> r = euler_steps(lambda x: 0.5 * x @ x, lambda x: x, [1.0], 0.5, 2)
    >>> np.round(r.x[:, 0], 6).tolist()  # x_k = (1 + tau)^(-k)
    [1.0, 0.666667, 0.444444]
    """
    for name, g in (("f", f), ("df", df)):
        if not callable(g):
            raise TypeError(f"{name}: expected a callable, got {type(g).__name__}")
    x = np.atleast_1d(np.asarray(x0, dtype=float))
    if x.ndim != 1 or not np.all(np.isfinite(x)):
        raise ValueError(f"x0: expected a finite 1-D array, got shape {np.shape(x0)}")
    tau = check_positive("tau", tau)
    n_steps = check_int("n_steps", n_steps, 1)
    check_choice("method", method, ("implicit", "explicit"))
    tol = check_positive("tol", tol)
    max_iter = check_int("max_iter", max_iter, 1)
    xs, success, message = [x.copy()], True, f"{n_steps} {method} steps"
    for k in range(n_steps):
        y = xs[-1]
        if method == "explicit":
            x = y - tau * np.asarray(df(y), dtype=float)
        else:
            res = optimize.minimize(
                lambda z: float(f(z)) + float(np.sum((z - y) ** 2)) / (2 * tau), y,
                jac=lambda z: np.asarray(df(z), dtype=float) + (z - y) / tau,
                method="BFGS", options={"gtol": tol, "maxiter": max_iter},
            )
            x = np.asarray(res.x, dtype=float)
            grad = np.asarray(df(x), dtype=float) + (x - y) / tau
            if not np.max(np.abs(grad)) <= 10 * tol * max(1.0, 1.0 / tau):
                success, message = False, f"step {k + 1}: {res.message}"
        xs.append(x.copy())
        if not success:
            break
    X = np.array(xs)
    return EulerResult(tau * np.arange(len(xs)), X, np.array([float(f(z)) for z in X]), tau, method,
                       success, message)
