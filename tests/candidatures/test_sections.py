"""Sections 2, 4 and 5 and the two annexes of the note: saved whole or as drafts, refused with
French messages and nothing lost, their files deposited, kept and protected."""

import html
import importlib
import json
import re

import pytest
from django.apps import apps
from django.contrib.staticfiles import finders
from django.urls import reverse

from ateliers.models import Atelier, Phase
from candidatures.models import (
    DynamiquesAmenagement,
    DynamiquesTerritoire,
    Localisation,
    Objectifs,
    Ressources,
    manquants,
)
from candidatures.parties import PARTIES, PARTIES_PAR_SLUG
from candidatures.selectors import contenu_lisible
from candidatures.services import candidature_ouvrir
from documents.models import FichierDepose
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.documents import fichiers_hostiles as h
from tests.territoires.factories import DepartementFactory, EPCIFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stockage_temporaire")]


@pytest.fixture
def departement():
    return DepartementFactory(code="35", nom="Ille-et-Vilaine")


@pytest.fixture
def epci(departement):
    return EPCIFactory(
        siren="243500139", nom="Vallée de la Vilaine", departement=departement, population=52_300
    )


@pytest.fixture
def atelier(departement, epci):
    collectivite = OrganisationFactory(nom="Vallée de la Vilaine", siren="243500139")
    atelier = AtelierFactory(
        phase=Phase.CANDIDATURE,
        collectivites=[collectivite],
        departements=[departement],
        intitule="Vivre avec la Vilaine",
    )
    atelier.epcis.set([epci])
    return atelier


def url(atelier, slug):
    return reverse("candidatures:partie", args=[atelier.pk, slug])


def texte(response):
    return html.unescape(response.content.decode())


def vide(nom, total=0):
    return {f"{nom}-TOTAL_FORMS": total, f"{nom}-INITIAL_FORMS": 0}


def lignes(nom, rangs):
    data = vide(nom, len(rangs))
    for i, valeurs in enumerate(rangs):
        data.update({f"{nom}-{i}-{k}": v for k, v in valeurs.items()})
    return data


def recharger(modele, candidature):
    return modele.objects.get(candidature=candidature)


def carre(ouest=-1.7, sud=48.0):
    return [[[ouest, sud], [ouest + 0.1, sud], [ouest + 0.1, sud + 0.1], [ouest, sud]]]


def perimetre_geojson():
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {"type": "Polygon", "coordinates": carre()},
                }
            ],
        }
    ).encode()


# Section 2 — la localisation


def localisation(version, departement, epci, **extra):
    return {
        "version": version,
        "echelle": "intercommunale",
        "departements": [departement.pk],
        "epcis": [epci.pk],
        "communes": "",
        "population": "52300",
        "superficie": "412,5",
        "description": "Une vallée agricole entre deux villes moyennes.",
        **extra,
    }


def test_la_localisation_est_preremplie_avec_ce_que_le_portail_sait(candidature, departement, epci):
    section = recharger(Localisation, candidature)
    assert list(section.departements.all()) == [departement]
    assert list(section.epcis.all()) == [epci]
    assert section.population == 52_300
    assert manquants(PARTIES_PAR_SLUG["localisation"], section) == [
        "échelle de réflexion",
        "description du secteur",
    ]


def test_la_population_n_est_pas_devinee_pour_quelques_communes(departement, epci):
    atelier = AtelierFactory(
        phase=Phase.CANDIDATURE, departements=[departement], communes="Redon, Bains-sur-Oust"
    )
    atelier.epcis.set([epci])
    section = candidature_ouvrir(atelier=atelier).localisation
    assert (section.population, section.communes) == (None, "Redon, Bains-sur-Oust")


def test_la_localisation_complete_est_enregistree(
    client, atelier, candidature, redacteur, departement, epci
):
    response = client.post(url(atelier, "localisation"), localisation(0, departement, epci))
    assert response.status_code == 302
    section = recharger(Localisation, candidature)
    assert section.echelle == Localisation.Echelle.INTERCOMMUNALE
    assert str(section.superficie) == "412.50"
    assert manquants(PARTIES_PAR_SLUG["localisation"], section) == []
    lisible = contenu_lisible(PARTIES_PAR_SLUG["localisation"], section)
    assert {"libelle": "Superficie du périmètre (km²)", "valeur": "412,5"} in lisible
    assert {"libelle": "Échelle de réflexion", "valeur": "Intercommunale"} in lisible
    libelles = [element["libelle"] for element in lisible]
    assert "Intercommunalités (EPCI) concernées" in libelles
    assert "Périmètre (fichier GeoJSON)" in libelles


