"""Forms of the account pages: login, forgotten password, new password."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.template import loader
from django.utils.functional import lazy
from dsfr.forms import DsfrBaseForm

from comptes.tasks import envoyer_courriel

AIDE_ADRESSE = "Format attendu : nom@domaine.fr"


class ConnexionForm(DsfrBaseForm, AuthenticationForm):
    """Login with an e-mail address; a failure never says which of the two fields was wrong."""

    username = forms.EmailField(
        label="Adresse électronique",
        help_text=AIDE_ADRESSE,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label="Mot de passe",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Adresse électronique ou mot de passe incorrect.",
        "inactive": "Adresse électronique ou mot de passe incorrect.",
    }

    def clean_username(self):
        # Addresses are stored in lower case; the lockout counter must see the same spelling.
        return self.cleaned_data["username"].lower()


class MotDePasseOublieForm(DsfrBaseForm, PasswordResetForm):
    """Ask for a reset link; the e-mail leaves through a Celery task once the request commits."""

    email = forms.EmailField(
        label="Adresse électronique",
        help_text=AIDE_ADRESSE,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        sujet = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        corps = loader.render_to_string(email_template_name, context)
        transaction.on_commit(
            lambda: envoyer_courriel.delay(sujet=sujet, corps=corps, destinataires=[to_email])
        )


def _aide_mot_de_passe():
    longueur = next(
        (
            validateur.min_length
            for validateur in password_validation.get_default_password_validators()
            if isinstance(validateur, password_validation.MinimumLengthValidator)
        ),
        None,
    )
    debut = f"Au moins {longueur} caractères. " if longueur else ""
    return (
        f"{debut}Évitez un mot de passe courant, uniquement composé de chiffres "
        "ou proche de votre nom ou de votre adresse électronique."
    )


class NouveauMotDePasseForm(DsfrBaseForm, SetPasswordForm):
    """Choose a new password from a reset link, with the rules written under the label."""

    new_password1 = forms.CharField(
        label="Nouveau mot de passe",
        strip=False,
        help_text=lazy(_aide_mot_de_passe, str)(),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label="Confirmation du nouveau mot de passe",
        strip=False,
        help_text="Saisissez le même mot de passe une seconde fois.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
