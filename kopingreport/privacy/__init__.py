"""Privacy and records: retention (purge), residents' and account holders' rights (download,
delete), the privacy and accessibility pages, and backups."""
