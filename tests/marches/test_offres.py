"""The offers the pilot records from PLACE: one per consulted groupement and round, checked
pieces owned by the offer, amounts and their breakdown, « hors délai » after the deadline, the
CCTP version answered, the conformity decisions and the audition; their pages and table."""

import datetime
import html
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Evenement
from ateliers.services import ActionImpossible
from comptes.models import Courriel
from marches.models import (
    Audition,
    CodeConsultation,
    CodeOffre,
    MarcheSubsequent,
    Offre,
    TypeGroupement,
)
from marches.services import (
    audition_enregistrer,
    offre_declarer_inacceptable,
    offre_declarer_irreguliere,
    offre_demander_regularisation,
    offre_enregistrer,
    offre_regulariser,
)
from tests.comptes.factories import OrganisationFactory, UtilisateurFactory, membre
from tests.documents import fichiers_hostiles as h
from tests.marches.factories import VersionCctpFactory
from tests.marches.test_consultation import (
    consultation_ouverte,
    il_y_a,
    membre_de,
    piece,
    pilote_de_la,
)
from tests.requetes import nombre_de_requetes

pytestmark = pytest.mark.django_db
S = MarcheSubsequent.Statut
O = Offre.Statut  # noqa: E741
PHASES = [
    {"phase": "Cadrage", "montant_ht": Decimal("15000")},
    {"phase": "Sessions", "montant_ht": Decimal("60000")},
    {"phase": "Restitution", "montant_ht": Decimal("20000")},
]


def enregistrer(consultation, groupement, par=None, *, montant_ht="95000", nom="offre", **kwargs):
    """Record an offer of `groupement` with three pieces named after `nom`."""
    montant_ht = Decimal(montant_ht)
    valeurs = {
        "recue_le": il_y_a(hours=1),
        "montant_tva": montant_ht / 5,
        "decomposition": [
            {"phase": "Cadrage", "montant_ht": montant_ht - 80000},
            {"phase": "Sessions", "montant_ht": Decimal(80000)},
        ],
        "note_methodologique": piece(f"{nom}-note.pdf"),
        "presentation_competences": piece(f"{nom}-competences.pdf"),
        "proposition_financiere": piece(f"{nom}-prix.pdf"),
        **kwargs,
    }
    return offre_enregistrer(
        consultation=consultation,
        groupement=groupement,
        montant_ht=montant_ht,
        par=par or pilote_de_la(consultation),
        **valeurs,
    )


def texte_de(reponse):
    """The page's text as read, its non-breaking spaces (in amounts) as plain spaces."""
    return html.unescape(reponse.content.decode()).replace("\xa0", " ").replace("\u202f", " ")


def en_analyse(consultation):
    MarcheSubsequent.objects.filter(pk=consultation.marche_id).update(statut=S.EN_ANALYSE)
    consultation.marche.refresh_from_db()


# Recording


def test_le_pilote_enregistre_une_offre_avec_ses_pieces_et_sa_decomposition():
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    consultation.marche.accord_cadre.titularites.filter(groupement=groupement).update(
        type_groupement=TypeGroupement.SOLIDAIRE
    )
    recue_le = il_y_a(hours=3)
    offre = offre_enregistrer(
        consultation=consultation,
        groupement=groupement,
        recue_le=recue_le,
        montant_ht=Decimal("95000"),
        montant_tva=Decimal("19000"),
        decomposition=PHASES,
        note_methodologique=piece("note.pdf"),
        presentation_competences=piece("competences.pdf"),
        proposition_financiere=piece("prix.pdf"),
        par=pilote_de_la(consultation),
    )
    offre.refresh_from_db()
    assert (offre.statut, offre.montant_ttc, offre.recue_le) == (O.RECUE, Decimal(114000), recue_le)
    assert offre.decomposition == [
        {"phase": "Cadrage", "montant_ht": "15000.00"},
        {"phase": "Sessions", "montant_ht": "60000.00"},
        {"phase": "Restitution", "montant_ht": "20000.00"},
    ]
    assert offre.type_groupement == TypeGroupement.SOLIDAIRE
    assert offre.version_cctp.numero == 1
    for champ, nom in [
        ("note_methodologique", "note.pdf"),
        ("presentation_competences", "competences.pdf"),
        ("proposition_financiere", "prix.pdf"),
    ]:
        fichier = getattr(offre, champ)
        assert (fichier.nom_original, fichier.proprietaire) == (nom, offre)
    (ligne,) = Evenement.objects.all()
    assert (ligne.code, ligne.objet, ligne.atelier) == (
        CodeOffre.ENREGISTREE,
        offre,
        consultation.marche.atelier,
    )
    # The atelier's history, which the attributaire reads once notified, names no team.
    assert groupement.nom not in f"{ligne.libelle} {ligne.commentaire}"


