"""Production server settings: `gunicorn -c gunicorn.conf.py 'portal:create_app()'`.

The access log prints the path without its query string (%(U)s), so no phone
number or reference typed into a URL reaches the logs.

Each worker warms up before its first request (portal.warm_up) and lives long:
a new worker costs about two seconds of CPU, so it is replaced only after many
requests (a guard against slow leaks), not every few seconds under load.
"""

import multiprocessing
import os

bind = os.environ.get("PORTAL_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("PORTAL_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = 4
timeout = 30
graceful_timeout = 30
keepalive = 5
max_requests = 100_000
max_requests_jitter = 10_000
forwarded_allow_ips = os.environ.get("PORTAL_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss rid=%({x-request-id}o)s'
errorlog = "-"


def post_worker_init(worker) -> None:
    """Build the registry client, compile templates, read catalogues: now, not
    in the first requests."""
    from portal.warm_up import warm_up

    warm_up(worker.wsgi)
