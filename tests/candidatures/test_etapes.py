"""The atelier's phase and the candidatures' states cannot drift: every service of every stage
is run, and after each the three states are one of the pairs the programme allows; each action
writes at most one journal line (exactly one when it changes a state), with its code."""

import datetime
import inspect
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

import ateliers.services
import candidatures.services
import marches.services
from ateliers.models import (
    PHASES_ACCOMPAGNEMENT,
    Atelier,
    Cadrage,
    EtapePrevue,
    Evenement,
    Phase,
    Session,
    inter_atelier,
)
from ateliers.selectors.cadrage import etapes_prevues
from ateliers.selectors.inter_atelier import inter_ateliers_de
from ateliers.services.cadrage import cadrage_clore, cadrage_enregistrer, calendrier_fixer
from ateliers.services.inter_atelier import (
    inter_atelier_ecrire,
    inter_atelier_modifier,
    inter_atelier_retirer,
)
from ateliers.services.restitution import restitution_enregistrer
from ateliers.services.session import session_convoquer, session_planifier, session_tenir
from ateliers.services.session_contenu import participant_enregistrer
from candidatures.models import Candidature, Courrier, PreCandidature
from candidatures.services import (
    annotation_ecrire,
    atelier_abandonner_en_candidature,
    avis_demander,
    avis_rendre,
    candidature_corriger_decision,
    candidature_decider,
    candidature_demander_complements,
    candidature_deposer,
    candidature_suivre,
    courrier_demander_modele,
    courrier_deposer,
    message_envoyer,
    partie_enregistrer,
    precandidature_confirmer,
    precandidature_decliner,
    precandidature_ouvrir,
)
from livrables.services import atelier_cloturer
from marches.models import Jalon, MarcheSubsequent, Offre
from marches.selectors import parties_du_cctp
from marches.services import (
    TrancheSaisie,
    atelier_abandonner_en_marche,
    cctp_partie_enregistrer,
    cctp_rectifier,
    credit_enregistrer,
    execution_modifier,
    execution_ouvrir,
    marche_attribuer,
    marche_classer_sans_suite,
    marche_declarer_infructueux,
    marche_notifier,
    marche_ouvrir,
    marche_publier,
    marche_relancer,
    offre_noter,
    paiement_enregistrer,
    rapport_produire,
    rapport_signer,
    tranche_liberer,
)
from marches.services.analyse import criteres_notes
from portail.selectors import ateliers_a_traiter
from tests.candidatures.dossier import completer, lettre_pdf
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.documents import fichiers_hostiles as h
from tests.livrables.cloture import valider as valider_les_livrables
from tests.marches.factories import (
    AccordCadreFactory,
    ConsultationFactory,
    MarcheFactory,
    OffreFactory,
    TitulaireFactory,
    VersionCctpFactory,
)

pytestmark = pytest.mark.django_db

