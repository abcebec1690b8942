from django.urls import path

from livrables import views
from livrables.views import redaction

app_name = "livrables"
urlpatterns = [
    path("atelier/<int:pk>/", views.LivrablesView.as_view(), name="livrables"),
    path("atelier/<int:pk>/<str:type>/", views.LivrableView.as_view(), name="livrable"),
    # redaction : les livrables rédigés dans le portail (note de cadrage, carnet, rapport final)
    path(
        "atelier/<int:pk>/<str:type>/rediger/",
        redaction.RedactionView.as_view(),
        name="rediger",
    ),
    path(
        "atelier/<int:pk>/carnet_suivi/reassembler/",
        redaction.CarnetAssemblerView.as_view(),
        name="carnet_reassembler",
    ),
    path(
        "atelier/<int:pk>/carnet_suivi/retirer/<slug:cle>/",
        redaction.CarnetPartieRetirerView.as_view(),
        name="carnet_partie_retirer",
    ),
]
