"""The audit log: who saw or changed which client's data, when and from where."""
