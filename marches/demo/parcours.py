"""Le marché de chaque atelier de démonstration, mené par son pilote et son jury par les
services aussi loin que son plan : ouvert, publié, analysé, notifié ; puis daté d'après son
journal."""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.utils import timezone

from ateliers.management.commands.charger_demo import ATELIERS, etaler_dans_le_temps
from ateliers.models import Atelier, Evenement, Phase
from comptes.models import Organisation
from marches.demo.accompagnement import accompagner, dater_l_accompagnement
from marches.demo.donnees import (
    ANALYSE,
    CALENDRIER,
    CONSULTATION,
    DELAI_DEMO,
    JUSTIFICATION,
    NOTES,
    NOTES_RETENUE,
    OFFRES,
    plan_de,
)
from marches.demo.execution import executer
from marches.demo.outils import agent_de, pdf_demo, piece, porteur_du_jury
from marches.models import (
    Attribution,
    CodeAnalyse,
    CodeConsultation,
    CodeMarche,
    CodeOffre,
    Consultation,
    CreditAnnuel,
    Execution,
    Jalon,
    Lettre,
    MarcheSubsequent,
    NoteOffre,
    Offre,
    Paiement,
    PartieCctp,
    QuestionConsultation,
    RapportAnalyse,
    SignatureRapport,
    Tranche,
    VersionCctp,
)
from marches.models.finances import CodeFinances
from marches.selectors import parties_du_cctp
from marches.services import (
    cctp_partie_enregistrer,
    consultation_clore,
    marche_attribuer,
    marche_notifier,
    marche_ouvrir,
    marche_publier,
    offre_enregistrer,
    offre_noter,
    question_enregistrer,
    question_repondre,
    rapport_produire,
    rapport_signer,
)
from marches.services.analyse import criteres_notes


def ouvrir_le_marche(intitule, siren, pilote, etapes, groupement, mois):
    """The pilot opens the marché of an eligible demo atelier whose plan goes further, then
    writes its CCTP, publishes it and records the questions and offers of its plan."""
    atelier = Atelier.objects.filter(intitule=intitule).first()
    if (
        atelier is None
        or "lancer_marche" not in etapes
        or atelier.phase != Phase.ELIGIBLE
        or atelier.marches.exists()
    ):
        return None
    agent = agent_de(pilote)
    if agent is None:
        raise CommandError(f"Aucun compte de démonstration pour « {pilote} » : charger_demo")
    marche = marche_ouvrir(atelier=atelier, par=agent, vu=atelier.phase)
    plan = plan_de(intitule)
    if plan is not None:
        # A deadline falls a day after the publication at the earliest: the marché opened
        # two days ago for now (its journal dates it at last, _dater).
        MarcheSubsequent.objects.filter(pk=marche.pk).update(
            ouvert_le=timezone.now() - datetime.timedelta(days=2)
        )
        publier(marche, plan, par=agent)
    return atelier


def publier(marche, plan, *, par):
    """The CCTP that the opening pre-filled from the note, its calendar written in, then
    published on PLACE to every titulaire of the accord-cadre."""
    for partie in parties_du_cctp(marche):
        if partie.slug == "duree":
            cctp_partie_enregistrer(
                partie=partie,
                valeurs={"calendrier": CALENDRIER},
                version_lue=partie.version,
                par=par,
            )
    publiee_le = timezone.localdate()
    # The offers are received at this moment, before the deadline it starts: stamped when each
    # was recorded, the last one fell after it whenever recording took longer than the delay
    # (a loaded machine), and the demo then tried to mark an offer « hors délai ».
    depart = timezone.now()
    if plan.jusqua == CONSULTATION:
        dans_trois_semaines = timezone.localtime() + datetime.timedelta(weeks=3)
        date_limite = dans_trois_semaines.replace(hour=12, minute=0, second=0, microsecond=0)
    else:
        publiee_le -= datetime.timedelta(days=1)
        date_limite = depart + DELAI_DEMO
    consultation = marche_publier(
        marche=MarcheSubsequent.objects.get(pk=marche.pk),
        par=par,
        vu=MarcheSubsequent.Statut.EN_PREPARATION,
        reference_place=plan.reference_place,
        publiee_le=publiee_le,
        date_limite=date_limite,
    )
    if plan.jusqua == CONSULTATION:
        question = question_enregistrer(
            consultation=consultation,
            question="Les trois sessions peuvent-elles se tenir dans des communes différentes "
            "du territoire ?",
            recue_le=timezone.now(),
            par=par,
        )
        question_repondre(
            question=question,
            reponse="Oui : le service pilote et les collectivités porteuses proposent les "
            "lieux des sessions lors du cadrage ; les frais de salle sont à leur charge.",
            par=par,
        )
    for nom in plan.offres:
        montant_ht, lignes = OFFRES[nom]
        offre_enregistrer(
            consultation=consultation,
            groupement=Organisation.objects.get(nom=nom),
            recue_le=depart,
            montant_ht=montant_ht,
            montant_tva=(montant_ht * Decimal("0.2")).quantize(Decimal("0.01")),
            decomposition=[{"phase": phase, "montant_ht": m} for phase, m in lignes],
            note_methodologique=piece("note_methodologique", "Note méthodologique", nom),
            presentation_competences=piece(
                "presentation_competences", "Présentation des compétences", nom
            ),
            proposition_financiere=piece("proposition_financiere", "Proposition financière", nom),
            par=par,
        )


