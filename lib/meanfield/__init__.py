"""meanfield: kinetic theory, mean-field limits and mean-field games.

Modules
-------
kinetic
    Maxwellians, elastic collisions, the Boltzmann collision operator.
utils
    Input validation and seeded random generators shared by all modules.
plotting
    The book's figure style and animation (static fallback) helpers.
widgets
    ipywidgets front-ends with a kernel-free fallback.

Core modules never import :mod:`meanfield.plotting` or
:mod:`meanfield.widgets`.
"""

__version__ = "0.1.0"
