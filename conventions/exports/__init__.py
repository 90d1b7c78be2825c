"""Spreadsheet exports, one module per concept."""
