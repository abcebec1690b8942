"""Demo pré-candidatures for the demo ateliers (manage.py charger_demo first); people fictional."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ateliers.management.commands.charger_demo import ATELIERS
from ateliers.models import Atelier, Phase
from candidatures.models import Candidature, Contact, PreCandidature, Thematique
from candidatures.services import candidature_ouvrir

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
                if atelier.phase != Phase.CANDIDATURE:
                    # Demo ateliers past the dépôt: their candidature was deposited long ago.
                    Candidature.objects.filter(pk=candidature.pk).update(
                        statut=Candidature.Statut.EN_INSTRUCTION
                    )
        self.stdout.write(
            self.style.SUCCESS(f"Pré-candidatures de démonstration : {crees} créée(s).")
        )
