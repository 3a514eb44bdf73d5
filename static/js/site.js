// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // A failed form's summary carries autofocus; a browser that ignores autofocus on a
  // div still moves focus there, so that the errors are read first.
  var summary = document.querySelector(".form-errors[autofocus]");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }

  // On small screens, fold the filter panel above the results (it starts open without JS).
  document.querySelectorAll("details[data-collapse-below]").forEach(function (details) {
    var width = parseInt(details.getAttribute("data-collapse-below"), 10);
    var hasFilters = window.location.search.length > 1;
    if (window.innerWidth < width && !hasFilters) {
      details.open = false;
    }
  });
})();

// The annual report's print button (a button, not an inline handler: the CSP forbids them).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
