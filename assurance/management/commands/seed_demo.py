import time

from django.core.management.base import BaseCommand, CommandError

from assurance.demo import DEMO_NOTES, DEMO_PASSWORD, seed_benchmark_services, seed_demo_network


class Command(BaseCommand):
    help = "Create the demo network (idempotent), and optionally many extra services for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--services", type=int, default=0, metavar="N",
            help="also make sure there are N benchmark services (each with a service lead)",
        )

    def handle(self, *args, services=0, **options):
        if services < 0:
            raise CommandError("--services must be 0 or more.")
        personas = seed_demo_network()
        if services:
            started = time.perf_counter()
            added = seed_benchmark_services(services)
            self.stdout.write(f"Benchmark services: added {added} ({time.perf_counter() - started:.1f} s).")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo sign-ins (password for all: %s)" % DEMO_PASSWORD))
        width = max(len(p.username) for p in personas)
        for persona in personas:
            self.stdout.write(f"  {persona.username.ljust(width)}  {persona.first_name} {persona.last_name}: {persona.what}")
        self.stdout.write("")
        for note in DEMO_NOTES:
            self.stdout.write(note)
        if DEMO_NOTES:
            self.stdout.write("")
