"""Imports every feature's models so that the metadata knows all tables (registry only)."""

from kopingreport.accounts.models import Organisation, User
from kopingreport.moderation.models import AuditEvent, PhotoRedaction, ReportCase, ReportNote
from kopingreport.neighbourhood.models import NeighbourhoodContact, NeighbourhoodMessage
from kopingreport.nightwalks.models import Nightwalk
from kopingreport.open311.models import ApiKey
from kopingreport.privacy.models import BarrierReport
from kopingreport.reports.models import Area, Photo, ReferenceCounter, Report, ReportContact
from kopingreport.situation.models import ActionFollowUp, FocusArea, MonthCount, PartnerShare
from kopingreport.situation.models import PlanAction, Promise, PromiseActivity, PromiseNote
from kopingreport.situation.models import RollupMonth, SituationDocument, Snapshot, SunDay
from kopingreport.surveys.models import Survey, SurveyAnswer, SurveyCode, SurveyCodeBatch
from kopingreport.surveys.models import SurveyDevice, SurveyQuestion, SurveyResponse, SurveySection
from kopingreport.walks.models import Action, SafetyWalk, WalkStop, WalkStopPhoto

__all__ = ["Action", "ActionFollowUp", "ApiKey", "Area", "AuditEvent", "BarrierReport",
           "FocusArea", "MonthCount",
           "NeighbourhoodContact", "NeighbourhoodMessage", "Nightwalk", "Organisation",
           "PartnerShare", "Photo", "PhotoRedaction", "PlanAction", "Promise", "PromiseActivity",
           "PromiseNote", "ReferenceCounter", "Report", "ReportCase", "ReportContact",
           "ReportNote", "RollupMonth", "SafetyWalk", "SituationDocument", "Snapshot", "SunDay",
           "Survey", "SurveyAnswer", "SurveyCode", "SurveyCodeBatch", "SurveyDevice",
           "SurveyQuestion", "SurveyResponse", "SurveySection", "User", "WalkStop", "WalkStopPhoto"]
