"""Turns records into documents (Word, PDF, bundles). Knows no widgets."""