def analyser(atelier):
    """The remise closed by the pilot, the offers marked by the panel; for a marché whose
    plan goes to notification, the rapport, the attribution to the groupement its atelier's
    plan names, the notification, then the atelier's next steps and, for one, its money."""
    _, _, pilote_nom, etapes, retenue, mois = next(p for p in ATELIERS if p[0] == atelier.intitule)
    plan = plan_de(atelier.intitule)
    pilote = agent_de(pilote_nom)
    if plan is None or pilote is None:
        return
    S = MarcheSubsequent.Statut
    marche = consultation_clore(marche=atelier.marches.get(), par=pilote, vu=S.EN_CONSULTATION)
    consultation = marche.consultations.get()
    offres = list(consultation.offres.select_related("groupement").order_by("recue_le", "pk"))
    porteur = porteur_du_jury(atelier) if plan.jusqua == ANALYSE else None
    for rang, offre in enumerate(offres):
        criteres = criteres_notes(offre)
        valeurs = [
            Decimal(v)
            for v in (
                NOTES_RETENUE if offre.groupement.nom == retenue else NOTES[offre.groupement.nom]
            )
        ]
        notes = {
            c.pk: (v, JUSTIFICATION[i])
            for i, (c, v) in enumerate(zip(criteres, valeurs, strict=True))
        }
        if porteur is not None:
            # Each member's own marks first; the collegial ones are in progress: all of the
            # first offer's, one of the second's, none yet of the third's.
            offre_noter(offre=offre, par=pilote, vu=S.EN_ANALYSE, notes=notes)
            propres = {pk: (max(v - Decimal("0.5"), Decimal(0)), j) for pk, (v, j) in notes.items()}
            offre_noter(offre=offre, par=porteur, vu=S.EN_ANALYSE, notes=propres)
            notes = dict(list(notes.items())[: (3, 1, 0)[min(rang, 2)]])
        if notes:
            offre_noter(offre=offre, par=pilote, vu=S.EN_ANALYSE, notes=notes, collegiale=True)
    if plan.jusqua == ANALYSE:
        return
    rapport = rapport_produire(consultation=consultation, par=pilote, vu=S.EN_ANALYSE)
    rapport_signer(rapport=rapport, par=pilote)
    atelier = Atelier.objects.get(pk=atelier.pk)
    jury = [atelier.service_pilote, atelier.operateur, *atelier.collectivites.all()]
    marche = marche_attribuer(
        marche=MarcheSubsequent.objects.get(pk=marche.pk),
        par=pilote,
        vu=S.EN_ANALYSE,
        offre=next(o for o in offres if o.groupement.nom == retenue),
        accords=[o for o in jury if o is not None],
        motifs="La meilleure valeur technique, à un prix dans l'enveloppe du CCTP : une "
        "méthode d'atelier précise et une équipe complète.",
    )
    marche = marche_notifier(
        marche=marche,
        par=pilote,
        vu=S.ATTRIBUE,
        notifie_le=timezone.localdate(),
        acte_engagement=SimpleUploadedFile(
            "acte_engagement.pdf",
            pdf_demo(f"Acte d'engagement signé — marché {marche.reference} — {retenue}"),
            content_type="application/pdf",
        ),
    )
    execution = executer(marche, pilote, mois) if plan.execution else None
    accompagner(Atelier.objects.get(pk=atelier.pk), pilote, etapes, plan.accompagnement, execution)


