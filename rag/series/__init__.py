"""Series of records: the catalog of series, the record finding, sentences composed about records."""
