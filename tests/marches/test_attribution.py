"""Attribution, notification, letters, infructuosité and relaunch: services, pages by role,
and the confidentiality of §9 read through every page and letter a groupement may open."""

import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ateliers.models import Atelier, Evenement, Phase
from ateliers.services import ActionImpossible
from comptes.models import Courriel
from marches.models import Attribution, CodeMarche, Lettre, MarcheSubsequent, Offre
from marches.selectors import analyse_de, lettres_du_groupement, resultat_du_groupement
from marches.services import (
    marche_attribuer,
    marche_declarer_infructueux,
    marche_notifier,
    marche_relancer,
    rapport_produire,
)
from tests.candidatures.dossier import lettre_pdf
from tests.documents import fichiers_hostiles as h
from tests.marches.test_analyse import NOTES, Jury, jury, noter, noter_tout, texte_pdf
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db

D = Decimal
S = MarcheSubsequent.Statut


def acte():
    return h.televerse("acte.pdf", lettre_pdf("Acte d'engagement signe"), "application/pdf")


def attribuer(j: Jury, offre=None, **kwargs):
    marche = MarcheSubsequent.objects.get(pk=j.marche.pk)
    atelier = marche.atelier
    kwargs.setdefault("motifs", "Meilleure offre au regard des critères du CCTP.")
    return marche_attribuer(
        marche=marche,
        par=kwargs.pop("par", j.pilote),
        vu=marche.statut,
        offre=offre or j.offres[0],
        accords=kwargs.pop(
            "accords", [atelier.service_pilote, atelier.operateur, *atelier.collectivites.all()]
        ),
        **kwargs,
    )


def notifier(j: Jury, **kwargs):
    marche = MarcheSubsequent.objects.get(pk=j.marche.pk)
    return marche_notifier(
        marche=marche,
        par=kwargs.pop("par", j.pilote),
        vu=marche.statut,
        notifie_le=kwargs.pop("notifie_le", timezone.localdate()),
        acte_engagement=acte(),
    )


def analyse_prete(j: Jury):
    noter_tout(j)
    return rapport_produire(consultation=j.consultation, par=j.pilote, vu=S.EN_ANALYSE)


def jusqu_a(j: Jury, statut, capture):
    """Drive the marché of `j` to `statut` through the services, PDFs rendered."""
    with capture(execute=True):
        analyse_prete(j)
        if statut in (S.ATTRIBUE, S.NOTIFIE):
            attribuer(j)
        if statut == S.NOTIFIE:
            notifier(j)
    return MarcheSubsequent.objects.get(pk=j.marche.pk)


def test_l_attribution_puis_la_notification_font_entrer_l_atelier_en_cadrage(
    django_capture_on_commit_callbacks,
):
    j = jury()
    with django_capture_on_commit_callbacks(execute=True):
        analyse_prete(j)
        mail.outbox.clear()
        marche = attribuer(j)
    assert marche.statut == S.ATTRIBUE and marche.attributaire == j.offres[0].groupement
    attribution = Attribution.objects.get(consultation=j.consultation)
    assert attribution.accords.count() == 3
    destinataires = {m.to[0] for m in mail.outbox}
    assert j.dgaln.email in destinataires and j.porteuse.email in destinataires
    assert not destinataires & {u.email for u in j.membres}
    assert Evenement.objects.filter(code=CodeMarche.ATTRIBUE).count() == 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        marche = notifier(j)
    atelier = Atelier.objects.get(pk=marche.atelier_id)
    assert marche.statut == S.NOTIFIE and marche.notifie_le == timezone.localdate()
    assert atelier.phase == Phase.CADRAGE and atelier.groupement == j.offres[0].groupement
    # Its three sessions, to be planned, come with the cadrage.
    assert [(s.numero, s.statut) for s in atelier.sessions.all()] == [
        (n, "a_planifier") for n in (1, 2, 3)
    ]
    ligne = Evenement.objects.get(code=CodeMarche.NOTIFIE)
    assert (ligne.phase_avant, ligne.phase_apres) == (Phase.MARCHE, Phase.CADRAGE)
    lettres = {lettre.groupement_id: lettre for lettre in Lettre.objects.all()}
    assert lettres[j.offres[0].groupement_id].type == Lettre.Type.NOTIFICATION
    assert {lettres[o.groupement_id].type for o in j.offres[1:]} == {Lettre.Type.REJET}
    assert Attribution.objects.get().acte_engagement is not None
    for i, membre in enumerate(j.membres):
        courriels = [m for m in mail.outbox if m.to == [membre.email]]
        assert len(courriels) == 1
        attendu = "Notification" if i == 0 else "n'est pas retenue"
        assert attendu in courriels[0].subject
    assert not [m for m in mail.outbox if m.to == [j.consulte_sans_offre.email]]
    # The attributaire's users reach the atelier from now on.
    assert j.membres[0].has_perm("ateliers.view_atelier", atelier)
    assert not j.membres[1].has_perm("ateliers.view_atelier", atelier)


