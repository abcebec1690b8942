"""What a user may read of an atelier's sessions, and the session page's reads."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404

from ateliers.faits import DefinitionFait, Fait, q_fait
from ateliers.models import PILOTER, Atelier, CompteRendu, Participant, Phase, Session
from ateliers.selectors import Attente, ateliers_visibles, q_ateliers_avec, q_permission
from comptes.models import AnyUser, Role
from comptes.selectors import profil
from documents.models import FichierDepose


def session_visible(user: AnyUser, pk: int) -> Session:
    """The session `pk` with its atelier if this user may read it; 404 otherwise, never 403:
    a State service of the territory that does not pilot the atelier sees none of it."""
    session = (
        Session.objects.filter(atelier__in=ateliers_visibles(user))
        .select_related("atelier", "atelier__service_pilote", "atelier__groupement")
        .prefetch_related("atelier__collectivites")
        .filter(pk=pk)
        .first()
    )
    if session is None or not user.has_perm("ateliers.view_session", session):
        raise Http404
    return session


def sessions_de(atelier: Atelier, user: AnyUser) -> list[Session]:
    """The atelier's sessions in their order, none for who may not read them."""
    sessions = list(atelier.sessions.order_by("numero"))
    if not sessions or not user.has_perm("ateliers.view_session", sessions[0]):
        return []
    return sessions


def participants_de(session: Session) -> QuerySet[Participant]:
    return session.participants.order_by("nom", "prenom", "pk")


@dataclass(frozen=True)
class College:
    libelle: str
    invites: int
    presents: int


def comptes_par_college(participants: list[Participant]) -> list[College]:
    """How many were invited and came, by collège, in the programme's order of the collèges."""
    return [
        College(
            libelle=str(libelle),
            invites=sum(p.college == valeur for p in participants),
            presents=sum(
                p.college == valeur and p.presence == Participant.Presence.PRESENT
                for p in participants
            ),
        )
        for valeur, libelle in Participant.College.choices
    ]


def session_pour_la_page(session: Session) -> Session:
    """The session with its programme and logistics, each read once."""
    return (
        Session.objects.select_related("atelier")
        .prefetch_related("programme", "logistique__payeur")
        .get(pk=session.pk)
    )


def compte_rendu_de(session: Session) -> CompteRendu | None:
    """The session's compte-rendu and its proposals, once the session is held."""
    return CompteRendu.objects.filter(session=session).prefetch_related("propositions").first()


def comptes_rendus_valides(atelier: Atelier) -> QuerySet[CompteRendu]:
    """The compte-rendus the pilot validated, session by session, with their proposals: what
    the carnet de suivi assembles, in two queries whatever their number."""
    return (
        CompteRendu.objects.filter(
            session__atelier=atelier, session__statut=Session.Statut.COMPTE_RENDU_VALIDE
        )
        .select_related("session")
        .prefetch_related("propositions")
        .order_by("session__numero")
    )


def attentes(user: AnyUser) -> list[Attente]:
    """What the sessions expect of this user: the pilot prepares and holds the session of the
    atelier's phase (plans, convenes, declares it held: which moves the atelier on), then
    validates each compte-rendu once written; the groupement writes the compte-rendu of each
    session held."""
    resultat: list[Attente] = []
    sessions = [Phase.SESSION_1, Phase.SESSION_2, Phase.SESSION_3]
    apres_une_tenue = frozenset([Phase.SESSION_2, Phase.SESSION_3, Phase.RESTITUTION])
    q_pilote = q_permission(user, PILOTER)
    if q_pilote is not None:
        resultat += [
            Attente(
                libelle="Mener la session",
                q=q_pilote,
                ancre="sessions",
                phases=frozenset(sessions),
            ),
            Attente(
                libelle="Valider le compte-rendu d'une session",
                q=q_pilote & q_fait(Fait.SESSION_TENUE_COMPTE_RENDU_ECRIT),
                ancre="sessions",
                phases=apres_une_tenue,
            ),
        ]
    groupements = profil(user).ids(Role.GROUPEMENT)
    if groupements:
        resultat.append(
            Attente(
                libelle="Rédiger le compte-rendu d'une session",
                q=Q(groupement__in=groupements) & q_fait(Fait.SESSION_TENUE_SANS_COMPTE_RENDU),
                ancre="sessions",
                phases=apres_une_tenue,
            )
        )
    return resultat


def faits_sessions() -> list[DefinitionFait]:
    """The sessions' facts: a session held, its compte-rendu written (to validate) or not yet
    (to write)."""
    tenue = Session.Statut.TENUE
    sources = {Session: "atelier_id", CompteRendu: "session.atelier_id"}
    return [
        DefinitionFait(
            Fait.SESSION_TENUE_COMPTE_RENDU_ECRIT,
            lambda: q_ateliers_avec(_sessions(tenue, compte_rendu_ecrit=True)),
            sources,
        ),
        DefinitionFait(
            Fait.SESSION_TENUE_SANS_COMPTE_RENDU,
            lambda: q_ateliers_avec(_sessions(tenue, compte_rendu_ecrit=False)),
            sources,
        ),
    ]


def _sessions(statut: str, *, compte_rendu_ecrit: bool) -> QuerySet[Session]:
    """The sessions in `statut` whose compte-rendu has (or has not) its synthèse."""
    ecrits = CompteRendu.objects.exclude(synthese="").values("session_id")
    sessions = Session.objects.filter(statut=statut)
    sessions = (
        sessions.filter(pk__in=ecrits) if compte_rendu_ecrit else sessions.exclude(pk__in=ecrits)
    )
    return sessions


def pieces_du_compte_rendu(compte_rendu: CompteRendu | None) -> list[FichierDepose]:
    """The compte-rendu's photos and attachments still in use, oldest first."""
    if compte_rendu is None:
        return []
    return list(
        FichierDepose.objects.filter(
            proprietaire_type=ContentType.objects.get_for_model(CompteRendu),
            proprietaire_id=str(compte_rendu.pk),
            retire_le__isnull=True,
        ).order_by("depose_le", "pk")
    )
