"""Domain actions on standards: loading editions from checked files, exporting and comparing them."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from standards.files import Problem, StandardsFileError
from standards.models import Criterion, Edition, Framework, RatingLevel, Value

# Parts of a file that define what services are rated against. Once a cycle uses an edition,
# these may not change; its status, notes and the framework's description still may, and so may
# the easy-read wording of its questions (the same question, put better for members).
CONTENT_SECTIONS = ("levels", "thresholds", "rag", "members", "values")


def _rated_content(data):
    """The content sections of an edition's data, its criteria without their easy-read wording."""
    content = {section: data[section] for section in CONTENT_SECTIONS}
    content["values"] = [
        {**value, "criteria": [{k: v for k, v in c.items() if k != "easy_read"} for c in value["criteria"]]}
        for value in data["values"]
    ]
    return content


class EditionInUse(Exception):
    pass


@dataclass
class LoadOutcome:
    edition: Edition
    action: str  # "created", "updated" or "unchanged"

    def __str__(self):
        return f"{self.edition}: {self.action} ({self.edition.criteria.count()} criteria)"


def edition_as_data(edition):
    """The edition in the shape of a standards file, as `check_standards_data` returns it."""
    framework = edition.framework
    values = edition.values.prefetch_related("criteria").order_by("order")
    return {
        "framework": {"slug": framework.slug, "name": framework.name, "description": framework.description},
        "edition": {"version": edition.version, "status": edition.status, "notes": edition.notes},
        "levels": [
            {"value": level.value, "label": level.label, "description": level.description}
            for level in edition.levels.order_by("value")
        ],
        "thresholds": {
            "tier_1": edition.tier_1_threshold,
            "tier_2": edition.tier_2_threshold,
            "tier_3": edition.tier_3_threshold,
        },
        "rag": {"green": edition.rag_green_from, "amber": edition.rag_amber_from},
        "members": {
            "minimum": edition.members_minimum,
            "met_from": edition.members_met_from,
            "partly_met_from": edition.members_partly_from,
        },
        "values": [
            {
                "code": value.code,
                "name": value.name,
                "summary": value.summary,
                "criteria": [
                    {
                        "code": criterion.code,
                        "statement": criterion.statement,
                        "guidance": criterion.guidance,
                        "evidence_examples": list(criterion.evidence_examples),
                        "tier": criterion.tier,
                        "rated_by": criterion.rated_by,
                        "easy_read": criterion.easy_read,
                    }
                    for criterion in sorted(value.criteria.all(), key=lambda c: c.order)
                ],
            }
            for value in values
        ],
    }


def edition_in_use(edition):
    return edition.cycles.exists()


@transaction.atomic
def load_standards(specs):
    """Creates or updates the editions in the given checked files, all or none.

    Raises StandardsFileError if two files define the same edition, and EditionInUse if a file
    would change the content of an edition that a review cycle already uses.
    """
    _refuse_duplicate_editions(specs)
    return [_load_one(spec) for spec in specs]


def _refuse_duplicate_editions(specs):
    seen = {}
    for spec in specs:
        key = (spec.framework_slug, spec.version)
        if key in seen:
            raise StandardsFileError(
                [Problem(spec.source, None, "edition.version", f"edition {spec.version} is also defined in {seen[key]}")]
            )
        seen[key] = spec.source


def _load_one(spec):
    data = spec.data
    framework, _created = Framework.objects.get_or_create(
        slug=data["framework"]["slug"],
        defaults={"name": data["framework"]["name"], "description": data["framework"]["description"]},
    )
    _update_fields(framework, name=data["framework"]["name"], description=data["framework"]["description"])

    edition = Edition.objects.filter(framework=framework, version=spec.version).first()
    if edition is None:
        edition = Edition(framework=framework, version=spec.version)
        _apply_edition_fields(edition, data)
        edition.save()
        _write_levels(edition, data["levels"])
        _write_values(edition, data["values"])
        return LoadOutcome(edition, "created")

    current = edition_as_data(edition)
    if current == data:
        return LoadOutcome(edition, "unchanged")
    if _rated_content(current) != _rated_content(data) and edition_in_use(edition):
        raise EditionInUse(
            _(
                "%(file)s: %(edition)s is already used by a review cycle, so its criteria, levels, "
                "thresholds and members' rule cannot change (its easy-read wording can). Publish a new "
                "version instead: give the file a new edition.version (for example %(suggestion)s) and load it again."
            )
            % {"file": spec.source, "edition": edition, "suggestion": _suggest_next_version(edition.version)}
        )
    if data["edition"]["status"] == "draft" and edition.status != "draft" and edition_in_use(edition):
        raise EditionInUse(
            _("%(file)s: %(edition)s is used by a review cycle, so it cannot go back to being a draft.")
            % {"file": spec.source, "edition": edition}
        )
    _apply_edition_fields(edition, data)
    edition.save()
    if current["levels"] != data["levels"]:
        edition.levels.all().delete()
        _write_levels(edition, data["levels"])
    if current["values"] != data["values"]:
        _write_values(edition, data["values"])
    return LoadOutcome(edition, "updated")


