"""Account pages: login and logout, forgotten password, the user's account, session extension."""

from axes.utils import reset as debloquer_connexions
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy
from django.views import View
from django.views.generic import TemplateView

from comptes.forms import ConnexionForm, MotDePasseOublieForm, NouveauMotDePasseForm
from comptes.middleware import renouveler_session
from comptes.selectors import profil

UNITES = ((86400, "jour", "jours"), (3600, "heure", "heures"), (60, "minute", "minutes"))


def duree_lisible(secondes):
    """A duration in words, in the largest unit that divides it: "30 minutes", "3 jours"."""
    for taille, singulier, pluriel in UNITES:
        if secondes >= taille and secondes % taille == 0:
            nombre = secondes // taille
            return f"{nombre} {singulier if nombre == 1 else pluriel}"
    return f"{secondes} seconde{'' if secondes == 1 else 's'}"


def _fil_connexion(courant):
    return {
        "links": [{"url": reverse("comptes:connexion"), "title": "Connexion"}],
        "current": courant,
    }


class ConnexionView(auth_views.LoginView):
    form_class = ConnexionForm
    template_name = "comptes/connexion.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            session_expiree=self.request.GET.get("expiree") == "1",
            duree_inactivite=duree_lisible(settings.SESSION_COOKIE_AGE),
            breadcrumb_data={"current": "Connexion"},
            **kwargs,
        )


class DeconnexionView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET with 405)."""

    def post(self, request, *args, **kwargs):
        reponse = super().post(request, *args, **kwargs)
        messages.success(request, "Déconnexion effectuée. À bientôt.")
        return reponse


class MotDePasseOublieView(auth_views.PasswordResetView):
    form_class = MotDePasseOublieForm
    template_name = "comptes/mot_de_passe_oublie.html"
    success_url = reverse_lazy("comptes:mot_de_passe_envoye")

    def form_valid(self, form):
        self.extra_email_context = {
            "portail_nom": settings.PORTAIL_NOM,
            "validite": duree_lisible(settings.PASSWORD_RESET_TIMEOUT),
        }
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            breadcrumb_data=_fil_connexion("Mot de passe oublié"), **kwargs
        )


class MotDePasseEnvoyeView(auth_views.PasswordResetDoneView):
    template_name = "comptes/mot_de_passe_envoye.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            validite=duree_lisible(settings.PASSWORD_RESET_TIMEOUT),
            breadcrumb_data=_fil_connexion("Courriel envoyé"),
            **kwargs,
        )


class MotDePasseConfirmationView(auth_views.PasswordResetConfirmView):
    form_class = NouveauMotDePasseForm
    template_name = "comptes/mot_de_passe_confirmation.html"
    success_url = reverse_lazy("comptes:mot_de_passe_modifie")

    def form_valid(self, form):
        reponse = super().form_valid(form)
        # Whoever can read the mailbox owns the account: the login lockout no longer applies.
        debloquer_connexions(username=form.user.email)
        return reponse

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            breadcrumb_data=_fil_connexion("Nouveau mot de passe"), **kwargs
        )


class MotDePasseModifieView(auth_views.PasswordResetCompleteView):
    template_name = "comptes/mot_de_passe_modifie.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            breadcrumb_data=_fil_connexion("Mot de passe modifié"), **kwargs
        )


class ProfilView(LoginRequiredMixin, TemplateView):
    template_name = "comptes/profil.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organisations=profil(self.request.user).organisations,
            breadcrumb_data={"current": "Mon compte"},
            **kwargs,
        )


class ProlongerSessionView(LoginRequiredMixin, View):
    """Called by static/js/session.js: the request itself renews the session (204, no body)."""

    # 403 for an anonymous caller, not a redirect: fetch() would follow it to a 200 login page.
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request):
        renouveler_session(request)
        return HttpResponse(status=204)
