"""Small widgets shared by the pages and forms."""
