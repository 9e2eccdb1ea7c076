"""The first words on every call, whichever brain answers: instant, so no model is needed."""

from __future__ import annotations

from resvoice.restaurant.profile import RestaurantProfile

__all__ = ["greeting"]


def greeting(profile: RestaurantProfile) -> str:
    """What the caller hears on pickup: the restaurant's name and what the agent can do."""
    return (
        f"Thank you for calling {profile.restaurant.name}. I can book a table, change or cancel "
        "a booking, or answer questions about our menu. How can I help?"
    )
