"""The dépôt of a feuille de route written in the portal: its rows frozen in the version, the
PDF really rendered by `documents` (plan, financing, calendar; pypdf reads each action's
title), the row diff between two versions and its partial."""

import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from pypdf import PdfReader

from ateliers.services import ActionImpossible
from documents.models import Document
from livrables.models import Action, Financement, Livrable
from livrables.pdf import GABARITS, contexte_version
from livrables.selectors.feuille_route import differences_feuille, plan_imprime
from livrables.services import commentaire_ecrire, corrections_demander, version_deposer
from livrables.services.feuille_route import action_enregistrer, objectif_enregistrer
from tests.livrables.feuille_route_aide import brouillon, feuille

pytestmark = pytest.mark.django_db

S = Livrable.Statut


def _texte_pdf(version):
    document = Document.objects.get(
        source_id=str(version.pk), gabarit="pdf/livrables/feuille_route.html"
    )
    assert document.statut == Document.Statut.PRET
    with document.fichier.open("rb") as flux:
        pages = PdfReader(io.BytesIO(flux.read())).pages
    return " ".join(" ".join(p.extract_text() for p in pages).split())


def test_le_depot_fige_les_lignes_et_rend_le_pdf(liv, media, django_capture_on_commit_callbacks):
    livrable = brouillon(liv.atelier, nombre=6, axes=2)
    with django_capture_on_commit_callbacks(execute=True):
        version = version_deposer(livrable=livrable, par=liv.groupement, vu=S.ATTENDU)
    feuille = version.contenu["feuille_route"]
    assert [a["numero"] for a in feuille["actions"]] and len(feuille["actions"]) == 6
    assert feuille["totaux"] == {"cout": "600000.00", "finance": "390000.00", "reste": "210000.00"}
    assert GABARITS["feuille_route"] == "pdf/livrables/feuille_route.html"
    texte = _texte_pdf(version)
    for action in Action.objects.filter(livrable=livrable):
        assert action.titre in texte
    for attendu in ("Plan d'action", "Plan de financement", "Calendrier", "Sobriété foncière"):
        assert attendu in texte
    assert "600 000" in texte.replace("\u202f", " ").replace("\xa0", " ")
    # The draft changes afterwards; the version does not.
    Action.objects.filter(livrable=livrable).update(titre="Changé")
    version.refresh_from_db()
    assert version.contenu["feuille_route"]["actions"][0]["titre"] != "Changé"


def test_une_feuille_sans_action_ne_se_depose_pas(liv):
    livrable = feuille(liv.atelier)
    objectif_enregistrer(livrable=livrable, par=liv.groupement, intitule="Un objectif")
    with pytest.raises(ActionImpossible, match="Rien n'est encore rédigé"):
        version_deposer(livrable=livrable, par=liv.groupement, vu=S.ATTENDU)


def test_le_brouillon_se_fige_apres_le_depot_et_se_rouvre_aux_corrections(liv):
    livrable = brouillon(liv.atelier, nombre=2)
    version_deposer(livrable=livrable, par=liv.groupement, vu=S.ATTENDU)
    with pytest.raises(ActionImpossible, match="ne se modifie plus"):
        objectif_enregistrer(livrable=livrable, par=liv.groupement, intitule="Trop tard")
    commentaire_ecrire(livrable=livrable, par=liv.pilote, texte="Chiffrez l'action 2.")
    corrections_demander(livrable=livrable, par=liv.pilote, vu=S.DEPOSE)
    assert objectif_enregistrer(livrable=livrable, par=liv.groupement, intitule="Repris").pk


