"""The load scenario: each persona's usual pages and writes, with the forms' real fields (CSRF token,
versions) read from the pages as a browser would send them.

Run by scripts/load. LOAD_PLAN names the plan from bench/load/prepare.py (each account's work);
LOAD_WRITES the file where every write the server accepted is recorded, one JSON object a line,
with what was written, so that bench/load/lost_writes.py can look for it in the database afterwards.
Requests are named by page, not by address.
"""

import itertools
import json
import os
import random
import re
import sys
import time
import uuid
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from requests.cookies import RequestsCookieJar

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.load.html_forms import form_with  # noqa: E402
from bench.load.prepare import WEIGHTS, persona_counts  # noqa: E402

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
WRITES = open(os.environ["LOAD_WRITES"], "a", buffering=1)  # noqa: SIM115 - open for the whole run
ACCOUNTS = {persona: itertools.cycle(PLAN[persona]) for persona in WEIGHTS}
# Exactly each persona's share of LOAD_USERS (the -u given to locust), so that a small run has
# one of each and every run the same mix.
COUNTS = persona_counts(int(os.environ["LOAD_USERS"]))
# With LOAD_UNTIL_FIRST_LOOKS=1 (the smoke test), the run lasts at least LOAD_MINIMUM_SECONDS and until
# every person has looked once at everything they usually do, however busy the machine: a fixed
# time left some pages unasked on a loaded one.
FIRST_LOOKS = {"done": 0}


@events.test_start.add_listener
def _end_once_everyone_has_looked(environment, **kwargs):
    if os.environ.get("LOAD_UNTIL_FIRST_LOOKS") == "1":
        gevent.spawn(_quit_after_first_looks, environment)


def _quit_after_first_looks(environment):
    started, minimum = time.monotonic(), float(os.environ.get("LOAD_MINIMUM_SECONDS", "0"))
    while FIRST_LOOKS["done"] < int(os.environ["LOAD_USERS"]) or time.monotonic() - started < minimum:
        gevent.sleep(0.5)
    environment.runner.quit()


class PlainHttpCookies(RequestsCookieJar):
    """Production marks cookies Secure; the run talks plain HTTP on loopback, as the TLS proxy would."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def token(kind):
    return f"load {kind} {uuid.uuid4().hex[:12]}"


class Person(HttpUser):
    abstract = True
    persona = None
    wait_time = between(1, 4)

    def on_start(self):
        try:
            self._sign_in_and_look_around()
        finally:
            FIRST_LOOKS["done"] += 1

    def _sign_in_and_look_around(self):
        self.client.cookies = PlainHttpCookies()
        self.work = next(ACCOUNTS[self.persona])
        page = self.client.get("/accounts/sign-in/", name="sign in")
        form = form_with(page.text, lambda names: "password" in names)
        data = form.data({"username": self.work["username"], "password": PLAN["password"]})
        with self.client.post("/accounts/sign-in/", data=data, name="sign in (send)", allow_redirects=False,
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"{self.work['username']} could not sign in ({response.status_code})")
                return
        for function in dict.fromkeys(self.tasks):  # first, a look at everything they usually do
            function(self)

    def record(self, kind, **written):
        WRITES.write(json.dumps({"kind": kind, "username": self.work["username"], **written}) + "\n")

    def post_form(self, url, name, form, changes, expect_redirect=True):
        """Posts the form with `changes`; a success is a redirect (or 200 when none is expected)."""
        with self.client.post(url, data=form.data(changes), name=name, allow_redirects=False,
                              catch_response=True) as response:
            ok = response.status_code == 302 if expect_redirect else response.status_code == 200
            if not ok:
                response.failure(f"{name}: {response.status_code} for {self.work['username']}")
                return None
            return response

    def page(self, url, name):
        return self.client.get(url, name=name)

    @task(2)
    def home(self):
        self.page("/", "home")


class Staff(Person):
    """Staff and service leads answering their self-assessment, a value at a time."""

    persona = "staff"
    fixed_count = COUNTS["staff"]

    def step_url(self, step):
        return f"/cycles/{self.work['cycle']}/self-assessment/staff/step/{step}/"

    @task(1)
    def hub(self):
        self.page(f"/cycles/{self.work['cycle']}/self-assessment/staff/", "self-assessment hub")

    @task(6)
    def answer_a_value(self):
        url = self.step_url(random.choice(self.work["steps"]))
        form = form_with(self.page(url, "wizard step").text, lambda names: any(n.endswith("_narrative") for n in names))
        if form is None:
            return
        narratives = [name for name, _value in form.fields if name.endswith("_narrative")]
        changes, written = {}, {}
        for name in random.sample(narratives, k=min(len(narratives), random.randint(1, 3))):
            level = name.removesuffix("narrative") + "level"
            changes[level] = random.choice([v for v in form.choices.get(level, []) if v != "na"])
            changes[name] = written[int(name.split("-c")[-1].split("_")[0])] = token("answer")
        if self.post_form(url, "wizard save", form, changes):
            for criterion, narrative in written.items():
                self.record("self_answer", cycle=self.work["cycle"], criterion=criterion, narrative=narrative)


class Reviewer(Person):
    """Peer reviewers rating after the visit, a value at a time beside the service's answers."""

    persona = "reviewer"
    fixed_count = COUNTS["reviewer"]

    @task(1)
    def visit(self):
        self.page(f"/cycles/{self.work['cycle']}/visit/", "visit")

    @task(1)
    def progress(self):
        self.page(f"/cycles/{self.work['cycle']}/review/", "your ratings")

    @task(5)
    def rate_a_value(self):
        url = f"/cycles/{self.work['cycle']}/review/{random.choice(self.work['values'])}/"
        form = form_with(self.page(url, "rating form").text, lambda names: any(n.endswith("_comment") for n in names))
        if form is None:
            return
        comments = [name for name, _value in form.fields if name.endswith("_comment")]
        changes, written = {}, {}
        for name in random.sample(comments, k=min(len(comments), random.randint(1, 3))):
            level = name.removesuffix("comment") + "level"
            changes[level] = random.choice([v for v in form.choices.get(level, []) if v not in ("na", "abstain")])
            changes[name] = written[int(name[1:].split("_")[0])] = token("rating")
        if self.post_form(url, "rating save", form, changes):
            for criterion, comment in written.items():
                self.record("peer_rating", cycle=self.work["cycle"], criterion=criterion, comment=comment)


