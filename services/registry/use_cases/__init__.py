"""What the registry does, one module per area; application.py composes them.

base.py           RegistryBase: what every area uses (reference places, contact
                  cadence, the children read model) and the helpers they share
intake.py         opening a file (一人一档), ID numbers unique, campaign finds
roster.py         a roster file at go-live: each row checked and created by intake's rules
files.py          reading a file (now or as it stood), its history, the lists, statistics
corrections.py    correcting a fact, with the reason (nothing is overwritten)
contacts.py       visits (走访), risk tiers (分级管理) and the overdue-contact list
transfers.py      closing a file when the child moves away
duplicates.py     candidate duplicates, merging two files, dismissing a pair
campaigns.py      screening campaigns (摸底排查) and their coverage
daily_rules.py    the time-driven rules: left-behind ends at 16, the file closes at 18
casework_feed.py  help records (关爱帮扶记录) from casework's published events
history.py        a file's stored events with who, when and why"""
