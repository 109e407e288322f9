from . import catalogue
from . import personal_data
from . import workflow
from . import letters
from . import online
