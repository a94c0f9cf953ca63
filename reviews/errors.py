"""The one error a domain action raises when a rule would be broken."""


class ReviewError(Exception):
    """A domain rule was broken; the message says which, in words for the person.

    `field` names the form field the message belongs next to (None: the form as a whole), so
    that a view places the message without reading its text.
    """

    def __init__(self, message, *, field=None):
        super().__init__(message)
        self.message = message
        self.field = field
