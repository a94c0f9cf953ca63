"""A service report's charts, drawn once per distinct picture and shared by every page, PDF and host.

Drawing a report's charts costs about 0.2 s of CPU: most of a report page's first view. A chart is a
function of the figures it shows (charts.service.chart_inputs) and the language of its words, so
the drawn charts are cached under a digest of those. A reader whose copy of the report shows the
same figures gets the same pictures; a reader whose copy shows other figures gets other pictures,
so nothing drawn for one set of facts reaches the reader of another. The final report built when
a decision is recorded has thereby drawn what its readers' pages show. Unlike the page's data
(whose key holds the report's fingerprint), drawn charts never go stale: they stay until the cache
needs the room.
"""

import hashlib
import json

from django.core.cache import cache
from django.utils.translation import get_language

from reviews.reports.charts.service import chart_inputs, service_charts
from reviews.reports.fingerprint import REPORT_FORMAT

KEPT_FOR = 90 * 24 * 60 * 60


def drawn_service_charts(data):
    """The charts of a reader's copy of the report, in order, each a plain dict (name, title, alt,
    uri and a chart's own extras such as the trend's note)."""
    key = _key(chart_inputs(data))
    charts = cache.get(key)
    if charts is None:
        charts = [_plain(chart) for chart in service_charts(data).values()]
        cache.set(key, charts, KEPT_FOR)
    return charts


def _key(inputs):
    text = json.dumps([REPORT_FORMAT, get_language(), inputs], sort_keys=True, default=str)
    return "service-charts:" + hashlib.sha256(text.encode()).hexdigest()


def _plain(chart):
    """A drawn chart without its drawing function, which is neither needed nor storable."""
    return {name: value for name, value in vars(chart).items() if not callable(value)}
