"""The FHIR API's routes, gathered on one blueprint (mbc.fhir.api)."""

from mbc.fhir import read_views, write_views  # noqa: F401 - register the routes
from mbc.fhir.api import bp

__all__ = ["bp"]
