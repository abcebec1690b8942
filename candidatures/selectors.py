"""Reads on candidatures used in more than one place."""


def historique_partie(contenu, *, nombre=10):
    """The last saves of a part: when, by whom, and which fields changed."""
    enregistrements = list(contenu.history.select_related("history_user")[: nombre + 1])
    lignes = []
    for recent, precedent in zip(enregistrements, [*enregistrements[1:], None], strict=False):
        if len(lignes) == nombre:
            break
        if precedent is None:
            champs = ["création"]
        else:
            ecart = recent.diff_against(precedent, excluded_fields=["version", "modifie_le"])
            champs = [str(contenu._meta.get_field(c.field).verbose_name) for c in ecart.changes]
        lignes.append({"date": recent.history_date, "par": recent.history_user, "champs": champs})
    return lignes
