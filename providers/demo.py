"""Demo offers: several providers and about thirty activities, most approved, a few waiting."""

from __future__ import annotations

from importlib import resources

from matcher.accounts.models import Organisation
from providers import queries
from providers.importer import Offers, import_offers, read_offers
from providers.models import ActivityStatus

# These wait in the curator's queue; the rest is approved, so schools see it at once.
SUBMITTED = frozenset({"ij-meivakantie-circus", "sanne-dans-en-emotie", "noord-zomer-popweek",
                       "sanne-dans-teamtraining"})
# Demo organisations whose staff log in as these providers.
ORGANISATION_PROVIDERS = {"Jeugdtheater aan het IJ": "jeugdtheater-ij",
                          "Sanne Dansdocent": "sanne-dans"}


def load_demo_offers(organisations: dict[str, Organisation]) -> None:
    """Import the demo offers (safe to run again) and link the demo providers' staff."""
    content = resources.files("providers").joinpath("demo_offers.json").read_bytes()
    offers = read_offers(content, "demo_offers.json")
    waiting = [a for a in offers.activities if a.key in SUBMITTED]
    approved = [a for a in offers.activities if a.key not in SUBMITTED]
    import_offers(offers=Offers(offers.providers, approved), by=None,
                  status=ActivityStatus.APPROVED, approve_providers=True)
    import_offers(offers=Offers([], waiting), by=None, status=ActivityStatus.SUBMITTED,
                  approve_providers=True)
    for name, key in ORGANISATION_PROVIDERS.items():
        provider = queries.find_provider_by_key(key)
        organisation = organisations.get(name)
        if provider is None or organisation is None or provider.organisation_id is not None:
            continue
        linked = queries.find_provider_of_organisation(organisation.id)
        if linked is None:
            provider.organisation_id = organisation.id
