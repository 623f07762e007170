// Loaded just before the Jupyter widget manager (_config.yml: nb_ipywidgets_js).
(function () {
  // 1. The widget manager's fonts come from this site (_static/html-manager/),
  //    not from a CDN nor from a path relative to the page. Its AMD module
  //    takes its public path from where RequireJS says the module lives, so
  //    map the module's folder there (a global `require` object defined
  //    before require.js loads is RequireJS's configuration).
  var here = document.currentScript && document.currentScript.src;
  if (here) {
    var base = new URL("html-manager/", here).href;
    window.__jupyter_widgets_assets_path__ = base;
    var paths = { "@jupyter-widgets/html-manager/dist": base.replace(/\/$/, "") };
    if (typeof window.require === "function" && window.require.config) {
      window.require.config({ paths: paths });
    } else {
      window.require = { paths: paths };
    }
  }
  // 2. The widget manager typesets labels with MathJax 2's MathJax.Hub.Queue;
  //    this book ships MathJax 3. Map the one call it makes onto MathJax 3.
  function shim() {
    var MJ = window.MathJax;
    if (!MJ || MJ.Hub || !MJ.startup) return;
    MJ.Hub = {
      Queue: function (job) {
        var el = Array.isArray(job) ? job[2] : undefined;
        MJ.startup.promise
          .then(function () { return MJ.typesetPromise(el ? [el] : undefined); })
          .catch(function (err) { console.warn("MathJax typeset failed", err); });
      }
    };
  }
  document.addEventListener("DOMContentLoaded", shim);
})();
