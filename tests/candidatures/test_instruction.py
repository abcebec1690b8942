"""DGALN's review of a deposited candidature: the transitions, who follows the dossier, the
compléments that reopen exactly the named parts, the motivated decision and its letter, the
correction, what the porteurs never see, and the review queue."""

import datetime
import html
import io
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm
from pypdf import PdfReader

from ateliers.models import Atelier, CodeAtelier, Evenement, Phase
from ateliers.services import ActionImpossible, transition_appliquer
from candidatures.models import (
    Candidature,
    Courrier,
    Decision,
    Localisation,
    Message,
    Objet,
    Thematique,
)
from candidatures.selectors import DOSSIER_GABARIT, comparer_versions
from candidatures.services import (
    DECISION_GABARIT,
    annotation_ecrire,
    avis_demander,
    avis_rendre,
    candidature_corriger_decision,
    candidature_decider,
    candidature_demander_complements,
    candidature_deposer,
    candidature_ouvrir,
    candidature_suivre,
    courrier_deposer,
    partie_enregistrer,
)
from comptes.dates import date_longue
from documents.models import Document
from portail.selectors import ateliers_a_traiter
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.dossier import completer, deposer_courrier, deposer_courriers, lettre_pdf
from tests.candidatures.factories import CandidatureFactory, version
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.documents import fichiers_hostiles as h
from tests.territoires.factories import DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db

S = Candidature.Statut
MOTIVATION = "Le projet de territoire est porté par trois intercommunalités."
SECRET = "Annotation confidentielle : élu réticent"
QUESTION = "Question confidentielle : le périmètre tient-il ?"
AVIS_SECRET = "Avis confidentiel : périmètre trop large"


def texte(response):
    return html.unescape(response.content.decode())


def texte_pdf(document):
    document.refresh_from_db()
    assert document.statut == Document.Statut.PRET, document.erreur
    with document.fichier.open("rb") as flux:
        pages = PdfReader(io.BytesIO(flux.read())).pages
        return " ".join(" ".join(p.extract_text() for p in pages).split())


def url(nom, atelier):
    return reverse(f"candidatures:{nom}", args=[atelier.pk])


def _groupement(atelier):
    groupement = OrganisationFactory(groupement=True)
    Atelier.objects.filter(pk=atelier.pk).update(groupement=groupement)
    return UtilisateurFactory(organisations=[groupement])


ROLES = {
    "dgaln": lambda atelier: membre(dgaln=True),
    "porteur": lambda atelier: UtilisateurFactory(organisations=[atelier.collectivites.first()]),
    "pilote": lambda atelier: UtilisateurFactory(organisations=[atelier.service_pilote]),
    "dreal": lambda atelier: UtilisateurFactory(
        organisations=[OrganisationFactory(dreal=True, region=atelier.departements.get().region)]
    ),
    "autre_collectivite": lambda atelier: membre(),
    "groupement": _groupement,
}


@pytest.fixture
def dgaln():
    return UtilisateurFactory(
        organisations=[OrganisationFactory(dgaln=True)],
        prenom="Dominique",
        nom="Instructrice",
        email="ad1@dgaln.test",
    )


# The transitions, state by state (only tests place a candidature directly in a state).

TRAITS = {statut: ({} if statut == S.EN_REDACTION else {statut.value: True}) for statut in S}
SOURCES = {
    "deposer": [S.EN_REDACTION, S.COMPLEMENTS_DEMANDES],
    "instruire": [S.DEPOSEE],
    "demander_complements": [S.DEPOSEE, S.EN_INSTRUCTION],
    "declarer_eligible": [S.DEPOSEE, S.EN_INSTRUCTION],
    "declarer_non_eligible": [S.DEPOSEE, S.EN_INSTRUCTION],
    "corriger_eligible": [S.NON_ELIGIBLE],
    "corriger_non_eligible": [S.ELIGIBLE],
    "abandonner": [S.EN_REDACTION, S.DEPOSEE, S.EN_INSTRUCTION, S.COMPLEMENTS_DEMANDES],
}
CIBLES = {
    "deposer": S.DEPOSEE,
    "instruire": S.EN_INSTRUCTION,
    "demander_complements": S.COMPLEMENTS_DEMANDES,
    "declarer_eligible": S.ELIGIBLE,
    "declarer_non_eligible": S.NON_ELIGIBLE,
    "corriger_eligible": S.ELIGIBLE,
    "corriger_non_eligible": S.NON_ELIGIBLE,
    "abandonner": S.ABANDONNEE,
}
KWARGS = {
    "demander_complements": {"pieces": ["objet"]},
    "corriger_eligible": {"motif": "Le complément reçu lève la réserve"},
    "corriger_non_eligible": {"motif": "Le périmètre ne relève pas du programme"},
    "abandonner": {"motif": "Les élus renoncent"},
}
REVUE = [t for t in SOURCES if t not in ("deposer", "abandonner")]


def test_le_modele_declare_exactement_ces_transitions():
    declarees = {}
    for t in Candidature._meta.get_field("statut").get_all_transitions(Candidature):
        declarees.setdefault(t.name, set()).add(t.source)
        assert CIBLES[t.name] == t.target
    assert declarees == {nom: set(sources) for nom, sources in SOURCES.items()}


@pytest.mark.parametrize("statut", list(S))
@pytest.mark.parametrize("transition", [*REVUE, "abandonner"])
def test_transition_permise_ou_refusee_selon_l_etat(transition, statut):
    candidature = CandidatureFactory(**TRAITS[statut])
    methode = getattr(candidature, transition)
    if statut in SOURCES[transition]:
        assert can_proceed(methode)
        methode(**KWARGS.get(transition, {}))
        assert candidature.statut == CIBLES[transition]
    else:
        assert not can_proceed(methode)
        with pytest.raises(TransitionNotAllowed):
            methode(**KWARGS.get(transition, {}))
        assert candidature.statut == statut


@pytest.mark.parametrize("transition", REVUE)
@pytest.mark.parametrize("qui", list(ROLES))
def test_transition_de_revue_reservee_a_la_dgaln(transition, qui):
    candidature = CandidatureFactory(**TRAITS[SOURCES[transition][0]])
    atelier = candidature.atelier
    user = ROLES[qui](atelier)
    candidature = Candidature.objects.get(pk=candidature.pk)
    permis = qui == "dgaln"
    assert has_transition_perm(getattr(candidature, transition), user) is permis
    if permis:
        transition_appliquer(
            objet=candidature,
            vu=candidature.statut,
            transition=transition,
            par=user,
            **KWARGS.get(transition, {}),
        )
        assert Candidature.objects.get(pk=candidature.pk).statut == CIBLES[transition]
        assert Evenement.objects.get(transition=transition).atelier == atelier
    else:
        with pytest.raises(PermissionDenied):
            transition_appliquer(
                objet=candidature,
                vu=candidature.statut,
                transition=transition,
                par=user,
                **KWARGS.get(transition, {}),
            )
        assert Candidature.objects.get(pk=candidature.pk).statut == SOURCES[transition][0]
        assert not Evenement.objects.exists()


def test_des_complements_sans_piece_nommee_sont_refuses():
    candidature = CandidatureFactory(en_instruction=True)
    with pytest.raises(ValueError, match="au moins une pièce"):
        candidature.demander_complements(pieces=[])
    assert candidature.statut == S.EN_INSTRUCTION


@pytest.mark.parametrize(
    ("phase", "permis"),
    [(Phase.ELIGIBLE, True), (Phase.MARCHE, False), (Phase.CADRAGE, False)],
)
def test_une_eligibilite_ne_se_corrige_qu_avant_le_marche(phase, permis):
    candidature = CandidatureFactory(eligible=True, atelier__phase=phase)
    assert can_proceed(candidature.corriger_non_eligible) is permis


