"""The form of a part of the note: every field optional, its blocks' formsets, its files."""

from django import forms
from django.utils.functional import lazy
from django.utils.text import capfirst, format_lazy
from dsfr.forms import DsfrBaseForm

from candidatures.forms.blocs import FichierDeposeInput
from candidatures.selectors import fichiers_de_la_candidature
from candidatures.validation import uuid_ou_vide
from documents.forms import FichierField
from documents.verification import Usage, texte_aide


class PartieForm(DsfrBaseForm):
    """A part of the note: every field optional (a draft saves whatever is there), plus the
    version the user started from, to detect someone else's save in between. Its repeatable
    blocks are formsets it owns: valid only if they all are, their rows in cleaned_data."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        max_value=2**31 - 1,
        error_messages={
            "invalid": "La version de la page est illisible : rechargez la page.",
            "min_value": "La version de la page est illisible : rechargez la page.",
            "max_value": "La version de la page est illisible : rechargez la page.",
        },
    )
    # Each part's form names its model, its fields in the note's order (the model's CHAMPS)
    # and its repeatable blocks (a name of `ordre` in `blocs`), then declares its fields.
    modele = None
    ordre = ()
    blocs = {}

    def __init__(self, *args, lignes_en_plus=(), contenu=None, **kwargs):
        """`contenu`, the part as saved, gives the files already deposited to show."""
        super().__init__(*args, **kwargs)
        self.contenu = contenu
        for nom in self.modele.REQUIS:
            if nom in self.fields:
                self.fields[nom].attendu = True
        for nom in self.modele.FICHIERS:
            if nom not in self.blocs:
                self.fields[nom].widget.fichier_actuel = getattr(contenu, nom, None)
        fichiers = self._fichiers_des_lignes()
        self.formsets = {
            nom: bloc.formset(
                self.data if self.is_bound else None,
                self.files if self.is_bound else None,
                initial=self.initial.get(nom),
                lignes_en_plus=1 if nom in lignes_en_plus else 0,
                fichiers=fichiers,
            )
            for nom, bloc in self.blocs.items()
        }

    def _fichiers_des_lignes(self):
        """The files kept in rows (saved, or named by the page sent), by uuid, in one query;
        only those of this candidature."""
        if self.contenu is None:
            return {}
        cles = set()
        for nom, bloc in self.blocs.items():
            colonnes = [
                n for n, c in bloc.formulaire.base_fields.items() if isinstance(c, FichierField)
            ]
            cles |= {ligne.get(n) for ligne in getattr(self.contenu, nom) for n in colonnes}
            if self.is_bound:
                suffixes = tuple(f"-{n}_actuel" for n in colonnes)
                cles |= {
                    self.data.get(k)
                    for k in self.data
                    if suffixes and k.startswith(f"{nom}-") and k.endswith(suffixes)
                }
        cles = {c for c in map(uuid_ou_vide, cles) if c}
        if not cles:
            return {}
        fichiers = fichiers_de_la_candidature(self.contenu.candidature_id).filter(uuid__in=cles)
        return {str(f.uuid): f for f in fichiers}

    @property
    def elements(self):
        """What the page shows, in order: a field, a repeatable block with its formset, or a
        file with the one deposited and the box to withdraw it."""
        for nom in self.ordre:
            if nom in self.blocs:
                champ = self.modele._meta.get_field(nom)
                yield {
                    "bloc": self.blocs[nom],
                    "formset": self.formsets[nom],
                    "libelle": champ.verbose_name,
                    "aide": champ.help_text,
                    "attendu": nom in self.modele.REQUIS,
                }
            elif nom in self.modele.FICHIERS:
                yield {
                    "champ": self[nom],
                    "usage": self.modele.FICHIERS[nom],
                    "fichier": getattr(self.contenu, nom, None),
                    "resume": getattr(self.contenu, f"{nom}_resume", ""),
                    "retirer": self[f"retirer_{nom}"],
                }
            else:
                yield {"champ": self[nom]}

    @property
    def carte(self):
        """Whether the page draws a map: a perimeter is deposited."""
        return any(
            usage == Usage.PERIMETRE and getattr(self.contenu, nom, None)
            for nom, usage in self.modele.FICHIERS.items()
            if nom not in self.blocs
        )

    def lecture_seule(self):
        for form in [self, *(f for fs in self.formsets.values() for f in fs.forms)]:
            for champ in form.fields.values():
                champ.disabled = True

    def is_valid(self):
        # Every formset is checked, so that each shows its errors, not only the first one.
        formsets_valides = [fs.is_valid() for fs in self.formsets.values()]
        return super().is_valid() and all(formsets_valides)

    def _post_clean(self):
        super()._post_clean()
        for nom, formset in self.formsets.items():
            if formset.is_valid():
                self.cleaned_data[nom] = formset.lignes()
        for nom in self.modele.FICHIERS:
            if nom in self.blocs:
                continue
            # A new file replaces the one deposited; no file leaves it; the box withdraws it.
            retirer = self.cleaned_data.pop(f"retirer_{nom}", False)
            if self.cleaned_data.get(nom):
                continue
            if retirer:
                self.cleaned_data[nom] = None
            else:
                self.cleaned_data.pop(nom, None)

    @property
    def nombre_erreurs(self):
        return len(self.errors) + sum(
            len(fs.non_form_errors()) + sum(len(e) for e in fs.errors)
            for fs in self.formsets.values()
        )


def champ_du_modele(modele, nom, **kwargs):
    """The form field of the part's model field `nom`, with its label, help text and limits
    (`kwargs` as for the model field's formfield: widget, localize, help_text…). The model's
    own validators (a population's ceiling) are the form's too; an optional choice shown as
    radios has no « --------- » radio: it is left unticked."""
    champ_modele = modele._meta.get_field(nom)
    champ = champ_modele.formfield(**kwargs)
    champ.validators = [*champ.validators, *champ_modele._validators]
    if isinstance(champ.widget, forms.RadioSelect) and not isinstance(
        champ, forms.ModelChoiceField
    ):
        champ.choices = [(v, libelle) for v, libelle in champ.choices if v != ""]
    return champ


def fichier_du_modele(modele, nom):
    """The upload of the part's file field `nom` (modele.FICHIERS), which names the file
    already deposited; it goes with a `retirer_<nom>` box (case_retirer)."""
    champ = modele._meta.get_field(nom)
    return FichierField(
        label=capfirst(champ.verbose_name),
        usage=modele.FICHIERS[nom],
        required=False,
        help_text=format_lazy(
            "{} {}. Le fichier n'est envoyé qu'avec le bouton « Enregistrer » : "
            "l'enregistrement automatique n'envoie pas les fichiers.",
            champ.help_text,
            lazy(texte_aide, str)(modele.FICHIERS[nom]),
        ),
        widget=FichierDeposeInput,
    )


def case_retirer():
    """The box that withdraws a part's deposited file."""
    return forms.BooleanField(
        label="Retirer ce fichier",
        required=False,
        help_text="Il ne sera plus joint à la note au prochain enregistrement.",
    )
