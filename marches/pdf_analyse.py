"""What the rapport d'analyse des offres and the letters to the groupements print (ADR 0013):
plain values read from their source in a fixed number of queries; the templates query
nothing. A letter carries only what its groupement may read: its own offer's scores, and for
a rejected offer the attributaire's name, scores and the reasons of the choice (R. 2181-3)."""

from decimal import Decimal
from typing import Any

from marches.models import Attribution, Audition, Lettre, MarcheSubsequent, RapportAnalyse
from marches.notation import CENTIEME
from marches.selectors.analyse import LigneOffre, analyse_de, membres_du_jury

REGLE_ARRONDI = (
    "Les points de chaque critère sont arrondis au centième, le demi vers le haut ; le total est "
    "la somme de ces points, sur 100."
)


def _marche(marche: MarcheSubsequent) -> dict[str, Any]:
    atelier = marche.atelier
    return {
        "reference": marche.reference,
        "objet": marche.objet,
        "accord_cadre": f"{marche.accord_cadre.reference} — {marche.accord_cadre.intitule}",
        "atelier": f"{atelier.reference} — {atelier.intitule}",
        "service_pilote": atelier.service_pilote.nom if atelier.service_pilote else "",
        "notifie_le": marche.notifie_le,
        "motif_infructueux": marche.motif_infructueux,
    }


def _scores(ligne: LigneOffre) -> dict[str, Any]:
    """An offer's scores by criterion, with the collegial marks and their justifications."""
    return {
        "groupement": ligne.offre.groupement.nom,
        "total": ligne.resultat.total,
        "rang": ligne.resultat.rang,
        "ex_aequo": ligne.resultat.ex_aequo,
        "exclue": ligne.resultat.exclue,
        "motif_exclusion": ligne.resultat.motif_exclusion,
        "groupes": [
            {
                "libelle": g.critere.libelle,
                "poids": g.critere.poids,
                "points": g.points,
                "sous_criteres": g.cellules[0].critere.pk != g.critere.pk,
                "cellules": [
                    {
                        "libelle": c.critere.libelle,
                        "poids": c.critere.poids,
                        "est_prix": c.critere.est_prix,
                        "points": c.points,
                        "note": c.note.valeur if c.note else None,
                        "justification": c.note.justification if c.note else "",
                    }
                    for c in g.cellules
                ],
            }
            for g in ligne.groupes
        ],
    }


def contexte_rapport_analyse(rapport: RapportAnalyse) -> dict[str, Any]:
    """The rapport d'analyse des offres (pdf/rapport_analyse.html): the consultation's facts,
    each offer's conformity, its marks and justifications per criterion, totals, ranking and
    the panel's proposal."""
    rapport = RapportAnalyse.objects.select_related(
        "consultation__marche__atelier__service_pilote",
        "consultation__marche__atelier__operateur",
        "consultation__marche__accord_cadre",
        "produit_par",
    ).get(pk=rapport.pk)
    consultation = rapport.consultation
    marche = consultation.marche
    analyse = analyse_de(consultation)
    versions = list(consultation.versions_cctp.order_by("numero"))
    offres = []
    for ligne in analyse.lignes:
        offre = ligne.offre
        offres.append(
            {
                **_scores(ligne),
                "recue_le": offre.recue_le,
                "statut": offre.get_statut_display(),
                "motif": offre.motif,
                "montant_ht": offre.montant_ht,
                "montant_tva": offre.montant_tva,
                "montant_ttc": offre.montant_ttc,
                "version": offre.version_cctp.numero,
                "note_maximale": offre.version_cctp.note_maximale,
                "hors_delai": offre.statut == offre.Statut.HORS_DELAI,
            }
        )
    premiers = [_scores(ligne)["groupement"] for ligne in analyse.premiers]
    return {
        "marche": _marche(marche),
        "rapport": {
            "numero": rapport.numero,
            "produit_le": rapport.produit_le,
            "produit_par": rapport.produit_par.get_full_name() if rapport.produit_par else "",
        },
        "consultation": {
            "numero": consultation.numero,
            "reference_place": consultation.reference_place,
            "publiee_le": consultation.publiee_le,
            "date_limite": consultation.date_limite,
            "close_le": consultation.close_le,
            "consultes": sorted(o.nom for o in consultation.consultes.all()),
        },
        "versions": [
            {
                "numero": v.numero,
                "rectificatif": v.rectificatif,
                "formule_prix": v.get_formule_prix_display(),
                "note_maximale": v.note_maximale,
            }
            for v in versions
        ],
        "jury": [o.nom for o in membres_du_jury(marche.atelier)],
        "offres": offres,
        # The hearings' minutes, printed as the panel wrote them (issue 10 §5).
        "auditions": [
            {
                "groupement": a.offre.groupement.nom,
                "date": a.date,
                "participants": a.participants,
                "compte_rendu": a.compte_rendu,
            }
            for a in Audition.objects.filter(offre__consultation=consultation)
            .select_related("offre__groupement")
            .order_by("date")
        ],
        "hors_delai": [o for o in offres if o["hors_delai"]],
        "classement": [o for o in offres if o["rang"] is not None],
        "classement_trie": sorted(
            (o for o in offres if o["rang"] is not None), key=lambda o: o["rang"]
        ),
        "proposition": premiers,
        "regle_arrondi": REGLE_ARRONDI,
    }


