"""What every part of the note d'opportunité shares: its draft saved with a version, the
fields it needs to be complete, and the rows of its repeatable blocks."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils.text import capfirst


@dataclass(frozen=True)
class Colonne:
    """A column of a repeatable block's rows: its label, and how a reader reads its value (a
    choice by its label, an ISO date, a deposited file's uuid)."""

    libelle: str
    choix: tuple = ()
    date: bool = False
    fichier: bool = False


@dataclass(frozen=True)
class BlocDeLignes:
    """The rows of a repeatable block, stored as a list of dicts in the part's JSON field:
    their columns in order, and `requis`, the columns a complete row fills; a tuple in `requis`
    is a set of alternatives (« fichier ou lien »), one of which is enough."""

    colonnes: dict = field(default_factory=dict)
    requis: tuple = ()

    def manquants(self, lignes, libelle):
        """« <block>, ligne n : <field> » for each required field left empty in a row."""
        return [
            f"{libelle}, ligne {rang} : "
            f"{' ou '.join(self.colonnes[n].libelle.lower() for n in noms)}"
            for rang, ligne in enumerate(lignes, start=1)
            for noms in (n if isinstance(n, tuple) else (n,) for n in self.requis)
            if not any(str(ligne.get(n) or "").strip() for n in noms)
        ]

    @property
    def champs_requis(self):
        """The names of the columns that completeness looks at, alternatives included."""
        return [n for r in self.requis for n in (r if isinstance(r, tuple) else (r,))]


def lien_lu(nom):
    """The attribute that says, on a part read with its candidature, whether its
    many-to-many field `nom` has a row (PartieNote.manquants)."""
    return f"_{nom}_non_vide"


@receiver(m2m_changed)
def oublier_les_liens_lus(sender, instance, action, **kwargs):
    """A part's many-to-many field changed: what was read of it with the candidature no
    longer holds."""
    if isinstance(instance, PartieNote) and action.startswith("post_"):
        for nom in [n for n in instance.__dict__ if n.startswith("_") and n.endswith("_non_vide")]:
            del instance.__dict__[nom]


class PartieNote(models.Model):
    """One part of the note d'opportunité: saved as a draft whatever its completeness, and
    versioned so that two people saving the same part never overwrite each other silently."""

    # The fields of the part in the note's order, as the form shows them and a reader reads.
    CHAMPS = ()
    # The fields a part needs to be complete, with the label shown in « n champs manquants ».
    REQUIS: tuple[str, ...] = ()
    # The JSON fields edited as repeatable blocks, with their rows' columns (BlocDeLignes).
    BLOCS = {}
    # The fields that hold deposited files, with their usage (documents.verification.Usage):
    # a foreign key to the file, or a repeatable block whose rows keep files by their uuid.
    FICHIERS = {}

    candidature = models.OneToOneField(
        "candidatures.Candidature", on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField("version", default=0)
    modifie_le = models.DateTimeField("modifiée le", null=True, blank=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifiée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def manquants(self):
        """The labels of what the part still needs to be complete: its required fields still
        empty, then each required field left empty in a row of its repeatable blocks."""
        vides = []
        for nom in self.REQUIS:
            champ = self._meta.get_field(nom)
            valeur = getattr(self, nom)
            if champ.many_to_many:
                # Read in the candidature's own query when it was read so (candidature_de);
                # forgotten as soon as the field changes (oublier_les_liens_lus).
                lu = self.__dict__.get(lien_lu(nom))
                vide = self.pk is None or not (valeur.exists() if lu is None else lu)
            else:
                vide = not (valeur.strip() if isinstance(valeur, str) else valeur)
            if vide:
                vides.append(champ.verbose_name)
        for nom, bloc in self.BLOCS.items():
            libelle = capfirst(str(self._meta.get_field(nom).verbose_name))
            vides += bloc.manquants(getattr(self, nom), libelle)
        return vides

    def attacher_fichier(self, nom, depose, verification):
        """Point the file field `nom` at a deposited file (None: the file is withdrawn)."""
        setattr(self, nom, depose)


def _texte(nom, *, max_length=5000, aide="", **kwargs):
    """An optional long text of a part, its limit written in its help text."""
    limite = f"{max_length:,}".replace(",", "\u202f")
    return models.TextField(
        nom,
        max_length=max_length,
        blank=True,
        help_text=f"{aide} {limite} caractères au plus.".strip(),
        **kwargs,
    )


def _ligne(nom, *, max_length=200, aide="", **kwargs):
    """An optional one-line text of a part."""
    return models.CharField(nom, max_length=max_length, blank=True, help_text=aide, **kwargs)


def _bloc(nom, aide):
    """A repeatable block of a part: a list of rows, each a dict of the row form's fields."""
    return models.JSONField(nom, default=list, blank=True, help_text=aide)