def test_un_brouillon_de_localisation_garde_ce_qui_manque(
    client, atelier, candidature, redacteur, departement, epci
):
    data = localisation(0, departement, epci, echelle="", description="", departements=[])
    data["epcis"] = []
    assert client.post(url(atelier, "localisation"), data).status_code == 302
    section = recharger(Localisation, candidature)
    assert section.version == 1
    assert manquants(PARTIES_PAR_SLUG["localisation"], section) == [
        "échelle de réflexion",
        "départements",
        "description du secteur",
    ]
    page = texte(client.get(url(atelier, "localisation")))
    assert "3 champs manquants" in page
    assert "Échelle de réflexion" in page and "Échelle de réflexion (facultatif)" not in page
    assert "Communes concernées (facultatif)" in page
    assert 'value="---------"' not in page and 'value=""' not in page.split("id_echelle")[1][:400]


@pytest.mark.parametrize(
    ("champ", "valeur", "message"),
    [
        ("echelle", "galactique", "Sélectionnez un choix valide. galactique n’en fait pas partie."),
        ("population", "-3", "supérieure ou égale à 0"),
        ("population", "beaucoup", "Saisissez un nombre entier."),
        ("population", "80000000", "La population ne peut dépasser 70 000 000 habitants."),
        (
            "superficie",
            "12,345",
            "Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule.",
        ),
        ("superficie", "-4", "La superficie ne peut pas être négative."),
        ("superficie", "NaN", "Saisissez un nombre."),
        ("description", "é" * 5001, "au plus 5000 caractères"),
        ("communes", "x" * 3001, "au plus 3000 caractères"),
    ],
)
def test_une_valeur_invalide_de_localisation_est_nommee_et_rien_n_est_perdu(
    client, atelier, candidature, redacteur, departement, epci, champ, valeur, message
):
    data = {**localisation(0, departement, epci, communes="Redon"), champ: valeur}
    response = client.post(url(atelier, "localisation"), data)
    assert response.status_code == 400
    page = texte(response).replace("\u202f", "").replace("\xa0", " ")
    assert "Le formulaire contient 1 erreur" in page
    assert message in page
    if champ != "population":
        assert 'value="52300"' in page
    if champ not in ("communes", "description"):
        assert "Redon" in page and "Une vallée agricole entre deux villes moyennes." in page
    if champ != "echelle":
        assert valeur in page
    assert recharger(Localisation, candidature).version == 0


def test_une_intercommunalite_hors_des_departements_choisis_est_refusee(
    client, atelier, candidature, redacteur, departement, epci
):
    ailleurs = EPCIFactory(nom="Communauté lointaine", departement=DepartementFactory(code="13"))
    data = localisation(0, departement, epci, epcis=[epci.pk, ailleurs.pk])
    response = client.post(url(atelier, "localisation"), data)
    assert response.status_code == 400
    assert f"« {ailleurs.pk} » n'est pas une intercommunalité des départements choisis." in texte(
        response
    )


def test_la_liste_des_epci_ne_propose_que_ceux_des_departements(
    client, atelier, candidature, redacteur, epci
):
    ailleurs = EPCIFactory(nom="Communauté lointaine", departement=DepartementFactory(code="13"))
    page = texte(client.get(url(atelier, "localisation")))
    assert epci.nom in page and ailleurs.nom not in page
    assert 'hx-get="/candidatures/epci/"' in page or reverse("candidatures:epci_options") in page


