// Circulation desk: keep the scan field focused and give the keyboard shortcuts.
// The page works without this file; it only saves keystrokes.
(function () {
  "use strict";
  var field = document.getElementById("id_code");
  if (!field) { return; }
  var busy = false;

  function submit(id) {
    var form = document.getElementById(id);
    if (form && !busy) { busy = true; form.submit(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "F2") { event.preventDefault(); submit("desk-mode"); }
    if (event.key === "Escape" && document.activeElement === field) { event.preventDefault(); submit("desk-close"); }
  });

  // After a click on nothing in particular, bring the focus back to the scan field.
  document.addEventListener("click", function (event) {
    if (!event.target.closest("input, select, textarea, button, a, label")) { field.focus(); }
  });

  // Enter on an empty field accepts the "return it first" offer.
  field.addEventListener("keydown", function (event) {
    var offer = document.getElementById("desk-offer");
    if (event.key === "Enter" && offer && field.value.trim() === "") { event.preventDefault(); offer.click(); }
  });

  document.getElementById("desk-scan").addEventListener("submit", function () { busy = true; });
})();