S = Candidature.Statut
P = PreCandidature.Statut
ACCOMPAGNEMENT = [Phase.MARCHE, *PHASES_ACCOMPAGNEMENT, Phase.CLOTURE]
# (atelier's phase, pré-candidature's state, candidature's state or None): all that may be.
PERMIS = {
    (Phase.PRE_CANDIDATURE, P.EN_ATTENTE, None),
    (Phase.CANDIDATURE, P.CONFIRMEE, S.EN_REDACTION),
    *((Phase.INSTRUCTION, P.CONFIRMEE, s) for s in Candidature.EN_ATTENTE_DGALN),
    (Phase.INSTRUCTION, P.CONFIRMEE, S.COMPLEMENTS_DEMANDES),
    (Phase.ELIGIBLE, P.CONFIRMEE, S.ELIGIBLE),
    (Phase.NON_ELIGIBLE, P.CONFIRMEE, S.NON_ELIGIBLE),
    *((phase, P.CONFIRMEE, S.ELIGIBLE) for phase in ACCOMPAGNEMENT),
    (Phase.ABANDONNE, P.DECLINEE, None),
    (Phase.ABANDONNE, P.ABANDONNEE, None),
    (Phase.ABANDONNE, P.CONFIRMEE, S.ABANDONNEE),
    # Abandoned after the decision: the candidature ended with it, nothing is left open.
    (Phase.ABANDONNE, P.CONFIRMEE, S.ELIGIBLE),
}
# The services that change a state, hence write exactly one journal line.
CHANGENT_UN_ETAT = {
    "atelier_cloturer",
    "precandidature_ouvrir",
    "precandidature_confirmer",
    "precandidature_decliner",
    "atelier_abandonner_en_candidature",
    "courrier_deposer",
    "candidature_deposer",
    "candidature_suivre",
    "candidature_demander_complements",
    "candidature_decider",
    "candidature_corriger_decision",
    "atelier_changer_phase",
    "marche_ouvrir",
    "marche_classer_sans_suite",
    "atelier_abandonner_en_marche",
    "execution_ouvrir",
    "execution_modifier",
    "credit_enregistrer",
    "tranche_liberer",
    "paiement_enregistrer",
    "marche_publier",
    "cctp_rectifier",
    "consultation_clore",
    "question_enregistrer",
    "question_repondre",
    "renoncement_enregistrer",
    "offre_enregistrer",
    "offre_declarer_irreguliere",
    "offre_declarer_inacceptable",
    "offre_demander_regularisation",
    "offre_regulariser",
    "audition_enregistrer",
    # analyse: each writes its one journal line (marks, rapport, signature, the marché's steps).
    "offre_noter",
    "rapport_produire",
    "rapport_signer",
    "marche_attribuer",
    "marche_notifier",
    "marche_declarer_infructueux",
    "marche_relancer",
    # accompagnement: the cadrage recorded, its calendar fixed, then closed (session 1).
    "cadrage_enregistrer",
    "calendrier_fixer",
    "cadrage_clore",
    # between the sessions, the groupement's entries; the restitution recorded.
    "inter_atelier_ecrire",
    "inter_atelier_modifier",
    "inter_atelier_retirer",
    "restitution_enregistrer",
    "session_planifier",
    "participant_enregistrer",
    "session_convoquer",
    "session_tenir",
}
# The services that keep the accord-cadre: one journal line each, about no atelier, whose
# states they never touch.
JOURNAL_SANS_ATELIER = {
    "accord_cadre_enregistrer",
    "titulaire_ajouter",
    "titulaire_retirer",
    "document_accord_cadre_deposer",
}
# Run by another service, never alone.
APPELES_PAR = {
    "candidature_ouvrir": "precandidature_confirmer",
    "atelier_creer": "precandidature_ouvrir",
    "atelier_reprendre_la_note": "candidature_deposer",
    "cctp_creer": "marche_ouvrir",
    "cadrage_ouvrir": "marche_notifier",
}
OUTILS_D_ATELIERS = {
    "journal_ecrire",
    "transition_appliquer",
    "etat_verifier",
    "etape_de",
    "valeurs_appliquer",
    "noms_des_champs",
    "accompagnement_verifier",
}
# Reads that marches' services package exports for its views.
LECTURES = {"accord_cadre_en_vigueur"}
# The consultation's and the offers' services need a published consultation, which this
# scenario does not reach yet: tests/marches/test_consultation.py and test_offres.py run each
# one and count its journal lines (the periodic close writes one per round it closes).
EXERCES_DANS_MARCHES = {
    "consultation_clore",
    "consultations_echues_clore",
    "question_enregistrer",
    "question_repondre",
    "renoncement_enregistrer",
    "offre_enregistrer",
    "offre_declarer_irreguliere",
    "offre_declarer_inacceptable",
    "offre_demander_regularisation",
    "offre_regulariser",
    "audition_enregistrer",
}


def _services():
    """Every write function that the stages export: candidatures' and ateliers' services."""
    noms = {
        nom
        for nom in candidatures.services.__all__
        if inspect.isfunction(getattr(candidatures.services, nom))
    }
    noms |= {
        nom
        for module in (
            ateliers.services,
            ateliers.services.cadrage,
            ateliers.services.inter_atelier,
            ateliers.services.restitution,
        )
        for nom, f in vars(module).items()
        if inspect.isfunction(f) and f.__module__ == module.__name__ and nom[0] != "_"
    }
    noms |= {
        nom
        for nom in marches.services.__all__
        if inspect.isfunction(getattr(marches.services, nom))
    }
    return noms - OUTILS_D_ATELIERS - LECTURES - EXERCES_DANS_MARCHES


class Scenario:
    """Runs services as users would, checking the states and the journal after each."""

    def __init__(self):
        self.appeles = set()

    def __call__(self, service, atelier=None, **kwargs):
        avant = Evenement.objects.count()
        resultat = service(**({"atelier": atelier} if atelier is not None else {}), **kwargs)
        self.appeles.add(service.__name__)
        lignes = Evenement.objects.order_by("pk")[avant:]
        attendu = 1 if service.__name__ in CHANGENT_UN_ETAT | JOURNAL_SANS_ATELIER else 0
        assert len(lignes) == attendu, (service.__name__, [e.libelle for e in lignes])
        assert all(e.code for e in lignes), service.__name__
        if service.__name__ in JOURNAL_SANS_ATELIER:
            assert all(e.atelier_id is None for e in lignes), service.__name__
        return resultat

    @staticmethod
    def etats(atelier):
        atelier = Atelier.objects.get(pk=atelier.pk)
        precandidature = PreCandidature.objects.get(atelier=atelier)
        candidature = Candidature.objects.filter(atelier=atelier).first()
        triplet = (atelier.phase, precandidature.statut, candidature and candidature.statut)
        assert triplet in PERMIS, triplet
        return triplet


