"""The money of a notified marché: the tranche's states (every transition allowed and
refused), the database's guards, and each service (state, journal, e-mails, refusals with
their messages)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from ateliers.models import Evenement
from ateliers.services import ActionImpossible
from comptes.models import Courriel
from marches.models import (
    CodeFinances,
    CreditAnnuel,
    Execution,
    Jalon,
    MarcheSubsequent,
    Paiement,
    Tranche,
)
from marches.models.finances import euros, repartir
from marches.selectors import annees_de_notification, situation_financiere, totaux_nationaux
from marches.services import (
    TrancheSaisie,
    credit_enregistrer,
    execution_modifier,
    execution_ouvrir,
    paiement_enregistrer,
    tranche_liberer,
)
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.marches.factories import (
    ConsultationFactory,
    MarcheFactory,
    OffreFactory,
    VersionCctpFactory,
)

pytestmark = pytest.mark.django_db

S = MarcheSubsequent.Statut
T = Tranche.Statut
NOTIFIE_LE = datetime.date(2026, 3, 2)
ECHEANCIER = [
    TrancheSaisie("Avance à la notification", Jalon.AVANCE, Decimal(20)),
    TrancheSaisie("Note de cadrage validée", Jalon.NOTE_CADRAGE, Decimal(10)),
    TrancheSaisie("Session 1 tenue", Jalon.SESSION_1, Decimal(20)),
    TrancheSaisie("Session 2 tenue", Jalon.SESSION_2, Decimal(20)),
    TrancheSaisie("Session 3 tenue", Jalon.SESSION_3, Decimal(15)),
    TrancheSaisie("Livrables finaux validés", Jalon.LIVRABLES_FINAUX, Decimal(15)),
]


def marche_notifie(**kwargs):
    """A notified marché whose attributaire sent an offer in its round."""
    marche = MarcheFactory(statut=S.NOTIFIE, notifie_le=NOTIFIE_LE, **kwargs)
    version = VersionCctpFactory(consultation=ConsultationFactory(marche=marche))
    OffreFactory(version_cctp=version, groupement=marche.attributaire)
    return marche


def ouvrir(marche, par, tranches=ECHEANCIER, **kwargs):
    champs = {
        "montant_ht": Decimal("95000.00"),
        "montant_tva": Decimal("19000.00"),
        "montant_ttc": Decimal("114000.00"),
        "numero_ej": "2101234567",
        "duree_mois": 12,
        **kwargs,
    }
    return execution_ouvrir(marche=marche, par=par, tranches=tranches, **champs)


def payer(tranche, par, montant, le=datetime.date(2026, 3, 10)):
    return paiement_enregistrer(
        tranche=tranche,
        par=par,
        date_service_fait=le,
        date_mandatement=le,
        montant=Decimal(montant),
    )


@pytest.fixture
def marche():
    return marche_notifie()


@pytest.fixture
def pilote(marche):
    return UtilisateurFactory(organisations=[marche.atelier.service_pilote])


@pytest.fixture
def execution(marche, pilote):
    return ouvrir(marche, pilote)


def tranche(execution, jalon):
    return Tranche.objects.get(execution=execution, jalon=jalon)


# The tranche's states.

SOURCES = {"rendre_exigible": [T.PREVUE], "solder": [T.EXIGIBLE]}
CIBLES = {"rendre_exigible": T.EXIGIBLE, "solder": T.PAYEE}


def test_les_transitions_de_la_tranche_sont_celles_du_tableau():
    declarees = {t.name for t in Tranche._meta.get_field("statut").get_all_transitions(Tranche)}
    assert declarees == set(SOURCES)


@pytest.mark.parametrize(("transition", "statut"), [(t, s) for t in SOURCES for s in T])
def test_transition_de_la_tranche_permise_ou_refusee(execution, transition, statut):
    ligne = tranche(execution, Jalon.SESSION_1)
    Tranche.objects.filter(pk=ligne.pk).update(statut=statut)
    ligne = Tranche.objects.get(pk=ligne.pk)
    if transition == "solder":
        Paiement.objects.create(
            tranche=ligne,
            date_service_fait=NOTIFIE_LE,
            date_mandatement=NOTIFIE_LE,
            montant=ligne.montant,
        )
    arguments = {"le": NOTIFIE_LE} if transition == "solder" else {}
    if statut in SOURCES[transition]:
        getattr(ligne, transition)(**arguments)
        assert ligne.statut == CIBLES[transition]
    else:
        with pytest.raises(TransitionNotAllowed):
            getattr(ligne, transition)(**arguments)


def test_une_tranche_ne_se_solde_pas_avant_d_etre_couverte(execution):
    ligne = tranche(execution, Jalon.AVANCE)
    assert ligne.statut == T.EXIGIBLE
    with pytest.raises(TransitionNotAllowed):
        ligne.solder(le=NOTIFIE_LE)


def test_l_etat_de_la_tranche_ne_s_ecrit_pas_a_la_main(execution):
    ligne = tranche(execution, Jalon.SESSION_1)
    with pytest.raises(AttributeError):
        ligne.statut = T.PAYEE


def test_la_base_refuse_un_ttc_faux_un_ej_mal_forme_et_un_mandatement_avant_service_fait(
    execution,
):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Execution.objects.filter(pk=execution.pk).update(montant_ttc=Decimal("1"))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Execution.objects.filter(pk=execution.pk).update(numero_ej="12345")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Paiement.objects.create(
            tranche=tranche(execution, Jalon.AVANCE),
            date_service_fait=datetime.date(2026, 3, 10),
            date_mandatement=datetime.date(2026, 3, 9),
            montant=Decimal(1),
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        CreditAnnuel.objects.bulk_create(
            [
                CreditAnnuel(marche=execution.marche, annee=2026, ae=1, cp=1),
                CreditAnnuel(marche=execution.marche, annee=2026, ae=2, cp=2),
            ]
        )


def test_la_repartition_tombe_juste_au_centime():
    # 50 % of 100,01 € is 50,005 €: rounded up for the first, the last takes what is left.
    assert repartir(Decimal("100.01"), [Decimal(50), Decimal(50)]) == [
        Decimal("50.01"),
        Decimal("50.00"),
    ]
    parts = repartir(Decimal("100000.01"), [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")])
    assert parts == [Decimal("33330.00"), Decimal("33330.00"), Decimal("33340.01")]
    assert sum(parts) == Decimal("100000.01")


def test_les_montants_s_ecrivent_en_francais():
    assert euros(Decimal(100000)) == "100\u00a0000\u00a0€"
    assert euros(Decimal(1250), centimes=True) == "1\u00a0250,00\u00a0€"
    assert euros(Decimal("1250.5")) == "1\u00a0250,50\u00a0€"


# Opening the execution.


def test_ouvrir_l_execution_repartit_l_echeancier_et_libere_l_avance(marche, pilote):
    collegue = UtilisateurFactory(organisations=[marche.atelier.service_pilote])
    execution = ouvrir(marche, pilote)
    tranches = list(execution.tranches.order_by("ordre"))
    assert [t.montant for t in tranches] == [
        Decimal("22800.00"),
        Decimal("11400.00"),
        Decimal("22800.00"),
        Decimal("22800.00"),
        Decimal("17100.00"),
        Decimal("17100.00"),
    ]
    assert sum(t.montant for t in tranches) == execution.montant_ttc
    assert [t.statut for t in tranches] == [T.EXIGIBLE, *[T.PREVUE] * 5]
    (ligne,) = Evenement.objects.filter(atelier=marche.atelier)
    assert ligne.code == CodeFinances.EXECUTION_OUVERTE
    assert "95\u00a0000,00\u00a0€ HT" in ligne.libelle and "2101234567" in ligne.libelle
    assert "Avance à la notification" in ligne.commentaire
    courriels = Courriel.objects.filter(gabarit="tranche_exigible")
    assert {c.destinataire for c in courriels} == {pilote.email, collegue.email}
    assert "22\u00a0800,00\u00a0€ TTC (20\u00a0% du montant notifié)" in courriels[0].corps


def test_sans_avance_aucune_tranche_n_est_exigible(marche, pilote):
    execution = ouvrir(
        marche,
        pilote,
        tranches=[
            TrancheSaisie("Cadrage", Jalon.NOTE_CADRAGE, Decimal(50)),
            TrancheSaisie("Fin", Jalon.LIVRABLES_FINAUX, Decimal(50)),
        ],
    )
    assert set(execution.tranches.values_list("statut", flat=True)) == {T.PREVUE}
    assert not Courriel.objects.filter(gabarit="tranche_exigible").exists()


def test_ouvrir_est_reserve_au_pilote_d_un_marche_notifie(marche):
    for user in (
        UtilisateurFactory(organisations=[marche.atelier.collectivites.first()]),
        membre(dgaln=True),
        UtilisateurFactory(organisations=[marche.attributaire]),
        membre(ddt=True),
    ):
        with pytest.raises(PermissionDenied):
            ouvrir(marche, user)
    attribue = MarcheFactory(statut=S.ATTRIBUE)
    with pytest.raises(PermissionDenied):
        ouvrir(attribue, UtilisateurFactory(organisations=[attribue.atelier.service_pilote]))
    assert not Execution.objects.exists()


def test_ouvrir_deux_fois_est_refuse(execution, pilote):
    with pytest.raises(ActionImpossible, match="déjà ouverte"):
        ouvrir(execution.marche, pilote)


@pytest.mark.parametrize(
    ("tranches", "message"),
    [
        (
            [
                TrancheSaisie("Avance", Jalon.AVANCE, Decimal(20)),
                TrancheSaisie("Fin", Jalon.LIVRABLES_FINAUX, Decimal(75)),
            ],
            "totalisent 95\u00a0% : ils doivent faire exactement 100 %",
        ),
        (
            [
                TrancheSaisie("Avance", Jalon.AVANCE, Decimal("20.5")),
                TrancheSaisie("Fin", Jalon.LIVRABLES_FINAUX, Decimal(80)),
            ],
            "totalisent 100,5\u00a0%",
        ),
        ([], "au moins une tranche"),
        ([TrancheSaisie("Tout", Jalon.AUTRE, Decimal(0))], "entre 0 et 100"),
        ([TrancheSaisie("Tout", "inconnu", Decimal(100))], "pas de jalon connu"),
    ],
)
def test_l_echeancier_fait_exactement_100(marche, pilote, tranches, message):
    with pytest.raises(ActionImpossible, match=message):
        ouvrir(marche, pilote, tranches=tranches)
    assert not Execution.objects.exists()


def test_ouvrir_refuse_un_ttc_faux_et_un_ej_mal_forme(marche, pilote):
    with pytest.raises(ActionImpossible, match="n'est pas la somme du montant HT"):
        ouvrir(marche, pilote, montant_ttc=Decimal("114000.01"))
    with pytest.raises(ActionImpossible, match="exactement 10 chiffres"):
        ouvrir(marche, pilote, numero_ej="210123456")
    with pytest.raises(ActionImpossible, match="exactement 10 chiffres"):
        ouvrir(marche, pilote, numero_ej="21O1234567")
    assert not Execution.objects.exists()


# A tranche released by its milestone.


def test_liberer_une_tranche_la_rend_exigible_et_previent_le_pilote(execution, pilote):
    Courriel.objects.all().delete()
    avant = Evenement.objects.count()
    ligne = tranche_liberer(tranche=tranche(execution, Jalon.SESSION_1), par=pilote)
    assert ligne.statut == T.EXIGIBLE and ligne.exigible_le is not None
    (evenement,) = Evenement.objects.order_by("pk")[avant:]
    assert evenement.code == CodeFinances.TRANCHE_EXIGIBLE
    assert (evenement.etat_avant, evenement.etat_apres) == (T.PREVUE, T.EXIGIBLE)
    assert evenement.atelier_id == execution.marche.atelier_id
    assert evenement.commentaire == (
        "« Session 1 tenue » (Session 1 tenue) : 22\u00a0800,00\u00a0€ à mandater"
    )
    (courriel,) = Courriel.objects.filter(gabarit="tranche_exigible")
    assert courriel.destinataire == pilote.email
    assert "Session 1 tenue" in courriel.sujet + courriel.corps


def test_liberer_deux_fois_ou_sans_droit_est_refuse(execution, pilote, agent_dgaln):
    ligne = tranche(execution, Jalon.SESSION_2)
    with pytest.raises(PermissionDenied):
        tranche_liberer(tranche=ligne, par=agent_dgaln)
    tranche_liberer(tranche=ligne, par=pilote)
    with pytest.raises(ActionImpossible, match="Exigible"):
        tranche_liberer(tranche=ligne, par=pilote)


# Payments.


def test_un_paiement_qui_couvre_la_tranche_la_solde(execution, pilote):
    avance = tranche(execution, Jalon.AVANCE)
    payer(avance, pilote, "10000.00")
    avance = Tranche.objects.get(pk=avance.pk)
    assert avance.statut == T.EXIGIBLE and avance.reste() == Decimal("12800.00")
    avant = Evenement.objects.count()
    payer(avance, pilote, "12800.00", le=datetime.date(2026, 4, 1))
    avance = Tranche.objects.get(pk=avance.pk)
    assert (avance.statut, avance.payee_le) == (T.PAYEE, datetime.date(2026, 4, 1))
    (ligne,) = Evenement.objects.order_by("pk")[avant:]
    assert ligne.code == CodeFinances.PAIEMENT_ENREGISTRE
    assert ligne.libelle.endswith("désormais soldée")
    situation = situation_financiere(execution.marche)
    assert (situation.paye, situation.reste, situation.pourcentage_paye) == (
        Decimal("22800.00"),
        Decimal("91200.00"),
        20,
    )
    with pytest.raises(ActionImpossible, match="déjà entièrement payée"):
        payer(avance, pilote, "1")


def test_l_execution_garde_la_somme_de_ses_paiements(execution, pilote):
    avance = tranche(execution, Jalon.AVANCE)
    payer(avance, pilote, "10000.00")
    assert Execution.objects.get(pk=execution.pk).montant_paye == Decimal("10000.00")
    payer(avance, pilote, "12800.00")
    assert Execution.objects.get(pk=execution.pk).montant_paye == Decimal("22800.00")


def test_un_paiement_ne_depasse_pas_le_montant_notifie_et_le_dit(marche, pilote):
    execution = ouvrir(marche, pilote, tranches=[TrancheSaisie("Tout", Jalon.AVANCE, CENT)])
    with pytest.raises(
        ActionImpossible,
        match="Ce paiement dépasserait le montant notifié de 1\u00a0250,00\u00a0€",
    ):
        payer(tranche(execution, Jalon.AVANCE), pilote, "115250.00")
    assert not Paiement.objects.exists()
    assert Execution.objects.get(pk=execution.pk).montant_paye == 0


def test_un_paiement_ne_depasse_pas_le_reste_de_sa_tranche(execution, pilote):
    with pytest.raises(ActionImpossible, match=r"reste à payer de la tranche .* de 200,00"):
        payer(tranche(execution, Jalon.AVANCE), pilote, "23000.00")


def test_un_paiement_attend_que_le_jalon_soit_atteint(execution, pilote):
    with pytest.raises(ActionImpossible, match="pas encore exigible"):
        payer(tranche(execution, Jalon.SESSION_3), pilote, "1.00")


def test_les_dates_d_un_paiement_sont_sensees(execution, pilote):
    avance = tranche(execution, Jalon.AVANCE)
    with pytest.raises(ActionImpossible, match="ne peut pas précéder la date du service fait"):
        paiement_enregistrer(
            tranche=avance,
            par=pilote,
            date_service_fait=datetime.date(2026, 3, 10),
            date_mandatement=datetime.date(2026, 3, 9),
            montant=Decimal(1),
        )
    with pytest.raises(ActionImpossible, match="précéder la notification du marché"):
        payer(avance, pilote, "1", le=datetime.date(2026, 3, 1))
    demain = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ActionImpossible, match="La date doit être comprise entre"):
        payer(avance, pilote, "1", le=demain)
    assert not Paiement.objects.exists()


def test_payer_est_reserve_au_pilote(execution, agent_dgaln):
    porteuse = UtilisateurFactory(organisations=[execution.marche.atelier.collectivites.first()])
    for user in (
        agent_dgaln,
        porteuse,
        UtilisateurFactory(organisations=[execution.marche.attributaire]),
    ):
        with pytest.raises(PermissionDenied):
            payer(tranche(execution, Jalon.AVANCE), user, "1")


# Changing the execution.


def _saisies(execution):
    return [
        TrancheSaisie(t.libelle, t.jalon, t.pourcentage, t.pk)
        for t in execution.tranches.order_by("ordre")
    ]


def _modifier(execution, par, **kwargs):
    champs = {
        "montant_ht": execution.montant_ht,
        "montant_tva": execution.montant_tva,
        "montant_ttc": execution.montant_ttc,
        "numero_ej": execution.numero_ej,
        "duree_mois": execution.duree_mois,
        "tranches": _saisies(execution),
        "vu": execution.version,
        **kwargs,
    }
    return execution_modifier(execution=execution, par=par, **champs)


def test_modifier_l_execution_la_journalise_et_refuse_une_page_perimee(execution, pilote):
    avant = Evenement.objects.count()
    assert _modifier(execution, pilote).version == 1
    assert Evenement.objects.count() == avant
    apres = _modifier(execution, pilote, numero_ej="2109999999", duree_mois=14)
    assert (apres.version, apres.numero_ej, apres.duree_mois) == (2, "2109999999", 14)
    (ligne,) = Evenement.objects.order_by("pk")[avant:]
    assert ligne.code == CodeFinances.EXECUTION_MODIFIEE
    assert "2101234567 → 2109999999" in ligne.commentaire
    with pytest.raises(ActionImpossible, match="modifiée depuis que vous avez ouvert la page"):
        _modifier(execution, pilote, vu=1, duree_mois=15)


def test_modifier_l_echeancier_le_remplace_en_entier(execution, pilote):
    saisies = _saisies(execution)
    # Sessions 2 and 3 merged, cadrage and session 1 swapped.
    nouvelles = [
        saisies[0],
        saisies[2],
        saisies[1],
        TrancheSaisie("Sessions 2 et 3 tenues", Jalon.SESSION_3, Decimal(35), saisies[4].id),
        saisies[5],
    ]
    _modifier(execution, pilote, tranches=nouvelles)
    tranches = list(execution.tranches.order_by("ordre"))
    assert [t.libelle for t in tranches] == [
        "Avance à la notification",
        "Session 1 tenue",
        "Note de cadrage validée",
        "Sessions 2 et 3 tenues",
        "Livrables finaux validés",
    ]
    assert tranches[3].montant == Decimal("39900.00")
    assert tranches[0].statut == T.EXIGIBLE
    assert sum(t.montant for t in tranches) == execution.montant_ttc


def test_une_tranche_exigible_reste_avec_son_jalon(execution, pilote):
    saisies = _saisies(execution)
    sans_avance = [
        TrancheSaisie(s.libelle, s.jalon, s.pourcentage + (20 if i == 1 else 0), s.id)
        for i, s in enumerate(saisies)
        if i
    ]
    with pytest.raises(ActionImpossible, match="est exigible : elle reste dans l'échéancier"):
        _modifier(execution, pilote, tranches=sans_avance)
    saisies[0] = TrancheSaisie(
        saisies[0].libelle, Jalon.AUTRE, saisies[0].pourcentage, saisies[0].id
    )
    with pytest.raises(ActionImpossible, match="son jalon ne change plus"):
        _modifier(execution, pilote, tranches=saisies)


def test_apres_un_paiement_montants_et_pourcentages_sont_figes(execution, pilote):
    payer(tranche(execution, Jalon.AVANCE), pilote, "100.00")
    with pytest.raises(ActionImpossible, match="montant notifié ne change plus"):
        _modifier(
            execution,
            pilote,
            montant_ht=Decimal("90000"),
            montant_tva=Decimal("18000"),
            montant_ttc=Decimal("108000"),
        )
    saisies = _saisies(execution)
    saisies[1] = TrancheSaisie(saisies[1].libelle, saisies[1].jalon, Decimal(5), saisies[1].id)
    saisies[2] = TrancheSaisie(saisies[2].libelle, saisies[2].jalon, Decimal(25), saisies[2].id)
    with pytest.raises(ActionImpossible, match="pourcentages de l'échéancier ne changent plus"):
        _modifier(execution, pilote, tranches=saisies)
    assert _modifier(execution, pilote, numero_ej="2100000001").numero_ej == "2100000001"


def test_une_tranche_d_un_autre_marche_est_refusee(execution, pilote):
    autre = ouvrir(
        marche_notifie(atelier__service_pilote=execution.marche.atelier.service_pilote), pilote
    )
    saisies = _saisies(execution)
    saisies[-1] = TrancheSaisie(
        "Intruse", Jalon.AUTRE, saisies[-1].pourcentage, _saisies(autre)[-1].id
    )
    with pytest.raises(ActionImpossible, match="n'appartient pas à ce marché"):
        _modifier(execution, pilote, tranches=saisies)


# Credits.


def test_les_credits_d_une_annee_s_enregistrent_puis_se_corrigent(execution, pilote):
    credit_enregistrer(
        execution=execution, par=pilote, annee=2026, ae=Decimal(114000), cp=Decimal(50000)
    )
    credit_enregistrer(
        execution=execution, par=pilote, annee=2026, ae=Decimal(114000), cp=Decimal(60000)
    )
    credit_enregistrer(
        execution=execution, par=pilote, annee=2027, ae=Decimal(0), cp=Decimal(54000)
    )
    assert list(CreditAnnuel.objects.values_list("annee", "cp")) == [
        (2026, Decimal("60000.00")),
        (2027, Decimal("54000.00")),
    ]
    assert Evenement.objects.filter(code=CodeFinances.CREDITS_ENREGISTRES).count() == 3
    with pytest.raises(
        ActionImpossible,
        match=(
            "crédits de paiement de toutes les années dépasseraient le montant notifié TTC "
            "de 1\u00a0000,00"
        ),
    ):
        credit_enregistrer(
            execution=execution, par=pilote, annee=2028, ae=Decimal(0), cp=Decimal(1000)
        )
    with pytest.raises(PermissionDenied):
        credit_enregistrer(execution=execution, par=membre(dgaln=True), annee=2028, ae=0, cp=0)


# DGALN's totals.


def test_les_totaux_nationaux_par_annee_et_region(execution, pilote):
    payer(tranche(execution, Jalon.AVANCE), pilote, "22800.00")
    credit_enregistrer(
        execution=execution, par=pilote, annee=2026, ae=Decimal(114000), cp=Decimal(30000)
    )
    dreal = OrganisationFactory(dreal=True)
    autre = marche_notifie(atelier__service_pilote=dreal)
    autre_execution = ouvrir(autre, UtilisateurFactory(organisations=[dreal]))
    tout = totaux_nationaux(Execution.objects.all())
    assert tout.total.nombre == 2
    assert tout.total.notifie == Decimal("228000.00")
    assert tout.total.paye == Decimal("22800.00")
    assert tout.total.reste == Decimal("205200.00")
    par_region = {ligne.region.pk: ligne for ligne in tout.lignes}
    region_ddt = execution.marche.atelier.service_pilote.departement.region_id
    assert par_region[region_ddt].paye == Decimal("22800.00")
    assert par_region[dreal.region_id].paye == Decimal(0)
    (credits,) = tout.credits
    assert (credits.annee, credits.ae, credits.cp, credits.mandate) == (
        2026,
        Decimal("114000.00"),
        Decimal("30000.00"),
        Decimal("22800.00"),
    )
    filtre = totaux_nationaux(Execution.objects.all(), region=dreal.region_id)
    assert [ligne.notifie for ligne in filtre.lignes] == [autre_execution.montant_ttc]
    assert filtre.credits == []
    assert totaux_nationaux(Execution.objects.all(), annee=2025).lignes == []
    assert annees_de_notification(Execution.objects.all()) == [2026]


CENT = Decimal(100)


def test_ce_que_l_argent_attend_du_pilote(marche, pilote, agent_dgaln):
    from ateliers.models import Atelier
    from marches.selectors import attentes_finances

    def ateliers(user):
        return [
            list(Atelier.objects.filter(a.filtre).values_list("pk", flat=True))
            for a in attentes_finances(user)
        ]

    assert ateliers(pilote) == [[marche.atelier_id], []]
    execution = ouvrir(marche, pilote)
    assert ateliers(pilote) == [[], [marche.atelier_id]]
    payer(tranche(execution, Jalon.AVANCE), pilote, "22800.00")
    assert ateliers(pilote) == [[], []]
    assert attentes_finances(agent_dgaln) == []
    assert ateliers(UtilisateurFactory(organisations=[OrganisationFactory(ddt=True)])) == [[], []]
