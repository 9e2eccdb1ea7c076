"""The caller's language: parsers that turn words into values.

Depends on nothing else in resvoice.

`holidays`     named days ("Valentine's Day", "Mother's Day", US federal holidays) -> dates
`name_words`   which words can be part of a person's name (stop list, shape of names)
`phone_speech` a phone number said in pieces ("area code 503, then 555 0148") as one grammar
`affirm`       yes without the word, read in the light of what the agent asked
`frustration`  the caller's own words of frustration (giving up, complaining of past calls)
"""