@pytest.mark.parametrize("statut", list(S))
def test_quelles_pieces_sont_modifiables_selon_l_etat(statut):
    candidature = CandidatureFactory(**TRAITS[statut])
    attendu = {
        S.EN_REDACTION: {"objet": True, "localisation": True, "soutien_prefet": True},
        S.COMPLEMENTS_DEMANDES: {"objet": True, "localisation": False, "soutien_prefet": False},
    }.get(statut, {"objet": False, "localisation": False, "soutien_prefet": False})
    assert {cle: candidature.piece_modifiable(cle) for cle in attendu} == attendu
    assert candidature.modifiable is (statut in (S.EN_REDACTION, S.COMPLEMENTS_DEMANDES))


def test_la_file_a_instruire_ne_garde_que_ce_qui_attend_la_dgaln():
    par_statut = {statut: CandidatureFactory(**TRAITS[statut]) for statut in S}
    assert set(Candidature.objects.a_instruire()) == {
        par_statut[S.DEPOSEE],
        par_statut[S.EN_INSTRUCTION],
    }


# Who reaches the pages of the review.

ACTIONS = {
    # page: (the state it acts on, a valid form)
    "complements": (
        S.EN_INSTRUCTION,
        {"pieces": ["objet"], "message": "Précisez l'objet.", "vu": "en_instruction"},
    ),
    "decider": (
        S.EN_INSTRUCTION,
        {
            "eligible": "oui",
            "motivation": MOTIVATION,
            "date_decision": timezone.localdate(),
            "vu": "en_instruction",
        },
    ),
    "corriger": (
        S.ELIGIBLE,
        {
            "motif": "Erreur d'appréciation",
            "date_decision": timezone.localdate(),
            "vu": "eligible",
        },
    ),
    "suivre": (S.DEPOSEE, {"vu": "deposee"}),
}
REFUS = {"pilote": 403, "porteur": 403, "dreal": 403, "autre_collectivite": 404, "groupement": 404}


@pytest.mark.parametrize("page", list(ACTIONS))
@pytest.mark.parametrize("qui", list(REFUS))
def test_les_actions_de_revue_refusees_aux_autres_que_la_dgaln(client, page, qui):
    statut, donnees = ACTIONS[page]
    candidature = CandidatureFactory(**TRAITS[statut])
    atelier = candidature.atelier
    client.force_login(ROLES[qui](atelier))
    if page != "suivre":
        assert client.get(url(page, atelier)).status_code == REFUS[qui]
    assert client.post(url(page, atelier), donnees).status_code == REFUS[qui]
    candidature.refresh_from_db()
    assert (candidature.statut, candidature.suivie_par) == (statut, None)
    assert not Decision.objects.exists() and not Message.objects.exists()
    assert not Evenement.objects.exists()


@pytest.mark.parametrize("page", list(ACTIONS))
def test_les_actions_de_revue_par_la_dgaln(client, page):
    statut, donnees = ACTIONS[page]
    candidature = CandidatureFactory(**TRAITS[statut])
    atelier = candidature.atelier
    client.force_login(ROLES["dgaln"](atelier))
    if page != "suivre":
        page_action = client.get(url(page, atelier))
        assert page_action.status_code == 200
        assert "Confirmer :" in texte(page_action)
    response = client.post(url(page, atelier), donnees)
    assert response.status_code == 302
    assert response.url == url("dossier", atelier)
    candidature.refresh_from_db()
    assert candidature.statut != statut


@pytest.mark.parametrize("page", list(ACTIONS))
def test_les_actions_de_revue_demandent_une_connexion(client, page):
    statut, donnees = ACTIONS[page]
    atelier = CandidatureFactory(**TRAITS[statut]).atelier
    response = client.post(url(page, atelier), donnees)
    assert response.status_code == 302 and reverse("comptes:connexion") in response.url


@pytest.mark.parametrize(
    ("page", "statut"),
    [
        ("complements", S.COMPLEMENTS_DEMANDES),
        ("complements", S.ELIGIBLE),
        ("decider", S.COMPLEMENTS_DEMANDES),
        ("decider", S.NON_ELIGIBLE),
        ("corriger", S.EN_INSTRUCTION),
        ("corriger", S.DEPOSEE),
    ],
)
def test_une_action_hors_de_son_etat_est_refusee_a_la_dgaln_avec_un_message(client, page, statut):
    candidature = CandidatureFactory(**TRAITS[statut])
    atelier = candidature.atelier
    client.force_login(ROLES["dgaln"](atelier))
    for response in (
        client.get(url(page, atelier)),
        client.post(url(page, atelier), ACTIONS[page][1]),
    ):
        assert response.status_code == 302 and response.url == url("dossier", atelier)
    suite = texte(client.get(url("dossier", atelier)))
    assert (
        f"Cette action n'est pas possible : la candidature est « {statut.label.lower()} »." in suite
    )
    candidature.refresh_from_db()
    assert candidature.statut == statut
    assert not Decision.objects.exists() and not Evenement.objects.exists()


@pytest.mark.parametrize(
    ("qui", "statut"),
    [
        ("dgaln", 200),
        ("porteur", 200),
        ("pilote", 200),
        ("dreal", 200),
        ("autre_collectivite", 404),
        ("groupement", 404),
    ],
)
def test_qui_lit_le_dossier(client, qui, statut):
    atelier = CandidatureFactory(en_instruction=True).atelier
    client.force_login(ROLES[qui](atelier))
    response = client.get(url("dossier", atelier))
    assert response.status_code == statut
    if statut == 200:
        actions = "Décider de l'éligibilité" in texte(response)
        assert actions is (qui == "dgaln")


@pytest.mark.parametrize("nom", ["a_instruire", "cohorte"])
@pytest.mark.parametrize("qui", ["porteur", "pilote", "dreal", "autre_collectivite", "groupement"])
def test_la_file_et_la_cohorte_sont_reservees_a_la_dgaln(client, nom, qui):
    atelier = CandidatureFactory(deposee=True).atelier
    adresse = reverse(f"candidatures:{nom}")
    client.force_login(ROLES[qui](atelier))
    assert client.get(adresse).status_code == 403
    client.force_login(ROLES["dgaln"](atelier))
    assert client.get(adresse).status_code == 200


# Following a dossier.


def test_suivre_un_dossier_le_met_en_instruction_et_le_journal_le_dit(client, dgaln):
    candidature = CandidatureFactory(deposee=True)
    atelier = candidature.atelier
    client.force_login(dgaln)
    response = client.post(url("suivre", atelier), {"vu": "deposee"}, follow=True)
    assert "Vous suivez ce dossier ; il est « en instruction »." in texte(response)
    candidature.refresh_from_db()
    assert (candidature.suivie_par, candidature.statut) == (dgaln, S.EN_INSTRUCTION)
    # One action, one line: taking the dossier in hand is following it.
    (instruire,) = Evenement.objects.filter(atelier=atelier)
    assert (instruire.transition, instruire.etat_avant, instruire.etat_apres) == (
        "instruire",
        "deposee",
        "en_instruction",
    )
    assert (instruire.par, instruire.code) == (dgaln, "candidature.prise_en_charge")
    assert instruire.commentaire == "Dossier suivi par Dominique Instructrice"
    # Following again changes nothing and writes nothing.
    candidature_suivre(candidature=candidature, vu=candidature.statut, par=dgaln)
    assert Evenement.objects.filter(atelier=atelier).count() == 1


