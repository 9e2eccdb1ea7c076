"""`VoiceConfig`: the turn-taking settings of a spoken call (barge-in, reprompts, fixed lines)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VoiceConfig:
    eager_replies: bool = False
    """Start the turn's retrieval on `EagerEndOfTurn` (see the README)."""
    reprompt_after_s: float = 8.0
    """Silence after the agent finished speaking before it asks whether the caller is there."""
    max_reprompts: int = 2
    """Reprompts in a row before a polite goodbye and hang-up."""
    min_barge_in_ms: float = 300.0
    """Caller speech shorter than this never interrupts the agent (coughs, clicks)."""
    backchannel_max_ms: float = 1000.0
    """Speech over the agent with no words recognised yet interrupts once it lasts this long;
    before that, only a recognised word that is not a back-channel ("uh-huh") interrupts."""
    resume_after_s: float = 1.5
    """After a barge-in, how long the caller has to take a real turn; when none comes (the
    recogniser heard nothing, only "mm-hmm", or noise) the agent resumes the cut sentence."""
    resume_lead_in: str = "As I was saying,"
    """What the agent says before the resumed sentence."""
    goodbye: str = (
        "I haven't heard from you, so I'll hang up now. Please call us again any time. Goodbye!"
    )
    error_reply: str = "Sorry, I had a problem there. Could you say that again?"
    drain_timeout_s: float = 15.0
    """At hang-up, how long a turn in flight may take to finish writing what it captured."""
