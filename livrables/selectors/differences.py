"""What changed in a written livrable since its previous version: a word diff of each part,
read only from the versions' frozen `contenu` (the feuille de route adds its rows' diff)."""

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from livrables.models import VersionLivrable

# Words and the spaces after them: a diff by word reads like a correction, not by letter.
MOTS = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Segment:
    """A run of text: « egal » (kept), « ajout » (added) or « retrait » (removed)."""

    nature: str
    texte: str


@dataclass
class DifferencePartie:
    """One part of the version compared with the same part (same key) of the previous one."""

    cle: str
    titre: str
    # « ajoutee », « retiree », « modifiee » or « inchangee ».
    etat: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def modifiee(self) -> bool:
        return self.etat != "inchangee"


def texte_de_la_partie(partie: dict[str, Any]) -> str:
    """What the reader of a part sees: what the portal assembled, then the groupement's text."""
    morceaux = [(partie.get(cle) or "").strip() for cle in ("texte_assemble", "texte")]
    return "\n\n".join(m for m in morceaux if m)


def segments(avant: str, apres: str) -> list[Segment]:
    """The word diff from `avant` to `apres`, consecutive runs of one nature merged."""
    mots_avant, mots_apres = MOTS.findall(avant), MOTS.findall(apres)
    resultat: list[Segment] = []

    def ajouter(nature: str, mots: list[str]) -> None:
        texte = "".join(mots)
        if not texte:
            return
        if resultat and resultat[-1].nature == nature:
            resultat[-1] = Segment(nature, resultat[-1].texte + texte)
        else:
            resultat.append(Segment(nature, texte))

    appariement = difflib.SequenceMatcher(None, mots_avant, mots_apres, autojunk=False)
    for operation, a1, a2, b1, b2 in appariement.get_opcodes():
        if operation == "equal":
            ajouter("egal", mots_apres[b1:b2])
        else:
            ajouter("retrait", mots_avant[a1:a2])
            ajouter("ajout", mots_apres[b1:b2])
    return resultat


def differences(
    version: VersionLivrable, precedente: VersionLivrable | None
) -> list[DifferencePartie]:
    """Each part of `version` against `precedente`, in the version's order, then the parts
    the previous version had and this one dropped; empty when either was not written in the
    portal (an uploaded PDF has no text to compare)."""
    if precedente is None or VersionLivrable.Mode.FICHIER in (version.mode, precedente.mode):
        return []
    anciennes = {p.get("cle"): p for p in precedente.contenu.get("parties", [])}
    resultat = []
    for partie in version.contenu.get("parties", []):
        cle = partie.get("cle", "")
        apres = texte_de_la_partie(partie)
        ancienne = anciennes.pop(cle, None)
        if ancienne is None:
            resultat.append(
                DifferencePartie(cle, partie.get("titre", ""), "ajoutee", segments("", apres))
            )
            continue
        avant = texte_de_la_partie(ancienne)
        etat = "inchangee" if avant == apres else "modifiee"
        resultat.append(
            DifferencePartie(cle, partie.get("titre", ""), etat, segments(avant, apres))
        )
    resultat += [
        DifferencePartie(
            cle or "", p.get("titre", ""), "retiree", segments(texte_de_la_partie(p), "")
        )
        for cle, p in anciennes.items()
    ]
    return resultat
