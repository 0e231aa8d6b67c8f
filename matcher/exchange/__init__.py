"""Exchange format v1 (cultuurmatch-exchange/1): validation and conversion, pure Python."""

from matcher.exchange.convert import (
    activity_to_dict,
    offers_to_document,
    provider_to_dict,
    request_to_document,
    to_engine_offers,
    to_engine_request,
)
from matcher.exchange.errors import ExchangeError, ExchangeIssue, load_json_text
from matcher.exchange.schema import FORMAT, OffersDocument, RequestDocument
from matcher.exchange.validate import parse_offers, parse_request

__all__ = [
    "FORMAT",
    "ExchangeError",
    "ExchangeIssue",
    "OffersDocument",
    "RequestDocument",
    "activity_to_dict",
    "load_json_text",
    "offers_to_document",
    "parse_offers",
    "parse_request",
    "provider_to_dict",
    "request_to_document",
    "to_engine_offers",
    "to_engine_request",
]
