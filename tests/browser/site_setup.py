"""What the browser tests share: the built site, a loopback server for it, Debian's Chromium.

``MEANFIELD_BOOK_HTML`` points at the site (``make test`` sets it to the site
unzipped from the dist archive); without it, ``book/_build/html``.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HTML = Path(os.environ.get("MEANFIELD_BOOK_HTML", ROOT / "book" / "_build" / "html"))
CHROMIUM = "/usr/bin/chromium"  # Debian's package (`make browser`), never a browser download
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_site():
    """Serve the site on 127.0.0.1 (a free port); yield its URL, then stop (a pytest fixture body)."""
    handler = functools.partial(_Quiet, directory=str(HTML))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def launch_chromium():
    """Headless Debian Chromium through Playwright; yield the browser, then close it (a fixture body)."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make browser` installs Debian's chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
