"""Fetch the pinned front-end packages from the npm registry into accountable/core/static/vendor/.

No Node.js needed: each package's tarball is downloaded with the standard library, its SHA-512
checked against the integrity pinned below (the value npm's lockfile would hold), and only the
files the product serves are extracted. Nothing third-party is committed to the repository; the
product never loads anything from a CDN at run time.

    python tools/vendor_assets.py          # idempotent: skips packages already in place
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
DEST = Path(__file__).resolve().parent.parent / "accountable" / "core" / "static" / "vendor"

# name, version, integrity, {path in the tarball: path under vendor/}
PACKAGES: list[tuple[str, str, str, dict[str, str]]] = [
    (
        "bootstrap",
        "5.3.9",
        "sha512-20cU0rcfw8WdxtVbmfU+xT2EjvVTw9Ror/h1Qvd7DXCujRg8OO9mdBCsmTHdJFf3BuadmBNJtgIuUXsBqSkk/w==",
        {
            "package/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
            "package/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
            # The minified files name their source maps; collectstatic's hashing storage
            # refuses to run when a referenced file is missing.
            "package/dist/css/bootstrap.min.css.map": "bootstrap/bootstrap.min.css.map",
            "package/dist/js/bootstrap.bundle.min.js.map": "bootstrap/bootstrap.bundle.min.js.map",
            "package/LICENSE": "bootstrap/LICENSE",
        },
    ),
    (
        "htmx.org",
        "2.0.11",
        "sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==",
        {
            "package/dist/htmx.min.js": "htmx/htmx.min.js",
            "package/LICENSE": "htmx/LICENSE",
        },
    ),
    (
        "echarts",
        "5.6.0",
        "sha512-oTbVTsXfKuEhxftHqL5xprgLoc0k7uScAwtryCgWF6hPYFLRwOUHiFmHGCBKP5NPFNkDVopOieyUqYGH8Fa3kA==",
        {
            "package/dist/echarts.min.js": "echarts/echarts.min.js",
            "package/LICENSE": "echarts/LICENSE",
        },
    ),
]


def _download(url: str, attempts: int = 4) -> bytes:
    for attempt in range(1, attempts + 1):
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - fixed https URL
                return response.read()
        except OSError as exc:
            if attempt == attempts:
                raise SystemExit(f"Could not download {url}: {exc}") from exc
            time.sleep(2 * attempt)
    raise AssertionError("unreachable")


def _integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def main() -> int:
    DEST.mkdir(parents=True, exist_ok=True)
    manifest_path = DEST / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    for name, version, integrity, files in PACKAGES:
        if manifest.get(name) == version and all((DEST / t).exists() for t in files.values()):
            continue
        short = name.split("/")[-1]
        data = _download(f"{REGISTRY}/{name}/-/{short}-{version}.tgz")
        if _integrity(data) != integrity:
            raise SystemExit(f"{name}@{version}: integrity mismatch, refusing to install it")
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for source, target in files.items():
                member = tar.extractfile(source)
                if member is None:
                    raise SystemExit(f"{name}@{version} has no {source}")
                out = DEST / target
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(member.read())
        manifest[name] = version
        print(f"vendored {name}@{version}")
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
