"""What the sessions hold, each written by its own role: the programme and the compte-rendu by
the groupement, the logistics by the collectivités porteuses, the participants by the pilot
or the groupement, the attendance by the pilot. Each write is one line of the journal."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from ateliers.models import (
    PILOTER_SESSION,
    SORTIES,
    Atelier,
    CodeSession,
    CompteRendu,
    LigneLogistique,
    Participant,
    Phase,
    PointProgramme,
    Proposition,
    Session,
)
from ateliers.services import (
    ActionImpossible,
    accompagnement_verifier,
    etat_verifier,
    journal_ecrire,
)
from ateliers.services.session import courriels_participants, session_verrouillee
from comptes.models import Organisation, Utilisateur
from documents.models import FichierDepose
from documents.services import fichier_deposer
from documents.verification import Usage

S = Session.Statut
# Before it is held, a session's programme and guest list may change.
AVANT_TENUE = [S.A_PLANIFIER, S.PLANIFIEE, S.CONVOCATIONS_ENVOYEES, S.REPORTEE]


class Redacteurs(TypedDict):
    """Who writes a part, the refusal that names them, and until when."""

    permission: str
    qui: str
    etats: Sequence[str]


LOGISTIQUE: Redacteurs = {
    "permission": "ateliers.gerer_logistique",
    "qui": "Seules les collectivités porteuses gèrent la logistique qu'elles paient.",
    "etats": [*AVANT_TENUE, S.TENUE, S.COMPTE_RENDU_VALIDE],
}
INVITATIONS: Redacteurs = {
    "permission": "ateliers.inviter_participants",
    "qui": "Seuls le service pilote et le groupement titulaire invitent les participants.",
    "etats": AVANT_TENUE,
}


@dataclass(frozen=True)
class PointSaisi:
    intitule: str
    jour: int = 1
    heure_debut: datetime.time | None = None
    heure_fin: datetime.time | None = None
    intervenants: str = ""


@dataclass(frozen=True)
class PropositionSaisie:
    texte: str
    theme: str = ""
    proposee_par: str = ""


def _session_a_modifier(
    session: Session, par: Utilisateur, vu: str, *, permission: str, qui: str, etats: Sequence[str]
) -> Session:
    """The locked session, if `par` holds `permission` on it and it is still in the state `vu`
    they saw, and that state lets this part change."""
    if not par.has_perm(permission, session):
        raise PermissionDenied(qui)
    session = session_verrouillee(session)
    accompagnement_verifier(session.atelier, "ses sessions ne se modifient plus")
    etat_verifier(objet=session, champ="statut", vu=vu)
    if session.statut not in etats:
        raise ActionImpossible(
            f"La session est « {session.get_statut_display()} » : cette partie ne se modifie plus."
        )
    return session


def _journal(session: Session, par: Utilisateur, code: CodeSession, commentaire: str = "") -> None:
    journal_ecrire(
        code=code,
        objet=session,
        atelier=session.atelier,
        par=par,
        libelle=code.label,
        commentaire=commentaire,
    )


@transaction.atomic
def programme_enregistrer(
    *, session: Session, par: Utilisateur, vu: str, points: Sequence[PointSaisi]
) -> list[PointProgramme]:
    """Replace the session's agenda by `points`, in their order, until it is held."""
    session = _session_a_modifier(
        session,
        par,
        vu,
        permission="ateliers.preparer_session",
        qui="Seul le groupement titulaire écrit le programme.",
        etats=AVANT_TENUE,
    )
    if any(p.jour == 2 for p in points) and session.nombre_de_jours == 1:
        raise ActionImpossible(
            "La session dure une journée : son programme n'a pas de second jour."
        )
    session.programme.all().delete()
    lignes = PointProgramme.objects.bulk_create(
        PointProgramme(
            session=session,
            ordre=ordre,
            jour=p.jour,
            heure_debut=p.heure_debut,
            heure_fin=p.heure_fin,
            intitule=p.intitule.strip(),
            intervenants=p.intervenants.strip(),
        )
        for ordre, p in enumerate(points, start=1)
    )
    _journal(session, par, CodeSession.PROGRAMME_MODIFIE, f"{len(lignes)} point(s)")
    return lignes


