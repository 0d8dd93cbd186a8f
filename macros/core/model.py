"""The typed model of Fusion Atlas records (pydantic v2).

Building blocks (see DATA-MODEL in CONTRIBUTING.md):

* ``Text``: a string in English and Chinese.
* ``PartialDate``: ``"1983"``, ``"1983-06"`` or ``"1983-06-25"``, a real
  calendar date.
* ``Fact``: a sourced quantity: value, unit, as-of date and source id.
* ``DatedFact``: a sourced date, actual or planned.

References to other records are plain ids annotated with ``Ref(kind, ...)``;
the validator resolves every one of them, and the same annotations feed the
"Referenced by" index, so a new reference field needs no other code.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Literal, Union, get_args

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from . import compat_pydantic
from .countries import COUNTRIES
from .kinds import PAGE_KINDS

# --------------------------------------------------------------------------
# Controlled vocabularies
# --------------------------------------------------------------------------

UNITS: dict[str, dict[str, str]] = {
    # unit id: display symbol in each language
    "m": {"en": "m", "zh": "米"},
    "m3": {"en": "m³", "zh": "立方米"},
    "T": {"en": "T", "zh": "特斯拉"},
    "MA": {"en": "MA", "zh": "兆安"},
    "kA": {"en": "kA", "zh": "千安"},
    "MW": {"en": "MW", "zh": "兆瓦"},
    "GW": {"en": "GW", "zh": "吉瓦"},
    "MJ": {"en": "MJ", "zh": "兆焦"},
    "s": {"en": "s", "zh": "秒"},
    "keV": {"en": "keV", "zh": "千电子伏"},
    "degC": {"en": "°C", "zh": "摄氏度"},
    "MK": {"en": "million K", "zh": "百万开尔文"},
    "percent": {"en": "%", "zh": "%"},
    "ratio": {"en": "", "zh": ""},
    "count": {"en": "", "zh": ""},
    "EUR-billion": {"en": "billion EUR", "zh": "十亿欧元"},
    "USD-billion": {"en": "billion USD", "zh": "十亿美元"},
    "kIUA": {"en": "kIUA", "zh": "千ITER单位"},
    "MeV": {"en": "MeV", "zh": "兆电子伏"},
    "mA": {"en": "mA", "zh": "毫安"},
    "A": {"en": "A", "zh": "安"},
    "kJ": {"en": "kJ", "zh": "千焦"},
    "GJ": {"en": "GJ", "zh": "吉焦"},
    "t": {"en": "t", "zh": "吨"},
}
Unit = Literal[tuple(UNITS)]  # type: ignore[valid-type]

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# --------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------


class Ref:
    """Marks a string field as the id of a record of one of ``kinds``."""

    __slots__ = ("kinds",)

    def __init__(self, *kinds: str):
        self.kinds = kinds

    def __repr__(self) -> str:
        return f"Ref{self.kinds}"


ENTITY_KINDS = PAGE_KINDS  # kinds a reference to "any entity" may name (those with a page)

SourceId = Annotated[str, Ref("sources")]
MemberId = Annotated[str, Ref("members")]
DeviceId = Annotated[str, Ref("devices")]
SiteId = Annotated[str, Ref("sites")]
OrganisationId = Annotated[str, Ref("organisations")]
AnyEntityId = Annotated[str, Ref(*ENTITY_KINDS)]

# --------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _coerce_date(value: object) -> object:
    # An unquoted year (1983) arrives as an int: accept it as text.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (_dt.date,)):
        return value.isoformat()
    return value


def _check_date(value: str) -> str:
    m = _DATE_RE.match(value)
    if not m:
        raise ValueError(f"{value!r} is not a date; write \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\"")
    year, month, day = m.groups()
    try:
        _dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValueError(f"{value!r} is not a real calendar date") from None
    return value


DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
PartialDate = Annotated[
    str,
    BeforeValidator(_coerce_date),
    AfterValidator(_check_date),
    WithJsonSchema({"type": "string", "pattern": DATE_PATTERN, "description": "YYYY, YYYY-MM or YYYY-MM-DD"}),
]


def _check_full_date(value: str) -> str:
    if len(value) != 10:
        raise ValueError(f"{value!r} must be a full date, \"YYYY-MM-DD\"")
    return value


FullDate = Annotated[
    PartialDate,
    AfterValidator(_check_full_date),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "YYYY-MM-DD"}),
]


class Strict(BaseModel):
    """Base for every model: unknown fields are refused."""

    # Numbers must be finite: .nan and .inf are refused (charts and sorting need real numbers).
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _share_the_names_of_its_fields(self):
        # Frozen records with the same fields given can keep their names in one set (a third
        # of the loaded data's memory; macros/core/compat_pydantic.py).
        if _SHARE_FIELDS_SET:
            compat_pydantic.share_fields_set(self)
        return self


_SHARE_FIELDS_SET = compat_pydantic.available()  # decided once a process


# Characters that no text may hold: C0/C1 controls (but line breaks and tabs in
# longer texts), and the bidirectional overrides and isolates that make text read
# differently from how it is stored ("Trojan source").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Names also refuse line breaks, tabs, zero-width and invisible formatting characters:
# a name is a page title, a search word and a line of the Chinese search dictionary.
_NAME_INVISIBLE = re.compile(r"[\t\n\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
TEXT_MAX = 2500  # characters of a summary, note or role (the longest today: about 600)
NAME_MAX = 150  # characters of a name or alias (the longest today: about 80)


def _describe(char: str) -> str:
    import unicodedata

    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def _plain_text(value: str) -> str:
    m = _CONTROL.search(value)
    if m:
        raise ValueError(f"holds an invisible control character ({_describe(m.group(0))}); delete it")
    return value


def _plain_name(value: str) -> str:
    if "<" in value or ">" in value:
        raise ValueError("a name is plain text: '<' and '>' are not allowed (page titles would read them as HTML)")
    return _one_line(value)


def _one_line(value: str) -> str:
    m = _NAME_INVISIBLE.search(value) or _CONTROL.search(value)
    if m:
        raise ValueError(f"must be one line of visible text: it holds {_describe(m.group(0))}; delete it")
    return value


PlainText = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(_plain_text)]
PlainName = Annotated[str, Field(max_length=NAME_MAX), AfterValidator(_plain_name)]


class Text(Strict):
    en: PlainText = Field(min_length=1)
    zh: PlainText = ""

    def get(self, lang: str) -> str:
        return (self.zh if lang == "zh" else self.en) or self.en


class Name(Text):
    """The name of a record: also the page title, so it must be plain text."""

    en: PlainName = Field(min_length=1)
    zh: PlainName = ""


Status = Literal["actual", "planned"]


class OtherValue(Strict):
    """What another source gives for the same quantity: a disagreement kept, not hidden."""

    value: float = Field(strict=True)
    unit: Unit
    source: SourceId
    as_of: PartialDate | None = None
    approx: bool = False
    note: Text | None = None  # why they differ, when known (a definition, rounding)


class OtherDate(Strict):
    """What another source gives for the same date."""

    date: PartialDate
    source: SourceId
    note: Text | None = None


class Fact(Strict):
    """A sourced quantity."""

    value: float = Field(strict=True)
    unit: Unit
    as_of: PartialDate
    source: SourceId
    approx: bool = False
    note: Text | None = None
    others: list[OtherValue] = Field(default=[], max_length=10)  # other sources' values


class DatedFact(Strict):
    """A sourced date, actual or planned."""

    date: PartialDate
    status: Status = "actual"
    source: SourceId
    note: Text | None = None
    others: list[OtherDate] = Field(default=[], max_length=10)  # other sources' dates
    # What the date marks, where the field's name would mislead: ITER's 2024 baseline has
    # no "first plasma" milestone; its first date is the Start of Research Operation.
    milestone: Text | None = None


Id = Annotated[str, Field(pattern=ID_PATTERN)]


class Record(Strict):
    """Fields shared by every record file."""

    id: Id
    name: Name
    aliases: list[PlainName] = []  # other names readers search for
    former_ids: list[Id] = []  # ids this record had before a rename or merge: their URLs redirect here


class Entity(Record):
    summary: Text | None = None
    sources: list[SourceId] = []  # sources for the summary and prose (figures cite their own)


# --------------------------------------------------------------------------
# Kinds
# --------------------------------------------------------------------------

MemberRole = Literal["host", "member", "partner", "former"]


class Member(Entity):
    """An ITER member, or a former or partner party."""

    role: MemberRole
    joined: DatedFact | None = None
    left: DatedFact | None = None
    share: Fact | None = None  # share of construction cost, percent
    domestic_agency: OrganisationId | None = None
    predecessor: MemberId | None = None  # e.g. Russia continues the USSR
    components: list[Text] = []


# A device's configuration: how it confines or compresses the plasma (or, for the
# neutron sources and accelerators, what it is). What it is for is its purpose.
DeviceKind = Literal[
    # magnetic confinement, toroidal
    "tokamak",
    "spherical-tokamak",
    "stellarator",
    "heliotron",  # heliotrons and torsatrons
    "heliac",
    "stellarator-tokamak-hybrid",
    "reversed-field-pinch",
    "spheromak",
    "field-reversed-configuration",
    "levitated-dipole",
    "simple-magnetised-torus",
    # magnetic confinement, open or pulsed
    "magnetic-mirror",
    "z-pinch",
    "theta-pinch",
    "pinch",  # a pinch the sources do not classify further
    "dense-plasma-focus",
    "magnetised-target-fusion",
    "linear-plasma-device",
    # inertial
    "laser-direct-drive",
    "laser-indirect-drive",
    "laser",  # a laser facility whose drive the sources do not state
    "other-inertial",  # pulsed power, projectile or ion-beam driven
    "inertial-electrostatic",
    # other
    "neutron-source",
    "accelerator-prototype",
    "space-propulsion",
    "design-study",  # a design whose configuration is still open
    "power-plant-design",  # kept for records written before the purpose field; prefer kind + purpose
]
DeviceStatus = Literal["concept", "design", "construction", "operating", "repair", "retired", "dismantled", "cancelled"]
Ownership = Literal["public", "private", "public-private"]
Purpose = Literal["experiment", "materials-test", "component-test", "power-plant-prototype", "power-plant-design", "propulsion"]
Magnets = Literal["copper", "low-temperature-superconductor", "high-temperature-superconductor", "mixed", "permanent", "none"]
Fuel = Literal["H", "D", "DT", "DHe3", "pB11", "other"]
CountryCode = Literal[tuple(COUNTRIES)]  # type: ignore[valid-type]  # ISO 3166-1 alpha-2 (macros/core/countries.py)


class Identifiers(Strict):
    """The device's names in other references, to link and to merge with them."""

    iaea_ffdb: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)] | None = None  # its name in the IAEA Fusion Facility Database
    wikidata: Annotated[str, Field(pattern=r"^Q[1-9][0-9]{0,11}$")] | None = None
    imas: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,40}$")] | None = None  # IMAS machine name (tokamaks)

