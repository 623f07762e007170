"""Shared helpers: argument validation and random generators.

Every stochastic routine of the package takes ``rng``: ``None``, an integer
seed or a :class:`numpy.random.Generator`, turned into a generator by
:func:`as_generator`. Validation helpers raise :class:`ValueError` (or
:class:`TypeError`) with a message naming the offending parameter and the
allowed range, so that bad input never becomes a silent NaN.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "as_generator",
    "check_positive",
    "check_nonnegative",
    "check_int",
    "check_in_range",
    "check_vectors",
    "check_choice",
    "check_callable",
    "check_normals",
    "coarsen_normals",
    "check_times",
    "check_positions",
    "uniform_sphere",
]


def as_generator(rng=None) -> np.random.Generator:
    """Return a :class:`numpy.random.Generator` from ``rng``.

    Parameters
    ----------
    rng : None, int or numpy.random.Generator
        ``None`` gives a fresh unseeded generator, an integer a seeded one
        (``np.random.default_rng(rng)``); a generator is returned unchanged.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None or (isinstance(rng, numbers.Integral) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng: a seed must be a non-negative integer, got {rng}")
        return np.random.default_rng(rng)
    raise TypeError(
        f"rng: expected None, a non-negative int seed or a numpy.random.Generator, "
        f"got {type(rng).__name__}"
    )


def _as_real(name, value):
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        arr = np.asarray(value)
        if arr.ndim != 0 or not np.issubdtype(arr.dtype, np.number) or np.iscomplexobj(arr):
            raise TypeError(f"{name}: expected a real number, got {type(value).__name__}")
        value = arr.item()
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name}: must be finite, got {value}")
    return value


def check_positive(name: str, value) -> float:
    """Return ``float(value)``; raise unless it is a finite number > 0."""
    value = _as_real(name, value)
    if value <= 0:
        raise ValueError(f"{name}: must be > 0, got {value}")
    return value


def check_nonnegative(name: str, value) -> float:
    """Return ``float(value)``; raise unless it is a finite number >= 0."""
    value = _as_real(name, value)
    if value < 0:
        raise ValueError(f"{name}: must be >= 0, got {value}")
    return value


def check_in_range(name: str, value, low, high, *, closed=(True, False)) -> float:
    """Return ``float(value)``; raise unless ``low <= value < high``.

    ``closed`` says whether each end is included (default ``[low, high)``).
    """
    value = _as_real(name, value)
    lo_ok = value >= low if closed[0] else value > low
    hi_ok = value <= high if closed[1] else value < high
    if not (lo_ok and hi_ok):
        left = "[" if closed[0] else "("
        right = "]" if closed[1] else ")"
        raise ValueError(f"{name}: must lie in {left}{low}, {high}{right}, got {value}")
    return value


