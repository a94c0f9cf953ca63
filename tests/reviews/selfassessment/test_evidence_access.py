"""Who may have evidence and who may add it: files kept privately under names of their own and
handed out only to people allowed to see them; nothing added once the self-assessment is
submitted, or by people outside the service."""

import pytest
from django.urls import reverse

from reviews.errors import ReviewError
from reviews.models import Evidence, Perspective
from reviews.selfassessment.services import add_link_evidence
from tests.factories import CycleFactory
from tests.support.documents import stored_files
from tests.support.evidence import (
    add_link,
    download_evidence,
    download_url,
    evidence_url,
    file_item,
    mark_submitted,
    text_bytes,
    upload,
)
from tests.support.pages import text
from tests.support.reviews import put_on_review_team

# Every test keeps its files in a folder of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


# --- where files are kept and who may have them -----------------------------------------------


def test_uploaded_file_kept_privately_under_a_name_of_its_own(client_for, personas, cycle, media_root):
    client = client_for(personas.staff)

    upload(client, cycle, "Jordan Lee support plan.txt", text_bytes())

    item = Evidence.objects.get()
    assert item.original_name == "Jordan Lee support plan.txt"
    assert stored_files(media_root) == [item.file.name]
    assert item.file.name.startswith(f"evidence/cycle-{cycle.pk}/")
    assert "jordan" not in item.file.name.lower() and "plan" not in item.file.name.lower()
    assert item.file.name not in client.get(evidence_url(cycle)).content.decode()
    for address in ("/" + item.file.name, "/media/" + item.file.name, "/static/" + item.file.name):
        assert client.get(address).status_code == 404, address


def test_uploaded_file_has_no_public_url(client_for, personas, cycle):
    upload(client_for(personas.staff), cycle, "minutes.txt", text_bytes())

    with pytest.raises(ValueError, match="Private files have no URL"):
        Evidence.objects.get().file.url  # noqa: B018 - asking for the address is the test


def test_download_is_an_attachment_that_browsers_will_not_run(client_for, personas, cycle):
    content = b"<script>alert('hello')</script>\n"
    item = file_item(cycle, personas.staff, name="notes.txt", content=content)

    status, body, response = download_evidence(client_for(personas.staff), item)

    assert (status, body) == (200, content)
    assert response["Content-Type"] == "text/plain"
    assert response["Content-Disposition"] == 'attachment; filename="notes.txt"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


DOWNLOADS = {
    # persona: (may download the staff's item, may download the members' item)
    "admin": (True, True),
    "lead": (True, True),
    "staff": (True, True),
    "member": (False, True),
    "reviewer": (False, False),
    "lived_experience_reviewer": (False, False),
    "lead_reviewer": (False, False),
    "commissioner": (False, False),
    "outsider": (False, False),
}


@pytest.mark.parametrize("who", DOWNLOADS)
def test_download_allowed_only_to_those_who_may_see_it(client_for, personas, cycle, who):
    staff_item = file_item(cycle, personas.staff, Perspective.STAFF)
    members_item = file_item(cycle, personas.member, Perspective.MEMBERS)
    mark_submitted(cycle)  # reviewers not on the team stay out even once it is submitted
    client = client_for(getattr(personas, who))

    statuses = tuple(download_evidence(client, item)[0] for item in (staff_item, members_item))

    assert statuses == tuple(200 if allowed else 404 for allowed in DOWNLOADS[who])


def test_download_by_reviewer_on_team_only_once_submitted(client_for, personas, cycle):
    staff_item = file_item(cycle, personas.staff, Perspective.STAFF)
    members_item = file_item(cycle, personas.member, Perspective.MEMBERS)
    put_on_review_team(cycle, personas.reviewer)
    client = client_for(personas.reviewer)

    before = [download_evidence(client, item)[0] for item in (staff_item, members_item)]
    mark_submitted(cycle)
    after = [download_evidence(client, item)[:2] for item in (staff_item, members_item)]

    assert before == [404, 404]
    assert after == [(200, b"Minutes of the meeting.\n")] * 2


def test_download_signed_out_goes_to_sign_in(client, personas, cycle):
    item = file_item(cycle, personas.staff)

    response = client.get(download_url(item))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_download_of_another_cycles_item_through_this_cycle_is_404(client_for, personas, cycle):
    other_cycle = CycleFactory(service=personas.other, edition=cycle.edition)
    theirs = file_item(other_cycle, personas.admin)
    url = reverse("reviews:evidence-download", args=[cycle.pk, theirs.pk])

    assert client_for(personas.staff).get(url).status_code == 404


def test_download_of_a_link_is_404(client_for, personas, cycle):
    link = add_link_evidence(
        cycle=cycle, added_by=personas.staff, added_as=Perspective.STAFF, url="https://example.org/", title="Board"
    )

    assert client_for(personas.staff).get(download_url(link)).status_code == 404


def test_evidence_page_for_member_lists_only_members_items(client_for, personas, cycle):
    file_item(cycle, personas.staff, Perspective.STAFF, name="staff-rota.txt")
    file_item(cycle, personas.member, Perspective.MEMBERS, name="our-letter.txt")

    words = text(client_for(personas.member).get(evidence_url(cycle)))

    assert "members our-letter.txt" in words
    assert "staff-rota" not in words


# --- once submitted ---------------------------------------------------------------------------


def test_evidence_cannot_be_added_once_submitted(client_for, personas, cycle, media_root):
    mark_submitted(cycle)
    client = client_for(personas.lead)

    page = client.get(evidence_url(cycle))
    file_response = upload(client, cycle, "minutes.txt", text_bytes())
    link_response = add_link(client, cycle, "https://example.org/")

    assert page.status_code == 200
    assert "Upload a file" not in text(page)
    assert "Add a link" not in text(page)
    assert (file_response.status_code, link_response.status_code) == (404, 404)
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


def test_evidence_service_refuses_once_submitted(personas, cycle, media_root):
    mark_submitted(cycle)

    with pytest.raises(ReviewError, match="evidence can no longer be added"):
        file_item(cycle, personas.lead)
    with pytest.raises(ReviewError, match="evidence can no longer be added"):
        add_link_evidence(
            cycle=cycle, added_by=personas.lead, added_as=Perspective.STAFF, url="https://example.org/", title="x"
        )
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize("who", ["reviewer", "commissioner", "outsider"])
def test_evidence_cannot_be_added_by_people_outside_the_service(client_for, personas, cycle, who):
    put_on_review_team(cycle, personas.reviewer)

    response = upload(client_for(getattr(personas, who)), cycle, "minutes.txt", text_bytes())

    assert response.status_code == 404
    assert not Evidence.objects.exists()
