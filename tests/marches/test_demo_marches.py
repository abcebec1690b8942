"""The demo's accords-cadres and marchés: recorded through the services, as data, once."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from ateliers.management.commands.charger_demo import ATELIERS
from ateliers.models import (
    Alerte,
    Atelier,
    Cadrage,
    CompteRendu,
    EtapePrevue,
    Evenement,
    InterAtelier,
    Phase,
    Restitution,
    Session,
)
from ateliers.selectors import a_traiter_pks
from comptes.models import Organisation, Utilisateur
from marches.demo.donnees import (
    GROUPEMENTS_FICTIFS,
    PLANS,
    SIRET_ACHETEUR,
    SIRETS_MANDATAIRES,
)
from marches.models import (
    AccordCadre,
    Attribution,
    Consultation,
    CreditAnnuel,
    DocumentAccordCadre,
    Execution,
    Lettre,
    MarcheSubsequent,
    NoteOffre,
    Offre,
    Paiement,
    PartieCctp,
    QuestionConsultation,
    RapportAnalyse,
    Tranche,
    VersionCctp,
)
from marches.services.accord_cadre import CodeAccordCadre
from portail.selectors import attentes
from tests.ateliers.factories import AtelierFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def comptes(settings):
    settings.DEBUG = True
    call_command("charger_referentiels", verbosity=0)
    call_command("charger_demo", stdout=io.StringIO())


def _plan(debut):
    return next(plan for plan in ATELIERS if plan[0].startswith(debut))


def _cle_valide(siret):
    total = 0
    for rang, chiffre in enumerate(reversed(siret)):
        n = int(chiffre) * (2 if rang % 2 else 1)
        total += n - 9 if n > 9 else n
    return len(siret) == 14 and total % 10 == 0


def test_les_deux_accords_cadres_et_leurs_titulaires_sont_des_donnees(comptes):
    call_command("charger_demo_marches")
    call_command("charger_demo_marches")
    ancien, actuel = AccordCadre.objects.order_by("date_debut")
    assert (ancien.date_debut, ancien.date_fin) == (
        datetime.date(2019, 11, 1),
        datetime.date(2023, 10, 31),
    )
    assert actuel.date_fin == datetime.date(2027, 12, 31)
    assert AccordCadre.objects.en_vigueur(datetime.date(2026, 6, 1)).get() == actuel
    assert sorted(ancien.titularites.values_list("groupement__nom", flat=True)) == [
        "Groupement 1 — Alphaville",
        "Groupement 2 — Altitude 35",
        "Groupement 3 — INterland",
    ]
    # The 2025 page names only the first of the six titulaires of the current one; the demo
    # adds two fictional teams, so that three titulaires may be consulted.
    titulaires = actuel.titularites.select_related("groupement").order_by("groupement__nom")
    assert [t.groupement.nom for t in titulaires] == [
        "Groupement 1 — Alphaville",
        "Groupement 4 — Équipe démo Littoral (fictif)",
        "Groupement 5 — Équipe démo Piémont (fictif)",
    ]
    assert all(t.date_notification <= actuel.date_debut for t in titulaires)
    for nom, membres in GROUPEMENTS_FICTIFS.items():
        groupement = Organisation.objects.get(nom=nom)
        assert groupement.type == Organisation.Type.GROUPEMENT
        assert sorted(groupement.membres_groupement.values_list("nom", flat=True)) == sorted(
            m[0] for m in membres
        )
        assert all(m[0].endswith("(fictif)") for m in membres)
    for accord in (ancien, actuel):
        assert accord.acheteur.type == Organisation.Type.DGALN
        assert accord.code_cpv == "71410000"
        assert all(t.date_notification <= t.accord_cadre.date_fin for t in accord.titularites.all())
    assert all(_cle_valide(s) for s in [SIRET_ACHETEUR, *SIRETS_MANDATAIRES.values()])
    assert set(actuel.documents.values_list("type", "version")) == {
        (DocumentAccordCadre.Type.CCP, 1),
        (DocumentAccordCadre.Type.BORDEREAU_PRIX, 1),
        (DocumentAccordCadre.Type.MODELE_NOTE, 1),
    }
    assert not ancien.documents.exists()
    # Through the services, journalled once each, DGALN's demo account acting.
    journal = Evenement.objects.filter(code__startswith="accord_cadre.")
    assert journal.filter(atelier=None).count() == journal.count() == 2 + 6 + 3
    assert journal.filter(code=CodeAccordCadre.TITULAIRE_AJOUTE).count() == 6
    assert set(journal.values_list("par__email", flat=True)) == {"dgaln@demo.atelier-local.test"}
    # No demo atelier yet: no marché.
    assert not MarcheSubsequent.objects.exists()


def test_un_atelier_hors_des_plans_garde_son_marche_en_preparation(comptes, monkeypatch):
    """An eligible atelier whose plan opens a marché without saying how far it goes: its pilot
    opens it, and it waits in preparation, dated in the atelier's months."""
    intitule, _, pilote, etapes, _, mois = _plan("Pays Basque")
    assert "lancer_marche" in etapes
    service = Organisation.objects.get(nom=pilote)
    atelier = AtelierFactory(intitule=intitule, phase=Phase.ELIGIBLE, service_pilote=service)
    lorient, _, pilote_lorient, etapes_lorient, *_ = _plan("Lorient")
    assert "lancer_marche" not in etapes_lorient
    reste = AtelierFactory(
        intitule=lorient,
        phase=Phase.ELIGIBLE,
        service_pilote=Organisation.objects.get(nom=pilote_lorient),
    )
    monkeypatch.delitem(PLANS, "Pays Basque")
    call_command("charger_demo_marches")
    call_command("charger_demo_marches")

    marche = MarcheSubsequent.objects.get()
    atelier.refresh_from_db()
    reste.refresh_from_db()
    assert (marche.atelier, marche.statut, atelier.phase, reste.phase) == (
        atelier,
        MarcheSubsequent.Statut.EN_PREPARATION,
        Phase.MARCHE,
        Phase.ELIGIBLE,
    )
    assert marche.accord_cadre.reference == "DHUP-AD1-2023-AT"
    ligne = Evenement.objects.get(atelier=atelier, code="marche.ouvert")
    assert ligne.par.adhesions.filter(organisation=service).exists()
    debut = timezone.now() - datetime.timedelta(days=30 * mois, minutes=5)
    assert debut <= ligne.date < timezone.now() - datetime.timedelta(days=1)
    assert marche.ouvert_le == marche.statut_depuis == ligne.date


