"""DGALN's review in Chromium: it takes a deposited dossier, asks for compléments on Section 3,
the collectivité completes and deposits again, DGALN reads what changed and declares the
candidature eligible. Actions from the keyboard; every page visited goes through axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ateliers.models import Atelier, Phase
from candidatures.models import Candidature
from candidatures.services import candidature_deposer, candidature_ouvrir
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.dossier import completer, deposer_courriers
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory


def suivre(page, lien):
    """Follow a link from the keyboard and wait for the page it leads to."""
    lien.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def appuyer(page, locator, touche="Enter"):
    locator.focus()
    page.keyboard.press(touche)


@pytest.mark.django_db(transaction=True)
def test_complements_puis_eligibilite(
    page, live_server, connecter, verifier_page, context, thematiques
):
    collectivite = OrganisationFactory(nom="Communauté de communes du Val")
    atelier = AtelierFactory(
        phase=Phase.CANDIDATURE, collectivites=[collectivite], intitule="Le Val demain"
    )
    redactrice = UtilisateurFactory(organisations=[collectivite], prenom="Camille")
    dgaln = UtilisateurFactory(
        organisations=[OrganisationFactory(dgaln=True)], prenom="Dominique", nom="Ad"
    )
    candidature = candidature_ouvrir(atelier=atelier)
    completer(candidature, redactrice, objet={"enjeux": "Enjeux de la première version."})
    deposer_courriers(candidature, redactrice)
    candidature_deposer(candidature=candidature, vu=candidature.statut, par=redactrice)

    # DGALN finds the dossier in its queue and takes it.
    connecter(dgaln)
    suivre(page, page.get_by_role("link", name=re.compile("^Candidatures à instruire")))
    verifier_page()
    suivre(page, page.get_by_role("link", name=atelier.reference))
    expect(page.get_by_text("Personne ne suit encore ce dossier")).to_be_visible()
    verifier_page()
    appuyer(page, page.get_by_role("button", name="Suivre ce dossier"))
    expect(page.get_by_text("Vous suivez ce dossier")).to_be_visible()
    expect(page.get_by_text("Suivi par Dominique Ad (DGALN).")).to_be_visible()
    verifier_page()

    # …and asks for compléments on Section 3 only.
    suivre(page, page.get_by_role("link", name="Demander des compléments"))
    verifier_page()
    section_3 = page.get_by_label("Section 3 — L'objet")
    appuyer(page, section_3, "Space")
    expect(section_3).to_be_checked()
    page.get_by_label("Message aux porteurs").fill("Précisez les enjeux pour les habitants.")
    appuyer(page, page.get_by_role("button", name="Confirmer : demander des compléments"))
    expect(page.get_by_text("Compléments demandés.")).to_be_visible()
    verifier_page()
    assert Candidature.objects.get(pk=candidature.pk).complements == ["objet"]
    assert any(m.subject.startswith("Compléments demandés") for m in mail.outbox)

    # The collectivité completes Section 3 (the others stay closed) and deposits again.
    context.clear_cookies()
    connecter(redactrice)
    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/")
    expect(page.get_by_text("La DGALN demande des compléments")).to_be_visible()
    verifier_page()
    suivre(page, page.get_by_role("link", name="Section 1 — Les porteurs").first)
    expect(page.get_by_text("seules les pièces demandées en complément")).to_be_visible()
    verifier_page()
    suivre(
        page,
        page.get_by_role("navigation", name="Note d'opportunité").get_by_role(
            "link", name=re.compile("^Section 3")
        ),
    )
    page.get_by_label("Enjeux").fill("Enjeux précisés : se loger et se déplacer dans le Val.")
    appuyer(page, page.get_by_role("button", name="Enregistrer", exact=True))
    expect(page.get_by_text("« Section 3 — L'objet » est enregistrée.")).to_be_visible()
    verifier_page()
    suivre(page, page.get_by_role("link", name=re.compile("^Dépôt")))
    verifier_page()
    appuyer(page, page.get_by_role("button", name="Confirmer : déposer la candidature"))
    expect(page.get_by_text("Version 2 déposée le")).to_be_visible()
    verifier_page()

    # DGALN reads what changed and declares the candidature eligible.
    context.clear_cookies()
    connecter(dgaln)
    page.goto(f"{live_server.url}/candidatures/{atelier.pk}/dossier/")
    suivre(page, page.get_by_role("link", name="Voir ce qui a changé depuis la version 1"))
    changements = page.get_by_role("region", name="Ce qui a changé depuis la version 1")
    expect(changements).to_contain_text("Enjeux de la première version.")
    expect(changements).to_contain_text("Enjeux précisés : se loger et se déplacer dans le Val.")
    verifier_page()
    suivre(page, page.get_by_role("link", name="Décider de l'éligibilité"))
    verifier_page()
    eligible = page.get_by_label("Éligible", exact=True)
    appuyer(page, eligible, "Space")
    expect(eligible).to_be_checked()
    page.get_by_label("Motivation").fill("Une stratégie attendue, des porteurs engagés.")
    appuyer(page, page.get_by_role("button", name="Confirmer : décider de l'éligibilité"))
    expect(page.get_by_text("Candidature déclarée éligible.")).to_be_visible()
    decisions = page.get_by_role("region", name="Décisions")
    expect(decisions).to_contain_text("Une stratégie attendue, des porteurs engagés.")
    expect(decisions.get_by_role("link", name=re.compile("^Télécharger"))).to_be_visible(
        timeout=60_000
    )
    verifier_page()
    assert Candidature.objects.get(pk=candidature.pk).statut == Candidature.Statut.ELIGIBLE
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.ELIGIBLE
    assert any(m.subject.startswith("Candidature éligible") for m in mail.outbox)