def test_une_collegue_reprend_le_dossier_et_tout_le_monde_voit_qui_le_suit(client, dgaln):
    candidature = CandidatureFactory(deposee=True)
    atelier = candidature.atelier
    candidature_suivre(candidature=candidature, vu=candidature.statut, par=dgaln)
    collegue = UtilisateurFactory(
        organisations=[OrganisationFactory(dgaln=True)], prenom="Claude", nom="Relais"
    )
    client.force_login(collegue)
    page = texte(client.get(url("dossier", atelier)))
    assert "Suivi par Dominique Instructrice (DGALN)." in page
    assert "Suivre ce dossier à la place de Dominique Instructrice" in page
    assert client.post(url("suivre", atelier), {"vu": "en_instruction"}).status_code == 302
    candidature.refresh_from_db()
    assert (candidature.suivie_par, candidature.statut) == (collegue, S.EN_INSTRUCTION)
    reprise = Evenement.objects.get(libelle="Dossier suivi par Claude Relais")
    assert reprise.commentaire == "À la place de Dominique Instructrice"
    assert Evenement.objects.filter(transition="instruire").count() == 1

    client.force_login(UtilisateurFactory(organisations=[atelier.collectivites.get()]))
    page = texte(client.get(url("dossier", atelier)))
    assert "Suivi par Claude Relais (DGALN)." in page
    assert "Suivre ce dossier" not in page
    client.force_login(dgaln)
    file = texte(client.get(reverse("candidatures:a_instruire")))
    ligne = file.split(atelier.reference)[1].split("</tr>")[0]
    assert "Claude Relais" in ligne and "En instruction" in ligne
    assert "Dossier suivi par Claude Relais" in texte(client.get(url("dossier", atelier)))


def test_seule_la_dgaln_suit_un_dossier():
    candidature = CandidatureFactory(deposee=True)
    with pytest.raises(PermissionDenied):
        candidature_suivre(
            candidature=candidature, vu=candidature.statut, par=ROLES["pilote"](candidature.atelier)
        )
    candidature.refresh_from_db()
    assert (candidature.suivie_par, candidature.statut) == (None, S.DEPOSEE)


# Compléments on a real dossier: only the named parts reopen, the re-dépôt is version 2.


@pytest.fixture
def atelier():
    return AtelierFactory(
        phase=Phase.CANDIDATURE,
        intitule="Vallée en transition",
        collectivites=[
            OrganisationFactory(nom="Communauté du Val"),
            OrganisationFactory(nom="Communauté des Coteaux"),
        ],
    )


@pytest.fixture
def porteur(atelier):
    return UtilisateurFactory(
        organisations=[atelier.collectivites.get(nom="Communauté du Val")], email="elu@val.test"
    )


@pytest.fixture
def porteurs(atelier, porteur):
    """Every porteur's address: both collectivités and the State service pilot."""
    UtilisateurFactory(
        organisations=[atelier.collectivites.get(nom="Communauté des Coteaux")],
        email="elue@coteaux.test",
    )
    UtilisateurFactory(organisations=[atelier.service_pilote], email="pilote@ddt.test")
    return ["elu@val.test", "elue@coteaux.test", "pilote@ddt.test"]


@pytest.fixture
def deposee(atelier, porteur):
    """A real dossier, complete and deposited once (version 1)."""
    candidature = completer(candidature_ouvrir(atelier=atelier), porteur)
    deposer_courriers(candidature, porteur)
    candidature_deposer(candidature=candidature, vu=candidature.statut, par=porteur)
    return Candidature.objects.get(pk=candidature.pk)


def objet_post(objet, **champs):
    return {
        "version": objet.version,
        "titre": objet.titre,
        "problematique": objet.problematique,
        "enjeux": objet.enjeux,
        "contexte": objet.contexte,
        "thematiques": [t.pk for t in objet.thematiques.all()],
        **champs,
    }


def balise(page, nom):
    """The HTML tag of the form field `nom`."""
    return re.search(rf'<(?:input|textarea|select)[^>]*name="{nom}"[^>]*>', page).group(0)


def test_les_complements_rouvrent_exactement_les_pieces_nommees(
    client, atelier, deposee, porteur, porteurs, dgaln, django_capture_on_commit_callbacks
):
    client.force_login(dgaln)
    page = texte(client.get(url("complements", atelier)))
    assert "Seules les pièces nommées redeviennent modifiables" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("complements", atelier),
            {
                "pieces": ["objet", "soutien_prefet"],
                "message": "Précisez la problématique.",
                "vu": "deposee",
            },
        )
    assert response.status_code == 302
    candidature = Candidature.objects.get(pk=deposee.pk)
    assert candidature.statut == S.COMPLEMENTS_DEMANDES
    assert candidature.complements == ["objet", "soutien_prefet"]
    nommees = "Section 3 — L'objet, Lettre de soutien du préfet ou du sous-préfet"

    message = Message.objects.get()
    assert (message.auteur, message.de_la_dgaln) == (dgaln, True)
    assert message.texte == f"Compléments demandés : {nommees}.\n\nPrécisez la problématique."
    evenement = Evenement.objects.get(transition="demander_complements")
    assert (evenement.etat_avant, evenement.etat_apres) == ("deposee", "complements_demandes")
    assert evenement.commentaire == f"{nommees}. Précisez la problématique."

    assert sorted(m.to[0] for m in mail.outbox) == sorted(porteurs)
    corps = mail.outbox[0].body
    assert "- Section 3 — L'objet\n" in corps
    assert "- Lettre de soutien du préfet ou du sous-préfet\n" in corps
    assert "Section 2" not in corps and "Lettre de soutien de la ou des" not in corps
    assert url("echanges", atelier) in corps

    client.force_login(porteur)
    ouverte = texte(client.get(reverse("candidatures:partie", args=[atelier.pk, "objet"])))
    assert "disabled" not in balise(ouverte, "problematique")
    assert ">Enregistrer</button>" in ouverte
    fermee = texte(client.get(reverse("candidatures:partie", args=[atelier.pk, "localisation"])))
    assert "disabled" in balise(fermee, "description")
    assert ">Enregistrer</button>" not in fermee
    assert (
        "Lecture seule : seules les pièces demandées en complément par la DGALN sont modifiables."
        in fermee
    )

    localisation = candidature.localisation
    refus = client.post(
        reverse("candidatures:partie", args=[atelier.pk, "localisation"]),
        {"version": localisation.version, "description": "Réécrite en douce"},
    )
    assert refus.status_code == 403
    with pytest.raises(ActionImpossible, match="Seules les pièces demandées en complément"):
        partie_enregistrer(
            partie=localisation,
            champs={"description": "Réécrite en douce"},
            version_lue=localisation.version,
            par=porteur,
        )
    assert Localisation.objects.get(pk=localisation.pk).version == localisation.version

    objet = candidature.objet
    reponse = client.post(
        reverse("candidatures:partie", args=[atelier.pk, "objet"]),
        objet_post(objet, problematique="Comment habiter la vallée inondable ?"),
    )
    assert reponse.status_code == 302
    assert Objet.objects.get(pk=objet.pk).problematique == "Comment habiter la vallée inondable ?"

    with pytest.raises(ActionImpossible, match="Seules les pièces demandées en complément"):
        deposer_courrier(candidature, porteur, Courrier.Type.SOUTIEN_COLLECTIVITES)
    courrier_deposer(
        candidature=candidature,
        type_courrier=Courrier.Type.SOUTIEN_PREFET,
        fichier=h.televerse("prefet-v2.pdf", lettre_pdf("Lettre du prefet, v2"), "application/pdf"),
        par=porteur,
    )
    assert Courrier.objects.filter(remplace_le__isnull=True).count() == 3
    assert Courrier.objects.get(
        remplace_le__isnull=True, type="soutien_prefet"
    ).fichier.nom_original == ("prefet-v2.pdf")


