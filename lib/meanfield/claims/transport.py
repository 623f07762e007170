r"""Claims of the source on optimal transport and the JKO scheme (*Checking the text*, rows C11-C20, C25, C35-C37).

One function per claim that needs code of its own, named after what it
checks, its docstring starting with the row's ID; each returns a frozen
result dataclass whose fields are the numbers quoted in the row
(``book/claims/transport.md``, tested in ``tests/test_claims_transport.py``).
The general tools live in :mod:`meanfield.transport` and
:mod:`meanfield.jko`.

=====  ==========================================================
C11    :func:`jko_map_direction`
C12    :func:`w2_of_the_section_step`
C13    :func:`entropy_of_the_section_step`
C14    :func:`functional_of_the_section_step`
C15    :func:`variance_of_the_jko_step`
C16    :func:`two_diracs`
C17    :func:`uniform_to_uniform`
C18    :func:`gaussian_to_gaussian`
C19    :func:`uniform_to_gaussian`
C20    :func:`monge_ampere_of_the_map_and_its_inverse`
C25    :func:`two_bump_jko_errors`, :func:`two_bump_ou_law` (and :func:`meanfield.jko.jko_gaussian`)
C35    :func:`entropy_sign_along_the_heat_flow`
C36    :func:`tangent_vectors_need_the_closure`
C37    :func:`bures_formula_with_a_nonsymmetric_root`
=====  ==========================================================
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import integrate, linalg, stats

from .. import jko
from .. import transport as tr

__all__ = [
    "JKOMapDirection",
    "jko_map_direction",
    "SectionOneStep",
    "w2_of_the_section_step",
    "entropy_of_the_section_step",
    "functional_of_the_section_step",
    "variance_of_the_jko_step",
    "TwoDiracs",
    "two_diracs",
    "UniformToUniform",
    "uniform_to_uniform",
    "GaussianToGaussian",
    "gaussian_to_gaussian",
    "UniformToGaussian",
    "uniform_to_gaussian",
    "MongeAmpere",
    "monge_ampere_of_the_map_and_its_inverse",
    "TwoBumpJKOErrors",
    "two_bump_jko_errors",
    "two_bump_ou_law",
    "EntropySign",
    "entropy_sign_along_the_heat_flow",
    "TangentClosure",
    "tangent_vectors_need_the_closure",
    "BuresRoots",
    "bures_formula_with_a_nonsymmetric_root",
]


@dataclass(frozen=True)
class JKOMapDirection:
    """Result of :func:`jko_map_direction`.

    Attributes
    ----------
    var1 : float
        :math:`\\Sigma_1`, the JKO minimiser from :math:`\\mathcal N(0,1)`, :math:`\\tau = 0.1`.
    var_back : float
        Variance of :math:`T_\\#\\rho_1` with :math:`T(x) = x + \\tau\\partial_x\\log\\rho_1`: equals 1.
    var_text_reading : float
        Variance of :math:`T_\\#\\rho_0` (the text's reading, :math:`T:\\rho_0\\to\\rho_1`).
    """

    var1: float
    var_back: float
    var_text_reading: float


def jko_map_direction(tau=0.1) -> JKOMapDirection:
    r"""C11: the map :math:`T(x) = x + \tau\partial_x\log\rho_1(x)` sends :math:`\rho_1` back to :math:`\rho_0`, not :math:`\rho_0` to :math:`\rho_1`.

    For :math:`\rho_1 = \mathcal N(0,\Sigma_1)`, :math:`T(x) = (1-\tau/\Sigma_1)x`,
    so :math:`T_\#\rho_1 = \mathcal N(0, \Sigma_1(1-\tau/\Sigma_1)^2)` and
    :math:`T_\#\rho_0 = \mathcal N(0, (1-\tau/\Sigma_1)^2)`.
    """
    _, var1 = jko.jko_gaussian_step(0.0, 1.0, tau)
    c = 1.0 - tau / var1
    return JKOMapDirection(var1, var1 * c * c, c * c)


@dataclass(frozen=True)
class SectionOneStep:
    """Result of :func:`w2_of_the_section_step` and of the functions of C13-C15.

    Attributes
    ----------
    w2sq : float
        :math:`W_2^2(\\mathcal N(0,1), \\mathcal N(0,1.2))` (Bures).
    w2sq_quadrature : float
        The same by quantile quadrature.
    entropy : float
        :math:`\\int\\rho\\log\\rho` of :math:`\\mathcal N(0,1.2)` (closed form).
    entropy_quadrature : float
        The same by :func:`scipy.integrate.quad`.
    functional_text : float
        JKO functional at :math:`\\mathcal N(0,1.2)`.
    var1 : float
        The true minimiser :math:`\\Sigma_1`.
    functional_min : float
        JKO functional at :math:`\\Sigma_1`.
    text_sum : float
        :math:`0.9102 + 0.0858/0.2`, the text's own numbers added.
    """

    w2sq: float
    w2sq_quadrature: float
    entropy: float
    entropy_quadrature: float
    functional_text: float
    var1: float
    functional_min: float
    text_sum: float


def _section_one_step(tau=0.1, var_text=1.2) -> SectionOneStep:
    r"""The numbers of the section's JKO step from :math:`\mathcal N(0,1)` with :math:`\tau = 0.1`.

    :math:`W_2^2 = (\sqrt{1.2}-1)^2`, :math:`\int\rho\log\rho = -\tfrac12\log(2\pi e\cdot 1.2)`,
    the functional :math:`\int\rho\log\rho + W_2^2/(2\tau)` at :math:`\Sigma = 1.2` and at the
    minimiser :math:`\Sigma_1 = ((1+\sqrt{1+4\tau})/2)^2`.
    """
    w2sq = tr.w2_gaussian(0, 1.0, 0, var_text) ** 2
    w2q = tr.w2_1d(tr.gaussian(0, 1), tr.gaussian(0, np.sqrt(var_text))) ** 2
    ent = jko.gaussian_free_energy(0.0, var_text)
    rho = stats.norm(0, np.sqrt(var_text))
    ent_q = integrate.quad(lambda x: rho.pdf(x) * rho.logpdf(x), -np.inf, np.inf)[0]
    _, var1 = jko.jko_gaussian_step(0.0, 1.0, tau)
    return SectionOneStep(
        w2sq, w2q, ent, ent_q,
        jko.jko_gaussian_functional(0.0, var_text, 0.0, 1.0, tau),
        var1, jko.jko_gaussian_functional(0.0, var1, 0.0, 1.0, tau),
        0.9102 + 0.0858 / 0.2,
    )


def w2_of_the_section_step() -> SectionOneStep:
    r"""C12: :math:`W_2^2(\mathcal N(0,1),\mathcal N(0,1.2)) = (\sqrt{1.2}-1)^2 = 0.00911`, not 0.0858 (fields ``w2sq``, ``w2sq_quadrature``)."""
    return _section_one_step()


def entropy_of_the_section_step() -> SectionOneStep:
    r"""C13: :math:`\int\rho\log\rho` of :math:`\mathcal N(0,1.2)` is :math:`-1.5101`, not 0.9102 (fields ``entropy``, ``entropy_quadrature``)."""
    return _section_one_step()


def functional_of_the_section_step() -> SectionOneStep:
    r"""C14: the JKO functional is :math:`-1.46455` at :math:`\mathcal N(0,1.2)`, :math:`-1.46463` at the minimiser, not 1.5389."""
    return _section_one_step()


def variance_of_the_jko_step() -> SectionOneStep:
    r"""C15: the JKO step from :math:`\mathcal N(0,1)`, :math:`\tau = 0.1`, gives :math:`\Sigma_1 = 1.19161`, not the exact :math:`1.2` (field ``var1``)."""
    return _section_one_step()


def two_bump_ou_law(t) -> tr.Law1D:
    r"""C25: exact Ornstein--Uhlenbeck solution from :math:`\tfrac12\mathcal N(\pm1.5, 0.4^2)`.

    The flow :math:`\partial_t\rho = \partial_x(x\rho) + \partial_{xx}\rho` maps
    :math:`\mathcal N(m,s^2)` to :math:`\mathcal N(me^{-t}, s^2e^{-2t} + 1 - e^{-2t})`.
    """
    m = 1.5 * np.exp(-t)
    s = np.sqrt(0.16 * np.exp(-2 * t) + 1 - np.exp(-2 * t))
    return tr.gaussian_mixture([-m, m], [s, s])


@dataclass(frozen=True)
class TwoBumpJKOErrors:
    """Result of :func:`two_bump_jko_errors`.

    Attributes
    ----------
    taus : ndarray
    errors : ndarray
        :math:`W_2` at :math:`t = 1` between the JKO nodes and the exact quantiles at the same levels.
    success : bool
        Every JKO step converged.
    """

    taus: np.ndarray
    errors: np.ndarray
    success: bool


def two_bump_jko_errors(taus=(0.2, 0.025), M=200) -> TwoBumpJKOErrors:
    r"""C25: the Lagrangian JKO scheme from a two-bump start converges to the exact OU flow as :math:`\tau\to0`.

    :math:`M` quantile nodes, :math:`V = x^2/2`, :math:`\beta = 1`; the error at
    :math:`t = 1` is the :math:`W_2` distance (POT, 1D) between the nodes and the
    exact solution's quantiles at :math:`u_j = (j-\tfrac12)/M`.
    """
    import ot

    levels = (np.arange(1, M + 1) - 0.5) / M
    x0 = jko.quantile_nodes(two_bump_ou_law(0.0).ppf, M)
    target = two_bump_ou_law(1.0).ppf(levels)
    errs, ok = [], True
    for h in taus:
        run = jko.jko_lagrangian(x0, h, int(round(1.0 / h)), V=lambda x: 0.5 * x**2, dV=lambda x: x)
        ok = ok and run.success
        errs.append(np.sqrt(ot.wasserstein_1d(run.x[-1], target, p=2)))
    return TwoBumpJKOErrors(np.asarray(taus, dtype=float), np.array(errs), bool(ok))


@dataclass(frozen=True)
class EntropySign:
    """Result of :func:`entropy_sign_along_the_heat_flow`.

    Attributes
    ----------
    t : ndarray
        Times 0, 0.5, 1.
    h : ndarray
        :math:`H(\\rho_t) = \\int\\rho_t\\log\\rho_t` by quadrature (decreasing).
    boltzmann_entropy : ndarray
        :math:`-H(\\rho_t)`, the physical entropy (increasing).
    dh_dt : ndarray
        :math:`dH/dt` by centred differences of the quadrature.
    fisher : ndarray
        Fisher information :math:`I(\\rho_t) = \\int\\rho_t|\\partial_x\\log\\rho_t|^2` (quadrature);
        :math:`dH/dt = -I`.
    """

    t: np.ndarray
    h: np.ndarray
    boltzmann_entropy: np.ndarray
    dh_dt: np.ndarray
    fisher: np.ndarray


def entropy_sign_along_the_heat_flow() -> EntropySign:
    r"""C35: the heat flow is the gradient flow of :math:`H = \int\rho\log\rho`, which is *minus* the Boltzmann entropy.

    Along :math:`\rho_t = \mathcal N(0, 1+2t)` (heat flow from :math:`\mathcal N(0,1)`),
    :math:`H` decreases at the rate :math:`dH/dt = -I(\rho_t) = -1/(1+2t)` while the
    physical entropy :math:`-H` increases. All by quadrature (no closed form used).
    """

    def H(v):
        rho = stats.norm(0, np.sqrt(v))
        return integrate.quad(lambda x: rho.pdf(x) * rho.logpdf(x), -np.inf, np.inf, epsabs=1e-13)[0]

    def fisher(v):
        rho = stats.norm(0, np.sqrt(v))
        return integrate.quad(lambda x: rho.pdf(x) * (x / v) ** 2, -np.inf, np.inf, epsabs=1e-13)[0]

    ts = np.array([0.0, 0.5, 1.0])
    h = 1e-3
    hs = np.array([H(1 + 2 * t) for t in ts])
    dh = np.array([(H(1 + 2 * (t + h)) - H(1 + 2 * (t - h))) / (2 * h) for t in ts])
    return EntropySign(ts, hs, -hs, dh, np.array([fisher(1 + 2 * t) for t in ts]))


@dataclass(frozen=True)
class TangentClosure:
    """Result of :func:`tangent_vectors_need_the_closure`.

    Attributes
    ----------
    radii : ndarray
        Cut-off radii :math:`R`.
    cutoff_error : ndarray
        :math:`\\|\\partial_x(\\chi_R\\,x^2/2) - x\\|_{L^2(\\rho)}`, :math:`\\rho = \\mathcal N(0,1)`.
    lower_bound : ndarray
        :math:`(\\int_{|x|>R+1} x^2\\rho)^{1/2}`: no gradient of a function supported in
        :math:`[-R-1, R+1]` comes closer.
    """

    radii: np.ndarray
    cutoff_error: np.ndarray
    lower_bound: np.ndarray


def _smooth_step(y):
    """C-infinity step: 0 for y <= 0, 1 for y >= 1, and its derivative."""
    def e(s):
        return np.where(s > 0, np.exp(-1.0 / np.where(s > 0, s, 1.0)), 0.0)

    def de(s):
        return np.where(s > 0, e(s) / np.where(s > 0, s, 1.0) ** 2, 0.0)

    a, b = e(y), e(1 - y)
    val = a / (a + b)
    dval = (de(y) * b + a * de(1 - y)) / (a + b) ** 2
    return val, dval


def tangent_vectors_need_the_closure(radii=(1.0, 2.0, 3.0, 4.0, 5.0)) -> TangentClosure:
    r"""C36: :math:`\{\nabla\varphi:\varphi\in C_c^\infty\}` must be closed in :math:`L^2(\rho)` to be the tangent space.

    The velocity :math:`v(x) = x` (the tangent of the geodesic from
    :math:`\mathcal N(0,1)` to :math:`\mathcal N(0,4)`, and up to the factor
    :math:`-\tau/\Sigma_1` the JKO displacement of C11) is :math:`\nabla(x^2/2)`,
    not the gradient of a compactly supported function: any such gradient
    vanishes for :math:`|x| > R + 1` and is at :math:`L^2(\rho)` distance at least
    :math:`(\int_{|x|>R+1}x^2\rho)^{1/2} > 0`. The cut-offs
    :math:`\chi_R(x)x^2/2` (:math:`\chi_R = 1` on :math:`[-R,R]`, 0 outside
    :math:`[-R-1,R+1]`) approach :math:`v` in :math:`L^2(\rho)`: it lies in the closure.
    """
    radii = np.asarray(radii, dtype=float)
    errs, lows = [], []
    for R in radii:
        def dphi(x, R=R):
            chi, dchi = _smooth_step(R + 1 - np.abs(x))
            return chi * x - dchi * np.sign(x) * x**2 / 2

        f = lambda x: (dphi(x) - x) ** 2 * stats.norm.pdf(x)  # noqa: E731
        val = 2 * (integrate.quad(f, R, R + 1, epsabs=1e-14, limit=200)[0]
                   + integrate.quad(lambda x: x**2 * stats.norm.pdf(x), R + 1, np.inf, epsabs=1e-16)[0])
        errs.append(np.sqrt(val))
        lows.append(np.sqrt(2 * integrate.quad(lambda x: x**2 * stats.norm.pdf(x), R + 1, np.inf, epsabs=1e-16)[0]))
    return TangentClosure(radii, np.array(errs), np.array(lows))


@dataclass(frozen=True)
class BuresRoots:
    """Result of :func:`bures_formula_with_a_nonsymmetric_root`.

    Attributes
    ----------
    trace_symmetric : float
        :math:`\\operatorname{tr}(\\Sigma_0^{1/2}\\Sigma_1\\Sigma_0^{1/2})^{1/2}`.
    trace_text : float
        :math:`\\operatorname{tr}(\\Sigma_1\\Sigma_0)^{1/2}` (principal root of a non-symmetric matrix).
    eigenvalues : ndarray
        Eigenvalues of :math:`\\Sigma_1\\Sigma_0` (real and positive).
    w2_text : float
        :math:`W_2` from the text's formula.
    w2_pot : float
        :math:`W_2` by POT's Bures--Wasserstein distance.
    asymmetry : float
        :math:`\\|\\Sigma_1\\Sigma_0 - (\\Sigma_1\\Sigma_0)^T\\|_{\\max}`.
    """

    trace_symmetric: float
    trace_text: float
    eigenvalues: np.ndarray
    w2_text: float
    w2_pot: float
    asymmetry: float


def bures_formula_with_a_nonsymmetric_root(m0=(0.0, 0.0), C0=((1.0, 0.6), (0.6, 1.0)),
                                            m1=(1.0, -0.5), C1=((2.0, -0.5), (-0.5, 0.5))) -> BuresRoots:
    r"""C37: the section's :math:`\operatorname{tr}(\Sigma_1+\Sigma_0-2(\Sigma_1\Sigma_0)^{1/2})` is the Bures formula.

    :math:`\Sigma_1\Sigma_0` is not symmetric, but it is similar to the
    positive definite :math:`\Sigma_0^{1/2}\Sigma_1\Sigma_0^{1/2}`
    (conjugate by :math:`\Sigma_0^{1/2}`), so its eigenvalues are positive, its
    principal square root exists and has the same trace.
    """
    m0, m1 = np.asarray(m0, float), np.asarray(m1, float)
    C0, C1 = np.asarray(C0, float), np.asarray(C1, float)
    r0 = linalg.sqrtm(C0)
    t_sym = float(np.real(np.trace(linalg.sqrtm(r0 @ C1 @ r0))))
    P = C1 @ C0
    t_text = float(np.real(np.trace(linalg.sqrtm(P))))
    w2_text = float(np.sqrt(np.sum((m0 - m1) ** 2) + np.trace(C0 + C1) - 2 * t_text))
    return BuresRoots(t_sym, t_text, np.sort(np.real(np.linalg.eigvals(P))), w2_text,
                      tr.w2_gaussian_pot(m0, C0, m1, C1), float(np.max(np.abs(P - P.T))))


@dataclass(frozen=True)
class TwoDiracs:
    """Result of :func:`two_diracs`: :math:`W_2(\\delta_0,\\delta_1)` two ways and POT's plan."""

    w2_quantile: float
    w2_pot: float
    plan: np.ndarray


def two_diracs() -> TwoDiracs:
    r"""C16: :math:`W_2(\delta_0,\delta_1) = 1` with the plan :math:`\delta_{(0,1)}` (quantile formula and ``ot.emd``)."""
    return TwoDiracs(tr.w2_1d(tr.dirac(0.0), tr.dirac(1.0)), tr.w2_empirical([0.0], [1.0]),
                     tr.optimal_plan([0.0], [1.0]))


@dataclass(frozen=True)
class UniformToUniform:
    """Result of :func:`uniform_to_uniform`.

    Attributes
    ----------
    w2sq_quadrature, w2sq_closed, w2sq_pot : float
        :math:`W_2^2(U[0,1], U[2,3])` by the quantile formula, the closed form and POT on 2000 samples.
    shift : ndarray
        :math:`T(x) - x` at :math:`x = 0, 0.25, \\dots, 1`.
    text_value_with_half : float
        :math:`\\int_0^1 4\\cdot\\tfrac12\\,dx`, the text's integral with its factor kept.
    rejected : str
        The library's message for the density :math:`\\tfrac12` on :math:`[0,1]`.
    """

    w2sq_quadrature: float
    w2sq_closed: float
    w2sq_pot: float
    shift: np.ndarray
    text_value_with_half: float
    rejected: str


def uniform_to_uniform() -> UniformToUniform:
    r"""C17: :math:`U[0,1]\to U[2,3]`: :math:`T(x) = x+2`, :math:`W_2^2 = 4`; the text's measures have mass 1/2."""
    mu, nu = tr.uniform(0, 1), tr.uniform(2, 3)
    x_s, y_s = mu.sample(2000, rng=1), nu.sample(2000, rng=2)
    try:
        tr.uniform(0, 1, density=0.5)
        msg = ""
    except ValueError as err:
        msg = str(err)
    x = np.linspace(0, 1, 5)
    return UniformToUniform(tr.w2_1d(mu, nu) ** 2, tr.w2_uniform(0, 1, 2, 3) ** 2,
                            tr.w2_empirical(x_s, y_s, method="1d") ** 2, tr.optimal_map_1d(mu, nu, x) - x,
                            integrate.quad(lambda _: 4 * 0.5, 0, 1)[0], msg)


@dataclass(frozen=True)
class GaussianToGaussian:
    """Result of :func:`gaussian_to_gaussian`: :math:`W_2` by the text's formula, quadrature, Bures and POT."""

    formula: float
    quadrature: float
    bures: float
    pot: float


def gaussian_to_gaussian(m=1.5, s1=0.5, s2=2.0) -> GaussianToGaussian:
    r"""C18: :math:`W_2^2(\mathcal N(0,\sigma_1^2),\mathcal N(m,\sigma_2^2)) = m^2 + (\sigma_1-\sigma_2)^2` (standard deviations)."""
    return GaussianToGaussian(float(np.sqrt(m**2 + (s1 - s2) ** 2)),
                              tr.w2_1d(tr.gaussian(0, s1), tr.gaussian(m, s2)),
                              tr.w2_gaussian(0, s1**2, m, s2**2), tr.w2_gaussian_pot(0, s1**2, m, s2**2))


@dataclass(frozen=True)
class UniformToGaussian:
    """Result of :func:`uniform_to_gaussian`.

    Attributes
    ----------
    closed : float
        :math:`\\sqrt{4/3 - 1/\\sqrt\\pi}`.
    quadrature : float
        Quantile formula.
    pot_samples : float
        POT on 5000 + 5000 samples.
    text_error : float
        ``closed - 0.867``.
    """

    closed: float
    quadrature: float
    pot_samples: float
    text_error: float


def uniform_to_gaussian() -> UniformToGaussian:
    r"""C19: :math:`W_2(U[0,1],\mathcal N(0,1)) = (4/3 - 1/\sqrt\pi)^{1/2} = 0.87701`, not 0.867."""
    closed = float(np.sqrt(4 / 3 - 1 / np.sqrt(np.pi)))
    U01, N01 = tr.uniform(0, 1), tr.gaussian(0, 1)
    pot = tr.w2_empirical(U01.sample(5000, rng=11), N01.sample(5000, rng=12), method="1d")
    return UniformToGaussian(closed, tr.w2_1d(U01, N01), pot, closed - 0.867)


@dataclass(frozen=True)
class MongeAmpere:
    """Result of :func:`monge_ampere_of_the_map_and_its_inverse`.

    Attributes
    ----------
    map_residual : float
        :math:`\\max|f_\\nu(T)T' - f_\\mu|` on :math:`[0.05, 0.95]` for :math:`T = \\Phi^{-1}`.
    text_residual : float
        :math:`\\max|(F_\\mu^{-1}\\circ F_\\nu)' - \\varphi|` on :math:`[-3, 3]`.
    inverse_error : float
        :math:`\\max|F_\\mu^{-1}\\circ F_\\nu - T^{-1}|`, :math:`T^{-1} = \\Phi`.
    """

    map_residual: float
    text_residual: float
    inverse_error: float


def monge_ampere_of_the_map_and_its_inverse() -> MongeAmpere:
    r"""C20: the text's equation :math:`\partial_x[F_\mu^{-1}(F_\nu(x))] = \varphi(x)` is about :math:`T^{-1} = \Phi`, not :math:`T = \Phi^{-1}`.

    Finite differences on grids: the Monge--Ampère equation
    :math:`f_\nu(T)T' = f_\mu` of the optimal map :math:`T = \Phi^{-1}`
    (:math:`U[0,1]\to\mathcal N(0,1)`), and the text's identity.
    """
    U01, N01 = tr.uniform(0, 1), tr.gaussian(0, 1)
    xg = np.linspace(0.05, 0.95, 901)
    T = tr.optimal_map_1d(U01, N01, xg)
    ma = stats.norm.pdf(T) * np.gradient(T, xg)
    z = np.linspace(-3, 3, 601)
    inv = tr.optimal_map_1d(N01, U01, z)
    err = np.max(np.abs(np.gradient(inv, z)[1:-1] - stats.norm.pdf(z[1:-1])))
    return MongeAmpere(float(np.max(np.abs(ma[1:-1] - 1))), float(err), float(np.max(np.abs(inv - stats.norm.cdf(z)))))
