"""The marchés of the pages' benchmark, from the offers to the payments: offers with their
amounts (TTC = HT + TVA, an exclusion with its motif), renoncements, marks (each justified),
and for a notified marché its rapport, attribution, execution, credits, tranches and payments.
Called by pages_marches.construire_marches, in its transaction."""

import datetime
import hashlib
from decimal import Decimal

JUSTIFICATIONS = (
    "Une méthode d'atelier claire, des sessions préparées avec les acteurs du territoire.",
    "Les enjeux du territoire sont compris et reformulés avec justesse.",
    "Une équipe complète ; les compétences demandées par le CCTP sont toutes présentes.",
)
MOTIF_IRREGULIERE = "La proposition financière ne suit pas le bordereau des prix."
MOTIF_HORS_DELAI = "Offre reçue après la date et l'heure limites de remise des offres."
# The programme's échéancier (marches/demo/donnees.py): label, jalon, share of the TTC.
ECHEANCIER = (
    ("Avance à la notification", "avance", Decimal(30)),
    ("Note de cadrage validée", "note_cadrage", Decimal(20)),
    ("Session 1 tenue", "session_1", Decimal(15)),
    ("Session 2 tenue", "session_2", Decimal(15)),
    ("Session 3 tenue", "session_3", Decimal(10)),
    ("Livrables finaux validés", "livrables_finaux", Decimal(10)),
)
# Tranches paid by the atelier's phase: the avance at notification, then one per milestone.
PAYEES = {
    "cadrage": 1,
    "session_1": 2,
    "session_2": 3,
    "session_3": 4,
    "restitution": 5,
    "cloture": 6,
}
CENTIME = Decimal("0.01")


def _jours(n):
    return datetime.timedelta(days=n)


