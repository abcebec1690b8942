"""The clôture of an atelier through its service: the pilot alone, refused with the list of
what is missing, then the atelier closed in the same step, journalled, e-mailed, its livret
and feuille de route publishable; read-only afterwards."""

import datetime
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from ateliers.models import Atelier, Evenement, Phase, Restitution
from ateliers.services import ActionImpossible, atelier_changer_phase, transition_appliquer
from comptes.models import Courriel
from livrables.models import Cloture, CodeCloture, Livrable, TypeLivrable
from livrables.selectors.cloture import manques_de_la_cloture
from livrables.services import atelier_cloturer
from tests.livrables.cloture import en_restitution, pret_a_clore, tenir_la_restitution, valider
from tests.marques import SUR_POSTGRES

pytestmark = pytest.mark.django_db


def cloturer(liv, par=None, vu=Phase.RESTITUTION):
    return atelier_cloturer(atelier=liv.atelier, par=par or liv.pilote, vu=vu)


# The transition of the Cloture, allowed and refused.


@pytest.mark.parametrize("statut", list(Cloture.Statut))
def test_prononcer_seulement_a_prononcer(liv, statut):
    cloture = Cloture.objects.create(atelier=liv.atelier)
    Cloture.objects.filter(pk=cloture.pk).update(statut=statut)
    cloture = Cloture.objects.get(pk=cloture.pk)
    if statut == Cloture.Statut.A_PRONONCER:
        cloture.prononcer(auteur=liv.pilote)
        assert cloture.prononcee_par == liv.pilote and cloture.prononcee_le is not None
    else:
        with pytest.raises(TransitionNotAllowed):
            cloture.prononcer(auteur=liv.pilote)


# Accepted.


def test_le_pilote_cloture_un_atelier_pret(liv):
    liv.atelier = pret_a_clore(liv.atelier)
    cloture = cloturer(liv)
    atelier = Atelier.objects.get(pk=liv.atelier.pk)
    assert atelier.phase == Phase.CLOTURE
    assert atelier.fin_accompagnement == timezone.localdate()
    assert cloture.statut == Cloture.Statut.PRONONCEE and cloture.prononcee_par == liv.pilote
    ligne = Evenement.objects.get(atelier=atelier, code=CodeCloture.PRONONCEE)
    assert (ligne.phase_avant, ligne.phase_apres) == (Phase.RESTITUTION, Phase.CLOTURE)
    assert ligne.par == liv.pilote and ligne.libelle == "Atelier clôturé"
    publiables = set(
        Livrable.objects.filter(atelier=atelier, publiable=True).values_list("type", flat=True)
    )
    assert publiables == {TypeLivrable.LIVRET, TypeLivrable.FEUILLE_ROUTE}
    assert Livrable.objects.get(atelier=atelier, type=TypeLivrable.LIVRET).accord_dgaln_le
    porteurs = set(
        Courriel.objects.filter(gabarit="atelier_cloture_porteurs").values_list(
            "destinataire", flat=True
        )
    )
    assert porteurs == {liv.pilote.email, liv.porteuse.email}
    dgaln = Courriel.objects.filter(gabarit="atelier_cloture_dgaln")
    assert list(dgaln.values_list("destinataire", flat=True)) == [liv.dgaln.email]
    assert liv.atelier.intitule in dgaln.get().sujet


def test_une_cloture_deja_ouverte_est_prononcee(liv):
    liv.atelier = pret_a_clore(liv.atelier)
    Cloture.objects.create(atelier=liv.atelier)
    cloturer(liv)
    assert Cloture.objects.get().statut == Cloture.Statut.PRONONCEE


# Refused: who, what is missing, when.


@pytest.mark.parametrize("qui", ["groupement", "porteuse", "dgaln", "dreal", "autre_groupement"])
def test_seul_le_pilote_cloture(liv, qui):
    liv.atelier = pret_a_clore(liv.atelier)
    with pytest.raises(PermissionDenied):
        cloturer(liv, par=getattr(liv, qui))
    assert Atelier.objects.get(pk=liv.atelier.pk).phase == Phase.RESTITUTION
    assert not Cloture.objects.exists()
    assert not Courriel.objects.filter(gabarit__startswith="atelier_cloture").exists()


def test_refusee_avec_tout_ce_qui_manque(liv):
    liv.atelier = en_restitution(liv.atelier)
    valider(liv.atelier, TypeLivrable.NOTE_CADRAGE, TypeLivrable.RAPPORT_FINAL)
    attendu = (
        "L'atelier ne peut pas encore être clôturé. Il manque : les livrables non validés : "
        "carnet de suivi, feuille de route, livret de capitalisation ; la restitution n'est "
        "pas tenue."
    )
    with pytest.raises(ActionImpossible) as refus:
        cloturer(liv)
    assert str(refus.value) == attendu
    assert Atelier.objects.get(pk=liv.atelier.pk).phase == Phase.RESTITUTION
    assert not Cloture.objects.exists()
    assert not Evenement.objects.filter(code=CodeCloture.PRONONCEE).exists()


