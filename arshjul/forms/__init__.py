"""Report forms: the content a unit submits and the rules it must meet."""
