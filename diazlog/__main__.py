"""`python -m diazlog` runs the same command line as the `diazlog` script."""

from diazlog.launch import main

main()
