"""What the people who run the platform (and their load balancers and Prometheus) ask the servers.

`/sante/` says the process answers (no database: a database down must not get every server restarted);
`/sante/pret/` says whether it can serve (503 when not); `/sante/metriques/` gives the metrics. None sets a
cookie, none is cached, none answers a 500.
"""

from __future__ import annotations

import hmac
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health, metrics
from .access import operator, public

logger = logging.getLogger(__name__)


@public
@never_cache
@require_safe
def liveness(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "alive"})


@public
@never_cache
@require_safe
def readiness(request: HttpRequest) -> HttpResponse:
    try:
        report = health.readiness(at=timezone.now())
    except Exception:  # every check catches its own failures; this is the last guard against a 500
        logger.exception("Readiness could not be checked")
        return JsonResponse({"status": "not_ready", "checks": {}}, status=503)
    return JsonResponse(report.as_dict(), status=200 if report.ready else 503)


# The metrics are served here, on the site's own address, to holders of METRICS_TOKEN (sent by Prometheus
# as "Authorization: Bearer <token>"), rather than on a port of their own: that works with any WSGI
# server and number of workers, with nothing more to start, supervise or firewall, and a scrape follows the
# same path as the traffic it measures. Production refuses to start without a long token (core.checks);
# without one (a developer's machine) the page is open.
@operator
@never_cache
@require_safe
def metrics_page(request: HttpRequest) -> HttpResponse:
    if not _holds_metrics_token(request):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics.metrics_text(at=timezone.now()), content_type=metrics.CONTENT_TYPE)


def _holds_metrics_token(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    if not expected:
        return True
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())