def test_pendant_les_complements_la_partie_demandee_est_nommee_et_a_completer(
    client, atelier, deposee, porteur, dgaln
):
    candidature_demander_complements(
        candidature=deposee, vu=deposee.statut, par=dgaln, pieces=["objet"], message="Précisez."
    )
    client.force_login(porteur)
    fiche = texte(client.get(reverse("portail:atelier", args=[atelier.pk])))
    assert "Compléter « Section 3 — L'objet » à la demande de la DGALN" in fiche
    objet = fiche.rsplit(">Section 3 — L'objet</a>", 1)[1].split("</li>")[0]
    assert "à compléter" in objet and "complète" not in objet

    page = texte(client.get(reverse("candidatures:partie", args=[atelier.pk, "objet"])))
    menu = page.split('id="menu-note"')[1].split("</nav>")[0]
    lien = menu.split("Section 3 — L'objet")[1].split("</a>")[0]
    assert "À compléter" in lien and "Complète" not in lien
    assert "Complète" in menu.split("Section 2 — La localisation")[1].split("</a>")[0]


def _complements_puis_redepot(candidature, dgaln, porteur, **objet):
    candidature = Candidature.objects.get(pk=candidature.pk)
    candidature_demander_complements(
        candidature=candidature,
        vu=candidature.statut,
        par=dgaln,
        pieces=["objet", "soutien_prefet"],
        message="Précisez.",
    )
    candidature = Candidature.objects.get(pk=candidature.pk)
    partie_enregistrer(
        partie=candidature.objet,
        champs=objet or {"problematique": "Comment habiter la vallée inondable ?"},
        version_lue=candidature.objet.version,
        par=porteur,
    )
    courrier_deposer(
        candidature=candidature,
        type_courrier=Courrier.Type.SOUTIEN_PREFET,
        fichier=h.televerse("prefet-v2.pdf", lettre_pdf("Lettre du prefet, v2"), "application/pdf"),
        par=porteur,
    )
    return candidature_deposer(candidature=candidature, vu=candidature.statut, par=porteur)


def test_le_dossier_en_un_nombre_fixe_de_requetes(client, deposee, dgaln, porteur):
    from ateliers.services import journal_ecrire
    from candidatures.services import message_envoyer
    from tests.requetes import nombre_de_requetes

    def echanges(nombre):
        for rang in range(nombre):
            message_envoyer(candidature=deposee, par=dgaln, texte=f"Question {rang}")
            journal_ecrire(
                code=CodeAtelier.OUVERT,
                objet=deposee.atelier,
                par=dgaln,
                libelle=f"Relecture {rang}",
            )

    client.force_login(dgaln)
    echanges(5)
    avec_n = nombre_de_requetes(client, url("dossier", deposee.atelier))
    echanges(5)
    assert nombre_de_requetes(client, url("dossier", deposee.atelier)) == avec_n


def test_le_redepot_ecrit_la_version_2_et_revient_dans_la_file(
    client, atelier, deposee, porteur, dgaln
):
    candidature_suivre(candidature=deposee, vu=deposee.statut, par=dgaln)
    version_2 = _complements_puis_redepot(deposee, dgaln, porteur)
    assert version_2.numero == 2
    candidature = Candidature.objects.get(pk=deposee.pk)
    assert (candidature.statut, candidature.complements) == (S.DEPOSEE, [])
    assert candidature.suivie_par == dgaln
    assert list(Candidature.objects.a_instruire()) == [candidature]
    assert not candidature.piece_modifiable("objet")
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.INSTRUCTION
    evenement = Evenement.objects.filter(transition="deposer").latest("date")
    assert (evenement.etat_avant, evenement.etat_apres) == ("complements_demandes", "deposee")

    version_1 = candidature.versions.get(numero=1)
    assert comparer_versions(version_1, version_2) == {
        "parties": [
            {
                "titre": "Section 3 — L'objet",
                "champs": [
                    {
                        "libelle": "Problématique",
                        "avant": "Texte d'essai",
                        "apres": "Comment habiter la vallée inondable ?",
                    }
                ],
            }
        ],
        "courriers": ["Lettre de soutien du préfet ou du sous-préfet"],
    }

    client.force_login(dgaln)
    file = texte(client.get(reverse("candidatures:a_instruire")))
    assert atelier.reference in file
    page = texte(client.get(url("dossier", atelier), {"version": 2, "comparer": 1}))
    changements = page.split('id="changements"')[1].split("</section>")[0]
    assert "Ce qui a changé depuis la version 1" in changements
    ligne = changements.split("Problématique")[1].split("</tr>")[0]
    assert "<td>Texte d'essai</td>" in ligne
    assert "<td>Comment habiter la vallée inondable ?</td>" in ligne
    assert "Courriers remplacés : Lettre de soutien du préfet ou du sous-préfet." in changements
    assert "Section 2" not in changements
    ancienne = texte(client.get(url("dossier", atelier), {"version": 1}))
    assert 'id="changements"' not in ancienne
    assert "Version 1 déposée le" in ancienne
    assert "Comment habiter la vallée inondable ?" not in ancienne
    assert "Voir ce qui a changé" not in ancienne
    assert "Voir ce qui a changé depuis la version 1" in texte(client.get(url("dossier", atelier)))


@pytest.mark.parametrize("version_demandee", ["abc", "99", "-1", ""])
def test_une_version_trafiquee_montre_la_derniere(
    client, atelier, deposee, dgaln, version_demandee
):
    client.force_login(dgaln)
    response = client.get(url("dossier", atelier), {"version": version_demandee, "comparer": "1"})
    assert response.status_code == 200
    assert "Version 1 déposée le" in texte(response)


def test_des_complements_sans_message_ou_sans_piece_sont_refuses(client, dgaln):
    candidature = CandidatureFactory(en_instruction=True)
    atelier = candidature.atelier
    with pytest.raises(ActionImpossible, match="Écrivez aux porteurs ce qu'il faut compléter"):
        candidature_demander_complements(
            candidature=candidature,
            vu=candidature.statut,
            par=dgaln,
            pieces=["objet"],
            message="   ",
        )
    client.force_login(dgaln)
    for donnees, erreur in [
        ({"pieces": [], "message": "Précisez."}, "Cochez au moins une pièce à compléter."),
        ({"pieces": ["objet"], "message": "  "}, "Ce champ est obligatoire."),
        ({"pieces": ["inconnue"], "message": "Précisez."}, "inconnue"),
    ]:
        response = client.post(url("complements", atelier), donnees)
        assert response.status_code == 400
        assert erreur in texte(response)
    candidature.refresh_from_db()
    assert (candidature.statut, candidature.complements) == (S.EN_INSTRUCTION, [])
    assert not Message.objects.exists()


# The decision.


@pytest.fixture
def en_instruction(porteurs, atelier):
    """Deposited on 1 March 2026, before the decisions the tests date 2 and 9 March."""
    Atelier.objects.filter(pk=atelier.pk).update(phase=Phase.INSTRUCTION)
    return CandidatureFactory(
        en_instruction=True,
        atelier=Atelier.objects.get(pk=atelier.pk),
        depose_le=timezone.make_aware(datetime.datetime(2026, 3, 1, 10)),
    )


def test_la_motivation_est_obligatoire(client, atelier, en_instruction, dgaln):
    for motivation in ("", "   \n "):
        with pytest.raises(ActionImpossible, match="La motivation de la décision est obligatoire"):
            candidature_decider(
                candidature=en_instruction,
                vu=en_instruction.statut,
                par=dgaln,
                eligible=False,
                motivation=motivation,
                date_decision=datetime.date(2026, 3, 2),
            )
    client.force_login(dgaln)
    response = client.post(
        url("decider", atelier),
        {"eligible": "oui", "motivation": "  ", "date_decision": "2026-03-02"},
    )
    assert response.status_code == 400
    assert "Écrivez la motivation de la décision." in texte(response)
    en_instruction.refresh_from_db()
    assert en_instruction.statut == S.EN_INSTRUCTION
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.INSTRUCTION
    assert not Decision.objects.exists() and not Evenement.objects.exists()


