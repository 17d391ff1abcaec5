// A form that comes back with errors: move focus to its summary so a screen reader reads it
// first, and make each link in the summary put the cursor in its field.
(function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary || summary.dataset.ready) return;
  summary.dataset.ready = "1";
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var details = field.closest("details");
    if (details) details.open = true;
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
})();
