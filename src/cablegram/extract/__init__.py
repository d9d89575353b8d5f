"""Learned event extraction: candidate party mentions per sentence (candidates), the features of an
(actor, recipient-or-none) pair (features), the trained pair model that decides event-or-none and
direction (model), and how it is trained (training)."""