def test_un_perimetre_depose_est_dessine_et_resume(
    client, atelier, candidature, redacteur, departement, epci
):
    data = localisation(0, departement, epci)
    data["perimetre"] = h.televerse("perimetre.geojson", perimetre_geojson())
    assert client.post(url(atelier, "localisation"), data).status_code == 302
    section = recharger(Localisation, candidature)
    fichier = section.perimetre
    assert fichier.proprietaire == candidature
    assert fichier.type_contenu == "application/geo+json"
    assert section.perimetre_resume.startswith("1 polygone, emprise de 1,700°\xa0O")

    page = client.get(url(atelier, "localisation"))
    contenu = texte(page)
    adresse = reverse("documents:fichier", args=[fichier.uuid])
    assert f'data-perimetre-url="{adresse}"' in contenu
    assert "Périmètre : 1 polygone, emprise de 1,700°\xa0O à 1,600°\xa0O en longitude" in contenu
    assert (
        'aria-hidden="true"'
        in contenu.split("data-perimetre-url")[0][-120:]
        + contenu.split("data-perimetre-url")[1][:200]
    )
    assert "vendor/leaflet/leaflet.js" in contenu and "js/perimetre.js" in contenu
    assert "vendor/leaflet/leaflet.css" in contenu
    assert "perimetre.geojson" in contenu and "Retirer ce fichier" in contenu
    # No inline script or style: the CSP allows only this site's files.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", contenu)
    assert " style=" not in contenu and "<style" not in contenu

    telechargement = client.get(adresse)
    assert telechargement.status_code == 200
    assert json.loads(b"".join(telechargement.streaming_content))["type"] == "FeatureCollection"


def test_le_perimetre_est_garde_par_l_enregistrement_automatique_puis_retire(
    client, atelier, candidature, redacteur, departement, epci
):
    data = localisation(0, departement, epci)
    data["perimetre"] = h.televerse("perimetre.geojson", perimetre_geojson())
    client.post(url(atelier, "localisation"), data)
    fichier = recharger(Localisation, candidature).perimetre
    sans_fichier = localisation(1, departement, epci, description="Autre description")
    response = client.post(
        url(atelier, "localisation"), sans_fichier, headers={"HX-Request": "true"}
    )
    assert "Enregistré à" in response.text
    section = recharger(Localisation, candidature)
    assert (section.perimetre, section.description) == (fichier, "Autre description")
    retrait = localisation(2, departement, epci, retirer_perimetre="on")
    assert client.post(url(atelier, "localisation"), retrait).status_code == 302
    section = recharger(Localisation, candidature)
    assert (section.perimetre, section.perimetre_resume) == (None, "")
    page = texte(client.get(url(atelier, "localisation")))
    assert "data-perimetre-url" not in page and "leaflet" not in page
    # The withdrawn file is no longer served: its bytes go with the nightly clean-up.
    assert FichierDepose.objects.get(pk=fichier.pk).retire_le is not None
    assert client.get(reverse("documents:fichier", args=[fichier.uuid])).status_code == 404


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        ("perimetre.geojson", b"pas du json", "n'est pas du JSON valide"),
        ("perimetre.json", '{"nom": "Vallée"}'.encode(), "n'est pas un fichier GeoJSON"),
        ("perimetre.pdf", h.pdf_une_page(), "déposez un fichier GeoJSON"),
    ],
)
def test_un_perimetre_refuse_ne_change_rien(
    client, atelier, candidature, redacteur, departement, epci, nom, contenu, message
):
    data = localisation(0, departement, epci, description="Texte gardé")
    data["perimetre"] = h.televerse(nom, contenu)
    response = client.post(url(atelier, "localisation"), data)
    assert response.status_code == 400
    page = texte(response)
    assert message in page and "Texte gardé" in page
    assert not FichierDepose.objects.exists()
    assert recharger(Localisation, candidature).version == 0


def test_leaflet_est_servi_par_le_portail_avec_sa_licence():
    for chemin in (
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet/LICENSE",
        "vendor/leaflet/images/marker-icon.png",
        "js/perimetre.js",
        "css/perimetre.css",
    ):
        assert finders.find(chemin), chemin
    with open(finders.find("js/perimetre.js"), encoding="utf-8") as script:
        source = script.read()
    assert "tileLayer" not in source and "fitBounds" in source


# Section 4 — les objectifs


def objectifs(version, rangs, **extra):
    return {
        "version": version,
        "resultats": "Une feuille de route partagée.",
        "questions": "Comment concilier habitat et champ d'expansion des crues ?",
        "liens_demarches": "",
        **lignes("objectifs", rangs),
        **extra,
    }


def test_les_objectifs_sont_enregistres_dans_leur_ordre(client, atelier, candidature, redacteur):
    rangs = [
        {"intitule": "Partager un diagnostic", "description": "Avec les habitants."},
        {"intitule": "Construire une stratégie", "description": ""},
    ]
    assert client.post(url(atelier, "objectifs"), objectifs(0, rangs)).status_code == 302
    section = recharger(Objectifs, candidature)
    assert section.objectifs == [
        {"intitule": "Partager un diagnostic", "description": "Avec les habitants."},
        {"intitule": "Construire une stratégie", "description": ""},
    ]
    assert manquants(PARTIES_PAR_SLUG["objectifs"], section) == []