def test_refusee_tant_que_la_restitution_n_est_pas_tenue(liv):
    liv.atelier = en_restitution(liv.atelier)
    valider(liv.atelier)
    assert manques_de_la_cloture(liv.atelier) == ["la restitution n'est pas tenue"]
    Restitution.objects.create(
        atelier=liv.atelier,
        date=timezone.now() + datetime.timedelta(days=3),
        compte_rendu="Prévu.",
    )
    assert manques_de_la_cloture(liv.atelier) == ["la restitution n'est pas tenue"]
    tenir_la_restitution(liv.atelier, compte_rendu="")
    assert manques_de_la_cloture(liv.atelier) == ["la restitution n'est pas tenue"]
    with pytest.raises(ActionImpossible, match="la restitution n'est pas tenue"):
        cloturer(liv)
    tenir_la_restitution(liv.atelier)
    assert manques_de_la_cloture(liv.atelier) == []


def test_refusee_avec_un_seul_livrable_manquant(liv):
    liv.atelier = en_restitution(liv.atelier)
    valider(liv.atelier, *[t for t in TypeLivrable if t != TypeLivrable.LIVRET])
    tenir_la_restitution(liv.atelier)
    assert manques_de_la_cloture(liv.atelier) == [
        "les livrables non validés : livret de capitalisation"
    ]


@pytest.mark.parametrize("phase", [Phase.SESSION_3, Phase.CADRAGE])
def test_refusee_avant_la_restitution(liv, phase):
    liv.atelier = pret_a_clore(liv.atelier)
    Atelier.objects.filter(pk=liv.atelier.pk).update(phase=phase)
    with pytest.raises(ActionImpossible, match="après sa restitution"):
        cloturer(liv, vu=phase)


def test_une_page_perimee_ne_cloture_pas(liv):
    liv.atelier = pret_a_clore(liv.atelier)
    with pytest.raises(ActionImpossible, match="La page a été mise à jour"):
        cloturer(liv, vu=Phase.SESSION_3)


def test_deux_fois_ne_cloture_qu_une_fois(liv):
    liv.atelier = pret_a_clore(liv.atelier)
    cloturer(liv)
    with pytest.raises(ActionImpossible):
        cloturer(liv)
    assert Evenement.objects.filter(code=CodeCloture.PRONONCEE).count() == 1
    assert Courriel.objects.filter(gabarit="atelier_cloture_dgaln").count() == 1


def test_la_phase_ne_se_cloture_que_par_la_cloture(liv):
    liv.atelier = pret_a_clore(liv.atelier)
    with pytest.raises(ActionImpossible, match="appartient à une autre étape"):
        atelier_changer_phase(
            atelier=liv.atelier, transition="cloturer", par=liv.pilote, vu=Phase.RESTITUTION
        )
    with pytest.raises(ActionImpossible, match="appartient à une autre étape"):
        transition_appliquer(
            objet=liv.atelier, transition="cloturer", par=liv.pilote, vu=Phase.RESTITUTION
        )
    assert Atelier.objects.get(pk=liv.atelier.pk).phase == Phase.RESTITUTION


def test_un_livrable_non_publiable_reste_non_publiable(liv):
    liv.atelier = pret_a_clore(liv.atelier)
    cloturer(liv)
    autres = Livrable.objects.filter(atelier=liv.atelier).exclude(
        type__in=[TypeLivrable.LIVRET, TypeLivrable.FEUILLE_ROUTE]
    )
    assert autres.count() == 3 and not autres.filter(publiable=True).exists()


@pytest.mark.django_db(transaction=True)
@SUR_POSTGRES[1]
@SUR_POSTGRES[0]
def test_cloturer_et_abandonner_en_meme_temps_un_seul_gagne(liv):
    """The pilot closes the atelier while DGALN abandons it, both from the restitution they
    saw: with real row locks, one wins, the other is told, one journal line of the two."""
    liv.atelier = pret_a_clore(liv.atelier)
    depart = threading.Barrier(2)
    issues = {}

    def agir(nom, action):
        depart.wait()
        try:
            action()
            issues[nom] = "ok"
        except ActionImpossible as exc:
            issues[nom] = str(exc)
        finally:
            connection.close()

    fils = [
        threading.Thread(target=agir, args=("cloture", lambda: cloturer(liv))),
        threading.Thread(
            target=agir,
            args=(
                "abandon",
                lambda: atelier_changer_phase(
                    atelier=liv.atelier,
                    transition="abandonner",
                    par=liv.dgaln,
                    vu=Phase.RESTITUTION,
                    motif="Retrait",
                ),
            ),
        ),
    ]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=30)
    assert list(issues.values()).count("ok") == 1, issues
    phase = Atelier.objects.get(pk=liv.atelier.pk).phase
    assert phase == (Phase.CLOTURE if issues["cloture"] == "ok" else Phase.ABANDONNE)
    codes = [CodeCloture.PRONONCEE, "atelier.abandonne"]
    assert Evenement.objects.filter(atelier=liv.atelier, code__in=codes).count() == 1
    assert Cloture.objects.filter(statut=Cloture.Statut.PRONONCEE).count() == (
        1 if phase == Phase.CLOTURE else 0
    )
