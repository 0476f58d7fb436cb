"""Analytics over stored articles: story clustering (:mod:`.stories`)."""