def test_des_objectifs_sans_ligne_sont_un_brouillon_incomplet(
    client, atelier, candidature, redacteur
):
    data = objectifs(0, [{"intitule": "", "description": "Une précision sans intitulé"}])
    data["questions"] = ""
    assert client.post(url(atelier, "objectifs"), data).status_code == 302
    section = recharger(Objectifs, candidature)
    assert manquants(PARTIES_PAR_SLUG["objectifs"], section) == [
        "questions posées à l'équipe",
        "Objectifs de l'atelier, ligne 1 : objectif",
    ]
    assert manquants(PARTIES_PAR_SLUG["objectifs"], Objectifs()) == [
        "objectifs de l'atelier",
        "résultats attendus",
        "questions posées à l'équipe",
    ]


def test_un_objectif_trop_long_est_refuse_et_garde(client, atelier, candidature, redacteur):
    data = objectifs(0, [{"intitule": "o" * 201, "description": "d"}])
    response = client.post(url(atelier, "objectifs"), data)
    assert response.status_code == 400
    page = texte(response)
    assert "Objectifs de l'atelier, ligne 1, objectif : Assurez-vous que cette valeur" in page
    assert "au plus 200 caractères (actuellement 201)" in page
    assert "o" * 201 in page
    assert recharger(Objectifs, candidature).version == 0


# Section 5 — les ressources


def ressources(version, acteurs=(), documents=(), **extra):
    return {
        "version": version,
        "moyens": "La salle du conseil communautaire et un traiteur local.",
        "calendrier": "",
        **lignes("acteurs", acteurs),
        **lignes("documents", documents),
        **extra,
    }


ACTEUR = {"nom": "Conseil de développement", "type": "association", "role": "Participer"}


def document(**champs):
    return {
        "titre": "Diagnostic agricole",
        "type": "diagnostic",
        "date": "2024-03-15",
        "fichier_actuel": "",
        "lien": "",
        **champs,
    }


def deposer_une_ressource(client, atelier):
    data = ressources(
        0,
        [ACTEUR],
        [
            document(fichier=h.televerse("diagnostic.pdf", h.pdf_une_page())),
            document(
                titre="Atlas des paysages", type="cartographie", lien="https://exemple.fr/atlas"
            ),
        ],
    )
    return client.post(url(atelier, "ressources"), data)


def test_une_ressource_deposee_et_une_ressource_en_ligne(client, atelier, candidature, redacteur):
    assert deposer_une_ressource(client, atelier).status_code == 302
    section = recharger(Ressources, candidature)
    fichier = FichierDepose.objects.get()
    assert fichier.proprietaire == candidature
    assert fichier.nom_original == "diagnostic.pdf"
    assert section.documents == [
        {
            "titre": "Diagnostic agricole",
            "type": "diagnostic",
            "date": "2024-03-15",
            "fichier": str(fichier.uuid),
            "lien": "",
        },
        {
            "titre": "Atlas des paysages",
            "type": "cartographie",
            "date": "2024-03-15",
            "fichier": "",
            "lien": "https://exemple.fr/atlas",
        },
    ]
    assert manquants(PARTIES_PAR_SLUG["ressources"], section) == []
    page = texte(client.get(url(atelier, "ressources")))
    assert reverse("documents:fichier", args=[fichier.uuid]) in page
    assert "diagnostic.pdf" in page and "PDF –" in page
    assert f'value="{fichier.uuid}"' in page
    assert "l'enregistrement automatique n'envoie pas les fichiers" in page
    lisible = contenu_lisible(PARTIES_PAR_SLUG["ressources"], section)
    docs = next(e for e in lisible if e["libelle"] == "Ressources documentaires")
    assert ("Fichier", f"diagnostic.pdf – PDF – {fichier.taille}\xa0octets") in docs["lignes"][0]
    assert ("Date", "15 mars 2024") in docs["lignes"][0]
    assert ("Type de document", "Cartographie") in docs["lignes"][1]


