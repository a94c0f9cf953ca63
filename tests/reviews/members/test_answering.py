"""A signed-in member answering the questionnaire: easy read, kept in the browser until Send,
stored with no link to the person, and only once."""

import re

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.db import models
from django.urls import reverse

from reviews.models import (
    Channel,
    CycleState,
    MemberParticipation,
    MemberResponse,
    MemberResponseAnswer,
)
from tests.factories import CriterionFactory, CycleFactory, EditionFactory, MemberParticipationFactory, ValueFactory

pytestmark = pytest.mark.django_db

QUESTIONS = {
    "Being heard": ["Do staff listen to you?", "Can you say no to things?"],
    "Feeling safe": ["Do you feel safe here?"],
}


def questionnaire_edition():
    """An edition with three members' questions over two values (and one staff-only criterion)."""
    edition = EditionFactory()
    for order, (name, questions) in enumerate(QUESTIONS.items(), start=1):
        value = ValueFactory(edition=edition, name=name, code=f"V{order}", order=order)
        CriterionFactory(value=value, code=f"V{order}.0", order=0, rated_by="staff", statement="Staff only: the policy is written down.")
        for number, text in enumerate(questions, start=1):
            CriterionFactory(value=value, code=f"V{order}.{number}", order=number, rated_by="members", easy_read=text,
                             statement=f"Criterion statement {order}.{number} for staff.")
    return edition


@pytest.fixture
def cycle(personas):
    return CycleFactory(service=personas.home, edition=questionnaire_edition())


def question(cycle, text):
    return cycle.edition.criteria.get(easy_read=text)


def urls(cycle):
    return {
        "start": reverse("reviews:questionnaire", args=[cycle.pk]),
        "page": lambda n: reverse("reviews:questionnaire-page", args=[cycle.pk, n]),
        "check": reverse("reviews:questionnaire-check", args=[cycle.pk]),
        "thanks": reverse("reviews:questionnaire-thanks", args=[cycle.pk]),
    }


def answer_all(client, cycle, answers, anything_else=""):
    """Goes through every page choosing `answers` ({easy-read text: answer}), then to the check page."""
    u = urls(cycle)
    page_of = {"Do staff listen to you?": 1, "Can you say no to things?": 1, "Do you feel safe here?": 2}
    for number in (1, 2):
        data = {"next": ""}
        for text, answer in answers.items():
            if page_of[text] == number:
                data[f"q{question(cycle, text).pk}"] = answer
        assert client.post(u["page"](number), data).status_code == 302
    response = client.post(u["page"](3), {"next": "", "anything_else": anything_else})
    assert response["Location"] == u["check"]
    return client.get(u["check"])


