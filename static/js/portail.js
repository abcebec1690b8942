// htmx requests carry the CSRF token of the page (Django refuses a POST without it).
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.content;
  }
});

// A long list of checkboxes (départements, EPCI): a filter field above it keeps the boxes whose
// label contains what is typed, accents and case aside; ticked boxes always stay in sight.
(function () {
  function simplifier(texte) {
    return texte.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function filtrer(liste, recherche) {
    var cherche = simplifier(recherche.trim());
    liste.querySelectorAll(".fr-fieldset__element").forEach(function (element) {
      var caseACocher = element.querySelector("input[type=checkbox]");
      element.hidden = Boolean(cherche) && !(caseACocher && caseACocher.checked) &&
        simplifier(element.textContent).indexOf(cherche) === -1;
    });
  }

  function equiper(liste) {
    var groupe = document.createElement("div");
    groupe.className = "fr-fieldset__element fr-input-group";
    var champ = document.createElement("input");
    champ.type = "search";
    champ.className = "fr-input";
    champ.id = liste.id + "-filtre";
    champ.autocomplete = "off";
    champ.setAttribute("aria-controls", liste.id);
    var etiquette = document.createElement("label");
    etiquette.className = "fr-label";
    etiquette.htmlFor = champ.id;
    etiquette.textContent = "Filtrer la liste « " + liste.dataset.listeCases + " »";
    groupe.append(etiquette, champ);
    liste.before(groupe);
    // The filter is no answer of the form: it neither autosaves the note nor submits it.
    champ.addEventListener("input", function (event) {
      event.stopPropagation();
      filtrer(liste, champ.value);
    });
    champ.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
    // htmx replaces the EPCI boxes when the départements change: the filter still applies.
    liste.addEventListener("htmx:afterSwap", function () { filtrer(liste, champ.value); });
  }

  document.querySelectorAll("[data-liste-cases]").forEach(equiper);
})();
