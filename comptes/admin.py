from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from comptes.models import Adhesion, Courriel, MembreGroupement, Organisation, Utilisateur


class UtilisateurCreationForm(AdminUserCreationForm):
    class Meta:
        model = Utilisateur
        fields = ("email", "prenom", "nom")


class UtilisateurChangeForm(UserChangeForm):
    class Meta:
        model = Utilisateur
        fields = "__all__"


class AdhesionDeLUtilisateurInline(admin.TabularInline):
    model = Adhesion
    fk_name = "utilisateur"
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "fonction", "cree_le"]
    readonly_fields = ["cree_le"]


@admin.register(Utilisateur)
class UtilisateurAdmin(UserAdmin):
    form = UtilisateurChangeForm
    add_form = UtilisateurCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("prenom", "nom", "telephone")}),
        (
            "Droits",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "prenom", "nom", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "prenom", "nom", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active", "adhesions__organisation__type")
    search_fields = ("email", "prenom", "nom")
    ordering = ("nom", "prenom")
    inlines = [AdhesionDeLUtilisateurInline]


class AdhesionInline(admin.TabularInline):
    model = Adhesion
    fk_name = "organisation"
    extra = 0
    autocomplete_fields = ["utilisateur"]
    fields = ["utilisateur", "fonction", "cree_le"]
    readonly_fields = ["cree_le"]


class MembreGroupementInline(admin.TabularInline):
    model = MembreGroupement
    extra = 0
    fields = ["nom", "role", "competences", "ordre"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("nom", "type", "siren", "territoire")
    list_filter = ("type",)
    search_fields = ("nom", "siren")
    list_select_related = ("departement", "region")
    fields = ("nom", "type", "siren", "departement", "region")
    inlines = [AdhesionInline, MembreGroupementInline]

    @admin.display(description="territoire")
    def territoire(self, organisation):
        return organisation.territoire


@admin.register(Adhesion)
class AdhesionAdmin(admin.ModelAdmin):
    list_display = ("utilisateur", "organisation", "fonction", "cree_le")
    list_filter = ("organisation__type",)
    search_fields = ("utilisateur__email", "utilisateur__nom", "organisation__nom")
    list_select_related = ("utilisateur", "organisation")
    autocomplete_fields = ("utilisateur", "organisation")


@admin.register(Courriel)
class CourrielAdmin(admin.ModelAdmin):
    """The outbox, read-only: what was sent to whom, what is still waiting and why it failed."""

    list_display = ("cree_le", "destinataire", "sujet", "etat", "tentatives", "envoye_le")
    list_filter = ("etat", "gabarit")
    search_fields = ("destinataire", "sujet")
    date_hierarchy = "cree_le"
    fields = (
        "destinataire",
        "sujet",
        "texte",
        "gabarit",
        "etat",
        "tentatives",
        "derniere_erreur",
        "cree_le",
        "prochain_essai_le",
        "envoye_le",
        "cle",
    )
    readonly_fields = fields

    @admin.display(description="texte")
    def texte(self, courriel):
        if courriel.confidentiel:
            return "Texte confidentiel (lien de connexion) : il n'est pas affiché."
        return courriel.corps

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
