#!/usr/bin/env python
"""Print the cut-over feature flags and whether they match production; exit 1 if any differ.

Run from `src/` as the deployment checklist says: `python scripts/test_feature_flags.py`.
This is an operations script, not a test module: it needs only the production requirements.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

RULE = "=" * 60


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obcms.settings")
    import django

    django.setup()
    from obcms.flags import PRODUCTION_VALUES, all_flags

    current = all_flags()
    wrong = 0
    print("WorkItem Feature Flags Configuration")
    print(RULE)
    print()
    print("Current Configuration:")
    for name, value in current.items():
        expected = PRODUCTION_VALUES[name]
        if value == expected:
            print(f"✅ {name}: {value}")
        else:
            wrong += 1
            print(f"⚠️ {name}: {value} (expected {expected})")
    print()
    print(RULE)
    if wrong:
        noun = "flag differs" if wrong == 1 else "flags differ"
        print(f"⚠️ {wrong} feature {noun} from the production configuration")
        return 1
    print("✅ All feature flags correctly configured for production")
    return 0


if __name__ == "__main__":
    sys.exit(main())
