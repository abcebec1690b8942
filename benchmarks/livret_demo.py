"""The livret de capitalisation of a demonstration atelier, for benchmarks/pdf_pipeline.py: a
deposited version of the portal's real livret (templates/pdf/livrables/livret.html) whose frozen
`contenu` is built here, as a dépôt would freeze it (livrables.selectors.livret), with photos and
images stored as checked uploads. Three sessions held, three inter-ateliers, fifteen actions,
the groupement's four parts; people are fictional."""

import io
import json
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

INTITULE = "Vallée de la Dordogne et Causses du Quercy"
PARAGRAPHE = (
    "Les participants ont confronté les données du diagnostic à leur expérience du territoire : "
    "la distance aux services se mesure en minutes de route, mais elle se vit en fréquence des "
    "bus, en horaires d'ouverture et en démarches à faire en ligne. Les élus des communes "
    "rurales ont rappelé que chaque fermeture de classe ou de commerce pèse sur l'attractivité "
    "des bourgs, tandis que les acteurs économiques ont insisté sur le besoin de foncier "
    "disponible à proximité des axes. "
)
COLLEGES = [
    ("Élus", 9, 7),
    ("Services de l'État", 5, 5),
    ("Opérateurs", 3, 2),
    ("Acteurs socio-économiques", 6, 4),
    ("Associations", 4, 3),
    ("Habitants", 8, 6),
]
THEMES = ["Habitat et sobriété foncière", "Mobilités du quotidien", "Eau et paysages"]
NATURES = ["Entretien", "Analyse documentaire", "Réunion de travail"]
SOURCES = ["État — Fonds vert", "Région", "Département", "EPCI"]


def _texte(paragraphes, sujet):
    return "\n\n".join(f"{sujet}. {PARAGRAPHE * 2}" for _ in range(paragraphes))


def _photo(graine, largeur=900, hauteur=600, format_="JPEG"):
    """A photo-like picture (a sky, a hill, some noise), so that it weighs like a photo."""
    hasard = random.Random(graine)  # noqa: S311 (a picture, not a secret)
    photo = Image.new("RGB", (largeur, hauteur), (120, 170, 220))
    pixels = photo.load()
    for x in range(0, largeur, 3):
        crete = int(hauteur * (0.55 + 0.1 * ((x + graine) % 200) / 200))
        for y in range(crete, hauteur, 3):
            vert = 90 + hasard.randint(0, 60)
            for dx in range(min(3, largeur - x)):
                for dy in range(min(3, hauteur - y)):
                    pixels[x + dx, y + dy] = (60, vert, 50)
    tampon = io.BytesIO()
    photo.save(tampon, format=format_, quality=80)
    return tampon.getvalue()


PERIMETRE = json.dumps(
    {
        "type": "Polygon",
        "coordinates": [
            [[1.05, 44.7], [1.6, 44.75], [2.05, 44.95], [1.75, 45.1], [1.2, 45.05], [1.05, 44.7]]
        ],
    }
).encode()


def _deposer(nom, contenu, *, proprietaire, usage):
    from documents.services import fichier_deposer

    depose = fichier_deposer(
        fichier=SimpleUploadedFile(nom, contenu), par=None, proprietaire=proprietaire, usage=usage
    )
    return str(depose.uuid)


def _actions():
    return [
        {
            "titre": f"Action {n} : {titre}",
            "description": _texte(1, "Ce que l'action change pour le territoire"),
            "axe": f"Axe {1 + n % 3}",
            "theme": THEMES[n % 3],
            "priorite": ["Élevée", "Moyenne", "Basse"][n % 3],
            "porteur": "Communauté de communes Causses et Vallée de la Dordogne",
            "partenaires": ["Département du Lot", "Agence de l'eau Adour-Garonne"],
            "cout": "120 000\u00a0€",
            "calendrier": "janvier 2027 – décembre 2029, moyen terme",
            "indicateurs": ["Logements remis sur le marché", "Surface désimperméabilisée (ha)"],
            "statut": "À engager",
            "financements": [
                {"source": SOURCES[(n + i) % 4], "montant": "30 000\u00a0€"} for i in range(3)
            ],
            "reste": "30 000\u00a0€",
        }
        for n, titre in enumerate(
            [
                "reconquérir les logements vacants des centres-bourgs",
                "un réseau de navettes à la demande",
                "restaurer les zones humides de la vallée",
                "une maison des services dans chaque bassin de vie",
                "réhabiliter les friches artisanales",
                "un schéma des itinéraires cyclables",
                "désimperméabiliser les cours d'école",
                "un observatoire du foncier",
                "accompagner la transmission des exploitations",
                "valoriser les sites touristiques hors saison",
                "un plan de sobriété énergétique des bâtiments publics",
                "covoiturage et aires de mobilité",
                "prévenir le ruissellement sur les causses",
                "un habitat adapté au vieillissement",
                "suivre et évaluer la feuille de route",
            ],
            start=1,
        )
    ]


