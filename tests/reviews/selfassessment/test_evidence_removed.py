"""Evidence whose file was removed (the retention policy): the evidence page says so on the item's
line and its download answers 410 with a page that says when and why, each in a bounded number
of queries however many files were removed. (What is shown is tested with the retention policy,
tests/assurance/test_privacy_retention.py.)"""

import datetime

import pytest

from reviews.models import EvidenceKind, SelfRating
from tests.factories import EvidenceFactory, SelfRatingFactory
from tests.support.evidence import download_evidence, download_url, evidence_url
from tests.support.pages import text
from tests.support.reviews import MEMBERS, STAFF, criterion

pytestmark = pytest.mark.django_db

# The evidence page and the removed file's page; the same for 1 removed file as for 25.
MOST_QUERIES = 8  # 6 and 5 today
REMOVED_ON = datetime.datetime(2025, 3, 1, 3, 15, tzinfo=datetime.UTC)


def removed_files(cycle, person, count, added_as=STAFF):
    """`count` evidence files as the retention policy leaves them (the record, not the file), each
    supporting an answer, added by people of their own."""
    items = [
        EvidenceFactory(
            cycle=cycle, kind=EvidenceKind.FILE, url="", file="", added_as=added_as, title=f"Rota {n}",
            original_name=f"rota-{n}.pdf", content_type="application/pdf", size=2048, sha256="ab" * 32,
            file_removed_at=REMOVED_ON, file_removed_reason="Retention policy: kept 6 years after the review closed",
        )
        for n in range(count)
    ]
    answered = {"cycle": cycle, "criterion": criterion(cycle, "V1.1" if added_as == STAFF else "V1.2"),
                "perspective": added_as}
    answer = SelfRating.objects.filter(**answered).first() or SelfRatingFactory(**answered, updated_by=person)
    answer.evidence.add(*items)
    return items


@pytest.mark.parametrize(("persona", "added_as"), [("lead", STAFF), ("admin", STAFF), ("member", MEMBERS)])
def test_the_evidence_page_costs_the_same_for_1_and_25_removed_files(personas, cycle, client_for, persona, added_as,
                                                                    django_assert_max_num_queries):
    client = client_for(getattr(personas, persona))
    [first] = removed_files(cycle, personas.lead, 1, added_as)
    client.get(evidence_url(cycle))  # the first visit fills per-process caches
    with django_assert_max_num_queries(MOST_QUERIES) as one:
        response = client.get(evidence_url(cycle))
    assert response.status_code == 200

    removed_files(cycle, personas.lead, 24, added_as)
    with django_assert_max_num_queries(MOST_QUERIES) as many:
        response = client.get(evidence_url(cycle))

    page = text(response)
    assert page.count("file removed on 1 March 2025 under the retention policy") == 25
    assert f"{first.title} (rota-0.pdf: file removed on 1 March 2025" in page
    assert download_url(first) not in response.content.decode()
    assert len(many.captured_queries) == len(one.captured_queries)


def test_a_removed_files_download_is_410_in_a_bounded_number_of_queries(personas, cycle, client_for,
                                                                      django_assert_max_num_queries):
    client = client_for(personas.staff)
    removed_files(cycle, personas.lead, 25)
    item = removed_files(cycle, personas.lead, 1)[0]
    download_evidence(client, item)

    with django_assert_max_num_queries(MOST_QUERIES):
        status, _body, response = download_evidence(client, item)

    assert status == 410
    assert (f"The file of “{item.title}” was removed on 1 March 2025 under the retention policy"
            in text(response))
