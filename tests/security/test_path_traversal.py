"""Path traversal: nothing outside the collected static files is served, however the path is
written (dot segments, encoded, doubled, backslashes, NUL), through the whole middleware stack
with whitenoise serving a real static directory; and no other URL serves files."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

SECRET = "TOP-SECRET-CONTENTS"
ATTEMPTS = (
    "/static/../secret.txt",
    "/static/core/../../secret.txt",
    "/static/%2e%2e/secret.txt",
    "/static/%2E%2E%2Fsecret.txt",
    "/static/..%2fsecret.txt",
    "/static/..%252fsecret.txt",
    "/static/core/..%5c..%5csecret.txt",
    "/static//secret.txt",
    "/static/core/app.js%00/../../secret.txt",
    "/static/./../secret.txt",
    "/static/core/....//....//secret.txt",
    "/%2e%2e/secret.txt",
    "/favicon.ico/../secret.txt",
    "/static/../../../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/accounts/..%2f..%2f..%2fetc/passwd",
    "/api/v1/../../../etc/passwd",
    "/api/v1/%2e%2e/%2e%2e/etc/passwd",
)


@pytest.fixture
def static_root(tmp_path: Path, settings) -> Path:
    """A collected static directory with one file, and a secret next to it."""
    root = tmp_path / "static"
    (root / "core").mkdir(parents=True)
    (root / "core" / "app.js").write_text("console.log('app');")
    (tmp_path / "secret.txt").write_text(SECRET)
    settings.STATIC_ROOT = root
    return root


def test_the_static_file_itself_is_served(static_root: Path, db) -> None:
    # when
    response = Client().get("/static/core/app.js")

    # then the setup is real: whitenoise serves from this directory
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"console.log('app');"  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ATTEMPTS)
def test_no_path_reaches_a_file_outside_the_static_files(static_root: Path, db, path: str) -> None:
    # when
    response = Client().get(path)

    # then
    body = (
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
        if response.streaming
        else response.content
    )
    assert response.status_code in (301, 302, 400, 404)
    assert SECRET.encode() not in body
    assert b"root:" not in body