def version_de_demonstration(atelier):
    """A deposited version of the atelier's livret, its content frozen as a dépôt does; the
    photos and images are stored uploads, named by their uuid."""
    from comptes.models import Utilisateur
    from documents.verification import Usage
    from livrables.carte import carte_du_perimetre
    from livrables.models import Livrable, TypeLivrable, VersionLivrable

    livrable = Livrable.objects.create(atelier=atelier, type=TypeLivrable.LIVRET)
    auteur, _ = Utilisateur.objects.get_or_create(email="banc-livret@exemple.test")
    sessions = []
    for numero, titre in enumerate(
        [
            "Session 1 : diagnostic et enjeux",
            "Session 2 : stratégie",
            "Session 3 : feuille de route",
        ],
        start=1,
    ):
        photos = [
            {
                "uuid": _deposer(
                    f"session-{numero}-{n}.jpg",
                    _photo(numero * 10 + n),
                    proprietaire=livrable,
                    usage=Usage.RESSOURCE,
                ),
                "alt": f"Photo de la session {numero} : les participants en atelier ({n + 1})",
            }
            for n in range(3)
        ]
        sessions.append(
            {
                "numero": numero,
                "titre": titre,
                "date": f"{numero * 4} mars 2027",
                "jours": 2 if numero == 1 else 1,
                "lieu": f"Salle des fêtes, {['Souillac', 'Gramat', 'Martel'][numero - 1]}",
                "synthese": _texte(3, f"Ce que la session {numero} a montré"),
                "enjeux": _texte(2, f"Les enjeux de la session {numero}"),
                "decisions": _texte(1, f"Les décisions de la session {numero}"),
                "propositions": [
                    {
                        "texte": f"Proposition {n} : agir d'abord sur les bourgs-centres.",
                        "theme": THEMES[n % 3],
                        "proposee_par": "Table ronde des élus",
                    }
                    for n in range(1, 7)
                ],
                "colleges": [
                    {"libelle": libelle, "invites": invites, "presents": presents}
                    for libelle, invites, presents in COLLEGES
                ],
                "invites": sum(c[1] for c in COLLEGES),
                "presents": sum(c[2] for c in COLLEGES),
                "photos": photos,
            }
        )
    parties = [
        ("edito", "Éditorial", 3),
        ("temoignages", "Témoignages", 3),
        ("enseignements", "Enseignements", 3),
        ("perspectives", "Perspectives", 3),
    ]
    images = [
        {
            "uuid": _deposer(
                f"{cle}.png",
                _photo(len(cle), 600, 400, "PNG"),
                proprietaire=livrable,
                usage=Usage.IMAGE_LIVRET,
            ),
            "partie": cle,
            "legende": "La vallée de la Dordogne au printemps",
            "alt": "La vallée de la Dordogne vue depuis les causses, au printemps",
        }
        for cle in ("edito", "temoignages")
    ]
    contenu = {
        "parties": [
            {"cle": cle, "titre": titre, "texte": _texte(n, titre), "texte_assemble": ""}
            for cle, titre, n in parties
        ],
        "livret": {
            "territoire": {
                "intitule": INTITULE,
                "reference": atelier.reference,
                "departements": ["Lot (46)"],
                "epcis": ["CC Causses et Vallée de la Dordogne"],
                "communes": "Souillac, Gramat, Martel, Rocamadour",
                "echelle": "Intercommunale",
                "population": 47000,
                "superficie": "1260.4",
                "description": _texte(1, "La vallée et ses causses"),
            },
            "carte": carte_du_perimetre(PERIMETRE, intitule=INTITULE),
            "note": {
                "titre": "Habiter la vallée, préserver les causses",
                "thematiques": THEMES,
                "problematique": _texte(2, "Comment accueillir sans consommer les terres"),
                "enjeux": _texte(2, "Les bourgs, l'eau et l'emploi"),
                "contexte": _texte(1, "Un territoire rural attractif"),
                "objectifs": [
                    {"intitule": f"Objectif {n}", "description": _texte(1, f"Objectif {n}")}
                    for n in range(1, 5)
                ],
                "resultats": _texte(1, "Une feuille de route partagée"),
            },
            "collectivites": ["CC Causses et Vallée de la Dordogne"],
            "service_pilote": "DDT du Lot",
            "groupement": "Groupement 5 — Équipe démo Piémont (fictif)",
            "sessions": sessions,
            "inter_ateliers": [
                {
                    "date": f"{n + 10} avril 2027",
                    "nature": nature,
                    "titre": f"Inter-atelier {n + 1} : rencontre des acteurs",
                    "organisation": "Chambre d'agriculture du Lot",
                    "constats": _texte(2, "Les constats"),
                    "synthese": _texte(1, "La synthèse"),
                }
                for n, nature in enumerate(
                    ["Entretien", "Analyse documentaire", "Réunion de travail"]
                )
            ],
            "actions": _actions(),
            "images": images,
        },
    }
    return VersionLivrable.objects.create(
        livrable=livrable,
        numero=1,
        mode=VersionLivrable.Mode.REDIGE,
        contenu=contenu,
        deposee_par=auteur,
    )