@pytest.fixture
def demo(comptes):
    call_command("charger_demo_candidatures", stdout=io.StringIO())
    call_command("charger_demo_marches", stdout=io.StringIO())


def _marche(debut):
    return MarcheSubsequent.objects.select_related("atelier").get(
        atelier__intitule__startswith=debut
    )


def _compter():
    return {
        modele.__name__: modele.objects.count()
        for modele in (
            MarcheSubsequent,
            Consultation,
            VersionCctp,
            QuestionConsultation,
            Offre,
            NoteOffre,
            RapportAnalyse,
            Attribution,
            Lettre,
            Execution,
            CreditAnnuel,
            Paiement,
            Evenement,
            Organisation,
            Utilisateur,
        )
    }


def test_la_demo_montre_un_marche_a_chaque_etat_sans_doublon(demo, client):
    S = MarcheSubsequent.Statut
    avant = _compter()
    call_command("charger_demo_marches", stdout=io.StringIO())
    call_command("charger_demo_candidatures", stdout=io.StringIO())
    assert _compter() == avant
    assert avant["MarcheSubsequent"] == 8
    maintenant = timezone.now()

    # Pays Basque: in consultation, its CCTP published with one part written since the note.
    basque = _marche("Pays Basque")
    assert basque.statut == S.EN_CONSULTATION
    (consultation,) = basque.consultations.all()
    assert consultation.reference_place == PLANS["Pays Basque"].reference_place
    assert (
        maintenant + datetime.timedelta(days=20)
        < consultation.date_limite
        < maintenant + datetime.timedelta(days=22)
    )
    assert sorted(consultation.consultes.values_list("nom", flat=True)) == sorted(
        t.groupement.nom for t in basque.accord_cadre.titularites.select_related("groupement")
    )
    assert consultation.consultes.count() == 3
    assert basque.ouvert_le.date() <= consultation.publiee_le <= maintenant.date()
    (modifiee,) = PartieCctp.objects.filter(marche=basque, version__gt=0)
    assert modifiee.slug == "duree" and modifiee.contenu["calendrier"]
    assert PartieCctp.objects.filter(marche=basque).count() > 1
    (version,) = consultation.versions_cctp.all()
    assert version.contenu and version.criteres.exists()
    (question,) = consultation.questions.all()
    assert question.reponse and question.recue_le < question.reponse_publiee_le < maintenant
    assert not Offre.objects.filter(consultation=consultation).exists()
    # Its pilot's demo account downloads the accord-cadre's documents from its marché.
    client.force_login(
        Utilisateur.objects.filter(adhesions__organisation=basque.atelier.service_pilote).first()
    )
    page = client.get(reverse("marches:marche", args=[basque.pk]))
    assert len(page.context["documents_accord_cadre"]) == 3
    ccp = basque.accord_cadre.documents.get(type=DocumentAccordCadre.Type.CCP)
    telechargement = client.get(reverse("documents:fichier", args=[ccp.fichier.uuid]))
    assert telechargement.status_code == 200
    assert b"".join(telechargement.streaming_content).startswith(b"%PDF")

    # Vitré: in analysis, three offers in time, each member's marks, the collegial ones begun.
    vitre = _marche("Vitré Communauté")
    assert vitre.statut == S.EN_ANALYSE
    (consultation,) = vitre.consultations.all()
    offres = list(consultation.offres.order_by("recue_le"))
    assert len(offres) == 3
    assert all(o.statut == Offre.Statut.RECUE for o in offres)
    assert all(
        consultation.publiee_le <= o.recue_le.date() and o.recue_le < consultation.date_limite
        for o in offres
    )
    assert consultation.date_limite < consultation.close_le < maintenant
    assert [NoteOffre.objects.filter(offre=o, collegiale=True).count() for o in offres] == [3, 1, 0]
    membres = NoteOffre.objects.filter(offre__in=offres, collegiale=False)
    assert membres.count() == 3 * 3 * 2
    organisations = Organisation.objects.filter(pk__in=membres.values("organisation"))
    assert set(organisations.values_list("type", flat=True)) == {
        Organisation.Type.DDT,
        Organisation.Type.EPCI,
    }
    assert not RapportAnalyse.objects.filter(consultation=consultation).exists()
    assert not Attribution.objects.filter(consultation=consultation).exists()
    pilote = Utilisateur.objects.get(email="ddt@demo.atelier-local.test")
    client.force_login(pilote)
    page = client.get(reverse("marches:analyse", args=[vitre.pk]))
    assert page.status_code == 200
    for offre in offres:
        assert offre.groupement.nom in page.text

    # The notified ones: to the groupement their plan names, the atelier moved on.
    notifies = [debut for debut, plan in PLANS.items() if plan.jusqua == "notification"]
    assert len(notifies) == 6
    for debut in notifies:
        marche = _marche(debut)
        _, _, _, etapes, groupement, _ = _plan(debut)
        assert marche.statut == S.NOTIFIE
        assert marche.attributaire.nom == groupement == marche.atelier.groupement.nom
        # The clôture belongs to the livrables: charger_demo_livrables closes Besançon.
        assert marche.atelier.phase == etapes[-1].removeprefix("demarrer_").replace(
            "cloturer", "restitution"
        )
        attribution = Attribution.objects.get(consultation__marche=marche)
        assert attribution.acte_engagement is not None
        assert attribution.rapport.signatures.exists()
        assert attribution.decidee_le.date() <= marche.notifie_le
        assert marche.notifie_le == marche.atelier.debut_accompagnement
        assert Lettre.objects.filter(consultation__marche=marche).count() == 2

    # Arles: its money, an échéancier of 100 %, two years of credits, three payments.
    arles = _marche("Arles-Crau-Camargue")
    execution = arles.execution
    tranches = list(execution.tranches.order_by("ordre"))
    assert sum(t.pourcentage for t in tranches) == 100
    assert sum(t.montant for t in tranches) == execution.montant_ttc
    assert [t.statut for t in tranches] == [Tranche.Statut.PAYEE] * 3 + [Tranche.Statut.PREVUE] * 3
    paiements = Paiement.objects.filter(tranche__execution=execution)
    assert paiements.count() == 3
    assert all(
        arles.notifie_le <= p.date_service_fait <= p.date_mandatement < maintenant.date()
        for p in paiements
    )
    credits = CreditAnnuel.objects.filter(marche=arles).order_by("annee")
    assert [c.annee for c in credits] == [credits[0].annee, credits[0].annee + 1]
    assert sum(c.cp for c in credits) == sum(c.ae for c in credits) == execution.montant_ttc
    client.force_login(
        Utilisateur.objects.filter(adhesions__organisation=arles.atelier.service_pilote).first()
    )
    assert client.get(reverse("marches:marche", args=[arles.pk])).status_code == 200

    _accompagnement(client, maintenant)

    # The groupement's demo account reads the consultation it is invited to.
    client.force_login(Utilisateur.objects.get(email="groupement@demo.atelier-local.test"))
    page = client.get(reverse("marches:consultations"))
    assert page.status_code == 200
    assert PLANS["Pays Basque"].reference_place in page.text

    # Every journal line of the marchés was written by the services, dated in its months.
    lignes = Evenement.objects.filter(atelier__marches__isnull=False)
    assert not lignes.filter(code="").exists()
    assert not lignes.filter(date__gt=maintenant - datetime.timedelta(days=1)).exists()


