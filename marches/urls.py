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
    # analyse (helper `analyse`): the analysis of the offers, attribution, notification.
    path("<int:marche>/analyse/", views.AnalyseView.as_view(), name="analyse"),
    path("<int:marche>/offres/<int:offre>/noter/", views.NoterView.as_view(), name="noter"),
    path(
        "<int:marche>/offres/<int:offre>/notes-collegiales/",
        views.NoterCollegialementView.as_view(),
        name="noter_collegialement",
    ),
    path(
        "<int:marche>/analyse/rapport/",
        views.RapportProduireView.as_view(),
        name="rapport_produire",
    ),
    path(
        "<int:marche>/analyse/rapport/<int:rapport>/signer/",
        views.RapportSignerView.as_view(),
        name="rapport_signer",
    ),
    path("<int:marche>/attribuer/", views.AttribuerView.as_view(), name="attribuer"),
    path("<int:marche>/notifier/", views.NotifierView.as_view(), name="notifier"),
    path(
        "<int:marche>/infructueux/",
        views.DeclarerInfructueuxView.as_view(),
        name="declarer_infructueux",
    ),
    path("<int:marche>/relancer/", views.RelancerView.as_view(), name="relancer"),
]
