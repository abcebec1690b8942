"""The note de cadrage in Chromium, from the keyboard alone: the groupement writes it in the
portal and deposits it, the pilot asks for corrections on one of its parts, the groupement
corrects it and re-deposits answering the comment, the pilot reads what changed and validates
it; the tranche of the note de cadrage is then payable, on the marché's page. Every page
visited goes through axe-core and the Nu Html Checker."""

import re

import pytest
from playwright.sync_api import expect

from livrables.models import Commentaire, Livrable, VersionLivrable
from marches.models import Jalon, Tranche
from tests.e2e.test_candidature import appuyer
from tests.e2e.test_marche import envoyer, se_connecter, suivre
from tests.livrables.conftest import livraison


def rediger(page, verifier_page, texte):
    """From the livrable's page, write the méthodologie in the portal's editor and come back."""
    suivre(page, page.get_by_role("link", name="Rédiger dans le portail"))
    verifier_page()
    page.get_by_label("Méthodologie").fill(texte)
    envoyer(page, verifier_page, "Enregistrer", "Rédaction enregistrée")
    suivre(page, page.get_by_role("link", name="Retour au livrable"))
    verifier_page()


@pytest.mark.django_db(transaction=True)
def test_la_note_de_cadrage_deposee_corrigee_puis_validee_au_clavier(
    page, live_server, verifier_page
):
    liv = livraison(intitule="Habiter la vallée")
    adresse = f"{live_server.url}/livrables/atelier/{liv.atelier.pk}/note_cadrage/"

    # The groupement writes its note in the portal and deposits the written version.
    se_connecter(page, live_server, verifier_page, liv.groupement, premiere=True)
    page.goto(f"{live_server.url}/ateliers/{liv.atelier.pk}/")
    verifier_page()
    suivre(page, page.get_by_role("link", name="Note de cadrage"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Note de cadrage")
    verifier_page()
    rediger(page, verifier_page, "Trois temps : arpenter, partager, décider.")
    suivre(page, page.get_by_role("link", name="Déposer la version rédigée"))
    verifier_page()
    page.get_by_label("Message au service pilote").fill("La méthode est à votre relecture.")
    envoyer(page, verifier_page, "Déposer la version rédigée", "Version 1 déposée")
    expect(page.get_by_text("La méthode est à votre relecture.")).to_be_visible()

    # The pilot comments the méthodologie and asks for corrections.
    se_connecter(page, live_server, verifier_page, liv.pilote)
    page.goto(adresse)
    verifier_page()
    partie = page.get_by_label("Partie concernée")
    appuyer(page, partie, "ArrowDown")
    expect(partie.locator("option:checked")).to_have_text("Méthodologie")
    page.get_by_label("Correction demandée").fill("Dites qui décide à chaque temps.")
    envoyer(page, verifier_page, "Enregistrer le commentaire", "Commentaire enregistré")
    expect(page.get_by_text("Partie « Méthodologie » : Dites qui décide")).to_be_visible()
    suivre(page, page.get_by_role("link", name="Demander des corrections"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Demander des corrections ?")
    verifier_page()
    envoyer(page, verifier_page, "Confirmer : demander des corrections", "Corrections demandées")
    assert Livrable.objects.get().statut == Livrable.Statut.CORRECTIONS_DEMANDEES

    # The groupement corrects the part and re-deposits, answering the comment.
    se_connecter(page, live_server, verifier_page, liv.groupement)
    page.goto(adresse)
    expect(page.get_by_text("Dites qui décide à chaque temps.")).to_be_visible()
    verifier_page()
    rediger(page, verifier_page, "Trois temps : arpenter, partager, puis le comité décide.")
    suivre(page, page.get_by_role("link", name="Déposer la version rédigée"))
    verifier_page()
    envoyer(page, verifier_page, "Déposer la version rédigée", "Le formulaire contient 1 erreur")
    page.get_by_label("Votre réponse au commentaire n° 1").fill("Le comité de pilotage décide.")
    envoyer(page, verifier_page, "Déposer la version rédigée", "Version 2 déposée")
    assert Commentaire.objects.get().reponse == "Le comité de pilotage décide."

    # The pilot reads what changed and validates: the confirmation names the tranche.
    se_connecter(page, live_server, verifier_page, liv.pilote)
    page.goto(adresse)
    expect(page.get_by_text("Ce qui a changé depuis la version 1")).to_be_visible()
    expect(page.locator("ins").first).to_contain_text("le comité décide.")
    # The earlier version is folded; opened, it shows the comment and its answer.
    appuyer(page, page.get_by_role("button", name=re.compile("^Version 1 —")))
    expect(page.get_by_text("Le comité de pilotage décide.")).to_be_visible()
    verifier_page()
    suivre(page, page.get_by_role("link", name="Valider le livrable"))
    expect(page.get_by_text(re.compile("la tranche « Note de cadrage validée »"))).to_be_visible()
    verifier_page()
    envoyer(
        page,
        verifier_page,
        "Confirmer : valider le livrable",
        "la tranche « Note de cadrage validée » est exigible",
    )
    assert VersionLivrable.objects.count() == 2
    tranche = Tranche.objects.get(execution=liv.execution, jalon=Jalon.NOTE_CADRAGE)
    assert tranche.statut == Tranche.Statut.EXIGIBLE

    # The marché's page says it too.
    page.goto(f"{live_server.url}/marches/{liv.marche.pk}/")
    ligne = page.get_by_role("row", name=re.compile("Note de cadrage validée"))
    expect(ligne).to_contain_text("Exigible")
    verifier_page()