def _points(valeur: Decimal | None) -> Decimal | None:
    return None if valeur is None else valeur.quantize(CENTIEME)


def contexte_lettre(lettre: Lettre) -> dict[str, Any]:
    """A letter to one groupement (pdf/lettre_rejet.html, lettre_notification.html,
    lettre_infructueux.html): its own offer, and for a rejection the attributaire's name,
    scores and the reasons of the choice; no other offer's price, marks or rank."""
    lettre = Lettre.objects.select_related(
        "consultation__marche__atelier__service_pilote",
        "consultation__marche__accord_cadre",
        "consultation__marche__attributaire",
        "groupement",
        "offre__version_cctp",
    ).get(pk=lettre.pk)
    consultation = lettre.consultation
    marche = consultation.marche
    offre = lettre.offre
    contexte: dict[str, Any] = {
        "marche": _marche(marche),
        "lettre": {"type": lettre.type, "creee_le": lettre.creee_le},
        "destinataire": lettre.groupement.nom,
        "consultation": {
            "numero": consultation.numero,
            "reference_place": consultation.reference_place,
            "date_limite": consultation.date_limite,
        },
        "offre": {
            "recue_le": offre.recue_le,
            "statut": offre.get_statut_display(),
            "exclue": offre.exclue,
            "motif": offre.motif,
            "montant_ht": offre.montant_ht,
            "montant_tva": offre.montant_tva,
            "montant_ttc": offre.montant_ttc,
            "note_maximale": offre.version_cctp.note_maximale,
        },
    }
    if lettre.type == Lettre.Type.INFRUCTUEUX:
        return contexte
    analyse = analyse_de(consultation)
    sienne = analyse.ligne(offre.pk)
    assert sienne is not None
    contexte["scores"] = _scores(sienne)
    if lettre.type == Lettre.Type.REJET:
        attribution = Attribution.objects.select_related("offre__groupement").get(
            consultation=consultation
        )
        retenue = analyse.ligne(attribution.offre_id)
        assert retenue is not None
        scores = _scores(retenue)
        contexte["attributaire"] = {
            "nom": attribution.offre.groupement.nom,
            "motifs": attribution.motifs,
            # Its scores only: never its price, nor another offer's anything.
            "total": scores["total"],
            "groupes": [
                {
                    "libelle": g["libelle"],
                    "poids": g["poids"],
                    "points": _points(g["points"]),
                }
                for g in scores["groupes"]
            ],
        }
    return contexte
