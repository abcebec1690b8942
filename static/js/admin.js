// The admin's widgets (select2 for autocomplete fields, the filter of horizontal selects) build
// controls without an accessible name; name them from their field's label, each time the
// widget draws them again.
(function () {
  "use strict";

  function labelDe(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    if (label && !label.id) {
      label.id = select.id + "_libelle";
    }
    return label;
  }

  function nommer() {
    document.querySelectorAll("span.select2").forEach(function (conteneur) {
      var select = conteneur.previousElementSibling;
      var label = select && select.tagName === "SELECT" ? labelDe(select) : null;
      if (!label) {
        return;
      }
      conteneur.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (el) {
        var rendu = el.getAttribute("aria-labelledby");
        if (!rendu || rendu.indexOf(label.id) === -1) {
          el.setAttribute("aria-labelledby", rendu ? label.id + " " + rendu : label.id);
        }
      });
      conteneur.querySelectorAll("input.select2-search__field").forEach(function (champ) {
        champ.setAttribute("aria-labelledby", label.id);
      });
      // The "clear" cross of a multiple choice sits directly in the list of choices.
      conteneur.querySelectorAll("ul.select2-selection__rendered > span").forEach(function (el) {
        var item = document.createElement("li");
        item.className = "select2-selection__clear-item";
        el.replaceWith(item);
        item.appendChild(el);
      });
    });
    // The magnifier before the filter of a horizontal select carries its label: an image.
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (el) {
      el.setAttribute("role", "img");
    });
  }

  new MutationObserver(nommer).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener("DOMContentLoaded", nommer);
})();
