"""The book's figure style and small plotting helpers.

Core modules never import this one. Figures are rendered as PNG (the inline
backend's default): nbval does not compare images, so the data behind every
figure is tested in ``tests/`` instead.
"""

from __future__ import annotations

import matplotlib as mpl

__all__ = ["COLORS", "use_book_style"]

#: One colour per role, shared by every chapter.
COLORS = {
    "exact": "#222222",
    "gain": "#1f77b4",
    "loss": "#d62728",
    "q": "#2ca02c",
    "mc": "#ff7f0e",
    "alt": "#9467bd",
    "muted": "#7f7f7f",
}


def use_book_style(dpi: int = 80) -> None:
    """Set matplotlib defaults for the book: PNG output, compact figures, light grid."""
    mpl.rcParams.update(
        {
            "figure.figsize": (6.4, 3.4),
            "figure.dpi": dpi,
            "savefig.dpi": dpi,
            "figure.constrained_layout.use": True,
            "font.size": 10,
            "axes.titlesize": 10,
            "axes.labelsize": 10,
            "legend.fontsize": 8,
            "legend.frameon": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "lines.linewidth": 1.6,
            "image.cmap": "viridis",
            "animation.embed_limit": 8.0,
        }
    )