def test_declarer_eligible_previent_chaque_porteur_avec_la_lettre(
    client, atelier, en_instruction, porteurs, porteur, dgaln, django_capture_on_commit_callbacks
):
    client.force_login(dgaln)
    page = texte(client.get(url("decider", atelier)))
    assert "Tous les porteurs reçoivent la décision et sa motivation" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("decider", atelier),
            {
                "eligible": "oui",
                "motivation": MOTIVATION,
                "date_decision": "2026-03-02",
                "vu": "en_instruction",
            },
            follow=True,
        )
    assert "Candidature déclarée éligible. Les porteurs sont prévenus" in texte(response)
    en_instruction.refresh_from_db()
    assert en_instruction.statut == S.ELIGIBLE
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.ELIGIBLE
    decision = Decision.objects.get()
    assert (decision.numero, decision.eligible, decision.motivation) == (1, True, MOTIVATION)
    assert (decision.date_decision, decision.decidee_par) == (datetime.date(2026, 3, 2), dgaln)
    assert decision.motif_correction == ""
    # One decision, one line, naming the candidature and the atelier's phase.
    journal = Evenement.objects.filter(atelier=atelier).exclude(transition="")
    assert [
        (e.transition, e.etat_avant, e.etat_apres, e.phase_avant, e.phase_apres, e.commentaire)
        for e in journal
    ] == [
        ("declarer_eligible", "en_instruction", "eligible", "instruction", "eligible", MOTIVATION)
    ]

    assert sorted(m.to[0] for m in mail.outbox) == sorted(porteurs)
    for courriel in mail.outbox:
        assert courriel.subject == f"Candidature éligible : {atelier.intitule}"
        assert MOTIVATION in courriel.body and "2 mars 2026" in courriel.body

    lettre = Document.objects.get(gabarit=DECISION_GABARIT)
    assert lettre.source == decision
    contenu = texte_pdf(lettre)
    assert MOTIVATION in contenu
    assert atelier.reference in contenu
    assert "déclarée éligible" in contenu and "2 mars 2026" in contenu
    assert "Communauté du Val" in contenu and "Communauté des Coteaux" in contenu
    assert "Décision n° 1 du 2 mars 2026 : éligible" in texte(client.get(url("dossier", atelier)))


