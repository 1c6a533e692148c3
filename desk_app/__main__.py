from desk_app.cli.main import main

raise SystemExit(main())