def test_le_fichier_d_une_ligne_est_garde_aux_enregistrements_suivants(
    client, atelier, candidature, redacteur
):
    deposer_une_ressource(client, atelier)
    uuid = recharger(Ressources, candidature).documents[0]["fichier"]
    # Autosave sends no file, only the hidden field naming the one deposited.
    data = ressources(
        1,
        [ACTEUR],
        [
            document(titre="Diagnostic agricole 2024", fichier_actuel=uuid),
            document(lien="https://a.fr"),
        ],
    )
    response = client.post(url(atelier, "ressources"), data, headers={"HX-Request": "true"})
    assert "Enregistré à" in response.text
    section = recharger(Ressources, candidature)
    assert section.documents[0]["titre"] == "Diagnostic agricole 2024"
    assert section.documents[0]["fichier"] == uuid
    # A later manual save with a new file replaces it.
    remplacement = ressources(
        2,
        [ACTEUR],
        [document(fichier_actuel=uuid, fichier=h.televerse("nouveau.odt", h.odt()))],
    )
    assert client.post(url(atelier, "ressources"), remplacement).status_code == 302
    nouveau = FichierDepose.objects.get(nom_original="nouveau.odt")
    assert recharger(Ressources, candidature).documents[0]["fichier"] == str(nouveau.uuid)
    assert client.get(reverse("documents:fichier", args=[uuid])).status_code == 404
    reponse = client.get(reverse("documents:fichier", args=[nouveau.uuid]))
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content).startswith(b"PK")


def test_un_fichier_d_une_autre_candidature_n_est_jamais_repris(
    client, atelier, candidature, redacteur
):
    autre_atelier = AtelierFactory(phase=Phase.CANDIDATURE)
    autre = candidature_ouvrir(atelier=autre_atelier)
    etranger = FichierDepose.objects.create(
        nom_original="secret.pdf",
        extension=".pdf",
        taille=10,
        type_contenu="application/pdf",
        sha256="0" * 64,
        proprietaire=autre,
    )
    data = ressources(0, [ACTEUR], [document(fichier_actuel=str(etranger.uuid))])
    assert client.post(url(atelier, "ressources"), data).status_code == 302
    assert recharger(Ressources, candidature).documents[0]["fichier"] == ""
    page = texte(client.get(url(atelier, "ressources")))
    assert "secret.pdf" not in page and str(etranger.uuid) not in page


@pytest.mark.parametrize(
    ("ligne", "message"),
    [
        (
            document(date="31/02/2024"),
            "Ressources documentaires, ligne 1, date : Saisissez une date valide.",
        ),
        (document(date="demain"), "Saisissez une date valide."),
        (
            document(lien="pas une adresse"),
            "Ressources documentaires, ligne 1, lien : Saisissez une URL valide.",
        ),
        (document(lien="javascript:alert(1)"), "Saisissez une URL valide."),
        (document(type="roman"), "Sélectionnez un choix valide. roman n’en fait pas partie."),
        (document(titre="t" * 301), "au plus 300 caractères (actuellement 301)"),
        (
            document(fichier=h.televerse("diagnostic.pdf", h.page_html())),
            "Le contenu de « diagnostic.pdf » n'est pas un PDF.",
        ),
    ],
)
def test_une_ressource_invalide_est_nommee_et_rien_n_est_perdu(
    client, atelier, candidature, redacteur, ligne, message
):
    response = client.post(url(atelier, "ressources"), ressources(0, [ACTEUR], [ligne]))
    assert response.status_code == 400
    page = texte(response)
    assert "Le formulaire contient 1 erreur" in page
    assert message in page
    assert "Conseil de développement" in page
    for champ in ("titre", "date", "lien"):
        assert (
            f'value="{html.escape(ligne[champ], quote=True)}"' in response.content.decode()
            or not ligne[champ]
        )
    assert recharger(Ressources, candidature).version == 0
    assert not FichierDepose.objects.exists()


def test_une_ressource_sans_fichier_ni_lien_est_incomplete(client, atelier, candidature, redacteur):
    data = ressources(0, [{"nom": "Chambre d'agriculture", "type": "", "role": ""}], [document()])
    assert client.post(url(atelier, "ressources"), data).status_code == 302
    assert manquants(PARTIES_PAR_SLUG["ressources"], recharger(Ressources, candidature)) == [
        "Acteurs à mobiliser, ligne 1 : type d'acteur",
        "Ressources documentaires, ligne 1 : fichier ou lien",
    ]


