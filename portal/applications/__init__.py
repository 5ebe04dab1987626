"""Apply for a programme and follow the application: the citizen's pages
(apply, track) and what the back office shares with them (states, the
programmes that take applications here, the text message on each change)."""