@transaction.atomic
def ligne_logistique_enregistrer(
    *,
    session: Session,
    par: Utilisateur,
    vu: str,
    poste: str,
    description: str,
    payeur: Organisation,
    cout_estime: Decimal | None,
    cout_reel: Decimal | None,
    ligne: LigneLogistique | None = None,
) -> LigneLogistique:
    """Add a logistics line to the session, or change `ligne`, paid by one of the atelier's
    collectivités porteuses; the actual cost is known once the session is held."""
    session = _session_a_modifier(
        session,
        par,
        vu,
        **LOGISTIQUE,
    )
    if payeur.pk not in {c.pk for c in session.atelier.collectivites.all()}:
        raise ActionImpossible(
            "La logistique est payée par une collectivité porteuse de l'atelier."
        )
    if ligne is None:
        ligne = LigneLogistique(session=session)
    elif ligne.session_id != session.pk:
        raise ActionImpossible("Cette ligne n'est pas celle de cette session.")
    ligne.poste, ligne.description, ligne.payeur = poste, description.strip(), payeur
    ligne.cout_estime, ligne.cout_reel = cout_estime, cout_reel
    ligne.save()
    _journal(session, par, CodeSession.LOGISTIQUE_MODIFIEE, str(ligne))
    return ligne


@transaction.atomic
def ligne_logistique_supprimer(*, ligne: LigneLogistique, par: Utilisateur, vu: str) -> None:
    """Remove a logistics line that will not be paid."""
    session = _session_a_modifier(
        ligne.session,
        par,
        vu,
        **LOGISTIQUE,
    )
    ligne.delete()
    _journal(session, par, CodeSession.LOGISTIQUE_MODIFIEE, f"Retirée : {ligne}")


@transaction.atomic
def participant_enregistrer(
    *,
    session: Session,
    par: Utilisateur,
    vu: str,
    prenom: str,
    nom: str,
    courriel: str,
    organisation: str,
    college: str,
    participant: Participant | None = None,
) -> Participant:
    """Invite a person to the session, or correct `participant`, until it is held; the person's
    account on the portal, if any, is linked by their address. Invited after the
    convocations, they are convened at once."""
    session = _session_a_modifier(
        session,
        par,
        vu,
        **INVITATIONS,
    )
    nouveau = participant is None
    if participant is None:
        participant = Participant(session=session)
    elif participant.session_id != session.pk:
        raise ActionImpossible("Cette personne n'est pas invitée à cette session.")
    courriel = courriel.strip().lower()
    participant.prenom, participant.nom = prenom.strip(), nom.strip()
    participant.courriel, participant.organisation = courriel, organisation.strip()
    participant.college = college
    participant.utilisateur = Utilisateur.objects.filter(email__iexact=courriel).first()
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as exc:
        raise ActionImpossible(f"{courriel} est déjà invitée à cette session.") from exc
    if nouveau and session.statut == S.CONVOCATIONS_ENVOYEES:
        # Invited once the others were convened: convened at once, the same way.
        participant.invite_le = timezone.now()
        participant.save(update_fields=["invite_le"])
        courriels_participants(session, [participant])
    _journal(session, par, CodeSession.PARTICIPANTS_MODIFIES, str(participant))
    return participant


@transaction.atomic
def participant_retirer(*, participant: Participant, par: Utilisateur, vu: str) -> None:
    """Withdraw an invitation before the session is held; a person already convened is told,
    and the event leaves their calendar."""
    session = _session_a_modifier(
        participant.session,
        par,
        vu,
        **INVITATIONS,
    )
    if participant.invite_le is not None and session.statut == S.CONVOCATIONS_ENVOYEES:
        courriels_participants(
            session, [participant], annulee=True, gabarit="session_invitation_retiree"
        )
    participant.delete()
    _journal(session, par, CodeSession.PARTICIPANTS_MODIFIES, f"Retiré : {participant}")