@pytest.mark.parametrize(
    ("qui", "statut"),
    [
        ("porteur", 200),
        ("pilote", 200),
        ("dgaln", 200),
        ("autre_collectivite", 404),
        ("groupement", 404),
    ],
)
def test_le_telechargement_d_une_ressource_suit_la_candidature(
    client, atelier, candidature, redacteur, qui, statut
):
    deposer_une_ressource(client, atelier)
    fichier = FichierDepose.objects.get()
    if qui == "pilote":
        user = UtilisateurFactory(organisations=[atelier.service_pilote])
    elif qui == "dgaln":
        user = membre(dgaln=True)
    elif qui == "autre_collectivite":
        user = membre()
    elif qui == "groupement":
        groupement = OrganisationFactory(groupement=True)
        Atelier.objects.filter(pk=atelier.pk).update(groupement=groupement)
        user = UtilisateurFactory(organisations=[groupement])
    else:
        user = redacteur
    client.force_login(user)
    response = client.get(reverse("documents:fichier", args=[fichier.uuid]))
    assert response.status_code == statut
    if statut == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_la_page_des_ressources_a_un_nombre_de_requetes_fixe(
    client, atelier, candidature, redacteur, django_assert_num_queries
):
    def compter():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as requetes:
            assert client.get(url(atelier, "ressources")).status_code == 200
        return len(requetes)

    deposer_une_ressource(client, atelier)
    une = compter()
    uuid = recharger(Ressources, candidature).documents[0]["fichier"]
    rangs = [document(fichier_actuel=uuid)] + [
        document(fichier=h.televerse(f"d{n}.pdf", h.pdf_une_page())) for n in range(8)
    ]
    assert (
        client.post(url(atelier, "ressources"), ressources(1, [ACTEUR] * 5, rangs)).status_code
        == 302
    )
    assert FichierDepose.objects.count() == 9
    assert compter() == une


# Annexe 1 — les dynamiques du territoire


TEXTES_ANNEXE_1 = {
    "demographie": "Une population qui vieillit.",
    "economie": "Agriculture et industrie agroalimentaire.",
    "habitat": "Beaucoup de logements vacants en centre-bourg.",
    "mobilites": "Une voie ferrée peu desservie.",
    "environnement": "Bocage et zones humides.",
    "risques": "",
    "ressources_naturelles": "",
}


def test_l_annexe_1_complete_puis_en_brouillon(client, atelier, candidature, redacteur):
    partie = PARTIES_PAR_SLUG["dynamiques-territoire"]
    data = {"version": 0, **TEXTES_ANNEXE_1}
    assert client.post(url(atelier, partie.slug), data).status_code == 302
    assert manquants(partie, recharger(DynamiquesTerritoire, candidature)) == []
    brouillon = {**data, "version": 1, "habitat": "", "mobilites": "  "}
    assert client.post(url(atelier, partie.slug), brouillon).status_code == 302
    assert manquants(partie, recharger(DynamiquesTerritoire, candidature)) == [
        "habitat et logement",
        "mobilités",
    ]
    page = texte(client.get(url(atelier, partie.slug)))
    assert "Risques (facultatif)" in page and "Démographie (facultatif)" not in page


def test_un_texte_trop_long_de_l_annexe_1_est_refuse_et_garde(
    client, atelier, candidature, redacteur
):
    data = {"version": 0, **TEXTES_ANNEXE_1, "risques": "<b>\u2028r</b>" * 1000}
    response = client.post(url(atelier, "dynamiques-territoire"), data)
    assert response.status_code == 400
    assert "au plus 5000 caractères (actuellement 9000)" in texte(response).replace("\u202f", "")
    assert html.escape("<b>\u2028r</b>" * 1000, quote=False) in response.content.decode()
    assert recharger(DynamiquesTerritoire, candidature).version == 0


# Annexe 2 — les dynamiques d'aménagement


def amenagement(version, rangs, **extra):
    return {
        "version": version,
        "projets": "Une ZAC à l'entrée de ville.",
        "contrats": "",
        "ingenierie": "",
        **lignes("documents_planification", rangs),
        **extra,
    }


PLUI = {
    "type": "plui",
    "intitule": "PLUi de la Vallée",
    "etat": "en_elaboration",
    "date": "2023-06-01",
}


