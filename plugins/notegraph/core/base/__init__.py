"""What every layer uses: names and keys, findings (`report`), progress, parallel maps,
guards around one note's work, the memo of the live preview, the output folder's rules,
giving freed memory back (`memory`)."""
