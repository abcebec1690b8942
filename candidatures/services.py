"""Every write on pré-candidatures and candidatures."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from ateliers.models import Phase
from ateliers.selectors import courriels_porteurs, organisation_au_titre_de
from ateliers.services import (
    ActionImpossible,
    atelier_creer,
    etat_verifier,
    journal_ecrire,
    transition_appliquer,
)
from candidatures.models import (
    DEPOSER,
    INSTRUIRE,
    Annotation,
    Candidature,
    Contact,
    Courrier,
    Decision,
    DemandeAvis,
    DynamiquesAmenagement,
    DynamiquesTerritoire,
    Localisation,
    Message,
    Objectifs,
    Objet,
    Porteurs,
    PreCandidature,
    Ressources,
    VersionCandidature,
)
from candidatures.parties import PARTIE_DU_MODELE
from candidatures.selectors import (
    DOSSIER_GABARIT,
    candidature_de,
    contenu_du_dossier,
    courriers_actuels,
    donnees_courriers,
    experts_possibles,
    fichiers_des_versions,
    gabarit_courrier,
    pieces_a_completer_possibles,
    pieces_manquantes,
    version_courrier,
)
from comptes.models import Organisation, Role
from comptes.selectors import courriels_dgaln, profil
from comptes.services import courriel_ecrire_depuis_gabarit
from documents.models import FichierDepose
from documents.services import document_demander, fichier_deposer, fichier_retirer
from documents.verification import Usage, Verification, verifier


def _lien_vers(nom, *args):
    """An absolute link for an e-mail."""
    return settings.PORTAIL_URL + reverse(nom, args=args)


def _lien(atelier):
    return _lien_vers("ateliers:detail", atelier.pk)


def _collectivites_des_epci(epcis):
    """The portal's organisation for each EPCI, created from the referential when missing."""
    collectivites = []
    for epci in epcis:
        organisation, _ = Organisation.objects.get_or_create(
            siren=epci.siren,
            defaults={
                "nom": epci.nom,
                "type": Organisation.Type.EPCI,
                "departement": epci.departement,
            },
        )
        collectivites.append(organisation)
    return collectivites


@transaction.atomic
def precandidature_ouvrir(
    *,
    par,
    intitule,
    departements,
    epcis,
    communes,
    service_pilote,
    operateur,
    intention,
    thematiques,
    contacts,
):
    """Open a pré-candidature: the atelier is created and DGALN is told by e-mail. The chosen
    EPCI, and the collectivité of a collectivité's agent who opens it, become its porteuses."""
    siennes = [o for o in profil(par).organisations if o.role == Role.COLLECTIVITE]
    porteuses = {o.pk: o for o in [*siennes, *_collectivites_des_epci(epcis)]}
    atelier = atelier_creer(
        intitule=intitule,
        departements=departements,
        epcis=epcis,
        communes=communes,
        par=par,
        collectivites=list(porteuses.values()),
        service_pilote=service_pilote,
        operateur=operateur,
    )
    precandidature = PreCandidature.objects.create(atelier=atelier, intention=intention)
    precandidature.thematiques.set(thematiques)
    Contact.objects.bulk_create(Contact(precandidature=precandidature, **c) for c in contacts)
    courriel_ecrire_depuis_gabarit(
        gabarit="precandidature_ouverte",
        contexte={"par": par, "atelier": atelier, "lien": _lien(atelier)},
        destinataires=courriels_dgaln(),
    )
    return atelier


def precandidature_confirmer(*, atelier, par, vu):
    """DGALN confirms the opportunity: the candidature opens and the porteurs are told."""
    with transaction.atomic():
        atelier = transition_appliquer(
            objet=atelier, transition="confirmer_opportunite", par=par, vu=vu
        )
        candidature_ouvrir(atelier=atelier)
        courriel_ecrire_depuis_gabarit(
            gabarit="opportunite_confirmee",
            contexte={"atelier": atelier, "lien": _lien(atelier)},
            destinataires=courriels_porteurs(atelier),
        )
    return atelier


def precandidature_decliner(*, atelier, par, vu, motif):
    """DGALN declines the opportunity: the atelier ends, with its reason told to the porteurs."""
    with transaction.atomic():
        atelier = transition_appliquer(
            objet=atelier, transition="decliner_opportunite", par=par, vu=vu, motif=motif
        )
        courriel_ecrire_depuis_gabarit(
            gabarit="opportunite_declinee",
            contexte={"atelier": atelier, "lien": _lien(atelier)},
            destinataires=courriels_porteurs(atelier),
        )
    return atelier


