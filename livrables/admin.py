"""The back office of the livrables: every dépôt, comment, avis and validation goes through the
portal's services (each writes its journal line and may release a tranche), so here they are
read, never added, changed nor deleted."""

from django.contrib import admin

from comptes.admin import LectureSeuleAdmin, LectureSeuleInline
from livrables.models import (
    Action,
    Avis,
    Axe,
    Cloture,
    Commentaire,
    Financement,
    ImageLivret,
    Livrable,
    Objectif,
    PartieRedigee,
    VersionLivrable,
)


@admin.register(Livrable)
class LivrableAdmin(LectureSeuleAdmin):
    list_display = ["atelier", "type", "statut", "statut_depuis", "valide_le", "publiable"]
    list_filter = ["type", "statut", "publiable"]
    search_fields = ["atelier__intitule"]
    list_select_related = ["atelier"]


@admin.register(VersionLivrable)
class VersionLivrableAdmin(LectureSeuleAdmin):
    list_display = ["livrable", "numero", "mode", "deposee_le", "deposee_par"]
    list_filter = ["mode", "livrable__type"]
    search_fields = ["livrable__atelier__intitule"]
    list_select_related = ["livrable__atelier", "deposee_par"]


@admin.register(Commentaire)
class CommentaireAdmin(LectureSeuleAdmin):
    list_display = ["version", "partie", "page", "auteur", "cree_le", "envoye", "repondu_le"]
    list_filter = ["envoye"]
    list_select_related = ["version__livrable__atelier", "auteur"]


@admin.register(Avis)
class AvisAdmin(LectureSeuleAdmin):
    list_display = ["version", "collectivite", "sens", "donne_le"]
    list_filter = ["sens"]
    list_select_related = ["version__livrable__atelier", "collectivite"]


@admin.register(PartieRedigee)
class PartieRedigeeAdmin(LectureSeuleAdmin):
    list_display = ["livrable", "titre", "ordre", "modifie_le"]
    list_select_related = ["livrable__atelier"]


@admin.register(Cloture)
class ClotureAdmin(LectureSeuleAdmin):
    list_display = ["atelier", "statut", "prononcee_le", "prononcee_par"]
    list_filter = ["statut"]
    list_select_related = ["atelier", "prononcee_par"]


@admin.register(ImageLivret)
class ImageLivretAdmin(LectureSeuleAdmin):
    list_display = ["livrable", "partie", "legende", "deposee_le", "deposee_par", "retiree_le"]
    list_filter = ["partie"]
    search_fields = ["livrable__atelier__intitule", "legende"]
    list_select_related = ["livrable__atelier", "deposee_par"]


# The feuille de route's rows as the groupement writes them (a version freezes them).
@admin.register(Objectif)
class ObjectifAdmin(LectureSeuleAdmin):
    list_display = ["intitule", "livrable", "ordre"]
    search_fields = ["intitule", "livrable__atelier__intitule"]
    list_select_related = ["livrable__atelier"]


@admin.register(Axe)
class AxeAdmin(LectureSeuleAdmin):
    list_display = ["intitule", "livrable", "ordre"]
    search_fields = ["intitule", "livrable__atelier__intitule"]
    list_select_related = ["livrable__atelier"]


class FinancementEnLigne(LectureSeuleInline):
    model = Financement
    fields = ("source", "precision", "montant")


@admin.register(Action)
class ActionAdmin(LectureSeuleAdmin):
    list_display = ["numero", "titre", "livrable", "axe", "priorite", "statut", "cout_estime"]
    list_filter = ["priorite", "statut", "horizon"]
    search_fields = ["titre", "livrable__atelier__intitule"]
    list_select_related = ["livrable__atelier", "axe"]
    inlines = [FinancementEnLigne]
