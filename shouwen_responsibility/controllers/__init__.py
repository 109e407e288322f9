from . import online
