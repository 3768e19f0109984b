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
