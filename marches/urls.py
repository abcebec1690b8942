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
    # finances (BOP 135) and DECP
    path("finances/", views.FinancesNationalesView.as_view(), name="finances"),
    path("<int:marche>/execution/", views.ExecutionView.as_view(), name="execution"),
    path("<int:marche>/credits/", views.CreditView.as_view(), name="credit"),
    path("<int:marche>/paiement/", views.PaiementView.as_view(), name="paiement"),
    path(
        "<int:marche>/tranche/<int:tranche>/jalon-atteint/",
        views.TrancheLibererView.as_view(),
        name="tranche_liberer",
    ),
    path("<int:pk>/decp.json", views.DecpMarcheView.as_view(), name="decp"),
    path("decp/", views.DecpPageView.as_view(), name="donnees_essentielles"),
    path("decp/marches.json", views.DecpTousView.as_view(), name="decp_tous"),
    path("decp/marches.csv", views.DecpCsvView.as_view(), name="decp_csv"),
]
