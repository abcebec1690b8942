"""The idle timeout without a database write on every request."""

import time

from django.conf import settings

CLE_ACTIVITE = "derniere_activite"


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
