"""Culture providers: their activities, the exchange import/export and curation."""
