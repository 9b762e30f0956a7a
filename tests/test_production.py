"""Production settings, for real: `accountable check --deploy` is clean with a production
environment, and `accountable serve` runs gunicorn with 4 processes on PostgreSQL behind a
(simulated) TLS-terminating proxy: probes, HTTPS redirect, secure cookies and headers, the
Content Security Policy, hashed static files compressed and cached for a year, one JSON log
line per request, no path traversal, and 40 requests at once all answered."""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import connection

from conftest import PASSWORD

ACCOUNTABLE = str(Path(sys.executable).parent / "accountable")
HOST = "kam.example.com"


ENV_EXAMPLE = Path(__file__).resolve().parents[1] / "deploy" / "accountable.env.example"


def production_environment(var_dir: Path, database_url: str) -> dict[str, str]:
    """The environment of deploy/accountable.env.example (what docs/deployment.md tells an
    administrator to use), with this test's database, directory and a new secret key."""
    documented = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert documented["ALLOWED_HOSTS"] == HOST
    return {
        **documented,
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "accountable.config.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ACCOUNTABLE_VAR_DIR": str(var_dir),
    }


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ACCOUNTABLE, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_production_environment(tmp_path: Path) -> None:
    # given
    env = production_environment(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")

    # when
    clean = _check_deploy(env)
    without_hsts = _check_deploy({**env, "SECURE_HSTS_SECONDS": "0"})

    # then
    assert clean.returncode == 0, clean.stderr
    assert "System check identified no issues (0 silenced)." in clean.stdout
    assert without_hsts.returncode == 1  # the check can fail: it is not vacuous
    assert "security.W004" in without_hsts.stderr


def test_production_settings_make_cookies_secure_by_default(tmp_path: Path) -> None:
    # given the production environment, without saying anything about cookies
    env = production_environment(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    code = (
        "from django.conf import settings as s; import json; print(json.dumps(["
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS, s.DEBUG, "
        "s.STORAGES['staticfiles']['BACKEND']]))"
    )

    # when
    done = subprocess.run(
        [ACCOUNTABLE, "shell", "--verbosity", "0", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    # then
    assert json.loads(done.stdout) == [
        True,
        True,
        "Lax",
        True,
        True,
        31536000,
        False,
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


# --- gunicorn, 4 processes, PostgreSQL -----------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database_url() -> str:
    s = connection.settings_dict
    server = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{server}/{s['NAME']}"


@pytest.fixture
def server(tmp_path: Path, programme) -> Iterator[dict[str, object]]:
    """`accountable serve --workers 4` on the test database, with the production settings
    (the test's rows committed: it runs outside a transaction)."""
    # Test users' passwords are hashed with MD5 (fast tests); the server only knows production's
    # hashers, so the KAM gets a PBKDF2 hash (few iterations: the server upgrades it on use).
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    programme.kam.password = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", 1000)
    programme.kam.save(update_fields=["password"])
    port = _free_port()
    env = production_environment(tmp_path, _database_url())
    log = open(tmp_path / "server.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [ACCOUNTABLE, "serve", "--port", str(port), "--workers", "4"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        # collectstatic (compressing every file) comes first: slow on a busy machine.
        started = time.monotonic()
        deadline = started + 400
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or still booting
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(
                    f"the server did not start in {time.monotonic() - started:.0f} s "
                    f"(exit {process.poll()}):\n{log.read()[-3000:]}"
                )
            time.sleep(0.3)
        yield {"base": base, "port": port, "pid": process.pid, "log": log}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _https(session: requests.Session) -> requests.Session:
    """As the reverse proxy forwards a request it received over HTTPS for our host."""
    session.headers.update({"Host": HOST, "X-Forwarded-Proto": "https"})
    return session


def _carry_cookies(browser: requests.Session, response: requests.Response) -> None:
    """Keep the response's cookies for the next request: they are marked Secure, and this
    test speaks plain HTTP to the app server as the proxy does (requests would drop them)."""
    for cookie in response.cookies:
        browser.cookies.set(cookie.name, cookie.value)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the production server test runs on PostgreSQL"
)
def test_gunicorn_with_four_processes_serves_the_app_on_postgresql(server, programme) -> None:
    base = str(server["base"])
    browser = _https(requests.Session())

    # four worker processes under one master
    assert len(_children(int(server["pid"]))) == 4  # type: ignore[call-overload]

    # probes, by address and over plain HTTP (as a load balancer asks)
    assert requests.get(f"{base}/healthz").json() == {"status": "ok"}
    ready = requests.get(f"{base}/readyz").json()
    assert ready["status"] == "ready", ready

    # plain HTTP through the proxy is sent to HTTPS
    plain = requests.get(f"{base}/login/", headers={"Host": HOST}, allow_redirects=False)
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://{HOST}/login/"

    # the sign-in page: security headers
    page = browser.get(f"{base}/login/")
    assert page.status_code == 200
    assert page.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", page.headers["X-Request-ID"])

    # signing in: secure, HTTP-only, same-site cookies
    _carry_cookies(browser, page)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    signed_in = browser.post(
        f"{base}/login/",
        {"username": "kam1", "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"https://{HOST}/login/"},
        allow_redirects=False,
    )
    assert signed_in.status_code == 302
    session_cookie = signed_in.headers["Set-Cookie"]
    assert "sessionid=" in session_cookie
    assert all(flag in session_cookie for flag in ("Secure", "HttpOnly", "SameSite=Lax"))
    _carry_cookies(browser, signed_in)
    accounts = browser.get(f"{base}/accounts/")
    assert accounts.status_code == 200
    assert "Acme Industries" in accounts.text

    # static files: hashed names, compressed, cached for a year
    css = re.search(r'href="(/static/core/app\.[0-9a-f]{12}\.css)"', accounts.text)
    assert css is not None
    static = browser.get(f"{base}{css.group(1)}", headers={"Accept-Encoding": "gzip"})
    assert static.status_code == 200
    assert static.headers["Content-Encoding"] == "gzip"
    assert static.headers["Cache-Control"] == "max-age=315360000, public, immutable"

    # no path reaches a file outside the static files (sent as written, not normalised)
    for path in (
        "/static/../../pyproject.toml",
        "/static/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2fpyproject.toml",
        "/static/core/../../../../../../etc/passwd",
    ):
        raw = http.client.HTTPConnection("127.0.0.1", int(server["port"]))  # type: ignore[call-overload]
        raw.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        answer = raw.getresponse()
        body = answer.read()
        raw.close()
        assert answer.status in (400, 404), path
        assert b"[build-system]" not in body and b"root:" not in body, path

    # many requests at once, spread over the processes
    def fetch(_: int) -> int:
        return browser.get(f"{base}/accounts/").status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        assert set(pool.map(fetch, range(40))) == {200}

    # one JSON line per request, with the user and the request id
    log = server["log"]
    log.flush()  # type: ignore[attr-defined]
    lines = [
        json.loads(line)
        for line in Path(log.name).read_text().splitlines()  # type: ignore[attr-defined]
        if line.startswith("{")
    ]
    requests_logged = [x for x in lines if x.get("logger") == "accountable.request"]
    mine = [x for x in requests_logged if x["path"] == "/accounts/" and x["status"] == 200]
    assert len(mine) == 41
    assert {x["user_id"] for x in mine} == {programme.kam.pk}
    assert all(re.fullmatch(r"[0-9a-f]{32}", x["request_id"]) for x in mine)
    booted = [x for x in lines if x.get("logger") == "gunicorn.error"]  # gunicorn's own, as JSON
    assert sum("Booting worker" in x["message"] for x in booted) == 4
