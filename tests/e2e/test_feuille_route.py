"""The feuille de route in Chromium, from the keyboard: the groupement titulaire writes an
objective, an axis and three actions (the first with its financing), reads the remainder to
finance, and exports the plan as a workbook that openpyxl reads back. Every page goes through
axe-core and the Nu checker."""

import io

from openpyxl import load_workbook
from playwright.sync_api import expect

from livrables.models import Action
from tests.e2e.test_candidature import appuyer, suivre
from tests.e2e.test_marche import envoyer, se_connecter
from tests.livrables.conftest import liv  # noqa: F401 - the fixture

ACTIONS = [
    ("Renaturer les berges de la Dordogne", "Élevée", "120000"),
    ("Créer une maison du projet", "Moyenne", ""),
    ("Suivre la consommation foncière", "Basse", ""),
]


def test_le_groupement_ecrit_trois_actions_et_les_exporte(
    page,
    live_server,
    verifier_page,
    liv,  # noqa: F811
):
    se_connecter(page, live_server, verifier_page, liv.groupement, premiere=True)
    page.goto(f"{live_server.url}/livrables/atelier/{liv.atelier.pk}/feuille_route/plan/")
    verifier_page()
    expect(page.get_by_text("Aucun axe n'est encore écrit")).to_be_visible()

    suivre(page, page.get_by_role("link", name="Ajouter un objectif"))
    verifier_page()
    page.get_by_label("Intitulé").fill("Sobriété foncière")
    envoyer(page, verifier_page, "Enregistrer", "L'objectif « Sobriété foncière » est enregistré.")

    suivre(page, page.get_by_role("link", name="Ajouter un axe"))
    verifier_page()
    page.get_by_label("Intitulé").fill("Vivre avec la rivière")
    envoyer(page, verifier_page, "Enregistrer", "L'axe « Vivre avec la rivière » est enregistré.")

    for numero, (titre, priorite, cout) in enumerate(ACTIONS, start=1):
        suivre(page, page.get_by_role("link", name="Ajouter une action"))
        verifier_page()
        page.get_by_label("Titre").fill(titre)
        page.get_by_label("Priorité").select_option(label=priorite)
        if cout:
            page.get_by_label("Coût estimé").fill(cout)
            page.get_by_label("Source").first.select_option(label="État — Fonds vert")
            page.get_by_label("Montant").first.fill("45000")
        envoyer(
            page,
            verifier_page,
            "Enregistrer l'action",
            f"L'action A{numero} « {titre} » est enregistrée.",
        )

    ligne = page.get_by_role("row", name="A1")
    expect(ligne).to_contain_text("75\u00a0000\u00a0€")
    expect(page.get_by_text("3 actions ; coût estimé 120\u00a0000\u00a0€")).to_be_visible()
    assert Action.objects.filter(livrable__atelier=liv.atelier).count() == 3

    with page.expect_download() as attente:
        appuyer(page, page.get_by_role("link", name="Exporter en classeur (XLSX)"))
    telechargement = attente.value
    assert telechargement.suggested_filename == f"feuille-de-route-{liv.atelier.reference}.xlsx"
    with open(telechargement.path(), "rb") as fichier:
        classeur = load_workbook(io.BytesIO(fichier.read()), read_only=True)
    actions = list(classeur["Actions"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2], r[5]) for r in actions] == [
        (n, "Vivre avec la rivière", titre, priorite)
        for n, (titre, priorite, _) in enumerate(ACTIONS, start=1)
    ]
    financements = list(classeur["Financements"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[3]) for r in financements] == [(1, "État — Fonds vert", 45000)]
    assert [r[0] for r in classeur["Objectifs"].iter_rows(min_row=2, values_only=True)] == [
        "Sobriété foncière"
    ]
