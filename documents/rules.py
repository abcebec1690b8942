"""A file or a document may be seen by whoever may see what it belongs to."""

import rules


def _peut_voir(user, objet):
    if objet is None:
        return False
    return user.has_perm(f"{objet._meta.app_label}.view_{objet._meta.model_name}", objet)


@rules.predicate
def voit_proprietaire(user, fichier):
    return fichier is not None and _peut_voir(user, fichier.proprietaire)


@rules.predicate
def voit_source(user, document):
    return document is not None and _peut_voir(user, document.source)


rules.add_perm("documents.view_fichierdepose", voit_proprietaire)
rules.add_perm("documents.view_document", voit_source)
