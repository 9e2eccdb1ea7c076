"""What the restaurant and the team read about the agent: call statistics and extractor quality.

`stats` summarises stored sessions and escalations through the `Storage` protocol (any
backend); `report` and `html` render that summary; `dialogues` scores the notepad extractor on
task-oriented dialogue data.
"""
