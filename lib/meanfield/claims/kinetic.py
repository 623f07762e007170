r"""Claims of the source on kinetic theory (*Checking the text*, rows C01-C08, C24, C31-C34).

One function per claim, named after what it checks, its docstring starting
with the row's ID; each returns a frozen result dataclass whose fields are
the numbers quoted in the row (``book/claims/kinetic.md``, tested in
``tests/test_claims_kinetic.py``). The general tools they use live in
:mod:`meanfield.kinetic`, :mod:`meanfield.boltzmann`, :mod:`meanfield.vlasov`
and :mod:`meanfield.bgk`.

=====  ==========================================================
C01    :func:`maxwellian_is_a_collision_equilibrium`
C02    :func:`maxwellian_product_formula`
C03    :func:`elastic_collisions_on_a_line`
C04    :func:`kac_decay_rates`
C05    :func:`entropy_expansion`
C06    :func:`mass_of_the_perturbed_datum`
C07    :func:`characteristic_energy_drift`
C08    :func:`proposed_bgk_state_residuals`, :func:`bgk_mode_stationarity`
C24    :func:`boltzmann_grad_mean_free_paths`
C31    :func:`entropy_production_formula`
C32    :func:`entropy_rate_factor`
C33    :func:`weak_form_against_non_invariants`
C34    :func:`vlasov_example_signs_and_ansatz`
=====  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import integrate, stats

from .. import boltzmann as bz
from .. import kinetic as kn
from ..bgk import _vlasov_terms, bgk_mode, chebyshev_points, poisson_residual
from ..phase_space import PhaseSpaceGrid
from ..utils import as_generator, check_int, check_positive
from ..vlasov import solve_vlasov_poisson

__all__ = [
    "CollisionEquilibrium",
    "maxwellian_is_a_collision_equilibrium",
    "MaxwellianProduct",
    "maxwellian_product_formula",
    "LineCollisions",
    "elastic_collisions_on_a_line",
    "KacDecayRates",
    "kac_decay_rates",
    "EntropyExpansion",
    "entropy_expansion",
    "DatumMass",
    "mass_of_the_perturbed_datum",
    "CharacteristicEnergy",
    "characteristic_energy_drift",
    "ProposedBGKState",
    "proposed_bgk_state_residuals",
    "BGKStationarity",
    "bgk_mode_stationarity",
    "VlasovExampleSlips",
    "vlasov_example_signs_and_ansatz",
    "MeanFreePaths",
    "boltzmann_grad_mean_free_paths",
    "EntropyProduction",
    "entropy_production_formula",
    "EntropyRateFactor",
    "entropy_rate_factor",
    "WeakFormTest",
    "weak_form_against_non_invariants",
]

_V0 = (1.0, 0.0, 0.0)


def _gaussian(x):
    return stats.norm(0, 1).pdf(x)


def _rms(a):
    return np.sqrt(np.mean(np.abs(a) ** 2))


# --- C01, C02: the Maxwellian and the collision operator --------------------------------------

@dataclass(frozen=True)
class CollisionEquilibrium:
    r"""Gain and loss of :math:`Q(M, M)` at :math:`v_0` (:func:`maxwellian_is_a_collision_equilibrium`).

    Attributes
    ----------
    v0 : ndarray, shape (3,)
    gain, gain_se, loss, loss_se : float
        Monte-Carlo estimates and standard errors (same samples).
    exact_loss : float
        :math:`4\pi M(v_0)` (:math:`B = 1`, :math:`\rho = 1`).
    gain_quadrature : float
        Deterministic quadrature of the gain term.
    quadrature_error : float
        :math:`|G_{\rm quad} - 4\pi M(v_0)|`.
    n_samples : int
    """

    v0: np.ndarray
    gain: float
    gain_se: float
    loss: float
    loss_se: float
    exact_loss: float
    gain_quadrature: float
    quadrature_error: float
    n_samples: int


def maxwellian_is_a_collision_equilibrium(*, n_samples=200_000, rng=2024) -> CollisionEquilibrium:
    r"""C01: for Maxwell molecules and the standard 3D Maxwellian, :math:`Q(M, M)(v_0) = 0` at :math:`v_0 = (1, 0, 0)`.

    Gain and loss by :func:`meanfield.kinetic.collision_operator_mc` (they
    agree sample by sample), the loss against :math:`4\pi M(v_0)`, the gain
    also by :func:`meanfield.kinetic.gain_term_quadrature`.

    Examples
    --------
    >>> c = maxwellian_is_a_collision_equilibrium(n_samples=2000, rng=1)
    >>> bool(abs(c.gain - c.loss) < 1e-12), bool(c.quadrature_error < 1e-12)
    (True, True)
    """
    n_samples = check_int("n_samples", n_samples, 2)
    v0 = np.array(_V0)
    M = kn.make_maxwellian()
    est = kn.collision_operator_mc(M, v0, n_samples=n_samples, rng=rng)
    exact = 4 * np.pi * float(kn.maxwellian(v0))
    quad = float(kn.gain_term_quadrature(M, v0))
    return CollisionEquilibrium(v0=v0, gain=float(est.gain), gain_se=float(est.gain_se), loss=float(est.loss),
                                loss_se=float(est.loss_se), exact_loss=exact, gain_quadrature=quad,
                                quadrature_error=abs(quad - exact), n_samples=n_samples)


@dataclass(frozen=True)
class MaxwellianProduct:
    r"""The product :math:`M(v_0)M(v_*)` and the text's formula (:func:`maxwellian_product_formula`)."""

    v_star: np.ndarray
    value: float
    text_formula: float
    error: float


