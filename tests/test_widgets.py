import matplotlib.pyplot as plt
import pytest

from meanfield import widgets


def _fig():
    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
    (line,) = ax.plot([0, 1], [0, 0])
    return fig, line


def test_sweep_animation_embeds_every_frame():
    fig, line = _fig()
    anim = widgets.sweep_animation(fig, lambda c: line.set_ydata([0, c]), [0.0, 0.5, 1.0], alt="a rising line")
    html = anim.html
    assert "<script" in html and "Animation" in html
    assert '<img alt="a rising line" id="_anim_img' in html
    assert html.count("data:image/png;base64") == 3
    # offline: no CDN stylesheet, no icon font, deterministic id
    assert "http" not in html.split("data:image")[0] and "font-awesome" not in html
    assert '<i class="fa' not in html
    fig2, line2 = _fig()
    again = widgets.sweep_animation(fig2, lambda c: line2.set_ydata([0, c]), [0.0, 0.5, 1.0], alt="a rising line")
    assert again.html == html and again.png == anim.png


def test_sweep_animation_carries_its_first_frame_and_alt_text():
    import base64

    fig, line = _fig()
    line.axes.set(xlabel="$x$", ylabel="height")
    anim = widgets.sweep_animation(fig, lambda c: line.set_ydata([0, c]), [0.25, 0.5], alt="a line that rises")
    bundle = anim._repr_mimebundle_()
    assert bundle["text/plain"] == "a line that rises"
    assert f'alt="{bundle["text/plain"]}"' in bundle["text/html"].replace("&#x27;", "'")
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG")
    import io

    def direct(c):  # the same figure drawn directly at one value
        fig2, line2 = _fig()
        line2.axes.set(xlabel="$x$", ylabel="height")
        line2.set_ydata([0, c])
        buf = io.BytesIO()
        fig2.savefig(buf, format="png", metadata={"Software": None})
        plt.close(fig2)
        return buf.getvalue()

    assert png == direct(0.25) and png != direct(0.5)
    with pytest.raises(TypeError, match="alt"):
        widgets.sweep_animation(_fig()[0], lambda c: None, [1, 2], alt=3)
    with pytest.raises(TypeError, match="alt"):
        widgets.sweep_animation(_fig()[0], lambda c: None, [1, 2], alt=" ")


def test_sweep_animation_limits_frames():
    fig, line = _fig()
    with pytest.raises(ValueError, match="values: between 1 and 40 frames"):
        widgets.sweep_animation(fig, lambda c: None, range(41), alt="nothing")
    with pytest.raises(ValueError, match="values"):
        widgets.sweep_animation(fig, lambda c: None, [], alt="nothing")


def test_blit_figure_matches_a_full_redraw():
    """The blitted frame is the figure as a full draw would render it."""
    import io

    import numpy as np
    from PIL import Image

    fig, line = _fig()
    fig.axes[0].set_ylim(-1, 1)
    blit = widgets.BlitFigure(fig, [line])
    line.set_ydata([0.5, -0.5])
    fast = np.asarray(Image.open(io.BytesIO(blit.png())))
    line.set_animated(False)
    blit.canvas.draw()
    full = np.asarray(blit.canvas.buffer_rgba())
    assert fast.shape == full.shape
    assert np.mean(fast != full) < 1e-3
    # and the frame changes with the data
    line.set_animated(True)
    line.set_ydata([-0.5, 0.5])
    assert not np.array_equal(np.asarray(Image.open(io.BytesIO(blit.png()))), fast)


# --- grid_panel: one panel declaration, live in a kernel, precomputed grid in the static book


def _grid_draw():
    """A pure draw function on a BlitFigure (the fast path the chapters use)."""
    import numpy as np

    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
    x = np.linspace(0, 1, 30)
    (line,) = ax.plot(x, 0 * x)
    ax.set_ylim(-3, 3)
    blit = widgets.BlitFigure(fig, [line])

    def draw(k, amp):
        line.set_ydata(amp * np.sin(k * np.pi * x))
        return blit, f"k = {k}, amp = {amp} <b>"

    return draw


