"""Open every page of the built HTML book in headless Chromium, offline.

Run after `jupyter-book build book` (``make test`` builds the book, the PDF
and dist/, and points ``MEANFIELD_BOOK_HTML`` at the site unzipped from the
dist archive; without it the site is ``book/_build/html``). The site is
served on 127.0.0.1 and every request to any other host is blocked, so a
page that needs the network fails here. For each page: no console errors, no
blocked request, every image loaded, every formula typeset by MathJax and no
TeX left in the visible prose, every internal link resolving, widgets
rendered from their stored state, chapter pages offering their notebook, no
accessibility violation of impact serious or critical (axe-core, injected
from ``node_modules/axe-core``; the counts by impact are printed for every
page), and a screenshot in ``book/_build/screenshots/``.
"""

from __future__ import annotations

import functools
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

from site_setup import HTML, launch_chromium, serve_site

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "book" / "_build" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"  # pinned in package.json, never shipped in the site
AXE_FAIL = ("serious", "critical")
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads"}


def pages():
    if not HTML.is_dir():
        return []
    return sorted(
        p.relative_to(HTML).as_posix()
        for p in HTML.rglob("*.html")
        if not (set(p.relative_to(HTML).parts[:-1]) & SKIP_DIRS)
    )



@pytest.fixture(scope="module")
def server():
    yield from serve_site()


# module scope: Playwright's sync API runs one instance at a time, and the
# other browser tests (test_panels.py) start their own after this module
@pytest.fixture(scope="module")
def browser():
    yield from launch_chromium()


def test_the_book_was_built():
    assert (HTML / "intro.html").exists(), "build the book first (make book)"
    assert "chapters/maxwellians.html" in pages()


# TeX that reached the reader as text: any dollar sign (single or double),
# \( \) \[ \], or a backslash command (\frac, \sqrt, \mathbb, ...).
RAW_TEX = re.compile(r"\$|\\[()\[\]]|\\[A-Za-z]+")

# The prose's text nodes, i.e. outside code (cell sources and printed
# outputs, where a "$" or "\n" is legitimate), scripts, and what MathJax
# typeset. Collapsed blocks (solutions, checks) are included.
PROSE_TEXT_JS = """() => {
  const SKIP = 'pre, code, kbd, samp, script, style, textarea, noscript, svg, '
             + 'mjx-container, mjx-assistive-mml, .MathJax';
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement && !n.parentElement.closest(SKIP)) out.push(n.nodeValue);
  }
  return out;
}"""


def raw_tex(texts):
    """The text nodes of ``texts`` holding TeX (each shortened for the message)."""
    return [" ".join(t.split())[:100] for t in texts if RAW_TEX.search(t)]


AXE_JS = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(' '))}));
}"""


def axe_violations(page):
    """axe-core's violations on ``page``: [{id, impact, help, nodes}]."""
    assert AXE.exists(), f"{AXE} is missing: `make setup` (npm ci) installs axe-core"
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_JS)


def axe_summary(violations):
    counts = {impact: 0 for impact in ("critical", "serious", "moderate", "minor")}
    for v in violations:
        counts[v["impact"] or "minor"] += len(v["nodes"])
    return ", ".join(f"{k} {n}" for k, n in counts.items())


def _offline_page(browser, allowed, **context_args):
    """A page whose requests are aborted unless ``allowed(url)``; returns (context, page, blocked, errors)."""
    context = browser.new_context(**context_args)
    blocked, errors = [], []

    def route(r):
        if allowed(r.request.url) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, blocked, errors


REDIRECT = re.compile(r'<meta http-equiv="Refresh" content="0; url=([^"]+)"', re.I)


def test_the_tex_detector_flags_prose_but_not_code(browser):
    """A formula broken by the Markdown parser (the C29 defect) is found; TeX in code or typeset math is not."""
    page = browser.new_page()
    page.set_content(
        "<p><strong>C29.</strong> <em>The text:</em> $dR_{ij} = d\\kappa\\big(1 - R_{ij}\\big)dt</p>"
        "<ul><li><p>\\sqrt\\kappa(\\langle P_{x_i}dB, x_j\\rangle)</p></li></ul>"
        "<p>costs 5 $ and \\(x\\)</p>"
        "<pre>label=\"$\\omega$\"\\n</pre><p>see <code>r\"$v_1$\"</code></p>"
        "<p><mjx-container>\\alpha</mjx-container> fine prose</p>"
    )
    found = raw_tex(page.evaluate(PROSE_TEXT_JS))
    page.close()
    assert len(found) == 3, found
    assert found[0].startswith("$dR_{ij}") and found[1].startswith("\\sqrt\\kappa") and "\\(" in found[2]


