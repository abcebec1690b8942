"""The written livrables printed: each deposited version rendered for real in this process
(the eager pipeline), read back by pypdf: its titles and its texts; and the carnet's editor
asks the database as many times with twice the sessions, proposals and inter-ateliers."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ateliers.models import InterAtelier
from documents.models import Document
from livrables.models import Livrable, TypeLivrable
from livrables.pdf import GABARITS
from livrables.services import version_deposer
from livrables.services.redaction import (
    MembreSaisi,
    carnet_assembler,
    carnet_enregistrer,
    note_cadrage_enregistrer,
    rapport_final_enregistrer,
)
from tests.livrables.redaction import inter_atelier, livrable, membres, session_validee
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db

S = Livrable.Statut


def deposer_et_lire(liv, type, capture):
    """Deposit the written livrable, render its PDF now; its text and its bookmarks (the h1
    and h2 titles, nested)."""
    with capture(execute=True):
        version = version_deposer(livrable=livrable(liv, type), par=liv.groupement, vu=S.ATTENDU)
    document = Document.objects.get(source_id=str(version.pk), gabarit=GABARITS[type])
    assert document.statut == Document.Statut.PRET, document.erreur
    with document.fichier.open("rb") as flux:
        lecteur = PdfReader(io.BytesIO(flux.read()))
    texte = " ".join(" ".join(p.extract_text() for p in lecteur.pages).split())
    assert "/StructTreeRoot" in lecteur.trailer["/Root"]  # tagged by the pipeline
    return texte, _titres(lecteur.outline)


def _titres(signets):
    return [t for s in signets for t in (_titres(s) if isinstance(s, list) else [s.title])]


def test_la_note_de_cadrage_imprime_ses_parties_son_calendrier_et_son_equipe(
    liv, django_capture_on_commit_callbacks
):
    altitude, belvedere = membres(liv)
    note_cadrage_enregistrer(
        livrable=livrable(liv, TypeLivrable.NOTE_CADRAGE),
        par=liv.groupement,
        vu=S.ATTENDU,
        textes={"methodologie": "Arpenter le territoire avec ses habitants."},
        commentaires={"session_2": "Avec une visite de terrain."},
        equipe={
            altitude.pk: MembreSaisi(mobilise=True, role="Pilotage"),
            belvedere.pk: MembreSaisi(mobilise=False),
        },
    )
    texte, titres = deposer_et_lire(
        liv, TypeLivrable.NOTE_CADRAGE, django_capture_on_commit_callbacks
    )
    assert titres == ["Note de cadrage", "Méthodologie", "Calendrier", "Équipe mobilisée"]
    for attendu in (
        "Arpenter le territoire avec ses habitants.",
        "Session 2 : stratégie",
        "Avec une visite de terrain.",
        "Altitude 35",
        "Pilotage",
        liv.atelier.reference,
    ):
        assert attendu in texte
    assert "Belvédère" not in texte


def test_le_carnet_de_suivi_imprime_ses_sources_et_le_texte_du_groupement(
    liv, django_capture_on_commit_callbacks
):
    session = session_validee(liv, 1, synthese="Le diagnostic est partagé par tous.")
    entree = inter_atelier(liv, titre="Entretien avec la chambre d'agriculture")
    carnet_assembler(
        livrable=livrable(liv, TypeLivrable.CARNET_SUIVI), par=liv.groupement, vu=S.ATTENDU
    )
    s, i = f"session-{session.pk}", f"inter-atelier-{entree.pk}"
    carnet_enregistrer(
        livrable=livrable(liv, TypeLivrable.CARNET_SUIVI),
        par=liv.groupement,
        vu=S.ATTENDU,
        textes={s: "Une session très suivie."},
        ordre=[i, s],
    )
    texte, titres = deposer_et_lire(
        liv, TypeLivrable.CARNET_SUIVI, django_capture_on_commit_callbacks
    )
    assert titres[0] == "Carnet de suivi"
    parties = [t for t in titres if t.startswith(("Entretien du", "Session"))]
    assert parties[0].startswith("Entretien du") and parties[1].startswith("Session 1")
    assert "Ce que le groupement ajoute" in titres
    for attendu in (
        "Le diagnostic est partagé par tous.",
        "Proposition 1.0",
        "Entretien avec la chambre d'agriculture",
        "Une session très suivie.",
    ):
        assert attendu in texte


def test_le_rapport_final_imprime_sa_synthese_et_ses_preconisations(
    liv, django_capture_on_commit_callbacks
):
    rapport_final_enregistrer(
        livrable=livrable(liv, TypeLivrable.RAPPORT_FINAL),
        par=liv.groupement,
        vu=S.ATTENDU,
        textes={"synthese": "L'atelier a réuni les élus.", "preconisations": "Trois priorités."},
    )
    texte, titres = deposer_et_lire(
        liv, TypeLivrable.RAPPORT_FINAL, django_capture_on_commit_callbacks
    )
    assert titres == ["Rapport final", "Synthèse", "Préconisations"]
    assert "L'atelier a réuni les élus." in texte and "Trois priorités." in texte


# Query pins: N then 2N sessions (of three at most: one then two), proposals and inter-ateliers.


def _ajouter(liv, sessions, propositions, entrees, debut=0):
    for numero in sessions:
        session_validee(liv, numero, propositions=propositions)
    for jour in range(debut, debut + entrees):
        inter_atelier(liv, jours=jour, titre=f"Entretien {jour}")
    retiree = inter_atelier(liv, jours=-1 - debut, titre="Entretien retiré")
    carnet_assembler(
        livrable=livrable(liv, TypeLivrable.CARNET_SUIVI), par=liv.groupement, vu=S.ATTENDU
    )
    # One source more, not yet assembled, and one gone: the editor names both.
    inter_atelier(liv, jours=300 + debut, titre="Nouvel entretien")
    InterAtelier.objects.filter(pk=retiree.pk).update(statut=InterAtelier.Statut.RETIREE)


def test_l_editeur_du_carnet_compte_ses_requetes_a_n_et_2n(client, liv):
    client.force_login(liv.groupement)
    url = reverse("livrables:rediger", args=[liv.atelier.pk, TypeLivrable.CARNET_SUIVI])
    _ajouter(liv, sessions=[1], propositions=5, entrees=5)
    page = client.get(url).content.decode()
    assert "Proposition 1.4" in page and "1 source à assembler" in page
    assert "Source disparue" in page
    a_n = nombre_de_requetes(client, url)
    _ajouter(liv, sessions=[2], propositions=10, entrees=5, debut=5)
    page = client.get(url).content.decode()
    assert "Proposition 2.9" in page and "Entretien 9" in page
    assert nombre_de_requetes(client, url) == a_n
