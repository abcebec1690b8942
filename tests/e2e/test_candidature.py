"""The whole candidature in Chromium, as its users do it: a DDT(M) opens the pré-candidature,
DGALN confirms it, a collectivité writes every part of the note (three porteurs in a
repeatable block, a resource uploaded), deposits the three signed letters and the dossier.
Actions are fired from the keyboard; every page visited goes through axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ateliers.models import Atelier, Phase
from candidatures.models import Candidature, Porteurs, Ressources
from comptes.models import Organisation
from tests.candidatures.dossier import lettre_pdf
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.territoires.factories import EPCIFactory


def pdf(nom, texte):
    return {"name": nom, "mimeType": "application/pdf", "buffer": lettre_pdf(texte)}


def suivre(page, lien):
    """Follow a link from the keyboard and wait for the page it leads to."""
    lien.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")


def appuyer(page, locator, touche="Enter"):
    """Reach a control and use it from the keyboard, as someone without a mouse does."""
    locator.focus()
    page.keyboard.press(touche)


def cocher(page, locator):
    appuyer(page, locator, "Space")
    expect(locator).to_be_checked()


def enregistrer(page, verifier_page, titre):
    appuyer(page, page.get_by_role("button", name="Enregistrer", exact=True))
    expect(page.get_by_text(f"« {titre} » est enregistrée.")).to_be_visible()
    verifier_page()


def aller_a(page, verifier_page, titre):
    suivre(
        page,
        page.get_by_role("navigation", name="Note d'opportunité").get_by_role(
            "link", name=re.compile(f"^{re.escape(titre)}")
        ),
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(titre)
    verifier_page()


def ligne(page, bloc, rang):
    return page.get_by_role("group", name=f"{bloc} — ligne {rang}")


@pytest.mark.django_db(transaction=True)
def test_de_la_precandidature_au_depot_au_clavier(
    page, live_server, connecter, verifier_page, context, thematiques
):
    ddt = OrganisationFactory(ddt=True, nom="DDTM de la Gironde")
    epci = EPCIFactory(nom="CC du Médoc Atlantique", departement=ddt.departement)
    communaute = OrganisationFactory(
        nom=epci.nom, siren=epci.siren, type=Organisation.Type.EPCI, departement=ddt.departement
    )
    agent = UtilisateurFactory(organisations=[ddt], prenom="Sacha")
    dgaln = UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)])
    redactrice = UtilisateurFactory(organisations=[communaute], prenom="Camille")

    # The DDT(M) opens the pré-candidature.
    connecter(agent)
    suivre(page, page.get_by_role("link", name="Ateliers de mon territoire"))
    suivre(page, page.get_by_role("link", name="Ouvrir une pré-candidature"))
    verifier_page()
    page.get_by_label("Intitulé provisoire de l'atelier").fill("Le littoral du Médoc recule")
    page.get_by_label("Intention").fill("Anticiper le recul du trait de côte.")
    cocher(page, page.get_by_label("Risques : érosion, inondation, sécheresse"))
    cocher(page, page.get_by_label(epci.nom))
    contact = page.get_by_role("group", name="Contact 1")
    contact.get_by_label("Prénom et nom").fill("Sacha Essai")
    contact.get_by_label("Organisation").fill("DDTM de la Gironde")
    contact.get_by_label("Adresse électronique").fill("sacha@exemple.test")
    appuyer(page, page.get_by_role("button", name="Ouvrir la pré-candidature"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Le littoral du Médoc recule")
    verifier_page()
    atelier = Atelier.objects.get()

    # DGALN confirms the opportunity.
    context.clear_cookies()
    connecter(dgaln)
    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/")
    appuyer(page, page.get_by_role("button", name="Confirmer l'opportunité"))
    modale = page.get_by_role("dialog", name="Confirmer l'opportunité ?")
    expect(modale).to_be_visible()
    verifier_page()
    appuyer(page, modale.get_by_role("button", name="Confirmer l'opportunité"))
    expect(page.get_by_text("Opportunité confirmée. Les porteurs sont prévenus.")).to_be_visible()

    # The collectivité writes the note, part after part.
    context.clear_cookies()
    connecter(redactrice)
    page.goto(f"{live_server.url}/ateliers/{atelier.pk}/")
    verifier_page()
    suivre(page, page.get_by_role("link", name="Section 1 — Les porteurs").first)
    expect(page.get_by_role("heading", level=1)).to_have_text("Section 1 — Les porteurs")
    verifier_page()
    premiere = ligne(page, "Collectivités porteuses", 1)
    expect(premiere.get_by_label("Collectivité")).to_have_value(epci.nom)
    for rang, (commune, siren) in enumerate(
        [
            (None, None),
            ("Commune de Soulac-sur-Mer", "213305142"),
            ("Commune de Lacanau", "213302149"),
        ],
        start=1,
    ):
        if rang > 1:
            appuyer(
                page, page.get_by_role("button", name="Ajouter une ligne : collectivités porteuses")
            )
            expect(ligne(page, "Collectivités porteuses", rang)).to_be_visible()
            verifier_page()
        bloc = ligne(page, "Collectivités porteuses", rang)
        if commune:
            bloc.get_by_label("Collectivité").fill(commune)
            bloc.get_by_label("SIREN").fill(siren)
        bloc.get_by_label("Élu représentant").fill(f"Élu {rang}, maire")
        bloc.get_by_label("Référent technique (prénom et nom)").fill(f"Référent {rang}")
        bloc.get_by_label("Fonction du référent").fill("Chargé de mission")
        bloc.get_by_label("Adresse électronique du référent").fill(f"ref{rang}@medoc.test")
    page.get_by_label("Référent du service de l'État (prénom et nom)").fill("Claire Martin")
    page.locator("#id_referent_etat_courriel").fill("claire.martin@gironde.gouv.test")
    enregistrer(page, verifier_page, "Section 1 — Les porteurs")
    porteurs = Porteurs.objects.get(candidature__atelier=atelier)
    assert [r["organisation"] for r in porteurs.collectivites] == [
        epci.nom,
        "Commune de Soulac-sur-Mer",
        "Commune de Lacanau",
    ]

    aller_a(page, verifier_page, "Section 2 — La localisation")
    cocher(page, page.get_by_label("Intercommunale", exact=True))
    page.get_by_label("Description du secteur").fill("La côte sableuse entre Soulac et Lacanau.")
    enregistrer(page, verifier_page, "Section 2 — La localisation")

    aller_a(page, verifier_page, "Section 3 — L'objet")
    page.get_by_label("Problématique").fill("Comment recomposer le littoral qui recule ?")
    page.get_by_label("Enjeux").fill("Habitat, tourisme et milieux dunaires.")
    enregistrer(page, verifier_page, "Section 3 — L'objet")

    aller_a(page, verifier_page, "Section 4 — Les objectifs")
    ligne(page, "Objectifs de l'atelier", 1).get_by_role(
        "textbox", name=re.compile("^Objectif")
    ).fill("Une stratégie de repli")
    page.get_by_label("Résultats attendus").fill("Une feuille de route partagée.")
    page.get_by_label("Questions posées à l'équipe").fill("Où relocaliser, à quel horizon ?")
    enregistrer(page, verifier_page, "Section 4 — Les objectifs")

    aller_a(page, verifier_page, "Section 5 — Les ressources")
    acteur = ligne(page, "Acteurs à mobiliser", 1)
    acteur.get_by_role("textbox", name=re.compile("^Acteur")).fill("Conservatoire du littoral")
    acteur.get_by_label("Type d'acteur").select_option(index=1)
    document = ligne(page, "Ressources documentaires", 1)
    document.get_by_label("Titre du document").fill("Étude du trait de côte 2024")
    document.get_by_label("Type de document").select_option(index=1)
    document.get_by_label("Fichier").set_input_files(pdf("trait-de-cote.pdf", "Etude"))
    page.get_by_label("Moyens mis à disposition pour les sessions").fill("Salle des fêtes.")
    enregistrer(page, verifier_page, "Section 5 — Les ressources")
    expect(page.get_by_text("trait-de-cote.pdf")).to_be_visible()
    assert Ressources.objects.get(candidature__atelier=atelier).documents[0]["fichier"]

    aller_a(page, verifier_page, "Annexe 1 — Les dynamiques du territoire")
    for libelle in (
        "Démographie",
        "Économie et emploi",
        "Habitat et logement",
        "Mobilités",
        "Environnement et paysage",
    ):
        page.get_by_role("textbox", name=re.compile(f"^{libelle}")).fill(
            f"{libelle} : ce que l'on sait."
        )
    enregistrer(page, verifier_page, "Annexe 1 — Les dynamiques du territoire")

    aller_a(page, verifier_page, "Annexe 2 — Les dynamiques d'aménagement")
    planification = ligne(page, "Documents de planification", 1)
    planification.get_by_role("combobox", name=re.compile("^Document")).select_option(index=1)
    planification.get_by_role("combobox", name=re.compile("^État")).select_option(index=1)
    page.get_by_label("Projets d'aménagement en cours").fill("Relocalisation du front de mer.")
    enregistrer(page, verifier_page, "Annexe 2 — Les dynamiques d'aménagement")

    # The three signed letters.
    suivre(page, page.get_by_role("link", name=re.compile("^Courriers signés")))
    verifier_page()
    for rang, section in enumerate(page.locator("section[id^='courrier-']").all()):
        section.get_by_label("Courrier signé").set_input_files(pdf(f"lettre-{rang}.pdf", "Signe"))
        appuyer(page, section.get_by_role("button", name="Déposer le courrier signé"))
        expect(page.get_by_text("est déposée.")).to_be_visible()
    verifier_page()

    # The dépôt, confirmed.
    suivre(page, page.get_by_role("link", name=re.compile("^Dépôt")))
    verifier_page()
    appuyer(page, page.get_by_role("button", name="Confirmer : déposer la candidature"))
    expect(page.get_by_text("Version 1 déposée le")).to_be_visible()
    verifier_page()
    candidature = Candidature.objects.get(atelier=atelier)
    assert candidature.statut == Candidature.Statut.DEPOSEE
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.INSTRUCTION
    assert candidature.versions.get().numero == 1
    assert any(m.subject.startswith("Candidature déposée") for m in mail.outbox)
