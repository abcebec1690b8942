"""The demo's marchés (manage.py charger_demo then charger_demo_candidatures first): DGALN's two
accords-cadres with their titulaires and documents, recorded through the services as DGALN
would, then the marché subséquent of each demo atelier whose plan goes past its eligibility,
taken by its pilot (and its panel) through the services as far as its plan says: one in
consultation, one in analysis with three offers, six notified (the later steps of their
atelier follow, one in each phase of the accompagnement, and the money of one); then the
nightly alerts are raised once. The services date everything « now »: each atelier's
journal is then spread over its months and every row dated from its journal line. Running it
twice changes nothing."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ateliers.management.commands.charger_demo import ATELIERS
from ateliers.services.alertes import alertes_lever
from comptes.models import Organisation
from marches.demo.accords_cadres import charger_accord_cadre, deposer_documents, groupements_fictifs
from marches.demo.donnees import (
    ACCORDS_CADRES,
    ACHETEUR,
    CONSULTATION,
    plan_de,
)
from marches.demo.outils import agent_de
from marches.demo.parcours import analyser, dater, ouvrir_le_marche
from marches.models import (
    AccordCadre,
    Consultation,
    MarcheSubsequent,
)


class Command(BaseCommand):
    help = (
        "Enregistre les accords-cadres de démonstration et leurs titulaires, puis ouvre le "
        "marché subséquent des ateliers de démonstration qui vont au-delà de l'éligibilité et "
        "le mène aussi loin que leur plan (consultation, analyse, notification, paiements) "
        "(manage.py charger_demo et charger_demo_candidatures d'abord ; sans doublon)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Les données de démonstration ne se chargent pas en production.")
        acheteur = Organisation.objects.filter(nom=ACHETEUR).first()
        dgaln = agent_de(ACHETEUR)
        if acheteur is None or dgaln is None:
            raise CommandError("Chargez d'abord les comptes : manage.py charger_demo")
        with transaction.atomic():
            groupements_fictifs()
            accords = [
                charger_accord_cadre(*ligne, acheteur=acheteur, par=dgaln)
                for ligne in ACCORDS_CADRES
            ]
            deposer_documents(accords[-1], par=dgaln)
            ouverts = [a for plan in ATELIERS if (a := ouvrir_le_marche(*plan))]
        # The offers of the marchés taken past their deadline are in: wait for it, once.
        a_clore = [
            a for a in ouverts if (plan := plan_de(a.intitule)) and plan.jusqua != CONSULTATION
        ]
        if a_clore:
            echeance = max(
                Consultation.objects.filter(marche__atelier__in=a_clore).values_list(
                    "date_limite", flat=True
                )
            )
            time.sleep(max(0.0, (echeance - timezone.now()).total_seconds() + 0.1))
        with transaction.atomic():
            for atelier in a_clore:
                analyser(atelier)
            for atelier in ouverts:
                dater(atelier)
        # The nightly job, once: the demo's late compte-rendu is an alert as soon as it loads.
        levees, _ = alertes_lever()
        self.stdout.write(
            self.style.SUCCESS(
                f"Marchés de démonstration : {AccordCadre.objects.count()} accords-cadres, "
                f"{len(ouverts)} marché(s) ouvert(s), {MarcheSubsequent.objects.count()} au "
                f"total ; {levees} alerte(s) levée(s)."
            )
        )