def test_sans_les_comptes_de_demo_la_commande_le_dit(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="charger_demo"):
        call_command("charger_demo_marches")


def test_les_marches_de_demo_refusent_la_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("charger_demo_marches")


def _accompagnement(client, maintenant):
    """One atelier in each phase of the accompagnement, its content written by the services."""
    S = Session.Statut
    aujourd_hui = timezone.localdate()

    def atelier(debut):
        return Atelier.objects.get(intitule__startswith=debut)

    def pilote(atelier):
        return Utilisateur.objects.filter(adhesions__organisation=atelier.service_pilote).first()

    # Cotentin: the réunion de cadrage recorded, past, the calendar proposed; the pilot has to
    # close it.
    cotentin = atelier("Cotentin")
    assert cotentin.phase == Phase.CADRAGE
    cadrage = Cadrage.objects.get(atelier=cotentin)
    assert cadrage.statut == Cadrage.Statut.A_TENIR and cadrage.date < maintenant
    assert cadrage.lieu and cadrage.participants and cadrage.compte_rendu
    assert EtapePrevue.objects.filter(atelier=cotentin, nature="session_1").exists()
    clore = [a for a in attentes(pilote(cotentin)) if a.libelle == "Clore le cadrage"]
    assert set(a_traiter_pks(clore).values_list("pk", flat=True)) == {cotentin.pk}
    # Roannais: cadrage closed, session 1 ahead, its programme, guests of each collège convened.
    roannais = atelier("Roannais")
    assert roannais.phase == Phase.SESSION_1
    assert Cadrage.objects.get(atelier=roannais).statut == Cadrage.Statut.CLOS
    session = roannais.sessions.get(numero=1)
    assert session.statut == S.CONVOCATIONS_ENVOYEES and session.date > aujourd_hui
    assert session.programme.count() == 5
    participants = session.participants.all()
    assert len({p.college for p in participants}) == 5 and participants.count() == 8
    assert all(p.invite_le is not None for p in participants)
    # Arles: the compte-rendu of session 1 written with its propositions, the inter-ateliers.
    arles = atelier("Arles-Crau-Camargue")
    compte_rendu = CompteRendu.objects.get(session__atelier=arles, session__numero=1)
    assert compte_rendu.synthese and compte_rendu.propositions.count() == 3
    entrees = InterAtelier.objects.filter(atelier=arles)
    assert entrees.count() == 2
    assert {e.auteur.email for e in entrees} == {"groupement@demo.atelier-local.test"}
    # Sète: sessions 1 and 2 held, the compte-rendu of 2 validated, that of 1 late: the one
    # session alert the demo raises (Besançon, in its restitution past 12 months, has the
    # other, which its clôture clears: tests/ateliers/test_demo.py).
    sete = atelier("Sète")
    assert sete.phase == Phase.SESSION_3
    assert list(sete.sessions.order_by("numero").values_list("statut", flat=True)) == [
        S.TENUE,
        S.COMPTE_RENDU_VALIDE,
        S.A_PLANIFIER,
    ]
    premiere = sete.sessions.get(numero=1)
    assert premiere.date < aujourd_hui - datetime.timedelta(days=15)
    besancon = atelier("Grand Besançon")
    assert besancon.phase == Phase.RESTITUTION
    (douze_mois,) = Alerte.objects.filter(resolue_le__isnull=True, atelier=besancon)
    assert douze_mois.nature == Alerte.Nature.DOUZE_MOIS
    (alerte,) = Alerte.objects.filter(resolue_le__isnull=True).exclude(atelier=besancon)
    assert (alerte.atelier, alerte.nature, alerte.cle) == (
        sete,
        Alerte.Nature.COMPTE_RENDU_ATTENDU,
        f"session:{premiere.pk}",
    )
    # Dunkerque: three sessions held, the restitution recorded.
    dunkerque = atelier("Dunkerque")
    assert dunkerque.phase == Phase.RESTITUTION
    assert set(dunkerque.sessions.values_list("statut", flat=True)) == {S.COMPTE_RENDU_VALIDE}
    restitution = Restitution.objects.get(atelier=dunkerque)
    assert restitution.date < maintenant and restitution.audience and restitution.compte_rendu
    # Each session held is dated in its atelier's months, and each atelier page answers.
    for a in (cotentin, roannais, arles, sete, dunkerque):
        assert all(
            s.date < aujourd_hui
            for s in a.sessions.filter(statut__in=[S.TENUE, S.COMPTE_RENDU_VALIDE])
        )
        client.force_login(pilote(a))
        for nom in ("portail:atelier", "ateliers:calendrier"):
            assert client.get(reverse(nom, args=[a.pk])).status_code == 200
