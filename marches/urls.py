from django.urls import path

from marches import views

app_name = "marches"
urlpatterns = [
    path("", views.MarcheListView.as_view(), name="liste"),
    path("<int:pk>/", views.MarcheDetailView.as_view(), name="marche"),
    path("atelier/<int:pk>/ouvrir/", views.OuvrirView.as_view(), name="ouvrir"),
    path("atelier/<int:pk>/abandonner/", views.AbandonnerView.as_view(), name="abandonner"),
    path(
        "<int:marche>/sans-suite/",
        views.ClasserSansSuiteView.as_view(),
        name="classer_sans_suite",
    ),
    path("consultations/", views.MesConsultationsView.as_view(), name="consultations"),
    path(
        "consultations/<int:pk>/",
        views.ConsultationGroupementView.as_view(),
        name="consultation",
    ),
    path(
        "consultations/<int:pk>/ressources/<uuid:uuid>/",
        views.RessourceTelechargerView.as_view(),
        name="ressource",
    ),
    path("consultations/<int:pk>/renoncer/", views.RenoncerView.as_view(), name="renoncer"),
    path("renoncements/", views.RenoncementsView.as_view(), name="renoncements"),
    path("<int:marche>/questions/", views.QuestionsView.as_view(), name="questions"),
    path(
        "<int:marche>/questions/<int:pk>/repondre/",
        views.RepondreView.as_view(),
        name="repondre",
    ),
    path(
        "<int:marche>/clore/",
        views.CloreConsultationView.as_view(),
        name="clore_consultation",
    ),
    path(
        "<int:marche>/offres/enregistrer/",
        views.OffreEnregistrerView.as_view(),
        name="offre_enregistrer",
    ),
    path(
        "<int:marche>/offres/<int:pk>/audition/",
        views.AuditionView.as_view(),
        name="audition",
    ),
    *(
        path(
            f"<int:marche>/offres/<int:offre>/{transition.replace('_', '-')}/",
            views.OffreActionView.as_view(transition=transition),
            name=f"offre_{transition}",
        )
        for transition in (
            "demander_regularisation",
            "regulariser",
            "declarer_irreguliere",
            "declarer_inacceptable",
        )
    ),
]
