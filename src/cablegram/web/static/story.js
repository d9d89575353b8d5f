// Opens the collapsed section a contents link (or the address's #fragment) points at, and its enclosing sections.
(function () {
  function reveal(id) {
    var el = id && document.getElementById(id);
    for (; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
  }
  reveal(decodeURIComponent(window.location.hash.slice(1)));
  window.addEventListener("hashchange", function () { reveal(decodeURIComponent(window.location.hash.slice(1))); });
  document.querySelectorAll("nav.toc a[href^='#']").forEach(function (a) {
    a.addEventListener("click", function () { reveal(a.getAttribute("href").slice(1)); });
  });
})();
