"""The demo ateliers (manage.py charger_demo first, for the accounts), opened and taken
through the steps the candidature owns: a pré-candidature, DGALN's confirmation, a complete note
with its three letters and a real dépôt, DGALN's decision. An atelier whose plan goes further
stops there, eligible: the next step is the marché's (manage.py charger_demo_marches). People
are fictional."""

import io
import json

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from ateliers.management.commands.charger_demo import ATELIERS, etaler_dans_le_temps
from ateliers.models import Atelier
from candidatures.models import PARTIES, Candidature, Courrier, Thematique
from candidatures.services import (
    candidature_decider,
    candidature_deposer,
    courrier_deposer,
    partie_enregistrer,
    precandidature_confirmer,
    precandidature_ouvrir,
)
from comptes.models import Organisation, Utilisateur
from territoires.models import EPCI

# The steps of a demo plan that the candidature owns, in their order; the steps after them
# belong to later stages, whose own demo commands take them.
ETAPES_DES_CANDIDATURES = ("confirmer_opportunite", "deposer", "declarer_eligible")

# The note of the atelier under review, written as its porteurs would (values by part slug).
# What each porteur row adds to the name and SIREN the note pre-fills.
PORTEUR = {
    "elu": "Le vice-président chargé de l'aménagement",
    "referent": "Yann Le Floch",
    "referent_fonction": "Directeur de l'aménagement",
    "referent_courriel": "amenagement@demo.atelier-local.test",
    "referent_telephone": "",
}

NOTE_EN_INSTRUCTION = {
    "porteurs": {
        "referent_etat": "Sophie Bernier",
        "referent_etat_fonction": "Chargée de mission planification",
        "referent_etat_courriel": "dreal@demo.atelier-local.test",
    },
    "localisation": {
        "echelle": "intercommunale",
        "description": "Les 25 communes de l'agglomération, de la rade de Lorient aux "
        "plages de Guidel et Ploemeur, où dunes et falaises reculent.",
    },
    "objet": {
        "problematique": "Comment adapter l'aménagement d'un littoral habité au recul du "
        "trait de côte, sans renoncer à la vie des bourgs ?",
        "enjeux": "Relocalisation des activités exposées, devenir des campings et des "
        "routes littorales, partage du foncier rétro-littoral.",
    },
    "objectifs": {
        "objectifs": [
            {"intitule": "Une stratégie locale de gestion du trait de côte", "description": ""}
        ],
        "resultats": "Une feuille de route partagée, des sites pilotes de recomposition.",
        "questions": "Où et quand relocaliser ? Avec quels outils fonciers ?",
    },
    "ressources": {
        "acteurs": [{"nom": "Conservatoire du littoral", "type": "institution", "role": "Foncier"}],
        "documents": [
            {
                "titre": "Cartographie de l'érosion (Cerema)",
                "type": "cartographie",
                "date": "2024-06-01",
                "lien": "https://www.cerema.fr/",
            }
        ],
        "moyens": "Salles municipales et restauration prises en charge par l'agglomération.",
    },
    "dynamiques-territoire": {
        "demographie": "Une population stable, vieillissante sur le littoral.",
        "economie": "Port, défense, tourisme balnéaire.",
        "habitat": "Forte part de résidences secondaires sur la côte.",
        "mobilites": "Routes littorales exposées à la submersion.",
        "environnement": "Dunes, zones humides, sites Natura 2000.",
    },
    "dynamiques-amenagement": {
        "documents_planification": [{"type": "scot", "etat": "en_revision", "date": "2023-01-15"}],
        "projets": "Recomposition du front de mer de Guidel.",
    },
}
# The note of an atelier whose subject is not the coast's: its own parts, over the ones above,
# by the start of the atelier's title (the closed atelier's livret prints them).
NOTES_PROPRES = {
    "Grand Besançon": {
        "localisation": {
            "echelle": "intercommunale",
            "communes": "Besançon, École-Valentin, Chemaudin-et-Vaux, Thise, Chalezeule",
            "population": 196000,
            "superficie": "528.00",
            "description": "Les 68 communes de l'agglomération, entre la boucle du Doubs, les "
            "premiers plateaux du Jura et la vallée de l'Ognon. Ses zones d'activités se sont "
            "étendues le long des voies rapides, au nord et à l'ouest de la ville centre.\n\n"
            "Le périmètre de l'atelier retient les trois zones les plus anciennes, desservies "
            "par le train ou en passe de l'être, où se concentrent les friches et les parkings "
            "sous-utilisés.",
        },
        "objet": {
            "problematique": "Comment transformer des zones d'activités monofonctionnelles en "
            "morceaux de ville, sans consommer de nouveaux espaces naturels ni fragiliser les "
            "entreprises qui y travaillent ?",
            "enjeux": "La sobriété foncière que demande la loi Climat et résilience ; "
            "l'accès des salariés sans voiture ; la qualité des espaces publics et la "
            "résistance aux fortes chaleurs ; le dialogue entre les communes et les "
            "entreprises.",
        },
        "objectifs": {
            "objectifs": [
                {
                    "intitule": "Un plan-guide pour trois zones pilotes",
                    "description": "Densifier, recycler les friches, planter.",
                },
                {
                    "intitule": "Une desserte des zones autrement qu'en voiture",
                    "description": "Navettes, vélo, covoiturage, avec les employeurs.",
                },
                {
                    "intitule": "Une gouvernance qui tienne après l'atelier",
                    "description": "Un comité de suivi entre l'agglomération, les communes, "
                    "l'État et les entreprises.",
                },
            ],
            "resultats": "Une feuille de route chiffrée, adoptée par les élus, et des zones "
            "pilotes engagées dans leur requalification.",
            "questions": "Quels outils fonciers pour les friches ? Qui finance la desserte ?",
        },
    },
}
# The perimeter the porteurs draw, by the start of the atelier's title (longitude, latitude):
# the closed atelier's livret prints it as its map.
PERIMETRES = {
    "Grand Besançon": [
        [5.86, 47.22],
        [5.93, 47.31],
        [6.04, 47.35],
        [6.16, 47.31],
        [6.19, 47.22],
        [6.10, 47.15],
        [5.96, 47.14],
    ],
}

