"""When a phone number is good enough to book under: valid for its region, in E.164.

`phonenumbers.is_valid_number` decides, with one exception: the numbers the numbering plans keep
unassigned for fiction, demos and tests: North American numbers in the 555 area code (or a
555-01XX line) and the UK's drama mobiles (07700 900000 to 900999; Ofcom's drama landlines are
valid numbers already). They have the full length a number of the region needs, so they are
kept, as the shipped transcripts and callers trying the line out use them. A number with too
few digits for its region (an area code alone, seven digits without one) is never valid.
"""

from __future__ import annotations

import phonenumbers

__all__ = ["is_fictional", "national_digits", "national_format", "region_of", "valid_e164"]


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


def national_format(number: str) -> str | None:
    """An E.164 number as its own country writes it ("+447700900123" -> "07700 900123")."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))


def national_digits(region: str, default: int = 10) -> int:
    """How many digits a caller in `region` says for a mobile number of their own country,
    trunk prefix included ("US" 10, "GB" 11: "07400 123456"); `default` for a region
    `phonenumbers` does not know."""
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        return default
    national = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)
    return sum(ch.isdigit() for ch in str(national))


def region_of(number: str) -> str | None:
    """The ISO country of an international number ("+44 20 7946 0321" -> "GB"), or None.

    A number valid nowhere still gives the main country of its code ("+1 555..." -> "US").
    """
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(parsed)
    if region is None and parsed.country_code is not None:
        region = phonenumbers.region_code_for_country_code(parsed.country_code)
    return None if region in (None, phonenumbers.UNKNOWN_REGION) else str(region)


def is_fictional(parsed: phonenumbers.PhoneNumber) -> bool:
    """A full-length number kept for fiction: North American 555 or 555-01XX, UK 07700 900XXX."""
    if not phonenumbers.is_possible_number(parsed):
        return False
    national = str(parsed.national_number)
    if parsed.country_code == 44:
        return len(national) == 10 and national.startswith("7700900")
    if parsed.country_code != 1:
        return False
    return len(national) == 10 and (national.startswith("555") or national[3:8] == "55501")
