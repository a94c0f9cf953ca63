"""What names a person in stored text: their email, their full name and their username, and the
neutral label each is replaced with when their personal data is erased."""

import json
import re
from dataclasses import dataclass, field

# A name or address is matched as a whole: "Sam Lee" is not found inside "Sam Leeds", nor
# "sam@example.org" inside "x.sam@example.org". A full stop may end a sentence after one.
_BEFORE = r"(?<![\w.+@-])"
_AFTER = r"(?![\w@-])(?!\.\w)"
# A username that is an ordinary word ("lead", "reviewer") is found only as a whole value: as a
# word inside text it would rewrite other people's sentences ("lead reviewer").
_IDENTIFIER_LIKE = re.compile(r"[@.\d_+-]")


def erased_label(user):
    return f"Erased person {user.pk}"


def _phrase(text):
    """A pattern for a phrase, matching any run of spaces (or a line break) between its words."""
    words = [re.escape(word) for word in text.split()]
    return re.compile(_BEFORE + r"\s+".join(words) + _AFTER, re.IGNORECASE)


@dataclass
class Traces:
    label: str
    phrases: list = field(default_factory=list)      # searched for inside any text
    whole_values: set = field(default_factory=set)   # lower case: a value that is exactly one of these
    patterns: list = field(default_factory=list)
    word_username: str = ""                           # a username that is an ordinary word, if any

    def __post_init__(self):
        self.patterns = [_phrase(phrase) for phrase in sorted(self.phrases, key=len, reverse=True)]

    def search_terms(self):
        """Substrings a database filter looks for: each phrase, also as JSON writes it when the
        database keeps JSON as escaped text (SQLite), and each whole value."""
        terms = set()
        for text in [*self.phrases, *self.whole_values]:
            terms.add(text)
            terms.add(json.dumps(text)[1:-1])
        return sorted(terms)

    def found_in(self, text):
        if not isinstance(text, str) or not text:
            return False
        return text.strip().lower() in self.whole_values or any(p.search(text) for p in self.patterns)

    def rewrite_text(self, text):
        if not isinstance(text, str) or not text:
            return text
        if text.strip().lower() in self.whole_values:
            return self.label
        for pattern in self.patterns:
            text = pattern.sub(self.label, text)
        return text

    def rewrite_json(self, value):
        """The same value with every string in it (keys too) rewritten."""
        if isinstance(value, str):
            return self.rewrite_text(value)
        if isinstance(value, list):
            return [self.rewrite_json(item) for item in value]
        if isinstance(value, dict):
            return {self.rewrite_text(key): self.rewrite_json(item) for key, item in value.items()}
        return value

    def json_found(self, value):
        if isinstance(value, str):
            return self.found_in(value)
        if isinstance(value, list):
            return any(self.json_found(item) for item in value)
        if isinstance(value, dict):
            return any(self.found_in(key) or self.json_found(item) for key, item in value.items())
        return False


def traces_of(user):
    """The traces of `user` as they are now (read before the erasure renames them)."""
    phrases, whole, word_username = set(), set(), ""
    if user.email.strip():
        phrases.add(user.email.strip())
    full_name = user.get_full_name().strip()
    if user.first_name.strip() and user.last_name.strip():
        phrases.add(full_name)
        phrases.add(f"{user.last_name.strip()}, {user.first_name.strip()}")
    if _IDENTIFIER_LIKE.search(user.username):
        phrases.add(user.username)
    else:
        whole.add(user.username.lower())
        word_username = user.username
    if full_name and not (user.first_name.strip() and user.last_name.strip()):
        whole.add(full_name.lower())  # one name alone ("Cher") is as risky as a word
    return Traces(label=erased_label(user), phrases=sorted(phrases), whole_values=whole, word_username=word_username)
