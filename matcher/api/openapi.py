"""The OpenAPI 3.1 document of every /api/v1 call."""

from __future__ import annotations

from functools import cache

from matcher import limits
from matcher.exchange import schema as vocabulary
from matcher.reference.dimensions import load_dimensions
from matcher.reference.menukaart import load_menukaart
from providers.models import READ_FROM_TEXT, ParticipantsSource

FORMAT = "cultuurmatch-exchange/1"
PARTICIPANTS_SOURCES = (*(source.value for source in ParticipantsSource), READ_FROM_TEXT)


def _enum(values) -> dict:
    return {"type": "string", "enum": sorted(values)}


def _array(items: dict, min_items: int = 0, max_items: int | None = None) -> dict:
    schema = {"type": "array", "items": items}
    if min_items:
        schema["minItems"] = min_items
    if max_items:
        schema["maxItems"] = max_items
    return schema


def _text(max_length: int, min_length: int = 0) -> dict:
    schema: dict = {"type": "string", "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
    return schema


def _bounded(bound: limits.Bound, kind: str = "integer") -> dict:
    return {"type": kind, "minimum": bound.low if kind == "integer" else float(bound.low),
            "maximum": bound.high if kind == "integer" else float(bound.high)}


def _schemas() -> dict:
    menukaart = load_menukaart()
    interventions = _enum(menukaart.keys)
    competences = _enum(load_dimensions().keys)
    return {
        "MatchRequestDocument": {
            "type": "object", "required": ["format", "request"], "additionalProperties": False,
            "properties": {
                "format": {"const": FORMAT},
                "request": {
                    "type": "object", "additionalProperties": False,
                    "required": ["id", "school", "interventions", "grades", "pupils"],
                    "properties": {
                        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$",
                               "maxLength": 100},
                        "school": {
                            "type": "object", "required": ["name", "sector", "gemeente"],
                            "additionalProperties": False,
                            "properties": {"name": _text(limits.MAX_NAME, 1),
                                           "sector": _enum(vocabulary.SECTORS),
                                           "gemeente": _text(limits.MAX_NAME, 1)}},
                        "interventions": _array(interventions, 1, limits.MAX_REQUEST_LIST),
                        "grades": _array({"type": "integer", "minimum": 1,
                                          "maximum": limits.HIGHEST_GRADE}, 1,
                                         limits.MAX_GRADES),
                        "pupils": _bounded(limits.PUPILS),
                        "periods": _array(_enum(vocabulary.PERIODS), 0, limits.MAX_REQUEST_LIST),
                        "budget": _bounded(limits.BUDGET, "number"),
                        "disciplines": _array(_enum(vocabulary.DISCIPLINES), 0,
                                              limits.MAX_REQUEST_LIST),
                        "competences": _array(competences, 0, limits.MAX_REQUEST_LIST),
                        "location": _enum({"op-school", "op-locatie", "geen-voorkeur"}),
                        "wishes": _text(limits.MAX_WISHES),
                        "participants": {
                            **_enum(vocabulary.REQUEST_PARTICIPANTS), "default": "leerlingen",
                            "description": "leerlingen, or team: courses for the school's "
                                           "staff (pupils then counts the staff taking part); "
                                           "a team request only gets team activities, a pupil "
                                           "request never does (hard rule 0)"},
                    },
                },
            },
        },
        "MatchAnswer": {
            "type": "object", "required": ["request", "matches"],
            "properties": {
                "request": {"type": "string"},
                "matches": _array({
                    "type": "object",
                    "required": ["activity", "provider", "score", "cost", "interventions",
                                 "reasons"],
                    "properties": {
                        "activity": {"type": "string"}, "provider": {"type": "string"},
                        "score": {"type": "number"},
                        "cost": {"type": "number", "description": "euro, for this school"},
                        "interventions": _array(interventions),
                        "reasons": _array({"type": "string"}),
                    }}),
            },
        },
        "Activity": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "provider": {"type": "object", "properties": {
                    "id": {"type": "string"}, "name": {"type": "string"},
                    "kind": {"type": "string"}, "gemeente": {"type": "string"},
                    "serves": _array({"type": "string"})}},
                "title": {"type": "string"}, "description": {"type": "string"},
                "disciplines": _array(_enum(vocabulary.DISCIPLINES)),
                "format": _enum(vocabulary.FORMATS),
                "audience": _array({"type": "object", "properties": {
                    "sector": _enum(vocabulary.SECTORS),
                    "grades": _array({"type": "integer"})}}),
                "group_size": {"type": "object", "properties": {
                    "min": {"type": "integer"}, "max": {"type": "integer"}}},
                "sessions": {"type": "integer"}, "minutes_per_session": {"type": "integer"},
                "periods": _array(_enum(vocabulary.PERIODS)),
                "location": _enum(vocabulary.LOCATIONS),
                "price": {"type": "object", "properties": {
                    "amount": {"type": "number"}, "per": _enum(vocabulary.PRICE_UNITS)}},
                "interventions": _array(interventions),
                "competences": _array(competences),
                "participants": {
                    **_enum(vocabulary.PARTICIPANTS),
                    "description": "who takes part, as matching sees it: given by the "
                                   "provider, decided by a curator, or read from the text"},
                "participants_source": {
                    **_enum(PARTICIPANTS_SOURCES),
                    "description": "aanbieder (given by the provider), curator (decided by a "
                                   "curator) or tekst (read from the title and description)"},
            },
        },
        "ActivityPage": {
            "type": "object",
            "properties": {
                "total": {"type": "integer"}, "page": {"type": "integer"},
                "per_page": {"type": "integer"}, "pages": {"type": "integer"},
                "facets": {"type": "object", "additionalProperties": {
                    "type": "object", "additionalProperties": {"type": "integer"}}},
                "activities": _array({"$ref": "#/components/schemas/Activity"}),
            },
        },
        "Error": {
            "type": "object", "required": ["error", "message"],
            "properties": {
                "error": {"type": "string"}, "message": {"type": "string"},
                "errors": _array({"type": "object", "properties": {
                    "path": {"type": "string", "description": "JSON path or ?parameter"},
                    "message": {"type": "string", "description": "Dutch explanation"}}}),
            },
        },
    }


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _json(ref: str) -> dict:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


