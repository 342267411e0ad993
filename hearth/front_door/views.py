"""Views for front_door."""
