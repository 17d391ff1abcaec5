// Repairs to what Django's admin scripts build in the browser, once they have run (after "load"):
// - the search icon of a two-box picker (SelectFilter2) names its box with aria-label on a plain
//   <span>, which has no role to carry a name: make it an image so the label reads it;
// - a searchable select (select2) names its combobox only by the chosen value, empty when nothing
//   is chosen, and its typing box not at all: name both by the field's label, and drop the
//   nameless read-only "textbox" role select2 puts on the chosen value; its "clear all" cross,
//   put straight into the list of chosen values where only items may be, moves just before it.
(function () {
  function nameSearchableSelect(select) {
    var label = document.querySelector("label[for='" + select.id + "']");
    var box = select.parentElement.querySelector(".select2-selection");
    if (!label || !box) return;
    label.id = label.id || select.id + "_label";
    var chosen = box.querySelector(".select2-selection__rendered");
    if (chosen) {
      chosen.removeAttribute("role");
      chosen.removeAttribute("aria-readonly");
    }
    var clear = box.querySelector("ul.select2-selection__rendered > .select2-selection__clear");
    box.querySelectorAll(":scope > .select2-selection__clear").forEach(function (moved) { moved.remove(); });
    if (clear) box.insertBefore(clear, clear.parentElement);
    var typing = box.querySelector(".select2-search__field");
    if (typing) typing.setAttribute("aria-labelledby", label.id);
    var names = (box.getAttribute("aria-labelledby") || "").split(" ").filter(function (id) {
      return id && id !== label.id;
    });
    box.setAttribute("aria-labelledby", [label.id].concat(names).join(" "));
  }

  window.addEventListener("load", function () {
    setTimeout(function () {
      document.querySelectorAll("span.search-label-icon[aria-label]").forEach(function (icon) {
        icon.setAttribute("role", "img");
      });
      document.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
        nameSearchableSelect(select);
        if (window.django && django.jQuery) {
          django.jQuery(select).on("change", function () { nameSearchableSelect(select); });
        }
      });
      document.documentElement.dataset.adminRepaired = "1";
    });
  });
})();
