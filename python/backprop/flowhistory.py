"""Gradient flow over the epochs: per layer, the gradient norm and the update/weight ratio
recorded once per snapshot (every training slice the widget draws), so the reader sees the first
layers fade in a deep sigmoid network or explode with a large initialization.

The snapshot's ``diagnostics`` describe one moment; this keeps a short history of two of its
numbers, thinned to at most ``MAX_ROWS`` rows (every other row is dropped when full), so the
snapshot stays small. Rows are keyed by epoch: a second snapshot at the same epoch replaces the
row (after ``train`` the update ratio is known; a plain ``snapshot`` repeats the epoch).
"""

from __future__ import annotations

MAX_ROWS = 200


class FlowHistory:
    """``{"epoch": [e…], "grad_norm": [[per layer]…], "update_ratio": [[per layer | None]…]}``."""

    def __init__(self):
        self.epoch, self.grad_norm, self.update_ratio = [], [], []

    def note(self, epoch, diagnostics) -> dict:
        """Records one row from ``diagnostics.summarize``'s result; returns the JSON history."""
        layers = (diagnostics or {}).get("layers") or []
        if layers:
            norms = [entry.get("grad_norm") for entry in layers]
            ratios = [entry.get("update_ratio") for entry in layers]
            if self.epoch and self.epoch[-1] == epoch:
                self.epoch.pop()
                self.grad_norm.pop()
                self.update_ratio.pop()
            elif self.epoch and epoch < self.epoch[-1]:
                self.__init__()          # an earlier epoch: the session went back (reset, load)
            self.epoch.append(int(epoch))
            self.grad_norm.append(norms)
            self.update_ratio.append(ratios)
            if len(self.epoch) > MAX_ROWS:
                for rows in (self.epoch, self.grad_norm, self.update_ratio):
                    del rows[1:-1:2]      # keep the first and the newest rows
        return self.to_dict()

    def to_dict(self) -> dict:
        return {"epoch": list(self.epoch), "grad_norm": list(self.grad_norm),
                "update_ratio": list(self.update_ratio)}
