"""manage.py erase_person USERNAME_OR_EMAIL [--confirm]: erases a person's personal data
(reviews/privacy/services.py). Without --confirm it only lists what would change."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assurance.roles import roles_of
from reviews.privacy.services import PrivacyError, erase_person, find_person, plan_erasure


def _administrator(username):
    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None or not roles_of(actor).is_network_admin:
        raise PrivacyError(f"--by {username!r}: no active network administrator has that username.")
    return actor


class Command(BaseCommand):
    help = ("Replaces a person's name and contact details with a neutral label everywhere, keeping what "
            "they did as the service's record. Lists what would change unless --confirm is given.")

    def add_arguments(self, parser):
        parser.add_argument("person", help="their username or email")
        parser.add_argument("--confirm", action="store_true", help="erase them (otherwise only list what would change)")
        parser.add_argument("--by", help="the username of the administrator carrying out the request, for the audit log")

    def handle(self, *args, person, confirm, by=None, **options):
        try:
            actor = _administrator(by) if by else None
            user = find_person(person)
            if actor is not None and actor.pk == user.pk:
                raise PrivacyError("--by: a person cannot carry out their own erasure.")
            plan = erase_person(user, actor=actor) if confirm else plan_erasure(user)
        except PrivacyError as error:
            raise CommandError(str(error)) from error
        self._describe(plan, done=confirm)

    def _describe(self, plan, *, done):
        write = self.stdout.write
        verb = "Replaced" if done else "Would replace"
        write(f"{verb} {plan.person.username if not done else 'the person'}'s name, username and email "
              f"with {plan.label!r} in:")
        for column, rows in sorted(plan.columns.items()):
            write(f"  {column}: {rows} row{'s' if rows != 1 else ''}")
        if not plan.columns:
            write("  no text (only the account itself)")
        for what, count in plan.deleted.items():
            if count:
                write(f"{'Deleted' if done else 'Would delete'} {what}: {count}")
        for final in plan.finals_rebuilt:
            write(f"{'Rebuilt' if done else 'Would rebuild'} final report #{final.pk} ({final}) from its rewritten data")
        if plan.copies_deleted:
            write(f"{'Deleted' if done else 'Would delete'} {len(plan.copies_deleted)} cached report PDF(s); "
                  "they are built again when next asked for")
        if plan.word_username:
            write(f"The username {plan.word_username!r} is an ordinary word: it is replaced only where a whole "
                  "value is that username, not inside other text.")
        if plan.namesakes:
            write(f"Others have the same name ({', '.join(plan.namesakes)}): text naming them by that name "
                  f"{'was' if done else 'will be'} replaced too, since it cannot be told apart. Check before --confirm.")
        write("Evidence files' contents are not searched: see docs/data-protection.md.")
        if done:
            write(self.style.SUCCESS(f"Erased: the account is now {plan.label!r}, inactive, with no password."))
        else:
            write("Nothing was changed. Run again with --confirm to erase.")
