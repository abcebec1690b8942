"""An atelier built as the demo's are, for its livret: a deposited note with its perimeter, three
sessions held with their validated comptes-rendus, photos and participants, inter-ateliers, a
feuille de route of fifteen actions, the groupement's texts and images. People are fictional."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from ateliers.models import CompteRendu, InterAtelier, Participant, Proposition, Session
from documents.services import fichier_deposer
from documents.verification import Usage
from livrables.models import Action, TypeLivrable
from livrables.selectors import livrable_de
from livrables.services.livret import livret_image_deposer, livret_partie_ecrire
from marches.demo.outils import photo_demo
from tests.ateliers.sessions.factories import SessionFactory
from tests.candidatures.factories import CandidatureFactory
from tests.livrables.feuille_route_aide import brouillon

INTITULE = "Vallée du Lot : habiter avec la rivière"

PARAGRAPHE = (
    "Les participants ont confronté les données du diagnostic à leur expérience du territoire : "
    "la distance aux services se mesure en minutes de route, mais elle se vit en fréquence des "
    "bus, en horaires d'ouverture et en démarches à faire en ligne. Les élus des communes "
    "rurales ont rappelé que chaque fermeture de classe ou de commerce pèse sur l'attractivité "
    "des bourgs, tandis que les acteurs économiques ont insisté sur le besoin de foncier "
    "disponible à proximité des axes. "
)


def texte(paragraphes: int, sujet: str) -> str:
    return "\n\n".join(f"{sujet}. {PARAGRAPHE * 2}" for _ in range(paragraphes))


def perimetre() -> bytes:
    """Two polygons around the Lot valley, the second with a hole."""
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [[1.2, 44.3], [1.9, 44.35], [2.1, 44.6], [1.5, 44.7], [1.2, 44.3]]
                        ],
                    },
                },
                {
                    "type": "Feature",
                    "properties": {},
                    "geometry": {
                        "type": "Polygon",
                        "coordinates": [
                            [[2.1, 44.4], [2.5, 44.4], [2.5, 44.7], [2.1, 44.7], [2.1, 44.4]],
                            [[2.2, 44.5], [2.3, 44.5], [2.3, 44.6], [2.2, 44.6], [2.2, 44.5]],
                        ],
                    },
                },
            ],
        }
    ).encode()


def _note(atelier, par):
    candidature = CandidatureFactory(atelier=atelier, statut="deposee")
    fichier = fichier_deposer(
        fichier=SimpleUploadedFile("perimetre.geojson", perimetre()),
        par=par,
        proprietaire=candidature,
        usage=Usage.PERIMETRE,
    )
    version = candidature.versions.get()
    version.contenu = {
        "titre": atelier.intitule,
        "parties": [
            {
                "slug": "objet",
                "valeurs": {
                    "titre": "Habiter avec la rivière, de Cahors à Figeac",
                    "problematique": texte(2, "Comment habiter une vallée qui déborde"),
                    "enjeux": texte(2, "Les crues, le logement et l'emploi"),
                    "contexte": texte(1, "Le Lot et ses affluents"),
                },
            },
            {
                "slug": "localisation",
                "valeurs": {
                    "echelle": "intercommunale",
                    "communes": "Cahors, Figeac, Capdenac, Saint-Cirq-Lapopie",
                    "population": 98000,
                    "superficie": "1845.5",
                    "description": texte(1, "La vallée du Lot entre causses et Ségala"),
                    "perimetre": fichier.pk,
                },
            },
            {
                "slug": "objectifs",
                "valeurs": {
                    "objectifs": [
                        {"intitule": f"Objectif {n}", "description": texte(1, f"Objectif {n}")}
                        for n in range(1, 5)
                    ],
                    "resultats": texte(1, "Une feuille de route partagée"),
                },
            },
        ],
    }
    version.save(update_fields=["contenu"])


COLLEGES = list(Participant.College)


def _session(atelier, numero, groupement):
    session = SessionFactory(
        atelier=atelier,
        numero=numero,
        statut=Session.Statut.COMPTE_RENDU_VALIDE,
        lieu=f"Salle des fêtes n° {numero}",
        commune=["Cahors", "Figeac", "Capdenac"][numero - 1],
    )
    for n in range(24):
        Participant.objects.create(
            session=session,
            prenom="Camille",
            nom=f"Participant {numero}-{n}",
            courriel=f"p{numero}-{n}@exemple.test",
            college=COLLEGES[n % len(COLLEGES)],
            presence=Participant.Presence.PRESENT if n % 4 else Participant.Presence.ABSENT,
        )
    compte_rendu = CompteRendu.objects.create(
        session=session,
        synthese=texte(3, f"Ce que la session {numero} a montré"),
        enjeux=texte(2, f"Les enjeux de la session {numero}"),
        decisions=texte(1, f"Les décisions de la session {numero}"),
        prochaines_etapes=texte(1, "La suite"),
    )
    for ordre in range(1, 7):
        Proposition.objects.create(
            compte_rendu=compte_rendu,
            ordre=ordre,
            texte=f"Proposition {ordre} de la session {numero} : agir sur les bourgs.",
            theme="Habitat",
            proposee_par="Table ronde des élus",
        )
    for n in range(3):
        fichier_deposer(
            fichier=SimpleUploadedFile(
                f"session-{numero}-photo-{n}.jpg", photo_demo(numero * 10 + n)
            ),
            par=groupement,
            proprietaire=compte_rendu,
            usage=Usage.RESSOURCE,
        )
    return session


def atelier_pour_le_livret(liv):
    """The `liv` atelier (tests/livrables/conftest.py) filled as the demo's, its livret written
    by the groupement; returns the livret (its row)."""
    atelier = liv.atelier
    atelier.intitule = INTITULE
    atelier.communes = "Cahors, Figeac, Capdenac"
    atelier.save(update_fields=["intitule", "communes"])
    _note(atelier, liv.groupement)
    sessions = [_session(atelier, n, liv.groupement) for n in (1, 2, 3)]
    for n, nature in enumerate(InterAtelier.Nature):
        InterAtelier.objects.create(
            atelier=atelier,
            nature=nature,
            date=sessions[n].date,
            titre=f"Inter-atelier {n + 1} : rencontre des acteurs",
            organisation="Chambre d'agriculture",
            constats=texte(2, "Les constats"),
            synthese=texte(1, "La synthèse"),
            auteur=liv.groupement,
        )
    feuille = brouillon(atelier, nombre=15, axes=3)
    Action.objects.filter(livrable=feuille).update(
        description=f"Ce que l'action change pour le territoire. {PARAGRAPHE}"
    )
    livrable = livrable_de(atelier, TypeLivrable.LIVRET)
    for cle, paragraphes in [
        ("edito", 3),
        ("temoignages", 3),
        ("enseignements", 4),
        ("perspectives", 3),
    ]:
        livret_partie_ecrire(
            livrable=livrable, par=liv.groupement, cle=cle, texte=texte(paragraphes, cle.title())
        )
    livrable = livrable_de(atelier, TypeLivrable.LIVRET)
    for cle in ("edito", "temoignages"):
        livret_image_deposer(
            livrable=livrable,
            par=liv.groupement,
            fichier=SimpleUploadedFile(f"{cle}.png", photo_demo(len(cle), 600, 400, format_="PNG")),
            partie=cle,
            texte_alternatif=f"Un paysage de la vallée du Lot ({cle})",
            legende="La vallée du Lot au printemps",
        )
    return livrable
