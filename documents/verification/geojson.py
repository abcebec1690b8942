"""Perimeter checks: a GeoJSON file is parsed as JSON and walked geometry by geometry, every
position in longitude and latitude, to say what it holds."""

import json
import math
from typing import Any, NoReturn

from django.core.exceptions import ValidationError

from documents.verification.formats import ENTETE_WEB
from documents.verification.textes import polyglotte

# How deep the arrays of coordinates nest in each GeoJSON geometry (RFC 7946, 3.1).
NIVEAUX_GEOJSON: dict[str, int] = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}
# GeometryCollections inside GeometryCollections: the RFC advises against any nesting.
IMBRICATION_GEOJSON_MAX = 4


def verifier_geojson(contenu: bytes, nom: str) -> str:
    """The summary of a GeoJSON perimeter (polygons and extent): UTF-8 JSON holding a
    FeatureCollection, a Feature or a geometry, positions in longitude and latitude (WGS 84),
    polygons with closed rings, and at least one polygon."""
    if ENTETE_WEB.search(contenu[:1024]):
        raise polyglotte()
    try:
        texte = contenu.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            f"« {nom} » n'est pas un texte en UTF-8 : exportez le périmètre en GeoJSON "
            "(UTF-8), puis déposez-le.",
            code="encodage",
        ) from exc
    try:
        donnees = json.loads(texte, parse_constant=_constante_refusee)
    except (ValueError, RecursionError) as exc:
        # ValueError: malformed JSON, NaN or Infinity, an integer of thousands of digits.
        raise ValidationError(
            f"Le contenu de « {nom} » n'est pas du JSON valide : il ne peut pas être lu "
            "comme un fichier GeoJSON.",
            code="json",
        ) from exc
    polygones, bornes = _parcourir_geojson(donnees, nom)
    if not polygones:
        raise ValidationError(
            f"« {nom} » ne contient aucun polygone : le périmètre doit être une surface "
            "(géométrie Polygon ou MultiPolygon).",
            code="sans_polygone",
        )
    ouest, sud, est, nord = bornes
    return (
        f"{polygones} polygone{'s' if polygones > 1 else ''}, emprise de "
        f"{_degres(ouest, 'E', 'O')} à {_degres(est, 'E', 'O')} en longitude et de "
        f"{_degres(sud, 'N', 'S')} à {_degres(nord, 'N', 'S')} en latitude"
    )


def _constante_refusee(constante: str) -> NoReturn:
    raise ValueError(f"{constante} n'est pas un nombre JSON")


def _degres(valeur: float, positif: str, negatif: str) -> str:
    return f"{abs(valeur):.3f}".replace(".", ",") + f"°\u00a0{positif if valeur >= 0 else negatif}"


def _parcourir_geojson(donnees: Any, nom: str) -> tuple[int, list[float]]:
    """The number of polygons and the extent (west, south, east, north) of every position."""
    pas_du_type = ValidationError(
        f"Le contenu de « {nom} » n'est pas un fichier GeoJSON : il doit décrire une "
        "FeatureCollection, une Feature ou une géométrie.",
        code="type",
    )
    if not isinstance(donnees, dict):
        raise pas_du_type
    genre = donnees.get("type")
    if genre == "FeatureCollection":
        entites = donnees.get("features")
        if not isinstance(entites, list):
            raise pas_du_type
    elif genre == "Feature":
        entites = [donnees]
    elif genre in NIVEAUX_GEOJSON or genre == "GeometryCollection":
        entites = [{"type": "Feature", "geometry": donnees}]
    else:
        raise pas_du_type
    a_voir: list[tuple[Any, int]] = []
    for entite in entites:
        if not isinstance(entite, dict) or entite.get("type") != "Feature":
            raise pas_du_type
        # A Feature may be "unlocated" (geometry null).
        if entite.get("geometry") is not None:
            a_voir.append((entite["geometry"], 0))
    polygones, bornes = 0, [math.inf, math.inf, -math.inf, -math.inf]
    while a_voir:
        geometrie, imbrication = a_voir.pop()
        genre = geometrie.get("type") if isinstance(geometrie, dict) else None
        if genre == "GeometryCollection":
            membres = geometrie.get("geometries")
            if not isinstance(membres, list) or imbrication >= IMBRICATION_GEOJSON_MAX:
                raise _geometrie_mal_formee(nom, genre)
            a_voir.extend((membre, imbrication + 1) for membre in membres)
            continue
        if genre not in NIVEAUX_GEOJSON:
            raise pas_du_type
        coordonnees = geometrie.get("coordinates")
        _verifier_coordonnees(coordonnees, NIVEAUX_GEOJSON[genre], genre, nom, bornes)
        if genre == "Polygon":
            polygones += 1
        elif genre == "MultiPolygon":
            polygones += len(coordonnees)
    return polygones, bornes


def _verifier_coordonnees(
    coordonnees: Any, niveau: int, genre: str, nom: str, bornes: list[float]
) -> None:
    """Check the nested arrays of one geometry, widening `bornes` with each position."""
    a_voir = [(coordonnees, niveau)]
    while a_voir:
        valeur, niveau = a_voir.pop()
        if niveau == 0:
            _verifier_position(valeur, genre, nom, bornes)
            continue
        surface = genre in ("Polygon", "MultiPolygon")
        if not isinstance(valeur, list) or (surface and not valeur):
            raise _geometrie_mal_formee(nom, genre)
        if surface and niveau == 1 and (len(valeur) < 4 or valeur[0] != valeur[-1]):
            raise ValidationError(
                f"« {nom} » contient un polygone dont un contour n'est pas fermé : il faut au "
                "moins quatre points, le dernier répétant le premier.",
                code="contour",
            )
        a_voir.extend((membre, niveau - 1) for membre in valeur)


def _verifier_position(position: Any, genre: str, nom: str, bornes: list[float]) -> None:
    if (
        not isinstance(position, list)
        or not 2 <= len(position) <= 3
        or not all(
            isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c)
            for c in position
        )
    ):
        raise _geometrie_mal_formee(nom, genre)
    longitude, latitude = position[0], position[1]
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise ValidationError(
            f"Les coordonnées de « {nom} » ne sont pas des longitudes et latitudes en degrés "
            "(WGS 84) : exportez le périmètre en EPSG:4326 depuis votre logiciel de "
            "cartographie, puis déposez-le.",
            code="projection",
        )
    bornes[0], bornes[1] = min(bornes[0], longitude), min(bornes[1], latitude)
    bornes[2], bornes[3] = max(bornes[2], longitude), max(bornes[3], latitude)


def _geometrie_mal_formee(nom: str, genre: str | None) -> ValidationError:
    return ValidationError(
        f"« {nom} » contient une géométrie {genre or 'sans type'} mal formée : ses coordonnées "
        "ne suivent pas la norme GeoJSON.",
        code="geometrie",
    )
