"""Interactive panels (ipywidgets) that also work in the static HTML book.

:func:`grid_panel` is the book's panel: a chapter declares it once, with a
pure draw function and the grid of values of each :class:`Control`. In a
live kernel the controls compute any value they allow; in the static page
(no kernel, no network) every frame of the grid is precomputed and stored
in the widget state, and ipywidgets' ``jslink`` (run by the widget manager
in the browser) switches between them as the reader moves a slider. The
mode comes from the environment variable ``MEANFIELD_PANELS`` ("static" /
"live"; unset means live), which ``tools/run_notebooks.py`` sets to static.

Animations whose parameter is time use :func:`sweep_animation`
(matplotlib's ``to_jshtml`` made offline by :func:`offline_jshtml`, with alt
text and its first frame for the PDF); :class:`BlitFigure` makes frames fast.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import numbers
import os
import struct
import time
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

from .utils import check_int, check_positive

__all__ = ["Control", "GridPanel", "grid_panel", "sweep_animation", "Animation", "offline_jshtml", "BlitFigure"]

MAX_FRAMES = 40
MAX_PANEL_FRAMES = 48
PANEL_MODES = ("static", "live")
PANEL_ENV = "MEANFIELD_PANELS"


def _is_number(v) -> bool:
    return isinstance(v, (numbers.Real, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _is_integer(v) -> bool:
    return isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, (bool, np.bool_))


@dataclass(frozen=True, init=False)
class Control:
    """One control of a :func:`grid_panel`: a keyword of the draw function and its grid.

    Parameters
    ----------
    name : str
        The keyword argument of ``draw`` that this control sets.
    values : sequence
        The grid: the values the static page precomputes, in slider order
        (typically 5-9 of them). Numbers (a live panel then offers a slider
        over ``[min(values), max(values)]``) or any other distinct labels,
        e.g. strings (a live panel then offers exactly these).
    label : str, optional
        The visible label: the symbol and its meaning, e.g.
        ``"β (inverse temperature)"``. Default: ``name``.
    value : optional
        The initial value, one of ``values``. Default: the middle of the grid.
    step : float, optional
        Step of the live slider of a numeric grid. Default: the largest step
        on which every grid value lies (the gcd of the gaps for integers), or
        1/100 of the range when there is none.
    symbol : str, optional
        How the value is named in the frames' alt text, e.g. ``"β"`` in
        ``"... (β = 2)"``. Default: the label up to `` (``, else ``name``.
    fmt : str or callable, optional
        How a value is shown (slider readout, alt text): a format spec such
        as ``".2f"`` or a function ``value -> str``. Default: ``".6g"`` for
        numbers, ``str`` otherwise.
    """

    name: str
    values: tuple
    label: str
    value: object
    step: float | None
    symbol: str
    fmt: object

    def __init__(self, name, values, *, label=None, value=None, step=None, symbol=None, fmt=None):
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"name: a control's name must be a Python identifier (a keyword of draw), got {name!r}")
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError(f"values: control {name!r} needs a sequence of values, got {type(values).__name__}")
        values = tuple(v.item() if isinstance(v, np.generic) else v for v in values)
        if len(values) < 2:
            raise ValueError(f"values: control {name!r} needs at least 2 values (a control that cannot move "
                             f"changes nothing), got {len(values)}")
        numeric = all(_is_number(v) for v in values)
        if numeric and not all(np.isfinite(float(v)) for v in values):
            raise ValueError(f"values: control {name!r} has a non-finite value in {values}")
        for i, v in enumerate(values):
            if any(v == w for w in values[:i]):
                raise ValueError(f"values: control {name!r} lists {v!r} twice")
        if label is None:
            label = name
        if not isinstance(label, str) or not label.strip():
            raise TypeError(f"label: control {name!r} needs a non-empty string label, got {label!r}")
        if symbol is None:
            symbol = label.split(" (")[0].strip() or name
        if not isinstance(symbol, str) or not symbol:
            raise TypeError(f"symbol: control {name!r} needs a non-empty string, got {symbol!r}")
        if value is None:
            value = values[(len(values) - 1) // 2]
        elif not any(value == v for v in values):
            raise ValueError(f"value: {value!r} is not on the grid of control {name!r}: {values}")
        else:
            value = values[[value == v for v in values].index(True)]
        if step is not None:
            if not numeric:
                raise ValueError(f"step: control {name!r} has a non-numeric grid, it takes no step")
            step = check_positive("step", step)
        if fmt is not None and not (isinstance(fmt, str) or callable(fmt)):
            raise TypeError(
                f"fmt: control {name!r}: expected a format spec string or a callable, got {type(fmt).__name__}"
            )
        for field, v in zip(("name", "values", "label", "value", "step", "symbol", "fmt"),
                            (name, values, label, value, step, symbol, fmt)):
            object.__setattr__(self, field, v)
        texts = [self.text(v) for v in values]
        if len(set(texts)) != len(texts):
            raise ValueError(f"fmt: control {name!r} shows two grid values alike: {texts}")

    @property
    def numeric(self) -> bool:
        """Whether the grid is numbers (a live panel offers a slider over its range)."""
        return all(_is_number(v) for v in self.values)

    @property
    def index(self) -> int:
        """Position of the initial value in the grid."""
        return [self.value == v for v in self.values].index(True)

    def text(self, value) -> str:
        """The value as the panel shows it (slider readout and alt text)."""
        if callable(self.fmt):
            return str(self.fmt(value))
        if self.fmt is not None:
            return format(value, self.fmt)
        return format(value, ".6g") if _is_number(value) and not _is_integer(value) else str(value)

    def live_step(self) -> float:
        """Step of the live slider (see ``step``)."""
        if self.step is not None:
            return self.step
        vals = sorted(float(v) for v in self.values)
        span = vals[-1] - vals[0]
        if span == 0:
            return 1.0
        if all(_is_integer(v) for v in self.values):
            return float(np.gcd.reduce(np.diff(np.array(sorted(self.values), dtype=np.int64))))
        gap = min(np.diff(vals))
        for m in range(1, 101):  # the largest gap / m on which every value lies
            k = (np.array(vals) - vals[0]) / (gap / m)
            if np.allclose(k, np.round(k), rtol=0, atol=1e-6):
                return float(f"{gap / m:.12g}")
        return span / 100


def panel_mode(mode=None) -> str:
    """The mode of new panels: ``mode`` if given, else ``$MEANFIELD_PANELS``, else ``"live"``."""
    if mode is None:
        mode = os.environ.get(PANEL_ENV, "").strip() or "live"
        if mode not in PANEL_MODES:
            raise ValueError(f"{PANEL_ENV}: expected one of {PANEL_MODES} or unset, got {mode!r}")
    elif mode not in PANEL_MODES:
        raise ValueError(f"mode: expected one of {PANEL_MODES} or None, got {mode!r}")
    return mode


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _to_png(image, dpi, colors) -> bytes:
    """PNG bytes of what a draw function returned (Figure, BlitFigure or PNG bytes).

    With ``colors``, the frame is stored as a PNG with an adaptive palette of
    that many colours (plots need few: 2-3 times smaller, the same to the eye;
    encoding is faster than full colour).
    """
    import io

    from matplotlib.figure import Figure
    from PIL import Image

    if isinstance(image, BlitFigure):
        png = None
        pixels = Image.fromarray(image.rgba())
    elif isinstance(image, Figure):
        buf = io.BytesIO()
        # no "Software" text chunk (matplotlib writes no date in a PNG): same bytes on re-runs
        image.savefig(buf, format="png", dpi="figure" if dpi is None else dpi, metadata={"Software": None})
        plt.close(image)
        png = buf.getvalue()
        pixels = None
    elif isinstance(image, (bytes, bytearray, memoryview)):
        png = bytes(image)
        if not png.startswith(_PNG_SIGNATURE):
            raise TypeError("draw: returned bytes that are not a PNG image")
        pixels = None
    else:
        raise TypeError(
            "draw: expected a matplotlib Figure, a BlitFigure or PNG bytes (optionally with a summary: "
            f"(figure, summary)), got {type(image).__name__}"
        )
    if colors is None:
        if png is None:
            buf = io.BytesIO()
            pixels.save(buf, format="png")
            png = buf.getvalue()
        return png
    if pixels is None:
        pixels = Image.open(io.BytesIO(png))
    pixels = pixels.convert("RGBA")
    flat = Image.new("RGB", pixels.size, "white")
    flat.paste(pixels, mask=pixels.getchannel("A"))
    # octree: ~2 ms a frame (median cut is 10 times slower for the same look); it averages
    # the background to (254, 254, 254): snap near-white palette entries back to white
    quant = flat.quantize(colors, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    palette = np.array(quant.getpalette()[: 3 * colors], dtype=np.uint8).reshape(-1, 3)
    palette[(palette >= 252).all(axis=1)] = 255
    quant.putpalette(palette.ravel().tolist())
    buf = io.BytesIO()
    quant.save(buf, format="png")
    return buf.getvalue()


def _summary_html(summary) -> str:
    if summary is None:
        return ""
    if hasattr(summary, "_repr_html_"):
        body = summary._repr_html_()
    elif isinstance(summary, str):
        body = f"<pre>{html.escape(summary)}</pre>"
    else:
        raise TypeError(f"draw: the summary must be a str or an HTML object, got {type(summary).__name__}")
    return f'<div class="meanfield-panel-summary">{body}</div>'


def _call_draw(draw, values, dpi, colors):
    out = draw(**values)
    if isinstance(out, tuple):
        if len(out) != 2:
            raise TypeError(f"draw: expected a figure or (figure, summary), got a tuple of length {len(out)}")
        image, summary = out
    else:
        image, summary = out, None
    return _to_png(image, dpi, colors), _summary_html(summary)


def _frame_html(png, summary, alt, labels, indices, shape, panel_id) -> str:
    """One frame: the image with its alt text, the summary, and data attributes the browser test reads."""
    width, height = struct.unpack(">II", png[16:24])
    data = (
        f'data-panel="{panel_id}" data-index="{",".join("" if i is None else str(i) for i in indices)}" '
        f'data-shape="{",".join(str(n) for n in shape)}" '
        f'data-labels="{html.escape(json.dumps(labels, ensure_ascii=False))}"'
    )
    src = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return (
        f'<div class="meanfield-panel-frame" {data}>'
        f'<img src="{src}" alt="{html.escape(alt)}" width="{width}" height="{height}" '
        f'style="max-width:100%;height:auto">{summary}</div>'
    )


def _alt(alt, controls, values) -> str:
    named = ", ".join(f"{c.symbol} = {c.text(v)}" for c, v in zip(controls, values))
    return f"{alt} ({named})"


class GridPanel(widgets.VBox):
    """The widget :func:`grid_panel` returns: controls above one frame (image + summary).

    Attributes
    ----------
    mode : str
        ``"static"`` or ``"live"``.
    controls : tuple of Control
    sliders : tuple of ipywidgets widgets
        One per control, in order.
    frames : dict
        Static mode: grid indices (one per control) -> PNG bytes of every frame.
        Live mode: the frame last drawn, under its control values.
    summaries : dict
        Same keys, the summary HTML.
    alt : str
        The alt text (without the values).
    build_seconds : float
        Wall time spent drawing frames when the panel was built.
    """

    def _repr_mimebundle_(self, **kwargs):
        """The widget view, plus the current frame as ``image/png`` and its alt text as ``text/plain``.

        A front end that renders widgets shows the panel; anything else (the
        PDF book, a notebook viewer without a widget manager) shows the frame.
        """
        data = super()._repr_mimebundle_(**kwargs)
        data["image/png"] = base64.b64encode(self.current_png()).decode("ascii")
        data["text/plain"] = self.current_alt()
        return data

    def current_alt(self) -> str:
        """Alt text of the frame the sliders select (static) or last drawn (live)."""
        if self.mode == "static":
            key = tuple(c.values[s.index] for c, s in zip(self.controls, self.sliders))
        else:
            key = next(iter(self.frames))
        return _alt(self.alt, self.controls, key)

    def current_png(self) -> bytes:
        """PNG bytes of the frame the sliders select (static) or last drawn (live)."""
        if self.mode == "static":
            return self.frames[tuple(s.index for s in self.sliders)]
        return next(iter(self.frames.values()))


def grid_panel(draw, controls, *, alt: str, dpi=None, colors=256, mode=None) -> GridPanel:
    """A panel of sliders over ``draw``: live in a kernel, precomputed on a grid in the static book.

    Parameters
    ----------
    draw : callable
        ``draw(**values)``, called with one keyword per control, returns a
        matplotlib Figure, a :class:`BlitFigure` or PNG bytes, optionally
        with a summary: ``(figure, summary)``, where the summary is plain
        text (shown preformatted) or an object with ``_repr_html_``. It
        should be a pure function of the values; figures from a Figure are
        rendered at ``dpi`` and closed.
    controls : sequence of Control
        The controls, in display order; the product of the grid sizes is
        the number of frames, at most 48.
    alt : str
        Alt text of the frames, completed with the values each one shows:
        ``alt + " (N = 200, β = 1)"``.
    dpi : float, optional
        Resolution of the frames drawn as a Figure (default: the figure's).
    colors : int or None
        Frames are stored as PNGs with an adaptive palette of this many
        colours (2-256; about 3 times smaller than full colour, the same to
        the eye for plots); None keeps full RGBA.
    mode : {"static", "live"}, optional
        Default: the environment variable ``MEANFIELD_PANELS``, else live.
        *static*: every frame of the grid is drawn now and stored; each
        control is a SelectionSlider whose ``index`` is ``jsdlink``-ed to the
        ``selected_index`` of a level of nested Stacks of frames, so the panel
        works in the browser with no kernel (the HTML book, or JupyterLab).
        *live*: each numeric control is an Int/FloatSlider over the range of
        its grid (any value, with the control's ``step``), a non-numeric one
        a SelectionSlider over its values; ``draw`` runs in the kernel.

    Returns
    -------
    GridPanel
        An ``ipywidgets.VBox`` with CSS classes ``meanfield-panel`` and
        ``meanfield-panel-static`` or ``meanfield-panel-live``; each frame is
        a ``div.meanfield-panel-frame`` holding the ``img``. Displayed, it
        also carries its current frame as ``image/png`` (what the PDF shows).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> def draw(k):
    ...     fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
    ...     ax.plot([0, 1], [0, k])
    ...     return fig, f"slope {k}"
    >>> p = grid_panel(draw, [Control("k", [1, 2, 3], label="k (slope)")], alt="A line", mode="static")
    >>> len(p.frames), p.current_alt()
    (3, 'A line (k = 2)')
    """
    if not callable(draw):
        raise TypeError(f"draw: expected a callable, got {type(draw).__name__}")
    if isinstance(controls, Control):
        controls = [controls]
    controls = tuple(controls)
    if not controls:
        raise ValueError("controls: a panel needs at least one Control")
    for c in controls:
        if not isinstance(c, Control):
            raise TypeError(f"controls: expected Control objects, got {type(c).__name__}")
    names = [c.name for c in controls]
    if len(set(names)) != len(names):
        raise ValueError(f"controls: two controls set the same keyword: {names}")
    shape = tuple(len(c.values) for c in controls)
    n_frames = int(np.prod(shape))
    if n_frames > MAX_PANEL_FRAMES:
        sizes = " x ".join(f"{len(c.values)} ({c.name})" for c in controls)
        raise ValueError(f"controls: the grid has {n_frames} frames = {sizes}, at most {MAX_PANEL_FRAMES} allowed")
    if not isinstance(alt, str) or not alt.strip():
        raise TypeError(f"alt: expected a non-empty string describing the figure, got {alt!r}")
    if dpi is not None:
        dpi = check_positive("dpi", dpi)
    if colors is not None:
        colors = check_int("colors", colors, 2)
        if colors > 256:
            raise ValueError(f"colors: a PNG palette has at most 256 colours, got {colors}")
    mode = panel_mode(mode)
    # one label column for the panel, so the slider tracks line up
    style = {"description_width": f"{min(max(len(c.label) for c in controls), 40) + 2}ch"}
    layout = widgets.Layout(width="100%", max_width="44em")
    frames, summaries = {}, {}
    t0 = time.perf_counter()

    if mode == "static":
        for indices in itertools.product(*(range(n) for n in shape)):
            values = {c.name: c.values[i] for c, i in zip(controls, indices)}
            frames[indices], summaries[indices] = _call_draw(draw, values, dpi, colors)
        build_seconds = time.perf_counter() - t0
        digest = hashlib.sha1(alt.encode())
        for key in sorted(frames):
            digest.update(frames[key] + summaries[key].encode())
        panel_id = digest.hexdigest()[:12]
        sliders = tuple(
            widgets.SelectionSlider(
                options=[c.text(v) for v in c.values], index=c.index, description=c.label,
                continuous_update=True, readout=True, style=style, layout=layout,
            )
            for c in controls
        )
        links = []

        def stack(level, prefix):
            if level == len(controls):
                values = [c.values[i] for c, i in zip(controls, prefix)]
                return widgets.HTML(_frame_html(
                    frames[prefix], summaries[prefix], _alt(alt, controls, values),
                    [c.text(v) for c, v in zip(controls, values)], prefix, shape, panel_id,
                ))
            children = [stack(level + 1, prefix + (i,)) for i in range(shape[level])]
            box = widgets.Stack(children, selected_index=controls[level].index)
            links.append(widgets.jsdlink((sliders[level], "index"), (box, "selected_index")))
            return box

        view = stack(0, ())
    else:
        sliders = tuple(_live_slider(c, style, layout) for c in controls)
        view = widgets.HTML()
        links = []

        def update(change=None):
            values = {c.name: s.value for c, s in zip(controls, sliders)}
            try:
                png, summary = _call_draw(draw, values, dpi, colors)
            except Exception as exc:  # shown in the panel, as an Output widget would
                if change is None:  # the first frame: fail where the panel is declared
                    raise
                view.value = (f'<div class="meanfield-panel-error"><pre>{html.escape(type(exc).__name__)}: '
                              f"{html.escape(str(exc))}</pre></div>")
                return
            frames.clear()
            summaries.clear()
            key = tuple(values.values())
            frames[key], summaries[key] = png, summary
            view.value = _frame_html(
                png, summary, _alt(alt, controls, key), [c.text(v) for c, v in zip(controls, key)],
                [_grid_index(c, v) for c, v in zip(controls, key)], shape, "live",
            )

        update()
        build_seconds = time.perf_counter() - t0
        for s in sliders:
            s.observe(update, names="value")

    view.add_class("meanfield-panel-view")
    for s in sliders:
        s.add_class("meanfield-panel-control")
    box = GridPanel([*sliders, view])
    box.add_class("meanfield-panel")
    box.add_class(f"meanfield-panel-{mode}")
    box.mode, box.controls, box.sliders, box.alt = mode, controls, sliders, alt
    box.frames, box.summaries, box.build_seconds = frames, summaries, build_seconds
    box._links = links  # the jslinks live in the widget state; keep them referenced
    return box


def _grid_index(control, value):
    """Index of ``value`` in the control's grid, or None (a live value between grid points)."""
    hits = [value == v for v in control.values]
    return hits.index(True) if any(hits) else None


def _live_slider(c: Control, style, layout):
    common = dict(description=c.label, continuous_update=False, style=style, layout=layout)
    if not c.numeric:
        return widgets.SelectionSlider(options=[(c.text(v), v) for v in c.values], value=c.value, **common)
    lo, hi, step = min(c.values), max(c.values), c.live_step()
    if all(_is_integer(v) for v in c.values) and float(step).is_integer():
        return widgets.IntSlider(value=c.value, min=lo, max=hi, step=int(step), **common)
    decimals = next((d for d in range(7) if abs(round(step, d) - step) <= 1e-9 * step), 6)
    return widgets.FloatSlider(value=float(c.value), min=float(lo), max=float(hi), step=step,
                               readout_format=f".{decimals}f", **common)



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

        buf = io.BytesIO()
        Image.fromarray(self.rgba()).save(buf, format="png")
        return buf.getvalue()

    def rgba(self) -> np.ndarray:
        """The figure with the artists' current data, as an (height, width, 4) uint8 array (a copy)."""
        self.canvas.restore_region(self.background)
        for artist in self.artists:
            self.fig.draw_artist(artist)
        return np.array(self.canvas.buffer_rgba())

    def show(self):
        """Display the current frame (in a notebook or an Output widget)."""
        from IPython.display import Image, display

        display(Image(data=self.png(), format="png"))


class Animation:
    """A stored animation: matplotlib's JavaScript player, plus its first frame.

    Displayed in a notebook it offers the player as ``text/html``, the first
    frame as ``image/png`` (what the PDF and widget-less viewers show) and
    the alt text as ``text/plain``.
    """

    def __init__(self, html: str, png: bytes, alt: str):
        self.html, self.png, self.alt = html, png, alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        import base64

        return {"text/html": self.html, "image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.alt}


def sweep_animation(fig, update, values, *, alt, interval=300, dpi=None):
    """A JavaScript animation of ``fig`` as one parameter runs through ``values``.

    For animations whose parameter is time (panels over parameters use
    :func:`grid_panel`): ``update(value)`` redraws ``fig`` for one value.
    The figure is closed afterwards so it is not shown twice.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    update : callable
        ``update(value)`` modifies the artists of ``fig``.
    values : sequence
        At most 40 frames (the book keeps stored notebooks light).
    alt : str
        Alt text of the frames: what the animation shows.
    interval : float
        Milliseconds between frames.
    dpi : float, optional
        Resolution of the frames (default: the figure's).

    Returns
    -------
    Animation
        The player (``text/html``) with its first frame (``image/png``).
    """
    import html as html_lib
    import io

    values = list(values)
    if not 1 <= len(values) <= MAX_FRAMES:
        raise ValueError(f"values: between 1 and {MAX_FRAMES} frames allowed, got {len(values)}")
    interval = check_positive("interval", interval)
    if not isinstance(alt, str) or not alt.strip():
        raise TypeError(f"alt: a non-empty string saying what the animation shows, got {alt!r}")
    if dpi is not None:
        fig.set_dpi(check_positive("dpi", dpi))
    anim = FuncAnimation(fig, lambda i: update(values[i]), frames=len(values), interval=interval)
    html = offline_jshtml(anim.to_jshtml(default_mode="loop"))
    html = html.replace('<img id="_anim_img', f'<img alt="{html_lib.escape(alt)}" id="_anim_img', 1)
    update(values[0])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return Animation(html, buf.getvalue(), alt)


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
