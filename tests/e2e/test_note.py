import pytest
from playwright.sync_api import expect

from ateliers.models import Phase
from candidatures.models import Objet
from candidatures.services import candidature_ouvrir
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory


@pytest.mark.django_db(transaction=True)
def test_une_collectivite_redige_l_objet_et_l_enregistrement_automatique_le_garde(
    page, live_server, connecter, verifier_page, thematiques, console_errors
):
    collectivite = OrganisationFactory(nom="Communauté de communes du Val")
    atelier = AtelierFactory(
        phase=Phase.CANDIDATURE, collectivites=[collectivite], intitule="Le Val demain"
    )
    candidature = candidature_ouvrir(atelier=atelier)
    connecter(UtilisateurFactory(organisations=[collectivite]))

    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/")
    verifier_page()
    page.get_by_role("link", name="Section 3 — L'objet").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Section 3 — L'objet")
    verifier_page()

    page.get_by_label("Problématique").fill("Comment habiter le Val sans l'artificialiser ?")
    expect(page.get_by_role("status")).to_contain_text("Enregistré à", timeout=15_000)
    assert (
        Objet.objects.get(candidature=candidature).problematique
        == "Comment habiter le Val sans l'artificialiser ?"
    )
    page.get_by_label("Enjeux").fill("Sobriété foncière et vitalité des bourgs.")
    page.get_by_role("button", name="Enregistrer", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("« Section 3 — L'objet » est enregistrée.")).to_be_visible()
    expect(page.get_by_text("Historique de cette partie")).to_be_visible()
    verifier_page()
    assert Objet.objects.get(candidature=candidature).version == 2

    # Offline, the status says the text stays in the page; back online, autosave sends it.
    page.context.set_offline(True)
    page.get_by_label("Enjeux").fill("Sobriété foncière, vitalité des bourgs et des hameaux.")
    expect(page.get_by_role("status")).to_have_text(
        "Hors ligne : vos modifications sont gardées dans la page", timeout=15_000
    )
    expect(page.get_by_role("status")).to_have_attribute("aria-live", "polite")
    page.context.set_offline(False)
    expect(page.get_by_role("status")).to_contain_text("Enregistré à", timeout=15_000)
    objet = Objet.objects.get(candidature=candidature)
    assert objet.enjeux == "Sobriété foncière, vitalité des bourgs et des hameaux."
    # The failed request is the point of this step, not a fault of the page.
    hors_ligne = ("htmx:afterRequest", "htmx:sendError", "net::ERR_INTERNET_DISCONNECTED")
    console_errors[:] = [e for e in console_errors if not any(h in e for h in hors_ligne)]
