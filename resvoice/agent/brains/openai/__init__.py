"""The OpenAI brain: Responses API streaming (Chat Completions for servers without it), tools
declared from the core's argument models, retries, and the rules brain as its fallback.

Modules: `model` (the request/reply vocabulary), `prompt` (system prompt, tools),
`conversation` (the history kept in the call state), `responses_stream` and `chat_stream`
(the two wire formats), `api_choice` (auto-detect), `retry`, `brain` (`OpenAIBrain`),
`fallback` (`FallbackBrain`), `client` (assembles them). Importing this package does not
import `openai`; `client.connect` does, and says how to install it when it is missing.
"""