def _figure_draw(k, shape):
    """A draw function that builds a new Figure on every call."""
    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
    ax.plot([0, 1], [0, k] if shape == "line" else [k, 0], "o-")
    ax.set_ylim(-1, 4)
    return fig


def _controls():
    return [
        widgets.Control("k", [1, 2, 3], label="k (wave number)", value=2),
        widgets.Control("amp", [0.5, 1.0, 2.0], label="A (amplitude)"),
    ]


def _leaves(box):
    """The frame widgets of a static panel, by grid indices (walking the nested Stacks)."""
    import ipywidgets

    out = {}

    def walk(w, prefix):
        if isinstance(w, ipywidgets.Stack):
            for i, child in enumerate(w.children):
                walk(child, prefix + (i,))
        else:
            out[prefix] = w

    walk(box.children[-1], ())
    return out


def _png_of(frame_html):
    import base64
    import re

    return base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', frame_html).group(1))


@pytest.mark.parametrize("make_draw", [_grid_draw, lambda: _figure_draw], ids=["BlitFigure", "Figure"])
def test_static_frames_equal_the_live_draw_at_the_same_values(make_draw):
    import itertools

    draw = make_draw()
    if draw is _figure_draw:
        controls = [widgets.Control("k", [1, 2, 3], label="k (height)"),
                    widgets.Control("shape", ["line", "reversed"], label="shape")]
    else:
        controls = _controls()
    static = widgets.grid_panel(draw, controls, alt="A test curve", mode="static")
    live = widgets.grid_panel(draw, controls, alt="A test curve", mode="live")
    assert static.mode == "static" and live.mode == "live"
    leaves = _leaves(static)
    assert set(leaves) == set(itertools.product(*(range(len(c.values)) for c in controls)))
    for idx in leaves:
        for c, s, i in zip(controls, live.sliders, idx):
            s.value = c.values[i]
        png = _png_of(leaves[idx].value)
        assert png.startswith(b"\x89PNG")
        assert png == static.frames[idx] == live.current_png()  # byte-identical
        assert _png_of(live.children[-1].value) == png
        for s, i in zip(static.sliders, idx):
            s.index = i
        assert static.current_png() == png
    # frames differ between values (the panel shows something)
    assert len({static.frames[i] for i in leaves}) == len(leaves)


def test_static_panel_is_nested_stacks_jslinked_to_selection_sliders():
    import ipywidgets

    box = widgets.grid_panel(_grid_draw(), _controls(), alt="A test curve", mode="static")
    assert isinstance(box, ipywidgets.VBox)
    assert {"meanfield-panel", "meanfield-panel-static"} <= set(box._dom_classes)
    k, amp = box.sliders
    assert all(isinstance(s, ipywidgets.SelectionSlider) for s in box.sliders)
    assert k.options == ("1", "2", "3") and k.index == 1 and k.description == "k (wave number)"
    assert amp.options == ("0.5", "1", "2") and amp.index == 1  # default: middle of the grid
    outer = box.children[-1]
    assert isinstance(outer, ipywidgets.Stack) and len(outer.children) == 3 and outer.selected_index == 1
    assert all(isinstance(s, ipywidgets.Stack) and len(s.children) == 3 for s in outer.children)
    # one browser-side link per Stack: outer follows k, every inner one follows amp
    links = {(id(link.source[0]), link.source[1], id(link.target[0]), link.target[1]) for link in box._links}
    assert (id(k), "index", id(outer), "selected_index") in links
    for inner in outer.children:
        assert (id(amp), "index", id(inner), "selected_index") in links
    assert all(isinstance(link, ipywidgets.widgets.widget_link.DirectionalLink) for link in box._links)


