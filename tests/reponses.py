"""Comparing two pages for what they say, not for what changes at every response."""

import re

VARIABLE = re.compile(
    r'(csrf-token" content|csrfmiddlewaretoken" value|nonce|data-duree-inactivite)="[^"]*"'
)


def sans_jetons(reponse_ou_texte):
    """The page without its CSRF tokens, CSP nonces and the seconds the session has left (which
    tick between two requests)."""
    texte = getattr(reponse_ou_texte, "content", reponse_ou_texte)
    if isinstance(texte, bytes):
        texte = texte.decode()
    return VARIABLE.sub("", texte)
