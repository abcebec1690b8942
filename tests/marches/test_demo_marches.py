"""The demo's accords-cadres and marchés: recorded through the services, as data, once."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from ateliers.management.commands.charger_demo import ATELIERS
from ateliers.models import Evenement, Phase
from comptes.models import Organisation, Utilisateur
from marches.management.commands.charger_demo_marches import SIRET_ACHETEUR, SIRETS_MANDATAIRES
from marches.models import AccordCadre, DocumentAccordCadre, MarcheSubsequent
from marches.services.accord_cadre import CodeAccordCadre
from tests.ateliers.factories import AtelierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comptes(settings):
    settings.DEBUG = True
    call_command("charger_referentiels", verbosity=0)
    call_command("charger_demo", stdout=io.StringIO())


def _plan(debut):
    return next(plan for plan in ATELIERS if plan[0].startswith(debut))


def _cle_valide(siret):
    total = 0
    for rang, chiffre in enumerate(reversed(siret)):
        n = int(chiffre) * (2 if rang % 2 else 1)
        total += n - 9 if n > 9 else n
    return len(siret) == 14 and total % 10 == 0


def test_les_deux_accords_cadres_et_leurs_titulaires_sont_des_donnees(comptes):
    call_command("charger_demo_marches")
    call_command("charger_demo_marches")
    ancien, actuel = AccordCadre.objects.order_by("date_debut")
    assert (ancien.date_debut, ancien.date_fin) == (
        datetime.date(2019, 11, 1),
        datetime.date(2023, 10, 31),
    )
    assert actuel.date_fin == datetime.date(2027, 12, 31)
    assert AccordCadre.objects.en_vigueur(datetime.date(2026, 6, 1)).get() == actuel
    assert sorted(ancien.titularites.values_list("groupement__nom", flat=True)) == [
        "Groupement 1 — Alphaville",
        "Groupement 2 — Altitude 35",
        "Groupement 3 — INterland",
    ]
    # The 2025 page names only the first of the six titulaires of the current one.
    (titulaire,) = actuel.titularites.select_related("groupement")
    assert titulaire.groupement.nom == "Groupement 1 — Alphaville"
    assert titulaire.date_notification <= actuel.date_debut
    for accord in (ancien, actuel):
        assert accord.acheteur.type == Organisation.Type.DGALN
        assert accord.code_cpv == "71410000"
        assert all(t.date_notification <= t.accord_cadre.date_fin for t in accord.titularites.all())
    assert all(_cle_valide(s) for s in [SIRET_ACHETEUR, *SIRETS_MANDATAIRES.values()])
    assert set(actuel.documents.values_list("type", "version")) == {
        (DocumentAccordCadre.Type.CCP, 1),
        (DocumentAccordCadre.Type.BORDEREAU_PRIX, 1),
        (DocumentAccordCadre.Type.MODELE_NOTE, 1),
    }
    assert not ancien.documents.exists()
    # Through the services, journalled once each, DGALN's demo account acting.
    journal = Evenement.objects.filter(code__startswith="accord_cadre.")
    assert journal.filter(atelier=None).count() == journal.count() == 2 + 4 + 3
    assert journal.filter(code=CodeAccordCadre.TITULAIRE_AJOUTE).count() == 4
    assert set(journal.values_list("par__email", flat=True)) == {"dgaln@demo.atelier-local.test"}
    # No demo atelier yet: no marché.
    assert not MarcheSubsequent.objects.exists()


def test_le_marche_s_ouvre_pour_les_ateliers_qui_vont_au_dela_de_l_eligibilite(client, comptes):
    intitule, _, pilote, etapes, _, mois = _plan("Pays Basque")
    assert "lancer_marche" in etapes
    service = Organisation.objects.get(nom=pilote)
    atelier = AtelierFactory(intitule=intitule, phase=Phase.ELIGIBLE, service_pilote=service)
    lorient, _, pilote_lorient, etapes_lorient, *_ = _plan("Lorient")
    assert "lancer_marche" not in etapes_lorient
    reste = AtelierFactory(
        intitule=lorient,
        phase=Phase.ELIGIBLE,
        service_pilote=Organisation.objects.get(nom=pilote_lorient),
    )
    call_command("charger_demo_marches")
    call_command("charger_demo_marches")

    marche = MarcheSubsequent.objects.get()
    atelier.refresh_from_db()
    reste.refresh_from_db()
    assert (marche.atelier, marche.statut, atelier.phase, reste.phase) == (
        atelier,
        MarcheSubsequent.Statut.EN_PREPARATION,
        Phase.MARCHE,
        Phase.ELIGIBLE,
    )
    assert marche.accord_cadre.reference == "DHUP-AD1-2023-AT"
    ligne = Evenement.objects.get(atelier=atelier, code="marche.ouvert")
    assert ligne.par.adhesions.filter(organisation=service).exists()
    # Its line takes its place in the atelier's months, and the marché's dates with it.
    debut = timezone.now() - datetime.timedelta(days=30 * mois, minutes=5)
    assert debut <= ligne.date < timezone.now() - datetime.timedelta(days=1)
    assert marche.ouvert_le == marche.statut_depuis == ligne.date

    # The pilot's demo account downloads the accord-cadre's documents from its marché.
    client.force_login(Utilisateur.objects.filter(adhesions__organisation=service).first())
    page = client.get(reverse("marches:marche", args=[marche.pk]))
    assert len(page.context["documents_accord_cadre"]) == 3
    ccp = marche.accord_cadre.documents.get(type=DocumentAccordCadre.Type.CCP)
    telechargement = client.get(reverse("documents:fichier", args=[ccp.fichier.uuid]))
    assert telechargement.status_code == 200
    assert b"".join(telechargement.streaming_content).startswith(b"%PDF")


def test_sans_les_comptes_de_demo_la_commande_le_dit(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="charger_demo"):
        call_command("charger_demo_marches")


def test_les_marches_de_demo_refusent_la_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("charger_demo_marches")
