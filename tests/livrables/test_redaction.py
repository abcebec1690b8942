"""The livrables written in the portal through their services: the note de cadrage (its
méthodologie, the calendar it comments, the team it mobilises), the carnet de suivi assembled
from the validated compte-rendus and the inter-ateliers (re-assembling keeps the groupement's
text; a source gone is named, never erased), the rapport final; who may write, and when."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ateliers.models import EtapePrevue, Evenement, InterAtelier, Phase
from ateliers.services import ActionImpossible
from livrables.contenus import contenu_actuel
from livrables.models import CodeLivrable, Livrable, PartieRedigee, TypeLivrable
from livrables.selectors.redaction import etat_du_carnet, parties_de
from livrables.services import version_deposer
from livrables.services.redaction import (
    MembreSaisi,
    carnet_assembler,
    carnet_enregistrer,
    carnet_partie_retirer,
    note_cadrage_enregistrer,
    rapport_final_enregistrer,
)
from tests.livrables.redaction import inter_atelier, livrable, membres, session_validee

pytestmark = pytest.mark.django_db

S = Livrable.Statut
NOTE, CARNET, RAPPORT = (
    TypeLivrable.NOTE_CADRAGE,
    TypeLivrable.CARNET_SUIVI,
    TypeLivrable.RAPPORT_FINAL,
)
AUTRES = ["pilote", "porteuse", "dgaln", "dreal", "autre_groupement"]


def journal():
    return Evenement.objects.filter(code=CodeLivrable.REDACTION_MODIFIEE)


def note(liv, par=None, vu=S.ATTENDU, **kwargs):
    kwargs.setdefault("textes", {"methodologie": "Trois temps d'arpentage."})
    return note_cadrage_enregistrer(
        livrable=livrable(liv, NOTE), par=par or liv.groupement, vu=vu, **kwargs
    )


def assembler(liv, par=None, vu=S.ATTENDU):
    return carnet_assembler(livrable=livrable(liv, CARNET), par=par or liv.groupement, vu=vu)


def mettre(liv, type, statut):
    lv = Livrable.objects.get_or_create(atelier=liv.atelier, type=type)[0]
    Livrable.objects.filter(pk=lv.pk).update(statut=statut, valide_le=timezone.now())


# The note de cadrage.


def test_la_note_cree_ses_trois_parties_aux_cles_stables_et_journalise_une_ligne(liv):
    note(liv)
    lv = Livrable.objects.get(atelier=liv.atelier, type=NOTE)
    assert [(p.cle, p.titre) for p in parties_de(lv)] == [
        ("methodologie", "Méthodologie"),
        ("calendrier", "Calendrier"),
        ("equipe", "Équipe mobilisée"),
    ]
    assert PartieRedigee.objects.get(cle="methodologie").texte == "Trois temps d'arpentage."
    (ligne,) = journal()
    assert ligne.par == liv.groupement and "Méthodologie" in ligne.commentaire


def test_un_enregistrement_sans_changement_n_ecrit_rien_au_journal(liv):
    note(liv)
    assert note(liv) == []
    assert journal().count() == 1
    note(liv, textes={"methodologie": "Quatre temps."})
    assert journal().count() == 2


def test_le_calendrier_vient_de_l_atelier_et_le_groupement_le_commente(liv):
    note(liv, commentaires={"session_1": "  Sur deux jours.  ", "inconnue": "ignoré"})
    contenu = contenu_actuel(Livrable.objects.get(atelier=liv.atelier, type=NOTE))
    calendrier = next(p for p in contenu["parties"] if p["cle"] == "calendrier")
    dates = {e.nature: e.date_prevue for e in EtapePrevue.objects.filter(atelier=liv.atelier)}
    lignes = {ligne["nature"]: ligne for ligne in calendrier["lignes"]}
    assert set(lignes) == set(dates)
    assert lignes["session_1"]["commentaire"] == "Sur deux jours."
    assert lignes["session_1"]["date"] == dates["session_1"].isoformat()
    assert "Session 1 : diagnostic et enjeux" in calendrier["texte_assemble"]
    assert "— Sur deux jours." in calendrier["texte_assemble"]
    assert calendrier["tableau"]["entetes"][0] == "Étape"


def test_l_equipe_vient_des_membres_du_groupement_titulaire(liv):
    altitude, belvedere = membres(liv)
    note(
        liv,
        equipe={
            altitude.pk: MembreSaisi(mobilise=True, role=" Pilotage et paysage "),
            belvedere.pk: MembreSaisi(mobilise=False),
        },
    )
    contenu = contenu_actuel(Livrable.objects.get(atelier=liv.atelier, type=NOTE))
    equipe = next(p for p in contenu["parties"] if p["cle"] == "equipe")
    assert equipe["lignes"] == [
        {
            "nom": "Altitude 35",
            "role": "Mandataire",
            "competences": "paysage, urbanisme",
            "role_atelier": "Pilotage et paysage",
        }
    ]
    assert equipe["texte_assemble"] == (
        "Altitude 35 (mandataire, paysage, urbanisme) : Pilotage et paysage"
    )


def test_un_membre_d_un_autre_groupement_est_refuse(liv):
    membres(liv)
    with pytest.raises(ActionImpossible, match="n'appartient pas"):
        note(liv, equipe={999_999: MembreSaisi(mobilise=True)})
    assert not PartieRedigee.objects.exists() and not journal().exists()


@pytest.mark.parametrize("qui", AUTRES)
def test_seul_le_groupement_titulaire_redige(liv, qui):
    with pytest.raises(PermissionDenied):
        note(liv, par=getattr(liv, qui))
    with pytest.raises(PermissionDenied):
        assembler(liv, par=getattr(liv, qui))
    assert not PartieRedigee.objects.exists() and not journal().exists()


@pytest.mark.parametrize("statut", [S.DEPOSE, S.VALIDE])
def test_un_livrable_depose_ou_valide_ne_se_reecrit_pas(liv, statut):
    mettre(liv, NOTE, statut)
    with pytest.raises(ActionImpossible, match="ne se réécrit que si"):
        note(liv, vu=statut)
    assert not PartieRedigee.objects.exists() and not journal().exists()


def test_un_livrable_en_corrections_se_reecrit(liv):
    mettre(liv, NOTE, S.CORRECTIONS_DEMANDEES)
    note(liv, vu=S.CORRECTIONS_DEMANDEES)
    assert PartieRedigee.objects.get(cle="methodologie").texte == "Trois temps d'arpentage."


def test_une_page_perimee_n_enregistre_pas(liv):
    mettre(liv, NOTE, S.CORRECTIONS_DEMANDEES)
    with pytest.raises(ActionImpossible, match="rechargez"):
        note(liv, vu=S.ATTENDU)


def test_rien_ne_se_redige_dans_un_atelier_clos(liv):
    liv.atelier.__class__.objects.filter(pk=liv.atelier.pk).update(phase=Phase.CLOTURE)
    liv.atelier.refresh_from_db()
    with pytest.raises(ActionImpossible, match="ses livrables ne changent plus"):
        note(liv)


def test_la_note_redigee_se_depose_avec_ses_tableaux(liv):
    note(liv)
    lv = livrable(liv, NOTE)
    version = version_deposer(livrable=lv, par=liv.groupement, vu=S.ATTENDU)
    assert [p["cle"] for p in version.contenu["parties"]] == [
        "methodologie",
        "calendrier",
        "equipe",
    ]
    assert version.contenu["parties"][1]["lignes"]


# The rapport final.


def test_le_rapport_final_a_sa_synthese_et_ses_preconisations(liv):
    rapport_final_enregistrer(
        livrable=livrable(liv, RAPPORT),
        par=liv.groupement,
        vu=S.ATTENDU,
        textes={"synthese": "Ce que l'atelier a appris.", "preconisations": "Trois priorités."},
    )
    lv = Livrable.objects.get(atelier=liv.atelier, type=RAPPORT)
    assert [(p.cle, p.texte) for p in parties_de(lv)] == [
        ("synthese", "Ce que l'atelier a appris."),
        ("preconisations", "Trois priorités."),
    ]
    assert journal().count() == 1


def test_un_service_ne_redige_que_son_type(liv):
    with pytest.raises(ValueError):
        rapport_final_enregistrer(
            livrable=livrable(liv, NOTE), par=liv.groupement, vu=S.ATTENDU, textes={}
        )


# The carnet de suivi.


def test_le_carnet_s_assemble_des_comptes_rendus_valides_et_des_inter_ateliers(liv):
    session_validee(liv, 1)
    session_validee(liv, 2)
    from tests.ateliers.sessions.factories import SessionFactory

    SessionFactory(atelier=liv.atelier, numero=3, statut="tenue")  # not validated: left out
    entree = inter_atelier(liv, jours=5)
    resultat = assembler(liv)
    parties = list(PartieRedigee.objects.order_by("ordre"))
    assert [p.source for p in parties] == [
        f"session:{parties[0].source.split(':')[1]}",
        f"inter_atelier:{entree.pk}",
        parties[2].source,
    ]
    assert parties[0].source.startswith("session:") and parties[2].source.startswith("session:")
    assert len(resultat.ajoutees) == 3 and not resultat.disparues
    assert "Le diagnostic est partagé." in parties[0].texte_assemble
    assert "Proposition 1.0 (Eau, Le maire)" in parties[0].texte_assemble
    assert "Camille Dufresne, Chambre d'agriculture" in parties[1].texte_assemble
    assert journal().count() == 1


def test_reassembler_garde_le_texte_du_groupement_et_ajoute_les_nouvelles_sources(liv):
    session = session_validee(liv, 1)
    assembler(liv)
    lv = livrable(liv, CARNET)
    cle = f"session-{session.pk}"
    carnet_enregistrer(
        livrable=lv, par=liv.groupement, vu=S.ATTENDU, textes={cle: "Notre regard."}, ordre=[cle]
    )
    session.compte_rendu.synthese = "Synthèse corrigée."
    session.compte_rendu.save()
    entree = inter_atelier(liv, jours=90)
    resultat = assembler(liv)
    assert resultat.mises_a_jour == [session.get_numero_display() + " (10 mars 2027)"]
    assert len(resultat.ajoutees) == 1
    partie = PartieRedigee.objects.get(cle=cle)
    assert partie.texte == "Notre regard."
    assert "Synthèse corrigée." in partie.texte_assemble
    nouvelle = PartieRedigee.objects.get(source=f"inter_atelier:{entree.pk}")
    assert nouvelle.ordre > partie.ordre and nouvelle.texte == ""


def test_reassembler_sans_changement_n_ecrit_rien(liv):
    session_validee(liv, 1)
    assembler(liv)
    resultat = assembler(liv)
    assert not resultat.ajoutees and not resultat.mises_a_jour
    assert journal().count() == 1


def test_une_source_disparue_est_signalee_et_gardee(liv):
    entree = inter_atelier(liv)
    assembler(liv)
    cle = f"inter-atelier-{entree.pk}"
    carnet_enregistrer(
        livrable=livrable(liv, CARNET),
        par=liv.groupement,
        vu=S.ATTENDU,
        textes={cle: "À garder."},
        ordre=[cle],
    )
    InterAtelier.objects.filter(pk=entree.pk).update(statut=InterAtelier.Statut.RETIREE)
    resultat = assembler(liv)
    assert resultat.disparues == [PartieRedigee.objects.get(cle=cle).titre]
    partie = PartieRedigee.objects.get(cle=cle)
    assert partie.texte == "À garder." and "stratégie foncière" in partie.texte_assemble
    assert etat_du_carnet(livrable(liv, CARNET)).disparues == {cle}


def test_le_groupement_retire_une_partie_dont_la_source_a_disparu_seulement(liv):
    entree = inter_atelier(liv)
    session = session_validee(liv, 1)
    assembler(liv)
    with pytest.raises(ActionImpossible, match="existe toujours"):
        carnet_partie_retirer(
            livrable=livrable(liv, CARNET),
            par=liv.groupement,
            vu=S.ATTENDU,
            cle=f"session-{session.pk}",
        )
    InterAtelier.objects.filter(pk=entree.pk).update(statut=InterAtelier.Statut.RETIREE)
    with pytest.raises(PermissionDenied):
        carnet_partie_retirer(
            livrable=livrable(liv, CARNET),
            par=liv.pilote,
            vu=S.ATTENDU,
            cle=f"inter-atelier-{entree.pk}",
        )
    carnet_partie_retirer(
        livrable=livrable(liv, CARNET),
        par=liv.groupement,
        vu=S.ATTENDU,
        cle=f"inter-atelier-{entree.pk}",
    )
    assert list(PartieRedigee.objects.values_list("cle", flat=True)) == [f"session-{session.pk}"]
    assert journal().filter(libelle__contains="partie retirée").count() == 1


def test_le_groupement_ordonne_les_parties(liv):
    premiere, seconde = inter_atelier(liv, jours=1), inter_atelier(liv, jours=2, titre="Autre")
    assembler(liv)
    a, b = f"inter-atelier-{premiere.pk}", f"inter-atelier-{seconde.pk}"
    carnet_enregistrer(
        livrable=livrable(liv, CARNET), par=liv.groupement, vu=S.ATTENDU, textes={}, ordre=[b, a]
    )
    lv = livrable(liv, CARNET)
    assert [p.cle for p in parties_de(lv)] == [b, a]
    assert [p["cle"] for p in contenu_actuel(lv)["parties"]] == [b, a]


def test_un_ordre_qui_ne_nomme_pas_chaque_partie_est_refuse(liv):
    entree = inter_atelier(liv)
    assembler(liv)
    with pytest.raises(ActionImpossible, match="rechargez"):
        carnet_enregistrer(
            livrable=livrable(liv, CARNET),
            par=liv.groupement,
            vu=S.ATTENDU,
            textes={},
            ordre=[f"inter-atelier-{entree.pk}", "autre"],
        )


@pytest.mark.parametrize("statut", [S.DEPOSE, S.VALIDE])
def test_le_carnet_depose_ne_se_reassemble_pas(liv, statut):
    inter_atelier(liv)
    mettre(liv, CARNET, statut)
    with pytest.raises(ActionImpossible):
        assembler(liv, vu=statut)
    assert not PartieRedigee.objects.exists()
