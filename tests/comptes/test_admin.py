"""Accounts are deactivated, never deleted, so the journal always says who acted."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from comptes.models import Utilisateur
from tests.comptes.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def test_un_compte_ne_se_supprime_pas_dans_l_admin(admin_client):
    compte = UtilisateurFactory()

    liste = admin_client.get(reverse("admin:comptes_utilisateur_changelist"))
    assert liste.status_code == 200 and "delete_selected" not in liste.content.decode()
    fiche = admin_client.get(reverse("admin:comptes_utilisateur_change", args=[compte.pk]))
    assert fiche.status_code == 200 and 'class="deletelink"' not in fiche.content.decode()
    suppression = reverse("admin:comptes_utilisateur_delete", args=[compte.pk])
    assert admin_client.post(suppression, {"post": "yes"}).status_code == 403
    assert Utilisateur.objects.filter(pk=compte.pk).exists()


def test_l_admin_desactive_les_comptes_choisis_sauf_le_sien(admin_client, admin_user):
    partants = [UtilisateurFactory(), UtilisateurFactory()]
    reste = UtilisateurFactory()

    reponse = admin_client.post(
        reverse("admin:comptes_utilisateur_changelist"),
        {"action": "desactiver", "_selected_action": [c.pk for c in partants] + [admin_user.pk]},
    )

    assert reponse.status_code == 302
    actifs = dict(Utilisateur.objects.values_list("pk", "is_active"))
    assert [actifs[c.pk] for c in partants] == [False, False]
    assert actifs[reste.pk] and actifs[admin_user.pk]
    assert [str(m) for m in get_messages(reponse.wsgi_request)] == [
        "Vous ne pouvez pas désactiver votre propre compte.",
        "2 comptes désactivés : ils ne peuvent plus se connecter, le journal garde leur nom.",
    ]
