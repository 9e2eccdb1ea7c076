"""When a phone number is good enough to book under: valid for its region, in E.164.

`phonenumbers.is_valid_number` decides, with one exception: North American numbers in the 555
area code (or a 555-01XX line), which the numbering plan keeps unassigned for fiction, demos
and tests. They have the full length a number of the region needs, so they are kept, as the
shipped transcripts and callers trying the line out use them. A number with too few digits for
its region (an area code alone, seven digits without one) is never valid.
"""

from __future__ import annotations

import phonenumbers

__all__ = ["is_fictional", "valid_e164"]


def valid_e164(number: str, region: str) -> str | None:
    """`number` (digits, optionally "+" and a country code) in E.164 when it is valid for its
    region (or `region` when it has no country code), else None."""
    try:
        parsed = phonenumbers.parse(number, None if number.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None
    if not (phonenumbers.is_valid_number(parsed) or is_fictional(parsed)):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def is_fictional(parsed: phonenumbers.PhoneNumber) -> bool:
    """A full-length North American number in the 555 area code or on a 555-01XX line."""
    if parsed.country_code != 1 or not phonenumbers.is_possible_number(parsed):
        return False
    national = str(parsed.national_number)
    return len(national) == 10 and (national.startswith("555") or national[3:8] == "55501")
