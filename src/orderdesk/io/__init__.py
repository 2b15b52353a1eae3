"""Files people bring and take: CSV/XLSX in, spreadsheet-safe CSV out."""
