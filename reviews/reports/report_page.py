"""The web report page's data and charts, cached per reader's disclosure set and per fingerprint.

Drawing a report's charts and gathering its data cost most of a report page (about 0.2 s, more on a
large network); the fingerprint costs one query. So a repeat view is served from Django's cache,
under a key made of the cycle, the disclosure set's key and the fingerprint: a change to anything the
report shows moves the fingerprint, so the next view is built afresh, and a reader never gets the
copy built for another set of facts. A missed cache (another host, a restart) only costs time.
"""

from django.core.cache import cache
from django.utils.translation import get_language

from reviews.reports.charts import service_charts
from reviews.reports.data import service_report_data
from reviews.reports.disclosed import for_reader
from reviews.reports.fingerprint import fingerprint

KEPT_FOR = 24 * 60 * 60  # the fingerprint changes with the date anyway


def report_page_parts(cycle, disclosed):
    """(the reader's copy of the report's data, its charts as plain dicts: name, title, alt, uri...)."""
    # The language too: the data holds words (a stage's name, a rating's label) in the reader's language.
    key = f"report-page:{cycle.pk}:{disclosed.key}:{get_language()}:{fingerprint(cycle)}"
    parts = cache.get(key)
    if parts is None:
        data = for_reader(service_report_data(cycle), disclosed)
        charts = [_plain(chart) for chart in service_charts(data).values()]
        parts = (data, charts)
        cache.set(key, parts, KEPT_FOR)
    return parts


def _plain(chart):
    """A chart as the page shows it (its drawing function is neither needed nor storable)."""
    return {name: value for name, value in vars(chart).items() if not callable(value)}
