"""The web report page's data and charts, cached per reader's disclosure set and per fingerprint.

Gathering a report's data and drawing its charts cost most of a report page (about 0.3 s, more on a
large network); the fingerprint costs one query. So a repeat view reads the reader's copy of the
data from Django's cache, under a key made of the cycle, the disclosure set's key and the
fingerprint: a change to anything the report shows moves the fingerprint, so the next view is built
afresh, and a reader never gets the copy built for another set of facts. The charts are cached
apart, under the figures they show (reviews.reports.drawn_charts), so they outlive the date in the
fingerprint and are shared by readers and PDFs that show the same figures. A missed cache (another
host, a restart) only costs time.
"""

from django.core.cache import cache
from django.utils.translation import get_language

from reviews.reports.data import service_report_data
from reviews.reports.disclosed import for_reader
from reviews.reports.drawn_charts import drawn_service_charts
from reviews.reports.fingerprint import fingerprint

KEPT_FOR = 24 * 60 * 60  # the fingerprint changes with the date anyway


def report_page_parts(cycle, disclosed):
    """(the reader's copy of the report's data, its charts as plain dicts: name, title, alt, uri...)."""
    # ("report-data", not "report-page": entries of that name held the charts too.)
    # The language too: the data holds words (a stage's name, a rating's label) in the reader's language.
    key = f"report-data:{cycle.pk}:{disclosed.key}:{get_language()}:{fingerprint(cycle)}"
    data = cache.get(key)
    if data is None:
        data = for_reader(service_report_data(cycle), disclosed)
        cache.set(key, data, KEPT_FOR)
    return data, drawn_service_charts(data)
