"""Reads on candidatures used in more than one place."""

from simple_history.utils import get_m2m_reverse_field_name

from candidatures.models import Candidature
from candidatures.parties import PARTIES

# What a save always changes, and so tells nothing to the reader of the history.
NON_SIGNIFICATIFS = {
    "id",
    "candidature",
    "version",
    "modifie_le",
    "modifie_par",
    # Derived from the perimeter's file, which is named when it changes.
    "perimetre_resume",
}


def historique_partie(contenu, *, nombre=10):
    """The last saves of a part: when, by whom, and which fields changed; in a fixed number of
    queries (records, their authors and their many-to-many rows are loaded together)."""
    champs = [f for f in type(contenu)._meta.concrete_fields if f.name not in NON_SIGNIFICATIFS]
    multiples = list(type(contenu)._meta.many_to_many)
    enregistrements = list(contenu.history.select_related("history_user")[: nombre + 1])
    # One query per many-to-many field for all the records: the rows of its history table.
    lignes_liees = {}
    for champ in multiples if enregistrements else ():
        modele_lignes = contenu.history.model.__dict__[champ.name].model
        cible = f"{get_m2m_reverse_field_name(champ)}_id"
        rangs = modele_lignes.objects.filter(history__in=enregistrements)
        for history_id, cle in rangs.values_list("history_id", cible):
            lignes_liees.setdefault((champ.name, history_id), set()).add(cle)

    def valeurs(enregistrement):
        simples = {f.verbose_name: getattr(enregistrement, f.attname) for f in champs}
        lies = {
            f.verbose_name: lignes_liees.get((f.name, enregistrement.pk), set()) for f in multiples
        }
        return {**simples, **lies}

    lignes = []
    for recent, precedent in zip(
        enregistrements[:nombre], [*enregistrements[1:], None], strict=False
    ):
        if precedent is None:
            changes = ["création"]
        else:
            avant, apres = valeurs(precedent), valeurs(recent)
            changes = [str(nom) for nom in apres if apres[nom] != avant[nom]]
        lignes.append({"date": recent.history_date, "par": recent.history_user, "champs": changes})
    return lignes


def candidature_de(atelier):
    """The atelier's candidature with every part of its note and the files they point at, in
    one query; None if none."""
    fichiers = [
        f"{p.attribut}__{nom}"
        for p in PARTIES
        for nom in p.modele.FICHIERS
        if nom not in p.formulaire.blocs
    ]
    return (
        Candidature.objects.select_related(*(p.attribut for p in PARTIES), *fichiers)
        .filter(atelier=atelier)
        .first()
    )
