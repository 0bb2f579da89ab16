"""The content guards every published text goes through: terminology.py (wording to avoid), facts.py (every
figure sourced), links.py (https, well-formed; UTM), on text read by text.py; and published.py, the pass over
every text a campaign (and a partner kit) publishes, run by `validate` and `partner check`."""
