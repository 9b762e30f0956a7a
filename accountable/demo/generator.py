"""The demo programme as plain data: people, customer accounts and a dated story of the programme.

No Django here: `demo_plan(accounts=400, seed=42, now=...)` returns a `DemoPlan` that
`accountable.demo.services` loads (through the domain services for small sizes, in bulk for
benchmark sizes). The same seed and size give the same plan, name for name and id for id; only
the dates move with `now`.

How a plan is made:
1. Our company: six business units, our people with positions and managers (`director`,
   `executive`, `kam1`…, `member1`…, `outsider`).
2. Customer accounts: global accounts (a parent with subsidiaries, two or three levels) and
   standalone companies, with industries, countries, sizes, revenue, websites and external ids.
3. The programme's story over the past two years: candidates chosen, a pilot group, key
   accounts, exits, a few owner transfers and one or two cap overrides by the director. The
   owners come from a scheduler that keeps every KAM within the cap of one pilot or key account
   (overrides apart), so that the services accept every step.
4. Account teams for the owned accounts (direct team and shared resources, allocations, RACI
   with one Accountable per area) and small teams on some candidates.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Literal

from faker import Faker

SIZES = {"small": 400, "large": 100_000}
MIN_ACCOUNTS = 60
# Above this many accounts the plan is loaded in bulk (benchmark data sets).
BULK_THRESHOLD = 2_000
DEMO_PASSWORD = "accountable-demo"
COMPANY = "Meridian Industries"
EMAIL_DOMAIN = "meridian.example"
HORIZON_DAYS = 730  # the story covers the past two years
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

BUSINESS_UNITS = [
    ("Automation", "AUT"),
    ("Process Instruments", "PRI"),
    ("Drives & Motion", "DRV"),
    ("Building Systems", "BLD"),
    ("Digital Services", "DIG"),
    ("Aftermarket Service", "AFT"),
]

# slug, name, can own accounts, sort order: the positions the demo relies on (the first
# migration creates the same list; the loader recreates any that a director removed).
POSITIONS = [
    ("key-account-manager", "Key account manager", True, 10),
    ("account-director", "Account director", True, 20),
    ("executive-sponsor", "Executive sponsor", False, 30),
    ("sales-rep", "Sales rep", False, 40),
    ("inside-sales", "Inside sales", False, 50),
    ("solutions-engineer", "Solutions engineer", False, 60),
    ("customer-service", "Customer service", False, 70),
    ("supply-chain", "Supply chain", False, 80),
    ("finance", "Finance", False, 90),
    ("marketing", "Marketing", False, 100),
]

# The positions of member1, member2, … in turn (account directors are added after them).
MEMBER_POSITIONS = [
    "sales-rep",
    "solutions-engineer",
    "sales-rep",
    "customer-service",
    "inside-sales",
    "sales-rep",
    "supply-chain",
    "finance",
    "solutions-engineer",
    "marketing",
    "customer-service",
    "sales-rep",
]

PEOPLE_LOCALES = ["en_GB", "de_DE", "fr_FR", "nl_NL", "it_IT", "es_ES", "sv_SE", "pl_PL"]

# code, name in a subsidiary's name, legal suffix, region, Faker locale for family names, weight
COUNTRIES = [
    ("GB", "UK", "Ltd", "Western Europe", "en_GB", 14),
    ("DE", "Deutschland", "GmbH", "DACH", "de_DE", 14),
    ("AT", "Austria", "GmbH", "DACH", "de_AT", 2),
    ("CH", "Schweiz", "AG", "DACH", "de_CH", 3),
    ("FR", "France", "SAS", "Western Europe", "fr_FR", 9),
    ("NL", "Nederland", "B.V.", "Western Europe", "nl_NL", 5),
    ("BE", "Belgium", "NV", "Western Europe", "nl_BE", 2),
    ("IT", "Italia", "S.p.A.", "Southern Europe", "it_IT", 6),
    ("ES", "España", "S.A.", "Southern Europe", "es_ES", 5),
    ("SE", "Sverige", "AB", "Northern Europe", "sv_SE", 3),
    ("DK", "Danmark", "A/S", "Northern Europe", "da_DK", 2),
    ("NO", "Norge", "AS", "Northern Europe", "no_NO", 2),
    ("FI", "Finland", "Oy", "Northern Europe", "fi_FI", 2),
    ("PL", "Polska", "Sp. z o.o.", "Central & Eastern Europe", "pl_PL", 4),
    ("CZ", "Czech", "s.r.o.", "Central & Eastern Europe", "cs_CZ", 2),
    ("US", "USA", "Inc.", "North America", "en_US", 12),
    ("CA", "Canada", "Inc.", "North America", "en_CA", 3),
    ("MX", "México", "S.A. de C.V.", "Latin America", "es_MX", 2),
    ("BR", "Brasil", "Ltda.", "Latin America", "pt_BR", 3),
    ("JP", "Japan", "K.K.", "APAC", "", 3),
    ("CN", "China", "Co., Ltd.", "APAC", "", 3),
    ("IN", "India", "Pvt. Ltd.", "APAC", "en_IN", 3),
    ("AU", "Australia", "Pty Ltd", "APAC", "en_AU", 2),
    ("SG", "Singapore", "Pte. Ltd.", "APAC", "", 2),
    ("AE", "Middle East", "LLC", "Middle East & Africa", "", 1),
    ("ZA", "South Africa", "(Pty) Ltd", "Middle East & Africa", "", 1),
]

# Brand-like stems for countries without a family-name locale, and for variety everywhere.
BRAND_STEMS = [
    "Apex",
    "Nordic",
    "Vantage",
    "Helix",
    "Quantum",
    "Sterling",
    "Atlas",
    "Orion",
    "Polaris",
    "Summit",
    "Keystone",
    "Pioneer",
    "Crescent",
    "Meridia",
    "Vertex",
    "Aurora",
    "Cobalt",
    "Granite",
    "Harbor",
    "Ironwood",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Monarch",
    "Nimbus",
    "Onyx",
    "Pinnacle",
    "Redwood",
    "Sapphire",
    "Titan",
    "Unity",
    "Vector",
    "Westbrook",
    "Zenith",
    "Alder",
    "Beacon",
    "Cedar",
    "Delta",
    "Ember",
    "Falcon",
    "Horizon",
    "Indigo",
    "Lakeside",
    "Mosaic",
    "Northstar",
    "Oakridge",
    "Pacific",
    "Riverside",
    "Silverline",
    "Tidewater",
    "Evergreen",
    "Bluewater",
    "Highland",
    "Ridgeway",
    "Stonebridge",
    "Trident",
    "Sakura",
    "Kaizen",
    "Hoshi",
    "Lotus",
    "Jade",
    "Dragonfly",
    "Oasis",
    "Savanna",
    "Baobab",
]

# industry: (words for company names, what such a customer makes, who it sells to)
INDUSTRIES: dict[str, tuple[list[str], list[str], str]] = {
    "Automotive": (
        ["Automotive", "Mobility", "Drivetrain", "Motors"],
        ["braking systems", "seating modules", "EV battery housings", "powertrain components"],
        "vehicle makers",
    ),
    "Chemicals": (
        ["Chemicals", "Polymers", "Coatings", "Chemie"],
        ["specialty polymers", "industrial coatings", "adhesives", "catalysts"],
        "manufacturers in construction, automotive and packaging",
    ),
    "Food & Beverage": (
        ["Foods", "Dairy", "Brewing", "Nutrition"],
        ["dairy products", "soft drinks", "frozen foods", "beer"],
        "retail chains and food service",
    ),
    "Pharmaceuticals": (
        ["Pharma", "Life Sciences", "Biologics", "Health"],
        ["generic drugs", "vaccines", "active ingredients", "contract manufacturing"],
        "health systems and distributors",
    ),
    "Logistics": (
        ["Logistics", "Freight", "Transport", "Shipping"],
        ["contract logistics", "cold-chain transport", "warehousing", "port handling"],
        "manufacturers and retailers",
    ),
    "Energy & Utilities": (
        ["Energy", "Power", "Utilities", "Renewables"],
        ["power generation", "district heating", "wind farms", "grid services"],
        "households, industry and municipalities",
    ),
    "Construction": (
        ["Construction", "Building", "Infrastructure", "Bau"],
        ["commercial buildings", "tunnels and bridges", "prefabricated housing", "road works"],
        "public authorities and developers",
    ),
    "Machinery": (
        ["Machinery", "Engineering", "Maschinenbau", "Systems"],
        ["packaging machines", "machine tools", "conveyor systems", "pumps"],
        "factories worldwide",
    ),
    "Electronics": (
        ["Electronics", "Semiconductors", "Devices", "Technologies"],
        ["printed circuit boards", "sensors", "power electronics", "industrial PCs"],
        "OEMs in industry and automotive",
    ),
    "Retail": (
        ["Retail", "Stores", "Markets", "Trading"],
        ["supermarkets", "DIY stores", "fashion stores", "online retail"],
        "consumers",
    ),
    "Aerospace": (
        ["Aerospace", "Aviation", "Aero", "Avionics"],
        ["aircraft structures", "cabin interiors", "engine parts", "MRO services"],
        "airframers and airlines",
    ),
    "Packaging": (
        ["Packaging", "Containers", "Paper", "Pack"],
        ["corrugated boxes", "flexible packaging", "glass bottles", "cans"],
        "food and consumer goods brands",
    ),
    "Mining & Metals": (
        ["Metals", "Steel", "Mining", "Alloys"],
        ["flat steel", "aluminium profiles", "copper", "iron ore"],
        "construction and automotive",
    ),
    "Water": (
        ["Water", "Aqua", "Hydro", "Wasser"],
        ["drinking water supply", "wastewater treatment", "desalination", "water networks"],
        "municipalities and industry",
    ),
    "Telecommunications": (
        ["Telecom", "Networks", "Connect", "Fibre"],
        ["fibre networks", "mobile networks", "data centres", "enterprise connectivity"],
        "consumers and businesses",
    ),
}

Status = Literal["prospect", "candidate", "pilot", "key_account", "exited"]


@dataclass(frozen=True)
class Shape:
    """How much of everything a plan holds, derived from the number of accounts."""

    accounts: int
    kams: int
    members: int
    account_directors: int
    key_accounts: int
    pilots: int
    cap_overrides: int
    transfers: int
    exited_pilots: int
    candidates: int
    parked: int  # candidates sent back to prospect
    exited: int
    teams: int  # accounts with a team, the owned ones included
    grouped_share: float  # share of accounts that belong to a global account

    @property
    def bulk(self) -> bool:
        return self.accounts > BULK_THRESHOLD


def demo_shape(accounts: int) -> Shape:
    """The demo company for `accounts` customer accounts.

    Small sizes (≤ BULK_THRESHOLD) are the demo programme: ~30 people, a dozen key accounts and
    a pilot group of four. Larger sizes scale to a big programme: at 100,000 accounts, 200 KAMs,
    about 500 people and 1,000 account teams.
    """
    if accounts < MIN_ACCOUNTS:
        raise ValueError(f"The demo needs at least {MIN_ACCOUNTS} accounts, not {accounts}.")
    if accounts <= BULK_THRESHOLD:
        candidates = min(30, max(8, accounts // 13))
        return Shape(
            accounts=accounts,
            kams=14,
            members=14,
            account_directors=2,
            key_accounts=12,
            pilots=4,
            cap_overrides=2,
            transfers=3,
            exited_pilots=1,
            candidates=candidates,
            parked=max(2, candidates // 6),
            exited=min(10, max(3, accounts // 40)),
            teams=16 + min(10, candidates // 3),
            grouped_share=0.5,
        )
    kams = min(200, max(20, accounts // 500))
    people = round(kams * 2.5)
    overrides = 2
    key_accounts = round(kams * 0.8)
    return Shape(
        accounts=accounts,
        kams=kams,
        members=people - kams - 3,
        account_directors=-(-kams // 7),
        key_accounts=key_accounts,
        pilots=kams - key_accounts + overrides,
        cap_overrides=overrides,
        transfers=max(3, kams // 10),
        exited_pilots=max(1, kams // 20),
        candidates=accounts // 100,
        parked=accounts // 500,
        exited=accounts // 200,
        teams=kams * 5,
        grouped_share=0.25,
    )


# --- What a plan is made of ----------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSpec:
    """One of our people."""

    username: str
    first_name: str
    last_name: str
    email: str
    role: str  # director, executive or standard
    position: str | None  # a position slug
    business_unit: str | None  # a business unit code
    manager: str | None  # a username


@dataclass
class AccountSpec:
    """One customer account, as it is created (the programme steps move it on from there)."""

    index: int
    name: str
    parent: int | None
    depth: int
    industry: str
    country: str
    region: str
    size_band: str
    employees: int
    annual_revenue: int
    website: str
    tier: str
    external_ids: tuple[tuple[str, str], ...]
    created_at: dt.datetime = EPOCH  # set once the story is written
    profile: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class StatusChange:
    """The director moves an account through the programme (naming its owner when it needs one)."""

    at: dt.datetime
    account: int
    to_status: Status
    reason: str
    owner: str | None = None
    cap_override_reason: str = ""


@dataclass(frozen=True)
class OwnerTransfer:
    at: dt.datetime
    account: int
    to_owner: str
    reason: str


@dataclass(frozen=True)
class OwnerRelease:
    at: dt.datetime
    account: int
    reason: str


@dataclass(frozen=True)
class TeamAdd:
    at: dt.datetime
    account: int
    actor: str
    user: str
    position: str
    kind: str  # direct or shared
    allocation_pct: int
    responsibilities: str


@dataclass(frozen=True)
class TeamUpdate:
    at: dt.datetime
    account: int
    actor: str
    user: str
    allocation_pct: int
    responsibilities: str


@dataclass(frozen=True)
class TeamRemove:
    at: dt.datetime
    account: int
    actor: str
    user: str
    reason: str


@dataclass(frozen=True)
class RaciSet:
    at: dt.datetime
    account: int
    actor: str
    user: str
    roles: tuple[tuple[str, str], ...]  # (area, R/A/C/I)


Step = StatusChange | OwnerTransfer | OwnerRelease | TeamAdd | TeamUpdate | TeamRemove | RaciSet


@dataclass
class DemoPlan:
    seed: int
    shape: Shape
    now: dt.datetime
    people: list[PersonSpec]
    accounts: list[AccountSpec]
    steps: list[Step]  # in the order they happened
    password: str = DEMO_PASSWORD
    company: str = COMPANY
    business_units: list[tuple[str, str]] = field(default_factory=lambda: list(BUSINESS_UNITS))
    director: str = "director"

    def people_created_at(self) -> dt.datetime:
        return _day(self.now, HORIZON_DAYS + 200, 0)


# --- Building a plan ------------------------------------------------------------------------------


def demo_plan(*, accounts: int, seed: int = 42, now: dt.datetime) -> DemoPlan:
    """A reproducible demo company of `accounts` customer accounts; see the module docstring."""
    shape = demo_shape(accounts)
    rng = random.Random(seed)
    fakers = _Fakers(seed)
    specs = _accounts(shape, rng, fakers, now)
    story = _Story(shape, rng, now, specs)
    story.write()
    people = _people(shape, rng, fakers, story.kam_business_units)
    return DemoPlan(
        seed=seed, shape=shape, now=now, people=people, accounts=specs, steps=story.ordered_steps()
    )


class _Fakers:
    """One seeded Faker per locale, so a name never depends on which locales were used before."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._by_locale: dict[str, Faker] = {}

    def get(self, locale: str) -> Faker:
        if locale not in self._by_locale:
            faker = Faker(locale)
            faker.seed_instance(f"{self.seed}-{locale}")
            self._by_locale[locale] = faker
        return self._by_locale[locale]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _slug(text: str) -> str:
    return _NOT_ALNUM.sub("-", _ascii(text).lower()).strip("-")


