"""The store: SQLAlchemy engine, models and migrations. Only this package speaks SQL."""
