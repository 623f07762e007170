r"""Crowd-averse mean-field games: a finite-difference solver with three iterations.

The model
---------
A representative agent controls :math:`dX_t = \alpha_t\,dt + \sigma\,dW_t` on an
interval with reflecting ends (or on a circle) and minimises

.. math::

    \mathbb E\Big[\int_0^T\Big(\tfrac12\alpha_t^2 + V(X_t) + \lambda\,m(t, X_t)\Big)dt
        + G(X_T)\Big],

where :math:`m(t,\cdot)` is the density of the population. The term
:math:`\lambda m` (:math:`\lambda\ge 0`) is **crowd aversion**: standing where
others stand costs. The coupling :math:`F(x, m) = V(x) + \lambda m(x)` is
*local* (it depends on the density at the agent's own position), so no
quadratic ansatz closes and the game has no closed form. The MFG system, with
:math:`\nu = \sigma^2/2`, is

.. math::

    -\partial_t u - \nu\,\partial_{xx}u + \tfrac12|\partial_x u|^2 = V(x) + \lambda m,
    \qquad u(T) = G,

    \partial_t m - \nu\,\partial_{xx}m - \partial_x(m\,\partial_x u) = 0,
    \qquad m(0) = m_0,

and :math:`F` is monotone in the sense of Lasry--Lions,
:math:`\int(F(x,m_1) - F(x,m_2))\,d(m_1 - m_2) = \lambda\|m_1 - m_2\|_{L^2}^2\ge 0`,
so the equilibrium is unique.

The discrete system
-------------------
The scheme of Achdou and Capuzzo-Dolcetta [1]_: cell centres :math:`x_i`,
:math:`h = \Delta x`, :math:`\Delta t = T/n_{\rm steps}`, one-sided differences
:math:`D^\pm`, the three-point Laplacian :math:`\Delta_h` (reflected
neighbours at a no-flux end), the monotone upwind Hamiltonian
:math:`g(u)_i = \frac12[(D^-u)_{i,+}^2 + (D^+u)_{i,-}^2]` and its Jacobian
:math:`J_g(u) = \operatorname{diag}((D^-u)_+)D^- + \operatorname{diag}((D^+u)_-)D^+`.
With :math:`A(u) = I/\Delta t - \nu\Delta_h + J_g(u)` the unknowns
:math:`u^0,\dots,u^{n-1}` and :math:`m^1,\dots,m^{n}` (:math:`n = n_{\rm steps}`)
solve

.. math::

    R_u^k = \frac{u^k - u^{k+1}}{\Delta t} - \nu\Delta_h u^k + g(u^k) - V - \lambda m^{k+1} = 0,
    \qquad u^{n} = G,

    R_m^{k+1} = A(u^k)^{\!\top} m^{k+1} - \frac{m^k}{\Delta t} = 0, \qquad m^0 = m_0,

for :math:`k = 0,\dots,n-1`. The FP equation is the exact adjoint of the
linearised HJB: :math:`A^{\top}` has column sums :math:`1/\Delta t` and a
non-negative inverse, so the mass is conserved to rounding and :math:`m\ge 0`.

Three ways to solve it (``method``)
-----------------------------------
``"fixed_point"``
    :math:`m \leftarrow (1-\theta)m + \theta\,\Phi(m)` with :math:`\Phi` = (HJB
    backward for the given :math:`m`, by Newton in each step, then FP
    forward) and :math:`\theta` = ``damping``. Linear convergence at best;
    for strong coupling it slows down or cycles.
``"fictitious_play"``
    The same with :math:`\theta_j = 1/(j+1)` at iteration :math:`j`: the
    density is the running average of the past best responses. It converges
    for monotone couplings (Cardaliaguet--Hadikhanloo [2]_) but only like
    :math:`1/j`.
``"newton"``
    Newton's method on the whole coupled system :math:`R(u, m) = 0` (all
    times at once), started from one fixed-point sweep. Its Jacobian is the
    sparse block matrix

    .. math::

        \begin{pmatrix} \partial_u R_u & -\lambda I \\
                        \partial_u R_m & \partial_m R_m \end{pmatrix},\quad
        \partial_u R_u = \operatorname{blockdiag}A(u^k) - \tfrac{1}{\Delta t}(\text{shift}),\quad
        \partial_m R_m = \operatorname{blockdiag}A(u^k)^{\top} - \tfrac{1}{\Delta t}(\text{shift}),

    with :math:`\partial_{u^k}R_m^{k+1} = (D^-)^{\top}\operatorname{diag}(m^{k+1}1_{D^-u^k>0})D^-
    + (D^+)^{\top}\operatorname{diag}(m^{k+1}1_{D^+u^k<0})D^+`. The upwind
    Hamiltonian is piecewise quadratic, so this is a semismooth Newton method
    (full steps); near the solution it converges quadratically, and in the
    tests and the book it needs 6-12 iterations whatever :math:`\lambda`. The
    first steps may increase the residual (the start is far from the solution).

All three report the same residual, the size of the discrete system at the
current iterate (for the two fixed-point methods: at the last best response,
which solves the FP equations exactly, so that the residual is
:math:`\lambda` times the gap between the expected and the realised density),
:math:`r = \max_k h\sum_i|R_u^k|_i + \max_k h\sum_i|R_m^{k+1}|_i`.

References
----------
.. [1] Y. Achdou and I. Capuzzo-Dolcetta, "Mean field games: numerical
   methods", SIAM J. Numer. Anal. 48(3) (2010) 1136--1162.
.. [2] P. Cardaliaguet and S. Hadikhanloo, "Learning in mean field games: the
   fictitious play", ESAIM: COCV 23 (2017) 569--591.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.sparse.linalg import spsolve

from .grids import Grid1D
from .mfg import _Discretisation
from .utils import check_choice, check_in_range, check_int, check_nonnegative, check_positive

__all__ = ["CrowdMFGResult", "solve_crowd_mfg", "crowd_residual", "discrete_errors"]

_METHODS = ("newton", "fixed_point", "fictitious_play")


@dataclass(frozen=True)
class CrowdMFGResult:
    r"""Output of :func:`solve_crowd_mfg`.

    Attributes
    ----------
    t : ndarray, shape (n_steps + 1,)
        :math:`t_k = k\,\Delta t`.
    x : ndarray, shape (n,)
        Cell centres.
    u : ndarray, shape (n_steps + 1, n)
        Value function; ``u[-1] = G``.
    m : ndarray, shape (n_steps + 1, n)
        Densities, :math:`h\sum_i m^k_i = 1`; ``m[0] = m0``.
    mass : ndarray, shape (n_steps + 1,)
        :math:`h\sum_i m^k_i`.
    residual : ndarray, shape (n_iter + 1,)
        Residual :math:`r` of the discrete system (module docstring) at the
        starting point and after each iteration.
    n_iter : int
        Iterations done.
    method : str
    lam, nu : float
        Crowd aversion :math:`\lambda` and viscosity :math:`\nu`.
    success : bool
        ``residual[-1] <= tol``.
    message : str
    """

    t: np.ndarray
    x: np.ndarray
    u: np.ndarray
    m: np.ndarray
    mass: np.ndarray
    residual: np.ndarray
    n_iter: int
    method: str
    lam: float
    nu: float
    success: bool
    message: str

    def mean(self):
        """Mean of :math:`m` at each time, shape ``(n_steps + 1,)``."""
        return self.m @ self.x / self.m.sum(axis=1)


class _CrowdDiscretisation(_Discretisation):
    """The scheme of :func:`meanfield.mfg.solve_mfg_fd`, plus the Jacobian of the coupled system."""

    def jacobian(self, u, m, lam):
        """Jacobian of (R_u, R_m) in (u^0..u^{K-1}, m^1..m^K); u = u[:-1], m = m[1:], shape (K, n)."""
        K, n = u.shape
        off = (np.arange(K) * n)[:, None]
        rows, cols, vals = self.a_entries(u)
        R, C, W = [], [], []
        # d R_u / d u: blockdiag A(u^k), and -I/dt on the block superdiagonal
        R += [(off + rows).ravel()]
        C += [(off + cols).ravel()]
        W += [vals.ravel()]
        j = np.arange((K - 1) * n)
        R += [j]
        C += [j + n]
        W += [np.full(j.size, -1 / self.dt)]
        # d R_u / d m = -lam I
        j = np.arange(K * n)
        R += [j]
        C += [K * n + j]
        W += [np.full(j.size, -lam)]
        # d R_m / d m: blockdiag A(u^k)^T, and -I/dt on the block subdiagonal
        R += [(K * n + off + cols).ravel()]
        C += [(K * n + off + rows).ravel()]
        W += [vals.ravel()]
        j = np.arange(n, K * n)
        R += [K * n + j]
        C += [K * n + j - n]
        W += [np.full(j.size, -1 / self.dt)]
        # d R_m / d u: D^-^T diag(m 1{D^-u > 0}) D^- + D^+^T diag(m 1{D^+u < 0}) D^+
        pm, pp = self.diffs(u)
        for nb, w in ((self.il, m * (pm > 0)), (self.ir, m * (pp < 0))):
            w = w / self.h**2
            for r_, c_, s in ((self.i, self.i, 1), (nb, nb, 1), (self.i, nb, -1), (nb, self.i, -1)):
                R += [(K * n + off + r_).ravel()]
                C += [(off + c_).ravel()]
                W += [(s * w).ravel()]
        return sparse.csc_matrix((np.concatenate(W), (np.concatenate(R), np.concatenate(C))),
                                 shape=(2 * K * n, 2 * K * n))


def _residuals(d, u, m, V, lam):
    """R_u (rows k = 0..K-1) and R_m (row k for m^{k+1})."""
    Ru = (u[:-1] - u[1:]) / d.dt - d.nu * d.lap(u[:-1]) + d.ham(u[:-1]) - V - lam * m[1:]
    Rm = d.a_transpose_times(u[:-1], m[1:]) - m[:-1] / d.dt
    return Ru, Rm


def _norm(d, Ru, Rm):
    return float(d.h * np.max(np.abs(Ru).sum(axis=1)) + d.h * np.max(np.abs(Rm).sum(axis=1)))


def _sweep(d, m, V, G, lam):
    """One best response: HJB backward for m, then FP forward. Returns u, m_new, ok."""
    n_steps = m.shape[0] - 1
    u = np.empty_like(m)
    u[-1] = G
    ok = True
    for k in range(n_steps - 1, -1, -1):
        u[k], _, good = d.hjb_step(u[k + 1], V + lam * m[k + 1])
        ok &= good
    m_new = np.empty_like(m)
    m_new[0] = m[0]
    for k in range(n_steps):
        m_new[k + 1] = d.solve(u[k], m_new[k] / d.dt, transpose=True)
    return u, m_new, ok


def _newton_step(d, u, m, V, lam):
    """Newton direction for the coupled system (unknowns u^0..u^{K-1}, m^1..m^K)."""
    K, n = u.shape[0] - 1, u.shape[1]
    Ru, Rm = _residuals(d, u, m, V, lam)
    step = spsolve(d.jacobian(u[:-1], m[1:], lam), -np.concatenate([Ru.ravel(), Rm.ravel()]))
    return step[: K * n].reshape(K, n), step[K * n:].reshape(K, n)


def _as_values(name, f, x):
    out = f(x) if callable(f) else f
    out = np.broadcast_to(np.asarray(out, dtype=float), x.shape).copy()
    if not np.all(np.isfinite(out)):
        raise ValueError(f"{name}: must give finite values on the grid")
    return out


def solve_crowd_mfg(grid, m0, *, V, G, lam, T, nu, n_steps, method="newton",
                    boundary="neumann", damping=0.5, tol=1e-10, max_iter=100) -> CrowdMFGResult:
    r"""Solve the crowd-averse MFG (module docstring) by finite differences.

    Parameters
    ----------
    grid : Grid1D
        Cell-centred grid (:func:`meanfield.grids.make_grid`); on the circle
        its length is the period.
    m0 : array_like, shape (n,)
        Initial density, :math:`\ge 0`, renormalised to :math:`h\sum_i m_i = 1`.
    V, G : callable or array_like
        Running potential :math:`V(x)` and terminal cost :math:`G(x)`, as
        functions of the cell centres or as values on them.
    lam : float
        Crowd aversion :math:`\lambda\ge 0` (:math:`\lambda = 0`: a control
        problem, no game).
    T : float
        Horizon.
    nu : float
        Viscosity :math:`\nu = \sigma^2/2 > 0`.
    n_steps : int
        Time steps.
    method : {"newton", "fixed_point", "fictitious_play"}
        The iteration (module docstring).
    boundary : {"neumann", "periodic"}
    damping : float
        :math:`\theta\in(0, 1]` of ``"fixed_point"``.
    tol : float
        Stop when the residual :math:`r\le` ``tol``.
    max_iter : int
        Maximum iterations.

    Returns
    -------
    CrowdMFGResult
        ``success`` is False (with the residual history) when ``tol`` is not
        reached; the last iterate is returned.

    Examples
    --------
    >>> from meanfield.grids import make_grid
    >>> g = make_grid(0.0, 1.0, 40)
    >>> res = solve_crowd_mfg(g, np.exp(-50 * (g.centers - 0.3) ** 2), V=0.0,
    ...                       G=lambda x: 2 * (x - 0.7) ** 2, lam=1.0, T=1.0, nu=0.02, n_steps=20)
    >>> bool(res.success), res.n_iter <= 10, bool(abs(res.mass - 1).max() < 1e-12), bool(res.m.min() >= 0)
    (True, True, True, True)
    """
    if not isinstance(grid, Grid1D):
        raise TypeError(f"grid: expected a Grid1D (meanfield.grids.make_grid), got {type(grid).__name__}")
    lam = check_nonnegative("lam", lam)
    T = check_positive("T", T)
    nu = check_positive("nu", nu)
    n_steps = check_int("n_steps", n_steps)
    method = check_choice("method", method, _METHODS)
    boundary = check_choice("boundary", boundary, ("neumann", "periodic"))
    damping = check_in_range("damping", damping, 0.0, 1.0, closed=(False, True))
    tol = check_positive("tol", tol)
    max_iter = check_int("max_iter", max_iter)
    x, h, n = grid.centers, grid.dx, grid.n
    m0 = np.asarray(m0, dtype=float)
    if m0.shape != (n,):
        raise ValueError(f"m0: expected shape ({n},), got {m0.shape}")
    if not np.all(np.isfinite(m0)) or np.any(m0 < 0) or m0.sum() <= 0:
        raise ValueError("m0: must be finite, >= 0 and not identically 0")
    Vx, Gx = _as_values("V", V, x), _as_values("G", G, x)
    m0 = m0 / (h * m0.sum())
    dt = T / n_steps
    d = _CrowdDiscretisation(n, h, nu, dt, boundary)

    m_iter = np.tile(m0, (n_steps + 1, 1))  # the population's density the agents expect
    u, m, ok = _sweep(d, m_iter, Vx, Gx, lam)  # best response to a population frozen at m0
    residual = [_norm(d, *_residuals(d, u, m, Vx, lam))]
    it = 0
    while residual[-1] > tol and it < max_iter:
        it += 1
        if method == "newton":
            du, dm = _newton_step(d, u, m, Vx, lam)
            u, m = u.copy(), m.copy()
            u[:-1] += du
            m[1:] += dm
        else:
            theta = damping if method == "fixed_point" else 1.0 / (it + 1)
            m_iter = (1.0 - theta) * m_iter + theta * m
            u, m, good = _sweep(d, m_iter, Vx, Gx, lam)
            ok &= good
        residual.append(_norm(d, *_residuals(d, u, m, Vx, lam)))
        if not np.isfinite(residual[-1]):
            break
    success = residual[-1] <= tol
    if success:
        message = f"{method}: converged in {it} iterations (residual {residual[-1]:.2e})"
    else:
        message = (f"{method}: no convergence, residual {residual[-1]:.2e} > tol = {tol:.1e} "
                   f"after max_iter = {max_iter} iterations")
    return CrowdMFGResult(t=dt * np.arange(n_steps + 1), x=x, u=u, m=m, mass=h * m.sum(axis=1),
                          residual=np.asarray(residual), n_iter=it, method=method, lam=lam,
                          nu=nu, success=bool(success), message=message)


def crowd_residual(result, V, lam, boundary="neumann"):
    """Residual :math:`r` of the discrete system at ``result`` (an independent recomputation)."""
    x = result.x
    h = x[1] - x[0]
    dt = result.t[1] - result.t[0]
    d = _CrowdDiscretisation(len(x), h, result.nu, dt, boundary)
    return _norm(d, *_residuals(d, result.u, result.m, _as_values("V", V, x), lam))


def discrete_errors(coarse, fine):
    r"""Distance between a coarse solution and a finer one refined by an integer factor in x and t.

    The fine density is averaged over the fine cells inside each coarse cell
    and sampled at the coarse times; returns
    :math:`(\max_k \|m_c - m_f\|_{L^1},\ \max_{k}\|u_c - u_f\|_{L^\infty})`.
    """
    fx = len(fine.x) // len(coarse.x)
    ft = (len(fine.t) - 1) // (len(coarse.t) - 1)
    if fx * len(coarse.x) != len(fine.x) or ft * (len(coarse.t) - 1) != len(fine.t) - 1:
        raise ValueError("fine: its grid must refine the coarse one by integer factors")
    h = coarse.x[1] - coarse.x[0]
    mf = fine.m[::ft].reshape(len(coarse.t), len(coarse.x), fx).mean(axis=2)
    uf = fine.u[::ft].reshape(len(coarse.t), len(coarse.x), fx).mean(axis=2)
    return float(h * np.max(np.abs(coarse.m - mf).sum(axis=1))), float(np.max(np.abs(coarse.u - uf)))
