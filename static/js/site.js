// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A failed form's summary carries autofocus; a browser that ignores autofocus on a
  // div still moves focus there, so that the errors are read first.
  var summary = document.querySelector(".form-errors[autofocus]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }

  // The annual report's print button (a button, not an inline handler: the CSP forbids them).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