PRECANDIDATURES = {
    "Rennes Métropole": (
        "Protéger et faire vivre la ceinture verte entre ville et campagne, "
        "face à la pression foncière.",
        ["transitions-territoriales", "ressources-naturelles"],
    ),
    "Fougères": (
        "Redonner un cap à une ville moyenne industrielle : friches, centre-ville et bocage.",
        ["transitions-societales", "activites"],
    ),
    "Lorient": (
        "Adapter l'aménagement du littoral au recul du trait de côte.",
        ["risques", "lois-nouvelles"],
    ),
    "Pays Basque": (
        "Habiter l'intérieur du Pays Basque : logement, mobilités et services.",
        ["transitions-territoriales", "cooperation-territoriale"],
    ),
    "Vitré Communauté": (
        "Garder des bourgs vivants entre Rennes et Laval : commerces, logements et mobilités.",
        ["transitions-societales", "cooperation-territoriale"],
    ),
    "Arles-Crau-Camargue": (
        "Vivre avec l'eau : submersion, sel et agriculture en Camargue.",
        ["risques", "ressources-naturelles"],
    ),
    "Grand Besançon": (
        "Transformer les zones d'activités vieillissantes en quartiers mixtes.",
        ["activites", "transitions-environnementales"],
    ),
    "Cotentin": (
        "Accueillir les chantiers de l'énergie et leurs salariés sans sacrifier le littoral.",
        ["lois-nouvelles", "transitions-territoriales"],
    ),
    "Roannais Agglomération": (
        "Réinventer un territoire textile : friches industrielles, centre-bourgs et emploi.",
        ["activites", "transitions-societales"],
    ),
    "Sète Agglopôle Méditerranée": (
        "Habiter un lido exposé : submersion, qualité de l'eau de l'étang et pression touristique.",
        ["risques", "ressources-naturelles"],
    ),
    "Dunkerque": (
        "Accueillir les gigafactories de l'industrie verte : loger, déplacer et former.",
        ["lois-nouvelles", "activites"],
    ),
}


