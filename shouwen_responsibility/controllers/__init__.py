from . import phone_api
