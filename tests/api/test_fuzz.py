"""Fuzzing the API with schemathesis, from the generated OpenAPI schema: for every operation,
generated requests (valid and invalid) as a programme director, checking that nothing answers
500 and that every response matches the schema (status documented, body and headers as
declared, bad input refused, methods not in the schema refused).

Two things the schema cannot say are told to schemathesis:
- a request can be well formed and still break a business rule (a password too weak, an id of
  nothing, a parent that would make a loop, an owner who may not own accounts); the API answers
  that 422 with the field, and that is right;
- the API ignores query parameters it does not know (by design, `QueryIn`: a cache-buster or a
  newer client's parameter must not break a call), so undeclared parameters are not generated
  (which also stops undeclared body fields: their refusal is tested in test_bad_input.py).

The normal suite runs a few examples per operation (FUZZ_EXAMPLES, default 8); `make fuzz` runs
many more.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from accountable.api import api as ninja_api
from accountable.people.services import api_token_create

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"allow-extra-parameters": False},
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "401", "403", "404", "409", "422"]
            }
        },
    }
)
schema = schemathesis.openapi.from_dict(ninja_api.get_openapi_schema(), config=CONFIG)
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def keep_the_tests_connection() -> Iterator[None]:
    """The real WSGI handler closes "old" connections at each request, the test's own among
    them on PostgreSQL (it is inside the test's transaction); Django's test client does not,
    and neither may these calls."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def director_token(programme) -> str:
    _, raw = api_token_create(user=programme.director, name="fuzz")
    return raw


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_every_generated_request_within_its_schema(case, director_token) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {director_token}"})
