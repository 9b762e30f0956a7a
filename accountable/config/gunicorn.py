"""Gunicorn settings, used by `accountable serve` and by anyone running gunicorn directly:

    gunicorn -c python:accountable.config.gunicorn accountable.config.wsgi

Environment: HOST, PORT, WEB_CONCURRENCY (processes), GUNICORN_TIMEOUT, FORWARDED_ALLOW_IPS,
LOG_LEVEL, LOG_FORMAT. See docs/deployment.md.
"""

import os

from accountable.ops.logging import logging_config

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
# Synchronous workers: pages are short database-bound requests; two per core is the usual
# start, more only if they wait on the database rather than the CPU.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle a worker now and then so that no slow leak grows without bound; the jitter keeps the
# workers from restarting all at once.
max_requests = 2000
max_requests_jitter = 200
# The reverse proxy on this machine may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# One line per request comes from the app (accountable.request, with the user and request id);
# gunicorn's own access log would only repeat it.
accesslog = None
# Gunicorn's own messages (worker started, timed out, …) in the same format as the app's.
logconfig_dict = logging_config(
    level=os.environ.get("LOG_LEVEL", "INFO").upper(),
    fmt=os.environ.get("LOG_FORMAT", "json").lower(),
)
