"""The marché subséquent in Chromium, from the eligible atelier to the notified groupement: the
pilot launches it, writes the CCTP with a collectivité porteuse, publishes the consultation,
records a question, two offers in time and a late one; the panel marks them, the rapport
d'analyse is produced and signed, the marché attributed and notified. The atelier is then in
cadrage, its attributaire reaches it and the other groupement reads its rejection letter.
Everything from the keyboard; every page visited goes through axe-core."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ateliers.models import Atelier, Phase
from candidatures.models import Candidature
from candidatures.services import candidature_decider, candidature_deposer, candidature_ouvrir
from comptes.models import Courriel
from marches.models import Consultation, MarcheSubsequent, Offre, VersionCctp
from marches.selectors.cctp import PARIS
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.dossier import completer, deposer_courriers
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.e2e.conftest import MOT_DE_PASSE
from tests.e2e.test_candidature import appuyer, pdf, suivre
from tests.marches.cctp_outils import NOTE
from tests.marches.factories import AccordCadreFactory, TitulaireFactory

S = MarcheSubsequent.Statut


def envoyer(page, verifier_page, bouton, message):
    """Submit a form from its button and check the message the next page shows."""
    suivre(page, page.get_by_role("button", name=bouton, exact=True))
    expect(page.get_by_text(message).first).to_be_visible()
    verifier_page()


def confirmer(page, verifier_page, action, message):
    """Open an action's confirmation modal from the keyboard, confirm, check the message."""
    appuyer(page, page.get_by_role("button", name=action))
    modale = page.get_by_role("dialog", name=f"{action} ?")
    expect(modale).to_be_visible()
    verifier_page()
    suivre(page, modale.get_by_role("button", name=f"Confirmer : {action.lower()}"))
    expect(page.get_by_text(message)).to_be_visible()
    verifier_page()


def se_connecter(page, live_server, verifier_page, utilisateur, premiere=False):
    """Log in from the keyboard alone, in a fresh session (the previous user's cookies go);
    the login form, the same for everyone, is checked the first time."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/compte/connexion/")
    if premiere:
        verifier_page()
    page.get_by_label("Adresse électronique").fill(utilisateur.email)
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    verifier_page()


def atelier_eligible(collectivite, porteur):
    """An atelier whose note was deposited then declared eligible by DGALN, through the
    services: its frozen version is what the CCTP starts from."""
    atelier = AtelierFactory(
        phase=Phase.CANDIDATURE,
        intitule="Habiter la vallée",
        service_pilote=OrganisationFactory(ddt=True, nom="DDT de la Vallée"),
        collectivites=[collectivite],
    )
    candidature = completer(candidature_ouvrir(atelier=atelier), porteur, **NOTE)
    deposer_courriers(candidature, porteur)
    candidature = Candidature.objects.get(pk=candidature.pk)
    candidature_deposer(candidature=candidature, vu=candidature.statut, par=porteur)
    dgaln = UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)])
    candidature_decider(
        candidature=Candidature.objects.get(pk=candidature.pk),
        par=dgaln,
        vu=Candidature.Statut.DEPOSEE,
        eligible=True,
        motivation="Une stratégie attendue.",
        date_decision=timezone.localdate(),
    )
    return Atelier.objects.get(pk=atelier.pk)


def jour(ecart):
    """The day `ecart` days from today, in Paris, where PLACE's deadlines are set."""
    return timezone.localdate(timezone=PARIS) + datetime.timedelta(days=ecart)


