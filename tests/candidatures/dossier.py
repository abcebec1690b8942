"""Builds a complete dossier for any list of parts: every part of PARTIES filled from its own
form fields (its REQUIS and its blocks' `requis`), then the three signed letters."""

import datetime
import zlib

from django import forms
from django.core.exceptions import ValidationError

from candidatures.forms.blocs import _json
from candidatures.models import Candidature, Courrier, manquants
from candidatures.parties import PARTIES
from candidatures.services import courrier_deposer, partie_enregistrer
from tests.documents import fichiers_hostiles as h

# Tried in this order for a text field, the first one its validators accept wins.
TEXTES = ("Texte d'essai", "123456789", "12345678901234", "75001", "0102030405")


def _candidats(champ):
    if isinstance(champ, forms.ModelMultipleChoiceField):
        return [[str(o.pk) for o in champ.queryset[:1]]]
    if isinstance(champ, forms.ModelChoiceField):
        return [str(o.pk) for o in champ.queryset[:1]]
    if isinstance(champ, forms.MultipleChoiceField):
        return [[v for v, _ in champ.choices if v not in ("", None)][:1]]
    if isinstance(champ, forms.ChoiceField):
        return [v for v, _ in champ.choices if v not in ("", None)][:1]
    if isinstance(champ, forms.BooleanField):
        return [True]
    if isinstance(champ, forms.DateField):
        return [datetime.date(2026, 3, 2).isoformat()]
    if isinstance(champ, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return [str(max(getattr(champ, "min_value", None) or 1, 1))]
    if isinstance(champ, forms.EmailField):
        return ["contact@exemple.test"]
    if isinstance(champ, forms.URLField):
        return ["https://exemple.test/"]
    return [t[: champ.max_length] if getattr(champ, "max_length", None) else t for t in TEXTES]


def valeur_valide(champ, nom):
    """A cleaned value that the form field `champ` accepts, or a clear failure."""
    for candidat in _candidats(champ):
        try:
            valeur = champ.clean(candidat)
        except ValidationError:
            continue
        if valeur not in (None, "", [], False) or isinstance(champ, forms.BooleanField):
            return valeur
    raise AssertionError(f"Aucune valeur d'essai pour le champ « {nom} » ({type(champ)}).")


def _lignes(bloc, lignes, au_moins_une):
    lignes = [dict(ligne) for ligne in lignes] or ([{}] if au_moins_une else [])
    for ligne in lignes:
        for requis in bloc.requis:
            # Of alternatives (« fichier ou lien »), the last one: a value, never an upload.
            noms = requis if isinstance(requis, tuple) else (requis,)
            if not any(str(ligne.get(nom) or "").strip() for nom in noms):
                champ = bloc.formulaire.base_fields[noms[-1]]
                ligne[noms[-1]] = _json(valeur_valide(champ, noms[-1]))
    return lignes


def completer(candidature, par, **valeurs):
    """Fill every part of the note so that nothing is missing; `valeurs` gives, by part slug,
    field values to use instead (a block as its list of rows). Returns the candidature."""
    for partie in PARTIES:
        contenu = getattr(Candidature.objects.get(pk=candidature.pk), partie.attribut)
        imposees = valeurs.get(partie.slug, {})
        champs = {}
        for nom, bloc in partie.formulaire.blocs.items():
            lignes = imposees.get(nom, getattr(contenu, nom))
            champs[nom] = _lignes(bloc, lignes, au_moins_une=nom in partie.modele.REQUIS)
        for nom in partie.modele.REQUIS:
            if nom not in partie.formulaire.blocs:
                champs[nom] = valeur_valide(partie.formulaire.base_fields[nom], nom)
        champs.update({k: v for k, v in imposees.items() if k not in partie.formulaire.blocs})
        contenu = partie_enregistrer(
            partie=contenu, champs=champs, version_lue=contenu.version, par=par
        )
        assert manquants(partie, contenu) == [], (partie.slug, manquants(partie, contenu))
    return Candidature.objects.get(pk=candidature.pk)


def lettre_pdf(texte):
    """A one-page PDF whose only line is `texte` (ASCII), as a scanner would give it."""
    return h.pdf_une_page(zlib.compress(b"BT /F1 12 Tf 72 770 Td (%s) Tj ET" % texte.encode()))


def deposer_courrier(candidature, par, type_courrier, nom=None):
    return courrier_deposer(
        candidature=candidature,
        type_courrier=type_courrier,
        fichier=h.televerse(
            nom or f"{type_courrier}.pdf",
            lettre_pdf(f"Lettre signee {type_courrier}"),
            "application/pdf",
        ),
        par=par,
    )


def deposer_courriers(candidature, par):
    return [deposer_courrier(candidature, par, t) for t in Courrier.Type]
