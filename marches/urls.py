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
    path("<int:marche>/cctp/<slug:partie>/", views.CctpPartieView.as_view(), name="cctp_partie"),
    path("<int:marche>/publier/", views.PublierView.as_view(), name="publier"),
    path("<int:marche>/cctp-rectificatif/", views.RectifierView.as_view(), name="rectifier_cctp"),
]
