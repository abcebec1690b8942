"""axe-core and the HTML checker on the marchés' pages that the journey of test_marche.py does
not cross: lists filtered and empty, the accords-cadres, the money, the DECP, the groupement's
side, the questions, the decisions on offers, the end of a round, and the marché's page in each
state for each role that reads it."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comptes.models import Utilisateur
from marches.models import (
    AccordCadre,
    Consultation,
    MarcheSubsequent,
    MotifRenoncement,
    Offre,
    PartieCctp,
    QuestionConsultation,
    TitulaireAccordCadre,
    Tranche,
)
from marches.services import (
    cctp_partie_enregistrer,
    question_enregistrer,
    renoncement_enregistrer,
)
from marches.services.accord_cadre import document_accord_cadre_deposer
from marches.views.offres import ACTIONS_OFFRE
from tests.candidatures.dossier import lettre_pdf
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.documents import fichiers_hostiles as h
from tests.marches.factories import (
    AccordCadreFactory,
    ConsultationFactory,
    MarcheFactory,
    OffreFactory,
    TitulaireFactory,
    VersionCctpFactory,
)
from tests.marches.test_decp import marche_publiable
from tests.marches.test_finances import marche_notifie, ouvrir

S = MarcheSubsequent.Statut
OS = Offre.Statut
MOTIFS = {
    OS.A_REGULARISER: "Attestation d'assurance manquante.",
    OS.INACCEPTABLE: "Prix au-delà des crédits disponibles.",
}
TOUS_LES_ETATS = (
    S.EN_PREPARATION,
    S.EN_CONSULTATION,
    S.EN_ANALYSE,
    S.ATTRIBUE,
    S.NOTIFIE,
    S.INFRUCTUEUX,
    S.SANS_SUITE,
)


@dataclass
class Val:
    """An accord-cadre with three titulaires and, under it, one marché of the same DDT and
    collectivité in each state; the people who read them."""

    accord: AccordCadre
    marches: dict[str, MarcheSubsequent]
    consultation: Consultation  # the open round of the marché in consultation
    du_val: dict  # the factories' arguments for one more marché of this DDT and collectivité
    pilote: Utilisateur
    porteuse: Utilisateur
    dgaln: Utilisateur
    equipe: Utilisateur  # a member of the first groupement, consulted on every round


def il_y_a(**delta):
    return timezone.now() - datetime.timedelta(**delta)


def _tour_clos(marche, groupements, statuts):
    """A round closed yesterday, each groupement's offer in its state (received by default)."""
    consultation = ConsultationFactory(
        marche=marche,
        consultes=groupements,
        publiee_le=timezone.localdate() - datetime.timedelta(days=20),
        date_limite=il_y_a(days=1),
        close_le=il_y_a(hours=20),
    )
    version = VersionCctpFactory(consultation=consultation, publiee_le=il_y_a(days=20))
    for groupement, statut, ht in zip(groupements, statuts, (81000, 92000, 99000), strict=True):
        OffreFactory(
            version_cctp=version,
            groupement=groupement,
            statut=statut,
            motif=MOTIFS.get(statut, ""),
            montant_ht=Decimal(ht),
            montant_tva=Decimal(ht // 5),
            montant_ttc=Decimal(ht + ht // 5),
        )


@pytest.fixture
def val():
    ddt = OrganisationFactory(ddt=True, nom="DDT de la Drôme")
    collectivite = OrganisationFactory(nom="Communauté de communes du Val")
    accord = AccordCadreFactory(reference="DHUP-AD1-2024")
    groupements = [
        TitulaireFactory(
            accord_cadre=accord, groupement=OrganisationFactory(groupement=True, nom=nom)
        ).groupement
        for nom in ("Groupement Alphaville", "Groupement Altitude 35", "Groupement INterland")
    ]
    pilote = UtilisateurFactory(organisations=[ddt])
    du_val = {
        "accord_cadre": accord,
        "atelier__service_pilote": ddt,
        "atelier__collectivites": [collectivite],
    }

    def marche(statut, intitule):
        return MarcheFactory(statut=statut, atelier__intitule=intitule, **du_val)

    marches = {
        S.EN_PREPARATION: marche(S.EN_PREPARATION, "Habiter la vallée"),
        S.EN_CONSULTATION: marche(S.EN_CONSULTATION, "Le Val demain"),
        S.EN_ANALYSE: marche(S.EN_ANALYSE, "Les rives de la Drôme"),
        S.ATTRIBUE: marche(S.ATTRIBUE, "Le plateau en transition"),
        S.INFRUCTUEUX: marche(S.INFRUCTUEUX, "La plaine agricole"),
        S.SANS_SUITE: marche(S.SANS_SUITE, "Le bourg-centre"),
        S.NOTIFIE: marche_notifie(atelier__intitule="La vallée en partage", **du_val),
    }
    # The open round: a question answered, one not yet, a team that declines.
    consultation = ConsultationFactory(
        marche=marches[S.EN_CONSULTATION],
        consultes=groupements,
        publiee_le=timezone.localdate() - datetime.timedelta(days=2),
    )
    VersionCctpFactory(consultation=consultation, publiee_le=il_y_a(days=2))
    for question, reponse in (
        ("Le montant de 100 000 € est-il ferme ?", "Oui, toutes taxes comprises."),
        ("Les sessions peuvent-elles durer deux jours ?", ""),
    ):
        question_enregistrer(
            consultation=consultation,
            question=question,
            recue_le=il_y_a(hours=3),
            reponse=reponse,
            par=pilote,
        )
    renoncement_enregistrer(
        consultation=consultation,
        groupement=groupements[2],
        motif=MotifRenoncement.PLAN_DE_CHARGE,
        par=UtilisateurFactory(organisations=[groupements[2]]),
    )
    _tour_clos(marches[S.EN_ANALYSE], groupements, (OS.RECUE, OS.RECUE, OS.A_REGULARISER))
    _tour_clos(marches[S.ATTRIBUE], groupements, (OS.RECUE, OS.RECUE, OS.RECUE))
    _tour_clos(marches[S.INFRUCTUEUX], groupements, (OS.INACCEPTABLE,) * 3)
    ouvrir(marches[S.NOTIFIE], pilote)
    return Val(
        accord=accord,
        marches=marches,
        consultation=consultation,
        du_val=du_val,
        pilote=pilote,
        porteuse=UtilisateurFactory(organisations=[collectivite]),
        dgaln=membre(dgaln=True),
        equipe=UtilisateurFactory(organisations=[groupements[0]]),
    )


@pytest.fixture
def visiter(page, live_server, verifier_page):
    """Open a page, check its answer and its heading, then axe-core and the HTML checker."""
    page.set_default_timeout(10_000)

    def visiter(chemin, titre, statut=200):
        reponse = page.goto(f"{live_server.url}{chemin}")
        assert reponse is not None and reponse.status == statut, f"{chemin} : {reponse}"
        expect(page.get_by_role("heading", level=1)).to_contain_text(titre)
        verifier_page()

    return visiter


@pytest.fixture
def refuser(page, verifier_page):
    """Submit the page's form as it is, expect it shown again with `erreur`, then check it."""

    def refuser(bouton, erreur):
        page.get_by_role("button", name=bouton).click()
        expect(page.locator(".fr-error-text").first).to_contain_text(erreur)
        verifier_page()

    return refuser


def url(nom, *args):
    return reverse(f"marches:{nom}", args=args)


def visiter_chaque_etat(page, visiter, val):
    """The marché's page in each state, its state shown."""
    for statut in TOUS_LES_ETATS:
        marche = val.marches[statut]
        visiter(url("marche", marche.pk), f"Marché subséquent {marche.reference}")
        expect(page.get_by_text(marche.get_statut_display()).first).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_la_dgaln_accords_cadres_listes_finances_decp_et_renoncements(
    page, connecter, visiter, refuser, verifier_page, val
):
    accord = val.accord
    document_accord_cadre_deposer(
        accord_cadre=accord,
        type_document="ccp",
        titre="Cahier des clauses particulières",
        fichier=h.televerse("ccp.pdf", lettre_pdf("CCP"), "application/pdf"),
        par=val.dgaln,
    )
    OrganisationFactory(groupement=True, nom="Groupement Paysages & Co")
    marche_publiable(accord_cadre=accord, atelier__intitule="Le littoral")
    incomplet = val.marches[S.NOTIFIE]  # its pilot service has no SIRET
    annee = timezone.localdate().year
    connecter(val.dgaln)

    visiter(url("accords_cadres") + f"?statut=en_cours&annee={annee}", "Accords-cadres")
    expect(page.get_by_role("link", name=accord.reference)).to_be_visible()
    visiter(url("accords_cadres") + "?statut=echu", "Accords-cadres")
    expect(page.get_by_text("Aucun accord-cadre ne correspond à ces filtres")).to_be_visible()
    visiter(url("accord_cadre", accord.pk), f"Accord-cadre {accord.reference}")
    expect(page.get_by_text("Groupement Alphaville").first).to_be_visible()
    expect(page.get_by_text("Cahier des clauses particulières").first).to_be_visible()
    page.get_by_role("combobox", name=re.compile("^Groupement")).select_option(
        label="Groupement Paysages & Co"
    )
    refuser("Ajouter le titulaire", "Ce champ est obligatoire.")
    page.locator("#id_titulaire-date_notification").fill(accord.date_debut.isoformat())
    page.get_by_role("button", name="Ajouter le titulaire").click()
    expect(page.locator(".fr-alert--success")).to_contain_text("Groupement Paysages & Co")
    verifier_page()
    refuser("Déposer le document", "Choisissez le type du document.")
    nouveau = TitulaireAccordCadre.objects.get(groupement__nom="Groupement Paysages & Co")
    visiter(url("titulaire_retirer", nouveau.pk), "Retirer Groupement Paysages & Co")

    visiter(url("accord_cadre_creer"), "Enregistrer un accord-cadre")
    page.locator("#id_reference").fill("DHUP-AD1-2028")
    page.locator("#id_intitule").fill("Accompagnement des ateliers des territoires")
    page.locator("#id_siret_acheteur").fill("11000990000017")
    page.locator("#id_date_debut").fill("2028-01-01")
    page.locator("#id_date_fin").fill("2027-01-01")
    refuser("Enregistrer", "La fin de l'accord-cadre suit son début.")
    visiter(url("accord_cadre_modifier", accord.pk), f"Modifier l'accord-cadre {accord.reference}")

    visiter(url("liste") + f"?statut=en_consultation&accord_cadre={accord.pk}", "Marchés")
    expect(page.get_by_role("cell", name="Le Val demain")).to_be_visible()
    visiter(url("liste") + "?q=introuvable", "Marchés subséquents")
    expect(page.get_by_text("Aucun marché ne correspond à ces filtres")).to_be_visible()
    page.get_by_role("link", name="Renoncements des groupements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pourquoi des groupements ne répondent pas"
    )
    expect(page.get_by_role("cell", name="Plan de charge de l'équipe trop chargé")).to_be_visible()
    verifier_page()
    visiter(url("renoncements") + "?motif=delai", "Pourquoi des groupements ne répondent pas")
    expect(page.get_by_text("Aucun renoncement ne correspond à ces filtres")).to_be_visible()

    visiter(url("finances") + f"?annee={annee}", "Exécution financière des marchés")
    visiter(url("finances") + f"?annee={annee - 9}", "Exécution financière des marchés")
    visiter(url("donnees_essentielles"), "Données essentielles")
    expect(page.get_by_text(incomplet.reference).first).to_be_visible()
    visiter(url("decp", incomplet.pk), "Données essentielles", statut=422)
    expect(page.get_by_text("ne peuvent pas être publiées")).to_be_visible()

    visiter_chaque_etat(page, visiter, val)
    visiter(url("questions", val.marches[S.EN_CONSULTATION].pk), "Questions et réponses")


@pytest.mark.django_db(transaction=True)
def test_le_pilote_tient_l_argent_et_lit_son_marche_a_chaque_etat(
    page, connecter, visiter, refuser, verifier_page, val
):
    sans_execution = marche_notifie(atelier__intitule="Les coteaux", **val.du_val)
    notifie = val.marches[S.NOTIFIE]
    tranches = Tranche.objects.filter(execution__marche=notifie).order_by("ordre")
    avance, prevue = tranches[0], tranches[1]
    connecter(val.pilote)

    visiter_chaque_etat(page, visiter, val)
    expect(page.get_by_text(re.compile("^Marché classé sans suite le")).first).to_be_visible()
    visiter(url("execution", sans_execution.pk), "Ouvrir l'exécution financière")
    visiter(url("execution", notifie.pk), "Modifier l'exécution financière")
    page.locator("#id_numero_ej").fill("21-A")
    refuser("Enregistrer les modifications", "compte exactement 10 chiffres")
    visiter(url("credit", notifie.pk), "Enregistrer les crédits d'une année")
    refuser("Enregistrer les crédits", "Ce champ est obligatoire.")
    visiter(url("paiement", notifie.pk) + f"?tranche={avance.pk}", "Enregistrer un paiement")
    page.locator("#id_date_service_fait").fill(timezone.localdate().isoformat())
    page.locator("#id_date_mandatement").fill(timezone.localdate().isoformat())
    page.locator("#id_montant").fill("900000")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    expect(page.locator(".fr-alert--error, .fr-error-text").first).to_contain_text("dépasserait")
    verifier_page()
    visiter(url("tranche_liberer", notifie.pk, prevue.pk), "Constater le jalon atteint ?")
    expect(page.get_by_text(prevue.libelle).first).to_be_visible()
    visiter(url("donnees_essentielles"), "Données essentielles")


@pytest.mark.django_db(transaction=True)
def test_le_pilote_questions_offres_et_fin_du_tour(
    page, connecter, visiter, refuser, verifier_page, val
):
    ouvert, analyse = val.marches[S.EN_CONSULTATION], val.marches[S.EN_ANALYSE]
    question = QuestionConsultation.objects.get(consultation=val.consultation, reponse="")
    recue, deuxieme, a_regulariser = Offre.objects.filter(consultation__marche=analyse).order_by(
        "montant_ht"
    )
    connecter(val.pilote)

    visiter(url("questions", ouvert.pk), "Questions et réponses")
    expect(page.get_by_text("Le montant de 100 000 € est-il ferme ?")).to_be_visible()
    refuser("Enregistrer la question", "Ce champ est obligatoire.")
    visiter(url("repondre", ouvert.pk, question.pk), f"Répondre à la question n° {question.numero}")
    refuser("Publier la réponse", "Écrivez la réponse avant de la publier.")
    visiter(url("rectifier_cctp", ouvert.pk), "Publier un rectificatif du CCTP")
    refuser("Publier le rectificatif", "Ce champ est obligatoire.")

    visiter(url("audition", analyse.pk, recue.pk), f"Audition de {recue.groupement.nom}")
    refuser("Enregistrer l'audition", "Ce champ est obligatoire.")
    for offre, transition in (
        (recue, "demander_regularisation"),
        (recue, "declarer_irreguliere"),
        (deuxieme, "declarer_inacceptable"),
        (a_regulariser, "regulariser"),
    ):
        visiter(
            url(f"offre_{transition}", analyse.pk, offre.pk), ACTIONS_OFFRE[transition]["libelle"]
        )
        expect(page.get_by_text(offre.groupement.nom).first).to_be_visible()
    visiter(url("declarer_infructueux", analyse.pk), "Déclarer la consultation infructueuse ?")

    preparation = val.marches[S.EN_PREPARATION]
    visiter(url("classer_sans_suite", preparation.pk), "Classer le marché sans suite ?")
    page.get_by_label("Motif").fill("   ")
    refuser("Confirmer : classer le marché sans suite", "Indiquez le motif")
    visiter(url("abandonner", preparation.atelier_id), "Abandonner l'atelier ?")

    infructueux = val.marches[S.INFRUCTUEUX]
    visiter(url("relancer", infructueux.pk), "Préparer une nouvelle consultation ?")
    page.get_by_role("button", name=re.compile("Confirmer")).click()
    expect(page.locator(".fr-alert--success")).to_contain_text("de nouveau en rédaction")
    expect(page.get_by_role("heading", level=1)).to_contain_text(infructueux.reference)
    verifier_page()


@pytest.mark.django_db(transaction=True)
def test_la_collectivite_lit_le_marche_a_chaque_etat_et_reunit_deux_versions_du_cctp(
    page, connecter, visiter, verifier_page, val
):
    preparation = val.marches[S.EN_PREPARATION]
    connecter(val.porteuse)
    visiter_chaque_etat(page, visiter, val)
    visiter(url("questions", val.marches[S.EN_CONSULTATION].pk), "Questions et réponses")

    visiter(url("cctp_partie", preparation.pk, "objet"), "Objet et contexte")
    # The pilot saves the same part meanwhile: the porteuse's save shows both versions.
    cctp_partie_enregistrer(
        partie=PartieCctp(marche=preparation, slug="objet"),
        valeurs={"enjeux": "Les crues et l'habitat."},
        version_lue=0,
        par=val.pilote,
    )
    page.locator("#id_enjeux").fill("Habiter avec la rivière.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("pendant que vous la modifiiez")
    expect(page.get_by_text("Les crues et l'habitat.")).to_be_visible()
    verifier_page()


@pytest.mark.django_db(transaction=True)
def test_le_groupement_consulte_lit_ses_consultations_et_renonce(
    page, live_server, connecter, visiter, refuser, val
):
    attribue = Consultation.objects.get(marche=val.marches[S.ATTRIBUE])
    connecter(val.equipe)

    visiter(url("consultations"), "Mes consultations")
    expect(page.get_by_role("link", name="Le Val demain")).to_be_visible()
    visiter(url("consultations") + "?etat=closes", "Mes consultations")
    expect(page.get_by_role("link", name="Le plateau en transition")).to_be_visible()
    expect(page.get_by_role("link", name="Le Val demain")).to_have_count(0)
    visiter(url("consultation", val.consultation.pk), "Le Val demain")
    expect(page.get_by_text("Le montant de 100 000 € est-il ferme ?")).to_be_visible()
    visiter(url("consultation", attribue.pk), "Le plateau en transition")
    visiter(url("renoncer", val.consultation.pk), "Votre groupement ne répondra pas ?")
    page.get_by_text("Autre raison", exact=True).click()
    refuser("Confirmer : nous ne répondrons pas", "Précisez la raison")
    # The marché's own page stays the panel's: an id tried in the address tells nothing.
    reponse = page.goto(f"{live_server.url}{url('marche', val.marches[S.EN_CONSULTATION].pk)}")
    assert reponse is not None and reponse.status == 404
