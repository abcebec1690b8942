"""Demo pré-candidatures and candidatures for the demo ateliers (manage.py charger_demo first):
the atelier under review gets a complete note, its three letters and a real dépôt, so that
DGALN's queue has a dossier to read. People are fictional."""

import io

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from pypdf import PdfWriter

from ateliers.management.commands.charger_demo import ATELIERS
from ateliers.models import Atelier, Phase
from candidatures.models import PARTIES, Candidature, Contact, Courrier, PreCandidature, Thematique
from candidatures.services import (
    candidature_deposer,
    candidature_ouvrir,
    courrier_deposer,
    partie_enregistrer,
)
from comptes.models import Utilisateur

# The note of the atelier under review, written as its porteurs would (values by part slug).
NOTE_EN_INSTRUCTION = {
    "porteurs": {
        "collectivites": [
            {
                "organisation": "Lorient Agglomération",
                "siren": "200042174",
                "elu": "Le vice-président chargé de l'aménagement",
                "referent": "Yann Le Floch",
                "referent_fonction": "Directeur de l'aménagement",
                "referent_courriel": "amenagement@demo.atelier-local.test",
                "referent_telephone": "",
            }
        ],
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
    "Arles-Crau-Camargue": (
        "Vivre avec l'eau : submersion, sel et agriculture en Camargue.",
        ["risques", "ressources-naturelles"],
    ),
    "Grand Besançon": (
        "Transformer les zones d'activités vieillissantes en quartiers mixtes.",
        ["activites", "transitions-environnementales"],
    ),
}


class Command(BaseCommand):
    help = "Ajoute une pré-candidature aux ateliers de démonstration (sans doublon)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Les données de démonstration ne se chargent pas en production.")
        crees = 0
        with transaction.atomic():
            for intitule, *_ in ATELIERS:
                atelier = Atelier.objects.filter(intitule=intitule).first()
                if atelier is None or hasattr(atelier, "precandidature"):
                    continue
                cle = next(k for k in PRECANDIDATURES if intitule.startswith(k))
                intention, codes = PRECANDIDATURES[cle]
                precandidature = PreCandidature.objects.create(atelier=atelier, intention=intention)
                precandidature.thematiques.set(Thematique.objects.filter(code__in=codes))
                Contact.objects.create(
                    precandidature=precandidature,
                    nom="Camille Référente",
                    fonction="Cheffe de projet aménagement",
                    organisation=atelier.service_pilote.nom,
                    email="referente@demo.atelier-local.test",
                )
                crees += 1
            for atelier in Atelier.objects.filter(
                intitule__in=[a[0] for a in ATELIERS], candidature__isnull=True
            ).exclude(phase=Phase.PRE_CANDIDATURE):
                candidature = candidature_ouvrir(atelier=atelier)
                if atelier.phase == Phase.INSTRUCTION:
                    self._deposer(candidature)
                elif atelier.phase != Phase.CANDIDATURE:
                    # Demo ateliers past the review: declared eligible before the portal.
                    Candidature.objects.filter(pk=candidature.pk).update(
                        statut=Candidature.Statut.ELIGIBLE
                    )
        self.stdout.write(
            self.style.SUCCESS(f"Pré-candidatures de démonstration : {crees} créée(s).")
        )

    def _deposer(self, candidature):
        """Write the note, deposit the three letters and the dossier, through the services."""
        par = Utilisateur.objects.get(email="dreal@demo.atelier-local.test")
        for partie in PARTIES:
            contenu = getattr(Candidature.objects.get(pk=candidature.pk), partie.attribut)
            champs = dict(NOTE_EN_INSTRUCTION.get(partie.slug, {}))
            if partie.slug == "localisation":
                champs["departements"] = list(candidature.atelier.departements.all())
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
        candidature_deposer(candidature=candidature, par=par, vu=candidature.statut)


def _pdf_signe():
    """A one-page PDF standing for a scanned, signed letter."""
    sortie = io.BytesIO()
    document = PdfWriter()
    document.add_blank_page(width=595, height=842)
    document.write(sortie)
    return sortie.getvalue()
