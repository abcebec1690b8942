"""The demo's livrables (manage.py charger_demo, charger_demo_candidatures and
charger_demo_marches first): for each notified demo atelier that its plan names, its livrables
deposited, reviewed and validated by their roles through the services, at each state; then
the atelier whose plan says so closed by its pilot, its five livrables validated, its livret
with DGALN's agreement; then the night job clears the alerts of what is closed. Running it
twice changes nothing."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ateliers.models import Atelier, Phase
from ateliers.services.alertes import alertes_lever
from livrables.demo.donnees import plan_de
from livrables.demo.livraison import livrer
from livrables.models import Livrable, VersionLivrable


class Command(BaseCommand):
    help = (
        "Dépose, relit et valide les livrables des ateliers de démonstration, à chaque état, "
        "puis clôture l'atelier de Besançon (manage.py charger_demo_marches d'abord ; sans "
        "doublon)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Les données de démonstration ne se chargent pas en production.")
        ateliers = [
            (a, plan)
            for a in Atelier.objects.filter(groupement__isnull=False).order_by("pk")
            if (plan := plan_de(a.intitule)) is not None
        ]
        if not ateliers:
            raise CommandError("Chargez d'abord les marchés : manage.py charger_demo_marches")
        with transaction.atomic():
            for atelier, plan in ateliers:
                if Livrable.objects.filter(atelier=atelier).exists():
                    continue
                livrer(atelier, plan)
            # The night job after the clôture: a closed atelier's alerts resolve themselves.
            alertes_lever()
        self.stdout.write(
            self.style.SUCCESS(
                f"Livrables de démonstration : {Livrable.objects.count()} livrable(s), "
                f"{VersionLivrable.objects.count()} version(s) ; "
                f"{Atelier.objects.filter(phase=Phase.CLOTURE).count()} atelier(s) clôturé(s)."
            )
        )
