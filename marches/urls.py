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
    path("accords-cadres/", views.AccordCadreListView.as_view(), name="accords_cadres"),
    path("accords-cadres/nouveau/", views.AccordCadreFormView.as_view(), name="accord_cadre_creer"),
    path("accords-cadres/<int:pk>/", views.AccordCadreDetailView.as_view(), name="accord_cadre"),
    path(
        "accords-cadres/<int:pk>/modifier/",
        views.AccordCadreFormView.as_view(),
        name="accord_cadre_modifier",
    ),
    path(
        "accords-cadres/<int:pk>/titulaires/",
        views.TitulaireAjouterView.as_view(),
        name="titulaire_ajouter",
    ),
    path(
        "accords-cadres/titulaires/<int:pk>/retirer/",
        views.TitulaireRetirerView.as_view(),
        name="titulaire_retirer",
    ),
    path(
        "accords-cadres/<int:pk>/documents/",
        views.DocumentDeposerView.as_view(),
        name="document_accord_cadre_deposer",
    ),
    path("<int:marche>/cctp/<slug:partie>/", views.CctpPartieView.as_view(), name="cctp_partie"),
    path("<int:marche>/publier/", views.PublierView.as_view(), name="publier"),
    path("<int:marche>/cctp-rectificatif/", views.RectifierView.as_view(), name="rectifier_cctp"),
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
