"""Interactive panels (ipywidgets) and their kernel-free fallbacks.

A live panel only works with a running kernel: in the static HTML book the
reader sees the frame stored when the notebook was executed. Every panel of
the book therefore comes with a fallback that needs no kernel: a JavaScript
animation over one parameter (:func:`sweep_animation`, via matplotlib's
``to_jshtml``), or small multiples.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

from .utils import check_int, check_positive

__all__ = ["panel", "sweep_animation"]

MAX_FRAMES = 40


def panel(draw, controls: dict, *, columns: int = 3):
    """A panel of ``controls`` above an output area redrawn by ``draw(**values)``.

    Parameters
    ----------
    draw : callable
        Called with the controls' values as keyword arguments; it draws a
        figure (``plt.show()``) and/or prints a summary.
    controls : dict of str to ipywidgets.ValueWidget
        Keyword name -> control. Sliders should use ``continuous_update=False``.
    columns : int
        Controls per row.

    Returns
    -------
    ipywidgets.VBox
    """
    import ipywidgets as widgets

    columns = check_int("columns", columns, 1)
    out = widgets.interactive_output(draw, controls)
    items = list(controls.values())
    rows = [widgets.HBox(items[i : i + columns]) for i in range(0, len(items), columns)]
    return widgets.VBox([*rows, out])


def sweep_animation(fig, update, values, *, interval=300, dpi=None):
    """A JavaScript animation of ``fig`` as one parameter runs through ``values``.

    The kernel-free fallback of a widget: ``update(value)`` redraws ``fig``
    for one value. The figure is closed afterwards so it is not shown twice.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    update : callable
        ``update(value)`` modifies the artists of ``fig``.
    values : sequence
        At most 40 frames (the book keeps stored notebooks light).
    interval : float
        Milliseconds between frames.
    dpi : float, optional
        Resolution of the frames (default: the figure's).

    Returns
    -------
    IPython.display.HTML
    """
    from IPython.display import HTML

    values = list(values)
    if not 1 <= len(values) <= MAX_FRAMES:
        raise ValueError(f"values: between 1 and {MAX_FRAMES} frames allowed, got {len(values)}")
    interval = check_positive("interval", interval)
    if dpi is not None:
        fig.set_dpi(check_positive("dpi", dpi))
    anim = FuncAnimation(fig, lambda i: update(values[i]), frames=len(values), interval=interval)
    html = anim.to_jshtml(default_mode="loop")
    plt.close(fig)
    return HTML(html)
