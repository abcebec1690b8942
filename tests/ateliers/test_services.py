import threading
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection

from ateliers.models import SORTIES, Atelier, Evenement, Phase
from ateliers.services import (
    ActionImpossible,
    atelier_changer_phase,
    atelier_creer,
    atelier_reprendre_la_note,
    transition_appliquer,
)
from tests.ateliers.factories import AtelierFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.marques import sur_postgres
from tests.territoires.factories import DepartementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dgaln():
    return membre(dgaln=True)


@pytest.fixture
def atelier_pilote():
    ddt = OrganisationFactory(ddt=True)
    pilote = UtilisateurFactory(organisations=[ddt])
    return AtelierFactory(phase=Phase.RESTITUTION, service_pilote=ddt), pilote


def abandonner(atelier, par):
    """The phase change that ateliers itself owns in every phase of the accompagnement."""
    return atelier_changer_phase(
        atelier=atelier, vu=atelier.phase, transition="abandonner", par=par, motif="Retrait"
    )


def test_atelier_creer_ouvre_une_pre_candidature_et_l_ecrit_au_journal():
    ddt = OrganisationFactory(ddt=True)
    collectivite = OrganisationFactory(departement=ddt.departement)
    par = UtilisateurFactory(organisations=[ddt])
    atelier = atelier_creer(
        intitule="Littoral en transition",
        departements=[ddt.departement],
        par=par,
        collectivites=[collectivite],
        service_pilote=ddt,
    )
    assert atelier.phase == Phase.PRE_CANDIDATURE
    assert list(atelier.collectivites.all()) == [collectivite]
    (evenement,) = Evenement.objects.filter(atelier=atelier)
    assert evenement.libelle == "Pré-candidature ouverte"
    assert evenement.par == par
    assert evenement.organisation == ddt


def test_une_transition_ecrit_une_entree_complete_au_journal(atelier_pilote):
    atelier, pilote = atelier_pilote
    resultat = atelier_changer_phase(
        atelier=atelier,
        vu=atelier.phase,
        transition="abandonner",
        par=pilote,
        motif="Retrait de l'EPCI",
    )
    assert resultat.phase == Phase.ABANDONNE
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.ABANDONNE
    (evenement,) = Evenement.objects.filter(atelier=atelier)
    assert (evenement.etat_avant, evenement.etat_apres) == (Phase.RESTITUTION, Phase.ABANDONNE)
    assert evenement.etat_avant_libelle == "Production et restitution"
    assert evenement.etat_apres_libelle == "Abandonné"
    assert evenement.libelle == "Atelier abandonné"
    assert evenement.transition == "abandonner"
    assert evenement.par == pilote
    assert evenement.organisation == atelier.service_pilote
    assert evenement.objet == atelier
    assert evenement.commentaire == "Retrait de l'EPCI"


def test_une_action_impossible_dans_la_phase_n_ecrit_rien(atelier_pilote):
    atelier, pilote = atelier_pilote
    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.CLOTURE)
    atelier = Atelier.objects.get(pk=atelier.pk)
    with pytest.raises(ActionImpossible, match="Clôturé"):
        abandonner(atelier, pilote)
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.CLOTURE
    assert not Evenement.objects.exists()


def test_une_action_sans_le_droit_est_refusee_et_n_ecrit_rien(atelier_pilote):
    atelier, _ = atelier_pilote
    collectivite = membre()
    with pytest.raises(PermissionDenied):
        abandonner(atelier, collectivite)
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.RESTITUTION
    assert not Evenement.objects.exists()


def test_une_sortie_sans_motif_est_refusee_avec_un_message(dgaln):
    atelier = AtelierFactory(phase=Phase.RESTITUTION)
    with pytest.raises(ActionImpossible, match="motif"):
        atelier_changer_phase(atelier=atelier, vu=atelier.phase, transition="abandonner", par=dgaln)
    assert not Evenement.objects.exists()


def test_une_sortie_garde_son_motif_au_journal(dgaln):
    atelier = AtelierFactory(phase=Phase.ELIGIBLE)
    atelier_changer_phase(
        atelier=atelier,
        vu=atelier.phase,
        transition="abandonner",
        par=dgaln,
        motif="Opportunité non confirmée",
    )
    atelier = Atelier.objects.get(pk=atelier.pk)
    assert atelier.phase == Phase.ABANDONNE
    assert atelier.motif_sortie == "Opportunité non confirmée"
    assert Evenement.objects.get().commentaire == "Opportunité non confirmée"


