// dangvu: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";
  // A tree node's toggle: fetch the children once (htmx), then show or hide them.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("button.toggle");
    if (!btn) return;
    var kids = btn.closest("li").querySelector(".kids");
    var open = btn.getAttribute("aria-expanded") === "true";
    if (open) {
      kids.hidden = true;
      btn.setAttribute("aria-expanded", "false");
      e.preventDefault();
      e.stopImmediatePropagation();
    } else {
      btn.setAttribute("aria-expanded", "true");
      if (kids.hasChildNodes() && kids.childElementCount > 0) {
        kids.hidden = false;
        e.preventDefault();
        e.stopImmediatePropagation();
      }
    }
  }, true);
  // Forms that change a lot ask once more.
  document.addEventListener("submit", function (e) {
    var msg = e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
})();
