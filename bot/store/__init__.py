"""Where conversations are kept: the tracker store, personal-data masking and retention."""