def candidature_ouvrir(*, atelier):
    """Open the candidature of a confirmed atelier with every part of its note, pre-filled from
    the atelier and its pré-candidature (title, themes, porteurs), so that nobody starts from a
    blank page."""
    candidature = Candidature.objects.create(atelier=atelier)
    precandidature = PreCandidature.objects.filter(atelier=atelier).first()
    for partie, multiples in _parties_preremplies(atelier, candidature, precandidature):
        _sauver_partie(partie, multiples)
    return candidature


def _parties_preremplies(atelier, candidature, precandidature):
    """Each part of the note, unsaved, with what the portal already knows, and its
    many-to-many values."""
    collectivites = [
        {"organisation": o.nom, "siren": o.siren or ""} for o in atelier.collectivites.all()
    ]
    epcis = list(atelier.epcis.all())
    populations = [e.population for e in epcis]
    # The EPCI's population is the perimeter's only when the atelier covers them whole.
    population = (
        sum(populations)
        if epcis and not atelier.communes.strip() and None not in populations
        else None
    )
    return [
        (
            Porteurs(
                candidature=candidature,
                collectivites=collectivites,
                service_pilote=atelier.service_pilote.nom if atelier.service_pilote else "",
                operateur=atelier.operateur.nom if atelier.operateur else "",
            ),
            {},
        ),
        (
            Localisation(candidature=candidature, communes=atelier.communes, population=population),
            {"departements": atelier.departements.all(), "epcis": epcis},
        ),
        (
            Objet(candidature=candidature, titre=atelier.intitule),
            {"thematiques": precandidature.thematiques.all() if precandidature else []},
        ),
        (Objectifs(candidature=candidature), {}),
        (Ressources(candidature=candidature), {}),
        (DynamiquesTerritoire(candidature=candidature), {}),
        (DynamiquesAmenagement(candidature=candidature), {}),
    ]


def _deposer(fichier, usage, candidature, par):
    """Store an upload for the candidature, whose readers are the file's readers; the form
    usually checked it already (FichierField), else it is checked here."""
    verification = getattr(fichier, "verification", None)
    if not isinstance(verification, Verification) or verification.usage != usage:
        fichier.verification = verifier(fichier, usage=usage)
    depose = fichier_deposer(fichier=fichier, par=par, proprietaire=candidature, usage=usage)
    return depose, fichier.verification


def _retirer(candidature, fichiers):
    """Take out of use the files a part or a letter no longer points at, except those a
    deposited version names: they stay what DGALN received."""
    fichiers = [f for f in fichiers if f is not None]
    if not fichiers:
        return
    deposes = fichiers_des_versions([candidature.pk])
    for fichier in fichiers:
        if fichier.pk not in deposes:
            fichier_retirer(fichier=fichier)


def _attacher(partie, nom, valeur, candidature, par):
    """A file field: an upload replaces the file, None withdraws it."""
    ancien = getattr(partie, nom)
    if valeur is None:
        partie.attacher_fichier(nom, None, None)
    elif isinstance(valeur, UploadedFile):
        depose, verification = _deposer(valeur, partie.FICHIERS[nom], candidature, par)
        partie.attacher_fichier(nom, depose, verification)
    else:
        raise TypeError(f"{nom} : un fichier téléversé ou None est attendu.")
    _retirer(candidature, [ancien])


def _lignes_avec_fichiers(partie, nom, lignes, candidature, par):
    """The rows of a block, each upload deposited and replaced by its uuid; a uuid kept from
    an earlier save stays only if it is one of this candidature's files."""
    gardes = {
        str(u)
        for u in FichierDepose.objects.filter(
            proprietaire_type=ContentType.objects.get_for_model(Candidature),
            proprietaire_id=str(candidature.pk),
            uuid__in=[v for ligne in lignes for v in ligne.values() if _est_uuid(v)],
        ).values_list("uuid", flat=True)
    }
    resultat = []
    for ligne in lignes:
        ligne = dict(ligne)
        for cle, valeur in ligne.items():
            if isinstance(valeur, UploadedFile):
                depose, _ = _deposer(valeur, partie.FICHIERS[nom], candidature, par)
                ligne[cle] = str(depose.uuid)
            elif _est_uuid(valeur) and valeur not in gardes:
                ligne[cle] = ""
        resultat.append(ligne)
    apres = {v for ligne in resultat for v in ligne.values() if _est_uuid(v)}
    avant = {v for ligne in getattr(partie, nom) for v in ligne.values() if _est_uuid(v)}
    _retirer(
        candidature,
        FichierDepose.objects.filter(
            proprietaire_type=ContentType.objects.get_for_model(Candidature),
            proprietaire_id=str(candidature.pk),
            uuid__in=avant - apres,
        ),
    )
    return resultat


