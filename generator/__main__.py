"""`python -m generator` runs the same CLI as the `campaign-gen` console script."""

from generator.cli import main

if __name__ == "__main__":
    main()