def _day(now: dt.datetime, days_ago: int, minute: int) -> dt.datetime:
    """A moment `days_ago` days before `now`, at 09:00 UTC plus `minute` minutes."""
    day = (now - dt.timedelta(days=days_ago)).astimezone(dt.UTC)
    return day.replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(minutes=minute)


# --- People -------------------------------------------------------------------------------------


def _people(
    shape: Shape, rng: random.Random, fakers: _Fakers, kam_business_units: dict[int, str]
) -> list[PersonSpec]:
    used: set[tuple[str, str]] = set()

    def name() -> tuple[str, str]:
        while True:
            faker = fakers.get(rng.choice(PEOPLE_LOCALES))
            first, last = faker.first_name(), faker.last_name()
            if (first, last) not in used:
                used.add((first, last))
                return first, last

    def person(
        username: str, role: str, position: str | None, bu: str | None, manager: str | None
    ) -> PersonSpec:
        first, last = name()
        email = f"{_slug(first).replace('-', '')}.{_slug(last).replace('-', '')}@{EMAIL_DOMAIN}"
        return PersonSpec(
            username=username,
            first_name=first,
            last_name=last,
            email=email,
            role=role,
            position=position,
            business_unit=bu,
            manager=manager,
        )

    codes = [code for _, code in BUSINESS_UNITS]
    people = [
        person("executive", "executive", "executive-sponsor", None, None),
        person("director", "director", None, None, "executive"),
    ]
    others = shape.members - shape.account_directors
    directors = [f"member{others + i + 1}" for i in range(shape.account_directors)]
    for i, username in enumerate(directors):
        people.append(
            person(username, "standard", "account-director", codes[i % len(codes)], "director")
        )
    for k in range(shape.kams):
        bu = kam_business_units.get(k, codes[k % len(codes)])
        people.append(
            person(
                f"kam{k + 1}", "standard", "key-account-manager", bu, directors[k % len(directors)]
            )
        )
    for i in range(others):
        bu_index = rng.randrange(len(codes))
        people.append(
            person(
                f"member{i + 1}",
                "standard",
                MEMBER_POSITIONS[i % len(MEMBER_POSITIONS)],
                codes[bu_index],
                directors[bu_index % len(directors)],
            )
        )
    people.append(person("outsider", "standard", "sales-rep", codes[0], directors[0]))
    # Managers first, so that each person's manager exists when they are created.
    order = {"executive": 0, "director": 1}
    return sorted(
        people, key=lambda p: order.get(p.username, 2 if p.position == "account-director" else 3)
    )


