from django.urls import path

from ateliers import views
from ateliers.views import (
    agenda,
    cadrage,
    calendrier,
    inter_atelier,
    restitution,
    session,
    session_contenu,
)

app_name = "ateliers"
urlpatterns = [
    path("<int:pk>/fiche/", views.AtelierFicheView.as_view(), name="fiche"),
    path("<int:pk>/action/<slug:transition>/", views.AtelierActionView.as_view(), name="action"),
    path("<int:pk>/cadrage/", cadrage.CadrageView.as_view(), name="cadrage"),
    path(
        "<int:pk>/cadrage/reunion/", cadrage.CadrageModifierView.as_view(), name="cadrage_modifier"
    ),
    path(
        "<int:pk>/cadrage/calendrier/",
        cadrage.CalendrierFixerView.as_view(),
        name="calendrier_fixer",
    ),
    path("<int:pk>/calendrier/", calendrier.CalendrierView.as_view(), name="calendrier"),
    path("agenda/", agenda.AgendaView.as_view(), name="agenda"),
    path("agenda/renouveler/", agenda.AgendaRenouvelerView.as_view(), name="agenda_renouveler"),
    path(
        "agenda/<str:jeton>/sessions.ics", agenda.FluxSessionsView.as_view(), name="flux_sessions"
    ),
    path(
        "agenda/<str:jeton>/ateliers/<int:pk>.ics",
        agenda.FluxAtelierView.as_view(),
        name="flux_atelier",
    ),
    path("<int:pk>/cadrage/clore/", cadrage.CadrageCloreView.as_view(), name="cadrage_clore"),
    path(
        "<int:pk>/inter-ateliers/",
        inter_atelier.InterAteliersView.as_view(),
        name="inter_ateliers",
    ),
    path(
        "<int:pk>/inter-ateliers/ecrire/",
        inter_atelier.InterAtelierEcrireView.as_view(),
        name="inter_atelier_ecrire",
    ),
    path(
        "<int:pk>/inter-ateliers/<int:entree>/",
        inter_atelier.InterAtelierView.as_view(),
        name="inter_atelier",
    ),
    path(
        "<int:pk>/inter-ateliers/<int:entree>/modifier/",
        inter_atelier.InterAtelierModifierView.as_view(),
        name="inter_atelier_modifier",
    ),
    path(
        "<int:pk>/inter-ateliers/<int:entree>/retirer/",
        inter_atelier.InterAtelierRetirerView.as_view(),
        name="inter_atelier_retirer",
    ),
    path("<int:pk>/restitution/", restitution.RestitutionView.as_view(), name="restitution"),
    path(
        "<int:pk>/restitution/modifier/",
        restitution.RestitutionModifierView.as_view(),
        name="restitution_modifier",
    ),
    path("sessions/<int:pk>/", session.SessionView.as_view(), name="session"),
    path(
        "sessions/<int:session>/action/<slug:transition>/",
        session.SessionActionView.as_view(),
        name="session_action",
    ),
    path(
        "sessions/<int:pk>/planifier/",
        session.SessionPlanifierView.as_view(),
        name="session_planifier",
    ),
    path(
        "sessions/<int:pk>/participants/ajouter/",
        session.ParticipantAjouterView.as_view(),
        name="session_participant_ajouter",
    ),
    path(
        "sessions/<int:pk>/participants/<int:ligne>/",
        session.ParticipantAjouterView.as_view(),
        name="session_participant_modifier",
    ),
    path(
        "sessions/<int:pk>/participants/<int:ligne>/retirer/",
        session.ParticipantRetirerView.as_view(),
        name="session_participant_retirer",
    ),
    path(
        "sessions/<int:pk>/feuille-de-presence/",
        session.FeuilleDePresenceView.as_view(),
        name="session_feuille",
    ),
    path("sessions/<int:pk>/presences/", session.PresencesView.as_view(), name="session_presences"),
    path(
        "sessions/<int:pk>/compte-rendu/",
        session_contenu.CompteRenduView.as_view(),
        name="session_compte_rendu",
    ),
    path(
        "sessions/<int:pk>/programme/",
        session_contenu.ProgrammeView.as_view(),
        name="session_programme",
    ),
    path(
        "sessions/<int:pk>/logistique/ajouter/",
        session_contenu.LogistiqueView.as_view(),
        name="session_logistique_ajouter",
    ),
    path(
        "sessions/<int:pk>/logistique/<int:ligne>/",
        session_contenu.LogistiqueView.as_view(),
        name="session_logistique_modifier",
    ),
    path(
        "sessions/<int:pk>/logistique/<int:ligne>/retirer/",
        session_contenu.LogistiqueSupprimerView.as_view(),
        name="session_logistique_retirer",
    ),
    path(
        "sessions/<int:pk>/compte-rendu/pieces/",
        session_contenu.PieceCompteRenduView.as_view(),
        name="session_piece",
    ),
]
