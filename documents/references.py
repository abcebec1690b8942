"""Who still needs a stored file: the apps above documents say it here, since documents
imports none of them (as ateliers.sections does for the atelier page)."""

_gardiens = []


def enregistrer_gardien(fonction):
    """`fonction(fichiers)` takes a queryset of FichierDepose and returns the pks of those its
    app must keep (a deposited version names them, for example); called by the clean-up."""
    if fonction not in _gardiens:
        _gardiens.append(fonction)
    return fonction


def fichiers_gardes(fichiers) -> set[int]:
    """The pks, among `fichiers`, that some app still needs."""
    gardes = set()
    for fonction in _gardiens:
        gardes |= set(fonction(fichiers))
    return gardes