def test_la_lettre_de_rejet_dit_les_motifs_l_attributaire_et_les_deux_notes(
    django_capture_on_commit_callbacks,
):
    j = jury()
    jusqu_a(j, S.NOTIFIE, django_capture_on_commit_callbacks)
    lettre = Lettre.objects.get(groupement=j.offres[1].groupement)
    texte = texte_pdf(lettre.document)
    analyse = analyse_de(j.consultation)
    sienne, retenue = analyse.ligne(j.offres[1].pk), analyse.ligne(j.offres[0].pk)
    assert "R. 2181-1" in texte and "R. 2181-3" in texte
    assert j.offres[0].groupement.nom in texte
    assert f"{sienne.resultat.total:.2f}".replace(".", ",") in texte
    assert f"{retenue.resultat.total:.2f}".replace(".", ",") in texte
    assert "Meilleure offre au regard des critères du CCTP." in texte
    assert "classée 2e" in texte


def test_une_autre_offre_que_la_premiere_demande_un_motif_et_le_rapport_a_jour():
    j = jury()
    with pytest.raises(ActionImpossible, match="Produisez le rapport"):
        noter_tout(j)
        attribuer(j)
    rapport_produire(consultation=j.consultation, par=j.pilote, vu=S.EN_ANALYSE)
    with pytest.raises(ActionImpossible, match="classée 2e"):
        attribuer(j, j.offres[1])
    noter(j, j.offres[2], (5, 5, 5), justification="Après l'audition")
    with pytest.raises(ActionImpossible, match="Produisez le rapport"):
        attribuer(j)
    rapport_produire(consultation=j.consultation, par=j.pilote, vu=S.EN_ANALYSE)
    marche = attribuer(j, j.offres[1], motif_ecart="Équipe plus présente sur le territoire.")
    assert marche.attributaire == j.offres[1].groupement
    assert Attribution.objects.get().motif_ecart == "Équipe plus présente sur le territoire."


def test_l_accord_du_pilote_est_requis_et_seuls_les_membres_du_jury_s_accordent():
    j = jury()
    analyse_prete(j)
    atelier = j.marche.atelier
    with pytest.raises(ActionImpossible, match="service pilote est d'accord"):
        attribuer(j, accords=[atelier.operateur])
    with pytest.raises(ActionImpossible, match="membres du jury"):
        attribuer(j, accords=[atelier.service_pilote, j.offres[0].groupement])
    hors_delai = j.offres[2]
    Offre.objects.filter(pk=hors_delai.pk).update(statut=Offre.Statut.HORS_DELAI)
    with pytest.raises(ActionImpossible, match="classable"):
        attribuer(j, Offre.objects.get(pk=hors_delai.pk))


@pytest.mark.parametrize("qui", ["porteuse", "operateur", "dgaln", "autre_collectivite", "membre"])
def test_seul_le_pilote_attribue_et_notifie(qui):
    j = jury()
    analyse_prete(j)
    par = j.membres[0] if qui == "membre" else getattr(j, qui)
    with pytest.raises(PermissionDenied):
        attribuer(j, par=par)
    attribuer(j)
    with pytest.raises(PermissionDenied):
        notifier(j, par=par)


def test_la_notification_a_une_date_entre_l_attribution_et_aujourd_hui():
    j = jury()
    analyse_prete(j)
    attribuer(j)
    for date in (
        timezone.localdate() + datetime.timedelta(days=1),
        timezone.localdate() - datetime.timedelta(days=30),
    ):
        with pytest.raises(ActionImpossible, match="comprise entre"):
            notifier(j, notifie_le=date)
    assert MarcheSubsequent.objects.get(pk=j.marche.pk).statut == S.ATTRIBUE


