"""Checks on every request, before any view reads it, and the idle timeout without a
database write on every request."""

import time

from django.conf import settings
from django.core.exceptions import BadRequest

CLE_ACTIVITE = "derniere_activite"


class OctetNulMiddleware:
    """Refuse with a 400 a request whose address holds a NUL byte (%00): no page can use one,
    and PostgreSQL refuses it in any text parameter, so a filter of the admin or of a page that
    passed it on raised a 500 (issue 13). Form fields refuse it in what is posted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in cle or any("\x00" in valeur for valeur in valeurs)
            for cle, valeurs in request.GET.lists()
        ):
            raise BadRequest("Adresse contenant un octet nul.")
        return self.get_response(request)


class ActiviteSessionMiddleware:
    """Renew a signed-in user's session (its expiry: SESSION_COOKIE_AGE, the idle timeout)
    at most once every SESSION_ACTIVITE_SECONDES: saving it on every request cost three
    statements per page. The session's remaining life is what the idle warning counts down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            maintenant = int(time.time())
            derniere = request.session.get(CLE_ACTIVITE)
            if derniere is None or maintenant - derniere >= settings.SESSION_ACTIVITE_SECONDES:
                renouveler_session(request)
        return self.get_response(request)


def renouveler_session(request):
    """Date the session's activity now: it is saved, with a new expiry, by SessionMiddleware."""
    request.session[CLE_ACTIVITE] = int(time.time())


def secondes_restantes(request):
    """How long the session still lives without a request: the idle timeout, less the time
    since it was last renewed."""
    derniere = request.session.get(CLE_ACTIVITE)
    if derniere is None:
        return settings.SESSION_COOKIE_AGE
    return max(0, settings.SESSION_COOKIE_AGE - (int(time.time()) - derniere))
