"""One JSON log line per request with its id; X-Request-ID honoured or generated."""

import io
import json
import logging

import pytest

from accountable.ops.logging import JsonFormatter, RequestIdFilter, logging_config


@pytest.fixture
def request_log():
    """The lines accountable.request writes, formatted as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("accountable.request")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_a_page_request_logs_one_json_line_with_user_status_and_duration(
    login, programme, request_log
):
    # given
    client = login(programme.kam)

    # when
    response = client.get("/accounts/", headers={"x-request-id": "proxy-abc.123"})

    # then
    [line] = request_log()
    assert response["X-Request-ID"] == "proxy-abc.123"
    assert line["request_id"] == "proxy-abc.123"
    assert line["method"] == "GET"
    assert line["path"] == "/accounts/"
    assert line["status"] == 200
    assert line["user_id"] == programme.kam.pk
    assert line["client_ip"] == "127.0.0.1"
    assert line["level"] == "INFO"
    assert line["logger"] == "accountable.request"
    assert line["message"] == "GET /accounts/ 200"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_an_api_request_logs_the_tokens_user(client, programme, request_log):
    # given
    from accountable.people.services import api_token_create

    _, raw = api_token_create(user=programme.director)

    # when
    client.get("/api/v1/accounts/", headers={"authorization": f"Bearer {raw}"})

    # then
    [line] = request_log()
    assert line["user_id"] == programme.director.pk
    assert line["status"] == 200


def test_a_request_without_an_id_gets_a_new_one(client, db, request_log):
    # when
    first = client.get("/login/")
    second = client.get("/login/")

    # then
    assert len(first["X-Request-ID"]) == 32
    assert first["X-Request-ID"] != second["X-Request-ID"]
    assert [line["request_id"] for line in request_log()] == [
        first["X-Request-ID"],
        second["X-Request-ID"],
    ]
    assert [line["user_id"] for line in request_log()] == [None, None]


@pytest.mark.parametrize(
    "sent", ["has space", "x" * 129, "<script>", "new\nline", 'quote"d'], ids=repr
)
def test_a_request_id_that_is_not_plain_is_replaced(client, db, sent):
    # when
    response = client.get("/login/", headers={"x-request-id": sent})

    # then
    assert response["X-Request-ID"] != sent
    assert len(response["X-Request-ID"]) == 32


def test_successful_health_probes_are_not_logged(client, db, request_log):
    # when
    client.get("/healthz")
    client.get("/readyz")

    # then
    assert request_log() == []


def test_a_server_error_is_logged_at_error_level_with_the_same_request_id(
    login, programme, request_log, monkeypatch
):
    # given
    from accountable.accounts import views

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "account_list_for_user", broken)
    client = login(programme.director)
    client.raise_request_exception = False

    # when
    response = client.get("/accounts/")

    # then
    [line] = request_log()
    assert response.status_code == 500
    assert line["level"] == "ERROR"
    assert line["status"] == 500
    assert line["request_id"] == response["X-Request-ID"]


def test_json_formatter_writes_exceptions_and_extra_fields():
    # given
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("job",), None)
    try:
        raise ValueError("bad")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    record.job_id = 7

    # when
    entry = json.loads(JsonFormatter().format(record))

    # then
    assert entry["message"] == "failed job"
    assert entry["job_id"] == 7
    assert entry["exception_type"] == "ValueError"
    assert "ValueError: bad" in entry["exception"]


def test_log_format_must_be_json_or_plain():
    with pytest.raises(ValueError, match="LOG_FORMAT must be json or plain"):
        logging_config(level="INFO", fmt="xml")
