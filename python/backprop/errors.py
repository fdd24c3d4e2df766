"""Errors the engine raises on bad input.

Every refusal is a ``BackpropError`` (a ``ValueError``) with a stable ``code`` that the widget
maps to its own texts, an English message (the exception text) and a Spanish one for readers.
"""


class BackpropError(ValueError):
    def __init__(self, code: str, message: str, message_es: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message_es = message_es
        self.field = field

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "message": self.message_es,
            "message_en": str(self),
            "field": self.field,
        }
