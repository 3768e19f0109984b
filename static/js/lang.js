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