@pytest.mark.parametrize(
    ("qui", "statut"),
    [
        ("porteur", 200),
        ("pilote", 200),
        ("dgaln", 200),
        ("autre_collectivite", 404),
        ("groupement", 404),
    ],
)
def test_qui_telecharge_la_lettre_de_decision(
    client, atelier, en_instruction, dgaln, qui, statut, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        candidature_decider(
            candidature=en_instruction,
            vu=en_instruction.statut,
            par=dgaln,
            eligible=True,
            motivation=MOTIVATION,
            date_decision=datetime.date(2026, 3, 2),
        )
    lettre = Document.objects.get(gabarit=DECISION_GABARIT)
    client.force_login(ROLES[qui](atelier))
    response = client.get(reverse("documents:telecharger", args=[lettre.uuid]))
    assert response.status_code == statut
    if statut == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        page = texte(client.get(url("dossier", atelier)))
        assert reverse("documents:telecharger", args=[lettre.uuid]) in page


def test_declarer_non_eligible_arrete_l_atelier_avec_sa_motivation(
    atelier, en_instruction, porteurs, dgaln, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = candidature_decider(
            candidature=en_instruction,
            vu=en_instruction.statut,
            par=dgaln,
            eligible=False,
            motivation=f"  {MOTIVATION}  ",
            date_decision=datetime.date(2026, 3, 2),
        )
    assert (decision.eligible, decision.motivation) == (False, MOTIVATION)
    assert Candidature.objects.get(pk=en_instruction.pk).statut == S.NON_ELIGIBLE
    atelier.refresh_from_db()
    assert (atelier.phase, atelier.phase_avant_sortie, atelier.motif_sortie) == (
        Phase.NON_ELIGIBLE,
        Phase.INSTRUCTION,
        MOTIVATION,
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(porteurs)
    assert all(MOTIVATION in m.body and "non éligible" in m.subject for m in mail.outbox)
    contenu = texte_pdf(Document.objects.get(gabarit=DECISION_GABARIT))
    assert MOTIVATION in contenu and atelier.reference in contenu
    assert "pas éligible" in contenu and "déclarée éligible" not in contenu


def test_seule_la_dgaln_decide():
    candidature = CandidatureFactory(en_instruction=True)
    with pytest.raises(PermissionDenied):
        candidature_decider(
            candidature=candidature,
            vu=candidature.statut,
            par=ROLES["pilote"](candidature.atelier),
            eligible=True,
            motivation=MOTIVATION,
            date_decision=datetime.date(2026, 3, 2),
        )
    assert Candidature.objects.get(pk=candidature.pk).statut == S.EN_INSTRUCTION
    assert Atelier.objects.get(pk=candidature.atelier.pk).phase == Phase.INSTRUCTION
    assert not Decision.objects.exists()


# The correction.


def test_le_motif_de_correction_est_obligatoire(client, atelier, en_instruction, dgaln):
    candidature_decider(
        candidature=en_instruction,
        vu=en_instruction.statut,
        par=dgaln,
        eligible=False,
        motivation=MOTIVATION,
        date_decision=datetime.date(2026, 3, 2),
    )
    with pytest.raises(ActionImpossible, match="Indiquez le motif"):
        candidature_corriger_decision(
            candidature=en_instruction,
            vu="non_eligible",
            par=dgaln,
            motif="  ",
            date_decision=datetime.date(2026, 3, 9),
        )
    client.force_login(dgaln)
    response = client.post(
        url("corriger", atelier), {"motif": "", "date_decision": "2026-03-09", "vu": "non_eligible"}
    )
    assert response.status_code == 400
    assert "Écrivez le motif de la correction." in texte(response)
    assert Candidature.objects.get(pk=en_instruction.pk).statut == S.NON_ELIGIBLE
    assert Decision.objects.count() == 1


def test_corriger_une_non_eligibilite_garde_les_deux_decisions(
    client, atelier, en_instruction, porteurs, dgaln, django_capture_on_commit_callbacks
):
    candidature_decider(
        candidature=en_instruction,
        vu=en_instruction.statut,
        par=dgaln,
        eligible=False,
        motivation=MOTIVATION,
        date_decision=datetime.date(2026, 3, 2),
    )
    motif = "Le complément reçu lève la réserve sur le périmètre."
    client.force_login(dgaln)
    page = texte(client.get(url("corriger", atelier)))
    assert "Corriger la décision : éligible" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("corriger", atelier),
            {"motif": motif, "date_decision": "2026-03-09", "vu": "non_eligible"},
        )
    assert response.status_code == 302
    assert Candidature.objects.get(pk=en_instruction.pk).statut == S.ELIGIBLE
    atelier.refresh_from_db()
    assert (atelier.phase, atelier.motif_sortie) == (Phase.ELIGIBLE, "")

    premiere, seconde = Decision.objects.order_by("numero")
    assert (premiere.eligible, premiere.motivation, premiere.motif_correction) == (
        False,
        MOTIVATION,
        "",
    )
    assert (seconde.numero, seconde.eligible, seconde.motif_correction) == (2, True, motif)
    assert seconde.date_decision == datetime.date(2026, 3, 9) and seconde.est_correction
    decisions = Evenement.objects.filter(
        objet_id=str(en_instruction.pk),
        transition__in=["declarer_non_eligible", "corriger_eligible"],
        objet_type__model="candidature",
    ).order_by("date", "pk")
    assert [(e.transition, e.commentaire) for e in decisions] == [
        ("declarer_non_eligible", MOTIVATION),
        ("corriger_eligible", motif),
    ]

    assert sorted(m.to[0] for m in mail.outbox) == sorted(porteurs)
    assert all("corrigé sa décision" in m.body and motif in m.body for m in mail.outbox)
    lettre = Document.objects.get(gabarit=DECISION_GABARIT, source_id=str(seconde.pk))
    contenu = texte_pdf(lettre)
    assert "correction de la décision d'éligibilité" in contenu
    assert motif in contenu and atelier.reference in contenu

    dossier = texte(client.get(url("dossier", atelier)))
    assert "Décision n° 1 du 2 mars 2026 : non éligible" in dossier
    assert "Décision n° 2 du 9 mars 2026 : éligible (correction)" in dossier
    assert "Corriger la décision : non éligible" in dossier


def test_corriger_une_eligibilite_arrete_l_atelier(atelier, en_instruction, dgaln):
    candidature_decider(
        candidature=en_instruction,
        vu=en_instruction.statut,
        par=dgaln,
        eligible=True,
        motivation=MOTIVATION,
        date_decision=datetime.date(2026, 3, 2),
    )
    decision = candidature_corriger_decision(
        candidature=en_instruction,
        vu="eligible",
        par=dgaln,
        motif="Le périmètre ne relève pas du programme.",
        date_decision=datetime.date(2026, 3, 9),
    )
    assert (decision.numero, decision.eligible) == (2, False)
    atelier.refresh_from_db()
    assert (atelier.phase, atelier.motif_sortie) == (
        Phase.NON_ELIGIBLE,
        "Le périmètre ne relève pas du programme.",
    )


def test_une_eligibilite_ne_se_corrige_plus_une_fois_le_marche_lance(client, dgaln):
    candidature = CandidatureFactory(eligible=True, atelier__phase=Phase.MARCHE)
    atelier = candidature.atelier
    with pytest.raises(ActionImpossible):
        candidature_corriger_decision(
            candidature=candidature,
            vu=candidature.statut,
            par=dgaln,
            motif="Trop tard",
            date_decision=datetime.date(2026, 3, 9),
        )
    client.force_login(dgaln)
    assert "Corriger la décision" not in texte(client.get(url("dossier", atelier)))
    response = client.post(
        url("corriger", atelier), {"motif": "x", "date_decision": "2026-03-09", "vu": "eligible"}
    )
    assert response.status_code == 302
    assert Candidature.objects.get(pk=candidature.pk).statut == S.ELIGIBLE
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.MARCHE
    assert not Decision.objects.exists() and not Evenement.objects.exists()


# What a collectivité never sees.


def test_ni_annotation_ni_avis_chez_les_porteurs_ni_dans_les_pdf(
    client, atelier, deposee, porteur, dgaln, django_capture_on_commit_callbacks
):
    annotation_ecrire(candidature=deposee, par=dgaln, texte=SECRET)
    expert = membre(ddt=True)
    demande = avis_demander(candidature=deposee, par=dgaln, expert=expert, question=QUESTION)
    avis_rendre(demande=demande, par=expert, avis=AVIS_SECRET)
    with django_capture_on_commit_callbacks(execute=True):
        _complements_puis_redepot(deposee, dgaln, porteur)
    with django_capture_on_commit_callbacks(execute=True):
        candidature_decider(
            candidature=deposee,
            vu=deposee.statut,
            par=dgaln,
            eligible=True,
            motivation=MOTIVATION,
            date_decision=datetime.date(2026, 3, 2),
        )
    secrets = (SECRET, QUESTION, AVIS_SECRET, "Annotation", "Avis confidentiel")
    lettre = texte_pdf(Document.objects.get(gabarit=DECISION_GABARIT))
    dossier = texte_pdf(Document.objects.get(gabarit=DOSSIER_GABARIT, version_source="2"))
    assert MOTIVATION in lettre and "Comment habiter la vallée inondable ?" in dossier
    for pdf in (lettre, dossier):
        assert not any(s in pdf for s in secrets)
    pilote = UtilisateurFactory(organisations=[atelier.service_pilote])
    for user in (porteur, pilote):
        client.force_login(user)
        for parametres in ({}, {"version": 1}, {"version": 2, "comparer": 1}):
            page = texte(client.get(url("dossier", atelier), parametres))
            assert MOTIVATION in page
            assert not any(s in page for s in secrets)
            assert "Instruction interne" not in page
    client.force_login(dgaln)
    assert "Instruction interne" in texte(client.get(url("dossier", atelier)))


# The review queue.


def maintenant_moins(**duree):
    return timezone.now() - datetime.timedelta(**duree)


def le(jour):
    return timezone.make_aware(datetime.datetime.combine(jour, datetime.time(10)))


@pytest.fixture
def territoires():
    nord, sud = (
        RegionFactory(code="R91", nom="Région Nord"),
        RegionFactory(code="R92", nom="Région Sud"),
    )
    return {
        "nord": nord,
        "sud": sud,
        "n1": DepartementFactory(code="N1", nom="Nord-Un", region=nord),
        "n2": DepartementFactory(code="N2", nom="Nord-Deux", region=nord),
        "s1": DepartementFactory(code="S1", nom="Sud-Un", region=sud),
    }


@pytest.fixture
def file(territoires, dgaln):
    """Four candidatures in the review, one decided, over two régions and two themes."""
    t1, t2 = Thematique.objects.order_by("pk")[:2]
    collegue = membre(dgaln=True)

    def candidature(trait, departements, theme, recue, suivie_par=None):
        return CandidatureFactory(
            **{trait: True},
            atelier__departements=departements,
            objet__thematiques=[theme],
            depose_le=le(recue),
            suivie_par=suivie_par,
        )

    return {
        "t1": t1,
        "t2": t2,
        "a": candidature("deposee", [territoires["n1"]], t1, datetime.date(2026, 1, 10)),
        "b": candidature(
            "en_instruction",
            [territoires["n2"], territoires["s1"]],
            t2,
            datetime.date(2026, 2, 10),
            dgaln,
        ),
        "c": candidature(
            "en_instruction", [territoires["s1"]], t1, datetime.date(2026, 3, 10), collegue
        ),
        "d": candidature(
            "complements_demandes", [territoires["s1"]], t2, datetime.date(2026, 1, 20)
        ),
        "e": candidature("eligible", [territoires["n1"]], t1, datetime.date(2026, 1, 5)),
    }


def liste(client, **filtres):
    response = client.get(reverse("candidatures:a_instruire"), filtres)
    assert response.status_code == 200
    return [c.pk for c in response.context["candidatures"]]


def test_la_file_filtre_et_trie(client, territoires, file, dgaln):
    a, b, c, d = (file[n].pk for n in "abcd")
    client.force_login(dgaln)
    assert liste(client) == [a, b, c]
    assert liste(client, tri="recentes") == [c, b, a]
    assert liste(client, tri="anciennes") == [a, b, c]
    assert liste(client, etat="deposee") == [a]
    assert liste(client, etat="en_instruction") == [b, c]
    assert liste(client, etat="complements_demandes") == [d]
    assert liste(client, etat="en_cours") == [a, d, b, c]
    assert liste(client, region="R91") == [a, b]
    assert liste(client, region="R92") == [b, c]
    assert liste(client, departement="S1", etat="en_cours") == [d, b, c]
    assert liste(client, thematique=file["t1"].pk) == [a, c]
    assert liste(client, recue_du="2026-02-01") == [b, c]
    assert liste(client, recue_au="2026-02-10") == [a, b]
    assert liste(client, recue_du="2026-02-10", recue_au="2026-02-10") == [b]
    assert liste(client, suivi="moi") == [b]
    assert liste(client, suivi="personne") == [a]
    assert liste(client, region="R92", suivi="personne") == []
    vide = texte(
        client.get(reverse("candidatures:a_instruire"), {"suivi": "personne", "region": "R92"})
    )
    assert "Aucune candidature ne correspond à ces filtres." in vide


def test_les_filtres_de_la_file_suivent_le_dsfr_et_le_texte_revient_a_la_ligne(client, file, dgaln):
    client.force_login(dgaln)
    page = texte(client.get(reverse("candidatures:a_instruire")))
    assert re.search(r'<select name="etat" class="fr-select"', page)
    assert re.search(r'<input type="date" name="recue_du"[^>]* class="fr-input"', page)
    ligne = page.split(file["a"].atelier.reference)[1].split("</tr>")[0]
    assert ligne.count('<td class="fr-cell--multiline">') == 4


@pytest.mark.parametrize(
    "trafique",
    [
        {"etat": "eligible"},
        {"etat": "<script>"},
        {"region": "ZZZ"},
        {"departement": "999"},
        {"thematique": "abc"},
        {"thematique": "-1"},
        {"recue_du": "2026-13-45"},
        {"recue_au": "hier"},
        {"suivi": "tout"},
        {"tri": "'; DROP TABLE"},
        {"page": "abc"},
        {"page": "999"},
        {"page": "-1"},
    ],
)
def test_un_filtre_trafique_est_ignore(client, file, dgaln, trafique):
    client.force_login(dgaln)
    assert liste(client, **trafique) == [file[n].pk for n in "abc"]


def test_un_filtre_trafique_laisse_les_autres_filtrer(client, file, dgaln):
    client.force_login(dgaln)
    assert liste(client, region="R91", tri="bidon", recue_du="jamais") == [
        file["a"].pk,
        file["b"].pk,
    ]


def test_la_file_dit_depuis_quand_le_dossier_attend(client, dgaln):
    redeposee = CandidatureFactory(deposee=True, depose_le=maintenant_moins(days=40))
    depot = maintenant_moins(days=12, hours=3)
    version(redeposee, 2, depot)
    client.force_login(dgaln)
    page = texte(client.get(reverse("candidatures:a_instruire")))
    ligne = page.split(redeposee.atelier.reference)[1].split("</tr>")[0]
    recue = timezone.localtime(maintenant_moins(days=40))
    assert f"<td>{recue.day} " in ligne
    assert timesince(depot, timezone.now()) in ligne
    attente = timezone.localtime(depot)
    assert f"depuis le {attente.day} " in ligne
    assert str(attente.year) in ligne


def test_la_file_est_paginee(client, dgaln):
    for jour in range(30):
        CandidatureFactory(deposee=True, depose_le=maintenant_moins(days=60 - jour))
    client.force_login(dgaln)
    premiere = client.get(reverse("candidatures:a_instruire"))
    assert len(premiere.context["candidatures"]) == 25
    assert "30 candidatures" in texte(premiere)
    seconde = client.get(reverse("candidatures:a_instruire"), {"page": 2, "etat": "a_instruire"})
    assert len(seconde.context["candidatures"]) == 5
    assert not {c.pk for c in premiere.context["candidatures"]} & {
        c.pk for c in seconde.context["candidatures"]
    }
    assert "page=2" in texte(premiere)
    assert 'href="?page=1&etat=a_instruire"' in texte(seconde)


@pytest.mark.parametrize(
    "filtres", [{}, {"region": "R1"}, {"departement": "N1"}, {"thematique": 0}, {"suivi": "moi"}]
)
def test_la_file_en_un_nombre_fixe_de_requetes(client, territoires, dgaln, filtres):
    from tests.requetes import nombre_de_requetes

    themes = list(Thematique.objects.all()[:3])
    if "thematique" in filtres:
        filtres = {"thematique": themes[0].pk}
    if "region" in filtres:
        filtres = {"region": territoires["n1"].region_id}
    if "departement" in filtres:
        filtres = {"departement": territoires["n1"].pk}

    def candidatures(nombre):
        for rang in range(nombre):
            CandidatureFactory(
                **{("deposee" if rang % 2 else "en_instruction"): True},
                atelier__departements=[
                    territoires[("n1", "n2", "s1")[rang % 3]],
                    territoires["s1"],
                ],
                objet__thematiques=themes[: rang % 3 + 1],
                suivie_par=dgaln if rang % 4 == 0 else None,
                depose_le=maintenant_moins(days=60 - rang),
            )

    client.force_login(dgaln)
    candidatures(30)
    avec_n = nombre_de_requetes(client, reverse("candidatures:a_instruire"), filtres)
    candidatures(30)
    assert nombre_de_requetes(client, reverse("candidatures:a_instruire"), filtres) == avec_n


def test_la_file_ne_lit_que_ce_que_le_tableau_montre(client, territoires, dgaln):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for rang in range(3):
        CandidatureFactory(
            deposee=True,
            atelier__departements=[territoires["n1"]],
            depose_le=maintenant_moins(days=10 - rang),
        )
    client.force_login(dgaln)
    with CaptureQueriesContext(connection) as requetes:
        response = client.get(reverse("candidatures:a_instruire"), {"region": "R91"})
    assert response.status_code == 200

    file = [q["sql"] for q in requetes.captured_queries if "candidatures_objet" in q["sql"]]
    assert file
    for sql in file:
        assert "GROUP BY" not in sql
        assert "DISTINCT" not in sql
        assert '"problematique"' not in sql


def test_la_file_montre_chaque_ligne(client, territoires, dgaln):
    themes = list(Thematique.objects.all()[:3])
    for rang in range(30):
        CandidatureFactory(
            **{("deposee" if rang % 2 else "en_instruction"): True},
            atelier__departements=[territoires[("n1", "n2", "s1")[rang % 3]], territoires["s1"]],
            objet__thematiques=themes[: rang % 3 + 1],
            suivie_par=dgaln if rang % 4 == 0 else None,
            depose_le=maintenant_moins(days=60 - rang),
        )
    client.force_login(dgaln)
    response = client.get(reverse("candidatures:a_instruire"))
    assert response.status_code == 200
    assert len(response.context["candidatures"]) == 25
    tableau = texte(response).split("<tbody>")[1].split("</tbody>")[0]
    assert tableau.count("Dominique Instructrice") == 7


def test_le_compteur_de_la_navigation_pour_la_dgaln_seulement(client, dgaln):
    CandidatureFactory(deposee=True)
    atelier = CandidatureFactory(en_instruction=True).atelier
    CandidatureFactory(en_instruction=True)
    CandidatureFactory(complements_demandes=True)
    CandidatureFactory(eligible=True)
    client.force_login(dgaln)
    page = client.get(reverse("portail:ateliers"))
    assert page.context["nombre_a_instruire"] == 3
    assert '3<span class="fr-sr-only"> en attente</span>' in texte(page)
    for qui in ("pilote", "porteur", "dreal"):
        client.force_login(ROLES[qui](atelier))
        page = client.get(reverse("portail:ateliers"))
        assert "nombre_a_instruire" not in page.context
        assert "en attente</span>" not in texte(page)
        assert "Candidatures à instruire" not in texte(page)


def test_une_correction_confirmee_apres_celle_d_un_collegue_ne_repart_pas_en_arriere(
    client, atelier, en_instruction, dgaln
):
    candidature_decider(
        candidature=en_instruction,
        vu=en_instruction.statut,
        par=dgaln,
        eligible=False,
        motivation=MOTIVATION,
        date_decision=datetime.date(2026, 3, 2),
    )
    client.force_login(dgaln)
    # A colleague corrects it to « éligible » while this page, opened before, still offers it.
    candidature_corriger_decision(
        candidature=en_instruction,
        vu="non_eligible",
        par=dgaln,
        motif="Correction du collègue",
        date_decision=datetime.date(2026, 3, 3),
    )
    response = client.post(
        url("corriger", atelier),
        {"motif": "Ma correction", "date_decision": "2026-03-09", "vu": "non_eligible"},
        follow=True,
    )
    assert "est maintenant à l'étape « Éligible ». La page a été mise à jour." in texte(response)
    assert Candidature.objects.get(pk=en_instruction.pk).statut == S.ELIGIBLE
    assert Decision.objects.count() == 2


def test_des_complements_sur_une_piece_inconnue_sont_refuses(en_instruction, dgaln):
    with pytest.raises(ActionImpossible, match="Cochez les pièces"):
        candidature_demander_complements(
            candidature=en_instruction,
            vu=en_instruction.statut,
            par=dgaln,
            pieces=["inconnue"],
            message="x",
        )
    assert Candidature.objects.get(pk=en_instruction.pk).statut == S.EN_INSTRUCTION


def test_des_complements_demandes_sont_a_traiter_pour_les_porteurs(
    atelier, en_instruction, dgaln, porteur
):
    assert atelier.pk not in ateliers_a_traiter(porteur).values_list("pk", flat=True)
    candidature_demander_complements(
        candidature=en_instruction,
        vu=en_instruction.statut,
        par=dgaln,
        pieces=["objet"],
        message="Précisez.",
    )
    assert atelier.pk in ateliers_a_traiter(porteur).values_list("pk", flat=True)
    assert atelier.pk not in ateliers_a_traiter(membre()).values_list("pk", flat=True)


# What the user saw: every action of the review carries the step its page showed.


def test_une_decision_sur_une_version_que_la_dgaln_n_a_pas_lue_est_refusee(
    client, atelier, deposee, dgaln, porteur
):
    """DGALN opened the decision page on version 1, « en instruction »; a colleague asked for
    compléments and the porteurs deposited version 2 since: the decision is not applied."""
    candidature_suivre(candidature=deposee, vu="deposee", par=dgaln)
    client.force_login(dgaln)
    page = texte(client.get(url("decider", atelier)))
    assert '<input type="hidden" name="vu" value="en_instruction">' in page
    _complements_puis_redepot(Candidature.objects.get(pk=deposee.pk), dgaln, porteur)
    journal = Evenement.objects.count()
    response = client.post(
        url("decider", atelier),
        {
            "eligible": "oui",
            "motivation": MOTIVATION,
            "date_decision": timezone.localdate(),
            "vu": "en_instruction",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("dossier", atelier)
    assert (
        f"Cette action n'est plus possible : « {deposee} » est maintenant à l'étape "
        "« Déposée ». La page a été mise à jour."
    ) in texte(response)
    assert Candidature.objects.get(pk=deposee.pk).statut == S.DEPOSEE
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.INSTRUCTION
    assert not Decision.objects.exists()
    assert Evenement.objects.count() == journal


@pytest.mark.parametrize("donnees", [{}, {"vu": ""}, {"vu": "eligible"}, {"vu": "\x00"}])
def test_une_etape_vue_absente_ou_forgee_ne_fait_rien(
    client, atelier, en_instruction, dgaln, donnees
):
    client.force_login(dgaln)
    for page, formulaire in [
        ("decider", {"eligible": "oui", "motivation": MOTIVATION, "date_decision": "2026-03-02"}),
        ("complements", {"pieces": ["objet"], "message": "Précisez."}),
        ("suivre", {}),
    ]:
        response = client.post(url(page, atelier), {**formulaire, **donnees}, follow=True)
        assert response.status_code == 200
        assert "La page a été mise à jour" in texte(response)
    en_instruction.refresh_from_db()
    assert (en_instruction.statut, en_instruction.suivie_par) == (S.EN_INSTRUCTION, None)
    assert not Decision.objects.exists() and not Evenement.objects.exists()


@pytest.mark.parametrize(
    ("service", "arguments"),
    [
        (candidature_suivre, {}),
        (candidature_demander_complements, {"pieces": ["objet"], "message": "Précisez."}),
        (
            candidature_decider,
            {"eligible": True, "motivation": MOTIVATION, "date_decision": datetime.date.today()},
        ),
    ],
)
def test_chaque_action_de_la_revue_verifie_l_etape_vue(en_instruction, dgaln, service, arguments):
    with pytest.raises(ActionImpossible, match=re.escape("« En instruction ». La page a été")):
        service(candidature=en_instruction, par=dgaln, vu="deposee", **arguments)
    assert not Evenement.objects.exists()
    service(candidature=en_instruction, par=dgaln, vu="en_instruction", **arguments)
    assert Evenement.objects.exists()


def test_le_depot_verifie_l_etape_vue(atelier, deposee, porteur, dgaln):
    """A porteur confirms a dépôt from the page they opened before a colleague deposited and
    DGALN asked for compléments: that dépôt would send a version nobody completed."""
    candidature_demander_complements(
        candidature=deposee, par=dgaln, vu="deposee", pieces=["objet"], message="Précisez."
    )
    with pytest.raises(ActionImpossible, match=re.escape("« Compléments demandés ». La page")):
        candidature_deposer(candidature=deposee, par=porteur, vu="en_redaction")
    assert Candidature.objects.get(pk=deposee.pk).statut == S.COMPLEMENTS_DEMANDES
    assert deposee.versions.count() == 1


def test_la_date_d_une_decision_va_du_depot_a_aujourd_hui(client, atelier, en_instruction, dgaln):
    """A decision dated in the future gave a letter « le 1 janvier 2035 » and a cohort average
    of 2 953 days: its date falls between the dépôt and today, for a correction too."""
    aujourd_hui = timezone.localdate()
    depot = timezone.localdate(en_instruction.versions.get().depose_le)
    attendu = f"La date doit être comprise entre le {date_longue(depot)} et aujourd'hui."
    client.force_login(dgaln)
    hors_plage = [
        aujourd_hui + datetime.timedelta(days=1),
        datetime.date(2035, 1, 1),
        depot - datetime.timedelta(days=1),
    ]
    for jour in hors_plage:
        decision = {
            "eligible": "oui",
            "motivation": MOTIVATION,
            "date_decision": jour,
            "vu": "en_instruction",
        }
        response = client.post(url("decider", atelier), decision)
        assert response.status_code == 400
        assert attendu in texte(response)
    assert not Decision.objects.exists()
    client.post(
        url("decider", atelier),
        {
            "eligible": "oui",
            "motivation": MOTIVATION,
            "date_decision": aujourd_hui,
            "vu": "en_instruction",
        },
    )
    assert Decision.objects.get().date_decision == aujourd_hui
    response = client.post(
        url("corriger", atelier),
        {"motif": "Erreur", "date_decision": hors_plage[0], "vu": "eligible"},
    )
    assert attendu in texte(response)
    assert Decision.objects.count() == 1


def test_un_filtre_de_date_hors_de_la_plage_est_ignore_et_dit_pourquoi(client, dgaln):
    client.force_login(dgaln)
    response = client.get(reverse("candidatures:a_instruire"), {"recue_au": "2999-01-01"})
    assert response.status_code == 200
    assert "La date doit être comprise entre le 1er janvier 2019 et aujourd'hui." in texte(response)
