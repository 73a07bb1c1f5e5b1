"""The dialogs that edit records: activities, persons, their attendees and photos."""
