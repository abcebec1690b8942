"""What changed between two versions: a word diff of each part, from their frozen content."""

from livrables.models import VersionLivrable
from livrables.selectors.differences import Segment, differences, segments, texte_de_la_partie

REDIGE = VersionLivrable.Mode.REDIGE


def version(*parties, mode=REDIGE):
    return VersionLivrable(
        mode=mode,
        contenu={"parties": [{"cle": c, "titre": c.capitalize(), "texte": t} for c, t in parties]},
    )


def test_les_mots_ajoutes_et_retires_sont_marques():
    assert segments("Trois temps forts.", "Quatre temps forts.") == [
        Segment("retrait", "Trois "),
        Segment("ajout", "Quatre "),
        Segment("egal", "temps forts."),
    ]


def test_un_texte_identique_est_un_seul_segment_egal():
    assert segments("Même texte.", "Même texte.") == [Segment("egal", "Même texte.")]


def test_chaque_partie_dit_son_etat():
    avant = version(("methode", "Trois temps."), ("equipe", "Deux."), ("budget", "Cent."))
    apres = version(("methode", "Quatre temps."), ("equipe", "Deux."), ("calendrier", "Mai."))
    resultat = {d.cle: d for d in differences(apres, avant)}
    assert {c: d.etat for c, d in resultat.items()} == {
        "methode": "modifiee",
        "equipe": "inchangee",
        "calendrier": "ajoutee",
        "budget": "retiree",
    }
    assert [d.cle for d in differences(apres, avant)] == [
        "methode",
        "equipe",
        "calendrier",
        "budget",
    ]
    assert resultat["calendrier"].segments == [Segment("ajout", "Mai.")]
    assert resultat["budget"].segments == [Segment("retrait", "Cent.")]
    assert not resultat["equipe"].modifiee and resultat["methode"].modifiee


def test_le_texte_assemble_par_le_portail_compte_avec_celui_du_groupement():
    partie = {"cle": "s1", "texte_assemble": "Compte-rendu.", "texte": "Notre lecture."}
    assert texte_de_la_partie(partie) == "Compte-rendu.\n\nNotre lecture."
    assert texte_de_la_partie({"cle": "s1", "texte": "  "}) == ""


def test_rien_a_comparer_sans_version_precedente_ou_avec_un_pdf():
    redigee = version(("methode", "Trois temps."))
    assert differences(redigee, None) == []
    assert differences(redigee, version(mode=VersionLivrable.Mode.FICHIER)) == []
    assert differences(version(mode=VersionLivrable.Mode.FICHIER), redigee) == []