@cache
def openapi_document() -> dict:
    bad = {"description": "Ongeldige invoer: elke fout met zijn plaats", "content": _json("Error")}
    limited = {"description": "Te veel verzoeken", "content": _json("Error")}
    too_large = {"description": "Lichaam groter dan "
                                f"{limits.size_text(limits.MATCH_BODY_BYTES)}",
                 "content": _json("Error")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Cultuurmatch API", "version": "1",
                 "description": "Match menukaart-interventies aan kunst- en cultuuraanbod "
                                "(exchange format cultuurmatch-exchange/1)."},
        "paths": {
            "/api/v1/match": {"post": {
                "operationId": "match",
                "summary": "Rangschik passende activiteiten voor een aanvraag",
                "description": "Slaat niets op en vraagt geen login.",
                "parameters": [_query("limit", {"type": "integer", "minimum": 1,
                                                "maximum": 100, "default": 10},
                                      "maximum number of matches")],
                "requestBody": {"required": True, "content": _json("MatchRequestDocument")},
                "responses": {
                    "200": {"description": "Beste eerst", "content": _json("MatchAnswer")},
                    "400": bad, "413": too_large, "429": limited},
            }},
            "/api/v1/activities": {"get": {
                "operationId": "listActivities",
                "summary": "De openbare catalogus van goedgekeurde activiteiten",
                "parameters": [
                    _query("q", {"type": "string"}, "free text, typo tolerant"),
                    _query("gemeente", {"type": "string"}, "served municipality"),
                    _query("sector", _enum(vocabulary.SECTORS), "po, so or vo"),
                    _query("grade", {"type": "integer", "minimum": 1, "maximum": 8},
                           "groep or leerjaar"),
                    _query("period", _enum(vocabulary.PERIODS), "when"),
                    _query("intervention", _enum(load_menukaart().keys), "menukaart key"),
                    _query("discipline", _enum(vocabulary.DISCIPLINES), "art discipline"),
                    _query("max_price", _bounded(limits.PRICE, "number"),
                           "maximum price amount"),
                    _query("participants", _enum(vocabulary.PARTICIPANTS),
                           "who takes part (given, decided or read from the text)"),
                    _query("page", {**_bounded(limits.PAGE), "default": 1}, "page"),
                    _query("per_page", {"type": "integer", "minimum": 1, "maximum": 100,
                                        "default": 20}, "page size"),
                ],
                "responses": {
                    "200": {"description": "Eén pagina", "content": _json("ActivityPage")},
                    "400": bad, "429": limited},
            }},
            "/api/v1/openapi.json": {"get": {
                "operationId": "openapi", "summary": "Dit document",
                "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        },
        "components": {"schemas": _schemas()},
    }
