"""The calendar feeds (RFC 5545) of a user: the sessions of one atelier, or all of theirs."""

from django.conf import settings
from django.db.models import QuerySet
from icalendar import Calendar

from ateliers.ics import evenement
from ateliers.models import Atelier, Session
from ateliers.selectors import q_suit_accompagnement
from comptes.models import AnyUser


def sessions_suivies(user: AnyUser) -> QuerySet[Session]:
    """The dated sessions of the ateliers whose accompagnement this user follows."""
    q = q_suit_accompagnement(user, "atelier__")
    sessions = Session.objects.filter(date__isnull=False).select_related("atelier")
    if q is None:
        return sessions.none()
    return sessions.filter(pk__in=Session.objects.filter(q).values("pk")).order_by("date", "pk")


def flux(sessions: QuerySet[Session], nom: str) -> bytes:
    """A calendar to subscribe to (METHOD:PUBLISH): one event per dated session, cancelled
    while it is reported, with the same UID and SEQUENCE as the e-mailed invitations, so that a
    client holding both keeps one event."""
    calendrier = Calendar()
    calendrier.add("prodid", f"-//{settings.PORTAIL_NOM}//Agenda des sessions//FR")
    calendrier.add("version", "2.0")
    calendrier.add("method", "PUBLISH")
    calendrier.add("x-wr-calname", nom)
    for session in sessions:
        calendrier.add_component(
            evenement(session, annulee=session.statut == Session.Statut.REPORTEE)
        )
    calendrier.add_missing_timezones()
    return calendrier.to_ical()


def flux_atelier(atelier: Atelier) -> bytes:
    sessions = Session.objects.filter(atelier=atelier, date__isnull=False).select_related("atelier")
    return flux(sessions.order_by("date", "pk"), f"Sessions — {atelier.intitule}")
