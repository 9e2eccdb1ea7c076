"""The caller's language and its inverse: one home for turning words into values and back.

Parsing what a caller said, for every brain and for insights:
  `numbers`    number words <-> integers ("twenty two" -> 22, 42 -> "forty-two", "for" -> 4)
  `dates`, `times`, `phones`, `names`, `emails`   one slot each ("730" -> 7:30 lives in `times`)
  `party`      how many people ("me and my wife" -> 2)
  `instead`    a value swapped for one already said ("eight instead of seven")
  `slots`      one utterance -> every reservation slot found in it (uses all of the above)
  `holidays`   named days ("Valentine's Day", "Mother's Day", US federal holidays) -> dates
  `name_words` which words can be part of a person's name (stop list, shape of names)
  `phone_validity`  when a number is good enough to book under (valid for its region)
  `affirm`     yes without the word ("go ahead", "the number I'm calling on is fine")
  `frustration`  the caller's own words of frustration (giving up, earlier failed calls)

Speaking to a caller:
  `phrases`    the agent's wording of values ("7:30 PM", "a, b or c")
  `speakable`  text as a TTS engine should say it ("19:30" -> "seven thirty p.m.")
  `sentences`  a streaming reply cut into sentences, as the voice layer speaks it

This package depends on nothing else in resvoice: the agent, its brains, the voice layer and
insights all depend on it, never the other way round.
"""
