"""meanfield: kinetic theory, mean-field limits and mean-field games.

Modules
-------
kinetic
    Maxwellians, elastic collisions, the Boltzmann collision operator.
boltzmann
    The spatially homogeneous Boltzmann equation: Kac's model (spectral
    solver, linearised spectrum), Maxwell molecules, BKW solutions, DSMC.
phase_space
    1D-1V Vlasov--Poisson: the model and its sign convention (stated once),
    the phase-space grid, initial data, density and Gauss's law.
vlasov
    The Cheng--Knorr (semi-Lagrangian) Vlasov--Poisson solver and its
    diagnostics, wave fits; re-exports phase_space, vlasov_linear and bgk.
vlasov_linear
    Linear theory: plasma dispersion function, dielectric, Landau and
    two-stream roots.
bgk
    Stationary states: BGK modes (Schamel family, shooting), residuals of
    the stationary Vlasov and Poisson equations.
mfg
    Mean-field games: an LQ closed form, an Achdou--Capuzzo-Dolcetta
    finite-difference solver, the Carmona--Fouque--Sun systemic-risk game
    with common noise.
particles
    Interacting particles (overdamped Langevin, Euler--Maruyama, ensembles),
    propagation-of-chaos diagnostics, Desai--Zwanzig phase transition.
common_noise
    Particles driven by a common noise, conditional laws, the top Lyapunov
    exponent of a stochastic flow (synchronisation by noise).
sphere
    The toy transformer model: tokens on the sphere driven by one shared
    Brownian motion, pair overlaps, the large-d limit, clustering.
spde
    Pseudo-spectral solver of the McKean--Vlasov SPDE on the torus with a
    common divergence-free Stratonovich transport noise.
transport
    Wasserstein distances (quantiles, Bures, POT), optimal maps, geodesics.
jko
    The Jordan--Kinderlehrer--Otto scheme: Gaussian closed forms and a
    Lagrangian (quantile) solver for 1D free energies.
fokker_planck
    Finite-volume (Scharfetter--Gummel) solver of the 1D nonlinear
    Fokker--Planck / McKean--Vlasov equation, free energy, dissipation.
grids
    Uniform 1D finite-volume grids.
report
    Printing verified numbers: value, reference, error.
utils
    Input validation and seeded random generators shared by all modules.
plotting
    The book's figure style and animation (static fallback) helpers.
widgets
    ipywidgets front-ends with a kernel-free fallback.
claims
    The checks of the source text (*Checking the text*): one function per
    claim row, named after what it checks, docstring starting with the row
    ID, one submodule per part (kinetic, transport, limits, games, noise).
    Topic modules hold only general tools.

Core modules never import :mod:`meanfield.plotting` or
:mod:`meanfield.widgets`.
"""

__version__ = "0.1.0"