def test_un_enregistrement_qui_echoue_ne_laisse_aucune_entree(atelier_pilote):
    atelier, pilote = atelier_pilote
    with (
        mock.patch.object(Atelier, "save", side_effect=IntegrityError("disque plein")),
        pytest.raises(IntegrityError),
    ):
        abandonner(atelier, pilote)
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.RESTITUTION
    assert not Evenement.objects.exists()


def test_un_journal_qui_echoue_annule_la_transition(atelier_pilote):
    atelier, pilote = atelier_pilote
    with (
        mock.patch("ateliers.services.Evenement.objects.create", side_effect=IntegrityError),
        pytest.raises(IntegrityError),
    ):
        abandonner(atelier, pilote)
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.RESTITUTION


def test_une_instance_perimee_ne_rejoue_pas_une_transition_deja_faite(atelier_pilote):
    atelier, pilote = atelier_pilote
    perimee = Atelier.objects.get(pk=atelier.pk)
    abandonner(atelier, pilote)
    with pytest.raises(ActionImpossible, match="plus possible"):
        abandonner(perimee, pilote)
    assert Evenement.objects.count() == 1


def test_une_modification_concurrente_donne_un_message_clair(atelier_pilote):
    """Without a row lock (SQLite), the state check at save time catches the race."""
    atelier, pilote = atelier_pilote
    original_save = Atelier.save

    def save_apres_un_autre(self, *args, **kwargs):
        Atelier.objects.filter(pk=self.pk).update(phase=Phase.SESSION_3)
        return original_save(self, *args, **kwargs)

    with (
        mock.patch.object(Atelier, "save", save_apres_un_autre),
        pytest.raises(ActionImpossible, match="autre personne"),
    ):
        abandonner(atelier, pilote)
    assert not Evenement.objects.exists()


def test_transition_appliquer_refuse_une_methode_qui_n_est_pas_une_transition(atelier_pilote):
    atelier, pilote = atelier_pilote
    with pytest.raises(ValueError):
        transition_appliquer(objet=atelier, vu=atelier.phase, transition="save", par=pilote)


@pytest.mark.django_db(transaction=True)
@sur_postgres
def test_deux_personnes_en_meme_temps_une_seule_reussit():
    """Two users decide at once: one wins, the other is told, and the journal has one entry."""
    ddt = OrganisationFactory(ddt=True)
    atelier = AtelierFactory(phase=Phase.RESTITUTION, service_pilote=ddt)
    agents = [
        UtilisateurFactory(organisations=[ddt]),
        UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)]),
    ]
    depart = threading.Barrier(2)
    issues = []

    def decider(par, transition, **kwargs):
        depart.wait()
        try:
            atelier_changer_phase(
                atelier=atelier, vu=atelier.phase, transition=transition, par=par, **kwargs
            )
            issues.append("ok")
        except ActionImpossible as exc:
            issues.append(str(exc))
        finally:
            connection.close()

    fils = [
        threading.Thread(target=decider, args=(agents[0], "abandonner"), kwargs={"motif": "Fin"}),
        threading.Thread(
            target=decider, args=(agents[1], "abandonner"), kwargs={"motif": "Hors champ"}
        ),
    ]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=30)
    assert sorted(issues)[-1] == "ok" and issues.count("ok") == 1, issues
    assert Evenement.objects.filter(atelier=atelier).count() == 1


def test_une_action_choisie_sur_une_phase_depassee_est_refusee(atelier_pilote, dgaln):
    """DGALN saw the atelier in restitution; its phase has changed since: the abandon that
    DGALN confirmed was meant for a phase that is over, so nothing is done; confirmed from the
    phase it now sees, it is."""
    atelier, _ = atelier_pilote
    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.SESSION_3)
    with pytest.raises(ActionImpossible) as refus:
        atelier_changer_phase(
            atelier=atelier, transition="abandonner", par=dgaln, vu="restitution", motif="Retrait"
        )
    assert str(refus.value) == (
        f"Cette action n'est plus possible : « {atelier} » est maintenant à l'étape "
        "« Session 3 : feuille de route ». La page a été mise à jour."
    )
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.SESSION_3
    assert not Evenement.objects.exists()
    atelier_changer_phase(
        atelier=atelier, transition="abandonner", par=dgaln, vu="session_3", motif="Retrait"
    )
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.ABANDONNE


