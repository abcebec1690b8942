import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from ateliers.models import PARCOURS, PHASES_EN_COURS, Atelier, Phase
from tests.ateliers.factories import AtelierFactory

pytestmark = pytest.mark.django_db

# Each transition and the phase(s) it starts from, as the programme defines them.
SOURCES = {
    "confirmer_opportunite": [Phase.PRE_CANDIDATURE],
    "decliner_opportunite": [Phase.PRE_CANDIDATURE],
    "deposer": [Phase.CANDIDATURE],
    "declarer_eligible": [Phase.INSTRUCTION],
    "declarer_non_eligible": [Phase.INSTRUCTION],
    "corriger_non_eligible": [Phase.ELIGIBLE],
    "corriger_eligible": [Phase.NON_ELIGIBLE],
    "lancer_marche": [Phase.ELIGIBLE],
    "demarrer_cadrage": [Phase.MARCHE],
    "demarrer_session_1": [Phase.CADRAGE],
    "demarrer_session_2": [Phase.SESSION_1],
    "demarrer_session_3": [Phase.SESSION_2],
    "demarrer_restitution": [Phase.SESSION_3],
    "cloturer": [Phase.RESTITUTION],
    "abandonner": PHASES_EN_COURS,
}
CIBLES = {
    "confirmer_opportunite": Phase.CANDIDATURE,
    "decliner_opportunite": Phase.ABANDONNE,
    "deposer": Phase.INSTRUCTION,
    "declarer_eligible": Phase.ELIGIBLE,
    "declarer_non_eligible": Phase.NON_ELIGIBLE,
    "corriger_non_eligible": Phase.NON_ELIGIBLE,
    "corriger_eligible": Phase.ELIGIBLE,
    "lancer_marche": Phase.MARCHE,
    "demarrer_cadrage": Phase.CADRAGE,
    "demarrer_session_1": Phase.SESSION_1,
    "demarrer_session_2": Phase.SESSION_2,
    "demarrer_session_3": Phase.SESSION_3,
    "demarrer_restitution": Phase.RESTITUTION,
    "cloturer": Phase.CLOTURE,
    "abandonner": Phase.ABANDONNE,
}
KWARGS = {
    "decliner_opportunite": {"motif": "Opportunité non confirmée avec la DDT"},
    "declarer_non_eligible": {"motif": "Hors du champ du programme"},
    "corriger_non_eligible": {"motif": "Le périmètre ne relève pas du programme"},
    "corriger_eligible": {"motif": "Le complément reçu lève la réserve"},
    "abandonner": {"motif": "La collectivité se retire"},
}


def test_le_modele_declare_exactement_ces_transitions():
    transitions = Atelier._meta.get_field("phase").get_all_transitions(Atelier)
    declarees = {}
    for t in transitions:
        declarees.setdefault(t.name, set()).add(t.source)
        assert CIBLES[t.name] == t.target
    assert declarees == {nom: set(sources) for nom, sources in SOURCES.items()}


def test_le_parcours_suit_l_ordre_du_programme():
    avant = Phase.PRE_CANDIDATURE
    for nom in list(SOURCES)[:-1]:
        if nom in (
            "declarer_non_eligible",
            "decliner_opportunite",
            "corriger_non_eligible",
            "corriger_eligible",
        ):
            continue
        assert SOURCES[nom] == [avant]
        avant = CIBLES[nom]
    assert avant == PARCOURS[-1] == Phase.CLOTURE


@pytest.mark.parametrize("phase", list(Phase))
@pytest.mark.parametrize("transition", list(SOURCES))
def test_transition_permise_ou_refusee_selon_la_phase(transition, phase):
    sorti = phase in (Phase.NON_ELIGIBLE, Phase.ABANDONNE)
    atelier = AtelierFactory(phase=phase, sorti=sorti)
    methode = getattr(atelier, transition)
    if phase in SOURCES[transition]:
        assert can_proceed(methode)
        methode(**KWARGS.get(transition, {}))
        assert atelier.phase == CIBLES[transition]
    else:
        assert not can_proceed(methode)
        with pytest.raises(TransitionNotAllowed):
            methode(**KWARGS.get(transition, {}))
        assert atelier.phase == phase


