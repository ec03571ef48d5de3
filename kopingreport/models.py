"""Imports every feature's models so that the metadata knows all tables (registry only)."""

from kopingreport.accounts.models import Organisation, User
from kopingreport.reports.models import Area, Photo, ReferenceCounter, Report, ReportContact

__all__ = ["Organisation", "Area", "Photo", "ReferenceCounter", "Report", "ReportContact", "User"]