def maxwellian_product_formula(v_star=(0.3, -1.2, 0.8)) -> MaxwellianProduct:
    r"""C02: at :math:`v_0 = (1, 0, 0)`, :math:`M(v_0)M(v_*) = (2\pi)^{-3}e^{-1/2}e^{-|v_*|^2/2}`.

    Examples
    --------
    >>> p = maxwellian_product_formula()
    >>> f"{p.value:.6g}", bool(p.error < 1e-15)
    ('0.000826235', True)
    """
    v_star = np.asarray(v_star, dtype=float)
    if v_star.shape != (3,) or not np.all(np.isfinite(v_star)):
        raise ValueError(f"v_star: expected 3 finite components, got {v_star!r}")
    value = float(kn.maxwellian(list(_V0)) * kn.maxwellian(v_star))
    text = float((2 * np.pi) ** -3 * np.exp(-0.5) * np.exp(-0.5 * v_star @ v_star))
    return MaxwellianProduct(v_star=v_star, value=value, text_formula=text, error=abs(value - text))


# --- C03-C06: the section's 1D relaxation example ------------------------------------------------

@dataclass(frozen=True)
class LineCollisions:
    r"""Random elastic collisions on a line (:func:`elastic_collisions_on_a_line`).

    Attributes
    ----------
    n_collisions : int
    is_a_swap : bool
        Every collision returned the pair exchanged.
    sorted_unchanged : bool
        The sorted velocities after all collisions are bit-identical to before.
    """

    n_collisions: int
    is_a_swap: bool
    sorted_unchanged: bool