def test_la_phase_est_protegee_contre_l_affectation_directe():
    atelier = AtelierFactory()
    with pytest.raises(AttributeError):
        atelier.phase = Phase.CLOTURE


@pytest.mark.parametrize("transition", ["abandonner", "declarer_non_eligible"])
@pytest.mark.parametrize("motif", ["", "   "])
def test_une_sortie_sans_motif_est_refusee(transition, motif):
    atelier = AtelierFactory(phase=Phase.INSTRUCTION)
    with pytest.raises(ValueError, match="motif"):
        getattr(atelier, transition)(motif=motif)
    assert atelier.phase == Phase.INSTRUCTION


def test_une_sortie_garde_la_phase_quittee_et_le_motif():
    atelier = AtelierFactory(phase=Phase.SESSION_2)
    atelier.abandonner(motif="  Changement d'exécutif  ")
    assert atelier.phase == Phase.ABANDONNE
    assert atelier.phase_avant_sortie == Phase.SESSION_2
    assert atelier.motif_sortie == "Changement d'exécutif"


def test_corriger_une_non_eligibilite_rouvre_l_atelier_sans_sa_sortie():
    atelier = AtelierFactory(phase=Phase.INSTRUCTION)
    atelier.declarer_non_eligible(motif="Hors champ")
    atelier.corriger_eligible(motif="Erreur d'appréciation")
    assert (atelier.phase, atelier.phase_avant_sortie, atelier.motif_sortie) == (
        Phase.ELIGIBLE,
        "",
        "",
    )
    atelier.save()


def test_la_base_refuse_une_sortie_sans_motif():
    with pytest.raises(IntegrityError), transaction.atomic():
        AtelierFactory(phase=Phase.ABANDONNE)


def test_demarrer_cadrage_date_le_debut_et_designe_le_groupement(django_user_model):
    from tests.comptes.factories import OrganisationFactory

    groupement = OrganisationFactory(groupement=True)
    atelier = AtelierFactory(phase=Phase.MARCHE)
    atelier.demarrer_cadrage(groupement=groupement)
    assert atelier.debut_accompagnement is not None
    assert atelier.groupement == groupement


def test_cloturer_date_la_fin():
    atelier = AtelierFactory(phase=Phase.RESTITUTION)
    atelier.cloturer()
    assert atelier.fin_accompagnement is not None


def test_deux_transitions_concurrentes_sur_la_meme_phase_une_seule_passe():
    atelier = AtelierFactory(phase=Phase.INSTRUCTION)
    premier = Atelier.objects.get(pk=atelier.pk)
    second = Atelier.objects.get(pk=atelier.pk)
    premier.declarer_eligible()
    premier.save()
    second.declarer_non_eligible(motif="Hors champ")
    with pytest.raises(ConcurrentTransition), transaction.atomic():
        second.save()
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.ELIGIBLE


def test_reference_lisible():
    atelier = AtelierFactory()
    assert atelier.reference == f"AL-{atelier.annee}-{atelier.pk:04d}"


def test_les_dates_de_l_accompagnement_restent_dans_les_annees_du_portail():
    """The admin corrects these dates through the model's validators: 1800 or 2999 is refused."""
    atelier = AtelierFactory(
        debut_accompagnement=datetime.date(1800, 1, 1),
        fin_accompagnement=datetime.date(2999, 1, 1),
    )
    with pytest.raises(ValidationError) as erreur:
        atelier.clean_fields(exclude=["phase"])  # as the admin, where the phase is read only
    message = ["La date doit être comprise entre le 1er janvier 2019 et aujourd'hui."]
    assert erreur.value.message_dict["debut_accompagnement"] == message
    assert erreur.value.message_dict["fin_accompagnement"] == message
