"""Load régions, départements and EPCI from data/decoupage-administratif.json into the database."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from territoires.models import EPCI, Departement, Region

FICHIER = Path(__file__).resolve().parents[2] / "data" / "decoupage-administratif.json"


def nombre(n):
    """Return n with French thousands grouping (no-break spaces)."""
    return f"{n:,}".replace(",", "\N{NO-BREAK SPACE}")


def compte(n, singulier, pluriel):
    """Return « n mot » with the word agreeing with n."""
    return f"{nombre(n)} {singulier if n <= 1 else pluriel}"


def upsert(model, rows, update_fields):
    """Insert or update rows by primary key in bulk; return the stored keys missing from rows."""
    pk = model._meta.pk.name
    stored = set(model.objects.values_list(pk, flat=True).order_by())
    model.objects.bulk_create(
        [model(**row) for row in rows],
        update_conflicts=True,
        unique_fields=[pk],
        update_fields=update_fields,
    )
    return stored - {row[pk] for row in rows}


def synchroniser_departements_couverts(epcis):
    """Make each listed EPCI cover exactly its file départements, writing only the differences."""
    through = EPCI.departements.through
    voulus = {(e["siren"], code) for e in epcis for code in e["departements"]}
    sirens = {e["siren"] for e in epcis}
    existants = {
        (epci_id, departement_id): pk
        for pk, epci_id, departement_id in through.objects.values_list(
            "pk", "epci_id", "departement_id"
        )
    }
    perimes = [
        pk
        for (siren, code), pk in existants.items()
        if siren in sirens and (siren, code) not in voulus
    ]
    if perimes:
        through.objects.filter(pk__in=perimes).delete()
    through.objects.bulk_create(
        [
            through(epci_id=siren, departement_id=code)
            for siren, code in sorted(voulus - existants.keys())
        ]
    )


def charger(donnees):
    """Store the file's régions, départements and EPCI; return per model the stored keys absent."""
    departements = [
        {"code": d["code"], "nom": d["nom"], "region_id": d["region"]}
        for d in donnees["departements"]
    ]
    epcis = [
        {
            "siren": e["siren"],
            "nom": e["nom"],
            "nature": e["nature"],
            "departement_id": e["departement"],
            "nombre_communes": e["nombre_communes"],
            "population": e["population"],
        }
        for e in donnees["epcis"]
    ]
    absents = {
        Region: upsert(Region, donnees["regions"], ["nom"]),
        Departement: upsert(Departement, departements, ["nom", "region"]),
        EPCI: upsert(
            EPCI, epcis, ["nom", "nature", "departement", "nombre_communes", "population"]
        ),
    }
    synchroniser_departements_couverts(donnees["epcis"])
    return absents


AVERTISSEMENTS = {
    Region: "Régions en base absentes du fichier, conservées",
    Departement: "Départements en base absents du fichier, conservés",
    EPCI: "EPCI en base absents du fichier, conservés",
}


class Command(BaseCommand):
    help = (
        "Charge ou met à jour les régions, départements et EPCI depuis "
        "territoires/data/decoupage-administratif.json (sans doublon si relancée)."
    )

    def handle(self, *args, **options):
        donnees = json.loads(FICHIER.read_text(encoding="utf-8"))
        with transaction.atomic():
            absents = charger(donnees)
        self.stdout.write(
            self.style.SUCCESS(
                "Référentiels chargés : "
                f"{compte(len(donnees['regions']), 'région', 'régions')}, "
                f"{compte(len(donnees['departements']), 'département', 'départements')}, "
                f"{nombre(len(donnees['epcis']))} EPCI "
                f"(source : {donnees['source']['package']} {donnees['source']['version']})."
            )
        )
        for model, cles in absents.items():
            if cles:
                self.stdout.write(
                    self.style.WARNING(f"{AVERTISSEMENTS[model]} : {', '.join(sorted(cles))}.")
                )