def test_frames_carry_alt_text_naming_their_values_and_an_escaped_summary():
    box = widgets.grid_panel(_grid_draw(), _controls(), alt="A test curve", mode="static")
    leaves = _leaves(box)
    assert 'alt="A test curve (k = 3, A = 0.5)"' in leaves[(2, 0)].value
    assert 'data-index="2,0"' in leaves[(2, 0)].value and 'data-shape="3,3"' in leaves[(2, 0)].value
    assert 'data-labels="[&quot;3&quot;, &quot;0.5&quot;]"' in leaves[(2, 0)].value
    assert "<pre>k = 3, amp = 0.5 &lt;b&gt;</pre>" in leaves[(2, 0)].value  # plain text summary, escaped
    live = widgets.grid_panel(_grid_draw(), _controls(), alt="A test curve", mode="live")
    assert 'alt="A test curve (k = 2, A = 1)"' in live.children[-1].value
    live.sliders[1].value = 1.5  # between grid points: the live panel computes it
    assert 'alt="A test curve (k = 2, A = 1.5)"' in live.children[-1].value
    assert "amp = 1.5" in live.children[-1].value


def test_summary_may_be_html_and_is_optional():
    from IPython.display import HTML

    plt.close("all")

    def draw(k):
        fig = _figure_draw(k, "line")
        return fig, HTML(f"<b>k is {k}</b>")

    box = widgets.grid_panel(draw, [widgets.Control("k", [1, 2])], alt="x", mode="static")
    assert "<b>k is 1</b>" in _leaves(box)[(0,)].value
    box = widgets.grid_panel(lambda k: _figure_draw(k, "line"), [widgets.Control("k", [1, 2])], alt="x", mode="static")
    assert "meanfield-panel-summary" not in _leaves(box)[(0,)].value
    assert plt.get_fignums() == []  # every figure drawn was closed


def test_frames_are_deterministic():
    one = widgets.grid_panel(_grid_draw(), _controls(), alt="A", mode="static")
    two = widgets.grid_panel(lambda k, shape="line": _figure_draw(k, shape), [widgets.Control("k", [1, 2])],
                             alt="A", mode="static")
    three = widgets.grid_panel(lambda k, shape="line": _figure_draw(k, shape), [widgets.Control("k", [1, 2])],
                               alt="A", mode="static")
    assert one.frames == widgets.grid_panel(_grid_draw(), _controls(), alt="A", mode="static").frames
    assert two.frames == three.frames
    assert [w.value for w in _leaves(two).values()] == [w.value for w in _leaves(three).values()]
    assert b"Software" not in two.frames[(0,)] and b"tIME" not in two.frames[(0,)]


def test_live_controls_cover_the_range_of_the_grid():
    import ipywidgets

    controls = [
        widgets.Control("n", [10, 50, 200, 1000], label="N (particles)", value=200),
        widgets.Control("beta", [0.5, 1.0, 2.0, 5.0], label="β (inverse temperature)"),
        widgets.Control("x", [0.1, 0.3, 0.4], label="x"),
    ]
    seen = []

    def draw(n, beta, x, case="a"):
        seen.append((n, beta, x, case))
        return _figure_draw(1, "line")

    box = widgets.grid_panel(draw, controls, alt="t", mode="live")
    n, beta, x = box.sliders
    (case,) = widgets.grid_panel(lambda case: _figure_draw(1, "line"), [widgets.Control("case", ["a", "b"])],
                                 alt="t", mode="live").sliders
    assert isinstance(n, ipywidgets.IntSlider) and (n.min, n.max, n.step, n.value) == (10, 1000, 10, 200)
    assert isinstance(beta, ipywidgets.FloatSlider) and (beta.min, beta.max, beta.step) == (0.5, 5.0, 0.5)
    assert beta.value == 1.0 and beta.readout_format == ".1f"
    assert isinstance(x, ipywidgets.FloatSlider) and x.step == pytest.approx(0.1)
    assert isinstance(case, ipywidgets.SelectionSlider) and case.options == (("a", "a"), ("b", "b"))
    assert seen == [(200, 1.0, 0.3, "a")]
    beta.value = 3.5
    assert seen[-1] == (200, 3.5, 0.3, "a")
    with pytest.raises(ValueError, match="controls: the grid has 96 frames"):  # live panels must have a static grid too
        widgets.grid_panel(draw, [*controls, widgets.Control("case", ["a", "b"])], alt="t", mode="live")
    assert widgets.Control("y", [0.0, 0.3, 1.0]).live_step() == pytest.approx(0.1)
    assert widgets.Control("y", [1.0, 2.0, 3.5]).live_step() == pytest.approx(0.5)
    assert widgets.Control("y", [0.0, 0.3, 1.0], step=0.05).live_step() == 0.05


