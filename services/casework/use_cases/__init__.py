"""What casework does, one module per area, each a class over CaseworkBase
(base.py) that CaseworkApplication (application.py) composes:

- roster: the children casework knows         - cases: individual cases (个案)
- community: groups, activities, care, social organisations
- directors: child directors and their supervision
- feeds: what registry, grants and finance events change here
- reports: the quarterly report, folded from the log"""