@pytest.mark.parametrize("page_path", pages())
def test_page_renders_offline(browser, server, page_path, capsys):
    redirect = REDIRECT.search((HTML / page_path).read_text())
    if redirect:  # e.g. index.html -> intro.html: the target must exist; it is tested itself
        assert _fetch(urljoin(urljoin(server, page_path), redirect.group(1))) is not None
        return
    host = urlparse(server).netloc
    context, page, blocked, errors = _offline_page(
        browser, lambda url: urlparse(url).netloc == host, viewport={"width": 1200, "height": 900}
    )

    url = urljoin(server, page_path)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{page_path}: HTTP {response and response.status}"

    has_math = page.evaluate("() => typeof window.MathJax !== 'undefined' && !!MathJax.startup")
    if has_math:
        page.evaluate("() => MathJax.startup.promise")
    # widgets: the embed manager renders the stored state after load
    n_views = page.evaluate(
        "() => document.querySelectorAll('script[type=\"application/vnd.jupyter.widget-view+json\"]').length"
    )
    if n_views:
        page.wait_for_selector(".jupyter-widgets", timeout=15_000)
    page.wait_for_timeout(300)  # animation players fill their first frame in a timeout

    # math: every Sphinx math node typeset, no raw delimiters in the visible text
    untypeset = page.evaluate(
        "() => Array.from(document.querySelectorAll('.math')).filter(e => !e.querySelector('mjx-container')).length"
    )
    n_math = page.evaluate("() => document.querySelectorAll('.math').length")
    assert untypeset == 0, f"{page_path}: {untypeset} of {n_math} formulas not typeset"
    raw = raw_tex(page.evaluate(PROSE_TEXT_JS))
    assert not raw, f"{page_path}: TeX left in the visible text (not typeset): {raw[:5]}"

    # images, including the widgets' stored frames and animation frames
    broken = page.evaluate(
        "() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => i.src.slice(0, 80))"
    )
    assert not broken, f"{page_path}: images not loaded: {broken}"

    if n_views:
        sliders = page.evaluate("() => document.querySelectorAll('.widget-slider, .widget-hslider').length")
        assert sliders > 0, f"{page_path}: widget views present but no slider rendered"
        frame = page.evaluate(
            "() => Array.from(document.querySelectorAll('.jupyter-widgets img')).filter(i => i.naturalWidth > 0).length"
        )
        assert frame > 0, f"{page_path}: the widget's stored frame is not shown"
    n_anim = page.evaluate("() => document.querySelectorAll('.animation img').length")
    if n_anim:
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll('.animation img')).filter(i => i.naturalWidth > 0).length"
        )
        assert shown == n_anim, f"{page_path}: {n_anim - shown} animation(s) show no frame"

    # chapter pages offer their notebook (the theme's download button), saved, not opened
    if page_path.startswith("chapters/"):
        ipynb = page.evaluate(
            "() => Array.from(document.querySelectorAll('a.btn-download-source-button[download]'))"
            ".map(a => a.getAttribute('href')).filter(h => h.endsWith('.ipynb'))"
        )
        assert ipynb, f"{page_path}: no download link to the chapter's notebook"

    # internal links
    hrefs = page.evaluate("() => Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    bad_links = []
    for href in sorted(set(hrefs)):
        if urlparse(href).netloc != host:
            continue
        target, fragment = urldefrag(href)
        body = _fetch(target)
        if body is None:
            bad_links.append(href)
        elif fragment and f'id="{fragment}"' not in body:
            bad_links.append(href)
    assert not bad_links, f"{page_path}: broken internal links: {bad_links}"

    # accessibility: axe-core on the rendered page (widgets drawn, math typeset)
    violations = axe_violations(page)
    with capsys.disabled():
        print(f"\naxe {page_path}: {axe_summary(violations)}")
    severe = [
        f"{v['impact']} {v['id']} ({v['help']}) x{len(v['nodes'])}: {v['nodes'][:3]}"
        for v in violations
        if v["impact"] in AXE_FAIL
    ]

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (page_path.replace("/", "__").removesuffix(".html") + ".png")), full_page=True)
    context.close()

    assert not blocked, f"{page_path}: requested the network: {sorted(set(blocked))[:5]}"
    assert not errors, f"{page_path}: console errors: {errors[:5]}"
    assert not severe, f"{page_path}: accessibility violations (axe-core):\n" + "\n".join(severe)


@functools.lru_cache(maxsize=None)
def _fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            if resp.status != 200:
                return None
            return resp.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError):
        return None


@pytest.mark.parametrize("page_path", [p for p in pages() if p.startswith("chapters/")][:2] + ["checking-the-text.html"])
def test_page_renders_from_file_url(browser, page_path):
    """The book opened straight from disk (file://), no server: math and widgets still render."""
    context, page, external, errors = _offline_page(browser, lambda url: url.startswith("file://"))
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto((HTML / page_path).as_uri(), wait_until="load")
    if page.evaluate("() => typeof window.MathJax !== 'undefined' && !!MathJax.startup"):
        page.evaluate("() => MathJax.startup.promise")
    n_views = page.evaluate(
        "() => document.querySelectorAll('script[type=\"application/vnd.jupyter.widget-view+json\"]').length"
    )
    if n_views:
        page.wait_for_selector(".jupyter-widgets", timeout=15_000)
    untypeset = page.evaluate(
        "() => Array.from(document.querySelectorAll('.math')).filter(e => !e.querySelector('mjx-container')).length"
    )
    context.close()
    assert untypeset == 0, f"{page_path} (file://): {untypeset} formulas not typeset"
    assert not external, f"{page_path} (file://): requested the network: {external[:3]}"
    assert not failed, f"{page_path} (file://): failed to load {failed[:3]}"
    assert not errors, f"{page_path} (file://): console errors {errors[:3]}"
