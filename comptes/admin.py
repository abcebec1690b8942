from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from dsfr.admin import DsfrConfigAdmin, DsfrSocialMediaInline
from dsfr.models import DsfrConfig
from simple_history.admin import SimpleHistoryAdmin

from comptes.models import Adhesion, Courriel, MembreGroupement, Organisation, Utilisateur
from comptes.services import utilisateurs_desactiver


class LectureSeuleAdmin(admin.ModelAdmin):
    """A back-office page that shows rows without adding, changing or deleting any: the journal,
    the outbox, deposited records. No button says otherwise."""

    # The read-only form is still built: a link field must not warn about Django 6's scheme.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LectureSeuleInline(admin.TabularInline):
    """The rows a read-only record shows beneath it, with no button to add, change or delete
    them; `fields` are all read-only."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields or ()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
    actions = ["desactiver"]

    def has_delete_permission(self, request, obj=None):
        """Accounts are deactivated, never deleted: the journal keeps saying who acted."""
        return False

    @admin.action(description="Désactiver les comptes sélectionnés", permissions=["change"])
    def desactiver(self, request, queryset):
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(
                request, "Vous ne pouvez pas désactiver votre propre compte.", messages.WARNING
            )
        comptes = utilisateurs_desactiver(utilisateurs=queryset, par=request.user)
        for compte in comptes:
            self.log_change(request, compte, "Compte désactivé.")
        if len(comptes) == 1:
            texte = "1 compte désactivé : il ne peut plus se connecter, le journal garde son nom."
        elif comptes:
            texte = (
                f"{len(comptes)} comptes désactivés : ils ne peuvent plus se connecter, "
                "le journal garde leur nom."
            )
        else:
            return
        self.message_user(request, texte, messages.SUCCESS)


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
    fields = ("nom", "type", "siren", "siret", "departement", "region")
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


class LiensEnHttps(admin.options.BaseModelAdmin):
    """A link typed without its scheme is read as https: Django 6's default, and the only one
    a State site links to (Django 5.2 still assumes http and warns)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ReseauSocialInline(LiensEnHttps, DsfrSocialMediaInline):
    pass


class SiteAdmin(LiensEnHttps, DsfrConfigAdmin):
    """django-dsfr's site settings (title, footer, accessibility status)."""

    inlines = [ReseauSocialInline]


admin.site.unregister(DsfrConfig)
admin.site.register(DsfrConfig, SiteAdmin)


class FiltreGabarit(admin.AllValuesFieldListFilter):
    """The outbox's templates; an e-mail written without one is named, not an empty link."""

    def choices(self, changelist):
        for choix in super().choices(changelist):
            if not str(choix["display"]).strip():
                choix["display"] = "(sans gabarit)"
            yield choix


@admin.register(Courriel)
class CourrielAdmin(LectureSeuleAdmin):
    """The outbox, read-only: what was sent to whom, what is still waiting and why it failed."""

    list_display = ("cree_le", "destinataire", "sujet", "etat", "tentatives", "envoye_le")
    list_filter = ("etat", ("gabarit", FiltreGabarit))
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