@pytest.mark.parametrize(
    ("statut", "transitions_refusees"),
    [
        (S.EN_CONSULTATION, ["attribuer", "declarer_infructueux"]),
        (S.ATTRIBUE, ["attribuer", "declarer_infructueux", "relancer"]),
        (S.INFRUCTUEUX, ["attribuer", "notifier"]),
    ],
)
def test_chaque_action_est_refusee_hors_de_son_etat(statut, transitions_refusees):
    j = jury()
    MarcheSubsequent.objects.filter(pk=j.marche.pk).update(
        statut=statut, attributaire=j.offres[0].groupement
    )
    marche = MarcheSubsequent.objects.get(pk=j.marche.pk)
    appels = {
        "attribuer": lambda: attribuer(j),
        "declarer_infructueux": lambda: marche_declarer_infructueux(
            marche=marche, par=j.pilote, vu=statut, motif="Rien"
        ),
        "relancer": lambda: marche_relancer(marche=marche, par=j.pilote, vu=statut),
        "notifier": lambda: notifier(j),
    }
    for transition in transitions_refusees:
        with pytest.raises(ActionImpossible):
            appels[transition]()
    assert MarcheSubsequent.objects.get(pk=j.marche.pk).statut == statut


def test_infructueux_quand_aucune_offre_n_est_acceptable_puis_relance(
    django_capture_on_commit_callbacks,
):
    j = jury()
    marche = MarcheSubsequent.objects.get(pk=j.marche.pk)
    with pytest.raises(ActionImpossible, match="restent classables"):
        marche_declarer_infructueux(marche=marche, par=j.pilote, vu=S.EN_ANALYSE, motif="Trop cher")
    Offre.objects.filter(pk__in=[o.pk for o in j.offres]).update(
        statut=Offre.Statut.INACCEPTABLE, motif="Prix au-delà des crédits disponibles."
    )
    with pytest.raises(PermissionDenied):
        marche_declarer_infructueux(
            marche=marche, par=j.porteuse, vu=S.EN_ANALYSE, motif="Trop cher"
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        marche = marche_declarer_infructueux(
            marche=marche, par=j.pilote, vu=S.EN_ANALYSE, motif="Toutes les offres dépassent."
        )
    assert marche.statut == S.INFRUCTUEUX
    lettres = Lettre.objects.filter(type=Lettre.Type.INFRUCTUEUX)
    assert lettres.count() == 3
    texte = texte_pdf(lettres.get(groupement=j.offres[0].groupement).document)
    assert "Toutes les offres dépassent." in texte and "R. 2181-1" in texte
    assert {m.to[0] for m in mail.outbox} >= {u.email for u in j.membres}
    assert j.consulte_sans_offre.email not in {m.to[0] for m in mail.outbox}
    marche = marche_relancer(marche=marche, par=j.pilote, vu=S.INFRUCTUEUX)
    assert marche.statut == S.EN_PREPARATION
    # The round, its offers and letters stay.
    assert marche.consultations.count() == 1 and Lettre.objects.count() == 3
    assert Atelier.objects.get(pk=marche.atelier_id).phase == Phase.MARCHE


# Pages, by role ---------------------------------------------------------------------------


def _pages_du_jury(j: Jury) -> list[str]:
    m = j.marche.pk
    return [
        reverse("marches:analyse", args=[m]),
        reverse("marches:noter", args=[m, j.offres[0].pk]),
        reverse("marches:noter_collegialement", args=[m, j.offres[0].pk]),
        reverse("marches:attribuer", args=[m]),
    ]


@pytest.mark.parametrize(
    ("qui", "analyse", "noter", "collegial", "attribuer"),
    [
        ("pilote", 200, 200, 200, 200),
        ("porteuse", 200, 200, 403, 403),
        ("operateur", 200, 200, 403, 403),
        ("dgaln", 200, 200, 403, 403),
        ("autre_collectivite", 404, 404, 404, 404),
        ("membre", 404, 404, 404, 404),
    ],
)
def test_les_pages_de_l_analyse_par_role(client, qui, analyse, noter, collegial, attribuer):
    j = jury()
    client.force_login(j.membres[0] if qui == "membre" else getattr(j, qui))
    codes = [client.get(url).status_code for url in _pages_du_jury(j)]
    assert codes == [analyse, noter, collegial, attribuer]


def test_le_jury_note_et_le_pilote_attribue_par_les_pages(client):
    j = jury()
    offre = j.offres[0]
    client.force_login(j.porteuse)
    criteres = [
        c.pk for c in offre.version_cctp.criteres.filter(est_prix=False, parent__isnull=False)
    ]
    donnees = {"vu": S.EN_ANALYSE}
    for pk in criteres:
        donnees[f"note_{pk}"] = "3,5"
        donnees[f"justification_{pk}"] = ""
    reponse = client.post(reverse("marches:noter", args=[j.marche.pk, offre.pk]), donnees)
    assert reponse.status_code == 400
    assert "Justifiez la note" in html.unescape(reponse.text)
    for pk in criteres:
        donnees[f"justification_{pk}"] = "Solide"
    reponse = client.post(
        reverse("marches:noter", args=[j.marche.pk, offre.pk]), donnees, follow=True
    )
    assert "Vos notes de l'offre" in html.unescape(reponse.text)
    client.force_login(j.pilote)
    page = html.unescape(
        client.get(reverse("marches:noter_collegialement", args=[j.marche.pk, offre.pk])).text
    )
    assert j.porteuse.get_full_name() in page and "3,5" in page
    noter_tout(j)
    page = html.unescape(client.get(reverse("marches:analyse", args=[j.marche.pk])).text)
    assert "Produire le rapport d'analyse" in page and "85,00" in page
    client.post(reverse("marches:rapport_produire", args=[j.marche.pk]), {"vu": S.EN_ANALYSE})
    page = html.unescape(client.get(reverse("marches:analyse", args=[j.marche.pk])).text)
    assert "Signer le rapport n° 1" in page
    atelier = j.marche.atelier
    reponse = client.post(
        reverse("marches:attribuer", args=[j.marche.pk]),
        {
            "vu": S.EN_ANALYSE,
            "offre": offre.pk,
            "accords": [atelier.service_pilote_id, atelier.operateur_id],
            "motifs": "Meilleure note technique.",
            "motif_ecart": "",
        },
        follow=True,
    )
    assert f"Marché attribué à {offre.groupement.nom}" in html.unescape(reponse.text)
    reponse = client.post(
        reverse("marches:notifier", args=[j.marche.pk]),
        {
            "vu": S.ATTRIBUE,
            "notifie_le": timezone.localdate().isoformat(),
            "acte_engagement": acte(),
        },
        follow=True,
    )
    assert "L'atelier entre en cadrage" in html.unescape(reponse.text)
    assert MarcheSubsequent.objects.get(pk=j.marche.pk).statut == S.NOTIFIE


def test_la_page_de_l_analyse_coute_autant_de_requetes_avec_6_et_12_offres(client):
    comptes = []
    for nombre in (6, 12):
        j = jury(nombre)
        noter_tout(j)
        for offre in j.offres:
            noter(j, offre, (1, 2, 3), par=j.porteuse, collegiale=False)
        rapport_produire(consultation=j.consultation, par=j.pilote, vu=S.EN_ANALYSE)
        client.force_login(j.pilote)
        comptes.append(nombre_de_requetes(client, reverse("marches:analyse", args=[j.marche.pk])))
    assert comptes[0] == comptes[1]


# Confidentiality (§9) ---------------------------------------------------------------------


def _chiffres(j: Jury, i: int) -> set[str]:
    """What must never reach another groupement than offer i's: its price (HT, TVA, TTC, in
    every way it may print), its total and the points of each of its criteria."""
    offre = Offre.objects.get(pk=j.offres[i].pk)
    ligne = analyse_de(j.consultation).ligne(offre.pk)
    secrets = set()
    for montant in (offre.montant_ht, offre.montant_tva, offre.montant_ttc):
        entier, decimales = f"{montant:.2f}".split(".")
        groupe = f"{int(entier):,}".replace(",", " ")
        secrets |= {f"{groupe},{decimales}", f"{entier}.{decimales}", f"{entier},{decimales}"}
    if ligne.resultat.total is not None:
        secrets.add(f"{ligne.resultat.total:.2f}".replace(".", ","))
    return secrets


def _normaliser(texte: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(texte).replace("\xa0", " ").replace("\u202f", " "))


@pytest.mark.parametrize("statut", [S.EN_ANALYSE, S.ATTRIBUE, S.NOTIFIE])
def test_un_groupement_ne_voit_rien_d_une_autre_offre(
    client, statut, django_capture_on_commit_callbacks
):
    j = jury()
    marche = jusqu_a(j, statut, django_capture_on_commit_callbacks)
    for i, membre in enumerate(j.membres):
        client.force_login(membre)
        lus = []
        for url in [
            reverse("marches:marche", args=[marche.pk]),
            *_pages_du_jury(j),
            reverse("marches:rapport_produire", args=[marche.pk]),
            reverse("marches:notifier", args=[marche.pk]),
        ]:
            reponse = client.get(url)
            assert reponse.status_code == 404, url
        # Its own consultation page: its letter and, once notified, its own result.
        page = client.get(reverse("marches:consultation", args=[j.consultation.pk]))
        assert page.status_code == 200
        lus.append(html.unescape(page.content.decode()))
        assert ("Résultat de votre offre" in lus[-1]) == (statut == S.NOTIFIE)
        assert ("Courriers du service pilote" in lus[-1]) == (statut == S.NOTIFIE)
        rapport = j.consultation.rapports.first()
        reponse = client.get(reverse("documents:telecharger", args=[rapport.document.uuid]))
        assert reponse.status_code == 404
        lettres = list(lettres_du_groupement(j.consultation, membre))
        assert len(lettres) == (1 if statut == S.NOTIFIE else 0)
        for lettre in lettres:
            assert lettre.groupement == j.offres[i].groupement
            telechargement = client.get(
                reverse("documents:telecharger", args=[lettre.document.uuid])
            )
            assert telechargement.status_code == 200
            # What the groupement downloads, read back as text.
            contenu = b"".join(telechargement.streaming_content)
            pages = PdfReader(io.BytesIO(contenu)).pages
            lus.append(" ".join(p.extract_text() for p in pages))
        # The other groupements' letters answer 404 too.
        for autre in Lettre.objects.exclude(groupement=j.offres[i].groupement):
            assert (
                client.get(reverse("documents:telecharger", args=[autre.document.uuid])).status_code
                == 404
            )
        resultat = resultat_du_groupement(j.consultation, membre)
        assert (resultat is not None) == (statut == S.NOTIFIE)
        if resultat is not None:
            from django.template.loader import render_to_string

            lus.append(
                render_to_string("marches/_resultat_groupement.html", {"resultat": resultat})
            )
            assert (
                resultat["rang"] == analyse_de(j.consultation).ligne(j.offres[i].pk).resultat.rang
            )
        courriels = Courriel.objects.filter(destinataire=membre.email)
        lus += [c.sujet + " " + c.corps for c in courriels]
        texte = _normaliser(" ".join(lus))
        for k in range(len(j.offres)):
            if k == i:
                continue
            interdits = _chiffres(j, k)
            if k == 0 and statut == S.NOTIFIE:
                # R. 2181-3: a rejected offer's letter gives the attributaire's scores, never
                # its price.
                interdits = {s for s in interdits if "," not in s or len(s) > 6}
            for secret in interdits:
                assert secret not in texte, (i, k, secret)
        if statut == S.NOTIFIE and i > 0:
            assert j.offres[0].groupement.nom in texte
        # Nothing of the third offer, ever: neither its groupement's name in another's letter.
        tiers = next(k for k in range(3) if k not in (0, i)) if i else 1
        assert j.offres[tiers].groupement.nom not in texte


@pytest.mark.parametrize(
    ("qui", "code"),
    [
        ("pilote", 302),
        ("porteuse", 403),
        ("operateur", 403),
        ("dgaln", 403),
        ("autre_collectivite", 404),
        ("membre", 404),
    ],
)
def test_infructueux_et_relance_par_les_pages_selon_le_role(client, qui, code):
    j = jury()
    Offre.objects.filter(pk__in=[o.pk for o in j.offres]).update(
        statut=Offre.Statut.IRREGULIERE, motif="Pièces manquantes."
    )
    client.force_login(j.membres[0] if qui == "membre" else getattr(j, qui))
    reponse = client.post(
        reverse("marches:declarer_infructueux", args=[j.marche.pk]),
        {"vu": S.EN_ANALYSE, "declarer_infructueux-motif": "Aucune offre régulière."},
    )
    assert reponse.status_code == code
    attendu = S.INFRUCTUEUX if code == 302 else S.EN_ANALYSE
    assert MarcheSubsequent.objects.get(pk=j.marche.pk).statut == attendu
    if code != 302:
        return
    page = html.unescape(client.get(reverse("marches:marche", args=[j.marche.pk])).text)
    assert "Préparer une nouvelle consultation" in page
    assert "Consultation déclarée infructueuse" in page or "Consultation infructueuse" in page
    reponse = client.post(reverse("marches:relancer", args=[j.marche.pk]), {"vu": S.INFRUCTUEUX})
    assert reponse.status_code == 302
    assert MarcheSubsequent.objects.get(pk=j.marche.pk).statut == S.EN_PREPARATION


def test_la_page_du_marche_mene_a_l_analyse_et_montre_les_lettres_au_jury(
    client, django_capture_on_commit_callbacks
):
    j = jury()
    client.force_login(j.porteuse)
    page = html.unescape(client.get(reverse("marches:marche", args=[j.marche.pk])).text)
    assert "Voir l'analyse des offres" in page and "Attribuer le marché" not in page
    client.force_login(j.pilote)
    jusqu_a(j, S.ATTRIBUE, django_capture_on_commit_callbacks)
    page = html.unescape(client.get(reverse("marches:marche", args=[j.marche.pk])).text)
    assert "Notifier le marché" in page
    with django_capture_on_commit_callbacks(execute=True):
        notifier(j)
    page = html.unescape(client.get(reverse("marches:marche", args=[j.marche.pk])).text)
    for offre in j.offres:
        assert offre.groupement.nom in page
    assert "Lettre de rejet de l'offre" in page and "Notification du marché" in page


@pytest.mark.parametrize("qui", ["pilote", "porteuse", "operateur", "dgaln"])
def test_le_jury_et_la_dgaln_lisent_le_rapport_et_les_lettres(
    client, qui, django_capture_on_commit_callbacks
):
    j = jury()
    jusqu_a(j, S.NOTIFIE, django_capture_on_commit_callbacks)
    client.force_login(getattr(j, qui))
    documents = [j.consultation.rapports.get().document] + [
        lettre.document for lettre in Lettre.objects.all()
    ]
    for document in documents:
        reponse = client.get(reverse("documents:telecharger", args=[document.uuid]))
        assert reponse.status_code == 200
        b"".join(reponse.streaming_content)
    client.force_login(j.autre_collectivite)
    for document in documents:
        assert client.get(reverse("documents:telecharger", args=[document.uuid])).status_code == 404


def test_l_acte_d_engagement_se_telecharge_par_le_jury_et_l_attributaire_seul(
    client, django_capture_on_commit_callbacks
):
    j = jury()
    jusqu_a(j, S.NOTIFIE, django_capture_on_commit_callbacks)
    fichier = Attribution.objects.get().acte_engagement
    url = reverse("documents:fichier", args=[fichier.uuid])
    for qui, code in [
        (j.pilote, 200),
        (j.dgaln, 200),
        (j.membres[0], 200),
        (j.membres[1], 404),
        (j.autre_collectivite, 404),
    ]:
        client.force_login(qui)
        reponse = client.get(url)
        assert reponse.status_code == code, qui
        if code == 200:
            b"".join(reponse.streaming_content)


def test_l_attributaire_lit_l_historique_de_l_atelier_sans_les_offres_ni_l_analyse(
    client, django_capture_on_commit_callbacks
):
    from ateliers.models import Evenement
    from marches.services import offre_declarer_irreguliere

    j = jury()
    # The third offer excluded with a reason that must stay the panel's.
    ateliers_services_motif = "Pièce financière non signée par le mandataire"
    offre_declarer_irreguliere(
        offre=j.offres[2], par=j.pilote, vu=j.offres[2].statut, motif=ateliers_services_motif
    )
    with django_capture_on_commit_callbacks(execute=True):
        for offre, valeurs in zip(j.offres[:2], NOTES, strict=False):
            noter(j, offre, valeurs)
        rapport_produire(consultation=j.consultation, par=j.pilote, vu=S.EN_ANALYSE)
        attribuer(j)
        notifier(j)
    marche = MarcheSubsequent.objects.get(pk=j.marche.pk)
    url = reverse("portail:atelier", args=[marche.atelier_id])
    assert Evenement.objects.filter(atelier=marche.atelier, code__startswith="offre.").exists()
    client.force_login(j.pilote)
    pilote = html.unescape(client.get(url).content.decode())
    assert ateliers_services_motif in pilote
    client.force_login(j.membres[0])
    reponse = client.get(url)
    assert reponse.status_code == 200
    page = html.unescape(reponse.content.decode())
    assert "Marché notifié" in page
    for interdit in (
        ateliers_services_motif,
        "Offre enregistrée",
        "Notes collégiales",
        "Rapport d'analyse",
    ):
        assert interdit not in page, interdit
