"""Fill translations from a JSON file {"msgid": {"sv": "...", "fi": "...", "ar": "..."}}.

For translators working outside a PO editor: ``.venv/bin/python scripts/po_fill.py FILE.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(path: str) -> None:
    wanted: dict[str, dict[str, str]] = json.loads(Path(path).read_text())
    for lang in ("sv", "fi", "ar"):
        po_path = ROOT / "translations" / lang / "LC_MESSAGES" / "messages.po"
        with po_path.open("rb") as handle:
            catalog = read_po(handle)
        for msgid, texts in wanted.items():
            if lang in texts and msgid in catalog:
                message = catalog[msgid]
                message.string = texts[lang]
                message.flags.discard("fuzzy")
        with po_path.open("wb") as handle:
            write_po(handle, catalog, omit_header=False, sort_output=True, no_location=True,
                     width=76)


if __name__ == "__main__":
    main(sys.argv[1])