def dater(atelier):
    """Spread the atelier's journal over its months, as the others did, then date every
    row of its marché from its journal line (the services dated them « now »)."""
    mois = next(p[5] for p in ATELIERS if p[0] == atelier.intitule)
    etaler_dans_le_temps(atelier, mois)
    lignes = list(Evenement.objects.filter(atelier=atelier).order_by("date", "pk"))
    marche = atelier.marches.get()
    type_atelier = ContentType.objects.get_for_model(Atelier)

    def dates(code):
        return [(e, e.date) for e in lignes if e.code == code]

    def date(code):
        trouvees = dates(code)
        return trouvees[0][1] if trouvees else None

    ouvert, publie = date(CodeMarche.OUVERT), date(CodeMarche.PUBLIE)
    du_marche = [e.date for e in lignes if e.code.startswith("marche.")]
    notifie = date(CodeMarche.NOTIFIE)
    MarcheSubsequent.objects.filter(pk=marche.pk).update(
        ouvert_le=ouvert,
        statut_depuis=du_marche[-1],
        notifie_le=timezone.localdate(notifie) if notifie else None,
    )
    # The atelier's own steps (the sessions) name their phase as the state they changed.
    changements = [
        e.date
        for e in lignes
        if e.phase_apres or (e.objet_type_id == type_atelier.pk and e.etat_apres)
    ]
    Atelier.objects.filter(pk=atelier.pk).update(
        phase_depuis=changements[-1],
        debut_accompagnement=timezone.localdate(notifie) if notifie else None,
    )
    if notifie is not None:
        dater_l_accompagnement(atelier, lignes, notifie)
    if publie is None:
        return
    redige = ouvert + (publie - ouvert) / 2
    PartieCctp.objects.filter(marche=marche, modifie_le__isnull=False).update(modifie_le=redige)
    PartieCctp.history.filter(marche_id=marche.pk).update(history_date=redige)
    consultations = Consultation.objects.filter(marche=marche)
    consultations.update(publiee_le=timezone.localdate(publie), cree_le=publie)
    VersionCctp.objects.filter(marche=marche).update(publiee_le=publie)
    close = date(CodeMarche.CONSULTATION_CLOSE)
    if close is not None:
        consultations.update(close_le=close, date_limite=close - datetime.timedelta(minutes=10))
    for e, le in dates(CodeConsultation.QUESTION_ENREGISTREE):
        QuestionConsultation.objects.filter(pk=e.objet_id).update(
            cree_le=le, recue_le=le - datetime.timedelta(hours=3)
        )
    for e, le in dates(CodeConsultation.REPONSE_PUBLIEE):
        QuestionConsultation.objects.filter(pk=e.objet_id).update(reponse_publiee_le=le)
    for e, le in dates(CodeOffre.ENREGISTREE):
        Offre.objects.filter(pk=e.objet_id).update(recue_le=le, enregistree_le=le)
    for code, collegiale in (
        (CodeAnalyse.NOTES_SAISIES, False),
        (CodeAnalyse.NOTES_COLLEGIALES, True),
    ):
        for e, le in dates(code):
            filtre = {"offre_id": e.objet_id, "auteur_id": e.par_id, "collegiale": collegiale}
            NoteOffre.objects.filter(**filtre).update(modifiee_le=le)
            NoteOffre.history.filter(**filtre).update(history_date=le)
    for e, le in dates(CodeAnalyse.RAPPORT_PRODUIT):
        RapportAnalyse.objects.filter(pk=e.objet_id).update(produit_le=le)
    for e, le in dates(CodeAnalyse.RAPPORT_SIGNE):
        SignatureRapport.objects.filter(rapport_id=e.objet_id, utilisateur_id=e.par_id).update(
            signe_le=le
        )
    attribue = date(CodeMarche.ATTRIBUE)
    if attribue is not None:
        Attribution.objects.filter(consultation__marche=marche).update(decidee_le=attribue)
    if notifie is not None:
        Lettre.objects.filter(consultation__marche=marche).update(creee_le=notifie)
    ouverte = date(CodeFinances.EXECUTION_OUVERTE)
    if ouverte is None:
        return
    Execution.objects.filter(marche=marche).update(ouverte_le=ouverte)
    tranches = Tranche.objects.filter(execution__marche=marche)
    tranches.filter(jalon=Jalon.AVANCE).update(exigible_le=ouverte)
    for e, le in dates(CodeFinances.CREDITS_ENREGISTRES):
        CreditAnnuel.objects.filter(pk=e.objet_id).update(modifie_le=le)
    for e, le in dates(CodeFinances.TRANCHE_EXIGIBLE):
        tranches.filter(pk=e.objet_id).update(exigible_le=le)
    for e, le in dates(CodeFinances.PAIEMENT_ENREGISTRE):
        jour = timezone.localdate(le)
        service_fait = max(jour - datetime.timedelta(days=7), timezone.localdate(notifie))
        paiement = Paiement.objects.get(pk=e.objet_id)
        Paiement.objects.filter(pk=paiement.pk).update(
            enregistre_le=le, date_service_fait=service_fait, date_mandatement=jour
        )
        tranches.filter(pk=paiement.tranche_id, statut=Tranche.Statut.PAYEE).update(payee_le=jour)