def _est_uuid(valeur):
    try:
        return isinstance(valeur, str) and str(uuid.UUID(valeur)) == valeur
    except ValueError:
        return False


def _sauver_partie(partie, multiples):
    """Save a part and its many-to-many values as ONE history record: left alone,
    simple_history would write one for the row and one more for each many-to-many change."""
    partie.skip_history_when_saving = True
    try:
        if partie.pk is None:
            partie.save()
        for nom, valeurs in multiples.items():
            getattr(partie, nom).set(valeurs)
    finally:
        del partie.skip_history_when_saving
    partie.save()


class ConflitDeVersion(Exception):
    """Someone saved this part since the user loaded it; `actuelle` is what is saved now."""

    def __init__(self, actuelle):
        super().__init__("Cette partie a été modifiée entre-temps.")
        self.actuelle = actuelle


@transaction.atomic
def partie_enregistrer(*, partie, champs, version_lue, par):
    """Save a part of the note as a draft (complete or not) if nobody saved it since
    `version_lue`; otherwise raise ConflitDeVersion and change nothing. Its history keeps who
    changed what and when."""
    partie = type(partie).objects.select_for_update().get(pk=partie.pk)
    candidature = Candidature.objects.get(pk=partie.candidature_id)
    _refuser_si_non_modifiable(candidature, PARTIE_DU_MODELE[type(partie)].slug)
    if partie.version != version_lue:
        raise ConflitDeVersion(partie)
    multiples = {}
    for nom, valeur in champs.items():
        if partie._meta.get_field(nom).many_to_many:
            multiples[nom] = valeur
        elif nom in partie.FICHIERS and isinstance(valeur, list):
            setattr(partie, nom, _lignes_avec_fichiers(partie, nom, valeur, candidature, par))
        elif nom in partie.FICHIERS:
            _attacher(partie, nom, valeur, candidature, par)
        else:
            setattr(partie, nom, valeur)
    partie.version += 1
    partie.modifie_le, partie.modifie_par = timezone.now(), par
    partie._history_user = par
    _sauver_partie(partie, multiples)
    return partie


def _candidature_verrouillee(candidature):
    return Candidature.objects.select_related("atelier").select_for_update().get(pk=candidature.pk)


def _refuser_si_non_modifiable(candidature, cle):
    """Refuse a write on the part (slug) or letter (type) `cle` the candidature keeps closed."""
    if candidature.piece_modifiable(cle):
        return
    if candidature.statut == Candidature.Statut.COMPLEMENTS_DEMANDES:
        raise ActionImpossible(
            "Seules les pièces demandées en complément par la DGALN sont modifiables."
        )
    raise ActionImpossible(
        f"La candidature est « {candidature.get_statut_display()} » : elle n'est plus modifiable."
    )


@transaction.atomic
def courrier_deposer(*, candidature, type_courrier, fichier, par):
    """Store a signed letter (a checked PDF) while the candidature is being drafted; the letter
    it replaces is kept, dated, its file no longer served unless a deposited version holds it,
    and the journal says which one was deposited or replaced."""
    candidature = _candidature_verrouillee(candidature)
    type_courrier = Courrier.Type(type_courrier)
    _refuser_si_non_modifiable(candidature, type_courrier)
    precedent = courriers_actuels(candidature).get(type_courrier)
    depose = fichier_deposer(
        fichier=fichier, par=par, proprietaire=candidature, usage=Usage.COURRIER_SIGNE
    )
    maintenant = timezone.now()
    if precedent is not None:
        precedent.remplace_le = maintenant
        precedent.save(update_fields=["remplace_le"])
        _retirer(candidature, [precedent.fichier])
    courrier = Courrier.objects.create(
        candidature=candidature,
        type=type_courrier,
        fichier=depose,
        depose_le=maintenant,
        depose_par=par,
    )
    journal_ecrire(
        objet=courrier,
        atelier=candidature.atelier,
        par=par,
        libelle=f"{type_courrier.label} {'remplacée' if precedent else 'déposée'}",
        commentaire=f"Fichier « {depose.nom_original} »"
        + (f", à la place de « {precedent.fichier.nom_original} »" if precedent else ""),
    )
    return courrier