def _suggest_next_version(version):
    head, dot, tail = version.rpartition(".")
    if tail.isdigit():
        return f"{head}{dot}{int(tail) + 1}"
    return f"{version}.1"


def _update_fields(instance, **values):
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save(update_fields=changed)


def _apply_edition_fields(edition, data):
    edition.status = data["edition"]["status"]
    edition.notes = data["edition"]["notes"]
    edition.tier_1_threshold = data["thresholds"]["tier_1"]
    edition.tier_2_threshold = data["thresholds"]["tier_2"]
    edition.tier_3_threshold = data["thresholds"]["tier_3"]
    edition.rag_green_from = data["rag"]["green"]
    edition.rag_amber_from = data["rag"]["amber"]
    edition.members_minimum = data["members"]["minimum"]
    edition.members_met_from = data["members"]["met_from"]
    edition.members_partly_from = data["members"]["partly_met_from"]


def _write_levels(edition, levels):
    for level in levels:
        RatingLevel.objects.create(edition=edition, **level)


def _write_values(edition, values):
    """Brings the edition's values and criteria in line with the file, matching them by code."""
    existing_values = {value.code: value for value in edition.values.all()}
    existing_criteria = {criterion.code: criterion for criterion in edition.criteria.all()}
    wanted_criteria = set()
    for value_order, value_data in enumerate(values, start=1):
        value = existing_values.pop(value_data["code"], None) or Value(edition=edition, code=value_data["code"])
        _save_if_changed(value, order=value_order, name=value_data["name"], summary=value_data["summary"])
        for order, criterion_data in enumerate(value_data["criteria"], start=1):
            wanted_criteria.add(criterion_data["code"])
            criterion = existing_criteria.get(criterion_data["code"]) or Criterion(
                edition=edition, code=criterion_data["code"]
            )
            fields = {key: criterion_data[key] for key in criterion_data if key != "code"}
            _save_if_changed(criterion, value=value, order=order, **fields)
    for code, criterion in existing_criteria.items():
        if code not in wanted_criteria:
            criterion.delete()
    for value in existing_values.values():
        value.delete()


def _save_if_changed(instance, **values):
    if instance.pk and all(getattr(instance, name) == value for name, value in values.items()):
        return
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()


# --- comparing editions -----------------------------------------------------------------------


@dataclass
class CriterionChange:
    code: str
    old: Criterion | None
    new: Criterion | None
    aspects: list = field(default_factory=list)


@dataclass
class EditionComparison:
    old: Edition
    new: Edition
    added: list
    removed: list
    reworded: list
    changed: list
    unchanged_count: int

    @property
    def has_differences(self):
        return bool(self.added or self.removed or self.reworded or self.changed)


def compare_editions(old, new):
    """What changed between two editions, criterion by criterion, matched by code."""
    old_criteria = {c.code: c for c in old.criteria.select_related("value")}
    new_criteria = {c.code: c for c in new.criteria.select_related("value")}
    added = [CriterionChange(code, None, new_criteria[code]) for code in _in_order(new_criteria, set(new_criteria) - set(old_criteria))]
    removed = [CriterionChange(code, old_criteria[code], None) for code in _in_order(old_criteria, set(old_criteria) - set(new_criteria))]
    reworded, changed, unchanged = [], [], 0
    for code in _in_order(new_criteria, set(new_criteria) & set(old_criteria)):
        before, after = old_criteria[code], new_criteria[code]
        aspects = _changed_aspects(before, after)
        if before.statement != after.statement:
            reworded.append(CriterionChange(code, before, after, aspects))
        elif aspects:
            changed.append(CriterionChange(code, before, after, aspects))
        else:
            unchanged += 1
    return EditionComparison(old, new, added, removed, reworded, changed, unchanged)


def _in_order(criteria, codes):
    return sorted(codes, key=lambda code: (criteria[code].value.order, criteria[code].order))


def _changed_aspects(before, after):
    aspects = []
    if before.value.code != after.value.code:
        aspects.append(_("moved from %(old)s to %(new)s") % {"old": before.value.name, "new": after.value.name})
    if before.tier != after.tier:
        aspects.append(_("tier %(old)s → %(new)s") % {"old": before.tier, "new": after.tier})
    if before.rated_by != after.rated_by:
        aspects.append(
            _("rated by %(old)s → %(new)s")
            % {"old": before.get_rated_by_display().lower(), "new": after.get_rated_by_display().lower()}
        )
    if before.guidance != after.guidance:
        aspects.append(_("guidance changed"))
    if before.evidence_examples != after.evidence_examples:
        aspects.append(_("evidence examples changed"))
    if before.easy_read and after.easy_read and before.easy_read != after.easy_read:
        aspects.append(_("easy-read wording changed"))
    return aspects
