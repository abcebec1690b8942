from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("fichiers/<uuid:uuid>/", views.FichierTelechargerView.as_view(), name="fichier"),
    path("<uuid:uuid>/", views.DocumentTelechargerView.as_view(), name="telecharger"),
    path("<uuid:uuid>/statut/", views.DocumentStatutView.as_view(), name="statut"),
    path("<uuid:uuid>/relancer/", views.DocumentRelancerView.as_view(), name="relancer"),
]
