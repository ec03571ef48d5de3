"""Imports every feature's models so that the metadata knows all tables (registry only)."""

from kopingreport.accounts.models import Organisation, User
from kopingreport.moderation.models import AuditEvent, PhotoRedaction, ReportCase, ReportNote
from kopingreport.neighbourhood.models import NeighbourhoodContact, NeighbourhoodMessage
from kopingreport.nightwalks.models import Nightwalk
from kopingreport.reports.models import Area, Photo, ReferenceCounter, Report, ReportContact
from kopingreport.surveys.models import Survey, SurveyAnswer, SurveyCode, SurveyCodeBatch
from kopingreport.surveys.models import SurveyDevice, SurveyQuestion, SurveyResponse, SurveySection
from kopingreport.walks.models import Action, SafetyWalk, WalkStop, WalkStopPhoto

__all__ = ["Action", "Area", "AuditEvent", "NeighbourhoodContact", "NeighbourhoodMessage", "Nightwalk",
           "Organisation", "Photo", "PhotoRedaction", "ReferenceCounter", "Report", "ReportCase",
           "ReportContact", "ReportNote", "SafetyWalk", "Survey", "SurveyAnswer", "SurveyCode",
           "SurveyCodeBatch", "SurveyDevice", "SurveyQuestion", "SurveyResponse", "SurveySection",
           "User", "WalkStop", "WalkStopPhoto"]
