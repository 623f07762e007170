"""Sphinx extension: keep the HTML book self-contained.

Jupyter Book always loads sphinx-thebe (live code cells through a remote
kernel), which this book does not use: its scripts point at a CDN and, with
Sphinx 7, its configuration script is added twice, a console error on every
page. This extension drops those scripts from every page.
"""


def _is_thebe(script) -> bool:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in filename or "THEBE" in body


def _strip_thebe(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


def setup(app):
    app.connect("html-page-context", _strip_thebe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