def visible_text(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_member_answers_checks_in_their_own_words_and_sends(client_for, personas, cycle):
    client = client_for(personas.member)
    start = client.get(urls(cycle)["start"])
    assert "Staff will not know who said what" in visible_text(start)
    assert "You can skip any question" in visible_text(start)

    check = answer_all(client, cycle, {"Do staff listen to you?": "sometimes", "Do you feel safe here?": "no"}, "More trips out.")
    text = visible_text(check)
    assert "You said: Sometimes" in text and "You said: No" in text
    assert "You did not answer this." in text  # "Can you say no to things?" was skipped
    assert "More trips out." in text
    assert not MemberResponse.objects.exists(), "nothing is stored before Send"

    sent = client.post(urls(cycle)["check"], {"send": ""})
    assert sent["Location"] == urls(cycle)["thanks"]
    assert "What happens next" in visible_text(client.get(sent["Location"]))

    response = MemberResponse.objects.get()
    assert response.channel == Channel.ACCOUNT and response.anything_else == "More trips out."
    assert dict(response.answers.values_list("criterion__easy_read", "answer")) == {
        "Do staff listen to you?": "sometimes", "Do you feel safe here?": "no",
    }
    assert MemberParticipation.objects.filter(cycle=cycle, user=personas.member).exists()


def test_a_member_answers_once_and_is_thanked_the_second_time(client_for, personas, cycle):
    client = client_for(personas.member)
    answer_all(client, cycle, {"Do you feel safe here?": "yes"})
    client.post(urls(cycle)["check"], {"send": ""})

    again = client.get(urls(cycle)["start"])
    assert "You have already answered. Thank you." in visible_text(again)
    assert client.post(urls(cycle)["check"], {"send": ""}).status_code == 200
    assert MemberResponse.objects.count() == 1


def test_sending_twice_from_two_tabs_keeps_one_response(client_for, personas, cycle):
    client = client_for(personas.member)
    answer_all(client, cycle, {"Do you feel safe here?": "yes"})
    MemberParticipationFactory(cycle=cycle, user=personas.member)  # the other tab sent first

    response = client.post(urls(cycle)["check"], {"send": ""})
    assert "You have already answered" in visible_text(response)
    assert MemberResponse.objects.count() == 0


def test_a_change_from_the_check_page_returns_to_it(client_for, personas, cycle):
    client = client_for(personas.member)
    answer_all(client, cycle, {"Do you feel safe here?": "yes"})
    change = f"{urls(cycle)['page'](2)}?from=check"
    page = client.get(change)
    assert "Save and go back to check" in visible_text(page)
    assert re.search(r'<input[^>]*value="yes"[^>]*checked', page.content.decode()), "the draft's answer is chosen"

    moved = client.post(change, {"check": "", f"q{question(cycle, 'Do you feel safe here?').pk}": "dont_know"})
    assert moved["Location"] == urls(cycle)["check"]
    assert "You said: Don't know" in visible_text(client.get(urls(cycle)["check"])).replace("&#x27;", "'")


def test_sending_nothing_at_all_is_refused_on_the_check_page(client_for, personas, cycle):
    client = client_for(personas.member)
    answer_all(client, cycle, {})
    response = client.post(urls(cycle)["check"], {"send": ""})
    assert response.status_code == 400
    assert "Answer at least one question" in visible_text(response)
    assert not MemberResponse.objects.exists()


def test_a_tampered_answer_is_shown_next_to_its_question(client_for, personas, cycle):
    client = client_for(personas.member)
    field = f"q{question(cycle, 'Do you feel safe here?').pk}"
    response = client.post(urls(cycle)["page"](2), {"next": "", field: "always"})
    assert response.status_code == 400
    assert f'id="id_{field}_error"' in response.content.decode()


def test_the_member_pages_show_no_codes_value_numbers_ratings_or_evidence(client_for, personas, cycle):
    client = client_for(personas.member)
    answer_all(client, cycle, {"Do staff listen to you?": "yes"})
    pages = [urls(cycle)["start"], urls(cycle)["page"](1), urls(cycle)["page"](2), urls(cycle)["page"](3), urls(cycle)["check"]]
    for url in pages:
        text = visible_text(client.get(url))
        for code in ("V1.1", "V1.2", "V2.1", "V1.0"):
            assert code not in text, url
        assert not re.search(r"Value \d+ of", text), url
        for word in ("Met", "Partly met", "Not met", "evidence", "Evidence", "Criterion statement", "Staff only"):
            # As words: the signed-in member's generated name may be Metcalfe.
            assert not re.search(rf"\b{word}\b", text), (url, word)
    assert "Being heard" in visible_text(client.get(pages[1]))  # the value's name, not its code


@pytest.mark.parametrize("name", ["staff", "lead", "reviewer", "outsider", "commissioner"])
def test_only_the_services_members_answer(client_for, personas, cycle, name):
    client = client_for(getattr(personas, name))
    assert client.get(urls(cycle)["start"]).status_code == 404
    assert client.post(urls(cycle)["check"], {"send": ""}).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, cycle):
    response = client.get(urls(cycle)["start"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_after_the_visit_the_questionnaire_refuses_kindly(client_for, personas, cycle):
    cycle.state = CycleState.RATINGS_AGREED
    cycle.save()
    response = client_for(personas.member).get(urls(cycle)["start"])
    assert response.status_code == 200
    assert "The questionnaire is not open now" in visible_text(response)


def test_no_table_that_holds_answers_points_to_a_person():
    user_model = settings.AUTH_USER_MODEL.lower()
    for model in (MemberResponse, MemberResponseAnswer):
        for field in model._meta.get_fields():
            if field.is_relation and field.related_model is not None:
                assert field.related_model._meta.label_lower != user_model, f"{model.__name__}.{field.name}"
                # nor through a model that itself points to a person, other than the cycle and the standards
                assert not isinstance(field, models.ForeignKey) or field.related_model._meta.app_label in ("reviews", "standards")


def test_the_audit_log_has_no_entry_for_a_response(client_for, personas, cycle):
    client = client_for(personas.member)
    answer_all(client, cycle, {"Do you feel safe here?": "yes"}, "Hello")
    before = LogEntry.objects.count()
    client.post(urls(cycle)["check"], {"send": ""})
    assert MemberResponse.objects.count() == 1
    new = LogEntry.objects.order_by("-pk")[: LogEntry.objects.count() - before]
    labels = {entry.content_type.model for entry in new}
    assert not labels & {"memberresponse", "memberresponseanswer", "memberparticipation"}


def test_the_member_pages_take_a_fixed_number_of_queries(client_for, personas, cycle, django_assert_max_num_queries):
    client = client_for(personas.member)
    answer_all(client, cycle, {"Do you feel safe here?": "yes"})
    with django_assert_max_num_queries(15):
        client.get(urls(cycle)["check"])


def test_the_members_home_page_invites_them_to_answer_then_thanks_them(client_for, personas, cycle):
    client = client_for(personas.member)
    home = client.get(reverse("home")).content.decode()
    assert "Answer the questionnaire" in home and urls(cycle)["start"] in home

    MemberParticipationFactory(cycle=cycle, user=personas.member)
    home = visible_text(client.get(reverse("home")))
    assert "You have answered. Thank you." in home and "Answer the questionnaire" not in home


def test_the_home_page_offers_no_questionnaire_once_the_visit_is_over(client_for, personas, cycle):
    cycle.state = CycleState.RATINGS_AGREED
    cycle.save()
    assert "Answer the questionnaire" not in client_for(personas.member).get(reverse("home")).content.decode()


def test_someone_elses_answer_does_not_count_as_the_members(client_for, personas, cycle):
    MemberParticipationFactory(cycle=cycle, user=personas.staff)
    assert "Answer the questionnaire" in client_for(personas.member).get(reverse("home")).content.decode()
