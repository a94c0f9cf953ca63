"""The web report page's data and charts, cached per fingerprint.

Gathering a report's data costs most of a report page's first view (40-60 ms of CPU and some
thirty queries); the fingerprint costs one query. So the page reads the report's whole data from
Django's cache, under a key made of the cycle, the language and the fingerprint: a change to
anything the report shows moves the fingerprint, so the next view is built afresh. Every reader
gets their own copy cut from it (reviews.reports.disclosed), so one gathering serves every set of
readers, and a reader never sees more than their set of facts. Issuing a final report gathers the
same data: it is kept here too, so the first reader of a decided review's report does not gather
it again. The charts are cached apart, under the figures they show (reviews.reports.drawn_charts).
A missed cache (another host, a restart) only costs time.
"""

from django.core.cache import cache
from django.utils.translation import get_language

from reviews.reports.data import service_report_data
from reviews.reports.disclosed import for_reader
from reviews.reports.drawn_charts import drawn_service_charts
from reviews.reports.fingerprint import fingerprint

# Kept until the cache needs the room or a month has passed: the fingerprint tells when it is stale.
KEPT_FOR = 30 * 24 * 60 * 60


def report_page_parts(cycle, disclosed):
    """(the reader's copy of the report's data, its charts as plain dicts: name, title, alt, uri...)."""
    key = _key(cycle, fingerprint(cycle))
    data = cache.get(key)
    if data is None:
        data = service_report_data(cycle)
        cache.set(key, data, KEPT_FOR)
    readers = for_reader(data, disclosed)
    return readers, drawn_service_charts(readers)


def keep_report_data(cycle, data, print_):
    """Keeps the data just gathered for this cycle's report (as issuing does) for its page, under
    `print_`: the fingerprint taken in the same transaction, of the same rows as the data."""
    cache.set(_key(cycle, print_), data, KEPT_FOR)


def _key(cycle, print_):
    # ("report-whole", not "report-data": entries of that name were one set of readers' copies.)
    # The language too: the data holds words (a stage's name, a rating's label) in the language it
    # was gathered in.
    return f"report-whole:{cycle.pk}:{get_language()}:{print_}"
