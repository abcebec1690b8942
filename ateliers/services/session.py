"""The sessions' own life: created with the cadrage, planned, convened, held (which moves the
atelier to its next phase), reported, their compte-rendu validated (ADR 0016)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ateliers import ics
from ateliers.models import (
    PILOTER_SESSION,
    Atelier,
    CompteRendu,
    Participant,
    Session,
)
from ateliers.models.session import PHASE_APRES_TENUE
from ateliers.services import ActionImpossible, accompagnement_verifier, transition_appliquer
from comptes.models import Utilisateur
from comptes.services import courriel_ecrire_depuis_gabarit


def sessions_creer(*, atelier: Atelier) -> list[Session]:
    """The atelier's three sessions, to be planned, created when it enters the cadrage (the
    marché's notification calls this in its transaction); those it has already are kept."""
    existants = set(atelier.sessions.values_list("numero", flat=True))
    Session.objects.bulk_create(
        Session(atelier=atelier, numero=n) for n in (1, 2, 3) if n not in existants
    )
    return list(atelier.sessions.order_by("numero"))


def session_verrouillee(session: Session) -> Session:
    """The session's row, locked, with its atelier (read, not locked)."""
    return (
        Session.objects.select_related("atelier").select_for_update(of=("self",)).get(pk=session.pk)
    )


def _verifier_pilote(par: Utilisateur, session: Session, quoi: str) -> None:
    if not par.has_perm(PILOTER_SESSION, session):
        raise PermissionDenied(f"Seul le service pilote de l'atelier {quoi}.")


def _verifier_accompagnement(session: Session) -> None:
    accompagnement_verifier(session.atelier, "ses sessions ne changent plus")


@transaction.atomic
def session_planifier(
    *,
    session: Session,
    par: Utilisateur,
    vu: str,
    date: datetime.date,
    nombre_de_jours: int,
    heure_debut: datetime.time | None,
    heure_fin: datetime.time | None,
    lieu: str,
    adresse: str = "",
    commune: str = "",
) -> Session:
    """Fix the session's dates and place (new ones after a report), if it is still in the state
    `vu` its pilot saw; the participants are convened by the next step."""
    _verifier_pilote(par, session, "planifie ses sessions")
    session = session_verrouillee(session)
    _verifier_accompagnement(session)
    if date < timezone.localdate():
        raise ActionImpossible("Une session se planifie à partir d'aujourd'hui.")
    if not lieu.strip():
        raise ActionImpossible("Indiquez le lieu de la session.")
    return transition_appliquer(
        objet=session,
        transition="planifier",
        par=par,
        vu=vu,
        date=date,
        nombre_de_jours=nombre_de_jours,
        heure_debut=heure_debut,
        heure_fin=heure_fin,
        lieu=lieu.strip(),
        adresse=adresse.strip(),
        commune=commune.strip(),
    )


def courriels_participants(
    session: Session,
    participants: list[Participant],
    *,
    annulee: bool = False,
    gabarit: str = "",
) -> None:
    """Each participant's convocation, or its cancellation, with the calendar invitation
    that adds the session to their calendar or takes it out; in the caller's transaction."""
    programme = list(session.programme.all())
    for participant in participants:
        courriel_ecrire_depuis_gabarit(
            gabarit=gabarit or ("session_reportee" if annulee else "session_convocation"),
            contexte={
                "session": session,
                "atelier": session.atelier,
                "participant": participant,
                "programme": programme,
            },
            destinataires=[participant.courriel],
            piece_jointe=ics.piece_jointe(session, participant, annulee=annulee),
        )


@transaction.atomic
def session_convoquer(*, session: Session, par: Utilisateur, vu: str) -> Session:
    """Send each participant their convocation, if the session is still in the state `vu` its
    pilot saw; each is marked convened now."""
    _verifier_pilote(par, session, "convoque les participants")
    session = session_verrouillee(session)
    _verifier_accompagnement(session)
    participants = list(session.participants.all())
    if not participants:
        raise ActionImpossible("Ajoutez les participants avant d'envoyer les convocations.")
    session = transition_appliquer(objet=session, transition="convoquer", par=par, vu=vu)
    session.participants.update(invite_le=timezone.now())
    courriels_participants(session, participants)
    return session


@transaction.atomic
def session_tenir(*, session: Session, par: Utilisateur, vu: str) -> Session:
    """Record that the session took place, if it is still in the state `vu` its pilot saw: the
    atelier moves to its next phase (session 3 held: the restitution) in the same step, and
    the groupement writes the compte-rendu."""
    _verifier_pilote(par, session, "déclare une session tenue")
    session = session_verrouillee(session)
    if session.date is not None and session.date > timezone.localdate():
        raise ActionImpossible(
            f"La session commence le {session.date:%d/%m/%Y} : elle se déclare tenue à partir "
            "de ce jour."
        )
    if session.atelier.phase != session.phase:
        raise ActionImpossible(
            f"L'atelier est à l'étape « {session.atelier.get_phase_display()} » : la "
            f"{session.get_numero_display().lower()} se tient dans l'étape "
            f"« {session.phase.label} »."
        )
    session = transition_appliquer(
        objet=session,
        transition="tenir",
        par=par,
        vu=vu,
        phase=PHASE_APRES_TENUE[session.numero],
    )
    CompteRendu.objects.get_or_create(session=session)
    return session


@transaction.atomic
def session_reporter(*, session: Session, par: Utilisateur, vu: str, motif: str) -> Session:
    """Call the session off its dates, with the reason, if it is still in the state `vu` its
    pilot saw; the participants already convened are told. New dates come with `planifier`."""
    _verifier_pilote(par, session, "reporte une session")
    session = session_verrouillee(session)
    _verifier_accompagnement(session)
    convoques = [p for p in session.participants.all() if p.invite_le is not None]
    session = transition_appliquer(
        objet=session, transition="reporter", par=par, vu=vu, motif=motif
    )
    # The dates called off stay on the row until new ones: the cancellation names them.
    courriels_participants(session, convoques, annulee=True)
    return session


@transaction.atomic
def session_valider_compte_rendu(*, session: Session, par: Utilisateur, vu: str) -> Session:
    """Validate the groupement's compte-rendu, if the session is still in the state `vu` its
    pilot saw: it is final and the porteurs read it."""
    _verifier_pilote(par, session, "valide un compte-rendu")
    session = session_verrouillee(session)
    _verifier_accompagnement(session)
    compte_rendu = CompteRendu.objects.filter(session=session).first()
    if compte_rendu is None or not compte_rendu.synthese.strip():
        raise ActionImpossible(
            "Le compte-rendu n'a pas encore de synthèse : le groupement le rédige avant que "
            "vous le validiez."
        )
    return transition_appliquer(objet=session, transition="valider_compte_rendu", par=par, vu=vu)
