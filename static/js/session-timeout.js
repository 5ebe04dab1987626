/* Progressive enhancement: warn a signed-in person 5 minutes before the
   30-minute idle sign-out. Without JavaScript the sign-out still happens. */
(function () {
  var warning = document.getElementById("timeout-warning");
  if (!warning || !window.setTimeout) return;
  window.setTimeout(function () {
    warning.hidden = false;
    warning.focus();
  }, 25 * 60 * 1000);
})();
