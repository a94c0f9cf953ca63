"""Reports: the data a report shows (data.py, figures.py, network.py, portfolio/), its charts
(charts.py), the PDF (pdf.py, build.py), exports (exports.py), the stored, frozen records of
issued reports (services.py), reports built in the background (tasks.py), and their pages
(views.py, urls.py, under the `reports:` namespace)."""
