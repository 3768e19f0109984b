/* The display-zone switch (templates/zones/_switch.html), enhanced. Loaded with `defer` after htmx;
   no inline script and no eval, so it runs under a strict Content-Security-Policy.

   - "My time": shows the button; a click picks the browser's zone (Intl API) in the select and
     submits the form, which htmx sends as ?tz=<zone> and swaps the region in place.
   - Keeps the select in step with the region the server rendered (its data-zone), after swaps
     and history restores.
   - Puts ?tz= into the address bar on first load, so Back returns to exactly this view even
     after a later choice changed the remembered zone (the cookie).
   - Lets a 400 that names its target (HX-Retarget) swap, so the server's message is shown.
   - Writes the pushed URL as ?tz=Europe/Zurich rather than ?tz=Europe%2FZurich. */
(function () {
  "use strict";

  function browserZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return "";
    }
  }

  function region() { return document.querySelector("[data-zone]"); }
  function switchForm() { return document.querySelector("form[data-tz-switch]"); }

  function choose(select, value) {
    if (!select || !value) return;
    var option = null;
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === value) { option = select.options[i]; break; }
    }
    if (!option) {  // a zone outside the list, such as a legacy alias a browser reports
      option = new Option(value, value);
      select.insertBefore(option, select.options[1] || null);
    }
    for (var j = 0; j < select.options.length; j++) {
      // the attribute too: htmx history snapshots keep the markup, not the live state
      select.options[j].defaultSelected = select.options[j] === option;
    }
    select.value = value;
  }

  function prettyPath(path) {
    return path.replace(/([?&]tz=)([^&#]*)/, function (match, key, value) {
      return key + value.replace(/%2F/gi, "/");
    });
  }

  function sync() {
    var shown = region(), form = switchForm();
    if (shown && form) choose(form.elements.tz, shown.getAttribute("data-zone"));
    var button = form && form.querySelector("[data-my-time]");
    if (button && browserZone()) button.hidden = false;
  }

  function putZoneInUrl() {
    var shown = region();
    if (!shown || !switchForm()) return;
    var url = new URL(window.location.href);
    if (url.searchParams.has("tz")) return;
    url.searchParams.set("tz", shown.getAttribute("data-zone"));
    history.replaceState(history.state, "", prettyPath(url.pathname + url.search + url.hash));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-my-time]");
    var form = button && button.form;
    if (!form) return;
    choose(form.elements.tz, browserZone());
    form.requestSubmit();
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr.status === 400 && detail.xhr.getResponseHeader("HX-Retarget")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var notice = document.getElementById("tz-notice");
    if (notice && event.detail.xhr && event.detail.xhr.status < 400) notice.textContent = "";
    sync();
  });

  document.addEventListener("htmx:historyRestore", sync);

  document.addEventListener("htmx:beforeHistoryUpdate", function (event) {
    var history = event.detail.history;
    if (history && history.path) history.path = prettyPath(history.path);
  });

  function start() {
    sync();
    putZoneInUrl();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
