"""The files a pack holds, one module each, all written from the same `pack.model.Pack`.

Each exporter has `write(pack, folder)` and writes its files into `folder` (the pack's staging folder);
docs/pack.md describes every file and column. They run in this order; any exception stops the build and
the previous pack stays in place. The preview comes first: `serve` shows the page while the others are written.
"""

from generator.pack.exporters import buffer, hootsuite, ics, posts_json, preview, reports

EXPORTERS = (preview, posts_json, buffer, hootsuite, ics, reports)
