// A part of the note: warn before leaving with unsaved changes, never let a manual save race an
// autosave in flight (it would carry a stale version and meet a needless conflict), and say when
// an autosave could not leave the browser.
(function () {
  var formulaire = document.querySelector("[data-note-partie]");
  if (!formulaire) {
    return;
  }
  var statut = document.getElementById("statut-enregistrement");
  var modifie = false;
  var enVol = false;
  var soumissionEnAttente = false;

  formulaire.addEventListener("input", function () { modifie = true; });
  formulaire.addEventListener("submit", function (event) {
    if (enVol) {
      event.preventDefault();
      soumissionEnAttente = true;
      return;
    }
    modifie = false;
  });
  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt === statut) {
      enVol = true;
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== statut) {
      return;
    }
    enVol = false;
    if (event.detail.successful && statut.textContent.indexOf("Enregistré à") !== -1) {
      modifie = false;
    }
    if (soumissionEnAttente) {
      soumissionEnAttente = false;
      modifie = false;
      formulaire.requestSubmit();
    }
  });
  // No network: nothing reached the server. Say that the text is still in the page (the status
  // is a polite live region), and save it as soon as the network is back.
  document.body.addEventListener("htmx:sendError", function (event) {
    if (event.detail.elt === statut) {
      statut.textContent = "Hors ligne : vos modifications sont gardées dans la page";
    }
  });
  window.addEventListener("online", function () {
    if (modifie) {
      formulaire.dispatchEvent(new Event("input", { bubbles: true }));
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (modifie) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
