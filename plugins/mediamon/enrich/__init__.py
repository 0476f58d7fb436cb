"""Enrichment of article text: duplicates (:mod:`.dedup`), language (:mod:`.langid`), sentences,
sentiment (:mod:`.sentiment`) and tracked topics (:mod:`.topics`)."""
