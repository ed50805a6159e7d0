from borderless.cli.app import main

main()