def check_int(name: str, value, minimum: int = 1) -> int:
    """Return ``int(value)``; raise unless it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, np.integer)):
        raise TypeError(f"{name}: expected an integer, got {type(value).__name__}")
    value = int(value)
    if value < minimum:
        raise ValueError(f"{name}: must be an integer >= {minimum}, got {value}")
    return value


def check_choice(name: str, value, choices) -> str:
    """Return ``value``; raise a ValueError listing ``choices`` if it is not one."""
    if value not in choices:
        valid = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name}: unknown value {value!r}; valid values are {valid}")
    return value


def check_callable(name: str, f, *, allow_none: bool = False):
    """Return ``f``; raise a TypeError unless it is callable (or ``None`` when allowed)."""
    if f is None and allow_none:
        return None
    if not callable(f):
        raise TypeError(f"{name}: expected a vectorised callable of x, got {type(f).__name__}")
    return f


def check_normals(name: str, value, shape: tuple) -> np.ndarray:
    """Return pre-drawn standard normals ``value`` as a float array of exactly ``shape``, all finite.

    Used by the simulators that accept their Brownian increments from the
    caller (couplings, one noise path shared by several runs).

    Examples
    --------
    >>> check_normals("noise", np.zeros((2, 3)), (2, 3)).shape
    (2, 3)
    """
    arr = np.asarray(value, dtype=float)
    shape = tuple(shape)
    if arr.shape != shape:
        raise ValueError(f"{name}: expected shape {shape}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: contains NaN or infinite entries")
    return arr


def check_positions(name: str, value) -> np.ndarray:
    """Return a float **copy** of particle positions of shape ``(N,)`` or ``(R, N)`` (R systems), all finite.

    A copy, so that simulators can update it in place without touching the
    caller's array.
    """
    x = np.array(value, dtype=float)
    if x.ndim not in (1, 2) or x.size < 1:
        raise ValueError(f"{name}: expected shape (N,) or (R, N) with N >= 1, R >= 1, got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name}: contains NaN or infinite entries")
    return x


def check_times(name: str, value) -> np.ndarray:
    """Return ``value`` as a float array of times, all finite and >= 0."""
    t = np.asarray(value, dtype=float)
    if not np.all(np.isfinite(t)) or np.any(t < 0):
        raise ValueError(f"{name}: times must be finite and >= 0")
    return t


def coarsen_normals(z, factor: int) -> np.ndarray:
    r"""The standard normals of a ``factor`` times coarser time step on the same Brownian path.

    If :math:`\Delta B_k = \sqrt{h}\,z_k` are the increments of steps of size
    :math:`h`, the increments of steps :math:`mh` are sums of :math:`m`
    consecutive ones, i.e. :math:`\sqrt{mh}\,\tilde z_j` with
    :math:`\tilde z_j = m^{-1/2}\sum_{k=jm}^{jm+m-1} z_k`, again standard normals.
    Used for convergence studies in the time step along one noise path.

    Parameters
    ----------
    z : array_like, shape (n_steps, ...)
        Standard normals of the fine steps (time on the first axis).
    factor : int
        :math:`m\ge1`, a divisor of ``n_steps``.

    Examples
    --------
    >>> coarsen_normals(np.array([1.0, 1.0, 2.0, 0.0]), 2) * np.sqrt(2)
    array([2., 2.])
    """
    z = np.asarray(z, dtype=float)
    factor = check_int("factor", factor, 1)
    if z.ndim < 1:
        raise ValueError("z: expected an array of shape (n_steps, ...), got a scalar")
    if z.shape[0] % factor:
        raise ValueError(f"factor: must divide the number of steps z.shape[0] = {z.shape[0]}, got {factor}")
    return z.reshape((z.shape[0] // factor, factor) + z.shape[1:]).sum(axis=1) / np.sqrt(factor)


def check_vectors(name: str, value, d: int | None = None) -> np.ndarray:
    """Return ``value`` as a float array of shape ``(..., d)`` with finite entries.

    Parameters
    ----------
    name : str
        Parameter name used in error messages.
    value : array_like
        At least one-dimensional; the last axis holds the vector components.
    d : int, optional
        Required length of the last axis.
    """
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        raise ValueError(f"{name}: expected an array of shape (..., d), got a scalar")
    if d is not None and arr.shape[-1] != d:
        raise ValueError(f"{name}: last axis must have length {d}, got shape {arr.shape}")
    if arr.shape[-1] < 1:
        raise ValueError(f"{name}: last axis must be non-empty, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: contains NaN or infinite entries")
    return arr


def uniform_sphere(n: int, d: int = 3, *, rng=None) -> np.ndarray:
    """Draw ``n`` points uniformly on the unit sphere :math:`S^{d-1}`.

    Normalised standard Gaussian vectors (rotation invariance).

    Returns
    -------
    ndarray, shape (n, d)
    """
    n = check_int("n", n, 1)
    d = check_int("d", d, 1)
    g = as_generator(rng).standard_normal((n, d))
    return g / np.linalg.norm(g, axis=1, keepdims=True)
