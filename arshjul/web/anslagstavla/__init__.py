"""The digital anslagstavla (KL 8 kap. 9–12 §§): public notices that protocols are justerade."""
