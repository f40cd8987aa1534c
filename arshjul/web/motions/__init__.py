"""Motioner and medborgarförslag: the register the kansli keeps and the limit of each."""
