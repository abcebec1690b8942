"""Checks on text that every app stores; comptes is the lowest app that needs them."""

import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from comptes.dates import date_longue

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


@deconstructible
class PlageDeDates:
    """A date between `debut` and `fin` (None: today, read at each check), so that a slip of
    the keyboard (1800, 2999) is refused with the range written in the message."""

    def __init__(self, debut, fin=None):
        self.debut, self.fin = debut, fin

    def fin_du_jour(self):
        return self.fin or timezone.localdate()

    def __call__(self, valeur):
        if valeur and not self.debut <= valeur <= self.fin_du_jour():
            fin = f"le {date_longue(self.fin)}" if self.fin else "aujourd'hui"
            raise ValidationError(
                f"La date doit être comprise entre le {date_longue(self.debut)} et {fin}.",
                code="hors_plage",
            )

    def __eq__(self, autre):
        return isinstance(autre, PlageDeDates) and (self.debut, self.fin) == (
            autre.debut,
            autre.fin,
        )
