"""The restaurant's own data: identity, hours, tables, booking rules, menu, policies, FAQ."""

from resvoice.restaurant.profile import (
    BookingRules,
    DayHours,
    FaqEntry,
    MenuItem,
    Policy,
    RestaurantInfo,
    RestaurantProfile,
    TableGroup,
)

__all__ = [
    "BookingRules",
    "DayHours",
    "FaqEntry",
    "MenuItem",
    "Policy",
    "RestaurantInfo",
    "RestaurantProfile",
    "TableGroup",
]
