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


# --- Argument checks shared by the engine's public functions -------------------------------

import math as _math
from numbers import Integral, Real


def is_int(value) -> bool:
    """A true integer (numpy integers too), not a bool and not a float like 5.0."""
    return isinstance(value, Integral) and not isinstance(value, bool)


def is_real(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) or (
        hasattr(value, "dtype") and getattr(value, "shape", None) == () and value.dtype.kind in "iuf"
    )


# Each bound of check_number: how to test it, and how to say it in English and Spanish.
_BOUNDS = {
    "gt": (lambda v, b: v > b, "greater than", "mayor que"),
    "ge": (lambda v, b: v >= b, "at least", "mayor o igual que"),
    "lt": (lambda v, b: v < b, "less than", "menor que"),
    "le": (lambda v, b: v <= b, "at most", "menor o igual que"),
}


def number_text(b, lang) -> str:
    """A bound as a learner reads it: true minus sign, no E notation, decimal comma in Spanish
    and decimal point in English."""
    text = str(b) if is_int(b) else f"{float(b):.12f}".rstrip("0").rstrip(".")
    text = text.replace("-", "\u2212")
    return text.replace(".", ",") if lang == "es" else text


def subject_en(name) -> str:
    """An English subject for a sentence: "weight" -> "The weight"; a name that starts in
    upper case or with a symbol ("Adam's β₁", "ε") stays as it is."""
    return f"The {name}" if "a" <= name[:1] <= "z" else name


def _rule_en(given) -> str:
    """The English wording of bounds such as {"ge": -1000, "le": 1000}: "from −1000 to 1000"."""
    if set(given) == {"ge", "le"}:
        return f"from {number_text(given['ge'], 'en')} to {number_text(given['le'], 'en')}"
    return " and ".join(f"{_BOUNDS[k][1]} {number_text(b, 'en')}" for k, b in given.items())


def check_number(value, field, code, name_en, name_es, *, gt=None, ge=None, lt=None, le=None):
    """A finite float within the given bounds, or a BackpropError naming ``field``."""
    given = {k: b for k, b in (("gt", gt), ("ge", ge), ("lt", lt), ("le", le)) if b is not None}
    ok = _is_number(value) and _math.isfinite(float(value))
    if ok:
        ok = all(_BOUNDS[k][0](float(value), b) for k, b in given.items())
    if not ok:
        rule_en = _rule_en(given)
        rule_es = " y ".join(f"{_BOUNDS[k][2]} {number_text(b, 'es')}" for k, b in given.items())
        raise BackpropError(
            code,
            f"{subject_en(name_en)} must be a number" + (f" {rule_en}" if rule_en else "")
            + ".",
            f"{name_es} debe ser un número" + (f" {rule_es}" if rule_es else " finito") + ".",
            field,
        )
    return float(value)


def check_int(value, field, code, name_en, name_es, *, ge=None, le=None, whole_floats=True):
    """An int within [ge, le], or a BackpropError naming ``field``. The one integer check:
    true integers (numpy's too, never bools) and, unless ``whole_floats`` is false, floats
    such as 5.0 (JSON may write whole numbers so)."""
    ok = is_int(value)
    if whole_floats and isinstance(value, float) and value.is_integer():
        value, ok = int(value), True
    if ok:
        value = int(value)
        ok = (ge is None or value >= ge) and (le is None or value <= le)
    if not ok:
        given = {k: b for k, b in (("ge", ge), ("le", le)) if b is not None}
        if ge is not None and le is not None:
            rule_es = f"entre {number_text(ge, 'es')} y {number_text(le, 'es')}"
        elif ge is not None:
            rule_es = f"mayor o igual que {number_text(ge, 'es')}"
        else:
            rule_es = ""
        raise BackpropError(
            code,
            f"{subject_en(name_en)} must be a whole number {_rule_en(given)}".rstrip() + ".",
            f"{name_es} debe ser un número entero {rule_es}".rstrip() + ".",
            field,
        )
    return value


def check_choice(value, choices, field, code, name_en, name_es):
    if not isinstance(value, str) or value not in choices:
        raise BackpropError(
            code,
            f"{subject_en(name_en)} {value!r} is not valid; use one of these: "
            f"{', '.join(choices)}.",
            # Worded so that it agrees with masculine and feminine names alike.
            f"«{value}» no es una opción válida para {name_es[:1].lower()}{name_es[1:]}; "
            f"elige una de estas: {', '.join(choices)}.",
            field,
        )
    return value


def check_bool(value, field, name_en, name_es):
    if not isinstance(value, bool):
        raise BackpropError(
            "invalid_" + field.split(".")[-1],
            f"{subject_en(name_en)} must be true or false.",
            f"{name_es} debe ser verdadero o falso (true/false).",
            field,
        )
    return value


def check_extent(extent):
    """(xmin, xmax, ymin, ymax) as floats with xmin < xmax and ymin < ymax."""
    try:
        ext = tuple(float(v) for v in extent)
    except (TypeError, ValueError):
        ext = ()
    if len(ext) != 4 or not all(_math.isfinite(v) for v in ext) or \
            not (ext[0] < ext[1] and ext[2] < ext[3]):
        raise BackpropError(
            "invalid_extent",
            "The extent must be (xmin, xmax, ymin, ymax) with each minimum below its maximum.",
            "La extensión debe ser (xmin, xmax, ymin, ymax) con mínimos menores que máximos.",
            "extent")
    return ext


def check_resolution(value, low, high):
    """A grid resolution: an integer in [low, high] (5.0 is refused, as a count of cells)."""
    return check_int(value, "resolution", "invalid_resolution", "resolution", "La resolución",
                     ge=low, le=high, whole_floats=False)


def unknown_function(code, field, value, names, what_en, what_es):
    """The refusal of an unknown activation or loss name (``what_es`` is feminine: "la
    función de …")."""
    return BackpropError(
        code,
        f"The {what_en} {value!r} does not exist; use one of these: {', '.join(names)}.",
        f"{field}: la {what_es} {value!r} no existe; usa una de {', '.join(names)}.",
        field,
    )
