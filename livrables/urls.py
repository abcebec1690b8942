from django.urls import path

from livrables import views
from livrables.views import redaction, revue, revue_actions

app_name = "livrables"
urlpatterns = [
    path("atelier/<int:pk>/", views.LivrablesView.as_view(), name="livrables"),
    path("atelier/<int:pk>/<str:type>/", views.LivrableView.as_view(), name="livrable"),
    # revue : la relecture d'un livrable.
    path("atelier/<int:pk>/<str:type>/deposer/", revue.DeposerView.as_view(), name="deposer"),
    path(
        "atelier/<int:pk>/<str:type>/deposer-redaction/",
        revue.DeposerView.as_view(redige=True),
        name="deposer_redige",
    ),
    path(
        "atelier/<int:pk>/<str:type>/commenter/",
        revue.CommentaireEcrireView.as_view(),
        name="commenter",
    ),
    path(
        "atelier/<int:pk>/<str:type>/commentaires/<int:commentaire>/retirer/",
        revue_actions.CommentaireRetirerView.as_view(),
        name="commentaire_retirer",
    ),
    path(
        "atelier/<int:pk>/<str:type>/corrections/",
        revue_actions.CorrectionsDemanderView.as_view(),
        name="corrections",
    ),
    path(
        "atelier/<int:pk>/<str:type>/valider/",
        revue_actions.LivrableValiderView.as_view(),
        name="valider",
    ),
    path("atelier/<int:pk>/<str:type>/avis/", revue.AvisDonnerView.as_view(), name="avis"),
    path(
        "atelier/<int:pk>/<str:type>/accord/",
        revue_actions.AccordDonnerView.as_view(),
        name="accord",
    ),
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
