from django.urls import path

from livrables import views
from livrables.views import cloture, feuille_route, livret, redaction, revue, revue_actions

app_name = "livrables"
urlpatterns = [
    path("atelier/<int:pk>/", views.LivrablesView.as_view(), name="livrables"),
    # livret : le livret de capitalisation, ses textes et ses images
    path("atelier/<int:pk>/livret/redaction/", livret.LivretView.as_view(), name="livret"),
    path(
        "atelier/<int:pk>/livret/redaction/partie/<slug:cle>/",
        livret.LivretPartieView.as_view(),
        name="livret_partie",
    ),
    path(
        "atelier/<int:pk>/livret/redaction/image/",
        livret.LivretImageView.as_view(),
        name="livret_image",
    ),
    path(
        "atelier/<int:pk>/livret/redaction/image/<int:image>/retirer/",
        livret.LivretImageRetirerView.as_view(),
        name="livret_image_retirer",
    ),
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

# feuille : la feuille de route en données (son plan, son éditeur, son classeur).
urlpatterns += [
    path(
        "atelier/<int:pk>/feuille_route/plan/",
        feuille_route.FeuilleRouteView.as_view(),
        name="feuille",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/action/ajouter/",
        feuille_route.ActionView.as_view(),
        name="feuille_action_ajouter",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/action/<int:objet>/",
        feuille_route.ActionView.as_view(),
        name="feuille_action",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/<str:genre>/ajouter/",
        feuille_route.ElementView.as_view(),
        name="feuille_ajouter",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/<str:genre>/<int:objet>/",
        feuille_route.ElementView.as_view(),
        name="feuille_modifier",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/<str:genre>/<int:objet>/retirer/",
        feuille_route.RetirerView.as_view(),
        name="feuille_retirer",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/<str:genre>/<int:objet>/deplacer/",
        feuille_route.DeplacerView.as_view(),
        name="feuille_deplacer",
    ),
    path(
        "atelier/<int:pk>/feuille_route/plan/importer/",
        feuille_route.ImportView.as_view(),
        name="feuille_importer",
    ),
    path(
        "atelier/<int:pk>/feuille_route/classeur.xlsx",
        feuille_route.ExportView.as_view(),
        name="feuille_exporter",
    ),
    path(
        "atelier/<int:pk>/feuille_route/version/<int:numero>/classeur.xlsx",
        feuille_route.ExportView.as_view(),
        name="feuille_exporter_version",
    ),
    # cloture
    path("cloture/<int:pk>/", cloture.CloturerView.as_view(), name="cloturer"),
]