# --- Customer accounts --------------------------------------------------------------------------


class _Names:
    """Unique company names from family names of the country and brand-like stems."""

    def __init__(self, rng: random.Random, fakers: _Fakers) -> None:
        self.rng = rng
        self.stems: dict[str, list[str]] = {}
        for _, _, _, _, locale, _ in COUNTRIES:
            if locale and locale not in self.stems:
                faker = fakers.get(locale)
                self.stems[locale] = sorted({faker.last_name() for _ in range(400)})
        self.used: set[str] = set()

    def base(self, locale: str, industry: str) -> str:
        words = INDUSTRIES[industry][0]
        for attempt in range(50):
            pool = self.stems.get(locale) if locale and self.rng.random() < 0.8 else None
            stem = self.rng.choice(pool) if pool else self.rng.choice(BRAND_STEMS)
            shape = self.rng.random()
            if shape < 0.6:
                base = f"{stem} {self.rng.choice(words)}"
            elif shape < 0.8 and pool:
                base = f"{stem} & {self.rng.choice(pool)}"
            else:
                base = f"{stem} {self.rng.choice(BRAND_STEMS)} {self.rng.choice(words)}"
            if attempt > 40:
                base = f"{base} {attempt}"
            if base not in self.used:
                self.used.add(base)
                return base
        raise AssertionError("unreachable: the last attempts are numbered")


