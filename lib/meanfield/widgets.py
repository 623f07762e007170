"""Interactive panels (ipywidgets) and their kernel-free fallbacks.

A live panel only works with a running kernel: in the static HTML book the
reader sees the frame stored when the notebook was executed. Every panel of
the book therefore comes with a fallback that needs no kernel: a JavaScript
animation over one parameter (:func:`sweep_animation`, via matplotlib's
``to_jshtml``), or small multiples.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

from .utils import check_int, check_positive

__all__ = ["panel", "sweep_animation", "offline_jshtml", "BlitFigure"]

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


class BlitFigure:
    """A figure whose static parts are rendered once, for fast widget updates.

    Axes, ticks, labels and legends are drawn once (with the figure's layout
    engine, e.g. constrained layout) into a cached background; each update
    redraws only ``artists`` (the lines and markers whose data change) on
    top of it and encodes a PNG. Axis limits must therefore stay fixed.
    This brings a two-panel update from ~150 ms to a few ms.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The panel's figure, fully built (limits set, legends placed).
    artists : sequence of matplotlib.artist.Artist
        The artists that :meth:`png` redraws.
    """

    def __init__(self, fig, artists):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig = fig
        self.artists = list(artists)
        plt.close(fig)  # never shown by the inline backend on its own
        self.canvas = FigureCanvasAgg(fig)
        self.canvas.draw()  # layout (e.g. constrained) computed once, here
        fig.set_layout_engine("none")
        for artist in self.artists:
            artist.set_animated(True)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(fig.bbox)

    def png(self) -> bytes:
        """PNG bytes of the figure with the artists' current data."""
        import io

        from PIL import Image

        self.canvas.restore_region(self.background)
        for artist in self.artists:
            self.fig.draw_artist(artist)
        buf = io.BytesIO()
        Image.fromarray(np.asarray(self.canvas.buffer_rgba())).save(buf, format="png")
        return buf.getvalue()

    def show(self):
        """Display the current frame (in a notebook or an Output widget)."""
        from IPython.display import Image, display

        display(Image(data=self.png(), format="png"))


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
    return HTML(offline_jshtml(html))


# matplotlib's player styles its buttons with Font Awesome 4 from a CDN; offline
# the buttons would be blank. Plain Unicode glyphs need no font download.
_GLYPHS = {
    "fa fa-minus": "\u2212",
    "fa fa-fast-backward": "\u21e4",
    "fa fa-step-backward": "\u2039",
    "fa fa-play fa-flip-horizontal": "\u25c0",
    "fa fa-pause": "||",
    "fa fa-play": "\u25b6",
    "fa fa-step-forward": "\u203a",
    "fa fa-fast-forward": "\u21e5",
    "fa fa-plus": "+",
}


def offline_jshtml(html: str) -> str:
    """Make matplotlib's ``to_jshtml`` output self-contained and deterministic.

    Removes the stylesheet link to a CDN, replaces the icon-font buttons by
    Unicode glyphs, and replaces the random element id by a hash of the
    content (unique per animation, identical on re-runs).
    """
    import hashlib
    import re

    html = re.sub(r"<link[^>]*font-awesome[^>]*>", "", html)
    for cls, glyph in _GLYPHS.items():
        html = html.replace(f'<i class="{cls}"></i>', glyph)
    if "<i class=\"fa" in html:
        raise RuntimeError("offline_jshtml: unknown icon in matplotlib's animation template")
    ids = set(re.findall(r"_anim_img([0-9a-f]{32})", html))
    if len(ids) == 1:
        old = ids.pop()
        html = html.replace(old, hashlib.sha1(html.replace(old, "").encode()).hexdigest()[:32])
    return html
