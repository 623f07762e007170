"""Every grid panel of the built book works in the static page: no kernel, no network.

For every page of the built HTML book that holds a ``meanfield.widgets.grid_panel``
(found by its CSS class, so chapters are covered as they are converted), in
headless Chromium with every non-loopback request blocked: each control of
each panel is moved with the keyboard (arrows, Home, End) to at least two
other grid values (one for a two-value control, and back), and after every
move the visible frame must be the stored frame for the values the sliders
show (same alt text values, same PNG as in the stored widget state) and must
differ from the frame before. No console errors, no blocked request.

The site defaults to ``book/_build/html`` (what ``make test`` builds); point
``MEANFIELD_BOOK_HTML`` at another build, e.g.::

    .venv/bin/jupyter-book build book -W -n --keep-going --path-output /tmp/widgets-build
    MEANFIELD_BOOK_HTML=/tmp/widgets-build/_build/html .venv/bin/python -m pytest -p no:cacheprovider tests/browser/test_panels.py
"""

from __future__ import annotations

import html as html_lib
import json
import re
from urllib.parse import urljoin, urlparse

import pytest

from site_setup import HTML, launch_chromium, serve_site

SKIP_DIRS = {"_static", "_sources", "_images", "_downloads"}

STATE = re.compile(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>', re.S)
VIEW = re.compile(r'<script type="application/vnd.jupyter.widget-view\+json">(.*?)</script>', re.S)
FRAME = re.compile(
    r'<div class="meanfield-panel-frame" data-panel="([^"]*)" data-index="([^"]*)" data-shape="([^"]*)" '
    r'data-labels="([^"]*)"><img src="([^"]*)" alt="([^"]*)"'
)


def _state(text):
    match = STATE.search(text)
    return json.loads(match.group(1))["state"] if match else {}


def _panel_pages():
    """Pages whose stored widget state holds a grid panel: {page: (panel views, stored frames)}."""
    if not HTML.is_dir():
        return {}
    found = {}
    for path in sorted(HTML.rglob("*.html")):
        rel = path.relative_to(HTML)
        if set(rel.parts[:-1]) & SKIP_DIRS:
            continue
        text = path.read_text(errors="replace")
        if "meanfield-panel" not in text:
            continue
        state = _state(text)
        views = [json.loads(v)["model_id"] for v in VIEW.findall(text)]
        panels = {}
        for model_id in views:
            classes = state.get(model_id, {}).get("state", {}).get("_dom_classes", [])
            if "meanfield-panel" in classes:
                panels[model_id] = "static" if "meanfield-panel-static" in classes else "live"
        frames = {}
        for model in state.values():
            value = model.get("state", {}).get("value")
            if isinstance(value, str) and "meanfield-panel-frame" in value:
                for pid, index, shape, labels, src, alt in FRAME.findall(value):
                    frames[(pid, index)] = {"src": src, "alt": html_lib.unescape(alt),
                                            "labels": json.loads(html_lib.unescape(labels)), "shape": shape}
        if panels:
            found[rel.as_posix()] = (panels, frames)
    return found


PAGES = _panel_pages()
TOTALS = {"pages": 0, "panels": 0, "controls": 0, "moves": 0}



@pytest.fixture(scope="module")
def server():
    yield from serve_site()


@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


def test_the_book_has_grid_panels():
    assert (HTML / "intro.html").exists(), f"build the book first (make book), or set MEANFIELD_BOOK_HTML: {HTML}"
    assert "chapters/maxwellians.html" in PAGES, "the maxwellians chapter shows grid panels"


def test_the_stored_frames_are_parsed_as_the_helper_writes_them():
    """The regex above reads the frames meanfield.widgets.grid_panel stores (guards against format drift)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from meanfield.widgets import Control, grid_panel

    def draw(k, case):
        fig, ax = plt.subplots(figsize=(1, 1), dpi=20)
        ax.plot([0, 1], [0, k if case == "up" else -k])
        return fig, "<summary & text>"

    box = grid_panel(draw, [Control("k", [1, 2, 3], label="k (slope)"), Control("case", ["up", "down"])],
                     alt='A "line"', mode="static")
    values = [w.value for w in box.children[-1].children[2].children]  # the frames of k = 3
    found = [FRAME.findall(v) for v in values]
    assert [len(f) for f in found] == [1, 1]
    pid, index, shape, labels, src, alt = found[1][0]
    assert (index, shape, json.loads(html_lib.unescape(labels))) == ("2,1", "3,2", ["3", "down"])
    assert html_lib.unescape(alt) == 'A "line" (k = 3, case = down)' and src.startswith("data:image/png;base64,")


def _plan(start, n):
    """Keys that move a slider from ``start`` to at least two other values (one if n == 2), never a no-op."""
    moves, index, others = [], start, set()
    for key in ("ArrowRight" if start < n - 1 else "ArrowLeft", "End", "Home", "ArrowRight", "ArrowRight"):
        new = {"ArrowRight": min(index + 1, n - 1), "ArrowLeft": max(index - 1, 0), "End": n - 1, "Home": 0}[key]
        if new == index:
            continue
        moves.append((key, new))
        index = new
        if new != start:
            others.add(new)
        if len(others) >= min(2, n - 1) and len(moves) >= 2:
            break
    return moves


def test_plan_moves_every_control():
    assert _plan(0, 2) == [("ArrowRight", 1), ("Home", 0)]
    assert _plan(1, 2) == [("ArrowLeft", 0), ("End", 1)]
    assert _plan(2, 5) == [("ArrowRight", 3), ("End", 4)]
    assert _plan(4, 5) == [("ArrowLeft", 3), ("End", 4), ("Home", 0)]


VISIBLE_FRAME_JS = """panel => {
  const frames = Array.from(panel.querySelectorAll('.meanfield-panel-frame'));
  return frames.map(f => {
    const img = f.querySelector('img');
    const box = img.getBoundingClientRect();
    return {panel: f.dataset.panel, index: f.dataset.index, labels: JSON.parse(f.dataset.labels),
            src: img.getAttribute('src'), alt: img.getAttribute('alt'),
            shown: img.complete && img.naturalWidth > 0 && box.width > 0 && box.height > 0};
  });
}"""


@pytest.mark.parametrize("page_path", sorted(PAGES))
def test_every_control_of_every_panel_changes_the_frame_offline(browser, server, page_path, capsys):
    panels, stored = PAGES[page_path]
    live = [m for m, mode in panels.items() if mode != "static"]
    assert not live, (f"{page_path}: {len(live)} panel(s) stored in live mode (frozen in the book): "
                      "execute the notebook with tools/run_notebooks.py (MEANFIELD_PANELS=static)")
    host = urlparse(server).netloc
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    blocked, errors = [], []

    def route(r):
        if urlparse(r.request.url).netloc == host or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(urljoin(server, page_path), wait_until="load")
        page.wait_for_function(
            "n => document.querySelectorAll('.meanfield-panel .meanfield-panel-frame img').length >= n",
            arg=len(panels), timeout=20_000,
        )
        dom_panels = page.locator(".meanfield-panel")
        n_shown = dom_panels.count()
        assert n_shown == len(panels), f"{page_path}: {n_shown} panels shown, {len(panels)} stored"
        n_controls = n_moves = 0
        for p in range(dom_panels.count()):
            panel = dom_panels.nth(p)
            panel.scroll_into_view_if_needed()
            sliders = panel.locator(".meanfield-panel-control")

            def visible(where):
                frames = panel.evaluate(VISIBLE_FRAME_JS)
                assert len(frames) == 1, f"{where}: {len(frames)} frames in the DOM, expected exactly one"
                frame = frames[0]
                assert frame["shown"], f"{where}: the frame image is not shown"
                readouts = [t.strip() for t in sliders.locator(".widget-readout").all_inner_texts()]
                assert readouts == frame["labels"], f"{where}: sliders show {readouts}, frame is for {frame['labels']}"
                ref = stored.get((frame["panel"], frame["index"]))
                assert ref is not None, f"{where}: frame {frame['index']} is not in the stored widget state"
                assert frame["src"] == ref["src"] and frame["alt"] == ref["alt"], f"{where}: not the stored frame"
                assert all(f"= {label}" in frame["alt"] for label in readouts), f"{where}: alt {frame['alt']!r}"
                return frame

            frame = visible(f"{page_path} panel {p}")
            shape = [int(k) for k in stored[(frame["panel"], frame["index"])]["shape"].split(",")]
            labels = [sliders.nth(j).locator(".widget-label").inner_text().strip() for j in range(sliders.count())]
            assert len(shape) == sliders.count() and all(labels), f"{page_path} panel {p}: every control is labelled"
            for j in range(sliders.count()):
                n_controls += 1
                handle = sliders.nth(j).locator(".noUi-handle")
                index = [int(i) for i in frame["index"].split(",")]
                plan = _plan(index[j], shape[j])
                assert plan, f"{page_path} panel {p}: control {labels[j]!r} has a single value"
                for key, new in plan:
                    handle.focus()
                    page.keyboard.press(key)
                    index[j] = new
                    want = ",".join(map(str, index))
                    where = f"{page_path} panel {p} control {labels[j]!r} {key} -> {want}"
                    try:
                        page.wait_for_function(
                            "([panel, want]) => { const f = panel.querySelector('.meanfield-panel-frame');"
                            " return f && f.dataset.index === want; }",
                            arg=[panel.element_handle(), want], timeout=5_000,
                        )
                    except PlaywrightTimeout:
                        shown = panel.evaluate(VISIBLE_FRAME_JS)
                        pytest.fail(f"{where}: the visible frame did not follow the slider "
                                    f"(shows {[f['index'] for f in shown]}; errors: {errors[:3]})")
                    before, frame = frame, visible(where)
                    assert frame["index"] == want, where
                    assert frame["src"] != before["src"], f"{where}: the frame did not change"
                    n_moves += 1
        for key, n in (("pages", 1), ("panels", len(panels)), ("controls", n_controls), ("moves", n_moves)):
            TOTALS[key] += n
        with capsys.disabled():
            print(f"\n{page_path}: {len(panels)} panels, {n_controls} controls, {n_moves} keyboard moves "
                  f"checked offline (so far: {TOTALS['panels']} panels, {TOTALS['controls']} controls "
                  f"on {TOTALS['pages']} pages)")
    finally:
        context.close()
    assert not blocked, f"{page_path}: requested the network: {sorted(set(blocked))[:5]}"
    assert not errors, f"{page_path}: console errors: {errors[:5]}"

