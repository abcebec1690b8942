"""The yearly cohort: candidatures received in a year (first dépôt), by région and by where
they stand now, against the yearly target, with the average review time."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Evenement, Phase
from candidatures.models import Candidature
from candidatures.selectors import cohorte
from tests.candidatures.factories import CandidatureFactory, decision, version
from tests.comptes.factories import membre
from tests.territoires.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db

COLONNES = ["recues", "en_instruction", "complements", "eligibles", "non_eligibles"]


def le(annee, mois, jour, heure=10):
    return timezone.make_aware(datetime.datetime(annee, mois, jour, heure))


@pytest.fixture
def regions():
    nord = RegionFactory(code="R91", nom="Région Nord")
    sud = RegionFactory(code="R92", nom="Région Sud")
    return {
        "nord": DepartementFactory(code="N1", nom="Nord-Un", region=nord),
        "sud": DepartementFactory(code="S1", nom="Sud-Un", region=sud),
    }


@pytest.fixture
def jeu(regions):
    """Seven candidatures received in 2025 over two régions, one in 2024, one in 2026, one
    never deposited; the decided ones of 2025 took 30, 40, 30 and 60 days."""

    def candidature(trait, region, recue):
        return CandidatureFactory(
            **{trait: True}, atelier__departements=[regions[region]], depose_le=recue
        )

    eligible = candidature("eligible", "nord", le(2025, 3, 1))
    decision(eligible, datetime.date(2025, 3, 31))
    non_eligible = candidature("non_eligible", "nord", le(2025, 5, 10))
    decision(non_eligible, datetime.date(2025, 6, 19), eligible=False)
    candidature("deposee", "nord", le(2025, 11, 2))
    # Corrected: the review time runs to the first decision.
    corrigee = candidature("eligible", "sud", le(2025, 3, 2))
    decision(corrigee, datetime.date(2025, 4, 1), eligible=False)
    decision(corrigee, datetime.date(2025, 9, 1), numero=2, motif="Erreur d'appréciation")
    candidature("complements_demandes", "sud", le(2025, 6, 1))
    # Deposited again after compléments: the review time runs from the first dépôt.
    redeposee = candidature("eligible", "sud", le(2025, 2, 1))
    version(redeposee, 2, le(2025, 3, 15))
    decision(redeposee, datetime.date(2025, 4, 2))
    candidature("en_instruction", "sud", le(2025, 12, 31, heure=23))
    # Other years, and a candidature never deposited.
    ancienne = candidature("eligible", "sud", le(2024, 11, 15))
    decision(ancienne, datetime.date(2025, 1, 10))
    candidature("en_instruction", "nord", le(2026, 1, 1, heure=0))
    CandidatureFactory(atelier__departements=[regions["nord"]])


def compte(ligne):
    return [ligne[c] for c in COLONNES]


def test_la_cohorte_compte_par_region_et_au_total(jeu, settings):
    settings.ELIGIBILITE_OBJECTIF_ANNUEL = 12
    resultat = cohorte(2025)
    assert [ligne["region"].nom for ligne in resultat["lignes"]] == ["Région Nord", "Région Sud"]
    nord, sud = resultat["lignes"]
    assert compte(nord) == [3, 1, 0, 1, 1]
    assert compte(sud) == [4, 1, 1, 2, 0]
    assert compte(resultat["total"]) == [7, 2, 1, 3, 1]
    assert resultat["objectif"] == 12
    assert (resultat["duree_moyenne"], resultat["decisions"]) == (40, 4)


def test_une_autre_annee_a_sa_propre_cohorte(jeu):
    resultat = cohorte(2024)
    assert [ligne["region"].nom for ligne in resultat["lignes"]] == ["Région Sud"]
    assert compte(resultat["total"]) == [1, 0, 0, 1, 0]
    assert (resultat["duree_moyenne"], resultat["decisions"]) == (56, 1)
    assert compte(cohorte(2026)["total"]) == [1, 1, 0, 0, 0]
    vide = cohorte(2023)
    assert (vide["lignes"], compte(vide["total"])) == ([], [0] * 5)
    assert (vide["duree_moyenne"], vide["decisions"]) == (None, 0)


def sans_depot(statut, phase, region, transition, declaree_le):
    """A candidature entered past its dépôt (no version here), declared on `declaree_le`."""
    candidature = CandidatureFactory(
        atelier__phase=phase,
        atelier__sorti=phase == Phase.NON_ELIGIBLE,
        atelier__departements=[region],
    )
    Candidature.objects.filter(pk=candidature.pk).update(statut=statut)
    Evenement.objects.create(
        date=declaree_le,
        atelier=candidature.atelier,
        objet=candidature.atelier,
        objet_libelle=str(candidature.atelier),
        libelle="Candidature déclarée",
        transition=transition,
    )


def test_un_atelier_sans_depot_compte_l_annee_de_sa_declaration(regions):
    eligible, non_eligible = Candidature.Statut.ELIGIBLE, Candidature.Statut.NON_ELIGIBLE
    sans_depot(eligible, Phase.SESSION_2, regions["nord"], "declarer_eligible", le(2025, 4, 2))
    sans_depot(eligible, Phase.CLOTURE, regions["sud"], "declarer_eligible", le(2025, 9, 1))
    sans_depot(
        non_eligible, Phase.NON_ELIGIBLE, regions["sud"], "declarer_non_eligible", le(2025, 6, 1)
    )
    sans_depot(eligible, Phase.MARCHE, regions["sud"], "declarer_eligible", le(2024, 12, 31))

    assert compte(cohorte(2025)["total"]) == [3, 0, 0, 2, 1]
    assert compte(cohorte(2024)["total"]) == [1, 0, 0, 1, 0]
    assert compte(cohorte(2026)["total"]) == [0] * 5


def cellules(page, region):
    ligne = re.search(rf"<th scope=\"row\">{region}</th>(.*?)</tr>", page, re.S).group(1)
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", ligne)]


def test_la_page_de_la_cohorte(client, jeu, settings):
    settings.ELIGIBILITE_OBJECTIF_ANNUEL = 12
    client.force_login(membre(dgaln=True))
    response = client.get(reverse("candidatures:cohorte"), {"annee": "2025"})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "<h1>Candidatures 2025</h1>" in page
    assert "3 éligibles sur un objectif de 12" in page
    assert "7 candidatures reçues en 2025." in page
    assert "Délai moyen d'instruction : 40 jours" in page
    assert "sur 4 dossiers décidés" in page
    assert cellules(page, "Région Nord") == [3, 1, 0, 1, 1]
    assert cellules(page, "Région Sud") == [4, 1, 1, 2, 0]
    assert cellules(page, "Total") == [7, 2, 1, 3, 1]
    assert '<option value="2025" selected>' in page


def test_une_annee_sans_candidature(client, jeu):
    client.force_login(membre(dgaln=True))
    page = html.unescape(client.get(reverse("candidatures:cohorte"), {"annee": "2020"}).text)
    assert "Aucune candidature reçue en 2020." in page
    assert "Délai moyen d'instruction : pas encore de décision" in page


@pytest.mark.parametrize(
    ("annee", "attendue"),
    [
        ("abc", 0),
        ("", 0),
        ("2025.5", 0),
        ("<script>", 0),
        ("1900", 2019),
        ("-3", 2019),
        ("99999", 1),
        ("9" * 40, 1),
    ],
)
def test_une_annee_trafiquee_est_ramenee_a_une_annee_possible(client, jeu, annee, attendue):
    cette_annee = timezone.localdate().year
    attendue = {0: cette_annee, 1: cette_annee + 1}.get(attendue, attendue)
    client.force_login(membre(dgaln=True))
    response = client.get(reverse("candidatures:cohorte"), {"annee": annee})
    assert response.status_code == 200
    assert response.context["annee"] == attendue


def test_la_cohorte_en_un_nombre_fixe_de_requetes(client, regions):
    from tests.requetes import nombre_de_requetes

    def candidatures(de, a):
        for rang in range(de, a):
            candidature = CandidatureFactory(
                **{("eligible", "deposee", "non_eligible")[rang % 3]: True},
                atelier__departements=[regions[("nord", "sud")[rang % 2]], regions["sud"]],
                depose_le=le(2025, 1 + rang % 12, 10),
            )
            if rang % 3 != 1:
                decision(candidature, datetime.date(2025, 12, 20), eligible=rang % 3 == 0)

    client.force_login(membre(dgaln=True))
    candidatures(0, 15)
    avec_n = nombre_de_requetes(client, reverse("candidatures:cohorte"), {"annee": "2025"})
    candidatures(15, 30)
    assert nombre_de_requetes(client, reverse("candidatures:cohorte"), {"annee": "2025"}) == avec_n
    response = client.get(reverse("candidatures:cohorte"), {"annee": "2025"})
    assert response.context["total"]["recues"] == 30
    assert response.context["total"]["eligibles"] == 10
    assert [ligne["recues"] for ligne in response.context["lignes"]] == [15, 15]


def test_la_cohorte_compte_dans_la_base_sans_charger_les_candidatures(jeu):
    from django.db.models.signals import post_init

    from candidatures.models import Candidature

    chargees = []

    def compter(sender, instance, **kwargs):
        chargees.append(instance)

    post_init.connect(compter, sender=Candidature)
    try:
        resultat = cohorte(2025)
    finally:
        post_init.disconnect(compter, sender=Candidature)

    assert resultat["total"]["recues"] == 7
    assert chargees == []
