"""An overdue compte-rendu in Chromium, axe-core and the HTML checker on every page: the night
job raises its alert; the pilot meets it on the home page, in the list and on the calendar;
once the groupement writes it, the next night clears it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ateliers.models import CompteRendu, Phase, Session
from ateliers.services.alertes import alertes_lever
from ateliers.services.cadrage import cadrage_ouvrir
from ateliers.services.session import sessions_creer
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.e2e.test_candidature import suivre


@pytest.mark.django_db(transaction=True)
def test_un_compte_rendu_en_retard_leve_une_alerte_que_le_pilote_voit_partout(
    page, live_server, connecter, verifier_page
):
    ddt = OrganisationFactory(ddt=True)
    debut = timezone.localdate() - datetime.timedelta(days=90)
    atelier = AtelierFactory(
        phase=Phase.SESSION_2,
        service_pilote=ddt,
        groupement=OrganisationFactory(groupement=True),
        departements=[ddt.departement],
        intitule="Vallée verte",
        debut_accompagnement=debut,
    )
    cadrage_ouvrir(atelier=atelier, debut=debut, duree_mois=12)
    (session, *_) = sessions_creer(atelier=atelier)
    # Held twenty days ago, as the session's services leave it (tests/e2e/test_sessions.py).
    tenue_le = timezone.localdate() - datetime.timedelta(days=20)
    Session.objects.filter(pk=session.pk).update(statut="tenue", date=tenue_le, lieu="Mairie")
    assert alertes_lever() == (1, 0)
    connecter(UtilisateurFactory(organisations=[ddt]))

    alerte = page.locator("#alertes")
    expect(alerte).to_contain_text("Une alerte sur vos ateliers")
    expect(alerte).to_contain_text("son compte-rendu n'est pas écrit, 15 jours après")
    page.goto(f"{live_server.url}/ateliers/")
    expect(page.get_by_role("link", name="1 alerte")).to_be_visible()
    verifier_page()
    suivre(page, page.get_by_role("link", name="1 alerte"))
    expect(page.get_by_role("heading", name="Une alerte")).to_be_visible()
    expect(page.get_by_role("row", name="Session 1 : diagnostic et enjeux")).to_contain_text("Fait")
    verifier_page()

    CompteRendu.objects.create(session=session, synthese="Les enjeux sont partagés.")
    assert alertes_lever() == (0, 1)
    page.reload()
    expect(page.get_by_role("heading", name="Une alerte")).to_have_count(0)
    verifier_page()
