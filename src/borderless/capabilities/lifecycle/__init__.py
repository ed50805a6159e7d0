"""Model lifecycle: what a trained version was trained on, champion/challenger decisions,
monitoring signals without labels, staff corrections as training examples. Plain Python; the
registry itself lives in the shop database (borderless.storage.registry)."""
