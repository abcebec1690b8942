"""Forms of the account pages: login, forgotten password, new password."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.functional import lazy
from dsfr.forms import DsfrBaseForm

from comptes.services import courriel_ecrire_depuis_gabarit

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
    """Ask for a reset link; the e-mail goes to the outbox, delivered by a task after commit: the
    answer is the same, and as quick, whether the address has an account or not, broker or not."""

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
        courriel_ecrire_depuis_gabarit(
            gabarit="mot_de_passe", contexte=context, destinataires=[to_email], confidentiel=True
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
