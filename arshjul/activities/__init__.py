"""Side effects of the workflows: store records, send mail, render documents."""