def test_le_gantt_et_les_groupes_du_pdf(liv):
    livrable = brouillon(liv.atelier, nombre=4, axes=2)
    action = Action.objects.get(livrable=livrable, numero=4)
    action.debut = action.fin = None
    action.horizon = "court"
    action.save()
    plan = plan_imprime(_contenu(livrable))
    assert [g["axe"] for g in plan["plan"]] == ["Axe 1", "Axe 2"]
    assert plan["gantt"]["annees"] == [2027, 2028, 2029]
    premiere = plan["gantt"]["lignes"][0]["cellules"]
    assert [c["plein"] for c in premiere] == [True, True, True]
    assert premiere[1]["texte"] == "janv. – déc."
    assert plan["par_horizon"][0][1][0]["numero"] == 4
    assert dict(plan["par_source"]) == {
        "État — Fonds vert": Decimal("160000.00"),
        "Région": Decimal("100000.00"),
    }


def _contenu(livrable):
    from livrables.selectors.feuille_route import contenu_feuille_route

    return {"feuille_route": contenu_feuille_route(livrable)}


def test_le_diff_par_lignes(liv):
    livrable = brouillon(liv.atelier, nombre=3)
    avant = version_deposer(livrable=livrable, par=liv.groupement, vu=S.ATTENDU).contenu
    commentaire_ecrire(livrable=livrable, par=liv.pilote, texte="Retirez l'action 3.")
    corrections_demander(livrable=livrable, par=liv.pilote, vu=S.DEPOSE)
    Action.objects.filter(livrable=livrable, numero=3).delete()
    une = Action.objects.get(livrable=livrable, numero=1)
    Financement.objects.filter(action=une, source="region").update(montant=Decimal("30000"))
    action_enregistrer(
        livrable=livrable,
        par=liv.groupement,
        action=Action.objects.get(livrable=livrable, numero=2),
        valeurs={
            "axe": Action.objects.get(livrable=livrable, numero=2).axe,
            "titre": "Nouveau titre",
            "priorite": 1,
            "statut": "engagee",
        },
        financements=[],
    )
    action_enregistrer(
        livrable=livrable,
        par=liv.groupement,
        valeurs={"axe": une.axe, "titre": "Une quatrième", "priorite": 2, "statut": "a_engager"},
        financements=[{"source": "europe", "montant": Decimal(1)}],
    )
    objectif_enregistrer(livrable=livrable, par=liv.groupement, intitule="Nouvel objectif")
    apres = _contenu(livrable)
    diff = differences_feuille(avant, apres)
    assert [a["numero"] for a in diff.ajoutees] == [4]
    assert [a["numero"] for a in diff.retirees] == [3]
    modifiees = {
        m.numero: {c.libelle: (c.avant, c.apres) for c in m.champs} for m in diff.modifiees
    }
    assert set(modifiees) == {1, 2}
    assert set(modifiees[1]) == {"Plan de financement"}
    assert "Région : 30\xa0000\xa0€" in modifiees[1]["Plan de financement"][1]
    assert modifiees[2]["Titre"] == ("Action numéro 2 : renaturer la parcelle 2", "Nouveau titre")
    assert modifiees[2]["Statut"] == ("À engager", "Engagée")
    assert "Coût estimé" in modifiees[2] and "Début" in modifiees[2]
    assert diff.objectifs_ajoutes == ["Nouvel objectif"] and not diff.axes_retires
    assert differences_feuille(apres, apres).aucune
    html = render_to_string(
        "livrables/_differences_feuille_route.html", {"differences": diff, "avant": 1, "apres": 2}
    )
    for attendu in ("Une quatrième", "renaturer la parcelle 3", "Nouveau titre", "Nouvel objectif"):
        assert attendu in html


def test_le_contexte_des_autres_livrables_ne_change_pas(liv):
    from livrables.models import PartieRedigee
    from livrables.services import livrable_ouvrir

    note = livrable_ouvrir(atelier=liv.atelier, type="note_cadrage")
    PartieRedigee.objects.create(livrable=note, cle="methodologie", titre="Méthodologie", texte="x")
    version = version_deposer(livrable=note, par=liv.groupement, vu=S.ATTENDU)
    contexte = contexte_version(version)
    assert contexte["feuille"] is None and contexte["parties"][0]["cle"] == "methodologie"