@pytest.mark.django_db(transaction=True)
def test_du_marche_subsequent_a_la_notification_au_clavier(
    page, live_server, verifier_page, thematiques
):
    collectivite = OrganisationFactory(nom="Communauté du Val")
    porteuse = UtilisateurFactory(organisations=[collectivite], prenom="Camille")
    atelier = atelier_eligible(collectivite, porteuse)
    pilote = UtilisateurFactory(organisations=[atelier.service_pilote], prenom="Lou")
    accord = AccordCadreFactory(reference="AC-2024-001")
    groupements = {}
    for nom in ("Alphaville", "Altitude 35", "INterland"):
        organisation = OrganisationFactory(groupement=True, nom=nom)
        TitulaireFactory(accord_cadre=accord, groupement=organisation)
        groupements[nom] = UtilisateurFactory(organisations=[organisation])

    # The pilot launches the marché from the atelier's page.
    se_connecter(page, live_server, verifier_page, pilote, premiere=True)
    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/")
    verifier_page()
    confirmer(
        page, verifier_page, "Lancer le marché subséquent", "rédigez le CCTP avec les porteurs"
    )
    marche = MarcheSubsequent.objects.get(atelier=atelier)
    assert marche.statut == S.EN_PREPARATION

    # The CCTP starts from the note; the pilot writes the calendar, the only part it lacks.
    suivre(page, page.get_by_role("link", name="Rédiger le CCTP"))
    expect(page.get_by_label("Problématique")).to_have_value("Comment habiter la vallée ?")
    verifier_page()
    suivre(page, page.get_by_role("link", name=re.compile("^Durée et calendrier")))
    verifier_page()
    page.get_by_label("Calendrier prévisionnel").fill("De janvier à décembre 2027.")
    envoyer(page, verifier_page, "Enregistrer", "« Durée et calendrier » est enregistrée.")

    # The collectivité porteuse, logged in, sharpens the stakes.
    se_connecter(page, live_server, verifier_page, porteuse)
    page.goto(f"{live_server.url}/marches/{marche.pk}/")
    verifier_page()
    suivre(page, page.get_by_role("link", name="Rédiger le CCTP"))
    page.get_by_label("Enjeux").fill("Habitat, crues et mobilités du quotidien.")
    envoyer(page, verifier_page, "Enregistrer", "« Objet et contexte » est enregistrée.")

    # The pilot publishes the consultation: the CCTP is frozen in version 1, its PDF rendered.
    se_connecter(page, live_server, verifier_page, pilote)
    page.goto(f"{live_server.url}/marches/{marche.pk}/")
    expect(page.get_by_text("Le CCTP est prêt à être publié.")).to_be_visible()
    verifier_page()
    suivre(page, page.get_by_role("link", name="Publier la consultation"))
    verifier_page()
    page.get_by_label("Référence de la consultation sur PLACE").fill("2026-PLACE-0042")
    page.get_by_label("Date limite de remise des offres").fill(jour(30).isoformat())
    page.get_by_label("Heure limite (heure de Paris)").fill("12:00")
    envoyer(page, verifier_page, "Publier la consultation", "est figé en version 1")
    expect(page.get_by_role("link", name=re.compile("^Télécharger « CCTP"))).to_be_visible()
    version = VersionCctp.objects.get(marche=marche)
    assert version.numero == 1 and version.document.statut == "pret"
    consultation = Consultation.objects.get(marche=marche)
    assert set(consultation.consultes.values_list("nom", flat=True)) == set(groupements)

    # A question received on PLACE, answered at once.
    suivre(page, page.get_by_role("link", name="Questions et réponses de la consultation"))
    verifier_page()
    page.get_by_label("Question reçue sur PLACE").fill(
        "Quelle est la date de la première session ?"
    )
    page.get_by_label("Reçue le : date").fill(jour(0).isoformat())
    page.get_by_label("Reçue le : heure").fill("00:00")
    page.get_by_label("Réponse (facultatif)").fill("Au printemps, selon le calendrier du CCTP.")
    envoyer(page, verifier_page, "Enregistrer la question", "Question n° 1 enregistrée")

    # The deadline is a month away: move the round's dates (never its state) so that it passed
    # two days ago, with its publication five days ago, as if the weeks had gone by.
    Consultation.objects.filter(pk=consultation.pk).update(
        publiee_le=jour(-5),
        date_limite=datetime.datetime.combine(jour(-2), datetime.time(12), tzinfo=PARIS),
    )
    VersionCctp.objects.filter(pk=version.pk).update(
        publiee_le=datetime.datetime.combine(jour(-5), datetime.time(9), tzinfo=PARIS)
    )
    page.goto(f"{live_server.url}/marches/{marche.pk}/")
    verifier_page()
    confirmer(page, verifier_page, "Clore la remise des offres", "le marché est en analyse.")

    # Two offers in time, one received after the deadline.
    for nom, recue, montant in (
        ("Alphaville", jour(-3), "90000"),
        ("Altitude 35", jour(-3), "100000"),
        ("INterland", jour(-1), "80000"),
    ):
        suivre(page, page.get_by_role("link", name="Enregistrer une offre reçue sur PLACE"))
        verifier_page()
        # The groupements without an offer are listed by name: the next one is the first.
        groupement = page.get_by_label("Groupement")
        appuyer(page, groupement, "ArrowDown")
        expect(groupement.locator("option:checked")).to_have_text(nom)
        page.get_by_label("Reçue sur PLACE le : date").fill(recue.isoformat())
        page.get_by_label("Reçue sur PLACE le : heure").fill("10:00")
        page.locator("#id_montant_ht").fill(montant)
        page.get_by_label("TVA (€)").fill(str(int(montant) // 5))
        page.locator("#id_phases-0-montant_ht").fill(montant)
        for piece in ("note_methodologique", "presentation_competences", "proposition_financiere"):
            page.locator(f"#id_{piece}").set_input_files(pdf(f"{piece}.pdf", piece))
        envoyer(page, verifier_page, "Enregistrer l'offre", f"Offre de {nom} enregistrée")
    expect(page.get_by_text("enregistrée hors délai")).to_be_visible()
    assert Offre.objects.get(groupement__nom="INterland").statut == Offre.Statut.HORS_DELAI

    # The collectivité marks both offers on its own; the late one is not marked.
    se_connecter(page, live_server, verifier_page, porteuse)
    page.goto(f"{live_server.url}/marches/{marche.pk}/")
    suivre(page, page.get_by_role("link", name="Voir l'analyse des offres"))
    verifier_page()
    expect(page.get_by_role("link", name=re.compile("INterland$"))).to_have_count(0)
    for nom, note in (("Alphaville", "4"), ("Altitude 35", "3")):
        noter(page, verifier_page, f"Vos notes pour l'offre de {nom}", note, "Vos notes")

    # The pilot records the collegial marks, produces the rapport d'analyse and signs it.
    se_connecter(page, live_server, verifier_page, pilote)
    page.goto(f"{live_server.url}/marches/{marche.pk}/analyse/")
    verifier_page()
    for nom, note in (("Alphaville", "4"), ("Altitude 35", "3")):
        noter(
            page, verifier_page, f"Notes collégiales de l'offre de {nom}", note, "Notes collégiales"
        )
    # Hand-computed: price 40 × lowest ÷ own, each sub-criterion its weight × mark ÷ 5.
    expect(page.get_by_role("row", name=re.compile("^Alphaville"))).to_contain_text("88,00")
    expect(page.get_by_role("row", name=re.compile("^Altitude 35"))).to_contain_text("72,00")
    envoyer(page, verifier_page, "Produire le rapport d'analyse", "Rapport d'analyse n° 1 demandé")
    expect(page.get_by_role("link", name=re.compile("^Télécharger « Rapport"))).to_be_visible()
    envoyer(page, verifier_page, "Signer le rapport n° 1", "Rapport n° 1 signé au titre de")

    # The collectivité signs it too.
    se_connecter(page, live_server, verifier_page, porteuse)
    page.goto(f"{live_server.url}/marches/{marche.pk}/analyse/")
    verifier_page()
    envoyer(
        page,
        verifier_page,
        "Signer le rapport n° 1",
        "Rapport n° 1 signé au titre de Communauté du Val",
    )

    # The pilot attributes the marché to the first ranked, then notifies it.
    se_connecter(page, live_server, verifier_page, pilote)
    page.goto(f"{live_server.url}/marches/{marche.pk}/analyse/")
    suivre(page, page.get_by_role("link", name="Attribuer le marché"))
    verifier_page()
    expect(page.get_by_label("Alphaville")).to_be_checked()
    page.get_by_label("Motifs du choix").fill("La méthode la plus solide et le meilleur prix.")
    envoyer(page, verifier_page, "Confirmer : attribuer le marché", "Marché attribué à Alphaville.")
    suivre(page, page.get_by_role("link", name="Notifier le marché"))
    verifier_page()
    page.locator("#id_acte_engagement").set_input_files(pdf("acte-engagement.pdf", "Acte signe"))
    envoyer(page, verifier_page, "Confirmer : notifier le marché", "L'atelier entre en cadrage")
    expect(
        page.get_by_role("link", name=re.compile("^Télécharger « Lettre de rejet"))
    ).to_have_count(2)
    expect(page.get_by_role("link", name=re.compile("^Télécharger « Notification"))).to_be_visible()
    assert MarcheSubsequent.objects.get(pk=marche.pk).statut == S.NOTIFIE

    # The atelier is in cadrage, on its page as in the database.
    suivre(page, page.get_by_role("link", name=re.compile(f"^{atelier.reference}")))
    expect(page.locator(".fr-stepper__title")).to_contain_text("Lancement et cadrage")
    verifier_page()
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.CADRAGE

    # The attributaire's user reaches the atelier from « Mes missions ».
    se_connecter(page, live_server, verifier_page, groupements["Alphaville"])
    suivre(page, page.get_by_role("link", name="Mes missions"))
    verifier_page()
    suivre(page, page.get_by_role("link", name=re.compile(atelier.reference)))
    expect(page.get_by_role("heading", level=1)).to_have_text(atelier.intitule)
    expect(page.locator(".fr-stepper__title")).to_contain_text("Lancement et cadrage")
    verifier_page()

    # The other groupement reads its rejection letter and its own result, nothing more.
    se_connecter(page, live_server, verifier_page, groupements["Altitude 35"])
    suivre(page, page.get_by_role("link", name="Mes consultations"))
    verifier_page()
    suivre(page, page.get_by_role("link", name=marche.objet))
    expect(page.get_by_text("Lettre de rejet de l'offre")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("^Télécharger « Lettre de rejet"))
    ).to_be_visible()
    expect(page.get_by_text("Votre offre est classée 2e")).to_be_visible()
    verifier_page()
    # Alphaville's price (90 000 €) is not Altitude 35's business.
    assert not re.search(r"90\D?000", page.locator("main").inner_text())
    assert set(
        Courriel.objects.filter(gabarit="lettre_rejet").values_list("destinataire", flat=True)
    ) == {groupements["Altitude 35"].email, groupements["INterland"].email}


def noter(page, verifier_page, lien, note, titre):
    """Mark an offer's three technical sub-criteria with the same mark, each justified."""
    suivre(page, page.get_by_role("link", name=lien))
    expect(page.get_by_text("Poids 30 sur 100", exact=False)).to_be_visible()
    verifier_page()
    for critere in ("Méthodologie", "Compréhension des enjeux", "Composition de l'équipe"):
        page.get_by_label(f"{critere} — note sur 5").fill(note)
        page.get_by_label(f"{critere} — justification").fill(f"{critere} : note {note}.")
    envoyer(page, verifier_page, "Enregistrer les notes", f"{titre} de l'offre de")
