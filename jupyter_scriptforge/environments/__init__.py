"""Per-script dependencies (PEP 723): read, resolved into pins per version, installed once
into shared environments that runs use read-only."""