PARAMETERS: tuple[str, ...] = (
    "major_radius",
    "minor_radius",
    "elongation",
    "triangularity",
    "plasma_volume",
    "toroidal_field",
    "plasma_current",
    "heating_power",
    "pulse_length",
    "plasma_temperature",
    "magnetic_energy",
    "peak_field",
    "mass",
    "laser_energy",
    "beam_count",
)


class Parameters(Strict):
    major_radius: Fact | None = None
    minor_radius: Fact | None = None
    elongation: Fact | None = None
    triangularity: Fact | None = None
    plasma_volume: Fact | None = None
    toroidal_field: Fact | None = None
    plasma_current: Fact | None = None
    heating_power: Fact | None = None
    pulse_length: Fact | None = None  # the design (or longest planned) pulse; records hold pulses reached
    plasma_temperature: Fact | None = None  # the design's central plasma temperature; records hold temperatures reached
    magnetic_energy: Fact | None = None  # stored in the whole magnet system
    peak_field: Fact | None = None  # the highest field on the coils (toroidal_field is at the plasma's centre)
    mass: Fact | None = None  # of the machine
    laser_energy: Fact | None = None  # lasers: energy on target per shot
    beam_count: Fact | None = None  # lasers: number of beams


Metric = Literal[
    "fusion_power",
    "fusion_energy",
    "pulse_length",
    "ion_temperature",
    "electron_temperature",
    "q_equivalent",
    "plasma_current",
]


