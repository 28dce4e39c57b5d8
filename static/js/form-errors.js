// A form came back with mistakes. The address ends in #remind-errors, so the browser already
// scrolls to the summary and focuses it; this only makes sure of the focus once the page has
// loaded, for browsers that scroll to a fragment without focusing it.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    var summary = document.getElementById("remind-errors");
    if (summary && document.activeElement !== summary) {
      summary.focus();
    }
  });
})();