def elastic_collisions_on_a_line(n_collisions=500_000, *, n_particles=10_000, rng=0) -> LineCollisions:
    r"""C03: a 1D elastic ("Maxwell molecule") collision operator relaxes :math:`f_0` to equilibrium.

    On a line momentum and energy conservation leave only :math:`(v', w') = (w, v)`
    (:func:`meanfield.boltzmann.collide_1d`): random collisions between
    random pairs (in rounds of disjoint pairs) never change the empirical
    distribution, so the operator is zero and nothing relaxes.

    Examples
    --------
    >>> c = elastic_collisions_on_a_line(1000, n_particles=100)
    >>> c.is_a_swap, c.sorted_unchanged
    (True, True)
    """
    n_collisions = check_int("n_collisions", n_collisions, 1)
    n_particles = check_int("n_particles", n_particles, 2)
    gen = as_generator(rng)
    v = gen.standard_normal(n_particles)
    before = np.sort(v)
    done, swap = 0, True
    while done < n_collisions:
        m = min(n_particles // 2, n_collisions - done)
        idx = gen.permutation(n_particles)[: 2 * m]
        i, j = idx[:m], idx[m:]
        vi, vj = bz.collide_1d(v[i], v[j])
        swap &= bool(np.array_equal(vi, v[j]) and np.array_equal(vj, v[i]))
        v[i], v[j] = vi, vj
        done += m
    return LineCollisions(n_collisions=done, is_a_swap=swap, sorted_unchanged=bool(np.array_equal(np.sort(v), before)))


def _datum_mass():
    return integrate.quad(lambda x: (1 + 0.5 * np.cos(np.pi * x)) * _gaussian(x), -np.inf, np.inf, epsabs=1e-14)[0]


@dataclass(frozen=True)
class DatumMass:
    r"""Mass of :math:`f_0 = (1 + \tfrac12\cos\pi v)M` (:func:`mass_of_the_perturbed_datum`)."""

    quadrature: float
    closed_form: float


def mass_of_the_perturbed_datum() -> DatumMass:
    r"""C06: :math:`f_0 = (1 + \tfrac12\cos\pi v)M(v)` as written is a probability density.

    Its mass is :math:`1 + \tfrac12e^{-\pi^2/2}` (closed form; quadrature by
    :func:`scipy.integrate.quad`): it must be normalised.

    Examples
    --------
    >>> m = mass_of_the_perturbed_datum()
    >>> f"{m.quadrature:.4f}", bool(abs(m.quadrature - m.closed_form) < 1e-12)
    ('1.0036', True)
    """
    return DatumMass(quadrature=_datum_mass(), closed_form=1 + 0.5 * np.exp(-np.pi**2 / 2))


@dataclass(frozen=True)
class KacDecayRates:
    r"""Decay of the normalised datum under Kac's model (:func:`kac_decay_rates`).

    Attributes
    ----------
    windows : tuple of (float, float)
    rates : ndarray
        Fitted rates of :math:`\varepsilon(t) = \|f - M_T\|_{L^2(1/M_T)}` on each window.
    eigenvalues : ndarray
        :math:`\lambda_0, \dots, \lambda_6` of the linearised Kac operator.
    """

    windows: tuple
    rates: np.ndarray
    eigenvalues: np.ndarray


def kac_decay_rates(windows=((0.0, 2.0), (10.0, 20.0)), *, n_modes=128) -> KacDecayRates:
    r"""C04: the perturbation decays as :math:`\varepsilon(0)e^{-\lambda t}` with :math:`\lambda \approx 0.8`.

    The normalised datum :math:`(1 + \tfrac12\cos\pi v)M/m_0` run by Kac's
    model (:func:`meanfield.boltzmann.kac_spectral`, collision frequency 1)
    on :math:`[0, 20]`; the rate of :math:`\log\varepsilon` fitted by least
    squares on each window. No single rate, and none near 0.8.
    """
    mass = _datum_mass()
    f0 = lambda x: (1 + 0.5 * np.cos(np.pi * x[..., 0])) * _gaussian(x[..., 0]) / mass  # noqa: E731
    sol = bz.kac_spectral(f0, np.linspace(0, 20, 201), n_modes=n_modes)
    T = 2 * sol.energy[0]
    MT = stats.norm(0, np.sqrt(T)).pdf(sol.v)
    eps = np.sqrt(integrate.trapezoid((sol.f - MT) ** 2 / MT, sol.v, axis=1))
    rates = []
    for a, b in windows:
        m = (sol.t >= a) & (sol.t <= b)
        rates.append(-np.polyfit(sol.t[m], np.log(eps[m]), 1)[0])
    return KacDecayRates(windows=tuple(windows), rates=np.array(rates), eigenvalues=bz.kac_eigenvalues(6))


@dataclass(frozen=True)
class EntropyExpansion:
    r"""Second-order expansion of :math:`H` (:func:`entropy_expansion`).

    Attributes
    ----------
    eps : float
    dH : float
        :math:`H[f] - H[M]` by quadrature.
    text_term : float
        :math:`\tfrac{\varepsilon^2}2\int M\cos^2\pi v`.
    first_order_term : float
        :math:`\varepsilon\int M\cos(\pi v)(1 + \log M)`, missing in the text.
    """

    eps: float
    dH: float
    text_term: float
    first_order_term: float


def entropy_expansion(eps=0.01) -> EntropyExpansion:
    r"""C05: :math:`H[f]\approx\int M\log M + \tfrac{\varepsilon^2}2\int M\cos^2(\pi v)` for :math:`f = M(1 + \varepsilon\cos\pi v)`.

    All integrals by :func:`scipy.integrate.quad` on :math:`[-12, 12]`.

    Examples
    --------
    >>> e = entropy_expansion(0.01)
    >>> bool(abs(e.dH - e.first_order_term - e.text_term) < 1e-4 * e.text_term)  # O(eps^3) left
    True
    """
    eps = check_positive("eps", eps)
    M = _gaussian
    g = lambda x: (1 + eps * np.cos(np.pi * x)) * M(x)  # noqa: E731
    dH = (integrate.quad(lambda x: g(x) * np.log(g(x)), -12, 12, epsabs=1e-15, limit=400)[0]
          - integrate.quad(lambda x: M(x) * np.log(M(x)), -12, 12, epsabs=1e-15, limit=400)[0])
    quad_term = 0.5 * integrate.quad(lambda x: M(x) * np.cos(np.pi * x) ** 2, -12, 12, epsabs=1e-15)[0]
    first = eps * integrate.quad(lambda x: M(x) * np.cos(np.pi * x) * (1 + np.log(M(x))), -12, 12,
                                 epsabs=1e-15, limit=400)[0]
    return EntropyExpansion(eps=eps, dH=dH, text_term=eps**2 * quad_term, first_order_term=first)


# --- C07, C08: the section's Vlasov example ---------------------------------------------------------
# The text writes  f_t + v f_x - phi_x f_v = 0,  Delta phi = rho,  phi = A cos kx:  the signs of
# self-gravitating matter without background (meanfield.phase_space has electrons: v' = +phi_x,
# phi'' = rho - 1). The residual functions of meanfield.bgk take either convention.

@dataclass(frozen=True)
class CharacteristicEnergy:
    r"""Drift of two candidate invariants along characteristics (:func:`characteristic_energy_drift`).

    Attributes
    ----------
    A, k : float
    claimed_invariant_drift : float
        :math:`\max|I(t) - I(0)|/A` for the text's :math:`I = \tfrac12v^2 + Ak\sin kx`.
    correct_invariant_drift : float
        The same for the energy :math:`\tfrac12v^2 + A\cos kx` (:math:`\approx 0`).
    t : ndarray, shape (401,)
        Output times.
    x, v : ndarray, shape (8, 401)
        The eight characteristics (for plotting).
    """

    A: float
    k: float
    claimed_invariant_drift: float
    correct_invariant_drift: float
    t: np.ndarray
    x: np.ndarray
    v: np.ndarray


def characteristic_energy_drift(A=0.1, k=1.0, *, t_max=20.0) -> CharacteristicEnergy:
    r"""C07: for :math:`\phi = A\cos kx`, characteristics give :math:`v^2/2 = -Ak\sin(kx) + C`.

    Eight characteristics :math:`\dot x = v`, :math:`\dot v = -\partial_x\phi = Ak\sin kx`
    of the text's system (:math:`\partial_tf + v\partial_xf - \partial_x\phi\,\partial_vf = 0`)
    integrated by :func:`scipy.integrate.solve_ivp` (DOP853, ``rtol=1e-11``)
    over :math:`[0, t_{\max}]`. The conserved quantity is
    :math:`\tfrac12v^2 + \phi`, since
    :math:`\frac{d}{dt}\tfrac12v^2 = v\,Ak\sin kx = -\frac{d}{dt}A\cos kx`.

    *Where the text goes wrong.* Its integration is right:
    :math:`\int v\,dv = -Ak^2\int\cos kx\,dx` does give
    :math:`\tfrac12v^2 = -Ak\sin kx + C`. The error is upstream, in the
    force: the text puts :math:`-Ak^2\cos kx = \phi''` in front of
    :math:`\partial_vg`, where the force is :math:`-\phi' = Ak\sin kx`
    (and its field :math:`E(x) = -Ak\sin kx` has the wrong sign:
    :math:`E = -\phi' = +Ak\sin kx`). With the right force,
    :math:`\int v\,dv = \int Ak\sin kx\,dx` gives
    :math:`\tfrac12v^2 + A\cos kx = C`.

    Examples
    --------
    >>> c = characteristic_energy_drift()
    >>> c.claimed_invariant_drift > 0.5, c.correct_invariant_drift < 1e-8
    (True, True)
    """
    A = check_positive("A", A)
    k = check_positive("k", k)
    t_max = check_positive("t_max", t_max)
    m = 8
    x0 = np.linspace(0.0, 2.0 * np.pi / k, m, endpoint=False) + 0.1
    v0 = np.linspace(-1.0, 1.0, m) * np.sqrt(4 * A) + 0.05

    def rhs(_, y):
        return np.concatenate([y[m:], A * k * np.sin(k * y[:m])])

    sol = integrate.solve_ivp(rhs, (0.0, t_max), np.concatenate([x0, v0]), method="DOP853",
                              t_eval=np.linspace(0.0, t_max, 401), rtol=1e-11, atol=1e-12)
    xs, vs = sol.y[:m], sol.y[m:]
    claimed = 0.5 * vs**2 + A * k * np.sin(k * xs)
    correct = 0.5 * vs**2 + A * np.cos(k * xs)
    return CharacteristicEnergy(
        A=A, k=k, claimed_invariant_drift=float(np.max(np.abs(claimed - claimed[:, :1])) / A),
        correct_invariant_drift=float(np.max(np.abs(correct - correct[:, :1])) / A),
        t=sol.t, x=xs, v=vs,
    )


@dataclass(frozen=True)
class ProposedBGKState:
    r"""Residuals of the text's steady state (:func:`proposed_bgk_state_residuals`).

    Attributes
    ----------
    A, k, C : float
    u_not_real_fraction : float
        Fraction of the period where :math:`\sin kx < 0`, so that
        :math:`u` (hence the proposed :math:`f`) is not real: exactly one
        half (the interval :math:`(\pi/k, 2\pi/k)`; a count on a grid of
        :math:`n_x` points gives :math:`(n_x/2 - 1)/n_x` instead).
    claimed_vlasov_residual, claimed_poisson_residual : float
        For the proposed :math:`f`, on Chebyshev points of
        :math:`[\pi/(6k), 5\pi/(6k)]` (where :math:`\sin kx \ge \tfrac12`),
        root-mean-square ratios
        :math:`\|R\|/\|\,|v\partial_xf| + |\partial_x\phi\,\partial_vf|\,\|` and
        :math:`\|P\|/\|\rho\|` (order 1: both equations fail).
    boltzmann_vlasov_residual, boltzmann_poisson_residual : float
        The same on the periodic grid for :math:`f = Ce^{-(v^2/2 + A\cos kx)}`,
        a stationary solution of the text's Vlasov equation (:math:`\approx 0`)
        which fails Poisson: with :math:`\Delta\phi = \rho` and no background
        the mean of :math:`\phi''` over a period is 0 but that of :math:`\rho`
        is positive, so *no* periodic steady state exists.
    mean_density : float
        :math:`\frac1L\int\rho` of that Boltzmann state (the obstruction).
    message : str
    """

    A: float
    k: float
    C: float
    u_not_real_fraction: float
    claimed_vlasov_residual: float
    claimed_poisson_residual: float
    boltzmann_vlasov_residual: float
    boltzmann_poisson_residual: float
    mean_density: float
    message: str


def _relative_vlasov_residual(f, phi, x, v, L):
    """RMS of the text's stationary Vlasov residual (acceleration -phi_x) over the RMS of its two terms."""
    streaming, force = _vlasov_terms(f, phi, x, v, L, -1)
    return float(_rms(streaming + force) / _rms(np.abs(streaming) + np.abs(force)))


def proposed_bgk_state_residuals(A=0.1, k=1.0, C=1.0, *, nx=64, nv=256, vmax=8.0) -> ProposedBGKState:
    r"""C08: :math:`g = Ce^{-\xi^2/2}/\sqrt{1 + 2Ak\sin kx}`, :math:`\xi = v - u`, :math:`u = \sqrt{2Ak\sin kx}` is a self-consistent steady state.

    Residuals of the text's equations as written
    (:func:`meanfield.bgk.vlasov_residual` with ``acceleration_sign=-1``,
    :func:`meanfield.bgk.poisson_residual` with ``background=0``, spectral
    derivatives), for the proposed state where it is real and for a correct
    stationary solution of the Vlasov equation.

    Parameters
    ----------
    A, k, C : float
        :math:`A > 0`, :math:`k > 0` with :math:`2Ak < 1` (so that
        :math:`1 + 2Ak\sin kx > 0`), :math:`C > 0`.
    nx, nv, vmax
        Periodic phase-space grid over one period :math:`2\pi/k`; the
        Chebyshev grid has ``nx // 2`` points.

    Examples
    --------
    >>> c = proposed_bgk_state_residuals()
    >>> c.u_not_real_fraction, c.claimed_poisson_residual > 0.5, c.boltzmann_vlasov_residual < 1e-12
    (0.5, True, True)
    """
    A = check_positive("A", A)
    k = check_positive("k", k)
    C = check_positive("C", C)
    if 2 * A * k >= 1:
        raise ValueError(f"A: need 2 A k < 1 so that 1 + 2 A k sin(kx) > 0, got 2 A k = {2 * A * k}")
    grid = PhaseSpaceGrid(nx, nv, 2.0 * np.pi / k, vmax)
    v = grid.v

    # the proposed steady state, where it is real: sin(kx) >= 1/2
    # sin(kx) < 0 exactly on (pi/k, 2 pi/k): the measure of that interval over the period
    u_not_real = float((2.0 * np.pi / k - np.pi / k) / grid.L)
    xc = chebyshev_points(np.pi / (6 * k), 5 * np.pi / (6 * k), max(nx // 2, 3))
    s = np.sin(k * xc)[:, None]
    f_claimed = C * np.exp(-0.5 * (v - np.sqrt(2 * A * k * s)) ** 2) / np.sqrt(1 + 2 * A * k * s)
    phi_c = A * np.cos(k * xc)
    P = poisson_residual(phi_c, f_claimed, xc, v, background=0.0)
    rho_c = grid.dv * f_claimed.sum(axis=1)

    # a correct stationary Vlasov solution G(v^2/2 + A cos kx): Boltzmann
    phi = A * np.cos(k * grid.x)
    f_b = C * np.exp(-(0.5 * v[None, :] ** 2 + phi[:, None]))
    Pb = poisson_residual(phi, f_b, grid.x, v, L=grid.L, background=0.0)
    rho_b = grid.dv * f_b.sum(axis=1)
    r = dict(
        u_not_real_fraction=u_not_real,
        claimed_vlasov_residual=_relative_vlasov_residual(f_claimed, phi_c, xc, v, None),
        claimed_poisson_residual=float(_rms(P) / _rms(rho_c)),
        boltzmann_vlasov_residual=_relative_vlasov_residual(f_b, phi, grid.x, v, grid.L),
        boltzmann_poisson_residual=float(_rms(Pb) / _rms(rho_b)),
        mean_density=float(rho_b.mean()),
    )
    message = (
        f"wrong: u is not real on one half of the period ({u_not_real:g}); where it is, the Vlasov residual is "
        f"{r['claimed_vlasov_residual']:.2f} and the Poisson residual {r['claimed_poisson_residual']:.2f} "
        f"(relative). Any G(v^2/2 + A cos kx) solves Vlasov (Boltzmann: residual "
        f"{r['boltzmann_vlasov_residual']:.1e}), but Delta phi = rho has no periodic solution: "
        f"mean(phi'') = 0 < mean(rho) = {r['mean_density']:.3f}."
    )
    return ProposedBGKState(A=A, k=k, C=C, message=message, **r)


@dataclass(frozen=True)
class BGKStationarity:
    r"""A genuine BGK mode run by the solver (:func:`bgk_mode_stationarity`).

    Attributes
    ----------
    k, amplitude : float
    t_end : float
    field_norm_variation : float
        :math:`\max_t\|E\|_2/\min_t\|E\|_2 - 1` over :math:`[0, t_{\rm end}]`.
    success : bool
        The mode was found and the run kept its mass inside the velocity box.
    """

    k: float
    amplitude: float
    t_end: float
    field_norm_variation: float
    success: bool


def bgk_mode_stationarity(k=0.5, amplitude=1.0, *, dt=0.1, n_steps=500) -> BGKStationarity:
    r"""C08: what a self-consistent steady state looks like: a Schamel BGK mode stays stationary.

    :func:`meanfield.bgk.bgk_mode` (smoothed Schamel hole, 64 x 256) run by
    :func:`meanfield.vlasov.solve_vlasov_poisson`; the variation of
    :math:`\|E\|_2 = (2\cdot\text{field energy})^{1/2}` over the run.
    """
    mode = bgk_mode(k, amplitude)
    run = solve_vlasov_poisson(mode.f, mode.grid, dt=dt, n_steps=n_steps)
    e = np.sqrt(2 * run.field_energy)
    return BGKStationarity(k=mode.k, amplitude=mode.amplitude, t_end=float(run.t[-1]),
                           field_norm_variation=float(e.max() / e.min() - 1),
                           success=bool(mode.success and run.success))


# --- C34: Example 5.7.3's signs and its ansatz -------------------------------------------------------

@dataclass(frozen=True)
class VlasovExampleSlips:
    r"""Signs and ansatz of the section's Vlasov example (:func:`vlasov_example_signs_and_ansatz`).

    Attributes
    ----------
    k, A : float
    text_sign_growth_rate : float
        Growth rate :math:`\gamma > 0` of the purely growing (Jeans) mode of a
        standard Maxwellian under the text's signs at wavenumber ``k``.
    electron_rate : float
        :math:`\operatorname{Im}\omega` of the Landau root for electrons
        (:func:`meanfield.vlasov_linear.landau_root`): damping, < 0.
    ansatz_relative_residual : float
        Relative residual (as in :func:`proposed_bgk_state_residuals`) of the
        text's stationary Vlasov equation for the ansatz
        :math:`f = e^{-(v - u(x))^2/2}`, :math:`u = \sqrt{2Ak\sin kx}`,
        :math:`\phi = A\cos kx`, on Chebyshev points of
        :math:`[\pi/(6k), 5\pi/(6k)]` (order 1).
    ansatz_identity_error : float
        :math:`\max|R - R_{\rm formula}|/\max|R|` between that spectral
        residual :math:`R` and :math:`-g'(\xi)\,(v u' + \phi')` (rounding).
    """

    k: float
    A: float
    text_sign_growth_rate: float
    electron_rate: float
    ansatz_relative_residual: float
    ansatz_identity_error: float


def vlasov_example_signs_and_ansatz(k=0.5, A=0.1) -> VlasovExampleSlips:
    r"""C34: Example 5.7.3's system, ansatz and result are mutually inconsistent (three slips).

    1. *Signs.* The text's system
       :math:`\partial_tf + v\partial_xf - \partial_x\phi\,\partial_vf = 0`,
       :math:`\Delta\phi = \rho` is that of self-gravitating matter
       (attractive), not of electrons (:math:`\phi'' = \rho - 1`,
       :math:`\dot v = +\phi'`), though it speaks of an electric field
       and BGK modes. Linearised about a standard Maxwellian (with a
       background so that it is an equilibrium) its dispersion relation is
       :math:`1 - k^{-2}[1 + \zeta Z(\zeta)] = 0`: for :math:`k < 1` it has a
       purely growing root :math:`\omega = i\gamma`,
       :math:`\zeta = iy`, :math:`y = \gamma/(\sqrt2 k)`, solving the real
       equation :math:`k^2 = 1 - \sqrt\pi\,y\,\operatorname{erfcx}(y)`
       (Brent's method), where electrons are Landau damped.
    2. *Ansatz.* For :math:`f = g(v - u(x))` the stationary residual is
       :math:`v\partial_xf - \phi'\partial_vf = -g'(\xi)\,(vu' + \phi')`,
       :math:`\xi = v - u`, linear in :math:`v` at fixed :math:`x`: it
       vanishes for all :math:`v` only if :math:`u' = \phi' = 0`. No
       non-uniform steady state has this form; BGK states are functions of
       the energy.
    3. *Result against its own steps.* The text's characteristic relation
       (:math:`C = 0`) gives :math:`v^2 = -2Ak\sin kx`, its :math:`u` has
       :math:`u^2 = +2Ak\sin kx` (real exactly where the former is not), and
       its :math:`g(\xi)` carries the factor
       :math:`(1 + 2Ak\sin kx)^{-1/2}`, so it is not a function of
       :math:`\xi` alone.

    Examples
    --------
    >>> c = vlasov_example_signs_and_ansatz()
    >>> round(c.text_sign_growth_rate, 4), round(c.electron_rate, 4)
    (0.6872, -0.1534)
    """
    from scipy import optimize, special

    from ..vlasov_linear import landau_root

    k = check_positive("k", k)
    A = check_positive("A", A)
    if k >= 1:
        raise ValueError(f"k: the text-sign (Jeans) mode grows only for k < 1, got {k}")
    if 2 * A * k >= 1:
        raise ValueError(f"A: need 2 A k < 1, got 2 A k = {2 * A * k}")
    y = optimize.brentq(lambda y: 1.0 - np.sqrt(np.pi) * y * special.erfcx(y) - k * k, 0.0, 1e3, xtol=1e-15)
    gamma = float(np.sqrt(2.0) * k * y)

    # the ansatz g(v - u(x)) with the text's own u and phi, where u is real
    v = np.linspace(-8.0, 8.0, 256, endpoint=False) + 8.0 / 256
    xc = chebyshev_points(np.pi / (6 * k), 5 * np.pi / (6 * k), 32)
    u = np.sqrt(2 * A * k * np.sin(k * xc))[:, None]
    du = (A * k * k * np.cos(k * xc) / np.sqrt(2 * A * k * np.sin(k * xc)))[:, None]
    dphi = (-A * k * np.sin(k * xc))[:, None]
    xi = v[None, :] - u
    f = np.exp(-0.5 * xi**2)
    phi = A * np.cos(k * xc)
    streaming, force = _vlasov_terms(f, phi, xc, v, None, -1)
    R = streaming + force
    R_formula = xi * f * (v[None, :] * du + dphi)  # -g'(xi) (v u' + phi'), g' = -xi g
    return VlasovExampleSlips(
        k=k, A=A, text_sign_growth_rate=gamma, electron_rate=float(landau_root(k).gamma),
        ansatz_relative_residual=_relative_vlasov_residual(f, phi, xc, v, None),
        ansatz_identity_error=float(np.max(np.abs(R - R_formula)) / np.max(np.abs(R))),
    )


# --- C24: the Boltzmann--Grad limit ----------------------------------------------------------------

@dataclass(frozen=True)
class MeanFreePaths:
    r"""Mean free paths at fixed :math:`nr^2` (:func:`boltzmann_grad_mean_free_paths`).

    Attributes
    ----------
    nr2 : float
    radii, means, ses, volume_fractions : ndarray
        Per radius: Monte-Carlo mean free path, its standard error, the
        volume fraction :math:`1 - e^{-n|B_r|}`.
    theory : float
        :math:`1/(4\pi nr^2)`.
    """

    nr2: float
    radii: np.ndarray
    means: np.ndarray
    ses: np.ndarray
    volume_fractions: np.ndarray
    theory: float


def boltzmann_grad_mean_free_paths(nr2=0.16, radii=(0.2, 0.1, 0.05), *, n_rays=800, rng=12) -> MeanFreePaths:
    r"""C24: Boltzmann--Grad limit: :math:`N\to\infty`, :math:`r\to0` with :math:`Nr^2` finite (3D).

    Rays traced through Poisson spheres (:func:`meanfield.kinetic.mean_free_path_mc`,
    the same seed at each radius) at fixed :math:`nr^2`: the mean free path
    stays at :math:`1/(4\pi nr^2)` while the volume fraction vanishes.
    """
    nr2 = check_positive("nr2", nr2)
    radii = np.asarray(radii, dtype=float)
    est = [kn.mean_free_path_mc(nr2 / r**2, r, n_rays=n_rays, rng=rng) for r in radii]
    return MeanFreePaths(
        nr2=nr2, radii=radii, means=np.array([e.mean for e in est]), ses=np.array([e.se for e in est]),
        volume_fractions=np.array([e.volume_fraction for e in est]),
        theory=kn.mean_free_path(nr2 / radii[0] ** 2, radii[0]),
    )


# --- C31-C33: the H-theorem's formula, its perturbative version, and Example 5.7.1's argument -------

@dataclass(frozen=True)
class EntropyProduction:
    r"""The entropy production of the normalised datum under Kac's model (:func:`entropy_production_formula`).

    Attributes
    ----------
    dissipation : float
        :math:`D(f_0)` by quadrature of the symmetrised H-theorem integral
        (:func:`meanfield.boltzmann.kac_entropy_dissipation`); :math:`dH/dt = -D`.
    spectral_slope : float
        :math:`dH/dt` at :math:`t = 0` from the spectral solver (second-order
        one-sided difference, step :math:`10^{-3}`).
    text_value : float
        The text's right-hand side :math:`-\iint ff_*\log^2(f/f_*)` (its
        second logarithm is :math:`\log 1 = 0`; :math:`B = 1`, collision
        frequency 1), tensor trapezoid rule on :math:`[-9, 9]^2`.
    """

    dissipation: float
    spectral_slope: float
    text_value: float


def entropy_production_formula(*, n_v=401, v_max=9.0) -> EntropyProduction:
    r"""C31: :math:`\frac{d}{dt}H = -\iiint B ff_*|\log(f/f_*) - \log(f_*/f_*)|^2` (Ex 5.7.2).

    The H-theorem gives :math:`\frac{d}{dt}H = -\tfrac14\iiint B(f'f_*' - ff_*)\log\frac{f'f_*'}{ff_*}`;
    the text's integrand has no post-collisional values and a zero second
    logarithm. For the normalised datum :math:`(1 + \tfrac12\cos\pi v)M/m_0`
    under Kac's model both routes to :math:`dH/dt` agree and the text's
    integral is about 24 times larger (for 1D elastic collisions, the text's
    own model, :math:`dH/dt = 0`: C03).

    Examples
    --------
    >>> e = entropy_production_formula()
    >>> f"{-e.dissipation:.5f}", f"{e.text_value:.5f}", bool(abs(e.spectral_slope + e.dissipation) < 1e-6)
    ('-0.05905', '-1.40191', True)
    """
    mass = _datum_mass()
    f0 = lambda x: (1 + 0.5 * np.cos(np.pi * x[..., 0])) * _gaussian(x[..., 0]) / mass  # noqa: E731
    D = bz.kac_entropy_dissipation(f0, n_v=n_v, v_max=v_max)
    H = bz.kac_spectral(f0, np.array([0.0, 1e-3, 2e-3]), n_modes=128).entropy
    slope = (-3 * H[0] + 4 * H[1] - H[2]) / 2e-3
    g = np.linspace(-v_max, v_max, n_v)
    F = f0(g[:, None])
    text = -np.sum(F[:, None] * F[None, :] * np.log(F[:, None] / F[None, :]) ** 2) * (g[1] - g[0]) ** 2
    return EntropyProduction(dissipation=float(D), spectral_slope=float(slope), text_value=float(text))


@dataclass(frozen=True)
class EntropyRateFactor:
    r"""The factor :math:`\int M\cos^2\pi v` of :math:`\varepsilon\varepsilon'` in :math:`dH/dt` (:func:`entropy_rate_factor`)."""

    quadrature: float
    closed_form: float


def entropy_rate_factor() -> EntropyRateFactor:
    r"""C32: :math:`\frac{d}{dt}H[f] \approx \varepsilon'\varepsilon` for :math:`f = M(1 + \varepsilon(t)\cos\pi v)` (Ex 5.7.2).

    Differentiating the text's expansion :math:`\int M\log M + \tfrac{\varepsilon^2}2\int M\cos^2\pi v`
    gives :math:`\varepsilon\varepsilon'\int M\cos^2\pi v`, and
    :math:`\int M\cos^2\pi v = \tfrac12(1 + e^{-2\pi^2})` (quadrature by
    :func:`scipy.integrate.quad`, closed form from
    :math:`\cos^2 = \tfrac12(1 + \cos 2\pi v)`): a factor :math:`\tfrac12` is dropped.

    Examples
    --------
    >>> f"{entropy_rate_factor().quadrature:.10f}"
    '0.5000000013'
    """
    q = integrate.quad(lambda x: _gaussian(x) * np.cos(np.pi * x) ** 2, -np.inf, np.inf, epsabs=1e-15)[0]
    return EntropyRateFactor(quadrature=float(q), closed_form=float(0.5 * (1 + np.exp(-2 * np.pi**2))))


@dataclass(frozen=True)
class WeakFormTest:
    r"""The weak form of :math:`Q(f_a, f_a)`, :math:`B_\omega\equiv1` (:func:`weak_form_against_non_invariants`).

    Attributes
    ----------
    a : float
        Bump offset of :func:`meanfield.kinetic.make_two_bump`.
    invariants_max : float
        Largest :math:`|\int Q\varphi|` over :math:`\varphi = 1, v_1, |v|^2`
        (every pair's bracket is zero to rounding).
    v1_squared, v1_squared_se : float
        :math:`\int Q(f_a,f_a)v_1^2` by Monte Carlo and its standard error.
    closed_form : float
        :math:`-\tfrac{8\pi}5(P_{11} - \tfrac13\operatorname{tr}P) = -\tfrac{8\pi}5\cdot\tfrac23a^2`.
    n_pairs : int
    """

    a: float
    invariants_max: float
    v1_squared: float
    v1_squared_se: float
    closed_form: float
    n_pairs: int


def weak_form_against_non_invariants(a=1.2, *, n_samples=400_000, rng=11) -> WeakFormTest:
    r"""C33: :math:`Q(M,M) = 0` "by self-adjointness, antisymmetry and conservation laws" (Ex 5.7.1).

    The symmetries give :math:`\int Q(f,f)\varphi = \tfrac12\iiint Bff_*(\varphi' + \varphi_*' - \varphi - \varphi_*)`
    for every :math:`f`, which vanishes for every :math:`f` only when
    :math:`\varphi` is a collision invariant. For the anisotropic two-bump
    density it vanishes for :math:`\varphi = 1, v_1, |v|^2` and not for
    :math:`v_1^2` (Monte Carlo with :func:`meanfield.kinetic.weak_form_mc`,
    :math:`\omega` uniform, times :math:`4\pi`; closed form from the
    deflection average :math:`\langle\sin^2\chi\rangle = \tfrac8{15}`). So the
    argument cannot give :math:`Q(M,M) = 0`; the pointwise identity
    :math:`M'M_*' = MM_*` does (C01).
    """
    a = check_positive("a", a)
    rng = check_int("rng", rng, 0)  # a seed: samples drawn with rng, collisions with rng + 1
    samples = kn.make_two_bump(a).sample(check_int("n_samples", n_samples, 4), rng=rng)
    seed = rng + 1
    inv = [kn.weak_form_mc(samples, phi, representation="omega", rng=seed).value
           for phi in (lambda x: np.ones(len(x)), lambda x: x[:, 0], lambda x: np.sum(x * x, axis=1))]
    e = kn.weak_form_mc(samples, lambda x: x[:, 0] ** 2, representation="omega", rng=seed)
    return WeakFormTest(a=a, invariants_max=float(4 * np.pi * np.max(np.abs(inv))), v1_squared=float(4 * np.pi * e.value),
                        v1_squared_se=float(4 * np.pi * e.se), closed_form=float(-8 * np.pi / 5 * 2 * a**2 / 3),
                        n_pairs=e.n_pairs)
