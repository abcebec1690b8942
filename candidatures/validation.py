"""Checks of values read back from the note's rows, below the models and the forms."""

import uuid


def uuid_ou_vide(valeur):
    """`valeur` as a file's uuid (str), or "" for anything else (a tampered hidden field)."""
    try:
        return str(uuid.UUID(str(valeur or "")))
    except ValueError:
        return ""