@pytest.mark.parametrize("vu", ["", "phase_inventee", "\x00"])
def test_une_etape_vue_absente_ou_forgee_est_refusee(atelier_pilote, vu):
    atelier, pilote = atelier_pilote
    with pytest.raises(ActionImpossible, match="La page a été mise à jour"):
        atelier_changer_phase(
            atelier=atelier, transition="abandonner", par=pilote, vu=vu, motif="x"
        )
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.RESTITUTION
    assert not Evenement.objects.exists()


def _en_meme_temps(atelier, actions):
    """Run each (user, transition, kwargs) in its own thread and connection, released at the
    same instant; return each transition's outcome: "ok" or the refusal's message."""
    depart = threading.Barrier(len(actions))
    issues = {}

    def agir(par, transition, kwargs):
        depart.wait()
        try:
            atelier_changer_phase(
                atelier=atelier, transition=transition, par=par, vu="restitution", **kwargs
            )
            issues[par.pk] = "ok"
        except ActionImpossible as exc:
            issues[par.pk] = str(exc)
        finally:
            connection.close()

    fils = [threading.Thread(target=agir, args=action) for action in actions]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=30)
    return issues


@pytest.mark.django_db(transaction=True)
@sur_postgres
def test_deux_abandons_en_meme_temps_un_seul_gagne():
    """The pilot abandons the atelier while DGALN does, both from the restitution they saw:
    with real row locks, exactly one of them wins each time, the other is told, one journal
    line (the clôture is livrables' own step)."""
    ddt = OrganisationFactory(ddt=True)
    pilote = UtilisateurFactory(organisations=[ddt])
    dgaln = UtilisateurFactory(organisations=[OrganisationFactory(dgaln=True)])
    gagnants = []
    for _ in range(20):
        atelier = AtelierFactory(phase=Phase.RESTITUTION, service_pilote=ddt)
        issues = _en_meme_temps(
            atelier,
            [
                (pilote, "abandonner", {"motif": "Fin de la mission"}),
                (dgaln, "abandonner", {"motif": "Retrait de l'EPCI"}),
            ],
        )
        assert list(issues.values()).count("ok") == 1, issues
        (gagnant,) = [t for t, issue in issues.items() if issue == "ok"]
        (perdant,) = [issue for issue in issues.values() if issue != "ok"]
        assert "La page a été mise à jour" in perdant
        assert Evenement.objects.filter(atelier=atelier).count() == 1
        assert Atelier.objects.get(pk=atelier.pk).phase == Phase.ABANDONNE
        gagnants.append("pilote" if gagnant == pilote.pk else "dgaln")
    print(f"gagnants sur 20 essais : {sorted(gagnants)}")


ETAPES_D_AUTRES_APPS = [
    (t.name, t.source, t.custom["etape"])
    for t in Atelier._meta.get_field("phase").get_all_transitions(Atelier)
    if t.custom.get("etape")
]


def test_les_etapes_des_autres_apps_sont_nommees():
    """The pré-candidature, the candidature and the decisions belong to candidatures; the
    launch, the notification and the abandon during the marché to marches; the cadrage closed
    starts session 1, a session held moves the atelier to the next session or the restitution
    (ADR 0016, 0017); the clôture belongs to livrables (ADR 0019)."""
    assert {(nom, source) for nom, source, _ in ETAPES_D_AUTRES_APPS} == {
        ("confirmer_opportunite", Phase.PRE_CANDIDATURE),
        ("decliner_opportunite", Phase.PRE_CANDIDATURE),
        ("abandonner", Phase.PRE_CANDIDATURE),
        ("deposer", Phase.CANDIDATURE),
        ("abandonner", Phase.CANDIDATURE),
        ("abandonner", Phase.INSTRUCTION),
        ("declarer_eligible", Phase.INSTRUCTION),
        ("declarer_non_eligible", Phase.INSTRUCTION),
        ("corriger_non_eligible", Phase.ELIGIBLE),
        ("corriger_eligible", Phase.NON_ELIGIBLE),
        ("lancer_marche", Phase.ELIGIBLE),
        ("demarrer_cadrage", Phase.MARCHE),
        ("abandonner", Phase.MARCHE),
        ("demarrer_session_1", Phase.CADRAGE),
        ("demarrer_session_2", Phase.SESSION_1),
        ("demarrer_session_3", Phase.SESSION_2),
        ("demarrer_restitution", Phase.SESSION_3),
        ("cloturer", Phase.RESTITUTION),
    }


