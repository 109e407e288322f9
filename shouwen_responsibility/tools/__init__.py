from . import catalogue
from . import personal_data
from . import workflow
