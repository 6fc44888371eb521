"""Module-level extension objects, bound to an app in ``create_app``."""

from flask_babel import Babel
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from mbc.db import Database

db = Database()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
