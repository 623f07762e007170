r"""Finite volumes for the nonlinear Fokker--Planck (McKean--Vlasov) equation on an interval.

The model
---------
Probability densities :math:`\rho` on :math:`[a, b]` follow the Wasserstein
gradient flow of the free energy

.. math::

    F(\rho) = \int V\,d\rho + \frac12\iint W(x-y)\,d\rho(x)\,d\rho(y)
              + \beta^{-1}\int \rho\log\rho\,dx,

.. math::

    \partial_t\rho = \partial_x\Big(\rho\,\partial_x\big(V + W*\rho
        + \beta^{-1}\log\rho\big)\Big)
      = \partial_x\big(\rho\,(V' + W'*\rho)\big) + \beta^{-1}\partial_{xx}\rho,

with no-flux boundary conditions :math:`J(a) = J(b) = 0`, where
:math:`J = -\rho\,\partial_x\Phi - \beta^{-1}\partial_x\rho` is the flux
(:math:`\partial_t\rho + \partial_x J = 0`) and :math:`\Phi = V + W*\rho`
the potential. :math:`\beta > 0` is the inverse temperature; :math:`W` is
even. The heat equation :math:`\partial_t\rho = \partial_{xx}\rho` is
:math:`V = W = 0`, :math:`\beta = 1`; :math:`V = x^2/2` is the
Ornstein--Uhlenbeck process, whose law started from
:math:`N(m_0, s_0^2)` is :math:`N(m_0e^{-t},\ s_0^2e^{-2t} + \beta^{-1}(1-e^{-2t}))`.
Along the flow :math:`\frac{d}{dt}F(\rho) = -\int\rho\,|\partial_x(\Phi + \beta^{-1}\log\rho)|^2\,dx \le 0`.

The scheme
----------
On a :class:`~meanfield.grids.Grid1D` (cell centres :math:`x_i`, width
:math:`\Delta x`) the interaction is the midpoint rule
:math:`(W*\rho)_i = \Delta x\sum_j W(x_i - x_j)\rho_j` (a discrete
convolution: a dense Toeplitz matrix for :math:`n\le 2000`,
:func:`scipy.signal.fftconvolve` beyond). With the
Bernoulli function :math:`B(z) = z/(e^z - 1)` (:func:`bernoulli`) and
:math:`z_{i+1/2} = \beta(\Phi_{i+1} - \Phi_i)`, the Scharfetter--Gummel flux
across the face between cells :math:`i` and :math:`i+1` is

.. math::

    J_{i+1/2} = -\frac{\beta^{-1}}{\Delta x}\Big[B(-z_{i+1/2})\,\rho_{i+1}
        - B(z_{i+1/2})\,\rho_i\Big],

and :math:`J_{-1/2} = J_{n-1/2} = 0`. This is the exact flux of the
one-dimensional two-point problem with a linear potential on the face; it
vanishes exactly when :math:`\rho_{i+1}/\rho_i = e^{-z_{i+1/2}}`, i.e. on
the discrete Gibbs state :math:`\rho_i\propto e^{-\beta\Phi_i}`, and for
:math:`z\to 0` it reduces to :math:`-\bar\rho\,\Delta\Phi/\Delta x -
\beta^{-1}\Delta\rho/\Delta x` (centred differences). *Sign:* since
:math:`B(-z) = e^{z}B(z)`, the weight :math:`B(-z)` multiplies the
**downstream** value :math:`\rho_{i+1}`; the transposed form
:math:`B(z)\rho_{i+1} - B(-z)\rho_i` would have the equilibrium
:math:`e^{+\beta\Phi}` and drift up the potential.

Time stepping is backward Euler in :math:`\rho` with :math:`\Phi` frozen at
the old density (explicit in the interaction only):

.. math::

    \rho^{k+1}_i - \rho^k_i = -\frac{\Delta t}{\Delta x}
        \big(J_{i+1/2}[\rho^{k+1}, \Phi^k] - J_{i-1/2}[\rho^{k+1}, \Phi^k]\big),
    \qquad \Phi^k = V + W*\rho^k,

one tridiagonal solve per step (:func:`scipy.linalg.solve_banded`). The
matrix :math:`I - \Delta t L` has columns summing to 1 (mass is conserved
to rounding) and is a column diagonally dominant M-matrix with a positive
inverse, so :math:`\rho^k\ge 0,\ \ne 0` gives :math:`\rho^{k+1} > 0`
(every cell occupied after one step; underflow aside), with no restriction
on :math:`\Delta t`. For :math:`W = 0` the discrete Gibbs state
:math:`e^{-\beta V_i}/Z` is stationary. The scheme is first order in
:math:`\Delta t` and second order in :math:`\Delta x`.

Discrete free energy and dissipation
------------------------------------
:math:`F_h(\rho) = \Delta x\sum_i\big[V_i\rho_i + \tfrac12\rho_i(W*\rho)_i
+ \beta^{-1}\rho_i\log\rho_i\big]` (:math:`0\log 0 = 0`). With
:math:`\xi_i = \Phi_i + \beta^{-1}\log\rho_i`, summation by parts gives for
the semi-discrete scheme :math:`\frac{d}{dt}F_h = -I_h` with

.. math::

    I_h(\rho) = -\sum_{i=0}^{n-2} J_{i+1/2}\,(\xi_{i+1} - \xi_i)
              = \sum_i \Delta x\,\theta_{i+1/2}
                \Big(\frac{\xi_{i+1}-\xi_i}{\Delta x}\Big)^2 \;\ge 0,

a discrete :math:`\int\rho|\partial_x\xi|^2`: :math:`\theta_{i+1/2} > 0` is
a face density, for :math:`\Phi = 0` the logarithmic mean
:math:`(\rho_{i+1}-\rho_i)/(\log\rho_{i+1}-\log\rho_i)`. For :math:`W = 0`
backward Euler and convexity of :math:`F_h` give the discrete energy
inequality :math:`F_h(\rho^{k}) - F_h(\rho^{k+1}) \ge \Delta t\,I_h(\rho^{k+1})`.

References
----------
.. [1] D. L. Scharfetter and H. K. Gummel, "Large-signal analysis of a
   silicon Read diode oscillator", IEEE Trans. Electron Devices 16(1)
   (1969) 64--77.
.. [2] R. Jordan, D. Kinderlehrer and F. Otto, "The variational formulation
   of the Fokker--Planck equation", SIAM J. Math. Anal. 29(1) (1998) 1--17.
.. [3] L. Ambrosio, N. Gigli and G. Savaré, *Gradient Flows in Metric Spaces
   and in the Space of Probability Measures*, 2nd ed., Birkhäuser, 2008.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import linalg, signal, special

from .grids import Grid1D
from .utils import check_int, check_positive

__all__ = [
    "bernoulli",
    "gibbs_state",
    "make_density",
    "free_energy",
    "dissipation",
    "FokkerPlanckResult",
    "solve_fokker_planck",
    "LandauProfile",
    "landau_profile",
]

_MASS_TOL = 1e-8


def bernoulli(z):
    r"""Bernoulli function :math:`B(z) = z/(e^z - 1)`, :math:`B(0) = 1`, evaluated stably.

    Uses ``expm1`` (no cancellation near 0) and, for :math:`z > 0`, the form
    :math:`z e^{-z}/(1 - e^{-z})` (no overflow). :math:`B > 0`,
    :math:`B(-z) = B(z) + z = e^{z}B(z)`; :math:`B(z)\sim -z` as
    :math:`z\to-\infty` and :math:`B(z)\sim z e^{-z}` as :math:`z\to+\infty`.

    Parameters
    ----------
    z : array_like
        Finite real numbers.

    Returns
    -------
    ndarray
        Same shape as ``z``.

    Examples
    --------
    >>> float(bernoulli(0.0))
    1.0
    >>> bool(np.isclose(bernoulli(np.log(2.0)), np.log(2.0), rtol=1e-15))  # B(log 2) = log 2
    True
    """
    z = np.asarray(z, dtype=float)
    if not np.all(np.isfinite(z)):
        raise ValueError("z: contains NaN or infinite entries")
    neg = z < 0
    az = np.abs(z)
    # B(z) = |z| e^{-|z|} / (1 - e^{-|z|}) for z > 0 and |z| / (1 - e^{-|z|}) for z < 0
    den = -np.expm1(-az)
    safe = np.where(az > 0, den, 1.0)
    out = np.where(neg, az, az * np.exp(-az)) / safe
    return np.where(az > 0, out, 1.0)


# --- input checks --------------------------------------------------------------

def _check_grid(grid):
    if not isinstance(grid, Grid1D):
        raise TypeError(f"grid: expected a meanfield.grids.Grid1D, got {type(grid).__name__}")
    return grid


def _eval_potential(name, f, x):
    """Values of the callable ``f`` at ``x``; finite, same shape."""
    if f is None:
        return np.zeros_like(x)
    if not callable(f):
        raise TypeError(f"{name}: expected a callable of x or None, got {type(f).__name__}")
    out = np.asarray(f(x), dtype=float)
    if out.shape != x.shape:
        out = np.broadcast_to(out, x.shape).copy() if out.ndim == 0 else out
    if out.shape != x.shape:
        raise ValueError(f"{name}: must map an array of shape {x.shape} to the same shape, got {out.shape}")
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{name}: returned NaN or infinite values on the grid")
    return out


class _Interaction:
    r"""The discrete convolution :math:`(W*\rho)_i = \Delta x\sum_j W(x_i-x_j)\rho_j`.

    A dense Toeplitz matrix for ``n <= dense_max`` (a fast matrix-vector
    product), :func:`scipy.signal.fftconvolve` beyond.
    """

    def __init__(self, W, grid, dense_max=2000):
        n, dx = grid.n, grid.dx
        offsets = dx * np.arange(-(n - 1), n)  # x_i - x_j for i - j = -(n-1), ..., n-1
        kern = _eval_potential("W", W, offsets)
        scale = np.max(np.abs(kern))
        if np.max(np.abs(kern - kern[::-1])) > 1e-12 * max(scale, 1.0):
            raise ValueError("W: must be even, W(-x) = W(x) (checked on the grid offsets)")
        self.kernel = dx * 0.5 * (kern + kern[::-1])
        self.n = n
        # matrix[i, j] = kernel[(i - j) + n - 1]
        self.matrix = linalg.toeplitz(self.kernel[n - 1 :]) if n <= dense_max else None

    def __call__(self, rho):
        if self.matrix is not None:
            return self.matrix @ rho
        full = signal.fftconvolve(rho, self.kernel, mode="full")
        return full[self.n - 1 : 2 * self.n - 1]


def _setup(grid, V, W):
    grid = _check_grid(grid)
    v = _eval_potential("V", V, grid.centers)
    conv = None if W is None else _Interaction(W, grid)
    return grid, v, conv


def _check_density(name, rho, grid, *, mass_tol=_MASS_TOL):
    rho = np.asarray(rho, dtype=float)
    if rho.shape != (grid.n,):
        raise ValueError(f"{name}: expected shape ({grid.n},) (the grid centres), got {rho.shape}")
    if not np.all(np.isfinite(rho)):
        raise ValueError(f"{name}: contains NaN or infinite entries")
    mass = grid.integrate(rho)
    if np.any(rho < 0) or abs(mass - 1.0) > mass_tol:
        raise ValueError(
            f"{name}: must be a probability density on the grid (values >= 0 and "
            f"grid.integrate({name}) = 1 within {mass_tol:g}); got min {rho.min():.3g}, mass {mass:.12g}"
        )
    return rho


def _check_nonneg_density(name, rho, grid):
    rho = np.asarray(rho, dtype=float)
    if rho.shape != (grid.n,):
        raise ValueError(f"{name}: expected shape ({grid.n},) (the grid centres), got {rho.shape}")
    if not np.all(np.isfinite(rho)) or np.any(rho < 0):
        raise ValueError(f"{name}: must have finite values >= 0")
    return rho


# --- public helpers ----------------------------------------------------------------

def gibbs_state(grid, V=None, *, beta=1.0):
    r"""Discrete Gibbs state :math:`\rho_i = e^{-\beta V(x_i)}/Z`, :math:`Z = \Delta x\sum_i e^{-\beta V(x_i)}`.

    The stationary state of :func:`solve_fokker_planck` when :math:`W = 0`
    (computed with :math:`V - \min V` to avoid overflow).

    Returns
    -------
    ndarray, shape (n,)
    """
    grid = _check_grid(grid)
    beta = check_positive("beta", beta)
    v = _eval_potential("V", V, grid.centers)
    g = np.exp(-beta * (v - v.min()))
    return g / grid.integrate(g)


def make_density(pdf, grid):
    """Evaluate a density at the cell centres and normalise it to mass 1 on the grid.

    Parameters
    ----------
    pdf : callable
        Vectorised, non-negative function of ``x`` (need not be normalised).
    grid : Grid1D

    Returns
    -------
    ndarray, shape (n,)
        ``pdf(x_i) / (dx * sum_j pdf(x_j))``: a valid ``rho0`` for :func:`solve_fokker_planck`.
    """
    grid = _check_grid(grid)
    vals = _eval_potential("pdf", pdf, grid.centers)
    if np.any(vals < 0):
        raise ValueError("pdf: must be >= 0 at the grid centres")
    mass = grid.integrate(vals)
    if mass <= 0:
        raise ValueError("pdf: vanishes at every grid centre; cannot normalise")
    return vals / mass


def _potential(rho, v, conv):
    return v if conv is None else v + conv(rho)


def free_energy(rho, grid, *, V=None, W=None, beta=1.0) -> float:
    r"""Discrete free energy :math:`F_h(\rho)` (module docstring).

    .. math::

        F_h(\rho) = \Delta x\sum_i\Big[V(x_i)\rho_i + \tfrac12\rho_i(W*\rho)_i
            + \beta^{-1}\rho_i\log\rho_i\Big], \qquad 0\log 0 = 0.

    Parameters
    ----------
    rho : array_like, shape (n,)
        Non-negative values at the cell centres (the mass is not checked).
    grid : Grid1D
    V, W : callable or None
        Confinement and (even) interaction potentials, vectorised in ``x``.
    beta : float
        Inverse temperature, > 0.

    Returns
    -------
    float
    """
    grid, v, conv = _setup(grid, V, W)
    beta = check_positive("beta", beta)
    rho = _check_nonneg_density("rho", rho, grid)
    return _free_energy(rho, grid, v, conv, beta)


def _free_energy(rho, grid, v, conv, beta):
    dens = v * rho + special.xlogy(rho, rho) / beta
    if conv is not None:
        dens = dens + 0.5 * rho * conv(rho)
    return grid.integrate(dens)


def _sg_coefficients(phi, beta):
    z = beta * np.diff(phi)
    return bernoulli(-z), bernoulli(z)  # weights of rho_{i+1} and rho_i


def _sg_flux(rho, phi, beta, dx):
    up, down = _sg_coefficients(phi, beta)
    return -(up * rho[1:] - down * rho[:-1]) / (beta * dx)


def dissipation(rho, grid, *, V=None, W=None, beta=1.0) -> float:
    r"""Discrete dissipation :math:`I_h(\rho)`, consistent with the scheme.

    The discrete version of
    :math:`\int\rho\,|\partial_x(\Phi + \beta^{-1}\log\rho)|^2\,dx`:

    .. math::

        I_h(\rho) = -\sum_{i=0}^{n-2} J_{i+1/2}\,(\xi_{i+1}-\xi_i),
        \qquad \xi_i = V(x_i) + (W*\rho)_i + \beta^{-1}\log\rho_i,

    with the Scharfetter--Gummel flux :math:`J` of the module docstring; for
    the semi-discrete scheme :math:`\frac{d}{dt}F_h(\rho) = -I_h(\rho)`.
    A face between two empty cells contributes 0, a face between an empty
    and an occupied cell :math:`+\infty`.

    Parameters
    ----------
    rho : array_like, shape (n,)
        Non-negative values at the cell centres.
    grid : Grid1D
    V, W, beta
        As in :func:`free_energy`.

    Returns
    -------
    float
        :math:`\ge 0` up to rounding.
    """
    grid, v, conv = _setup(grid, V, W)
    beta = check_positive("beta", beta)
    rho = _check_nonneg_density("rho", rho, grid)
    return _dissipation(rho, grid, _potential(rho, v, conv), beta)


def _dissipation(rho, grid, phi, beta):
    flux = _sg_flux(rho, phi, beta, grid.dx)
    pos = rho > 0
    logr = np.log(np.where(pos, rho, 1.0))
    dxi = np.diff(phi) + np.diff(logr) / beta
    both = pos[1:] & pos[:-1]
    none = ~pos[1:] & ~pos[:-1]
    terms = np.where(both, -flux * dxi, np.where(none, 0.0, np.inf))
    return float(np.sum(terms))


@dataclass(frozen=True)
class FokkerPlanckResult:
    r"""Output of :func:`solve_fokker_planck`.

    Attributes
    ----------
    t : ndarray, shape (n_saved,)
        Saved times (``0``, every ``save_every`` steps, and the last step).
    rho : ndarray, shape (n_saved, n)
        Densities at the cell centres at those times.
    mass : ndarray, shape (n_saved,)
        :math:`\Delta x\sum_i\rho_i` (conserved to rounding).
    free_energy : ndarray, shape (n_saved,)
        Discrete free energy :math:`F_h` (:func:`free_energy`).
    dissipation : ndarray, shape (n_saved,)
        Discrete dissipation :math:`I_h` (:func:`dissipation`).
    grid : Grid1D
    dt, beta : float
    n_steps : int
        Time steps taken.
    success : bool
        False if a step produced non-finite or negative values (the run stops there).
    message : str
    """

    t: np.ndarray
    rho: np.ndarray
    mass: np.ndarray
    free_energy: np.ndarray
    dissipation: np.ndarray
    grid: Grid1D
    dt: float
    beta: float
    n_steps: int
    success: bool
    message: str


def solve_fokker_planck(rho0, grid, *, V=None, W=None, beta=1.0, dt, n_steps, save_every=1) -> FokkerPlanckResult:
    r"""Solve the nonlinear Fokker--Planck equation on ``[grid.a, grid.b]`` with no-flux boundaries.

    .. math::

        \partial_t\rho = \partial_x\big(\rho\,\partial_x(V + W*\rho)\big)
            + \beta^{-1}\partial_{xx}\rho.

    Scharfetter--Gummel finite volumes, backward Euler in :math:`\rho` with
    the interaction potential taken from the previous step (see the module
    docstring): conservative, positivity preserving for every ``dt``, exact
    discrete Gibbs state for :math:`W = 0`; first order in ``dt``, second
    order in ``dx``. Only values of ``V`` and ``W`` are used (no derivatives).

    Parameters
    ----------
    rho0 : array_like, shape (n,)
        Initial density at ``grid.centers``: values >= 0 and
        ``grid.integrate(rho0) == 1`` within ``1e-8`` (use
        :func:`make_density` to sample and normalise a pdf).
    grid : Grid1D
        The interval :math:`[a, b]` and its cells.
    V : callable or None
        Confinement potential, vectorised in ``x`` (``None``: :math:`V = 0`).
    W : callable or None
        Even interaction potential, vectorised in ``x``; evaluated at the
        grid offsets :math:`x_i - x_j` (``None``: no interaction).
    beta : float
        Inverse temperature, > 0 (diffusion coefficient :math:`\beta^{-1}`).
    dt : float
        Time step, > 0.
    n_steps : int
        Number of steps, >= 1.
    save_every : int
        Store every ``save_every``-th step (the last step is always stored).

    Returns
    -------
    FokkerPlanckResult

    References
    ----------
    Scharfetter and Gummel (1969); Jordan, Kinderlehrer and Otto (1998): see the module.

    Examples
    --------
    >>> from meanfield.grids import make_grid
    >>> g = make_grid(-6.0, 6.0, 200)
    >>> rho0 = make_density(lambda x: np.exp(-x**2 / 0.5), g)
    >>> res = solve_fokker_planck(rho0, g, V=lambda x: x**2 / 2, dt=0.01, n_steps=100)
    >>> bool(res.success), bool(abs(res.mass[-1] - 1) < 1e-13)
    (True, True)
    """
    grid, v, conv = _setup(grid, V, W)
    beta = check_positive("beta", beta)
    dt = check_positive("dt", dt)
    n_steps = check_int("n_steps", n_steps, 1)
    save_every = check_int("save_every", save_every, 1)
    rho = _check_density("rho0", rho0, grid).copy()

    n, dx = grid.n, grid.dx
    c = dt / (beta * dx * dx)
    ab = np.empty((3, n))

    def step_matrix(phi):
        # row i of -(dt/dx)(J_{i+1/2} - J_{i-1/2}):
        #   c [(up_i rho_{i+1} - down_i rho_i) - (up_{i-1} rho_i - down_{i-1} rho_{i-1})]
        up, down = _sg_coefficients(phi, beta)
        ab[0, 0] = 0.0
        ab[0, 1:] = -c * up
        ab[1, :] = 1.0
        ab[1, :-1] += c * down
        ab[1, 1:] += c * up
        ab[2, :-1] = -c * down
        ab[2, -1] = 0.0
        return ab

    saved_t, saved_rho = [0.0], [rho.copy()]
    success, message, done = True, f"{n_steps} steps completed", 0
    if conv is None:
        step_matrix(v)  # constant in time
    for k in range(1, n_steps + 1):
        if conv is not None:
            step_matrix(v + conv(rho))
        new = linalg.solve_banded((1, 1), ab, rho, check_finite=False)
        if not (np.all(np.isfinite(new)) and np.all(new >= 0)):
            success = False
            message = f"step {k}: the linear solve produced non-finite or negative values"
            break
        rho, done = new, k
        if k % save_every == 0 or k == n_steps:
            saved_t.append(k * dt)
            saved_rho.append(rho.copy())
    if saved_t[-1] != done * dt:  # keep the last good state after a failure
        saved_t.append(done * dt)
        saved_rho.append(rho.copy())

    rhos = np.array(saved_rho)
    F = np.array([_free_energy(r, grid, v, conv, beta) for r in rhos])
    I = np.array([_dissipation(r, grid, _potential(r, v, conv), beta) for r in rhos])
    return FokkerPlanckResult(
        t=np.array(saved_t),
        rho=rhos,
        mass=grid.integrate(rhos),
        free_energy=F,
        dissipation=I,
        grid=grid,
        dt=dt,
        beta=beta,
        n_steps=done,
        success=success,
        message=message,
    )


@dataclass(frozen=True)
class LandauProfile:
    r"""Output of :func:`landau_profile`: the free energy as a function of the mean.

    Attributes
    ----------
    field : ndarray, shape (k,)
        The Lagrange fields :math:`\eta`.
    m : ndarray, shape (k,)
        Means :math:`m(\eta) = \int x\,d\rho_\eta` (increasing in :math:`\eta`).
    free_energy : ndarray, shape (k,)
        :math:`\hat F(m(\eta)) = F(\rho_\eta)` (discrete, :func:`free_energy`).
    rho : ndarray, shape (k, n)
        The constrained minimisers :math:`\rho_\eta` on the grid.
    beta, theta : float
    success : bool
    message : str
    """

    field: np.ndarray
    m: np.ndarray
    free_energy: np.ndarray
    rho: np.ndarray
    beta: float
    theta: float
    success: bool
    message: str


def landau_profile(grid, fields, *, V, theta, beta=1.0) -> LandauProfile:
    r"""Landau free energy :math:`\hat F(m) = \min\{F(\rho) : \int x\rho = m\}` for :math:`W = \theta x^2/2`.

    With :math:`W = \theta x^2/2` the interaction energy of a density of mean
    :math:`m` is :math:`\frac\theta2\mathrm{Var}(\rho) = \frac\theta2\int(x^2 - m^2)\rho`,
    linear in :math:`\rho` on the slice of mean :math:`m`. On that slice
    :math:`F` is therefore strictly convex (entropy), and a Lagrange
    multiplier :math:`\eta` for the mean gives its unique minimiser

    .. math::

        \rho_\eta(x) = Z_\eta^{-1}\exp\big(-\beta(V(x) + \tfrac\theta2x^2 - \eta x)\big),
        \qquad m(\eta) = \int x\rho_\eta,

    with :math:`m'(\eta) = \beta\,\mathrm{Var}(\rho_\eta) > 0`. So
    :math:`\eta\mapsto(m(\eta), F(\rho_\eta))` traces :math:`\hat F`, and
    :math:`\hat F'(m) = \eta - \theta m`: its critical points are the
    stationary states (:math:`\eta = \theta m`), and
    :math:`\hat F''(0) = 1/(\beta\mathrm{Var}\rho_0) - \theta` changes sign at
    the critical :math:`\beta_c` of :func:`meanfield.particles.desai_zwanzig_critical_beta`.

    Parameters
    ----------
    grid : Grid1D
    fields : array_like, shape (k,)
        Values of :math:`\eta` (finite).
    V : callable
        Confinement, vectorised.
    theta : float
        Coupling of :math:`W = \theta x^2/2`, >= 0.
    beta : float
        > 0.

    Examples
    --------
    >>> from meanfield.grids import make_grid
    >>> prof = landau_profile(make_grid(-8, 8, 400), [0.0, 1.0], V=lambda x: 0.5 * x**2, theta=1.0)
    >>> [round(float(v), 6) for v in prof.m]   # m = eta / (1 + theta)
    [0.0, 0.5]
    """
    grid = _check_grid(grid)
    beta = check_positive("beta", beta)
    theta = float(theta)
    if not np.isfinite(theta) or theta < 0:
        raise ValueError(f"theta: must be finite and >= 0, got {theta}")
    fields = np.atleast_1d(np.asarray(fields, dtype=float))
    if fields.ndim != 1 or fields.size == 0 or not np.all(np.isfinite(fields)):
        raise ValueError("fields: expected a non-empty 1-D array of finite values")
    x = grid.centers
    v = _eval_potential("V", V, x)
    W = lambda z: 0.5 * theta * z**2  # noqa: E731
    rhos, ms, fs = [], [], []
    for eta in fields:
        e = beta * (v + 0.5 * theta * x**2 - eta * x)
        rho = np.exp(-(e - e.min()))
        rho = rho / grid.integrate(rho)
        rhos.append(rho)
        ms.append(grid.integrate(x * rho))
        fs.append(free_energy(rho, grid, V=V, W=W, beta=beta))
    return LandauProfile(fields, np.array(ms), np.array(fs), np.array(rhos), beta, theta, True,
                         f"{fields.size} constrained minimisers")