def test_une_offre_recue_apres_la_date_limite_est_hors_delai_et_exclue():
    consultation = consultation_ouverte(date_limite=il_y_a(hours=2))
    en_analyse(consultation)
    offre = enregistrer(consultation, consultation.consultes.first(), recue_le=il_y_a(hours=1))
    assert offre.statut == O.HORS_DELAI and offre.exclue
    assert "après la date et l'heure limites" in offre.motif
    assert not Offre.objects.classables().exists()
    (ligne,) = Evenement.objects.all()
    assert ligne.code == CodeOffre.HORS_DELAI
    # At the deadline's very minute it is still in time.
    a_l_heure = enregistrer(
        consultation, consultation.consultes.last(), recue_le=consultation.date_limite
    )
    assert a_l_heure.statut == O.RECUE


def test_une_offre_par_groupement_consulte_et_par_consultation():
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    enregistrer(consultation, groupement)
    with pytest.raises(ActionImpossible, match="déjà enregistrée"):
        enregistrer(consultation, groupement)
    with pytest.raises(ActionImpossible, match="n'a pas été consulté"):
        enregistrer(consultation, OrganisationFactory(groupement=True))
    assert Offre.objects.count() == 1


def test_la_decomposition_doit_faire_le_montant_ht_et_dit_de_combien():
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    trop = [*PHASES, {"phase": "Imprévus", "montant_ht": Decimal("500.50")}]
    with pytest.raises(ActionImpossible, match="dépasse le montant HT de 500,50 €"):
        enregistrer(consultation, groupement, decomposition=trop)
    with pytest.raises(ActionImpossible, match="est inférieure au montant HT de 15\xa0000 €"):
        enregistrer(consultation, groupement, decomposition=PHASES[1:])
    with pytest.raises(ActionImpossible, match="Ligne 1"):
        enregistrer(consultation, groupement, decomposition=[{"phase": "", "montant_ht": "95000"}])
    assert not Offre.objects.exists()


def test_enregistrer_est_reserve_au_pilote_pendant_la_consultation_et_l_analyse(
    porteuse_de, agent_dgaln
):
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    for user in (porteuse_de(consultation.marche), agent_dgaln, membre_de(groupement)):
        with pytest.raises(PermissionDenied):
            enregistrer(consultation, groupement, par=user)
    for statut in (S.EN_PREPARATION, S.INFRUCTUEUX, S.SANS_SUITE):
        MarcheSubsequent.objects.filter(pk=consultation.marche_id).update(
            statut=statut, motif_sans_suite="Besoin revu"
        )
        with pytest.raises(ActionImpossible, match="pendant la consultation et l'analyse"):
            enregistrer(consultation, groupement)
    en_analyse(consultation)
    assert enregistrer(consultation, groupement).statut == O.RECUE


def test_une_date_de_reception_impossible_est_refusee():
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    with pytest.raises(ActionImpossible, match="futur"):
        enregistrer(consultation, groupement, recue_le=timezone.now() + datetime.timedelta(hours=1))
    with pytest.raises(ActionImpossible, match="avant la publication"):
        enregistrer(consultation, groupement, recue_le=il_y_a(days=10))


def test_l_offre_repond_a_la_version_du_cctp_publiee_a_sa_reception():
    consultation = consultation_ouverte()
    VersionCctpFactory(
        consultation=consultation,
        numero=2,
        rectificatif="Calendrier corrigé",
        publiee_le=il_y_a(hours=5),
    )
    avant = enregistrer(consultation, consultation.consultes.first(), recue_le=il_y_a(hours=6))
    apres = enregistrer(consultation, consultation.consultes.last(), recue_le=il_y_a(hours=4))
    assert (avant.version_cctp.numero, apres.version_cctp.numero) == (1, 2)


# Conformity


