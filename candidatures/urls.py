from django.urls import path

from candidatures import views

app_name = "candidatures"
urlpatterns = [
    path(
        "pre-candidature/ouvrir/",
        views.PreCandidatureOuvrirView.as_view(),
        name="ouvrir_precandidature",
    ),
    path("epci/", views.EpciOptionsView.as_view(), name="epci_options"),
    path("<int:pk>/note/<slug:partie>/", views.PartieView.as_view(), name="partie"),
    path("<int:pk>/courriers/", views.CourriersView.as_view(), name="courriers"),
    path(
        "<int:pk>/courriers/<slug:type_courrier>/",
        views.CourrierDeposerView.as_view(),
        name="courrier_deposer",
    ),
    path(
        "<int:pk>/courriers/<slug:type_courrier>/modele/",
        views.CourrierModeleView.as_view(),
        name="courrier_modele",
    ),
    path("<int:pk>/deposer/", views.DeposerView.as_view(), name="deposer"),
    path("<int:pk>/echanges/", views.EchangesView.as_view(), name="echanges"),
    path("<int:pk>/instruction/", views.InstructionView.as_view(), name="instruction"),
    path("avis/<int:pk>/", views.AvisView.as_view(), name="avis"),
    path("a-instruire/", views.FileInstructionView.as_view(), name="a_instruire"),
    path("cohorte/", views.CohorteView.as_view(), name="cohorte"),
    path("<int:pk>/dossier/", views.DossierView.as_view(), name="dossier"),
    path("<int:pk>/suivre/", views.SuivreView.as_view(), name="suivre"),
    path("<int:pk>/complements/", views.ComplementsView.as_view(), name="complements"),
    path("<int:pk>/decider/", views.DeciderView.as_view(), name="decider"),
    path("<int:pk>/corriger/", views.CorrigerView.as_view(), name="corriger"),
    path("<int:pk>/confirmer/", views.ConfirmerView.as_view(), name="confirmer"),
    path("<int:pk>/decliner/", views.DeclinerView.as_view(), name="decliner"),
    path("<int:pk>/abandonner/", views.AbandonnerView.as_view(), name="abandonner"),
]
