"""The perimeter of an atelier, deposited as GeoJSON: checked by parsing, summarised in words."""

import json

import pytest
from django.core.exceptions import ValidationError

from documents.forms import FichierField
from documents.verification import GEOJSON, Usage, texte_aide, verifier
from tests.documents import fichiers_hostiles as h

MO = 1024 * 1024


def carre(ouest, sud, cote=0.1):
    return [
        [
            [ouest, sud],
            [ouest + cote, sud],
            [ouest + cote, sud + cote],
            [ouest, sud + cote],
            [ouest, sud],
        ]
    ]


def collection(*geometries):
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"nom": f"Secteur {n}"}, "geometry": g}
            for n, g in enumerate(geometries)
        ],
    }


def geojson(donnees):
    return json.dumps(donnees).encode()


def verifie(nom, contenu):
    return verifier(h.televerse(nom, contenu, "application/geo+json"), usage=Usage.PERIMETRE)


def refus(nom, contenu):
    with pytest.raises(ValidationError) as erreur:
        verifie(nom, contenu)
    return erreur.value


@pytest.mark.parametrize(
    ("nom", "donnees", "resume"),
    [
        (
            "perimetre.geojson",
            collection(
                {"type": "Polygon", "coordinates": carre(-1.7, 48.0)},
                {"type": "MultiPolygon", "coordinates": [carre(-1.5, 48.1), carre(-1.3, 48.3)]},
            ),
            "3 polygones, emprise de 1,700°\u00a0O à 1,200°\u00a0O en longitude et de "
            "48,000°\u00a0N à 48,400°\u00a0N en latitude",
        ),
        (
            "secteur.json",
            {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": carre(4.6, 43.5)}},
            "1 polygone, emprise de 4,600°\u00a0E à 4,700°\u00a0E en longitude et de "
            "43,500°\u00a0N à 43,600°\u00a0N en latitude",
        ),
        (
            "GEOMETRIE.GEOJSON",
            {"type": "MultiPolygon", "coordinates": [carre(55.4, -21.1)]},
            "1 polygone, emprise de 55,400°\u00a0E à 55,500°\u00a0E en longitude et de "
            "21,100°\u00a0S à 21,000°\u00a0S en latitude",
        ),
    ],
)
def test_un_perimetre_geojson_est_accepte_et_resume(nom, donnees, resume):
    verification = verifie(nom, geojson(donnees))
    assert verification.format is GEOJSON
    assert verification.type_contenu == "application/geo+json"
    assert verification.extension == ".geojson"
    assert verification.resume == resume


def test_une_collection_melee_compte_ses_polygones_et_tolere_le_reste():
    donnees = collection(
        {"type": "Point", "coordinates": [2.35, 48.85]},
        {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "coordinates": carre(2.3, 48.8)},
                {"type": "LineString", "coordinates": [[2.3, 48.8], [2.4, 48.9]]},
            ],
        },
        None,
    )
    donnees["features"][2]["geometry"] = None
    assert verifie("p.geojson", b"\xef\xbb\xbf" + geojson(donnees)).resume.startswith(
        "1 polygone, "
    )


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        (
            "perimetre.geojson",
            b"ceci n'est pas du JSON",
            "Le contenu de « perimetre.geojson » n'est pas du JSON valide",
        ),
        ("perimetre.geojson", b'{"type": "Polygon", "coordinates": NaN}', "pas du JSON valide"),
        ("perimetre.geojson", b"[" * 200_000, "pas du JSON valide"),
        ("perimetre.geojson", b"\xff\xfe{\x00", "n'est pas un texte en UTF-8"),
        (
            "perimetre.json",
            geojson({"nom": "Vallée", "surface": 12}),
            "n'est pas un fichier GeoJSON : il doit décrire une FeatureCollection",
        ),
        ("perimetre.json", geojson([1, 2, 3]), "n'est pas un fichier GeoJSON"),
        (
            "perimetre.json",
            geojson({"type": "FeatureCollection", "features": {"0": 1}}),
            "n'est pas un fichier GeoJSON",
        ),
        (
            "perimetre.json",
            geojson(collection({"type": "Point", "coordinates": [2.0, 48.0]})),
            "ne contient aucun polygone : le périmètre doit être une surface",
        ),
        (
            "perimetre.json",
            geojson({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}),
            "un contour n'est pas fermé",
        ),
        (
            "perimetre.json",
            geojson({"type": "Polygon", "coordinates": [[[0, 0], [1, "a"], [1, 1], [0, 0]]]}),
            "contient une géométrie Polygon mal formée",
        ),
        (
            "perimetre.json",
            geojson({"type": "Polygon", "coordinates": [[[True, 0], [1, 0], [1, 1], [True, 0]]]}),
            "géométrie Polygon mal formée",
        ),
        (
            "perimetre.json",
            geojson({"type": "MultiPolygon", "coordinates": []}),
            "géométrie MultiPolygon mal formée",
        ),
        (
            "lambert93.geojson",
            geojson({"type": "Polygon", "coordinates": carre(351_000, 6_789_000, 1000)}),
            "ne sont pas des longitudes et latitudes en degrés (WGS 84) : exportez le "
            "périmètre en EPSG:4326",
        ),
        (
            "perimetre.geojson",
            b'<html><script>alert(1)</script></html>{"type": "Polygon"}',
            "Ce fichier cache un autre format",
        ),
        ("perimetre.kml", geojson({"type": "Polygon"}), "déposez un fichier GeoJSON"),
        ("perimetre.geojson", b"", "Le fichier est vide."),
    ],
)
def test_un_perimetre_refuse_dit_pourquoi_en_francais(nom, contenu, message):
    assert message in refus(nom, contenu).messages[0]


def test_les_geometry_collections_imbriquees_sans_fin_sont_refusees():
    geometrie = {"type": "Polygon", "coordinates": carre(0, 0)}
    for _ in range(50):
        geometrie = {"type": "GeometryCollection", "geometries": [geometrie]}
    assert (
        "géométrie GeometryCollection mal formée" in refus("p.json", geojson(geometrie)).messages[0]
    )


def test_un_perimetre_de_plus_de_5_mo_est_refuse(settings):
    settings.DOCUMENTS_TAILLE_MAX = 20 * MO
    donnees = collection({"type": "Polygon", "coordinates": carre(2.0, 48.0)})
    donnees["features"][0]["properties"]["remplissage"] = "x" * (5 * MO)
    erreur = refus("lourd.geojson", geojson(donnees))
    assert erreur.code == "trop_gros"
    assert "la taille maximale est de 5 Mo" in erreur.messages[0]


def test_la_limite_du_perimetre_suit_celle_du_portail_quand_elle_est_plus_basse(settings):
    assert texte_aide(Usage.PERIMETRE) == "GeoJSON, 5 Mo au plus"
    settings.DOCUMENTS_TAILLE_MAX = 2 * MO
    assert texte_aide(Usage.PERIMETRE) == "GeoJSON, 2 Mo au plus"
    assert FichierField(usage=Usage.PERIMETRE).widget.attrs["accept"] == ".geojson,.json"
