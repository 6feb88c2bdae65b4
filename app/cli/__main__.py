"""``python -m app.cli``: the same entry point as the ``nichematch`` script."""

from app.cli.main import main

main()
