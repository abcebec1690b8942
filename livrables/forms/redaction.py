"""The editor's form of a livrable written in the portal: one text area per part, and what is
proper to each type (the position of each part of the carnet, the note's comments on the
calendar and its team); it validates what is typed, the services decide."""

from django import forms
from dsfr.forms import DsfrBaseForm

from livrables.models import PartieRedigee
from livrables.selectors.redaction import EtapeDuCalendrier, MembreDeLEquipe
from livrables.services.redaction import MembreSaisi

TEXTE_MAX = 50_000
# The size Django keeps in memory for a form's fields (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB)
# allows about fifty parts at this length: a carnet of three sessions and some thirty
# inter-ateliers.

# The text of a part that is mostly a table says something about it.
LIBELLES = {
    "calendrier": "Vos remarques sur le calendrier",
    "equipe": "Présentation de l'équipe",
}


class RedactionForm(DsfrBaseForm):
    """`texte_<clé>` for each part; `position_<clé>` when the parts are ordered (the carnet);
    `commentaire_<étape>`, `mobilise_<membre>` and `role_<membre>` for the note de cadrage."""

    def __init__(
        self,
        *args,
        parties: list[PartieRedigee],
        ordonner: bool = False,
        calendrier: list[EtapeDuCalendrier] = (),  # type: ignore[assignment]
        equipe: list[MembreDeLEquipe] = (),  # type: ignore[assignment]
        libelle_texte: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.parties, self.ordonner = parties, ordonner
        self.calendrier, self.equipe = list(calendrier), list(equipe)
        nombre = len(parties)
        for rang, partie in enumerate(parties, start=1):
            self.fields[f"texte_{partie.cle}"] = forms.CharField(
                label=libelle_texte or LIBELLES.get(partie.cle, partie.titre),
                required=False,
                max_length=TEXTE_MAX,
                initial=partie.texte,
                widget=forms.Textarea(attrs={"rows": 8}),
                help_text="50 000 caractères au plus.",
            )
            if ordonner:
                self.fields[f"position_{partie.cle}"] = forms.IntegerField(
                    label=f"Position de « {partie.titre} »",
                    min_value=1,
                    max_value=nombre,
                    initial=rang,
                    help_text=f"De 1 à {nombre}.",
                )
        for etape in self.calendrier:
            self.fields[f"commentaire_{etape.nature}"] = forms.CharField(
                label=f"Commentaire sur « {etape.libelle} »",
                required=False,
                max_length=500,
                initial=etape.commentaire,
            )
        for membre in self.equipe:
            self.fields[f"mobilise_{membre.membre_id}"] = forms.BooleanField(
                label=f"{membre.nom} est mobilisé dans l'atelier",
                required=False,
                initial=membre.mobilise,
            )
            self.fields[f"role_{membre.membre_id}"] = forms.CharField(
                label=f"Rôle de {membre.nom} dans l'atelier",
                required=False,
                max_length=300,
                initial=membre.role_atelier,
                help_text="Par exemple : pilotage, animation des sessions, paysage.",
            )

    def blocs(self) -> list[dict]:
        """Each part with its fields, for the template."""
        return [
            {
                "partie": p,
                "texte": self[f"texte_{p.cle}"],
                "position": self[f"position_{p.cle}"] if self.ordonner else None,
            }
            for p in self.parties
        ]

    def lignes_calendrier(self) -> list[dict]:
        return [
            {"etape": e, "commentaire": self[f"commentaire_{e.nature}"]} for e in self.calendrier
        ]

    def lignes_equipe(self) -> list[dict]:
        return [
            {
                "membre": m,
                "mobilise": self[f"mobilise_{m.membre_id}"],
                "role": self[f"role_{m.membre_id}"],
            }
            for m in self.equipe
        ]

    def clean(self):
        donnees = super().clean()
        for membre in self.equipe:
            role = (donnees.get(f"role_{membre.membre_id}") or "").strip()
            if role and not donnees.get(f"mobilise_{membre.membre_id}"):
                self.add_error(
                    f"mobilise_{membre.membre_id}",
                    f"Cochez {membre.nom} pour lui donner un rôle, ou effacez ce rôle.",
                )
        return donnees

    def textes(self) -> dict[str, str]:
        return {p.cle: self.cleaned_data[f"texte_{p.cle}"] for p in self.parties}

    def ordre(self) -> list[str]:
        """The keys in their new order: a part moved up comes before the one it takes the place
        of, a part moved down after it."""
        anciens = {p.cle: rang for rang, p in enumerate(self.parties, start=1)}

        def rang(cle: str) -> tuple[int, int, int]:
            nouveau = self.cleaned_data[f"position_{cle}"]
            sens = (nouveau > anciens[cle]) - (nouveau < anciens[cle])
            return nouveau, sens, anciens[cle]

        return sorted(anciens, key=rang)

    def commentaires(self) -> dict[str, str]:
        return {e.nature: self.cleaned_data[f"commentaire_{e.nature}"] for e in self.calendrier}

    def saisie_equipe(self) -> dict[int, MembreSaisi]:
        return {
            m.membre_id: MembreSaisi(
                mobilise=self.cleaned_data[f"mobilise_{m.membre_id}"],
                role=self.cleaned_data[f"role_{m.membre_id}"],
            )
            for m in self.equipe
        }