def test_live_panel_shows_a_draw_error_in_place():
    def draw(k):
        if k > 1:
            raise ValueError("k too large")
        return _figure_draw(k, "line")

    box = widgets.grid_panel(draw, [widgets.Control("k", [0, 1, 2], value=0)], alt="t", mode="live")
    box.sliders[0].value = 2
    assert "meanfield-panel-error" in box.children[-1].value and "k too large" in box.children[-1].value
    assert box.current_png() == box.frames[(0,)]  # the last good frame is kept
    for mode in ("static", "live"):  # the first frame fails where the panel is declared
        with pytest.raises(ValueError, match="k too large"):
            widgets.grid_panel(draw, [widgets.Control("k", [0, 1, 2], value=2)], alt="t", mode=mode)


def test_mode_comes_from_the_environment(monkeypatch):
    draw = lambda k: _figure_draw(k, "line")  # noqa: E731
    ctl = [widgets.Control("k", [1, 2])]
    monkeypatch.delenv("MEANFIELD_PANELS", raising=False)
    assert widgets.grid_panel(draw, ctl, alt="t").mode == "live"
    monkeypatch.setenv("MEANFIELD_PANELS", "static")
    assert widgets.grid_panel(draw, ctl, alt="t").mode == "static"
    assert widgets.grid_panel(draw, ctl, alt="t", mode="live").mode == "live"
    monkeypatch.setenv("MEANFIELD_PANELS", "frozen")
    with pytest.raises(ValueError, match="MEANFIELD_PANELS"):
        widgets.grid_panel(draw, ctl, alt="t")
    with pytest.raises(ValueError, match="mode"):
        widgets.grid_panel(draw, ctl, alt="t", mode="kernel")


def test_grid_panel_limits_frames():
    ctl = [widgets.Control("a", range(7)), widgets.Control("b", range(7))]
    with pytest.raises(ValueError, match=r"controls: the grid has 49 frames = 7 \(a\) x 7 \(b\), at most 48"):
        widgets.grid_panel(lambda a, b: None, ctl, alt="t", mode="static")
    ok = [widgets.Control("a", range(6)), widgets.Control("b", range(8))]
    box = widgets.grid_panel(lambda a, b: _figure_draw(a, "line"), ok, alt="t", mode="static")
    assert len(box.frames) == 48


def test_bad_controls_name_the_parameter():
    C = widgets.Control
    with pytest.raises(ValueError, match="name"):
        C("not a name", [1, 2])
    with pytest.raises(TypeError, match="values"):
        C("k", 3)
    with pytest.raises(TypeError, match="values"):
        C("k", "abc")
    with pytest.raises(ValueError, match="values: .* at least 2 values"):
        C("k", [])
    with pytest.raises(ValueError, match="values: .* at least 2 values"):
        C("k", [1.0])
    with pytest.raises(ValueError, match="values: .* twice"):
        C("k", [1, 2, 1])
    with pytest.raises(ValueError, match="values: .*non-finite"):
        C("k", [1.0, float("nan")])
    with pytest.raises(ValueError, match="value: 5 is not on the grid"):
        C("k", [1, 2], value=5)
    with pytest.raises(ValueError, match="step"):
        C("k", ["a", "b"], step=1)
    with pytest.raises(ValueError, match="step"):
        C("k", [1, 2], step=-1)
    with pytest.raises(TypeError, match="label"):
        C("k", [1, 2], label="")
    with pytest.raises(TypeError, match="fmt"):
        C("k", [1, 2], fmt=3)
    with pytest.raises(ValueError, match="fmt: .* alike"):
        C("k", [1.01, 1.02], fmt=".1f")
    assert C("beta", [1.0, 2.0], label="β (inverse temperature)").symbol == "β"
    assert C("k", [0.25, 0.5], fmt=".2f").text(0.5) == "0.50"


