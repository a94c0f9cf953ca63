"""Gunicorn's settings for Relational Assurance, used by relational-assurance-web.service:

    gunicorn --config deploy/gunicorn.conf.py

It answers only the reverse proxy on this host (nginx.conf or Caddyfile beside this file). Its own
log lines, like the app's, are one JSON object a line unless ASSURANCE_LOG_FORMAT=text, and every
access line carries the request's id (the X-Request-ID the app answered with).
"""

import multiprocessing
import os

from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter

wsgi_app = "assurance.wsgi:application"
bind = "127.0.0.1:8000"
# One worker a core, and one more to use a core while another waits for the database. The pages are
# CPU-bound: on 2 cores make load measured 43 ms of CPU a request and a slowest p95 of 420 ms with
# gunicorn's rule of thumb (2 × cores + 1 = 5 workers), 38 ms and 270 ms with 3 (more workers than
# cores only share them, and their caches). WEB_CONCURRENCY sets another number. Each worker holds
# at most ASSURANCE_DB_POOL_MAX_SIZE (4) database connections, so a host needs up to workers × 4 of
# PostgreSQL's max_connections.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() + 1)
# A PDF built while the person waits can take several seconds; anything slower is a fault.
timeout = 120
graceful_timeout = 30
keepalive = 5
# Restart each worker now and then, so a slow leak never grows. Not too often: a new worker costs
# 2-3 s of CPU to start and its first pages are slow (make load saw p99 jump to 1.7 s while the
# workers restarted every 1,000 requests, once a minute each at 25 requests a second).
max_requests = 10000
max_requests_jitter = 1000
# Not preloaded: each worker opens its own database pool after the fork, never sharing sockets.
preload_app = False
# Only the proxy on this host connects; trust its X-Forwarded-Proto.
forwarded_allow_ips = "127.0.0.1,::1"

# Under systemd (RuntimeDirectory= in the unit) gunicornc's control socket goes in the service's own
# runtime folder: its home folder is read-only there.
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"].split(":")[0], "gunicorn.ctl")

accesslog = "-"
errorlog = "-"
# The query string is left out: a search may hold a person's name.
access_log_format = '%(m)s %(U)s %(s)s %(B)s bytes %(M)s ms request_id=%({x-request-id}o)s'


class JsonLogger(Logger):
    """Gunicorn's error and access lines as JSON objects, with the fields of the app's own lines
    (time, level, logger, message, request_id) and, on access lines, the request's particulars."""

    formatter = JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
    )

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(self.formatter)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        self.access_log.info(
            "%s %s %s", atoms["m"], atoms["U"], atoms["s"],
            extra={
                "request_id": atoms.get("{x-request-id}o", ""),
                "method": atoms["m"], "path": atoms["U"], "status": int(atoms["s"]),
                "bytes": atoms["B"], "duration_ms": atoms["M"],
            },
        )


if os.environ.get("ASSURANCE_LOG_FORMAT", "json") == "json":
    logger_class = JsonLogger
