"""Sphinx extension: keep the HTML book self-contained and accessible.

* Jupyter Book always loads sphinx-thebe (live code cells through a remote
  kernel), which this book does not use: its scripts point at a CDN and, with
  Sphinx 7, its configuration script is added twice, a console error on every
  page. This extension drops those scripts from every page.
* Accessibility of the theme and the widgets (checked by axe-core in the
  browser test): the search buttons and the colour-mode button of
  pydata-sphinx-theme and the summaries of collapsed cells (myst-nb) carry an
  accessible name that hides their visible text, the bibliography's list
  (docutils) holds no list items, and the sliders the widget manager draws
  (noUiSlider handles, ``role="slider"``) and the frame slider of matplotlib's
  animations have no name. After the HTML build the written pages are fixed;
  a small inline script names each slider handle after the widget's
  description. The link colour is darkened in ``_assets/book.css``.
* MathJax is loaded on every page (chapter titles with math appear in the
  navigation of every page).
* The download button offers each chapter's notebook: the link gets a
  ``download`` attribute, so the browser saves the ``.ipynb`` instead of
  showing its JSON.
* In the PDF (LaTeX builder) an output that is only interactive (a widget
  view, HTML, JavaScript, with no stored image) becomes a one-line note
  instead of its ``text/plain`` repr (``VBox(children=...)``,
  ``<IPython.core.display.HTML object>``); outputs that carry their stored
  frame (``image/png``) show that frame (``nb_mime_priority_overrides`` in
  ``_config.yml``).
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


def _is_thebe(script) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in filename or "THEBE" in body


def _strip_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


# Each widget slider is labelled by its description (ipywidgets draws the
# description as a <label> that is not tied to the noUiSlider handle).
LABEL_WIDGET_CONTROLS_JS = """
(function () {
  function nameControls(root) {
    root.querySelectorAll('.widget-slider, .widget-hslider, .widget-vslider')
      .forEach(function (w) {
        var label = w.querySelector('.widget-label');
        var text = label ? label.textContent.trim() : '';
        if (!text) return;
        w.querySelectorAll('[role="slider"]:not([aria-label]):not([aria-labelledby])').forEach(function (h) {
          h.setAttribute('aria-label', text);
        });
      });
    // the frame slider of matplotlib's JS animations (meanfield.widgets.offline_jshtml)
    root.querySelectorAll('input.anim-slider:not([aria-label])').forEach(function (s) {
      s.setAttribute('aria-label', 'Animation frame');
    });
  }
  function start() {
    nameControls(document);
    new MutationObserver(function () { nameControls(document); })
      .observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
"""

# (pattern, replacement) applied to every written HTML page.
_PAGE_FIXES = [
    # the search "field" shows "Search Ctrl+K": its name must include that text
    (
        re.compile(r'(<button class="btn search-button-field search-button__button[^"]*" title="Search") aria-label="Search"'),
        r"\1",
    ),
    # Font Awesome turns title="Light"/"Dark"/... into SVG titles that the
    # "Color mode" name of the button does not contain
    (re.compile(r'(<i class="theme-switch [^"]*" data-mode="\w+")\s+title="[^"]*"'), r"\1"),
    # collapsed cells (hide-input, hide-cell, Check blocks): the summary's name
    # is its visible text ("Show code cell source", "Check: ..."), not a generic label
    (re.compile(r'<summary aria-label="Toggle hidden content">'), "<summary>"),
    # docutils' bibliography: role="list" whose children are not list items
    (re.compile(r'<div role="list" class="citation-list">'), '<div class="citation-list">'),
    # save the notebook rather than open its JSON in a new tab
    (
        re.compile(r'<a href="([^"]+\.ipynb)" target="_blank"(\s+class="btn btn-sm btn-download-source-button)'),
        r'<a href="\1" download\2',
    ),
]


def _fix_written_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        fixed = text
        for pattern, repl in _PAGE_FIXES:
            fixed = pattern.sub(repl, fixed)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


STATIC_MIME = {"image/png", "image/jpeg", "application/pdf", "text/latex"}
INTERACTIVE_MIME = {"application/vnd.jupyter.widget-view+json", "application/javascript"}
INTERACTIVE_NOTE = "Interactive output: open this chapter in the HTML book or run its notebook in Jupyter."
# the text/plain of a display object: <IPython.core.display.HTML object>, VBox(children=...)
OBJECT_REPR = re.compile(r"^\s*(<[\w.]+ object>|[A-Z]\w*\(children=.*)\s*$", re.S)


def _is_interactive(bundle) -> bool:
    """A widget view or JavaScript, or HTML whose plain-text form is only an object repr."""
    parts = {child.get("mime_type"): child for child in bundle.children}
    if set(parts) & STATIC_MIME:
        return False
    if set(parts) & INTERACTIVE_MIME:
        return True
    if "text/html" in parts:
        plain = parts.get("text/plain")
        return plain is None or bool(OBJECT_REPR.match(plain.astext()))
    return False


class ReplaceInteractiveOutputs(SphinxPostTransform):
    """LaTeX: an output with a widget view / HTML and no stored image becomes a short note (not its repr)."""

    default_priority = 3  # before myst-nb's SelectMimeType (4) picks text/plain
    formats = ("latex",)

    def run(self, **kwargs):
        for node in list(self.document.findall(nodes.container)):
            if node.get("nb_element") == "mime_bundle" and _is_interactive(node):
                node.replace_self(nodes.paragraph("", "", nodes.emphasis(text=INTERACTIVE_NOTE)))


def setup(app):
    # MathJax on every page, not only on pages with formulas in their body: a
    # chapter title with math ("From $N$ players ...") is in every page's navigation
    app.set_html_assets_policy("always")
    app.connect("html-page-context", _strip_thebe, priority=900)
    app.add_js_file(None, body=LABEL_WIDGET_CONTROLS_JS)
    app.connect("build-finished", _fix_written_pages)
    app.add_post_transform(ReplaceInteractiveOutputs)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
