from . import phone_api
from . import online