@pytest.fixture
def acteurs():
    ddt = OrganisationFactory(ddt=True)
    collectivite = OrganisationFactory(departement=ddt.departement)
    dgaln = OrganisationFactory(dgaln=True)
    return {
        "ddt": ddt,
        "pilote": UtilisateurFactory(organisations=[ddt]),
        "porteur": UtilisateurFactory(organisations=[collectivite]),
        "dgaln": UtilisateurFactory(organisations=[dgaln]),
        "collegue": UtilisateurFactory(organisations=[dgaln]),
    }


def _tenir(scenario, session, pilote):
    """The session planned today, one participant convened, then held."""
    T = Session.Statut
    session = scenario(
        session_planifier,
        session=session,
        par=pilote,
        vu=T.A_PLANIFIER,
        date=timezone.localdate(),
        nombre_de_jours=1,
        heure_debut=None,
        heure_fin=None,
        lieu="Salle du conseil",
    )
    scenario(
        participant_enregistrer,
        session=session,
        par=pilote,
        vu=T.PLANIFIEE,
        prenom="Camille",
        nom="Essai",
        courriel="camille.essai@exemple.test",
        organisation="Commune",
        college="elus",
    )
    session = scenario(session_convoquer, session=session, par=pilote, vu=T.PLANIFIEE)
    scenario(session_tenir, session=session, par=pilote, vu=T.CONVOCATIONS_ENVOYEES)


def _consulter(marche, pilote):
    """The consultation published and closed, two offers received. Publishing belongs to the
    CCTP's use case: its records are made with the factories here, and the marché's own
    transitions fired as its services fire them."""
    groupements = [OrganisationFactory(groupement=True) for _ in range(2)]
    consultation = ConsultationFactory(
        marche=marche,
        consultes=groupements,
        date_limite=timezone.now() - datetime.timedelta(hours=1),
    )
    version = VersionCctpFactory(consultation=consultation)
    ateliers.services.transition_appliquer(
        objet=marche, transition="publier", par=pilote, vu=MarcheSubsequent.Statut.EN_PREPARATION
    )
    offres = [
        OffreFactory(
            version_cctp=version,
            groupement=g,
            recue_le=timezone.now() - datetime.timedelta(hours=2),
        )
        for g in groupements
    ]
    ateliers.services.transition_appliquer(
        objet=marche,
        transition="clore_consultation",
        par=pilote,
        vu=MarcheSubsequent.Statut.EN_CONSULTATION,
    )
    return consultation, offres


def _noter(scenario, offre, par, valeur, *, collegiale=True):
    scenario(
        offre_noter,
        offre=offre,
        par=par,
        vu=MarcheSubsequent.Statut.EN_ANALYSE,
        notes={c.pk: (Decimal(valeur), "Justifiée.") for c in criteres_notes(offre)},
        collegiale=collegiale,
    )


def _ouvrir(scenario, acteurs, intitule="Bocage et industrie"):
    atelier = scenario(
        precandidature_ouvrir,
        par=acteurs["porteur"],
        intitule=intitule,
        departements=[acteurs["ddt"].departement],
        epcis=[],
        communes="",
        service_pilote=acteurs["ddt"],
        operateur=None,
        intention="Redonner un cap à une ville moyenne.",
        thematiques=[],
        contacts=[],
    )
    assert scenario.etats(atelier) == (Phase.PRE_CANDIDATURE, P.EN_ATTENTE, None)
    return atelier


def _confirmer(scenario, acteurs, atelier):
    scenario(precandidature_confirmer, atelier, par=acteurs["dgaln"], vu=Phase.PRE_CANDIDATURE)
    assert scenario.etats(atelier) == (Phase.CANDIDATURE, P.CONFIRMEE, S.EN_REDACTION)
    return Candidature.objects.get(atelier=atelier)