METRICS: tuple[str, ...] = get_args(Metric)


class PerformanceRecord(Fact):
    """A record or a design target: a sourced value reached (or planned) on a date."""

    metric: Metric
    date: PartialDate
    status: Status = "actual"
    heating_power: float | None = Field(default=None, gt=0, le=10_000)  # MW, to derive Q


CostScope = Literal["construction", "construction-in-kind", "construction-and-operation", "full-life", "member-contribution"]


class CostEstimate(Strict):
    """One cost estimate as it was stated at the time: history, never overwritten."""

    stated: PartialDate  # when the estimate was made public
    value: float = Field(strict=True, gt=0)
    unit: Literal["EUR-billion", "USD-billion", "kIUA"]
    scope: CostScope
    approx: bool = False
    as_of: PartialDate
    source: SourceId
    note: Text | None = None


class ScheduleBaseline(Strict):
    """One schedule baseline: the dates planned when it was stated."""

    stated: PartialDate
    name: Text
    first_plasma: PartialDate | None = None
    start_research_operation: PartialDate | None = None
    first_dt: PartialDate | None = None
    source: SourceId
    note: Text | None = None


class Device(Entity):
    kind: DeviceKind  # its configuration
    status: DeviceStatus
    purpose: Purpose | None = None
    ownership: Ownership | None = None
    country: CountryCode | None = None
    magnets: Magnets | None = None
    fuel: list[Fuel] = []
    identifiers: Identifiers = Identifiers()
    # The source of the classification (kind, status, purpose, ownership, country,
    # operator): for a device the IAEA lists, its Fusion Facility Database.
    classification_source: SourceId | None = None
    host: MemberId | None = None
    site: SiteId | None = None
    operator: OrganisationId | None = None
    participants: list[MemberId] = []
    predecessors: list[DeviceId] = []
    first_plasma: DatedFact | None = None
    end_of_operation: DatedFact | None = None
    parameters: Parameters = Parameters()
    records: list[PerformanceRecord] = []
    cost_estimates: list[CostEstimate] = []
    schedule_baselines: list[ScheduleBaseline] = []


