"""What the sessions hold, each part written by its own role and journalled once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ateliers.models import CodeSession, Evenement, LigneLogistique, Participant, Session
from ateliers.services import ActionImpossible
from ateliers.services.session_contenu import (
    PointSaisi,
    PropositionSaisie,
    compte_rendu_enregistrer,
    compte_rendu_piece_deposer,
    ligne_logistique_enregistrer,
    ligne_logistique_supprimer,
    participant_enregistrer,
    participant_retirer,
    presences_relever,
    programme_enregistrer,
)
from documents.models import FichierDepose
from tests.ateliers.sessions.factories import ParticipantFactory, SessionFactory
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory
from tests.documents import fichiers_hostiles as h

pytestmark = pytest.mark.django_db

S = Session.Statut
P = Participant.Presence
TOUS = ["pilote", "groupement", "collectivite", "dgaln", "voisin", "autre_ddt"]


def programme(session, par, vu=S.PLANIFIEE):
    return programme_enregistrer(
        session=session,
        par=par,
        vu=vu,
        points=[
            PointSaisi("Accueil", heure_debut=datetime.time(9), heure_fin=datetime.time(9, 30)),
            PointSaisi("Visite de terrain", intervenants="L'équipe du groupement"),
        ],
    )


def logistique(session, par, vu=S.PLANIFIEE, **champs):
    return ligne_logistique_enregistrer(
        session=session,
        par=par,
        vu=vu,
        **{
            "poste": LigneLogistique.Poste.RESTAURATION,
            "description": "Déjeuner pour 40 personnes",
            "payeur": session.atelier.collectivites.first(),
            "cout_estime": Decimal("800.00"),
            "cout_reel": None,
            **champs,
        },
    )


def inviter(session, par, vu=S.PLANIFIEE, courriel="Elu.Local@Exemple.test"):
    return participant_enregistrer(
        session=session,
        par=par,
        vu=vu,
        prenom="Dominique",
        nom="Essai",
        courriel=courriel,
        organisation="Commune d'Arles",
        college=Participant.College.ELUS,
    )


def compte_rendu(session, par, vu=S.TENUE):
    return compte_rendu_enregistrer(
        session=session,
        par=par,
        vu=vu,
        synthese="Un territoire exposé aux crues",
        enjeux="L'eau, l'habitat",
        decisions="Approfondir le volet agricole",
        prochaines_etapes="Entretiens avec les riziculteurs",
        propositions=[
            PropositionSaisie("Un observatoire des crues", "Risques", "Un élu"),
            PropositionSaisie("Des haies", "Paysage"),
        ],
    )


def presences(session, par, vu=S.TENUE):
    participant = session.participants.first()
    return presences_relever(session=session, par=par, vu=vu, presences={participant.pk: P.PRESENT})


# Each write, who may make it, the state it is tried in.
ECRITURES = {
    "programme": (programme, {"groupement"}, S.PLANIFIEE),
    "logistique": (logistique, {"collectivite"}, S.PLANIFIEE),
    "participant": (inviter, {"pilote", "groupement"}, S.PLANIFIEE),
    "compte_rendu": (compte_rendu, {"groupement"}, S.TENUE),
    "presences": (presences, {"pilote"}, S.TENUE),
}


@pytest.mark.parametrize("ecriture", ECRITURES)
@pytest.mark.parametrize("role", TOUS)
def test_chaque_partie_s_ecrit_par_son_role_seul(ecriture, role, roles):
    ecrire, permis, statut = ECRITURES[ecriture]
    session = SessionFactory(statut=statut)
    ParticipantFactory(session=session)
    par = roles(session)[role]
    if role in permis:
        ecrire(session, par, statut)
        ligne = Evenement.objects.get(objet_id=str(session.pk))
        assert ligne.code.startswith("session.") and ligne.par == par
    else:
        with pytest.raises(PermissionDenied):
            ecrire(session, par, statut)
        assert not Evenement.objects.filter(objet_id=str(session.pk)).exists()


@pytest.mark.parametrize("ecriture", ECRITURES)
def test_chaque_partie_refuse_un_etat_depasse(ecriture, roles):
    ecrire, permis, statut = ECRITURES[ecriture]
    session = SessionFactory(statut=statut)
    ParticipantFactory(session=session)
    with pytest.raises(ActionImpossible, match="n'est plus possible"):
        ecrire(session, roles(session)[sorted(permis)[0]], S.A_PLANIFIER)


def test_le_programme_se_remplace_dans_l_ordre_et_se_fige_une_fois_tenue(roles):
    session = SessionFactory(statut=S.PLANIFIEE)
    groupement = roles(session)["groupement"]
    programme(session, groupement)
    programme(session, groupement)
    assert [(p.ordre, p.intitule) for p in session.programme.all()] == [
        (1, "Accueil"),
        (2, "Visite de terrain"),
    ]
    with pytest.raises(ActionImpossible, match="second jour"):
        programme_enregistrer(
            session=session, par=groupement, vu=S.PLANIFIEE, points=[PointSaisi("Bilan", jour=2)]
        )
    tenue = SessionFactory(statut=S.TENUE)
    with pytest.raises(ActionImpossible, match="ne se modifie plus"):
        programme(tenue, roles(tenue)["groupement"], S.TENUE)


def test_la_logistique_est_payee_par_une_collectivite_porteuse_et_se_corrige(roles):
    session = SessionFactory(statut=S.TENUE)
    collectivite = roles(session)["collectivite"]
    with pytest.raises(ActionImpossible, match="collectivité porteuse"):
        logistique(session, collectivite, S.TENUE, payeur=OrganisationFactory())
    ligne = logistique(session, collectivite, S.TENUE)
    ligne = logistique(session, collectivite, S.TENUE, ligne=ligne, cout_reel=Decimal("760.50"))
    assert LigneLogistique.objects.get().cout_reel == Decimal("760.50")
    ligne_logistique_supprimer(ligne=ligne, par=collectivite, vu=S.TENUE)
    assert not LigneLogistique.objects.exists()
    assert Evenement.objects.filter(code=CodeSession.LOGISTIQUE_MODIFIEE).count() == 3


def test_un_participant_est_invite_une_fois_et_relie_a_son_compte(roles):
    session = SessionFactory(statut=S.PLANIFIEE)
    pilote = roles(session)["pilote"]
    compte = UtilisateurFactory(email="elu.local@exemple.test")
    participant = inviter(session, pilote)
    assert (participant.courriel, participant.utilisateur) == ("elu.local@exemple.test", compte)
    with pytest.raises(ActionImpossible, match="déjà invitée"):
        inviter(session, pilote, courriel="ELU.local@exemple.test")
    participant_retirer(participant=participant, par=pilote, vu=S.PLANIFIEE)
    assert not session.participants.exists()


def test_les_presences_se_relevent_une_fois_la_session_tenue(roles):
    session = SessionFactory(statut=S.TENUE)
    venus = [ParticipantFactory(session=session) for _ in range(2)]
    absent = ParticipantFactory(session=session)
    pilote = roles(session)["pilote"]
    releve = {venus[0].pk: P.PRESENT, venus[1].pk: P.PRESENT, absent.pk: P.ABSENT}
    assert presences_relever(session=session, par=pilote, vu=S.TENUE, presences=releve) == 2
    assert dict(session.participants.values_list("pk", "presence")) == releve
    avant = SessionFactory(statut=S.CONVOCATIONS_ENVOYEES)
    with pytest.raises(ActionImpossible, match="ne se modifie plus"):
        presences_relever(
            session=avant, par=roles(avant)["pilote"], vu=S.CONVOCATIONS_ENVOYEES, presences={}
        )


def test_le_compte_rendu_et_ses_propositions_se_reecrivent_jusqu_a_validation(roles):
    session = SessionFactory(statut=S.TENUE)
    groupement = roles(session)["groupement"]
    compte_rendu(session, groupement)
    ecrit = compte_rendu(session, groupement)
    assert ecrit.synthese == "Un territoire exposé aux crues" and ecrit.modifie_par == groupement
    assert [(p.ordre, p.texte, p.proposee_par) for p in ecrit.propositions.all()] == [
        (1, "Un observatoire des crues", "Un élu"),
        (2, "Des haies", ""),
    ]
    valide = SessionFactory(statut=S.COMPTE_RENDU_VALIDE)
    with pytest.raises(ActionImpossible, match="ne se modifie plus"):
        compte_rendu(valide, roles(valide)["groupement"], S.COMPTE_RENDU_VALIDE)


def test_une_photo_se_joint_au_compte_rendu_une_fois_verifiee(roles):
    session = SessionFactory(statut=S.TENUE)
    groupement = roles(session)["groupement"]
    piece = compte_rendu_piece_deposer(
        session=session,
        par=groupement,
        vu=S.TENUE,
        fichier=h.televerse("atelier.png", h.png(), "image/png"),
    )
    assert piece.proprietaire == session.compte_rendu
    assert FichierDepose.objects.filter(pk=piece.pk, extension=".png").exists()
