from django.conf import settings

from comptes.middleware import secondes_restantes
from comptes.selectors import profil


def portail(request):
    """The portal's name, the user's profile (for navigation by role) and the session timing."""
    return {
        "PORTAIL_NOM": settings.PORTAIL_NOM,
        "PORTAIL_DESCRIPTION": settings.PORTAIL_DESCRIPTION,
        "profil": profil(getattr(request, "user", None)),
        "SESSION_IDLE_SECONDS": settings.SESSION_COOKIE_AGE,
        "SESSION_RESTANT_SECONDES": secondes_restantes(request)
        if getattr(request, "user", None) and request.user.is_authenticated
        else settings.SESSION_COOKIE_AGE,
        "SESSION_WARNING_SECONDS": settings.SESSION_WARNING_SECONDS,
    }
