/*
 * Avertit avant la fin d'une session inactive et permet de la prolonger (RGAA, critère 13.1).
 *
 * Le serveur ferme la session après data-duree-inactivite secondes sans requête. La page compte
 * depuis son chargement et depuis chaque requête fetch ou XMLHttpRequest (htmx) vers le portail,
 * ainsi que depuis l'activité des autres onglets (stockage local). data-duree-alerte secondes
 * avant la fin, la modale s'ouvre ; la fermer, de quelque façon que ce soit, prolonge la session.
 * À l'échéance, la page mène à la connexion, qui revient ensuite à la page en cours.
 */
(function () {
  "use strict";

  var modale = document.getElementById("session-modale");
  if (!modale) {
    return;
  }

  var dureeInactivite = Number(modale.dataset.dureeInactivite) * 1000;
  var dureeAlerte = Number(modale.dataset.dureeAlerte) * 1000;
  var urlProlonger = modale.dataset.urlProlonger;
  var urlConnexion = modale.dataset.urlConnexion;
  var zoneRestant = document.getElementById("session-restant");
  var boutonRester = document.getElementById("session-rester");
  var CLE_STOCKAGE = "atelier-local:derniere-activite";
  var PALIER = 15;

  var derniereActivite = Date.now();
  var ouverte = false;
  var fermetureSansProlonger = false;
  var terminee = false;
  var prolongationEnCours = false;
  var texteAffiche = "";

  function memeOrigine(url) {
    try {
      return new URL(url, window.location.href).origin === window.location.origin;
    } catch (erreur) {
      return false;
    }
  }

  function noterActivite() {
    derniereActivite = Date.now();
    try {
      window.localStorage.setItem(CLE_STOCKAGE, String(derniereActivite));
    } catch (erreur) {
      // Stockage local refusé : seul cet onglet compte.
    }
    verifier();
  }

  function formaterRestant(millisecondes) {
    var palier = Math.floor(millisecondes / 1000 / PALIER) * PALIER;
    if (palier < PALIER) {
      return "Votre session expire dans moins de " + PALIER + " secondes.";
    }
    var minutes = Math.floor(palier / 60);
    var secondes = palier % 60;
    var parties = [];
    if (minutes) {
      parties.push(minutes + (minutes > 1 ? " minutes" : " minute"));
    }
    if (secondes) {
      parties.push(secondes + " secondes");
    }
    return "Votre session expire dans " + parties.join(" et ") + ".";
  }

  function afficherRestant(millisecondes) {
    // Le texte ne change qu'une fois par palier de 15 s : la zone live n'est pas bavarde.
    var texte = formaterRestant(millisecondes);
    if (texte !== texteAffiche) {
      texteAffiche = texte;
      zoneRestant.textContent = texte;
    }
  }

  function apiModale() {
    // Une page chargée près de la fin de la session ouvre la modale dès le premier contrôle,
    // parfois avant que le DSFR ait initialisé son instance : le contrôle suivant réessaie.
    var instance = window.dsfr ? window.dsfr(modale) : null;
    return instance ? instance.modal : null;
  }

  function ouvrir(restant) {
    var api = apiModale();
    if (!api) {
      return;
    }
    ouverte = true;
    texteAffiche = "";
    afficherRestant(restant);
    api.disclose();
  }

  function fermerSansProlonger() {
    var api = apiModale();
    if (api && ouverte) {
      fermetureSansProlonger = true;
      api.conceal();
    }
  }

  function expirer() {
    if (terminee) {
      return;
    }
    terminee = true;
    var suite = window.location.pathname + window.location.search;
    window.location.assign(
      urlConnexion + "?next=" + encodeURIComponent(suite) + "&expiree=1"
    );
  }

  function prolonger() {
    var jeton = document.querySelector('meta[name="csrf-token"]');
    prolongationEnCours = true;
    window
      .fetch(urlProlonger, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": jeton ? jeton.content : "" },
      })
      .then(function (reponse) {
        prolongationEnCours = false;
        if (reponse.status !== 204) {
          expirer();
        }
      })
      .catch(function () {
        // Hors ligne : le compte à rebours continue et la modale revient.
        prolongationEnCours = false;
      });
  }

  function verifier() {
    if (terminee) {
      return;
    }
    var restant = derniereActivite + dureeInactivite - Date.now();
    if (restant <= 0) {
      expirer();
    } else if (restant <= dureeAlerte) {
      if (ouverte) {
        afficherRestant(restant);
      } else if (!prolongationEnCours) {
        ouvrir(restant);
      }
    } else if (ouverte) {
      fermerSansProlonger();
    }
  }

  var fetchOrigine = window.fetch;
  window.fetch = function (ressource) {
    var url = ressource && ressource.url ? ressource.url : String(ressource);
    return fetchOrigine.apply(this, arguments).then(function (reponse) {
      if (memeOrigine(url)) {
        noterActivite();
      }
      return reponse;
    });
  };

  var envoiOrigine = window.XMLHttpRequest.prototype.send;
  window.XMLHttpRequest.prototype.send = function () {
    this.addEventListener("loadend", function () {
      if (this.status && memeOrigine(this.responseURL)) {
        noterActivite();
      }
    });
    return envoiOrigine.apply(this, arguments);
  };

  window.addEventListener("storage", function (evenement) {
    if (evenement.key === CLE_STOCKAGE && evenement.newValue) {
      derniereActivite = Math.max(derniereActivite, Number(evenement.newValue));
      verifier();
    }
  });

  modale.addEventListener("dsfr.conceal", function () {
    ouverte = false;
    if (fermetureSansProlonger) {
      fermetureSansProlonger = false;
    } else if (!terminee) {
      prolonger();
    }
  });

  boutonRester.addEventListener("click", function () {
    var api = apiModale();
    if (api) {
      api.conceal();
    }
  });

  document.addEventListener("visibilitychange", verifier);
  noterActivite();
  window.setInterval(verifier, 1000);
})();
