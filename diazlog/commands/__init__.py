"""One module per `diazlog` subcommand, registered by name in cli.SUBCOMMANDS."""