def _accounts(
    shape: Shape, rng: random.Random, fakers: _Fakers, now: dt.datetime
) -> list[AccountSpec]:
    """Global accounts (parent, subsidiaries, sometimes their subsidiaries) and standalones.

    Parents always come before their subsidiaries in the list.
    """
    names = _Names(rng, fakers)
    countries = COUNTRIES
    cum_weights = list(itertools.accumulate(c[5] for c in countries))
    industries = sorted(INDUSTRIES)
    specs: list[AccountSpec] = []
    grouped_target = int(shape.accounts * shape.grouped_share)

    def add(
        name: str, parent: AccountSpec | None, country: tuple, industry: str, employees: int
    ) -> AccountSpec:
        index = len(specs)
        size_band = (
            "small"
            if employees < 50
            else "medium"
            if employees < 1000
            else "large"
            if employees < 10_000
            else "enterprise"
        )
        revenue = round(employees * rng.uniform(120_000, 450_000), -3)
        tier = {"enterprise": "2", "large": "2", "medium": "3"}.get(size_band, "")
        external = [("crm", f"CRM-{index + 1:07d}")]
        if rng.random() < 0.65:
            external.append(("erp", f"{country[0]}{100_000 + index}"))
        spec = AccountSpec(
            index=index,
            name=name,
            parent=parent.index if parent else None,
            depth=parent.depth + 1 if parent else 0,
            industry=industry,
            country=country[0],
            region=country[3],
            size_band=size_band,
            employees=employees,
            annual_revenue=int(revenue),
            website=f"https://www.{_slug(name)[:60].strip('-')}.example",
            tier=tier,
            external_ids=tuple(external),
        )
        specs.append(spec)
        return spec

    grouped = 0
    while len(specs) < shape.accounts:
        country = rng.choices(countries, cum_weights=cum_weights)[0]
        industry = rng.choice(industries)
        base = names.base(country[4], industry)
        if grouped < grouped_target and shape.accounts - len(specs) > 4:
            before = len(specs)
            root_employees = int(rng.lognormvariate(9.2, 0.9))
            root = add(
                f"{base} {rng.choice(['Group', 'Holding', 'Group', country[2]])}",
                None,
                country,
                industry,
                max(root_employees, 500),
            )
            abroad = [c for c in countries if c != country]
            for sub_country in rng.sample(abroad, rng.randint(1, 5)):
                sub = add(
                    f"{base} {sub_country[1]} {sub_country[2]}",
                    root,
                    sub_country,
                    industry,
                    max(20, int(root.employees * rng.uniform(0.05, 0.3))),
                )
                if rng.random() < 0.3:
                    for division in rng.sample(
                        ["Services", "Components", "Logistics", "Systems", "Solutions"],
                        rng.randint(1, 2),
                    ):
                        add(
                            f"{base} {division} {sub_country[1]} {sub_country[2]}",
                            sub,
                            sub_country,
                            industry,
                            max(10, int(sub.employees * rng.uniform(0.1, 0.4))),
                        )
            grouped += len(specs) - before
        else:
            employees = max(5, int(rng.lognormvariate(5.5, 1.6)))
            add(f"{base} {country[2]}", None, country, industry, employees)
    # A last group may overshoot; subsidiaries come after their parents, so cutting the tail
    # never leaves one without its parent.
    del specs[shape.accounts :]
    return specs


# --- The programme's story ----------------------------------------------------------------------