def courrier_demander_modele(*, candidature, type_courrier, par):
    """Ask for the model letter of this type, pre-filled from the note as it stands now;
    rendered once per state of the data it prints."""
    type_courrier = Courrier.Type(type_courrier)
    donnees = donnees_courriers(candidature)
    return document_demander(
        source=candidature,
        gabarit=gabarit_courrier(type_courrier),
        titre=f"Modèle — {type_courrier.label} — {candidature.atelier.reference}",
        version=version_courrier(donnees),
        par=par,
    )


class DossierIncomplet(ActionImpossible):
    """The dossier lacks something; `manquants` says what (see selectors.pieces_manquantes)."""

    def __init__(self, manquants):
        self.manquants = manquants
        super().__init__(
            "La candidature ne peut pas encore être déposée. Il manque : "
            + " ; ".join(m["libelle"] for m in manquants)
            + "."
        )


def candidature_deposer(*, candidature, par, vu, commentaire=""):
    """Deposit the complete dossier, in one transaction: the candidature becomes « déposée »,
    its content is frozen as the next numbered version, the atelier moves to instruction (on
    the first dépôt only), then DGALN is told by e-mail and the dossier PDF (the note and the
    signed letters) is rendered once committed."""
    with transaction.atomic():
        candidature = _candidature_verrouillee(candidature)
        if not par.has_perm(DEPOSER, candidature):
            raise PermissionDenied("Seuls les porteurs de l'atelier déposent la candidature.")
        candidature = candidature_de(candidature.atelier)
        courriers = courriers_actuels(candidature)
        manquants = pieces_manquantes(candidature, courriers=courriers)
        if manquants:
            raise DossierIncomplet(manquants)
        atelier = candidature.atelier
        if atelier.phase not in (Phase.CANDIDATURE, Phase.INSTRUCTION):
            # A re-dépôt finds the atelier in instruction already; any other phase (abandoned…)
            # means the dossier has nowhere to go.
            raise ActionImpossible(
                f"L'atelier est à l'étape « {atelier.get_phase_display()} » : la candidature "
                "ne peut pas être déposée."
            )
        numero = (candidature.versions.aggregate(n=Max("numero"))["n"] or 0) + 1
        transition_appliquer(
            objet=candidature,
            transition="deposer",
            par=par,
            vu=vu,
            atelier=atelier,
            commentaire=commentaire.strip() or f"Version {numero}",
        )
        dans_l_ordre = [courriers[t] for t in Courrier.Type]
        version = VersionCandidature.objects.create(
            candidature=candidature,
            numero=numero,
            depose_par=par,
            contenu=contenu_du_dossier(candidature, dans_l_ordre),
        )
        if atelier.phase == Phase.CANDIDATURE:
            atelier = transition_appliquer(objet=atelier, transition="deposer", par=par, vu=None)
        document_demander(
            source=version,
            gabarit=DOSSIER_GABARIT,
            titre=f"Dossier de candidature {atelier.reference} — version {numero}",
            version=numero,
            par=par,
            annexes=[(c.get_type_display(), c.fichier) for c in dans_l_ordre],
        )
        courriel_ecrire_depuis_gabarit(
            gabarit="candidature_deposee",
            contexte={"par": par, "atelier": atelier, "numero": numero, "lien": _lien(atelier)},
            destinataires=courriels_dgaln(),
        )
    return version


def _message_creer(*, candidature, par, texte):
    """A message of the thread, signed by its author for the organisation they act for."""
    return Message.objects.create(
        candidature=candidature,
        auteur=par,
        organisation=organisation_au_titre_de(par, candidature.atelier),
        de_la_dgaln=profil(par).est_dgaln,
        texte=texte,
    )


