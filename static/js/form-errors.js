// A form came back with mistakes: put the keyboard and screen reader on the summary of what to
// fix. Without JavaScript the page still opens scrolled to the form (the "#remind" address).
(function () {
  "use strict";
  var summary = document.getElementById("remind-errors");
  if (summary) {
    summary.focus();
  }
})();