def _deposer(scenario, acteurs, candidature):
    porteur = acteurs["porteur"]
    if candidature.statut == S.EN_REDACTION:
        completer(candidature, porteur)
        for type_courrier in Courrier.Type:
            scenario(
                courrier_deposer,
                candidature=candidature,
                type_courrier=type_courrier,
                fichier=h.televerse(
                    f"{type_courrier}.pdf", lettre_pdf("Lettre signee"), "application/pdf"
                ),
                par=porteur,
            )
    candidature = Candidature.objects.get(pk=candidature.pk)
    return scenario(
        candidature_deposer, candidature=candidature, par=porteur, vu=candidature.statut
    )


def _decider(scenario, acteurs, candidature, *, eligible):
    candidature = Candidature.objects.get(pk=candidature.pk)
    scenario(
        candidature_decider,
        candidature=candidature,
        par=acteurs["dgaln"],
        vu=candidature.statut,
        eligible=eligible,
        motivation="Une question d'aménagement claire.",
        date_decision=datetime.date(2026, 3, 2),
    )


def test_chaque_service_de_chaque_etape_garde_la_phase_et_les_etats_en_accord(acteurs):
    scenario = Scenario()
    dgaln, pilote, porteur = acteurs["dgaln"], acteurs["pilote"], acteurs["porteur"]

    # The whole path, with its compléments, a decision corrected both ways and every phase.
    atelier = _ouvrir(scenario, acteurs)
    candidature = _confirmer(scenario, acteurs, atelier)
    scenario(
        courrier_demander_modele,
        candidature=candidature,
        type_courrier=Courrier.Type.SOUTIEN_PREFET,
        par=porteur,
    )
    _deposer(scenario, acteurs, candidature)
    assert scenario.etats(atelier) == (Phase.INSTRUCTION, P.CONFIRMEE, S.DEPOSEE)
    candidature = Candidature.objects.get(pk=candidature.pk)
    scenario(message_envoyer, candidature=candidature, par=porteur, texte="Une question.")
    scenario(annotation_ecrire, candidature=candidature, par=dgaln, texte="À relire.")
    demande = scenario(
        avis_demander,
        candidature=candidature,
        par=dgaln,
        expert=acteurs["collegue"],
        question="Qu'en penses-tu ?",
    )
    scenario(avis_rendre, demande=demande, par=acteurs["collegue"], avis="Favorable.")
    scenario(candidature_suivre, candidature=candidature, par=dgaln, vu=S.DEPOSEE)
    assert scenario.etats(atelier) == (Phase.INSTRUCTION, P.CONFIRMEE, S.EN_INSTRUCTION)
    scenario(
        candidature_demander_complements,
        candidature=Candidature.objects.get(pk=candidature.pk),
        par=dgaln,
        vu=S.EN_INSTRUCTION,
        pieces=["objet"],
        message="Précisez.",
    )
    assert scenario.etats(atelier) == (Phase.INSTRUCTION, P.CONFIRMEE, S.COMPLEMENTS_DEMANDES)
    objet = Candidature.objects.get(pk=candidature.pk).objet
    scenario(
        partie_enregistrer,
        partie=objet,
        champs={"enjeux": "Des enjeux précisés."},
        version_lue=objet.version,
        par=porteur,
    )
    _deposer(scenario, acteurs, Candidature.objects.get(pk=candidature.pk))
    assert scenario.etats(atelier) == (Phase.INSTRUCTION, P.CONFIRMEE, S.DEPOSEE)
    _decider(scenario, acteurs, candidature, eligible=False)
    assert scenario.etats(atelier) == (Phase.NON_ELIGIBLE, P.CONFIRMEE, S.NON_ELIGIBLE)
    for attendu in [
        (Phase.ELIGIBLE, P.CONFIRMEE, S.ELIGIBLE),
        (Phase.NON_ELIGIBLE, P.CONFIRMEE, S.NON_ELIGIBLE),
        (Phase.ELIGIBLE, P.CONFIRMEE, S.ELIGIBLE),
    ]:
        candidature = Candidature.objects.get(pk=candidature.pk)
        scenario(
            candidature_corriger_decision,
            candidature=candidature,
            par=dgaln,
            vu=candidature.statut,
            motif="Un élément nouveau.",
            date_decision=datetime.date(2026, 3, 3),
        )
        assert scenario.etats(atelier) == attendu
    scenario(ateliers.services.atelier_demander_fiche, atelier, par=pilote)
    AccordCadreFactory()
    marche = scenario(marche_ouvrir, atelier, par=pilote, vu=Phase.ELIGIBLE)
    assert scenario.etats(atelier) == (Phase.MARCHE, P.CONFIRMEE, S.ELIGIBLE)
    # The marché's analysis, attribution and notification bring the atelier to its cadrage.
    consultation, offres = _consulter(marche, pilote)
    _noter(scenario, offres[0], porteur, 2, collegiale=False)
    _noter(scenario, offres[0], pilote, 4)
    _noter(scenario, offres[1], pilote, 3)
    rapport = scenario(rapport_produire, consultation=consultation, par=pilote, vu="en_analyse")
    scenario(rapport_signer, rapport=rapport, par=pilote)
    scenario(rapport_signer, rapport=rapport, par=porteur)
    marche = MarcheSubsequent.objects.get(pk=marche.pk)
    scenario(
        marche_attribuer,
        marche=marche,
        par=pilote,
        vu=MarcheSubsequent.Statut.EN_ANALYSE,
        offre=offres[0],
        accords=[acteurs["ddt"], *Atelier.objects.get(pk=atelier.pk).collectivites.all()],
        motifs="La meilleure valeur technique.",
    )
    assert scenario.etats(atelier) == (Phase.MARCHE, P.CONFIRMEE, S.ELIGIBLE)
    scenario(
        marche_notifier,
        marche=MarcheSubsequent.objects.get(pk=marche.pk),
        par=pilote,
        vu=MarcheSubsequent.Statut.ATTRIBUE,
        notifie_le=timezone.localdate(),
        acte_engagement=h.televerse("acte.pdf", lettre_pdf("Acte signe"), "application/pdf"),
    )
    assert scenario.etats(atelier) == (Phase.CADRAGE, P.CONFIRMEE, S.ELIGIBLE)
    assert Atelier.objects.get(pk=atelier.pk).groupement == offres[0].groupement
    cadrage = Cadrage.objects.get(atelier=atelier)
    hier = timezone.now() - datetime.timedelta(days=1)
    scenario(
        cadrage_enregistrer,
        cadrage=cadrage,
        par=pilote,
        vu=Cadrage.Statut.A_TENIR,
        valeurs={"date": hier, "compte_rendu": "Les enjeux sont partagés."},
    )
    restitution = etapes_prevues(atelier)[EtapePrevue.Nature.RESTITUTION].date_prevue
    scenario(
        calendrier_fixer,
        cadrage=cadrage,
        par=pilote,
        dates={EtapePrevue.Nature.RESTITUTION: restitution + datetime.timedelta(days=7)},
    )
    scenario(cadrage_clore, cadrage=cadrage, par=pilote, vu=Cadrage.Statut.A_TENIR)
    assert scenario.etats(atelier)[0] == Phase.SESSION_1
    titulaire = UtilisateurFactory(organisations=[offres[0].groupement])
    entree = {
        "nature": "reunion_travail",
        "date": timezone.localdate(),
        "titre": "Préparation de la session 2",
        "participants": "L'équipe du groupement",
        "synthese": "Le déroulé est arrêté.",
    }
    entree = {c: entree.get(c, "") for c in inter_atelier.CHAMPS}
    ecrite = scenario(
        inter_atelier_ecrire, Atelier.objects.get(pk=atelier.pk), par=titulaire, valeurs=entree
    )
    scenario(
        inter_atelier_modifier,
        entree=ecrite,
        par=titulaire,
        vu="publiee",
        valeurs={**entree, "titre": "Préparer la session 2"},
    )
    scenario(inter_atelier_retirer, entree=ecrite, par=titulaire, vu="publiee")
    assert not inter_ateliers_de(atelier).exists()
    scenario(
        restitution_enregistrer,
        Atelier.objects.get(pk=atelier.pk),
        par=pilote,
        valeurs={"lieu": "Salle du conseil", "audience": "Élus et habitants"},
    )
    assert scenario.etats(atelier)[0] == Phase.SESSION_1
    # Each session held moves the atelier on (ADR 0016): session 2, 3, then the restitution.
    for session in Session.objects.filter(atelier=atelier).order_by("numero"):
        _tenir(scenario, session, pilote)
        scenario.etats(atelier)
    atelier = Atelier.objects.get(pk=atelier.pk)
    assert atelier.phase == Phase.RESTITUTION
    # The clôture belongs to livrables (ADR 0019): the five validated, the restitution held.
    valider_les_livrables(atelier)
    scenario(
        restitution_enregistrer,
        atelier,
        par=pilote,
        valeurs={
            "date": timezone.now() - datetime.timedelta(hours=2),
            "compte_rendu": "Les élus ont adopté la feuille de route.",
        },
    )
    scenario(atelier_cloturer, atelier, par=pilote, vu=atelier.phase)
    assert scenario.etats(atelier)[0] == Phase.CLOTURE

    # Every way out: declined, abandoned at each step the candidature owns, and after it.
    declinee = _ouvrir(scenario, acteurs, "Décliné")
    scenario(
        precandidature_decliner, declinee, par=dgaln, vu=Phase.PRE_CANDIDATURE, motif="Hors champ"
    )
    assert scenario.etats(declinee) == (Phase.ABANDONNE, P.DECLINEE, None)

    def abandonner(atelier):
        atelier = Atelier.objects.get(pk=atelier.pk)
        scenario(
            atelier_abandonner_en_candidature,
            atelier,
            par=pilote,
            vu=atelier.phase,
            motif="Les élus renoncent",
        )
        return scenario.etats(atelier)

    assert abandonner(_ouvrir(scenario, acteurs, "Tôt")) == (
        Phase.ABANDONNE,
        P.ABANDONNEE,
        None,
    )
    redige = _ouvrir(scenario, acteurs, "En rédaction")
    _confirmer(scenario, acteurs, redige)
    assert abandonner(redige) == (Phase.ABANDONNE, P.CONFIRMEE, S.ABANDONNEE)
    instruit = _ouvrir(scenario, acteurs, "En instruction")
    _deposer(scenario, acteurs, _confirmer(scenario, acteurs, instruit))
    assert abandonner(instruit) == (Phase.ABANDONNE, P.CONFIRMEE, S.ABANDONNEE)
    eligible = _ouvrir(scenario, acteurs, "Éligible")
    candidature = _confirmer(scenario, acteurs, eligible)
    _deposer(scenario, acteurs, candidature)
    _decider(scenario, acteurs, candidature, eligible=True)
    eligible = Atelier.objects.get(pk=eligible.pk)
    scenario(
        ateliers.services.atelier_changer_phase,
        eligible,
        transition="abandonner",
        par=pilote,
        vu=eligible.phase,
        motif="Le territoire renonce au marché",
    )
    assert scenario.etats(eligible) == (Phase.ABANDONNE, P.CONFIRMEE, S.ELIGIBLE)
    # During the marché: classed without follow-up, then the atelier abandoned with it.
    en_marche = _ouvrir(scenario, acteurs, "En marché")
    candidature = _confirmer(scenario, acteurs, en_marche)
    _deposer(scenario, acteurs, candidature)
    _decider(scenario, acteurs, candidature, eligible=True)
    marche = scenario(marche_ouvrir, en_marche, par=pilote, vu=Phase.ELIGIBLE)
    # The CCTP written from the note, published, then rectified before the deadline.
    TitulaireFactory(accord_cadre=marche.accord_cadre)
    for partie in parties_du_cctp(marche):
        valeurs = {
            c.nom: "À préciser" for c in partie.partie.champs if c.libelle in partie.manquants()
        }
        if valeurs:
            scenario(
                cctp_partie_enregistrer,
                partie=partie,
                valeurs=valeurs,
                version_lue=partie.version,
                par=pilote,
            )
    scenario(
        marche_publier,
        marche=marche,
        par=pilote,
        vu=MarcheSubsequent.Statut.EN_PREPARATION,
        reference_place="2026-PLACE-0001",
        publiee_le=timezone.localdate(),
        date_limite=timezone.now() + datetime.timedelta(days=30),
    )
    (duree,) = [p for p in parties_du_cctp(marche) if p.slug == "duree"]
    scenario(
        cctp_partie_enregistrer,
        partie=duree,
        valeurs={"duree_mois": 14},
        version_lue=duree.version,
        par=pilote,
    )
    scenario(cctp_rectifier, marche=marche, par=pilote, vu=1, objet="Durée portée à 14 mois.")
    assert scenario.etats(en_marche) == (Phase.MARCHE, P.CONFIRMEE, S.ELIGIBLE)
    scenario(
        marche_classer_sans_suite,
        marche=marche,
        par=pilote,
        vu=MarcheSubsequent.Statut.EN_CONSULTATION,
        motif="Besoin revu",
    )
    assert scenario.etats(en_marche) == (Phase.MARCHE, P.CONFIRMEE, S.ELIGIBLE)
    scenario(
        atelier_abandonner_en_marche, en_marche, par=pilote, vu=Phase.MARCHE, motif="Renoncement"
    )
    assert scenario.etats(en_marche) == (Phase.ABANDONNE, P.CONFIRMEE, S.ELIGIBLE)
    # The money of a notified marché (placed there: its notification is the analysis' step).
    notifie = MarcheFactory(statut=MarcheSubsequent.Statut.NOTIFIE)
    payeur = UtilisateurFactory(organisations=[notifie.atelier.service_pilote])
    montants = {
        "montant_ht": Decimal("95000.00"),
        "montant_tva": Decimal("19000.00"),
        "montant_ttc": Decimal("114000.00"),
        "duree_mois": 12,
    }
    execution = scenario(
        execution_ouvrir,
        marche=notifie,
        par=payeur,
        numero_ej="2101234567",
        tranches=[
            TrancheSaisie("Avance", Jalon.AVANCE, Decimal(30)),
            TrancheSaisie("Session 1 tenue", Jalon.SESSION_1, Decimal(70)),
        ],
        **montants,
    )
    scenario(
        execution_modifier,
        execution=execution,
        par=payeur,
        vu=execution.version,
        numero_ej="2107654321",
        tranches=[
            TrancheSaisie(t.libelle, t.jalon, t.pourcentage, t.pk)
            for t in execution.tranches.order_by("ordre")
        ],
        **montants,
    )
    scenario(
        credit_enregistrer,
        execution=execution,
        par=payeur,
        annee=2026,
        ae=Decimal(1),
        cp=Decimal(1),
    )
    session = scenario(
        tranche_liberer, tranche=execution.tranches.get(jalon=Jalon.SESSION_1), par=payeur
    )
    scenario(
        paiement_enregistrer,
        tranche=session,
        par=payeur,
        date_service_fait=notifie.notifie_le,
        date_mandatement=notifie.notifie_le,
        montant=session.montant,
    )

    # DGALN keeps the accord-cadre meanwhile: no atelier's state moves with it.
    etats = {a.pk: scenario.etats(a) for a in (atelier, en_marche, eligible)}
    accord_cadre = scenario(
        marches.services.accord_cadre_enregistrer,
        par=dgaln,
        reference="DHUP-AD1-2030",
        intitule="Accompagnement des ateliers",
        acheteur=acteurs["dgaln"].organisations.get(),
        siret_acheteur="11000990000017",
        date_debut=datetime.date(2030, 1, 1),
        date_fin=datetime.date(2033, 12, 31),
        procedure="Appel d'offres ouvert",
        code_cpv="71410000",
        ccag="Prestations intellectuelles",
    )
    titulaire = scenario(
        marches.services.titulaire_ajouter,
        accord_cadre=accord_cadre,
        groupement=OrganisationFactory(groupement=True),
        date_notification=datetime.date(2029, 12, 18),
        type_groupement="Conjoint",
        siret_mandataire="",
        par=dgaln,
    )
    scenario(
        marches.services.document_accord_cadre_deposer,
        accord_cadre=accord_cadre,
        type_document="ccp",
        titre="CCP",
        fichier=h.televerse("ccp.pdf", lettre_pdf("CCP"), "application/pdf"),
        par=dgaln,
    )
    scenario(marches.services.titulaire_retirer, titulaire=titulaire, par=dgaln)
    assert {pk: scenario.etats(Atelier(pk=pk)) for pk in etats} == etats
    # No acceptable offer: the round is declared unsuccessful, then a new one is prepared.
    infructueux = _ouvrir(scenario, acteurs, "Infructueux")
    candidature = _confirmer(scenario, acteurs, infructueux)
    _deposer(scenario, acteurs, candidature)
    _decider(scenario, acteurs, candidature, eligible=True)
    marche = scenario(marche_ouvrir, infructueux, par=pilote, vu=Phase.ELIGIBLE)
    _, offres = _consulter(marche, pilote)
    for offre in offres:
        ateliers.services.transition_appliquer(
            objet=offre,
            transition="declarer_inacceptable",
            par=pilote,
            vu=Offre.Statut.RECUE,
            motif="Au-delà des crédits disponibles.",
        )
    marche = scenario(
        marche_declarer_infructueux,
        marche=MarcheSubsequent.objects.get(pk=marche.pk),
        par=pilote,
        vu=MarcheSubsequent.Statut.EN_ANALYSE,
        motif="Aucune offre acceptable.",
    )
    assert scenario.etats(infructueux) == (Phase.MARCHE, P.CONFIRMEE, S.ELIGIBLE)
    scenario(marche_relancer, marche=marche, par=pilote, vu=MarcheSubsequent.Statut.INFRUCTUEUX)
    assert scenario.etats(infructueux) == (Phase.MARCHE, P.CONFIRMEE, S.ELIGIBLE)

    manquants = {
        nom
        for nom in _services() - scenario.appeles
        if APPELES_PAR.get(nom) not in scenario.appeles
    }
    assert not manquants, f"Services que le scénario n'a pas lancés : {sorted(manquants)}"