class LeadReviewer(Person):
    """Lead reviewers agreeing the team's ratings, one criterion at a time from the grid."""

    persona = "lead_reviewer"
    fixed_count = COUNTS["lead_reviewer"]

    @task(2)
    def grid(self):
        self.page(f"/cycles/{self.work['cycle']}/agree/", "agreement grid")

    @task(5)
    def agree_a_criterion(self):
        code = random.choice(self.work["criteria"])
        url = f"/cycles/{self.work['cycle']}/agree/{code}/"
        form = form_with(self.page(url, "agree criterion").text, lambda names: "rationale" in names)
        if form is None:
            return
        rationale = token("agreed")
        changes = {"level": random.choice([v for v in form.choices.get("level", []) if v != "na"]),
                   "rationale": rationale}
        if self.post_form(url, "agree save", form, changes):
            self.record("agreed_rating", cycle=self.work["cycle"], code=code, rationale=rationale)


class Member(Person):
    """Members answering their questionnaire once, a page at a time, then coming back to look."""

    persona = "member"
    fixed_count = COUNTS["member"]
    answered = False

    @task(3)
    def questionnaire(self):
        base = f"/cycles/{self.work['cycle']}/questionnaire/"
        if self.answered:
            self.page(base, "questionnaire start")
            return
        self.page(base, "questionnaire start")
        number = 1
        while True:
            url = f"{base}page/{number}/"
            form = form_with(self.page(url, "questionnaire page").text, lambda names: "csrfmiddlewaretoken" in names)
            if form is None:
                return
            questions = [name for name in form.choices if re.fullmatch(r"q\d+", name)]
            changes = {name: random.choice(form.choices[name]) for name in questions}
            last = "anything_else" in form.names()
            if last:
                changes["anything_else"] = self.said = token("member")
            if not self.post_form(url, "questionnaire page save", form, changes):
                return
            if last:
                break
            number += 1
        self.send(base)

    def send(self, base):
        form = form_with(self.page(f"{base}check/", "questionnaire check").text,
                         lambda names: "csrfmiddlewaretoken" in names)
        if form is not None and self.post_form(f"{base}check/", "questionnaire send", form, {}):
            self.answered = True
            self.record("member_response", cycle=self.work["cycle"], anything_else=self.said)
            self.page(f"{base}thank-you/", "questionnaire thanks")


class Reader(Person):
    abstract = True

    @task(3)
    def report(self):
        if self.work["reports"]:
            self.page(f"/cycles/{random.choice(self.work['reports'])}/report/", "report")


class Administrator(Reader):
    persona = "administrator"
    fixed_count = COUNTS["administrator"]

    @task(1)
    def services(self):
        self.page("/services/", "service list")


class Commissioner(Reader):
    persona = "commissioner"
    fixed_count = COUNTS["commissioner"]

    @task(2)
    def portfolio(self):
        self.page("/portfolio/", "portfolio")


@events.quitting.add_listener
def close_writes(environment, **kwargs):
    WRITES.close()
