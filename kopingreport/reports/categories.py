"""The report categories residents choose from (see shared/context/swedish-context.md §2).

Kept in code so that names and help texts are translated like every other string.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString

from kopingreport.i18n import _l


@dataclass(frozen=True)
class Category:
    """One category: a stable code, a translated name and a one-line help text."""

    code: str
    name: LazyString
    help: LazyString


CATEGORIES: tuple[Category, ...] = (
    Category("vandalism", _l("Vandalism or property damage"),
             _l("Broken glass, damaged benches, bus shelters or buildings.")),
    Category("graffiti", _l("Graffiti"), _l("Tags or paint on walls, signs or vehicles.")),
    Category("fire", _l("Fire or suspected arson"),
             _l("Burnt rubbish bins, containers or cars. Call 112 if it is burning now.")),
    Category("burglary_theft", _l("Burglary or theft"),
             _l("Break-ins, stolen bicycles, signs of someone trying a door.")),
    Category("violence", _l("Threats, violence or fights"),
             _l("Threats, fights or harassment you saw or heard. Call 112 if it is happening now.")),
    Category("drugs", _l("Suspected drug dealing or use"),
             _l("Places where you think drugs are sold or used, even if you are not sure.")),
    Category("intoxication", _l("Intoxicated people"),
             _l("People drunk or high in a way that makes a place feel unsafe.")),
    Category("gathering", _l("Intimidating gathering of people"),
             _l("Groups that make others avoid a place. Describe what happened, not who.")),
    Category("disorder", _l("Public disorder or nuisance"),
             _l("Noise, disturbances or behaviour that makes others feel unsafe.")),
    Category("reckless_driving", _l("Reckless driving (mopeds, A-tractors)"),
             _l("Speeding or stunt driving with mopeds, A-tractors, motorcycles or cars.")),
    Category("traffic", _l("Unsafe traffic environment"),
             _l("Dangerous crossings, missing pavements, poor visibility at junctions.")),
    Category("littering", _l("Littering or dumping"),
             _l("Rubbish, dumped furniture or waste in streets, parks or forests.")),
    Category("lighting", _l("Broken or poor lighting"),
             _l("Street lights that are out or places that are too dark.")),
    Category("vegetation", _l("Overgrown vegetation"),
             _l("Bushes or trees that block the view or hide paths.")),
    Category("unsafe_place", _l("Place that feels unsafe"),
             _l("Dark, deserted or hidden places where you feel unsafe.")),
    Category("rough_sleeping", _l("Unauthorised sleeping or camping"),
             _l("Someone appears to be sleeping or living outdoors or in a stairwell.")),
    Category("hazard", _l("Syringes, weapon caches or other hazards"),
             _l("Syringes, hidden weapons or tools, or piles of stones. Do not touch them.")),
    Category("event", _l("Upcoming event or risk"),
             _l("Something planned that may lead to disorder, e.g. a party or a gathering.")),
    Category("safe_place", _l("Place that feels safe"),
             _l("A place that works well, so we know what to keep.")),
    Category("other", _l("Other"), _l("Anything else that affects safety in Köping.")),
)

BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}


def get(code: str) -> Category | None:
    """The category with ``code``, or None."""
    return BY_CODE.get(code)
