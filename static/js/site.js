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

  // Suggestions as you type on the directory's search box: the ARIA 1.2 combobox pattern
  // (arrow keys move, Enter opens, Escape closes). Without this script the box is a plain
  // search field that submits the form.
  var input = document.querySelector("input[data-suggest-url]");
  if (input && window.fetch) {
    var url = input.getAttribute("data-suggest-url");
    var combo = document.createElement("div");
    combo.className = "search-combo";
    input.parentNode.insertBefore(combo, input);
    combo.appendChild(input);
    var list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "search-suggest";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "");
    list.hidden = true;
    combo.appendChild(list);
    // Says how many suggestions came, for screen readers (the list itself is silent).
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    combo.appendChild(status);
    var announce = function (count) {
      var text = input.getAttribute(count === 1 ? "data-suggest-one" : "data-suggest-many") || "";
      status.textContent = count ? text.replace("{count}", count) : "";
    };
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;
    var shownFor = null; // the text that the suggestions in the list answer

    var choose = function (index) {
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };
    var close = function () {
      latest += 1; // an answer still on its way is for text no longer there
      announce(0);
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      choose(-1);
    };
    var reveal = function () {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    };
    var open = function (item) { window.location.assign(item.getAttribute("data-url")); };
    var show = function (results, query) {
      shownFor = query;
      list.textContent = "";
      items = results.map(function (result, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-url", result.url);
        // The server escapes everything but <mark> (members.search.highlight).
        item.innerHTML = result.html;
        // What tells two names apart: "sector", or the company's town.
        var detail = result.kind === "sector" ? input.getAttribute("data-suggest-sector") : result.city;
        if (detail) {
          var small = document.createElement("small");
          small.textContent = " · " + detail;
          item.appendChild(small);
        }
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          open(item);
        });
        list.appendChild(item);
        return item;
      });
      active = -1;
      announce(items.length);
      if (items.length) {
        reveal();
      } else {
        close();
      }
    };
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      latest += 1; // the text changed: an answer on its way is for the old one
      var query = input.value;
      if (query.trim().length < 2) {
        close();
        return;
      }
      timer = window.setTimeout(function () {
        var asked = ++latest;
        fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) { if (asked === latest) { show(data.results || [], query); } })
          .catch(function () { if (asked === latest) { close(); } });
      }, 120);
    });
    input.addEventListener("keydown", function (event) {
      if (!items.length) {
        return;
      }
      if (list.hidden) {
        // Down arrow opens the last suggestions again, as after Escape.
        if (event.key === "ArrowDown" && input.value === shownFor) {
          event.preventDefault();
          reveal();
          choose(0);
        }
        return;
      }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        choose((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        choose(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        open(items[active]);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }
})();
