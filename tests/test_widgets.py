import matplotlib.pyplot as plt
import pytest

from meanfield import widgets


def _fig():
    fig, ax = plt.subplots(figsize=(2, 1.5), dpi=40)
    (line,) = ax.plot([0, 1], [0, 0])
    return fig, line


def test_sweep_animation_embeds_every_frame():
    fig, line = _fig()
    html = widgets.sweep_animation(fig, lambda c: line.set_ydata([0, c]), [0.0, 0.5, 1.0]).data
    assert "<script" in html and "Animation" in html
    assert html.count("data:image/png;base64") == 3
    # offline: no CDN stylesheet, no icon font, deterministic id
    assert "http" not in html.split("data:image")[0] and "font-awesome" not in html
    assert '<i class="fa' not in html
    fig2, line2 = _fig()
    again = widgets.sweep_animation(fig2, lambda c: line2.set_ydata([0, c]), [0.0, 0.5, 1.0]).data
    assert again == html


def test_sweep_animation_limits_frames():
    fig, line = _fig()
    with pytest.raises(ValueError, match="values: between 1 and 40 frames"):
        widgets.sweep_animation(fig, lambda c: None, range(41))
    with pytest.raises(ValueError, match="values"):
        widgets.sweep_animation(fig, lambda c: None, [])


def test_panel_wires_controls_to_output():
    import ipywidgets
    seen = []
    slider = ipywidgets.FloatSlider(value=1.0, min=0, max=2)
    box = widgets.panel(lambda x: seen.append(x), {"x": slider})
    assert isinstance(box, ipywidgets.VBox)
    slider.value = 1.5
    assert seen[-1] == 1.5


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