REASONS = {
    ("prospect", "candidate"): [
        "Scored in the top decile for growth potential; buys from three of our business units.",
        "Willing to partner: open to sharing demand forecasts and planning jointly.",
        "Growing fast and our share of wallet is under 10 %.",
        "Nominated by the business units: a new plant investment is announced for next year.",
        "The customer asked for one point of contact across our business units.",
    ],
    ("candidate", "pilot"): [
        "Selected for the pilot group: high potential and an executive sponsor on their side.",
        "Pilot: the customer agreed to a joint account plan and quarterly business reviews.",
        "Pilot: willing to dedicate a cross-functional team and share sensitive data.",
    ],
    ("pilot", "key_account"): [
        "The pilot met its goals: joint plan signed, two more business units engaged.",
        "Pilot review passed: relationship map complete, share of wallet up.",
        "Pilot review passed: co-funded initiative agreed with their operations board.",
    ],
    ("candidate", "key_account"): [
        "Second selection round: top score on potential and willingness to partner.",
        "Second selection round: strategic fit confirmed by both executive teams.",
    ],
    ("candidate", "prospect"): [
        "Parked: no willingness to share data or to dedicate a team for now.",
        "Parked after the selection review: potential lower than estimated.",
    ],
    ("prospect", "exited"): [
        "Acquired by a competitor's parent group.",
        "Closed its European operations.",
        "Buys on price only; not a fit for the programme.",
    ],
    ("candidate", "exited"): [
        "Dropped after the selection review: declining market and no appetite to partner.",
        "Moved its purchasing to a tender-only model.",
    ],
    ("pilot", "exited"): [
        "Pilot stopped: the customer would not dedicate a cross-functional team.",
    ],
}

TRANSFER_REASONS = [
    "{old} moves on to lead a new pilot; handover plan agreed with the customer.",
    "Realigned after the regional reorganisation; {old} stays available for the handover.",
    "{old} takes over a programme in another region; the customer met the new KAM first.",
]

OVERRIDE_REASON = (
    "{kam} already leads {account}, whose buying centre overlaps with this pilot's; one KAM "
    "keeps the relationship whole until the pilot review."
)

KAM_DUTIES = "Accountable owner (KAM): account strategy, the plan and the executive relationship."
DUTIES = {
    "sales-rep": "Runs our business unit's relationship with their plants and its pipeline.",
    "inside-sales": "Quotes, order follow-up and the weekly call with their purchasing team.",
    "solutions-engineer": "Technical lead: specifications, trials and the installed base.",
    "customer-service": "Single point of contact for orders, complaints and returns.",
    "supply-chain": "Forecasts, safety stock and the quarterly supply review.",
    "finance": "Pricing approvals, rebates and credit limits.",
    "marketing": "Joint case studies and the customer's events.",
    "account-director": "Escalation point; reviews the account plan every quarter.",
    "executive-sponsor": "Executive sponsor: meets their leadership twice a year.",
}
# The RACI of each position on an owned account's team; exactly one Accountable per area.
RACI_BY_POSITION = {
    "key-account-manager": {
        "strategy": "A",
        "relationships": "A",
        "pricing": "A",
        "delivery": "C",
        "service": "I",
    },
    "sales-rep": {"relationships": "R", "pricing": "C", "strategy": "I"},
    "inside-sales": {"service": "R", "relationships": "I"},
    "solutions-engineer": {"delivery": "A"},
    "customer-service": {"service": "A", "delivery": "R"},
    "supply-chain": {"supply_chain": "A"},
    "finance": {"pricing": "R"},
    "marketing": {"strategy": "C"},
    "account-director": {"strategy": "C"},
    "executive-sponsor": {"relationships": "C", "strategy": "C"},
}

PROFILE = {
    "business_model": [
        "{name} makes {product} for {customers}. About {pct} % of revenue comes from "
        "aftermarket services and spare parts; the rest from new equipment sold through "
        "framework agreements.",
        "{name} sells {product} to {customers} under three-year contracts, with a growing "
        "share of service and subscription revenue ({pct} %).",
    ],
    "strategy": [
        "Grow services to {pct} % of revenue by 2028; halve the number of suppliers and work "
        "with fewer strategic partners.",
        "Expand in {region} through acquisitions; standardise plants on one technology platform.",
        "Become carbon-neutral in operations by 2030; invest in digital twins of every plant.",
    ],
    "core_values": [
        "Safety first, customer intimacy, long-term partnerships over lowest price.",
        "Engineering excellence, integrity, and decisions close to the customer.",
    ],
    "current_initiatives": [
        "Supplier consolidation programme; new plant in {country} ramping up; ERP migration.",
        "Energy-efficiency programme across all sites; predictive maintenance pilot.",
        "Shared-services centre for purchasing; a second production line for {product}.",
    ],
    "culture": [
        "Engineering-led and consensus-driven; relationships built over years, not quarters.",
        "Fast-moving and numbers-driven; the plant managers have real autonomy.",
    ],
    "company_history": [
        "Founded as a family business; listed since the 1990s; grew through acquisitions in "
        "{region}.",
        "Spun off from a conglomerate; private-equity owned since 2018.",
    ],
    "decision_process": [
        "Central purchasing runs tenders above 250k; the plant managers choose the "
        "specification; the COO signs off strategic suppliers.",
        "Category managers decide within a budget set by the executive board; technical "
        "approval by the engineering centre is a precondition.",
    ],
}


@dataclass
class _Track:
    """One owned account's story; owners are KAM slots until the scheduler names them."""

    account: int
    kind: Literal["key", "key_direct", "pilot", "exited_pilot"]
    candidate_day: int
    start_day: int  # days ago the account got its owner (pilot, or key account directly)
    key_day: int | None = None
    exit_day: int | None = None
    transfer_day: int | None = None
    override: bool = False
    owners: list[int] = field(default_factory=list)


