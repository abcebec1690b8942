"""A JSON Schema draft-07 validator for the keywords the DECP schema uses, for a machine
without the `jsonschema` library (marches.decp prefers the library when it is installed).

It refuses, when built, a schema that uses any keyword it does not check: it can never let a
document through by ignoring a rule. Its errors carry the attributes of jsonschema's
(`validator`, `absolute_path`, `validator_value`, `instance`, `message`)."""

import json
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# What carries no rule: annotations and the definitions reached through $ref.
ANNOTATIONS = {"title", "description", "$id", "$schema", "$comment", "definitions", "examples"}
VERIFIES = {
    "$ref",
    "type",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "minItems",
    "uniqueItems",
    "anyOf",
}
SOUS_SCHEMAS = {"additionalProperties", "items"}


class SchemaNonPrisEnCharge(ValueError):
    """The schema uses a keyword this validator does not check."""


@dataclass
class ErreurSchema:
    validator: str
    absolute_path: deque
    validator_value: Any
    instance: Any
    message: str
    context: list = field(default_factory=list)


def _est_du_type(valeur: Any, type_: str) -> bool:
    if type_ == "object":
        return isinstance(valeur, dict)
    if type_ == "array":
        return isinstance(valeur, list)
    if type_ == "string":
        return isinstance(valeur, str)
    if type_ == "boolean":
        return isinstance(valeur, bool)
    if type_ == "null":
        return valeur is None
    if isinstance(valeur, bool):
        return False
    if type_ == "integer":
        return isinstance(valeur, int) or (isinstance(valeur, float) and valeur.is_integer())
    if type_ == "number":
        return isinstance(valeur, int | float)
    raise SchemaNonPrisEnCharge(f"type inconnu : {type_}")


def _egal(a: Any, b: Any) -> bool:
    """JSON equality: 1 and 1.0 are equal, true and 1 are not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    return bool(a == b)


def _canonique(valeur: Any) -> str:
    return json.dumps(valeur, sort_keys=True, ensure_ascii=False)


class Draft7Validator:
    """`Draft7Validator(schema).iter_errors(document)`, like jsonschema's."""

    def __init__(self, schema: dict):
        self.schema = schema
        self._verifier(schema, "#")

    def _verifier(self, schema: Any, ou: str) -> None:
        if isinstance(schema, bool):
            return
        if not isinstance(schema, dict):
            raise SchemaNonPrisEnCharge(f"{ou} n'est pas un schéma")
        inconnus = set(schema) - ANNOTATIONS - VERIFIES
        if inconnus:
            raise SchemaNonPrisEnCharge(f"{ou} : mots-clés non vérifiés {sorted(inconnus)}")
        for nom, sous in schema.get("properties", {}).items():
            self._verifier(sous, f"{ou}/properties/{nom}")
        for nom, sous in schema.get("definitions", {}).items():
            self._verifier(sous, f"{ou}/definitions/{nom}")
        for cle in SOUS_SCHEMAS & set(schema):
            self._verifier(schema[cle], f"{ou}/{cle}")
        for i, sous in enumerate(schema.get("anyOf", [])):
            self._verifier(sous, f"{ou}/anyOf/{i}")
        if "$ref" in schema:
            self._resoudre(schema["$ref"])

    def _resoudre(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise SchemaNonPrisEnCharge(f"référence externe : {ref}")
        cible: Any = self.schema
        for morceau in filter(None, ref[1:].split("/")):
            cible = cible[morceau.replace("~1", "/").replace("~0", "~")]
        return cible

    def is_valid(self, document: Any) -> bool:
        return next(self.iter_errors(document), None) is None

    def iter_errors(self, document: Any) -> Iterator[ErreurSchema]:
        yield from self._valider(document, self.schema, ())

    def _erreur(self, mot: str, chemin: tuple, valeur: Any, instance: Any, message: str):
        return ErreurSchema(mot, deque(chemin), valeur, instance, message)

    def _valider(self, inst: Any, schema: Any, chemin: tuple) -> Iterator[ErreurSchema]:
        if schema is True:
            return
        if schema is False:
            yield self._erreur("false", chemin, False, inst, "rien n'est permis ici")
            return
        if "$ref" in schema:
            # Draft 7: beside $ref, the other keywords are ignored.
            yield from self._valider(inst, self._resoudre(schema["$ref"]), chemin)
            return
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_est_du_type(inst, t) for t in types):
                yield self._erreur(
                    "type", chemin, schema["type"], inst, f"{inst!r} n'est pas de type {types}"
                )
                return
        if "enum" in schema and not any(_egal(inst, v) for v in schema["enum"]):
            yield self._erreur(
                "enum", chemin, schema["enum"], inst, f"{inst!r} n'est pas une valeur permise"
            )
        if isinstance(inst, str):
            if "pattern" in schema and not re.search(schema["pattern"], inst):
                yield self._erreur(
                    "pattern", chemin, schema["pattern"], inst, f"{inst!r} ne suit pas le motif"
                )
            if "minLength" in schema and len(inst) < schema["minLength"]:
                yield self._erreur(
                    "minLength", chemin, schema["minLength"], inst, f"{inst!r} est trop court"
                )
            if "maxLength" in schema and len(inst) > schema["maxLength"]:
                yield self._erreur(
                    "maxLength", chemin, schema["maxLength"], inst, f"{inst!r} est trop long"
                )
        if _est_du_type(inst, "number"):
            if "minimum" in schema and inst < schema["minimum"]:
                yield self._erreur(
                    "minimum", chemin, schema["minimum"], inst, f"{inst!r} est trop petit"
                )
            if "maximum" in schema and inst > schema["maximum"]:
                yield self._erreur(
                    "maximum", chemin, schema["maximum"], inst, f"{inst!r} est trop grand"
                )
        if isinstance(inst, dict):
            for nom in schema.get("required", []):
                if nom not in inst:
                    yield self._erreur(
                        "required", chemin, schema["required"], inst, f"{nom!r} est requis"
                    )
            proprietes = schema.get("properties", {})
            for nom, valeur in inst.items():
                if nom in proprietes:
                    yield from self._valider(valeur, proprietes[nom], (*chemin, nom))
                elif "additionalProperties" in schema:
                    yield from self._valider(valeur, schema["additionalProperties"], (*chemin, nom))
        if isinstance(inst, list):
            if "items" in schema:
                for i, valeur in enumerate(inst):
                    yield from self._valider(valeur, schema["items"], (*chemin, i))
            if "minItems" in schema and len(inst) < schema["minItems"]:
                yield self._erreur(
                    "minItems", chemin, schema["minItems"], inst, "la liste est trop courte"
                )
            if schema.get("uniqueItems") and len({_canonique(v) for v in inst}) < len(inst):
                yield self._erreur("uniqueItems", chemin, True, inst, "la liste a des doublons")
        if "anyOf" in schema:
            contextes = [list(self._valider(inst, sous, chemin)) for sous in schema["anyOf"]]
            if all(contextes):
                erreur = self._erreur(
                    "anyOf", chemin, schema["anyOf"], inst, "aucune des formes permises"
                )
                erreur.context = [e for c in contextes for e in c]
                yield erreur
