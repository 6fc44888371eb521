"""The admin blueprint: clients, appointments, the EHR import and the audit log."""
