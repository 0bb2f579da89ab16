"""campaign-gen: campaign definitions in, weekly social-media post packs out."""

__version__ = "0.1.0"
