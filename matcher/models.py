"""Every model, imported in one place so the metadata Alembic compares against is complete."""

from matcher.accounts.models import Organisation, User
from matcher.catalogue.models import Favourite
from matcher.menukaart.models import Doelgebied, Intervention, InterventionFigures
from matcher.schools.models import SchoolGroup
from providers.models import Activity, Provider

__all__ = [
    "Activity", "Doelgebied", "Favourite", "Intervention", "InterventionFigures", "Organisation",
    "Provider", "SchoolGroup", "User",
]
