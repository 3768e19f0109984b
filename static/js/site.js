/* wsapp's scripts, in one file (one request): the announcer, the language switch and the zone
   switch. Loaded with `defer` after htmx; no inline script and no eval, so they run under the
   strict Content-Security-Policy. Each part does nothing on a page without its elements. */

/* Screen readers announce what htmx swaps in: a live region must exist before its text changes,
   and a swapped-in element with role="status" is new, so many readers stay silent. Elements
   marked data-announce (the "vote recorded" notice) have their text copied into #announcer,
   a polite live region in base.html that outlives every swap. */
(function () {
  "use strict";

  document.addEventListener("htmx:afterSettle", function (event) {
    var region = document.getElementById("announcer");
    var target = event.detail && event.detail.elt;
    if (!region || !target || !target.querySelector) return;
    var notice = target.matches("[data-announce]") ? target : target.querySelector("[data-announce]");
    if (!notice) return;
    region.textContent = "";
    // a moment later, so a repeated message is still a change the reader notices
    window.setTimeout(function () { region.textContent = notice.textContent.trim(); }, 50);
  });
})();

/* The language switch (templates/i18n/_switch.html), enhanced. htmx swaps the whole #page
   element for the page in the chosen language; this keeps what lies outside it in step:
   <html lang> (screen readers pick their voice from it) and the document title. Loaded with
   `defer`; no inline script, so it runs under the strict Content-Security-Policy. */
(function () {
  "use strict";

  function sync() {
    var page = document.getElementById("page");
    var lang = page && page.getAttribute("data-lang");
    if (lang && document.documentElement.lang !== lang) document.documentElement.lang = lang;
  }

  document.addEventListener("htmx:afterSettle", sync);
  document.addEventListener("htmx:historyRestore", sync);
})();

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
      select.options[0].after(option);  // after "Venue time", before the common zones
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

/* The zone switch's search field (templates/zones/_switch.html), enhanced. Without JavaScript
   it asks the time-zones page (every zone, searchable by city). Here, on first focus, that page
   is fetched once and its zones become the field's suggestions; a zone picked or typed in full
   (a name, or a city only one zone has) is shown in place through the switch's select, and a
   name the list lacks is asked for so that the server says it does not know it. Anything else
   goes to the time-zones page's search. */
(function () {
  "use strict";

  var zones = null;  // a promise of [{name, label}]

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/_/g, " ")
      .replace(/\s+/g, " ").trim().toLowerCase();
  }

  function load(form) {
    if (zones) return zones;
    zones = fetch(form.getAttribute("data-tz-find"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        return Array.prototype.map.call(page.querySelectorAll("a[data-tz]"), function (link) {
          return { name: link.getAttribute("data-tz"), label: link.textContent.trim() };
        });
      })
      .catch(function () { return []; });
    zones.then(function (list) {
      var input = form.elements.q, options = document.createElement("datalist");
      options.id = "tz-zones";
      list.forEach(function (zone) { options.appendChild(new Option(zone.label, zone.name)); });
      form.appendChild(options);
      input.setAttribute("list", options.id);
    });
    return zones;
  }

  function resolve(typed, list) {
    var wanted = fold(typed);
    function city(zone) { return fold(zone.label.replace(/\s*\([^)]*\)$/, "")); }
    var exact = list.filter(function (z) { return fold(z.name) === wanted || city(z) === wanted; });
    if (exact.length === 1) return exact[0].name;
    var some = list.filter(function (z) {
      return fold(z.name).indexOf(wanted) >= 0 || fold(z.label).indexOf(wanted) >= 0;
    });
    return some.length === 1 ? some[0].name : null;
  }

  document.addEventListener("focusin", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-tz-find")) load(form);
  });

  document.addEventListener("submit", function (event) {
    var form = event.target, pick = document.querySelector("form[data-tz-switch]");
    if (!form.hasAttribute || !form.hasAttribute("data-tz-find") || !pick) return;
    var typed = form.elements.q.value.trim();
    if (!typed) return;
    event.preventDefault();
    load(form).then(function (list) {
      var name = resolve(typed, list), select = pick.elements.tz;
      if (name) {
        var listed = Array.prototype.some.call(select.options, function (o) { return o.value === name; });
        if (!listed) select.options[0].after(new Option(name, name));
        select.value = name;
        pick.requestSubmit();
      } else if (typed.indexOf("/") > 0 && window.htmx) {
        var url = new URL(pick.getAttribute("data-hx-get"), window.location.href);
        url.searchParams.set("tz", typed);
        window.htmx.ajax("GET", url.pathname + url.search, {
          target: pick.getAttribute("data-hx-target"), swap: "outerHTML"
        });
      } else {
        form.submit();
      }
    });
  });
})();
