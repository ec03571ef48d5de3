"""Demo content for the lägesbild: the Köping medborgarlöfte 2024 with its three focus areas,
a few published demo reports for the public map, one frozen meeting snapshot and a draft
two-year lägesbild with an åtgärdsplan. Running it again adds nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from kopingreport.accounts.models import Organisation, OrganisationKind
from kopingreport.moderation.models import PublicPrecision, ReportCase
from kopingreport.moderation.services import PUBLISHABLE
from kopingreport.reports.models import Report
from kopingreport.situation import documents, plan, promises, snapshots
from kopingreport.situation.models import Promise, SituationDocument, Snapshot
from kopingreport.situation.params import Choice, today
from kopingreport.walks.actions import ActionInput
from kopingreport.walks.models import ActionStatus

PROMISE_TITLE = {"sv": "Medborgarlöfte för Köpings kommun 2024", "fi": "Kansalaislupaus Köpingin "
                 "kunnalle 2024", "en": "Citizen promise for Köping municipality 2024",
                 "ar": "وعد المواطنين لبلدية شوبينغ 2024"}
PROMISE_INTRO = {
    "sv": "Polisen och Köpings kommun lovar att arbeta tillsammans med tre områden som invånarna "
          "själva har pekat ut i dialoger och trygghetsundersökningar.",
    "fi": "Poliisi ja Köpingin kunta lupaavat tehdä yhdessä työtä kolmen asian parissa, jotka "
          "asukkaat ovat itse nostaneet esiin keskusteluissa ja turvallisuuskyselyissä.",
    "en": "The police and Köping municipality promise to work together on three areas that "
          "residents themselves pointed out in dialogues and safety surveys.",
    "ar": "تعد الشرطة وبلدية شوبينغ بالعمل معًا على ثلاثة مجالات أشار إليها السكان أنفسهم في "
          "الحوارات واستطلاعات الشعور بالأمان."}
#: (title, description, categories, areas, activities as (texts, owner, status), note)
FOCUS_AREAS = (
    ({"sv": "ANDT bland unga", "fi": "ANDT-työ nuorten parissa", "en": "Alcohol, drugs, doping "
      "and tobacco among young people", "ar": "الكحول والمخدرات والمنشطات والتبغ بين الشباب"},
     {"sv": "Förebygga att unga börjar använda alkohol, narkotika, dopning och tobak.",
      "fi": "Ehkäistä nuorten alkoholin, huumeiden, dopingin ja tupakan käytön aloittamista.",
      "en": "Prevent young people from starting to use alcohol, drugs, doping and tobacco.",
      "ar": "منع الشباب من البدء في تعاطي الكحول والمخدرات والمنشطات والتبغ."},
     ["drugs", "intoxication"], [],
     [({"sv": "Föräldramöten om ANDT i årskurs 7", "fi": "ANDT-vanhempainillat 7. luokalla",
        "en": "Parent meetings about ANDT in year 7", "ar": "اجتماعات أولياء الأمور حول "
        "الكحول والمخدرات في الصف السابع"}, "Köpings kommun, skolan", "done"),
      ({"sv": "Polisen besöker skolor och fritidsgårdar", "fi": "Poliisi vierailee kouluissa ja "
        "nuorisotaloilla", "en": "The police visit schools and youth centres",
        "ar": "الشرطة تزور المدارس ومراكز الشباب"}, "Polisen", "ongoing")],
     {"sv": "Alla sju högstadieklasser har haft föräldramöte.", "fi": "Kaikilla seitsemällä "
      "yläkoulun luokalla on ollut vanhempainilta.", "en": "All seven lower-secondary classes "
      "have had a parent meeting.", "ar": "عقدت جميع صفوف المرحلة الإعدادية السبعة اجتماعًا "
      "لأولياء الأمور."}),
    ({"sv": "Trygghet i centrum och Nygårdsområdet", "fi": "Turvallisuus keskustassa ja "
      "Nygårdin alueella", "en": "Safety in the town centre and the Nygård area",
      "ar": "الأمان في وسط المدينة ومنطقة نيغورد"},
     {"sv": "Fler vuxna ute på kvällar och helger, bättre belysning och snabbare klotterborttagning.",
      "fi": "Enemmän aikuisia liikkeellä iltaisin ja viikonloppuisin, parempi valaistus ja "
            "nopeampi töhryjen poisto.",
      "en": "More adults out in the evenings and at weekends, better lighting and faster "
            "graffiti removal.",
      "ar": "المزيد من البالغين في الشوارع مساءً وفي عطلات نهاية الأسبوع، وإضاءة أفضل وإزالة "
            "أسرع للكتابة على الجدران."},
     ["unsafe_place", "gathering", "vandalism", "graffiti", "lighting"],
     ["centrum", "nygard-skogsbrynet"],
     [({"sv": "Nattvandring varje fredag och lördag", "fi": "Yökävely joka perjantai ja lauantai",
        "en": "Night walks every Friday and Saturday", "ar": "جولات ليلية كل يوم جمعة وسبت"},
       "Nattvandrarna i Köping", "ongoing"),
      ({"sv": "Ny belysning i gångtunneln vid Nygårdsskolan", "fi": "Uusi valaistus "
        "Nygårdin koulun jalankulkutunneliin", "en": "New lighting in the underpass by "
        "Nygård school", "ar": "إضاءة جديدة في النفق بجوار مدرسة نيغورد"}, "KBAB", "planned")],
     {"sv": "Trygghetsvandring i Nygård genomförd; åtgärderna följs upp i lägesbilden.",
      "fi": "Turvallisuuskävely Nygårdissa on tehty; toimenpiteitä seurataan tilannekuvassa.",
      "en": "A safety walk in Nygård has been held; its measures are followed up in the "
            "situation report.",
      "ar": "أُجريت جولة أمان في نيغورد، وتُتابَع الإجراءات في تقرير الوضع."}),
    ({"sv": "Trafiksäkerhet", "fi": "Liikenneturvallisuus", "en": "Traffic safety",
      "ar": "السلامة المرورية"},
     {"sv": "Färre fortkörningar med mopeder och EPA-traktorer i bostadsområden.",
      "fi": "Vähemmän mopojen ja EPA-traktorien ylinopeuksia asuinalueilla.",
      "en": "Less speeding with mopeds and A-tractors in residential areas.",
      "ar": "تقليل السرعة الزائدة للدراجات النارية الصغيرة وجرارات A في الأحياء السكنية."},
     ["reckless_driving", "traffic"], [],
     [({"sv": "Trafikkontroller av mopeder och EPA-traktorer", "fi": "Mopojen ja "
        "EPA-traktorien liikennetarkastukset", "en": "Traffic checks of mopeds and A-tractors",
        "ar": "فحوصات مرورية للدراجات النارية الصغيرة وجرارات A"}, "Polisen", "ongoing")],
     None),
)
PLAN = (("Belysning i gångtunneln vid Nygårdsskolan", "KBAB", 60, ActionStatus.PLANNED),
        ("Snabbare klotterborttagning i centrum (inom 48 timmar)", "Köpings kommun, gata/park",
         30, ActionStatus.IN_PROGRESS),
        ("Riktade trafikkontroller på Ringvägen", "Polisen", 90, ActionStatus.PROPOSED))


def _publish_demo_reports(session: Session) -> None:
    """Make about half of the accepted demo reports public, some at street level."""
    rng = random.Random(2024)
    reports = session.scalars(sa.select(Report).where(
        Report.idempotency_key.like("demo-%"), Report.state.in_([str(s) for s in PUBLISHABLE]),
        Report.is_public.is_(False)).order_by(Report.id)).all()
    for report in reports:
        if rng.random() < 0.6:
            report.is_public = True
            report.public_text = report.public_text or report.description
            case = session.get(ReportCase, report.id) or ReportCase(report_id=report.id)
            case.public_precision = (PublicPrecision.STREET if rng.random() < 0.5
                                     else PublicPrecision.AREA)
            session.add(case)
    session.flush()


def _promise(session: Session) -> None:
    if session.scalar(sa.select(Promise.id).where(Promise.title["sv"].as_string() ==
                                                  PROMISE_TITLE["sv"])):
        return
    promise = promises.save_promise(session, None, None, title=PROMISE_TITLE,
                                    intro=PROMISE_INTRO, starts_on=date(2024, 1, 1),
                                    ends_on=date(2026, 12, 31), is_published=True)
    for title, description, cats, areas, activities, note in FOCUS_AREAS:
        focus = promises.save_focus_area(session, promise, None, title=title,
                                         description=description, category_codes=cats,
                                         area_codes=areas)
        for texts, owner, status in activities:
            promises.save_activity(session, focus, None, title=texts, owner=owner,
                                   status=status)
        if note:
            promises.add_note(session, None, focus, text=note,
                              noted_on=today() - timedelta(days=20), is_public=True)


def _document(session: Session) -> None:
    first, last = documents.default_span()
    title = f"Lägesbild {first.year}–{last.year} (utkast)"
    if session.scalar(sa.select(SituationDocument.id).where(SituationDocument.title == title)):
        return
    document = documents.create(session, None, title, first, last)
    documents.update_texts(session, None, document, {
        "summary": "Anmälningarna ökar i centrum kvällstid, främst skadegörelse och klotter.",
        "consequences": "Fler undviker gångtunneln vid Nygårdsskolan efter mörkrets inbrott.",
        "other_information": "Polisens lägesbild för lokalpolisområdet stämmer med bilden.",
        "causes": "Dålig belysning och få vuxna ute sena kvällar; ungdomar saknar mötesplatser."})
    owners = {o.name: o for o in session.scalars(sa.select(Organisation))}
    for title_text, owner, days, status in PLAN:
        organisation = owners.get(owner)
        action = plan.add_action(session, None, document, ActionInput(
            title=title_text, owner_organisation_id=organisation.id if organisation else None,
            owner_text="" if organisation else owner, due_on=today() + timedelta(days=days),
            status=status))
        if status == ActionStatus.IN_PROGRESS:
            plan.follow_up(session, None, action, "Entreprenör upphandlad, start i vecka 12.",
                           status)


def load_situation_demo(session: Session) -> None:
    """Load the demo promise, published reports, snapshot and lägesbild; commits."""
    if not session.scalar(sa.select(Organisation.id).where(Organisation.name == "KBAB")):
        session.add(Organisation(name="KBAB", kind=OrganisationKind.HOUSING))
    _publish_demo_reports(session)
    _promise(session)
    if not session.scalar(sa.select(Snapshot.id)):
        end = today()
        snapshots.freeze(session, None, Choice(end - timedelta(days=13), end),
                         end + timedelta(days=2), "Lägesbildsmöte (demo)")
    _document(session)
    session.commit()
