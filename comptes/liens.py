"""Absolute links for e-mails and calendar clients, which are read outside the portal: every
stage builds them here, on the public address the settings give (PORTAIL_URL)."""

from django.conf import settings
from django.urls import reverse


def lien_absolu(nom: str, *args: object) -> str:
    """The absolute address of the URL named `nom` with `args`."""
    return settings.PORTAIL_URL + reverse(nom, args=args)
