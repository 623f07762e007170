r"""Uniform one-dimensional finite-volume grids.

A :class:`Grid1D` splits :math:`[a, b]` into :math:`n` cells of width
:math:`\Delta x = (b-a)/n`; unknowns live at the cell centres

.. math::  x_i = a + (i + \tfrac12)\,\Delta x, \qquad i = 0, \dots, n-1,

and the cell edges are :math:`a + i\,\Delta x`, :math:`i = 0, \dots, n`.
A grid function :math:`(\rho_i)` is read as point values at the centres
(equivalently, cell averages up to :math:`O(\Delta x^2)`), and integrals use
the midpoint rule :math:`\int_a^b f\,dx \approx \Delta x \sum_i f(x_i)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .utils import _as_real, check_int

__all__ = ["Grid1D", "make_grid"]


@dataclass(frozen=True)
class Grid1D:
    """A cell-centred uniform grid on ``[a, b]`` with ``n`` cells.

    Parameters
    ----------
    a, b : float
        End points, finite, ``b > a``.
    n : int
        Number of cells, ``>= 2``.

    Examples
    --------
    >>> g = Grid1D(0.0, 1.0, 4)
    >>> g.dx, g.centers.tolist()
    (0.25, [0.125, 0.375, 0.625, 0.875])
    >>> g.integrate(np.ones(4))
    1.0
    """

    a: float
    b: float
    n: int

    def __post_init__(self):
        a = _as_real("a", self.a)
        b = _as_real("b", self.b)
        n = check_int("n", self.n, 2)
        if not b > a:
            raise ValueError(f"b: must be > a = {a}, got {b}")
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)
        object.__setattr__(self, "n", n)

    @property
    def dx(self) -> float:
        """Cell width :math:`(b-a)/n`."""
        return (self.b - self.a) / self.n

    @property
    def centers(self) -> np.ndarray:
        """Cell centres :math:`a + (i+\\tfrac12)\\Delta x`, shape ``(n,)``."""
        return self.a + (np.arange(self.n) + 0.5) * self.dx

    @property
    def edges(self) -> np.ndarray:
        """Cell edges :math:`a + i\\Delta x`, shape ``(n + 1,)`` (exactly ``a`` and ``b`` at the ends)."""
        e = self.a + np.arange(self.n + 1) * self.dx
        e[-1] = self.b
        return e

    def integrate(self, values):
        """Midpoint rule :math:`\\Delta x\\sum_i f_i` along the last axis.

        Parameters
        ----------
        values : array_like, shape (..., n)
            Values at the cell centres.

        Returns
        -------
        float or ndarray, shape (...)
        """
        values = np.asarray(values, dtype=float)
        if values.ndim == 0 or values.shape[-1] != self.n:
            raise ValueError(f"values: last axis must have length n = {self.n}, got shape {values.shape}")
        out = self.dx * np.sum(values, axis=-1)
        return float(out) if out.ndim == 0 else out


def make_grid(a, b, n) -> Grid1D:
    """Cell-centred uniform grid on ``[a, b]`` with ``n`` cells (validated: ``b > a``, ``n >= 2``).

    Examples
    --------
    >>> make_grid(-1, 1, 2).centers.tolist()
    [-0.5, 0.5]
    """
    return Grid1D(a, b, n)
