"""Reading ``x1, x2, label`` rows (header optional) for ``datasets.Dataset.from_csv``.

The separator is ``,``; a text whose first line has ``;`` (or a tab) uses it and accepts
decimal commas (as spreadsheets export in Spanish). Errors name the physical line.
"""

import csv
import io
import math

import numpy as np

from .errors import BackpropError
from .labels import class_name, label


def parse(text, task, class_names, lang, max_rows, max_classes):
    """(feature names, task, class names, x (n, 2), y (n, k)) from the CSV ``text``."""
    if not isinstance(text, str):
        raise BackpropError("csv_empty", "CSV input must be text", "El CSV debe ser texto.",
                            "csv")
    rows, comma = read_rows(text)
    feature_names = [label("features", "x1", lang), label("features", "x2", lang)]
    first_line, first = rows[0]
    # A first row whose coordinates are not numbers is a header.
    if len(first) < 2 or parse_number(first[0], comma) is None or \
            parse_number(first[1], comma) is None:
        if len(first) != 3:
            raise BackpropError("csv_columns",
                                f"line {first_line}: expected 3 columns, found {len(first)}",
                                f"Línea {first_line}: se esperaban 3 columnas (x₁, x₂, etiqueta) "
                                f"y hay {len(first)}.", "csv")
        feature_names = [first[0].strip() or feature_names[0],
                         first[1].strip() or feature_names[1]]
        rows = rows[1:]
    if not rows:
        raise BackpropError("csv_empty", "the CSV has no data rows",
                            "El CSV no tiene filas de datos.", "csv")
    if len(rows) > max_rows:
        raise BackpropError("too_many_points", f"at most {max_rows} rows",
                            f"Como máximo {max_rows} filas.", "csv")
    points, raw_labels = [], []
    for line, row in rows:
        if len(row) != 3:
            raise BackpropError("csv_columns", f"line {line}: expected 3 columns, found {len(row)}",
                                f"Línea {line}: se esperaban 3 columnas (x₁, x₂, etiqueta) y hay "
                                f"{len(row)}.", "csv")
        xy = [parse_number(row[0], comma), parse_number(row[1], comma)]
        if any(v is None for v in xy):
            raise BackpropError("csv_value", f"line {line}: coordinates must be finite numbers",
                                f"Línea {line}: las coordenadas deben ser números finitos.", "csv")
        if not row[2].strip():
            raise BackpropError("csv_label", f"line {line}: the label is missing",
                                f"Línea {line}: falta la etiqueta (tercera columna).", "csv")
        points.append(xy)
        raw_labels.append((line, row[2].strip()))
    task, class_names, targets_ = targets(raw_labels, task, class_names, comma, lang, max_classes)
    return (feature_names, task, class_names, np.array(points, dtype=np.float64),
            np.array(targets_, dtype=np.float64))


def read_rows(text):
    """Non-empty rows with their 1-based physical line numbers, and whether "1,5" means 1.5."""
    first = next((ln for ln in text.splitlines() if ln.strip()), None)
    if first is None:
        raise BackpropError("csv_empty", "the CSV is empty", "El CSV está vacío.", "csv")
    # Spreadsheets in Spanish export ";" (or tabs) with decimal commas.
    delimiter = ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise BackpropError("csv_value", f"line {reader.line_num}: malformed CSV ({exc})",
                            f"Línea {reader.line_num}: CSV mal formado ({exc}).", "csv") from None
    return rows, delimiter != ","


def parse_number(cell, decimal_comma):
    s = cell.strip()
    if decimal_comma:
        s = s.replace(",", ".")
    try:
        v = float(s)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _infer_task(raw_labels, numbers, as_index, class_names):
    """The task a CSV's labels suggest: class names or class indices give classification
    (binary with two), other numbers regression, other texts classification by their count."""
    if class_names is not None:
        return "binary" if len(class_names) == 2 else "multiclass"
    if as_index:
        return "binary" if max(numbers) <= 1 else "multiclass"
    if all(v is not None for v in numbers):
        return "regression"
    return "binary" if len({c for _, c in raw_labels}) == 2 else "multiclass"


def targets(raw_labels, task, class_names, comma, lang, max_classes):
    """Chooses the task (if not given) and the class names, and turns label cells into rows."""
    numbers = [parse_number(cell, comma) for _, cell in raw_labels]
    as_index = all(v is not None and v.is_integer() and 0 <= v < max_classes for v in numbers)
    if task is None:
        task = _infer_task(raw_labels, numbers, as_index, class_names)
    if task == "regression":
        for (line, cell), v in zip(raw_labels, numbers):
            if v is None:
                raise BackpropError("csv_label", f"line {line}: the target must be a finite number",
                                    f"Línea {line}: el objetivo debe ser un número finito.", "csv")
        return task, [], [[v] for v in numbers]
    if class_names is None:
        if task == "binary":
            class_names = [class_name(i, lang) for i in range(2)]
        elif as_index:
            class_names = [class_name(i + 1, lang) for i in range(max(int(max(numbers)) + 1, 2))]
        if class_names is None or not as_index:
            # Class names in order of first appearance (numbers keep their meaning as indices).
            names = list(dict.fromkeys(c for (_, c), v in zip(raw_labels, numbers) if v is None))
            if names:
                class_names = names
                if task == "binary" and len(names) > 2:
                    line = next(ln for ln, c in raw_labels if c == names[2])
                    raise BackpropError(
                        "csv_label", f"line {line}: a third class {names[2]!r} in a "
                        "binary task", f"Línea {line}: aparece una tercera clase "
                        f"(«{names[2]}») en una clasificación binaria.", "csv")
    class_names = [str(c) for c in class_names]
    k = len(class_names)
    if (task == "binary" and k != 2) or not 2 <= k <= max_classes:
        raise BackpropError(
            "csv_label",
            f"{task} classification cannot have {k} classes",
            "Una clasificación binaria necesita exactamente 2 clases." if task == "binary"
            else f"Una clasificación multiclase necesita entre 2 y {max_classes} clases "
            f"y hay {k}.", "csv")
    targets = []
    for (line, cell), v in zip(raw_labels, numbers):
        if cell in class_names:
            idx = class_names.index(cell)
        elif v is not None and v.is_integer() and 0 <= v < k:
            idx = int(v)
        else:
            raise BackpropError(
                "csv_label",
                f"line {line}: label {cell!r} does not fit (0..{k - 1} or a class name)",
                f"Línea {line}: la etiqueta «{cell}» no corresponde a ninguna clase "
                f"(usa un entero entre 0 y {k - 1} o uno de estos nombres: "
                f"{', '.join(class_names)}).", "csv")
        targets.append([float(idx)] if task == "binary" else np.eye(k)[idx].tolist())
    return task, class_names, targets