@pytest.mark.parametrize(("transition", "source", "etape"), ETAPES_D_AUTRES_APPS)
def test_une_etape_d_une_autre_app_est_refusee_depuis_ateliers(transition, source, etape):
    """Whoever calls, even a superuser or a service with no user: the owner's services only."""
    atelier = AtelierFactory(phase=source, sorti=source in SORTIES)
    superuser = UtilisateurFactory(is_superuser=True)
    with pytest.raises(ActionImpossible, match="appartient à une autre étape"):
        atelier_changer_phase(
            atelier=atelier, transition=transition, par=superuser, vu=source, motif="Essai"
        )
    with pytest.raises(ActionImpossible, match="appartient à une autre étape"):
        transition_appliquer(objet=atelier, transition=transition, par=None, vu=None, motif="x")
    atelier.refresh_from_db()
    assert atelier.phase == source
    assert not Evenement.objects.filter(atelier=atelier).exists()


def test_une_etape_ne_suit_que_l_objet_de_son_app():
    """An atelier's step follows a transition of its owner's object, not of any object."""
    atelier = AtelierFactory(phase=Phase.RESTITUTION)
    with pytest.raises(ValueError, match="n'est pas une étape"):
        transition_appliquer(
            objet=atelier,
            transition="abandonner",
            par=None,
            vu=None,
            phase="abandonner",
            motif="x",
        )
    atelier.refresh_from_db()
    assert atelier.phase == Phase.RESTITUTION


# The atelier takes its deposited note (called by the candidatures dépôt).


def _reprendre(atelier, par, **changes):
    arguments = {
        "atelier": atelier,
        "intitule": atelier.intitule,
        "departements": [d.code for d in atelier.departements.all()],
        "epcis": [],
        "communes": atelier.communes,
        "collectivites": [(c.siren, c.nom) for c in atelier.collectivites.all()],
        "par": par,
        **changes,
    }
    return atelier_reprendre_la_note(**arguments)


def test_reprendre_une_note_qui_dit_ce_que_dit_l_atelier_ne_change_rien():
    collectivite = OrganisationFactory()
    atelier = AtelierFactory(phase=Phase.INSTRUCTION, collectivites=[collectivite])
    assert _reprendre(atelier, UtilisateurFactory(organisations=[collectivite])) == []
    assert not Evenement.objects.exists()


def test_reprendre_la_note_dit_ce_qui_change_pour_la_ligne_du_depot():
    collectivite = OrganisationFactory(nom="Communauté du Val")
    atelier = AtelierFactory(
        phase=Phase.INSTRUCTION, intitule="Avant", collectivites=[collectivite]
    )
    ancien = atelier.departements.get()
    pilote = UtilisateurFactory(organisations=[atelier.service_pilote])
    nouveau = DepartementFactory(nom="Gers")
    changements = _reprendre(
        atelier, pilote, intitule=" Après ", departements=[nouveau.code], collectivites=[]
    )
    atelier = Atelier.objects.get(pk=atelier.pk)
    assert (atelier.intitule, list(atelier.collectivites.all())) == ("Après", [])
    assert list(atelier.departements.all()) == [nouveau]
    # The caller's line says it: the service writes none of its own.
    assert not Evenement.objects.exists()
    assert changements == [
        "Intitulé : « Avant » → « Après »",
        f"Départements ajoutés : {nouveau}",
        f"Départements retirés : {ancien}",
        "Collectivités porteuses retirées : Communauté du Val",
    ]


def test_seul_un_porteur_reporte_la_note_sur_l_atelier(dgaln):
    atelier = AtelierFactory(phase=Phase.INSTRUCTION, intitule="Avant")
    with pytest.raises(PermissionDenied):
        _reprendre(atelier, dgaln, intitule="Après")
    assert Atelier.objects.get(pk=atelier.pk).intitule == "Avant"
