"""A script's parameters: read from its code (``reader``), as the JSON Schema a run form is
drawn from and a run's values are checked against."""
