from . import catalogue
from . import personal_data
from . import workflow
from . import online
