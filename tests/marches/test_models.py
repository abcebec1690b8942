"""Every transition of the marché and of an offer, allowed from its sources and refused from
every other state; the database's own guards."""

import pytest
from django.db import IntegrityError, transaction
from django_fsm import TransitionNotAllowed

from marches.models import MarcheSubsequent, Offre
from tests.comptes.factories import OrganisationFactory
from tests.marches.factories import AccordCadreFactory, MarcheFactory, OffreFactory

pytestmark = pytest.mark.django_db

S = MarcheSubsequent.Statut
SOURCES_MARCHE = {
    "ouvrir": [S.NOUVEAU],
    "publier": [S.EN_PREPARATION],
    "clore_consultation": [S.EN_CONSULTATION],
    "attribuer": [S.EN_ANALYSE],
    "notifier": [S.ATTRIBUE],
    "declarer_infructueux": [S.EN_ANALYSE],
    "relancer": [S.INFRUCTUEUX],
    "classer_sans_suite": [
        S.EN_PREPARATION,
        S.EN_CONSULTATION,
        S.EN_ANALYSE,
        S.ATTRIBUE,
        S.INFRUCTUEUX,
    ],
    "abandonner_atelier": [
        S.EN_PREPARATION,
        S.EN_CONSULTATION,
        S.EN_ANALYSE,
        S.ATTRIBUE,
        S.INFRUCTUEUX,
        S.SANS_SUITE,
    ],
}
CIBLES_MARCHE = {
    "ouvrir": S.EN_PREPARATION,
    "publier": S.EN_CONSULTATION,
    "clore_consultation": S.EN_ANALYSE,
    "attribuer": S.ATTRIBUE,
    "notifier": S.NOTIFIE,
    "declarer_infructueux": S.INFRUCTUEUX,
    "relancer": S.EN_PREPARATION,
    "classer_sans_suite": S.SANS_SUITE,
    "abandonner_atelier": S.SANS_SUITE,
}


def _arguments(transition):
    import datetime

    return {
        "attribuer": {"attributaire": OrganisationFactory(groupement=True)},
        "notifier": {"le": datetime.date(2026, 11, 30)},
        "declarer_infructueux": {"motif": "Aucune offre"},
        "classer_sans_suite": {"motif": "Besoin disparu"},
        "abandonner_atelier": {"motif": "Les élus renoncent"},
    }.get(transition, {})


def test_chaque_transition_du_marche_a_ses_sources_et_sa_cible():
    declarees = {
        t.name
        for t in MarcheSubsequent._meta.get_field("statut").get_all_transitions(MarcheSubsequent)
    }
    assert declarees == set(SOURCES_MARCHE)


@pytest.mark.parametrize(
    ("transition", "statut"),
    [(t, s) for t, sources in SOURCES_MARCHE.items() for s in S],
)
def test_transition_du_marche_permise_ou_refusee(transition, statut):
    marche = MarcheFactory(statut=statut)
    methode = getattr(marche, transition)
    if statut in SOURCES_MARCHE[transition]:
        methode(**_arguments(transition))
        assert marche.statut == CIBLES_MARCHE[transition]
    else:
        with pytest.raises(TransitionNotAllowed):
            methode(**_arguments(transition))


def test_attribuer_et_notifier_fixent_l_attributaire_et_la_date():
    import datetime

    marche = MarcheFactory(statut=S.EN_ANALYSE)
    groupement = OrganisationFactory(groupement=True)
    marche.attribuer(attributaire=groupement)
    marche.notifier(le=datetime.date(2026, 11, 30))
    assert (marche.attributaire, marche.notifie_le) == (groupement, datetime.date(2026, 11, 30))


def test_le_statut_ne_se_modifie_pas_a_la_main():
    marche = MarcheFactory()
    with pytest.raises(AttributeError):
        marche.statut = S.NOTIFIE


def test_un_seul_marche_vivant_par_atelier():
    marche = MarcheFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MarcheFactory(atelier=marche.atelier, numero=2)
    MarcheFactory(atelier=marche.atelier, numero=2, statut=S.SANS_SUITE)


def test_un_classement_sans_suite_est_motive_en_base():
    with pytest.raises(IntegrityError), transaction.atomic():
        MarcheFactory(statut=S.SANS_SUITE, motif_sans_suite="")


def test_la_reference_suit_celle_de_l_atelier():
    marche = MarcheFactory(numero=2, statut=S.SANS_SUITE)
    assert marche.reference == f"{marche.atelier.reference}-M2"


def test_l_accord_cadre_dit_son_statut_par_ses_dates():
    import datetime

    from django.utils import timezone

    aujourd_hui = timezone.localdate()
    echu = AccordCadreFactory(
        date_debut=datetime.date(2019, 1, 1), date_fin=datetime.date(2023, 12, 31)
    )
    en_cours = AccordCadreFactory()
    a_venir = AccordCadreFactory(
        date_debut=aujourd_hui + datetime.timedelta(days=10),
        date_fin=aujourd_hui + datetime.timedelta(days=1000),
    )
    assert [echu.statut, en_cours.statut, a_venir.statut] == ["echu", "en_cours", "a_venir"]
    assert list(type(echu).objects.en_vigueur()) == [en_cours]


OS = Offre.Statut
SOURCES_OFFRE = {
    "constater_hors_delai": [OS.RECUE],
    "declarer_irreguliere": [OS.RECUE, OS.A_REGULARISER],
    "declarer_inacceptable": [OS.RECUE, OS.A_REGULARISER],
    "demander_regularisation": [OS.RECUE],
    "regulariser": [OS.A_REGULARISER],
}


@pytest.mark.parametrize(("transition", "statut"), [(t, s) for t in SOURCES_OFFRE for s in OS])
def test_transition_de_l_offre_permise_ou_refusee(transition, statut):
    offre = OffreFactory(
        statut=statut, motif="" if statut in (OS.RECUE, OS.HORS_DELAI) else "Motif"
    )
    methode = getattr(offre, transition)
    arguments = (
        {"motif": "Pièce manquante"} if transition.startswith(("declarer", "demander")) else {}
    )
    if statut in SOURCES_OFFRE[transition]:
        methode(**arguments)
    else:
        with pytest.raises(TransitionNotAllowed):
            methode(**arguments)


def test_une_offre_par_groupement_et_par_consultation():
    offre = OffreFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        OffreFactory(version_cctp=offre.version_cctp, groupement=offre.groupement)


def test_le_ttc_est_la_somme_du_ht_et_de_la_tva_en_base():
    from decimal import Decimal

    with pytest.raises(IntegrityError), transaction.atomic():
        OffreFactory(montant_ttc=Decimal("1.00"))


def test_une_offre_exclue_ne_se_classe_pas():
    recue = OffreFactory()
    exclue = OffreFactory(version_cctp=recue.version_cctp)
    exclue.declarer_irreguliere(motif="Note méthodologique absente")
    exclue.save()
    assert list(Offre.objects.classables()) == [recue]
    assert exclue.exclue and not recue.exclue