@transaction.atomic
def message_envoyer(*, candidature, par, texte, pieces=()):
    """Add a message to the candidature's thread, its attachments checked and stored with it;
    the other side (the porteurs, or DGALN) is told by e-mail with a link, never the files."""
    atelier = candidature.atelier
    message = _message_creer(candidature=candidature, par=par, texte=texte)
    de_la_dgaln = message.de_la_dgaln
    for piece in pieces:
        fichier_deposer(fichier=piece, par=par, proprietaire=message, usage=Usage.RESSOURCE)
    courriel_ecrire_depuis_gabarit(
        gabarit="message_nouveau",
        contexte={
            "par": par,
            "atelier": atelier,
            "pieces": len(pieces),
            "lien": _lien_vers("candidatures:echanges", atelier.pk),
        },
        destinataires=courriels_porteurs(atelier) if de_la_dgaln else courriels_dgaln(),
    )
    return message


def annotation_ecrire(*, candidature, par, texte):
    """Keep a DGALN-only note on the candidature."""
    return Annotation.objects.create(candidature=candidature, auteur=par, texte=texte)


@transaction.atomic
def avis_demander(*, candidature, par, expert, question):
    """Ask a colleague for an opinion on the dossier; they are told by e-mail and find it in
    their « à traiter ». Never one of the atelier's porteurs, who do not see avis."""
    if not par.has_perm(INSTRUIRE, candidature):
        raise PermissionDenied("Seule la DGALN demande l'avis d'un collègue.")
    if not experts_possibles(candidature=candidature, sauf=par).filter(pk=expert.pk).exists():
        raise ActionImpossible(
            "Ce collègue ne peut pas donner d'avis sur cette candidature : les porteurs de "
            "l'atelier ne voient pas les avis. Choisissez un agent de la DGALN ou d'un autre "
            "service de l'État."
        )
    demande = DemandeAvis.objects.create(
        candidature=candidature, demandeur=par, expert=expert, question=question
    )
    atelier = candidature.atelier
    courriel_ecrire_depuis_gabarit(
        gabarit="avis_demande",
        contexte={
            "par": par,
            "atelier": atelier,
            "lien": _lien_vers("candidatures:avis", demande.pk),
        },
        destinataires=[expert.email],
    )
    return demande


@transaction.atomic
def avis_rendre(*, demande, par, avis):
    """The colleague gives the opinion asked; the asker is told. Given once."""
    demande = DemandeAvis.objects.select_for_update().get(pk=demande.pk)
    if demande.rendu:
        raise ActionImpossible("Cet avis a déjà été rendu.")
    demande.avis, demande.rendu_le = avis, timezone.now()
    demande.save(update_fields=["avis", "rendu_le"])
    atelier = demande.candidature.atelier
    if demande.demandeur is not None:
        courriel_ecrire_depuis_gabarit(
            gabarit="avis_rendu",
            contexte={
                "par": par,
                "atelier": atelier,
                "lien": _lien_vers("candidatures:instruction", atelier.pk),
            },
            destinataires=[demande.demandeur.email],
        )
    return demande


def candidature_suivre(*, candidature, par, vu):
    """A DGALN agent follows the dossier (taking it over from a colleague if need be) if it is
    still at the step `vu` they saw; a dossier just deposited goes « en instruction »."""
    if not par.has_perm(INSTRUIRE, candidature):
        raise PermissionDenied("Seule la DGALN suit l'instruction d'un dossier.")
    with transaction.atomic():
        candidature = _candidature_verrouillee(candidature)
        etat_verifier(objet=candidature, champ="statut", vu=vu)
        if candidature.suivie_par_id == par.pk:
            return candidature
        precedent = candidature.suivie_par
        candidature.suivie_par = par
        candidature.save(update_fields=["suivie_par"])
        journal_ecrire(
            objet=candidature,
            atelier=candidature.atelier,
            par=par,
            libelle=f"Dossier suivi par {par.get_full_name()}",
            commentaire=f"À la place de {precedent.get_full_name()}" if precedent else "",
        )
        if candidature.statut == Candidature.Statut.DEPOSEE:
            candidature = transition_appliquer(
                objet=candidature,
                transition="instruire",
                par=par,
                vu=None,
                atelier=candidature.atelier,
            )
    return candidature


