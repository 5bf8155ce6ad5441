"""HTTP routes: each module validates a body and hands off to the assistant."""
