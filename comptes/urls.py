from django.urls import path

from comptes import views

app_name = "comptes"
urlpatterns = [
    path("connexion/", views.ConnexionView.as_view(), name="connexion"),
    path("deconnexion/", views.DeconnexionView.as_view(), name="deconnexion"),
    path(
        "mot-de-passe/oublie/",
        views.MotDePasseOublieView.as_view(),
        name="mot_de_passe_oublie",
    ),
    path(
        "mot-de-passe/envoye/",
        views.MotDePasseEnvoyeView.as_view(),
        name="mot_de_passe_envoye",
    ),
    path(
        "mot-de-passe/modifie/",
        views.MotDePasseModifieView.as_view(),
        name="mot_de_passe_modifie",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        views.MotDePasseConfirmationView.as_view(),
        name="mot_de_passe_confirmation",
    ),
    path("profil/", views.ProfilView.as_view(), name="profil"),
    path("session/prolonger/", views.ProlongerSessionView.as_view(), name="prolonger_session"),
]