def test_le_cycle_de_la_regularisation():
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    membre_du_groupement = membre_de(groupement)
    autre = membre_de(consultation.consultes.last())
    offre = enregistrer(consultation, groupement)
    pilote = pilote_de_la(consultation)
    with pytest.raises(ActionImpossible, match="pendant l'analyse"):
        offre_demander_regularisation(offre=offre, par=pilote, vu=O.RECUE, motif="DC4 manquant")
    en_analyse(consultation)
    with pytest.raises(ActionImpossible, match="motif"):
        offre_demander_regularisation(offre=offre, par=pilote, vu=O.RECUE, motif=" ")
    offre = offre_demander_regularisation(offre=offre, par=pilote, vu=O.RECUE, motif="DC4 manquant")
    assert (offre.statut, offre.motif) == (O.A_REGULARISER, "DC4 manquant")
    (courriel,) = Courriel.objects.filter(gabarit="offre_regularisation")
    assert courriel.destinataire == membre_du_groupement.email != autre.email
    assert "DC4 manquant" in courriel.corps
    with pytest.raises(ActionImpossible, match="maintenant"):
        offre_regulariser(offre=offre, par=pilote, vu=O.RECUE)
    offre = offre_regulariser(offre=offre, par=pilote, vu=O.A_REGULARISER)
    assert (offre.statut, offre.motif) == (O.RECUE, "")
    codes = list(Evenement.objects.order_by("pk").values_list("code", flat=True))
    assert codes == [
        CodeOffre.ENREGISTREE,
        CodeOffre.REGULARISATION_DEMANDEE,
        CodeOffre.REGULARISEE,
    ]


def test_une_offre_declaree_irreguliere_ou_inacceptable_est_exclue_avec_son_motif(porteuse_de):
    consultation = consultation_ouverte()
    premiere = enregistrer(consultation, consultation.consultes.first())
    seconde = enregistrer(consultation, consultation.consultes.last())
    en_analyse(consultation)
    pilote = pilote_de_la(consultation)
    with pytest.raises(PermissionDenied):
        offre_declarer_irreguliere(
            offre=premiere, par=porteuse_de(consultation.marche), vu=O.RECUE, motif="x"
        )
    premiere = offre_declarer_irreguliere(
        offre=premiere, par=pilote, vu=O.RECUE, motif="Pièces non signées"
    )
    seconde = offre_declarer_inacceptable(
        offre=seconde, par=pilote, vu=O.RECUE, motif="Au-delà des crédits"
    )
    assert (premiere.statut, seconde.statut) == (O.IRREGULIERE, O.INACCEPTABLE)
    assert premiere.exclue and seconde.exclue
    with pytest.raises(ActionImpossible):
        offre_demander_regularisation(offre=premiere, par=pilote, vu=O.IRREGULIERE, motif="x")
    assert Evenement.objects.get(code=CodeOffre.IRREGULIERE).commentaire == "Pièces non signées"
    assert Evenement.objects.get(code=CodeOffre.INACCEPTABLE).commentaire == "Au-delà des crédits"
    assert Evenement.objects.count() == 4  # two recorded, two decisions: one line each


def test_l_audition_s_enregistre_pendant_l_analyse_et_se_corrige():
    consultation = consultation_ouverte()
    offre = enregistrer(consultation, consultation.consultes.first())
    pilote = pilote_de_la(consultation)
    valeurs = {"date": il_y_a(hours=2), "participants": "A. Martin (DDT)", "compte_rendu": "Clair."}
    with pytest.raises(ActionImpossible, match="pendant l'analyse"):
        audition_enregistrer(offre=offre, par=pilote, **valeurs)
    en_analyse(consultation)
    audition_enregistrer(offre=offre, par=pilote, **valeurs)
    audition = audition_enregistrer(offre=offre, par=pilote, **{**valeurs, "compte_rendu": "Net."})
    assert Audition.objects.get() == audition and audition.compte_rendu == "Net."
    assert Evenement.objects.filter(code=CodeConsultation.AUDITION).count() == 2
    with pytest.raises(ActionImpossible, match="participants"):
        audition_enregistrer(offre=offre, par=pilote, **{**valeurs, "participants": ""})
    offre_declarer_irreguliere(offre=offre, par=pilote, vu=O.RECUE, motif="Incomplète")
    with pytest.raises(ActionImpossible, match="pas auditionnée"):
        audition_enregistrer(offre=offre, par=pilote, **valeurs)


# Pages


def _formulaire(consultation, groupement, **valeurs):
    hier = timezone.localdate() - datetime.timedelta(days=1)
    donnees = {
        "groupement": groupement.pk,
        "recue_date": hier.isoformat(),
        "recue_heure": "11:45",
        "montant_ht": "95000",
        "montant_tva": "19000",
        "phases-TOTAL_FORMS": "3",
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "12",
        "phases-0-phase": "Cadrage",
        "phases-0-montant_ht": "15000",
        "phases-1-phase": "Sessions",
        "phases-1-montant_ht": "80000",
        "phases-2-phase": "Restitution",
        "phases-2-montant_ht": "",
        "note_methodologique": piece("note.pdf"),
        "presentation_competences": piece("competences.pdf"),
        "proposition_financiere": piece("prix.pdf"),
    }
    donnees.update(valeurs)
    return donnees


