"""Open every page of the built HTML book in headless Chromium, offline.

Run after `jupyter-book build book` (``make test`` does both). The site is
served on 127.0.0.1 and every request to any other host is blocked, so a
page that needs the network fails here. For each page: no console errors, no
blocked request, every image loaded, every formula typeset by MathJax, every
internal link resolving, widgets rendered from their stored state, and a
screenshot in ``book/_build/screenshots/``.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "book" / "_build" / "html"
SHOTS = ROOT / "book" / "_build" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
SKIP_DIRS = {"_static", "_sources", "_images", "_downloads"}


def pages():
    if not HTML.is_dir():
        return []
    return sorted(
        p.relative_to(HTML).as_posix()
        for p in HTML.rglob("*.html")
        if not (set(p.relative_to(HTML).parts[:-1]) & SKIP_DIRS)
    )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server():
    handler = functools.partial(_Quiet, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make browser` installs Debian's chromium"
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield b
        b.close()


def test_the_book_was_built():
    assert (HTML / "intro.html").exists(), "build the book first (make book)"
    assert "chapters/maxwellians.html" in pages()


# Text that MathJax would have replaced: display or inline delimiters left raw.
RAW_MATH = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]")

VISIBLE_TEXT_JS = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('pre, code, script, style, textarea, mjx-container, .MathJax')
      .forEach(e => e.remove());
  return body.innerText;
}"""


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


@pytest.mark.parametrize("page_path", pages())
def test_page_renders_offline(browser, server, page_path):
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
    raw = RAW_MATH.findall(page.evaluate(VISIBLE_TEXT_JS))
    assert not raw, f"{page_path}: raw TeX delimiters left in the text: {raw[:5]}"

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

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / (page_path.replace("/", "__").removesuffix(".html") + ".png")), full_page=True)
    context.close()

    assert not blocked, f"{page_path}: requested the network: {sorted(set(blocked))[:5]}"
    assert not errors, f"{page_path}: console errors: {errors[:5]}"


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