def _en_complements(acteurs):
    scenario = Scenario()
    atelier = _ouvrir(scenario, acteurs)
    candidature = _confirmer(scenario, acteurs, atelier)
    _deposer(scenario, acteurs, candidature)
    scenario(
        candidature_demander_complements,
        candidature=Candidature.objects.get(pk=candidature.pk),
        par=acteurs["dgaln"],
        vu=S.DEPOSEE,
        pieces=["objet"],
        message="Précisez.",
    )
    return Atelier.objects.get(pk=atelier.pk)


def test_des_complements_attendent_les_porteurs_pour_la_page_la_liste_et_le_compteur(
    client, acteurs
):
    """A dossier sent back waits on the porteurs: DGALN's « à traiter », its counter and the
    atelier's page all say so."""
    atelier = _en_complements(acteurs)
    dgaln, porteur = acteurs["dgaln"], acteurs["porteur"]
    assert atelier.pk not in ateliers_a_traiter(dgaln).values_list("pk", flat=True)
    assert atelier.pk in ateliers_a_traiter(porteur).values_list("pk", flat=True)
    client.force_login(dgaln)
    accueil = client.get(reverse("portail:accueil"))
    assert accueil.context["nombre_a_instruire"] == 0
    assert accueil.context["nombre_a_traiter"] == 0
    assert atelier.intitule not in accueil.text
    liste = client.get(reverse("portail:ateliers"), {"a_traiter": "on"})
    assert list(liste.context["ateliers"]) == []
    page = client.get(reverse("portail:atelier", args=[atelier.pk])).text
    assert "Rien à faire pour vous" in page
    assert "Déclarer éligible" not in page.split("Rien à faire pour vous")[0]
    client.force_login(porteur)
    accueil = client.get(reverse("portail:accueil"))
    assert accueil.context["nombre_a_traiter"] == 1
    assert "compléter la candidature à la demande de la dgaln" in accueil.text
    page = client.get(reverse("portail:atelier", args=[atelier.pk])).text
    assert "À vous d'agir" in page