def test_le_pilote_enregistre_une_offre_depuis_la_page(client):
    consultation = consultation_ouverte()
    groupement = consultation.consultes.first()
    client.force_login(pilote_de_la(consultation))
    url = reverse("marches:offre_enregistrer", args=[consultation.marche.pk])
    page = client.get(reverse("marches:marche", args=[consultation.marche.pk]))
    assert url in page.text
    formulaire = client.get(url)
    texte = html.unescape(formulaire.text)
    assert "PDF, ODT, DOCX, XLSX ou ODS, 20 Mo au plus" in texte and "Lancement et cadrage" in texte
    reponse = client.post(
        url, _formulaire(consultation, groupement, **{"phases-1-montant_ht": "79000"})
    )
    assert reponse.status_code == 400
    assert "est inférieure au montant HT de 1 000 €" in texte_de(reponse)
    reponse = client.post(
        url, _formulaire(consultation, groupement, note_methodologique=pas_un_pdf())
    )
    assert reponse.status_code == 400 and not Offre.objects.exists()
    # The bordereau des prix comes from PLACE as the groupement filled it: a spreadsheet.
    bordereau = h.televerse("bordereau.xlsx", h.xlsx())
    reponse = client.post(
        url, _formulaire(consultation, groupement, proposition_financiere=bordereau), follow=True
    )
    texte = texte_de(reponse)
    assert f"Offre de {groupement.nom} enregistrée : 95 000 € HT, 114 000 € TTC." in texte
    offre = Offre.objects.get()
    assert timezone.localtime(offre.recue_le).strftime("%H:%M") == "11:45"
    assert offre.decomposition == [
        {"phase": "Cadrage", "montant_ht": "15000.00"},
        {"phase": "Sessions", "montant_ht": "80000.00"},
    ]
    tableau = texte.split('id="offres"')[1]
    assert "114 000 €" in tableau and groupement.nom in tableau


def pas_un_pdf():
    return h.televerse("note.pdf", b"ceci n'est pas un pdf", "application/pdf")


@pytest.mark.parametrize("role", ["porteuse", "dgaln", "groupement", "autre_collectivite"])
def test_la_page_d_enregistrement_est_refusee_aux_autres(client, role, porteuse_de, agent_dgaln):
    consultation = consultation_ouverte()
    marche = consultation.marche
    user, code = {
        "porteuse": (porteuse_de(marche), 403),
        "dgaln": (agent_dgaln, 403),
        "groupement": (membre_de(consultation.consultes.first()), 404),
        "autre_collectivite": (membre(), 404),
    }[role]
    client.force_login(user)
    url = reverse("marches:offre_enregistrer", args=[marche.pk])
    assert client.get(url).status_code == code
    assert (
        client.post(url, _formulaire(consultation, consultation.consultes.first())).status_code
        == code
    )
    assert not Offre.objects.exists()


def test_le_pilote_demande_une_regularisation_depuis_la_page(client, porteuse_de):
    consultation = consultation_ouverte()
    offre = enregistrer(consultation, consultation.consultes.first())
    en_analyse(consultation)
    marche = consultation.marche
    url = reverse("marches:offre_demander_regularisation", args=[marche.pk, offre.pk])
    client.force_login(porteuse_de(marche))
    assert client.get(url).status_code == 403
    client.force_login(pilote_de_la(consultation))
    page = client.get(reverse("marches:marche", args=[marche.pk]))
    assert url in page.text
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "Le groupement sera invité à régulariser" in html.unescape(confirmation.text)
    prefixe = "demander_regularisation-motif"
    assert client.post(url, {"vu": O.RECUE, prefixe: ""}).status_code == 400
    reponse = client.post(url, {"vu": O.RECUE, prefixe: "Attestation manquante"}, follow=True)
    assert "le groupement en est prévenu par courriel" in html.unescape(reponse.text)
    offre.refresh_from_db()
    assert offre.statut == O.A_REGULARISER
    url = reverse("marches:offre_regulariser", args=[marche.pk, offre.pk])
    client.post(url, {"vu": O.A_REGULARISER, "regulariser-motif": "Reçue le 3"})
    offre.refresh_from_db()
    assert offre.statut == O.RECUE
    url = reverse("marches:offre_declarer_irreguliere", args=[marche.pk, offre.pk])
    client.post(url, {"vu": O.RECUE, "declarer_irreguliere-motif": "Incomplète"})
    offre.refresh_from_db()
    assert offre.statut == O.IRREGULIERE
    # An excluded offer no longer offers these decisions.
    reponse = client.get(url, follow=True)
    assert "Cette action n'est pas possible" in html.unescape(reponse.text)