class Era(Entity):
    start: PartialDate
    end: PartialDate | None = None


class Event(Record):
    date: DatedFact
    involves: list[AnyEntityId] = Field(min_length=1)
    summary: Text | None = None


OrganisationKind = Literal[
    "domestic-agency",
    "international-organisation",
    "laboratory",
    "government-agency",
    "consortium",
    "company",
    "university",
]


class FormerName(Strict):
    name: Name
    until: PartialDate


class Organisation(Entity):
    kind: OrganisationKind
    city: Text | None = None
    site: SiteId | None = None
    member: MemberId | None = None
    founded: DatedFact | None = None
    former_names: list[FormerName] = []


class Position(Strict):
    role: Text
    organisation: OrganisationId | None = None
    start: PartialDate | None = None
    end: PartialDate | None = None
    source: SourceId


class Person(Entity):
    born: PartialDate | None = None
    died: PartialDate | None = None
    nationality: Text | None = None
    positions: list[Position] = []


class Site(Entity):
    country: Text
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    source: SourceId


class Source(Strict):
    id: Id
    title: Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_one_line)]
    publisher: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)]
    url: Annotated[str, Field(pattern=r"^https?://[^\s<>\"]+$", max_length=2000)]
    published: PartialDate | None = None
    accessed: FullDate
    language: Literal["en", "zh", "fr", "ja", "ko", "ru", "de", "es", "it"] = "en"
    # What kind of source it is: the publisher itself (an organisation, laboratory,
    # government), a peer-reviewed paper, a news outlet, a reference work (an
    # encyclopaedia, Wikipedia itself), or an archive's copy of an original page.
    type: Literal["official", "peer-reviewed", "news", "reference", "archive-copy"]


KINDS: dict[str, type[Strict]] = {
    "members": Member,
    "devices": Device,
    "eras": Era,
    "events": Event,
    "organisations": Organisation,
    "sites": Site,
    "people": Person,
    "sources": Source,
}

AnyRecord = Union[Member, Device, Era, Event, Organisation, Site, Person, Source]

# --------------------------------------------------------------------------
# Physical sense: the units a quantity may be written in, and its plausible range
# --------------------------------------------------------------------------

