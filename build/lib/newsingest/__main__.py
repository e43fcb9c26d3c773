from newsingest.cli import main

raise SystemExit(main())
