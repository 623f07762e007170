"""Formatting of verified numbers: a value, its reference and the error.

Printed numbers must be identical on every re-run (nbval compares them), so
values are rounded to stable digits and errors at round-off level are
printed as a bound (``|err| < 1e-12``) rather than as noise.
"""

from __future__ import annotations

import numpy as np

from .utils import check_int, check_positive

__all__ = ["check_line", "mc_line", "stable"]


def _fmt(x, digits):
    return f"{stable(x, digits=digits):.{digits}g}"


def stable(x, *, decimals=None, digits=None) -> float:
    """Round ``x`` for printing and turn ``-0.0`` into ``0.0``.

    Give either ``decimals`` (places after the point) or ``digits``
    (significant digits). A tiny negative number would otherwise print as
    ``-0.0000`` on one machine and ``0.0000`` on another.
    """
    x = float(x)
    if decimals is not None:
        x = round(x, decimals)
    elif digits is not None and x != 0:
        x = float(f"{x:.{digits}g}")
    return x + 0.0


def check_line(label, value, reference, *, ref_label="closed form", digits=6, floor=1e-12) -> str:
    """``"label = value (ref_label reference, |err| e)"`` with the error rounded to 1 digit.

    Parameters
    ----------
    label : str
    value, reference : float
    ref_label : str
        Where the reference comes from ("closed form", "quadrature", "POT", ...).
    digits : int
        Significant digits of value and reference.
    floor : float
        Errors below ``floor`` are printed as ``|err| < floor``.

    Examples
    --------
    >>> check_line("W2", 0.877013, 0.877010)
    'W2 = 0.877013 (closed form 0.87701, |err| 3e-06)'
    """
    digits = check_int("digits", digits, 1)
    floor = check_positive("floor", floor)
    err = abs(float(value) - float(reference))
    err_txt = f"< {floor:.0e}" if err < floor else f"{err:.0e}"
    return f"{label} = {_fmt(value, digits)} ({ref_label} {_fmt(reference, digits)}, |err| {err_txt})"


def mc_line(label, value, se, reference=None, *, ref_label="closed form") -> str:
    """``"label = value ± se"`` and, with a reference, the error in standard errors.

    The value (and the reference) are printed to the decimal place of the
    standard error's second significant digit.

    Examples
    --------
    >>> mc_line("G", 0.6046, 0.0012, 0.6050)
    'G = 0.6046 ± 0.0012 (closed form 0.6050, |err| = 0.3 SE)'
    >>> mc_line("L", 0.482981, 0.0008)
    'L = 0.48298 ± 0.00080'
    """
    se = float(se)
    if not np.isfinite(se) or se <= 0:
        raise ValueError(f"se: must be finite and > 0, got {se}")
    decimals = max(0, 1 - int(np.floor(np.log10(se))))
    txt = f"{label} = {stable(value, decimals=decimals):.{decimals}f} ± {se:.{decimals}f}"
    if reference is not None:
        err = abs(float(value) - float(reference))
        txt += f" ({ref_label} {stable(reference, decimals=decimals):.{decimals}f}, |err| = {err / se:.1f} SE)"
    return txt
