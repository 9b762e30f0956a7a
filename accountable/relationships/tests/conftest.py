"""Fixtures for the relationships tests: a small org chart on the personas' key account."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accountable.relationships import services
from accountable.relationships.models import Stakeholder


@dataclass
class Org:
    ceo: Stakeholder
    cfo: Stakeholder
    buyer: Stakeholder
    engineer: Stakeholder


@pytest.fixture
def org(programme) -> Org:
    """CEO ← CFO ← buyer; CEO ← engineer, on `programme.account`."""
    a, d = programme.account, programme.director
    ceo = services.stakeholder_create(
        account=a, actor=d, name="Clara Chief", title="CEO", seniority=5, dmu_role="decider"
    )
    cfo = services.stakeholder_create(
        account=a,
        actor=d,
        name="Frank Finance",
        title="CFO",
        seniority=5,
        reports_to=ceo,
        buying_role="economic_buyer",
        influence=5,
    )
    buyer = services.stakeholder_create(
        account=a, actor=d, name="Pia Purchaser", title="Buyer", reports_to=cfo
    )
    engineer = services.stakeholder_create(
        account=a,
        actor=d,
        name="Ed Engineer",
        title="Lead engineer",
        reports_to=ceo,
        buying_role="technical_buyer",
        attitude="supporter",
    )
    return Org(ceo=ceo, cfo=cfo, buyer=buyer, engineer=engineer)
