"""What a service report is, in the words its cover and every page's header use: a draft, a
working copy of a decided review whose final report is not issued, or a final version; and
whether its decision is under appeal, or a follow-up review is under way or has changed it.
Decided here once, from the reader's copy of the data, so no template decides it on its own."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from reviews.templatetags.review_tags import long_date

DRAFT, WORKING_COPY, FINAL = "draft", "working", "final"


@dataclass(frozen=True)
class Identity:
    kind: str  # DRAFT, WORKING_COPY or FINAL
    title: str  # "Final report, version 2, issued 1 December 2026"
    notes: tuple  # ("under appeal",): what has happened to its decision since
    stage: str  # the review's stage as this report words it

    @property
    def line(self):
        """The whole of it in one line: the cover's mark and every page's header."""
        return self.title + (": " + "; ".join(self.notes) if self.notes else "")

    @property
    def is_final(self):
        return self.kind == FINAL


def report_identity(data, *, issued=None, built_on=None):
    """The identity of a service report built from `data` (a reader's copy): `issued` is the final
    version's {"version", "at"} when it is one; `built_on` the day a draft was built (today)."""
    built = long_date(built_on or timezone.localdate())
    if issued is not None:
        kind = FINAL
        title = _("Final report, version %(version)s, issued %(date)s") % {
            "version": issued["version"], "date": long_date(issued["at"])}
    elif data["cycle"]["final"]:
        kind = WORKING_COPY
        title = _("Working copy, built %(date)s: no final version has been issued") % {"date": built}
    else:
        kind = DRAFT
        title = _("Draft report, built %(date)s from the current data: not final") % {"date": built}
    return Identity(kind, title, tuple(_decision_notes(data["decision"])), _stage(data, kind))


def _decision_notes(decision):
    if decision is None:
        return []
    notes = []
    appeal = decision.get("appeal")
    if appeal and appeal["status"] == "lodged":
        notes.append(_("under appeal"))
    follow_up = decision.get("follow_up")
    if follow_up and follow_up["decided"]:
        notes.append(_("after follow-up"))
    if follow_up and follow_up["open_due"]:
        notes.append(_("follow-up under way"))
    return notes


def _stage(data, kind):
    """The stage, never "Final report issued" on a report that is not one."""
    if kind == WORKING_COPY and data["cycle"]["state"] == "final":
        return _("Decision recorded")
    return data["cycle"]["state_label"]
