r"""Claims of the source on kinetic theory (*Checking the text*, rows C01-C08, C24).

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
    "MeanFreePaths",
    "boltzmann_grad_mean_free_paths",
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
    """

    A: float
    k: float
    claimed_invariant_drift: float
    correct_invariant_drift: float


def characteristic_energy_drift(A=0.1, k=1.0, *, t_max=20.0) -> CharacteristicEnergy:
    r"""C07: for :math:`\phi = A\cos kx`, characteristics give :math:`v^2/2 = -Ak\sin(kx) + C`.

    Eight characteristics :math:`\dot x = v`, :math:`\dot v = -\partial_x\phi = Ak\sin kx`
    integrated by :func:`scipy.integrate.solve_ivp` (DOP853, ``rtol=1e-11``)
    over :math:`[0, t_{\max}]`. The conserved quantity is
    :math:`\tfrac12v^2 + \phi`, since
    :math:`\frac{d}{dt}\tfrac12v^2 = v\,Ak\sin kx = -\frac{d}{dt}A\cos kx`
    (the claim differentiates :math:`\phi` where it should integrate it).

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
    )


@dataclass(frozen=True)
class ProposedBGKState:
    r"""Residuals of the text's steady state (:func:`proposed_bgk_state_residuals`).

    Attributes
    ----------
    A, k, C : float
    u_not_real_fraction : float
        Fraction of the periodic grid where :math:`\sin kx < 0`, so that
        :math:`u` (hence the proposed :math:`f`) is not real (about 1/2).
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
    (0.484375, True, True)
    """
    A = check_positive("A", A)
    k = check_positive("k", k)
    C = check_positive("C", C)
    if 2 * A * k >= 1:
        raise ValueError(f"A: need 2 A k < 1 so that 1 + 2 A k sin(kx) > 0, got 2 A k = {2 * A * k}")
    grid = PhaseSpaceGrid(nx, nv, 2.0 * np.pi / k, vmax)
    v = grid.v

    # the proposed steady state, where it is real: sin(kx) >= 1/2
    u_not_real = float(np.mean(np.sin(k * grid.x) < 0))
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
        f"wrong: u is not real on {100 * u_not_real:.0f}% of the period; where it is, the Vlasov residual is "
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
