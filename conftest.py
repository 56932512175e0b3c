"""pytest configuration shared by the unit tests and nbval.

nbval compares every output of the committed notebooks exactly, except: the static SVG of a
chart (its text layout depends on font rendering; the chart's Vega-Lite spec, which carries
the data, encodings and provenance, is compared instead), and stderr (library warnings).
"""


def pytest_collectstart(collector):
    if collector.fspath and collector.fspath.ext == ".ipynb":
        collector.skip_compare += ("image/svg+xml", "stderr")
