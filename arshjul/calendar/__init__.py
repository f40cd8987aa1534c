"""Pure årshjul calendar: configuration model, working days, date rules, expansion, ICS."""
