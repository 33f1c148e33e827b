# expect: ok  (dates and time zones)
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

now = datetime.now(timezone.utc)
paris = now.astimezone(ZoneInfo("Europe/Paris"))
next_monday = paris + timedelta(days=(7 - paris.weekday()) % 7 or 7)
print("Next run:", next_monday.replace(hour=6, minute=0, second=0).isoformat())
