"""The Bot API methods the emulator answers, the HTTP routes to them, and how it reads
their parameters and checks reply markup."""