def construire_offres(
    rng, *, publies, consultations, derniere, notes_de, groupements, marches, pilote
):
    """Each round's offers and what follows them, in bulk."""
    from django.utils import timezone

    from marches.models import (
        Attribution,
        CreditAnnuel,
        Execution,
        MarcheSubsequent,
        NoteOffre,
        Offre,
        Paiement,
        RapportAnalyse,
        Renoncement,
        SignatureRapport,
        Tranche,
    )
    from marches.models.finances import repartir

    S = MarcheSubsequent.Statut
    maintenant = timezone.now()
    aujourd_hui = timezone.localdate()
    # Offers: none or a few while the round is open, three once it is closed; the
    # attributaire's among them. One in ten of the others is irregular, one in twenty late.
    offres = []
    for c, (m, a, statut, _) in zip(consultations, publies, strict=True):
        nombre = m.pk % 3 if statut == S.EN_CONSULTATION else 3
        autres = [g for g in groupements if g.pk != a["groupement_id"]]
        choisis = rng.sample(autres, nombre)
        if statut == S.NOTIFIE:
            choisis[0] = next(g for g in groupements if g.pk == a["groupement_id"])
        for i, g in enumerate(choisis):
            ht = Decimal(85_000 + rng.randrange(0, 15_000))
            tva = (ht * Decimal("0.2")).quantize(CENTIME)
            exclue = i > 0 and statut != S.EN_CONSULTATION and (c.pk + i) % 10 == 0
            tardive = i > 0 and not exclue and (c.pk + i) % 20 == 1
            offres.append(
                Offre(
                    consultation=c,
                    groupement=g,
                    version_cctp=derniere[c.pk],
                    recue_le=min(c.date_limite, maintenant) - _jours(1 + i),
                    statut="irreguliere" if exclue else "hors_delai" if tardive else "recue",
                    motif=MOTIF_IRREGULIERE if exclue else MOTIF_HORS_DELAI if tardive else "",
                    montant_ht=ht,
                    montant_tva=tva,
                    montant_ttc=ht + tva,
                    decomposition=[
                        {"phase": "Cadrage", "montant_ht": str(ht * Decimal("0.15"))},
                        {"phase": "Sessions", "montant_ht": str(ht * Decimal("0.65"))},
                        {
                            "phase": "Livrables et restitution",
                            "montant_ht": str(ht * Decimal("0.2")),
                        },
                    ],
                    enregistree_le=min(c.date_limite, maintenant),
                    enregistree_par=pilote,
                )
            )
    offres = Offre.objects.bulk_create(offres, batch_size=2000)
    par_consultation = {}
    for o in offres:
        par_consultation.setdefault(o.consultation_id, []).append(o)
    Renoncement.objects.bulk_create(
        Renoncement(
            consultation=c,
            groupement=next(
                g
                for g in groupements
                if g.pk not in {o.groupement_id for o in par_consultation.get(c.pk, [])}
            ),
            motif=("plan_de_charge", "delai", "montant", "eloignement")[c.pk % 4],
            le=c.cree_le + _jours(3),
        )
        for c in consultations
    )

    # Marks: collegial ones for every offer analysed of a notified marché; under analysis,
    # the pilot's own marks and the collegial ones of the first offer.
    notes, etat = [], {m.pk: (a, statut) for m, a, statut, _ in publies}
    for c in consultations:
        a, statut = etat[c.marche_id]
        if statut not in (S.EN_ANALYSE, S.NOTIFIE):
            continue
        for rang, o in enumerate(par_consultation.get(c.pk, [])):
            if o.statut != "recue":
                continue
            for i, critere in enumerate(notes_de[o.version_cctp_id]):
                valeur = Decimal(5 if rang == 0 else 3 + (o.pk + i) % 3) - Decimal("0.5") * (i % 2)
                commun = {
                    "offre": o,
                    "critere": critere,
                    "auteur": pilote,
                    "organisation_id": a["service_pilote_id"],
                    "justification": JUSTIFICATIONS[i],
                    "modifiee_le": c.close_le + _jours(2),
                }
                if statut == S.EN_ANALYSE:
                    notes.append(NoteOffre(valeur=valeur - Decimal("0.5"), **commun))
                if statut == S.NOTIFIE or rang == 0:
                    notes.append(NoteOffre(valeur=valeur, collegiale=True, **commun))
    NoteOffre.objects.bulk_create(notes, batch_size=5000)

    # A notified marché: its rapport signed by the pilot, its attribution, its money.
    notifies = [
        (c, etat[c.marche_id][0]) for c in consultations if etat[c.marche_id][1] == S.NOTIFIE
    ]
    rapports = RapportAnalyse.objects.bulk_create(
        (
            RapportAnalyse(
                consultation=c,
                numero=1,
                empreinte=hashlib.sha256(str(c.pk).encode()).hexdigest(),
                produit_le=c.close_le + _jours(10),
                produit_par=pilote,
            )
            for c, _ in notifies
        ),
        batch_size=2000,
    )
    SignatureRapport.objects.bulk_create(
        (
            SignatureRapport(
                rapport=r,
                utilisateur=pilote,
                organisation_id=a["service_pilote_id"],
                signe_le=r.produit_le + _jours(1),
            )
            for r, (_, a) in zip(rapports, notifies, strict=True)
        ),
        batch_size=2000,
    )
    retenue = {
        c.pk: next(o for o in par_consultation[c.pk] if o.groupement_id == a["groupement_id"])
        for c, a in notifies
    }
    attributions = Attribution.objects.bulk_create(
        (
            Attribution(
                consultation=c,
                offre=retenue[c.pk],
                rapport=r,
                motifs="La meilleure valeur technique, à un prix dans l'enveloppe du CCTP.",
                decidee_le=r.produit_le + _jours(2),
                decidee_par=pilote,
            )
            for r, (c, _) in zip(rapports, notifies, strict=True)
        ),
        batch_size=2000,
    )
    Attribution.accords.through.objects.bulk_create(
        (
            Attribution.accords.through(attribution_id=t.pk, organisation_id=a["service_pilote_id"])
            for t, (_, a) in zip(attributions, notifies, strict=True)
        ),
        batch_size=5000,
    )
    marche_de = {m.pk: m for m in marches}
    executions = Execution.objects.bulk_create(
        (
            Execution(
                marche_id=c.marche_id,
                montant_ht=retenue[c.pk].montant_ht,
                montant_tva=retenue[c.pk].montant_tva,
                montant_ttc=retenue[c.pk].montant_ttc,
                numero_ej=f"21{c.marche_id:08d}",
                ouverte_le=maintenant,
                ouverte_par=pilote,
            )
            for c, _ in notifies
        ),
        batch_size=2000,
    )
    credits, tranches = [], []
    for e, (_, a) in zip(executions, notifies, strict=True):
        notifie_le = marche_de[e.marche_id].notifie_le
        cp = (e.montant_ttc * Decimal("0.6")).quantize(Decimal(1))
        credits += [
            CreditAnnuel(marche_id=e.marche_id, annee=notifie_le.year, ae=e.montant_ttc, cp=cp),
            CreditAnnuel(
                marche_id=e.marche_id, annee=notifie_le.year + 1, ae=0, cp=e.montant_ttc - cp
            ),
        ]
        montants = repartir(e.montant_ttc, [p for _, _, p in ECHEANCIER])
        payees = PAYEES[a["phase"]]
        for ordre, ((libelle, jalon, pourcentage), montant) in enumerate(
            zip(ECHEANCIER, montants, strict=True), start=1
        ):
            paye_le = notifie_le + _jours(45 * (ordre - 1) + 10)
            statut = "payee" if ordre <= payees else "exigible" if ordre == payees + 1 else "prevue"
            tranches.append(
                Tranche(
                    execution=e,
                    ordre=ordre,
                    libelle=libelle,
                    jalon=jalon,
                    pourcentage=pourcentage,
                    montant=montant,
                    statut=statut,
                    exigible_le=None
                    if statut == "prevue"
                    else datetime.datetime.combine(
                        paye_le - _jours(10), datetime.time(9), datetime.UTC
                    ),
                    payee_le=min(paye_le, aujourd_hui) if statut == "payee" else None,
                )
            )
    CreditAnnuel.objects.bulk_create(credits, batch_size=5000)
    tranches = Tranche.objects.bulk_create(tranches, batch_size=5000)
    paiements = []
    for t in tranches:
        if t.statut != "payee":
            continue
        # One tranche in five paid in two mandatements.
        parts = (
            [t.montant]
            if t.pk % 5
            else [
                (t.montant / 2).quantize(CENTIME),
                t.montant - (t.montant / 2).quantize(CENTIME),
            ]
        )
        for n, montant in enumerate(parts):
            mandate = t.payee_le - _jours(len(parts) - 1 - n)
            paiements.append(
                Paiement(
                    tranche=t,
                    date_service_fait=mandate - _jours(7),
                    date_mandatement=mandate,
                    montant=montant,
                    enregistre_par=pilote,
                )
            )
    Paiement.objects.bulk_create(paiements, batch_size=5000)
    # What the payment service keeps on each execution: the sum of its payments (a paid
    # tranche is paid in full).
    payes = dict.fromkeys((e.pk for e in executions), Decimal(0))
    for t in tranches:
        if t.statut == "payee":
            payes[t.execution_id] += t.montant
    for e in executions:
        e.montant_paye = payes[e.pk]
    Execution.objects.bulk_update(executions, ["montant_paye"], batch_size=2000)