def test_bad_panels_name_the_parameter():
    draw = lambda k: _figure_draw(k, "line")  # noqa: E731
    ctl = [widgets.Control("k", [1, 2])]
    with pytest.raises(TypeError, match="draw"):
        widgets.grid_panel("draw", ctl, alt="t", mode="static")
    with pytest.raises(TypeError, match="controls"):
        widgets.grid_panel(draw, [("k", [1, 2])], alt="t", mode="static")
    with pytest.raises(ValueError, match="controls"):
        widgets.grid_panel(draw, [], alt="t", mode="static")
    with pytest.raises(ValueError, match="controls: two controls"):
        widgets.grid_panel(draw, ctl * 2, alt="t", mode="static")
    with pytest.raises(TypeError, match="alt"):
        widgets.grid_panel(draw, ctl, alt="", mode="static")
    with pytest.raises(ValueError, match="dpi"):
        widgets.grid_panel(draw, ctl, alt="t", dpi=0, mode="static")
    with pytest.raises(TypeError, match="draw: expected a matplotlib Figure"):
        widgets.grid_panel(lambda k: 42, ctl, alt="t", mode="static")
    with pytest.raises(TypeError, match="draw: returned bytes that are not a PNG"):
        widgets.grid_panel(lambda k: b"GIF89a", ctl, alt="t", mode="static")
    with pytest.raises(TypeError, match="draw: expected a figure or"):
        widgets.grid_panel(lambda k: (1, 2, 3), ctl, alt="t", mode="static")
    with pytest.raises(TypeError, match="summary"):
        widgets.grid_panel(lambda k: (_figure_draw(k, "line"), 3.0), ctl, alt="t", mode="static")


def test_dpi_sets_the_resolution_of_figure_frames():
    import struct

    box = widgets.grid_panel(lambda k: _figure_draw(k, "line"), [widgets.Control("k", [1, 2])], alt="t",
                             dpi=80, mode="static")
    assert struct.unpack(">II", box.frames[(0,)][16:24]) == (160, 120)  # 2 x 1.5 in at 80 dpi


def test_frames_are_palette_pngs_close_to_full_colour():
    import io

    import numpy as np
    from PIL import Image

    draw = _grid_draw()
    small = widgets.grid_panel(draw, _controls(), alt="t", mode="static")
    full = widgets.grid_panel(draw, _controls(), alt="t", colors=None, mode="static")
    for idx, png in small.frames.items():
        assert png[25] == 3 and full.frames[idx][25] == 6  # PNG colour type: palette / RGBA
        a = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
        b = np.asarray(Image.open(io.BytesIO(full.frames[idx])).convert("RGB"), dtype=int)
        assert a.shape == b.shape and np.abs(a - b).mean() < 1.0
    with pytest.raises(ValueError, match="colors"):
        widgets.grid_panel(draw, _controls(), alt="t", colors=300, mode="static")
    with pytest.raises(TypeError, match="colors"):
        widgets.grid_panel(draw, _controls(), alt="t", colors=25.5, mode="static")


def test_the_displayed_panel_carries_its_current_frame_as_png():
    import base64

    box = widgets.grid_panel(_grid_draw(), _controls(), alt="A test curve", mode="static")
    data = box._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data
    assert base64.b64decode(data["image/png"]) == box.frames[(1, 1)]
    assert data["text/plain"] == "A test curve (k = 2, A = 1)"
    live = widgets.grid_panel(_grid_draw(), _controls(), alt="A test curve", mode="live")
    live.sliders[0].value = 3
    assert base64.b64decode(live._repr_mimebundle_()["image/png"]) == box.frames[(2, 1)]
