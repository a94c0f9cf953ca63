"""How passwords are stored: Argon2id with OWASP's recommended minimum settings.

Django's own Argon2 settings (100 MiB, 8 lanes) and its PBKDF2 default (1.5 million rounds) each cost
0.2-0.35 s of CPU per sign-in: on a small host, a morning's sign-ins then hold up everyone's pages
(make load measured sign-in at 1.3 s p95 with PBKDF2). OWASP's Password Storage Cheat Sheet gives
Argon2id with 19 MiB of memory, 2 passes and 1 lane as its first choice; it costs about 25 ms and
its memory makes guessing on graphics cards far dearer than PBKDF2's rounds do. Django re-hashes a
stored password with these settings the next time its owner signs in.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class OwaspArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
