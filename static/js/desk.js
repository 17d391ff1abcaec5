// Circulation desk: keep the scan field focused, give the keyboard shortcuts, and post scans in
// the background so that only the answer and the panels change (the desk answers such a post,
// marked by its X-Requested-With header, with templates/lending/_desk_answer.html).
// The page works without this file: every form then makes the full round trip.
(function () {
  "use strict";
  var field = document.getElementById("id_code");
  if (!field) { return; }
  var busy = false;
  var queue = Promise.resolve();  // scans are answered in the order they were made

  function submit(id) {
    var form = document.getElementById(id);
    if (form && !busy) {
      busy = true;
      queue.then(function () { form.submit(); });
    }
  }

  function swap(html) {
    var answer = document.createElement("template");
    answer.innerHTML = html;
    var text = answer.content.getElementById("desk-answer");
    var panels = answer.content.getElementById("desk-panels");
    if (!text || !panels) { throw new Error("not the desk's answer"); }
    // The live region stays in place, so that a screen reader announces its new text.
    document.getElementById("desk-answer").innerHTML = text.innerHTML;
    document.getElementById("desk-panels").replaceWith(panels);
    field.focus();
  }

  function post(form) {
    var data = new FormData(form);
    var code = form.contains(field) ? field.value : null;
    if (code !== null) { field.value = ""; }
    queue = queue.then(function () {
      // Not form.action: the forms' hidden input named "action" shadows it.
      return fetch(form.getAttribute("action") || window.location.href, {
        method: "POST",
        body: data,
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      }).then(function (response) {
        // A lapsed login (redirected to the login page) or any error: the full round trip shows it.
        if (!response.ok || response.redirected) { throw new Error(response.status); }
        return response.text();
      }).then(swap).catch(function () {
        if (code !== null) { field.value = code; }
        busy = true;
        form.submit();
      });
    });
  }

  if (window.fetch && "content" in document.createElement("template")) {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.hasAttribute("data-desk-fetch") && !busy) {
        event.preventDefault();
        post(form);
      }
    });
  } else {
    document.getElementById("desk-scan").addEventListener("submit", function () { busy = true; });
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
})();
