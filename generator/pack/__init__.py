"""The weekly pack: what it is (model.py), how it is built (build.py), how it reaches the disk (output.py),
when a build can be skipped (cache.py), and the files it holds (exporters/).

    from generator.pack.build import build_pack
    from generator.pack.model import PackOptions
    pack = build_pack(workspace, PackOptions(parse_week("2026-W48")))
"""
