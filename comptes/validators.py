"""Checks on text that every app stores; comptes is the lowest app that needs them."""

import re

from django.core.exceptions import ValidationError

UNE_SEULE_LIGNE = "Ce champ ne peut pas contenir de retour à la ligne ni de caractère de contrôle."

# Control characters (Unicode category Cc: tab, CR, LF, NUL…) and the line and paragraph
# separators, which str.splitlines() and mail clients also break on.
_HORS_LIGNE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def valider_une_seule_ligne(valeur):
    """Refuse a line break or a control character in a title or a name: they reach e-mail
    subjects, where a CR/LF makes Django refuse the whole message (BadHeaderError)."""
    if _HORS_LIGNE.search(str(valeur)):
        raise ValidationError(UNE_SEULE_LIGNE, code="une_seule_ligne")


def sur_une_ligne(texte):
    """`texte` with each run of line breaks and control characters made one space, for a
    header built from a row saved before the rule above."""
    return re.sub(rf"\s*(?:{_HORS_LIGNE.pattern})+\s*", " ", texte).strip()
