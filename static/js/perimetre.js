// Section 2: the deposited perimeter drawn alone on a blank map. No tile layer: none is
// reachable, and the CSP allows only this site. The map is decorative and takes no focus; the
// caption beside it says the same in words.
(function () {
  var cartes = document.querySelectorAll("[data-perimetre-url]");
  if (!cartes.length || !window.L) {
    return;
  }
  Array.prototype.forEach.call(cartes, function (element) {
    fetch(element.getAttribute("data-perimetre-url"), {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json, application/json" },
    })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error("Périmètre indisponible (" + reponse.status + ")");
        }
        return reponse.json();
      })
      .then(function (donnees) {
        var carte = L.map(element, {
          attributionControl: false,
          zoomControl: false,
          keyboard: false,
          dragging: false,
          touchZoom: false,
          scrollWheelZoom: false,
          doubleClickZoom: false,
          boxZoom: false,
          zoomSnap: 0.25,
        });
        var couche = L.geoJSON(donnees, {
          interactive: false,
          style: { color: "#000091", weight: 2, fillColor: "#6a6af4", fillOpacity: 0.2 },
          pointToLayer: function (entite, position) {
            return L.circleMarker(position, { radius: 4, interactive: false });
          },
        }).addTo(carte);
        var bornes = couche.getBounds();
        if (bornes.isValid()) {
          carte.fitBounds(bornes, { padding: [16, 16] });
        }
      })
      .catch(function () {
        // The file is still being scanned, or was withdrawn: the caption stays, alone.
        element.hidden = true;
      });
  });
})();