def test_un_atelier_abandonne_pendant_l_instruction_ferme_sa_candidature(client, acteurs):
    atelier = _en_complements(acteurs)
    client.force_login(acteurs["dgaln"])
    page = client.get(reverse("portail:atelier", args=[atelier.pk])).text
    assert reverse("candidatures:abandonner", args=[atelier.pk]) in page
    # The atelier's own action for this step does not exist: the candidature owns it.
    refus = client.post(
        reverse("ateliers:action", args=[atelier.pk, "abandonner"]),
        {"vu": atelier.phase, "abandonner-motif": "x"},
    )
    assert refus.status_code == 404
    reponse = client.post(
        reverse("candidatures:abandonner", args=[atelier.pk]),
        {"vu": atelier.phase, "abandonner-motif": "Les élus renoncent"},
        follow=True,
    )
    assert "Atelier abandonné. Le motif est conservé au journal." in reponse.text
    candidature = Candidature.objects.get(atelier=atelier)
    assert candidature.statut == S.ABANDONNEE
    assert not candidature.modifiable
    assert not Candidature.objects.a_instruire().exists()
    (ligne,) = Evenement.objects.filter(atelier=atelier, code="candidature.abandonnee")
    assert (ligne.phase_avant, ligne.phase_apres) == (Phase.INSTRUCTION, Phase.ABANDONNE)
    assert ligne.commentaire == "Les élus renoncent"
    # The note no longer opens for writing.
    client.force_login(acteurs["porteur"])
    partie = client.get(reverse("candidatures:partie", args=[atelier.pk, "objet"]))
    champ = partie.text.split('<textarea name="enjeux"')[1].split(">")[0]
    assert "disabled" in champ


@pytest.mark.parametrize(("qui", "statut"), [("porteur", 403), ("collegue", 200)])
def test_l_abandon_pendant_la_candidature_est_reserve_au_pilote_et_a_la_dgaln(
    client, acteurs, qui, statut
):
    atelier = _en_complements(acteurs)
    client.force_login(acteurs[qui])
    reponse = client.post(
        reverse("candidatures:abandonner", args=[atelier.pk]),
        {"vu": atelier.phase, "abandonner-motif": "Essai"},
    )
    assert reponse.status_code == (302 if statut == 200 else 403)
    attendu = Phase.ABANDONNE if statut == 200 else Phase.INSTRUCTION
    assert Atelier.objects.get(pk=atelier.pk).phase == attendu
