import sys

from belarus_repression.pipeline import main

sys.exit(main())
