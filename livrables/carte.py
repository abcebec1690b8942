"""The livret's map: the perimeter deposited with the candidature (GeoJSON, checked at its
upload), drawn by the portal as a small SVG in a simple projection (equirectangular, longitudes
shrunk by the cosine of the mean latitude: true enough at the scale of an intercommunality)."""

import json
import math
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError

from documents.verification.geojson import verifier_geojson

LARGEUR, HAUTEUR, MARGE = 800, 600, 20
# A perimeter of tens of thousands of vertices prints no better than one of a few thousand.
POINTS_MAX = 4000


def _anneaux(geometrie: Any) -> Iterator[list[list[float]]]:
    genre = geometrie.get("type") if isinstance(geometrie, dict) else None
    if genre == "GeometryCollection":
        for membre in geometrie.get("geometries", []):
            yield from _anneaux(membre)
    elif genre == "Polygon":
        yield from geometrie["coordinates"]
    elif genre == "MultiPolygon":
        for polygone in geometrie["coordinates"]:
            yield from polygone


def _geometries(donnees: dict[str, Any]) -> Iterator[Any]:
    if donnees.get("type") == "FeatureCollection":
        for entite in donnees["features"]:
            if entite.get("geometry") is not None:
                yield entite["geometry"]
    elif donnees.get("type") == "Feature":
        if donnees.get("geometry") is not None:
            yield donnees["geometry"]
    else:
        yield donnees


def carte_du_perimetre(contenu: bytes, *, intitule: str) -> dict[str, str] | None:
    """The SVG of the perimeter's polygons and its text alternative; None when the file is no
    longer a readable perimeter (it was checked at its upload: this is only a safeguard)."""
    try:
        resume = verifier_geojson(contenu, "périmètre")
    except ValidationError:
        return None
    donnees = json.loads(contenu.decode("utf-8-sig"))
    anneaux = [anneau for g in _geometries(donnees) for anneau in _anneaux(g) if len(anneau) >= 4]
    if not anneaux:
        return None
    longitudes = [p[0] for anneau in anneaux for p in anneau]
    latitudes = [p[1] for anneau in anneaux for p in anneau]
    ouest, est, sud, nord = min(longitudes), max(longitudes), min(latitudes), max(latitudes)
    facteur = math.cos(math.radians((sud + nord) / 2))
    largeur_geo = max((est - ouest) * facteur, 1e-9)
    hauteur_geo = max(nord - sud, 1e-9)
    echelle = min((LARGEUR - 2 * MARGE) / largeur_geo, (HAUTEUR - 2 * MARGE) / hauteur_geo)
    decalage_x = (LARGEUR - largeur_geo * echelle) / 2
    decalage_y = (HAUTEUR - hauteur_geo * echelle) / 2
    pas = max(1, math.ceil(len(longitudes) / POINTS_MAX))
    chemins = []
    for anneau in anneaux:
        points = anneau[:-1:pas] or anneau[:1]
        coordonnees = " ".join(
            f"{decalage_x + (lon - ouest) * facteur * echelle:.1f},"
            f"{decalage_y + (nord - lat) * echelle:.1f}"
            for lon, lat, *_ in points
        )
        chemins.append(f"M{coordonnees}Z")
    trace = " ".join(chemins)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LARGEUR} {HAUTEUR}" '
        f'width="{LARGEUR}" height="{HAUTEUR}">'
        f'<path d="{trace}" fill="#e3e3fd" stroke="#000091" stroke-width="2" '
        'fill-rule="evenodd"/></svg>'
    )
    return {
        "svg": svg,
        "alt": f"Carte du périmètre de l'atelier « {intitule} » : {resume}.",
    }