# Unit -> factor to the quantity's base unit (A, m, W, eV, K, ...).
_SCALE = {"A": 1.0, "kA": 1e3, "mA": 1e-3, "MA": 1e6, "MW": 1e6, "GW": 1e9, "kJ": 1e3, "MJ": 1e6, "GJ": 1e9}
# Temperatures -> keV (1 keV is 11.6045 million kelvin).
_TO_KEV = {"keV": lambda v: v, "MK": lambda v: v / 11.6045, "degC": lambda v: (v + 273.15) / 11.6045e6}


class Quantity:
    """What a sourced number measures: its units and the range a real value lies in.

    ``low``/``high`` are in the first unit listed; ``low_open`` excludes ``low``
    (a radius is positive; a power may be zero).
    """

    __slots__ = ("units", "low", "high", "low_open", "what")

    def __init__(self, what: str, units: tuple[str, ...], low: float, high: float, low_open: bool = True):
        self.what, self.units, self.low, self.high, self.low_open = what, units, low, high, low_open

    def problem(self, value: float, unit: str) -> str | None:
        """Why ``value`` ``unit`` cannot be this quantity, or None."""
        if unit not in self.units:
            return f"{self.what} is written in {' or '.join(self.units)}, not {unit}"
        if unit in _SCALE and self.units[0] in _SCALE:
            base = value * _SCALE[unit] / _SCALE[self.units[0]]
        elif unit in _TO_KEV:
            base = _TO_KEV[unit](value)
        else:
            base = value
        low_ok = base > self.low if self.low_open else base >= self.low
        if not low_ok or base > self.high:
            bound = ">" if self.low_open else ">="
            return (f"{value:g} {unit} is not a plausible {self.what}: it must be {bound} {self.low:g} and "
                    f"<= {self.high:g} {self.units[0]}")
        return None


_TEMPERATURE = ("keV", "MK", "degC")
PARAMETER_QUANTITIES: dict[str, Quantity] = {
    "major_radius": Quantity("major radius", ("m",), 0, 50),
    "minor_radius": Quantity("minor radius", ("m",), 0, 20),
    "elongation": Quantity("elongation", ("ratio",), 1, 10, low_open=False),
    "plasma_volume": Quantity("plasma volume", ("m3",), 0, 1e5),
    "toroidal_field": Quantity("toroidal field", ("T",), 0, 100),
    "plasma_current": Quantity("plasma current", ("MA", "kA", "A"), 0, 100),
    "heating_power": Quantity("heating power", ("MW", "GW"), 0, 10_000),
    "triangularity": Quantity("triangularity", ("ratio",), -1, 1, low_open=False),
    "pulse_length": Quantity("pulse length", ("s",), 0, 1e8),
    "laser_energy": Quantity("laser energy", ("MJ", "kJ"), 0, 1000),
    "plasma_temperature": Quantity("plasma temperature", ("keV", "MK", "degC"), 0, 1000),
    "magnetic_energy": Quantity("magnetic energy", ("GJ", "MJ"), 0, 1000),
    "peak_field": Quantity("peak field on the coils", ("T",), 0, 100),
    "mass": Quantity("mass", ("t",), 0, 1e6),
    "beam_count": Quantity("number of beams", ("count",), 1, 10_000, low_open=False),
}
METRIC_QUANTITIES: dict[str, Quantity] = {
    "fusion_power": Quantity("fusion power", ("MW", "GW"), 0, 100_000, low_open=False),
    "fusion_energy": Quantity("fusion energy", ("MJ",), 0, 1e7, low_open=False),
    "pulse_length": Quantity("pulse length", ("s",), 0, 1e8),
    "ion_temperature": Quantity("ion temperature", _TEMPERATURE, 0, 1000),
    "electron_temperature": Quantity("electron temperature", _TEMPERATURE, 0, 1000),
    "q_equivalent": Quantity("fusion gain Q", ("ratio",), 0, 1000, low_open=False),
    "plasma_current": PARAMETER_QUANTITIES["plasma_current"],
}
SHARE = Quantity("share", ("percent",), 0, 100)
COST = Quantity("cost", ("EUR-billion", "USD-billion", "kIUA"), 0, 1000)
