"""Exporting everything held about a person, for their access request: each kind of record they
appear in, with members' answers left out because nothing links them to anyone."""

import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviews.models import PeerRating
from reviews.privacy.exporting import export_person
from tests.assurance.privacy_world import EMAIL, USERNAME, zebedees_review
from tests.factories import (
    AccountInvitationFactory,
    EvidenceFactory,
    MemberParticipationFactory,
    MemberResponseFactory,
    VisitInvitationFactory,
)


@pytest.fixture
def world(personas, media_root):
    zebedee, review = zebedees_review(personas)
    AccountInvitationFactory(user=zebedee, invited_by=personas.admin)
    VisitInvitationFactory(visit=review.cycle.visit, user=zebedee)
    return zebedee, review


def _records(export, table, as_=None):
    return [row for group in export["records"] if group["table"] == table and as_ in (None, group["as"])
            for row in group["rows"]]


def test_the_export_holds_each_kind_of_record_about_the_person(world, personas):
    zebedee, review = world
    export = export_person(zebedee)

    assert export["account"]["email"] == EMAIL and export["account"]["username"] == USERNAME
    assert [row["kind"] for row in _records(export, "assurance.Role")] == ["lead_reviewer"]
    assert [row["vetting"] for row in _records(export, "assurance.ReviewerRecord")] == ["Enhanced DBS"]
    assert [row["note"] for row in _records(export, "assurance.Unavailability")] == ["Zebedee Quillfeather on leave"]
    assert [row["role"] for row in _records(export, "reviews.TeamMember")] == ["lead_reviewer"]
    assert len(_records(export, "assurance.AccountInvitation", "person")) == 1
    assert len(_records(export, "reviews.VisitInvitation", "user")) == 1
    assert [row["subject"] for row in _records(export, "reviews.SentNotice")] == [
        "Your visit to Kestrel Wing, Zebedee Quillfeather"]
    actions = _records(export, "reviews.Action", "created by")
    assert actions and actions[0]["owner"] == "Zebedee Quillfeather, with the deputy manager"


def test_the_export_holds_their_ratings_with_comments(world):
    zebedee, review = world
    export = export_person(zebedee)
    ratings = _records(export, "reviews.PeerRating")
    place = PeerRating.objects.filter(team_member__user=zebedee)

    assert sorted(row["id"] for row in ratings) == sorted(place.values_list("pk", flat=True)) != []
    assert {row["comment"] for row in ratings} == set(place.values_list("comment", flat=True))
    assert _records(export, "reviews.AgreedRating", "agreed by")  # the ratings they agreed as lead reviewer


def test_the_audit_log_part_holds_their_entries_as_actor_and_about_their_account(world):
    zebedee, _review = world
    export = export_person(zebedee)

    assert export["audit_log"]["made_by_them"]
    assert all(entry["by"] == str(zebedee) for entry in export["audit_log"]["made_by_them"])
    about = export["audit_log"]["about_their_account"]
    assert about and any("last_name" in (entry["changes"] or {}) for entry in about)
    assert [row["username"] for row in export["sign_in_records"]["access attempts"]] == [USERNAME]


def test_evidence_they_added_is_listed_by_its_details(personas, db):
    evidence = EvidenceFactory(added_by=personas.staff, title="Rota for March")
    export = export_person(personas.staff)

    rows = _records(export, "reviews.Evidence", "added by")
    assert [(row["id"], row["title"], row["url"]) for row in rows] == [(evidence.pk, "Rota for March", evidence.url)]


def test_a_members_participation_is_exported_but_never_their_answers(personas, db):
    participation = MemberParticipationFactory(user=personas.member)
    MemberResponseFactory(cycle=participation.cycle, anything_else="The garden is lovely")
    export = export_person(personas.member)

    assert [row["cycle"] for row in _records(export, "reviews.MemberParticipation")] == [str(participation.cycle)]
    text = json.dumps(export, default=str)
    assert "The garden is lovely" not in text
    assert "not linked to anyone by design" in export["about"]


def test_the_command_writes_json_or_a_zip(world, tmp_path):
    zebedee, _review = world
    call_command("export_person", EMAIL, output=str(tmp_path / "zq.json"))
    call_command("export_person", USERNAME, output=str(tmp_path / "zq.zip"))

    as_json = json.loads((tmp_path / "zq.json").read_text())
    with zipfile.ZipFile(tmp_path / "zq.zip") as archive:
        assert sorted(archive.namelist()) == ["README.txt", "person.json"]
        in_zip = json.loads(archive.read("person.json"))
    assert as_json["account"]["email"] == in_zip["account"]["email"] == EMAIL


@pytest.mark.parametrize(("person", "output", "message"), [
    ("nobody@example.org", "out.json", "No person has the username or email 'nobody@example.org'."),
    ("admin", "out.txt", "out.txt: the output file must end in .json or .zip."),
])
def test_the_command_refuses_bad_input_and_writes_nothing(personas, tmp_path, person, output, message):
    with pytest.raises(CommandError) as error:
        call_command("export_person", person, output=str(tmp_path / output))

    assert str(error.value).endswith(message)
    assert list(tmp_path.iterdir()) == []
