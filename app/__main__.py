"""`python -m app` starts the server, exactly like the `backprop-playground` command."""
from app.cli import main

if __name__ == "__main__":
    main()
