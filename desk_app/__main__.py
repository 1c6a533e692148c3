import multiprocessing

multiprocessing.freeze_support()  # first: the frozen app is re-run as the PDF render child (scanner/pdf_sandbox)

if __name__ == "__main__":  # not when a spawned child re-imports this module as __mp_main__
    from desk_app.cli.main import main

    raise SystemExit(main())
