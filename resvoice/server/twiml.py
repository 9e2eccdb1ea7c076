"""The TwiML documents the server answers with or sends to Twilio, built with twilio's helpers."""

from __future__ import annotations

from twilio.twiml.voice_response import Connect, Dial, VoiceResponse

HOLD_LINE = "Connecting you now."
NO_ANSWER_LINE = (
    "I'm sorry, nobody on our team could take your call right now. Please leave your name and "
    "what you need after the tone, and we'll call you back at this number."
)
VOICEMAIL_THANKS = "Thank you. We'll call you back shortly. Goodbye."
BUSY_LINE = "We're sorry, we can't take your call right now. Please call again in a minute."
LINES_BUSY_LINE = (
    "Thank you for calling. All our lines are busy right now. Please leave your name and what "
    "you'd like after the tone, and we'll call you back at this number as soon as a line is free."
)


def connect_stream(stream_url: str, parameters: dict[str, str]) -> str:
    """Answer an incoming call: open a media stream to us with `parameters` attached."""
    response = VoiceResponse()
    connect = Connect()
    stream = connect.stream(url=stream_url)
    for name, value in parameters.items():
        stream.parameter(name=name, value=value)
    response.append(connect)
    return str(response)


def transfer(number: str, *, timeout_s: int, action_url: str, caller_id: str | None) -> str:
    """Redirect a live call to a human: a short hold line, then dial with a timeout; Twilio
    posts the dial's outcome to `action_url`, which answers with `after_dial`."""
    response = VoiceResponse()
    response.say(HOLD_LINE)
    dial = Dial(timeout=timeout_s, action=action_url, method="POST", caller_id=caller_id)
    dial.number(number)
    response.append(dial)
    return str(response)


def after_dial(answered: bool, voicemail_url: str) -> str:
    """After the human hung up: end the call; when nobody answered: take a voicemail."""
    response = VoiceResponse()
    if answered:
        response.hangup()
        return str(response)
    response.say(NO_ANSWER_LINE)
    response.record(max_length=120, play_beep=True, action=voicemail_url, method="POST")
    response.say(VOICEMAIL_THANKS)
    return str(response)


def goodbye(line: str = VOICEMAIL_THANKS) -> str:
    response = VoiceResponse()
    response.say(line)
    response.hangup()
    return str(response)


def busy() -> str:
    """Answer while the server drains for shutdown: no new call is taken."""
    return goodbye(BUSY_LINE)


def lines_busy(recording_url: str) -> str:
    """Answer a call past the server's limit: a polite line, then a message for the callback
    (Twilio posts the recording to `recording_url`, which answers with `goodbye`)."""
    response = VoiceResponse()
    response.say(LINES_BUSY_LINE)
    response.record(max_length=120, play_beep=True, action=recording_url, method="POST")
    response.say(VOICEMAIL_THANKS)
    return str(response)


def empty() -> str:
    return str(VoiceResponse())
