"""Policy sentences the agent states when a booking changes: deposits and how long tables hold.

Taken from the restaurant file's own policies (by topic, else by keyword) so a restaurant that
words them differently is quoted as it wrote them; a plain fallback otherwise.
"""

from __future__ import annotations

import re

from resvoice.restaurant.profile import Policy, RestaurantProfile

__all__ = ["deposit_line", "hold_line"]


def deposit_line(profile: RestaurantProfile, party_size: int) -> str | None:
    """What a party of this size pays to hold the table, or None when no deposit applies."""
    threshold = profile.booking.deposit_from_party
    if threshold is None or party_size < threshold:
        return None
    policy = _policy(profile, "deposit")
    return _first_sentence(policy.text) if policy else "A party of this size pays a deposit."


def hold_line(profile: RestaurantProfile) -> str:
    """How long a table is held for a late guest."""
    policy = _policy(profile, "late")
    if policy is None:
        return "We'll do our best to hold your table."
    return _first_sentence(policy.text)


def _policy(profile: RestaurantProfile, word: str) -> Policy | None:
    for policy in profile.policies:
        if word in policy.topic.lower():
            return policy
    for policy in profile.policies:
        if any(word in keyword.lower() for keyword in policy.keywords):
            return policy
    return None


def _first_sentence(text: str) -> str:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return parts[0] if parts else text
