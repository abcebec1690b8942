"""The territorial referential: generated file and its idempotent loading."""

import importlib.util
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from territoires.models import EPCI, Departement, Region

DATA = Path(__file__).resolve().parents[2] / "territoires" / "data"
DONNEES = json.loads((DATA / "decoupage-administratif.json").read_text(encoding="utf-8"))

# On SQLite (999 parameters a query) the 1 266 EPCI take 8 INSERTs and their département links 3,
# plus one SELECT of stored keys per table and the savepoint pair; PostgreSQL needs fewer.
REQUETES_MAX = 19


def charger():
    out = StringIO()
    call_command("charger_referentiels", stdout=out)
    return out.getvalue()


def liens():
    return sorted(EPCI.departements.through.objects.values_list("pk", "epci_id", "departement_id"))


def test_version_du_fichier_est_celle_du_script():
    spec = importlib.util.spec_from_file_location("generer", DATA / "generer.py")
    generer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generer)
    assert DONNEES["source"]["package"] == generer.PACKAGE
    assert DONNEES["source"]["version"] == generer.VERSION


def test_fichier_coherent():
    regions = {r["code"] for r in DONNEES["regions"]}
    departements = {d["code"] for d in DONNEES["departements"]}
    assert {d["region"] for d in DONNEES["departements"]} <= regions
    for epci in DONNEES["epcis"]:
        assert epci["nature"] in EPCI.Nature.values
        assert epci["departement"] in epci["departements"]
        assert set(epci["departements"]) <= departements
        assert epci["nombre_communes"] >= 1


@pytest.mark.django_db
def test_chargement_complet():
    sortie = charger()

    assert Region.objects.count() == len(DONNEES["regions"]) == 18
    assert Departement.objects.count() == len(DONNEES["departements"]) == 101
    assert EPCI.objects.count() == len(DONNEES["epcis"])
    assert EPCI.departements.through.objects.count() == sum(
        len(e["departements"]) for e in DONNEES["epcis"]
    )
    epcis = f"{len(DONNEES['epcis']):,}".replace(",", "\N{NO-BREAK SPACE}")
    assert sortie.startswith(f"Référentiels chargés : 18 régions, 101 départements, {epcis} EPCI")


@pytest.mark.django_db
def test_departement_et_epci_connus():
    charger()

    ille_et_vilaine = Departement.objects.select_related("region").get(code="35")
    assert ille_et_vilaine.nom == "Ille-et-Vilaine"
    assert (ille_et_vilaine.region.code, ille_et_vilaine.region.nom) == ("53", "Bretagne")

    rennes = EPCI.objects.get(siren="243500139")
    assert rennes.nom == "Rennes Métropole"
    assert rennes.nature == EPCI.Nature.METROPOLE
    assert rennes.departement_id == "35"
    assert list(rennes.departements.values_list("code", flat=True)) == ["35"]

    grand_paris = EPCI.objects.get(siren="200054781")
    assert grand_paris.nature == EPCI.Nature.METROPOLE
    assert grand_paris.departement_id == "94"
    assert set(grand_paris.departements.values_list("code", flat=True)) == {
        "75",
        "91",
        "92",
        "93",
        "94",
        "95",
    }

    plaine_commune = EPCI.objects.get(siren="200057867")
    assert plaine_commune.nature == EPCI.Nature.ETABLISSEMENT_TERRITORIAL
    assert plaine_commune.departement_id == "93"


@pytest.mark.django_db
def test_nombre_de_requetes_borne(django_assert_max_num_queries):
    with django_assert_max_num_queries(REQUETES_MAX):
        charger()
    with django_assert_max_num_queries(REQUETES_MAX):
        charger()


@pytest.mark.django_db
def test_second_chargement_ne_change_rien():
    charger()
    avant = (
        list(Region.objects.order_by("code").values()),
        list(Departement.objects.order_by("code").values()),
        list(EPCI.objects.order_by("siren").values()),
        liens(),
    )

    charger()

    assert list(Region.objects.order_by("code").values()) == avant[0]
    assert list(Departement.objects.order_by("code").values()) == avant[1]
    assert list(EPCI.objects.order_by("siren").values()) == avant[2]
    assert liens() == avant[3]


@pytest.mark.django_db
def test_rechargement_restaure_la_base():
    charger()
    nombre_liens = EPCI.departements.through.objects.count()
    Departement.objects.filter(code="35").update(nom="Département modifié")
    EPCI.objects.filter(siren="243500139").update(nom="Nom modifié", nature=EPCI.Nature.AUTRE)
    rennes = EPCI.objects.get(siren="243500139")
    rennes.departements.set(["22", "29"])
    EPCI.objects.get(siren="200054781").departements.remove("75")

    charger()

    assert Departement.objects.get(code="35").nom == "Ille-et-Vilaine"
    rennes.refresh_from_db()
    assert (rennes.nom, rennes.nature) == ("Rennes Métropole", EPCI.Nature.METROPOLE)
    assert list(rennes.departements.values_list("code", flat=True)) == ["35"]
    assert EPCI.objects.get(siren="200054781").departements.filter(code="75").exists()
    assert EPCI.departements.through.objects.count() == nombre_liens
    assert EPCI.objects.count() == len(DONNEES["epcis"])


@pytest.mark.django_db
def test_epci_absent_du_fichier_signale_et_conserve():
    charger()
    ancien = EPCI.objects.create(
        siren="999999999",
        nom="CC disparue par fusion",
        nature=EPCI.Nature.COMMUNAUTE_COMMUNES,
        departement_id="35",
        nombre_communes=3,
    )
    ancien.departements.set(["35"])

    sortie = charger()

    assert "EPCI en base absents du fichier, conservés : 999999999." in sortie
    assert list(ancien.departements.values_list("code", flat=True)) == ["35"]