class _Story:
    """Writes the programme's steps; days count back from `now`."""

    def __init__(
        self, shape: Shape, rng: random.Random, now: dt.datetime, specs: list[AccountSpec]
    ) -> None:
        self.shape = shape
        self.rng = rng
        self.now = now
        self.specs = specs
        self._steps: list[tuple[int, int, Step]] = []  # (days ago, sequence, step)
        self._seq = 0
        self.kam_business_units: dict[int, str] = {}
        self.kam_names: dict[int, str] = {}
        self.created_days: dict[int, int] = {}

    # Steps are created with a placeholder time; `ordered_steps` dates them.
    def add(self, days_ago: int, step: Step) -> None:
        self._seq += 1
        self._steps.append((days_ago, self._seq, step))

    def ordered_steps(self) -> list[Step]:
        ordered = sorted(self._steps, key=lambda item: (-item[0], item[1]))
        steps: list[Step] = []
        minute_of_day: dict[int, int] = {}
        for days_ago, _, step in ordered:
            minute = minute_of_day.get(days_ago, 0)
            minute_of_day[days_ago] = minute + 1
            steps.append(replace(step, at=_day(self.now, days_ago, 30 + minute)))
        return steps

    def reason(self, from_status: str, to_status: str) -> str:
        return self.rng.choice(REASONS[(from_status, to_status)])

    def write(self) -> None:
        tracks = self._tracks()
        self._schedule(tracks)
        self._name_kams(tracks)
        member_pool = _MemberPool(self.shape)
        self._owned_steps(tracks, member_pool)
        taken = {t.account for t in tracks}
        self._candidate_steps(taken, member_pool)
        self._creation_dates()
        self._profiles(tracks)

    # 1. Which accounts join the programme, and when.
    def _tracks(self) -> list[_Track]:
        shape, rng = self.shape, self.rng
        owned = shape.key_accounts + shape.pilots + shape.exited_pilots
        # Key accounts are mostly global accounts: the largest groups first, then the largest
        # standalone companies.
        parents = {s.parent for s in self.specs if s.parent is not None}
        by_size = sorted(
            (s for s in self.specs if s.depth == 0),
            key=lambda s: (s.index not in parents, -s.employees, s.index),
        )
        tops = by_size[: max(owned * 2, owned + 10)]
        chosen = rng.sample(tops, owned)
        tracks: list[_Track] = []
        direct = shape.key_accounts // 3
        for n, spec in enumerate(chosen):
            if n < shape.key_accounts - direct:
                candidate = rng.randint(640, 700)
                start = candidate - rng.randint(20, 60)
                tracks.append(
                    _Track(
                        spec.index,
                        "key",
                        candidate,
                        start,
                        key_day=max(60, start - rng.randint(90, 200)),
                    )
                )
            elif n < shape.key_accounts:
                candidate = rng.randint(300, 560)
                start = max(40, candidate - rng.randint(30, 120))
                tracks.append(_Track(spec.index, "key_direct", candidate, start, key_day=start))
            elif n < shape.key_accounts + shape.pilots:
                candidate = rng.randint(200, 400)
                tracks.append(_Track(spec.index, "pilot", candidate, rng.randint(20, 180)))
            else:
                candidate = rng.randint(660, 700)
                start = rng.randint(560, 640)
                tracks.append(
                    _Track(
                        spec.index, "exited_pilot", candidate, start, exit_day=rng.randint(420, 500)
                    )
                )
        for track in tracks:
            self.specs[track.account].tier = "1"
        pilots = [t for t in tracks if t.kind == "pilot"]
        for track in pilots[: shape.cap_overrides]:
            track.override = True
        # Transfers: a key account changes hands shortly before another account gets its
        # owner, so that a KAM is free to take it over.
        late_starts = sorted(
            t.start_day for t in tracks if t.kind in ("pilot", "key_direct") and not t.override
        )
        # The longest-standing key account (kam1's) stays with its first owner.
        candidates = sorted(
            (t for t in tracks if t.kind == "key"), key=lambda t: (-t.start_day, t.account)
        )[1:]
        rng.shuffle(candidates)
        for track, late in zip(candidates, late_starts, strict=False):
            if len([t for t in tracks if t.transfer_day]) >= shape.transfers:
                break
            day = late + rng.randint(2, 12)
            if day <= track.start_day - 60:
                track.transfer_day = day
        return tracks

    # 2. Which KAM owns what: never more than one pilot or key account, overrides apart.
    def _schedule(self, tracks: list[_Track]) -> None:
        events: list[tuple[int, int, str, _Track]] = []
        for n, track in enumerate(tracks):
            events.append((track.start_day, n, "start", track))
            if track.exit_day is not None:
                events.append((track.exit_day, n, "end", track))
            if track.transfer_day is not None:
                events.append((track.transfer_day, n, "transfer", track))
        events.sort(key=lambda e: (-e[0], e[1]))
        holding: dict[int, _Track] = {}  # KAM slot → the counted account it owns
        overridden: set[int] = set()
        for _, _, what, track in events:
            if what == "start" and track.override:
                busy = sorted(
                    k
                    for k, t in holding.items()
                    if t.kind in ("key", "key_direct")
                    and k not in overridden
                    and t.transfer_day is None
                )
                if not busy:
                    track.override = False  # nobody to override; an ordinary assignment
                else:
                    kam = self.rng.choice(busy)
                    overridden.add(kam)
                    track.owners.append(kam)
                    continue
            if what in ("start", "transfer"):
                free = sorted(set(range(self.shape.kams)) - set(holding))
                if not free:
                    if what == "transfer":
                        track.transfer_day = None
                        continue
                    raise ValueError("the plan needs more KAMs than its shape has")
                kam = self.rng.choice(free)
                if what == "transfer":
                    del holding[track.owners[-1]]
                track.owners.append(kam)
                holding[kam] = track
            elif what == "end":
                del holding[track.owners[-1]]

    # 3. kam1 is the owner of the longest-standing key account, kam2 the next, …
    def _name_kams(self, tracks: list[_Track]) -> None:
        current = {}
        for track in tracks:
            if track.kind != "exited_pilot" and not track.override:
                current[track.owners[-1]] = track
        order = sorted(
            range(self.shape.kams),
            key=lambda k: (
                (current[k].start_day * -1, current[k].account) if k in current else (1, k)
            ),
        )
        number = {slot: n for n, slot in enumerate(order)}
        codes = [code for _, code in BUSINESS_UNITS]
        for slot, n in number.items():
            self.kam_names[slot] = f"kam{n + 1}"
            self.kam_business_units[n] = codes[self.rng.randrange(len(codes))]

    def _kam(self, slot: int) -> str:
        return self.kam_names[slot]

    # 4. The owned accounts' steps: status moves, owners, teams and RACI.
    def _owned_steps(self, tracks: list[_Track], pool: _MemberPool) -> None:
        director = "director"
        by_kam = sorted(tracks, key=lambda t: (t.override, int(self._kam(t.owners[-1])[3:])))
        for track in by_kam:
            a = track.account
            self.add(
                track.candidate_day,
                StatusChange(self.now, a, "candidate", self.reason("prospect", "candidate")),
            )
            first = self._kam(track.owners[0])
            override = ""
            if track.override:
                holder = next(
                    t
                    for t in tracks
                    if not t.override
                    and t.owners[-1] == track.owners[0]
                    and t.kind != "exited_pilot"
                )
                override = OVERRIDE_REASON.format(
                    kam=first, account=self.specs[holder.account].name
                )
            if track.kind == "key_direct":
                self.add(
                    track.start_day,
                    StatusChange(
                        self.now,
                        a,
                        "key_account",
                        self.reason("candidate", "key_account"),
                        owner=first,
                    ),
                )
            else:
                self.add(
                    track.start_day,
                    StatusChange(
                        self.now,
                        a,
                        "pilot",
                        self.reason("candidate", "pilot"),
                        owner=first,
                        cap_override_reason=override,
                    ),
                )
            if track.kind == "key" and track.key_day is not None:
                self.add(
                    track.key_day,
                    StatusChange(self.now, a, "key_account", self.reason("pilot", "key_account")),
                )
            team_day = max(1, track.start_day - self.rng.randint(3, 20))
            allocation = (
                self.rng.choice([20, 25, 30])
                if track.override
                else self.rng.choice([60, 70, 70, 80])
            )
            self.add(team_day, TeamUpdate(self.now, a, first, first, allocation, KAM_DUTIES))
            if track.kind == "exited_pilot":
                assert track.exit_day is not None
                self.add(
                    track.exit_day,
                    StatusChange(self.now, a, "exited", self.reason("pilot", "exited")),
                )
                self.add(
                    track.exit_day,
                    OwnerRelease(
                        self.now, a, f"The pilot ended; {first} is free for another account."
                    ),
                )
                self.add(
                    track.exit_day, TeamRemove(self.now, a, director, first, "The pilot ended.")
                )
                continue
            members = pool.team(self.specs[a], owned=True, rng=self.rng)
            for member in members:
                self.add(
                    team_day,
                    TeamAdd(
                        self.now,
                        a,
                        first,
                        member.username,
                        member.position,
                        member.kind,
                        member.allocation_pct,
                        member.duties,
                    ),
                )
            raci_day = max(1, team_day - 1)
            kam_roles = dict(RACI_BY_POSITION["key-account-manager"])
            if not any(m.position == "supply-chain" for m in members):
                kam_roles["supply_chain"] = "A"
            self.add(raci_day, RaciSet(self.now, a, first, first, tuple(kam_roles.items())))
            for member in members:
                roles = RACI_BY_POSITION.get(member.position, {})
                if member.position == "sales-rep" and member is not members[0]:
                    roles = {"relationships": "C", "strategy": "I"}
                if roles:
                    self.add(
                        raci_day, RaciSet(self.now, a, first, member.username, tuple(roles.items()))
                    )
            if track.transfer_day is not None:
                new = self._kam(track.owners[1])
                self.add(
                    track.transfer_day,
                    OwnerTransfer(
                        self.now, a, new, self.rng.choice(TRANSFER_REASONS).format(old=first)
                    ),
                )
                self.add(
                    track.transfer_day,
                    TeamRemove(self.now, a, director, first, f"Handed over to {new}."),
                )
                self.add(
                    track.transfer_day, RaciSet(self.now, a, new, new, tuple(kam_roles.items()))
                )
                self.add(
                    track.transfer_day, TeamUpdate(self.now, a, new, new, allocation, KAM_DUTIES)
                )

    # 5. Candidates, parked candidates and exits; small teams on some candidates.
    def _candidate_steps(self, taken: set[int], pool: _MemberPool) -> None:
        shape, rng = self.shape, self.rng
        free = [s for s in self.specs if s.index not in taken]
        big = [s for s in free if s.size_band in ("large", "enterprise", "medium")]
        rng.shuffle(big)
        candidates = big[: shape.candidates]
        chosen = {c.index for c in candidates}
        rest = [s for s in free if s.index not in chosen]
        rng.shuffle(rest)
        parked = rest[: shape.parked]
        exited = rest[shape.parked : shape.parked + shape.exited]
        for spec in candidates:
            spec.tier = "1" if spec.size_band == "enterprise" else "2"
            self.add(
                rng.randint(10, 700),
                StatusChange(
                    self.now, spec.index, "candidate", self.reason("prospect", "candidate")
                ),
            )
        for spec in parked:
            day = rng.randint(100, 700)
            self.add(
                day,
                StatusChange(
                    self.now, spec.index, "candidate", self.reason("prospect", "candidate")
                ),
            )
            self.add(
                rng.randint(10, day - 60),
                StatusChange(
                    self.now, spec.index, "prospect", self.reason("candidate", "prospect")
                ),
            )
        for n, spec in enumerate(exited):
            day = rng.randint(60, 700)
            if n % 2:
                self.add(
                    day,
                    StatusChange(self.now, spec.index, "exited", self.reason("prospect", "exited")),
                )
            else:
                self.add(
                    day,
                    StatusChange(
                        self.now, spec.index, "candidate", self.reason("prospect", "candidate")
                    ),
                )
                self.add(
                    rng.randint(5, day - 30),
                    StatusChange(
                        self.now, spec.index, "exited", self.reason("candidate", "exited")
                    ),
                )
        owned_teams = len(taken) - shape.exited_pilots
        teamed = candidates[: max(0, shape.teams - owned_teams)]
        days = {
            step.account: d
            for d, _, step in self._steps
            if isinstance(step, StatusChange) and step.to_status == "candidate"
        }
        for spec in teamed:
            day = max(1, days[spec.index] - rng.randint(5, 30))
            for member in pool.team(spec, owned=False, rng=rng):
                self.add(
                    day,
                    TeamAdd(
                        self.now,
                        spec.index,
                        "director",
                        member.username,
                        member.position,
                        member.kind,
                        member.allocation_pct,
                        member.duties,
                    ),
                )

    # 6. When each account was created: most in the first CRM import, the rest since; an
    #    account in the programme, and the accounts above it, come from that first import.
    def _creation_dates(self) -> None:
        in_programme = {step.account for _, _, step in self._steps}
        for index in sorted(in_programme):
            parent = self.specs[index].parent
            while parent is not None and parent not in in_programme:
                in_programme.add(parent)
                parent = self.specs[parent].parent
        for spec in self.specs:
            days_ago = HORIZON_DAYS
            if spec.index not in in_programme and self.rng.random() < 0.25:
                days_ago = self.rng.randint(2, HORIZON_DAYS - 1)
            if spec.parent is not None:
                days_ago = min(days_ago, self.created_days[spec.parent])
            self.created_days[spec.index] = days_ago
            spec.created_at = _day(self.now, days_ago, 0)

    # 7. Customer profiles for the owned accounts and a third of the candidates.
    def _profiles(self, tracks: list[_Track]) -> None:
        wanted = {t.account for t in tracks}
        wanted |= {
            step.account
            for _, _, step in self._steps
            if isinstance(step, StatusChange)
            and step.to_status == "candidate"
            and self.rng.random() < 0.33
        }
        for index in sorted(wanted):
            spec = self.specs[index]
            _, products, customers = INDUSTRIES[spec.industry]
            values = {
                "name": spec.name,
                "product": self.rng.choice(products),
                "customers": customers,
                "pct": self.rng.choice([15, 20, 25, 30, 35]),
                "region": spec.region,
                "country": spec.country,
            }
            spec.profile = {
                name: self.rng.choice(texts).format(**values) for name, texts in PROFILE.items()
            }


