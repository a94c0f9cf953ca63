"""Reports: the data a report shows (data.py), its charts (charts.py), the PDF (pdf.py) and the
stored, frozen records of issued reports (services.py)."""