def candidature_demander_complements(*, candidature, par, vu, pieces, message):
    """Send the dossier back to the porteurs: only the named parts and letters reopen; the
    request goes into the thread and the porteurs are told by e-mail."""
    message = message.strip()
    if not message:
        raise ActionImpossible("Écrivez aux porteurs ce qu'il faut compléter.")
    possibles = dict(pieces_a_completer_possibles())
    if not pieces or any(cle not in possibles for cle in pieces):
        raise ActionImpossible("Cochez les pièces à compléter parmi celles du dossier.")
    libelles = [possibles[cle] for cle in pieces]
    with transaction.atomic():
        atelier = candidature.atelier
        candidature = transition_appliquer(
            objet=candidature,
            transition="demander_complements",
            par=par,
            vu=vu,
            atelier=atelier,
            commentaire=f"{', '.join(libelles)}. {message}",
            pieces=list(pieces),
        )
        _message_creer(
            candidature=candidature,
            par=par,
            texte=f"Compléments demandés : {', '.join(libelles)}.\n\n{message}",
        )
        courriel_ecrire_depuis_gabarit(
            gabarit="complements_demandes",
            contexte={
                "atelier": atelier,
                "libelles": libelles,
                "lien": _lien_vers("candidatures:echanges", atelier.pk),
            },
            destinataires=courriels_porteurs(atelier),
        )
    return candidature


DECISION_GABARIT = "pdf/decision_eligibilite.html"


def _enregistrer_decision(*, candidature, par, eligible, motivation, date_decision, motif=""):
    """The Decision row, its letter queued, and the porteurs told (with the motivation)."""
    numero = (candidature.decisions.aggregate(n=Max("numero"))["n"] or 0) + 1
    decision = Decision.objects.create(
        candidature=candidature,
        numero=numero,
        eligible=eligible,
        motivation=motivation,
        date_decision=date_decision,
        decidee_par=par,
        motif_correction=motif,
    )
    atelier = candidature.atelier
    document_demander(
        source=decision,
        gabarit=DECISION_GABARIT,
        titre=f"Décision d'éligibilité {atelier.reference} — n° {numero}",
        version=1,
        par=par,
    )
    courriel_ecrire_depuis_gabarit(
        gabarit="decision",
        contexte={
            "atelier": atelier,
            "decision": decision,
            "lien": _lien_vers("candidatures:dossier", atelier.pk),
        },
        destinataires=courriels_porteurs(atelier),
    )
    return decision


def candidature_decider(*, candidature, par, vu, eligible, motivation, date_decision):
    """DGALN's decision, motivated and dated: the candidature and the atelier move together
    (éligible: ready for the marché; non éligible: the atelier ends), a decision letter is
    rendered and every porteur is told."""
    motivation = motivation.strip()
    if not motivation:
        raise ActionImpossible("La motivation de la décision est obligatoire.")
    transition = "declarer_eligible" if eligible else "declarer_non_eligible"
    with transaction.atomic():
        atelier = candidature.atelier
        candidature = transition_appliquer(
            objet=candidature,
            transition=transition,
            par=par,
            vu=vu,
            atelier=atelier,
            commentaire=motivation,
        )
        candidature.atelier = transition_appliquer(
            objet=atelier,
            transition=transition,
            par=par,
            vu=None,
            commentaire=motivation,
            **({} if eligible else {"motif": motivation}),
        )
        return _enregistrer_decision(
            candidature=candidature,
            par=par,
            eligible=eligible,
            motivation=motivation,
            date_decision=date_decision,
        )


def candidature_corriger_decision(*, candidature, par, vu, motif, date_decision):
    """DGALN reverses its decision, with a reason that the journal keeps beside the first one;
    an eligibility can be corrected only before the marché starts. The way back is the one
    from `vu`, the decision the user saw: if a colleague corrected it in between, nothing is
    done rather than turning it back the other way."""
    with transaction.atomic():
        # The way back is read from the locked row: an instance loaded earlier may be stale.
        candidature = _candidature_verrouillee(candidature)
        eligible = candidature.statut == Candidature.Statut.NON_ELIGIBLE
        transition = "corriger_eligible" if eligible else "corriger_non_eligible"
        atelier = candidature.atelier
        candidature = transition_appliquer(
            objet=candidature, transition=transition, par=par, vu=vu, atelier=atelier, motif=motif
        )
        candidature.atelier = transition_appliquer(
            objet=atelier, transition=transition, par=par, vu=None, motif=motif
        )
        return _enregistrer_decision(
            candidature=candidature,
            par=par,
            eligible=eligible,
            motivation=motif.strip(),
            date_decision=date_decision,
            motif=motif.strip(),
        )