@transaction.atomic
def presences_relever(
    *, session: Session, par: Utilisateur, vu: str, presences: Mapping[int, str]
) -> int:
    """Record who came, from the signed sheet, once the session is held and until its
    compte-rendu is validated; returns how many were present."""
    session = _session_a_modifier(
        session,
        par,
        vu,
        permission=PILOTER_SESSION,
        qui="Seul le service pilote relève les présences.",
        etats=[S.TENUE],
    )
    participants = list(session.participants.all())
    for participant in participants:
        participant.presence = presences.get(participant.pk, participant.presence)
    Participant.objects.bulk_update(participants, ["presence"])
    presents = sum(p.presence == Participant.Presence.PRESENT for p in participants)
    _journal(session, par, CodeSession.PRESENCES_RELEVEES, f"{presents} présent(s)")
    return presents


@transaction.atomic
def compte_rendu_enregistrer(
    *,
    session: Session,
    par: Utilisateur,
    vu: str,
    synthese: str,
    enjeux: str,
    decisions: str,
    prochaines_etapes: str,
    propositions: Sequence[PropositionSaisie],
) -> CompteRendu:
    """Write the compte-rendu of a held session and its proposals, until the pilot validates
    it."""
    session = _session_a_modifier(
        session,
        par,
        vu,
        permission="ateliers.preparer_session",
        qui="Seul le groupement titulaire rédige le compte-rendu.",
        etats=[S.TENUE],
    )
    compte_rendu, _ = CompteRendu.objects.get_or_create(session=session)
    compte_rendu.synthese, compte_rendu.enjeux = synthese.strip(), enjeux.strip()
    compte_rendu.decisions = decisions.strip()
    compte_rendu.prochaines_etapes = prochaines_etapes.strip()
    compte_rendu.modifie_par = par
    compte_rendu.save()
    compte_rendu.propositions.all().delete()
    Proposition.objects.bulk_create(
        Proposition(
            compte_rendu=compte_rendu,
            ordre=ordre,
            texte=p.texte.strip(),
            theme=p.theme.strip(),
            proposee_par=p.proposee_par.strip(),
        )
        for ordre, p in enumerate(propositions, start=1)
    )
    _journal(session, par, CodeSession.COMPTE_RENDU_ENREGISTRE)
    return compte_rendu


@transaction.atomic
def compte_rendu_piece_deposer(
    *, session: Session, par: Utilisateur, vu: str, fichier: File
) -> FichierDepose:
    """Attach a photo or a document to the compte-rendu, once its content is checked."""
    session = _session_a_modifier(
        session,
        par,
        vu,
        permission="ateliers.preparer_session",
        qui="Seul le groupement titulaire joint des pièces au compte-rendu.",
        etats=[S.TENUE],
    )
    compte_rendu, _ = CompteRendu.objects.get_or_create(session=session)
    piece = fichier_deposer(
        fichier=fichier, par=par, proprietaire=compte_rendu, usage=Usage.RESSOURCE
    )
    _journal(session, par, CodeSession.COMPTE_RENDU_ENREGISTRE, f"Pièce jointe : {piece}")
    return piece


# The « Données personnelles » page: what is tied to an atelier is kept ten years after it
# ends (closed or exited), as the pieces of a public contract are.
CONSERVATION_ATELIER = datetime.timedelta(days=3653)
DOMAINE_PARTICIPANT_EFFACE = "supprime.invalid"


@transaction.atomic
def participants_purger(*, maintenant: datetime.datetime | None = None) -> int:
    """Erase the persons invited to the sessions of ateliers ended more than ten years ago who
    have no account (an account follows its own retention): their collège, organisation and
    attendance stay, for the counts. Returns how many were erased; run nightly."""
    limite = (maintenant or timezone.now()) - CONSERVATION_ATELIER
    finis = Atelier.objects.filter(
        Q(phase=Phase.CLOTURE, fin_accompagnement__lt=timezone.localdate(limite))
        | Q(phase__in=SORTIES, phase_depuis__lt=limite)
    )
    return (
        Participant.objects.filter(session__atelier__in=finis, utilisateur__isnull=True)
        .exclude(courriel__endswith=f"@{DOMAINE_PARTICIPANT_EFFACE}")
        .update(
            prenom="",
            nom="Participant effacé",
            courriel=Concat(
                Value("participant-"),
                Cast("pk", CharField()),
                Value(f"@{DOMAINE_PARTICIPANT_EFFACE}"),
            ),
        )
    )
