/* "Copy link" on the meeting page. Optional: without JavaScript the link is in a readonly field. */
(function () {
  var field = document.getElementById("share-link");
  var button = field && field.parentNode.querySelector("button[data-copied]");
  if (!button || !navigator.clipboard) return;
  var status = field.parentNode.querySelector(".copied");
  field.addEventListener("focus", function () { field.select(); });
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      status.textContent = button.getAttribute("data-copied");
    });
  });
})();