def test_l_annexe_2_avec_ses_documents_de_planification(client, atelier, candidature, redacteur):
    partie = PARTIES_PAR_SLUG["dynamiques-amenagement"]
    rangs = [PLUI, {"type": "scot", "intitule": "", "etat": "en_vigueur", "date": ""}]
    assert client.post(url(atelier, partie.slug), amenagement(0, rangs)).status_code == 302
    section = recharger(DynamiquesAmenagement, candidature)
    assert section.documents_planification[1] == {
        "type": "scot",
        "intitule": "",
        "etat": "en_vigueur",
        "date": None,
    }
    assert manquants(partie, section) == []
    lisible = contenu_lisible(partie, section)
    docs = next(e for e in lisible if e["libelle"] == "Documents de planification")
    assert docs["lignes"][0] == [
        ("Document", "PLUi"),
        ("Intitulé", "PLUi de la Vallée"),
        ("État", "En élaboration"),
        ("Date d'approbation ou de prescription", "1er juin 2023"),
    ]
    page = texte(client.get(url(atelier, partie.slug)))
    assert "ORT" in page and "PVD" in page and "ACV" in page and "CRTE" in page


def test_l_annexe_2_sans_document_est_incomplete(client, atelier, candidature, redacteur):
    partie = PARTIES_PAR_SLUG["dynamiques-amenagement"]
    data = amenagement(0, [{"type": "plu", "intitule": "", "etat": "", "date": ""}], projets="")
    assert client.post(url(atelier, partie.slug), data).status_code == 302
    assert manquants(partie, recharger(DynamiquesAmenagement, candidature)) == [
        "projets d'aménagement en cours",
        "Documents de planification, ligne 1 : état",
    ]


@pytest.mark.parametrize(
    ("ligne", "message"),
    [
        (
            {**PLUI, "date": "2023-13-45"},
            "Documents de planification, ligne 1, date d'approbation ou de prescription : "
            "Saisissez une date valide.",
        ),
        ({**PLUI, "type": "PLUi"}, "Sélectionnez un choix valide. PLUi n’en fait pas partie."),
        ({**PLUI, "etat": "abrogé"}, "Sélectionnez un choix valide. abrogé n’en fait pas partie."),
    ],
)
def test_un_document_de_planification_invalide_est_nomme(
    client, atelier, candidature, redacteur, ligne, message
):
    response = client.post(url(atelier, "dynamiques-amenagement"), amenagement(0, [ligne]))
    assert response.status_code == 400
    page = texte(response)
    assert message in page
    assert "PLUi de la Vallée" in page and "Une ZAC à l'entrée de ville." in page
    assert recharger(DynamiquesAmenagement, candidature).version == 0


# The whole note


def test_le_menu_suit_l_ordre_de_la_note(client, atelier, candidature, redacteur):
    page = texte(client.get(url(atelier, "objectifs"))).split('id="menu-note-titre"')[1]
    titres = [p.titre for p in PARTIES]
    assert titres == [
        "Section 1 — Les porteurs",
        "Section 2 — La localisation",
        "Section 3 — L'objet",
        "Section 4 — Les objectifs",
        "Section 5 — Les ressources",
        "Annexe 1 — Les dynamiques du territoire",
        "Annexe 2 — Les dynamiques d'aménagement",
    ]
    positions = [page.index(t) for t in titres]
    assert positions == sorted(positions)
    for partie in PARTIES:
        assert client.get(url(atelier, partie.slug)).status_code == 200


def test_la_migration_cree_les_parties_des_candidatures_deja_ouvertes(candidature):
    for modele in (
        Localisation,
        Objectifs,
        Ressources,
        DynamiquesTerritoire,
        DynamiquesAmenagement,
    ):
        modele.objects.filter(candidature=candidature).delete()
    migration = importlib.import_module("candidatures.migrations.0007_parties_de_la_note")
    migration.creer_les_parties_manquantes(apps, None)
    migration.creer_les_parties_manquantes(apps, None)
    for modele in (
        Localisation,
        Objectifs,
        Ressources,
        DynamiquesTerritoire,
        DynamiquesAmenagement,
    ):
        assert modele.objects.filter(candidature=candidature).count() == 1


def test_l_enregistrement_automatique_d_une_date_invalide_le_dit(
    client, atelier, candidature, redacteur
):
    data = ressources(0, [ACTEUR], [document(date="32/13/2024")])
    response = client.post(url(atelier, "ressources"), data, headers={"HX-Request": "true"})
    assert "Non enregistré : un champ est à corriger" in html.unescape(response.text)
    assert recharger(Ressources, candidature).version == 0