@dataclass(frozen=True)
class _Member:
    username: str
    position: str
    kind: str
    allocation_pct: int
    duties: str


class _MemberPool:
    """Chooses team members by position, least loaded first, keeping everyone within 100 %."""

    DIRECT = ("sales-rep", "inside-sales", "solutions-engineer")

    def __init__(self, shape: Shape) -> None:
        others = shape.members - shape.account_directors
        self.by_position: dict[str, list[str]] = {}
        self.bu: dict[str, str] = {}
        for i in range(others):
            self.by_position.setdefault(MEMBER_POSITIONS[i % len(MEMBER_POSITIONS)], []).append(
                f"member{i + 1}"
            )
        self.by_position["account-director"] = [
            f"member{others + i + 1}" for i in range(shape.account_directors)
        ]
        self.by_position["executive-sponsor"] = ["executive"]
        self.load: dict[str, int] = {}
        self.order: dict[str, int] = {}
        for names in self.by_position.values():
            for n, name in enumerate(names):
                self.order[name] = n
        self.sponsored = 0

    def pick(self, position: str, allocation: int, exclude: set[str]) -> _Member | None:
        names = [n for n in self.by_position.get(position, []) if n not in exclude]
        if not names:
            return None
        name = min(names, key=lambda n: (self.load.get(n, 0), self.order[n]))
        # Nobody goes over 100 %: a busy person joins with what time they have left.
        allocation = max(0, min(allocation, 100 - self.load.get(name, 0)))
        self.load[name] = self.load.get(name, 0) + allocation
        kind = "direct" if position in self.DIRECT else "shared"
        return _Member(name, position, kind, allocation, DUTIES[position])

    def team(self, spec: AccountSpec, *, owned: bool, rng: random.Random) -> list[_Member]:
        if owned:
            wanted = [
                ("sales-rep", rng.choice([10, 15])),
                ("solutions-engineer", rng.choice([5, 10])),
                ("customer-service", 5),
            ]
            if rng.random() < 0.5:
                wanted.insert(1, ("sales-rep", 5))
            for position, chance, pct in (
                ("inside-sales", 0.6, 10),
                ("supply-chain", 0.5, 5),
                ("finance", 0.5, 5),
                ("marketing", 0.3, 5),
                ("account-director", 0.4, 5),
            ):
                if rng.random() < chance:
                    wanted.append((position, pct))
            if self.sponsored < 5 and rng.random() < 0.5:
                self.sponsored += 1
                wanted.append(("executive-sponsor", 5))
        else:
            wanted = [("sales-rep", rng.choice([2, 5])) for _ in range(rng.randint(1, 3))]
            if rng.random() < 0.5:
                wanted.append(("solutions-engineer", 2))
        chosen: list[_Member] = []
        for position, pct in wanted:
            member = self.pick(position, pct, {m.username for m in chosen})
            if member is not None:
                chosen.append(member)
        return chosen