def test_le_pilote_enregistre_une_audition_depuis_la_page(client):
    consultation = consultation_ouverte()
    offre = enregistrer(consultation, consultation.consultes.first())
    marche = consultation.marche
    client.force_login(pilote_de_la(consultation))
    url = reverse("marches:audition", args=[marche.pk, offre.pk])
    assert client.get(url, follow=True).redirect_chain  # not during the consultation
    en_analyse(consultation)
    assert client.get(url).status_code == 200
    hier = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    reponse = client.post(
        url,
        {
            "tenue_date": hier,
            "tenue_heure": "14:00",
            "participants": "Lou Essai (DDT)",
            "compte_rendu": "Méthode solide.",
        },
        follow=True,
    )
    assert "enregistrée : elle figurera au rapport" in html.unescape(reponse.text)
    assert Audition.objects.get(offre=offre).compte_rendu == "Méthode solide."


def test_les_pieces_se_telechargent_par_le_jury_la_dgaln_et_leur_groupement(
    client, porteuse_de, agent_dgaln
):
    consultation = consultation_ouverte()
    premier, second = consultation.consultes.all()[:2]
    offre = enregistrer(consultation, premier)
    url = reverse("documents:fichier", args=[offre.note_methodologique.uuid])
    for user, code in [
        (pilote_de_la(consultation), 200),
        (porteuse_de(consultation.marche), 200),
        (agent_dgaln, 200),
        (membre_de(premier), 200),
        (membre_de(second), 404),
        (membre(), 404),
        (membre(ddt=True), 404),
    ]:
        client.force_login(user)
        reponse = client.get(url)
        assert reponse.status_code == code, user
        if code == 200:
            b"".join(reponse.streaming_content)


def test_le_tableau_des_offres_par_role(client, porteuse_de, agent_dgaln):
    consultation = consultation_ouverte()
    offre = enregistrer(consultation, consultation.consultes.first(), montant_ht="87500")
    en_analyse(consultation)
    marche = consultation.marche
    url = reverse("marches:marche", args=[marche.pk])
    action = reverse("marches:offre_declarer_irreguliere", args=[marche.pk, offre.pk])
    operateur = OrganisationFactory(operateur=True)
    marche.atelier.operateur = operateur
    marche.atelier.save()
    for user, montre, agit in [
        (pilote_de_la(consultation), True, True),
        (porteuse_de(marche), True, False),
        (UtilisateurFactory(organisations=[operateur]), True, False),
        (agent_dgaln, True, False),
    ]:
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        assert ("87 500 €" in texte_de(page)) is montre, user
        assert (action in page.text) is agit, user
    for user in (membre_de(consultation.consultes.first()), membre()):
        client.force_login(user)
        assert client.get(url).status_code == 404


def _offres(consultation, n, pilote):
    """n more offers during the analysis, one in three auditioned, one in three irregular."""
    groupements = list(consultation.consultes.exclude(offres__consultation=consultation)[:n])
    for rang, groupement in enumerate(groupements):
        offre = enregistrer(consultation, groupement, par=pilote, montant_ht=str(90000 + rang))
        if rang % 3 == 1:
            audition_enregistrer(
                offre=offre, date=il_y_a(hours=1), participants="x", compte_rendu="y", par=pilote
            )
        elif rang % 3 == 2:
            offre_declarer_irreguliere(offre=offre, par=pilote, vu=O.RECUE, motif="Incomplète")


def test_le_tableau_des_offres_en_requetes_constantes(client):
    consultation = consultation_ouverte(groupements=12)
    en_analyse(consultation)
    pilote = pilote_de_la(consultation)
    client.force_login(pilote)
    url = reverse("marches:marche", args=[consultation.marche.pk])
    _offres(consultation, 6, pilote)
    avant = nombre_de_requetes(client, url)
    _offres(consultation, 6, pilote)
    assert Offre.objects.count() == 12
    assert nombre_de_requetes(client, url) == avant
    assert "12 offres enregistrées" in html.unescape(client.get(url).text)