class Command(BaseCommand):
    help = (
        "Ouvre les ateliers de démonstration (manage.py charger_demo d'abord) et les mène, par "
        "les services de la candidature, jusqu'à leur décision d'éligibilité (sans doublon) ; "
        "manage.py charger_demo_marches prend la suite."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Les données de démonstration ne se chargent pas en production.")
        dgaln = _agent("DGALN — bureau AD1")
        crees = 0
        with transaction.atomic():
            for intitule, siren, pilote, etapes, _groupement, mois in ATELIERS:
                if Atelier.objects.filter(intitule=intitule).exists():
                    continue
                atelier = self._ouvrir(intitule, siren, pilote)
                agent = _agent(pilote)
                for etape in etapes:
                    if etape not in ETAPES_DES_CANDIDATURES:
                        break
                    atelier = self._franchir(atelier, etape, agent=agent, dgaln=dgaln)
                etaler_dans_le_temps(atelier, mois)
                crees += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"Ateliers de démonstration : {crees} ouvert(s), {Atelier.objects.count()} au "
                "total."
            )
        )

    def _ouvrir(self, intitule, siren, pilote):
        """The pré-candidature, opened by the pilot service as the portal's form would."""
        epci = EPCI.objects.get(siren=siren)
        cle = next(k for k in PRECANDIDATURES if intitule.startswith(k))
        intention, codes = PRECANDIDATURES[cle]
        return precandidature_ouvrir(
            par=_agent(pilote),
            intitule=intitule,
            departements=[epci.departement],
            epcis=[epci],
            communes="",
            service_pilote=Organisation.objects.get(nom=pilote),
            operateur=Organisation.objects.filter(
                nom="Agence de l'eau Rhône Méditerranée Corse"
            ).first()
            if siren == "241300417"
            else None,
            intention=intention,
            thematiques=Thematique.objects.filter(code__in=codes),
            contacts=[
                {
                    "nom": "Camille Référente",
                    "fonction": "Cheffe de projet aménagement",
                    "organisation": pilote,
                    "email": "referente@demo.atelier-local.test",
                }
            ],
        )

    def _franchir(self, atelier, etape, *, agent, dgaln):
        """One step of the candidature, through its service."""
        atelier = Atelier.objects.get(pk=atelier.pk)
        if etape == "confirmer_opportunite":
            return precandidature_confirmer(atelier=atelier, par=dgaln, vu=atelier.phase)
        if etape == "deposer":
            self._deposer(Candidature.objects.get(atelier=atelier), par=agent)
        elif etape == "declarer_eligible":
            candidature = Candidature.objects.get(atelier=atelier)
            candidature_decider(
                candidature=candidature,
                par=dgaln,
                vu=candidature.statut,
                eligible=True,
                motivation="Une question d'aménagement claire, portée par les élus, à une "
                "échelle où l'atelier peut la faire avancer.",
                date_decision=timezone.localdate(),
            )
        return Atelier.objects.get(pk=atelier.pk)

    def _deposer(self, candidature, *, par):
        """Write the note, deposit the three letters and the dossier, through the services."""
        intitule = candidature.atelier.intitule
        for partie in PARTIES:
            contenu = getattr(Candidature.objects.get(pk=candidature.pk), partie.attribut)
            propre = next(
                (n for debut, n in NOTES_PROPRES.items() if intitule.startswith(debut)), {}
            )
            champs = dict(propre.get(partie.slug, NOTE_EN_INSTRUCTION.get(partie.slug, {})))
            if partie.slug == "porteurs":
                # The porteurs the atelier was opened with, as the note pre-filled them.
                champs["collectivites"] = [
                    {**PORTEUR, "organisation": ligne["organisation"], "siren": ligne["siren"]}
                    for ligne in contenu.collectivites
                ]
            if partie.slug == "localisation":
                champs["departements"] = list(candidature.atelier.departements.all())
                contour = next(
                    (c for debut, c in PERIMETRES.items() if intitule.startswith(debut)), None
                )
                if contour is not None:
                    champs["perimetre"] = _geojson(contour)
            partie_enregistrer(partie=contenu, champs=champs, version_lue=contenu.version, par=par)
        for type_courrier in Courrier.Type:
            courrier_deposer(
                candidature=candidature,
                type_courrier=type_courrier,
                fichier=SimpleUploadedFile(
                    f"{type_courrier}.pdf", _pdf_signe(), content_type="application/pdf"
                ),
                par=par,
            )
        candidature = Candidature.objects.get(pk=candidature.pk)
        candidature_deposer(candidature=candidature, par=par, vu=candidature.statut)


def _geojson(contour):
    """The perimeter as the porteurs export it from their GIS: one polygon, in WGS 84."""
    geometrie = {"type": "Polygon", "coordinates": [[*contour, contour[0]]]}
    return SimpleUploadedFile(
        "perimetre.geojson",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": geometrie}],
            }
        ).encode(),
        content_type="application/geo+json",
    )


def _agent(organisation):
    """The demo account that acts for this organisation."""
    return (
        Utilisateur.objects.filter(adhesions__organisation__nom=organisation).order_by("pk").first()
    )


def _pdf_signe():
    """A one-page PDF standing for a scanned, signed letter."""
    sortie = io.BytesIO()
    document = PdfWriter()
    document.add_blank_page(width=595, height=842)
    document.write(sortie)
    return sortie.getvalue()
