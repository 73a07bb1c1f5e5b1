"""The desktop app: Qt widgets and models over `models/`. Never writes SQL."""
