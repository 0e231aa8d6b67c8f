"""Every model, imported in one place so the metadata Alembic compares against is complete."""

from matcher.accounts.models import Organisation, User
from matcher.menukaart.models import Doelgebied, Intervention, InterventionFigures
from providers.models import Activity, Provider

__all__ = ["Activity", "Doelgebied", "Intervention", "InterventionFigures", "Organisation",
           "Provider", "User"]
