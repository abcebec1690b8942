"""The dépôt: the two transitions of the candidature, the dossier that must be complete, the
frozen version, the atelier moved to instruction, DGALN told, the dossier PDF."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django_fsm import has_transition_perm

from ateliers.models import Atelier, Evenement, Phase
from ateliers.services import ActionImpossible, transition_appliquer
from candidatures.models import Candidature, Courrier, VersionCandidature
from candidatures.parties import PARTIES
from candidatures.selectors import DOSSIER_GABARIT, pieces_manquantes
from candidatures.services import (
    DossierIncomplet,
    atelier_abandonner_en_candidature,
    candidature_demander_complements,
    candidature_deposer,
)
from documents.models import Document, FichierDepose
from documents.services import fichiers_retires_effacer
from tests.ateliers.factories import AtelierFactory
from tests.candidatures.dossier import completer, deposer_courrier, deposer_courriers
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.documents.pdfa import lire_pdfa

pytestmark = pytest.mark.django_db

TITRE = "Habiter la vallée inondable"


@pytest.fixture
def atelier():
    return AtelierFactory(
        phase=Phase.CANDIDATURE,
        collectivites=[OrganisationFactory(nom="Communauté du Val")],
        intitule="Vallée",
    )


@pytest.fixture
def dgaln():
    return UtilisateurFactory(
        organisations=[OrganisationFactory(dgaln=True)], email="instruction@exemple.test"
    )


@pytest.fixture
def complete(candidature, porteur):
    candidature = completer(candidature, porteur, objet={"titre": TITRE})
    deposer_courriers(candidature, porteur)
    return candidature


def _groupement(atelier):
    groupement = OrganisationFactory(groupement=True)
    Atelier.objects.filter(pk=atelier.pk).update(groupement=groupement)
    return UtilisateurFactory(organisations=[groupement])


ROLES = {
    "porteur": lambda atelier: UtilisateurFactory(organisations=[atelier.collectivites.get()]),
    "pilote": lambda atelier: UtilisateurFactory(organisations=[atelier.service_pilote]),
    "dgaln": lambda atelier: membre(dgaln=True),
    "autre_collectivite": lambda atelier: membre(),
    "groupement": _groupement,
}


def url_depot(atelier):
    return reverse("candidatures:deposer", args=[atelier.pk])


# The two transitions, role by role.


@pytest.mark.parametrize(
    ("qui", "permis"),
    [
        ("porteur", True),
        ("pilote", True),
        ("dgaln", False),
        ("autre_collectivite", False),
        ("groupement", False),
    ],
)
def test_deposer_est_reserve_aux_porteurs(atelier, complete, qui, permis):
    user = ROLES[qui](atelier)
    candidature = Candidature.objects.get(pk=complete.pk)
    assert has_transition_perm(candidature.deposer, user) is permis
    if permis:
        transition_appliquer(
            objet=candidature,
            vu=candidature.statut,
            transition="deposer",
            par=user,
        )
        assert Candidature.objects.get(pk=complete.pk).statut == Candidature.Statut.DEPOSEE
    else:
        with pytest.raises(PermissionDenied):
            transition_appliquer(
                objet=candidature, vu=candidature.statut, transition="deposer", par=user
            )
        assert Candidature.objects.get(pk=complete.pk).statut == Candidature.Statut.EN_REDACTION


def test_deposer_exige_un_dossier_complet(atelier, candidature, porteur):
    candidature = completer(candidature, porteur)
    deposer_courrier(candidature, porteur, Courrier.Type.SOUTIEN_PREFET)
    assert not has_transition_perm(candidature.deposer, porteur)
    with pytest.raises(ActionImpossible):
        transition_appliquer(
            objet=candidature, vu=candidature.statut, transition="deposer", par=porteur
        )
    assert Candidature.objects.get(pk=candidature.pk).statut == Candidature.Statut.EN_REDACTION


@pytest.mark.parametrize(
    ("qui", "permis"),
    [
        ("dgaln", True),
        ("porteur", False),
        ("pilote", False),
        ("autre_collectivite", False),
        ("groupement", False),
    ],
)
def test_instruire_est_reserve_a_la_dgaln(atelier, candidature, qui, permis):
    Candidature.objects.filter(pk=candidature.pk).update(statut=Candidature.Statut.DEPOSEE)
    candidature = Candidature.objects.get(pk=candidature.pk)
    user = ROLES[qui](atelier)
    assert has_transition_perm(candidature.instruire, user) is permis
    if permis:
        transition_appliquer(
            objet=candidature,
            vu=candidature.statut,
            transition="instruire",
            par=user,
        )
        evenement = Evenement.objects.get(transition="instruire")
        assert (evenement.etat_avant, evenement.etat_apres) == ("deposee", "en_instruction")
        assert evenement.atelier == atelier
    else:
        with pytest.raises(PermissionDenied):
            transition_appliquer(
                objet=candidature, vu=candidature.statut, transition="instruire", par=user
            )
    statut = Candidature.objects.get(pk=candidature.pk).statut
    assert statut == (Candidature.Statut.EN_INSTRUCTION if permis else Candidature.Statut.DEPOSEE)


def test_instruire_n_est_possible_qu_apres_le_depot(candidature, dgaln):
    with pytest.raises(ActionImpossible):
        transition_appliquer(
            objet=candidature, vu=candidature.statut, transition="instruire", par=dgaln
        )


# What is missing.


def test_un_dossier_vide_liste_chaque_partie_puis_chaque_courrier(atelier, candidature, porteur):
    manques = pieces_manquantes(candidature)
    assert [m["libelle"] for m in manques] == [p.titre for p in PARTIES] + [
        t.label for t in Courrier.Type
    ]
    with pytest.raises(DossierIncomplet) as refus:
        candidature_deposer(candidature=candidature, vu=candidature.statut, par=porteur)
    assert refus.value.manquants == manques
    assert str(refus.value).startswith("La candidature ne peut pas encore être déposée. Il manque")
    assert Candidature.objects.get(pk=candidature.pk).statut == Candidature.Statut.EN_REDACTION
    assert not VersionCandidature.objects.exists()


def test_il_ne_manque_que_ce_qui_manque(atelier, candidature, porteur):
    candidature = completer(candidature, porteur)
    deposer_courrier(candidature, porteur, Courrier.Type.SOUTIEN_COLLECTIVITES)
    deposer_courrier(candidature, porteur, Courrier.Type.ENGAGEMENT_SERVICE)
    manques = pieces_manquantes(candidature)
    assert manques == [
        {
            "libelle": "Lettre de soutien du préfet ou du sous-préfet",
            "details": ["signée, pas encore déposée"],
            "url": reverse("candidatures:courriers", args=[atelier.pk])
            + "#courrier-soutien_prefet",
        }
    ]


def test_la_page_de_depot_liste_ce_qui_manque_avec_des_liens(client, atelier, candidature, porteur):
    objet = candidature.objet
    client.force_login(porteur)
    response = client.get(url_depot(atelier))
    assert response.status_code == 200
    texte = html.unescape(response.text)
    assert "Ce qui manque pour déposer la candidature" in texte
    liste = texte.split('id="pieces-manquantes"')[1].split("</ul>")[0]
    for partie in PARTIES:
        adresse = reverse("candidatures:partie", args=[atelier.pk, partie.slug])
        assert f'<a href="{adresse}">{partie.titre}</a>' in liste
    courriers = reverse("candidatures:courriers", args=[atelier.pk])
    for type_courrier in Courrier.Type:
        assert f'<a href="{courriers}#courrier-{type_courrier}">{type_courrier.label}</a>' in liste
    assert f"{objet._meta.get_field('problematique').verbose_name}" in liste
    assert "Confirmer : déposer la candidature" not in texte
    response = client.post(url_depot(atelier))
    assert response.status_code == 400
    assert Candidature.objects.get(pk=candidature.pk).statut == Candidature.Statut.EN_REDACTION


# The dépôt itself.


def test_deposer_fige_la_version_deplace_l_atelier_et_previent_la_dgaln(
    atelier, complete, porteur, dgaln, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        version = candidature_deposer(candidature=complete, vu=complete.statut, par=porteur)

    assert Candidature.objects.get(pk=complete.pk).statut == Candidature.Statut.DEPOSEE
    assert (version.numero, version.depose_par) == (1, porteur)
    contenu = version.contenu
    assert contenu["titre"] == TITRE
    assert [p["slug"] for p in contenu["parties"]] == [p.slug for p in PARTIES]
    assert [p["titre"] for p in contenu["parties"]] == [p.titre for p in PARTIES]
    objet = next(p for p in contenu["parties"] if p["slug"] == "objet")
    assert objet["valeurs"]["titre"] == TITRE
    themes = list(complete.objet.thematiques.order_by("pk"))
    assert objet["valeurs"]["thematiques"] == {
        "pk": [t.pk for t in themes],
        "libelles": [t.libelle for t in themes],
    }
    assert {"libelle": "Titre de l'atelier", "valeur": TITRE} in objet["lisible"]
    assert "version" not in objet["valeurs"] and "modifie_par" not in objet["valeurs"]
    porteurs = next(p for p in contenu["parties"] if p["slug"] == "porteurs")
    assert porteurs["valeurs"]["collectivites"] == complete.porteurs.collectivites
    courriers = Courrier.objects.filter(remplace_le__isnull=True).select_related("fichier")
    assert contenu["courriers"] == [
        {
            "type": c.type,
            "libelle": c.get_type_display(),
            "fichier_id": c.fichier_id,
            "nom": c.fichier.nom_original,
            "taille": c.fichier.taille,
            "sha256": c.fichier.sha256,
        }
        for c in sorted(courriers, key=lambda c: list(Courrier.Type).index(c.type))
    ]

    atelier.refresh_from_db()
    assert atelier.phase == Phase.INSTRUCTION
    # One dépôt, one line, naming the candidature and the atelier's phase.
    journal = Evenement.objects.filter(atelier=atelier).exclude(transition="")
    assert [
        (e.transition, e.etat_avant, e.etat_apres, e.phase_avant, e.phase_apres) for e in journal
    ] == [("deposer", "en_redaction", "deposee", "candidature", "instruction")]
    assert all(e.par == porteur for e in journal)

    assert [m.to for m in mail.outbox] == [["instruction@exemple.test"]]
    assert atelier.reference in mail.outbox[0].subject or atelier.intitule in mail.outbox[0].subject
    assert reverse("portail:atelier", args=[atelier.pk]) in mail.outbox[0].body


def test_le_dossier_pdf_contient_chaque_partie_et_joint_les_courriers(
    atelier, complete, porteur, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = candidature_deposer(candidature=complete, vu=complete.statut, par=porteur)
    document = Document.objects.get(gabarit=DOSSIER_GABARIT)
    assert document.source == version
    assert document.statut == Document.Statut.PRET
    with document.fichier.open("rb") as flux:
        lecteur = lire_pdfa(flux.read())
    pages = [p.extract_text() for p in lecteur.pages]
    texte = " ".join(" ".join(pages).split())
    assert TITRE in texte
    for partie in PARTIES:
        assert partie.titre in texte
    # The three signed letters are embedded as they were deposited, listed on the last page.
    courriers = version.contenu["courriers"]
    for courrier in Courrier.objects.filter(candidature=complete):
        with courrier.fichier.fichier.open("rb") as flux:
            assert lecteur.attachments[courrier.fichier.nom_original] == [flux.read()]
    liste = " ".join(pages[-1].split())
    assert "Pièces jointes au fichier" in liste
    for courrier in courriers:
        assert f"{courrier['libelle']} {courrier['nom']} PDF" in liste
    assert "Lettre signee" not in texte
    assert document.nombre_pages == len(pages)
    assert [a.fichier_id for a in document.annexes.all()] == [c["fichier_id"] for c in courriers]


def test_un_nouveau_depot_ecrit_la_version_suivante_sans_redeplacer_l_atelier(
    atelier, complete, porteur, dgaln
):
    candidature_deposer(candidature=complete, vu=complete.statut, par=porteur)
    deposee = Candidature.objects.get(pk=complete.pk)
    candidature_demander_complements(
        candidature=deposee, vu=deposee.statut, par=dgaln, pieces=["objet"], message="Précisez."
    )
    renvoyee = Candidature.objects.get(pk=complete.pk)
    version = candidature_deposer(candidature=renvoyee, vu=renvoyee.statut, par=porteur)
    assert version.numero == 2
    assert list(VersionCandidature.objects.values_list("numero", flat=True)) == [2, 1]
    assert Atelier.objects.get(pk=atelier.pk).phase == Phase.INSTRUCTION
    assert Evenement.objects.filter(transition="deposer", phase_apres="instruction").count() == 1
    assert Document.objects.filter(gabarit=DOSSIER_GABARIT).count() == 2


def test_un_atelier_abandonne_ne_recoit_pas_de_depot(atelier, complete, porteur, dgaln):
    atelier_abandonner_en_candidature(atelier=atelier, par=dgaln, vu=atelier.phase, motif="Retrait")
    with pytest.raises(ActionImpossible, match="Abandonné"):
        candidature_deposer(candidature=complete, vu=complete.statut, par=porteur)
    assert Candidature.objects.get(pk=complete.pk).statut == Candidature.Statut.ABANDONNEE
    assert not VersionCandidature.objects.exists()


def test_seul_un_porteur_depose(atelier, complete):
    with pytest.raises(PermissionDenied):
        candidature_deposer(candidature=complete, vu=complete.statut, par=membre(dgaln=True))
    assert not VersionCandidature.objects.exists()


# The pages.


def test_deposer_par_la_page_de_confirmation(
    client, atelier, complete, porteur, django_capture_on_commit_callbacks
):
    client.force_login(porteur)
    page = html.unescape(client.get(url_depot(atelier)).text)
    assert "Déposer la candidature ?" in page
    assert "La candidature sera transmise à la DGALN et ne sera plus modifiable." in page
    assert f'action="{url_depot(atelier)}"' in page
    assert '<input type="hidden" name="vu" value="en_redaction">' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url_depot(atelier), {"deposer-motif": "Avec nos remerciements", "vu": "en_redaction"}
        )
    assert response.url == reverse("portail:atelier", args=[atelier.pk])
    texte = html.unescape(client.get(response.url).text)
    assert "Candidature déposée (version 1) : elle est transmise à la DGALN" in texte
    assert "Version 1 déposée le" in texte
    document = Document.objects.get(gabarit=DOSSIER_GABARIT)
    assert f'href="{reverse("documents:telecharger", args=[document.uuid])}"' in texte
    assert "(lecture seule)" in texte
    # The porteur's words first; then what the atelier took from the note, if anything.
    depot = Evenement.objects.get(transition="deposer", etat_apres="deposee")
    assert depot.commentaire.splitlines()[0] == "Avec nos remerciements"
    again = client.get(url_depot(atelier), follow=True)
    assert "elle ne peut plus être déposée" in html.unescape(again.text)


def test_la_fiche_atelier_propose_le_depot_dans_une_modale(client, atelier, complete, porteur):
    client.force_login(porteur)
    texte = html.unescape(client.get(reverse("portail:atelier", args=[atelier.pk])).text)
    assert "Déposer la candidature : rendez-vous dans la partie « Candidature »" in texte
    assert 'aria-controls="modale-deposer"' in texte
    assert '<dialog id="modale-deposer"' in texte
    assert "Confirmer : déposer la candidature" in texte
    assert f'<a class="fr-btn" href="{url_depot(atelier)}">' in texte


@pytest.mark.parametrize("qui", ["dgaln", "pilote"])
def test_la_page_de_depot_pour_les_autres_lecteurs(client, atelier, complete, qui):
    client.force_login(ROLES[qui](atelier))
    statut = 200 if qui == "pilote" else 403
    assert client.get(url_depot(atelier)).status_code == statut


@pytest.mark.parametrize("qui", ["autre_collectivite", "groupement"])
def test_les_autres_ont_une_404_au_depot_et_au_dossier(
    client, atelier, complete, porteur, qui, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        candidature_deposer(candidature=complete, vu=complete.statut, par=porteur)
    document = Document.objects.get(gabarit=DOSSIER_GABARIT)
    client.force_login(ROLES[qui](atelier))
    assert client.get(url_depot(atelier)).status_code == 404
    assert client.post(url_depot(atelier)).status_code == 404
    assert client.get(reverse("documents:telecharger", args=[document.uuid])).status_code == 404
    assert client.get(reverse("documents:statut", args=[document.uuid])).status_code == 404


@pytest.mark.parametrize("qui", ["porteur", "pilote", "dgaln"])
def test_le_dossier_pdf_se_telecharge_par_les_porteurs_le_pilote_et_la_dgaln(
    client, atelier, complete, porteur, qui, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        candidature_deposer(candidature=complete, vu=complete.statut, par=porteur)
    document = Document.objects.get(gabarit=DOSSIER_GABARIT)
    client.force_login(ROLES[qui](atelier))
    response = client.get(reverse("documents:telecharger", args=[document.uuid]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response.status_code == 200
    page = client.get(reverse("portail:atelier", args=[atelier.pk]))
    assert "Version 1 déposée le" in html.unescape(page.text)


def test_la_page_de_depot_en_un_nombre_fixe_de_requetes(client, atelier, complete, porteur):
    from tests.requetes import nombre_de_requetes

    client.force_login(porteur)
    deposer_courriers(complete, porteur)
    avec_n = nombre_de_requetes(client, url_depot(atelier))
    deposer_courriers(complete, porteur)
    assert nombre_de_requetes(client, url_depot(atelier)) == avec_n
    response = client.get(url_depot(atelier))
    assert response.status_code == 200
    assert "Confirmer : déposer la candidature" in html.unescape(response.text)


# The dépôt's links, role by role: shown only to whoever may open the dépôt.

ROLES_DE_LA_NOTE = {
    "porteur": (True, ROLES["porteur"]),
    "pilote": (True, ROLES["pilote"]),
    "dgaln": (False, ROLES["dgaln"]),
    "dreal": (
        False,
        lambda atelier: UtilisateurFactory(
            organisations=[
                OrganisationFactory(dreal=True, region=atelier.departements.get().region)
            ]
        ),
    ),
}


@pytest.mark.parametrize("qui", list(ROLES_DE_LA_NOTE))
def test_le_lien_du_depot_n_apparait_qu_a_qui_peut_deposer(client, atelier, complete, qui):
    peut_deposer, role = ROLES_DE_LA_NOTE[qui]
    client.force_login(role(atelier))
    pages = [
        reverse("candidatures:partie", args=[atelier.pk, PARTIES[0].slug]),
        reverse("candidatures:courriers", args=[atelier.pk]),
        reverse("portail:atelier", args=[atelier.pk]),
    ]
    lien = f'href="{url_depot(atelier)}"'
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        assert (lien in response.text) is peut_deposer, page
    depot = client.get(url_depot(atelier))
    assert depot.status_code == (200 if peut_deposer else 403)


@pytest.mark.parametrize("qui", list(ROLES_DE_LA_NOTE))
def test_apres_le_depot_le_menu_mene_au_dossier_depose(client, atelier, complete, porteur, qui):
    candidature_deposer(candidature=complete, par=porteur, vu="en_redaction")
    _, role = ROLES_DE_LA_NOTE[qui]
    client.force_login(role(atelier))
    page = client.get(reverse("candidatures:partie", args=[atelier.pk, PARTIES[0].slug]))
    assert f'href="{url_depot(atelier)}"' not in page.text
    dossier = reverse("candidatures:dossier", args=[atelier.pk])
    assert f'href="{dossier}"' in page.text
    lecture = client.get(dossier)
    assert lecture.status_code == 200
    # The thread is written by DGALN and the porteurs only.
    assert ("Écrire un message" in html.unescape(lecture.text)) is (qui != "dreal")


def test_un_courrier_remplace_apres_le_depot_reste_celui_de_la_version(
    client, atelier, complete, porteur, settings
):
    version = candidature_deposer(candidature=complete, par=porteur, vu="en_redaction")
    Candidature.objects.filter(pk=complete.pk).update(statut=Candidature.Statut.EN_REDACTION)
    type_courrier = Courrier.Type.SOUTIEN_PREFET
    depose = Courrier.objects.get(candidature=complete, type=type_courrier).fichier
    deposer_courrier(complete, porteur, type_courrier, nom="Nouvelle lettre.pdf")

    # The letter DGALN received with version 1 is still what its dossier page links to.
    depose = FichierDepose.objects.get(pk=depose.pk)
    assert depose.retire_le is None
    client.force_login(porteur)
    reponse = client.get(reverse("documents:fichier", args=[depose.uuid]))
    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content).startswith(b"%PDF")
    # Even withdrawn by mistake, past the grace period, the clean-up keeps it.
    settings.DOCUMENTS_FICHIERS_RETIRES_JOURS = 7
    FichierDepose.objects.filter(pk=depose.pk).update(retire_le=timezone.now() - timedelta(days=30))
    Document.objects.filter(source_id=str(version.pk)).delete()
    assert fichiers_retires_effacer() == 0
    assert default_storage.exists(FichierDepose.objects.get(pk=depose.pk).fichier.name)
