"""The `memos` commands, one module per family. Each `build_*` function adds a
command's arguments to its parser and names the function that runs it."""
